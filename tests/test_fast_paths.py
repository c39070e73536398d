"""The fast paths for small frames and the λ sampler for α below 1.

* A frame that is one block of numbers is mixed as one array (``frame._mix_plain``, ``_apply.mix_block``):
  the same frame, bit for bit, as the column-by-column path, which each test forces on the same input.
* The draw's child generators are made directly (``_draw._entropy_words``): the same streams as
  ``SeedSequence(entropy).spawn(n)``.
* λ for 0 < α < 1 comes from Jöhnk's method in log space (``_beta.beta_symmetric_small``): exactly
  Beta(α, α) by KS tests with fixed seeds (and a control that each test can fail), never NaN, in [0, 1].
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from tracing import mixed

from mixupy import _apply, _beta, _draw, frame, mixup
from mixupy._options import MixOptions
from mixupy._validation import numeric_block


def general(monkeypatch: pytest.MonkeyPatch) -> None:
    """Force mixup onto the column-by-column path, as for a frame of several blocks."""
    monkeypatch.setattr(frame, "_plain_block", lambda *args: None)


def values(dtype: str, n: int, k: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return rng.integers(0, 2, (n, k)).astype(bool)
    if dtype.startswith(("int", "uint")):
        return rng.integers(0, 100, (n, k)).astype(dtype)
    return (rng.standard_normal((n, k)) * 10).astype(dtype)


CASES = [
    ("float64", 150, 5, {}),
    ("float64", 1, 1, {}),
    ("float64", 2, 3, {"concat": True}),
    ("float32", 1000, 20, {"alpha": 0.4}),
    ("float16", 40, 3, {"alpha": 1}),
    ("int64", 300, 4, {"batch_size": 1000}),
    ("uint8", 50, 2, {"batch_size": 7, "alpha": 0}),
    ("bool", 64, 3, {"concat": True, "alpha": 0.2}),
    ("float64", 20_000, 5, {"alpha": 4}),  # above BLOCK_MAX_VALUES: the column kernel
    ("float64", 70_000, 3, {"batch_size": 150_000, "concat": True}),  # several draw chunks
    ("int32", 10_000, 7, {"categorical": "auto"}),
]


@pytest.mark.parametrize(("dtype", "n", "k", "options"), CASES)
def test_one_block_frames_mix_as_the_column_path_does_bit_for_bit(
    dtype: str, n: int, k: int, options: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    df = pd.DataFrame(values(dtype, n, k, n + k), columns=[f"c{j}" for j in range(k)])
    assert numeric_block(df) is not None  # the fast path is taken
    before = df.copy()
    fast = mixup(df, random_state=3, **options)
    general(monkeypatch)
    slow = mixup(df, random_state=3, **options)
    pd.testing.assert_frame_equal(fast, slow, check_exact=True)
    assert fast.to_numpy().tobytes() == slow.to_numpy().tobytes()  # bit for bit, signed zeros included
    pd.testing.assert_frame_equal(df, before)  # the caller's frame is untouched


def test_a_frame_of_several_blocks_gives_the_fast_paths_numbers() -> None:
    """The same values as one block and as two (another dtype added, carried by ``keep``): one draw, one mix."""
    x = values("float64", 500, 4, 1)
    one = pd.DataFrame(x, columns=list("abcd"))
    two = one.assign(id=np.arange(500))
    assert numeric_block(one) is not None and numeric_block(two) is None
    fast = mixup(one, alpha=0.4, random_state=5)
    slow = mixup(two, alpha=0.4, random_state=5, keep="id")
    assert fast.to_numpy().tobytes() == slow[list("abcd")].to_numpy().tobytes()


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_the_fast_path_names_missing_and_infinite_values_as_the_column_path_does(
    bad: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    x = values("float64", 100, 3, 2)
    x[7, 1] = bad
    x[9, 2] = bad
    df = pd.DataFrame(x, columns=["a", "b", "c"])
    with pytest.raises(ValueError, match="column 'b'") as fast:
        mixup(df, random_state=0)
    general(monkeypatch)
    with pytest.raises(ValueError, match="column 'b'") as slow:
        mixup(df, random_state=0)
    assert str(fast.value) == str(slow.value)
    assert "'c'" in str(fast.value) and "row 7" in str(fast.value)


def test_the_largest_floats_stay_finite_on_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    for dtype in (np.float64, np.float32, np.float16):
        top = np.finfo(dtype).max
        df = pd.DataFrame({"a": np.array([top, -top, top, top * 0.75], dtype=dtype), "b": np.ones(4, dtype)})
        fast = mixup(df, alpha=0.5, random_state=1, batch_size=64)
        assert np.isfinite(fast.to_numpy()).all()
        with monkeypatch.context() as m:
            general(m)
            assert fast.to_numpy().tobytes() == mixup(df, alpha=0.5, random_state=1, batch_size=64).to_numpy().tobytes()


def test_numeric_block_is_a_view_of_one_block_of_numbers_and_none_otherwise() -> None:
    x = values("float64", 10, 3, 0)
    df = pd.DataFrame(x, columns=["a", "b", "c"])
    block = numeric_block(df)
    assert block is not None and block.shape == (10, 3)
    assert np.shares_memory(block, df["a"].to_numpy())  # no copy
    np.testing.assert_array_equal(block, x)
    assert numeric_block(df.assign(d=np.arange(10))) is None  # two dtypes, two blocks
    assert numeric_block(df.astype("Float64")) is None  # nullable: the column path refuses pd.NA
    assert numeric_block(pd.DataFrame({"t": pd.date_range("2020", periods=3)})) is None  # times: their own role
    assert numeric_block(pd.DataFrame({"z": np.ones(3, dtype=complex)})) is None  # not a real number
    assert numeric_block(pd.DataFrame({"s": ["x", "y"]})) is None
    reordered = df[["c", "a"]]
    got = numeric_block(reordered)
    assert got is None or (got == x[:, [2, 0]]).all()


@pytest.mark.parametrize("n", [1, 7, 300, 65_537])
@pytest.mark.parametrize("keep", [False, True])
def test_mix_block_is_mix_columns_bit_for_bit(n: int, keep: bool) -> None:
    rng = np.random.default_rng(n)
    for dtype in ("float64", "float32", "int16", "bool"):
        block = values(dtype, n, 3, n).T.copy()
        out_dtype = _apply.float_dtype(block.dtype)
        for size in (n, 2 * n + 1, max(1, n // 3)):
            d = _draw.draw(n, size, 0.4, rng)
            finite_a: list[bool] = []
            finite_b: list[bool] = []
            extremes_a: list[tuple[float, float]] = []
            extremes_b: list[tuple[float, float]] = []
            a = _apply.mix_block(block, d, out_dtype, keep_originals=keep, finite=finite_a, extremes=extremes_a)
            b = _apply.mix_columns(list(block), d, out_dtype, keep_originals=keep, finite=finite_b, extremes=extremes_b)
            assert a.dtype == b.dtype and a.shape == b.shape and a.flags.c_contiguous
            assert a.tobytes() == b.tobytes()
            assert finite_a == finite_b == [True] * 3
            assert extremes_a == [(float(c.min()), float(c.max())) for c in block]


def test_the_chunk_generators_are_the_children_of_the_spawned_sequence() -> None:
    for entropy in ([0, 5, 2**32, 2**40 + 3], list(np.random.default_rng(0).integers(0, 2**63, 4))):
        words = _draw._entropy_words(np.array(entropy, dtype=np.int64))
        for k, child in enumerate(np.random.SeedSequence(np.array(entropy, dtype=np.int64)).spawn(3)):
            direct = np.random.SeedSequence(words, spawn_key=(k,))
            assert (direct.generate_state(8) == child.generate_state(8)).all()


def test_the_draws_entropy_is_what_generator_integers_draws() -> None:
    """The draw reads its four seeds as raw words shifted right by one: NumPy's integers(0, 2**63), the same
    values and the same advance of the stream (should NumPy change that method, this says so)."""
    for seed in range(200):
        a, b = np.random.default_rng(seed), np.random.default_rng(seed)
        assert (a.integers(0, 2**63, size=4).astype(np.uint64) == b.bit_generator.random_raw(4) >> np.uint64(1)).all()
        assert a.random() == b.random()


def test_default_pairing_options_are_kept_and_every_other_value_is_checked() -> None:
    options = MixOptions.validate(alpha=0.4)
    same = options.pair_by(None, "random", None, 5)
    assert same == dataclasses.replace(options, target=(), pairing="random", bandwidth=None, k_neighbors=5)
    assert options.pair_by(None, "random", None, 5, name="y").target_name == "y"
    assert options.pair_by(None, "neighbors", None, 3).k_neighbors == 3
    for bad in ({"k_neighbors": 0}, {"k_neighbors": 5.0}, {"pairing": "nearest"}, {"bandwidth": -1.0}):
        arguments: dict[str, Any] = {"target": None, "pairing": "random", "bandwidth": None, "k_neighbors": 5, **bad}
        with pytest.raises((TypeError, ValueError)):
            options.pair_by(**arguments)


# --- λ for 0 < α < 1: Jöhnk's method in log space ------------------------------------------------------------------


def beta_halves_test(lam: np.ndarray, alpha: float) -> float:
    """The smallest p-value of three tests that Beta(α, α) passes whatever the float rounding near 1:
    KS of the lower half (``lam < 1/2``, where floats are fine), KS of ``1 - lam`` over the upper half
    (above 1e-9, where that subtraction is exact enough), and a binomial test of the halves' sizes."""
    law = stats.beta(alpha, alpha)
    lower = lam[lam < 0.5]
    upper = 1.0 - lam[(lam > 0.5) & (lam < 1.0 - 1e-9)]
    cut = law.cdf(1e-9)
    p_lower = stats.kstest(lower, lambda v: law.cdf(v) / 0.5).pvalue
    p_upper = stats.kstest(upper, lambda v: (law.cdf(v) - cut) / (0.5 - cut)).pvalue
    p_halves = stats.binomtest(int(lower.size), int(lam.size - (lam == 0.5).sum()), 0.5).pvalue
    return float(min(p_lower, p_upper, p_halves))


