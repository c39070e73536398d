"""mixup() on DataFrames: behaviour of mixupy 0.1.2 kept, its faults gone, the new options."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
from tracing import mixed

from mixupy import mixup
from mixupy.datasets import load_iris


def frame(n: int = 6, index: pd.Index | None = None) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "a": np.arange(n, dtype=np.float64),
            "b": np.arange(n, dtype=np.float64) ** 2,
            "c": np.arange(n) % 3,
        }
    )
    if index is not None:
        df.index = index
    return df


TRACER = "row{}"


def with_tracers(df: pd.DataFrame, dtype: type = np.float64) -> pd.DataFrame:
    """``df`` with one one-hot tracer column per row: mixed, they say which rows each synthetic row mixes, and how.

    A synthetic row mixing rows ``i`` and ``j`` with weight ``lam`` holds ``lam`` in tracer ``i`` and ``1 - lam``
    in tracer ``j``.
    """
    eye = np.eye(len(df), dtype=dtype)
    return df.assign(**{TRACER.format(i): eye[:, i] for i in range(len(df))})


def tracer_weights(out: pd.DataFrame, n: int) -> np.ndarray:
    """The tracer columns of a mixed frame: row ``r`` holds the weight of each source row in synthetic row ``r``."""
    weights = out[[TRACER.format(i) for i in range(n)]].to_numpy(dtype=np.float64)
    assert ((weights > 0).sum(axis=1) <= 2).all()  # at most two sources per synthetic row
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=0, atol=1e-15)
    return weights


def expected_rows(df: pd.DataFrame, out: pd.DataFrame) -> np.ndarray:
    """The documented combination ``lam * x_i + (1 - lam) * x_j`` of the rows of ``df`` that ``out`` traces."""
    return tracer_weights(out, len(df)) @ df.to_numpy(dtype=np.float64)


def trace(weights: np.ndarray, first: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(second, lam)`` of each synthetic row from its tracer weights, given its first source."""
    rows = np.arange(weights.shape[0])
    lam = weights[rows, first]
    rest = weights.copy()
    rest[rows, first] = 0
    return np.where(rest.max(axis=1) > 0, rest.argmax(axis=1), first), lam


# --- compatibility with mixupy 0.1.2 -------------------------------------------------


def test_old_positional_call() -> None:
    df = frame()
    out = mixup(df, 4, False, None, random_state=0)
    assert out.shape == df.shape
    out = mixup(df, 0.2, True, 10, random_state=0)
    assert out.shape == (16, 3)


def test_result_is_the_documented_combination() -> None:
    df = frame()
    out = mixup(with_tracers(df), random_state=7)
    np.testing.assert_allclose(out[df.columns].to_numpy(), expected_rows(df, out), rtol=0, atol=1e-12)
    # every row is a first source once, each with another row as partner and its own weight
    second, lam = trace(tracer_weights(out, 6), np.arange(6))
    assert (second != np.arange(6)).all()
    assert ((lam > 0) & (lam < 1)).all() and np.unique(lam).size == 6


def test_two_rows_hand_checked() -> None:
    df = pd.DataFrame({"x": [0.0, 10.0], "a": [1, 0], "b": [0, 1]})
    out = mixup(df, alpha=1, random_state=0)
    # row 0 mixes row 0 with row 1 and row 1 mixes row 1 with row 0, so x = 10 * b
    np.testing.assert_allclose(out["x"], 10 * out["b"], atol=1e-12)
    np.testing.assert_allclose(out["a"] + out["b"], 1.0, atol=1e-12)


@pytest.mark.parametrize("size", [1, 3, 6, 7, 25])
def test_batch_size_smaller_or_larger_than_the_frame(size: int) -> None:
    df = frame()
    out = mixup(with_tracers(df), batch_size=size, random_state=1)
    assert out.shape == (size, 3 + 6)
    assert out.index.equals(pd.RangeIndex(size))
    np.testing.assert_allclose(out[df.columns].to_numpy(), expected_rows(df, out), atol=1e-12)
    assert mixup(df, batch_size=size, random_state=1).shape == (size, 3)


