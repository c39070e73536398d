"""The NumPy appliers: a :class:`mixupy._draw.Draw` applied to columns, rows, class codes and units.

Table columns: ``a - (1 - lam) * (a - b)`` for ``a, b = x[first], x[second]``, so that each value lies between
its sources, equal sources give that value and a weight of 1 a copy (:func:`mix_columns`; the torch column
applier, :mod:`mixupy._apply_torch`, the same bit for bit). Arrays (:func:`mix_rows`: batches, labels,
series): ``lam * a + (1 - lam) * b``, two products, or a table's rows (samplers, lagged values) as columns.

CutMix is applied by :func:`region_mask`, the same code for NumPy arrays and
torch tensors: where the mask holds, a sample takes its partner's value.

Nothing here checks user input. The column kernel reports, as a by-product of
the pass that pulls each column into cache, whether the column's sum was
finite; deciding what that means (and naming the bad value) is the caller's.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

import numpy as np

from mixupy._draw import Box, Columns, Draw
from mixupy._parallel import run_parallel, thread_count

__all__ = [
    "BLOCK_MAX_VALUES",
    "MIX_CHUNK",
    "TICK_CHUNK",
    "column_bounds",
    "float_dtype",
    "mix_block",
    "mix_codes",
    "mix_columns",
    "mix_rows",
    "mix_ticks",
    "mix_units",
    "region_mask",
]

# Values per piece of work when whole units (series, windows) are mixed on several threads.
_UNIT_CHUNK_VALUES = 1 << 21


def float_dtype(dtype: object) -> np.dtype:
    """The dtype that a mix of ``dtype`` values comes out in, in every back-end.

    NumPy floating dtypes keep theirs (float16, float32, float64); integers,
    bools and pandas' nullable or Arrow dtypes become float64, because a mix of
    two integers is not an integer.
    """
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        return dtype
    return np.dtype(np.float64)


# Up to this many values (synthetic rows times columns), a block of one dtype is mixed by :func:`mix_block`
# in whole-array steps; above it, the column kernel's cache-sized steps and threads win.
BLOCK_MAX_VALUES = 1 << 16

# Rows per step of the column kernel: a step's temporaries (1 MiB each in float64)
# stay in the core's caches while the column being gathered from stays in L3.
MIX_CHUNK = 1 << 17


# ``1 - eps`` of each float dtype (``np.finfo`` costs microseconds a call, a small frame's whole arithmetic)
_BELOW_ONE = MappingProxyType({np.dtype(t): 1.0 - float(np.finfo(t).eps) for t in (np.float16, np.float32, np.float64)})


def _toward(a: Any, b: Any, rest: Any, scratch: np.ndarray, out: np.ndarray, *, halves: bool = False) -> None:
    """``out = a - rest * (a - b)``, each step rounded once in out's dtype (see :func:`mix_columns`); with ``halves``
    on ``a / 2`` and ``b / 2``, then doubled (exact but for subnormals: no gap passes the largest float). The step
    lands in ``scratch``, which may be ``b``; ``a`` may be ``out``."""
    if halves:
        a, b = np.multiply(a, 0.5, out=out), np.multiply(b, 0.5, out=scratch)
    np.subtract(a, b, out=scratch, dtype=scratch.dtype)  # integers cast first, never subtracted as integers
    scratch *= rest
    np.subtract(a, scratch, out=out)
    if halves:
        out *= 2


def tail_rows(rest: np.ndarray) -> np.ndarray:
    """The rows whose ``1 - lam`` is within a unit of 1: they take the second source (see :func:`mix_columns`)."""
    return (rest > (_BELOW_ONE.get(rest.dtype) or 1.0 - float(np.finfo(rest.dtype).eps))).nonzero()[0]


def _mix_column(
    column: np.ndarray,
    d: Draw,
    weights: tuple[np.ndarray, np.ndarray],
    out: np.ndarray,
    rows: slice,
    buffers: dict[Any, np.ndarray],
    *,
    wide: bool = False,
) -> None:
    """``out[r] = a - (1 - lam[r]) * (a - b)``, ``a, b = column[first[r]], column[second[r]]``, for ``r`` in
    ``rows`` (on halves of the sources, doubled, for a ``wide`` column): see :func:`mix_columns`. ``weights``:
    ``1 - lam`` in out's dtype and its :func:`tail_rows`. ``buffers``: the caller's scratch of ``min(len(d),
    MIX_CHUNK)`` values, ``"scratch"`` in out's dtype, others added here. Other dtypes (integers, bools) are cast
    a step at a time, never copied whole; first sources inside the draw's full passes are read in place.
    """
    rest, tail = weights
    n = column.shape[0]
    in_place = d.tiles * n
    scratch = buffers["scratch"]  # the gap; second sources land apart, in ``gathered`` (the column's dtype)
    if column.dtype not in buffers:
        buffers[column.dtype] = np.empty_like(scratch, dtype=column.dtype)
    gathered = buffers[column.dtype]
    if column.dtype != out.dtype and "casts" not in buffers:
        buffers["casts"] = np.empty_like(scratch)
    casts = buffers.get("casts", scratch)
    for start in range(rows.start, rows.stop, MIX_CHUNK):
        stop = min(rows.stop, start + MIX_CHUNK)
        step = slice(start, stop)
        o, t, b = out[step], scratch[: stop - start], gathered[: stop - start]
        offset = start % n
        if stop <= in_place and offset + (stop - start) <= n:  # rows offset.. of one full pass
            a = column[offset : offset + (stop - start)]
        else:  # into the output itself where the dtypes agree, else a step's temporary
            a = np.take(column, d.first[step], out=o if column.dtype == out.dtype else None, mode="clip")
        np.take(column, d.second[step], out=b, mode="clip")
        if column.dtype != out.dtype:  # integers and bools: each source cast once, then float arithmetic
            o[...], cast = a, casts[: stop - start]
            cast[...] = b
            a, b = o, cast
        _toward(a, b, rest[step], t, o, halves=wide)
        low, high = np.searchsorted(tail, (start, stop))
        if high > low:  # weights next to 0: the second source
            at = tail[low:high] - start
            o[at] = b[at]


def mix_columns(
    columns: list[np.ndarray],
    d: Draw,
    dtype: np.dtype,
    *,
    keep_originals: bool = False,
    finite: list[bool] | None = None,
    extremes: list[tuple[float, float]] | None = None,
    bounds: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Mix a list of equally long 1-D columns with one draw.

    Returns an array of shape ``(len(columns), rows)`` in ``dtype``, C-ordered,
    so that its transpose is a column-major table. With ``keep_originals`` the
    first ``n`` entries of each row are the source values, the mixed ones follow.

    Columns are mixed one after another. The threads share each column, each
    taking a range of its synthetic rows, so one column at a time is gathered from
    and it stays in the shared cache. (Sorting the partners so that they are
    gathered in address order was measured too: the sort costs more than it
    saves, even for columns larger than the cache.)

    **Each value** is ``a - (1 - lam) * (a - b)`` for the first source ``a``
    (weight ``lam``) and the second ``b``, each step rounded once in ``dtype``:
    between its sources, ``a`` itself at ``lam`` 1, the value itself for equal
    sources. The rounded step has the gap's sign and is shorter than the gap
    when ``1 - lam <= 1 - eps`` (two roundings of half a unit cannot make up
    ``eps``), and rounding cannot pass either end; the rows of a larger
    ``1 - lam`` (:func:`tail_rows`) take ``b``. The two products ``lam * a +
    (1 - lam) * b``, the same passes, end a unit outside for some pairs (2009
    and 2009 gave 2009.0000000000002 for about 6% of them).

    Before mixing its share of a column, each thread reads the smallest and the
    largest value of its share of the rows (of the first pass, when every row
    is a first source). That read is what puts the column in cache for the
    random gathers that follow, and it answers two questions for free: when
    ``finite`` is a list it receives, per column, whether every value was
    finite (NaN and infinity reach the extremes); and whether a column holds
    values beyond half the largest float, whose gaps may overflow: it is mixed
    again on halves of its sources (exact but for subnormals), then doubled.

    ``bounds``, each column's smallest and largest value over all its rows as
    :func:`column_bounds` reads them, says that read was done already (a block
    mixed in pieces, a range of its draw at a time): the kernel then does not
    read the originals again, and decides by these which columns are wide.
    """
    n = columns[0].shape[0] if columns else 0
    offset = n if keep_originals else 0
    if len(d) == 0:  # nothing to mix: the originals alone, or no values
        if finite is not None:
            finite[:] = [bool(np.isfinite(c).all()) if c.dtype.kind == "f" else True for c in columns]
        if extremes is not None:
            extremes[:] = [(float(c.min()), float(c.max())) if c.size else (0.0, 0.0) for c in columns]
        return np.array([c[:offset] for c in columns], dtype=dtype).reshape(len(columns), offset)
    # A column whose arithmetic with ``dtype`` would run in a wider type (float64 or int64
    # into float32) is cast first, so each value is rounded to ``dtype`` before it is mixed.
    columns = [c if np.result_type(c.dtype, dtype) == dtype else c.astype(dtype) for c in columns]
    out = np.empty((len(columns), offset + len(d)), dtype=dtype)
    # The weight 1 - lam in the output's dtype, each thread filling its share: taken in float64, then
    # cast, so every path gives the same numbers.
    rest = np.empty(len(d), dtype=dtype)
    # Each thread's share: a range of synthetic rows (whole steps) and a range of originals.
    n_steps = -(-len(d) // MIX_CHUNK)
    n_threads = min(thread_count(), n_steps)
    cuts = [min(len(d), (k * n_steps // n_threads) * MIX_CHUNK) for k in range(n_threads + 1)]
    shares = [slice(cuts[k], cuts[k + 1]) for k in range(n_threads)]
    edges = [0] + [min(n, cut) for cut in cuts[1:-1]] + [n]  # the originals: all n of them, shared alike
    originals = [slice(edges[k], edges[k + 1]) for k in range(n_threads)]
    lows, highs = np.zeros((n_threads, len(columns))), np.zeros((n_threads, len(columns)))
    tails: list[np.ndarray] = [np.empty(0, dtype=np.intp)] * n_threads
    largest = float(np.finfo(dtype).max) if dtype.kind == "f" else np.inf
    known = frozenset() if bounds is None else frozenset(np.flatnonzero(_wide(*bounds, largest)).tolist())

    def work(k: int, again: frozenset[int] | None = None) -> None:
        rows = shares[k]
        if again is None:  # the first round: the weights of this share
            np.subtract(1.0, d.lam[rows], out=rest[rows])
            tails[k] = tail_rows(rest[rows]) + rows.start
        weights = (rest, tails[k])
        buffers: dict[Any, np.ndarray] = {"scratch": np.empty(min(len(d), MIX_CHUNK), dtype=dtype)}  # every column
        # NaN and infinity are reported through ``finite``, not as NumPy warnings. errstate is set
        # here, in the worker: it does not pass from the calling thread to the pool's threads.
        with np.errstate(invalid="ignore", over="ignore"):
            for j in sorted(again or ()):  # the second round: only the columns found wide in the first
                _mix_column(columns[j], d, weights, out[j, offset:], rows, buffers, wide=True)
            for j, column in enumerate(columns if again is None else ()):
                own = column[originals[k]]
                if own.size and bounds is None:
                    lows[k, j], highs[k, j] = np.minimum.reduce(own), np.maximum.reduce(own)
                if keep_originals:
                    out[j, originals[k]] = own
                _mix_column(column, d, weights, out[j, offset:], rows, buffers, wide=j in known)

    run_parallel(work, n_threads, len(d) * len(columns))
    low, high = (lows.min(axis=0), highs.max(axis=0)) if bounds is None else bounds
    again = frozenset(np.flatnonzero(_wide(low, high, largest)).tolist()) - known
    if again:
        run_parallel(functools.partial(work, again=again), n_threads, len(d) * len(again))
    return _finish(out, low, high, finite, extremes)


def _wide(low: np.ndarray, high: np.ndarray, largest: float) -> np.ndarray:
    """Per column: finite values beyond half the ``largest`` float, whose gaps may overflow (mixed on halves)."""
    spread = np.maximum(-low, high)
    return np.isfinite(spread) & (spread > largest / 2)


def column_bounds(columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Each column's smallest and largest value, in float64 (NaN where the column holds one), on the machine's
    threads: the read :func:`mix_columns` makes as it mixes, made once ahead for a block mixed in pieces (its
    ``bounds``). A column of no rows gives 0 and 0, as there."""
    low, high = np.zeros(len(columns)), np.zeros(len(columns))
    threads = max(1, min(thread_count(), len(columns)))

    def work(k: int) -> None:
        with np.errstate(invalid="ignore"):  # NaN propagates, with no warning
            for j in range(k, len(columns), threads):
                if columns[j].size:
                    low[j], high[j] = np.minimum.reduce(columns[j]), np.maximum.reduce(columns[j])

    run_parallel(work, threads, sum(c.size for c in columns))
    return low, high


def _finish(
    out: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    finite: list[bool] | None,
    extremes: list[tuple[float, float]] | None,
) -> np.ndarray:
    """Report each column's finiteness and extremes (``low``, ``high``: float64, one per row of ``out``)."""
    if finite is not None:  # NaN and infinity reach the extremes
        finite[:] = np.isfinite(np.maximum(-low, high)).tolist()
    if extremes is not None:  # each column's smallest and largest value, read on the way
        extremes[:] = list(zip(low.tolist(), high.tolist(), strict=True))
    return out


def mix_block(
    block: np.ndarray,
    d: Draw,
    dtype: np.dtype,
    *,
    keep_originals: bool = False,
    finite: list[bool] | None = None,
    extremes: list[tuple[float, float]] | None = None,
) -> np.ndarray:
    """:func:`mix_columns` of the rows of one 2-D array (each row a column of a table), the same numbers bit for
    bit, in whole-array steps on the calling thread.

    For small work (a table of a few thousand values mixed per batch), where :func:`mix_columns`' loop over
    columns and steps would cost more than the arithmetic: the same operations, each rounded once, a handful
    of NumPy calls in all. ``block`` is ``(columns, rows)`` in one dtype.
    """
    n_columns, n = block.shape
    cast = block.dtype != dtype and np.result_type(block.dtype, dtype) != dtype
    # Values finite and within half the largest float: no gap passes it, the fast path. Otherwise (NaN, infinity,
    # a wide column), with nothing to mix or a cast first: the kernel, whose error state and reports cover it.
    if len(d) == 0 or cast or not _moderate(block):
        return mix_columns(list(block), d, dtype, keep_originals=keep_originals, finite=finite, extremes=extremes)
    offset = n if keep_originals else 0
    out = np.empty((n_columns, offset + len(d)), dtype=dtype)
    rest = np.subtract(1.0, d.lam, out=np.empty(len(d), dtype=dtype))  # in float64, then cast, as the kernel does
    _mix_block_into(block, d, rest, out, offset, keep_originals=keep_originals)
    if finite is not None:  # every value finite, none near an overflow
        finite[:] = [True] * n_columns
    if extremes is not None:
        low = np.minimum.reduce(block, axis=1).astype(np.float64, copy=False)
        high = np.maximum.reduce(block, axis=1).astype(np.float64, copy=False)
        extremes[:] = list(zip(low.tolist(), high.tolist(), strict=True))
    return out


# Up to this many values, :func:`_moderate` takes a BLAS dot product, which BLAS libraries compute on the calling
# thread at this size (OpenBLAS shares one among its threads from 10,000 values on, and waking them costs more
# than the sum); above it, the block's extremes.
_DOT_MAX_VALUES = 1 << 12


def _moderate(block: np.ndarray) -> bool:
    """True when every value of ``block`` is finite and at most half the largest float of its dtype in magnitude,
    proven cheaply (NaN and infinity fail; a False may also mean only that the caller must look closer).

    Up to :data:`_DOT_MAX_VALUES` values: the sum of their squares is finite, which bounds each value by the
    square root of the largest float, far below half of it (a float16 square overflows from 256 on). One dot
    product, no temporary for a contiguous block; ``numpy.vdot``, unlike ``numpy.dot``, does not read the
    floating-point status, so a sum that overflows raises no warning whatever NumPy's error state
    (``tests/test_fast_paths.py`` checks that it stays so). Larger blocks: the smallest and largest value,
    two reductions that NaN propagates through with no warning. Integers and bools always are moderate.
    """
    if block.dtype.kind != "f":
        return True
    if block.size <= _DOT_MAX_VALUES:
        return bool(np.vdot(block, block) < np.inf)
    half = float(np.finfo(block.dtype).max) / 2
    return bool(-half <= np.minimum.reduce(block, axis=None) and np.maximum.reduce(block, axis=None) <= half)


def _mix_block_into(
    block: np.ndarray, d: Draw, rest: np.ndarray, out: np.ndarray, offset: int, *, keep_originals: bool
) -> None:
    """``out[:, offset:] = a - rest * (a - b)`` for ``a, b = block[:, first], block[:, second]``, the originals
    before it when ``keep_originals``: the arithmetic of :func:`mix_block`, with ``rest`` ``1 - lam`` in out's
    dtype, and the :func:`tail_rows` taking ``b``."""
    n = block.shape[1]
    if keep_originals:
        out[:, :n] = block
    mixed = out[:, offset:]
    a = block if d.tiles == 1 and len(d) == n else block.take(d.first, axis=1, mode="clip")  # in order: in place
    b = block.take(d.second, axis=1, mode="clip")
    _toward(a, b, rest, np.empty_like(mixed), mixed)
    tail = tail_rows(rest)
    if tail.size:
        mixed[:, tail] = b[:, tail]


# Rows per step of the time kernel, fewer than the float kernel's, so that its casts between int64 and float64
# run on steps that stay near the core (2**15 measured faster than 2**14 once; against 2**16 and 2**17 the
# order changed from run to run, within the machine's noise: docs/benchmarks.md).
TICK_CHUNK = 1 << 15
# Counts this far apart or more have gaps that float64 rounds; from the next one, gaps overflow int64.
_EXACT_GAP, _INT64_GAP = 1 << 53, 1 << 63
# Above this weight, the rounded product of a gap of 2**53 units or more may reach past the gap: see mix_ticks.
_NEAR_ONE = 1.0 - 2.0**-50


def _mix_ticks(column: np.ndarray, d: Draw, out: np.ndarray, rows: slice, buffers: tuple[np.ndarray, ...]) -> None:
    """``out[r] = b + rint(lam[r] * (a - b))`` for ``r`` in ``rows``, ``a, b = column[first[r]], column[second[r]]``.

    int64 counts in and out, a step at a time: the gap is taken in int64 and scaled in float64 in a scratch
    buffer, rounded, and written to the output's own step. ``buffers`` are the caller's scratch of
    ``min(len(d), TICK_CHUNK)`` values, int64 and float64. First sources inside the draw's full passes are
    read in place. See :func:`mix_ticks` for what the result is worth.
    """
    n = column.shape[0]
    in_place = d.tiles * n
    gathered, scaled = buffers
    for start in range(rows.start, rows.stop, TICK_CHUNK):
        stop = min(rows.stop, start + TICK_CHUNK)
        step, size, offset = slice(start, stop), stop - start, start % n
        b, f, o = gathered[:size], scaled[:size], out[step]
        np.take(column, d.second[step], out=b, mode="clip")
        if stop <= in_place and offset + size <= n:  # rows offset.. of one full pass
            a = column[offset : offset + size]
        else:
            a = np.take(column, d.first[step], out=o, mode="clip")
        np.subtract(a, b, out=f, casting="unsafe")  # the gap in int64, then in float64: exact below 2**53
        f *= d.lam[step]  # rounded once
        np.rint(f, out=o, casting="unsafe")  # rounded to whole units and cast back to int64 in one pass
        o += b


def _from_midpoint(a: np.ndarray, b: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """``b + lam * (a - b)`` in whole units, for int64 counts ``a`` and ``b`` as far apart as int64 allows.

    From the midpoint: ``floor((a + b) / 2)`` is exact in int64, and the rest, ``(lam - 1/2) * (a - b)`` plus
    the midpoint's half unit, is at most half the gap, so no sum overflows. The float gap is rounded, so the
    result is clipped between its sources, and ``lam`` 0 and 1 give ``b`` and ``a`` exactly.
    """
    middle = (a >> 1) + (b >> 1) + (a & b & 1)
    gap = a.astype(np.float64) - b.astype(np.float64)
    rest = np.rint((lam - 0.5) * gap + 0.5 * ((a ^ b) & 1))
    np.clip(rest, -(2.0**63 - 2.0**10), 2.0**63 - 2.0**10, out=rest)  # within int64, exactly
    offset = np.clip(rest.astype(np.int64), np.minimum(a, b) - middle, np.maximum(a, b) - middle)
    return np.where(lam == 1.0, a, np.where(lam == 0.0, b, middle + offset))


def mix_ticks(
    columns: list[np.ndarray], d: Draw, *, keep_originals: bool = False, extremes: list[tuple[int, int]] | None = None
) -> np.ndarray:
    """Mix equally long int64 columns of counts (points in time, in units of their column) with one draw.

    Returns int64 of shape ``(len(columns), rows)``, C-ordered, the originals first with ``keep_originals``:
    ``b + rint(lam * (a - b))``, for sources ``a`` (first) and ``b``, written directly by :func:`_mix_ticks`.

    * Counts less than 2**53 apart: the gap is exact in float64, so the result (its product rounded once,
      then to whole units) is within one unit of ``b + lam * (a - b)``, lies between its sources, and is
      ``a`` at ``lam`` 1 and ``b`` at 0.
    * From 2**53 to 2**63: the float gap is rounded (by less than 2**-53 of it), and so is the result; with
      ``lam`` up to ``1 - 2**-50`` its product still cannot reach past the gap, so it lies between its
      sources. The rows of larger ``lam`` (rare but for ``alpha`` near 0) are mixed again by
      :func:`_from_midpoint`, which also gives ``a`` exactly at 1.
    * Wider (the gap overflows int64): the whole column is mixed again by :func:`_from_midpoint`.

    A column holding the smallest int64, which stands for a missing time (NaT), is not mixed again: the
    caller refuses it. As :func:`mix_columns` does, each thread first reads the smallest and largest count of
    its share of the column, which pulls the column into cache; ``extremes`` receives them, per column.
    """
    n = columns[0].shape[0] if columns else 0
    offset = n if keep_originals else 0
    out = np.empty((len(columns), offset + len(d)), dtype=np.int64)
    # threads share the rows as the float kernel's do, in whole MIX_CHUNK steps: one thread below them
    n_steps = -(-len(d) // MIX_CHUNK)
    threads = max(1, min(thread_count(), n_steps))
    cuts = [min(len(d), k * n_steps // threads * MIX_CHUNK) for k in range(threads + 1)]
    low, high = np.iinfo(np.int64).min, np.iinfo(np.int64).max
    found = np.tile(np.array([high, low], dtype=np.int64), (threads, len(columns), 1))

    def work(k: int, again: frozenset[int] = frozenset()) -> None:
        rows, own = slice(cuts[k], cuts[k + 1]), slice(k * n // threads, (k + 1) * n // threads)
        size = min(len(d), TICK_CHUNK)
        buffers = (np.empty(size, dtype=np.int64), np.empty(size))
        with np.errstate(over="ignore", invalid="ignore"):  # the wraps of wider columns: mixed again below
            for j, column in enumerate(columns):
                if again:  # the second round: the columns whose gaps overflow int64, from the midpoint
                    for start in range(rows.start, rows.stop, TICK_CHUNK) if j in again else ():
                        step = slice(start, min(rows.stop, start + TICK_CHUNK))
                        a, b = column.take(d.first[step]), column.take(d.second[step])
                        out[j, offset + step.start : offset + step.stop] = _from_midpoint(a, b, d.lam[step])
                    continue
                mine = column[own]
                if mine.size:
                    found[k, j] = np.minimum.reduce(mine), np.maximum.reduce(mine)
                if keep_originals:
                    out[j, own] = mine
                _mix_ticks(column, d, out[j, offset:], rows, buffers)

    run_parallel(work, threads, len(d) * len(columns))
    bounds = [(int(a), int(b)) for a, b in zip(found[:, :, 0].min(axis=0), found[:, :, 1].max(axis=0), strict=True)]
    spans = [b - a if a != low else 0 for a, b in bounds]  # NaT: left to the caller
    again = frozenset(j for j, span in enumerate(spans) if span >= _INT64_GAP)
    if again and len(d):
        run_parallel(functools.partial(work, again=again), threads, len(d) * len(again))
    near_one = np.flatnonzero(d.lam > _NEAR_ONE) if any(_EXACT_GAP <= s < _INT64_GAP for s in spans) else None
    for j, span in enumerate(spans):
        if near_one is not None and near_one.size and _EXACT_GAP <= span < _INT64_GAP:
            a, b = columns[j].take(d.first[near_one]), columns[j].take(d.second[near_one])
            out[j, offset + near_one] = _from_midpoint(a, b, d.lam[near_one])
    if extremes is not None:
        extremes[:] = bounds
    return out


def mix_rows(x: np.ndarray, d: Draw, *, between: bool = False) -> np.ndarray:
    """Mix the rows (first axis) of an array of any rank with one draw.

    Integer and bool arrays are mixed in float64; floating arrays keep their dtype.
    The gathers use ``mode="clip"`` (the draw's positions are valid by construction),
    which skips NumPy's buffered bounds check: several times faster per batch.

    ``lam * a + (1 - lam) * b``, two products (batches, labels, series); with ``between`` (a table's rows: the
    samplers, lagged values) :func:`mix_columns`' numbers, bit for bit, between their sources.
    """
    dtype = float_dtype(x.dtype)
    shape = (len(d),) + (1,) * (x.ndim - 1)
    rest = (1.0 - d.lam).astype(dtype, copy=False)
    out = np.take(x, d.first, axis=0, mode="clip").astype(dtype, copy=False)
    other = np.take(x, d.second, axis=0, mode="clip").astype(dtype, copy=False)
    if between:  # values beyond half the largest float: on halves (mix_columns)
        _toward(out, other, rest.reshape(shape), other, out, halves=not _moderate(x))
        tail = tail_rows(rest)
        if tail.size:  # weights next to 0: the second source
            out[tail] = x[d.second[tail]]
        return out
    out *= d.lam.astype(dtype, copy=False).reshape(shape)
    other *= rest.reshape(shape)
    out += other
    return out


def mix_codes(codes: np.ndarray, n_classes: int, d: Draw, dtype: type = np.float64) -> np.ndarray:
    """Mixed one-hot labels, shape ``(len(d), n_classes)``, from integer class codes."""
    out: np.ndarray = np.zeros((len(d), n_classes), dtype=dtype)
    rows = np.arange(len(d))
    out[rows, codes[d.first]] = d.lam
    out[rows, codes[d.second]] += 1.0 - d.lam  # each row appears once, so += is safe
    return out


def mix_units(units: np.ndarray, d: Draw) -> np.ndarray:
    """Mix whole units (series or windows, the first axis) with one draw, a range of rows per thread."""
    per_unit = max(1, int(np.prod(units.shape[1:])))
    out = np.empty((len(d), *units.shape[1:]), dtype=float_dtype(units.dtype))
    rows = max(1, _UNIT_CHUNK_VALUES // per_unit)

    def work(k: int) -> None:
        part = slice(k * rows, (k + 1) * rows)
        out[part] = mix_rows(units, d.take(part))

    run_parallel(work, -(-len(d) // rows), len(d) * per_unit)
    return out


def region_mask(
    region: Box | Columns, shape: tuple[int, ...], axes: tuple[int, ...], arange: Callable[[int], Any]
) -> Any:
    """Where each sample of a batch of ``shape`` takes its partner's value, as a boolean array or tensor.

    A :class:`mixupy._draw.Columns` region is its own mask, ``(rows, columns)``. A :class:`mixupy._draw.Box`
    covers the batch's ``axes`` (``(2, 3)`` for ``(n, c, h, w)``, ``(1, 2)`` for ``(n, h, w, c)``); the
    mask has ``rows`` along the first axis (1 for one box per batch), the sizes of the boxed axes, and 1
    elsewhere, so it broadcasts against the batch. ``arange`` makes positions: :func:`numpy.arange`, or
    ``torch.arange`` on the batch's device, for which the mask is built there without reading a value.
    """
    if isinstance(region, Columns):
        return region.taken
    rows = region.lam.shape[0]
    mask = None
    for k, axis in enumerate(axes):
        positions = arange(shape[axis])
        inside = (positions >= region.low[k][:, None]) & (positions < region.high[k][:, None])
        view = [rows] + [1] * (len(shape) - 1)
        view[axis] = shape[axis]
        inside = inside.reshape(tuple(view))
        mask = inside if mask is None else mask & inside
    return mask
