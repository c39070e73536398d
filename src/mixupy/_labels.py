"""Labels, in one place: resolved from a frame, arrays or tensors, one-hot encoded, named, mixed by a draw.

A :class:`Labels` holds one or more label arrays (*tasks*), each either integer
class codes with a number of classes (mixed into probability rows) or rows of
values mixed as they are (one-hot, soft, a numeric target). It comes from

* a frame (:func:`from_frame`): one class column of any dtype, or a list of
  one-hot / probability columns;
* arrays (:func:`from_arrays`): one array, or a list, tuple or dict of arrays
  for a multi-task model, with ``num_classes``;

and torch targets are encoded by :func:`tensor_targets`. Every backend mixes
labels through :meth:`Labels.mix` (or, on a device, the same formula in torch),
names probability columns with :func:`probability_names` and checks them with
:func:`expanded_columns`, and one-hot encodes with :func:`one_hot`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from mixupy._apply import mix_codes, mix_rows
from mixupy._draw import Draw
from mixupy._validation import (
    PicklableError,
    check_array,
    check_class_codes,
    check_columns_exist,
    check_fits_in_memory,
    check_num_classes,
    check_one_hot_columns,
    check_probability_rows,
    check_same_length,
    column_values,
)

__all__ = [
    "Labels",
    "MissingLabelsError",
    "UnseenClassesError",
    "column_index",
    "expanded_columns",
    "from_arrays",
    "from_frame",
    "label_names",
    "names_class_column",
    "one_hot",
    "probability_names",
    "tensor_targets",
]


def one_hot(codes: np.ndarray, n_classes: int, dtype: Any = np.float64, *, smoothing: float = 0.0) -> np.ndarray:
    """Rows of ``n_classes`` values with a 1 at each code, smoothed to ``(1 - s) * one_hot + s / n_classes``."""
    off = smoothing / n_classes
    out = np.full((codes.shape[0], n_classes), off, dtype=dtype)
    out[np.arange(codes.shape[0]), codes] = 1 - smoothing + off
    return out


@dataclass(frozen=True)
class Labels:
    """Validated labels, one array per task, and how to rebuild them.

    Attributes
    ----------
    arrays : tuple of ndarray
        Per task: intp class codes of shape ``(n,)`` where ``num_classes`` has
        an int, otherwise rows mixed as they are.
    num_classes : tuple of int or None
    keys, container
        How :meth:`mix` returns them: one array (``container`` None) or a list,
        tuple or dict keyed by ``keys``.
    kind : {"class", "onehot", "arrays"}
        Where they came from: a frame's class column, a frame's one-hot
        columns, or arrays.
    columns : tuple
        The frame columns they came from.
    classes : tuple
        The class of each code (a class column) or of each column (one-hot).
    """

    arrays: tuple[np.ndarray, ...]
    num_classes: tuple[int | None, ...]
    keys: tuple[Hashable, ...] = (None,)
    container: type | None = None
    kind: str = "arrays"
    columns: tuple[Hashable, ...] = ()
    classes: tuple[Any, ...] = ()

    def mix(self, d: Draw, dtype: Any = np.float64, *, dominant: bool = False) -> Any:
        """Apply ``d`` to every task; codes become probability rows in ``dtype``.

        ``dominant`` keeps the exact label of each row's ``first`` source (as
        one-hot rows for codes) instead of mixing.
        """
        out = []
        for array, k in zip(self.arrays, self.num_classes, strict=True):
            if k is None:
                out.append(np.take(array, d.first, axis=0) if dominant else mix_rows(array, d))
            elif dominant:
                out.append(one_hot(array[d.first], k, dtype))
            else:
                out.append(mix_codes(array, k, d, np.dtype(dtype).type))
        return self._rebuild(out)

    def take(self, rows: np.ndarray) -> Labels:
        """The labels of the rows at ``rows`` (series of units, the first row of each series)."""
        return replace(self, arrays=tuple(np.take(a, rows, axis=0) for a in self.arrays))

    def codes(self, what: str = "labels", *, unit: str = "rows") -> np.ndarray:
        """The class code of each row, for pairing within a class.

        ``what`` names the argument in messages, ``unit`` what its rows are (rows, series).
        """
        if self.container is None:
            array, k = self.arrays[0], self.num_classes[0]
            if k is not None:
                return array
            if array.ndim == 2:
                return hard_codes(array, what)
        got = self.container.__name__ if self.container is not None else f"float values of shape {array.shape}"
        msg = (
            f"within_class=True pairs {unit} of one class, so `{what}` must be one array of integer class labels "
            f"(with num_classes) or of one-hot rows; got {got}."
        )
        raise ValueError(msg)

    def concat(self, other: Labels, where: str) -> Labels:
        """The rows of ``self`` then those of ``other``, which must have the same structure."""
        same = (self.container, self.keys, self.num_classes) == (other.container, other.keys, other.num_classes)
        if not same or any(a.shape[1:] != b.shape[1:] for a, b in zip(self.arrays, other.arrays, strict=True)):
            msg = (
                f"the labels of the two streams differ in structure at {where}: "
                f"{self._describe()} against {other._describe()}."
            )
            raise ValueError(msg)
        return replace(
            self, arrays=tuple(np.concatenate([a, b]) for a, b in zip(self.arrays, other.arrays, strict=True))
        )

    def _rebuild(self, arrays: list[np.ndarray]) -> Any:
        if self.container is None:
            return arrays[0]
        if self.container is dict:
            return dict(zip(self.keys, arrays, strict=True))
        return self.container(arrays)

    def _describe(self) -> str:
        shapes = [("codes" if k else "values", a.shape[1:]) for a, k in zip(self.arrays, self.num_classes, strict=True)]
        kind = "one array" if self.container is None else f"a {self.container.__name__} keyed {list(self.keys)}"
        return f"{kind} {shapes}"


def hard_codes(matrix: np.ndarray, what: str = "labels") -> np.ndarray:
    """The column of the 1 in each one-hot row; soft rows name no class and are refused."""
    if not np.isin(matrix, (0, 1)).all():
        msg = (
            f"`{what}` holds soft probabilities, but within_class=True needs hard labels "
            "(exactly one 1 per row) to know each row's class."
        )
        raise ValueError(msg)
    ones = (matrix == 1).sum(axis=1)
    if (ones != 1).any():  # rows of 0s and 1s that are not one-hot (labels of a frame sum to 1: never there)
        row = int(np.flatnonzero(ones != 1)[0])
        msg = (
            f"`{what}` must hold one-hot rows (exactly one 1 per row) for within_class=True; "
            f"row {row} holds {int(ones[row])}."
        )
        raise ValueError(msg)
    return matrix.argmax(axis=1).astype(np.intp)


# --- frames -----------------------------------------------------------------------------------


def names_class_column(labels: Any, columns: pd.Index) -> bool:
    """True when ``labels`` names one class column, not a list of one-hot columns.

    A tuple is a name only when it is a (MultiIndex) column; other tuples list columns.
    """
    if labels is None:
        return False
    return labels in columns if isinstance(labels, tuple) else isinstance(labels, Hashable)


def label_names(labels: Any, columns: pd.Index) -> list[Hashable]:
    """The columns ``labels`` names: its class column, or its one-hot columns (none for None)."""
    if labels is None:
        return []
    return [labels] if names_class_column(labels, columns) else list(labels)


def from_frame(
    data: pd.DataFrame, labels: Any, *, need_codes: bool, classes: Sequence[Any] | None = None
) -> Labels | None:
    """Validate ``labels`` against ``data``; None when ``labels`` is None.

    A list (or tuple, Index, array) that is not itself a column name names
    one-hot or probability columns; any other value names one class column,
    whose classes are sorted as :func:`pandas.factorize` sorts them, or are
    ``classes`` when given (those of a whole table, of which ``data`` is a
    block). One-hot columns are read into codes only when ``need_codes``
    (pairing within a class).
    """
    if labels is None:
        return None
    if names_class_column(labels, data.columns):
        check_columns_exist(data, [labels], "labels")
        series = data[labels]
        missing = series.isna().to_numpy()
        if missing.any():
            raise MissingLabelsError(labels, int(missing.sum()), int(np.flatnonzero(missing)[0]))
        _refuse_continuous(series)
        if classes is None:
            codes, uniques = pd.factorize(series, sort=True)
            classes = tuple(uniques)
        else:
            codes = _codes_against(series, classes)
        return Labels(
            (codes.astype(np.intp),), (len(classes),), kind="class", columns=(labels,), classes=tuple(classes)
        )
    columns = list(labels)
    if not columns:
        msg = "`labels` must name at least one column; got an empty list."
        raise ValueError(msg)
    if len(set(columns)) != len(columns):
        msg = f"`labels` names a column more than once: {columns}."
        raise ValueError(msg)
    check_columns_exist(data, columns, "labels")
    check_one_hot_columns(data, columns)
    matrix = np.column_stack([column_values(data[c], "labels") for c in columns]).astype(np.float64, copy=False)
    check_probability_rows(matrix, columns)
    arrays = (hard_codes(matrix),) if need_codes else (matrix,)
    n_classes = len(columns) if need_codes else None
    return Labels(arrays, (n_classes,), kind="onehot", columns=tuple(columns), classes=tuple(columns))


#: A float class column with more distinct values than this, not all whole numbers, is a continuous target.
MAX_FLOAT_CLASSES = 20


def _refuse_continuous(series: pd.Series) -> None:
    """A float column of many distinct fractional values named as ``labels`` is a target, not classes: refuse it."""
    if not pd.api.types.is_float_dtype(series.dtype):
        return
    values = series.to_numpy(dtype=np.float64)
    distinct = np.unique(values).size
    if distinct > MAX_FLOAT_CLASSES and not np.array_equal(values, np.round(values)):
        msg = (
            f"`labels` column {series.name!r} holds {distinct} distinct float values: a continuous target, not "
            "classes (each would become a probability column). Hint: for regression leave it out of `labels`: "
            "mixup mixes it with the features, with the same lam; target=... with pairing='target' also pairs "
            "rows of close targets."
        )
        raise ValueError(msg)


class MissingLabelsError(PicklableError, ValueError):
    """A class column with missing values: ``count`` of them, the first at row position ``first`` (from 0, of
    ``where``: a Dask partition)."""

    def __init__(self, column: Hashable, count: int, first: int, where: str = "") -> None:
        self.column, self.count, self.first, self.where = column, count, first, where
        super().__init__(
            f"`labels` column {column!r} holds {count} missing value(s), the first at row {first}{where}; every row "
            "needs a class. Hint: drop those rows or fill them with a class of their own."
        )


class UnseenClassesError(ValueError):
    """A block's class column holds classes that are not among the table's (``classes=`` of :func:`from_frame`)."""


def _codes_against(series: pd.Series, classes: Sequence[Any]) -> np.ndarray:
    """The position of each value of ``series`` among ``classes``; a value not among them is an error.

    Each distinct value is looked up once: a block of a million strings becomes Python objects only for its
    few classes, not row by row.
    """
    first, distinct = pd.factorize(series)  # no missing value: refused before
    found = pd.Index(list(classes), dtype=object).get_indexer(pd.Index(distinct).astype(object))
    codes = np.append(found, -1)[first]  # a missing value (code -1) would stay unknown, never a class
    if (codes < 0).any():
        unknown = sorted({str(v) for v in series[codes < 0]})
        msg = (
            f"`labels` column {series.name!r} holds classes that the whole table was not seen to hold: "
            f"{unknown}. Hint: give the column one type throughout (all numbers or all text)."
        )
        raise UnseenClassesError(msg)
    return codes


def probability_names(label: Hashable, classes: Sequence[Any]) -> list[Hashable]:
    """The probability columns made from class column ``label``, one per class, as ``pd.get_dummies`` names them;
    a label named by a tuple (a ``MultiIndex`` column) names them in its last level: ``(*label[:-1], "y_a")``."""
    if isinstance(label, tuple) and label:
        return [(*label[:-1], f"{label[-1]}_{cls}") for cls in classes]
    return [f"{label}_{cls}" for cls in classes]


def column_index(names: Sequence[Hashable], like: pd.Index) -> pd.Index:
    """The columns of a result, ``names`` in order, as an index of the kind of the input's ``like``: a
    ``MultiIndex`` (with its level names) for a ``MultiIndex``, else a flat index, tuples kept as names."""
    if isinstance(like, pd.MultiIndex):
        return pd.MultiIndex.from_tuples(list(names), names=like.names)  # type: ignore[arg-type]  # tuples, each
    return pd.Index(list(names), tupleize_cols=False)


def expanded_columns(columns: Iterable[Hashable], label: Hashable, classes: Sequence[Any]) -> list[Hashable]:
    """``columns`` with class column ``label`` replaced by its probability columns, checked for clashes."""
    out: list[Hashable] = []
    for name in columns:
        out.extend(probability_names(name, classes) if name == label else [name])
    made = probability_names(label, classes)
    if len(made) != len(set(made)):  # classes equal as text only: 1 and '1'
        one, other = next((a, b) for i, a in enumerate(classes) for b in classes[i + 1 :] if str(a) == str(b))
        msg = (
            f"`labels` column {label!r} holds classes {one!r} and {other!r}, which would both be the column "
            f"{made[list(classes).index(one)]!r}. Hint: give the column one type (all numbers or all text), "
            f"e.g. data[{label!r}].astype(str)."
        )
        raise ValueError(msg)
    if len(out) != len(set(out)):
        clash = sorted({str(c) for c in out if out.count(c) > 1})
        msg = f"the probability columns made from `labels` clash with existing columns: {clash}. Rename those first."
        raise ValueError(msg)
    return out


# --- arrays -----------------------------------------------------------------------------------


def from_arrays(y: Any, num_classes: Any, n_rows: int, name: str = "y") -> Labels | None:
    """Validate ``y`` (one array, or a list, tuple or dict of arrays) against ``n_rows`` samples.

    Integer labels of shape ``(n,)`` or ``(n, 1)`` are class codes and need
    ``num_classes``; any other numeric array is mixed row by row as it is.
    """
    if y is None:
        if num_classes is not None:
            msg = "`num_classes` describes integer labels, but no labels `y` were given."
            raise ValueError(msg)
        return None
    container: type | None
    if isinstance(y, dict):
        container, keys, items = dict, tuple(y), list(y.values())
    elif _is_multi_task(y):
        container = list if isinstance(y, list) else tuple
        keys, items = tuple(range(len(y))), list(y)
    else:
        container, keys, items = None, (None,), [y]
    if not items:
        msg = f"`{name}` must hold at least one label array; got an empty {type(y).__name__}."
        raise ValueError(msg)
    classes = _spread_num_classes(num_classes, container, keys)
    # a list with one 1-D item per sample, none of them one entry per sample: label rows, not tasks
    looks_like_rows = (
        container is list and len(items) == n_rows and all(np.ndim(item) == 1 and len(item) != n_rows for item in items)
    )
    arrays: list[np.ndarray] = []
    for position, (key, item) in enumerate(zip(keys, items, strict=True)):
        label = name if container is None else f"{name}[{key!r}]"
        array, classes[position] = _task(item, classes[position], n_rows, label, name, rows_hint=looks_like_rows)
        arrays.append(array)
    return Labels(tuple(arrays), tuple(classes), keys, container)


def _task(item: Any, k: int | None, n_rows: int, label: str, name: str, *, rows_hint: bool) -> tuple[Any, int | None]:
    """One label array, checked: class codes (with their number of classes) or rows mixed as they are."""
    array = check_array(item, label)
    if rows_hint:
        msg = (
            f"`{name}` is a list of arrays, read as one label array per task, but `{label}` "
            f"has {array.shape[0]} rows, not one per sample of `x` ({n_rows}). Hint: if `{name}` lists one "
            f"label row per sample, stack it into one array first: np.stack({name})."
        )
        raise ValueError(msg)
    check_same_length(n_rows, array, label)
    looks_like_codes = array.ndim == 1 or array.shape[1:] == (1,)
    if k is None and looks_like_codes and array.dtype.kind in "iu":
        msg = (
            f"`{label}` holds integer class labels (shape {array.shape}), which need the number of classes: "
            f"pass num_classes=... (for example {int(array.max()) + 1}). Hint: for a numeric target mixed as "
            "it is, pass floats (y.astype(float))."
        )
        raise ValueError(msg)
    if k is not None and looks_like_codes:
        return check_class_codes(array, k, label), k
    if k is not None and array.shape[1:] != (k,):
        msg = f"`{label}` has rows of shape {array.shape[1:]}, but num_classes={k} asks for ({k},)."
        raise ValueError(msg)
    return array, None  # one-hot or soft rows of the stated width: mixed as they are


def _is_multi_task(y: Any) -> bool:
    """True when ``y`` is a non-empty list or tuple of arrays, one per task.

    Each item must be an array of at least one dimension (NumPy, torch, pandas):
    NumPy scalars have a ``shape`` too, but a list of numbers is one label array.
    """
    return (
        isinstance(y, (list, tuple))
        and len(y) > 0
        and all(isinstance(getattr(item, "ndim", None), int) and item.ndim >= 1 for item in y)
    )


def check_num_classes_spec(num_classes: Any) -> None:
    """Check each entry of ``num_classes`` (an int, None, or a list, tuple or dict of them) before labels come."""
    if isinstance(num_classes, dict):
        entries = list(num_classes.values())
    else:
        entries = list(num_classes) if isinstance(num_classes, (list, tuple)) else [num_classes]
    for k in entries:
        check_num_classes(k)


def _spread_num_classes(num_classes: Any, container: type | None, keys: tuple[Hashable, ...]) -> list[int | None]:
    """One ``num_classes`` entry (int or None) per label array."""
    if num_classes is None:
        return [None] * len(keys)
    if isinstance(num_classes, dict) and container is dict:
        unknown = [k for k in num_classes if k not in keys]
        if unknown:
            msg = f"`num_classes` names label keys that `y` lacks: {unknown}; `y` has {list(keys)}."
            raise ValueError(msg)
        given = [num_classes.get(k) for k in keys]
    elif isinstance(num_classes, (list, tuple)) and container in (list, tuple):
        if len(num_classes) != len(keys):
            msg = f"`num_classes` must give one entry per label array ({len(keys)}); got {len(num_classes)}."
            raise ValueError(msg)
        given = list(num_classes)
    else:
        given = [num_classes] * len(keys)
    return [check_num_classes(k) for k in given]


# --- torch tensors ----------------------------------------------------------------------------


def tensor_targets(y: Any, x: Any, num_classes: int | None, smoothing: float) -> Any:
    """The targets to mix: floating ``y`` as it is, integer ``y`` one-hot encoded (smoothed) in ``x``'s dtype."""
    import torch

    if y.is_floating_point():
        if smoothing:
            msg = (
                "`label_smoothing` applies to integer class labels (with num_classes); "
                f"`y` is already {y.dtype}. Hint: smooth soft targets yourself, or pass class indices."
            )
            raise ValueError(msg)
        if num_classes is not None and (y.ndim != 2 or y.shape[1] != num_classes):
            msg = f"`y` is one-hot or soft with shape {tuple(y.shape)}, which does not match num_classes={num_classes}."
            raise ValueError(msg)
        return y
    if y.dtype == torch.bool or y.is_complex():
        msg = f"`y` must hold class indices (an integer dtype) or one-hot/soft targets (floating); got {y.dtype}."
        raise TypeError(msg)
    if num_classes is None:
        msg = (
            f"`y` holds integer class labels ({y.dtype}), so mixing needs `num_classes` to one-hot encode them. "
            "Hint: mixup_batch(x, y, num_classes=10), or mixup_pairs(x, y) with mixup_loss for integer targets."
        )
        raise ValueError(msg)
    return _one_hot_tensor(y, num_classes, smoothing, x.dtype)


