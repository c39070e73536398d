"""Columns larger than the cache: where mixup(df)'s time goes on 10,000,000 × 4, against a memcpy.

A mix reads every row's partner at a random address. While a column fits in the cache (1,000,000 × 20:
8 MB a column) those reads hit it; a column of 10,000,000 float64 values (80 MB) does not fit, and each
read goes to memory. This script measures, side by side in one run (calls interleaved, medians):

* the floor every random-pair mixup pays: one ``np.take`` of 10,000,000 random positions from one column,
  against a memcpy of that column and against a ``np.take`` of the positions in order;
* ``mixup(df)`` on 10,000,000 × 4 and on 1,000,000 × 20 (half as many values), each against a memcpy of
  its frame's values;
* the ideas tried to close the gap: the column kernel with smaller and larger steps (``MIX_CHUNK``), and
  gathering whole rows of a row-major copy, so that one cache line serves all four columns.

The figures go into docs/benchmarks.md between markers.

    python benchmarks/bench_gather.py            # writes the docs
    python benchmarks/bench_gather.py --quick    # 2,000,000 × 4 and 200,000 × 20, prints only
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
from mixupy import _apply, _draw

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def clock(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def with_chunk(chunk: int, fn: Callable[[], object]) -> Callable[[], object]:
    """``fn`` run with the column kernel's step set to ``chunk`` rows (restored after)."""

    def run() -> object:
        saved = _apply.MIX_CHUNK
        _apply.MIX_CHUNK = chunk
        try:
            return fn()
        finally:
            _apply.MIX_CHUNK = saved

    return run


def row_major_mix(x: np.ndarray, d: _draw.Draw) -> np.ndarray:
    """The mix by whole rows of a row-major copy: one 32-byte row (one cache line) per partner for 4 columns."""
    rows = np.ascontiguousarray(x)  # (n, k), each row's values side by side
    out = np.multiply(rows, d.lam[:, None])
    partner = np.take(rows, d.second, axis=0, mode="clip")
    partner *= (1.0 - d.lam)[:, None]
    out += partner
    return np.asfortranarray(out)  # back to pandas' column-major layout


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller frames, print only")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-docs", action="store_true", help="print only")
    args = parser.parse_args(argv)
    scale = 5 if args.quick else 1
    long_rows, wide_rows = 10_000_000 // scale, 1_000_000 // scale
    rng = np.random.default_rng(0)
    long = pd.DataFrame(rng.standard_normal((long_rows, 4)), columns=list("abcd"))
    wide = pd.DataFrame(rng.standard_normal((wide_rows, 20)), columns=[f"c{j}" for j in range(20)])
    x_long, x_wide = long.to_numpy(), wide.to_numpy()
    column = np.ascontiguousarray(x_long[:, 0])
    positions = rng.integers(0, long_rows, long_rows)
    in_order = np.arange(long_rows)
    gathered = np.empty_like(column)
    d = _draw.draw(long_rows, long_rows, 4.0, np.random.default_rng(1))
    ops: dict[str, Callable[[], object]] = {
        "memcpy of one column": lambda: column.copy(),
        "np.take, positions in order": lambda: np.take(column, in_order, out=gathered, mode="clip"),
        "np.take, random positions": lambda: np.take(column, positions, out=gathered, mode="clip"),
        "memcpy, long frame": lambda: x_long.copy(order="K"),
        "mixup, long frame": lambda: mixupy.mixup(long, random_state=0),
        "memcpy, wide frame": lambda: x_wide.copy(order="K"),
        "mixup, wide frame": lambda: mixupy.mixup(wide, random_state=0),
        "draw alone, long frame": lambda: _draw.draw(long_rows, long_rows, 4.0, np.random.default_rng(0)),
        "kernel alone, long frame": lambda: _apply.mix_columns(list(x_long.T), d, np.dtype(np.float64)),
        "kernel, steps of 16,384 rows": with_chunk(
            1 << 14, lambda: _apply.mix_columns(list(x_long.T), d, np.dtype(np.float64))
        ),
        "kernel, steps of 1,048,576 rows": with_chunk(
            1 << 20, lambda: _apply.mix_columns(list(x_long.T), d, np.dtype(np.float64))
        ),
        "row-major copy, rows gathered": lambda: row_major_mix(x_long, d),
    }
    t = interleaved_medians(ops, clock, args.repeats)
    memcpy = t["memcpy of one column"]
    long_copy, wide_copy = t["memcpy, long frame"], t["memcpy, wide frame"]
    kernel = t["kernel alone, long frame"]
    lines = [
        f"| {long_rows:,} × 4 (float64) | median | / its memcpy | / the kernel's default |",
        "|---|---|---|---|",
        f"| memcpy of one column ({long_rows * 8 / 1e6:,.0f} MB) | {memcpy * 1e3:,.0f} ms | 1.00× | |",
        f"| `np.take` of one column, positions in order | {t['np.take, positions in order'] * 1e3:,.0f} ms "
        f"| {t['np.take, positions in order'] / memcpy:.2f}× | |",
        f"| `np.take` of one column, random positions (the floor of a random pair) "
        f"| {t['np.take, random positions'] * 1e3:,.0f} ms | {t['np.take, random positions'] / memcpy:.2f}× | |",
        f"| memcpy of the frame's values | {long_copy * 1e3:,.0f} ms | 1.00× | |",
        f"| `mixup(df)` | {t['mixup, long frame'] * 1e3:,.0f} ms | {t['mixup, long frame'] / long_copy:.2f}× | |",
        f"| … its draw alone | {t['draw alone, long frame'] * 1e3:,.0f} ms "
        f"| {t['draw alone, long frame'] / long_copy:.2f}× | |",
        f"| … its column kernel alone (steps of {_apply.MIX_CHUNK:,} rows) | {kernel * 1e3:,.0f} ms "
        f"| {kernel / long_copy:.2f}× | 1.00× |",
    ]
    for name in ("kernel, steps of 16,384 rows", "kernel, steps of 1,048,576 rows", "row-major copy, rows gathered"):
        lines.append(f"| {name} | {t[name] * 1e3:,.0f} ms | {t[name] / long_copy:.2f}× | {t[name] / kernel:.2f}× |")
    lines += [
        "",
        f"| {wide_rows:,} × 20 (float64), each column in cache | median | / its memcpy |",
        "|---|---|---|",
        f"| memcpy of the frame's values | {wide_copy * 1e3:,.0f} ms | 1.00× |",
        f"| `mixup(df)` | {t['mixup, wide frame'] * 1e3:,.0f} ms | {t['mixup, wide frame'] / wide_copy:.2f}× |",
        "",
        f"Measured on {platform.machine()} with {len(os.sched_getaffinity(0))} CPU(s), numpy "
        f"{np.__version__}, pandas {pd.__version__}, mixupy {mixupy.__version__}; medians of {args.repeats} "
        "interleaved calls after a warm-up. The kernel rows mix the same draw (α = 4) on the same columns.",
        "",
        f"Reproduce with `{command_line('bench_gather.py', argv)}`.",
    ]
    publish(lines, DOC, "gather", write=not (args.quick or args.no_docs))


if __name__ == "__main__":
    main(sys.argv[1:])
