"""CSV through pyarrow: blocks read as the pandas reader reads them, and blocks written as ``to_csv`` writes them.

Reading. pyarrow parses the file (streaming, on its threads) with every column as text; each column of each
block is then typed by pandas' own rules for that block: integers when every field is an integer and none is
missing, else floats, else booleans (``true`` / ``false`` in any case); ``NA_STRINGS`` are missing in number
columns, only the empty field in text columns. Whatever does not fit these rules plainly (a field pandas might
read another way, a row pyarrow refuses, text where a number belongs) raises :class:`Fallback`: the pandas
reader takes over from that block, so that every block, and every message, is the pandas reader's.

Writing. Numbers become the shortest text that reads back exactly, in Python's notation (``repr``), strings are
quoted exactly when the ``csv`` module quotes them, and a block's bytes are those of
``DataFrame.to_csv(index=False)``. A block with another kind of column is left to pandas (``write`` says so).
"""

from __future__ import annotations

import codecs
import collections
import re
from collections.abc import Hashable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from mixupy._files import _arrow
from mixupy._parallel import thread_count

#: The compressions pyarrow reads as a stream; the others are left to pandas.
CODECS: Mapping[str | None, str | None] = MappingProxyType({None: None, "gzip": "gzip", "bz2": "bz2", "zstd": "zstd"})
#: Bytes pyarrow parses at a time (it reads a few such blocks ahead): small, so that little text is held.
BLOCK_BYTES = 1 << 18
#: Rows of text typed at a time: pyarrow's small batches are merged up to this, so that typing costs few calls.
TYPE_ROWS = 1 << 14
#: Values (rows x columns) formatted as one piece of output, on one thread: about 5 MB of text for floats, so
#: that the few pieces in flight hold little beside the rows being written, however wide the rows.
WRITE_VALUES = 1 << 18


class Fallback(Exception):  # a signal between two readers, never seen by the caller
    """pyarrow cannot read this block exactly as pandas does: the pandas reader takes over from it."""


# ---------------------------------------------------------------- reading


class _Column:
    """One column of the block being gathered, each piece typed on its own as it arrives.

    Numbers go straight into one float64 array of the block's rows, allocated at the first piece that is
    not an integer (the integers before it are copied in then), so a block of floats is held once.
    """

    def __init__(self, text: bool, rows: int) -> None:
        self.text = text
        self.rows = rows
        self.kinds: set[str] = set()
        self.missing = False
        self.pieces: list[Any] = []  # text, integers or booleans, until numbers go into ``floats``
        self.floats: np.ndarray | None = None

    def add(self, kind: str, values: Any, missing: bool, start: int) -> None:
        self.kinds.add(kind)
        self.missing |= missing
        if kind == "bool" or (kind == "int" and not missing and self.floats is None):
            self.pieces.append(values)
            return
        if self.floats is None:
            self.floats = np.empty(self.rows, dtype=np.float64)
            at = 0
            for piece in self.pieces:  # integers so far; booleans beside numbers fall back in ``_finish``
                self.floats[at : at + len(piece)] = piece
                at += len(piece)
            self.pieces = []
        self.floats[start : start + len(values)] = values


