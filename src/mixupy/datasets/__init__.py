"""Small data sets shipped inside the package, read without any download."""

from __future__ import annotations

from importlib import resources

import pandas as pd

__all__ = ["load_iris"]

_SPECIES = ("setosa", "versicolor", "virginica")


def load_iris(*, one_hot: bool = True) -> pd.DataFrame:
    """Load Fisher's iris data (150 flowers, 4 measurements in cm, 3 species).

    Parameters
    ----------
    one_hot : bool, default True
        Encode the species as three bool columns ``setosa``, ``versicolor`` and
        ``virginica``, as ``pd.get_dummies(iris, columns=["species"], prefix="",
        prefix_sep="")`` does (the layout of mixupy 0.1.2's README). With False,
        one ``species`` column of strings is returned instead.

    Returns
    -------
    pandas.DataFrame
        Columns ``sepal_length``, ``sepal_width``, ``petal_length``,
        ``petal_width`` (float64) and the species column(s).

    Examples
    --------
    >>> from mixupy.datasets import load_iris
    >>> iris = load_iris()
    >>> iris.shape
    (150, 7)
    >>> list(iris.columns[4:])
    ['setosa', 'versicolor', 'virginica']
    >>> load_iris(one_hot=False)["species"].value_counts().to_dict()
    {'setosa': 50, 'versicolor': 50, 'virginica': 50}
    """
    if not isinstance(one_hot, bool):
        msg = f"`one_hot` must be True or False; got {one_hot!r} (type {type(one_hot).__name__})."
        raise TypeError(msg)
    with resources.files(__package__).joinpath("data", "iris.csv").open("r", encoding="utf-8") as fh:
        frame = pd.read_csv(fh, dtype={"species": str})
    if not one_hot:
        return frame
    dummies = pd.get_dummies(frame["species"], prefix="", prefix_sep="").reindex(
        columns=list(_SPECIES), fill_value=False
    )
    return pd.concat([frame.drop(columns="species"), dummies], axis=1)
