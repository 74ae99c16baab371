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


# ---- load_digits_01, load_mnist_01

from lossacc.data import load_digits_01, load_mnist_01  # noqa: E402


def test_digits_01_split_scale_and_labels():
    (x_train, y_train), (x_test, y_test) = load_digits_01()
    assert x_train.shape == (288, 64) and x_test.shape == (72, 64)
    assert x_train.dtype == np.float32 and y_train.dtype == np.float32
    assert set(np.unique(np.concatenate([y_train, y_test]))) == {0.0, 1.0}
    assert np.concatenate([y_train, y_test]).sum() == 182  # 182 ones, 178 zeros in scikit-learn's copy
    assert x_train.min() == 0.0 and x_train.max() == 1.0
    (raw_train, _), _ = load_digits_01(scale=False)
    np.testing.assert_allclose(raw_train / 16, x_train, atol=1e-7)
    assert raw_train.max() == 16.0 and np.all(raw_train == np.round(raw_train))


def test_digits_01_seeded_shuffle_and_fraction():
    (a, ya), _ = load_digits_01(seed=1)
    (b, yb), _ = load_digits_01(seed=1)
    (c, _), _ = load_digits_01(seed=2)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(ya, yb)
    assert not np.array_equal(a, c)
    assert 0 < ya[:100].sum() < 100  # shuffled, not sorted by class
    (train, _), (test, _) = load_digits_01(test_fraction=0.5)
    assert len(train) == len(test) == 180


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"scale": 1}, TypeError, "scale must be True or False"),
        ({"test_fraction": 0.0}, ValueError, "between 0 and 1"),
        ({"test_fraction": 1}, ValueError, "between 0 and 1"),
        ({"test_fraction": "0.2"}, TypeError, "test_fraction"),
        ({"test_fraction": 0.001}, ValueError, "empty part"),
        ({"seed": -1}, ValueError, "seed must be a non-negative integer"),
        ({"seed": 0.5}, TypeError, "seed"),
    ],
)
def test_digits_01_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        load_digits_01(**kwargs)


def _write_fake_mnist(path, **overrides):
    rng = np.random.default_rng(0)
    arrays = {
        "x_train": rng.integers(0, 256, size=(10, 28, 28), dtype=np.uint8),
        "y_train": np.array([0, 1, 2, 1, 0, 9, 1, 3, 0, 1], dtype=np.uint8),
        "x_test": rng.integers(0, 256, size=(4, 28, 28), dtype=np.uint8),
        "y_test": np.array([7, 1, 0, 5], dtype=np.uint8),
    }
    arrays.update(overrides)
    arrays = {key: value for key, value in arrays.items() if value is not None}
    np.savez(path, **arrays)
    return arrays


def test_mnist_01_reads_a_keras_style_file(tmp_path):
    file = tmp_path / "mnist.npz"
    arrays = _write_fake_mnist(file)
    (x_train, y_train), (x_test, y_test) = load_mnist_01(file)
    keep = np.isin(arrays["y_train"], [0, 1])
    assert x_train.shape == (keep.sum(), 784) and x_test.shape == (2, 784)
    assert x_train.dtype == np.float32 and y_train.dtype == np.float32
    np.testing.assert_array_equal(y_train, arrays["y_train"][keep])
    np.testing.assert_array_equal(y_test, [1, 0])
    np.testing.assert_allclose(x_train, arrays["x_train"][keep].reshape(-1, 784) / 255, rtol=1e-6)
    assert 0 <= x_train.min() and x_train.max() <= 1
    (raw, _), _ = load_mnist_01(str(file), scale=False)
    np.testing.assert_array_equal(raw, arrays["x_train"][keep].reshape(-1, 784))


def test_mnist_01_default_path_is_the_keras_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(FileNotFoundError, match=r"keras.datasets.mnist.load_data\(\)"):
        load_mnist_01()
    (tmp_path / "datasets").mkdir()
    _write_fake_mnist(tmp_path / "datasets" / "mnist.npz")
    (x_train, _), _ = load_mnist_01()
    assert x_train.shape[1] == 784


def test_mnist_01_missing_file_message(tmp_path):
    with pytest.raises(FileNotFoundError, match="never downloads.*load_digits_01"):
        load_mnist_01(tmp_path / "nothing.npz")


def test_mnist_01_bad_files(tmp_path):
    not_npz = tmp_path / "bad.npz"
    not_npz.write_bytes(b"not a zip archive")
    with pytest.raises(ValueError, match="not a readable .npz"):
        load_mnist_01(not_npz)
    single = tmp_path / "single.npy"
    np.save(single, np.zeros(3))
    with pytest.raises(ValueError, match="single array"):
        load_mnist_01(single)
    missing = tmp_path / "missing.npz"
    _write_fake_mnist(missing, y_test=None)
    with pytest.raises(ValueError, match=r"\['y_test'\] are missing"):
        load_mnist_01(missing)
    mismatched = tmp_path / "mismatched.npz"
    _write_fake_mnist(mismatched, y_train=np.zeros(3, dtype=np.uint8))
    with pytest.raises(ValueError, match="x_train has shape"):
        load_mnist_01(mismatched)
    with pytest.raises(TypeError, match="path must be a file path"):
        load_mnist_01(123)
    with pytest.raises(TypeError, match="scale must be True or False"):
        load_mnist_01(missing, scale="yes")
