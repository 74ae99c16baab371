"""Data sets of the book, generated in code or read from files an installed package ships (no downloads)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lossacc._validation import check_positive_int

__all__ = ["make_two_blobs"]


def _check_range(name: str, value: Sequence[float]) -> tuple[float, float]:
    try:
        low, high = (float(v) for v in value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a pair (low, high) of numbers; got {value!r}") from None
    if not (np.isfinite(low) and np.isfinite(high)) or low >= high:
        raise ValueError(f"{name} must satisfy low < high with finite numbers; got {value!r}")
    return low, high


def make_two_blobs(
    samples_per_class: int = 200,
    class0_range: Sequence[float] = (0.2, 0.4),
    class1_range: Sequence[float] = (0.5, 0.7),
    *,
    num_features: int = 2,
    shift: float = 0.0,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Two classes drawn uniformly from two hypercubes, shuffled.

    Class 0 is uniform in ``class0_range`` along every feature, class 1 uniform in
    ``class1_range``: with the defaults, two squares of side 0.2 separated by a gap of 0.1,
    so a straight line separates them perfectly. Used in
    :doc:`/chapters/low_learning_rate` (and, shifted, in :doc:`/chapters/validation_dips`).

    Parameters
    ----------
    samples_per_class : int, default 200
        Number of points of each class (the data set has twice as many rows).
    class0_range, class1_range : (float, float)
        Low and high bounds of the uniform distribution of each class, on every feature.
    num_features : int, default 2
        Number of features (dimensions).
    shift : float, default 0.0
        Added to every feature (``shift=2`` gives un-centred inputs).
    seed : int, default 0
        Seed of the NumPy generator; the same seed gives the same data.

    Returns
    -------
    x : numpy.ndarray of float32, shape (2 * samples_per_class, num_features)
    y : numpy.ndarray of float32, shape (2 * samples_per_class,)
        Labels 0.0 and 1.0, balanced.

    Examples
    --------
    >>> x, y = make_two_blobs(samples_per_class=3, seed=1)
    >>> x.shape, y.shape, float(y.mean())
    ((6, 2), (6,), 0.5)
    """
    samples_per_class = check_positive_int("samples_per_class", samples_per_class)
    num_features = check_positive_int("num_features", num_features)
    low0, high0 = _check_range("class0_range", class0_range)
    low1, high1 = _check_range("class1_range", class1_range)
    rng = np.random.default_rng(seed)
    x0 = rng.uniform(low0, high0, size=(samples_per_class, num_features))
    x1 = rng.uniform(low1, high1, size=(samples_per_class, num_features))
    x = np.concatenate([x0, x1]) + float(shift)
    y = np.concatenate([np.zeros(samples_per_class), np.ones(samples_per_class)])
    order = rng.permutation(len(y))
    return x[order].astype("float32"), y[order].astype("float32")
