"""CutMix (Yun et al., 2019) for torch batches, NumPy arrays and DataFrames, sharing mixup's draw.

CutMix does not interpolate: each synthetic sample is a sample with a region cut out and filled from its
partner, and its label weighs each source by its share of the result:

* **images** ``(n, c, h, w)`` tensors, ``(n, h, w, c)`` arrays: a box whose sides are ``sqrt(1 - lam)`` of
  the image's, centred uniformly at random and clipped at the edges (the paper's law);
* **series** ``(n, c, t)`` tensors, ``(n, t, c)`` arrays: a segment of ``floor(t * (1 - lam))`` steps;
* **tables** ``(n, features)`` and DataFrames: a random subset of ``floor(features * (1 - lam))`` columns.

``lam ~ Beta(alpha, alpha)`` is drawn exactly as mixup draws it (the same seed gives the same partners and
the same ``lam`` as :func:`mixupy.mixup_batch`, :func:`mixupy.mixup_arrays` or :func:`mixupy.mixup`), then
corrected to the share actually left in place, as timm's ``correct_lam`` does: a box clipped at an edge
pastes less, and the label says so. The regions are drawn in :mod:`mixupy._draw` and applied by
:func:`mixupy._apply.region_mask`; the torch functions draw them on the batch's device, so nothing waits
for the host. Values are copied, never interpolated, so NumPy arrays and table columns keep their dtype.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from mixupy import _batch, _draw
from mixupy._apply import float_dtype, region_mask
from mixupy._frames import Table, call_on_pandas, table_kind
from mixupy._labels import Labels, column_index, expanded_columns, from_arrays, from_frame, probability_names
from mixupy._options import MixOptions, random_source
from mixupy._validation import (
    check_alpha,
    check_array,
    check_batch_size,
    check_bool,
    check_cutmix_shape,
    check_fits_in_memory,
    check_frame,
    check_label_smoothing,
    check_num_classes,
    check_same_batch,
    check_tensor_batch,
)

if TYPE_CHECKING:
    import torch

__all__ = ["cutmix", "cutmix_arrays", "cutmix_batch", "cutmix_pairs"]

# The paper's, timm's and torchvision's default: lam uniform on [0, 1].
DEFAULT_ALPHA = 1.0


def _cut_tensors(x: Any, y: Any, alpha: Any, per_batch: Any, random_state: Any) -> tuple[Any, Any, Any]:
    """Validate, then cut: ``(x_mixed, partner, lam)`` on ``x``'s device."""
    x = check_tensor_batch(x, "x")
    check_same_batch(y, x, "y")
    check_cutmix_shape(tuple(x.shape))
    mode = "batch" if check_bool(per_batch, "per_batch") else "elem"
    plan = _batch.Plan(alpha=None, cutmix_alpha=check_alpha(alpha), mode=mode)
    gen = random_source(random_state, "torch", x.device)
    return _batch.mix_batch(_batch.TorchOps(gen, x.device), x, plan)


