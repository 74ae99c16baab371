"""Metrics that reproduce what older Keras versions reported, to read old logs and questions correctly.

Standalone Keras 2.3 (and earlier) defined, in ``keras/metrics.py``::

    def binary_accuracy(y_true, y_pred):
        return K.mean(K.equal(y_true, K.round(y_pred)), axis=-1)

It *rounds* the prediction and compares it with the label, without clipping it to [0, 1]. For a
sigmoid output this is the usual accuracy at 0.5 (up to how ``p = 0.5`` exactly is counted), but for an
unbounded (linear) output an output of 2.7 rounds to 3, which is not equal to the label 1, so a
confidently *right* prediction counts as wrong. Keras 3's ``binary_accuracy`` compares ``y_pred >
threshold`` instead, and calls the same output right. :doc:`/chapters/linear_output` shows the
difference on a real training run.

For imbalanced data, accuracy at 0.5 can equal the majority share while the model ranks the classes
well. :func:`threshold_metrics` tabulates precision, recall, F1 and balanced accuracy at many
thresholds (with Keras' rule: class 1 when ``p > threshold``), :func:`choose_threshold` picks one on
validation data, and :func:`confusion_counts` counts the four cases at one threshold.
:doc:`/chapters/imbalance` uses them.
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
import pandas as pd

from lossacc.analyze._correctness import binary_prediction

__all__ = [
    "THRESHOLD_GRID",
    "LegacyBinaryAccuracy",
    "choose_threshold",
    "confusion_counts",
    "legacy_binary_accuracy",
    "threshold_metrics",
]


def legacy_binary_accuracy(y_true: Any, y_pred: Any) -> Any:
    """Standalone Keras 2.3's ``binary_accuracy``: ``mean(y_true == round(y_pred), axis=-1)``, unclipped.

    Explained in :doc:`/chapters/linear_output`.

    ``round`` is TensorFlow's (half to even: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2), as ``K.round`` was.
    Unlike the Keras 2.3 function, labels of shape ``(samples,)`` are first reshaped to the
    predictions' ``(samples, 1)`` (Keras 2.3's ``fit`` did that before calling the metric), so that
    they are not broadcast against each other into a ``(samples, samples)`` comparison.

    Parameters
    ----------
    y_true : array-like or tensor
        Labels 0/1, shape ``(samples,)`` or like ``y_pred``.
    y_pred : array-like or tensor
        Raw outputs of the model (any real numbers), shape ``(samples, units)`` or ``(samples,)``.

    Returns
    -------
    tensor of float32
        Per-sample accuracy (averaged over the last axis), shape ``(samples,)``.

    Raises
    ------
    ValueError
        If the two arguments do not hold the same number of values.

    Examples
    --------
    >>> import numpy as np
    >>> y = np.array([1.0, 1.0, 0.0, 0.0])
    >>> outputs = np.array([[0.9], [2.7], [0.1], [-0.6]])  # all on the right side of 0.5
    >>> legacy_binary_accuracy(y, outputs).numpy().tolist()  # 2.7 -> 3 != 1, -0.6 -> -1 != 0
    [1.0, 0.0, 1.0, 0.0]
    """
    y_pred = keras.ops.convert_to_tensor(y_pred)
    y_true = keras.ops.convert_to_tensor(y_true)
    pred_size, true_size = _size(y_pred), _size(y_true)
    if pred_size is not None and true_size is not None and pred_size != true_size:
        raise ValueError(
            f"y_true and y_pred must hold one value per output; got shapes {tuple(y_true.shape)} "
            f"and {tuple(y_pred.shape)}"
        )
    if len(y_true.shape) != len(y_pred.shape):
        y_true = keras.ops.reshape(y_true, keras.ops.shape(y_pred))
    y_pred = keras.ops.cast(y_pred, "float32")
    y_true = keras.ops.cast(y_true, "float32")
    matches = keras.ops.cast(keras.ops.equal(y_true, keras.ops.round(y_pred)), "float32")
    if len(y_pred.shape) == 1:
        return matches
    return keras.ops.mean(matches, axis=-1)


def _size(tensor: Any) -> int | None:
    size = 1
    for dim in tensor.shape:
        if dim is None:
            return None
        size *= int(dim)
    return size


@keras.saving.register_keras_serializable(package="lossacc")
class LegacyBinaryAccuracy(keras.metrics.MeanMetricWrapper):
    """Keras metric: standalone Keras 2.3's binary accuracy, ``mean(y == round(y_pred))`` (unclipped).

    Explained in :doc:`/chapters/linear_output`.

    Use it next to Keras 3's ``"accuracy"`` to see what an old log reported for the same model:
    the two agree for a sigmoid output and disagree for a linear output outside [-0.5, 1.5).

    Parameters
    ----------
    name : str, default "legacy_accuracy"
        Name of the metric (and of its column in the history).
    dtype : optional
        Dtype of the metric result.

    Examples
    --------
    >>> model.compile(optimizer="adam", loss="binary_crossentropy",  # doctest: +SKIP
    ...               metrics=["accuracy", LegacyBinaryAccuracy()])
    >>> metric = LegacyBinaryAccuracy()
    >>> metric.update_state([[1.0], [1.0]], [[0.9], [2.7]])
    >>> float(metric.result())
    0.5
    """

    def __init__(self, name: str = "legacy_accuracy", dtype: Any = None) -> None:
        super().__init__(fn=legacy_binary_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self) -> dict[str, Any]:
        """Return the metric's configuration (name and dtype)."""
        return {"name": self.name, "dtype": self.dtype}


