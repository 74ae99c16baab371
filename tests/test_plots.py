import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from lossacc.plots import (
    plot_history,
    plot_probability_distribution,
    plot_runs,
    plot_trajectories,
    set_book_style,
)


@pytest.fixture
def history():
    return pd.DataFrame(
        {
            "epoch": [1, 2, 3],
            "loss": [0.7, 0.6, 0.5],
            "accuracy": [0.5, 0.5, 0.9],
            "val_loss": [0.72, 0.65, 0.55],
            "val_accuracy": [0.5, 0.6, 0.8],
        }
    )


@pytest.fixture
def probabilities():
    # 4 epochs x 6 samples, class 0 samples drift below 0.5 from epoch 2
    p = np.full((4, 6), 0.55)
    p[2:, :3] = [[0.45, 0.48, 0.52], [0.40, 0.44, 0.47]]
    return p, np.array([0, 0, 0, 1, 1, 1])


def test_plot_history_lines_and_labels(history):
    axes = plot_history(history)
    assert len(axes) == 2
    assert [ax.get_ylabel() for ax in axes] == ["loss", "accuracy"]
    assert [len(ax.get_lines()) for ax in axes] == [2, 2]
    assert [t.get_text() for t in axes[1].get_legend().get_texts()] == ["train", "validation"]
    np.testing.assert_array_equal(axes[1].get_lines()[0].get_ydata(), [0.5, 0.5, 0.9])


def test_plot_history_on_given_axes_and_label(history):
    fig, axes = plt.subplots(1, 2)
    returned = plot_history(history, axes=axes, label="lr=0.1")
    assert returned[0] is axes[0]
    assert axes[0].get_legend().get_texts()[0].get_text() == "lr=0.1 train"


def test_plot_history_bad_input(history):
    with pytest.raises(ValueError, match=r"no column\(s\) \['acc'\]; available columns"):
        plot_history(history, ["acc"])
    with pytest.raises(TypeError, match="DataFrame"):
        plot_history({"epoch": [1]})
    with pytest.raises(ValueError, match="one Axes per metric"):
        _, ax = plt.subplots()
        plot_history(history, ["loss", "accuracy"], axes=[ax])


@pytest.mark.parametrize("kind", ["heatmap", "strip", "violin"])
def test_distribution_kinds(probabilities, kind):
    p, y = probabilities
    ax = plot_probability_distribution(p, y, kind=kind)
    assert ax.get_ylabel() == "predicted p (class 1)"
    threshold_lines = [line for line in ax.get_lines() if line.get_label() == "threshold 0.5"]
    assert len(threshold_lines) == 1
    if kind == "heatmap":
        assert len(ax.collections) == 1
        counts = ax.collections[0].get_array()
        assert counts.sum() == p.size  # every sample at every epoch is counted once


def test_distribution_zoom(probabilities):
    p, y = probabilities
    ax = plot_probability_distribution(p, y, zoom=True)
    low, high = ax.get_ylim()
    assert 0.3 < low < 0.40 and 0.55 < high < 0.6


def test_distribution_bad_input(probabilities):
    p, y = probabilities
    with pytest.raises(ValueError, match=r"unknown kind 'box'; valid choices are \['strip', 'violin', 'heatmap'\]"):
        plot_probability_distribution(p, y, kind="box")
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\]"):
        plot_probability_distribution(p * 3, y)
    with pytest.raises(ValueError, match="one label per tracked sample"):
        plot_probability_distribution(p, y[:2])
    with pytest.raises(ValueError, match="out of range"):
        plot_probability_distribution(p, y, kind="strip", epochs=[0, 9])
    with pytest.raises(TypeError, match="Axes"):
        plot_probability_distribution(p, y, ax="left")


def test_trajectories_marks_crossings(probabilities):
    p, y = probabilities
    ax = plot_trajectories(p, y)
    assert len(ax.get_lines()) == 6 + 1  # one per sample + threshold
    crossing = [c for c in ax.collections if c.get_label() == "becomes correct"]
    assert len(crossing) == 1
    # samples 0 and 1 become correct at epoch 2 and sample 2 at epoch 3 (p(true) = 1 - p)
    offsets = crossing[0].get_offsets()
    assert sorted(offsets[:, 0].tolist()) == [2, 2, 3]


