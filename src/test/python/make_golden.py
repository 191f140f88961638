#!/usr/bin/python3
"""Golden-file generator for spark-mlp's PyTorch-equivalence tests.

What it writes
--------------
Into ``src/test/resources/golden/`` (relative to the repository root):

* ``nn_<case>_<dtype>.safetensors`` (dtype ``f64`` / ``f32``): one forward and
  backward pass of :class:`PytorchMLP` computed entirely in torch.float64 resp.
  torch.float32.  Tensors, in file order: the initial state_dict
  (``model.0.weight``, ``model.0.bias``, ``model.2.weight``, ...), ``x``, ``y``,
  ``logits``, ``loss`` [1], then ``grad.model.0.weight``, ``grad.model.0.bias``,
  ...  (gradients of the mean loss).
* ``nn_sparse_<case>_<dtype>.safetensors``: the same for sparse inputs (many zeros, one
  empty row, one full row), with the first layer computed by ``torch.sparse.mm`` on a COO
  tensor; ``x`` is stored dense (zeros included) and the layout is that of ``nn_`` files.
* ``opt_<case>.safetensors`` (all float64): S optimizer steps.  Tensors: the
  initial state_dict, ``x``, ``y``, ``final.model.*`` (weights after all steps),
  ``losses`` [S] (each step's mean batch loss, before that step's update) and
  ``lrs`` [S] (the learning rate used by each step).  Cases with gradient
  clipping (metadata ``grad_clip_norm``; ``torch.nn.utils.clip_grad_norm_``
  between ``backward()`` and ``step()``) also hold ``grad_norms`` [S], each
  step's total L2 norm of the mean gradient before clipping.

Class labels (cross-entropy) are stored as F64 values in every file, also in
the float32 files; everything else has the file's dtype.  All metadata values
are strings.

How to run
----------
From the repository root, with Debian's python3 (PyTorch 1.13, numpy)::

    /usr/bin/python3 src/test/python/make_golden.py          # write + check
    /usr/bin/python3 src/test/python/make_golden.py --check  # only check
    /usr/bin/python3 src/test/python/make_golden.py --only opt_adam_clip,opt_sgd_clip
                                                   # write + check just these files

``--check`` re-reads every file with an independent safetensors parser,
verifies the layout, recomputes everything from the stored tensors (with torch
and with a hand-written numpy implementation of the same maths) and prints one
summary line per file.  The output is deterministic (fixed seeds).

CI never runs this script: the Java tests only read the committed outputs.
"""

import argparse
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "..", "resources", "golden")
OUT_DIR = os.path.normpath(OUT_DIR)

# --------------------------------------------------------------------------
# Reference model
# --------------------------------------------------------------------------

ACT = {
    "relu": nn.ReLU,
    "leaky_relu": lambda: nn.LeakyReLU(0.01),
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "gelu": lambda: nn.GELU(approximate="none"),   # exact erf form (1.13 default)
    "identity": nn.Identity,
}


class PytorchMLP(nn.Module):
    """The PyTorch network spark-mlp reproduces.

    Linear -> act -> Linear -> act -> ... -> Linear (no activation on the
    output).  state_dict keys: model.0.weight [out, in], model.0.bias [out],
    model.2.weight, ...; the last Linear has index 2L-2 for L Linear layers.
    """

    def __init__(self, n_in, hidden, n_out, act):
        super().__init__()
        layers = []
        sizes = [n_in] + list(hidden) + [n_out]
        for i in range(len(sizes) - 1):
            layers.append(nn.Linear(sizes[i], sizes[i + 1]))
            if i < len(sizes) - 2:
                layers.append(ACT[act]())
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        return self.model(x)


LOSSES = {"cross_entropy": nn.CrossEntropyLoss, "mse": nn.MSELoss}

# --------------------------------------------------------------------------
# safetensors writer / reader (hand-written; torch 1.13 has no safetensors)
# --------------------------------------------------------------------------

_DT = {np.dtype("float64"): ("F64", "<f8"), np.dtype("float32"): ("F32", "<f4")}


