"""Images on disk, one sub-folder per class, read batch by batch (extra ``mixupy[images]``).

:class:`ImageFolder` lists the files once and decodes (with Pillow) and resizes
only the images a batch needs, so a folder far larger than memory can be
trained on. Give it to :class:`mixupy.MixupGenerator` for mixed training
batches; :meth:`ImageFolder.batches` gives unmixed ones for validation.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from mixupy._labels import one_hot
from mixupy._options import random_source
from mixupy._parallel import run_parallel, thread_count
from mixupy._validation import (
    check_bool,
    check_choice,
    check_fraction,
    check_image_size,
    check_positive_int,
    check_seed,
)

try:
    from PIL import Image
except ImportError as error:  # pragma: no cover - Pillow ships with the extra
    msg = "mixupy.ImageFolder reads images with Pillow: pip install 'mixupy[images]'."
    raise ImportError(msg) from error

__all__ = ["ImageBatches", "ImageFolder"]

IMAGE_EXTENSIONS = (".bmp", ".gif", ".jpeg", ".jpg", ".png", ".tif", ".tiff", ".webp")
# color_mode -> (Pillow mode, channels)
COLOR_MODES = MappingProxyType({"rgb": ("RGB", 3), "grayscale": ("L", 1), "rgba": ("RGBA", 4)})
SUBSETS = (None, "training", "validation")
ON_ERROR = ("raise", "skip")
# What Pillow raises for a file it cannot decode: not an image, truncated, corrupt, too large.
DECODE_ERRORS = (OSError, ValueError, SyntaxError, Image.DecompressionBombError)


class ImageFolder:
    """A folder of images, one sub-folder per class, decoded lazily.

    ``directory/<class name>/<image files>``: the class names are the
    sub-folder names, sorted; images may sit deeper inside a class folder. Only
    the file list is kept in memory; images are decoded, converted to
    ``color_mode`` and resized to ``image_size`` when a batch asks for them.

    Parameters
    ----------
    directory : str or os.PathLike
        The folder holding one sub-folder per class. Hidden entries (starting
        with ".") and files without an image extension are ignored.
    image_size : int or (int, int), default (256, 256)
        ``(height, width)`` every image is resized to (bilinear); one int is a
        square.
    color_mode : {"rgb", "grayscale", "rgba"}, default "rgb"
        Channels of the decoded images: 3, 1 or 4.
    validation_split : float, optional
        Fraction of each class held out for validation, strictly between 0 and
        1. Needs ``subset``.
    subset : {"training", "validation"}, optional
        Which part of the split this folder serves.
    seed : int, default 0
        Seed of the split. The split is a pure function of the file list and the
        seed, so a training and a validation folder built with the same seed are
        disjoint and together hold every image.
    on_error : {"raise", "skip"}, default "raise"
        What an unreadable file does when a batch reaches it: "raise" raises a
        ValueError naming the file; "skip" warns once naming it (RuntimeWarning)
        and leaves out every sample that needs it, so that batch is shorter.

    Attributes
    ----------
    classes : list of str
        Class names, sorted; class ``k`` is ``classes[k]``.
    paths : list of pathlib.Path
        The image files of this subset, class by class.
    labels : ndarray of intp, shape (len(self),)
        Class code of each file, an index into ``classes``.
    image_size : (int, int)
        ``(height, width)`` of the decoded images.

    Raises
    ------
    ValueError
        The directory does not exist, has no class sub-folders or no images, or
        a parameter is out of range.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import numpy as np
    >>> from PIL import Image
    >>> from mixupy import ImageFolder, MixupGenerator
    >>> tmp = tempfile.TemporaryDirectory()
    >>> root = pathlib.Path(tmp.name)
    >>> for name, shade in [("cat", 0), ("dog", 255)]:
    ...     (root / name).mkdir()
    ...     for i in range(3):
    ...         Image.new("RGB", (12, 10), (shade, shade, shade)).save(root / name / f"{i}.png")
    >>> folder = ImageFolder(root, image_size=(8, 8))
    >>> len(folder), folder.classes, folder.labels.tolist()
    (6, ['cat', 'dog'], [0, 0, 0, 1, 1, 1])
    >>> gen = MixupGenerator(folder, folder.labels, num_classes=2, batch_size=4, random_state=0)
    >>> xb, yb = next(iter(gen))
    >>> xb.shape, xb.dtype, yb.shape
    ((4, 8, 8, 3), dtype('float32'), (4, 2))
    >>> bool(np.allclose(xb[:, 0, 0, 0], yb[:, 1]))  # white share = "dog" share
    True

    Hold out a fifth of each class, chosen by seed, and read it unmixed:

    >>> val = ImageFolder(root, image_size=(8, 8), validation_split=0.2, subset="validation", seed=1)
    >>> len(val), [(x.shape, y.tolist()) for x, y in val.batches(batch_size=8)]
    (2, [((2, 8, 8, 3), [[1.0, 0.0], [0.0, 1.0]])])
    >>> tmp.cleanup()
    """

    def __init__(
        self,
        directory: str | os.PathLike[str],
        *,
        image_size: int | tuple[int, int] = (256, 256),
        color_mode: str = "rgb",
        validation_split: float | None = None,
        subset: str | None = None,
        seed: int = 0,
        on_error: str = "raise",
    ) -> None:
        self.image_size = check_image_size(image_size)
        self._mode, self._channels = COLOR_MODES[check_choice(color_mode, "color_mode", list(COLOR_MODES))]
        subset = check_choice(subset, "subset", SUBSETS)
        seed = check_seed(seed)
        self._on_error = check_choice(on_error, "on_error", ON_ERROR)
        if (validation_split is None) != (subset is None):
            msg = (
                "`validation_split` and `subset` go together: pass validation_split=0.2 with "
                f"subset='training' or 'validation'; got validation_split={validation_split!r}, subset={subset!r}."
            )
            raise ValueError(msg)
        root = Path(directory)
        self.classes, paths, labels = _list_images(root)
        if validation_split is not None:
            fraction = check_fraction(validation_split, "validation_split")
            held_out = _split(labels, len(self.classes), fraction, seed)
            keep = held_out if subset == "validation" else ~held_out
            paths = [p for p, k in zip(paths, keep, strict=True) if k]
            labels = labels[keep]
            if not paths:
                msg = (
                    f"the {subset} subset of {str(root)!r} is empty with validation_split={validation_split!r}; "
                    "there are too few images per class for this split."
                )
                raise ValueError(msg)
        self.paths: list[Path] = paths
        self.labels: np.ndarray = labels
        self._unreadable: set[int] = set()

    def __len__(self) -> int:
        return len(self.paths)

    def __repr__(self) -> str:
        return f"ImageFolder(images={len(self)}, classes={len(self.classes)}, image_size={self.image_size})"

    def load(self, positions: Any = None) -> tuple[np.ndarray, np.ndarray]:
        """Decode the images at ``positions`` (all when None) into memory.

        Returns
        -------
        images : ndarray of float32, shape (k, height, width, channels)
            Pixel values scaled to [0, 1].
        labels : ndarray of intp, shape (k,)
            Their class codes. With ``on_error="skip"`` unreadable files are left
            out of both.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from PIL import Image
        >>> from mixupy import ImageFolder
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     (pathlib.Path(tmp) / "a").mkdir()
        ...     Image.new("L", (4, 4), 255).save(pathlib.Path(tmp) / "a" / "white.png")
        ...     images, labels = ImageFolder(tmp, image_size=2, color_mode="grayscale").load()
        >>> images.shape, float(images.max()), labels.tolist()
        ((1, 2, 2, 1), 1.0, [0])
        """
        rows = np.arange(len(self)) if positions is None else np.asarray(positions).reshape(-1)
        if rows.size and rows.dtype.kind not in "iu":
            msg = f"`positions` must be integer positions of images; got dtype {rows.dtype}."
            raise TypeError(msg)
        rows = rows.astype(np.intp)
        if rows.size and (rows.min() < -len(self) or rows.max() >= len(self)):
            msg = f"`positions` must be in 0 .. {len(self) - 1}; got values from {rows.min()} to {rows.max()}."
            raise ValueError(msg)
        rows = rows % max(len(self), 1)
        images, readable = self.read(rows)
        if readable is None:
            return images, self.labels[rows]
        return images[readable], self.labels[rows[readable]]

    def batches(
        self, batch_size: int = 32, *, shuffle: bool = False, random_state: int | np.random.Generator | None = None
    ) -> ImageBatches:
        """Unmixed ``(images, one-hot labels)`` batches, for validation or evaluation.

        Returns an :class:`ImageBatches`: ``len()`` gives the steps per pass,
        iterating gives one pass, calling it gives an endless generator (for
        Keras ``validation_data`` over several epochs, with
        ``validation_steps=len(batches)``).

        See the class Examples for a validation split read this way.
        """
        return ImageBatches(
            self,
            batch_size=check_positive_int(batch_size, "batch_size"),
            shuffle=check_bool(shuffle, "shuffle"),
            rng=random_source(random_state),
        )

    def read(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """Decode the images at ``positions`` (valid integer positions), keeping one row per position.

        Each distinct file is decoded once, on the machine's threads. This is
        how :class:`mixupy.MixupGenerator` reads a batch's sources; :meth:`load`
        is the same with its positions checked and unreadable files left out.

        Returns
        -------
        images : ndarray of float32, shape (len(positions), height, width, channels)
            Pixel values scaled to [0, 1].
        readable : ndarray of bool or None
            Under ``on_error="skip"``, which rows could be read (their images are
            zeros otherwise); None when all could.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import numpy as np
        >>> from PIL import Image
        >>> from mixupy import ImageFolder
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     (pathlib.Path(tmp) / "a").mkdir()
        ...     Image.new("L", (4, 4), 255).save(pathlib.Path(tmp) / "a" / "white.png")
        ...     images, readable = ImageFolder(tmp, image_size=2, color_mode="grayscale").read(np.array([0, 0]))
        >>> images.shape, readable is None
        ((2, 2, 2, 1), True)
        """
        unique, inverse = np.unique(positions, return_inverse=True)
        height, width = self.image_size
        out = np.zeros((unique.size, height, width, self._channels), dtype=np.float32)
        failures: list[tuple[int, BaseException]] = []
        todo = [k for k, p in enumerate(unique.tolist()) if p not in self._unreadable]
        n_threads = max(1, min(thread_count(), len(todo)))

        def work(t: int) -> None:
            for k in todo[t::n_threads]:
                try:
                    out[k] = self._decode(self.paths[unique[k]])
                except DECODE_ERRORS as error:
                    failures.append((int(unique[k]), error))

        run_parallel(work, n_threads, len(todo) * height * width * self._channels)
        for position, error in sorted(failures, key=lambda item: item[0]):
            where = f"image file {str(self.paths[position])!r}: {type(error).__name__}: {error}"
            if self._on_error == "raise":
                msg = (
                    f"cannot read {where}. Hint: remove or replace the file, or pass "
                    "on_error='skip' to leave unreadable files out with a warning."
                )
                raise ValueError(msg) from error
            self._unreadable.add(position)
            warnings.warn(
                f"skipping unreadable {where}",
                RuntimeWarning,
                stacklevel=2,
            )
        out *= np.float32(1 / 255)
        readable = ~np.isin(unique, list(self._unreadable))
        return out[inverse], (None if readable.all() else readable[inverse])

    def _decode(self, path: Path) -> np.ndarray:
        height, width = self.image_size
        with Image.open(path) as image:
            converted = image.convert(self._mode)
            if converted.size != (width, height):
                converted = converted.resize((width, height), Image.Resampling.BILINEAR)
            pixels = np.asarray(converted, dtype=np.float32)
        return pixels.reshape(height, width, self._channels)


class ImageBatches:
    """Unmixed batches of an :class:`ImageFolder`, made by :meth:`ImageFolder.batches`.

    ``len()`` is the number of batches per pass, iterating runs one pass,
    calling returns an endless generator. Each batch is ``(images, labels)``
    with float32 images in [0, 1] and float32 one-hot labels.

    See :meth:`ImageFolder.batches` and the :class:`ImageFolder` Examples.
    """

    def __init__(self, folder: ImageFolder, *, batch_size: int, shuffle: bool, rng: np.random.Generator) -> None:
        self._folder = folder
        self._batch_size = batch_size
        self._shuffle = shuffle
        self._rng = rng

    def __len__(self) -> int:
        return -(-len(self._folder) // self._batch_size)

    def __iter__(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        n = len(self._folder)
        order = self._rng.permutation(n) if self._shuffle else np.arange(n)
        n_classes = len(self._folder.classes)
        for start in range(0, n, self._batch_size):
            images, labels = self._folder.load(order[start : start + self._batch_size])
            if len(labels):
                yield images, one_hot(labels, n_classes, np.float32)

    def __call__(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        while True:
            yield from self


def _list_images(root: Path) -> tuple[list[str], list[Path], np.ndarray]:
    """Class names, image paths and class codes under ``root``, in a fixed order."""
    if not root.is_dir():
        msg = f"`directory` must be an existing folder holding one sub-folder per class; {str(root)!r} is not a folder."
        raise ValueError(msg)
    classes = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not classes:
        msg = (
            f"`directory` {str(root)!r} has no class sub-folders; put the images of each class in a "
            "sub-folder named after it, e.g. data/cat/1.jpg and data/dog/2.jpg."
        )
        raise ValueError(msg)
    paths: list[Path] = []
    codes: list[int] = []
    for code, name in enumerate(classes):
        found = sorted(
            p
            for p in (root / name).rglob("*")
            if p.suffix.lower() in IMAGE_EXTENSIONS
            and p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(root).parts)
        )
        paths.extend(found)
        codes.extend([code] * len(found))
    if not paths:
        msg = (
            f"`directory` {str(root)!r} has class sub-folders {classes} but no image files in them "
            f"(looked for {', '.join(IMAGE_EXTENSIONS)})."
        )
        raise ValueError(msg)
    return classes, paths, np.asarray(codes, dtype=np.intp)


def _split(labels: np.ndarray, n_classes: int, fraction: float, seed: int) -> np.ndarray:
    """Mask of the held-out files: ``round(fraction * count)`` of each class, chosen by ``seed``."""
    rng = random_source(seed)
    held_out = np.zeros(labels.shape[0], dtype=bool)
    for code in range(n_classes):
        members = np.flatnonzero(labels == code)
        count = round(fraction * members.size)
        held_out[rng.permutation(members)[:count]] = True
    return held_out
