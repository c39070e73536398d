"""Fork safety and thread counts: what DataLoader workers, multiprocessing and Dask process workers rely on.

A forked child inherits the parent's memory but not its threads. Anything mixupy kept between calls (a thread
pool, a lock) would be inherited broken, and the child would hang on it. These tests run large calls in the
parent (large enough to use threads), then every public function in a forked child, under a time limit.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import mixupy

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="fork is POSIX")

# Large enough for the threaded paths: more than a million values (docs/architecture.md, "Threads and fork").
LARGE = pd.DataFrame(np.random.default_rng(0).random((300_000, 8)))
THREADS_VARIABLE = "MIXUPY_NUM_THREADS"


def _every_public_function(folder: str) -> dict[str, Any]:
    """Call each public function once on small data; return a digest of each result."""
    import torch

    rng = np.random.default_rng(1)
    df = pd.DataFrame({"x": rng.random(40), "z": rng.random(40), "y": np.arange(40) % 2})
    x, y = rng.random((40, 3)), np.arange(40) % 2
    out: dict[str, Any] = {}
    out["mixup"] = mixupy.mixup(df, labels="y", random_state=0).to_numpy().sum()
    out["mixup_large"] = mixupy.mixup(LARGE, random_state=0).to_numpy().sum()
    out["mixup_arrays"] = mixupy.mixup_arrays(x, y, num_classes=2, random_state=0)[0].sum()
    out["MixupGenerator"] = sum(b[0].sum() for b in mixupy.MixupGenerator(x, y, num_classes=2, random_state=0))
    pairs = [(x[:8], y[:8])] * 3
    out["mixup_streams"] = sum(b[0].sum() for b in mixupy.mixup_streams(pairs, pairs, num_classes=2, random_state=0))
    src, dst = Path(folder) / "in.csv", Path(folder) / f"out{os.getpid()}.csv"
    df.to_csv(src, index=False)
    out["mixup_file"] = mixupy.mixup_file(src, dst, labels="y", buffer_rows=16, random_state=0)
    import dask.dataframe as dd

    lazy = mixupy.mixup_dask(dd.from_pandas(df[["x", "z"]], npartitions=2), random_state=0)
    out["mixup_dask"] = lazy.compute(scheduler="sync").to_numpy().sum()
    long = pd.DataFrame({"id": np.repeat([0, 1, 2], 5), "t": np.tile(np.arange(5), 3), "v": rng.random(15)})
    out["mixup_timeseries"] = mixupy.mixup_timeseries(long, id_col="id", time_col="t", random_state=0)["v"].sum()
    out["mixup_series_array"] = mixupy.mixup_series_array(rng.random((6, 5)), random_state=0).sum()
    out["mixup_lagged"] = mixupy.mixup_lagged(long, id_col="id", time_col="t", time_diff=1, random_state=0)["v"].sum()
    xt, yt = torch.as_tensor(x), torch.as_tensor(y)
    out["mixup_batch"] = float(mixupy.mixup_batch(xt, yt, num_classes=2, random_state=0)[0].sum())
    _, ya, yb, lam = mixupy.mixup_pairs(xt, yt, random_state=0)
    out["mixup_loss"] = float(mixupy.mixup_loss(torch.zeros(40, 2, dtype=xt.dtype), ya, yb, lam))
    out["MixupLoss"] = float(mixupy.MixupLoss()(torch.zeros(40, 2, dtype=xt.dtype), (ya, yb, lam)))
    out["MixupSampler"] = (
        mixupy.MixupSampler(random_state=0).fit_resample(x[:30], y[:30] * (np.arange(30) < 20))[0].sum()
    )
    out["MixupRegressionSampler"] = (
        mixupy.MixupRegressionSampler(pairing="target", random_state=0).fit_resample(x, df["x"])[0].sum()
    )
    big = LARGE.iloc[:, :2]  # pairing by target on threads: the shells' binary searches and the draw's chunks
    out["mixup_large_by_target"] = mixupy.mixup(big, target=1, pairing="target", random_state=0).to_numpy().sum()
    soft = mixupy.mixup(df, labels="y", random_state=0)
    out["expand_soft_labels"] = mixupy.expand_soft_labels(soft[["x", "z"]], soft[["y_0", "y_1"]])[2].sum()
    from PIL import Image

    for cls in ("a", "b"):
        (Path(folder) / "img" / cls).mkdir(parents=True, exist_ok=True)
        Image.new("L", (4, 4), 255 if cls == "a" else 0).save(Path(folder) / "img" / cls / "one.png")
    images = mixupy.ImageFolder(Path(folder) / "img", image_size=4)
    out["ImageFolder"] = sum(
        b[0].sum() for b in mixupy.MixupGenerator(images, images.labels, num_classes=2, random_state=0)
    )
    return out


def _child(folder: str, queue: Any) -> None:
    import torch

    # As a DataLoader worker does: torch's own OpenMP pool cannot be used in a child forked after the parent
    # used it (a torch limitation, not mixupy's; without this, torch's cross-entropy waits forever here).
    torch.set_num_threads(1)
    try:
        queue.put(("ok", _every_public_function(folder)))
    except BaseException as error:  # reported to the parent, which fails the test
        queue.put(("error", repr(error)))


def test_a_forked_child_can_call_every_public_function_after_the_parent_did(tmp_path: Path) -> None:
    in_parent = _every_public_function(str(tmp_path))  # large calls: the threaded paths ran here
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_child, args=(str(tmp_path), queue))
    child.start()
    child.join(timeout=120)
    if child.is_alive():
        child.kill()
        pytest.fail("a forked child hung in mixupy after the parent had used it")
    status, result = queue.get(timeout=10)
    assert status == "ok", result
    assert result.keys() == in_parent.keys()
    for name, value in in_parent.items():  # the same seeds give the same results in the child
        assert result[name] == value, name


class _Rows:
    """A map-style dataset of row positions; the collate function mixes each batch's rows."""

    def __len__(self) -> int:
        return 64

    def __getitem__(self, i: int) -> int:
        return i


