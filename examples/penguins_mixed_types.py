"""mixup on a real mixed-type table with missing values: palmerpenguins, with and without mixup.

The table (shipped inside the ``palmerpenguins`` package, no download) has text categories (island, sex), a year
that is an attribute of the sampling rather than a measurement, four measurements and a few missing values.
A user would:

1. drop the 11 rows with a missing measurement or sex (333 rows left);
2. predict ``species`` from the rest, the categories one-hot encoded *after* mixing, as a model needs them;
3. mix with ``mixupy.mixup(train, labels="species", categorical=["island", "sex"], keep="year", concat=True)``:
   each synthetic penguin takes the island, sex and year of its dominant source, its measurements are
   interpolated, and its species label is a mix (a soft label, turned into sample weights for the classifier
   with ``mixupy.expand_soft_labels``, scaled so that their total equals the number of training rows: the
   regularisation of the classifier is then the same with and without mixup).

For each seed: a stratified split into train (60%), validation (20%) and test (20%). alpha is chosen on the
validation split from ``ALPHAS`` (never on the test split), then the model is refit on train and scored on test.
Printed: test accuracy and log-loss of a logistic regression, mean and standard deviation over the seeds, with
and without mixup.

Run ``python examples/penguins_mixed_types.py`` (10 seeds) or ``--quick`` (2 seeds).
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from palmerpenguins import load_penguins
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

import mixupy

CATEGORIES = ["island", "sex"]
ALPHAS = [0.1, 0.4, 1.0]


def model() -> object:
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), CATEGORIES),
        ("drop", ["year"]),
        remainder=StandardScaler(),
    )
    return make_pipeline(encode, LogisticRegression(C=0.05, max_iter=2000))


def fit(train: pd.DataFrame, alpha: float | None, seed: int) -> object:
    """The model fitted on ``train``, mixed first (originals kept) when ``alpha`` is given."""
    if alpha is None:
        return model().fit(train.drop(columns="species"), train["species"])
    mixed = mixupy.mixup(
        train, alpha=alpha, labels="species", categorical=CATEGORIES, keep="year", concat=True, random_state=seed
    )
    soft = [c for c in mixed.columns if c.startswith("species_")]
    X, y, weight = mixupy.expand_soft_labels(mixed.drop(columns=soft), mixed[soft], classes=[c[8:] for c in soft])
    weight = weight * (len(train) / weight.sum())  # the same total weight as without mixup: the same regularisation
    fitted = model()
    fitted.fit(X, y, logisticregression__sample_weight=weight)
    return fitted


def score(fitted: object, part: pd.DataFrame) -> tuple[float, float]:
    X, y = part.drop(columns="species"), part["species"]
    probabilities = fitted.predict_proba(X)  # type: ignore[attr-defined]
    classes = fitted.classes_  # type: ignore[attr-defined]
    return accuracy_score(y, classes[probabilities.argmax(axis=1)]), log_loss(y, probabilities, labels=classes)


def run(seeds: int) -> pd.DataFrame:
    penguins = load_penguins().dropna().reset_index(drop=True)
    rows = []
    for seed in range(seeds):
        train, rest = train_test_split(penguins, test_size=0.4, stratify=penguins["species"], random_state=seed)
        valid, test = train_test_split(rest, test_size=0.5, stratify=rest["species"], random_state=seed)
        best = min(ALPHAS, key=lambda a: score(fit(train, a, seed), valid)[1])  # on the validation split
        for name, alpha in (("no mixup", None), ("mixup", best)):
            accuracy, loss = score(fit(train, alpha, seed), test)
            rows.append({"method": name, "seed": seed, "alpha": alpha, "accuracy": accuracy, "log-loss": loss})
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 seeds, a smoke test")
    args = parser.parse_args()
    results = run(2 if args.quick else 10)
    summary = results.groupby("method", sort=False)[["accuracy", "log-loss"]].agg(["mean", "std"]).round(4)
    print(f"palmerpenguins, {results['seed'].nunique()} seeds, test split (alpha chosen on validation):")
    print(summary.to_string())
    chosen = results.loc[results["method"] == "mixup", "alpha"].value_counts().to_dict()
    print(f"alpha chosen per seed: {chosen}")
    paired = results.pivot_table(index="seed", columns="method", values="log-loss")
    difference = paired["mixup"] - paired["no mixup"]
    print(f"log-loss, mixup minus no mixup, per seed: mean {difference.mean():+.4f}, std {difference.std():.4f}")
    print(f"seeds where mixup had the lower log-loss: {int((difference < 0).sum())} of {len(difference)}")
    np.testing.assert_array_less(-1e-9, results["accuracy"])  # every fit produced a score


if __name__ == "__main__":
    main()
