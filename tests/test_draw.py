"""The draw and its application, through the public functions only.

Which two rows each synthetic row mixes, and with what weight ``lam``, is read back from the output itself:

* one-hot *tracer* columns (row ``i`` is 1 in column ``i``) mix into ``lam * e_first + (1 - lam) * e_second``, so
  each synthetic row names its two sources and carries ``lam`` exactly (``lam * 1 + (1 - lam) * 0 == lam``);
* for frames too long for one column per row, *bit* tracers (bit ``b`` of the row number, and its complement)
  give the partner and ``lam`` just as exactly;
* a two-row frame with ``x = [0, 1]`` and ``y = [1, 0]`` holds ``lam`` itself: the first source of row ``r`` is
  ``r % 2`` and its partner the other row, so ``lam`` is ``y`` on even rows and ``x`` on odd ones.

The first sources of a draw with ``batch_size`` a multiple of ``n`` are every row in order, as documented, so in
full passes the orientation (which source has weight ``lam``) is known as well.
"""

from __future__ import annotations

import ctypes
import itertools
import os
import threading
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from tracing import mixed, trace

from mixupy import mixup, mixup_arrays, mixup_streams

N_DRAWS = 20_000


def tracers(n: int) -> pd.DataFrame:
    """One one-hot column per row: column ``row{i}`` is 1 in row ``i``."""
    return pd.DataFrame(np.eye(n), columns=[f"row{i}" for i in range(n)])


def assert_exact_either_way(out: np.ndarray, x: np.ndarray, weights: np.ndarray) -> None:
    """Each row of ``out`` is ``w * x_a + (1 - w) * x_b`` exactly for its two traced sources, one of them first.

    Where the first source is not known (a random subset of the rows), either orientation may be the one.
    """
    rows = np.arange(weights.shape[0])
    assert ((weights > 0).sum(axis=1) <= 2).all()
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=0, atol=1e-15)
    order = np.argsort(-weights, axis=1, kind="stable")
    a, b = order[:, 0], order[:, 1]
    wa, wb = weights[rows, a], weights[rows, b]
    b = np.where(wb > 0, b, a)
    one_way, other_way = expected_column(x, a, b, wa), expected_column(x, b, a, wb)
    np.testing.assert_array_equal((out == one_way) | (out == other_way), True)


