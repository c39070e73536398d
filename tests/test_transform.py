"""mixupy.Mixup: modes, probabilities, switching, turning off, NumPy and torch, and DataLoader workers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from scipy import stats

import mixupy
from mixupy import Mixup, MixupLoss

ROOT = Path(__file__).resolve().parents[1]
HAS_CUDA = torch.cuda.is_available()
needs_cuda = pytest.mark.skipif(not HAS_CUDA, reason="needs a CUDA device")


def constant_images(n: int, size: int = 6) -> torch.Tensor:
    """Sample ``i`` is filled with ``i + 1``, so every value says which source it came from."""
    return (torch.arange(n, dtype=torch.float32) + 1).view(n, 1, 1, 1).expand(n, 2, size, size).contiguous()


def is_cut(xm: torch.Tensor, x: torch.Tensor, partner: torch.Tensor) -> torch.Tensor:
    """Per sample: every value is its own or its partner's (CutMix, or left whole)."""
    return ((xm == x) | (xm == x[partner])).flatten(1).all(dim=1)


def test_batch_mode_draws_once_per_batch() -> None:
    x, y = constant_images(8), torch.arange(8)
    mix = Mixup(alpha=1.0, pairs=True, random_state=0)
    for _ in range(5):
        xm, (y_a, y_b, lam) = mix(x, y)
        assert y_a is y and lam.unique().numel() == 1
        torch.testing.assert_close(xm, lam[:, None, None, None] * x + (1 - lam[:, None, None, None]) * x[y_b])


def test_elem_mode_draws_per_sample_and_mixes_each_by_one_method() -> None:
    x, y = constant_images(64), torch.arange(64)
    mix = Mixup(alpha=1.0, cutmix_alpha=1.0, mode="elem", pairs=True, random_state=1)
    xm, (_, y_b, lam) = mix(x, y)
    assert lam.unique().numel() > 32
    cut = is_cut(xm, x, y_b)
    assert 10 < int(cut.sum()) < 54  # both methods ran, sample by sample
    own = (xm == x).float().flatten(1).mean(dim=1)
    torch.testing.assert_close(own[cut], lam[cut])  # CutMix: lam is the share left in place
    mixed = ~cut
    expected = lam[:, None, None, None] * x + (1 - lam[:, None, None, None]) * x[y_b]
    torch.testing.assert_close(xm[mixed], expected[mixed])


@pytest.mark.parametrize("n", [8, 9])
def test_pair_mode_shares_lambda_and_box_within_a_pair(n: int) -> None:
    x, y = constant_images(n), torch.arange(n)
    mix = Mixup(alpha=0.0, cutmix_alpha=1.0, mode="pair", pairs=True, random_state=2)
    xm, (_, y_b, lam) = mix(x, y)
    partner = y_b
    if n % 2 == 0:
        assert torch.equal(partner[partner], torch.arange(n))
        pasted = xm != x
        for i in range(n):
            assert torch.equal(pasted[i], pasted[partner[i]])  # one box per pair
    group_lam = lam[partner]
    torch.testing.assert_close(lam, group_lam)
    assert bool((partner != torch.arange(n)).all())


def test_prob_and_switch_prob_are_the_chances_they_say() -> None:
    x, y = constant_images(4), torch.arange(4)
    mix = Mixup(alpha=1.0, cutmix_alpha=1.0, prob=0.6, switch_prob=0.25, pairs=True, random_state=3)
    counts = {"none": 0, "cut": 0, "mix": 0}
    rounds = 600
    for _ in range(rounds):
        xm, (_, y_b, _) = mix(x, y)
        if xm is x:
            counts["none"] += 1
        elif bool(is_cut(xm, x, y_b).all()):
            counts["cut"] += 1
        else:
            counts["mix"] += 1
    expected = [0.4 * rounds, 0.6 * 0.25 * rounds, 0.6 * 0.75 * rounds]
    assert stats.chisquare(list(counts.values()), expected).pvalue > 1e-3
    # control: the same counts against swapped chances fail
    assert stats.chisquare(list(counts.values()), [0.6 * rounds, 0.1 * rounds, 0.3 * rounds]).pvalue < 1e-6


def test_elem_mode_prob_leaves_samples_whole() -> None:
    x, y = constant_images(400, 4), torch.arange(400)
    xm, (_, _, lam) = Mixup(alpha=1.0, prob=0.3, mode="elem", pairs=True, random_state=4)(x, y)
    whole = (xm == x).flatten(1).all(dim=1)
    assert torch.equal(whole, lam == 1)
    assert stats.binomtest(int(whole.sum()), 400, 0.7).pvalue > 1e-3


