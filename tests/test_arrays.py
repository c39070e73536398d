"""Tests of mixupy.arrays: mixup_arrays, MixupGenerator and mixup_streams."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tracing import trace as trace_sources

import mixupy
from mixupy import MixupGenerator, mixup_arrays, mixup_streams


def ids_data(n: int) -> tuple[np.ndarray, np.ndarray]:
    """x[i] = i, shaped like tiny images, and labels = the sample ids (num_classes = n).

    With ``label_mode="mix"`` the mixed label row puts ``lam`` on the first source's id and
    ``1 - lam`` on the partner's, so every synthetic sample can be traced to its sources.
    """
    x = np.arange(n, dtype=np.float64).reshape(n, 1, 1, 1) * np.ones((1, 2, 2, 3))
    return x, np.arange(n)


def trace(yb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(first, second, lam) of each row of labels mixed from sample ids, for rows with 0 < lam < 1."""
    order = np.argsort(-yb, axis=1)
    first, second = order[:, 0], order[:, 1]
    lam = yb[np.arange(len(yb)), first]
    return first, second, lam


# --- mixup_arrays -------------------------------------------------------------------------------


def test_two_samples_by_hand():
    # With two samples each one's partner is the other: x' = 10 * (1 - lam) for row 0, 10 * lam for row 1.
    # The labels give lam: row r puts lam on its own class r.
    x = np.array([[0.0], [10.0]])
    xm, ym = mixup_arrays(x, np.array([0, 1]), num_classes=2, alpha=1.0, random_state=0)
    lam = np.diag(ym)
    assert ((lam > 0) & (lam < 1)).all() and lam[0] != lam[1]  # one lam per sample
    np.testing.assert_array_equal(xm[:, 0], [10 * (1 - lam[0]), 10 * lam[1]])
    np.testing.assert_array_equal(ym, [[lam[0], 1 - lam[0]], [1 - lam[1], lam[1]]])


@pytest.mark.parametrize("size", [11, 14])
def test_every_value_is_the_documented_mix_for_any_rank(size):
    # A second label array, np.eye(7), traces each row: lam on its first source, 1 - lam on its partner.
    rng = np.random.default_rng(5)
    x = rng.random((7, 3, 4, 2)).astype(np.float32)
    y = rng.dirichlet(np.ones(3), size=7)
    xm, (ym, tracer) = mixup_arrays(x, [y, np.eye(7)], alpha=0.4, batch_size=size, random_state=3)
    assert xm.dtype == np.float32
    assert ym.dtype == np.float64
    assert ((tracer > 0).sum(axis=1) <= 2).all()
    # as a whole: each row is the tracer-weighted sum of the samples
    np.testing.assert_allclose(xm, np.einsum("rn,n...->r...", tracer, x), rtol=1e-6)
    np.testing.assert_allclose(ym, tracer @ y)
    # the rows of the full pass, first sources in order: lam * x_i + (1 - lam) * x_j, in float32
    first = np.arange(7)
    second, lam = trace_sources(tracer[:7], first)
    assert (second != first).all()
    w = lam.astype(np.float32)[:, None, None, None]
    rest = (1 - lam).astype(np.float32)[:, None, None, None]
    np.testing.assert_array_equal(xm[:7], x[first] * w + x[second] * rest)
    np.testing.assert_array_equal(ym[:7], lam[:, None] * y[first] + (1 - lam[:, None]) * y[second])


def test_alpha_zero_copies_one_source():
    x, ids = ids_data(6)
    xm, ym = mixup_arrays(x, ids, num_classes=6, alpha=0, random_state=1)
    assert set(np.unique(ym)) == {0.0, 1.0}
    np.testing.assert_array_equal(xm[:, 0, 0, 0], ym.argmax(axis=1))


@pytest.mark.parametrize("shape", [(6,), (6, 1)])
def test_integer_labels_become_mixed_one_hot_in_x_dtype(shape):
    x = np.linspace(0, 1, 12, dtype=np.float32).reshape(6, 2)
    codes = np.array([0, 2, 1, 2, 0, 1]).reshape(shape)
    _, (ym, tracer) = mixup_arrays(x, [codes, np.eye(6)], num_classes=[3, None], random_state=0)
    assert ym.shape == (6, 3)
    assert ym.dtype == np.float32
    np.testing.assert_allclose(ym.sum(axis=1), 1, rtol=1e-6)
    second, lam = trace_sources(tracer, np.arange(6))
    hot = np.eye(3)[codes.reshape(-1)]
    np.testing.assert_allclose(ym, lam[:, None] * hot + (1 - lam[:, None]) * hot[second], rtol=1e-6)
    assert (ym > 0).sum() > 6  # some rows really mix two classes


