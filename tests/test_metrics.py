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


# ----------------------------------------------------------------------- threshold metrics

from lossacc.metrics import THRESHOLD_GRID, choose_threshold, confusion_counts, threshold_metrics  # noqa: E402


def test_confusion_counts_uses_strictly_greater_like_keras():
    y = [1, 1, 0, 0]
    p = [0.5, 0.7, 0.5, 0.2]  # 0.5 is class 0, as keras.metrics.binary_accuracy counts it
    assert confusion_counts(y, p) == {"tp": 1, "fp": 0, "fn": 1, "tn": 2}
    accuracy = keras.metrics.binary_accuracy(np.array(y, "float32")[:, None], np.array(p, "float32")[:, None])
    assert float(np.mean(accuracy)) == 0.75


def test_threshold_metrics_matches_keras_precision_and_recall():
    rng = np.random.default_rng(1)
    y = (rng.uniform(size=300) < 0.1).astype("float32")
    p = np.clip(0.3 * y + rng.uniform(0, 0.6, size=300), 0, 1).astype("float32")
    thresholds = [0.1, 0.3, 0.5, 0.7]
    table = threshold_metrics(y, p, thresholds)
    precision = keras.metrics.Precision(thresholds=thresholds)
    recall = keras.metrics.Recall(thresholds=thresholds)
    precision.update_state(y, p)
    recall.update_state(y, p)
    np.testing.assert_allclose(table["precision"], precision.result().numpy(), atol=1e-6)
    np.testing.assert_allclose(table["recall"], recall.result().numpy(), atol=1e-6)


def test_threshold_metrics_columns_and_values():
    y = np.array([0, 0, 0, 0, 1, 1])
    p = np.array([0.1, 0.2, 0.3, 0.6, 0.4, 0.8])
    table = threshold_metrics(y, p, [0.35, 0.9])
    assert list(table.columns) == [
        "threshold", "predicted_positive", "precision", "recall", "f1", "accuracy", "balanced_accuracy"
    ]
    first = table.iloc[0]  # predicted 1: 0.6 (wrong), 0.4, 0.8 (right)
    assert first["predicted_positive"] == 0.5
    assert first["precision"] == pytest.approx(2 / 3)
    assert first["recall"] == 1.0
    assert first["f1"] == pytest.approx(0.8)
    assert first["accuracy"] == pytest.approx(5 / 6)
    assert first["balanced_accuracy"] == pytest.approx((1.0 + 0.75) / 2)
    last = table.iloc[1]  # nothing predicted as class 1: precision 0 as Keras reports it
    assert (last["precision"], last["recall"], last["f1"]) == (0.0, 0.0, 0.0)
    assert last["accuracy"] == pytest.approx(4 / 6)
    assert last["balanced_accuracy"] == 0.5


def test_majority_predictor_has_accuracy_equal_to_the_majority_share():
    y = np.r_[np.zeros(95), np.ones(5)]
    p = np.full(100, 0.05)
    row = threshold_metrics(y, p, 0.5).iloc[0]
    assert row["accuracy"] == 0.95
    assert row["recall"] == 0.0
    assert row["balanced_accuracy"] == 0.5


def test_default_grid_and_inputs_not_modified():
    y = np.array([0.0, 1.0])
    p = np.array([[0.2], [0.7]])
    before = p.copy()
    table = threshold_metrics(y, p)
    assert len(table) == len(THRESHOLD_GRID) == 99
    assert table["threshold"].iloc[0] == 0.01 and table["threshold"].iloc[-1] == 0.99
    np.testing.assert_array_equal(p, before)


def test_choose_threshold_maximises_f1_and_breaks_ties_low():
    y = [0, 0, 0, 1, 1]
    p = [0.1, 0.2, 0.45, 0.5, 0.9]
    # every threshold in [0.45, 0.5) separates perfectly: the lowest grid value wins
    assert choose_threshold(y, p) == 0.45
    assert isinstance(choose_threshold(y, p), float)
    assert choose_threshold(y, p, thresholds=[0.3, 0.6]) == 0.3
    assert choose_threshold(y, p, metric="balanced_accuracy") == 0.45


def test_choose_threshold_f1_agrees_with_sklearn():
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(2)
    y = (rng.uniform(size=500) < 0.05).astype(int)
    p = np.clip(0.25 * y + rng.beta(1, 8, size=500), 0, 1)
    best = choose_threshold(y, p)
    scores = [f1_score(y, p > t, zero_division=0) for t in THRESHOLD_GRID]
    assert best == THRESHOLD_GRID[int(np.argmax(scores))]


@pytest.mark.parametrize(
    ("y", "p", "kwargs", "error", "match"),
    [
        ([0, 1], [0.2], {}, ValueError, "2 labels but probabilities has 1"),
        ([0, 2], [0.2, 0.3], {}, ValueError, "0/1 labels"),
        ([0, 1], [0.2, 1.3], {}, ValueError, r"in \[0, 1\]"),
        ([0, 1], [0.2, np.nan], {}, ValueError, r"in \[0, 1\]"),
        ([], [], {}, ValueError, "empty"),
        ([[0, 1]], [[0.2, 0.3]], {}, ValueError, "1-D"),
        ([0, 1], [0.2, 0.3], {"thresholds": [1.5]}, ValueError, "thresholds must be"),
        ([0, 1], [0.2, 0.3], {"thresholds": "high"}, TypeError, "thresholds must be"),
        (["a", "b"], [0.2, 0.3], {}, TypeError, "numeric"),
    ],
)
def test_threshold_metrics_bad_input(y, p, kwargs, error, match):
    with pytest.raises(error, match=match):
        threshold_metrics(y, p, **kwargs)


def test_choose_threshold_bad_metric():
    with pytest.raises(ValueError, match=r"unknown metric 'auc'; valid choices are \['f1'"):
        choose_threshold([0, 1], [0.2, 0.7], metric="auc")
    with pytest.raises(ValueError, match="threshold"):
        confusion_counts([0, 1], [0.2, 0.7], threshold=-0.1)
