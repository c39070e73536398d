"""MixupRegressionSampler: imbalanced-learn's checks, the draw shared with mixup(), pipelines, bad input."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pytest
import scipy.sparse
from imblearn.pipeline import make_pipeline
from imblearn.utils.estimator_checks import estimator_checks_generator
from sampler_checks import API_CHECKS, listed_checks
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score

import mixupy
from mixupy import MixupRegressionSampler, mixup

CONFIGURATIONS = [
    MixupRegressionSampler(random_state=0),
    MixupRegressionSampler(pairing="target", random_state=0),
    MixupRegressionSampler(pairing="target", bandwidth=0.5, alpha=0.4, concat=False, ratio=2.0, random_state=0),
    MixupRegressionSampler(pairing="neighbors", k_neighbors=3, random_state=0),
]

#: imbalanced-learn's checks written for samplers of classes, and why they do not apply to one of regression targets.
NOT_APPLICABLE = frozenset(
    {
        # it requires a continuous y to be refused ("Unknown label type"): taking a continuous y is this sampler's job
        "check_target_type",
        # it requires one-hot labels to resample as their integer classes do and come back one-hot: here a 2-D y is
        # several targets, mixed into fractions (and, by target distance, paired by another distance)
        "check_samplers_multiclass_ova",
        # it requires an int32 y to come back int32: mixed targets are fractions, so integer targets come back float64
        # (X's float32 is kept: test_float32_features_stay_float32)
        "check_samplers_preserve_dtype",
    }
)

ESTIMATOR_CHECKS = listed_checks(CONFIGURATIONS, leave_out=NOT_APPLICABLE)


@pytest.mark.parametrize(("estimator", "check"), ESTIMATOR_CHECKS)
def test_imblearn_estimator_checks(estimator: MixupRegressionSampler, check: Any) -> None:
    check(estimator)


#: Every other check imbalanced-learn generates for a sampler, run above (a constant y is refused by
#: check_samplers_one_label's standard: its message names class labels).
APPLICABLE = (
    frozenset(
        "check_samplers_" + name
        for name in ("one_label", "fit", "fit_resample", "sampling_strategy_fit_resample", "sparse", "pandas")
    )
    | {"check_samplers_pandas_sparse", "check_samplers_list", "check_samplers_sample_indices"}
    | {"check_samplers_2d_target", "check_sampler_get_feature_names_out", "check_sampler_get_feature_names_out_pandas"}
)


def test_only_the_checks_for_class_samplers_are_left_out() -> None:
    generated = {check.func.__name__ for _, check in estimator_checks_generator(MixupRegressionSampler())}
    assert generated == APPLICABLE | NOT_APPLICABLE
    assert len({param.values[1].func.__name__ for param in ESTIMATOR_CHECKS}) == len(APPLICABLE)


@pytest.mark.parametrize("check", API_CHECKS, ids=lambda check: check.__name__)
def test_scikit_learn_api_and_imblearn_parameter_checks(check: Any) -> None:
    for configuration in CONFIGURATIONS:  # every parameter declared, get/set_params, nothing set in __init__
        check(type(configuration).__name__, configuration)


def test_registered_lazily_with_keyword_only_parameters() -> None:
    assert "MixupRegressionSampler" in mixupy.__all__ and mixupy.MixupRegressionSampler is MixupRegressionSampler
    with pytest.raises(TypeError):
        MixupRegressionSampler(1.0)  # type: ignore[misc]


def regression(n: int = 60, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    return X, X @ np.array([2.0, -1.0, 0.5]) + 0.1 * rng.normal(size=n)


@pytest.mark.parametrize("pairing", ["random", "target", "neighbors"])
def test_the_draw_is_mixups_draw(pairing: str) -> None:
    X, y = regression()
    sampler = MixupRegressionSampler(alpha=0.7, pairing=pairing, concat=False, random_state=3)
    X_res, y_res = sampler.fit_resample(X, y)
    df = pd.DataFrame(X, columns=["a", "b", "c"]).assign(y=y)
    options = {"target": "y"} if pairing != "neighbors" else {"target": "y", "k_neighbors": 5}
    expected = mixup(df, alpha=0.7, pairing=pairing, random_state=3, **options)
    np.testing.assert_array_equal(X_res, expected[["a", "b", "c"]].to_numpy())
    np.testing.assert_array_equal(y_res, expected["y"].to_numpy())


def test_originals_first_then_ratio_times_as_many_mixed_rows() -> None:
    X, y = regression(40)
    X_res, y_res = MixupRegressionSampler(ratio=1.5, random_state=0).fit_resample(X, y)
    assert X_res.shape == (100, 3) and y_res.shape == (100,)
    np.testing.assert_array_equal(X_res[:40], X)
    np.testing.assert_array_equal(y_res[:40], y)
    X_only, _ = MixupRegressionSampler(ratio=0.5, concat=False, random_state=0).fit_resample(X, y)
    assert X_only.shape == (20, 3)


def test_features_and_target_share_lam() -> None:
    X = np.arange(10.0)[:, None]
    y = 4 * X[:, 0] - 2  # a linear target: mixing with one lam keeps it exact
    for pairing in ("random", "target"):
        X_res, y_res = MixupRegressionSampler(pairing=pairing, random_state=1).fit_resample(X, y)
        np.testing.assert_allclose(y_res, 4 * X_res[:, 0] - 2, rtol=0, atol=1e-12)


def test_several_targets_and_pandas_in_pandas_out() -> None:
    X, y = regression(30)
    frame = pd.DataFrame(X, columns=["a", "b", "c"]).astype({"a": np.int64})
    targets = pd.DataFrame({"t1": y, "t2": np.arange(30)})
    X_res, y_res = MixupRegressionSampler(pairing="target", random_state=2).fit_resample(frame, targets)
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.DataFrame)
    assert list(X_res.columns) == ["a", "b", "c"] and list(y_res.columns) == ["t1", "t2"]
    assert (X_res.dtypes == np.float64).all() and (y_res.dtypes == np.float64).all()  # mixed values kept
    assert (y_res["t2"].iloc[30:] % 1 != 0).any()
    series = pd.Series(y, name="price")
    _, s_res = MixupRegressionSampler(random_state=2).fit_resample(frame, series)
    assert isinstance(s_res, pd.Series) and s_res.name == "price" and len(s_res) == 60


def test_sparse_in_sparse_out_equal_to_dense() -> None:
    X, y = regression(30)
    X[X < 0] = 0
    for container in (scipy.sparse.csr_matrix, scipy.sparse.csc_array):
        sparse_res, y_sparse = MixupRegressionSampler(concat=False, random_state=4).fit_resample(container(X), y)
        dense_res, y_dense = MixupRegressionSampler(concat=False, random_state=4).fit_resample(X, y)
        assert type(sparse_res) is container
        np.testing.assert_allclose(sparse_res.toarray(), dense_res)
        np.testing.assert_array_equal(y_sparse, y_dense)


def test_float32_features_stay_float32() -> None:
    X, y = regression(20)
    X_res, y_res = MixupRegressionSampler(random_state=0).fit_resample(X.astype(np.float32), y.astype(np.float32))
    assert X_res.dtype == np.float32 and y_res.dtype == np.float32


class SpyRegressor(RegressorMixin, BaseEstimator):
    """Records the number of rows it is fitted on and asked to predict."""

    fitted_on: ClassVar[list[int]] = []
    predicted_on: ClassVar[list[int]] = []

    def fit(self, X: Any, y: Any) -> SpyRegressor:
        SpyRegressor.fitted_on.append(len(X))
        self.mean_ = float(np.mean(y))
        return self

    def predict(self, X: Any) -> np.ndarray:
        SpyRegressor.predicted_on.append(len(X))
        return np.full(len(X), self.mean_)


def test_cross_val_score_mixes_only_the_training_folds() -> None:
    X, y = regression(90)
    SpyRegressor.fitted_on.clear()
    SpyRegressor.predicted_on.clear()
    model = make_pipeline(MixupRegressionSampler(pairing="target", random_state=0), SpyRegressor())
    scores = cross_val_score(model, X, y, cv=KFold(3), scoring="neg_root_mean_squared_error")
    assert scores.shape == (3,)
    assert SpyRegressor.fitted_on == [120, 120, 120]  # 60 training rows, then 60 mixed ones
    assert SpyRegressor.predicted_on == [30, 30, 30]  # each test fold scored as it is


def test_grid_search_over_alpha_and_bandwidth() -> None:
    X, y = regression(90)
    model = make_pipeline(MixupRegressionSampler(pairing="target", random_state=0), Ridge(alpha=1e-3))
    grid = {"mixupregressionsampler__alpha": [0.2, 2.0], "mixupregressionsampler__bandwidth": [0.3, 1.0, None]}
    search = GridSearchCV(model, grid, cv=KFold(3), scoring="neg_root_mean_squared_error").fit(X, y)
    assert len(search.cv_results_["params"]) == 6
    assert search.best_score_ > -0.5  # a linear target: mixed rows of a linear model stay on it
    assert search.predict(X).shape == (90,)


X_GOOD, Y_GOOD = regression(20)


@pytest.mark.parametrize(
    ("sampler", "X", "y", "error", "match"),
    [
        (
            MixupRegressionSampler(),
            X_GOOD,
            np.array(["a", "b"] * 10),
            ValueError,
            r"for class labels use .*MixupSampler",
        ),
        (MixupRegressionSampler(), X_GOOD, np.zeros(20), ValueError, r"one distinct value \(0.0\).*class labels"),
        (MixupRegressionSampler(), X_GOOD, np.r_[np.nan, Y_GOOD[1:]], ValueError, r"holds missing \(NaN\) targets"),
        (MixupRegressionSampler(), X_GOOD, np.r_[np.inf, Y_GOOD[1:]], ValueError, r"holds infinite targets"),
        (MixupRegressionSampler(), X_GOOD, Y_GOOD[:10], ValueError, r"same number of rows; got 20 rows in `X`"),
        (MixupRegressionSampler(pairing="kde"), X_GOOD, Y_GOOD, ValueError, r"`pairing` must be one of"),
        (MixupRegressionSampler(bandwidth=-1.0), X_GOOD, Y_GOOD, ValueError, r"`bandwidth` must be a positive"),
        (MixupRegressionSampler(alpha=-1), X_GOOD, Y_GOOD, ValueError, r"`alpha` must be a finite number >= 0"),
        (MixupRegressionSampler(ratio=0), X_GOOD, Y_GOOD, ValueError, r"`ratio` must be a positive finite number"),
        (MixupRegressionSampler(ratio="1"), X_GOOD, Y_GOOD, TypeError, r"`ratio` must be a positive number"),
        (MixupRegressionSampler(concat=1), X_GOOD, Y_GOOD, TypeError, r"`concat` must be True or False"),
        (MixupRegressionSampler(pairing="neighbors", k_neighbors=20), X_GOOD, Y_GOOD, ValueError, r"more than 20"),
        (
            MixupRegressionSampler(),
            pd.DataFrame({"a": X_GOOD[:, 0], "s": ["x"] * 20}),
            Y_GOOD,
            TypeError,
            r"`X` has non-numeric columns: 's'",
        ),
    ],
)
def test_bad_input(sampler: MixupRegressionSampler, X: Any, y: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        sampler.fit_resample(X, y)
    with pytest.raises(error, match=match):
        sampler.fit(X, y)