ALPHAS = [0.05, 0.2, 0.4, 0.99, 1.0, 4.0]


@pytest.mark.parametrize("alpha", ALPHAS)
def test_lambda_is_exactly_beta_by_ks_tests(alpha: float) -> None:
    seed = int(alpha * 1000) + 17  # a seed per alpha: one stream would tie the tests of every alpha together
    lam = _draw.sample_lambda(alpha, 300_000, np.random.default_rng(seed))
    assert not np.isnan(lam).any() and lam.min() >= 0.0 and lam.max() <= 1.0
    assert beta_halves_test(lam, alpha) > 1e-3
    if alpha >= 0.2:  # where rounding near 1 is below what a KS test sees, the plain test too
        assert stats.kstest(lam, stats.beta(alpha, alpha).cdf).pvalue > 1e-3
    assert beta_halves_test(lam, alpha * 1.2) < 1e-3  # the control: a 20% wrong alpha fails


@pytest.mark.parametrize("alpha", [0.05, 0.2, 0.4, 0.7, 0.99])
def test_johnk_draws_beta_over_many_batches_and_into_out(alpha: float) -> None:
    out = np.full(100_003, -1.0)
    got = _beta.beta_symmetric_small(alpha, 100_003, np.random.default_rng(2), out=out)
    assert got is out and (out >= 0).all() and (out <= 1).all()
    assert beta_halves_test(out, alpha) > 1e-3
    again = _beta.beta_symmetric_small(alpha, 100_003, np.random.default_rng(2))
    assert again.tobytes() == out.tobytes()  # the seed alone decides


