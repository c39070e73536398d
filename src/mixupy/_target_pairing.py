"""Pairing by target distance (C-Mixup, Yao et al., NeurIPS 2022), drawn exactly at any size.

The partner ``j`` of row ``i`` is drawn with probability proportional to the Gaussian kernel
``w_ij = exp(-d(y_i, y_j) ** 2 / (2 * sigma ** 2))`` over ``j != i``, ``d`` the Euclidean distance between
targets. No ``n x n`` weight matrix is formed: every method below is rejection sampling, whose accepted
partner follows that law exactly, whatever the proposal, as long as the proposal's envelope bounds the
kernel. A method may hand the rows it has not placed yet to the next one: each trial is independent, so the
result still follows the law. Exact up to floating-point rounding: a row at a shell's very edge may get the
next shell's bound, off by the rounding of its distance, and a probability above 1 is then taken as 1.

* **The kernel, rescaled.** For each row the kernel is divided by its value at the nearest other row,
  ``u_ij = exp(-(d_ij ** 2 - d0_i ** 2) / (2 sigma ** 2))``, the same law with ``u <= 1`` and ``u = 1`` at
  the nearest row. So a row far from every other (an outlier, a tiny ``sigma``) never underflows to 0/0,
  and the sum ``Z_i`` of its weights is at least 1.
* **One target column** (:class:`Sorted`): rows sorted by target; ``t`` is ``-log u``. A row's *shells*
  are the other rows with ``t`` in ``(t_k, t_k+1]``, each shell two runs of sorted positions found by binary
  search, outside the last a floor: the envelope of shell ``k`` is ``exp(-t_k)``. A trial picks a shell in
  proportion to (its rows x its envelope), a row uniformly in it, and keeps it with probability
  ``u / exp(-t_k)``. First coarse shells, ``t`` in 0, 0.5, 2, ``T = max(4, ln n + 1)``, computed once for
  every row (6 binary searches a row); the few rows still unplaced after a dozen trials go to fine shells of
  width 0.5 up to ``T``, computed for them alone. With fine shells every row of shell ``k`` has
  ``u >= exp(-t_k - 0.5)``, and the floor's mass ``n exp(-T) <= exp(-1) <= Z_i / e``, so a trial succeeds
  with probability at least ``1 / (exp(0.5) + exp(-1)) > 0.49`` for *any* data: no row can stall.
  Cost: one sort and 6 binary searches a row, O(n log n); memory about 56 bytes a row (the order and its
  inverse, the sorted targets, the nearest distances, 6 int32 shell edges), and the draw's chunks.
* **Several target columns** (:class:`Nearest`): a k-d tree (:class:`scipy.spatial.cKDTree`) gives each
  row its ``k`` nearest rows, drawn exactly by their weights, and every row farther than the ``k``-th has
  ``u <= u_k``: the floor. Rows unplaced after some trials get a larger ``k`` (32, 256, 2048), then an exact
  draw over all ``n`` rows, allowed only while that costs at most :data:`DENSE_BUDGET` distances; past it,
  :class:`TooSlowError` says so rather than draw approximately.

Nothing here validates user input; the public functions have checked the targets (:mod:`mixupy._validation._targets`).
"""

from __future__ import annotations

import math

import numpy as np

from mixupy._parallel import run_parallel

__all__ = ["DENSE_BUDGET", "Nearest", "Sorted", "TargetDistance", "TooSlowError", "by_target", "default_bandwidth"]

#: Trials each row gets from the coarse shells (one target column), before the fine shells take it.
COARSE_TRIALS = 12
#: Width of a fine shell, in units of ``-log u``: every trial then succeeds with probability > 0.49.
FINE_WIDTH = 0.5
#: Neighbours a row is given in turn by the k-d tree (several target columns), and trials at each.
NEAREST = ((32, 16), (256, 16), (2048, 32))
#: Neighbours held at once by the k-d tree's method: rows are taken in batches of this many values.
BATCH_VALUES = 1 << 20
#: The most distances the exact draw over all rows may compute, for the rows the k-d tree left.
DENSE_BUDGET = 2 * 10**8


