"""Name what a learning curve shows: detectors for the book's phenomena, with the evidence in numbers.

:func:`lossacc.diagnose` reads a training history (a Keras ``History``, its ``history`` dict, the table
of :func:`lossacc.history_frame`, or the table of :func:`lossacc.read_keras_log` with one ``run``
per ``fit()`` call) and returns :class:`lossacc.Finding` objects: what was seen, at which epochs, the
numbers, why it happens, what to check, and the chapter that explains it.

The detectors (each a small private function whose thresholds are keyword arguments of
:func:`lossacc.diagnose`):

``accuracy_stall``
    Accuracy pinned at one value (often the majority-class rate, e.g. exactly 0.5000) while the
    loss moves: steps too small (or too few units) for any output to cross the threshold.
``validation_dip`` / ``validation_dip_noise``
    One-epoch drops of validation accuracy that recover at the next epoch, classified against the
    binomial standard error ``sqrt(p (1 - p) / n)`` of a validation set of ``n`` samples.
``accuracy_plateau``
    Accuracy flat (within a tolerance, on its ``1/n`` grid) while the loss keeps falling: the
    threshold effect -- the loss rewards confidence, accuracy only counts crossings.
``output_activation_mismatch``
    Loss too small for the accuracy (a misclassified sample costs at least ``ln 2`` in
    cross-entropy), a negative loss, accuracy outside [0, 1], accuracy collapsing while the loss
    falls, or tracked outputs outside [0, 1]: the numbers fed to the loss or the metric are not
    probabilities.
``overfitting``
    Validation loss rising for at least ``patience`` epochs after its minimum while the training
    loss falls (a single spike does not fire it).
"""

from __future__ import annotations

import math
import sys
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lossacc._validation import check_positive_float, check_positive_int
from lossacc.noise import infer_num_samples

__all__ = ["Finding", "diagnose"]

#: Chapter documents a finding may point to.
CHAPTERS = ("low_learning_rate", "validation_dips", "accuracy_plateaus", "linear_output", "primer", "field_guide")

