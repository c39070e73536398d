"""Pairing by target distance (C-Mixup) against uniform pairing, side by side in one run.

One frame of 1,000,000 rows: a continuous target (a lognormal, skewed with a long tail) and 4 float64 features.
Timed, calls interleaved, medians: ``mixup(df)`` with uniform pairing, ``mixup(df, target=..., pairing="target")``
with the default bandwidth (Silverman's rule), and ``ndarray.copy()`` of the 5 columns as the floor. Then the
memory each call allocates at its peak (``tracemalloc``, which sees NumPy's buffers), per row, at a quarter of the
rows and at all of them: constant bytes per row is memory linear in n. Last, for scale, the naive method that
forms the n x n weight matrix, at a few thousand rows. The figures go into docs/benchmarks.md between markers.

    python benchmarks/bench_target.py            # full size, writes the docs
    python benchmarks/bench_target.py --quick    # 100,000 rows, prints only
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from _report import command_line, interleaved_medians, publish

import mixupy

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
NAIVE_ROWS = 4_000
#: rows and repeats, by --quick
SIZES = {True: (100_000, 3), False: (1_000_000, 7)}


def options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 rows, 3 repeats, print only")
    return parser.parse_args(argv)


def clock(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def frame(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    columns = {f"x{j}": rng.standard_normal(rows) for j in range(4)}
    return pd.DataFrame({**columns, "price": rng.lognormal(3.0, 0.8, rows)})


def by_target(df: pd.DataFrame) -> pd.DataFrame:
    return mixupy.mixup(df, target="price", pairing="target", random_state=0)


def uniform(df: pd.DataFrame) -> pd.DataFrame:
    return mixupy.mixup(df, random_state=0)


def peak_bytes(fn: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def naive(y: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    """The n x n way: every weight, then one inverse-CDF draw per row."""
    weight = np.exp(-((y[:, None] - y[None, :]) ** 2) / (2 * sigma**2))
    np.fill_diagonal(weight, 0.0)
    cumulative = np.cumsum(weight, axis=1)
    u = rng.random(y.shape[0]) * cumulative[:, -1]
    return (cumulative <= u[:, None]).sum(axis=1)


def main(argv: list[str] | None = None) -> None:
    quick = options(argv).quick
    rows, repeats = SIZES[quick]
    df = frame(rows)
    floor = df.to_numpy().T.copy()
    ops: dict[str, Callable[[], object]] = {
        "`ndarray.copy()` of the 5 columns": floor.copy,
        "uniform pairing, `mixup(df)`": lambda: uniform(df),
        'pairing by target, `mixup(df, target="price", pairing="target")`': lambda: by_target(df),
    }
    medians = interleaved_medians(ops, clock, repeats)
    base = medians["uniform pairing, `mixup(df)`"]
    lines = [f"| {rows:,} rows × (1 target + 4 features) | median | / uniform pairing |", "|---|---|---|"]
    lines += [f"| {name} | {seconds * 1000:,.0f} ms | {seconds / base:.1f}× |" for name, seconds in medians.items()]
    lines += ["", "| peak memory allocated, per row | uniform pairing | pairing by target |", "|---|---|---|"]
    for n in (rows // 4, rows):
        part = df.iloc[:n].copy()
        plain, target = peak_bytes(lambda part=part: uniform(part)), peak_bytes(lambda part=part: by_target(part))
        lines.append(f"| {n:,} rows | {plain / n:.0f} bytes | {target / n:.0f} bytes |")
    y = df["price"].to_numpy()[:NAIVE_ROWS]
    sigma = 0.1 * float(y.std())
    naive_seconds = min(clock(lambda: naive(y, sigma, np.random.default_rng(0))) for _ in range(3))
    small = df.iloc[:NAIVE_ROWS].copy()
    ours = min(clock(lambda: mixupy.mixup(small, target="price", pairing="target", bandwidth=sigma)) for _ in range(3))
    publish([*lines, *notes(rows, repeats, naive_seconds, ours, argv)], DOC, "target", write=not quick)


def notes(rows: int, repeats: int, naive_seconds: float, ours: float, argv: list[str] | None) -> list[str]:
    """What the tables measured, and how to measure it again."""
    matrix = NAIVE_ROWS**2 * 8 / 2**20
    return [
        "",
        f"For scale, the naive method at {NAIVE_ROWS:,} rows (the n × n weight matrix, {matrix:.0f} MB, then an "
        f"inverse-CDF draw per row) takes {naive_seconds * 1000:.0f} ms for the partners alone; `mixup` by target "
        f"takes {ours * 1000:.0f} ms for the whole frame. The matrix grows with n²: at {rows:,} rows it would take "
        f"{rows**2 * 8 / 2**30:,.0f} GB.",
        "",
        f"Measured on {platform.machine()} with {os.cpu_count()} CPU(s), Python {platform.python_version()}, numpy "
        f"{np.__version__}, pandas {pd.__version__}, mixupy {mixupy.__version__}; medians of {repeats} interleaved "
        "calls after a warm-up; the default bandwidth (Silverman's rule on the target). Peak memory is what "
        "`tracemalloc` saw allocated during one call, the result included.",
        "",
        f"Reproduce with `{command_line('bench_target.py', argv)}`.",
    ]


if __name__ == "__main__":
    main(sys.argv[1:])
