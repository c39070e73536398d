"""Threads for large work: how many, and how to run on them, with no state kept between calls.

Each call that is worth threads starts its own short-lived pool and joins it
before returning. Nothing lives at module level, so a process forked after a
call (a PyTorch ``DataLoader`` worker, ``multiprocessing``, a Dask process
worker) starts clean: a pool cached in the parent would be inherited with
threads that do not exist in the child, and the child would wait on it forever.
Starting threads costs tens of microseconds; work below
:data:`PARALLEL_MIN_VALUES` values runs on the calling thread.

Results never depend on the number of threads: work is split into pieces whose
results are independent of who computes them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

__all__ = ["PARALLEL_MIN_VALUES", "THREADS_VARIABLE", "run_parallel", "thread_count"]

# Below this many values of work, threads cost more than they save.
PARALLEL_MIN_VALUES = 1 << 20
#: Environment variable that caps the threads mixupy uses (``1`` turns threading off).
THREADS_VARIABLE = "MIXUPY_NUM_THREADS"


def thread_count() -> int:
    """The threads mixupy may use: the CPUs this process may run on, capped by ``MIXUPY_NUM_THREADS``.

    Read at each call, so a setting made after import (or in a forked child)
    takes effect. A value that is not a positive integer is ignored.
    """
    try:
        available = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        available = os.cpu_count() or 1
    setting = os.environ.get(THREADS_VARIABLE, "").strip()
    if setting.isdigit() and int(setting) > 0:
        return max(1, min(available, int(setting)))
    return max(1, available)


def run_parallel(fn: Callable[[int], None], count: int, work: int) -> None:
    """Call ``fn(0) ... fn(count - 1)``, on several threads when ``work`` (values touched) is large.

    The calls must write to disjoint outputs; NumPy releases the GIL in the
    loops used here, so each core does its share. The pool is made for this
    call and gone when it returns.
    """
    threads = min(count, thread_count()) if work >= PARALLEL_MIN_VALUES else 1  # small work: not even asked
    if threads > 1:
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="mixupy") as pool:
            list(pool.map(fn, range(count)))
    else:
        for k in range(count):
            fn(k)