def _to_np(a):
    if isinstance(a, torch.Tensor):
        a = a.detach().cpu().numpy()
    return np.asarray(a)


def write_safetensors(path, tensors, metadata):
    """tensors: list of (name, array); metadata: dict of str -> str."""
    header = {"__metadata__": {str(k): str(v) for k, v in metadata.items()}}
    blobs = []
    off = 0
    for name, arr in tensors:
        arr = _to_np(arr)
        if arr.dtype not in _DT:
            raise TypeError("%s: unsupported dtype %s" % (name, arr.dtype))
        tag, le = _DT[arr.dtype]
        raw = np.ascontiguousarray(arr, dtype=le).tobytes()
        header[name] = {"dtype": tag, "shape": list(arr.shape),
                        "data_offsets": [off, off + len(raw)]}
        off += len(raw)
        blobs.append(raw)
    hjson = json.dumps(header, separators=(",", ":")).encode("utf-8")
    pad = (-(8 + len(hjson))) % 8
    hjson += b" " * pad
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hjson)))
        f.write(hjson)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    """Independent reader; returns (ordered list of (name, array), metadata)
    and asserts the layout rules."""
    with open(path, "rb") as f:
        buf = f.read()
    (n,) = struct.unpack("<Q", buf[:8])
    assert (8 + n) % 8 == 0, "header not 8-aligned"
    hdr_bytes = buf[8:8 + n]
    assert hdr_bytes.rstrip(b" ").endswith(b"}"), "header must be JSON padded with spaces"
    hdr = json.loads(hdr_bytes.decode("utf-8"))
    meta = hdr.pop("__metadata__")
    assert all(isinstance(v, str) for v in meta.values()), "non-string metadata"
    data = buf[8 + n:]
    # tensors must be contiguous, back to back, in offset order, and cover data
    entries = sorted(hdr.items(), key=lambda kv: kv[1]["data_offsets"][0])
    pos = 0
    out = []
    for name, e in entries:
        b, end = e["data_offsets"]
        assert b == pos, "%s: gap/overlap at %d (expected %d)" % (name, b, pos)
        dt = {"F64": "<f8", "F32": "<f4"}[e["dtype"]]
        itemsize = 8 if e["dtype"] == "F64" else 4
        count = int(np.prod(e["shape"])) if e["shape"] else 1
        assert end - b == count * itemsize, "%s: size mismatch" % name
        arr = np.frombuffer(data[b:end], dtype=dt).reshape(e["shape"])
        out.append((name, arr.astype(arr.dtype.newbyteorder("="))))
        pos = end
    assert pos == len(data), "data section not covered exactly"
    # JSON key order must equal data order (we write in order)
    assert [k for k in hdr.keys()] == [k for k, _ in entries], "header order != data order"
    return out, meta


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def fmt(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def net_meta(n_in, hidden, n_out, act, loss, dtype, rows):
    return {
        "n_input": str(n_in),
        "hidden": ",".join(str(h) for h in hidden),
        "n_output": str(n_out),
        "activation": act,
        "loss": loss,
        "dtype": dtype,
        "rows": str(rows),
    }


def make_data(seed, m, n_in, n_out, loss):
    """x ~ N(0,1)*1.5, labels uniform ints, regression targets ~ N(0,1);
    always generated in float64 (cast later for float32 files)."""
    rng = np.random.RandomState(seed)
    x = rng.standard_normal((m, n_in)) * 1.5
    if loss == "cross_entropy":
        y = rng.randint(0, n_out, size=m).astype(np.float64)
    else:
        y = rng.standard_normal((m, n_out))
    return x, y


def build_model(seed, n_in, hidden, n_out, act, tdtype):
    torch.manual_seed(seed)
    net = PytorchMLP(n_in, hidden, n_out, act)   # default init in float32
    return net.to(tdtype)


def torch_target(y, loss, tdtype):
    if loss == "cross_entropy":
        return torch.from_numpy(np.asarray(y)).long()
    return torch.from_numpy(np.asarray(y)).to(tdtype)


def y_for_file(y, loss, npdtype):
    # labels always F64; targets in the file's dtype
    return y.astype(np.float64) if loss == "cross_entropy" else y.astype(npdtype)


# --------------------------------------------------------------------------
# Golden set 1: forward / backward
# --------------------------------------------------------------------------

NN_CASES = [
    # name, n_in, hidden, n_out, act, loss, rows, seed
    ("relu_ce", 5, [7, 4], 3, "relu", "cross_entropy", 9, 101),
    ("gelu_ce", 6, [8], 4, "gelu", "cross_entropy", 11, 102),
    ("tanh_mse", 4, [6, 5], 2, "tanh", "mse", 8, 103),
    ("sigmoid_mse1", 3, [1], 1, "sigmoid", "mse", 1, 104),
    ("leaky_relu_ce", 10, [16, 16], 5, "leaky_relu", "cross_entropy", 33, 105),
    ("identity_mse", 4, [3], 3, "identity", "mse", 6, 106),
    # extras
    ("sigmoid_ce", 4, [5, 3], 2, "sigmoid", "cross_entropy", 7, 107),
    ("gelu_mse", 5, [6, 4], 3, "gelu", "mse", 10, 108),
]

DTYPES = [("f64", torch.float64, np.float64, "float64"),
          ("f32", torch.float32, np.float32, "float32")]


def nn_forward_backward(net, x, y, loss, tdtype):
    xt = torch.from_numpy(np.asarray(x)).to(tdtype)
    yt = torch_target(y, loss, tdtype)
    net.zero_grad()
    logits = net(xt)
    l = LOSSES[loss]()(logits, yt)
    l.backward()
    grads = [("grad." + k, p.grad.detach().clone())
             for k, p in net.named_parameters()]
    return logits.detach(), l.detach().reshape(1), grads


SPARSE_CASES = [
    # name, n_in, hidden, n_out, act, loss, rows, density, seed
    ("sparse_relu_ce", 30, [12], 4, "relu", "cross_entropy", 20, 0.1, 121),
    ("sparse_tanh_mse", 25, [8, 5], 2, "tanh", "mse", 15, 0.3, 122),
]


def sparse_forward_backward(net, x, y, loss, tdtype):
    """The first layer as torch.sparse.mm(X_coo, W0^T) + b0, the rest as the module."""
    xs = torch.from_numpy(np.asarray(x)).to(tdtype).to_sparse()
    yt = torch_target(y, loss, tdtype)
    net.zero_grad()
    layers = list(net.model)
    h = torch.sparse.mm(xs, layers[0].weight.t()) + layers[0].bias
    for layer in layers[1:]:
        h = layer(h)
    l = LOSSES[loss]()(h, yt)
    l.backward()
    grads = [("grad." + k, p.grad.detach().clone())
             for k, p in net.named_parameters()]
    return h.detach(), l.detach().reshape(1), grads


def write_nn_files(name, n_in, hidden, n_out, act, loss, m, seed, x64, y64,
                   forward_backward, extra_meta):
    """One nn_<name>_<dtype> file per dtype: initial weights, data, outputs, gradients."""
    files = []
    for tag, tdtype, npdtype, dname in DTYPES:
        net = build_model(seed, n_in, hidden, n_out, act, tdtype)
        init = [(k, v.detach().clone()) for k, v in net.state_dict().items()]
        x = x64.astype(npdtype)
        logits, l, grads = forward_backward(net, x, y64, loss, tdtype)
        tensors = init + [("x", x), ("y", y_for_file(y64, loss, npdtype)),
                          ("logits", logits), ("loss", l)] + grads
        meta = net_meta(n_in, hidden, n_out, act, loss, dname, m)
        meta["seed"] = str(seed)
        meta.update(extra_meta)
        meta["torch_version"] = torch.__version__
        path = os.path.join(OUT_DIR, "nn_%s_%s.safetensors" % (name, tag))
        write_safetensors(path, tensors, meta)
        files.append(path)
    return files


def gen_sparse():
    files = []
    for name, n_in, hidden, n_out, act, loss, m, density, seed in SPARSE_CASES:
        x64, y64 = make_data(seed, m, n_in, n_out, loss)
        mask = np.random.RandomState(seed + 1).random_sample((m, n_in)) < density
        mask[1, :] = False     # an empty row
        mask[2, :] = True      # a row with every column set
        x64 = np.where(mask, x64, 0.0)
        files += write_nn_files(name, n_in, hidden, n_out, act, loss, m, seed, x64, y64,
                                sparse_forward_backward, {"density": str(density)})
    return files


def gen_nn():
    files = []
    for name, n_in, hidden, n_out, act, loss, m, seed in NN_CASES:
        x64, y64 = make_data(seed, m, n_in, n_out, loss)
        files += write_nn_files(name, n_in, hidden, n_out, act, loss, m, seed, x64, y64,
                                nn_forward_backward, {})
    return files


# --------------------------------------------------------------------------
# Golden set 2: optimizers
# --------------------------------------------------------------------------

OPT_NET_CE = dict(n_in=6, hidden=[8, 5], n_out=3, act="relu", loss="cross_entropy")
OPT_NET_MSE = dict(n_in=6, hidden=[8, 5], n_out=2, act="tanh", loss="mse")
OPT_ROWS = 40
OPT_STEPS = 7

SGD_DEF = dict(momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0,
               grad_clip_norm=0.0)
ADAM_DEF = dict(beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0, grad_clip_norm=0.0)

OPT_CASES = [
    # name, net, optimizer, hyper-params, batch_size (None=full), steps,
    # schedule, warmup, seed
    ("sgd_plain", OPT_NET_CE, "sgd", dict(lr=0.1), None, OPT_STEPS, "constant", 0, 201),
    ("sgd_momentum", OPT_NET_CE, "sgd", dict(lr=0.05, momentum=0.9), None, OPT_STEPS, "constant", 0, 202),
    ("sgd_nesterov", OPT_NET_CE, "sgd", dict(lr=0.05, momentum=0.9, nesterov=True), None, OPT_STEPS, "constant", 0, 203),
    ("sgd_wd", OPT_NET_CE, "sgd", dict(lr=0.1, momentum=0.9, weight_decay=0.01), None, OPT_STEPS, "constant", 0, 204),
    ("sgd_dampening", OPT_NET_CE, "sgd", dict(lr=0.05, momentum=0.9, dampening=0.1), None, OPT_STEPS, "constant", 0, 205),
    ("adam", OPT_NET_CE, "adam", dict(lr=0.01), None, OPT_STEPS, "constant", 0, 206),
    ("adam_wd", OPT_NET_CE, "adam", dict(lr=0.01, weight_decay=0.01), None, OPT_STEPS, "constant", 0, 207),
    ("adamw", OPT_NET_CE, "adamw", dict(lr=0.01, weight_decay=0.05), None, OPT_STEPS, "constant", 0, 208),
    ("adam_mse", OPT_NET_MSE, "adam", dict(lr=0.01), None, OPT_STEPS, "constant", 0, 209),
    ("adam_minibatch", OPT_NET_CE, "adam", dict(lr=0.01), 16, 6, "constant", 0, 210),
    ("sgd_cosine_warmup", OPT_NET_CE, "sgd", dict(lr=0.1, momentum=0.9), None, OPT_STEPS, "cosine", 2, 211),
    # gradient clipping: the norms cross max_norm, so some steps are clipped and some not
    ("sgd_clip", OPT_NET_CE, "sgd", dict(lr=0.5, momentum=0.9, grad_clip_norm=0.15), None, OPT_STEPS, "constant", 0, 212),
    ("adam_clip", OPT_NET_MSE, "adam", dict(lr=0.02, grad_clip_norm=0.6), 16, 9, "constant", 0, 213),
]

COSINE_FORMULA = ("for step t = 1..S (1-based): lr_t = base * t / warmup if t <= warmup, "
                  "else base * 0.5 * (1 + cos(pi * (t - warmup) / (S - warmup)))")


def schedule_lr(base, t, steps, schedule, warmup):
    if schedule == "constant":
        return base
    if t <= warmup:
        return base * t / warmup
    return base * 0.5 * (1.0 + math.cos(math.pi * (t - warmup) / (steps - warmup)))


def full_hparams(opt, hp):
    d = dict(SGD_DEF if opt == "sgd" else ADAM_DEF)
    d.update(hp)
    return d


def make_optimizer(opt, params, h):
    if opt == "sgd":
        return torch.optim.SGD(params, lr=h["lr"], momentum=h["momentum"],
                               dampening=h["dampening"], nesterov=h["nesterov"],
                               weight_decay=h["weight_decay"])
    cls = torch.optim.Adam if opt == "adam" else torch.optim.AdamW
    return cls(params, lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"],
               weight_decay=h["weight_decay"])


def batch_rows(step0, bs, m):
    """Rows of 0-based step step0: no shuffling, epochs back to back, the last
    batch of each epoch may be short."""
    if bs is None:
        return 0, m
    per_epoch = (m + bs - 1) // bs
    b = step0 % per_epoch
    return b * bs, min((b + 1) * bs, m)


def run_torch_opt(init, x, y, net_cfg, opt, h, bs, steps, schedule, warmup):
    net = PytorchMLP(net_cfg["n_in"], net_cfg["hidden"], net_cfg["n_out"],
                     net_cfg["act"]).double()
    net.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in init})
    o = make_optimizer(opt, net.parameters(), h)
    lf = LOSSES[net_cfg["loss"]]()
    xt = torch.from_numpy(np.asarray(x, dtype=np.float64))
    yt = torch_target(y, net_cfg["loss"], torch.float64)
    losses, lrs, norms = [], [], []
    for s in range(steps):
        lr = schedule_lr(h["lr"], s + 1, steps, schedule, warmup)
        for g in o.param_groups:
            g["lr"] = lr
        a, b = batch_rows(s, bs, x.shape[0])
        o.zero_grad()
        l = lf(net(xt[a:b]), yt[a:b])
        l.backward()
        if h["grad_clip_norm"] > 0:
            norms.append(nn.utils.clip_grad_norm_(net.parameters(), h["grad_clip_norm"]).item())
        o.step()
        losses.append(l.item())
        lrs.append(lr)
    final = [("final." + k, v.detach().clone()) for k, v in net.state_dict().items()]
    return final, np.array(losses), np.array(lrs), np.array(norms)