_ACCURACY_NAMES = ("accuracy", "acc", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy")
_LN2 = math.log(2.0)


@dataclass(frozen=True)
class Finding:
    """One diagnosed phenomenon.

    Explained in :doc:`/chapters/field_guide`.

    Attributes
    ----------
    name : str
        Short identifier, e.g. ``"accuracy_stall"``.
    title : str
        One-line headline.
    run : int, str or None
        The run (``fit()`` call) the finding is about when the history holds several, else ``None``.
    epochs : tuple of int
        The epochs involved (empty for findings about a model, see :func:`lossacc.check_model`).
    evidence : str
        What was measured, with the numbers.
    explanation : str
        Why this happens (one paragraph).
    action : str
        A suggested check or fix.
    chapter : str
        The chapter that explains it (one of ``CHAPTERS``).
    """

    name: str
    title: str
    run: Any
    epochs: tuple[int, ...]
    evidence: str
    explanation: str
    action: str
    chapter: str

    def __str__(self) -> str:
        where = []
        if self.run is not None:
            where.append(f"run {self.run}")
        if self.epochs:
            where.append(format_epochs(self.epochs))
        head = f"[{self.name}] {self.title}" + (f" ({', '.join(where)})" if where else "")

        def block(label: str, text: str) -> str:
            lines = []
            for index, paragraph in enumerate(text.splitlines() or [""]):
                first = f"  {label:<9}" if index == 0 else " " * 11
                lines.append(
                    textwrap.fill(paragraph, width=100, initial_indent=first, subsequent_indent=" " * 11)
                    if paragraph
                    else first.rstrip()
                )
            return "\n".join(lines)

        return "\n".join(
            [
                head,
                block("Evidence", self.evidence),
                block("Why", self.explanation),
                block("Check", self.action),
                block("Read", f"chapters/{self.chapter}"),
            ]
        )


def format_epochs(epochs: Any) -> str:
    """``(1, 2, 3, 7)`` -> ``"epochs 1-3, 7"``."""
    epochs = sorted(int(e) for e in epochs)
    if not epochs:
        return "no epoch"
    parts, start, previous = [], epochs[0], epochs[0]
    for epoch in epochs[1:] + [None]:
        if epoch is not None and epoch == previous + 1:
            previous = epoch
            continue
        parts.append(f"{start}" if start == previous else f"{start}-{previous}")
        if epoch is not None:
            start = previous = epoch
    return ("epoch " if len(epochs) == 1 else "epochs ") + ", ".join(parts)


# ---------------------------------------------------------------------------------------------
# Input: one table per run


@dataclass
class _Run:
    run: Any
    frame: pd.DataFrame  # one row per epoch, index 0..n-1, column "epoch" (int)


@dataclass
class _Context:
    probabilities: np.ndarray | None
    labels: np.ndarray | None
    train_size: int | None
    val_size: int | None


def _as_runs(history: Any) -> list[_Run]:
    # A keras History can only exist once keras is imported: don't import it (slow) to check.
    if "keras" in sys.modules and isinstance(history, sys.modules["keras"].callbacks.History):
        history = history.history
    if isinstance(history, Mapping):
        from lossacc.training import history_frame

        history = history_frame(history)
    if not isinstance(history, pd.DataFrame):
        raise TypeError(
            "history must be a keras History, its history dict, or a DataFrame from lossacc.history_frame / "
            f"lossacc.read_keras_log; got {type(history).__name__}"
        )
    if history.empty:
        raise ValueError("history is empty: no epochs to diagnose")
    frame = history.copy()
    metric_columns = [c for c in frame.columns if c not in ("run", "epoch")]
    if not metric_columns:
        raise ValueError(f"history has no metric columns (only {list(frame.columns)}); expected loss, accuracy, ...")
    for column in metric_columns:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    if "run" in frame.columns:
        groups = [(key, part) for key, part in frame.groupby("run", sort=False)]
    else:
        groups = [(None, frame)]
    several = len(groups) > 1
    runs = []
    for key, part in groups:
        part = part.drop(columns=["run"], errors="ignore").reset_index(drop=True)
        if "epoch" in part.columns:
            epochs = pd.to_numeric(part["epoch"], errors="coerce")
            if epochs.isna().any():
                raise ValueError(f"the epoch column must hold integers; got {part['epoch'].tolist()[:10]}")
            part["epoch"] = epochs.astype(int)
            part = part.sort_values("epoch", kind="stable").reset_index(drop=True)
        else:
            part.insert(0, "epoch", np.arange(1, len(part) + 1))
        runs.append(_Run(run=(key.item() if hasattr(key, "item") else key) if several else None, frame=part))
    return runs


def _accuracy_column(frame: pd.DataFrame, validation: bool) -> str | None:
    prefix = "val_" if validation else ""
    for name in _ACCURACY_NAMES:
        if prefix + name in frame.columns:
            return prefix + name
    for column in frame.columns:
        if column.startswith("val_") != validation:
            continue
        if column.endswith("accuracy") or column.endswith("_acc"):
            return column
    return None


def _series(frame: pd.DataFrame, *columns: str) -> tuple[np.ndarray, ...]:
    """Epoch positions, epochs and the values of ``columns`` on the rows where all are finite."""
    values = frame[list(columns)].to_numpy(dtype="float64")
    keep = np.all(np.isfinite(values), axis=1)
    positions = np.flatnonzero(keep)
    return (positions, frame["epoch"].to_numpy()[keep], *(values[keep, i] for i in range(len(columns))))


def infer_grid(values: Any, *, max_size: int = 5000) -> int | None:
    """The smallest ``n`` such that every value is a multiple of ``1/n`` (accuracy = correct / n).

    Values printed with 4 decimals (Keras logs) are matched to within their rounding, full-precision
    values (``History``, ``CSVLogger``) to within float32 precision. Returns ``None`` when fewer than
    4 distinct values are seen or no ``n`` fits before the rounding makes every ``n`` fit.
    """
    values = np.asarray(values, dtype="float64")
    values = values[np.isfinite(values)]
    if len(np.unique(np.round(values, 6))) < 4:
        return None
    printed = np.all(np.abs(values * 1e4 - np.round(values * 1e4)) < 1e-6)
    precision = 5.0001e-5 if printed else 1e-6
    for size in range(1, max_size + 1):
        tolerance = size * precision + 1e-9
        if tolerance > 0.1:
            return None
        scaled = values * size
        if np.all(np.abs(scaled - np.round(scaled)) <= tolerance):
            return size
    return None


def _grid_size(values: np.ndarray, given: int | None, what: str) -> tuple[int | None, str]:
    """``(n, note)``: the given size, or one inferred from the grid of ``values``, with a note saying which."""
    if given is not None:
        return given, ""
    inferred = infer_grid(values)
    if inferred is not None:
        return inferred, (
            f"{what} not given: inferred n = {inferred} from the 1/n grid of the accuracy values "
            "(the smallest grid that fits; the true size may be a multiple of it)"
        )
    return None, ""


def _smallest_consistent_size(values: np.ndarray, *, max_size: int = 20_000) -> int:
    """A lower bound on the number of samples behind accuracies whose grid is not identifiable.

    The larger of: one sample per smallest step seen, and the smallest ``n`` for which every value
    (printed with 4 decimals) is ``round(k / n, 4)`` -- no smaller set can produce these numbers.
    """
    steps = np.abs(np.diff(values))
    steps = steps[steps > 1e-6]
    size = max(2, int(round(1.0 / steps.min()))) if len(steps) else 2
    printed = np.all(np.abs(values * 1e4 - np.round(values * 1e4)) < 1e-6)
    if printed:
        try:
            return max(size, infer_num_samples(values, decimals=4, max_samples=max_size))
        except ValueError:  # no n <= max_size prints these values (or they are not accuracies)
            pass
    return size


def _of(fraction: float, size: int | None) -> str:
    """``" = 200 of 400 samples"`` when the size is known."""
    if size is None:
        return ""
    return f" = {round(fraction * size)} of {size} samples"


# ---------------------------------------------------------------------------------------------
# Per-sample helpers (no [0, 1] check: a linear output is exactly what some findings are about)


def _margins(probabilities: np.ndarray) -> np.ndarray:
    """Distance to the decision: ``|p - 0.5|`` (one output) or top-1 minus top-2 (several)."""
    if probabilities.ndim == 2:
        return np.abs(probabilities - 0.5)
    top = np.sort(probabilities, axis=-1)
    return top[..., -1] - top[..., -2]


def _correct(probabilities: np.ndarray, labels: np.ndarray) -> np.ndarray:
    if probabilities.ndim == 2:
        return (probabilities > 0.5) == (labels == 1)
    return probabilities.argmax(axis=-1) == labels


def _true_probability(probabilities: np.ndarray, labels: np.ndarray) -> np.ndarray:
    if probabilities.ndim == 2:
        return np.where(labels == 1, probabilities, 1.0 - probabilities)
    return probabilities[:, np.arange(probabilities.shape[1]), labels]


def _check_per_sample(probabilities: Any, labels: Any, runs: list[_Run]) -> tuple[np.ndarray | None, np.ndarray | None]:
    probabilities_array = None
    if probabilities is not None:
        try:
            probabilities_array = np.array(probabilities, dtype="float64", copy=True)
        except (TypeError, ValueError):
            raise TypeError(
                "probabilities must be a numeric array (ProbabilityTracker.probabilities); "
                f"got {type(probabilities).__name__}"
            ) from None
        if probabilities_array.ndim == 3 and probabilities_array.shape[2] == 1:
            probabilities_array = probabilities_array[:, :, 0]
        if probabilities_array.ndim not in (2, 3) or probabilities_array.size == 0:
            raise ValueError(
                "probabilities must have shape (epochs + 1, samples) or (epochs + 1, samples, classes) as recorded by "
                f"ProbabilityTracker; got shape {probabilities_array.shape}"
            )
        if not np.all(np.isfinite(probabilities_array)):
            raise ValueError("probabilities contain NaN or infinite values")
        if len(runs) != 1:
            raise ValueError(
                f"probabilities belong to one training run but the history holds {len(runs)} runs; "
                "select one run (history[history.run == k]) to use per-sample evidence"
            )
        expected = len(runs[0].frame) + 1
        if probabilities_array.shape[0] != expected:
            raise ValueError(
                f"probabilities must have one row per epoch plus the initial row 0 ({expected} rows for "
                f"{expected - 1} epochs); got {probabilities_array.shape[0]} rows"
            )
    if labels is None:
        return probabilities_array, None
    labels_array = np.array(labels, copy=True)
    if labels_array.ndim == 0 or labels_array.size == 0:
        raise ValueError(f"labels must be a non-empty array of class labels; got {labels!r}")
    if labels_array.ndim == 2 and labels_array.shape[1] > 1 and labels_array.shape[1] > 1:
        labels_array = labels_array.argmax(axis=1)
    labels_array = labels_array.reshape(-1)
    if not np.issubdtype(labels_array.dtype, np.number):
        raise TypeError(f"labels must be numeric class labels; got dtype {labels_array.dtype}")
    if probabilities_array is not None:
        num_samples = probabilities_array.shape[1]
        if labels_array.shape != (num_samples,):
            raise ValueError(
                f"labels must hold one label per tracked sample ({num_samples}); got shape {np.shape(labels)}"
            )
        num_classes = 2 if probabilities_array.ndim == 2 else probabilities_array.shape[2]
        if not np.all(np.isin(labels_array, np.arange(num_classes))):
            raise ValueError(
                f"labels must be class indices in 0..{num_classes - 1}; got values {np.unique(labels_array)[:10]}"
            )
    elif np.any(labels_array < 0) or np.any(labels_array != np.round(labels_array)):
        raise ValueError(f"labels must be class indices 0, 1, ...; got values {np.unique(labels_array)[:10]}")
    return probabilities_array, labels_array.astype(int)


# ---------------------------------------------------------------------------------------------
# Windows


def _flat_windows(values: np.ndarray, tolerance: float, min_length: int) -> list[tuple[int, int]]:
    """Maximal index ranges ``[start, stop)`` of at least ``min_length`` values whose range is <= tolerance."""
    windows, start = [], 0
    while start < len(values):
        stop, low, high = start + 1, values[start], values[start]
        while stop < len(values):
            low, high = min(low, values[stop]), max(high, values[stop])
            if high - low > tolerance + 1e-12:
                break
            stop += 1
        if stop - start >= min_length:
            windows.append((start, stop))
            start = stop
        else:
            start += 1
    return windows


# ---------------------------------------------------------------------------------------------
# Detectors


def _detect_stall(
    run: _Run, ctx: _Context, *, stall_epochs: int, stall_tolerance: float, min_loss_change: float,
    perfect_accuracy: float, margin: float,
) -> tuple[list[Finding], set[int]]:
    frame = run.frame
    accuracy, loss, validation = _accuracy_column(frame, False), "loss", False
    if accuracy is None or "loss" not in frame:
        accuracy, loss, validation = _accuracy_column(frame, True), "val_loss", True
    if accuracy is None or loss not in frame:
        return [], set()
    positions, epochs, acc, loss_values = _series(frame, accuracy, loss)
    size = ctx.val_size if validation else ctx.train_size
    if size is None:
        size, _ = _grid_size(acc, None, "")
    majority = None
    if ctx.labels is not None:
        counts = np.bincount(ctx.labels)
        majority = counts.max() / counts.sum()
    findings, stalled = [], set()
    for start, stop in _flat_windows(acc, stall_tolerance, stall_epochs):
        level = float(np.median(acc[start:stop]))
        at_start = start == 0
        at_majority = majority is not None and abs(level - majority) <= max(stall_tolerance, 1e-3)
        at_chance = level <= 0.5 + stall_tolerance or at_majority
        if level >= perfect_accuracy or not (at_start or at_chance):
            continue
        window_loss = loss_values[start:stop]
        loss_change = float(window_loss.max() - window_loss.min())
        if loss_change < min_loss_change:
            continue
        window_epochs = tuple(int(e) for e in epochs[start:stop])
        stalled.update(window_epochs)
        lines = [
            f"{accuracy} = {level:.4f}{_of(level, size)} at every one of {stop - start} epochs "
            f"({window_epochs[0]} to {window_epochs[-1]}) while {loss} went "
            f"{window_loss[0]:.4f} -> {window_loss[-1]:.4f} "
            f"({(window_loss[-1] - window_loss[0]) / window_loss[0]:+.1%})."
        ]
        if stop < len(acc):
            lines.append(f"Accuracy left {level:.4f} at epoch {int(epochs[stop])} ({acc[stop]:.4f}).")
        else:
            lines.append("It was still pinned at the last epoch.")
        if at_majority:
            lines.append(f"{level:.4f} is the majority-class rate of the labels: every sample gets the same class.")
        elif abs(level - 0.5) <= stall_tolerance:
            lines.append(
                "0.5000 is the majority-class rate of a balanced binary set: likely one class for every sample."
            )
        other = _accuracy_column(frame, not validation)
        if other is not None:
            other_values = frame[other].to_numpy()[positions[start:stop]]
            other_values = other_values[np.isfinite(other_values)]
            if len(other_values) and np.ptp(other_values) <= stall_tolerance:
                lines.append(f"{other} is pinned too, at {other_values[0]:.4f}.")
        if ctx.probabilities is not None:
            probabilities = ctx.probabilities
            first_row, last_row = positions[start] + 1, positions[stop - 1] + 1
            margins = _margins(probabilities)[last_row]
            lines.append(
                f"Tracked samples at epoch {window_epochs[-1]}: {int((margins < margin).sum())} of {len(margins)} "
                f"within {margin} of the decision threshold; mean distance to it "
                f"{_margins(probabilities)[first_row].mean():.4f} "
                f"at epoch {window_epochs[0]} -> {margins.mean():.4f} (the outputs move, the decisions do not)."
            )
            if ctx.labels is not None:
                correct = _correct(probabilities, ctx.labels)
                wrong = int((~correct[last_row]).sum())
                changed = int((correct[first_row:last_row + 1] != correct[first_row]).any(axis=0).sum())
                text = f"{wrong} of {len(margins)} tracked samples sit on the wrong side at epoch {window_epochs[-1]}; "
                text += f"{changed} changed side during the stall."
                if probabilities.ndim == 2:
                    predicted_one = int((probabilities[last_row] > 0.5).sum())
                    text += f" The model predicts class 1 for {predicted_one} of {len(margins)}."
                lines.append(text)
        findings.append(
            Finding(
                name="accuracy_stall",
                title=f"Accuracy pinned at {level:.4f} while the loss moves",
                run=run.run,
                epochs=window_epochs,
                evidence="\n".join(lines),
                explanation=(
                    "Accuracy only changes when an output crosses the decision threshold. With a learning rate that "
                    "is too small (or too few units, or saturated sigmoids) every step nudges the outputs a little: "
                    "the loss creeps down while no prediction changes side, so accuracy stays exactly where it "
                    "started -- often the majority-class rate, because the network begins by giving every sample "
                    "the same class."
                ),
                action=(
                    "Raise the learning rate (run lossacc.find_learning_rate for a starting value), train longer, "
                    "add units, and check that the inputs are scaled; track the outputs with "
                    "lossacc.ProbabilityTracker to watch them approach the threshold."
                ),
                chapter="low_learning_rate",
            )
        )
    return findings, stalled


def _detect_validation_dips(
    run: _Run, ctx: _Context, *, dip_min_drop: float, noise_sigmas: float, margin: float,
) -> list[Finding]:
    frame = run.frame
    accuracy = _accuracy_column(frame, True)
    if accuracy is None:
        return []
    positions, epochs, values = _series(frame, accuracy)
    if len(values) < 3:
        return []
    size, note = _grid_size(values, ctx.val_size, "val_size")
    if size is None:
        size = _smallest_consistent_size(values)
        note = (
            f"val_size not given and the accuracy values do not reveal their 1/n grid: assumed n = {size}, "
            "the smallest size consistent with the values and their steps (a lower bound, so the noise band is "
            "generous); pass val_size"
        )
    noise, large = [], []
    for i in range(1, len(values) - 1):
        before, at, after = values[i - 1], values[i], values[i + 1]
        drop = before - at
        if drop < dip_min_drop - 1e-9 or after - at < 0.5 * drop:
            continue
        level = min(max((before + at) / 2, 1.0 / size), 1.0 - 1.0 / size)
        standard_error = math.sqrt(level * (1 - level) / size)
        sigmas = drop / standard_error
        text = (
            f"epoch {int(epochs[i])}: {before:.4f} -> {at:.4f} -> {after:.4f}, drop {drop:.4f}"
            f"{_of(drop, size).replace(' = ', ' = about ')}; binomial SE at p = {level:.3f}, n = {size}: "
            f"{standard_error:.4f}, so the drop is {sigmas:.1f} SE"
        )
        if ctx.probabilities is not None:
            probabilities = ctx.probabilities
            row_before, row_at = positions[i - 1] + 1, positions[i] + 1
            near = int((_margins(probabilities)[row_before] < margin).sum())
            text += (
                f"; before it {near} of {probabilities.shape[1]} tracked samples were within {margin} of the threshold"
            )
            if ctx.labels is not None:
                correct = _correct(probabilities, ctx.labels)
                to_wrong = int((correct[row_before] & ~correct[row_at]).sum())
                to_right = int((~correct[row_before] & correct[row_at]).sum())
                text += f", {to_wrong} flipped to wrong and {to_right} to right"
                flipped = correct[row_before] & ~correct[row_at]
                if flipped.any():
                    distances = _margins(probabilities)[row_before][flipped]
                    text += (
                        f" (their distance to the threshold before: {distances.min():.3f} to {distances.max():.3f}, "
                        f"median {np.median(distances):.3f})"
                    )
        (noise if sigmas <= noise_sigmas else large).append((int(epochs[i]), text + "."))
    findings = []
    header = [note] if note else []
    if large:
        findings.append(
            Finding(
                name="validation_dip",
                title=f"One-epoch validation-accuracy dip{'s' if len(large) > 1 else ''} larger than noise",
                run=run.run,
                epochs=tuple(e for e, _ in large),
                evidence="\n".join(header + [t for _, t in large] + [f"Noise threshold: {noise_sigmas} SE."]),
                explanation=(
                    "The validation set is the same at every epoch, so every change of its accuracy is the model "
                    "changing; a drop this far beyond the set's resolution (its binomial standard error) is a real "
                    "swing, not a blur of measurement: many validation samples sit close to the decision threshold "
                    "and one update moves the boundary across a whole group of them (a large step, momentum, "
                    "un-centred inputs), then the next update moves it back."
                ),
                action=(
                    "Track the validation outputs (lossacc.ProbabilityTracker) to see which samples flip; lower the "
                    "learning rate or standardise the inputs; don't stop or pick a checkpoint on one epoch -- monitor "
                    "with patience, and choose the monitored metric (val_loss or val_accuracy) for how the model "
                    "will be used, since the two can disagree about the best epoch."
                ),
                chapter="validation_dips",
            )
        )
    if noise:
        findings.append(
            Finding(
                name="validation_dip_noise",
                title=f"Validation-accuracy dip{'s' if len(noise) > 1 else ''} within binomial noise",
                run=run.run,
                epochs=tuple(e for e, _ in noise),
                evidence="\n".join(header + [t for _, t in noise] + [f"Noise threshold: {noise_sigmas} SE."]),
                explanation=(
                    f"With n = {size} validation samples accuracy moves in steps of 1/n = {1 / size:.4f} and its "
                    "binomial standard error sqrt(p(1-p)/n) is how precisely one epoch's accuracy measures accuracy "
                    "on new data: a drop of a few standard errors is a few borderline samples changing side, smaller "
                    "than what this set can resolve. It is not a sign of a problem on its own."
                ),
                action=(
                    "Nothing to fix; judge the trend, not one epoch. A larger validation set measures accuracy more "
                    "precisely, so that changes of this size become meaningful."
                ),
                chapter="validation_dips",
            )
        )
    return findings


def _detect_plateaus(
    run: _Run, ctx: _Context, stalled: set[int], *, plateau_epochs: int, plateau_tolerance: float,
    min_loss_drop: float, perfect_accuracy: float, margin: float,
) -> list[Finding]:
    frame = run.frame
    accuracy, loss, validation = _accuracy_column(frame, False), "loss", False
    if accuracy is None or "loss" not in frame:
        accuracy, loss, validation = _accuracy_column(frame, True), "val_loss", True
    if accuracy is None or loss not in frame:
        return []
    positions, epochs, acc, loss_values = _series(frame, accuracy, loss)
    if validation:
        size, note = _grid_size(acc, ctx.val_size, "val_size")
    else:
        size, note = _grid_size(acc, ctx.train_size, "train_size")
    findings = []
    for start, stop in _flat_windows(acc, plateau_tolerance, plateau_epochs):
        window_epochs = tuple(int(e) for e in epochs[start:stop])
        window_acc, window_loss = acc[start:stop], loss_values[start:stop]
        if stalled.intersection(window_epochs) or window_acc.mean() >= perfect_accuracy:
            continue
        if abs(window_acc[-1] - window_acc[0]) > plateau_tolerance / 2:
            continue  # still climbing (or sliding): not flat
        relative_drop = (window_loss[0] - window_loss[-1]) / window_loss[0] if window_loss[0] > 0 else 0.0
        falling_steps = float(np.mean(np.diff(window_loss) < 0))
        if relative_drop < min_loss_drop or falling_steps < 0.7:
            continue
        lines = [note] if note else []
        low, high = window_acc.min(), window_acc.max()
        lines.append(
            f"{accuracy} stayed between {low:.4f} and {high:.4f} for {stop - start} epochs "
            f"({window_epochs[0]} to {window_epochs[-1]}) while {loss} fell "
            f"{window_loss[0]:.4f} -> {window_loss[-1]:.4f} "
            f"({-relative_drop:+.1%}, falling at {falling_steps:.0%} of the steps)."
        )
        if size is not None:
            lines.append(
                f"With n = {size} accuracy moves in steps of 1/n = {1 / size:.4f}: between {round(low * size)} and "
                f"{round(high * size)} of {size} samples correct; {size - round(high * size)} still wrong."
            )
        if ctx.probabilities is not None:
            probabilities = ctx.probabilities
            first_row, last_row = positions[start] + 1, positions[stop - 1] + 1
            text = (
                f"Tracked samples: mean distance to the threshold {_margins(probabilities)[first_row].mean():.4f} -> "
                f"{_margins(probabilities)[last_row].mean():.4f}"
            )
            if ctx.labels is not None:
                correct = _correct(probabilities, ctx.labels)
                true_p = _true_probability(probabilities, ctx.labels)
                right = correct[first_row] & correct[last_row]
                text += (
                    f"; the {int(right.sum())} samples right throughout gained confidence (mean true-class probability "
                    f"{true_p[first_row][right].mean():.4f} -> {true_p[last_row][right].mean():.4f})"
                    if right.any()
                    else ""
                )
                text += f"; {int((~correct[last_row]).sum())} still wrong at epoch {window_epochs[-1]}"
            lines.append(text + ".")
        findings.append(
            Finding(
                name="accuracy_plateau",
                title="Accuracy flat while the loss keeps falling (threshold effect)",
                run=run.run,
                epochs=window_epochs,
                evidence="\n".join(lines),
                explanation=(
                    "Cross-entropy keeps rewarding confidence on samples that are already right, while accuracy only "
                    "counts samples that cross the threshold. When the remaining errors are hard (or impossible) to "
                    "fix, the loss falls as the correct samples move away from 0.5 and accuracy stays on the same "
                    "step of its 1/n grid."
                ),
                action=(
                    "Look at the samples still wrong (lossacc.ProbabilityTracker, first_correct_epoch); if they are "
                    "label noise or overlap, the plateau is the best possible accuracy. Otherwise more capacity or "
                    "features, not more epochs, move it."
                ),
                chapter="accuracy_plateaus",
            )
        )
    return findings


def _detect_output_mismatch(
    run: _Run, ctx: _Context, *, loss_bound_fraction: float, collapse_drop: float,
) -> list[Finding]:
    frame = run.frame
    lines: list[str] = []
    epochs_involved: set[int] = set()
    for validation in (False, True):
        loss = "val_loss" if validation else "loss"
        accuracy = _accuracy_column(frame, validation)
        if loss in frame:
            _, epochs, values = _series(frame, loss)
            negative = values < -1e-7
            if negative.any():
                epochs_involved.update(int(e) for e in epochs[negative])
                lines.append(
                    f"{loss} < 0 at {format_epochs(epochs[negative])} (lowest {values.min():.4f}): impossible for "
                    "cross-entropy of probabilities."
                )
        if accuracy is None:
            continue
        _, epochs, values = _series(frame, accuracy)
        outside = (values < -1e-7) | (values > 1 + 1e-7)
        if outside.any():
            epochs_involved.update(int(e) for e in epochs[outside])
            lines.append(f"{accuracy} outside [0, 1] at {format_epochs(epochs[outside])}: not an accuracy.")
        if loss not in frame:
            continue
        _, epochs, acc, loss_values = _series(frame, accuracy, loss)
        if len(acc) == 0:
            continue
        error = 1.0 - acc
        bound = loss_bound_fraction * _LN2 * error
        too_low = (error >= 0.05) & (loss_values >= -1e-7) & (loss_values < bound)
        if too_low.any():
            i = int(np.flatnonzero(too_low)[np.argmin((loss_values / np.maximum(bound, 1e-12))[too_low])])
            epochs_involved.update(int(e) for e in epochs[too_low])
            lines.append(
                f"{loss} too small for {accuracy} at {format_epochs(epochs[too_low])}: e.g. epoch {int(epochs[i])} "
                f"{loss} = {loss_values[i]:.4f} with {accuracy} = {acc[i]:.4f}, but {error[i]:.1%} of samples wrong "
                "cost "
                f"at least ln 2 x {error[i]:.4f} = {_LN2 * error[i]:.4f} in cross-entropy."
            )
        best = int(np.argmax(acc))
        if acc[best] - acc[-1] >= collapse_drop and loss_values[-1] < loss_values[best]:
            epochs_involved.update(int(e) for e in epochs[best:])
            lines.append(
                f"{accuracy} collapsed from {acc[best]:.4f} (epoch {int(epochs[best])}) to {acc[-1]:.4f} (epoch "
                f"{int(epochs[-1])}) while {loss} fell {loss_values[best]:.4f} -> {loss_values[-1]:.4f}: "
                "the metric and "
                "the loss disagree about the same outputs."
            )
    if ctx.probabilities is not None:
        low, high = ctx.probabilities.min(), ctx.probabilities.max()
        if low < -1e-6 or high > 1 + 1e-6:
            lines.append(f"Tracked outputs range from {low:.4g} to {high:.4g}: not probabilities (a linear output).")
    if not lines:
        return []
    return [
        Finding(
            name="output_activation_mismatch",
            title="Loss and accuracy are not computed from probabilities",
            run=run.run,
            epochs=tuple(sorted(epochs_involved)),
            evidence="\n".join(lines),
            explanation=(
                "A misclassified sample has a true-class probability of at most 0.5, so it costs at least ln 2 = "
                "0.693 in cross-entropy: the loss cannot be near zero while many samples are wrong, and can never be "
                "negative. When it is, the numbers fed to the loss or the metric are not probabilities: a linear "
                "output with from_logits=False (Keras clips the outputs to [1e-7, 1 - 1e-7], so any output beyond 1 "
                "counts as perfect), or an accuracy that rounds unclipped outputs (standalone Keras 2.3 round(p))."
            ),
            action=(
                "Run lossacc.check_model(model). Either end the network with a sigmoid/softmax, or keep the linear "
                "output and use from_logits=True together with keras.metrics.BinaryAccuracy(threshold=0.0). (Class "
                "weights or custom losses can also break the ln 2 bound.)"
            ),
            chapter="linear_output",
        )
    ]


def _detect_overfitting(
    run: _Run, ctx: _Context, *, patience: int, min_rise: float,
) -> list[Finding]:
    frame = run.frame
    if "val_loss" not in frame or "loss" not in frame:
        return []
    positions, epochs, val_loss, train_loss = _series(frame, "val_loss", "loss")
    if len(val_loss) <= patience:
        return []
    best = int(np.argmin(val_loss))
    after = len(val_loss) - 1 - best
    minimum = val_loss[best]
    tail = val_loss[-patience:]
    threshold = minimum + max(min_rise * abs(minimum), 1e-8)
    if after < patience or np.median(tail) < threshold or val_loss[-1] <= minimum or train_loss[-1] >= train_loss[best]:
        return []
    window_epochs = tuple(int(e) for e in epochs[best:])
    lines = [
        f"val_loss was lowest at epoch {int(epochs[best])} ({minimum:.4f}), then rose to {val_loss[-1]:.4f} at epoch "
        f"{int(epochs[-1])} ({(val_loss[-1] - minimum) / abs(minimum):+.0%}) over {after} epochs; median of the last "
        f"{patience}: {np.median(tail):.4f}. Training loss fell {train_loss[best]:.4f} -> {train_loss[-1]:.4f}."
    ]
    val_accuracy = _accuracy_column(frame, True)
    if val_accuracy is not None:
        acc = frame[val_accuracy].to_numpy()[positions]
        lines.append(
            f"{val_accuracy}: {acc[best]:.4f} at epoch {int(epochs[best])}, {acc[-1]:.4f} at the end"
            + (
                " -- it held up: the rise comes from a few samples getting confidently wrong."
                if acc[-1] >= acc[best]
                else "."
            )
        )
    if ctx.probabilities is not None and ctx.labels is not None:
        true_p = _true_probability(ctx.probabilities, ctx.labels)
        row_best, row_last = positions[best] + 1, positions[-1] + 1
        lines.append(
            "Tracked samples with true-class probability < 0.1 (confidently wrong): "
            f"{int((true_p[row_best] < 0.1).sum())} "
            f"at epoch {int(epochs[best])} -> {int((true_p[row_last] < 0.1).sum())} at epoch {int(epochs[-1])}."
        )
    return [
        Finding(
            name="overfitting",
            title="Validation loss rising while training loss falls (overfitting)",
            run=run.run,
            epochs=window_epochs,
            evidence="\n".join(lines),
            explanation=(
                "After its minimum the validation loss keeps rising for several epochs while the training loss "
                "keeps falling: the model is fitting the training samples at the expense of new ones. Validation "
                "accuracy often lags behind, because the loss grows first on a few samples that become confidently "
                "wrong."
            ),
            action=(
                "Keep the weights of the best epoch (keras.callbacks.EarlyStopping(monitor='val_loss', "
                f"patience={patience}, restore_best_weights=True)); add regularisation (dropout, weight decay), "
                "reduce capacity or get more data."
            ),
            chapter="field_guide",
        )
    ]


# ---------------------------------------------------------------------------------------------


def diagnose(
    history: Any,
    probabilities: Any = None,
    *,
    labels: Any = None,
    val_size: int | None = None,
    train_size: int | None = None,
    stall_epochs: int = 5,
    stall_tolerance: float = 1e-4,
    min_loss_change: float = 1e-3,
    dip_min_drop: float = 0.02,
    noise_sigmas: float = 2.5,
    plateau_epochs: int = 5,
    plateau_tolerance: float = 0.01,
    min_loss_drop: float = 0.1,
    loss_bound_fraction: float = 0.35,
    collapse_drop: float = 0.2,
    patience: int = 5,
    min_rise: float = 0.05,
    perfect_accuracy: float = 0.995,
    margin: float = 0.05,
) -> list[Finding]:
    """Detect the book's phenomena in a training history and explain them.

    Explained in :doc:`/chapters/field_guide`.

    Parameters
    ----------
    history : keras.callbacks.History, dict or pandas.DataFrame
        A ``History``, its ``history`` dict, a table from :func:`lossacc.history_frame`, or one from
        :func:`lossacc.read_keras_log` (column ``run``: every run is diagnosed separately and each
        finding says which run it is about). Metric columns as Keras names them (``loss``,
        ``accuracy`` or ``acc``, ``val_loss``, ``val_accuracy`` ...); NaN cells are skipped.
    probabilities : array-like, shape (epochs + 1, samples[, classes]), optional
        Outputs tracked by :class:`lossacc.ProbabilityTracker` (row 0 before training) for the
        same (single) run. Adds per-sample evidence: samples near the threshold, flips, samples on
        the wrong side. Track the validation samples to explain dips and overfitting, the training
        samples to explain stalls and plateaus.
    labels : array-like, optional
        Labels of the tracked samples (0/1, class indices or one-hot). Needed for flips and
        wrong-side counts; alone, it gives the majority-class rate a stall is compared with.
    val_size, train_size : int, optional
        Number of validation / training samples. Accuracy is ``correct / n``, so ``n`` gives the
        ``1/n`` grid and the binomial noise of a dip. When not given, ``n`` is inferred from the
        grid of the observed values if possible, and the finding says what it inferred or assumed.
    stall_epochs : int, default 5
        Minimum number of epochs accuracy must stay pinned to call it a stall.
    stall_tolerance : float, default 1e-4
        How much a pinned accuracy may vary (less than one printed digit).
    min_loss_change : float, default 1e-3
        The loss must move at least this much during a stall (otherwise nothing is learning at all).
    dip_min_drop : float, default 0.02
        Smallest one-epoch drop of validation accuracy considered a dip.
    noise_sigmas : float, default 2.5
        Dips up to this many binomial standard errors are labelled noise.
    plateau_epochs : int, default 5
        Minimum plateau length.
    plateau_tolerance : float, default 0.01
        Maximum range of accuracy over a plateau.
    min_loss_drop : float, default 0.1
        Minimum relative fall of the loss over a plateau (10 %).
    loss_bound_fraction : float, default 0.35
        Fire the output-activation check when ``loss < loss_bound_fraction * ln 2 * (1 - accuracy)``
        (with an error rate of at least 5 %). Cross-entropy guarantees ``loss >= ln 2 * (1 - accuracy)``;
        0.35 keeps the check valid for mean squared error too (``loss >= 0.25 * (1 - accuracy)``).
    collapse_drop : float, default 0.2
        Accuracy ending this far below its best while the loss fell counts as a collapse.
    patience : int, default 5
        Overfitting needs at least this many epochs after the validation-loss minimum, and the median
        of the last ``patience`` values must exceed the minimum by ``min_rise`` (so a single spike
        does not fire it).
    min_rise : float, default 0.05
        Relative rise of the validation loss above its minimum (5 %).
    perfect_accuracy : float, default 0.995
        Accuracy at or above this is "perfect": a plateau there is not a problem.
    margin : float, default 0.05
        Distance from the decision threshold counted as "near it" in per-sample evidence.

    Returns
    -------
    list of Finding
        Ordered by run and first epoch; empty for a healthy run.

    Raises
    ------
    TypeError
        If ``history`` is not one of the accepted types.
    ValueError
        If it holds no epochs or metrics, or ``probabilities``/``labels`` do not match it.

    Examples
    --------
    >>> import pandas as pd
    >>> history = pd.DataFrame({"epoch": range(1, 9), "loss": [0.70, 0.699, 0.698, 0.697, 0.696, 0.695, 0.694, 0.693],
    ...                         "accuracy": [0.5] * 8})
    >>> [finding.name for finding in diagnose(history)]
    ['accuracy_stall']
    """
    for name, value in (("val_size", val_size), ("train_size", train_size)):
        if value is not None:
            check_positive_int(name, value)
    for name, value in (("stall_epochs", stall_epochs), ("plateau_epochs", plateau_epochs), ("patience", patience)):
        check_positive_int(name, value)
    for name, value in (
        ("stall_tolerance", stall_tolerance), ("min_loss_change", min_loss_change), ("dip_min_drop", dip_min_drop),
        ("noise_sigmas", noise_sigmas), ("plateau_tolerance", plateau_tolerance), ("min_loss_drop", min_loss_drop),
        ("loss_bound_fraction", loss_bound_fraction), ("collapse_drop", collapse_drop), ("min_rise", min_rise),
        ("perfect_accuracy", perfect_accuracy), ("margin", margin),
    ):
        check_positive_float(name, value)
    runs = _as_runs(history)
    probabilities_array, labels_array = _check_per_sample(probabilities, labels, runs)
    ctx = _Context(probabilities_array, labels_array, train_size, val_size)
    findings: list[Finding] = []
    for run in runs:
        stalls, stalled = _detect_stall(
            run, ctx, stall_epochs=stall_epochs, stall_tolerance=stall_tolerance, min_loss_change=min_loss_change,
            perfect_accuracy=perfect_accuracy, margin=margin,
        )
        run_findings = stalls
        run_findings += _detect_validation_dips(
            run, ctx, dip_min_drop=dip_min_drop, noise_sigmas=noise_sigmas, margin=margin
        )
        run_findings += _detect_plateaus(
            run, ctx, stalled, plateau_epochs=plateau_epochs, plateau_tolerance=plateau_tolerance,
            min_loss_drop=min_loss_drop, perfect_accuracy=perfect_accuracy, margin=margin,
        )
        run_findings += _detect_output_mismatch(
            run, ctx, loss_bound_fraction=loss_bound_fraction, collapse_drop=collapse_drop
        )
        run_findings += _detect_overfitting(run, ctx, patience=patience, min_rise=min_rise)
        run_findings.sort(key=lambda f: (f.epochs[0] if f.epochs else 0, f.name))
        findings.extend(run_findings)
    return findings
