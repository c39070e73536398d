"""What each column of a table does in a mix: interpolated, interpolated in time, or carried from a source.

* **Numbers** (bool, integer, float, nullable or Arrow-backed) are interpolated by the column kernel.
* **Points in time** (``datetime64`` with or without a zone, ``timedelta64``) are interpolated as
  ``t_j + lam * (t_i - t_j)``, in whole units of the column, and keep their dtype and zone: on their
  integer counts, by a kernel of their own that costs what a float column does (see :func:`mix_times`).
* **Carried** columns are not mixed: each synthetic row takes the value of one of its two sources.
  Exact labels take the first (dominant) source; ``keep=`` columns take the source with the larger
  weight; ``categorical=`` columns take it too, or, with ``categorical_mode="random"``, the first source
  with probability ``lam`` and the second otherwise. Their dtype (a ``category``'s categories too) is kept.

:func:`column_roles` decides once per table, :func:`carried` and :func:`mix_times` apply a draw;
:func:`planned_result` says, from the dtypes alone, what columns a mix returns (a Dask frame, a polars
``LazyFrame``).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from mixupy._apply import float_dtype, mix_ticks
from mixupy._draw import Draw
from mixupy._labels import column_index, expanded_columns, label_names, names_class_column
from mixupy._options import MixOptions
from mixupy._validation import (
    ColumnNotFoundError,
    OptionConflictError,
    check_columns_exist,
    check_complete,
    check_numeric_columns,
    check_one_hot_columns,
    check_target_columns,
    column_dtypes,
    holds_numbers,
    is_text_like,
    is_time_dtype,
)

__all__ = ["Roles", "carried", "carried_rows", "column_roles", "mix_times", "planned_result"]


@dataclass(frozen=True)
class Roles:
    """The role of every column of a table: see the module docstring."""

    mixed: list[Hashable] = field(default_factory=list)
    times: list[Hashable] = field(default_factory=list)
    carried: dict[Hashable, str] = field(default_factory=dict)  # column -> "first", "dominant" or "random"
    categorical: list[Hashable] = field(default_factory=list)  # the categorical columns ("auto" resolved)

    @property
    def random(self) -> bool:
        """True when a categorical column draws its source with probability ``lam``."""
        return "random" in self.carried.values()


def column_roles(
    data: pd.DataFrame, options: MixOptions, label_columns: Sequence[Hashable], *, carry_labels: bool
) -> Roles:
    """Give each column of ``data`` its role; every column that has none and is not a number is an error.

    ``label_columns`` are the columns ``labels`` names; ``carry_labels`` says they are carried (exact
    labels, or a class column made into probability columns) rather than mixed (one-hot columns).
    Raises :class:`mixupy._validation.NonNumericColumnsError` listing all such columns at once,
    and ValueError for a column named in two roles or not in ``data``.
    """
    label_columns = list(label_columns)
    keep = _existing(data, options.keep, "keep")
    dtypes = column_dtypes(data)  # once: data[c].dtype would build a Series per column
    if options.categorical == "auto":
        taken = set(label_columns) | set(keep)
        # numbers kept as objects (Decimal) are not categories: they are refused below, with the way to mix them
        categorical: list[Hashable] = [
            c for c in dtypes if c not in taken and is_text_like(dtypes[c]) and not holds_numbers(data[c])
        ]
    else:
        categorical = _existing(data, options.categorical, "categorical")
    named: dict[str, list[Hashable]] = {"labels": label_columns, "keep": keep, "categorical": categorical}
    for first, second in (("labels", "keep"), ("labels", "categorical"), ("keep", "categorical")):
        both = [c for c in named[first] if c in named[second]]
        if both:
            msg = f"columns {both} are named by both `{first}` and `{second}`; give each column one role."
            raise OptionConflictError(msg)
    carried: dict[Hashable, str] = {}
    if carry_labels:
        carried.update(dict.fromkeys(label_columns, "first"))
    carried.update(dict.fromkeys(keep, "dominant"))
    carried.update(dict.fromkeys(categorical, options.categorical_mode))
    # the rest, in the frame's order; one-hot labels in "mix" mode are mixed as numbers
    rest: list[Hashable] = [c for c in dtypes if c not in carried]
    check_numeric_columns(data, rest, times=True, dtypes=dtypes)
    times: list[Hashable] = [c for c in rest if is_time_dtype(dtypes[c])]  # NaT: found by mix_times
    return Roles(mixed=[c for c in rest if c not in set(times)], times=times, carried=carried, categorical=categorical)


def planned_result(
    meta: pd.DataFrame, options: MixOptions, labels: Any, *, unknown_classes: str
) -> tuple[Roles, list[Any] | None, pd.DataFrame]:
    """What :func:`mixupy.mixup` does with a table of the empty frame ``meta``'s columns, known without its rows:
    the roles, the classes of a class column that becomes probability columns (None otherwise), and the empty
    frame it would return. ``unknown_classes`` ends the message for a class column whose categories ``meta``
    does not hold (why they must be known, and how to make them so).
    """
    label_columns = label_names(labels, meta.columns)
    check_target_columns(meta, options.target, label_columns)
    classes, kept = _meta_labels(meta, labels, exact=options.exact, unknown_classes=unknown_classes)
    roles = column_roles(meta, options, label_columns, carry_labels=bool(kept))
    return roles, classes, _empty_result(meta, labels, roles, classes)


def _meta_labels(
    meta: pd.DataFrame, labels: Any, *, exact: bool, unknown_classes: str
) -> tuple[list[Any] | None, list[Hashable]]:
    """Check ``labels`` against the empty frame ``meta``.

    Returns the classes of a class column that becomes probability columns
    (None otherwise) and the columns kept as they are.
    """
    if labels is None:
        return None, []
    if names_class_column(labels, meta.columns):
        check_columns_exist(meta, [labels], "labels")
        if exact:
            return None, [labels]
        dtype = meta[labels].dtype
        if not isinstance(dtype, pd.CategoricalDtype) or "__UNKNOWN_CATEGORIES__" in dtype.categories:  # Dask's
            msg = (
                f"`labels` column {labels!r} ({dtype}) must be categorical with known categories for "
                f'label_mode="mix": each category becomes a column, and {unknown_classes}'
            )
            raise ValueError(msg)
        return list(dtype.categories), [labels]
    columns = list(labels)
    check_columns_exist(meta, columns, "labels")
    check_one_hot_columns(meta, columns)
    return None, columns if exact else []


def _empty_result(meta: pd.DataFrame, labels: Any, roles: Roles, classes: list[Any] | None) -> pd.DataFrame:
    """The empty frame ``mixup`` would return: carried and time columns keep their dtype, the class column
    becomes one float64 column per class, every other column float32/float16 as it is, else float64."""
    names = list(meta.columns) if classes is None else expanded_columns(meta.columns, labels, classes)
    columns: dict[Hashable, Any] = {}
    for name in names:
        if name not in meta.columns:  # a probability column made from the class column
            columns[name] = np.empty(0, dtype=np.float64)
        elif name in roles.carried or name in roles.times:
            columns[name] = meta[name].array
        else:
            columns[name] = np.empty(0, dtype=float_dtype(meta[name].dtype))
    frame = pd.DataFrame(columns, index=pd.RangeIndex(0))
    frame.columns = column_index(list(columns), meta.columns)
    return frame


def _existing(data: pd.DataFrame, names: Any, parameter: str) -> list[Hashable]:
    found = list(names)
    missing = [c for c in found if c not in data.columns]
    if missing:
        msg = f"`{parameter}` names columns that are not in `data`: {missing}. Columns are: {list(data.columns)}."
        raise ColumnNotFoundError(msg)
    return found


def carried_rows(d: Draw, pick: np.ndarray | None, n: int, *, concat: bool) -> dict[str, np.ndarray]:
    """For each way of carrying, the source row of every output row (the originals first when ``concat``).

    Computed once per table, then every carried column is one ``take``.
    """
    sources = {"first": d.first, "dominant": d.dominant()}
    sources["random"] = np.where(pick, d.first, d.second) if pick is not None else sources["dominant"]
    if concat:
        originals = np.arange(n, dtype=np.intp)
        sources = {how: np.concatenate([originals, rows]) for how, rows in sources.items()}
    return sources


def carried(series: pd.Series, rows: np.ndarray) -> Any:
    """The values of a carried column at ``rows`` (from :func:`carried_rows`), in the column's own dtype."""
    values = series.array
    if isinstance(values, pd.Categorical):  # the codes, taken as numbers; the categories kept as they are
        return pd.Categorical.from_codes(values.codes.take(rows), dtype=values.dtype, validate=False)
    return values.take(rows)


