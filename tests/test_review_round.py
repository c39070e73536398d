"""Faults found by a second review of the changes since adf3063: each test failed before its fix."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mixupy import MixupRegressionSampler, mixup_file


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16"])
def test_a_text_stream_of_another_encoding_gets_its_own_encoding_from_either_engine(
    tmp_path: Path, encoding: str
) -> None:
    """The pyarrow writer wrote UTF-8 bytes into the stream's buffer, past its encoding: a latin-1 stream got
    UTF-8 from engine="pyarrow" and latin-1 from engine="pandas" ("the same file byte for byte either way")."""
    source = tmp_path / "in.csv"
    pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "k": ["é", "a,b", "ü", 'q"']}).to_csv(source, index=False)
    written = {}
    for engine in ("pyarrow", "pandas"):
        target = tmp_path / f"{engine}.csv"
        with open(target, "w", encoding=encoding) as fh:
            mixup_file(source, fh, keep="k", random_state=1, engine=engine)
        written[engine] = target.read_bytes()
    assert written["pyarrow"] == written["pandas"]
    mixup_file(source, tmp_path / "utf8.csv", keep="k", random_state=1)  # the same text, in UTF-8
    assert written["pyarrow"].decode(encoding) == (tmp_path / "utf8.csv").read_text(encoding="utf-8")


def test_integer_targets_of_polars_and_pyarrow_come_back_mixed_not_truncated() -> None:
    """MixupRegressionSampler cast its mixed targets back to the caller's integer type: a polars Int64 target
    came back truncated (2.8 -> 2), a pyarrow int64 one raised pyarrow's own 'was truncated' error. pandas and
    NumPy give float64 targets; so now do polars and pyarrow."""
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    X = pd.DataFrame({"a": [1.0, 2, 3, 4, 5, 6], "b": [0.0, 1, 0, 1, 0, 1]})
    target = [1, 2, 3, 4, 5, 6]
    _, expected = MixupRegressionSampler(random_state=0).fit_resample(X, pd.Series(target))
    assert expected.dtype == np.float64 and not np.array_equal(expected, np.round(expected))
    _, y = MixupRegressionSampler(random_state=0).fit_resample(pl.from_pandas(X), pl.Series("t", target))
    assert y.dtype == pl.Float64 and y.name == "t"
    np.testing.assert_array_equal(y.to_numpy(), expected.to_numpy())
    for given in (pa.array(target), pa.chunked_array([target[:2], target[2:]], pa.int32())):
        _, y = MixupRegressionSampler(random_state=0).fit_resample(pa.Table.from_pandas(X), given)
        assert isinstance(y, pa.ChunkedArray) == isinstance(given, pa.ChunkedArray) and y.type == pa.float64()
        np.testing.assert_array_equal(np.asarray(y), expected.to_numpy())
    # a float target keeps the caller's float type, as before
    _, y = MixupRegressionSampler(random_state=0).fit_resample(pl.from_pandas(X), pl.Series("t", target, pl.Float64))
    assert y.dtype == pl.Float64
    np.testing.assert_array_equal(y.to_numpy(), expected.to_numpy())


def test_a_missing_label_of_a_nullable_integer_or_boolean_y_is_named() -> None:
    """MixupSampler named a missing label only for float and object labels: a pandas Int64 or boolean ``y`` (and a
    polars or pyarrow integer one, which comes to pandas as such) went on to scikit-learn's bare 'Input contains
    NaN', after a RuntimeWarning."""
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    from mixupy import MixupSampler

    X = pd.DataFrame({"a": [1.0, 2, 3, 4, 5, 6], "b": [0.0, 1, 0, 1, 0, 1]})
    labels = [0, 0, None, 0, 1, 1]
    cases = [
        (X, pd.Series(labels, dtype="Int64")),
        (X, pd.Series([True, True, None, True, False, False], dtype="boolean")),
        (pl.from_pandas(X), pl.Series("y", labels)),
        (pa.Table.from_pandas(X), pa.array(labels)),
    ]
    for features, y in cases:
        with pytest.raises(ValueError, match=r"`y` holds 1 missing label\(s\) .* the first at row 2"):
            MixupSampler(random_state=0).fit_resample(features, y)
    # NumPy integer labels hold no missing value, and still resample
    _, y = MixupSampler(random_state=0).fit_resample(X, np.array([0, 0, 0, 0, 1, 1]))
    assert (y == 1).sum() == 4


