"""The seeding convention: one user seed, independent random streams per purpose and per layer.

A run's randomness comes from a single non-negative integer ``seed``. Every use of it -- the
kernel of layer ``0``, the kernel of layer ``1``, ..., the order in which the rows are visited --
draws from its *own* stream, derived with :class:`numpy.random.SeedSequence`::

    SeedSequence(seed, spawn_key=(purpose, index))

which is exactly ``SeedSequence(seed).spawn(...)[purpose].spawn(...)[index]``: NumPy's documented
way to get statistically independent streams from one seed. ``purpose`` is
:data:`KERNEL_PURPOSE` (``index`` = the layer, from 0) or :data:`ORDER_PURPOSE` (``index`` = 0).

Why not ``seed + layer``: a Keras initializer seeded with an integer draws the same numbers
whatever the shape, so with ``seed + layer`` the output kernel of seed ``s`` was a rescaled copy of
the first entries of seed ``s + 1``'s hidden kernel, and "20 seeds" were not 20 independent draws.

Every module that turns a seed into weights or a row order calls this module:
:func:`lossacc.training._models.build_sigmoid_net`, :func:`lossacc.training._population.initial_member_weights`,
:func:`lossacc.training._population.epoch_orders` (and the population engine's shuffling),
:func:`lossacc.training._frozen_heads.frozen_relu_weights` and :func:`lossacc.training._lr_finder.lr_range_test`'s
row order. Keras is imported only when :func:`kernel_initializer` is called.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lossacc._validation import check_positive_int, check_seed

__all__ = ["KERNEL_PURPOSE", "ORDER_PURPOSE", "kernel_initializer", "kernel_seed", "order_generator"]

#: ``spawn_key`` purpose of the layers' kernel initializers (index = layer, from 0).
KERNEL_PURPOSE: int = 0
#: ``spawn_key`` purpose of the row order (shuffling) of a run (index 0).
ORDER_PURPOSE: int = 1

# Keras' TensorFlow backend reduces integer seeds modulo int32.max - 1 (``_cast_seed``); staying
# below keeps every derived seed distinct as Keras sees it.
_KERAS_SEED_LIMIT = 2**31 - 2


def _stream(seed: int, purpose: int, index: int) -> np.random.SeedSequence:
    """The :class:`numpy.random.SeedSequence` of ``(seed, purpose, index)``: the single definition."""
    return np.random.SeedSequence(check_seed(seed), spawn_key=(purpose, index))


def kernel_seed(seed: int, layer: int) -> int:
    """The integer seed of layer ``layer``'s kernel initializer for a run seeded ``seed``.

    Pass it to ``keras.initializers.GlorotUniform(seed=...)``. Different ``(seed, layer)`` pairs
    give independent draws (unlike ``seed + layer``, where seed ``s``'s layer 1 shared its numbers
    with seed ``s + 1``'s layer 0).

    Parameters
    ----------
    seed : int
        The run's seed (>= 0).
    layer : int
        Index of the ``Dense`` layer, from 0 (the first hidden layer).

    Returns
    -------
    int
        A seed in ``[0, 2**31 - 2)``, a pure function of ``(seed, layer)``.

    Raises
    ------
    TypeError
        If ``seed`` or ``layer`` is not an integer.
    ValueError
        If ``seed`` or ``layer`` is negative.

    Examples
    --------
    >>> kernel_seed(0, 0) == kernel_seed(0, 0)
    True
    >>> kernel_seed(0, 1) == kernel_seed(1, 0)
    False
    """
    layer = check_positive_int("layer", layer, minimum=0)
    state = _stream(seed, KERNEL_PURPOSE, layer).generate_state(1, dtype=np.uint32)[0]
    return int(state) % _KERAS_SEED_LIMIT


def kernel_initializer(seed: int, layer: int) -> Any:
    """The Glorot-uniform initializer of layer ``layer``'s kernel for a run seeded ``seed``.

    ``keras.initializers.GlorotUniform(seed=kernel_seed(seed, layer))``: give it to
    ``Dense(..., kernel_initializer=...)``, or call it with a shape to draw the kernel
    (the biases start at zero, Keras' default).

    Parameters
    ----------
    seed : int
        The run's seed (>= 0).
    layer : int
        Index of the ``Dense`` layer, from 0.

    Returns
    -------
    keras.initializers.GlorotUniform

    Raises
    ------
    TypeError
        If ``seed`` or ``layer`` is not an integer.
    ValueError
        If ``seed`` or ``layer`` is negative.

    Examples
    --------
    >>> kernel_initializer(0, 1)(shape=(2, 1), dtype="float32").shape  # doctest: +SKIP
    TensorShape([2, 1])
    """
    import keras

    return keras.initializers.GlorotUniform(seed=kernel_seed(seed, layer))


def order_generator(seed: int) -> np.random.Generator:
    """The NumPy generator of a run's row order (its shuffling), for a run seeded ``seed``.

    Epoch ``e``'s order is the generator's ``e``-th ``permutation(num_samples)``
    (:func:`lossacc.training._population.epoch_orders`). Independent of the kernels' streams and of
    data generated with ``numpy.random.default_rng(seed)`` (e.g. :func:`lossacc.data.make_two_blobs`).

    Parameters
    ----------
    seed : int
        The run's seed (>= 0).

    Returns
    -------
    numpy.random.Generator
        A fresh generator (PCG64) seeded from ``SeedSequence(seed, spawn_key=(ORDER_PURPOSE, 0))``.

    Raises
    ------
    TypeError
        If ``seed`` is not an integer.
    ValueError
        If ``seed`` is negative.

    Examples
    --------
    >>> order_generator(3).permutation(5).tolist() == order_generator(3).permutation(5).tolist()
    True
    """
    return np.random.default_rng(_stream(seed, ORDER_PURPOSE, 0))