def test_integer_one_hot_and_images_are_mixed_in_float64():
    x = np.full((4, 2, 2), 200, dtype=np.uint8)
    y = np.eye(4, dtype=np.uint8)
    xm, ym = mixup_arrays(x, y, random_state=0)
    assert xm.dtype == np.float64
    assert ym.dtype == np.float64
    np.testing.assert_allclose(xm, 200.0)


def test_multi_task_labels_share_one_draw_and_keep_their_container():
    x, ids = ids_data(8)
    soft = np.eye(8)
    for y, num_classes in [
        ([ids, soft], [8, None]),
        ((ids, soft), 8),  # an int applies to the integer label arrays only
        ({"ids": ids, "soft": soft}, {"ids": 8}),
    ]:
        xm, ym = mixup_arrays(x, y, num_classes=num_classes, alpha=1.0, random_state=4)
        assert type(ym) is type(y)
        first, second = (ym["ids"], ym["soft"]) if isinstance(ym, dict) else ym
        np.testing.assert_allclose(first, second)
        lam_first = first[np.arange(8), np.arange(8)]  # sample i is the first source of row i
        np.testing.assert_allclose(xm[:, 0, 0, 0], (first * np.arange(8)).sum(axis=1))
        assert (lam_first > 0).all()


def test_a_list_of_numbers_is_one_label_array_not_multi_task():
    # NumPy scalars have a `shape` too; a list of them is one array of labels, not one task per number.
    x = np.array([[0.0], [10.0], [20.0]])
    target = np.array([0.0, 1.0, 0.0])
    expected = mixup_arrays(x, target, random_state=3)
    for y in (list(target), tuple(target), [0.0, 1.0, 0.0], list(np.array([0, 1, 0]) == 1)):
        xm, ym = mixup_arrays(x, y, random_state=3)
        assert isinstance(ym, np.ndarray)
        np.testing.assert_array_equal(xm, expected[0])
        np.testing.assert_array_equal(ym, expected[1])
    tenth = list(x[:, 0] / 10)  # a float target: x / 10, as a list of NumPy scalars
    xb, yb = next(iter(MixupGenerator(x, tenth, batch_size=3, alpha=1.0, random_state=3)))
    assert isinstance(yb, np.ndarray)
    np.testing.assert_allclose(yb * 10, xb[:, 0])
    ((xs, ys),) = mixup_streams([(x, tenth)], [(x[::-1], tenth[::-1])], alpha=1.0, random_state=3)
    assert isinstance(ys, np.ndarray)
    np.testing.assert_allclose(ys * 10, xs[:, 0])  # x and its target mixed with one lam per row


def test_dominant_keeps_the_exact_label_of_the_heavier_sample():
    # x: the sample id, then one tracer feature per sample (mixed, it shows lam and the partner)
    x = np.hstack([np.arange(9.0)[:, None], np.eye(9)])
    xm, ym = mixup_arrays(x, np.arange(9), num_classes=9, label_mode="dominant", alpha=1.0, random_state=2)
    np.testing.assert_array_equal(ym, np.eye(9))  # row i: first source i, exact one-hot
    soft = np.random.default_rng(0).dirichlet(np.ones(4), size=9).astype(np.float32)
    _, ys = mixup_arrays(x, soft, label_mode="dominant", random_state=2)
    np.testing.assert_array_equal(ys, soft)
    second, lam = trace_sources(xm[:, 1:], np.arange(9))
    assert (lam >= 0.5).all() and (lam < 1).all()
    assert (second != np.arange(9)).all()
    np.testing.assert_array_equal(xm[:, 0], lam * np.arange(9) + (1 - lam) * second)


