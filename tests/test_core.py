"""The NumPy kernel: draws and appliers, with hand-checked numbers."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from mixupy import _core


def test_mix_columns_hand_checked() -> None:
    d = _core.Draw(first=np.array([0, 1]), second=np.array([1, 0]), lam=np.array([0.25, 0.5]))
    out = _core.mix_columns([np.array([2.0, 6.0]), np.array([1, 3])], d, np.dtype(np.float64))
    # row 0: 0.25 * 2 + 0.75 * 6 = 5; row 1: 0.5 * 6 + 0.5 * 2 = 4; ints mixed in float64
    np.testing.assert_array_equal(out, [[5.0, 4.0], [2.5, 2.0]])


def test_mix_columns_keep_originals_and_tiles() -> None:
    d = _core.Draw(
        first=np.array([0, 1, 2, 1]), second=np.array([2, 0, 1, 2]), lam=np.array([1.0, 0.5, 0.0, 0.75]), tiles=1
    )
    out = _core.mix_columns([np.array([0.0, 4.0, 8.0])], d, np.dtype(np.float64), keep_originals=True)
    np.testing.assert_array_equal(out[0], [0.0, 4.0, 8.0, 0.0, 2.0, 4.0, 5.0])


def test_mix_rows_any_rank_and_codes() -> None:
    x = np.arange(2 * 2 * 3, dtype=np.float32).reshape(2, 2, 3)
    d = _core.Draw(first=np.array([0, 1]), second=np.array([1, 1]), lam=np.array([0.5, 1.0]))
    out = _core.mix_rows(x, d)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out[0], (x[0] + x[1]) / 2)
    np.testing.assert_array_equal(out[1], x[1])
    probs = _core.mix_codes(np.array([0, 2]), 3, d)
    np.testing.assert_array_equal(probs, [[0.5, 0.0, 0.5], [0.0, 0.0, 1.0]])


def test_first_sources_cover_every_row_in_order() -> None:
    rng = np.random.default_rng(0)
    first, tiles = _core.draw_first(5, 13, rng)
    assert tiles == 2
    np.testing.assert_array_equal(first[:10], np.tile(np.arange(5), 2))
    rest = first[10:]
    assert len(set(rest.tolist())) == 3
    assert np.all(np.diff(rest) > 0)


@pytest.mark.parametrize("n", [2, 3, 50])
def test_partner_is_never_the_row_itself(n: int) -> None:
    first = np.tile(np.arange(n), 200)
    second = _core.Partners(n).sample(first, np.random.default_rng(1))
    assert np.all(second != first)
    assert second.min() >= 0 and second.max() < n
    # uniform over the other rows: every other row appears as a partner of row 0
    assert set(second[first == 0].tolist()) == set(range(1, n))


def test_partners_within_groups() -> None:
    groups = np.array([0, 1, 0, 1, 1, 2])
    first = np.tile(np.arange(6), 300)
    second = _core.Partners(6, groups).sample(first, np.random.default_rng(2))
    np.testing.assert_array_equal(groups[second], groups[first])
    lone = first == 5  # the only row of group 2 is paired with itself
    assert np.all(second[lone] == 5)
    others = ~lone
    assert np.all(second[others] != first[others])
    assert set(second[first == 1].tolist()) == {3, 4}


def test_single_row_pairs_with_itself_with_weight_one() -> None:
    d = _core.draw(1, 4, 1.0, np.random.default_rng(0))
    np.testing.assert_array_equal(d.second, 0)
    np.testing.assert_array_equal(d.lam, 1.0)  # so the copy is exact, not lam*x + (1-lam)*x


def test_self_paired_rows_are_exact_copies() -> None:
    x = np.array([0.1, 0.7, 1 / 3, 2 / 3])  # values where lam*x + (1-lam)*x can round away from x
    groups = np.array([0, 1, 2, 3])  # every row alone in its class
    d = _core.draw(4, 4000, 0.5, np.random.default_rng(3), groups=groups)
    out = _core.mix_columns([x], d, np.dtype(np.float64))[0]
    np.testing.assert_array_equal(out, x[d.first])


def test_alpha_zero_gives_zero_or_one() -> None:
    lam = _core.sample_lambda(0.0, 2000, np.random.default_rng(3))
    assert set(np.unique(lam).tolist()) == {0.0, 1.0}
    assert 0.4 < lam.mean() < 0.6


def test_tiny_alpha_never_gives_nan() -> None:
    lam = _core.sample_lambda(1e-300, 10_000, np.random.default_rng(4))
    assert np.all(np.isfinite(lam))
    assert lam.min() >= 0 and lam.max() <= 1


def test_dominant_folds_lambda() -> None:
    lam = _core.sample_lambda(0.5, 5000, np.random.default_rng(5), dominant=True)
    assert lam.min() >= 0.5 and lam.max() <= 1.0


def test_draw_is_independent_of_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    size = 3 * _core.DRAW_CHUNK + 17
    threaded = _core.draw(size, size, 2.0, np.random.default_rng(9))
    monkeypatch.setattr(_core, "_PARALLEL_MIN_VALUES", 1 << 62)  # force one thread
    single = _core.draw(size, size, 2.0, np.random.default_rng(9))
    np.testing.assert_array_equal(threaded.second, single.second)
    np.testing.assert_array_equal(threaded.lam, single.lam)


def test_threaded_mix_matches_sequential(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(6)
    columns = [rng.standard_normal(400_000) for _ in range(5)]
    d = _core.draw(400_000, 400_000, 0.4, rng)
    threaded = _core.mix_columns(columns, d, np.dtype(np.float64))
    monkeypatch.setattr(_core, "_PARALLEL_MIN_VALUES", 1 << 62)
    single = _core.mix_columns(columns, d, np.dtype(np.float64))
    np.testing.assert_array_equal(threaded, single)
    expected = d.lam * columns[3][d.first] + (1 - d.lam) * columns[3][d.second]
    np.testing.assert_allclose(threaded[3], expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize("chunk", [1, 3, 7, 10, 64])
def test_column_kernel_any_chunking(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    """Chunks that straddle a full pass, or the random remainder, give the same numbers."""
    monkeypatch.setattr(_core, "MIX_CHUNK", chunk)
    rng = np.random.default_rng(12)
    column = rng.standard_normal(10)
    d = _core.draw(10, 35, 0.7, rng)  # three full passes, then 5 rows of a fourth
    assert d.tiles == 3
    out = _core.mix_columns([column, column.astype(np.float32)], d, np.dtype(np.float64))
    expected = d.lam * column[d.first] + (1 - d.lam) * column[d.second]
    np.testing.assert_array_equal(out[0], expected)


@pytest.mark.parametrize("chunk", [1, 3, 7, 64, 1 << 17])
@pytest.mark.parametrize("n_columns", [1, 2, 9])
def test_rows_shared_between_threads_give_exact_numbers(
    monkeypatch: pytest.MonkeyPatch, chunk: int, n_columns: int
) -> None:
    """Each thread takes half of every column's steps; the result is bit for bit the formula."""
    monkeypatch.setattr(_core, "MIX_CHUNK", chunk)
    monkeypatch.setattr(_core, "_PARALLEL_MIN_VALUES", 1)  # two threads even for this small work
    rng = np.random.default_rng(13)
    columns = [rng.standard_normal(50) for _ in range(n_columns)]
    d = _core.draw(50, 120, 0.5, rng)
    out = _core.mix_columns(columns, d, np.dtype(np.float64))
    for j, column in enumerate(columns):
        np.testing.assert_array_equal(out[j], d.lam * column[d.first] + (1 - d.lam) * column[d.second])


