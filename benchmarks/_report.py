"""What every benchmark script shares: timers, and writing its figures into a docs page.

The scripts run as ``python benchmarks/bench_*.py``, so this folder is first on ``sys.path``
and ``from _report import ...`` finds this module.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path


def best_of(fn: Callable[[], object], repeats: int) -> float:
    """The shortest wall-clock time, in seconds, of ``repeats`` calls of ``fn``."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def write_section(doc: Path, mark: str, text: str) -> None:
    """Replace what stands between ``<!-- bench:MARK:start -->`` and ``<!-- bench:MARK:end -->`` in ``doc``."""
    start, end = f"<!-- bench:{mark}:start -->", f"<!-- bench:{mark}:end -->"
    page = doc.read_text(encoding="utf-8")
    if start not in page or end not in page.split(start, 1)[1]:
        msg = f"{doc} lacks the markers {start} ... {end}"
        raise ValueError(msg)
    head, rest = page.split(start, 1)
    tail = rest.split(end, 1)[1]
    doc.write_text(f"{head}{start}\n{text}\n{end}{tail}", encoding="utf-8")


def interleaved_medians(
    ops: dict[str, Callable[[], object]],
    clock: Callable[[Callable[[], object]], float],
    repeats: int,
    *,
    shuffle: bool = False,
) -> dict[str, float]:
    """Median seconds of each operation after one warm-up call each, calls interleaved so that load on the
    machine hits all alike; ``clock(fn)`` times one call. With ``shuffle`` each round runs the operations in
    a new order (seeded), so that none is always timed right after the same one (a call that leaves the
    caches and the allocator full of its strings slows whichever call comes next)."""
    for fn in ops.values():  # warm up: allocator, kernels, threads
        clock(fn)
    times: dict[str, list[float]] = {name: [] for name in ops}
    order = random.Random(0)
    for _ in range(repeats):
        names = list(ops)
        if shuffle:
            order.shuffle(names)
        for name in names:
            times[name].append(clock(ops[name]))
    return {name: statistics.median(values) for name, values in times.items()}


def command_line(script: str, argv: list[str] | None) -> str:
    """How the script was run, as the page should say: ``python benchmarks/SCRIPT ARGS``."""
    return " ".join(["python", f"benchmarks/{script}", *(argv if argv is not None else sys.argv[1:])])


def publish(lines: list[str], doc: Path, mark: str, *, write: bool) -> None:
    """Print the figures and, when ``write``, put them into ``doc`` between the markers of ``mark``."""
    text = "\n".join(lines).rstrip()
    print(text)
    if write:
        write_section(doc, mark, text)
        print(f"\nwritten to {doc}")


def batch_parser(description: str | None, doc: Path) -> argparse.ArgumentParser:
    """The options of a script that times operations on a batch of images: --quick, --batch, --repeats, --no-docs."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="batch of 16, 3 repeats")
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--no-docs", action="store_true", help=f"print only; do not update {doc.name}")
    return parser
