"""Population training reproduces separate Keras ``fit`` runs member by member."""

import keras
import numpy as np
import pandas as pd
import pytest
from keras import layers

from lossacc.data import make_two_blobs
from lossacc.training._models import build_sigmoid_net, make_optimizer
from lossacc.training._population import (
    PopulationResult,
    epoch_orders,
    initial_member_weights,
    train_grid,
    train_population,
)

TOLERANCE = 1e-5
NUM_EPOCHS = 3
BATCH_SIZE = 16
METRICS = ["loss", "accuracy", "val_loss", "val_accuracy"]


@pytest.fixture(scope="module")
def blobs():
    x, y = make_two_blobs(samples_per_class=30, seed=3)  # 60 rows: 3 batches of 16 + one of 12
    x_val, y_val = make_two_blobs(samples_per_class=10, seed=4, class0_range=(0.3, 0.5))
    return x, y, x_val, y_val


def _keras_run(model, x, y, orders, batch_size, validation_data):
    """One ``fit`` call per epoch on the member's row order (no Keras shuffling): the reference run."""
    # eager steps: the same math as the compiled train step, without tracing a function per model
    model.compile(optimizer=model.optimizer, loss=model.loss, metrics=["accuracy"], run_eagerly=True)
    rows = []
    for order in orders:
        history = model.fit(
            x[order], y[order], batch_size=batch_size, epochs=1, shuffle=False, verbose=0,
            validation_data=validation_data,
        )
        rows.append([history.history[name][0] for name in METRICS])
    return np.array(rows)


def _dense_model(layer_sizes, hidden_activation, output_activation, weights):
    model = keras.Sequential([keras.Input((layer_sizes[0],))])
    for index, units in enumerate(layer_sizes[1:]):
        last = index == len(layer_sizes) - 2
        model.add(layers.Dense(units, activation=output_activation if last else hidden_activation))
    model.set_weights(weights)
    return model


@pytest.mark.parametrize(
    ("optimizer", "kwargs", "rates"),
    [
        ("sgd", {"momentum": 0.9}, [1e-2, 5e-2, 2e-1]),
        ("rmsprop", {}, [1e-3, 1e-2, 5e-2]),
        ("adam", {}, [1e-3, 1e-2, 5e-2]),
    ],
)
@pytest.mark.slow  # trains Keras models: `make slow`, not `make unit`
def test_population_reproduces_separate_fit_runs(blobs, optimizer, kwargs, rates):
    x, y, x_val, y_val = blobs
    seeds = [0, 1, 1]  # members 1 and 2: same start and order, different learning rates
    result = train_population(
        x, y, num_epochs=NUM_EPOCHS, seeds=seeds, learning_rate=rates, optimizer=optimizer,
        optimizer_kwargs=kwargs, batch_size=BATCH_SIZE, validation_data=(x_val, y_val), track=x_val,
    )
    assert isinstance(result, PopulationResult)
    assert result.outputs.shape == (3, NUM_EPOCHS + 1, len(x_val))
    for member, (seed, rate) in enumerate(zip(seeds, rates)):
        model = build_sigmoid_net(2, seed=seed, optimizer=make_optimizer(optimizer, rate, **kwargs))
        initial_outputs = model(x_val).numpy()[:, 0]
        expected = _keras_run(model, x, y, epoch_orders(seed, len(x), NUM_EPOCHS), BATCH_SIZE, (x_val, y_val))
        got = result.history.loc[result.history["member"] == member, METRICS].to_numpy()
        np.testing.assert_allclose(got, expected, atol=TOLERANCE, rtol=0)
        for got_weight, expected_weight in zip(result.weights[member], model.get_weights(), strict=True):
            np.testing.assert_allclose(got_weight, expected_weight, atol=TOLERANCE, rtol=0)
        np.testing.assert_allclose(result.outputs[member, 0], initial_outputs, atol=1e-6)
        np.testing.assert_allclose(result.outputs[member, -1], model(x_val).numpy()[:, 0], atol=TOLERANCE)
    # different learning rates from the same start really differ
    assert not np.allclose(result.weights[1][0], result.weights[2][0])


