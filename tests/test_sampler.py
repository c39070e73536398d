"""Tests for mixupy.sampler.MixupSampler: imbalanced-learn's checks, hand-checked draws, pipelines, bad input."""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pytest
import scipy.sparse
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.pipeline import make_pipeline
from imblearn.utils.estimator_checks import estimator_checks_generator
from sampler_checks import API_CHECKS, listed_checks
from scipy import stats
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.preprocessing import StandardScaler

import mixupy
from mixupy import MixupSampler

CONFIGURATIONS = [
    MixupSampler(random_state=0),
    MixupSampler(pairing="neighbors", random_state=0),
    MixupSampler(label_mode="dominant", alpha=0.4, random_state=0),
    MixupSampler(label_mode="dominant", pairing="neighbors", k_neighbors=3, alpha=2.0, random_state=0),
]


ESTIMATOR_CHECKS = listed_checks(CONFIGURATIONS)


@pytest.mark.parametrize(("estimator", "check"), ESTIMATOR_CHECKS)
def test_imblearn_estimator_checks(estimator: MixupSampler, check: Any) -> None:
    check(estimator)


def test_every_applicable_imblearn_check_is_generated() -> None:
    # imbalanced-learn yields check_samplers_string and check_samplers_nan only to
    # samplers whose tags declare string or NaN input. Mixup interpolates numbers,
    # so MixupSampler declares neither and rejects both (tested below); every
    # other check is generated, none is marked as an expected failure.
    names = {check.func.__name__ for _, check in estimator_checks_generator(MixupSampler())}
    assert names == {
        "check_target_type",
        "check_samplers_one_label",
        "check_samplers_fit",
        "check_samplers_fit_resample",
        "check_samplers_sampling_strategy_fit_resample",
        "check_samplers_sparse",
        "check_samplers_pandas",
        "check_samplers_pandas_sparse",
        "check_samplers_list",
        "check_samplers_multiclass_ova",
        "check_samplers_preserve_dtype",
        "check_samplers_sample_indices",
        "check_samplers_2d_target",
        "check_sampler_get_feature_names_out",
        "check_sampler_get_feature_names_out_pandas",
    }


@pytest.mark.parametrize("check", API_CHECKS)
def test_parameter_api_checks(check: Any) -> None:
    check("MixupSampler", MixupSampler())


def test_public_name_is_lazy_and_registered() -> None:
    assert mixupy.MixupSampler is MixupSampler
    assert "MixupSampler" in mixupy.__all__


def test_parameters_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        MixupSampler(1.0)  # type: ignore[misc]


# --- hand-checked draws on one feature ---------------------------------------------------------------------------

X_LINE = np.array([[0.0], [1.0], [2.0], [3.0], [10.0], [12.0]])
Y_LINE = np.array(["a", "a", "a", "a", "b", "b"])


def test_auto_balances_and_keeps_the_originals_first() -> None:
    X_res, y_res = MixupSampler(random_state=0).fit_resample(X_LINE, Y_LINE)
    assert Counter(y_res) == {"a": 4, "b": 4}
    np.testing.assert_array_equal(X_res[:6], X_LINE)
    np.testing.assert_array_equal(y_res[:6], Y_LINE)
    # within-class pairs of 10 and 12 stay between them
    assert ((X_res[6:, 0] >= 10) & (X_res[6:, 0] <= 12)).all()


def test_each_class_row_is_a_first_source_once_per_full_pass() -> None:
    # 4 new rows for a class of 2 rows: both rows twice, in row order. With
    # alpha=0 under the dominant mode lam = max(lam, 1 - lam) = 1: each new row
    # is an exact copy of its first source.
    sampler = MixupSampler(sampling_strategy={"b": 6}, alpha=0, label_mode="dominant", random_state=1)
    X_res, _ = sampler.fit_resample(X_LINE, Y_LINE)
    assert X_res[6:, 0].tolist() == [10, 12, 10, 12]
    assert sampler.sampling_strategy_ == {"b": 4}
    # 3 new rows for a class of 4: three distinct rows, in row order
    sampler = MixupSampler(sampling_strategy={"a": 7, "b": 2}, alpha=0, label_mode="dominant", random_state=1)
    X_res, _ = sampler.fit_resample(X_LINE, Y_LINE)
    new = X_res[6:, 0]
    assert len(set(new.tolist())) == 3
    assert set(new.tolist()) <= {0.0, 1.0, 2.0, 3.0}
    assert (np.diff(new) > 0).all()


