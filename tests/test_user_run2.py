"""Faults found by a second new-user run: the samplers in pipelines, mixup_dask, the time-series functions,
polars and pyarrow tables and the torch CPU path, on palmerpenguins and scikit-learn's bundled tables."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from mixupy import MixupRegressionSampler, MixupSampler, expand_soft_labels, mixup, mixup_lagged, mixup_timeseries

palmerpenguins = pytest.importorskip("palmerpenguins")


def _penguins() -> pd.DataFrame:
    return palmerpenguins.load_penguins().dropna().reset_index(drop=True)


@pytest.mark.parametrize("categorical", ["auto", [0, 5]])
def test_sampler_with_categories_forgets_the_previous_fit(categorical: object) -> None:
    """A second fit_resample with nothing to over-sample took the categories from the first fit's draw: 195 rows
    of X (15 of them NaN) for 180 labels, or an IndexError when the first table was the larger."""
    data = _penguins()
    small = pd.concat([data[data["species"] == "Adelie"].head(20), data[data["species"] == "Gentoo"].head(5)])
    balanced = data.groupby("species").head(60).reset_index(drop=True)

    def parts(frame: pd.DataFrame) -> tuple[object, pd.Series]:
        X = frame.drop(columns="species")
        return (X if categorical == "auto" else X.to_numpy()), frame["species"]

    sampler = MixupSampler(categorical=categorical, random_state=0)
    X_first, _ = sampler.fit_resample(*parts(small))
    assert len(X_first) == 40
    X_res, y_res = sampler.fit_resample(*parts(balanced))
    X_bal, _ = parts(balanced)
    assert len(X_res) == len(y_res) == 180
    if isinstance(X_res, pd.DataFrame):
        assert X_res.equals(X_bal.astype({"year": float}))  # type: ignore[union-attr]
    else:
        assert (X_res == X_bal).all()


def test_sampler_names_the_text_columns_categorical_positions_leave_out() -> None:
    """An array ``X`` with ``categorical=`` positions that miss a text column failed with NumPy's "could not
    convert string to float: 'male'", which names neither the column nor the parameter."""
    data = _penguins()
    X, y = data.drop(columns="species").to_numpy(), data["species"]
    expected = r"not numbers in column\(s\) \[5\], which `categorical`=\[0\] .*categorical=\[0, 5\]"
    with pytest.raises(TypeError, match=expected):
        MixupSampler(categorical=[0], random_state=0).fit_resample(X, y)


def _stock_panel() -> pd.DataFrame:
    """Three tickers by month, with a text sector per ticker (as matplotlib's sample Stocks.csv, melted)."""
    months = pd.date_range("1990-01-01", periods=6, freq="MS", tz="America/New_York")
    return pd.DataFrame(
        {
            "Date": np.tile(months, 3),
            "ticker": np.repeat(["IBM", "MSFT", "^GSPC"], 6),
            "price": np.linspace(10.0, 40.0, 18),
            "sector": np.repeat(["hw", "sw", "idx"], 6),
        }
    )


@pytest.mark.parametrize(
    ("call", "where", "ways"),
    [
        (lambda d: mixup_timeseries(d, id_col="ticker", time_col="Date"), "among the value_cols", "labels='sector'"),
        (
            lambda d: mixup_timeseries(d, id_col="ticker", time_col="Date", value_cols="price", static_cols="sector"),
            "among the static_cols",
            "labels='sector'",
        ),
        (
            lambda d: mixup_lagged(d, id_col="ticker", time_col="Date", time_diff=1),
            "among the value_cols (by default every column but id_col and time_col; the columns value_cols leaves "
            "out are copied",
            "",
        ),
    ],
)
def test_time_series_text_columns_are_refused_with_their_own_options(call: Any, where: str, ways: str) -> None:
    """A text column among the series' values was refused with mixup()'s hint: categorical= and keep= (parameters
    neither function has) and "value_cols.drop(columns=...)" (value_cols is no frame)."""
    with pytest.raises(TypeError) as caught:
        call(_stock_panel())
    message = str(caught.value)
    assert message.startswith(f"`data` has non-numeric columns: 'sector' (str), {where}")
    assert "Hint: data.drop(columns=['sector']) to leave them out" in message
    assert "categorical=" not in message and "keep=" not in message
    assert ways in message if ways else "labels=" not in message