def mixed_columns(n: int, seed: int) -> pd.DataFrame:
    """A float64, a float32, an int64, an int8 and a bool column."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "f64": rng.standard_normal(n),
            "f32": rng.standard_normal(n).astype(np.float32),
            "i64": rng.integers(-(10**6), 10**6, size=n),
            "i8": rng.integers(-100, 100, size=n).astype(np.int8),
            "flag": rng.random(n) > 0.5,
        }
    )


def expected_column(x: np.ndarray, first: np.ndarray, second: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """``lam * x[first] + (1 - lam) * x[second]`` as the documented rule computes it (:func:`tracing.mixed`).

    Float32 stays float32 (``1 - lam`` rounded to float32 from float64); integers and bools are mixed in float64.
    A traced ``lam`` (a tracer's ``1 - (1 - lam)``) gives back the very ``1 - lam`` the kernel used.
    """
    return mixed(x[first], x[second], lam, np.float32 if x.dtype == np.float32 else np.float64)


# --- the mix: x_first - (1 - lam) * (x_first - x_second), bit for bit ---------------------------------------


@pytest.mark.parametrize("alpha", [0.4, 1.0, 4.0])
def test_every_column_is_the_documented_mix_bit_for_bit(alpha: float) -> None:
    n, passes = 6, 3
    data = mixed_columns(n, 0)
    out = mixup(pd.concat([data, tracers(n)], axis=1), alpha=alpha, batch_size=passes * n, random_state=1)
    first = np.tile(np.arange(n), passes)  # every row in order, once per pass
    second, lam = trace(out[tracers(n).columns].to_numpy(), first)
    assert (second != first).all()
    assert ((lam > 0) & (lam < 1)).all()
    for name in data.columns:
        assert out[name].dtype == (np.float32 if name == "f32" else np.float64)
        np.testing.assert_array_equal(out[name], expected_column(data[name].to_numpy(), first, second, lam))


def test_two_rows_by_hand() -> None:
    # Row 0 mixes row 0 with row 1, row 1 mixes row 1 with row 0: x = 2 lam + 6 (1 - lam) on row 0.
    df = pd.DataFrame({"x": [2.0, 6.0], "n": [1, 3], "a": [1.0, 0.0], "b": [0.0, 1.0]})
    out = mixup(df, alpha=1, random_state=0)
    lam = np.array([out["a"][0], out["b"][1]])
    np.testing.assert_array_equal(out["x"], [lam[0] * 2 + (1 - lam[0]) * 6, lam[1] * 6 + (1 - lam[1]) * 2])
    np.testing.assert_array_equal(out["n"], [lam[0] * 1 + (1 - lam[0]) * 3, lam[1] * 3 + (1 - lam[1]) * 1])
    np.testing.assert_array_equal(out[["a", "b"]].sum(axis=1), 1.0)


@pytest.mark.parametrize("size", [3, 10, 25])
def test_concat_copies_the_originals_then_mixes(size: int) -> None:
    """The originals come first, unchanged, also when the synthetic rows are fewer than the originals."""
    n = 10
    data = mixed_columns(n, 2)
    out = mixup(pd.concat([data, tracers(n)], axis=1), alpha=2.0, concat=True, batch_size=size, random_state=3)
    assert len(out) == n + size
    weights = out[tracers(n).columns].to_numpy()
    np.testing.assert_array_equal(weights[:n], np.eye(n))
    for name in data.columns:
        x = data[name].to_numpy()
        np.testing.assert_array_equal(out[name][:n], x)
        assert_exact_either_way(out[name][n:].to_numpy(), x, weights[n:])


def test_arrays_of_any_rank_mix_every_value_with_the_sample_weight() -> None:
    n = 4
    rng = np.random.default_rng(5)
    x = rng.random((n, 2, 3), dtype=np.float32)
    codes = np.array([0, 2, 2, 1])
    xm, (ym, yt) = mixup_arrays(
        x, [codes, np.eye(n)], num_classes=[3, None], alpha=1.0, batch_size=2 * n, random_state=0
    )
    first = np.tile(np.arange(n), 2)
    second, lam = trace(yt, first)
    assert xm.dtype == np.float32 and yt.dtype == np.float64
    lam32, rest32 = lam.astype(np.float32)[:, None, None], (1 - lam).astype(np.float32)[:, None, None]
    np.testing.assert_array_equal(xm, x[first] * lam32 + x[second] * rest32)
    hot = np.eye(3)[codes]
    np.testing.assert_allclose(ym, lam[:, None] * hot[first] + (1 - lam[:, None]) * hot[second], rtol=1e-6)
    assert ym.dtype == np.float32  # labels from integer codes take the dtype of x


def test_first_sources_are_every_row_per_pass_then_a_sorted_subset() -> None:
    # Under label_mode="dominant" each synthetic row carries the exact class of its first source.
    n, size = 5, 13
    df = pd.DataFrame({"x": np.arange(n, dtype=float), "id": [f"r{i}" for i in range(n)]})
    for seed in range(20):
        out = mixup(df, labels="id", label_mode="dominant", batch_size=size, random_state=seed)
        first = out["id"].str[1:].astype(int).to_numpy()
        np.testing.assert_array_equal(first[:10], np.tile(np.arange(n), 2))
        rest = first[10:]
        assert len(set(rest.tolist())) == 3
        assert (np.diff(rest) > 0).all()


@pytest.mark.parametrize("n", [2, 3, 50])
def test_partner_is_never_the_row_itself(n: int) -> None:
    passes = 200
    out = mixup(tracers(n), alpha=1.0, batch_size=passes * n, random_state=1)
    first = np.tile(np.arange(n), passes)
    second, lam = trace(out.to_numpy(), first)
    assert (second != first).all() and ((lam > 0) & (lam < 1)).all()
    assert second.min() >= 0 and second.max() < n
    assert set(second[first == 0].tolist()) == set(range(1, n))


def test_partner_is_uniform_over_the_other_rows() -> None:
    n, passes = 6, 2000
    out = mixup(tracers(n), alpha=1.0, batch_size=passes * n, random_state=2)
    first = np.tile(np.arange(n), passes)
    second, _ = trace(out.to_numpy(), first)
    counts = np.zeros((n, n))
    np.add.at(counts, (first, second), 1)
    assert (np.diag(counts) == 0).all()
    others = counts[~np.eye(n, dtype=bool)].reshape(n, n - 1)
    assert stats.chisquare(others, axis=None).pvalue > 1e-3
    # the test can fail: the same counts reject partners drawn uniformly from all n rows, the row itself included
    assert stats.chisquare(counts, axis=None).pvalue < 1e-3


def test_within_class_partners_stay_in_the_class_and_are_uniform_there() -> None:
    groups = np.array([0, 1, 0, 1, 1, 2])
    passes = 300
    df = tracers(6).assign(g=groups)
    out = mixup(df, labels="g", within_class=True, alpha=1.0, batch_size=6 * passes, random_state=2)
    first = np.tile(np.arange(6), passes)
    np.testing.assert_array_equal(out["g"], groups[first])
    second, lam = trace(out[tracers(6).columns].to_numpy(), first)
    np.testing.assert_array_equal(groups[second], groups[first])
    lone = first == 5  # the only row of class 2 is paired with itself, with weight 1: an exact copy
    np.testing.assert_array_equal(lam[lone], 1.0)
    np.testing.assert_array_equal(out.loc[lone, tracers(6).columns], np.eye(6)[[5] * passes])
    assert (second[~lone] != first[~lone]).all()
    assert set(second[first == 1].tolist()) == {3, 4}
    members = [1, 3, 4]  # class 1: each row's partner is one of the two others
    counts = np.array([[np.sum(second[first == r] == s) for s in members if s != r] for r in members])
    assert counts.sum() == len(members) * passes
    assert stats.chisquare(counts, axis=None).pvalue > 1e-3
    # the test can fail: the same counts reject partners that favour one row two to one
    skewed = np.tile([2 / 3, 1 / 3], (3, 1)) * passes
    assert stats.chisquare(counts, skewed, axis=None).pvalue < 1e-3


def test_a_single_row_is_copied_exactly() -> None:
    values = np.array([[0.1, 1 / 3, 2 / 3, 1e300]])
    out = mixup(pd.DataFrame(values), alpha=1.0, batch_size=4, random_state=0)
    np.testing.assert_array_equal(out.to_numpy(), np.repeat(values, 4, axis=0))
    np.testing.assert_array_equal(
        mixup_arrays(values, alpha=1.0, batch_size=4, random_state=0), np.repeat(values, 4, 0)
    )


def test_rows_alone_in_their_class_are_exact_copies() -> None:
    x = np.array([0.1, 0.7, 1 / 3, 2 / 3])
    lams = np.linspace(0.01, 0.99, 99)
    # the values have teeth: lam * x + (1 - lam) * x is not x for some lam
    assert not np.array_equal(lams[:, None] * x + (1 - lams[:, None]) * x, np.broadcast_to(x, (99, 4)))
    df = pd.DataFrame({"x": x, "c": ["a", "b", "c", "d"]})
    out = mixup(df, labels="c", within_class=True, alpha=0.5, batch_size=4000, random_state=3)
    np.testing.assert_array_equal(out["x"], np.tile(x, 1000))


# --- lam: Beta(alpha, alpha), the coin at alpha = 0, the dominant fold --------------------------------------------


def lam_sample(alpha: float, *, via: str = "mixup", dominant: bool = False, size: int = N_DRAWS, seed: int = 31) -> Any:
    """``size`` weights drawn by ``mixup`` or ``mixup_arrays`` on two rows, read back exactly."""
    if via == "mixup":
        df = pd.DataFrame({"x": [0.0, 1.0], "y": [1.0, 0.0], "c": ["a", "b"]})
        kwargs: dict[str, Any] = {"labels": "c", "label_mode": "dominant"} if dominant else {"labels": "c"}
        out = mixup(df, alpha=alpha, batch_size=size, random_state=seed, **kwargs)
        x, y = out["x"].to_numpy(), out["y"].to_numpy()
    else:
        two = np.array([[0.0, 1.0], [1.0, 0.0]])
        mode = "dominant" if dominant else "mix"
        xm, _ = mixup_arrays(
            two, np.array([0, 1]), num_classes=2, alpha=alpha, batch_size=size, label_mode=mode, random_state=seed
        )
        x, y = xm[:, 0], xm[:, 1]
    return np.where(np.arange(size) % 2 == 0, y, x)  # lam on the first source of each row


@pytest.mark.parametrize("via", ["mixup", "mixup_arrays"])
def test_alpha_zero_is_a_fair_coin_between_the_sources(via: str) -> None:
    lam = lam_sample(0.0, via=via, size=2000, seed=3)
    assert set(np.unique(lam).tolist()) == {0.0, 1.0}
    heads = int(lam.sum())
    assert stats.binomtest(heads, 2000, 0.5).pvalue > 1e-3
    assert stats.binomtest(heads, 2000, 0.6).pvalue < 1e-3  # the test can fail: a biased coin is rejected


def test_alpha_zero_copies_rows_exactly() -> None:
    df = pd.DataFrame({"x": [0.1, 1 / 3, 2 / 3], "y": [1e300, -7.0, 5e-324]})
    out = mixup(df, alpha=0, batch_size=300, random_state=4)
    rows = {tuple(r) for r in df.to_numpy()}
    assert {tuple(r) for r in out.to_numpy()} == rows  # every row, each an exact copy


def test_tiny_alpha_never_gives_nan() -> None:
    lam = lam_sample(1e-300, size=10_000, seed=4)
    assert np.isfinite(lam).all()
    assert lam.min() >= 0 and lam.max() <= 1
    assert stats.binomtest(int((lam > 0.5).sum()), 10_000, 0.5).pvalue > 1e-3  # the limit law: a fair coin


@pytest.mark.parametrize("via", ["mixup", "mixup_arrays"])
@pytest.mark.parametrize("alpha", [0.2, 0.4, 0.9999, 1.0001, 1.5, 4.0, 50.0, 1e4, 1e6, 1e7])
def test_lambda_follows_beta(alpha: float, via: str) -> None:
    """A KS test against Beta(alpha, alpha), below 1, in Cheng's range (1, 1e6] and above it."""
    lam = lam_sample(alpha, via=via)
    assert lam.shape == (N_DRAWS,) and lam.min() >= 0 and lam.max() <= 1
    if alpha > 1:
        assert lam.min() > 0 and lam.max() < 1
    assert stats.kstest(lam, stats.beta(alpha, alpha).cdf).pvalue > 1e-3
    # the test has power: a nearby wrong alpha is rejected on the same draws
    assert stats.kstest(lam, stats.beta(alpha * 1.5, alpha * 1.5).cdf).pvalue < 1e-3


@pytest.mark.parametrize("via", ["mixup", "mixup_arrays"])
def test_alpha_one_is_uniform(via: str) -> None:
    lam = lam_sample(1.0, via=via, seed=33)
    assert stats.kstest(lam, stats.uniform().cdf).pvalue > 1e-3
    assert stats.kstest(lam, stats.beta(1.5, 1.5).cdf).pvalue < 1e-3


def folded_beta_cdf(alpha: float) -> Any:
    """The law of ``max(lam, 1 - lam)`` for ``lam ~ Beta(alpha, alpha)``, on [0.5, 1]."""
    law = stats.beta(alpha, alpha)
    return lambda t: np.clip(2 * law.cdf(t) - 1, 0, 1)


@pytest.mark.parametrize("via", ["mixup", "mixup_arrays"])
@pytest.mark.parametrize("alpha", [0.5, 4.0])
def test_dominant_folds_lambda(alpha: float, via: str) -> None:
    lam = lam_sample(alpha, via=via, dominant=True, seed=5)
    assert lam.min() >= 0.5 and lam.max() <= 1.0
    assert stats.kstest(lam, folded_beta_cdf(alpha)).pvalue > 1e-3
    assert stats.kstest(lam, folded_beta_cdf(alpha * 1.5)).pvalue < 1e-3  # the test can fail
    assert stats.kstest(lam, stats.beta(alpha, alpha).cdf).pvalue < 1e-3  # unfolded, it is not Beta any more


def test_one_long_draw_of_cheng_weights_is_still_beta() -> None:
    """200 000 weights at once (mixup_streams draws one per row of a batch): more candidates than the sampler
    makes in one go, so later rounds top the first one up; every weight is drawn, none is left over or repeated."""
    n = 200_000
    (mixed,) = mixup_streams([np.ones((n, 1))], [np.zeros((n, 1))], alpha=4.0, random_state=32)
    lam = mixed[:, 0]  # lam * 1 + (1 - lam) * 0
    assert lam.shape == (n,) and lam.min() > 0 and lam.max() < 1
    assert np.unique(lam).size > 0.999 * n
    assert stats.kstest(lam, stats.beta(4.0, 4.0).cdf).pvalue > 1e-3
    assert stats.kstest(lam, stats.beta(4.4, 4.4).cdf).pvalue < 1e-3
    for half in (lam[: n // 2], lam[n // 2 :]):  # both ends of the draw follow the law
        assert stats.kstest(half, stats.beta(4.0, 4.0).cdf).pvalue > 1e-3


class _BitGen(ctypes.Structure):
    """NumPy's ``bitgen_t``: the C interface any bit generator offers a ``numpy.random.Generator``."""

    _fields_ = [
        ("state", ctypes.c_void_p),
        ("next_uint64", ctypes.CFUNCTYPE(ctypes.c_uint64, ctypes.c_void_p)),
        ("next_uint32", ctypes.CFUNCTYPE(ctypes.c_uint32, ctypes.c_void_p)),
        ("next_double", ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_void_p)),
        ("next_raw", ctypes.CFUNCTYPE(ctypes.c_uint64, ctypes.c_void_p)),
    ]


class ScriptedBits:
    """A bit generator whose uniforms are given, in a cycle (NumPy's documented capsule interface)."""

    def __init__(self, doubles: list[float]) -> None:
        values = itertools.cycle(doubles)
        self._double = _BitGen._fields_[3][1](lambda _: next(values))
        self._integer = _BitGen._fields_[1][1](lambda _: 0x9E3779B97F4A7C15)
        self._half = _BitGen._fields_[2][1](lambda _: 0x9E3779B9)
        self._struct = _BitGen(None, self._integer, self._half, self._double, self._integer)
        new_capsule = ctypes.pythonapi.PyCapsule_New
        new_capsule.restype = ctypes.py_object
        new_capsule.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
        self.capsule = new_capsule(ctypes.addressof(self._struct), b"BitGenerator", None)
        self.lock = threading.Lock()


@pytest.mark.parametrize("n", [2048, 5000])  # from VECTOR_MIN_SIZE weights on, Cheng's BB draws them
def test_uniforms_at_the_ends_of_the_unit_interval_give_finite_weights_and_no_warning(n: int) -> None:
    """Uniforms of exactly 0 and just below 1 (where adding a tiny offset rounds up to 1): finite weights in (0, 1)."""
    edges = [0.0, 1.0 - 2.0**-53, 0.3, 0.6, 0.5, 0.2, 0.0]
    rng = np.random.Generator(ScriptedBits(edges))  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (mixed,) = mixup_streams([np.ones((n, 1))], [np.zeros((n, 1))], alpha=3.0, random_state=rng)
    lam = mixed[:, 0]
    assert np.isfinite(lam).all() and lam.min() > 0 and lam.max() < 1
    assert lam.min() < 1e-6 and lam.max() > 1 - 1e-6  # the edges were drawn, and accepted


# --- long frames: threads, steps of the column kernel, passes ----------------------------------------------------

BITS = 19  # bit tracers for up to 2**19 rows


def bit_tracers(n: int) -> pd.DataFrame:
    """Bit ``b`` of each row's number, and its complement: ``2 * BITS`` columns for up to ``2**BITS`` rows."""
    bits = (np.arange(n)[:, None] >> np.arange(BITS)) & 1
    columns = {}
    for b in range(BITS):
        columns[f"bit{b}"] = bits[:, b].astype(np.float64)
        columns[f"not{b}"] = 1.0 - bits[:, b]
    return pd.DataFrame(columns)


def trace_bits(out: pd.DataFrame, first: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(second, lam)`` from the bit tracers, given the first sources.

    Take, for each bit, the tracer in which the first source is 1: it holds ``lam`` where the partner's bit
    differs, and ``lam + (1 - lam)`` where it agrees. So ``lam`` is the smallest of them, and the partner is the
    first source with the bits flipped where ``lam`` shows.
    """
    shifts = np.arange(BITS)
    ones = ((first[:, None] >> shifts) & 1).astype(bool)
    held = np.where(ones, out[[f"bit{b}" for b in range(BITS)]], out[[f"not{b}" for b in range(BITS)]])
    lam = held.min(axis=1)
    flipped = (held == lam[:, None]) & (lam < 1)[:, None]
    second = first ^ (flipped.astype(np.int64) << shifts).sum(axis=1)
    return second, lam


@pytest.fixture
def threads_off(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run a call on one thread (``MIXUPY_NUM_THREADS=1``), then restore the setting."""

    def run(call: Any) -> Any:
        with monkeypatch.context() as m:
            m.setenv("MIXUPY_NUM_THREADS", "1")
            return call()

    return run


@pytest.mark.parametrize(
    ("n", "passes"),
    [
        (300_000, 1),  # one pass longer than the kernel's steps, shared by the threads
        (100_003, 3),  # steps that straddle the end of each pass
        (131_072, 2),  # passes exactly one step long
        (1_000, 400),  # passes much shorter than a step
    ],
)
def test_long_frames_are_mixed_exactly_whatever_the_threads(n: int, passes: int, threads_off: Any) -> None:
    if (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1) < 2:
        pytest.skip("needs two CPUs to compare threaded and single-threaded results")
    data = mixed_columns(n, 6)
    df = pd.concat([data, bit_tracers(n)], axis=1)
    out = mixup(df, alpha=0.7, batch_size=passes * n, random_state=4)
    first = np.tile(np.arange(n), passes)
    second, lam = trace_bits(out, first)
    assert (second != first).all() and second.max() < n
    for name in data.columns:
        np.testing.assert_array_equal(out[name], expected_column(data[name].to_numpy(), first, second, lam))
    pd.testing.assert_frame_equal(out, threads_off(lambda: mixup(df, alpha=0.7, batch_size=passes * n, random_state=4)))


def test_a_long_one_dtype_frame_is_mixed_exactly(threads_off: Any) -> None:
    """A frame of one float64 block, mixed without taking it apart, on every thread."""
    n = 400_000
    data = pd.DataFrame(np.random.default_rng(6).standard_normal((n, 5)), columns=list("abcde"))
    df = pd.concat([data, bit_tracers(n)], axis=1)
    out = mixup(df, alpha=0.4, random_state=7)
    first = np.arange(n)
    second, lam = trace_bits(out, first)
    for name in data.columns:
        np.testing.assert_array_equal(out[name], expected_column(data[name].to_numpy(), first, second, lam))
    pd.testing.assert_frame_equal(out, threads_off(lambda: mixup(df, alpha=0.4, random_state=7)))


def test_the_draw_does_not_depend_on_the_number_of_threads(threads_off: Any) -> None:
    size = 3 * 2**16 + 17  # several chunks of the draw, past the threading threshold
    x = np.random.default_rng(9).standard_normal((size, 6))
    df = pd.DataFrame(x)
    for alpha in (0.3, 2.0):
        pd.testing.assert_frame_equal(
            mixup(df, alpha=alpha, random_state=9), threads_off(lambda a=alpha: mixup(df, alpha=a, random_state=9))
        )
        np.testing.assert_array_equal(
            mixup_arrays(x, alpha=alpha, random_state=9),
            threads_off(lambda a=alpha: mixup_arrays(x, alpha=a, random_state=9)),
        )


def test_concat_on_threads_copies_every_original_before_fewer_synthetic_rows(threads_off: Any) -> None:
    """Fewer synthetic rows than originals, in two steps shared by two threads: every original is copied."""
    n, size = 400_000, 140_000
    df = pd.DataFrame(np.random.default_rng(10).standard_normal((n, 8)))
    out = mixup(df, concat=True, batch_size=size, random_state=11)
    np.testing.assert_array_equal(out.to_numpy()[:n], df.to_numpy())
    alone = mixup(df, batch_size=size, random_state=11)  # the synthetic rows are those of the same call without concat
    np.testing.assert_array_equal(out.to_numpy()[n:], alone.to_numpy())
    pd.testing.assert_frame_equal(out, threads_off(lambda: mixup(df, concat=True, batch_size=size, random_state=11)))


# --- the benchmark of the lambda sampler --------------------------------------------------------------------------


def test_beta_benchmark_runs_quick() -> None:
    """benchmarks/bench_beta.py --quick times both samplers and prints a KS p-value per alpha."""
    from tracing import run_benchmark

    printed = run_benchmark("bench_beta.py", "--quick", "--repeats", "2")
    rows = [line for line in printed.splitlines() if line.startswith("| ") and "ms |" in line]
    assert len(rows) == 7  # alpha = 0.2, 0.4, 0.99, 1, 1.5, 4, 20
    assert any("Cheng's BB" in row for row in rows) and any("uniform" in row for row in rows)
    assert sum("Jöhnk" in row for row in rows) == 3
    p_values = [float(row.strip(" |").split("|")[5]) for row in rows]  # the KS column, before the last
    assert min(p_values) > 1e-3
    assert all(row.rstrip(" |").endswith("×") for row in rows)  # each alpha's time over alpha = 4's


@pytest.mark.parametrize("alpha", [0.4, 4.0])
def test_a_draw_of_one_chunk_comes_from_the_generator_itself(alpha: float) -> None:
    """Up to DRAW_CHUNK synthetic rows, partners then λ are read from the caller's generator, no child made;
    larger draws take each chunk from a child, so the first chunk differs from the one-chunk draw."""
    from mixupy import _draw

    n = 300
    d = _draw.draw(n, n, alpha, np.random.default_rng(5))
    rng = np.random.default_rng(5)
    second = _draw.Uniform(n).sample(np.arange(n, dtype=np.intp), rng)
    np.testing.assert_array_equal(d.second, second)
    np.testing.assert_array_equal(d.lam, _draw.sample_lambda(alpha, n, rng))
    big = _draw.draw(n, _draw.DRAW_CHUNK + 1, alpha, np.random.default_rng(5))
    assert not np.array_equal(big.lam[:n], d.lam)