def _collate(rows: list[int]) -> Any:
    import torch

    x = LARGE.to_numpy()[rows]
    xb, yb = mixupy.mixup_arrays(x, np.asarray(rows) % 2, num_classes=2, random_state=rows[0])
    return torch.as_tensor(xb), torch.as_tensor(yb)


def test_a_dataloader_with_two_forked_workers_mixes_after_the_parent_did() -> None:
    import torch

    mixupy.mixup(LARGE, random_state=0)  # threads ran in the parent
    loader = torch.utils.data.DataLoader(
        _Rows(), batch_size=16, num_workers=2, collate_fn=_collate, multiprocessing_context="fork", timeout=120
    )
    batches = list(loader)
    assert len(batches) == 4
    single = list(torch.utils.data.DataLoader(_Rows(), batch_size=16, num_workers=0, collate_fn=_collate))
    for (xa, ya), (xb, yb) in zip(batches, single, strict=True):
        assert torch.equal(xa, xb) and torch.equal(ya, yb)


@pytest.mark.parametrize("threads", ["1", "2", "7"])
def test_results_do_not_depend_on_the_number_of_threads(threads: str, monkeypatch: pytest.MonkeyPatch) -> None:
    reference = mixupy.mixup(LARGE, concat=True, batch_size=len(LARGE) + 3, random_state=5)
    arrays = mixupy.mixup_arrays(LARGE.to_numpy(), random_state=5)
    by_target = mixupy.mixup(LARGE, target=0, pairing="target", random_state=5)
    monkeypatch.setenv(THREADS_VARIABLE, threads)
    again = mixupy.mixup(LARGE, concat=True, batch_size=len(LARGE) + 3, random_state=5)
    pd.testing.assert_frame_equal(again, reference, check_exact=True)
    pd.testing.assert_frame_equal(mixupy.mixup(LARGE, target=0, pairing="target", random_state=5), by_target)
    np.testing.assert_array_equal(mixupy.mixup_arrays(LARGE.to_numpy(), random_state=5), arrays)
