"""mixup_dask: lazy, same columns and dtypes as mixup, reproducible on any scheduler."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster

from mixupy import mixup, mixup_dask


def seed_of(seed: int, partition: int, partitions: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(seed).spawn(partitions)[partition]


def table(n: int = 24) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "f64": rng.random(n),
            "f32": rng.random(n).astype(np.float32),
            "i64": np.arange(n),
            "flag": np.arange(n) % 2 == 0,
            "nullable": pd.array(np.arange(n) % 5, dtype="Int64"),
            "a": (np.arange(n) % 3 == 0).astype(int),
            "b": (np.arange(n) % 3 != 0).astype(int),
            "species": pd.Categorical(np.array(["x", "y", "z"])[np.arange(n) % 3], categories=["z", "x", "y"]),
        }
    )


OPTIONS: list[dict[str, Any]] = [
    {"labels": ["a", "b"], "concat": False},
    {"labels": ["a", "b"], "label_mode": "dominant", "concat": True},
    {"labels": "species"},
    {"labels": "species", "concat": True, "alpha": 0.3},
    {"labels": "species", "within_class": True},
    {"labels": "species", "label_mode": "dominant"},
]


def without(df: pd.DataFrame, options: dict[str, Any]) -> pd.DataFrame:
    """The columns an option set can mix: one-hot a/b or the class column, not both."""
    return df.drop(columns=["species"] if isinstance(options.get("labels"), list) else ["a", "b"])


@pytest.mark.parametrize("options", OPTIONS)
def test_one_partition_equals_the_pandas_path(options: dict[str, Any]) -> None:
    df = without(table(), options)
    lazy = mixup_dask(dd.from_pandas(df, npartitions=1), random_state=11, **options)
    expected = mixup(df, random_state=seed_of(11, 0, 1), **options)
    out = lazy.compute(scheduler="sync")
    pd.testing.assert_frame_equal(out, expected)
    assert list(lazy.columns) == list(expected.columns)
    assert lazy.dtypes.to_dict() == expected.dtypes.to_dict()


@pytest.mark.parametrize("options", OPTIONS)
def test_each_partition_is_mixed_by_mixup_with_its_own_seed(options: dict[str, Any]) -> None:
    df = without(table(30), options)
    lazy = mixup_dask(dd.from_pandas(df, npartitions=3), random_state=4, **options)
    assert lazy.npartitions == 3
    for i, part in enumerate(dd.from_pandas(df, npartitions=3).partitions):
        expected = mixup(part.compute(), random_state=seed_of(4, i, 3), **options)
        pd.testing.assert_frame_equal(lazy.partitions[i].compute(scheduler="sync"), expected)


def test_meta_is_known_without_reading_the_data() -> None:
    reads: list[int] = []
    df = without(table(), OPTIONS[2])

    def load(i: int) -> pd.DataFrame:
        reads.append(i)
        return df.iloc[i * 12 : (i + 1) * 12]

    lazy_input = dd.from_map(load, [0, 1], meta=df.iloc[:0], divisions=[None, None, None])
    lazy = mixup_dask(lazy_input, labels="species", random_state=0)
    # the class column became one float64 column per category, in category order
    assert list(lazy.columns) == ["f64", "f32", "i64", "flag", "nullable", "species_z", "species_x", "species_y"]
    assert lazy.dtypes.tolist() == [np.float64, np.float32, np.float64, np.float64, np.float64] + [np.float64] * 3
    assert reads == []  # nothing was read to build the result
    out = lazy.compute(scheduler="sync")
    assert sorted(reads) == [0, 1]
    np.testing.assert_allclose(out[["species_z", "species_x", "species_y"]].sum(axis=1), 1.0)


def test_pairs_stay_within_a_partition_unless_shuffled() -> None:
    # partition k holds x in [100k, 100k + 9]: a synthetic row outside every such range mixed two partitions
    df = pd.DataFrame({"x": (np.arange(40) // 10 * 100 + np.arange(40) % 10).astype(float)})
    lazy = dd.from_pandas(df, npartitions=4)
    kept = mixup_dask(lazy, alpha=1.0, random_state=2).compute(scheduler="sync")["x"].to_numpy()
    assert np.all(kept % 100 <= 9)
    mixed = mixup_dask(lazy, alpha=1.0, shuffle=True, random_state=2)
    assert mixed.npartitions == 4
    x = mixed.compute(scheduler="sync")["x"].to_numpy()
    assert len(x) == 40
    assert np.any(x % 100 > 9)  # some pairs came from two partitions
    assert np.all((x >= 0) & (x <= 309))


def test_shuffled_result_is_reproducible_and_keeps_labels_valid() -> None:
    df = without(table(60), OPTIONS[0])
    lazy = dd.from_pandas(df, npartitions=3)
    first = mixup_dask(lazy, labels=["a", "b"], shuffle=True, random_state=9).compute(scheduler="threads")
    second = mixup_dask(lazy, labels=["a", "b"], shuffle=True, random_state=9).compute(scheduler="sync")
    pd.testing.assert_frame_equal(first, second)
    np.testing.assert_allclose(first["a"] + first["b"], 1.0)
    other = mixup_dask(lazy, labels=["a", "b"], shuffle=True, random_state=10).compute(scheduler="sync")
    assert not first.equals(other)


def test_within_class_pairs_rows_of_one_class() -> None:
    # class k holds x in [10k, 10k + 5]
    n = 36
    df = pd.DataFrame({"x": (np.arange(n) % 3) * 10.0 + np.arange(n) % 6, "c": np.arange(n) % 3})
    out = mixup_dask(dd.from_pandas(df, npartitions=3), labels="c", within_class=True, random_state=0).compute()
    assert out["c"].dtype == np.int64
    assert np.all((out["x"] >= out["c"] * 10) & (out["x"] <= out["c"] * 10 + 5))


def test_unknown_divisions_and_empty_partitions_are_fine() -> None:
    df = pd.DataFrame({"x": np.arange(30.0), "y": np.arange(30.0) * 2})
    lazy = dd.from_pandas(df, npartitions=3)
    known = mixup_dask(lazy, random_state=1).compute(scheduler="sync")
    unknown = mixup_dask(lazy.clear_divisions(), random_state=1).compute(scheduler="sync")
    pd.testing.assert_frame_equal(known, unknown)
    filtered = lazy[lazy["x"] >= 10]  # the first partition becomes empty
    out = mixup_dask(filtered, random_state=1)
    parts = [out.partitions[i].compute(scheduler="sync") for i in range(3)]
    assert [len(p) for p in parts] == [0, 10, 10]
    assert parts[0].dtypes.to_dict() == parts[1].dtypes.to_dict()
    np.testing.assert_allclose(parts[1]["y"], 2 * parts[1]["x"])  # y = 2x survives mixing


def test_random_state_forms() -> None:
    lazy = dd.from_pandas(pd.DataFrame({"x": np.arange(12.0)}), npartitions=2)
    fresh = mixup_dask(lazy)  # entropy fixed once: computing twice gives the same rows
    pd.testing.assert_frame_equal(fresh.compute(scheduler="sync"), fresh.compute(scheduler="threads"))
    by_int = mixup_dask(lazy, random_state=5).compute()
    by_sequence = mixup_dask(lazy, random_state=np.random.SeedSequence(5)).compute()
    pd.testing.assert_frame_equal(by_int, by_sequence)
    by_generator = mixup_dask(lazy, random_state=np.random.default_rng(5)).compute()
    again = mixup_dask(lazy, random_state=np.random.default_rng(5)).compute()
    pd.testing.assert_frame_equal(by_generator, again)


def test_bad_input_is_refused_before_any_computation() -> None:
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "name": ["a", "b", "c"], "p": [1, 0, 1], "q": [0, 1, 0]})
    lazy = dd.from_pandas(df, npartitions=1)
    with pytest.raises(TypeError, match=r"dask\.dataframe\.DataFrame"):
        mixup_dask(df)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="non-numeric columns: 'name'"):
        mixup_dask(lazy)
    with pytest.raises(TypeError, match="non-numeric"):
        mixup_dask(lazy.assign(name=lazy["name"].astype(object)), labels=["p", "q"])
    with pytest.raises(ValueError, match=r"categorize\(columns=\['name'\]\)"):
        mixup_dask(lazy, labels="name")
    with pytest.raises(ValueError, match="known categories"):
        mixup_dask(lazy.astype({"name": "category"}), labels="name")
    with pytest.raises(ValueError, match="not in `data`"):
        mixup_dask(lazy, labels=["p", "nope"])
    with pytest.raises(ValueError, match="needs labels"):
        mixup_dask(lazy[["x"]], within_class=True)
    with pytest.raises(ValueError, match="alpha"):
        mixup_dask(lazy[["x"]], alpha=-1)
    with pytest.raises(TypeError, match="shuffle"):
        mixup_dask(lazy[["x"]], shuffle="yes")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="random_state"):
        mixup_dask(lazy[["x"]], random_state="seed")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="clash with existing columns"):
        mixup_dask(
            dd.from_pandas(pd.DataFrame({"c": pd.Categorical(["a", "b"]), "c_a": [1.0, 2.0]}), npartitions=1),
            labels="c",
        )
    # works for the class column kept exact, whatever its dtype
    assert len(mixup_dask(lazy[["x", "name"]], labels="name", label_mode="dominant").compute()) == 3


def test_missing_values_fail_at_compute_time_naming_the_column() -> None:
    lazy = dd.from_pandas(pd.DataFrame({"x": [1.0, np.nan, 3.0, 4.0]}), npartitions=2)
    result = mixup_dask(lazy)
    with pytest.raises(ValueError, match="'x' holds 1 missing"):
        result.compute(scheduler="sync")


@pytest.fixture(scope="module")
def cluster_client() -> Iterator[Client]:
    with (
        dask.config.set({"distributed.worker.daemon": False}),
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):
        yield client


def test_same_result_on_a_local_cluster_threads_and_sync(cluster_client: Client) -> None:
    df = without(table(90), OPTIONS[2])
    lazy = dd.from_pandas(df, npartitions=5)
    for shuffle in (False, True):
        result = mixup_dask(lazy, labels="species", shuffle=shuffle, random_state=3)
        on_cluster = cluster_client.compute(result).result()
        # off the cluster, Dask's task-based shuffle replaces its peer-to-peer one: the rows still agree
        with dask.config.set({"dataframe.shuffle.method": "tasks"}):
            on_threads = result.compute(scheduler="threads")
            on_one_thread = result.compute(scheduler="sync")
        pd.testing.assert_frame_equal(on_cluster, on_threads)
        pd.testing.assert_frame_equal(on_cluster, on_one_thread)
        assert on_cluster.dtypes.to_dict() == result.dtypes.to_dict()
        assert len(on_cluster) == 90
    assert len(cluster_client.scheduler_info()["workers"]) == 2
