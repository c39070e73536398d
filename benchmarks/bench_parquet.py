"""Parquet → Parquet through `mixupy augment`, beside a plain pyarrow read + write of the same file.

Generates two Parquet files (cached under benchmarks/_work/): 1,000,000 rows × 9 float columns + a class
column (augmented with --labels y), and 1,000,000 rows × 50 float columns. Then runs, each in a fresh child
process, interleaved over the repetitions (medians reported):

* the pyarrow copy: ``ParquetFile.iter_batches(batch_size=B)`` + ``ParquetWriter.write_batch``, row groups of
  B rows as mixupy writes them (B = --buffer-rows);
* `mixupy augment in.parquet -o out.parquet` (this checkout), and with --before SRC the same command run
  from another checkout's src/ (the code before a change), in the same run.

Peak memory is the child's maximum resident set size (os.wait4). With --pools, the same runs once more
under each of Arrow's memory pools as the process default (ARROW_DEFAULT_MEMORY_POOL in the child's
environment: the benchmark's choice for its own children; mixupy never sets it).

    python benchmarks/bench_parquet.py --before /path/to/old/src --pools   # writes docs/scaling.md
    python benchmarks/bench_parquet.py --rows 100000 --repeats 1 --no-docs  # quick
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
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work"
DOC = ROOT / "docs" / "scaling.md"
MARK = "parquet"
sys.path.insert(0, str(ROOT))

from _report import command_line, publish  # noqa: E402

PYARROW_COPY = textwrap.dedent(
    """
    import sys, pyarrow.parquet as pq
    source, target, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with pq.ParquetWriter(target, pq.ParquetFile(source).schema_arrow) as writer:
        for batch in pq.ParquetFile(source).iter_batches(batch_size=rows):
            writer.write_batch(batch)
    """
)


# Both in one process, after numpy, pandas, pyarrow and mixupy are imported: what each costs once started.
IN_PROCESS = textwrap.dedent(
    """
    import json, statistics, sys, time
    import pyarrow.parquet as pq
    from mixupy import mixup_file
    source, target, rows, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    options = json.loads(sys.argv[5])

    def copy():
        with pq.ParquetWriter(target, pq.ParquetFile(source).schema_arrow) as writer:
            for batch in pq.ParquetFile(source).iter_batches(batch_size=rows):
                writer.write_batch(batch)

    def augment():
        mixup_file(source, target, buffer_rows=rows, random_state=0, **options)

    times = {"pyarrow": [], "mixupy": []}
    for _ in range(repeats + 1):  # the first round warms up
        for name, fn in (("pyarrow", copy), ("mixupy", augment)):
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    print(json.dumps({name: statistics.median(t[1:]) for name, t in times.items()}))
    """
)


def in_one_process(path: Path, out: Path, rows: int, repeats: int, options: dict[str, str]) -> dict[str, float]:
    """Median seconds of the pyarrow copy and of mixup_file, interleaved in one fresh process after imports."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("ARROW_DEFAULT_MEMORY_POOL", None)
    command = [sys.executable, "-c", IN_PROCESS, str(path), str(out), str(rows), str(repeats), json.dumps(options)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def make_parquet(rows: int, columns: int, classes: bool) -> Path:
    """A Parquet file of ``rows`` x ``columns`` standard normal floats (and a class column ``y``), made once,
    in a child process: a child's peak RSS counts the pages of the parent it was forked from."""
    WORK.mkdir(exist_ok=True)
    path = WORK / f"parquet_{rows}x{columns}{'y' if classes else ''}.parquet"
    if not path.exists():
        code = f"import bench_parquet as b; b.write_parquet({str(path)!r}, {rows}, {columns}, {classes})"
        subprocess.run([sys.executable, "-c", code], cwd=HERE, check=True)
    return path


def write_parquet(target: str, rows: int, columns: int, classes: bool) -> None:
    path = Path(target)
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.standard_normal((rows, columns)), columns=[f"f{i}" for i in range(columns)])
    if classes:
        frame["y"] = np.array(["setosa", "versicolor", "virginica"])[rng.integers(0, 3, rows)]
    frame.to_parquet(path.with_suffix(".part"), index=False)
    path.with_suffix(".part").replace(path)


def measure(command: list[str], src: Path | None, pool: str | None) -> tuple[float, float]:
    """Run ``command`` in a fresh process; its wall-clock seconds and peak resident memory in MB."""
    env = {key: value for key, value in os.environ.items() if key != "ARROW_DEFAULT_MEMORY_POOL"}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    if pool is not None:
        env["ARROW_DEFAULT_MEMORY_POOL"] = pool
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    err = child.stderr.read().decode() if child.stderr else ""
    if os.waitstatus_to_exitcode(status):
        raise RuntimeError(f"{command} failed: {err}")
    return seconds, usage.ru_maxrss / 1024  # KiB on Linux


