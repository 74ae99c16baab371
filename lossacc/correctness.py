"""Which samples are classified correctly, epoch by epoch, from tracked probabilities.

Plain NumPy (no Keras import), so that plotting and the command line stay light. Re-exported by
:mod:`lossacc.tracking`, next to the callbacks that record the probabilities.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lossacc._validation import as_probabilities

__all__ = ["correct_mask", "first_correct_epoch", "prediction_flips"]


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