def test_dominant_mode_keeps_the_class_row_at_least_half() -> None:
    # "b" rows (10, 12) mixed with any row with weight >= 1/2 on the "b" row:
    # the lowest possible value is (10 + 0) / 2 = 5.
    sampler = MixupSampler(label_mode="dominant", sampling_strategy={"b": 400}, alpha=1.0, random_state=0)
    X_res, y_res = sampler.fit_resample(X_LINE, Y_LINE)
    new = X_res[6:, 0]
    assert (y_res[6:] == "b").all()
    assert new.min() >= 5
    assert new.max() <= 12
    assert (new < 10).mean() > 0.5  # partners mostly from class "a": these rows leave the "b" segment


def test_neighbors_pairing_uses_the_nearest_rows_of_the_class() -> None:
    # class "a" at 0, 1, 5 and k=1: nearest neighbour of 0 is 1, of 1 is 0, of 5 is 1.
    X = np.array([[0.0], [1.0], [5.0], [100.0], [101.0], [102.0], [103.0]])
    y = np.array([0, 0, 0, 1, 1, 1, 1])
    sampler = MixupSampler(pairing="neighbors", k_neighbors=1, sampling_strategy={0: 6}, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    new = X_res[7:, 0]  # first sources in row order: 0, 1, 5
    assert 0 <= new[0] <= 1
    assert 0 <= new[1] <= 1
    assert 1 <= new[2] <= 5


def test_single_member_class_falls_back_to_copies() -> None:
    X = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0], [7.0, 7.0]])
    y = np.array([0, 0, 0, 1])
    X_res, y_res = MixupSampler(random_state=0).fit_resample(X, y)
    np.testing.assert_allclose(X_res[4:], [[7.0, 7.0], [7.0, 7.0]], rtol=1e-15)  # lam * x + (1 - lam) * x
    assert y_res.tolist() == [0, 0, 0, 1, 1, 1]


def test_lambda_is_beta_distributed() -> None:
    # Class "b" is {0, 1}: a new row is lam (first = 1) or 1 - lam (first = 0), both Beta(alpha, alpha).
    X = np.concatenate([np.zeros((2001, 1)) + 5, [[0.0], [1.0]]])
    y = np.array([0] * 2001 + [1, 1])
    for alpha in (0.3, 2.0):
        X_res, _ = MixupSampler(alpha=alpha, random_state=7).fit_resample(X, y)
        assert stats.kstest(X_res[2003:, 0], stats.beta(alpha, alpha).cdf).pvalue > 1e-3
        assert stats.kstest(X_res[2003:, 0], stats.uniform().cdf).pvalue < 1e-3  # the test can fail


def test_float_ratio_for_binary_targets() -> None:
    X = np.arange(12.0).reshape(-1, 1)
    y = np.array([0] * 10 + [1] * 2)
    _, y_res = MixupSampler(sampling_strategy=0.5, random_state=0).fit_resample(X, y)
    assert Counter(y_res) == {0: 10, 1: 5}


def test_same_seed_same_result_and_generators() -> None:
    X, y = _blobs()
    a = MixupSampler(random_state=3).fit_resample(X, y)[0]
    b = MixupSampler(random_state=3).fit_resample(X, y)[0]
    c = MixupSampler(random_state=4).fit_resample(X, y)[0]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    g1 = MixupSampler(random_state=np.random.default_rng(3)).fit_resample(X, y)[0]
    g2 = MixupSampler(random_state=np.random.default_rng(3)).fit_resample(X, y)[0]
    np.testing.assert_array_equal(g1, g2)
    legacy = MixupSampler(random_state=np.random.RandomState(0)).fit_resample(X, y)[0]
    assert legacy.shape == a.shape


