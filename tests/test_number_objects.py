"""Numbers kept as Python objects (``Decimal``, as a database driver gives them) are numbers, not categories.

``categorical="auto"`` used to take such a column and carry it from one source, silently unmixed; and the
message for a column of them named only categorical=, keep= and drop=, never the conversion that mixes it.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import mixupy
from mixupy.cli import main


def _prices() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "price": [Decimal(str(v)) for v in np.linspace(1, 9, 12)],
            "x": np.arange(12.0),
            "shop": list("abcabcabcabc"),
        }
    )


@pytest.mark.parametrize("categorical", [None, "auto"])
def test_a_decimal_column_is_refused_with_the_conversion_that_mixes_it(categorical: str | None) -> None:
    data = _prices()
    with pytest.raises(TypeError, match=r"data\['price'\]\.astype\(float\) to mix it as numbers") as info:
        mixupy.mixup(data, categorical=categorical, random_state=0)
    assert "'price' (object)" in str(info.value)
    if categorical == "auto":  # the text column is taken, the numbers are not
        assert "'shop'" not in str(info.value).split("Hint")[0]
    assert data.equals(_prices())  # the caller's frame as it was


def test_converted_as_the_message_says_the_column_mixes_between_its_sources() -> None:
    data = _prices()
    data["price"] = data["price"].astype(float)
    out = mixupy.mixup(data, categorical="auto", random_state=0)
    assert out["price"].dtype == np.float64
    assert out["price"].between(1, 9).all()
    assert not out["price"].isin(data["price"]).all()  # mixed, not carried from a source
    assert set(out["shop"]) <= set("abc")


def test_named_in_keep_or_categorical_it_is_carried_as_asked() -> None:
    out = mixupy.mixup(_prices(), keep="price", categorical="auto", random_state=0)
    assert out["price"].map(type).eq(Decimal).all()
    assert set(out["price"]) <= set(_prices()["price"])


def test_the_sampler_refuses_it_alike() -> None:
    data = _prices()
    y = pd.Series([0] * 9 + [1] * 3)
    with pytest.raises(TypeError, match=r"X\['price'\]\.astype\(float\) to mix it as numbers"):
        mixupy.MixupSampler(categorical="auto", random_state=0).fit_resample(data, y)


def test_a_column_of_numbers_and_text_is_not_called_numbers() -> None:
    data = _prices().astype({"price": object})
    data.loc[3, "price"] = "n/a"
    with pytest.raises(TypeError) as info:
        mixupy.mixup(data, random_state=0)
    assert "astype(float)" not in str(info.value)
    out = mixupy.mixup(data, categorical="auto", random_state=0)  # text among them: a category, as before
    assert set(out["price"]) <= set(data["price"])


@pytest.mark.parametrize("engine", ["pyarrow", "pandas"])
def test_a_file_integer_beyond_64_bits_is_named_with_its_row_and_the_way_to_mix_it(
    tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path
    (folder / "big.csv").write_text("x,y\n1,2\n99999999999999999999999,3\n4,5\n")
    code = main(["augment", str(folder / "big.csv"), "-o", str(folder / "out.csv"), "--engine", engine])
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "'x' holds 99999999999999999999999 at row 1, an integer too large for 64 bits" in err[0]
    assert "(99999999999999999999999.0)" in err[0]
    assert sorted(p.name for p in folder.iterdir()) == ["big.csv"]
