"""CutMix: the region draw by hand, the corrected lambda, the box law, and the three public back-ends."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch
from scipy import stats

import mixupy
from mixupy import _draw, cutmix, cutmix_arrays, cutmix_batch, cutmix_pairs, mixup_pairs
from mixupy._apply import region_mask

HAS_CUDA = torch.cuda.is_available()
needs_cuda = pytest.mark.skipif(not HAS_CUDA, reason="needs a CUDA device")
DEVICES = ["cpu", pytest.param("cuda", marks=[needs_cuda, pytest.mark.gpu])]
FLOATS = [torch.float16, torch.bfloat16, torch.float32, torch.float64]


def constant_images(n: int, *spatial: int, channels: int = 1) -> torch.Tensor:
    """Sample ``i`` is filled with ``i + 1``: every value says which source it came from."""
    return (torch.arange(n, dtype=torch.float64) + 1).view(n, 1, *([1] * len(spatial))).expand(n, channels, *spatial)


# --- the draw, by hand ------------------------------------------------------------------------


def test_box_by_hand_numpy_and_torch_agree() -> None:
    # lam 0.75 on 4x4: side sqrt(0.25) * 4 = 2; centre (1, 2): rows [0, 2), columns [1, 3); lam stays 0.75.
    # lam 0.4375: side sqrt(0.5625) * 4 = 3; centre (0, 3): rows [-1, 2) -> [0, 2), columns [2, 5) -> [2, 4):
    # 4 of 16 pixels pasted, lam corrected from 0.4375 to 0.75.
    lam = np.array([0.75, 0.4375, 1.0, 0.0])
    centres = np.array([[1.0, 2.0], [0.0, 3.0], [2.0, 2.0], [1.0, 1.0]])
    box = _draw.box_from(lam, centres, (4, 4))
    np.testing.assert_array_equal(np.stack(box.low, 1), [[0, 1], [0, 2], [2, 2], [0, 0]])
    np.testing.assert_array_equal(np.stack(box.high, 1), [[2, 3], [2, 4], [2, 2], [3, 3]])
    np.testing.assert_array_equal(box.lam, [0.75, 0.75, 1.0, 1 - 9 / 16])
    on_torch = _draw.box_from(torch.tensor(lam), torch.tensor(centres), (4, 4))
    for a, b in zip(box.low + box.high + (box.lam,), on_torch.low + on_torch.high + (on_torch.lam,), strict=True):
        np.testing.assert_array_equal(a, b.numpy())
    mask = region_mask(box, (4, 1, 4, 4), (2, 3), np.arange)
    assert mask.shape == (4, 1, 4, 4)
    expected = np.zeros((4, 4), dtype=bool)
    expected[0:2, 1:3] = True
    np.testing.assert_array_equal(mask[0, 0], expected)
    assert not mask[2].any()


def test_segment_and_column_subset_by_hand() -> None:
    box = _draw.box_from(np.array([0.7]), np.array([[9.0]]), (10,))  # 3 steps from 9 - 1 = 8: [8, 11) -> [8, 10)
    assert (box.low[0][0], box.high[0][0], box.lam[0]) == (8.0, 10.0, 0.8)
    ranks = np.array([[2, 0, 3, 1], [0, 1, 2, 3]])
    cols = _draw.subset_from(np.array([0.5, 0.2]), ranks, 4)  # 2 and 3 of 4 columns taken
    np.testing.assert_array_equal(cols.taken, [[False, True, False, True], [True, True, True, False]])
    np.testing.assert_array_equal(cols.lam, [0.5, 0.25])


@pytest.mark.parametrize("n", [1, 2, 3, 4, 7, 10])
def test_pair_partners_are_pairs_sharing_a_group(n: int) -> None:
    rng = np.random.default_rng(n)
    partner, group, groups = _draw.pair_partners(rng.permutation(n), np.arange(n), np.where)
    assert sorted(partner.tolist()) == list(range(n))
    assert groups == max(1, n // 2)
    assert sorted(set(group.tolist())) == list(range(groups))
    np.testing.assert_array_equal(group[partner], group)  # a partner is in one's own group
    if n > 1:
        assert (partner != np.arange(n)).all()
    if n % 2 == 0:
        np.testing.assert_array_equal(partner[partner], np.arange(n))
    t_partner, t_group, _ = _draw.pair_partners(torch.tensor(rng.permutation(n)), torch.arange(n), torch.where)
    assert torch.equal(t_group[t_partner], t_group)


def segment_pmf(size: int, cut: int) -> dict[int, float]:
    """The documented law of the pasted length: centre uniform over the positions, clipped at both ends."""
    lengths = [min(u - cut // 2 + cut, size) - max(u - cut // 2, 0) for u in range(size)]
    return {length: lengths.count(length) / size for length in set(lengths)}


def law_pvalue(lengths: np.ndarray, size: int, cut: int) -> float:
    """Chi-square p-value of observed lengths against :func:`segment_pmf`; 0 for a length the law never gives."""
    law = segment_pmf(size, cut)
    if not set(np.unique(lengths).tolist()) <= set(law):
        return 0.0
    values = sorted(law)
    observed = [int((lengths == v).sum()) for v in values]
    return float(stats.chisquare(observed, [law[v] * len(lengths) for v in values]).pvalue)


@pytest.mark.parametrize("lam", [0.1, 0.5, 0.64])
def test_pasted_length_follows_the_documented_law(lam: float) -> None:
    size, n = 10, 20000
    cut = int(np.floor(size * (1 - lam)))
    box = _draw.boxes(np.full(n, lam), (size,), np.random.default_rng(0))
    assert law_pvalue((box.high[0] - box.low[0]).astype(int), size, cut) > 1e-3
    # controls, the same test on other laws: a segment kept inside the sample (always `cut` long), and
    # timm's rounding (cut // 2 on each side of the centre, one step short for an odd cut)
    assert law_pvalue(np.full(n, cut), size, cut) < 1e-6
    if cut % 2:
        centres = np.random.default_rng(1).integers(0, size, n)
        timm = np.minimum(centres + cut // 2, size) - np.maximum(centres - cut // 2, 0)
        assert law_pvalue(timm, size, cut) < 1e-6


def reference_lam(rng: np.random.Generator, n: int, size: int, *, clip: bool) -> np.ndarray:
    """The paper's law written out per sample (lam uniform, alpha=1); ``clip=False`` keeps the box inside."""
    out = np.empty(n)
    for i in range(n):
        lam = rng.random()
        cut = int(size * np.sqrt(1 - lam))
        sides = []
        for _ in range(2):
            if clip:
                start = rng.integers(0, size) - cut // 2
                sides.append(min(start + cut, size) - max(start, 0))
            else:
                sides.append(cut)
        out[i] = 1 - sides[0] * sides[1] / size**2
    return out


