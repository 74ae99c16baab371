"""Population training: many independent copies of one small dense network, trained at once in one graph.

A chapter needs distributions over seeds, not a single run, and Keras' ``fit`` costs a few milliseconds
per step whatever the model size. :func:`lossacc.train_population` trains ``K`` members at once: every parameter
is stacked to shape ``(K, ...)``, the forward pass is one batched matmul per layer, the loss is the *sum*
of the members' mean losses (so each member's gradient is exactly its own, unscaled), and the optimizer
(SGD with momentum, RMSprop, Adam -- the formulas of Keras 3.15, re-implemented elementwise) runs with
a per-member learning-rate vector. Many epochs run inside one compiled ``tf.function``.

Each member therefore receives exactly the updates it would get in its own ``model.fit`` run that sees
the same batches (equal up to float32 rounding; ``tests/test_population.py`` checks this against
``fit`` within 1e-5). What differs from ``fit`` is only *which* batches: ``fit`` shuffles with
TensorFlow's global random state, a member shuffles with its own NumPy generator
(``epoch_orders``), so a member's run is reproducible from its seed alone. A seed's kernels and
row order come from independent streams (``lossacc.training._seeding``), so members are independent draws.

:func:`lossacc.train_grid` runs a grid of settings (e.g. learning rates x widths) as a few populations and
returns one table.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np
import pandas as pd
import tensorflow as tf

from lossacc._deprecation import renamed_attribute
from lossacc._validation import (
    as_features,
    as_labels,
    check_bool,
    check_choice,
    check_number,
    check_pair,
    check_positive_float,
    check_positive_int,
    check_seed,
    check_seeds,
)
from lossacc.analyze._correctness import CLIP_EPSILON, binary_correct_tf, categorical_correct_tf
from lossacc.analyze._curves import epochs_to_reach
from lossacc.training._chunks import progress_bar, run_in_chunks
from lossacc.training._seeding import kernel_initializer, order_generator

__all__ = [
    "HIDDEN_ACTIVATIONS",
    "OUTPUT_ACTIVATIONS",
    "POPULATION_LOSSES",
    "POPULATION_OPTIMIZERS",
    "PopulationResult",
    "epoch_orders",
    "initial_member_weights",
    "train_grid",
    "train_population",
]

#: Activations accepted for hidden layers (applied with ``keras.activations.get(name)``, as ``Dense`` does).
HIDDEN_ACTIVATIONS: tuple[str, ...] = ("sigmoid", "relu", "tanh", "linear", "softplus", "elu")
#: Activations accepted for the output layer.
OUTPUT_ACTIVATIONS: tuple[str, ...] = ("sigmoid", "softmax", "linear")
#: Losses accepted by :func:`lossacc.train_population` (the Keras names).
POPULATION_LOSSES: tuple[str, ...] = (
    "binary_crossentropy",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    "mean_squared_error",
)
#: Optimizers and their hyper-parameters with Keras 3.15's defaults (the learning rate is separate).
POPULATION_OPTIMIZERS: dict[str, dict[str, Any]] = {
    "sgd": {"momentum": 0.0, "nesterov": False},
    "rmsprop": {"rho": 0.9, "momentum": 0.0, "epsilon": 1e-7, "centered": False},
    "adam": {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": False},
}

_LOSS_ALIASES = {"mse": "mean_squared_error", "bce": "binary_crossentropy"}
_MAX_ORDER_ENTRIES = 4_000_000  # per-call budget of shuffled indices (int32): 16 MB


# --------------------------------------------------------------------------------------------- results


@dataclass
class PopulationResult:
    """What :func:`lossacc.train_population` and :func:`lossacc.train_grid` return.

    Explained in :doc:`/chapters/low_learning_rate`.

    Attributes
    ----------
    history : pandas.DataFrame
        One row per member and epoch: ``member`` (0 .. K-1), ``seed``, ``learning_rate``, the grid
        settings (for :func:`lossacc.train_grid`), ``epoch`` (from 1), ``loss``, ``accuracy`` and, with
        validation data, ``val_loss`` and ``val_accuracy``. Values are what ``fit`` would report.
    members : pandas.DataFrame
        One row per member with its settings (``member``, ``seed``, ``learning_rate``, grid keys).
    weights : list of list of numpy.ndarray
        Final weights of every member, in Keras order ``[kernel_0, bias_0, kernel_1, bias_1, ...]``
        (ready for ``model.set_weights`` of the equivalent Keras model).
    outputs : numpy.ndarray or None
        Outputs on the tracked inputs, shape ``(members, epochs + 1, samples)`` for a one-unit output
        or ``(members, epochs + 1, samples, classes)``; row 0 is before training ("epoch 0"), as in
        :class:`~lossacc.ProbabilityTracker`. ``None`` when nothing was tracked.
    """

    history: pd.DataFrame
    members: pd.DataFrame
    weights: list[list[np.ndarray]] = field(repr=False)
    outputs: np.ndarray | None = field(default=None, repr=False)

    probabilities = renamed_attribute("probabilities", "outputs")

    @property
    def num_members(self) -> int:
        """Number of members."""
        return len(self.members)

    def first_epoch(self, threshold: float, column: str = "accuracy") -> pd.DataFrame:
        """The first epoch at which each member's ``column`` reaches ``threshold`` (``>=``).

        Parameters
        ----------
        threshold : float
            The level to reach, e.g. 0.9 for 90 % accuracy.
        column : str, default "accuracy"
            A metric column of ``history`` (``accuracy``, ``val_accuracy``, ...).

        Returns
        -------
        pandas.DataFrame
            ``members`` plus ``first_epoch`` (float; ``nan`` for members that never reach it
            within the run).

        Examples
        --------
        >>> first = result.first_epoch(0.9)  # doctest: +SKIP
        >>> first.groupby("learning_rate")["first_epoch"].median()  # doctest: +SKIP
        """
        if column not in self.history.columns or column in self.members.columns or column == "epoch":
            metrics = [c for c in self.history.columns if c not in self.members.columns and c != "epoch"]
            raise ValueError(f"unknown column {column!r}; valid metric columns are {metrics}")
        check_number("threshold", threshold)
        first = epochs_to_reach(self.history, threshold, column=column, by="member").set_index("member")["epochs"]
        frame = self.members.copy()
        frame["first_epoch"] = frame["member"].map(first).astype("float64")
        return frame


# ------------------------------------------------------------------------------------- public helpers


def epoch_orders(seed: int, num_samples: int, num_epochs: int) -> np.ndarray:
    """The order in which a member with ``seed`` visits the training rows, epoch by epoch.

    Epoch ``e`` uses the ``e``-th ``permutation(num_samples)`` of the member's order generator
    (``lossacc.training._seeding.order_generator(seed)``: a stream of its own, independent of the member's
    kernels and of data drawn with ``numpy.random.default_rng(seed)``).
    Feed ``x[order]``, ``y[order]`` to ``fit(..., epochs=1, shuffle=False)`` once per epoch to
    reproduce a member's run with Keras.

    Parameters
    ----------
    seed : int
        The member's seed (>= 0).
    num_samples : int
        Number of training rows.
    num_epochs : int
        Number of epochs.

    Returns
    -------
    numpy.ndarray of int32, shape (num_epochs, num_samples)

    Examples
    --------
    >>> epoch_orders(0, 5, 2).shape
    (2, 5)
    """
    seed = check_seed(seed, "seeds")
    num_samples = check_positive_int("num_samples", num_samples)
    num_epochs = check_positive_int("num_epochs", num_epochs)
    rng = order_generator(seed)
    return np.stack([rng.permutation(num_samples) for _ in range(num_epochs)]).astype("int32")


def initial_member_weights(
    seed: int, layer_sizes: Sequence[int]
) -> list[np.ndarray]:
    """The initial weights of a member: Glorot-uniform kernels, one independent stream per layer, zero biases.

    Used in :doc:`/chapters/imbalance` to give ``fit`` runs the weights of population members.

    The same weights as a Keras ``Dense`` stack built with
    ``kernel_initializer=lossacc.training._seeding.kernel_initializer(seed, layer_index)``, i.e.
    ``GlorotUniform(seed=kernel_seed(seed, layer_index))`` (as :func:`~lossacc.build_sigmoid_net` does).

    Parameters
    ----------
    seed : int
        The member's seed (>= 0).
    layer_sizes : sequence of int
        ``(num_features, hidden_1, ..., output_units)``.

    Returns
    -------
    list of numpy.ndarray
        ``[kernel_0, bias_0, kernel_1, bias_1, ...]`` in float32.
    """
    seed = check_seed(seed, "seeds")
    sizes = [check_positive_int("layer size", size) for size in layer_sizes]
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes needs at least (num_features, output_units); got {tuple(layer_sizes)}")
    weights = []
    for index, (fan_in, fan_out) in enumerate(itertools.pairwise(sizes)):
        kernel = kernel_initializer(seed, index)(shape=(fan_in, fan_out), dtype="float32")
        weights += [keras.ops.convert_to_numpy(kernel), np.zeros(fan_out, dtype="float32")]
    return weights


# ------------------------------------------------------------------------------------------ validation


def _check_learning_rates(learning_rate: Any, num_members: int) -> np.ndarray:
    if isinstance(learning_rate, (Sequence, np.ndarray)) and not isinstance(learning_rate, str):
        rates = [check_positive_float("learning_rate", rate) for rate in learning_rate]
        if len(rates) != num_members:
            raise ValueError(
                f"learning_rate must be one number or one per member ({num_members} members, from seeds); "
                f"got {len(rates)} values"
            )
    else:
        rates = [check_positive_float("learning_rate", learning_rate)] * num_members
    return np.asarray(rates, dtype="float64")  # as given (the engine casts to float32, as Keras does)


def _check_units(hidden_units: Any) -> tuple[int, ...]:
    if isinstance(hidden_units, (int, np.integer)) and not isinstance(hidden_units, bool):
        hidden_units = (hidden_units,)
    if not isinstance(hidden_units, (Sequence, np.ndarray)) or isinstance(hidden_units, str):
        raise TypeError(f"hidden_units must be an integer or a sequence of integers; got {hidden_units!r}")
    return tuple(check_positive_int("hidden_units", units) for units in hidden_units)


def _check_optimizer(optimizer: Any, optimizer_kwargs: Mapping[str, Any] | None) -> tuple[str, dict[str, Any]]:
    name = check_choice("optimizer", optimizer, POPULATION_OPTIMIZERS)
    settings = dict(POPULATION_OPTIMIZERS[name])
    for key, value in dict(optimizer_kwargs or {}).items():
        if key not in settings:
            raise TypeError(
                f"unknown optimizer_kwargs key {key!r} for {name}; valid keys are {list(settings)} "
                "(pass the learning rate as learning_rate=)"
            )
        settings[key] = value
    for key, value in settings.items():
        if isinstance(POPULATION_OPTIMIZERS[name][key], bool):
            if not isinstance(value, (bool, np.bool_)):
                raise TypeError(f"optimizer_kwargs[{key!r}] must be True or False; got {value!r}")
            settings[key] = bool(value)
            continue
        check_number(f"optimizer_kwargs[{key!r}]", value, finite=False)
        low_ok = value > 0 if key == "epsilon" else value >= 0
        if not (np.isfinite(value) and low_ok and (key == "epsilon" or value < 1)):
            valid = "> 0" if key == "epsilon" else "in [0, 1)"
            raise ValueError(f"optimizer_kwargs[{key!r}] must be {valid}; got {value}")
        settings[key] = float(value)
    return name, settings


# ------------------------------------------------------------------------------------------- the math


class _Spec:
    """The architecture, loss and metric semantics shared by every member (mirrors Keras 3.15)."""

    def __init__(
        self,
        *,
        num_features: int,
        hidden_units: tuple[int, ...],
        hidden_activation: str,
        output_units: int,
        output_activation: str,
        loss: str,
        from_logits: bool,
        accuracy_threshold: float,
    ) -> None:
        self.layer_sizes = (num_features, *hidden_units, output_units)
        self.hidden_activation = keras.activations.get(hidden_activation)
        self.output_activation = output_activation
        self.output_fn = keras.activations.get(output_activation)
        self.output_units = output_units
        self.loss = loss
        self.from_logits = from_logits
        self.threshold = accuracy_threshold

    def labels(self, name: str, y: Any, num_samples: int) -> np.ndarray:
        """Labels as float32 ``(samples, output_units)``, the shape Keras' losses compare to the output."""
        y = as_labels(name, y, num_samples)
        units = self.output_units
        if self.loss == "sparse_categorical_crossentropy":
            if y.ndim == 2 and y.shape[1] == 1:
                y = y[:, 0]
            if y.ndim != 1 or not np.all(y == np.round(y)) or y.min() < 0 or y.max() >= units:
                raise ValueError(
                    f"{name} must hold integer class indices in [0, {units}) for sparse_categorical_crossentropy; "
                    f"got shape {y.shape}, values from {y.min():g} to {y.max():g}"
                )
            return np.eye(units, dtype="float32")[y.astype(int)]
        if y.ndim == 1:
            y = y[:, None]
        if y.ndim != 2 or y.shape[1] != units:
            hint = " (one-hot rows; or loss='sparse_categorical_crossentropy' for class indices)" if units > 1 else ""
            raise ValueError(
                f"{name} must have shape ({num_samples}, {units}) for {units} output unit(s){hint}; got {y.shape}"
            )
        return y

    def forward(self, params: Sequence[tf.Variable], x: tf.Tensor) -> tf.Tensor:
        """Logits (pre-activation output) ``(K, batch, units)`` of ``x`` ``(batch, F)`` or ``(K, batch, F)``."""
        h = x if x.shape.rank == 3 else x[None]
        num_layers = len(params) // 2
        for index in range(num_layers):
            h = tf.matmul(h, params[2 * index]) + params[2 * index + 1][:, None, :]
            if index < num_layers - 1:
                h = self.hidden_activation(h)
        return h

    def per_sample_loss(self, y: tf.Tensor, logits: tf.Tensor, outputs: tf.Tensor) -> tf.Tensor:
        """Keras' per-sample loss ``(K, batch)`` (the ``_get_logits`` shortcut for sigmoid/softmax outputs)."""
        use_logits = self.from_logits or self.output_activation in ("sigmoid", "softmax")
        if self.loss == "binary_crossentropy":
            if use_logits:
                labels = tf.broadcast_to(y, tf.shape(logits))
                values = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
            else:
                p = tf.clip_by_value(outputs, CLIP_EPSILON, 1.0 - CLIP_EPSILON)
                bce = y * tf.math.log(p)
                bce += (1 - y) * tf.math.log(1 - p)
                values = -bce
            return tf.reduce_mean(values, axis=-1)
        if self.loss in ("categorical_crossentropy", "sparse_categorical_crossentropy"):
            if use_logits:
                labels = tf.broadcast_to(y, tf.shape(logits))
                return tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
            p = outputs / tf.reduce_sum(outputs, axis=-1, keepdims=True)
            p = tf.clip_by_value(p, CLIP_EPSILON, 1.0 - CLIP_EPSILON)
            return -tf.reduce_sum(y * tf.math.log(p), axis=-1)
        return tf.reduce_mean(tf.square(y - outputs), axis=-1)  # mean_squared_error

    def per_sample_accuracy(self, y: tf.Tensor, outputs: tf.Tensor) -> tf.Tensor:
        """Keras' ``"accuracy"`` per sample ``(K, batch)``: the rule of :mod:`lossacc.analyze._correctness`."""
        if self.output_units == 1:
            return tf.reduce_mean(tf.cast(binary_correct_tf(outputs, y, self.threshold), tf.float32), axis=-1)
        y = tf.broadcast_to(y, tf.shape(outputs))
        return tf.cast(categorical_correct_tf(outputs, y), tf.float32)


