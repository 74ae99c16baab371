"""Tests of lossacc.watch._monitor: real (small) fit runs that reproduce each finding while training."""

import math
import re

import keras
import numpy as np
import pandas as pd
import pytest
from keras import layers

from lossacc.data import make_two_blobs
from lossacc.diagnosis import FINDING_TEXT, Thresholds
from lossacc.training._fit import seed_everything
from lossacc.training._models import build_sigmoid_net
from lossacc.watch._monitor import FINDING_NAMES, Monitor


@pytest.fixture(scope="module")
def blobs():
    # the data of chapters/low_learning_rate.md
    return make_two_blobs(samples_per_class=200, class0_range=(0.2, 0.4), class1_range=(0.5, 0.7), seed=0)


def stall_model():
    """The low-learning-rate chapter's net: Dense(2, sigmoid) -> Dense(1, sigmoid), RMSprop 1e-3.

    Seed 0: its accuracy stays at 0.5000 for the first epochs (with the current seeded initialisers seed 7,
    the chapter's, starts learning at once).
    """
    seed_everything(0)
    return build_sigmoid_net(num_units=2, optimizer="rmsprop", learning_rate=1e-3, seed=0)


def relu_net(*, loss="binary_crossentropy", output="sigmoid", bias=0.0, learning_rate=0.01, metrics=("accuracy",)):
    seed_everything(0)
    model = keras.Sequential([
        keras.Input((2,)),
        layers.Dense(8, activation="relu", bias_initializer=keras.initializers.Constant(bias)),
        layers.Dense(1, activation=output),
    ])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate), loss=loss, metrics=list(metrics))
    return model


def fit(model, x, y, monitor, *, epochs, batch_size=32, verbose=0, **kwargs):
    return model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=verbose, callbacks=[monitor],
                     shuffle=True, **kwargs)


# --------------------------------------------------------------------------------------------- the puzzles, live
@pytest.mark.slow  # trains Keras models: `make slow`, not `make unit`
def test_low_learning_rate_stall_is_reported_once_at_epoch_5(blobs):
    x, y = blobs
    lines = []
    monitor = Monitor(verbose=lines.append)
    fit(stall_model(), x, y, monitor, epochs=8)
    assert len(lines) == 1, lines  # found at epoch 5, not repeated at 6, 7, 8 while the stall grows
    assert lines[0].startswith("Monitor: epoch 5: epochs 1-5: [accuracy_stall] Accuracy pinned at 0.5000")
    assert "accuracy = 0.5000 at every one of 5 epochs" in lines[0]
    assert "\n" not in lines[0]
    assert [finding.key for finding in monitor.findings] == [("accuracy_stall", None, 1)]
    assert monitor.findings[0].epochs == tuple(range(1, 9))  # the latest, grown form
    assert monitor.messages == lines
    history = monitor.history
    assert list(history.columns) == ["epoch", "loss", "accuracy"]
    assert history["epoch"].tolist() == list(range(1, 9))
    assert (history["accuracy"] == 0.5).all() and history["loss"].is_monotonic_decreasing


@pytest.mark.slow  # trains Keras models: `make slow`, not `make unit`
def test_tracking_adds_the_samples_near_the_threshold_and_the_flips(blobs):
    x, y = blobs
    lines = []
    monitor = Monitor(x, y, track=True, verbose=lines.append)
    fit(stall_model(), x, y, monitor, epochs=5)
    history = monitor.history
    assert list(history.columns) == ["epoch", "loss", "accuracy", "tracked_near_threshold", "tracked_flips"]
    assert history["tracked_near_threshold"].between(0, 1).all()
    assert (history["tracked_flips"] == 0).all()  # the stall: no sample changes side
    assert len(lines) == 1 and "[accuracy_stall]" in lines[0]
    assert re.search(r"\| tracked: \d+ of 400 within 0\.05 of the threshold, 0 changed side this epoch$", lines[0])
    stall = monitor.findings[0]
    assert "Tracked samples at epoch 5" in stall.evidence  # the detectors' own per-sample evidence
    assert "0 changed side during the stall" in stall.evidence


