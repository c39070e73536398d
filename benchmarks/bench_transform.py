"""Benchmark: mixupy.Mixup on a batch of images, against a copy and against a per-sample loop as timm writes it.

Times, interleaved in one run, on a (256, 3, 224, 224) float32 batch with 1000-class integer labels:
``x.clone()`` (the cost of touching the batch once), ``Mixup(alpha=1.0)`` (mixup, one lambda per sample),
``Mixup(cutmix_alpha=1.0)`` (CutMix, a box per sample), and the same two written as a Python loop over the
samples, the way timm's ``Mixup._mix_elem`` does it (our own loop: lambda and box drawn with NumPy on the
host, one slice assignment or interpolation per sample, targets one-hot encoded and mixed). On the CPU, and
on a CUDA device when torch sees one; without one, that part is skipped and the output says so.

    python benchmarks/bench_transform.py            # full size, writes docs/benchmarks.md
    python benchmarks/bench_transform.py --quick    # batch of 16, 3 repeats, proves the script runs
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from _report import batch_parser, command_line, interleaved_medians, publish
from bench_tensors import timer

import mixupy

DOCS = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
MARK = "transform"
CLASSES = 1000


def loop_mixup(x: torch.Tensor, y: torch.Tensor, rng: np.random.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """mixup per sample, as timm's element mode: sample i with sample n - 1 - i, lambda per sample."""
    n = x.shape[0]
    lam = rng.beta(1.0, 1.0, size=n)
    out = x.clone()
    flipped = x.flip(0)
    for i in range(n):
        out[i] = x[i] * lam[i] + flipped[i] * (1 - lam[i])
    return out, _loop_targets(y, lam)


def loop_cutmix(x: torch.Tensor, y: torch.Tensor, rng: np.random.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """CutMix per sample, as timm's element mode: a box drawn on the host, pasted by a slice per sample."""
    n, _, h, w = x.shape
    lam = rng.beta(1.0, 1.0, size=n)
    out = x.clone()
    flipped = x.flip(0)
    for i in range(n):
        cut_h, cut_w = int(h * np.sqrt(1 - lam[i])), int(w * np.sqrt(1 - lam[i]))
        cy, cx = rng.integers(h), rng.integers(w)
        top, bottom = np.clip(cy - cut_h // 2, 0, h), np.clip(cy + cut_h // 2, 0, h)
        left, right = np.clip(cx - cut_w // 2, 0, w), np.clip(cx + cut_w // 2, 0, w)
        out[i, :, top:bottom, left:right] = flipped[i, :, top:bottom, left:right]
        lam[i] = 1 - (bottom - top) * (right - left) / (h * w)
    return out, _loop_targets(y, lam)


def _loop_targets(y: torch.Tensor, lam: np.ndarray) -> torch.Tensor:
    hot = torch.nn.functional.one_hot(y, CLASSES).float()
    weight = torch.as_tensor(lam, dtype=torch.float32, device=y.device)[:, None]
    return hot * weight + hot.flip(0) * (1 - weight)


def measure(device: torch.device, batch: int, repeats: int) -> dict[str, float]:
    """Median seconds of each operation, calls interleaved so that load on the machine hits all alike."""
    x = torch.randn(batch, 3, 224, 224, device=device)
    y = torch.randint(0, CLASSES, (batch,), device=device)
    mix = mixupy.Mixup(alpha=1.0, mode="elem", num_classes=CLASSES, random_state=0)
    cut = mixupy.Mixup(alpha=0.0, cutmix_alpha=1.0, mode="elem", num_classes=CLASSES, random_state=0)
    rng = np.random.default_rng(0)
    ops: dict[str, Callable[[], object]] = {
        "x.clone()": x.clone,
        "Mixup(alpha=1.0)": lambda: mix(x, y),
        "Mixup(cutmix_alpha=1.0)": lambda: cut(x, y),
        "loop, mixup": lambda: loop_mixup(x, y, rng),
        "loop, CutMix": lambda: loop_cutmix(x, y, rng),
    }
    return interleaved_medians(ops, timer(device), repeats)


def report(device: torch.device, batch: int, repeats: int) -> list[str]:
    medians = measure(device, batch, repeats)
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else f"CPU, {torch.get_num_threads()} threads"
    nbytes = batch * 3 * 224 * 224 * 4
    lines = [
        f"**{name}**, batch ({batch}, 3, 224, 224) float32 ({nbytes / 1e6:.0f} MB), {CLASSES} classes, "
        f"median of {repeats}:",
        "",
        "| operation | time (ms) | x clone's time | the loop's time |",
        "|---|---:|---:|---:|",
    ]
    base = medians["x.clone()"]
    loops = {"Mixup(alpha=1.0)": "loop, mixup", "Mixup(cutmix_alpha=1.0)": "loop, CutMix"}
    for op, seconds in medians.items():
        versus = f"{seconds / medians[loops[op]]:.2f}x" if op in loops else ""
        lines.append(f"| `{op}` |" if op.startswith(("x.", "Mixup")) else f"| {op} |")
        lines[-1] += f" {seconds * 1e3:.2f} | {seconds / base:.2f}x | {versus} |"
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = batch_parser(__doc__, DOCS)
    args = parser.parse_args(argv)
    batch, repeats = (16, 3) if args.quick else (args.batch, args.repeats)
    command = command_line("bench_transform.py", argv)
    lines = [f"Measured with `{command}` (torch {torch.__version__}, {os.cpu_count()} CPU cores).", ""]
    lines += [*report(torch.device("cpu"), batch, repeats), ""]
    if torch.cuda.is_available():
        lines += [*report(torch.device("cuda"), batch, repeats), ""]
    else:
        lines += ["CUDA: no CUDA device: the CUDA part was skipped.", ""]
    publish(lines, DOCS, MARK, write=not args.no_docs)


if __name__ == "__main__":
    main()
