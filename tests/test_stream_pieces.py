"""A CSV block mixed and written in pieces of its synthetic rows writes the same bytes as the block mixed whole.

``mixup_file`` draws once per block, then applies the draw to a range of rows at a time (``frame.Prepared``)
and writes each piece before the next is made. Each test runs one call twice, pieced (with pieces of a few
rows, which divide neither the blocks nor each other) and whole (``CsvSink.takes_pieces`` forced off: the
path of a Parquet sink), and compares the output byte for byte, and the messages of bad input.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from mixupy import mixup, mixup_file, stream
from mixupy._files import CsvSink
from mixupy._options import MixOptions
from mixupy._validation import MissingValuesError, NonNumericColumnsError
from mixupy.frame import prepare

N_ROWS = 123  # blocks of 50, 50 and 23 rows


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = np.random.default_rng(1)
    df = pd.DataFrame(
        {
            "a": rng.standard_normal(N_ROWS) * 1e3,
            "b": rng.integers(-5, 9, N_ROWS),
            "y": rng.choice(["p", "q", "r"], N_ROWS),
            "c": rng.choice(["u", 'v;"w"', "x,y"], N_ROWS),
            "t": rng.standard_normal(N_ROWS),
            "flag": rng.integers(0, 2, N_ROWS).astype(bool),
            "d": pd.date_range("2024-01-01", periods=N_ROWS, freq="37min").strftime("%Y-%m-%d %H:%M:%S"),
        }
    )
    path = tmp_path_factory.mktemp("pieces") / "in.csv"
    df.to_csv(path, index=False)
    df.to_csv(path.with_name("in_semicolon.csv"), index=False, sep=";")
    return path


def run(
    source: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    pieces: int | None,
    target: Any = None,
    pieced: bool = True,
    **options: Any,
) -> str:
    """``mixup_file`` of ``source`` into a text stream (or ``target``), pieces of ``pieces`` rows or whole.

    ``pieced``: whether the blocks are to be written in pieces (False: datetimes, which are written whole)."""
    widths: list[int] = []
    options = {"buffer_rows": 50, "random_state": 3, **options}
    with monkeypatch.context() as patch:
        if pieces is None:
            patch.setattr(CsvSink, "takes_pieces", lambda self, dtypes: False)
        else:
            patch.setattr(stream, "_piece_rows", lambda width: widths.append(width) or pieces)
        if target is None:
            out = io.StringIO()
            mixup_file(source, out, **options)
            text = out.getvalue()
        else:
            mixup_file(source, target, **options)
            text = Path(target).read_text()
    assert bool(widths) == (pieced and pieces is not None)  # the pieces were made, or not
    return text


OPTIONS = [
    {"drop": ["y", "c", "d"]},
    {"drop": ["y", "c", "d"], "concat": True, "alpha": 0.4},
    {"labels": "y", "drop": ["c", "d"]},
    {"labels": "y", "concat": True, "keep": ["c", "d"]},
    {"labels": "y", "label_mode": "dominant", "keep": "c", "drop": "d"},
    {"labels": "y", "within_class": True, "categorical": "c", "batch_size": 77, "concat": True, "drop": "d"},
    {"keep": ["y", "d"], "categorical": "c", "categorical_mode": "random"},
    {"keep": ["y", "d"], "categorical": "c", "categorical_mode": "dominant", "alpha": 0},
    {"target_columns": "t", "pairing": "target", "keep": ["y", "c", "d"]},
    {"pairing": "neighbors", "k_neighbors": 3, "labels": "y", "within_class": True, "keep": ["c", "d"]},
    {"batch_size": 10, "keep": ["y", "c", "d"]},  # a block's share of 4: fewer rows than a piece
    {"batch_size": 400, "keep": ["y", "c", "d"], "concat": True},  # several passes over each block
    {"dates": "d", "labels": "y", "keep": "c"},  # a datetime column: written whole, pandas formats it by chunk
    {"sep": ";", "labels": "y", "keep": ["c", "d"]},
]


@pytest.mark.parametrize("engine", ["pyarrow", "pandas"])
@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()))
def test_pieces_write_the_bytes_of_the_whole_block(
    table: Path, engine: str, options: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = table.with_name("in_semicolon.csv") if "sep" in options else table
    whole = run(source, monkeypatch, pieces=None, engine=engine, **options)
    assert len(whole.splitlines()) > N_ROWS // 20
    pieced = "dates" not in options
    for pieces in (1, 7, 64):  # 7 divides no block; 64 is more than a block holds
        assert run(source, monkeypatch, pieces=pieces, pieced=pieced, engine=engine, **options) == whole, pieces


@pytest.mark.parametrize("concat", [False, True])
def test_pieces_into_a_file_and_through_the_concat_spill(
    table: Path, concat: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = {"labels": "y", "keep": ["c", "d"], "concat": concat, "buffer_rows": 40}
    whole = run(table, monkeypatch, pieces=None, target=tmp_path / "whole.csv", **options)
    pieced = run(table, monkeypatch, pieces=9, target=tmp_path / "pieced.csv", **options)
    assert pieced == whole
    assert len(pieced.splitlines()) == 1 + N_ROWS * (1 + concat)


def test_one_numeric_block_pieced_as_the_fast_path_mixes_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A block of one numeric dtype is mixed whole by ``frame._mix_plain``; pieced, by the column path."""
    rng = np.random.default_rng(5)
    values = rng.standard_normal((300, 4)) * np.array([1.0, 1.0, 1e-300, 7.0])
    values[:, 1] = np.clip(values[:, 1], -1.7, 1.7) * 1e308  # near the largest float: the kernel clips its mix
    path = tmp_path / "plain.csv"
    pd.DataFrame(values, columns=list("abcd")).to_csv(path, index=False)
    for options in ({}, {"concat": True, "batch_size": 1000}, {"alpha": 0.2, "buffer_rows": 299}):
        merged = {"buffer_rows": 120, **options}
        assert run(path, monkeypatch, pieces=13, **merged) == run(path, monkeypatch, pieces=None, **merged)


