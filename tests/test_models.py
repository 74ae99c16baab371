import keras
import numpy as np
import pytest

from lossacc.training._models import OPTIMIZERS, build_sigmoid_net, make_optimizer


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


def test_layers_use_the_seeding_convention():
    from lossacc.training._seeding import kernel_seed

    weights = build_sigmoid_net(3, num_features=4, seed=6).get_weights()
    for layer, kernel in ((0, weights[0]), (1, weights[2])):
        expected = keras.initializers.GlorotUniform(seed=kernel_seed(6, layer))(shape=kernel.shape, dtype="float32")
        np.testing.assert_array_equal(kernel, keras.ops.convert_to_numpy(expected))
    assert not weights[1].any() and not weights[3].any()


def test_seeds_give_independent_kernels():
    """Issue 9: with ``seed + layer``, seed s's output kernel was seed s+1's hidden kernel times 0.866."""
    from lossacc.training._population import initial_member_weights  # equal to build_sigmoid_net (test_population)

    num_seeds = 200
    kernels = [initial_member_weights(seed, (2, 2, 1)) for seed in range(num_seeds + 1)]
    output = np.concatenate([kernels[s][2][:, 0] for s in range(num_seeds)])
    next_hidden = np.concatenate([kernels[s + 1][0].reshape(-1)[:2] for s in range(num_seeds)])
    own_hidden = np.concatenate([kernels[s][0].reshape(-1)[:2] for s in range(num_seeds)])
    ratio = output / next_hidden
    assert np.std(ratio) > 0.5  # the old convention: the constant sqrt(3/4)
    # 400 pairs: |corr| of independent draws has sd ~0.05, so 0.2 is a 4-sigma bound
    assert abs(np.corrcoef(output, next_hidden)[0, 1]) < 0.2
    assert abs(np.corrcoef(output, own_hidden)[0, 1]) < 0.2
    hidden = np.stack([k[0].reshape(-1) for k in kernels])  # (201, 4): seed vs seed + 1 entrywise
    assert abs(np.corrcoef(hidden[:-1].reshape(-1), hidden[1:].reshape(-1))[0, 1]) < 0.2
