"""Reading CSV and Parquet files block by block, as written: the header checked, no implicit index."""

from __future__ import annotations

import bz2
import contextlib
import gzip
import lzma
import os
import shlex
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from mixupy._files import _arrow
from mixupy._files._sinks import is_parquet, parquet_module
from mixupy._validation import (
    ColumnNotFoundError,
    OptionConflictError,
    PicklableError,
    holds_numbers,
    is_numeric_dtype,
    is_time_dtype,
)

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
    if not path.is_file():
        raise ValueError(not_a_file(path))
    return path


def not_a_file(path: Path) -> str:
    """Why an input that exists but is not a regular file (a FIFO, a device) is refused, and what to do."""
    return (
        f"{path} is not a regular file (a pipe or a device): the header is read before the blocks, and the file "
        "may be read again for its classes, so the input must be a file that can be opened more than once. "
        "Hint: save the stream to a file first."
    )


#: The compressions that pyarrow streams (``engine="pyarrow"``); the others are read by pandas.
ARROW_COMPRESSIONS = (None, "gzip", "bz2", "zstd")

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


#: The strings that mean a missing number in a numeric column (pandas' own list). Text columns (classes,
#: categories, kept columns) have none: ``NA``, ``None`` and ``007`` are values like any other.
NA_STRINGS = (
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A",
    "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
)  # fmt: skip


def _encoding_hint(error: Exception, path: Path) -> str:
    """What to do about a file that is not UTF-8, the one encoding read: say which it seems to be, and convert it."""
    if not isinstance(error, UnicodeDecodeError):
        return ""
    utf16 = error.object[:2] in (b"\xff\xfe", b"\xfe\xff")  # the byte order mark of UTF-16 (Excel's Unicode text)
    found = "UTF-16" if utf16 else "another encoding (Latin-1 or Windows-1252?)"
    source = "UTF-16" if utf16 else "LATIN1"
    return (
        f". The file is read as UTF-8, and this one seems to be in {found}. Hint: convert it first, e.g. "
        f"iconv -f {source} -t UTF-8 {shlex.quote(str(path))} > {shlex.quote(path.stem + '-utf8' + path.suffix)}"
    )


class SeparatorError(PicklableError, ValueError):
    """A CSV file that reads as one column, although its header holds another separator: ``sep`` says which."""

    def __init__(self, message: str, sep: str) -> None:
        super().__init__(message)
        self.sep = sep


