"""Tests for mixupy.tensors: mixup on torch tensors, the mixup loss, and mixup(df, device=...)."""

from __future__ import annotations

import inspect
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import mixupy
from mixupy import MixupLoss, mixup, mixup_arrays, mixup_batch, mixup_loss, mixup_pairs

ROOT = Path(__file__).resolve().parents[1]
HAS_CUDA = torch.cuda.is_available()
needs_cuda = pytest.mark.skipif(not HAS_CUDA, reason="needs a CUDA device")
DEVICES = ["cpu", pytest.param("cuda", marks=[needs_cuda, pytest.mark.gpu])]
FLOATS = [torch.float16, torch.bfloat16, torch.float32, torch.float64]


# --- the mix itself ---------------------------------------------------------------------------


@pytest.mark.parametrize("device", DEVICES)
def test_pairs_follow_the_formula(device: str) -> None:
    x = torch.arange(12.0, device=device).reshape(6, 2) ** 2
    idx = torch.arange(6, device=device)
    xm, y_a, y_b, lam = mixup_pairs(x, idx, alpha=1.0, random_state=3)
    assert y_a is idx
    expected = lam[:, None] * x + (1 - lam[:, None]) * x[y_b]
    torch.testing.assert_close(xm, expected)
    assert sorted(y_b.tolist()) == list(range(6))  # a permutation...
    assert bool((y_b != idx).all())  # ...without fixed points


def test_partners_are_uniform_over_the_others() -> None:
    # a random single cycle gives each sample each other sample as partner with chance 1/(n-1)
    n, rounds = 4, 3000
    gen = torch.Generator().manual_seed(0)
    counts = torch.zeros(n, n)
    x = torch.zeros(n, 1)
    for _ in range(rounds):
        _, _, y_b, _ = mixup_pairs(x, torch.arange(n), random_state=gen)
        counts[torch.arange(n), y_b] += 1
    assert bool((counts.diagonal() == 0).all())
    off = counts[~torch.eye(n, dtype=torch.bool)].numpy()
    assert stats.chisquare(off.reshape(n, n - 1), axis=None).pvalue > 1e-3


@pytest.mark.parametrize("device", DEVICES)
def test_per_sample_and_per_batch_lambda(device: str) -> None:
    x = torch.randn(64, 3, device=device)
    _, _, _, lam = mixup_pairs(x, torch.arange(64, device=device), alpha=1.0, random_state=0)
    assert lam.unique().numel() > 32
    _, _, _, lam_b = mixup_pairs(x, torch.arange(64, device=device), alpha=1.0, per_batch=True, random_state=0)
    assert lam_b.shape == (64,)
    assert lam_b.unique().numel() == 1
    assert lam_b.is_contiguous()


@pytest.mark.parametrize("per_batch", [False, True])
def test_fold_lambda_folds_lambda(per_batch: bool) -> None:
    x = torch.randn(200, 2)
    _, _, _, lam = mixup_pairs(x, torch.arange(200), fold_lambda=True, per_batch=per_batch, random_state=1)
    assert bool((lam >= 0.5).all())
    _, _, _, free = mixup_pairs(x, torch.arange(200), fold_lambda=False, per_batch=per_batch, random_state=1)
    torch.testing.assert_close(lam, torch.maximum(free, 1 - free))


def test_fold_lambda_still_mixes_the_labels() -> None:
    # fastai's trick folds lam but keeps mixing the targets: unlike label_mode="dominant", the label is not exact.
    x, y = torch.arange(6.0).reshape(6, 1), torch.arange(6)
    xm, ym = mixup_batch(x, y, alpha=1.0, num_classes=6, fold_lambda=True, random_state=3)
    own = ym[torch.arange(6), y]
    assert bool((own >= 0.5).all()) and bool((own < 1).all())
    partner = ym.clone()
    partner[torch.arange(6), y] = 0
    torch.testing.assert_close(partner.sum(dim=1), 1 - own)
    torch.testing.assert_close(xm[:, 0], (ym * torch.arange(6.0)).sum(dim=1))