def test_soft_label_text_columns_offer_no_mixup_options() -> None:
    """expand_soft_labels(X, Y) with a text column in Y offered categorical=, keep= and labels=, none of which it
    takes."""
    with pytest.raises(TypeError) as caught:
        expand_soft_labels(pd.DataFrame({"x": [1.0, 2.0]}), pd.DataFrame({"a": ["x", "y"]}))
    assert str(caught.value).endswith("Hint: Y.drop(columns=['a']) to leave them out.")


@pytest.mark.parametrize("x_kind", ["pandas", "numpy", "polars"])
@pytest.mark.parametrize("y_kind", ["polars frame", "polars series", "pyarrow table", "pyarrow array"])
def test_samplers_return_polars_and_pyarrow_labels_in_their_kind(x_kind: str, y_kind: str) -> None:
    """A one-column polars DataFrame ``y`` failed deep inside pandas ("Field elements must be 2- or 3-tuples, got
    'String'"), and beside a pandas or NumPy ``X`` a polars Series came back as pandas, a pyarrow array as NumPy."""
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    data = _penguins()
    X, y = data[["bill_length_mm", "bill_depth_mm"]], data["species"]
    given_x = {"pandas": X, "numpy": X.to_numpy(), "polars": pl.from_pandas(X)}[x_kind]
    make = {
        "polars frame": lambda s: pl.from_pandas(s.to_frame()),
        "polars series": pl.from_pandas,
        "pyarrow table": lambda s: pa.table({s.name: pa.array(s)}),
        "pyarrow array": pa.array,
    }[y_kind]
    expected_x, expected_y = MixupSampler(random_state=0).fit_resample(X, y)
    X_res, y_res = MixupSampler(random_state=0).fit_resample(given_x, make(y))
    assert type(X_res) is type(given_x)
    assert np.array_equal(np.asarray(X_res), expected_x.to_numpy())
    assert type(y_res) is type(make(y))
    back = y_res.to_pandas()
    assert (back.iloc[:, 0] if isinstance(back, pd.DataFrame) else back).tolist() == expected_y.tolist()
    targets = pl.DataFrame({"mass": data["body_mass_g"].astype(int), "flipper": data["flipper_length_mm"]})
    _, mixed = MixupRegressionSampler(random_state=0).fit_resample(given_x, targets)
    _, pandas_mixed = MixupRegressionSampler(random_state=0).fit_resample(X, targets.to_pandas())
    assert isinstance(mixed, pl.DataFrame) and mixed.schema == pl.Schema({"mass": pl.Float64, "flipper": pl.Float64})
    assert np.array_equal(mixed.to_numpy(), pandas_mixed.to_numpy())


def test_sampler_names_labels_of_types_that_do_not_sort() -> None:
    """Labels of two types (a column of codes where some were read as numbers) failed in NumPy's sort with a bare
    "'<' not supported between instances of 'int' and 'str'"; mixup(df, labels=...) takes them."""
    data = _penguins()
    y = data["species"].astype(object).where(data["species"] != "Gentoo", 3)
    with pytest.raises(TypeError, match=r"`y` holds labels of types that cannot be sorted into classes \(int, str\)"):
        MixupSampler(random_state=0).fit_resample(data[["bill_length_mm", "bill_depth_mm"]], y)


