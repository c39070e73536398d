"""The options of a mix, validated once at the public boundary, and the one random-state normaliser.

Every public function that mixes rows of a table (``mixup``, ``mixup_file``,
``mixup_dask``, ``mixup_timeseries``...) turns its keyword arguments into one
frozen :class:`MixOptions` with :meth:`MixOptions.validate`, then hands that
object down; nothing below the boundary checks an option again.

:func:`random_source` is the only place where a ``random_state`` is read: None,
a non-negative int, a ``numpy.random.SeedSequence``, a ``numpy.random.Generator``,
a legacy ``RandomState`` (as scikit-learn passes), or a ``torch.Generator``. It
returns what the caller works with: a NumPy generator, a seed sequence to
spawn from, or a torch generator on a device. The global NumPy and torch
random states are never read or changed.
"""

from __future__ import annotations

import dataclasses
import numbers
import sys
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, overload

import numpy as np
import pandas as pd

from mixupy._validation import (
    PAIRINGS,
    OptionConflictError,
    _show,
    check_alpha,
    check_bandwidth,
    check_batch_size,
    check_bool,
    check_choice,
    check_label_mode,
    check_pairing_needs,
    check_positive_int,
)

#: How a categorical column's value is chosen for a synthetic row: the dominant source's, or drawn with
#: probability ``lam`` from the first source (``1 - lam`` from the second).
CATEGORICAL_MODES = ("dominant", "random")


def check_names(value: Any, name: str) -> tuple[Hashable, ...]:
    """Column names as a tuple: None is none, one name (a tuple too) is one, a list, tuple or Index is several."""
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, (list, tuple, pd.Index, np.ndarray)):
        if not isinstance(value, Hashable):
            msg = f"`{name}` must be a column name or a list of column names; got {_show(value)}."
            raise TypeError(msg)
        return (value,)
    names = tuple(value)
    twice = sorted({str(c) for c in names if names.count(c) > 1})
    if twice:
        msg = f"`{name}` names a column more than once: {twice}."
        raise ValueError(msg)
    return names


__all__ = ["MixOptions", "random_source"]

# The parameters of the table functions that MixOptions.from_arguments picks out of their arguments.
_OPTION_NAMES: tuple[str, ...] = ("alpha", "concat", "batch_size", "labels", "label_mode", "within_class")
_OPTION_NAMES += ("categorical", "categorical_mode", "keep")


