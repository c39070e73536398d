"""``MixupSampler``: an imbalanced-learn over-sampler that makes new rows by mixup.

Needs the ``imblearn`` extra (``pip install mixupy[imblearn]``). The sampler
follows imbalanced-learn's API: ``fit_resample(X, y)`` returns the original rows
followed by the synthetic ones, so it works as a step of
:class:`imblearn.pipeline.Pipeline`, where resampling happens only while fitting.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import pandas as pd
import scipy.sparse
from imblearn.over_sampling.base import BaseOverSampler
from sklearn.utils.multiclass import type_of_target

from mixupy import _apply, _draw
from mixupy._frames import resample_on_pandas, resampled_on_pandas
from mixupy._options import check_names, random_source
from mixupy._validation import (
    check_alpha,
    check_choice,
    check_frame,
    check_numeric_columns,
    check_positive_int,
    holds_numbers,
    is_numeric_dtype,
)

LABEL_MODES = ("within_class", "dominant")
CATEGORICAL_MODES = ("dominant", "random")
PAIRINGS = ("random", "neighbors")

__all__ = ["MixupSampler"]


class MixupSampler(BaseOverSampler):
    """Over-sample classes with mixup: convex combinations of pairs of rows.

    Each synthetic row of a class ``c`` is ``lam * x_i + (1 - lam) * x_j`` with
    ``x_i`` a row of class ``c`` and ``lam ~ Beta(alpha, alpha)``; its label is
    ``c``, a hard label, as a sampler must return. With ``pairing="neighbors"``
    and ``alpha=1`` (uniform ``lam``) this is the SMOTE algorithm; other values of
    ``alpha`` move the new rows towards the originals (``alpha < 1``) or towards
    the midpoints (``alpha > 1``).

    The first rows ``x_i`` of class ``c`` are all of its rows once per full pass,
    then a random subset, so every row of the class is used as evenly as possible.

    Parameters
    ----------
    alpha : float, default 1.0
        Beta(alpha, alpha) parameter, >= 0. ``alpha=0`` makes copies of rows
        (random over-sampling); ``alpha=1`` draws ``lam`` uniformly. The
        default is 1 so that ``pairing="neighbors"`` matches SMOTE's uniform
        draw, the over-sampler this one generalises.
    sampling_strategy : float, str, dict or callable, default "auto"
        How many rows each class should have after resampling, with
        imbalanced-learn's meanings: a float (binary only) is the wanted ratio
        minority / majority; ``"auto"`` (= ``"not majority"``), ``"minority"``,
        ``"not minority"``, ``"all"`` equalise the named classes with the
        majority; a dict maps a class to its wanted number of rows; a callable
        takes ``y`` and returns such a dict.
    label_mode : {"within_class", "dominant"}, default "within_class"
        ``"within_class"``: both rows of a pair are of class ``c``. A class with a
        single row under ``pairing="random"`` gets exact copies of that row.
        ``"dominant"``: ``lam`` becomes ``max(lam, 1 - lam)``, so the row of
        class ``c`` weighs at least one half; with ``pairing="random"`` its
        partner is any other row, of any class.
    pairing : {"random", "neighbors"}, default "random"
        ``"random"``: the partner is drawn uniformly from the rows the label mode
        allows. ``"neighbors"``: the partner is one of the ``k_neighbors``
        nearest rows of the same class (Euclidean distance, found with
        :class:`scipy.spatial.cKDTree`, whatever the label mode; scale the
        features first, for example with a ``StandardScaler`` step).
    k_neighbors : int, default 5
        Number of nearest neighbours to choose a partner from, for
        ``pairing="neighbors"``. Every class to over-sample needs more rows.
    categorical : None, "auto", or list of column names (DataFrame) or positions (array), optional
        Categorical feature columns, as imbalanced-learn's SMOTENC takes them
        (``categorical_features``): not interpolated, each synthetic row takes
        the category of one of its two sources, and the column keeps its dtype.
        ``"auto"`` takes the DataFrame's non-numeric columns. Partners (and the
        neighbours of ``pairing="neighbors"``) are found from the numeric columns.
    categorical_mode : {"dominant", "random"}, default "dominant"
        As in :func:`mixupy.mixup`: the category of the source with the larger
        weight, or the first source's with probability ``lam``.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState, optional
        Seed or generator; the same seed gives the same result. The global NumPy
        random state is never read or changed.

    Attributes
    ----------
    sampling_strategy_ : dict
        Class -> number of synthetic rows made for it in the last fit.
    n_features_in_ : int
        Number of features seen in fit.
    feature_names_in_ : ndarray of str
        Column names seen in fit, when ``X`` was a DataFrame with string names.

    Notes
    -----
    ``fit_resample`` returns the original rows first, unchanged, then the
    synthetic rows, grouped by class. ``X`` may be a NumPy array, a list, a
    scipy sparse matrix or array (CSR or CSC, returned as the same type and
    format: a ``csr_matrix`` stays a ``csr_matrix``) or a DataFrame; ``y``
    a NumPy array, list, Series or one-column DataFrame of class labels of any
    type. Pandas in gives pandas out: a DataFrame with the
    same column names and a fresh ``RangeIndex``; float columns keep their
    dtype, other numeric columns (int, bool, nullable) become float64, which
    holds the mixed values. ``y`` keeps its name and dtype.

    Raises
    ------
    ValueError
        In ``fit_resample``: ``y`` is continuous (mixup of regression targets is
        :class:`mixupy.MixupRegressionSampler`'s job) or multilabel, ``X`` holds NaN or infinite
        values, ``X`` and ``y`` have different lengths, ``sampling_strategy``
        names classes not in ``y``, or ``k_neighbors`` is not smaller than a class
        to over-sample. A parameter out of its range (``alpha``, ``label_mode``,
        ``pairing``, ``k_neighbors``, ``random_state``) raises ValueError naming
        it, in ``fit`` and ``fit_resample``; ``sampling_strategy`` is checked by
        imbalanced-learn.
    TypeError
        A DataFrame ``X`` has non-numeric columns, or a parameter of the wrong type.

    See Also
    --------
    mixupy.mixup : mixup of a whole DataFrame, with soft labels.
    mixupy.expand_soft_labels : soft labels for any scikit-learn classifier.
    imblearn.over_sampling.SMOTE : the neighbour-interpolation over-sampler.

    Examples
    --------
    >>> import numpy as np
    >>> from mixupy import MixupSampler
    >>> X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [10.0, 10.0], [12.0, 12.0]])
    >>> y = np.array(["a", "a", "a", "b", "b"])
    >>> X_res, y_res = MixupSampler(random_state=0).fit_resample(X, y)
    >>> y_res.tolist()
    ['a', 'a', 'a', 'b', 'b', 'b']
    >>> bool(10 <= X_res[5, 0] <= 12)  # the new "b" row lies between the two "b" rows
    True

    In a pipeline, resampling happens only while fitting:

    >>> from imblearn.pipeline import make_pipeline
    >>> from sklearn.linear_model import LogisticRegression
    >>> model = make_pipeline(MixupSampler(random_state=0), LogisticRegression())
    >>> model.fit(X, y).predict([[11.0, 11.0]]).tolist()
    ['b']
    """

    # ``sampling_strategy`` is imbalanced-learn's own parameter, checked by its constraints. mixupy's parameters
    # are checked by mixupy's validation (``_checked``, ``random_source``), with the messages of the rest of the
    # package: declared here as such, so that imbalanced-learn's checks know every parameter.
    _parameter_constraints: dict[str, Any] = {  # noqa: RUF012 (scikit-learn's declarative convention)
        "sampling_strategy": BaseOverSampler._parameter_constraints["sampling_strategy"],
        **{
            name: "no_validation"
            for name in ("alpha", "label_mode", "pairing", "k_neighbors", "categorical", "categorical_mode")
        },
        "random_state": "no_validation",
    }

    def __init__(
        self,
        *,
        alpha: float = 1.0,
        sampling_strategy: Any = "auto",
        label_mode: str = "within_class",
        pairing: str = "random",
        k_neighbors: int = 5,
        categorical: Any = None,
        categorical_mode: str = "dominant",
        random_state: Any = None,
    ) -> None:
        super().__init__(sampling_strategy=sampling_strategy)
        self.alpha = alpha
        self.label_mode = label_mode
        self.pairing = pairing
        self.k_neighbors = k_neighbors
        self.categorical = categorical
        self.categorical_mode = categorical_mode
        self.random_state = random_state

    def fit(self, X: Any, y: Any, **params: Any) -> MixupSampler:
        """Check the inputs and compute ``sampling_strategy_``; use ``fit_resample`` to resample.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame, shape (n_samples, n_features)
        y : array-like or Series, shape (n_samples,)

        Returns
        -------
        MixupSampler
            The sampler itself.
        """
        if resampled_on_pandas(X, y):  # a polars or pyarrow X or y: fitted as pandas, as fit_resample resamples it
            return cast(MixupSampler, resample_on_pandas(self.fit, X, y, params))
        self._checked()
        split = _split_categorical(X, self.categorical)
        numeric = X if split is None else split[0]
        _check_pair(numeric, y)
        with np.errstate(
            over="ignore", invalid="ignore"
        ):  # scikit-learn's finiteness check sums X: huge values overflow
            result: MixupSampler = super().fit(numeric, y, **params)
        if split is not None:
            self._features_of(X)
        return result

    def fit_resample(self, X: Any, y: Any, **params: Any) -> tuple[Any, Any]:
        """Add synthetic rows to the classes that ``sampling_strategy`` names.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame, shape (n_samples, n_features)
            Numeric features without missing or infinite values.
        y : array-like or Series, shape (n_samples,)
            Class labels.

        Returns
        -------
        X_resampled : same kind as ``X``, shape (n_samples_new, n_features)
            The original rows, then the synthetic ones.
        y_resampled : same kind as ``y``, shape (n_samples_new,)
            Their class labels.
        """
        if resampled_on_pandas(X, y):  # a polars or pyarrow X or y: resampled as pandas, returned in its kind
            return cast(tuple[Any, Any], resample_on_pandas(self.fit_resample, X, y, params))
        self._checked()
        split = _split_categorical(X, self.categorical)
        _check_pair(X if split is None else split[0], y)
        if split is not None:
            return self._resample_with_categories(X, y, split, **params)
        if isinstance(X, pd.DataFrame):
            X = _float_columns(X)
        with np.errstate(over="ignore", invalid="ignore"):  # as in fit: scikit-learn's check may overflow
            result: tuple[Any, Any] = super().fit_resample(X, y, **params)
        return result

    def _checked(self) -> tuple[float, str, str, int]:
        """The parameters, checked once per call: alpha, label_mode, pairing, k_neighbors, categorical_mode."""
        check_choice(self.categorical_mode, "categorical_mode", CATEGORICAL_MODES)
        return (
            check_alpha(self.alpha),
            check_choice(self.label_mode, "label_mode", LABEL_MODES),
            check_choice(self.pairing, "pairing", PAIRINGS),
            check_positive_int(self.k_neighbors, "k_neighbors"),
        )

    def _resample_with_categories(self, X: Any, y: Any, split: tuple[Any, Any], **params: Any) -> tuple[Any, Any]:
        """Resample the numeric columns, then give each new row the categories its draw names (see ``categorical``)."""
        numeric, categories = split
        if isinstance(numeric, pd.DataFrame):
            numeric = _float_columns(numeric)
        with np.errstate(over="ignore", invalid="ignore"):  # as in fit: scikit-learn's check may overflow
            mixed, y_res = super().fit_resample(numeric, y, **params)
        self._features_of(X)
        d, pick = getattr(self, "_draw_", None), getattr(self, "_pick_", None)
        n = len(categories)
        if d is None:  # nothing to over-sample
            source = np.empty(0, dtype=np.intp)
        else:
            source = np.where(pick, d.first, d.second) if pick is not None else d.dominant()
        rows = np.concatenate([np.arange(n), source])
        if isinstance(X, pd.DataFrame):
            carried = categories.take(rows).reset_index(drop=True)
            out = pd.concat([mixed.reset_index(drop=True), carried], axis=1)
            return out[list(X.columns)], y_res
        columns = np.empty((len(rows), np.shape(X)[1]), dtype=object)
        position = np.asarray(categories.columns)
        columns[:, [c for c in range(columns.shape[1]) if c not in set(position)]] = np.asarray(mixed)
        columns[:, position] = np.asarray(categories)[rows]
        return columns, y_res

    def _features_of(self, X: Any) -> None:
        """``n_features_in_`` and ``feature_names_in_`` of the whole ``X``, categories included (scikit-learn's
        checks saw its numeric part only)."""
        self.n_features_in_ = int(np.shape(X)[1])
        names = np.asarray(X.columns, dtype=object) if isinstance(X, pd.DataFrame) else None
        if names is not None and all(isinstance(name, str) for name in names):
            self.feature_names_in_ = names
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_

    def _fit_resample(self, X: Any, y: np.ndarray) -> tuple[Any, np.ndarray]:
        alpha = check_alpha(self.alpha)
        rng = random_source(self.random_state)
        classes, codes = np.unique(y, return_inverse=True)
        codes = codes.astype(np.intp).ravel()
        counts = np.bincount(codes, minlength=classes.shape[0])
        targets = [
            (int(np.searchsorted(classes, c)), int(n_new)) for c, n_new in self.sampling_strategy_.items() if n_new > 0
        ]
        self._draw_: _draw.Draw | None = None  # this call's draw only, never the rows a previous fit drew
        self._pick_: np.ndarray | None = None
        if not targets:
            return X, y
        if self.pairing == "neighbors":
            for code, _ in targets:
                if counts[code] <= self.k_neighbors:
                    label = classes[code].item() if isinstance(classes[code], np.generic) else classes[code]
                    msg = (
                        f"`k_neighbors`={self.k_neighbors} needs more than {self.k_neighbors} rows in each class "
                        f"to over-sample, but class {label!r} has {counts[code]}. Hint: lower k_neighbors "
                        "below the smallest class size, or use pairing='random'."
                    )
                    raise ValueError(msg)
            pairing: _draw.Pairing = _draw.Neighbours(
                X, codes, self.k_neighbors, only=np.array([code for code, _ in targets])
            )
        elif self.label_mode == "within_class":
            pairing = _draw.WithinGroup(codes)
        else:
            pairing = _draw.Uniform(codes.shape[0])
        first = np.concatenate([_first_of_class(np.flatnonzero(codes == code), n_new, rng) for code, n_new in targets])
        d = _draw.draw(
            codes.shape[0], 0, alpha, rng, pairing=pairing, first=first, dominant=self.label_mode == "dominant"
        )
        self._draw_ = d  # read by _resample_with_categories to carry the categorical columns
        self._pick_ = _draw.pick_first(d, rng) if self.categorical_mode == "random" else None
        y_new = y[d.first]
        if scipy.sparse.issparse(X):
            return _mix_sparse(X, d), np.concatenate([y, y_new])
        return np.concatenate([X, _apply.mix_rows(X, d, between=True)]), np.concatenate([y, y_new])


def _first_of_class(rows: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """``size`` first sources among ``rows``: each once per full pass, then a random subset."""
    positions, _ = _draw.draw_first(rows.shape[0], size, rng)
    return rows[positions]


def _mix_sparse(X: Any, d: _draw.Draw) -> Any:
    """The originals, then the mixed rows, of a CSR or CSC matrix or array, in its container, format and float dtype.

    Each value is ``a - (1 - lam) * (a - b)``, with dense rows' numbers (:func:`mixupy._apply.mix_rows` with
    ``between``): between its two sources, the source itself where both are equal; on halves, then doubled, when
    a value passes half the largest float; the second source for a weight within a unit of 0.
    ``diags_array(...) @ X`` gives a sparse array even for a ``csr_matrix``, and
    ``*`` means a matrix product for one and an element-wise product for the
    other, so the result is rebuilt as the type that came in.
    """
    dtype = _apply.float_dtype(X.dtype)
    rest = (1.0 - d.lam).astype(dtype)
    first, second = X[d.first].astype(dtype), X[d.second].astype(dtype)
    halves = X.nnz > 0 and not _apply._moderate(np.asarray(X.data))
    if halves:
        first, second = first * dtype.type(0.5), second * dtype.type(0.5)
    mixed = first - scipy.sparse.diags_array(rest) @ (first - second)
    if halves:
        mixed = mixed * dtype.type(2)
    tail = _apply.tail_rows(rest)
    if tail.size:  # weights next to 0: the second source, exactly
        take = np.zeros(len(d), dtype=dtype)
        take[tail] = 1
        mixed = scipy.sparse.diags_array(1 - take) @ mixed + scipy.sparse.diags_array(take) @ X[d.second].astype(dtype)
    return type(X)(scipy.sparse.vstack([X, mixed], format=X.format, dtype=dtype))


def _n_samples(data: Any) -> int | None:
    shape = getattr(data, "shape", None)
    if shape is not None:
        return int(shape[0]) if len(shape) else None
    try:
        return len(data)
    except TypeError:
        return None


def _check_rows(X: Any, y: Any, unit: str, options: tuple[str, ...] = ("categorical",)) -> None:
    """``X`` and ``y`` of one length (``unit``: what ``y`` holds, for the message), and a DataFrame ``X`` of numbers
    (``options``: the sampler's parameters that a message may offer for text columns)."""
    n_x, n_y = _n_samples(X), _n_samples(y)
    if n_x is not None and n_y is not None and n_x != n_y:
        msg = f"`X` and `y` must have the same number of rows; got {n_x} rows in `X` and {n_y} {unit} in `y`."
        raise ValueError(msg)
    if isinstance(X, pd.DataFrame):
        check_numeric_columns(check_frame(X, "X"), list(X.columns), "X", options=options)


def _check_pair(X: Any, y: Any) -> None:
    """The checks imbalanced-learn's own messages do not make clear: lengths, regression targets, text columns."""
    _check_rows(X, y, "labels")
    # missing labels before scikit-learn, whose sorting of the classes fails on them without saying why
    labels = y if isinstance(y, pd.Series) else np.asarray(y)
    # (NumPy integers and booleans hold none; pandas' nullable and Arrow ones may)
    none = isinstance(labels.dtype, np.dtype) and labels.dtype.kind in "iub"
    missing = np.asarray(pd.isna(labels)) if labels.ndim == 1 and not none else None
    if missing is not None and missing.any():
        msg = (
            f"`y` holds {int(missing.sum())} missing label(s) (None or NaN), the first at row "
            f"{int(np.flatnonzero(missing)[0])}; every row needs a class. Hint: drop those rows from X and y, "
            "or give them a class of their own."
        )
        raise ValueError(msg)
    try:
        kind = type_of_target(y)
    except TypeError as error:  # scikit-learn sorts the classes: labels of types that do not compare
        kinds = sorted({type(v).__name__ for v in np.asarray(labels, dtype=object).ravel()})
        msg = (
            f"`y` holds labels of types that cannot be sorted into classes ({', '.join(kinds)}): {error}. "
            "Hint: give every label one type, e.g. y.astype(str)."
        )
        raise TypeError(msg) from None
    if kind.startswith("continuous"):
        msg = (
            f"Unknown label type: `y` holds continuous values ({kind}); MixupSampler over-samples classes. "
            "Hint: for regression targets use mixupy.MixupRegressionSampler, which mixes X and y with one lam "
            "(in a pipeline too), or put the target in the frame and use mixupy.mixup(df, target=...)."
        )
        raise ValueError(msg)


def _float_columns(X: pd.DataFrame) -> pd.DataFrame:
    """``X`` with its int, bool and nullable columns as float64, so the rebuilt frame holds mixed values."""
    changes: dict[Any, Any] = {}
    for name, dtype in X.dtypes.items():
        if isinstance(dtype, pd.SparseDtype):
            if dtype.subtype.kind != "f":
                fill: Any = dtype.fill_value  # an int or bool here
                changes[name] = pd.SparseDtype(np.float64, float(fill))
        elif _apply.float_dtype(dtype) != dtype:
            changes[name] = _apply.float_dtype(dtype)
    return X.astype(changes) if changes else X


def _split_categorical(X: Any, categorical: Any) -> tuple[Any, Any] | None:
    """``(numeric part, categorical part)`` of ``X``, or None without ``categorical``.

    For a DataFrame the parts are DataFrames; for an array, the numeric part is a float array and the
    categorical part a DataFrame whose column labels are the positions in ``X``.
    """
    if categorical is None:
        return None
    if isinstance(X, pd.DataFrame):
        frame = check_frame(X, "X")
        if isinstance(categorical, str) and categorical == "auto":
            names = [c for c, d in frame.dtypes.items() if not (is_numeric_dtype(d) or holds_numbers(frame[c]))]
        else:
            names = list(check_names(categorical, "categorical"))
            missing = [c for c in names if c not in frame.columns]
            if missing:
                msg = f"`categorical` names columns that are not in `X`: {missing}. Columns are: {list(X.columns)}."
                raise ValueError(msg)
        _check_some_left(names, frame.shape[1])
        return frame.drop(columns=names), frame[names]
    if scipy.sparse.issparse(X) or isinstance(categorical, str):
        msg = (
            "`categorical` for an array or sparse matrix `X` must list column positions (integers), and `X` must "
            f"be dense; got categorical={categorical!r} with {type(X).__name__}. Hint: pass a DataFrame."
        )
        raise TypeError(msg)
    array = np.asarray(X, dtype=object)
    positions = [int(cast(Any, c)) for c in check_names(categorical, "categorical")]
    if array.ndim != 2 or any(not 0 <= p < array.shape[1] for p in positions):
        msg = f"`categorical` positions must be columns of the 2-D `X`; got {positions} for shape {array.shape}."
        raise ValueError(msg)
    _check_some_left(positions, array.shape[1])
    rest = [c for c in range(array.shape[1]) if c not in set(positions)]
    return _numbers(array, rest, positions), pd.DataFrame(array[:, positions], columns=positions)


def _check_some_left(categorical: list[Any], n_columns: int) -> None:
    """``categorical`` must leave a column to interpolate (and to find partners by)."""
    if categorical and len(set(categorical)) == n_columns:
        msg = (
            f"`categorical` takes every column of `X` ({categorical}): mixup needs at least one numeric column to "
            "interpolate. Hint: imblearn.over_sampling.RandomOverSampler copies rows of categories alone."
        )
        raise ValueError(msg)


def _numbers(array: np.ndarray, rest: list[int], positions: list[int]) -> np.ndarray:
    """The columns ``rest`` of an object array as float64, or a message naming those that hold no numbers."""
    try:
        return array[:, rest].astype(np.float64)
    except (TypeError, ValueError):
        bad = [c for c in rest if not _converts(array[:, c])]
        msg = (
            f"`X` holds values that are not numbers in column(s) {bad}, which `categorical`={positions} does not "
            f"list; mixup interpolates every other column. Hint: categorical={sorted({*positions, *bad})}."
        )
        raise TypeError(msg) from None


def _converts(column: np.ndarray) -> bool:
    try:
        column.astype(np.float64)
    except (TypeError, ValueError):
        return False
    return True
