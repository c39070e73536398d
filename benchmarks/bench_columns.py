"""What a categorical, a date or a kept column costs in mixup(df), against a numeric column of the same size.

Frames of 1,000,000 rows: one float64 column alone (the baseline), and with 9 columns of one kind each: float64,
float64 again in a frame of its own (a control: two identical cases differ only by the run's noise), int64,
``category`` (``categorical=``), text carried unmixed (``keep=``), ``datetime64``, zoned ``datetime64`` and
``timedelta64`` (mixed as points in time). Each case is timed side by side in one run (calls
interleaved, medians), with ``ndarray.copy()`` of the 10 columns as the floor. The figures go into
docs/benchmarks.md between markers.

    python benchmarks/bench_columns.py            # full size, writes the docs
    python benchmarks/bench_columns.py --quick    # 100,000 rows, prints only
    python benchmarks/bench_columns.py --rows 10000000 --kinds float64,datetime64,timedelta64   # prints only
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _report import command_line, interleaved_medians, publish

import mixupy

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def clock(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start


KINDS = 9  # columns of each kind added to one float64 column


def frames(rows: int, only: list[str] | None = None) -> dict[str, tuple[pd.DataFrame, dict[str, object]]]:
    rng = np.random.default_rng(0)
    base = pd.DataFrame({"x": rng.random(rows)})
    names = [f"c{j}" for j in range(KINDS)]

    def columns(make: object) -> pd.DataFrame:
        return pd.DataFrame({name: make() for name in names})  # type: ignore[operator]

    regions = np.array(["north", "south", "east", "west"])
    kinds = {
        "float64": (lambda: rng.random(rows), {}),
        # the same kind once more, in a frame of its own: how far two identical cases drift apart in one run
        "float64 again (the run's noise)": (lambda: rng.random(rows), {}),
        "int64": (lambda: rng.integers(0, 10**9, rows), {}),
        "category, categorical=": (lambda: pd.Categorical(regions[rng.integers(0, 4, rows)]), {"categorical": names}),
        "text, keep=": (
            lambda: pd.array(np.char.add("id", rng.integers(0, 10**6, rows).astype(str)), dtype="str"),
            {"keep": names},
        ),
        "datetime64": (
            lambda: (
                pd.Series(pd.date_range("2020-01-01", periods=rows, freq="min"))
                .sample(frac=1.0, random_state=0)
                .to_numpy()
            ),
            {},
        ),
        "datetime64 with a zone": (
            lambda: (
                pd.Series(pd.date_range("2020-01-01", periods=rows, freq="min", tz="Europe/Paris"))
                .sample(frac=1.0, random_state=0)
                .array
            ),
            {},
        ),
        "timedelta64": (
            lambda: pd.to_timedelta(rng.permutation(rows), unit="s").to_numpy(),
            {},
        ),
    }
    cases = {"1 float64 column alone (the baseline)": (base.copy(), {})}
    for kind, (make, options) in kinds.items():
        if only is not None and not kind.startswith("float64") and not any(kind.startswith(name) for name in only):
            continue
        # .copy() consolidates the columns into one block per dtype, as a frame read from a file has them
        cases[f"and {KINDS} columns of {kind}"] = (pd.concat([base, columns(make)], axis=1).copy(), options)
    return cases


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 rows, 3 repeats, print only")
    parser.add_argument("--rows", type=int, help="rows per frame (prints only)")
    parser.add_argument("--kinds", help="comma-separated kinds to time beside float64, e.g. datetime64 (prints only)")
    parser.add_argument("--repeats", type=int, help="interleaved calls per case (9 by default, 3 with --quick)")
    args = parser.parse_args(argv)
    rows, repeats = (100_000, 3) if args.quick else (1_000_000, 9)
    rows, repeats = args.rows or rows, args.repeats or repeats
    cases = frames(rows, args.kinds.split(",") if args.kinds else None)
    floor = np.random.default_rng(1).random((10, rows))
    ops: dict[str, object] = {"`ndarray.copy()` of 10 float64 columns": floor.copy}
    for name, (frame, options) in cases.items():
        ops[name] = lambda frame=frame, options=options: mixupy.mixup(frame, random_state=0, **options)
    medians = interleaved_medians(ops, clock, repeats, shuffle=True)  # type: ignore[arg-type]
    baseline = medians["1 float64 column alone (the baseline)"]
    numeric = (medians[f"and {KINDS} columns of float64"] - baseline) / KINDS
    lines = [
        f"| {rows:,} rows: 1 float64 column … | median | per added column | / a float64 column's |",
        "|---|---|---|---|",
    ]
    for name, seconds in medians.items():
        if name.startswith("`") or "alone" in name:
            lines.append(f"| {name} | {seconds * 1000:.0f} ms | | |")
        else:
            each = (seconds - baseline) / KINDS
            lines.append(f"| {name} | {seconds * 1000:.0f} ms | {each * 1000:.1f} ms | {each / numeric:.2f}× |")
    versions = f"numpy {np.__version__}, pandas {pd.__version__}, mixupy {mixupy.__version__}"
    lines += [
        "",
        f"Measured on {platform.machine()}, Python {platform.python_version()}, {versions}; medians of {repeats} "
        "interleaved calls after a warm-up, the cases in a new order each round. Per added column: (the call − "
        f"the baseline) / {KINDS}; the last column divides it by the same for float64 columns. Dates and "
        "durations are in random order, as in a shuffled table.",
        "",
        f"Reproduce with `{command_line('bench_columns.py', argv)}`.",
    ]
    publish(lines, DOC, "columns", write=not (args.quick or args.rows or args.kinds))


if __name__ == "__main__":
    main(sys.argv[1:])
