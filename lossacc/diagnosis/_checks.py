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

Two facts the messages rely on, checked in the Keras 3.15 source and on this TensorFlow backend: (1) the
TensorFlow backend's ``_get_logits`` (``keras/src/backend/tensorflow/nn.py``) takes the logits that
``keras.activations.sigmoid``/``softmax`` cache on their output (``_keras_logits``), so ``from_logits=True`` after a
sigmoid/softmax only warns and computes the loss of the logits, and a (sparse) categorical cross-entropy after
sigmoid units is the softmax cross-entropy of the pre-sigmoid values; (2) the JAX and PyTorch backends
(``keras/src/backend/jax/nn.py``, ``torch/nn.py``) ignore that cache: there the probabilities really are squashed
twice, and categorical cross-entropy divides the sigmoids by their sum.

Given labels (and inputs), :func:`check_model` also compares them with the output: label format against the loss,
class indices against the units, label range against the activation's range, and the untrained loss against ln K.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np
from keras import layers

from lossacc._validation import check_compiled
from lossacc.analyze._correctness import ACCURACY_THRESHOLD
from lossacc.diagnosis import Finding

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
    "mean_squared_error": "regression", "mse": "regression", "meansquarederror": "regression",
    "mean_absolute_error": "regression", "mae": "regression", "meanabsoluteerror": "regression",
    "mean_squared_logarithmic_error": "regression", "msle": "regression",
    "meansquaredlogarithmicerror": "regression", "mean_absolute_percentage_error": "regression",
    "mape": "regression", "meanabsolutepercentageerror": "regression", "huber": "regression",
    "log_cosh": "regression", "logcosh": "regression",
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
    between: bool = False  # other layers (Dropout, Reshape, ...) sit between that layer and the output
    rank: int = 2  # number of dimensions of the output, batch included (3 for sequences)


@dataclass(frozen=True)
class _Loss:
    kind: str  # "binary", "categorical", "sparse_categorical", "auto", "other"
    from_logits: bool
    text: str  # how the user spelled it
    custom: bool = False  # a user-written Loss subclass or function: looked into by one forward pass
    function: Any = None  # something callable as function(y_true, y_pred), when known


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
        top = getattr(getattr(tensor, "_keras_history", None), "operation", None)
        between = top is not None and where not in ("?", f"{type(top).__name__} {top.name!r}")
        result.append(_Output(str(name), int(units) if units is not None else None, activation, where, between,
                              max(len(tensor.shape), 1)))
    return result


# ---------------------------------------------------------------------------------------------
# What the loss expects


def _is_keras_code(obj: Any) -> bool:
    module = getattr(obj, "__module__", None) or getattr(type(obj), "__module__", "") or ""
    return module.split(".")[0] in ("keras", "tensorflow", "tf_keras")


def _describe_loss(loss: Any) -> _Loss:
    if isinstance(loss, str):
        key = loss.lower()
        try:
            function = keras.losses.get(loss)
        except (ValueError, TypeError):
            function = None
        kind = _LOSS_NAMES.get(key, _LOSS_NAMES.get(key.replace("_", ""), "other"))
        return _Loss(kind, False, repr(loss), function=function)
    if isinstance(loss, keras.losses.Loss):
        config = {}
        try:
            config = loss.get_config() or {}
        except (NotImplementedError, TypeError, ValueError):
            pass
        kwargs = getattr(loss, "_fn_kwargs", {}) or {}
        from_logits = bool(kwargs.get("from_logits", config.get("from_logits", False)))
        kind = _LOSS_NAMES.get(type(loss).__name__.lower())
        if kind is None and hasattr(loss, "fn") and _is_keras_code(loss.fn):
            kind = _LOSS_NAMES.get(_function_name(loss.fn) or "", "other")
        user_function = hasattr(loss, "fn") and not _is_keras_code(loss.fn)
        custom = (not _is_keras_code(type(loss)) or user_function) and kind in (None, "other")
        text = f"{type(loss).__name__} (custom)" if custom else f"{type(loss).__name__}(from_logits={from_logits})"
        return _Loss(kind or "other", from_logits, text, custom=custom, function=loss)
    if callable(loss):
        target = loss.func if isinstance(loss, functools.partial) else loss
        name = _function_name(loss) or ""
        keywords = loss.keywords if isinstance(loss, functools.partial) else {}
        from_logits = bool(keywords.get("from_logits", name in _LOGITS_FUNCTIONS))
        kind = _LOSS_NAMES.get(name, "other") if _is_keras_code(target) else "other"
        custom = kind == "other" and not _is_keras_code(target)
        text = f"{name or 'a function'} (custom)" if custom else f"{name or 'a function'}(from_logits={from_logits})"
        return _Loss(kind, from_logits, text, custom=custom, function=loss)
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
            return f"{metric!r} -> BinaryAccuracy(threshold={ACCURACY_THRESHOLD})", ACCURACY_THRESHOLD
        if key == "binary_accuracy":
            return f"{metric!r} (threshold {ACCURACY_THRESHOLD})", ACCURACY_THRESHOLD
        return None
    if isinstance(metric, keras.metrics.BinaryAccuracy):
        return f"BinaryAccuracy(threshold={metric.threshold})", float(metric.threshold)
    if callable(metric) and _function_name(metric) == "binary_accuracy":
        keywords = metric.keywords if isinstance(metric, functools.partial) else {}
        threshold = float(keywords.get("threshold", ACCURACY_THRESHOLD))
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


