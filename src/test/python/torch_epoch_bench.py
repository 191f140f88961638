#!/usr/bin/python3
"""PyTorch's epoch time on the workload of BENCHMARKS.md figure 2, for comparison.

The same training as ``./submit.sh bench --figures 2``: a 784-256-128-10 ReLU MLP
(``nn.Linear`` layers, PyTorch's default initialisation), softmax cross-entropy (mean over
the batch), Adam (lr 1e-3, PyTorch's defaults), 60000 rows of 784 features uniform in
[0, 1) with labels from a random 784-32-10 tanh teacher network, a fresh shuffle every
epoch, float32 or float64. One process; its threads (``torch.set_num_threads``) share the
machine's cores like the two tasks of ``local[2]``. The epoch time is the wall time of all
steps of one epoch (gather of the shuffled batch, forward, loss, backward, optimizer),
median of the timed epochs after the warm-up epochs, as figure 2 reports ours.

Fair timing on few cores: OpenMP threads must not spin while OpenBLAS threads work and vice
versa, so this script sets ``OMP_WAIT_POLICY=PASSIVE`` and ``OPENBLAS_NUM_THREADS`` (and
``OMP_NUM_THREADS``) to ``--threads`` before it imports torch, unless they are set already.

Run (Debian's python3 with python3-torch)::

    /usr/bin/python3 src/test/python/torch_epoch_bench.py --batches 128,1024 --dtype float32

It prints one line per batch size: ``torch float32 batch 1024 threads 2: epoch 0.581 s
median (min 0.570, max 0.602) over 5 epochs``. CI never runs it.
"""

import argparse
import os
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=60000)
    p.add_argument("--features", type=int, default=784)
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--hidden", default="256,128")
    p.add_argument("--batches", default="128,1024")
    p.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup-epochs", type=int, default=1)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--seed", type=int, default=42)
    return p.parse_args()


def main():
    args = parse_args()
    threads = str(args.threads)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", threads)
    os.environ.setdefault("OMP_NUM_THREADS", threads)
    import torch  # after the environment: OpenMP and OpenBLAS read it when they load
    import torch.nn as nn

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    dtype = torch.float32 if args.dtype == "float32" else torch.float64
    gen = torch.Generator().manual_seed(args.seed)
    x = torch.rand(args.rows, args.features, generator=gen, dtype=torch.float64)
    w1 = torch.randn(32, args.features, generator=gen, dtype=torch.float64) * (
        3.0 / args.features ** 0.5)
    w2 = torch.randn(args.classes, 32, generator=gen, dtype=torch.float64) / 32 ** 0.5
    y = (torch.tanh((x - 0.5) @ w1.T) @ w2.T).argmax(dim=1)
    x = x.to(dtype).contiguous()

    sizes = [args.features] + [int(h) for h in args.hidden.split(",") if h] + [args.classes]
    for batch in [int(b) for b in args.batches.split(",")]:
        layers = []
        for i in range(len(sizes) - 1):
            layers.append(nn.Linear(sizes[i], sizes[i + 1]))
            if i < len(sizes) - 2:
                layers.append(nn.ReLU())
        model = nn.Sequential(*layers).to(dtype)
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        times = []
        for epoch in range(args.warmup_epochs + args.epochs):
            start = time.perf_counter()
            order = torch.randperm(args.rows, generator=gen)
            for s in range(0, args.rows, batch):
                idx = order[s:s + batch]
                xb = x.index_select(0, idx)
                yb = y.index_select(0, idx)
                opt.zero_grad(set_to_none=True)
                loss = loss_fn(model(xb), yb)
                loss.backward()
                opt.step()
            seconds = time.perf_counter() - start
            if epoch >= args.warmup_epochs:
                times.append(seconds)
        times.sort()
        median = times[len(times) // 2] if len(times) % 2 else (
            times[len(times) // 2 - 1] + times[len(times) // 2]) / 2
        print("torch %s %s batch %d threads %d: epoch %.3f s median (min %.3f, max %.3f) "
              "over %d epochs, last loss %.4f" % (torch.__version__, args.dtype, batch,
                                                   args.threads, median, times[0], times[-1],
                                                   len(times), loss.item()))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
