"""Figures: learning curves, and what lies under them (tracked per-sample probabilities).

The contract of every helper here: it takes ``ax=None``, draws on the Axes given or on a new figure,
and returns what it drew on -- the Axes given, or the new one. Helpers with one panel per metric
(:func:`plot_history`, :func:`plot_findings`) take ``ax=`` as one Axes (then one metric is drawn, and
that Axes is returned) or a sequence with one Axes per metric (then a NumPy array of them is
returned; also when they make a new figure). :func:`plot_log_curves` draws a whole figure (``figure=``)
and returns its grid of Axes. Nothing here calls ``plt.show()``.

:func:`set_book_style` applies the book's look; used as ``with set_book_style(): ...`` it restores
matplotlib's settings on leaving the block.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from lossacc._validation import as_probabilities, check_choice, check_positive_int
from lossacc.analyze._correctness import _true_class_probability, correct_mask

__all__ = [
    "CLASS_COLORS",
    "set_book_style",
    "plot_history",
    "plot_probability_distribution",
    "plot_trajectories",
    "plot_runs",
    "shade_plateaus",
    "plot_output_bands",
    "plot_probability_pairs",
    "plot_loss_contributions",
    "plot_reliability_diagram",
    "plot_precision_recall",
    "plot_threshold_metrics",
    "default_curve_metrics",
    "mark_findings",
    "plot_findings",
    "plot_log_curves",
    "plot_lr_finder",
]

#: The palette of the book: seaborn's colour-blind-safe palette.
PALETTE = sns.color_palette("colorblind")
#: Colours of class 0 and class 1 in every figure.
CLASS_COLORS = (PALETTE[0], PALETTE[1])
THRESHOLD_COLOR = "0.35"
DISTRIBUTION_KINDS = ("strip", "violin", "heatmap")


class BookStyle:
    """What :func:`set_book_style` returns: a context manager that restores the settings it replaced.

    Shows nothing in a notebook (a plain ``set_book_style()`` as a cell's last line prints no output).
    """

    def __init__(self, saved: dict[str, Any]) -> None:
        self._saved = saved

    def __enter__(self) -> BookStyle:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.restore()

    def restore(self) -> None:
        """Put matplotlib's settings back as they were before :func:`set_book_style`."""
        dict.update(plt.rcParams, self._saved)  # as matplotlib.rc_context restores (no re-validation)

    def _ipython_display_(self) -> None:
        """Display nothing (the style is the effect; the object is only for ``with``)."""

    def __repr__(self) -> str:
        return "<lossacc book style (use `with lossacc.set_book_style():` to restore the settings after)>"


def set_book_style() -> BookStyle:
    """Apply the book's figure style: seaborn ``ticks``, colour-blind palette, readable sizes.

    Explained in :doc:`/chapters/low_learning_rate`.

    A plain call changes matplotlib's settings for the rest of the session (as in the chapters). Used
    as a context manager, it restores them when the block ends.

    Returns
    -------
    BookStyle
        A context manager; leaving it (or calling ``.restore()``) restores the previous settings.

    Examples
    --------
    >>> with set_book_style():  # doctest: +SKIP
    ...     ax = plot_history(history)
    ...     ax[0].figure.savefig("curves.png")
    """
    saved = dict(plt.rcParams.copy())
    saved.pop("backend", None)  # never switch the backend back (as matplotlib.rc_context does)
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
    return BookStyle(saved)


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
    ax: Axes | Sequence[Axes] | None = None,
    axes: Sequence[Axes] | None = None,
    label: str | None = None,
    color: Any = None,
) -> Any:
    """Learning curves side by side: one panel per metric, training solid, validation dashed.

    Explained in :doc:`/chapters/low_learning_rate`.

    Parameters
    ----------
    history : pandas.DataFrame
        A table with an ``epoch`` column and the metrics (from :func:`lossacc.train`).
    metrics : sequence of str, default ("loss", "accuracy")
        The metrics to draw, one panel each; ``val_<metric>`` is drawn too when present.
    ax : Axes or sequence of Axes, optional
        One Axes (for one metric), or one Axes per metric; a new figure when omitted.
    axes : sequence of Axes, optional
        The older name of ``ax`` (give one of them).
    label : str, optional
        Legend label prefix (to overlay several runs on the same axes).
    color : optional
        Line colour.

    Returns
    -------
    Axes or numpy.ndarray of Axes
        The Axes given as ``ax`` when it is one Axes; otherwise an array with one Axes per metric
        (``axes[0]`` is the first metric's panel).
    """
    if isinstance(metrics, str):
        metrics = [metrics]
    history = _check_frame(history, ["epoch", *metrics])
    if ax is not None and axes is not None:
        raise TypeError("give the Axes once: ax= or its older name axes=, not both")
    axes = ax if axes is None else axes
    single = isinstance(axes, Axes)
    if single:
        axes = [axes]
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
    return axes[0] if single else axes


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
        raise TypeError(f"plateaus must be a DataFrame (see lossacc.find_plateaus); got {type(plateaus).__name__}")
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
        raise ValueError(
            f"outputs must be a finite, non-empty array of shape (epochs + 1, samples); got shape {values.shape}"
        )
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
        label_text = f"class {label} (median, {low_q:.0%}-{high_q:.0%}, range)"
        ax.plot(epochs, np.median(part, axis=1), color=color, label=label_text)
    for level in reference_lines:
        ax.axhline(float(level), color=THRESHOLD_COLOR, linestyle=":", linewidth=1.0)
    ax.set_xlabel("epoch")
    ax.set_ylabel("raw output")
    ax.legend()
    return ax


