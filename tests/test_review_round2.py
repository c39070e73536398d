"""Faults found in the second review of the dates, date_format, number-object and signal commits.

- Numbers of two kinds kept as objects (``Decimal`` with ints or floats, as a database driver may give them;
  ``Fraction``) were taken by ``categorical="auto"`` as categories, silently unmixed, as a column of ``Decimal``
  alone no longer was.
- A Parquet file's decimal column was taken by ``categorical="auto"`` of ``mixup_file`` (and ``--categorical
  auto``) as a category, silently: the file's roles come from its first block, not from ``mixup``'s.
- A ``dates`` column whose UTC offset changes between blocks (summer time) was read with one offset per block and
  written with both, where the same file read in one block is an error.
- A ``date_format`` with a directive that strptime does not know (``%Q``) came out as pandas' bare error, with
  no parameter named, and ``--date-format`` with a bad format exited 1 (bad data), not 2 (usage).
- A header-only file with ``dates`` was "Length of values (1) does not match length of index (0)".
- ``mixup_dask`` decides ``categorical="auto"`` from the meta, which holds no values: an object column of
  ``Decimal`` was taken as a category and carried unmixed, silently.
- A polars or pyarrow decimal column was refused with no word of the cast that mixes it.
- A stop signal put off by the command's handler (it came inside lock code) in the last millisecond of a run
  was dropped with the alarm when the run ended: ``main()`` returned 0, and an in-process caller never saw it.
"""

from __future__ import annotations

import signal
import threading
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import mixupy
from mixupy import cli
from mixupy.cli import main


