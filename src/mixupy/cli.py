"""The ``mixupy`` command: ``mixupy augment IN.csv -o OUT.csv`` and ``mixupy demo``.

``augment`` streams: it reads CSV or Parquet in blocks of ``--buffer-rows`` rows
and mixes each block on its own (see :mod:`mixupy.stream`), so files larger than
memory work; a file of at most that many rows is mixed as ``mixup()`` mixes it.

Exit codes: 0 success, 1 bad data (the input cannot be mixed), 2 usage errors
(bad options, missing files or label columns, output that would overwrite the input).
Output files appear only when complete: they are written to a temporary file
beside the target and renamed into place.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import errno
import os
import queue
import re
import signal
import sys
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from mixupy import __version__
from mixupy import _cli_args as _args

# Only the standard library is imported here, so that the command answers Ctrl-C cleanly from its first
# moment; numpy, pandas and the mixing code are imported by the sub-commands, once the signals are handled.

__all__ = ["main"]

EXIT_DATA = 1
EXIT_USAGE = 2
# Signals that end a run: each removes the unfinished output and exits with 128 + its number, as a shell does.
_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGQUIT") if hasattr(signal, name))
# The code of the standard library's locks, queues and pools: a signal is never raised in it (_when_safe).
_LOCK_CODE = (threading.__file__, queue.__file__, os.path.dirname(concurrent.futures.__file__) + os.sep)
# errno values that mean the command named a path it cannot use: a usage error, not bad data
_PATH_ERRORS = frozenset(
    {
        errno.ENOENT,
        errno.EISDIR,
        errno.ENOTDIR,
        errno.EACCES,
        errno.EPERM,
        errno.ENAMETOOLONG,
        errno.EEXIST,
        errno.EROFS,
        errno.ELOOP,
    }
)


class UsageError(Exception):
    """A problem with how the command was called (exit code 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error said in one line (argparse puts the whole usage block before it)."""

    def error(self, message: str) -> Any:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")

    def parse_args(self, args: Any = None, namespace: Any = None) -> Any:
        """argparse's, with a flag the command does not know said by that command (``mixupy augment``, whose
        help lists its flags), where argparse says it as ``mixupy``."""
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            command = getattr(parsed, "command", None)
            parser = self if command is None else _Parser(prog=f"{self.prog} {command}")
            parser.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``mixupy`` command."""
    parser = _Parser(
        prog="mixupy",
        description="mixup data augmentation: new rows as convex combinations of pairs of rows.",
    )
    parser.add_argument("--version", action="version", version=f"mixupy {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    _add_augment(sub)
    demo = sub.add_parser("demo", help="mix the bundled iris data and summarise before and after")
    demo.add_argument("-a", "--alpha", type=_args.alpha, default=4.0, help="Beta(alpha, alpha) parameter (default 4)")
    demo.add_argument("--seed", type=_args.seed, default=0, help="random seed, an integer >= 0 (default 0)")
    demo.add_argument(
        "--plot",
        metavar="PATH",
        default=None,
        help="also write a figure of the mix to PATH (PNG, SVG or PDF; needs mixupy[plot])",
    )
    return parser


def _add_augment(sub: Any) -> None:
    """The ``augment`` sub-command and its options."""
    from mixupy._defaults import DEFAULT_BUFFER_ROWS

    aug = sub.add_parser(
        "augment",
        help="mix the rows of a CSV or Parquet file",
        description="Mix the rows of a CSV or Parquet file, block by block, with bounded memory.",
    )
    aug.add_argument("input", type=Path, help="input CSV or Parquet (.parquet, .pq) file with a header row")
    aug.add_argument(
        "-o",
        "--output",
        required=True,
        help="output CSV or Parquet (.parquet, .pq) file, or - for CSV on standard output",
    )
    aug.add_argument(
        "-a", "--alpha", type=_args.alpha, default=4.0, help="Beta(alpha, alpha) parameter, >= 0 (default 4)"
    )
    aug.add_argument(
        "-n", "--rows", type=_args.count, default=None, help="number of synthetic rows (default: as many as the input)"
    )
    aug.add_argument("--concat", action="store_true", help="write the original rows first, then the synthetic ones")
    aug.add_argument(
        "--labels",
        type=_args.labels,
        default=None,
        help="one class column (any values), or one-hot columns separated by commas",
    )
    aug.add_argument(
        "--label-mode", choices=["mix", "dominant"], default="mix", help="mix labels, or keep the dominant row's label"
    )
    aug.add_argument("--within-class", action="store_true", help="pair rows of the same class only")
    aug.add_argument(
        "--categorical",
        type=_args.names,
        default=None,
        metavar="COLUMNS",
        help="categorical columns (names separated by commas, or 'auto' for every column that is not numbers): "
        "each new row takes the category of its dominant source",
    )
    aug.add_argument(
        "--categorical-mode",
        choices=["dominant", "random"],
        default="dominant",
        help="dominant: the category of the source with the larger weight; random: the first source's with "
        "probability lambda (default dominant)",
    )
    aug.add_argument(
        "--keep", type=_args.names, default=None, metavar="COLUMNS", help="columns carried unmixed (an id, a group)"
    )
    _add_pairing(aug)
    _add_reading(aug)
    aug.add_argument(
        "--seed", type=_args.seed, default=None, help="random seed (an integer >= 0) for a reproducible result"
    )
    aug.add_argument(
        "--buffer-rows",
        type=_args.count,
        default=DEFAULT_BUFFER_ROWS,
        help="rows read and mixed at a time: pairs are drawn within each block of this many consecutive rows, "
        f"and memory grows with it (default {DEFAULT_BUFFER_ROWS})",
    )
    aug.add_argument(
        "--engine",
        choices=["auto", "pyarrow", "pandas"],
        default="auto",
        help="what reads and writes CSV: auto (pyarrow when installed), pyarrow or pandas; the output is the "
        "same file byte for byte (default auto)",
    )
    aug.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on standard error (default: when it is a terminal and tqdm is installed)",
    )


