"""``mixup(df)``: mixup for pandas DataFrames.

The frame is taken apart once into NumPy columns, mixed by one draw
(:mod:`mixupy._draw`) applied by the column kernel (:mod:`mixupy._apply`), and
rebuilt once, keeping column names and order. :func:`mix_frame` is the part
that file blocks (:mod:`mixupy.stream`) and Dask partitions share.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from mixupy import _apply, _draw
from mixupy._columns import Roles, carried, carried_rows, column_roles, mix_times
from mixupy._frames import Table, call_on_pandas, table_kind
from mixupy._labels import Labels, column_index, expanded_columns, from_frame, label_names, one_hot, probability_names
from mixupy._options import MixOptions, random_source
from mixupy._parallel import run_parallel, thread_count
from mixupy._validation import (
    check_complete,
    check_device,
    check_fits_in_memory,
    check_frame,
    check_neighbour_groups,
    check_target_columns,
    column_values,
    finite_sum,
    numeric_block,
    target_values,
)

__all__ = ["mixup"]

# A result smaller than this fits in the memory of any machine that runs pandas.
_SURELY_FITS = 64 << 20


def mixup(
    data: Table,
    alpha: float = 4,
    concat: bool = False,
    batch_size: int | None = None,
    *,
    labels: Hashable | Sequence[Hashable] | None = None,
    label_mode: str = "mix",
    within_class: bool = False,
    categorical: Hashable | Sequence[Hashable] | None = None,
    categorical_mode: str = "dominant",
    keep: Hashable | Sequence[Hashable] | None = None,
    target: Hashable | Sequence[Hashable] | None = None,
    pairing: str = "random",
    bandwidth: float | None = None,
    k_neighbors: int = 5,
    random_state: int | np.random.Generator | None = None,
    device: Any = None,
) -> Table:
    """Create synthetic rows as convex combinations of pairs of rows.

    Each synthetic row is ``lam * x_i + (1 - lam) * x_j`` for two rows ``i`` and
    ``j`` of ``data`` and its own ``lam ~ Beta(alpha, alpha)`` (Zhang et al.,
    "mixup: Beyond Empirical Risk Minimization", 2017). The rows ``i`` are every
    row in order, repeated or subsampled to ``batch_size``; each partner ``j`` is
    drawn uniformly from the other rows.

    Parameters
    ----------
    data : pandas.DataFrame, polars.DataFrame, polars.LazyFrame, pyarrow.Table or pyarrow.RecordBatch
        Numeric columns (int, float, bool, nullable or Arrow-backed), datetime and
        timedelta columns (mixed as points in time, ``t_j + lam * (t_i - t_j)``,
        dtype and zone kept), and the columns that ``labels``, ``categorical`` and
        ``keep`` name. Any other column is an error, never guessed at. No missing
        or infinite values in the columns that are mixed. A polars or pyarrow
        table is mixed by the same rules, to the same values as its
        ``to_pandas()``, and comes back in its own kind, with its own types where
        pandas keeps the dtype (a ``LazyFrame`` stays lazy when its schema says
        what comes out); see the user guide, "polars and pyarrow tables".
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
    categorical : column name, list of names, or "auto", optional
        Categorical feature columns (text, ``category``, anything that is not a
        number): not interpolated, each synthetic row takes the category of one
        of its sources (see ``categorical_mode``); the column keeps its dtype,
        a ``category`` its categories. ``"auto"`` takes every non-numeric column
        that no other option names (datetime and timedelta columns are numbers
        in time, not categories; an object column of numbers, such as
        ``Decimal``, is refused: convert it). Missing values are carried like
        any category.
    categorical_mode : {"dominant", "random"}, default "dominant"
        "dominant": the category of the source with the larger weight (the first
        on a tie), as SMOTENC takes the most frequent. "random": the first
        source's with probability ``lam``, else the second's.
    keep : column name or list of names, optional
        Columns carried unmixed: each synthetic row takes the value of its
        dominant source. For an id this says which row the synthetic row is
        mostly made of; for a group column (for ``GroupKFold``) it puts each
        synthetic row in its dominant source's group, though its other source
        may come from another group.
    target : column name or list of names, optional
        The continuous target column(s) of a regression: mixed like the features,
        with the same ``lam``, never one-hot encoded. ``pairing="target"`` pairs
        rows by them; with another pairing they are mixed like any feature.
    pairing : {"random", "target", "neighbors"}, default "random"
        How each row's partner ``j`` is drawn. "random": uniformly from the other
        rows (of the same class with ``within_class=True``). "target" (C-Mixup,
        Yao et al., 2022): with probability proportional to
        ``exp(-d(y_i, y_j)**2 / (2 * bandwidth**2))``, ``d`` the Euclidean distance
        between the rows' ``target`` values, so that rows with close targets mix;
        drawn exactly, in about a second for a million rows and one target column.
        "neighbors": uniformly among the ``k_neighbors`` nearest rows in feature
        space (Euclidean, on the numeric columns other than ``labels`` and
        ``target``; within the class with ``within_class=True``), as SMOTE does.
    bandwidth : float, optional
        The kernel's sigma for ``pairing="target"``, in the target's units: small
        values pair rows of nearly equal targets, large ones approach
        ``pairing="random"``. None takes Silverman's rule of thumb on the
        target's robust spread, ``(4/3) ** (1/5) * min(std, IQR / 1.349) *
        n ** (-1/5)`` for one target column (see the user guide). Used only by
        ``pairing="target"``.
    k_neighbors : int, default 5
        Number of nearest rows to draw a partner from, for ``pairing="neighbors"``;
        each class (or the whole frame) needs more rows than this.
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
    pandas.DataFrame, or the kind of ``data``
        ``batch_size`` synthetic rows (after ``len(data)`` original rows when
        ``concat=True``) with a fresh ``RangeIndex``. Columns and their order are
        kept. Float columns keep their dtype; int, bool and nullable columns
        become float64 (the originals too, under ``concat=True``: integers beyond
        2**53 are rounded). Labels kept exact keep their dtype.

    Raises
    ------
    TypeError
        ``data`` is not a DataFrame (pandas or polars) or a pyarrow table, a column
        is not numeric, or a parameter has the wrong type.
    ValueError
        Missing or infinite values, an empty frame, a parameter out of range,
        labels that are unknown or not one-hot / probabilities, or a ``target``
        that cannot be paired by: missing, one value only, or a class column
        (pair it with ``within_class=True``).

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

    A regression target, each row paired with rows of close targets (C-Mixup); the target is mixed with
    the features' ``lam``:

    >>> houses = pd.DataFrame({"rooms": [2.0, 3, 3, 5, 6, 8], "price": [100.0, 120, 125, 200, 210, 300]})
    >>> out = mixup(houses, alpha=1, target="price", pairing="target", bandwidth=20.0, random_state=0)
    >>> out.shape
    (6, 2)
    >>> bool(out["price"].between(100, 300).all())
    True
    """
    if table_kind(data) is not None:  # a polars or pyarrow table: mixed as pandas, returned in its kind
        return call_on_pandas(mixup, locals())
    frame = check_frame(data)
    options = MixOptions.from_arguments(locals())  # every option of the call, checked once
    rng = random_source(random_state)
    options = options.pair_by(target, pairing, bandwidth, k_neighbors)
    return cast(Table, mix_frame(frame, options, rng, mixer=None if device is None else _device_mixer(device)))


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
    NumPy column kernel when None, or torch on a device). It is :func:`prepare`
    then one :meth:`Prepared.frame` of every row.
    """
    block = _plain_block(data, options, mixer)
    if block is not None:  # numbers of one NumPy dtype, all mixed alike: one block in, one block out
        return _mix_plain(data, block, options, rng)
    return prepare(data, options, rng, classes=classes, mixer=mixer).frame()


