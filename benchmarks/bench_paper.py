"""Does mixup help? The tabular experiment of the mixup paper, on data scikit-learn ships.

Zhang et al. (2017, "mixup: Beyond Empirical Risk Minimization", section on UCI
data) train a fully connected network with two hidden layers of 128 ReLU units
with Adam and mini-batches of 16, with and without mixup. This script does the
same on iris, wine, breast cancer and digits, each split 70/30 (stratified) by
several seeds, a fifth of the 70% then held out as a validation split, with

* ERM: plain training on the (one-hot) labels;
* mixup *once*: ``mixupy.mixup`` applied to the training frame one time before
  fitting, the network then trained on that fixed synthetic set;
* mixup *every epoch*: a fresh ``mixupy.mixup`` of the training frame each epoch;

for a few alpha values, with 0% and 30% of the training labels replaced by a
class drawn at random (the validation labels too, as a user's would be; the test
labels stay clean). A logistic regression and
gradient-boosted trees (``HistGradientBoostingClassifier``) learn from the same
once-mixed frame through the sample-weight route, ``mixupy.expand_soft_labels``.

Reported: test error, log-loss and expected calibration error (15 bins), mean
and standard deviation over the seeds, and, for the alpha of each regime with the
lowest mean validation error (the test split plays no part in the choice), the
paired difference to ERM. Everything runs on one CPU thread.

    python benchmarks/bench_paper.py             # the full run, writes docs/evidence.md
    python benchmarks/bench_paper.py --quick     # iris, one seed, a few epochs (a smoke test)
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn import datasets as skdata
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # for _report, also when imported by a test

from _report import write_section  # noqa: E402

import mixupy  # noqa: E402

DATASETS: dict[str, Callable[..., object]] = {
    "iris": skdata.load_iris,
    "wine": skdata.load_wine,
    "breast_cancer": skdata.load_breast_cancer,
    "digits": skdata.load_digits,
}
MARK_START = "<!-- bench:paper:start -->"
MARK_END = "<!-- bench:paper:end -->"
ECE_BINS = 15
ALPHA = "\N{GREEK SMALL LETTER ALPHA}"  # spelled out for the linter; the tables print the letter


@dataclass(frozen=True)
class Split:
    """One seed's standardised train/validation/test split; ``y_train`` and ``y_val`` may hold corrupted labels."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    n_classes: int

    def evaluated(self) -> tuple[np.ndarray, np.ndarray]:
        """The validation rows, then the test rows: what a fitted model predicts, in one call."""
        return np.vstack([self.x_val, self.x_test]), np.concatenate([self.y_val, self.y_test])


def make_split(name: str, seed: int, noise: float) -> Split:
    bunch = DATASETS[name]()
    x, y = bunch.data.astype(np.float64), bunch.target.astype(np.intp)  # type: ignore[attr-defined]
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.3, stratify=y, random_state=seed)
    n_classes = int(y.max()) + 1
    clean = y_train
    y_train = y_train.copy()
    if noise > 0:  # replace a share of the training labels by a class drawn uniformly at random
        rng = np.random.default_rng([seed, 7])
        hit = rng.choice(len(y_train), size=round(noise * len(y_train)), replace=False)
        y_train[hit] = rng.integers(0, n_classes, size=hit.size)
    # the validation split, for choosing alpha, comes out of the (possibly corrupted) training rows; the same
    # rows at every noise level (stratified by the true classes), so that noise is the only difference
    x_train, x_val, y_train, y_val = train_test_split(
        x_train, y_train, test_size=0.2, stratify=clean, random_state=seed
    )
    scaler = StandardScaler().fit(x_train)
    s = scaler.transform
    return Split(s(x_train), y_train, s(x_val), y_val, s(x_test), y_test, n_classes)


def training_frame(split: Split) -> tuple[pd.DataFrame, list[str]]:
    """Features and one-hot labels in one frame, as ``mixupy.mixup`` takes them."""
    features = [f"x{j}" for j in range(split.x_train.shape[1])]
    labels = [f"class_{k}" for k in range(split.n_classes)]
    frame = pd.DataFrame(split.x_train, columns=features)
    frame[labels] = np.eye(split.n_classes)[split.y_train]
    return frame, labels


