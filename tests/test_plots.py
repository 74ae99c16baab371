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


# ---- plot_probability_pairs

from lossacc.plots import plot_probability_pairs  # noqa: E402


def test_plot_probability_pairs_counts_corners_and_keeps_inputs():
    first = np.array([0.9, 0.8, 0.3, 0.6, 0.2])  # p(class 1)
    second = np.array([0.7, 0.4, 0.6, 0.45, 0.1])
    y = np.array([1, 1, 1, 0, 0])
    first_copy, second_copy = first.copy(), second.copy()
    ax = plot_probability_pairs(first, second, y, labels=("off", "on"))
    texts = [text.get_text() for text in ax.texts]
    # right in first: samples 0, 1, 4; right in second: 0, 2, 3, 4
    assert texts == ["right in both: 2", "right only off: 1", "right only on: 2", "wrong in both: 0"]
    assert ax.get_xlabel() == "p(true class), off"
    assert sum(len(c.get_offsets()) for c in ax.collections) == 5
    np.testing.assert_allclose(ax.collections[0].get_offsets()[:, 0], [0.4, 0.8])  # class 0: 1 - p
    np.testing.assert_array_equal(first, first_copy)
    np.testing.assert_array_equal(second, second_copy)


def test_plot_probability_pairs_multiclass_and_max_points():
    rng = np.random.default_rng(0)
    first = rng.dirichlet(np.ones(3), size=50)
    second = rng.dirichlet(np.ones(3), size=50)
    y = rng.integers(0, 3, size=50)
    ax = plot_probability_pairs(first, second, y, max_points=10)
    assert sum(len(c.get_offsets()) for c in ax.collections) == 10
    counts = [int(text.get_text().rsplit(": ", 1)[1]) for text in ax.texts]
    assert sum(counts) == 50


def test_plot_probability_pairs_bad_input():
    with pytest.raises(ValueError, match="same shape"):
        plot_probability_pairs([0.1, 0.2], [0.1], [0, 1])
    with pytest.raises(ValueError, match="probabilities"):
        plot_probability_pairs([0.1, 1.2], [0.1, 0.2], [0, 1])
    with pytest.raises(ValueError, match="one label"):
        plot_probability_pairs([0.1, 0.2], [0.1, 0.2], [0, 1, 1])
    with pytest.raises(TypeError, match="two strings"):
        plot_probability_pairs([0.1, 0.2], [0.1, 0.2], [0, 1], labels="ab")
    with pytest.raises(ValueError, match="max_points"):
        plot_probability_pairs([0.1, 0.2], [0.1, 0.2], [0, 1], max_points=0)
    with pytest.raises(TypeError, match="max_points"):
        plot_probability_pairs([0.1, 0.2], [0.1, 0.2], [0, 1], max_points=True)
    with pytest.raises(TypeError, match="numeric"):
        plot_probability_pairs(["a", "b"], [0.1, 0.2], [0, 1])


# ---- plot_loss_contributions

from lossacc.plots import plot_loss_contributions  # noqa: E402


def test_plot_loss_contributions_bands_add_up_to_the_mean_loss():
    losses = np.array([[0.7, 0.7, 0.7, 0.7], [0.1, 0.3, 2.0, 0.05], [0.01, 0.2, 4.0, 0.02]])
    losses_copy = losses.copy()
    ax = plot_loss_contributions(losses, max_samples=2)
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels == ["mean loss", "other 2 samples", "sample 1", "sample 2"]  # largest last loss on top
    np.testing.assert_allclose(ax.lines[0].get_ydata(), losses.mean(axis=1))
    top = ax.collections[-1].get_paths()[0].vertices[:, 1].max()  # upper edge of the stack
    assert top == pytest.approx(losses.mean(axis=1).max())
    assert len(ax.collections) == 3 and ax.get_xlabel() == "epoch"
    np.testing.assert_array_equal(losses, losses_copy)


def test_plot_loss_contributions_given_samples_and_ax():
    fig, ax = plt.subplots()
    out = plot_loss_contributions(np.ones((3, 5)), samples=[4, 0], ax=ax)
    assert out is ax
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["mean loss", "other 3 samples", "sample 4",
                                                                   "sample 0"]


