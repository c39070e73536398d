"""``mixup_timeseries``: whole-series mixup of a long-format DataFrame (one row per series and step)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from mixupy._apply import mix_rows, mix_units
from mixupy._draw import Draw
from mixupy._frames import Table, call_on_pandas, table_kind
from mixupy._labels import Labels, column_index, expanded_columns, from_frame, probability_names
from mixupy._options import MixOptions, random_source
from mixupy._validation import (
    ALIGNMENTS,
    check_choice,
    check_column,
    check_column_list,
    check_frame,
    check_numeric_columns,
    check_optional_positive_int,
    check_window,
)
from mixupy.timeseries._layout import (
    Layout,
    Units,
    aligned_positions,
    check_constant,
    cut_windows,
    draw_units,
    float_matrix,
    id_array,
    new_series_ids,
    resampled,
    with_sources,
)

__all__ = ["mixup_timeseries"]


def mixup_timeseries(
    data: Table,
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
) -> Table:
    """Create synthetic series as convex combinations of pairs of whole series.

    ``data`` is in long format: one row per series and time step. Each synthetic
    series is ``lam * s_i + (1 - lam) * s_j`` at every step, with one
    ``lam ~ Beta(alpha, alpha)`` per pair. The first sources ``s_i`` are every
    series in turn (repeated or subsampled to ``n_series``); each partner ``s_j``
    is drawn uniformly from the other series, as in :func:`mixupy.mixup`.

    Parameters
    ----------
    data : pandas.DataFrame, polars.DataFrame or LazyFrame, or pyarrow.Table or RecordBatch
        Long-format series: an id column, an optional time column, numeric value
        columns, and optional per-series (static) columns. No missing values.
        A polars or pyarrow table comes back in its own kind (a LazyFrame
        collected once), as :func:`mixupy.mixup` says.
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
    if table_kind(data) is not None:  # a polars or pyarrow table: mixed as pandas, returned in its kind
        return call_on_pandas(mixup_timeseries, locals())
    frame = check_frame(data)
    check_column(frame, id_col, "id_col")
    if time_col is not None:
        check_column(frame, time_col, "time_col")
    options = MixOptions.validate(
        alpha=alpha, concat=concat, labels=labels, label_mode=label_mode, within_class=within_class
    )
    n_series = check_optional_positive_int(n_series, "n_series")
    alignment = check_choice(alignment, "alignment", ALIGNMENTS, allow_none=True)
    n_steps = check_optional_positive_int(n_steps, "n_steps")
    if n_steps is not None and alignment != "resample":
        raise ValueError(f'`n_steps` sets the grid of alignment="resample"; got alignment={alignment!r}.')
    window, step = check_window(window, step)
    rng = random_source(random_state)

    series = _read_series(frame, id_col, time_col, value_cols, static_cols, options)
    units = _aligned_units(series, frame, time_col, alignment=alignment, n_steps=n_steps)
    units = cut_windows(units, window, step, "the series" if alignment is None else "the aligned series")
    size = len(units) if n_series is None else n_series
    classes = series.labels.codes() if options.within_class and series.labels is not None else None
    d = with_sources(draw_units(units, size, options, rng, classes), len(units), options.concat)
    ids = _synthetic_ids(series, frame, id_col, units, size, concat=options.concat, windows=window is not None)
    return cast(Table, _assemble(frame, series, units, d, ids, id_col=id_col, time_col=time_col, exact=options.exact))


@dataclass(frozen=True)
class _Series:
    """A long frame read once: its layout, the values mixed step by step, and what each series carries whole.

    ``static`` and ``labels`` hold one row per series (that of its first row);
    ``label_rows`` are the one-hot or probability rows of mixed one-hot labels,
    in the float dtype of their columns (float32 only when every one is).
    """

    layout: Layout
    values: np.ndarray
    value_names: list[Hashable]
    static: np.ndarray | None
    static_names: list[Hashable]
    labels: Labels | None
    label_rows: np.ndarray | None


def _read_series(
    data: pd.DataFrame,
    id_col: Hashable,
    time_col: Hashable | None,
    value_cols: Any,
    static_cols: Any,
    options: MixOptions,
) -> _Series:
    """Check the columns of ``data`` and read its series: values, static values and labels."""
    labels = from_frame(data, options.labels, need_codes=options.within_class)
    label_names = [] if labels is None else list(labels.columns)
    value_names, static_names = _column_roles(data, id_col, time_col, value_cols, static_cols, label_names)
    layout = Layout(data, id_col, time_col)
    values = float_matrix(data, value_names, "value_cols")
    # Static values are read (missing values named) before the constancy check: NaN != NaN.
    static = float_matrix(data, static_names, "static_cols") if static_names else None
    check_constant(data, label_names, layout, "labels")
    check_constant(data, static_names, layout, "static_cols")
    firsts = layout.firsts
    label_rows = None
    if labels is not None and labels.kind == "onehot" and not options.exact:
        label_rows = float_matrix(data.take(firsts), label_names, "labels")
    return _Series(
        layout=layout,
        values=values,
        value_names=value_names,
        static=None if static is None else static[firsts],
        static_names=static_names,
        labels=None if labels is None else labels.take(firsts),
        label_rows=label_rows,
    )


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
    # named as columns of `data`, so that the hint's data.drop(...) runs; labels= is the one other way out here
    for cols, name in ((values, "value_cols"), (static, "static_cols")):
        check_numeric_columns(data, cols, "data", options=("labels",), detail=f", among the {name}")
    return values, static


