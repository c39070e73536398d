"""Faults found by trying the command line and the samplers as a new user: each is now a clear error."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mixupy import MixupSampler, mixup, mixup_file
from mixupy.cli import main


def test_a_fifo_as_input_is_refused_at_once_not_waited_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The header is read before the blocks (and the classes may need a second pass): a pipe cannot be read
    twice, so it is refused before it is opened, where it used to wait forever for a second writer."""
    fifo = tmp_path / "in.csv"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match=r"not a regular file.*save the stream to a file first"):
        mixup_file(fifo, tmp_path / "out.csv")
    assert main(["augment", str(fifo), "-o", str(tmp_path / "out.csv")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("mixupy: error:") and "not a regular file" in err and "\n" not in err
    assert "not found" not in err  # it exists: the old message said it did not
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_one_column_named_by_two_flags_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.csv"
    pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": ["a", "b", "a"]}).to_csv(src, index=False)
    assert main(["augment", str(src), "-o", str(tmp_path / "out.csv"), "--labels", "y", "--keep", "y"]) == 2
    err = capsys.readouterr().err.strip()
    assert "named by both --labels and --keep" in err and "\n" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


@pytest.mark.parametrize("engine", ["pyarrow", "pandas"])
def test_a_missing_class_is_named_with_its_row_in_the_whole_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    src = tmp_path / "in.csv"
    src.write_text("x,y\n1,a\n2,b\n3,a\n4,\n5,b\n6,\n")  # rows 3 and 5 (from 0, after the header) have no class
    args = ["augment", str(src), "-o", str(tmp_path / "out.csv"), "--labels", "y", "--engine", engine]
    assert main([*args, "--buffer-rows", "2"]) == 1  # the second block, rows 2-3, holds the first
    err = capsys.readouterr().err.strip()
    assert "--labels column 'y' holds 1 missing value(s), the first at row 3;" in err and "\n" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]
    with pytest.raises(ValueError, match=r"holds 2 missing value\(s\), the first at row 3;"):
        mixup(pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6], "y": ["a", "b", "a", None, "b", None]}), labels="y")


@pytest.mark.parametrize("kind", ["series", "list", "float array"])
def test_a_sampler_names_a_missing_label_and_its_row(kind: str) -> None:
    X = pd.DataFrame({"a": np.arange(8.0)})
    labels = {
        "series": pd.Series(["p", "p", "p", None, "q", "q", "p", "p"]),
        "list": ["p", "p", "p", None, "q", "q", "p", "p"],
        "float array": np.array([0.0, 0, 0, np.nan, 1, 1, 0, 0]),
    }[kind]
    with pytest.raises(ValueError, match=r"`y` holds 1 missing label\(s\) \(None or NaN\), the first at row 3"):
        MixupSampler(random_state=0).fit_resample(X, labels)
    X_res, y_res = MixupSampler(random_state=0).fit_resample(X, np.array([0, 0, 0, 1, 1, 0, 0, 0]))
    assert len(X_res) == len(y_res) == 12  # integer labels go through as before: 6 and 6


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["augment", "in.csv", "-o", "out.csv", "--buffer-rows", "0"], "--buffer-rows: expected a positive integer"),
        (["augment", "in.csv"], "required: -o/--output"),
        (["augment", "in.csv", "-o", "out.csv", "--label-mode", "x"], "invalid choice: 'x'"),
        (["augment", "in.csv", "-o", "out.csv", "--seed", "-1"], "--seed"),
        ([], "required: COMMAND"),
    ],
)
def test_a_bad_flag_is_one_line_not_the_usage_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str], said: str
) -> None:
    monkeypatch.chdir(tmp_path)
    pd.DataFrame({"x": [1.0, 2.0]}).to_csv("in.csv", index=False)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and said in err and "--help" in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]
