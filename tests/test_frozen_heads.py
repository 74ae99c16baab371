import keras
import numpy as np
import pytest

from lossacc.data import load_digits_01
from lossacc.metrics import LegacyBinaryAccuracy
from lossacc.training._frozen_heads import build_frozen_relu_net, frozen_relu_weights, train_frozen_heads
from lossacc.training._fused import train_full_batch
from lossacc.training._seeding import kernel_seed


@pytest.fixture(scope="module")
def digits():
    (x, y), _ = load_digits_01()
    return x[:96], y[:96]


def test_weights_are_seeded_glorot_with_zero_biases():
    a = frozen_relu_weights(64, 30, seed=3)
    b = frozen_relu_weights(64, 30, seed=3)
    c = frozen_relu_weights(64, 30, seed=4)
    assert [w.shape for w in a] == [(64, 30), (30,), (30, 1), (1,)]
    for wa, wb in zip(a, b):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(a[0], c[0])
    assert np.abs(a[0]).max() <= np.sqrt(6 / (64 + 30)) and np.abs(a[2]).max() <= np.sqrt(6 / 31)
    assert not a[1].any() and not a[3].any()
    # layer streams of the seeding convention, like build_sigmoid_net (lossacc.training._seeding)
    for layer, kernel in ((0, a[0]), (1, a[2])):
        np.testing.assert_array_equal(kernel, keras.ops.convert_to_numpy(
            keras.initializers.GlorotUniform(seed=kernel_seed(3, layer))(shape=kernel.shape, dtype="float32")))
    # the head of seed 3 is no longer the first-layer draw of seed 4 (the old ``seed + 1`` convention)
    old_style = keras.ops.convert_to_numpy(keras.initializers.GlorotUniform(seed=4)(shape=(30, 1), dtype="float32"))
    assert not np.array_equal(a[2], old_style)


@pytest.mark.parametrize("seed", [0, 1, 17])
def test_wide_head_is_uncorrelated_with_the_next_seeds_layers(seed):
    """Issue 9: with ``seed + 1`` the 13000-wide head of seed s was seed s+1's first-layer draw (corr 1.0)."""
    this, following = frozen_relu_weights(64, 13000, seed), frozen_relu_weights(64, 13000, seed + 1)
    head = this[2][:, 0]
    for other in (following[0].reshape(-1)[: head.size], following[2][:, 0], this[0].reshape(-1)[: head.size]):
        assert abs(np.corrcoef(head, other)[0, 1]) < 0.1  # independent: |corr| ~ 1/sqrt(13000) ~ 0.009


def test_build_frozen_relu_net():
    model = build_frozen_relu_net(40, num_features=64, seed=2, metrics=["accuracy", LegacyBinaryAccuracy()])
    assert not model.layers[0].trainable and model.layers[1].trainable
    assert model.layers[0].activation.__name__ == "relu"
    assert model.layers[1].activation.__name__ == "linear"
    assert model.count_params() == 64 * 40 + 40 + 40 + 1
    assert len(model.trainable_weights) == 2
    for got, expected in zip(model.get_weights(), frozen_relu_weights(64, 40, seed=2)):
        np.testing.assert_array_equal(got, expected)
    assert isinstance(model.optimizer, keras.optimizers.Adam)
    assert float(model.optimizer.learning_rate) == pytest.approx(1e-3)
    sigmoid = build_frozen_relu_net(40, output_activation="sigmoid")
    assert sigmoid.layers[1].activation.__name__ == "sigmoid"
    logits = build_frozen_relu_net(40, from_logits=True)
    assert logits.loss.get_config()["from_logits"] is True


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"width": 0}, ValueError, "width"),
        ({"width": 10, "output_activation": "softmax"}, ValueError, "unknown output_activation"),
        ({"width": 10, "output_activation": "sigmoid", "from_logits": True}, ValueError, "from_logits=True needs"),
        ({"width": 10, "from_logits": "yes"}, TypeError, "from_logits must be True or False"),
        ({"width": 10, "learning_rate": -1.0}, ValueError, "learning_rate"),
        ({"width": 10, "seed": -2}, ValueError, "seed"),
    ],
)
def test_build_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        build_frozen_relu_net(**kwargs)


