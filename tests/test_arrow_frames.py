"""polars DataFrames and LazyFrames, pyarrow Tables: the kind returned, the pandas path's dtype rules, its values.

Every result is checked against the pandas path on the same data and seed (``frame.to_pandas()``), read back
value for value, so that a conversion can never change what a user gets.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mixupy

pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")
pl_testing = pytest.importorskip("polars.testing")

ROOT = Path(__file__).resolve().parents[1]
DAY = dt.timedelta(days=1)


def _frame(n: int = 12) -> pl.DataFrame:
    """One column of every kind the pandas path knows, and a class column ``y``."""
    rng = np.random.default_rng(7)
    start = dt.datetime(2024, 3, 30, 12)
    return pl.DataFrame(
        {
            "f32": pl.Series(rng.random(n), dtype=pl.Float32),
            "f64": rng.normal(size=n),
            "i16": pl.Series(rng.integers(-50, 50, n), dtype=pl.Int16),
            "u8": pl.Series(rng.integers(0, 200, n), dtype=pl.UInt8),
            "flag": rng.random(n) < 0.5,
            "zoned": pl.Series([start + k * DAY for k in range(n)]).dt.replace_time_zone("Europe/Paris"),
            "naive_ns": pl.Series([start + k * 7 * DAY for k in range(n)]).cast(pl.Datetime("ns")),
            "day": [dt.date(2020, 1, 1) + k * 3 * DAY for k in range(n)],
            "wait": pl.Series([k * DAY / 3 for k in range(n)]),
            "town": pl.Series(["Oslo", "Lima", "Pune"] * (n // 3)),
            "shop": pl.Series(["a", "b"] * (n // 2), dtype=pl.Categorical),
            "size": pl.Series(["S", "M", "L", "M"] * (n // 4), dtype=pl.Enum(["S", "M", "L"])),
            "id": pl.Series(range(n), dtype=pl.Int32),
            "y": ["cat", "dog", "cow"] * (n // 3),
        }
    )


OPTIONS = {"labels": "y", "categorical": ["town", "shop", "size"], "keep": "id"}


def _expected(data: pl.DataFrame, **options: object) -> pl.DataFrame:
    """The pandas path on ``data.to_pandas()``, read back as polars values."""
    return pl.from_pandas(mixupy.mixup(data.to_pandas(), **options))


def _assert_values_equal(out: pl.DataFrame, expected: pl.DataFrame) -> None:
    assert out.columns == expected.columns
    for name in out.columns:  # the caller's types are checked elsewhere; here, every value
        got, want = out[name], expected[name]
        if got.dtype == pl.Date:  # mixed dates are rounded to the nearest day
            want = want.dt.round("1d").cast(pl.Date)
        assert got.to_list() == want.to_list(), name


# --- the kind returned, and the pandas path's values ---


@pytest.mark.parametrize("concat", [False, True])
def test_polars_in_polars_out_with_the_pandas_values(concat: bool) -> None:
    data = _frame()
    out = mixupy.mixup(data, alpha=1, concat=concat, random_state=3, **OPTIONS)
    assert isinstance(out, pl.DataFrame)
    assert out.height == data.height * (1 + concat)
    _assert_values_equal(out, _expected(data, alpha=1, concat=concat, random_state=3, **OPTIONS))


def _one_batch(table: pa.Table) -> pa.RecordBatch:
    (batch,) = table.combine_chunks().to_batches()
    return batch


@pytest.mark.parametrize("kind", ["Table", "RecordBatch"])
def test_arrow_in_arrow_out_with_the_pandas_values(kind: str) -> None:
    table = _frame().to_arrow()
    data = table if kind == "Table" else _one_batch(table)
    out = mixupy.mixup(data, alpha=1, batch_size=30, random_state=5, **OPTIONS)
    assert type(out).__name__ == kind
    assert out.num_rows == 30
    assert out.schema.metadata is None  # no pandas metadata left behind
    expected = pl.from_pandas(
        mixupy.mixup(table.to_pandas(date_as_object=False), alpha=1, batch_size=30, random_state=5, **OPTIONS)
    )
    _assert_values_equal(pl.from_arrow(out), expected)


def _counted(data: pl.DataFrame, reads: list[int]) -> pl.LazyFrame:
    """``data`` as a LazyFrame that counts how often it is read."""

    def read(batch: pl.DataFrame) -> pl.DataFrame:
        reads.append(batch.height)
        return batch

    return data.lazy().map_batches(read)


def test_a_lazy_frame_stays_lazy_and_is_read_once_per_collect() -> None:
    data = _frame().with_columns(pl.col("y").cast(pl.Enum(["cat", "cow", "dog"])))  # the classes, in the schema
    reads: list[int] = []
    plan = mixupy.mixup(_counted(data, reads), alpha=1, random_state=2, **OPTIONS)
    assert isinstance(plan, pl.LazyFrame)
    assert reads == []  # nothing read yet
    eager = mixupy.mixup(data, alpha=1, random_state=2, **OPTIONS)
    assert plan.collect_schema() == eager.schema
    pl_testing.assert_frame_equal(plan.collect(), eager)
    assert reads == [data.height]
    # a filter after the mix is not pushed before it: it selects mixed rows
    pl_testing.assert_frame_equal(plan.filter(pl.col("f64") > 0).collect(), eager.filter(pl.col("f64") > 0))


def test_a_planned_lazy_frame_gives_every_enum_category_a_column() -> None:
    data = pl.DataFrame({"x": [1.0, 2, 3, 4], "y": pl.Series(list("abab"), dtype=pl.Enum(["a", "zz", "b"]))})
    plan = mixupy.mixup(data.lazy(), labels="y", concat=True, random_state=0)
    assert plan.collect_schema().names() == ["x", "y_a", "y_zz", "y_b"]  # as the schema says, in its order
    out = plan.collect()
    assert out["y_zz"].to_list() == [0.0] * 8  # a class absent from the data has probability 0
    pl_testing.assert_frame_equal(out.drop("y_zz"), mixupy.mixup(data, labels="y", concat=True, random_state=0))


def test_a_lazy_frame_whose_classes_need_the_data_is_collected_once() -> None:
    data = _frame()  # "y" is a String column: its classes, and so the output columns, are in the data
    reads: list[int] = []
    out = mixupy.mixup(_counted(data.lazy().filter(pl.col("f64") > -5).collect(), reads), random_state=2, **OPTIONS)
    assert isinstance(out, pl.LazyFrame)
    assert reads == [data.height]
    pl_testing.assert_frame_equal(out.collect(), mixupy.mixup(data, random_state=2, **OPTIONS))
    assert reads == [data.height]  # collecting the result reads the input no more


def test_a_lazy_frame_is_checked_against_its_schema_at_once() -> None:
    reads: list[int] = []
    with pytest.raises(TypeError, match=r"'town' \(String\).*data\.drop\("):
        mixupy.mixup(_counted(_frame().select("f64", "town"), reads))
    assert reads == []


POLARS_NUMBERS = (pl.Float32, pl.Float64, pl.Int8, pl.Int64, pl.UInt32, pl.Boolean)


@settings(max_examples=40)
@given(
    dtypes=st.lists(st.sampled_from(POLARS_NUMBERS), min_size=1, max_size=5),
    rows=st.integers(1, 30),
    batch=st.one_of(st.none(), st.integers(1, 40)),
    concat=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_any_numeric_table_gives_the_pandas_values(
    dtypes: list[object], rows: int, batch: int | None, concat: bool, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    data = pl.DataFrame([pl.Series(f"c{j}", rng.integers(0, 100, rows)).cast(t) for j, t in enumerate(dtypes)])
    options = {"alpha": 0.5, "batch_size": batch, "concat": concat, "random_state": seed}
    expected = _expected(data, **options)
    for given_data in (data, data.to_arrow(), data.lazy()):
        out = mixupy.mixup(given_data, **options)
        out = out.collect() if isinstance(out, pl.LazyFrame) else pl.DataFrame(out)
        _assert_values_equal(out, expected)
        assert [out.schema[c] for c in out.columns] == [expected.schema[c] for c in expected.columns]


# --- the dtype rules of the pandas path, in the caller's types ---


def test_polars_types_follow_the_pandas_rules() -> None:
    out = mixupy.mixup(_frame(), random_state=0, **OPTIONS)
    schema = dict(out.schema)
    assert schema["f32"] == pl.Float32 and schema["f64"] == pl.Float64
    assert schema["i16"] == schema["u8"] == schema["flag"] == pl.Float64  # numbers mixed become float64
    assert schema["zoned"] == pl.Datetime("us", "Europe/Paris")
    assert schema["naive_ns"] == pl.Datetime("ns")
    assert schema["day"] == pl.Date and schema["wait"] == pl.Duration("us")
    assert schema["town"] == pl.String and schema["shop"] == pl.Categorical
    assert schema["size"] == pl.Enum(["S", "M", "L"])
    assert schema["id"] == pl.Int32  # carried by keep=: exact, in its type
    assert out.columns[-3:] == ["y_cat", "y_cow", "y_dog"]  # the class column, as probability columns
    assert all(schema[c] == pl.Float64 for c in out.columns[-3:])
    assert out.columns[:-3] == _frame().columns[:-1]  # the order kept


def test_arrow_types_follow_the_pandas_rules() -> None:
    table = _frame().to_arrow()
    out = mixupy.mixup(table, random_state=0, **OPTIONS)
    types = {f.name: f.type for f in out.schema}
    assert types["f32"] == pa.float32() and types["i16"] == types["flag"] == pa.float64()
    assert types["zoned"] == pa.timestamp("us", tz="Europe/Paris") and types["day"] == pa.date32()
    for name in ["town", "shop", "size", "id", "naive_ns", "wait"]:
        assert types[name] == table.schema.field(name).type, name


def test_times_stay_between_their_sources_and_dates_fall_on_days() -> None:
    data = _frame()
    out = mixupy.mixup(data, alpha=1, random_state=4, **OPTIONS)
    for name in ["zoned", "naive_ns", "day", "wait"]:
        low, high = data[name].min(), data[name].max()
        assert out[name].is_between(low, high).all(), name
    assert out["zoned"].dt.convert_time_zone("UTC").dt.timestamp().is_not_null().all()
    assert out["day"].n_unique() > 1


def test_an_arrow_table_from_pandas_keeps_its_zone_and_categories() -> None:
    frame = pd.DataFrame(
        {
            "t": pd.date_range("2024-01-01", periods=6, freq="h", tz="America/Lima"),
            "x": np.arange(6.0),
            "kind": pd.Categorical(list("abcabc"), categories=list("cba")),
        }
    )
    table = pa.Table.from_pandas(frame, preserve_index=False)
    out = mixupy.mixup(table, categorical="kind", random_state=1)
    assert out.schema.field("t").type == table.schema.field("t").type  # the unit pandas gave it, and the zone
    assert out.schema.field("t").type.tz == "America/Lima"
    assert out.schema.field("kind").type == table.schema.field("kind").type
    back = out.to_pandas()
    assert list(back["kind"].cat.categories) == ["c", "b", "a"]
    pd.testing.assert_frame_equal(back, mixupy.mixup(frame, categorical="kind", random_state=1))


def test_a_kept_column_keeps_its_nulls_as_nulls_and_its_nan_as_nan() -> None:
    data = pl.DataFrame({"x": [0.0, 1, 2, 3], "note": [1.5, None, float("nan"), 2.0], "n": [1, None, 3, 4]})
    for kind in (data, data.to_arrow()):
        out = pl.DataFrame(mixupy.mixup(kind, keep=["note", "n"], concat=True, random_state=0))
        assert out.schema["n"] == pl.Int64 and out.schema["note"] == pl.Float64
        originals = out.head(4)
        assert originals["note"].is_null().to_list() == [False, True, False, False]
        assert originals["note"].is_nan().to_list() == [False, None, True, False]
        assert originals["n"].to_list() == [1, None, 3, 4]
        assert set(out["n"].tail(4).to_list()) <= {1, None, 3, 4}


def test_any_other_type_is_refused_unless_carried_and_then_kept() -> None:
    other = {
        "dec": pl.Series([1, 2, 3]).cast(pl.Decimal(10, 2)),
        "clock": [dt.time(1), dt.time(2), dt.time(3)],
        "items": [[1, 2], [3], []],
        "record": [{"a": 1}, {"a": 2}, {"a": 3}],
        "raw": [b"a", b"b", b"c"],
    }
    for name, values in other.items():
        data = pl.DataFrame({"x": [1.0, 2.0, 3.0], name: values})
        with pytest.raises(TypeError, match=rf"non-numeric columns: '{name}' \({re.escape(str(data.schema[name]))}\)"):
            mixupy.mixup(data)
        out = mixupy.mixup(data, keep=name, concat=True, random_state=0)
        assert out.schema[name] == data.schema[name], name
        assert out[name].head(3).to_list() == data[name].to_list(), name
        table = mixupy.mixup(data.to_arrow(), keep=name, random_state=0)
        assert table.schema.field(name).type == data.to_arrow().schema.field(name).type, name


# --- labels ---


def test_class_probabilities_sum_to_one_and_exact_labels_keep_their_type() -> None:
    data = _frame().with_columns(pl.col("y").cast(pl.Categorical))
    mixed = mixupy.mixup(data, alpha=1, random_state=0, **OPTIONS)
    assert np.allclose(mixed.select("y_cat", "y_cow", "y_dog").sum_horizontal().to_numpy(), 1.0)
    exact = mixupy.mixup(data, alpha=1, label_mode="dominant", random_state=0, **OPTIONS)
    assert exact.schema["y"] == pl.Categorical and set(exact["y"]) <= {"cat", "dog", "cow"}


def test_one_hot_labels_mix_with_the_features_lam() -> None:
    base = pl.DataFrame({"x": [0.0, 10.0, 0.0, 10.0], "a": [1, 0, 1, 0], "b": [0, 1, 0, 1]})
    for data in (base, base.to_arrow()):
        out = pl.DataFrame(mixupy.mixup(data, alpha=1, labels=["a", "b"], random_state=0))
        assert out.schema["a"] == pl.Float64
        assert np.allclose((out["a"] + out["b"]).to_numpy(), 1.0)
        assert np.allclose((out["x"] / 10).to_numpy(), out["b"].to_numpy())


# --- categorical="auto" on a real table ---


def test_penguins_as_polars_and_arrow_give_the_pandas_rows() -> None:
    from palmerpenguins import load_penguins

    penguins = pl.from_pandas(load_penguins()).drop_nulls()  # 333 complete rows of 344
    options = {"labels": "species", "categorical": "auto", "keep": "year", "concat": True, "random_state": 0}
    out = mixupy.mixup(penguins, **options)
    assert out.height == 2 * penguins.height
    assert out.schema["island"] == pl.String and out.schema["year"] == pl.Int64
    assert out.schema["species_Adelie"] == pl.Float64
    _assert_values_equal(out, _expected(penguins, **options))
    table = mixupy.mixup(penguins.to_arrow(), **options)
    pl_testing.assert_frame_equal(pl.from_arrow(table), out)


# --- the functions built on the frame path ---


def test_cutmix_and_the_time_series_functions_return_the_callers_kind() -> None:
    long = pl.DataFrame(
        {
            "id": np.repeat([1, 2, 3], 4),
            "t": np.tile(np.arange(4), 3),
            "x": np.arange(12.0),
            "kind": ["u"] * 8 + ["d"] * 4,
        }
    )
    calls = {
        "cutmix": lambda d: mixupy.cutmix(d, labels="kind", random_state=0),
        "mixup_timeseries": lambda d: mixupy.mixup_timeseries(
            d, id_col="id", time_col="t", labels="kind", random_state=0
        ),
        "mixup_lagged": lambda d: mixupy.mixup_lagged(
            d, time_diff=1, id_col="id", time_col="t", value_cols="x", random_state=0
        ),
    }
    for name, call in calls.items():
        expected = pl.from_pandas(call(long.to_pandas()))
        for data in (long, long.to_arrow(), _one_batch(long.to_arrow())):
            out = call(data)
            assert isinstance(out, type(data)), name
            _assert_values_equal(pl.DataFrame(out), expected)


# --- errors, in the caller's terms ---


@pytest.mark.parametrize("column", ["f64", "i16", "flag"])
def test_nulls_are_missing_values_in_the_callers_words(column: str) -> None:
    data = _frame().with_columns(
        pl.when(pl.int_range(pl.len()) == 2).then(None).otherwise(pl.col(column)).alias(column)
    )
    with pytest.raises(
        ValueError, match=rf"column '{column}' holds 1 missing value\(s\), the first at row 2.*drop_nulls"
    ):
        mixupy.mixup(data, **OPTIONS)
    with pytest.raises(ValueError, match=rf"column '{column}' holds 1 missing value.*drop_null\(\)"):
        mixupy.mixup(data.to_arrow(), **OPTIONS)
    with pytest.raises(ValueError, match="missing value"):
        mixupy.mixup(data.lazy(), **OPTIONS)  # collected at once: the classes of "y" are in the data
    planned = mixupy.mixup(data.lazy(), **{**OPTIONS, "labels": None, "categorical": "auto"})
    with pytest.raises(ValueError, match=r"missing value.*drop_nulls"):  # planned: found when collected
        planned.collect()


def test_a_text_column_without_categorical_names_its_own_type() -> None:
    data = _frame().select("f64", "town", "size")
    with pytest.raises(TypeError, match=r"'town' \(String\).*categorical=\['town', 'size'\].*data\.drop\("):
        mixupy.mixup(data)
    with pytest.raises(TypeError, match=r"'town' \(large_string\).*data\.drop_columns\("):
        mixupy.mixup(data.to_arrow())


def test_other_errors_are_the_pandas_ones() -> None:
    with pytest.raises(ValueError, match="`keep` names columns that are not in `data`"):
        mixupy.mixup(_frame(), labels="y", categorical="auto", keep="nope")
    with pytest.raises(ValueError, match="at least one row"):
        mixupy.mixup(_frame().head(0), **OPTIONS)
    for column in (pa.chunked_array([[1.0, 2.0]]), pl.Series("x", [1.0, 2.0])):  # one column is not a table
        with pytest.raises(TypeError, match="must be a pandas DataFrame"):
            mixupy.mixup(column)


# --- the caller's data, and what `import mixupy` loads ---


def test_the_callers_data_is_not_changed() -> None:
    data = _frame()
    table = data.to_arrow()
    before_frame, before_table = data.clone(), table.to_pylist()
    for kind in (data, table, data.lazy()):
        mixupy.mixup(kind, concat=True, random_state=0, **OPTIONS)
    pl_testing.assert_frame_equal(data, before_frame)
    assert table.to_pylist() == before_table


def _loaded(code: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    run = f"{code}\nimport sys, json; print(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", run], capture_output=True, text=True, env=env, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_mixup_on_pandas_loads_neither_polars_nor_more_than_pandas_does() -> None:
    # pandas 3 imports pyarrow itself, when installed, for its string dtype: mixupy may add nothing to that.
    make = "import pandas as pd; df = pd.DataFrame({'x': [1.0, 2.0, 3.0], 's': ['a', 'b', 'a']})"
    by_pandas = _loaded(make) & {"polars", "pyarrow", "narwhals"}
    assert _loaded("import mixupy") & {"polars", "pyarrow", "narwhals", "pandas"} == set()
    by_mixupy = _loaded(f"import mixupy\n{make}\nmixupy.mixup(df, categorical='s', random_state=0)")
    assert by_mixupy & {"polars", "pyarrow", "narwhals"} == by_pandas
    assert "polars" not in by_mixupy


def test_mixup_on_pandas_needs_neither_library() -> None:
    blocked = "import sys; sys.modules['pyarrow'] = None; sys.modules['polars'] = None"  # as if not installed
    code = (
        f"{blocked}\nimport pandas as pd, mixupy\nout = mixupy.mixup(pd.DataFrame({{'x': [1.0, 2.0]}}), random_state=0)"
    )
    assert "mixupy" in _loaded(code)


def test_numbers_cross_without_a_copy() -> None:
    from mixupy import _frames

    rng = np.random.default_rng(0)
    table = pl.DataFrame({f"x{j}": rng.random(1000) for j in range(3)}).to_arrow()
    frame = _frames._to_pandas(table)
    for name in frame.columns:  # in: NumPy views of the Arrow buffers
        assert np.shares_memory(frame[name].to_numpy(), table.column(name).chunk(0).to_numpy())
    result = mixupy.mixup(frame, random_state=0)
    out = _frames._to_arrow(result, None, [])
    back = pl.from_arrow(out)
    for name in result.columns:  # out: Arrow, then polars, over the result's own arrays
        assert np.shares_memory(result[name].to_numpy(), out.column(name).chunk(0).to_numpy())
        assert np.shares_memory(back[name].to_numpy(), result[name].to_numpy())
