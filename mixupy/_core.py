"""The NumPy kernel: draw the pairs and weights of a mixup, then apply them.

A *draw* says, for each synthetic row ``r``, which two source rows it mixes and
with what weight::

    out[r] = lam[r] * x[first[r]] + (1 - lam[r]) * x[second[r]]

Every backend (pandas frames, arrays, torch tensors, Dask partitions) applies
the same :class:`Draw`, so given one draw they agree. Nothing here validates
user input: the public functions do that first.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

# Synthetic rows are drawn in chunks of this many, each chunk from its own child
# generator: the result depends on the seed alone, never on the number of threads.
DRAW_CHUNK = 1 << 16
# Below this many values of work, threads cost more than they save.
_PARALLEL_MIN_VALUES = 1 << 20


@lru_cache(maxsize=1)
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1), thread_name_prefix="mixupy")


def run_parallel(fn: Callable[[int], None], count: int, work: int) -> None:
    """Call ``fn(0) ... fn(count - 1)``, on up to two threads when ``work`` is large.

    The calls must write to disjoint outputs; NumPy releases the GIL in the loops
    used here, so two cores do twice the work.
    """
    if count > 1 and work >= _PARALLEL_MIN_VALUES and (os.cpu_count() or 1) > 1:
        list(_pool().map(fn, range(count)))
    else:
        for k in range(count):
            fn(k)


def float_dtype(dtype: object) -> np.dtype:
    """The dtype that a mix of ``dtype`` values comes out in, in every back-end.

    NumPy floating dtypes keep theirs (float16, float32, float64); integers,
    bools and pandas' nullable or Arrow dtypes become float64, because a mix of
    two integers is not an integer.
    """
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        return dtype
    return np.dtype(np.float64)


@dataclass(frozen=True)
class Draw:
    """Which rows each synthetic row mixes, and with what weight.

    Attributes
    ----------
    first, second : ndarray of intp, shape (size,)
        Positions of the two source rows. ``first`` is the row that gets weight
        ``lam``; under the label-preserving mode it is the dominant one.
    lam : ndarray of float64, shape (size,)
        Weight of ``first``, in [0, 1].
    tiles : int
        ``first[: tiles * n]`` is ``arange(n)`` repeated ``tiles`` times, which
        lets the appliers read those rows in place instead of gathering them.
    """

    first: np.ndarray
    second: np.ndarray
    lam: np.ndarray
    tiles: int = 0

    def __len__(self) -> int:
        return int(self.lam.shape[0])


def sample_lambda(alpha: float, size: int, rng: np.random.Generator, *, dominant: bool = False) -> np.ndarray:
    """Draw ``size`` weights from Beta(alpha, alpha).

    ``alpha == 0`` is the limit of Beta(alpha, alpha) as alpha goes to 0: each
    weight is 0 or 1 with equal chance, so every mix is a copy of one source.
    With ``dominant=True`` each weight becomes ``max(lam, 1 - lam)``.
    """
    if alpha == 0:
        lam = rng.integers(0, 2, size=size).astype(np.float64)
    else:
        lam = rng.beta(alpha, alpha, size=size)
        # For tiny alpha, Beta draws can underflow to 0/0; such a draw is a copy.
        bad = np.isnan(lam)
        if bad.any():
            lam[bad] = rng.integers(0, 2, size=int(bad.sum()))
    if dominant:
        np.maximum(lam, 1.0 - lam, out=lam)
    return lam


def draw_first(n: int, size: int, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    """First sources: every row once per full pass, then a random subset, in row order.

    Returns the positions and the number of full passes (``tiles``).
    """
    tiles, rest = divmod(size, n)
    parts = [np.arange(n, dtype=np.intp)] * tiles
    if rest:
        parts.append(np.sort(rng.choice(n, size=rest, replace=False)).astype(np.intp))
    return (parts[0] if len(parts) == 1 else np.concatenate(parts)), tiles


class Partners:
    """Draws a uniformly random partner for each first source.

    A row is never its own partner when another row can be chosen. With
    ``groups`` (integer codes, one per row) partners come from the same group;
    a row alone in its group is paired with itself, and :func:`draw_partners`
    then gives it weight 1, so the synthetic row is an exact copy.
    """

    def __init__(self, n: int, groups: np.ndarray | None = None) -> None:
        self.n = n
        self.groups = groups
        if groups is not None:
            self.order = np.argsort(groups, kind="stable").astype(np.intp)
            self.counts = np.bincount(groups)
            self.starts = np.concatenate(([0], np.cumsum(self.counts)[:-1])).astype(np.intp)
            self.rank = np.empty(n, dtype=np.intp)  # position of each row inside its group
            self.rank[self.order] = np.arange(n) - np.repeat(self.starts, self.counts)

    def sample(self, first: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        if self.groups is None:
            if self.n == 1:
                return first.copy()
            second = rng.integers(0, self.n - 1, size=first.shape[0], dtype=np.intp)
            second += second >= first  # skip the row itself: uniform over the other n - 1
            return second
        g = self.groups[first]
        size_g = self.counts[g]
        offset = rng.integers(1, np.maximum(size_g, 2))
        offset[size_g == 1] = 0
        return self.order[self.starts[g] + (self.rank[first] + offset) % size_g]


def draw(
    n: int,
    size: int,
    alpha: float,
    rng: np.random.Generator,
    *,
    groups: np.ndarray | None = None,
    dominant: bool = False,
    first: np.ndarray | None = None,
) -> Draw:
    """Draw a whole mixup: first sources, partners and weights.

    Parameters
    ----------
    n : int
        Number of source rows.
    size : int
        Number of synthetic rows (ignored when ``first`` is given).
    alpha : float
        Beta(alpha, alpha) parameter, >= 0.
    rng : numpy.random.Generator
        Advanced by a fixed amount; partners and weights come from child
        generators spawned from it, one per :data:`DRAW_CHUNK` rows.
    groups : ndarray of int, optional
        Class codes: partners are drawn within the same class.
    dominant : bool
        Fold each weight to ``max(lam, 1 - lam)`` so ``first`` dominates.
    first : ndarray of int, optional
        First sources chosen by the caller (for example minority rows only).
    """
    tiles = 0
    if first is None:
        first, tiles = draw_first(n, size, rng)
    return draw_partners(first, Partners(n, groups), alpha, rng, dominant=dominant, tiles=tiles)


def draw_partners(
    first: np.ndarray,
    partners: PartnerStrategy,
    alpha: float,
    rng: np.random.Generator,
    *,
    dominant: bool = False,
    tiles: int = 0,
) -> Draw:
    """Draw a partner and a weight for each given first source.

    The second half of :func:`draw`, for callers that choose both the first
    sources and the partner strategy (:class:`Partners` or
    :class:`NeighborPartners`). ``tiles`` is passed on to the :class:`Draw`.
    """
    size = first.shape[0]
    n_chunks = max(1, -(-size // DRAW_CHUNK))
    seeds = np.random.SeedSequence(rng.integers(0, 2**63, size=4)).spawn(n_chunks)
    second = np.empty(size, dtype=np.intp)
    lam = np.empty(size, dtype=np.float64)

    def work(k: int) -> None:
        chunk_rng = np.random.default_rng(seeds[k])
        rows = slice(k * DRAW_CHUNK, (k + 1) * DRAW_CHUNK)
        second[rows] = partners.sample(first[rows], chunk_rng)
        lam[rows] = sample_lambda(alpha, second[rows].shape[0], chunk_rng, dominant=dominant)
        # A row paired with itself gets weight 1, so the copy is exact (lam*x + (1-lam)*x may not be).
        lam[rows][second[rows] == first[rows]] = 1.0

    run_parallel(work, n_chunks, size * 8)
    return Draw(first=first, second=second, lam=lam, tiles=tiles)


# Rows per step of the column kernel: the step's temporaries (1 MiB each in float64)
# stay in the core's L2 cache while the gathered column stays in L3.
MIX_CHUNK = 1 << 17
# From this many columns on, each step's partner positions are sorted once and every
# column is gathered in address order (streaming, not random), then put back in row order.
SORTED_GATHER_MIN_COLUMNS = 4


@dataclass(frozen=True)
class _Step:
    """One step of the column kernel: rows ``start:stop`` and, optionally, their sorted partners."""

    start: int
    stop: int
    order: np.ndarray | None = None  # second[start:stop][order] is sorted
    sorted_second: np.ndarray | None = None


def _plan(d: Draw, sort: bool) -> list[_Step]:
    """The kernel's steps; with ``sort``, each step's partners sorted (once, for every column)."""
    steps = [_Step(start, min(len(d), start + MIX_CHUNK)) for start in range(0, len(d), MIX_CHUNK)]
    if not sort:
        return steps

    def work(k: int) -> None:
        step = steps[k]
        order = np.argsort(d.second[step.start : step.stop])
        steps[k] = _Step(step.start, step.stop, order, d.second[step.start : step.stop][order])

    run_parallel(work, len(steps), len(d) * 16)
    return steps


def _mix_column(
    column: np.ndarray,
    d: Draw,
    lam: np.ndarray,
    out: np.ndarray,
    steps: list[_Step],
    scratch: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> bool:
    """``out[:] = lam * column[first] + (1 - lam) * column[second]``, a step of rows at a time.

    ``scratch`` holds three buffers of at least :data:`MIX_CHUNK` values.
    First sources inside the draw's full passes (``tiles``) are read in place.
    With ``d.tiles >= 1`` (every row is a first source), returns False when the
    column is not all finite: its sum, taken while each chunk is in cache, is
    NaN or infinite. That checks the whole input at no extra pass over memory.
    (An overflowing sum of finite values also returns False: the caller then
    looks closer.) With ``d.tiles == 0`` the result says nothing.
    """
    if column.dtype != out.dtype:
        column = column.astype(out.dtype)
    tmp, mtmp, gathered = scratch
    n = column.shape[0]
    in_place = d.tiles * n
    check = column.dtype.kind == "f"
    total = 0.0
    for step in steps:
        start, stop = step.start, step.stop
        rows = slice(start, stop)
        o, t, m = out[rows], tmp[: stop - start], mtmp[: stop - start]
        offset = start % n
        if stop <= in_place and offset + (stop - start) <= n:  # rows offset.. of one full pass
            source = column[offset : offset + (stop - start)]
            np.multiply(source, lam[rows], out=o)
            if check and start < n:
                total += float(np.add.reduce(source, dtype=np.float64))
        else:
            np.take(column, d.first[rows], out=t, mode="clip")
            np.multiply(t, lam[rows], out=o)
            if check and start < min(n, in_place):  # a chunk that straddles the end of the first pass
                total += float(np.add.reduce(column[start : min(n, stop)], dtype=np.float64))
        if step.order is None or step.sorted_second is None:
            np.take(column, d.second[rows], out=t, mode="clip")
        else:  # gather in address order, then put each value back in its row
            g = gathered[: stop - start]
            np.take(column, step.sorted_second, out=g, mode="clip")
            t[step.order] = g
        np.subtract(1.0, d.lam[rows], out=m)  # the same (1 - lam) in float64, then cast, at any chunking
        t *= m
        o += t
    return bool(np.isfinite(total))


def mix_columns(
    columns: list[np.ndarray],
    d: Draw,
    dtype: np.dtype,
    *,
    keep_originals: bool = False,
    finite: list[bool] | None = None,
) -> np.ndarray:
    """Mix a list of equally long 1-D columns with one draw.

    Returns an array of shape ``(len(columns), rows)`` in ``dtype``, C-ordered,
    so that its transpose is a column-major table. With ``keep_originals`` the
    first ``n`` entries of each row are the source values, the mixed ones follow.
    Each column is finished before the next, so the column being gathered from
    stays in cache; two threads share the columns. When ``finite`` is a list, it
    receives, per column, whether the column was all finite (see :func:`_mix_column`).
    """
    n = columns[0].shape[0] if columns else 0
    offset = n if keep_originals else 0
    out = np.empty((len(columns), offset + len(d)), dtype=dtype)
    lam = d.lam.astype(dtype, copy=False)
    n_threads = 2
    steps = _plan(d, sort=len(columns) >= SORTED_GATHER_MIN_COLUMNS)
    size = min(len(d), MIX_CHUNK)
    flags = [True] * len(columns)

    def work(k: int) -> None:
        scratch = (np.empty(size, dtype=dtype), np.empty(size, dtype=dtype), np.empty(size, dtype=dtype))
        # NaN and infinity are reported through ``finite``, not as NumPy warnings; a sum of huge
        # finite values may overflow, which the caller's full check then clears. errstate is set
        # here, in the worker: it does not pass from the calling thread to the pool's threads.
        with np.errstate(invalid="ignore", over="ignore"):
            for j in range(k, len(columns), n_threads):
                if keep_originals:
                    out[j, :n] = columns[j]
                flags[j] = _mix_column(columns[j], d, lam, out[j, offset:], steps, scratch)

    run_parallel(work, min(n_threads, len(columns)), len(d) * len(columns))
    if finite is not None:
        finite[:] = flags
    return out


def mix_rows(x: np.ndarray, d: Draw) -> np.ndarray:
    """Mix the rows (first axis) of an array of any rank with one draw.

    Integer and bool arrays are mixed in float64; floating arrays keep their dtype.
    The gathers use ``mode="clip"`` (the draw's positions are valid by construction),
    which skips NumPy's buffered bounds check: several times faster per batch.
    """
    dtype = float_dtype(x.dtype)
    shape = (len(d),) + (1,) * (x.ndim - 1)
    lam = d.lam.astype(dtype, copy=False).reshape(shape)
    out = np.take(x, d.first, axis=0, mode="clip").astype(dtype, copy=False)
    out *= lam
    other = np.take(x, d.second, axis=0, mode="clip").astype(dtype, copy=False)
    other *= (1.0 - d.lam).astype(dtype, copy=False).reshape(shape)
    out += other
    return out


def mix_codes(codes: np.ndarray, n_classes: int, d: Draw, dtype: type = np.float64) -> np.ndarray:
    """Mixed one-hot labels, shape ``(len(d), n_classes)``, from integer class codes."""
    out: np.ndarray = np.zeros((len(d), n_classes), dtype=dtype)
    rows = np.arange(len(d))
    out[rows, codes[d.first]] = d.lam
    out[rows, codes[d.second]] += 1.0 - d.lam  # each row appears once, so += is safe
    return out


# --- partner strategies: the k nearest rows of the same class (used by mixupy.sampler) ---


class PartnerStrategy(Protocol):
    """Anything that draws one partner position per first source."""

    def sample(self, first: np.ndarray, rng: np.random.Generator) -> np.ndarray: ...


class NeighborPartners:
    """Draws each partner uniformly from the ``k`` nearest rows of the same group.

    ``x`` is a 2-D array or a scipy sparse matrix (each group's rows are made
    dense to build its tree).

    Euclidean distances, found with :class:`scipy.spatial.cKDTree`, one tree per
    group; a row is never its own neighbour (with exact duplicates, a duplicate
    may be). Neighbours are found only for rows of the groups listed in ``only``
    (all groups when None); only those rows may be drawn as first sources. Each
    of those groups must have more than ``k`` rows: callers check this first.
    """

    def __init__(self, x: Any, groups: np.ndarray, k: int, *, only: np.ndarray | None = None) -> None:
        import scipy.sparse
        from scipy.spatial import cKDTree

        self.k = k
        self.table = np.full((x.shape[0], k), -1, dtype=np.intp)
        wanted = np.unique(groups) if only is None else np.asarray(only)
        for g in wanted:
            rows = np.flatnonzero(groups == g)
            points = x[rows].toarray() if scipy.sparse.issparse(x) else x[rows]
            _, found = cKDTree(points).query(points, k=k + 1, workers=min(2, os.cpu_count() or 1))
            own = found == np.arange(rows.shape[0])[:, None]
            own[~own.any(axis=1), -1] = True  # self not among them (duplicates): drop the farthest
            self.table[rows] = rows[found[~own].reshape(rows.shape[0], k)]

    def sample(self, first: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return self.table[first, rng.integers(0, self.k, size=first.shape[0])]
