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
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Hashable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from mixupy._validation import (
    ColumnNotFoundError,
    check_alpha,
    check_batch_size,
    check_block_numeric,
    check_bool,
    check_label_mode,
    check_positive_int,
    check_random_state,
)
from mixupy.frame import mixup_block, names_class_column

__all__ = ["DEFAULT_BUFFER_ROWS", "mixup_file"]

#: Rows per block when none is given: about 50 MB of float64 values per 12 columns.
DEFAULT_BUFFER_ROWS = 500_000
PARQUET_SUFFIXES = (".parquet", ".pq")
_COMPRESSION: dict[str, Any] = {".gz": "gzip", ".bz2": "bz2", ".zip": "zip", ".xz": "xz", ".zst": "zstd"}


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
    random_state: int | np.random.Generator | None = None,
    buffer_rows: int = DEFAULT_BUFFER_ROWS,
    progress: bool | None = False,
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
    alpha, concat, labels, label_mode, within_class
        As in :func:`mixupy.mixup`, applied to each block. With ``concat=True``
        every original row comes first and every synthetic row after, as in
        ``mixup``; the synthetic rows wait in a temporary file meanwhile.
    batch_size : int, optional
        Number of synthetic rows in all; each block makes its share, in
        proportion to its rows. Defaults to one per input row. Needs a first pass
        over the file to count the rows (reading one column).
    random_state : None, int or numpy.random.Generator, optional
        Seed or generator, used for the blocks one after the other: the same
        seed and ``buffer_rows`` give the same file.
    buffer_rows : int, default 500_000
        Rows per block: the rows that can meet, and the rows held in memory.
    progress : bool or None, default False
        Show a progress bar on standard error (needs ``mixupy[progress]``, tqdm);
        None shows it when standard error is a terminal and tqdm is installed.

    Returns
    -------
    tuple of int
        ``(rows, columns)`` of the table written, like ``DataFrame.shape``.

    Raises
    ------
    FileNotFoundError
        The input file, or the folder of ``target``, does not exist.
    ImportError
        Parquet without pyarrow, or ``progress=True`` without tqdm.
    TypeError
        A column that is not numeric (the message names the first row that is
        not a number), or a parameter of the wrong type.
    ValueError
        A file that cannot be parsed (with the line the parser names), no data
        rows, ``target`` equal to ``source``, or any error of ``mixup``.

    Notes
    -----
    With ``labels`` naming one class column and ``label_mode="mix"``, the class
    column becomes one probability column per class of the whole file, so a
    first pass reads that column to find every class.

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
    source = _check_source(source)
    alpha = check_alpha(alpha)
    concat = check_bool(concat, "concat")
    if batch_size is not None:
        batch_size = check_batch_size(batch_size, 0)
    label_mode = check_label_mode(label_mode)
    within_class = check_bool(within_class, "within_class")
    rng = check_random_state(random_state)
    buffer_rows = check_positive_int(buffer_rows, "buffer_rows")
    if progress is not None:
        progress = check_bool(progress, "progress")
    options: dict[str, Any] = {
        "alpha": alpha,
        "concat": concat,
        "labels": labels,
        "label_mode": label_mode,
        "within_class": within_class,
        "random_state": rng,
    }

    if not isinstance(target, (str, os.PathLike)) and hasattr(target, "write"):
        return _mix_into(source, _CsvSink(target), buffer_rows, batch_size, options, progress)
    path = _check_target(source, target)
    with atomic_path(path) as tmp:
        if _is_parquet(path):
            return _mix_into(source, _ParquetSink(tmp), buffer_rows, batch_size, options, progress)
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            return _mix_into(source, _CsvSink(fh), buffer_rows, batch_size, options, progress)


def _check_source(source: Any) -> Path:
    if not isinstance(source, (str, os.PathLike)):
        msg = f"`source` must be a file path (str or pathlib.Path); got {type(source).__name__}."
        raise TypeError(msg)
    path = Path(source)
    if not path.exists() or path.is_dir():
        msg = f"input file not found: {path}"
        raise FileNotFoundError(msg)
    return path


def _check_target(source: Path, target: Any) -> Path:
    if not isinstance(target, (str, os.PathLike)):
        msg = f"`target` must be a file path or a text stream; got {type(target).__name__}."
        raise TypeError(msg)
    path = Path(target)
    if path.resolve() == source.resolve() or (path.exists() and os.path.samefile(path, source)):
        msg = f"`target` {str(path)!r} is the input file; choose another output path"
        raise ValueError(msg)
    if not path.absolute().parent.is_dir():
        msg = f"output directory does not exist: {path.absolute().parent}"
        raise FileNotFoundError(msg)
    if path.is_dir():
        msg = f"`target` {str(path)!r} is a directory; name a file"
        raise IsADirectoryError(msg)
    return path


def _is_parquet(path: Path) -> bool:
    return path.suffix.lower() in PARQUET_SUFFIXES


