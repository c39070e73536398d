"""The torch appliers: a draw applied on a device (extra ``mixupy[torch]``).

* :func:`mix` mixes a batch with the partners and weights drawn on its device
  (:func:`mixupy._draw.cycle_partners_torch`, :func:`mixupy._draw.sample_lambda_torch`).
* :func:`mix_columns` applies a NumPy :class:`mixupy._draw.Draw` to table columns
  with torch, which is how ``mixupy.mixup(df, device=...)`` runs its arithmetic
  on a GPU; it gives the NumPy kernel's result bit for bit in float64 and float32.
"""

from __future__ import annotations

import numpy as np
import torch

from mixupy._apply import tail_rows
from mixupy._draw import Draw

__all__ = ["mix", "mix_columns"]


def mix(t: torch.Tensor, partner: torch.Tensor, lam: torch.Tensor) -> torch.Tensor:
    """``lam * t + (1 - lam) * t[partner]`` along the first dimension, in ``t``'s dtype."""
    weight = lam.to(t.dtype).view((-1,) + (1,) * (t.ndim - 1))
    # Gather by advanced indexing (a row copy; index_select is several times slower on the CPU), then
    # (1 - lam) * t[partner] + lam * t in place. Both terms are products with a weight in [0, 1], so they
    # stay finite for finite inputs (lerp's a + w * (b - a) overflows for b - a beyond the largest float),
    # and weights 0 and 1 still give exact copies.
    return t[partner].mul_(1 - weight).addcmul_(t, weight)


# Columns are moved to the device in blocks of at most this many values (source and result together).
_BLOCK_VALUES = 1 << 26


def mix_columns(
    columns: list[np.ndarray],
    d: Draw,
    dtype: np.dtype,
    *,
    keep_originals: bool = False,
    device: torch.device | str = "cpu",
) -> np.ndarray:
    """:func:`mixupy._apply.mix_columns` with the arithmetic done by torch on ``device``.

    Same inputs, same result: an array of shape ``(len(columns), rows)`` in
    ``dtype``. Each value is ``a - (1 - lam) * (a - b)`` for ``a, b =
    column[first], column[second]``, each operation rounded once in ``dtype``,
    the rows of :func:`mixupy._apply.tail_rows` taking ``b``, and a column with
    values beyond half the largest float mixed on halves, then doubled, as
    NumPy does, so float64 and float32 results agree bit for bit with the
    NumPy kernel. Columns travel to the device in blocks, so device
    memory stays bounded whatever the table's size.

    Examples
    --------
    >>> import numpy as np
    >>> from mixupy import _apply, _draw
    >>> from mixupy._apply_torch import mix_columns
    >>> d = _draw.draw(3, 3, 1.0, np.random.default_rng(0))
    >>> cols = [np.array([0.0, 1.0, 2.0]), np.array([5.0, 6.0, 7.0])]
    >>> on_torch = mix_columns(cols, d, np.dtype(np.float64), device="cpu")
    >>> bool((on_torch == _apply.mix_columns(cols, d, np.dtype(np.float64))).all())
    True
    """
    device = torch.device(device)
    n = columns[0].shape[0] if columns else 0
    offset = n if keep_originals else 0
    out = np.empty((len(columns), offset + len(d)), dtype=dtype)
    if not columns:
        return out
    first = torch.from_numpy(np.ascontiguousarray(d.first, dtype=np.int64)).to(device)
    second = torch.from_numpy(np.ascontiguousarray(d.second, dtype=np.int64)).to(device)
    rest = (1.0 - d.lam).astype(dtype)
    tail = torch.from_numpy(tail_rows(rest).astype(np.int64)).to(device)
    mlam = torch.from_numpy(rest).to(device)
    largest = float(np.finfo(dtype).max)
    step = max(1, _BLOCK_VALUES // (n + len(d)))
    for start in range(0, len(columns), step):
        block = np.stack([c.astype(dtype, copy=False) for c in columns[start : start + step]])
        rows = slice(start, start + block.shape[0])
        if keep_originals:
            out[rows, :n] = block
        source = torch.from_numpy(block).to(device)
        a, b = source.index_select(1, first), source.index_select(1, second)
        spread = np.abs(block).max(axis=1, initial=0.0)
        wide = np.flatnonzero(np.isfinite(spread) & (spread > largest / 2))  # gaps may overflow
        if wide.size:  # on halves, then doubled, as NumPy does
            at = torch.from_numpy(wide).to(device)
            half_a, half_b = a[at].mul_(0.5), b[at].mul_(0.5)
            halves = half_a.sub_(torch.sub(half_a, half_b, out=half_b).mul_(mlam)).mul_(2)
        # a - (1 - lam) * (a - b), NumPy's steps in place: between a and b (see mixupy._apply.mix_columns)
        mixed = a.sub_(torch.sub(a, b, out=b).mul_(mlam))
        if wide.size:
            mixed[at] = halves
        mixed[:, tail] = source.index_select(1, second.index_select(0, tail))  # weights next to 0: b
        out[rows, offset:] = mixed.cpu().numpy()
    return out
