import numpy as np
import pandas as pd
import pytest

from lossacc.analyze._curves import epochs_to_reach, initial_stall


@pytest.fixture
def runs():
    return pd.DataFrame(
        {
            "seed": [0] * 4 + [1] * 4,
            "epoch": [1, 2, 3, 4] * 2,
            "accuracy": [0.5, 0.5, 0.7, 0.95, 0.6, 0.5, 0.5, 0.8],
        }
    )


def test_epochs_to_reach_single_and_grouped(runs):
    assert epochs_to_reach(runs[runs.seed == 0], 0.9) == 4.0
    table = epochs_to_reach(runs, 0.9, by="seed")
    assert table["seed"].tolist() == [0, 1]
    np.testing.assert_array_equal(table["epochs"].to_numpy(), [4.0, np.nan])


def test_epochs_to_reach_unsorted_epochs(runs):
    shuffled = runs[runs.seed == 0].iloc[::-1]
    assert epochs_to_reach(shuffled, 0.7) == 3.0


def test_initial_stall(runs):
    assert initial_stall(runs[runs.seed == 0]) == 2
    table = initial_stall(runs, value=0.5, by=["seed"])
    assert table["stall_epochs"].tolist() == [2, 0]
    flat = pd.DataFrame({"epoch": [1, 2], "accuracy": [0.5, 0.5]})
    assert initial_stall(flat) == 2


def test_bad_input(runs):
    with pytest.raises(ValueError, match=r"no column\(s\) \['val_accuracy'\]"):
        epochs_to_reach(runs, 0.9, column="val_accuracy")
    with pytest.raises(TypeError, match="DataFrame"):
        initial_stall([0.5, 0.5])
    with pytest.raises(ValueError, match="empty"):
        initial_stall(runs.iloc[:0])