def test_trajectories_bad_samples(probabilities):
    p, y = probabilities
    with pytest.raises(ValueError, match="samples must be indices"):
        plot_trajectories(p, y, samples=[10])


def test_plot_runs_lines_and_band():
    frame = pd.DataFrame(
        {
            "epoch": np.tile([1, 2, 3], 4),
            "accuracy": np.linspace(0.5, 1, 12),
            "setting": np.repeat(["a", "b"], 6),
            "seed": np.repeat([0, 1, 0, 1], 3),
        }
    )
    ax = plot_runs(frame, "accuracy", by="setting", estimator="band")
    assert len(ax.get_lines()) == 2 and len(ax.collections) == 2
    assert ax.get_legend().get_title().get_text() == "setting"
    with pytest.raises(ValueError, match="estimator"):
        plot_runs(frame, "accuracy", by="setting", estimator="mean")


def test_set_book_style():
    set_book_style()
    assert plt.rcParams["axes.spines.top"] is False


# ---- shade_plateaus

from lossacc.plots import shade_plateaus  # noqa: E402


def test_shade_plateaus_bands_and_legend():
    fig, ax = plt.subplots()
    plateaus = pd.DataFrame({"start": [3, 10], "end": [7, 10], "level": [0.5, 0.75]})
    assert shade_plateaus(plateaus, ax) is ax
    bands = ax.patches
    assert len(bands) == 2
    extents = [band.get_x() for band in bands], [band.get_width() for band in bands]
    assert extents == ([2.5, 9.5], [5.0, 1.0])
    assert [band.get_label() for band in bands][0] == "plateau"
    assert ax.get_legend_handles_labels()[1] == ["plateau"]


def test_shade_plateaus_empty_and_bad_input():
    ax = shade_plateaus(pd.DataFrame({"start": [], "end": []}))
    assert len(ax.patches) == 0
    with pytest.raises(TypeError, match="DataFrame"):
        shade_plateaus([(1, 2)])
    with pytest.raises(ValueError, match="no column"):
        shade_plateaus(pd.DataFrame({"first": [1]}))
    with pytest.raises(ValueError, match="ends before it starts"):
        shade_plateaus(pd.DataFrame({"start": [5], "end": [2]}))


# ---- plot_output_bands

from lossacc.plots import plot_output_bands  # noqa: E402


def test_plot_output_bands_draws_both_classes_and_references():
    rng = np.random.default_rng(0)
    outputs = np.cumsum(rng.normal(size=(11, 20)), axis=0)  # unbounded values
    y = np.repeat([0, 1], 10)
    outputs_copy = outputs.copy()
    ax = plot_output_bands(outputs, y, reference_lines=(0.0, 1.0))
    assert len(ax.collections) == 4  # range and quantile band per class
    medians = [line for line in ax.lines if line.get_label().startswith("class")]
    assert len(medians) == 2
    np.testing.assert_allclose(medians[1].get_ydata(), np.median(outputs[:, 10:], axis=1))
    assert len(ax.lines) == 4  # 2 medians + 2 reference lines
    assert ax.get_ylim()[1] >= outputs.max()
    np.testing.assert_array_equal(outputs, outputs_copy)


def test_plot_output_bands_bad_input():
    with pytest.raises(ValueError, match="shape"):
        plot_output_bands(np.zeros(5), np.zeros(5))
    with pytest.raises(ValueError, match="one 0/1 label"):
        plot_output_bands(np.zeros((3, 4)), [0, 1, 2, 1])
    with pytest.raises(ValueError, match="quantiles"):
        plot_output_bands(np.zeros((3, 2)), [0, 1], quantiles=(0.9, 0.1))
    with pytest.raises(TypeError, match="numeric"):
        plot_output_bands([["a"]], [0])