def check_model(model: keras.Model, x: Any = None, y: Any = None) -> list[Finding]:
    """Check a compiled model's output activation against its loss, its accuracy metric and (optionally) its data.

    Explained in :doc:`/chapters/field_guide`. Nothing is trained and nothing passed in is modified.

    Contract between the output and ``compile`` (no data needed):

    * ``probabilities_expected`` -- a cross-entropy with ``from_logits=False`` after an output that is
      not a sigmoid/softmax (activation as a string, a function, or a separate ``Activation`` /
      ``Softmax`` layer);
    * ``from_logits_after_activation`` -- ``from_logits=True`` after a sigmoid/softmax (what happens
      depends on the backend: see the finding's explanation);
    * ``softmax_single_unit`` -- a softmax over one unit (always outputs 1.0);
    * ``categorical_loss_single_unit`` -- categorical cross-entropy on a one-unit output;
    * ``sigmoid_with_categorical_loss`` -- (sparse) categorical cross-entropy on several sigmoid units;
    * ``binary_loss_on_softmax`` -- binary cross-entropy on a several-unit softmax;
    * ``regression_loss_on_classifier`` -- MSE/MAE-type loss on a softmax output, or on a sigmoid output
      measured with ``"accuracy"`` (or with 0/1 labels);
    * ``accuracy_on_regression`` -- ``"accuracy"`` on a regression output (linear/relu, MSE-type loss; on
      several units it resolves to argmax accuracy: a classifier without its softmax, or a meaningless metric);
    * ``exact_match_accuracy`` -- ``keras.metrics.Accuracy()``, which counts outputs exactly equal to the
      labels (near 0 for any classifier), instead of the string ``"accuracy"``;
    * ``accuracy_threshold_on_logits`` -- ``"accuracy"`` (or a ``BinaryAccuracy`` at 0.5) on a
      logit output: Keras thresholds the logits at 0.5, not 0;
    * ``accuracy_resolves_to_categorical`` -- ``"accuracy"`` with binary cross-entropy on several sigmoid
      units resolves to argmax ``CategoricalAccuracy`` (right for single-label data, wrong for multi-label).

    A custom loss (a ``keras.losses.Loss`` subclass or a function not from Keras) is looked into by one
    forward pass on a tiny batch of zeros while recording Keras' own warnings: the TensorFlow backend warns
    when ``from_logits=True`` reaches the output of a sigmoid/softmax.

    With labels ``y`` (and optionally inputs ``x``), a single-output model is also checked against its data:

    * ``label_format_mismatch`` -- one-hot labels with a sparse loss, class indices with a categorical
      loss (or with binary cross-entropy on several units);
    * ``labels_out_of_range`` -- class indices outside ``0 .. units-1`` (labels counted from 1, or more
      classes than units), or non-integer class indices;
    * ``class_count_mismatch`` -- one-hot labels with another number of columns than the output has units;
    * ``multi_label_categorical_loss`` -- 0/1 label rows with several ones (multi-label data) under a
      categorical cross-entropy;
    * ``labels_outside_output_range`` -- labels the output activation cannot reach (e.g. -1/1 or 0/1/2
      labels for a sigmoid, targets 1..10 for a softmax, negative targets for a relu);
    * ``binary_loss_single_label`` -- binary cross-entropy on several sigmoid units with labels that have
      exactly one 1 per row (single-label data);
    * ``initial_loss_high`` -- with ``x``: the untrained model's cross-entropy is more than three times
      ln K (K classes), the loss of an uninformed start: badly scaled inputs or initialisation.

    Parameters
    ----------
    model : keras.Model
        A compiled model (``Sequential``, functional or subclassed; built or not).
    x : array-like, list or dict of arrays, optional
        Inputs (at most the first 256 samples are used), for the initial-loss check. Needs ``y``.
    y : array-like, optional
        Labels of the model's single output (class indices, one-hot/multi-hot rows, or targets).

    Returns
    -------
    list of Finding
        Empty for a consistent model. ``run`` is ``None`` and ``epochs`` empty.

    Raises
    ------
    TypeError
        If ``model`` is not a ``keras.Model``, or ``x``/``y`` are not numeric arrays.
    ValueError
        If the model is not compiled; if ``x`` is given without ``y``; if ``y`` is empty or not finite,
        or its length differs from ``x``'s; if labels are given for a model with several outputs.

    Examples
    --------
    >>> model = keras.Sequential([keras.Input((2,)), layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    >>> [finding.name for finding in check_model(model)]
    ['probabilities_expected']
    """
    model = check_compiled(model, before="before check_model")
    labels, inputs = _validate_data(x, y, model)
    user_loss, user_metrics = _user_compile_arguments(model)
    outputs = _outputs(model)
    if labels is not None and len(outputs) != 1:
        raise ValueError(
            f"y can only be checked for a model with one output; this model has {len(outputs)} outputs "
            f"({', '.join(output.name for output in outputs)}): check each output's labels with a one-output model"
        )
    findings: list[Finding] = []
    several = len(outputs) > 1
    for output, loss, metrics in zip(outputs, _per_output(user_loss, outputs), _per_output(user_metrics, outputs)):
        if loss is None:
            continue
        described = _describe_loss(loss)
        output_findings = _check_output(output, described, _flat_metrics(metrics), several, labels)
        if described.custom and not several:
            output_findings.extend(_probe_custom_loss(model, output, described, labels, inputs))
        if labels is not None:
            output_findings = _check_labels(model, output, described, labels, inputs, output_findings)
        findings.extend(output_findings)
    return findings


