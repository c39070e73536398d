"""mixupy: mixup data augmentation for pandas, NumPy, PyTorch and Dask.

mixup (Zhang et al., 2017) makes new training examples as convex combinations
of pairs of examples and of their labels: ``x' = lam * x_i + (1 - lam) * x_j``
with ``lam ~ Beta(alpha, alpha)``.

``import mixupy`` itself imports nothing beyond the standard library: every
public name is listed in ``_LAZY`` and its module is imported on first use
(``mixupy.mixup`` brings NumPy and pandas; the names that need an optional
extra, such as torch, Dask, imbalanced-learn, Pillow or matplotlib, bring it).
So the command line can answer Ctrl-C from its first moment.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import MappingProxyType

TYPE_CHECKING = False  # typing itself is not imported: the command line starts on this module
if TYPE_CHECKING:  # what a type checker reads in place of __getattr__: each name of _LAZY, from its module
    from typing import Any

    from mixupy import datasets
    from mixupy.arrays import MixupGenerator, mixup_arrays, mixup_streams
    from mixupy.cutpaste import cutmix, cutmix_arrays, cutmix_batch, cutmix_pairs
    from mixupy.dask import mixup_dask
    from mixupy.frame import mixup
    from mixupy.images import ImageFolder
    from mixupy.keras_dataset import MixupDataset
    from mixupy.regression_sampler import MixupRegressionSampler
    from mixupy.sampler import MixupSampler
    from mixupy.stream import mixup_file
    from mixupy.tensors import MixupLoss, mixup_batch, mixup_loss, mixup_pairs
    from mixupy.timeseries import mixup_lagged, mixup_series_array, mixup_timeseries
    from mixupy.transform import Mixup
    from mixupy.weights import expand_soft_labels

__version__ = "1.0.0"

# public name -> module that defines it; imported on first attribute access
_LAZY: Mapping[str, str] = MappingProxyType(
    {
        "mixup": "mixupy.frame",
        "datasets": "mixupy",
        "MixupSampler": "mixupy.sampler",
        "MixupRegressionSampler": "mixupy.regression_sampler",
        "expand_soft_labels": "mixupy.weights",
        "mixup_file": "mixupy.stream",
        "mixup_dask": "mixupy.dask",
        "MixupGenerator": "mixupy.arrays",
        "mixup_arrays": "mixupy.arrays",
        "mixup_streams": "mixupy.arrays",
        "ImageFolder": "mixupy.images",
        # torch tensors (extra "torch")
        "MixupLoss": "mixupy.tensors",
        "mixup_batch": "mixupy.tensors",
        "mixup_loss": "mixupy.tensors",
        "mixup_pairs": "mixupy.tensors",
        # CutMix (torch functions need the extra "torch"), one transform for batches, Keras 3 (extra "keras")
        "cutmix": "mixupy.cutpaste",
        "cutmix_arrays": "mixupy.cutpaste",
        "cutmix_batch": "mixupy.cutpaste",
        "cutmix_pairs": "mixupy.cutpaste",
        "Mixup": "mixupy.transform",
        "MixupDataset": "mixupy.keras_dataset",
        "mixup_lagged": "mixupy.timeseries",
        "mixup_series_array": "mixupy.timeseries",
        "mixup_timeseries": "mixupy.timeseries",
    }
)

__all__ = ["__version__", *_LAZY]


# top-level package a lazy module needs -> the extra that installs it
_EXTRAS: Mapping[str, str] = MappingProxyType(
    {
        "torch": "torch",
        "dask": "dask",
        "distributed": "dask",
        "imblearn": "imblearn",
        "sklearn": "imblearn",
        "keras": "keras",
    }
)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        try:
            if name == "datasets":  # a sub-package, not a name inside a module
                return importlib.import_module("mixupy.datasets")
            module = importlib.import_module(_LAZY[name])
        except ModuleNotFoundError as error:
            missing = (error.name or "").split(".")[0]
            if missing not in _EXTRAS:
                raise
            msg = f"mixupy.{name} needs {missing}, which is not installed: pip install 'mixupy[{_EXTRAS[missing]}]'"
            raise ImportError(msg) from error
        value = getattr(module, name)
        globals()[name] = value
        return value
    msg = f"module 'mixupy' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