def _one_hot_tensor(y: Any, num_classes: int, smoothing: float, dtype: Any) -> Any:
    """:func:`one_hot` on a device, with the codes checked to lie in ``[0, num_classes)``."""
    import torch

    if y.ndim != 1:
        msg = f"integer `y` must hold one class per sample, shape (n,); got shape {tuple(y.shape)}."
        raise ValueError(msg)
    inside = ((y >= 0) & (y < num_classes)).all()
    if y.device.type == "cpu":
        if not bool(inside):
            bad = y[(y < 0) | (y >= num_classes)]
            msg = (
                f"`y` holds labels outside the classes 0..{num_classes - 1} (num_classes={num_classes}), "
                f"for example {bad[:5].tolist()}."
            )
            raise ValueError(msg)
    else:  # checked on the device, without waiting for it; a failure surfaces at the next synchronisation
        torch._assert_async(inside, f"mixupy: `y` holds labels outside the classes 0..{num_classes - 1}")
    itemsize = torch.empty((), dtype=dtype).element_size()
    check_fits_in_memory(
        y.shape[0] * num_classes * itemsize, f"num_classes={num_classes} one-hot targets for {y.shape[0]} samples"
    )
    off = smoothing / num_classes
    hot = torch.full((y.shape[0], num_classes), off, dtype=dtype, device=y.device)
    # scatter_ takes int64 indices only: uint8, int8, int16 and int32 labels are widened first
    return hot.scatter_(1, y.long().unsqueeze(1), 1 - smoothing + off)
