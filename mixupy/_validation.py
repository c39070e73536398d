"""Every check of user input, with messages a person can act on.

Each function validates one parameter at the public boundary and returns it in
the normalised form that the rest of the package works with. Messages name the
parameter, say what was expected and show what came.
"""

from __future__ import annotations

import numbers
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

LABEL_MODES = ("mix", "dominant")


class ColumnNotFoundError(ValueError):
    """A parameter names a column that the data does not have (a ValueError, so callers catch it as one)."""


def _show(value: Any) -> str:
    """A short description of a value for an error message."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} (type {type(value).__name__})"


def check_alpha(alpha: Any) -> float:
    """Return ``alpha`` as a float after checking it is a finite number >= 0."""
    if isinstance(alpha, (bool, np.bool_)) or not isinstance(alpha, numbers.Real):
        msg = f"`alpha` must be a real number >= 0 (an int or float); got {_show(alpha)}."
        raise TypeError(msg)
    value = float(alpha)
    if not np.isfinite(value) or value < 0:
        msg = (
            f"`alpha` must be a finite number >= 0; got {alpha!r}. "
            "Hint: alpha=0 means no interpolation, small values (0.1-0.4) mix gently, "
            "large values mix towards the midpoint."
        )
        raise ValueError(msg)
    return value


def check_positive_int(value: Any, name: str) -> int:
    """Return ``value`` as an int after checking it is an integer > 0 (bools rejected)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        msg = f"`{name}` must be a positive integer; got {_show(value)}."
        raise TypeError(msg)
    if value <= 0:
        msg = f"`{name}` must be a positive integer (> 0); got {value!r}."
        raise ValueError(msg)
    return int(value)


def check_batch_size(batch_size: Any, n_rows: int) -> int:
    """Return the number of synthetic rows: ``n_rows`` when ``batch_size`` is None."""
    if batch_size is None:
        return n_rows
    return check_positive_int(batch_size, "batch_size")


def check_bool(value: Any, name: str) -> bool:
    """Return ``value`` as a bool after checking it is True or False."""
    if not isinstance(value, (bool, np.bool_)):
        msg = f"`{name}` must be True or False; got {_show(value)}."
        raise TypeError(msg)
    return bool(value)


def check_choice(value: Any, name: str, choices: Sequence[Any], *, allow_none: bool = False) -> Any:
    """Check ``value`` is one of ``choices`` (or None where ``allow_none``)."""
    if value is None and allow_none:
        return None
    if not isinstance(value, Hashable) or value not in choices:
        extra = " or None" if allow_none else ""
        msg = f"`{name}` must be one of {list(choices)}{extra}; got {_show(value)}."
        raise ValueError(msg)
    return value


def check_label_mode(label_mode: Any) -> str:
    """Check ``label_mode`` is one of :data:`LABEL_MODES`."""
    return check_choice(label_mode, "label_mode", LABEL_MODES)


def check_exact_labels(*, within_class: bool, label_mode: str, has_labels: bool, what: str = "labels") -> bool:
    """True when labels stay exact (within-class or dominant mode); those modes need ``what`` to be given.

    ``what`` names the argument that supplies the classes, in the caller's words.
    """
    exact = within_class or label_mode == "dominant"
    if exact and not has_labels:
        option = "within_class=True" if within_class else 'label_mode="dominant"'
        msg = f"{option} keeps each row's class exactly, so it needs {what}."
        if what == "labels":
            msg += " Pass labels='class_column' or a list of one-hot columns, e.g. labels=['setosa', 'versicolor']."
        raise ValueError(msg)
    return exact


def check_random_state(random_state: Any) -> np.random.Generator:
    """Turn ``random_state`` into a :class:`numpy.random.Generator`.

    None gives fresh operating-system entropy, an int or a ``SeedSequence`` seeds
    a new generator, a ``Generator`` is used (and advanced) as it is, and a legacy
    ``RandomState`` (as scikit-learn passes) seeds a new generator from its stream.
    The global NumPy random state is never read.
    """
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(0, 2**32, size=4, dtype=np.uint64))
    if random_state is None or isinstance(random_state, np.random.SeedSequence):
        return np.random.default_rng(random_state)
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, (bool, np.bool_)):
        if random_state < 0:
            msg = f"`random_state` must be a non-negative integer seed; got {random_state!r}."
            raise ValueError(msg)
        return np.random.default_rng(int(random_state))
    msg = (
        "`random_state` must be None, a non-negative int, a numpy.random.Generator "
        f"or a numpy.random.SeedSequence; got {_show(random_state)}."
    )
    raise TypeError(msg)