@pytest.mark.slow  # trains Keras models: `make slow`, not `make unit`
def test_tracking_counts_flips_when_the_model_learns(blobs):
    x, y = blobs
    seed_everything(7)
    model = build_sigmoid_net(num_units=2, optimizer="rmsprop", learning_rate=1e-3, seed=7)  # learns at once
    monitor = Monitor(x, y, track=True, verbose=False)
    fit(model, x, y, monitor, epochs=3)
    flips = monitor.history["tracked_flips"]
    assert (flips > 0).all() and flips.dtype == float


def test_a_huge_learning_rate_gives_nonfinite_at_its_epoch_and_stop_on_stops(blobs):
    x, y = blobs
    lines = []
    monitor = Monitor(stop_on="nonfinite", verbose=lines.append)
    fit(relu_net(loss="mse", output=None, learning_rate=10.0, metrics=()), x, y, monitor, epochs=10)
    assert monitor.stopped_epoch == 2
    assert monitor.history["epoch"].tolist() == [1, 2]  # fit stopped after the epoch of the finding
    assert not math.isfinite(monitor.history["loss"].iloc[-1])
    assert lines[0].startswith("Monitor: epoch 2: [nonfinite] Loss or metric became NaN or infinite -- loss = inf")
    assert "e+28 at epoch 1" in lines[0]  # the overflowing value, not 30 digits of it
    assert lines[1] == "Monitor: epoch 2: stopping training ('nonfinite' is in stop_on)."
    assert [finding.name for finding in monitor.findings] == ["nonfinite"]


def test_nonfinite_without_stop_on_is_reported_once_and_training_goes_on(blobs):
    x, y = blobs
    lines = []
    monitor = Monitor(verbose=lines.append)
    fit(relu_net(loss="mse", output=None, learning_rate=10.0, metrics=()), x, y, monitor, epochs=4)
    assert len(monitor.history) == 4 and monitor.stopped_epoch is None
    assert len(lines) == 1 and "[nonfinite]" in lines[0] and lines[0].startswith("Monitor: epoch 2:")
    assert monitor.findings[0].epochs == (2, 3, 4)


def test_a_dead_relu_network_is_not_moving_by_epoch_5(blobs):
    x, y = blobs
    lines = []
    monitor = Monitor(stop_on=("not_moving", "nonfinite"), verbose=lines.append)
    # every ReLU outputs 0 for every input (bias -100): the output is sigmoid(0) = 0.5 for all samples and,
    # full-batch on balanced classes, no gradient reaches anything
    fit(relu_net(bias=-100.0), x, y, monitor, epochs=20, batch_size=len(x))
    assert monitor.stopped_epoch == 5
    assert lines[0].startswith("Monitor: epoch 5: epochs 1-5: [not_moving] Loss and accuracy both pinned")
    assert "loss = 0.6931" in lines[0]
    assert [finding.name for finding in monitor.findings] == ["not_moving"]


@pytest.mark.slow  # trains Keras models: `make slow`, not `make unit`
def test_a_healthy_run_gives_no_finding(blobs):
    x, y = blobs
    seed_everything(7)
    model = build_sigmoid_net(num_units=2, optimizer="adam", learning_rate=0.05, seed=7)
    lines = []
    monitor = Monitor(x[:100], y[:100], verbose=lines.append)
    fit(model, x[100:], y[100:], monitor, epochs=12, validation_data=(x[:100], y[:100]))
    assert lines == [] and monitor.findings == []
    assert monitor.history["val_accuracy"].iloc[-1] > 0.9


def test_the_model_check_runs_before_training(blobs):
    x, y = blobs
    seed_everything(0)
    model = keras.Sequential([keras.Input((2,)), layers.Dense(1)])  # a linear output ...
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])  # ... read as probabilities
    lines = []
    monitor = Monitor(verbose=lines.append)
    fit(model, x, y, monitor, epochs=1)
    assert lines and lines[0].startswith("Monitor: before training: [probabilities_expected]")
    assert monitor.findings[0].name == "probabilities_expected" and monitor.findings[0].epochs == ()

    quiet = []
    fit(model, x, y, Monitor(check=False, verbose=quiet.append), epochs=1)
    assert not any("before training" in line for line in quiet)


