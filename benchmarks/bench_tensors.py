"""Benchmark: mix a batch of images with torch, side by side with a plain copy of the batch.

Times ``x.clone()`` (the cost of touching the batch once), :func:`mixupy.mixup_batch`
(integer labels, 1000 classes) and :func:`mixupy.mixup_pairs` on a
(256, 3, 224, 224) float32 batch, interleaved in one run, on the CPU and, when
torch sees one, on a CUDA device. On CUDA it reports the achieved memory
bandwidth as a fraction of the device's peak (from its memory clock and bus
width, or ``--peak-gbs``). A mix must read the batch twice (each sample and its
partner) and write it once, so its minimal traffic is 3x the batch's bytes; a
clone's is 2x.

    python benchmarks/bench_tensors.py            # full size, writes docs/torch.md
    python benchmarks/bench_tensors.py --quick    # batch of 16, 3 repeats, proves the script runs
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import torch
from _report import batch_parser, command_line, interleaved_medians, publish

import mixupy

DOCS = Path(__file__).resolve().parents[1] / "docs" / "torch.md"
MARK = "tensors"


def timer(device: torch.device) -> Callable[[Callable[[], object]], float]:
    """Seconds taken by one call, measured with CUDA events on a GPU and a monotonic clock on the CPU."""
    if device.type == "cuda":

        def cuda_time(fn: Callable[[], object]) -> float:
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record()
            fn()
            end.record()
            end.synchronize()
            return start.elapsed_time(end) / 1e3

        return cuda_time

    def cpu_time(fn: Callable[[], object]) -> float:
        t0 = time.perf_counter()
        fn()
        return time.perf_counter() - t0

    return cpu_time


def peak_bandwidth(device: torch.device, override_gbs: float | None) -> float | None:
    """Peak memory bandwidth in bytes/s: double data rate x memory clock x bus width."""
    if override_gbs:
        return override_gbs * 1e9
    props = torch.cuda.get_device_properties(device)
    clock_khz = getattr(props, "memory_clock_rate", 0)
    bus_bits = getattr(props, "memory_bus_width", 0)
    if not clock_khz or not bus_bits:
        return None
    return 2.0 * clock_khz * 1e3 * bus_bits / 8


def measure(device: torch.device, batch: int, repeats: int) -> dict[str, float]:
    """Median seconds of each operation, calls interleaved so that load on the machine hits all alike."""
    x = torch.randn(batch, 3, 224, 224, device=device)
    y = torch.randint(0, 1000, (batch,), device=device)
    gen = torch.Generator(device=device).manual_seed(0)
    ops: dict[str, Callable[[], object]] = {
        "x.clone()": x.clone,
        "mixup_batch(x, y, num_classes=1000)": lambda: mixupy.mixup_batch(x, y, num_classes=1000, random_state=gen),
        "mixup_pairs(x, y)": lambda: mixupy.mixup_pairs(x, y, random_state=gen),
    }
    return interleaved_medians(ops, timer(device), repeats)


def report(device: torch.device, batch: int, repeats: int, peak_gbs: float | None) -> list[str]:
    medians = measure(device, batch, repeats)
    nbytes = batch * 3 * 224 * 224 * 4
    peak = peak_bandwidth(device, peak_gbs) if device.type == "cuda" else None
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else f"CPU, {torch.get_num_threads()} threads"
    lines = [
        f"**{name}**, batch ({batch}, 3, 224, 224) float32 ({nbytes / 1e6:.0f} MB), median of {repeats}:",
        "",
        "| operation | time (ms) | x clone's time | minimal traffic (GB/s) |" + (" of peak |" if peak else ""),
        "|---|---:|---:|---:|" + ("---:|" if peak else ""),
    ]
    base = medians["x.clone()"]
    for op, seconds in medians.items():
        traffic = (2 if op == "x.clone()" else 3) * nbytes / seconds
        row = f"| `{op}` | {seconds * 1e3:.2f} | {seconds / base:.2f}x | {traffic / 1e9:.1f} |"
        if peak:
            row += f" {traffic / peak:.0%} |"
        lines.append(row)
    if peak:
        lines += ["", f"Peak memory bandwidth taken as {peak / 1e9:.0f} GB/s."]
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = batch_parser(__doc__, DOCS)
    parser.add_argument("--peak-gbs", type=float, default=None, help="the CUDA device's peak bandwidth, GB/s")
    args = parser.parse_args(argv)
    batch, repeats = (16, 3) if args.quick else (args.batch, args.repeats)

    devices = [torch.device("cpu")]
    if torch.cuda.is_available():
        devices.append(torch.device("cuda"))
    command = command_line("bench_tensors.py", argv)
    lines = [
        f"Measured with `{command}` (torch {torch.__version__}, {os.cpu_count()} CPU cores"
        + ("" if len(devices) > 1 else ", no CUDA device")
        + ").",
        "",
    ]
    for device in devices:
        lines += [*report(device, batch, repeats, args.peak_gbs), ""]
    publish(lines, DOCS, MARK, write=not args.no_docs)


if __name__ == "__main__":
    main()