def is_numeric_dtype(dtype: Any) -> bool:
    """True for the dtypes mixup interpolates: bool, integer and real floating, numpy or nullable."""
    if isinstance(dtype, pd.CategoricalDtype):
        return False
    return bool(
        pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_float_dtype(dtype)
    )


def check_frame(data: Any, name: str = "data") -> pd.DataFrame:
    """Check ``data`` is a non-empty DataFrame with unique column names."""
    if not isinstance(data, pd.DataFrame):
        hint = ""
        if isinstance(data, np.ndarray):
            hint = " Hint: wrap an array as pd.DataFrame(array), or use mixupy.mixup_arrays for arrays."
        msg = f"`{name}` must be a pandas DataFrame; got {type(data).__name__}.{hint}"
        raise TypeError(msg)
    if data.shape[0] == 0 or data.shape[1] == 0:
        msg = f"`{name}` must have at least one row and one column; got shape {data.shape}."
        raise ValueError(msg)
    if not data.columns.is_unique:
        dupes = list(data.columns[data.columns.duplicated()].unique())
        msg = f"`{name}` must have unique column names; these appear more than once: {dupes}."
        raise ValueError(msg)
    return data


def check_columns_exist(data: pd.DataFrame, columns: Sequence[Hashable], name: str) -> None:
    """Raise ValueError listing any of ``columns`` that ``data`` lacks."""
    missing = [c for c in columns if c not in data.columns]
    if missing:
        msg = f"`{name}` names columns that are not in `data`: {missing}. Columns are: {list(data.columns)}."
        raise ColumnNotFoundError(msg)


def check_numeric_columns(data: pd.DataFrame, columns: Sequence[Hashable], name: str = "data") -> None:
    """Raise TypeError listing the columns whose dtype is not bool, integer or float."""
    dtypes: dict[Hashable, Any] = dict(zip(data.columns, data.dtypes, strict=True))  # data[c] would build Series
    bad = {c: str(dtypes[c]) for c in columns if not is_numeric_dtype(dtypes[c])}
    if bad:
        listed = ", ".join(f"{c!r} ({d})" for c, d in bad.items())
        msg = (
            f"`{name}` has non-numeric columns: {listed}. mixup interpolates numbers: "
            f"one-hot encode them with pd.get_dummies(df, columns={list(bad)}), "
            "or pass one class column as labels=..."
        )
        raise TypeError(msg)


def column_values(series: pd.Series, name: str = "data", *, check_finite: bool = True) -> np.ndarray:
    """The values of a numeric column as a NumPy array (a view where pandas allows).

    Raises ValueError naming the column when it holds missing (NaN, None, pd.NA)
    or infinite values. ``check_finite=False`` leaves NaN and infinity in NumPy
    float columns to the caller (missing values of nullable dtypes are still
    refused): :func:`mixupy.frame.mixup` checks them while it mixes.
    """
    if isinstance(series.dtype, np.dtype):
        values = series.to_numpy()
    else:  # nullable or Arrow-backed numbers
        if series.hasnans:
            _raise_missing(series, name)
        target = np.float64 if not pd.api.types.is_bool_dtype(series.dtype) else np.bool_
        values = series.to_numpy(dtype=target)
    if check_finite and values.dtype.kind == "f":
        with np.errstate(over="ignore", invalid="ignore"):  # an overflowing sum only means: look closer
            finite_sum = np.isfinite(np.add.reduce(values, dtype=np.float64))
        if not finite_sum:  # a finite sum proves every value finite; otherwise look closer
            n_nan = int(np.isnan(values).sum())
            if n_nan:
                _raise_missing(series, name, n_nan)
            infinite = np.isinf(values)
            if infinite.any():
                first = series.index[infinite][:3].tolist()
                msg = (
                    f"`{name}` column {series.name!r} holds {int(infinite.sum())} infinite value(s), "
                    f"first at index {first}; mixup needs finite numbers. Hint: clip or drop them first."
                )
                raise ValueError(msg)
    return values


