"""``python -m mixupy`` and the ``mixupy`` command.

The first thing done is to answer Ctrl-C: until the command has imported what it needs (a few tenths of a
second: numpy, pandas), an interrupt prints one line and exits 130, with no traceback and nothing written.
From then on :func:`mixupy.cli.main` handles it, removing any unfinished output.
"""

import os
import signal
import sys


def _interrupted_while_starting(signum: int, frame: object) -> None:
    os.write(2, b"mixupy: interrupted\n")
    os._exit(128 + signum)


signal.signal(signal.SIGINT, _interrupted_while_starting)


def _memory_of_its_own_process() -> None:
    """The command runs in a process of its own, so it may choose how that process allocates (the library never
    does), for a peak about 45 MB lower on 1M x 9, at the same speed (docs/scaling.md, "Memory pool").

    Arrow's default pool becomes the system allocator, the one NumPy allocates from, so that what one frees the
    other reuses (pyarrow reads ``ARROW_DEFAULT_MEMORY_POOL`` when it is first used); and glibc keeps two heaps
    for all threads (``M_ARENA_MAX``; by default up to eight per core, each thread's frees kept in its own).
    A setting the user made, in either variable, is kept. Done before any thread starts.
    """
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    if sys.platform.startswith("linux") and "MALLOC_ARENA_MAX" not in os.environ:
        import contextlib
        import ctypes

        with contextlib.suppress(OSError, AttributeError):  # another libc has no mallopt
            ctypes.CDLL(None).mallopt(-8, 2)  # M_ARENA_MAX


_memory_of_its_own_process()

from mixupy.cli import main  # noqa: E402  (after the handler above, on purpose)


def entry() -> int:
    """The console script's entry point."""
    return main()


if __name__ == "__main__":
    raise SystemExit(main())