# ---------------------------------------------------------------------------------------------
# Data


_MAX_SAMPLES = 256


def _as_numeric(value: Any, name: str) -> np.ndarray:
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be a numeric array; got {type(value).__name__} ({error})") from None
    if array.dtype == bool:
        array = array.astype("float32")
    if not np.issubdtype(array.dtype, np.number):
        raise TypeError(
            f"{name} must be a numeric array (numbers or booleans); got {type(value).__name__} of dtype {array.dtype}"
        )
    return array


def _validate_data(x: Any, y: Any, model: keras.Model) -> tuple[np.ndarray | None, Any]:
    if y is None:
        if x is not None:
            raise ValueError("x was given without y: pass the labels too (check_model(model, x=x, y=y)), or neither")
        return None, None
    labels = _as_numeric(y, "y")
    if labels.ndim == 0 or labels.size == 0:
        raise ValueError(f"y must hold at least one label per sample; got shape {labels.shape}")
    if not np.all(np.isfinite(labels)):
        raise ValueError(f"y must be finite; got {int(np.sum(~np.isfinite(labels)))} NaN/inf labels")
    if x is None:
        return labels, None
    try:
        num_inputs = len(model.inputs)
    except (AttributeError, ValueError, TypeError):
        num_inputs = 1
    if isinstance(x, Mapping):
        inputs: Any = {key: _as_numeric(value, f"x[{key!r}]") for key, value in x.items()}
        parts = list(inputs.values())
    elif isinstance(x, (list, tuple)) and num_inputs > 1 and len(x) == num_inputs:
        inputs = [_as_numeric(value, f"x[{index}]") for index, value in enumerate(x)]
        parts = inputs
    else:
        inputs = _as_numeric(x, "x")
        parts = [inputs]
    lengths = sorted({len(part) if part.ndim else 0 for part in parts})
    if lengths != [len(labels)]:
        raise ValueError(
            f"x and y must have the same number of samples; got x with {', '.join(map(str, lengths))} and y with "
            f"{len(labels)}"
        )
    return labels, inputs


def _head(inputs: Any, count: int) -> Any:
    if isinstance(inputs, Mapping):
        return {key: value[:count] for key, value in inputs.items()}
    if isinstance(inputs, list):
        return [value[:count] for value in inputs]
    return inputs[:count]