def _raise_missing(series: pd.Series, name: str, count: int | None = None) -> None:
    count = int(series.isna().sum()) if count is None else count
    first = series.index[series.isna().to_numpy()][:3].tolist()
    msg = (
        f"`{name}` column {series.name!r} holds {count} missing value(s) (NaN, None or pd.NA), "
        f"first at index {first}. mixup needs complete rows. Hint: fill them "
        "(df.fillna(...)) or drop them (df.dropna()) first."
    )
    raise ValueError(msg)


def check_probability_rows(matrix: np.ndarray, columns: Sequence[Hashable], *, name: str = "labels") -> None:
    """Check each row of ``matrix`` is one-hot or a probability vector (in [0, 1], sums to 1).

    ``name`` is the parameter the messages name.
    """
    if matrix.min() < 0 or matrix.max() > 1:
        msg = (
            f"`{name}` columns {list(columns)} must hold one-hot or probability values in [0, 1]; "
            f"found values from {matrix.min()!r} to {matrix.max()!r}."
        )
        raise ValueError(msg)
    tol = 1e-4 if matrix.dtype == np.float32 else 1e-6
    sums = matrix.sum(axis=1, dtype=np.float64)
    bad = np.flatnonzero(np.abs(sums - 1.0) > tol)
    if bad.size:
        hint = ""
        if name == "labels":
            hint = " Hint: for a single class column pass its name, labels='species', not a list."
        msg = (
            f"`{name}` columns {list(columns)} must sum to 1 in every row (one-hot or probabilities); "
            f"{bad.size} row(s) do not, the first at position {int(bad[0])} sums to {float(sums[bad[0]])!r}.{hint}"
        )
        raise ValueError(msg)


# --- sampler and soft labels (mixupy.sampler, mixupy.weights) ---


def check_soft_labels(Y: Any, classes: Any) -> tuple[np.ndarray, np.ndarray]:
    """Check ``Y`` holds one probability vector per row and return it with the class of each column.

    Returns ``(probabilities, labels)``: a float64 array of shape (n_rows, n_classes)
    and a 1-D array of the classes, from ``classes``, the columns of a DataFrame
    ``Y``, or ``0 ... n_classes - 1``.
    """
    if isinstance(Y, pd.DataFrame):
        columns: list[Hashable] = list(Y.columns)
        check_numeric_columns(Y, columns, "Y")
        if not columns or len(Y) == 0:
            msg = f"`Y` must have at least one row and one column; got shape {Y.shape}."
            raise ValueError(msg)
        matrix = np.column_stack([column_values(Y.iloc[:, j], "Y") for j in range(len(columns))])
    else:
        matrix = np.asarray(Y)
        if matrix.ndim != 2:
            msg = (
                f"`Y` must be 2-D, one column of probabilities per class; got an array of shape {matrix.shape}. "
                "Hint: hard labels need no expansion; pass them to fit() as they are."
            )
            raise ValueError(msg)
        if matrix.dtype.kind not in "biuf":
            msg = f"`Y` must hold numbers (probabilities); got dtype {matrix.dtype}."
            raise TypeError(msg)
        if matrix.size == 0:
            msg = f"`Y` must have at least one row and one column; got shape {matrix.shape}."
            raise ValueError(msg)
        columns = list(range(matrix.shape[1]))
        if matrix.dtype.kind == "f" and not np.isfinite(matrix).all():
            kind = "missing (NaN)" if np.isnan(matrix).any() else "infinite"
            first = [int(i) for i in np.flatnonzero(~np.isfinite(matrix).all(axis=1))[:3]]
            msg = f"`Y` holds {kind} values, first in rows {first}; probabilities must be finite."
            raise ValueError(msg)
    matrix = matrix.astype(np.float64, copy=False)
    check_probability_rows(matrix, columns, name="Y")
    if classes is None:
        labels = np.asarray(columns) if isinstance(Y, pd.DataFrame) else np.arange(matrix.shape[1])
    else:
        if isinstance(classes, (str, bytes)) or not isinstance(classes, (Sequence, np.ndarray, pd.Index)):
            msg = f"`classes` must be a sequence with one class per column of `Y`; got {_show(classes)}."
            raise TypeError(msg)
        labels = np.asarray(list(classes))
        if labels.shape != (matrix.shape[1],):
            msg = f"`classes` must list one class per column of `Y` ({matrix.shape[1]}); got {len(labels)}."
            raise ValueError(msg)
    if len(pd.unique(pd.Series(labels, dtype=object))) != len(labels):
        msg = f"the classes (the columns of `Y`, or `classes`) must be distinct; got {list(labels)}."
        raise ValueError(msg)
    return matrix, labels