def plot_probability_pairs(
    first: Any,
    second: Any,
    y: Any,
    *,
    labels: Sequence[str] = ("first", "second"),
    max_points: int | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Each sample's probability of its true class under two conditions, one against the other.

    Explained in :doc:`/chapters/val_above_train`.

    The two conditions can be two passes of the same model (inference mode and training mode with
    dropout on), two epochs, or two models. Points on the diagonal did not change; the corner
    labels count the samples that are right in both, wrong in both, or right in only one of them
    (right = ``p > 0.5`` for one output, the argmax for several, as :func:`lossacc.correct_mask`).

    Parameters
    ----------
    first, second : array-like, shape (samples,) or (samples, classes)
        Predicted probabilities (of class 1 for one output) of the same samples. Not modified.
    y : array-like
        Labels: 0/1 for one output; class indices or one-hot rows for several.
    labels : (str, str), default ("first", "second")
        Names of the two conditions, used for the axis labels.
    max_points : int, optional
        Draw at most this many samples (an evenly spaced subset); the counts use all of them.
    ax : Axes, optional

    Returns
    -------
    Axes
        The scatter (one colour per class), the diagonal, the 0.5 lines (one output only) and
        four count labels in ``ax.texts``: right in both, right only in ``first``, right only in
        ``second``, wrong in both.

    Raises
    ------
    ValueError
        If ``first`` and ``second`` differ in shape, are not probabilities, or ``y`` does not fit, or
        ``max_points`` < 1.
    TypeError
        If ``labels`` is not two strings or ``max_points`` not an integer.

    Examples
    --------
    >>> ax = plot_probability_pairs([0.9, 0.4], [0.6, 0.7], [1, 1], labels=("off", "on"))
    >>> [text.get_text() for text in ax.texts]
    ['right in both: 1', 'right only off: 0', 'right only on: 1', 'wrong in both: 0']
    """
    try:
        first_array = np.array(first, dtype="float64")
        second_array = np.array(second, dtype="float64")
    except (TypeError, ValueError) as error:
        raise TypeError(f"first and second must be numeric arrays of probabilities: {error}") from None
    if first_array.shape != second_array.shape:
        raise ValueError(f"first and second must have the same shape; got {first_array.shape} and {second_array.shape}")
    if isinstance(labels, str) or len(labels) != 2 or not all(isinstance(label, str) for label in labels):
        raise TypeError(f"labels must be two strings; got {labels!r}")
    if max_points is not None:
        max_points = check_positive_int("max_points", max_points)
    stacked = np.stack([first_array, second_array])  # (2, samples[, classes]): two "epochs"
    true_p, probabilities = _true_class_probability(stacked, y)
    correct = correct_mask(probabilities, y)
    ax = _new_axes(ax)
    num_samples = true_p.shape[1]
    shown = np.arange(num_samples)
    if max_points is not None and num_samples > max_points:
        shown = np.linspace(0, num_samples - 1, int(max_points)).round().astype(int)
    labels_1d = np.asarray(y)
    labels_1d = labels_1d.argmax(axis=1) if labels_1d.ndim == 2 else labels_1d.reshape(-1).astype(int)
    for label in np.unique(labels_1d[shown]):
        part = shown[labels_1d[shown] == label]
        color = CLASS_COLORS[int(label)] if int(label) < len(CLASS_COLORS) else PALETTE[int(label) % len(PALETTE)]
        ax.scatter(true_p[0, part], true_p[1, part], s=8, alpha=0.6, color=color, label=f"class {int(label)}",
                   linewidths=0)
    ax.plot([0, 1], [0, 1], color="0.6", linewidth=0.8)
    if probabilities.ndim == 2:
        ax.axvline(0.5, color=THRESHOLD_COLOR, linestyle=":", linewidth=1.0)
        ax.axhline(0.5, color=THRESHOLD_COLOR, linestyle=":", linewidth=1.0)
    name_first, name_second = labels
    corners = [  # (text, x, y, ha, va) in axes coordinates; x = first, y = second
        (f"right in both: {int((correct[0] & correct[1]).sum())}", 0.98, 0.98, "right", "top"),
        (f"right only {name_first}: {int((correct[0] & ~correct[1]).sum())}", 0.98, 0.02, "right", "bottom"),
        (f"right only {name_second}: {int((~correct[0] & correct[1]).sum())}", 0.02, 0.98, "left", "top"),
        (f"wrong in both: {int((~correct[0] & ~correct[1]).sum())}", 0.02, 0.02, "left", "bottom"),
    ]
    for text, x_pos, y_pos, h_align, v_align in corners:
        ax.text(x_pos, y_pos, text, transform=ax.transAxes, ha=h_align, va=v_align, fontsize="small",
                bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 1.5})
    ax.set(xlim=(0, 1), ylim=(0, 1), aspect="equal", xlabel=f"p(true class), {name_first}",
           ylabel=f"p(true class), {name_second}")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    return ax


def plot_loss_contributions(
    losses: Any,
    *,
    samples: Sequence[int] | None = None,
    max_samples: int = 5,
    ax: Axes | None = None,
) -> Axes:
    """Who carries the mean loss: each sample's share of it, stacked, epoch by epoch.

    Explained in :doc:`/chapters/overconfidence`.

    Sample ``i`` contributes ``losses[:, i] / samples`` to the mean loss, so the stacked bands add
    up to the mean loss of every row (drawn as a black line). The chosen samples get a band each, on
    top; all the others share one grey band at the bottom.

    Parameters
    ----------
    losses : array-like, shape (epochs + 1, samples)
        Per-sample losses (finite, >= 0), e.g. the binary cross-entropy of each tracked sample;
        row 0 = before training.
    samples : sequence of int, optional
        The samples to draw as bands of their own (default: the ``max_samples`` with the largest
        loss in the last row, largest on top).
    max_samples : int, default 5
        How many samples get a band of their own when ``samples`` is not given.
    ax : Axes, optional

    Returns
    -------
    Axes

    Raises
    ------
    ValueError
        If ``losses`` is not a non-empty 2-D array of finite values >= 0, or ``samples`` holds an
        index out of range or a repeated index.
    TypeError
        If ``losses`` is not numeric or ``max_samples`` is not a positive integer.

    Examples
    --------
    >>> ax = plot_loss_contributions([[0.7, 0.7, 0.7], [0.1, 0.2, 2.0]], max_samples=1)
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['mean loss', 'other 2 samples', 'sample 2']
    """
    try:
        values = np.array(losses, dtype="float64", copy=True)
    except (TypeError, ValueError) as error:
        raise TypeError(f"losses must be a numeric array; got {type(losses).__name__}: {error}") from None
    if values.ndim != 2 or values.size == 0:
        raise ValueError(f"losses must be a non-empty array of shape (epochs + 1, samples); got shape {values.shape}")
    if not np.all(np.isfinite(values)) or values.min() < 0:
        raise ValueError("losses must hold finite per-sample losses >= 0 (got NaN, infinite or negative values)")
    num_rows, num_samples = values.shape
    if samples is None:
        max_samples = check_positive_int("max_samples", max_samples)
        samples = np.argsort(values[-1], kind="stable")[::-1][: min(max_samples, num_samples)][::-1]
    samples = np.asarray(samples, dtype=int).reshape(-1)
    if samples.size and (samples.min() < 0 or samples.max() >= num_samples):
        raise ValueError(f"samples must be indices in [0, {num_samples}); got {samples.tolist()[:10]}")
    if len(set(samples.tolist())) != samples.size:
        raise ValueError(f"samples must not repeat an index; got {samples.tolist()[:10]}")
    ax = _new_axes(ax)
    epochs = np.arange(num_rows)
    shares = values / num_samples
    rest = np.setdiff1d(np.arange(num_samples), samples)
    bands = [shares[:, rest].sum(axis=1)] + [shares[:, i] for i in samples]
    labels = [f"other {rest.size} samples"] + [f"sample {i}" for i in samples]
    colors = ["0.8"] + [PALETTE[(k + 2) % len(PALETTE)] for k in range(samples.size)]
    ax.plot(epochs, shares.sum(axis=1), color="black", linewidth=1.2, label="mean loss")
    ax.stackplot(epochs, *bands, labels=labels, colors=colors, linewidth=0)
    ax.set_xlabel("epoch")
    ax.set_ylabel("contribution to the mean loss")
    ax.set_xlim(0, max(num_rows - 1, 1))
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    return ax


def plot_reliability_diagram(
    probabilities: Any,
    y: Any,
    *,
    bins: int | Sequence[float] = 10,
    label: str | None = None,
    color: Any = None,
    ax: Axes | None = None,
) -> Axes:
    """Reliability diagram: how often the model is right against how sure it says it is.

    Explained in :doc:`/chapters/overconfidence`.

    Each sample's *confidence* is the probability of the class it predicts (``max(p, 1 - p)`` for
    one output, the largest probability for several). Samples are binned by confidence; for each
    non-empty bin a marker shows the mean confidence (x) against the share of right predictions
    (y), with its area proportional to the number of samples. A calibrated model lies on the
    dashed diagonal; markers below it are over-confident.

    Parameters
    ----------
    probabilities : array-like, shape (samples,) or (samples, classes)
        Predicted probabilities: of class 1 for one output (predict 1 when ``p > 0.5``, as Keras'
        ``binary_accuracy`` does), of every class for several (predict the argmax).
    y : array-like
        Labels: 0/1 for one output; class indices or one-hot rows for several.
    bins : int or sequence of float, default 10
        Number of equal-width bins between the lowest possible confidence (``1 / classes``) and 1,
        or increasing bin edges (the last bin includes its right edge).
    label : str, optional
        Legend label of the markers (to overlay several models or epochs).
    color : optional
        Marker and line colour.
    ax : Axes, optional

    Returns
    -------
    Axes

    Raises
    ------
    ValueError
        If ``probabilities`` are not in [0, 1], ``y`` does not match them, or ``bins`` is not a
        positive number of bins or increasing edges.
    TypeError
        If ``probabilities`` are not numeric or ``bins`` is neither an integer nor a sequence.

    Examples
    --------
    >>> ax = plot_reliability_diagram([0.9, 0.8, 0.3, 0.99], [1, 0, 0, 1], bins=5)
    >>> ax.get_xlabel()
    'confidence (probability of the predicted class)'
    """
    probabilities = as_probabilities("probabilities", probabilities, min_ndim=1, max_ndim=2)
    _, probabilities = _true_class_probability(probabilities[None], y)
    correct = correct_mask(probabilities, y)[0]
    if probabilities.ndim == 2:
        confidence = np.maximum(probabilities[0], 1.0 - probabilities[0])
        lowest = 0.5
    else:
        confidence = probabilities[0].max(axis=1)
        lowest = 1.0 / probabilities.shape[2]
    if isinstance(bins, (int, np.integer)) and not isinstance(bins, bool):
        edges = np.linspace(lowest, 1.0, check_positive_int("bins", bins) + 1)
    elif isinstance(bins, (Sequence, np.ndarray)) and not isinstance(bins, str):
        try:
            edges = np.array(bins, dtype="float64")
        except (TypeError, ValueError):
            raise TypeError(f"bins must be a number of bins or a sequence of edges; got {bins!r}") from None
        if edges.ndim != 1 or edges.size < 2 or not np.all(np.diff(edges) > 0):
            raise ValueError(f"bin edges must be at least two increasing numbers; got {list(bins)}")
    else:
        raise TypeError(f"bins must be a number of bins or a sequence of edges; got {bins!r}")
    index = np.clip(np.searchsorted(edges, confidence, side="right") - 1, 0, edges.size - 2)
    inside = (confidence >= edges[0]) & (confidence <= edges[-1])
    ax = _new_axes(ax)
    xs, ys, counts = [], [], []
    for b in range(edges.size - 1):
        members = inside & (index == b)
        if members.any():
            xs.append(confidence[members].mean())
            ys.append(correct[members].mean())
            counts.append(int(members.sum()))
    counts = np.asarray(counts)
    line = ax.plot(xs, ys, color=color, linewidth=1.0, alpha=0.8)[0]
    ax.scatter(xs, ys, s=20 + 200 * counts / max(len(confidence), 1), color=line.get_color(), zorder=3,
               label=label, alpha=0.9)
    low = min(edges[0], lowest)
    ax.plot([low, 1.0], [low, 1.0], color=THRESHOLD_COLOR, linestyle="--", linewidth=1.0,
            label=None if any(line.get_label() == "calibrated" for line in ax.lines) else "calibrated")
    ax.set_xlabel("confidence (probability of the predicted class)")
    ax.set_ylabel("share right")
    ax.legend(loc="upper left")
    return ax


def plot_precision_recall(
    y: Any,
    probabilities: Any,
    *,
    label: str | None = None,
    mark_thresholds: Sequence[float] = (0.5,),
    color: Any = None,
    ax: Axes | None = None,
) -> Axes:
    """Precision-recall curve of class 1, with chosen thresholds marked and the chance level.

    Explained in :doc:`/chapters/imbalance`.

    Every distinct probability is a threshold (class 1 when ``p > threshold``, Keras' rule; tied
    probabilities enter together). The dotted line is the share of class 1, the precision of a
    model that ranks at random. A marker shows each threshold of ``mark_thresholds`` (a threshold
    that predicts nothing as class 1 is drawn at recall 0, precision 0, as Keras reports it).

    Parameters
    ----------
    y : array-like of 0/1, shape (samples,)
        Labels.
    probabilities : array-like, shape (samples,)
        Predicted probabilities of class 1, in [0, 1].
    label : str, optional
        Legend label of the curve.
    mark_thresholds : sequence of float, default (0.5,)
        Thresholds to mark on the curve.
    color : optional
        Colour of the curve and its markers.
    ax : Axes, optional

    Returns
    -------
    Axes

    Raises
    ------
    ValueError
        Bad labels or probabilities (see :func:`lossacc.threshold_metrics`), no sample of
        class 1, or a threshold outside [0, 1].
    """
    from lossacc.metrics import _labels_and_probabilities, threshold_metrics

    labels, values = _labels_and_probabilities(y, probabilities)
    num_positive = int(labels.sum())
    if num_positive == 0:
        raise ValueError("y has no sample of class 1: the precision-recall curve is undefined")
    marks = threshold_metrics(labels, values, list(mark_thresholds)) if len(mark_thresholds) else None
    ax = _new_axes(ax)
    order = np.argsort(-values, kind="stable")
    sorted_values = values[order]
    true_positives = np.cumsum(labels[order])
    predicted = np.arange(1, len(values) + 1)
    last_of_tie = np.r_[sorted_values[1:] != sorted_values[:-1], True]  # tied probabilities enter together
    recall = np.r_[0.0, true_positives[last_of_tie] / num_positive]
    precision = np.r_[1.0, true_positives[last_of_tie] / predicted[last_of_tie]]
    line = ax.step(recall, precision, where="post", color=color, label=label)[0]
    if marks is not None:
        ax.plot(marks["recall"], marks["precision"], "o", color=line.get_color(), markersize=6,
                markeredgecolor="white")
        for threshold, r, p in zip(marks["threshold"], marks["recall"], marks["precision"]):
            ax.annotate(f"{threshold:g}", (r, p), textcoords="offset points", xytext=(5, 5), fontsize=9,
                        color=line.get_color())
    ax.axhline(num_positive / len(labels), color=THRESHOLD_COLOR, linestyle=":", linewidth=1.0)
    ax.set(xlabel="recall (share of class 1 found)", ylabel="precision (class 1 calls right)",
           xlim=(-0.02, 1.02), ylim=(-0.02, 1.02))
    if label is not None:
        ax.legend()
    return ax


def plot_threshold_metrics(
    y: Any,
    probabilities: Any,
    *,
    metrics: Sequence[str] = ("precision", "recall", "f1"),
    chosen: float | None = None,
    thresholds: Sequence[float] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Metrics of class 1 against the decision threshold, with 0.5 and a chosen threshold marked.

    Explained in :doc:`/chapters/imbalance`.

    Parameters
    ----------
    y : array-like of 0/1, shape (samples,)
        Labels.
    probabilities : array-like, shape (samples,)
        Predicted probabilities of class 1, in [0, 1].
    metrics : sequence of str, default ("precision", "recall", "f1")
        Columns of :func:`lossacc.threshold_metrics` to draw.
    chosen : float, optional
        A threshold to mark with a dashed vertical line (e.g. from
        :func:`lossacc.choose_threshold`).
    thresholds : sequence of float, optional
        Thresholds on the x axis (default: 0.01, 0.02, ..., 0.99).
    ax : Axes, optional

    Returns
    -------
    Axes

    Raises
    ------
    ValueError
        Unknown metric names, a chosen threshold outside [0, 1], bad labels, probabilities or
        thresholds.
    """
    from lossacc.metrics import threshold_metrics

    if isinstance(metrics, str):
        metrics = [metrics]
    table = threshold_metrics(y, probabilities, thresholds)
    unknown = [m for m in metrics if m not in table.columns or m == "threshold"]
    if unknown or not metrics:
        valid = [c for c in table.columns if c != "threshold"]
        raise ValueError(f"unknown metric(s) {unknown or list(metrics)}; valid metrics are {valid}")
    is_number = isinstance(chosen, (int, float, np.integer, np.floating)) and not isinstance(chosen, bool)
    if chosen is not None and not (is_number and 0 <= chosen <= 1):
        raise ValueError(f"chosen must be a threshold in [0, 1]; got {chosen!r}")
    ax = _new_axes(ax)
    for metric in metrics:
        ax.plot(table["threshold"], table[metric], label=metric.replace("_", " "))
    ax.axvline(0.5, color=THRESHOLD_COLOR, linestyle=":", linewidth=1.0, label="0.5 (Keras' default)")
    if chosen is not None:
        ax.axvline(float(chosen), color="black", linestyle="--", linewidth=1.0, label=f"chosen: {float(chosen):g}")
    ax.set(xlabel="threshold (class 1 when p > threshold)", ylabel="value", ylim=(-0.02, 1.02))
    ax.legend()
    return ax