def test_x_alone_float_targets_and_determinism():
    x = np.random.default_rng(0).random((5, 3))
    target = np.array([0.5, 1.5, 2.5, 3.5, 4.5])  # a float target is mixed as it is
    a = mixup_arrays(x, target, random_state=9)
    b = mixup_arrays(x, target, random_state=9)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert isinstance(mixup_arrays(x, random_state=9), np.ndarray)
    np.testing.assert_array_equal(mixup_arrays(x, random_state=9), a[0])
    assert not np.array_equal(mixup_arrays(x, random_state=10), a[0])


def test_inputs_are_not_changed():
    x = np.random.default_rng(1).random((6, 2))
    y = np.arange(6) % 3
    x0, y0 = x.copy(), y.copy()
    mixup_arrays(x, y, num_classes=3, random_state=0)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(y, y0)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"x": np.zeros((3, 2)), "y": np.zeros((4, 2))}, ValueError, r"`y` must have one row per sample of `x` \(3\)"),
        ({"x": np.zeros((3, 2)), "y": np.array([0, 1, 2])}, ValueError, r"integer class labels.*num_classes"),
        ({"x": np.zeros((3, 2)), "y": np.array([0, 1, 5]), "num_classes": 3}, ValueError, r"outside the classes: 5"),
        ({"x": np.zeros((3, 2)), "y": np.array([0, -1, 1]), "num_classes": 2}, ValueError, r"outside the classes: -1"),
        ({"x": np.zeros((2, 1)), "y": np.array([0.0, 0.5]), "num_classes": 2}, ValueError, r"not whole numbers"),
        ({"x": np.zeros((2, 1)), "y": np.eye(2), "num_classes": 3}, ValueError, r"num_classes=3 asks for \(3,\)"),
        ({"x": np.zeros((0, 4))}, ValueError, r"`x` is empty"),
        ({"x": np.zeros((2, 1)), "y": np.zeros((0, 2))}, ValueError, r"`y` is empty"),
        ({"x": np.zeros((2, 1)), "y": []}, ValueError, r"`y` is empty"),
        ({"x": np.zeros((2, 1)), "y": {}}, ValueError, r"`y` must hold at least one label array"),
        ({"x": np.zeros((2, 1)), "batch_size": 0}, ValueError, r"`batch_size` must be a positive integer"),
        ({"x": np.zeros((2, 1)), "batch_size": -3}, ValueError, r"`batch_size`"),
        ({"x": np.array([[1.0], [np.nan]])}, ValueError, r"`x` holds 1 NaN .* at index \(1, 0\)"),
        ({"x": np.array(["a", "b"])}, TypeError, r"`x` must hold numbers"),
        ({"x": 3.0}, ValueError, r"a scalar"),
        ({"x": np.zeros((2, 1)), "num_classes": 2}, ValueError, r"no labels `y`"),
        ({"x": np.zeros((2, 1)), "y": {"a": np.arange(2)}, "num_classes": {"b": 2}}, ValueError, r"lacks: \['b'\]"),
        ({"x": np.zeros((2, 1)), "y": [np.arange(2)], "num_classes": [2, 2]}, ValueError, r"one entry per label"),
        ({"x": np.zeros((2, 1)), "y": [np.arange(2), np.arange(3)], "num_classes": 3}, ValueError, r"`y\[1\]` must"),
        ({"x": np.zeros((2, 1)), "y": np.arange(2), "num_classes": 0}, ValueError, r"`num_classes`"),
        ({"x": np.zeros((2, 1)), "alpha": -1}, ValueError, r"`alpha`"),
        ({"x": np.zeros((2, 1)), "label_mode": "hard"}, ValueError, r"`label_mode`"),
    ],
)
def test_bad_input_is_named(kwargs, error, match):
    with pytest.raises(error, match=match):
        mixup_arrays(**kwargs)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 12),
    size=st.integers(1, 20),
    k=st.integers(1, 5),
    alpha=st.floats(0, 5),
    seed=st.integers(0, 2**32 - 1),
)
def test_properties_convex_labels_sum_to_one_and_share_lam(n, size, k, alpha, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3, 2))
    codes = rng.integers(0, k, size=n)
    xm, (ym, tracer) = mixup_arrays(
        x, [codes, np.eye(n)], num_classes=[k, None], alpha=alpha, batch_size=size, random_state=seed
    )
    assert xm.shape == (size, 3, 2)
    assert ym.shape == (size, k)
    np.testing.assert_allclose(ym.sum(axis=1), 1)
    assert (xm >= x.min(axis=0) - 1e-12).all()
    assert (xm <= x.max(axis=0) + 1e-12).all()
    # each row mixes at most two samples, with weights lam and 1 - lam that x and the labels share
    assert ((tracer > 0).sum(axis=1) <= 2).all()
    np.testing.assert_allclose(tracer.sum(axis=1), 1)
    np.testing.assert_allclose(xm, np.einsum("rn,n...->r...", tracer, x))
    np.testing.assert_allclose(ym, tracer @ np.eye(k)[codes])
    full = size // n * n  # the rows of full passes have their first sources in order
    first = np.arange(full) % n
    second, lam = trace_sources(tracer[:full], first)
    if n > 1:  # a partner is another sample, unless lam put no weight on it
        assert (second[lam < 1] != first[lam < 1]).all()


