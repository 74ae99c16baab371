"""The fused full-batch path reproduces ``fit`` and caching frozen features changes nothing."""

import keras
import numpy as np
import pytest
from keras import layers
from sklearn.datasets import load_digits

from lossacc.analyze._history import history_frame
from lossacc.training._fused import FullBatchResult, frozen_features, split_frozen, train_full_batch

TOLERANCE = 1e-5
NUM_EPOCHS = 4


@pytest.fixture(scope="module")
def digits():
    """Digits 0 and 1 (360 rows, 64 pixels in [0, 1]): 288 training rows, 72 validation rows."""
    data = load_digits(n_class=2)
    x = (data.data / 16.0).astype("float32")
    y = data.target.astype("float32")
    return x[:288], y[:288], x[288:], y[288:]


def _frozen_model(optimizer, width=256, output_activation=None, seed=0):
    """The linear-output chapter's model, narrower: frozen random ReLU features -> trainable Dense(1)."""
    model = keras.Sequential(
        [
            keras.Input((64,)),
            layers.Dense(width, activation="relu", trainable=False,
                         kernel_initializer=keras.initializers.GlorotUniform(seed=seed)),
            layers.Dense(1, activation=output_activation,
                         kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 1)),
        ]
    )
    model.compile(optimizer=optimizer, loss="binary_crossentropy", metrics=["accuracy"])
    return model


def _fit_history(model, x, y, validation_data, num_epochs=NUM_EPOCHS):
    history = model.fit(x, y, batch_size=len(x), epochs=num_epochs, shuffle=False, verbose=0,
                        validation_data=validation_data)
    return history_frame(history)


def _assert_same_weights(model_a, model_b):
    for weight_a, weight_b in zip(model_a.get_weights(), model_b.get_weights(), strict=True):
        np.testing.assert_allclose(weight_a, weight_b, atol=TOLERANCE, rtol=0)


@pytest.mark.slow  # trains Keras models: `make slow`, not `make unit`
@pytest.mark.parametrize("cache_frozen", [True, False])
def test_fused_linear_output_matches_fit(digits, cache_frozen):
    x, y, x_val, y_val = digits
    reference = _frozen_model(keras.optimizers.Adam(1e-2))
    model = _frozen_model(keras.optimizers.Adam(1e-2))
    model.set_weights(reference.get_weights())
    expected = _fit_history(reference, x, y, (x_val, y_val))
    result = train_full_batch(model, x, y, num_epochs=NUM_EPOCHS, validation_data=(x_val, y_val),
                              cache_frozen=cache_frozen)
    assert isinstance(result, FullBatchResult)
    assert result.num_frozen_layers == (1 if cache_frozen else 0)
    assert list(result.history.columns) == list(expected.columns)
    np.testing.assert_allclose(result.history.to_numpy(), expected.to_numpy(), atol=TOLERANCE, rtol=0)
    _assert_same_weights(model, reference)


