"""The iris data shipped inside the package."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris as sklearn_iris

from mixupy.datasets import load_iris


def test_shipped_iris_matches_scikit_learn() -> None:
    ours = load_iris(one_hot=False)
    ref = sklearn_iris()
    np.testing.assert_array_equal(ours.iloc[:, :4].to_numpy(), ref.data)
    np.testing.assert_array_equal(ours["species"].to_numpy(), ref.target_names[ref.target])


def test_one_hot_layout() -> None:
    iris = load_iris()
    assert list(iris.columns) == [
        "sepal_length",
        "sepal_width",
        "petal_length",
        "petal_width",
        "setosa",
        "versicolor",
        "virginica",
    ]
    assert all(pd.api.types.is_bool_dtype(t) for t in iris.dtypes.iloc[4:])
    assert (iris.iloc[:, 4:].sum(axis=1) == 1).all()


def test_bad_argument() -> None:
    with pytest.raises(TypeError, match="one_hot"):
        load_iris(one_hot="yes")  # type: ignore[arg-type]