def _typed(strings: pa.Array, na: pa.Array) -> tuple[str, Any, bool]:
    """A piece of a number column typed: ``(kind, values, has_missing)``, kind ``int``, ``float``, ``bool``."""
    try:  # the plain case first: every field a number, none missing but 'nan' and the like
        floats = pc.cast(strings, pa.float64())
        x = floats.to_numpy(zero_copy_only=False)
        if not np.isnan(x).any():
            return _numbers(strings, x, slice(None), has_missing=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    missing = pc.is_in(strings, value_set=na)
    has_missing = bool(pc.any(missing).as_py())
    values = pc.if_else(missing, pa.scalar(None, pa.string()), strings) if has_missing else strings
    try:
        floats = pc.cast(values, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        lower = pc.utf8_lower(values)
        true = pc.equal(lower, "true")
        if not has_missing and pc.all(pc.or_(true, pc.equal(lower, "false"))).as_py():
            return "bool", true.to_numpy(zero_copy_only=False), False
        raise Fallback from None
    x = floats.to_numpy(zero_copy_only=False)
    given = ~np.asarray(missing.to_numpy(zero_copy_only=False)) if has_missing else slice(None)
    return _numbers(values, x, given, has_missing=has_missing)


def _numbers(values: pa.Array, x: np.ndarray, given: Any, *, has_missing: bool) -> tuple[str, Any, bool]:
    """Numbers ``x`` read from ``values`` (``given``: the fields not missing) as integers or floats."""
    if not np.isfinite(x[given]).all():  # 'inf', 'NAN', '1e999': pandas decides
        raise Fallback
    if np.array_equal(x[given], np.trunc(x[given])):
        try:
            return "int", pc.cast(values, pa.int64()).to_numpy(zero_copy_only=False), has_missing
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            # '+7', or beyond int64: integers to pandas, which pyarrow cannot say
            if not pc.any(pc.match_substring_regex(values, "[.eE]")).as_py():
                raise Fallback from None
    return "float", x, has_missing


def _gather(column: _Column, strings: pa.Array, na: pa.Array, start: int) -> None:
    if column.text:  # as written; only the empty field is missing
        column.pieces.append(pc.if_else(pc.equal(strings, ""), pa.scalar(None, pa.string()), strings))
        return
    kind, values, missing = _typed(strings, na)
    column.add(kind, values, missing, start)


def _finish(column: _Column, count: int, text_dtype: Any) -> Any:
    """The column of a whole block of ``count`` rows, with the dtype pandas gives that block."""
    if column.text:
        return pa.chunked_array(column.pieces, pa.string()).to_pandas(types_mapper={pa.string(): text_dtype}.get)
    kinds = column.kinds
    if kinds == {"bool"} or (kinds == {"int"} and not column.missing):
        return np.concatenate(column.pieces)
    if kinds <= {"int", "float"} and column.floats is not None:
        return column.floats[:count]
    raise Fallback  # booleans beside numbers, or missing booleans: pandas' object columns


def _batches(path: Path, header: Sequence[Hashable], wanted: Sequence[str], sep: str, compression: str | None) -> Any:
    """The raw file and pyarrow's streaming reader of its ``wanted`` columns, all as text."""
    raw = pa.OSFile(str(path))
    stream = raw if compression is None else pa.CompressedInputStream(raw, CODECS[compression])
    reader = pcsv.open_csv(
        stream,
        read_options=pcsv.ReadOptions(column_names=[str(c) for c in header], skip_rows=1, block_size=BLOCK_BYTES),
        parse_options=pcsv.ParseOptions(delimiter=sep, newlines_in_values=True),
        convert_options=pcsv.ConvertOptions(
            column_types=dict.fromkeys(wanted, pa.string()),
            include_columns=list(wanted),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            null_values=[],
        ),
    )
    return raw, reader


def read_blocks(
    path: Path,
    header: Sequence[Hashable],
    wanted: Sequence[Hashable],
    text: Sequence[Hashable],
    buffer_rows: int,
    *,
    sep: str,
    compression: str | None,
) -> Iterator[tuple[pd.DataFrame, int]]:
    """Blocks of exactly ``buffer_rows`` rows (the last may be shorter), each with the bytes of file it took.

    Raises :class:`Fallback` before a block that pyarrow cannot read as pandas does.
    """
    names = [str(c) for c in wanted]
    text_names = {str(c) for c in text}
    na = pa.array(_na_strings())
    text_dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    try:
        raw, reader = _batches(path, header, names, sep, compression)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError):
        raise Fallback from None
    position = 0
    with raw, ThreadPoolExecutor(max_workers=thread_count(), thread_name_prefix="mixupy") as pool:
        columns = [_Column(n in text_names, buffer_rows) for n in names]
        count = 0
        for batch in _merged(reader, TYPE_ROWS):
            start = 0
            while start < batch.num_rows:
                piece = batch.slice(start, min(batch.num_rows - start, buffer_rows - count))
                list(pool.map(_gather, columns, piece.columns, [na] * len(names), [count] * len(names)))
                start += piece.num_rows
                count += piece.num_rows
                if count == buffer_rows:
                    now = raw.tell()
                    frame = _frame(names, wanted, columns, count, text_dtype)
                    columns = [_Column(n in text_names, buffer_rows) for n in names]
                    yield frame, now - position
                    del frame  # the caller holds the block while it needs it, not this reader
                    position, count = now, 0
            batch = piece = None  # pyarrow's text of the block goes before the next is parsed
        if count:
            yield _frame(names, wanted, columns, count, text_dtype), raw.tell() - position


def _merged(reader: Any, rows: int) -> Iterator[pa.RecordBatch]:
    """pyarrow's small batches, merged into batches of at least ``rows`` rows (the last may be shorter)."""
    pending: list[pa.RecordBatch] = []
    count = 0
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            break
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # a row pyarrow refuses: pandas names it
            raise Fallback from None
        pending.append(batch)
        count += batch.num_rows
        if count >= rows:
            yield from pa.Table.from_batches(pending).combine_chunks().to_batches()
            pending, count = [], 0
    if count:
        yield from pa.Table.from_batches(pending).combine_chunks().to_batches()


def _frame(
    names: list[str], wanted: Sequence[Hashable], columns: list[_Column], count: int, text_dtype: Any
) -> pd.DataFrame:
    data = {}
    for name, column in zip(names, columns, strict=True):
        data[name] = _finish(column, count, text_dtype)
        column.pieces, column.floats = [], None  # each column's pieces go as soon as it is whole
    frame = pd.DataFrame(data, columns=names, copy=False)
    return frame.set_axis(pd.Index(list(wanted), dtype=object), axis=1)


def unsure(
    path: Path,
    header: Sequence[Hashable],
    wanted: Sequence[Hashable],
    buffer_rows: int,
    *,
    sep: str,
    compression: str | None,
) -> list[Hashable]:
    """The columns of the first block that are not plainly numbers: pandas decides how those read.

    The others are numbers on both engines (``Reader.sniff_text``). Raises :class:`Fallback` where pyarrow
    cannot parse the first block, or it holds no row.
    """  # fmt: skip
    names = [str(c) for c in wanted]
    na = pa.array(_na_strings())
    kinds: dict[str, set[str]] = {name: set() for name in names}
    try:
        raw, reader = _batches(path, header, names, sep, compression)
        count = 0
        with raw:
            while count < buffer_rows:
                try:
                    batch = reader.read_next_batch()
                except StopIteration:
                    break
                piece = batch.slice(0, buffer_rows - count)
                count += piece.num_rows
                for name, strings in zip(names, piece.columns, strict=True):
                    try:
                        kinds[name].add(_typed(strings, na)[0])
                    except Fallback:
                        kinds[name].add("other")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError):
        raise Fallback from None
    if count == 0:
        raise Fallback
    plain = [c for c, name in zip(wanted, names, strict=True) if kinds[name] <= {"int", "float"}]
    return [c for c in wanted if c not in plain]