def test_a_piece_is_those_rows_of_the_whole_frame() -> None:
    """``Prepared.piece`` gives the rows of ``Prepared.frame``, the same values and dtypes, originals too."""
    rng = np.random.default_rng(2)
    n = 200
    df = pd.DataFrame(
        {
            "x": rng.standard_normal(n).astype(np.float32),
            "i": rng.integers(0, 5, n),
            "z": rng.standard_normal(n),
            "y": rng.choice(["a", "b"], n),
            "when": pd.date_range("2020-01-01", periods=n, freq="h", tz="Europe/Paris"),
        }
    )
    options = MixOptions.validate(labels="y", concat=True, batch_size=333, categorical=(), keep=())
    whole = prepare(df, options, np.random.default_rng(9)).frame()
    ready = prepare(df, options, np.random.default_rng(9), checked=True)
    parts = [ready.piece(slice(s, min(n, s + 64)), originals=True) for s in range(0, n, 64)]
    parts += [ready.piece(slice(s, min(333, s + 100))) for s in range(0, 333, 100)]
    pieced = pd.concat(parts, ignore_index=True)
    pd.testing.assert_frame_equal(pieced, whole)
    assert ready.width == whole.shape[1]
    pd.testing.assert_frame_equal(whole, mixup(df, labels="y", concat=True, batch_size=333, random_state=9))


def bad_table(tmp_path: Path, column: str, value: str) -> Path:
    lines = ["a,b,y"] + [f"{k * 0.5},{k % 4},{'pq'[k % 2]}" for k in range(120)]
    lines[1 + 77] = lines[1 + 77].replace(f"{77 * 0.5}", value) if column == "a" else lines[1 + 77][:-1] + value
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(
    ("value", "error"), [("", MissingValuesError), ("inf", MissingValuesError), ("oops", NonNumericColumnsError)]
)
@pytest.mark.parametrize("engine", ["pyarrow", "pandas"])
def test_bad_values_are_reported_as_whole_before_any_piece_of_their_block(
    tmp_path: Path, value: str, error: type[Exception], engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = bad_table(tmp_path, "a", value)
    messages, written = [], []
    for pieces in (None, 7):
        with monkeypatch.context() as patch:
            if pieces is None:
                patch.setattr(CsvSink, "takes_pieces", lambda self, dtypes: False)
            else:
                patch.setattr(stream, "_piece_rows", lambda width: 7)
            out = io.StringIO()
            with pytest.raises(error) as caught:
                mixup_file(source, out, labels="y", buffer_rows=50, random_state=0, engine=engine)
            messages.append(str(caught.value))
            written.append(out.getvalue())
            target = tmp_path / f"out{pieces}.csv"
            with pytest.raises(error):
                mixup_file(source, target, labels="y", buffer_rows=50, random_state=0, engine=engine)
            assert not target.exists()  # no partial file
            assert list(tmp_path.iterdir()) == [source]
    assert messages[0] == messages[1]
    assert "77" in messages[0]  # the row in the whole file
    assert written[0] == written[1]  # the first block only, nothing of the block holding the bad value
    assert len(written[0].splitlines()) == 1 + 50


def test_piece_rows_follow_the_width() -> None:
    assert stream._piece_rows(50) * 50 <= stream._PIECE_VALUES
    assert stream._piece_rows(1) == stream._PIECE_VALUES
    assert stream._piece_rows(10**9) == 1