class _Optimizer:
    """SGD / RMSprop / Adam update steps of Keras 3.15, elementwise, with one learning rate per member."""

    def __init__(
        self, name: str, settings: Mapping[str, Any], learning_rates: np.ndarray, params: Sequence[tf.Variable]
    ) -> None:
        self.name = name
        self.settings = dict(settings)
        self.params = list(params)
        self.iterations = tf.Variable(0, dtype=tf.int64, trainable=False)
        # the learning rate broadcast against each parameter (K, 1, 1) for kernels, (K, 1) for biases
        self.rates = [
            tf.constant(learning_rates.astype("float32").reshape((-1,) + (1,) * (param.shape.rank - 1)))
            for param in self.params
        ]

        def slots(kind: str) -> list[tf.Variable]:
            return [
                tf.Variable(tf.zeros_like(param), trainable=False, name=f"{kind}_{index}")
                for index, param in enumerate(self.params)
            ]

        uses_momentum = {
            "sgd": self.settings.get("momentum", 0.0) != 0,
            "rmsprop": self.settings.get("momentum", 0.0) > 0,
            "adam": True,
        }[name]
        self.momentums = slots("momentum") if uses_momentum else []
        self.velocities = slots("velocity") if name in ("rmsprop", "adam") else []
        self.average_gradients = slots("average_gradient") if name == "rmsprop" and self.settings["centered"] else []
        self.velocity_hats = slots("velocity_hat") if name == "adam" and self.settings["amsgrad"] else []

    def apply(self, gradients: Sequence[tf.Tensor]) -> None:
        for index, (gradient, variable, lr) in enumerate(zip(gradients, self.params, self.rates)):
            getattr(self, f"_{self.name}")(index, gradient, variable, lr)
        self.iterations.assign_add(1)

    def _sgd(self, i: int, gradient: tf.Tensor, variable: tf.Variable, lr: tf.Tensor) -> None:
        if self.momentums:
            m = self.momentums[i]
            momentum = tf.cast(self.settings["momentum"], variable.dtype)
            m.assign(m * momentum - gradient * lr)
            if self.settings["nesterov"]:
                variable.assign_add(m * momentum - gradient * lr)
            else:
                variable.assign_add(m)
        else:
            variable.assign_sub(gradient * lr)

    def _rmsprop(self, i: int, gradient: tf.Tensor, variable: tf.Variable, lr: tf.Tensor) -> None:
        rho, epsilon = self.settings["rho"], self.settings["epsilon"]
        velocity = self.velocities[i]
        velocity.assign(rho * velocity + (1 - rho) * tf.square(gradient))
        if self.average_gradients:
            average = self.average_gradients[i]
            average.assign(rho * average + (1 - rho) * gradient)
            denominator = velocity - tf.square(average) + epsilon
        else:
            denominator = velocity + epsilon
        increment = (lr * gradient) / tf.sqrt(denominator)
        if self.momentums:
            momentum = self.momentums[i]
            momentum.assign(self.settings["momentum"] * momentum + increment)
            variable.assign_sub(momentum)
        else:
            variable.assign_sub(increment)

    def _adam(self, i: int, gradient: tf.Tensor, variable: tf.Variable, lr: tf.Tensor) -> None:
        beta_1, beta_2, epsilon = self.settings["beta_1"], self.settings["beta_2"], self.settings["epsilon"]
        local_step = tf.cast(self.iterations + 1, variable.dtype)
        beta_1_power = tf.pow(tf.cast(beta_1, variable.dtype), local_step)
        beta_2_power = tf.pow(tf.cast(beta_2, variable.dtype), local_step)
        m, v = self.momentums[i], self.velocities[i]
        alpha = lr * tf.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        m.assign_add((gradient - m) * (1 - beta_1))
        v.assign_add((tf.square(gradient) - v) * (1 - beta_2))
        if self.velocity_hats:
            v_hat = self.velocity_hats[i]
            v_hat.assign(tf.maximum(v_hat, v))
            v = v_hat
        variable.assign_sub((m * alpha) / (tf.sqrt(v) + epsilon))


