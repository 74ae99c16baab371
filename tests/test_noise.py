"""lossacc.analyze._noise: standard errors, the binomial band, inferred sample counts and one-epoch dips."""

import numpy as np
import pandas as pd
import pytest

from lossacc.analyze._noise import accuracy_standard_error, binomial_band, find_dips, infer_num_samples


def test_standard_error_values_and_broadcasting():
    assert accuracy_standard_error(0.5, 100) == pytest.approx(0.05)
    assert accuracy_standard_error(0.9, 100) == pytest.approx(0.03)
    assert accuracy_standard_error(1.0, 10) == 0.0
    assert isinstance(accuracy_standard_error(0.5, 4), float)
    se = accuracy_standard_error([0.5, 0.9], np.array([100, 400]))
    np.testing.assert_allclose(se, [0.05, 0.015])


def test_standard_error_matches_simulated_binomial():
    rng = np.random.default_rng(0)
    measured = rng.binomial(100, 0.8, size=20_000) / 100
    assert measured.std() == pytest.approx(accuracy_standard_error(0.8, 100), rel=0.03)


def test_standard_error_does_not_modify_input():
    p = np.array([0.2, 0.7])
    accuracy_standard_error(p, 10)
    np.testing.assert_array_equal(p, [0.2, 0.7])


@pytest.mark.parametrize(("accuracy", "count"), [(1.2, 10), (-0.1, 10), (np.nan, 10), (0.5, 0), (0.5, 2.5), ([], 10)])
def test_standard_error_bad_values(accuracy, count):
    with pytest.raises(ValueError):
        accuracy_standard_error(accuracy, count)


def test_standard_error_bad_types():
    with pytest.raises(TypeError):
        accuracy_standard_error("high", 10)
    with pytest.raises(TypeError):
        accuracy_standard_error(0.5, True)


def test_binomial_band_and_clipping():
    low, high = binomial_band(0.9, 100)
    assert (low, high) == (pytest.approx(0.84), pytest.approx(0.96))
    low, high = binomial_band(0.99, 10, num_standard_errors=3)
    assert high == 1.0 and 0 <= low < 0.99
    lows, highs = binomial_band([0.5, 0.5], [100, 10_000], num_standard_errors=1)
    np.testing.assert_allclose(highs - lows, [0.1, 0.01])


@pytest.mark.parametrize("z", [0, -1, np.inf])
def test_binomial_band_bad_width(z):
    with pytest.raises(ValueError):
        binomial_band(0.5, 10, num_standard_errors=z)
    with pytest.raises(TypeError):
        binomial_band(0.5, 10, num_standard_errors="2")


def test_infer_num_samples():
    assert infer_num_samples([0.25, 0.5, 0.75]) == 4
    assert infer_num_samples([round(k / 95, 4) for k in (83, 57, 86)]) == 95
    assert infer_num_samples([1.0, 0.0]) == 1
    assert infer_num_samples([0.333, 0.667], decimals=3) == 3
    with pytest.raises(ValueError, match="no sample count"):
        infer_num_samples([0.1234, 0.5678], max_samples=50)
    with pytest.raises(ValueError):
        infer_num_samples([1.5])


def test_find_dips_on_array():
    dips = find_dips([0.9, 0.9, 0.6, 0.9, 0.95])
    assert list(dips.columns) == ["epoch", "before", "value", "after", "drop"]
    assert dips["epoch"].tolist() == [3]
    assert dips["drop"].iloc[0] == pytest.approx(0.3)


def test_find_dips_needs_recovery_unless_told():
    values = [0.9, 0.9, 0.6, 0.6, 0.9]  # a two-epoch dip: not a one-epoch dip
    assert find_dips(values).empty
    falls = find_dips(values, recover=False)
    assert falls["epoch"].tolist() == [3] and falls["drop"].iloc[0] == pytest.approx(0.3)
    last = find_dips([0.9, 0.5], recover=False)
    assert last["epoch"].tolist() == [2] and np.isnan(last["after"].iloc[0])
    assert find_dips([0.9, 0.5]).empty  # no next epoch to recover in


def test_find_dips_threshold_is_inclusive_and_small_wiggles_ignored():
    assert find_dips([0.8, 0.7, 0.8], min_drop=0.1)["epoch"].tolist() == [2]
    assert find_dips([0.8, 0.75, 0.8], min_drop=0.1).empty
    assert find_dips([0.5, 0.6, 0.7]).empty  # rising curve


def test_find_dips_by_run_on_a_frame():
    frame = pd.DataFrame(
        {
            "member": [0] * 4 + [1] * 4,
            "epoch": [1, 2, 3, 4] * 2,
            "val_accuracy": [0.9, 0.5, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8],
            "loss": np.zeros(8),
        }
    )
    original = frame.copy()
    dips = find_dips(frame, by="member")
    assert dips[["member", "epoch"]].values.tolist() == [[0, 2]]
    pd.testing.assert_frame_equal(frame, original)
    assert find_dips(frame, "loss", by="member").empty


