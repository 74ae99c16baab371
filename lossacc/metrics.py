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
"""

from __future__ import annotations

from typing import Any

import keras

__all__ = ["LegacyBinaryAccuracy", "legacy_binary_accuracy"]


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
    >>> model.compile(optimizer="adam", loss="binary_crossentropy",                  # doctest: +SKIP
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