def opt_meta(net_cfg, opt, h, bs, steps, schedule, warmup, m):
    meta = net_meta(net_cfg["n_in"], net_cfg["hidden"], net_cfg["n_out"],
                    net_cfg["act"], net_cfg["loss"], "float64", m)
    sgd = opt == "sgd"
    meta.update({
        "optimizer": opt,
        "lr": fmt(float(h["lr"])),
        "momentum": fmt(float(h["momentum"])) if sgd else "0.0",
        "dampening": fmt(float(h["dampening"])) if sgd else "0.0",
        "nesterov": fmt(bool(h["nesterov"])) if sgd else "false",
        "weight_decay": fmt(float(h["weight_decay"])),
        "beta1": fmt(float(h["beta1"])) if not sgd else "0.0",
        "beta2": fmt(float(h["beta2"])) if not sgd else "0.0",
        "eps": fmt(float(h["eps"])) if not sgd else "0.0",
        "steps": str(steps),
        "batch_size": "full" if bs is None else str(bs),
        "schedule": schedule,
        "warmup_steps": str(warmup),
    })
    if schedule == "cosine":
        meta["lr_formula"] = COSINE_FORMULA
    if h["grad_clip_norm"] > 0:
        meta["grad_clip_norm"] = fmt(float(h["grad_clip_norm"]))
    return meta


