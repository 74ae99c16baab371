import keras
import numpy as np
import pandas as pd
import pytest

from lossacc.analyze._history import history_frame
from lossacc.data import make_two_blobs
from lossacc.training._fit import seed_everything, train
from lossacc.training._models import build_sigmoid_net


@pytest.fixture(scope="module")
def blobs():
    return make_two_blobs(samples_per_class=40, seed=0)


def test_train_returns_tidy_frame(blobs):
    x, y = blobs
    history = train(lambda: build_sigmoid_net(2, learning_rate=0.05), x, y, num_epochs=3, batch_size=16)
    assert list(history.columns) == ["epoch", "loss", "accuracy"]
    assert history["epoch"].tolist() == [1, 2, 3]
    assert history["loss"].between(0, 5).all() and history["accuracy"].between(0, 1).all()


def test_validation_columns(blobs):
    x, y = blobs
    history = train(build_sigmoid_net(2, seed=1), x, y, num_epochs=2, validation_data=(x[:10], y[:10]))
    assert list(history.columns) == ["epoch", "loss", "accuracy", "val_loss", "val_accuracy"]


@pytest.mark.slow  # trains Keras models: `make slow`, not `make unit`
def test_same_seed_same_history(blobs):
    x, y = blobs
    first = train(lambda: build_sigmoid_net(2, seed=3), x, y, num_epochs=3, seed=3)
    second = train(lambda: build_sigmoid_net(2, seed=3), x, y, num_epochs=3, seed=3)
    pd.testing.assert_frame_equal(first, second)


def test_inputs_not_modified(blobs):
    x, y = blobs
    x_before, y_before = x.copy(), y.copy()
    train(build_sigmoid_net(2), x, y, num_epochs=1)
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(y, y_before)


def test_full_batch_is_one_step_per_epoch(blobs):
    x, y = blobs
    model = build_sigmoid_net(2)
    train(model, x, y, num_epochs=2, batch_size=None)
    assert int(model.optimizer.iterations) == 2


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"num_epochs": 0}, ValueError, "num_epochs"),
        ({"num_epochs": 1, "batch_size": 0}, ValueError, "batch_size"),
        ({"num_epochs": 1, "callbacks": [object()]}, TypeError, "keras.callbacks.Callback"),
        ({"num_epochs": 1, "validation_data": ([[1.0, 2.0]],)}, TypeError, "pair"),
        ({"num_epochs": 1, "validation_split": 1.5}, ValueError, "validation_split"),
    ],
)
def test_bad_arguments(blobs, kwargs, error, match):
    x, y = blobs
    with pytest.raises(error, match=match):
        train(build_sigmoid_net(2), x, y, **kwargs)


def test_bad_data():
    model = build_sigmoid_net(2)
    with pytest.raises(ValueError, match="empty"):
        train(model, np.zeros((0, 2)), np.zeros(0), num_epochs=1)
    with pytest.raises(ValueError, match=r"must be a 2-D array"):
        train(model, np.zeros(4), np.zeros(4), num_epochs=1)
    with pytest.raises(ValueError, match="must have 4 rows"):
        train(model, np.zeros((4, 2)), np.zeros(3), num_epochs=1)
    with pytest.raises(TypeError, match="compiled keras.Model or a function"):
        train("model", np.zeros((4, 2)), np.zeros(4), num_epochs=1)


def test_uncompiled_model():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="not compiled"):
        train(model, np.zeros((4, 2)), np.zeros(4), num_epochs=1)


def test_history_frame_orders_columns():
    frame = history_frame({"val_accuracy": [0.5], "accuracy": [0.6], "val_loss": [0.7], "loss": [0.8]})
    assert list(frame.columns) == ["epoch", "loss", "accuracy", "val_loss", "val_accuracy"]


def test_history_frame_bad_input():
    with pytest.raises(ValueError, match="one value per epoch"):
        history_frame({"loss": [1, 2], "accuracy": [1]})
    with pytest.raises(ValueError, match="empty"):
        history_frame({})
    with pytest.raises(TypeError, match="History or a dict"):
        history_frame([1, 2])


def test_seed_everything_rejects_negative():
    with pytest.raises(ValueError, match="non-negative integer"):
        seed_everything(-1)