def test_find_dips_sorts_by_epoch():
    frame = pd.DataFrame({"epoch": [3, 1, 2], "val_accuracy": [0.9, 0.9, 0.5]})
    assert find_dips(frame)["epoch"].tolist() == [2]


def test_find_dips_bad_input():
    with pytest.raises(ValueError, match="no column"):
        find_dips(pd.DataFrame({"epoch": [1, 2]}), "val_accuracy")
    with pytest.raises(ValueError, match="min_drop"):
        find_dips([0.9, 0.5, 0.9], min_drop=0)
    with pytest.raises(TypeError):
        find_dips([0.9, 0.5, 0.9], min_drop="big")
    with pytest.raises(ValueError, match="1-D"):
        find_dips(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="NaN"):
        find_dips([0.9, np.nan, 0.9])
    with pytest.raises(TypeError):
        find_dips(["a", "b"])
    with pytest.raises(ValueError, match="by="):
        find_dips([0.9, 0.5, 0.9], by="member")


# ------------------------------------------------------------------------------ early_stopping_epoch

from lossacc.analyze._noise import early_stopping_epoch  # noqa: E402


def _frame(values, name="val_accuracy"):
    return pd.DataFrame({"epoch": np.arange(1, len(values) + 1), name: values})


def test_early_stopping_patience_zero_stops_at_first_non_improvement():
    assert early_stopping_epoch(_frame([0.8, 0.9, 0.7, 0.95]), "val_accuracy") == (3, 2)
    assert early_stopping_epoch(_frame([0.8, 0.8, 0.9]), "val_accuracy") == (2, 1)  # equal is no improvement
    assert early_stopping_epoch(_frame([0.5, 0.6, 0.7]), "val_accuracy") == (None, 3)


def test_early_stopping_patience_min_delta_mode_and_warm_up():
    values = [0.8, 0.9, 0.7, 0.85, 0.95, 0.9]
    assert early_stopping_epoch(_frame(values), "val_accuracy", patience=3) == (None, 5)
    assert early_stopping_epoch(_frame(values), "val_accuracy", patience=2) == (4, 2)
    assert early_stopping_epoch(_frame(values), "val_accuracy", patience=1) == (3, 2)  # as patience=0 in Keras
    assert early_stopping_epoch(_frame([0.8, 0.82, 0.9]), "val_accuracy", min_delta=0.05) == (2, 1)
    losses = _frame([1.0, 0.9, 0.95, 0.8], "val_loss")
    assert early_stopping_epoch(losses) == (3, 2)  # auto: min for a loss
    assert early_stopping_epoch(losses, mode="max") == (2, 1)
    assert early_stopping_epoch(_frame([0.5, 0.5, 0.9, 0.8]), "val_accuracy", start_from_epoch=2) == (4, 3)


def test_early_stopping_bad_input():
    with pytest.raises(ValueError, match="no column"):
        early_stopping_epoch(_frame([0.5]), "val_loss")
    with pytest.raises(ValueError):
        early_stopping_epoch(_frame([0.5]), "val_accuracy", patience=-1)
    with pytest.raises(ValueError):
        early_stopping_epoch(_frame([0.5]), "val_accuracy", mode="up")
    with pytest.raises(ValueError):
        early_stopping_epoch(_frame([0.5]), "val_accuracy", min_delta=-0.1)
    with pytest.raises(TypeError):
        early_stopping_epoch([0.5, 0.4], "val_accuracy")



@pytest.mark.parametrize(
    ("values", "kwargs"),
    [
        ([0.8, 0.9, 0.7, 0.95, 0.96, 0.97], {"patience": 0}),
        ([0.8, 0.9, 0.7, 0.85, 0.95, 0.9, 0.8, 0.7], {"patience": 2}),
        ([0.5, 0.5, 0.9, 0.8, 0.9, 0.95], {"patience": 0, "start_from_epoch": 2}),
        ([0.8, 0.82, 0.9, 0.91, 0.99], {"patience": 0, "min_delta": 0.05}),
    ],
)
def test_early_stopping_matches_keras_callback(values, kwargs):
    import keras

    class Scripted(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["val_accuracy"] = values[epoch]

    stopper = keras.callbacks.EarlyStopping(monitor="val_accuracy", **kwargs)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    x = np.array([[0.0], [1.0]], dtype="float32")
    history = model.fit(x, np.array([0.0, 1.0]), epochs=len(values), verbose=0, callbacks=[Scripted(), stopper])
    epochs_run = len(history.history["loss"])
    stop, _ = early_stopping_epoch(_frame(values), "val_accuracy", **kwargs)
    assert (stop or len(values)) == epochs_run
    if stop is not None:
        assert stopper.stopped_epoch + 1 == stop


def test_infer_num_samples_with_an_absolute_tolerance_for_full_precision_values():
    values = np.float32(np.array([137, 150, 171, 190, 199]) / 200)
    assert infer_num_samples(values, tolerance=1e-6) == 200
    assert infer_num_samples([0.3333, 0.6667], max_samples=10) == 3
    with pytest.raises(ValueError, match="tolerance"):
        infer_num_samples([0.5], tolerance=0.0)
