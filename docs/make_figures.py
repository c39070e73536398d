"""Make the figures of the documentation from the code, into docs/img/ (or --out DIR).

    python docs/make_figures.py

Every figure has a fixed seed, so running it again redraws the same pictures.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mixupy import mixup  # noqa: E402
from mixupy.datasets import load_iris  # noqa: E402
from mixupy.plot import demo_figure, plot_lambda, plot_mixup  # noqa: E402

# file name -> (width, height) in pixels at 100 dpi; the tests check both
FIGURES = {
    "iris_mixup.png": (1000, 400),
    "iris_alphas.png": (1200, 400),
    "iris_label_modes.png": (1200, 400),
    "lambda_alphas.png": (1200, 300),
}


def make_figures(out: Path) -> list[Path]:
    """Write every figure of :data:`FIGURES` into ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    iris = load_iris(one_hot=False)
    petals = {"x": "petal_length", "y": "petal_width", "labels": "species"}
    figures = {"iris_mixup.png": demo_figure(alpha=0.4, seed=0)}

    fig, axes = plt.subplots(1, 3, figsize=(12, 4), dpi=100, layout="constrained", sharex=True, sharey=True)
    for ax, alpha in zip(axes, (0.1, 1.0, 4.0), strict=True):
        plot_mixup(iris, mixup(iris, alpha=alpha, labels="species", random_state=0), ax=ax, **petals)
        ax.set_title(f"alpha = {alpha:g}")
    figures["iris_alphas.png"] = fig

    fig, axes = plt.subplots(1, 3, figsize=(12, 4), dpi=100, layout="constrained", sharex=True, sharey=True)
    modes = {
        'label_mode="mix" (default)': {},
        'label_mode="dominant"': {"label_mode": "dominant"},
        "within_class=True": {"within_class": True},
    }
    for ax, (title, options) in zip(axes, modes.items(), strict=True):
        mixed = mixup(iris, alpha=1.0, labels="species", random_state=0, **options)
        plot_mixup(iris, mixed, ax=ax, **petals)
        ax.set_title(title)
    figures["iris_label_modes.png"] = fig

    fig, axes = plt.subplots(1, 4, figsize=(12, 3), dpi=100, layout="constrained")
    for ax, alpha in zip(axes, (0.1, 0.4, 1.0, 4.0), strict=True):
        plot_lambda(alpha, size=5000, bins=25, random_state=0, ax=ax)
    figures["lambda_alphas.png"] = fig

    paths = []
    for name, figure in figures.items():
        path = out / name
        figure.savefig(path, metadata={"Software": None})
        plt.close(figure)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="directory for the PNG files")
    args = parser.parse_args(argv)
    for path in make_figures(args.out):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