def test_integer_and_bool_columns_are_cast_as_they_are_mixed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Integer and bool columns give the numbers of their float64 copies, at any chunking."""
    monkeypatch.setattr(_core, "MIX_CHUNK", 3)
    rng = np.random.default_rng(14)
    ints = rng.integers(-1000, 1000, size=20)
    flags = rng.integers(0, 2, size=20).astype(bool)
    d = _core.draw(20, 45, 2.0, rng)
    finite: list[bool] = []
    out = _core.mix_columns([ints, flags, ints.astype(np.int8)], d, np.dtype(np.float64), finite=finite)
    assert finite == [True, True, True]
    for j, column in enumerate([ints, flags, ints.astype(np.int8)]):
        as_float = column.astype(np.float64)
        np.testing.assert_array_equal(out[j], d.lam * as_float[d.first] + (1 - d.lam) * as_float[d.second])


@pytest.mark.parametrize("size", [3, 10, 25])
def test_keep_originals_whatever_the_split(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    """The originals are all copied, also when the synthetic rows are fewer than the originals."""
    monkeypatch.setattr(_core, "MIX_CHUNK", 4)  # 1, 3 or 7 steps, shared between two threads
    monkeypatch.setattr(_core, "_PARALLEL_MIN_VALUES", 1)
    rng = np.random.default_rng(21)
    columns = [rng.standard_normal(10) for _ in range(3)]
    d = _core.draw(10, size, 2.0, rng)
    out = _core.mix_columns(columns, d, np.dtype(np.float64), keep_originals=True)
    for j, column in enumerate(columns):
        np.testing.assert_array_equal(out[j, :10], column)
        np.testing.assert_array_equal(out[j, 10:], d.lam * column[d.first] + (1 - d.lam) * column[d.second])


@pytest.mark.parametrize("alpha", [1.0001, 1.5, 4.0, 50.0, 1e4, _core.BB_MAX_ALPHA])
def test_cheng_bb_draws_follow_beta(alpha: float) -> None:
    """Above alpha = 1, lam comes from Cheng's algorithm BB: a KS test against Beta(alpha, alpha)."""
    lam = _core.sample_lambda(alpha, 20_000, np.random.default_rng(31))
    assert lam.shape == (20_000,) and lam.min() > 0 and lam.max() < 1
    assert stats.kstest(lam, stats.beta(alpha, alpha).cdf).pvalue > 1e-3
    # the test has power: a nearby wrong alpha is rejected on the same draws
    assert stats.kstest(lam, stats.beta(alpha * 1.5, alpha * 1.5).cdf).pvalue < 1e-3


