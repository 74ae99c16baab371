"""Tests of check_model (lossacc.diagnosis._checks): every activation spelling, correct models silent."""

import functools

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from lossacc.diagnosis import Finding
from lossacc.diagnosis._checks import check_model, resolve_accuracy


def sequential(*output_layers, loss="binary_crossentropy", metrics=("accuracy",), with_input=True):
    model = keras.Sequential(
        ([keras.Input((2,))] if with_input else []) + [layers.Dense(4, activation="relu"), *output_layers]
    )
    model.compile(optimizer="sgd", loss=loss, metrics=list(metrics))
    return model


def functional(*output_layers, loss="binary_crossentropy", metrics=("accuracy",)):
    inputs = keras.Input((2,))
    tensor = layers.Dense(4, activation="relu")(inputs)
    for layer in output_layers:
        tensor = layer(tensor)
    model = keras.Model(inputs, tensor)
    model.compile(optimizer="sgd", loss=loss, metrics=list(metrics))
    return model


BCE_LOGITS = keras.losses.BinaryCrossentropy(from_logits=True)
LOGIT_ACCURACY = keras.metrics.BinaryAccuracy(threshold=0.0)

CASES = {
    # correct models: silent
    "sigmoid string": (lambda: [layers.Dense(1, activation="sigmoid")], {}, []),
    "sigmoid keras function": (lambda: [layers.Dense(1, activation=keras.activations.sigmoid)], {}, []),
    "sigmoid tf function": (lambda: [layers.Dense(1, activation=tf.nn.sigmoid)], {}, []),
    "sigmoid ops function": (lambda: [layers.Dense(1, activation=keras.ops.sigmoid)], {}, []),
    "linear + Activation layer": (lambda: [layers.Dense(1), layers.Activation("sigmoid")], {}, []),
    "Activation layer + Dropout": (
        lambda: [layers.Dense(1), layers.Activation("sigmoid"), layers.Dropout(0.1)], {}, [],
    ),
    "sigmoid, loss function": (
        lambda: [layers.Dense(1, activation="sigmoid")], {"loss": keras.losses.binary_crossentropy}, [],
    ),
    "sigmoid, loss object": (
        lambda: [layers.Dense(1, activation="sigmoid")], {"loss": keras.losses.BinaryCrossentropy()}, [],
    ),
    "logits done right": (lambda: [layers.Dense(1)], {"loss": BCE_LOGITS, "metrics": [LOGIT_ACCURACY]}, []),
    "softmax sparse": (
        lambda: [layers.Dense(3, activation="softmax")], {"loss": "sparse_categorical_crossentropy"}, [],
    ),
    "Softmax layer": (
        lambda: [layers.Dense(3), layers.Softmax()], {"loss": keras.losses.CategoricalCrossentropy()}, [],
    ),
    "softmax tf function": (
        lambda: [layers.Dense(3, activation=tf.nn.softmax)], {"loss": "categorical_crossentropy"}, [],
    ),
    "3 logits sparse": (
        lambda: [layers.Dense(3)], {"loss": keras.losses.SparseCategoricalCrossentropy(from_logits=True)}, [],
    ),
    "regression": (lambda: [layers.Dense(1)], {"loss": "mse", "metrics": ["mae"]}, []),
    # mistakes
    "linear, bce string": (lambda: [layers.Dense(1)], {}, ["probabilities_expected"]),
    "linear None, bce object": (
        lambda: [layers.Dense(1, activation=None)], {"loss": keras.losses.BinaryCrossentropy()},
        ["probabilities_expected"],
    ),
    "relu output, cce": (
        lambda: [layers.Dense(3, activation="relu")], {"loss": "categorical_crossentropy"}, ["probabilities_expected"],
    ),
    "ReLU layer, bce": (lambda: [layers.Dense(1), layers.ReLU()], {}, ["probabilities_expected"]),
    "Activation(linear) layer": (
        lambda: [layers.Dense(1), layers.Activation("linear")], {}, ["probabilities_expected"],
    ),
    "double sigmoid": (
        lambda: [layers.Dense(1, activation="sigmoid")], {"loss": BCE_LOGITS, "metrics": [LOGIT_ACCURACY]},
        ["from_logits_after_activation"],
    ),
    "double via Activation layer": (
        lambda: [layers.Dense(1), layers.Activation(tf.nn.sigmoid)], {"loss": BCE_LOGITS, "metrics": []},
        ["from_logits_after_activation"],
    ),
    "double Softmax layer": (
        lambda: [layers.Dense(3), layers.Softmax()],
        {"loss": keras.losses.SparseCategoricalCrossentropy(from_logits=True)}, ["from_logits_after_activation"],
    ),
    "softmax on one unit": (lambda: [layers.Dense(1, activation="softmax")], {}, ["softmax_single_unit"]),
    "sigmoid one unit, cce": (
        lambda: [layers.Dense(1, activation="sigmoid")], {"loss": "categorical_crossentropy"},
        ["categorical_loss_single_unit"],
    ),
    "accuracy on logits": (lambda: [layers.Dense(1)], {"loss": BCE_LOGITS}, ["accuracy_threshold_on_logits"]),
    "BinaryAccuracy() on logits": (
        lambda: [layers.Dense(1)], {"loss": BCE_LOGITS, "metrics": [keras.metrics.BinaryAccuracy()]},
        ["accuracy_threshold_on_logits"],
    ),
    "partial loss with logits": (
        lambda: [layers.Dense(1)],
        {"loss": functools.partial(keras.losses.binary_crossentropy, from_logits=True), "metrics": ["acc"]},
        ["accuracy_threshold_on_logits"],
    ),
    "multi-label accuracy": (
        lambda: [layers.Dense(3, activation="sigmoid")], {}, ["accuracy_resolves_to_categorical"],
    ),
}