def test_old_readme_example_with_get_dummies_bool_columns() -> None:
    iris = load_iris(one_hot=False)
    iris_df = pd.get_dummies(iris, columns=["species"], prefix="", prefix_sep="")
    assert iris_df.dtypes.map(pd.api.types.is_bool_dtype).sum() == 3
    out = mixup(iris_df, random_state=42)
    assert out.shape == (150, 7)
    np.testing.assert_allclose(out[["setosa", "versicolor", "virginica"]].sum(axis=1), 1.0)


@pytest.mark.parametrize(
    "index",
    [
        pd.Index(list("uvwxyz")),
        pd.date_range("2024-01-01", periods=6, freq="D"),
        pd.MultiIndex.from_product([["p", "q"], [1, 2, 3]]),
        pd.Index([5, 3, 9, 1, 0, 2]),
        pd.Index([10, 20, 30, 40, 50, 60]),
        pd.Index([1, 1, 2, 2, 3, 3]),
    ],
    ids=["strings", "datetimes", "multiindex", "unsorted", "non-contiguous", "duplicated"],
)
def test_any_index(index: pd.Index) -> None:
    df = frame(index=index)
    out = mixup(with_tracers(df), concat=True, batch_size=9, random_state=3)
    assert out.index.is_unique
    assert out.index.equals(pd.RangeIndex(15))
    # the original rows come first, unchanged
    np.testing.assert_array_equal(out.iloc[:6][df.columns].to_numpy(), df.to_numpy(dtype=np.float64))
    np.testing.assert_array_equal(tracer_weights(out.iloc[:6], 6), np.eye(6))
    np.testing.assert_allclose(out.iloc[6:][df.columns].to_numpy(), expected_rows(df, out.iloc[6:]), atol=1e-12)
    pd.testing.assert_frame_equal(
        mixup(df, concat=True, batch_size=9, random_state=3), mixup(frame(), concat=True, batch_size=9, random_state=3)
    )


def test_alpha_zero_copies_rows() -> None:
    df = frame()
    out = mixup(df, alpha=0, batch_size=40, random_state=2)
    originals = {tuple(row) for row in df.to_numpy(dtype=float)}
    assert all(tuple(row) in originals for row in out.to_numpy())


def test_numpy_scalars_accepted() -> None:
    df = frame()
    a = mixup(df, alpha=np.int64(2), batch_size=np.int64(4), random_state=np.int64(5))
    b = mixup(df, alpha=2.0, batch_size=4, random_state=5)
    pd.testing.assert_frame_equal(a, b)
    assert mixup(df, alpha=np.float32(0.5), concat=np.bool_(True), random_state=0).shape == (12, 3)


# --- randomness ----------------------------------------------------------------------


def test_same_seed_same_frame_and_generator_accepted() -> None:
    df = frame(50)
    pd.testing.assert_frame_equal(mixup(df, random_state=11), mixup(df, random_state=11))
    assert not mixup(df, random_state=11).equals(mixup(df, random_state=12))
    gen = np.random.default_rng(11)
    first, second = mixup(df, random_state=gen), mixup(df, random_state=gen)
    assert not first.equals(second)  # the generator advanced
    pd.testing.assert_frame_equal(first, mixup(df, random_state=np.random.default_rng(11)))


def test_global_random_state_never_read_or_changed() -> None:
    np.random.seed(0)
    random.seed(0)
    np_state, py_state = np.random.get_state(), random.getstate()
    a = mixup(frame(), random_state=1)
    assert random.getstate() == py_state
    after = np.random.get_state()
    assert np_state[0] == after[0] and np.array_equal(np_state[1], after[1]) and np_state[2:] == after[2:]
    np.random.seed(12345)  # a different global state does not change the seeded result
    pd.testing.assert_frame_equal(a, mixup(frame(), random_state=1))


def test_unseeded_calls_differ() -> None:
    df = frame(30)
    assert not mixup(df).equals(mixup(df))


def test_seed_sequences_are_random_states() -> None:
    df = frame(30)
    a = mixup(df, random_state=np.random.SeedSequence(5))
    pd.testing.assert_frame_equal(a, mixup(df, random_state=np.random.SeedSequence(5)))
    assert not a.equals(mixup(df, random_state=np.random.SeedSequence(6)))


