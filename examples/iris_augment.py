"""Augment the bundled iris data and compare classifiers trained with and without mixup.

The synthetic rows keep hard labels (label_mode="dominant", each row carries the
species of the flower it is mostly made of), so any scikit-learn classifier can
use them. Mixup is applied to the training folds only, never to the test fold.

    python examples/iris_augment.py [--quick]
"""

from __future__ import annotations

import argparse

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mixupy import mixup
from mixupy.datasets import load_iris

FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]


def evaluate(model_name: str, seeds: range, alpha: float) -> dict[str, list[float]]:
    iris = load_iris(one_hot=False)
    scores: dict[str, list[float]] = {"erm acc": [], "mixup acc": [], "erm logloss": [], "mixup logloss": []}
    for seed in seeds:
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
        for train_idx, test_idx in folds.split(iris[FEATURES], iris["species"]):
            train, test = iris.iloc[train_idx], iris.iloc[test_idx]
            mixed = mixup(train, alpha=alpha, concat=True, labels="species", label_mode="dominant", random_state=seed)
            for regime, data in [("erm", train), ("mixup", mixed)]:
                if model_name == "logistic":
                    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
                else:
                    model = make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=7))
                model.fit(data[FEATURES], data["species"])
                proba = model.predict_proba(test[FEATURES])
                scores[f"{regime} acc"].append(accuracy_score(test["species"], model.predict(test[FEATURES])))
                scores[f"{regime} logloss"].append(log_loss(test["species"], proba, labels=model.classes_))
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one seed instead of five")
    parser.add_argument("--alpha", type=float, default=0.4)
    args = parser.parse_args()
    seeds = range(1) if args.quick else range(5)
    print(f"iris, 5-fold CV x {len(seeds)} seed(s), alpha={args.alpha}, label_mode='dominant', concat=True")
    for model_name in ["logistic", "knn"]:
        s = evaluate(model_name, seeds, args.alpha)
        line = ", ".join(f"{k} {np.mean(v):.3f} ± {np.std(v):.3f}" for k, v in s.items())
        print(f"{model_name:9s} {line}")


if __name__ == "__main__":
    main()