def _forward(model: keras.Model, inputs: Any, loss: _Loss, labels: Any) -> tuple[float | None, list[str]]:
    """Loss of one forward pass (training=False), and the texts of the warnings Keras raised meanwhile."""
    messages: list[str] = []
    if not getattr(model, "built", False):  # calling it would build it: leave the caller's model as it is
        return None, messages
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            predictions = model(inputs, training=False)
            value = loss.function(labels, predictions)
            value = float(np.mean(keras.ops.convert_to_numpy(value)))
        except Exception:  # noqa: BLE001 -- a probe: any failure means "could not tell"
            value = None
        messages = [str(warning.message) for warning in caught]
    return value, messages


def _zeros_batch(model: keras.Model) -> Any:
    try:
        tensors = list(model.inputs)
    except (AttributeError, ValueError):
        return None
    if not tensors:
        return None
    batch = [np.zeros([2] + [4 if size is None else int(size) for size in t.shape[1:]], dtype=t.dtype or "float32")
             for t in tensors]
    return batch[0] if len(batch) == 1 else batch


def _probe_custom_loss(model: keras.Model, output: _Output, loss: _Loss, labels: Any, inputs: Any) -> list[Finding]:
    if loss.function is None:
        return []
    if labels is not None and inputs is not None:
        batch, candidates = _head(inputs, 8), [labels[:8]]
    else:
        batch = _zeros_batch(model)
        if batch is None:
            return []
        units = output.units or 1
        candidates = [np.zeros((2, units), "float32"), np.zeros((2,), "int32")]
    for target in candidates:
        value, messages = _forward(model, batch, loss, target)
        hits = [message for message in messages if "received `from_logits=True`" in message]
        if hits:
            quoted = hits[0].strip().strip('"')
            return [_from_logits_finding(output, loss, f"inside the custom loss {loss.text}, Keras warned: "
                                         f"{quoted!r}")]
        if value is not None:
            return []
    return []


def _distinct(values: np.ndarray, limit: int = 8) -> str:
    unique = np.unique(values)
    shown = ", ".join(f"{v:g}" for v in unique[:limit])
    return "{" + shown + (", ..." if len(unique) > limit else "") + "}"


_RANGES = {"sigmoid": (0.0, 1.0), "softmax": (0.0, 1.0), "hard_sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0),
           "relu": (0.0, np.inf), "softplus": (0.0, np.inf), "relu6": (0.0, 6.0), "elu": (-1.0, np.inf),
           "exponential": (0.0, np.inf)}