# --- the caller's data, dtypes and columns -------------------------------------------


def test_input_frame_unchanged() -> None:
    df = frame(index=pd.Index(list("uvwxyz"), name="id"))
    df["label"] = ["a", "b", "a", "b", "a", "b"]
    before = df.copy(deep=True)
    mixup(df, labels="label", concat=True, random_state=0)
    mixup(df, labels="label", within_class=True, random_state=0)
    pd.testing.assert_frame_equal(df, before)


def test_dtypes_and_column_order() -> None:
    df = pd.DataFrame(
        {
            "f32": np.array([1, 2, 3], dtype=np.float32),
            "i": [1, 2, 3],
            "f64": [1.0, 2.0, 3.0],
            "b": [True, False, True],
            "nullable": pd.array([1, 2, 3], dtype="Int64"),
            "u8": np.array([1, 2, 3], dtype=np.uint8),
        }
    )
    out = mixup(df, random_state=0, concat=True)
    assert list(out.columns) == list(df.columns)
    assert out.dtypes.to_dict() == {
        "f32": np.float32,
        "i": np.float64,
        "f64": np.float64,
        "b": np.float64,
        "nullable": np.float64,
        "u8": np.float64,
    }
    np.testing.assert_array_equal(out["b"].iloc[:3], [1.0, 0.0, 1.0])


def test_float32_only_frame_stays_float32() -> None:
    df = pd.DataFrame(np.random.default_rng(0).random((20, 3), dtype=np.float32), columns=["x", "y", "z"])
    out = mixup(df, random_state=0)
    assert (out.dtypes == np.float32).all()


def test_integer_and_multiindex_column_names() -> None:
    df = pd.DataFrame(np.arange(12.0).reshape(4, 3))
    assert list(mixup(df, random_state=0).columns) == [0, 1, 2]
    df.columns = pd.MultiIndex.from_tuples([("x", "a"), ("x", "b"), ("y", "a")])
    out = mixup(df, random_state=0)
    assert out.columns.equals(df.columns)


def test_single_row_frame_gives_copies() -> None:
    df = pd.DataFrame({"x": [3.0], "y": [4.0]})
    out = mixup(df, batch_size=3, random_state=0)
    np.testing.assert_array_equal(out.to_numpy(), [[3.0, 4.0]] * 3)


# --- labels ----------------------------------------------------------------------------


def labelled(n_per_class: int = 4) -> pd.DataFrame:
    """Two classes with disjoint feature ranges: class a in [0, 1), class b in [10, 11)."""
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.random(n_per_class), 10 + rng.random(n_per_class)])
    species = np.repeat(["a", "b"], n_per_class)
    return pd.DataFrame({"x": x, "species": species, "w": -x}, index=pd.Index(range(100, 100 + 2 * n_per_class)))


def test_one_hot_label_list_mixed_like_features() -> None:
    iris = load_iris()
    species = ["setosa", "versicolor", "virginica"]
    out = mixup(iris, labels=species, random_state=0, batch_size=400)
    np.testing.assert_allclose(out[species].sum(axis=1), 1.0, atol=1e-12)
    assert (out[species].dtypes == np.float64).all()
    pd.testing.assert_frame_equal(out, mixup(iris, random_state=0, batch_size=400))


def test_class_column_becomes_probability_columns() -> None:
    df = labelled()
    out = mixup(df, labels="species", random_state=0)
    assert list(out.columns) == ["x", "species_a", "species_b", "w"]
    np.testing.assert_allclose(out["species_a"] + out["species_b"], 1.0, atol=1e-12)
    # the label weight of class b is the share of a class-b row: x = 10 * p_b + (something in [0, 1))
    frac = out["x"] - 10 * out["species_b"]
    assert frac.between(0, 1).all()


def test_class_column_with_concat_one_hot_originals() -> None:
    df = labelled()
    out = mixup(df, labels="species", concat=True, random_state=0)
    head = out.iloc[:8]
    np.testing.assert_array_equal(head["species_a"], (df["species"] == "a").astype(float))
    np.testing.assert_array_equal(head["x"], df["x"])


