"""``mixup_series_array``: whole-series mixup of an array of shape (series, steps[, channels])."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from mixupy._apply import float_dtype, mix_units
from mixupy._labels import from_arrays
from mixupy._options import MixOptions, random_source
from mixupy._validation import check_optional_positive_int, check_series_array, check_window
from mixupy.timeseries._layout import Units, cut_windows, draw_units, with_sources

__all__ = ["mixup_series_array"]


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
    options = MixOptions.validate(
        alpha=alpha, concat=concat, labels=y, label_mode=label_mode, within_class=within_class, labels_name="y"
    )
    n_series = check_optional_positive_int(n_series, "n_series")
    window, step = check_window(window, step)
    rng = random_source(random_state)
    labels = from_arrays(y, num_classes, x.shape[0])
    classes = labels.codes("y", unit="series") if options.within_class and labels is not None else None

    values = x if x.dtype.kind == "f" else x.astype(float_dtype(x.dtype), copy=False)
    units = cut_windows(Units(values, np.arange(x.shape[0])), window, step, "the series of `x`")
    size = len(units) if n_series is None else n_series
    d = draw_units(units, size, options, rng, classes)
    mixed = mix_units(units.values, d)
    if options.concat:
        mixed = np.concatenate([units.values, mixed])
    if labels is None:
        return mixed
    # The labels of each unit are those of its series; the sources (with concat) are units mixed with themselves.
    per_series = with_sources(d, len(units), options.concat).remap(units.series)
    return mixed, labels.mix(per_series, mixed.dtype, dominant=options.exact)