def _add_reading(aug: Any) -> None:
    """The options of ``augment`` that say how the input is read: columns left out, dates, the separator."""
    aug.add_argument("--drop", type=_args.names, default=None, metavar="COLUMNS", help="columns left out of the output")
    aug.add_argument(
        "--dates", type=_args.names, default=None, metavar="COLUMNS", help="columns to read as dates, mixed in time"
    )
    aug.add_argument(
        "--date-format",
        type=_args.date_format,
        default=None,
        metavar="FORMAT",
        help="how the --dates columns are written, as strftime writes it ('%%d/%%m/%%Y %%H:%%M' for day first); "
        "default: guessed from each column's first value, month first when that reads both ways",
    )
    aug.add_argument(
        "--sep", type=_args.sep, default=",", help="the CSV field separator, of the input and the output (default ,)"
    )


def _add_pairing(aug: Any) -> None:
    """The options of ``augment`` that say how partners are drawn: by target distance or nearest neighbours."""
    aug.add_argument(
        "--target",
        type=_args.names,
        default=None,
        metavar="COLUMNS",
        help="the continuous target column(s) of a regression (names separated by commas), mixed like the "
        "features; --pairing target pairs rows by them",
    )
    aug.add_argument(
        "--pairing",
        choices=["random", "target", "neighbors"],
        default="random",
        help="how each row's partner is drawn: random (uniform), target (rows of close --target values, "
        "C-Mixup's Gaussian kernel of width --bandwidth), neighbors (one of the --k-neighbors nearest rows "
        "in feature space); within each block (default random)",
    )
    aug.add_argument(
        "--bandwidth",
        type=_args.bandwidth,
        default=None,
        metavar="SIGMA",
        help="the kernel's sigma for --pairing target, in the target's units (default: Silverman's rule, "
        "from each block's targets)",
    )
    aug.add_argument(
        "--k-neighbors",
        type=_args.count,
        default=None,
        metavar="K",
        help="nearest rows to draw a partner from, for --pairing neighbors (default 5)",
    )


