"""Time-series mixup: mix whole series, or aligned windows of them, never single rows.

Mixing single rows of a time series destroys its order. Here each synthetic
series is ``lam * s_i + (1 - lam) * s_j`` at every step, for two real series
``s_i`` and ``s_j`` and one ``lam ~ Beta(alpha, alpha)`` per pair, drawn by the
kernel in :mod:`mixupy._core` like every other backend.

Three entry points:

- :func:`mixup_timeseries`: long-format DataFrames (one row per series and step),
  with explicit alignment of unequal or irregular series and optional windows;
- :func:`mixup_series_array`: arrays of shape (series, steps[, channels]);
- :func:`mixup_lagged`: one long series mixed with itself ``time_diff`` steps
  later, for forecasting data with too few series to mix with each other.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from mixupy import _core
from mixupy._validation import (
    ALIGNMENTS,
    PLACEMENTS,
    check_alpha,
    check_bool,
    check_choice,
    check_column,
    check_column_list,
    check_exact_labels,
    check_frame,
    check_label_mode,
    check_numeric_columns,
    check_optional_positive_int,
    check_positive_int,
    check_random_state,
    check_series_array,
    check_window,
    column_values,
    time_key,
)
from mixupy.arrays import LabelSet
from mixupy.arrays import resolve_labels as resolve_array_labels
from mixupy.frame import LabelSpec, resolve_labels

__all__ = ["mixup_lagged", "mixup_series_array", "mixup_timeseries"]

# Synthetic series are mixed in chunks of about this many values: bounded temporaries, two threads.
_CHUNK_VALUES = 1 << 21
# Name of the column that numbers the synthetic copies of mixup_lagged(placement="apart").
COPY_COLUMN = "copy"


# --- the shared middle: units (series or windows) -> draw -> mixed units and labels ---


def _mix_units(units: np.ndarray, d: _core.Draw) -> np.ndarray:
    """Mix whole units (first axis) with one draw, chunk by chunk on up to two threads."""
    per_unit = max(1, int(np.prod(units.shape[1:])))
    dtype = _core.float_dtype(units.dtype)
    out = np.empty((len(d), *units.shape[1:]), dtype=dtype)
    rows = max(1, _CHUNK_VALUES // per_unit)

    def work(k: int) -> None:
        part = slice(k * rows, (k + 1) * rows)
        out[part] = _core.mix_rows(units, _core.Draw(d.first[part], d.second[part], d.lam[part]))

    _core.run_parallel(work, -(-len(d) // rows), len(d) * per_unit)
    return out


def _draw_units(
    n_units: int,
    size: int,
    alpha: float,
    rng: np.random.Generator,
    codes: np.ndarray | None,
    unit_series: np.ndarray,
    *,
    within_class: bool,
    label_mode: str,
) -> _core.Draw:
    """One draw over the units; with ``within_class``, partners share the class ``codes`` of their series."""
    groups = codes[unit_series] if within_class and codes is not None else None
    return _core.draw(n_units, size, alpha, rng, groups=groups, dominant=label_mode == "dominant")


def _mixed_probabilities(spec: LabelSpec, matrix: np.ndarray | None, unit_series: np.ndarray, d: _core.Draw) -> Any:
    """Mixed labels of each synthetic unit: class probabilities, or mixed one-hot rows."""
    if spec.kind == "class" and spec.codes is not None:
        return _core.mix_codes(spec.codes[unit_series], len(spec.classes), d)
    assert matrix is not None  # one-hot labels always come with their matrix
    return _core.mix_rows(matrix[unit_series], d)


def _windows(positions: np.ndarray, window: int, step: int) -> np.ndarray:
    """Windows of ``window`` steps every ``step`` steps along axis 1: (n, L, ...) -> (n, n_windows, window, ...)."""
    view = sliding_window_view(positions, window, axis=1)[:, ::step]
    return np.moveaxis(view, -1, 2)


# --- ids ---


def new_series_ids(existing: Sequence[Any] | pd.Index, size: int) -> np.ndarray:
    """Ids for ``size`` synthetic series that differ from every id in ``existing``.

    Integer ids continue above the largest one (``max + 1``, ``max + 2``, ...), as
    int64; float ids likewise from ``floor(max) + 1``. Ids of any other type
    become the strings ``"mix-0"``, ``"mix-1"``, ...; when one of those is
    already an id, the prefix becomes ``"mix2-"``, then ``"mix3-"``, and so on
    until no synthetic id equals an existing one.

    Examples
    --------
    >>> from mixupy.timeseries import new_series_ids
    >>> new_series_ids([3, 7], 2).tolist()
    [8, 9]
    >>> new_series_ids(["a", "mix-1"], 2).tolist()
    ['mix2-0', 'mix2-1']
    """
    ids = pd.Index(existing)
    if len(ids) and not pd.api.types.is_bool_dtype(ids.dtype):
        if pd.api.types.is_integer_dtype(ids.dtype):
            start = int(ids.max()) + 1
            if start + size > np.iinfo(np.int64).max:
                msg = f"integer series ids reach {int(ids.max())}; no room above them for {size} new int64 ids."
                raise ValueError(msg)
            return np.arange(start, start + size, dtype=np.int64)
        if pd.api.types.is_float_dtype(ids.dtype):
            return np.floor(float(ids.max())) + 1.0 + np.arange(size, dtype=np.float64)
    taken = {v for v in ids if isinstance(v, str)}
    m = 1
    while True:
        prefix = "mix-" if m == 1 else f"mix{m}-"
        names = [f"{prefix}{k}" for k in range(size)]
        if taken.isdisjoint(names):
            return np.array(names, dtype=object)
        m += 1


def _id_array(new_ids: np.ndarray, like: pd.Series) -> Any:
    """String ids in the id column's own string dtype (so a concatenation keeps it), others as they are."""
    if new_ids.dtype == object and pd.api.types.is_string_dtype(like.dtype) and like.dtype != object:
        dtype: Any = like.dtype
        return pd.array(new_ids, dtype=dtype)
    return new_ids