def test_sparse_neighbors_match_dense() -> None:
    X, y = _blobs()
    sampler = MixupSampler(pairing="neighbors", label_mode="dominant", random_state=0)
    dense, y_dense = sampler.fit_resample(X, y)
    for fmt in ("csr", "csc"):
        sparse, y_sparse = sampler.fit_resample(scipy.sparse.csr_matrix(X).asformat(fmt), y)
        assert sparse.format == fmt
        np.testing.assert_allclose(sparse.toarray(), dense, rtol=1e-12)
        np.testing.assert_array_equal(y_sparse, y_dense)


@pytest.mark.parametrize(
    "container",
    [scipy.sparse.csr_matrix, scipy.sparse.csc_matrix, scipy.sparse.csr_array, scipy.sparse.csc_array],
)
@pytest.mark.parametrize("dtype", [np.float32, np.int64])
def test_sparse_out_is_the_same_container_as_in(container: Any, dtype: Any) -> None:
    # A sparse matrix and a sparse array differ in what `*` means (matrix product against element-wise),
    # so the container type itself must come back, not only the format.
    X, y = _blobs()
    X_in = container(np.round(X).astype(dtype))
    X_res, _ = MixupSampler(random_state=0).fit_resample(X_in, y)
    assert type(X_res) is container
    assert X_res.dtype == (np.float32 if dtype is np.float32 else np.float64)
    np.testing.assert_array_equal(X_res[: X.shape[0]].toarray(), X_in.toarray())


# --- pandas in, pandas out ------------------------------------------------------------------------------------------


def test_pandas_in_pandas_out() -> None:
    X = pd.DataFrame(
        {
            "f32": np.array([0.5, 1.5, 2.5, 3.5, 9.5, 10.5], dtype=np.float32),
            "i64": [1, 2, 3, 4, 10, 20],
            "flag": [True, False, True, False, True, False],
            "nullable": pd.array([1, 2, 3, 4, 5, 6], dtype="Int64"),
        },
        index=[10, 11, 12, 13, 14, 15],
    )
    y = pd.Series(pd.Categorical(["x", "x", "x", "x", "y", "y"]), name="target", index=X.index)
    before = (X.copy(), y.copy())
    X_res, y_res = MixupSampler(random_state=0).fit_resample(X, y)
    assert isinstance(X_res, pd.DataFrame)
    assert isinstance(y_res, pd.Series)
    assert list(X_res.columns) == ["f32", "i64", "flag", "nullable"]
    assert X_res.dtypes.tolist() == [np.float32, np.float64, np.float64, np.float64]
    assert X_res.index.equals(pd.RangeIndex(8))
    assert y_res.index.equals(X_res.index)
    assert y_res.name == "target"
    assert y_res.dtype == y.dtype
    assert y_res.tolist() == ["x"] * 4 + ["y"] * 4
    assert X_res["i64"].iloc[:6].tolist() == [1, 2, 3, 4, 10, 20]
    new_i = X_res["i64"].iloc[6:]
    assert ((new_i >= 10) & (new_i <= 20)).all()
    assert (new_i != new_i.round()).any()  # mixed values kept, not truncated to int
    pd.testing.assert_frame_equal(X, before[0])  # caller's objects untouched
    pd.testing.assert_series_equal(y, before[1])


def test_sparse_frame_columns_become_sparse_float() -> None:
    X = pd.DataFrame({"s": pd.arrays.SparseArray([0, 1, 0, 2, 0, 3], fill_value=0)})
    X_res, _ = MixupSampler(random_state=0).fit_resample(X, [0, 0, 0, 0, 1, 1])
    assert X_res.dtypes.tolist() == [pd.SparseDtype(np.float64, 0.0)]
    assert X_res["s"].iloc[:6].tolist() == [0, 1, 0, 2, 0, 3]


