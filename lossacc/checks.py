"""Check a compiled model's contract between output activation, loss and accuracy -- without training.

:func:`lossacc.check_model` reads what ``compile`` was given (``model.loss``, the metrics) and what the
output layers compute, and flags the combinations the linear-output chapter is about: probabilities
expected but logits given (or the reverse), a softmax over one unit, a categorical loss on one unit,
and the ways the metric ``"accuracy"`` can measure something else than the reader thinks.

How Keras 3 resolves ``"accuracy"`` (``keras/src/trainers/compile_utils.py``, ``get_metric``): not
from the loss but from the shapes -- a one-unit output gives ``BinaryAccuracy(threshold=0.5)``;
several units give ``SparseCategoricalAccuracy`` when the labels are class indices and
``CategoricalAccuracy`` (argmax) when they have the output's shape. :func:`lossacc.resolve_accuracy` mirrors
that rule.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import keras
from keras import layers

from lossacc.diagnose import Finding

__all__ = ["check_model", "resolve_accuracy"]

_PROBABILITY_ACTIVATIONS = {"sigmoid", "softmax", "hard_sigmoid"}
# Layers that only reshape or perturb their input: look through them to the layer that computed it.
_PASS_THROUGH = tuple(
    getattr(layers, name)
    for name in (
        "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "AlphaDropout", "GaussianDropout",
        "GaussianNoise", "Flatten", "Reshape", "Permute", "ActivityRegularization", "Identity",
    )
    if hasattr(layers, name)
)
_ACTIVATION_LAYERS = {
    "ReLU": "relu", "LeakyReLU": "leaky_relu", "PReLU": "prelu", "ELU": "elu", "ThresholdedReLU": "relu",
}
_LOSS_NAMES = {
    "binary_crossentropy": "binary", "bce": "binary", "binarycrossentropy": "binary",
    "binary_focal_crossentropy": "binary", "binaryfocalcrossentropy": "binary",
    "sigmoid_cross_entropy_with_logits": "binary",
    "categorical_crossentropy": "categorical", "cce": "categorical", "categoricalcrossentropy": "categorical",
    "categorical_focal_crossentropy": "categorical", "categoricalfocalcrossentropy": "categorical",
    "softmax_cross_entropy_with_logits": "categorical", "softmax_cross_entropy_with_logits_v2": "categorical",
    "sparse_categorical_crossentropy": "sparse_categorical", "sparsecategoricalcrossentropy": "sparse_categorical",
    "sparse_softmax_cross_entropy_with_logits": "sparse_categorical",
    "crossentropy": "auto", "ce": "auto",
}
_LOGITS_FUNCTIONS = {
    "sigmoid_cross_entropy_with_logits", "softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits_v2",
    "sparse_softmax_cross_entropy_with_logits",
}
_LOSS_LABELS = {
    "binary": "binary cross-entropy", "categorical": "categorical cross-entropy",
    "sparse_categorical": "sparse categorical cross-entropy",
}


@dataclass(frozen=True)
class _Output:
    name: str
    units: int | None
    activation: str | None  # None: could not tell
    where: str  # the layer that applies it, for the messages


@dataclass(frozen=True)
class _Loss:
    kind: str  # "binary", "categorical", "sparse_categorical", "auto", "other"
    from_logits: bool
    text: str  # how the user spelled it


# ---------------------------------------------------------------------------------------------
# What the outputs compute


def _function_name(function: Any) -> str | None:
    if isinstance(function, functools.partial):
        function = function.func
    name = getattr(function, "__name__", None)
    if name is None or name == "<lambda>":
        return None
    name = name.lower()
    return {"softmax_v2": "softmax", "identity": "linear"}.get(name, name)


def _layer_activation(layer: Any) -> tuple[str | None, bool]:
    """``(activation name, final)``; ``final=False`` means "look at this layer's input instead"."""
    if isinstance(layer, layers.Softmax):
        return "softmax", True
    if isinstance(layer, layers.Activation):
        return _function_name(layer.activation), True
    for class_name, activation in _ACTIVATION_LAYERS.items():
        if type(layer).__name__ == class_name:
            return activation, True
    if isinstance(layer, _PASS_THROUGH) or isinstance(layer, layers.InputLayer):
        return None, False
    if callable(getattr(layer, "activation", None)):
        return _function_name(layer.activation), True
    return None, True


def _trace_tensor(tensor: Any, depth: int = 0) -> tuple[str | None, str]:
    """Follow a symbolic output back through pass-through layers to the layer that sets its activation."""
    history = getattr(tensor, "_keras_history", None)
    if history is None or depth > 50:
        return None, "?"
    layer = history.operation
    if isinstance(layer, keras.Model):
        try:
            inner = layer.outputs[history.tensor_index if len(layer.outputs) > history.tensor_index else 0]
            return _trace_tensor(inner, depth + 1)
        except (AttributeError, ValueError, IndexError):
            return _trace_layers(list(layer.layers), depth + 1)
    activation, final = _layer_activation(layer)
    if final:
        return activation, f"{type(layer).__name__} {layer.name!r}"
    try:
        node = layer._inbound_nodes[history.node_index]
        inputs = list(node.input_tensors)
    except (AttributeError, IndexError):
        return None, f"{type(layer).__name__} {layer.name!r}"
    if len(inputs) != 1:
        return None, f"{type(layer).__name__} {layer.name!r}"
    return _trace_tensor(inputs[0], depth + 1)


def _trace_layers(layer_list: list[Any], depth: int = 0) -> tuple[str | None, str]:
    """The same walk on a (possibly unbuilt) Sequential's layer list, from the last layer back."""
    for layer in reversed(layer_list):
        if isinstance(layer, keras.Model) and depth < 50:
            return _trace_layers(list(layer.layers), depth + 1)
        activation, final = _layer_activation(layer)
        if final:
            return activation, f"{type(layer).__name__} {layer.name!r}"
    return None, "?"


