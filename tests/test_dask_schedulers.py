"""mixup_dask gives one result for one seed on every scheduler: synchronous, threads, processes, a cluster.

Part of the adversarial tier: the seed of each partition comes from its position alone, so neither the
scheduler, nor the number of workers, nor the order tasks run in may change a row.
"""

from __future__ import annotations

from collections.abc import Iterator

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import mixupy


def frame() -> dd.DataFrame:
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"x": rng.random(400), "z": rng.integers(0, 9, 400), "y": rng.integers(0, 3, 400)})
    lazy = dd.from_pandas(df, npartitions=5)
    return lazy.categorize(columns=["y"])


def empty_partitions() -> dd.DataFrame:
    """Five partitions, the second and fourth empty."""
    parts = [pd.DataFrame({"x": np.arange(k, dtype=float), "z": np.ones(k)}) for k in (30, 0, 20, 0, 10)]
    return dd.from_delayed([dask.delayed(p) for p in parts], meta=parts[0].iloc[:0])


@pytest.fixture(scope="module")
def cluster_client() -> Iterator[object]:
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        yield client


def results(lazy: dd.DataFrame, client: object) -> dict[str, pd.DataFrame]:
    out = {name: lazy.compute(scheduler=name) for name in ("sync", "threads", "processes")}
    out["LocalCluster(2 workers)"] = client.compute(lazy).result()  # type: ignore[attr-defined]
    return out


@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("options", [{}, {"labels": "y"}, {"labels": "y", "within_class": True, "concat": True}])
def test_one_seed_one_result_on_every_scheduler(cluster_client: object, shuffle: bool, options: dict) -> None:
    data = frame() if options else frame().drop(columns="y")
    lazy = mixupy.mixup_dask(data, alpha=0.4, shuffle=shuffle, random_state=11, **options)
    got = results(lazy, cluster_client)
    reference = got.pop("sync")
    assert len(reference) == 400 * (2 if options.get("concat") else 1)
    for name, other in got.items():
        pd.testing.assert_frame_equal(other, reference, check_exact=True, obj=name)
    again = mixupy.mixup_dask(data, alpha=0.4, shuffle=shuffle, random_state=12, **options)
    assert not again.compute(scheduler="sync").equals(reference)  # the control: the seed matters


def test_empty_partitions_stay_empty_on_every_scheduler(cluster_client: object) -> None:
    lazy = mixupy.mixup_dask(empty_partitions(), random_state=3)
    sizes = lazy.map_partitions(len)
    for name in ("sync", "threads", "processes"):
        assert list(sizes.compute(scheduler=name)) == [30, 0, 20, 0, 10], name
    assert list(cluster_client.compute(sizes).result()) == [30, 0, 20, 0, 10]  # type: ignore[attr-defined]