# --- streaming files and Dask (mixupy.stream, mixupy.dask) ---


def check_seed_sequence(random_state: Any) -> np.random.SeedSequence:
    """Turn ``random_state`` into one :class:`numpy.random.SeedSequence` to spawn seeds from.

    An int ``s`` gives ``SeedSequence(s)``; None gives fresh operating-system
    entropy, fixed from then on; a ``Generator`` (or ``RandomState``) is advanced
    once to draw the entropy.
    """
    if isinstance(random_state, np.random.SeedSequence):
        return random_state
    if random_state is None:
        return np.random.SeedSequence()
    rng = check_random_state(random_state)  # checks type and sign
    if isinstance(random_state, numbers.Integral):
        return np.random.SeedSequence(int(random_state))
    return np.random.SeedSequence(rng.integers(0, 2**63, size=4))


def check_block_numeric(block: pd.DataFrame, columns: Sequence[Hashable], first_row: int) -> None:
    """Raise TypeError naming the first value that is not a number in ``columns`` of a block.

    ``first_row`` is the position, in the whole table, of the block's first row;
    the message counts data rows from 1, as a person reading the file would.
    """
    for name in columns:
        series = block[name]
        if is_numeric_dtype(series.dtype):
            continue
        try:
            as_numbers = pd.to_numeric(series, errors="coerce")
        except (TypeError, ValueError):  # categories, dates, ...: no value counts as a number
            as_numbers = pd.Series(np.nan, index=series.index)
        bad = np.flatnonzero((as_numbers.isna() & series.notna()).to_numpy())
        if bad.size == 0:
            bad = np.flatnonzero(series.notna().to_numpy())[:1]
        where = ""
        if bad.size:
            row = first_row + int(bad[0]) + 1
            where = f"; data row {row} (counting from 1 after the header) holds {series.iloc[int(bad[0])]!r}"
        earlier = " The rows before this block held numbers there." if first_row else ""
        msg = (
            f"`data` has non-numeric columns: {name!r} is {series.dtype} in the block of data rows "
            f"{first_row + 1} to {first_row + len(block)}{where}.{earlier} mixup interpolates numbers: fix or "
            "drop that value, or name the column as the class column with labels=..."
        )
        raise TypeError(msg)


# --- arrays, batch generators and image folders ---


def check_array(value: Any, name: str) -> np.ndarray:
    """Return ``value`` as a NumPy array of numbers with at least one row, all finite.

    Bool, integer and real floating dtypes are accepted; the array is not copied
    when it already is one.
    """
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:  # ragged nested lists
        msg = f"`{name}` must be an array of numbers; could not make one from {_show(value)}: {error}"
        raise TypeError(msg) from None
    if array.dtype.kind not in "biuf":
        msg = (
            f"`{name}` must hold numbers (bool, int or float); got dtype {array.dtype}. "
            "Hint: encode strings or categories as integer class codes first."
        )
        raise TypeError(msg)
    if array.ndim == 0:
        msg = f"`{name}` must be an array with one row per sample; got a scalar {_show(value)}."
        raise ValueError(msg)
    if array.shape[0] == 0:
        msg = f"`{name}` is empty (shape {array.shape}); mixup needs at least one sample."
        raise ValueError(msg)
    check_finite(array, name)
    return array