def _aligned_units(
    series: _Series, data: pd.DataFrame, time_col: Hashable | None, *, alignment: str | None, n_steps: int | None
) -> Units:
    """The aligned series as units (series, steps, channels), with where their time stamps are.

    Time stamps are given as positions (series, steps) into a time source: the
    time column itself, or the common grid of ``alignment="resample"``.
    """
    layout, values = series.layout, series.values
    every = np.arange(len(layout))
    if alignment == "resample":
        grid, source = resampled(layout, values, n_steps, time_col, data)
        grid = grid.astype(values.dtype, copy=False)
        times = None if source is None else np.broadcast_to(np.arange(grid.shape[1]), grid.shape[:2])
        return Units(grid, every, times, source)
    positions = aligned_positions(layout, alignment, time_col, data)
    return Units(values[positions], every, positions, None if time_col is None else data[time_col].array)


def _synthetic_ids(
    series: _Series, data: pd.DataFrame, id_col: Hashable, units: Units, size: int, *, concat: bool, windows: bool
) -> Any:
    """The id of every output row: fresh ids for the synthetic series, after those of the sources with ``concat``.

    The sources are the (aligned) series under their own ids, or the windows, which
    overlap within a series, under fresh ids after the synthetic ones.
    """
    steps = units.values.shape[1]
    new_ids = new_series_ids(series.layout.ids, size + (len(units) if concat and windows else 0))
    ids = id_array(np.repeat(new_ids[:size], steps), data[id_col])
    if not concat:
        return ids
    own = new_ids[size:] if windows else data[id_col].array.take(series.layout.firsts)
    source_ids = pd.Series(own).repeat(steps)
    return pd.concat([source_ids, pd.Series(ids)], ignore_index=True).array


def _assemble(
    data: pd.DataFrame,
    series: _Series,
    units: Units,
    d: Draw,
    ids: Any,
    *,
    id_col: Hashable,
    time_col: Hashable | None,
    exact: bool,
) -> pd.DataFrame:
    """The output frame: ``d`` (a draw over the units) applied to values, times, static values and labels."""
    mixed = mix_units(units.values, d)
    steps = mixed.shape[1]
    per_series = d.remap(units.series)  # the same mix, between the series the units come from
    pieces: dict[Hashable, Any] = {id_col: ids}
    if time_col is not None:
        assert units.times is not None  # a time column always gives time stamps
        pieces[time_col] = units.source.take(units.times[d.dominant()].ravel())  # those of the dominant source
    flat = mixed.reshape(len(d) * steps, -1)
    for j, c in enumerate(series.value_names):
        pieces[c] = flat[:, j]
    if series.static is not None:
        mixed_static = mix_rows(series.static, per_series, between=True)
        for j, c in enumerate(series.static_names):
            pieces[c] = np.repeat(mixed_static[:, j], steps)
    columns: list[Hashable] = list(data.columns)
    if series.labels is not None:
        label_pieces, columns = _label_pieces(data, series, per_series, steps, exact=exact)
        pieces.update(label_pieces)
    out = pd.DataFrame({c: pieces[c] for c in columns}, copy=False)
    out.columns = column_index(columns, data.columns)
    return out


def _label_pieces(
    data: pd.DataFrame, series: _Series, d: Draw, steps: int, *, exact: bool
) -> tuple[dict[Hashable, Any], list[Hashable]]:
    """The label columns of the output, and the output's columns (a class column becomes one per class).

    ``d`` is the draw over the series. Exact labels are those of each synthetic
    series' ``first`` source, in their own dtype; mixed ones are probabilities.
    """
    labels = series.labels
    assert labels is not None
    if exact:
        rows = np.repeat(series.layout.firsts[d.first], steps)
        return {c: data[c].array.take(rows) for c in labels.columns}, list(data.columns)
    if labels.kind == "class":
        label = labels.columns[0]
        names: list[Hashable] = list(probability_names(label, labels.classes))
        columns = expanded_columns(data.columns, label, labels.classes)
        probabilities = labels.mix(d)
    else:
        assert series.label_rows is not None  # mixed one-hot labels always come with their rows
        names, columns = list(labels.columns), list(data.columns)
        probabilities = mix_rows(series.label_rows, d)
    return {c: np.repeat(probabilities[:, j], steps) for j, c in enumerate(names)}, columns