def test_corrected_lambda_follows_the_papers_law_and_a_control_fails() -> None:
    n, size = 20000, 8
    _, _, _, lam = cutmix_pairs(torch.zeros(n, 1, size, size), torch.arange(n), alpha=1.0, random_state=0)
    ours = np.round(lam.double().numpy() * size**2).astype(int)
    bins = np.linspace(0, size**2 + 1, 12)
    for clip, passes in ((True, True), (False, False)):
        theirs = np.round(reference_lam(np.random.default_rng(1), n, size, clip=clip) * size**2).astype(int)
        table = np.stack([np.histogram(ours, bins)[0], np.histogram(theirs, bins)[0]])
        p = stats.chi2_contingency(table[:, table.sum(axis=0) > 0]).pvalue
        assert (p > 1e-3) if passes else (p < 1e-6), (clip, p)


# --- torch --------------------------------------------------------------------------------------


@pytest.mark.parametrize("per_batch", [False, True])
@pytest.mark.parametrize("shape", [(6, 1, 5, 7), (6, 2, 9), (6, 11), (6, 1, 3, 4, 5)])
def test_lambda_is_the_share_left_in_place(shape: tuple[int, ...], per_batch: bool) -> None:
    x = (
        constant_images(shape[0], *shape[2:])
        if len(shape) > 2
        else (torch.arange(6.0, dtype=torch.float64) + 1)[:, None].expand(shape)
    )
    for seed in range(5):
        xm, _, y_b, lam = cutmix_pairs(x, torch.arange(6), per_batch=per_batch, random_state=seed)
        own = (xm == x).double().flatten(1).mean(dim=1)
        from_partner = (xm == x[y_b]).double().flatten(1).mean(dim=1)
        torch.testing.assert_close(own, lam.double(), rtol=0, atol=1e-12)
        torch.testing.assert_close(own + from_partner, torch.ones(6, dtype=torch.float64))
        if per_batch and len(shape) > 2:  # one box for the batch (clipped alike: the same area)
            assert lam.unique().numel() == 1