def _process_umask() -> int:
    """The process umask, read without changing it where the system allows (Linux's /proc)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    umask = os.umask(0)  # elsewhere: set and restore it, once, at import time
    os.umask(umask)
    return umask


_UMASK = _process_umask()


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``, renamed onto it only when the block succeeds.

    An interrupted or failed block leaves neither the temporary file nor a
    partial ``target``. A symbolic link is followed, so the file it points to is
    written and the link stays. An existing file keeps its permissions; a new one
    gets those a plain ``open()`` would give. A target that exists but is not a
    regular file (a FIFO, ``/dev/null``) cannot be renamed onto and is written
    through directly.
    """
    target = Path(os.path.realpath(target))
    if target.exists() and not target.is_file():
        yield target
        return
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o666 & ~_UMASK
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        os.chmod(tmp, mode)
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def _mix_into(
    source: Path,
    sink: _Sink,
    buffer_rows: int,
    batch_size: int | None,
    options: dict[str, Any],
    progress: bool | None,
) -> tuple[int, int]:
    """Read ``source`` block by block, mix each block and write it to ``sink``."""
    reader = _Reader(source, buffer_rows)
    labels = options["labels"]
    class_column = labels if names_class_column(labels, reader.columns) else None
    named = [] if labels is None else [class_column] if class_column is not None else list(labels)
    missing = [c for c in named if c not in reader.columns]
    if missing:  # say so before any pass over the data
        msg = f"`labels` names columns that are not in {source}: {missing}. Columns are: {list(reader.columns)}."
        raise ColumnNotFoundError(msg)
    expand = class_column is not None and options["label_mode"] == "mix" and not options["within_class"]
    classes: list[Any] | None = None
    n_total = 0
    if batch_size is not None or expand:
        n_total, classes = reader.scan(class_column if expand else None)
    numeric = [c for c in reader.columns if c != class_column]

    with contextlib.ExitStack() as stack:
        stack.callback(sink.close)
        bar = stack.enter_context(_progress_bar(progress, reader.total, reader.unit))
        spill = stack.enter_context(_Spill(sink.folder)) if options["concat"] else None
        offset = 0
        for raw, units in reader.blocks():
            block = raw.set_axis(pd.RangeIndex(offset, offset + len(raw)))
            n = len(block)
            size = n if batch_size is None else batch_size * (offset + n) // n_total - batch_size * offset // n_total
            if size or spill is not None:
                try:
                    out = mixup_block(block, classes=classes, batch_size=max(size, 1), **options)
                except TypeError:  # say which row of which block is not a number, where that is the cause
                    check_block_numeric(block, [c for c in numeric if c in block.columns], offset)
                    raise
                if spill is None:
                    sink.write(out)
                else:
                    sink.write(out.iloc[:n])
                    if size:
                        spill.write(out.iloc[n:])
            else:  # a block that makes no rows is still checked
                check_block_numeric(block, [c for c in numeric if c in block.columns], offset)
            offset += n
            if bar is not None:
                bar.update(units)
        if offset == 0:
            msg = f"{source} holds no data rows, only a header; mixup needs at least one row."
            raise ValueError(msg)
        if spill is not None:
            for frame in spill.frames():
                sink.write(frame)
    return sink.rows, len(sink.columns or ())