def _last_units(layer_list: list[Any]) -> int | None:
    for layer in reversed(layer_list):
        if isinstance(layer, keras.Model):
            return _last_units(list(layer.layers))
        units = getattr(layer, "units", None)
        if isinstance(units, int):
            return units
        if not isinstance(layer, (*_PASS_THROUGH, layers.Activation, layers.Softmax)):
            return None
    return None


def _outputs(model: keras.Model) -> list[_Output]:
    try:
        tensors = list(model.outputs)
    except (AttributeError, ValueError):
        tensors = []
    if not tensors:  # an unbuilt Sequential: read its layer list
        activation, where = _trace_layers(list(model.layers))
        return [_Output(model.name, _last_units(list(model.layers)), activation, where)]
    names = getattr(model, "output_names", None) or [t._keras_history.operation.name for t in tensors]
    result = []
    for name, tensor in zip(names, tensors):
        activation, where = _trace_tensor(tensor)
        units = tensor.shape[-1] if len(tensor.shape) else 1
        result.append(_Output(str(name), int(units) if units is not None else None, activation, where))
    return result


# ---------------------------------------------------------------------------------------------
# What the loss expects


def _describe_loss(loss: Any) -> _Loss:
    if isinstance(loss, str):
        key = loss.lower()
        return _Loss(_LOSS_NAMES.get(key, _LOSS_NAMES.get(key.replace("_", ""), "other")), False, repr(loss))
    if isinstance(loss, keras.losses.Loss):
        config = {}
        try:
            config = loss.get_config() or {}
        except (NotImplementedError, TypeError, ValueError):
            pass
        kwargs = getattr(loss, "_fn_kwargs", {}) or {}
        from_logits = bool(kwargs.get("from_logits", config.get("from_logits", False)))
        kind = _LOSS_NAMES.get(type(loss).__name__.lower())
        if kind is None and hasattr(loss, "fn"):
            kind = _LOSS_NAMES.get(_function_name(loss.fn) or "", "other")
        return _Loss(kind or "other", from_logits, f"{type(loss).__name__}(from_logits={from_logits})")
    if callable(loss):
        name = _function_name(loss) or ""
        keywords = loss.keywords if isinstance(loss, functools.partial) else {}
        from_logits = bool(keywords.get("from_logits", name in _LOGITS_FUNCTIONS))
        return _Loss(_LOSS_NAMES.get(name, "other"), from_logits, f"{name or 'a function'}(from_logits={from_logits})")
    return _Loss("other", False, repr(loss))