@pytest.mark.slow  # trains Keras models: `make slow`, not `make unit`
def test_the_labels_are_checked_against_the_output(blobs):
    x, y = blobs
    lines = []
    fit(stall_model(), x, y, Monitor(x, 2 * y - 1, verbose=lines.append), epochs=1)  # -1/1 labels for a sigmoid
    assert any("[labels_outside_output_range]" in line for line in lines if "before training" in line), lines
    tracked = []
    monitor = Monitor(x, 2 * y - 1, track=True, verbose=tracked.append)
    fit(stall_model(), x, y, monitor, epochs=2)  # training goes on, without the per-sample evidence
    assert tracked[-1] == ("Monitor: epoch 1: per-sample evidence is off: y must hold binary labels 0/1 for a "
                           "one-unit output.")
    assert monitor.history["tracked_flips"].isna().all() and len(monitor.history) == 2


# --------------------------------------------------------------------------------------------- output
@pytest.mark.slow  # trains Keras models: `make slow`, not `make unit`
@pytest.mark.parametrize("fit_verbose", [0, 1, 2])
def test_findings_print_on_their_own_line_whatever_fit_prints(blobs, capsys, fit_verbose):
    x, y = blobs
    monitor = Monitor()  # "auto": print to standard output
    fit(stall_model(), x, y, monitor, epochs=6, verbose=fit_verbose)
    out = capsys.readouterr().out
    lines = out.splitlines()
    ours = [line for line in lines if "[accuracy_stall]" in line]
    assert len(ours) == 1 and ours[0].startswith("Monitor: epoch 5: ")  # a line of its own, not in the bar
    if fit_verbose:
        index = lines.index(ours[0])
        assert lines[index + 1] == "Epoch 6/6"  # after epoch 5's line of Keras, before epoch 6
        assert "accuracy: 0.5000" in lines[index - 1]
    else:
        assert out == ours[0] + "\n"


def test_verbose_false_collects_without_printing(blobs, capsys):
    x, y = blobs
    monitor = Monitor(verbose=False)
    fit(stall_model(), x, y, monitor, epochs=5)
    assert capsys.readouterr().out == ""
    assert len(monitor.messages) == 1 and monitor.findings[0].name == "accuracy_stall"


def test_every_fit_starts_a_new_history(blobs):
    x, y = blobs
    lines = []
    monitor = Monitor(verbose=lines.append)
    model = stall_model()
    fit(model, x, y, monitor, epochs=5)
    fit(model, x, y, monitor, epochs=2)
    assert monitor.history["epoch"].tolist() == [1, 2]
    assert monitor.findings == [] and len(lines) == 1


def test_plot_marks_the_findings(blobs):
    x, y = blobs
    monitor = Monitor(verbose=False)
    fit(stall_model(), x, y, monitor, epochs=6)
    axes = monitor.plot()
    assert len(axes) == 2 and [ax.get_ylabel() for ax in axes] == ["loss", "accuracy"]
    for ax in axes:
        assert len(ax.patches) == 1  # the stall's band, epochs 1-6
        assert ax.patches[0].get_x() == pytest.approx(0.5)
        assert "accuracy_stall" in [text.get_text() for text in ax.get_legend().get_texts()]
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    assert monitor.plot(ax) is ax and ax.get_ylabel() == "loss"


# --------------------------------------------------------------------------------------------- bad input
def test_stop_on_names_are_checked():
    with pytest.raises(ValueError, match=r"unknown finding name 'nan' in stop_on \('nan' is called 'nonfinite'\)"):
        Monitor(stop_on=["nan"])
    with pytest.raises(ValueError, match="valid names: nonfinite, not_moving, accuracy_stall"):
        Monitor(stop_on="exploding")
    with pytest.raises(TypeError, match="finding names"):
        Monitor(stop_on=[1])
    with pytest.raises(TypeError, match="stop_on"):
        Monitor(stop_on=3)
    assert Monitor(stop_on="nonfinite").stop_on == {"nonfinite"}
    assert set(FINDING_NAMES) == set(FINDING_TEXT) == set(Monitor.FINDING_NAMES)


