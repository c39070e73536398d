"""What every time-series layout shares: series of a long frame, their alignment, windows, ids, the draw over units.

A *unit* is what is mixed whole with another unit: a series, or a window cut
from one. :class:`Units` holds them, shape (units, steps, channels), with the
series each one comes from and where its time stamps are. One draw over the
units (:func:`draw_units`) says which two units each synthetic series mixes;
:meth:`mixupy._draw.Draw.remap` turns it into a draw over their series, which
is what labels and static values are mixed with.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from mixupy import _draw
from mixupy._apply import float_dtype
from mixupy._draw import Draw
from mixupy._options import MixOptions
from mixupy._validation import check_fits_in_memory, column_values, time_key

__all__ = [
    "Layout",
    "Units",
    "aligned_positions",
    "check_constant",
    "cut_windows",
    "draw_units",
    "float_matrix",
    "id_array",
    "new_series_ids",
    "plain",
    "put",
    "resampled",
    "with_sources",
]


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


def id_array(new_ids: np.ndarray, like: pd.Series) -> Any:
    """String ids in the id column's own string dtype (so a concatenation keeps it), others as they are."""
    if new_ids.dtype == object and pd.api.types.is_string_dtype(like.dtype) and like.dtype != object:
        dtype: Any = like.dtype
        return pd.array(new_ids, dtype=dtype)
    return new_ids


def plain(value: Any) -> Any:
    """A NumPy scalar as the Python scalar it holds, for readable messages."""
    return value.item() if isinstance(value, np.generic) else value


# --- the series of a long frame ---


class Layout:
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
        self.names = [plain(v) for v in self.ids]  # for messages
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
            self._check_unique_times(data, id_col, time_col)

    def _check_unique_times(self, data: pd.DataFrame, id_col: Hashable, time_col: Hashable) -> None:
        assert self.key is not None
        k, c = self.key[self.order], self.codes[self.order]
        dup = np.flatnonzero((k[1:] == k[:-1]) & (c[1:] == c[:-1]))
        if dup.size:
            row = int(self.order[dup[0]])
            msg = (
                f"duplicated ({id_col!r}, {time_col!r}) pairs: series {plain(data[id_col].iloc[row])!r} has "
                f"time {plain(data[time_col].iloc[row])!r} more than once ({dup.size} duplicate row(s) in all). "
                "Hint: aggregate them first, e.g. df.groupby([id_col, time_col], as_index=False).mean()."
            )
            raise ValueError(msg)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def firsts(self) -> np.ndarray:
        """The first row of each series (after sorting by time): where its labels and static values are read."""
        return self.order[self.starts]

    def positions(self, length: int) -> np.ndarray:
        """Row positions of the first ``length`` steps of every series, shape (series, length)."""
        return self.order[self.starts[:, None] + np.arange(length)]

    def series_positions(self, i: int) -> np.ndarray:
        return self.order[self.starts[i] : self.starts[i] + self.counts[i]]


def check_constant(data: pd.DataFrame, columns: Sequence[Hashable], layout: Layout, name: str) -> None:
    """Label, static and copied columns hold one value per series (a series missing throughout counts as one).

    Columns that are mixed must be checked for missing values first (``column_values``),
    so that a NaN is reported as missing, not as a second value.
    """
    sorted_codes = layout.codes[layout.order]
    firsts = layout.firsts[sorted_codes]
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
            a, b = plain(first[differ[0]]), plain(here[differ[0]])
            msg = (
                f"`{name}` column {c!r} must hold one value per series, but series {sid!r} has more than one "
                f"(for example {a!r} and {b!r})."
            )
            raise ValueError(msg)


def float_matrix(data: pd.DataFrame, columns: Sequence[Hashable], name: str) -> np.ndarray:
    """Columns as one (rows, columns) float matrix: float32 when every column is float32 or float16."""
    arrays = [column_values(data[c], name) for c in columns]
    dtype = np.result_type(*[float_dtype(a.dtype) for a in arrays])
    out = np.empty((len(data), len(columns)), dtype=dtype)
    for j, a in enumerate(arrays):
        out[:, j] = a
    return out


def put(frame: pd.DataFrame, columns: Sequence[Hashable], matrix: np.ndarray) -> None:
    """Replace ``columns`` of ``frame`` (a frame of ours, never the caller's) by the columns of ``matrix``."""
    for j, c in enumerate(columns):
        frame[c] = matrix[:, j]


# --- alignment ---


_ALIGNMENT_HINT = (
    'Choose how to align them: alignment="truncate" (cut every series to the shortest and mix step by step), '
    'alignment="intersect" (keep only the timestamps every series has), alignment="resample" (interpolate '
    "onto a common grid of n_steps points). With window=<steps>, the windows are then cut from the aligned series."
)


def _describe_lengths(layout: Layout) -> str:
    longest, shortest = int(np.argmax(layout.counts)), int(np.argmin(layout.counts))
    n_other = int((layout.counts != layout.counts[0]).sum())
    return (
        f"series {layout.names[longest]!r} has {int(layout.counts[longest])} steps but series "
        f"{layout.names[shortest]!r} has {int(layout.counts[shortest])} ({n_other} series differ in length "
        f"from the first, {layout.names[0]!r})"
    )