# --- pipelines ------------------------------------------------------------------------------------------------------


class SpyClassifier(ClassifierMixin, BaseEstimator):
    """Records how many rows and which class counts reach fit and predict."""

    fitted_on: ClassVar[list[dict[Any, int]]] = []
    predicted_on: ClassVar[list[int]] = []

    def fit(self, X: Any, y: Any) -> SpyClassifier:
        self.classes_ = np.unique(y)
        SpyClassifier.fitted_on.append(dict(Counter(np.asarray(y).tolist())))
        return self

    def predict(self, X: Any) -> np.ndarray:
        SpyClassifier.predicted_on.append(len(X))
        return np.full(len(X), self.classes_[0])


def test_pipeline_resamples_only_while_fitting() -> None:
    X, y = _blobs()  # 60 rows of class 0, 12 of class 1
    SpyClassifier.fitted_on.clear()
    SpyClassifier.predicted_on.clear()
    model = make_pipeline(MixupSampler(random_state=0), SpyClassifier())
    scores = cross_val_score(model, X, y, cv=StratifiedKFold(3), scoring="accuracy")
    assert scores.shape == (3,)
    assert SpyClassifier.fitted_on == [{0: 40, 1: 40}] * 3  # each training fold balanced
    assert SpyClassifier.predicted_on == [24, 24, 24]  # each test fold scored as it is


def test_grid_search_over_sampler_parameters() -> None:
    X, y = _blobs()
    model = make_pipeline(StandardScaler(), MixupSampler(random_state=0), LogisticRegression())
    grid = {
        "mixupsampler__alpha": [0.2, 1.0],
        "mixupsampler__pairing": ["random", "neighbors"],
        "mixupsampler__label_mode": ["within_class", "dominant"],
    }
    search = GridSearchCV(model, grid, cv=StratifiedKFold(3), scoring="balanced_accuracy").fit(X, y)
    assert len(search.cv_results_["params"]) == 8
    assert search.best_score_ > 0.9  # separable blobs
    assert search.predict(X).shape == (72,)


def test_dummy_prior_sees_balanced_classes() -> None:
    X, y = _blobs()
    model = make_pipeline(MixupSampler(random_state=0), DummyClassifier(strategy="prior")).fit(X, y)
    np.testing.assert_allclose(model[-1].class_prior_, [0.5, 0.5])


# --- properties -----------------------------------------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(
    counts=st.lists(st.integers(2, 15), min_size=2, max_size=4),
    n_features=st.integers(1, 3),
    alpha=st.sampled_from([0.0, 0.2, 1.0, 4.0]),
    pairing=st.sampled_from(["random", "neighbors"]),
    seed=st.integers(0, 2**32 - 1),
)
def test_within_class_rows_stay_in_their_class_box(
    counts: list[int], n_features: int, alpha: float, pairing: str, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(len(counts)), counts)
    X = rng.normal(size=(y.shape[0], n_features)) + y[:, None] * 3
    sampler = MixupSampler(alpha=alpha, pairing=pairing, k_neighbors=1, random_state=seed)
    X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res[: len(y)], X)
    assert Counter(y_res.tolist()) == dict.fromkeys(range(len(counts)), max(counts))
    for c in range(len(counts)):
        rows, new = X[y == c], X_res[len(y) :][y_res[len(y) :] == c]
        assert (new >= rows.min(axis=0) - 1e-12).all()
        assert (new <= rows.max(axis=0) + 1e-12).all()


# --- neighbour partners, read back from copies -----------------------------------------------------------------
# With alpha=0 each new row is an exact copy of its first source (lam = 1) or of its partner (lam = 0), and the first
# sources of a class are its rows in order, once per full pass: so the copies show which partners each row has.


