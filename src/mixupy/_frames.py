"""polars and pyarrow tables: found without importing either library, mixed as pandas, returned in their own kind.

A public function that takes a pandas DataFrame as ``data`` starts with two lines::

    if table_kind(data) is not None:
        return call_on_pandas(mixup, locals())

and everything else happens here, once for every such function:

* **Found without importing.** A polars or pyarrow object can only exist once its library is imported, so
  :func:`table_kind` looks the library up in :data:`sys.modules` and never imports it: ``import mixupy`` and
  a call on a pandas frame load neither. narwhals does the same for many libraries; two are few enough that
  mixupy needs no dependency for it, not even an optional one.
* **In, through Arrow, without copying numbers.** A polars frame is handed over as Arrow (``to_arrow``,
  no copy), and Arrow becomes pandas with ``split_blocks=True``: float and integer columns without missing
  values become NumPy views of the Arrow buffers. Dates (``Date``, ``date32``) become ``datetime64[ms]``
  and are mixed in time. Number and boolean columns that hold nulls become Arrow-backed pandas columns,
  so that a null is reported as a missing value, as pandas' own nullable columns are, and a column
  carried unmixed (``keep=``) keeps its nulls as nulls (a NaN stays a NaN).
* **The pandas rules decide.** The function runs on that pandas frame, so every rule of columns and dtypes
  is the pandas path's, and so are its results, value for value.
* **Out, in the caller's kind and types.** The pandas result becomes Arrow (then polars, without a copy).
  A column whose pandas dtype the function kept (float32 and float64, points in time, and every column
  carried from a source: ``keep=``, ``categorical=``, exact labels) is cast back to the caller's own type
  (polars ``Enum``, ``Categorical`` and ``String``, Arrow dictionaries and strings, integers kept exact,
  time zones); a column whose pandas dtype changed (integers and booleans mixed into float64, a class
  column made into probability columns) takes the Arrow type of its new values. A mixed date is rounded
  to the nearest day.
* **Messages in the caller's terms.** Missing values and columns that cannot be mixed are reported with
  the caller's types and methods (``data.drop_nulls()``, ``String``; ``data.drop_null()``, ``large_string``).

**A polars ``LazyFrame``** given to :func:`mixupy.mixup` stays lazy: the result is the plan
``lazy.map_batches(...)`` with the output schema worked out from the input schema alone
(:func:`mixupy._columns.planned_result`, as for Dask), and the data is read once, when the caller collects
it; errors that need only the schema (a text column without ``categorical=``, an unknown column) come at
once, those that need the data (nulls) at ``collect()``. Each ``collect()`` mixes anew (with an int
``random_state``, the same rows every time). One case cannot be planned: a class column made into
probability columns (``label_mode="mix"``) whose classes the schema does not list, i.e. any dtype but
``pl.Enum``; the output columns then depend on the data, and rather than read it twice the frame is
collected once, mixed, and returned as a ``LazyFrame`` over the result. With an Enum, every category is a
probability column, as the schema promised: a category absent from the data is a column of zeros (as Dask's
known categories are; an eager call makes columns of the classes present only). So are the LazyFrames given to
:func:`mixupy.cutmix` and the time-series functions, whose output columns are not planned from a schema.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from mixupy._columns import planned_result
from mixupy._files._arrow import arrow_array
from mixupy._labels import names_class_column
from mixupy._options import MixOptions
from mixupy._validation import MissingValuesError, NonNumericColumnsError

if TYPE_CHECKING:  # for type checkers only: importing mixupy imports neither
    import polars as pl
    import pyarrow as pa

__all__ = ["Table", "call_on_pandas", "resample_on_pandas", "resampled_on_pandas", "table_kind"]

#: The kinds of table that :func:`mixupy.mixup` and the other table functions take, each returned in its own
#: kind: to a type checker too, ``mixup(polars_frame)`` is a polars frame. A bound, not constraints: pyarrow
#: ships no types, so to a checker without pyarrow-stubs its classes are ``Any``, and a constraint of ``Any``
#: makes every call ``Any``, pandas and polars too; under the bound they keep their types.
Table = TypeVar("Table", bound="pd.DataFrame | pl.DataFrame | pl.LazyFrame | pa.Table | pa.RecordBatch")


def table_kind(data: Any) -> str | None:
    """``"polars"`` for a polars DataFrame or LazyFrame, ``"pyarrow"`` for a pyarrow Table or RecordBatch,
    otherwise None.

    Imports nothing: a library that is not in :data:`sys.modules` cannot have made ``data``.
    """
    pl = sys.modules.get("polars")
    if pl is not None and isinstance(data, (pl.DataFrame, pl.LazyFrame)):
        return "polars"
    pa = sys.modules.get("pyarrow")
    if pa is not None and isinstance(data, (pa.Table, pa.RecordBatch)):
        return "pyarrow"
    return None


def call_on_pandas(function: Callable[..., pd.DataFrame], arguments: Mapping[str, Any]) -> Any:
    """``function(**arguments)`` with ``arguments["data"]`` (a polars or pyarrow table) as a pandas frame,
    and its result returned in the caller's kind (see the module docstring)."""
    data = arguments["data"]
    pl = sys.modules.get("polars") if table_kind(data) == "polars" else None
    if pl is not None and isinstance(data, pl.LazyFrame):
        plan = _lazy_plan(pl, function, arguments, data)
        return plan if plan is not None else call_on_pandas(function, {**arguments, "data": data.collect()}).lazy()
    table = _arrow_table(pl, data)
    frame = _to_pandas(table)
    with _in_callers_terms(pl, data):
        result = function(**{**arguments, "data": frame})
    return _in_callers_kind(pl, data, table, frame, result)


