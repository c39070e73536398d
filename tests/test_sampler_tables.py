"""MixupSampler and MixupRegressionSampler on polars and pyarrow tables: resampled as pandas, the same rows,
returned in the caller's kinds and types; messages worded for the sampler and the caller's library."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from mixupy import MixupRegressionSampler, MixupSampler


def table() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    return pd.DataFrame(
        {
            "x": rng.random(30),
            "n": rng.integers(0, 100, 30),
            "colour": np.array(["red", "blue", "green"])[rng.integers(0, 3, 30)],
        }
    )


LABELS = ["small"] * 22 + ["large"] * 8


def test_polars_in_polars_out_with_the_rows_of_the_pandas_call() -> None:
    df = table()
    expected_X, expected_y = MixupSampler(categorical="auto", random_state=5).fit_resample(df, pd.Series(LABELS))
    X, y = MixupSampler(categorical="auto", random_state=5).fit_resample(pl.from_pandas(df), pl.Series("size", LABELS))
    assert isinstance(X, pl.DataFrame) and isinstance(y, pl.Series)
    assert X.schema == {"x": pl.Float64, "n": pl.Float64, "colour": pl.String}  # n mixed: float, as in pandas
    assert y.name == "size" and y.dtype == pl.String and y.to_list() == list(expected_y)
    np.testing.assert_array_equal(X["x"].to_numpy(), expected_X["x"].to_numpy())
    np.testing.assert_array_equal(X["n"].to_numpy(), expected_X["n"].to_numpy())
    assert X["colour"].to_list() == list(expected_X["colour"])
    assert (y == "large").sum() == (y == "small").sum() == 22  # the minority over-sampled to the majority


@pytest.mark.parametrize(("chunked", "batch"), [(False, False), (True, False), (False, True)])
def test_pyarrow_in_pyarrow_out_in_the_callers_types(chunked: bool, batch: bool) -> None:
    df = table()
    X_in = pa.Table.from_pandas(df, preserve_index=False).cast(
        pa.schema([("x", pa.float64()), ("n", pa.int64()), ("colour", pa.large_string())])
    )
    if batch:  # a RecordBatch comes back as one
        (X_in,) = X_in.combine_chunks().to_batches()
    labels = pa.array(LABELS, pa.large_string())
    y_in = pa.chunked_array([labels[:10], labels[10:]]) if chunked else labels
    X, y = MixupSampler(categorical=["colour"], random_state=1).fit_resample(X_in, y_in)
    assert isinstance(X, pa.RecordBatch if batch else pa.Table) and isinstance(
        y, pa.ChunkedArray if chunked else pa.Array
    )
    assert X.schema.field("colour").type == pa.large_string() and y.type == pa.large_string()
    expected_X, expected_y = MixupSampler(categorical=["colour"], random_state=1).fit_resample(df, LABELS)
    np.testing.assert_array_equal(X.column("x").to_numpy(), expected_X["x"].to_numpy())
    assert X.column("colour").to_pylist() == list(expected_X["colour"])
    assert y.to_pylist() == list(expected_y)


def test_a_lazy_frame_is_collected_and_numpy_labels_stay_numpy() -> None:
    df = table().drop(columns=["colour"])
    X, y = MixupSampler(random_state=2).fit_resample(pl.from_pandas(df).lazy(), np.array(LABELS))
    assert isinstance(X, pl.DataFrame) and isinstance(y, np.ndarray)
    expected_X, _ = MixupSampler(random_state=2).fit_resample(df, np.array(LABELS))
    np.testing.assert_array_equal(X.to_numpy(), expected_X.to_numpy())


def test_the_regression_sampler_mixes_polars_features_and_target_with_one_lam() -> None:
    df = table().drop(columns=["colour"])
    target = 2.0 * df["x"] + 1.0
    X, y = MixupRegressionSampler(random_state=4).fit_resample(pl.from_pandas(df), pl.Series("t", target))
    assert isinstance(X, pl.DataFrame) and isinstance(y, pl.Series) and y.name == "t"
    expected_X, expected_y = MixupRegressionSampler(random_state=4).fit_resample(df, target)
    np.testing.assert_array_equal(X.to_numpy(), expected_X.to_numpy())
    np.testing.assert_allclose(y.to_numpy(), 2.0 * X["x"].to_numpy() + 1.0)  # a linear target stays on its line
    np.testing.assert_array_equal(y.to_numpy(), np.asarray(expected_y))


@pytest.mark.parametrize(
    ("make", "drop"),
    [
        (lambda df: df, "X.drop(columns=['colour'])"),
        (pl.from_pandas, "X.drop(['colour'])"),
        (lambda df: pa.Table.from_pandas(df, preserve_index=False), "X.drop_columns(['colour'])"),
    ],
)
def test_text_columns_are_named_with_the_samplers_own_options(make: object, drop: str) -> None:
    X = make(table())  # type: ignore[operator]
    with pytest.raises(TypeError) as caught:
        MixupSampler(random_state=0).fit_resample(X, LABELS)
    message = str(caught.value)
    assert "'colour'" in message and "categorical=['colour']" in message and drop in message
    assert "keep=" not in message and "labels=" not in message  # mixup()'s parameters, not the sampler's
    with pytest.raises(TypeError) as caught:
        MixupRegressionSampler(random_state=0).fit_resample(X, np.arange(30.0))
    assert drop in str(caught.value) and "categorical=" not in str(caught.value)  # it has no categorical=
