"""Checks of tables: frames, their columns, their values, and probability rows."""

from __future__ import annotations

import datetime
import decimal
import numbers
import shlex
import warnings
from collections.abc import Hashable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from mixupy._validation._common import ColumnNotFoundError, PicklableError, _show, finite_sum


def is_numeric_dtype(dtype: Any) -> bool:
    """True for the dtypes mixup interpolates: bool, integer and real floating, numpy or nullable."""
    if isinstance(dtype, pd.CategoricalDtype):
        return False
    return bool(
        pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_float_dtype(dtype)
    )


def check_frame(data: Any, name: str = "data") -> pd.DataFrame:
    """Check ``data`` is a non-empty DataFrame with unique column names."""
    if not isinstance(data, pd.DataFrame):
        hint = ""
        if isinstance(data, np.ndarray):
            hint = " Hint: wrap an array as pd.DataFrame(array), or use mixupy.mixup_arrays for arrays."
        msg = f"`{name}` must be a pandas DataFrame; got {type(data).__name__}.{hint}"
        raise TypeError(msg)
    shape = data.shape
    if shape[0] == 0 or shape[1] == 0:
        msg = f"`{name}` must have at least one row and one column; got shape {shape}."
        raise ValueError(msg)
    if not data.columns.is_unique:
        dupes = list(data.columns[data.columns.duplicated()].unique())
        msg = f"`{name}` must have unique column names; these appear more than once: {dupes}."
        raise ValueError(msg)
    return data


def numeric_block(data: pd.DataFrame) -> np.ndarray | None:
    """The frame's values as one ``(rows, columns)`` NumPy array when every column holds numbers of one NumPy
    dtype (bool, integer or real float), else None; a view of pandas' own block, never a copy.

    This asks pandas' block manager whether the frame is one block (a look at one attribute), not
    ``data.dtypes``, which builds a Series and costs more than mixing a small frame; a pandas without that
    attribute is asked the public way. Either way the dtype rule is :func:`is_numeric_dtype`'s.
    """
    blocks = getattr(getattr(data, "_mgr", None), "blocks", None)
    if isinstance(blocks, tuple):
        if len(blocks) != 1:
            return None
        dtype = getattr(blocks[0], "dtype", None)
    else:  # pragma: no cover - a pandas whose frames hold no block manager
        found = set(data.dtypes)
        dtype = found.pop() if len(found) == 1 else None
    if not isinstance(dtype, np.dtype) or dtype.kind not in "biuf":
        return None
    values = data.to_numpy(copy=False)
    return values if values.dtype == dtype and values.shape == data.shape else None


def column_dtypes(data: pd.DataFrame) -> dict[Hashable, Any]:
    """Each column's dtype, by name, read once: ``data[c].dtype`` would build a Series per column, and
    ``data.dtypes`` a Series of them (a block manager's list of dtypes is asked first, where pandas has one)."""
    get_dtypes = getattr(getattr(data, "_mgr", None), "get_dtypes", None)
    found = get_dtypes() if callable(get_dtypes) else data.dtypes
    return dict(zip(data.columns.tolist(), list(found), strict=True))


def check_columns_exist(data: pd.DataFrame, columns: Sequence[Hashable], name: str) -> None:
    """Raise ValueError listing any of ``columns`` that ``data`` lacks."""
    missing = [c for c in columns if c not in data.columns]
    if missing:
        msg = f"`{name}` names columns that are not in `data`: {missing}. Columns are: {list(data.columns)}."
        raise ColumnNotFoundError(msg)


