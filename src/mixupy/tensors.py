"""mixup on torch tensors, on any device (extra ``mixupy[torch]``).

A batch is mixed with a shuffled copy of itself, the way fastai does it: one
batch is loaded, not two, and each sample ``i`` is mixed with a partner
``p(i)``::

    x'[i] = lam[i] * x[i] + (1 - lam[i]) * x[p(i)]

``p`` is a random permutation without fixed points (one random cycle), so no
sample is mixed with itself unless the batch holds a single sample. ``lam`` is
drawn per sample (fastai's finding: it trains faster than one ``lam`` per
batch) or, on request, once per batch; ``fold_lambda=True`` folds it to
``max(lam, 1 - lam)`` so each sample dominates its own mix and the pair
``(i, j)`` and ``(j, i)`` can no longer give the same image twice. That is
fastai's trick: the targets are still mixed with the folded ``lam``, unlike
``label_mode="dominant"`` elsewhere in mixupy, which keeps the dominant row's
exact label.

Everything happens on the tensors' device: ``lam`` and the permutation are drawn
there with a ``torch.Generator``, nothing is copied to the host and nothing
waits for the device, so a training loop keeps its queue of kernels full. The
caller's tensors are never changed.

Randomness (``random_state``): None draws a fresh seed from the operating
system, an int seeds a new ``torch.Generator`` on the tensors' device, and a
``torch.Generator`` (on the tensors' device) is used and advanced; a NumPy
``Generator`` or ``SeedSequence`` seeds a new one from its stream, on the
host, so nothing waits for the device. The same
seed on the same kind of device gives the same result; CPU and CUDA streams
differ. The global torch random state is never read or changed.

The draw on the device lives in :mod:`mixupy._draw`, the arithmetic in
:mod:`mixupy._apply_torch` (which also runs ``mixupy.mixup(df, device=...)``),
the targets' one-hot encoding in :mod:`mixupy._labels`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

try:
    import torch
except ModuleNotFoundError as err:  # pragma: no cover - torch is installed wherever the tests run
    msg = "mixupy's tensor functions need PyTorch: pip install 'mixupy[torch]'."
    raise ImportError(msg) from err

from mixupy import _draw
from mixupy._apply_torch import mix
from mixupy._labels import tensor_targets
from mixupy._options import random_source
from mixupy._validation import (
    check_alpha,
    check_bool,
    check_label_smoothing,
    check_num_classes,
    check_reduction,
    check_same_batch,
    check_tensor_batch,
)

__all__ = ["MixupLoss", "mixup_batch", "mixup_loss", "mixup_pairs"]

Criterion = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


# --- the draw, on the device -----------------------------------------------------------------


def _draw_batch(
    x: torch.Tensor, alpha: float, gen: torch.Generator, *, per_batch: bool, fold_lambda: bool
) -> tuple[torch.Tensor, torch.Tensor]:
    """Partners (one cycle) and weights, in ``x``'s dtype with shape ``(n,)``, for a batch ``x``.

    lam is drawn in float32 (in float64 for float64 data, and for alpha above 1e6, where float32 gamma
    variates lose the digits that tell their ratio from 1/2, and past 3e38 overflow), then cast to the data's dtype.
    """
    n = x.shape[0]
    dtype = torch.float64 if x.dtype == torch.float64 or alpha > 1e6 else torch.float32
    lam = _draw.sample_lambda_torch(alpha, 1 if per_batch else n, gen, x.device, dtype, dominant=fold_lambda)
    partner = _draw.cycle_partners_torch(n, gen, x.device)
    return partner, lam.to(x.dtype).expand(n).contiguous()


def _check_common(x: Any, y: Any, alpha: Any, per_batch: Any, fold_lambda: Any) -> tuple[torch.Tensor, float]:
    x = check_tensor_batch(x, "x")
    check_same_batch(y, x, "y")
    check_bool(per_batch, "per_batch")
    check_bool(fold_lambda, "fold_lambda")
    return x, check_alpha(alpha)


# --- public: batches ----------------------------------------------------------------------------


def mixup_batch(
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    alpha: float = 0.4,
    num_classes: int | None = None,
    label_smoothing: float = 0.0,
    per_batch: bool = False,
    fold_lambda: bool = False,
    random_state: int | torch.Generator | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Mix a batch and its targets with a shuffled copy of themselves.

    ``x'[i] = lam[i] * x[i] + (1 - lam[i]) * x[p(i)]`` and the same for the
    targets, where ``p`` pairs every sample with another one of the batch
    (a random permutation without fixed points) and ``lam ~ Beta(alpha, alpha)``.
    Runs entirely on ``x``'s device, without host copies or synchronisation.

    Parameters
    ----------
    x : torch.Tensor, shape (n, ...)
        A batch of any rank (tables, images, sequences) in float16, bfloat16,
        float32 or float64, on any device. Never changed.
    y : torch.Tensor
        Targets for the batch, on ``x``'s device: one-hot or soft targets of
        shape ``(n, ...)`` in a floating dtype (mixed as they are), or integer
        class labels of shape ``(n,)`` with ``num_classes``.
    alpha : float, default 0.4
        Beta(alpha, alpha) parameter, >= 0. ``alpha=0`` mixes nothing. The
        default is fastai's (``MixUpCallback``), whose mix-a-batch-with-itself
        recipe this function follows.
    num_classes : int, optional
        Number of classes; needed when ``y`` holds integer labels.
    label_smoothing : float, default 0.0
        For integer labels: smooth each one-hot row to
        ``(1 - s) * one_hot + s / num_classes`` before mixing.
    per_batch : bool, default False
        Draw one ``lam`` for the whole batch instead of one per sample.
    fold_lambda : bool, default False
        Fold ``lam`` to ``max(lam, 1 - lam)``, so each sample dominates its own
        mix; the targets are still *mixed*, with the folded ``lam``. This is
        fastai's trick, and it differs from ``label_mode="dominant"`` elsewhere
        in mixupy (:func:`mixupy.mixup`, :func:`mixupy.mixup_arrays`), which
        keeps the exact label of the dominant row.
    random_state : None, int or torch.Generator, optional
        A ``torch.Generator`` on ``x``'s device is used and advanced; an int
        seeds a new one, as does a NumPy ``Generator`` (from its stream, on the
        host); None draws a fresh seed. The global torch random state is never
        used.

    Returns
    -------
    x_mixed : torch.Tensor
        Same shape, dtype and device as ``x``; a new tensor.
    y_mixed : torch.Tensor
        Mixed targets: ``y``'s dtype for floating targets, ``x``'s dtype and
        shape ``(n, num_classes)`` for integer labels.

    Raises
    ------
    TypeError
        ``x`` is not a floating tensor, ``y`` is not a tensor of labels or
        targets, or a parameter has the wrong type.
    ValueError
        An empty batch, ``x`` and ``y`` of different lengths or on different
        devices, integer labels without ``num_classes`` or outside the classes
        (on an accelerator this is checked on the device and reported at its
        next synchronisation), a parameter out of range.

    See Also
    --------
    mixup_pairs : the pair form, for losses that take class indices.

    Examples
    --------
    >>> import torch
    >>> from mixupy import mixup_batch
    >>> x = torch.tensor([[0.0, 0.0], [10.0, 10.0]])
    >>> y = torch.tensor([0, 1])
    >>> xm, ym = mixup_batch(x, y, alpha=1.0, num_classes=2, random_state=0)
    >>> xm.shape, ym.shape
    (torch.Size([2, 2]), torch.Size([2, 2]))
    >>> bool(torch.allclose(ym.sum(dim=1), torch.ones(2)))  # mixed labels still sum to 1
    True
    >>> bool(torch.allclose(xm[:, 0] / 10, ym[:, 1]))  # x and y share each sample's lam
    True

    ``fold_lambda=True`` (fastai's trick): each sample's own class weighs at
    least one half, and the label is still a mix, not a one-hot row:

    >>> xm, ym = mixup_batch(x, y, alpha=1.0, num_classes=2, fold_lambda=True, random_state=0)
    >>> own = ym[torch.arange(2), y]
    >>> bool((own >= 0.5).all()), bool((own < 1).all())
    (True, True)
    """
    x, alpha = _check_common(x, y, alpha, per_batch, fold_lambda)
    num_classes = check_num_classes(num_classes)
    smoothing = check_label_smoothing(label_smoothing)
    gen = random_source(random_state, "torch", x.device)
    targets = tensor_targets(y, x, num_classes, smoothing)
    partner, lam = _draw_batch(x, alpha, gen, per_batch=per_batch, fold_lambda=fold_lambda)
    return mix(x, partner, lam), mix(targets, partner, lam)


