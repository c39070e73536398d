"""CSV through pyarrow or pandas: the same output file byte for byte, the same message for the same bad file.

Each case runs ``mixupy augment`` once per engine and compares exit code, standard error and output bytes. Where
a file is plain, a second check makes sure pyarrow really did the work: the pandas reader and ``to_csv`` are
made to fail, so a silent fallback to pandas cannot pass for agreement.
"""

from __future__ import annotations

import gzip
import io
import lzma
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import sklearn
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import mixupy
from mixupy._files import Reader
from mixupy._files._arrow_csv import write
from mixupy.cli import main

SKLEARN_DATA = Path(sklearn.__file__).parent / "datasets" / "data"


def _refuse(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("pandas was used where pyarrow should have done the work")


@pytest.fixture
def arrow_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """pyarrow must read every block and write every row: pandas' block reader and to_csv are refused."""
    monkeypatch.setattr(Reader, "_pandas_blocks", _refuse)
    monkeypatch.setattr(pd.DataFrame, "to_csv", _refuse)


def run(
    capsys: pytest.CaptureFixture[str], folder: Path, src: Path, args: list[str], engine: str, suffix: str = ".csv"
) -> tuple[int, str, bytes | None]:
    out = folder / f"out-{engine}{suffix}"
    code = main(["augment", str(src), "-o", str(out), "--engine", engine, "--no-progress", *args])
    err = capsys.readouterr().err.replace(str(out), "OUT")
    data = out.read_bytes() if out.exists() else None
    out.unlink(missing_ok=True)
    return code, err, data


def same_on_both(
    capsys: pytest.CaptureFixture[str], folder: Path, src: Path, args: list[str]
) -> tuple[int, str, bytes | None]:
    """Run with both engines; assert the same exit code, message and bytes; return them."""
    on_pandas = run(capsys, folder, src, args, "pandas")
    on_arrow = run(capsys, folder, src, args, "pyarrow")
    assert on_arrow[0] == on_pandas[0], (on_arrow[1], on_pandas[1])
    assert on_arrow[1] == on_pandas[1]
    assert on_arrow[2] == on_pandas[2]
    return on_pandas


# --- files nobody here wrote ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args", [["--seed", "0"], ["--concat", "--seed", "1"], ["--buffer-rows", "40", "--seed", "2", "--rows", "333"]]
)
def test_sklearn_iris_is_the_same_file_on_both_engines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    code, _, data = same_on_both(capsys, tmp_path, SKLEARN_DATA / "iris.csv", args)
    assert code == 0 and data is not None and data.startswith(b"150,4,setosa,versicolor,virginica\n")


def test_sklearn_iris_is_read_and_written_by_pyarrow_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], arrow_only: None
) -> None:
    code, err, data = run(capsys, tmp_path, SKLEARN_DATA / "iris.csv", ["--concat", "--seed", "1"], "pyarrow")
    assert code == 0, err
    assert data is not None and len(data.splitlines()) == 301


@pytest.mark.parametrize("name", ["wine_data", "breast_cancer"])
def test_sklearn_files_with_a_short_header_give_the_same_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, err, data = same_on_both(capsys, tmp_path, SKLEARN_DATA / f"{name}.csv", [])
    assert code == 1 and data is None and len(err.strip().splitlines()) == 1 and "name every field" in err


PENGUINS = ["--categorical", "auto", "--keep", "year", "--labels", "species"]


@pytest.mark.parametrize(
    "extra",
    [[], ["--label-mode", "dominant", "--concat"], ["--buffer-rows", "50", "--seed", "3"], ["--within-class"]],
)
def test_palmerpenguins_is_the_same_file_on_both_engines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    import palmerpenguins

    src = Path(palmerpenguins.__file__).parent / "data" / "penguins.csv"
    # its missing measurements are 'NA': an error that names them, the same on both engines
    code, err, _ = same_on_both(capsys, tmp_path, src, [*PENGUINS, "--seed", "0", *extra])
    assert code == 1 and "missing" in err
    complete = tmp_path / "complete.csv"
    pd.read_csv(src).dropna().to_csv(complete, index=False)
    code, err, data = same_on_both(capsys, tmp_path, complete, [*PENGUINS, "--seed", "0", *extra])
    assert code == 0 and data is not None, err


# --- messy files ------------------------------------------------------------------------------------------------

