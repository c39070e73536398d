"""Mix CSV and Parquet files larger than memory, one buffer of rows at a time.

The input is read in consecutive blocks of ``buffer_rows`` rows, the *shuffle
buffer*. Each block is mixed exactly as :func:`mixupy.mixup` mixes a whole
frame, written out, and dropped before the next block is read, so memory grows
with ``buffer_rows`` and the number of columns, never with the length of the file.

Which rows can meet: both rows of every pair come from the same block, that is
from the same run of ``buffer_rows`` consecutive rows of the file. Within a
block every pair is as likely as in ``mixup()``; rows of different blocks never
meet. A file of at most ``buffer_rows`` rows is mixed exactly as
``mixup(pd.read_csv(file), ...)`` with the same seed. A file sorted by class or
by time gives blocks that each hold a narrow slice of the data: shuffle its
rows first, or raise ``buffer_rows``.

Into a CSV, a block is drawn once and written a piece of synthetic rows at a
time (the same bytes as the whole block), so the block as read is what memory
holds; a Parquet output gets one row group per block, mixed whole.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import os
import sys
from collections.abc import Hashable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from mixupy._defaults import DEFAULT_BUFFER_ROWS
from mixupy._files import (
    CSV_ENGINES,
    CsvSink,
    ParquetSink,
    Reader,
    Sink,
    Spill,
    atomic_write,
    check_source,
    check_target,
    csv_engine,
    is_parquet,
    parquet_module,
    resolve_names,
    sorted_classes,
    text_view,
)
from mixupy._labels import MissingLabelsError, UnseenClassesError, label_names, names_class_column
from mixupy._options import MixOptions, check_names, random_source
from mixupy._validation import (
    ColumnNotFoundError,
    MissingValuesError,
    NonNumericColumnsError,
    OptionConflictError,
    check_block_numeric,
    check_bool,
    check_choice,
    check_date_format,
    check_frame,
    check_positive_int,
    column_dtypes,
)
from mixupy.frame import Prepared, mix_frame, prepare

__all__ = ["DEFAULT_BUFFER_ROWS", "mixup_file"]


def mixup_file(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str] | IO[str],
    *,
    alpha: float = 4.0,
    concat: bool = False,
    batch_size: int | None = None,
    labels: Hashable | Sequence[Hashable] | None = None,
    label_mode: str = "mix",
    within_class: bool = False,
    categorical: Hashable | Sequence[Hashable] | None = None,
    categorical_mode: str = "dominant",
    keep: Hashable | Sequence[Hashable] | None = None,
    target_columns: Hashable | Sequence[Hashable] | None = None,
    pairing: str = "random",
    bandwidth: float | None = None,
    k_neighbors: int = 5,
    drop: Hashable | Sequence[Hashable] | None = None,
    dates: Hashable | Sequence[Hashable] | None = None,
    date_format: str | None = None,
    sep: str = ",",
    random_state: int | np.random.Generator | None = None,
    buffer_rows: int = DEFAULT_BUFFER_ROWS,
    progress: bool | None = False,
    engine: str = "auto",
) -> tuple[int, int]:
    """Mix the rows of a CSV or Parquet file into a new file, with bounded memory.

    The file is mixed block by block: each run of ``buffer_rows`` consecutive
    rows is mixed as :func:`mixupy.mixup` mixes a frame, so both rows of a pair
    always come from the same block. A file of at most ``buffer_rows`` rows
    gives exactly ``mixup(whole_file, ...)``.

    Parameters
    ----------
    source : str or path-like
        Input file with a header row: Parquet when its name ends in ``.parquet``
        or ``.pq`` (needs ``mixupy[parquet]``), otherwise CSV (compressed when its
        name ends in ``.gz``, ``.bz2``, ``.zip``, ``.xz`` or ``.zst``). Never changed.
    target : str, path-like or text stream
        Output file, Parquet or CSV by the same rule; it appears only when
        complete (a temporary file beside it is renamed into place) and is never
        the input. A text stream (such as ``sys.stdout``) receives CSV as it is made.
    alpha, concat, labels, label_mode, within_class, categorical, categorical_mode, keep
        As in :func:`mixupy.mixup`, applied to each block. With ``concat=True``
        every original row comes first and every synthetic row after, as in
        ``mixup``; the synthetic rows wait in a temporary file meanwhile.
    target_columns : column name or list of names, optional
        The continuous target column(s), ``mixup``'s ``target`` (here
        ``target`` is the output file).
    pairing, bandwidth, k_neighbors
        As in :func:`mixupy.mixup`, within each block: ``pairing="target"``
        pairs each row with rows of close targets in its block, and the default
        ``bandwidth`` is computed from each block's targets (give one to use
        the same kernel in every block).
    batch_size : int, optional
        Number of synthetic rows in all; each block makes its share, in
        proportion to its rows. Defaults to one per input row. Needs a first pass
        over the file to count the rows (reading one column).
    drop : column name or list of names, optional
        Columns left out: not read, not written.
    dates : column name or list of names, optional
        CSV columns to parse as dates (Parquet keeps its own types); they are
        then mixed as points in time, as :func:`mixupy.mixup` mixes datetimes.
        Each column's format is guessed once, from its first value in the file,
        and every block is read by it: a value that does not fit is an error.
    date_format : str, optional
        How the ``dates`` columns are written, as :meth:`datetime.strftime`
        writes it (``"%d/%m/%Y"`` for day first): every value must fit it.
        None guesses it from each column's first value, month first when
        that value reads both ways (``05/03/2024``).
    sep : str, default ","
        The CSV field separator, of the input and of the output. A file that
        reads as one column whose name holds ``;``, a tab, ``|`` or ``,`` is an
        error that names the separator it seems to use.
    random_state : None, int or numpy.random.Generator, optional
        Seed or generator, used for the blocks one after the other: the same
        seed and ``buffer_rows`` give the same file.
    buffer_rows : int, default 500_000
        Rows per block: the rows that can meet, and the rows held in memory.
    progress : bool or None, default False
        Show a progress bar on standard error (needs ``mixupy[progress]``, tqdm);
        None shows it when standard error is a terminal and tqdm is installed.
    engine : {"auto", "pyarrow", "pandas"}, default "auto"
        What reads and writes CSV: pyarrow (streaming, on several threads), pandas, or
        ``"auto"``, pyarrow when it is installed. The output is the same file byte for
        byte either way, and so is every message about the input: where pyarrow cannot
        read a block exactly as pandas does (``dates``, a row it refuses, a field that
        is not plainly a number), pandas reads the file from that block on.

    Returns
    -------
    tuple of int
        ``(rows, columns)`` of the table written, like ``DataFrame.shape``.

    Raises
    ------
    FileNotFoundError
        The input file, or the folder of ``target``, does not exist.
    ImportError
        Parquet or ``engine="pyarrow"`` without pyarrow, or ``progress=True`` without tqdm.
    TypeError
        A column that is not numeric (the message names the first row that is
        not a number), or a parameter of the wrong type.
    ValueError
        A file that cannot be parsed (with the line the parser names), no data
        rows, an input that is not a regular file (a FIFO: it is read more
        than once), ``target`` equal to ``source``, or any error of ``mixup``.

    Notes
    -----
    With ``labels`` naming one class column and ``label_mode="mix"``, the class
    column becomes one probability column per class of the whole file. Those
    classes are taken from the first block; if a later block holds another, the
    work starts again after a first pass that reads that column for every class,
    and the output is the same either way. The first pass is made from the
    start when the input or the output cannot be read or written twice (a pipe,
    a text stream) and with ``batch_size``.

    Examples
    --------
    >>> import shutil, tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> from mixupy import mixup, mixup_file
    >>> folder = Path(tempfile.mkdtemp())
    >>> df = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0, 4.0, 5.0], "y": [0, 1, 0, 1, 0, 1]})
    >>> df.to_csv(folder / "in.csv", index=False)
    >>> mixup_file(folder / "in.csv", folder / "out.csv", labels="y", buffer_rows=3, random_state=0)
    (6, 3)
    >>> pd.read_csv(folder / "out.csv").columns.tolist()
    ['x', 'y_0', 'y_1']

    A file that fits in one buffer is mixed as ``mixup`` mixes it:

    >>> shape = mixup_file(folder / "in.csv", folder / "one.parquet", random_state=1)
    >>> pd.read_parquet(folder / "one.parquet").equals(mixup(df, random_state=1))
    True
    >>> shutil.rmtree(folder)
    """
    source = check_source(source)
    options = MixOptions.from_arguments(locals())  # every option of the call, checked once
    engine = csv_engine(check_choice(engine, "engine", CSV_ENGINES))
    reading: dict[str, Any] = {"sep": sep, "dates": check_names(dates, "dates"), "drop": check_names(drop, "drop")}
    reading["engine"] = engine
    reading["date_format"] = check_date_format(date_format, reading["dates"])
    options = options.pair_by(target_columns, pairing, bandwidth, k_neighbors, name="target_columns")
    rng = random_source(random_state)
    buffer_rows = check_positive_int(buffer_rows, "buffer_rows")
    if not isinstance(sep, str) or len(sep) != 1 or sep in '"\r\n':
        msg = f"`sep` must be one character, the field separator (',', ';', '\\t', '|'); got {sep!r}."
        raise ValueError(msg)
    if progress is not None:
        progress = check_bool(progress, "progress")
    if not isinstance(target, (str, os.PathLike)) and hasattr(target, "write"):  # bytes out as they are made
        sink = CsvSink(target, sep=sep, engine=engine)
        return _mix_into(source, sink, buffer_rows, options, rng, progress, reading, guess=False)
    path = check_target(source, target)
    if is_parquet(path):
        parquet_module(path)  # a missing pyarrow is reported before any file is made

    def write(guess: bool) -> tuple[int, int]:
        with atomic_write(path) as fh:
            if is_parquet(path):
                sink: Sink = ParquetSink(fh, path)
                return _mix_into(source, sink, buffer_rows, options, rng, progress, reading, guess=guess)
            with text_view(fh) as text:
                sink = CsvSink(text, path.absolute().parent, sep=sep, engine=engine)
                return _mix_into(source, sink, buffer_rows, options, rng, progress, reading, guess=guess)

    # Both files can be read and written again (not a pipe, nor a device written through): the classes may be
    # taken from the first block, and all is done again after a scan when a later block holds another class.
    if not source.is_file() or (path.exists() and not path.is_file()):
        return write(guess=False)
    start = rng.bit_generator.state
    try:
        return write(guess=True)
    except _Rescan:
        rng.bit_generator.state = start  # the same draws as a first run that had scanned
        return write(guess=False)


class _Rescan(Exception):
    """A block holds a class that the first block did not: the classes must come from a scan of the file."""


def _open(source: Path, buffer_rows: int, options: MixOptions, reading: dict[str, Any]) -> tuple[Reader, MixOptions]:
    """The file's reader, with the class, kept and categorical columns read as text; ``"auto"`` resolved.

    Every column an option names is checked against the header before any pass over the data.
    """
    reader = Reader(source, buffer_rows, **reading)
    reading = {**reading, "drop": reader.drop, "dates": reader.dates}  # the names as the header writes them
    options = _as_written(options, reader.header)
    labels = options.labels
    class_column = labels if names_class_column(labels, reader.columns) else None
    named: dict[str, list[Hashable]] = {
        "labels": label_names(labels, reader.columns),
        "keep": list(options.keep),
        "categorical": [] if options.categorical == "auto" else list(options.categorical),
        "target_columns": list(options.target),
    }
    for option, names in named.items():
        dropped = [c for c in names if c in set(reading["drop"])]
        if dropped:
            msg = f"columns {dropped} are named by both `drop` and `{option}`; a dropped column is not read."
            raise OptionConflictError(msg)
        missing = [c for c in names if c not in reader.columns]
        if missing:
            msg = f"`{option}` names columns that are not in {source}: {missing}. Columns are: {list(reader.columns)}."
            raise ColumnNotFoundError(msg)
    text = [c for c in (class_column, *options.keep, *named["categorical"]) if c is not None]
    if options.categorical == "auto":
        sniffed = reader.sniff_text(exclude=[*text, *named["labels"], *reading["dates"]])
        options = dataclasses.replace(options, categorical=tuple(sniffed))
        text += sniffed
    if reader.parquet or not text:
        return reader, options
    return Reader(source, buffer_rows, text=text, **reading), options


def _as_written(options: MixOptions, header: list[Hashable]) -> MixOptions:
    """``options`` with each column name as the header writes it (:func:`mixupy._files.resolve_names`)."""
    labels: Any = options.labels
    if labels is not None:  # one class column (a file's names are strings), or a list of one-hot columns
        labels = resolve_names([labels], header)[0] if isinstance(labels, str) else resolve_names(list(labels), header)
    categorical = options.categorical
    return dataclasses.replace(
        options,
        labels=labels,
        keep=tuple(resolve_names(options.keep, header)),
        categorical=categorical if categorical == "auto" else tuple(resolve_names(categorical, header)),
        target=tuple(resolve_names(options.target, header)),
    )


def _mix_into(
    source: Path,
    sink: Sink,
    buffer_rows: int,
    options: MixOptions,
    rng: np.random.Generator,
    progress: bool | None,
    reading: dict[str, Any],
    *,
    guess: bool,
) -> tuple[int, int]:
    """Read ``source`` block by block, mix each block and write it to ``sink``.

    A class column made into probability columns needs the classes of the whole file before the first block
    is written. With ``guess`` (and no ``batch_size``, whose row count needs a first pass anyway) they are the
    first block's, and a later block that holds another raises :class:`_Rescan`; otherwise a first pass over
    the class column finds them.
    """
    reader, options = _open(source, buffer_rows, options, reading)
    labels, batch_size = options.labels, options.batch_size
    class_column = labels if names_class_column(labels, reader.columns) else None
    expand = class_column is not None and not options.exact
    guessed = expand and guess and batch_size is None  # then every block makes rows, and so is checked
    classes: list[Any] | None = None
    n_total = 0
    if batch_size is not None or (expand and not guessed):
        n_total, classes = reader.scan(class_column if expand else None)
    numeric = [c for c in reader.columns if c not in set(reader.text) | set(reader.dates)]
    with contextlib.ExitStack() as stack:
        stack.callback(sink.close)
        bar = stack.enter_context(_progress_bar(progress, reader.total, reader.unit))
        spill = stack.enter_context(Spill(sink.folder)) if options.concat else None
        offset = 0
        for raw, units in reader.blocks():
            block = check_frame(raw.set_axis(pd.RangeIndex(offset, offset + len(raw))))
            n = len(block)
            size = n if batch_size is None else batch_size * (offset + n) // n_total - batch_size * offset // n_total
            if guessed and classes is None:
                classes = sorted_classes(block[class_column])
            if size or spill is not None:
                block_options = dataclasses.replace(options, batch_size=max(size, 1))
                pieces = sink.takes_pieces(column_dtypes(block).values())
                try:
                    out = _mix_block(block, block_options, rng, classes, offset, pieces)
                except UnseenClassesError:
                    if not guessed:
                        raise
                    raise _Rescan from None
                _write_block(out, sink, spill, n, size)
                del out  # the mix goes before the next block is read
            else:  # a block that makes no rows is still checked
                check_block_numeric(block, [c for c in numeric if c in block.columns], offset, terms="file")
            offset += n
            del raw, block  # and so does this block
            if bar is not None:
                bar.update(units)
        if offset == 0:
            msg = f"{source} holds no data rows, only a header; mixup needs at least one row."
            raise ValueError(msg)
        for frame in spill.frames() if spill is not None else ():
            sink.write(frame)
    return sink.rows, len(sink.columns or ())


def _mix_block(
    block: pd.DataFrame,
    options: MixOptions,
    rng: np.random.Generator,
    classes: list[Any] | None,
    offset: int,
    pieces: bool,
) -> pd.DataFrame | Prepared:
    """One block mixed, or with ``pieces`` made ready to mix in pieces (checked whole, drawn once); a bad value
    is named by its row in the whole file (from 0, after the header), and the ways out by ``mixup_file``'s own
    parameters (``drop=``, ``dates=``)."""
    try:
        if pieces:
            return prepare(block, options, rng, classes=classes, checked=True)
        return mix_frame(block, options, rng, classes=classes)
    except NonNumericColumnsError as error:  # say which row holds the first value that is not a number
        check_block_numeric(block, list(error.columns), offset, terms="file")
        raise
    except MissingValuesError as error:
        found = {c: (kind, count, first + offset) for c, (kind, count, first) in error.found.items()}
        raise MissingValuesError(error.name, found, terms="file") from None
    except MissingLabelsError as error:
        raise MissingLabelsError(error.column, error.count, error.first + offset) from None


# Values (rows x columns) of the result of a block mixed and written at a time: 8 MiB of float64, so that the
# block as read is the one thing held that grows with ``buffer_rows``.
_PIECE_VALUES = 1 << 20


def _piece_rows(width: int) -> int:
    """Rows of a piece of the mix of ``width`` columns."""
    return max(1, _PIECE_VALUES // max(1, width))


def _write_block(out: pd.DataFrame | Prepared, sink: Sink, spill: Spill | None, n: int, size: int) -> None:
    """A block's mix (of ``n`` rows, ``size`` synthetic) into ``sink``, its synthetic rows into ``spill`` under
    ``concat``: whole, or a piece of rows at a time, each made once the one before is in the sink's hands (the
    pyarrow writer may still be formatting it: a few tasks in flight, :class:`mixupy._files._arrow_csv.Writer`)."""
    if isinstance(out, pd.DataFrame):
        sink.write(out if spill is None else out.iloc[:n])
        if spill is not None and size:
            spill.write(out.iloc[n:])
        return
    rows = _piece_rows(out.width)
    for start in range(0, n if spill is not None else 0, rows):  # the originals, under concat
        sink.write(out.piece(slice(start, min(n, start + rows)), originals=True))
    for start in range(0, size, rows):
        (sink if spill is None else spill).write(out.piece(slice(start, min(size, start + rows))))


@contextlib.contextmanager
def _progress_bar(progress: bool | None, total: int | None, unit: str) -> Iterator[Any]:
    """A tqdm bar on standard error, or None when it is off."""
    if progress is None:
        progress = sys.stderr.isatty() and importlib.util.find_spec("tqdm") is not None
    if not progress:
        yield None
        return
    try:
        from tqdm import tqdm
    except ImportError as exc:
        msg = "progress=True needs tqdm: pip install 'mixupy[progress]'"
        raise ImportError(msg) from exc
    bar = tqdm(
        total=total,
        unit=unit,
        unit_scale=True,
        unit_divisor=1024 if unit == "B" else 1000,
        file=sys.stderr,
        desc="mixupy",
        dynamic_ncols=True,
    )
    try:
        yield bar
    finally:
        bar.close()