def test_bad_arguments_are_explained(blobs):
    x, y = blobs
    with pytest.raises(ValueError, match="both x_val and y_val"):
        Monitor(x)
    with pytest.raises(ValueError, match="track=True needs"):
        Monitor(track=True)
    with pytest.raises(ValueError, match="y_val must have 400 rows"):
        Monitor(x, y[:10])
    with pytest.raises(TypeError, match="x_val must be a numeric array"):
        Monitor([["a", "b"]], [0])
    with pytest.raises(TypeError, match="track must be True or False"):
        Monitor(x, y, track="yes")
    with pytest.raises(TypeError, match="verbose must be"):
        Monitor(verbose="loud")
    with pytest.raises(TypeError, match="thresholds must be"):
        Monitor(thresholds={"patience": 3})
    with pytest.raises(ValueError, match="val_size must be a whole number"):
        Monitor(val_size=0)
    with pytest.raises(ValueError, match="nothing recorded yet"):
        Monitor().history  # noqa: B018


def test_inputs_are_not_modified(blobs):
    x, y = blobs
    x_copy, y_copy = x.copy(), y.copy()
    fit(stall_model(), x, y, Monitor(x, y, track=True, verbose=False), epochs=1)
    assert np.array_equal(x, x_copy) and np.array_equal(y, y_copy)


def test_thresholds_are_those_of_the_detectors(blobs):
    x, y = blobs
    lines = []
    fit(stall_model(), x, y, Monitor(thresholds=Thresholds(stall_epochs=3), verbose=lines.append), epochs=3)
    assert len(lines) == 1 and lines[0].startswith("Monitor: epoch 3: epochs 1-3: [accuracy_stall]")


def test_train_population_takes_no_callbacks():
    import inspect

    from lossacc.training._population import train_population

    assert "callbacks" not in inspect.signature(train_population).parameters  # as the docstring says
    assert "train_population" in Monitor.__doc__


def test_history_is_a_copy():
    monitor = Monitor(verbose=False)
    monitor._epochs, monitor._logs = [1, 2], {"loss": [0.7, 0.6]}
    frame = monitor.history
    frame.loc[0, "loss"] = 99.0
    assert monitor.history["loss"].tolist() == [0.7, 0.6] and isinstance(frame, pd.DataFrame)


# --------------------------------------------------------------------------------------------- what makes it cheap
def test_the_array_core_of_find_plateaus_gives_the_same_runs():
    from lossacc.analyze._plateaus import _plateau_spans, find_plateaus

    rng = np.random.default_rng(0)
    for _ in range(300):
        values = np.round(rng.normal(0, 0.05, rng.integers(1, 40)).cumsum() * rng.choice([1, 0.1, 0]), 2)
        min_length, tolerance = int(rng.integers(1, 6)), float(rng.choice([1e-9, 0.01, 0.05]))
        table = find_plateaus(values, min_length, epochs=np.arange(len(values)), tolerance=tolerance)
        assert _plateau_spans(values, min_length, tolerance) == [
            (int(s), int(e) + 1) for s, e in zip(table["start"], table["end"])]


def test_detect_reads_a_history_dict_like_its_table():
    from lossacc.analyze._history import history_frame
    from lossacc.diagnosis import detect

    epochs = np.arange(1, 31)
    history = {"val_accuracy": np.where(epochs % 7 == 0, 0.6, 0.9).tolist(), "accuracy": [0.5] * 30,
               "loss": (0.7 - 0.002 * epochs).tolist(), "val_loss": (0.5 + 0.01 * epochs).tolist()}
    history["loss"][20] = math.nan
    fast, table = detect(history, val_size=100), detect(history_frame(history), val_size=100)
    assert [(f.key, f.evidence) for f in fast] == [(f.key, f.evidence) for f in table]
    assert {f.name for f in fast} >= {"accuracy_stall", "validation_dip", "nonfinite"}


@pytest.mark.slow  # trains Keras models: `make slow`, not `make unit`
def test_metrics_logged_every_other_epoch_are_kept_but_not_diagnosed(blobs):
    x, y = blobs
    lines = []
    monitor = Monitor(verbose=lines.append)
    fit(stall_model(), x[100:], y[100:], monitor, epochs=6, validation_data=(x[:100], y[:100]), validation_freq=2)
    history = monitor.history
    assert history["val_loss"].isna().tolist() == [True, False] * 3  # no val_* at odd epochs ...
    assert not any("[nonfinite]" in line for line in lines)  # ... which is not a NaN
    assert [finding.name for finding in monitor.findings] == ["accuracy_stall"]
