import keras
import numpy as np
import pytest

from lossacc.metrics import LegacyBinaryAccuracy, legacy_binary_accuracy


def test_rounding_rule_unclipped():
    y = np.array([1.0, 1.0, 1.0, 0.0, 0.0, 0.0])
    outputs = np.array([[0.9], [1.4], [2.7], [0.1], [-0.4], [-0.6]])
    # 0.9 -> 1, 1.4 -> 1, 2.7 -> 3 (wrong), 0.1 -> 0, -0.4 -> -0 (right), -0.6 -> -1 (wrong)
    np.testing.assert_array_equal(legacy_binary_accuracy(y, outputs).numpy(), [1, 1, 0, 1, 1, 0])
    # Keras 3's rule calls all six right
    np.testing.assert_array_equal(keras.metrics.binary_accuracy(y[:, None], outputs).numpy().ravel(), 1.0)


def test_round_half_to_even_like_tf_round():
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    outputs = np.array([[0.5], [1.5], [0.5000001], [2.5]])  # 0.5 -> 0, 1.5 -> 2, 0.5000001 -> 1, 2.5 -> 2
    np.testing.assert_array_equal(legacy_binary_accuracy(y, outputs).numpy(), [1, 0, 1, 0])


def test_agrees_with_keras_accuracy_for_probabilities():
    rng = np.random.default_rng(0)
    p = rng.uniform(0, 1, size=(200, 1)).astype("float32")
    p = p[np.abs(p[:, 0] - 0.5) > 1e-3]  # away from the tie at exactly 0.5
    y = (rng.uniform(size=(len(p), 1)) < 0.5).astype("float32")
    np.testing.assert_array_equal(
        legacy_binary_accuracy(y, p).numpy(), keras.metrics.binary_accuracy(y, p).numpy().ravel()
    )


def test_label_shape_is_not_broadcast():
    y = np.array([1.0, 0.0, 1.0])  # (samples,) against (samples, 1): must not become a 3 x 3 comparison
    outputs = np.array([[1.0], [0.0], [3.0]])
    result = legacy_binary_accuracy(y, outputs).numpy()
    assert result.shape == (3,)
    np.testing.assert_array_equal(result, [1, 1, 0])
    np.testing.assert_array_equal(legacy_binary_accuracy(y, outputs.ravel()).numpy(), [1, 1, 0])


def test_mismatched_sizes():
    with pytest.raises(ValueError, match="one value per output"):
        legacy_binary_accuracy(np.zeros(3), np.zeros((4, 1)))


def test_does_not_modify_inputs():
    y = np.array([[1.0], [0.0]])
    outputs = np.array([[2.7], [-0.6]])
    y_copy, outputs_copy = y.copy(), outputs.copy()
    legacy_binary_accuracy(y, outputs)
    np.testing.assert_array_equal(y, y_copy)
    np.testing.assert_array_equal(outputs, outputs_copy)


def test_metric_class_accumulates_and_resets():
    metric = LegacyBinaryAccuracy()
    assert metric.name == "legacy_accuracy"
    metric.update_state([[1.0], [1.0]], [[0.9], [2.7]])
    assert float(metric.result()) == pytest.approx(0.5)
    metric.update_state([[0.0], [0.0]], [[0.1], [0.2]])
    assert float(metric.result()) == pytest.approx(0.75)
    metric.reset_state()
    assert float(metric.result()) == 0.0
    assert LegacyBinaryAccuracy.from_config(metric.get_config()).name == "legacy_accuracy"


def test_metric_in_compiled_model_reports_legacy_value():
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, kernel_initializer="ones", use_bias=False)])
    model.compile(loss="binary_crossentropy", metrics=["accuracy", LegacyBinaryAccuracy()])
    x = np.array([[0.9], [2.7], [0.1], [-0.6]], dtype="float32")  # the output equals the input
    y = np.array([1.0, 1.0, 0.0, 0.0], dtype="float32")
    results = model.evaluate(x, y, verbose=0, return_dict=True)
    assert results["accuracy"] == pytest.approx(1.0)
    assert results["legacy_accuracy"] == pytest.approx(0.5)