def _check_labels(
    model: keras.Model, output: _Output, loss: _Loss, labels: np.ndarray, inputs: Any, findings: list[Finding]
) -> list[Finding]:
    """Compare the labels with the output and the loss (labels, units, activation range, initial loss)."""
    units, activation = output.units, output.activation
    kind = loss.kind if loss.kind != "auto" else ("binary" if units == 1 else "categorical")
    # class indices: one dimension fewer than the output (or a trailing 1); one-hot rows: the output's rank
    sparse_shape = labels.ndim == output.rank - 1 or (labels.ndim == output.rank and labels.shape[-1] == 1)
    integer = bool(np.all(labels == np.round(labels)))
    low, high = float(labels.min()), float(labels.max())
    shape = f"y of shape {labels.shape} with values {_distinct(labels)}"
    head = f"the {units}-unit output ({activation!r}, {output.where}) and loss {loss.text}; {shape}"
    added: list[Finding] = []

    def add(name: str, title: str, explanation: str, action: str, chapter: str = "linear_output") -> None:
        added.append(_finding(name, title, head + ".", explanation, action, chapter))

    one_hot_rows = (not sparse_shape and set(np.unique(labels)) <= {0.0, 1.0}
                    and bool(np.all(labels.sum(axis=-1) == 1)))
    if kind == "sparse_categorical":
        if not sparse_shape and units is not None and labels.shape[-1] == units and units > 1:
            add("label_format_mismatch", "One-hot labels with a sparse categorical loss",
                "Sparse categorical cross-entropy expects one class index per sample (shape (n,) or (n, 1)); "
                "these labels have one column per class.",
                "Use loss='categorical_crossentropy' for one-hot labels, or pass y.argmax(axis=-1).")
        elif sparse_shape and not integer:
            add("labels_out_of_range", "Sparse categorical labels are not class indices",
                "Sparse categorical cross-entropy reads each label as the index of a class; these labels are not "
                "whole numbers (a regression target, or probabilities?).",
                "Pass integer class indices 0 .. units-1, or use a regression loss for continuous targets.")
        elif sparse_shape and units is not None and units > 1 and (low < 0 or high >= units):
            add("labels_out_of_range", f"Class indices {low:g} .. {high:g} do not fit {units} output units",
                f"The output has {units} units, so valid class indices are 0 .. {units - 1}. Labels counted from 1 "
                "leave unit 0 unused and the last class without a unit; more classes than units cannot be learned "
                "(TensorFlow raises 'Received a label value of ... outside the valid range' or, on some devices, "
                "silently computes a wrong loss).",
                f"Shift labels counted from 1 (y - 1), or give the last layer {int(high) + 1} units.")
    elif kind == "categorical" and units is not None and units > 1:
        if sparse_shape:
            add("label_format_mismatch", "Class indices with a categorical (one-hot) loss",
                "Categorical cross-entropy expects one-hot rows of the output's shape; these labels hold one "
                "class index per sample.",
                "Use loss='sparse_categorical_crossentropy' (labels stay integers), or one-hot encode them with "
                "keras.utils.to_categorical(y, num_classes=units).")
        elif labels.shape[-1] != units:
            add("class_count_mismatch", f"{labels.shape[-1]} label columns for {units} output units",
                "Each label row must have one column per output unit (class).",
                "Give the last layer as many units as there are classes, or fix the one-hot encoding "
                "(to_categorical counts classes from 0 up to the largest label).")
        elif set(np.unique(labels)) <= {0.0, 1.0} and bool(np.any(labels.sum(axis=-1) > 1)):
            rows = labels.reshape(-1, labels.shape[-1]).sum(axis=-1)
            most = int(rows.max())
            add("multi_label_categorical_loss",
                f"Label rows with up to {most} ones under a categorical (softmax) loss: multi-label data",
                f"{int(np.sum(rows > 1))} of {len(rows)} label rows have more than one 1: several labels per sample. "
                "Categorical cross-entropy scores one distribution over the classes: the softmax probabilities sum "
                f"to 1, so a row with r ones cannot score below r ln r ({most} ln {most} = "
                f"{most * math.log(most):.3g} here) and the labels compete instead of being learned one by one; "
                "argmax 'accuracy' looks at one label per row.",
                "For several labels per sample use activation='sigmoid' with binary_crossentropy and a per-label "
                "metric such as keras.metrics.BinaryAccuracy() or AUC(multi_label=True).",
                chapter="primer")
    if kind == "binary":
        if units is not None and units > 1 and sparse_shape:
            add("label_format_mismatch", f"One label per sample for {units} binary units",
                "Binary cross-entropy compares every unit with its own 0/1 label, so the labels need the output's "
                "shape; one class index per sample points to a single-label multi-class problem.",
                "For single-label classes use softmax with sparse_categorical_crossentropy.")
        elif low < 0 or high > 1:
            classes = len(np.unique(labels))
            hint = (f"{classes} distinct classes in one sigmoid output: a multi-class problem -- use "
                    f"Dense({classes}, activation='softmax') with sparse_categorical_crossentropy"
                    if integer and low >= 0 and units == 1 else
                    "map the labels to 0/1 (e.g. (y + 1) / 2 for -1/+1 labels)")
            add("labels_outside_output_range", f"Labels from {low:g} to {high:g} for binary cross-entropy",
                "Binary cross-entropy is -(y log p + (1 - y) log(1 - p)) for labels y in [0, 1]; with labels "
                "outside that range the loss can go negative or grow without bound, and no output is right.",
                hint[0].upper() + hint[1:] + ".")
        elif (one_hot_rows and units is not None and units > 1 and activation in ("sigmoid", "hard_sigmoid")):
            findings = [f for f in findings if f.name != "accuracy_resolves_to_categorical"]
            add("binary_loss_single_label", "Binary cross-entropy on single-label data",
                "Every label row has exactly one 1: each sample belongs to one class. Independent sigmoids with "
                "binary cross-entropy treat the classes as unrelated yes/no questions (multi-label), so the "
                "probabilities do not compete and need not sum to 1. Keras 3's 'accuracy' is argmax "
                "CategoricalAccuracy here, which is the right number for single-label data; BinaryAccuracy "
                f"would count per-unit matches and reach {1 - 1 / units:.2f} by predicting 0 everywhere.",
                "Use activation='softmax' with loss='categorical_crossentropy' (keep metrics=['accuracy']).",
                chapter="primer")
    if kind == "regression":
        bounds = _RANGES.get(activation or "")
        if bounds is not None and (low < bounds[0] or high > bounds[1]):
            add("labels_outside_output_range",
                f"Targets from {low:g} to {high:g}, but a {activation} output only reaches "
                f"[{bounds[0]:g}, {bounds[1]:g}]",
                "The output activation bounds what the model can predict; targets outside its range can never be "
                "reached, so the loss has a floor above zero and the outputs pile up at the bound.",
                "Use a linear output for unbounded targets, or scale the targets into the activation's range.")
    if (kind == "regression" and activation in ("sigmoid", "hard_sigmoid") and units is not None
            and set(np.unique(labels)) <= {0.0, 1.0}
            and not any(f.name == "regression_loss_on_classifier" for f in findings)):
        findings = findings + [_regression_on_classifier(output, loss, "the labels are all 0 or 1")]
    if inputs is not None and kind in _LOSS_LABELS and not added and loss.function is not None:
        added.extend(_initial_loss(model, output, loss, kind, labels, inputs))
    return findings + added


