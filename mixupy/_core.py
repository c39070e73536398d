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


def sample_lambda(
    alpha: float, size: int, rng: np.random.Generator, *, dominant: bool = False, out: np.ndarray | None = None
) -> np.ndarray:
    """Draw ``size`` weights from Beta(alpha, alpha), into ``out`` when given (float64).

    ``alpha == 0`` is the limit of Beta(alpha, alpha) as alpha goes to 0: each
    weight is 0 or 1 with equal chance, so every mix is a copy of one source.
    Beta(1, 1) is the uniform law. For ``1 < alpha <= BB_MAX_ALPHA`` the weights
    come from :func:`beta_symmetric`, else from ``rng.beta``. With
    ``dominant=True`` each weight becomes ``max(lam, 1 - lam)``.
    """
    if out is not None and out.shape != (size,):
        msg = f"out has shape {out.shape}, expected ({size},)"
        raise ValueError(msg)
    if alpha == 0:
        lam = rng.integers(0, 2, size=size).astype(np.float64)
    elif alpha == 1:
        lam = rng.random(out=np.empty(size) if out is None else out)
    elif 1 < alpha <= BB_MAX_ALPHA:
        lam = beta_symmetric(alpha, size, rng, out=out)
    else:
        lam = rng.beta(alpha, alpha, size=size)
        # For tiny alpha, Beta draws can underflow to 0/0; such a draw is a copy.
        bad = np.isnan(lam)
        if bad.any():
            lam[bad] = rng.integers(0, 2, size=int(bad.sum()))
    if out is not None and lam is not out:
        out[:] = lam
        lam = out
    if dominant:
        np.maximum(lam, 1.0 - lam, out=lam)
    return lam


# Above this alpha, a + R - W in beta_symmetric loses too many digits to cancellation
# (its error grows like alpha * 2**-52); Generator.beta takes over.
BB_MAX_ALPHA = 1e6
# Cheng's algorithm BB accepts more than 88.6% of its candidates for every a == b > 1.
_BB_ACCEPTANCE = 0.88
# Candidates per batch (a draw chunk of DRAW_CHUNK rows needs one): the temporaries stay in cache.
_BB_BATCH = 1 << 17
_LOG4 = float(np.log(4.0))


