"""The accuracy rule -- which samples count as correct -- and its uses on tracked probabilities.

This module holds the *one* definition of "correct" that every part of lossacc uses (Keras 3.15's
``"accuracy"``):

* one output unit: a sample is correct when ``label == (output > threshold)``, threshold
  :data:`ACCURACY_THRESHOLD` = 0.5 unless given (``binary_accuracy``; Keras keeps 0.5 even for logits);
* several output units: when the argmax of the outputs is the sample's class (``categorical_accuracy``).

The rule is written twice, once per array library, and nowhere else: :func:`binary_correct` /
:func:`categorical_correct` on NumPy arrays (``correct_mask``, ``train_frozen_heads``, the film, the
plots) and :func:`binary_correct_tf` / :func:`categorical_correct_tf` on TensorFlow tensors inside
compiled training loops (``train_population``). ``tests/test_correctness.py`` checks both give the same
answer. :data:`CLIP_EPSILON` is Keras' clipping bound of the cross-entropies on probabilities.

Plain NumPy at import (TensorFlow is imported only inside the ``*_tf`` functions), so that plotting and
the command line stay light.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lossacc._validation import as_probabilities

__all__ = [
    "ACCURACY_THRESHOLD",
    "CLIP_EPSILON",
    "binary_correct",
    "binary_correct_tf",
    "binary_prediction",
    "categorical_correct",
    "categorical_correct_tf",
    "correct_mask",
    "first_correct_epoch",
    "legacy_binary_correct",
    "prediction_flips",
]

#: Keras' decision threshold for one output unit: class 1 when ``output > ACCURACY_THRESHOLD``.
ACCURACY_THRESHOLD: float = 0.5
#: ``keras.config.epsilon()``: Keras clips probabilities to ``[CLIP_EPSILON, 1 - CLIP_EPSILON]`` before the
#: logs of its cross-entropies (when the loss is not computed from logits).
CLIP_EPSILON: float = 1e-7


def binary_prediction(outputs: Any, threshold: float = ACCURACY_THRESHOLD) -> np.ndarray:
    """The predicted class of a one-unit output, on NumPy arrays: ``outputs > threshold`` (True = class 1).

    Strictly greater: an output exactly at the threshold is class 0, as in Keras' ``binary_accuracy``,
    ``Precision`` and ``Recall``.
    """
    return np.asarray(outputs) > threshold


def binary_correct(outputs: Any, labels: Any, threshold: float = ACCURACY_THRESHOLD) -> np.ndarray:
    """The accuracy rule for one output unit, on NumPy arrays: ``labels == (outputs > threshold)``.

    Keras' ``binary_accuracy``. Broadcasts ``outputs`` against ``labels``; labels are compared as
    numbers, so a label other than 0/1 is never correct (as in Keras).

    Returns
    -------
    numpy.ndarray of bool
    """
    labels = np.asarray(labels)
    predicted = binary_prediction(outputs, threshold)
    return labels == predicted.astype(labels.dtype if labels.dtype.kind == "f" else "float64")


def categorical_correct(outputs: Any, classes: Any) -> np.ndarray:
    """The accuracy rule for several output units, on NumPy arrays: ``argmax(outputs, -1) == classes``.

    Keras' ``categorical_accuracy`` (``classes`` are class indices; the first maximum wins a tie).

    Returns
    -------
    numpy.ndarray of bool
    """
    return np.asarray(outputs).argmax(axis=-1) == np.asarray(classes)


def binary_correct_tf(outputs: Any, labels: Any, threshold: float = ACCURACY_THRESHOLD) -> Any:
    """:func:`binary_correct` on TensorFlow tensors (inside compiled loops): the same rule, a bool tensor."""
    import tensorflow as tf

    return tf.equal(labels, tf.cast(outputs > threshold, outputs.dtype))


def categorical_correct_tf(outputs: Any, one_hot_labels: Any) -> Any:
    """:func:`categorical_correct` on TensorFlow tensors, with one-hot labels: the same rule, a bool tensor."""
    import tensorflow as tf

    return tf.equal(tf.argmax(one_hot_labels, axis=-1), tf.argmax(outputs, axis=-1))


def legacy_binary_correct(outputs: Any, labels: Any) -> np.ndarray:
    """Standalone Keras 2.3's rule, ``round(output) == label`` (unclipped; NumPy rounds half to even like ``tf.round``).

    Not Keras 3's rule: an output of 1.7 is wrong for label 1 here, right with :func:`binary_correct`.
    Used for the ``legacy_accuracy`` column of :func:`lossacc.train_frozen_heads`.
    """
    return np.round(np.asarray(outputs)) == np.asarray(labels)


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
        Tracked probabilities (:attr:`lossacc.ProbabilityTracker.outputs`).
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
        return binary_correct(probabilities, np.asarray(y).reshape(-1).astype("float64"), threshold)
    labels = np.asarray(y)
    labels = labels.argmax(axis=1) if labels.ndim == 2 else labels.reshape(-1).astype(int)
    return categorical_correct(probabilities, labels)


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
