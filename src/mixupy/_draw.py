"""The draw: which two sources each synthetic row mixes, and with what weight.

A :class:`Draw` says, for each synthetic row ``r``::

    out[r] = lam[r] * x[first[r]] + (1 - lam[r]) * x[second[r]]

It is made here, and only here, and then applied by a backend (the NumPy
appliers in :mod:`mixupy._apply`, torch in :mod:`mixupy._apply_torch`, file
blocks, Dask partitions, time-series units). Given one draw, every backend
gives the same mix.

* **λ** (:func:`sample_lambda`): Beta(alpha, alpha) with the limit alpha = 0
  (a copy of one source), optionally folded to ``max(lam, 1 - lam)`` so that
  ``first`` dominates.
* **Pairings**, one family: :class:`Uniform` (any other row), :class:`WithinGroup`
  (a row of the same class), :class:`Neighbours` (one of the k nearest rows of
  the same class), and fixed pairings given whole (:func:`pairs`: a lag within
  a series, two streams side by side). The torch path draws its one-cycle
  permutation and its λ on the device (:func:`cycle_partners_torch`,
  :func:`sample_lambda_torch`), so a training loop never waits for the host.
* **Operations on draws**: :meth:`Draw.identity` (every row mixed with itself,
  weight 1: the originals), :func:`concat`, :meth:`Draw.take` (a subset) and
  :meth:`Draw.remap` (positions of units turned into positions of their series).
* **CutMix regions** (Yun et al., 2019), drawn from the same λ: a :class:`Box` (a
  box of an image, a segment of a series) or :class:`Columns` (a subset of a
  table's columns) that each sample takes from its partner, with λ corrected to
  the share actually left in place (:func:`boxes`, :func:`column_subsets` and
  their torch twins). Partners for a batch mixed with itself: one cycle
  (:func:`cycle_partners`) or disjoint pairs sharing λ (:func:`pair_partners`).

Nothing here validates user input: the public functions have done that.
Randomness comes only from the generator passed in; results depend on the seed
alone, never on the number of threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from mixupy._beta import BB_MAX_ALPHA, VECTOR_MIN_SIZE, beta_symmetric, beta_symmetric_small
from mixupy._parallel import run_parallel, thread_count

__all__ = [
    "DRAW_CHUNK",
    "Box",
    "Columns",
    "Draw",
    "Neighbours",
    "Pairing",
    "Uniform",
    "WithinGroup",
    "box_from",
    "boxes",
    "boxes_torch",
    "by_target",
    "column_subsets",
    "column_subsets_torch",
    "concat",
    "cycle_partners",
    "cycle_partners_torch",
    "draw",
    "pair_partners",
    "pairs",
    "sample_lambda",
    "sample_lambda_torch",
    "subset_from",
]

# Synthetic rows are drawn in chunks of this many, each chunk from its own child generator (a single chunk
# from the caller's generator itself): the result depends on the seed alone, never on the number of threads.
DRAW_CHUNK = 1 << 16


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

    @classmethod
    def identity(cls, n: int) -> Draw:
        """Every row mixed with itself with weight 1: the original rows, in order."""
        rows = np.arange(n, dtype=np.intp)
        return cls(rows, rows, np.ones(n), tiles=1)

    def take(self, rows: np.ndarray | slice) -> Draw:
        """The synthetic rows at ``rows`` (positions, a boolean mask or a slice), in that order."""
        return Draw(self.first[rows], self.second[rows], self.lam[rows])

    def remap(self, positions: np.ndarray) -> Draw:
        """The same mix, with each source ``i`` renamed ``positions[i]`` (units to the series they come from)."""
        return Draw(positions[self.first], positions[self.second], self.lam)

    def dominant(self) -> np.ndarray:
        """The source with the larger weight in each synthetic row (``first`` on a tie)."""
        return np.where(self.lam >= 0.5, self.first, self.second)


def concat(*draws: Draw) -> Draw:
    """The synthetic rows of each draw in turn; the first draw's full passes are kept."""
    return Draw(
        np.concatenate([d.first for d in draws]),
        np.concatenate([d.second for d in draws]),
        np.concatenate([d.lam for d in draws]),
        tiles=draws[0].tiles if len(draws) == 1 else 0,
    )


# --- λ ----------------------------------------------------------------------------------------


