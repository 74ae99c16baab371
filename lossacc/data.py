"""Data sets of the book, generated in code or read from files an installed package ships (no downloads)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lossacc._validation import check_positive_int

__all__ = ["IRIS_CLASSES", "load_iris_data", "make_two_blobs"]

#: Class names of the Iris data, in the order of the one-hot columns (and of the unshuffled rows).
IRIS_CLASSES: tuple[str, ...] = ("setosa", "versicolor", "virginica")


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


def load_iris_data(
    *, shuffle: bool, seed: int = 0, standardize: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Fisher's Iris data from scikit-learn's bundled copy (no download): 150 rows, 4 features, 3 classes.

    With ``shuffle=False`` the rows keep the file's order, sorted by class: 50 setosa, then 50
    versicolor, then 50 virginica -- the order of the classic ``iris.csv``. So the last 20% of the rows,
    which Keras' ``validation_split=0.2`` holds out, are all virginica. Used in
    :doc:`/chapters/accuracy_plateaus`.

    Parameters
    ----------
    shuffle : bool
        Shuffle the rows (keyword-only and required: the order matters for ``validation_split``).
    seed : int, default 0
        Seed of the NumPy generator that shuffles the rows (ignored when ``shuffle=False``).
    standardize : bool, default True
        Centre every feature to mean 0 and scale it to standard deviation 1. The statistics are
        computed on *all* 150 rows (as ``StandardScaler().fit_transform`` on the whole file does, a
        small leak into any validation rows); they do not depend on the order.

    Returns
    -------
    x : numpy.ndarray of float32, shape (150, 4)
        Sepal length, sepal width, petal length, petal width (cm, or standardized).
    y : numpy.ndarray of float32, shape (150, 3)
        One-hot labels; column ``k`` is :data:`IRIS_CLASSES` ``[k]``.

    Raises
    ------
    TypeError
        If ``shuffle`` or ``standardize`` is not a bool, or ``seed`` not an integer.
    ValueError
        If ``seed`` is negative.

    Examples
    --------
    >>> x, y = load_iris_data(shuffle=False)
    >>> x.shape, y.shape, y[-30:].sum(axis=0).tolist()
    ((150, 4), (150, 3), [0.0, 0.0, 30.0])
    """
    for name, flag in (("shuffle", shuffle), ("standardize", standardize)):
        if not isinstance(flag, (bool, np.bool_)):
            raise TypeError(f"{name} must be True or False; got {flag!r} ({type(flag).__name__})")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be a non-negative integer; got {seed!r} ({type(seed).__name__})")
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer; got {seed}")
    from sklearn.datasets import load_iris

    bunch = load_iris()
    x = np.array(bunch.data, dtype="float64")
    labels = np.asarray(bunch.target, dtype=int)
    if standardize:
        x = (x - x.mean(axis=0)) / x.std(axis=0)
    y = np.eye(len(IRIS_CLASSES))[labels]
    if shuffle:
        order = np.random.default_rng(int(seed)).permutation(len(x))
        x, y = x[order], y[order]
    return x.astype("float32"), y.astype("float32")
