"""mixup_dask on a LocalCluster against mixup() in one process, same data, in one run.

The data (float columns and one-hot labels) is made partition by partition
from fixed seeds: on the workers for Dask (dd.from_map, so no data travels from
the client), in this process for pandas. Timed, best of --repeats:

* pandas: mixup(df) on the whole frame, in this process;
* Dask threads: mixup_dask(...).persist() on the threaded scheduler;
* LocalCluster: mixup_dask(...).persist() on 2 worker processes, 1 thread each;
* LocalCluster, making the data only (persist without mixup): the floor.

The Dask timings include making the data on the workers; the floor shows how
much of it that is. The table goes into docs/scaling.md between the markers.

    python benchmarks/bench_dask.py                   # 10 million rows, writes the docs
    python benchmarks/bench_dask.py --rows 1000000    # quick
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
from distributed import Client, LocalCluster, wait

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _report import best_of, write_section  # noqa: E402

from mixupy import mixup, mixup_dask  # noqa: E402

DOC = ROOT / "docs" / "scaling.md"
MARK = "dask"
COLUMNS = 10


def make_partition(spec: tuple[int, int]) -> pd.DataFrame:
    seed, rows = spec
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.standard_normal((rows, COLUMNS)), columns=[f"f{i}" for i in range(COLUMNS)])
    label = rng.integers(0, 3, rows)
    for k in range(3):
        frame[f"y{k}"] = (label == k).astype(np.float64)
    return frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000, help="rows in all (default 10 million)")
    parser.add_argument("--partitions", type=int, default=8, help="Dask partitions (default 8)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-docs", action="store_true", help="print only, leave docs/scaling.md alone")
    args = parser.parse_args()

    per = -(-args.rows // args.partitions)
    specs = [(i, min(per, args.rows - i * per)) for i in range(args.partitions)]
    labels = ["y0", "y1", "y2"]

    def lazy() -> dd.DataFrame:
        return dd.from_map(make_partition, specs, divisions=[None] * (len(specs) + 1))

    df = pd.concat([make_partition(s) for s in specs], ignore_index=True)
    timings: list[tuple[str, float]] = []
    timings.append(
        ("pandas: mixup(df), one process", best_of(lambda: mixup(df, labels=labels, random_state=0), args.repeats))
    )
    with dask.config.set(scheduler="threads"):
        seconds = best_of(lambda: mixup_dask(lazy(), labels=labels, random_state=0).persist(), args.repeats)
    timings.append(("Dask threaded scheduler: mixup_dask(...).persist()", seconds))

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):

        def on_cluster(mix: bool) -> None:
            frame = lazy()
            result = client.persist(mixup_dask(frame, labels=labels, random_state=0) if mix else frame)
            wait(result)
            del result

        timings.append(
            ("LocalCluster, 2 processes x 1 thread: mixup_dask", best_of(lambda: on_cluster(True), args.repeats))
        )
        timings.append(
            ("LocalCluster, 2 processes x 1 thread: making the data only", best_of(lambda: on_cluster(False), 2))
        )

    lines = [
        f"{args.rows:,} rows x {COLUMNS} float columns + 3 one-hot label columns, {args.partitions} partitions; "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"pandas {pd.__version__}, dask {dask.__version__}. Best of {args.repeats}, all in one run.",
        "",
        "| case | seconds | rows/s |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {s:,.2f} | {args.rows / s:,.0f} |" for name, s in timings]
    lines += ["", f"Reproduce: `python benchmarks/bench_dask.py --rows {args.rows}`"]
    table = "\n".join(lines)
    print(table)
    if not args.no_docs:
        write_section(DOC, MARK, table)


if __name__ == "__main__":
    main()