MESSY = (
    "id,signup,region,score,count,plan\n"
    '007,2024-01-03,"North, upper",1.5,3,NA\n'
    '008,2024-02-11,"say ""hi""",2.25,4,basic\n'
    "009,2024-03-30,Zürich,-0.5,5,NA\n"
    '010,2024-04-01,"two\nlines",1e-7,6,pro\n'
    "011,2024-05-05,,3.0,7,basic\n"
    "012,2024-06-06,South,12345678901.5,8,pro\n"
)


@pytest.mark.parametrize(
    "args",
    [
        ["--labels", "plan", "--keep", "id", "--categorical", "region", "--drop", "signup"],
        ["--labels", "plan", "--keep", "id", "--categorical", "region", "--dates", "signup", "--concat"],
        ["--labels", "plan", "--label-mode", "dominant", "--keep", "id,region", "--drop", "signup", "--concat"],
        ["--labels", "plan", "--keep", "id", "--categorical", "auto", "--buffer-rows", "2", "--drop", "signup"],
        ["--labels", "plan", "--keep", "id,region,signup", "--concat", "--buffer-rows", "4"],
    ],
)
def test_messy_files_are_the_same_file_on_both_engines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    src = tmp_path / "messy.csv"
    src.write_text(MESSY, encoding="utf-8")
    code, err, data = same_on_both(capsys, tmp_path, src, [*args, "--seed", "4"])
    assert code == 0 and data is not None, err
    semicolons = tmp_path / "semicolons.csv"
    pd.read_csv(src, dtype=str, keep_default_na=False).to_csv(semicolons, sep=";", index=False)
    code, err, again = same_on_both(capsys, tmp_path, semicolons, [*args, "--seed", "4", "--sep", ";"])
    assert code == 0 and again is not None and b";" in again, err


def test_messy_text_is_read_and_written_by_pyarrow_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], arrow_only: None
) -> None:
    src = tmp_path / "messy.csv"
    src.write_text(MESSY, encoding="utf-8")
    args = ["--labels", "plan", "--keep", "id,region,signup", "--concat", "--label-mode", "dominant"]
    code, err, data = run(capsys, tmp_path, src, args, "pyarrow")
    assert code == 0 and data is not None, err
    written = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    given = pd.read_csv(io.StringIO(MESSY), dtype=str, keep_default_na=False)
    text = ["id", "signup", "region", "plan"]
    pd.testing.assert_frame_equal(written[text].iloc[: len(given)], given[text])  # the originals' text, as written
    assert b'"North, upper"' in data and b'"say ""hi"""' in data and b'"two\nlines"' in data


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("x,y\n1,a\n2,b\n3,c\nfour,a\n", "'four' at row 3"),  # a non-number, in the second block
        ("x,y\n1,a\n2,b\n3,c\n4,a,9\n", "line 5"),  # too many fields
        ("x,y,z\n1,a,1\n2,b,2\n3,c,3\n4,a\n", "missing"),  # too few: pandas fills them in
        ("x,y\n1,a\n2,b\ninf,c\n4,a\n", "infinite"),
        ("x,y\n1,a\n2,b\nNA,c\n4,a\n", "missing"),
        ("x,y\n1,a\n\xff,b\n", "cannot read"),
    ],
)
def test_bad_files_give_the_same_message_on_both_engines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, words: str
) -> None:
    src = tmp_path / "bad.csv"
    src.write_bytes(body.encode("latin-1"))
    code, err, data = same_on_both(capsys, tmp_path, src, ["--labels", "y", "--buffer-rows", "2"])
    assert code == 1 and data is None and words in err, err


@pytest.mark.parametrize(
    "column",
    [
        ["1", "2", "3", "4", "5", "6"],  # integers: written back as integers with --concat
        ["1", "2", "3", "4.5", "5", "6"],  # integers in one block, a float in the next
        ["007", "+8", "-0", "10", "11", "12"],  # integers pyarrow does not read as pandas does
        [" 1.5", "2.5 ", "3", "4", "5", "6"],  # spaces around numbers: pandas reads them
        ["True", "false", "TRUE", "False", "true", "False"],  # booleans, in any case
        ["1e3", "2E-2", ".5", "5.", "-.25", "1e5"],
        ["99999999999999999999", "1", "2", "3", "4", "5"],  # beyond int64
        ["1", "", "3", "n/a", "5", "6"],  # missing numbers
    ],
)
def test_every_reading_rule_holds_on_both_engines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], column: list[str]
) -> None:
    src = tmp_path / "in.csv"
    src.write_text("v,x,y\n" + "".join(f"{v},{i / 7},{'ab'[i % 2]}\n" for i, v in enumerate(column)))
    for args in (["--concat", "--buffer-rows", "3"], ["--labels", "y", "--label-mode", "dominant", "--concat"]):
        same_on_both(capsys, tmp_path, src, [*args, "--seed", "5"])