class Stopped(BaseException):
    """A signal asked the run to stop; raised in the main thread so that the unfinished output is removed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _stop_signals_raise() -> Iterator[None]:
    """While the command runs, SIGTERM, SIGHUP and SIGQUIT raise :class:`Stopped`.

    Ctrl-C is left to :mod:`mixupy.__main__`'s handler (one line, exit 130 at once) until
    :func:`_interrupt_raises` is called, once the libraries are loaded: an interrupt raised inside an import
    can come out of C code as another error (NumPy's "could not import module datetime"), with a traceback.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    previous = {signum: signal.signal(signum, _when_safe(Stopped)) for signum in _STOP_SIGNALS}
    previous[signal.SIGINT] = signal.getsignal(signal.SIGINT)  # put back on the way out
    alarm = getattr(signal, "SIGALRM", None)  # _when_safe's, if a signal came inside lock code
    if alarm is not None:
        previous[alarm] = signal.getsignal(alarm)
    try:
        yield
    finally:
        deferred = None
        try:  # the alarm may yet go off here, and raise: the handlers are put back all the same
            if alarm is not None and (ours := signal.getsignal(alarm)) is not previous[alarm]:
                # a signal put off and not yet acted on while the alarm is still armed
                deferred = ours if signal.setitimer(signal.ITIMER_REAL, 0)[0] > 0 else None
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        if alarm is not None and callable(deferred):  # acted on now, never lost: it raises its error
            deferred(alarm, None)


def _when_safe(error: Callable[[int], BaseException]) -> Callable[[int, Any], None]:
    """A signal handler that raises ``error(signum)`` in the main thread, never inside the standard library's
    locks, queues and thread pools (``_LOCK_CODE``).

    There, Python can raise it between a lock's acquire and the ``with`` that would release it: an interrupt
    inside ``with condition:`` left the condition's lock held about half the time (Python 3.11, measured), and
    a thread pool whose future's lock is held never ends, so the run hung in its cleanup instead of exiting.
    Inside that code, the signal is put off: SIGALRM, a millisecond later, looks again (a signal sent to the
    process itself would be handled at once, inside this handler). ``_stop_signals_raise`` puts SIGALRM back.
    """

    def handler(signum: int, frame: Any) -> None:
        at = frame
        while at is not None and hasattr(signal, "setitimer"):
            if at.f_code.co_filename.startswith(_LOCK_CODE):
                signal.signal(signal.SIGALRM, lambda _alarm, later: handler(signum, later))
                signal.setitimer(signal.ITIMER_REAL, 0.001)
                return
            at = at.f_back
        raise error(signum)

    return handler


def _same_file(input_path: Path, output: str) -> bool:
    if output == "-" or not os.path.exists(output):
        return False
    return os.path.samefile(input_path, output)


def _check_options(args: argparse.Namespace) -> None:
    """Options that only make sense together, checked before any file is read (usage errors, exit 2)."""
    for flag, value in (
        ("--keep", args.keep),
        ("--drop", args.drop),
        ("--dates", args.dates),
        ("--target", args.target),
    ):
        if value == "auto":
            raise UsageError(f"{flag} takes column names; 'auto' is for --categorical")
    if args.output != "-" and not os.path.exists(args.output):
        suffix = Path(args.output).suffix.lower()
        if suffix not in (".csv", ".parquet", ".pq"):
            msg = f"-o {args.output}: the output must end in .csv or .parquet (or .pq), or be - for standard output"
            raise UsageError(msg)
    if args.labels is None and (args.label_mode == "dominant" or args.within_class):
        option = "--within-class" if args.within_class else "--label-mode dominant"
        msg = f"{option} keeps each row's class exactly, so it needs the class column: add --labels COLUMN"
        raise UsageError(msg)
    if args.date_format is not None and args.dates is None:
        raise UsageError("--date-format says how the --dates columns are written: add --dates COLUMNS")
    if args.pairing == "target" and args.target is None:
        msg = "--pairing target pairs rows by the distance between their targets: add --target COLUMN"
        raise UsageError(msg)
    for flag, value, pairing in (
        ("--bandwidth", args.bandwidth, "target"),
        ("--k-neighbors", args.k_neighbors, "neighbors"),
    ):
        if value is not None and args.pairing != pairing:
            msg = f"{flag} serves --pairing {pairing} only, and the pairing is {args.pairing}: add --pairing {pairing}"
            raise UsageError(msg + f" (or leave {flag} out)")


def run_augment(args: argparse.Namespace) -> None:
    """The ``augment`` sub-command."""
    _check_options(args)
    if not args.input.is_file():
        from mixupy._files import not_a_file

        stream = args.input.exists() or str(args.input) == "-"  # - is standard input, as -o - is standard output
        msg = not_a_file(args.input) if stream else f"input file not found: {args.input}"
        raise UsageError(msg)
    if _same_file(args.input, args.output) or (
        not os.path.exists(args.output) and os.path.abspath(args.output) == os.path.abspath(args.input)
    ):
        msg = f"output {args.output} is the input file; choose another output path"
        raise UsageError(msg)
    labels: Any = None
    if args.labels is not None:
        labels = args.labels[0] if len(args.labels) == 1 else args.labels
    from mixupy._files import is_parquet

    parquet = [is_parquet(Path(path)) for path in (args.input, args.output)]
    libraries = ["pyarrow.parquet"] if any(parquet) else []  # what this run will use, and only that
    if args.engine != "pandas" and not all(parquet):  # a CSV side, read or written by pyarrow when it is there
        libraries += ["pyarrow.csv", "pyarrow.compute"]
    _interrupt_raises("mixupy.stream", *libraries, *(["tqdm"] if args.progress is not False else []))
    from mixupy._validation import TooLargeError
    from mixupy.stream import mixup_file

    try:
        rows, columns = mixup_file(
            args.input,
            sys.stdout if args.output == "-" else args.output,
            alpha=args.alpha,
            concat=args.concat,
            batch_size=args.rows,
            labels=labels,
            label_mode=args.label_mode,
            within_class=args.within_class,
            categorical=args.categorical,
            categorical_mode=args.categorical_mode,
            keep=args.keep,
            target_columns=args.target,
            pairing=args.pairing,
            bandwidth=args.bandwidth,
            k_neighbors=5 if args.k_neighbors is None else args.k_neighbors,
            drop=args.drop,
            dates=args.dates,
            date_format=args.date_format,
            sep=args.sep,
            random_state=args.seed,
            buffer_rows=args.buffer_rows,
            progress=args.progress,
            engine=args.engine,
        )
    except (FileNotFoundError, IsADirectoryError, ImportError) as exc:  # the call, not the data, is wrong
        raise UsageError(str(exc)) from None
    except TooLargeError as exc:
        flag = f"--rows {args.rows}" if args.rows is not None else f"--buffer-rows {args.buffer_rows}"
        msg = f"{flag} would need about {exc.needed} of memory; this machine has {exc.available}. Ask for fewer."
        raise UsageError(msg) from None
    if args.output != "-":
        print(f"wrote {rows} rows x {columns} columns to {args.output}", file=sys.stderr)


def _interrupt_raises(*modules: str) -> None:
    """Import ``modules`` (those missing are left for the command to report), then let Ctrl-C raise
    KeyboardInterrupt, so that the command removes its unfinished output. Until then nothing is written, and
    an interrupt ends the command at once (:mod:`mixupy.__main__`)."""
    import importlib

    for name in modules:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _when_safe(lambda signum: KeyboardInterrupt()))


