"""``mixup_lagged``: one long series mixed with itself ``time_diff`` steps later."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, cast

import numpy as np
import pandas as pd

from mixupy import _draw
from mixupy._apply import mix_rows
from mixupy._draw import Draw
from mixupy._frames import Table, call_on_pandas, table_kind
from mixupy._options import MixOptions, random_source
from mixupy._validation import (
    PLACEMENTS,
    check_choice,
    check_column,
    check_column_list,
    check_fits_in_memory,
    check_frame,
    check_numeric_columns,
    check_positive_int,
    time_key,
)
from mixupy.timeseries._layout import Layout, check_constant, float_matrix, put

__all__ = ["COPY_COLUMN", "mixup_lagged"]

# Name of the column that numbers the synthetic copies of mixup_lagged(placement="apart").
COPY_COLUMN = "copy"
# The id column of a frame without one: the whole frame is one series.
_ONE_SERIES = "__series__"


def mixup_lagged(
    data: Table,
    *,
    time_diff: int,
    id_col: Hashable | None = None,
    time_col: Hashable | None = None,
    value_cols: Hashable | Sequence[Hashable] | None = None,
    alpha: float = 4,
    n_copies: int = 1,
    placement: str = "after",
    random_state: int | np.random.Generator | None = None,
) -> Table:
    """Mix a series with itself ``time_diff`` steps later: mixup for one long series.

    Each synthetic copy of a series ``s`` of ``L`` steps has ``L - time_diff``
    steps, ``c[t] = lam * s[t] + (1 - lam) * s[t + time_diff]``, with one
    ``lam ~ Beta(alpha, alpha)`` per copy. This is the variant the original
    mixupy's author planned for forecasting: with one series (or a few),
    there is nothing to pair it with but itself. To classify many series, use
    :func:`mixup_timeseries`.

    Parameters
    ----------
    data : pandas.DataFrame, polars.DataFrame or LazyFrame, or pyarrow.Table or RecordBatch
        Long format, as for :func:`mixup_timeseries`; without ``id_col`` the
        whole frame is one series. A polars or pyarrow table comes back in its
        own kind (a LazyFrame collected once), as :func:`mixupy.mixup` says.
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
    if table_kind(data) is not None:  # a polars or pyarrow table: mixed as pandas, returned in its kind
        return call_on_pandas(mixup_lagged, locals())
    frame = check_frame(data)
    time_diff = check_positive_int(time_diff, "time_diff")
    for col, name in ((id_col, "id_col"), (time_col, "time_col")):
        if col is not None:
            check_column(frame, col, name)
    options = MixOptions.validate(alpha=alpha)
    n_copies = check_positive_int(n_copies, "n_copies")
    placement = check_choice(placement, "placement", PLACEMENTS)
    rng = random_source(random_state)
    if placement == "apart" and COPY_COLUMN in frame.columns:
        raise ValueError(f'placement="apart" adds a column {COPY_COLUMN!r}, which `data` already has. Rename it first.')

    key_col = id_col if id_col is not None else _ONE_SERIES
    value_names = _value_columns(frame, key_col, time_col, value_cols)
    layout = Layout(frame if id_col is not None else frame.assign(**{_ONE_SERIES: 0}), key_col, time_col)
    fixed = [key_col] if time_col is None else [key_col, time_col]
    check_constant(frame, [c for c in frame.columns if c not in fixed and c not in value_names], layout, "data")
    _check_lag(layout, time_diff)
    values = float_matrix(frame, value_names, "value_cols")

    d = _lag_draw(layout, time_diff, n_copies, options.alpha, rng)
    synthetic = frame.take(d.first).reset_index(drop=True)
    put(synthetic, value_names, mix_rows(values, d, between=True))
    lengths = layout.counts - time_diff
    if placement == "apart":
        copy_number = np.repeat(np.tile(np.arange(1, n_copies + 1), len(layout)), np.repeat(lengths, n_copies))
        synthetic.insert(0, COPY_COLUMN, copy_number)
        return cast(Table, synthetic)
    if time_col is not None:
        synthetic[time_col] = _continued_times(frame, layout, time_col, lengths * n_copies)
    return cast(Table, _after_the_series(frame, layout, values, value_names, synthetic, lengths * n_copies))


def _value_columns(data: pd.DataFrame, key_col: Hashable, time_col: Hashable | None, value_cols: Any) -> list[Hashable]:
    """The numeric columns mixed: ``value_cols``, or every column but the id and time."""
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
    detail = ", among the value_cols (by default every column but id_col and time_col; the columns value_cols "
    detail += "leaves out are copied, one value per series)"
    check_numeric_columns(data, value_names, "data", options=(), detail=detail)
    return value_names


def _check_lag(layout: Layout, time_diff: int) -> None:
    short = np.flatnonzero(layout.counts <= time_diff)
    if short.size:
        i = int(short[0])
        msg = (
            f"`time_diff`={time_diff} must be shorter than every series, but series {layout.names[i]!r} has "
            f"{int(layout.counts[i])} steps."
        )
        raise ValueError(msg)


def _lag_draw(layout: Layout, time_diff: int, n_copies: int, alpha: float, rng: np.random.Generator) -> Draw:
    """One draw for every copy of every series: step t is mixed with step t + time_diff of the same series.

    Copies come series after series, the copies of one series in turn; each has one ``lam``.
    """
    rows_made = int((layout.counts - time_diff).sum()) * n_copies
    check_fits_in_memory(rows_made * 40, f"n_copies={n_copies} copies of {rows_made // n_copies} lagged rows")
    first_parts, second_parts = [], []
    for i in range(len(layout)):
        rows = layout.series_positions(i)
        first_parts += [rows[:-time_diff]] * n_copies
        second_parts += [rows[time_diff:]] * n_copies
    steps = np.repeat(layout.counts - time_diff, n_copies)
    return _draw.pairs(np.concatenate(first_parts), np.concatenate(second_parts), alpha, rng, repeats=steps)


def _continued_times(data: pd.DataFrame, layout: Layout, time_col: Hashable, counts: np.ndarray) -> Any:
    """The time stamps of the copies placed after each series: ``counts[i]`` steps that continue series ``i``."""
    parts = [
        _continuation(data[time_col].take(layout.series_positions(i)), int(counts[i]), layout.names[i], time_col)
        for i in range(len(layout))
    ]
    return pd.concat([pd.Series(p) for p in parts], ignore_index=True).array


def _continuation(times: pd.Series, count: int, series_id: Any, time_col: Hashable) -> Any:
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


def _after_the_series(
    data: pd.DataFrame,
    layout: Layout,
    values: np.ndarray,
    value_names: list[Hashable],
    synthetic: pd.DataFrame,
    counts: np.ndarray,
) -> pd.DataFrame:
    """Every real series (sorted by time), then its ``counts[i]`` synthetic rows, series in order of appearance."""
    real = data.take(layout.order).reset_index(drop=True)
    put(real, value_names, values[layout.order])
    series = np.concatenate([layout.codes[layout.order], np.repeat(np.arange(len(layout)), counts)])
    together = pd.concat([real, synthetic], ignore_index=True)
    return together.take(np.argsort(series, kind="stable")).reset_index(drop=True)
