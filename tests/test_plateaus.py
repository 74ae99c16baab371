import numpy as np
import pandas as pd
import pytest

from lossacc.analyze._plateaus import describe_plateaus, find_plateaus, grid_counts, is_on_grid

# ---- the grid of 1/n


def test_is_on_grid_values_and_float32_rounding():
    n = 120
    exact = np.arange(n + 1) / n
    assert is_on_grid(exact, n).all()
    # Keras accumulates in float32: 119/120 comes back a few 1e-6 samples off the grid
    assert is_on_grid(np.float32(119) / np.float32(n) + np.float32(5e-8), n).all()
    assert not is_on_grid([0.5 / n], n)[0]  # half a sample
    assert is_on_grid([1 / 3], 120)[0]  # 1/3 is 40/120: a "round-looking" value can be on the grid
    assert not is_on_grid([1 / 3], 100)[0]  # but not on the grid of 1/100
    np.testing.assert_array_equal(is_on_grid([[0.5, 0.25], [0.1, 1.0]], 4), [[True, True], [False, True]])


def test_grid_counts_and_off_grid_error():
    np.testing.assert_array_equal(grid_counts([0.0, 1 / 30, 0.9666667, 1.0], 30), [0, 1, 29, 30])
    with pytest.raises(ValueError, match=r"1 value\(s\) are not multiples of 1/30 \(first: 0.51 = 15.3000/30\)"):
        grid_counts([0.0, 0.5, 0.51], 30)  # 15/30 is fine, 0.51 is not
    # an accuracy measured on 100 samples (37/100) is off the grid of 1/120 ...
    with pytest.raises(ValueError, match="1/120"):
        grid_counts([0.37], 120)
    # ... but some are on both grids (known false positive of the check): 0.35 = 42/120 = 35/100
    assert grid_counts([0.35], 120).tolist() == [42]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"values": [0.5], "num_samples": 0}, ValueError, "num_samples must be an integer >= 1"),
        ({"values": [0.5], "num_samples": 2.0}, TypeError, "num_samples"),
        ({"values": [0.5], "num_samples": 2, "tolerance": 0}, ValueError, "tolerance"),
        ({"values": [np.nan], "num_samples": 2}, ValueError, "NaN"),
        ({"values": ["a"], "num_samples": 2}, TypeError, "numeric"),
    ],
)
def test_grid_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        is_on_grid(**kwargs)


# ---- plateaus


def test_find_plateaus_runs_levels_and_epochs():
    series = [0.5, 0.5, 0.5, 0.75, 1.0, 1.0]
    frame = find_plateaus(series, min_length=2)
    assert list(frame.columns) == ["start", "end", "length", "level"]
    assert frame[["start", "end", "length"]].to_numpy().tolist() == [[1, 3, 3], [5, 6, 2]]
    assert frame["level"].tolist() == [0.5, 1.0]
    every_run = find_plateaus(series, min_length=1, epochs=range(6))
    assert every_run[["start", "end"]].to_numpy().tolist() == [[0, 2], [3, 3], [4, 5]]
    assert find_plateaus(series, min_length=4).empty
    assert list(find_plateaus(series, min_length=4).columns) == ["start", "end", "length", "level"]


def test_find_plateaus_a_return_to_an_earlier_level_is_a_new_plateau():
    # 3 -> 4 -> 3: two separate plateaus at the same level, not one
    frame = find_plateaus([3, 3, 4, 3, 3], min_length=2)
    assert frame[["start", "end", "level"]].to_numpy().tolist() == [[1, 2, 3], [4, 5, 3]]