# --- long-format frames ---


def _plain(value: Any) -> Any:
    """A NumPy scalar as the Python scalar it holds, for readable messages."""
    return value.item() if isinstance(value, np.generic) else value


class _Layout:
    """The rows of a long frame grouped by series and sorted by time (or kept in row order)."""

    def __init__(self, data: pd.DataFrame, id_col: Hashable, time_col: Hashable | None) -> None:
        ids = data[id_col]
        if ids.hasnans:
            first = data.index[ids.isna().to_numpy()][:3].tolist()
            msg = f"`id_col` column {id_col!r} holds missing ids, first at index {first}; every row needs a series id."
            raise ValueError(msg)
        codes, uniques = pd.factorize(ids, sort=False)
        self.codes = codes.astype(np.intp)
        self.ids = pd.Index(uniques)
        self.names = [_plain(v) for v in self.ids]  # for messages
        self.counts = np.bincount(self.codes, minlength=len(self.ids))
        self.starts = np.concatenate(([0], np.cumsum(self.counts)[:-1])).astype(np.intp)
        self.key = None if time_col is None else time_key(data[time_col])
        if self.key is None:
            self.order = np.argsort(self.codes, kind="stable").astype(np.intp)
        else:
            self.order = np.lexsort((self.key, self.codes)).astype(np.intp)
        short = np.flatnonzero(self.counts < 2)
        if short.size:
            i = int(short[0])
            msg = (
                f"series {self.names[i]!r} has {int(self.counts[i])} step; every series needs at least 2 steps "
                f"to be mixed as a series ({short.size} series have fewer). Hint: drop them, or use "
                "mixupy.mixup for rows that are not series."
            )
            raise ValueError(msg)
        if self.key is not None:
            k, c = self.key[self.order], self.codes[self.order]
            dup = np.flatnonzero((k[1:] == k[:-1]) & (c[1:] == c[:-1]))
            if dup.size:
                row = int(self.order[dup[0]])
                msg = (
                    f"duplicated ({id_col!r}, {time_col!r}) pairs: series {_plain(data[id_col].iloc[row])!r} has "
                    f"time {_plain(data[time_col].iloc[row])!r} more than once ({dup.size} duplicate row(s) in all). "
                    "Hint: aggregate them first, e.g. df.groupby([id_col, time_col], as_index=False).mean()."
                )
                raise ValueError(msg)

    def __len__(self) -> int:
        return len(self.ids)

    def positions(self, length: int) -> np.ndarray:
        """Row positions of the first ``length`` steps of every series, shape (series, length)."""
        return self.order[self.starts[:, None] + np.arange(length)]

    def series_positions(self, i: int) -> np.ndarray:
        return self.order[self.starts[i] : self.starts[i] + self.counts[i]]


def _describe_lengths(layout: _Layout) -> str:
    longest, shortest = int(np.argmax(layout.counts)), int(np.argmin(layout.counts))
    n_other = int((layout.counts != layout.counts[0]).sum())
    return (
        f"series {layout.names[longest]!r} has {int(layout.counts[longest])} steps but series "
        f"{layout.names[shortest]!r} has {int(layout.counts[shortest])} ({n_other} series differ in length "
        f"from the first, {layout.names[0]!r})"
    )


_ALIGNMENT_HINT = (
    'Choose how to align them: alignment="truncate" (cut every series to the shortest and mix step by step), '
    'alignment="intersect" (keep only the timestamps every series has), alignment="resample" (interpolate '
    "onto a common grid of n_steps points). With window=<steps>, the windows are then cut from the aligned series."
)


def _check_same_grid(layout: _Layout, positions: np.ndarray, time_col: Hashable, data: pd.DataFrame) -> None:
    """Without an alignment, equally long series must also share their timestamps."""
    assert layout.key is not None
    keys = layout.key[positions]
    bad = np.flatnonzero((keys != keys[0]).any(axis=1))
    if bad.size:
        i = int(bad[0])
        t = int(np.flatnonzero(keys[i] != keys[0])[0])
        a, b = _plain(data[time_col].iloc[positions[0, t]]), _plain(data[time_col].iloc[positions[i, t]])
        msg = (
            f"the series have the same length but not the same timestamps: at step {t} series "
            f"{layout.names[0]!r} is at {a!r} and series {layout.names[i]!r} at {b!r} ({bad.size} series differ from "
            f"{layout.names[0]!r}). " + _ALIGNMENT_HINT
        )
        raise ValueError(msg)


def _aligned_positions(
    layout: _Layout, alignment: str | None, time_col: Hashable | None, data: pd.DataFrame
) -> np.ndarray:
    """Row positions of the aligned series, shape (series, steps).

    Without an alignment the series must already be aligned, windows or not: a
    window of one series is mixed with a window of another step by step, which
    is only meaningful when their steps mean the same times.
    """
    counts = layout.counts
    if alignment is None:
        if (counts != counts[0]).any():
            raise ValueError(f"the series differ in length: {_describe_lengths(layout)}. {_ALIGNMENT_HINT}")
        positions = layout.positions(int(counts[0]))
        if time_col is not None:
            _check_same_grid(layout, positions, time_col, data)
        return positions
    if alignment == "truncate":
        return layout.positions(int(counts.min()))
    # intersect: a key found in as many series as there are is shared by all (no duplicates within a series)
    if layout.key is None:
        raise ValueError('alignment="intersect" keeps the timestamps all series share, so it needs `time_col`.')
    keys, found = np.unique(layout.key, return_counts=True)
    shared = keys[found == len(layout)]
    if shared.size < 2:
        msg = (
            f'alignment="intersect" found {shared.size} timestamp(s) shared by all {len(layout)} series; '
            'at least 2 are needed. Hint: alignment="resample" interpolates onto a common grid instead.'
        )
        raise ValueError(msg)
    kept = layout.order[np.isin(layout.key[layout.order], shared)]
    return kept.reshape(len(layout), shared.size)


