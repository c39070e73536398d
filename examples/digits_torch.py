"""Train a small torch network on scikit-learn's digits (8x8 images), with and without mixup.

Each run trains the same convolutional network from the same initial weights
on the same split, once on plain batches and once on batches mixed by
:func:`mixupy.mixup_pairs` with :func:`mixupy.mixup_loss` (the fastai recipe:
per-sample lambda, a batch mixed with a shuffled copy of itself, per-sample
losses mixed for integer targets). It repeats this over several seeds and prints
the mean and standard deviation of the test accuracy.

    python examples/digits_torch.py            # 5 seeds, 60 epochs
    python examples/digits_torch.py --quick    # 2 seeds, 2 epochs (for the test suite)
"""

from __future__ import annotations

import argparse
import statistics

import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import mixupy


def make_model() -> torch.nn.Module:
    return torch.nn.Sequential(
        torch.nn.Unflatten(1, (1, 8, 8)),
        torch.nn.Conv2d(1, 16, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.Conv2d(16, 32, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(32 * 4 * 4, 64),
        torch.nn.ReLU(),
        torch.nn.Linear(64, 10),
    )


def train(seed: int, *, alpha: float | None, epochs: int, train_size: float) -> float:
    """Test accuracy of one run; ``alpha=None`` trains without mixup."""
    digits = load_digits()
    x = torch.tensor(digits.data / 16.0, dtype=torch.float32)
    y = torch.tensor(digits.target, dtype=torch.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, train_size=train_size, stratify=digits.target, random_state=seed
    )
    torch.manual_seed(seed)  # the same initial weights with and without mixup
    model = make_model()
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = mixupy.MixupLoss()
    shuffle = torch.Generator().manual_seed(seed)
    mixing = torch.Generator().manual_seed(seed + 1)
    for _ in range(epochs):
        model.train()
        for batch in torch.randperm(len(x_train), generator=shuffle).split(64):
            xb, yb = x_train[batch], y_train[batch]
            if alpha is None:
                loss = loss_fn(model(xb), yb)
            else:
                xm, y_a, y_b, lam = mixupy.mixup_pairs(xb, yb, alpha=alpha, random_state=mixing)
                loss = loss_fn(model(xm), (y_a, y_b, lam))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    model.eval()
    with torch.no_grad():
        return float((model(x_test).argmax(dim=1) == y_test).float().mean())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="2 seeds, 2 epochs: proves the script runs")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--alpha", type=float, default=0.4)
    parser.add_argument("--train-size", type=float, default=0.5, help="fraction of the 1797 images used to train")
    args = parser.parse_args(argv)
    seeds, epochs = (2, 2) if args.quick else (args.seeds, args.epochs)
    torch.set_num_threads(1)  # a network this small runs fastest on one thread

    print(f"digits, train fraction {args.train_size}, {epochs} epochs, seeds 0..{seeds - 1}")
    for label, alpha in (("no mixup", None), (f"mixup alpha={args.alpha}", args.alpha)):
        accuracies = [train(seed, alpha=alpha, epochs=epochs, train_size=args.train_size) for seed in range(seeds)]
        spread = statistics.stdev(accuracies) if len(accuracies) > 1 else 0.0
        runs = ", ".join(f"{a:.3f}" for a in accuracies)
        print(f"{label:>18}: test accuracy {statistics.mean(accuracies):.4f} ± {spread:.4f}  ({runs})")


if __name__ == "__main__":
    main()