def check_finite(array: np.ndarray, name: str) -> None:
    """Raise ValueError naming ``name`` when a floating ``array`` holds NaN or infinity."""
    if array.dtype.kind != "f":
        return
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.add.reduce(array.reshape(-1), dtype=np.float64)
    if np.isfinite(total):  # a finite sum proves every value finite
        return
    bad = ~np.isfinite(array)
    if bad.any():
        where = np.unravel_index(int(np.argmax(bad)), array.shape)
        msg = (
            f"`{name}` holds {int(bad.sum())} NaN or infinite value(s), the first at index "
            f"{tuple(int(i) for i in where)}; mixup needs finite numbers. Hint: fill, clip or drop them first."
        )
        raise ValueError(msg)


def check_same_length(n_rows: int, array: np.ndarray, name: str, reference: str = "x") -> None:
    """Raise ValueError when ``array`` does not have one row per row of ``reference``."""
    if array.shape[0] != n_rows:
        msg = (
            f"`{name}` must have one row per sample of `{reference}` ({n_rows}); "
            f"got {array.shape[0]} rows (shape {array.shape})."
        )
        raise ValueError(msg)


def check_class_codes(values: np.ndarray, num_classes: int, name: str) -> np.ndarray:
    """Return integer class labels as intp codes after checking each is in ``0 .. num_classes - 1``."""
    codes = values.reshape(-1)
    if codes.dtype.kind == "f" and not np.array_equal(codes, np.round(codes)):
        position = int(np.argmax(codes != np.round(codes)))
        msg = (
            f"`{name}` holds class labels that are not whole numbers, the first {codes[position]!r} at "
            f"position {position}; integer labels must be 0 .. num_classes - 1 = {num_classes - 1}."
        )
        raise ValueError(msg)
    outside = (codes < 0) | (codes >= num_classes)
    if outside.any():
        position = int(np.argmax(outside))
        msg = (
            f"`{name}` holds a label outside the classes: {codes[position].item()!r} at position {position}; "
            f"with num_classes={num_classes} labels must be 0 .. {num_classes - 1}."
        )
        raise ValueError(msg)
    return codes.astype(np.intp)


def check_callable(value: Any, name: str) -> Any:
    """Check ``value`` is None or callable."""
    if value is not None and not callable(value):
        msg = f"`{name}` must be None or a callable that takes one sample and returns it; got {_show(value)}."
        raise TypeError(msg)
    return value


def check_fraction(value: Any, name: str) -> float:
    """Return ``value`` as a float after checking it is a number strictly between 0 and 1."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        msg = f"`{name}` must be a number between 0 and 1; got {_show(value)}."
        raise TypeError(msg)
    if not 0 < float(value) < 1:
        msg = f"`{name}` must be strictly between 0 and 1; got {value!r}."
        raise ValueError(msg)
    return float(value)


def check_image_size(value: Any) -> tuple[int, int]:
    """Return ``image_size`` as ``(height, width)``; an int means a square."""
    if isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_)):
        side = check_positive_int(value, "image_size")
        return side, side
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        msg = f"`image_size` must be (height, width) or one int for a square; got {_show(value)}."
        raise TypeError(msg)
    return check_positive_int(value[0], "image_size[0]"), check_positive_int(value[1], "image_size[1]")


def check_seed(value: Any, name: str = "seed") -> int:
    """Return ``value`` as an int after checking it is an integer >= 0 (bools rejected)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        msg = f"`{name}` must be a non-negative integer; got {_show(value)}."
        raise TypeError(msg)
    if value < 0:
        msg = f"`{name}` must be a non-negative integer; got {value!r}."
        raise ValueError(msg)
    return int(value)


# --- torch tensors (mixupy.tensors; torch is imported inside each check) ---

REDUCTIONS = ("mean", "sum", "none")


def check_tensor_batch(x: Any, name: str = "x") -> Any:
    """Check ``x`` is a non-empty floating-point torch tensor with a batch dimension."""
    import torch

    if not isinstance(x, torch.Tensor):
        msg = f"`{name}` must be a torch.Tensor; got {type(x).__name__}. Hint: torch.as_tensor(array)."
        raise TypeError(msg)
    if not (x.is_floating_point()):
        msg = (
            f"`{name}` must have a floating dtype (float16, bfloat16, float32 or float64); got {x.dtype}. "
            f"Hint: convert it first, e.g. {name}.float() (mixing integers would truncate)."
        )
        raise TypeError(msg)
    if x.ndim == 0 or x.shape[0] == 0:
        msg = (
            f"`{name}` must be a batch with at least one sample along its first dimension; got shape {tuple(x.shape)}."
        )
        raise ValueError(msg)
    return x