def test_fold_lambda_is_keyword_only_and_dominant_is_gone() -> None:
    x, y = torch.randn(4, 2), torch.randn(4, 2)
    with pytest.raises(TypeError, match="fold_lambda"):
        mixup_batch(x, y, fold_lambda=1, random_state=0)
    for fn in (mixup_batch, mixup_pairs):
        with pytest.raises(TypeError, match="dominant"):
            fn(x, y, dominant=True)
        assert inspect.signature(fn).parameters["fold_lambda"].kind is inspect.Parameter.KEYWORD_ONLY
        assert inspect.signature(fn).parameters["fold_lambda"].default is False


def test_lambda_is_beta_distributed() -> None:
    n, alpha = 20000, 0.4
    _, _, _, lam = mixup_pairs(torch.zeros(n, 1), torch.arange(n), alpha=alpha, random_state=7)
    assert lam.dtype == torch.float32
    assert stats.kstest(lam.numpy(), stats.beta(alpha, alpha).cdf).pvalue > 1e-3


def test_alpha_zero_copies_one_source() -> None:
    x = torch.arange(10.0).reshape(10, 1)
    xm, _, y_b, lam = mixup_pairs(x, torch.arange(10), alpha=0, random_state=2)
    assert set(lam.tolist()) <= {0.0, 1.0}
    torch.testing.assert_close(xm, torch.where(lam[:, None] == 1, x, x[y_b]))


def test_tiny_alpha_never_gives_nan() -> None:
    xm, _, _, lam = mixup_pairs(torch.randn(5000, 2), torch.arange(5000), alpha=1e-3, random_state=0)
    assert bool(torch.isfinite(lam).all())
    assert bool(torch.isfinite(xm).all())


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", FLOATS)
def test_dtypes_are_kept(device: str, dtype: torch.dtype) -> None:
    x = torch.randn(7, 3, 4, device=device).to(dtype)
    y = torch.randint(0, 5, (7,), device=device)
    xm, ym = mixup_batch(x, y, num_classes=5, random_state=0)
    assert xm.dtype == dtype and ym.dtype == dtype
    assert xm.device == x.device and ym.device == x.device
    _, _, y_b, lam = mixup_pairs(x, torch.arange(7, device=device), random_state=0)
    assert lam.dtype == dtype
    reference = lam.float()[:, None, None] * x.float() + (1 - lam.float()[:, None, None]) * x.float()[y_b]
    tol = {torch.float16: 2e-3, torch.bfloat16: 2e-2}.get(dtype, 1e-6)
    torch.testing.assert_close(xm.float(), reference, atol=tol, rtol=tol)


@pytest.mark.parametrize("device", DEVICES)
def test_batch_of_one_is_unchanged(device: str) -> None:
    x = torch.randn(1, 3, 5, 5, device=device)
    y = torch.tensor([2], device=device)
    xm, ym = mixup_batch(x, y, num_classes=4, random_state=0)
    assert xm is not x
    assert torch.equal(xm, x)
    assert torch.equal(ym, torch.tensor([[0.0, 0.0, 1.0, 0.0]], device=device))