# --- MixupGenerator -----------------------------------------------------------------------------


def test_steps_and_last_batch():
    x, ids = ids_data(10)
    gen = MixupGenerator(x, ids, batch_size=4, num_classes=10, random_state=0)
    assert len(gen) == 3
    assert [xb.shape[0] for xb, _ in gen] == [4, 4, 2]
    dropped = MixupGenerator(x, ids, batch_size=4, num_classes=10, drop_last=True, random_state=0)
    assert len(dropped) == 2
    assert [xb.shape[0] for xb, _ in dropped] == [4, 4]
    assert len(MixupGenerator(x, ids, batch_size=10, num_classes=10)) == 1
    assert len(MixupGenerator(x, ids, batch_size=64, num_classes=10)) == 1
    assert "steps_per_epoch=3" in repr(gen)


@pytest.mark.parametrize("shuffle", [True, False])
def test_each_epoch_visits_every_sample_once_as_first_source(shuffle):
    x, ids = ids_data(11)
    gen = MixupGenerator(x, ids, batch_size=4, num_classes=11, label_mode="dominant", shuffle=shuffle, random_state=1)
    epochs = []
    for _ in range(2):
        firsts = np.concatenate([yb.argmax(axis=1) for _, yb in gen])
        assert sorted(firsts) == list(range(11))
        epochs.append(firsts)
    if shuffle:
        assert epochs[0].tolist() != epochs[1].tolist()
    else:
        assert epochs[0].tolist() == list(range(11)) == epochs[1].tolist()


def test_batches_are_mixes_of_their_traced_trace_sources():
    x, ids = ids_data(12)
    for xb, yb in MixupGenerator(x, ids, batch_size=5, alpha=1.0, num_classes=12, random_state=3):
        first, second, lam = trace(yb)
        assert (first != second).all()  # a partner is another sample
        np.testing.assert_allclose(xb[:, 0, 0, 0], lam * first + (1 - lam) * second)
        np.testing.assert_allclose(xb[:, 1, 1, 2], xb[:, 0, 0, 0])  # one lam per sample, all pixels


def test_same_seed_same_batches_and_endless_call():
    x, ids = ids_data(7)
    a = MixupGenerator(x, ids, batch_size=3, num_classes=7, random_state=5)()
    b = MixupGenerator(x, ids, batch_size=3, num_classes=7, random_state=5)()
    for _ in range(8):  # more than two epochs of 3 steps
        (xa, ya), (xb, yb) = next(a), next(b)
        np.testing.assert_array_equal(xa, xb)
        np.testing.assert_array_equal(ya, yb)


def test_keras_recipe_usage_runs_with_only_the_import_changed():
    # The classic README: ``MixupGenerator(x_train, y_train, batch_size=batch_size, alpha=0.2)()``
    # then ``x, y = next(generator)``, with one-hot labels or a list of them for multi-task training.
    rng = np.random.default_rng(0)
    x_train = rng.random((20, 8, 8, 3)).astype(np.float32)
    y_train = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 20)]
    batch_size = 6
    training_generator = MixupGenerator(x_train, y_train, batch_size=batch_size, alpha=0.2)()
    x, y = next(training_generator)
    assert x.shape == (6, 8, 8, 3)
    assert y.shape == (6, 10)
    np.testing.assert_allclose(y.sum(axis=1), 1, rtol=1e-6)

    y_age = rng.random((20, 1)).astype(np.float32)
    multi_task = MixupGenerator(x_train, [y_train, y_age], batch_size=batch_size, alpha=0.2)()
    x, y = next(multi_task)
    assert isinstance(y, list)
    assert [a.shape for a in y] == [(6, 10), (6, 1)]


