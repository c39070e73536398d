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
import time
from pathlib import Path

import numpy as np
from _report import write_section
from scipy import stats

from mixupy import _beta, _draw

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
ALPHAS = [0.2, 0.4, 0.99, 1.0, 1.5, 4.0, 20.0]


def main() -> None:
    parser = argparse.ArgumentParser(description="the Beta(alpha, alpha) draw against Generator.beta")
    parser.add_argument("--quick", action="store_true", help="100,000 draws, print only, do not write the docs")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--no-docs", action="store_true", help="print only")
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
        ops = {
            "numpy": functools.partial(rng.beta, alpha, alpha, size=size),
            "mixupy": functools.partial(_draw.sample_lambda, alpha, size, rng),
            "four": at_four,  # alpha = 4 in the same rounds: against drift
        }
        best = {name: float("inf") for name in ops}
        for _ in range(args.repeats):  # round after round, each timing all three: load hits them alike
            for name, fn in ops.items():
                start = time.thread_time()  # CPU time of this thread: a busy machine's waits do not count
                fn()
                best[name] = min(best[name], time.thread_time() - start)
        t_numpy, t_mixupy, t_four = best["numpy"], best["mixupy"], best["four"]
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
        f"numpy {np.__version__}; each time is the least CPU time of this thread (`time.thread_time`, so "
        f"that waiting for a core on a busy machine does not count) over {args.repeats} interleaved rounds, each round "
        "timing `Generator.beta`, mixupy, and mixupy at α = 4, by which the last column divides."
    )
    text = "\n".join(lines) + f"\n\n{meta}\n\nReproduce with `python benchmarks/bench_beta.py`."
    print(text)
    if not (args.quick or args.no_docs):
        write_section(DOC, "beta", text)


if __name__ == "__main__":
    main()
