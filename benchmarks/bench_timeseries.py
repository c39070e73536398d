"""Benchmark: synthetic series per second, side by side with a plain copy of the same values.

Measures, in one run on one machine:

- ``mixup_series_array`` on an array of shape (series, steps, channels), against
  ``x.copy()`` of that array;
- ``mixup_timeseries`` on the same values in long format (one row per series and
  step, with id and time columns), against ``df.copy()`` of that frame.

Each figure is the best of ``--repeat`` runs. The full run writes a table into
docs/timeseries.md between the markers ``<!-- bench:timeseries:start -->`` and
``<!-- bench:timeseries:end -->``; ``--quick`` runs small sizes and only prints.

    python benchmarks/bench_timeseries.py            # 10,000 series x 500 steps x 3 channels
    python benchmarks/bench_timeseries.py --quick
"""

from __future__ import annotations

import argparse
import platform
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _report import best_of, write_section  # noqa: E402

from mixupy import mixup_series_array, mixup_timeseries  # noqa: E402

DOC = ROOT / "docs" / "timeseries.md"
MARK = "timeseries"


def measure(n_series: int, steps: int, channels: int, repeat: int) -> list[tuple[str, float, float]]:
    """(what, seconds, seconds of the plain copy) for the array and the long-format frame."""
    x = np.random.default_rng(0).normal(size=(n_series, steps, channels))
    frame = pd.DataFrame(
        {
            "id": np.repeat(np.arange(n_series), steps),
            "t": np.tile(np.arange(steps), n_series),
            **{f"c{k}": x[:, :, k].ravel() for k in range(channels)},
        }
    )
    rows = []
    array_s = best_of(lambda: mixup_series_array(x, random_state=1), repeat)
    rows.append(("`mixup_series_array` (3-D array)", array_s, best_of(x.copy, repeat)))
    frame_s = best_of(lambda: mixup_timeseries(frame, id_col="id", time_col="t", random_state=1), repeat)
    rows.append(("`mixup_timeseries` (long DataFrame)", frame_s, best_of(lambda: frame.copy(), repeat)))
    return rows


def table(rows: list[tuple[str, float, float]], n_series: int, steps: int, channels: int, command: str) -> str:
    lines = [
        f"{n_series:,} series x {steps} steps x {channels} channels (float64), best of several runs, "
        f"on {platform.machine()} with Python {platform.python_version()}, NumPy {np.__version__}, "
        f"pandas {pd.__version__}. Reproduce with `{command}`.",
        "",
        "| input | mixup: synthetic series/s | plain copy: series/s | mixup time / copy time |",
        "|---|---:|---:|---:|",
    ]
    for what, seconds, copy_seconds in rows:
        lines.append(
            f"| {what} | {n_series / seconds:,.0f} | {n_series / copy_seconds:,.0f} | {seconds / copy_seconds:.1f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 series x 100 steps, one run, print only")
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--channels", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if args.quick:
        args.series, args.steps, args.repeat = 1_000, 100, 1
    rows = measure(args.series, args.steps, args.channels, args.repeat)
    text = table(rows, args.series, args.steps, args.channels, "python benchmarks/bench_timeseries.py")
    print(text)
    if not args.quick:
        write_section(DOC, MARK, text)
        print(f"written to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
