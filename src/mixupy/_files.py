"""Files, in one place: atomic writes, the block reader of CSV and Parquet files, and the sinks.

* :func:`atomic_write`: a file that takes the target's name only when the
  writing succeeds (unnamed until then, on Linux), so that no partial file ever
  has the target's name and none is left behind. Used by
  :func:`mixupy.mixup_file` and the command line; :func:`atomic_path` is the
  same for writers that need a path.
* :class:`Reader`: a file's blocks of exactly ``buffer_rows`` rows, and a light
  first pass over one column.
* :class:`CsvSink`, :class:`ParquetSink`, :class:`Spill`: where mixed blocks go.
"""

from __future__ import annotations

import bz2
import contextlib
import errno
import gzip
import io
import lzma
import os
import pickle
import stat
import tempfile
from collections.abc import Callable, Hashable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any, BinaryIO

import pandas as pd

__all__ = [
    "CsvSink",
    "ParquetSink",
    "Reader",
    "Sink",
    "Spill",
    "atomic_path",
    "atomic_write",
    "check_source",
    "check_target",
    "is_parquet",
    "parquet_module",
    "text_view",
]

PARQUET_SUFFIXES = (".parquet", ".pq")
_COMPRESSION: Mapping[str, Any] = MappingProxyType(
    {".gz": "gzip", ".bz2": "bz2", ".zip": "zip", ".xz": "xz", ".zst": "zstd"}
)


def check_source(source: Any) -> Path:
    if not isinstance(source, (str, os.PathLike)):
        msg = f"`source` must be a file path (str or pathlib.Path); got {type(source).__name__}."
        raise TypeError(msg)
    path = Path(source)
    if not path.exists() or path.is_dir():
        msg = f"input file not found: {path}"
        raise FileNotFoundError(msg)
    return path


def check_target(source: Path, target: Any) -> Path:
    if not isinstance(target, (str, os.PathLike)):
        msg = f"`target` must be a file path or a text stream; got {type(target).__name__}."
        raise TypeError(msg)
    path = Path(target)
    # os.path.realpath, not Path.resolve: a loop of links is reported when the file is opened, as an OSError
    if os.path.realpath(path) == os.path.realpath(source) or (path.exists() and os.path.samefile(path, source)):
        msg = f"`target` {str(path)!r} is the input file; choose another output path"
        raise ValueError(msg)
    if not path.absolute().parent.is_dir():
        msg = f"output directory does not exist: {path.absolute().parent}"
        raise FileNotFoundError(msg)
    if path.is_dir():
        msg = f"`target` {str(path)!r} is a directory; name a file"
        raise IsADirectoryError(msg)
    return path


def is_parquet(path: Path) -> bool:
    return path.suffix.lower() in PARQUET_SUFFIXES


