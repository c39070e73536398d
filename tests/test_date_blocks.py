"""A ``dates`` column is read one way in every block of a file: its format is guessed once, from its first value.

pandas guesses the format of a block's dates from the block's first value. Read block by block, a file of day-first
dates whose first block held days up to 12 only was read month first there and day first in the next block, with no
error: two readings of one column in one output.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import mixupy
from mixupy.cli import main


def _write(path: Path, days: list[int]) -> Path:
    lines = ["when,x"] + [f"{day:02d}/03/2020,{i}" for i, day in enumerate(days)]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("buffer_rows", [1000, 12, 5])
def test_month_first_then_a_day_above_12_is_one_message_whatever_the_buffer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], buffer_rows: int
) -> None:
    source = _write(tmp_path / "d.csv", [*range(1, 13), *range(13, 25)])
    out = tmp_path / "out.csv"
    args = ["augment", str(source), "-o", str(out), "--dates", "when", "--seed", "0", "--buffer-rows", str(buffer_rows)]
    assert main(args) == 1
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1, err
    assert "'01/03/2020' at row 0 reads as %m/%d/%Y, which '13/03/2020' at row 12 does not fit" in err[0]
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [source]


@pytest.mark.parametrize("buffer_rows", [1000, 12, 5])
def test_day_first_dates_stay_day_first_in_blocks_of_small_days(tmp_path: Path, buffer_rows: int) -> None:
    # The first value's day (13) says day first; later blocks hold only days up to 12, which read both ways.
    days = [13, *range(1, 13), 20, *range(1, 12)]
    source = _write(tmp_path / "d.csv", days)
    out = tmp_path / "out.csv"
    with pytest.warns(UserWarning, match="dayfirst"):  # pandas' own word on a day-first guess
        mixupy.mixup_file(source, out, dates="when", concat=True, random_state=0, buffer_rows=buffer_rows)
    back = pd.read_csv(out)
    back["when"] = pd.to_datetime(back["when"], format="ISO8601")  # the originals are dates, the mixed are times
    expected = pd.to_datetime([f"2020-03-{day:02d}" for day in days])
    originals = back["when"].iloc[: len(days)]
    assert (originals.to_numpy() == expected.to_numpy().astype(originals.dtype)).all()
    # every synthetic date lies between two days of March (never in January to December, as month first reads)
    synthetic = back["when"].iloc[len(days) :]
    assert synthetic.between(pd.Timestamp("2020-03-01"), pd.Timestamp("2020-03-20")).all()


def test_a_missing_first_value_guesses_from_the_next_and_iso_dates_with_offsets_keep_their_zone(
    tmp_path: Path,
) -> None:
    source = tmp_path / "d.csv"
    source.write_text(
        "when,x\n,0\n2020-03-01T09:00:00+01:00,1\n2020-03-02T10:30:00+01:00,2\n2020-03-03T00:00:00+01:00,3\n"
    )
    out = tmp_path / "out.csv"
    with pytest.raises(ValueError, match="missing"):  # a missing date is never mixed
        mixupy.mixup_file(source, out, dates="when", random_state=0, buffer_rows=2)
    source.write_text("when,x\n2020-03-01T09:00:00+01:00,1\n2020-03-02T10:30:00+01:00,2\n2020-03-03T00:00:00+01:00,3\n")
    mixupy.mixup_file(source, out, dates="when", random_state=0, buffer_rows=2, concat=True)
    back = pd.read_csv(out)["when"]
    assert back.iloc[:3].tolist() == [
        "2020-03-01 09:00:00+01:00",
        "2020-03-02 10:30:00+01:00",
        "2020-03-03 00:00:00+01:00",
    ]


@pytest.mark.parametrize("buffer_rows", [1000, 5])
def test_date_format_reads_day_first_dates_that_the_guess_reads_month_first(tmp_path: Path, buffer_rows: int) -> None:
    days = [*range(1, 13), *range(13, 25)]  # the first value, 01/03/2020, reads both ways: the guess says month first
    source = _write(tmp_path / "d.csv", days)
    out = tmp_path / "out.csv"
    mixupy.mixup_file(
        source, out, dates="when", date_format="%d/%m/%Y", concat=True, random_state=0, buffer_rows=buffer_rows
    )  # no warning: nothing is guessed
    back = pd.to_datetime(pd.read_csv(out)["when"], format="ISO8601")
    assert back.iloc[: len(days)].tolist() == [pd.Timestamp(f"2020-03-{day:02d}") for day in days]


def test_a_value_that_does_not_fit_the_date_format_is_named_with_it(tmp_path: Path) -> None:
    source = _write(tmp_path / "d.csv", [*range(1, 13), *range(13, 25)])
    with pytest.raises(ValueError, match=r"'13/03/2020' at row 12 does not fit the `date_format` '%m/%d/%Y'"):
        mixupy.mixup_file(source, tmp_path / "out.csv", dates="when", date_format="%m/%d/%Y", buffer_rows=5)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.csv"]


@pytest.mark.parametrize(
    ("date_format", "dates", "error", "words"),
    [
        (31, "when", TypeError, "must be a string such as '%d/%m/%Y'"),
        ("dmy", "when", ValueError, "holds no % directive"),
        ("%d/%m/%Y", None, ValueError, "`dates` names none"),
    ],
)
def test_a_bad_date_format_is_refused_before_the_file_is_read(
    tmp_path: Path, date_format: object, dates: str | None, error: type[Exception], words: str
) -> None:
    source = _write(tmp_path / "d.csv", [1, 2, 3])
    with pytest.raises(error, match=re.escape(words)):
        mixupy.mixup_file(source, tmp_path / "out.csv", dates=dates, date_format=date_format)  # type: ignore[arg-type]


def test_the_command_names_the_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _write(tmp_path / "d.csv", [1, 2, 13])
    out = tmp_path / "out.csv"
    assert main(["augment", str(source), "-o", str(out), "--date-format", "%d/%m/%Y"]) == 2
    assert "--date-format says how the --dates columns are written: add --dates" in capsys.readouterr().err
    assert main(["augment", str(source), "-o", str(out), "--dates", "when", "--date-format", "%d/%m/%Y"]) == 0
    assert pd.read_csv(out).shape == (3, 2)
