"""Small frames: mixup(df) against the naive NumPy version a user would write instead, side by side in one run.

The naive version, DataFrame in, DataFrame out, with partners that exclude the row itself as mixup's do::

    X = df.to_numpy()
    rng = np.random.default_rng(seed)
    lam = rng.beta(alpha, alpha, (n, 1))
    j = rng.integers(0, n - 1, n)
    j += j >= np.arange(n)
    pd.DataFrame(lam * X + (1 - lam) * X[j], columns=df.columns)

With a class column named by ``labels=`` (the extra row, 150 × 5 and a class column ``y`` of 3 classes), the
naive version one-hot encodes it through ``np.eye`` and mixes the one-hot rows with the same weights::

    codes, classes = pd.factorize(df["y"], sort=True)
    X, Y = df.drop(columns="y").to_numpy(), np.eye(len(classes))[codes]
    ...  # lam and j as above
    pd.DataFrame(np.hstack([lam * X + (1 - lam) * X[j], lam * Y + (1 - lam) * Y[j]]), columns=[...])

It checks nothing (a NaN in, NaNs out), so the ratio says what mixupy's checks, its reproducible draw and
its column kernel cost on top of the arithmetic. Each shape is timed at alpha = 4 (mixupy's default) and
alpha = 0.4 (the fastai default), the two versions' calls interleaved, medians of many calls. The figures go
into docs/benchmarks.md between markers.

    python benchmarks/bench_small.py            # writes the docs
    python benchmarks/bench_small.py --quick    # fewer calls, prints only
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from _report import command_line, interleaved_medians, publish

import mixupy

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
SHAPES = [(150, 5), (1_000, 20), (10_000, 20), (100_000, 20)]
ALPHAS = [4.0, 0.4]


def naive(df: pd.DataFrame, alpha: float, seed: int) -> pd.DataFrame:
    """What a user writes without mixupy: no checks, partners other than the row itself."""
    x = df.to_numpy()
    rng = np.random.default_rng(seed)
    n = x.shape[0]
    lam = rng.beta(alpha, alpha, (n, 1))
    j = rng.integers(0, n - 1, n)
    j += j >= np.arange(n)
    return pd.DataFrame(lam * x + (1 - lam) * x[j], columns=df.columns)


def naive_labels(df: pd.DataFrame, label: str, alpha: float, seed: int) -> pd.DataFrame:
    """The naive version with a class column: one-hot through ``np.eye``, mixed with the features' weights."""
    codes, classes = pd.factorize(df[label], sort=True)
    features = df.drop(columns=label)
    x, y = features.to_numpy(), np.eye(len(classes))[codes]
    rng = np.random.default_rng(seed)
    n = x.shape[0]
    lam = rng.beta(alpha, alpha, (n, 1))
    j = rng.integers(0, n - 1, n)
    j += j >= np.arange(n)
    names = [*features.columns, *(f"{label}_{c}" for c in classes)]
    return pd.DataFrame(np.hstack([lam * x + (1 - lam) * x[j], lam * y + (1 - lam) * y[j]]), columns=names)


def clock(calls: int, cpu: bool) -> Callable[[Callable[[], object]], float]:
    """Time ``calls`` calls in a row, in seconds per call: one clock reading per batch, not per call.

    ``cpu``: the CPU time of the whole process (every thread), so that waiting for a core on a busy machine
    does not count; work spread over threads counts in full, which can only make mixupy look slower.
    """
    read = time.process_time_ns if cpu else time.perf_counter_ns

    def timed(fn: Callable[[], object]) -> float:
        start = read()
        for _ in range(calls):
            fn()
        return (read() - start) / calls / 1e9

    return timed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer calls, print only")
    parser.add_argument("--repeats", type=int, default=15, help="interleaved rounds per case")
    parser.add_argument("--no-docs", action="store_true", help="print only")
    parser.add_argument("--cpu", action="store_true", help="CPU time of the process, not wall-clock time")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else args.repeats
    lines = [
        "| rows × columns (float64) | α | naive NumPy | `mixup(df, alpha=α, random_state=0)` | mixupy / naive |",
        "|---|---|---|---|---|",
    ]
    for n, k in SHAPES:
        df = pd.DataFrame(np.random.default_rng(0).standard_normal((n, k)), columns=[f"c{j}" for j in range(k)])
        calls = max(1, 20_000 // n)  # about a million values per timing
        for alpha in ALPHAS:
            ops = {
                "naive": lambda df=df, alpha=alpha: naive(df, alpha, 0),
                "mixupy": lambda df=df, alpha=alpha: mixupy.mixup(df, alpha=alpha, random_state=0),
            }
            t = interleaved_medians(ops, clock(calls, args.cpu), repeats)
            lines.append(
                f"| {n:,} × {k} | {alpha:g} | {t['naive'] * 1e6:,.0f} µs | {t['mixupy'] * 1e6:,.0f} µs "
                f"| {t['mixupy'] / t['naive']:.2f}× |"
            )
    n, k = SHAPES[0]
    df = pd.DataFrame(np.random.default_rng(0).standard_normal((n, k)), columns=[f"c{j}" for j in range(k)])
    df["y"] = np.random.default_rng(1).choice(["a", "b", "c"], n)
    ops = {
        "naive": lambda: naive_labels(df, "y", 4.0, 0),
        "mixupy": lambda: mixupy.mixup(df, alpha=4.0, labels="y", random_state=0),
    }
    t = interleaved_medians(ops, clock(max(1, 20_000 // n), args.cpu), repeats)
    lines.append(
        f'| {n:,} × {k} + class column, `labels="y"` (3 classes) | 4 | {t["naive"] * 1e6:,.0f} µs '
        f"| {t['mixupy'] * 1e6:,.0f} µs | {t['mixupy'] / t['naive']:.2f}× |"
    )
    lines += [
        "",
        f"Measured on {platform.machine()} with {len(os.sched_getaffinity(0))} CPU(s), Python "
        f"{platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, mixupy {mixupy.__version__}; "
        f"{'CPU time of the process (all its threads)' if args.cpu else 'wall-clock time'}, "
        f"medians of {repeats} interleaved rounds after a warm-up, each round timing {max(1, 20_000 // 150)} to 1 "
        "calls in a row (about 20,000 rows per timing). The naive versions are in the script's docstring (with a class "
        "column: one-hot through `np.eye`, its probability columns after the features, where mixupy puts them in "
        "the class column's place) and below.",
        "",
        f"Reproduce with `{command_line('bench_small.py', argv)}`.",
    ]
    publish(lines, DOC, "small", write=not (args.quick or args.no_docs))


if __name__ == "__main__":
    main(sys.argv[1:])
