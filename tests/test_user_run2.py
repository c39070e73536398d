"""Faults found by a second new-user run: the samplers in pipelines, mixup_dask, the time-series functions,
polars and pyarrow tables and the torch CPU path, on palmerpenguins and scikit-learn's bundled tables."""

from __future__ import annotations

import pandas as pd
import pytest

from mixupy import MixupSampler

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