#: How a message names the ways out, in Python (parameters) or on the command line (flags).
TERMS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "python": MappingProxyType(
            {
                "categorical": "categorical={}",
                "keep": "keep={}",
                "labels": "labels={}",
                "drop": "{data}.drop(columns={columns})",
                "dates": "pd.to_datetime(...) on {}",
                "fill": "fill them (df.fillna(...)) or drop those rows (df.dropna())",
            }
        ),
        "cli": MappingProxyType(
            {
                "categorical": "--categorical {}",
                "keep": "--keep {}",
                "labels": "--labels {}",
                "drop": "--drop {columns}",
                "dates": "--dates {}",
                "fill": "fill them or drop those rows first (rows count from 0, the first row after the header)",
            }
        ),
        # mixupy.mixup_file: the file's rows, its own parameters (drop=, dates=)
        "file": MappingProxyType(
            {
                "categorical": "categorical={}",
                "keep": "keep={}",
                "labels": "labels={}",
                "drop": "drop={columns}",
                "dates": "dates={}",
                "fill": "fill them or drop those rows first (rows count from 0, the first row after the header)",
            }
        ),
        # a polars DataFrame or LazyFrame, a pyarrow Table (mixupy._frames): the same parameters, its own methods
        "polars": MappingProxyType(
            {
                "categorical": "categorical={}",
                "keep": "keep={}",
                "labels": "labels={}",
                "drop": "{data}.drop({columns})",
                "dates": "pl.col(...).str.to_datetime() on {}",
                "fill": "fill them (data.fill_null(...), data.fill_nan(...)) or drop those rows (data.drop_nulls(),"
                " data.drop_nans())",
            }
        ),
        "pyarrow": MappingProxyType(
            {
                "categorical": "categorical={}",
                "keep": "keep={}",
                "labels": "labels={}",
                "drop": "{data}.drop_columns({columns})",
                "dates": "pyarrow.compute.strptime(...) on {}",
                "fill": "fill them (pyarrow.compute.fill_null(...)) or drop those rows (data.drop_null())",
            }
        ),
    }
)


#: How a caller of each kind converts a column of number objects (decimals) to floats.
_CASTS = MappingProxyType(
    {"polars": "pl.col({c!r}).cast(pl.Float64)", "pyarrow": "pyarrow.compute.cast({data}[{c!r}], 'float64')"}
)


def _names(columns: Sequence[Hashable], terms: str) -> str:
    """Column names as a caller writes them: a Python list, or one word of a shell command (quoted where needed)."""
    return repr(list(columns)) if terms != "cli" else shlex.quote(",".join(str(c) for c in columns))


def is_time_dtype(dtype: Any) -> bool:
    """True for datetime64 (with or without a zone) and timedelta64 columns: mixed as points in time."""
    return bool(
        isinstance(dtype, pd.DatetimeTZDtype)
        or pd.api.types.is_datetime64_dtype(dtype)
        or pd.api.types.is_timedelta64_dtype(dtype)
    )


def is_text_like(dtype: Any) -> bool:
    """True for the dtypes ``categorical="auto"`` takes: text, ``category``, object and bool-less others."""
    return not (is_numeric_dtype(dtype) or is_time_dtype(dtype)) and not pd.api.types.is_complex_dtype(dtype)