@pytest.mark.parametrize(
    "column",
    [
        [" 1.5", "2.5 ", "3", "4", "5", "6"],  # numbers to pandas: not a category
        ["True", "false", "TRUE", "False", "true", "False"],  # booleans are numbers
        ["True", "", "TRUE", "False", "true", "False"],  # with a missing one they are not
        ["a", "b", "a", "b", "c", "NA"],  # text
        ["1", "2", "x", "4", "5", "6"],  # text, in the first block
        ["1", "2", "3", "4", "x", "6"],  # a word after the first block: an error naming its row
    ],
)
def test_categorical_auto_finds_the_same_columns_on_both_engines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], column: list[str]
) -> None:
    src = tmp_path / "in.csv"
    src.write_text("v,x,y\n" + "".join(f"{v},{i / 7},{'ab'[i % 2]}\n" for i, v in enumerate(column)))
    for args in (["--categorical", "auto", "--buffer-rows", "4"], ["--categorical", "auto", "--labels", "y"]):
        same_on_both(capsys, tmp_path, src, [*args, "--seed", "9"])


def test_one_hot_integer_labels_stay_integers_on_both_engines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.csv"
    src.write_text("x,a,b\n" + "".join(f"{i / 3},{i % 2},{1 - i % 2}\n" for i in range(12)))
    code, _, data = same_on_both(capsys, tmp_path, src, ["--labels", "a,b", "--label-mode", "dominant", "--seed", "6"])
    assert code == 0 and data is not None
    assert {line.split(b",")[1] for line in data.splitlines()[1:]} <= {b"0", b"1"}


@pytest.mark.parametrize("suffix", [".csv.gz", ".csv.xz"])
def test_compressed_inputs_are_the_same_file_on_both_engines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    text = (SKLEARN_DATA / "iris.csv").read_bytes()
    src = tmp_path / f"iris{suffix}"
    src.write_bytes(gzip.compress(text) if suffix.endswith("gz") else lzma.compress(text))
    code, _, data = same_on_both(capsys, tmp_path, src, ["--seed", "7", "--buffer-rows", "64"])
    assert code == 0 and data is not None