def test_augment_applies_to_each_source_before_mixing():
    x, ids = ids_data(8)
    calls = []

    def square(sample):
        calls.append(sample.shape)
        sample **= 2  # in place is allowed: the generator hands over copies
        return sample

    gen = MixupGenerator(x, ids, batch_size=3, alpha=1.0, num_classes=8, augment=square, random_state=2)
    for xb, yb in gen:
        first, second, lam = trace(yb)
        # mixing squares, not squaring the mix
        np.testing.assert_allclose(xb[:, 0, 0, 0], lam * first**2 + (1 - lam) * second**2)
    assert len(calls) == 2 * 8  # both sources of each of the 8 mixed samples
    assert set(calls) == {(2, 2, 3)}
    np.testing.assert_array_equal(x, ids_data(8)[0])


@pytest.mark.parametrize(
    ("dtype", "mixed"),
    [
        (np.float16, np.float16),
        (np.float32, np.float32),
        (np.float64, np.float64),
        (np.int64, np.float64),
        (np.bool_, np.float64),
    ],
)
def test_augment_sources_follow_the_shared_dtype_rule(dtype, mixed):
    # The one dtype rule for a mix in every back-end: floats keep theirs, integers and bools become float64.
    seen = []
    x = np.ones((4, 2), dtype=dtype)
    gen = MixupGenerator(x, batch_size=4, augment=lambda s: seen.append(s.dtype) or s)
    assert next(iter(gen)).dtype == mixed
    assert set(seen) == {np.dtype(mixed)}
    assert next(iter(MixupGenerator(x, batch_size=4))).dtype == mixed  # the same rule without augment
    assert mixup_arrays(x, random_state=0).dtype == mixed


def test_no_private_copies_of_the_shared_rules():
    # arrays used to carry its own float_dtype and num_classes check; both live in one place now.
    import mixupy.arrays

    assert not hasattr(mixupy.arrays, "float_dtype")
    assert not hasattr(mixupy.arrays, "_check_num_classes")


def test_augment_may_change_the_shape_but_not_per_sample():
    x, _ = ids_data(4)
    crop = MixupGenerator(x, batch_size=4, augment=lambda s: s[:1, :1], random_state=0)
    assert next(iter(crop)).shape == (4, 1, 1, 3)
    sizes = iter(range(1, 100))
    ragged = MixupGenerator(x, batch_size=4, augment=lambda s: np.zeros(next(sizes)), random_state=0)
    with pytest.raises(ValueError, match="`augment` must return samples of one shape"):
        next(iter(ragged))
    with pytest.raises(TypeError, match="`augment` must be None or a callable"):
        MixupGenerator(x, augment="flip")


class FakeDatagen:
    """What MixupGenerator needs of a Keras ImageDataGenerator."""

    def __init__(self):
        self.seen = 0

    def random_transform(self, sample):
        self.seen += 1
        return sample[:, ::-1]

    def standardize(self, sample):
        sample += 1.0
        return sample


def test_datagen_is_shorthand_for_random_transform_then_standardize():
    x, ids = ids_data(6)
    x = x + np.arange(2).reshape(1, 1, 2, 1)  # a left-right gradient the flip reverses
    datagen = FakeDatagen()
    xb, yb = next(MixupGenerator(x, ids, batch_size=6, num_classes=6, datagen=datagen, random_state=0)())
    first, second, lam = trace(yb)
    np.testing.assert_allclose(xb[:, 0, 0, 0], lam * first + (1 - lam) * second + 2)  # flipped (+1), then +1
    assert datagen.seen == 12
    with pytest.raises(ValueError, match="not both"):
        MixupGenerator(x, ids, num_classes=6, datagen=datagen, augment=np.fliplr)
    with pytest.raises(TypeError, match="`datagen` must be a Keras ImageDataGenerator"):
        MixupGenerator(x, ids, num_classes=6, datagen=object())


