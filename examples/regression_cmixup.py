"""C-Mixup on regression data that ship with installed packages: ERM, plain mixup and mixup by target distance.

The protocol of C-Mixup (Yao et al., NeurIPS 2022), offline and small: for each data set and seed the rows are
split 60/20/20 into training, validation and test; features and target are standardised on the training split.

* **ERM**: the model fitted on the training rows.
* **mixup**: the training rows and as many mixed rows, ``MixupRegressionSampler(pairing="random",
  concat=True)``: partners uniform.
* **C-Mixup**: the same with ``pairing="target"``: partners drawn by the Gaussian kernel on the distance
  between (standardised) targets, ``bandwidth`` its sigma.

Only the training split is mixed. alpha (and, for C-Mixup, the bandwidth) is chosen per seed on the validation
split; the test split is used once, for the chosen configuration. Two models: a small MLP (scikit-learn's
``MLPRegressor``, two hidden layers of 64) and gradient-boosted trees (``HistGradientBoostingRegressor``).
Data: scikit-learn's diabetes data, ``make_friedman1`` (1,000 rows, noise 1) and the body mass of the Palmer
penguins (rows with a missing value dropped; species, island and sex one-hot encoded, year dropped).

    python examples/regression_cmixup.py            # 5 seeds; writes its table into docs/evidence.md
    python examples/regression_cmixup.py --quick    # one seed, a small grid, prints only
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.datasets import load_diabetes, make_friedman1
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

from mixupy import MixupRegressionSampler

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "evidence.md"
METHODS = ("ERM", "mixup", "C-Mixup")


def load_penguins_mass() -> tuple[np.ndarray, np.ndarray]:
    from palmerpenguins import load_penguins

    penguins = load_penguins().dropna().drop(columns=["year"])
    features = pd.get_dummies(penguins.drop(columns=["body_mass_g"]), columns=["species", "island", "sex"])
    return features.to_numpy(dtype=np.float64), penguins["body_mass_g"].to_numpy(dtype=np.float64)


def datasets(quick: bool) -> dict[str, Callable[[int], tuple[np.ndarray, np.ndarray]]]:
    rows = 300 if quick else 1000
    return {
        "diabetes": lambda seed: load_diabetes(return_X_y=True),
        "friedman1": lambda seed: make_friedman1(n_samples=rows, noise=1.0, random_state=seed),
        "penguins body mass": lambda seed: load_penguins_mass(),
    }


def models(quick: bool) -> dict[str, Callable[[int], Any]]:
    iterations = 150 if quick else 500
    return {
        "MLP": lambda seed: MLPRegressor(
            hidden_layer_sizes=(64, 64), learning_rate_init=1e-3, max_iter=iterations, random_state=seed
        ),
        "boosted trees": lambda seed: HistGradientBoostingRegressor(
            max_iter=100 if quick else 200, learning_rate=0.05, random_state=seed
        ),
    }


def errors(model: Any, X: np.ndarray, y: np.ndarray, scale: float) -> tuple[float, float]:
    """RMSE and MAE on ``(X, y)``, in the target's own units."""
    gap = (model.predict(X) - y) * scale
    return float(np.sqrt(np.mean(gap**2))), float(np.mean(np.abs(gap)))


def one_seed(
    X: np.ndarray, y: np.ndarray, make_model: Callable[[int], Any], seed: int, grid: dict[str, list[Any]]
) -> dict[str, tuple[float, float, str]]:
    """Per method: test RMSE, test MAE, and the configuration chosen on the validation split."""
    X_fit, X_test, y_fit, y_test = train_test_split(X, y, test_size=0.2, random_state=seed)
    X_train, X_val, y_train, y_val = train_test_split(X_fit, y_fit, test_size=0.25, random_state=seed)
    scaler = StandardScaler().fit(X_train)
    mean, scale = float(y_train.mean()), float(y_train.std())
    X_train, X_val, X_test = (scaler.transform(part) for part in (X_train, X_val, X_test))
    y_train, y_val, y_test = ((part - mean) / scale for part in (y_train, y_val, y_test))
    configurations: dict[str, list[dict[str, Any]]] = {
        "ERM": [{}],
        "mixup": [{"alpha": a} for a in grid["alpha"]],
        "C-Mixup": [{"alpha": a, "bandwidth": b} for a in grid["alpha"] for b in grid["bandwidth"]],
    }
    found: dict[str, tuple[float, float, str]] = {}
    for method, options in configurations.items():
        best: tuple[float, Any, str] | None = None
        for option in options:
            X_aug, y_aug = X_train, y_train
            if method != "ERM":
                pairing = "target" if method == "C-Mixup" else "random"
                sampler = MixupRegressionSampler(pairing=pairing, random_state=seed, **option)
                X_aug, y_aug = sampler.fit_resample(X_train, y_train)
            model = make_model(seed).fit(X_aug, y_aug)
            validation = errors(model, X_val, y_val, scale)[0]
            if best is None or validation < best[0]:
                best = (validation, model, ", ".join(f"{k}={v}" for k, v in option.items()) or "-")
        assert best is not None
        rmse, mae = errors(best[1], X_test, y_test, scale)
        found[method] = (rmse, mae, best[2])
    return found


