"""mixupy.MixupDataset (a Keras 3 PyDataset) and the Keras MixupGenerator recipe, fitted on the torch backend."""

from __future__ import annotations

import os
import warnings

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras
import numpy as np
import pytest

import mixupy
from mixupy import Mixup, MixupDataset


@pytest.fixture(scope="module")
def digits() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits

    data = load_digits()
    x = (data.images[:320, ..., None] / 16).astype(np.float32)  # (320, 8, 8, 1), channels last
    return x, np.eye(10, dtype=np.float32)[data.target[:320]]


def small_model() -> keras.Model:
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input(shape=(8, 8, 1)),
            keras.layers.Conv2D(4, 3, activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    return model


def test_batches_are_a_function_of_index_and_epoch(digits: tuple[np.ndarray, np.ndarray]) -> None:
    x, y = digits
    data = MixupDataset(x, y, batch_size=64, transform=Mixup(alpha=0.4, cutmix_alpha=1.0, random_state=0))
    assert len(data) == 5 and data.num_batches == 5
    xb, yb = data[3]
    assert xb.shape == (64, 8, 8, 1) and xb.dtype == np.float32 and yb.shape == (64, 10)
    np.testing.assert_allclose(yb.sum(axis=1), 1, rtol=1e-6)
    later = [data[i] for i in (4, 3)]  # any order, any number of times: the same batch
    assert np.array_equal(later[1][0], xb) and np.array_equal(later[1][1], yb)
    data.on_epoch_end()
    assert not np.array_equal(data[3][0], xb)  # a new epoch: a new order and new draws
    with pytest.raises(IndexError, match="out of range"):
        data[5]


def test_order_without_shuffle_and_seeds(digits: tuple[np.ndarray, np.ndarray]) -> None:
    x, y = digits
    off = Mixup(random_state=0)
    off.enabled = False
    plain = MixupDataset(x, y, batch_size=100, transform=off, shuffle=False)
    assert np.array_equal(plain[1][0], x[100:200]) and plain[3][0].shape[0] == 20
    a, b = (MixupDataset(x, y, transform=Mixup(random_state=1), random_state=2) for _ in range(2))
    assert np.array_equal(a[0][0], b[0][0])


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"batch_size": 0}, ValueError, "`batch_size`"),
        ({"transform": "mixup"}, TypeError, "`transform`"),
        ({"transform": Mixup(pairs=True)}, ValueError, "pairs=True"),
        ({"workers": 0}, ValueError, "`workers`"),
        ({"use_multiprocessing": "yes"}, TypeError, "`use_multiprocessing`"),
        ({"shuffle": None}, TypeError, "`shuffle`"),
    ],
)
def test_bad_input(digits: tuple[np.ndarray, np.ndarray], kwargs: dict[str, object], error: type, match: str) -> None:
    x, y = digits
    with pytest.raises(error, match=match):
        MixupDataset(x, y, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="`y`"):
        MixupDataset(x, y[:10])


@pytest.mark.parametrize("use_multiprocessing", [False, True])
def test_fit_with_two_workers_and_class_weight(
    digits: tuple[np.ndarray, np.ndarray], use_multiprocessing: bool
) -> None:
    x, y = digits
    mix = Mixup(alpha=0.4, cutmix_alpha=1.0, mode="elem", random_state=0)
    data = MixupDataset(
        x, y, batch_size=64, transform=mix, random_state=0, workers=2, use_multiprocessing=use_multiprocessing
    )
    model = small_model()
    weights = {k: 1.0 + k / 10 for k in range(10)}
    history = model.fit(data, epochs=2, class_weight=weights, verbose=0)
    losses = history.history["loss"]
    assert len(losses) == 2 and all(np.isfinite(losses))
    assert model.evaluate(x, y, verbose=0) < 2.4  # it learnt something: chance is log(10) = 2.30 and rising


def test_the_keras_mixup_generator_recipe_runs_with_only_the_import_changed(
    digits: tuple[np.ndarray, np.ndarray],
) -> None:
    # shared/seeds: `from mixup_generator import MixupGenerator` becomes `from mixupy import MixupGenerator`
    from mixupy import MixupGenerator

    x_train, y_train = digits
    x_test, y_test = x_train[:50], y_train[:50]
    batch_size, epochs = 32, 1
    training_generator = MixupGenerator(x_train, y_train, batch_size=batch_size, alpha=0.2)()
    x, y = next(training_generator)
    assert x.shape == (32, 8, 8, 1) and y.shape == (32, 10)
    # Keras 3 removed fit_generator; model.fit takes the same arguments, and warns (its own warning, for any
    # generator) that it cannot shuffle one: the generator shuffles by itself
    model = small_model()
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="`shuffle=True` was passed, but will be ignored", category=UserWarning
        )
        model.fit(
            training_generator,
            steps_per_epoch=x_train.shape[0] // batch_size,
            validation_data=(x_test, y_test),
            epochs=epochs,
            verbose=0,
            callbacks=[],
        )
    assert mixupy.MixupDataset.__module__ == "mixupy.keras_dataset"
