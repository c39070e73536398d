"""What each column of a table does in a mix: interpolated, interpolated in time, or carried from a source.

* **Numbers** (bool, integer, float, nullable or Arrow-backed) are interpolated by the column kernel.
* **Points in time** (``datetime64`` with or without a zone, ``timedelta64``) are interpolated as
  ``t_j + lam * (t_i - t_j)``, in whole units of the column, and keep their dtype and zone.
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

from mixupy._apply import float_dtype
from mixupy._draw import Draw
from mixupy._labels import expanded_columns, label_names, names_class_column
from mixupy._options import MixOptions
from mixupy._validation import (
    ColumnNotFoundError,
    check_columns_exist,
    check_complete,
    check_numeric_columns,
    check_target_columns,
    is_text_like,
    is_time_dtype,
)

__all__ = [
    "Roles",
    "carried",
    "carried_rows",
    "column_roles",
    "mix_times",
    "planned_result",
    "time_offsets",
    "times_from_offsets",
]


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
    if options.categorical == "auto":
        taken = set(label_columns) | set(keep)
        categorical: list[Hashable] = [c for c in data.columns if c not in taken and is_text_like(data[c].dtype)]
    else:
        categorical = _existing(data, options.categorical, "categorical")
    named: dict[str, list[Hashable]] = {"labels": label_columns, "keep": keep, "categorical": categorical}
    for first, second in (("labels", "keep"), ("labels", "categorical"), ("keep", "categorical")):
        both = [c for c in named[first] if c in named[second]]
        if both:
            msg = f"columns {both} are named by both `{first}` and `{second}`; give each column one role."
            raise ValueError(msg)
    carried: dict[Hashable, str] = {}
    if carry_labels:
        carried.update(dict.fromkeys(label_columns, "first"))
    carried.update(dict.fromkeys(keep, "dominant"))
    carried.update(dict.fromkeys(categorical, options.categorical_mode))
    # the rest, in the frame's order; one-hot labels in "mix" mode are mixed as numbers
    rest: list[Hashable] = [c for c in data.columns if c not in carried]
    check_numeric_columns(data, rest, times=True)
    times: list[Hashable] = [c for c in rest if is_time_dtype(data[c].dtype)]  # NaT: found by time_offsets
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
    check_numeric_columns(meta, columns, "labels")
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
    frame.columns = pd.Index(list(columns), tupleize_cols=False)
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


def mix_times(series: pd.Series, d: Draw, *, concat: bool) -> Any:
    """A datetime or timedelta column mixed as points in time, in whole units of the column, dtype and zone kept.

    ``t = t_j + round(lam * (t_i - t_j))`` on the integer counts of the column's unit: ``lam`` 1 and 0 give
    ``t_i`` and ``t_j`` exactly, and the result lies between them. The gap is exact in int64 whenever the
    column spans less than 2**63 units (292 years of nanoseconds); past 2**53 units its float product is
    rounded, and the result is then clipped back between its sources.
    """
    ticks = np.asarray(series.array.asi8, dtype=np.int64)  # UTC counts for zoned datetimes
    if (ticks == np.iinfo(np.int64).min).any():  # NaT is stored as the smallest int64
        check_complete(series.to_frame(), [series.name])
    span = int(ticks.max()) - int(ticks.min()) if len(ticks) else 0
    a, b = ticks.take(d.first), ticks.take(d.second)
    # counts too far apart for an int64 difference are subtracted in float
    gap = np.subtract(a, b).astype(np.float64) if span < 2**63 else a.astype(np.float64) - b.astype(np.float64)
    gap *= d.lam
    np.rint(gap, out=gap)
    out = gap.astype(np.int64)
    out += b
    if span >= 2**53:  # the float gap was rounded: keep each result between its sources, exact at lam 0 and 1
        np.clip(out, np.minimum(a, b), np.maximum(a, b), out=out)
        out = np.where(d.lam == 1.0, a, np.where(d.lam == 0.0, b, out))
    if concat:
        out = np.concatenate([ticks, out])
    return _from_ticks(out, series.dtype)


def time_offsets(series: pd.Series) -> tuple[np.ndarray, int]:
    """A time column as offsets from its first value (float64), and that value, for the column kernel to mix.

    The kernel reads each column's extremes as it mixes; when the offsets stay below 2**50 units (13 days of
    nanoseconds, 35 years of microseconds), its float mix is within a quarter unit of the exact one, and
    :func:`times_from_offsets` rounds it to whole units: the result then lies within one unit of
    ``t_j + lam * (t_i - t_j)``, between its sources, exact at ``lam`` 0 and 1. Wider spans, and NaT, are
    mixed again by :func:`mix_times`, in exact integer arithmetic.
    """
    ticks = np.asarray(series.array.asi8, dtype=np.int64)
    start = int(ticks[0]) if len(ticks) else 0
    offsets = np.empty(len(ticks))  # float64: the kernel's fastest loops; exact below 2**53
    with np.errstate(over="ignore"):  # NaT or far-apart times may wrap: their offsets are then too large to use
        np.subtract(ticks, start, out=offsets, casting="unsafe")
    return offsets, start


def times_from_offsets(mixed: np.ndarray, start: int, dtype: Any) -> Any:
    """Mixed offsets (from :func:`time_offsets`) back to the time column's dtype, rounded to whole units."""
    ticks = mixed.view(np.int64)  # in place: the kernel's own output, not the caller's
    np.rint(mixed, out=ticks, casting="unsafe")
    ticks += start
    return _from_ticks(ticks, dtype)


def _from_ticks(ticks: np.ndarray, dtype: Any) -> Any:
    """Integer counts back in a datetime or timedelta dtype, with its unit and zone."""
    if isinstance(dtype, pd.DatetimeTZDtype):  # the counts are UTC: made UTC, then shown in the column's zone
        return pd.array(ticks.view(f"M8[{dtype.unit}]"), dtype=pd.DatetimeTZDtype(dtype.unit, "UTC")).tz_convert(
            dtype.tz
        )
    return pd.array(ticks.view(dtype))