@dataclass(frozen=True)
class Prepared:
    """A frame's mix made up to and including its draw (:func:`prepare`), to be applied to all its rows at once
    (:meth:`frame`) or to consecutive ranges of them (:meth:`piece`), with the same numbers either way."""

    data: pd.DataFrame
    d: _draw.Draw
    pick: np.ndarray | None  # categorical_mode="random": whether each synthetic row takes its first source's
    roles: Roles
    values: dict[Hashable, np.ndarray]  # the numeric columns' values, as the kernel reads them
    expand: Labels | None  # a class column that becomes probability columns
    concat: bool
    mixer: Callable[..., np.ndarray]
    bounds: dict[Hashable, tuple[float, float]] | None  # read by the check ahead; None: the kernel checks
    width: int  # columns of the result

    def frame(self) -> pd.DataFrame:
        """Every row of the result: the original rows first under ``concat``, then the synthetic rows."""
        return _apply_draw(self, self.d, self.pick, concat=self.concat)

    def piece(self, rows: slice, *, originals: bool = False) -> pd.DataFrame:
        """The synthetic rows ``rows`` of the result (positions ``start:stop`` of the draw), or with ``originals``
        the original rows ``rows`` as ``concat`` returns them; a :func:`prepare` made with ``checked=True``.

        The same values as those rows of :meth:`frame`: each synthetic row is its own sources mixed, and an
        original row is the row mixed with itself at weight 1, which is the row, cast as :meth:`frame` casts it.
        """
        if originals:
            positions = np.arange(rows.start, rows.stop, dtype=np.intp)
            return _apply_draw(self, _draw.Draw(positions, positions, np.ones(len(positions))), None, concat=False)
        pick = None if self.pick is None else self.pick[rows]
        return _apply_draw(self, self.d.take(rows), pick, concat=False)