@pytest.mark.slow  # trains Keras models: `make slow`, not `make unit`
def test_fused_sigmoid_output_sgd_without_frozen_layers_matches_fit_and_tracks(digits):
    x, y, x_val, _ = digits
    def build():
        model = keras.Sequential([keras.Input((64,)), layers.Dense(8, activation="tanh"),
                                  layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer=keras.optimizers.SGD(0.5, momentum=0.9), loss="binary_crossentropy",
                      metrics=["accuracy"])
        return model
    keras.utils.set_random_seed(1)
    reference, model = build(), build()
    model.set_weights(reference.get_weights())
    initial = model(x_val).numpy()[:, 0]
    expected = _fit_history(reference, x, y, None)
    result = train_full_batch(model, x, y, num_epochs=NUM_EPOCHS, track=x_val)
    assert result.num_frozen_layers == 0
    np.testing.assert_allclose(result.history.to_numpy(), expected.to_numpy(), atol=TOLERANCE, rtol=0)
    _assert_same_weights(model, reference)
    assert result.outputs.shape == (NUM_EPOCHS + 1, len(x_val))
    np.testing.assert_allclose(result.outputs[0], initial, atol=1e-6)
    np.testing.assert_allclose(result.outputs[-1], model(x_val).numpy()[:, 0], atol=1e-6)


def test_continuing_and_chunked_training_equal_one_long_run(digits):
    x, y, _, _ = digits
    one = _frozen_model(keras.optimizers.RMSprop(1e-3))
    two = _frozen_model(keras.optimizers.RMSprop(1e-3))
    two.set_weights(one.get_weights())
    long_run = train_full_batch(one, x, y, num_epochs=6).history
    first = train_full_batch(two, x, y, num_epochs=2).history
    second = train_full_batch(two, x, y, num_epochs=4, epochs_per_call=3).history
    np.testing.assert_allclose(long_run["loss"], np.concatenate([first["loss"], second["loss"]]), atol=1e-6)
    _assert_same_weights(one, two)


def test_cached_features_head_predicts_like_the_full_model(digits):
    x, _, _, _ = digits
    model = _frozen_model("adam", width=512)
    features_model, head = split_frozen(model)
    features = frozen_features(model, x)
    assert features.shape == (len(x), 512) and features.dtype == np.float32
    np.testing.assert_allclose(features, features_model(x).numpy(), atol=1e-6)
    np.testing.assert_allclose(head(features).numpy(), model(x).numpy(), atol=1e-6)
    # the head shares its layers with the model: changing one changes the other
    kernel, bias = head.layers[-1].get_weights()
    head.layers[-1].set_weights([kernel + 1.0, bias])
    np.testing.assert_allclose(model.layers[-1].get_weights()[0], kernel + 1.0)


def test_split_without_frozen_layers_and_stateless_layers():
    model = keras.Sequential([keras.Input((4, 4)), layers.Flatten(), layers.Dense(3, trainable=False),
                              layers.Dropout(0.5), layers.Dense(1)])
    features_model, head = split_frozen(model)
    assert len(features_model.layers) == 2 and isinstance(head.layers[0], layers.Dropout)
    plain = keras.Sequential([keras.Input((4,)), layers.Dense(2), layers.Dense(1)])
    features_model, head = split_frozen(plain)
    assert features_model is None and len(head.layers) == 2
    x = np.ones((3, 4), dtype="float32")
    np.testing.assert_array_equal(frozen_features(plain, x), x)


def test_bad_input_raises_clear_errors(digits):
    x, y, _, _ = digits
    model = _frozen_model("adam", width=16)
    with pytest.raises(TypeError, match="model must be a keras.Model"):
        train_full_batch("model", x, y, num_epochs=1)
    uncompiled = keras.Sequential([keras.Input((64,)), layers.Dense(1)])
    with pytest.raises(ValueError, match="not compiled"):
        train_full_batch(uncompiled, x, y, num_epochs=1)
    with pytest.raises(ValueError, match="num_epochs must be an integer >= 1"):
        train_full_batch(model, x, y, num_epochs=0)
    with pytest.raises(ValueError, match="y must have 288 rows"):
        train_full_batch(model, x, y[:10], num_epochs=1)
    with pytest.raises(ValueError, match="x is empty"):
        train_full_batch(model, x[:0], y[:0], num_epochs=1)
    with pytest.raises(ValueError, match="track must have the feature shape"):
        train_full_batch(model, x, y, num_epochs=1, track=x[:, :5])
    with pytest.raises(TypeError, match="validation_data must be a pair"):
        train_full_batch(model, x, y, num_epochs=1, validation_data=x)
    functional_input = keras.Input((64,))
    functional = keras.Model(functional_input, layers.Dense(1)(functional_input))
    with pytest.raises(TypeError, match="needs a keras.Sequential"):
        split_frozen(functional)
    all_frozen = keras.Sequential([keras.Input((64,)), layers.Dense(2, trainable=False)])
    with pytest.raises(ValueError, match="nothing to train"):
        split_frozen(all_frozen)
