#!/usr/bin/python3
"""Loads a spark-mlp model file into the PyTorch module and compares its outputs with ours.

Usage (Debian's python3 with python3-torch; not part of CI):

    ./submit.sh train --config jobs/digits.properties --out /tmp/digits
    ./submit.sh predict --model /tmp/digits --data data-samples/digits.csv --out /tmp/digits-pred
    /usr/bin/python3 src/test/python/check_model_in_pytorch.py \
        /tmp/digits/model.safetensors data-samples/digits.csv /tmp/digits-pred

It builds ``PytorchMLP`` from the file's metadata, loads the tensors with
``load_state_dict(strict=True)`` (so names and shapes must be exactly the state_dict's),
applies the stored feature standardisation, and prints the largest difference between
PyTorch's softmax probabilities (or regression outputs) and the ``predict`` CSV.
"""
import glob
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_golden import PytorchMLP, read_safetensors  # noqa: E402


def main(model_path, data_csv, pred_dir):
    tensors, meta = read_safetensors(model_path)
    sizes = [int(s) for s in meta["layers"].split(",")]
    dtype = torch.float32 if meta["dtype"] == "float32" else torch.float64
    net = PytorchMLP(sizes[0], sizes[1:-1], sizes[-1], meta["activation"]).to(dtype)
    net.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in tensors}, strict=True)

    data = np.loadtxt(data_csv, delimiter=",", skiprows=1)
    # The label columns come first: one class label, or one column per regression target.
    n_labels = 1 if meta["task"] == "classification" else sizes[-1]
    x = data[:, n_labels:]
    if "feature_mean" in meta:
        mean = np.array(json.loads(meta["feature_mean"]))
        std = np.array(json.loads(meta["feature_std"]))
        x = (x - mean) / std
    with torch.no_grad():
        out = net(torch.from_numpy(x).to(dtype))
        if meta["task"] == "classification":
            out = torch.softmax(out, dim=1)
    ours = np.concatenate([np.loadtxt(p, delimiter=",", skiprows=1, ndmin=2)
                           for p in sorted(glob.glob(os.path.join(pred_dir, "part-*.csv")))])
    ours = ours[np.argsort(ours[:, 0])]
    cols = ours[:, 2:] if meta["task"] == "classification" else ours[:, 1:]
    theirs = out.numpy()
    diff = np.abs(cols - theirs).max()
    # Relative to the outputs' size (at least 1): regression targets may be in the millions.
    rel = (np.abs(cols - theirs) / np.maximum(1.0, np.abs(theirs))).max()
    print("rows %d, outputs %d, strict load_state_dict ok, max |pytorch - spark-mlp| = %.3g"
          " (relative %.3g)" % (len(ours), cols.shape[1], diff, rel))
    if meta["task"] == "regression":
        # PyTorch's outputs against the file's targets, in the targets' own units.
        y = data[:, :cols.shape[1]]
        r2 = 1 - ((y - theirs) ** 2).sum(axis=0) / ((y - y.mean(axis=0)) ** 2).sum(axis=0)
        print("PyTorch's R^2 on the file's targets: %s" % np.array2string(r2, precision=4))
    return 0 if rel < (1e-4 if dtype == torch.float32 else 1e-10) else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