def resampled_on_pandas(X: Any, y: Any) -> bool:
    """Whether a sampler's ``fit_resample(X, y)`` goes through :func:`resample_on_pandas`: ``X`` is a polars or
    pyarrow table, or ``y`` a polars Series or frame or a pyarrow array or table (scikit-learn and imbalanced-learn
    would return such a ``y`` as pandas or NumPy, or fail on a frame of them deep inside pandas)."""
    if table_kind(X) is not None or table_kind(y) is not None:
        return True
    pl, pa = sys.modules.get("polars"), sys.modules.get("pyarrow")
    return (pl is not None and isinstance(y, pl.Series)) or (
        pa is not None and isinstance(y, (pa.Array, pa.ChunkedArray))
    )


def resample_on_pandas(fit_resample: Callable[..., tuple[Any, Any]], X: Any, y: Any, params: Mapping[str, Any]) -> Any:
    """A sampler's ``fit_resample(X, y, **params)`` on a polars or pyarrow ``X`` or ``y`` (a polars ``LazyFrame`` is
    collected: a sampler returns rows), run on pandas; ``X`` and ``y`` come back in the caller's kinds.

    ``X`` may be a table or anything the sampler takes as it is; ``y`` a polars Series or frame, a pyarrow Array,
    ChunkedArray or table (then it comes back as one, in its own types), or anything the sampler takes as it is.
    ``fit_resample`` may also be the sampler's ``fit``: the sampler it returns is returned as it is.
    """
    X, y = _collected(X), _collected(y)
    pl = sys.modules.get("polars") if table_kind(X) == "polars" else None
    table = _arrow_table(pl, X, "X") if table_kind(X) is not None else None
    frame = X if table is None else _to_pandas(table)
    labels = _labels_to_pandas(y)
    with _in_callers_terms(pl, X) if table is not None else contextlib.nullcontext():
        result = fit_resample(frame, labels, **params)
    if not isinstance(result, tuple):  # fit: the fitted sampler
        return result
    X_res, y_res = result
    X_out = X_res if table is None else _in_callers_kind(pl, X, table, frame, X_res)
    return X_out, _labels_back(y_res, y, labels)


def _collected(data: Any) -> Any:
    """A polars ``LazyFrame`` collected (a sampler returns rows); anything else as it is."""
    pl = sys.modules.get("polars")
    return data.collect() if pl is not None and isinstance(data, pl.LazyFrame) else data


def _in_callers_kind(pl: Any, data: Any, table: Any, frame: pd.DataFrame, result: pd.DataFrame) -> Any:
    """``result``, of a call on ``frame`` (the caller's ``data``, as the Arrow ``table``, as pandas), in the kind
    of ``data`` (polars when ``pl`` is given, else pyarrow), with the caller's types where pandas kept a dtype."""
    kept = _kept(result, frame)
    if pl is None:
        out = _to_arrow(result, table.schema, kept)
        if data is table:  # a Table
            return out
        import pyarrow as pa  # a RecordBatch: one batch of it all

        return pa.RecordBatch.from_arrays([column.combine_chunks() for column in out.columns], schema=out.schema)
    return _polars_types(pl, pl.from_arrow(_to_arrow(result, None, kept)), data.schema, kept)


def _arrow_table(pl: Any, data: Any, name: str = "data") -> Any:
    """The caller's table (the parameter ``name``) as one Arrow table: a polars frame (``pl`` given) without
    copying, a pyarrow Table as it is, a RecordBatch as the table of that one batch."""
    if pl is not None:
        return _polars_to_arrow(data, name)
    import pyarrow as pa  # here only: a pyarrow object is at hand

    return data if isinstance(data, pa.Table) else pa.Table.from_batches([data])


