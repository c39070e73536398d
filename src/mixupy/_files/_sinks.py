"""Where mixed blocks go: CSV and Parquet sinks, and the spill file that holds synthetic rows meanwhile."""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Hashable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO

import numpy as np
import pandas as pd

PARQUET_SUFFIXES = (".parquet", ".pq")


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
    special = path.exists() and not path.is_file()  # a FIFO, /dev/stdout, /dev/null: written through as CSV
    if not special and path.suffix.lower() not in (*PARQUET_SUFFIXES, ".csv"):
        msg = (
            f"`target` {str(path)!r} must end in .csv (CSV) or .parquet / .pq (Parquet); got "
            f"{path.suffix or 'no extension'!r}. Hint: name the output out.csv or out.parquet."
        )
        raise ValueError(msg)
    return path


CSV_ENGINES = ("auto", "pyarrow", "pandas")


def csv_engine(engine: str) -> str:
    """``"pyarrow"`` or ``"pandas"``: ``"auto"`` is pyarrow when it can be imported; pyarrow asked for but
    missing is an ImportError that says how to install it. ``engine`` is one of :data:`CSV_ENGINES`."""
    if engine == "pandas":
        return engine
    try:
        import pyarrow.csv  # noqa: F401
    except ImportError as exc:
        if engine == "auto":
            return "pandas"
        msg = "engine='pyarrow' needs pyarrow: pip install 'mixupy[parquet]', or use engine='pandas'"
        raise ImportError(msg) from exc
    return "pyarrow"


def is_parquet(path: Path) -> bool:
    return path.suffix.lower() in PARQUET_SUFFIXES


def parquet_module(path: Path) -> Any:
    """``pyarrow.parquet``, or an ImportError that says how to install it."""
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        msg = f"Parquet ({path.name}) needs pyarrow: pip install 'mixupy[parquet]'"
        raise ImportError(msg) from exc
    return pq


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

    def takes_pieces(self, dtypes: Iterable[Any]) -> bool:
        """True when a block with columns of ``dtypes`` may come in consecutive pieces of its rows, written as the
        same output as the whole block: never, but where a sink says so."""
        return False

    def close(self) -> None:
        """Finish the output."""


class CsvSink(Sink):
    """Blocks written as CSV text with the input's separator; ``folder`` is where a spill file may go."""

    def __init__(self, fh: IO[str], folder: Path | None = None, *, sep: str = ",", engine: str = "pandas") -> None:
        super().__init__()
        self.fh = fh
        self.folder = folder
        self.sep = sep
        self.engine = engine
        self.writer: Any = None  # the pyarrow writer, made at the first block: its threads last until close

    def takes_pieces(self, dtypes: Iterable[Any]) -> bool:
        """True when every column's text is a function of its value alone, as for numbers, booleans and text
        (both writers). pandas writes datetimes and timedeltas by a format chosen for all the values of a chunk
        of rows (dates alone when every value is midnight, the digits the finest value needs): such a block
        is written whole, as before, so that its text is the same."""
        return all(_text_by_value(dtype) for dtype in dtypes)

    def _write(self, frame: pd.DataFrame) -> None:
        if self.engine == "pyarrow":  # the same bytes as to_csv, for the kinds of columns it knows
            if self.writer is None:
                from mixupy._files._arrow_csv import Writer

                self.writer = Writer(self.fh, self.sep)
            if self.writer.write(frame, header=self.rows == 0):
                return
            self.writer.flush()  # the rows before, then pandas'
        frame.to_csv(self.fh, header=self.rows == 0, index=False, sep=self.sep)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


# pandas' text and nullable dtypes, written value by value (a missing value as the empty field)
_BY_VALUE = (
    pd.StringDtype, pd.BooleanDtype, pd.Float32Dtype, pd.Float64Dtype, pd.Int8Dtype, pd.Int16Dtype, pd.Int32Dtype,
    pd.Int64Dtype, pd.UInt8Dtype, pd.UInt16Dtype, pd.UInt32Dtype, pd.UInt64Dtype,
)  # fmt: skip


def _text_by_value(dtype: Any) -> bool:
    """True when ``to_csv`` (and the pyarrow writer) write each value of a column of ``dtype`` by itself."""
    if isinstance(dtype, pd.CategoricalDtype):
        return _text_by_value(dtype.categories.dtype)
    if isinstance(dtype, np.dtype):
        return dtype.kind in "biufO"
    return isinstance(dtype, _BY_VALUE)


class ParquetSink(Sink):
    """Blocks written as row groups of one Parquet file, into ``fh`` (a binary file) for ``path``."""

    def __init__(self, fh: BinaryIO, path: Path) -> None:
        super().__init__()
        self.fh = fh
        self.path = path
        self.folder = path.absolute().parent
        self.writer: Any = None
        self.names: list[str] = []
        self.metadata: Any = None
        self.pq = parquet_module(path)

    def _write(self, frame: pd.DataFrame) -> None:
        import pyarrow as pa

        from mixupy._files import _arrow

        pool = _arrow.memory_pool()
        if self.writer is None:
            schema = _arrow.pandas_schema(frame)
            self.names, self.metadata = schema.names, schema.metadata
        table = _arrow.to_table(frame, self.names, self.metadata, pool)
        if self.writer is None:
            self.writer = self.pq.ParquetWriter(
                self.fh, table.schema, use_dictionary=_arrow.dictionary_columns(table.schema), memory_pool=pool
            )
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
