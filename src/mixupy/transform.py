"""``Mixup``: mixup and CutMix in one transform, for a DataLoader's ``collate_fn`` or a training loop.

Built once, called on batches of torch tensors (on any device) or NumPy arrays: mixup and CutMix with
their strengths, the chance to mix at all and to switch to CutMix, one draw per batch, per pair or per
sample, label smoothing, and a switch to turn it off for the last epochs. It is timm's ``Mixup`` with
mixupy's draw (:mod:`mixupy._batch`), its validation and its randomness: no global random state, and a
seed that gives the same batches whatever the number of DataLoader workers.

Each call's generator is spawned from the seed by a key that does not depend on which process makes the
call: ``(epoch, k)`` for the ``k``-th batch of the epoch last given to :meth:`Mixup.set_epoch`. In a
DataLoader worker ``k`` is counted from the worker's id and its own calls (batches go to the workers in
turn), so batch ``k`` gets the same draw with ``num_workers=0`` as with any other number of workers,
forked or spawned.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import numpy as np

from mixupy import _batch
from mixupy._labels import from_arrays, one_hot, tensor_targets
from mixupy._options import random_source
from mixupy._validation import (
    MIX_MODES,
    _show,
    check_alpha,
    check_array,
    check_bool,
    check_choice,
    check_cutmix_shape,
    check_label_smoothing,
    check_num_classes,
    check_probability,
    check_same_batch,
    check_same_length,
    check_seed,
    check_tensor_batch,
)

__all__ = ["Mixup"]


class Mixup:
    """mixup and CutMix for batches, in one object: a DataLoader's ``collate_fn``, or a call in the loop.

    ``mixup(x, y)`` mixes a batch and its targets with a shuffled copy of itself (each sample with
    another one of the batch): by mixup (``x' = lam x + (1 - lam) x[p]``) or by CutMix (a region of
    ``x[p]`` pasted into ``x``, ``lam`` corrected to the area left), as :func:`mixupy.mixup_batch` and
    :func:`mixupy.cutmix_batch` do. ``mixup(samples)``, with the list of ``(x, y)`` samples that a
    DataLoader hands its ``collate_fn``, collates them first (``torch.utils.data.default_collate``).

    Parameters
    ----------
    alpha : float, default 1.0
        mixup's Beta(alpha, alpha) parameter (timm's ``mixup_alpha``, torchvision's ``MixUp(alpha)``);
        0 turns mixup off.
    cutmix_alpha : float, default 0.0
        CutMix's Beta parameter (timm's ``cutmix_alpha``, torchvision's ``CutMix(alpha)``); 0 turns CutMix
        off. The defaults are timm's: mixup alone.
    prob : float, default 1.0
        The chance that a batch (or pair, or sample: see ``mode``) is mixed at all.
    switch_prob : float, default 0.5
        With both methods on, the chance to use CutMix rather than mixup.
    mode : {"batch", "pair", "elem"}, default "batch"
        One draw (``lam``, the coins, the region) for the whole batch, one per pair of partners (the two
        samples of a pair share it), or one per sample. timm's names and default.
    label_smoothing : float, default 0.0
        Integer labels become ``(1 - s) * one_hot + s / num_classes`` before mixing. (timm's default is
        0.1; mixupy smooths only when asked.)
    num_classes : int, optional
        Number of classes; needed for integer labels unless ``pairs``.
    pairs : bool, default False
        Return the targets as ``(y_a, y_b, lam)``, for :class:`mixupy.MixupLoss`, instead of mixed one-hot
        rows; labels stay class indices.
    channels_last : bool, optional
        Where a batch of rank 3 or more keeps its channels, for CutMix's box: None means last for NumPy
        arrays (Keras' ``(n, h, w, c)``), second for tensors (torch's ``(n, c, h, w)``).
    random_state : None, int, numpy.random.SeedSequence or numpy.random.Generator, optional
        The seed every batch's draw is spawned from (a ``Generator`` seeds it from its stream, once). None
        draws one from the operating system, once, so DataLoader workers still share it.

    Attributes
    ----------
    enabled : bool
        Set it to False to pass batches through unmixed (targets encoded as when mixing), e.g. for the
        last epochs (timm's ``mixup_off_epoch``).

    Notes
    -----
    **What the seed guarantees.** Batch ``k`` of epoch ``e`` (after ``set_epoch(e)``) is mixed by a
    generator spawned from the seed by ``(e, k)``, so the same seed, data, sampler order and batch size
    give the same batches with ``num_workers=0`` as with any other number of workers, forked or spawned,
    and on a second run. This needs a map-style dataset, ``in_order=True`` (the default) and
    ``persistent_workers=False`` (persistent workers keep the copy they started with, and with it the
    epoch and ``enabled``): as with ``DistributedSampler.set_epoch``, call ``set_epoch`` before each epoch.
    Without ``set_epoch``, batches still differ from epoch to epoch, but their draw then depends on the
    number of workers. On a device, the batch's generator lives there: CPU and CUDA streams differ.

    Examples
    --------
    >>> import torch
    >>> from mixupy import Mixup
    >>> mixup = Mixup(alpha=0.8, cutmix_alpha=1.0, num_classes=10, random_state=0)
    >>> x, y = torch.rand(8, 3, 32, 32), torch.randint(0, 10, (8,))
    >>> xm, ym = mixup(x, y)
    >>> xm.shape, ym.shape, bool(torch.allclose(ym.sum(dim=1), torch.ones(8)))
    (torch.Size([8, 3, 32, 32]), torch.Size([8, 10]), True)

    As a DataLoader's ``collate_fn``; ``set_epoch`` makes the batches the same for any ``num_workers``:

    >>> loader = torch.utils.data.DataLoader(list(zip(x, y)), batch_size=4, collate_fn=mixup)
    >>> mixup.set_epoch(0)
    >>> [tuple(yb.shape) for xb, yb in loader]
    [(4, 10), (4, 10)]
    >>> mixup.enabled = False  # the last epochs: targets still one-hot, batches unmixed
    >>> bool(torch.equal(next(iter(loader))[0], x[:4]))
    True
    """

    def __init__(
        self,
        *,
        alpha: float = 1.0,
        cutmix_alpha: float = 0.0,
        prob: float = 1.0,
        switch_prob: float = 0.5,
        mode: str = "batch",
        label_smoothing: float = 0.0,
        num_classes: int | None = None,
        pairs: bool = False,
        channels_last: bool | None = None,
        random_state: int | np.random.SeedSequence | np.random.Generator | None = None,
    ) -> None:
        self.alpha = check_alpha(alpha)
        self.cutmix_alpha = check_alpha(cutmix_alpha, "cutmix_alpha")
        self.prob = check_probability(prob, "prob")
        self.switch_prob = check_probability(switch_prob, "switch_prob")
        self.mode = check_choice(mode, "mode", MIX_MODES)
        self.label_smoothing = check_label_smoothing(label_smoothing)
        self.num_classes = check_num_classes(num_classes)
        self.pairs = check_bool(pairs, "pairs")
        self.channels_last = None if channels_last is None else check_bool(channels_last, "channels_last")
        if self.pairs and self.label_smoothing:
            msg = (
                "`label_smoothing` smooths mixed one-hot targets, but pairs=True keeps class indices. "
                "Hint: smooth in the loss instead, MixupLoss(torch.nn.CrossEntropyLoss(label_smoothing=0.1))."
            )
            raise ValueError(msg)
        self._seed = random_source(random_state, "seed_sequence")
        self._enabled = True
        self._epoch: int | None = None
        self._calls = 0  # calls in this process outside DataLoader workers, since the last set_epoch
        self._worker_calls: dict[int, int] = {}  # calls in each DataLoader worker, by the worker's seed

    @property
    def enabled(self) -> bool:
        """Whether batches are mixed; False passes them through, targets encoded as when mixing."""
        return self._enabled

    @enabled.setter
    def enabled(self, value: bool) -> None:
        self._enabled = check_bool(value, "enabled")

    def set_epoch(self, epoch: int) -> None:
        """Number the batches from 0 again, as batches of ``epoch``: call it before each epoch.

        With it, batch ``k`` of an epoch gets the same draw whatever the number of DataLoader workers.
        """
        self._epoch = check_seed(epoch, "epoch")
        self._calls = 0
        self._worker_calls = {}

    def __repr__(self) -> str:
        return (
            f"Mixup(alpha={self.alpha}, cutmix_alpha={self.cutmix_alpha}, prob={self.prob}, "
            f"switch_prob={self.switch_prob}, mode={self.mode!r}, label_smoothing={self.label_smoothing}, "
            f"num_classes={self.num_classes}, pairs={self.pairs}, enabled={self.enabled})"
        )

    def __call__(self, x: Any, y: Any = None) -> Any:
        """Mix a batch ``x`` (and its targets ``y``), or collate and mix a list of ``(x, y)`` samples.

        Returns ``(x_mixed, y_mixed)``, ``(x_mixed, (y_a, y_b, lam))`` with ``pairs``, or ``x_mixed``
        alone when there are no targets, of the kind that came in (torch tensors or NumPy arrays).
        """
        if y is None and isinstance(x, (list, tuple)):
            x, y = _collate(x)
        return self.mix(x, y, self._batch_seed(self._next_key()))

    def mix(self, x: Any, y: Any, seed: np.random.SeedSequence) -> Any:
        """Mix one batch with the draw of ``seed``, as :meth:`__call__` does with the seed of its call."""
        if _is_tensor(x):
            return self._mix_tensors(x, y, seed)
        return self._mix_arrays(x, y, seed)

    def _plan(self, shape: tuple[int, ...], channels_last: bool) -> _batch.Plan:
        if self.cutmix_alpha:
            check_cutmix_shape(shape)
        return _batch.Plan(
            alpha=self.alpha or None,
            cutmix_alpha=self.cutmix_alpha or None,
            prob=self.prob,
            switch_prob=self.switch_prob,
            mode=self.mode,
            channels_last=channels_last,
        )

    def _mix_tensors(self, x: Any, y: Any, seed: np.random.SeedSequence) -> Any:
        import torch

        x = check_tensor_batch(x, "x")
        if y is not None:
            check_same_batch(y, x, "y")
        plan = self._plan(tuple(x.shape), bool(self.channels_last))
        targets = None if y is None or self.pairs else tensor_targets(y, x, self.num_classes, self.label_smoothing)
        host = np.random.default_rng(seed)
        gen = torch.Generator(device=x.device).manual_seed(int(host.integers(0, 2**63)))
        ops = _batch.TorchOps(gen, x.device, host)
        return self._finish(ops, x, y, targets, plan)

    def _mix_arrays(self, x: Any, y: Any, seed: np.random.SeedSequence) -> Any:
        x = check_array(x, "x")
        if x.dtype.kind != "f":
            msg = f"`x` must hold floating values; got dtype {x.dtype}. Hint: x.astype(np.float32)."
            raise TypeError(msg)
        plan = self._plan(x.shape, self.channels_last is not False)
        targets = None
        if y is not None and self.pairs:
            y = check_array(y, "y")
            check_same_length(x.shape[0], y, "y")
        elif y is not None:
            labels = from_arrays(y, self.num_classes, x.shape[0])
            if labels is None or labels.container is not None:
                msg = f"`y` must be one array of labels or targets; got {_show(y)}."
                raise TypeError(msg)
            y = labels.arrays[0]
            targets = self._array_targets(y, labels.num_classes[0], x.dtype)
        return self._finish(_batch.NumpyOps(np.random.default_rng(seed)), x, y, targets, plan)

    def _array_targets(self, y: np.ndarray, k: int | None, dtype: np.dtype) -> np.ndarray:
        if k is not None:
            return one_hot(y, k, dtype, smoothing=self.label_smoothing)
        if self.label_smoothing:
            msg = "`label_smoothing` applies to integer class labels (with num_classes); `y` holds floats."
            raise ValueError(msg)
        return y

    def _finish(self, ops: _batch.Ops, x: Any, y: Any, targets: Any, plan: _batch.Plan) -> Any:
        if self._enabled:
            xm, partner, lam = _batch.mix_batch(ops, x, plan)
        else:
            xm, partner, lam = x, None, ops.weights(1.0, x)
        if y is None:
            return xm
        if self.pairs:
            return xm, (y, y if partner is None else y[partner], lam)
        if xm is x:  # not mixed: the targets as they are, encoded
            return x, targets
        return xm, ops.mix(targets, partner, lam)

    def _next_key(self) -> tuple[int, ...]:
        """The key of this call's generator: (0, epoch, batch) after set_epoch, else per process."""
        info = _worker_info()
        if info is None:
            k, self._calls = self._calls, self._calls + 1
        else:
            local = self._worker_calls.get(info.seed, 0)
            self._worker_calls[info.seed] = local + 1
            k = local * info.num_workers + info.id  # the loader hands batches to its workers in turn
        if self._epoch is not None:
            return (0, self._epoch, k)
        return (1, k) if info is None else (2, abs(int(info.seed) - int(info.id)), k)

    def _batch_seed(self, key: Sequence[int]) -> np.random.SeedSequence:
        return np.random.SeedSequence(self._seed.entropy, spawn_key=(*self._seed.spawn_key, *key))


def _is_tensor(x: Any) -> bool:
    torch: Any = sys.modules.get("torch")
    return torch is not None and isinstance(x, torch.Tensor)


def _worker_info() -> Any:
    """The DataLoader worker this call runs in, or None (asked without importing torch)."""
    if "torch" not in sys.modules:
        return None
    from torch.utils.data import get_worker_info

    return get_worker_info()


def _collate(samples: Sequence[Any]) -> tuple[Any, Any]:
    """``(x, y)`` from the samples a DataLoader gives its ``collate_fn``, collated as torch does."""
    from torch.utils.data import default_collate

    if not samples:
        msg = "`x` is an empty list of samples; a batch needs at least one."
        raise ValueError(msg)
    batch = default_collate(list(samples))
    if isinstance(batch, (list, tuple)) and len(batch) == 2:
        return batch[0], batch[1]
    if isinstance(batch, (list, tuple)):
        msg = f"each sample must be an (x, y) pair or an x alone; got samples of {len(batch)} items."
        raise ValueError(msg)
    return batch, None