def check_same_batch(y: Any, x: Any, name: str = "y") -> Any:
    """Check ``y`` is a tensor with as many samples as ``x``, on the same device."""
    import torch

    if not isinstance(y, torch.Tensor):
        msg = f"`{name}` must be a torch.Tensor; got {type(y).__name__}."
        raise TypeError(msg)
    if y.ndim == 0 or y.shape[0] != x.shape[0]:
        msg = (
            f"`{name}` must have one entry per sample of `x` ({x.shape[0]}) along its first dimension; "
            f"got shape {tuple(y.shape)}."
        )
        raise ValueError(msg)
    if y.device != x.device:
        msg = f"`{name}` is on device {y.device} but `x` is on {x.device}; move both to one device first."
        raise ValueError(msg)
    return y


def check_torch_random_state(random_state: Any, device: Any) -> Any:
    """Turn ``random_state`` into a ``torch.Generator`` on ``device``.

    None gives a generator seeded from operating-system entropy, an int seeds a
    new generator, a ``torch.Generator`` on the same kind of device is used (and
    advanced) as it is. The global torch random state is never read or changed.
    """
    import torch

    if isinstance(random_state, torch.Generator):
        gen_device = random_state.device
        if gen_device.type != device.type or (
            gen_device.index is not None and device.index is not None and gen_device.index != device.index
        ):
            msg = (
                f"`random_state` is a torch.Generator on {gen_device} but the tensors are on {device}; "
                f"create it with torch.Generator(device={str(device)!r})."
            )
            raise ValueError(msg)
        return random_state
    if random_state is None:
        generator = torch.Generator(device=device)
        generator.seed()
        return generator
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, (bool, np.bool_)):
        if random_state < 0:
            msg = f"`random_state` must be a non-negative integer seed; got {random_state!r}."
            raise ValueError(msg)
        return torch.Generator(device=device).manual_seed(int(random_state))
    hint = ""
    if isinstance(random_state, (np.random.Generator, np.random.RandomState)):
        hint = " A NumPy generator would draw on the host; pass an int seed or a torch.Generator instead."
    msg = f"`random_state` must be None, a non-negative int or a torch.Generator; got {_show(random_state)}.{hint}"
    raise TypeError(msg)


def check_num_classes(num_classes: Any) -> int | None:
    """None, or a positive number of classes."""
    if num_classes is None:
        return None
    return check_positive_int(num_classes, "num_classes")


