"""A small CNN on scikit-learn's digits (8x8 images): no augmentation, mixup, CutMix, and both with switching.

Every run trains the convolutional network of examples/digits_torch.py from the same initial weights on
the same split, with batches from a torch ``DataLoader`` whose ``collate_fn`` is one :class:`mixupy.Mixup`
transform (the loss form, ``pairs=True``, with :class:`mixupy.MixupLoss`); only the transform's options
differ:

* no augmentation: the transform turned off (``enabled = False``);
* mixup: ``Mixup(alpha=0.4)``, per sample;
* CutMix: ``Mixup(alpha=0, cutmix_alpha=1.0)``, per sample (a box of the 8x8 image);
* both: ``Mixup(alpha=0.4, cutmix_alpha=1.0, switch_prob=0.5)``, mixup or CutMix sample by sample.

Nothing is tuned: alpha 0.4 is fastai's mixup default (the one examples/digits_torch.py uses), 1.0 is the
CutMix paper's, and the epochs and learning rate are those of examples/digits_torch.py, all fixed before any
run. The 1797 images are split once per seed, stratified, into half for training and half for testing; the
test half is scored once, at the end of each run. The script prints the mean and standard deviation of the
test accuracy over the seeds.

    python examples/digits_cutmix.py                  # 5 seeds, 60 epochs
    python examples/digits_cutmix.py --write-docs     # the same, and the table into docs/cutmix.md
    python examples/digits_cutmix.py --quick          # 2 seeds, 2 epochs (for the test suite)
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import torch
from digits_torch import make_model  # the same network as examples/digits_torch.py (it takes flat images)
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import mixupy

DOCS = Path(__file__).resolve().parents[1] / "docs" / "cutmix.md"
REGIMES = {
    "no augmentation": {},
    "mixup, alpha 0.4": {"alpha": 0.4},
    "CutMix, alpha 1.0": {"alpha": 0.0, "cutmix_alpha": 1.0},
    "both, switch_prob 0.5": {"alpha": 0.4, "cutmix_alpha": 1.0, "switch_prob": 0.5},
}


def train(seed: int, options: dict[str, float], *, epochs: int) -> float:
    """Test accuracy of one run; empty ``options`` trains on plain batches."""
    digits = load_digits()
    x = torch.tensor(digits.images[:, None] / 16.0, dtype=torch.float32)  # (1797, 1, 8, 8)
    y = torch.tensor(digits.target, dtype=torch.int64)
    x_train, x_test, y_train, y_test = train_test_split(x, y, train_size=0.5, stratify=digits.target, random_state=seed)
    transform = mixupy.Mixup(**options, mode="elem", pairs=True, random_state=seed)
    transform.enabled = bool(options)
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(x_train, y_train),
        batch_size=64,
        shuffle=True,
        generator=torch.Generator().manual_seed(seed),
        collate_fn=transform,
    )
    torch.manual_seed(seed)  # the same initial weights for every regime
    model = make_model()
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = mixupy.MixupLoss()
    for epoch in range(epochs):
        transform.set_epoch(epoch)
        model.train()
        for xb, target in loader:  # images mixed as (n, 1, 8, 8), so that CutMix cuts boxes
            loss = loss_fn(model(xb.flatten(1)), target)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    return test_accuracy(model, x_test.flatten(1), y_test)


def test_accuracy(model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    """The share of ``x`` that ``model`` classifies right, scored once at the end of a run."""
    model.eval()
    with torch.inference_mode():
        predicted = model(x).argmax(dim=1)
    return predicted.eq(y).double().mean().item()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="2 seeds, 2 epochs: proves the script runs")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--write-docs", action="store_true", help=f"write the table into {DOCS.name}")
    args = parser.parse_args(argv)
    seeds, epochs = (2, 2) if args.quick else (args.seeds, args.epochs)
    torch.set_num_threads(1)  # a network this small runs fastest on one thread

    command = " ".join(["python", "examples/digits_cutmix.py", *(argv if argv is not None else sys.argv[1:])])
    lines = [
        f"Measured with `{command}` (torch {torch.__version__}, CPU): {epochs} epochs, seeds 0 to {seeds - 1}, "
        "half of the 1797 digits for training and half for testing.",
        "",
        f"| training | test accuracy, mean ± std over {seeds} seeds | per seed |",
        "|---|---|---|",
    ]
    print(f"digits, {epochs} epochs, seeds 0..{seeds - 1}")
    for label, options in REGIMES.items():
        accuracies = [train(seed, options, epochs=epochs) for seed in range(seeds)]
        spread = statistics.stdev(accuracies) if len(accuracies) > 1 else 0.0
        runs = ", ".join(f"{a:.3f}" for a in accuracies)
        mean = statistics.mean(accuracies)
        print(f"{label:>22}: test accuracy {mean:.4f} ± {spread:.4f}  ({runs})")
        lines.append(f"| {label} | {mean:.4f} ± {spread:.4f} | {runs} |")
    if args.write_docs:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
        from _report import write_section

        write_section(DOCS, "digits-cutmix", "\n".join(lines))
        print(f"written to {DOCS}")


if __name__ == "__main__":
    main()
