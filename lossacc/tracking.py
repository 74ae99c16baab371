"""Look under the curve: record every sample's predicted probability, epoch by epoch."""

from __future__ import annotations

from typing import Any

import keras
import numpy as np

from lossacc._validation import as_features, as_probabilities

__all__ = ["ProbabilityTracker", "WeightTracker", "correct_mask", "first_correct_epoch", "prediction_flips"]


def _to_numpy(tensor: Any) -> np.ndarray:
    """A backend tensor as a NumPy array (eager TensorFlow tensors convert without a copy warning)."""
    return tensor.numpy() if hasattr(tensor, "numpy") else keras.ops.convert_to_numpy(tensor)


class ProbabilityTracker(keras.callbacks.Callback):
    """Record the model's outputs on fixed inputs before training and after every epoch.

    Explained in :doc:`/chapters/low_learning_rate`.

    One forward pass over ``x`` per epoch (in chunks of ``batch_size``), no per-batch work.

    Parameters
    ----------
    x : array-like, shape (samples, features)
        The inputs to track (training or validation samples). Copied, never modified.
    batch_size : int, default 1024
        Chunk size of the forward pass.

    Attributes
    ----------
    probabilities : numpy.ndarray
        Shape ``(epochs + 1, samples)`` for a one-unit output, ``(epochs + 1, samples, classes)``
        otherwise. Row 0 is before any update ("epoch 0"), row ``k`` after epoch ``k``.
    epochs : numpy.ndarray
        ``0, 1, ..., epochs``, the epoch of each row.

    Examples
    --------
    >>> tracker = ProbabilityTracker(x)                      # doctest: +SKIP
    >>> model.fit(x, y, epochs=5, callbacks=[tracker])        # doctest: +SKIP
    >>> tracker.probabilities.shape                          # doctest: +SKIP
    (6, 400)
    """

    def __init__(self, x: Any = None, *, batch_size: int = 1024) -> None:
        super().__init__()
        if x is None:
            raise TypeError(
                "ProbabilityTracker needs the inputs to track: ProbabilityTracker(x) with x of shape (samples, features)"
            )
        self._x = as_features("x", x, ndim=None)
        self._batch_size = int(batch_size)
        self._records: list[np.ndarray] = []

    def _predict(self) -> np.ndarray:
        chunks = [
            _to_numpy(self.model(self._x[start : start + self._batch_size], training=False))
            for start in range(0, len(self._x), self._batch_size)
        ]
        output = np.concatenate(chunks).astype("float64")
        if output.ndim == 2 and output.shape[1] == 1:
            output = output[:, 0]
        return output

    def on_train_begin(self, logs: dict | None = None) -> None:  # noqa: D102
        self._records = [self._predict()]

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:  # noqa: D102
        self._records.append(self._predict())

    @property
    def probabilities(self) -> np.ndarray:
        """The recorded outputs, ``(epochs + 1, samples[, classes])``."""
        if not self._records:
            raise ValueError("nothing recorded yet: pass the tracker to fit(..., callbacks=[tracker]) first")
        return np.stack(self._records)

    @property
    def epochs(self) -> np.ndarray:
        """The epoch of each recorded row (0 = before training)."""
        return np.arange(len(self._records))


class WeightTracker(keras.callbacks.Callback):
    """Record all trainable weights, flattened into one vector, before training and after every epoch.

    Explained in :doc:`/chapters/low_learning_rate`.

    Meant for the tiny networks of the book (a few hundred parameters): it shows how far the
    optimizer has moved the parameters, epoch by epoch.

    Attributes
    ----------
    weights : numpy.ndarray, shape (epochs + 1, parameters)
        Row 0 is before training.
    names : list of str
        One name per parameter column, like ``"dense/kernel[0, 1]"``.
    """

    def __init__(self) -> None:
        super().__init__()
        self._records: list[np.ndarray] = []
        self.names: list[str] = []

    def _snapshot(self) -> np.ndarray:
        return np.concatenate(
            [_to_numpy(w.value).astype("float64").reshape(-1) for w in self.model.trainable_weights]
        )

    def on_train_begin(self, logs: dict | None = None) -> None:  # noqa: D102
        self.names = [
            f"{w.path}[{', '.join(map(str, index))}]" if w.ndim else w.path
            for w in self.model.trainable_weights
            for index in np.ndindex(*w.shape)
        ]
        self._records = [self._snapshot()]

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:  # noqa: D102
        self._records.append(self._snapshot())

    @property
    def weights(self) -> np.ndarray:
        """The recorded parameters, ``(epochs + 1, parameters)``."""
        if not self._records:
            raise ValueError("nothing recorded yet: pass the tracker to fit(..., callbacks=[tracker]) first")
        return np.stack(self._records)


