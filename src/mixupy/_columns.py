"""What each column of a table does in a mix: interpolated, interpolated in time, or carried from a source.

* **Numbers** (bool, integer, float, nullable or Arrow-backed) are interpolated by the column kernel.
* **Points in time** (``datetime64`` with or without a zone, ``timedelta64``) are interpolated as
  ``t_j + lam * (t_i - t_j)``, in whole units of the column, and keep their dtype and zone: on their
  integer counts, by a kernel of their own that costs what a float column does (see :func:`mix_times`).
* **Carried** columns are not mixed: each synthetic row takes the value of one of its two sources.
  Exact labels take the first (dominant) source; ``keep=`` columns take the source with the larger
  weight; ``categorical=`` columns take it too, or, with ``categorical_mode="random"``, the first source
  with probability ``lam`` and the second otherwise. Their dtype (a ``category``'s categories too) is kept.

:func:`column_roles` decides once per table, :func:`carried` and :func:`mix_times` apply a draw.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from mixupy._apply import mix_ticks
from mixupy._draw import Draw
from mixupy._options import MixOptions
from mixupy._validation import (
    ColumnNotFoundError,
    check_complete,
    check_numeric_columns,
    is_text_like,
    is_time_dtype,
)

__all__ = ["Roles", "carried", "carried_rows", "column_roles", "mix_times"]


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
    times: list[Hashable] = [c for c in rest if is_time_dtype(data[c].dtype)]  # NaT: found by mix_times
    return Roles(mixed=[c for c in rest if c not in set(times)], times=times, carried=carried, categorical=categorical)


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
