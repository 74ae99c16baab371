"""Bad input to the public API gives a ValueError or TypeError that names what was given -- never another exception.

One row per case: the call, the expected exception type and a fragment of the message.
"""

import numpy as np
import pandas as pd
import pytest

import lossacc

GOOD_HISTORY = pd.DataFrame({"epoch": [1, 2, 3], "loss": [0.7, 0.6, 0.5], "accuracy": [0.5, 0.5, 0.9]})
P = np.array([[0.6, 0.4], [0.7, 0.3]])

CASES = [
    # data
    ("make_two_blobs: zero samples", lambda: lossacc.make_two_blobs(0), ValueError, "samples_per_class"),
    ("make_two_blobs: reversed range", lambda: lossacc.make_two_blobs(class0_range=(1, 0)), ValueError, "low < high"),
    ("load_iris_data: shuffle not given", lambda: lossacc.load_iris_data(), TypeError, "shuffle"),
    ("load_mnist_01: missing file", lambda: lossacc.load_mnist_01("/nonexistent/mnist.npz"), FileNotFoundError, "mnist"),
    # models and training
    ("make_optimizer: unknown name", lambda: lossacc.make_optimizer("adagrad"), ValueError, "valid choices"),
    ("make_optimizer: negative rate", lambda: lossacc.make_optimizer("adam", -1.0), ValueError, "learning_rate"),
    ("build_sigmoid_net: zero units", lambda: lossacc.build_sigmoid_net(0), ValueError, "num_units"),
    ("train: not a model", lambda: lossacc.train("model", np.zeros((2, 2)), [0, 1], num_epochs=1), TypeError, "keras.Model"),
    ("train: empty data", lambda: lossacc.train(lossacc.build_sigmoid_net(), np.zeros((0, 2)), [], num_epochs=1), ValueError, "empty"),
    ("train: mismatched labels", lambda: lossacc.train(lossacc.build_sigmoid_net(), np.zeros((3, 2)), [0, 1], num_epochs=1), ValueError, "3 rows"),
    ("history_frame: ragged", lambda: lossacc.history_frame({"loss": [1, 2], "accuracy": [1]}), ValueError, "one value per epoch"),
    ("seed_everything: negative", lambda: lossacc.seed_everything(-3), ValueError, "non-negative"),
    # population
    ("train_population: unknown optimizer", lambda: lossacc.train_population(np.zeros((4, 2)), [0, 1, 0, 1], num_epochs=1, seeds=1, optimizer="adagrad"), ValueError, "adagrad"),
    ("train_population: bad learning rate", lambda: lossacc.train_population(np.zeros((4, 2)), [0, 1, 0, 1], num_epochs=1, seeds=1, learning_rate=0), ValueError, "learning"),
    ("train_population: mismatched rows", lambda: lossacc.train_population(np.zeros((4, 2)), [0, 1], num_epochs=1, seeds=1), ValueError, "4"),
    # tracking
    ("ProbabilityTracker: no data", lambda: lossacc.ProbabilityTracker(), TypeError, "needs the inputs"),
    ("correct_mask: probabilities above 1", lambda: lossacc.correct_mask(P * 2, [1, 0]), ValueError, "[0, 1]"),
    ("correct_mask: wrong label count", lambda: lossacc.correct_mask(P, [1, 0, 1]), ValueError, "one label per tracked sample"),
    ("first_correct_epoch: 1-D", lambda: lossacc.first_correct_epoch(np.array([0.5, 0.2]), [1, 0]), ValueError, "shape"),
    # curves, noise, plateaus
    ("epochs_to_reach: missing column", lambda: lossacc.epochs_to_reach(GOOD_HISTORY, 0.9, column="val_accuracy"), ValueError, "val_accuracy"),
    ("initial_stall: not a frame", lambda: lossacc.initial_stall([0.5]), TypeError, "DataFrame"),
    ("accuracy_standard_error: p above 1", lambda: lossacc.accuracy_standard_error(1.5, 10), ValueError, "1.5"),
    ("accuracy_standard_error: zero samples", lambda: lossacc.accuracy_standard_error(0.5, 0), ValueError, "0"),
    ("find_dips: missing column", lambda: lossacc.find_dips(GOOD_HISTORY), ValueError, "val_accuracy"),
    ("find_plateaus: too short", lambda: lossacc.find_plateaus([0.5, 0.5], min_length=0), ValueError, "min_length"),
    # logs and diagnosis
    ("read_keras_log: no epochs", lambda: lossacc.read_keras_log("hello"), ValueError, "expected"),
    ("read_keras_log: not text", lambda: lossacc.read_keras_log(42), TypeError, "int"),
    ("render_keras_log: unknown style", lambda: lossacc.render_keras_log(GOOD_HISTORY, style="keras4"), ValueError, "keras4"),
    ("diagnose: not a history", lambda: lossacc.diagnose(42), TypeError, "int"),
    ("check_model: not a model", lambda: lossacc.check_model("model"), TypeError, "str"),
    ("find_learning_rate: not a model", lambda: lossacc.find_learning_rate("model", np.zeros((4, 2)), [0, 1, 0, 1]), TypeError, "str"),
    # plots
    ("plot_history: missing metric", lambda: lossacc.plot_history(GOOD_HISTORY, ["acc"]), ValueError, "available columns"),
    ("plot_probability_distribution: unknown kind", lambda: lossacc.plot_probability_distribution(P, kind="box"), ValueError, "valid choices"),
    ("plot_trajectories: probabilities outside [0, 1]", lambda: lossacc.plot_trajectories(-P, [1, 0]), ValueError, "[0, 1]"),
    ("plot_runs: unknown estimator", lambda: lossacc.plot_runs(GOOD_HISTORY.assign(run=1), estimator="mean"), ValueError, "estimator"),
]


@pytest.mark.parametrize(("call", "error", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_gives_a_clear_error(call, error, fragment):
    with pytest.raises(error) as caught:
        call()
    assert fragment.lower() in str(caught.value).lower(), str(caught.value)


def test_public_functions_do_not_modify_their_input():
    history = GOOD_HISTORY.copy()
    probabilities = P.copy()
    lossacc.diagnose(history)
    lossacc.plot_history(history)
    lossacc.correct_mask(probabilities, [1, 0])
    lossacc.find_plateaus(history["accuracy"], min_length=2)
    pd.testing.assert_frame_equal(history, GOOD_HISTORY)
    np.testing.assert_array_equal(probabilities, P)