def gen_opt(only=None):
    files = []
    for name, cfg, opt, hp, bs, steps, schedule, warmup, seed in OPT_CASES:
        if only is not None and "opt_" + name not in only:
            continue
        h = full_hparams(opt, hp)
        x, y = make_data(seed, OPT_ROWS, cfg["n_in"], cfg["n_out"], cfg["loss"])
        net = build_model(seed, cfg["n_in"], cfg["hidden"], cfg["n_out"],
                          cfg["act"], torch.float64)
        init = [(k, v.detach().clone().numpy()) for k, v in net.state_dict().items()]
        final, losses, lrs, norms = run_torch_opt(init, x, y, cfg, opt, h, bs, steps,
                                                  schedule, warmup)
        tensors = init + [("x", x), ("y", y_for_file(y, cfg["loss"], np.float64))] \
            + final + [("losses", losses), ("lrs", lrs)]
        if h["grad_clip_norm"] > 0:
            tensors.append(("grad_norms", norms))
        meta = opt_meta(cfg, opt, h, bs, steps, schedule, warmup, OPT_ROWS)
        meta["seed"] = str(seed)
        meta["torch_version"] = torch.__version__
        path = os.path.join(OUT_DIR, "opt_%s.safetensors" % name)
        write_safetensors(path, tensors, meta)
        files.append(path)
    return files