@given(n=st.integers(1, 33), alpha=st.floats(0, 5), seed=st.integers(0, 2**31))
@settings(max_examples=40, deadline=None)
def test_any_batch_size_gives_convex_mixes(n: int, alpha: float, seed: int) -> None:
    x = torch.randn(n, 3, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    y = torch.arange(n) % 3
    xm, ym = mixup_batch(x, y, alpha=alpha, num_classes=3, random_state=seed)
    assert xm.shape == x.shape and ym.shape == (n, 3)
    torch.testing.assert_close(ym.sum(dim=1), torch.ones(n, dtype=torch.float64))
    assert bool(((ym >= 0) & (ym <= 1)).all())
    lo, hi = x.min(dim=0).values, x.max(dim=0).values
    assert bool(((xm >= lo - 1e-12) & (xm <= hi + 1e-12)).all())


def test_seed_and_generator_reproduce() -> None:
    x, y = torch.randn(9, 4), torch.randn(9, 2)
    a = mixup_batch(x, y, random_state=5)
    b = mixup_batch(x, y, random_state=5)
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    c = mixup_batch(x, y, random_state=torch.Generator().manual_seed(5))
    assert torch.equal(a[0], c[0])
    gen = torch.Generator().manual_seed(5)
    first, second = mixup_batch(x, y, random_state=gen), mixup_batch(x, y, random_state=gen)
    assert not torch.equal(first[0], second[0])  # the generator advances
    assert not torch.equal(mixup_batch(x, y, random_state=None)[0], mixup_batch(x, y, random_state=None)[0])


def test_numpy_generators_and_seed_sequences_seed_the_torch_draw() -> None:
    x, y = torch.randn(9, 4), torch.randn(9, 2)
    a = mixup_batch(x, y, random_state=np.random.default_rng(5))
    b = mixup_batch(x, y, random_state=np.random.default_rng(5))
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert not torch.equal(a[0], mixup_batch(x, y, random_state=np.random.default_rng(6))[0])
    gen = np.random.default_rng(5)
    first, second = mixup_batch(x, y, random_state=gen), mixup_batch(x, y, random_state=gen)
    assert torch.equal(first[0], a[0])
    assert not torch.equal(first[0], second[0])  # the NumPy generator advanced
    seq = mixup_pairs(x, torch.arange(9), random_state=np.random.SeedSequence(3))
    again = mixup_pairs(x, torch.arange(9), random_state=np.random.SeedSequence(3))
    assert all(torch.equal(p, q) for p, q in zip(seq, again, strict=True))
    assert not torch.equal(seq[3], mixup_pairs(x, torch.arange(9), random_state=np.random.SeedSequence(4))[3])


def test_numpy_functions_accept_a_cpu_torch_generator() -> None:
    df = pd.DataFrame({"x": np.arange(30.0), "y": np.arange(30.0) ** 2})
    on_torch = mixup(df, random_state=torch.Generator().manual_seed(5))
    pd.testing.assert_frame_equal(on_torch, mixup(df, random_state=torch.Generator().manual_seed(5)))
    assert not on_torch.equals(mixup(df, random_state=torch.Generator().manual_seed(6)))
    gen = torch.Generator().manual_seed(5)
    first, second = mixup(df, random_state=gen), mixup(df, random_state=gen)
    pd.testing.assert_frame_equal(first, on_torch)
    assert not first.equals(second)  # the torch generator advanced
    x = df.to_numpy()
    np.testing.assert_array_equal(
        mixup_arrays(x, random_state=torch.Generator().manual_seed(5)),
        mixup_arrays(x, random_state=torch.Generator().manual_seed(5)),
    )


@needs_cuda
@pytest.mark.gpu
def test_numpy_functions_refuse_a_cuda_torch_generator() -> None:
    with pytest.raises(ValueError, match=r"`random_state` is a torch.Generator on cuda"):
        mixup(pd.DataFrame({"x": [1.0, 2.0]}), random_state=torch.Generator(device="cuda"))


def test_global_torch_rng_is_untouched() -> None:
    x, y = torch.randn(8, 2), torch.randint(0, 3, (8,))
    state = torch.get_rng_state()
    mixup_batch(x, y, num_classes=3, random_state=None)
    mixup_pairs(x, torch.arange(8), random_state=1)
    assert torch.equal(torch.get_rng_state(), state)


@pytest.mark.parametrize("device", DEVICES)
def test_inputs_are_not_changed(device: str) -> None:
    x = torch.randn(6, 3, device=device)
    y_int = torch.randint(0, 4, (6,), device=device)
    y_soft = torch.softmax(torch.randn(6, 4, device=device), dim=1)
    saved = x.clone(), y_int.clone(), y_soft.clone()
    for y, kwargs in ((y_int, {"num_classes": 4, "label_smoothing": 0.1}), (y_soft, {})):
        xm, ym = mixup_batch(x, y, random_state=0, **kwargs)
        assert xm is not x and ym is not y
        assert xm.data_ptr() != x.data_ptr()
    mixup_pairs(x, y_int, random_state=0)
    assert torch.equal(x, saved[0]) and torch.equal(y_int, saved[1]) and torch.equal(y_soft, saved[2])


def test_gradients_flow_through_the_mix() -> None:
    x = torch.randn(4, 3, requires_grad=True)
    xm, _, y_b, lam = mixup_pairs(x, torch.arange(4), random_state=0)
    xm.sum().backward()
    assert x.grad is not None
    received = torch.zeros(4).index_add_(0, y_b, 1 - lam.detach())  # weight each row gets as a partner
    torch.testing.assert_close(x.grad, (lam.detach() + received)[:, None].expand(4, 3))


def test_no_value_is_read_on_the_host(monkeypatch: pytest.MonkeyPatch) -> None:
    # Any conversion of a tensor to a Python value (a sync on an accelerator) fails this test.
    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("a tensor value was read on the host")

    x, y_soft, y_int = torch.randn(5, 3), torch.rand(5, 2), torch.tensor([0, 1, 1, 0, 2])
    for name in ("item", "tolist", "cpu", "numpy", "__bool__", "__float__", "__int__"):
        monkeypatch.setattr(torch.Tensor, name, forbidden)
    xm, ym = mixup_batch(x, y_soft, random_state=0)
    xp, y_a, y_b, lam = mixup_pairs(x, y_int, per_batch=True, fold_lambda=True, random_state=0)
    loss = mixup_loss(torch.randn(5, 3), y_a, y_b, lam)
    monkeypatch.undo()
    assert xm.device == x.device and ym.device == x.device and xp.device == x.device
    assert loss.ndim == 0


@needs_cuda
@pytest.mark.gpu
def test_cuda_path_never_synchronises() -> None:
    x = torch.randn(32, 3, 8, 8, device="cuda", dtype=torch.bfloat16)
    y = torch.randint(0, 10, (32,), device="cuda")
    gen = torch.Generator(device="cuda").manual_seed(0)
    torch.cuda.synchronize()
    torch.cuda.set_sync_debug_mode("error")
    try:
        mixup_batch(x, y, num_classes=10, label_smoothing=0.1, random_state=gen)
        mixup_batch(x, y.float()[:, None], random_state=None)
        _, y_a, y_b, lam = mixup_pairs(x, y, random_state=gen)
        mixup_loss(torch.randn(32, 10, device="cuda"), y_a, y_b, lam)
    finally:
        torch.cuda.set_sync_debug_mode("default")


@needs_cuda
@pytest.mark.gpu
def test_cuda_generator_must_match_the_device() -> None:
    with pytest.raises(ValueError, match="random_state"):
        mixup_pairs(torch.randn(4, 2, device="cuda"), torch.arange(4, device="cuda"), random_state=torch.Generator())


# --- targets ----------------------------------------------------------------------------------


def test_integer_labels_become_mixed_one_hot() -> None:
    x = torch.arange(4.0)[:, None]
    y = torch.tensor([0, 1, 2, 0])
    xm, ym = mixup_batch(x, y, alpha=1.0, num_classes=3, random_state=4)
    _, _, y_b, lam = mixup_pairs(x, torch.arange(4), alpha=1.0, random_state=4)  # same seed, same draw
    hot = torch.eye(3)[y]
    torch.testing.assert_close(ym, lam[:, None] * hot + (1 - lam[:, None]) * hot[y_b])
    torch.testing.assert_close(xm[:, 0], lam * x[:, 0] + (1 - lam) * x[y_b, 0])


def test_label_smoothing_by_hand() -> None:
    x = torch.zeros(2, 1)
    y = torch.tensor([0, 3])
    _, ym = mixup_batch(x, y, alpha=1.0, num_classes=4, label_smoothing=0.2, random_state=0)
    _, _, _, lam = mixup_pairs(x, y, alpha=1.0, random_state=0)
    l0, l1 = lam.tolist()
    # smoothed one-hot rows: 0.85 on the class, 0.05 elsewhere; sample 0 pairs with 1 and back
    expected = torch.tensor(
        [
            [0.85 * l0 + 0.05 * (1 - l0), 0.05, 0.05, 0.05 * l0 + 0.85 * (1 - l0)],
            [0.85 * (1 - l1) + 0.05 * l1, 0.05, 0.05, 0.05 * (1 - l1) + 0.85 * l1],
        ]
    )
    torch.testing.assert_close(ym, expected)


@pytest.mark.parametrize("dtype", [torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64])
def test_integer_labels_of_every_width_with_num_classes(dtype: torch.dtype) -> None:
    # issue 15: scatter_ takes int64 indices only, so uint8, int8 and int16 labels raised RuntimeError
    x = torch.arange(4.0)[:, None]
    y = torch.tensor([0, 1, 2, 0]).to(dtype)
    xm, ym = mixup_batch(x, y, alpha=1.0, num_classes=3, label_smoothing=0.1, random_state=4)
    xr, yr = mixup_batch(x, y.long(), alpha=1.0, num_classes=3, label_smoothing=0.1, random_state=4)
    assert torch.equal(xm, xr) and torch.equal(ym, yr)


def test_huge_finite_values_stay_finite() -> None:
    # issue 15: the lerp form a + lam * (b - a) turned finite -1e308 and 1e308 into -inf and inf
    x = torch.tensor([[-1e308], [1e308], [1e308], [-1e308]], dtype=torch.float64)
    for seed in range(5):
        xm, _ = mixup_batch(x, torch.eye(4, 2, dtype=torch.float64), alpha=1.0, random_state=seed)
        assert bool(torch.isfinite(xm).all()) and float(xm.abs().max()) <= 1e308


def test_label_smoothing_is_off_by_default() -> None:
    _, ym = mixup_batch(torch.zeros(3, 1), torch.tensor([0, 1, 2]), alpha=0, num_classes=5, random_state=0)
    assert bool(((ym == 0) | (ym == 1)).all())


def test_soft_targets_of_any_shape_are_mixed() -> None:
    x = torch.randn(5, 2)
    y = torch.rand(5, 3, 2, dtype=torch.float64)
    _, ym = mixup_batch(x, y, random_state=9)
    _, _, y_b, lam = mixup_pairs(x, torch.arange(5), random_state=9)
    assert ym.dtype == torch.float64
    w = lam.double()[:, None, None]
    torch.testing.assert_close(ym, w * y + (1 - w) * y[y_b])


# --- the loss ---------------------------------------------------------------------------------


def hand_losses() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, list[float]]:
    """Logits whose softmax is known, two targets each, and the mixed losses worked out by hand."""
    probs = [[0.5, 0.25, 0.25], [0.1, 0.6, 0.3], [0.2, 0.2, 0.6]]
    output = torch.log(torch.tensor(probs))
    y_a, y_b = torch.tensor([0, 1, 2]), torch.tensor([1, 2, 0])
    lam = torch.tensor([0.75, 0.5, 1.0])
    by_hand = [
        -(0.75 * math.log(0.5) + 0.25 * math.log(0.25)),
        -(0.5 * math.log(0.6) + 0.5 * math.log(0.3)),
        -math.log(0.6),
    ]
    return output, y_a, y_b, lam, by_hand


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_mixup_loss_by_hand(reduction: str) -> None:
    output, y_a, y_b, lam, by_hand = hand_losses()
    loss = mixup_loss(output, y_a, y_b, lam, reduction=reduction)
    expected = {
        "none": torch.tensor(by_hand),
        "mean": torch.tensor(sum(by_hand) / 3),
        "sum": torch.tensor(sum(by_hand)),
    }
    torch.testing.assert_close(loss, expected[reduction])
    module = MixupLoss(reduction=reduction)(output, (y_a, y_b, lam))
    torch.testing.assert_close(module, expected[reduction])


