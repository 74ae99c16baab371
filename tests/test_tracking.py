import numpy as np
import pytest

from lossacc.data import make_two_blobs
from lossacc.training._fit import train
from lossacc.training._models import build_sigmoid_net
from lossacc.watch._trackers import (
    ProbabilityTracker,
    WeightTracker,
    correct_mask,
    first_correct_epoch,
    prediction_flips,
)


@pytest.fixture(scope="module")
def tracked():
    x, y = make_two_blobs(samples_per_class=30, seed=0)
    tracker, weights = ProbabilityTracker(x), WeightTracker()
    model = build_sigmoid_net(2, learning_rate=0.05, seed=2)
    history = train(model, x, y, num_epochs=4, seed=2, callbacks=[tracker, weights])
    return x, y, model, tracker, weights, history


def test_probability_tracker_shape_and_values(tracked):
    x, _, model, tracker, _, _ = tracked
    assert tracker.outputs.shape == (5, 60)
    assert tracker.epochs.tolist() == [0, 1, 2, 3, 4]
    np.testing.assert_allclose(tracker.outputs[-1], model.predict(x, verbose=0)[:, 0], atol=1e-6)


def test_former_name_probabilities_warns_and_returns_outputs(tracked):
    _, _, _, tracker, _, _ = tracked
    with pytest.warns(FutureWarning, match=r"ProbabilityTracker.probabilities is now ProbabilityTracker.outputs"):
        former = tracker.probabilities
    np.testing.assert_array_equal(former, tracker.outputs)


def test_result_classes_keep_the_former_name():
    import pandas as pd

    from lossacc.training._fused import FullBatchResult
    from lossacc.training._population import PopulationResult

    outputs = np.zeros((2, 3))
    results = [FullBatchResult(history=pd.DataFrame(), outputs=outputs),
               PopulationResult(history=pd.DataFrame(), members=pd.DataFrame(), weights=[], outputs=outputs)]
    for result in results:
        with pytest.warns(FutureWarning, match=rf"{type(result).__name__}.probabilities is now"):
            assert result.probabilities is outputs
        with pytest.raises(TypeError):  # the former name is not a constructor argument
            type(result)(history=pd.DataFrame(), probabilities=outputs)


def test_epoch_zero_is_before_training():
    x, y = make_two_blobs(samples_per_class=10, seed=0)
    model = build_sigmoid_net(2, seed=9)
    before = model.predict(x, verbose=0)[:, 0]
    tracker = ProbabilityTracker(x)
    train(model, x, y, num_epochs=1, callbacks=[tracker])
    np.testing.assert_allclose(tracker.outputs[0], before, atol=1e-6)


def test_weight_tracker(tracked):
    _, _, model, _, weights, _ = tracked
    assert weights.weights.shape == (5, 9)
    assert len(weights.names) == 9 and "kernel[0, 0]" in weights.names[0]
    final = np.concatenate([w.reshape(-1) for w in model.get_weights()])
    np.testing.assert_allclose(weights.weights[-1], final, atol=1e-7)


def test_multiclass_shape():
    import keras

    x = np.random.default_rng(0).normal(size=(12, 4)).astype("float32")
    y = np.arange(12) % 3
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    tracker = ProbabilityTracker(x)
    model.fit(x, y, epochs=2, verbose=0, callbacks=[tracker])
    assert tracker.outputs.shape == (3, 12, 3)
    np.testing.assert_allclose(tracker.outputs.sum(axis=2), 1.0, atol=1e-5)


def test_tracker_needs_data():
    with pytest.raises(TypeError, match="needs the inputs"):
        ProbabilityTracker()
    with pytest.raises(ValueError, match="empty"):
        ProbabilityTracker(np.zeros((0, 2)))
    with pytest.raises(ValueError, match="nothing recorded"):
        _ = ProbabilityTracker(np.zeros((2, 2))).outputs


def test_tracker_copies_input():
    x = np.ones((3, 2), dtype="float32")
    tracker = ProbabilityTracker(x)
    x[:] = 5
    assert tracker._x.max() == 1


def test_correctness_helpers_binary():
    p = np.array([[0.6, 0.6, 0.6], [0.4, 0.6, 0.7], [0.4, 0.4, 0.7]])
    y = np.array([0, 1, 1])
    np.testing.assert_array_equal(
        correct_mask(p, y), [[False, True, True], [True, True, True], [True, False, True]]
    )
    np.testing.assert_array_equal(first_correct_epoch(p, y), [1.0, np.nan, 0.0])
    np.testing.assert_array_equal(prediction_flips(p, y), [[1, 0], [0, 1]])


def test_correctness_helpers_multiclass():
    p = np.array([[[0.5, 0.3, 0.2], [0.2, 0.5, 0.3]], [[0.2, 0.3, 0.5], [0.1, 0.8, 0.1]]])
    labels = np.array([2, 1])
    np.testing.assert_array_equal(correct_mask(p, labels), [[False, True], [True, True]])
    np.testing.assert_array_equal(correct_mask(p, np.eye(3)[labels]), [[False, True], [True, True]])
    np.testing.assert_array_equal(first_correct_epoch(p, labels), [1.0, 0.0])


def test_correctness_helpers_bad_input():
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        correct_mask(np.array([[1.5, 0.2]]), [1, 0])
    with pytest.raises(ValueError, match="one label per tracked sample"):
        correct_mask(np.array([[0.5, 0.2]]), [1, 0, 1])
    with pytest.raises(ValueError, match="binary labels"):
        correct_mask(np.array([[0.5, 0.2]]), [2, 0])
    with pytest.raises(ValueError, match="shape"):
        correct_mask(np.array([0.5, 0.2]), [1, 0])