@pytest.mark.parametrize("build", [sequential, functional], ids=["sequential", "functional"])
@pytest.mark.parametrize("case", list(CASES))
def test_check_model_cases(case, build):
    make_layers, compile_kwargs, expected = CASES[case]
    findings = check_model(build(*make_layers(), **compile_kwargs))
    assert [finding.name for finding in findings] == expected
    for finding in findings:
        assert isinstance(finding, Finding)
        assert finding.run is None and finding.epochs == ()
        assert finding.chapter in ("linear_output", "primer")
        assert finding.evidence and finding.explanation and finding.action


def test_unbuilt_sequential_is_checked_from_its_layers():
    assert check_model(sequential(layers.Dense(1, activation="sigmoid"), with_input=False)) == []
    (finding,) = check_model(sequential(layers.Dense(1), with_input=False))
    assert finding.name == "probabilities_expected"
    assert "'linear'" in finding.evidence


def test_nested_model_and_multi_output_model():
    head = keras.Sequential([layers.Dense(1)])
    model = keras.Sequential([keras.Input((2,)), head])
    model.compile(optimizer="sgd", loss="bce")
    assert [f.name for f in check_model(model)] == ["probabilities_expected"]

    inputs = keras.Input((2,))
    good = layers.Dense(1, activation="sigmoid", name="good")(inputs)
    bad = layers.Dense(1, name="bad")(inputs)
    model = keras.Model(inputs, {"good": good, "bad": bad})
    model.compile(
        optimizer="sgd", loss={"good": "bce", "bad": BCE_LOGITS}, metrics={"good": ["accuracy"], "bad": ["accuracy"]}
    )
    (finding,) = check_model(model)
    assert finding.name == "accuracy_threshold_on_logits"
    assert "output 'bad'" in finding.evidence


def test_accuracy_trap_is_real_on_this_keras():
    """'accuracy' with BinaryCrossentropy(from_logits=True) thresholds logits at 0.5: reports 0.5, truth is 1.0."""
    model = keras.Sequential([keras.Input((1,)), layers.Dense(1, kernel_initializer="ones", bias_initializer="zeros")])
    model.compile(optimizer="sgd", loss=BCE_LOGITS, metrics=["accuracy", LOGIT_ACCURACY])
    logits = np.array([[0.3], [0.3], [-0.3], [-0.3]], dtype="float32")
    labels = np.array([1, 1, 0, 0], dtype="float32")
    results = model.evaluate(logits, labels, verbose=0, return_dict=True)
    assert results["accuracy"] == pytest.approx(0.5)
    assert results["binary_accuracy"] == pytest.approx(1.0)
    # flagged even next to the right metric: the logged "accuracy" column is still wrong
    (finding,) = check_model(model)
    assert finding.name == "accuracy_threshold_on_logits"
    assert "BinaryAccuracy(threshold=0.0)" in finding.action
    model.compile(optimizer="sgd", loss=BCE_LOGITS, metrics=[LOGIT_ACCURACY])
    assert check_model(model) == []