class _Reader:
    """The blocks of a CSV or Parquet file, and a light first pass over one column."""

    def __init__(self, path: Path, buffer_rows: int) -> None:
        self.path = path
        self.buffer_rows = buffer_rows
        self.parquet = _is_parquet(path)
        self.unit = "rows"
        self.total: int | None = None
        if self.parquet:
            self.file = _open_parquet(path)
            self.columns = pd.Index(self.file.schema_arrow.names)
            self.total = self.file.metadata.num_rows
        else:
            self.compression = _COMPRESSION.get(path.suffix.lower())
            with self._csv_errors():
                self.columns = pd.read_csv(path, nrows=0, compression=self.compression).columns
            if path.is_file():
                self.unit, self.total = "B", path.stat().st_size

    @contextlib.contextmanager
    def _csv_errors(self) -> Iterator[None]:
        try:
            yield
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            msg = f"cannot read {self.path} as CSV: {exc}".strip()
            raise ValueError(msg) from None

    def _chunks(self, columns: list[Hashable] | None = None) -> Iterator[tuple[pd.DataFrame, int]]:
        """The file in chunks of at most ``buffer_rows`` rows, each with the progress it makes."""
        if self.parquet:
            names = None if columns is None else [str(c) for c in columns]
            with _parquet_errors(self.path):
                for batch in self.file.iter_batches(batch_size=self.buffer_rows, columns=names):
                    yield batch.to_pandas(), batch.num_rows
            return
        with open(self.path, "rb") as raw, self._csv_errors():
            reader = pd.read_csv(
                raw,
                chunksize=self.buffer_rows,
                compression=self.compression,
                usecols=columns,
            )
            position = 0
            with reader:
                for chunk in reader:
                    if self.unit == "B":
                        now = raw.tell()
                        yield chunk, now - position
                        position = now
                    else:
                        yield chunk, len(chunk)

    def blocks(self) -> Iterator[tuple[pd.DataFrame, int]]:
        """Blocks of exactly ``buffer_rows`` rows (the last one may be shorter)."""
        pending: list[pd.DataFrame] = []
        count = units = 0
        for chunk, done in self._chunks():
            pending.append(chunk)
            count += len(chunk)
            units += done
            while count >= self.buffer_rows:
                whole = pd.concat(pending) if len(pending) > 1 else pending[0]
                yield whole.iloc[: self.buffer_rows], units
                rest = whole.iloc[self.buffer_rows :]
                pending, count, units = ([rest] if len(rest) else []), len(rest), 0
        if count:
            yield (pd.concat(pending) if len(pending) > 1 else pending[0]), units

    def scan(self, class_column: Hashable | None) -> tuple[int, list[Any] | None]:
        """Count the rows, and find every class of ``class_column`` (sorted as ``mixup`` sorts them)."""
        if class_column is None and self.total is not None and self.parquet:
            return self.total, None
        column = class_column if class_column is not None else self.columns[0]
        n = 0
        uniques: list[pd.Series] = []
        for chunk, _ in self._chunks([column]):
            n += len(chunk)
            if class_column is not None:
                uniques.append(pd.Series(chunk[column].unique()))
        if class_column is None:
            return n, None
        values = pd.concat(uniques, ignore_index=True) if uniques else pd.Series([], dtype=object)
        return n, list(pd.factorize(values, sort=True)[1])


def _parquet_module(path: Path) -> Any:
    """``pyarrow.parquet``, or an ImportError that says how to install it."""
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        msg = f"Parquet ({path.name}) needs pyarrow: pip install 'mixupy[parquet]'"
        raise ImportError(msg) from exc
    return pq


def _open_parquet(path: Path) -> Any:
    pq = _parquet_module(path)
    with _parquet_errors(path):
        return pq.ParquetFile(path)


@contextlib.contextmanager
def _parquet_errors(path: Path) -> Iterator[None]:
    import pyarrow as pa

    try:
        yield
    except pa.ArrowException as exc:
        msg = f"cannot read {path} as Parquet: {exc}"
        raise ValueError(msg) from None


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


class _Sink:
    """Where the mixed blocks go; every block must have the columns of the first."""

    folder: Path | None = None

    def __init__(self) -> None:
        self.columns: list[Hashable] | None = None
        self.rows = 0

    def write(self, frame: pd.DataFrame) -> None:
        if self.columns is None:
            self.columns = list(frame.columns)
        elif list(frame.columns) != self.columns:
            msg = f"a block of the file gave columns {list(frame.columns)}, the first block {self.columns}."
            raise ValueError(msg)
        self._write(frame)
        self.rows += len(frame)

    def _write(self, frame: pd.DataFrame) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Finish the output."""


class _CsvSink(_Sink):
    def __init__(self, fh: IO[str]) -> None:
        super().__init__()
        self.fh = fh
        name = getattr(fh, "name", None)
        if isinstance(name, str) and os.path.isfile(name):
            self.folder = Path(name).absolute().parent

    def _write(self, frame: pd.DataFrame) -> None:
        frame.to_csv(self.fh, header=self.rows == 0, index=False)


class _ParquetSink(_Sink):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.folder = path.parent
        self.writer: Any = None
        self.pq = _parquet_module(path)

    def _write(self, frame: pd.DataFrame) -> None:
        import pyarrow as pa

        table = pa.Table.from_pandas(frame, preserve_index=False)
        if self.writer is None:
            self.writer = self.pq.ParquetWriter(self.path, table.schema)
        elif not table.schema.equals(self.writer.schema, check_metadata=False):
            try:
                table = table.cast(self.writer.schema)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as exc:
                msg = f"a block of the file does not fit the Parquet schema of the first block: {exc}"
                raise ValueError(msg) from None
        self.writer.write_table(table)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


class _Spill:
    """Synthetic blocks kept in an unnamed temporary file until the original rows are written."""

    def __init__(self, folder: Path | None) -> None:
        self.fh = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115  (closed by __exit__)

    def __enter__(self) -> _Spill:
        return self

    def __exit__(self, *exc: object) -> None:
        self.fh.close()

    def write(self, frame: pd.DataFrame) -> None:
        pickle.dump(frame, self.fh, protocol=pickle.HIGHEST_PROTOCOL)

    def frames(self) -> Iterator[pd.DataFrame]:
        self.fh.seek(0)
        while True:
            try:
                yield pickle.load(self.fh)  # our own file, written above
            except EOFError:
                return