def partners_seen(X: np.ndarray, y: np.ndarray, X_res: np.ndarray, y_res: np.ndarray) -> dict[int, set[int]]:
    """Row -> the rows its new rows copied, from an alpha=0 resampling whose classes got whole passes only."""
    position = {row.tobytes(): i for i, row in enumerate(X)}
    assert len(position) == len(X)  # every row can be recognised
    seen: dict[int, set[int]] = {i: set() for i in range(len(X))}
    new_X, new_y = X_res[len(X) :], y_res[len(X) :]
    for c in np.unique(new_y):
        rows = np.flatnonzero(y == c)
        copies = [position[row.tobytes()] for row in new_X[new_y == c]]
        for first, copied in zip(np.tile(rows, len(copies) // len(rows)), copies, strict=True):
            seen[int(first)].add(copied)
    return seen


def test_neighbor_partners_skip_the_row_itself_even_with_duplicates() -> None:
    # Three copies of 0.0 and a 5.0 in class 0: with k=3, the neighbours of each 0.0 are the two others and the 5.0,
    # so its new rows reach 5.0; had the row counted as one of its own neighbours, the 5.0 would be crowded out.
    X = np.array([[0.0], [0.0], [0.0], [5.0], [50.0], [51.0]])
    y = np.array([0, 0, 0, 0, 1, 1])
    sampler = MixupSampler(
        pairing="neighbors", k_neighbors=3, alpha=1.0, sampling_strategy={0: 4 + 400}, random_state=0
    )
    X_res, y_res = sampler.fit_resample(X, y)
    assert (y_res[6:] == 0).all()  # only the class asked for gets rows
    new = X_res[6:, 0].reshape(100, 4)  # first sources 0, 1, 2, 3 in turn
    assert ((new >= 0) & (new <= 5)).all()
    assert ((new[:, :3] > 0).mean(axis=0) > 0.2).all()  # each duplicate has the 5.0 among its neighbours
    assert (new[:, 3] < 5).all()  # the 5.0 itself is mixed with zeros only
    only = MixupSampler(pairing="neighbors", k_neighbors=1, alpha=1.0, sampling_strategy={1: 12}, random_state=0)
    X_res, y_res = only.fit_resample(X, y)
    assert (y_res[6:] == 1).all()
    assert ((X_res[6:, 0] >= 50) & (X_res[6:, 0] <= 51)).all()  # 50 and 51 are each other's only neighbour


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 4))
def test_neighbor_partners_are_the_k_nearest_of_the_group(seed: int, k: int) -> None:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=40)
    y[:10] = 0
    y[10:20] = 1
    X = rng.normal(size=(40, 2))
    passes = 300  # each of k partners is copied with chance 1 / (2k) per pass: none is missed
    counts = np.bincount(y)
    sampler = MixupSampler(
        pairing="neighbors",
        k_neighbors=k,
        alpha=0,
        sampling_strategy={0: counts[0] * (passes + 1), 1: counts[1] * (passes + 1)},
        random_state=seed,
    )
    X_res, y_res = sampler.fit_resample(X, y)
    seen = partners_seen(X, y, X_res, y_res)
    for row in range(40):
        same = np.flatnonzero((y == y[row]) & (np.arange(40) != row))
        nearest = same[np.argsort(np.linalg.norm(X[same] - X[row], axis=1), kind="stable")[:k]]
        assert seen[row] - {row} == set(nearest.tolist())  # all k nearest, and only them (besides the row itself)