def prepare(
    data: pd.DataFrame,
    options: MixOptions,
    rng: np.random.Generator,
    *,
    classes: Sequence[Any] | None = None,
    mixer: Callable[..., np.ndarray] | None = None,
    checked: bool = False,
) -> Prepared:
    """Everything :func:`mix_frame` does before it applies the draw: validation, roles, values, the draw.

    ``checked`` looks for NaN and infinity in the mixed columns here, once, after the draw (where the kernel
    finds them in :meth:`Prepared.frame`, so with the same message), and keeps each column's extremes, so that
    :meth:`Prepared.piece` never reads the whole input again: for a block written in pieces, where no piece
    may be written before the whole block is known to mix.
    """
    n = len(data)
    size = options.size(n)
    if options.target:  # before the labels and the roles, whose messages would not say what a target needs
        check_target_columns(data, options.target, label_names(options.labels, data.columns), options.target_name)
    spec = from_frame(data, options.labels, need_codes=options.within_class, classes=classes)
    expand = spec is not None and spec.kind == "class" and not options.exact
    carry = spec is not None and (options.exact or spec.kind == "class")
    roles = column_roles(data, options, list(spec.columns) if spec is not None else [], carry_labels=carry)
    width = len(roles.mixed) + len(roles.times) + len(roles.carried) + (len(spec.classes) if expand and spec else 0)
    _check_memory(size, n, width, concat=options.concat)
    # With the NumPy kernel, NaN and infinity are found while mixing, with no extra pass over the input
    # (the kernel reads each column's extremes as it pulls the column into cache); torch's are checked here.
    values = _numeric_values(data, roles.mixed, check_finite=mixer is not None)
    pairing = _pairing(data, options, spec, roles.mixed)
    d = _draw.draw(n, size, options.alpha, rng, pairing=pairing, dominant=options.dominant)
    pick = _draw.pick_first(d, rng) if roles.random else None
    bounds = _checked_bounds(data, roles, values) if checked and mixer is None else None
    width -= bool(expand)  # the class column itself is not written
    expanded = spec if expand else None
    return Prepared(data, d, pick, roles, values, expanded, options.concat, mixer or _apply.mix_columns, bounds, width)


def _apply_draw(p: Prepared, d: _draw.Draw, pick: np.ndarray | None, *, concat: bool) -> pd.DataFrame:
    """The draw ``d`` (all of ``p``'s, or a range of it) applied to ``p``'s columns, rebuilt as one frame."""
    data = p.data
    check = p.bounds is None and p.mixer is _apply.mix_columns
    blocks = _mixed_blocks(data, d, p.values, concat=concat, mixer=p.mixer, check=check, bounds=p.bounds)
    if len(blocks) == 1 and len(p.roles.mixed) == data.shape[1]:  # one block, wrapped without a copy
        ((_, (_, block)),) = blocks.items()
        return pd.DataFrame(block.T, columns=data.columns, index=pd.RangeIndex(block.shape[1]), copy=False)
    mixed: dict[Hashable, Any] = {}
    for names, block in blocks.values():
        mixed.update(zip(names, block, strict=True))
    if p.roles.times:  # points in time: by their own kernel, on integer counts, also with a device mixer
        mixed.update(mix_times(data, p.roles.times, d, concat=concat))
    sources = carried_rows(d, pick, len(data), concat=concat) if p.roles.carried else {}
    for name, how in p.roles.carried.items():
        if not (p.expand is not None and name == p.expand.columns[0]):
            mixed[name] = carried(data[name], sources[how])
    return _rebuild(data, d, mixed, p.expand, concat=concat)


def _check_memory(size: int, n: int, width: int, *, concat: bool) -> None:
    """Refuse, before anything is allocated, a result of ``size`` rows (after ``n`` originals when ``concat``)
    and ``width`` columns that cannot fit in memory."""
    n_bytes = (size + n * concat) * width * 8 + size * 24
    if n_bytes < _SURELY_FITS:  # no need to ask the machine how much memory it has
        return
    check_fits_in_memory(
        n_bytes,
        f"batch_size={size} synthetic rows of {width} column(s)",
        "ask for fewer rows, or stream them: mixupy.mixup_file writes a file block by block.",
    )