@pytest.mark.parametrize("sampler", ["MixupSampler", "MixupRegressionSampler"])
def test_a_sampler_never_offers_to_parse_dates_it_cannot_mix(sampler: str) -> None:
    """A text column of dates in a sampler's X: the hint said "pd.to_datetime(...) on ['d'] to mix the dates in
    time", and the samplers then refuse the datetime column. Now it counts as text: MixupSampler offers
    categorical=, both offer to drop it."""
    import mixupy

    X = pd.DataFrame({"a": [1.0, 2, 3, 4, 5, 6], "d": [f"2024-01-0{i}" for i in range(1, 7)]})
    y = np.array([0, 0, 0, 0, 1, 1]) if sampler == "MixupSampler" else np.arange(6.0)
    with pytest.raises(TypeError) as caught:
        getattr(mixupy, sampler)(random_state=0).fit_resample(X, y)
    message = str(caught.value)
    assert "to_datetime" not in message and "dates" not in message and "X.drop(columns=['d'])" in message
    assert ("categorical=['d']" in message) == (sampler == "MixupSampler")
    with pytest.raises(TypeError, match="datetime64"):  # what the old hint led to
        getattr(mixupy, sampler)(random_state=0).fit_resample(X.assign(d=pd.to_datetime(X["d"])), y)
    # mixup itself mixes datetimes: its hint still offers to parse them
    with pytest.raises(TypeError, match=r"pd\.to_datetime\(\.\.\.\) on \['d'\] to mix the dates in time"):
        mixupy.mixup(X)


def test_mixup_files_messages_name_its_own_parameters(tmp_path: Path) -> None:
    """mixup_file's messages spoke of a `data` frame it does not have: "data.drop(columns=['k'])",
    "pd.to_datetime(...) on ['d']" and "df.fillna(...)", where the ways out are its drop= and dates=."""
    source = tmp_path / "in.csv"
    frame = pd.DataFrame({"x": [1.0, 2, 3, 4], "k": ["a", "b", "c", "d"], "d": ["2024-01-01"] * 4})
    frame.to_csv(source, index=False)
    with pytest.raises(TypeError) as caught:
        mixup_file(source, tmp_path / "out.csv", buffer_rows=2)
    message = str(caught.value)
    assert message.startswith("the file has non-numeric columns: 'k' (str), 'd' (str)")
    assert "dates=['d'] to mix the dates in time" in message and "drop=['k', 'd'] to leave them out" in message
    assert "keep=['k']" in message and "`data`" not in message and "to_datetime" not in message
    frame.assign(x=[1.0, 2, 3, np.nan]).to_csv(source, index=False)
    with pytest.raises(ValueError) as caught:
        mixup_file(source, tmp_path / "out.csv", drop=["k", "d"], buffer_rows=2)
    message = str(caught.value)
    assert message.startswith("the file's column 'x' holds 1 missing value(s), the first at row 3")
    assert "df." not in message and "rows count from 0, the first row after the header" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["augment", "in.csv", "-o", "out.csv", "--bogus"], "mixupy augment: error: unrecognized arguments: --bogus"),
        (["demo", "--seed", "1", "extra"], "mixupy demo: error: unrecognized arguments: extra"),
    ],
)
def test_an_unknown_flag_points_to_its_commands_help(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str], said: str
) -> None:
    """argparse reports a flag that no parser knows from the top parser: "mixupy: error: unrecognized arguments:
    --bogus (see mixupy --help)", whose help lists the commands, not augment's flags."""
    from mixupy.cli import main

    monkeypatch.chdir(tmp_path)
    pd.DataFrame({"x": [1.0, 2.0]}).to_csv("in.csv", index=False)
    assert main(args) == 2
    err = capsys.readouterr().err
    command = args[0]
    assert err.count("\n") == 1 and err.startswith(said) and f"(see mixupy {command} --help)" in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]
