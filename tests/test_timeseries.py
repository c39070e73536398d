"""Tests of mixupy.timeseries: whole-series mixup, windows, arrays and the lag variant."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mixupy
from mixupy.timeseries import mixup_lagged, mixup_series_array, mixup_timeseries, new_series_ids


def long_frame(x: np.ndarray, ids: list | None = None, labels: list | None = None) -> pd.DataFrame:
    """(series, steps, channels) -> long format with columns id, t, c0, c1, ... (and y)."""
    n, steps, channels = x.shape
    frame = pd.DataFrame(
        {
            "id": np.repeat(ids if ids is not None else np.arange(n), steps),
            "t": np.tile(np.arange(steps), n),
            **{f"c{k}": x[:, :, k].ravel() for k in range(channels)},
        }
    )
    if labels is not None:
        frame["y"] = np.repeat(labels, steps)
    return frame


def as_array(frame: pd.DataFrame, channels: list[str]) -> np.ndarray:
    """Long format (series after series, sorted by time) -> (series, steps, channels)."""
    n = frame["id"].nunique()
    return frame[channels].to_numpy().reshape(n, -1, len(channels))


@pytest.fixture
def two() -> pd.DataFrame:
    """A flat series and a rising one, three steps each."""
    return pd.DataFrame(
        {
            "id": ["a"] * 3 + ["b"] * 3,
            "t": [0, 1, 2] * 2,
            "x": [0.0, 0.0, 0.0, 3.0, 6.0, 9.0],
            "kind": ["flat"] * 3 + ["up"] * 3,
        }
    )


# --- whole series: exact, hand-checked ---


def test_each_synthetic_series_has_one_lam_shared_with_its_labels(two: pd.DataFrame) -> None:
    out = mixup_timeseries(two, id_col="id", time_col="t", labels="kind", random_state=3)
    assert list(out.columns) == ["id", "t", "x", "kind_flat", "kind_up"]
    assert out["t"].tolist() == [0, 1, 2, 0, 1, 2]
    for _, series in out.groupby("id"):
        # first source is the flat series ("a") for mix-0, the rising one ("b") for mix-1; the partner is the other
        w_up = series["kind_up"].to_numpy()
        assert np.ptp(w_up) == 0  # one weight for the whole series
        np.testing.assert_allclose(series["x"], w_up[0] * np.array([3.0, 6.0, 9.0]))
        np.testing.assert_allclose(series["kind_flat"] + series["kind_up"], 1.0)
    assert out["id"].unique().tolist() == ["mix-0", "mix-1"]


def with_id_channels(values: np.ndarray) -> np.ndarray:
    """(series, steps, channels) -> the same with one more channel per series, 1 in its own, 0 in the others.

    Mixed, those channels are the weights of the sources: ``lam`` for the first,
    ``1 - lam`` for the second, exactly, at every step.
    """
    n, steps, _ = values.shape
    return np.concatenate([values, np.broadcast_to(np.eye(n)[:, None, :], (n, steps, n))], axis=2)


def mix_of(weights: np.ndarray, sources: np.ndarray) -> np.ndarray:
    """``lam * s_i + (1 - lam) * s_j`` for the one or two sources with a weight in ``weights``."""
    pair = np.flatnonzero(weights)
    assert 1 <= pair.size <= 2, weights
    out = weights[pair[0]] * sources[pair[0]]
    return out if pair.size == 1 else out + weights[pair[1]] * sources[pair[1]]


def test_each_synthetic_series_is_exactly_lam_si_plus_one_minus_lam_sj() -> None:
    values = np.random.default_rng(1).normal(size=(6, 5, 2))
    x = with_id_channels(values)
    out = mixup_series_array(x, alpha=0.7, n_series=9, random_state=42)
    weights = out[:, 0, 2:]  # lam of the first source, 1 - lam of the second
    np.testing.assert_array_equal(out[:, :, 2:], np.broadcast_to(weights[:, None, :], (9, 5, 6)))  # one lam per series
    assert ((weights > 0).sum(axis=1) == 2).all()  # two different series, alpha > 0
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)
    for r in range(9):
        np.testing.assert_array_equal(out[r, :, :2], mix_of(weights[r], values))
    frame = mixup_timeseries(long_frame(x), id_col="id", time_col="t", alpha=0.7, n_series=9, random_state=42)
    np.testing.assert_array_equal(as_array(frame, [f"c{k}" for k in range(8)]), out)  # the same draw, the same mix


def test_first_sources_are_every_series_in_turn_then_a_random_subset() -> None:
    x = with_id_channels(np.zeros((6, 3, 1)))
    out, y = mixup_series_array(x, np.arange(6), num_classes=6, label_mode="dominant", n_series=9, random_state=42)
    first = y.argmax(axis=1)  # exact labels: those of the first source, the dominant one
    np.testing.assert_array_equal(y, np.eye(6)[first])
    np.testing.assert_array_equal(first[:6], np.arange(6))
    assert (np.diff(first[6:]) > 0).all()  # 3 distinct series, in order
    weights = out[:, 0, 1:]
    lam = weights[np.arange(9), first]
    assert ((lam >= 0.5) & (lam <= 1)).all()  # folded to max(lam, 1 - lam)
    assert ((weights > 0).sum(axis=1) == 2).all()  # the partner is another series


def test_alpha_zero_copies_whole_source_series() -> None:
    x = np.arange(24.0).reshape(4, 6, 1)
    out = mixup_series_array(x, alpha=0, n_series=20, random_state=0)
    for series in out:
        assert any(np.array_equal(series, source) for source in x)


def test_static_columns_are_mixed_with_the_series_lam(two: pd.DataFrame) -> None:
    data = two.assign(size=np.repeat([10, 20], 3))
    out = mixup_timeseries(data, id_col="id", time_col="t", labels="kind", static_cols="size", random_state=5)
    np.testing.assert_allclose(out["size"], 10 * out["kind_flat"] + 20 * out["kind_up"])
    assert out["size"].dtype == np.float64


def test_onehot_label_columns_are_mixed(two: pd.DataFrame) -> None:
    data = two.assign(flat=np.repeat([1, 0], 3), up=np.repeat([0, 1], 3)).drop(columns="kind")
    out = mixup_timeseries(data, id_col="id", time_col="t", labels=["flat", "up"], random_state=2)
    np.testing.assert_allclose(out["x"], out["up"] * np.tile([3.0, 6.0, 9.0], 2))
    np.testing.assert_allclose(out["flat"] + out["up"], 1.0)


def test_dominant_keeps_the_label_of_the_heavier_series(two: pd.DataFrame) -> None:
    out = mixup_timeseries(
        two, id_col="id", time_col="t", labels="kind", label_mode="dominant", n_series=40, random_state=0
    )
    assert list(out.columns) == ["id", "t", "x", "kind"]
    per_series = out.groupby("id", sort=False).agg(kind=("kind", "first"), last=("x", "last"))
    # x at the last step is 9 * (weight of "b"): "up" dominates exactly when that weight is >= 1/2
    assert ((per_series["last"] >= 4.5) == (per_series["kind"] == "up")).all()
    assert out["kind"].dtype == two["kind"].dtype


def test_within_class_pairs_series_of_one_class() -> None:
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.uniform(0, 1, (4, 5, 1)), rng.uniform(100, 101, (4, 5, 1))])
    data = long_frame(x, labels=["low"] * 4 + ["high"] * 4)
    out = mixup_timeseries(data, id_col="id", time_col="t", labels="y", within_class=True, random_state=1)
    assert set(out.loc[out["y"] == "low", "c0"].between(0, 1)) == {True}
    assert set(out.loc[out["y"] == "high", "c0"].between(100, 101)) == {True}
    assert out.groupby("id")["y"].nunique().eq(1).all()


def test_concat_puts_the_original_rows_first(two: pd.DataFrame) -> None:
    out = mixup_timeseries(two, id_col="id", time_col="t", labels="kind", concat=True, random_state=0)
    assert len(out) == 12
    pd.testing.assert_frame_equal(out.iloc[:6][["id", "t", "x"]], two[["id", "t", "x"]])
    assert out["kind_up"].iloc[:6].tolist() == [0, 0, 0, 1, 1, 1]
    assert out["id"].dtype == two["id"].dtype  # string ids keep their dtype


def test_same_seed_same_result_and_the_input_is_not_changed(two: pd.DataFrame) -> None:
    before = two.copy()
    a = mixup_timeseries(two, id_col="id", time_col="t", labels="kind", random_state=7)
    b = mixup_timeseries(two, id_col="id", time_col="t", labels="kind", random_state=np.random.default_rng(7))
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(two, before)


def test_rows_are_sorted_by_time_within_each_series(two: pd.DataFrame) -> None:
    shuffled = two.iloc[[2, 0, 1, 5, 3, 4]]
    pd.testing.assert_frame_equal(
        mixup_timeseries(shuffled, id_col="id", time_col="t", labels="kind", random_state=1),
        mixup_timeseries(two, id_col="id", time_col="t", labels="kind", random_state=1),
    )


def test_without_time_col_rows_are_steps_in_order(two: pd.DataFrame) -> None:
    out = mixup_timeseries(two.drop(columns="t"), id_col="id", labels="kind", random_state=3)
    assert list(out.columns) == ["id", "x", "kind_flat", "kind_up"]
    np.testing.assert_allclose(out["x"], out["kind_up"] * np.tile([3.0, 6.0, 9.0], 2))


def test_float32_values_stay_float32(two: pd.DataFrame) -> None:
    out = mixup_timeseries(two.astype({"x": np.float32}), id_col="id", time_col="t", labels="kind", random_state=0)
    assert out["x"].dtype == np.float32


# --- ids ---


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        ([5, 2], [6, 7]),
        ([1.5, -3.0], [2.0, 3.0]),
        (["a", "b"], ["mix-0", "mix-1"]),
        (["mix-1", "mix2-0"], ["mix3-0", "mix3-1"]),
        ([("a", 1), ("b", 2)], ["mix-0", "mix-1"]),
        ([True, False], ["mix-0", "mix-1"]),
    ],
)
def test_new_series_ids(existing: list, expected: list) -> None:
    assert new_series_ids(existing, 2).tolist() == expected


def test_new_ids_never_equal_input_ids_for_any_id_dtype() -> None:
    x = np.zeros((3, 2, 1))
    for ids in ([7, 8, 9], ["mix-0", "mix-2", "z"], pd.Categorical(["p", "q", "r"])):
        data = long_frame(x, ids=list(ids))
        out = mixup_timeseries(data, id_col="id", time_col="t", n_series=5, concat=True, random_state=0)
        synthetic = set(out["id"].iloc[6:])
        assert len(synthetic) == 5
        assert synthetic.isdisjoint(set(data["id"]))


# --- alignment ---


@pytest.fixture
def uneven() -> pd.DataFrame:
    """Series a: t = 0..4 (x = 2t); series b: t = 1, 2, 3 (x = 2t + 1)."""
    return pd.DataFrame(
        {"id": ["a"] * 5 + ["b"] * 3, "t": [0, 1, 2, 3, 4, 1, 2, 3], "x": [0, 2, 4, 6, 8, 3, 5, 7]}
    ).astype({"x": float})


def test_unequal_lengths_need_an_alignment_choice(uneven: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match=r"series 'a' has 5 steps but series 'b' has 3.*alignment=\"truncate\""):
        mixup_timeseries(uneven, id_col="id", time_col="t")


def test_different_timestamps_need_an_alignment_choice(uneven: pd.DataFrame) -> None:
    shifted = uneven.assign(t=uneven["t"] + np.where(uneven["id"] == "b", 0.5, 0)).iloc[[0, 1, 2, 5, 6, 7]]
    with pytest.raises(ValueError, match=r"same length but not the same timestamps: at step 0 series 'a' is at 0"):
        mixup_timeseries(shifted, id_col="id", time_col="t")


def test_truncate_cuts_every_series_to_the_shortest(uneven: pd.DataFrame) -> None:
    out = mixup_timeseries(
        uneven, id_col="id", time_col="t", alignment="truncate", alpha=0, n_series=10, random_state=0
    )
    assert out.groupby("id").size().eq(3).all()
    sources = {(0.0, 2.0, 4.0), (3.0, 5.0, 7.0)}  # first 3 steps of a and of b
    assert {tuple(s) for s in out.groupby("id")["x"].agg(tuple)} <= sources


def test_intersect_keeps_shared_timestamps(uneven: pd.DataFrame) -> None:
    out = mixup_timeseries(uneven, id_col="id", time_col="t", alignment="intersect", random_state=0)
    assert out["t"].tolist() == [1, 2, 3, 1, 2, 3]
    lam_b = out["x"].to_numpy()[[0, 3]] - np.array([2, 2])  # x = 2t + w_b on shared steps
    np.testing.assert_allclose(out["x"], 2 * out["t"] + np.repeat(lam_b, 3))


def test_resample_interpolates_onto_the_overlap(uneven: pd.DataFrame) -> None:
    out = mixup_timeseries(uneven, id_col="id", time_col="t", alignment="resample", n_steps=5, random_state=0)
    np.testing.assert_allclose(out["t"].to_numpy()[:5], [1.0, 1.5, 2.0, 2.5, 3.0])  # from b's start to b's end
    w_b = out["x"].to_numpy()[[0, 5]] - 2.0
    np.testing.assert_allclose(out["x"], 2 * out["t"] + np.repeat(w_b, 5))  # both sources are linear in t


def test_resample_without_time_stretches_each_series() -> None:
    data = pd.DataFrame({"id": [0] * 5 + [1] * 3, "x": [0.0, 1, 2, 3, 4, 0, 2, 4]})
    out = mixup_series_array(np.array([[0.0, 1, 2, 3, 4], [0, 1, 2, 3, 4]]), alpha=1, random_state=0)
    got = mixup_timeseries(data, id_col="id", alignment="resample", alpha=1, random_state=0)
    np.testing.assert_allclose(got["x"].to_numpy().reshape(2, 5), out)


def test_resample_keeps_datetime_time_stamps() -> None:
    t = pd.to_datetime(["2021-01-01", "2021-01-02", "2021-01-04", "2021-01-01", "2021-01-03"]).tz_localize("UTC")
    data = pd.DataFrame({"id": [0, 0, 0, 1, 1], "t": t, "x": [0.0, 1, 3, 0, 2]})
    out = mixup_timeseries(data, id_col="id", time_col="t", alignment="resample", n_steps=3, random_state=0)
    assert out["t"].dtype == data["t"].dtype
    assert out["t"].iloc[:3].tolist() == list(pd.to_datetime(["2021-01-01", "2021-01-02", "2021-01-03"], utc=True))
    np.testing.assert_allclose(out["x"], [0, 1, 2] * 2)  # both series are x = days since start


# --- windows ---


def test_windows_are_cut_by_position_and_mixed() -> None:
    x = np.arange(20.0).reshape(2, 10, 1)
    out, y = mixup_series_array(
        x, np.array([0, 1]), num_classes=2, window=4, step=3, alpha=0, n_series=50, random_state=0
    )
    assert out.shape == (50, 4, 1)
    windows = {tuple(x[s, k : k + 4, 0]) for s in range(2) for k in (0, 3, 6)}
    assert {tuple(w[:, 0]) for w in out} <= windows
    assert y.shape == (50, 2)
    np.testing.assert_array_equal(y[:, 1], out[:, 0, 0] >= 10)  # alpha=0: the label of the copied window


def test_windows_need_an_alignment_choice_for_different_timestamps(uneven: pd.DataFrame) -> None:
    hours = pd.date_range("2024-01-01", periods=4, freq="h")
    half_past = pd.DataFrame(
        {"id": ["a"] * 4 + ["b"] * 4, "t": hours.append(hours + pd.Timedelta("30min")), "x": np.arange(8.0)}
    )
    # windows do not make a series at :00 and one at :30 comparable step by step
    with pytest.raises(ValueError, match=r"not the same timestamps: at step 0 series 'a' is at .*00:00:00.*00:30:00"):
        mixup_timeseries(half_past, id_col="id", time_col="t", window=2)
    with pytest.raises(ValueError, match=r"series 'a' has 5 steps but series 'b' has 3.*then cut from the aligned"):
        mixup_timeseries(uneven, id_col="id", time_col="t", window=3)
    with pytest.raises(ValueError, match="series 'a' has 5 steps but series 'b' has 3"):
        mixup_timeseries(uneven.drop(columns="t"), id_col="id", window=3)


def test_windows_are_cut_from_the_aligned_series_and_carry_their_own_times(uneven: pd.DataFrame) -> None:
    out = mixup_timeseries(
        uneven, id_col="id", time_col="t", alignment="intersect", window=2, step=1, alpha=0, n_series=30, random_state=0
    )
    assert out.groupby("id").size().eq(2).all()
    assert set(out.groupby("id")["t"].agg(tuple)) == {(1, 2), (2, 3)}  # windows of the shared times 1, 2, 3
    source = (out["x"] - 2 * out["t"]).groupby(out["id"]).agg(["min", "max"])  # 0 for a's windows, 1 for b's
    assert source["min"].eq(source["max"]).all()
    assert set(source["min"]) == {0.0, 1.0}


def test_concat_with_windows_returns_the_source_windows_first() -> None:
    x = np.arange(12.0).reshape(2, 6)
    out = mixup_series_array(x, window=3, concat=True, random_state=0)
    np.testing.assert_array_equal(out[:4], [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]])
    assert out.shape == (8, 3)


def test_frame_concat_with_windows_returns_the_source_windows_first_like_the_array_path() -> None:
    x = np.arange(12.0).reshape(2, 6, 1)
    data = long_frame(x, ids=["p", "q"], labels=["lo", "hi"])
    out = mixup_timeseries(data, id_col="id", time_col="t", labels="y", window=3, concat=True, random_state=0)
    x_arr, y_arr = mixup_series_array(x, np.array([1, 0]), num_classes=2, window=3, concat=True, random_state=0)
    np.testing.assert_array_equal(out["c0"].to_numpy().reshape(8, 3), x_arr[:, :, 0])
    np.testing.assert_array_equal(out["c0"].to_numpy()[:12], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])  # the windows
    assert out["t"].tolist()[:12] == [0, 1, 2, 3, 4, 5] * 2
    np.testing.assert_array_equal(out[["y_hi", "y_lo"]].to_numpy()[::3], y_arr)  # classes sorted: hi, lo
    ids = out["id"].unique().tolist()
    assert ids == ["mix-4", "mix-5", "mix-6", "mix-7", "mix-0", "mix-1", "mix-2", "mix-3"]  # overlap-free, fresh
    alone = mixup_timeseries(data, id_col="id", time_col="t", labels="y", window=3, random_state=0)
    pd.testing.assert_frame_equal(out.iloc[12:].reset_index(drop=True), alone)  # concat only adds the sources


def test_frame_concat_returns_the_aligned_series_under_their_own_ids(uneven: pd.DataFrame) -> None:
    out = mixup_timeseries(uneven, id_col="id", time_col="t", alignment="truncate", concat=True, random_state=0)
    assert out["id"].tolist()[:6] == ["a", "a", "a", "b", "b", "b"]
    assert out["x"].tolist()[:6] == [0.0, 2.0, 4.0, 3.0, 5.0, 7.0]  # the first 3 steps of each: what was mixed
    assert out["t"].tolist()[:6] == [0, 1, 2, 1, 2, 3]
    assert len(out) == 12


def test_frame_concat_returns_the_series_sorted_by_time(two: pd.DataFrame) -> None:
    shuffled = two.iloc[[5, 2, 0, 3, 1, 4]]
    out = mixup_timeseries(shuffled, id_col="id", time_col="t", labels="kind", concat=True, random_state=0)
    assert out["id"].tolist()[:6] == ["b", "b", "b", "a", "a", "a"]  # series in order of first appearance
    assert out["t"].tolist()[:6] == [0, 1, 2, 0, 1, 2]
    assert out["x"].tolist()[:6] == [3.0, 6.0, 9.0, 0.0, 0.0, 0.0]


# --- arrays ---


def test_array_labels_one_hot_rows_and_exact_modes() -> None:
    x = np.array([[0.0, 0.0], [1.0, 2.0], [5.0, 5.0]])
    y = np.eye(3)
    x_new, y_new = mixup_series_array(x, y, random_state=4)
    np.testing.assert_allclose(y_new.sum(axis=1), 1.0)
    np.testing.assert_allclose(x_new, y_new @ x)
    x_dom, exact = mixup_series_array(
        x, np.array([7, 8, 9]), num_classes=10, label_mode="dominant", n_series=6, random_state=4
    )
    assert exact.shape == (6, 10) and exact.dtype == np.float64
    np.testing.assert_array_equal(exact.sum(axis=1), 1.0)  # exact one-hot rows, as mixup_arrays returns them
    assert set(exact.argmax(axis=1)) <= {7, 8, 9}
    # The pairs and weights depend on the seed and the number of series only: series that are unit
    # vectors, mixed with the same seed, show them (weight lam on the first source, 1 - lam on the second).
    weights, _ = mixup_series_array(
        np.eye(3), np.arange(3), num_classes=3, label_mode="dominant", n_series=6, random_state=4
    )
    np.testing.assert_array_equal(exact.argmax(axis=1), 7 + np.tile(np.arange(3), 2))  # every series in turn, twice
    np.testing.assert_array_equal(exact.argmax(axis=1), 7 + weights.argmax(axis=1))  # the dominant source's label
    for r in range(6):
        np.testing.assert_array_equal(x_dom[r], mix_of(weights[r], x))


@pytest.mark.parametrize(
    ("y", "num_classes"),
    [
        (np.array([1.5, -2.0, 7.25, 0.0]), None),  # a float target: mixed as it is, not four classes
        (np.array([2, 0, 1, 2]), 3),  # integer class labels: mixed one-hot rows
        (np.array([[2], [0], [1], [2]]), 3),
        (np.eye(4, 3), None),  # one-hot rows
        ({"cls": np.array([0, 1, 1, 0]), "size": np.arange(4.0)}, {"cls": 2}),  # multi-task
    ],
)
@pytest.mark.parametrize("label_mode", ["mix", "dominant"])
def test_labels_are_read_and_returned_as_by_mixup_arrays(y: object, num_classes: object, label_mode: str) -> None:
    x = np.random.default_rng(0).normal(size=(4, 5, 2))
    kwargs = {"alpha": 0.7, "num_classes": num_classes, "label_mode": label_mode, "random_state": 3}
    x_ts, y_ts = mixup_series_array(x, y, n_series=7, **kwargs)
    x_arr, y_arr = mixupy.mixup_arrays(x, y, batch_size=7, **kwargs)
    np.testing.assert_array_equal(x_ts, x_arr)
    if isinstance(y, dict):
        assert y_ts.keys() == y_arr.keys()
        for k in y_ts:
            np.testing.assert_array_equal(y_ts[k], y_arr[k])
    else:
        np.testing.assert_array_equal(y_ts, y_arr)
        assert y_ts.dtype == y_arr.dtype


def test_float_labels_are_a_target_and_integer_labels_need_num_classes() -> None:
    x = np.array([[0.0, 0.0], [1.0, 2.0]])
    x_new, target = mixup_series_array(x, np.array([0.0, 10.0]), n_series=5, random_state=0)
    assert target.shape == (5,)
    np.testing.assert_allclose(target, 10 * x_new[:, 0])  # same lam as the series, no one class per value
    with pytest.raises(ValueError, match=r"`y` holds integer class labels.*pass num_classes=\.\.\. \(for example 2\)"):
        mixup_series_array(x, np.array([0, 1]))


def test_within_class_with_integer_codes_or_one_hot_rows_keeps_exact_labels() -> None:
    x = np.concatenate([np.zeros((3, 4)), np.full((3, 4), 100.0)]) + np.arange(6.0)[:, None]
    codes = np.array([0, 0, 0, 1, 1, 1])
    x_new, y_new = mixup_series_array(x, codes, num_classes=2, within_class=True, n_series=30, random_state=1)
    np.testing.assert_array_equal(y_new, np.eye(2)[(x_new[:, 0] > 50).astype(int)])  # never mixed across classes
    x_hot, y_hot = mixup_series_array(x, np.eye(2)[codes], within_class=True, n_series=30, random_state=1)
    np.testing.assert_array_equal(x_hot, x_new)
    np.testing.assert_array_equal(y_hot, y_new)


def test_int_arrays_are_mixed_in_float64() -> None:
    out = mixup_series_array(np.arange(6).reshape(2, 3), random_state=0)
    assert out.dtype == np.float64


# --- the lag variant ---


def test_lag_copy_mixes_each_step_with_a_later_one() -> None:
    data = pd.DataFrame({"t": [0, 1, 2, 3], "y": [0.0, 1.0, 4.0, 9.0]})
    out = mixup_lagged(data, time_diff=1, time_col="t", random_state=0)
    assert out["t"].tolist() == [0, 1, 2, 3, 4, 5, 6]
    copy = out["y"].to_numpy()[4:]
    w = copy[0]  # c[0] = lam * 0 + (1 - lam) * 1
    np.testing.assert_allclose(copy, (1 - w) * np.array([0, 1, 4]) + w * np.array([1, 4, 9]))
    pd.testing.assert_frame_equal(out.iloc[:4], data.astype({"y": float}))


def test_lag_copies_each_have_their_own_lam_and_continue_in_time() -> None:
    t = pd.date_range("2020-01-31", periods=5, freq="ME")
    data = pd.DataFrame({"id": ["s"] * 5 + ["u"] * 5, "t": list(t) * 2, "y": np.arange(10.0)})
    out = mixup_lagged(data, id_col="id", time_col="t", time_diff=2, n_copies=2, random_state=1)
    s = out[out["id"] == "s"]
    assert len(s) == 5 + 2 * 3
    assert s["t"].is_monotonic_increasing
    assert s["t"].iloc[-1] == pd.Timestamp("2020-11-30")  # 6 month ends after May 2020
    offsets = s["y"].to_numpy()[5:] - np.tile(np.arange(3.0), 2)  # a linear series: c[t] = s[t] + 2 (1 - lam)
    assert np.ptp(offsets[:3]) < 1e-12 and np.ptp(offsets[3:]) < 1e-12
    assert offsets[0] != offsets[3]


def test_lag_apart_numbers_the_copies_and_keeps_source_times() -> None:
    data = pd.DataFrame({"id": [1] * 4, "t": [0.0, 0.5, 1.5, 2.0], "y": [1.0, 2.0, 3.0, 4.0]})
    out = mixup_lagged(data, id_col="id", time_col="t", time_diff=1, n_copies=3, placement="apart", random_state=0)
    assert list(out.columns) == ["copy", "id", "t", "y"]
    assert out["copy"].tolist() == [1, 1, 1, 2, 2, 2, 3, 3, 3]
    assert out["t"].tolist() == [0.0, 0.5, 1.5] * 3
    with pytest.raises(ValueError, match="not evenly spaced"):
        mixup_lagged(data, id_col="id", time_col="t", time_diff=1)


def test_lag_time_diff_must_be_shorter_than_every_series() -> None:
    data = pd.DataFrame({"id": ["a"] * 4 + ["b"] * 2, "y": np.arange(6.0)})
    with pytest.raises(ValueError, match="`time_diff`=2 must be shorter than every series, but series 'b' has 2"):
        mixup_lagged(data, id_col="id", time_diff=2)


# --- bad input ---


@pytest.mark.parametrize(
    ("change", "kwargs", "error", "match"),
    [
        (None, {"id_col": "nope"}, ValueError, "`id_col` must name a column"),
        (None, {"id_col": "id", "time_col": "when"}, ValueError, "`time_col` must name a column"),
        (
            "dup",
            {"id_col": "id", "time_col": "t"},
            ValueError,
            r"duplicated \('id', 't'\) pairs: series 'a' has time 1",
        ),
        ("nan", {"id_col": "id", "time_col": "t"}, ValueError, "'x' holds 1 missing value"),
        ("nat", {"id_col": "id", "time_col": "t"}, ValueError, "`time_col` column 't' holds 1 missing"),
        ("one", {"id_col": "id", "time_col": "t"}, ValueError, "series 'c' has 1 step"),
        ("text", {"id_col": "id", "time_col": "t"}, TypeError, r"non-numeric columns: 'note'"),
        ("vary", {"id_col": "id", "time_col": "t", "labels": "kind"}, ValueError, "one value per series"),
        (None, {"id_col": "id", "time_col": "t", "window": 4}, ValueError, "`window`=4 is longer than the series, "),
        (None, {"id_col": "id", "time_col": "t", "step": 1}, ValueError, "`step` only applies"),
        (None, {"id_col": "id", "time_col": "t", "n_steps": 4}, ValueError, "`n_steps` sets the grid"),
        (None, {"id_col": "id", "alignment": "intersect"}, ValueError, "needs `time_col`"),
        (None, {"id_col": "id", "alignment": "pad"}, ValueError, "`alignment` must be one of"),
        (None, {"id_col": "id", "within_class": True, "labels": None}, ValueError, "needs labels"),
        (None, {"id_col": "id", "time_col": "kind"}, TypeError, "must be numeric, datetime or timedelta"),
        ("text", {"id_col": "id", "time_col": "t", "value_cols": ["x"]}, ValueError, r"columns \['note'\] are in"),
    ],
)
def test_bad_input_is_named(
    two: pd.DataFrame, change: str | None, kwargs: dict, error: type[Exception], match: str
) -> None:
    data = two.copy()
    if change == "dup":
        data.loc[2, "t"] = 1
    elif change == "nan":
        data.loc[4, "x"] = np.nan
    elif change == "nat":
        data["t"] = data["t"].astype(float)
        data.loc[1, "t"] = np.nan
    elif change == "one":
        data = pd.concat([data, pd.DataFrame({"id": ["c"], "t": [0], "x": [1.0], "kind": ["up"]})])
    elif change == "text":
        data["note"] = "hello"
    elif change == "vary":
        data.loc[1, "kind"] = "up"
    with pytest.raises(error, match=match):
        mixup_timeseries(data, **{"labels": "kind", **kwargs})


@pytest.mark.parametrize(
    ("column", "values", "kwargs", "match"),
    [
        (
            "size",
            [1.0, 1.0, np.nan, 2.0, 2.0, 2.0],
            {"static_cols": "size"},
            "`static_cols` column 'size' holds 1 missing",
        ),
        ("size", [1.0, 1.0, np.inf, 2.0, 2.0, 2.0], {"static_cols": "size"}, "'size' holds 1 infinite"),
        ("kind", ["flat", None, "flat", "up", "up", "up"], {}, "`labels` column 'kind' holds 1 missing"),
    ],
)
def test_missing_static_or_label_values_are_named_as_missing(
    two: pd.DataFrame, column: str, values: list, kwargs: dict, match: str
) -> None:
    # NaN != NaN: checked for constancy first, a NaN read as "more than one value per series"
    with pytest.raises(ValueError, match=match):
        mixup_timeseries(two.assign(**{column: values}), id_col="id", time_col="t", labels="kind", **kwargs)


def test_lag_copies_a_column_missing_throughout_a_series() -> None:
    data = pd.DataFrame({"id": ["a"] * 3 + ["b"] * 3, "y": np.arange(6.0), "note": [np.nan] * 3 + [1.0] * 3})
    out = mixup_lagged(data, id_col="id", value_cols="y", time_diff=1, random_state=0)
    assert out["note"].isna().tolist() == [True] * 5 + [False] * 5
    with pytest.raises(ValueError, match=r"'note' must hold one value per series.*\(for example nan and 1.0\)"):
        mixup_lagged(data.assign(note=[np.nan, 1.0, 1.0, 2.0, 2.0, 2.0]), id_col="id", value_cols="y", time_diff=1)


@pytest.mark.parametrize(
    ("x", "kwargs", "error", "match"),
    [
        (np.zeros((3, 0, 1)), {}, ValueError, "at least 2 steps; got 0"),
        (np.zeros((3, 1)), {}, ValueError, "at least 2 steps; got 1"),
        (np.zeros(4), {}, ValueError, "2 dimensions"),
        (np.array([[0.0, np.nan]]), {}, ValueError, r"NaN or infinite value\(s\), the first at index \(0, 1\)"),
        (np.array([["a", "b"]]), {}, TypeError, "must hold numbers"),
        ([[0.0, 1.0]], {}, TypeError, "NumPy array"),
        (np.zeros((2, 3)), {"window": 4}, ValueError, "`window`=4 is longer"),
        (np.zeros((2, 3)), {"window": 1}, ValueError, "at least 2 steps"),
        (np.zeros((2, 3)), {"y": [0.0, 1.0, 2.0]}, ValueError, r"`y` must have one row per sample of `x` \(2\)"),
        (np.zeros((2, 3)), {"y": np.array([0, 1])}, ValueError, "pass num_classes="),
        (np.zeros((2, 3)), {"y": np.array([0.5, 1.0]), "within_class": True}, ValueError, "float values of shape"),
        (np.zeros((2, 3)), {"num_classes": 2}, ValueError, "no labels `y` were given"),
        (np.zeros((2, 3)), {"label_mode": "dominant"}, ValueError, "needs y"),
    ],
)
def test_bad_arrays_are_named(x: object, kwargs: dict, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        mixup_series_array(x, **kwargs)  # type: ignore[arg-type]


def test_public_names_are_lazy_exports() -> None:
    assert mixupy.mixup_timeseries is mixup_timeseries
    assert mixupy.mixup_series_array is mixup_series_array
    assert mixupy.mixup_lagged is mixup_lagged


# --- properties ---


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 6),
    steps=st.integers(2, 6),
    channels=st.integers(1, 3),
    size=st.integers(1, 12),
    alpha=st.floats(0, 5),
    seed=st.integers(0, 2**32 - 1),
)
def test_frame_and_array_agree_and_stay_within_the_sources(
    n: int, steps: int, channels: int, size: int, alpha: float, seed: int
) -> None:
    x = np.random.default_rng(seed).normal(size=(n, steps, channels))
    arr = mixup_series_array(x, alpha=alpha, n_series=size, random_state=seed)
    frame = mixup_timeseries(long_frame(x), id_col="id", time_col="t", alpha=alpha, n_series=size, random_state=seed)
    np.testing.assert_allclose(as_array(frame, [f"c{k}" for k in range(channels)]), arr)
    assert (arr >= x.min(axis=0) - 1e-12).all()
    assert (arr <= x.max(axis=0) + 1e-12).all()
    assert frame.groupby("id", sort=False)["t"].apply(list).eq([list(range(steps))] * size).all()


def test_every_docstring_example_imports_what_it_uses() -> None:
    import doctest

    import mixupy.timeseries as module

    # pytest's doctests run in the module's globals, where np and pd exist anyway; a reader's session does not
    finder = doctest.DocTestFinder()
    public = [module, *(obj for name in module.__all__ if callable(obj := getattr(module, name)))]
    tests = [test for obj in public for test in finder.find(obj, globs={})]
    assert len([t for t in tests if t.examples]) >= 4
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in tests:
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_the_classification_example_runs_quick(tmp_path, capsys) -> None:
    import runpy
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "examples" / "timeseries_classification.py"
    main = runpy.run_path(str(script))["main"]
    png = tmp_path / "mix.png"
    results = main(["--quick", "--plot", str(png)])
    assert set(results) == {"no mixup", "mixup", "within-class mixup"}
    assert all(len(accs) == 2 and all(0 <= a <= 1 for a in accs) for accs in results.values())
    assert png.stat().st_size > 1000
    assert "± " in capsys.readouterr().out
