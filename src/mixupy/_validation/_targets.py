"""Checks of pairing options and of continuous targets: the bandwidth, target columns and arrays, neighbours."""

from __future__ import annotations

import numbers
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mixupy._validation._common import ColumnNotFoundError, _number, _show
from mixupy._validation._tables import column_values, is_numeric_dtype

#: How partners are drawn: uniformly, by target distance (C-Mixup), or among the k nearest in feature space.
PAIRINGS = ("random", "target", "neighbors")


def check_bandwidth(value: Any) -> float | None:
    """None (the default rule), or the kernel's ``sigma`` as a positive finite float."""
    if value is None:
        return None
    _number(value, "bandwidth", numbers.Real, "a positive number (the kernel's sigma, in the target's units) or None")
    sigma = float(value)
    if not (np.isfinite(sigma) and sigma > 0):
        msg = (
            f"`bandwidth` must be a positive finite number, the kernel's sigma in the target's units; got "
            f"{_show(value)}. Hint: None picks it by Silverman's rule from the target's spread."
        )
        raise ValueError(msg)
    return sigma


def check_pairing_needs(pairing: str, target: Sequence[Hashable], *, within_class: bool, name: str) -> None:
    """``pairing="target"`` needs target columns (named by the parameter ``name``) and no ``within_class``."""
    if pairing == "target" and not target:
        msg = (
            f"pairing='target' draws each partner by the distance between targets, so it needs `{name}`: "
            f"the continuous target column(s), e.g. {name}='price'."
        )
        raise ValueError(msg)
    if pairing == "target" and within_class:
        msg = (
            "within_class=True pairs rows of one class and pairing='target' pairs them by target distance; "
            "choose one. Hint: a class column is paired with within_class=True, a continuous target with "
            "pairing='target'."
        )
        raise ValueError(msg)


def _class_hint(column: Hashable, name: str) -> str:
    return (
        f"pairing='target' pairs by the distance between continuous targets; a class column is paired within "
        f"its class instead: labels={column!r}, within_class=True (or pass `{name}` a numeric target)."
    )


def check_target_columns(
    data: pd.DataFrame, target: Sequence[Hashable], labels: Sequence[Hashable], name: str = "target"
) -> None:
    """Check the target columns exist, hold numbers that are not flags, and are not also ``labels``."""
    missing = [c for c in target if c not in data.columns]
    if missing:
        msg = f"`{name}` names columns that are not in `data`: {missing}. Columns are: {list(data.columns)}."
        raise ColumnNotFoundError(msg)
    both = [c for c in target if c in set(labels)]
    if both:
        msg = f"`{name}` and `labels` both name {both}: a column is a class or a continuous target, not both. "
        raise ValueError(msg + _class_hint(both[0], name))
    for column in target:
        dtype = data[column].dtype
        if not is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
            msg = f"`{name}` column {column!r} holds {dtype} values, not continuous numbers. "
            raise TypeError(msg + _class_hint(column, name))


def target_values(data: pd.DataFrame, target: Sequence[Hashable], name: str = "target") -> np.ndarray:
    """The target columns as float64 ``(n, D)``: complete, finite, and not all one value (past one row)."""
    values = np.column_stack([column_values(data[c], "data").astype(np.float64, copy=False) for c in target])
    check_spread(values, f"`{name}` column {target[0]!r}" if len(target) == 1 else f"`{name}` columns {list(target)}")
    return values


#: What to do about a target of one value, when pairing by it.
SPREAD_HINT = (
    "Hint: pairing='random'; or, if the target is really a class, pair its class column with within_class=True."
)


def check_spread(values: np.ndarray, what: str, hint: str = SPREAD_HINT) -> None:
    """Refuse targets that hold one value (one row per row of ``values``): there is no distance to pair by."""
    if values.shape[0] > 1 and (values == values[0]).all():
        shown = values[0, 0].item() if values.shape[1] == 1 else values[0].tolist()
        msg = (
            f"{what} holds one distinct value ({shown!r}) in all {values.shape[0]} rows mixed: pairing by target "
            f"distance needs targets that differ (a single value has no spread, and nothing to learn). {hint}"
        )
        raise ValueError(msg)


def check_target_array(
    y: Any, n_rows: int, name: str = "y", *, integers: bool = True, hint: str = SPREAD_HINT
) -> np.ndarray:
    """A continuous target given as an array: float64 ``(n, D)`` from ``(n,)`` or ``(n, D)``, finite, spread.

    ``integers=False`` refuses integer targets, which the caller would read as class labels; ``hint`` is said
    about a target of one value.
    """
    if y is None or isinstance(y, dict) or (isinstance(y, (list, tuple)) and y and not np.isscalar(y[0])):
        what = "nothing" if y is None else f"a {type(y).__name__} of arrays"
        msg = f"pairing='target' pairs by `{name}`, so `{name}` must be one array of continuous targets; got {what}."
        raise TypeError(msg + (" Hint: mix multi-task labels with pairing='random'." if y is not None else ""))
    array = np.asarray(y)
    if array.dtype.kind not in "iuf" or array.ndim not in (1, 2):
        msg = (
            f"pairing='target' pairs by `{name}`, which must be an array of continuous targets, shape (n,) or "
            f"(n, D); got dtype {array.dtype}, shape {array.shape}."
        )
        raise TypeError(msg)
    if array.dtype.kind in "iu" and not integers:
        msg = (
            f"pairing='target' pairs by the distance between continuous targets, and `{name}` holds integers "
            f"({array.dtype}), which mixupy reads as class labels. Hint: if they are numbers, pass "
            f"{name}.astype(float); class labels are mixed with num_classes and pairing='random'."
        )
        raise TypeError(msg)
    if array.shape[0] != n_rows:
        msg = f"`{name}` must have one row per sample ({n_rows}); got {array.shape[0]} rows."
        raise ValueError(msg)
    values = array.reshape(n_rows, -1).astype(np.float64)
    if not np.isfinite(values).all():
        bad = np.flatnonzero(~np.isfinite(values).all(axis=1))
        kind = "missing (NaN)" if np.isnan(values).any() else "infinite"
        msg = (
            f"`{name}` holds {kind} targets in {bad.size} row(s), the first at row {int(bad[0])}; every target is "
            "mixed (and paired by, with pairing='target'), so each must be a finite number. Hint: drop those rows, "
            "or fill them."
        )
        raise ValueError(msg)
    check_spread(values, f"`{name}`", hint)
    return values


def check_neighbour_groups(sizes: np.ndarray, k: int, groups: Sequence[Any] | None = None) -> None:
    """Every group (class, or all rows) must have more than ``k`` rows for ``k`` nearest neighbours."""
    small = np.flatnonzero(sizes <= k)
    if small.size:
        count = int(sizes[small[0]])
        where = (
            f"rows; got {count}"
            if groups is None
            else f"rows in each class, but class {groups[int(small[0])]!r} has {count}"
        )
        msg = f"`k_neighbors`={k} needs more than {k} {where}. Hint: lower `k_neighbors`, or use pairing='random'."
        raise ValueError(msg)
