import numpy as np
import pytest

from lossacc.data import make_two_blobs


def test_shapes_dtypes_balance():
    x, y = make_two_blobs(samples_per_class=50, seed=3)
    assert x.shape == (100, 2) and y.shape == (100,)
    assert x.dtype == np.float32 and y.dtype == np.float32
    assert y.sum() == 50


def test_ranges_and_separation():
    x, y = make_two_blobs(samples_per_class=200, class0_range=(0.2, 0.4), class1_range=(0.5, 0.7), seed=0)
    assert x[y == 0].min() >= 0.2 and x[y == 0].max() <= 0.4
    assert x[y == 1].min() >= 0.5 and x[y == 1].max() <= 0.7


def test_shuffled_and_seeded():
    x1, y1 = make_two_blobs(samples_per_class=100, seed=1)
    x2, y2 = make_two_blobs(samples_per_class=100, seed=1)
    x3, _ = make_two_blobs(samples_per_class=100, seed=2)
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(x1, x3)
    assert 0 < y1[:100].sum() < 100  # classes are interleaved, not sorted


def test_shift_and_features():
    x, _ = make_two_blobs(samples_per_class=10, num_features=3, shift=2.0)
    assert x.shape == (20, 3)
    assert x.min() >= 2.2 and x.max() <= 2.7


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"samples_per_class": 0}, ValueError, "samples_per_class must be an integer >= 1"),
        ({"samples_per_class": 2.5}, TypeError, "samples_per_class"),
        ({"class0_range": (0.4, 0.2)}, ValueError, "low < high"),
        ({"class1_range": "ab"}, TypeError, "pair"),
        ({"num_features": 0}, ValueError, "num_features"),
    ],
)
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_two_blobs(**kwargs)


# ---- load_iris_data

from lossacc.data import IRIS_CLASSES, load_iris_data  # noqa: E402


def test_iris_sorted_order_and_one_hot():
    x, y = load_iris_data(shuffle=False)
    assert x.shape == (150, 4) and y.shape == (150, 3)
    assert x.dtype == np.float32 and y.dtype == np.float32
    np.testing.assert_array_equal(y.sum(axis=1), 1.0)
    labels = y.argmax(axis=1)
    np.testing.assert_array_equal(labels, np.repeat([0, 1, 2], 50))  # class-sorted, like iris.csv
    # what Keras' validation_split=0.2 holds out: the last 30 rows, all virginica
    assert y[-30:].sum(axis=0).tolist() == [0.0, 0.0, 30.0]
    assert IRIS_CLASSES[2] == "virginica"


def test_iris_standardized_on_all_rows():
    x, _ = load_iris_data(shuffle=False)
    np.testing.assert_allclose(x.mean(axis=0), 0.0, atol=1e-6)
    np.testing.assert_allclose(x.std(axis=0), 1.0, atol=1e-6)
    raw, _ = load_iris_data(shuffle=False, standardize=False)
    np.testing.assert_allclose(raw[0], [5.1, 3.5, 1.4, 0.2], atol=1e-6)  # the first row of the file
    np.testing.assert_allclose((raw - raw.mean(axis=0)) / raw.std(axis=0), x, atol=1e-5)


def test_iris_shuffled_is_a_seeded_permutation():
    x_sorted, y_sorted = load_iris_data(shuffle=False)
    x1, y1 = load_iris_data(shuffle=True, seed=1)
    x2, y2 = load_iris_data(shuffle=True, seed=1)
    x3, _ = load_iris_data(shuffle=True, seed=2)
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(x1, x3)
    order = np.random.default_rng(1).permutation(150)
    np.testing.assert_array_equal(x1, x_sorted[order])
    np.testing.assert_array_equal(y1, y_sorted[order])
    assert (y1[-30:].sum(axis=0) > 0).all()  # the last 30 rows now hold all three classes
    # the standardization does not depend on the order
    np.testing.assert_allclose(np.sort(x1, axis=0), np.sort(x_sorted, axis=0))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({}, TypeError, "shuffle"),
        ({"shuffle": "yes"}, TypeError, "shuffle must be True or False"),
        ({"shuffle": True, "standardize": 1}, TypeError, "standardize must be True or False"),
        ({"shuffle": True, "seed": 1.5}, TypeError, "seed must be a non-negative integer"),
        ({"shuffle": True, "seed": -1}, ValueError, "seed must be a non-negative integer"),
    ],
)
def test_iris_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        load_iris_data(**kwargs)