class NonNumericColumnsError(PicklableError, TypeError):
    """Columns that mixup cannot interpolate, all of them at once; :meth:`describe` words the ways out.

    ``columns`` maps each column to its dtype, as text. ``options`` are the ways out that the hint may name
    (``mixup``'s all four; a sampler, whose labels are ``y`` and which mixes no datetimes, only ``categorical``):
    ``"dates"`` offers to parse the text columns that look like dates, which otherwise count as text.
    """

    def __init__(
        self,
        name: str,
        columns: Mapping[Hashable, str],
        *,
        terms: str = "python",
        detail: str = "",
        dates: Sequence[Hashable] = (),
        options: Sequence[str] = ("categorical", "keep", "labels", "dates"),
        numbers: Sequence[Hashable] = (),
    ) -> None:
        self.name, self.columns, self.detail, self.dates = name, dict(columns), detail, list(dates)
        self.options, self.numbers = tuple(options), list(numbers)
        super().__init__(self.describe(terms))

    def describe(self, terms: str) -> str:
        """The message in ``terms``: a key of :data:`TERMS`, ``"python"`` (parameters) or ``"cli"`` (flags)."""
        words = TERMS[terms]
        listed = ", ".join(f"{c!r} ({d})" for c, d in self.columns.items())
        what = f"`{self.name}`" if terms not in ("cli", "file") else "the file"
        text = [c for c, d in self.columns.items() if not d.startswith(("datetime", "timedelta", "complex"))]
        dates = self.dates if "dates" in self.options else []
        text = [c for c in text if c not in dates]
        ways = [f"{words['dates'].format(_names(dates, terms))} to mix the dates in time"] if dates else []
        if self.numbers:  # Python number objects (Decimal, from a database), which pandas keeps as object
            one = len(self.numbers) == 1
            held = "it holds" if one else "they hold"
            if terms in ("cli", "file"):  # a Parquet file's decimal columns
                numbers = f"store {', '.join(map(repr, self.numbers))} as floats (float64) in the file"
            else:
                cast = _CASTS.get(terms, "{data}[{c!r}].astype(float)")
                numbers = ", ".join(cast.format(data=self.name, c=c) for c in self.numbers)
            ways.append(f"{numbers} to mix {'it' if one else 'them'} as numbers")
            ways[-1] += f" ({held} number objects, such as Decimal)"
        if text and "categorical" in self.options:
            ways.append(f"{words['categorical'].format(_names(text, terms))} to give each new row the category of")
            ways[-1] += " its dominant source"
        if text and "keep" in self.options:
            ways[-1] += f", {words['keep'].format(_names(text, terms))} to carry them unmixed (an id, a group)"
        columns = _names(list(self.columns), terms)
        ways.append(f"{words['drop'].format(data=self.name, columns=columns)} to leave them out")
        if len(text) == 1 and "labels" in self.options:
            label = repr(text[0]) if terms != "cli" else _names(text, terms)
            ways.append(f"{words['labels'].format(label)} if it is the class")
        hint = "; ".join(ways)
        return f"{what} has non-numeric columns: {listed}{self.detail}. mixup interpolates numbers. Hint: {hint}."


def check_numeric_columns(
    data: pd.DataFrame,
    columns: Sequence[Hashable],
    name: str = "data",
    *,
    times: bool = False,
    dtypes: dict[Hashable, Any] | None = None,
    options: Sequence[str] = ("categorical", "keep", "labels", "dates"),
    detail: str = "",
) -> None:
    """Raise :class:`NonNumericColumnsError` listing every column whose dtype is not bool, integer or float.

    ``times=True`` also accepts datetime and timedelta columns, which :func:`mixupy.mixup` mixes as points in time.
    ``dtypes``: :func:`column_dtypes` of ``data``, when the caller has read them already. ``options`` and
    ``detail`` (said after the columns): see :class:`NonNumericColumnsError`.
    """
    dtypes = column_dtypes(data) if dtypes is None else dtypes
    bad = {
        c: str(dtypes[c]) for c in columns if not (is_numeric_dtype(dtypes[c]) or (times and is_time_dtype(dtypes[c])))
    }
    if bad:
        dates = [
            c for c in bad if not is_time_dtype(dtypes[c]) and _looks_like_a_date(next(iter(data[c].dropna()), None))
        ]
        numbers = [c for c in bad if holds_numbers(data[c])]
        raise NonNumericColumnsError(name, bad, dates=dates, options=options, detail=detail, numbers=numbers)


#: What :func:`pandas.api.types.infer_dtype` says of an object column that holds numbers only.
_NUMBER_KINDS = frozenset({"decimal", "integer", "floating", "mixed-integer-float"})
#: What it says of numbers of two kinds (Decimal with int or float) and of Fractions, as of numbers with text.
_MIXED_KINDS = frozenset({"mixed", "mixed-integer"})


def holds_numbers(column: pd.Series) -> bool:
    """True for an object column whose values (missing ones aside) are all Python numbers, such as the
    ``Decimal`` values a database driver gives (with ints among them, or floats): numbers to convert, not
    categories. Booleans and complex numbers are not such numbers."""
    if column.dtype != object:
        return False
    kind = pd.api.types.infer_dtype(column, skipna=True)
    if kind in _NUMBER_KINDS:
        return True
    return kind in _MIXED_KINDS and all(_is_real(value) for value in column.dropna())  # stops at the first text


