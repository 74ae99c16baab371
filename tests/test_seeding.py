"""The seeding convention: independent streams per purpose and per layer (issue 9)."""

import keras
import numpy as np
import pytest

from lossacc.training._seeding import KERNEL_PURPOSE, ORDER_PURPOSE, kernel_initializer, kernel_seed, order_generator


def test_kernel_seed_is_the_documented_seed_sequence():
    for seed, layer in [(0, 0), (0, 1), (7, 2), (2**40, 3)]:
        sequence = np.random.SeedSequence(seed).spawn(KERNEL_PURPOSE + 1)[KERNEL_PURPOSE].spawn(layer + 1)[layer]
        assert kernel_seed(seed, layer) == int(sequence.generate_state(1, dtype=np.uint32)[0]) % (2**31 - 2)
    assert isinstance(kernel_seed(3, 1), int)
    assert 0 <= kernel_seed(3, 1) < 2**31 - 2


def test_order_generator_is_the_documented_seed_sequence():
    sequence = np.random.SeedSequence(5).spawn(ORDER_PURPOSE + 1)[ORDER_PURPOSE].spawn(1)[0]
    expected = np.random.default_rng(sequence).permutation(20)
    np.testing.assert_array_equal(order_generator(5).permutation(20), expected)
    np.testing.assert_array_equal(order_generator(5).permutation(20), order_generator(5).permutation(20))


def test_derived_seeds_do_not_collide_or_shift():
    pairs = [(seed, layer) for seed in range(500) for layer in range(4)]
    seeds = [kernel_seed(seed, layer) for seed, layer in pairs]
    assert len(set(seeds)) == len(pairs)
    # the old bug: layer 1 of seed s == layer 0 of seed s + 1
    assert all(kernel_seed(s, 1) != kernel_seed(s + 1, 0) for s in range(100))


def test_same_seed_same_kernel_different_seed_uncorrelated():
    def draw(seed, layer, shape):
        return keras.ops.convert_to_numpy(kernel_initializer(seed, layer)(shape, "float32"))

    np.testing.assert_array_equal(draw(4, 1, (50, 40)), draw(4, 1, (50, 40)))
    wide = draw(4, 1, (13000, 1))[:, 0]
    for other in (draw(5, 0, (13000, 1))[:, 0], draw(4, 0, (13000, 1))[:, 0], draw(5, 1, (13000, 1))[:, 0]):
        assert abs(np.corrcoef(wide, other)[0, 1]) < 0.1  # sd of independent draws ~0.009
    # a shape change still re-uses the first numbers of the same stream (Keras' stateless draw):
    # that is why every layer needs its own stream
    np.testing.assert_allclose(
        draw(4, 1, (13000, 1))[:10, 0] / np.sqrt(6 / 13001), draw(4, 1, (10, 1))[:, 0] / np.sqrt(6 / 11), rtol=1e-5
    )


def test_order_stream_is_not_the_data_stream():
    assert not np.array_equal(order_generator(0).permutation(100), np.random.default_rng(0).permutation(100))
    a, b = order_generator(0).permutation(1000), order_generator(1).permutation(1000)
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.15  # sd ~0.03


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: kernel_seed(-1, 0), ValueError, "seed"),
        (lambda: kernel_seed(1.5, 0), TypeError, "seed"),
        (lambda: kernel_seed(True, 0), TypeError, "seed"),
        (lambda: kernel_seed(0, -1), ValueError, "layer"),
        (lambda: kernel_seed(0, "1"), TypeError, "layer"),
        (lambda: order_generator(-3), ValueError, "seed"),
        (lambda: kernel_initializer(0, 0.5), TypeError, "layer"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
