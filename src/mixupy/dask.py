"""mixup on Dask DataFrames: lazy, one partition at a time, reproducible on any cluster.

Each partition is mixed by :func:`mixupy.mixup` itself, with its own seed
spawned from one :class:`numpy.random.SeedSequence`: partition ``i`` uses
``SeedSequence(entropy, spawn_key=(*spawn_key, i))``, which for a seed ``s`` is
``numpy.random.SeedSequence(s).spawn(n)[i]``. The result depends on the seed and
the partitions alone, never on the scheduler or the number of workers.

This module is ``mixupy.dask``; inside it ``import dask`` still means the real
Dask, because imports are absolute.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Sequence
from typing import Any

import dask.dataframe as dd
import numpy as np
import pandas as pd

from mixupy._columns import planned_result
from mixupy._labels import MissingLabelsError
from mixupy._options import MixOptions, random_source
from mixupy._validation import (
    MissingValuesError,
    check_bool,
    check_frame,
    check_numeric_columns,
    holds_numbers,
)
from mixupy.frame import mix_frame

__all__ = ["mixup_dask"]

# Helper columns of shuffle=True: a random key, and the row's origin to break ties.
_KEYS = ("__mixupy_key__", "__mixupy_partition__", "__mixupy_row__")


def mixup_dask(
    data: dd.DataFrame,
    alpha: float = 4,
    concat: bool = False,
    *,
    labels: Hashable | Sequence[Hashable] | None = None,
    label_mode: str = "mix",
    within_class: bool = False,
    categorical: Hashable | Sequence[Hashable] | None = None,
    categorical_mode: str = "dominant",
    keep: Hashable | Sequence[Hashable] | None = None,
    target: Hashable | Sequence[Hashable] | None = None,
    pairing: str = "random",
    bandwidth: float | None = None,
    k_neighbors: int = 5,
    shuffle: bool = False,
    random_state: int | np.random.SeedSequence | np.random.Generator | None = None,
) -> dd.DataFrame:
    """Mix the rows of a Dask DataFrame, lazily, partition by partition.

    Nothing is read or computed here: the result is a Dask DataFrame whose
    columns and dtypes are known at once (the rule of :func:`mixupy.mixup`
    applied to ``data.dtypes``), and whose partitions are mixed when computed.

    Parameters
    ----------
    data : dask.dataframe.DataFrame
        Numeric columns (int, float, bool) and, when ``labels`` names one, a class
        column. Divisions are never needed; unknown divisions are fine.
    alpha, concat, labels, label_mode, within_class, categorical, categorical_mode, keep
        As in :func:`mixupy.mixup`, applied to each partition (``categorical="auto"``
        is decided once, from ``data``'s dtypes). With ``concat=True``
        each partition holds its original rows, then its synthetic rows. With
        ``labels`` naming a class column and ``label_mode="mix"``, that column
        must be categorical with known categories (``data.categorize(columns=[...])``),
        so that the output columns, one per category, are known without reading the data.
    target, pairing, bandwidth, k_neighbors
        As in :func:`mixupy.mixup`, within each partition: ``pairing="target"``
        pairs each row with rows of close targets in its partition (with
        ``shuffle=True``, in its partition after the shuffle), and the default
        ``bandwidth`` comes from each partition's targets (give one to use the
        same kernel everywhere). The target columns are checked against
        ``data``'s dtypes here; their values when computed.
    shuffle : bool, default False
        False: both rows of a pair come from the same partition. True: first move
        the rows to random partitions (a Dask shuffle on a random key, as many
        partitions as before), so that any two rows can meet. The shuffle is Dask's
        task-based one, so the result runs on any scheduler, with or without a
        distributed ``Client``.
    random_state : None, int, numpy.random.SeedSequence or numpy.random.Generator, optional
        Root of the per-partition seeds. None draws fresh entropy once, here,
        so that computing the result twice gives the same rows.

    Returns
    -------
    dask.dataframe.DataFrame
        As many synthetic rows per partition as it has rows (after them, with
        ``concat=True``), columns and dtypes as ``mixup`` gives them, each
        partition with a fresh ``RangeIndex``; divisions unknown. Empty
        partitions stay empty.

    Raises
    ------
    TypeError
        ``data`` is not a Dask DataFrame, a column is not numeric (object and
        string columns included), or a parameter has the wrong type.
    ValueError
        Unknown label columns, a class column without known categories where
        they are needed, or a parameter out of range. Errors that need the data
        (missing values, labels that are not probabilities) come at compute time,
        from ``mixup``.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> import dask.dataframe as dd
    >>> from mixupy import mixup, mixup_dask
    >>> df = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0], "a": [1, 0, 1, 0], "b": [0, 1, 0, 1]})
    >>> lazy = mixup_dask(dd.from_pandas(df, npartitions=2), labels=["a", "b"], random_state=0)
    >>> lazy.dtypes.tolist() == [np.dtype("float64")] * 3
    True
    >>> out = lazy.compute(scheduler="threads")
    >>> len(out), bool(np.allclose(out["a"] + out["b"], 1))
    (4, True)

    One partition is mixed as ``mixup`` mixes the frame, with the partition's seed:

    >>> one = mixup_dask(dd.from_pandas(df, npartitions=1), random_state=7).compute()
    >>> one.equals(mixup(df, random_state=np.random.SeedSequence(7).spawn(1)[0]))
    True
    """
    if not isinstance(data, dd.DataFrame):
        msg = f"`data` must be a dask.dataframe.DataFrame; got {type(data).__name__}. Hint: mixupy.mixup takes pandas."
        raise TypeError(msg)
    options = MixOptions.from_arguments(locals())  # every option of the call, checked once
    shuffle = check_bool(shuffle, "shuffle")
    options = options.pair_by(target, pairing, bandwidth, k_neighbors)
    seed = random_source(random_state, "seed_sequence")
    meta = data._meta
    hint = f"Dask must know them without reading the data. Hint: data = data.categorize(columns=[{labels!r}])."
    roles, classes, out_meta = planned_result(meta, options, labels, unknown_classes=hint)
    # object columns "auto" took from the meta, which holds no values: a partition's may be numbers (Decimal)
    unsure = tuple(c for c in roles.categorical if meta[c].dtype == object) if options.categorical == "auto" else ()
    options = dataclasses.replace(options, categorical=tuple(roles.categorical))  # "auto" decided once, here
    numbers = _partition_numbers(data.npartitions)
    if shuffle:
        keyed = data.map_partitions(
            _add_keys,
            numbers,
            entropy=seed.entropy,
            spawn_key=seed.spawn_key,
            meta=meta.assign(**{k: np.empty(0, dtype=np.int64) for k in _KEYS}),
            align_dataframes=False,
        )
        # The task-based shuffle, named: Dask's default depends on whether a distributed Client exists when the
        # graph is built (p2p then), and such a graph cannot run on the local schedulers.
        data = keyed.shuffle(on=_KEYS[0], npartitions=data.npartitions, shuffle_method="tasks")
    return data.map_partitions(
        _mix_partition,
        numbers,
        entropy=seed.entropy,
        spawn_key=seed.spawn_key,
        options=options,
        classes=classes,
        meta_frame=out_meta,
        shuffled=shuffle,
        unsure=unsure,
        meta=out_meta,
        align_dataframes=False,
        clear_divisions=True,
    )


def _partition_numbers(count: int) -> dd.DataFrame:
    """A Dask frame whose partition ``i`` is one row holding ``i``.

    Passed beside the data to ``map_partitions``, it tells each task its
    partition's position, and stays right when Dask selects or reorders
    partitions (``result.partitions[i]``), where ``partition_info`` does not.
    """
    meta = pd.DataFrame({"number": np.empty(0, dtype=np.int64)})
    return dd.from_map(_number_frame, range(count), meta=meta, divisions=[None] * (count + 1))


def _number_frame(number: int) -> pd.DataFrame:
    return pd.DataFrame({"number": [number]})


def _add_keys(part: pd.DataFrame, numbers: pd.DataFrame, *, entropy: Any, spawn_key: tuple[int, ...]) -> pd.DataFrame:
    """A random shuffle key for every row, with the row's origin to break ties."""
    number = int(numbers["number"].iloc[0])
    rng = np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(*spawn_key, number, 1)))
    n = len(part)
    return part.assign(
        **{
            _KEYS[0]: rng.integers(0, 2**62, size=n, dtype=np.int64),
            _KEYS[1]: np.full(n, number, dtype=np.int64),
            _KEYS[2]: np.arange(n, dtype=np.int64),
        }
    )


