"""Arrow and pandas, for Parquet blocks: as few copies as the data allows, and the memory pool they use.

A Parquet block goes Arrow → pandas → (mixed) → pandas → Arrow. The defaults of pyarrow copy it at both ends:

* ``RecordBatch.to_pandas()`` gathers the columns of one dtype into one 2-D block, a copy of every value.
  With ``split_blocks=True`` each column is its own block, and a numeric column without nulls is a view of
  Arrow's buffer: no copy. (A column with nulls, a string or a dictionary column converts as before.)
* ``Table.from_pandas`` wraps a float column without a copy, but first reads every value of it, looking for
  NaN to turn into nulls. A mixed column never holds NaN (the kernel refuses it in its input), so
  :func:`to_table` looks with one summing pass, the package's finiteness test, and wraps the column as it
  is when the sum is finite; otherwise it asks Arrow for the same conversion as ``from_pandas``.

The memory pool: :func:`memory_pool` is the one passed to every pyarrow call that takes one; the process-wide
default is never changed (no ``pyarrow.set_memory_pool``).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mixupy._validation import finite_sum


def memory_pool() -> Any:
    """The Arrow memory pool of mixupy's conversions and writes: the system allocator (``malloc``).

    NumPy allocates with ``malloc`` too, so what Arrow frees in these calls (the pages of a row group just
    written, a column converted with a copy) goes back to the heap that the next block's NumPy arrays come
    from, instead of staying reserved in a second allocator. Measured (docs/scaling.md): the first 200 MB
    NumPy array filled after reading a Parquet block costs about 0.04 s of CPU under the system pool as the
    process default and 0.23 to 0.36 s under mimalloc, pyarrow 26's default (``pq.ParquetFile`` itself
    takes no pool: its decoding stays with the process default, which mixupy never changes).
    """
    import pyarrow as pa

    return pa.system_memory_pool()


def to_frame(batch: Any, pool: Any) -> pd.DataFrame:
    """``batch.to_pandas()``, the same columns and dtypes, with numeric columns without nulls as views."""
    return batch.to_pandas(split_blocks=True, memory_pool=pool)


def pandas_schema(frame: pd.DataFrame) -> Any:
    """The schema, with pandas' metadata, that ``pa.Table.from_pandas(frame, preserve_index=False)`` gives.

    Read from the dtypes alone for NumPy columns (no pass over their values).
    """
    import pyarrow as pa

    return pa.Schema.from_pandas(frame, preserve_index=False)


def to_table(frame: pd.DataFrame, names: Sequence[str], metadata: Any, pool: Any) -> Any:
    """``pa.Table.from_pandas(frame, preserve_index=False)``: the same columns, types and values, fewer passes.

    ``names`` and ``metadata`` are those of :func:`pandas_schema` (of this frame or of an earlier block with
    the same columns). A float column without NaN, and an integer or bool column, is wrapped without a copy.
    """
    import pyarrow as pa

    arrays = [arrow_array(frame.iloc[:, j], nan_is_null=True, pool=pool) for j in range(frame.shape[1])]
    return pa.Table.from_arrays(arrays, names=list(names)).replace_schema_metadata(metadata)


def arrow_array(series: pd.Series, *, nan_is_null: bool, pool: Any = None) -> Any:
    """One pandas column as an Arrow array; a NumPy number column is wrapped without a copy.

    ``nan_is_null``: a NaN becomes a null, as ``pa.Table.from_pandas`` makes it (Parquet files); then a float
    column is wrapped as it is only when one summing pass finds no NaN. False keeps a NaN a NaN (a polars or
    pyarrow table returned by :mod:`mixupy._frames`). Other columns (strings, categories, times, nullable
    dtypes) convert as ``from_pandas`` converts them, their missing values as nulls.
    """
    import pyarrow as pa

    dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "biuf":
        values = series.to_numpy(copy=False)
        if not nan_is_null or dtype.kind != "f" or finite_sum(values):  # no NaN to turn into a null
            return pa.array(values, memory_pool=pool)
    return pa.array(series, from_pandas=True, memory_pool=pool)


def dictionary_columns(schema: Any) -> list[Hashable]:
    """The columns worth dictionary encoding in a Parquet file: all but the floating-point ones.

    Mixed values are continuous: a float column holds as many distinct values as rows, so the writer's
    dictionary overflows its page limit at once and the writer falls back to plain encoding, after
    hashing every value of the column chunk for nothing (about two thirds of the writing time, measured).
    """
    import pyarrow as pa

    return [field.name for field in schema if not pa.types.is_floating(field.type)]