# --- bad input ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sampler", "X", "y", "error", "match"),
    [
        (MixupSampler(), X_LINE, np.linspace(0, 1, 6), ValueError, r"continuous.*mixupy\.mixup"),
        (MixupSampler(), np.array([[0.0], [np.nan], [1.0], [2.0]]), [0, 0, 0, 1], ValueError, "contains NaN"),
        (MixupSampler(), np.array([[0.0], [np.inf], [1.0], [2.0]]), [0, 0, 0, 1], ValueError, "contains infinity"),
        (MixupSampler(), X_LINE, Y_LINE[:5], ValueError, "got 6 rows in `X` and 5 labels in `y`"),
        (
            MixupSampler(pairing="neighbors", k_neighbors=2),
            X_LINE,
            Y_LINE,
            ValueError,
            "`k_neighbors`=2 needs more than 2 rows .* class 'b' has 2",
        ),
        (
            MixupSampler(pairing="neighbors", k_neighbors=1),
            np.array([[0.0], [1.0], [2.0], [7.0]]),
            [0, 0, 0, 1],
            ValueError,
            "class 1 has 1",
        ),
        (MixupSampler(sampling_strategy={"c": 9}), X_LINE, Y_LINE, ValueError, r"\{'c'\} target class is/are not"),
        (
            MixupSampler(),
            pd.DataFrame({"x": [0.0, 1.0, 2.0], "s": ["u", "v", "w"]}),
            [0, 0, 1],
            TypeError,
            "`X` has non-numeric columns: 's'",
        ),
        (
            MixupSampler(),
            pd.DataFrame([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]], columns=["x", "x"]),
            [0, 0, 1],
            ValueError,
            r"unique column names.*\['x'\]",
        ),
        (
            MixupSampler(label_mode="mix"),
            X_LINE,
            Y_LINE,
            ValueError,
            r"`label_mode` must be one of \['within_class', 'dominant'\]; got 'mix'",
        ),
        (MixupSampler(label_mode=None), X_LINE, Y_LINE, ValueError, "`label_mode` must be one of"),
        (
            MixupSampler(pairing="knn"),
            X_LINE,
            Y_LINE,
            ValueError,
            r"`pairing` must be one of \['random', 'neighbors'\]; got 'knn'",
        ),
        (MixupSampler(k_neighbors=0), X_LINE, Y_LINE, ValueError, "`k_neighbors` must be a positive integer"),
        (MixupSampler(k_neighbors=2.5), X_LINE, Y_LINE, TypeError, "`k_neighbors` must be a positive integer"),
        (MixupSampler(k_neighbors=True), X_LINE, Y_LINE, TypeError, "`k_neighbors` must be a positive integer"),
        (MixupSampler(alpha=-1), X_LINE, Y_LINE, ValueError, "`alpha` must be a finite number >= 0; got -1"),
        (MixupSampler(alpha=float("inf")), X_LINE, Y_LINE, ValueError, "`alpha` must be a finite number >= 0"),
        (MixupSampler(alpha="1"), X_LINE, Y_LINE, TypeError, "`alpha` must be a real number"),
        (MixupSampler(random_state="x"), X_LINE, Y_LINE, TypeError, "`random_state` must be None, a non-negative int"),
        (MixupSampler(random_state=-1), X_LINE, Y_LINE, ValueError, "`random_state` must be a non-negative integer"),
        (MixupSampler(sampling_strategy="most"), X_LINE, Y_LINE, ValueError, "'sampling_strategy' parameter"),
        (MixupSampler(), X_LINE, np.zeros(6), ValueError, "class"),
    ],
)
def test_bad_input(sampler: MixupSampler, X: Any, y: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        sampler.fit_resample(X, y)


def test_fit_checks_the_same_pair() -> None:
    with pytest.raises(ValueError, match="same number of rows"):
        MixupSampler().fit(X_LINE, Y_LINE[:3])
    assert MixupSampler().fit(X_LINE, Y_LINE).sampling_strategy_ == {"b": 2}


def _blobs() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    y = np.array([0] * 60 + [1] * 12)
    X = rng.normal(size=(72, 3)) + y[:, None] * 4.0
    return X, y


def test_example_runs_quick(capsys: pytest.CaptureFixture[str]) -> None:
    path = Path(__file__).resolve().parents[1] / "examples" / "imbalanced_pipeline.py"
    spec = importlib.util.spec_from_file_location("imbalanced_pipeline", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(["--quick"])
    rows = [line.split("|")[1:-1] for line in capsys.readouterr().out.splitlines() if line.startswith("| ")]
    rows = [r for r in rows if r[0].strip() != "data set"]
    assert len(rows) == 2 * len(module.samplers(0))  # two data sets, every sampler
    for _, _, accuracy, loss in rows:
        assert 0 < float(accuracy.split()[0]) <= 1
        assert float(loss.split()[0]) > 0
