"""Model builders: the small networks the chapters train, compiled and ready for ``fit``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
from keras import layers

from lossacc._validation import check_choice, check_positive_float, check_positive_int
from lossacc.training._seeding import kernel_initializer

__all__ = ["OPTIMIZERS", "make_optimizer", "build_sigmoid_net"]

#: Optimizer names accepted by :func:`lossacc.make_optimizer` and the model builders.
OPTIMIZERS: dict[str, type[keras.optimizers.Optimizer]] = {
    "sgd": keras.optimizers.SGD,
    "rmsprop": keras.optimizers.RMSprop,
    "adam": keras.optimizers.Adam,
}


def make_optimizer(name: str = "rmsprop", learning_rate: float = 1e-3, **kwargs: Any) -> keras.optimizers.Optimizer:
    """Create a Keras optimizer by name.

    Explained in :doc:`/chapters/low_learning_rate`.

    Parameters
    ----------
    name : {"sgd", "rmsprop", "adam"}
        Optimizer name (case-insensitive).
    learning_rate : float
        Step size, > 0.
    **kwargs
        Passed to the Keras optimizer (e.g. ``momentum=0.9`` for SGD).

    Returns
    -------
    keras.optimizers.Optimizer

    Raises
    ------
    ValueError
        If ``name`` is unknown (the message lists the valid names) or ``learning_rate`` is not > 0.
    """
    key = check_choice("optimizer", name, OPTIMIZERS)
    learning_rate = check_positive_float("learning_rate", learning_rate)
    return OPTIMIZERS[key](learning_rate=learning_rate, **kwargs)


def build_sigmoid_net(
    num_units: int = 2,
    *,
    num_features: int = 2,
    optimizer: str | keras.optimizers.Optimizer = "rmsprop",
    learning_rate: float = 1e-3,
    seed: int = 0,
    metrics: Sequence[Any] = ("accuracy",),
) -> keras.Model:
    """``Dense(num_units, sigmoid) -> Dense(1, sigmoid)``, compiled with binary cross-entropy.

    The network of :doc:`/chapters/low_learning_rate`. Its weights depend only on ``seed``
    (Glorot-uniform kernels seeded ``kernel_seed(seed, layer)`` from ``lossacc.training._seeding``, an
    independent stream per layer; zero biases), not on any global random state.

    Parameters
    ----------
    num_units : int, default 2
        Width of the hidden layer.
    num_features : int, default 2
        Number of input features.
    optimizer : {"sgd", "rmsprop", "adam"} or keras.optimizers.Optimizer, default "rmsprop"
        Optimizer name, or an optimizer instance (then ``learning_rate`` is ignored).
    learning_rate : float, default 1e-3
        Learning rate when ``optimizer`` is a name.
    seed : int, default 0
        Seed of the weight initializers (>= 0).
    metrics : sequence, default ("accuracy",)
        Metrics passed to ``compile``.

    Returns
    -------
    keras.Model
        A compiled model with ``num_features * num_units + num_units + num_units + 1`` parameters.
    """
    num_units = check_positive_int("num_units", num_units)
    num_features = check_positive_int("num_features", num_features)
    if isinstance(optimizer, str):
        optimizer = make_optimizer(optimizer, learning_rate)
    elif not isinstance(optimizer, keras.optimizers.Optimizer):
        raise TypeError(
            f"optimizer must be one of {list(OPTIMIZERS)} or a keras.optimizers.Optimizer; "
            f"got {type(optimizer).__name__}"
        )
    model = keras.Sequential(
        [
            keras.Input(shape=(num_features,)),
            layers.Dense(num_units, activation="sigmoid", kernel_initializer=kernel_initializer(seed, 0)),
            layers.Dense(1, activation="sigmoid", kernel_initializer=kernel_initializer(seed, 1)),
        ],
        name=f"sigmoid_net_{num_units}",
    )
    model.compile(optimizer=optimizer, loss="binary_crossentropy", metrics=list(metrics))
    return model