def test_class_column_of_integers_and_categorical() -> None:
    df = labelled()
    df["species"] = df["species"].map({"a": 3, "b": 7})
    out = mixup(df, labels="species", random_state=0)
    assert {"species_3", "species_7"} <= set(out.columns)
    df["species"] = pd.Categorical(df["species"].map({3: "low", 7: "high"}), categories=["low", "high"])
    out = mixup(df, labels="species", random_state=0)
    assert {"species_low", "species_high"} <= set(out.columns)


def test_dominant_label_mode_keeps_exact_labels() -> None:
    df = labelled(10)
    out = mixup(with_tracers(df), labels="species", label_mode="dominant", random_state=5, batch_size=60)
    assert out["species"].dtype == df["species"].dtype
    first = np.tile(np.arange(20), 3)  # every row in order, once per pass
    second, lam = trace(tracer_weights(out, 20), first)
    assert lam.min() >= 0.5 and (second != first).all()
    np.testing.assert_array_equal(out["species"], df["species"].to_numpy()[first])
    x = df["x"].to_numpy()
    np.testing.assert_array_equal(out["x"], mixed(x[first], x[second], lam))
    # lam >= 0.5 on the labelled row: a class-a row (x < 1) mixed with a class-b row (x < 11)
    # stays below 0.5 * 1 + 0.5 * 11 = 6; a class-b row (x >= 10) stays at or above 5
    in_a = out["species"] == "a"
    assert (out.loc[in_a, "x"] < 6).all() and (out.loc[~in_a, "x"] >= 5).all()


def test_dominant_with_one_hot_list_keeps_dtype() -> None:
    df = pd.get_dummies(labelled(), columns=["species"])
    out = mixup(df, labels=["species_a", "species_b"], label_mode="dominant", random_state=0)
    assert out["species_a"].dtype == bool
    assert (out["species_a"] ^ out["species_b"]).all()


def test_within_class_pairs_stay_in_class() -> None:
    df = labelled(10)
    out = mixup(df, labels="species", within_class=True, random_state=0, batch_size=200)
    assert list(out.columns) == ["x", "species", "w"]
    a = out["species"] == "a"
    assert out.loc[a, "x"].between(0, 1).all()
    assert out.loc[~a, "x"].between(10, 11).all()
    assert 60 < a.sum() < 140


def test_within_class_with_one_hot_labels() -> None:
    df = pd.get_dummies(labelled(10), columns=["species"], dtype=float)
    out = mixup(df, labels=["species_a", "species_b"], within_class=True, random_state=0)
    a = out["species_a"] == 1.0
    assert out.loc[a, "x"].between(0, 1).all() and out.loc[~a, "x"].between(10, 11).all()
    assert set(np.unique(out[["species_a", "species_b"]].to_numpy())) == {0.0, 1.0}