# --------------------------------------------------------------------------------------------- findings, logs
def default_curve_metrics(columns: Sequence[str]) -> list[str]:
    """The panels a learning-curve figure shows by default: the loss and the accuracy column.

    Training columns when present (their ``val_`` twins are drawn with them), else the validation ones;
    with neither, the first three training metrics. Used by :func:`plot_findings` and ``lossacc plot``.
    """
    from lossacc.diagnosis._detectors import accuracy_column

    columns = [column for column in columns if column not in ("run", "epoch")]
    metrics = []
    if "loss" in columns:
        metrics.append("loss")
    elif "val_loss" in columns:
        metrics.append("val_loss")
    accuracy = accuracy_column(columns, False) or accuracy_column(columns, True)
    if accuracy is not None:
        metrics.append(accuracy)
    if not metrics:
        training = [column for column in columns if not column.startswith("val_")]
        metrics = (training or columns)[:3]
    return metrics


def _finding_color(name: str) -> Any:
    from lossacc.diagnosis import FINDING_TEXT

    names = list(FINDING_TEXT)
    index = names.index(name) if name in names else len(names) + sum(map(ord, name))
    return PALETTE[(3 + index) % len(PALETTE)]  # (not the class colours 0 and 1, nor the curves' 2)


def mark_findings(findings: Sequence[Any], ax: Axes | None = None, *, legend: bool = True) -> Axes:
    """Mark diagnosed findings on a learning-curve Axes whose x axis is the epoch.

    Explained in :doc:`/chapters/field_guide`.

    A finding over several consecutive epochs becomes a light band from ``first - 0.5`` to ``last + 0.5``
    (like :func:`shade_plateaus`), a single epoch a dashed vertical line; one colour and one legend entry
    per finding name. Findings without epochs (model checks) are skipped.

    Parameters
    ----------
    findings : sequence of Finding
        From :func:`lossacc.diagnose`, :func:`lossacc.detect` or :attr:`lossacc.Monitor.findings`.
    ax : Axes, optional
    legend : bool, default True
        Redraw the legend with the finding names.

    Returns
    -------
    Axes

    Raises
    ------
    TypeError
        If an item has no ``name`` and ``epochs`` (is not a Finding).
    """
    ax = _new_axes(ax)
    labelled = {text.get_text() for text in ax.get_legend().get_texts()} if ax.get_legend() else set()
    for finding in findings:
        if not hasattr(finding, "name") or not hasattr(finding, "epochs"):
            raise TypeError(f"findings must be lossacc Finding objects; got {type(finding).__name__}")
        epochs = sorted({int(epoch) for epoch in finding.epochs})
        if not epochs:
            continue
        color = _finding_color(finding.name)
        label = None if finding.name in labelled else finding.name
        labelled.add(finding.name)
        start = previous = epochs[0]
        for epoch in [*epochs[1:], None]:
            if epoch is not None and epoch == previous + 1:
                previous = epoch
                continue
            if previous == start and len(epochs) == 1:
                ax.axvline(start, color=color, linestyle="--", linewidth=1.2, zorder=1, label=label)
            else:
                ax.axvspan(start - 0.5, previous + 0.5, color=color, alpha=0.18, linewidth=0, zorder=0, label=label)
            label = None
            if epoch is not None:
                start = previous = epoch
    if legend and labelled:
        ax.legend(fontsize="small")
    return ax


