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


def mixed(a: np.ndarray, b: np.ndarray, lam: np.ndarray, dtype: object = np.float64) -> np.ndarray:
    """What mixupy writes for a table's sources ``a`` (weight ``lam``) and ``b``, written out here from its docs:
    ``a - (1 - lam) * (a - b)``, each step rounded once in ``dtype`` (``1 - lam`` taken in float64, then cast),
    and a row whose ``1 - lam`` rounds above ``1 - eps`` takes ``b``. ``lam`` broadcasts along the first axis."""
    dtype = np.dtype(dtype)  # type: ignore[arg-type]
    rest = (1.0 - np.asarray(lam, dtype=np.float64)).astype(dtype)
    rest = rest.reshape(rest.shape + (1,) * (np.ndim(a) - rest.ndim))
    a, b = np.asarray(a).astype(dtype), np.asarray(b).astype(dtype)
    out = a - rest * (a - b)
    return np.where(rest > 1.0 - np.finfo(dtype).eps, b, out)


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
