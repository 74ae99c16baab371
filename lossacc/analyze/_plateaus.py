"""Plateaus of an accuracy curve: the grid accuracy lives on, flat runs, and what happens under them.

Accuracy on ``n`` samples is a count of correct predictions divided by ``n``, so it can only take the
values ``0, 1/n, 2/n, ..., 1`` (:func:`lossacc.is_on_grid`, :func:`lossacc.grid_counts`). A *plateau* is a run of
epochs over which that count does not change (:func:`lossacc.find_plateaus`). Under a plateau the tracked
probabilities tell whether no predicted class changed at all or some samples swapped (as many became
wrong as became correct, or a sample moved between two wrong classes), and how much the loss fell
meanwhile (:func:`lossacc.describe_plateaus`). Used in
:doc:`/chapters/accuracy_plateaus`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lossacc._validation import check_positive_float, check_positive_int
from lossacc.analyze._correctness import (
    CLIP_EPSILON,
    _true_class_probability,
    binary_prediction,
    prediction_flips,
)

__all__ = ["describe_plateaus", "find_plateaus", "grid_counts", "is_on_grid"]

PLATEAU_COLUMNS = ["start", "end", "length", "level"]


def _as_series(name: str, values: Any) -> np.ndarray:
    try:
        array = np.array(values, dtype="float64", copy=True)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be a 1-D numeric array; got {type(values).__name__}: {error}") from None
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array (one value per epoch); got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty: give at least one value")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


def is_on_grid(values: Any, num_samples: int, *, tolerance: float = 1e-3) -> np.ndarray:
    """Whether each value is a whole number of samples out of ``num_samples``: ``k / num_samples``.

    Explained in :doc:`/chapters/accuracy_plateaus`.

    Parameters
    ----------
    values : array-like
        Accuracies (any shape), e.g. a history column.
    num_samples : int
        Number of samples the accuracy was measured on (``n``).
    tolerance : float, default 1e-3
        Allowed distance from the grid, *in samples*: ``|value * n - round(value * n)| <= tolerance``.
        Keras accumulates in float32, so a count of 119 out of 120 comes back as about
        ``119.00001 / 120``; the default absorbs that and nothing more.

    Returns
    -------
    numpy.ndarray of bool, the shape of ``values``

    Raises
    ------
    ValueError
        If ``num_samples`` < 1, ``tolerance`` <= 0 or a value is not finite.

    Examples
    --------
    >>> is_on_grid([0.5, 1 / 3, 0.34], 3).tolist()
    [False, True, False]
    """
    num_samples = check_positive_int("num_samples", num_samples)
    tolerance = check_positive_float("tolerance", tolerance)
    try:
        array = np.array(values, dtype="float64", copy=True)
    except (TypeError, ValueError) as error:
        raise TypeError(f"values must be numeric; got {type(values).__name__}: {error}") from None
    if not np.all(np.isfinite(array)):
        raise ValueError("values contains NaN or infinite values")
    scaled = array * num_samples
    return np.abs(scaled - np.round(scaled)) <= tolerance


def grid_counts(values: Any, num_samples: int, *, tolerance: float = 1e-3) -> np.ndarray:
    """The number of correct samples behind each accuracy: ``round(value * num_samples)``.

    Explained in :doc:`/chapters/accuracy_plateaus`.

    Parameters
    ----------
    values : array-like
        Accuracies measured on ``num_samples`` samples.
    num_samples : int
    tolerance : float, default 1e-3
        See :func:`lossacc.is_on_grid`.

    Returns
    -------
    numpy.ndarray of int, the shape of ``values``

    Raises
    ------
    ValueError
        If a value is not on the grid of ``1 / num_samples`` (the message gives the first such value):
        the accuracy was measured on a different number of samples, or it is an average of several
        accuracies.

    Examples
    --------
    >>> grid_counts([0.9, 0.9666667, 1.0], 30).tolist()
    [27, 29, 30]
    """
    on_grid = is_on_grid(values, num_samples, tolerance=tolerance)
    array = np.asarray(values, dtype="float64")
    if not on_grid.all():
        first = float(array.reshape(-1)[np.argmin(on_grid.reshape(-1))])
        raise ValueError(
            f"{int((~on_grid).sum())} value(s) are not multiples of 1/{num_samples} (first: {first!r} = "
            f"{first * num_samples:.4f}/{num_samples}); was the accuracy measured on another number of samples?"
        )
    return np.round(array * num_samples).astype(int)


def _plateau_spans(values: np.ndarray, min_length: int, tolerance: float) -> list[tuple[int, int]]:
    """Index ranges ``[start, stop)`` of at least ``min_length`` values within ``tolerance`` of the run's first value.

    The one definition of a flat run, on a checked 1-D float array (no validation, no table): the core of
    :func:`find_plateaus`, called directly where a table would cost too much (the detectors of
    :func:`lossacc.detect`, run after every epoch by :class:`lossacc.Monitor`).
    """
    values = np.asarray(values, dtype="float64")
    spans: list[tuple[int, int]] = []
    if len(values) < min_length:
        return spans
    # A step larger than 2 * tolerance always ends a run (both sides cannot be within tolerance of one
    # level), so the rule only has to be followed inside the segments between such steps that are long enough.
    bounds = np.concatenate(([0], np.flatnonzero(np.abs(np.diff(values)) > 2 * tolerance) + 1, [len(values)]))
    for segment in np.flatnonzero(np.diff(bounds) >= min_length):
        first, stop = int(bounds[segment]), int(bounds[segment + 1])
        items = values[first:stop].tolist()  # plain floats: a Python loop over them is fast
        start, level = 0, items[0]
        for index in range(1, len(items) + 1):
            if index == len(items) or abs(items[index] - level) > tolerance:
                if index - start >= min_length:
                    spans.append((first + start, first + index))
                if index < len(items):
                    start, level = index, items[index]
    return spans


def find_plateaus(
    series: Any,
    min_length: int = 2,
    *,
    epochs: Any = None,
    tolerance: float = 1e-9,
) -> pd.DataFrame:
    """Runs of consecutive epochs over which a series keeps the same value.

    Explained in :doc:`/chapters/accuracy_plateaus`.

    Parameters
    ----------
    series : array-like, shape (epochs,)
        One value per epoch, e.g. a history's ``accuracy`` column or a count of correct samples.
    min_length : int, default 2
        Shortest run reported, in epochs (values). ``1`` reports every run.
    epochs : array-like of int, optional
        The epoch of each value (strictly increasing); default ``1, 2, ...`` as in a history table.
        Pass ``range(len(series))`` for tracked rows, whose row 0 is "epoch 0".
    tolerance : float, default 1e-9
        Values within ``tolerance`` of the run's first value belong to the run. Compare counts or
        grid values, not noisy floats (for accuracies on ``n`` samples, :func:`lossacc.grid_counts` first).

    Returns
    -------
    pandas.DataFrame
        One row per plateau, in order: ``start`` and ``end`` (epochs, inclusive), ``length`` (number of
        values in the run) and ``level`` (the run's first value).

    Raises
    ------
    ValueError
        If ``series`` is not 1-D, empty or not finite, ``epochs`` has another length or is not
        strictly increasing, or ``min_length`` < 1.

    Examples
    --------
    >>> find_plateaus([0.5, 0.5, 0.5, 0.75, 1.0, 1.0], min_length=2)
       start  end  length  level
    0      1    3       3    0.5
    1      5    6       2    1.0
    """
    values = _as_series("series", series)
    min_length = check_positive_int("min_length", min_length)
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float, np.integer, np.floating)):
        raise TypeError(f"tolerance must be a number >= 0; got {tolerance!r}")
    if not np.isfinite(tolerance) or tolerance < 0:
        raise ValueError(f"tolerance must be a finite number >= 0; got {tolerance}")
    if epochs is None:
        epoch_values = np.arange(1, len(values) + 1)
    else:
        epoch_values = np.asarray(epochs)
        if epoch_values.shape != values.shape:
            raise ValueError(f"epochs must have one entry per value ({len(values)}); got shape {epoch_values.shape}")
        if not np.issubdtype(epoch_values.dtype, np.integer):
            raise TypeError(f"epochs must be integers; got dtype {epoch_values.dtype}")
        if np.any(np.diff(epoch_values) <= 0):
            raise ValueError("epochs must be strictly increasing")
    rows = [(int(epoch_values[start]), int(epoch_values[stop - 1]), stop - start, values[start])
            for start, stop in _plateau_spans(values, min_length, tolerance)]
    frame = pd.DataFrame(rows, columns=PLATEAU_COLUMNS)
    return frame.astype({"start": int, "end": int, "length": int, "level": "float64"})


def describe_plateaus(plateaus: pd.DataFrame, probabilities: Any, y: Any) -> pd.DataFrame:
    """What happens under each plateau, from tracked probabilities: class changes, flips and the loss.

    Explained in :doc:`/chapters/accuracy_plateaus`.

    Parameters
    ----------
    plateaus : pandas.DataFrame
        From :func:`lossacc.find_plateaus`, with ``start``/``end`` given as *tracked rows* (row 0 = before
        training, row ``k`` = after epoch ``k``: use ``epochs=range(len(series))``, or the history's
        epochs, which are the same numbers).
    probabilities : array-like, shape (epochs + 1, samples) or (epochs + 1, samples, classes)
        Tracked probabilities (:attr:`~lossacc.ProbabilityTracker.outputs`).
    y : array-like
        Labels of the tracked samples (0/1, class indices or one-hot rows).

    Returns
    -------
    pandas.DataFrame
        A copy of ``plateaus`` with ``class_changes`` (samples whose predicted class -- the argmax, or
        ``p > 0.5`` for one output -- changed between consecutive epochs inside the plateau, summed over
        the steps; it includes moves between two wrong classes), ``became_correct`` and ``became_wrong``
        (the changes from wrong to right and from right to wrong, summed likewise), ``loss_start``/``loss_end``
        (mean cross-entropy of the tracked samples at the plateau's first and last epoch, clipped as
        Keras does) and ``p_true_start``/``p_true_end`` (mean probability of the true class).

    Raises
    ------
    TypeError
        If ``plateaus`` is not a DataFrame.
    ValueError
        If it lacks ``start``/``end`` or a plateau lies outside the tracked rows.
    """
    if not isinstance(plateaus, pd.DataFrame):
        raise TypeError(f"plateaus must be a DataFrame from find_plateaus; got {type(plateaus).__name__}")
    missing = [c for c in ("start", "end") if c not in plateaus.columns]
    if missing:
        raise ValueError(f"plateaus has no column(s) {missing}; available columns: {list(plateaus.columns)}")
    true_p, probabilities = _true_class_probability(probabilities, y)  # checked, as a float array
    num_rows = true_p.shape[0]
    starts, ends = plateaus["start"].to_numpy(dtype=int), plateaus["end"].to_numpy(dtype=int)
    bad = (starts < 0) | (ends >= num_rows) | (ends < starts)
    if bad.any():
        raise ValueError(
            f"plateau rows must satisfy 0 <= start <= end < {num_rows} (the tracked rows); "
            f"got start={starts[bad][0]}, end={ends[bad][0]}"
        )
    flips = prediction_flips(probabilities, y)  # row k: change from tracked row k to k + 1
    predicted = binary_prediction(probabilities) if probabilities.ndim == 2 else probabilities.argmax(axis=2)
    class_changes = (np.diff(predicted.astype(int), axis=0) != 0).sum(axis=1)  # row k: from row k to k + 1
    loss = -np.log(np.clip(true_p, CLIP_EPSILON, 1.0 - CLIP_EPSILON)).mean(axis=1)  # clipped as Keras does
    mean_p = true_p.mean(axis=1)
    described = plateaus.copy()
    described["class_changes"] = [int(class_changes[s:e].sum()) for s, e in zip(starts, ends)]
    described["became_correct"] = [int(flips[s:e, 0].sum()) for s, e in zip(starts, ends)]
    described["became_wrong"] = [int(flips[s:e, 1].sum()) for s, e in zip(starts, ends)]
    described["loss_start"] = loss[starts]
    described["loss_end"] = loss[ends]
    described["p_true_start"] = mean_p[starts]
    described["p_true_end"] = mean_p[ends]
    return described
