"""Every mixed number of a table lies between its two sources, in floating point too.

``lam * a + (1 - lam) * b`` rounds each product and the sum: two rows of year 2009 came out as
2009.0000000000002 for about 6% of such pairs, a unit past both sources. The table kernels compute
``a - (1 - lam) * (a - b)`` instead (``_apply.mix_columns``); these tests read the sources of each synthetic
row back from the draw that ``mixup`` makes for the seed, and check the value against them: between them,
exactly a source where both are equal or the weight is 1, on every path (the column kernel, the small-block
path, torch, the samplers' rows, a file).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mixupy
from mixupy import _apply
from mixupy._draw import Draw, draw
from mixupy._options import random_source


def the_draw(n: int, size: int, alpha: float, seed: int) -> Draw:
    """The draw of ``mixup(df, alpha, batch_size=size, random_state=seed)`` (default options)."""
    return draw(n, size, alpha, random_source(seed))


def columns(n: int, dtype: str, seed: int = 0) -> dict[str, np.ndarray]:
    """Columns that the two products got wrong: many equal values, neighbours one unit apart, and plain noise."""
    rng = np.random.default_rng(seed)
    one = np.asarray(1, dtype=dtype)
    near = np.nextafter(one, np.asarray(2, dtype=dtype))  # one unit above
    return {
        "year": rng.integers(2000, 2010, n).astype(dtype),
        "ulp": np.where(rng.random(n) < 0.5, one, near).astype(dtype),
        "noise": (rng.normal(size=n) * 100).astype(dtype),
    }


def assert_between(out: np.ndarray, a: np.ndarray, b: np.ndarray, lam: np.ndarray, what: str) -> None:
    low, high = np.minimum(a, b), np.maximum(a, b)
    outside = np.flatnonzero((out < low) | (out > high))
    assert outside.size == 0, f"{what}: {outside.size} values outside their sources, e.g. row {outside[:1]}"
    equal = np.flatnonzero((a == b) & (out != a))
    assert equal.size == 0, f"{what}: equal sources gave another value in {equal.size} rows"
    whole = np.flatnonzero((lam == 1.0) & (out != a))
    assert whole.size == 0, f"{what}: weight 1 is not a copy in {whole.size} rows"


@pytest.mark.parametrize("dtype", ["float64", "float32", "float16"])
@pytest.mark.parametrize("alpha", [0.01, 0.2, 4.0])
@pytest.mark.parametrize("n", [40, 70_000])  # the small-block path, then the column kernel's threads and steps
def test_every_mixed_value_lies_between_its_sources(dtype: str, alpha: float, n: int) -> None:
    df = pd.DataFrame(columns(n, dtype))
    size = n + 13  # a full pass read in place, then gathered rows
    out = mixupy.mixup(df, alpha=alpha, batch_size=size, random_state=3)
    d = the_draw(n, size, alpha, 3)
    for name in df.columns:
        x = df[name].to_numpy()
        assert out[name].dtype == x.dtype
        assert_between(out[name].to_numpy(), x[d.first], x[d.second], d.lam, f"{name} {dtype}")


def test_integer_and_bool_columns_too() -> None:
    rng = np.random.default_rng(1)
    n = 5_000
    df = pd.DataFrame({"count": rng.integers(0, 4, n), "flag": rng.random(n) < 0.5, "big": rng.integers(0, 2**52, n)})
    out = mixupy.mixup(df, alpha=0.3, random_state=2)
    d = the_draw(n, n, 0.3, 2)
    for name in df.columns:
        x = df[name].to_numpy().astype(np.float64)
        assert_between(out[name].to_numpy(), x[d.first], x[d.second], d.lam, name)


def test_the_year_that_came_out_a_unit_too_high_is_whole() -> None:
    out = mixupy.mixup(pd.DataFrame({"year": [2009.0, 2009.0]}), random_state=6)
    assert out["year"].tolist() == [2009.0, 2009.0]


def test_values_beyond_half_the_largest_float_stay_finite_and_between() -> None:
    """Their gaps may overflow: such a column is mixed by the two products, then clipped to the largest float."""
    largest = np.finfo(np.float64).max
    x = np.array([largest, -largest, 5.0, -0.9 * largest] * 50)
    for n_rows in (200, 200_000):  # the small-block path and the column kernel
        values = np.resize(x, n_rows)
        out = mixupy.mixup(pd.DataFrame({"x": values, "y": np.arange(n_rows, dtype=float)}), random_state=0)
        d = the_draw(n_rows, n_rows, 4, 0)
        assert np.isfinite(out["x"]).all()
        a, b = values[d.first], values[d.second]
        assert ((out["x"] >= np.minimum(a, b)) & (out["x"] <= np.maximum(a, b))).all()
        assert_between(out["y"].to_numpy(), d.first.astype(float), d.second.astype(float), d.lam, "y")


def test_the_kernels_agree_bit_for_bit() -> None:
    """The column kernel, the small-block path and the rows of a table (the samplers') give the same numbers."""
    n = 3_000
    block = np.array(list(columns(n, "float64", seed=5).values()))
    for alpha in (0.01, 1.0):
        d = draw(n, n + 50, alpha, np.random.default_rng(8))
        by_columns = _apply.mix_columns(list(block), d, np.dtype(np.float64))
        assert by_columns.tobytes() == _apply.mix_block(block, d, np.dtype(np.float64)).tobytes()
        assert by_columns.T.tobytes() == _apply.mix_rows(block.T.copy(), d, between=True).tobytes()


def test_torch_gives_the_numpy_numbers() -> None:
    pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    largest32 = float(np.finfo(np.float32).max)
    for dtype in ("float64", "float32"):
        df = pd.DataFrame(columns(4_000, dtype))
        df["wide"] = np.resize([largest32, -largest32, 1.0], 4_000).astype(dtype)  # wide in float32
        df["noise"] += rng.random(4_000).astype(dtype)
        for alpha in (0.01, 2.0):
            on_torch = mixupy.mixup(df, alpha=alpha, random_state=9, device="cpu")
            assert on_torch.to_numpy().tobytes() == mixupy.mixup(df, alpha=alpha, random_state=9).to_numpy().tobytes()


def test_the_samplers_rows_of_equal_sources_are_those_values() -> None:
    """A mix of two whole years is whole only where both sources are the same year (or a weight is 0 or 1): it must
    then be that year exactly, where the two products came out a unit off for about 6% of such pairs."""
    pytest.importorskip("imblearn")
    rng = np.random.default_rng(2)
    X = rng.integers(2000, 2004, (400, 3)).astype(float)
    y = np.array([0] * 300 + [1] * 100)
    for sampler in (mixupy.MixupSampler(random_state=0), mixupy.MixupRegressionSampler(random_state=0)):
        target = y if isinstance(sampler, mixupy.MixupSampler) else X[:, 0] * 2.0
        new = sampler.fit_resample(X, target)[0][len(X) :]
        whole = np.abs(new - np.round(new)) < 1e-9
        assert whole.sum() > 50
        assert (new[whole] == np.round(new[whole])).all()


def test_a_file_of_one_year_is_written_back_as_that_year(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "years.csv"
    pd.DataFrame({"year": [2009] * 500, "x": np.arange(500.0)}).to_csv(path, index=False)
    for engine in ("pandas", "pyarrow"):
        out_path = path.with_name(f"out_{engine}.csv")
        mixupy.mixup_file(path, out_path, random_state=1, alpha=0.2, engine=engine)
        years = {line.split(",")[0] for line in out_path.read_text().splitlines()[1:]}
        assert years == {"2009.0"}