def test_turning_it_off_keeps_the_target_format() -> None:
    x, y = torch.randn(6, 3, 4, 4), torch.randint(0, 5, (6,))
    mix = Mixup(cutmix_alpha=1.0, num_classes=5, label_smoothing=0.1, random_state=0)
    mix.enabled = False
    xm, ym = mix(x, y)
    assert xm is x
    torch.testing.assert_close(ym, torch.full((6, 5), 0.02) + 0.9 * torch.eye(5)[y])
    pairs = Mixup(pairs=True, random_state=0)
    pairs.enabled = False
    xm, (y_a, y_b, lam) = pairs(x, y)
    assert xm is x and torch.equal(y_a, y_b) and lam.tolist() == [1.0] * 6
    assert "enabled=False" in repr(pairs)


def test_label_smoothing_and_mixed_targets_sum_to_one() -> None:
    x, y = torch.randn(32, 3, 8, 8), torch.randint(0, 10, (32,))
    for mode in ("batch", "pair", "elem"):
        mix = Mixup(alpha=0.8, cutmix_alpha=1.0, mode=mode, num_classes=10, label_smoothing=0.1, random_state=5)
        xm, ym = mix(x, y)
        assert xm.shape == x.shape and ym.shape == (32, 10)
        torch.testing.assert_close(ym.sum(dim=1), torch.ones(32))
        assert float(ym.min()) >= 0.01 - 1e-6


def test_numpy_batches_channels_last() -> None:
    rng = np.random.default_rng(0)
    x = rng.random((10, 8, 8, 3), dtype=np.float32)
    y = np.eye(4)[np.arange(10) % 4]
    mix = Mixup(alpha=0.0, cutmix_alpha=1.0, mode="elem", random_state=0)
    xm, ym = mix(x, y)
    assert isinstance(xm, np.ndarray) and xm.dtype == np.float32 and xm.shape == x.shape
    np.testing.assert_allclose(ym.sum(axis=1), 1)
    changed = (xm != x).any(axis=3)  # a box over height and width, all channels alike
    assert ((xm != x) == changed[..., None]).all()
    _xi, yi = Mixup(alpha=0.4, num_classes=4, random_state=0)(x, np.arange(10) % 4)
    assert yi.shape == (10, 4) and yi.dtype == np.float32
    _x_pairs, (_y_a, y_b, lam) = Mixup(alpha=0.4, pairs=True, random_state=0)(x, np.arange(10))
    assert lam.shape == (10,) and y_b.shape == (10,)


def test_reproducible_from_a_seed_and_epochs_differ() -> None:
    x, y = torch.randn(8, 3, 6, 6), torch.randint(0, 3, (8,))
    a, b = (Mixup(alpha=1.0, cutmix_alpha=1.0, mode="elem", num_classes=3, random_state=9) for _ in range(2))
    for epoch in range(2):
        a.set_epoch(epoch)
        b.set_epoch(epoch)
        for _ in range(3):
            (xa, ya), (xb, yb) = a(x, y), b(x, y)
            assert torch.equal(xa, xb) and torch.equal(ya, yb)
    a.set_epoch(0)
    first = a(x, y)[0]
    a.set_epoch(1)
    assert not torch.equal(first, a(x, y)[0])
    assert torch.equal(
        first, Mixup(alpha=1.0, cutmix_alpha=1.0, mode="elem", random_state=9).mix(x, None, a._batch_seed((0, 0, 0)))
    )


