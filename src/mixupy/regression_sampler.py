"""``MixupRegressionSampler``: mixup (and C-Mixup) for regression, as an imbalanced-learn pipeline step.

Needs the ``imblearn`` extra (``pip install mixupy[imblearn]``). ``fit_resample(X, y)`` takes a continuous
``y`` and returns mixed ``X`` and mixed ``y`` (after the originals, by default), so it works as a step of
:class:`imblearn.pipeline.Pipeline`, where resampling happens only while fitting: cross-validation and grid
search mix each training fold, never a test fold. The draw is :mod:`mixupy._draw`'s, the same as
:func:`mixupy.mixup` makes with ``target=`` and ``pairing=``.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import pandas as pd
import scipy.sparse
from imblearn.base import BaseSampler
from imblearn.utils._validation import ArraysTransformer
from sklearn.utils.multiclass import type_of_target

from mixupy import _apply, _draw
from mixupy._frames import resample_on_pandas, resampled_on_pandas
from mixupy._options import random_source
from mixupy._validation import (
    PAIRINGS,
    check_alpha,
    check_bandwidth,
    check_bool,
    check_choice,
    check_neighbour_groups,
    check_positive_int,
    check_target_array,
)
from mixupy.sampler import _check_rows, _float_columns, _mix_sparse

CONSTANT_HINT = "Hint: a constant target leaves nothing to regress; for class labels use mixupy.MixupSampler."

__all__ = ["MixupRegressionSampler"]


class MixupRegressionSampler(BaseSampler):
    """Mix the rows of a regression set, features and continuous target with the same ``lam``.

    Each synthetic row is ``lam * (x_i, y_i) + (1 - lam) * (x_j, y_j)`` with ``lam ~ Beta(alpha, alpha)``;
    the first rows ``i`` are every row once per full pass, then a random subset. The partner ``j`` is
    drawn by ``pairing``: uniformly (mixup, Zhang et al., 2017), or by target distance (C-Mixup, Yao et
    al., 2022: ``j`` with probability proportional to ``exp(-|y_i - y_j|**2 / (2 * bandwidth**2))``, drawn
    exactly), so that rows of close targets mix and the mixed target stays plausible for the mixed features.

    Parameters
    ----------
    alpha : float, default 2.0
        Beta(alpha, alpha) parameter, >= 0: 1 draws ``lam`` uniformly, smaller values keep the synthetic
        rows near the originals, larger ones near the midpoints. The default is 2, the ``mix_alpha`` of
        C-Mixup's reference implementation for nearly all of its data sets; tune it with the model (see
        the evidence page of the documentation).
    pairing : {"random", "target", "neighbors"}, default "random"
        "random": any other row. "target": by the kernel on the distance between targets (Euclidean for a
        2-D ``y``). "neighbors": one of the ``k_neighbors`` nearest rows in feature space (scale ``X``
        first).
    bandwidth : float, optional
        The kernel's sigma for ``pairing="target"``, in the units of ``y``. None takes Silverman's rule
        from the spread of the ``y`` it is given, ``(4/3) ** (1/5) * min(std, IQR / 1.349) * n ** (-1/5)``
        for one target, so each fold of a cross-validation gets its own.
    k_neighbors : int, default 5
        For ``pairing="neighbors"``; ``X`` needs more rows than this.
    ratio : float, default 1.0
        Synthetic rows per row given, > 0: ``round(ratio * n_samples)`` of them (at least one).
    concat : bool, default True
        Return the original rows first, unchanged, then the synthetic ones; False returns the synthetic
        rows alone (training on mixed rows only, as mixup's authors did).
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState, optional
        Seed or generator; the same seed gives the same rows. The global NumPy random state is never read.

    Attributes
    ----------
    sampling_strategy_ : int
        How many synthetic rows the last fit made (imbalanced-learn's name for what a sampler makes).
    n_features_in_ : int
        The number of columns of the last ``X``.
    feature_names_in_ : ndarray of str
        The column names of the last ``X``, when it was a DataFrame whose names are all strings.

    Notes
    -----
    ``X`` may be a NumPy array, a list, a scipy sparse matrix (CSR or CSC, returned in its own format) or
    a DataFrame of numbers; ``y`` a NumPy array, list, Series or DataFrame of numbers, one column or
    several (a 2-D ``y`` is paired by the Euclidean distance between its rows). Pandas in gives pandas
    out, columns and names kept, values as float (the mixed values). Integer targets are numbers here;
    for class labels use :class:`mixupy.MixupSampler`.

    Raises
    ------
    ValueError
        In ``fit_resample``: ``y`` holds class labels that are not numbers, missing or infinite values, or
        one value only; ``X`` holds NaN or infinity; lengths differ; a parameter is out of its range
        (``alpha``, ``pairing``, ``bandwidth``, ``k_neighbors``, ``ratio``).
    TypeError
        A DataFrame ``X`` with non-numeric columns, or a parameter of the wrong type.

    See Also
    --------
    mixupy.mixup : the same on a DataFrame holding the target (``target=``, ``pairing=``).
    mixupy.MixupSampler : mixup as an over-sampler of classes.

    Examples
    --------
    >>> import numpy as np
    >>> from mixupy import MixupRegressionSampler
    >>> X = np.array([[0.0], [1.0], [2.0], [10.0], [11.0], [12.0]])
    >>> y = 3 * X[:, 0] + 1
    >>> sampler = MixupRegressionSampler(pairing="target", bandwidth=2.0, random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> X_res.shape, y_res.shape
    ((12, 1), (12,))
    >>> bool(np.allclose(y_res, 3 * X_res[:, 0] + 1))  # a linear target stays exact under mixing
    True

    In a pipeline, only the training folds are mixed:

    >>> from imblearn.pipeline import make_pipeline
    >>> from sklearn.linear_model import Ridge
    >>> model = make_pipeline(MixupRegressionSampler(random_state=0), Ridge(alpha=1e-6))
    >>> round(float(model.fit(X, y).predict([[5.0]])[0]), 3)
    16.0
    """

    _sampling_type = "bypass"

    # mixupy checks its own parameters, with the package's messages, in fit and fit_resample; declared here as
    # such so that imbalanced-learn's and scikit-learn's parameter checks know every parameter.
    _parameter_constraints: dict[str, Any] = {  # noqa: RUF012 (scikit-learn's declarative convention)
        name: "no_validation"
        for name in ("alpha", "pairing", "bandwidth", "k_neighbors", "ratio", "concat", "random_state")
    }

    def __init__(
        self,
        *,
        alpha: float = 2.0,
        pairing: str = "random",
        bandwidth: float | None = None,
        k_neighbors: int = 5,
        ratio: float = 1.0,
        concat: bool = True,
        random_state: Any = None,
    ) -> None:
        super().__init__()
        self.alpha, self.pairing, self.bandwidth, self.k_neighbors = alpha, pairing, bandwidth, k_neighbors
        self.ratio, self.concat, self.random_state = ratio, concat, random_state

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True  # a 2-D y: several targets, paired by Euclidean distance
        return tags

    def fit(self, X: Any, y: Any, **params: Any) -> MixupRegressionSampler:
        """Check the parameters and the data, and record the features; mixing is ``fit_resample``'s.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
        y : {array-like, Series, DataFrame} of shape (n_samples,) or (n_samples, n_targets)

        Returns
        -------
        MixupRegressionSampler
            The sampler itself.
        """
        self._checked()
        _, values, _ = self._inputs(X, y)
        self.sampling_strategy_ = self._size(values.shape[0])
        return self

    def fit_resample(self, X: Any, y: Any, **params: Any) -> tuple[Any, Any]:
        """Mix the rows of ``X`` and ``y`` with one draw: the same ``lam`` for a row's features and target.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Features: numbers, no NaN or infinity.
        y : {array-like, Series, DataFrame} of shape (n_samples,) or (n_samples, n_targets)
            The continuous target(s): numbers, no NaN or infinity, not all one value.

        Returns
        -------
        X_resampled : the container of ``X``, shape (n_rows_out, n_features)
            With ``concat=True`` the rows of ``X`` first, unchanged; then the synthetic ones.
        y_resampled : the container of ``y``
            Their targets, mixed with the features' ``lam``.
        """
        if resampled_on_pandas(X, y):  # a polars or pyarrow X or y: resampled as pandas, returned in its kind
            return cast(tuple[Any, Any], resample_on_pandas(self.fit_resample, X, y, params))
        self._checked()
        X, values, transformer = self._inputs(X, y)
        return transformer.transform(*self._fit_resample(X, values))

    def _fit_resample(self, X: Any, y: np.ndarray, **params: Any) -> tuple[Any, np.ndarray]:
        """Mix validated ``X`` (array or sparse) and ``y`` (numbers, ``(n,)`` or ``(n, D)``) with one draw."""
        alpha, pairing, bandwidth, k_neighbors, concat = self._checked()
        n = y.shape[0]
        size = self._size(n)
        if pairing == "target":
            partners: _draw.Pairing | None = _draw.by_target(y.reshape(n, -1).astype(np.float64), bandwidth)
        elif pairing == "neighbors":
            partners = _draw.Neighbours(X, np.zeros(n, dtype=np.intp), k_neighbors)
        else:
            partners = None
        d = _draw.draw(n, size, alpha, random_source(self.random_state), pairing=partners)
        self.sampling_strategy_ = size
        y_mixed = _apply.mix_rows(y, d, between=True)
        if scipy.sparse.issparse(X):
            X_out = _mix_sparse(X, d)
            X_out = X_out if concat else X_out[n:]
        else:
            X_mixed = _apply.mix_rows(X, d, between=True)
            X_out = np.concatenate([X, X_mixed]) if concat else X_mixed
        return X_out, np.concatenate([y, y_mixed]) if concat else y_mixed

    def _checked(self) -> tuple[float, str, float | None, int, bool]:
        """The parameters, checked once per call: alpha, pairing, bandwidth, k_neighbors, concat (and ratio)."""
        self._ratio()
        return (
            check_alpha(self.alpha),
            check_choice(self.pairing, "pairing", PAIRINGS),
            check_bandwidth(self.bandwidth),
            check_positive_int(self.k_neighbors, "k_neighbors"),
            check_bool(self.concat, "concat"),
        )

    def _ratio(self) -> float:
        value = self.ratio
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
            msg = f"`ratio` must be a positive number of synthetic rows per row given; got {value!r}."
            raise TypeError(msg)
        if not (np.isfinite(value) and value > 0):
            msg = f"`ratio` must be a positive finite number of synthetic rows per row given; got {value!r}."
            raise ValueError(msg)
        return float(value)

    def _size(self, n: int) -> int:
        return max(1, round(self._ratio() * n))

    def _inputs(self, X: Any, y: Any) -> tuple[Any, np.ndarray, ArraysTransformer]:
        """``X`` validated (its features recorded), ``y`` as an array of numbers, and how to give the results
        back in the containers that came in (as floats: they hold mixed values)."""
        _check_rows(X, y, "targets", options=())  # no categorical= here: drop the text columns
        if isinstance(X, pd.DataFrame):
            X = _float_columns(X)
        values = np.asarray(y)
        if values.dtype.kind not in "iuf":
            msg = (
                f"`y` must hold continuous targets (numbers); got {values.dtype} values ({type_of_target(y)}). "
                "Hint: for class labels use mixupy.MixupSampler, which over-samples classes."
            )
            raise ValueError(msg)
        if isinstance(y, pd.Series | pd.DataFrame):
            y = y.astype(np.float64)
        transformer = ArraysTransformer(X, y)
        check_target_array(values, values.shape[0] if values.ndim else 0, hint=CONSTANT_HINT)
        if self.pairing == "neighbors":  # checked by the caller
            check_neighbour_groups(np.array([values.shape[0]]), self.k_neighbors)
        with np.errstate(over="ignore", invalid="ignore"):  # scikit-learn's finiteness check sums X: it may overflow
            X = _validate_data(self, X)
        return X, values, transformer


def _validate_data(sampler: BaseSampler, X: Any) -> Any:
    """``X`` checked by scikit-learn, recording ``n_features_in_`` and ``feature_names_in_`` on ``sampler``."""
    try:  # scikit-learn >= 1.6
        from sklearn.utils.validation import validate_data
    except ImportError:  # older: the estimator's own method
        return sampler._validate_data(X=X, reset=True, accept_sparse=["csr", "csc"])
    return validate_data(sampler, X=X, reset=True, accept_sparse=["csr", "csc"])