def run_cases(
    cases: dict[str, tuple[list[str], Path | None, str | None]], repeats: int
) -> dict[str, tuple[float, float]]:
    """Median seconds and median peak MB of each case, the cases interleaved in every repetition."""
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    for _ in range(repeats):
        for name, (command, src, pool) in cases.items():
            runs[name].append(measure(command, src, pool))
            print(f"  {name}: {runs[name][-1][0]:.2f} s, {runs[name][-1][1]:,.0f} MB", flush=True)
    return {name: (statistics.median(s for s, _ in r), statistics.median(m for _, m in r)) for name, r in runs.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--buffer-rows", type=int, default=500_000, help="mixupy --buffer-rows, the copy's batches")
    parser.add_argument("--repeats", type=int, default=3, help="interleaved repetitions (median), default 3")
    parser.add_argument("--before", type=Path, help="src/ of another checkout, run as the 'before' column")
    parser.add_argument("--pools", action="store_true", help="also run under each Arrow memory pool")
    parser.add_argument("--no-docs", action="store_true", help=f"print only; leave {DOC.name} alone")
    args = parser.parse_args(argv)
    import pyarrow as pa

    py, out = sys.executable, WORK / "parquet_out.parquet"
    tables = [("9 floats + class", make_parquet(args.rows, 9, True), ["--labels", "y"])]
    tables.append(("50 floats", make_parquet(args.rows, 50, False), []))
    warm = {
        title: in_one_process(path, out, args.buffer_rows, args.repeats, {"labels": "y"} if flags else {})
        for title, path, flags in tables
    }
    pools = [None, *(["system", "jemalloc", "mimalloc"] if args.pools else [])]
    codes = {"after": ROOT / "src", **({"before": args.before.resolve()} if args.before else {})}
    results: dict[tuple[str, str | None, str], tuple[float, float]] = {}
    for title, path, flags in tables:
        for pool in pools:
            cases: dict[str, tuple[list[str], Path | None, str | None]] = {
                "pyarrow": ([py, "-c", PYARROW_COPY, str(path), str(out), str(args.buffer_rows)], None, pool)
            }
            augment = ["-m", "mixupy", "augment", str(path), "-o", str(out), *flags, "--seed", "0", "--no-progress"]
            for code, src in codes.items():
                if pool is None or code == "after":  # under each pool: the copy and this checkout
                    cases[code] = ([py, *augment, "--buffer-rows", str(args.buffer_rows)], src, pool)
            print(f"{title}, pool {pool or 'default'}:", flush=True)
            for name, figures in run_cases(cases, args.repeats).items():
                results[title, pool, name] = figures
    default = pa.default_memory_pool().backend_name
    lines = [
        f"{args.rows:,} rows; row groups and blocks of {args.buffer_rows:,} rows; {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, pandas {pd.__version__}, pyarrow "
        f"{pa.__version__} (default memory pool: {default}). Each figure the median of {args.repeats} runs in "
        "fresh processes, the cases interleaved; peak memory is the process's maximum RSS.",
        "",
        "| table | Arrow pool (process default) | pyarrow read + write | "
        + " | ".join(f"mixupy {code}" for code in codes)
        + " | mixupy after / pyarrow |",
        "|---|---|---:|" + "---:|" * len(codes) + "---:|",
    ]
    for title, _, _ in tables:
        for pool in pools:
            copy = results[title, pool, "pyarrow"]
            figures = [results.get((title, pool, c)) for c in ("pyarrow", *codes)]
            cells = [f"{f[0]:.2f} s, {f[1]:,.0f} MB" if f else "" for f in figures]
            after = results[title, pool, "after"]
            ratio = f"{after[0] / copy[0]:.2f}× time, {after[1] / copy[1]:.2f}× memory"
            lines.append(f"| {title} | {pool or default + ' (default)'} | {' | '.join(cells)} | {ratio} |")
    out.unlink(missing_ok=True)
    lines += [
        "",
        "In one process, after numpy, pandas, pyarrow and mixupy are imported (`mixup_file` and the same pyarrow "
        f"copy, interleaved, medians of {args.repeats} after a warm-up):",
        "",
        "| table | pyarrow read + write | mixup_file | mixup_file / pyarrow |",
        "|---|---:|---:|---:|",
    ]
    for title, figures in warm.items():
        ratio = figures["mixupy"] / figures["pyarrow"]
        lines.append(f"| {title} | {figures['pyarrow']:.2f} s | {figures['mixupy']:.2f} s | {ratio:.2f}× |")
    lines += ["", f"Reproduce: `{command_line('bench_parquet.py', argv)}`"]
    publish(lines, DOC, MARK, write=not args.no_docs)


if __name__ == "__main__":
    main()