def check_label_smoothing(value: Any) -> float:
    """A label-smoothing amount in [0, 1)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        msg = f"`label_smoothing` must be a number in [0, 1); got {_show(value)}."
        raise TypeError(msg)
    if not 0 <= float(value) < 1:
        msg = f"`label_smoothing` must be in [0, 1); got {value!r}. Hint: 0.1 is a common choice, 0 turns it off."
        raise ValueError(msg)
    return float(value)


def check_reduction(reduction: Any) -> str:
    """One of :data:`REDUCTIONS`."""
    return check_choice(reduction, "reduction", REDUCTIONS)


def check_device(device: Any) -> Any:
    """Turn ``device`` (a string such as "cpu" or "cuda:0", or a torch.device) into a usable torch.device."""
    import torch

    if isinstance(device, torch.device):
        result = device
    elif isinstance(device, str):
        try:
            result = torch.device(device)
        except RuntimeError as err:
            msg = f'`device` must name a torch device such as "cpu" or "cuda"; got {device!r} ({err}).'
            raise ValueError(msg) from None
    else:
        msg = f'`device` must be None, a string such as "cpu" or "cuda", or a torch.device; got {_show(device)}.'
        raise TypeError(msg)
    if result.type == "cuda":
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if count == 0 or (result.index is not None and result.index >= count):
            msg = f'`device` is {device!r} but this machine has {count} usable CUDA device(s). Hint: device="cpu".'
            raise ValueError(msg)
    return result


# --- time series ---

ALIGNMENTS = ("truncate", "intersect", "resample")
PLACEMENTS = ("after", "apart")


def check_optional_positive_int(value: Any, name: str) -> int | None:
    """None stays None; anything else must be an integer > 0."""
    return None if value is None else check_positive_int(value, name)


def check_column(data: pd.DataFrame, column: Any, name: str) -> None:
    """Check ``column`` names one column of ``data``."""
    if not isinstance(column, Hashable) or column not in data.columns:
        msg = f"`{name}` must name a column of `data`; got {_show(column)}. Columns are: {list(data.columns)}."
        raise ValueError(msg)


def check_column_list(data: pd.DataFrame, columns: Any, name: str) -> list[Hashable]:
    """A list of distinct existing column names (one name is read as a list of one)."""
    if isinstance(columns, Hashable) and (not isinstance(columns, tuple) or columns in data.columns):
        columns = [columns]
    names = list(columns)
    if len(set(names)) != len(names):
        msg = f"`{name}` names a column more than once: {names}."
        raise ValueError(msg)
    check_columns_exist(data, names, name)
    return names


def check_window(window: Any, step: Any) -> tuple[int | None, int | None]:
    """``window`` None or an integer >= 2; ``step`` only with a window, defaulting to it."""
    if window is None:
        if step is not None:
            msg = f"`step` only applies when `window` is given; got step={step!r} and window=None."
            raise ValueError(msg)
        return None, None
    window = check_positive_int(window, "window")
    if window < 2:
        msg = f"`window` must be at least 2 steps (a series of one step has no shape to mix); got {window}."
        raise ValueError(msg)
    return window, window if step is None else check_positive_int(step, "step")


def check_series_array(x: Any, name: str = "x") -> np.ndarray:
    """Check ``x`` is a finite numeric array of shape (series, steps) or (series, steps, channels)."""
    if not isinstance(x, np.ndarray):
        msg = f"`{name}` must be a NumPy array of shape (series, steps[, channels]); got {type(x).__name__}."
        raise TypeError(msg)
    if x.ndim not in (2, 3):
        msg = f"`{name}` must have 2 dimensions (series, steps) or 3 (series, steps, channels); got shape {x.shape}."
        raise ValueError(msg)
    if x.dtype.kind not in "biuf":
        msg = f"`{name}` must hold numbers (bool, int or float); got dtype {x.dtype}."
        raise TypeError(msg)
    if x.shape[0] == 0 or (x.ndim == 3 and x.shape[2] == 0):
        msg = f"`{name}` must hold at least one series and one channel; got shape {x.shape}."
        raise ValueError(msg)
    if x.shape[1] < 2:
        msg = (
            f"`{name}` series must have at least 2 steps; got {x.shape[1]} (shape {x.shape}). "
            "Hint: for rows that are not series use mixupy.mixup."
        )
        raise ValueError(msg)
    if x.dtype.kind == "f" and not np.isfinite(np.add.reduce(x, axis=None, dtype=np.float64)):
        bad = np.argwhere(~np.isfinite(x))
        msg = (
            f"`{name}` holds {len(bad)} missing or infinite value(s), the first at index {tuple(bad[0].tolist())}; "
            "mixup needs finite numbers. Hint: interpolate or drop them first."
        )
        raise ValueError(msg)
    return x


def time_key(series: pd.Series, name: str = "time_col") -> np.ndarray:
    """Sortable numbers for a time column: int64 for datetimes and timedeltas (UTC for aware ones), else float64."""
    dtype = series.dtype
    is_time = isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(dtype)
    if not (is_time or pd.api.types.is_timedelta64_dtype(dtype) or is_numeric_dtype(dtype)) or (
        pd.api.types.is_bool_dtype(dtype)
    ):
        msg = (
            f"`{name}` column {series.name!r} must be numeric, datetime or timedelta; got dtype {dtype}. "
            f"Hint: convert it first, e.g. df[{series.name!r}] = pd.to_datetime(df[{series.name!r}])."
        )
        raise TypeError(msg)
    if series.hasnans:
        _raise_missing(series, name)
    if is_time or pd.api.types.is_timedelta64_dtype(dtype):
        return np.asarray(series.array.asi8, dtype=np.int64)
    return column_values(series, name).astype(np.float64, copy=False)