def test_no_value_is_read_on_the_host(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("a tensor value was read on the host")

    x, soft, y = torch.randn(7, 3, 8, 8), torch.rand(7, 4), torch.arange(7)
    for name in ("item", "tolist", "cpu", "numpy", "__bool__", "__float__", "__int__"):
        monkeypatch.setattr(torch.Tensor, name, forbidden)
    for mode in ("batch", "pair", "elem"):
        Mixup(alpha=0.8, cutmix_alpha=1.0, prob=0.7, mode=mode, random_state=0)(x, soft)
        Mixup(alpha=0.8, cutmix_alpha=1.0, mode=mode, pairs=True, random_state=0)(x, y)


@needs_cuda
@pytest.mark.gpu
def test_cuda_transform_never_synchronises() -> None:
    x = torch.randn(16, 3, 8, 8, device="cuda")
    y = torch.randint(0, 10, (16,), device="cuda")
    transforms = [
        Mixup(alpha=0.8, cutmix_alpha=1.0, prob=0.7, mode=mode, num_classes=10, random_state=0)
        for mode in ("batch", "pair", "elem")
    ]
    torch.cuda.synchronize()
    torch.cuda.set_sync_debug_mode("error")
    try:
        for mix in transforms:
            xm, ym = mix(x, y)
    finally:
        torch.cuda.set_sync_debug_mode("default")
    assert xm.device == x.device and ym.device == x.device


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"alpha": -1}, ValueError, "`alpha`"),
        ({"cutmix_alpha": "1"}, TypeError, "`cutmix_alpha`"),
        ({"prob": 1.5}, ValueError, "`prob`"),
        ({"switch_prob": None}, TypeError, "`switch_prob`"),
        ({"mode": "sample"}, ValueError, "`mode`"),
        ({"pairs": True, "label_smoothing": 0.1}, ValueError, "`label_smoothing`"),
        ({"channels_last": 1}, TypeError, "`channels_last`"),
        ({"random_state": -1}, ValueError, "`random_state`"),
    ],
)
def test_bad_options(kwargs: dict[str, object], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        Mixup(**kwargs)  # type: ignore[arg-type]


def test_bad_batches() -> None:
    mix = Mixup(cutmix_alpha=1.0, num_classes=3, random_state=0)
    with pytest.raises(TypeError, match="`x`"):
        mix(torch.zeros(4, 3, dtype=torch.int64), torch.arange(4))
    with pytest.raises(TypeError, match="`x` must hold floating"):
        mix(np.zeros((4, 3), dtype=np.int64), np.arange(4))
    with pytest.raises(ValueError, match="`x` must be a batch of samples"):
        mix(torch.zeros(4), torch.arange(4))
    with pytest.raises(ValueError, match="`y`"):
        mix(torch.zeros(4, 3), torch.arange(5))
    with pytest.raises(ValueError, match="empty list of samples"):
        mix([])
    with pytest.raises(ValueError, match="`epoch`"):
        mix.set_epoch(-1)
    with pytest.raises(TypeError, match="`enabled`"):
        mix.enabled = 1  # type: ignore[assignment]


# --- DataLoader workers ---------------------------------------------------------------------------------


def digits_loader(num_workers: int, context: str | None, transform: Mixup) -> torch.utils.data.DataLoader:
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = torch.tensor(digits.images[:256, None] / 16, dtype=torch.float32)
    data = torch.utils.data.TensorDataset(x, torch.tensor(digits.target[:256]))
    return torch.utils.data.DataLoader(
        data,
        batch_size=32,
        shuffle=True,
        generator=torch.Generator().manual_seed(0),
        num_workers=num_workers,
        multiprocessing_context=context,
        collate_fn=transform,
        timeout=120 if num_workers else 0,
    )


def epochs_of_batches(num_workers: int, context: str | None, epochs: int = 2) -> list[list[torch.Tensor]]:
    mix = Mixup(alpha=0.8, cutmix_alpha=1.0, mode="elem", num_classes=10, random_state=0)
    loader = digits_loader(num_workers, context, mix)
    out = []
    for epoch in range(epochs):
        mix.set_epoch(epoch)
        out.append([t for xb, yb in loader for t in (xb, yb)])
    return out


@pytest.mark.parametrize("context", ["fork", "spawn"])
def test_two_workers_give_the_batches_of_none(context: str) -> None:
    single = epochs_of_batches(0, None)
    workers = epochs_of_batches(2, context)
    for a, b in zip(single, workers, strict=True):
        assert len(a) == len(b) == 16
        for ta, tb in zip(a, b, strict=True):
            assert torch.equal(ta, tb)
    assert not torch.equal(single[0][0], single[1][0])  # a new epoch, new draws


def test_training_through_a_dataloader_with_two_workers() -> None:
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(64, 10))
    optimiser = torch.optim.Adam(model.parameters(), lr=0.05)
    mix = Mixup(alpha=0.4, cutmix_alpha=1.0, pairs=True, random_state=0)
    loader = digits_loader(2, "fork", mix)
    loss_fn = MixupLoss()
    losses = []
    for epoch in range(3):
        mix.set_epoch(epoch)
        total = 0.0
        for xb, target in loader:
            loss = loss_fn(model(xb), target)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += float(loss.detach())
        losses.append(total)
    assert losses[-1] < losses[0]


def test_registered_and_benchmark_runs_quick() -> None:
    assert mixupy.Mixup.__module__ == "mixupy.transform"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    script = ROOT / "benchmarks" / "bench_transform.py"
    done = subprocess.run(
        [sys.executable, str(script), "--quick", "--no-docs"], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    for row in ("| `x.clone()` |", "| `Mixup(alpha=1.0)` |", "| `Mixup(cutmix_alpha=1.0)` |", "| loop, mixup |"):
        assert row in done.stdout
    if not HAS_CUDA:
        assert "no CUDA device: the CUDA part was skipped" in done.stdout