def _is_real(value: Any) -> bool:
    return isinstance(value, (numbers.Real, decimal.Decimal)) and not isinstance(value, (bool, np.bool_))


def check_one_hot_columns(data: pd.DataFrame, columns: Sequence[Hashable]) -> None:
    """``labels`` given as a list names one-hot or probability columns: each must hold numbers. A class column
    in the list is refused with the way to name it (alone, not in a list)."""
    dtypes = column_dtypes(data)
    bad = {c: str(dtypes[c]) for c in columns if not is_numeric_dtype(dtypes[c])}
    if bad:
        listed = ", ".join(f"{c!r} ({d})" for c, d in bad.items())
        first = next(iter(bad))
        msg = (
            f"`labels` given as a list names one-hot or probability columns, which hold numbers; {listed} "
            f"{'does' if len(bad) == 1 else 'do'} not. Hint: name a class column alone, not in a list: "
            f"labels={first!r}."
        )
        raise TypeError(msg)


class MissingValuesError(PicklableError, ValueError):
    """Missing or infinite values, every column at once: count and first row position (from 0) of each;
    ``where`` says where those rows count from, when not from the start of the data given (a Dask partition)."""

    def __init__(
        self, name: str, found: Mapping[Hashable, tuple[str, int, int]], *, terms: str = "python", where: str = ""
    ) -> None:
        self.name, self.found, self.where = name, dict(found), where
        super().__init__(self.describe(terms))

    def describe(self, terms: str, offset: int = 0) -> str:
        """The message in ``terms``; ``offset`` is the position of the data's first row in a larger table."""
        what = f"`{self.name}`" if terms not in ("cli", "file") else "the file's"
        listed = "; ".join(
            f"{what} column {c!r} holds {count} {kind} value(s), the first at row {first + offset}{self.where}"
            for c, (kind, count, first) in self.found.items()
        )
        return f"{listed}. mixup needs complete, finite rows. Hint: {TERMS[terms]['fill']}."


def check_complete(data: pd.DataFrame, columns: Sequence[Hashable], name: str = "data") -> None:
    """Raise :class:`MissingValuesError` for every column of ``columns`` holding missing or infinite values."""
    found: dict[Hashable, tuple[str, int, int]] = {}
    for c in columns:
        series = data[c]
        missing = series.isna().to_numpy()
        if missing.any():
            found[c] = ("missing", int(missing.sum()), int(np.argmax(missing)))
        elif is_numeric_dtype(series.dtype) and pd.api.types.is_float_dtype(series.dtype):
            values = series.to_numpy(dtype=np.float64)
            if not finite_sum(values):
                infinite = np.isinf(values)
                if infinite.any():
                    found[c] = ("infinite", int(infinite.sum()), int(np.argmax(infinite)))
    if found:
        raise MissingValuesError(name, found)


def check_column(data: pd.DataFrame, column: Any, name: str) -> None:
    """Check ``column`` names one column of ``data``."""
    if not isinstance(column, Hashable) or column not in data.columns:
        msg = f"`{name}` must name a column of `data`; got {_show(column)}. Columns are: {list(data.columns)}."
        raise ValueError(msg)


def check_column_list(data: pd.DataFrame, columns: Any, name: str) -> list[Hashable]:
    """A list of distinct existing column names (one name is read as a list of one)."""
    if isinstance(columns, Hashable) and (not isinstance(columns, tuple) or columns in data.columns):
        columns = [columns]
    names = list(columns)
    if len(set(names)) != len(names):
        msg = f"`{name}` names a column more than once: {names}."
        raise ValueError(msg)
    check_columns_exist(data, names, name)
    return names