@dataclass(frozen=True)
class MixOptions:
    """How to mix a table: one validated, immutable set of options.

    ``batch_size`` None means one synthetic row per input row. ``exact`` is
    True when labels stay exact (pairs within a class, or the dominant row's
    label), which needs ``labels``. ``pairing`` is one of
    :data:`mixupy._validation.PAIRINGS`; ``target`` names the continuous target
    columns that ``pairing="target"`` pairs by, with kernel ``bandwidth`` (None:
    the default rule); ``k_neighbors`` serves ``pairing="neighbors"``;
    ``target_name`` is the parameter that named the target columns, for messages.
    """

    alpha: float = 4.0
    concat: bool = False
    batch_size: int | None = None
    labels: Hashable | Sequence[Hashable] | None = None
    label_mode: str = "mix"
    within_class: bool = False
    categorical: str | tuple[Hashable, ...] = ()
    categorical_mode: str = "dominant"
    keep: tuple[Hashable, ...] = ()
    target: tuple[Hashable, ...] = ()
    pairing: str = "random"
    bandwidth: float | None = None
    k_neighbors: int = 5
    target_name: str = "target"

    @property
    def dominant(self) -> bool:
        return self.label_mode == "dominant"

    @property
    def exact(self) -> bool:
        return self.within_class or self.dominant

    @classmethod
    def from_arguments(cls, arguments: Mapping[str, Any]) -> MixOptions:
        """:meth:`validate` of the options among a public function's ``arguments`` (its ``locals()`` on entry).

        The table functions share these parameters, by the same names: each hands its arguments over, and the
        options are picked out and checked here, once.
        """
        return cls.validate(**{name: arguments[name] for name in _OPTION_NAMES if name in arguments})

    @classmethod
    def validate(
        cls,
        alpha: Any = 4.0,
        concat: Any = False,
        batch_size: Any = None,
        labels: Any = None,
        label_mode: Any = "mix",
        within_class: Any = False,
        *,
        categorical: Any = None,
        categorical_mode: Any = "dominant",
        keep: Any = None,
        labels_name: str = "labels",
    ) -> MixOptions:
        """Check every option and return them normalised; ``labels_name`` is the argument that gives classes.

        The options come in the order of :func:`mixupy.mixup`'s parameters, so entry points pass theirs on as
        they are.
        """
        auto = isinstance(categorical, str) and categorical == "auto"  # not ==: an Index of names compares per name
        options = cls(
            alpha=check_alpha(alpha),
            concat=check_bool(concat, "concat"),
            batch_size=None if batch_size is None else check_batch_size(batch_size, 0),
            labels=labels,
            label_mode=check_label_mode(label_mode),
            within_class=check_bool(within_class, "within_class"),
            categorical="auto" if auto else check_names(categorical, "categorical"),
            categorical_mode=check_choice(categorical_mode, "categorical_mode", CATEGORICAL_MODES),
            keep=check_names(keep, "keep"),
        )
        if options.exact and labels is None:
            option = "within_class=True" if options.within_class else 'label_mode="dominant"'
            msg = f"{option} keeps each row's class exactly, so it needs {labels_name}."
            if labels_name == "labels":
                msg += " Pass labels='class_column' or a list of one-hot columns, e.g. labels=['setosa', 'versicolor']."
            raise ValueError(msg)
        return options

    def pair_by(
        self, target: Any, pairing: Any, bandwidth: Any, k_neighbors: Any, *, name: str = "target"
    ) -> MixOptions:
        """These options with the pairing's, checked: how partners are drawn (:data:`mixupy._validation.PAIRINGS`),
        the target columns ``pairing="target"`` pairs by (named by the parameter ``name``), the kernel's
        ``bandwidth`` (None: the default rule) and ``k_neighbors``. Entry points call it once, after
        :meth:`validate`, with their pairing parameters as they came.
        """
        plain = target is None and bandwidth is None and type(pairing) is str and type(k_neighbors) is int
        if plain and (pairing, None, k_neighbors, name) == (*self._pairing_defaults(), self.target_name):
            return self  # the common call, its values already held: nothing to check or copy
        options = dataclasses.replace(
            self,
            target=check_names(target, name),
            pairing=check_choice(pairing, "pairing", PAIRINGS),
            bandwidth=check_bandwidth(bandwidth),
            k_neighbors=check_positive_int(k_neighbors, "k_neighbors"),
            target_name=name,
        )
        check_pairing_needs(options.pairing, options.target, within_class=options.within_class, name=name)
        carried = {"keep": options.keep, "categorical": () if options.categorical == "auto" else options.categorical}
        for other, names in carried.items():  # a target is mixed: it cannot be carried too
            both = [c for c in options.target if c in names]
            if both:
                msg = f"columns {both} are named by both `{name}` and `{other}`; give each column one role."
                raise OptionConflictError(msg)
        return options

    def _pairing_defaults(self) -> tuple[Any, ...]:
        """``(pairing, bandwidth, k_neighbors)`` as held, when they are what :meth:`pair_by` makes of its defaults
        (no target): a call passing them again would change nothing. Else a tuple that nothing equals."""
        if self.target or self.bandwidth is not None:
            return (object(), object(), object())
        return (self.pairing, None, self.k_neighbors)

    def size(self, n_rows: int) -> int:
        """The number of synthetic rows for ``n_rows`` input rows."""
        return n_rows if self.batch_size is None else self.batch_size