def _header(path: Path, compression: Any, sep: str) -> list[str]:
    """The header's names exactly as written, checked: unique, non-empty, and as many as line 2 has fields."""
    try:
        head = pd.read_csv(
            path, header=None, nrows=2, dtype=str, keep_default_na=False, sep=sep, compression=compression
        )
    except pd.errors.ParserError as exc:  # line 2 has more fields than the header
        msg = f"cannot read {path} as CSV: {exc}".strip()
        if "line 2" in msg:
            msg += ". The header has fewer names than the data has fields (a stray index column?); name every field."
        raise ValueError(msg) from None
    except (pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read {path} as CSV: {exc}{_encoding_hint(exc, path)}".strip()) from None
    names = [str(v) for v in head.iloc[0]]
    if len(names) == 1:
        for other in (";", "\t", "|", ",", " "):
            if other != sep and other in names[0] and (other != " " or _spaced_numbers(names[0], head)):
                shown = "\\t" if other == "\t" else other
                msg = (
                    f"{path} reads as one column, {names[0][:40]!r}: is it separated by '{shown}'? Pass sep='{shown}'."
                )
                raise SeparatorError(msg, other)
    empty = [i + 1 for i, name in enumerate(names) if name.strip() == ""]
    twice = sorted({name for name in names if names.count(name) > 1})
    if empty or twice:
        problems = [f"field(s) {empty} of the header have no name"] if empty else []
        problems += [f"the names {twice} appear more than once"] if twice else []
        hint = "give every column its own name"
        if empty[:1] == [1]:  # what DataFrame.to_csv writes by default: the index, with no name
            hint += " (a first field without a name is often an index that to_csv wrote: pass it index=False)"
        msg = f"cannot read {path} as CSV: {' and '.join(problems)}. Hint: {hint}."
        raise ValueError(msg)
    return names


def _spaced_numbers(name: str, head: pd.DataFrame) -> bool:
    """True when a one-column header and the first data line split on spaces into as many parts, the data's all
    numbers: a file separated by spaces (scikit-learn's linnerud), not one column whose name holds a space."""
    if len(head) < 2 or " " not in str(head.iloc[1, 0]):
        return False
    parts = str(head.iloc[1, 0]).split()
    return len(parts) == len(name.split()) and bool(pd.to_numeric(pd.Series(parts), errors="coerce").notna().all())


def _check_parquet_dates(schema: Any, dates: Sequence[Hashable]) -> None:
    """``dates`` parses CSV text; a Parquet file keeps its types, so a column it names must be stored as dates."""
    import pyarrow as pa

    stored = {c: schema.field(str(c)).type for c in dates}
    text = {c: str(t) for c, t in stored.items() if not (pa.types.is_temporal(t) and not pa.types.is_time(t))}
    if text:
        msg = (
            f"`dates` names Parquet columns that are not stored as dates: {text}; a Parquet file keeps its own "
            "types. Hint: store them as timestamps (pd.to_datetime(...) before to_parquet), or name them in `keep` "
            "to carry them unmixed."
        )
        raise ValueError(msg)


def resolve_names(given: Sequence[Hashable], header: Sequence[Hashable]) -> list[Hashable]:
    """The names ``given`` as the header writes them: a name the header lacks that equals exactly one of its names
    once spaces around them are removed names that column (a file written with a space after each separator,
    ``id, x, kind``, whose names the command line cannot spell, as it strips the names it is given)."""
    stripped: dict[str, list[Hashable]] = {}
    for name in header:
        stripped.setdefault(str(name).strip(), []).append(name)
    found = set(header)
    unique = {name: names[0] for name, names in stripped.items() if len(names) == 1}
    return [c if c in found else unique.get(str(c).strip(), c) for c in given]


#: Rows read at a time while looking for each ``dates`` column's first value.
_GUESS_ROWS = 4096
#: The text that pandas passes over when it guesses a column's date format from its first value.
_NOT_A_VALUE = ("", "NaT", "nat", "NAT", "nan", "NaN", "NAN")


class Reader:
    """The blocks of a CSV or Parquet file, read as written, and a light first pass over one column.

    CSV: the header must name every field, once; no column becomes an index; the columns named in ``text``
    are read as strings, byte for byte, with no missing-value markers but the empty field; ``dates`` are
    parsed as datetimes; ``drop`` are not read at all.
    """

    def __init__(
        self,
        path: Path,
        buffer_rows: int,
        *,
        sep: str = ",",
        text: Sequence[Hashable] = (),
        dates: Sequence[Hashable] = (),
        date_format: str | None = None,
        drop: Sequence[Hashable] = (),
        engine: str = "pandas",
    ) -> None:
        self.path, self.buffer_rows, self.sep = path, buffer_rows, sep
        self.parquet = is_parquet(path)
        self.unit = "rows"
        self.total: int | None = None
        if self.parquet:
            self.file = _open_parquet(path)
            names: list[Hashable] = list(self.file.schema_arrow.names)
        else:
            self.compression = _COMPRESSION.get(path.suffix.lower())
            _check_header_width(path, self.compression)
            names = list(_header(path, self.compression, sep))
            if path.is_file():
                self.unit, self.total = "B", path.stat().st_size
        drop, dates = resolve_names(drop, names), resolve_names(dates, names)
        self.drop = drop
        for option, given in (("drop", drop), ("dates", dates)):
            unknown = [c for c in given if c not in names]
            if unknown:
                raise ColumnNotFoundError(f"`{option}` names columns that are not in {path}: {unknown}.")
        self.header = names
        self.columns = pd.Index([c for c in names if c not in set(drop)], dtype=object)
        if dates and (both := [c for c in dates if c in set(drop)]):
            msg = f"columns {both} are named by both `drop` and `dates`; a dropped column is not read."
            raise OptionConflictError(msg)
        if not len(self.columns):
            msg = f"`drop` names every column of {path}: {list(drop)}; leave at least one column to mix."
            raise OptionConflictError(msg)
        self.text, self.dates = [c for c in text if c in self.columns], list(dates)
        self.date_format = date_format  # the user's, for every dates column; else guessed per column
        self._forms: dict[str, tuple[str, int, str]] | None = None  # by _date_formats, once
        # pyarrow reads what it can stream from a regular file; dates and other compressions are pandas'
        arrow = not self.parquet and path.is_file() and not self.dates and self.compression in ARROW_COMPRESSIONS
        self.engine = "pyarrow" if engine == "pyarrow" and arrow else "pandas"
        if self.parquet:
            self.total = self.file.metadata.num_rows
            _check_parquet_dates(self.file.schema_arrow, self.dates)

    @contextlib.contextmanager
    def _csv_errors(self) -> Iterator[None]:
        try:
            yield
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            msg = f"cannot read {self.path} as CSV: {exc}{_encoding_hint(exc, self.path)}".strip()
            raise ValueError(msg) from None

    def sniff_text(self, exclude: Sequence[Hashable] = ()) -> list[Hashable]:
        """The columns of the first block that do not read as numbers or dates: ``categorical="auto"`` for files."""
        columns = [c for c in self.columns if c not in set(exclude)]
        if self.engine == "pyarrow" and columns:
            from mixupy._files import _arrow_csv

            with contextlib.suppress(_arrow_csv.Fallback):  # pandas reads only the columns that are not plain
                columns = _arrow_csv.unsure(
                    self.path, self.header, columns, self.buffer_rows, sep=self.sep, compression=self.compression
                )
        if not columns:
            return []
        chunks = self._chunks(columns)
        first = next(chunks, (pd.DataFrame(columns=columns), 0))[0]
        del chunks  # the reader, closed as it goes
        decimals = set(self._decimals())
        return [
            c
            for c in first.columns
            if c not in set(exclude) | decimals
            and not (is_numeric_dtype(first[c].dtype) or is_time_dtype(first[c].dtype) or holds_numbers(first[c]))
        ]  # a Parquet file's decimal columns are numbers, refused with the way to mix them

    def _decimals(self) -> list[Hashable]:
        """A Parquet file's decimal columns, by its schema: numbers, even where a first block holds only nulls."""
        if not self.parquet:
            return []
        import pyarrow as pa

        return [f.name for f in self.file.schema_arrow if pa.types.is_decimal(f.type)]

    def _date_formats(self) -> dict[str, tuple[str, int, str]]:
        """Each ``dates`` column's format, with the first value it was guessed from and that value's row: guessed
        once from the file's first value, as pandas guesses a block's from the block's first value, so that every
        block reads its dates the same way. Else a first block holding only days up to 12 is read month first and
        a later block day first; now a value that does not fit leaves its block's column as text, which
        :func:`not_dates` explains. A column whose first value gives no format (pandas then reads each value by
        itself) is left out. With the user's ``date_format``, it is every column's, and nothing is guessed.
        """
        if self.parquet or not self.dates:
            return {}
        if self._forms is not None:
            return dict(self._forms)
        from pandas.tseries.api import guess_datetime_format

        todo = [str(c) for c in self.dates if c in set(self.columns)]
        forms: dict[str, tuple[str, int, str]] = {}
        with open(self.path, "rb") as raw, self._csv_errors():
            chunks = pd.read_csv(
                raw, sep=self.sep, compression=self.compression, usecols=todo, index_col=False, dtype=str,
                keep_default_na=False, chunksize=_GUESS_ROWS,
            )  # fmt: skip
            with chunks:
                for at, chunk in enumerate(chunks):
                    for name in todo:
                        present = ~chunk[name].isin(_NOT_A_VALUE).to_numpy()
                        if present.any():
                            first = int(present.argmax())
                            text = chunk[name].iloc[first]
                            form = self.date_format or guess_datetime_format(text) or ""
                            forms[name] = (form, at * _GUESS_ROWS + first, text)
                    todo = [name for name in todo if name not in forms]
                    if not todo or (at + 1) * _GUESS_ROWS >= self.buffer_rows:  # a first block with no date: an error
                        break
        self._forms = {name: found for name, found in forms.items() if found[0]}
        return dict(self._forms)

    def _chunks(self, columns: list[Hashable] | None = None) -> Iterator[tuple[pd.DataFrame, int]]:
        """The file in chunks of at most ``buffer_rows`` rows, each with the progress it makes."""
        if self.parquet:
            names = [str(c) for c in (self.columns if columns is None else columns)]
            pool = _arrow.memory_pool()
            with _parquet_errors(self.path):  # batches of exactly buffer_rows, across row groups: no concat
                for batch in self.file.iter_batches(batch_size=self.buffer_rows, columns=names):
                    yield _arrow.to_frame(batch, pool), batch.num_rows
            return
        # usecols only for a pass over some columns: with it, pandas lets a row with extra fields through
        wanted = list(self.columns) if columns is None else columns
        numbers = [c for c in wanted if c not in set(self.text)]
        dropped = [c for c in self.header if c not in set(wanted)]
        with open(self.path, "rb") as raw, self._csv_errors():
            reader = pd.read_csv(
                raw,
                sep=self.sep,
                chunksize=self.buffer_rows,
                compression=self.compression,
                usecols=columns,
                index_col=False,  # never an implicit index: line 2's field count was checked against the header
                dtype={str(c): str for c in self.text if c in wanted},  # a CSV's names are strings
                keep_default_na=False,
                na_values={
                    **{str(c): list(NA_STRINGS) for c in numbers},
                    **{str(c): [""] for c in self.text if c in wanted},
                },
                parse_dates=[str(c) for c in self.dates if c in wanted] or False,
                date_format=self.date_format or {n: form for n, (form, _, _) in self._date_formats().items()} or None,
                low_memory=False,  # each block's types from the whole block: no DtypeWarning on stderr
            )
            position = 0
            zones: dict[Hashable, tuple[str, Any]] = {}  # each dates column's offset, from its first block
            with reader:
                for read in reader:
                    chunk = read.drop(columns=dropped) if columns is None and dropped else read
                    for name in (c for c in self.dates if c in chunk.columns):
                        column = chunk[name]
                        if column.empty:  # a header and no rows: nothing that is not a date
                            continue
                        if is_time_dtype(column.dtype):  # and with the UTC offset of its first block, as in one
                            zone, at = str(getattr(column.dtype, "tz", None)), int(column.index[0])
                            if zones.setdefault(name, (zone, ("", at, str(column.iloc[0]))))[0] == zone:
                                continue
                        # pandas leaves what it cannot parse as text
                        known = self._date_formats().get(str(name)) or zones.get(name, (None, None))[1]
                        raise ValueError(not_dates(column, known, given=self.date_format is not None))
                    if self.unit == "B":
                        now = raw.tell()
                        yield chunk, now - position
                        position = now
                    else:
                        yield chunk, len(chunk)

    def blocks(self) -> Iterator[tuple[pd.DataFrame, int]]:
        """Blocks of exactly ``buffer_rows`` rows (the last one may be shorter), each with the progress it makes.

        With pyarrow, the pandas reader takes over from the first block that pyarrow cannot read as it does.
        """
        done = 0
        if self.engine == "pyarrow":
            from mixupy._files import _arrow_csv

            arrow = _arrow_csv.read_blocks(
                self.path, self.header, list(self.columns), self.text, self.buffer_rows,
                sep=self.sep, compression=self.compression,
            )  # fmt: skip
            with contextlib.suppress(_arrow_csv.Fallback):
                for block, units in arrow:
                    yield block, units if self.unit == "B" else len(block)
                    del block  # the caller holds a block while it needs it: not held here while the next is read
                    done += 1
                return
        for i, item in enumerate(self._pandas_blocks()):
            if i >= done:
                yield item
            del item

    def _pandas_blocks(self) -> Iterator[tuple[pd.DataFrame, int]]:
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
        if self.engine == "pyarrow" and (class_column is None or class_column in self.text):
            from mixupy._files import _arrow_csv

            with contextlib.suppress(_arrow_csv.Fallback):
                n, distinct = _arrow_csv.scan(
                    self.path, self.header, column, classes=class_column is not None,
                    sep=self.sep, compression=self.compression,
                )  # fmt: skip
                return n, None if distinct is None else sorted_classes(distinct)
        n = 0
        uniques: list[pd.Series] = []
        for chunk, _ in self._chunks([column]):
            n += len(chunk)
            if class_column is not None:
                uniques.append(pd.Series(chunk[column].unique()))
        if class_column is None:
            return n, None
        return n, sorted_classes(pd.concat(uniques, ignore_index=True) if uniques else pd.Series([], dtype=object))


def not_dates(column: pd.Series, known: tuple[str, int, str] | None = None, *, given: bool = False) -> str:
    """Why a column named by ``dates`` did not read as dates (pandas leaves such a column as text), and what to do;
    ``column``'s index is the row of each value in the file (from 0, after the header). ``known`` is the format
    the file's first value gave (``Reader._date_formats``), or the user's (``given``), with that value's row and
    text: a later block's values are told apart from it."""
    values = column.dropna().astype(str)
    if known is not None and known[1] not in values.index:  # the file's first value, in an earlier block
        values = pd.concat([pd.Series([known[2]], index=[known[1]]), values])
    if values.empty:  # every value missing, and still not dates: say what pandas made of it
        values = pd.Series([f"({column.dtype})"], index=column.index[:1])
    first, row = values.iloc[0], values.index[0]
    parsed = pd.to_datetime(values, format="mixed", errors="coerce", utc=True)
    offsets = values.str.extract(r"(Z|[+-]\d\d:?\d\d)\s*$", expand=False).fillna("")
    forms = values.str.replace(r"\d", "0", regex=True)
    if parsed.isna().any():
        at = _first_row(parsed.isna())
        why = f"it holds {values[at]!r} at row {at}, which is not a date"
        if values[at] == str(column.name):
            why += " but the column's name: a header line in the data (files joined together?)"
    elif (offsets != offsets.iloc[0]).any():
        at = _first_row(offsets != offsets.iloc[0])
        why = f"{first!r} at row {row} and {values[at]!r} at row {at} have different UTC offsets"
    elif (forms != forms.iloc[0]).any():
        at = _first_row(forms != forms.iloc[0])
        why = f"{first!r} at row {row} and {values[at]!r} at row {at} are written in different formats"
    elif (misfit := _misfits(values, first, known[0] if known else None)) is not None:  # 05/03/2024, 13/03/2024
        at, form = misfit
        why = f"{first!r} at row {row} reads as {form}, which {values[at]!r} at row {at} does not fit (day first?)"
        if given:
            why = f"{values[at]!r} at row {at} does not fit the `date_format` {form!r}"
    else:
        why = f"pandas reads it as {column.dtype}, starting with {first!r} at row {row}"
    return (
        f"`dates` column {column.name!r} does not read as dates: {why}. Hint: "
        + ("" if given else "give the format they are written in, such as date_format='%d/%m/%Y' for day first; ")
        + "write its dates in one format with one UTC offset (ISO 8601, such as 2024-03-01T09:00:00Z), or name the "
        "column in `keep` instead of `dates` to carry it unmixed."
    )


def _misfits(values: pd.Series, first: str, form: str | None = None) -> tuple[Any, str] | None:
    """The first of ``values`` that ``form`` (by default the format pandas guesses from ``first``) does not fit,
    with that format."""
    from pandas.tseries.api import guess_datetime_format

    form = form or guess_datetime_format(first)
    if form is None:
        return None
    misfit = pd.to_datetime(values, format=form, errors="coerce").isna()
    return (_first_row(misfit), form) if misfit.any() else None


def _first_row(mask: pd.Series) -> Any:
    """The index label of the first True of ``mask``."""
    return mask.index[int(mask.to_numpy().argmax())]


def sorted_classes(values: pd.Series) -> list[Any]:
    """The distinct values of a class column (missing ones left out), sorted as :func:`mixupy.mixup` sorts its
    classes: those of a whole file (:meth:`Reader.scan`) or of one block (``mixup_file``'s first block).

    A file's class column is read as text (so that ``007`` stays ``007``); classes that all read as numbers
    (codes 0 to 10) are put in the order of those numbers, as ``mixup(pd.read_csv(file))`` orders the numbers
    pandas reads them as: ``y_2`` before ``y_10``, equal numbers (``7``, ``007``) by their text.
    """
    classes = list(pd.factorize(values, sort=True)[1])
    if classes and all(isinstance(c, str) for c in classes):
        numbers = pd.to_numeric(pd.Series(classes, dtype=object), errors="coerce")
        if numbers.notna().all():
            classes = [c for _, c in sorted(zip(numbers.tolist(), classes, strict=True))]
    return classes


#: Bytes of a local Parquet file read at a time: the column chunks stream through a buffer this size, instead of
#: every compressed byte of a row group held at once beside its decoded values (a third less peak memory for
#: row groups of 1,000,000 rows x 50 floats, measured with benchmarks/bench_parquet.py).
PARQUET_READ_BUFFER = 1 << 20


def _open_parquet(path: Path) -> Any:
    pq = parquet_module(path)
    with _parquet_errors(path):
        return pq.ParquetFile(path, pre_buffer=False, buffer_size=PARQUET_READ_BUFFER)


@contextlib.contextmanager
def _parquet_errors(path: Path) -> Iterator[None]:
    import pyarrow as pa

    try:
        yield
    except pa.ArrowException as exc:
        msg = f"cannot read {path} as Parquet: {exc}"
        raise ValueError(msg) from None
