"""mixup_file's class columns: the classes of the first block, and a fresh start after a scan when a later
block holds another class. The output is the same file, byte for byte, as when the file is scanned first."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from mixupy import mixup, mixup_file, stream
from mixupy._files import Reader


def table(n: int, late: str | None) -> pd.DataFrame:
    """Rows of classes "b" and "a"; with ``late``, the last fifth of the rows hold that class alone."""
    rng = np.random.default_rng(1)
    y = np.array(["b", "a"])[rng.integers(0, 2, n)].astype(object)
    if late is not None:
        y[n - n // 5 :] = late
    return pd.DataFrame({"x": rng.random(n), "k": np.arange(n), "y": y})


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The class columns that Reader.scan was asked for, in order."""
    asked: list[Any] = []
    original = Reader.scan

    def counted(self: Reader, class_column: Any) -> Any:
        asked.append(class_column)
        return original(self, class_column)

    monkeypatch.setattr(Reader, "scan", counted)
    return asked


def scanned_first(monkeypatch: pytest.MonkeyPatch, *args: Any, **kwargs: Any) -> Any:
    """mixup_file as it ran before the classes were taken from the first block: always a scan first."""
    original = stream._mix_into
    with monkeypatch.context() as patch:
        patch.setattr(stream, "_mix_into", lambda *a, guess: original(*a, guess=False))
        return mixup_file(*args, **kwargs)


CASES = [
    {"labels": "y"},
    {"labels": "y", "concat": True},
    {"labels": "y", "within_class": True, "alpha": 0.4},
    {"labels": "y", "categorical": "auto", "keep": "k"},
]


@pytest.mark.parametrize("options", CASES)
@pytest.mark.parametrize("engine", ["pyarrow", "pandas"])
@pytest.mark.parametrize("late", [None, "c", "0"])
def test_the_output_is_the_scanned_output_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scans: list[Any], options: dict[str, Any], engine: str, late: str
) -> None:
    src = tmp_path / "in.csv"
    table(50, late).to_csv(src, index=False)
    expected = scanned_first(
        monkeypatch, src, tmp_path / "ref.csv", buffer_rows=16, random_state=4, engine=engine, **options
    )
    scans.clear()
    shape = mixup_file(src, tmp_path / "out.csv", buffer_rows=16, random_state=4, engine=engine, **options)
    assert shape == expected
    assert (tmp_path / "out.csv").read_bytes() == (tmp_path / "ref.csv").read_bytes()
    header = (tmp_path / "out.csv").read_text().splitlines()[0]
    expanded = not options.get("within_class")  # pairs within a class keep the class column as it is
    classes = {None: "y_a,y_b", "c": "y_a,y_b,y_c", "0": "y_0,y_a,y_b"}[late]
    assert header.endswith(classes if expanded else ",y")
    # the classes of the first block do without a scan; a class first seen later costs one scan and a fresh start
    assert scans == (["y"] if expanded and late is not None else [])
    assert {p.name for p in tmp_path.iterdir()} == {"in.csv", "ref.csv", "out.csv"}


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_fresh_start_leaves_the_generator_as_one_scanned_run_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scans: list[Any], suffix: str
) -> None:
    src = tmp_path / f"in{suffix}"
    df = table(60, "c")
    df.to_csv(src, index=False) if suffix == ".csv" else df.to_parquet(src, index=False)
    mine, reference = np.random.default_rng(9), np.random.default_rng(9)
    scanned_first(monkeypatch, src, tmp_path / f"ref{suffix}", labels="y", buffer_rows=20, random_state=reference)
    scans.clear()
    mixup_file(src, tmp_path / f"out{suffix}", labels="y", buffer_rows=20, random_state=mine)
    assert scans == ["y"]
    assert mine.bit_generator.state == reference.bit_generator.state
    read = pd.read_csv if suffix == ".csv" else pd.read_parquet
    pd.testing.assert_frame_equal(read(tmp_path / f"out{suffix}"), read(tmp_path / f"ref{suffix}"), check_exact=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([src.name, f"ref{suffix}", f"out{suffix}"])


def test_a_text_stream_target_is_scanned_first(tmp_path: Path, scans: list[Any]) -> None:
    """Bytes already written to a stream cannot be taken back: the classes come from a scan before any."""
    src = tmp_path / "in.csv"
    table(50, "c").to_csv(src, index=False)
    buffer = io.StringIO()
    mixup_file(src, buffer, labels="y", buffer_rows=16, random_state=4)
    assert scans == ["y"]
    mixup_file(src, tmp_path / "out.csv", labels="y", buffer_rows=16, random_state=4)
    assert (tmp_path / "out.csv").read_text() == buffer.getvalue()


def test_batch_size_counts_the_rows_in_the_same_pass_as_the_classes(tmp_path: Path, scans: list[Any]) -> None:
    src = tmp_path / "in.csv"
    table(50, None).to_csv(src, index=False)
    assert mixup_file(src, tmp_path / "out.csv", labels="y", batch_size=30, buffer_rows=16, random_state=0) == (30, 4)
    assert scans == ["y"]


def test_a_bad_block_after_a_fresh_start_is_still_named(tmp_path: Path) -> None:
    """A class first seen in a block that also holds a missing class: the message names the missing value."""
    src = tmp_path / "in.csv"
    df = table(50, "c")
    df.loc[45, "y"] = None
    df.to_csv(src, index=False)
    with pytest.raises(ValueError, match="missing value"):
        mixup_file(src, tmp_path / "out.csv", labels="y", buffer_rows=16, random_state=0)
    assert {p.name for p in tmp_path.iterdir()} == {"in.csv"}


@pytest.mark.parametrize("engine", ["pyarrow", "pandas"])
def test_a_fresh_start_with_pieces_in_flight_gives_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scans: list[Any], engine: str
) -> None:
    """Blocks written in pieces of a few rows (the writer's threads still busy) when a later block holds another
    class: the output, and what is left in the folder, are as when the file is scanned first."""
    src = tmp_path / "in.csv"
    table(200, "c").to_csv(src, index=False)
    monkeypatch.setattr(stream, "_PIECE_VALUES", 20)  # pieces of 4 rows of 5 columns
    options: dict[str, Any] = {"labels": "y", "concat": True, "buffer_rows": 50, "random_state": 6, "engine": engine}
    scanned_first(monkeypatch, src, tmp_path / "ref.csv", **options)
    scans.clear()
    mixup_file(src, tmp_path / "out.csv", **options)
    assert scans == ["y"]
    assert (tmp_path / "out.csv").read_bytes() == (tmp_path / "ref.csv").read_bytes()
    assert {p.name for p in tmp_path.iterdir()} == {"in.csv", "ref.csv", "out.csv"}


