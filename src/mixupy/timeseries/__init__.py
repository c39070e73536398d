"""Time-series mixup: mix whole series, or aligned windows of them, never single rows.

Mixing single rows of a time series destroys its order. Here each synthetic
series is ``lam * s_i + (1 - lam) * s_j`` at every step, for two real series
``s_i`` and ``s_j`` and one ``lam ~ Beta(alpha, alpha)`` per pair, drawn by
:mod:`mixupy._draw` like every other backend and applied to whole series by
:func:`mixupy._apply.mix_units`.

Three entry points, one module per layout:

- :func:`mixup_timeseries` (``_frame``): long-format DataFrames (one row per
  series and step), with explicit alignment of unequal or irregular series and
  optional windows;
- :func:`mixup_series_array` (``_array``): arrays of shape (series, steps[, channels]);
- :func:`mixup_lagged` (``_lagged``): one long series mixed with itself
  ``time_diff`` steps later, for forecasting data with too few series to mix
  with each other.

What they share (the series of a long frame, alignment, resampling, windows,
the ids of synthetic series, the draw over units) is in ``_layout``.
"""

from __future__ import annotations

from mixupy.timeseries._array import mixup_series_array
from mixupy.timeseries._frame import mixup_timeseries
from mixupy.timeseries._lagged import COPY_COLUMN, mixup_lagged
from mixupy.timeseries._layout import new_series_ids

__all__ = ["COPY_COLUMN", "mixup_lagged", "mixup_series_array", "mixup_timeseries", "new_series_ids"]
