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


def check_probability_rows(matrix: np.ndarray, columns: Sequence[Hashable]) -> None:
    """Check each row of ``matrix`` is one-hot or a probability vector (in [0, 1], sums to 1)."""
    if matrix.min() < 0 or matrix.max() > 1:
        msg = (
            f"`labels` columns {list(columns)} must hold one-hot or probability values in [0, 1]; "
            f"found values from {matrix.min()!r} to {matrix.max()!r}."
        )
        raise ValueError(msg)
    tol = 1e-4 if matrix.dtype == np.float32 else 1e-6
    sums = matrix.sum(axis=1, dtype=np.float64)
    bad = np.flatnonzero(np.abs(sums - 1.0) > tol)
    if bad.size:
        msg = (
            f"`labels` columns {list(columns)} must sum to 1 in every row (one-hot or probabilities); "
            f"{bad.size} row(s) do not, the first at position {int(bad[0])} sums to {float(sums[bad[0]])!r}. "
            "Hint: for a single class column pass its name, labels='species', not a list."
        )
        raise ValueError(msg)


# --- time series ---

ALIGNMENTS = ("truncate", "intersect", "resample")
PLACEMENTS = ("after", "apart")


def check_choice(value: Any, name: str, choices: Sequence[str], *, allow_none: bool = False) -> Any:
    """Check ``value`` is one of ``choices`` (or None where ``allow_none``)."""
    if value is None and allow_none:
        return None
    if not isinstance(value, str) or value not in choices:
        extra = " or None" if allow_none else ""
        msg = f"`{name}` must be one of {list(choices)}{extra}; got {_show(value)}."
        raise ValueError(msg)
    return value


def check_optional_positive_int(value: Any, name: str) -> int | None:
    """None stays None; anything else must be an integer > 0."""
    return None if value is None else check_positive_int(value, name)


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


def check_window(window: Any, step: Any) -> tuple[int | None, int | None]:
    """``window`` None or an integer >= 2; ``step`` only with a window, defaulting to it."""
    if window is None:
        if step is not None:
            msg = f"`step` only applies when `window` is given; got step={step!r} and window=None."
            raise ValueError(msg)
        return None, None
    window = check_positive_int(window, "window")
    if window < 2:
        msg = f"`window` must be at least 2 steps (a series of one step has no shape to mix); got {window}."
        raise ValueError(msg)
    return window, window if step is None else check_positive_int(step, "step")


def check_series_array(x: Any, name: str = "x") -> np.ndarray:
    """Check ``x`` is a finite numeric array of shape (series, steps) or (series, steps, channels)."""
    if not isinstance(x, np.ndarray):
        msg = f"`{name}` must be a NumPy array of shape (series, steps[, channels]); got {type(x).__name__}."
        raise TypeError(msg)
    if x.ndim not in (2, 3):
        msg = f"`{name}` must have 2 dimensions (series, steps) or 3 (series, steps, channels); got shape {x.shape}."
        raise ValueError(msg)
    if x.dtype.kind not in "biuf":
        msg = f"`{name}` must hold numbers (bool, int or float); got dtype {x.dtype}."
        raise TypeError(msg)
    if x.shape[0] == 0 or (x.ndim == 3 and x.shape[2] == 0):
        msg = f"`{name}` must hold at least one series and one channel; got shape {x.shape}."
        raise ValueError(msg)
    if x.shape[1] < 2:
        msg = (
            f"`{name}` series must have at least 2 steps; got {x.shape[1]} (shape {x.shape}). "
            "Hint: for rows that are not series use mixupy.mixup."
        )
        raise ValueError(msg)
    if x.dtype.kind == "f" and not np.isfinite(np.add.reduce(x, axis=None, dtype=np.float64)):
        bad = np.argwhere(~np.isfinite(x))
        msg = (
            f"`{name}` holds {len(bad)} missing or infinite value(s), the first at index {tuple(bad[0].tolist())}; "
            "mixup needs finite numbers. Hint: interpolate or drop them first."
        )
        raise ValueError(msg)
    return x


def time_key(series: pd.Series, name: str = "time_col") -> np.ndarray:
    """Sortable numbers for a time column: int64 for datetimes and timedeltas (UTC for aware ones), else float64."""
    dtype = series.dtype
    is_time = isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(dtype)
    if not (is_time or pd.api.types.is_timedelta64_dtype(dtype) or is_numeric_dtype(dtype)) or (
        pd.api.types.is_bool_dtype(dtype)
    ):
        msg = (
            f"`{name}` column {series.name!r} must be numeric, datetime or timedelta; got dtype {dtype}. "
            f"Hint: convert it first, e.g. df[{series.name!r}] = pd.to_datetime(df[{series.name!r}])."
        )
        raise TypeError(msg)
    if series.hasnans:
        _raise_missing(series, name)
    if is_time or pd.api.types.is_timedelta64_dtype(dtype):
        return np.asarray(series.array.asi8, dtype=np.int64)
    return column_values(series, name).astype(np.float64, copy=False)