def test_the_pasted_region_is_a_box_of_the_drawn_size() -> None:
    # the same seed as mixup_pairs: the same partners and lam; the box's sides are floor(side * sqrt(1 - lam))
    x = constant_images(64, 12, 10)
    _, _, y_b, lam_mix = mixup_pairs(x, torch.arange(64), alpha=1.0, random_state=5)
    xm, _, y_b_cut, lam = cutmix_pairs(x, torch.arange(64), alpha=1.0, random_state=5)
    assert torch.equal(y_b, y_b_cut)
    for i in range(64):
        pasted = (xm[i, 0] != x[i, 0]).numpy()
        rows, cols = np.flatnonzero(pasted.any(axis=1)), np.flatnonzero(pasted.any(axis=0))
        side = np.sqrt(1 - lam_mix[i].double().item())
        assert rows.size <= np.floor(12 * side) and cols.size <= np.floor(10 * side)
        if rows.size:
            assert pasted[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1].all()  # a box, no holes
        assert lam[i].item() == pytest.approx(1 - rows.size * cols.size / 120)


def test_columns_taken_from_the_partner_by_hand() -> None:
    x = (torch.arange(8.0) + 1)[:, None].expand(8, 20)
    _, _, _, lam_mix = mixup_pairs(x, torch.arange(8), random_state=2, alpha=1.0)
    xm, _, _, lam = cutmix_pairs(x, torch.arange(8), random_state=2)
    taken = (xm != x).sum(dim=1)
    assert torch.equal(taken, torch.floor(20 * (1 - lam_mix.double())).long())
    torch.testing.assert_close(lam.double(), 1 - taken.double() / 20)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", FLOATS)
def test_dtype_device_and_shapes_are_kept(device: str, dtype: torch.dtype) -> None:
    x = torch.randn(7, 3, 6, 5, device=device).to(dtype)
    y = torch.randint(0, 4, (7,), device=device).to(torch.uint8)  # any integer width (issue 15's defect)
    xm, ym = cutmix_batch(x, y, num_classes=4, label_smoothing=0.1, random_state=0)
    assert xm.shape == x.shape and xm.dtype == dtype and xm.device == x.device
    assert ym.shape == (7, 4) and ym.dtype == dtype and ym.device == x.device
    tol = {torch.float16: 1e-2, torch.bfloat16: 5e-2}.get(dtype, 1e-6)
    torch.testing.assert_close(ym.float().sum(dim=1), torch.ones(7, device=device), atol=tol, rtol=0)


def test_labels_mix_by_the_corrected_lambda() -> None:
    x = constant_images(5, 6, 6)
    soft = torch.softmax(torch.randn(5, 3, dtype=torch.float64), dim=1)
    xm, ym = cutmix_batch(x, soft, random_state=4)
    xp, _, y_b, lam = cutmix_pairs(x, soft, random_state=4)
    assert torch.equal(xm, xp)
    torch.testing.assert_close(ym, lam[:, None] * soft + (1 - lam[:, None]) * y_b)
    torch.testing.assert_close(ym.sum(dim=1), torch.ones(5, dtype=torch.float64))


def test_inputs_are_never_changed_and_seeds_reproduce() -> None:
    x, y = torch.randn(9, 2, 8, 8), torch.randint(0, 3, (9,))
    x0, y0 = x.clone(), y.clone()
    a = cutmix_batch(x, y, num_classes=3, random_state=11)
    b = cutmix_batch(x, y, num_classes=3, random_state=torch.Generator().manual_seed(11))
    c = cutmix_batch(x, y, num_classes=3, random_state=12)
    assert torch.equal(x, x0) and torch.equal(y, y0)
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert not torch.equal(a[0], c[0])