def plot_findings(
    history: pd.DataFrame,
    findings: Sequence[Any],
    *,
    metrics: Sequence[str] | None = None,
    ax: Any = None,
) -> Any:
    """Learning curves with diagnosed findings marked: :func:`plot_history` plus :func:`mark_findings`.

    Explained in :doc:`/chapters/field_guide`. What :meth:`lossacc.Monitor.plot` draws.

    Parameters
    ----------
    history : pandas.DataFrame
        ``epoch`` and the metrics (:func:`lossacc.history_frame`, :attr:`lossacc.Monitor.history`).
        Infinite values are drawn as gaps, like NaN.
    findings : sequence of Finding
    metrics : sequence of str, optional
        Default: the loss and the accuracy column (``default_curve_metrics``).
    ax : Axes or sequence of Axes, optional
        One Axes (draws only the first metric), one per metric, or ``None`` (a new figure, one panel per
        metric).

    Returns
    -------
    Axes or numpy.ndarray of Axes
        The Axes when one was given, else one per metric.
    """
    history = _check_frame(history, ["epoch"])
    if metrics is None:
        metrics = default_curve_metrics(list(history.columns))
    elif isinstance(metrics, str):
        metrics = [metrics]
    metrics = list(metrics)
    if not metrics:
        raise ValueError(f"no metric to plot; available columns: {list(history.columns)}")
    single = isinstance(ax, Axes)
    if single:
        metrics = metrics[:1]
    numeric = history.select_dtypes("number").columns
    history = history.assign(**{c: history[c].replace([np.inf, -np.inf], np.nan) for c in numeric if c != "epoch"})
    drawn = plot_history(history, metrics, ax=ax)
    for panel in [drawn] if single else drawn:
        mark_findings(findings, panel)
    return drawn


