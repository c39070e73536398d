"""The time kernel (``mixupy._apply.mix_ticks``): datetime and timedelta columns mixed on their integer counts.

Bit for bit against the whole-array integer reference below (mixupy 1.0's ``mix_times``) wherever that reference
is exact (counts less than 2**53 apart), in every unit, with and without a zone, for timedeltas, with
``concat=True``, and on one or two threads; and, for wider columns up to the whole int64 range, against the
exact value computed with Python's integers and fractions.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from tracing import mixed

import mixupy
from mixupy._apply import mix_ticks
from mixupy._draw import Draw, draw
from mixupy._options import random_source

INT64 = np.iinfo(np.int64)


def reference(ticks: np.ndarray, d: Draw) -> np.ndarray:
    """``b + rint(lam * (a - b))`` over whole arrays, as mixupy 1.0 computed it: exact below 2**53 units apart."""
    a, b = ticks[d.first], ticks[d.second]
    gap = (a - b).astype(np.float64)
    gap *= d.lam
    np.rint(gap, out=gap)
    return gap.astype(np.int64) + b


def exact_error(ticks: np.ndarray, d: Draw, got: np.ndarray) -> float:
    """The largest distance, in units, between ``got`` and the exact ``b + lam * (a - b)`` (Python integers)."""
    worst = Fraction(0)
    for i, j, lam, value in zip(d.first.tolist(), d.second.tolist(), d.lam.tolist(), got.tolist(), strict=True):
        a, b = int(ticks[i]), int(ticks[j])
        worst = max(worst, abs(Fraction(value) - (b + Fraction(lam) * (a - b))))
    return float(worst)


def between_sources(ticks: np.ndarray, d: Draw, got: np.ndarray) -> bool:
    a, b = ticks[d.first], ticks[d.second]
    return bool(((got >= np.minimum(a, b)) & (got <= np.maximum(a, b))).all())


def the_draw(n: int, size: int, alpha: float, seed: int) -> Draw:
    """The draw that ``mixup(df, alpha, batch_size=size, random_state=seed)`` makes (checked by a float column)."""
    return draw(n, size, alpha, random_source(seed))


def shuffled_ticks(n: int, span: int, seed: int = 0) -> np.ndarray:
    """``n`` distinct-ish int64 counts from -span/2 to span/2 (both ends present), in random order."""
    rng = np.random.default_rng(seed)
    low = -(span // 2)
    ticks = low + (rng.random(n) * span).astype(np.int64)  # float: coarse for wide spans, which is fine here
    ticks[:2] = [low, low + span]
    return rng.permutation(ticks)


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
@pytest.mark.parametrize("kind", ["naive", "zoned", "timedelta"])
@pytest.mark.parametrize("concat", [False, True])
def test_mixup_matches_the_integer_reference_bit_for_bit(unit: str, kind: str, concat: bool) -> None:
    n, size, seed = 500, 1_300, 4  # size > n: a full pass read in place, then gathered rows
    rng = np.random.default_rng(1)
    digits = {"s": 0, "ms": 3, "us": 6, "ns": 9}[unit]
    jitter = {"s": 2**30, "ms": 2**38, "us": 2**45, "ns": 2**52}[unit]  # 34 years, or 52 days of nanoseconds
    ticks = (rng.integers(0, jitter, n) + 1_700_000_000 * 10**digits).astype(np.int64)
    values = {
        "naive": pd.array(ticks.view(f"M8[{unit}]")),
        "zoned": pd.array(ticks.view(f"M8[{unit}]")).view(pd.DatetimeTZDtype(unit, "America/New_York")),
        "timedelta": pd.array((ticks - ticks.min()).view(f"m8[{unit}]")),
    }[kind]
    df = pd.DataFrame({"x": rng.random(n), "t": values})
    before = df.copy(deep=True)
    out = mixupy.mixup(df, batch_size=size, concat=concat, random_state=seed)
    d = the_draw(n, size, 4, seed)
    x = df["x"].to_numpy()
    np.testing.assert_array_equal(out["x"].to_numpy()[-size:], mixed(x[d.first], x[d.second], d.lam))
    assert out["t"].dtype == df["t"].dtype
    source = np.asarray(df["t"].array.asi8)
    got = np.asarray(out["t"].array.asi8)
    np.testing.assert_array_equal(got[-size:], reference(source, d))
    if concat:
        np.testing.assert_array_equal(got[:n], source)
    pd.testing.assert_frame_equal(df, before)  # the caller's frame is not changed
    if kind == "zoned":  # the counts are UTC: shown in the zone as pandas shows them
        utc = pd.array(got.view(f"M8[{unit}]")).view(pd.DatetimeTZDtype(unit, "UTC"))
        pd.testing.assert_extension_array_equal(out["t"].array, utc.tz_convert("America/New_York"))


@pytest.mark.parametrize("span", [2**50, 2**53 - 2, 2**53 - 1])
def test_spans_below_2_to_53_are_the_reference_bit_for_bit(span: int) -> None:
    ticks = shuffled_ticks(4_000, span)
    assert int(ticks.max()) - int(ticks.min()) == span
    for alpha, seed in ((0.2, 0), (4.0, 1), (0.0, 2)):
        d = the_draw(len(ticks), 6_000, alpha, seed)
        got = mix_ticks([ticks], d)[0]
        np.testing.assert_array_equal(got, reference(ticks, d))
        assert between_sources(ticks, d, got)


def weights_near_the_ends(size: int) -> np.ndarray:
    """``lam`` from a Beta draw, with the weights where rounding bites: 0, 1, next to 1, next to 0 and 1/2."""
    lam = np.random.default_rng(5).beta(0.3, 0.3, size)
    special = [0.0, 1.0, 1 - 2**-53, 1 - 2**-52, 1 - 2**-50, 1 - 2**-49, 1 - 2**-40, 2**-60, 0.5, 0.5 + 2**-53]
    lam[: len(special) * 8] = np.repeat(special, 8)
    return lam


@pytest.mark.parametrize(
    "span",
    [2**53, 2**53 + 1, 2**55, 2**62, 2**63 - 1, 2**63, 2**63 + 2**40, 2**64 - 2],
)
def test_wide_spans_stay_between_their_sources_exact_at_0_and_1_and_near_the_exact_value(span: int) -> None:
    n, size = 300, 900
    rng = np.random.default_rng(span % 1000)
    low = max(INT64.min + 1, -(span // 2))  # the smallest int64 is NaT: never a time
    ticks = np.array([low, low + span] + [low + int(rng.integers(0, 2**62)) * (span // 2**62) for _ in range(n - 2)])
    ticks = rng.permutation(ticks).astype(np.int64)
    first = np.tile(np.arange(n), size // n)
    d = Draw(first, rng.integers(0, n, size), weights_near_the_ends(size), tiles=size // n)
    got = mix_ticks([ticks], d)[0]
    assert between_sources(ticks, d, got)
    a, b = ticks[d.first], ticks[d.second]
    np.testing.assert_array_equal(got[d.lam == 1.0], a[d.lam == 1.0])
    np.testing.assert_array_equal(got[d.lam == 0.0], b[d.lam == 0.0])
    # the float gap and product are rounded, each by less than 2**-53 of the gap, and the result to whole units
    assert exact_error(ticks, d, got) <= 1 + span * 2.0**-51


def test_the_whole_range_of_nanoseconds_mixes_near_the_exact_point_in_time() -> None:
    """1700 and 2200 in nanoseconds are more than 2**63 units apart: their gap overflows int64."""
    times = pd.to_datetime(["1700-01-01", "2200-01-01", "1800-06-30", "2100-12-31", "1970-01-01"]).as_unit("ns")
    df = pd.DataFrame({"when": times})
    out = mixupy.mixup(df, alpha=1.0, batch_size=200, random_state=3)
    d = the_draw(len(df), 200, 1.0, 3)
    ticks = np.asarray(df["when"].array.asi8)
    got = np.asarray(out["when"].array.asi8)
    assert out["when"].dtype == df["when"].dtype
    assert between_sources(ticks, d, got)
    assert exact_error(ticks, d, got) <= 1 + 2**64 * 2.0**-51  # about 8 microseconds in five centuries


def test_alpha_0_copies_one_source_exactly_at_any_span() -> None:
    ticks = np.array([INT64.min + 1, INT64.max, 0, 2**60, -(2**61)], dtype=np.int64)
    d = the_draw(len(ticks), 100, 0.0, 7)
    got = mix_ticks([ticks], d, keep_originals=True)[0]
    np.testing.assert_array_equal(got[: len(ticks)], ticks)
    np.testing.assert_array_equal(got[len(ticks) :], np.where(d.lam == 1.0, ticks[d.first], ticks[d.second]))


def test_a_missing_time_is_an_error_naming_the_column() -> None:
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "when": pd.to_datetime(["2024-01-01", None, "2024-03-01"])})
    with pytest.raises(ValueError, match=r"'when' holds 1 missing value\(s\), the first at row 1"):
        mixupy.mixup(df, random_state=0)


def test_one_or_two_threads_give_the_same_times(monkeypatch: pytest.MonkeyPatch) -> None:
    n = 300_000  # 4 columns of 300,000 rows: more than the million values that turn threads on
    rng = np.random.default_rng(2)
    df = pd.DataFrame(
        {
            "narrow": pd.array(rng.integers(0, 2**45, n).view("M8[us]")),
            "zoned": pd.array(rng.integers(0, 2**58, n).view("M8[ns]")).view(pd.DatetimeTZDtype("ns", "Asia/Tokyo")),
            "wide": pd.array(rng.integers(INT64.min + 1, INT64.max, n).view("M8[s]")),
            "took": pd.array(rng.integers(-(2**50), 2**50, n).view("m8[ms]")),
        }
    )
    results = []
    for threads in ("1", "2"):
        monkeypatch.setenv("MIXUPY_NUM_THREADS", threads)
        results.append(mixupy.mixup(df, batch_size=n + 12_345, concat=True, random_state=11))
    pd.testing.assert_frame_equal(results[0], results[1])
    d = the_draw(n, n + 12_345, 4, 11)
    narrow = np.asarray(df["narrow"].array.asi8)
    np.testing.assert_array_equal(np.asarray(results[0]["narrow"].array.asi8)[n:], reference(narrow, d))


def test_a_torch_device_mixes_the_numbers_and_leaves_the_same_times() -> None:
    pytest.importorskip("torch")
    n = 50
    rng = np.random.default_rng(8)
    df = pd.DataFrame(
        {
            "x": rng.random(n),
            "when": pd.array(rng.integers(0, 2**56, n).view("M8[ns]")).view(pd.DatetimeTZDtype("ns", "UTC")),
        }
    )
    on_device = mixupy.mixup(df, batch_size=80, random_state=6, device="cpu")
    pd.testing.assert_frame_equal(on_device, mixupy.mixup(df, batch_size=80, random_state=6))