@pytest.mark.slow  # trains Keras models: `make slow`, not `make unit`
def test_softmax_population_full_batch_matches_fit():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(45, 4)).astype("float32")
    labels = (x[:, 0] > 0).astype(int) + (x[:, 1] > 0.5).astype(int)  # 3 classes
    sizes = (4, 5, 3)
    weights = [initial_member_weights(seed, sizes) for seed in (5, 6)]
    result = train_population(
        x, labels, num_epochs=NUM_EPOCHS, seeds=[5, 6], learning_rate=[1e-2, 3e-2], hidden_units=5,
        hidden_activation="relu", output_units=3, output_activation="softmax",
        loss="sparse_categorical_crossentropy", optimizer="adam", batch_size=None,
        validation_data=(x[:9], labels[:9]),
    )
    for member, rate in enumerate([1e-2, 3e-2]):
        model = _dense_model(sizes, "relu", "softmax", weights[member])
        model.compile(optimizer=make_optimizer("adam", rate), loss="sparse_categorical_crossentropy")
        orders = [np.arange(len(x))] * NUM_EPOCHS
        expected = _keras_run(model, x, labels, orders, len(x), (x[:9], labels[:9]))
        got = result.history.loc[result.history["member"] == member, METRICS].to_numpy()
        np.testing.assert_allclose(got, expected, atol=TOLERANCE, rtol=0)
        for got_weight, expected_weight in zip(result.weights[member], model.get_weights()):
            np.testing.assert_allclose(got_weight, expected_weight, atol=TOLERANCE, rtol=0)


@pytest.mark.slow  # trains Keras models: `make slow`, not `make unit`
def test_linear_output_clipped_crossentropy_without_shuffle_matches_fit(blobs):
    x, y, x_val, y_val = blobs
    start = [initial_member_weights(9, (2, 3, 1))]
    start[0][0] = start[0][0] * 3.0  # large outputs: the [1e-7, 1 - 1e-7] clipping matters
    result = train_population(
        x, y, num_epochs=NUM_EPOCHS, seeds=[9], learning_rate=5e-2, hidden_units=[3], hidden_activation="tanh",
        output_activation="linear", optimizer="rmsprop", optimizer_kwargs={"momentum": 0.5},
        batch_size=BATCH_SIZE, shuffle=False, validation_data=(x_val, y_val), initial_weights=start,
    )
    model = _dense_model((2, 3, 1), "tanh", "linear", start[0])
    model.compile(optimizer=make_optimizer("rmsprop", 5e-2, momentum=0.5), loss="binary_crossentropy")
    expected = _keras_run(model, x, y, [np.arange(len(x))] * NUM_EPOCHS, BATCH_SIZE, (x_val, y_val))
    np.testing.assert_allclose(result.history[METRICS].to_numpy(), expected, atol=TOLERANCE, rtol=0)
    for got_weight, expected_weight in zip(result.weights[0], model.get_weights()):
        np.testing.assert_allclose(got_weight, expected_weight, atol=TOLERANCE, rtol=0)


def test_seeded_start_is_build_sigmoid_net_and_orders_are_permutations():
    for seed in (0, 7):
        expected_weights = build_sigmoid_net(2, seed=seed).get_weights()
        for got, expected in zip(initial_member_weights(seed, (2, 2, 1)), expected_weights, strict=True):
            np.testing.assert_array_equal(got, expected)
    orders = epoch_orders(4, 10, 3)
    assert orders.shape == (3, 10) and orders.dtype == np.int32
    assert all(sorted(row) == list(range(10)) for row in orders)
    np.testing.assert_array_equal(orders, epoch_orders(4, 10, 3))
    assert not np.array_equal(orders[0], orders[1])


def test_orders_of_different_seeds_are_independent():
    """Each seed has its own order stream, not ``default_rng(seed)`` (shared with the data generators)."""
    num_samples, num_epochs = 500, 4
    orders = {seed: epoch_orders(seed, num_samples, num_epochs) for seed in range(6)}
    for seed in range(5):
        # rank correlation of two independent permutations of 500: sd ~0.045, bound 0.2 is > 4 sigma
        for epoch in range(num_epochs):
            assert abs(np.corrcoef(orders[seed][epoch], orders[seed + 1][epoch])[0, 1]) < 0.2
        assert not np.array_equal(orders[seed][0], np.random.default_rng(seed).permutation(num_samples))
    np.testing.assert_array_equal(orders[3], epoch_orders(3, num_samples, num_epochs))  # same seed, same orders
    # the first epochs of a longer run are the orders of a shorter one
    np.testing.assert_array_equal(epoch_orders(2, num_samples, 2), orders[2][:2])