# ------------------------------------------------------------------------------- thresholds

#: The default thresholds of :func:`threshold_metrics` and :func:`choose_threshold`: 0.01, 0.02, ..., 0.99.
THRESHOLD_GRID: tuple[float, ...] = tuple(round(0.01 * k, 2) for k in range(1, 100))
#: Metrics :func:`choose_threshold` can maximise (columns of :func:`threshold_metrics`).
THRESHOLD_METRICS: tuple[str, ...] = ("f1", "balanced_accuracy", "accuracy")


def _labels_and_probabilities(y_true: Any, probabilities: Any) -> tuple[np.ndarray, np.ndarray]:
    """Check and return 0/1 labels (int) and probabilities (float64), both 1-D of the same length."""
    try:
        labels = np.array(y_true, dtype="float64", copy=True)
        values = np.array(probabilities, dtype="float64", copy=True)
    except (TypeError, ValueError) as error:
        raise TypeError(f"y_true and probabilities must be numeric arrays: {error}") from None
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if labels.ndim != 1 or values.ndim != 1:
        raise ValueError(
            "y_true and probabilities must be 1-D (one value per sample, or shape (samples, 1)); "
            f"got shapes {np.shape(y_true)} and {np.shape(probabilities)}"
        )
    if len(labels) != len(values):
        raise ValueError(f"y_true has {len(labels)} labels but probabilities has {len(values)} values")
    if len(labels) == 0:
        raise ValueError("y_true and probabilities are empty: give at least one sample")
    if not np.isin(labels, (0.0, 1.0)).all():
        raise ValueError(f"y_true must hold 0/1 labels; got values {np.unique(labels)[:5].tolist()} ...")
    if not np.all(np.isfinite(values)) or values.min() < 0 or values.max() > 1:
        raise ValueError(
            f"probabilities must be in [0, 1]; got values from {np.nanmin(values):.4g} to {np.nanmax(values):.4g}"
            " (a linear output? apply a sigmoid first)"
        )
    return labels.astype(int), values


def _thresholds(thresholds: Any) -> np.ndarray:
    if thresholds is None:
        return np.array(THRESHOLD_GRID)
    if isinstance(thresholds, (int, float, np.integer, np.floating)) and not isinstance(thresholds, bool):
        thresholds = [thresholds]
    try:
        values = np.array(thresholds, dtype="float64").reshape(-1)
    except (TypeError, ValueError):
        raise TypeError(f"thresholds must be a number or a sequence of numbers; got {thresholds!r}") from None
    if values.size == 0 or not np.all(np.isfinite(values)) or values.min() < 0 or values.max() > 1:
        raise ValueError(f"thresholds must be one or more numbers in [0, 1]; got {thresholds!r}")
    return values


def confusion_counts(y_true: Any, probabilities: Any, threshold: float = 0.5) -> dict[str, int]:
    """Count true/false positives and negatives at one threshold, with Keras' rule ``p > threshold``.

    Explained in :doc:`/chapters/imbalance`.

    Class 1 is "positive". A probability exactly equal to the threshold counts as class 0, as in
    ``keras.metrics.binary_accuracy``, ``Precision`` and ``Recall``.

    Parameters
    ----------
    y_true : array-like of 0/1, shape (samples,) or (samples, 1)
        Labels.
    probabilities : array-like, same shape
        Predicted probabilities of class 1, in [0, 1].
    threshold : float, default 0.5
        Decision threshold in [0, 1].

    Returns
    -------
    dict of str to int
        ``{"tp": ..., "fp": ..., "fn": ..., "tn": ...}`` (plain Python integers).

    Raises
    ------
    ValueError
        If the labels are not 0/1, the probabilities are outside [0, 1], the lengths differ, or the
        threshold is outside [0, 1].

    Examples
    --------
    >>> confusion_counts([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9])
    {'tp': 1, 'fp': 1, 'fn': 1, 'tn': 1}
    """
    labels, values = _labels_and_probabilities(y_true, probabilities)
    (threshold,) = _thresholds(threshold)
    predicted = binary_prediction(values, threshold)  # Keras' rule, p > threshold
    positive = labels == 1
    return {
        "tp": int(np.sum(predicted & positive)),
        "fp": int(np.sum(predicted & ~positive)),
        "fn": int(np.sum(~predicted & positive)),
        "tn": int(np.sum(~predicted & ~positive)),
    }