def _initial_loss(
    model: keras.Model, output: _Output, loss: _Loss, kind: str, labels: np.ndarray, inputs: Any
) -> list[Finding]:
    value, _ = _forward(model, _head(inputs, _MAX_SAMPLES), loss, labels[:_MAX_SAMPLES])
    if value is None:
        return []
    classes = 2 if kind == "binary" or not output.units or output.units < 2 else output.units
    reference = math.log(classes)
    if math.isfinite(value) and value <= 3 * reference:
        return []
    shown = f"{value:.3g}" if math.isfinite(value) else str(value)
    return [_finding(
        "initial_loss_high", "The untrained model starts far from an uninformed guess",
        f"loss {loss.text} of the untrained model on the first {min(len(labels), _MAX_SAMPLES)} samples: {shown}; "
        f"a model that starts uninformed ({classes} equally likely classes) scores about ln {classes} = "
        f"{reference:.3g}.",
        "A freshly initialised network should be unsure: its cross-entropy starts near ln K. A start several "
        "times higher means confident wrong outputs before any training -- typically unscaled inputs (raw pixel "
        "values 0..255, unstandardised features) or large initial weights -- and the first epochs are spent "
        "undoing it, or the outputs saturate and the gradients vanish.",
        "Scale the inputs (divide pixels by 255, standardise features), and keep the default initialisers.",
    )]


# ---------------------------------------------------------------------------------------------
# The rules on the compile contract


def _finding(
    name: str, title: str, evidence: str, explanation: str, action: str, chapter: str = "linear_output"
) -> Finding:
    return Finding(name=name, title=title, run=None, epochs=(), evidence=evidence, explanation=explanation,
                   action=action, chapter=chapter)


def _from_logits_finding(output: _Output, loss: _Loss, evidence: str) -> Finding:
    backend = keras.backend.backend()
    between = (" Here other layers sit between the activation and the output, so the cached logits may not reach "
               "the loss (a Dropout after the sigmoid loses them during training)." if output.between else "")
    return _finding(
        "from_logits_after_activation",
        f"from_logits=True after a {output.activation}: the loss is told the probabilities are logits",
        evidence,
        "What happens depends on the backend (Keras 3.15 source). TensorFlow: keras.activations.sigmoid/softmax "
        "cache their input on the output (_keras_logits), and _get_logits in keras/src/backend/tensorflow/nn.py "
        "takes those logits instead of the output and only warns ('received from_logits=True, but the output "
        "argument was produced by a Sigmoid activation'); the loss then equals that of a linear output with "
        "from_logits=True. The cache is lost when another layer sits between the activation and the loss "
        "(e.g. Dropout while training) or a raw tf.nn.sigmoid runs eagerly: then the probabilities are squashed "
        "again. JAX and PyTorch (keras/src/backend/jax/nn.py, torch/nn.py) ignore the cache: the loss applies "
        "log_sigmoid/log_softmax to the probabilities, squashing them twice -- for one unit the loss's "
        "probability stays in [0.5, 0.73], the loss cannot fall below about 0.31 and gradients are small. "
        f"This run uses the {backend} backend.{between}",
        "Remove the activation from the last layer and keep from_logits=True (then use "
        "BinaryAccuracy(threshold=0.0) for one unit), or keep it and use from_logits=False: the model then "
        "behaves the same on every backend.",
    )


