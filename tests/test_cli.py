"""The mixupy command: augment and demo, exit codes, and no half-written files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mixupy.cli import main

ROOT = Path(__file__).resolve().parents[1]


def write_csv(path: Path, n: int = 20) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"x": rng.random(n), "y": rng.random(n), "species": np.where(np.arange(n) % 2, "a", "b")})
    df.to_csv(path, index=False)
    return df


def listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_augment_writes_the_same_as_the_library(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    df = write_csv(src)
    code = main(
        [
            "augment",
            str(src),
            "-o",
            str(dst),
            "--alpha",
            "0.4",
            "--rows",
            "50",
            "--labels",
            "species",
            "--seed",
            "3",
        ]
    )
    assert code == 0
    out = pd.read_csv(dst)
    from mixupy import mixup

    expected = mixup(df, alpha=0.4, batch_size=50, labels="species", random_state=3)
    pd.testing.assert_frame_equal(out, expected, check_exact=False, rtol=1e-12)
    assert listing(tmp_path) == {"in.csv", "out.csv"}


def test_augment_options_concat_within_class_dominant(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    write_csv(src)
    assert main(["augment", str(src), "-o", str(dst), "--concat", "--labels", "species", "--within-class"]) == 0
    out = pd.read_csv(dst)
    assert len(out) == 40 and list(out.columns) == ["x", "y", "species"]
    assert main(["augment", str(src), "-o", str(dst), "--labels", "species", "--label-mode", "dominant"]) == 0
    assert set(pd.read_csv(dst)["species"]) <= {"a", "b"}


def test_augment_one_hot_label_list(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    pd.DataFrame({"x": [1.0, 2.0, 3.0], "p": [1, 0, 1], "q": [0, 1, 0]}).to_csv(src, index=False)
    assert main(["augment", str(src), "-o", str(dst), "--labels", "p,q", "--seed", "1"]) == 0
    out = pd.read_csv(dst)
    np.testing.assert_allclose(out["p"] + out["q"], 1.0)


def test_augment_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.csv"
    write_csv(src, 5)
    assert main(["augment", str(src), "-o", "-", "--labels", "species", "--seed", "0"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "x,y,species_a,species_b" and len(lines) == 6


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["augment", "{src}", "-o", "{src}"], 2, "is the input"),
        (["augment", "{tmp}/missing.csv", "-o", "{dst}"], 2, "not found"),
        (["augment", "{src}", "-o", "{tmp}/no/such/dir/out.csv"], 2, "directory does not exist"),
        (["augment", "{src}", "-o", "{dst}", "--alpha", "-1"], 2, "alpha"),
        (["augment", "{src}", "-o", "{dst}", "--rows", "0"], 2, "rows"),
        (["augment", "{src}", "-o", "{dst}", "--label-mode", "soft"], 2, "label-mode"),
        (["augment", "{src}"], 2, "output"),
        (["augment", "{src}", "-o", "{dst}"], 1, "non-numeric"),
        (["augment", "{src}", "-o", "{dst}", "--labels", "nope"], 2, "--labels names columns that are not in"),
        (["augment", "{bad}", "-o", "{dst}", "--labels", "species"], 1, "missing"),
        (["augment", "{src}", "-o", "{dst}", "--within-class"], 2, "needs the class column: add --labels"),
        (["augment", "{src}", "-o", "{dst}", "--label-mode", "dominant"], 2, "--label-mode dominant keeps"),
        (["augment", "{src}", "-o", "{dst}", "--labels", "a,a"], 2, "names a more than once"),
        (["frobnicate"], 2, "invalid choice"),
    ],
)
def test_errors_exit_codes_and_no_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, message: str
) -> None:
    src, dst, bad = tmp_path / "in.csv", tmp_path / "out.csv", tmp_path / "bad.csv"
    write_csv(src)
    bad.write_text("x,y,species\n1,2,a\n,3,b\n")
    before = src.read_bytes()
    names = {"src": str(src), "dst": str(dst), "tmp": str(tmp_path), "bad": str(bad)}
    assert main([a.format(**names) for a in args]) == code
    err = capsys.readouterr().err
    assert message in err
    assert err.strip().splitlines()[-1].startswith(("mixupy: error:", "mixupy augment: error:", "mixupy: error"))
    assert listing(tmp_path) == {"in.csv", "bad.csv"}  # nothing written, nothing left behind
    assert src.read_bytes() == before


def test_unparsable_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.csv"
    src.write_text('x,y\n1,2\n3,"4\n')
    assert main(["augment", str(src), "-o", str(tmp_path / "o.csv")]) == 1
    assert "cannot read" in capsys.readouterr().err
    assert listing(tmp_path) == {"in.csv"}


@pytest.mark.parametrize("engine", ["pandas", "pyarrow"])
def test_failed_write_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str) -> None:
    from mixupy._files import _arrow_csv

    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    write_csv(src)

    def explode(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(*((pd.DataFrame, "to_csv") if engine == "pandas" else (_arrow_csv.Writer, "write")), explode)
    assert main(["augment", str(src), "-o", str(dst), "--labels", "species", "--engine", engine]) == 130
    assert listing(tmp_path) == {"in.csv"}


def test_existing_output_replaced_only_on_success(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    write_csv(src)
    dst.write_text("old\n")
    assert main(["augment", str(src), "-o", str(dst)]) == 1  # species is not numeric without --labels
    assert dst.read_text() == "old\n"


def test_demo_prints_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "iris, 150 rows" in out
    assert "label rows summing to 1: 150 of 150" in out


def test_module_entry_point_runs_in_a_subprocess() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "mixupy", "demo", "--seed", "1"], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "synthetic rows" in done.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "mixupy", "demo", "--alpha", "x"], capture_output=True, text=True, env=env
    )
    assert bad.returncode == 2 and "alpha" in bad.stderr


@pytest.mark.parametrize(
    ("make_args", "code", "message"),
    [
        (lambda d: ["augment", str(d / "missing.csv"), "-o", str(d / "existing.csv")], 2, "input file not found"),
        (lambda d: ["augment", str(d / "in.csv"), "-o", str(d / ("a" * 300 + ".csv"))], 2, "File name too long"),
        (lambda d: ["augment", str(d / "in.csv"), "-o", str(d / "o.csv"), "--seed", "-1"], 2, "--seed"),
        (lambda d: ["demo", "--plot", str(d / "nowhere" / "f.png")], 2, "output directory does not exist"),
    ],
    ids=["missing-input-existing-output", "name-too-long", "negative-seed", "plot-folder-missing"],
)
def test_path_problems_are_one_line_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make_args: object, code: int, message: str
) -> None:
    write_csv(tmp_path / "in.csv")
    (tmp_path / "existing.csv").write_text("keep\n")
    assert main(make_args(tmp_path)) == code  # type: ignore[operator]
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert listing(tmp_path) == {"in.csv", "existing.csv"}
    assert (tmp_path / "existing.csv").read_text() == "keep\n"


def test_closed_pipe_is_not_an_error() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    reader = subprocess.Popen(
        [sys.executable, "-m", "mixupy", "demo"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.close()  # like `mixupy demo | head -0`
    with reader.stderr:
        err = reader.stderr.read().decode()
    assert reader.wait(timeout=60) == 0
    assert "Traceback" not in err


def test_output_through_a_symlink_keeps_the_link_and_the_mode(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    write_csv(src, 6)
    real = tmp_path / "real"
    real.mkdir()
    (real / "target.csv").write_text("old\n")
    (real / "target.csv").chmod(0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(real / "target.csv")
    assert main(["augment", str(src), "-o", str(link), "--labels", "species", "--seed", "1"]) == 0
    assert link.is_symlink()
    assert (real / "target.csv").read_text().startswith("x,y,species_a")
    assert (real / "target.csv").stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in real.iterdir()) == ["target.csv"]  # no temporary file left


def test_output_to_a_fifo_is_written_through(tmp_path: Path) -> None:
    import threading

    src, fifo = tmp_path / "in.csv", tmp_path / "pipe.csv"
    write_csv(src, 6)
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    assert main(["augment", str(src), "-o", str(fifo), "--labels", "species", "--seed", "1"]) == 0
    reader.join(timeout=30)
    assert received and received[0].count("\n") == 7  # header and six rows
    assert not fifo.is_file() and fifo.exists()  # still a FIFO