def test_find_plateaus_tolerance_and_input_untouched():
    series = np.array([0.5, 0.5 + 1e-12, 0.5000001, 0.6])
    original = series.copy()
    assert find_plateaus(series, min_length=2)["length"].tolist() == [2]
    assert find_plateaus(series, min_length=2, tolerance=1e-6)["length"].tolist() == [3]
    np.testing.assert_array_equal(series, original)
    pandas_series = pd.Series([1.0, 1.0, 2.0], index=[10, 11, 12])  # the index is ignored
    assert find_plateaus(pandas_series)[["start", "end"]].to_numpy().tolist() == [[1, 2]]


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        (([[1, 2]],), {}, ValueError, "1-D"),
        (([],), {}, ValueError, "empty"),
        (([1.0, np.inf],), {}, ValueError, "NaN or infinite"),
        (([1, 1],), {"min_length": 0}, ValueError, "min_length"),
        (([1, 1],), {"epochs": [1, 2, 3]}, ValueError, "one entry per value"),
        (([1, 1],), {"epochs": [2, 1]}, ValueError, "strictly increasing"),
        (([1, 1],), {"epochs": [0.5, 1.5]}, TypeError, "integers"),
        (([1, 1],), {"tolerance": -1}, ValueError, "tolerance"),
        (("ab",), {}, TypeError, "numeric"),
    ],
)
def test_find_plateaus_bad_input(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        find_plateaus(*args, **kwargs)


# ---- under the plateaus


@pytest.fixture
def tracked():
    """4 samples, 3 classes, rows 0..5. Sample 0 becomes correct at row 2; samples 1 and 2 swap at row 4."""
    y = np.array([0, 1, 2, 2])
    p = np.full((6, 4, 3), 1 / 3)
    for row in range(6):
        confidence = 0.5 + 0.05 * row  # the correct samples grow more confident every row
        p[row, 3] = [0.1, 0.9 - confidence, confidence] if row < 5 else [0.05, 0.1, 0.85]
        p[row, 0] = [0.2, 0.5, 0.3] if row < 2 else [confidence, 0.9 - confidence, 0.1]
        p[row, 1] = [0.1, confidence, 0.9 - confidence] if row < 4 else [0.1, 0.3, 0.6]  # becomes wrong
        p[row, 2] = [0.1, 0.6, 0.3] if row < 4 else [0.1, 0.3, 0.6]  # becomes correct
    return p, y


def test_describe_plateaus_counts_swaps_and_loss(tracked):
    p, y = tracked
    counts = (p.argmax(axis=2) == y).sum(axis=1)
    assert counts.tolist() == [2, 2, 3, 3, 3, 3]
    plateaus = find_plateaus(counts, min_length=2, epochs=range(len(counts)))
    assert plateaus[["start", "end"]].to_numpy().tolist() == [[0, 1], [2, 5]]
    described = describe_plateaus(plateaus, p, y)
    assert described["became_correct"].tolist() == [0, 1]
    assert described["became_wrong"].tolist() == [0, 1]  # a swap: the count stays, the predictions do not
    assert described["class_changes"].tolist() == [0, 2]
    true_p = p[:, np.arange(4), y]
    expected_loss = -np.log(true_p).mean(axis=1)
    np.testing.assert_allclose(described["loss_start"], expected_loss[[0, 2]])
    np.testing.assert_allclose(described["loss_end"], expected_loss[[1, 5]])
    np.testing.assert_allclose(described["p_true_end"], true_p.mean(axis=1)[[1, 5]])
    assert list(plateaus.columns) == ["start", "end", "length", "level"]  # not modified in place
    one_hot = np.eye(3)[y]
    pd.testing.assert_frame_equal(describe_plateaus(plateaus, p, one_hot), described)


def test_describe_plateaus_counts_a_move_between_two_wrong_classes(tracked):
    # a known blind spot of right/wrong flips: sample 3 (virginica) goes from predicted setosa to versicolor
    p, y = tracked
    p = p.copy()
    p[:3, 3] = [0.6, 0.3, 0.1]
    p[3:, 3] = [0.3, 0.6, 0.1]
    counts = (p.argmax(axis=2) == y).sum(axis=1)
    plateaus = find_plateaus(counts, min_length=2, epochs=range(len(counts)))
    assert plateaus[["start", "end"]].to_numpy().tolist() == [[0, 1], [2, 5]]
    described = describe_plateaus(plateaus, p, y)
    assert described["became_correct"].tolist() == [0, 1]
    assert described["became_wrong"].tolist() == [0, 1]
    assert described["class_changes"].tolist() == [0, 3]  # the swap (2) and the wrong-to-wrong move (1)


def test_describe_plateaus_one_output_class_changes_are_flips():
    y = np.array([1, 0, 1])
    p = np.array([[0.4, 0.6, 0.7], [0.6, 0.4, 0.7], [0.6, 0.4, 0.8], [0.7, 0.3, 0.45]])
    described = describe_plateaus(pd.DataFrame({"start": [0], "end": [3]}), p, y)
    assert described[["class_changes", "became_correct", "became_wrong"]].iloc[0].tolist() == [3, 2, 1]


def test_describe_plateaus_clips_like_keras(tracked):
    p, y = tracked
    p = p.copy()
    p[:, 0] = [0.0, 0.0, 1.0]  # a hard zero on the true class: the loss is finite, -log(1e-7)
    described = describe_plateaus(pd.DataFrame({"start": [0], "end": [1]}), p, y)
    assert np.isfinite(described["loss_start"]).all()


def test_describe_plateaus_bad_input(tracked):
    p, y = tracked
    with pytest.raises(TypeError, match="DataFrame"):
        describe_plateaus([(0, 1)], p, y)
    with pytest.raises(ValueError, match="no column"):
        describe_plateaus(pd.DataFrame({"begin": [0]}), p, y)
    with pytest.raises(ValueError, match="tracked rows"):
        describe_plateaus(pd.DataFrame({"start": [3], "end": [6]}), p, y)
    with pytest.raises(ValueError, match="class indices"):
        describe_plateaus(pd.DataFrame({"start": [0], "end": [1]}), p, y[:3])