@pytest.mark.parametrize("as_array", [False, True])
def test_sampler_says_when_categorical_leaves_nothing_to_mix(as_array: bool) -> None:
    """Categories alone (island and sex) were refused with "`X` must have at least one row and one column; got
    shape (333, 0)", about a table of two columns."""
    data = _penguins()
    X = data[["island", "sex"]]
    given = X.to_numpy() if as_array else X
    categorical = [0, 1] if as_array else "auto"
    with pytest.raises(ValueError, match=r"`categorical` takes every column of `X` \(.*\): mixup needs at least one"):
        MixupSampler(categorical=categorical, random_state=0).fit_resample(given, data["species"])


def test_sampler_with_categories_records_every_feature_and_fits() -> None:
    """With categorical=, fit() refused the text columns with the hint to pass categorical=[...] (passed already),
    and fit_resample recorded the numeric part as the features seen: n_features_in_ 5 of 7, and a pipeline's
    feature_names_in_ without 'island' and 'sex'."""
    from imblearn.pipeline import make_pipeline
    from sklearn.compose import make_column_transformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    data = _penguins()
    X, y = data.drop(columns="species"), data["species"]
    fitted = MixupSampler(categorical="auto", random_state=0).fit(X, y)
    assert fitted.n_features_in_ == 7 and list(fitted.feature_names_in_) == list(X.columns)
    assert dict(fitted.sampling_strategy_) == {"Chinstrap": 78, "Gentoo": 27}
    model = make_pipeline(
        MixupSampler(categorical=["island", "sex"], random_state=0),
        make_column_transformer((OneHotEncoder(), ["island", "sex"]), remainder=StandardScaler()),
        LogisticRegression(max_iter=1000),
    ).fit(X, y)
    assert model.n_features_in_ == 7 and list(model.feature_names_in_) == list(X.columns)
    sampler = MixupSampler(categorical="auto", random_state=0)
    sampler.fit_resample(X, y)
    sampler.set_params(categorical=[0, 5]).fit_resample(X.to_numpy(), y)
    assert sampler.n_features_in_ == 7 and not hasattr(sampler, "feature_names_in_")


@pytest.mark.parametrize("kind", ["polars", "pyarrow"])
def test_sampler_fits_a_table_with_categories(kind: str) -> None:
    """fit() on a polars or pyarrow X with categorical="auto" said that an array X needs positions and then to
    "pass a DataFrame", which X was; fit_resample took the same X."""
    pl = pytest.importorskip("polars")
    data = pl.from_pandas(_penguins())
    X, y = data.drop("species"), data["species"]
    given = (X, y) if kind == "polars" else (X.to_arrow(), y.to_arrow())
    fitted = MixupSampler(categorical="auto", random_state=0).fit(*given)
    assert fitted.n_features_in_ == 7 and list(fitted.feature_names_in_) == X.columns
    assert dict(fitted.sampling_strategy_) == {"Chinstrap": 78, "Gentoo": 27}


def test_errors_with_their_own_arguments_come_back_from_a_process() -> None:
    """Dask's process scheduler, joblib and multiprocessing send an error back pickled; these errors could not be
    unpickled (Python calls ``__init__`` with the message alone), so a NaN in a partition computed on processes
    came back as "TypeError: MissingValuesError.__init__() missing 1 required positional argument: 'found'"."""
    import pickle

    from mixupy._files._read import SeparatorError
    from mixupy._labels import MissingLabelsError
    from mixupy._validation import MissingValuesError, NonNumericColumnsError

    errors = [
        MissingValuesError("data", {"x": ("missing", 2, 5)}, terms="cli"),
        MissingLabelsError("species", 1, 3),
        NonNumericColumnsError("X", {"island": "str"}, options=("categorical",)),
        SeparatorError("reads as one column", ";"),
    ]
    for error in errors:
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error) and str(back) == str(error) and vars(back) == vars(error)