def test_plot_loss_contributions_bad_input():
    with pytest.raises(ValueError, match="shape"):
        plot_loss_contributions(np.ones(4))
    with pytest.raises(ValueError, match=">= 0"):
        plot_loss_contributions([[0.1, -0.2]])
    with pytest.raises(ValueError, match=">= 0"):
        plot_loss_contributions([[0.1, np.inf]])
    with pytest.raises(ValueError, match="indices"):
        plot_loss_contributions(np.ones((2, 3)), samples=[3])
    with pytest.raises(ValueError, match="repeat"):
        plot_loss_contributions(np.ones((2, 3)), samples=[1, 1])
    with pytest.raises(TypeError, match="max_samples"):
        plot_loss_contributions(np.ones((2, 3)), max_samples=0.5)
    with pytest.raises(TypeError, match="numeric"):
        plot_loss_contributions([["a"]])
    with pytest.raises(TypeError, match="ax"):
        plot_loss_contributions(np.ones((2, 3)), ax="axes")


# ---- plot_reliability_diagram

from lossacc.plots import plot_reliability_diagram  # noqa: E402


def test_plot_reliability_diagram_binary_bins_and_inputs_kept():
    p = np.array([0.95, 0.97, 0.02, 0.99, 0.6, 0.45])  # p(class 1)
    y = np.array([1, 0, 0, 1, 1, 0])
    p_copy = p.copy()
    ax = plot_reliability_diagram(p, y, bins=[0.5, 0.9, 1.0], label="model")
    # confidences: 0.95, 0.97, 0.98, 0.99 (right, wrong, right, right) | 0.6, 0.55 (both right)
    xs, ys = ax.lines[0].get_data()
    np.testing.assert_allclose(xs, [0.575, 0.9725])
    np.testing.assert_allclose(ys, [1.0, 0.75])
    sizes = ax.collections[0].get_sizes()
    assert sizes[1] > sizes[0]  # four samples against two
    assert sorted(t.get_text() for t in ax.get_legend().get_texts()) == ["calibrated", "model"]
    np.testing.assert_array_equal(p, p_copy)


def test_plot_reliability_diagram_multiclass_overlay_keeps_one_diagonal():
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(3), size=200)
    y = rng.integers(0, 3, size=200)
    ax = plot_reliability_diagram(p, y, bins=4, label="a")
    plot_reliability_diagram(p, np.eye(3)[y], bins=4, label="b", ax=ax)  # one-hot labels
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels.count("calibrated") == 1 and "a" in labels and "b" in labels
    xs = ax.lines[0].get_xdata()
    assert xs.min() >= 1 / 3 and xs.max() <= 1


def test_plot_reliability_diagram_bad_input():
    with pytest.raises(ValueError, match="probabilities"):
        plot_reliability_diagram([0.2, 1.5], [0, 1])
    with pytest.raises(ValueError, match="one label"):
        plot_reliability_diagram([0.2, 0.5], [0, 1, 1])
    with pytest.raises(ValueError, match="0/1"):
        plot_reliability_diagram([0.2, 0.5], [0, 2])
    with pytest.raises(ValueError, match="increasing"):
        plot_reliability_diagram([0.2, 0.5], [0, 1], bins=[0.9, 0.5])
    with pytest.raises(ValueError, match=">= 1"):
        plot_reliability_diagram([0.2, 0.5], [0, 1], bins=0)
    with pytest.raises(TypeError, match="bins"):
        plot_reliability_diagram([0.2, 0.5], [0, 1], bins="auto")


# ------------------------------------------------------------- precision-recall and thresholds (imbalance)


def _imbalanced_scores():
    y = np.array([0] * 8 + [1] * 2)
    p = np.array([0.05, 0.1, 0.1, 0.15, 0.2, 0.25, 0.3, 0.45, 0.3, 0.4])
    return y, p


