"""Beta(a, a) by two vectorised exact methods: why mixupy has its own samplers.

``numpy.random.Generator.beta`` draws one value at a time in C: two gamma variates for a > 1, Jöhnk's two
powers for a < 1. Vectorised over whole arrays, with NumPy's own loops:

* **a > 1, Cheng's algorithm BB** (:func:`beta_symmetric`): two uniforms, two logarithms and one
  exponential per candidate, more than 88% of them accepted.
* **0 < a < 1, Jöhnk's method in log space** (:func:`beta_symmetric_small`): two standard exponentials
  (NumPy's ziggurat, no logarithm), one exponential and, for a few candidates, one ``log1p``; 85% to 95%
  accepted for a from 0.4 down. Stable for any a, however small: no 0 / 0, no NaN.

Measured by ``benchmarks/bench_beta.py`` (docs/benchmarks.md): both are faster than ``Generator.beta``
from about :data:`VECTOR_MIN_SIZE` draws on, and a million weights at a = 0.2 or 0.4 cost no more than at
a = 4. The draw of a million weights is a sixth of ``mixup(df)``'s time on a million rows (see "The Beta
sampler" in docs/architecture.md). Fewer draws, a = 1 (uniforms), a = 0 (a coin) and a above
:data:`BB_MAX_ALPHA` are not drawn here.

R. C. H. Cheng (1978), "Generating beta variates with nonintegral shape
parameters", Communications of the ACM 21(4), 317-322.
M. D. Jöhnk (1964), "Erzeugung von betaverteilten und gammaverteilten Zufallszahlen", Metrika 8, 5-15.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["BB_MAX_ALPHA", "VECTOR_MIN_SIZE", "beta_symmetric", "beta_symmetric_small"]

# Above this alpha, a + R - W in beta_symmetric loses too many digits to cancellation
# (its error grows like alpha * 2**-52); Generator.beta takes over.
BB_MAX_ALPHA = 1e6
# Below this many draws, Generator.beta (one loop in C) beats the vectorised samplers, whose thirty-odd NumPy
# calls cost about 50 µs whatever the size: the two break even near 2,000 draws (benchmarks/bench_beta.py).
VECTOR_MIN_SIZE = 2048
# Cheng's algorithm BB accepts more than 88.6% of its candidates for every a == b > 1.
_BB_ACCEPTANCE = 0.88
# Candidates per batch (a draw chunk of DRAW_CHUNK rows needs one): the temporaries stay in cache.
_BB_BATCH = 1 << 17
_LOG4 = float(np.log(4.0))
# Candidates per batch of Jöhnk's method: its six arrays of this many values stay in the core's L2 cache.
_JOHNK_BATCH = 1 << 14


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
    work = np.empty(4 * m)
    accept = np.empty(m, dtype=bool)
    filled = 0
    with np.errstate(divide="ignore"):  # log(0) = -inf when u2 == 0: the candidate is then accepted
        while filled < size:
            m = min(m, int((size - filled) / _BB_ACCEPTANCE) + 32)
            u1, u2, v, w = work[: 4 * m].reshape(4, m)
            ok = accept[:m]
            rng.random(out=work[: 2 * m])  # U1, then U2: one call, the same stream as two
            u1 += 2.0**-54  # away from 0; from 0.5 on the sum may round up to 1, so also away from 1:
            np.minimum(u1, 1.0 - 2.0**-53, out=u1)  # now in (0, 1), and the logit below is finite
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


def beta_symmetric_small(a: float, size: int, rng: np.random.Generator, *, out: np.ndarray | None = None) -> np.ndarray:
    """``size`` draws from Beta(a, a) for ``0 < a < 1``: Jöhnk's method, in log space, vectorised.

    Jöhnk (1964): with ``X = U**(1/a)`` and ``Y = V**(1/a)`` for independent uniforms, ``X / (X + Y)``
    given ``X + Y <= 1`` follows Beta(a, a) exactly. Here ``-log U`` and ``-log V`` are drawn as standard
    exponentials ``E`` and ``F`` (NumPy's ziggurat: no logarithm), so ``log X = -E / a`` and ``log Y = -F / a``
    are exact for every ``a``, however small, and nothing is raised to a power. With ``d = (E - F) / a``
    (``log Y - log X``) and ``e = exp(-|d|)`` in (0, 1]:

    * the test ``X + Y <= 1`` is ``max(log X, log Y) + log1p(e) <= 0``; as ``log1p(e) <= e``, a candidate
      with ``max + e <= 0`` passes without a logarithm (most of them), and only the rest take ``log1p``;
    * ``lam = X / (X + Y)`` is ``1 / (1 + e)`` when ``X >= Y`` and ``e / (1 + e)`` otherwise: never 0 / 0,
      never NaN, in [0, 1], and near 0 or 1 (as it should be) when ``a`` is tiny.

    One exponential and, for a few, one ``log1p`` per candidate, against BB's two logarithms and one
    exponential; the candidates accepted are ``Gamma(a + 1)**2 / Gamma(2a + 1)`` of them (95% at a = 0.2,
    85% at a = 0.4, 50% near a = 1). Batches of at most :data:`_JOHNK_BATCH` candidates are kept in order
    until there are ``size``: the result depends on ``rng`` alone. ``out``, when given, is a float64 array
    of shape ``(size,)`` that receives the draws.

    M. D. Jöhnk (1964), "Erzeugung von betaverteilten und gammaverteilten Zufallszahlen", Metrika 8, 5-15.
    """
    if out is None:
        out = np.empty(size)
    acceptance = math.exp(2.0 * math.lgamma(a + 1.0) - math.lgamma(2.0 * a + 1.0))
    m = min(_JOHNK_BATCH, int(size / acceptance) + 32)
    exponentials = np.empty(2 * m)
    work = np.empty((3, m))
    accept = np.empty(m, dtype=bool)
    filled = 0
    with np.errstate(under="ignore"):  # exp(-|d|) underflows to 0 for a tiny a: lam is then 0 or 1
        while filled < size:
            m = min(m, int((size - filled) / acceptance) + 32)
            pair = rng.standard_exponential(out=exponentials[: 2 * m])
            e, f = pair[:m], pair[m:]
            d, top, ok = work[0, :m], work[1, :m], accept[:m]
            np.subtract(e, f, out=d)
            d *= 1.0 / a  # log Y - log X
            np.minimum(e, f, out=top)
            top *= -1.0 / a  # max(log X, log Y)
            y_wins = np.greater_equal(d, 0.0, out=work[2, :m])  # Y >= X where 1.0 (a float mask)
            g = np.abs(d, out=d)
            np.negative(g, out=g)
            np.exp(g, out=g)  # e = exp(-|d|), in [0, 1]
            np.add(top, g, out=e)
            np.less_equal(e, 0.0, out=ok)  # max + e <= 0 implies max + log1p(e) <= 0
            unsure = np.flatnonzero(~ok)
            ok[unsure] = top[unsure] + np.log1p(g[unsure]) <= 0.0
            kept = np.flatnonzero(ok)[: size - filled]
            lam = out[filled : filled + kept.shape[0]]
            chosen = g.take(kept)
            np.add(chosen, 1.0, out=lam)
            # e / (1 + e) when Y >= X (d >= 0), 1 / (1 + e) when X > Y
            np.divide(np.where(y_wins.take(kept) > 0.0, chosen, 1.0), lam, out=lam)
            filled += kept.shape[0]
    return out
