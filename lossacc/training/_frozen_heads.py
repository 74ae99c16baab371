"""Frozen random ReLU features with a trained one-unit head: the network of the linear-output question.

``Dense(width, relu, trainable=False) -> Dense(1, linear)`` trained with binary cross-entropy and Adam,
full batch. Only the head trains, so the frozen layer's output (the *features*) is computed once.
:func:`lossacc.build_frozen_relu_net` builds that network as a compiled Keras model (for ``fit`` or
:func:`lossacc.train_full_batch`); :func:`lossacc.train_frozen_heads` trains many copies of it at once --
several widths x several seeds -- in one compiled loop: every member has its own frozen features and
its own head, the loss is the sum of the members' own mean losses (Keras' ``binary_crossentropy``, with
its clipping), and one Keras ``Adam`` updates all heads. Adam works elementwise, so each member gets
exactly the updates of its own run (checked against ``train_full_batch`` in
``tests/test_frozen_heads.py``). Used in :doc:`/chapters/linear_output`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np
import pandas as pd
import tensorflow as tf
from keras import layers

from lossacc._env import quiet_retracing
from lossacc._validation import (
    as_features,
    as_labels,
    check_bool,
    check_choice,
    check_number,
    check_positive_float,
    check_positive_int,
    check_seed,
    check_seeds,
)
from lossacc.analyze._correctness import binary_correct, legacy_binary_correct
from lossacc.training._seeding import kernel_initializer

__all__ = [
    "HEAD_ACTIVATIONS",
    "FrozenHeadsResult",
    "build_frozen_relu_net",
    "frozen_relu_weights",
    "train_frozen_heads",
]

#: Output activations of the head.
HEAD_ACTIVATIONS: tuple[str, ...] = ("linear", "sigmoid")


def _check_widths(values: Any) -> list[int]:
    if isinstance(values, (int, np.integer)) and not isinstance(values, bool):
        values = [values]  # one width (widths are sizes, not counts)
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, range, np.ndarray)):
        raise TypeError(f"widths must be an integer or a sequence of integers; got {type(values).__name__}")
    checked = [check_positive_int("width", value) for value in values]
    if not checked:
        raise ValueError("widths is empty: give at least one value")
    if len(set(checked)) != len(checked):
        raise ValueError(f"widths must not repeat values; got {checked}")
    return checked


def frozen_relu_weights(num_features: int, width: int, seed: int) -> list[np.ndarray]:
    """Initial weights of :func:`lossacc.build_frozen_relu_net`: ``[kernel_0, bias_0, kernel_1, bias_1]``.

    Used in :doc:`/chapters/linear_output` to start every width from the same seeded weights.

    Glorot-uniform kernels from independent streams of ``seed`` (layer 0: the frozen layer, layer 1:
    the head; ``lossacc.training._seeding.kernel_initializer(seed, layer)``, as in
    :func:`lossacc.build_sigmoid_net`), zero biases, independent of any global random state.

    Parameters
    ----------
    num_features : int
        Inputs per sample.
    width : int
        Units of the frozen ReLU layer.
    seed : int
        Seed (>= 0).

    Returns
    -------
    list of numpy.ndarray (float32)
        Shapes ``(num_features, width)``, ``(width,)``, ``(width, 1)``, ``(1,)``.

    Examples
    --------
    >>> [w.shape for w in frozen_relu_weights(64, 100, seed=0)]
    [(64, 100), (100,), (100, 1), (1,)]
    """
    num_features = check_positive_int("num_features", num_features)
    width = check_positive_int("width", width)
    seed = check_seed(seed)
    first, head = _initial_kernels(num_features, width, seed)
    return [
        keras.ops.convert_to_numpy(first),
        np.zeros(width, dtype="float32"),
        keras.ops.convert_to_numpy(head),
        np.zeros(1, dtype="float32"),
    ]


def _initial_kernels(num_features: int, width: int, seed: int) -> tuple[Any, Any]:
    """The two seeded Glorot-uniform kernels, as tensors."""
    first = kernel_initializer(seed, 0)(shape=(num_features, width), dtype="float32")
    head = kernel_initializer(seed, 1)(shape=(width, 1), dtype="float32")
    return first, head


def build_frozen_relu_net(
    width: int,
    *,
    num_features: int = 64,
    seed: int = 0,
    output_activation: str = "linear",
    learning_rate: float = 1e-3,
    from_logits: bool = False,
    metrics: Sequence[Any] = ("accuracy",),
) -> keras.Sequential:
    """``Dense(width, relu, trainable=False) -> Dense(1, output_activation)``, compiled with Adam.

    Explained in :doc:`/chapters/linear_output`.

    The network of the linear-output question (``width=13000``, ``output_activation="linear"``),
    with seeded weights (``frozen_relu_weights``) and binary cross-entropy.

    Parameters
    ----------
    width : int
        Units of the frozen ReLU layer.
    num_features : int, default 64
        Inputs per sample (64 for the 8x8 digits, 784 for MNIST).
    seed : int, default 0
        Seed of the weights.
    output_activation : {"linear", "sigmoid"}, default "linear"
    learning_rate : float, default 1e-3
        Adam's learning rate (Keras' default).
    from_logits : bool, default False
        Passed to ``keras.losses.BinaryCrossentropy`` (use with a linear output).
    metrics : sequence, default ("accuracy",)
        Passed to ``compile``.

    Returns
    -------
    keras.Sequential
        Compiled; ``model.layers[0].trainable`` is False.

    Raises
    ------
    ValueError
        Unknown ``output_activation``, ``from_logits=True`` with a sigmoid output, bad numbers.

    Examples
    --------
    >>> model = build_frozen_relu_net(100, seed=1)
    >>> model.count_params(), len(model.trainable_weights)
    (6601, 2)
    """
    output_activation = check_choice("output_activation", output_activation, HEAD_ACTIVATIONS)
    learning_rate = check_positive_float("learning_rate", learning_rate)
    from_logits = check_bool("from_logits", from_logits)
    if from_logits and output_activation != "linear":
        raise ValueError("from_logits=True needs output_activation='linear' (the output must be a logit)")
    weights = frozen_relu_weights(num_features, width, seed)
    model = keras.Sequential(
        [
            keras.Input(shape=(int(num_features),)),
            layers.Dense(int(width), activation="relu", trainable=False, name="frozen_relu"),
            layers.Dense(1, activation=output_activation, name="head"),
        ],
        name=f"frozen_relu_{width}_{output_activation}",
    )
    model.set_weights(weights)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss=keras.losses.BinaryCrossentropy(from_logits=from_logits),
        metrics=list(metrics),
    )
    return model


@dataclass
class FrozenHeadsResult:
    """What :func:`lossacc.train_frozen_heads` returns.

    Explained in :doc:`/chapters/linear_output`.

    Attributes
    ----------
    history : pandas.DataFrame
        One row per member and epoch: ``width``, ``seed``, ``epoch`` (from 1), ``loss`` (Keras'
        binary cross-entropy), ``accuracy`` (Keras 3's rule, ``output > accuracy_threshold``) and
        ``legacy_accuracy`` (Keras 2.3's rule, ``round(output) == y``), all on the outputs *before*
        that epoch's update, as ``fit`` reports them for a full batch.
    members : pandas.DataFrame
        ``member``, ``width``, ``seed``: one row per member, in the order of ``outputs``.
    outputs : numpy.ndarray
        Raw outputs of the head on the training rows, shape ``(members, epochs + 1, samples)``;
        row 0 is before training, row ``e`` after epoch ``e`` (as
        :class:`~lossacc.ProbabilityTracker`).
    """

    history: pd.DataFrame
    members: pd.DataFrame
    outputs: np.ndarray = field(repr=False)


def train_frozen_heads(
    x: Any,
    y: Any,
    *,
    widths: int | Sequence[int],
    seeds: int | Sequence[int],
    num_epochs: int,
    learning_rate: float = 1e-3,
    output_activation: str = "linear",
    from_logits: bool = False,
    accuracy_threshold: float = 0.5,
) -> FrozenHeadsResult:
    """Train :func:`lossacc.build_frozen_relu_net` for every width x seed at once, full batch, with Adam.

    Explained in :doc:`/chapters/linear_output`.

    Each member's features ``relu(x @ kernel_0)`` are computed once; the loop over epochs runs in
    one compiled function. Member ``(width, seed)`` gets the updates of
    ``train_full_batch(build_frozen_relu_net(width, seed=seed, ...), x, y, num_epochs=...)``
    (equal up to float32 rounding).

    Parameters
    ----------
    x : array-like, shape (samples, features)
        Training inputs. Not modified.
    y : array-like of 0/1, shape (samples,) or (samples, 1)
        Labels.
    widths : int or sequence of int
        Widths of the frozen layer.
    seeds : int or sequence of int
        The seeds: an integer ``n`` is a count, ``range(n)`` (as in :func:`lossacc.train_population`);
        a sequence lists them (``[5]`` for the one seed 5). No repeats.
    num_epochs : int
        Full-batch epochs (= Adam steps).
    learning_rate : float, default 1e-3
    output_activation : {"linear", "sigmoid"}, default "linear"
    from_logits : bool, default False
        Binary cross-entropy from logits (linear output only).
    accuracy_threshold : float, default 0.5
        Threshold of the ``accuracy`` column (Keras' ``"accuracy"`` uses 0.5 even for logits).

    Returns
    -------
    FrozenHeadsResult

    Raises
    ------
    TypeError, ValueError
        Bad shapes, labels other than 0/1, empty or repeated widths/seeds, bad numbers.

    Examples
    --------
    >>> from lossacc.data import load_digits_01
    >>> (x, y), _ = load_digits_01()
    >>> result = train_frozen_heads(x, y, widths=[10, 20], seeds=[0, 1], num_epochs=3)
    >>> result.history.shape, result.outputs.shape
    ((12, 6), (4, 4, 288))
    """
    x = as_features("x", x)
    y = as_labels("y", y, len(x)).reshape(-1)
    if y.shape != (len(x),):
        raise ValueError(f"y must hold one 0/1 label per sample, shape ({len(x)},) or ({len(x)}, 1)")
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError(f"y must hold labels 0 and 1 only; got values {np.unique(y)[:10].tolist()}")
    widths = _check_widths(widths)
    seeds = check_seeds(seeds, unique=True)
    num_epochs = check_positive_int("num_epochs", num_epochs)
    learning_rate = check_positive_float("learning_rate", learning_rate)
    output_activation = check_choice("output_activation", output_activation, HEAD_ACTIVATIONS)
    from_logits = check_bool("from_logits", from_logits)
    if from_logits and output_activation != "linear":
        raise ValueError("from_logits=True needs output_activation='linear' (the output must be a logit)")
    accuracy_threshold = check_number("accuracy_threshold", accuracy_threshold)

    num_members, num_samples = len(seeds), len(x)
    features, kernels, biases = [], [], []
    inputs = tf.constant(x)
    for width in widths:
        initial = [_initial_kernels(x.shape[1], width, seed) for seed in seeds]
        # the frozen layer's output, computed once: relu(x @ kernel_0 + 0), as Dense does it
        features.append(tf.nn.relu(tf.matmul(inputs[None], tf.stack([first for first, _ in initial]))))
        kernels.append(tf.Variable(tf.stack([head for _, head in initial]), name=f"kernel_{width}"))
        biases.append(tf.Variable(tf.zeros((num_members, 1, 1)), name=f"bias_{width}"))
    variables = kernels + biases
    optimizer = keras.optimizers.Adam(learning_rate=learning_rate)
    optimizer.build(variables)
    targets = tf.constant(np.broadcast_to(y[None, :, None], (num_members, num_samples, 1)).copy())
    activation = keras.activations.get(output_activation)

    def outputs_of(group: int) -> tf.Tensor:
        logits = tf.matmul(features[group], kernels[group]) + biases[group]  # (members, samples, 1)
        return activation(logits)

    def member_losses(outputs: tf.Tensor) -> tf.Tensor:
        per_sample = keras.losses.binary_crossentropy(targets, outputs, from_logits=from_logits)  # (members, samples)
        return tf.reduce_mean(per_sample, axis=1)

    @tf.function
    def run() -> tuple[tf.Tensor, tf.Tensor]:
        losses = tf.TensorArray(tf.float32, size=num_epochs)
        tracked = tf.TensorArray(tf.float32, size=num_epochs + 1)
        for epoch in tf.range(num_epochs):
            with tf.GradientTape() as tape:
                outputs = [outputs_of(group) for group in range(len(widths))]
                group_losses = [member_losses(out) for out in outputs]
                total = tf.add_n([tf.reduce_sum(loss) for loss in group_losses])
            gradients = tape.gradient(total, variables)
            optimizer.apply_gradients(zip(gradients, variables))
            losses = losses.write(epoch, tf.stack(group_losses))  # (groups, members)
            tracked = tracked.write(epoch, tf.stack([out[..., 0] for out in outputs]))  # (groups, members, samples)
        final = [outputs_of(group) for group in range(len(widths))]
        tracked = tracked.write(num_epochs, tf.stack([out[..., 0] for out in final]))
        return losses.stack(), tracked.stack()

    with quiet_retracing():  # each call traces its own graph (other data, other shapes), by design
        losses, tracked = run()
    losses = losses.numpy().astype("float64")  # (epochs, groups, members)
    tracked = tracked.numpy().astype("float64")  # (epochs + 1, groups, members, samples)
    outputs = np.moveaxis(tracked, 0, 2).reshape(len(widths) * num_members, num_epochs + 1, num_samples)
    members = pd.DataFrame(
        {
            "member": np.arange(len(widths) * num_members),
            "width": np.repeat(widths, num_members),
            "seed": np.tile(seeds, len(widths)),
        }
    )
    before_update = outputs[:, :-1, :]  # the outputs each epoch's metrics are computed on
    accuracy = binary_correct(before_update, y, accuracy_threshold).mean(axis=2)
    legacy = legacy_binary_correct(before_update, y).mean(axis=2)
    history = members.loc[np.repeat(members.index, num_epochs), ["width", "seed"]].reset_index(drop=True)
    history["epoch"] = np.tile(np.arange(1, num_epochs + 1), len(members))
    history["loss"] = np.moveaxis(losses, 0, 2).reshape(-1)
    history["accuracy"] = accuracy.reshape(-1)
    history["legacy_accuracy"] = legacy.reshape(-1)
    return FrozenHeadsResult(history=history, members=members, outputs=outputs)