class TooSlowError(ValueError):
    """Pairing by several target columns would need more work than an exact method can do here."""


def default_bandwidth(targets: np.ndarray) -> float:
    """The normal-reference rule of Silverman (1986) for a Gaussian kernel, with a robust spread.

    ``sigma = (4 / (D + 2)) ** (1 / (D + 4)) * n ** (-1 / (D + 4)) * s``, where ``s`` is the mean over the
    ``D`` target columns of ``min(std, IQR / 1.349)``; for one column ``(4/3) ** (1/5) * s * n ** (-1/5)``, about
    ``1.06 * s * n ** (-1/5)``.
    The interquartile range keeps a few outliers from widening the kernel; a column whose middle half is
    one value falls back on its standard deviation. The caller has checked the targets are not constant.
    """
    n, dims = targets.shape
    std = targets.std(axis=0)
    q75, q25 = np.percentile(targets, [75, 25], axis=0)
    robust = np.minimum(std, (q75 - q25) / 1.349)
    spread = float(np.mean(np.where(robust > 0, robust, std)))
    return (4 / (dims + 2)) ** (1 / (dims + 4)) * n ** (-1 / (dims + 4)) * spread


class TargetDistance:
    """A pairing (:class:`mixupy._draw.Pairing`): partners drawn by the Gaussian kernel on target distance.

    ``targets`` is float64 of shape ``(n, D)``, finite; ``bandwidth`` the kernel's ``sigma`` > 0. One column
    uses :class:`Sorted`, several :class:`Nearest`. A single row is paired with itself.
    """

    def __init__(self, targets: np.ndarray, bandwidth: float) -> None:
        self.n = targets.shape[0]
        self.method: Sorted | Nearest | None = None
        if self.n > 1:
            scale = 2.0 * bandwidth**2
            self.method = Sorted(targets[:, 0], scale) if targets.shape[1] == 1 else Nearest(targets, scale)

    def sample(self, first: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        if self.method is None:
            return first.copy()
        return self.method.sample(first, rng)


def by_target(targets: np.ndarray, bandwidth: float | None) -> TargetDistance:
    """:class:`TargetDistance` with ``bandwidth``, or the default rule's (:func:`default_bandwidth`) when None."""
    sigma = default_bandwidth(targets) if bandwidth is None else bandwidth
    return TargetDistance(targets, sigma)


# --- one target column: sorted, shells of sorted positions ----------------------------------------------------


class Sorted:
    """Exact draws for one target column: the coarse shells, then the fine ones (see the module docstring).

    What a trial reads of a row is kept in row order, so that a chunk of consecutive first sources reads
    consecutive memory: its target, its nearest distance and the edges of its coarse shells.
    """

    def __init__(self, y: np.ndarray, scale: float) -> None:
        n = y.shape[0]
        self.n, self.scale, self.y = n, scale, y
        self.order = np.argsort(y, kind="stable").astype(np.intp, copy=False)
        self.values = y[self.order]
        self.rank = np.empty(n, dtype=np.intp)
        self.rank[self.order] = np.arange(n, dtype=np.intp)
        gaps = np.diff(self.values)
        self.d0 = np.minimum(np.append(np.inf, gaps), np.append(gaps, np.inf))[self.rank]  # nearest other row
        self.top = max(4.0, math.log(n) + 1.0)  # the floor: n * exp(-top) <= exp(-1)
        self.coarse = np.array([0.0, 0.5, 2.0, self.top])
        self.fine = np.append(np.arange(0.0, self.top, FINE_WIDTH), self.top)
        self.balls = np.empty((2, self.coarse.shape[0] - 1, n), dtype=np.int32 if n < 2**31 else np.intp)
        step = 1 << 16

        def work(k: int) -> None:
            rows = self.order[k * step : (k + 1) * step]  # in target order: the binary searches walk forward
            self.balls[:, :, rows] = self.ball_edges(rows, self.coarse[1:])

        run_parallel(work, -(-n // step), n * 8)

    def ball_edges(self, rows: np.ndarray, levels: np.ndarray) -> np.ndarray:
        """``(2, len(levels), m)``: where each row's ball ``-log u <= level`` starts and ends in sorted order."""
        radius = np.sqrt(self.d0[rows] ** 2 + self.scale * levels[:, None])
        v = self.y[rows]
        return np.stack(
            [np.searchsorted(self.values, v - radius, "left"), np.searchsorted(self.values, v + radius, "right")]
        )

    def sample(self, first: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        found = np.empty_like(first)
        pending = np.arange(first.shape[0])
        for _ in range(COARSE_TRIALS):
            if pending.size == 0:
                break
            kept, partner = self.trial(first[pending], self.balls[:, :, first[pending]], self.coarse, rng)
            found[pending[kept]] = partner[kept]
            pending = pending[~kept]
        balls = self.ball_edges(first[pending], self.fine[1:])
        while pending.size:  # each trial succeeds with probability > 0.49: a few dozen rounds at most
            kept, partner = self.trial(first[pending], balls, self.fine, rng)
            found[pending[kept]] = partner[kept]
            pending, balls = pending[~kept], balls[:, :, ~kept]
        return self.order[found]

    def trial(
        self, rows: np.ndarray, balls: np.ndarray, levels: np.ndarray, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """One trial for ``rows`` whose balls ``-log u <= levels[1:]`` are ``balls``: ``(kept, partner)``.

        Shell ``k`` is ``[low[k+1], low[k])`` and ``[high[k], high[k+1])``, a row's first ball being the row
        itself (shell 0 starts beside it) and its last every row (the floor); the partner is a sorted position.
        """
        m = rows.shape[0]
        p = self.rank[rows]
        low = np.concatenate([p[None], balls[0], np.zeros((1, m), np.intp)])
        high = np.concatenate([p[None] + 1, balls[1], np.full((1, m), self.n)])
        left = low[:-1] - low[1:]
        counts = left + high[1:] - high[:-1]
        cumulative = np.cumsum(counts * np.exp(-levels)[:, None], axis=0)
        shell = (cumulative <= rng.random(m) * cumulative[-1]).sum(axis=0)
        np.minimum(shell, levels.shape[0] - 1, out=shell)  # U * total rounded up to total
        at = np.arange(m)
        count, before = counts[shell, at], left[shell, at]
        q = rng.integers(0, np.maximum(count, 1))
        partner = np.where(q < before, low[shell + 1, at] + q, high[shell, at] + q - before)
        np.minimum(partner, self.n - 1, out=partner)  # an empty shell's "row" (n) is read, then refused
        d = np.abs(self.values[partner] - self.values[p])
        d0 = self.d0[rows]
        t = (d - d0) * (d + d0) / self.scale
        kept = (count > 0) & (rng.random(m) < np.exp(np.minimum(levels[shell] - t, 0.0)))
        return kept, partner


# --- several target columns: a k-d tree's nearest rows, and a floor --------------------------------------------


class Nearest:
    """Exact draws for several target columns: nearest rows by a k-d tree, then all rows (module docstring)."""

    def __init__(self, targets: np.ndarray, scale: float) -> None:
        from scipy.spatial import cKDTree

        self.targets, self.scale, self.n = targets, scale, targets.shape[0]
        self.tree = cKDTree(targets)

    def sample(self, first: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        found = np.empty_like(first)
        pending = np.arange(first.shape[0])
        for k, trials in NEAREST:
            if pending.size == 0:
                break
            kept, partner = self.trials(first[pending], min(k, self.n - 1), trials, rng)
            found[pending[kept]] = partner[kept]
            pending = pending[~kept]
        if pending.size * self.n > DENSE_BUDGET:
            msg = (
                f"pairing by {self.targets.shape[1]} target columns: {pending.size} of {first.shape[0]} rows are "
                f"still unplaced after their nearest {NEAREST[-1][0]} rows, and an exact draw over all {self.n} "
                f"rows for them would compute {pending.size * self.n:.2g} distances, more than {DENSE_BUDGET:.0e}. "
                "mixupy refuses rather than draw approximately. Hint: pair by one target column (fast at any "
                "size), give a smaller `bandwidth`, or mix fewer rows at a time (mixup_file's buffer_rows, "
                "Dask partitions)."
            )
            raise TooSlowError(msg)
        for row in pending:
            found[row] = self.dense(int(first[row]), rng)
        return found

    def trials(self, rows: np.ndarray, k: int, trials: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Up to ``trials`` trials for ``rows`` with their ``k`` nearest, a batch at a time: ``(kept, partner)``."""
        kept = np.zeros(rows.shape[0], dtype=bool)
        partner = np.empty_like(rows)
        batch = max(1, BATCH_VALUES // k)
        for start in range(0, rows.shape[0], batch):
            part = slice(start, start + batch)
            kept[part], partner[part] = self.batch_trials(rows[part], k, trials, rng)
        return kept, partner

    def batch_trials(
        self, rows: np.ndarray, k: int, trials: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        m = rows.shape[0]
        _, index = self.tree.query(self.targets[rows], k=k + 1)
        own = index == rows[:, None]
        own[~own.any(axis=1), -1] = True  # self not among them (duplicates): drop the farthest
        index = index[~own].reshape(m, k)
        squared = ((self.targets[index] - self.targets[rows][:, None, :]) ** 2).sum(axis=2)
        d0, edge = squared.min(axis=1), squared.max(axis=1)  # every row not listed is at least as far as edge
        cumulative = np.cumsum(np.exp(-(squared - d0[:, None]) / self.scale), axis=1)
        floor = np.exp(-(edge - d0) / self.scale)
        listed = np.sort((np.arange(m)[:, None] * self.n + index).ravel())  # (row, neighbour) keys, sorted
        kept = np.zeros(m, dtype=bool)
        partner = np.empty_like(rows)
        pending = np.arange(m)
        for _ in range(trials):
            if pending.size == 0:
                break
            inside = cumulative[pending, -1]
            u = rng.random(pending.size) * (inside + self.n * floor[pending])
            near = u < inside
            pick = np.minimum((cumulative[pending] <= u[:, None]).sum(axis=1), k - 1)
            # the floor: any row, uniformly, kept with probability u / floor unless it is listed or the row itself
            candidate = np.where(near, index[pending, pick], rng.integers(0, self.n, pending.size))
            key = pending * self.n + candidate
            hit = listed[np.minimum(np.searchsorted(listed, key), listed.shape[0] - 1)] == key
            gap = ((self.targets[candidate] - self.targets[rows[pending]]) ** 2).sum(axis=1)
            ratio = np.exp(np.minimum((edge[pending] - gap) / self.scale, 0.0))  # u / floor, at most 1
            ok = near | (~hit & (candidate != rows[pending]) & (rng.random(pending.size) < ratio))
            kept[pending[ok]], partner[pending[ok]] = True, candidate[ok]
            pending = pending[~ok]
        return kept, partner

    def dense(self, row: int, rng: np.random.Generator) -> int:
        """One exact draw over all rows, by the inverse of the cumulative weights."""
        squared = ((self.targets - self.targets[row]) ** 2).sum(axis=1)
        squared[row] = np.inf
        weight = np.exp(-(squared - squared.min()) / self.scale)
        cumulative = np.cumsum(weight)
        return int(min(np.searchsorted(cumulative, rng.random() * cumulative[-1], "right"), self.n - 1))
