"""Checks of scalar parameters, shared by every public function: numbers, flags, choices."""

from __future__ import annotations

import numbers
import os
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

LABEL_MODES = ("mix", "dominant")


REDUCTIONS = ("mean", "sum", "none")


# How often a batch transform draws lambda: once per batch, per pair of samples, per sample (timm's names).
MIX_MODES = ("batch", "pair", "elem")


# The largest float64: an alpha at most this (and not NaN) is finite.
_LARGEST_FLOAT = float(np.finfo(np.float64).max)


class PicklableError:
    """For errors whose ``__init__`` takes more than their message: unpickled (a Dask process worker, joblib or a
    multiprocessing pool sends an error back pickled) from their message and attributes, where Python's default
    calls ``__init__`` with the message alone and fails with a TypeError of missing arguments."""

    args: tuple[Any, ...]

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuilt, (type(self), self.args, dict(vars(self))))


def _rebuilt(cls: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]) -> BaseException:
    error = cls.__new__(cls, *args)
    error.args = args
    vars(error).update(state)
    return error


class ColumnNotFoundError(ValueError):
    """A parameter names a column that the data does not have (a ValueError, so callers catch it as one)."""


class OptionConflictError(ValueError):
    """Two parameters give one column two roles, or ``drop`` leaves no column (a ValueError; on the command line
    a usage error, exit 2)."""


def _show(value: Any) -> str:
    """A short description of a value for an error message."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} (type {type(value).__name__})"


def finite_sum(values: np.ndarray) -> bool:
    """True when the float64 sum of ``values`` is finite, which proves every value finite.

    This is the one finiteness test of the package: one pass, no temporary. A
    sum that is not finite means NaN, infinity, or merely an overflow of huge
    finite values: the caller then looks closer, value by value.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        return bool(np.isfinite(np.add.reduce(values, axis=None, dtype=np.float64)))


class TooLargeError(ValueError):
    """A request whose result cannot fit in this machine's memory (a ValueError, raised before allocating).

    ``needed`` and ``available`` say it in words, for callers that phrase the message in their own terms.
    """

    def __init__(self, message: str, needed: str = "", available: str = "") -> None:
        super().__init__(message)
        self.needed = needed
        self.available = available


