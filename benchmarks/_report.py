"""What every benchmark script shares: a best-of timer, and writing its figures into a docs page.

The scripts run as ``python benchmarks/bench_*.py``, so this folder is first on ``sys.path``
and ``from _report import ...`` finds this module.
"""

from __future__ import annotations

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