def write_demo_plot(target: str, alpha: float, seed: int) -> None:
    """Write :func:`mixupy.plot.demo_figure` to ``target``, in the format its suffix names."""
    fmt = Path(target).suffix.lower().lstrip(".")
    if fmt not in ("png", "svg", "pdf"):
        msg = f"--plot {target}: the file name must end in .png, .svg or .pdf"
        raise UsageError(msg)
    from mixupy._files import atomic_path

    try:
        import matplotlib.pyplot as plt

        from mixupy.plot import demo_figure
    except ImportError:
        msg = 'writing a plot needs matplotlib: pip install "mixupy[plot]"'
        raise UsageError(msg) from None
    directory = Path(target).absolute().parent
    if not directory.is_dir():
        msg = f"--plot {target}: output directory does not exist: {directory}"
        raise UsageError(msg)
    fig = demo_figure(alpha=alpha, seed=seed)
    try:
        with atomic_path(Path(target)) as tmp:
            fig.savefig(tmp, format=fmt)
    finally:
        plt.close(fig)
    print(f"wrote the figure to {target}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``mixupy`` command; returns the exit code."""
    try:
        with _stop_signals_raise(), warnings.catch_warnings():
            warnings.showwarning = _warning_line  # restored on leaving: a caller's own warnings are left as they were
            return _run(argv)
    except KeyboardInterrupt:  # Ctrl-C, also while the libraries are being imported
        print("mixupy: interrupted", file=sys.stderr)
        return 128 + signal.SIGINT
    except Stopped as stop:
        print(f"mixupy: stopped by {signal.Signals(stop.signum).name}", file=sys.stderr)
        return 128 + stop.signum


def _warning_line(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
    """A warning (pandas', guessing a date format) said as the command says its messages: one line on stderr."""
    print(f"mixupy: warning: {' '.join(str(message).split())}", file=sys.stderr)


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed its message
        return int(exc.code or 0)
    from mixupy._validation import ColumnNotFoundError, OptionConflictError

    try:
        if args.command == "augment":
            run_augment(args)
        else:
            _interrupt_raises("mixupy.frame", *(["matplotlib.pyplot", "mixupy.plot"] if args.plot else []))
            from mixupy._demo import demo_summary

            print(demo_summary(alpha=args.alpha, seed=args.seed))
            if args.plot is not None:
                write_demo_plot(args.plot, args.alpha, args.seed)
    except (UsageError, ColumnNotFoundError, OptionConflictError) as exc:  # flags that name what is not there,
        # or give one column two roles
        return _fail(exc, EXIT_USAGE)
    except BrokenPipeError:  # the reader went away (e.g. `mixupy demo | head`): not an error
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep Python's exit-time flush quiet
        return 0
    except (TypeError, ValueError) as exc:
        return _fail(exc, EXIT_DATA)
    except OSError as exc:  # a path that cannot be read or written, a full disk
        return _fail(exc, EXIT_USAGE if exc.errno in _PATH_ERRORS else EXIT_DATA)
    return 0


#: mixup_file's parameters, as the command names them: messages are given in the command's own terms.
_FLAGS = MappingProxyType(
    {
        "labels": "--labels",
        "label_mode": "--label-mode",
        "within_class": "--within-class",
        "categorical_mode": "--categorical-mode",
        "categorical": "--categorical",
        "keep": "--keep",
        "target_columns": "--target",
        "pairing": "--pairing",
        "bandwidth": "--bandwidth",
        "k_neighbors": "--k-neighbors",
        "drop": "--drop",
        "dates": "--dates",
        "date_format": "--date-format",
        "sep": "--sep",
        "alpha": "--alpha",
        "batch_size": "--rows",
        "buffer_rows": "--buffer-rows",
        "target": "-o",
        "engine": "--engine",
    }
)


def in_command_terms(error: BaseException) -> str:
    """The message of an error from the library, with parameters named as the command's flags."""
    describe = getattr(error, "describe", None)
    if callable(describe):  # the errors that know how to say it on a command line
        return str(describe("cli"))
    text = str(error)
    if hasattr(error, "sep"):  # a file that reads as one column
        return text.replace(f"Pass sep='{error.sep}'", f"Pass --sep '{error.sep}'")
    for name, flag in _FLAGS.items():
        text = re.sub(rf"`{name}`", flag, text)
        text = re.sub(rf"\b{name}=(\S)", rf"{flag} \1", text)
    return text.replace("--within-class True", "--within-class")  # a switch, given alone


def _fail(error: BaseException, code: int) -> int:
    """Print the error as one line on standard error, in the command's terms, and return the exit code."""
    text = " ".join(in_command_terms(error).split()) or type(error).__name__
    print(f"mixupy: error: {text}", file=sys.stderr)
    return code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