def test_batch_of_one_is_left_whole() -> None:
    x = torch.randn(1, 3, 4, 4)
    xm, _, _, lam = cutmix_pairs(x, torch.zeros(1), random_state=0)
    assert torch.equal(xm, x) and lam.tolist() == [1.0]


def test_no_value_is_read_on_the_host(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("a tensor value was read on the host")

    x, y = torch.randn(6, 3, 8, 8), torch.rand(6, 4)
    for name in ("item", "tolist", "cpu", "numpy", "__bool__", "__float__", "__int__"):
        monkeypatch.setattr(torch.Tensor, name, forbidden)
    cutmix_batch(x, y, random_state=0)
    cutmix_pairs(x, y, per_batch=True, random_state=0)
    cutmix_pairs(x.flatten(1), y, random_state=0)


@needs_cuda
@pytest.mark.gpu
def test_cuda_cutmix_never_synchronises() -> None:
    x = torch.randn(16, 3, 8, 8, device="cuda")
    y = torch.randint(0, 10, (16,), device="cuda")
    gen = torch.Generator(device="cuda").manual_seed(0)
    torch.cuda.synchronize()
    torch.cuda.set_sync_debug_mode("error")
    try:
        cutmix_batch(x, y, num_classes=10, random_state=gen)
        cutmix_pairs(x, y, per_batch=True, random_state=gen)
    finally:
        torch.cuda.set_sync_debug_mode("default")


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: cutmix_batch(torch.randn(4), torch.randn(4)), ValueError, "`x` must be a batch of samples"),
        (lambda: cutmix_batch(torch.zeros(4, 2, dtype=torch.int64), torch.randn(4, 2)), TypeError, "`x`"),
        (lambda: cutmix_batch(torch.randn(4, 2), torch.randn(3, 2)), ValueError, "`y`"),
        (lambda: cutmix_batch(torch.randn(4, 2), torch.arange(4)), ValueError, "num_classes"),
        (lambda: cutmix_batch(torch.randn(4, 2), torch.randn(4, 2), alpha=-1), ValueError, "`alpha`"),
        (lambda: cutmix_pairs(torch.randn(4, 2), torch.arange(4), per_batch=1), TypeError, "`per_batch`"),
        (lambda: cutmix_pairs(torch.randn(4, 2), torch.arange(4), random_state="s"), TypeError, "`random_state`"),
        (lambda: cutmix_arrays(np.zeros(4)), ValueError, "`x` must be a batch of samples"),
        (lambda: cutmix_arrays(np.zeros((4, 2)), channels_last="yes"), TypeError, "`channels_last`"),
        (lambda: cutmix_arrays(np.full((4, 2), np.nan)), ValueError, "`x` holds"),
        (lambda: cutmix(pd.DataFrame({"y": [0, 1]}), labels="y"), ValueError, "at least one other column"),
        (lambda: cutmix(np.zeros((2, 2))), TypeError, "`data` must be a pandas DataFrame"),
        (lambda: cutmix(pd.DataFrame({"a": [1.0]}), batch_size=0), ValueError, "`batch_size`"),
    ],
)
def test_bad_input(call: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call()  # type: ignore[operator]


# --- NumPy arrays -------------------------------------------------------------------------------


def test_arrays_share_mixup_arrays_draw_and_keep_the_dtype() -> None:
    x = np.repeat((np.arange(10) + 1).astype(np.uint8)[:, None, None, None], 6, axis=1).repeat(6, axis=2)
    xm, ym = cutmix_arrays(x, np.arange(10) % 3, num_classes=3, random_state=7)
    assert xm.dtype == np.uint8 and xm.shape == x.shape and ym.dtype == np.float64
    d = _draw.draw(10, 10, 1.0, np.random.default_rng(7))  # mixup_arrays' draw for the same seed
    kept = (xm == x[d.first]).reshape(10, -1).mean(axis=1)
    assert ((xm == x[d.first]) | (xm == x[d.second])).all()
    hot = np.eye(3)[np.arange(10) % 3]
    np.testing.assert_allclose(ym, kept[:, None] * hot[d.first] + (1 - kept[:, None]) * hot[d.second])


def test_arrays_channels_first_and_batch_size() -> None:
    x = np.arange(5, dtype=np.float32)[:, None, None, None] + np.zeros((5, 3, 4, 4), dtype=np.float32)
    xm = cutmix_arrays(x, batch_size=12, channels_last=False, random_state=0)
    assert xm.shape == (12, 3, 4, 4)
    assert (xm == xm[:, :1]).all()  # the box spans every channel, channels first
    xl = cutmix_arrays(np.moveaxis(x, 1, -1), random_state=0)
    assert (xl == xl[..., :1]).all()  # and channels last


def test_arrays_multi_task_labels() -> None:
    x = np.random.default_rng(0).random((6, 4, 4, 1))
    _, (a, b) = cutmix_arrays(x, [np.eye(6, 2), np.arange(6) % 2], num_classes=[None, 2], random_state=0)
    assert a.shape == (6, 2) and b.shape == (6, 2)
    np.testing.assert_allclose(b.sum(axis=1), 1)


# --- DataFrames ----------------------------------------------------------------------------------


def test_frame_rows_take_columns_from_their_partner() -> None:
    df = pd.DataFrame({f"f{j}": np.arange(8) * 10 + j for j in range(10)} | {"y": list("aabbccdd")})
    out = cutmix(df, labels="y", random_state=3)
    d = _draw.draw(8, 8, 1.0, np.random.default_rng(3))  # mixup(df)'s draw for the same seed
    features = out[[f"f{j}" for j in range(10)]].to_numpy()
    assert (out.dtypes[:10] == np.int64).all()
    from_first = features // 10 == d.first[:, None]
    assert (from_first | (features // 10 == d.second[:, None])).all()
    assert (features % 10 == np.arange(10)).all()  # each value stays in its column
    kept = from_first.mean(axis=1)
    codes = np.arange(8) // 2
    probs = out[["y_a", "y_b", "y_c", "y_d"]].to_numpy()
    np.testing.assert_allclose(probs.sum(axis=1), 1)
    np.testing.assert_allclose(
        probs[np.arange(8), codes[d.first]], kept + (codes[d.first] == codes[d.second]) * (1 - kept)
    )


def test_frame_concat_text_columns_and_one_hot_labels() -> None:
    df = pd.DataFrame(
        {"name": ["ann", "bob", "cy"], "x": [1.5, np.nan, 3.0], "p": [1.0, 0.0, 0.5], "q": [0.0, 1.0, 0.5]}
    )
    out = cutmix(df, concat=True, batch_size=5, labels=["p", "q"], random_state=0)
    assert len(out) == 8 and list(out.columns) == list(df.columns)
    pd.testing.assert_frame_equal(out.iloc[:3], df, check_dtype=True)
    assert out["name"].dtype == df["name"].dtype and set(out["name"]) <= set(df["name"])
    np.testing.assert_allclose(out["p"] + out["q"], 1)
    pd.testing.assert_frame_equal(
        df,
        pd.DataFrame(
            {"name": ["ann", "bob", "cy"], "x": [1.5, np.nan, 3.0], "p": [1.0, 0.0, 0.5], "q": [0.0, 1.0, 0.5]}
        ),
    )  # the input is never changed


def test_frame_reproduces_and_is_registered() -> None:
    df = pd.DataFrame(np.random.default_rng(0).random((30, 6)))
    pd.testing.assert_frame_equal(cutmix(df, random_state=1), cutmix(df, random_state=1))
    assert not cutmix(df, random_state=1).equals(cutmix(df, random_state=2))
    for name in ("cutmix", "cutmix_arrays", "cutmix_batch", "cutmix_pairs"):
        assert getattr(mixupy, name).__module__ == "mixupy.cutpaste"


def test_gradients_flow_through_the_paste() -> None:
    x = torch.randn(4, 1, 6, 6, requires_grad=True)
    xm = cutmix_pairs(x, torch.arange(4), random_state=0)[0]
    xm.sum().backward()
    assert x.grad is not None
    # every value goes to exactly one place of the output: its own, or the partner's pasted box
    assert float(x.grad.sum()) == x.numel()
