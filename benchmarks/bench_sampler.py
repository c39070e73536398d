"""Synthetic rows per second: MixupSampler against SMOTE, side by side in one run.

The data is ``make_classification`` with a 9:1 class imbalance; every sampler
balances it (``sampling_strategy="auto"``), so each makes the same number of
synthetic rows. ``RandomOverSampler`` (copies of rows) is the memory-copy floor.
Each timing is the best of ``--repeat`` runs of ``fit_resample``.

The figures are written into ``docs/sampler.md`` between the
``<!-- bench:sampler:start -->`` and ``<!-- bench:sampler:end -->`` markers.

    python benchmarks/bench_sampler.py            # full: 10k, 100k and 1M rows
    python benchmarks/bench_sampler.py --quick    # 5k rows, one repeat
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import imblearn
import numpy as np
import sklearn
from imblearn.over_sampling import SMOTE, RandomOverSampler
from sklearn.datasets import make_classification

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _report import write_section  # noqa: E402

import mixupy  # noqa: E402  (the checkout's mixupy, not an installed one)
from mixupy import MixupSampler  # noqa: E402

DOCS = ROOT / "docs" / "sampler.md"
MARK = "sampler"
N_FEATURES = 20

SAMPLERS: dict[str, Callable[[], Any]] = {
    "RandomOverSampler (copies)": lambda: RandomOverSampler(random_state=0),
    "SMOTE (k=5)": lambda: SMOTE(k_neighbors=5, random_state=0),
    "MixupSampler random": lambda: MixupSampler(random_state=0),
    "MixupSampler neighbors (k=5)": lambda: MixupSampler(pairing="neighbors", k_neighbors=5, random_state=0),
    "MixupSampler dominant": lambda: MixupSampler(label_mode="dominant", random_state=0),
}


def best_time(make: Callable[[], Any], X: np.ndarray, y: np.ndarray, repeat: int) -> tuple[float, int]:
    """Best wall-clock seconds of ``fit_resample`` over ``repeat`` runs, and the synthetic rows made."""
    best, made = float("inf"), 0
    for _ in range(repeat):
        sampler = make()
        start = time.perf_counter()
        X_res, _ = sampler.fit_resample(X, y)
        best = min(best, time.perf_counter() - start)
        made = X_res.shape[0] - X.shape[0]
    return best, made


def run(sizes: list[int], repeat: int) -> list[str]:
    smote = "SMOTE (k=5)"
    lines = [
        "| rows in | synthetic rows | sampler | seconds | synthetic rows/s | speed vs SMOTE |",
        "|---:|---:|---|---:|---:|---:|",
    ]
    for n in sizes:
        X, y = make_classification(
            n_samples=n, n_features=N_FEATURES, n_informative=10, weights=[0.9, 0.1], random_state=0
        )
        times = {name: best_time(make, X, y, repeat) for name, make in SAMPLERS.items()}
        for name, (seconds, made) in times.items():
            ratio = times[smote][0] / seconds
            lines.append(f"| {n:,} | {made:,} | {name} | {seconds:.4f} | {made / seconds:,.0f} | {ratio:.2f}x |")
            print(lines[-1], flush=True)
    return lines


def write_docs(lines: list[str], command: str) -> None:
    about = (
        f"Measured with `{command}` on {platform.machine()} with {os.cpu_count()} CPU(s), Python "
        f"{platform.python_version()}, NumPy {np.__version__}, scikit-learn {sklearn.__version__}, "
        f"imbalanced-learn {imblearn.__version__}, mixupy {mixupy.__version__}; {N_FEATURES} float64 features, "
        "9:1 imbalance balanced to 1:1, best of the repeats."
    )
    if "--quick" in command:
        about += " A quick run, one repeat of a small size: the full table comes from the command without --quick."
    write_section(DOCS, MARK, "\n".join(["", about, "", *lines, ""]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="MixupSampler vs SMOTE, synthetic rows per second")
    parser.add_argument("--quick", action="store_true", help="5,000 rows, one repeat")
    parser.add_argument("--no-write", action="store_true", help=f"print only; leave {DOCS.name} alone")
    args = parser.parse_args(argv)
    sizes, repeat = ([5_000], 1) if args.quick else ([10_000, 100_000, 1_000_000], 3)
    lines = run(sizes, repeat)
    if not args.no_write:
        write_docs(lines, "python benchmarks/bench_sampler.py" + (" --quick" if args.quick else ""))
        print(f"written into {DOCS}")


if __name__ == "__main__":
    main()