def _regression_on_classifier(output: _Output, loss: _Loss, why: str) -> Finding:
    return _finding(
        "regression_loss_on_classifier",
        f"A regression loss on a {output.activation} classifier",
        f"the {output.units}-unit output ends with {output.activation!r} ({output.where}); loss {loss.text}; {why}.",
        "Mean squared (or absolute) error on probabilities trains, but badly: a sigmoid/softmax that is confidently "
        "wrong has a nearly flat squared error (its gradient carries the factor p(1 - p)), so the worst mistakes "
        "are corrected slowest, while cross-entropy's gradient stays proportional to the error. With MAE the "
        "gradient does not even grow with the error. The loss value is also not comparable to ln K.",
        "For classes use cross-entropy: sigmoid + binary_crossentropy (one unit or multi-label), softmax + "
        "(sparse_)categorical_crossentropy (one class per sample). If the target is really a continuous "
        "quantity, use a linear output instead of the squashing.",
    )


_ACCURACY_STRINGS = ("accuracy", "acc")


def _asks_for_accuracy(metrics: list[Any], name: str, metric_class: type) -> bool:
    """True when ``metrics`` hold ``"accuracy"``/``"acc"``, the string ``name`` or an instance of ``metric_class``."""
    return any((isinstance(m, str) and m.lower() in (*_ACCURACY_STRINGS, name)) or isinstance(m, metric_class)
               for m in metrics)