def mix_times(data: pd.DataFrame, names: Sequence[Hashable], d: Draw, *, concat: bool) -> dict[Hashable, Any]:
    """The datetime and timedelta columns ``names`` of ``data`` mixed as points in time, dtype, unit and zone kept.

    ``t = t_j + round(lam * (t_i - t_j))`` on the integer counts of each column's unit (UTC counts for a zone),
    by the time kernel (:func:`mixupy._apply.mix_ticks`), which writes whole units directly, a cache-sized step
    at a time, and so costs about what a float column does. When the column spans less than 2**53 units (285 years
    of microseconds, 104 days of nanoseconds) the gap is exact, the result is within one unit of
    ``t_j + lam * (t_i - t_j)`` (the product rounded once, then to whole units) and lies between its sources;
    ``lam`` 1 and 0 give ``t_i`` and ``t_j`` exactly.
    A wider column (up to the whole range of its dtype) has its float gap rounded: its results are within one
    unit plus 2**-51 of its span, still between their sources and exact at ``lam`` 0 and 1 (see
    :func:`mixupy._apply.mix_ticks`). A column holding NaT is refused, naming it.
    """
    arrays = [data[name].array for name in names]
    extremes: list[tuple[int, int]] = []
    mixed = mix_ticks([np.asarray(a.asi8, dtype=np.int64) for a in arrays], d, keep_originals=concat, extremes=extremes)
    missing = [name for name, (low, _) in zip(names, extremes, strict=True) if low == np.iinfo(np.int64).min]
    if missing:  # NaT is stored as the smallest int64
        check_complete(data, missing)
    return {name: _from_ticks(row, a.dtype) for name, a, row in zip(names, arrays, mixed, strict=True)}


def _from_ticks(ticks: np.ndarray, dtype: Any) -> Any:
    """Integer counts back in a datetime or timedelta dtype, with its unit and zone, as views: no copy."""
    if isinstance(dtype, pd.DatetimeTZDtype):  # the counts are UTC, as a zoned array holds them
        return pd.array(ticks.view(f"M8[{dtype.unit}]"), copy=False).view(dtype)
    return pd.array(ticks.view(dtype), copy=False)
