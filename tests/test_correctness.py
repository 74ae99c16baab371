"""The one accuracy rule (lossacc.analyze._correctness): NumPy and TensorFlow forms agree; every user calls it."""

import numpy as np
import pytest

from lossacc.analyze._correctness import (
    ACCURACY_THRESHOLD,
    CLIP_EPSILON,
    binary_correct,
    binary_correct_tf,
    categorical_correct,
    categorical_correct_tf,
    correct_mask,
    legacy_binary_correct,
)


def test_constants_are_keras_own():
    keras = pytest.importorskip("keras")
    assert CLIP_EPSILON == keras.config.epsilon()
    assert ACCURACY_THRESHOLD == keras.metrics.BinaryAccuracy().threshold


@pytest.mark.parametrize("threshold", [0.5, 0.0, 0.25])
def test_binary_rule_numpy_equals_tensorflow_and_keras(threshold):
    tf = pytest.importorskip("tensorflow")
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(0)
    outputs = rng.choice([-0.3, 0.0, 0.25, 0.5, 0.7, 1.2], size=(3, 40, 1)).astype("float32")  # ties included
    labels = rng.integers(0, 2, size=(3, 40, 1)).astype("float32")
    labels[0, :5] = 0.7  # a soft label is never correct, as in Keras
    mine = binary_correct(outputs, labels, threshold)
    theirs = binary_correct_tf(tf.constant(outputs), tf.constant(labels), threshold).numpy()
    np.testing.assert_array_equal(mine, theirs)
    accuracy = keras.metrics.binary_accuracy(labels[1], outputs[1], threshold=threshold)
    np.testing.assert_allclose(mine[1].mean(axis=-1), np.asarray(accuracy).reshape(-1))


def test_categorical_rule_numpy_equals_tensorflow():
    tf = pytest.importorskip("tensorflow")
    rng = np.random.default_rng(1)
    outputs = rng.choice([0.1, 0.2, 0.7], size=(2, 30, 3)).astype("float32")  # many ties
    classes = rng.integers(0, 3, size=(2, 30))
    one_hot = np.eye(3, dtype="float32")[classes]
    mine = categorical_correct(outputs, classes)
    theirs = categorical_correct_tf(tf.constant(outputs), tf.constant(one_hot)).numpy()
    np.testing.assert_array_equal(mine, theirs)


def test_correct_mask_is_the_rule_and_legacy_differs_beyond_one():
    probabilities = np.array([[0.5, 0.51, 0.2], [0.9, 0.1, 0.6]])
    y = np.array([1, 1, 0])
    np.testing.assert_array_equal(correct_mask(probabilities, y), binary_correct(probabilities, y))
    assert correct_mask(probabilities, y).tolist() == [[False, True, True], [True, False, False]]
    assert binary_correct(1.7, 1) and not legacy_binary_correct(1.7, 1)
    assert legacy_binary_correct(0.5, 0)  # round half to even, like tf.round