def _check_output(
    output: _Output, loss: _Loss, metrics: list[Any], several: bool, labels: np.ndarray | None = None
) -> list[Finding]:
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
    has_accuracy = _asks_for_accuracy(metrics, "binary_accuracy", keras.metrics.BinaryAccuracy)
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
    sigmoid_categorical = (activation in ("sigmoid", "hard_sigmoid") and kind in ("categorical", "sparse_categorical")
                           and units != 1)
    if sigmoid_categorical:
        findings.append(_finding(
            "sigmoid_with_categorical_loss",
            f"{_LOSS_LABELS[kind].capitalize()} on {activation} outputs", head + ".",
            "Categorical cross-entropy scores one distribution over the classes (a softmax). Independent sigmoids "
            "do not sum to 1. What the loss computes depends on the backend (Keras 3.15 source): TensorFlow's "
            "_get_logits (keras/src/backend/tensorflow/nn.py) picks up the logits cached by "
            "keras.activations.sigmoid and computes the softmax cross-entropy of the pre-sigmoid values, so it "
            "trains a softmax model while predict() returns sigmoids that are not the probabilities it learned; "
            "JAX and PyTorch divide the sigmoids by their sum and take the log, a different objective whose "
            "outputs can all rise together.",
            "Use activation='softmax' for one class per sample; for several labels per sample keep the sigmoids "
            "and use binary_crossentropy.",
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
    if (cross_entropy and loss.from_logits and is_probability and not (units == 1 and activation == "softmax")
            and not sigmoid_categorical):
        findings.append(_from_logits_finding(
            output, loss, head + ": the loss is told that outputs which are already probabilities are logits."
        ))
    if kind == "binary" and activation == "softmax" and units is not None and units > 1:
        findings.append(_finding(
            "binary_loss_on_softmax", f"Binary cross-entropy on a {units}-unit softmax: is the task multi-label?",
            head + ".",
            "Binary cross-entropy scores every unit as its own yes/no question (multi-label), but a softmax makes "
            "the units compete and sum to 1, so several labels per sample cannot all be predicted. For one class "
            "per sample the loss is wrongly scaled: it averages over the units, so with many classes it is small "
            "from the start and mostly rewards the easy zeros. Keras 3's 'accuracy' resolves to argmax "
            "CategoricalAccuracy here (right for single-label data); Keras 2 picked binary_accuracy, which "
            "counts per-unit matches and reads high by predicting 0 everywhere.",
            "One class per sample: keep the softmax and use categorical_crossentropy (one-hot labels) or "
            "sparse_categorical_crossentropy (integer labels), with metrics=['accuracy']. Several labels per "
            "sample: use activation='sigmoid' with binary_crossentropy.",
            chapter="primer",
        ))
    if kind == "regression" and (
        (activation == "softmax" and units != 1) or (activation in ("sigmoid", "hard_sigmoid") and has_accuracy)
    ):
        why = "a softmax makes it a classifier" if activation == "softmax" else "an accuracy metric is asked for"
        findings.append(_regression_on_classifier(output, loss, why))
    if (kind == "regression" and units == 1 and has_accuracy and activation is not None
            and not is_probability):
        findings.append(_finding(
            "accuracy_on_regression", "'accuracy' on a regression output", head + "; metrics ask for accuracy.",
            "Accuracy counts exact class matches. Keras 3 resolves 'accuracy' on a one-unit output to "
            "BinaryAccuracy(threshold=0.5): it compares y with (prediction > 0.5), which for continuous targets "
            "is meaningless (near 0 for targets away from 0/1, drifting up or down with no relation to the fit). "
            "Keras 2 rounded instead: same problem.",
            "For a regression use metrics such as 'mae' or keras.metrics.RootMeanSquaredError(). If the targets "
            "are really classes 0/1, use a sigmoid output with binary_crossentropy.",
        ))
    categorical_accuracy = _asks_for_accuracy(metrics, "categorical_accuracy", keras.metrics.CategoricalAccuracy)
    if (kind == "regression" and units is not None and units > 1 and categorical_accuracy
            and activation is not None and not is_probability):
        findings.append(_finding(
            "accuracy_on_regression", f"'accuracy' on a {units}-unit output trained with a regression loss",
            head + "; metrics ask for accuracy.",
            "Keras 3 resolves 'accuracy' on several units by the label shape, not by the loss: argmax accuracy "
            "(CategoricalAccuracy for one-hot labels, SparseCategoricalAccuracy for class indices). Asking for it "
            "says the targets are classes: then this is a classifier without its softmax, trained with a squared "
            "error -- the outputs are not probabilities, nothing makes them compete, and the squared error spends "
            "its effort on the exact values of the wrong classes. If the targets are continuous, accuracy means "
            "nothing.",
            "Classes: end with activation='softmax' and use categorical_crossentropy (one-hot labels) or "
            "sparse_categorical_crossentropy (class indices), keeping 'accuracy'. Continuous targets: keep the "
            "linear output and use metrics such as 'mae'.",
        ))
    exact = next((m for m in metrics if isinstance(m, keras.metrics.Accuracy)), None)
    if exact is not None:
        findings.append(_finding(
            "exact_match_accuracy", "keras.metrics.Accuracy() counts outputs equal to the labels, not correct classes",
            f"{prefix}metric {type(exact).__name__}() on the {shape} ({activation!r}, {output.where}); loss "
            f"{loss.text}.",
            "keras.metrics.Accuracy compares y_true == y_pred value by value, with no threshold and no argmax. A "
            "network's output is a float such as 0.93 (or a row of probabilities), which never equals a label 1 "
            "or a class index 3, so this accuracy stays near 0 however well the model learns (keras-team/keras "
            "issues 18393 and 18796). The string 'accuracy' is a different thing: Keras resolves it by the shapes "
            "to BinaryAccuracy, SparseCategoricalAccuracy or CategoricalAccuracy.",
            "Use metrics=['accuracy'], or the explicit class: keras.metrics.BinaryAccuracy() for one unit "
            "(threshold=0.0 for logits), SparseCategoricalAccuracy() for class indices, CategoricalAccuracy() for "
            "one-hot labels.",
            chapter="primer",
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
        is_accuracy = isinstance(metric, str) and metric.lower() in _ACCURACY_STRINGS
        if (is_accuracy and units is not None and units > 1 and kind == "binary" and activation != "softmax"):
            findings.append(_finding(
                "accuracy_resolves_to_categorical",
                "'accuracy' with binary cross-entropy on several units is argmax accuracy: multi-label or not?",
                f"{prefix}metric {metric!r} on a {shape} trained with {loss.text}: Keras 3 resolves it to "
                f"{resolve_accuracy(units, sparse_labels=False)} for labels of the output's shape.",
                "Keras 3 chooses the accuracy from the shapes, not from the loss: it compares the argmax of the "
                "outputs with the argmax of the labels (Keras 2 picked binary_accuracy from the loss). Whether that "
                "is the right number depends on the labels. Several labels per sample (multi-label): argmax "
                "accuracy looks at one label only and is not the per-label accuracy. Exactly one label per sample "
                "(single-label): argmax accuracy is the right number, but then the model should be a softmax "
                "trained with categorical cross-entropy, not independent sigmoids.",
                "Multi-label: use metrics=[keras.metrics.BinaryAccuracy()] (threshold=0.0 for logits), better "
                "with per-label precision/recall. Single-label: switch to softmax + categorical_crossentropy and "
                "keep 'accuracy' -- do not use BinaryAccuracy there (it counts the easy zeros). Pass y to "
                "check_model to let it tell which case this is.",
                chapter="primer",
            ))
            break
    return findings