def column_values(series: pd.Series, name: str = "data", *, check_finite: bool = True) -> np.ndarray:
    """The values of a numeric column as a NumPy array (a view where pandas allows).

    Raises ValueError naming the column when it holds missing (NaN, None, pd.NA)
    or infinite values. ``check_finite=False`` leaves NaN and infinity in NumPy
    float columns to the caller (missing values of nullable dtypes are still
    refused): :func:`mixupy.frame.mixup` checks them while it mixes.
    """
    if isinstance(series.dtype, np.dtype):
        values = series.to_numpy()
    else:  # nullable or Arrow-backed numbers
        if series.hasnans:
            _raise_missing(series, name)
        target = np.float64 if not pd.api.types.is_bool_dtype(series.dtype) else np.bool_
        values = series.to_numpy(dtype=target)
    # a finite sum proves every value finite; otherwise look closer
    if check_finite and values.dtype.kind == "f" and not finite_sum(values):
        n_nan = int(np.isnan(values).sum())
        if n_nan:
            _raise_missing(series, name, n_nan)
        infinite = np.isinf(values)
        if infinite.any():
            raise MissingValuesError(name, {series.name: ("infinite", int(infinite.sum()), int(np.argmax(infinite)))})
    return values


def _raise_missing(series: pd.Series, name: str, count: int | None = None) -> None:
    missing = series.isna().to_numpy()
    count = int(missing.sum()) if count is None else count
    raise MissingValuesError(name, {series.name: ("missing", count, int(np.argmax(missing)))})


def check_probability_rows(matrix: np.ndarray, columns: Sequence[Hashable], *, name: str = "labels") -> None:
    """Check each row of ``matrix`` is one-hot or a probability vector (in [0, 1], sums to 1).

    ``name`` is the parameter the messages name.
    """
    if matrix.min() < 0 or matrix.max() > 1:
        msg = (
            f"`{name}` columns {list(columns)} must hold one-hot or probability values in [0, 1]; "
            f"found values from {matrix.min()!r} to {matrix.max()!r}."
        )
        raise ValueError(msg)
    tol = 1e-4 if matrix.dtype == np.float32 else 1e-6
    sums = matrix.sum(axis=1, dtype=np.float64)
    bad = np.flatnonzero(np.abs(sums - 1.0) > tol)
    if bad.size:
        hint = ""
        if name == "labels":
            hint = " Hint: for a single class column pass its name, labels='species', not a list."
        msg = (
            f"`{name}` columns {list(columns)} must sum to 1 in every row (one-hot or probabilities); "
            f"{bad.size} row(s) do not, the first at position {int(bad[0])} sums to {float(sums[bad[0]])!r}.{hint}"
        )
        raise ValueError(msg)


def check_soft_labels(Y: Any, classes: Any) -> tuple[np.ndarray, np.ndarray]:
    """Check ``Y`` holds one probability vector per row and return it with the class of each column.

    Returns ``(probabilities, labels)``: a float64 array of shape (n_rows, n_classes)
    and a 1-D array of the classes, from ``classes``, the columns of a DataFrame
    ``Y``, or ``0 ... n_classes - 1``.
    """
    if isinstance(Y, pd.DataFrame):
        columns: list[Hashable] = list(Y.columns)
        check_numeric_columns(Y, columns, "Y", options=())  # no categorical=, keep= or labels= here
        if not columns or len(Y) == 0:
            msg = f"`Y` must have at least one row and one column; got shape {Y.shape}."
            raise ValueError(msg)
        matrix = np.column_stack([column_values(Y.iloc[:, j], "Y") for j in range(len(columns))])
    else:
        matrix = np.asarray(Y)
        if matrix.ndim != 2:
            msg = (
                f"`Y` must be 2-D, one column of probabilities per class; got an array of shape {matrix.shape}. "
                "Hint: hard labels need no expansion; pass them to fit() as they are."
            )
            raise ValueError(msg)
        if matrix.dtype.kind not in "biuf":
            msg = f"`Y` must hold numbers (probabilities); got dtype {matrix.dtype}."
            raise TypeError(msg)
        if matrix.size == 0:
            msg = f"`Y` must have at least one row and one column; got shape {matrix.shape}."
            raise ValueError(msg)
        columns = list(range(matrix.shape[1]))
        if matrix.dtype.kind == "f" and not np.isfinite(matrix).all():
            kind = "missing (NaN)" if np.isnan(matrix).any() else "infinite"
            first = [int(i) for i in np.flatnonzero(~np.isfinite(matrix).all(axis=1))[:3]]
            msg = f"`Y` holds {kind} values, first in rows {first}; probabilities must be finite."
            raise ValueError(msg)
    matrix = matrix.astype(np.float64, copy=False)
    check_probability_rows(matrix, columns, name="Y")
    if classes is None:
        labels = np.asarray(columns) if isinstance(Y, pd.DataFrame) else np.arange(matrix.shape[1])
    else:
        if isinstance(classes, (str, bytes)) or not isinstance(classes, (Sequence, np.ndarray, pd.Index)):
            msg = f"`classes` must be a sequence with one class per column of `Y`; got {_show(classes)}."
            raise TypeError(msg)
        labels = np.asarray(list(classes))
        if labels.shape != (matrix.shape[1],):
            msg = f"`classes` must list one class per column of `Y` ({matrix.shape[1]}); got {len(labels)}."
            raise ValueError(msg)
    if len(pd.unique(pd.Series(labels, dtype=object))) != len(labels):
        msg = f"the classes (the columns of `Y`, or `classes`) must be distinct; got {list(labels)}."
        raise ValueError(msg)
    return matrix, labels


