"""``mixup(df)``: mixup for pandas DataFrames.

The frame is taken apart once into NumPy columns, mixed by the kernel in
:mod:`mixupy._core`, and rebuilt once, keeping column names and order.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from mixupy import _core
from mixupy._validation import (
    check_alpha,
    check_batch_size,
    check_bool,
    check_columns_exist,
    check_device,
    check_exact_labels,
    check_frame,
    check_label_mode,
    check_numeric_columns,
    check_probability_rows,
    check_random_state,
    column_values,
)

__all__ = ["mixup"]


@dataclass
class LabelSpec:
    """What the ``labels`` argument names, once resolved against the frame."""

    kind: str | None = None  # None, "onehot" or "class"
    columns: list[Hashable] = field(default_factory=list)
    codes: np.ndarray | None = None  # class code of each row, where the labels are hard
    classes: list[Any] = field(default_factory=list)


def resolve_labels(data: pd.DataFrame, labels: Any, *, need_codes: bool) -> LabelSpec:
    """Validate ``labels`` against ``data`` and compute class codes when ``need_codes``.

    A list (or tuple, Index, array) that is not itself a column name names one-hot
    or probability columns; any other value names one class column.
    """
    if labels is None:
        return LabelSpec()
    if names_class_column(labels, data.columns):
        check_columns_exist(data, [labels], "labels")
        series = data[labels]
        if series.isna().any():
            msg = (
                f"`labels` column {labels!r} holds {int(series.isna().sum())} missing value(s); "
                "every row needs a class. Hint: drop those rows or fill them with a class of their own."
            )
            raise ValueError(msg)
        codes, uniques = pd.factorize(series, sort=True)
        return LabelSpec("class", [labels], codes.astype(np.intp), list(uniques))
    columns = list(labels)
    if not columns:
        msg = "`labels` must name at least one column; got an empty list."
        raise ValueError(msg)
    if len(set(columns)) != len(columns):
        msg = f"`labels` names a column more than once: {columns}."
        raise ValueError(msg)
    check_columns_exist(data, columns, "labels")
    check_numeric_columns(data, columns, "labels")
    matrix = np.column_stack([column_values(data[c], "labels") for c in columns])
    check_probability_rows(matrix, columns)
    spec = LabelSpec("onehot", columns)
    if need_codes:
        if not np.isin(matrix, (0, 1)).all():
            msg = (
                f"`labels` columns {columns} hold soft probabilities, but within_class=True needs "
                "hard labels (exactly one 1 per row) to know each row's class."
            )
            raise ValueError(msg)
        spec.codes = matrix.argmax(axis=1).astype(np.intp)
        spec.classes = columns
    return spec


def mixup(
    data: pd.DataFrame,
    alpha: float = 4,
    concat: bool = False,
    batch_size: int | None = None,
    *,
    labels: Hashable | Sequence[Hashable] | None = None,
    label_mode: str = "mix",
    within_class: bool = False,
    random_state: int | np.random.Generator | None = None,
    device: Any = None,
) -> pd.DataFrame:
    """Create synthetic rows as convex combinations of pairs of rows.

    Each synthetic row is ``lam * x_i + (1 - lam) * x_j`` for two rows ``i`` and
    ``j`` of ``data`` and its own ``lam ~ Beta(alpha, alpha)`` (Zhang et al.,
    "mixup: Beyond Empirical Risk Minimization", 2017). The rows ``i`` are every
    row in order, repeated or subsampled to ``batch_size``; each partner ``j`` is
    drawn uniformly from the other rows.

    Parameters
    ----------
    data : pandas.DataFrame
        Numeric columns (int, float, bool) and, when ``labels`` names one, a class
        column of any dtype. No missing or infinite values.
    alpha : float, default 4
        Strength of interpolation, >= 0. ``alpha=0`` means no interpolation: each
        synthetic row is a copy of one original row.
    concat : bool, default False
        Return the original rows first, unchanged, then the synthetic rows.
    batch_size : int, optional
        Number of synthetic rows, any positive integer; defaults to ``len(data)``.
    labels : column name or list of column names, optional
        None mixes every column alike (as mixupy 0.1.2 did). A list names one-hot
        or probability columns. A single name is a class column of any dtype; with
        ``label_mode="mix"`` it becomes one probability column per class, named
        ``f"{labels}_{class}"`` as :func:`pandas.get_dummies` names them.
    label_mode : {"mix", "dominant"}, default "mix"
        "mix" mixes labels with the same ``lam`` as the features. "dominant"
        preserves labels: ``lam`` becomes ``max(lam, 1 - lam)`` and the synthetic
        row carries the exact label of its dominant row ``i``.
    within_class : bool, default False
        Draw both rows of each pair from the same class; labels stay exact. A class
        with a single row yields copies of that row.
    random_state : None, int or numpy.random.Generator, optional
        Seed or generator; the same seed gives the same result. The global NumPy
        random state is never read or changed.
    device : None, str or torch.device, optional
        None computes with NumPy. A torch device (``"cpu"``, ``"cuda"``,
        ``"cuda:1"``...) computes the mixed columns with torch there (extra
        ``mixupy[torch]``); the draw is the same NumPy draw, so the result is
        the same frame (bit for bit in float64 and float32).

    Returns
    -------
    pandas.DataFrame
        ``batch_size`` synthetic rows (after ``len(data)`` original rows when
        ``concat=True``) with a fresh ``RangeIndex``. Columns and their order are
        kept. Float columns keep their dtype; int, bool and nullable columns
        become float64 (the originals too, under ``concat=True``: integers beyond
        2**53 are rounded). Labels kept exact keep their dtype.

    Raises
    ------
    TypeError
        ``data`` is not a DataFrame, a column is not numeric, or a parameter has
        the wrong type.
    ValueError
        Missing or infinite values, an empty frame, a parameter out of range, or
        labels that are unknown or not one-hot / probabilities.

    See Also
    --------
    pandas.get_dummies : one-hot encode categorical columns first.

    Examples
    --------
    >>> import pandas as pd
    >>> from mixupy import mixup
    >>> df = pd.DataFrame({"x": [0.0, 10.0], "a": [1, 0], "b": [0, 1]})
    >>> out = mixup(df, alpha=1, random_state=0)
    >>> out.shape
    (2, 3)
    >>> bool((out["a"] + out["b"] == 1).all())  # mixed labels still sum to 1
    True
    >>> bool(((out["x"] / 10 - out["b"]).abs() < 1e-12).all())  # x and labels share lam
    True

    Keep the original rows and the class of each synthetic row's dominant source:

    >>> iris = pd.DataFrame({"petal": [1.4, 1.3, 4.7, 4.5], "species": ["a", "a", "b", "b"]})
    >>> out = mixup(iris, concat=True, labels="species", label_mode="dominant", random_state=1)
    >>> len(out), list(out["species"][:4])
    (8, ['a', 'a', 'b', 'b'])
    """
    data = check_frame(data)
    alpha = check_alpha(alpha)
    concat = check_bool(concat, "concat")
    n = len(data)
    size = check_batch_size(batch_size, n)
    label_mode = check_label_mode(label_mode)
    within_class = check_bool(within_class, "within_class")
    rng = check_random_state(random_state)
    mixer = _core.mix_columns if device is None else _device_mixer(device)
    exact = check_exact_labels(within_class=within_class, label_mode=label_mode, has_labels=labels is not None)

    spec = resolve_labels(data, labels, need_codes=within_class)
    kept = spec.columns if (exact or spec.kind == "class") else []
    mixed: list[Hashable] = [c for c in data.columns if c not in kept]
    check_numeric_columns(data, mixed)
    # When every row is a first source, NaN and infinity are found while mixing, with no extra
    # pass over the input (the numbers are in cache then); otherwise they are checked here.
    deferred = device is None and size >= n
    values = _numeric_values(data, mixed, check_finite=not deferred)

    d = _core.draw(
        n,
        size,
        alpha,
        rng,
        groups=spec.codes if within_class else None,
        dominant=label_mode == "dominant",
    )
    expand = spec.kind == "class" and not exact
    return _assemble(data, d, values, spec, kept, concat=concat, expand=expand, mixer=mixer, deferred_check=deferred)


def _numeric_values(data: pd.DataFrame, columns: list[Hashable], *, check_finite: bool) -> dict[Hashable, np.ndarray]:
    """Each column's values as a NumPy array, checked (on up to two threads) for missing values,
    and for NaN and infinity where ``check_finite``."""
    arrays: list[np.ndarray | None] = [None] * len(columns)
    dtypes = data.dtypes
    if len(columns) == data.shape[1] and len(set(dtypes)) == 1 and isinstance(dtypes.iloc[0], np.dtype):
        # one NumPy dtype: pandas holds one block, and its columns are views of to_numpy()
        block = data.to_numpy(copy=False)
        if check_finite and block.dtype.kind == "f" and not _finite_sum(block):
            for name in columns:
                column_values(data[name])  # names the first column holding NaN or infinity
        return {name: block[:, j] for j, name in enumerate(columns)}

    def work(k: int) -> None:
        for j in range(k, len(columns), 2):
            arrays[j] = column_values(data[columns[j]], check_finite=check_finite)

    _core.run_parallel(work, min(2, len(columns)), len(data) * len(columns))
    return {c: a for c, a in zip(columns, arrays, strict=True) if a is not None}


def _finite_sum(values: np.ndarray) -> bool:
    """True when the float64 sum of ``values`` is finite, which proves every value finite."""
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow only sends the caller to a closer look
        return bool(np.isfinite(np.add.reduce(values, axis=None, dtype=np.float64)))


def _assemble(
    data: pd.DataFrame,
    d: _core.Draw,
    values: dict[Hashable, np.ndarray],
    spec: LabelSpec,
    kept: list[Hashable],
    *,
    concat: bool,
    expand: bool,
    mixer: Callable[..., np.ndarray] = _core.mix_columns,
    deferred_check: bool = False,
) -> pd.DataFrame:
    """Apply the draw to every column and rebuild one DataFrame.

    ``expand`` turns the class column into one mixed probability column per class.
    ``deferred_check`` means NaN and infinity were not looked for yet: the NumPy
    kernel reports them while it mixes, and the column is then checked in full.
    """
    n = len(data)
    groups: dict[np.dtype, list[Hashable]] = {}
    for name, column in values.items():
        groups.setdefault(_core.float_dtype(column.dtype), []).append(name)
    mixed_arrays = {}
    for dtype, names in groups.items():
        finite: list[bool] = []
        report = {"finite": finite} if deferred_check else {}
        mixed_arrays[dtype] = mixer([values[c] for c in names], d, dtype, keep_originals=concat, **report)
        for name, ok in zip(names, finite, strict=False):
            if not ok:
                column_values(data[name])  # names the column and what is wrong; passes on a mere overflow
    index = pd.RangeIndex(n * concat + len(d))

    if not kept and len(groups) == 1:  # one block, wrapped without a copy
        ((dtype, block),) = mixed_arrays.items()
        return pd.DataFrame(block.T, columns=data.columns, index=index, copy=False)

    pieces: dict[Hashable, Any] = {}
    for dtype, names in groups.items():
        for j, name in enumerate(names):
            pieces[name] = mixed_arrays[dtype][j]
    positions = np.concatenate([np.arange(n), d.first]) if concat else d.first
    new_columns: list[Hashable] = []
    for name in data.columns:
        if name in pieces:
            new_columns.append(name)
        elif expand and spec.codes is not None and name == spec.columns[0]:
            probs = _class_probabilities(spec.codes, len(spec.classes), d, concat=concat)
            for k, new_name in enumerate(class_column_names(name, spec.classes)):
                pieces[new_name] = probs[:, k]
                new_columns.append(new_name)
        else:
            pieces[name] = data[name].take(positions).array
            new_columns.append(name)
    if len(new_columns) != len(set(new_columns)):
        clash = sorted({str(c) for c in new_columns if new_columns.count(c) > 1})
        msg = f"the probability columns made from `labels` clash with existing columns: {clash}. Rename those first."
        raise ValueError(msg)
    frame = pd.DataFrame({k: pieces[k] for k in new_columns}, index=index, copy=False)
    frame.columns = data.columns if new_columns == list(data.columns) else pd.Index(new_columns, tupleize_cols=False)
    return frame


def _class_probabilities(codes: np.ndarray, n_classes: int, d: _core.Draw, *, concat: bool) -> np.ndarray:
    mixed = _core.mix_codes(codes, n_classes, d)
    if not concat:
        return mixed
    return np.vstack([np.eye(n_classes)[codes], mixed])


# --- a table mixed block by block (mixupy.stream, mixupy.dask) ---


def names_class_column(labels: Any, columns: pd.Index) -> bool:
    """True when ``labels`` names one class column, not a list of one-hot columns.

    A tuple is a name only when it is a (MultiIndex) column; other tuples list columns.
    """
    if labels is None:
        return False
    return labels in columns if isinstance(labels, tuple) else isinstance(labels, Hashable)


def class_column_names(label: Hashable, classes: Sequence[Any]) -> list[str]:
    """The probability columns that ``mixup`` makes from class column ``label``, one per class."""
    return [f"{label}_{cls}" for cls in classes]


def mixup_block(data: pd.DataFrame, *, classes: Sequence[Any] | None = None, **options: Any) -> pd.DataFrame:
    """``mixup(data, **options)``, with one probability column for each of ``classes``.

    A block of a larger table may lack some classes of its class column; with
    ``labels`` naming that column and ``label_mode="mix"``, ``mixup`` would then
    make fewer columns than the other blocks. ``classes`` (every class of the
    whole table, in output order) adds the missing ones, filled with 0, so that
    every block has the same columns. Without ``classes`` this is ``mixup``.
    """
    out = mixup(data, **options)
    if classes is None:
        return out
    label = options["labels"]
    expected: list[Hashable] = []
    for name in data.columns:
        expected.extend(class_column_names(name, classes) if name == label else [name])
    unknown = [c for c in out.columns if c not in set(expected)]
    if unknown:
        msg = (
            f"`labels` column {label!r} holds classes that the whole table was not seen to hold: "
            f"{unknown}. Hint: give the column one type throughout (all numbers or all text)."
        )
        raise ValueError(msg)
    if list(out.columns) == expected:
        return out
    return out.reindex(columns=expected, fill_value=0.0)


# --- device=: the same draw applied by torch (mixupy.tensors, extra "torch") ---


def _device_mixer(device: Any) -> Callable[..., np.ndarray]:
    """:func:`mixupy.tensors.mix_columns` bound to a checked ``device``; torch is imported only here."""
    try:
        from mixupy import tensors
    except ImportError as err:
        msg = "`device=` computes with PyTorch, which is not installed: pip install 'mixupy[torch]'."
        raise ImportError(msg) from err
    return functools.partial(tensors.mix_columns, device=check_device(device))
