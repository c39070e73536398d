"""``MixupDataset``: mixed batches as a Keras 3 ``PyDataset`` (extra ``keras``).

A ``keras.utils.PyDataset`` is what Keras 3 fits from with several workers: ``workers=``,
``use_multiprocessing=`` and ``max_queue_size=`` are its constructor's arguments, and ``model.fit`` then
asks for batches by index, in any order, from threads or processes. So each batch here is a function of
its index and of the epoch alone: the samples of batch ``i`` are those at ``i`` in the epoch's order (a
permutation spawned from ``random_state`` by the epoch), and they are mixed by a :class:`mixupy.Mixup`
with the generator it spawns for ``(epoch, i)``, the key a DataLoader batch gets after ``set_epoch``.
The same seeds give the same batches with one worker or several, threads or processes.
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np

from mixupy._options import random_source
from mixupy._validation import check_array, check_bool, check_positive_int, check_same_length
from mixupy.transform import Mixup

__all__ = ["MixupDataset"]

# The Keras MixupGenerator recipe's alpha, as mixupy.MixupGenerator keeps it.
DEFAULT_ALPHA = 0.2


class MixupDataset(keras.utils.PyDataset):
    """Mixed batches from arrays in memory, as a Keras 3 ``PyDataset`` for ``model.fit``.

    Each epoch visits every sample once, in a fresh order when ``shuffle``, in batches of ``batch_size``;
    each batch is mixed with a shuffled copy of itself by ``transform`` (mixup, CutMix or both, see
    :class:`mixupy.Mixup`). ``class_weight`` works as for plain arrays: Keras weighs each mixed sample by
    the class its label gives most weight to.

    Parameters
    ----------
    x : array_like, shape (n, ...)
        Floating samples, channels last for images (``(n, h, w, c)``), as Keras lays them out.
    y : array_like
        One-hot or soft rows, or integer labels with the transform's ``num_classes``.
    batch_size : int, default 32
        Samples per batch; the last batch of an epoch holds the rest.
    transform : mixupy.Mixup, optional
        How each batch is mixed; by default ``Mixup(alpha=0.2)``, the Keras ``MixupGenerator`` recipe's
        mix. Its ``random_state`` seeds the mix.
    shuffle : bool, default True
        A fresh order each epoch; otherwise the samples in order.
    random_state : None, int or numpy.random.SeedSequence, optional
        Seed of the order of the samples, epoch after epoch.
    workers, use_multiprocessing, max_queue_size
        Keras' ``PyDataset`` arguments: how many threads (or processes) prepare batches, and how many wait.

    Examples
    --------
    >>> import numpy as np
    >>> from mixupy import Mixup, MixupDataset
    >>> x = np.random.default_rng(0).random((10, 4, 4, 1), dtype=np.float32)
    >>> y = np.eye(2)[np.arange(10) % 2]
    >>> data = MixupDataset(x, y, batch_size=4, transform=Mixup(alpha=0.4, random_state=0), random_state=0)
    >>> len(data), [data[i][0].shape[0] for i in range(len(data))]
    (3, [4, 4, 2])
    >>> xb, yb = data[0]
    >>> bool(np.allclose(yb.sum(axis=1), 1)), bool(np.array_equal(data[0][0], xb))  # a function of the index
    (True, True)

    Then ``model.fit(data, epochs=...)``, with ``workers=2`` (and ``use_multiprocessing=True``) given here.
    """

    def __init__(
        self,
        x: Any,
        y: Any,
        batch_size: int = 32,
        *,
        transform: Mixup | None = None,
        shuffle: bool = True,
        random_state: int | np.random.SeedSequence | None = None,
        workers: int = 1,
        use_multiprocessing: bool = False,
        max_queue_size: int = 10,
    ) -> None:
        super().__init__(
            workers=check_positive_int(workers, "workers"),
            use_multiprocessing=check_bool(use_multiprocessing, "use_multiprocessing"),
            max_queue_size=check_positive_int(max_queue_size, "max_queue_size"),
        )
        self._x = check_array(x, "x")
        self._y = check_array(y, "y")
        check_same_length(self._x.shape[0], self._y, "y")
        self._batch_size = check_positive_int(batch_size, "batch_size")
        if transform is None:
            transform = Mixup(alpha=DEFAULT_ALPHA)
        if not isinstance(transform, Mixup):
            msg = f"`transform` must be a mixupy.Mixup; got {type(transform).__name__}."
            raise TypeError(msg)
        if transform.pairs:
            msg = "`transform` has pairs=True, but Keras fits (x, y) batches: use a Mixup with pairs=False."
            raise ValueError(msg)
        self._transform = transform
        self._shuffle = check_bool(shuffle, "shuffle")
        self._order_seed = random_source(random_state, "seed_sequence")
        self._epoch = 0
        self._order: tuple[int, np.ndarray] | None = None  # (epoch, order), made once per epoch

    def __len__(self) -> int:
        """Batches per epoch."""
        return -(-self._x.shape[0] // self._batch_size)

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        """Batch ``index`` of this epoch, mixed: a function of the index and the epoch alone."""
        if not 0 <= index < len(self):
            msg = f"batch index {index} is out of range for {len(self)} batches."
            raise IndexError(msg)
        epoch = self._epoch
        rows = self._epoch_order(epoch)[index * self._batch_size : (index + 1) * self._batch_size]
        seed = self._transform._batch_seed((0, epoch, index))
        mixed: tuple[Any, Any] = self._transform.mix(self._x[rows], self._y[rows], seed)
        return mixed

    def on_epoch_end(self) -> None:
        """The next epoch: a fresh order and fresh draws."""
        self._epoch += 1

    def _epoch_order(self, epoch: int) -> np.ndarray:
        cached = self._order
        if cached is not None and cached[0] == epoch:
            return cached[1]
        n = self._x.shape[0]
        if self._shuffle:
            seed = np.random.SeedSequence(self._order_seed.entropy, spawn_key=(*self._order_seed.spawn_key, epoch))
            order = np.random.default_rng(seed).permutation(n)
        else:
            order = np.arange(n)
        self._order = (epoch, order)
        return order