def test_multi_label_accuracy_really_resolves_to_categorical():
    model = keras.Sequential([keras.Input((2,)), layers.Dense(3, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    model.evaluate(np.zeros((4, 2), "float32"), np.ones((4, 3), "float32"), verbose=0)
    (metric,) = [m for metrics in model._compile_metrics._flat_metrics for m in metrics.metrics]
    assert type(metric).__name__ == resolve_accuracy(3, sparse_labels=False) == "CategoricalAccuracy"
    assert resolve_accuracy(1) == "BinaryAccuracy(threshold=0.5)"
    assert resolve_accuracy(3, sparse_labels=True) == "SparseCategoricalAccuracy"


def test_model_without_loss_or_with_unknown_activation_is_silent():
    model = keras.Sequential([keras.Input((2,)), layers.Dense(1, activation=lambda z: z)])
    model.compile(optimizer="sgd", loss="bce")
    assert check_model(model) == []
    model.compile(optimizer="sgd")
    assert check_model(model) == []


def test_bad_input():
    with pytest.raises(TypeError, match="keras.Model"):
        check_model("model")
    model = keras.Sequential([keras.Input((2,)), layers.Dense(1)])
    with pytest.raises(ValueError, match="not compiled"):
        check_model(model)


# ---------------------------------------------------------------------------------------------
# Real models (tests/data/models/real_models.py): provenance in each builder's docstring

import importlib.util  # noqa: E402
import pathlib  # noqa: E402
import sys  # noqa: E402
import warnings  # noqa: E402

_REAL_PATH = pathlib.Path(__file__).parent / "data" / "models" / "real_models.py"
_spec = importlib.util.spec_from_file_location("lossacc_real_models", _REAL_PATH)
real_models = importlib.util.module_from_spec(_spec)
sys.modules["lossacc_real_models"] = real_models
_spec.loader.exec_module(real_models)
FAULTS = [name for name, (expected, _, _) in real_models.CASES.items() if expected]
CORRECT = [name for name, (expected, _, _) in real_models.CASES.items() if not expected]


def _names(model, **data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {finding.name for finding in check_model(model, **data)}


@pytest.mark.parametrize("name", FAULTS)
def test_real_fault_is_named(name):
    expected, needs_data, _ = real_models.CASES[name]
    assert real_models.BUILDERS[name].__doc__.strip().split()[0].startswith("http")
    model, x, y = real_models.BUILDERS[name]()
    without_data = _names(model)
    if needs_data:
        assert not without_data & expected
    else:
        assert without_data & expected
    if y is not None:
        assert _names(model, x=x, y=y) & expected


@pytest.mark.parametrize("name", CORRECT)
def test_real_correct_model_is_silent(name):
    model, x, y = real_models.BUILDERS[name]()
    assert _names(model) == set()
    if y is not None:
        assert _names(model, x=x, y=y) == set()


def test_real_benchmark_size():
    assert len(FAULTS) >= 20 and len(CORRECT) >= 10


# ---------------------------------------------------------------------------------------------
# The new rules and their known false positives


def _model(head, loss, metrics=("accuracy",), inputs=2):
    model = keras.Sequential([keras.Input((inputs,)), layers.Dense(4, activation="relu"), *head])
    model.compile(optimizer="sgd", loss=loss, metrics=list(metrics))
    return model


@pytest.mark.parametrize("loss", ["categorical_crossentropy", "sparse_categorical_crossentropy",
                                  keras.losses.CategoricalCrossentropy(from_logits=True)])
def test_sigmoid_with_categorical_loss(loss):
    (finding,) = check_model(_model([layers.Dense(3, activation="sigmoid")], loss))
    assert finding.name == "sigmoid_with_categorical_loss"
    assert "softmax" in finding.action


def test_sigmoid_categorical_loss_is_softmax_of_logits_on_tensorflow():
    """The fact the message states: TF computes softmax cross-entropy of the pre-sigmoid logits."""
    inputs = np.array([[0.5, -1.0], [2.0, 0.3]], "float32")
    labels = np.array([0, 2])
    kernel = np.array([[1.0, -2.0, 0.5], [0.3, 1.0, -1.5]], "float32")
    values = []
    for activation, loss in [("sigmoid", keras.losses.SparseCategoricalCrossentropy()),
                             (None, keras.losses.SparseCategoricalCrossentropy(from_logits=True))]:
        layer = layers.Dense(3, activation=activation)
        model = keras.Sequential([keras.Input((2,)), layer])
        layer.set_weights([kernel, np.zeros(3, "float32")])
        values.append(float(loss(labels, model(inputs))))
    assert values[0] == pytest.approx(values[1], rel=1e-5)
    probabilities = 1 / (1 + np.exp(-(inputs @ kernel)))  # what JAX/torch would normalise instead
    normalised = probabilities / probabilities.sum(axis=1, keepdims=True)
    assert values[0] != pytest.approx(float(-np.log(normalised[[0, 1], labels]).mean()), rel=1e-3)


def test_regression_loss_on_classifier_and_its_false_positives():
    (finding,) = check_model(_model([layers.Dense(3, activation="softmax")], "mse"))
    assert finding.name == "regression_loss_on_classifier"
    (finding,) = check_model(_model([layers.Dense(1, activation="sigmoid")], keras.losses.MeanAbsoluteError()))
    assert finding.name == "regression_loss_on_classifier"
    # sigmoid + MSE without accuracy: an autoencoder or a [0, 1] regression -- silent, also with targets in [0, 1]
    autoencoder = _model([layers.Dense(2, activation="sigmoid")], "mse", metrics=())
    assert check_model(autoencoder) == []
    assert check_model(autoencoder, y=np.array([[0.2, 0.7], [0.5, 0.1]])) == []
    # ... but with 0/1 labels it is a classifier
    assert [f.name for f in check_model(autoencoder, y=np.array([[0, 1], [1, 0]]))] == ["regression_loss_on_classifier"]


def test_accuracy_on_regression_and_its_false_positives():
    for head in ([layers.Dense(1)], [layers.Dense(1, activation="relu")]):
        assert [f.name for f in check_model(_model(head, "mse"))] == ["accuracy_on_regression"]
    assert check_model(_model([layers.Dense(1)], "mse", metrics=("mae",))) == []
    assert check_model(_model([layers.Dense(1)], "huber", metrics=())) == []


def test_binary_loss_on_softmax_asks_multilabel_and_keeps_argmax_accuracy():
    (finding,) = check_model(_model([layers.Dense(4, activation="softmax")], "binary_crossentropy"))
    assert finding.name == "binary_loss_on_softmax"
    assert "multi-label" in finding.title
    assert "BinaryAccuracy" not in finding.action
    assert "categorical_crossentropy" in finding.action


def test_accuracy_resolves_to_categorical_decided_by_labels():
    model = _model([layers.Dense(3, activation="sigmoid")], "binary_crossentropy")
    (finding,) = check_model(model)
    assert finding.name == "accuracy_resolves_to_categorical" and "Single-label" in finding.action
    one_hot = np.eye(3, dtype="float32")[[0, 1, 2, 1]]
    (finding,) = check_model(model, y=one_hot)
    assert finding.name == "binary_loss_single_label"
    assert "softmax" in finding.action and "BinaryAccuracy" not in finding.action
    multi_hot = np.array([[1, 1, 0], [0, 0, 0], [1, 0, 1]], "float32")
    assert [f.name for f in check_model(model, y=multi_hot)] == ["accuracy_resolves_to_categorical"]


class SoftmaxLogitsLoss(keras.losses.Loss):
    def call(self, y_true, y_pred):
        return keras.losses.categorical_crossentropy(y_true, y_pred, from_logits=True)


class PlainLoss(keras.losses.Loss):
    def call(self, y_true, y_pred):
        return keras.losses.categorical_crossentropy(y_true, y_pred)


def test_custom_loss_is_seen_through_by_a_forward_pass():
    (finding,) = check_model(_model([layers.Dense(3, activation="softmax")], SoftmaxLogitsLoss(), metrics=()))
    assert finding.name == "from_logits_after_activation"
    assert "received `from_logits=True`" in finding.evidence and "SoftmaxLogitsLoss" in finding.evidence
    assert check_model(_model([layers.Dense(3, activation="softmax")], PlainLoss(), metrics=())) == []
    assert check_model(_model([layers.Dense(3)], SoftmaxLogitsLoss(), metrics=())) == []

    def broken(y_true, y_pred):
        raise RuntimeError("user bug")

    assert check_model(_model([layers.Dense(3, activation="softmax")], broken, metrics=())) == []


def test_from_logits_after_sigmoid_message_matches_the_tensorflow_backend():
    """Verified fact: on TF, Dense(sigmoid) + BCE(from_logits=True) gives the loss of a linear output + from_logits."""
    inputs = np.array([[0.5, -1.0], [2.0, 0.3], [-0.4, 0.1]], "float32")
    labels = np.array([1, 0, 1], "float32")
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    values = []
    for activation in ("sigmoid", None):
        model = keras.Sequential([keras.Input((2,)), layers.Dense(1, activation=activation, kernel_initializer="ones")])
        model.compile(loss=bce)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            values.append(model.evaluate(inputs, labels, verbose=0))
        assert any("received `from_logits=True`" in str(w.message) for w in caught) == (activation == "sigmoid")
    assert values[0] == pytest.approx(values[1], rel=1e-6)
    (finding,) = check_model(_model([layers.Dense(1, activation="sigmoid")], bce, metrics=()))
    assert finding.name == "from_logits_after_activation"
    assert "squashed twice" not in finding.title
    for fact in ("_get_logits", "_keras_logits", "JAX", "PyTorch", "Dropout", keras.backend.backend()):
        assert fact in finding.explanation


# ---------------------------------------------------------------------------------------------
# Data checks


def test_label_checks():
    softmax3 = _model([layers.Dense(3, activation="softmax")], "sparse_categorical_crossentropy")
    assert check_model(softmax3, y=np.array([0, 1, 2, 2])) == []
    assert check_model(softmax3, y=np.array([[0], [2]])) == []
    (finding,) = check_model(softmax3, y=np.array([1, 2, 3]))
    assert finding.name == "labels_out_of_range" and "y - 1" in finding.action
    (finding,) = check_model(softmax3, y=np.array([0.5, 1.2]))
    assert finding.name == "labels_out_of_range"
    (finding,) = check_model(softmax3, y=np.eye(3)[[0, 1]])
    assert finding.name == "label_format_mismatch"
    categorical = _model([layers.Dense(3, activation="softmax")], "categorical_crossentropy")
    assert [f.name for f in check_model(categorical, y=np.array([0, 1, 2]))] == ["label_format_mismatch"]
    assert [f.name for f in check_model(categorical, y=np.eye(4)[[0, 1]])] == ["class_count_mismatch"]
    sigmoid1 = _model([layers.Dense(1, activation="sigmoid")], "binary_crossentropy")
    assert check_model(sigmoid1, y=np.array([0, 1, 1])) == []
    assert check_model(sigmoid1, y=np.array([True, False])) == []
    (finding,) = check_model(sigmoid1, y=np.array([0, 1, 2]))
    assert finding.name == "labels_outside_output_range" and "Dense(3, activation='softmax')" in finding.action
    relu = _model([layers.Dense(1, activation="relu")], "mse", metrics=())
    assert [f.name for f in check_model(relu, y=np.array([-2.0, 3.0]))] == ["labels_outside_output_range"]
    assert check_model(relu, y=np.array([2.0, 3.0])) == []


def test_initial_loss_check_and_its_false_positive():
    keras.utils.set_random_seed(0)
    model = _model([layers.Dense(4, activation="softmax")], "sparse_categorical_crossentropy", inputs=8)
    labels = np.arange(16) % 4
    scaled = np.random.default_rng(0).normal(size=(16, 8)).astype("float32")
    assert check_model(model, x=scaled, y=labels) == []
    (finding,) = check_model(model, x=scaled * 1000, y=labels)
    assert finding.name == "initial_loss_high" and "ln 4" in finding.evidence


def test_nothing_passed_in_is_modified():
    model = _model([layers.Dense(3, activation="softmax")], "sparse_categorical_crossentropy")
    weights = [w.copy() for w in model.get_weights()]
    x = np.ones((4, 2), "float32")
    y = np.array([0, 1, 2, 1])
    x_copy, y_copy = x.copy(), y.copy()
    check_model(model, x=x, y=y)
    assert np.array_equal(x, x_copy) and np.array_equal(y, y_copy)
    assert all(np.array_equal(a, b) for a, b in zip(weights, model.get_weights()))


def test_bad_data_input():
    model = _model([layers.Dense(1, activation="sigmoid")], "binary_crossentropy")
    with pytest.raises(ValueError, match="x was given without y"):
        check_model(model, x=np.ones((2, 2)))
    with pytest.raises(TypeError, match="numeric array"):
        check_model(model, y=np.array(["cat", "dog"]))
    with pytest.raises(TypeError, match="numeric array"):
        check_model(model, x=np.array([["a", "b"]]), y=np.array([1]))
    with pytest.raises(ValueError, match="at least one label"):
        check_model(model, y=np.array([]))
    with pytest.raises(ValueError, match="finite"):
        check_model(model, y=np.array([0.0, np.nan]))
    with pytest.raises(ValueError, match="same number of samples"):
        check_model(model, x=np.ones((3, 2)), y=np.array([0, 1]))
    inputs = keras.Input((2,))
    two = keras.Model(inputs, {"a": layers.Dense(1, activation="sigmoid", name="a")(inputs),
                               "b": layers.Dense(1, activation="sigmoid", name="b")(inputs)})
    two.compile(optimizer="sgd", loss="bce")
    with pytest.raises(ValueError, match="2 outputs"):
        check_model(two, y=np.array([0, 1]))


def test_unbuilt_model_is_not_built_by_the_data_checks():
    model = keras.Sequential([layers.Dense(4, activation="relu"), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    assert check_model(model, x=np.ones((3, 2), "float32"), y=np.array([0, 1, 2])) == []
    assert not model.built


def test_builtin_losses_are_not_probed_as_custom():
    from lossacc.diagnosis._checks import _describe_loss

    for loss in (keras.losses.Hinge(), "hinge", keras.losses.binary_crossentropy, keras.losses.KLDivergence()):
        assert not _describe_loss(loss).custom
    for loss in (PlainLoss(), SoftmaxLogitsLoss(), lambda t, p: p):
        assert _describe_loss(loss).custom


def test_from_logits_message_notes_layers_between_activation_and_output():
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    (direct,) = check_model(_model([layers.Dense(1, activation="sigmoid")], bce, metrics=()))
    (through,) = check_model(_model([layers.Dense(1, activation="sigmoid"), layers.Dropout(0.2)], bce, metrics=()))
    assert direct.name == through.name == "from_logits_after_activation"
    assert "sit between" not in direct.explanation and "sit between" in through.explanation


# ---------------------------------------------------------------------------------------------
# Session 3: rules added after the held-out measurement (tests/data/models/real_models.py, "Held out, session 3")


def test_accuracy_on_regression_with_several_units():
    # DeepLocalize / Stack Overflow 48385830: Dense(10) without activation, MSE, 'accuracy', one-hot labels
    (finding,) = check_model(_model([layers.Dense(3)], "mse"))
    assert finding.name == "accuracy_on_regression" and "3-unit" in finding.title
    assert "softmax" in finding.action and "categorical_crossentropy" in finding.action
    (finding,) = check_model(_model([layers.Dense(3, activation="relu")], "mse", ("categorical_accuracy",)))
    assert finding.name == "accuracy_on_regression"
    # silent without an accuracy metric (a multi-output regression), and other rules keep squashed outputs
    assert check_model(_model([layers.Dense(3)], "mse", ("mae",))) == []
    assert check_model(_model([layers.Dense(3)], "mse", ())) == []
    assert [f.name for f in check_model(_model([layers.Dense(3, activation="softmax")], "mse"))] == [
        "regression_loss_on_classifier"]
    assert [f.name for f in check_model(_model([layers.Dense(3, activation="sigmoid")], "mse"))] == [
        "regression_loss_on_classifier"]


@pytest.mark.parametrize("head, loss", [
    ([layers.Dense(1, activation="sigmoid")], "binary_crossentropy"),
    ([layers.Dense(4, activation="softmax")], "sparse_categorical_crossentropy"),
    ([layers.Dense(1)], "mse"),
])
def test_exact_match_accuracy(head, loss):
    # keras-team/keras 18393, 18796: keras.metrics.Accuracy() compares values exactly
    model = _model(head, loss, (keras.metrics.Accuracy(),))
    names = [f.name for f in check_model(model)]
    assert names == ["exact_match_accuracy"]
    predictions = np.array([[0.9], [0.2]], "float32")
    metric = keras.metrics.Accuracy()
    metric.update_state(np.array([[1.0], [0.0]]), predictions)
    assert float(metric.result()) == 0.0  # both right by threshold, none equal


def test_exact_match_accuracy_not_for_the_resolved_metrics():
    for metrics in (("accuracy",), (keras.metrics.BinaryAccuracy(),), ("binary_accuracy",)):
        assert check_model(_model([layers.Dense(1, activation="sigmoid")], "binary_crossentropy", metrics)) == []
    for metrics in ((keras.metrics.SparseCategoricalAccuracy(),), (keras.metrics.CategoricalAccuracy(),)):
        model = _model([layers.Dense(3, activation="softmax")], "sparse_categorical_crossentropy", metrics)
        assert check_model(model) == []


def test_multi_label_categorical_loss():
    # keras-team/keras 741: multi-label targets (1 0 1 0 ...) with a softmax and categorical cross-entropy
    model = _model([layers.Dense(4, activation="softmax")], "categorical_crossentropy")
    multi_hot = np.array([[1, 0, 1, 0], [0, 1, 0, 0], [1, 1, 1, 0]], "float32")
    assert check_model(model) == []
    (finding,) = check_model(model, y=multi_hot)
    assert finding.name == "multi_label_categorical_loss"
    assert "2 of 3 label rows" in finding.explanation and "3 ln 3" in finding.explanation
    assert "sigmoid" in finding.action and "binary_crossentropy" in finding.action
    # one-hot rows, soft labels (label smoothing, mixup) and all-zero rows: silent
    assert check_model(model, y=np.eye(4, dtype="float32")[[0, 1, 3]]) == []
    smoothed = np.full((3, 4), 0.025, "float32") + 0.9 * np.eye(4, dtype="float32")[[0, 1, 3]]
    assert check_model(model, y=smoothed) == []
    assert check_model(model, y=np.array([[0.5, 0.5, 0, 0], [0, 0, 1, 0]], "float32")) == []
    # logits with from_logits=True: the same loss, the same finding
    logits = _model([layers.Dense(4)], keras.losses.CategoricalCrossentropy(from_logits=True), ())
    assert [f.name for f in check_model(logits, y=multi_hot)] == ["multi_label_categorical_loss"]


def test_held_out_out_of_scope_models_raise_only_allowed_findings():
    for name, allowed in real_models.OUT_OF_SCOPE.items():
        model, x, y = real_models.BUILDERS[name]()
        found = _names(model) | (_names(model, x=x, y=y) if y is not None else set())
        assert found <= allowed, (name, found)


def test_held_out_set_size():
    held_out = real_models.HELD_OUT
    faults = [n for n in held_out if n in real_models.CASES and real_models.CASES[n][0]]
    correct = [n for n in held_out if n in real_models.CASES and not real_models.CASES[n][0]]
    assert len(faults) >= 12 and len(correct) >= 4 and len(real_models.OUT_OF_SCOPE) >= 3