def cutmix_batch(
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    alpha: float = DEFAULT_ALPHA,
    num_classes: int | None = None,
    label_smoothing: float = 0.0,
    per_batch: bool = False,
    random_state: int | torch.Generator | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """CutMix a batch of tensors with a shuffled copy of itself, and mix the targets by the area pasted.

    Each sample ``i`` takes a region of its partner ``p(i)`` (a random permutation without fixed points, as
    in :func:`mixupy.mixup_batch`): a box of an image ``(n, c, h, w)`` (or of any ``(n, c, *spatial)``
    batch), a segment of a series ``(n, c, t)``, a subset of the columns of a table ``(n, features)``.
    ``lam ~ Beta(alpha, alpha)`` sets the region's size and is then corrected to the share of the sample
    left in place, which weighs its own target: ``y'[i] = lam[i] * y[i] + (1 - lam[i]) * y[p(i)]``.
    Everything is drawn on ``x``'s device; nothing waits for the host.

    Parameters
    ----------
    x : torch.Tensor, shape (n, features), (n, c, t), (n, c, h, w), ...
        A floating batch, channels first, on any device. Never changed.
    y : torch.Tensor
        One-hot or soft targets ``(n, ...)`` in a floating dtype, or integer labels ``(n,)`` with
        ``num_classes``, on ``x``'s device.
    alpha : float, default 1.0
        Beta(alpha, alpha) parameter of the region's size, >= 0: the paper's, timm's and torchvision's
        default (a uniform ``lam``). ``alpha=0`` is Beta's limit, ``lam`` 0 or 1: a sample is left whole,
        or gets a box of its own size, centred at random and clipped at the edges.
    num_classes : int, optional
        Number of classes; needed when ``y`` holds integer labels.
    label_smoothing : float, default 0.0
        For integer labels: smooth each one-hot row to ``(1 - s) * one_hot + s / num_classes`` first.
    per_batch : bool, default False
        One ``lam`` and one region for the whole batch (timm's "batch" mode) instead of one per sample.
    random_state : None, int or torch.Generator, optional
        As in :func:`mixupy.mixup_batch`; the same seed gives the same partners and the same ``lam``
        before correction as ``mixup_batch``.

    Returns
    -------
    x_mixed : torch.Tensor
        Same shape, dtype and device as ``x``; a new tensor.
    y_mixed : torch.Tensor
        The targets mixed by the corrected ``lam``: ``y``'s dtype for floating targets, ``x``'s dtype and
        shape ``(n, num_classes)`` for integer labels. Each row still sums to what ``y``'s rows sum to.

    Raises
    ------
    TypeError, ValueError
        As :func:`mixupy.mixup_batch`; also a batch with no axis to cut (shape ``(n,)``).

    See Also
    --------
    cutmix_pairs : the pair form, for losses that take class indices.
    mixupy.Mixup : mixup and CutMix in one transform, for a DataLoader.

    Examples
    --------
    Two 4x4 one-channel images, black and white: each gets a box of the other.

    >>> import torch
    >>> from mixupy import cutmix_batch
    >>> x = torch.stack([torch.zeros(1, 4, 4), torch.ones(1, 4, 4)])
    >>> xm, ym = cutmix_batch(x, torch.tensor([0, 1]), num_classes=2, random_state=13)
    >>> xm[0, 0]
    tensor([[0., 0., 0., 0.],
            [0., 0., 1., 1.],
            [0., 0., 1., 1.],
            [0., 0., 0., 0.]])
    >>> ym[0]  # 4 of 16 pixels come from the white image
    tensor([0.7500, 0.2500])
    >>> bool(torch.allclose(ym[:, 1], xm.mean(dim=(1, 2, 3))))  # the label is the share of white pixels
    True
    """
    from mixupy._apply_torch import mix
    from mixupy._labels import tensor_targets

    num_classes = check_num_classes(num_classes)
    smoothing = check_label_smoothing(label_smoothing)
    xm, partner, lam = _cut_tensors(x, y, alpha, per_batch, random_state)
    targets = tensor_targets(y, x, num_classes, smoothing)
    return xm, mix(targets, partner, lam)


def cutmix_pairs(
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    alpha: float = DEFAULT_ALPHA,
    per_batch: bool = False,
    random_state: int | torch.Generator | None = None,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """CutMix a batch and return both targets of each sample with the corrected ``lam`` (the loss form).

    The same cut as :func:`cutmix_batch`; the loss is ``lam * loss(out, y_a) + (1 - lam) * loss(out, y_b)``,
    which :func:`mixupy.mixup_loss` and :class:`mixupy.MixupLoss` compute, so targets stay class indices.

    Parameters
    ----------
    x : torch.Tensor
        As in :func:`cutmix_batch`.
    y : torch.Tensor, shape (n, ...)
        Targets of any dtype (usually integer labels), on ``x``'s device.
    alpha, per_batch, random_state
        As in :func:`cutmix_batch`.

    Returns
    -------
    x_mixed : torch.Tensor
        Same shape, dtype and device as ``x``.
    y_a, y_b : torch.Tensor
        ``y`` itself and the target of each sample's partner.
    lam : torch.Tensor, shape (n,)
        The share of each sample left in place, in ``x``'s dtype: the weight of ``y_a``.

    Examples
    --------
    A batch of series ``(n, channels, steps)``: each takes a segment of its partner's steps.

    >>> import torch
    >>> from mixupy import cutmix_pairs, mixup_loss
    >>> x = torch.arange(3.0)[:, None, None].expand(3, 1, 10)  # series of 0s, 1s and 2s
    >>> xm, y_a, y_b, lam = cutmix_pairs(x, torch.arange(3), random_state=0)
    >>> bool(torch.equal(lam, (xm == x).float().mean(dim=(1, 2))))  # lam: the share of steps kept
    True
    >>> loss = mixup_loss(torch.zeros(3, 3), y_a, y_b, lam)  # cross-entropy, mixed by lam
    """
    xm, partner, lam = _cut_tensors(x, y, alpha, per_batch, random_state)
    return xm, y, y[partner], lam


def cutmix_arrays(
    x: Any,
    y: Any = None,
    *,
    alpha: float = DEFAULT_ALPHA,
    channels_last: bool = True,
    batch_size: int | None = None,
    num_classes: int | Sequence[int | None] | dict[Hashable, int | None] | None = None,
    random_state: int | np.random.Generator | None = None,
) -> Any:
    """CutMix NumPy arrays: each synthetic sample is a sample with a region pasted from another one.

    The draw is :func:`mixupy.mixup_arrays`'s: sample ``i`` runs over every sample in order (repeated or
    subsampled to ``batch_size``), its partner ``j`` is uniform over the others and ``lam ~ Beta(alpha,
    alpha)``; the same seed gives the same ``i``, ``j`` and ``lam``. Then ``lam`` sets the size of the
    region taken from ``j`` (a box of an image, a segment of a series, a subset of a table's columns) and
    is corrected to the share of ``i`` left in place, which weighs the labels.

    Parameters
    ----------
    x : array_like, shape (n, features), (n, t, c), (n, h, w, c), ...
        Numeric and finite. With ``channels_last`` (Keras' layout) every axis but the first and the last is
        cut; otherwise every axis after the second, as torch lays out ``(n, c, h, w)``. A 2-D ``x`` is a
        table, whose columns are cut.
    y : array_like, or list, tuple or dict of array_like, optional
        Labels as in :func:`mixupy.mixup_arrays` (one-hot, soft, integer labels with ``num_classes``, or one
        array per task).
    alpha : float, default 1.0
        Beta(alpha, alpha) parameter, >= 0, the paper's default.
    channels_last : bool, default True
        Where samples of rank 2 or more keep their channels.
    batch_size : int, optional
        Number of synthetic samples; defaults to ``len(x)``.
    num_classes : int, or list, tuple or dict of int or None, optional
        Number of classes of integer labels.
    random_state : None, int or numpy.random.Generator, optional
        Seed or generator.

    Returns
    -------
    x_mixed : ndarray, shape (batch_size, ...)
        ``x``'s dtype (values are copied, never interpolated: ``uint8`` images stay ``uint8``).
    y_mixed : ndarray, or list, tuple or dict of ndarray
        Only when ``y`` is given: mixed by the corrected ``lam``; labels made from integer codes are
        float64, or ``x``'s dtype when that is floating.

    Raises
    ------
    TypeError, ValueError
        As :func:`mixupy.mixup_arrays`; also ``x`` with no axis to cut (1-D).

    Examples
    --------
    Two 4x4 one-channel images, black and white, channels last:

    >>> import numpy as np
    >>> from mixupy import cutmix_arrays
    >>> x = np.stack([np.zeros((4, 4, 1)), np.ones((4, 4, 1))]).astype(np.uint8)
    >>> xm, ym = cutmix_arrays(x, np.array([0, 1]), num_classes=2, random_state=7)
    >>> xm[0, :, :, 0]
    array([[0, 0, 0, 0],
           [0, 0, 1, 1],
           [0, 0, 1, 1],
           [0, 0, 0, 0]], dtype=uint8)
    >>> ym[0], xm.dtype  # 4 of 16 pixels from the white image
    (array([0.75, 0.25]), dtype('uint8'))
    """
    x = check_array(x, "x")
    check_cutmix_shape(x.shape)
    alpha = check_alpha(alpha)
    size = check_batch_size(batch_size, x.shape[0])
    channels_last = check_bool(channels_last, "channels_last")
    rng = random_source(random_state)
    labels = from_arrays(y, num_classes, x.shape[0])
    check_fits_in_memory(2 * size * x[0].nbytes + size * 24, f"batch_size={size} samples of shape {x.shape[1:]}")
    d = _draw.draw(x.shape[0], size, alpha, rng)
    shape = (size, *x.shape[1:])
    found, axes = _batch.region(_batch.NumpyOps(rng), d.lam, shape, channels_last)
    mask = region_mask(found, shape, axes, np.arange)
    out = np.take(x, d.second, axis=0, mode="clip")  # the partner, then each sample's own values around the region
    np.copyto(out, np.take(x, d.first, axis=0, mode="clip"), where=np.logical_not(mask))
    if labels is None:
        return out
    return out, labels.mix(_draw.Draw(d.first, d.second, found.lam), float_dtype(x.dtype))


def cutmix(
    data: Table,
    alpha: float = DEFAULT_ALPHA,
    concat: bool = False,
    batch_size: int | None = None,
    *,
    labels: Hashable | Sequence[Hashable] | None = None,
    random_state: int | np.random.Generator | None = None,
) -> Table:
    """CutMix the rows of a DataFrame: each synthetic row is a row with a random subset of its columns
    taken from another row.

    The draw is :func:`mixupy.mixup`'s (the same seed gives the same rows, partners and ``lam``); each
    synthetic row then takes ``floor(k * (1 - lam))`` of the ``k`` feature columns, chosen at random, from
    its partner, and ``lam`` becomes the share of columns kept, which weighs the labels. Values are copied,
    never interpolated, so every column keeps its dtype and any dtype may be cut, text and categories
    included.

    Parameters
    ----------
    data : pandas.DataFrame, polars.DataFrame or LazyFrame, or pyarrow.Table or RecordBatch
        Any columns; the ``labels`` columns are mixed, the others cut. A polars or pyarrow table comes
        back in its own kind (a LazyFrame collected once), as :func:`mixupy.mixup` says.
    alpha : float, default 1.0
        Beta(alpha, alpha) parameter, >= 0, the paper's default.
    concat : bool, default False
        Return the original rows first, then the synthetic ones.
    batch_size : int, optional
        Number of synthetic rows; defaults to ``len(data)``.
    labels : column name or list of column names, optional
        A class column (it becomes one probability column per class, named ``f"{labels}_{class}"``), or a
        list of one-hot or probability columns (mixed by the corrected ``lam``). None cuts every column.
    random_state : None, int or numpy.random.Generator, optional
        Seed or generator.

    Returns
    -------
    pandas.DataFrame
        ``batch_size`` synthetic rows (after the originals when ``concat=True``), a fresh ``RangeIndex``,
        the columns in their order, feature columns in their dtype, probability columns float64.

    Raises
    ------
    TypeError, ValueError
        ``data`` is not a non-empty DataFrame, a parameter is out of range, the labels are unknown or not
        probabilities, or no column is left to cut.

    Examples
    --------
    >>> import pandas as pd
    >>> from mixupy import cutmix
    >>> df = pd.DataFrame({"a": [0, 10], "b": [0, 10], "c": [0, 10], "d": [0, 10], "y": ["low", "high"]})
    >>> out = cutmix(df, labels="y", random_state=0)
    >>> out  # row 0 took b from row 1, row 1 took a and c from row 0
       a   b  c   d  y_high  y_low
    0  0  10  0   0    0.25   0.75
    1  0  10  0  10    0.50   0.50
    >>> out.dtypes["a"]  # copied, not interpolated
    dtype('int64')
    """
    if table_kind(data) is not None:  # a polars or pyarrow table: mixed as pandas, returned in its kind
        return call_on_pandas(cutmix, locals())
    frame = check_frame(data)
    options = MixOptions.validate(alpha, concat, batch_size, labels)
    rng = random_source(random_state)
    spec = from_frame(frame, options.labels, need_codes=False)
    kept = list(spec.columns) if spec is not None else []
    features = [c for c in frame.columns if c not in kept]
    if not features:
        msg = f"`labels` names every column of `data` ({kept}); CutMix needs at least one other column to cut."
        raise ValueError(msg)
    n = len(frame)
    size = options.size(n)
    check_fits_in_memory((size + n * options.concat) * (frame.shape[1] + 1) * 8, f"batch_size={size} rows")
    d = _draw.draw(n, size, options.alpha, rng)
    found = _draw.column_subsets(d.lam, len(features), rng)
    d, taken = _draw.Draw(d.first, d.second, found.lam), found.taken
    if options.concat:
        d = _draw.concat(_draw.Draw.identity(n), d)
        taken = np.vstack([np.zeros((n, len(features)), dtype=bool), taken])
    source = np.where(taken, d.second[:, None], d.first[:, None])
    pieces: dict[Hashable, Any] = {c: frame[c].array.take(source[:, j]) for j, c in enumerate(features)}
    return cast(Table, _rebuild(frame, pieces, spec, d))


def _rebuild(data: pd.DataFrame, pieces: dict[Hashable, Any], spec: Labels | None, d: _draw.Draw) -> pd.DataFrame:
    """The cut feature columns and the labels mixed by ``d``, in the frame's column order."""
    columns: list[Hashable] = list(data.columns)
    if spec is not None:
        mixed = spec.mix(d)
        if spec.kind == "class":
            label = spec.columns[0]
            columns = expanded_columns(data.columns, label, spec.classes)
            pieces.update(zip(probability_names(label, spec.classes), mixed.T, strict=True))
        else:
            pieces.update(zip(spec.columns, mixed.T, strict=True))
    frame = pd.DataFrame({k: pieces[k] for k in columns}, index=pd.RangeIndex(len(d)), copy=False)
    frame.columns = data.columns if spec is None or spec.kind != "class" else column_index(columns, data.columns)
    return frame