def test_same_seed_same_population_run(blobs):
    x, y, _, _ = blobs
    first = train_population(x, y, num_epochs=2, seeds=[4, 5], learning_rate=1e-2, batch_size=16)
    second = train_population(x, y, num_epochs=2, seeds=[4, 5], learning_rate=1e-2, batch_size=16)
    pd.testing.assert_frame_equal(first.history, second.history)
    for a, b in zip(first.weights, second.weights):
        for wa, wb in zip(a, b):
            np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(first.weights[0][0], first.weights[1][0])


def test_history_is_tidy_and_epochs_per_call_does_not_change_results(blobs):
    x, y, _, _ = blobs
    one_call = train_population(x, y, num_epochs=4, seeds=3, learning_rate=1e-2)
    many_calls = train_population(x, y, num_epochs=4, seeds=3, learning_rate=1e-2, epochs_per_call=3)
    history = one_call.history
    assert list(history.columns) == ["member", "seed", "learning_rate", "epoch", "loss", "accuracy"]
    assert len(history) == 12 and list(history["epoch"][:4]) == [1, 2, 3, 4]
    assert list(one_call.members["seed"]) == [0, 1, 2]
    pd.testing.assert_frame_equal(history, many_calls.history)
    assert history["accuracy"].between(0, 1).all()


def test_first_epoch_reaching_a_level():
    history = pd.DataFrame({"member": [0, 0, 0, 1, 1, 1], "seed": [0, 0, 0, 1, 1, 1], "learning_rate": [0.1] * 6,
                            "epoch": [1, 2, 3] * 2, "loss": [0.7] * 6, "accuracy": [0.5, 0.95, 0.85, 0.5, 0.6, 0.7]})
    members = history.drop_duplicates("member")[["member", "seed", "learning_rate"]].reset_index(drop=True)
    result = PopulationResult(history=history, members=members, weights=[])
    first = result.first_epoch(0.9)
    assert list(first.columns) == ["member", "seed", "learning_rate", "first_epoch"]
    np.testing.assert_array_equal(first["first_epoch"], [2.0, np.nan])
    with pytest.raises(ValueError, match="unknown column 'val_accuracy'"):
        result.first_epoch(0.9, column="val_accuracy")


def test_grid_runs_every_setting_and_matches_single_populations(blobs):
    x, y, _, _ = blobs
    grid = train_grid(x, y, {"learning_rate": [1e-2, 1e-1], "hidden_units": [2, 4]}, seeds=2, num_epochs=2)
    assert grid.num_members == 8 and len(grid.history) == 16
    assert list(grid.history.columns[:4]) == ["member", "seed", "learning_rate", "hidden_units"]
    assert sorted(grid.members["hidden_units"].unique()) == [2, 4]
    assert list(grid.members["member"]) == list(range(8))
    chosen = grid.history[(grid.history["hidden_units"] == 4) & (grid.history["learning_rate"] == 1e-1)
                          & (grid.history["seed"] == 1)]
    single = train_population(x, y, num_epochs=2, seeds=[1], learning_rate=1e-1, hidden_units=4)
    np.testing.assert_allclose(chosen[["loss", "accuracy"]].to_numpy(), single.history[["loss", "accuracy"]].to_numpy(),
                               atol=1e-6)
    assert len(grid.weights) == 8 and grid.weights[-1][0].shape == (2, 4)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"optimizer": "adagrad"}, ValueError, "unknown optimizer 'adagrad'"),
        ({"hidden_activation": "swishy"}, ValueError, "unknown hidden_activation"),
        ({"output_activation": "relu"}, ValueError, "unknown output_activation"),
        ({"loss": "hinge"}, ValueError, "unknown loss"),
        ({"learning_rate": 0.0}, ValueError, "learning_rate must be a finite number > 0"),
        ({"learning_rate": -1e-3}, ValueError, "learning_rate must be a finite number > 0"),
        ({"learning_rate": [1e-3, 1e-2, 1e-1]}, ValueError, "one per member"),
        ({"learning_rate": "fast"}, TypeError, "learning_rate must be a positive number"),
        ({"seeds": []}, ValueError, "seeds is empty"),
        ({"seeds": [0, -1]}, ValueError, "non-negative"),
        ({"num_epochs": 0}, ValueError, "num_epochs must be an integer >= 1"),
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"optimizer_kwargs": {"beta": 0.9}}, TypeError, "unknown optimizer_kwargs key 'beta'"),
        ({"optimizer_kwargs": {"momentum": 1.5}, "optimizer": "sgd"}, ValueError, r"in \[0, 1\)"),
        ({"from_logits": True}, ValueError, "output_activation='linear'"),
        ({"output_activation": "softmax"}, ValueError, "output_units >= 2"),
        ({"loss": "categorical_crossentropy"}, ValueError, "output_units >= 2"),
        ({"track": np.zeros((3, 5))}, ValueError, "track must have 2 features"),
        ({"validation_data": (np.zeros((3, 2)), np.zeros(4))}, ValueError, "validation y must have 3 rows"),
        ({"validation_data": np.zeros((3, 2))}, TypeError, "validation_data must be a pair"),
        ({"initial_weights": [[np.zeros((2, 2))]] * 2}, ValueError, "initial_weights\\[0\\] must have shapes"),
    ],
)
def test_bad_arguments_raise_clear_errors(kwargs, error, match):
    x, y = make_two_blobs(samples_per_class=4)
    arguments = {"num_epochs": 1, "seeds": 2, **kwargs}
    with pytest.raises(error, match=match):
        train_population(x, y, **arguments)