def _process_umask() -> int:
    """The process umask, read without changing it where the system allows (Linux's /proc)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    umask = os.umask(0)  # elsewhere: set and restore it
    os.umask(umask)
    return umask


@contextlib.contextmanager
def atomic_write(target: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file that becomes ``target`` only when the block succeeds; else nothing is left.

    On Linux the file is made without a name (``O_TMPFILE``) in the target's
    folder and linked into place when complete, so not even ``SIGKILL`` can
    leave a partial or hidden file behind. Elsewhere (or on a file system
    without ``O_TMPFILE``) a hidden temporary file beside the target is renamed
    onto it, and removed on any error or interruption that Python sees.

    A symbolic link is followed, so the file it points to is written and the
    link stays. An existing file keeps its permissions; a new one gets those a
    plain ``open()`` would give. A target that exists but is not a regular file
    (a FIFO, ``/dev/stdout`` into a pipe, ``/dev/null``) cannot be renamed onto
    and is written through directly. Errors name ``target``, never a temporary file.
    """
    path = Path(target)
    existing = _stat(path)
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        with _naming(path), open(path, "wb") as through:
            yield through
        return
    real = Path(os.path.realpath(path))
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~_process_umask()
    with _naming(path):
        fh, temporary = _open_unnamed(real.parent, mode)
    try:
        yield fh
        fh.flush()
        with _naming(path):
            _commit(fh, temporary, real)
    except BaseException:
        fh.close()
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise
    fh.close()


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Like :func:`atomic_write`, for writers that want a path: a hidden temporary path, renamed when complete."""
    path = Path(target)
    existing = _stat(path)
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        yield path
        return
    real = Path(os.path.realpath(path))
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~_process_umask()
    with _naming(path):
        fd, name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".part", dir=real.parent)
    os.close(fd)
    try:
        os.chmod(name, mode)
        yield Path(name)
        with _naming(path):
            os.replace(name, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise


@contextlib.contextmanager
def text_view(fh: BinaryIO) -> Iterator[IO[str]]:
    """``fh`` as UTF-8 text with newlines written as given; ``fh`` itself stays open afterwards."""
    text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
    try:
        yield text
        text.flush()
    finally:
        with contextlib.suppress(ValueError, OSError):
            text.detach()


def _stat(path: Path) -> os.stat_result | None:
    """``os.stat`` of the target (links followed), None when it does not exist yet."""
    with _naming(path):
        try:
            return os.stat(path)
        except FileNotFoundError:
            return None


@contextlib.contextmanager
def _naming(path: Path) -> Iterator[None]:
    """Re-raise an operating-system error about a temporary file as one about ``path``."""
    try:
        yield
    except OSError as error:
        if error.filename is None or error.filename == str(path):
            raise
        raise type(error)(error.errno, error.strerror, str(path)) from None


def _open_unnamed(folder: Path, mode: int) -> tuple[BinaryIO, str | None]:
    """A file in ``folder`` without a name (``O_TMPFILE``), or a hidden named one where that is not possible."""
    flag = getattr(os, "O_TMPFILE", 0)
    if flag and os.path.isdir("/proc/self/fd"):
        try:
            fd = os.open(folder, flag | os.O_RDWR, mode)  # readable too, for the copy of _commit's fallback
        except OSError as error:
            if error.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
                raise
        else:
            os.fchmod(fd, mode)  # the mode above was masked by the umask; an existing file's mode is kept as is
            return os.fdopen(fd, "wb"), None
    return _open_unnamed_fallback(folder, mode)


def _open_unnamed_fallback(folder: Path, mode: int) -> tuple[BinaryIO, str]:
    """A hidden named temporary file in ``folder``, with ``mode``."""
    fd, name = tempfile.mkstemp(prefix=".mixupy.", suffix=".part", dir=folder)
    os.fchmod(fd, mode)
    return os.fdopen(fd, "wb"), name


def _commit(fh: BinaryIO, temporary: str | None, target: Path) -> None:
    """Give the complete file the target's name: link the unnamed file, or rename the named one."""
    if temporary is not None:
        os.replace(temporary, target)
        return
    fd = fh.fileno()
    try:
        if _link(fd, target):
            return
        # the target exists: link under a fresh hidden name, then rename over it (both in the same folder)
        for attempt in range(100):
            name = target.parent / f".{target.name}.{os.getpid()}.{attempt}.part"
            if _link(fd, name):
                _replace(name, target)
                return
    except _CannotLink:
        # linking an unnamed file is refused here (no /proc, another mount namespace): copy it under a hidden
        # name in the kernel, then rename; the named copy exists only for the length of this copy
        named, copy = _open_unnamed_fallback(target.parent, stat.S_IMODE(os.fstat(fd).st_mode))
        with named:
            _copy_file(fd, named.fileno())
        _replace(copy, target)
        return
    msg = f"could not replace {target}: too many leftover temporary names beside it"
    raise FileExistsError(msg)


class _CannotLink(Exception):
    """The system will not give an unnamed file a name."""


def _link(fd: int, name: Path) -> bool:
    """Link the unnamed file ``fd`` as ``name``; False when ``name`` exists, :class:`_CannotLink` when not allowed."""
    try:
        os.link(f"/proc/self/fd/{fd}", name, follow_symlinks=True)
        return True
    except FileExistsError:
        return False
    except OSError:
        pass
    import ctypes  # linkat(fd, "", ..., AT_EMPTY_PATH): the direct way, where the process may use it

    libc = ctypes.CDLL(None, use_errno=True)
    at_fdcwd, at_empty_path = -100, 0x1000
    if libc.linkat(fd, b"", at_fdcwd, os.fsencode(name), at_empty_path) == 0:
        return True
    if ctypes.get_errno() == errno.EEXIST:
        return False
    raise _CannotLink