def _resampled(
    layout: _Layout, values: np.ndarray, n_steps: int | None, time_col: Hashable | None, data: pd.DataFrame
) -> tuple[np.ndarray, Any]:
    """Every series linearly interpolated onto ``n_steps`` points; returns (series, steps, channels) and the grid.

    With a time column the grid spans the time that every series covers; without
    one, each series is stretched over its own steps.
    """
    steps = int(layout.counts.max()) if n_steps is None else n_steps
    if steps < 2:
        raise ValueError(f"`n_steps` must be at least 2 for a series; got {steps}.")
    out = np.empty((len(layout), steps, values.shape[1]), dtype=np.float64)
    grid: Any = None
    if layout.key is not None:
        firsts = layout.key[layout.order[layout.starts]]
        lasts = layout.key[layout.order[layout.starts + layout.counts - 1]]
        lo, hi = firsts.max(), lasts.min()
        if lo >= hi:
            t = data[time_col]
            start = _plain(t.iloc[layout.order[layout.starts][np.argmax(firsts)]])
            end = _plain(t.iloc[layout.order[layout.starts + layout.counts - 1][np.argmin(lasts)]])
            msg = (
                'alignment="resample" interpolates over the time all series cover, but they do not overlap: '
                f"the latest start is {start!r} and the earliest end {end!r}."
            )
            raise ValueError(msg)
        offsets = np.linspace(0.0, float(hi - lo), steps)
        if layout.key.dtype.kind == "i":  # datetime or timedelta: whole units, back in the column's dtype
            key = lo + np.round(offsets).astype(np.int64)
            grid = _from_time_key(key, data[time_col])
            offsets = (key - lo).astype(np.float64)
        else:
            grid = lo + offsets
    for i in range(len(layout)):
        rows = layout.series_positions(i)
        if layout.key is None:
            x, at = np.arange(rows.size, dtype=np.float64), np.linspace(0.0, rows.size - 1.0, steps)
        else:
            x, at = (layout.key[rows] - lo).astype(np.float64), offsets
        for c in range(values.shape[1]):
            out[i, :, c] = np.interp(at, x, values[rows, c])
    return out, grid


def _from_time_key(key: np.ndarray, like: pd.Series) -> Any:
    """Int64 time keys back in the dtype of the time column ``like``."""
    dtype = like.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        naive = pd.Series(key.astype(f"datetime64[{dtype.unit}]"))
        return naive.dt.tz_localize("UTC").dt.tz_convert(dtype.tz).array
    return key.view(dtype)


def _n_windows(length: int, window: int, step: int, what: str) -> int:
    """How many windows ``_cut`` makes of each series of ``length`` steps; an error when none fits."""
    if length < window:
        msg = (
            f"`window`={window} is longer than {what}, which have {length} steps. "
            "Hint: choose a smaller window, or drop the short series first."
        )
        raise ValueError(msg)
    return (length - window) // step + 1


def _cut(rect: np.ndarray, window: int, step: int) -> np.ndarray:
    """(n, steps, ...) -> (n * windows, window, ...), a copy."""
    w = _windows(rect, window, step)
    return w.reshape(-1, *w.shape[2:])


def _frame_units(
    layout: _Layout,
    values: np.ndarray,
    data: pd.DataFrame,
    time_col: Hashable | None,
    *,
    alignment: str | None,
    n_steps: int | None,
    window: int | None,
    step: int | None,
) -> tuple[np.ndarray, Any, Any, np.ndarray]:
    """The units to mix, (units, steps, channels); where their time stamps are; the series of each unit.

    Time stamps are given as positions (units, steps) into a time source: the
    time column itself, or the common grid of ``alignment="resample"``. Windows
    are cut from the aligned series.
    """
    if alignment == "resample":
        units, source = _resampled(layout, values, n_steps, time_col, data)
        units = units.astype(values.dtype, copy=False)
        times = None if source is None else np.broadcast_to(np.arange(units.shape[1]), units.shape[:2])
    else:
        source = None if time_col is None else data[time_col].array
        times = _aligned_positions(layout, alignment, time_col, data)
        units = values[times]
    unit_series = np.arange(len(layout))
    if window is not None and step is not None:
        what = "the series" if alignment is None else "the aligned series"
        unit_series = np.repeat(unit_series, _n_windows(units.shape[1], window, step, what))
        units = _cut(units, window, step)
        times = None if times is None else _cut(times, window, step)
    return units, times, source, unit_series


def _column_roles(
    data: pd.DataFrame,
    id_col: Hashable,
    time_col: Hashable | None,
    value_cols: Any,
    static_cols: Any,
    label_cols: list[Hashable],
) -> tuple[list[Hashable], list[Hashable]]:
    """Value and static columns; every column must have exactly one role."""
    fixed = [id_col] if time_col is None else [id_col, time_col]
    if time_col is not None and time_col == id_col:
        raise ValueError(f"`id_col` and `time_col` must be different columns; both are {id_col!r}.")
    static = [] if static_cols is None else check_column_list(data, static_cols, "static_cols")
    taken = fixed + label_cols
    if value_cols is None:
        values: list[Hashable] = [c for c in data.columns if c not in taken and c not in static]
    else:
        values = check_column_list(data, value_cols, "value_cols")
        left = [c for c in data.columns if c not in taken and c not in static and c not in values]
        if left:
            msg = (
                f"columns {left} are in `data` but named by none of id_col, time_col, value_cols, static_cols or "
                "labels. Hint: add them to value_cols or static_cols, or drop them."
            )
            raise ValueError(msg)
    for name, cols in (("value_cols", values), ("static_cols", static)):
        clash = [c for c in cols if c in taken or (name == "value_cols" and c in static)]
        if clash:
            msg = f"`{name}` names {clash}, which already serve as id, time, label or static columns."
            raise ValueError(msg)
    if not values:
        raise ValueError("no value columns: `data` has only id, time, label and static columns.")
    check_numeric_columns(data, values, "value_cols")
    check_numeric_columns(data, static, "static_cols")
    return values, static