def _polars_to_arrow(frame: Any, name: str = "data") -> Any:
    """A polars frame as Arrow, or a message naming the columns that Arrow cannot hold (``Int128``, ``UInt128``),
    where pyarrow would say only "Invalid or unsupported format string: '_pli128'" (``name``: the parameter)."""
    try:
        return frame.to_arrow()
    except ValueError as error:  # pyarrow's ArrowInvalid
        bad = {column: dtype for column, dtype in frame.schema.items() if _fails_in_arrow(frame.select(column))}
        if not bad:
            raise
        listed = ", ".join(f"{column!r} ({dtype})" for column, dtype in bad.items())
        what = f"`{name}` holds {next(iter(bad.values()))} values" if name == "y" else f"`{name}` columns {listed}"
        msg = (
            f"{what}, which Arrow, through which mixupy reads polars data, cannot hold ({error}). Hint: cast them to "
            "pl.Int64 or pl.Float64 first (.cast(pl.Int64)), or drop them."
        )
        raise TypeError(msg) from None


def _fails_in_arrow(column: Any) -> bool:
    try:
        column.to_arrow()
    except ValueError:
        return True
    return False


def _labels_to_pandas(y: Any) -> Any:
    """A polars Series or a pyarrow Array or ChunkedArray as a pandas Series (its name kept); anything else as is."""
    if table_kind(y) is not None:  # a frame of labels or targets, as pandas as X is
        return _to_pandas(_arrow_table(sys.modules.get("polars") if table_kind(y) == "polars" else None, y, "y"))
    pl, pa = sys.modules.get("polars"), sys.modules.get("pyarrow")
    if pl is not None and isinstance(y, pl.Series):
        return _to_pandas(_polars_to_arrow(y.to_frame(), "y")).iloc[:, 0]
    if pa is not None and isinstance(y, (pa.Array, pa.ChunkedArray)):
        return _to_pandas(pa.table({"y": y})).iloc[:, 0].rename(None)
    return y


def _labels_back(y_res: Any, y: Any, given: Any) -> Any:
    """The resampled labels in the kind and type of the caller's ``y`` (``given``: ``y`` as the sampler was
    given it, :func:`_labels_to_pandas`). Floats where ``given`` had another dtype (mixed regression targets, of
    integers or float32 as pandas returns them) keep their float64: the caller's type would truncate them."""
    if table_kind(y) is not None:  # a frame of labels or targets: in its kind and types, as X is
        pl_y = sys.modules.get("polars") if table_kind(y) == "polars" else None
        return _in_callers_kind(pl_y, y, _arrow_table(pl_y, y), given, pd.DataFrame(y_res))
    pl, pa = sys.modules.get("polars"), sys.modules.get("pyarrow")
    result = pd.Series(y_res)
    own = result.dtype.kind == "f" and result.dtype != getattr(given, "dtype", None)
    if pl is not None and isinstance(y, pl.Series):
        labels = pl.from_arrow(arrow_array(result, nan_is_null=False)).alias(y.name)
        return labels if own else labels.cast(y.dtype)
    if pa is not None and isinstance(y, (pa.Array, pa.ChunkedArray)):
        values = arrow_array(result, nan_is_null=False)
        values = values if own else values.cast(y.type)
        return pa.chunked_array([values], values.type) if isinstance(y, pa.ChunkedArray) else values
    return y_res


def _lazy_plan(pl: Any, function: Callable[..., pd.DataFrame], arguments: Mapping[str, Any], lazy: Any) -> Any:
    """``function`` on a LazyFrame as a lazy plan of a known schema; None where the output columns need the data."""
    from mixupy import frame  # here: mixupy.frame imports this module

    if function is not frame.mixup:  # only mixup's output columns are planned from a schema
        return None
    schema = lazy.collect_schema()
    options = MixOptions.from_arguments(arguments)
    options = options.pair_by(*(arguments[name] for name in ("target", "pairing", "bandwidth", "k_neighbors")))
    labels = arguments["labels"]
    classes_needed = names_class_column(labels, pd.Index(schema.names())) and labels in schema and not options.exact
    if classes_needed and not isinstance(schema[labels], pl.Enum):  # the classes are columns: only an Enum lists them
        return None
    meta = _to_pandas(_polars_to_arrow(pl.DataFrame(schema=schema)))
    with _in_callers_terms(pl, lazy):
        _, _, empty = planned_result(meta, options, labels, unknown_classes="they must be known in advance.")
    kept = _kept(empty, meta)
    planned = _polars_types(pl, pl.from_arrow(_to_arrow(empty, None, kept)), schema, kept).schema

    def mix(batch: Any) -> Any:  # the whole frame, once per collect()
        out = call_on_pandas(function, {**arguments, "data": batch})
        absent = [name for name in planned.names() if name not in out.columns]  # an Enum's classes not in the data
        return out.with_columns(pl.lit(0.0).alias(name) for name in absent).select(planned.names()) if absent else out

    return lazy.map_batches(mix, schema=planned, streamable=False)