def beta_symmetric(a: float, size: int, rng: np.random.Generator, *, out: np.ndarray | None = None) -> np.ndarray:
    """``size`` draws from Beta(a, a) for ``a > 1``: Cheng's algorithm BB.

    ``out``, when given, is a float64 array of shape ``(size,)`` that receives them.

    R. C. H. Cheng (1978), "Generating beta variates with nonintegral shape
    parameters", Communications of the ACM 21(4), 317-322. Each candidate costs
    two uniforms, two logarithms and one exponential, all vectorised; NumPy's
    ``Generator.beta`` draws two gamma variates per value instead. Candidates
    are made in batches of at most :data:`_BB_BATCH` (their temporaries then
    stay in cache), each batch sized for the worst acceptance rate, and accepted
    ones are kept in order until there are ``size``: the result depends on
    ``rng`` alone.
    """
    beta = 1.0 / np.sqrt(a)  # sqrt((a + b - 2) / (2ab - a - b)) with b == a
    gamma = a + np.sqrt(a)  # a + 1 / beta
    if out is None:
        out = np.empty(size)
    # One workspace for every batch: fresh temporaries this large would each be mapped
    # and page-faulted anew by the allocator, which costs as much as the arithmetic.
    m = min(_BB_BATCH, int(size / _BB_ACCEPTANCE) + 32)
    work = np.empty((4, m))
    accept = np.empty(m, dtype=bool)
    filled = 0
    with np.errstate(divide="ignore"):  # log(0) = -inf when u2 == 0: the candidate is then accepted
        while filled < size:
            m = min(m, int((size - filled) / _BB_ACCEPTANCE) + 32)
            u1, u2, v, w = work[:, :m]
            ok = accept[:m]
            rng.random(out=u1)
            u1 += 2.0**-54  # away from 0; from 0.5 on the sum may round up to 1, so also away from 1:
            np.minimum(u1, 1.0 - 2.0**-53, out=u1)  # now in (0, 1), and the logit below is finite
            rng.random(out=u2)
            np.subtract(1.0, u1, out=v)
            np.divide(u1, v, out=v)
            np.log(v, out=v)
            v *= beta  # V = beta * logit(U1)
            np.exp(v, out=w)
            w *= a  # W = a * exp(V)
            t = np.multiply(u1, u1, out=u1)
            t *= u2
            np.log(t, out=t)  # T = log(U1^2 U2)
            r = np.multiply(v, gamma, out=v)
            r -= _LOG4  # R = gamma * V - log 4
            s = np.add(r, a, out=u2)
            s -= w  # S = a + R - W
            np.greater_equal(s, t, out=ok)  # implies Cheng's squeeze S + 1 + log 5 >= 5 Z: not needed
            rest = np.flatnonzero(~ok)
            ok[rest] = r[rest] + 2 * a * np.log(2 * a / (a + w[rest])) >= t[rest]
            kept = np.flatnonzero(ok)[: size - filled]
            x = out[filled : filled + kept.shape[0]]
            np.take(w, kept, out=x)
            np.add(x, a, out=v[: x.shape[0]])
            x /= v[: x.shape[0]]  # X = W / (a + W)
            filled += x.shape[0]
    return out


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
        sample_lambda(alpha, second[rows].shape[0], chunk_rng, dominant=dominant, out=lam[rows])
        # A row paired with itself gets weight 1, so the copy is exact (lam*x + (1-lam)*x may not be).
        lam[rows][second[rows] == first[rows]] = 1.0

    run_parallel(work, n_chunks, size * 8)
    return Draw(first=first, second=second, lam=lam, tiles=tiles)


# Rows per step of the column kernel: a step's temporaries (1 MiB each in float64)
# stay in the core's caches while the column being gathered from stays in L3.
MIX_CHUNK = 1 << 17