@pytest.mark.filterwarnings(
    # Keras' legacy ImageDataGenerator imports scipy.ndimage.interpolation, which SciPy deprecates;
    # that is Keras' own code, not mixupy's.
    "ignore:Please import `affine_transform` from the `scipy.ndimage` namespace:DeprecationWarning"
)
def test_a_real_keras_image_data_generator_with_random_erasing():
    from keras.src.legacy.preprocessing.image import ImageDataGenerator  # Keras 3 keeps it here only

    erase_rng = np.random.default_rng(0)

    def random_eraser(image):  # random erasing as a preprocessing function: one patch set to noise
        top, left = erase_rng.integers(0, 4, size=2)
        image[top : top + 2, left : left + 2] = erase_rng.random((2, 2, image.shape[-1]))
        return image

    datagen = ImageDataGenerator(
        width_shift_range=0.1,
        height_shift_range=0.1,
        horizontal_flip=True,
        preprocessing_function=random_eraser,
    )
    x_train = np.random.default_rng(1).random((10, 6, 6, 3)).astype(np.float32)
    y_train = np.eye(3, dtype=np.float32)[np.arange(10) % 3]
    generator = MixupGenerator(x_train, y_train, alpha=1.0, datagen=datagen)()
    x, y = next(generator)
    assert x.shape == (10, 6, 6, 3)
    assert np.isfinite(x).all()
    np.testing.assert_allclose(y.sum(axis=1), 1, rtol=1e-6)


def test_generator_small_cases():
    one = MixupGenerator(np.array([[3.0]]), np.array([[1.0]]), batch_size=1, random_state=0)
    xb, yb = next(iter(one))
    np.testing.assert_array_equal(xb, [[3.0]])
    np.testing.assert_array_equal(yb, [[1.0]])  # a single sample is its own partner
    pixels = MixupGenerator(np.full((3, 2), 7, dtype=np.uint8), batch_size=2, random_state=0)
    xb = next(iter(pixels))
    assert isinstance(xb, np.ndarray)
    assert xb.dtype == np.float64
    np.testing.assert_allclose(xb, 7.0)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"batch_size": 0}, ValueError, "`batch_size` must be a positive integer"),
        ({"batch_size": -1}, ValueError, "`batch_size`"),
        ({"batch_size": 2.5}, TypeError, "`batch_size`"),
        ({"batch_size": 9, "drop_last": True}, ValueError, "leaves no batch"),
        ({"shuffle": "yes"}, TypeError, "`shuffle`"),
        ({"y": np.zeros(5)}, ValueError, r"`y` must have one row per sample of `x` \(4\)"),
        ({"y": np.arange(4)}, ValueError, "num_classes"),
        ({"y": np.arange(4), "num_classes": 3}, ValueError, "outside the classes: 3"),
    ],
)
def test_generator_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        MixupGenerator(np.zeros((4, 2)), **kwargs)


def test_generator_rejects_empty_x():
    with pytest.raises(ValueError, match="`x` is empty"):
        MixupGenerator(np.zeros((0, 3, 3)), np.zeros((0, 2)))


# --- mixup_streams ------------------------------------------------------------------------------


def stream(ids: list[list[int]], n_classes: int = 20) -> list[tuple[np.ndarray, np.ndarray]]:
    """Batches whose x is the sample id (as a float column) and y the id as an integer label."""
    return [(np.array(b, dtype=float).reshape(-1, 1), np.array(b)) for b in ids]


def test_streams_mix_row_by_row():
    first = stream([[0, 1, 2], [3, 4, 5]])
    second = stream([[10, 11, 12], [13, 14, 15]])
    batches = list(mixup_streams(first, second, num_classes=20, alpha=1.0, random_state=0))
    assert len(batches) == 2
    weights = []
    for (xb, yb), (xa, _), (xs, _) in zip(batches, first, second, strict=True):
        lam = yb[np.arange(3), xa[:, 0].astype(int)]  # the label of the row of `first` carries lam
        assert ((lam > 0) & (lam < 1)).all()
        np.testing.assert_array_equal(xb[:, 0], lam * xa[:, 0] + (1 - lam) * xs[:, 0])
        np.testing.assert_array_equal(yb[np.arange(3), xs[:, 0].astype(int)], 1 - lam)
        assert ((yb > 0).sum(axis=1) == 2).all()  # nothing else
        weights.extend(lam.tolist())
    assert len(set(weights)) == 6  # one lam per row, fresh for each batch
    again = list(mixup_streams(first, second, num_classes=20, alpha=1.0, random_state=0))
    for (xa, ya), (xb, yb) in zip(batches, again, strict=True):
        np.testing.assert_array_equal(xa, xb)
        np.testing.assert_array_equal(ya, yb)