def test_dask_names_the_partition_of_a_missing_value() -> None:
    """A missing value or label was named by its row in its partition alone ("the first at row 66" for row 150 of
    the table), on every scheduler; the process scheduler lost the error itself (above)."""
    dd = pytest.importorskip("dask.dataframe")
    from mixupy import mixup_dask

    data = _penguins().drop(columns=["island", "sex"])
    data.loc[150, "bill_length_mm"] = np.nan
    data.loc[200, "species"] = None
    frame = dd.from_pandas(data, npartitions=4).categorize(columns=["species"])
    first = 150 - len(frame.partitions[0].compute())
    with pytest.raises(ValueError, match=rf"the first at row {first} of partition 1 \(data\.partitions\[1\]\)"):
        mixup_dask(frame.drop(columns="species"), random_state=0).compute(scheduler="processes")
    second = 200 - len(frame.partitions[0].compute()) - len(frame.partitions[1].compute())
    expected = (
        rf"'species' holds 1 missing value\(s\), the first at row {second} of partition 2 \(data\.partitions\[2\]\)"
    )
    with pytest.raises(ValueError, match=expected):
        mixup_dask(frame.dropna(subset=["bill_length_mm"]), labels="species", random_state=0).compute()


def test_polars_columns_that_arrow_cannot_hold_are_named() -> None:
    """A polars Int128 or UInt128 column failed in pyarrow with "Invalid or unsupported format string: '_pli128'",
    naming neither the column nor a way out, in mixup() eager and lazy and in the samplers."""
    pl = pytest.importorskip("polars")
    pytest.importorskip("pyarrow")
    data = pl.from_pandas(_penguins()[["bill_length_mm", "year", "species"]])
    wide = data.with_columns(pl.col("year").cast(pl.Int128))
    expected = r"`data` columns 'year' \(Int128\), which Arrow.* cannot hold .*Hint: cast them to pl.Int64"
    with pytest.raises(TypeError, match=expected):
        mixup(wide, labels="species", random_state=0)
    with pytest.raises(TypeError, match=expected):
        mixup(wide.lazy(), labels="species", random_state=0)
    with pytest.raises(TypeError, match=r"`X` columns 'year' \(Int128\)"):
        MixupSampler(random_state=0).fit_resample(wide.drop("species"), data["species"])
    with pytest.raises(TypeError, match=r"`y` holds UInt128 values"):
        MixupSampler(random_state=0).fit_resample(data.drop("species"), data["year"].cast(pl.UInt128))


@pytest.mark.parametrize("container", ["csr_matrix", "csc_array"])
def test_samplers_mix_sparse_rows_between_their_sources(container: str) -> None:
    """A sparse X was mixed as lam * a + (1 - lam) * b, where a dense one takes a - (1 - lam) * (a - b): two
    penguins of year 2009 gave 2009.0000000000002 (outside its sources), and sparse rows differed from dense."""
    import scipy.sparse

    from mixupy import _apply
    from mixupy._draw import Draw
    from mixupy.sampler import _mix_sparse

    data = _penguins()
    X = data[["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "year"]].to_numpy(float)
    make = getattr(scipy.sparse, container)
    sampler = MixupSampler(sampling_strategy="all", random_state=0)
    X_res, _ = sampler.fit_resample(make(X), data["species"])
    assert type(X_res) is type(make(X))
    d = sampler._draw_
    expected = np.concatenate([X, _apply.mix_rows(X, d, between=True)])
    assert np.array_equal(X_res.toarray(), expected)
    target = data["body_mass_g"].to_numpy(float)
    regression = MixupRegressionSampler(random_state=0).fit_resample(make(X), target)[0].toarray()
    assert np.array_equal(regression, MixupRegressionSampler(random_state=0).fit_resample(X, target)[0])
    # the largest floats (no overflow) and a weight next to 0 (the second source, exactly), as dense rows
    wide = np.array([[1.7e308, 0.0], [-1.7e308, 1.0], [1e308, 2.0], [5.0, 3.0]])
    draw = Draw(first=np.array([0, 1, 2]), second=np.array([1, 0, 3]), lam=np.array([0.5, 1e-20, 0.3]))
    mixed = _mix_sparse(make(wide), draw).toarray()[4:]
    assert np.array_equal(mixed, _apply.mix_rows(wide, draw, between=True)) and np.isfinite(mixed).all()