def _mix_column(
    column: np.ndarray,
    d: Draw,
    weights: tuple[np.ndarray, np.ndarray],
    out: np.ndarray,
    rows: slice,
    buffers: dict[np.dtype, np.ndarray],
) -> float:
    """``out[r] = lam[r] * column[first[r]] + (1 - lam[r]) * column[second[r]]`` for ``r`` in ``rows``.

    ``weights`` is ``(lam, 1 - lam)`` in the dtype of ``out``. ``buffers`` maps
    dtypes to the caller's scratch buffers of ``min(len(d), MIX_CHUNK)`` values;
    it must hold one of the output's dtype, and one of the column's is added.
    Columns of a narrower dtype (integers and bools into float64) are cast by
    the arithmetic, a step at a time, never copied whole. First sources inside
    the draw's full passes (``tiles``) are read in place.

    Returns the float64 sum of ``column`` over ``rows`` that lie in the first
    pass. Reading those values once up front is what puts the column in cache
    for the random gathers that follow; the sum is a check for free: when
    ``d.tiles >= 1``, the calls for a column cover the first pass once, and the
    column is all finite when the total of their sums is (an overflowing sum of
    finite values reads as not finite: the caller then looks closer).
    """
    lam, rest = weights
    n = column.shape[0]
    in_place = d.tiles * n
    total = 0.0
    if rows.start < min(n, rows.stop):
        total = float(np.add.reduce(column[rows.start : min(n, rows.stop)], dtype=np.float64))
    # Gathers land in ``gathered``, in the column's dtype; then the arithmetic casts them.
    scratch = buffers[out.dtype]
    if column.dtype not in buffers:
        buffers[column.dtype] = np.empty_like(scratch, dtype=column.dtype)
    gathered = buffers[column.dtype]
    for start in range(rows.start, rows.stop, MIX_CHUNK):
        stop = min(rows.stop, start + MIX_CHUNK)
        step = slice(start, stop)
        o, t, g = out[step], scratch[: stop - start], gathered[: stop - start]
        offset = start % n
        if stop <= in_place and offset + (stop - start) <= n:  # rows offset.. of one full pass
            np.multiply(column[offset : offset + (stop - start)], lam[step], out=o)
        else:
            np.take(column, d.first[step], out=g, mode="clip")
            np.multiply(g, lam[step], out=o)
        np.take(column, d.second[step], out=g, mode="clip")
        np.multiply(g, rest[step], out=t)
        o += t
    return total


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

    Columns are mixed one after another. Two threads share each column, each
    taking half of its synthetic rows, so one column at a time is gathered from
    and it stays in the shared cache. (Sorting the partners so that they are
    gathered in address order was measured too: the sort costs more than it
    saves, even for columns larger than the cache.) When ``finite`` is a list
    and ``d.tiles >= 1``, it receives, per column, whether the column was all
    finite (see :func:`_mix_column`); otherwise its entries say nothing.
    """
    n = columns[0].shape[0] if columns else 0
    offset = n if keep_originals else 0
    if len(d) == 0:  # nothing to mix: the originals alone, or no values
        if finite is not None:
            finite[:] = [True] * len(columns)  # says nothing, as for any draw with tiles == 0
        return np.array([c[:offset] for c in columns], dtype=dtype).reshape(len(columns), offset)
    # A column whose arithmetic with ``dtype`` would run in a wider type (float64 or int64
    # into float32) is cast first, so each value is rounded to ``dtype`` before it is mixed.
    columns = [c if np.result_type(c.dtype, dtype) == dtype else c.astype(dtype) for c in columns]
    out = np.empty((len(columns), offset + len(d)), dtype=dtype)
    # The weights in the output's dtype, each thread filling its share; (1 - lam) is taken in
    # float64, then cast, so every path gives the same numbers.
    lam = d.lam if d.lam.dtype == dtype else np.empty(len(d), dtype=dtype)
    rest = np.empty(len(d), dtype=dtype)
    # Each thread's share: a range of synthetic rows (whole steps) and a range of originals.
    n_steps = -(-len(d) // MIX_CHUNK)
    n_threads = min(2, n_steps)
    cuts = [min(len(d), (k * n_steps // n_threads) * MIX_CHUNK) for k in range(n_threads + 1)]
    shares = [slice(cuts[k], cuts[k + 1]) for k in range(n_threads)]
    edges = [0] + [min(n, cut) for cut in cuts[1:-1]] + [n]  # the originals: all n of them, shared alike
    originals = [slice(edges[k], edges[k + 1]) for k in range(n_threads)]
    totals = np.zeros((n_threads, len(columns)))

    def work(k: int) -> None:
        rows = shares[k]
        if lam is not d.lam:
            lam[rows] = d.lam[rows]
        np.subtract(1.0, d.lam[rows], out=rest[rows])
        buffers = {dtype: np.empty(min(len(d), MIX_CHUNK), dtype=dtype)}  # reused for every column
        # NaN and infinity are reported through ``finite``, not as NumPy warnings; a sum of huge
        # finite values may overflow, which the caller's full check then clears. errstate is set
        # here, in the worker: it does not pass from the calling thread to the pool's threads.
        with np.errstate(invalid="ignore", over="ignore"):
            for j, column in enumerate(columns):
                if keep_originals:
                    out[j, originals[k]] = column[originals[k]]
                totals[k, j] = _mix_column(column, d, (lam, rest), out[j, offset:], rows, buffers)

    run_parallel(work, n_threads, len(d) * len(columns))
    if finite is not None:
        with np.errstate(invalid="ignore", over="ignore"):
            finite[:] = np.isfinite(totals.sum(axis=0)).tolist()
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