def _frame(values: list[object]) -> pd.DataFrame:
    n = len(values)
    prices = pd.Series(values, dtype=object)
    return pd.DataFrame({"price": prices, "x": np.arange(float(n)), "y": ["a", "b"] * (n // 2)})


@pytest.mark.parametrize(
    "values",
    [
        [1, Decimal("2.5"), 3, Decimal("4.5")],
        [1.0, Decimal("2.5"), None, Decimal("4.5")],
        [Fraction(1, 2), Fraction(1, 3), Fraction(2, 3), Fraction(3, 4)],
    ],
    ids=["int-decimal", "float-decimal-none", "fraction"],
)
def test_numbers_of_two_kinds_as_objects_are_refused_by_auto(values: list[object]) -> None:
    with pytest.raises(TypeError, match=r"data\['price'\]\.astype\(float\) to mix it as numbers"):
        mixupy.mixup(_frame(values), labels="y", categorical="auto", random_state=0)
    with pytest.raises(TypeError, match=r"X\['price'\]\.astype\(float\)"):
        sampler = mixupy.MixupSampler(categorical="auto", random_state=0)
        sampler.fit_resample(_frame(values).drop(columns="y"), [0, 1] * 2)


def test_text_among_numbers_and_booleans_are_still_categories() -> None:
    for values in ([1, "a", 2, "b"], [True, False, True, False]):
        out = mixupy.mixup(_frame(values), labels="y", categorical="auto", random_state=0)
        assert set(out["price"]) <= set(values)


def _decimal_parquet(path: Path) -> Path:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    prices = pa.array([Decimal("1.50"), Decimal("2.50"), Decimal("3.00"), Decimal("4.25")], pa.decimal128(6, 2))
    pq.write_table(pa.table({"x": [1.0, 2.0, 3.0, 4.0], "price": prices, "y": ["a", "b", "a", "b"]}), path)
    return path


def test_a_parquet_decimal_column_is_not_a_category_of_auto(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _decimal_parquet(tmp_path / "d.parquet")
    out = tmp_path / "out.csv"
    with pytest.raises(TypeError, match=r"store 'price' as floats \(float64\) in the file to mix it as numbers"):
        mixupy.mixup_file(source, out, labels="y", categorical="auto", random_state=0)
    assert not out.exists()
    args = ["augment", str(source), "-o", str(out), "--labels", "y", "--seed", "0"]
    for extra in ([], ["--categorical", "auto"]):
        assert main([*args, *extra]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1
        assert "store 'price' as floats (float64) in the file" in err[0]
        assert "astype" not in err[0]
    assert not out.exists()


def test_utc_offsets_that_differ_between_blocks_are_an_error_as_in_one_block(tmp_path: Path) -> None:
    source = tmp_path / "tz.csv"
    source.write_text(
        "when,x\n2024-03-10T01:00:00-05:00,1\n2024-03-10T01:30:00-05:00,2\n"
        "2024-03-10T03:00:00-04:00,3\n2024-03-10T04:00:00-04:00,4\n"
    )
    out = tmp_path / "out.csv"
    for buffer_rows in (100, 2):
        with pytest.raises(ValueError, match=r"'2024-03-10T01:00:00-05:00' at row 0 and .* have different UTC offsets"):
            mixupy.mixup_file(source, out, dates="when", random_state=0, buffer_rows=buffer_rows)
    assert not out.exists()
    # one offset in every block: read and written with it
    source.write_text("when,x\n2024-03-10T01:00:00Z,1\n2024-03-10T01:30:00Z,2\n2024-03-10T03:00:00Z,3\n")
    mixupy.mixup_file(source, out, dates="when", random_state=0, buffer_rows=2, concat=True)
    assert pd.read_csv(out)["when"].str.endswith("+00:00").all()


def test_a_date_format_strptime_cannot_read_is_refused_in_the_callers_terms(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "d.csv"
    source.write_text("when,x\n01/03/2020,0\n02/03/2020,1\n")
    out = tmp_path / "out.csv"
    with pytest.raises(ValueError, match=r"`date_format` '%Q' cannot read dates: 'Q' is a bad directive"):
        mixupy.mixup_file(source, out, dates="when", date_format="%Q")
    for bad, words in (("%Q", "'Q' is a bad directive"), ("dmy", "holds no % directive")):
        assert main(["augment", str(source), "-o", str(out), "--dates", "when", "--date-format", bad]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1
        assert "--date-format" in err[0]
        assert words in err[0]
    assert not out.exists()
    assert main(["augment", str(source), "-o", str(out), "--dates", "when", "--date-format", "%d/%m/%Y %z"]) == 1
    assert "does not fit the --date-format '%d/%m/%Y %z'" in capsys.readouterr().err


def test_a_header_only_file_with_dates_says_it_has_no_rows(tmp_path: Path) -> None:
    source = tmp_path / "d.csv"
    source.write_text("when,x\n")
    with pytest.raises(ValueError, match="holds no data rows, only a header"):
        mixupy.mixup_file(source, tmp_path / "out.csv", dates="when")


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="POSIX interval timers")
def test_a_signal_put_off_as_the_run_ends_is_acted_on_not_lost() -> None:
    # SIGTERM inside the lock code is put off by a millisecond; a run that ends within it must still stop
    inside_lock_code = SimpleNamespace(f_code=SimpleNamespace(co_filename=threading.__file__), f_back=None)
    before = signal.getsignal(signal.SIGALRM)
    with pytest.raises(cli.Stopped) as stopped, cli._stop_signals_raise():
        handler = signal.getsignal(signal.SIGTERM)
        assert callable(handler)
        handler(signal.SIGTERM, inside_lock_code)  # put off: nothing raised yet
    assert stopped.value.signum == signal.SIGTERM
    assert signal.getsignal(signal.SIGALRM) is before  # put back, and no alarm left armed
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_mixup_dask_refuses_a_partition_of_decimals_that_auto_took_from_the_meta() -> None:
    dask = pytest.importorskip("dask")
    dd = pytest.importorskip("dask.dataframe")
    data = _frame([Decimal("1.5"), Decimal("2.5"), Decimal("3.5"), Decimal("4.5")])
    with dask.config.set({"dataframe.convert-string": False}):  # object columns stay object: the meta holds none
        frame = dd.from_pandas(data, npartitions=2).categorize(columns=["y"])
        with pytest.raises(TypeError, match=r"data\['price'\]\.astype\(float\) to mix it as numbers"):
            mixupy.mixup_dask(frame, labels="y", categorical="auto", random_state=0).compute()
        named = mixupy.mixup_dask(frame, labels="y", categorical=["price"], random_state=0).compute()
    assert set(named["price"]) <= set(data["price"])  # named: carried, as the caller asked


@pytest.mark.parametrize(
    ("kind", "cast"),
    [("pyarrow", "pyarrow.compute.cast(data['price'], 'float64')"), ("polars", "pl.col('price').cast(pl.Float64)")],
)
def test_a_decimal_column_of_arrow_or_polars_is_refused_with_its_own_cast(kind: str, cast: str) -> None:
    pa = pytest.importorskip("pyarrow")
    prices = pa.array([Decimal("1.50"), Decimal("2.50"), Decimal("3.00"), Decimal("4.25")], pa.decimal128(6, 2))
    data = pa.table({"x": [1.0, 2.0, 3.0, 4.0], "price": prices, "y": ["a", "b", "a", "b"]})
    if kind == "polars":
        data = pytest.importorskip("polars").from_arrow(data)
    with pytest.raises(TypeError) as refused:
        mixupy.mixup(data, labels="y", categorical="auto", random_state=0)
    assert f"{cast} to mix it as numbers" in str(refused.value)
    assert "astype" not in str(refused.value)


def test_a_parquet_decimal_column_null_in_the_first_block_is_not_a_category_of_auto(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    prices = pa.array([None, None, Decimal("3.00"), Decimal("4.25")], pa.decimal128(6, 2))
    source = tmp_path / "d.parquet"
    pq.write_table(pa.table({"x": [1.0, 2.0, 3.0, 4.0], "price": prices}), source)
    with pytest.raises(TypeError, match=r"non-numeric columns: 'price'"):  # refused, never carried unmixed
        mixupy.mixup_file(source, tmp_path / "out.csv", categorical="auto", buffer_rows=2, random_state=0)
