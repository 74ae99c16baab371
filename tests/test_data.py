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
