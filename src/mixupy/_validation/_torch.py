"""Checks of torch tensors and devices; torch is imported inside each check, never by ``import mixupy``."""

from __future__ import annotations

from typing import Any

from mixupy._validation._common import _show


def check_tensor_batch(x: Any, name: str = "x") -> Any:
    """Check ``x`` is a non-empty floating-point torch tensor with a batch dimension."""
    import torch

    if not isinstance(x, torch.Tensor):
        msg = f"`{name}` must be a torch.Tensor; got {type(x).__name__}. Hint: torch.as_tensor(array)."
        raise TypeError(msg)
    if not (x.is_floating_point()):
        msg = (
            f"`{name}` must have a floating dtype (float16, bfloat16, float32 or float64); got {x.dtype}. "
            f"Hint: convert it first, e.g. {name}.float() (mixing integers would truncate)."
        )
        raise TypeError(msg)
    if x.ndim == 0 or x.shape[0] == 0:
        msg = (
            f"`{name}` must be a batch with at least one sample along its first dimension; got shape {tuple(x.shape)}."
        )
        raise ValueError(msg)
    return x


def check_same_batch(y: Any, x: Any, name: str = "y") -> Any:
    """Check ``y`` is a tensor with as many samples as ``x``, on the same device."""
    import torch

    if not isinstance(y, torch.Tensor):
        msg = f"`{name}` must be a torch.Tensor; got {type(y).__name__}."
        raise TypeError(msg)
    if y.ndim == 0 or y.shape[0] != x.shape[0]:
        msg = (
            f"`{name}` must have one entry per sample of `x` ({x.shape[0]}) along its first dimension; "
            f"got shape {tuple(y.shape)}."
        )
        raise ValueError(msg)
    if y.device != x.device:
        msg = f"`{name}` is on device {y.device} but `x` is on {x.device}; move both to one device first."
        raise ValueError(msg)
    return y


def check_device(device: Any) -> Any:
    """Turn ``device`` (a string such as "cpu" or "cuda:0", or a torch.device) into a usable torch.device."""
    import torch

    if isinstance(device, torch.device):
        result = device
    elif isinstance(device, str):
        try:
            result = torch.device(device)
        except RuntimeError as err:
            msg = f'`device` must name a torch device such as "cpu" or "cuda"; got {device!r} ({err}).'
            raise ValueError(msg) from None
    else:
        msg = f'`device` must be None, a string such as "cpu" or "cuda", or a torch.device; got {_show(device)}.'
        raise TypeError(msg)
    if result.type == "cuda":
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if count == 0 or (result.index is not None and result.index >= count):
            msg = f'`device` is {device!r} but this machine has {count} usable CUDA device(s). Hint: device="cpu".'
            raise ValueError(msg)
    return result
