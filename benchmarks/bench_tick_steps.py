"""Why a date column costs more than a float column: each NumPy step of the two column kernels, timed alone.

One step of each kernel on 32,768 synthetic rows (``_apply.MIX_CHUNK``'s float steps are longer, but the cost
per row is what is compared), drawn from a column of 1,000,000 values, the steps as the kernels make them
(``_apply._mix_column`` for float64, ``a - (1 - lam) * (a - b)``, and ``_apply._mix_ticks`` for int64 counts of
time, ``b + rint(lam * (a - b))``); the first sources are
read in place, as in a call that mixes every row once. Each step is timed side by side with the others in
one run (interleaved, medians), with a plain copy of the step's values as the floor. The figures go into
docs/benchmarks.md between markers.

    python benchmarks/bench_tick_steps.py              # writes the docs
    python benchmarks/bench_tick_steps.py --repeats 50 --no-docs
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from _report import command_line, interleaved_medians, publish

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
ROWS, STEP = 1_000_000, 1 << 15


def clock(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    for _ in range(20):  # one step takes tens of microseconds: time twenty in a row
        fn()
    return (time.perf_counter() - start) / 20


def steps() -> tuple[dict[str, Callable[[], object]], dict[str, str]]:
    rng = np.random.default_rng(0)
    floats = rng.random(ROWS)
    counts = rng.integers(1_577_836_800 * 10**9, 1_703_980_800 * 10**9, ROWS)  # 2020 to 2023, in ns
    second = rng.integers(0, ROWS, STEP).astype(np.intp)
    lam, rest = rng.random(STEP), np.empty(STEP)
    np.subtract(1.0, lam, out=rest)
    a_float, a_count = floats[:STEP], counts[:STEP]  # the first sources, read in place
    g, t, o = np.empty(STEP), np.empty(STEP), np.empty(STEP)  # float kernel: gathered, scratch, out
    b, f, out = np.empty(STEP, dtype=np.int64), np.empty(STEP), np.empty(STEP, dtype=np.int64)
    np.take(counts, second, out=b, mode="clip")
    np.subtract(a_count, b, out=f, casting="unsafe")
    ops: dict[str, Callable[[], object]] = {
        "float: gather b": lambda: np.take(floats, second, out=g, mode="clip"),
        "float: a - b": lambda: np.subtract(a_float, g, out=t),
        "float: times 1 - lam": lambda: np.multiply(t, rest, out=t),
        "float: a minus it": lambda: np.subtract(a_float, t, out=o),
        "time: gather b": lambda: np.take(counts, second, out=b, mode="clip"),
        "time: a - b in int64, cast to float64": lambda: np.subtract(a_count, b, out=f, casting="unsafe"),
        "time: times lam": lambda: np.multiply(f, lam, out=t),
        "time: round, cast to int64": lambda: np.rint(t, out=out, casting="unsafe"),
        "time: add b": lambda: np.add(out, b, out=out),
        "floor: copy 32,768 float64 values": lambda: np.copyto(o, a_float),
    }
    kernel = {name: name.split(":")[0] for name in ops}
    return ops, kernel


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=31, help="interleaved rounds (31 by default)")
    parser.add_argument("--no-docs", action="store_true", help=f"print only; do not update {DOC.name}")
    args = parser.parse_args(argv)
    ops, kernel = steps()
    medians = interleaved_medians(ops, clock, args.repeats, shuffle=True)
    lines = ["| one step of 32,768 rows | median | |", "|---|---|---|"]
    totals: dict[str, float] = {}
    for name, seconds in medians.items():
        lines.append(f"| {name} | {seconds * 1e6:.0f} µs | |")
        totals[kernel[name]] = totals.get(kernel[name], 0.0) + seconds
    gather = {k: medians[f"{k}: gather b"] for k in ("float", "time")}
    for k in ("float", "time"):
        lines.append(
            f"| **{k} kernel, all steps** | **{totals[k] * 1e6:.0f} µs** | "
            f"arithmetic {(totals[k] - gather[k]) * 1e6:.0f} µs, gather {gather[k] * 1e6:.0f} µs |"
        )
    lines.append(f"| time / float | {totals['time'] / totals['float']:.2f}× | |")
    versions = f"numpy {np.__version__}"
    lines += [
        "",
        f"Measured on {platform.machine()}, Python {platform.python_version()}, {versions}; each figure the median "
        f"of {args.repeats} interleaved rounds (the steps in a new order each round), each round timing 20 calls "
        "in a row; one thread.",
        "",
        f"Reproduce with `{command_line('bench_tick_steps.py', argv)}`.",
    ]
    publish(lines, DOC, "tick-steps", write=not args.no_docs)


if __name__ == "__main__":
    main(sys.argv[1:])
