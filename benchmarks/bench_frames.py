"""What a polars DataFrame, LazyFrame or pyarrow Table costs mixup() on top of the pandas call it makes.

Frames of 20 float64 columns, 1,000,000 and 1,000 rows, and of 18 float64 columns with a class column and a
text column (``labels=``, ``categorical=``): ``mixup(df)`` on the pandas frame, then the same call on the same
data as a polars DataFrame, a polars LazyFrame (planned, then collected) and a pyarrow Table, which go in
through Arrow and come back in their own kind. Every call is timed side by side in one run (interleaved,
medians). The figures go into docs/benchmarks.md between markers.

    python benchmarks/bench_frames.py            # writes the docs
    python benchmarks/bench_frames.py --quick    # 100,000 and 1,000 rows, 3 repeats, prints only
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
from _report import command_line, interleaved_medians, publish

import mixupy

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def clock(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def frames(rows: int) -> dict[str, tuple[pd.DataFrame, dict[str, object]]]:
    rng = np.random.default_rng(0)
    floats = {f"x{j}": rng.random(rows) for j in range(20)}
    mixed = {f"x{j}": floats[f"x{j}"] for j in range(18)}
    mixed["y"] = np.array(["a", "b", "c"])[rng.integers(0, 3, rows)]
    mixed["town"] = np.array(["Oslo", "Lima", "Pune", "Rome"])[rng.integers(0, 4, rows)]
    return {
        "20 float64": (pd.DataFrame(floats), {}),
        "18 float64, class, text": (
            pd.DataFrame(mixed).astype({"town": "category"}),
            {"labels": "y", "categorical": "town"},
        ),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 and 1,000 rows, 3 repeats, print only")
    args = parser.parse_args(argv)
    sizes = [(100_000, 3), (1_000, 3)] if args.quick else [(1_000_000, 9), (1_000, 51)]
    lines = [
        "| rows × columns | pandas `mixup(df)` | polars DataFrame | polars LazyFrame | pyarrow Table |",
        "|---|---|---|---|---|",
    ]
    for rows, repeats in sizes:
        for name, (frame, options) in frames(rows).items():
            polars = pl.from_pandas(frame)
            table = pa.Table.from_pandas(frame, preserve_index=False)
            ops: dict[str, Callable[[], object]] = {
                "pandas": lambda f=frame, o=options: mixupy.mixup(f, random_state=0, **o),
                "polars": lambda f=polars, o=options: mixupy.mixup(f, random_state=0, **o),
                "lazy": lambda f=polars, o=options: mixupy.mixup(f.lazy(), random_state=0, **o).collect(),
                "pyarrow": lambda f=table, o=options: mixupy.mixup(f, random_state=0, **o),
            }
            medians = interleaved_medians(ops, clock, repeats)
            base = medians["pandas"]
            unit, scale = ("ms", 1e3) if rows >= 100_000 else ("µs", 1e6)
            cells = [f"{base * scale:,.0f} {unit}"]
            for kind in ("polars", "lazy", "pyarrow"):
                t = medians[kind]
                cells.append(f"{t * scale:,.0f} {unit} ({t / base:.2f}×, {(t - base) * scale:+,.0f} {unit})")
            lines.append(f"| {rows:,} × {name} | " + " | ".join(cells) + " |")
    versions = (
        f"numpy {np.__version__}, pandas {pd.__version__}, polars {pl.__version__}, pyarrow {pa.__version__}, "
        f"mixupy {mixupy.__version__}"
    )
    lines += [
        "",
        f"Measured on {platform.machine()}, Python {platform.python_version()}, {versions}; medians of "
        f"{sizes[0][1]} (large) and {sizes[1][1]} (small) interleaved calls after a warm-up. In brackets: the "
        "ratio to the pandas call on the same data, and the time added. The pandas frame holds one block per "
        "dtype, as one read from a file does. The LazyFrame's classes are in its data (a String column), so it "
        "is collected once, not planned; with 20 float columns it is planned and collected.",
        "",
        f"Reproduce with `{command_line('bench_frames.py', argv)}`.",
    ]
    publish(lines, DOC, "frames", write=not args.quick)


if __name__ == "__main__":
    main(sys.argv[1:])
