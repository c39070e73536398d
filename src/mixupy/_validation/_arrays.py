"""Checks of arrays: samples, labels, images and series."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import pandas as pd

from mixupy._validation._common import _show, check_positive_int, finite_sum
from mixupy._validation._tables import _raise_missing, column_values, is_numeric_dtype


def check_array(value: Any, name: str) -> np.ndarray:
    """Return ``value`` as a NumPy array of numbers with at least one row, all finite.

    Bool, integer and real floating dtypes are accepted; the array is not copied
    when it already is one.
    """
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:  # ragged nested lists
        msg = f"`{name}` must be an array of numbers; could not make one from {_show(value)}: {error}"
        raise TypeError(msg) from None
    if array.dtype.kind not in "biuf":
        msg = (
            f"`{name}` must hold numbers (bool, int or float); got dtype {array.dtype}. "
            "Hint: encode strings or categories as integer class codes first."
        )
        raise TypeError(msg)
    if array.ndim == 0:
        msg = f"`{name}` must be an array with one row per sample; got a scalar {_show(value)}."
        raise ValueError(msg)
    if array.shape[0] == 0:
        msg = f"`{name}` is empty (shape {array.shape}); mixup needs at least one sample."
        raise ValueError(msg)
    check_finite(array, name)
    return array


def check_finite(array: np.ndarray, name: str) -> None:
    """Raise ValueError naming ``name`` when a floating ``array`` holds NaN or infinity."""
    if array.dtype.kind != "f":
        return
    if finite_sum(array):  # a finite sum proves every value finite
        return
    bad = ~np.isfinite(array)
    if bad.any():
        where = np.unravel_index(int(np.argmax(bad)), array.shape)
        msg = (
            f"`{name}` holds {int(bad.sum())} NaN or infinite value(s), the first at index "
            f"{tuple(int(i) for i in where)}; mixup needs finite numbers. Hint: fill, clip or drop them first."
        )
        raise ValueError(msg)


def check_same_length(n_rows: int, array: np.ndarray, name: str, reference: str = "x") -> None:
    """Raise ValueError when ``array`` does not have one row per row of ``reference``."""
    if array.shape[0] != n_rows:
        msg = (
            f"`{name}` must have one row per sample of `{reference}` ({n_rows}); "
            f"got {array.shape[0]} rows (shape {array.shape})."
        )
        raise ValueError(msg)


def check_class_codes(values: np.ndarray, num_classes: int, name: str) -> np.ndarray:
    """Return integer class labels as intp codes after checking each is in ``0 .. num_classes - 1``."""
    codes = values.reshape(-1)
    if codes.dtype.kind == "f" and not np.array_equal(codes, np.round(codes)):
        position = int(np.argmax(codes != np.round(codes)))
        msg = (
            f"`{name}` holds class labels that are not whole numbers, the first {codes[position]!r} at "
            f"position {position}; integer labels must be 0 .. num_classes - 1 = {num_classes - 1}."
        )
        raise ValueError(msg)
    outside = (codes < 0) | (codes >= num_classes)
    if outside.any():
        position = int(np.argmax(outside))
        msg = (
            f"`{name}` holds a label outside the classes: {codes[position].item()!r} at position {position}; "
            f"with num_classes={num_classes} labels must be 0 .. {num_classes - 1}."
        )
        raise ValueError(msg)
    return codes.astype(np.intp)


def check_cutmix_shape(shape: tuple[int, ...], name: str = "x") -> tuple[int, ...]:
    """Check a batch can be cut and pasted: samples of at least one axis, none of them empty."""
    if len(shape) < 2 or 0 in shape[1:]:
        msg = (
            f"`{name}` must be a batch of samples with at least one non-empty axis each: (n, features) for a "
            f"table, (n, channels, steps) or (n, channels, height, width) and so on; got shape {tuple(shape)}."
        )
        raise ValueError(msg)
    return shape


def check_image_size(value: Any) -> tuple[int, int]:
    """Return ``image_size`` as ``(height, width)``; an int means a square."""
    if isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_)):
        side = check_positive_int(value, "image_size")
        return side, side
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        msg = f"`image_size` must be (height, width) or one int for a square; got {_show(value)}."
        raise TypeError(msg)
    return check_positive_int(value[0], "image_size[0]"), check_positive_int(value[1], "image_size[1]")


ALIGNMENTS = ("truncate", "intersect", "resample")


PLACEMENTS = ("after", "apart")


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
    check_finite(x, name)
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