def plot_log_curves(
    history: pd.DataFrame,
    metrics: Sequence[str],
    *,
    title: str | None = None,
    figure: Any = None,
    max_rows: int = 6,
) -> np.ndarray:
    """The learning curves of a training log: one row of panels per run (``fit()`` call), one panel per metric.

    Explained in :doc:`/chapters/field_guide`. What ``lossacc plot`` and ``lossacc diagnose --plot`` save.

    Each panel is :func:`plot_history` (training solid, validation dashed; a validation-only metric is drawn
    dashed and labelled ``validation``) with integer epoch ticks. More than ``max_rows`` runs are overlaid on
    one row, one colour per run.

    Parameters
    ----------
    history : pandas.DataFrame
        From :func:`lossacc.read_keras_log` (columns ``run``, ``epoch`` and the metrics); without a ``run``
        column it is one run.
    metrics : sequence of str
        Metric columns, one panel each.
    title : str, optional
        Figure title.
    figure : matplotlib.figure.Figure, optional
        The figure to draw on (resized to fit the panels); a new pyplot figure when omitted. Pass
        ``matplotlib.figure.Figure()`` to draw without pyplot (as the command line does).
    max_rows : int, default 6

    Returns
    -------
    numpy.ndarray of Axes, shape (rows, metrics)
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    if isinstance(metrics, str):
        metrics = [metrics]
    metrics = list(metrics)
    max_rows = check_positive_int("max_rows", max_rows)
    history = _check_frame(history, ["epoch", *metrics])
    if figure is not None and not isinstance(figure, Figure):
        raise TypeError(f"figure must be a matplotlib Figure or None; got {type(figure).__name__}")
    if "run" in history.columns:
        runs = [(run, part.reset_index(drop=True)) for run, part in history.groupby("run", sort=True)]
    else:
        runs = [(None, history.reset_index(drop=True))]
    overlay = len(runs) > max_rows
    num_rows = 1 if overlay else len(runs)
    size = (4.2 * len(metrics), 0.4 + 3.0 * num_rows)
    if figure is None:
        figure = plt.figure(figsize=size, layout="constrained")
    else:
        figure.set_size_inches(*size)
    grid = figure.subplots(num_rows, len(metrics), squeeze=False, sharex="row")
    colors = plt.rcParams["axes.prop_cycle"].by_key().get("color", [None])
    for index, (run, part) in enumerate(runs):
        axes = grid[0] if overlay else grid[index]
        label = f"run {run}" if overlay else None
        color = colors[index % len(colors)] if overlay else None
        plot_history(part, metrics, ax=axes, label=label, color=color)
        for ax, metric in zip(axes, metrics):
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            if metric.startswith("val_") and metric[4:] not in part.columns:
                line = ax.lines[-1]  # a validation-only metric: drawn dashed, labelled as such
                line.set_linestyle("--")
                line.set_label(f"{label} validation" if label else "validation")
                ax.legend()
        if len(runs) > 1 and not overlay:
            axes[0].set_title(f"run {run}", loc="left", fontsize="medium")
    if overlay and len(runs) * (1 + any(f"val_{m}" in history.columns for m in metrics)) > 8:
        for ax in grid[0]:
            ax.legend(fontsize="x-small", ncols=2)
    if title is not None:
        figure.suptitle(title, fontsize="medium")
    return grid


def plot_lr_finder(result: Any, ax: Axes | None = None) -> Axes:
    """The learning-rate range test: batch loss and its smoothed curve against the learning rate (log scale).

    Explained in :doc:`/chapters/low_learning_rate`. What :meth:`lossacc.LRFinderResult.plot` draws.

    Parameters
    ----------
    result : LRFinderResult
        From :func:`lossacc.find_learning_rate` (``learning_rates``, ``losses``, ``smoothed_losses``,
        ``suggestion``).
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _new_axes(ax)
    ax.plot(result.learning_rates, result.losses, color="0.7", linewidth=0.8, label="batch loss")
    ax.plot(result.learning_rates, result.smoothed_losses, linewidth=2, label="smoothed")
    if result.suggestion is not None:
        index = int(np.argmin(np.abs(result.learning_rates - result.suggestion)))
        ax.plot(
            [result.suggestion], [result.smoothed_losses[index]], marker="o", markersize=9, linestyle="none",
            color="C3", label=f"steepest descent: {result.suggestion:.2g}",
        )
        ax.axvline(result.suggestion, color="C3", linewidth=0.8, linestyle=":")
    ax.set_xscale("log")
    finite = result.smoothed_losses[np.isfinite(result.smoothed_losses)]
    if len(finite):  # keep the divergence from squashing the interesting part
        low, high = float(finite.min()), float(min(finite.max(), 2 * finite[0] - finite.min() + 1e-12))
        ax.set_ylim(low - 0.05 * (high - low + 1e-12), high + 0.1 * (high - low + 1e-12))
    ax.set_xlabel("learning rate (log scale)")
    ax.set_ylabel("training loss")
    ax.legend()
    return ax
