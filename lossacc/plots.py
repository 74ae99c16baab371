"""Figures: learning curves, and what lies under them (tracked per-sample probabilities).

Every function takes ``ax=None`` (or ``axes=None``), draws on it or on a new figure, and returns
the Axes. Nothing here calls ``plt.show()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from lossacc._validation import as_probabilities, check_choice
from lossacc.correctness import _true_class_probability, correct_mask

__all__ = [
    "CLASS_COLORS",
    "set_book_style",
    "plot_history",
    "plot_probability_distribution",
    "plot_trajectories",
    "plot_runs",
    "shade_plateaus",
    "plot_output_bands",
]

#: The palette of the book: seaborn's colour-blind-safe palette.
PALETTE = sns.color_palette("colorblind")
#: Colours of class 0 and class 1 in every figure.
CLASS_COLORS = (PALETTE[0], PALETTE[1])
THRESHOLD_COLOR = "0.35"
DISTRIBUTION_KINDS = ("strip", "violin", "heatmap")


def set_book_style() -> None:
    """Apply the book's figure style: seaborn ``ticks``, colour-blind palette, readable sizes.

    Explained in :doc:`/chapters/low_learning_rate`.
    """
    sns.set_theme(context="notebook", style="ticks", palette="colorblind")
    plt.rcParams.update(
        {
            "figure.figsize": (7.5, 3.4),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "legend.frameon": False,
            "figure.facecolor": "white",
            "axes.facecolor": "white",
        }
    )


def _new_axes(ax: Axes | None) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
    elif not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None; got {type(ax).__name__}")
    return ax


def _check_frame(history: Any, columns: Sequence[str]) -> pd.DataFrame:
    if not isinstance(history, pd.DataFrame):
        raise TypeError(f"history must be a pandas DataFrame (see lossacc.history_frame); got {type(history).__name__}")
    missing = [c for c in columns if c not in history.columns]
    if missing:
        raise ValueError(f"history has no column(s) {missing}; available columns: {list(history.columns)}")
    if history.empty:
        raise ValueError("history is empty: no epochs to plot")
    return history


def plot_history(
    history: pd.DataFrame,
    metrics: Sequence[str] = ("loss", "accuracy"),
    *,
    axes: Sequence[Axes] | None = None,
    label: str | None = None,
    color: Any = None,
) -> np.ndarray:
    """Learning curves side by side: one panel per metric, training solid, validation dashed.

    Explained in :doc:`/chapters/low_learning_rate`.

    Parameters
    ----------
    history : pandas.DataFrame
        A table with an ``epoch`` column and the metrics (from :func:`lossacc.train`).
    metrics : sequence of str, default ("loss", "accuracy")
        The metrics to draw, one panel each; ``val_<metric>`` is drawn too when present.
    axes : sequence of Axes, optional
        One Axes per metric; a new figure when omitted.
    label : str, optional
        Legend label prefix (to overlay several runs on the same axes).
    color : optional
        Line colour.

    Returns
    -------
    numpy.ndarray of Axes
    """
    if isinstance(metrics, str):
        metrics = [metrics]
    history = _check_frame(history, ["epoch", *metrics])
    if axes is None:
        _, axes = plt.subplots(1, len(metrics), figsize=(4.2 * len(metrics), 3.3), layout="constrained", squeeze=False)
        axes = axes[0]
    axes = np.atleast_1d(np.asarray(axes, dtype=object))
    if len(axes) != len(metrics):
        raise ValueError(f"give one Axes per metric: {len(metrics)} metrics {list(metrics)} but {len(axes)} Axes")
    prefix = f"{label} " if label else ""
    for ax, metric in zip(axes, metrics):
        line = ax.plot(history["epoch"], history[metric], color=color, label=f"{prefix}train".strip())[0]
        if f"val_{metric}" in history.columns:
            ax.plot(
                history["epoch"],
                history[f"val_{metric}"],
                color=line.get_color(),
                linestyle="--",
                label=f"{prefix}validation".strip(),
            )
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.legend()
    return axes


def plot_probability_distribution(
    probabilities: Any,
    y: Any = None,
    *,
    kind: str = "heatmap",
    epochs: Sequence[int] | None = None,
    threshold: float = 0.5,
    bins: int = 50,
    zoom: bool = False,
    ax: Axes | None = None,
) -> Axes:
    """How the predicted probabilities of all samples move, epoch by epoch, against the threshold.

    Explained in :doc:`/chapters/low_learning_rate`.

    Parameters
    ----------
    probabilities : array-like, shape (epochs + 1, samples)
        Tracked probabilities of a one-unit sigmoid output (row 0 = before training).
    y : array-like of 0/1, optional
        Labels; when given, the classes are coloured (strip, violin) or the plot shows
        ``p`` per class side by side (heatmap shows all samples).
    kind : {"heatmap", "strip", "violin"}, default "heatmap"
        ``heatmap``: a histogram of ``p`` per epoch (epochs on x, ``p`` on y, colour = count);
        ``strip``: one dot per sample at selected epochs; ``violin``: densities at selected epochs.
    epochs : sequence of int, optional
        Rows to show for ``strip``/``violin`` (default: about 8 evenly spaced ones).
    threshold : float, default 0.5
        Drawn as a horizontal line.
    bins : int, default 50
        Number of ``p`` bins of the heatmap.
    zoom : bool, default False
        Limit the ``p`` axis to the range the probabilities actually take (plus the threshold),
        instead of [0, 1]: shows a narrow band of outputs that [0, 1] would flatten to a line.
    ax : Axes, optional

    Returns
    -------
    Axes
    """
    kind = check_choice("kind", kind, DISTRIBUTION_KINDS)
    probabilities = as_probabilities("probabilities", probabilities, max_ndim=2)
    num_rows, num_samples = probabilities.shape
    labels = None
    if y is not None:
        labels = np.asarray(y).reshape(-1)
        if labels.shape != (num_samples,):
            raise ValueError(f"y must have one label per tracked sample ({num_samples}); got shape {np.shape(y)}")
    ax = _new_axes(ax)
    low, high = 0.0, 1.0
    if zoom:
        low, high = min(probabilities.min(), threshold), max(probabilities.max(), threshold)
        pad = 0.05 * (high - low) or 0.01
        low, high = max(low - pad, 0.0), min(high + pad, 1.0)
    if kind == "heatmap":
        edges = np.linspace(low, high, bins + 1)
        counts = np.stack([np.histogram(row, bins=edges)[0] for row in probabilities], axis=1)
        mesh = ax.pcolormesh(
            np.arange(num_rows + 1) - 0.5, edges, np.ma.masked_equal(counts, 0), cmap="viridis", shading="flat"
        )
        ax.figure.colorbar(mesh, ax=ax, label="samples")
        ax.set_xlabel("epoch")
        ax.set_ylim(low, high)
    else:
        if epochs is None:
            epochs = np.unique(np.linspace(0, num_rows - 1, min(num_rows, 8)).round().astype(int))
        epochs = [int(e) for e in epochs]
        bad = [e for e in epochs if not 0 <= e < num_rows]
        if bad:
            raise ValueError(f"epochs {bad} out of range: probabilities has rows 0..{num_rows - 1}")
        frame = pd.DataFrame(
            {
                "epoch": np.repeat(epochs, num_samples),
                "p": probabilities[epochs].reshape(-1),
                "class": np.tile(labels.astype(int), len(epochs)) if labels is not None else 0,
            }
        )
        palette = dict(enumerate(CLASS_COLORS)) if labels is not None else None
        hue = "class" if labels is not None else None
        if kind == "strip":
            sns.stripplot(
                data=frame, x="epoch", y="p", hue=hue, palette=palette, size=2.5, jitter=0.3, alpha=0.6, ax=ax,
                legend=labels is not None,
            )
        else:
            sns.violinplot(
                data=frame, x="epoch", y="p", hue=hue, palette=palette, split=labels is not None, cut=0,
                density_norm="width", inner=None, ax=ax, legend=labels is not None,
            )
        ax.set_xlabel("epoch")
        ax.set_ylim(low - 0.02 * (high - low), high + 0.02 * (high - low))
    ax.axhline(threshold, color=THRESHOLD_COLOR, linestyle=":", linewidth=1.2, label=f"threshold {threshold:g}")
    ax.set_ylabel("predicted p (class 1)")
    return ax


def plot_trajectories(
    probabilities: Any,
    y: Any,
    *,
    samples: Sequence[int] | None = None,
    max_samples: int = 40,
    threshold: float = 0.5,
    mark_crossings: bool = True,
    zoom: bool = False,
    ax: Axes | None = None,
) -> Axes:
    """Per-sample trajectories of the probability of the *true* class, with threshold crossings marked.

    Explained in :doc:`/chapters/low_learning_rate`.

    A sample is classified correctly when its line is above the threshold (one output) or when
    its true class has the largest probability (several outputs). A marker shows each epoch at
    which a sample's prediction flips to correct (``o``) or to wrong (``x``).

    Parameters
    ----------
    probabilities : array-like, shape (epochs + 1, samples) or (epochs + 1, samples, classes)
        Tracked probabilities.
    y : array-like
        Labels (0/1, class indices or one-hot rows).
    samples : sequence of int, optional
        Which samples to draw (default: up to ``max_samples`` evenly spread ones).
    max_samples : int, default 40
    threshold : float, default 0.5
    mark_crossings : bool, default True
    zoom : bool, default False
        Limit the y axis to the range of the drawn trajectories instead of [0, 1].
    ax : Axes, optional

    Returns
    -------
    Axes
    """
    true_p, probabilities = _true_class_probability(probabilities, y)
    correct = correct_mask(probabilities, y, threshold)
    num_rows, num_samples = true_p.shape
    if samples is None:
        samples = np.unique(np.linspace(0, num_samples - 1, min(max_samples, num_samples)).round().astype(int))
    samples = np.asarray(samples, dtype=int).reshape(-1)
    if samples.size == 0 or samples.min() < 0 or samples.max() >= num_samples:
        raise ValueError(f"samples must be indices in [0, {num_samples}); got {samples.tolist()[:10]}")
    ax = _new_axes(ax)
    epochs = np.arange(num_rows)
    binary = probabilities.ndim == 2
    labels = np.asarray(y)
    labels = labels.argmax(axis=1) if labels.ndim == 2 else labels.reshape(-1).astype(int)
    for i in samples:
        color = CLASS_COLORS[labels[i]] if binary else PALETTE[labels[i] % len(PALETTE)]
        ax.plot(epochs, true_p[:, i], color=color, linewidth=0.8, alpha=0.7)
    if mark_crossings:
        change = np.diff(correct[:, samples].astype(int), axis=0)
        up_rows, up_cols = np.nonzero(change == 1)
        down_rows, down_cols = np.nonzero(change == -1)
        ax.scatter(up_rows + 1, true_p[up_rows + 1, samples[up_cols]], marker="o", s=14, color="black",
                   zorder=3, label="becomes correct")
        if len(down_rows):
            ax.scatter(down_rows + 1, true_p[down_rows + 1, samples[down_cols]], marker="x", s=18,
                       color="firebrick", zorder=3, label="becomes wrong")
    if binary:
        ax.axhline(threshold, color=THRESHOLD_COLOR, linestyle=":", linewidth=1.2, label=f"threshold {threshold:g}")
    ax.set_xlabel("epoch")
    ax.set_ylabel("p(true class)")
    if zoom:
        drawn = true_p[:, samples]
        low, high = min(drawn.min(), threshold), max(drawn.max(), threshold)
        pad = 0.05 * (high - low) or 0.01
        ax.set_ylim(low - pad, high + pad)
    else:
        ax.set_ylim(-0.02, 1.02)
    ax.legend(loc="lower right")
    return ax


def plot_runs(
    frame: pd.DataFrame,
    metric: str = "accuracy",
    *,
    by: str = "run",
    estimator: str = "lines",
    ax: Axes | None = None,
    palette: Any = None,
) -> Axes:
    """Compare several runs on one metric: one line per run, or a median and 10-90% band per group.

    Explained in :doc:`/chapters/low_learning_rate`.

    Parameters
    ----------
    frame : pandas.DataFrame
        Long table with columns ``epoch``, ``metric`` and ``by`` (and ``seed`` for bands).
    metric : str, default "accuracy"
    by : str, default "run"
        Column that names the run (``lines``) or the group of runs (``band``).
    estimator : {"lines", "band"}, default "lines"
        ``lines``: one line per value of ``by``; ``band``: median over the runs of each group
        with a shaded 10-90% interval.
    ax : Axes, optional
    palette : optional
        Seaborn palette.

    Returns
    -------
    Axes
    """
    estimator = check_choice("estimator", estimator, ("lines", "band"))
    frame = _check_frame(frame, ["epoch", metric, by])
    ax = _new_axes(ax)
    groups = list(dict.fromkeys(frame[by]))
    colors = sns.color_palette(palette or "colorblind", len(groups))
    for color, group in zip(colors, groups):
        part = frame[frame[by] == group]
        if estimator == "lines":
            ax.plot(part["epoch"], part[metric], color=color, label=str(group))
        else:
            stats = part.groupby("epoch")[metric].quantile([0.1, 0.5, 0.9]).unstack()
            ax.plot(stats.index, stats[0.5], color=color, label=f"{group} (median)")
            ax.fill_between(stats.index, stats[0.1], stats[0.9], color=color, alpha=0.2, linewidth=0)
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    ax.legend(title=by)
    return ax


def shade_plateaus(
    plateaus: pd.DataFrame,
    ax: Axes | None = None,
    *,
    color: Any = "0.9",
    label: str | None = "plateau",
) -> Axes:
    """Shade the epochs of each plateau (from :func:`lossacc.find_plateaus`) behind the curves.

    Explained in :doc:`/chapters/accuracy_plateaus`.

    Each plateau from ``start`` to ``end`` (inclusive) becomes a vertical band from ``start - 0.5``
    to ``end + 0.5``, so that bands on several Axes sharing the epoch axis line up.

    Parameters
    ----------
    plateaus : pandas.DataFrame
        Columns ``start`` and ``end`` (epochs).
    ax : Axes, optional
    color : optional
        Band colour (light grey by default).
    label : str or None, default "plateau"
        Legend label of the first band (``None``: no legend entry).

    Returns
    -------
    Axes
    """
    if not isinstance(plateaus, pd.DataFrame):
        raise TypeError(f"plateaus must be a DataFrame (see lossacc.plateaus.find_plateaus); got {type(plateaus).__name__}")
    missing = [c for c in ("start", "end") if c not in plateaus.columns]
    if missing:
        raise ValueError(f"plateaus has no column(s) {missing}; available columns: {list(plateaus.columns)}")
    ax = _new_axes(ax)  # no plateaus (an empty frame): nothing to shade
    for index, (start, end) in enumerate(zip(plateaus["start"], plateaus["end"])):
        if end < start:
            raise ValueError(f"plateau {index} ends before it starts: start={start}, end={end}")
        ax.axvspan(start - 0.5, end + 0.5, color=color, zorder=0, linewidth=0, label=label if index == 0 else None)
    return ax


def plot_output_bands(
    outputs: Any,
    y: Any,
    *,
    quantiles: Sequence[float] = (0.1, 0.9),
    reference_lines: Sequence[float] = (0.0, 0.5, 1.0),
    ax: Axes | None = None,
) -> Axes:
    """Raw (unbounded) outputs per class, epoch by epoch: median line, quantile band and full range.

    Explained in :doc:`/chapters/linear_output`.

    For outputs that are *not* probabilities (a linear last layer), where
    :func:`lossacc.plot_probability_distribution` does not apply.

    Parameters
    ----------
    outputs : array-like, shape (epochs + 1, samples)
        Tracked raw outputs (row 0 = before training), any real numbers.
    y : array-like of 0/1, shape (samples,)
        Labels; one colour per class (``CLASS_COLORS``).
    quantiles : (float, float), default (0.1, 0.9)
        Lower and upper quantile of the darker band; the lighter band is the full range.
    reference_lines : sequence of float, default (0.0, 0.5, 1.0)
        Horizontal dotted lines (e.g. the clipping bounds and the threshold).
    ax : Axes, optional

    Returns
    -------
    Axes

    Raises
    ------
    ValueError
        If ``outputs`` is not 2-D and finite, ``y`` does not have one 0/1 label per sample, or the
        quantiles are not increasing values in [0, 1].
    """
    try:
        values = np.array(outputs, dtype="float64", copy=True)
    except (TypeError, ValueError) as error:
        raise TypeError(f"outputs must be a numeric array; got {type(outputs).__name__}: {error}") from None
    if values.ndim != 2 or values.size == 0 or not np.all(np.isfinite(values)):
        raise ValueError(f"outputs must be a finite, non-empty array of shape (epochs + 1, samples); got shape {values.shape}")
    labels = np.asarray(y).reshape(-1)
    if labels.shape != (values.shape[1],) or not np.isin(labels, (0, 1)).all():
        raise ValueError(f"y must hold one 0/1 label per sample ({values.shape[1]}); got shape {np.shape(y)}")
    low_q, high_q = (float(q) for q in quantiles)
    if not 0 <= low_q < high_q <= 1:
        raise ValueError(f"quantiles must be two increasing values in [0, 1]; got {tuple(quantiles)}")
    ax = _new_axes(ax)
    epochs = np.arange(values.shape[0])
    for label in (0, 1):
        part = values[:, labels == label]
        if part.shape[1] == 0:
            continue
        color = CLASS_COLORS[label]
        ax.fill_between(epochs, part.min(axis=1), part.max(axis=1), color=color, alpha=0.12, linewidth=0)
        ax.fill_between(epochs, np.quantile(part, low_q, axis=1), np.quantile(part, high_q, axis=1), color=color,
                        alpha=0.3, linewidth=0)
        ax.plot(epochs, np.median(part, axis=1), color=color, label=f"class {label} (median, {low_q:.0%}-{high_q:.0%}, range)")
    for level in reference_lines:
        ax.axhline(float(level), color=THRESHOLD_COLOR, linestyle=":", linewidth=1.0)
    ax.set_xlabel("epoch")
    ax.set_ylabel("raw output")
    ax.legend()
    return ax
