"""A batch mixed with a permutation of itself by mixup, CutMix or both, on torch tensors or NumPy arrays.

This is the recipe that :class:`mixupy.Mixup` and :func:`mixupy.cutmix_batch` share. Each sample ``i`` is
mixed with a partner ``p(i)`` of the same batch: mixup interpolates, ``x'[i] = lam x[i] + (1 - lam) x[p(i)]``;
CutMix pastes a region of ``x[p(i)]`` (a box of an image, a segment of a series, a subset of a table's
columns, drawn by :mod:`mixupy._draw`) into ``x[i]`` and corrects ``lam`` to the share left in place. The
weight ``lam`` is drawn once per batch, per pair or per sample (:class:`Plan`). The same code runs on both
kinds of array through a small set of operations (:class:`NumpyOps`, :class:`TorchOps`); on a torch device
every draw is made there, so nothing waits for the host, except the per-batch coin flips (apply at all?
CutMix or mixup?), which are drawn on the host from a NumPy generator and never read the device.

The order of the draws is fixed: the weights (mixup's, then CutMix's), then the partners, then the per-group
coins, then the region. With CutMix alone and ``prob=1`` that is the order of :func:`mixupy.mixup_batch`, so
the same seed gives the same partners and the same weights before correction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np

from mixupy import _draw
from mixupy._apply import mix_rows, region_mask

__all__ = ["NumpyOps", "Plan", "TorchOps", "mix_batch", "region"]


@dataclass(frozen=True)
class Plan:
    """What to do to a batch, validated by the caller.

    ``alpha`` and ``cutmix_alpha`` are the Beta parameters of mixup and CutMix, None turning that method off;
    ``prob`` is the chance to mix at all, ``switch_prob`` the chance to use CutMix when both are on;
    ``mode`` is "batch", "pair" or "elem" (one draw per batch, per pair of partners, per sample).
    ``channels_last`` says where a batch of rank 3 or more keeps its channels.
    """

    alpha: float | None = 1.0
    cutmix_alpha: float | None = None
    prob: float = 1.0
    switch_prob: float = 0.5
    mode: str = "batch"
    channels_last: bool = False


class NumpyOps:
    """The recipe's operations on NumPy arrays, all drawn from one generator."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng

    def where(self, condition: Any, a: Any, b: Any) -> Any:
        return np.where(condition, a, b)

    def coin(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    def lam(self, alpha: float, size: int, like: Any) -> np.ndarray:
        return _draw.sample_lambda(alpha, size, self.rng)

    def uniform(self, size: tuple[int, int]) -> np.ndarray:
        return self.rng.random(size)

    def cycle(self, n: int) -> np.ndarray:
        return _draw.cycle_partners(n, self.rng)

    def pairs(self, n: int) -> tuple[Any, Any, int]:
        return _draw.pair_partners(self.rng.permutation(n).astype(np.intp), np.arange(n, dtype=np.intp), np.where)

    def boxes(self, lam: np.ndarray, sizes: tuple[int, ...]) -> _draw.Box:
        return _draw.boxes(lam, sizes, self.rng)

    def columns(self, lam: np.ndarray, n_columns: int) -> _draw.Columns:
        return _draw.column_subsets(lam, n_columns, self.rng)

    def arange(self, n: int) -> np.ndarray:
        return np.arange(n)

    def weights(self, lam: Any, x: np.ndarray) -> np.ndarray:
        """``lam`` as applied to ``x``: rounded to its dtype, one per sample."""
        return np.broadcast_to(np.asarray(lam).astype(x.dtype), (x.shape[0],)).copy()

    def paste(self, x: np.ndarray, partner: np.ndarray, mask: np.ndarray, base: np.ndarray) -> np.ndarray:
        """``base`` with ``x[partner]`` where ``mask`` holds, written into the gathered rows (no third array)."""
        out = np.take(x, partner, axis=0, mode="clip")  # positions valid by construction
        np.copyto(out, base, where=np.logical_not(mask))
        return out

    def mix(self, x: np.ndarray, partner: np.ndarray, lam: np.ndarray) -> np.ndarray:
        rows = np.arange(x.shape[0], dtype=np.intp)
        return mix_rows(x, _draw.Draw(rows, partner, lam.astype(np.float64)))


class TorchOps:
    """The recipe's operations on torch tensors, drawn on the device by ``gen``; coins from ``host`` (NumPy)."""

    def __init__(self, gen: Any, device: Any, host: np.random.Generator | None = None) -> None:
        import torch

        self.torch, self.gen, self.device, self.host = torch, gen, device, host

    def where(self, condition: Any, a: Any, b: Any) -> Any:
        return self.torch.where(condition, a, b)

    def coin(self, p: float) -> bool:
        if self.host is None:  # pragma: no cover - every caller that flips coins passes a host generator
            msg = "a per-batch coin needs a host generator"
            raise RuntimeError(msg)
        return bool(self.host.random() < p)

    def lam(self, alpha: float, size: int, like: Any) -> Any:
        """As :func:`mixupy.mixup_batch` draws it: float32, or float64 for float64 data and huge alpha."""
        wide = like.dtype == self.torch.float64 or alpha > 1e6
        dtype = self.torch.float64 if wide else self.torch.float32
        return _draw.sample_lambda_torch(alpha, size, self.gen, self.device, dtype)

    def uniform(self, size: tuple[int, int]) -> Any:
        return self.torch.rand(size, generator=self.gen, device=self.device)

    def cycle(self, n: int) -> Any:
        return _draw.cycle_partners_torch(n, self.gen, self.device)

    def pairs(self, n: int) -> tuple[Any, Any, int]:
        order = self.torch.randperm(n, generator=self.gen, device=self.device)
        return _draw.pair_partners(order, self.arange(n), self.torch.where)

    def boxes(self, lam: Any, sizes: tuple[int, ...]) -> _draw.Box:
        return _draw.boxes_torch(lam, sizes, self.gen, self.device)

    def columns(self, lam: Any, n_columns: int) -> _draw.Columns:
        return _draw.column_subsets_torch(lam, n_columns, self.gen, self.device)

    def arange(self, n: int) -> Any:
        return self.torch.arange(n, device=self.device)

    def weights(self, lam: Any, x: Any) -> Any:
        """``lam`` as applied to ``x``: in its dtype, one per sample, on its device (a number made there)."""
        if not isinstance(lam, self.torch.Tensor):
            return self.torch.full((x.shape[0],), lam, dtype=x.dtype, device=x.device)
        return lam.to(x.dtype).expand(x.shape[0]).contiguous()

    def paste(self, x: Any, partner: Any, mask: Any, base: Any) -> Any:
        """``base`` with ``x[partner]`` where ``mask`` holds, written into the gathered rows when no gradient
        is asked for (a third of the memory traffic and no fresh batch; ``out=`` does not differentiate)."""
        out = x[partner]
        if out.requires_grad or base.requires_grad:
            return self.torch.where(mask, out, base)
        return self.torch.where(mask, out, base, out=out)

    def mix(self, x: Any, partner: Any, lam: Any) -> Any:
        from mixupy._apply_torch import mix

        return mix(x, partner, lam)


Ops: TypeAlias = "NumpyOps | TorchOps"


def region(ops: Ops, lam: Any, shape: tuple[int, ...], channels_last: bool) -> tuple[Any, tuple[int, ...]]:
    """The CutMix region of each weight of ``lam`` in a batch of ``shape``, and the batch axes it covers.

    A table ``(n, features)`` gives a subset of its columns; a batch of rank 3 or more a box over every
    axis but the first and the channels' (the last with ``channels_last``, else the second).
    """
    if len(shape) == 2:
        return ops.columns(lam, shape[1]), (1,)
    axes = tuple(range(1, len(shape) - 1)) if channels_last else tuple(range(2, len(shape)))
    return ops.boxes(lam, tuple(shape[a] for a in axes)), axes


def mix_batch(ops: Ops, x: Any, plan: Plan) -> tuple[Any, Any, Any]:
    """Mix ``x`` by ``plan``; returns ``(x_mixed, partner, lam)``, ``lam`` per sample in ``x``'s dtype.

    ``lam`` is the weight of each sample's own label, exactly as applied: 1 for a sample left as it was.
    A batch that is not mixed (a batch of one among them) comes back as ``x`` itself. In "pair" mode both
    samples of a pair share their weight, their coins and their region, as in timm.
    """
    n = x.shape[0]
    if n == 1:  # a sample alone is its own partner: nothing to mix, nothing drawn
        return x, ops.arange(1), ops.weights(1.0, x)
    if plan.mode == "batch":
        return _per_batch(ops, x, plan)
    groups = n if plan.mode == "elem" else max(1, n // 2)
    lam_mix = None if plan.alpha is None else ops.lam(plan.alpha, groups, x)
    lam_cut = None if plan.cutmix_alpha is None else ops.lam(plan.cutmix_alpha, groups, x)
    partner, group = (ops.cycle(n), None) if plan.mode == "elem" else ops.pairs(n)[:2]
    both = lam_mix is not None and lam_cut is not None
    coins = ops.uniform((2, groups)) if plan.prob < 1 or both else None
    apply = coins[0] < plan.prob if coins is not None and plan.prob < 1 else None
    cut = coins[1] < plan.switch_prob if coins is not None and both else None
    box = None if lam_cut is None else region(ops, lam_cut, tuple(x.shape), plan.channels_last)
    if group is not None:  # from pairs to their samples
        lam_mix, apply, cut = (None if a is None else a[group] for a in (lam_mix, apply, cut))
        box = None if box is None else (_take_region(box[0], group), box[1])
    return _per_sample(ops, x, partner, lam_mix, box, (apply, cut))


def _take_region(found: _draw.Box | _draw.Columns, rows: Any) -> _draw.Box | _draw.Columns:
    if isinstance(found, _draw.Columns):
        return _draw.Columns(found.taken[rows], found.lam[rows])
    return _draw.Box(tuple(a[rows] for a in found.low), tuple(a[rows] for a in found.high), found.lam[rows])


def _per_batch(ops: Ops, x: Any, plan: Plan) -> tuple[Any, Any, Any]:
    """One draw for the whole batch; the coins are flipped on the host, so only the chosen method runs."""
    n = x.shape[0]
    apply = plan.prob >= 1 or ops.coin(plan.prob)
    cut = plan.cutmix_alpha is not None and (plan.alpha is None or ops.coin(plan.switch_prob))
    alpha = plan.cutmix_alpha if cut else plan.alpha
    if not apply or alpha is None:
        return x, ops.cycle(n), ops.weights(1.0, x)
    lam = ops.lam(alpha, 1, x)
    partner = ops.cycle(n)
    if not cut:
        weights = ops.weights(lam, x)
        return ops.mix(x, partner, weights), partner, weights
    box, axes = region(ops, lam, tuple(x.shape), plan.channels_last)
    mask = region_mask(box, tuple(x.shape), axes, ops.arange)
    return ops.paste(x, partner, mask, x), partner, ops.weights(box.lam, x)


def _per_sample(
    ops: Ops, x: Any, partner: Any, lam_mix: Any, box: tuple[Any, tuple[int, ...]] | None, coins: tuple[Any, Any]
) -> tuple[Any, Any, Any]:
    """A draw per sample: mixup, CutMix or neither, sample by sample.

    ``lam_mix`` is mixup's weight (None when mixup is off), ``box`` CutMix's region and the axes it covers
    (None when CutMix is off); ``coins`` say whether each sample is mixed at all and whether by CutMix
    (None: every sample, and by the one method that is on).
    """
    apply, cut = coins
    shape = tuple(x.shape)
    lam = ops.weights(1.0 if lam_mix is None else lam_mix, x)
    out = x
    if lam_mix is not None:
        weights = lam if cut is None else ops.where(cut, 1.0, lam)
        weights = weights if apply is None else ops.where(apply, weights, 1.0)
        out = ops.mix(x, partner, ops.weights(weights, x))
    if box is not None:
        found, axes = box
        mask = region_mask(found, shape, axes, ops.arange)
        chosen = cut if apply is None else (apply if cut is None else cut & apply)
        if chosen is not None:
            mask = mask & chosen.reshape((-1,) + (1,) * (mask.ndim - 1))
        cut_lam = ops.weights(found.lam, x)
        lam = cut_lam if cut is None else ops.where(cut, cut_lam, lam)
        out = ops.paste(x, partner, mask, out)
    if apply is not None:
        lam = ops.where(apply, lam, 1.0)
    return out, partner, ops.weights(lam, x)
