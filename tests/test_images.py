"""Tests of mixupy.images: ImageFolder read lazily, mixed by MixupGenerator, split for validation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import PIL.Image
import pytest
from PIL import Image

from mixupy import ImageFolder, MixupGenerator

# class name -> the gray level of each of its images
SHADES = {"black": 0, "gray": 102, "white": 255}


def make_folder(root: Path, per_class: int = 4, size: tuple[int, int] = (10, 7), fmt: str = "png") -> Path:
    """``root/<class>/<i>.<fmt>``: solid images whose gray level says their class."""
    for name, shade in SHADES.items():
        (root / name).mkdir(parents=True)
        for i in range(per_class):
            Image.new("RGB", size, (shade, shade, shade)).save(root / name / f"{i}.{fmt}")
    return root


@pytest.fixture
def folder_path(tmp_path: Path) -> Path:
    return make_folder(tmp_path / "data")


def test_lists_classes_and_files_in_a_fixed_order(tmp_path):
    root = make_folder(tmp_path / "d", per_class=2)
    (root / "white" / "deeper").mkdir()
    Image.new("RGB", (3, 3)).save(root / "white" / "deeper" / "IMG.PNG")  # nested, upper-case extension
    (root / "black" / "notes.txt").write_text("not an image")
    (root / "black" / ".hidden.png").write_bytes(b"")
    (root / ".cache").mkdir()
    (root / "README.md").write_text("a file at the top level is no class")
    folder = ImageFolder(root, image_size=4)
    assert folder.classes == ["black", "gray", "white"]
    assert folder.labels.tolist() == [0, 0, 1, 1, 2, 2, 2]
    assert [p.relative_to(root).as_posix() for p in folder.paths] == [
        "black/0.png",
        "black/1.png",
        "gray/0.png",
        "gray/1.png",
        "white/0.png",
        "white/1.png",
        "white/deeper/IMG.PNG",
    ]
    assert len(folder) == 7
    assert repr(folder) == "ImageFolder(images=7, classes=3, image_size=(4, 4))"


@pytest.mark.parametrize(("color_mode", "channels"), [("rgb", 3), ("grayscale", 1), ("rgba", 4)])
def test_decodes_resizes_and_scales_to_unit_floats(folder_path, color_mode, channels):
    folder = ImageFolder(folder_path, image_size=(5, 3), color_mode=color_mode)
    images, labels = folder.load([0, 4, 8])
    assert images.shape == (3, 5, 3, channels)
    assert images.dtype == np.float32
    np.testing.assert_allclose(images[..., 0].reshape(3, -1).T, np.broadcast_to([0, 102 / 255, 1], (15, 3)), atol=1e-6)
    if color_mode == "rgba":
        np.testing.assert_allclose(images[..., 3], 1.0)  # opaque
    assert labels.tolist() == [0, 1, 2]


def test_jpeg_files_decode_close_to_their_colour(tmp_path):
    folder = ImageFolder(make_folder(tmp_path / "j", per_class=1, fmt="jpg"), image_size=6)
    images, _ = folder.load()
    np.testing.assert_allclose(images.mean(axis=(1, 2, 3)), [0, 102 / 255, 1], atol=0.02)


def test_building_the_folder_decodes_nothing_and_a_batch_decodes_only_its_sources(folder_path, monkeypatch):
    # Images are opened with Pillow's public Image.open: counting its calls counts the files decoded.
    opened: list[Path] = []
    original = PIL.Image.open

    def counting(path, *args, **kwargs):
        opened.append(Path(path))
        return original(path, *args, **kwargs)

    monkeypatch.setattr(PIL.Image, "open", counting)
    folder = ImageFolder(folder_path, image_size=4)
    assert opened == []
    gen = MixupGenerator(folder, folder.labels, num_classes=3, batch_size=2, random_state=0)
    next(iter(gen))
    assert 2 <= len(opened) <= 4  # the two first sources and their partners, each file once
    assert len(set(opened)) == len(opened)
    assert set(opened) <= set(folder.paths)
    opened.clear()
    images, readable = folder.read(np.array([3, 3, 0, 3]))  # the public reader: one row per position
    assert sorted(opened) == sorted([folder.paths[0], folder.paths[3]])  # each distinct file once
    assert images.shape == (4, 4, 4, 3) and readable is None
    np.testing.assert_array_equal(images[0], images[1])


def test_mixed_batches_from_a_folder_mix_pixels_and_labels_alike(folder_path):
    folder = ImageFolder(folder_path, image_size=(4, 6))
    gen = MixupGenerator(folder, folder.labels, num_classes=3, batch_size=5, alpha=1.0, random_state=3)
    assert len(gen) == 3  # 12 images
    seen = 0
    for xb, yb in gen:
        assert xb.shape[1:] == (4, 6, 3)
        assert xb.dtype == np.float32
        assert yb.dtype == np.float32
        expected = yb @ np.array([0, 102, 255]) / 255  # each class brings its gray level, weighted by its share
        np.testing.assert_allclose(xb[:, 2, 3, 1], expected, atol=1e-6)
        seen += xb.shape[0]
    assert seen == 12


def test_same_seed_same_batches_from_a_folder(folder_path):
    folder = ImageFolder(folder_path, image_size=3)
    a = [b for _, b in MixupGenerator(folder, folder.labels, num_classes=3, batch_size=4, random_state=7)]
    b = [b for _, b in MixupGenerator(folder, folder.labels, num_classes=3, batch_size=4, random_state=7)]
    for ya, yb in zip(a, b, strict=True):
        np.testing.assert_array_equal(ya, yb)


def test_validation_split_is_stratified_disjoint_and_fixed_by_seed(tmp_path):
    root = make_folder(tmp_path / "s", per_class=10)
    train = ImageFolder(root, validation_split=0.3, subset="training", seed=4)
    val = ImageFolder(root, validation_split=0.3, subset="validation", seed=4)
    assert np.bincount(val.labels).tolist() == [3, 3, 3]
    assert np.bincount(train.labels).tolist() == [7, 7, 7]
    assert set(train.paths).isdisjoint(val.paths)
    assert set(train.paths) | set(val.paths) == set(ImageFolder(root).paths)
    again = ImageFolder(root, validation_split=0.3, subset="validation", seed=4)
    assert again.paths == val.paths
    other = ImageFolder(root, validation_split=0.3, subset="validation", seed=5)
    assert other.paths != val.paths


def test_validation_batches_are_unmixed_one_hot(tmp_path):
    root = make_folder(tmp_path / "v", per_class=5)
    val = ImageFolder(root, image_size=2, validation_split=0.4, subset="validation").batches(batch_size=4)
    assert len(val) == 2  # 2 per class
    batches = list(val)
    assert [x.shape[0] for x, _ in batches] == [4, 2]
    y = np.concatenate([y for _, y in batches])
    np.testing.assert_array_equal(y, np.eye(3, dtype=np.float32)[[0, 0, 1, 1, 2, 2]])
    x = np.concatenate([x for x, _ in batches])
    np.testing.assert_allclose(x[:, 0, 0, 0], np.array([0, 0, 102, 102, 255, 255]) / 255, atol=1e-6)
    endless = val()
    assert sum(next(endless)[0].shape[0] for _ in range(4)) == 12  # two passes
    shuffled = ImageFolder(root, image_size=2).batches(batch_size=15, shuffle=True, random_state=1)
    (_, y1), (_, y2) = next(shuffled()), next(iter(shuffled))
    assert sorted(y1.argmax(axis=1)) == [0] * 5 + [1] * 5 + [2] * 5
    assert y1.argmax(axis=1).tolist() != y2.argmax(axis=1).tolist()


def corrupt(folder_path: Path) -> Path:
    bad = folder_path / "gray" / "broken.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n this is no image")
    return bad


def test_an_unreadable_file_raises_an_error_naming_it(folder_path):
    bad = corrupt(folder_path)
    folder = ImageFolder(folder_path, image_size=4)
    position = folder.paths.index(bad)
    with pytest.raises(ValueError, match=r"cannot read image file '.*broken\.png'.*on_error='skip'"):
        folder.load([position])
    gen = MixupGenerator(folder, folder.labels, num_classes=3, batch_size=13, random_state=0)
    with pytest.raises(ValueError, match=r"broken\.png"):
        next(iter(gen))  # every file is a first source in the one batch


def test_an_unreadable_file_is_skipped_with_one_warning_when_asked(folder_path):
    bad = corrupt(folder_path)
    folder = ImageFolder(folder_path, image_size=4, on_error="skip")
    assert bad in folder.paths  # listed: it is found out only when a batch decodes it
    gen = MixupGenerator(folder, folder.labels, num_classes=3, batch_size=13, random_state=0)
    with pytest.warns(RuntimeWarning, match=r"skipping unreadable image file '.*broken\.png'"):
        xb, yb = next(iter(gen))
    assert xb.shape[0] == yb.shape[0] < 13  # the bad file's row and any row that took it as partner
    expected = yb @ np.array([0, 102, 255]) / 255
    np.testing.assert_allclose(xb[:, 0, 0, 0], expected, atol=1e-6)  # no zero-filled source slipped in
    images, labels = folder.load()  # known bad: left out again, without a second warning
    assert images.shape[0] == labels.shape[0] == 12


def test_the_recipe_from_image_files_with_keras(tmp_path):
    """Training from a folder with a validation split, as the flow_from_directory recipe does, in Keras 3."""
    import keras  # slow to import, so only here; the root conftest picks the torch backend

    root = make_folder(tmp_path / "k", per_class=6)
    train = ImageFolder(root, image_size=(8, 8), validation_split=0.3, subset="training")
    val = ImageFolder(root, image_size=(8, 8), validation_split=0.3, subset="validation")
    train_generator = MixupGenerator(train, train.labels, num_classes=3, batch_size=5, alpha=0.2, random_state=0)
    validation_batches = val.batches(batch_size=5)
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input(shape=(8, 8, 3)),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    history = model.fit(
        train_generator(),
        steps_per_epoch=len(train_generator),
        validation_data=validation_batches(),
        validation_steps=len(validation_batches),
        epochs=2,
        shuffle=False,
        verbose=0,
    )
    assert len(history.history["val_loss"]) == 2
    assert np.isfinite(history.history["val_loss"]).all()


def empty_classes(root: Path) -> Path:
    for name in ("a", "b"):
        (root / name).mkdir()
    (root / "a" / "labels.csv").write_text("no images here")
    return root


@pytest.mark.parametrize(
    ("make", "kwargs", "error", "match"),
    [
        (lambda root: root, {}, ValueError, "has no class sub-folders"),
        (lambda root: root / "missing", {}, ValueError, "is not a folder"),
        (empty_classes, {}, ValueError, r"\['a', 'b'\] but no image"),
        (make_folder, {"image_size": (0, 4)}, ValueError, r"`image_size\[0\]`"),
        (make_folder, {"image_size": "big"}, TypeError, "`image_size`"),
        (make_folder, {"color_mode": "cmyk"}, ValueError, "`color_mode`"),
        (make_folder, {"on_error": "ignore"}, ValueError, "`on_error`"),
        (make_folder, {"validation_split": 0.2}, ValueError, "go together"),
        (make_folder, {"subset": "training"}, ValueError, "go together"),
        (make_folder, {"subset": "test", "validation_split": 0.2}, ValueError, "`subset`"),
        (make_folder, {"subset": "training", "validation_split": 1.0}, ValueError, "`validation_split`"),
        (make_folder, {"subset": "training", "validation_split": 0.2, "seed": -1}, ValueError, "`seed`"),
        (make_folder, {"subset": "validation", "validation_split": 0.05}, ValueError, "subset of .* is empty"),
    ],
)
def test_bad_folders_and_parameters(tmp_path, make, kwargs, error, match):
    with pytest.raises(error, match=match):
        ImageFolder(make(tmp_path), **kwargs)


def test_bad_load_and_batches_arguments(folder_path):
    folder = ImageFolder(folder_path, image_size=2)
    with pytest.raises(ValueError, match=r"`positions` must be in 0 \.\. 11"):
        folder.load([12])
    with pytest.raises(TypeError, match="`positions` must be integer"):
        folder.load(np.ones(12, dtype=bool))
    with pytest.raises(ValueError, match="`batch_size` must be a positive integer"):
        folder.batches(batch_size=0)