def test_bad_data_raise_clear_errors():
    x, y = make_two_blobs(samples_per_class=4)
    with pytest.raises(ValueError, match="y must have 8 rows"):
        train_population(x, y[:5], num_epochs=1, seeds=1)
    with pytest.raises(ValueError, match="x is empty"):
        train_population(np.zeros((0, 2)), np.zeros(0), num_epochs=1, seeds=1)
    with pytest.raises(ValueError, match="x must be a 2-D array"):
        train_population(np.zeros(8), y, num_epochs=1, seeds=1)
    with pytest.raises(ValueError, match="class indices"):
        train_population(x, y + 5, num_epochs=1, seeds=1, output_units=3, output_activation="softmax",
                         loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="cannot be a grid key"):
        train_grid(x, y, {"seeds": [1, 2]}, num_epochs=1)
    with pytest.raises(ValueError, match="given both"):
        train_grid(x, y, {"hidden_units": [2]}, hidden_units=3, num_epochs=1)


# ---------------------------------------------------------------- every optimizer option vs Keras' own optimizer

OPTION_CASES = [
    ("sgd", {}),
    ("sgd", {"momentum": 0.9}),
    ("sgd", {"momentum": 0.9, "nesterov": True}),
    ("sgd", {"momentum": 0.0, "nesterov": True}),  # Keras ignores Nesterov without momentum
    ("rmsprop", {}),
    ("rmsprop", {"rho": 0.5}),
    ("rmsprop", {"epsilon": 1e-2}),
    ("rmsprop", {"momentum": 0.8}),
    ("rmsprop", {"centered": True}),
    ("rmsprop", {"centered": True, "momentum": 0.5, "rho": 0.7, "epsilon": 1e-3}),
    ("adam", {}),
    ("adam", {"beta_1": 0.5}),
    ("adam", {"beta_2": 0.9}),
    ("adam", {"epsilon": 1e-2}),
    ("adam", {"amsgrad": True}),
    ("adam", {"amsgrad": True, "beta_1": 0.0, "beta_2": 0.5, "epsilon": 1e-3}),
]
# options that leave the update unchanged (so the "option matters" check is skipped)
NO_EFFECT = [("sgd", {}), ("sgd", {"momentum": 0.0, "nesterov": True}), ("rmsprop", {}), ("adam", {})]
# one case per optimizer with every option away from its default: also checked end to end against fit
FIT_CASES = [
    ("sgd", {"momentum": 0.9, "nesterov": True}),
    ("rmsprop", {"centered": True, "momentum": 0.5, "rho": 0.7, "epsilon": 1e-3}),
    ("adam", {"amsgrad": True, "beta_1": 0.0, "beta_2": 0.5, "epsilon": 1e-3}),
]