def scan(
    path: Path, header: Sequence[Hashable], column: Hashable, *, classes: bool, sep: str, compression: str | None
) -> tuple[int, pd.Series | None]:
    """The number of rows, and with ``classes`` the distinct values of the text column ``column``, as a pandas
    Series of the column's text dtype (``Reader.scan`` sorts them)."""
    try:
        raw, reader = _batches(path, header, [str(column)], sep, compression)
        n = 0
        uniques: list[pa.Array] = []
        with raw:
            for batch in reader:
                n += batch.num_rows
                if classes:
                    strings = batch.column(0)
                    uniques.append(pc.unique(pc.if_else(pc.equal(strings, ""), pa.scalar(None, pa.string()), strings)))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError):
        raise Fallback from None
    if not classes:
        return n, None
    text_dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    return n, pa.chunked_array(uniques, pa.string()).to_pandas(types_mapper={pa.string(): text_dtype}.get)


def _na_strings() -> tuple[str, ...]:
    from mixupy._files._read import NA_STRINGS

    return NA_STRINGS


# ---------------------------------------------------------------- writing

#: Characters that a number, written by ``repr``, or a boolean may hold: a separator among them is left to pandas.
_NUMBER_CHARS = frozenset("0123456789.-+eEinfaTrueFals")