def sample_lambda(
    alpha: float, size: int, rng: np.random.Generator, *, dominant: bool = False, out: np.ndarray | None = None
) -> np.ndarray:
    """Draw ``size`` weights from Beta(alpha, alpha), into ``out`` when given (float64).

    ``alpha == 0`` is the limit of Beta(alpha, alpha) as alpha goes to 0: each
    weight is 0 or 1 with equal chance, so every mix is a copy of one source.
    Beta(1, 1) is the uniform law. From ``VECTOR_MIN_SIZE`` weights on, they come
    from Jöhnk's method for ``0 < alpha < 1`` (:func:`mixupy._beta.beta_symmetric_small`)
    and from Cheng's BB for ``1 < alpha <= BB_MAX_ALPHA`` (:func:`mixupy._beta.beta_symmetric`);
    fewer weights, and larger alpha, come from ``rng.beta``. With
    ``dominant=True`` each weight becomes ``max(lam, 1 - lam)``.
    """
    if out is not None and out.shape != (size,):
        msg = f"out has shape {out.shape}, expected ({size},)"
        raise ValueError(msg)
    if alpha == 0:
        lam = rng.integers(0, 2, size=size).astype(np.float64)
    elif alpha == 1:
        lam = rng.random(out=np.empty(size) if out is None else out)
    elif size < VECTOR_MIN_SIZE or alpha > BB_MAX_ALPHA:
        lam = rng.beta(alpha, alpha, size=size)
    elif alpha < 1:
        lam = beta_symmetric_small(alpha, size, rng, out=out)
    else:
        lam = beta_symmetric(alpha, size, rng, out=out)
    if out is not None and lam is not out:
        out[:] = lam
        lam = out
    if dominant:
        np.maximum(lam, 1.0 - lam, out=lam)
    return lam


# --- pairings ---------------------------------------------------------------------------------


class Pairing(Protocol):
    """Anything that draws one partner position per first source."""

    def sample(self, first: np.ndarray, rng: np.random.Generator) -> np.ndarray: ...


