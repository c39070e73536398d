"""Faults found by trying mixupy as a new user would, on real data (scikit-learn's and palmerpenguins' CSVs) and on
files and frames made messy on purpose: each is now a clear error, or the right answer."""

from __future__ import annotations

import re
import shlex
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mixupy import MixupRegressionSampler, MixupSampler, cli, cutmix, mixup, mixup_file
from mixupy._validation import ColumnNotFoundError, OptionConflictError
from mixupy.cli import main


def _table(n: int = 12) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "year": rng.integers(2000, 2010, n),
            "island": rng.choice(["Biscoe", "Dream"], n),
            "sex": rng.choice(["f", "m"], n),
        }
    )


def _one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert err.startswith("mixupy") and "\n" not in err and "Traceback" not in err
    return err


def test_categorical_may_be_an_index_of_names() -> None:
    """``df.select_dtypes(...).columns`` is how one lists text columns; it raised NumPy's 'truth value of an array
    is ambiguous' from comparing the Index with "auto"."""
    data = _table()
    names = data.select_dtypes(exclude="number").columns
    out = mixup(data, categorical=names, random_state=0)
    assert out.equals(mixup(data, categorical=list(names), random_state=0))
    assert set(out["island"]) <= set(data["island"])


@pytest.mark.parametrize("other", ["keep", "categorical"])
def test_a_target_cannot_also_be_carried(tmp_path: Path, capsys: pytest.CaptureFixture[str], other: str) -> None:
    """A target is mixed; keep= and categorical= carry a column unmixed. Both at once were accepted in Python (the
    column came back unmixed), and the command said the target 'holds str values' (it was read as text)."""
    data = _table()
    with pytest.raises(OptionConflictError, match=rf"\['year'\] are named by both `target` and `{other}`"):
        mixup(data.drop(columns=["island", "sex"]), target="year", pairing="target", **{other: "year"})
    src = tmp_path / "in.csv"
    data.to_csv(src, index=False)
    args = ["augment", str(src), "-o", str(tmp_path / "out.csv"), "--target", "year", f"--{other}", "year"]
    assert main([*args, "--drop", "island,sex", "--pairing", "target"]) == 2
    assert f"named by both --target and --{other}" in _one_line_error(capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


@pytest.mark.parametrize(
    ("values", "why"),
    [
        (["2024-03-30T10:00:00+01:00", "2024-04-01T10:00:00+02:00"], "at row 1 have different UTC offsets"),
        (["2024-03-05", "05/03/2024"], "at row 1 are written in different formats"),
        (["2024-03-05", "soon"], "it holds 'soon' at row 1, which is not a date"),
        (["05/03/2024", "13/03/2024"], "reads as %m/%d/%Y, which '13/03/2024' at row 1 does not fit (day first?)"),
    ],
)
@pytest.mark.parametrize("engine", ["pyarrow", "pandas"])
def test_dates_that_do_not_parse_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], values: list[str], why: str, engine: str
) -> None:
    """pandas leaves a date column it cannot parse as text, and the message then said to pass --dates, which the
    caller had passed. A change of summer time (two UTC offsets) is the common case."""
    src = tmp_path / "in.csv"
    pd.DataFrame({"when": [*values, values[0]], "x": [1.0, 2.0, 3.0]}).to_csv(src, index=False)
    with pytest.raises(ValueError, match=rf"`dates` column 'when' does not read as dates: .*{re.escape(why)}.*`keep`"):
        mixup_file(src, tmp_path / "out.csv", dates="when", engine=engine)
    assert main(["augment", str(src), "-o", str(tmp_path / "out.csv"), "--dates", "when", "--engine", engine]) == 1
    err = _one_line_error(capsys)
    assert "--dates column 'when' does not read as dates" in err and why in err and "--keep" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_the_command_quotes_column_names_in_its_hints(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A name with a space was written bare ('--keep full name'), which the shell splits into two words."""
    src = tmp_path / "in.csv"
    pd.DataFrame({"full name": ["Ann Lee", "Bo Li", "Cy Ng"], "x": [1.0, 2.0, 3.0]}).to_csv(src, index=False)
    assert main(["augment", str(src), "-o", str(tmp_path / "out.csv")]) == 1
    err = _one_line_error(capsys)
    assert "--keep 'full name'" in err and "--labels 'full name'" in err
    assert shlex.split("--drop 'full name'") == ["--drop", "full name"]
    assert main(["augment", str(src), "-o", str(tmp_path / "out.csv"), "--keep", "full name"]) == 0


def test_a_file_separated_by_spaces_is_named_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """scikit-learn's linnerud CSVs are separated by spaces: they read as one column of text, and the message
    offered to carry 'Chins Situps Jumps' as a category."""
    src = tmp_path / "linnerud.csv"
    src.write_text("Chins Situps Jumps\n5 162 60\n2 110 60\n12 101 101\n")
    with pytest.raises(ValueError, match=r"reads as one column, 'Chins Situps Jumps': is it separated by ' '\?"):
        mixup_file(src, tmp_path / "out.csv")
    assert main(["augment", str(src), "-o", str(tmp_path / "out.csv")]) == 1
    assert "Pass --sep ' '" in _one_line_error(capsys)
    assert main(["augment", str(src), "-o", str(tmp_path / "out.csv"), "--sep", " ", "--seed", "0"]) == 0
    assert list(pd.read_csv(tmp_path / "out.csv", sep=" ").columns) == ["Chins", "Situps", "Jumps"]
    one = tmp_path / "one.csv"  # one column whose name holds a space is not taken for such a file
    one.write_text("sepal length\n5.1\n4.9\n")
    assert mixup_file(one, tmp_path / "one_out.csv") == (2, 1)


def test_multiindex_columns_stay_a_multiindex_with_a_class_label() -> None:
    """The class column's probability columns were named by the string of the tuple ("('c', 'lab')_p"), and the
    result's columns became a flat Index of tuples and strings: out['c'] failed."""
    rng = np.random.default_rng(0)
    columns = pd.MultiIndex.from_product([["a"], ["x", "y"]], names=["top", "sub"])
    data = pd.DataFrame(rng.normal(size=(6, 2)), columns=columns)
    data[("c", "lab")] = ["p", "q", "p", "q", "p", "p"]
    for out in (
        mixup(data, labels=("c", "lab"), random_state=0),
        mixup(data, labels=("c", "lab"), concat=True, random_state=0),
        cutmix(data, labels=("c", "lab"), random_state=0),
    ):
        assert isinstance(out.columns, pd.MultiIndex) and list(out.columns.names) == ["top", "sub"]
        assert list(out.columns) == [("a", "x"), ("a", "y"), ("c", "lab_p"), ("c", "lab_q")]
        assert np.allclose(out["c"].sum(axis=1), 1.0)


def test_a_class_column_in_a_labels_list_says_to_name_it_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """labels=['species'] (a class column in a list) was answered with a hint to call labels.drop(...)."""
    data = _table()
    with pytest.raises(TypeError, match=r"one-hot or probability columns.*'island' \(str\).*labels='island'"):
        mixup(data, labels=["island"], categorical="sex")
    src = tmp_path / "in.csv"
    data.to_csv(src, index=False)
    assert main(["augment", str(src), "-o", str(tmp_path / "out.csv"), "--labels", "island,sex"]) == 1
    err = _one_line_error(capsys)
    assert "--labels 'island'" in err and ".drop(" not in err


def test_a_header_without_its_index_name_says_how_it_was_written(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    _table().to_csv(src)  # the index, written by default, has no name
    with pytest.raises(ValueError, match=r"field\(s\) \[1\] of the header have no name.*index=False"):
        mixup_file(src, tmp_path / "out.csv")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sep", ";;"], "argument --sep: expected one character"),
        (["--bandwidth", "2"], "--bandwidth serves --pairing target only"),
        (["--k-neighbors", "3"], "--k-neighbors serves --pairing neighbors only"),
    ],
)
def test_options_that_cannot_apply_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    """--sep ';;' exited 1 (a data error); --bandwidth and --k-neighbors without their pairing were ignored."""
    src = tmp_path / "in.csv"
    _table().drop(columns=["island", "sex"]).to_csv(src, index=False)
    assert main(["augment", str(src), "-o", str(tmp_path / "out.csv"), *args]) == 2
    assert message in _one_line_error(capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_a_tab_separator_is_still_taken_as_backslash_t(tmp_path: Path) -> None:
    src = tmp_path / "in.tsv.csv"
    _table().drop(columns=["island", "sex"]).to_csv(src, index=False, sep="\t")
    assert main(["augment", str(src), "-o", str(tmp_path / "out.csv"), "--sep", "\\t", "--seed", "0"]) == 0
    assert list(pd.read_csv(tmp_path / "out.csv", sep="\t").columns) == ["x", "year"]


def test_a_missing_regression_target_is_not_blamed_on_target_pairing() -> None:
    X = np.arange(20.0).reshape(10, 2)
    y = np.arange(10.0)
    y[4] = np.nan
    with pytest.raises(ValueError, match=r"missing \(NaN\) targets in 1 row\(s\), the first at row 4") as info:
        MixupRegressionSampler(random_state=0).fit_resample(X, y)
    assert "pairing by target distance needs" not in str(info.value)


def test_dates_held_as_objects_get_the_dates_hint() -> None:
    """A pyarrow timestamp column (pd.read_parquet(..., dtype_backend="pyarrow")) or Python dates were offered
    categorical= and keep= only, as if they were text; pd.to_datetime makes them a column mixup mixes in time."""
    pa = pytest.importorskip("pyarrow")
    stamps = pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-05"]).tz_localize("UTC")
    data = pd.DataFrame({"x": [1.0, 2.0, 3.0], "t": pd.array(stamps, dtype=pd.ArrowDtype(pa.timestamp("us", "UTC")))})
    with pytest.raises(TypeError, match=r"Hint: pd.to_datetime\(\.\.\.\) on \['t'\] to mix the dates in time"):
        mixup(data)
    out = mixup(data.assign(t=pd.to_datetime(data["t"])), random_state=0)
    assert str(out["t"].dtype) == "datetime64[us, UTC]" and out["t"].between(stamps.min(), stamps.max()).all()
    with pytest.raises(TypeError, match=r"'t' \(datetime64\[us, UTC\]\)") as info:  # dates already: no such hint
        MixupSampler(random_state=0).fit_resample(data.assign(t=pd.to_datetime(data["t"])), ["a", "a", "b"])
    assert "to_datetime" not in str(info.value)


def test_a_warning_on_the_command_line_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """pandas warns when it cannot guess a date format; Python printed that as two lines, the second a line of
    mixupy's source, before the command's one-line error."""
    src = tmp_path / "in.csv"
    src.write_text("when,x\n1,1\n2,2\n3,3\n")
    with warnings.catch_warnings():
        warnings.simplefilter("always")  # as a command runs: warnings shown, not raised
        assert main(["augment", str(src), "-o", str(tmp_path / "out.csv"), "--dates", "when"]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert [line.split(":")[:2] for line in lines] == [["mixupy", " warning"], ["mixupy", " error"]]
    assert "Could not infer format" in lines[0] and "it holds '1' at row 0, which is not a date" in lines[1]
    assert warnings.showwarning is not cli._warning_line  # put back once the command ends


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--drop", "x,y,kind,when"], "--drop names every column of"),
        (["--drop", "kind", "--labels", "kind"], "columns ['kind'] are named by both --drop and --labels"),
        (["--drop", "y", "--target", "y"], "columns ['y'] are named by both --drop and --target"),
        (["--drop", "when", "--dates", "when"], "columns ['when'] are named by both --drop and --dates"),
    ],
)
def test_a_dropped_column_named_by_another_flag_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    """--drop kind --labels kind said 'kind' was not in the file (it is); --drop when --dates when dropped the
    dates without a word; dropping every column blamed `data`, a parameter the command does not have, 'of shape
    (0, 0)', with exit 1."""
    src = tmp_path / "in.csv"
    src.write_text("x,y,kind,when\n1,2,a,2024-01-01\n2,3,b,2024-01-02\n3,5,a,2024-01-03\n")
    assert main(["augment", str(src), "-o", str(tmp_path / "out.csv"), *args]) == 2
    err = _one_line_error(capsys)
    assert message in err and "`data`" not in err and "not in" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]
    with pytest.raises(OptionConflictError):
        mixup_file(src, tmp_path / "out.csv", drop=["kind"], labels="kind")