def test_streams_ragged_last_batches_and_uneven_lengths():
    first = stream([[0, 1, 2, 3], [4, 5, 6]])
    second = stream([[10, 11, 12, 13], [14], [15, 16]])  # one batch longer: zip stops with `first`
    batches = list(mixup_streams(first, second, num_classes=20, alpha=1.0, random_state=1))
    assert [xb.shape[0] for xb, _ in batches] == [4, 3]
    _, y_last = batches[1]
    np.testing.assert_allclose(y_last[:, 14], 1 - y_last[np.arange(3), [4, 5, 6]])  # the one row lends itself to all
    longer_second = list(mixup_streams(stream([[0, 1]]), stream([[10, 11, 12]]), num_classes=20, random_state=1))
    assert longer_second[0][0].shape == (2, 1)
    assert longer_second[0][1][:, 12].sum() == 0  # the extra row is left out


def test_streams_dominant_x_alone_multi_task_and_determinism():
    a = [np.full((3, 2), 1.0), np.full((2, 2), 1.0)]
    b = [np.full((3, 2), 0.0), np.full((2, 2), 0.0)]
    mixed = list(mixup_streams(a, b, label_mode="dominant", alpha=1.0, random_state=2))
    assert all((m >= 0.5).all() for m in mixed)  # the first stream dominates
    again = list(mixup_streams(a, b, label_mode="dominant", alpha=1.0, random_state=2))
    for m, n in zip(mixed, again, strict=True):
        np.testing.assert_array_equal(m, n)
    multi_a = [(np.zeros((2, 1)), {"cls": np.array([0, 0]), "soft": np.eye(2)})]
    multi_b = [(np.ones((2, 1)), {"cls": np.array([1, 1]), "soft": np.eye(2)})]
    ((xb, yb),) = mixup_streams(multi_a, multi_b, num_classes={"cls": 2}, random_state=0)
    assert set(yb) == {"cls", "soft"}
    np.testing.assert_allclose(yb["cls"][:, 0], 1 - xb[:, 0])  # x from b is 1, class 0 only from a


def test_streams_accept_cpu_torch_batches():
    import torch  # slow to import, so only here

    a = [(torch.zeros(3, 2), torch.tensor([0, 1, 2]))]
    b = [(torch.ones(3, 2), torch.tensor([2, 2, 2]))]
    ((xb, yb),) = mixup_streams(a, b, num_classes=3, random_state=0)
    assert isinstance(xb, np.ndarray)
    np.testing.assert_allclose(yb.sum(axis=1), 1, rtol=1e-6)


@pytest.mark.parametrize(
    ("first", "second", "kwargs", "error", "match"),
    [
        (3, [], {}, TypeError, "`first` must be an iterable"),
        ([], None, {}, TypeError, "`second` must be an iterable"),
        ([], [], {"alpha": "0.2"}, TypeError, "`alpha`"),
        ([], [], {"num_classes": 0}, ValueError, "`num_classes`"),
        ([], [], {"num_classes": [3, None, -1]}, ValueError, "`num_classes`"),
        ([], [], {"num_classes": {"a": 2, "b": 2.5}}, TypeError, "`num_classes`"),
        ([np.zeros((2, 1))], [(np.zeros((2, 1)), np.eye(2))], {}, ValueError, "the same form"),
        ([np.zeros((2, 1))], [np.zeros((2, 2))], {}, ValueError, r"differ in sample shape at batch 0"),
        ([(np.zeros((2, 1)), np.eye(2), None)], [np.zeros((2, 1))], {}, ValueError, "a tuple of 3 at first, batch 0"),
        ([np.zeros((0, 1))], [np.zeros((2, 1))], {}, ValueError, r"`x of first, batch 0` is empty"),
        ([(np.zeros((2, 1)), np.eye(2))], [(np.zeros((2, 1)), np.eye(2, 3))], {}, ValueError, "differ in structure"),
        (
            [(np.zeros((2, 1)), np.array([0, 4]))],
            [(np.zeros((2, 1)), np.array([0, 1]))],
            {"num_classes": 3},
            ValueError,
            r"`y of first, batch 0` holds a label outside the classes: 4",
        ),
    ],
)
def test_streams_bad_input(first, second, kwargs, error, match):
    with pytest.raises(error, match=match):
        list(mixup_streams(first, second, **kwargs))