class _Engine:
    """Stacked parameters, optimizer state and the compiled many-epoch function."""

    def __init__(
        self,
        spec: _Spec,
        initial_weights: Sequence[Sequence[np.ndarray]],
        optimizer: Callable[[list[tf.Variable]], _Optimizer],
        x: np.ndarray,
        y: np.ndarray,
        batch_size: int,
        shuffle: bool,
        validation: tuple[np.ndarray, np.ndarray] | None,
        track: np.ndarray | None,
    ) -> None:
        self.spec = spec
        self.num_members = len(initial_weights)
        self.params = [
            tf.Variable(np.stack([member[i] for member in initial_weights]), name=f"param_{i}")
            for i in range(len(initial_weights[0]))
        ]
        self.optimizer = optimizer(self.params)
        self.x, self.y = tf.constant(x), tf.constant(y)
        self.num_samples = len(x)
        self.batch_size = min(batch_size, self.num_samples)
        self.shuffle = shuffle and self.batch_size < self.num_samples  # one full batch: order changes nothing
        self.validation = None if validation is None else (tf.constant(validation[0]), tf.constant(validation[1]))
        self.track = None if track is None else tf.constant(track)
        order_shape = [None, self.num_members, self.num_samples] if self.shuffle else [None, 0, 0]
        self.run = tf.function(self._run, input_signature=[tf.TensorSpec(order_shape, tf.int32)])

    def _step(self, x_batch: tf.Tensor, y_batch: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        spec = self.spec
        with tf.GradientTape() as tape:
            logits = spec.forward(self.params, x_batch)
            outputs = spec.output_fn(logits)
            per_sample = spec.per_sample_loss(y_batch, logits, outputs)
            member_loss = tf.reduce_sum(per_sample, axis=1) / tf.cast(tf.shape(per_sample)[1], tf.float32)
            total = tf.reduce_sum(member_loss)  # sum over members: each member's gradient is its own
        self.optimizer.apply(tape.gradient(total, self.params))
        accuracy_sum = tf.reduce_sum(spec.per_sample_accuracy(y_batch, outputs), axis=1)
        return member_loss, accuracy_sum

    def _batch(self, order: tf.Tensor, start: Any, size: int) -> tuple[tf.Tensor, tf.Tensor]:
        if self.shuffle:
            index = tf.slice(order, [0, start], [self.num_members, size])  # (K, size): per-member rows
            return tf.gather(self.x, index), tf.gather(self.y, index)
        return tf.slice(self.x, [start, 0], [size, -1]), tf.slice(self.y, [start, 0], [size, -1])

    def _evaluate(self, x: tf.Tensor, y: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        logits = self.spec.forward(self.params, x)
        outputs = self.spec.output_fn(logits)
        loss = tf.reduce_mean(self.spec.per_sample_loss(y, logits, outputs), axis=1)
        accuracy = tf.reduce_mean(self.spec.per_sample_accuracy(y, outputs), axis=1)
        return loss, accuracy

    def outputs(self, x: tf.Tensor) -> tf.Tensor:
        """The members' outputs (after the output activation) on ``x``: ``(K, samples, units)``."""
        return self.spec.output_fn(self.spec.forward(self.params, x))

    def _run(self, orders: tf.Tensor) -> tuple[tf.Tensor, ...]:
        num_epochs = tf.shape(orders)[0]
        size, full_steps = self.batch_size, self.num_samples // self.batch_size
        remainder = self.num_samples - full_steps * size
        # one TensorArray per output: loss, accuracy[, val_loss, val_accuracy][, tracked outputs]
        num_outputs = 2 + 2 * (self.validation is not None) + (self.track is not None)
        arrays = tuple(tf.TensorArray(tf.float32, size=num_epochs) for _ in range(num_outputs))
        for epoch in tf.range(num_epochs):
            order = orders[epoch] if self.shuffle else None
            # Keras' Mean metrics: loss weighted by batch size, accuracy averaged over samples
            loss_total = tf.zeros([self.num_members])
            accuracy_total = tf.zeros([self.num_members])
            for step in tf.range(full_steps):
                member_loss, accuracy_sum = self._step(*self._batch(order, step * size, size))
                loss_total += member_loss * float(size)
                accuracy_total += accuracy_sum
            if remainder:
                member_loss, accuracy_sum = self._step(*self._batch(order, full_steps * size, remainder))
                loss_total += member_loss * float(remainder)
                accuracy_total += accuracy_sum
            values = [loss_total / float(self.num_samples), accuracy_total / float(self.num_samples)]
            if self.validation is not None:
                values += list(self._evaluate(*self.validation))
            if self.track is not None:
                values.append(self.outputs(self.track))
            arrays = tuple(array.write(epoch, value) for array, value in zip(arrays, values))
        return tuple(array.stack() for array in arrays)

    def weights(self) -> list[list[np.ndarray]]:
        values = [param.numpy() for param in self.params]
        return [[value[member] for value in values] for member in range(self.num_members)]


# ------------------------------------------------------------------------------------------- training


def train_population(
    x: Any,
    y: Any,
    *,
    num_epochs: int,
    seeds: int | Sequence[int] = 20,
    learning_rate: float | Sequence[float] = 1e-3,
    hidden_units: int | Sequence[int] = (2,),
    hidden_activation: str = "sigmoid",
    output_units: int = 1,
    output_activation: str = "sigmoid",
    loss: str = "binary_crossentropy",
    from_logits: bool = False,
    optimizer: str = "rmsprop",
    optimizer_kwargs: Mapping[str, Any] | None = None,
    batch_size: int | None = 32,
    shuffle: bool = True,
    validation_data: tuple[Any, Any] | None = None,
    track: Any = None,
    initial_weights: Sequence[Sequence[Any]] | None = None,
    accuracy_threshold: float = 0.5,
    epochs_per_call: int | None = None,
    progress: bool = False,
) -> PopulationResult:
    """Train K independent copies of a small dense network at once; return every member's history.

    Explained in :doc:`/chapters/low_learning_rate`.

    The network is ``Dense(hidden_units[0], hidden_activation) -> ... -> Dense(output_units,
    output_activation)``. Member ``k`` starts from ``initial_member_weights(seeds[k], ...)``: Glorot-uniform
    kernels from one independent stream per layer and zero biases (the weights of
    :func:`~lossacc.build_sigmoid_net` with ``seed=seeds[k]``), or from ``initial_weights[k]``; it visits the
    training rows in the order ``epoch_orders`` gives for ``seeds[k]`` (another independent stream), and
    trains with ``learning_rate[k]``. Its updates are those of Keras' own optimizer in a ``fit`` run on the
    same batches (same formulas, float32; every option of ``POPULATION_OPTIMIZERS`` is checked to 1e-5), and its
    ``loss``/``accuracy`` are what ``fit`` reports (batch-size-weighted running mean of the per-batch
    losses over the epoch; accuracy of the predictions made during the training steps).

    Parameters
    ----------
    x : array-like, shape (samples, features)
        Training inputs. Not modified.
    y : array-like
        Labels: 0/1 of shape ``(samples,)`` or ``(samples, 1)`` for one output unit; one-hot rows
        ``(samples, output_units)`` for ``categorical_crossentropy``; class indices for
        ``sparse_categorical_crossentropy``.
    num_epochs : int
        Number of epochs, >= 1.
    seeds : int or sequence of int, default 20
        One seed per member (``K = len(seeds)``); an integer ``n`` means ``range(n)``. Equal seeds
        give equal starting weights and data order (useful to compare learning rates).
    learning_rate : float or sequence of float, default 1e-3
        One value for all members, or one per member (same length as ``seeds``). Each > 0.
    hidden_units : int or sequence of int, default (2,)
        Widths of the hidden layers (``()`` for none: a linear/logistic model).
    hidden_activation : {"sigmoid", "relu", "tanh", "linear", "softplus", "elu"}, default "sigmoid"
    output_units : int, default 1
    output_activation : {"sigmoid", "softmax", "linear"}, default "sigmoid"
    loss : {"binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy", \
"mean_squared_error"}, default "binary_crossentropy"
        Computed as Keras does: from the logits after a sigmoid/softmax output; from the clipped
        outputs (``[1e-7, 1 - 1e-7]``) after a linear output with ``from_logits=False``.
    from_logits : bool, default False
        The linear output is a logit (needs ``output_activation="linear"``).
    optimizer : {"sgd", "rmsprop", "adam"}, default "rmsprop"
    optimizer_kwargs : dict, optional
        Hyper-parameters other than the learning rate, with Keras' names and defaults (see
        ``POPULATION_OPTIMIZERS``), e.g. ``{"momentum": 0.9}`` for SGD.
    batch_size : int or None, default 32
        Mini-batch size (the last batch of an epoch may be smaller, as in ``fit``); ``None`` trains
        full-batch.
    shuffle : bool, default True
        Shuffle the rows every epoch (each member with its own generator). Ignored for full batches.
    validation_data : (x_val, y_val), optional
        Evaluated after every epoch: ``val_loss`` and ``val_accuracy`` columns.
    track : array-like, shape (samples, features), optional
        Inputs whose outputs are recorded before training and after every epoch
        (``PopulationResult.outputs``).
    initial_weights : sequence of weight lists, optional
        One list per member, ``[kernel_0, bias_0, ...]`` as ``model.get_weights()`` returns it,
        instead of the seeded initialisation.
    accuracy_threshold : float, default 0.5
        Threshold of the binary accuracy on the *output* (``output > threshold``). Keras'
        ``"accuracy"`` uses 0.5 even with ``from_logits=True``; pass 0.0 to threshold logits.
    epochs_per_call : int, optional
        Epochs per call of the compiled function (default: as many as fit a 16 MB index budget).
    progress : bool, default False
        Show a tqdm progress bar (for interactive use; keep it off in the book).

    Returns
    -------
    PopulationResult
        ``history`` (tidy, one row per member and epoch), ``members``, ``weights``,
        ``outputs``.

    Raises
    ------
    ValueError
        Bad shapes, empty data, non-positive learning rates/epochs, unknown names, inconsistent
        loss/activation choices.
    TypeError
        Arguments of the wrong type.

    Examples
    --------
    >>> from lossacc.data import make_two_blobs
    >>> x, y = make_two_blobs(samples_per_class=20)
    >>> result = train_population(x, y, num_epochs=3, seeds=4, learning_rate=1e-2)
    >>> result.history.shape
    (12, 6)
    >>> list(result.history.columns)
    ['member', 'seed', 'learning_rate', 'epoch', 'loss', 'accuracy']
    """
    # ---- check everything before building anything
    num_epochs = check_positive_int("num_epochs", num_epochs)
    seeds = check_seeds(seeds, what="members")
    learning_rates = _check_learning_rates(learning_rate, len(seeds))
    hidden_units = _check_units(hidden_units)
    hidden_activation = check_choice("hidden_activation", hidden_activation, HIDDEN_ACTIVATIONS)
    output_units = check_positive_int("output_units", output_units)
    output_activation = check_choice("output_activation", output_activation, OUTPUT_ACTIVATIONS)
    if isinstance(loss, str):
        loss = _LOSS_ALIASES.get(loss.lower(), loss)
    loss = check_choice("loss", loss, POPULATION_LOSSES)
    check_bool("from_logits", from_logits)
    if from_logits and output_activation != "linear":
        raise ValueError(
            f"from_logits=True needs output_activation='linear' (the output must be a logit); got {output_activation!r}"
        )
    if output_activation == "softmax" and output_units < 2:
        raise ValueError("output_activation='softmax' needs output_units >= 2 (a one-unit softmax is constant 1)")
    if loss != "binary_crossentropy" and loss != "mean_squared_error" and output_units < 2:
        raise ValueError(f"loss={loss!r} needs output_units >= 2 (one unit per class); got {output_units}")
    if loss == "binary_crossentropy" and output_activation == "softmax":
        raise ValueError("binary_crossentropy expects a 'sigmoid' or 'linear' output; got 'softmax'")
    accuracy_threshold = check_number("accuracy_threshold", accuracy_threshold)
    optimizer, settings = _check_optimizer(optimizer, optimizer_kwargs)
    if batch_size is not None:
        batch_size = check_positive_int("batch_size", batch_size)
    check_bool("shuffle", shuffle)
    if epochs_per_call is not None:
        epochs_per_call = check_positive_int("epochs_per_call", epochs_per_call)

    x = as_features("x", x)
    spec = _Spec(
        num_features=x.shape[1],
        hidden_units=hidden_units,
        hidden_activation=hidden_activation,
        output_units=output_units,
        output_activation=output_activation,
        loss=loss,
        from_logits=bool(from_logits),
        accuracy_threshold=float(accuracy_threshold),
    )
    y = spec.labels("y", y, len(x))
    validation = None
    if validation_data is not None:
        x_val, y_val = check_pair("validation_data", validation_data)
        x_val = as_features("validation x", x_val)
        if x_val.shape[1] != x.shape[1]:
            raise ValueError(f"validation x must have {x.shape[1]} features like x; got shape {x_val.shape}")
        validation = (x_val, spec.labels("validation y", y_val, len(x_val)))
    if track is not None:
        track = as_features("track", track)
        if track.shape[1] != x.shape[1]:
            raise ValueError(f"track must have {x.shape[1]} features like x; got shape {track.shape}")
    if initial_weights is None:
        weights = [initial_member_weights(seed, spec.layer_sizes) for seed in seeds]
    else:
        weights = _check_initial_weights(initial_weights, len(seeds), spec.layer_sizes)

    # ---- train
    engine = _Engine(
        spec,
        weights,
        lambda params: _Optimizer(optimizer, settings, learning_rates, params),
        x,
        y,
        len(x) if batch_size is None else batch_size,
        bool(shuffle),
        validation,
        track,
    )
    num_members, num_samples = len(seeds), len(x)
    if epochs_per_call is None:
        epochs_per_call = max(1, _MAX_ORDER_ENTRIES // (num_members * num_samples)) if engine.shuffle else num_epochs
        if progress:
            epochs_per_call = min(epochs_per_call, max(1, math.ceil(num_epochs / 50)))
    epochs_per_call = min(epochs_per_call, num_epochs)
    generators = [order_generator(seed) for seed in seeds]  # the streams of epoch_orders
    collected: dict[str, list[np.ndarray]] = {}
    tracked = [keras.ops.convert_to_numpy(engine.outputs(engine.track))] if track is not None else []
    names = ["loss", "accuracy"] + (["val_loss", "val_accuracy"] if validation is not None else [])

    def run_chunk(chunk: int) -> float:
        if engine.shuffle:
            orders = np.stack([[rng.permutation(num_samples) for rng in generators] for _ in range(chunk)])
        else:
            orders = np.zeros((chunk, 0, 0))
        results = engine.run(tf.constant(orders, dtype=tf.int32))
        for name, value in itertools.zip_longest(names, results, fillvalue="track"):
            if name == "track":
                tracked.append(np.moveaxis(value.numpy(), 0, 1))  # (K, chunk, T, units)
            else:
                collected.setdefault(name, []).append(value.numpy())  # (chunk, K)
        return float(results[0][-1].numpy().mean())

    run_in_chunks(run_chunk, num_epochs, epochs_per_call, progress=progress, postfix="mean_loss")

    # ---- tidy up
    members = pd.DataFrame(
        {"member": np.arange(num_members), "seed": seeds, "learning_rate": learning_rates}
    )
    metrics = {name: np.concatenate(values).T.astype("float64") for name, values in collected.items()}  # (K, E)
    history = members.loc[np.repeat(np.arange(num_members), num_epochs)].reset_index(drop=True)
    history["epoch"] = np.tile(np.arange(1, num_epochs + 1), num_members)
    for name in ("loss", "accuracy", "val_loss", "val_accuracy"):
        if name in metrics:
            history[name] = metrics[name].reshape(-1)
    outputs = None
    if tracked:
        outputs = np.concatenate([tracked[0][:, None], *tracked[1:]], axis=1).astype("float64")
        if outputs.shape[-1] == 1:
            outputs = outputs[..., 0]
    return PopulationResult(history=history, members=members, weights=engine.weights(), outputs=outputs)


def _check_initial_weights(
    initial_weights: Any, num_members: int, layer_sizes: Sequence[int]
) -> list[list[np.ndarray]]:
    if isinstance(initial_weights, (str, bytes)) or not isinstance(initial_weights, Sequence):
        raise TypeError(
            f"initial_weights must be a list with one weight list per member; got {type(initial_weights).__name__}"
        )
    if len(initial_weights) != num_members:
        raise ValueError(
            f"initial_weights must have one weight list per member ({num_members}); got {len(initial_weights)}"
        )
    expected = []
    for fan_in, fan_out in itertools.pairwise(layer_sizes):
        expected += [(fan_in, fan_out), (fan_out,)]
    checked = []
    for member, member_weights in enumerate(initial_weights):
        arrays = [np.array(w, dtype="float32", copy=True) for w in member_weights]
        shapes = [a.shape for a in arrays]
        if shapes != expected:
            raise ValueError(
                f"initial_weights[{member}] must have shapes {expected} (kernel, bias per layer); got {shapes}"
            )
        checked.append(arrays)
    return checked


# --------------------------------------------------------------------------------------------- grids

_MEMBER_KEYS = ("learning_rate",)
_FORBIDDEN_GRID_KEYS = ("x", "y", "seeds", "track", "validation_data", "initial_weights", "progress")


def train_grid(
    x: Any,
    y: Any,
    grid: Mapping[str, Sequence[Any]],
    *,
    seeds: int | Sequence[int] = 20,
    progress: bool = False,
    **common: Any,
) -> PopulationResult:
    """Train every combination of ``grid`` x ``seeds`` and return one table.

    Explained in :doc:`/chapters/low_learning_rate`.

    Learning rates become members of one population; every combination of the other grid keys
    (``hidden_units``, ``optimizer``, ``batch_size``, ...) is one :func:`lossacc.train_population` call.
    So ``{"learning_rate": [1e-3, 1e-2, 1e-1], "hidden_units": [2, 10]}`` with 20 seeds trains two
    populations of 60 members.

    Parameters
    ----------
    x, y : array-like
        Training data, as for :func:`lossacc.train_population`.
    grid : dict of str to sequence
        Setting name (a keyword of :func:`lossacc.train_population`) to the values to try.
    seeds : int or sequence of int, default 20
        Seeds of every setting (an integer ``n`` means ``range(n)``).
    progress : bool, default False
        One tqdm bar over all epochs of all populations.
    **common
        Other keywords of :func:`lossacc.train_population`, the same for every setting (``num_epochs`` is
        required here or in ``grid``).

    Returns
    -------
    PopulationResult
        ``history`` and ``members`` have a column per grid key (``hidden_units`` holds the integer
        width when each value is one integer). ``member`` numbers all members 0 .. M-1 in grid
        order. ``outputs`` are concatenated over members (tracking needs the same
        ``num_epochs`` and ``output_units`` in every setting).

    Examples
    --------
    >>> from lossacc.data import make_two_blobs
    >>> x, y = make_two_blobs(samples_per_class=20)
    >>> grid = {"learning_rate": [1e-2, 1e-1], "hidden_units": [2, 4]}
    >>> result = train_grid(x, y, grid, seeds=3, num_epochs=2)
    >>> result.num_members, len(result.history)
    (12, 24)
    """
    if not isinstance(grid, Mapping) or not grid:
        raise TypeError(f"grid must be a non-empty dict of setting name -> list of values; got {grid!r}")
    for key, values in grid.items():
        if key in _FORBIDDEN_GRID_KEYS:
            raise ValueError(
                f"{key!r} cannot be a grid key; valid keys are keywords of train_population "
                f"except {list(_FORBIDDEN_GRID_KEYS)}"
            )
        if key in common:
            raise ValueError(f"{key!r} is given both in grid and as a keyword; give it once")
        if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)) or len(values) == 0:
            raise ValueError(f"grid[{key!r}] must be a non-empty list of values; got {values!r}")
    if "track" in common and common["track"] is not None and ("num_epochs" in grid or "output_units" in grid):
        raise ValueError("tracking needs the same num_epochs and output_units in every setting: remove them from grid")
    seeds = check_seeds(seeds, what="members")
    rates = list(grid.get("learning_rate", [common.pop("learning_rate", 1e-3)]))
    other_keys = [key for key in grid if key not in _MEMBER_KEYS]
    combos = list(itertools.product(*(grid[key] for key in other_keys)))
    member_seeds = [seed for _ in rates for seed in seeds]
    member_rates = [rate for rate in rates for _ in seeds]

    bar = None
    if progress:
        epochs = [dict(zip(other_keys, combo)).get("num_epochs", common.get("num_epochs", 0)) for combo in combos]
        bar = progress_bar(int(sum(epochs)), True)
    results = []
    for combo in combos:
        settings = dict(zip(other_keys, combo))
        result = train_population(
            x, y, seeds=member_seeds, learning_rate=member_rates, **settings, **common
        )
        results.append((settings, result))
        if bar is not None:
            bar.update(settings.get("num_epochs", common.get("num_epochs", 0)))
    if bar is not None:
        bar.close()

    histories, members_frames, weights, outputs = [], [], [], []
    offset = 0
    for settings, result in results:
        history, members = result.history.copy(), result.members.copy()
        for frame in (history, members):
            frame["member"] += offset
            for position, key in enumerate(other_keys):
                frame.insert(3 + position, key, _grid_value(settings[key]))
        histories.append(history)
        members_frames.append(members)
        weights += result.weights
        if result.outputs is not None:
            outputs.append(result.outputs)
        offset += result.num_members
    return PopulationResult(
        history=pd.concat(histories, ignore_index=True),
        members=pd.concat(members_frames, ignore_index=True),
        weights=weights,
        outputs=np.concatenate(outputs) if outputs else None,
    )


def _grid_value(value: Any) -> Any:
    """A grid setting as a table cell: one-element sequences become their element, others a string."""
    if isinstance(value, (Sequence, np.ndarray)) and not isinstance(value, str):
        values = list(value)
        return values[0] if len(values) == 1 else "-".join(str(v) for v in values)
    return value
