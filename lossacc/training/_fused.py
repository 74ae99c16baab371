"""Fused full-batch training: many epochs inside one compiled function, frozen features computed once.

Keras' ``fit`` spends ~20-30 ms of fixed overhead per epoch here, whatever the model. For full-batch
runs of thousands of epochs (:doc:`/chapters/linear_output`) that overhead *is* the run time.
:func:`lossacc.train_full_batch` runs all epochs of a compiled Keras model in one ``tf.function`` (a
``tf.while_loop`` over epochs), with the model's own optimizer, loss and compiled metrics, collecting
the per-epoch history (and optionally the outputs on tracked inputs) inside the graph.

When the leading layers of a ``keras.Sequential`` model are frozen (``trainable=False``), their output
does not change during training: it is computed once (:func:`lossacc.split_frozen`, :func:`lossacc.frozen_features`)
and only the trainable head runs every epoch. The head *shares* its layers with the model, so the
trained weights end up in ``model``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np
import pandas as pd
import tensorflow as tf

from lossacc._deprecation import renamed_attribute
from lossacc._validation import as_features, as_labels, check_compiled, check_pair, check_positive_int
from lossacc.analyze._history import history_frame
from lossacc.training._chunks import run_in_chunks

__all__ = ["FullBatchResult", "frozen_features", "split_frozen", "train_full_batch"]

#: Weightless layers that compute the same thing in training and inference, safe to cache.
_STATELESS_LAYERS: tuple[type, ...] = (
    keras.layers.Flatten,
    keras.layers.Reshape,
    keras.layers.Permute,
    keras.layers.Rescaling,
    keras.layers.Activation,
    keras.layers.InputLayer,
)


@dataclass
class FullBatchResult:
    """What :func:`lossacc.train_full_batch` returns.

    Explained in :doc:`/chapters/linear_output`.

    Attributes
    ----------
    history : pandas.DataFrame
        ``epoch`` (from 1), ``loss``, the compiled metrics (e.g. ``accuracy``) and ``val_*``
        columns: what ``fit(batch_size=len(x))`` reports, one row per epoch.
    outputs : numpy.ndarray or None
        Outputs on the tracked inputs, ``(epochs + 1, samples)`` for one output unit or
        ``(epochs + 1, samples, classes)``; row 0 is before training. ``None`` if nothing was tracked.
    num_frozen_layers : int
        How many leading layers were computed once instead of every epoch (0: no caching).
    """

    history: pd.DataFrame
    outputs: np.ndarray | None = field(default=None, repr=False)
    num_frozen_layers: int = 0

    probabilities = renamed_attribute("probabilities", "outputs")


def _is_frozen(layer: keras.layers.Layer) -> bool:
    """True for a layer whose output cannot change during training (and is the same in both modes)."""
    if layer.trainable_weights:
        return False
    if layer.weights:
        return True  # e.g. Dense(..., trainable=False): frozen weights
    return isinstance(layer, _STATELESS_LAYERS)


def _check_model(model: Any) -> keras.Model:
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model; got {type(model).__name__}")
    return model


def split_frozen(model: keras.Model) -> tuple[keras.Model | None, keras.Model]:
    """Split a ``Sequential`` model into its frozen leading layers and the trainable rest.

    Explained in :doc:`/chapters/linear_output`.

    Frozen layers are leading layers without trainable weights that have weights
    (``trainable=False``) or are weightless and deterministic (Flatten, Reshape, Rescaling, ...).
    Dropout-like layers stop the frozen part, since their output changes in training.

    Parameters
    ----------
    model : keras.Sequential
        A built model (call it once, or give it an ``Input``).

    Returns
    -------
    features : keras.Sequential or None
        The frozen leading layers (``None`` if there are none); ``features.predict(x)`` or
        :func:`lossacc.frozen_features` gives their output.
    head : keras.Sequential
        The remaining layers, *sharing* the layer objects (and so the weights) with ``model``:
        training the head trains ``model``. Not compiled.

    Raises
    ------
    TypeError
        If ``model`` is not a ``keras.Sequential``.
    ValueError
        If the model is not built, or every layer is frozen (nothing to train).

    Examples
    --------
    >>> model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(100, trainable=False),
    ...                           keras.layers.Dense(1)])
    >>> features, head = split_frozen(model)
    >>> features.output_shape, head.input_shape
    ((None, 100), (None, 100))
    """
    model = _check_model(model)
    if not isinstance(model, keras.Sequential):
        raise TypeError(f"split_frozen needs a keras.Sequential model; got {type(model).__name__}")
    if not model.built:
        raise ValueError("model is not built: give it a keras.Input or call it on a batch first")
    layers = list(model.layers)
    num_frozen = _count_frozen(layers)
    if num_frozen == len(layers):
        raise ValueError("every layer of the model is frozen: there is nothing to train")
    input_shape = tuple(model.inputs[0].shape[1:])
    if num_frozen == 0:
        return None, keras.Sequential([keras.Input(input_shape), *layers], name=f"{model.name}_head")
    features = keras.Sequential([keras.Input(input_shape), *layers[:num_frozen]], name=f"{model.name}_features")
    head = keras.Sequential(
        [keras.Input(tuple(features.outputs[0].shape[1:])), *layers[num_frozen:]], name=f"{model.name}_head"
    )
    return features, head


def _count_frozen(layers: list[keras.layers.Layer]) -> int:
    count = 0
    for layer in layers:
        if not _is_frozen(layer):
            break
        count += 1
    return count


def frozen_features(model: keras.Model, x: Any, *, batch_size: int = 4096) -> np.ndarray:
    """The output of a model's frozen leading layers on ``x`` (computed once, in chunks).

    Explained in :doc:`/chapters/linear_output`.

    Parameters
    ----------
    model : keras.Sequential
        See :func:`lossacc.split_frozen`.
    x : array-like, shape (samples, ...)
        Inputs. Not modified.
    batch_size : int, default 4096
        Rows per forward pass.

    Returns
    -------
    numpy.ndarray of float32
        ``(samples, ...)``: the frozen layers' output, or ``x`` itself (as float32) when the model
        has no frozen leading layers.
    """
    features, _ = split_frozen(model)
    x = as_features("x", x, ndim=None)
    batch_size = check_positive_int("batch_size", batch_size)
    if features is None:
        return x
    return _apply_layers(features.layers, x, batch_size)


def _apply_layers(layers: list[keras.layers.Layer], x: np.ndarray, batch_size: int) -> np.ndarray:
    chunks = []
    for start in range(0, len(x), batch_size):
        h = tf.constant(x[start : start + batch_size])
        for layer in layers:
            h = layer(h, training=False)
        chunks.append(keras.ops.convert_to_numpy(h))
    return np.concatenate(chunks).astype("float32")


def train_full_batch(
    model: keras.Model,
    x: Any,
    y: Any,
    *,
    num_epochs: int,
    validation_data: tuple[Any, Any] | None = None,
    track: Any = None,
    cache_frozen: bool = True,
    epochs_per_call: int | None = None,
    progress: bool = False,
) -> FullBatchResult:
    """Train a compiled Keras model full-batch for many epochs in one compiled function.

    Explained in :doc:`/chapters/linear_output`.

    Equivalent to ``model.fit(x, y, batch_size=len(x), epochs=num_epochs, validation_data=...)``
    (same optimizer, loss and compiled metrics; checked to 1e-5 in ``tests/test_fused.py``), without
    ``fit``'s per-epoch overhead. The model's weights and optimizer state are updated in place, as
    ``fit`` would; call it again to continue training.

    Parameters
    ----------
    model : keras.Model
        A compiled model (``model.compile(optimizer=..., loss=..., metrics=...)``).
    x, y : array-like
        Training inputs and labels (all rows form the one batch). Not modified.
    num_epochs : int
        Number of epochs (= steps), >= 1.
    validation_data : (x_val, y_val), optional
        Evaluated after every epoch (``val_*`` columns).
    track : array-like, optional
        Inputs whose outputs are recorded before training and after every epoch.
    cache_frozen : bool, default True
        For a ``keras.Sequential`` model, compute the output of the frozen leading layers
        (:func:`lossacc.split_frozen`) once and run only the trainable head every epoch.
    epochs_per_call : int, optional
        Epochs per call of the compiled function (default: all of them, or 1/50 of them with a
        progress bar).
    progress : bool, default False
        Show a tqdm progress bar (interactive use only).

    Returns
    -------
    FullBatchResult
        ``history`` (as :func:`~lossacc.history_frame`), ``outputs``,
        ``num_frozen_layers``.

    Raises
    ------
    TypeError
        If ``model`` is not a keras.Model, or arguments have the wrong type.
    ValueError
        If the model is not compiled, the data are empty or mismatched, or ``num_epochs`` < 1.

    Examples
    --------
    >>> model.compile(optimizer="adam", loss="binary_crossentropy",  # doctest: +SKIP
    ...               metrics=["accuracy"])
    >>> result = train_full_batch(model, x, y, num_epochs=2000)  # doctest: +SKIP
    >>> result.history.tail(1)  # doctest: +SKIP
    """
    model = check_compiled(model)
    num_epochs = check_positive_int("num_epochs", num_epochs)
    if epochs_per_call is not None:
        epochs_per_call = check_positive_int("epochs_per_call", epochs_per_call)
    x = as_features("x", x, ndim=None)
    y = as_labels("y", y, len(x))
    validation = None
    if validation_data is not None:
        x_val, y_val = check_pair("validation_data", validation_data)
        x_val = as_features("validation x", x_val, ndim=None)
        validation = (x_val, as_labels("validation y", y_val, len(x_val)))
    if track is not None:
        track = as_features("track", track, ndim=None)
    for name, array in (("validation x", None if validation is None else validation[0]), ("track", track)):
        if array is not None and array.shape[1:] != x.shape[1:]:
            raise ValueError(f"{name} must have the feature shape of x, {x.shape[1:]}; got {array.shape[1:]}")

    # build everything eagerly (variables cannot be created inside the compiled loop)
    if not model.built:
        model(x[:1])
    y_pred = model(x[:1], training=False)
    model.compute_loss(x=x[:1], y=y[:1], y_pred=y_pred, training=False)
    model.compute_metrics(x[:1], y[:1], y_pred, None)
    model.reset_metrics()
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    metric_names = [name for name in model.get_metrics_result() if name != "loss"]

    # the part that runs every epoch, and its inputs
    layers = list(model.layers) if isinstance(model, keras.Sequential) else []
    num_frozen = _count_frozen(layers) if cache_frozen else 0
    if num_frozen == len(layers) and layers:
        num_frozen = 0  # nothing trainable: let the optimizer/gradient behave as fit would
    if num_frozen:
        head_layers = layers[num_frozen:]

        def head(h: tf.Tensor, training: bool) -> tf.Tensor:
            for layer in head_layers:
                h = layer(h, training=training)
            return h

        def prepare(array: np.ndarray) -> tf.Tensor:
            return tf.constant(_apply_layers(layers[:num_frozen], array, 4096))
    else:

        def head(h: tf.Tensor, training: bool) -> tf.Tensor:
            return model(h, training=training)

        def prepare(array: np.ndarray) -> tf.Tensor:
            return tf.constant(array)

    inputs, targets = prepare(x), tf.constant(y)
    val_inputs = None if validation is None else (prepare(validation[0]), tf.constant(validation[1]))
    track_inputs = None if track is None else prepare(track)
    trainable = model.trainable_variables

    def outputs_of(h: tf.Tensor) -> tf.Tensor:
        return tf.cast(head(h, training=False), tf.float32)

    def epochs(num: tf.Tensor) -> tuple[tf.Tensor, ...]:
        names = ["loss", *metric_names]
        if val_inputs is not None:
            names += [f"val_{name}" for name in ["loss", *metric_names]]
        arrays = tuple(tf.TensorArray(tf.float32, size=num) for _ in names)
        tracked = tf.TensorArray(tf.float32, size=num)
        for epoch in tf.range(num):
            values = _train_step(model, head, inputs, targets, trainable, metric_names)
            if val_inputs is not None:
                values += _test_step(model, head, *val_inputs, metric_names)
            arrays = tuple(array.write(epoch, value) for array, value in zip(arrays, values))
            if track_inputs is not None:
                tracked = tracked.write(epoch, outputs_of(track_inputs))
        stacked = tuple(array.stack() for array in arrays)
        return stacked + ((tracked.stack(),) if track_inputs is not None else ())

    run = tf.function(epochs, input_signature=[tf.TensorSpec([], tf.int32)])
    if epochs_per_call is None:
        epochs_per_call = max(1, math.ceil(num_epochs / 50)) if progress else num_epochs
    names = ["loss", *metric_names] + ([f"val_{n}" for n in ["loss", *metric_names]] if val_inputs is not None else [])
    collected: dict[str, list[np.ndarray]] = {name: [] for name in names}
    tracked = [outputs_of(track_inputs).numpy()[None]] if track_inputs is not None else []

    def run_chunk(chunk: int) -> float:
        results = run(tf.constant(chunk, tf.int32))
        for name, value in zip(names, results):
            collected[name].append(value.numpy())
        if track_inputs is not None:
            tracked.append(results[-1].numpy())
        return float(results[0][-1])

    run_in_chunks(run_chunk, num_epochs, epochs_per_call, progress=progress, postfix="loss")
    model.reset_metrics()

    history = history_frame({name: np.concatenate(values).astype("float64") for name, values in collected.items()})
    outputs = None
    if tracked:
        outputs = np.concatenate(tracked).astype("float64")
        if outputs.ndim == 3 and outputs.shape[-1] == 1:
            outputs = outputs[..., 0]
    return FullBatchResult(history=history, outputs=outputs, num_frozen_layers=num_frozen)


def _metric_values(
    model: keras.Model, inputs: tf.Tensor, targets: tf.Tensor, y_pred: tf.Tensor, names: list[str]
) -> list[tf.Tensor]:
    model.reset_metrics()
    results = model.compute_metrics(inputs, targets, y_pred, None)
    return [tf.cast(results[name], tf.float32) for name in names]


def _train_step(
    model: keras.Model,
    head: Callable[[tf.Tensor, bool], tf.Tensor],
    inputs: tf.Tensor,
    targets: tf.Tensor,
    trainable: list[Any],
    metric_names: list[str],
) -> list[tf.Tensor]:
    """One step of Keras' ``train_step`` on the whole batch; returns loss and metrics (pre-update outputs)."""
    with tf.GradientTape() as tape:
        y_pred = head(inputs, training=True)
        loss = model.compute_loss(x=inputs, y=targets, y_pred=y_pred, training=True)
        scaled = model.optimizer.scale_loss(loss)
    gradients = tape.gradient(scaled, trainable)
    model.optimizer.apply_gradients(zip(gradients, trainable))
    return [tf.cast(loss, tf.float32), *_metric_values(model, inputs, targets, y_pred, metric_names)]


def _test_step(
    model: keras.Model,
    head: Callable[[tf.Tensor, bool], tf.Tensor],
    inputs: tf.Tensor,
    targets: tf.Tensor,
    metric_names: list[str],
) -> list[tf.Tensor]:
    """Keras' ``test_step`` on the whole validation set: loss and metrics."""
    y_pred = head(inputs, training=False)
    loss = model.compute_loss(x=inputs, y=targets, y_pred=y_pred, training=False)
    return [tf.cast(loss, tf.float32), *_metric_values(model, inputs, targets, y_pred, metric_names)]