def _mix_partition(
    part: pd.DataFrame,
    numbers: pd.DataFrame,
    *,
    entropy: Any,
    spawn_key: tuple[int, ...],
    options: MixOptions,
    classes: list[Any] | None,
    meta_frame: pd.DataFrame,
    shuffled: bool,
    unsure: tuple[Hashable, ...] = (),
) -> pd.DataFrame:
    """Mix one partition with the seed of its position. ``unsure``: the object columns that ``categorical="auto"``
    took from the meta; one that holds numbers (``Decimal``) here is refused, as ``mixup`` refuses it."""
    number = int(numbers["number"].iloc[0])
    if shuffled:  # the order a shuffle delivers rows in may vary: sort by the random key
        part = part.sort_values(list(_KEYS), kind="stable").drop(columns=list(_KEYS))
    if len(part) == 0:
        return meta_frame
    if held := [c for c in unsure if holds_numbers(part[c])]:
        check_numeric_columns(part, held)  # raises, with the conversion that mixes them
    rng = np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(*spawn_key, number)))
    where = f" of partition {number}" + (" after the shuffle" if shuffled else f" (data.partitions[{number}])")
    try:
        return mix_frame(check_frame(part), options, rng, classes=classes)
    except MissingValuesError as error:  # a row of this partition: say so, as a file's block names its rows
        raise MissingValuesError(error.name, error.found, where=where) from None
    except MissingLabelsError as error:
        raise MissingLabelsError(error.column, error.count, error.first, where=where) from None
