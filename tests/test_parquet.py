"""Parquet blocks between Arrow and pandas: the same output as before, with fewer copies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from mixupy import mixup, mixup_file
from mixupy._files import _arrow
from mixupy._files._read import Reader


def table_frame(n: int = 40) -> pd.DataFrame:
    """A frame of every kind of column a Parquet file gives mixupy."""
    rng = np.random.default_rng(3)
    return pd.DataFrame(
        {
            "x": rng.standard_normal(n),
            "f32": rng.standard_normal(n).astype(np.float32),
            "i": rng.integers(-5, 5, n),
            "u8": rng.integers(0, 200, n).astype(np.uint8),
            "flag": rng.random(n) < 0.5,
            "when": pd.date_range("2024-03-30", periods=n, freq="7h", tz="Europe/Paris"),
            "naive": pd.date_range("2001-01-01", periods=n, freq="D"),
            "colour": pd.Categorical(rng.choice(["red", "green", "blue"], n)),
            "species": rng.choice(["a", "b", "c"], n),
            "id": [None if k % 7 == 0 else f"row{k}" for k in range(n)],
            "weight": np.where(np.arange(n) % 5 == 0, np.nan, rng.random(n)),
        }
    )


def write(df: pd.DataFrame, path: Path, row_group_size: int | None = None) -> Path:
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path, row_group_size=row_group_size)
    return path


# --- the conversions themselves ---------------------------------------------------------------------


def test_to_table_is_from_pandas_for_every_column_kind() -> None:
    df = table_frame()
    df["inf"] = np.where(np.arange(len(df)) % 3 == 0, np.inf, 1.0)  # a sum that is not finite, no NaN
    df["nan32"] = np.where(np.arange(len(df)) % 4 == 0, np.nan, 2.0).astype(np.float32)
    df["strided"] = np.arange(3 * len(df), dtype=np.float64).reshape(-1, 3)[:, 1]
    schema = _arrow.pandas_schema(df)
    got = _arrow.to_table(df, schema.names, schema.metadata, _arrow.memory_pool())
    expected = pa.Table.from_pandas(df, preserve_index=False)
    assert got.equals(expected, check_metadata=True)
    assert got.column("weight").null_count == (np.arange(len(df)) % 5 == 0).sum()  # NaN became null
    assert got.column("nan32").null_count == 10
    assert got.column("inf").null_count == 0


def test_to_table_wraps_float_columns_without_a_copy() -> None:
    df = pd.DataFrame({"a": np.arange(1000, dtype=np.float64), "b": np.ones(1000, dtype=np.float32)})
    schema = _arrow.pandas_schema(df)
    got = _arrow.to_table(df, schema.names, schema.metadata, _arrow.memory_pool())
    for name in ("a", "b"):
        assert got.column(name).chunk(0).buffers()[1].address == df[name].to_numpy().ctypes.data


def test_to_frame_is_to_pandas_with_views_of_the_arrow_buffers(tmp_path: Path) -> None:
    df = table_frame()
    path = write(df, tmp_path / "t.parquet")
    batch = next(pq.ParquetFile(path).iter_batches(batch_size=len(df)))
    got = _arrow.to_frame(batch, _arrow.memory_pool())
    pd.testing.assert_frame_equal(got, batch.to_pandas(), check_exact=True)
    pd.testing.assert_frame_equal(got, pd.read_parquet(path), check_exact=True)
    for name in ("x", "f32", "i"):  # numeric columns without nulls: no copy
        j = batch.schema.get_field_index(name)
        assert got[name].to_numpy().ctypes.data == batch.column(j).buffers()[1].address


def test_the_process_default_pool_is_left_alone(tmp_path: Path) -> None:
    before = pa.default_memory_pool()
    mixup_file(write(table_frame(), tmp_path / "in.parquet"), tmp_path / "out.parquet", keep=["species", "weight"],
               categorical=["colour", "id"], random_state=0)  # fmt: skip
    assert pa.default_memory_pool().backend_name == before.backend_name


# --- whole files: the output of mixup on the whole frame, when it fits one buffer ----------------------


CASES: list[dict[str, Any]] = [
    {"labels": "species", "categorical": ["colour", "id"], "keep": "weight"},
    {"labels": "species", "concat": True, "categorical": ["colour", "id"], "keep": ["weight"]},
    {"labels": "species", "label_mode": "dominant", "keep": ["id", "weight"], "categorical": ["colour"]},
    {"labels": "species", "within_class": True, "categorical": "auto", "batch_size": 13, "keep": "weight"},
    {"keep": ["species", "id", "colour", "weight"], "alpha": 0.0},
]


@pytest.mark.parametrize("options", CASES)
def test_one_buffer_is_mixup_of_the_whole_file(tmp_path: Path, options: dict[str, Any]) -> None:
    src = write(table_frame(), tmp_path / "in.parquet", row_group_size=7)
    shape = mixup_file(src, tmp_path / "out.parquet", random_state=5, **options)
    out = pd.read_parquet(tmp_path / "out.parquet")
    expected = mixup(pd.read_parquet(src), random_state=5, **options)
    assert out.shape == shape
    pd.testing.assert_frame_equal(out, expected, check_exact=True)
    write(expected, tmp_path / "expected.parquet")  # as the sink wrote it before: from_pandas, then the writer
    written = pq.read_schema(tmp_path / "out.parquet")
    assert written.equals(pq.read_schema(tmp_path / "expected.parquet"), check_metadata=True)
    assert pq.read_table(tmp_path / "out.parquet").equals(pq.read_table(tmp_path / "expected.parquet"))


def test_float_columns_are_written_without_dictionary_others_with(tmp_path: Path) -> None:
    src = write(table_frame(200), tmp_path / "in.parquet")
    mixup_file(src, tmp_path / "out.parquet", labels="species", keep=["id", "i", "weight"], categorical=["colour"],
               random_state=0)  # fmt: skip
    meta = pq.ParquetFile(tmp_path / "out.parquet").metadata.row_group(0)
    encodings = {meta.column(j).path_in_schema: meta.column(j).encodings for j in range(meta.num_columns)}
    for name in ("x", "f32", "species_a", "weight"):
        assert not any("DICTIONARY" in e for e in encodings[name]), (name, encodings[name])
    for name in ("id", "colour", "i"):
        assert any("DICTIONARY" in e for e in encodings[name]), (name, encodings[name])


# --- blocks: exactly buffer_rows rows, whatever the row groups ------------------------------------------


@pytest.mark.parametrize(("row_group_size", "buffer_rows"), [(7, 10), (10, 10), (40, 6), (3, 40), (13, 1)])
def test_blocks_follow_buffer_rows_not_row_groups(tmp_path: Path, row_group_size: int, buffer_rows: int) -> None:
    df = table_frame()
    path = write(df, tmp_path / "t.parquet", row_group_size=row_group_size)
    blocks = [block for block, _ in Reader(path, buffer_rows).blocks()]
    assert [len(b) for b in blocks[:-1]] == [buffer_rows] * (len(blocks) - 1)
    whole = pd.concat(blocks, ignore_index=True)
    pd.testing.assert_frame_equal(whole, pd.read_parquet(path), check_exact=True)


@pytest.mark.parametrize("options", [{"labels": "species"}, {"labels": "species", "concat": True, "batch_size": 50}])
def test_row_groups_do_not_change_the_output(tmp_path: Path, options: dict[str, Any]) -> None:
    df = table_frame(90).drop(columns=["colour", "id", "weight"])
    outputs = []
    for size in (None, 7, 25):
        src = write(df, tmp_path / f"in{size}.parquet", row_group_size=size)
        mixup_file(src, tmp_path / f"out{size}.parquet", buffer_rows=20, random_state=2, **options)
        outputs.append(pq.read_table(tmp_path / f"out{size}.parquet"))
    assert outputs[0].num_rows == (len(df) + 50 if options.get("concat") else len(df))
    assert all(table.equals(outputs[0], check_metadata=True) for table in outputs[1:])


def test_a_class_missing_from_a_block_still_gets_its_column(tmp_path: Path) -> None:
    df = pd.DataFrame({"x": np.arange(30.0), "y": ["a"] * 10 + ["b"] * 10 + ["c"] * 10})
    src = write(df, tmp_path / "in.parquet", row_group_size=4)
    mixup_file(src, tmp_path / "out.parquet", labels="y", buffer_rows=10, random_state=0)
    out = pd.read_parquet(tmp_path / "out.parquet")
    assert list(out.columns) == ["x", "y_a", "y_b", "y_c"]
    np.testing.assert_allclose(out[["y_a", "y_b", "y_c"]].sum(axis=1), 1.0)
    assert (out.loc[:9, "y_a"] == 1.0).all() and (out.loc[10:19, "y_b"] == 1.0).all()