# --------------------------------------------------------------------------
# Independent numpy re-implementation (used by --check)
# --------------------------------------------------------------------------

def _erf(a):
    return np.vectorize(math.erf, otypes=[np.float64])(a)


def np_act(name, z):
    if name == "relu":
        return np.maximum(z, 0), (z > 0).astype(z.dtype)
    if name == "leaky_relu":
        return np.where(z > 0, z, 0.01 * z), np.where(z > 0, 1.0, 0.01)
    if name == "sigmoid":
        s = 1.0 / (1.0 + np.exp(-z))
        return s, s * (1 - s)
    if name == "tanh":
        t = np.tanh(z)
        return t, 1 - t * t
    if name == "gelu":
        cdf = 0.5 * (1 + _erf(z / math.sqrt(2)))
        pdf = np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
        return z * cdf, cdf + z * pdf
    if name == "identity":
        return z, np.ones_like(z)
    raise ValueError(name)


def np_forward_backward(Ws, bs, x, y, act, loss):
    """float64 forward + backward of the mean loss; returns logits, loss,
    [(dW, db)]."""
    h = x
    cache = []
    L = len(Ws)
    for i in range(L):
        z = h @ Ws[i].T + bs[i]
        if i < L - 1:
            a, d = np_act(act, z)
            cache.append((h, d))
            h = a
        else:
            cache.append((h, None))
            h = z
    out = h
    m = x.shape[0]
    if loss == "cross_entropy":
        lab = y.astype(int)
        mx = out.max(axis=1, keepdims=True)
        lse = mx[:, 0] + np.log(np.exp(out - mx).sum(axis=1))
        lval = np.mean(lse - out[np.arange(m), lab])
        p = np.exp(out - lse[:, None])
        p[np.arange(m), lab] -= 1
        delta = p / m
    else:
        diff = out - y
        lval = np.mean(diff * diff)
        delta = 2 * diff / diff.size
    grads = [None] * L
    for i in reversed(range(L)):
        hin, _ = cache[i]
        grads[i] = (delta.T @ hin, delta.sum(axis=0))
        if i > 0:
            delta = (delta @ Ws[i]) * cache[i - 1][1]
    return out, lval, grads


