"""Look under the curve: record every sample's predicted probability, epoch by epoch."""

from __future__ import annotations

from typing import Any

import keras
import numpy as np

from lossacc._deprecation import renamed_attribute
from lossacc._validation import as_features
from lossacc.analyze._correctness import correct_mask, first_correct_epoch, prediction_flips

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
    outputs : numpy.ndarray
        What the model returns for ``x``: probabilities after a sigmoid or softmax, any real numbers
        after a linear unit. Shape ``(epochs + 1, samples)`` for a one-unit output,
        ``(epochs + 1, samples, classes)`` otherwise. Row 0 is before any update ("epoch 0"),
        row ``k`` after epoch ``k``. (Former name: ``probabilities``, deprecated.)
    epochs : numpy.ndarray
        ``0, 1, ..., epochs``, the epoch of each row.

    Examples
    --------
    >>> tracker = ProbabilityTracker(x)                      # doctest: +SKIP
    >>> model.fit(x, y, epochs=5, callbacks=[tracker])        # doctest: +SKIP
    >>> tracker.outputs.shape                                # doctest: +SKIP
    (6, 400)
    """

    def __init__(self, x: Any = None, *, batch_size: int = 1024) -> None:
        super().__init__()
        if x is None:
            raise TypeError(
                "ProbabilityTracker needs the inputs to track: "
                "ProbabilityTracker(x) with x of shape (samples, features)"
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
    def outputs(self) -> np.ndarray:
        """The recorded outputs, ``(epochs + 1, samples[, classes])``."""
        if not self._records:
            raise ValueError("nothing recorded yet: pass the tracker to fit(..., callbacks=[tracker]) first")
        return np.stack(self._records)

    probabilities = renamed_attribute("probabilities", "outputs")

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