def _replace(name: Path | str, target: Path) -> None:
    try:
        os.replace(name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise


def _copy_file(source: int, destination: int) -> None:
    """Copy all of file ``source`` into ``destination``, inside the kernel where it can."""
    size = os.fstat(source).st_size
    offset = 0
    while offset < size:
        try:
            done = os.copy_file_range(source, destination, size - offset, offset)
        except (AttributeError, OSError):
            done = os.write(destination, os.pread(source, min(1 << 24, size - offset), offset))
        if done == 0:
            break
        offset += done


#: The widest header a CSV file may have: wider ones are refused before pandas parses them.
MAX_COLUMNS = 100_000


def _check_header_width(path: Path, compression: str | None) -> None:
    """Refuse a header of more than :data:`MAX_COLUMNS` fields at once, before parsing it takes minutes."""
    openers: dict[str | None, Callable[..., Any]] = {None: open, "gzip": gzip.open, "bz2": bz2.open, "xz": lzma.open}
    if compression not in openers:
        return  # zip and zstd: left to pandas
    commas = 0
    with contextlib.suppress(OSError, EOFError), openers[compression](path, "rb") as fh:
        while (chunk := fh.read(1 << 20)) and commas <= MAX_COLUMNS:
            line = chunk.split(b"\n", 1)[0]
            commas += line.count(b",") + line.count(b";") + line.count(b"\t")
            if len(line) < len(chunk):
                break
    if commas >= MAX_COLUMNS:
        msg = (
            f"cannot read {path} as CSV: its header has more than {MAX_COLUMNS:,} fields; mixupy mixes tables of "
            f"at most {MAX_COLUMNS:,} columns. Hint: is it a table at all, with one header row?"
        )
        raise ValueError(msg)


class Reader:
    """The blocks of a CSV or Parquet file, and a light first pass over one column."""

    def __init__(self, path: Path, buffer_rows: int) -> None:
        self.path = path
        self.buffer_rows = buffer_rows
        self.parquet = is_parquet(path)
        self.unit = "rows"
        self.total: int | None = None
        if self.parquet:
            self.file = _open_parquet(path)
            self.columns = pd.Index(self.file.schema_arrow.names)
            self.total = self.file.metadata.num_rows
        else:
            self.compression = _COMPRESSION.get(path.suffix.lower())
            _check_header_width(path, self.compression)
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
                low_memory=False,  # each block's types from the whole block: no DtypeWarning on stderr
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


def parquet_module(path: Path) -> Any:
    """``pyarrow.parquet``, or an ImportError that says how to install it."""
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        msg = f"Parquet ({path.name}) needs pyarrow: pip install 'mixupy[parquet]'"
        raise ImportError(msg) from exc
    return pq


def _open_parquet(path: Path) -> Any:
    pq = parquet_module(path)
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


class Sink:
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


class CsvSink(Sink):
    def __init__(self, fh: IO[str], folder: Path | None = None) -> None:
        super().__init__()
        self.fh = fh
        self.folder = folder

    def _write(self, frame: pd.DataFrame) -> None:
        frame.to_csv(self.fh, header=self.rows == 0, index=False)


class ParquetSink(Sink):
    """Blocks written as row groups of one Parquet file, into ``fh`` (a binary file) for ``path``."""

    def __init__(self, fh: BinaryIO, path: Path) -> None:
        super().__init__()
        self.fh = fh
        self.path = path
        self.folder = path.absolute().parent
        self.writer: Any = None
        self.pq = parquet_module(path)

    def _write(self, frame: pd.DataFrame) -> None:
        import pyarrow as pa

        table = pa.Table.from_pandas(frame, preserve_index=False)
        if self.writer is None:
            self.writer = self.pq.ParquetWriter(self.fh, table.schema)
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


class Spill:
    """Synthetic blocks kept in an unnamed temporary file until the original rows are written."""

    def __init__(self, folder: Path | None) -> None:
        self.fh = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115  (closed by __exit__)

    def __enter__(self) -> Spill:
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
