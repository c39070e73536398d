"""Tests for mixupy.weights.expand_soft_labels: soft labels as hard labels plus sample weights."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics import log_loss

import mixupy
from mixupy import expand_soft_labels, mixup
from mixupy.datasets import load_iris


def test_hand_checked_expansion() -> None:
    X = np.array([[0.0, 5.0], [1.0, 6.0], [2.0, 7.0]])
    Y = np.array([[0.25, 0.75, 0.0], [0.0, 0.0, 1.0], [0.5, 0.125, 0.375]])
    X_rep, y, w = expand_soft_labels(X, Y)
    assert X_rep.tolist() == [[0, 5], [0, 5], [1, 6], [2, 7], [2, 7], [2, 7]]
    assert y.tolist() == [0, 1, 2, 0, 1, 2]
    assert w.tolist() == [0.25, 0.75, 1.0, 0.5, 0.125, 0.375]
    assert w.dtype == np.float64


def test_public_name_is_lazy_and_registered() -> None:
    assert mixupy.expand_soft_labels is expand_soft_labels
    assert "expand_soft_labels" in mixupy.__all__


def test_importing_it_needs_no_scikit_learn() -> None:
    code = (
        "import sys, mixupy; mixupy.expand_soft_labels; "
        "print(sorted(m for m in ('sklearn', 'imblearn', 'torch') if m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(root / "src")},
    )
    assert done.stdout.strip() == "[]"


def test_weighted_log_loss_equals_soft_cross_entropy() -> None:
    rng = np.random.default_rng(0)
    n, k = 40, 4
    P = rng.dirichlet(np.full(k, 0.5), size=n)
    P[:5] = np.eye(k)[rng.integers(0, k, 5)]  # some hard rows too
    Q = rng.dirichlet(np.ones(k), size=n)  # any model's predicted probabilities
    soft = -np.sum(P * np.log(Q))

    rows, y, w = expand_soft_labels(np.arange(n), P)  # expanding row ids tells each copy's source
    weighted = log_loss(y, Q[rows], sample_weight=w, labels=np.arange(k), normalize=False)
    assert weighted == pytest.approx(soft, rel=1e-12)
    # and per row: the copies of row i carry exactly its soft loss
    per_copy = -np.log(Q[rows, y]) * w
    assert np.bincount(rows, weights=per_copy, minlength=n) == pytest.approx(-np.sum(P * np.log(Q), axis=1))


def test_logistic_regression_intercept_learns_mean_soft_label() -> None:
    # With an uninformative feature the soft cross-entropy is minimised by the
    # mean label vector: (0.2 + 0.6) / 2 = 0.4 for class "a", 0.6 for "b".
    X = np.zeros((2, 1))
    Y = pd.DataFrame({"a": [0.2, 0.6], "b": [0.8, 0.4]})
    X_rep, y, w = expand_soft_labels(X, Y)
    model = LogisticRegression(tol=1e-10).fit(X_rep, y, sample_weight=w)
    assert model.predict_proba(np.zeros((1, 1)))[0] == pytest.approx([0.4, 0.6], abs=1e-6)
    # without the weights the same rows would give 50/50: the weights carry the labels
    unweighted = LogisticRegression(tol=1e-10).fit(X_rep, y)
    assert unweighted.predict_proba(np.zeros((1, 1)))[0] == pytest.approx([0.5, 0.5], abs=1e-6)


def test_logistic_regression_fit_is_stationary_for_the_soft_loss() -> None:
    # The minimiser of  C * sum_i CE(P_i, softmax(W x_i + b)) + ||W||^2 / 2  has gradient
    # C * (Q - P)^T X + W = 0 and sum_i (Q - P)_i = 0; the expanded fit must satisfy both.
    iris = load_iris(one_hot=False)
    probs = ["species_setosa", "species_versicolor", "species_virginica"]
    mixed = mixup(iris, alpha=1.0, labels="species", random_state=3)
    X, P = mixed.drop(columns=probs).to_numpy(), mixed[probs].to_numpy()
    assert ((P > 0) & (P < 1)).any(axis=1).mean() > 0.5  # genuinely soft labels

    X_rep, y, w = expand_soft_labels(X, P)
    c = 0.5
    model = LogisticRegression(C=c, tol=1e-12, max_iter=10_000).fit(X_rep, y, sample_weight=w)
    Q = model.predict_proba(X)
    grad_w = c * (Q - P).T @ X + model.coef_
    grad_b = (Q - P).sum(axis=0)
    # relative to the size of the gradient's terms (about 170 here): the solver stops on the relative change of
    # the loss, so how close to 0 it gets depends on the draw; a fit of the wrong problem is off by 1 or more
    scale = c * (P.T @ np.abs(X)).max()
    assert np.abs(grad_w).max() < 1e-6 * scale  # about 3e-5 for this draw; a fit to hard labels gives about 8
    assert np.abs(grad_b).max() < 1e-6 * len(P)
    # the hard-label (argmax) fit is a different model: the check can tell them apart
    hard = LogisticRegression(C=c, tol=1e-12, max_iter=10_000).fit(X, P.argmax(axis=1))
    assert np.abs(c * (hard.predict_proba(X) - P).T @ X + hard.coef_).max() > 1e-2


def test_other_classifiers_accept_the_expansion() -> None:
    iris = load_iris(one_hot=False)
    mixed = mixup(iris, labels="species", random_state=0)
    probs = [c for c in mixed.columns if str(c).startswith("species_")]
    X_rep, y, w = expand_soft_labels(mixed.drop(columns=probs), mixed[probs], classes=["s", "ve", "vi"])
    for model in (
        SGDClassifier(loss="log_loss", random_state=0),
        HistGradientBoostingClassifier(max_iter=5, random_state=0),
    ):
        model.fit(X_rep, y, sample_weight=w)
        assert list(model.classes_) == ["s", "ve", "vi"]


def test_pandas_in_pandas_out() -> None:
    X = pd.DataFrame(
        {"f": np.array([1.5, 2.5], dtype=np.float32), "i": [3, 4], "s": ["u", "v"]},
        index=pd.Index(["r0", "r1"], name="row"),
    )
    Y = pd.DataFrame({"cat": [0.5, 0.0], "dog": [0.5, 1.0]})
    Y.columns.name = "animal"
    before = (X.copy(), Y.copy())
    X_rep, y, w = expand_soft_labels(X, Y)
    assert isinstance(X_rep, pd.DataFrame)
    assert list(X_rep.columns) == ["f", "i", "s"]
    assert X_rep.dtypes.tolist() == X.dtypes.tolist()
    assert X_rep.index.tolist() == ["r0", "r0", "r1"]
    assert X_rep.index.name == "row"
    assert isinstance(y, pd.Series)
    assert y.name == "animal"
    assert y.index.equals(X_rep.index)
    assert y.tolist() == ["cat", "dog", "dog"]
    assert w.tolist() == [0.5, 0.5, 1.0]
    pd.testing.assert_frame_equal(X, before[0])  # inputs untouched
    pd.testing.assert_frame_equal(Y, before[1])


def test_one_hot_bool_labels_are_the_identity() -> None:
    iris = load_iris()
    classes = ["setosa", "versicolor", "virginica"]
    X = iris.drop(columns=classes)
    X_rep, y, w = expand_soft_labels(X, iris[classes])
    pd.testing.assert_frame_equal(X_rep, X)
    assert (w == 1.0).all()
    assert y.tolist() == iris[classes].idxmax(axis=1).tolist()


def test_sparse_and_higher_rank_features() -> None:
    Y = np.array([[0.5, 0.5], [0.0, 1.0]])
    X_sparse = scipy.sparse.csr_matrix(np.array([[1.0, 0.0], [0.0, 2.0]]))
    X_rep, _, _ = expand_soft_labels(X_sparse, Y)
    assert scipy.sparse.issparse(X_rep)
    assert X_rep.toarray().tolist() == [[1, 0], [1, 0], [0, 2]]
    images = np.arange(2 * 2 * 3).reshape(2, 2, 3)
    X_rep, _, _ = expand_soft_labels(images, Y)
    assert X_rep.shape == (3, 2, 3)
    np.testing.assert_array_equal(X_rep[1], images[0])


@settings(max_examples=50, deadline=None)
@given(
    hnp.arrays(np.float64, st.tuples(st.integers(1, 12), st.integers(1, 5)), elements=st.floats(0, 1)),
    st.integers(0, 2**32 - 1),
)
def test_expansion_reconstructs_the_soft_labels(raw: np.ndarray, seed: int) -> None:
    rng = np.random.default_rng(seed)
    raw = raw * (rng.random(raw.shape) < 0.6)  # plenty of exact zeros
    raw[:, 0] += raw.sum(axis=1) == 0  # every row needs some mass
    P = raw / raw.sum(axis=1, keepdims=True)
    n = P.shape[0]
    rows, y, w = expand_soft_labels(np.arange(n), P)
    assert len(rows) == len(y) == len(w) == int((P > 0).sum())
    assert (w > 0).all()
    assert np.all(np.diff(rows) >= 0)  # row order kept
    rebuilt = np.zeros_like(P)
    rebuilt[rows, y] = w
    np.testing.assert_array_equal(rebuilt, P)
    assert np.bincount(rows, weights=w, minlength=n) == pytest.approx(np.ones(n))


@pytest.mark.parametrize(
    ("Y", "kwargs", "error", "match"),
    [
        (np.array([0, 1]), {}, ValueError, "`Y` must be 2-D"),
        (np.array([[0.5, np.nan], [1, 0]]), {}, ValueError, r"`Y` holds missing \(NaN\) values, first in rows \[0\]"),
        (np.array([[1, 0], [np.inf, 0]]), {}, ValueError, r"`Y` holds infinite values, first in rows \[1\]"),
        (np.array([[1.5, -0.5], [1, 0]]), {}, ValueError, r"`Y` columns \[0, 1\] must hold .* in \[0, 1\]"),
        (np.array([[0.5, 0.4], [1, 0]]), {}, ValueError, "must sum to 1 in every row.*position 0 sums to 0.9"),
        (np.array([["a", "b"], ["c", "d"]]), {}, TypeError, "`Y` must hold numbers"),
        (np.zeros((2, 0)), {}, ValueError, "at least one row and one column"),
        (pd.DataFrame({"a": [1.0, np.nan], "b": [0.0, 1.0]}), {}, ValueError, "`Y` column 'a' holds 1 missing"),
        (pd.DataFrame({"a": ["x", "y"]}), {}, TypeError, "`Y` has non-numeric columns: 'a'"),
        (np.eye(2), {"classes": ["a"]}, ValueError, r"one class per column of `Y` \(2\); got 1"),
        (np.eye(2), {"classes": ["a", "a"]}, ValueError, "must be distinct"),
        (np.eye(2), {"classes": "ab"}, TypeError, "`classes` must be a sequence"),
        (np.eye(3), {}, ValueError, "same number of rows; got 2 rows in `X` and 3 in `Y`"),
    ],
)
def test_bad_input(Y: object, kwargs: dict[str, object], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        expand_soft_labels(np.zeros((2, 1)), Y, **kwargs)  # type: ignore[arg-type]


def test_scalar_features_rejected() -> None:
    with pytest.raises(ValueError, match="`X` must have at least one dimension"):
        expand_soft_labels(3.0, np.eye(1))