def physical_memory() -> int:
    """Bytes of physical memory of this machine (a large number where the system does not say)."""
    try:
        return int(os.sysconf("SC_PHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):
        return 1 << 50


def _bytes(count: int) -> str:
    for unit, size in (("TB", 1 << 40), ("GB", 1 << 30), ("MB", 1 << 20)):
        if count >= size:
            return f"{count / size:,.1f} {unit}"
    return f"{count:,} bytes"


def check_fits_in_memory(n_bytes: int, what: str, hint: str = "") -> None:
    """Raise :class:`TooLargeError` when a result of ``n_bytes`` cannot fit in memory, before anything is allocated.

    ``what`` says what was asked for, in the caller's terms (``"batch_size=10**12 synthetic rows of 20 columns"``).
    """
    available = physical_memory()
    if n_bytes > available:
        msg = f"{what} would need about {_bytes(n_bytes)} of memory; this machine has {_bytes(available)}."
        if hint:
            msg += f" Hint: {hint}"
        raise TooLargeError(msg, _bytes(n_bytes), _bytes(available))


def _number(value: Any, name: str, kind: type, expected: str) -> None:
    """Raise TypeError unless ``value`` is a number of ``kind`` (``numbers.Real`` or ``Integral``), not a bool."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, kind):
        msg = f"`{name}` must be {expected}; got {_show(value)}."
        raise TypeError(msg)


def check_alpha(alpha: Any, name: str = "alpha") -> float:
    """Return ``alpha`` (or the Beta parameter called ``name``) as a float after checking it is a finite number >= 0."""
    if (type(alpha) is float or type(alpha) is int) and 0 <= alpha <= _LARGEST_FLOAT:  # the common call, at once
        return float(alpha)  # (NaN fails the comparison, an int beyond the largest float too)
    _number(alpha, name, numbers.Real, "a real number >= 0 (an int or float)")
    try:
        value = float(alpha)
    except OverflowError:  # an int too large for a float
        value = float("inf")
    if not np.isfinite(value) or value < 0:
        msg = (
            f"`{name}` must be a finite number >= 0; got {_show(alpha)}. "
            "Hint: alpha=0 means no interpolation, small values (0.1-0.4) mix gently, "
            "large values mix towards the midpoint."
        )
        raise ValueError(msg)
    return value


def check_positive_int(value: Any, name: str) -> int:
    """Return ``value`` as an int after checking it is an integer > 0 (bools rejected)."""
    _number(value, name, numbers.Integral, "a positive integer")
    if value <= 0:
        msg = f"`{name}` must be a positive integer (> 0); got {value!r}."
        raise ValueError(msg)
    return int(value)


def check_optional_positive_int(value: Any, name: str) -> int | None:
    """None stays None; anything else must be an integer > 0."""
    return None if value is None else check_positive_int(value, name)


def check_batch_size(batch_size: Any, n_rows: int) -> int:
    """Return the number of synthetic rows: ``n_rows`` when ``batch_size`` is None."""
    if batch_size is None:
        return n_rows
    return check_positive_int(batch_size, "batch_size")


def check_bool(value: Any, name: str) -> bool:
    """Return ``value`` as a bool after checking it is True or False."""
    if value is True or value is False:
        return value
    if not isinstance(value, (bool, np.bool_)):
        msg = f"`{name}` must be True or False; got {_show(value)}."
        raise TypeError(msg)
    return bool(value)


def check_choice(value: Any, name: str, choices: Sequence[Any], *, allow_none: bool = False) -> Any:
    """Check ``value`` is one of ``choices`` (or None where ``allow_none``)."""
    if type(value) is str and value in choices:  # the common call: no abstract-class test
        return value
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


def check_reduction(reduction: Any) -> str:
    """One of :data:`REDUCTIONS`."""
    return check_choice(reduction, "reduction", REDUCTIONS)


def check_callable(value: Any, name: str) -> Any:
    """Check ``value`` is None or callable."""
    if value is not None and not callable(value):
        msg = f"`{name}` must be None or a callable that takes one sample and returns it; got {_show(value)}."
        raise TypeError(msg)
    return value


def check_fraction(value: Any, name: str) -> float:
    """Return ``value`` as a float after checking it is a number strictly between 0 and 1."""
    _number(value, name, numbers.Real, "a number between 0 and 1")
    if not 0 < float(value) < 1:
        msg = f"`{name}` must be strictly between 0 and 1; got {value!r}."
        raise ValueError(msg)
    return float(value)


def check_seed(value: Any, name: str = "seed") -> int:
    """Return ``value`` as an int after checking it is an integer >= 0 (bools rejected)."""
    _number(value, name, numbers.Integral, "a non-negative integer")
    if value < 0:
        msg = f"`{name}` must be a non-negative integer; got {value!r}."
        raise ValueError(msg)
    return int(value)


def check_num_classes(num_classes: Any) -> int | None:
    """None, or a positive number of classes."""
    if num_classes is None:
        return None
    return check_positive_int(num_classes, "num_classes")


def check_label_smoothing(value: Any) -> float:
    """A label-smoothing amount in [0, 1)."""
    _number(value, "label_smoothing", numbers.Real, "a number in [0, 1)")
    if not 0 <= float(value) < 1:
        msg = f"`label_smoothing` must be in [0, 1); got {value!r}. Hint: 0.1 is a common choice, 0 turns it off."
        raise ValueError(msg)
    return float(value)


def check_probability(value: Any, name: str) -> float:
    """A probability: a real number in [0, 1]."""
    _number(value, name, numbers.Real, "a probability, a number in [0, 1]")
    if not 0 <= float(value) <= 1:
        msg = f"`{name}` must be a probability in [0, 1]; got {value!r}."
        raise ValueError(msg)
    return float(value)


def check_date_format(date_format: Any, dates: Sequence[Hashable]) -> str | None:
    """``date_format``: None, or a :meth:`datetime.strftime` format (with at least one ``%`` directive, each one
    that strptime reads) for the columns that ``dates`` names, which must name some."""
    if date_format is None:
        return None
    if not isinstance(date_format, str):
        msg = "`date_format` must be a string such as '%d/%m/%Y', how the `dates` columns are written; got "
        msg += f"{date_format!r}."
        raise TypeError(msg)
    from mixupy._defaults import date_format_fault

    if (fault := date_format_fault(date_format)) is not None:
        raise ValueError(f"`date_format` {fault}.")
    if not dates:
        msg = "`date_format` says how the `dates` columns are written, and `dates` names none: name them in `dates`."
        raise OptionConflictError(msg)
    return date_format