def check_block_numeric(
    block: pd.DataFrame, columns: Sequence[Hashable], first_row: int, *, terms: str = "python"
) -> None:
    """Raise :class:`NonNumericColumnsError` for the columns of a file's block that do not hold numbers.

    Each is named with the first value that is not a number and its row: its position in the whole table,
    counted from 0 (the first row after the header), as every message of mixupy counts rows. ``terms``: see
    :data:`TERMS`.
    """
    bad: dict[Hashable, str] = {}
    details: list[str] = []
    dates: list[Hashable] = []
    header = 0  # columns whose first value that is not a number is their own name: a header line in the data
    for name in columns:
        series = block[name]
        if is_numeric_dtype(series.dtype) or is_time_dtype(series.dtype):
            continue
        bad[name] = str(series.dtype)
        try:
            as_numbers = pd.to_numeric(series, errors="coerce")
        except (TypeError, ValueError):  # categories, dates, ...: no value counts as a number
            as_numbers = pd.Series(np.nan, index=series.index)
        rows = np.flatnonzero((as_numbers.isna() & series.notna()).to_numpy())
        if rows.size:
            value = series.iloc[int(rows[0])]
            details.append(f"{name!r} holds {value!r} at row {first_row + int(rows[0])}")
            header += value == str(name)
            if _looks_like_a_date(value):
                dates.append(name)
        elif (huge := np.flatnonzero((as_numbers.abs() >= 2.0**63).to_numpy())).size:  # ints pandas keeps as objects
            value = series.iloc[int(huge[0])]
            details.append(
                f"{name!r} holds {value!r} at row {first_row + int(huge[0])}, an integer too large for 64 bits, which "
                f"pandas keeps as a Python object: write it as a decimal number ({value!r}.0) to mix it as a float"
            )
    if bad:
        where = f" ({'; '.join(details)})" if details else ""
        earlier = "; the rows before held numbers there" if first_row and details else ""
        if header and header == len(details):
            earlier += "; that row repeats the header (files joined together?): remove the header lines in the data"
        numbers = [c for c in bad if holds_numbers(block[c])]  # a Parquet file's decimal columns
        detail = f"{where}{earlier}"
        raise NonNumericColumnsError("data", bad, terms=terms, detail=detail, dates=dates, numbers=numbers)


def _looks_like_a_date(value: Any) -> bool:
    """True for text such as 2024-03-01 or 01/03/2024 12:00, and for dates held as objects (a pyarrow timestamp
    column, Python datetimes): a hint to make the column ``datetime64``."""
    if isinstance(value, (datetime.date, np.datetime64)):
        return True
    if not isinstance(value, str) or not any(ch.isdigit() for ch in value) or not any(ch in value for ch in "-/:"):
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas warns when it has to guess a format
        return not pd.isna(pd.to_datetime(value, errors="coerce"))