def test_plot_precision_recall_curve_marks_and_chance_level():
    from lossacc.plots import plot_precision_recall

    y, p = _imbalanced_scores()
    ax = plot_precision_recall(y, p, label="model", mark_thresholds=(0.5, 0.35))
    curve, marks = ax.get_lines()[0], ax.get_lines()[1]
    # sorted: 0.45 (0), 0.4 (1), 0.3 (tie: one of each class), ... -> recall steps 0, 0.5, 1.0
    np.testing.assert_allclose(curve.get_xdata()[:4], [0.0, 0.0, 0.5, 1.0])
    np.testing.assert_allclose(curve.get_ydata()[:4], [1.0, 0.0, 0.5, 0.5])
    # threshold 0.5 predicts nothing (recall 0, precision 0); 0.35 catches 0.4 and 0.45
    np.testing.assert_allclose(marks.get_xdata(), [0.0, 0.5])
    np.testing.assert_allclose(marks.get_ydata(), [0.0, 0.5])
    assert [t.get_text() for t in ax.texts] == ["0.5", "0.35"]
    chance = ax.get_lines()[2]
    np.testing.assert_allclose(chance.get_ydata(), [0.2, 0.2])
    assert ax.get_legend().get_texts()[0].get_text() == "model"


def test_plot_precision_recall_on_given_axes_without_marks():
    from lossacc.plots import plot_precision_recall

    y, p = _imbalanced_scores()
    fig, ax = plt.subplots()
    assert plot_precision_recall(y, p, mark_thresholds=(), ax=ax) is ax
    assert len(ax.get_lines()) == 2 and not ax.texts and ax.get_legend() is None


def test_plot_precision_recall_bad_input():
    from lossacc.plots import plot_precision_recall

    y, p = _imbalanced_scores()
    with pytest.raises(ValueError, match="no sample of class 1"):
        plot_precision_recall(np.zeros(10), p)
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        plot_precision_recall(y, p + 1)
    with pytest.raises(ValueError, match="thresholds must be"):
        plot_precision_recall(y, p, mark_thresholds=(2.0,))
    with pytest.raises(TypeError, match="Axes"):
        plot_precision_recall(y, p, ax="left")


def test_plot_threshold_metrics_lines_and_markers():
    from lossacc.plots import plot_threshold_metrics

    y, p = _imbalanced_scores()
    ax = plot_threshold_metrics(y, p, chosen=0.35)
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["precision", "recall", "f1", "0.5 (Keras' default)", "chosen: 0.35"]
    assert len(lines[0].get_xdata()) == 99
    recall = lines[1].get_ydata()
    assert recall[0] == 1.0 and recall[-1] == 0.0
    np.testing.assert_allclose(lines[4].get_xdata(), [0.35, 0.35])


def test_plot_threshold_metrics_bad_input():
    from lossacc.plots import plot_threshold_metrics

    y, p = _imbalanced_scores()
    with pytest.raises(ValueError, match=r"unknown metric\(s\) \['auc'\]; valid metrics are"):
        plot_threshold_metrics(y, p, metrics=["recall", "auc"])
    with pytest.raises(ValueError, match="chosen must be a threshold"):
        plot_threshold_metrics(y, p, chosen=1.5)
    with pytest.raises(ValueError, match="0/1 labels"):
        plot_threshold_metrics(y + 1, p)


# ---- findings and logs (lossacc.watch._monitor, lossacc plot)


def _finding(name, epochs):
    from lossacc.diagnosis._findings import make_finding

    return make_finding(name, "title", None, epochs, ["evidence"], size=100, step=0.01, patience=5)


def test_mark_findings_bands_lines_and_one_legend_entry_per_name(history):
    from lossacc.plots import mark_findings

    _, ax = plt.subplots()
    ax.plot(history["epoch"], history["accuracy"], label="train")
    findings = [_finding("accuracy_stall", [1, 2, 3, 5]), _finding("validation_dip", [7]),
                _finding("validation_dip", [9]), _finding("not_moving", [])]
    assert mark_findings(findings, ax) is ax
    spans = ax.patches
    assert [(p.get_x(), p.get_width()) for p in spans] == [(0.5, 3.0), (4.5, 1.0)]  # 1-3 and 5
    dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert [line.get_xdata()[0] for line in dashed] == [7, 9]
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels == ["train", "accuracy_stall", "validation_dip"]  # not_moving has no epoch: not drawn
    with pytest.raises(TypeError, match="Finding"):
        mark_findings(["accuracy_stall"], ax)


