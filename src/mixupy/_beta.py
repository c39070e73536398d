"""Beta(a, a) for a > 1 by Cheng's algorithm BB, vectorised: why mixupy has its own sampler.

``numpy.random.Generator.beta`` draws two gamma variates per value. For the
symmetric laws that mixup uses, with a > 1, Cheng's rejection method needs two
uniforms, two logarithms and one exponential per candidate, and accepts more
than 88% of them. Measured by ``benchmarks/bench_beta.py`` (docs/benchmarks.md):
2.7 to 3.1 times as fast as ``Generator.beta`` at a = 1.5, 4 and 20. The draw
of a million weights is a sixth of ``mixup(df)``'s time on a million rows, so
this keeps the headline figure inside its target (see "The λ sampler" in
docs/architecture.md). It is used for 1 < a <= :data:`BB_MAX_ALPHA` only;
every other a goes to ``Generator.beta``.

R. C. H. Cheng (1978), "Generating beta variates with nonintegral shape
parameters", Communications of the ACM 21(4), 317-322.
"""

from __future__ import annotations

import numpy as np

__all__ = ["BB_MAX_ALPHA", "beta_symmetric"]

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
