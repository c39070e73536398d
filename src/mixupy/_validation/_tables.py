"""Checks of tables: frames, their columns, their values, and probability rows."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mixupy._validation._common import ColumnNotFoundError, _show, finite_sum


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
    if data.shape[0] == 0 or data.shape[1] == 0:
        msg = f"`{name}` must have at least one row and one column; got shape {data.shape}."
        raise ValueError(msg)
    if not data.columns.is_unique:
        dupes = list(data.columns[data.columns.duplicated()].unique())
        msg = f"`{name}` must have unique column names; these appear more than once: {dupes}."
        raise ValueError(msg)
    return data


def check_columns_exist(data: pd.DataFrame, columns: Sequence[Hashable], name: str) -> None:
    """Raise ValueError listing any of ``columns`` that ``data`` lacks."""
    missing = [c for c in columns if c not in data.columns]
    if missing:
        msg = f"`{name}` names columns that are not in `data`: {missing}. Columns are: {list(data.columns)}."
        raise ColumnNotFoundError(msg)


def check_numeric_columns(data: pd.DataFrame, columns: Sequence[Hashable], name: str = "data") -> None:
    """Raise TypeError listing the columns whose dtype is not bool, integer or float."""
    dtypes: dict[Hashable, Any] = dict(zip(data.columns, data.dtypes, strict=True))  # data[c] would build Series
    bad = {c: str(dtypes[c]) for c in columns if not is_numeric_dtype(dtypes[c])}
    if bad:
        listed = ", ".join(f"{c!r} ({d})" for c, d in bad.items())
        msg = (
            f"`{name}` has non-numeric columns: {listed}. mixup interpolates numbers: "
            f"one-hot encode them with pd.get_dummies(df, columns={list(bad)}), "
            "or pass one class column as labels=..."
        )
        raise TypeError(msg)


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
            first = series.index[infinite][:3].tolist()
            msg = (
                f"`{name}` column {series.name!r} holds {int(infinite.sum())} infinite value(s), "
                f"first at index {first}; mixup needs finite numbers. Hint: clip or drop them first."
            )
            raise ValueError(msg)
    return values


def _raise_missing(series: pd.Series, name: str, count: int | None = None) -> None:
    count = int(series.isna().sum()) if count is None else count
    first = series.index[series.isna().to_numpy()][:3].tolist()
    msg = (
        f"`{name}` column {series.name!r} holds {count} missing value(s) (NaN, None or pd.NA), "
        f"first at index {first}. mixup needs complete rows. Hint: fill them "
        "(df.fillna(...)) or drop them (df.dropna()) first."
    )
    raise ValueError(msg)


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
        check_numeric_columns(Y, columns, "Y")
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


def check_block_numeric(block: pd.DataFrame, columns: Sequence[Hashable], first_row: int) -> None:
    """Raise TypeError naming the first value that is not a number in ``columns`` of a block.

    ``first_row`` is the position, in the whole table, of the block's first row;
    the message counts data rows from 1, as a person reading the file would.
    """
    for name in columns:
        series = block[name]
        if is_numeric_dtype(series.dtype):
            continue
        try:
            as_numbers = pd.to_numeric(series, errors="coerce")
        except (TypeError, ValueError):  # categories, dates, ...: no value counts as a number
            as_numbers = pd.Series(np.nan, index=series.index)
        bad = np.flatnonzero((as_numbers.isna() & series.notna()).to_numpy())
        if bad.size == 0:
            bad = np.flatnonzero(series.notna().to_numpy())[:1]
        where = ""
        if bad.size:
            row = first_row + int(bad[0]) + 1
            where = f"; data row {row} (counting from 1 after the header) holds {series.iloc[int(bad[0])]!r}"
        earlier = " The rows before this block held numbers there." if first_row else ""
        msg = (
            f"`data` has non-numeric columns: {name!r} is {series.dtype} in the block of data rows "
            f"{first_row + 1} to {first_row + len(block)}{where}.{earlier} mixup interpolates numbers: fix or "
            "drop that value, or name the column as the class column with labels=..."
        )
        raise TypeError(msg)
