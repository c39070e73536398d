"""mixupy: mixup data augmentation for pandas, NumPy, PyTorch and Dask.

mixup (Zhang et al., 2017) makes new training examples as convex combinations
of pairs of examples and of their labels: ``x' = lam * x_i + (1 - lam) * x_j``
with ``lam ~ Beta(alpha, alpha)``.

``import mixupy`` imports NumPy and pandas only. The names that need an optional
extra (torch, Dask, imbalanced-learn, Pillow, matplotlib) are listed in
``_LAZY`` and imported on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

from mixupy import datasets
from mixupy.frame import mixup

__version__ = "1.0.0"

# public name -> module that defines it; imported on first attribute access
_LAZY: dict[str, str] = {
    "expand_soft_labels": "mixupy.weights",
}

__all__ = ["__version__", "datasets", "mixup", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    msg = f"module 'mixupy' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
