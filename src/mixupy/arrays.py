"""mixup for NumPy arrays of any shape: one call, a batch generator, or two streams.

* :func:`mixup_arrays` mixes arrays ``x`` (tables, images, sequences) and their
  labels once.
* :class:`MixupGenerator` serves epochs of mixed batches from arrays held in
  memory (or from a :class:`mixupy.ImageFolder` read lazily), for Keras
  ``model.fit`` and PyTorch training loops.
* :func:`mixup_streams` mixes two independently shuffled streams of ``(x, y)``
  batches row by row, as ``tf.data.Dataset.zip`` recipes do.

All three draw each synthetic row's ``lam`` and partner with
:mod:`mixupy._draw` and mix with :mod:`mixupy._apply`, so one seed gives the same mix on every path. Only NumPy is
needed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from mixupy import _apply, _draw
from mixupy._labels import Labels, check_num_classes_spec, from_arrays
from mixupy._options import random_source
from mixupy._validation import (
    PAIRINGS,
    check_alpha,
    check_array,
    check_bandwidth,
    check_batch_size,
    check_bool,
    check_callable,
    check_choice,
    check_fits_in_memory,
    check_label_mode,
    check_neighbour_groups,
    check_positive_int,
    check_target_array,
)

__all__ = ["MixupGenerator", "mixup_arrays", "mixup_streams"]

# The Keras MixupGenerator recipe's default (within the 0.1-0.4 mixup's authors found best for image
# classifiers), so code moving from that recipe keeps its behaviour. Other functions' defaults differ on
# purpose: see "Default alpha" in docs/arrays.md.
DEFAULT_ALPHA = 0.2

LabelArrays = Any  # one array, or a list, tuple or dict of arrays (multi-task)


def _pack(x: np.ndarray, labels: Labels | None, d: _draw.Draw, *, dominant: bool) -> Any:
    if labels is None:
        return x
    return x, labels.mix(d, x.dtype, dominant=dominant)


def mixup_arrays(
    x: Any,
    y: LabelArrays = None,
    *,
    alpha: float = DEFAULT_ALPHA,
    batch_size: int | None = None,
    num_classes: int | Sequence[int | None] | dict[Hashable, int | None] | None = None,
    label_mode: str = "mix",
    pairing: str = "random",
    bandwidth: float | None = None,
    k_neighbors: int = 5,
    random_state: int | np.random.Generator | None = None,
) -> Any:
    """Mix samples of an array of any shape, and their labels, with one ``lam`` per sample.

    Synthetic sample ``r`` is ``lam[r] * x[i] + (1 - lam[r]) * x[j]`` with
    ``lam[r] ~ Beta(alpha, alpha)``; ``i`` runs over every sample in order
    (repeated or subsampled to ``batch_size``) and each partner ``j`` is drawn
    uniformly from the other samples. Labels are mixed with the same ``lam``.

    Parameters
    ----------
    x : array_like, shape (n, ...)
        Samples along the first axis: a table ``(n, features)``, images
        ``(n, height, width, channels)``, sequences, anything numeric and finite.
    y : array_like, or list, tuple or dict of array_like, optional
        Labels, one row per sample: one-hot or soft rows ``(n, classes)`` and any
        other float targets are mixed as they are; integer class labels of shape
        ``(n,)`` or ``(n, 1)`` need ``num_classes`` and come back as mixed
        one-hot rows. A list, tuple or dict of such arrays (one per output of a
        multi-task model) is mixed with the same draw and returned in the same
        container; a list or tuple of numbers is one label array.
    alpha : float, default 0.2
        Beta(alpha, alpha) parameter, >= 0. ``alpha=0`` copies one source.
        The default is the Keras ``MixupGenerator`` recipe's, in the 0.1-0.4
        range mixup's authors found best for image classifiers.
    batch_size : int, optional
        Number of synthetic samples; defaults to ``len(x)``.
    num_classes : int, or list, tuple or dict of int or None, optional
        Number of classes of integer labels. For multi-task ``y`` one int applies
        to every integer label array, or give one entry per array.
    label_mode : {"mix", "dominant"}, default "mix"
        "mix" mixes labels with the same ``lam`` as ``x``. "dominant" folds
        ``lam`` to ``max(lam, 1 - lam)`` and keeps the exact label of the
        dominant sample ``i`` (integer labels as one-hot rows).
    pairing : {"random", "target", "neighbors"}, default "random"
        How each partner ``j`` is drawn. "random": uniformly. "target" (C-Mixup):
        ``y`` is the continuous target, one float array of shape ``(n,)`` or
        ``(n, D)``, and ``j`` is drawn with probability proportional to
        ``exp(-|y_i - y_j|**2 / (2 * bandwidth**2))``, exactly, as
        :func:`mixupy.mixup` draws it. "neighbors": uniformly among the
        ``k_neighbors`` nearest samples, ``x`` flattened per sample (Euclidean).
    bandwidth : float, optional
        The kernel's sigma for ``pairing="target"``, in the units of ``y``;
        None takes Silverman's rule from the spread of ``y`` (see
        :func:`mixupy.mixup`).
    k_neighbors : int, default 5
        For ``pairing="neighbors"``; ``x`` needs more samples than this.
    random_state : None, int or numpy.random.Generator, optional
        Seed or generator; the same seed gives the same result.

    Returns
    -------
    x_mixed : ndarray, shape (batch_size, ...)
        Floating inputs keep their dtype; integer and bool inputs become float64.
    y_mixed : ndarray, or list, tuple or dict of ndarray
        Only when ``y`` is given. Labels made from integer codes take the dtype
        of ``x_mixed``.

    Raises
    ------
    TypeError
        Non-numeric arrays or parameters of the wrong type.
    ValueError
        Empty arrays, NaN or infinite values, ``x`` and ``y`` of different
        lengths, integer labels without ``num_classes``, a label outside the
        classes, or a parameter out of range.

    See Also
    --------
    MixupGenerator : the same, batch by batch, epoch after epoch.
    mixupy.mixup : mixup for pandas DataFrames.

    Examples
    --------
    >>> import numpy as np
    >>> from mixupy import mixup_arrays
    >>> x = np.array([[0.0, 0.0], [10.0, 10.0]])   # two 2-pixel "images"
    >>> y = np.array([0, 1])                        # their classes
    >>> xm, ym = mixup_arrays(x, y, num_classes=2, alpha=1.0, random_state=0)
    >>> xm.shape, ym.shape
    ((2, 2), (2, 2))
    >>> bool(np.allclose(xm[:, 0] / 10, ym[:, 1]))  # pixels and labels share lam
    True

    Images of any rank, and one label array per output of a multi-task model:

    >>> images = np.zeros((8, 4, 4, 3), dtype=np.float32)
    >>> xm, (y1, y2) = mixup_arrays(images, [np.eye(8, 3), np.arange(8) % 2], num_classes=[None, 2], random_state=0)
    >>> xm.shape, xm.dtype, y1.shape, y2.shape
    ((8, 4, 4, 3), dtype('float32'), (8, 3), (8, 2))

    A regression target, each sample paired with samples of close targets:

    >>> x = np.arange(12.0).reshape(6, 2)
    >>> price = np.array([1.0, 1.1, 1.2, 5.0, 5.1, 5.3])
    >>> xm, pm = mixup_arrays(x, price, pairing="target", bandwidth=0.2, random_state=0)
    >>> bool((np.abs(pm - price) < 1).all())   # partners come from the same cluster of targets
    True
    """
    x = check_array(x, "x")
    alpha = check_alpha(alpha)
    size = check_batch_size(batch_size, x.shape[0])
    dominant = check_label_mode(label_mode) == "dominant"
    pairing = check_choice(pairing, "pairing", PAIRINGS)
    bandwidth = check_bandwidth(bandwidth)
    k_neighbors = check_positive_int(k_neighbors, "k_neighbors")
    rng = random_source(random_state)
    targets = check_target_array(y, x.shape[0], integers=False) if pairing == "target" else None
    labels = from_arrays(y, num_classes, x.shape[0])
    per_sample = int(np.prod(x.shape[1:], dtype=np.float64)) * _apply.float_dtype(x.dtype).itemsize + 24
    check_fits_in_memory(size * per_sample, f"batch_size={size} synthetic samples of shape {x.shape[1:]}")
    pairing_of: _draw.Pairing | None = None
    if targets is not None:
        pairing_of = _draw.by_target(targets, bandwidth)
    elif pairing == "neighbors":
        check_neighbour_groups(np.array([x.shape[0]]), k_neighbors)
        flat = x.reshape(x.shape[0], -1).astype(np.float64)
        pairing_of = _draw.Neighbours(flat, np.zeros(x.shape[0], dtype=np.intp), k_neighbors)
    d = _draw.draw(x.shape[0], size, alpha, rng, dominant=dominant, pairing=pairing_of)
    return _pack(_apply.mix_rows(x, d), labels, d, dominant=dominant)


class MixupGenerator:
    """Mixed batches, epoch after epoch, for Keras ``model.fit`` and PyTorch loops.

    Each epoch visits every sample once as the first source of a mixed sample, in
    a fresh random order when ``shuffle``; its partner is drawn uniformly from the
    whole data set, and ``lam ~ Beta(alpha, alpha)`` is drawn per sample.

    * ``len(gen)`` is the number of batches (steps) per epoch.
    * ``for xb, yb in gen:`` runs one epoch (a PyTorch-style loop).
    * ``gen()`` returns an endless Python generator, epoch after epoch, as the
      classic Keras ``MixupGenerator`` recipe does: pass it to
      ``model.fit(gen(), steps_per_epoch=len(gen), epochs=...)``, or take
      batches with ``next``.

    Parameters
    ----------
    x : array_like or mixupy.ImageFolder
        Samples along the first axis (any rank, numeric, finite), or a folder of
        images decoded lazily, batch by batch.
    y : array_like, or list, tuple or dict of array_like, optional
        Labels as in :func:`mixup_arrays`: one-hot, soft or other float rows,
        integer class labels with ``num_classes``, or several arrays for a
        multi-task model. Without ``y`` the batches are ``x`` alone.
    batch_size : int, default 32
        Samples per batch, > 0. The last batch of an epoch holds the rest.
    alpha : float, default 0.2
        Beta(alpha, alpha) parameter, >= 0. The default is the Keras
        ``MixupGenerator`` recipe's, so code moving from it keeps its mix.
    shuffle : bool, default True
        Visit the samples in a fresh random order each epoch; otherwise in order.
    augment : callable, optional
        A per-sample augmentation, ``augment(sample) -> sample``, applied to both
        sources of every mixed sample before they are mixed: for example Keras'
        ``ImageDataGenerator.random_transform`` or a random-erasing function.
        It receives floating copies, so it may change them in place. Samples it
        returns must all have one shape (it may differ from the input's).
    datagen : Keras ImageDataGenerator, optional
        Shorthand for ``augment=lambda s: datagen.standardize(datagen.random_transform(s))``,
        as the classic recipe takes it. Give ``augment`` or ``datagen``, not both.
    num_classes : int, or list, tuple or dict of int or None, optional
        Number of classes of integer labels.
    label_mode : {"mix", "dominant"}, default "mix"
        As in :func:`mixup_arrays`.
    drop_last : bool, default False
        Drop the last batch of an epoch when it is short.
    random_state : None, int or numpy.random.Generator, optional
        Seed or generator for the order, the partners and ``lam``; the same seed
        gives the same batches. (A Keras ``datagen`` draws its transforms from
        NumPy's global random state, which mixupy does not touch.)

    Raises
    ------
    TypeError, ValueError
        As :func:`mixup_arrays`; also when ``batch_size <= 0``, or
        ``drop_last=True`` with fewer samples than ``batch_size``.

    See Also
    --------
    mixup_arrays : one mixed set at once.
    mixupy.ImageFolder : images on disk, read batch by batch.

    Examples
    --------
    >>> import numpy as np
    >>> from mixupy import MixupGenerator
    >>> x = np.random.default_rng(0).random((10, 4, 4, 3), dtype=np.float32)
    >>> y = np.eye(2)[np.arange(10) % 2]
    >>> gen = MixupGenerator(x, y, batch_size=4, alpha=0.2, random_state=0)
    >>> len(gen)                              # steps per epoch: 4 + 4 + 2
    3
    >>> [xb.shape[0] for xb, yb in gen]       # one epoch, the last batch short
    [4, 4, 2]
    >>> batches = gen()                       # endless, as in the Keras recipe
    >>> xb, yb = next(batches)
    >>> xb.shape, yb.shape, bool(np.allclose(yb.sum(axis=1), 1))
    ((4, 4, 4, 3), (4, 2), True)
    """

    def __init__(
        self,
        x: Any,
        y: LabelArrays = None,
        batch_size: int = 32,
        alpha: float = DEFAULT_ALPHA,
        shuffle: bool = True,
        *,
        augment: Callable[[np.ndarray], Any] | None = None,
        datagen: Any = None,
        num_classes: int | Sequence[int | None] | dict[Hashable, int | None] | None = None,
        label_mode: str = "mix",
        drop_last: bool = False,
        random_state: int | np.random.Generator | None = None,
    ) -> None:
        self._source = x if _is_image_folder(x) else None  # read lazily, batch by batch
        self._x = np.empty(0) if self._source is not None else check_array(x, "x")
        self._n = len(self._source) if self._source is not None else self._x.shape[0]
        self._labels = from_arrays(y, num_classes, self._n)
        self._batch_size = check_positive_int(batch_size, "batch_size")
        self._alpha = check_alpha(alpha)
        self._shuffle = check_bool(shuffle, "shuffle")
        self._augment = _resolve_augment(augment, datagen)
        self._dominant = check_label_mode(label_mode) == "dominant"
        self._drop_last = check_bool(drop_last, "drop_last")
        self._rng = random_source(random_state)
        if self._drop_last and self._n < self._batch_size:
            msg = (
                f"drop_last=True with {self._n} samples and batch_size={self._batch_size} leaves no batch; "
                "lower batch_size or pass drop_last=False."
            )
            raise ValueError(msg)

    def __len__(self) -> int:
        """Number of batches per epoch."""
        if self._drop_last:
            return self._n // self._batch_size
        return -(-self._n // self._batch_size)

    def __iter__(self) -> Iterator[Any]:
        """One epoch of mixed batches."""
        order = self._rng.permutation(self._n) if self._shuffle else np.arange(self._n)
        for step in range(len(self)):
            first = order[step * self._batch_size : (step + 1) * self._batch_size].astype(np.intp)
            batch = self._batch(first)
            if batch is not None:
                yield batch

    def __call__(self) -> Iterator[Any]:
        """An endless generator of mixed batches, epoch after epoch."""
        while True:
            yield from self

    def __repr__(self) -> str:
        return (
            f"MixupGenerator(samples={self._n}, batch_size={self._batch_size}, alpha={self._alpha}, "
            f"steps_per_epoch={len(self)})"
        )

    def _batch(self, first: np.ndarray) -> Any:
        d = _draw.draw(self._n, 0, self._alpha, self._rng, first=first, dominant=self._dominant)
        if self._source is None and self._augment is None:
            return _pack(_apply.mix_rows(self._x, d), self._labels, d, dominant=self._dominant)
        # Read both sources of every row (decoding images when the source is a folder),
        # augment each one, then mix the two halves: row r of the first half with row r of the second.
        rows = np.concatenate([d.first, d.second])
        if self._source is not None:
            sources, readable = self._source.read(rows)
        else:
            dtype = _apply.float_dtype(self._x.dtype)
            sources, readable = np.take(self._x, rows, axis=0).astype(dtype, copy=False), None
        if self._augment is not None:
            sources = _apply_augment(self._augment, sources)
        b = len(d)
        halves = _draw.Draw(np.arange(b, dtype=np.intp), np.arange(b, 2 * b, dtype=np.intp), d.lam)
        if readable is not None and not readable.all():
            keep = readable[:b] & readable[b:]
            if not keep.any():
                return None
            halves, d = halves.take(keep), d.take(keep)
        return _pack(_apply.mix_rows(sources, halves), self._labels, d, dominant=self._dominant)


def _is_image_folder(x: Any) -> bool:
    """True for a :class:`mixupy.ImageFolder`, asked without importing Pillow when nobody did."""
    images = sys.modules.get("mixupy.images")
    return images is not None and isinstance(x, images.ImageFolder)


def _resolve_augment(augment: Any, datagen: Any) -> Callable[[np.ndarray], Any] | None:
    augment = check_callable(augment, "augment")
    if datagen is None:
        return augment
    if augment is not None:
        msg = "give `augment` or `datagen`, not both: datagen=g is shorthand for an augment calling g."
        raise ValueError(msg)
    if not (callable(getattr(datagen, "random_transform", None)) and callable(getattr(datagen, "standardize", None))):
        msg = (
            "`datagen` must be a Keras ImageDataGenerator (with random_transform and standardize methods); "
            f"got {type(datagen).__name__}. Hint: pass any other per-sample function as augment=..."
        )
        raise TypeError(msg)

    def keras_transform(sample: np.ndarray) -> Any:
        return datagen.standardize(datagen.random_transform(sample))

    return keras_transform


def _apply_augment(augment: Callable[[np.ndarray], Any], sources: np.ndarray) -> np.ndarray:
    """``augment`` applied to each sample, stacked back into one array."""
    out = [np.asarray(augment(sample)) for sample in sources]
    shapes = {a.shape for a in out}
    if len(shapes) > 1:
        msg = f"`augment` must return samples of one shape; it returned shapes {sorted(shapes)}."
        raise ValueError(msg)
    stacked = np.stack(out)
    if stacked.dtype.kind not in "biuf":
        msg = f"`augment` must return numeric samples; it returned dtype {stacked.dtype}."
        raise TypeError(msg)
    return stacked


def mixup_streams(
    first: Iterable[Any],
    second: Iterable[Any],
    *,
    alpha: float = DEFAULT_ALPHA,
    num_classes: int | Sequence[int | None] | dict[Hashable, int | None] | None = None,
    label_mode: str = "mix",
    random_state: int | np.random.Generator | None = None,
) -> Iterator[Any]:
    """Mix two streams of batches row by row: batch k of ``first`` with batch k of ``second``.

    This is the recipe of zipping two independently shuffled loaders of the same
    data (``tf.data.Dataset.zip``, two ``flow_from_directory`` iterators, two
    PyTorch ``DataLoader`` objects): row ``r`` of the mixed batch is
    ``lam[r] * first_row[r] + (1 - lam[r]) * second_row[r]`` with its own
    ``lam[r] ~ Beta(alpha, alpha)``.

    Parameters
    ----------
    first, second : iterable of (x, y) pairs or of x arrays
        The two streams. Each batch is an ``(x, y)`` tuple (``y`` as in
        :func:`mixup_arrays`, multi-task containers included) or an ``x`` array
        alone; both streams must use the same form. Batches are converted with
        ``numpy.asarray``, so CPU tensors work too.
    alpha : float, default 0.2
        Beta(alpha, alpha) parameter, >= 0. The default is the Keras
        ``MixupGenerator`` recipe's, as for every function of this module.
    num_classes : int, or list, tuple or dict of int or None, optional
        Number of classes of integer labels.
    label_mode : {"mix", "dominant"}, default "mix"
        "dominant" folds ``lam`` to ``max(lam, 1 - lam)``: each row of
        ``first`` dominates and keeps its exact label.
    random_state : None, int or numpy.random.Generator, optional
        Seed or generator for ``lam``; the same seed and streams give the same
        batches.

    Yields
    ------
    x or (x, y)
        One mixed batch per pair of batches, as many rows as the batch of
        ``first``. A shorter batch of ``second`` (a ragged last batch) lends its
        rows in turn (row ``r`` pairs with row ``r % len``); extra rows of a longer
        one are left out. Iteration stops when either stream ends, as ``zip`` does.

    Raises
    ------
    TypeError, ValueError
        At the call for bad parameters; while iterating, naming the batch, for
        bad batches (empty, NaN, shapes that differ between the streams).

    Examples
    --------
    >>> import numpy as np
    >>> from mixupy import mixup_streams
    >>> x = np.arange(10, dtype=float).reshape(10, 1)
    >>> y = np.arange(10) % 2
    >>> rng = np.random.default_rng(0)
    >>> def loader():  # a freshly shuffled pass over (x, y), batches of 4, 4 and 2
    ...     order = rng.permutation(10)
    ...     return [(x[order[i : i + 4]], y[order[i : i + 4]]) for i in range(0, 10, 4)]
    >>> batches = list(mixup_streams(loader(), loader(), num_classes=2, random_state=0))
    >>> [xb.shape for xb, yb in batches]
    [(4, 1), (4, 1), (2, 1)]
    >>> bool(all(np.allclose(yb.sum(axis=1), 1) for xb, yb in batches))
    True
    """
    alpha = check_alpha(alpha)
    dominant = check_label_mode(label_mode) == "dominant"
    rng = random_source(random_state)
    # Checked now, not at the first batch; spread over the label arrays once their structure is known.
    check_num_classes_spec(num_classes)
    streams = []
    for name, stream in (("first", first), ("second", second)):
        try:
            streams.append(iter(stream))
        except TypeError:
            msg = f"`{name}` must be an iterable of (x, y) batches; got {type(stream).__name__}."
            raise TypeError(msg) from None
    return _mix_stream_batches(streams[0], streams[1], alpha, num_classes, dominant, rng)


def _mix_stream_batches(
    first: Iterator[Any],
    second: Iterator[Any],
    alpha: float,
    num_classes: Any,
    dominant: bool,
    rng: np.random.Generator,
) -> Iterator[Any]:
    # zip stops at the shorter stream, as tf.data.Dataset.zip does
    for step, (a, b) in enumerate(zip(first, second, strict=False)):
        where = f"batch {step}"
        xa, ya = _split_batch(a, f"first, {where}")
        xb, yb = _split_batch(b, f"second, {where}")
        if (ya is None) != (yb is None):
            msg = f"one stream yields (x, y) pairs and the other x alone, at {where}; both must use the same form."
            raise ValueError(msg)
        if xa.shape[1:] != xb.shape[1:]:
            msg = f"the two streams' x differ in sample shape at {where}: {xa.shape[1:]} against {xb.shape[1:]}."
            raise ValueError(msg)
        n_a, n_b = xa.shape[0], xb.shape[0]
        rows = np.arange(n_a, dtype=np.intp)
        d = _draw.pairs(rows, n_a + rows % n_b, alpha, rng, dominant=dominant)  # side by side, batch b lending rows
        la = from_arrays(ya, num_classes, n_a, f"y of first, {where}")
        lb = from_arrays(yb, num_classes, n_b, f"y of second, {where}")
        labels = la.concat(lb, where) if la is not None and lb is not None else None
        yield _pack(_apply.mix_rows(np.concatenate([xa, xb]), d), labels, d, dominant=dominant)


def _split_batch(batch: Any, where: str) -> tuple[np.ndarray, Any]:
    """``(x, y)`` from a pair, ``(x, None)`` from an array alone; ``x`` validated."""
    if isinstance(batch, (tuple, list)):
        if len(batch) != 2:
            kind = type(batch).__name__
            msg = f"each batch must be an (x, y) pair or an x array; got a {kind} of {len(batch)} at {where}."
            raise ValueError(msg)
        x, y = batch
    else:
        x, y = batch, None
    return check_array(x, f"x of {where}"), y