def test_classes_equal_as_text_are_named_not_blamed_on_existing_columns() -> None:
    """A class column holding 1 and '1' (an object column typed by hand) was said to clash 'with existing
    columns: ['y_1']. Rename those first.', though no such column exists."""
    data = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": pd.Series([1, "1", 2, 2], dtype=object)})
    with pytest.raises(ValueError, match=r"classes 1 and '1', which would both be the column 'y_1'.*astype\(str\)"):
        mixup(data, labels="y")
    assert list(mixup(data.astype({"y": str}), labels="y", random_state=0).columns) == ["x", "y_1", "y_2"]


@pytest.mark.parametrize(
    ("data", "found"),
    [
        ("name,x\ncafé,1\nnaïve,2\n".encode("latin-1"), "another encoding (Latin-1 or Windows-1252?)"),
        ("name\tx\ncafé\t1\nnaïve\t2\n".encode("utf-16"), "UTF-16"),  # what Excel saves as Unicode text
    ],
)
@pytest.mark.parametrize("engine", ["pyarrow", "pandas"])
def test_a_file_not_in_utf8_says_how_to_convert_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, found: str, engine: str
) -> None:
    """The message was Python's codec error alone ('utf-8' codec can't decode byte 0xe9 ...)."""
    src = tmp_path / "in.csv"
    src.write_bytes(data)
    with pytest.raises(ValueError, match=r"'utf-8' codec can't decode"):
        mixup_file(src, tmp_path / "out.csv", keep="name", engine=engine)
    assert main(["augment", str(src), "-o", str(tmp_path / "out.csv"), "--keep", "name", "--engine", engine]) == 1
    err = _one_line_error(capsys)
    assert f"seems to be in {found}" in err and "iconv -f" in err and "in-utf8.csv" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


