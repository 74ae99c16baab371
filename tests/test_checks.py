"""Tests of lossacc.checks.check_model: every activation spelling, Sequential and functional, correct models silent."""

import functools

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from lossacc.checks import check_model, resolve_accuracy
from lossacc.diagnose import Finding


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
        ["double_squashing"],
    ),
    "double via Activation layer": (
        lambda: [layers.Dense(1), layers.Activation(tf.nn.sigmoid)], {"loss": BCE_LOGITS, "metrics": []},
        ["double_squashing"],
    ),
    "double Softmax layer": (
        lambda: [layers.Dense(3), layers.Softmax()],
        {"loss": keras.losses.SparseCategoricalCrossentropy(from_logits=True)}, ["double_squashing"],
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
