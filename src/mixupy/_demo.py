"""``mixupy demo``: the bundled iris data mixed, and described before and after."""

from __future__ import annotations

from mixupy import __version__

__all__ = ["demo_summary"]


def demo_summary(alpha: float = 4.0, seed: int = 0) -> str:
    """Mix the bundled iris data and describe it before and after, as text."""
    import pandas as pd

    from mixupy.datasets import load_iris
    from mixupy.frame import mixup

    iris = load_iris()
    species = ["setosa", "versicolor", "virginica"]
    mixed = mixup(iris, alpha=alpha, labels=species, random_state=seed)
    features = [c for c in iris.columns if c not in species]
    table = pd.DataFrame(
        {
            "original mean": iris[features].mean(),
            "mixed mean": mixed[features].mean(),
            "original std": iris[features].std(),
            "mixed std": mixed[features].std(),
        }
    ).round(3)
    soft = mixed[species].to_numpy()
    lines = [
        f"mixupy {__version__} demo: iris, {len(iris)} rows, alpha={alpha}, seed={seed}",
        f"made {len(mixed)} synthetic rows; label columns {species} mixed with the same lambda as the features",
        "",
        table.to_string(),
        "",
        f"label rows summing to 1: {int((abs(soft.sum(axis=1) - 1) < 1e-9).sum())} of {len(mixed)}",
        f"synthetic rows whose label is shared by two species: {int((soft.max(axis=1) < 0.99).sum())}; "
        f"by one species (a same-species pair, or lambda near 0 or 1): {int((soft.max(axis=1) >= 0.99).sum())}",
        "mixing narrows the spread (std) while keeping the means: synthetic rows lie between real ones.",
        "",
        "first synthetic rows:",
        mixed.head().round(3).to_string(),
    ]
    return "\n".join(lines)
