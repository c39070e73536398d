"""Soft (mixed) labels for any scikit-learn classifier, through sample weights.

A loss that is linear in the target, such as log-loss (cross-entropy), gives a
row with label probabilities ``p`` the same loss as one copy of the row per
class ``k`` with hard label ``k`` and sample weight ``p[k]``::

    -sum_k p[k] * log q[k]  ==  sum_k  p[k] * (-log q[k])

so a classifier that accepts ``sample_weight`` trains on mixup's soft labels
exactly when given the expanded rows. Needs NumPy and pandas only.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse

from mixupy._validation import check_soft_labels

__all__ = ["expand_soft_labels"]


def expand_soft_labels(X: Any, Y: Any, *, classes: Sequence[Hashable] | None = None) -> tuple[Any, Any, np.ndarray]:
    """Turn soft labels into hard labels with sample weights.

    Each row ``i`` of ``X`` whose label probabilities are ``Y[i]`` is repeated
    once per class ``k`` with ``Y[i, k] > 0``, with hard label ``k`` and sample
    weight ``Y[i, k]``. For log-loss (and any loss linear in the target) the
    weighted loss of the expanded rows equals the soft-label cross-entropy of
    the original ones, so ``LogisticRegression``, ``SGDClassifier(loss="log_loss")``,
    ``HistGradientBoostingClassifier`` and any estimator whose ``fit`` takes
    ``sample_weight`` can learn from mixup's mixed labels.

    Parameters
    ----------
    X : array-like or pandas.DataFrame, shape (n_rows, ...)
        Features: a DataFrame, a NumPy array of any rank, a scipy sparse matrix,
        or anything :func:`numpy.asarray` accepts.
    Y : array-like or pandas.DataFrame, shape (n_rows, n_classes)
        Label probabilities, one column per class: each row in [0, 1] and
        summing to 1 (one-hot rows are fine, bool columns too). The columns of a
        DataFrame name the classes, as the probability columns made by
        ``mixupy.mixup(df, labels="class")`` do.
    classes : sequence, optional
        The class of each column of ``Y``. Defaults to the columns of a
        DataFrame ``Y``, or ``0 ... n_classes - 1`` for an array.

    Returns
    -------
    X_rep : same kind as ``X``
        The rows of ``X`` repeated, in row order, each followed by its next class.
        A DataFrame keeps its columns and dtypes and repeats its index labels,
        so each expanded row can be traced to its source row.
    y : numpy.ndarray or pandas.Series, shape (n_expanded,)
        The hard label of each expanded row: a Series with the index of
        ``X_rep`` (named after ``Y.columns.name``) when ``X`` is a DataFrame,
        otherwise an array.
    sample_weight : numpy.ndarray of float64, shape (n_expanded,)
        ``Y[i, k]`` for each expanded row; the weights of one source row sum to 1.

    Raises
    ------
    TypeError
        ``Y`` has non-numeric columns.
    ValueError
        ``Y`` is not 2-D, holds missing, infinite or out-of-range values, a row
        does not sum to 1, ``classes`` has the wrong length or repeats a class,
        or ``X`` and ``Y`` have different numbers of rows.

    See Also
    --------
    mixupy.mixup : makes the soft labels, one probability column per class.

    Examples
    --------
    >>> import numpy as np
    >>> from mixupy import expand_soft_labels
    >>> X = np.array([[0.0], [1.0]])
    >>> Y = np.array([[0.25, 0.75], [1.0, 0.0]])
    >>> X_rep, y, w = expand_soft_labels(X, Y, classes=["cat", "dog"])
    >>> X_rep.ravel().tolist(), y.tolist(), w.tolist()
    ([0.0, 0.0, 1.0], ['cat', 'dog', 'cat'], [0.25, 0.75, 1.0])

    Train a scikit-learn classifier on the output of ``mixup``:

    >>> from sklearn.linear_model import LogisticRegression
    >>> from mixupy import mixup
    >>> from mixupy.datasets import load_iris
    >>> mixed = mixup(load_iris(one_hot=False), labels="species", random_state=0)
    >>> probs = ["species_setosa", "species_versicolor", "species_virginica"]
    >>> X_rep, y, w = expand_soft_labels(mixed.drop(columns=probs), mixed[probs])
    >>> model = LogisticRegression(max_iter=1000).fit(X_rep, y, sample_weight=w)
    >>> list(model.classes_)
    ['species_setosa', 'species_versicolor', 'species_virginica']
    """
    probabilities, labels = check_soft_labels(Y, classes)
    n_rows = _n_rows(X)
    if n_rows != probabilities.shape[0]:
        msg = (
            f"`X` and `Y` must have the same number of rows; got {n_rows} rows in `X` "
            f"and {probabilities.shape[0]} in `Y`."
        )
        raise ValueError(msg)
    rows, cols = np.nonzero(probabilities > 0)  # row-major: each row's classes in column order
    weight = probabilities[rows, cols].astype(np.float64)
    y_values = labels[cols]
    if isinstance(X, pd.DataFrame):
        X_rep = X.take(rows)
        name = Y.columns.name if isinstance(Y, pd.DataFrame) else None
        return X_rep, pd.Series(y_values, index=X_rep.index, name=name), weight
    if scipy.sparse.issparse(X):
        return X[rows], y_values, weight
    return np.take(np.asarray(X), rows, axis=0), y_values, weight


def _n_rows(X: Any) -> int:
    """The number of rows of ``X``, or a ValueError for a scalar."""
    shape = getattr(X, "shape", None)
    if shape is None:
        shape = np.shape(X)
    if len(shape) == 0:
        msg = f"`X` must have at least one dimension (one entry per row); got a scalar of type {type(X).__name__}."
        raise ValueError(msg)
    return int(shape[0])