def test_mixup_loss_equals_cross_entropy_on_mixed_targets() -> None:
    x, y = torch.randn(11, 4), torch.randint(0, 6, (11,))
    logits = torch.randn(11, 6)
    _, ym = mixup_batch(x, y, num_classes=6, random_state=3)
    _, y_a, y_b, lam = mixup_pairs(x, y, random_state=3)
    soft = torch.nn.functional.cross_entropy(logits, ym, reduction="none")
    torch.testing.assert_close(mixup_loss(logits, y_a, y_b, lam, reduction="none"), soft)


def test_loss_module_criterion_is_copied_not_changed() -> None:
    output, y_a, y_b, lam, _ = hand_losses()
    weight = torch.tensor([1.0, 2.0, 3.0])
    criterion = torch.nn.NLLLoss(weight=weight)
    loss = mixup_loss(output, y_a, y_b, lam, criterion=criterion, reduction="none")
    assert criterion.reduction == "mean"
    logp = output
    expected = lam * weight[y_a] * -logp[torch.arange(3), y_a] + (1 - lam) * weight[y_b] * -logp[torch.arange(3), y_b]
    torch.testing.assert_close(loss, expected)


def test_loss_of_per_element_criterion() -> None:
    # losses of shape (n, k), e.g. per pixel, are weighted per sample
    output = torch.zeros(2, 3)
    y_a, y_b = torch.ones(2, 3), torch.full((2, 3), 3.0)
    lam = torch.tensor([0.5, 0.25])
    mse = torch.nn.MSELoss()
    loss = mixup_loss(output, y_a, y_b, lam, criterion=mse, reduction="none")
    torch.testing.assert_close(loss, torch.tensor([[5.0] * 3, [0.25 + 0.75 * 9] * 3]))
    torch.testing.assert_close(MixupLoss(mse, reduction="sum")(output, y_a), torch.tensor(6.0))