def _per_output(value: Any, outputs: list[_Output]) -> list[Any]:
    """Spread a compile argument (loss or metrics) over the outputs the way Keras does."""
    if isinstance(value, Mapping):
        return [value.get(output.name) for output in outputs]
    if len(outputs) > 1 and isinstance(value, (list, tuple)) and len(value) == len(outputs):
        return list(value)
    return [value] * len(outputs)


def _flat_metrics(metrics: Any) -> list[Any]:
    if metrics is None:
        return []
    if isinstance(metrics, Mapping):
        return [m for value in metrics.values() for m in _flat_metrics(value)]
    if isinstance(metrics, (list, tuple)):
        return [m for value in metrics for m in _flat_metrics(value)]
    return [metrics]


def resolve_accuracy(units: int | None, *, sparse_labels: bool | None = None) -> str:
    """What ``metrics=["accuracy"]`` becomes in Keras 3 for an output with ``units`` units.

    Explained in :doc:`/chapters/field_guide`.

    Mirrors ``keras/src/trainers/compile_utils.py`` (``is_binary_or_sparse_categorical``): the
    choice depends on the output's last dimension and the labels' shape, not on the loss.

    Parameters
    ----------
    units : int or None
        Size of the output's last dimension.
    sparse_labels : bool, optional
        Whether the labels are class indices (``True``) or one-hot / multi-hot rows of the output's
        shape (``False``); ``None`` when unknown.

    Returns
    -------
    str
        ``"BinaryAccuracy(threshold=0.5)"``, ``"SparseCategoricalAccuracy"``, ``"CategoricalAccuracy"``
        or, when the labels are unknown, both categorical options.

    Examples
    --------
    >>> resolve_accuracy(1)
    'BinaryAccuracy(threshold=0.5)'
    >>> resolve_accuracy(3, sparse_labels=False)
    'CategoricalAccuracy'
    """
    if units == 1:
        return "BinaryAccuracy(threshold=0.5)"
    if sparse_labels is True:
        return "SparseCategoricalAccuracy"
    if sparse_labels is False:
        return "CategoricalAccuracy"
    return "SparseCategoricalAccuracy (integer labels) or CategoricalAccuracy (one-hot labels)"


def _metric_threshold(metric: Any, units: int | None) -> tuple[str, float] | None:
    """``(how it was written, threshold)`` for a metric that thresholds one output, else ``None``."""
    if isinstance(metric, str):
        key = metric.lower()
        if key in ("accuracy", "acc") and units == 1:
            return f"{metric!r} -> BinaryAccuracy(threshold=0.5)", 0.5
        if key == "binary_accuracy":
            return f"{metric!r} (threshold 0.5)", 0.5
        return None
    if isinstance(metric, keras.metrics.BinaryAccuracy):
        return f"BinaryAccuracy(threshold={metric.threshold})", float(metric.threshold)
    if callable(metric) and _function_name(metric) == "binary_accuracy":
        keywords = metric.keywords if isinstance(metric, functools.partial) else {}
        threshold = float(keywords.get("threshold", 0.5))
        return f"binary_accuracy(threshold={threshold})", threshold
    return None


# ---------------------------------------------------------------------------------------------


def _user_compile_arguments(model: keras.Model) -> tuple[Any, Any]:
    config = getattr(getattr(model, "_compile_config", None), "config", None) or {}
    loss = getattr(model, "loss", None)
    if loss is None:
        loss = config.get("loss")
    metrics = config.get("metrics")
    if metrics is None and getattr(model, "_compile_metrics", None) is not None:
        metrics = getattr(model._compile_metrics, "_user_metrics", None)
    return loss, metrics