def run(seeds: int, quick: bool) -> dict[tuple[str, str], dict[str, np.ndarray]]:
    """``(data set, model) -> method -> array (seeds, 2)`` of test RMSE and MAE; prints as it goes."""
    grid = {"alpha": [1.0], "bandwidth": [0.3]} if quick else {"alpha": [0.2, 1.0, 2.0], "bandwidth": [0.1, 0.3, 1.0]}
    results: dict[tuple[str, str], dict[str, np.ndarray]] = {}
    for data_name, load in datasets(quick).items():
        for model_name, make_model in models(quick).items():
            table: dict[str, list[tuple[float, float]]] = {m: [] for m in METHODS}
            for seed in range(seeds):
                X, y = load(seed)
                found = one_seed(X, y, make_model, seed, grid)
                for method in METHODS:
                    table[method].append(found[method][:2])
                chosen = "; ".join(f"{m} {found[m][2]}" for m in METHODS[1:])
                rmse = ", ".join(f"{m} {found[m][0]:.3f}" for m in METHODS)
                print(f"{data_name}, {model_name}, seed {seed}: test RMSE {rmse} (chosen: {chosen})", flush=True)
            results[(data_name, model_name)] = {m: np.array(v) for m, v in table.items()}
    return results


def paired(a: np.ndarray, b: np.ndarray) -> str:
    """Mean ± sd over seeds of ``a - b``, and how many seeds ``a`` is lower."""
    gap = a - b
    sd = gap.std(ddof=1) if gap.shape[0] > 1 else 0.0
    return f"{gap.mean():+.3f} ± {sd:.3f} ({int((gap < 0).sum())}/{gap.shape[0]})"


def report(results: dict[tuple[str, str], dict[str, np.ndarray]], seeds: int) -> list[str]:
    lines = [
        "| data, model | metric | ERM | mixup | C-Mixup | C-Mixup − ERM | C-Mixup − mixup |",
        "|---|---|---|---|---|---|---|",
    ]
    for (data_name, model_name), table in results.items():
        for k, metric in enumerate(("RMSE", "MAE")):
            cells = []
            for method in METHODS:
                values = table[method][:, k]
                sd = values.std(ddof=1) if values.shape[0] > 1 else 0.0
                cells.append(f"{values.mean():.3f} ± {sd:.3f}")
            c, e, m = table["C-Mixup"][:, k], table["ERM"][:, k], table["mixup"][:, k]
            lines.append(
                f"| {data_name}, {model_name} | {metric} | {' | '.join(cells)} | {paired(c, e)} | {paired(c, m)} |"
            )
    lines += [
        "",
        f"Test errors in the target's units, mean ± standard deviation over {seeds} seed(s); the last two columns are "
        "paired differences over the same seeds (negative: C-Mixup's error is lower), with the number of seeds in "
        "which C-Mixup's error was the lower one.",
    ]
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one seed, one alpha and bandwidth, short training")
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args(argv)
    seeds = 1 if args.quick else args.seeds
    warnings.filterwarnings("ignore", category=ConvergenceWarning)  # the MLP's fixed budget of epochs
    results = run(seeds, args.quick)
    lines = report(results, seeds)
    command = "python examples/regression_cmixup.py" + (" --quick" if args.quick else "")
    lines += ["", f"Reproduce with `{command}`."]
    print()
    print("\n".join(lines))
    if not args.quick:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from _report import write_section

        write_section(DOC, "regression", "\n".join(lines))
        print(f"\nwritten to {DOC}")


if __name__ == "__main__":
    main(sys.argv[1:])