def _true_class_probability(probabilities: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    probabilities = as_probabilities("probabilities", probabilities)
    y = np.asarray(y)
    num_samples = probabilities.shape[1]
    if probabilities.ndim == 2:
        y = y.reshape(-1)
        if y.shape != (num_samples,):
            raise ValueError(f"y must have one label per tracked sample ({num_samples}); got shape {np.shape(y)}")
        if not np.all(np.isin(y, (0, 1))):
            raise ValueError("y must hold binary labels 0/1 for a one-unit output")
        return np.where(y == 1, probabilities, 1.0 - probabilities), probabilities
    num_classes = probabilities.shape[2]
    if y.ndim == 2:
        if y.shape != (num_samples, num_classes):
            raise ValueError(f"one-hot y must have shape {(num_samples, num_classes)}; got {y.shape}")
        y = y.argmax(axis=1)
    y = y.reshape(-1).astype(int)
    if y.shape != (num_samples,) or y.min() < 0 or y.max() >= num_classes:
        raise ValueError(f"y must hold {num_samples} class indices in [0, {num_classes}); got shape {np.shape(y)}")
    return probabilities[:, np.arange(num_samples), y], probabilities


def correct_mask(probabilities: Any, y: Any, threshold: float = 0.5) -> np.ndarray:
    """Which samples are classified correctly at every recorded epoch.

    Explained in :doc:`/chapters/low_learning_rate`.

    Parameters
    ----------
    probabilities : array-like, shape (epochs, samples) or (epochs, samples, classes)
        Tracked probabilities (:attr:`lossacc.ProbabilityTracker.probabilities`).
    y : array-like
        Labels: 0/1 for one output; class indices or one-hot rows for several.
    threshold : float, default 0.5
        Decision threshold for one output (predict 1 when ``p > threshold``, as Keras'
        ``binary_accuracy`` does). Several outputs use the argmax.

    Returns
    -------
    numpy.ndarray of bool, shape (epochs, samples)
    """
    true_p, probabilities = _true_class_probability(probabilities, y)
    if probabilities.ndim == 2:
        y = np.asarray(y).reshape(-1)
        return (probabilities > threshold) == (y == 1)
    labels = np.asarray(y)
    labels = labels.argmax(axis=1) if labels.ndim == 2 else labels.reshape(-1).astype(int)
    return probabilities.argmax(axis=2) == labels


def first_correct_epoch(probabilities: Any, y: Any, threshold: float = 0.5) -> np.ndarray:
    """The first recorded epoch from which each sample stays correctly classified.

    Explained in :doc:`/chapters/low_learning_rate`.

    Returns
    -------
    numpy.ndarray of float, shape (samples,)
        Epoch index (row of ``probabilities``) after which the sample is correct at every later
        epoch; ``nan`` for a sample still wrong at the last epoch.
    """
    correct = correct_mask(probabilities, y, threshold)
    num_epochs = correct.shape[0]
    # last epoch at which the sample was wrong; +1 is when it became correct for good
    wrong_rows = np.where(~correct, np.arange(num_epochs)[:, None], -1)
    first = wrong_rows.max(axis=0) + 1.0
    first[first >= num_epochs] = np.nan
    return first


def prediction_flips(probabilities: Any, y: Any, threshold: float = 0.5) -> np.ndarray:
    """Number of samples whose correctness changes between consecutive recorded epochs.

    Explained in :doc:`/chapters/low_learning_rate`.

    Returns
    -------
    numpy.ndarray of int, shape (epochs - 1, 2)
        Column 0: samples that became correct at that step; column 1: samples that became wrong.
    """
    correct = correct_mask(probabilities, y, threshold).astype(int)
    change = np.diff(correct, axis=0)
    return np.stack([(change == 1).sum(axis=1), (change == -1).sum(axis=1)], axis=1)