def np_optimize(Ws, bs, x, y, meta):
    """numpy re-implementation of the PyTorch 1.13 SGD / Adam / AdamW steps, after
    clip_grad_norm_ when the case clips."""
    params = [p.copy() for pair in zip(Ws, bs) for p in pair]
    opt = meta["optimizer"]
    lr0 = float(meta["lr"])
    mom = float(meta["momentum"])
    damp = float(meta["dampening"])
    nest = meta["nesterov"] == "true"
    wd = float(meta["weight_decay"])
    b1, b2, eps = float(meta["beta1"]), float(meta["beta2"]), float(meta["eps"])
    steps = int(meta["steps"])
    bsz = None if meta["batch_size"] == "full" else int(meta["batch_size"])
    warm = int(meta["warmup_steps"])
    clip = float(meta.get("grad_clip_norm", "0"))
    state = [None] * len(params)
    m1 = [np.zeros_like(p) for p in params]
    m2 = [np.zeros_like(p) for p in params]
    losses = []
    for s in range(steps):
        t = s + 1
        lr = schedule_lr(lr0, t, steps, meta["schedule"], warm)
        a, b = batch_rows(s, bsz, x.shape[0])
        W = params[0::2]
        B = params[1::2]
        _, lval, g = np_forward_backward(W, B, x[a:b], y[a:b], meta["activation"], meta["loss"])
        losses.append(lval)
        grads = [q for pair in g for q in pair]
        if clip > 0:
            total = math.sqrt(sum(float(np.sum(q * q)) for q in grads))
            coef = min(1.0, clip / (total + 1e-6))
            grads = [q * coef for q in grads]
        for i, (p, gr) in enumerate(zip(params, grads)):
            if opt == "sgd":
                d = gr + wd * p if wd != 0 else gr
                if mom != 0:
                    if state[i] is None:
                        state[i] = d.copy()          # first step: no dampening
                    else:
                        state[i] = state[i] * mom + (1 - damp) * d
                    d = d + mom * state[i] if nest else state[i]
                params[i] = p - lr * d
            else:
                if opt == "adamw":
                    p = p * (1 - lr * wd)
                    d = gr
                else:
                    d = gr + wd * p if wd != 0 else gr
                m1[i] = m1[i] * b1 + (1 - b1) * d
                m2[i] = m2[i] * b2 + (1 - b2) * d * d
                bc1 = 1 - b1 ** t
                bc2 = 1 - b2 ** t
                denom = np.sqrt(m2[i]) / math.sqrt(bc2) + eps
                params[i] = p - (lr / bc1) * m1[i] / denom
    return params, np.array(losses)