def _check_same_grid(layout: Layout, positions: np.ndarray, time_col: Hashable, data: pd.DataFrame) -> None:
    """Without an alignment, equally long series must also share their timestamps."""
    assert layout.key is not None
    keys = layout.key[positions]
    bad = np.flatnonzero((keys != keys[0]).any(axis=1))
    if bad.size:
        i = int(bad[0])
        t = int(np.flatnonzero(keys[i] != keys[0])[0])
        a, b = plain(data[time_col].iloc[positions[0, t]]), plain(data[time_col].iloc[positions[i, t]])
        msg = (
            f"the series have the same length but not the same timestamps: at step {t} series "
            f"{layout.names[0]!r} is at {a!r} and series {layout.names[i]!r} at {b!r} ({bad.size} series differ from "
            f"{layout.names[0]!r}). " + _ALIGNMENT_HINT
        )
        raise ValueError(msg)


def aligned_positions(
    layout: Layout, alignment: str | None, time_col: Hashable | None, data: pd.DataFrame
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


def _common_span(layout: Layout, steps: int, time_col: Hashable | None, data: pd.DataFrame) -> tuple[Any, Any, Any]:
    """The grid of ``alignment="resample"``: its start key, its offsets from it, and the grid in the time's dtype."""
    assert layout.key is not None
    firsts = layout.key[layout.firsts]
    lasts = layout.key[layout.order[layout.starts + layout.counts - 1]]
    lo, hi = firsts.max(), lasts.min()
    if lo >= hi:
        t = data[time_col]
        start = plain(t.iloc[layout.firsts[np.argmax(firsts)]])
        end = plain(t.iloc[layout.order[layout.starts + layout.counts - 1][np.argmin(lasts)]])
        msg = (
            'alignment="resample" interpolates over the time all series cover, but they do not overlap: '
            f"the latest start is {start!r} and the earliest end {end!r}."
        )
        raise ValueError(msg)
    offsets = np.linspace(0.0, float(hi - lo), steps)
    if layout.key.dtype.kind == "i":  # datetime or timedelta: whole units, back in the column's dtype
        key = lo + np.round(offsets).astype(np.int64)
        return lo, (key - lo).astype(np.float64), _from_time_key(key, data[time_col])
    return lo, offsets, lo + offsets


def resampled(
    layout: Layout, values: np.ndarray, n_steps: int | None, time_col: Hashable | None, data: pd.DataFrame
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
        lo, offsets, grid = _common_span(layout, steps, time_col, data)
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


# --- units, windows and the draw over them ---


@dataclass(frozen=True)
class Units:
    """What is mixed whole: series or windows of them, with the series each comes from.

    Attributes
    ----------
    values : ndarray, shape (units, steps, channels) or (units, steps)
    series : ndarray of intp, shape (units,)
        The series of each unit: whose labels and static values it carries.
    times : ndarray of intp, shape (units, steps), optional
        Where the time stamps of each step are, as positions into ``source``.
    source : array_like, optional
        The time stamps: the time column itself, or the common grid of ``alignment="resample"``.
    """

    values: np.ndarray
    series: np.ndarray
    times: np.ndarray | None = None
    source: Any = None

    def __len__(self) -> int:
        return int(self.values.shape[0])


def _windows(positions: np.ndarray, window: int, step: int) -> np.ndarray:
    """Windows of ``window`` steps every ``step`` steps along axis 1: (n, L, ...) -> (n, n_windows, window, ...)."""
    view = sliding_window_view(positions, window, axis=1)[:, ::step]
    return np.moveaxis(view, -1, 2)


def _n_windows(length: int, window: int, step: int, what: str) -> int:
    """How many windows :func:`_cut` makes of each series of ``length`` steps; an error when none fits."""
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


def cut_windows(units: Units, window: int | None, step: int | None, what: str) -> Units:
    """The windows of ``window`` steps, one every ``step`` steps, of every unit; the units as they are without.

    ``what`` names the series in the message when a window is longer than they are.
    """
    if window is None or step is None:
        return units
    per_unit = _n_windows(units.values.shape[1], window, step, what)
    times = None if units.times is None else _cut(units.times, window, step)
    return Units(_cut(units.values, window, step), np.repeat(units.series, per_unit), times, units.source)


def draw_units(
    units: Units, size: int, options: MixOptions, rng: np.random.Generator, classes: np.ndarray | None
) -> Draw:
    """One draw of ``size`` synthetic units; with the ``classes`` of the series, partners share their class."""
    per_unit = int(np.prod(units.values.shape[1:], dtype=np.float64)) * float_dtype(units.values.dtype).itemsize
    check_fits_in_memory(
        size * (per_unit + 24), f"n_series={size} synthetic series (or windows) of shape {units.values.shape[1:]}"
    )
    pairing = None if classes is None else _draw.WithinGroup(classes[units.series])
    return _draw.draw(len(units), size, options.alpha, rng, pairing=pairing, dominant=options.dominant)


def with_sources(d: Draw, n_units: int, concat: bool) -> Draw:
    """With ``concat``, the ``n_units`` units that were mixed first (each mixed with itself, weight 1), then ``d``."""
    return _draw.concat(Draw.identity(n_units), d) if concat else d