@pytest.mark.parametrize("engine", ["pyarrow", "pandas"])
def test_names_of_a_file_with_a_space_after_each_comma_can_be_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A header 'id, x, kind' names ' x' and ' kind'. The command strips the names it is given, so --labels kind
    was 'not in the file', and the hint it printed (--labels ' kind') was stripped in turn: no flag could name them."""
    src = tmp_path / "in.csv"
    src.write_text("id, x, kind, y\n001, 1.5, a, 2\n002, 2.5, b, 3\n003, 3.5, a, 5\n")
    out = tmp_path / "out.csv"
    assert main(["augment", str(src), "-o", str(out)]) == 1
    assert "--labels ' kind'" in _one_line_error(capsys)
    args = ["augment", str(src), "-o", str(out), "--engine", engine, "--seed", "0"]
    assert main([*args, "--keep", "id", "--labels", " kind", "--drop", "y"]) == 0
    assert list(pd.read_csv(out).columns) == ["id", " x", " kind_ a", " kind_ b"]
    first = out.read_bytes()
    assert main([*args, "--keep", "id", "--labels", "kind", "--drop", "y"]) == 0
    assert out.read_bytes() == first
    with pytest.raises(ColumnNotFoundError, match=r"not in .*\['z'\]"):  # a name the header lacks is still an error
        mixup_file(src, out, keep="z")


def test_a_header_repeated_in_the_data_is_named_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two CSV files joined with `cat` hold the header again halfway; the message only said that 'x' holds 'x'."""
    src = tmp_path / "in.csv"
    part = "when,x,y\n2024-01-01,1,2\n2024-01-02,2,3\n"
    src.write_text(part + part)
    assert main(["augment", str(src), "-o", str(tmp_path / "out.csv"), "--drop", "when"]) == 1
    err = _one_line_error(capsys)
    assert "'x' holds 'x' at row 2" in err and "that row repeats the header (files joined together?)" in err
    assert main(["augment", str(src), "-o", str(tmp_path / "out.csv"), "--dates", "when"]) == 1
    assert "it holds 'when' at row 2, which is not a date but the column's name" in _one_line_error(capsys)


