#!/usr/bin/python3
"""Golden values for io.sparkmlp.metrics, computed with scikit-learn.

What it writes
--------------
``src/test/resources/golden/metrics_cases.json`` (relative to the repository
root)::

    {"sklearn_version": "...",
     "classification": [{"name", "num_classes", "y_true" [n], "proba" [n][k],
                         "accuracy", "precision" [k], "recall" [k], "f1" [k],
                         "support" [k], "macro_f1", "log_loss",
                         "confusion_matrix" [k][k]}, ...],
     "regression": [{"name", "num_targets", "y_true" [n][t], "y_pred" [n][t],
                     "mse" [t], "rmse" [t], "mae" [t], "r2" [t],
                     "mse_avg", "rmse_avg", "mae_avg", "r2_avg"}, ...]}

Conventions, matching ClassificationMetrics / RegressionMetrics:

* predicted class = ``proba.argmax(axis=1)`` (first maximum wins);
* per-class and macro scores over ``labels=range(k)`` with
  ``zero_division=0``, so classes absent from both truth and prediction count
  (as 0) in the macro average;
* ``log_loss(..., eps=1e-15)``: scikit-learn 1.2's default eps is
  ``finfo(float64).eps``, not 1e-15, so it is passed explicitly;
* regression averages are ``multioutput="uniform_average"``; the average RMSE
  is the mean of the per-target RMSEs (``squared=False``), not the square
  root of the average MSE.

Cases cover ties in the argmax, a true-class probability of exactly 0 (log
clipping), a class that is never true nor predicted, a class never predicted,
a target with a large offset (1e6 + N(0, 1)), constant targets (R^2 = 0.0
when predictions miss, 1.0 when exact).

How to run
----------
From the repository root, with Debian's python3 (which has scikit-learn)::

    /usr/bin/python3 src/test/python/make_metrics_golden.py

The output is deterministic (fixed seed). CI never runs this script: the Java
tests only read the committed JSON.
"""

import json
import os

import numpy as np
import sklearn
from sklearn.metrics import (accuracy_score, confusion_matrix, f1_score,
                             log_loss, mean_absolute_error,
                             mean_squared_error, precision_recall_fscore_support,
                             r2_score)

OUT = os.path.normpath(os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "resources", "golden", "metrics_cases.json"))


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def classification_case(name, y, proba):
    k = proba.shape[1]
    labels = list(range(k))
    pred = proba.argmax(axis=1)
    p, r, f, s = precision_recall_fscore_support(
        y, pred, labels=labels, zero_division=0)
    return {
        "name": name,
        "num_classes": k,
        "y_true": [int(v) for v in y],
        "proba": proba.tolist(),
        "accuracy": float(accuracy_score(y, pred)),
        "precision": p.tolist(),
        "recall": r.tolist(),
        "f1": f.tolist(),
        "support": [int(v) for v in s],
        "macro_f1": float(f1_score(y, pred, labels=labels, average="macro",
                                   zero_division=0)),
        "log_loss": float(log_loss(y, proba, eps=1e-15, labels=labels)),
        "confusion_matrix": confusion_matrix(y, pred, labels=labels).tolist(),
    }


def regression_case(name, y, p):
    def per_target_and_average(fn, **kw):
        return (fn(y, p, multioutput="raw_values", **kw).tolist(),
                float(fn(y, p, **kw)))

    mse, mse_avg = per_target_and_average(mean_squared_error)
    rmse, rmse_avg = per_target_and_average(mean_squared_error, squared=False)
    mae, mae_avg = per_target_and_average(mean_absolute_error)
    r2, r2_avg = per_target_and_average(r2_score)
    return {
        "name": name, "num_targets": y.shape[1],
        "y_true": y.tolist(), "y_pred": p.tolist(),
        "mse": mse, "rmse": rmse, "mae": mae, "r2": r2,
        "mse_avg": mse_avg, "rmse_avg": rmse_avg, "mae_avg": mae_avg,
        "r2_avg": r2_avg,
    }


def classification_cases(rng):
    cases = []
    # Three classes, informative logits.
    y = rng.integers(0, 3, size=40)
    proba = softmax(rng.normal(size=(40, 3)) + 1.5 * np.eye(3)[y])
    cases.append(classification_case("three_classes", y, proba))

    # Two classes.
    y = rng.integers(0, 2, size=25)
    proba = softmax(rng.normal(size=(25, 2)) + 1.0 * np.eye(2)[y])
    cases.append(classification_case("binary", y, proba))

    # Four classes: class 3 is never true and never predicted (0/0 scores),
    # class 2 is true but never predicted; row 0 ties classes 1 and 2 and
    # gives its true class 0 probability exactly 0.
    n = 30
    y = rng.integers(0, 3, size=n)
    z = rng.normal(size=(n, 4)) + 2.0 * np.eye(4)[y]
    z[:, 2] -= 10.0
    z[:, 3] -= 10.0
    proba = softmax(z)
    y[0] = 0
    proba[0] = [0.0, 0.5, 0.5, 0.0]
    cases.append(classification_case("four_classes_absent", y, proba))
    return cases


def regression_cases(rng):
    cases = []
    n = 30
    y = rng.normal(5.0, 2.0, size=(n, 1))
    cases.append(regression_case("one_target", y,
                                 y + rng.normal(0.0, 0.7, size=(n, 1))))

    # Target 1 sits at 1e6 with unit spread (naive sum-of-squares loses
    # digits there); target 2 is constant and mispredicted (R^2 = 0.0).
    n = 50
    y = np.column_stack([rng.normal(0.0, 1.0, n),
                         1e6 + rng.normal(0.0, 1.0, n),
                         np.full(n, 3.0)])
    p = y + rng.normal(0.0, 0.5, size=(n, 3)) * np.array([1.0, 1.0, 0.1])
    cases.append(regression_case("three_targets", y, p))

    # Exact predictions: R^2 = 1.0, also for the constant target.
    y = np.column_stack([np.full(5, 7.0), rng.normal(size=5)])
    cases.append(regression_case("exact", y, y.copy()))
    return cases


def main():
    rng = np.random.default_rng(20240611)
    doc = {
        "sklearn_version": sklearn.__version__,
        "classification": classification_cases(rng),
        "regression": regression_cases(rng),
    }
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    for c in doc["classification"]:
        print(f"{c['name']}: accuracy {c['accuracy']:.4f} macro_f1 "
              f"{c['macro_f1']:.4f} log_loss {c['log_loss']:.6f}")
    for c in doc["regression"]:
        print(f"{c['name']}: mse {c['mse']} r2 {c['r2']}")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