@overload
def random_source(random_state: Any, to: Literal["generator"] = ...) -> np.random.Generator: ...
@overload
def random_source(random_state: Any, to: Literal["seed_sequence"]) -> np.random.SeedSequence: ...
@overload
def random_source(random_state: Any, to: Literal["torch"], device: Any = ...) -> Any: ...


def random_source(random_state: Any, to: str = "generator", device: Any = None) -> Any:
    """Turn ``random_state`` into a NumPy ``Generator``, a ``SeedSequence`` or a ``torch.Generator``.

    * None: fresh operating-system entropy (fixed from then on, for a sequence).
    * An int ``s`` >= 0: ``default_rng(s)``, ``SeedSequence(s)``, or a torch
      generator seeded with ``s`` on ``device``.
    * A ``Generator``, ``SeedSequence`` or ``torch.Generator`` of the kind asked
      for is used (and advanced) as it is; one of another kind seeds the kind
      asked for from its own stream, on the host (a torch generator only when
      it is on the CPU: reading one on a GPU would wait for the device).
    * A legacy ``RandomState`` seeds a new generator from its stream.
    """
    if type(random_state) is int and random_state >= 0 and to == "generator":  # the common call, at once
        return np.random.default_rng(random_state)
    torch: Any = sys.modules.get("torch")
    is_torch = torch is not None and isinstance(random_state, torch.Generator)
    if to == "torch":
        return _torch_generator(random_state, device, is_torch=is_torch)
    if is_torch:
        if random_state.device.type != "cpu":
            msg = (
                f"`random_state` is a torch.Generator on {random_state.device}; NumPy draws on the host. "
                "Pass an int seed, or a torch.Generator on the CPU."
            )
            raise ValueError(msg)
        entropy = torch.randint(0, 2**62, (4,), generator=random_state).tolist()
        random_state = np.random.SeedSequence(entropy)
    if to == "seed_sequence":
        if isinstance(random_state, np.random.SeedSequence):
            return random_state
        if random_state is None:
            return np.random.SeedSequence()
        rng = random_source(random_state)  # checks type and sign
        if isinstance(random_state, numbers.Integral):
            return np.random.SeedSequence(int(random_state))
        return np.random.SeedSequence(rng.integers(0, 2**63, size=4))
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(0, 2**32, size=4, dtype=np.uint64))
    if random_state is None or isinstance(random_state, np.random.SeedSequence):
        return np.random.default_rng(random_state)
    return np.random.default_rng(_seed(random_state))


def _seed(random_state: Any) -> int:
    """A non-negative int seed, or the error that lists what ``random_state`` may be."""
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, (bool, np.bool_)):
        if random_state < 0:
            msg = f"`random_state` must be a non-negative integer seed; got {random_state!r}."
            raise ValueError(msg)
        return int(random_state)
    msg = (
        "`random_state` must be None, a non-negative int, a numpy.random.Generator, a numpy.random.SeedSequence "
        f"or a torch.Generator; got {_show(random_state)}."
    )
    raise TypeError(msg)


def _torch_generator(random_state: Any, device: Any, *, is_torch: bool) -> Any:
    """A ``torch.Generator`` on ``device``, from ``random_state``."""
    import torch

    if is_torch:
        gen_device = random_state.device
        if gen_device.type != device.type or (
            gen_device.index is not None and device.index is not None and gen_device.index != device.index
        ):
            msg = (
                f"`random_state` is a torch.Generator on {gen_device} but the tensors are on {device}; "
                f"create it with torch.Generator(device={str(device)!r})."
            )
            raise ValueError(msg)
        return random_state
    generator = torch.Generator(device=device)
    if random_state is None:
        generator.seed()
        return generator
    if isinstance(random_state, (np.random.Generator, np.random.SeedSequence, np.random.RandomState)):
        # a seed drawn on the host from the NumPy stream: nothing waits for the device
        seed = int(random_source(random_state).integers(0, 2**63))
        return generator.manual_seed(seed)
    return generator.manual_seed(_seed(random_state))