def _check_constant(data: pd.DataFrame, columns: Sequence[Hashable], layout: _Layout, name: str) -> None:
    """Label, static and copied columns hold one value per series (a series missing throughout counts as one).

    Columns that are mixed must be checked for missing values first (``column_values``),
    so that a NaN is reported as missing, not as a second value.
    """
    sorted_codes = layout.codes[layout.order]
    firsts = layout.order[layout.starts][sorted_codes]
    for c in columns:
        col = data[c].to_numpy()
        here, first = col[layout.order], col[firsts]
        gap_here, gap_first = pd.isna(here), pd.isna(first)
        unequal = gap_here != gap_first  # missing in one row, present in another
        both = ~(gap_here | gap_first)  # compared only where both are present: NA compares to nothing
        unequal[both] = here[both] != first[both]
        differ = np.flatnonzero(unequal)
        if differ.size:
            sid = layout.names[sorted_codes[differ[0]]]
            a, b = _plain(first[differ[0]]), _plain(here[differ[0]])
            msg = (
                f"`{name}` column {c!r} must hold one value per series, but series {sid!r} has more than one "
                f"(for example {a!r} and {b!r})."
            )
            raise ValueError(msg)


def _float_matrix(data: pd.DataFrame, columns: Sequence[Hashable], name: str) -> np.ndarray:
    """Columns as one (rows, columns) float matrix: float32 when every column is float32 or float16."""
    arrays = [column_values(data[c], name) for c in columns]
    dtype = np.result_type(*[_core.float_dtype(a.dtype) for a in arrays])
    out = np.empty((len(data), len(columns)), dtype=dtype)
    for j, a in enumerate(arrays):
        out[:, j] = a
    return out


def _put(frame: pd.DataFrame, columns: Sequence[Hashable], matrix: np.ndarray) -> None:
    """Replace ``columns`` of ``frame`` (a frame of ours, never the caller's) by the columns of ``matrix``."""
    for j, c in enumerate(columns):
        frame[c] = matrix[:, j]


def _prob_names(label: Hashable, spec: LabelSpec, data: pd.DataFrame) -> list[str]:
    names = [f"{label}_{cls}" for cls in spec.classes]
    clash = [n for n in names if n in data.columns]
    if clash:
        msg = f"the probability columns made from `labels` clash with existing columns: {clash}. Rename those first."
        raise ValueError(msg)
    return names


