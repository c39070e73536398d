"""Time the λ draw: mixupy's Beta(α, α) sampler against NumPy's ``Generator.beta``, side by side.

Both draw a million values on one thread from the same kind of generator, for
several α; each figure is the best of several repeats, taken in one run. The last
column divides each α's time by mixupy's time at α = 4 (measured first), the
question being whether α below 1 costs more than α above it. A
Kolmogorov–Smirnov test on each of mixupy's samples is printed next to it, so a
fast but wrong sampler would show. The figures go into docs/benchmarks.md.

    python benchmarks/bench_beta.py            # a million draws, writes the docs
    python benchmarks/bench_beta.py --quick    # 100,000 draws, prints only
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
from pathlib import Path

import numpy as np
from _report import best_of, write_section
from scipy import stats

from mixupy import _beta, _draw

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
ALPHAS = [0.2, 0.4, 0.99, 1.0, 1.5, 4.0, 20.0]


def main() -> None:
    parser = argparse.ArgumentParser(description="the Beta(alpha, alpha) draw against Generator.beta")
    parser.add_argument("--quick", action="store_true", help="100,000 draws, print only, do not write the docs")
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    size = 100_000 if args.quick else 1_000_000
    lines = [
        "| α | `Generator.beta` | mixupy (`sample_lambda`) | speed-up | method | KS p-value of mixupy's draws "
        "| mixupy / mixupy at α = 4 |",
        "|---|---|---|---|---|---|---|",
    ]
    at_four = functools.partial(_draw.sample_lambda, 4.0, size, np.random.default_rng(2))
    for alpha in ALPHAS:
        rng = np.random.default_rng(0)
        with_numpy = functools.partial(rng.beta, alpha, alpha, size=size)
        with_mixupy = functools.partial(_draw.sample_lambda, alpha, size, rng)
        t_numpy = best_of(with_numpy, args.repeats)
        t_four = best_of(at_four, args.repeats)  # alpha = 4 next to each alpha, before and after: against drift
        t_mixupy = best_of(with_mixupy, args.repeats)
        t_four = min(t_four, best_of(at_four, args.repeats))
        t_numpy = min(t_numpy, best_of(with_numpy, args.repeats))  # once more after, against drift
        lam = _draw.sample_lambda(alpha, size, np.random.default_rng(1))
        p_value = stats.kstest(lam, stats.beta(alpha, alpha).cdf).pvalue
        if alpha == 1:
            method = "uniform"
        elif alpha < 1:
            method = "Jöhnk, log space"
        elif alpha <= _beta.BB_MAX_ALPHA:
            method = "Cheng's BB"
        else:
            method = "`Generator.beta`"
        lines.append(
            f"| {alpha:g} | {t_numpy * 1e3:.1f} ms | {t_mixupy * 1e3:.1f} ms | {t_numpy / t_mixupy:.2f}× "
            f"| {method} | {p_value:.2f} | {t_mixupy / t_four:.2f}× |"
        )
    meta = (
        f"{size:,} draws on one thread, {os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
        f"numpy {np.__version__}; each time is the best of {args.repeats} runs (NumPy: of two rounds, before "
        "and after mixupy's); the last column divides by mixupy's best at α = 4, timed just before and after "
        "each α's."
    )
    text = "\n".join(lines) + f"\n\n{meta}\n\nReproduce with `python benchmarks/bench_beta.py`."
    print(text)
    if not args.quick:
        write_section(DOC, "beta", text)


if __name__ == "__main__":
    main()