def test_option_cases_cover_every_accepted_option():
    from lossacc.training._population import POPULATION_OPTIMIZERS

    for name, defaults in POPULATION_OPTIMIZERS.items():
        tested = {key for case_name, kwargs in OPTION_CASES if case_name == name for key in kwargs}
        assert tested == set(defaults), f"{name}: untested options {set(defaults) - tested}"
        assert set(defaults) <= set(make_optimizer(name).get_config())  # the same names as Keras
        fit_case = dict(next(kwargs for case_name, kwargs in FIT_CASES if case_name == name))
        assert all(fit_case[key] != value for key, value in defaults.items())


def _steps_of_both(name, kwargs, rates, gradients):
    """Apply ``gradients`` (steps, K, ...) with the population's optimizer and with K Keras optimizers."""
    import tensorflow as tf

    from lossacc.training._population import POPULATION_OPTIMIZERS, _Optimizer

    start = np.random.default_rng(1).normal(size=gradients.shape[1:]).astype("float32")
    stacked = tf.Variable(start)
    ours = _Optimizer(name, {**POPULATION_OPTIMIZERS[name], **kwargs}, np.asarray(rates), [stacked])
    singles = [keras.Variable(start[k]) for k in range(len(rates))]
    theirs = [make_optimizer(name, rate, **kwargs) for rate in rates]
    for gradient in gradients:
        ours.apply([tf.constant(gradient)])
        for k, optimizer in enumerate(theirs):
            optimizer.apply_gradients([(tf.constant(gradient[k]), singles[k])])
    return stacked.numpy(), np.stack([v.numpy() for v in singles])


@pytest.mark.parametrize(("name", "kwargs"), OPTION_CASES, ids=[f"{n}-{k}" for n, k in OPTION_CASES])
def test_every_optimizer_option_matches_keras_update_by_update(name, kwargs):
    # 12 steps of gradients with changing scale and sign (so AMSGrad's max and centring matter)
    rng = np.random.default_rng(0)
    scales = np.array([10.0, 0.2, 3.0, 0.05, 1.0, 0.5, 2.0, 0.1, 1.0, 0.3, 0.01, 1.0])[:, None, None, None]
    gradients = (rng.normal(size=(12, 2, 3, 4)) * scales + 0.3).astype("float32")
    rates = [1e-2, 1e-1]
    got, expected = _steps_of_both(name, kwargs, rates, gradients)
    np.testing.assert_allclose(got, expected, atol=1e-6, rtol=1e-5)
    if (name, kwargs) not in NO_EFFECT:  # the option really changes the updates
        _, default = _steps_of_both(name, {}, rates, gradients)
        assert np.abs(got - default).max() > 5e-5  # > 4x the tolerance above (AMSGrad alone: ~1e-4)


@pytest.mark.slow  # trains Keras models: `make slow`, not `make unit`
@pytest.mark.parametrize(("name", "kwargs"), FIT_CASES, ids=[name for name, _ in FIT_CASES])
def test_every_optimizer_option_matches_separate_fit_runs(name, kwargs):
    x, y = make_two_blobs(samples_per_class=20, seed=8)  # 40 rows: batches of 16, 16, 8
    seeds, rates, num_epochs = [2, 3], [2e-2, 1e-1], 2
    result = train_population(
        x, y, num_epochs=num_epochs, seeds=seeds, learning_rate=rates, hidden_units=3,
        optimizer=name, optimizer_kwargs=kwargs, batch_size=BATCH_SIZE, shuffle=False,
    )
    for member, (seed, rate) in enumerate(zip(seeds, rates)):
        model = build_sigmoid_net(3, seed=seed, optimizer=make_optimizer(name, rate, **kwargs))
        model.compile(optimizer=model.optimizer, loss=model.loss, metrics=["accuracy"], run_eagerly=True)
        history = model.fit(x, y, batch_size=BATCH_SIZE, epochs=num_epochs, shuffle=False, verbose=0)
        expected = np.column_stack([history.history["loss"], history.history["accuracy"]])
        got = result.history.loc[result.history["member"] == member, ["loss", "accuracy"]].to_numpy()
        np.testing.assert_allclose(got, expected, atol=TOLERANCE, rtol=0)
        for got_weight, expected_weight in zip(result.weights[member], model.get_weights(), strict=True):
            np.testing.assert_allclose(got_weight, expected_weight, atol=TOLERANCE, rtol=0)
