"""Real tables, read as written and mixed sensibly: ids, dates, categories, odd headers, text classes.

Files nobody here wrote (scikit-learn's bundled CSVs, palmerpenguins) and files made messy on purpose. Every
output is read back and checked: every field kept, every label byte for byte, every row between its sources.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sklearn

import mixupy
from mixupy.cli import main

SKLEARN_DATA = Path(sklearn.__file__).parent / "datasets" / "data"


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    return lines[0]


# --- scikit-learn's own CSV files, with their odd headers ------------------------------------------------------


@pytest.mark.parametrize(("name", "fields", "header"), [("wine_data", 14, 5), ("breast_cancer", 31, 4)])
def test_sklearn_files_whose_header_is_short_are_one_line_naming_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, fields: int, header: int
) -> None:
    # Their first line is "178,13,class_0,..." (counts, then class names): the data rows have more fields.
    assert main(["augment", str(SKLEARN_DATA / f"{name}.csv"), "-o", str(tmp_path / "out.csv")]) == 1
    line = one_error_line(capsys)
    assert f"Expected {header} fields in line 2, saw {fields}" in line and "name every field" in line
    assert list(tmp_path.iterdir()) == []


def test_sklearn_iris_file_keeps_every_field_and_its_header_as_written(tmp_path: Path) -> None:
    src = SKLEARN_DATA / "iris.csv"
    assert main(["augment", str(src), "-o", str(tmp_path / "out.csv"), "--concat", "--seed", "0"]) == 0
    original = pd.read_csv(src, index_col=False)
    out = pd.read_csv(tmp_path / "out.csv", index_col=False)
    assert list(out.columns) == ["150", "4", "setosa", "versicolor", "virginica"] == list(original.columns)
    assert len(out) == 300
    np.testing.assert_array_equal(out.iloc[:150].to_numpy(), original.to_numpy())
    low, high = original.min().to_numpy(), original.max().to_numpy()
    assert ((out.iloc[150:].to_numpy() >= low) & (out.iloc[150:].to_numpy() <= high)).all()


def test_a_row_longer_than_the_header_is_an_error_never_an_index(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_text("a,b,c\n1,2,3,4\n5,6,7,8\n")
    with pytest.raises(ValueError, match=r"Expected 3 fields in line 2, saw 4"):
        mixupy.mixup_file(tmp_path / "in.csv", tmp_path / "out.csv")
    (tmp_path / "late.csv").write_text("a,b\n1,2\n3,4\n5,6,7\n")
    with pytest.raises(ValueError, match=r"line 4"):
        mixupy.mixup_file(tmp_path / "late.csv", tmp_path / "out.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "late.csv"]


# --- class columns: text, byte for byte -----------------------------------------------------------------------

CODES = ["007", "010", "1e3", "NA", "None", "007", "NA", "1e3"]


def coded_file(folder: Path) -> Path:
    lines = ["x,code"] + [f"{i / 4},{code}" for i, code in enumerate(CODES)]
    path = folder / "coded.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_class_text_is_written_back_byte_for_byte(tmp_path: Path) -> None:
    src = coded_file(tmp_path)
    for mode in ("dominant", "within"):
        dst = tmp_path / f"{mode}.csv"
        extra = ["--label-mode", "dominant"] if mode == "dominant" else ["--within-class"]
        assert main(["augment", str(src), "-o", str(dst), "--labels", "code", "--concat", "--seed", "1", *extra]) == 0
        rows = dst.read_text().splitlines()
        codes = [row.split(",")[1] for row in rows[1:]]
        assert codes[: len(CODES)] == CODES  # the originals, exactly as written
        assert set(codes) <= set(CODES)  # the synthetic rows carry one of them, as written


def test_class_text_names_the_probability_columns_as_written(tmp_path: Path) -> None:
    src = coded_file(tmp_path)
    assert main(["augment", str(src), "-o", str(tmp_path / "out.csv"), "--labels", "code", "--seed", "2"]) == 0
    out = pd.read_csv(tmp_path / "out.csv")
    assert list(out.columns) == ["x", "code_007", "code_010", "code_1e3", "code_NA", "code_None"]
    np.testing.assert_allclose(out.iloc[:, 1:].sum(axis=1), 1.0)


def test_every_block_makes_the_same_columns_whatever_its_classes_look_like(tmp_path: Path) -> None:
    # One block of "1", "2" and one of "1", "cat": read as text in both, the classes known before writing.
    (tmp_path / "in.csv").write_text("x,y\n0.1,1\n0.2,2\n0.3,1\n0.4,cat\n")
    dst = tmp_path / "out.csv"
    assert main(["augment", str(tmp_path / "in.csv"), "-o", str(dst), "--labels", "y", "--buffer-rows", "2"]) == 0
    out = pd.read_csv(dst)
    assert list(out.columns) == ["x", "y_1", "y_2", "y_cat"]
    np.testing.assert_allclose(out[["y_1", "y_2", "y_cat"]].sum(axis=1), 1.0)
    assert (out["y_cat"].iloc[:2] == 0).all()  # the first block holds no "cat" row


@pytest.mark.parametrize(("header", "words"), [("a,a", "appear more than once"), ("a,", "have no name")])
def test_duplicate_or_empty_header_names_are_an_error(tmp_path: Path, header: str, words: str) -> None:
    (tmp_path / "in.csv").write_text(f"{header}\n1,2\n3,4\n")
    with pytest.raises(ValueError, match=words):
        mixupy.mixup_file(tmp_path / "in.csv", tmp_path / "out.csv")


def test_a_continuous_target_named_as_labels_is_a_clear_error() -> None:
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"area": rng.random(1000), "price": rng.random(1000) * 1e5})
    with pytest.raises(ValueError, match=r"1000 distinct float values: a continuous target.*leave it out of `labels`"):
        mixupy.mixup(df, labels="price")
    # whole numbers stored as floats (a class column read with a missing value, say) are still classes
    whole = pd.DataFrame({"x": rng.random(40), "grade": rng.integers(0, 30, 40).astype(float)})
    out = mixupy.mixup(whole, labels="grade", random_state=0)
    assert list(out.columns[1:]) == [f"grade_{g}" for g in sorted(whole["grade"].unique())]


# --- a real table: an id, a date, text categories, a target ------------------------------------------------------

REAL = """id,signup,region,plan,spend,visits,code
u001,2024-01-03,north,basic,12.5,3,007
u002,2024-02-11,south,pro,40.0,9,010
u003,2024-02-28,north,pro,33.1,7,NA
u004,2024-03-09,east,basic,8.0,2,007
u005,2024-03-30,south,basic,15.2,4,1e3
u006,2024-04-02,east,pro,51.9,12,NA
"""


def test_every_offending_column_is_named_at_once_in_command_line_terms(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "real.csv").write_text(REAL)
    assert main(["augment", str(tmp_path / "real.csv"), "-o", str(tmp_path / "out.csv"), "--labels", "code"]) == 1
    line = one_error_line(capsys)
    for column in ("'id'", "'signup'", "'region'", "'plan'"):
        assert column in line
    assert "--dates signup" in line and "--categorical id,region,plan" in line and "--keep" in line
    assert "labels=" not in line and "get_dummies" not in line


def test_a_real_table_mixes_with_keep_categorical_and_dates(tmp_path: Path) -> None:
    src, dst = tmp_path / "real.csv", tmp_path / "out.csv"
    src.write_text(REAL)
    args = ["--labels", "code", "--keep", "id", "--categorical", "region,plan", "--dates", "signup", "--concat"]
    assert main(["augment", str(src), "-o", str(dst), *args, "--label-mode", "dominant", "--seed", "3"]) == 0
    original = pd.read_csv(src, dtype=str, keep_default_na=False)
    out = pd.read_csv(dst, dtype=str, keep_default_na=False)
    assert list(out.columns) == list(original.columns)
    pd.testing.assert_frame_equal(
        out.iloc[:6][["id", "region", "plan", "code"]], original[["id", "region", "plan", "code"]]
    )
    synthetic = out.iloc[6:]
    by_id = original.set_index("id")
    for _, row in synthetic.iterrows():  # carried values come from the row that the id names (its dominant source)
        source = by_id.loc[row["id"]]
        assert row["region"] == source["region"] and row["plan"] == source["plan"] and row["code"] == source["code"]
    dates = pd.to_datetime(synthetic["signup"])
    assert dates.between(pd.Timestamp("2024-01-03"), pd.Timestamp("2024-04-02")).all()


def test_drop_and_auto_categorical_on_the_command_line(tmp_path: Path) -> None:
    src, dst = tmp_path / "real.csv", tmp_path / "out.csv"
    src.write_text(REAL)
    args = ["--labels", "code", "--drop", "id,signup", "--categorical", "auto", "--seed", "4"]
    assert main(["augment", str(src), "-o", str(dst), *args]) == 0
    out = pd.read_csv(dst, keep_default_na=False)
    assert list(out.columns)[:4] == ["region", "plan", "spend", "visits"]
    assert set(out["region"]) <= {"north", "south", "east"} and set(out["plan"]) <= {"basic", "pro"}


def test_a_semicolon_file_read_without_sep_says_which_separator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "in.csv").write_text(REAL.replace(",", ";"))
    assert main(["augment", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv")]) == 1
    assert "--sep ';'" in one_error_line(capsys)
    args = ["--sep", ";", "--labels", "code", "--keep", "id,signup,region,plan", "--seed", "0"]
    assert main(["augment", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv"), *args]) == 0
    out = pd.read_csv(tmp_path / "out.csv", sep=";", dtype=str, keep_default_na=False)
    assert out.columns[0] == "id" and len(out) == 6


@pytest.mark.parametrize("suffix", [".gz", ".bz2", ".xz", ".zst"])
def test_compressed_input_is_read(tmp_path: Path, suffix: str) -> None:
    data = "x,y\n" + "".join(f"{i},{i % 2}\n" for i in range(20))
    src = tmp_path / f"in.csv{suffix}"
    if suffix == ".zst":
        import zstandard

        src.write_bytes(zstandard.ZstdCompressor().compress(data.encode()))
    else:
        opener = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}[suffix]
        with opener(src, "wt") as fh:
            fh.write(data)
    assert mixupy.mixup_file(src, tmp_path / "out.csv", labels="y", random_state=0) == (20, 3)


def test_an_output_that_is_neither_csv_nor_parquet_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "in.csv").write_text("x\n1\n2\n")
    assert main(["augment", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.txt")]) == 2
    assert "must end in .csv or .parquet" in one_error_line(capsys)
    with pytest.raises(ValueError, match=r"must end in \.csv"):
        mixupy.mixup_file(tmp_path / "in.csv", tmp_path / "out.xlsx")


# --- in Python: categories, points in time, kept columns ---------------------------------------------------------


def tracers(n: int) -> pd.DataFrame:
    return pd.DataFrame(np.eye(n), columns=[f"row{i}" for i in range(n)])


def test_categorical_columns_take_the_dominant_sources_category_and_keep_their_dtype() -> None:
    n = 6
    df = pd.DataFrame({"region": pd.Categorical(list("nsneww"), categories=list("ensw")), "plan": list("abaabb")})
    df = pd.concat([df, tracers(n)], axis=1)
    out = mixupy.mixup(df, categorical=["region", "plan"], batch_size=60, random_state=0)
    assert out["region"].dtype == df["region"].dtype  # the categories too, unused "e" included
    weights = out[[f"row{i}" for i in range(n)]].to_numpy()
    dominant = weights.argmax(axis=1)
    assert (out["region"].to_numpy() == df["region"].to_numpy()[dominant]).all()
    assert (out["plan"].to_numpy() == df["plan"].to_numpy()[dominant]).all()


def test_random_categorical_mode_picks_the_first_source_with_probability_lam() -> None:
    # Two rows, "a" and "b": a synthetic row takes "a" with probability lam (its first source is row 0 half the
    # time). Over many rows the share of "a" matches the mean weight of row 0, and differs from "dominant".
    df = pd.DataFrame({"c": ["a", "b"], "row0": [1.0, 0.0], "row1": [0.0, 1.0]})
    out = mixupy.mixup(df, alpha=0.5, categorical="c", categorical_mode="random", batch_size=40_000, random_state=1)
    share = (out["c"] == "a").mean()
    assert abs(share - out["row0"].mean()) < 0.01
    took_a_when_light = ((out["c"] == "a") & (out["row0"] < 0.5)).mean()
    assert took_a_when_light > 0.05  # the control: "dominant" would never take "a" with row0 < 0.5


def test_points_in_time_are_mixed_with_the_same_lam_and_keep_dtype_and_zone() -> None:
    n = 5
    times = pd.DataFrame(
        {
            "when": pd.date_range("2020-03-29", periods=n, freq="7h", tz="Europe/Paris"),  # across a DST change
            "naive": pd.date_range("1900-01-01", periods=n, freq="3650D"),
            "took": pd.to_timedelta(np.arange(n) * 90, unit="s"),
        }
    )
    df = pd.concat([times, tracers(n)], axis=1)
    out = mixupy.mixup(df, batch_size=50, random_state=2)
    for column in times.columns:
        assert out[column].dtype == times[column].dtype
    weights = out[[f"row{i}" for i in range(n)]].to_numpy()
    first = np.tile(np.arange(n), 10)
    lam = weights[np.arange(50), first]
    rest = weights.copy()
    rest[np.arange(50), first] = 0
    second = np.where(rest.max(axis=1) > 0, rest.argmax(axis=1), first)
    for column in times.columns:
        ticks = times[column].array.asi8
        a, b, got = ticks[first], ticks[second], out[column].array.asi8
        exact = b + lam * (a - b).astype(float)  # t_j + lam * (t_i - t_j), in units of the column
        assert np.abs(got - exact).max() <= 1  # whole units: within one unit of the exact point in time
        assert ((got >= np.minimum(a, b)) & (got <= np.maximum(a, b))).all()  # between its sources
        np.testing.assert_array_equal(got[lam == 1.0], a[lam == 1.0])


def test_missing_values_in_several_columns_are_listed_at_once() -> None:
    df = pd.DataFrame({"a": [1.0, np.nan, 3.0, np.nan], "b": [1, 2, 3, 4], "c": [np.inf, 1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match=r"'a' holds 2 missing value\(s\), the first at row 1;.*'c' holds 1 infinite"):
        mixupy.mixup(df, random_state=0)


def test_kept_columns_carry_the_dominant_sources_value() -> None:
    n = 4
    df = pd.concat([pd.DataFrame({"id": [f"id{i}" for i in range(n)], "group": [7, 7, 8, 8]}), tracers(n)], axis=1)
    out = mixupy.mixup(df, keep=["id", "group"], batch_size=40, random_state=3)
    dominant = out[[f"row{i}" for i in range(n)]].to_numpy().argmax(axis=1)
    assert (out["id"].to_numpy() == df["id"].to_numpy()[dominant]).all()
    assert out["group"].dtype == df["group"].dtype
    assert (out["group"].to_numpy() == df["group"].to_numpy()[dominant]).all()


def test_a_column_in_two_roles_is_an_error() -> None:
    df = pd.DataFrame({"x": [1.0, 2.0], "c": ["a", "b"]})
    with pytest.raises(ValueError, match=r"named by both `keep` and `categorical`"):
        mixupy.mixup(df, keep="c", categorical="c")


def test_penguins_with_missing_values_handled_as_a_user_would() -> None:
    from palmerpenguins import load_penguins

    penguins = load_penguins().dropna()  # 344 rows, 11 with a missing sex or measurement: 333 left
    out = mixupy.mixup(
        penguins, labels="species", categorical=["island", "sex"], keep="year", concat=True, random_state=0
    )
    assert len(out) == 2 * len(penguins)
    assert set(out["island"]) == set(penguins["island"]) and set(out["sex"]) == set(penguins["sex"])
    assert set(out["year"]) <= set(penguins["year"])
    probabilities = out[[c for c in out.columns if c.startswith("species_")]]
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    for column in ("bill_length_mm", "body_mass_g"):
        assert out[column].between(penguins[column].min(), penguins[column].max()).all()


def test_dask_partitions_mix_categories_and_times_as_pandas_does() -> None:
    import dask.dataframe as dd

    df = pd.DataFrame(
        {
            "x": np.arange(8.0),
            "c": pd.Categorical(list("abcabcab")),
            "t": pd.date_range("2024-01-01", periods=8, freq="D"),
        }
    )
    lazy = mixupy.mixup_dask(dd.from_pandas(df, npartitions=1), categorical="auto", random_state=5)
    assert lazy.dtypes.to_dict() == {"x": np.dtype("float64"), "c": df["c"].dtype, "t": df["t"].dtype}
    expected = mixupy.mixup(df, categorical="auto", random_state=np.random.SeedSequence(5).spawn(1)[0])
    pd.testing.assert_frame_equal(lazy.compute(scheduler="sync"), expected)


def test_the_sampler_carries_categories_from_the_rows_it_copies() -> None:
    from palmerpenguins import load_penguins

    penguins = load_penguins().dropna().reset_index(drop=True)
    X, y = penguins.drop(columns="species"), penguins["species"]
    sampler = mixupy.MixupSampler(alpha=0, label_mode="dominant", categorical=["island", "sex"], random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert list(X_res.columns) == list(X.columns) and X_res["island"].dtype == X["island"].dtype
    pd.testing.assert_frame_equal(X_res.iloc[: len(X)][["island", "sex"]], X[["island", "sex"]])
    # alpha=0 with the dominant fold makes exact copies: each new row is an original row, categories included
    originals = {tuple(row) for row in X.astype({"year": float}).itertuples(index=False)}
    assert all(tuple(row) in originals for row in X_res.iloc[len(X) :].itertuples(index=False))
    assert len(set(y_res.value_counts())) == 1  # balanced


def test_the_sampler_with_categories_in_a_pipeline_with_an_encoder() -> None:
    from imblearn.pipeline import make_pipeline
    from palmerpenguins import load_penguins
    from sklearn.compose import make_column_transformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    penguins = load_penguins().dropna()
    X, y = penguins.drop(columns=["species", "year"]), penguins["species"]
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), ["island", "sex"]), remainder=StandardScaler()
    )
    model = make_pipeline(
        mixupy.MixupSampler(categorical="auto", sampling_strategy="all", random_state=0),
        encode,
        LogisticRegression(max_iter=1000),
    )
    scores = cross_val_score(model, X, y, cv=3)  # the text categories reach the encoder after resampling
    assert scores.min() > 0.9


def test_the_column_cost_benchmark_runs_quick() -> None:
    """benchmarks/bench_columns.py --quick times every kind of column side by side and prints one row each."""
    from tracing import run_benchmark

    printed = run_benchmark("bench_columns.py", "--quick")
    rows = [line for line in printed.splitlines() if line.startswith("| ") and " ms |" in line]
    assert len(rows) == 10, printed  # the copy, the baseline, seven kinds of column and float64 again (the noise)
    assert any("again" in row for row in rows)
    assert any("category" in row for row in rows) and any("zone" in row for row in rows)
    assert any("timedelta64" in row for row in rows)
