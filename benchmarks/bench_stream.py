"""Stream a large CSV through `mixupy augment`: peak memory and rows per second, beside pandas.

Generates a CSV of the given size (10 float columns and a class column, cached
under benchmarks/_work/), then runs, each in a fresh child process and in the
same run:

* `mixupy augment` (streaming, --labels y, default --buffer-rows),
* pandas' own read_csv + to_csv of the whole file (in memory),
* a chunked pandas read_csv(chunksize) + to_csv (a streaming copy, the floor).

Peak memory is the child's maximum resident set size (os.wait4). The table is
written into docs/scaling.md between the markers.

    python benchmarks/bench_stream.py                 # 2 GB, writes the docs
    python benchmarks/bench_stream.py --size-mb 50    # quick
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work"
DOC = ROOT / "docs" / "scaling.md"
MARK = "stream"
sys.path.insert(0, str(ROOT))

from _report import write_section  # noqa: E402

from mixupy.stream import DEFAULT_BUFFER_ROWS  # noqa: E402

COLUMNS = 10

PANDAS_COPY = textwrap.dedent(
    """
    import sys, pandas as pd
    pd.read_csv(sys.argv[1]).to_csv(sys.argv[2], index=False)
    """
)
PANDAS_CHUNKED = textwrap.dedent(
    """
    import sys, pandas as pd
    with open(sys.argv[2], "w", newline="") as fh:
        for i, chunk in enumerate(pd.read_csv(sys.argv[1], chunksize=int(sys.argv[3]))):
            chunk.to_csv(fh, header=i == 0, index=False)
    """
)


def make_csv(size_mb: int) -> tuple[Path, int]:
    """A CSV of about ``size_mb`` megabytes, made once; returns its path and its number of rows."""
    WORK.mkdir(exist_ok=True)
    path = WORK / f"stream_{size_mb}mb.csv"
    rows_file = path.with_suffix(".rows")
    if path.exists() and rows_file.exists():
        return path, int(rows_file.read_text())
    rng = np.random.default_rng(0)
    target = size_mb * 1_000_000
    rows = 0
    tmp = path.with_suffix(".part")
    with open(tmp, "w", newline="") as fh:
        while fh.tell() < target:
            chunk = pd.DataFrame(rng.standard_normal((200_000, COLUMNS)), columns=[f"f{i}" for i in range(COLUMNS)])
            chunk["y"] = np.array(["setosa", "versicolor", "virginica"])[rng.integers(0, 3, len(chunk))]
            chunk.to_csv(fh, header=rows == 0, index=False, float_format="%.6f")
            rows += len(chunk)
    tmp.replace(path)
    rows_file.write_text(str(rows))
    return path, rows


def measure(command: list[str]) -> tuple[float, float]:
    """Run ``command``; return its wall-clock seconds and peak resident memory in MB."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    err = child.stderr.read().decode() if child.stderr else ""
    if child.returncode:
        raise RuntimeError(f"{command} failed: {err}")
    return seconds, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=2000, help="size of the generated CSV (default 2000)")
    parser.add_argument("--buffer-rows", type=int, default=DEFAULT_BUFFER_ROWS, help="mixupy --buffer-rows")
    parser.add_argument("--no-docs", action="store_true", help="print only, leave docs/scaling.md alone")
    args = parser.parse_args()

    src, rows = make_csv(args.size_mb)
    out = WORK / "stream_out.csv"
    size = src.stat().st_size / 1e6
    py = sys.executable
    augment_options = ["--seed", "0", "--no-progress", "--buffer-rows", str(args.buffer_rows)]
    cases = [
        (
            f"mixupy augment --labels y (streaming, --buffer-rows {args.buffer_rows:_})",
            [py, "-m", "mixupy", "augment", str(src), "-o", str(out), "--labels", "y", *augment_options],
        ),
        ("pandas read_csv + to_csv, whole file", [py, "-c", PANDAS_COPY, str(src), str(out)]),
        (
            f"pandas read_csv(chunksize={args.buffer_rows:_}) + to_csv",
            [py, "-c", PANDAS_CHUNKED, str(src), str(out), str(args.buffer_rows)],
        ),
    ]
    lines = [
        f"CSV of {size:,.0f} MB: {rows:,} rows x {COLUMNS} float columns + 1 class column; "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"pandas {pd.__version__}. Each case in a fresh process, one after the other, in one run.",
        "",
        "| case | seconds | rows/s | MB/s (input) | output MB | peak memory (RSS) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, command in cases:
        seconds, peak = measure(command)
        written = out.stat().st_size / 1e6
        speed = f"{seconds:,.1f} | {rows / seconds:,.0f} | {size / seconds:,.1f}"
        lines.append(f"| {name} | {speed} | {written:,.0f} | {peak:,.0f} MB |")
        print(lines[-1], flush=True)
    out.unlink(missing_ok=True)
    lines += ["", f"Reproduce: `python benchmarks/bench_stream.py --size-mb {args.size_mb}`"]
    table = "\n".join(lines)
    print(table)
    if not args.no_docs:
        write_section(DOC, MARK, table)


if __name__ == "__main__":
    main()
