"""Data sets of the book, generated in code or read from files an installed package ships (no downloads)."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from lossacc._validation import check_bool, check_number, check_positive_int, check_seed

__all__ = ["IRIS_CLASSES", "MNIST_CACHE_NAME", "load_digits_01", "load_iris_data", "load_mnist_01", "make_two_blobs"]

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
    :doc:`/chapters/low_learning_rate` (and, shifted by +2, in the validation-dips chapter).

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
        One-hot labels; column ``k`` is :data:`lossacc.IRIS_CLASSES` ``[k]``.

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
    check_bool("shuffle", shuffle)
    check_bool("standardize", standardize)
    check_seed(seed)
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


def _check_fraction(name: str, value: Any) -> float:
    value = check_number(name, value, finite=False)
    if not 0 < value < 1:
        raise ValueError(f"{name} must be between 0 and 1 (exclusive); got {value}")
    return float(value)


def load_digits_01(
    *, scale: bool = True, test_fraction: float = 0.2, seed: int = 0
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """The 8x8 handwritten digits 0 and 1 from scikit-learn's bundled copy (no download), split in two.

    360 images (178 zeros, 182 ones) of 8 x 8 pixels with integer intensities 0-16, flattened to 64
    features, shuffled with ``seed`` and split into a training and a test part (288 and 72 rows with
    the defaults). The offline stand-in for MNIST 0-vs-1 in :doc:`/chapters/linear_output`.

    Parameters
    ----------
    scale : bool, default True
        Divide the pixels by 16, to [0, 1] (as dividing MNIST's 0-255 pixels by 255 does). With
        ``False`` the raw intensities 0-16 are returned (as floats).
    test_fraction : float, default 0.2
        Share of the rows held out as the test part, strictly between 0 and 1.
    seed : int, default 0
        Seed of the NumPy generator that shuffles the rows before the split.

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        ``x`` float32 of shape ``(rows, 64)``; ``y`` float32 labels 0.0/1.0 of shape ``(rows,)``
        (the layout of ``keras.datasets.mnist.load_data()``).

    Raises
    ------
    TypeError
        If ``scale`` is not a bool, or ``test_fraction``/``seed`` are not numbers/integers.
    ValueError
        If ``test_fraction`` is not strictly between 0 and 1 or leaves a part empty, or ``seed`` is
        negative.

    Examples
    --------
    >>> (x_train, y_train), (x_test, y_test) = load_digits_01()
    >>> x_train.shape, x_test.shape, float(x_train.max())
    ((288, 64), (72, 64), 1.0)
    """
    scale = check_bool("scale", scale)
    test_fraction = _check_fraction("test_fraction", test_fraction)
    seed = check_seed(seed)
    from sklearn.datasets import load_digits

    bunch = load_digits()
    keep = bunch.target < 2
    x = np.array(bunch.data[keep], dtype="float64")
    y = np.asarray(bunch.target[keep], dtype="float64")
    if scale:
        x = x / 16.0
    num_test = int(round(len(x) * test_fraction))
    if not 0 < num_test < len(x):
        raise ValueError(f"test_fraction={test_fraction} leaves an empty part of the {len(x)} rows")
    order = np.random.default_rng(seed).permutation(len(x))
    x, y = x[order].astype("float32"), y[order].astype("float32")
    num_train = len(x) - num_test
    return (x[:num_train], y[:num_train]), (x[num_train:], y[num_train:])


#: Where ``keras.datasets.mnist.load_data()`` caches MNIST (``$KERAS_HOME`` or ``~/.keras``).
MNIST_CACHE_NAME = "datasets/mnist.npz"
_MNIST_KEYS = ("x_train", "y_train", "x_test", "y_test")


def _default_mnist_path() -> Path:
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / MNIST_CACHE_NAME


def load_mnist_01(
    path: str | os.PathLike | None = None, *, scale: bool = True
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """MNIST digits 0 and 1 from the file Keras caches, flattened to 784 features (no download).

    Explained in :doc:`/chapters/linear_output`.

    Reads the ``mnist.npz`` that ``keras.datasets.mnist.load_data()`` stores (by default
    ``~/.keras/datasets/mnist.npz``, or under ``$KERAS_HOME``) and keeps the images of the digits 0
    and 1, in the file's order: 12665 training and 2115 test images in the real file. This function
    never downloads anything.

    Parameters
    ----------
    path : str or path-like, optional
        The ``.npz`` file, with arrays ``x_train`` (images, 0-255), ``y_train``, ``x_test``,
        ``y_test``. Default: the Keras cache file.
    scale : bool, default True
        Divide the pixels by 255, to [0, 1].

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        ``x`` float32 of shape ``(rows, pixels)``; ``y`` float32 labels 0.0/1.0 of shape ``(rows,)``.

    Raises
    ------
    FileNotFoundError
        If the file does not exist; the message says how to get it.
    ValueError
        If the file is not a readable ``.npz`` with those four arrays of matching lengths.
    TypeError
        If ``path`` is not a path or ``scale`` not a bool.

    Examples
    --------
    >>> (x_train, y_train), (x_test, y_test) = load_mnist_01()  # doctest: +SKIP
    >>> x_train.shape, y_train.mean()                           # doctest: +SKIP
    ((12665, 784), 0.532...)
    """
    scale = check_bool("scale", scale)
    if path is None:
        file = _default_mnist_path()
    elif isinstance(path, (str, os.PathLike)):
        file = Path(path).expanduser()
    else:
        raise TypeError(f"path must be a file path (str or os.PathLike) or None; got {type(path).__name__}")
    if not file.is_file():
        raise FileNotFoundError(
            f"no MNIST file at {file}. lossacc never downloads: run `keras.datasets.mnist.load_data()` once "
            "on a machine with internet access (it caches ~/.keras/datasets/mnist.npz), or pass "
            "path= to a copy of mnist.npz; the offline stand-in is lossacc.data.load_digits_01()"
        )
    try:
        archive = np.load(file, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise ValueError(f"{file} is not a readable .npz file: {error}") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise ValueError(f"{file} holds a single array, not an .npz archive with arrays {list(_MNIST_KEYS)}")
    with archive:
        missing = [key for key in _MNIST_KEYS if key not in archive.files]
        if missing:
            raise ValueError(
                f"{file} is not a Keras MNIST file: arrays {missing} are missing (it has {archive.files}); "
                f"expected {list(_MNIST_KEYS)}"
            )
        arrays = {key: np.asarray(archive[key]) for key in _MNIST_KEYS}
    parts = []
    for split in ("train", "test"):
        images, labels = arrays[f"x_{split}"], arrays[f"y_{split}"].reshape(-1)
        if len(images) != len(labels) or images.ndim < 2:
            raise ValueError(
                f"{file}: x_{split} has shape {images.shape} but y_{split} has {len(labels)} labels; "
                "expected one image (2-D or more) per label"
            )
        keep = (labels == 0) | (labels == 1)
        x = images[keep].reshape(int(keep.sum()), -1).astype("float32")
        if scale:
            x = x / np.float32(255.0)
        parts.append((x, labels[keep].astype("float32")))
    return parts[0], parts[1]
