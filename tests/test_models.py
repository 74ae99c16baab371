import keras
import numpy as np
import pytest

from lossacc.models import OPTIMIZERS, build_sigmoid_net, make_optimizer


@pytest.mark.parametrize("name", ["sgd", "RMSprop", "adam"])
def test_make_optimizer(name):
    optimizer = make_optimizer(name, 0.01)
    assert isinstance(optimizer, OPTIMIZERS[name.lower()])
    assert float(optimizer.learning_rate) == pytest.approx(0.01)


def test_unknown_optimizer_lists_choices():
    with pytest.raises(ValueError, match=r"unknown optimizer 'adagrad'.*'sgd', 'rmsprop', 'adam'"):
        make_optimizer("adagrad")


@pytest.mark.parametrize("rate", [0, -1e-3, float("nan")])
def test_bad_learning_rate(rate):
    with pytest.raises(ValueError, match="learning_rate"):
        make_optimizer("sgd", rate)


def test_sigmoid_net_structure():
    model = build_sigmoid_net(num_units=2, learning_rate=1e-3)
    assert model.count_params() == 9
    assert [layer.units for layer in model.layers] == [2, 1]
    assert [layer.activation.__name__ for layer in model.layers] == ["sigmoid", "sigmoid"]
    assert isinstance(model.optimizer, keras.optimizers.RMSprop)
    assert float(model.optimizer.learning_rate) == pytest.approx(1e-3)
    assert build_sigmoid_net(num_units=10, num_features=3).count_params() == 3 * 10 + 10 + 10 + 1


def test_weights_depend_only_on_seed():
    first = build_sigmoid_net(seed=4).get_weights()
    keras.utils.set_random_seed(123)  # global state must not matter
    second = build_sigmoid_net(seed=4).get_weights()
    other = build_sigmoid_net(seed=5).get_weights()
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], other[0])


def test_bad_model_arguments():
    with pytest.raises(ValueError, match="num_units"):
        build_sigmoid_net(num_units=0)
    with pytest.raises(TypeError, match="optimizer must be one of"):
        build_sigmoid_net(optimizer=42)
