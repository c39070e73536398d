"""Every check of user input, with messages a person can act on.

Each function validates one parameter at the public boundary and returns it in
the normalised form that the rest of the package works with. Messages name the
parameter, say what was expected and show what came.
"""

from __future__ import annotations

import numbers
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

LABEL_MODES = ("mix", "dominant")


def _show(value: Any) -> str:
    """A short description of a value for an error message."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} (type {type(value).__name__})"


def check_alpha(alpha: Any) -> float:
    """Return ``alpha`` as a float after checking it is a finite number >= 0."""
    if isinstance(alpha, (bool, np.bool_)) or not isinstance(alpha, numbers.Real):
        msg = f"`alpha` must be a real number >= 0 (an int or float); got {_show(alpha)}."
        raise TypeError(msg)
    value = float(alpha)
    if not np.isfinite(value) or value < 0:
        msg = (
            f"`alpha` must be a finite number >= 0; got {alpha!r}. "
            "Hint: alpha=0 means no interpolation, small values (0.1-0.4) mix gently, "
            "large values mix towards the midpoint."
        )
        raise ValueError(msg)
    return value


def check_positive_int(value: Any, name: str) -> int:
    """Return ``value`` as an int after checking it is an integer > 0 (bools rejected)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        msg = f"`{name}` must be a positive integer; got {_show(value)}."
        raise TypeError(msg)
    if value <= 0:
        msg = f"`{name}` must be a positive integer (> 0); got {value!r}."
        raise ValueError(msg)
    return int(value)


def check_batch_size(batch_size: Any, n_rows: int) -> int:
    """Return the number of synthetic rows: ``n_rows`` when ``batch_size`` is None."""
    if batch_size is None:
        return n_rows
    return check_positive_int(batch_size, "batch_size")


def check_bool(value: Any, name: str) -> bool:
    """Return ``value`` as a bool after checking it is True or False."""
    if not isinstance(value, (bool, np.bool_)):
        msg = f"`{name}` must be True or False; got {_show(value)}."
        raise TypeError(msg)
    return bool(value)


def check_label_mode(label_mode: Any) -> str:
    """Check ``label_mode`` is one of :data:`LABEL_MODES`."""
    if not isinstance(label_mode, str) or label_mode not in LABEL_MODES:
        msg = f"`label_mode` must be one of {list(LABEL_MODES)}; got {_show(label_mode)}."
        raise ValueError(msg)
    return label_mode


def check_random_state(random_state: Any) -> np.random.Generator:
    """Turn ``random_state`` into a :class:`numpy.random.Generator`.

    None gives fresh operating-system entropy, an int or a ``SeedSequence`` seeds
    a new generator, a ``Generator`` is used (and advanced) as it is, and a legacy
    ``RandomState`` (as scikit-learn passes) seeds a new generator from its stream.
    The global NumPy random state is never read.
    """
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(0, 2**32, size=4, dtype=np.uint64))
    if random_state is None or isinstance(random_state, np.random.SeedSequence):
        return np.random.default_rng(random_state)
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, (bool, np.bool_)):
        if random_state < 0:
            msg = f"`random_state` must be a non-negative integer seed; got {random_state!r}."
            raise ValueError(msg)
        return np.random.default_rng(int(random_state))
    msg = (
        "`random_state` must be None, a non-negative int, a numpy.random.Generator "
        f"or a numpy.random.SeedSequence; got {_show(random_state)}."
    )
    raise TypeError(msg)


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
        raise ValueError(msg)


def check_numeric_columns(data: pd.DataFrame, columns: Sequence[Hashable], name: str = "data") -> None:
    """Raise TypeError listing the columns whose dtype is not bool, integer or float."""
    bad = {c: str(data[c].dtype) for c in columns if not is_numeric_dtype(data[c].dtype)}
    if bad:
        listed = ", ".join(f"{c!r} ({d})" for c, d in bad.items())
        msg = (
            f"`{name}` has non-numeric columns: {listed}. mixup interpolates numbers: "
            f"one-hot encode them with pd.get_dummies(df, columns={list(bad)}), "
            "or pass one class column as labels=..."
        )
        raise TypeError(msg)


def column_values(series: pd.Series, name: str = "data") -> np.ndarray:
    """The values of a numeric column as a NumPy array (a view where pandas allows).

    Raises ValueError naming the column when it holds missing (NaN, None, pd.NA)
    or infinite values.
    """
    if isinstance(series.dtype, np.dtype):
        values = series.to_numpy()
    else:  # nullable or Arrow-backed numbers
        if series.hasnans:
            _raise_missing(series, name)
        target = np.float64 if not pd.api.types.is_bool_dtype(series.dtype) else np.bool_
        values = series.to_numpy(dtype=target)
    if values.dtype.kind == "f" and not np.isfinite(np.add.reduce(values, dtype=np.float64)):
        # A finite sum proves every value finite; otherwise look closer.
        n_nan = int(np.isnan(values).sum())
        if n_nan:
            _raise_missing(series, name, n_nan)
        n_inf = int(np.isinf(values).sum())
        if n_inf:
            msg = (
                f"`{name}` column {series.name!r} holds {n_inf} infinite value(s); "
                "mixup needs finite numbers. Hint: clip or drop them first."
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


# --- sampler and soft labels (mixupy.sampler, mixupy.weights) ---


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
