"""mixup_file and the streaming `mixupy augment`: blocks, formats, bad input, no partial output."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mixupy import mixup, mixup_file
from mixupy.cli import main

ROOT = Path(__file__).resolve().parents[1]


def frame(n: int = 23) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "x": rng.random(n),
            "k": np.arange(n),
            "species": np.where(np.arange(n) % 3 == 0, "a", "b"),
            "p": (np.arange(n) % 2).astype(float),
            "q": 1.0 - (np.arange(n) % 2),
        }
    )


def read(path: Path) -> pd.DataFrame:
    return pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)


def write(df: pd.DataFrame, path: Path, row_group_size: int = 5) -> None:
    if path.suffix == ".parquet":
        pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path, row_group_size=row_group_size)
    else:
        df.to_csv(path, index=False)


def listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


OPTIONS: list[dict[str, Any]] = [
    {"labels": "species"},
    {"labels": "species", "concat": True, "batch_size": 40, "alpha": 0.5},
    {"labels": "species", "within_class": True},
    {"labels": "species", "label_mode": "dominant", "concat": True},
    {"labels": ["p", "q"], "batch_size": 7},
]


@pytest.mark.parametrize("options", OPTIONS)
@pytest.mark.parametrize(("src_name", "dst_name"), [("in.csv", "out.csv"), ("in.parquet", "out.parquet")])
def test_a_file_in_one_block_is_mixed_as_mixup_mixes_it(
    tmp_path: Path, options: dict[str, Any], src_name: str, dst_name: str
) -> None:
    df = frame().drop(columns=["species"] if isinstance(options["labels"], list) else ["p", "q"])
    src, dst = tmp_path / src_name, tmp_path / dst_name
    write(df, src)
    shape = mixup_file(src, dst, random_state=3, **options)
    expected = mixup(read(src), random_state=3, **options)
    out = read(dst)
    pd.testing.assert_frame_equal(out, expected, check_exact=dst.suffix == ".parquet", check_dtype=False)
    assert shape == expected.shape
    assert listing(tmp_path) == {src_name, dst_name}


def test_blocks_are_mixed_one_after_the_other_with_one_generator(tmp_path: Path) -> None:
    df = frame(23)[["x", "k"]]
    src, dst = tmp_path / "in.csv", tmp_path / "out.parquet"
    write(df, src)
    assert mixup_file(src, dst, buffer_rows=10, random_state=5) == (23, 2)
    rng = np.random.default_rng(5)
    blocks = [read(src).iloc[i : i + 10].reset_index(drop=True) for i in (0, 10, 20)]
    expected = pd.concat([mixup(b, random_state=rng) for b in blocks], ignore_index=True)
    pd.testing.assert_frame_equal(read(dst), expected)


def test_rows_meet_only_rows_of_their_own_block(tmp_path: Path) -> None:
    # row i holds x = i: a synthetic row of block b lies between b * 10 and b * 10 + 9
    src, dst = tmp_path / "in.parquet", tmp_path / "out.csv"
    write(pd.DataFrame({"x": np.arange(95.0)}), src, row_group_size=7)  # row groups cut across blocks
    assert mixup_file(src, dst, buffer_rows=10, alpha=1.0, random_state=0) == (95, 1)
    x = read(dst)["x"].to_numpy()
    block = np.arange(95) // 10
    assert np.all((x >= block * 10) & (x <= np.minimum(block * 10 + 9, 94)))


def test_concat_writes_every_original_row_first(tmp_path: Path) -> None:
    df = frame(25)[["x", "k", "species"]]
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    write(df, src)
    shape = mixup_file(src, dst, labels="species", concat=True, batch_size=12, buffer_rows=8, random_state=1)
    out = read(dst)
    assert shape == (37, 4) and list(out.columns) == ["x", "k", "species_a", "species_b"]
    np.testing.assert_allclose(out["x"][:25], df["x"])
    np.testing.assert_array_equal(out["species_a"][:25], (df["species"] == "a").astype(float))
    np.testing.assert_allclose(out["species_a"] + out["species_b"], 1.0)


def test_blocks_without_a_share_of_the_synthetic_rows_still_write_their_originals(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    write(pd.DataFrame({"x": np.arange(30.0)}), src)
    # one synthetic row for three blocks: the first two blocks make none, and mix nothing
    assert mixup_file(src, dst, batch_size=1, concat=True, buffer_rows=10, alpha=1.0, random_state=0) == (31, 1)
    x = read(dst)["x"].to_numpy()
    np.testing.assert_array_equal(x[:30], np.arange(30.0))
    assert 20 <= x[30] <= 29  # the last block's share


def test_batch_size_is_shared_among_blocks_in_proportion(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    write(pd.DataFrame({"x": np.arange(30.0)}), src)
    assert mixup_file(src, dst, batch_size=6, buffer_rows=10, alpha=1.0, random_state=0) == (6, 1)
    x = read(dst)["x"].to_numpy()
    # two rows per block, in block order
    np.testing.assert_array_equal(x // 10, [0, 0, 1, 1, 2, 2])


def test_a_class_missing_from_a_block_still_gets_its_column(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.csv", tmp_path / "out.parquet"
    species = ["a"] * 10 + ["b"] * 5 + ["c"] * 5  # block 0 holds only a, block 1 only b and c
    write(pd.DataFrame({"x": np.arange(20.0), "species": species}), src)
    assert mixup_file(src, dst, labels="species", buffer_rows=10, random_state=0) == (20, 4)
    out = read(dst)
    assert list(out.columns) == ["x", "species_a", "species_b", "species_c"]
    assert (out["species_a"][:10] == 1).all() and (out["species_a"][10:] == 0).all()
    np.testing.assert_allclose(out[["species_a", "species_b", "species_c"]].sum(axis=1), 1.0)


def test_same_seed_same_bytes_and_input_untouched(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    write(frame(40), src)
    before = src.read_bytes()
    for name in ("a.csv", "b.csv"):
        mixup_file(src, tmp_path / name, labels="species", buffer_rows=16, random_state=8)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    mixup_file(src, tmp_path / "c.csv", labels="species", buffer_rows=16, random_state=9)
    assert (tmp_path / "a.csv").read_bytes() != (tmp_path / "c.csv").read_bytes()
    assert src.read_bytes() == before


def test_gzip_input_and_text_stream_output(tmp_path: Path) -> None:
    src = tmp_path / "in.csv.gz"
    frame(12)[["x", "k"]].to_csv(src, index=False)
    buffer = io.StringIO()
    assert mixup_file(src, buffer, random_state=2) == (12, 2)
    expected = mixup(frame(12)[["x", "k"]], random_state=2)
    pd.testing.assert_frame_equal(pd.read_csv(io.StringIO(buffer.getvalue())), expected)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    n=st.integers(1, 40),
    buffer_rows=st.integers(1, 15),
    batch_size=st.one_of(st.none(), st.integers(1, 50)),
    concat=st.booleans(),
)
def test_shape_and_block_ranges_hold_for_any_sizes(
    tmp_path: Path, n: int, buffer_rows: int, batch_size: int | None, concat: bool
) -> None:
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    write(pd.DataFrame({"x": np.arange(n, dtype=float)}), src)
    rows, _ = mixup_file(src, dst, batch_size=batch_size, concat=concat, buffer_rows=buffer_rows, random_state=0)
    x = read(dst)["x"].to_numpy()
    synthetic = batch_size if batch_size is not None else n
    assert rows == len(x) == synthetic + n * concat
    if concat:
        np.testing.assert_array_equal(x[:n], np.arange(n))
    low = np.floor(x[n * concat :] / buffer_rows) * buffer_rows
    assert np.all(x[n * concat :] <= np.minimum(low + buffer_rows - 1, n - 1) + 1e-9)  # pairs within one block


# --- bad input ---------------------------------------------------------------------------------


def test_missing_input_and_missing_output_folder(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    write(frame(5), src)
    with pytest.raises(FileNotFoundError, match="input file not found"):
        mixup_file(tmp_path / "nope.csv", tmp_path / "out.csv")
    with pytest.raises(FileNotFoundError, match="output directory does not exist"):
        mixup_file(src, tmp_path / "no" / "dir" / "out.csv", labels="species")
    with pytest.raises(ValueError, match="is the input file"):
        mixup_file(src, src, labels="species")
    with pytest.raises(ValueError, match="is the input file"):
        mixup_file(src, tmp_path / "." / "in.csv", labels="species")
    with pytest.raises(IsADirectoryError, match="directory"):
        mixup_file(src, tmp_path, labels="species")
    with pytest.raises(TypeError, match="buffer_rows"):
        mixup_file(src, tmp_path / "o.csv", buffer_rows=2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="buffer_rows"):
        mixup_file(src, tmp_path / "o.csv", buffer_rows=0)
    with pytest.raises(TypeError, match="progress"):
        mixup_file(src, tmp_path / "o.csv", progress="yes")  # type: ignore[arg-type]
    assert listing(tmp_path) == {"in.csv"}


def test_a_column_not_numeric_in_a_later_block_only_is_named_with_its_row(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    lines = ["x,y"] + [f"{i},{i}" for i in range(25)]
    lines[18] = "17,oops"  # row 17 (counting from 0 after the header), in the second block of 10
    src.write_text("\n".join(lines) + "\n")
    with pytest.raises(TypeError) as info:
        mixup_file(src, tmp_path / "out.csv", buffer_rows=10)
    message = str(info.value)
    assert "'y' holds 'oops' at row 17" in message and "the rows before held numbers there" in message
    assert listing(tmp_path) == {"in.csv"}


def test_object_columns_are_refused(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    write(frame(6), src)
    with pytest.raises(TypeError, match="non-numeric columns: 'species'"):
        mixup_file(src, tmp_path / "out.csv")


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bad.csv", "x,y\n1,2\n3,4\n5,6,7\n", r"cannot read \S*bad\.csv as CSV: .*line 4"),
        ("bad.parquet", "x,y\n1,2\n", r"cannot read \S*bad\.parquet as Parquet"),
        ("empty.csv", "", r"cannot read \S*empty\.csv as CSV"),
        ("header.csv", "x,y\n", "no data rows"),
    ],
)
def test_unparsable_files_name_the_line(tmp_path: Path, name: str, text: str, message: str) -> None:
    (tmp_path / name).write_text(text)
    with pytest.raises(ValueError, match=message):
        mixup_file(tmp_path / name, tmp_path / "out.csv")
    assert listing(tmp_path) == {name}


def test_a_class_column_read_as_numbers_in_one_block_and_text_in_another(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text("x,c\n" + "".join(f"{i},{i % 2}\n" for i in range(10)) + "10,a\n11,b\n")
    assert mixup_file(src, dst, labels="c", buffer_rows=10, random_state=0) == (12, 5)
    out = read(dst)
    assert list(out.columns) == ["x", "c_0", "c_1", "c_a", "c_b"]  # as mixup names them for the whole file
    np.testing.assert_allclose(out.iloc[:, 1:].sum(axis=1), 1.0)
    assert (out[["c_a", "c_b"]].iloc[:10] == 0).all().all()


# --- no partial output -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src_name", "dst_name", "error", "match"),
    [
        ("in.parquet", "out.parquet", ValueError, r"column 'x' holds 1 missing value"),
        ("in.csv", "out.csv", TypeError, "at row 15"),
    ],
)
def test_a_run_failing_in_its_second_block_leaves_no_output_and_keeps_an_old_one(
    tmp_path: Path, src_name: str, dst_name: str, error: type[Exception], match: str
) -> None:
    src, dst = tmp_path / src_name, tmp_path / dst_name
    df = frame(30)[["x", "k"]]
    if src.suffix == ".parquet":
        df.loc[15, "x"] = np.nan  # row 15: in the second block of ten
        write(df, src)
    else:
        text = df.to_csv(index=False).splitlines()
        text[16] = "n/a?,15"  # row 15 (from 0 after the header), in the second block of ten
        src.write_text("\n".join(text) + "\n")
    dst.write_bytes(b"old")
    with pytest.raises(error, match=match):
        mixup_file(src, dst, buffer_rows=10, concat=True, random_state=0)
    assert listing(tmp_path) == {src_name, dst_name}
    assert dst.read_bytes() == b"old"


@pytest.mark.parametrize(
    ("dst_name", "engine"), [("out.csv", "pandas"), ("out.csv", "pyarrow"), ("out.parquet", "auto")]
)
def test_interrupted_run_leaves_no_output_and_keeps_an_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dst_name: str, engine: str
) -> None:
    """Ctrl-C while the second block is written (by pandas' to_csv, mixupy's pyarrow CSV writer, ParquetWriter)."""
    from mixupy._files import _arrow_csv

    src, dst = tmp_path / "in.parquet", tmp_path / dst_name
    write(frame(30)[["x", "k"]], src)
    dst.write_bytes(b"old")
    calls: list[int] = []
    writers = {"pandas": (pd.DataFrame, "to_csv"), "pyarrow": (_arrow_csv.Writer, "write")}
    owner, method = writers[engine] if dst.suffix == ".csv" else (pq.ParquetWriter, "write_table")
    real = getattr(owner, method)

    def interrupt_second_block(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, method, interrupt_second_block)
    with pytest.raises(KeyboardInterrupt):
        mixup_file(src, dst, buffer_rows=10, concat=True, engine=engine)
    assert len(calls) == 2
    assert listing(tmp_path) == {"in.parquet", dst_name}
    assert dst.read_bytes() == b"old"


@pytest.mark.parametrize("engine", ["pandas", "pyarrow"])
def test_sigterm_during_augment_removes_the_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A real SIGTERM, sent to this process while the second block is written."""
    from mixupy._files import _arrow_csv

    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    write(frame(30)[["x", "k"]], src)
    owner, method = (pd.DataFrame, "to_csv") if engine == "pandas" else (_arrow_csv.Writer, "write")
    real = getattr(owner, method)
    calls: list[int] = []

    def terminate_on_second_block(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            assert not dst.exists()  # the first block is written, but not under the target's name
            os.kill(os.getpid(), signal.SIGTERM)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, method, terminate_on_second_block)
    previous = signal.getsignal(signal.SIGTERM)
    command = ["augment", str(src), "-o", str(dst), "--buffer-rows", "10", "--engine", engine]
    assert main(command) == 128 + signal.SIGTERM
    assert "stopped by SIGTERM" in capsys.readouterr().err
    assert len(calls) == 2
    assert listing(tmp_path) == {"in.csv"}
    assert signal.getsignal(signal.SIGTERM) is previous