def _floats(x: np.ndarray, memory: Any) -> pa.Array:
    """``repr`` of each float64, the missing ones empty: pyarrow's shortest digits, put in Python's notation.

    ``memory`` is the Arrow memory pool of every array made here and in the other writing steps."""
    text = pc.cast(pa.array(x, memory_pool=memory), pa.string(), memory_pool=memory)
    size = np.abs(x)
    finite = np.isfinite(x)
    integral = finite & (x == np.trunc(x))
    whole = integral & (size < 1e16) & ~((x == 0) & np.signbit(x))  # '1.0', not '1'
    # pyarrow writes 1e-05 as '0.00001' and 31415926535.89793 as '3.141592653589793e+10': repr for those
    other = (finite & ~whole & ((size < 1e-4) | (size >= 1e10) | integral)) | np.isinf(x)
    missing = np.isnan(x)
    if whole.any():
        digits = pc.cast(pa.array(x[whole].astype(np.int64), memory_pool=memory), pa.string(), memory_pool=memory)
        decimals = pc.binary_join_element_wise(digits, ".0", "", memory_pool=memory)
        text = pc.replace_with_mask(text, pa.array(whole, memory_pool=memory), decimals, memory_pool=memory)
    if other.any():
        reprs = pa.array([repr(v) for v in x[other].tolist()], memory_pool=memory)
        text = pc.replace_with_mask(text, pa.array(other, memory_pool=memory), reprs, memory_pool=memory)
    if missing.any():
        empty = pa.array([""] * int(missing.sum()), memory_pool=memory)
        text = pc.replace_with_mask(text, pa.array(missing, memory_pool=memory), empty, memory_pool=memory)
    return text


def _quoted(strings: pa.Array, sep: str, memory: Any) -> pa.Array:
    """Strings as the csv module writes them (QUOTE_MINIMAL, lines ending in '\\n'); missing ones empty."""
    strings = pc.coalesce(strings, "", memory_pool=memory)  # pc.fill_null, which takes no pool
    needs = pc.match_substring_regex(strings, "[" + re.escape(sep) + '"\n]', memory_pool=memory)
    if not pc.any(needs).as_py():
        return strings
    doubled = pc.replace_substring(strings, '"', '""', memory_pool=memory)
    quoted = pc.binary_join_element_wise('"', doubled, '"', "", memory_pool=memory)
    return pc.if_else(needs, quoted, strings, memory_pool=memory)


def _column(series: pd.Series) -> tuple[str, Any] | None:
    """How a column is written: ``(kind, values)``, or None for a kind left to pandas."""
    dtype = series.dtype
    if dtype == np.float64:
        return "float", series.to_numpy()
    if dtype == np.bool_:
        return "bool", series.to_numpy()
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        return "int", series.to_numpy()
    if isinstance(dtype, pd.StringDtype) or (isinstance(dtype, np.dtype) and dtype.kind == "O"):
        memory = _arrow.memory_pool()
        try:
            values = pa.array(series, from_pandas=True, memory_pool=memory)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            return None
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks(memory_pool=memory)
        if pa.types.is_null(values.type):  # no value at all, or none but missing ones
            values = values.cast(pa.string(), memory_pool=memory)
        if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
            return "str", values.cast(pa.string(), memory_pool=memory)
    return None


def _text(kind: str, values: Any, sep: str, memory: Any) -> pa.Array:
    if kind == "float":
        return _floats(values, memory)
    if kind == "int":
        return pc.cast(pa.array(values, memory_pool=memory), pa.string(), memory_pool=memory)
    if kind == "bool":
        return pc.if_else(pa.array(values, memory_pool=memory), "True", "False", memory_pool=memory)
    return _quoted(values, sep, memory)