def test_dates_of_a_parquet_file_must_be_stored_as_dates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--dates parses CSV text and was ignored for Parquet: a date column stored as text got the hint to pass
    --dates, which had been passed."""
    pytest.importorskip("pyarrow")
    src = tmp_path / "in.parquet"
    frame = pd.DataFrame({"when": ["2024-01-01", "2024-01-03", "2024-01-02"], "x": [1.0, 2.0, 3.0]})
    frame.to_parquet(src)
    assert main(["augment", str(src), "-o", str(tmp_path / "out.csv"), "--dates", "when"]) == 1
    err = _one_line_error(capsys)
    assert "--dates names Parquet columns that are not stored as dates: {'when':" in err and "--keep" in err
    frame.assign(when=pd.to_datetime(frame["when"])).to_parquet(src)  # stored as dates: --dates is no obstacle
    assert main(["augment", str(src), "-o", str(tmp_path / "out.csv"), "--dates", "when", "--seed", "0"]) == 0


def test_standard_input_as_the_input_says_why_not(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`-o -` writes to standard output, so a user tries `-` as the input too: it said 'input file not found: -'."""
    assert main(["augment", "-", "-o", str(tmp_path / "out.csv")]) == 2
    err = _one_line_error(capsys)
    assert "- is not a regular file" in err and "save the stream to a file first" in err and "not found" not in err