@contextlib.contextmanager
def _in_callers_terms(pl: Any, data: Any) -> Iterator[None]:
    """Missing values and non-numeric columns, re-raised worded for a polars (``pl`` given) or pyarrow caller."""
    try:
        yield
    except (MissingValuesError, NonNumericColumnsError) as error:
        if pl is None:
            raise _in_terms(error, "pyarrow", {f.name: str(f.type) for f in data.schema}) from None
        schema = data.collect_schema() if isinstance(data, pl.LazyFrame) else data.schema
        raise _in_terms(error, "polars", {name: str(dtype) for name, dtype in schema.items()}) from None


def _kept(result: pd.DataFrame, frame: pd.DataFrame) -> list[Any]:
    """The columns of ``result`` whose pandas dtype is that of ``frame``'s column of that name.

    (``None == np.dtype("float64")`` holds, as NumPy reads None as float64: hence no ``dict.get``.)
    """
    before = dict(zip(frame.columns, frame.dtypes, strict=True))
    return [
        name
        for name, dtype in zip(result.columns, result.dtypes, strict=True)
        if name in before and before[name] == dtype
    ]


def _to_pandas(table: Any) -> pd.DataFrame:
    """An Arrow table as pandas: numbers without missing values as views, dates as ``datetime64[ms]``,
    number and boolean columns with nulls Arrow-backed (their nulls missing values, and carried as nulls)."""
    import pyarrow as pa  # here only: a table is at hand, so pyarrow is already imported

    frame = table.to_pandas(split_blocks=True, date_as_object=False)
    for j, field in enumerate(table.schema):
        column = table.column(j)
        if column.null_count and (
            pa.types.is_integer(field.type) or pa.types.is_floating(field.type) or pa.types.is_boolean(field.type)
        ):
            frame.isetitem(j, pd.array(column, dtype=pd.ArrowDtype(field.type)))
    return frame


def _to_arrow(result: pd.DataFrame, schema: Any, kept: list[Any]) -> Any:
    """The pandas result as an Arrow table; with ``schema`` (the caller's), the ``kept`` columns in its types."""
    import pyarrow as pa
    import pyarrow.compute as pc

    # column by column: pa.Table.from_pandas copies a block of floats, arrow_array takes each NumPy column as
    # it is; NumPy numbers hold no nulls (_to_pandas keeps a column's nulls as nulls: a NaN is a NaN), other
    # columns may (None, NaN, NaT)
    out = pa.table({name: arrow_array(values, nan_is_null=False) for name, values in result.items()})
    if schema is None:
        return out
    for name in kept:
        field = schema.field(name)
        j = out.schema.get_field_index(name)
        column = out.column(j)
        if column.type != field.type:
            if pa.types.is_date(field.type):  # a date mixed in time: the nearest day
                column = pc.round_temporal(column, multiple=1, unit="day")
            out = out.set_column(j, field, column.cast(field.type))
    return out


def _polars_types(pl: Any, frame: Any, schema: Mapping[str, Any], kept: list[Any]) -> Any:
    """A polars frame with the ``kept`` columns in the caller's polars types (dates to the nearest day)."""
    now = frame.schema  # built anew at each access
    casts = [
        (pl.col(name).dt.round("1d") if schema[name] == pl.Date else pl.col(name)).cast(schema[name])
        for name in kept
        if now[name] != schema[name]
    ]
    return frame.with_columns(casts) if casts else frame


def _in_terms(
    error: MissingValuesError | NonNumericColumnsError, kind: str, types: Mapping[str, str]
) -> ValueError | TypeError:
    """The same error worded for a polars or pyarrow caller: its types, its methods."""
    if isinstance(error, NonNumericColumnsError):
        columns = {c: types.get(str(c), d) for c, d in error.columns.items()}
        return NonNumericColumnsError(
            error.name, columns, terms=kind, detail=error.detail, dates=error.dates, options=error.options,
            numbers=error.numbers,
        )  # fmt: skip
    return MissingValuesError(error.name, error.found, terms=kind)