def test_loss_rejects_reducing_function() -> None:
    output, y_a, y_b, lam, _ = hand_losses()
    with pytest.raises(ValueError, match="one loss per sample"):
        mixup_loss(output, y_a, y_b, lam, criterion=torch.nn.functional.nll_loss)
    with pytest.raises(ValueError, match="reduction"):
        mixup_loss(output, y_a, y_b, lam, reduction="avg")
    with pytest.raises(TypeError, match="criterion"):
        MixupLoss(criterion="cross_entropy")
    with pytest.raises(ValueError, match="triple"):
        MixupLoss()(output, (y_a, y_b))
    with pytest.raises(ValueError, match="lam"):
        mixup_loss(output, y_a, y_b, lam[:2])


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: mixup_batch(np.zeros((3, 2)), torch.zeros(3, 2)), TypeError, "`x` must be a torch.Tensor"),
        (lambda: mixup_batch(torch.zeros(3, 2, dtype=torch.int64), torch.zeros(3, 2)), TypeError, "floating"),
        (lambda: mixup_batch(torch.zeros(0, 2), torch.zeros(0, 2)), ValueError, "at least one sample"),
        (lambda: mixup_batch(torch.tensor(1.0), torch.zeros(1)), ValueError, "at least one sample"),
        (lambda: mixup_batch(torch.zeros(3, 2), torch.zeros(4, 2)), ValueError, "one entry per sample"),
        (lambda: mixup_batch(torch.zeros(3, 2), [0, 1, 2]), TypeError, "`y` must be a torch.Tensor"),
        (lambda: mixup_batch(torch.zeros(3, 2), torch.tensor([0, 1, 2])), ValueError, "num_classes"),
        (lambda: mixup_batch(torch.zeros(3, 2), torch.tensor([0, 1, 3]), num_classes=3), ValueError, "outside"),
        (lambda: mixup_batch(torch.zeros(3, 2), torch.tensor([0, -1, 2]), num_classes=3), ValueError, "outside"),
        (lambda: mixup_batch(torch.zeros(2, 2), torch.tensor([[0], [1]]), num_classes=3), ValueError, "shape"),
        (lambda: mixup_batch(torch.zeros(2, 2), torch.tensor([True, False])), TypeError, "class indices"),
        (lambda: mixup_batch(torch.zeros(2, 2), torch.zeros(2, 4), num_classes=3), ValueError, "num_classes=3"),
        (lambda: mixup_batch(torch.zeros(2, 2), torch.zeros(2, 3), label_smoothing=0.1), ValueError, "integer"),
        (lambda: mixup_batch(torch.zeros(2, 1), torch.tensor([0, 1]), num_classes=0), ValueError, "num_classes"),
        (
            lambda: mixup_batch(torch.zeros(2, 1), torch.tensor([0, 1]), num_classes=2, label_smoothing=1),
            ValueError,
            "label_smoothing",
        ),
        (lambda: mixup_batch(torch.zeros(2, 1), torch.zeros(2, 1), alpha=-1), ValueError, "alpha"),
        (lambda: mixup_batch(torch.zeros(2, 1), torch.zeros(2, 1), per_batch=1), TypeError, "per_batch"),
        (lambda: mixup_batch(torch.zeros(2, 1), torch.zeros(2, 1), random_state=-3), ValueError, "random_state"),
        (lambda: mixup_batch(torch.zeros(2, 1), torch.zeros(2, 1), random_state="seed"), TypeError, "torch.Generator"),
        (lambda: mixup_batch(torch.zeros(2, 1), torch.zeros(2, 1), random_state=1.5), TypeError, "random_state"),
        (lambda: mixup_pairs(torch.zeros(2, 1), torch.zeros(2, 1, device="meta")), ValueError, "device"),
        (lambda: mixup_pairs(torch.zeros(2, 1, dtype=torch.complex64), torch.zeros(2)), TypeError, "floating"),
    ],
)
def test_bad_input(call: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call()  # type: ignore[operator]


# --- tables on torch: mixup(df, device=...) -----------------------------------------------------


def table(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "a": rng.normal(size=n),
            "b": rng.integers(0, 100, size=n),
            "c": rng.normal(size=n).astype(np.float32),
            "d": rng.random(n) > 0.5,
            "h": rng.normal(size=n).astype(np.float16),
            "species": rng.choice(["x", "y", "z"], size=n),
        }
    )


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"concat": True, "batch_size": 250},
        {"labels": "species"},
        {"labels": "species", "within_class": True, "concat": True},
        {"labels": "species", "label_mode": "dominant", "batch_size": 17},
    ],
)
def test_frame_on_torch_agrees_with_numpy(device: str, kwargs: dict[str, object]) -> None:
    df = table(101, 0)
    if "labels" not in kwargs:
        df = df.drop(columns="species")
    on_numpy = mixup(df, alpha=0.7, random_state=11, **kwargs)  # type: ignore[arg-type]
    on_torch = mixup(df, alpha=0.7, random_state=11, device=device, **kwargs)  # type: ignore[arg-type]
    assert type(on_torch) is pd.DataFrame
    assert list(on_torch.columns) == list(on_numpy.columns)
    pd.testing.assert_series_equal(on_torch.dtypes, on_numpy.dtypes)
    for name in on_numpy.columns:
        if on_numpy[name].dtype == np.float16:
            np.testing.assert_allclose(on_torch[name], on_numpy[name], rtol=1e-3, atol=1e-3)
        elif on_numpy[name].dtype == np.float32:
            np.testing.assert_allclose(on_torch[name], on_numpy[name], rtol=1e-6, atol=1e-6)
        else:  # float64 and exact labels: bit for bit
            pd.testing.assert_series_equal(on_torch[name], on_numpy[name], check_exact=True)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("concat", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_frame_on_torch_is_bit_exact_in_blocks_of_columns(
    device: str, concat: bool, dtype: type, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Columns travel to the device in blocks of 2**26 values; a frame that large would take seconds to mix, so
    # the block size is made small instead: the one private name this file touches.
    from mixupy import _apply_torch

    monkeypatch.setattr(_apply_torch, "_BLOCK_VALUES", 200)  # 40 + 130 values a column: one column per block
    rng = np.random.default_rng(1)
    if dtype is np.float64:  # integers and bools are mixed in float64 with the floats
        df = pd.DataFrame(
            {
                "a": rng.normal(size=40),
                "b": rng.integers(0, 9, size=40),
                "c": rng.random(40) > 0.5,
                "d": rng.normal(size=40),
            }
        )
    else:
        df = pd.DataFrame({name: rng.normal(size=40).astype(np.float32) for name in "abcd"})
    want = mixup(df, alpha=0.5, batch_size=130, concat=concat, random_state=1)
    got = mixup(df, alpha=0.5, batch_size=130, concat=concat, random_state=1, device=device)
    assert (got.dtypes == dtype).all() and got.shape == want.shape == (40 * concat + 130, 4)
    pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_frame_device_errors() -> None:
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match="device"):
        mixup(df, device="gpu-please")
    with pytest.raises(TypeError, match="device"):
        mixup(df, device=3)
    with pytest.raises(ValueError, match="CUDA device"):
        mixup(df, device=f"cuda:{torch.cuda.device_count()}")


def test_frame_without_device_does_not_import_torch() -> None:
    code = (
        "import sys, mixupy, pandas as pd; mixupy.mixup(pd.DataFrame({'a': [1.0, 2.0]})); print('torch' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_public_names_are_registered() -> None:
    for name in ("mixup_batch", "mixup_pairs", "mixup_loss", "MixupLoss"):
        assert getattr(mixupy, name).__module__ == "mixupy.tensors"
        assert name in dir(mixupy)


# --- the example --------------------------------------------------------------------------------


def test_digits_example_runs() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    script = ROOT / "examples" / "digits_torch.py"
    out = subprocess.run(
        [sys.executable, str(script), "--quick"], env=env, capture_output=True, text=True, check=True, timeout=300
    )
    assert "no mixup: test accuracy" in out.stdout
    assert "mixup alpha=0.4: test accuracy" in out.stdout


def test_benchmark_runs_quick() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    script = ROOT / "benchmarks" / "bench_tensors.py"
    out = subprocess.run(
        [sys.executable, str(script), "--quick", "--no-docs"], env=env, capture_output=True, text=True, check=True
    )
    assert "| `x.clone()` |" in out.stdout
    assert "| `mixup_pairs(x, y)` |" in out.stdout
