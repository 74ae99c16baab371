"""Seeded, quiet training that returns a tidy history table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import keras
import pandas as pd
import tensorflow as tf

from lossacc._validation import as_features, as_labels, check_compiled, check_pair, check_positive_int, check_seed
from lossacc.analyze._history import history_frame

__all__ = ["seed_everything", "history_frame", "train"]


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy, TensorFlow and Keras, and make TensorFlow's ops deterministic.

    Explained in :doc:`/chapters/low_learning_rate`.

    Parameters
    ----------
    seed : int
        The seed (a non-negative integer).
    """
    keras.utils.set_random_seed(check_seed(seed))
    tf.config.experimental.enable_op_determinism()


def train(
    model: keras.Model | Callable[[], keras.Model],
    x: Any,
    y: Any,
    *,
    num_epochs: int,
    batch_size: int | None = 32,
    seed: int = 0,
    validation_data: tuple[Any, Any] | None = None,
    validation_split: float = 0.0,
    shuffle: bool = True,
    callbacks: Sequence[keras.callbacks.Callback] = (),
) -> pd.DataFrame:
    """Seed everything, train quietly (``verbose=0``) and return the history as a table.

    Explained in :doc:`/chapters/low_learning_rate`.

    Parameters
    ----------
    model : keras.Model or callable returning one
        A compiled model, or a function of no arguments that builds one. A function is called
        *after* seeding, so its weight initialisation is seeded too.
    x, y : array-like
        Training inputs ``(samples, features)`` and labels (one row per sample). Not modified.
    num_epochs : int
        Number of epochs, >= 1.
    batch_size : int or None, default 32
        Mini-batch size; ``None`` trains full-batch (one step per epoch).
    seed : int, default 0
        Seed for :func:`lossacc.seed_everything` (shuffling, dropout, weights built by a function).
    validation_data : (x_val, y_val), optional
        Evaluated after every epoch, giving ``val_*`` columns.
    validation_split : float, default 0.0
        Fraction of the *last* rows of ``x``/``y`` held out for validation (Keras takes them
        before shuffling).
    shuffle : bool, default True
        Shuffle the training rows every epoch.
    callbacks : sequence of keras.callbacks.Callback
        Extra callbacks, e.g. a :class:`~lossacc.ProbabilityTracker`.

    Returns
    -------
    pandas.DataFrame
        See :func:`lossacc.history_frame`: ``epoch`` from 1, ``loss``, metrics, ``val_*``.

    Examples
    --------
    >>> from lossacc import make_two_blobs, build_sigmoid_net, train
    >>> x, y = make_two_blobs(samples_per_class=20)
    >>> history = train(lambda: build_sigmoid_net(2), x, y, num_epochs=2)
    >>> list(history.columns)
    ['epoch', 'loss', 'accuracy']
    """
    num_epochs = check_positive_int("num_epochs", num_epochs)
    if batch_size is not None:
        batch_size = check_positive_int("batch_size", batch_size)
    x = as_features("x", x)
    y = as_labels("y", y, len(x))
    if validation_data is not None:
        x_val, y_val = check_pair("validation_data", validation_data)
        x_val = as_features("validation x", x_val)
        validation_data = (x_val, as_labels("validation y", y_val, len(x_val)))
    if not 0.0 <= float(validation_split) < 1.0:
        raise ValueError(f"validation_split must be in [0, 1); got {validation_split}")
    callbacks = list(callbacks)
    for callback in callbacks:
        if not isinstance(callback, keras.callbacks.Callback):
            raise TypeError(f"callbacks must be keras.callbacks.Callback instances; got {type(callback).__name__}")
    seed_everything(seed)
    if not isinstance(model, keras.Model):
        if not callable(model):
            raise TypeError(
                f"model must be a compiled keras.Model or a function returning one; got {type(model).__name__}"
            )
        model = model()
        if not isinstance(model, keras.Model):
            raise TypeError(f"the model function must return a keras.Model; it returned {type(model).__name__}")
    model = check_compiled(model)
    history = model.fit(
        x,
        y,
        epochs=num_epochs,
        batch_size=len(x) if batch_size is None else batch_size,
        validation_data=validation_data,
        validation_split=validation_split,
        shuffle=shuffle,
        callbacks=callbacks,
        verbose=0,
    )
    return history_frame(history)