def mixup_timeseries(
    data: pd.DataFrame,
    *,
    id_col: Hashable,
    time_col: Hashable | None = None,
    value_cols: Hashable | Sequence[Hashable] | None = None,
    static_cols: Hashable | Sequence[Hashable] | None = None,
    alpha: float = 4,
    n_series: int | None = None,
    concat: bool = False,
    labels: Hashable | Sequence[Hashable] | None = None,
    label_mode: str = "mix",
    within_class: bool = False,
    alignment: str | None = None,
    n_steps: int | None = None,
    window: int | None = None,
    step: int | None = None,
    random_state: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    """Create synthetic series as convex combinations of pairs of whole series.

    ``data`` is in long format: one row per series and time step. Each synthetic
    series is ``lam * s_i + (1 - lam) * s_j`` at every step, with one
    ``lam ~ Beta(alpha, alpha)`` per pair. The first sources ``s_i`` are every
    series in turn (repeated or subsampled to ``n_series``); each partner ``s_j``
    is drawn uniformly from the other series, as in :func:`mixupy.mixup`.

    Parameters
    ----------
    data : pandas.DataFrame
        Long-format series: an id column, an optional time column, numeric value
        columns, and optional per-series (static) columns. No missing values.
    id_col : column name
        Identifies the series. Any dtype; no missing ids.
    time_col : column name, optional
        Numeric, datetime or timedelta time stamps; rows are sorted by it within
        each series and each (id, time) pair must be unique. Without it, the rows
        of each series are its steps in their order in ``data``.
    value_cols : column name or list of column names, optional
        The numeric channels that are mixed step by step. Defaults to every
        column that is not the id, the time, a label or a static column. When
        given, every other column must have one of those roles.
    static_cols : column name or list of column names, optional
        Numeric columns with one value per series (metadata such as a size),
        mixed with the series' ``lam``.
    alpha : float, default 4
        Strength of interpolation, >= 0; ``alpha=0`` copies one source.
    n_series : int, optional
        Number of synthetic series (windows, with ``window``); defaults to the
        number of source series (windows).
    concat : bool, default False
        Return the units that were mixed first, then the synthetic series, in
        the same long format: the source series under their own ids (series in
        order of first appearance, each sorted by time; after ``alignment``,
        the aligned series), or with ``window`` the source windows, each under
        a fresh id after the synthetic ones (a series' windows may overlap).
        The synthetic rows are the same as without ``concat``.
    labels : column name or list of column names, optional
        Per-series labels, with the meanings of :func:`mixupy.mixup`: one class
        column of any dtype (mixed into one probability column per class, named
        ``f"{labels}_{class}"``) or a list of one-hot / probability columns.
        They must hold one value per series.
    label_mode : {"mix", "dominant"}, default "mix"
        "mix" mixes labels with the series' ``lam``. "dominant" folds ``lam`` to
        ``max(lam, 1 - lam)`` and keeps the label of the dominant series.
    within_class : bool, default False
        Pair series of the same class only; labels stay exact.
    alignment : {None, "truncate", "intersect", "resample"}, default None
        How to mix series of unequal length or with different time stamps.
        None mixes step by step and requires every series to have the same
        length and (with ``time_col``) the same time stamps, with or without
        ``window``; otherwise it raises an error that says which series differ. "truncate" cuts every series to
        the length of the shortest (its first steps) and mixes by position.
        "intersect" keeps only the time stamps that every series has.
        "resample" interpolates every series linearly onto ``n_steps`` evenly
        spaced points over the time that all series cover (without ``time_col``,
        each series is stretched over its own steps).
    n_steps : int, optional
        Grid size for ``alignment="resample"``; defaults to the longest series.
    window : int, optional
        Cut each aligned series into windows of this many steps and mix
        windows instead of whole series: for few but long series. Windows
        change nothing about alignment: without ``alignment`` the series must
        still have the same length and time stamps, and with one the windows
        are cut from the aligned series.
    step : int, optional
        Distance between the starts of consecutive windows; defaults to
        ``window`` (windows that do not overlap).
    random_state : None, int or numpy.random.Generator, optional
        Seed or generator; the same seed gives the same result.

    Returns
    -------
    pandas.DataFrame
        Synthetic series in long format with a fresh ``RangeIndex``, series
        after series, each sorted by time, columns in the order of ``data``.
        Each synthetic series gets a new id that no input id equals (see
        :func:`new_series_ids`) and the time stamps of the source with the
        larger weight (those of the common grid, under ``alignment="resample"``);
        without an alignment or windows all sources share them anyway. Value and static
        columns become float64 (float32 where every value column is float32).

    Raises
    ------
    TypeError
        ``data`` is not a DataFrame, a value, static or time column has the
        wrong dtype, or a parameter has the wrong type.
    ValueError
        Missing columns or values, duplicated (id, time) pairs, a series with
        fewer than 2 steps, unequal series without an ``alignment``, a window
        longer than a series, labels that vary within a series.

    See Also
    --------
    mixup_series_array : the same for arrays of shape (series, steps, channels).
    mixup_lagged : mix one series with itself a few steps later.

    Examples
    --------
    >>> import pandas as pd
    >>> from mixupy import mixup_timeseries
    >>> df = pd.DataFrame({
    ...     "id": ["a", "a", "a", "b", "b", "b"],
    ...     "t": [0, 1, 2, 0, 1, 2],
    ...     "x": [0.0, 0.0, 0.0, 3.0, 6.0, 9.0],
    ...     "kind": ["flat", "flat", "flat", "up", "up", "up"],
    ... })
    >>> out = mixup_timeseries(df, id_col="id", time_col="t", labels="kind", random_state=0)
    >>> list(out.columns)
    ['id', 't', 'x', 'kind_flat', 'kind_up']
    >>> out["id"].unique().tolist()
    ['mix-0', 'mix-1']
    >>> first = out[out["id"] == "mix-0"]
    >>> bool(((first["x"] / df["x"][3:].to_numpy() - first["kind_up"]).abs() < 1e-12).all())  # one lam per series
    True
    """
    data = check_frame(data)
    check_column(data, id_col, "id_col")
    if time_col is not None:
        check_column(data, time_col, "time_col")
    alpha = check_alpha(alpha)
    n_series = check_optional_positive_int(n_series, "n_series")
    concat = check_bool(concat, "concat")
    label_mode = check_label_mode(label_mode)
    within_class = check_bool(within_class, "within_class")
    alignment = check_choice(alignment, "alignment", ALIGNMENTS, allow_none=True)
    n_steps = check_optional_positive_int(n_steps, "n_steps")
    if n_steps is not None and alignment != "resample":
        raise ValueError(f'`n_steps` sets the grid of alignment="resample"; got alignment={alignment!r}.')
    window, step = check_window(window, step)
    rng = check_random_state(random_state)
    exact = check_exact_labels(within_class=within_class, label_mode=label_mode, has_labels=labels is not None)

    spec = resolve_labels(data, labels, need_codes=within_class)
    value_names, static_names = _column_roles(data, id_col, time_col, value_cols, static_cols, spec.columns)
    layout = _Layout(data, id_col, time_col)
    values = _float_matrix(data, value_names, "value_cols")
    # Static values are read (missing values named) before the constancy check: NaN != NaN.
    static_all = _float_matrix(data, static_names, "static_cols") if static_names else None
    _check_constant(data, spec.columns, layout, "labels")
    _check_constant(data, static_names, layout, "static_cols")

    firsts = layout.order[layout.starts]  # the first row of each series: its labels and static values
    series_spec = LabelSpec(spec.kind, spec.columns, None, spec.classes)
    if spec.codes is not None:
        series_spec.codes = spec.codes[firsts]
    label_matrix = None
    if spec.kind == "onehot" and not exact:
        label_matrix = _float_matrix(data.take(firsts), spec.columns, "labels")
    static = None if static_all is None else static_all[firsts]

    units, times, source, unit_series = _frame_units(
        layout, values, data, time_col, alignment=alignment, n_steps=n_steps, window=window, step=step
    )
    size = len(units) if n_series is None else n_series
    d = _draw_units(
        len(units), size, alpha, rng, series_spec.codes, unit_series, within_class=within_class, label_mode=label_mode
    )
    new_ids = new_series_ids(layout.ids, size + (len(units) if concat and window is not None else 0))
    ids = _id_array(np.repeat(new_ids[:size], units.shape[1]), data[id_col])
    if concat:
        # The units that were mixed come first, as units mixed with themselves (lam = 1): the (aligned) series
        # under their own ids, or the windows, which overlap within a series, under fresh ids after the synthetic.
        n = len(units)
        itself = np.arange(n, dtype=np.intp)
        d = _core.Draw(
            np.concatenate([itself, d.first]), np.concatenate([itself, d.second]), np.concatenate([np.ones(n), d.lam])
        )
        own = new_ids[size:] if window is not None else data[id_col].array.take(firsts)
        source_ids = pd.Series(own).repeat(units.shape[1])
        ids = pd.concat([source_ids, pd.Series(ids)], ignore_index=True).array
    mixed = _mix_units(units, d)
    steps = mixed.shape[1]

    pieces: dict[Hashable, Any] = {id_col: ids}
    if time_col is not None:
        heavier = np.where(d.lam >= 0.5, d.first, d.second)  # the time stamps of the dominant source
        pieces[time_col] = source.take(times[heavier].ravel())
    flat = mixed.reshape(len(d) * steps, -1)
    for j, c in enumerate(value_names):
        pieces[c] = flat[:, j]
    if static is not None:
        mixed_static = _core.mix_rows(static[unit_series], d)
        for j, c in enumerate(static_names):
            pieces[c] = np.repeat(mixed_static[:, j], steps)
    label_names: dict[Hashable, list[Hashable]] = {}
    if spec.kind is not None:
        if exact:
            rows = np.repeat(firsts[unit_series[d.first]], steps)
            for c in spec.columns:
                pieces[c] = data[c].array.take(rows)
        else:
            probs = _mixed_probabilities(series_spec, label_matrix, unit_series, d)
            names = _prob_names(spec.columns[0], spec, data) if spec.kind == "class" else spec.columns
            label_names[spec.columns[0]] = list(names) if spec.kind == "class" else [spec.columns[0]]
            for j, c in enumerate(names):
                pieces[c] = np.repeat(probs[:, j], steps)
    columns: list[Hashable] = []
    for c in data.columns:
        columns.extend(label_names.get(c, [c]))
    out = pd.DataFrame({c: pieces[c] for c in columns}, copy=False)
    out.columns = pd.Index(columns, tupleize_cols=False)
    return out


# --- arrays ---


def _array_classes(labels: LabelSet, y: Any) -> np.ndarray:
    """The class code of each series, for ``within_class``: integer labels, or one-hot rows."""
    if labels.container is None:
        array, k = labels.arrays[0], labels.num_classes[0]
        if k is not None:
            return array  # integer codes, validated against num_classes
        if array.ndim == 2:  # one-hot rows; soft rows are refused (they name no class)
            names = [f"y[:, {j}]" for j in range(array.shape[1])]
            codes = resolve_labels(pd.DataFrame(array, columns=names), names, need_codes=True).codes
            assert codes is not None  # need_codes=True always gives codes
            return codes
    shape = type(y).__name__ if labels.container is not None else f"float values of shape {labels.arrays[0].shape}"
    msg = (
        "within_class=True pairs series of one class, so `y` must be one array of integer class labels "
        f"(with num_classes) or of one-hot rows; got {shape}."
    )
    raise ValueError(msg)


def mixup_series_array(
    x: np.ndarray,
    y: Any = None,
    *,
    alpha: float = 4,
    n_series: int | None = None,
    concat: bool = False,
    num_classes: int | Sequence[int | None] | dict[Hashable, int | None] | None = None,
    label_mode: str = "mix",
    within_class: bool = False,
    window: int | None = None,
    step: int | None = None,
    random_state: int | np.random.Generator | None = None,
) -> Any:
    """Mix whole series of an array of shape (series, steps) or (series, steps, channels).

    Synthetic series ``r`` is ``lam[r] * x[i] + (1 - lam[r]) * x[j]`` at every
    step and channel, with the pairs and weights drawn as in
    :func:`mixup_timeseries`. Labels are read and returned exactly as by
    :func:`mixupy.mixup_arrays`, one label row per series.

    Parameters
    ----------
    x : numpy.ndarray, shape (series, steps) or (series, steps, channels)
        Equally long series, finite numbers, at least 2 steps.
    y : array_like, or list, tuple or dict of array_like, optional
        Per-series labels, as in :func:`mixupy.mixup_arrays`: one-hot or soft
        rows ``(series, classes)`` and any other float target (a float ``(series,)``
        array is a regression target) are mixed as they are; integer class
        labels of shape ``(series,)`` or ``(series, 1)`` need ``num_classes``
        and come back as mixed one-hot rows. A list, tuple or dict of such
        arrays is mixed with the same draw and returned in the same container.
    alpha : float, default 4
        Strength of interpolation, >= 0.
    n_series : int, optional
        Number of synthetic series (windows); defaults to the number of source ones.
    concat : bool, default False
        Put the units that were mixed first, then the synthetic ones: the
        source series, or with ``window`` the source windows (as in
        :func:`mixup_timeseries`).
    num_classes : int, or list, tuple or dict of int or None, optional
        Number of classes of integer labels, as in :func:`mixupy.mixup_arrays`.
    label_mode : {"mix", "dominant"}, default "mix"
        As in :func:`mixupy.mixup_arrays`: mixed labels, or the exact label of
        the dominant series with ``lam`` folded to ``max(lam, 1 - lam)``.
    within_class : bool, default False
        Pair series of the same class only; labels stay exact. Needs ``y`` as
        one array of integer class labels (with ``num_classes``) or of one-hot rows.
    window, step : int, optional
        Cut every series into windows of ``window`` steps, one every ``step``
        steps (default ``window``), and mix windows.
    random_state : None, int or numpy.random.Generator, optional
        Seed or generator; the same seed gives the same result.

    Returns
    -------
    x_new : numpy.ndarray
        Same rank as ``x``, ``n_series`` synthetic series (after the sources with
        ``concat``); floating dtypes stay, other dtypes become float64.
    y_new : numpy.ndarray, or list, tuple or dict of numpy.ndarray
        Only when ``y`` is given, one row per series of ``x_new``, as
        :func:`mixupy.mixup_arrays` returns them: integer labels become (mixed,
        or with exact labels plain) one-hot rows in the dtype of ``x_new``; other
        labels are mixed rows, or the dominant series' rows with exact labels.

    Examples
    --------
    >>> import numpy as np
    >>> from mixupy import mixup_series_array
    >>> x = np.array([[0.0, 0.0, 0.0], [1.0, 2.0, 3.0]])
    >>> x_new, y_new = mixup_series_array(x, np.array([0, 1]), num_classes=2, random_state=0)
    >>> x_new.shape, y_new.shape
    ((2, 3), (2, 2))
    >>> bool(np.allclose(x_new, y_new[:, [1]] * x[1]))  # each series carries the weight of its label
    True

    A float target is mixed as it is, as by ``mixupy.mixup_arrays``:

    >>> _, target = mixup_series_array(x, np.array([10.0, 20.0]), random_state=0)
    >>> bool(np.allclose(target, 10.0 + 10.0 * y_new[:, 1]))
    True
    """
    x = check_series_array(x)
    alpha = check_alpha(alpha)
    n_series = check_optional_positive_int(n_series, "n_series")
    concat = check_bool(concat, "concat")
    label_mode = check_label_mode(label_mode)
    within_class = check_bool(within_class, "within_class")
    window, step = check_window(window, step)
    rng = check_random_state(random_state)
    exact = check_exact_labels(within_class=within_class, label_mode=label_mode, has_labels=y is not None, what="y")
    labels = resolve_array_labels(y, num_classes, x.shape[0])
    codes = _array_classes(labels, y) if within_class and labels is not None else None

    units = x if x.dtype.kind == "f" else x.astype(_core.float_dtype(x.dtype), copy=False)
    unit_series = np.arange(x.shape[0])
    if window is not None and step is not None:
        unit_series = np.repeat(unit_series, _n_windows(x.shape[1], window, step, "the series of `x`"))
        units = _cut(units, window, step)
    size = len(units) if n_series is None else n_series
    d = _draw_units(len(units), size, alpha, rng, codes, unit_series, within_class=within_class, label_mode=label_mode)
    mixed = _mix_units(units, d)
    if concat:
        mixed = np.concatenate([units, mixed])
    if labels is None:
        return mixed
    # The labels of each unit are those of its series; the sources (with concat) are units mixed with themselves.
    first, second, lam = unit_series[d.first], unit_series[d.second], d.lam
    if concat:
        first, second = np.concatenate([unit_series, first]), np.concatenate([unit_series, second])
        lam = np.concatenate([np.ones(len(units)), lam])
    return mixed, labels.mix(_core.Draw(first, second, lam), mixed.dtype, dominant=exact)


# --- the lag variant ---


def _continued_times(times: pd.Series, count: int, series_id: Any, time_col: Hashable) -> Any:
    """``count`` time stamps that continue ``times`` (sorted, evenly spaced) at the same frequency."""
    dtype = times.dtype
    if isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(dtype):
        index = pd.DatetimeIndex(times)
        freq = pd.DatetimeIndex(index, freq="infer").freq if len(index) >= 3 else index[1] - index[0]
        if freq is None:
            msg = (
                f'placement="after" continues each series at its own frequency, but series {series_id!r} in '
                f'{time_col!r} has none that pandas can infer. Hint: placement="apart" returns the copies '
                "apart, with the time stamps of their sources."
            )
            raise ValueError(msg)
        return pd.date_range(index[-1], periods=count + 1, freq=freq)[1:].array
    key = time_key(times, "time_col")
    gaps = np.diff(key)
    if not np.allclose(gaps, gaps[0], rtol=1e-9, atol=0):
        msg = (
            f'placement="after" continues each series by whole steps, but series {series_id!r} is not evenly '
            f'spaced in {time_col!r} (steps from {gaps.min()!r} to {gaps.max()!r}). Hint: placement="apart" '
            "returns the copies apart, with the time stamps of their sources."
        )
        raise ValueError(msg)
    spacing = times.iloc[1] - times.iloc[0]
    return pd.Series([times.iloc[-1] + spacing * k for k in range(1, count + 1)], dtype=dtype).array


def mixup_lagged(
    data: pd.DataFrame,
    *,
    time_diff: int,
    id_col: Hashable | None = None,
    time_col: Hashable | None = None,
    value_cols: Hashable | Sequence[Hashable] | None = None,
    alpha: float = 4,
    n_copies: int = 1,
    placement: str = "after",
    random_state: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    """Mix a series with itself ``time_diff`` steps later: mixup for one long series.

    Each synthetic copy of a series ``s`` of ``L`` steps has ``L - time_diff``
    steps, ``c[t] = lam * s[t] + (1 - lam) * s[t + time_diff]``, with one
    ``lam ~ Beta(alpha, alpha)`` per copy. This is the variant the original
    mixupy's author planned for forecasting: with one series (or a few),
    there is nothing to pair it with but itself. To classify many series, use
    :func:`mixup_timeseries`.

    Parameters
    ----------
    data : pandas.DataFrame
        Long format, as for :func:`mixup_timeseries`; without ``id_col`` the
        whole frame is one series.
    time_diff : int
        The lag, in steps, >= 1 and shorter than every series.
    id_col, time_col : column name, optional
        Series id and time stamps, as for :func:`mixup_timeseries`.
    value_cols : column name or list of column names, optional
        The numeric columns mixed; defaults to every column but the id and time.
        Other columns must hold one value per series and are copied.
    alpha : float, default 4
        Strength of interpolation, >= 0.
    n_copies : int, default 1
        Synthetic copies per series, each with its own ``lam``.
    placement : {"after", "apart"}, default "after"
        "after" returns every real series followed in time by its copies, under
        the same id: the copies' time stamps continue the series at its own
        frequency (whole steps for numbers and timedeltas, the frequency that
        pandas infers for datetimes), copy after copy, so a forecaster sees one
        longer series. "apart" returns only the copies, each with the time
        stamps of the steps ``t`` it starts from, numbered in a first column
        ``"copy"`` (1, 2, ...); (id, copy) identifies each copy.

    random_state : None, int or numpy.random.Generator, optional
        Seed or generator; the same seed gives the same result.

    Returns
    -------
    pandas.DataFrame
        Rows grouped by series in order of first appearance, sorted by time,
        with a fresh ``RangeIndex``; value columns float64 (float32 when all are).

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from mixupy import mixup_lagged
    >>> df = pd.DataFrame({"t": [0, 1, 2, 3], "y": [0.0, 1.0, 2.0, 3.0]})
    >>> out = mixup_lagged(df, time_diff=1, time_col="t", random_state=0)
    >>> out["t"].tolist()  # the copy continues the series: 3 more steps
    [0, 1, 2, 3, 4, 5, 6]
    >>> copy = out["y"].to_numpy()[4:]
    >>> bool(np.allclose(copy - df["y"][:3].to_numpy(), copy[0]))  # one lam for the whole copy
    True

    >>> apart = mixup_lagged(df, time_diff=2, time_col="t", n_copies=2, placement="apart", random_state=0)
    >>> apart[["copy", "t"]].to_numpy().tolist()
    [[1, 0], [1, 1], [2, 0], [2, 1]]
    """
    data = check_frame(data)
    time_diff = check_positive_int(time_diff, "time_diff")
    for col, name in ((id_col, "id_col"), (time_col, "time_col")):
        if col is not None:
            check_column(data, col, name)
    alpha = check_alpha(alpha)
    n_copies = check_positive_int(n_copies, "n_copies")
    placement = check_choice(placement, "placement", PLACEMENTS)
    rng = check_random_state(random_state)
    if placement == "apart" and COPY_COLUMN in data.columns:
        raise ValueError(f'placement="apart" adds a column {COPY_COLUMN!r}, which `data` already has. Rename it first.')

    frame = data if id_col is not None else data.assign(**{"__series__": 0})
    key_col = id_col if id_col is not None else "__series__"
    fixed = [key_col] if time_col is None else [key_col, time_col]
    if time_col is not None and time_col == key_col:
        raise ValueError(f"`id_col` and `time_col` must be different columns; both are {time_col!r}.")
    if value_cols is None:
        value_names: list[Hashable] = [c for c in data.columns if c not in fixed]
    else:
        value_names = check_column_list(data, value_cols, "value_cols")
        if any(c in fixed for c in value_names):
            raise ValueError(f"`value_cols` must not name the id or time column; got {value_names}.")
    if not value_names:
        raise ValueError("no value columns: `data` has only id and time columns.")
    check_numeric_columns(data, value_names, "value_cols")
    layout = _Layout(frame, key_col, time_col)
    others = [c for c in data.columns if c not in fixed and c not in value_names]
    _check_constant(data, others, layout, "data")
    short = np.flatnonzero(layout.counts <= time_diff)
    if short.size:
        i = int(short[0])
        msg = (
            f"`time_diff`={time_diff} must be shorter than every series, but series {layout.names[i]!r} has "
            f"{int(layout.counts[i])} steps."
        )
        raise ValueError(msg)
    values = _float_matrix(data, value_names, "value_cols")

    # One draw for every copy of every series: step t is mixed with step t + time_diff of the same series.
    lam = _core.sample_lambda(alpha, len(layout) * n_copies, rng)
    first_parts, second_parts = [], []
    for i in range(len(layout)):
        rows = layout.series_positions(i)
        first_parts += [rows[:-time_diff]] * n_copies
        second_parts += [rows[time_diff:]] * n_copies
    lengths = layout.counts - time_diff
    d = _core.Draw(
        first=np.concatenate(first_parts),
        second=np.concatenate(second_parts),
        lam=np.repeat(lam, np.repeat(lengths, n_copies)),
    )
    mixed = _core.mix_rows(values, d)
    synthetic = data.take(d.first).reset_index(drop=True)
    _put(synthetic, value_names, mixed)
    copy_number = np.repeat(np.tile(np.arange(1, n_copies + 1), len(layout)), np.repeat(lengths, n_copies))
    if placement == "apart":
        synthetic.insert(0, COPY_COLUMN, copy_number)
        return synthetic
    if time_col is not None:
        parts = [
            _continued_times(
                data[time_col].take(layout.series_positions(i)), int(lengths[i]) * n_copies, layout.names[i], time_col
            )
            for i in range(len(layout))
        ]
        synthetic[time_col] = pd.concat([pd.Series(p) for p in parts], ignore_index=True).array
    real = data.take(layout.order).reset_index(drop=True)
    _put(real, value_names, values[layout.order])
    series = np.concatenate([layout.codes[layout.order], np.repeat(np.arange(len(layout)), lengths * n_copies)])
    together = pd.concat([real, synthetic], ignore_index=True)
    return together.take(np.argsort(series, kind="stable")).reset_index(drop=True)
