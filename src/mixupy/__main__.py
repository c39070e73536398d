"""``python -m mixupy`` and the ``mixupy`` command.

The first thing done is to answer Ctrl-C: until the command has imported what it needs (a few tenths of a
second: numpy, pandas), an interrupt prints one line and exits 130, with no traceback and nothing written.
From then on :func:`mixupy.cli.main` handles it, removing any unfinished output.
"""

import os
import signal


def _interrupted_while_starting(signum: int, frame: object) -> None:
    os.write(2, b"mixupy: interrupted\n")
    os._exit(128 + signum)


signal.signal(signal.SIGINT, _interrupted_while_starting)

from mixupy.cli import main  # noqa: E402  (after the handler above, on purpose)


def entry() -> int:
    """The console script's entry point."""
    return main()


if __name__ == "__main__":
    raise SystemExit(main())
