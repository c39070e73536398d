"""Hypothesis properties of mixup(), checked through the public API alone.

Trick: give every row its own one-hot "identity" label. A mixed label row is then
``lam * e_i + (1 - lam) * e_j``, which tells which two rows were mixed and with
what weight, so each synthetic row can be checked against its sources.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats

from mixupy import mixup

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(min_value=1, max_value=12))
    k = draw(st.integers(min_value=1, max_value=4))
    values = draw(arrays(np.float64, (n, k), elements=finite))
    index_kind = draw(st.sampled_from(["range", "strings", "shuffled", "dates"]))
    index: pd.Index
    if index_kind == "strings":
        index = pd.Index([f"r{i}" for i in range(n)])
    elif index_kind == "shuffled":
        index = pd.Index(draw(st.permutations(list(range(100, 100 + n)))))
    elif index_kind == "dates":
        index = pd.date_range("2020-01-01", periods=n, freq="h")
    else:
        index = pd.RangeIndex(n)
    return pd.DataFrame(values, columns=[f"f{j}" for j in range(k)], index=index)


def with_identity_labels(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    ids = [f"id{i}" for i in range(len(df))]
    eye = pd.DataFrame(np.eye(len(df)), columns=ids, index=df.index)
    return pd.concat([df, eye], axis=1), ids


alphas = st.one_of(st.just(0.0), st.floats(min_value=0.05, max_value=8.0))
seeds = st.integers(min_value=0, max_value=2**32 - 1)


@settings(max_examples=60, deadline=None)
@given(df=frames(), alpha=alphas, size=st.integers(min_value=1, max_value=30), seed=seeds)
def test_rows_lie_on_the_segment_between_their_sources(df: pd.DataFrame, alpha: float, size: int, seed: int) -> None:
    data, ids = with_identity_labels(df)
    out = mixup(data, alpha=alpha, batch_size=size, labels=ids, random_state=seed)
    assert out.shape == (size, data.shape[1])
    weights = out[ids].to_numpy()
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, atol=1e-12)  # labels sum to 1
    assert (weights >= 0).all()
    assert ((weights > 0).sum(axis=1) <= 2).all()  # at most two sources per row
    if len(df) > 1 and alpha > 0:
        # a row is never mixed with itself: a single source only when lam is exactly 0 or 1
        single = (weights > 0).sum(axis=1) == 1
        assert (weights[single].max(axis=1) == 1.0).all()
    # the features are the same convex combination of the same two rows
    rebuilt = weights @ df.to_numpy()
    scale = 1 + np.abs(df.to_numpy()).max()
    np.testing.assert_allclose(out[list(df.columns)].to_numpy(), rebuilt, rtol=0, atol=1e-9 * scale)


@settings(max_examples=40, deadline=None)
@given(df=frames(), seed=seeds, concat=st.booleans())
def test_same_seed_same_frame_input_unchanged(df: pd.DataFrame, seed: int, concat: bool) -> None:
    before = df.copy(deep=True)
    a = mixup(df, concat=concat, random_state=seed)
    b = mixup(df, concat=concat, random_state=seed)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(df, before)
    assert a.index.is_unique
    assert len(a) == len(df) * (2 if concat else 1)
    if concat:
        np.testing.assert_array_equal(a.iloc[: len(df)].to_numpy(), df.to_numpy())


@settings(max_examples=30, deadline=None)
@given(df=frames(), alpha=alphas, seed=seeds)
def test_each_column_stays_within_its_range(df: pd.DataFrame, alpha: float, seed: int) -> None:
    out = mixup(df, alpha=alpha, batch_size=20, random_state=seed)
    lo, hi = df.min().to_numpy(), df.max().to_numpy()
    tol = 1e-9 * (1 + np.abs(df.to_numpy()).max())
    assert ((out.to_numpy() >= lo - tol) & (out.to_numpy() <= hi + tol)).all()


def drawn_lambdas(alpha: float, n: int, seed: int) -> np.ndarray:
    """lam of synthetic row r is the weight on its first source, row r (rows are taken in order)."""
    data, ids = with_identity_labels(pd.DataFrame({"x": np.zeros(n)}))
    out = mixup(data, alpha=alpha, labels=ids, random_state=seed)
    return np.diag(out[ids].to_numpy())


@pytest.mark.parametrize("alpha", [0.2, 1.0, 4.0])
def test_lambda_follows_beta(alpha: float) -> None:
    lam = drawn_lambdas(alpha, 2000, seed=2024)
    assert stats.kstest(lam, stats.beta(alpha, alpha).cdf).pvalue > 1e-3
    # the test has power: a nearby wrong alpha is rejected on the same draws
    assert stats.kstest(lam, stats.beta(alpha * 2.5, alpha * 2.5).cdf).pvalue < 1e-3


def test_dominant_lambda_is_folded_beta() -> None:
    """Under label_mode="dominant", lam = max(L, 1 - L) with L ~ Beta: CDF 2 F(t) - 1 on [0.5, 1]."""
    n, alpha = 2000, 0.5
    ids = [f"id{i}" for i in range(n)]
    data = pd.DataFrame(np.eye(n), columns=ids)  # identity features reveal lam on row r's own column
    data["cls"] = np.arange(n) % 2
    out = mixup(data, alpha=alpha, labels="cls", label_mode="dominant", random_state=3)
    np.testing.assert_array_equal(out["cls"], data["cls"])  # the label of the dominant row r, exactly
    lam = np.diag(out[ids].to_numpy())
    assert lam.min() >= 0.5
    beta = stats.beta(alpha, alpha)
    assert stats.kstest(lam, lambda t: 2 * beta.cdf(t) - 1).pvalue > 1e-3
    assert stats.kstest(lam, beta.cdf).pvalue < 1e-3  # not the unfolded law