def mixup_pairs(
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    alpha: float = 0.4,
    per_batch: bool = False,
    fold_lambda: bool = False,
    random_state: int | torch.Generator | None = None,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Mix a batch and return both targets of each mix with its weight (the fastai form).

    Use it with losses that take class indices, such as cross-entropy: the
    loss of a mixed sample is ``lam * loss(out, y_a) + (1 - lam) * loss(out, y_b)``
    (:func:`mixup_loss`), so targets are never one-hot encoded.

    Parameters
    ----------
    x : torch.Tensor, shape (n, ...)
        A floating batch of any rank, on any device. Never changed.
    y : torch.Tensor, shape (n, ...)
        Targets of any dtype (usually integer class labels), on ``x``'s device.
    alpha : float, default 0.4
        As in :func:`mixup_batch`. The default is fastai's, whose pair form
        (``stack_y=True``) this function follows.
    per_batch, random_state
        As in :func:`mixup_batch`.
    fold_lambda : bool, default False
        As in :func:`mixup_batch`: ``lam := max(lam, 1 - lam)`` with both
        targets kept, weighted by the folded ``lam`` (fastai's trick; not
        ``label_mode="dominant"``, which keeps one exact label).

    Returns
    -------
    x_mixed : torch.Tensor
        Same shape, dtype and device as ``x``; a new tensor.
    y_a : torch.Tensor
        ``y`` itself: the target of each sample's own row (weight ``lam``).
    y_b : torch.Tensor
        The target of each sample's partner (weight ``1 - lam``).
    lam : torch.Tensor, shape (n,)
        The weight given to ``x[i]``, in ``x``'s dtype, exactly as applied.

    Raises
    ------
    TypeError, ValueError
        As in :func:`mixup_batch`.

    Examples
    --------
    >>> import torch
    >>> from mixupy import mixup_pairs, mixup_loss
    >>> x = torch.arange(6.0).reshape(3, 2)
    >>> y = torch.tensor([0, 1, 2])
    >>> xm, y_a, y_b, lam = mixup_pairs(x, y, random_state=0)
    >>> bool((y_a != y_b).all())  # every sample has another sample as its partner
    True
    >>> expected = lam[:, None] * x + (1 - lam[:, None]) * x[y_b]
    >>> bool(torch.allclose(xm, expected))
    True
    >>> logits = torch.zeros(3, 3)  # a model that predicts nothing: loss log(3) whatever the target
    >>> round(float(mixup_loss(logits, y_a, y_b, lam)), 4)
    1.0986
    """
    x, alpha = _check_common(x, y, alpha, per_batch, fold_lambda)
    gen = random_source(random_state, "torch", x.device)
    partner, lam = _draw_batch(x, alpha, gen, per_batch=per_batch, fold_lambda=fold_lambda)
    return mix(x, partner, lam), y, y[partner], lam


# --- public: the loss ---------------------------------------------------------------------------


def _per_sample(criterion: Any) -> Criterion:
    """A loss function returning one loss per sample, from ``criterion`` (None: cross-entropy)."""
    if criterion is None:
        return lambda output, target: torch.nn.functional.cross_entropy(output, target, reduction="none")
    if isinstance(criterion, torch.nn.Module) and isinstance(getattr(criterion, "reduction", None), str):
        unreduced = copy.copy(criterion)  # a shallow copy: the caller's module keeps its reduction
        object.__setattr__(unreduced, "reduction", "none")
        return unreduced
    if not callable(criterion):
        msg = (
            "`criterion` must be None, a torch loss module or a callable(output, target); "
            f"got {type(criterion).__name__}."
        )
        raise TypeError(msg)
    return criterion


def _reduce(loss: torch.Tensor, reduction: str) -> torch.Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _sample_losses(fn: Criterion, output: torch.Tensor, target: torch.Tensor, name: str = "target") -> torch.Tensor:
    try:
        loss = fn(output, target)
    except torch.cuda.OutOfMemoryError:
        raise
    except (RuntimeError, IndexError) as error:  # targets the criterion cannot take: say which, in mixupy's terms
        msg = (
            f"`criterion` could not score `output` (shape {tuple(output.shape)}, {output.dtype}) against `{name}` "
            f"(shape {tuple(target.shape)}, {target.dtype}): {str(error).rstrip('.')}. "
            "Hint: cross-entropy takes class indices "
            "0 .. n_classes - 1 as integers, or probabilities of the output's shape."
        )
        raise ValueError(msg) from error
    if not isinstance(loss, torch.Tensor) or loss.ndim == 0 or loss.shape[0] != output.shape[0]:
        shape = tuple(loss.shape) if isinstance(loss, torch.Tensor) else type(loss).__name__
        msg = (
            f"`criterion` must return one loss per sample (shape ({output.shape[0]}, ...)); got {shape}. "
            "Hint: a function must not reduce, e.g. functools.partial(F.nll_loss, reduction='none'); "
            "a loss module with a `reduction` attribute is handled for you."
        )
        raise ValueError(msg)
    return loss


def mixup_loss(
    output: torch.Tensor,
    y_a: torch.Tensor,
    y_b: torch.Tensor,
    lam: torch.Tensor,
    *,
    criterion: Any = None,
    reduction: str = "mean",
) -> torch.Tensor:
    """The loss of a batch from :func:`mixup_pairs`: per-sample losses mixed by ``lam``, then reduced.

    ``loss[i] = lam[i] * criterion(output, y_a)[i] + (1 - lam[i]) * criterion(output, y_b)[i]``,
    which for cross-entropy equals the cross-entropy against the mixed one-hot
    target. Mixing happens per sample, before the reduction, so the result is
    right for per-sample ``lam`` and for every reduction.

    Parameters
    ----------
    output : torch.Tensor, shape (n, ...)
        The model's output for the mixed batch.
    y_a, y_b, lam : torch.Tensor
        As returned by :func:`mixup_pairs`.
    criterion : None, torch.nn.Module or callable, optional
        None is cross-entropy on class indices. A loss module with a
        ``reduction`` attribute (``torch.nn.CrossEntropyLoss(weight=...)``,
        ``torch.nn.NLLLoss()``...) is used on a copy set to
        ``reduction="none"``; the caller's module is not changed. Any other
        callable ``criterion(output, target)`` must return one loss per sample
        (shape ``(n,)`` or ``(n, ...)``).
    reduction : {"mean", "sum", "none"}, default "mean"
        Applied to the mixed per-sample losses: "mean" is their plain mean
        (class weights of the criterion weight each loss, not the mean's
        denominator), "none" returns them.

    Returns
    -------
    torch.Tensor
        A scalar, or the per-sample losses for ``reduction="none"``.

    Examples
    --------
    >>> import math, torch
    >>> from mixupy import mixup_loss
    >>> output = torch.log(torch.tensor([[0.5, 0.5], [0.2, 0.8]]))  # log-probabilities
    >>> y_a, y_b, lam = torch.tensor([0, 1]), torch.tensor([1, 0]), torch.tensor([0.75, 1.0])
    >>> loss = mixup_loss(output, y_a, y_b, lam, criterion=torch.nn.NLLLoss(), reduction="none")
    >>> [round(v, 4) for v in loss.tolist()]
    [0.6931, 0.2231]
    >>> round(-math.log(0.8), 4)
    0.2231
    """
    return _mixed_losses(_per_sample(criterion), output, y_a, y_b, lam, check_reduction(reduction))


def _mixed_losses(
    fn: Criterion, output: torch.Tensor, y_a: torch.Tensor, y_b: torch.Tensor, lam: torch.Tensor, reduction: str
) -> torch.Tensor:
    check_tensor_batch(output, "output")
    for name, t in (("y_a", y_a), ("y_b", y_b), ("lam", lam)):
        check_same_batch(t, output, name)
    loss_a = _sample_losses(fn, output, y_a, "y_a")
    loss_b = _sample_losses(fn, output, y_b, "y_b")
    weight = lam.view((-1,) + (1,) * (loss_a.ndim - 1))
    return _reduce(loss_a * weight + loss_b * (1 - weight), reduction)


class MixupLoss(torch.nn.Module):
    """A loss module for mixup training: pass it ``(y_a, y_b, lam)`` or a plain target.

    ``MixupLoss()(output, (y_a, y_b, lam))`` is :func:`mixup_loss`;
    ``MixupLoss()(output, y)`` is the criterion on unmixed targets (for
    validation), reduced the same way, so one loss object serves training and
    evaluation as fastai's ``MixUpLoss`` does.

    Parameters
    ----------
    criterion : None, torch.nn.Module or callable, optional
        As in :func:`mixup_loss`; None is cross-entropy.
    reduction : {"mean", "sum", "none"}, default "mean"
        How the per-sample losses are reduced.

    Examples
    --------
    >>> import torch
    >>> from mixupy import MixupLoss, mixup_pairs
    >>> loss_fn = MixupLoss()
    >>> x, y = torch.randn(4, 3), torch.tensor([0, 1, 2, 1])
    >>> model = torch.nn.Linear(3, 3)
    >>> xm, y_a, y_b, lam = mixup_pairs(x, y, random_state=0)
    >>> loss = loss_fn(model(xm), (y_a, y_b, lam))  # training
    >>> loss.backward()
    >>> loss_fn(model(x), y).ndim  # validation on plain targets
    0
    """

    def __init__(self, criterion: Any = None, *, reduction: str = "mean") -> None:
        super().__init__()
        self.criterion = criterion
        self.reduction = check_reduction(reduction)
        _per_sample(criterion)  # reject a wrong criterion now, not at the first batch

    def forward(self, output: torch.Tensor, target: Any) -> torch.Tensor:
        fn = _per_sample(self.criterion)
        if isinstance(target, (tuple, list)):
            if len(target) != 3:
                msg = (
                    "`target` must be a tensor or the triple (y_a, y_b, lam); "
                    f"got a {type(target).__name__} of {len(target)}."
                )
                raise ValueError(msg)
            y_a, y_b, lam = target
            return _mixed_losses(fn, output, y_a, y_b, lam, self.reduction)
        check_tensor_batch(output, "output")
        check_same_batch(target, output, "target")
        return _reduce(_sample_losses(fn, output, target), self.reduction)
