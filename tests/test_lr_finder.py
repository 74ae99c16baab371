"""Tests of lossacc.training._lr_finder: the range test on the 2-unit network, restoration of the model, the plot."""

import keras
import numpy as np
import pytest
from matplotlib.axes import Axes

from lossacc.data import make_two_blobs
from lossacc.training._fit import seed_everything
from lossacc.training._lr_finder import LRFinderResult, _steepest_descent, find_learning_rate
from lossacc.training._models import build_sigmoid_net


@pytest.fixture(scope="module")
def blobs():
    return make_two_blobs(200, seed=0)


@pytest.fixture(scope="module")
def two_unit_result(blobs):
    x, y = blobs
    return find_learning_rate(build_sigmoid_net(2, learning_rate=1e-3, seed=5), x, y, num_steps=300)


def test_two_unit_net_suggestion_is_far_above_the_stalling_rate(two_unit_result):
    result = two_unit_result
    assert isinstance(result, LRFinderResult)
    # the 2-unit net stalls at 1e-3; the range test points two orders of magnitude higher
    assert result.suggestion is not None and result.suggestion > 0.05
    assert result.suggestion < result.learning_rates[-1]
    # the smoothed loss really falls around the suggestion and is flat at 1e-3
    index = int(np.argmin(np.abs(result.learning_rates - result.suggestion)))
    at_1e3 = int(np.argmin(np.abs(result.learning_rates - 1e-3)))
    assert result.smoothed_losses[index] < result.smoothed_losses[at_1e3] - 0.05
    assert result.smoothed_losses[at_1e3] == pytest.approx(result.smoothed_losses[50], abs=0.02)


def test_learning_rates_grow_exponentially_over_the_range(two_unit_result):
    rates = two_unit_result.learning_rates
    assert rates[0] == pytest.approx(1e-7)
    ratios = rates[1:] / rates[:-1]
    assert np.allclose(ratios, (10 / 1e-7) ** (1 / 299))
    assert len(two_unit_result.losses) == len(two_unit_result.smoothed_losses) == len(rates)


def test_smoothing_is_a_bias_corrected_moving_average(two_unit_result):
    losses, smoothed = two_unit_result.losses, two_unit_result.smoothed_losses
    assert smoothed[0] == pytest.approx(losses[0])
    average = 0.0
    for loss in losses[:20]:
        average = 0.98 * average + 0.02 * loss
    assert smoothed[19] == pytest.approx(average / (1 - 0.98**20))


@pytest.mark.slow  # trains Keras models: `make slow`, not `make unit`
def test_weights_and_optimizer_state_are_restored(blobs):
    x, y = blobs
    model = build_sigmoid_net(2, optimizer="adam", learning_rate=1e-3, seed=0)
    model.fit(x, y, epochs=1, batch_size=64, verbose=0)  # optimizer built, with moments
    weights = [w.copy() for w in model.get_weights()]
    optimizer_state = [v.numpy().copy() for v in model.optimizer.variables]
    find_learning_rate(model, x, y, num_steps=40, max_lr=1.0)
    for before, after in zip(weights, model.get_weights()):
        np.testing.assert_array_equal(before, after)
    for before, variable in zip(optimizer_state, model.optimizer.variables):
        np.testing.assert_array_equal(before, variable.numpy())
    assert float(model.optimizer.learning_rate) == pytest.approx(1e-3)


@pytest.mark.slow  # trains Keras models: `make slow`, not `make unit`
def test_training_after_the_test_is_as_if_it_never_ran(blobs):
    x, y = blobs

    def fit_one_epoch(run_finder_first):
        model = build_sigmoid_net(2, optimizer="rmsprop", learning_rate=0.05, seed=3)
        if run_finder_first:
            find_learning_rate(model, x, y, num_steps=30)
        seed_everything(0)
        model.fit(x, y, epochs=1, batch_size=32, verbose=0)
        return model.get_weights()

    for plain, after_finder in zip(fit_one_epoch(False), fit_one_epoch(True)):
        np.testing.assert_allclose(plain, after_finder, rtol=1e-6, atol=1e-7)


def test_stops_early_on_divergence(blobs):
    x, y = blobs
    model = build_sigmoid_net(2, optimizer="sgd", seed=0)
    result = find_learning_rate(model, x, y, min_lr=1e-2, max_lr=1e5, num_steps=100)
    assert result.stopped_early
    assert len(result.losses) < 100
    finite = result.smoothed_losses[np.isfinite(result.smoothed_losses)]
    assert not np.isfinite(result.losses[-1]) or finite[-1] > 4 * finite.min()


def test_plot_has_log_axis_and_marks_the_suggestion(two_unit_result):
    ax = two_unit_result.plot()
    assert isinstance(ax, Axes)
    assert ax.get_xscale() == "log"
    marker = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert len(marker) == 1
    assert marker[0].get_xdata()[0] == pytest.approx(two_unit_result.suggestion)
    assert "steepest descent" in marker[0].get_label()


def test_plot_on_given_axes(two_unit_result):
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    assert two_unit_result.plot(ax=ax) is ax
    with pytest.raises(TypeError, match="Axes"):
        two_unit_result.plot(ax="left")


def test_rising_curve_gives_no_suggestion():
    rates = np.logspace(-7, 1, 100)
    assert _steepest_descent(rates, np.linspace(0.5, 0.7, 100), 10, 5) is None
    falling = np.r_[np.full(50, 0.7), np.linspace(0.7, 0.2, 30), np.linspace(0.2, 3.0, 20)]
    assert 50 <= np.searchsorted(rates, _steepest_descent(rates, falling, 10, 5)) < 80  # in the falling part


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"min_lr": 1.0, "max_lr": 0.1}, ValueError, "smaller than max_lr"),
        ({"min_lr": -1.0}, ValueError, "min_lr"),
        ({"num_steps": 1}, ValueError, "num_steps"),
        ({"smoothing": 1.0}, ValueError, "smoothing"),
        ({"divergence_factor": 1.0}, ValueError, "divergence_factor"),
        ({"batch_size": 0}, ValueError, "batch_size"),
    ],
)
def test_bad_arguments(blobs, kwargs, error, message):
    x, y = blobs
    with pytest.raises(error, match=message):
        find_learning_rate(build_sigmoid_net(2), x, y, **kwargs)


def test_bad_models(blobs):
    x, y = blobs
    with pytest.raises(TypeError, match="keras.Model"):
        find_learning_rate("model", x, y)
    uncompiled = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="not compiled"):
        find_learning_rate(uncompiled, x, y)
    scheduled = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.9)
    scheduled.compile(optimizer=keras.optimizers.SGD(schedule), loss="bce")
    with pytest.raises(ValueError, match="schedule"):
        find_learning_rate(scheduled, x, y)