@pytest.mark.parametrize("engine", ["pyarrow", "pandas"])
def test_class_codes_that_read_as_numbers_are_in_the_order_of_the_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    """Classes are read as text (``007`` stays ``007``), and columns of classes that all read as numbers follow
    the numbers, as ``mixup(pd.read_csv(file))`` orders them (y_2 before y_10), also when a later block brings
    a class; classes that are not all numbers stay in the order of their text."""
    rng = np.random.default_rng(3)
    codes = np.array(["0", "2", "007", "7"])[rng.integers(0, 4, 300)].astype(object)
    codes[250:] = "10"  # a class that the first blocks lack: a fresh start
    source = tmp_path / "codes.csv"
    pd.DataFrame({"x": rng.random(300), "y": codes}).to_csv(source, index=False)
    out, first = tmp_path / "out.csv", tmp_path / "first.csv"
    mixup_file(source, out, labels="y", buffer_rows=100, random_state=0, engine=engine)
    scanned_first(monkeypatch, source, first, labels="y", buffer_rows=100, random_state=0, engine=engine)
    assert out.read_text().splitlines()[0] == "x,y_0,y_2,y_007,y_7,y_10"
    assert out.read_bytes() == first.read_bytes()
    read = pd.read_csv(source)  # as pandas reads it: numbers (007 and 7 one class), in the same order
    assert list(mixup(read, labels="y", random_state=0).columns) == ["x", "y_0", "y_2", "y_7", "y_10"]
    text = tmp_path / "text.csv"
    pd.DataFrame({"x": [0.1, 0.2, 0.3], "y": ["10", "2", "a"]}).to_csv(text, index=False)
    mixup_file(text, out, labels="y", random_state=0, engine=engine)
    assert out.read_text().splitlines()[0] == "x,y_10,y_2,y_a"
