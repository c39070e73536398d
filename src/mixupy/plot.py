"""Pictures of a mixup: original against synthetic rows, and the drawn weights.

Needs the ``plot`` extra (``pip install "mixupy[plot]"``, matplotlib). matplotlib is
imported inside the functions, so ``import mixupy.plot`` itself costs nothing.
Every function draws on the Axes given as ``ax`` (or on a new figure) and
returns it, so the pictures compose with the rest of a matplotlib figure.
"""

from __future__ import annotations

import numbers
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from mixupy import _draw
from mixupy._labels import from_frame, one_hot, probability_names
from mixupy._options import random_source
from mixupy._validation import (
    check_alpha,
    check_frame,
    check_positive_int,
    column_values,
    is_numeric_dtype,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["demo_figure", "plot_lambda", "plot_mixup"]

# Colours of the classes (matplotlib's "tab10" cycle); a synthetic row gets the
# blend of its classes' colours, weighted by its label.
_PALETTE = np.array(
    [
        (0.122, 0.467, 0.706),
        (1.000, 0.498, 0.055),
        (0.173, 0.627, 0.173),
        (0.839, 0.153, 0.157),
        (0.580, 0.404, 0.741),
        (0.549, 0.337, 0.294),
        (0.890, 0.467, 0.761),
        (0.498, 0.498, 0.498),
        (0.737, 0.741, 0.133),
        (0.090, 0.745, 0.812),
    ]
)
_PALETTE.setflags(write=False)  # a constant: read by every call, changed by none


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - the plot extra is installed in CI
        msg = 'mixupy.plot needs matplotlib: pip install "mixupy[plot]"'
        raise ImportError(msg) from exc
    return plt


def _check_ax(ax: Any) -> Axes:
    """A new Axes on a new figure when ``ax`` is None; otherwise ``ax`` after a type check."""
    plt = _pyplot()
    from matplotlib.axes import Axes

    if ax is None:
        return plt.figure().add_subplot()
    if not isinstance(ax, Axes):
        msg = f"`ax` must be a matplotlib Axes or None; got {type(ax).__name__}."
        raise TypeError(msg)
    return ax


def _xy(frame: pd.DataFrame, column: Hashable, param: str, frame_name: str) -> np.ndarray:
    if column not in frame.columns:
        msg = f"`{param}` names column {column!r}, which `{frame_name}` lacks. Columns are: {list(frame.columns)}."
        raise ValueError(msg)
    if not is_numeric_dtype(frame[column].dtype):
        msg = f"`{param}` column {column!r} of `{frame_name}` must be numeric; got dtype {frame[column].dtype}."
        raise TypeError(msg)
    values = np.asarray(column_values(frame[column], frame_name), dtype=np.float64)
    with np.errstate(over="ignore"):
        span = np.max(values) - np.min(values)
    if not np.isfinite(span):
        msg = (
            f"`{param}` column {column!r} of `{frame_name}` spans more than the largest float "
            f"({np.min(values)!r} to {np.max(values)!r}), so no axis can be scaled to it. Hint: rescale it first."
        )
        raise ValueError(msg)
    return values


def _class_probabilities(
    data: pd.DataFrame, mixed: pd.DataFrame, labels: Any
) -> tuple[list[Any], np.ndarray, np.ndarray]:
    """The class names and, for the rows of ``data`` and of ``mixed``, their class probabilities."""
    spec = from_frame(data, labels, need_codes=False)
    if spec is None:
        msg = "`labels` must name the class column or the one-hot columns to colour the rows by; got None."
        raise ValueError(msg)
    classes = list(spec.classes)
    if spec.kind == "class":
        original = one_hot(spec.arrays[0], len(classes))
        name = spec.columns[0]
        if name in mixed.columns:  # labels kept exact: a class column in the mixed rows too
            codes = pd.Index(classes).get_indexer(mixed[name])
            if (codes < 0).any():
                unknown = sorted({str(v) for v in mixed[name].to_numpy()[codes < 0]})
                msg = f"`mixed` column {name!r} holds classes that `data` lacks: {unknown}."
                raise ValueError(msg)
            return classes, original, one_hot(codes, len(classes))
        columns: list[Hashable] = list(probability_names(name, classes))
    else:
        columns = list(spec.columns)
        original = spec.arrays[0].astype(np.float64)
    missing = [c for c in columns if c not in mixed.columns]
    if missing:
        msg = (
            f"`mixed` lacks the label columns {missing} that `labels={labels!r}` implies; "
            "pass the frame that mixup() returned for `data` with the same labels."
        )
        raise ValueError(msg)
    synthetic = np.column_stack([column_values(mixed[c], "mixed") for c in columns]).astype(np.float64)
    return classes, original, synthetic


def _colours(probabilities: np.ndarray) -> np.ndarray:
    palette = _PALETTE[np.arange(probabilities.shape[1]) % len(_PALETTE)]
    weights = probabilities / probabilities.sum(axis=1, keepdims=True)
    return np.clip(weights @ palette, 0.0, 1.0)


def plot_mixup(
    data: pd.DataFrame,
    mixed: pd.DataFrame,
    *,
    x: Hashable,
    y: Hashable,
    labels: Hashable | Sequence[Hashable] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Scatter original rows (filled) and synthetic rows (hollow) on two columns.

    Parameters
    ----------
    data : pandas.DataFrame
        The original rows.
    mixed : pandas.DataFrame
        The synthetic rows, as :func:`mixupy.mixup` returned them for ``data``
        (drop the original rows first if you mixed with ``concat=True``).
    x, y : column name
        Numeric columns present in both frames, on the horizontal and vertical axis.
    labels : column name or list of column names, optional
        What :func:`mixupy.mixup` was given as ``labels``: one class column, or
        one-hot / probability columns. Each class gets a colour; a synthetic row
        gets the blend of its classes' colours weighted by its mixed label, so a
        half-and-half row sits between two colours. None draws every row alike.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.collections[0]`` holds the original rows, ``ax.collections[1]`` the
        synthetic ones.

    Examples
    --------
    >>> from mixupy import mixup
    >>> from mixupy.datasets import load_iris
    >>> from mixupy.plot import plot_mixup
    >>> iris = load_iris(one_hot=False)
    >>> mixed = mixup(iris, alpha=0.4, labels="species", random_state=0)
    >>> ax = plot_mixup(iris, mixed, x="petal_length", y="petal_width", labels="species")
    >>> [len(c.get_offsets()) for c in ax.collections]
    [150, 150]
    """
    data = check_frame(data, "data")
    mixed = check_frame(mixed, "mixed")
    ax = _check_ax(ax)
    x0, y0 = _xy(data, x, "x", "data"), _xy(data, y, "y", "data")
    x1, y1 = _xy(mixed, x, "x", "mixed"), _xy(mixed, y, "y", "mixed")
    if labels is None:
        classes: list[Any] = []
        c0 = np.tile(_PALETTE[0], (len(x0), 1))
        c1 = np.tile(_PALETTE[0], (len(x1), 1))
    else:
        classes, p0, p1 = _class_probabilities(data, mixed, labels)
        c0, c1 = _colours(p0), _colours(p1)
    ax.scatter(x0, y0, c=c0, s=24, marker="o", linewidths=0, alpha=0.8, label="original", zorder=2)
    ax.scatter(
        x1,
        y1,
        facecolors="none",
        edgecolors=cast(Any, c1),
        s=24,
        marker="o",
        linewidths=1.0,
        label="synthetic",
        zorder=3,
    )
    ax.set_xlabel(str(x))
    ax.set_ylabel(str(y))
    from matplotlib.lines import Line2D

    grey = (0.35, 0.35, 0.35)
    handles = [
        Line2D([], [], linestyle="", marker="o", color=grey, label="original"),
        Line2D([], [], linestyle="", marker="o", markerfacecolor="none", color=grey, label="synthetic"),
    ]
    handles += [
        Line2D([], [], linestyle="", marker="s", color=_PALETTE[k % len(_PALETTE)], label=str(cls))
        for k, cls in enumerate(classes)
    ]
    ax.legend(handles=handles, loc="best", fontsize="small", framealpha=0.8)
    return ax


def plot_lambda(
    alpha: float,
    *,
    size: int = 1000,
    bins: int = 40,
    random_state: int | np.random.Generator | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Histogram of drawn mixing weights against the Beta(alpha, alpha) density.

    The weights are drawn by the same code and in the same order as
    :func:`mixupy.mixup` draws them: for a frame of ``size`` rows mixed with the
    default ``batch_size`` and the same ``random_state`` (and neither
    ``within_class`` nor ``label_mode="dominant"``), these are exactly the
    weights of its synthetic rows.

    Parameters
    ----------
    alpha : float
        Beta(alpha, alpha) parameter, >= 0. For ``alpha=0`` every weight is 0 or
        1 (no density line is drawn).
    size : int, default 1000
        Number of weights to draw.
    bins : int, default 40
        Number of histogram bins over [0, 1].
    random_state : None, int or numpy.random.Generator, optional
        Seed or generator; the same seed gives the same weights.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes
        The histogram bars are ``ax.patches``; the density, when drawn, is
        ``ax.lines[0]``.

    Examples
    --------
    >>> from mixupy.plot import plot_lambda
    >>> ax = plot_lambda(0.4, size=500, bins=20, random_state=0)
    >>> len(ax.patches), len(ax.lines)
    (20, 1)
    >>> round(float(sum(p.get_height() * p.get_width() for p in ax.patches)), 6)  # a density integrates to 1
    1.0
    """
    alpha = check_alpha(alpha)
    size = check_positive_int(size, "size")
    bins = check_positive_int(bins, "bins")
    rng = random_source(random_state)
    ax = _check_ax(ax)
    lam = _draw.draw(size, size, alpha, rng).lam  # the weights mixup(df) would draw for this seed
    heights, _, _ = ax.hist(
        lam, bins=bins, range=(0.0, 1.0), density=True, color=_PALETTE[0], alpha=0.5, label=f"{size} drawn weights"
    )
    if alpha > 0:
        from scipy.stats import beta

        grid = np.linspace(0.0, 1.0, 401)[1:-1]
        ax.plot(grid, beta.pdf(grid, alpha, alpha), color=_PALETTE[3], linewidth=2, label=f"Beta({alpha:g}, {alpha:g})")
        # For alpha < 1 the density is unbounded at 0 and 1: keep the histogram in view.
        top = float(np.max(heights)) if alpha < 1 else max(float(np.max(heights)), float(beta.pdf(0.5, alpha, alpha)))
        ax.set_ylim(0.0, 1.4 * top)
    ax.set_xlim(0.0, 1.0)
    ax.set_xlabel("λ (weight of the first row)")
    ax.set_ylabel("density")
    ax.set_title(f"mixing weights, alpha = {alpha:g}")
    ax.legend(loc="upper center", fontsize="small")
    return ax


def demo_figure(*, alpha: float = 4.0, seed: int | None = 0) -> Figure:
    """The picture ``mixupy demo --plot`` writes: iris mixed, and its weights.

    The left panel shows the 150 iris flowers and the 150 synthetic ones that
    ``mixup(iris, alpha=alpha, labels=..., random_state=seed)`` makes (the mix
    ``mixupy demo`` describes), on petal length and width; the right panel shows
    the 150 weights of that same mix against the Beta(alpha, alpha) density.
    The figure is 10 x 4 inches at 100 dpi.

    Parameters
    ----------
    alpha : float, default 4
        Beta(alpha, alpha) parameter, >= 0.
    seed : int or None, default 0
        Seed of the mix; None draws a fresh one.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from mixupy.plot import demo_figure
    >>> fig = demo_figure(alpha=0.4, seed=1)
    >>> [tuple(int(v) for v in fig.get_size_inches() * fig.dpi), len(fig.axes)]
    [(1000, 400), 2]
    """
    from mixupy.datasets import load_iris
    from mixupy.frame import mixup

    alpha = check_alpha(alpha)
    if seed is None:
        seed = int(np.random.default_rng().integers(0, 2**32))
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        msg = f"`seed` must be a non-negative int or None; got {seed!r} (type {type(seed).__name__})."
        raise TypeError(msg)
    random_source(seed)  # negative seeds: the same message as everywhere else
    plt = _pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4), dpi=100, layout="constrained")
    iris = load_iris(one_hot=False)
    mixed = mixup(iris, alpha=alpha, labels="species", random_state=seed)
    plot_mixup(iris, mixed, x="petal_length", y="petal_width", labels="species", ax=left)
    left.set_title(f"iris: {len(iris)} original rows, {len(mixed)} synthetic (alpha = {alpha:g})")
    plot_lambda(alpha, size=len(iris), bins=20, random_state=seed, ax=right)
    return fig