# --- the command line --------------------------------------------------------------------------


def test_cli_streams_parquet_to_csv_and_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, mid, dst = tmp_path / "in.parquet", tmp_path / "mid.csv", tmp_path / "out.pq"
    write(frame(30), src)
    args = ["--labels", "species", "--buffer-rows", "8", "--seed", "4", "--no-progress"]
    assert main(["augment", str(src), "-o", str(mid), *args]) == 0
    assert main(["augment", str(mid), "-o", str(dst), "--labels", "species_a,species_b", "--buffer-rows", "8"]) == 0
    out = pd.read_parquet(dst)
    assert out.shape == (30, 6)
    np.testing.assert_allclose(out["species_a"] + out["species_b"], 1.0)
    err = capsys.readouterr().err
    assert "wrote 30 rows x 6 columns" in err and "it/s" not in err and "rows/s" not in err


def test_cli_usage_errors_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "in.csv"
    write(frame(5), src)
    assert main(["augment", str(src), "-o", str(tmp_path / "o.csv"), "--buffer-rows", "0"]) == 2
    assert "buffer-rows" in capsys.readouterr().err
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)  # as if pyarrow were not installed
    assert main(["augment", str(src), "-o", str(tmp_path / "o.parquet"), "--labels", "species"]) == 2
    assert "mixupy[parquet]" in capsys.readouterr().err
    assert listing(tmp_path) == {"in.csv"}