# --- evidence: a Keras 3 model trains from MixupGenerator -----------------------------------------


@pytest.mark.filterwarnings(
    # Keras' torch backend turns tensors into arrays with np.array(tensor), and torch's Tensor.__array__
    # takes no `copy` keyword, which NumPy 2 deprecates: a torch/Keras matter, not mixupy's.
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"
)
def test_keras_model_fits_one_epoch_from_the_generator():
    import keras  # slow to import, so only here; the root conftest picks the torch backend

    assert keras.backend.backend() == "torch"
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    y_train = rng.integers(0, 3, 96)
    x_train = (rng.random((96, 6, 6, 1)) + y_train.reshape(-1, 1, 1, 1)).astype(np.float32)  # brightness = class
    model = keras.Sequential(
        [
            keras.Input(shape=(6, 6, 1)),
            keras.layers.Conv2D(4, 3, activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="categorical_crossentropy")
    before = model.get_weights()
    generator = MixupGenerator(x_train, y_train, batch_size=32, num_classes=3, alpha=0.2, random_state=0)
    # shuffle=False: the generator shuffles itself; Keras warns that it cannot shuffle a generator
    history = model.fit(generator(), steps_per_epoch=len(generator), epochs=1, shuffle=False, verbose=0)
    assert len(history.history["loss"]) == 1
    assert np.isfinite(history.history["loss"][0])
    assert any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights(), strict=True))
    probabilities = model.predict(x_train[:4], verbose=0)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, rtol=1e-5)


# --- default alpha: each function's default and its reason are documented ------------------------


def public_alpha_defaults() -> dict[str, float]:
    """Every public name of mixupy that takes ``alpha``, with its default."""
    defaults = {}
    for name in mixupy.__all__:
        obj = getattr(mixupy, name)
        if callable(obj) and "alpha" in inspect.signature(obj).parameters:
            defaults[name] = inspect.signature(obj).parameters["alpha"].default
    return defaults


def test_default_alpha_table_lists_every_public_default():
    text = (Path(__file__).resolve().parents[1] / "docs" / "arrays.md").read_text(encoding="utf-8")
    assert "## Default alpha" in text
    section = text.split("## Default alpha", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `mixupy\.(\w+)` \| ([\d.]+) \| (.+) \|$", section, flags=re.MULTILINE)
    assert all(reason.strip() for _, _, reason in rows)
    table = {name: float(default) for name, default, _ in rows}
    public = public_alpha_defaults()
    assert len(public) >= 12  # the table functions, tensors and sampler included
    assert table == public


@pytest.mark.parametrize(
    "name", ["mixup_arrays", "MixupGenerator", "mixup_streams", "mixup_batch", "mixup_pairs", "MixupSampler"]
)
def test_alpha_docstring_says_why_its_default_is_what_it_is(name):
    doc = inspect.getdoc(getattr(mixupy, name))
    entry = re.search(r"^alpha : float, default ([\d.]+)\n((?:    .*\n)+)", doc, flags=re.MULTILINE)
    assert entry is not None
    assert float(entry[1]) == public_alpha_defaults()[name]
    assert "default is" in " ".join(entry[2].split())


def test_a_list_of_label_rows_gets_a_hint_to_stack_it() -> None:
    x = np.zeros((4, 2))
    rows = list(np.eye(3)[[0, 1, 2, 0]])  # one one-hot row per sample, not one array per task
    with pytest.raises(ValueError, match=r"np\.stack\(y\)"):
        mixup_arrays(x, rows, random_state=0)
    assert mixup_arrays(x, np.stack(rows), random_state=0)[1].shape == (4, 3)
