"""The adversarial tier: every public function fuzzed with hypothesis, at and beyond its limits.

For any input, a call either returns or raises TypeError or ValueError (ImportError for a missing extra) with a
message; anything else (KeyError, IndexError, MemoryError, OverflowError, a RuntimeError from torch, a NumPy
warning, which the suite turns into an error) fails. A result is never NaN or infinite when the input was finite,
and the caller's objects are never changed.

The number of cases follows the hypothesis profile: ``ci`` by default, ``HYPOTHESIS_PROFILE=release`` for the
larger run before a release (see conftest.py and docs/architecture.md).
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mixupy

ALLOWED = (TypeError, ValueError)

# --- values at the edges -------------------------------------------------------------------------


def extremes(dtype: np.dtype) -> list[Any]:
    """Values at the limits of a NumPy dtype: its largest and smallest, subnormals, zero, and ordinary ones."""
    if dtype.kind == "f":
        info = np.finfo(dtype)
        return [info.max, -info.max, info.tiny, info.smallest_subnormal, -info.smallest_subnormal, 0.0, 1.5, -2.25]
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return [info.max, info.min, 0, 1, info.max - 1]
    if dtype.kind == "b":
        return [True, False]
    return [0]


NUMERIC = [np.dtype(t) for t in ("bool", "int8", "uint8", "int16", "int32", "int64", "uint64")]
NUMERIC += [np.dtype(t) for t in ("float16", "float32", "float64")]


@st.composite
def numeric_arrays(draw: st.DrawFn, min_rows: int = 1, max_rows: int = 8, ndim: int = 2) -> np.ndarray:
    dtype = draw(st.sampled_from(NUMERIC))
    rows = draw(st.integers(min_rows, max_rows))
    shape = (rows, *tuple(draw(st.integers(1, 3)) for _ in range(ndim - 1)))
    values = draw(
        st.lists(st.sampled_from(extremes(dtype)), min_size=int(np.prod(shape)), max_size=int(np.prod(shape)))
    )
    return np.array(values, dtype=dtype).reshape(shape)


def column_of(kind: str, n: int, rng: np.random.Generator) -> pd.Series:
    """A column of one of the dtypes pandas has, ``n`` rows."""
    numbers = rng.random(n)
    if kind in {str(d) for d in NUMERIC}:
        dtype = np.dtype(kind)
        pool = extremes(dtype)
        return pd.Series(np.array([pool[i % len(pool)] for i in range(n)], dtype=dtype))
    builders: dict[str, Callable[[], Any]] = {
        "Int64": lambda: pd.array(np.arange(n), dtype="Int64"),
        "Int64-NA": lambda: pd.array([None if i == 0 else i for i in range(n)], dtype="Int64"),
        "Float64": lambda: pd.array(numbers, dtype="Float64"),
        "boolean": lambda: pd.array(np.arange(n) % 2 == 0, dtype="boolean"),
        "int64[pyarrow]": lambda: pd.array(np.arange(n), dtype="int64[pyarrow]"),
        "double[pyarrow]": lambda: pd.array(numbers, dtype="double[pyarrow]"),
        "category": lambda: pd.Categorical(np.array(["a", "b", "c"])[np.arange(n) % 3]),
        "datetime": lambda: pd.date_range("2024-01-01", periods=n, freq="D"),
        "datetime-tz": lambda: pd.date_range("2024-01-01", periods=n, freq="h", tz="Europe/Paris"),
        "timedelta": lambda: pd.to_timedelta(np.arange(n), unit="s"),
        "complex": lambda: numbers + 1j,
        "object": lambda: np.array([object()] * n, dtype=object),
        "string": lambda: pd.array([f"s{i}" for i in range(n)], dtype="string"),
        "str": lambda: np.array([f"{i:03d}" for i in range(n)], dtype=object),
        "sparse": lambda: pd.arrays.SparseArray(np.where(np.arange(n) % 2, numbers, 0.0)),
        "nan": lambda: np.where(np.arange(n) == n - 1, np.nan, numbers),
        "inf": lambda: np.where(np.arange(n) == 0, np.inf, numbers),
    }
    return pd.Series(builders[kind]())


COLUMN_KINDS = [str(d) for d in NUMERIC] + [
    "Int64",
    "Int64-NA",
    "Float64",
    "boolean",
    "int64[pyarrow]",
    "double[pyarrow]",
    "category",
    "datetime",
    "datetime-tz",
    "timedelta",
    "complex",
    "object",
    "string",
    "str",
    "sparse",
    "nan",
    "inf",
]


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(1, 7))
    kinds = draw(st.lists(st.sampled_from(COLUMN_KINDS), min_size=1, max_size=4))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    frame = pd.DataFrame({f"c{j}_{kind}": column_of(kind, n, rng) for j, kind in enumerate(kinds)})
    if draw(st.booleans()):
        frame.index = pd.Index([f"r{i}" for i in range(n)])
    return frame


def finite_input(*objects: Any) -> bool:
    """True when every number in the inputs is finite (and none is missing)."""
    for obj in objects:
        if isinstance(obj, pd.DataFrame):
            for _, column in obj.items():
                if column.isna().any():
                    return False
                if pd.api.types.is_float_dtype(column.dtype) and not np.isfinite(column.to_numpy(dtype=float)).all():
                    return False
        elif (isinstance(obj, np.ndarray) and obj.dtype.kind in "fc" and not np.isfinite(obj).all()) or (
            isinstance(obj, torch.Tensor) and obj.is_floating_point() and not bool(torch.isfinite(obj).all())
        ):
            return False
    return True


def numbers_in(result: Any) -> list[np.ndarray]:
    """The floating-point values of a result, whatever container it comes in."""
    if isinstance(result, pd.DataFrame):
        return [c.to_numpy() for _, c in result.items() if pd.api.types.is_float_dtype(c.dtype)]
    if isinstance(result, np.ndarray):
        return [result] if result.dtype.kind == "f" else []
    if isinstance(result, torch.Tensor):
        return [result.detach().double().numpy()] if result.is_floating_point() else []
    if isinstance(result, (tuple, list)):
        return [a for item in result for a in numbers_in(item)]
    if isinstance(result, dict):
        return [a for item in result.values() for a in numbers_in(item)]
    return []


def same(a: Any, b: Any) -> bool:
    """Equal, NaN included, for the kinds of objects passed in here."""
    if isinstance(a, pd.DataFrame):
        return a.equals(b) and a.dtypes.equals(b.dtypes) and a.index.equals(b.index)
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
    if isinstance(a, torch.Tensor):
        return a.dtype == b.dtype and torch.equal(torch.nan_to_num(a), torch.nan_to_num(b))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return True


def attack(fn: Callable[..., Any], *args: Any, finite: bool = True, **kwargs: Any) -> Any:
    """Call ``fn``; only TypeError or ValueError with a message may escape; results finite; inputs unchanged.

    ``finite=False`` leaves out the finiteness of the result, for a loss, whose values are the criterion's.
    """
    before = copy.deepcopy((args, kwargs))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = fn(*args, **kwargs)
    except ALLOWED as error:
        assert str(error).strip(), f"{type(error).__name__} without a message"
        result = None
    finally:
        assert same(list(args), list(before[0])), "the caller's arguments were changed"
        for key, value in kwargs.items():
            assert same(value, before[1][key]), f"the caller's {key} was changed"
    if finite and result is not None and finite_input(*args, *kwargs.values()):
        for values in numbers_in(result):
            assert np.isfinite(values).all(), "a result that is not finite, from finite input"
    return result


# --- parameters at and beyond their limits -------------------------------------------------------

ALPHAS = st.sampled_from(
    [
        0,
        0.0,
        1e-300,
        0.2,
        1,
        1.0000001,
        4,
        1000000.0,
        10000000.0,
        1e308,
        10**400,
        -1,
        float("nan"),
        float("inf"),
        True,
        "4",
        np.int64(3),
        np.float32(0.4),
        None,
    ]
)
SIZES = st.sampled_from([None, 1, 2, 7, 50, 0, -1, 2**62, 10**19, 1.5, True, "3", np.int64(4)])
FLAGS = st.sampled_from([False, True, 0, 1, None, "yes", np.bool_(True)])
SEEDS = st.sampled_from([None, 0, 1, 2**32, 2**64, -1, 1.5, "x", np.random.default_rng(0), np.random.SeedSequence(1)])
MODES = st.sampled_from(["mix", "dominant", "within_class", "Mix", None, 3])

PROFILE = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors], deadline=None)


@PROFILE
@given(frames(), ALPHAS, SIZES, FLAGS, FLAGS, MODES, SEEDS, st.data())
def test_mixup_frame(
    df: pd.DataFrame, alpha: Any, size: Any, concat: Any, within: Any, mode: Any, seed: Any, data: st.DataObject
) -> None:
    labels = data.draw(st.sampled_from([None, df.columns[0], list(df.columns[:1]), "missing", ["missing"], []]))
    kwargs = {"alpha": alpha, "batch_size": size, "concat": concat, "labels": labels, "label_mode": mode}
    attack(mixupy.mixup, df, **kwargs, within_class=within, random_state=seed)


@PROFILE
@given(numeric_arrays(), ALPHAS, SIZES, MODES, SEEDS, st.data())
def test_mixup_arrays(x: np.ndarray, alpha: Any, size: Any, mode: Any, seed: Any, data: st.DataObject) -> None:
    n = x.shape[0]
    y = data.draw(st.sampled_from([None, np.arange(n) % 2, np.eye(n, 3), np.arange(n + 1), np.full(n, np.nan)]))
    k = data.draw(st.sampled_from([None, 2, 3, 0, 2**62, "2"]))
    attack(mixupy.mixup_arrays, x, y, alpha=alpha, batch_size=size, num_classes=k, label_mode=mode, random_state=seed)


@PROFILE
@given(numeric_arrays(ndim=3), ALPHAS, st.sampled_from([1, 2, 5, 0, -1, 2**62]), FLAGS, SEEDS)
def test_mixup_generator(x: np.ndarray, alpha: Any, batch: Any, shuffle: Any, seed: Any) -> None:
    def one_epoch(*args: Any, **kwargs: Any) -> list[Any]:
        return list(mixupy.MixupGenerator(*args, **kwargs))

    attack(one_epoch, x, None, batch_size=batch, alpha=alpha, shuffle=shuffle, random_state=seed)


@PROFILE
@given(numeric_arrays(), numeric_arrays(), ALPHAS, SEEDS)
def test_mixup_streams(a: np.ndarray, b: np.ndarray, alpha: Any, seed: Any) -> None:
    def mixed(*args: Any, **kwargs: Any) -> list[Any]:
        return list(mixupy.mixup_streams(*args, **kwargs))

    attack(mixed, [a, a], [b], alpha=alpha, random_state=seed)


@PROFILE
@given(numeric_arrays(min_rows=1, max_rows=6, ndim=3), ALPHAS, SIZES, FLAGS, st.sampled_from([None, 2, 3, 1, 0]), SEEDS)
def test_mixup_series_array(x: np.ndarray, alpha: Any, n_series: Any, concat: Any, window: Any, seed: Any) -> None:
    attack(
        mixupy.mixup_series_array, x, alpha=alpha, n_series=n_series, concat=concat, window=window, random_state=seed
    )


@st.composite
def long_frames(draw: st.DrawFn) -> pd.DataFrame:
    n_series, steps = draw(st.integers(1, 4)), draw(st.integers(1, 5))
    kind = draw(st.sampled_from(["float64", "float32", "float16", "int64", "Int64", "nan", "category", "str"]))
    values = column_of(kind, n_series * steps, np.random.default_rng(draw(st.integers(0, 99)))).to_numpy()
    return pd.DataFrame(
        {
            "id": np.repeat(np.arange(n_series), steps),
            "t": np.tile(np.arange(steps), n_series),
            "v": values,
            "k": np.repeat(np.arange(n_series) % 2, steps),
        }
    )


@PROFILE
@given(long_frames(), ALPHAS, SIZES, FLAGS, st.sampled_from([None, "k", "v", "missing"]), SEEDS)
def test_mixup_timeseries(df: pd.DataFrame, alpha: Any, n_series: Any, concat: Any, labels: Any, seed: Any) -> None:
    attack(
        mixupy.mixup_timeseries,
        df,
        id_col="id",
        time_col="t",
        alpha=alpha,
        n_series=n_series,
        concat=concat,
        labels=labels,
        random_state=seed,
    )


@PROFILE
@given(long_frames(), ALPHAS, st.sampled_from([1, 2, 0, -1, 10**19, 1.5]), st.sampled_from([1, 2, 0, 2**62]), SEEDS)
def test_mixup_lagged(df: pd.DataFrame, alpha: Any, lag: Any, copies: Any, seed: Any) -> None:
    frame = df.drop(columns="k")
    attack(
        mixupy.mixup_lagged,
        frame,
        time_diff=lag,
        id_col="id",
        time_col="t",
        alpha=alpha,
        n_copies=copies,
        random_state=seed,
    )


TORCH_DTYPES = [torch.float16, torch.bfloat16, torch.float32, torch.float64]


@st.composite
def tensors(draw: st.DrawFn) -> torch.Tensor:
    dtype = draw(st.sampled_from([*TORCH_DTYPES, torch.int64, torch.uint8]))
    n = draw(st.integers(1, 6))
    if dtype.is_floating_point:
        info = torch.finfo(dtype)
        pool = [info.max, -info.max, info.tiny, 0.0, 1.5, -2.0, info.max / 3]
    else:
        pool = [0, 1, 7]
    values = draw(st.lists(st.sampled_from(pool), min_size=2 * n, max_size=2 * n))
    return torch.tensor(values).reshape(n, 2).to(dtype)


@PROFILE
@given(tensors(), ALPHAS, st.sampled_from([None, 2, 8, 0, 2**62]), st.data())
def test_mixup_batch(x: torch.Tensor, alpha: Any, k: Any, data: st.DataObject) -> None:
    n = x.shape[0]
    label_dtype = data.draw(st.sampled_from([torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8]))
    y = data.draw(
        st.sampled_from(
            [
                (torch.arange(n) % 2).to(label_dtype),
                torch.eye(n, 2, dtype=x.dtype) if x.is_floating_point() else torch.arange(n),
                torch.full((n,), 9),
                torch.arange(n + 1),
                torch.zeros(n, dtype=torch.bool),
            ]
        )
    )
    smoothing = data.draw(st.sampled_from([0.0, 0.1, 1.0, -0.1]))
    seed = data.draw(st.sampled_from([0, None, torch.Generator().manual_seed(1), np.random.default_rng(0), -3, "s"]))
    attack(mixupy.mixup_batch, x, y, alpha=alpha, num_classes=k, label_smoothing=smoothing, random_state=seed)
    attack(mixupy.mixup_pairs, x, y, alpha=alpha, random_state=seed if not isinstance(seed, torch.Generator) else 0)


@PROFILE
@given(tensors(), st.data())
def test_mixup_loss(x: torch.Tensor, data: st.DataObject) -> None:
    n = x.shape[0]
    output = x.float() if not x.is_floating_point() else x
    target = data.draw(st.sampled_from([torch.arange(n) % 2, torch.full((n,), 5), torch.rand(n), torch.arange(n + 1)]))
    lam = data.draw(st.sampled_from([torch.rand(n), torch.rand(n + 1), torch.ones(n, dtype=torch.float64)]))
    reduction = data.draw(st.sampled_from(["mean", "sum", "none", "max"]))
    # cross-entropy of float16 logits at +-65504 is itself beyond float16: the loss values are the criterion's
    attack(mixupy.mixup_loss, output, target, target, lam, reduction=reduction, finite=False)
    attack(lambda o, t: mixupy.MixupLoss(reduction="sum")(o, t), output, target, finite=False)


@PROFILE
@given(numeric_arrays(min_rows=2, max_rows=12), ALPHAS, st.sampled_from(["within_class", "dominant", "x"]), SEEDS)
def test_mixup_sampler(x: np.ndarray, alpha: Any, mode: Any, seed: Any) -> None:
    y = np.array(["a"] * (x.shape[0] - 1) + ["b"])
    sampler = mixupy.MixupSampler(alpha=alpha, label_mode=mode, random_state=seed)
    attack(sampler.fit_resample, x, y)


@PROFILE
@given(numeric_arrays(min_rows=1, max_rows=6))
def test_expand_soft_labels(x: np.ndarray) -> None:
    n = x.shape[0]
    soft = np.full((n, 2), 0.5)
    attack(mixupy.expand_soft_labels, x, soft)
    attack(mixupy.expand_soft_labels, x, x)


@settings(PROFILE, max_examples=max(10, settings().max_examples // 10))
@given(frames(), ALPHAS, SIZES, FLAGS, st.integers(1, 4), SEEDS)
def test_mixup_file(df: pd.DataFrame, alpha: Any, size: Any, concat: Any, buffer: int, seed: Any) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        src, dst = Path(folder) / "in.csv", Path(folder) / "out.csv"
        df.to_csv(src, index=False)
        attack(mixupy.mixup_file, src, dst, alpha=alpha, batch_size=size, concat=concat, buffer_rows=buffer)
        left = sorted(p.name for p in Path(folder).iterdir())
        assert left in (["in.csv"], ["in.csv", "out.csv"]), left  # no temporary file, whatever happened
        if dst.exists():
            pd.read_csv(dst)  # a complete file


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_the_largest_floats_mix_to_finite_values_between_their_sources(dtype: str) -> None:
    # lam * a + (1 - lam) * b lies between a and b; at the largest floats of each dtype no rounding may take
    # it past them (the old torch form, a + lam * (b - a), overflowed in b - a).
    top = np.finfo(dtype).max
    x = np.array([[top], [top], [-top], [-top]], dtype=dtype)
    mixed = mixupy.mixup_arrays(x, alpha=1, batch_size=4000, random_state=0)
    assert np.isfinite(mixed).all() and np.abs(mixed).max() <= top
    frame = mixupy.mixup(pd.DataFrame(x[:, 0], columns=["a"]), alpha=1, batch_size=4000, random_state=0)
    assert np.isfinite(frame["a"].to_numpy()).all() and frame["a"].abs().max() <= top
    t = torch.tensor(x.astype(np.float64)).to(getattr(torch, dtype))
    out = mixupy.mixup_batch(t, torch.eye(4, 2, dtype=t.dtype), random_state=0)[0]
    assert bool(torch.isfinite(out).all())
    wide = torch.tensor([[-1e308], [1e308]], dtype=torch.float64)  # the defect of issue 15: lerp gave +-inf
    assert bool(torch.isfinite(mixupy.mixup_batch(wide, torch.eye(2, dtype=wide.dtype), random_state=0)[0]).all())


@settings(PROFILE, max_examples=max(10, settings().max_examples // 10))
@given(frames(), ALPHAS, FLAGS, st.sampled_from([None, "c0", ["missing"], 5]), SEEDS)
def test_mixup_dask(df: pd.DataFrame, alpha: Any, concat: Any, labels: Any, seed: Any) -> None:
    import dask.dataframe as dd

    def computed(data: pd.DataFrame, **kwargs: Any) -> pd.DataFrame:
        return mixupy.mixup_dask(dd.from_pandas(data, npartitions=2), **kwargs).compute(scheduler="sync")

    labels = df.columns[0] if labels == "c0" else labels
    attack(computed, df, alpha=alpha, concat=concat, labels=labels, random_state=seed)


@settings(PROFILE, max_examples=max(10, settings().max_examples // 5))
@given(frames(), ALPHAS, st.sampled_from([1, 10, 0, -1, 2**62, 1.5]), st.sampled_from([1, 40, 0, True]), SEEDS)
def test_plots(df: pd.DataFrame, alpha: Any, size: Any, bins: Any, seed: Any) -> None:
    import matplotlib.pyplot as plt

    from mixupy.plot import plot_lambda, plot_mixup

    try:
        attack(plot_lambda, alpha, size=size, bins=bins, random_state=seed)
        columns = [*df.columns, "missing"]
        attack(plot_mixup, df, df, x=columns[0], y=columns[min(1, len(columns) - 1)])
    finally:
        plt.close("all")


@settings(PROFILE, max_examples=max(10, settings().max_examples // 5))
@given(
    st.sampled_from([4, (3, 5), 0, -2, (2,), "x", True]),
    st.sampled_from(["rgb", "grayscale", "rgba", "cmyk", None]),
    st.sampled_from([None, 0.25, 0.0, 1.0, 2]),
    st.sampled_from(["raise", "skip", "ignore"]),
)
def test_image_folder(size: Any, color: Any, split: Any, on_error: Any) -> None:
    import tempfile

    from PIL import Image

    with tempfile.TemporaryDirectory() as root:
        for name, value in (("a", 0), ("b", 255)):
            (Path(root) / name).mkdir()
            for k in range(4):
                Image.new("L", (3, 3), value).save(Path(root) / name / f"{k}.png")
        (Path(root) / "b" / "broken.png").write_bytes(b"not an image")
        subset = None if split is None else "training"

        def read_all(*args: Any, **kwargs: Any) -> Any:
            folder = mixupy.ImageFolder(*args, **kwargs)
            with warnings.catch_warnings():  # on_error="skip" warns of each unreadable file, as documented
                warnings.filterwarnings("ignore", message="skipping unreadable", category=RuntimeWarning)
                generator = mixupy.MixupGenerator(folder, folder.labels, num_classes=2, batch_size=3)
                return [batch for batch, _ in generator]

        attack(
            read_all, root, image_size=size, color_mode=color, validation_split=split, subset=subset, on_error=on_error
        )