def _lines(columns: list[tuple[str, Any]], start: int, stop: int, sep: str) -> memoryview:
    """The bytes of rows ``start:stop``, in Arrow memory of the system allocator (``_arrow.memory_pool``)."""
    memory = _arrow.memory_pool()
    texts = [_text(kind, values[start:stop], sep, memory) for kind, values in columns]
    if len(texts) == 1:  # the csv module quotes a row's only field when it is empty
        texts[0] = pc.if_else(pc.equal(texts[0], "", memory_pool=memory), '""', texts[0], memory_pool=memory)
    texts[-1] = pc.binary_join_element_wise(texts[-1], "", "\n", memory_pool=memory)  # the line end: one column copied
    lines = pc.binary_join_element_wise(*texts, sep, memory_pool=memory) if len(texts) > 1 else texts[0]
    buffers = lines.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int32, count=lines.offset + len(lines) + 1)[lines.offset :]
    return memoryview(buffers[2])[int(offsets[0]) : int(offsets[-1])]


def _header(names: list[str], sep: str) -> bytes:
    cells = [
        f'"{n.replace(chr(34), chr(34) * 2)}"' if re.search("[" + re.escape(sep) + '"\n]', n) else n for n in names
    ]
    if cells == [""]:
        cells = ['""']
    return (sep.join(cells) + "\n").encode("utf-8")


def write(frame: pd.DataFrame, fh: IO[str], *, header: bool, sep: str) -> bool:
    """Write ``frame`` to the text stream ``fh`` as ``frame.to_csv(fh, header=header, index=False, sep=sep)``
    does, byte for byte; False (nothing written) for a frame that is left to pandas."""
    writer = Writer(fh, sep)
    try:
        return writer.write(frame, header=header)
    finally:
        writer.close()


class Writer:
    """The frames of one output written as :func:`write` writes each, on threads kept from one frame to the
    next: the rows of a frame are still being formatted while the caller makes the next frame (a piece of a
    block), and the output is always in order.

    A few tasks of :data:`WRITE_VALUES` values are in flight; each holds its frame's columns until it is done.
    :meth:`flush` writes them all (before anything else writes to the stream), :meth:`close` too, and ends the
    threads.
    """

    def __init__(self, fh: IO[str], sep: str) -> None:
        self.fh = fh
        self.sep = sep
        self.threads = thread_count()
        self.pool: ThreadPoolExecutor | None = None
        self.pending: collections.deque[Any] = collections.deque()
        self.out: Any = None

    def write(self, frame: pd.DataFrame, *, header: bool) -> bool:
        """Queue ``frame`` as :func:`write` writes it; False (nothing queued) for a frame left to pandas."""
        sep = self.sep
        if sep in _NUMBER_CHARS or frame.shape[1] == 0:
            return False
        columns = [_column(frame.iloc[:, j]) for j in range(frame.shape[1])]
        if any(c is None for c in columns):
            return False
        kinds: list[tuple[str, Any]] = [c for c in columns if c is not None]
        self.out = _binary(self.fh)  # the stream's text written before, flushed first
        if header:
            self.flush()
            self.out(_header([str(c) for c in frame.columns], sep))
        if self.pool is None:
            self.pool = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="mixupy")
        n = len(frame)
        step = max(1, WRITE_VALUES // len(kinds))
        for start in range(0, n, step):
            self.pending.append(self.pool.submit(_lines, kinds, start, min(n, start + step), sep))
            while len(self.pending) > 2 * self.threads:  # a few pieces in flight: memory stays bounded
                self.out(self.pending.popleft().result())
        return True

    def flush(self) -> None:
        """Write every row queued so far."""
        while self.pending:
            self.out(self.pending.popleft().result())

    def close(self) -> None:
        """Write every row queued, and end the threads."""
        try:
            self.flush()
        finally:
            if self.pool is not None:
                self.pool.shutdown(cancel_futures=True)
                self.pool = None
            self.pending.clear()


def _binary(fh: IO[str]) -> Any:
    """A function that writes the UTF-8 bytes made here to the text stream ``fh``: straight to its buffer when
    it has one and encodes as UTF-8, else as text, so that the stream's own encoding applies, as for pandas."""
    buffer = getattr(fh, "buffer", None)
    try:
        utf8 = codecs.lookup(getattr(fh, "encoding", None) or "").name == "utf-8"
    except LookupError:  # no encoding, or one Python does not know: the stream's write decides
        utf8 = False
    if buffer is None or not utf8:
        return lambda data: fh.write(bytes(data).decode("utf-8"))
    fh.flush()
    return buffer.write
