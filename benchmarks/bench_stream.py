"""Stream large CSVs through `mixupy augment` on each engine, beside pyarrow's, polars' and pandas' own copies.

Generates CSVs of the given shapes (float columns at full precision and one class column ``y``, cached under
benchmarks/_work/), then runs, each in a fresh child process, interleaved (every case once per round, the
median of ``--repeats`` rounds):

* a pyarrow streaming copy (``pyarrow.csv.open_csv`` + ``CSVWriter``),
* a polars streaming copy (``scan_csv(...).sink_csv(...)``),
* a chunked pandas ``read_csv(chunksize)`` + ``to_csv``,
* ``mixupy augment --labels y --engine pandas`` and ``--engine pyarrow`` (default ``--buffer-rows``): the class
  column becomes one probability column per class, so mixupy writes 11 numbers a row (1M x 9),
* ``mixupy augment --keep y --engine pyarrow``: like for like with the copies, 8 floats and the class as text.

Peak memory is the child's maximum resident set size (``os.wait4``, from a small launcher process). The
table goes into docs/scaling.md between the ``stream`` markers.

    python benchmarks/bench_stream.py                          # 1M x 9 and 1M x 50, 3 rounds, writes the docs
    python benchmarks/bench_stream.py --shapes 100000x9 --repeats 1 --no-docs   # quick
    python benchmarks/bench_stream.py --pandas-repeats 0 --baseline-src ../main/src --no-docs  # no pandas cases,
                                                                   # mixupy beside another checkout's
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work"
DOC = ROOT / "docs" / "scaling.md"
MARK = "stream"
sys.path.insert(0, str(ROOT))

from _report import command_line, write_section  # noqa: E402

from mixupy.stream import DEFAULT_BUFFER_ROWS  # noqa: E402

PYARROW_COPY = textwrap.dedent(
    """
    import sys, pyarrow.csv as pcsv
    reader = pcsv.open_csv(sys.argv[1])
    with pcsv.CSVWriter(sys.argv[2], reader.schema) as writer:
        for batch in reader:
            writer.write_batch(batch)
    """
)
POLARS_COPY = textwrap.dedent(
    """
    import sys, polars as pl
    pl.scan_csv(sys.argv[1]).sink_csv(sys.argv[2])
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


def make_csv(rows: int, columns: int) -> Path:
    """A CSV of ``rows`` x ``columns`` (``columns - 1`` standard-normal floats written in full, and ``y``)."""
    WORK.mkdir(exist_ok=True)
    path = WORK / f"stream_{rows}x{columns}.csv"
    if path.exists():
        return path
    rng = np.random.default_rng(0)
    tmp = path.with_suffix(".part")
    with open(tmp, "w", newline="") as fh:
        for start in range(0, rows, 100_000):
            n = min(100_000, rows - start)
            chunk = pd.DataFrame(rng.standard_normal((n, columns - 1)), columns=[f"f{i}" for i in range(columns - 1)])
            chunk["y"] = np.array(["setosa", "versicolor", "virginica"])[rng.integers(0, 3, n)]
            chunk.to_csv(fh, header=start == 0, index=False)
    tmp.replace(path)
    return path


# The child is started by a small launcher process: a child forked from this process (numpy and pandas loaded)
# would count this process's memory at the fork in its own peak, which Linux keeps across exec.
LAUNCHER = textwrap.dedent(
    """
    import json, os, subprocess, sys, time
    start = time.perf_counter()
    child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = child.stderr.read().decode()
    _, status, usage = os.wait4(child.pid, 0)
    print(json.dumps([time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status), err]))
    """
)