class Uniform:
    """Each partner uniform over the other ``n - 1`` rows (the row itself when ``n == 1``)."""

    def __init__(self, n: int) -> None:
        self.n = n

    def sample(self, first: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        if self.n == 1:
            return first.copy()
        second = rng.integers(0, self.n - 1, size=first.shape[0], dtype=np.intp)
        second += second >= first  # skip the row itself: uniform over the other n - 1
        return second


class WithinGroup:
    """Each partner uniform over the other rows of the same group (integer codes, one per row).

    A row alone in its group is paired with itself, and :func:`draw` then gives
    it weight 1, so the synthetic row is an exact copy.
    """

    def __init__(self, groups: np.ndarray) -> None:
        n = groups.shape[0]
        self.groups = groups
        self.order = np.argsort(groups, kind="stable").astype(np.intp)
        self.counts = np.bincount(groups)
        self.starts = np.concatenate(([0], np.cumsum(self.counts)[:-1])).astype(np.intp)
        self.rank = np.empty(n, dtype=np.intp)  # position of each row inside its group
        self.rank[self.order] = np.arange(n) - np.repeat(self.starts, self.counts)

    def sample(self, first: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        g = self.groups[first]
        size_g = self.counts[g]
        offset = rng.integers(1, np.maximum(size_g, 2))
        offset[size_g == 1] = 0
        return self.order[self.starts[g] + (self.rank[first] + offset) % size_g]


class Neighbours:
    """Each partner uniform over the ``k`` nearest rows of the same group.

    ``x`` is a 2-D array or a scipy sparse matrix (each group's rows are made
    dense to build its tree). Euclidean distances, found with
    :class:`scipy.spatial.cKDTree`, one tree per group; a row is never its own
    neighbour (with exact duplicates, a duplicate may be). Neighbours are found
    only for rows of the groups listed in ``only`` (all groups when None); only
    those rows may be drawn as first sources. Each of those groups must have
    more than ``k`` rows: callers check this first.
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
            _, found = cKDTree(points).query(points, k=k + 1, workers=thread_count())
            own = found == np.arange(rows.shape[0])[:, None]
            own[~own.any(axis=1), -1] = True  # self not among them (duplicates): drop the farthest
            self.table[rows] = rows[found[~own].reshape(rows.shape[0], k)]

    def sample(self, first: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return self.table[first, rng.integers(0, self.k, size=first.shape[0])]


def draw_first(n: int, size: int, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    """First sources: every row once per full pass, then a random subset, in row order.

    Returns the positions and the number of full passes (``tiles``).
    """
    tiles, rest = divmod(size, n)
    parts = [np.arange(n, dtype=np.intp)] * tiles
    if rest:
        parts.append(np.sort(rng.choice(n, size=rest, replace=False)).astype(np.intp))
    return (parts[0] if len(parts) == 1 else np.concatenate(parts)), tiles


def draw(
    n: int,
    size: int,
    alpha: float,
    rng: np.random.Generator,
    *,
    pairing: Pairing | None = None,
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
        A draw of at most :data:`DRAW_CHUNK` synthetic rows takes its partners and weights from it directly;
        a larger one advances it by a fixed amount and takes them from child generators spawned from it,
        one per :data:`DRAW_CHUNK` rows (shared among threads).
    pairing : Pairing, optional
        How partners are drawn; :class:`Uniform` over the ``n`` rows when None.
    dominant : bool
        Fold each weight to ``max(lam, 1 - lam)`` so ``first`` dominates.
    first : ndarray of int, optional
        First sources chosen by the caller (a shuffled batch, minority rows only).
    """
    tiles = 0
    if first is None:
        first, tiles = draw_first(n, size, rng)
    partners = Uniform(n) if pairing is None else pairing
    size = first.shape[0]
    n_chunks = max(1, -(-size // DRAW_CHUNK))
    if n_chunks == 1:  # one chunk: from ``rng`` itself, on this thread whatever the count, no child to make
        second = partners.sample(first, rng).astype(np.intp, copy=False)
        lam = sample_lambda(alpha, size, rng, dominant=dominant)
        _exact_copies(partners, first, second, lam)
        return Draw(first=first, second=second, lam=lam, tiles=tiles)
    second = np.empty(size, dtype=np.intp)
    lam = np.empty(size, dtype=np.float64)
    # rng.integers(0, 2**63, size=4), read straight from the bit generator: NumPy's bounded integers over
    # 2**63 values are each raw 64-bit word shifted right by one, and the call costs three times as much
    entropy = _entropy_words(rng.bit_generator.random_raw(4) >> np.uint64(1))

    def work(k: int) -> None:
        # the k-th child of SeedSequence(entropy).spawn(n_chunks), made directly: the parent's mixing is unused
        chunk_rng = np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(k,)))
        rows = slice(k * DRAW_CHUNK, (k + 1) * DRAW_CHUNK)
        second[rows] = partners.sample(first[rows], chunk_rng)
        sample_lambda(alpha, second[rows].shape[0], chunk_rng, dominant=dominant, out=lam[rows])
        _exact_copies(partners, first[rows], second[rows], lam[rows])

    run_parallel(work, n_chunks, size * 8)
    return Draw(first=first, second=second, lam=lam, tiles=tiles)


def _exact_copies(partners: Pairing, first: np.ndarray, second: np.ndarray, lam: np.ndarray) -> None:
    """Weight 1 for each row paired with itself, so that its copy is exact (``lam*x + (1-lam)*x`` may not be)."""
    if not isinstance(partners, Uniform) or partners.n == 1:  # uniform partners are never the row itself
        lam[second == first] = 1.0


def _entropy_words(entropy: np.ndarray) -> np.ndarray:
    """Non-negative integers as the 32-bit words that ``numpy.random.SeedSequence`` makes of them, low word
    first, a high word only when it is not zero: the same seed sequence, without NumPy's loop in Python."""
    words: list[int] = []
    for value in entropy.tolist():
        words.append(value & 0xFFFFFFFF)
        if value >> 32:
            words.append(value >> 32)
    return np.array(words, dtype=np.uint32)


def pick_first(d: Draw, rng: np.random.Generator) -> np.ndarray:
    """For each synthetic row, True with probability ``lam``: its first source is picked, else its second.

    How a categorical column chooses its value with ``categorical_mode="random"``; drawn after the rest of
    the draw, so the other columns do not depend on it.
    """
    return rng.random(len(d)) < d.lam


def pairs(
    first: np.ndarray,
    second: np.ndarray,
    alpha: float,
    rng: np.random.Generator,
    *,
    dominant: bool = False,
    repeats: np.ndarray | None = None,
) -> Draw:
    """A draw whose pairs are fixed (a lag within a series, two streams side by side); only λ is drawn.

    With ``repeats``, one λ is drawn per group of consecutive pairs, group ``g``
    holding ``repeats[g]`` pairs (one λ per synthetic series, shared by its steps).
    """
    count = first.shape[0] if repeats is None else repeats.shape[0]
    lam = sample_lambda(alpha, count, rng, dominant=dominant)
    if repeats is not None:
        lam = np.repeat(lam, repeats)
    return Draw(first.astype(np.intp, copy=False), second.astype(np.intp, copy=False), lam)


def by_target(targets: np.ndarray, bandwidth: float | None) -> Pairing:
    """Partners by target distance (C-Mixup): ``P(j | i)`` proportional to ``exp(-|y_i - y_j|**2 / (2 sigma**2))``.

    ``targets`` is float64 ``(n, D)``; ``bandwidth`` is ``sigma``, or None for the default rule. The exact
    sampler (sorted shells for one column, a k-d tree for several) lives in :mod:`mixupy._target_pairing`.
    """
    from mixupy._target_pairing import by_target as exact

    return exact(targets, bandwidth)


# --- the same draw on a torch device (imported only by mixupy.tensors) -------------------------


def sample_lambda_torch(alpha: float, size: int, gen: Any, device: Any, dtype: Any, *, dominant: bool = False) -> Any:
    """``size`` draws of Beta(alpha, alpha) on ``device``, as gamma ratios; no host round trip.

    The torch counterpart of :func:`sample_lambda`, with the same laws:
    ``alpha == 0`` gives 0 or 1 with equal chance, and a draw whose two gamma
    variates both underflow (tiny alpha) becomes such a coin flip. The coin is
    always drawn, so the stream advances by the same amount whatever the values
    are. ``torch._standard_gamma`` is the sampler behind
    ``torch.distributions.Gamma``, the one that takes a generator.
    """
    import torch

    coin = torch.randint(0, 2, (size,), generator=gen, device=device).to(dtype)
    if alpha == 0:
        lam = coin
    else:
        gamma = torch._standard_gamma(torch.full((2, size), alpha, dtype=dtype, device=device), generator=gen)
        lam = torch.where(torch.isnan(ratio := gamma[0] / (gamma[0] + gamma[1])), coin, ratio)
    return torch.maximum(lam, 1 - lam) if dominant else lam


def cycle_partners_torch(n: int, gen: Any, device: Any) -> Any:
    """A random permutation with one cycle, on ``device``: each partner is uniform over the other samples."""
    import torch

    order = torch.randperm(n, generator=gen, device=device)
    return torch.empty_like(order).scatter_(0, order, order.roll(-1))


# --- CutMix: the region each sample takes from its partner (NumPy arrays or torch tensors alike) ----------


@dataclass(frozen=True)
class Box:
    """Per sample, the half-open box ``[low[k], high[k])`` along each pasted axis ``k``, and the λ it leaves.

    ``low`` and ``high`` hold one float64 array (or tensor) of shape ``(rows,)`` per axis, whole numbers;
    ``lam`` is ``1 - pasted volume / sample volume``: the weight of the sample's own label.
    """

    low: tuple[Any, ...]
    high: tuple[Any, ...]
    lam: Any


@dataclass(frozen=True)
class Columns:
    """Per sample, which columns come from the partner (bool, ``(rows, columns)``), and the λ it leaves."""

    taken: Any
    lam: Any


def box_from(lam: Any, centres: Any, sizes: tuple[int, ...]) -> Box:
    """The CutMix box of each sample, the paper's law: side ``floor(size * (1 - lam) ** (1 / d))`` per axis.

    Along each of the ``d`` axes the box of side ``cut`` starts at ``centre - cut // 2`` and is clipped to
    ``[0, size)``, so it is ``cut`` long unless it runs over an edge; the λ returned is corrected to the
    volume actually pasted (timm's ``correct_lam``). For images (``d = 2``) the side is ``sqrt(1 - lam)``
    of each edge, as in Yun et al. (2019); for a series (``d = 1``) a segment of ``floor(T * (1 - lam))``
    steps. ``lam`` (float64, ``(rows,)``) and ``centres`` (float64 whole numbers, ``(rows, d)``) are NumPy
    arrays or torch tensors: only arithmetic, ``//`` and ``clip`` are used, so both give the same box.
    """
    side = (1.0 - lam) ** (1.0 / len(sizes))
    low, high = [], []
    kept = 1.0
    for k, size in enumerate(sizes):
        cut = (size * side) // 1
        start = centres[:, k] - cut // 2
        low.append(start.clip(0, size))
        high.append((start + cut).clip(0, size))
        kept = kept * (high[-1] - low[-1]) / size
    return Box(tuple(low), tuple(high), 1.0 - kept)


def boxes(lam: np.ndarray, sizes: tuple[int, ...], rng: np.random.Generator) -> Box:
    """A box per weight of ``lam`` over sample axes of ``sizes``, centres uniform over the positions."""
    centres = np.column_stack([rng.integers(0, size, size=lam.shape[0]) for size in sizes]).astype(np.float64)
    return box_from(lam.astype(np.float64), centres, sizes)


def subset_from(lam: Any, ranks: Any, n_columns: int) -> Columns:
    """Each sample takes ``floor(n_columns * (1 - lam))`` columns from its partner: those of rank below that.

    ``ranks`` (``(rows, n_columns)``) holds a random permutation of the columns per row, so the subset is
    uniform among those of its size; λ is corrected to the share of columns kept.
    """
    count = (n_columns * (1.0 - lam)) // 1
    return Columns(ranks < count[:, None], 1.0 - count / n_columns)


def column_subsets(lam: np.ndarray, n_columns: int, rng: np.random.Generator) -> Columns:
    """A random subset of ``n_columns`` columns per weight of ``lam`` (see :func:`subset_from`)."""
    ranks = rng.random((lam.shape[0], n_columns)).argsort(axis=1).argsort(axis=1)
    return subset_from(lam.astype(np.float64), ranks, n_columns)


def cycle_partners(n: int, rng: np.random.Generator) -> np.ndarray:
    """:func:`cycle_partners_torch` in NumPy: a random one-cycle permutation of ``n`` samples."""
    order = rng.permutation(n).astype(np.intp)
    partner = np.empty_like(order)
    partner[order] = np.roll(order, -1)
    return partner


def pair_partners(order: Any, slot: Any, where: Any) -> tuple[Any, Any, int]:
    """Disjoint pairs of samples, each the other's partner, from a random ``order`` (NumPy or torch).

    ``slot`` is ``arange(n)`` of the same kind (on ``order``'s device) and ``where`` is ``numpy.where`` or
    ``torch.where``. Returns ``(partner, group, n_groups)``: samples ``order[2k]`` and ``order[2k + 1]``
    are partners and form group ``k``, so a λ drawn per group is shared by the pair (timm's "pair" mode).
    With an odd number of samples the last three of the order form a cycle and one group. Nothing is
    read on the host, so a device never waits.
    """
    n = order.shape[0]
    if n == 1:
        return order, slot, 1
    mate, group = slot ^ 1, slot // 2
    if n % 2:
        mate = where(slot == n - 2, n - 1, mate)
        mate = where(slot == n - 1, n - 3, mate)
        group = where(slot == n - 1, (n - 3) // 2, group)
    partner, grouped = order[mate], group[mate]  # fresh arrays of the right kind, overwritten in full below
    partner[order] = order[mate]
    grouped[order] = group
    return partner, grouped, n // 2


def boxes_torch(lam: Any, sizes: tuple[int, ...], gen: Any, device: Any) -> Box:
    """:func:`boxes` on a torch device: the centres are drawn there, so nothing waits for the host."""
    import torch

    n = lam.shape[0]
    centres = torch.stack([torch.randint(0, size, (n,), generator=gen, device=device) for size in sizes], dim=1)
    return box_from(lam.to(torch.float64), centres.to(torch.float64), sizes)


def column_subsets_torch(lam: Any, n_columns: int, gen: Any, device: Any) -> Columns:
    """:func:`column_subsets` on a torch device."""
    import torch

    ranks = torch.rand((lam.shape[0], n_columns), generator=gen, device=device).argsort(dim=1).argsort(dim=1)
    return subset_from(lam.to(torch.float64), ranks, n_columns)