@pytest.mark.parametrize("alpha", [0.05, 0.4, 4.0])
def test_small_draws_are_beta_too(alpha: float) -> None:
    """Fewer than VECTOR_MIN_SIZE weights per call come from Generator.beta: the same law."""
    rng = np.random.default_rng(int(alpha * 100))
    size = _beta.VECTOR_MIN_SIZE - 1
    lam = np.concatenate([_draw.sample_lambda(alpha, size, rng) for _ in range(100)])
    assert beta_halves_test(lam, alpha) > 1e-3
    assert beta_halves_test(lam, alpha * 1.2) < 1e-3


def test_tiny_alpha_gives_weights_near_0_and_1_and_never_nan() -> None:
    with np.errstate(all="raise"):  # no warning either: underflow is expected and silenced inside
        lam = _draw.sample_lambda(1e-3, 200_000, np.random.default_rng(4))
    assert not np.isnan(lam).any() and lam.min() >= 0.0 and lam.max() <= 1.0
    near = (lam < 1e-6) | (lam > 1 - 1e-6)
    assert near.mean() > 0.95  # Beta(0.001, 0.001) puts 98.6% of its mass within 1e-6 of an end
    assert 0.49 < (lam < 0.5).mean() < 0.51  # and half of it at each end
    folded = _draw.sample_lambda(1e-3, 1000, np.random.default_rng(4), dominant=True)
    assert (folded >= 0.5).all()


def test_one_row_per_call_is_drawn_too() -> None:
    for alpha in (1e-6, 0.3, 0.999):
        lam = _beta.beta_symmetric_small(alpha, 1, np.random.default_rng(0))
        assert lam.shape == (1,) and 0.0 <= lam[0] <= 1.0


def test_a_frame_of_one_dtype_in_many_blocks_mixes_as_one_block_does():
    """Frames read from Arrow hold a block per column: mixed column by column, the same numbers, NaN still named."""
    rng = np.random.default_rng(5)
    columns = {f"c{i}": rng.standard_normal(3_000) for i in range(6)}
    split = pd.concat([pd.DataFrame({name: values}) for name, values in columns.items()], axis=1)
    whole = pd.DataFrame(columns)
    assert split._mgr.nblocks == 6 and whole._mgr.nblocks == 1
    for kwargs in ({}, {"concat": True}, {"keep": ["c5"]}):
        pd.testing.assert_frame_equal(mixup(split, random_state=3, **kwargs), mixup(whole, random_state=3, **kwargs))
    columns["c2"][7] = np.nan
    split = pd.concat([pd.DataFrame({name: values}) for name, values in columns.items()], axis=1)
    with pytest.raises(ValueError, match="c2"):
        mixup(split, random_state=3)