def _plain_block(data: pd.DataFrame, options: MixOptions, mixer: Callable[..., np.ndarray] | None) -> np.ndarray | None:
    """The frame's values as ``(columns, rows)`` when the call mixes every column alike and they are numbers of
    one NumPy dtype (one pandas block): no labels, kept, categorical or target columns, uniform pairs, NumPy.

    Then every column's role is known without asking each column, and the frame is mixed as one array.
    """
    if mixer is not None or options.labels is not None or options.keep or options.target:
        return None
    if options.categorical not in ((), "auto") or options.pairing != "random":  # "auto" finds none among numbers
        return None
    values = numeric_block(data)
    return None if values is None else values.T


def _mix_plain(data: pd.DataFrame, block: np.ndarray, options: MixOptions, rng: np.random.Generator) -> pd.DataFrame:
    """:func:`mix_frame` of a frame that is one block of numbers (``block``, ``(columns, rows)``): the same draw
    and the same numbers as the column-by-column path, bit for bit, with no step per column."""
    width, n = block.shape
    size = options.size(n)
    _check_memory(size, n, width, concat=options.concat)
    d = _draw.draw(n, size, options.alpha, rng)
    dtype = _apply.float_dtype(block.dtype)
    finite: list[bool] = []
    if size * width <= _apply.BLOCK_MAX_VALUES:  # small: whole-array steps on this thread
        out = _apply.mix_block(block, d, dtype, keep_originals=options.concat, finite=finite)
    else:  # large: the column kernel, its threads sharing each column
        out = _apply.mix_columns(list(block), d, dtype, keep_originals=options.concat, finite=finite)
    if not all(finite):
        check_complete(data, [name for name, ok in zip(data.columns, finite, strict=True) if not ok])
    return pd.DataFrame(out.T, columns=data.columns, copy=False)  # pandas' default index: a RangeIndex


def _pairing(
    data: pd.DataFrame, options: MixOptions, spec: Labels | None, mixed: list[Hashable]
) -> _draw.Pairing | None:
    """The pairing the options ask for: by target distance, nearest rows in feature space (the ``mixed``
    numeric columns but labels and targets), within class, or None (uniform)."""
    if options.pairing == "target":
        return _draw.by_target(target_values(data, options.target, options.target_name), options.bandwidth)
    codes = spec.codes() if options.within_class and spec is not None else None
    if options.pairing == "neighbors":
        left_out = set(options.target) | set(spec.columns if spec is not None else ())
        features = [c for c in mixed if c not in left_out]
        if not features:
            msg = "pairing='neighbors' finds the nearest rows by the numeric feature columns, and `data` has none."
            raise ValueError(msg)
        check_complete(data, features)
        groups = np.zeros(len(data), dtype=np.intp) if codes is None else codes
        names = spec.classes if codes is not None and spec is not None else None
        check_neighbour_groups(np.bincount(groups), options.k_neighbors, names)
        x = np.column_stack([data[c].to_numpy(dtype=np.float64) for c in features])
        return _draw.Neighbours(x, groups, options.k_neighbors)
    return None if codes is None else _draw.WithinGroup(codes)


def _numeric_values(data: pd.DataFrame, columns: list[Hashable], *, check_finite: bool) -> dict[Hashable, np.ndarray]:
    """Each column's values as a NumPy array, checked (on the machine's threads) for missing values,
    and for NaN and infinity where ``check_finite``."""
    arrays: list[np.ndarray | None] = [None] * len(columns)
    # one pandas block of one NumPy dtype: its columns are views of it. A frame of one dtype in several blocks
    # (as Arrow data arrives) is taken column by column below: to_numpy() would copy it into one array.
    block = numeric_block(data) if len(columns) == data.shape[1] else None
    if block is not None:
        if check_finite and block.dtype.kind == "f" and not finite_sum(block):
            for name in columns:
                column_values(data[name])  # names the first column holding NaN or infinity
        return {name: block[:, j] for j, name in enumerate(columns)}
    threads = max(1, min(thread_count(), len(columns)))

    def work(k: int) -> None:
        for j in range(k, len(columns), threads):
            arrays[j] = column_values(data[columns[j]], check_finite=check_finite)

    run_parallel(work, threads, len(data) * len(columns))
    return {c: a for c, a in zip(columns, arrays, strict=True) if a is not None}


