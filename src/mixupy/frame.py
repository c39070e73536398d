"""``mixup(df)``: mixup for pandas DataFrames.

The frame is taken apart once into NumPy columns, mixed by one draw
(:mod:`mixupy._draw`) applied by the column kernel (:mod:`mixupy._apply`), and
rebuilt once, keeping column names and order. :func:`mix_frame` is the part
that file blocks (:mod:`mixupy.stream`) and Dask partitions share.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mixupy import _apply, _draw
from mixupy._labels import Labels, expanded_columns, from_frame, one_hot, probability_names
from mixupy._options import MixOptions, random_source
from mixupy._parallel import run_parallel, thread_count
from mixupy._validation import (
    check_device,
    check_fits_in_memory,
    check_frame,
    check_numeric_columns,
    column_values,
)

__all__ = ["mixup"]


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
    options = MixOptions.validate(alpha, concat, batch_size, labels, label_mode, within_class)
    rng = random_source(random_state)
    return mix_frame(data, options, rng, mixer=None if device is None else _device_mixer(device))


def mix_frame(
    data: pd.DataFrame,
    options: MixOptions,
    rng: np.random.Generator,
    *,
    classes: Sequence[Any] | None = None,
    mixer: Callable[..., np.ndarray] | None = None,
) -> pd.DataFrame:
    """:func:`mixup` on a checked frame with validated options: the body that file blocks and Dask partitions share.

    ``classes`` (every class of a whole table, in output order) codes a block's
    class column against the table's classes, so that every block of a larger
    table makes the same probability columns. ``mixer`` applies the draw (the
    NumPy column kernel when None, or torch on a device).
    """
    n = len(data)
    size = options.size(n)
    spec = from_frame(data, options.labels, need_codes=options.within_class, classes=classes)
    kept = list(spec.columns) if spec is not None and (options.exact or spec.kind == "class") else []
    mixed: list[Hashable] = [c for c in data.columns if c not in kept]
    check_numeric_columns(data, mixed)
    # With the NumPy kernel, NaN and infinity are found while mixing, with no extra pass over the input
    # (the kernel reads each column's extremes as it pulls the column into cache); torch's are checked here.
    deferred = mixer is None
    expand = spec is not None and spec.kind == "class" and not options.exact
    width = len(mixed) + (len(spec.classes) if expand and spec is not None else len(kept))
    check_fits_in_memory(
        (size + n * options.concat) * width * 8 + size * 24,
        f"batch_size={size} synthetic rows of {width} column(s)",
        "ask for fewer rows, or stream them: mixupy.mixup_file writes a file block by block.",
    )
    values = _numeric_values(data, mixed, check_finite=not deferred)
    pairing = _draw.WithinGroup(spec.codes()) if options.within_class and spec is not None else None
    d = _draw.draw(n, size, options.alpha, rng, pairing=pairing, dominant=options.dominant)
    return _assemble(
        data,
        d,
        values,
        spec if expand else None,
        kept,
        concat=options.concat,
        mixer=_apply.mix_columns if mixer is None else mixer,
        deferred_check=deferred,
    )


def _numeric_values(data: pd.DataFrame, columns: list[Hashable], *, check_finite: bool) -> dict[Hashable, np.ndarray]:
    """Each column's values as a NumPy array, checked (on the machine's threads) for missing values,
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
    threads = max(1, min(thread_count(), len(columns)))

    def work(k: int) -> None:
        for j in range(k, len(columns), threads):
            arrays[j] = column_values(data[columns[j]], check_finite=check_finite)

    run_parallel(work, threads, len(data) * len(columns))
    return {c: a for c, a in zip(columns, arrays, strict=True) if a is not None}


def _finite_sum(values: np.ndarray) -> bool:
    """True when the float64 sum of ``values`` is finite, which proves every value finite."""
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow only sends the caller to a closer look
        return bool(np.isfinite(np.add.reduce(values, axis=None, dtype=np.float64)))


def _assemble(
    data: pd.DataFrame,
    d: _draw.Draw,
    values: dict[Hashable, np.ndarray],
    expand: Labels | None,
    kept: list[Hashable],
    *,
    concat: bool,
    mixer: Callable[..., np.ndarray],
    deferred_check: bool,
) -> pd.DataFrame:
    """Apply the draw to every column and rebuild one DataFrame.

    ``expand``, when given, is the class column's labels: it becomes one mixed
    probability column per class. ``deferred_check`` means NaN and infinity
    were not looked for yet: the NumPy kernel reports them while it mixes, and
    the column is then checked in full.
    """
    n = len(data)
    groups: dict[np.dtype, list[Hashable]] = {}
    for name, column in values.items():
        groups.setdefault(_apply.float_dtype(column.dtype), []).append(name)
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
    new_columns: list[Hashable] = list(data.columns)
    if expand is not None:
        label = expand.columns[0]
        new_columns = expanded_columns(data.columns, label, expand.classes)
        probs = expand.mix(d)
        if concat:
            probs = np.vstack([one_hot(expand.arrays[0], len(expand.classes)), probs])
        pieces.update(zip(probability_names(label, expand.classes), probs.T, strict=True))
    positions = np.concatenate([np.arange(n), d.first]) if concat else d.first
    for name in kept:
        if expand is None or name != expand.columns[0]:
            pieces[name] = data[name].take(positions).array
    frame = pd.DataFrame({k: pieces[k] for k in new_columns}, index=index, copy=False)
    frame.columns = data.columns if expand is None else pd.Index(new_columns, tupleize_cols=False)
    return frame


# --- device=: the same draw applied by torch (mixupy._apply_torch, extra "torch") ---


def _device_mixer(device: Any) -> Callable[..., np.ndarray]:
    """:func:`mixupy._apply_torch.mix_columns` bound to a checked ``device``; torch is imported only here."""
    try:
        from mixupy import _apply_torch
    except ImportError as err:
        msg = "`device=` computes with PyTorch, which is not installed: pip install 'mixupy[torch]'."
        raise ImportError(msg) from err
    return functools.partial(_apply_torch.mix_columns, device=check_device(device))
