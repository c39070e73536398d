"""How the tests read a draw back from a public result: one-hot "tracer" labels, one column per source row.

A synthetic row mixed from rows ``i`` and ``j`` with weight ``lam`` carries the tracer weights
``lam * e_i + (1 - lam) * e_j``, so its sources and weight are known exactly without reaching into mixupy.
"""

from __future__ import annotations

import numpy as np


def trace(weights: np.ndarray, first: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(second, lam)`` of each synthetic row from its tracer weights, given its first source.

    A row whose whole weight is on its first source (``lam == 1``) gets ``second = first``.
    """
    rows = np.arange(weights.shape[0])
    lam = weights[rows, first]
    rest = weights.copy()
    rest[rows, first] = 0
    second = np.where(rest.max(axis=1) > 0, rest.argmax(axis=1), first)
    return second, lam


def run_benchmark(script: str, *args: str) -> str:
    """Run ``benchmarks/SCRIPT`` with ``args`` (its quick mode) against this checkout; return what it printed."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    command = [sys.executable, str(root / "benchmarks" / script), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=True, timeout=300).stdout