def _groups(values: dict[Hashable, np.ndarray]) -> dict[np.dtype, list[Hashable]]:
    """The numeric columns by the dtype they mix into, in the order the kernel mixes (and reports) them."""
    groups: dict[np.dtype, list[Hashable]] = {}
    for name, column in values.items():
        groups.setdefault(_apply.float_dtype(column.dtype), []).append(name)
    return groups


def _checked_bounds(
    data: pd.DataFrame, roles: Roles, values: dict[Hashable, np.ndarray]
) -> dict[Hashable, tuple[float, float]]:
    """Each mixed column's extremes, read once; every column holding NaN or infinity named at once, then every
    time column holding NaT, as :meth:`Prepared.frame` names them while it mixes."""
    bounds: dict[Hashable, tuple[float, float]] = {}
    bad: list[Hashable] = []
    for names in _groups(values).values():
        low, high = _apply.column_bounds([values[c] for c in names])
        bounds.update(zip(names, zip(low.tolist(), high.tolist(), strict=True), strict=True))
        bad += [name for name, ok in zip(names, np.isfinite(np.maximum(-low, high)), strict=True) if not ok]
    if bad:
        check_complete(data, bad)  # names every column that holds NaN or infinity
    missing = [name for name in roles.times if data[name].isna().any()]
    if missing:
        check_complete(data, missing)
    return bounds


def _mixed_blocks(
    data: pd.DataFrame,
    d: _draw.Draw,
    values: dict[Hashable, np.ndarray],
    *,
    concat: bool,
    mixer: Callable[..., np.ndarray],
    check: bool,
    bounds: dict[Hashable, tuple[float, float]] | None = None,
) -> dict[np.dtype, Any]:
    """The numeric columns mixed with the draw, one kernel call per output dtype: ``dtype -> (names, block)``.

    ``check`` means NaN and infinity were not looked for yet: the NumPy kernel reports them while it mixes,
    and then every column that holds any is named, with counts, at once. ``bounds`` (each column's extremes,
    read by :func:`_checked_bounds`) spares the kernel its read of the originals.
    """
    blocks: dict[np.dtype, Any] = {}
    bad: list[Hashable] = []
    for dtype, names in _groups(values).items():
        finite: list[bool] = []
        report: dict[str, Any] = {"finite": finite} if check else {}
        columns = [values[c] for c in names]
        if bounds is not None:  # read already: the kernel, told the extremes
            known = np.array([bounds[c] for c in names], dtype=np.float64).reshape(len(names), 2)
            report["bounds"] = (known[:, 0], known[:, 1])
        small = mixer is _apply.mix_columns and len(d) * len(names) <= _apply.BLOCK_MAX_VALUES and bounds is None
        if small and len({c.dtype for c in columns}) == 1:  # one dtype, little work: whole-array steps, same numbers
            block = _apply.mix_block(np.stack(columns), d, dtype, keep_originals=concat, **report)
        else:
            block = mixer(columns, d, dtype, keep_originals=concat, **report)
        blocks[dtype] = (names, block)
        bad += [name for name, ok in zip(names, finite, strict=False) if not ok]
    if bad:
        check_complete(data, bad)  # names every column that holds NaN or infinity; passes on a mere overflow
    return blocks


def _rebuild(
    data: pd.DataFrame, d: _draw.Draw, pieces: dict[Hashable, Any], expand: Labels | None, *, concat: bool
) -> pd.DataFrame:
    """One new DataFrame, columns in their order; ``expand`` (a class column's labels) becomes probability columns."""
    n = len(data)
    index = pd.RangeIndex(n * concat + len(d))
    new_columns: list[Hashable] = list(data.columns)
    if expand is not None:
        label = expand.columns[0]
        new_columns = expanded_columns(data.columns, label, expand.classes)
        probs = expand.mix(d)
        if concat:
            probs = np.vstack([one_hot(expand.arrays[0], len(expand.classes)), probs])
        pieces.update(zip(probability_names(label, expand.classes), probs.T, strict=True))
    if all(isinstance(p, np.ndarray) and p.dtype == np.float64 and p.ndim == 1 for p in pieces.values()):
        # float64 columns only (numbers and probabilities): one block, not a Series per column, stacked as pandas
        # holds a block (a row per column), so that each column stays contiguous for the writers that follow
        frame = pd.DataFrame(np.stack([pieces[k] for k in new_columns]).T, index=index, copy=False)
    else:
        frame = pd.DataFrame({k: pieces[k] for k in new_columns}, index=index, copy=False)
    frame.columns = data.columns if expand is None else column_index(new_columns, data.columns)
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
