"""The shared argument checks of lossacc._validation."""

import numpy as np
import pytest

from lossacc._validation import check_compiled, check_number, check_pair, check_seeds


def test_check_number_refuses_bools_and_non_finite():
    assert check_number("threshold", np.float32(0.25)) == 0.25 and check_number("t", 3) == 3.0
    for bad in (True, np.bool_(False), "0.5", None):
        with pytest.raises(TypeError, match="threshold must be a number"):
            check_number("threshold", bad)
    with pytest.raises(ValueError, match="finite"):
        check_number("threshold", float("nan"))
    assert np.isinf(check_number("threshold", float("inf"), finite=False))


def test_check_pair():
    assert check_pair("validation_data", ([1], [0])) == ([1], [0])
    with pytest.raises(TypeError, match=r"validation_data must be a pair \(x_val, y_val\); got tuple of length 1"):
        check_pair("validation_data", ([1],))
    with pytest.raises(TypeError, match="got ndarray"):
        check_pair("validation_data", np.zeros((2, 2)))


def test_check_seeds_integer_is_a_count():
    assert check_seeds(3) == [0, 1, 2]
    assert check_seeds([3]) == [3] and check_seeds(range(2, 4)) == [2, 3]
    with pytest.raises(ValueError, match="seeds"):
        check_seeds(0)
    with pytest.raises(TypeError, match="seeds"):
        check_seeds(True)
    with pytest.raises(ValueError, match="empty"):
        check_seeds([])
    with pytest.raises(ValueError, match="repeat"):
        check_seeds([1, 1], unique=True)


def test_check_compiled():
    keras = pytest.importorskip("keras")
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.raises(TypeError, match="keras.Model"):
        check_compiled("model")
    with pytest.raises(ValueError, match=r"not compiled: call model.compile\(.*\) before check_model"):
        check_compiled(model, before="before check_model")
    model.compile(optimizer="sgd", loss="mse")
    assert check_compiled(model) is model