# --------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------

def _maxdiff(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    assert a.shape == b.shape, (a.shape, b.shape)
    return float(np.max(np.abs(a - b))) if a.size else 0.0


def check_nn(path):
    tensors, meta = read_safetensors(path)
    T = dict(tensors)
    names = [n for n, _ in tensors]
    hidden = [int(v) for v in meta["hidden"].split(",")]
    L = len(hidden) + 1
    pk = []
    for i in range(L):
        pk += ["model.%d.weight" % (2 * i), "model.%d.bias" % (2 * i)]
    expect = pk + ["x", "y", "logits", "loss"] + ["grad." + k for k in pk]
    assert names == expect, names
    dt = np.float64 if meta["dtype"] == "float64" else np.float32
    for n, a in tensors:
        want = np.float64 if (n == "y" and meta["loss"] == "cross_entropy") else dt
        assert a.dtype == want, (n, a.dtype)
    m = int(meta["rows"])
    assert T["x"].shape == (m, int(meta["n_input"]))
    assert T["logits"].shape == (m, int(meta["n_output"]))
    # 1) torch recomputation from the stored tensors must be bit-identical
    tdtype = torch.float64 if dt == np.float64 else torch.float32
    net = PytorchMLP(int(meta["n_input"]), hidden, int(meta["n_output"]),
                     meta["activation"]).to(tdtype)
    net.load_state_dict({k: torch.from_numpy(T[k].copy()) for k in pk})
    logits, l, grads = nn_forward_backward(net, T["x"], T["y"], meta["loss"], tdtype)
    assert np.array_equal(logits.numpy(), T["logits"])
    assert np.array_equal(l.numpy(), T["loss"])
    for n, g in grads:
        assert np.array_equal(g.numpy(), T[n]), n
    # 2) independent numpy maths (float64) must agree closely
    W = [T["model.%d.weight" % (2 * i)].astype(np.float64) for i in range(L)]
    B = [T["model.%d.bias" % (2 * i)].astype(np.float64) for i in range(L)]
    out, lval, g = np_forward_backward(W, B, T["x"].astype(np.float64),
                                       T["y"].astype(np.float64),
                                       meta["activation"], meta["loss"])
    tol = 1e-12 if dt == np.float64 else 1e-4
    err = max(_maxdiff(out, T["logits"]), abs(lval - float(T["loss"][0])))
    for i in range(L):
        err = max(err, _maxdiff(g[i][0], T["grad.model.%d.weight" % (2 * i)]),
                  _maxdiff(g[i][1], T["grad.model.%d.bias" % (2 * i)]))
    assert err < tol, "numpy mismatch %g" % err
    return len(tensors), err


def check_opt(path):
    tensors, meta = read_safetensors(path)
    T = dict(tensors)
    names = [n for n, _ in tensors]
    hidden = [int(v) for v in meta["hidden"].split(",")]
    L = len(hidden) + 1
    pk = []
    for i in range(L):
        pk += ["model.%d.weight" % (2 * i), "model.%d.bias" % (2 * i)]
    expect = pk + ["x", "y"] + ["final." + k for k in pk] + ["losses", "lrs"]
    if "grad_clip_norm" in meta:
        expect.append("grad_norms")
    assert names == expect, names
    assert all(a.dtype == np.float64 for _, a in tensors)
    steps = int(meta["steps"])
    assert T["losses"].shape == (steps,) and T["lrs"].shape == (steps,)
    # 1) torch rerun bit-identical
    cfg = dict(n_in=int(meta["n_input"]), hidden=hidden, n_out=int(meta["n_output"]),
               act=meta["activation"], loss=meta["loss"])
    opt = meta["optimizer"]
    h = dict(lr=float(meta["lr"]), momentum=float(meta["momentum"]),
             dampening=float(meta["dampening"]), nesterov=meta["nesterov"] == "true",
             weight_decay=float(meta["weight_decay"]), beta1=float(meta["beta1"]),
             beta2=float(meta["beta2"]), eps=float(meta["eps"]),
             grad_clip_norm=float(meta.get("grad_clip_norm", "0")))
    bs = None if meta["batch_size"] == "full" else int(meta["batch_size"])
    init = [(k, T[k]) for k in pk]
    final, losses, lrs, norms = run_torch_opt(init, T["x"], T["y"], cfg, opt, h, bs, steps,
                                              meta["schedule"], int(meta["warmup_steps"]))
    for n, v in final:
        assert np.array_equal(v.numpy(), T[n]), n
    assert np.array_equal(losses, T["losses"])
    assert np.array_equal(lrs, T["lrs"])
    if "grad_clip_norm" in meta:
        assert np.array_equal(norms, T["grad_norms"])
        clipped = T["grad_norms"] > h["grad_clip_norm"]
        assert clipped.any() and not clipped.all(), "clipping must act on some steps only"
    # 2) independent numpy optimizer
    W = [T["model.%d.weight" % (2 * i)] for i in range(L)]
    B = [T["model.%d.bias" % (2 * i)] for i in range(L)]
    params, nl = np_optimize(W, B, T["x"], T["y"], meta)
    err = _maxdiff(nl, T["losses"])
    for p, k in zip(params, pk):
        err = max(err, _maxdiff(p, T["final." + k]))
    assert err < 1e-10, "numpy optimizer mismatch %g" % err
    # the weights must actually have moved
    assert any(not np.array_equal(T[k], T["final." + k]) for k in pk)
    return len(tensors), err


def check_all(only=None):
    files = sorted(f for f in os.listdir(OUT_DIR) if f.endswith(".safetensors")
                   and (only is None or f[:-len(".safetensors")] in only))
    total = 0
    for f in files:
        p = os.path.join(OUT_DIR, f)
        if f.startswith("nn_"):
            n, err = check_nn(p)
        elif f.startswith("opt_"):
            n, err = check_opt(p)
        else:
            raise ValueError("unexpected file " + f)
        size = os.path.getsize(p)
        total += size
        print("%-40s tensors=%2d bytes=%6d numpy_maxdiff=%.2e" % (f, n, size, err))
    print("%d files, %d bytes in total" % (len(files), total))
    if only is None:
        assert total < 200 * 1024, "golden files too large"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="only read back and verify the existing files")
    ap.add_argument("--only", metavar="FILE,...",
                    help="write and check only these opt_ files (names without .safetensors)")
    args = ap.parse_args()
    torch.set_num_threads(1)   # deterministic reduction order
    only = None if args.only is None else set(args.only.split(","))
    if not args.check:
        os.makedirs(OUT_DIR, exist_ok=True)
        if only is None:
            gen_nn()
            gen_sparse()
        gen_opt(only)
    check_all(only)


if __name__ == "__main__":
    main()