def measure(command: list[str], src: Path = ROOT / "src") -> tuple[float, float]:
    """Run ``command`` with mixupy from ``src``; return its wall-clock seconds and peak resident memory in MB."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run([sys.executable, "-S", "-c", LAUNCHER, *command], env=env, capture_output=True, check=True)
    seconds, peak_kib, code, err = json.loads(done.stdout)
    if code:
        raise RuntimeError(f"{command} failed: {err}")
    return seconds, peak_kib / 1024  # ru_maxrss is in KiB on Linux


def cases(src: Path, out: Path, buffer_rows: int) -> dict[str, list[str]]:
    py = sys.executable
    augment = [py, "-m", "mixupy", "augment", str(src), "-o", str(out), "--seed", "0"]
    augment += ["--no-progress", "--buffer-rows", str(buffer_rows)]
    labels = [*augment, "--labels", "y"]
    return {
        "pyarrow copy (open_csv + CSVWriter)": [py, "-c", PYARROW_COPY, str(src), str(out)],
        "polars copy (scan_csv + sink_csv)": [py, "-c", POLARS_COPY, str(src), str(out)],
        f"pandas read_csv(chunksize={buffer_rows:_}) + to_csv": [
            py, "-c", PANDAS_CHUNKED, str(src), str(out), str(buffer_rows)
        ],
        "mixupy augment --labels y --engine pandas": [*labels, "--engine", "pandas"],
        "mixupy augment --labels y --engine pyarrow": [*labels, "--engine", "pyarrow"],
        # like for like: the copies write 8 floats and the class as text, and so does this one
        "mixupy augment --keep y --engine pyarrow": [*augment, "--keep", "y", "--engine", "pyarrow"],
    }  # fmt: skip


def run_shape(
    rows: int, columns: int, buffer_rows: int, repeats: int, pandas_repeats: int, baseline: Path | None = None
) -> list[str]:
    src = make_csv(rows, columns)
    out = WORK / "stream_out.csv"
    todo = {name: (command, ROOT / "src") for name, command in cases(src, out, buffer_rows).items()}
    if baseline is not None:  # the mixupy cases again, with mixupy from another checkout's src
        todo.update({f"{n} ({baseline})": (c, baseline) for n, (c, _) in list(todo.items()) if n.startswith("mixupy")})
    times: dict[str, list[float]] = {name: [] for name in todo}
    peaks: dict[str, list[float]] = {name: [] for name in todo}
    for round_ in range(repeats):  # interleaved: load on the machine hits every case alike
        for name, (command, mixupy_src) in todo.items():
            if "pandas" in name and round_ >= pandas_repeats:
                continue
            seconds, peak = measure(command, mixupy_src)
            times[name].append(seconds)
            peaks[name].append(peak)
            print(f"{rows}x{columns} {name}: {seconds:.2f} s, {peak:.0f} MB", flush=True)
    out.unlink(missing_ok=True)
    base = statistics.median(times["pyarrow copy (open_csv + CSVWriter)"])
    size = src.stat().st_size / 1e6
    lines = [
        f"**{rows:,} rows x {columns} columns** ({columns - 1} floats in full precision + class column `y`, "
        f"{size:,.0f} MB), medians of interleaved rounds:",
        "",
        "| case | runs | seconds | rows/s | throughput / pyarrow copy | peak memory (RSS) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name in todo:
        if not times[name]:  # a case left out (--pandas-repeats 0)
            continue
        seconds = statistics.median(times[name])
        peak = statistics.median(peaks[name])
        row = f"{len(times[name])} | {seconds:,.2f} | {rows / seconds:,.0f} | {base / seconds:.2f}x | {peak:,.0f} MB"
        lines.append(f"| {name} | {row} |")
    return [*lines, ""]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shapes", default="1000000x9,1000000x50", help="ROWSxCOLUMNS, separated by commas")
    parser.add_argument("--buffer-rows", type=int, default=DEFAULT_BUFFER_ROWS, help="mixupy --buffer-rows")
    parser.add_argument("--repeats", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument(
        "--pandas-repeats", type=int, default=None, help="rounds that run the pandas cases too (default: all; 0: none)"
    )
    parser.add_argument(
        "--baseline-src", type=Path, default=None, help="also run the mixupy cases with mixupy from this src folder"
    )
    parser.add_argument("--no-docs", action="store_true", help="print only, leave docs/scaling.md alone")
    args = parser.parse_args(argv)
    import polars
    import pyarrow

    lines = [
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"pandas {pd.__version__}, pyarrow {pyarrow.__version__}, polars {polars.__version__}. Each case in a "
        "fresh process; mixupy writes the mixed rows (17 significant digits; with `--labels y` one probability "
        "column per class, with `--keep y` the class as text, as the copies write it) where the copies write "
        "the input back.",
        "",
    ]
    for shape in args.shapes.split(","):
        rows, columns = (int(part) for part in shape.lower().split("x"))
        pandas_repeats = args.repeats if args.pandas_repeats is None else args.pandas_repeats
        lines += run_shape(rows, columns, args.buffer_rows, args.repeats, pandas_repeats, args.baseline_src)
    lines.append(f"Reproduce: `{command_line('bench_stream.py', argv)}`")
    table = "\n".join(lines)
    print(table)
    if not args.no_docs:
        write_section(DOC, MARK, table)


if __name__ == "__main__":
    main()