def threshold_metrics(y_true: Any, probabilities: Any, thresholds: Any = None) -> pd.DataFrame:
    """Precision, recall, F1, accuracy and balanced accuracy of class 1 at each threshold.

    Explained in :doc:`/chapters/imbalance`.

    Class 1 is predicted when ``p > threshold`` (Keras' rule). Where nothing is predicted as
    class 1, precision is 0.0, as Keras' ``Precision`` reports it (``divide_no_nan``); F1 is then
    0.0 too.

    Parameters
    ----------
    y_true : array-like of 0/1, shape (samples,) or (samples, 1)
        Labels.
    probabilities : array-like, same shape
        Predicted probabilities of class 1, in [0, 1].
    thresholds : float or sequence of float, optional
        Thresholds in [0, 1] (default ``THRESHOLD_GRID``: 0.01, 0.02, ..., 0.99).

    Returns
    -------
    pandas.DataFrame
        One row per threshold: ``threshold``, ``predicted_positive`` (share of samples called
        class 1), ``precision``, ``recall``, ``f1``, ``accuracy``, ``balanced_accuracy`` (mean of
        the recalls of the two classes).

    Raises
    ------
    ValueError
        Bad labels, probabilities or thresholds (see :func:`confusion_counts`).

    Examples
    --------
    >>> table = threshold_metrics([0, 0, 0, 1], [0.1, 0.2, 0.3, 0.4], thresholds=[0.25, 0.5])
    >>> table[["threshold", "precision", "recall"]].to_dict("list")
    {'threshold': [0.25, 0.5], 'precision': [0.5, 0.0], 'recall': [1.0, 0.0]}
    >>> table["accuracy"].tolist()
    [0.75, 0.75]
    """
    labels, values = _labels_and_probabilities(y_true, probabilities)
    grid = _thresholds(thresholds)
    predicted = binary_prediction(values[None, :], grid[:, None])  # (thresholds, samples), Keras' rule
    positive = labels[None, :] == 1
    tp = np.sum(predicted & positive, axis=1).astype("float64")
    fp = np.sum(predicted & ~positive, axis=1).astype("float64")
    fn = np.sum(~predicted & positive, axis=1).astype("float64")
    tn = np.sum(~predicted & ~positive, axis=1).astype("float64")

    def ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
        return np.divide(numerator, denominator, out=np.zeros_like(numerator), where=denominator > 0)

    precision, recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
    specificity = ratio(tn, tn + fp)
    num_classes_present = (tp + fn > 0).astype(int) + (tn + fp > 0).astype(int)
    return pd.DataFrame(
        {
            "threshold": grid,
            "predicted_positive": (tp + fp) / len(labels),
            "precision": precision,
            "recall": recall,
            "f1": ratio(2 * precision * recall, precision + recall),
            "accuracy": (tp + tn) / len(labels),
            "balanced_accuracy": (recall + specificity) / np.maximum(num_classes_present, 1),
        }
    )


def choose_threshold(
    y_true: Any, probabilities: Any, *, metric: str = "f1", thresholds: Any = None
) -> float:
    """The threshold that maximises ``metric`` on the given (validation) data.

    Explained in :doc:`/chapters/imbalance`.

    Choose it on validation data and report it on test data: chosen and scored on the same
    samples, the score is optimistic. Ties go to the lowest threshold. A fixed grid of
    thresholds (rather than every distinct probability) keeps the choice stable when the
    probabilities move in their last digits.

    Parameters
    ----------
    y_true : array-like of 0/1
        Validation labels.
    probabilities : array-like
        Predicted probabilities of class 1 on the same samples, in [0, 1].
    metric : {"f1", "balanced_accuracy", "accuracy"}, default "f1"
        The column of :func:`threshold_metrics` to maximise.
    thresholds : sequence of float, optional
        Candidate thresholds (default ``THRESHOLD_GRID``).

    Returns
    -------
    float
        The chosen threshold (a plain Python float).

    Raises
    ------
    ValueError
        Unknown ``metric``; bad labels, probabilities or thresholds.

    Examples
    --------
    >>> choose_threshold([0, 0, 0, 1], [0.1, 0.2, 0.3, 0.4])
    0.3
    """
    key = metric.lower() if isinstance(metric, str) else metric
    if key not in THRESHOLD_METRICS:
        raise ValueError(f"unknown metric {metric!r}; valid choices are {list(THRESHOLD_METRICS)}")
    table = threshold_metrics(y_true, probabilities, thresholds)
    return float(table["threshold"].iloc[int(np.argmax(table[key].to_numpy()))])