@pytest.mark.slow  # trains Keras models: `make slow`, not `make unit`
@pytest.mark.parametrize(("activation", "from_logits"), [("linear", False), ("sigmoid", False), ("linear", True)])
def test_members_match_their_own_keras_runs(digits, activation, from_logits):
    """Every (width, seed) member reproduces the Keras model trained alone (fused path = fit)."""
    x, y = digits
    result = train_frozen_heads(
        x, y, widths=[20, 60], seeds=[0, 5], num_epochs=25, learning_rate=3e-3,
        output_activation=activation, from_logits=from_logits,
    )
    assert result.outputs.shape == (4, 26, len(x))
    assert list(result.members["width"]) == [20, 20, 60, 60] and list(result.members["seed"]) == [0, 5, 0, 5]
    for member in result.members.itertuples():
        model = build_frozen_relu_net(
            member.width, seed=member.seed, learning_rate=3e-3, output_activation=activation,
            from_logits=from_logits, metrics=["accuracy", LegacyBinaryAccuracy()],
        )
        alone = train_full_batch(model, x, y, num_epochs=25, track=x)
        mine = result.history[result.history["member"] == member.member] if "member" in result.history else \
            result.history[(result.history["width"] == member.width) & (result.history["seed"] == member.seed)]
        np.testing.assert_allclose(mine["loss"].to_numpy(), alone.history["loss"].to_numpy(), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(mine["accuracy"].to_numpy(), alone.history["accuracy"].to_numpy(), atol=1e-6)
        np.testing.assert_allclose(
            mine["legacy_accuracy"].to_numpy(), alone.history["legacy_accuracy"].to_numpy(), atol=1e-6
        )
        np.testing.assert_allclose(result.outputs[member.member], alone.outputs, rtol=1e-5, atol=1e-5)


def test_history_layout_and_inputs_untouched(digits):
    x, y = digits
    x_copy, y_copy = x.copy(), y.copy()
    result = train_frozen_heads(x, y.reshape(-1, 1), widths=15, seeds=[1, 2, 3], num_epochs=4)
    history = result.history
    assert list(history.columns) == ["width", "seed", "epoch", "loss", "accuracy", "legacy_accuracy"]
    assert len(history) == 12 and history["epoch"].tolist()[:4] == [1, 2, 3, 4]
    assert history["seed"].tolist()[::4] == [1, 2, 3]
    # the metrics of epoch e are those of the outputs before that epoch's update (row e - 1)
    first = result.outputs[0]
    assert history["legacy_accuracy"].iloc[1] == pytest.approx(np.mean(np.round(first[1]) == y))
    assert history["accuracy"].iloc[0] == pytest.approx(np.mean((first[0] > 0.5) == (y == 1)))
    np.testing.assert_array_equal(x, x_copy)
    np.testing.assert_array_equal(y, y_copy)


def test_accuracy_threshold(digits):
    x, y = digits
    result = train_frozen_heads(x, y, widths=15, seeds=[0], num_epochs=3, from_logits=True, accuracy_threshold=0.0)
    outputs = result.outputs[0]
    np.testing.assert_allclose(result.history["accuracy"], ((outputs[:-1] > 0) == (y == 1)).mean(axis=1))


def test_clipped_gradient_stops_training_when_every_output_is_outside(digits):
    """Known failure of the linear output: a large first step puts every output outside [0, 1] for good."""
    x, y = digits
    result = train_frozen_heads(x * 16, y, widths=2000, seeds=[0], num_epochs=6, learning_rate=0.05)
    outputs = result.outputs[0]
    assert not ((outputs[1:] > 0) & (outputs[1:] < 1)).any()
    losses = result.history["loss"].to_numpy()
    assert losses[-1] > 5 and np.all(losses[1:] == losses[1])  # clipped: the loss cannot change any more
    assert np.all(result.history["accuracy"].to_numpy()[1:] == result.history["accuracy"].iloc[1])


@pytest.mark.slow  # trains Keras models: `make slow`, not `make unit`
def test_no_retracing_warning(digits, caplog):
    x, y = digits
    with caplog.at_level("WARNING", logger="tensorflow"):
        for seed in range(7):
            train_frozen_heads(x, y, widths=5, seeds=[seed], num_epochs=1)
    assert "retracing" not in caplog.text


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"widths": []}, ValueError, "widths is empty"),
        ({"widths": [10, 10]}, ValueError, "must not repeat"),
        ({"widths": "10"}, TypeError, "widths must be"),
        ({"seeds": [-1]}, ValueError, "seed"),
        ({"seeds": [0.5]}, TypeError, "seed"),
        ({"num_epochs": 0}, ValueError, "num_epochs"),
        ({"output_activation": "tanh"}, ValueError, "unknown output_activation"),
        ({"output_activation": "sigmoid", "from_logits": True}, ValueError, "from_logits=True needs"),
        ({"accuracy_threshold": "0.5"}, TypeError, "accuracy_threshold"),
    ],
)
def test_bad_input(digits, kwargs, error, match):
    x, y = digits
    arguments = {"widths": [10], "seeds": [0], "num_epochs": 2, **kwargs}
    with pytest.raises(error, match=match):
        train_frozen_heads(x, y, **arguments)


def test_bad_labels(digits):
    x, y = digits
    with pytest.raises(ValueError, match="labels 0 and 1 only"):
        train_frozen_heads(x, y * 2, widths=5, seeds=[0], num_epochs=1)
    with pytest.raises(ValueError, match="rows"):
        train_frozen_heads(x, y[:-1], widths=5, seeds=[0], num_epochs=1)


def test_integer_seeds_is_a_count_like_train_population(digits):
    """``seeds=3`` means range(3) everywhere in lossacc; ``seeds=[3]`` is the one seed 3."""
    x, y = digits
    counted = train_frozen_heads(x, y, widths=5, seeds=3, num_epochs=2)
    listed = train_frozen_heads(x, y, widths=5, seeds=[0, 1, 2], num_epochs=2)
    assert counted.members["seed"].tolist() == [0, 1, 2]
    np.testing.assert_array_equal(counted.outputs, listed.outputs)
    assert train_frozen_heads(x, y, widths=5, seeds=[3], num_epochs=1).members["seed"].tolist() == [3]
    with pytest.raises(ValueError, match="seeds"):
        train_frozen_heads(x, y, widths=5, seeds=0, num_epochs=1)
    with pytest.raises(ValueError, match="repeat"):
        train_frozen_heads(x, y, widths=5, seeds=[1, 1], num_epochs=1)