def test_plot_findings_panels_single_axes_and_infinite_values(history):
    from lossacc.plots import plot_findings

    frame = history.assign(loss=[0.7, np.inf, np.nan])
    axes = plot_findings(frame, [_finding("nonfinite", [2, 3])])
    assert len(axes) == 2 and [ax.get_ylabel() for ax in axes] == ["loss", "accuracy"]
    assert all(len(ax.patches) == 1 for ax in axes)
    assert np.isnan(axes[0].get_lines()[0].get_ydata()[1])  # inf drawn as a gap
    assert np.isinf(frame["loss"].iloc[1])  # the caller's frame is not modified
    _, ax = plt.subplots()
    assert plot_findings(history, [], ax=ax, metrics=["val_accuracy", "loss"]) is ax
    assert ax.get_ylabel() == "val_accuracy"
    with pytest.raises(ValueError, match="no column"):
        plot_findings(history, [], metrics=["auc"])


def test_default_curve_metrics():
    from lossacc.plots import default_curve_metrics

    assert default_curve_metrics(["epoch", "loss", "acc", "val_loss", "val_acc"]) == ["loss", "acc"]
    assert default_curve_metrics(["run", "epoch", "val_loss", "val_binary_accuracy"]) == ["val_loss",
                                                                                          "val_binary_accuracy"]
    assert default_curve_metrics(["epoch", "mae", "mse", "lr", "x"]) == ["mae", "mse", "lr"]


def test_plot_log_curves_one_row_per_run_or_overlaid(history):
    from matplotlib.figure import Figure

    from lossacc.plots import plot_log_curves

    two = pd.concat([history.assign(run=1), history.assign(run=2)], ignore_index=True)
    figure = Figure()
    grid = plot_log_curves(two, ["loss", "accuracy"], title="log.txt", figure=figure)
    assert grid.shape == (2, 2) and grid[1, 0].get_title(loc="left") == "run 2"
    assert figure.get_suptitle() == "log.txt"
    assert tuple(figure.get_size_inches()) == pytest.approx((8.4, 6.4))
    overlaid = plot_log_curves(two[["run", "epoch", "val_accuracy"]], ["val_accuracy"], max_rows=1)
    assert overlaid.shape == (1, 1)
    assert [line.get_label() for line in overlaid[0, 0].get_lines()] == ["run 1 validation", "run 2 validation"]
    assert plot_log_curves(history, "loss").shape == (1, 1)  # no run column: one run
    with pytest.raises(TypeError, match="figure must be"):
        plot_log_curves(history, ["loss"], figure=plt.gca())


def test_set_book_style_as_context_manager_restores_settings():
    import matplotlib

    before = dict(matplotlib.rcParams)
    with set_book_style() as style:
        assert matplotlib.rcParams["axes.spines.top"] is False
        assert matplotlib.rcParams["legend.frameon"] is False
    assert dict(matplotlib.rcParams) == before
    assert style._ipython_display_() is None  # a plain call as a cell's last line shows nothing
    set_book_style().restore()
    assert dict(matplotlib.rcParams) == before


def test_plot_history_ax_contract(history):
    fig, ax = plt.subplots()
    assert plot_history(history, ["loss"], ax=ax) is ax  # one Axes in, that Axes out
    fig, pair = plt.subplots(1, 2)
    returned = plot_history(history, ax=pair)
    assert isinstance(returned, np.ndarray) and list(returned) == list(pair)
    assert plot_history(history, ["loss"], axes=ax) is ax  # the older name
    with pytest.raises(TypeError, match="once"):
        plot_history(history, ax=pair, axes=pair)
    with pytest.raises(ValueError, match="one Axes per metric"):
        plot_history(history, ["loss", "accuracy"], ax=ax)


def test_plot_lr_finder_draws_curves_and_suggestion():
    from types import SimpleNamespace

    from lossacc.plots import plot_lr_finder

    rates = np.logspace(-4, 0, 50)
    smoothed = np.concatenate([np.linspace(0.7, 0.2, 40), np.linspace(0.2, 5.0, 10)])
    result = SimpleNamespace(learning_rates=rates, losses=smoothed + 0.05, smoothed_losses=smoothed, suggestion=1e-2)
    ax = plot_lr_finder(result)
    assert ax.get_xscale() == "log" and len(ax.lines) == 4  # batch loss, smoothed, marker, vertical line
    assert plot_lr_finder(SimpleNamespace(**{**vars(result), "suggestion": None}), ax=plt.subplots()[1]).lines
    with pytest.raises(TypeError, match="ax must be"):
        plot_lr_finder(result, ax="left")