def check_model(model: keras.Model) -> list[Finding]:
    """Check a compiled model's output activation against its loss and accuracy metric, without training.

    Explained in :doc:`/chapters/field_guide`.

    Flags:

    * ``probabilities_expected`` -- a cross-entropy with ``from_logits=False`` after an output that is
      not a sigmoid/softmax (activation as a string, a function, or a separate ``Activation`` /
      ``Softmax`` layer);
    * ``double_squashing`` -- ``from_logits=True`` after a sigmoid/softmax;
    * ``softmax_single_unit`` -- a softmax over one unit (always outputs 1.0);
    * ``categorical_loss_single_unit`` -- categorical cross-entropy on a one-unit output;
    * ``accuracy_threshold_on_logits`` -- ``"accuracy"`` (or a ``BinaryAccuracy`` at 0.5) on a
      logit output: Keras thresholds the logits at 0.5, not 0;
    * ``accuracy_resolves_to_categorical`` -- ``"accuracy"`` with binary cross-entropy on a
      several-unit (multi-label) output resolves to argmax ``CategoricalAccuracy``.

    Parameters
    ----------
    model : keras.Model
        A compiled model (``Sequential``, functional or subclassed; built or not).

    Returns
    -------
    list of Finding
        Empty for a consistent model. ``run`` is ``None`` and ``epochs`` empty.

    Raises
    ------
    TypeError
        If ``model`` is not a ``keras.Model``.
    ValueError
        If the model is not compiled.

    Examples
    --------
    >>> model = keras.Sequential([keras.Input((2,)), layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    >>> [finding.name for finding in check_model(model)]
    ['probabilities_expected']
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model; got {type(model).__name__}")
    if not getattr(model, "compiled", False):
        raise ValueError(
            "model is not compiled: call model.compile(optimizer=..., loss=..., metrics=...) before check_model"
        )
    user_loss, user_metrics = _user_compile_arguments(model)
    outputs = _outputs(model)
    findings: list[Finding] = []
    several = len(outputs) > 1
    for output, loss, metrics in zip(outputs, _per_output(user_loss, outputs), _per_output(user_metrics, outputs)):
        if loss is None:
            continue
        findings.extend(_check_output(output, _describe_loss(loss), _flat_metrics(metrics), several))
    return findings


def _finding(
    name: str, title: str, evidence: str, explanation: str, action: str, chapter: str = "linear_output"
) -> Finding:
    return Finding(name=name, title=title, run=None, epochs=(), evidence=evidence, explanation=explanation,
                   action=action, chapter=chapter)


def _check_output(output: _Output, loss: _Loss, metrics: list[Any], several: bool) -> list[Finding]:
    findings = []
    units, activation = output.units, output.activation
    kind = loss.kind
    if kind == "auto":
        kind = "binary" if units == 1 else "categorical"
    prefix = f"output {output.name!r}: " if several else ""
    shape = f"{units}-unit output" if units is not None else "output"
    head = f"{prefix}the {shape} ends with activation {activation!r} ({output.where}); loss {loss.text}"
    is_probability = activation in _PROBABILITY_ACTIVATIONS
    cross_entropy = kind in _LOSS_LABELS
    if units == 1 and activation == "softmax":
        findings.append(_finding(
            "softmax_single_unit", "Softmax over a single unit: the output is always 1.0", head + ".",
            "A softmax normalises its inputs to sum to 1; over one unit that is exp(z)/exp(z) = 1 for every input. "
            "The model predicts class 1 for every sample with full confidence, the loss has no gradient to follow "
            "and accuracy equals the share of class 1.",
            "Use Dense(1, activation='sigmoid') with binary cross-entropy, or Dense(2, activation='softmax') with "
            "sparse categorical cross-entropy.",
        ))
    if units == 1 and kind in ("categorical", "sparse_categorical"):
        findings.append(_finding(
            "categorical_loss_single_unit", f"{_LOSS_LABELS[kind].capitalize()} on a one-unit output", head + ".",
            "Categorical cross-entropy sums -y log p over the classes after normalising p to sum to 1: with one "
            "unit p becomes 1 for every sample, so the loss is 0 (or, for the sparse version, labels 0/1 index "
            "classes that do not exist) and the network does not learn.",
            "For two classes use one sigmoid unit with binary cross-entropy, or two softmax units with "
            "(sparse) categorical cross-entropy.",
        ))
    if cross_entropy and not loss.from_logits and activation is not None and not is_probability:
        findings.append(_finding(
            "probabilities_expected",
            f"{_LOSS_LABELS[kind].capitalize()} expects probabilities but the output is {activation!r}",
            head + ": from_logits=False means the loss treats the outputs as probabilities.",
            "With from_logits=False Keras clips the outputs to [1e-7, 1 - 1e-7] before taking logs: any output "
            "beyond 1 counts as perfectly confident and any output below 0 as perfectly wrong, the gradient "
            "vanishes in the clipped range, and accuracy thresholds the raw output at 0.5. The loss can go to "
            "near zero while the outputs are far outside [0, 1]: an accuracy that rounds them (standalone Keras "
            "2.3) then counts them wrong, while Keras 3's threshold at 0.5 hides the problem.",
            "Add the squashing: activation='sigmoid' (one unit) or 'softmax' (several); or keep the linear output "
            "and pass from_logits=True to the loss"
            + (" together with keras.metrics.BinaryAccuracy(threshold=0.0)." if units == 1 else "."),
        ))
    if cross_entropy and loss.from_logits and is_probability and not (units == 1 and activation == "softmax"):
        findings.append(_finding(
            "double_squashing",
            f"from_logits=True after a {activation}: the output is squashed twice",
            head + ": the loss applies another sigmoid/softmax to outputs that are already probabilities.",
            "The loss sees sigmoid(p) or softmax(p) of probabilities p in [0, 1]: for one unit that lies between 0.5 "
            "and 0.73, so the model can never be confident, the loss stays high (about 0.31 at best for class 1 and "
            "0.69 or more for class 0) and its gradients are small. Accuracy still thresholds p at 0.5 and can "
            "look fine.",
            "Either remove the activation from the last layer (keep from_logits=True; then use "
            "BinaryAccuracy(threshold=0.0) for one unit), or keep it and use from_logits=False.",
        ))
    logits_output = loss.from_logits and not is_probability
    for metric in metrics:
        threshold = _metric_threshold(metric, units)
        if threshold is not None and logits_output and threshold[1] == 0.5:
            spelled = threshold[0]
            findings.append(_finding(
                "accuracy_threshold_on_logits",
                "Accuracy thresholds the logits at 0.5, not 0",
                f"{prefix}metric {spelled} on a {shape} trained with {loss.text}: the outputs are logits. "
                "Example (Keras 3.15): logits [0.3, 0.3, -0.3, -0.3] with labels [1, 1, 0, 0] give accuracy 0.5, "
                "though all four are right (sigmoid(0.3) = 0.57 > 0.5).",
                "'accuracy' resolves by the output shape, not by the loss: a one-unit output gets "
                "BinaryAccuracy(threshold=0.5), applied to whatever the layer outputs. For logits the decision "
                "boundary is 0, so every sample with a logit in (0, 0.5] is counted as class 0: accuracy is "
                "underestimated, and it stays wrong whatever the loss does.",
                "Use metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)] (or end the model with a sigmoid and "
                "use from_logits=False).",
            ))
            break
        is_accuracy = isinstance(metric, str) and metric.lower() in ("accuracy", "acc")
        if is_accuracy and units is not None and units > 1 and kind == "binary":
            findings.append(_finding(
                "accuracy_resolves_to_categorical",
                "'accuracy' with binary cross-entropy on several units is argmax accuracy",
                f"{prefix}metric {metric!r} on a {shape} trained with {loss.text}: Keras 3 resolves it to "
                f"{resolve_accuracy(units, sparse_labels=False)} for labels of the output's shape.",
                "Binary cross-entropy on several units is a multi-label set-up (each unit its own yes/no). Keras 3 "
                "chooses the accuracy from the shapes, not from the loss: it compares the argmax of the outputs with "
                "the argmax of the labels, which is not the per-label accuracy (Keras 2 picked binary_accuracy from "
                "the loss).",
                "Use metrics=[keras.metrics.BinaryAccuracy()] for per-label accuracy (threshold=0.0 for logits).",
                chapter="primer",
            ))
            break
    return findings