def test_cli_bad_data_exit_1_names_the_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.csv"
    src.write_text("x\n" + "".join(f"{i}\n" for i in range(12)) + "n/a?\n")
    assert main(["augment", str(src), "-o", str(tmp_path / "o.csv"), "--buffer-rows", "5"]) == 1
    assert "'x' holds 'n/a?' at row 12" in capsys.readouterr().err
    assert listing(tmp_path) == {"in.csv"}


def test_progress_bar_on_request_and_off_when_not_a_terminal(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    write(frame(50)[["x", "k"]], src)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "mixupy", "augment", str(src), "-o", str(tmp_path / "o.csv")]
    command += ["--buffer-rows", "10"]
    shown = subprocess.run([*command, "--progress"], capture_output=True, text=True, env=env, check=True)
    assert "mixupy: 100%" in shown.stderr
    hidden = subprocess.run(command, capture_output=True, text=True, env=env, check=True)  # stderr is a pipe
    assert "%" not in hidden.stderr and "wrote 50 rows" in hidden.stderr


def test_a_class_column_of_digits_then_words_is_text_in_every_block(tmp_path: Path) -> None:
    # Blocks used to read the class column as numbers in one block and text in the next (different schemas,
    # or silently different columns); it is now read as text, as written, in every block.
    src, dst = tmp_path / "in.csv", tmp_path / "out.parquet"
    src.write_text("x,c\n" + "".join(f"{i},{i % 2}\n" for i in range(10)) + "10,a\n11,b\n")
    mixup_file(src, dst, labels="c", label_mode="dominant", buffer_rows=10, concat=True, random_state=0)
    out = pd.read_parquet(dst)
    assert out["c"].tolist()[:12] == ["0", "1"] * 5 + ["a", "b"]
    assert set(out["c"]) == {"0", "1", "a", "b"}