def metrics(proba: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Test error, log-loss and expected calibration error of predicted probabilities."""
    proba = np.clip(proba, 1e-12, 1.0)
    proba = proba / proba.sum(axis=1, keepdims=True)
    pred = proba.argmax(axis=1)
    correct = (pred == y).astype(np.float64)
    log_loss = float(-np.log(proba[np.arange(len(y)), y]).mean())
    confidence = proba.max(axis=1)
    bins = np.minimum((confidence * ECE_BINS).astype(np.intp), ECE_BINS - 1)
    ece = 0.0
    for b in range(ECE_BINS):
        inside = bins == b
        if inside.any():
            ece += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    return float(1.0 - correct.mean()), log_loss, float(ece)


def mlp(n_in: int, n_out: int) -> torch.nn.Module:
    return torch.nn.Sequential(
        torch.nn.Linear(n_in, 128),
        torch.nn.ReLU(),
        torch.nn.Linear(128, 128),
        torch.nn.ReLU(),
        torch.nn.Linear(128, n_out),
    )


def train_mlp(
    split: Split, epochs: int, seed: int, batches: Callable[[int], tuple[np.ndarray, np.ndarray]]
) -> np.ndarray:
    """Train the paper's network on the rows ``batches(epoch)`` gives; return validation and test probabilities.

    The loss is the cross-entropy against soft targets, so ERM (one-hot targets)
    and mixup (mixed targets) train the same network the same way.
    """
    with torch.random.fork_rng():
        torch.manual_seed(seed)  # the same initial weights for every method of this seed
        net = mlp(split.x_train.shape[1], split.n_classes)
    optimiser = torch.optim.Adam(net.parameters(), lr=1e-3)
    order = torch.Generator().manual_seed(seed)
    for epoch in range(epochs):
        x_np, y_np = batches(epoch)
        x, y = torch.tensor(x_np, dtype=torch.float32), torch.tensor(y_np, dtype=torch.float32)
        for rows in torch.randperm(len(x), generator=order).split(16):
            optimiser.zero_grad()
            loss = -(y[rows] * torch.log_softmax(net(x[rows]), dim=1)).sum(dim=1).mean()
            loss.backward()
            optimiser.step()
    with torch.no_grad():
        x_eval = torch.as_tensor(split.evaluated()[0], dtype=torch.float32)
        return torch.softmax(net(x_eval), dim=1).double().numpy()


def run_one(
    name: str, seed: int, noise: float, alphas: list[float], epochs: int, models: list[str]
) -> Iterator[dict[str, object]]:
    """Every method on one split: ERM, then mixup once and every epoch at each alpha."""
    split = make_split(name, seed, noise)
    frame, labels = training_frame(split)
    features = [c for c in frame.columns if c not in labels]
    onehot = frame[labels].to_numpy()

    def record(model: str, regime: str, alpha: float, proba: np.ndarray) -> dict[str, object]:
        n_val = len(split.y_val)
        error, log_loss, ece = metrics(proba[n_val:], split.y_test)
        val_error = metrics(proba[:n_val], split.y_val)[0]
        row = {"dataset": name, "noise": noise, "seed": seed, "model": model, "regime": regime, "alpha": alpha}
        return {**row, "val_error": val_error, "error": error, "log_loss": log_loss, "ece": ece}

    def split_frame(mixed: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        return mixed[features].to_numpy(), mixed[labels].to_numpy()

    if "mlp" in models:
        yield record("MLP", "ERM", 0.0, train_mlp(split, epochs, seed, lambda _: (split.x_train, onehot)))
    if "linear" in models:
        yield record("logistic", "ERM", 0.0, fit_linear(split.x_train, split.y_train, None, split))
    if "gbt" in models:
        yield record("GBT", "ERM", 0.0, fit_gbt(split.x_train, split.y_train, None, split, seed))
    for alpha in alphas:
        once_rng = np.random.default_rng([seed, 1])
        once = split_frame(mixupy.mixup(frame, alpha=alpha, labels=labels, random_state=once_rng))
        if "mlp" in models:
            yield record("MLP", "once", alpha, train_mlp(split, epochs, seed, lambda _, once=once: once))
            rng = np.random.default_rng([seed, 2])
            fresh = lambda _, rng=rng, alpha=alpha: split_frame(  # noqa: E731
                mixupy.mixup(frame, alpha=alpha, labels=labels, random_state=rng)
            )
            yield record("MLP", "every epoch", alpha, train_mlp(split, epochs, seed, fresh))
        x_rep, y_rep, weight = mixupy.expand_soft_labels(once[0], once[1])
        if "linear" in models:
            yield record("logistic", "once", alpha, fit_linear(x_rep, y_rep, weight, split))
        if "gbt" in models:
            yield record("GBT", "once", alpha, fit_gbt(x_rep, y_rep, weight, split, seed))


def _full_proba(model: object, split: Split) -> np.ndarray:
    """Validation and test probabilities for every class, also those absent from the training labels."""
    x_eval = split.evaluated()[0]
    proba = np.zeros((len(x_eval), split.n_classes))
    proba[:, model.classes_] = model.predict_proba(x_eval)  # type: ignore[attr-defined]
    return proba


def fit_linear(x: np.ndarray, y: np.ndarray, weight: np.ndarray | None, split: Split) -> np.ndarray:
    model = LogisticRegression(max_iter=5000).fit(x, y, sample_weight=weight)
    return _full_proba(model, split)


def fit_gbt(x: np.ndarray, y: np.ndarray, weight: np.ndarray | None, split: Split, seed: int) -> np.ndarray:
    model = HistGradientBoostingClassifier(random_state=seed).fit(x, y, sample_weight=weight)
    return _full_proba(model, split)


def mean_std(values: pd.Series, scale: float, digits: int) -> str:
    return f"{values.mean() * scale:.{digits}f} ± {values.std(ddof=1) * scale if len(values) > 1 else 0:.{digits}f}"


METRICS = [("error", "test error %", 100.0, 1), ("log_loss", "log-loss", 1.0, 3), ("ece", "ECE %", 100.0, 1)]


def method_name(row: pd.Series) -> str:
    if row["regime"] == "ERM":
        return f"{row['model']}, ERM"
    return f"{row['model']}, mixup {row['regime']}, {ALPHA}={row['alpha']:g}"


def dataset_table(results: pd.DataFrame) -> str:
    """One Markdown table: a row per method, a column per metric and noise; the lowest test mean per model in bold.

    The bold marks are for reading only; the summary's alpha is chosen on the validation split.
    """
    noises = sorted(results["noise"].unique())
    keys = ["model", "regime", "alpha"]
    methods = results[keys].drop_duplicates()
    rank = {"MLP": 0, "logistic": 1, "GBT": 2, "ERM": 0, "once": 1, "every epoch": 2}
    methods = methods.sort_values(keys, key=lambda col: col.map(rank) if col.name != "alpha" else col)
    header = ["method"] + [f"{title}, {noise:.0%} noise" for _, title, _, _ in METRICS for noise in noises]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" + "---:|" * (len(header) - 1)]
    grouped = results.groupby([*keys, "noise"], sort=False)
    for _, method in methods.iterrows():
        cells = [method_name(method)]
        for metric, _, scale, digits in METRICS:
            for noise in noises:
                values = grouped.get_group((method["model"], method["regime"], method["alpha"], noise))[metric]
                same_model = results[(results["model"] == method["model"]) & (results["noise"] == noise)]
                best = same_model.groupby(keys)[metric].mean().min()
                cell = mean_std(values, scale, digits)
                cells.append(f"**{cell}**" if np.isclose(values.mean(), best) else cell)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def summary_table(results: pd.DataFrame) -> str:
    """For each data set, noise, model and mixup regime: the alpha with the lowest mean validation error, against ERM.

    Differences are paired (the same split and initial weights), mean ± std over
    the seeds; negative is better for all three.
    """
    lines = [
        f"| data set | noise | model | regime | {ALPHA} (validation) | Δ test error (points) | Δ log-loss "
        "| Δ ECE (points) |",
        "|---|---:|---|---|---:|---:|---:|---:|",
    ]
    for (name, noise, model), block in results.groupby(["dataset", "noise", "model"], sort=False):
        erm = block[block["regime"] == "ERM"].set_index("seed")
        for regime in [r for r in ("once", "every epoch") if (block["regime"] == r).any()]:
            mixed = block[block["regime"] == regime]
            alpha = mixed.groupby("alpha")["val_error"].mean().idxmin()  # chosen on validation, never on test
            best = mixed[mixed["alpha"] == alpha].set_index("seed")
            cells = [str(name), f"{noise:.0%}", str(model), regime, f"{alpha:g}"]
            for metric, _, scale, digits in METRICS:
                cells.append(mean_std(best[metric] - erm[metric], scale, digits))
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def report(results: pd.DataFrame, command: str, settings: str) -> str:
    parts = [
        f"Reproduce with `{command}` ({settings}).",
        "",
        f"### Mixup against ERM, {ALPHA} chosen on the validation split",
        "",
        "Paired differences, mixup minus ERM, on the same splits and initial weights (mean ± std over the seeds); "
        f"**negative is better**. The {ALPHA} shown is the one with the lowest mean validation error (a fifth of the "
        "training rows, held out, with the same label noise); the test split plays no part in the choice.",
        "",
        summary_table(results),
    ]
    for name in results["dataset"].unique():
        parts += ["", f"### {name}", "", dataset_table(results[results["dataset"] == name])]
    return "\n".join(parts)


def reproducing_options(parser: argparse.ArgumentParser, args: argparse.Namespace) -> list[str]:
    """The options that change the measurement (not where it is written), where they differ from the defaults."""
    if args.quick:
        return ["--quick"]
    options = []
    for name in ("datasets", "seeds", "epochs", "alphas", "noise", "models"):
        value = getattr(args, name)
        if value != parser.get_default(name):
            options += [f"--{name}", *(str(v) for v in (value if isinstance(value, list) else [value]))]
    return options


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="smoke test: iris, one seed, 5 epochs, alpha 0.4 (overrides those)"
    )
    parser.add_argument("--datasets", nargs="+", choices=list(DATASETS), default=list(DATASETS))
    parser.add_argument("--seeds", type=int, default=5, help="number of seeds (splits), default 5")
    parser.add_argument("--epochs", type=int, default=60, help="training epochs of the network, default 60")
    parser.add_argument("--alphas", type=float, nargs="+", default=[0.1, 0.4, 1.0])
    parser.add_argument("--noise", type=float, nargs="+", default=[0.0, 0.3], help="shares of corrupted labels")
    parser.add_argument("--models", nargs="+", choices=["mlp", "linear", "gbt"], default=["mlp", "linear", "gbt"])
    parser.add_argument("--doc", type=Path, default=ROOT / "docs" / "evidence.md", help="page to write the tables into")
    parser.add_argument("--no-write", action="store_true", help="print the tables only")
    parser.add_argument("--csv", type=Path, default=None, help="also save every run's figures to this CSV file")
    args = parser.parse_args(argv)
    if args.quick:
        args.datasets, args.seeds, args.epochs, args.alphas = ["iris"], 1, 5, [0.4]
    torch.set_num_threads(1)
    started = time.perf_counter()
    rows = []
    with threadpool_limits(limits=1):
        for name in args.datasets:
            for noise in args.noise:
                for seed in range(args.seeds):
                    rows.extend(run_one(name, seed, noise, args.alphas, args.epochs, args.models))
                    print(f"{name} noise={noise:.0%} seed={seed} done ({time.perf_counter() - started:.0f} s)")
    results = pd.DataFrame(rows)
    command = shlex.join(["python", "benchmarks/bench_paper.py", *reproducing_options(parser, args)])
    settings = (
        f"{args.seeds} seeds, {args.epochs} epochs, {ALPHA} in {args.alphas}, noise {args.noise}, "
        f"mixupy {mixupy.__version__}, torch {torch.__version__}"
    )
    if args.csv is not None:
        results.to_csv(args.csv, index=False)
    text = report(results, command, settings)
    print(text)
    if not args.no_write:
        write_section(args.doc, "paper", text)
        print(f"wrote the tables into {args.doc} ({time.perf_counter() - started:.0f} s in all)")
    return results


if __name__ == "__main__":
    main()