@pytest.mark.parametrize("n", [300, 2_000])  # both ways of _apply._moderate
@pytest.mark.parametrize("top", [1.0, 1e200, np.finfo(np.float64).max])
def test_block_and_column_kernels_report_the_same_extremes_and_finiteness(top: float, n: int) -> None:
    """mix_block skips NumPy's error state and the per-column clip for values far from an overflow; what it
    reports (each column's smallest and largest value, finiteness) and mixes must not change either way."""
    block = np.random.default_rng(3).uniform(-1, 1, (4, n)) * top
    d = _draw.draw(n, n, 0.4, np.random.default_rng(3))
    kinds = []
    for mix in (_apply.mix_block, _apply.mix_columns):
        extremes: list[tuple[float, float]] = []
        finite: list[bool] = []
        rows = block if mix is _apply.mix_block else list(block)
        kinds.append((mix(rows, d, np.dtype(np.float64), finite=finite, extremes=extremes), extremes, finite))
    (a, ea, fa), (b, eb, fb) = kinds
    np.testing.assert_array_equal(a, b)
    assert ea == eb == [(float(r.min()), float(r.max())) for r in block]
    assert fa == fb == [True] * 4
    assert np.isfinite(a).all()


@pytest.mark.parametrize("columns", [50, 2_000])  # a dot product up to _apply._DOT_MAX_VALUES, else the extremes
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_the_block_kernels_quick_test_proves_values_moderate_and_never_warns(dtype: type, columns: int) -> None:
    """mix_block skips the error state and the clip when ``_apply._moderate`` proves every value finite and
    within half the largest float: true for moderate values, false for NaN, infinity and values near the
    largest float, with no warning or error under any NumPy error state (``numpy.vdot`` does not read it;
    should that change, this says so)."""
    info = np.finfo(dtype)
    block = (np.random.default_rng(1).standard_normal((3, columns)) * 10).astype(dtype)
    with np.errstate(all="raise"):
        assert _apply._moderate(block) and _apply._moderate(block[:, :0])
        assert _apply._moderate(block.astype(np.int64)) and _apply._moderate(block > 0)
        for bad in (np.nan, np.inf, -np.inf, info.max, -info.max, info.max / 1.5):
            spoiled = block.copy()
            spoiled[1, 17] = bad
            assert not _apply._moderate(spoiled), bad
            assert not _apply._moderate(np.asfortranarray(spoiled)), bad  # not contiguous as rows: same answer
        # what it proves: every value finite and within half the largest float
        edge = np.full((2, columns), np.sqrt(info.max) / (2 * columns), dtype=dtype)
        assert _apply._moderate(edge) and np.abs(edge).max() <= info.max / 2


def reference_mix(x: np.ndarray, alpha: float, seed: int) -> np.ndarray:
    """The documented draw of a frame of n < 2,048 rows, written out: partners from ``integers`` over the other
    rows, then λ from ``Generator.beta``, both from ``default_rng(seed)``; ``a - (1 - λ) * (a - b)``, each step
    rounded once in the frame's dtype (``1 - λ`` taken in float64, then cast: :func:`tracing.mixed`)."""
    rng = np.random.default_rng(seed)
    n = x.shape[0]
    second = rng.integers(0, n - 1, size=n)
    second += second >= np.arange(n)
    lam = rng.beta(alpha, alpha, size=n)
    return mixed(x, x[second], lam, x.dtype)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("alpha", [4.0, 0.4, 2.5])
def test_a_small_plain_frame_is_the_written_out_formula_bit_for_bit(dtype: str, alpha: float) -> None:
    """The small-frame path (one block, default options: ``frame._mix_plain`` and ``_apply.mix_block``) against
    the formula computed here, for an int seed and for the Generator it makes, with and without the originals."""
    x = values(dtype, 150, 5, 8)
    df = pd.DataFrame(x, columns=[f"c{j}" for j in range(5)])
    expected = reference_mix(x, alpha, 11)
    for state in (11, np.random.default_rng(11)):
        got = mixup(df, alpha=alpha, random_state=state)
        assert got.dtypes.tolist() == [np.dtype(dtype)] * 5 and got.index.equals(pd.RangeIndex(150))
        assert got.to_numpy().tobytes() == expected.tobytes()
    both = mixup(df, alpha=alpha, random_state=11, concat=True).to_numpy()
    assert both.tobytes() == np.vstack([x, expected]).tobytes()