def test_cheng_bb_tops_up_when_too_few_are_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch with too few accepted candidates is topped up by further batches, still Beta distributed."""
    monkeypatch.setattr(_core, "_BB_ACCEPTANCE", 1.0)  # first batch: size + 32 candidates, about 9% rejected
    batches: list[int] = []

    class Counting:  # a generator that records how many uniforms each call asks for
        def __init__(self) -> None:
            self.rng = np.random.default_rng(32)

        def random(self, *, out: np.ndarray) -> np.ndarray:
            batches.append(out.shape[0])
            return self.rng.random(out=out)

    lam = _core.beta_symmetric(4.0, 20_000, Counting())  # type: ignore[arg-type]
    assert lam.shape == (20_000,)
    assert len(batches) > 2  # two calls per batch: more than one batch was needed
    assert stats.kstest(lam, stats.beta(4.0, 4.0).cdf).pvalue > 1e-3


def test_alpha_one_is_uniform() -> None:
    lam = _core.sample_lambda(1.0, 20_000, np.random.default_rng(33))
    assert stats.kstest(lam, stats.uniform().cdf).pvalue > 1e-3
    assert stats.kstest(lam, stats.beta(1.5, 1.5).cdf).pvalue < 1e-3


def test_beta_benchmark_runs_quick() -> None:
    """benchmarks/bench_beta.py --quick times both samplers and prints a KS p-value per alpha."""
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, str(root / "benchmarks" / "bench_beta.py"), "--quick", "--repeats", "2"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ") and "ms |" in line]
    assert len(rows) == 5
    assert any("Cheng's BB" in row for row in rows) and any("uniform" in row for row in rows)
    p_values = [float(row.rstrip(" |").rsplit("|", 1)[1]) for row in rows]
    assert min(p_values) > 1e-3


@pytest.mark.parametrize("keep_originals", [True, False])
def test_an_empty_draw_mixes_nothing(keep_originals: bool) -> None:
    empty = np.empty(0, dtype=np.intp)
    d = _core.Draw(first=empty, second=empty, lam=np.empty(0))
    finite: list[bool] = []
    out = _core.mix_columns(
        [np.arange(5.0), np.arange(5)], d, np.dtype(np.float64), keep_originals=keep_originals, finite=finite
    )
    expected = np.array([np.arange(5.0), np.arange(5.0)]) if keep_originals else np.empty((2, 0))
    np.testing.assert_array_equal(out, expected)
    assert out.shape == expected.shape and len(finite) == 2


def test_sample_lambda_checks_out() -> None:
    with pytest.raises(ValueError, match=r"out has shape \(5,\), expected \(4,\)"):
        _core.sample_lambda(4.0, 4, np.random.default_rng(0), out=np.empty(5))


def test_cheng_bb_at_the_ends_of_the_uniforms() -> None:
    """u1 at 0 or just below 1 (where adding 2**-54 rounds up to 1) and u2 at 0: finite draws, no warnings."""

    class Ends:  # a generator whose uniforms sit at the edges of [0, 1)
        def __init__(self) -> None:
            self.calls = 0

        def random(self, *, out: np.ndarray) -> np.ndarray:
            pattern = [0.0, 1.0 - 2.0**-53, 0.3, 0.6] if self.calls % 2 == 0 else [0.0, 0.5, 0.2, 0.0]
            self.calls += 1
            out[:] = np.resize(pattern, out.shape[0])
            return out

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lam = _core.beta_symmetric(3.0, 8, Ends())  # type: ignore[arg-type]
    assert np.all(np.isfinite(lam)) and lam.min() > 0 and lam.max() < 1