@pytest.mark.parametrize("kwargs", [{"within_class": True}, {"label_mode": "dominant"}])
def test_exact_labels_with_many_classes_are_not_counted_as_probability_columns(kwargs: dict[str, object]) -> None:
    """Exact labels keep the class column as it is: 100 000 classes add one column, not 100 000."""
    n = 200_000
    x = np.arange(n, dtype=np.float64)
    df = pd.DataFrame({"x": x, "pair": np.arange(n) // 2})  # classes of two rows: 2k and 2k + 1
    out = mixup(df, labels="pair", random_state=0, **kwargs)  # type: ignore[arg-type]
    assert list(out.columns) == ["x", "pair"]
    np.testing.assert_array_equal(out["pair"], df["pair"])
    if kwargs.get("within_class"):  # each row is mixed with the other row of its class
        assert ((out["x"] >= 2 * out["pair"]) & (out["x"] <= 2 * out["pair"] + 1)).all()


def test_within_class_singleton_class_copies() -> None:
    df = pd.DataFrame({"x": [0.0, 1.0, 5.0], "y": ["a", "a", "lone"]})
    out = mixup(df, labels="y", within_class=True, random_state=0, batch_size=30)
    np.testing.assert_array_equal(out.loc[out["y"] == "lone", "x"], 5.0)


# --- bad input ------------------------------------------------------------------------


BAD_CALLS = [
    ({"alpha": -1}, ValueError, "alpha"),
    ({"alpha": float("nan")}, ValueError, "alpha"),
    ({"alpha": float("inf")}, ValueError, "alpha"),
    ({"alpha": "4"}, TypeError, "alpha"),
    ({"alpha": None}, TypeError, "alpha"),
    ({"alpha": True}, TypeError, "alpha"),
    ({"batch_size": 0}, ValueError, "batch_size"),
    ({"batch_size": -3}, ValueError, "batch_size"),
    ({"batch_size": 2.5}, TypeError, "batch_size"),
    ({"batch_size": True}, TypeError, "batch_size"),
    ({"batch_size": "10"}, TypeError, "batch_size"),
    ({"concat": "yes"}, TypeError, "concat"),
    ({"concat": 1}, TypeError, "concat"),
    ({"label_mode": "soft"}, ValueError, "label_mode"),
    ({"within_class": "no"}, TypeError, "within_class"),
    ({"within_class": True}, ValueError, "needs labels"),
    ({"label_mode": "dominant"}, ValueError, "needs labels"),
    ({"random_state": "seed"}, TypeError, "random_state"),
    ({"random_state": -1}, ValueError, "random_state"),
    ({"random_state": 1.5}, TypeError, "random_state"),
    ({"labels": "nope"}, ValueError, "nope"),
    ({"labels": ["a", "zz"]}, ValueError, "zz"),
    ({"labels": []}, ValueError, "at least one"),
    ({"labels": ["a", "b"]}, ValueError, "\\[0, 1\\]"),
]


@pytest.mark.parametrize(("kwargs", "error", "match"), BAD_CALLS, ids=[str(k) for k, _, _ in BAD_CALLS])
def test_bad_parameters(kwargs: dict[str, object], error: type[Exception], match: str) -> None:
    df = frame()
    before = df.copy()
    with pytest.raises(error, match=match):
        mixup(df, **kwargs)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(df, before)


def test_labels_rows_must_sum_to_one() -> None:
    df = pd.DataFrame({"x": [1.0, 2.0], "p": [0.5, 0.2], "q": [0.5, 0.3]})
    with pytest.raises(ValueError, match="sum to 1"):
        mixup(df, labels=["p", "q"])


def test_within_class_needs_hard_labels() -> None:
    df = pd.DataFrame({"x": [1.0, 2.0], "p": [0.5, 0.0], "q": [0.5, 1.0]})
    with pytest.raises(ValueError, match="hard labels"):
        mixup(df, labels=["p", "q"], within_class=True)


@pytest.mark.parametrize(
    ("values", "match"),
    [
        ([1.0, np.nan, 3.0], "missing"),
        ([1.0, None, 3.0], "missing"),
        (pd.array([1, pd.NA, 3], dtype="Int64"), "missing"),
        (pd.array([1.0, pd.NA, 3.0], dtype="Float64"), "missing"),
        ([1.0, np.inf, 3.0], "infinite"),
        ([1.0, -np.inf, 3.0], "infinite"),
    ],
)
def test_missing_and_infinite_values(values: object, match: str) -> None:
    df = pd.DataFrame({"ok": [1.0, 2.0, 3.0], "bad": values})
    with pytest.raises(ValueError, match=rf"'bad'.*{match}"):
        mixup(df)


def test_float32_overflowing_sum_is_not_mistaken_for_infinity() -> None:
    big = np.full(10, 3e38, dtype=np.float32)
    out = mixup(pd.DataFrame({"x": big, "y": big}), random_state=0)
    assert np.isfinite(out.to_numpy()).all()


def test_non_numeric_columns_are_listed_with_a_hint() -> None:
    df = frame()
    df["name"] = list("abcdef")
    df["note"] = list("uvwxyz")
    df["when"] = pd.date_range("2024", periods=6)  # a point in time: mixed, not refused
    with pytest.raises(TypeError, match=r"'name' \(str\), 'note' \(str\)\..*categorical=\['name', 'note'\]") as caught:
        mixup(df)
    assert "when" not in str(caught.value) and "get_dummies" not in str(caught.value)


def test_class_column_with_missing_values() -> None:
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": ["a", None, "b"]})
    with pytest.raises(ValueError, match=r"'y'.*missing"):
        mixup(df, labels="y")


def test_probability_column_names_clash() -> None:
    df = pd.DataFrame({"x": [1.0, 2.0], "y": ["a", "b"], "y_a": [0.0, 1.0]})
    with pytest.raises(ValueError, match="clash"):
        mixup(df, labels="y")


@pytest.mark.parametrize(
    ("data", "error", "match"),
    [
        (np.ones((3, 2)), TypeError, "DataFrame"),
        (pd.Series([1.0, 2.0]), TypeError, "DataFrame"),
        (pd.DataFrame(), ValueError, "at least one row"),
        (pd.DataFrame({"x": []}), ValueError, "at least one row"),
        (pd.DataFrame([[1.0, 2.0]], columns=["x", "x"]), ValueError, "unique column names"),
    ],
)
def test_bad_data(data: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        mixup(data)  # type: ignore[arg-type]


@pytest.mark.parametrize("position", [0, 131_071, 131_072, 262_143, 262_144, 299_999])
@pytest.mark.parametrize("size", [3, 300_000, 700_001])
def test_non_finite_found_wherever_it_is(position: int, size: int) -> None:
    """NaN and infinity are found up front (batch_size < rows) or while mixing, in any step of 2**17 rows the
    column is mixed in (the last one straddles the end of the first pass), on one thread or two."""
    x = np.arange(300_000.0)
    for bad, what in ((np.nan, "missing"), (np.inf, "infinite"), (-np.inf, "infinite")):
        df = pd.DataFrame({"ok": x, "x": x})
        df.loc[position, "x"] = bad
        with pytest.raises(ValueError, match=rf"'x' holds 1 {what} value\(s\), the first at row {position}\b"):
            mixup(df, batch_size=size, random_state=0)


def test_device_path_checks_before_mixing() -> None:
    df = pd.DataFrame({"x": [1.0, np.nan, 3.0]})
    with pytest.raises(ValueError, match=r"'x'.*missing"):
        mixup(df, device="cpu", random_state=0)


def test_single_dtype_frame_fast_path_still_finds_bad_values() -> None:
    df = pd.DataFrame(np.arange(12.0).reshape(4, 3), columns=["a", "b", "c"])
    df.loc[2, "c"] = np.inf
    with pytest.raises(ValueError, match=r"'c'.*infinite"):
        mixup(df, batch_size=2, random_state=0)  # fewer rows than the frame: checked up front
    ints = pd.DataFrame(np.arange(12).reshape(4, 3))
    traced = with_tracers(ints, dtype=np.int64)  # int64 tracers: still one block of one dtype
    assert set(traced.dtypes) == {np.dtype(np.int64)}
    out = mixup(traced, random_state=0)
    assert (out.dtypes == np.float64).all()
    np.testing.assert_allclose(out[ints.columns].to_numpy(), expected_rows(ints, out))


@pytest.mark.parametrize("alpha", [0, 0.4])
def test_non_finite_is_a_clear_error_not_a_numpy_warning(alpha: float) -> None:
    """The suite runs with warnings as errors: mixing inf * 0 must not warn before the ValueError."""
    df = pd.DataFrame({"x": [1.0, np.inf, 3.0], "y": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match=r"'x' holds 1 infinite value\(s\), the first at row 1\b"):
        mixup(df, alpha=alpha, random_state=0)


def test_no_overflow_warning_from_the_finiteness_sums() -> None:
    half = pd.DataFrame(np.full((2000, 3), 100, dtype=np.float16))  # its float16 sum would overflow
    assert mixup(half, batch_size=10, random_state=0).shape == (10, 3)
    huge = pd.DataFrame(np.full((5, 4), 1e308))  # finite, but the sum overflows float64
    assert np.isfinite(mixup(huge, random_state=0).to_numpy()).all()