def test_standard_output_gets_the_same_bytes(tmp_path: Path, capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    outputs = []
    for engine in ("pandas", "pyarrow"):
        assert main(["augment", str(SKLEARN_DATA / "iris.csv"), "-o", "-", "--seed", "8", "--engine", engine]) == 0
        outputs.append(capfdbinary.readouterr().out)
    assert outputs[0] == outputs[1] and outputs[0].count(b"\n") == 151


def test_the_python_function_takes_the_engine_and_checks_it(tmp_path: Path) -> None:
    src = SKLEARN_DATA / "iris.csv"
    shapes = {e: mixupy.mixup_file(src, tmp_path / f"{e}.csv", random_state=0, engine=e) for e in ("auto", "pandas")}
    assert shapes["auto"] == shapes["pandas"] == (150, 5)
    assert (tmp_path / "auto.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()
    with pytest.raises(ValueError, match=r"`engine` must be one of \['auto', 'pyarrow', 'pandas'\]"):
        mixupy.mixup_file(src, tmp_path / "x.csv", engine="polars")


def test_pyarrow_asked_for_but_missing_is_one_line_naming_the_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.csv", None)
    src = SKLEARN_DATA / "iris.csv"
    assert main(["augment", str(src), "-o", str(tmp_path / "out.csv"), "--engine", "pyarrow"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install 'mixupy[parquet]'" in err
    assert main(["augment", str(src), "-o", str(tmp_path / "out.csv")]) == 0  # auto: pandas


# --- the writer against to_csv ----------------------------------------------------------------------------------

TEXT = st.text(alphabet=st.sampled_from(list('ab ,;"\n\r\tzé€0.-')), max_size=6)


@st.composite
def frames(draw: Any) -> pd.DataFrame:
    n = draw(st.integers(0, 30))
    kinds = draw(st.lists(st.sampled_from(["float", "bits", "int", "bool", "str", "object"]), min_size=1, max_size=4))
    data: dict[str, Any] = {}
    for j, kind in enumerate(kinds):
        name = draw(TEXT.filter(lambda s: s not in data)) if j else draw(TEXT)
        if kind == "float":
            data[name] = draw(hnp.arrays(np.float64, n, elements=st.floats(allow_nan=True, allow_infinity=False)))
        elif kind == "bits":  # every finite bit pattern
            bits = draw(hnp.arrays(np.uint64, n)).view(np.float64)
            data[name] = np.where(np.isfinite(bits), bits, 0.0)
        elif kind == "int":
            data[name] = draw(hnp.arrays(np.int64, n))
        elif kind == "bool":
            data[name] = draw(hnp.arrays(np.bool_, n))
        elif kind == "str":
            data[name] = pd.array(draw(st.lists(st.none() | TEXT, min_size=n, max_size=n)), dtype="str")
        else:
            data[name] = np.array(draw(st.lists(st.none() | TEXT, min_size=n, max_size=n)), dtype=object)
    return pd.DataFrame(data)


@settings(max_examples=300, deadline=None)
@given(frame=frames(), sep=st.sampled_from([",", ";", "\t", "|"]), header=st.booleans())
def test_the_pyarrow_writer_gives_the_bytes_of_to_csv(frame: pd.DataFrame, sep: str, header: bool) -> None:
    expected = frame.to_csv(index=False, sep=sep, header=header)
    text = io.StringIO()
    assert write(frame, text, header=header, sep=sep)
    assert text.getvalue() == expected
    raw = io.BytesIO()
    with io.TextIOWrapper(raw, encoding="utf-8", newline="") as wrapped:
        assert write(frame, wrapped, header=header, sep=sep)
        wrapped.flush()
        assert raw.getvalue() == expected.encode("utf-8")


def test_the_pyarrow_writer_on_magnitudes_from_tiny_to_huge() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal(200_000) * 10.0 ** rng.integers(-300, 300, 200_000)
    x = np.concatenate([x, np.round(x[:1000]), [0.0, -0.0, 1e-4, 1e-5, 1e10, 1e16, 9999999999.5, 5e-324]])
    frame = pd.DataFrame({"x": x, "y": x[::-1]})
    text = io.StringIO()
    assert write(frame, text, header=True, sep=",")
    assert text.getvalue() == frame.to_csv(index=False)


def test_kinds_the_writer_does_not_know_are_left_to_pandas() -> None:
    dates = pd.DataFrame({"t": pd.date_range("2024-01-01", periods=3)})
    assert not write(dates, io.StringIO(), header=True, sep=",")
    assert not write(pd.DataFrame({"x": [1.5]}), io.StringIO(), header=True, sep=".")  # a separator in numbers


def test_parquet_to_csv_is_the_same_file_on_both_engines(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "x": np.arange(10, dtype="float32") / 3,  # float32, Int64, categories, datetimes: left to to_csv
            "i": pd.array(range(10), dtype="Int64"),
            "c": pd.Categorical(list("ababababab")),
            "t": pd.date_range("2024-01-01", periods=10, freq="h"),
            "f": np.linspace(-1, 1, 10),
        }
    )
    frame.to_parquet(tmp_path / "in.parquet")
    for engine in ("pandas", "pyarrow"):
        out = tmp_path / f"{engine}.csv"
        mixupy.mixup_file(tmp_path / "in.parquet", out, engine=engine, categorical="c", concat=True, random_state=0)
    assert (tmp_path / "pandas.csv").read_bytes() == (tmp_path / "pyarrow.csv").read_bytes()


@pytest.mark.parametrize(
    "data",
    [
        b"x,y\r\n1.5,a\r\n2.5,b\r\n3.5,a\r\n",  # Windows line ends
        b"x,y\r1.5,a\r2.5,b\r3.5,a\r",  # old Mac line ends
        b"x,y\n1.5,a\n\n2.5,b\n3.5,a\n\n",  # blank lines
        b"x,y\n1.5,a\n   \n2.5,b\n",  # a line of spaces
        b"\xef\xbb\xbfx,y\n1.5,a\n2.5,b\n",  # a byte-order mark
        b"x,y\n1.5,a\n2.5,b",  # no line end at the end
        b'"x","y"\n"1.5",a\n"2.5",b\n',  # quoted names and numbers
    ],
)
def test_line_ends_marks_and_quotes_read_the_same_on_both_engines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes
) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes(data)
    same_on_both(capsys, tmp_path, src, ["--labels", "y", "--concat", "--seed", "0"])
