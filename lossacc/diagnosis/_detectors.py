"""The detectors: one function per finding, each reading one run's columns as NumPy arrays.

Every detector has the signature ``detector(run, context, thresholds) -> list[Finding]`` and is cheap
enough to run after every epoch on the history so far (see :func:`detect`).
"""

from __future__ import annotations

import dataclasses
import functools
import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lossacc.analyze._correctness import (
    ACCURACY_THRESHOLD,
    _true_class_probability,
    binary_prediction,
    correct_mask,
)
from lossacc.analyze._history import history_frame
from lossacc.analyze._noise import _dips_of, accuracy_standard_error, infer_num_samples
from lossacc.analyze._plateaus import _plateau_spans
from lossacc.diagnosis._findings import Finding, format_epochs, make_finding
from lossacc.diagnosis._thresholds import Thresholds

__all__ = ["DETECTORS", "detect", "infer_grid"]

_ACCURACY_NAMES = ("accuracy", "acc", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy")
_LN2 = math.log(2.0)
#: Columns a callback adds: the learning rate is a setting, not something training computes, and a paste may drop it
#: (Keras 3 prints no ``learning_rate`` after a ReduceLROnPlateau message in some runs).
_LEARNING_RATE_NAMES = ("lr", "learning_rate")
_DEFAULT_THRESHOLDS = Thresholds()


# ---------------------------------------------------------------------------------------------
# Input: one set of arrays per run


@dataclass
class _Run:
    run: Any
    epochs: np.ndarray  # int, increasing
    columns: dict[str, np.ndarray]  # float64, one value per epoch (NaN/inf kept)
    cache: dict[Any, Any] = dataclasses.field(default_factory=dict)  # results shared by several detectors

    def __contains__(self, name: str) -> bool:
        return name in self.columns


@dataclass
class _Context:
    outputs: np.ndarray | None
    labels: np.ndarray | None
    train_size: int | None
    val_size: int | None


@functools.lru_cache(maxsize=64)
def _column_order(names: tuple[str, ...]) -> tuple[str, ...]:
    """The metric columns in the order :func:`lossacc.history_frame` gives them (its rule, asked once per set)."""
    return tuple(history_frame({name: [0.0] for name in names}).columns[1:])


def _runs_from_mapping(history: Mapping) -> list[_Run] | None:
    """A history dict of equal-length numeric lists as one run, without building a table (the fast path taken
    after every epoch by a live monitor); ``None`` for anything else (the table path checks and explains it)."""
    if not history or not all(isinstance(name, str) for name in history) or {"epoch", "run"} & set(history):
        return None
    try:
        columns = {name: np.asarray(values, dtype="float64").reshape(-1) for name, values in history.items()}
    except (TypeError, ValueError):
        return None
    lengths = {len(values) for values in columns.values()}
    if len(lengths) != 1 or 0 in lengths:
        return None
    ordered = {name: columns[name] for name in _column_order(tuple(columns))}
    return [_Run(run=None, epochs=np.arange(1, lengths.pop() + 1), columns=ordered)]


def _as_runs(history: Any) -> list[_Run]:
    keras = sys.modules.get("keras")  # a History exists only once keras is imported: don't import it
    if keras is not None and isinstance(history, keras.callbacks.History):
        history = history.history
    if isinstance(history, Mapping):
        runs = _runs_from_mapping(history)
        if runs is not None:
            return runs
        history = history_frame(history)
    if not isinstance(history, pd.DataFrame):
        raise TypeError(
            "history must be a keras History, its history dict, or a DataFrame from lossacc.history_frame / "
            f"lossacc.read_keras_log; got {type(history).__name__}"
        )
    if history.empty:
        raise ValueError("history is empty: no epochs to diagnose")
    metric_columns = [c for c in history.columns if c not in ("run", "epoch")]
    if not metric_columns:
        raise ValueError(f"history has no metric columns (only {list(history.columns)}); expected loss, accuracy, ...")
    values = {c: (history[c].to_numpy(dtype="float64") if history[c].dtype.kind in "fiu"
                  else pd.to_numeric(history[c], errors="coerce").to_numpy(dtype="float64")) for c in metric_columns}
    if "epoch" in history.columns:
        epochs = pd.to_numeric(history["epoch"], errors="coerce").to_numpy(dtype="float64")
        if np.isnan(epochs).any():
            raise ValueError(f"the epoch column must hold integers; got {history['epoch'].tolist()[:10]}")
        epochs = epochs.astype(int)
    else:
        epochs = None
    if "run" in history.columns:
        keys = history["run"].to_numpy()
        order = list(dict.fromkeys(keys.tolist()))
        groups = [(key, np.flatnonzero(keys == key)) for key in order]
    else:
        groups = [(None, np.arange(len(history)))]
    several = len(groups) > 1
    runs = []
    for key, rows in groups:
        run_epochs = epochs[rows] if epochs is not None else np.arange(1, len(rows) + 1)
        order = np.argsort(run_epochs, kind="stable")
        rows = rows[order]
        columns = {c: v[rows] for c, v in values.items()}
        runs.append(_Run(run=(key.item() if hasattr(key, "item") else key) if several else None,
                         epochs=run_epochs[order], columns=columns))
    return runs


def accuracy_column(columns: Any, validation: bool = False) -> str | None:
    """The accuracy among metric names (``accuracy``, ``acc``, ``binary_accuracy`` ..., or ``*accuracy`` /
    ``*_acc``), training or validation (``val_``); ``None`` if there is none. The one rule, used by the
    detectors, the plots and the command line."""
    columns = list(columns)
    prefix = "val_" if validation else ""
    for name in _ACCURACY_NAMES:
        if prefix + name in columns:
            return prefix + name
    for column in columns:
        if column.startswith("val_") != validation:
            continue
        if column.endswith("accuracy") or column.endswith("_acc"):
            return column
    return None


def _accuracy_column(run: _Run, validation: bool) -> str | None:
    return accuracy_column(run.columns, validation)


def _series(run: _Run, *columns: str) -> tuple[np.ndarray, ...]:
    """Row positions, epochs and the values of ``columns`` on the rows where all are finite (computed once)."""
    key = ("series", columns)
    if key not in run.cache:
        values = [run.columns[c] for c in columns]
        keep = np.ones(len(run.epochs), dtype=bool)
        for v in values:
            keep &= np.isfinite(v)
        run.cache[key] = (np.flatnonzero(keep), run.epochs[keep], *(v[keep] for v in values))
    return run.cache[key]


def _pinned_windows(values: np.ndarray, tolerance: float, min_length: int) -> list[tuple[int, int]]:
    """Index ranges ``[start, stop)`` of at least ``min_length`` values within ``tolerance`` of the first.

    The one definition of a flat run: :func:`lossacc.find_plateaus` (its array core, without the table).
    """
    if len(values) < min_length or np.all(np.abs(np.diff(values)) > tolerance):
        return []  # (the common case, a curve that moves every epoch)
    return _plateau_spans(values, min_length, tolerance)


def infer_grid(values: Any, *, max_size: int = 5000) -> int | None:
    """The smallest ``n`` such that every value is a multiple of ``1/n`` (accuracy = correct / n).

    Values printed with 4 decimals (Keras logs) are matched to within their rounding, full-precision
    values (``History``, ``CSVLogger``) to within float32 precision, with
    :func:`lossacc.infer_num_samples`. Returns ``None`` when fewer than 4 distinct values are
    seen or no ``n`` fits before the rounding makes every ``n`` fit.
    """
    values = np.asarray(values, dtype="float64")
    values = values[np.isfinite(values)]
    if len(np.unique(np.round(values, 6))) < 4 or values.min() < 0 or values.max() > 1:
        return None
    printed = bool(np.all(np.abs(values * 1e4 - np.round(values * 1e4)) < 1e-6))
    precision = 5.0001e-5 if printed else 1e-6
    limit = min(max_size, int(0.1 / precision))  # beyond it, the rounding lets every n fit
    try:
        return infer_num_samples(values, max_samples=limit, tolerance=precision)
    except ValueError:
        return None


def _grid_size(values: np.ndarray, given: int | None, what: str) -> tuple[int | None, str]:
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
    """A lower bound on the number of samples behind accuracies whose grid is not identifiable."""
    steps = np.abs(np.diff(values))
    steps = steps[steps > 1e-6]
    size = max(2, int(round(1.0 / steps.min()))) if len(steps) else 2
    printed = np.all(np.abs(values * 1e4 - np.round(values * 1e4)) < 1e-6)
    if printed:
        try:
            return max(size, infer_num_samples(values, decimals=4, max_samples=max_size))
        except ValueError:
            pass
    return size


def _of(fraction: float, size: int | None) -> str:
    if size is None:
        return ""
    return f" = {round(fraction * size)} of {size} samples"


def _margins(probabilities: np.ndarray) -> np.ndarray:
    """Distance to the decision: ``|p - 0.5|`` (one output) or top-1 minus top-2 (several)."""
    if probabilities.ndim == 2:
        return np.abs(probabilities - ACCURACY_THRESHOLD)
    top = np.sort(probabilities, axis=-1)
    return top[..., -1] - top[..., -2]


def _training_pair(run: _Run) -> tuple[str | None, str, bool]:
    """(accuracy column, loss column, validation?) -- training columns when present, else validation."""
    accuracy = _accuracy_column(run, False)
    if accuracy is not None and "loss" in run:
        return accuracy, "loss", False
    return _accuracy_column(run, True), "val_loss", True


# ---------------------------------------------------------------------------------------------
# Detectors


def detect_nonfinite(run: _Run, ctx: _Context, th: Thresholds) -> list[Finding]:
    """``nonfinite``: a loss or metric that turns NaN or infinite.

    An infinite value always counts. A NaN counts in a loss column, or when the column stays NaN
    at the next epoch too; a lone NaN in the last row of a metric, or a last row with no value at all, is a
    truncated log line, not a NaN -- unless no row has a value at all (every column NaN at every epoch,
    divamgupta/image-segmentation-keras#50: ``loss: nan - acc: nan - val_loss: nan - val_acc: nan``).
    A learning-rate column (``lr``, ``learning_rate``) is not looked at: it is a setting, and a missing one (NaN in
    the table) only means the line did not print it.
    """
    names = [name for name in run.columns if name not in _LEARNING_RATE_NAMES]
    if not names:
        return []
    matrix = np.stack([run.columns[c] for c in names])
    empty_row = np.all(np.isnan(matrix), axis=0)
    empty_row[:-1] = False  # only the last line of a log can be cut off
    if empty_row.all():
        empty_row[:] = False  # nothing finite anywhere: the NaNs were printed, not cut off
    lines, bad_epochs = [], set()
    for index, name in enumerate(names):
        values = matrix[index]
        nan = np.isnan(values) & ~empty_row
        followed = np.append(nan[1:], False)
        bad = np.isinf(values) | (nan & (name.endswith("loss") | followed))
        if not bad.any():
            continue
        for row in np.flatnonzero(empty_row):  # an empty row right after a non-finite value continues it
            if row > 0 and bad[row - 1]:
                bad[row] = True
        first = int(np.argmax(bad))
        finite_before = np.flatnonzero(np.isfinite(values[:first]))
        if len(finite_before):
            value = values[finite_before[-1]]
            shown = f"{value:.4f}" if abs(value) < 1e6 else f"{value:.4g}"  # (not 30 digits of an overflow)
            last = f" (last finite value {shown} at epoch {int(run.epochs[finite_before[-1]])})"
        else:
            last = " (never finite)"
        count = int(bad.sum())
        lines.append(f"{name} = {values[first]} at epoch {int(run.epochs[first])}{last}; non-finite at {count} of "
                     f"{len(values)} epochs" + (" (to the end)." if bad[first:].all() else "."))
        bad_epochs.update(int(e) for e in run.epochs[bad])
    if not lines:
        return []
    return [make_finding("nonfinite", "Loss or metric became NaN or infinite", run.run, sorted(bad_epochs), lines)]


def _pinned(run: _Run, ctx: _Context, th: Thresholds) -> list[tuple[str, dict[str, Any]]]:
    """Windows where the (training) accuracy is pinned; each is a stall or, with a still loss, not moving."""
    key = ("pinned", id(ctx), th)
    if key not in run.cache:
        run.cache[key] = _pinned_uncached(run, ctx, th)
    return run.cache[key]


def _pinned_uncached(run: _Run, ctx: _Context, th: Thresholds) -> list[tuple[str, dict[str, Any]]]:
    accuracy, loss, validation = _training_pair(run)
    if accuracy is None or loss not in run:
        return []
    positions, epochs, acc, loss_values = _series(run, accuracy, loss)
    majority = None
    if ctx.labels is not None:
        counts = np.bincount(ctx.labels)
        majority = counts.max() / counts.sum()
    out = []
    for start, stop in _pinned_windows(acc, th.stall_tolerance, th.stall_epochs):
        level = float(np.median(acc[start:stop]))
        at_start = start <= 1  # epoch 1's training metrics are averaged over an epoch that moved
        at_majority = majority is not None and abs(level - majority) <= max(th.stall_tolerance, 1e-3)
        at_chance = level <= 0.5 + th.stall_tolerance or at_majority
        if level >= th.perfect_accuracy or not (at_start or at_chance):
            continue
        window_loss = loss_values[start:stop]
        loss_change = float(window_loss.max() - window_loss.min())
        name = "accuracy_stall" if loss_change >= th.min_loss_change else "not_moving"
        out.append((name, dict(accuracy=accuracy, loss=loss, validation=validation, positions=positions,
                               epochs=epochs, acc=acc, loss_values=loss_values, start=start, stop=stop,
                               level=level, at_majority=at_majority)))
    return out


def _pinned_lines(run: _Run, ctx: _Context, th: Thresholds, w: dict[str, Any], moving: bool) -> list[str]:
    accuracy, loss, start, stop, level = w["accuracy"], w["loss"], w["start"], w["stop"], w["level"]
    acc, epochs, positions = w["acc"], w["epochs"], w["positions"]
    window_loss = w["loss_values"][start:stop]
    window_epochs = epochs[start:stop]
    size = ctx.val_size if w["validation"] else ctx.train_size
    if size is None:
        size, _ = _grid_size(acc, None, "")
    if moving:
        lines = [
            f"{accuracy} = {level:.4f}{_of(level, size)} at every one of {stop - start} epochs "
            f"({window_epochs[0]} to {window_epochs[-1]}) while {loss} went "
            f"{window_loss[0]:.4f} -> {window_loss[-1]:.4f} "
            f"({(window_loss[-1] - window_loss[0]) / window_loss[0]:+.1%})."
        ]
    else:
        lines = [
            f"{accuracy} = {level:.4f}{_of(level, size)} and {loss} = {float(np.median(window_loss)):.4f} at every "
            f"one of {stop - start} epochs ({window_epochs[0]} to {window_epochs[-1]}): the loss moved "
            f"{window_loss.max() - window_loss.min():.2g} in all (less than {th.min_loss_change:g})."
        ]
    if stop < len(acc):
        lines.append(f"Accuracy left {level:.4f} at epoch {int(epochs[stop])} ({acc[stop]:.4f}).")
    else:
        lines.append("It was still pinned at the last epoch.")
    if w["at_majority"]:
        lines.append(f"{level:.4f} is the majority-class rate of the labels: every sample gets the same class.")
    elif abs(level - 0.5) <= th.stall_tolerance:
        lines.append("0.5000 is the majority-class rate of a balanced binary set: likely one class for every sample.")
    other = _accuracy_column(run, not w["validation"])
    if other is not None:
        other_values = run.columns[other][positions[start:stop]]
        other_values = other_values[np.isfinite(other_values)]
        if len(other_values) and np.ptp(other_values) <= th.stall_tolerance:
            lines.append(f"{other} is pinned too, at {other_values[0]:.4f}.")
    if ctx.outputs is not None:
        probabilities = ctx.outputs
        first_row, last_row = positions[start] + 1, positions[stop - 1] + 1
        margins = _margins(probabilities)[last_row]
        lines.append(
            f"Tracked samples at epoch {window_epochs[-1]}: {int((margins < th.margin).sum())} of {len(margins)} "
            f"within {th.margin} of the decision threshold; mean distance to it "
            f"{_margins(probabilities)[first_row].mean():.4f} "
            f"at epoch {window_epochs[0]} -> {margins.mean():.4f}"
            + (" (the outputs move, the decisions do not)." if moving else ".")
        )
        if ctx.labels is not None:
            correct = correct_mask(probabilities, ctx.labels)
            wrong = int((~correct[last_row]).sum())
            changed = int((correct[first_row:last_row + 1] != correct[first_row]).any(axis=0).sum())
            text = f"{wrong} of {len(margins)} tracked samples sit on the wrong side at epoch {window_epochs[-1]}; "
            text += f"{changed} changed side during the stall."
            if probabilities.ndim == 2:
                ones = int(binary_prediction(probabilities[last_row]).sum())
                text += f" The model predicts class 1 for {ones} of {len(margins)}."
            lines.append(text)
    return lines


def detect_stall(run: _Run, ctx: _Context, th: Thresholds) -> list[Finding]:
    """``accuracy_stall``: accuracy pinned (at chance, the majority rate, or from the start) while the loss moves."""
    return [
        make_finding("accuracy_stall", f"Accuracy pinned at {w['level']:.4f} while the loss moves", run.run,
                     w["epochs"][w["start"]:w["stop"]], _pinned_lines(run, ctx, th, w, moving=True))
        for name, w in _pinned(run, ctx, th) if name == "accuracy_stall"
    ]


def detect_not_moving(run: _Run, ctx: _Context, th: Thresholds) -> list[Finding]:
    """``not_moving``: accuracy pinned and the loss still too (a dead network, a majority-class predictor); or,
    when the training accuracy only jitters, the validation loss and accuracy repeating one value at chance while the
    training loss stays still (snf/keras-fractalnet#3: loss 2.3030-2.3028, val_loss 2.3026 = ln 10, val_acc 0.1000)."""
    findings = [
        make_finding("not_moving", f"Loss and accuracy both pinned (accuracy {w['level']:.4f}): nothing trains",
                     run.run, w["epochs"][w["start"]:w["stop"]], _pinned_lines(run, ctx, th, w, moving=False))
        for name, w in _pinned(run, ctx, th) if name == "not_moving"
    ]
    return findings + _not_moving_validation(run, th, {int(f.epochs[0]) for f in findings})


def _still_at_chance(loss: np.ndarray, val_accuracy: np.ndarray, th: Thresholds) -> bool:
    """On a window where val_loss repeats one value: the training loss moves less than ``min_loss_change`` and the
    validation accuracy repeats one value at chance (at most 0.5). The one condition of ``not_moving``'s validation
    route, also used by ``validation_stall`` to leave such a window to it."""
    return (len(loss) > 0 and np.ptp(loss) < th.min_loss_change and np.ptp(val_accuracy) <= th.stall_tolerance
            and float(np.median(val_accuracy)) <= 0.5 + th.stall_tolerance)


def _not_moving_validation(run: _Run, th: Thresholds, reported: set[int]) -> list[Finding]:
    """``not_moving`` seen from the validation outputs: val_loss and the validation accuracy repeat one value (at
    chance: at most 0.5) for ``stall_epochs`` while the training loss moves less than ``min_loss_change``."""
    val_accuracy = _accuracy_column(run, True)
    if val_accuracy is None or "val_loss" not in run or "loss" not in run:
        return []
    positions, epochs, val_loss, loss, val_acc = _series(run, "val_loss", "loss", val_accuracy)
    findings = []
    for start, stop in _pinned_windows(val_loss, th.stall_tolerance, th.stall_epochs):
        window_loss, window_acc = loss[start:stop], val_acc[start:stop]
        if int(epochs[start]) in reported or not _still_at_chance(window_loss, window_acc, th):
            continue
        level = float(np.median(window_acc))
        value = float(np.median(val_loss[start:stop]))
        lines = [f"val_loss = {value:.4f} and {val_accuracy} = {level:.4f} at every one of {stop - start} epochs "
                 f"({int(epochs[start])} to {int(epochs[stop - 1])}) while loss moved {np.ptp(window_loss):.2g} in all "
                 f"(less than {th.min_loss_change:g}): neither the training loss nor the validation outputs change."]
        classes = round(math.exp(value)) if value < math.log(1e6) else 0
        if classes >= 2 and abs(value - math.log(classes)) < 1e-3:
            lines.append(f"{value:.4f} is ln {classes}, the cross-entropy of the same probability 1/{classes} for "
                         "every class: the network outputs the uniform distribution.")
        findings.append(make_finding("not_moving", f"Validation loss and accuracy both pinned (accuracy {level:.4f}) "
                                     "and the training loss still: nothing trains", run.run, epochs[start:stop], lines))
    return findings


def detect_validation_stall(run: _Run, ctx: _Context, th: Thresholds) -> list[Finding]:
    """``validation_stall``: validation accuracy pinned while training accuracy moves and validation loss moves
    (``stall_epochs``, or ``repeat_epochs`` from the start when its own loss wanders by ``repeat_loss_change``);
    validation loss repeating one value while the training loss moves; a validation accuracy exactly 0
    at every epoch."""
    findings = []
    train_accuracy = _accuracy_column(run, False)
    val_accuracy = _accuracy_column(run, True)
    # validation metrics exactly zero throughout
    zero_columns = []
    for column, values in run.columns.items():
        if not column.startswith("val_") or column == "val_loss" or "acc" not in column:
            continue
        finite = values[np.isfinite(values)]
        if len(finite) >= 3 and np.all(finite == 0.0):
            zero_columns.append(column)
    if zero_columns:
        lines = [f"{column} is exactly 0 at every one of {int(np.isfinite(run.columns[column]).sum())} epochs."
                 for column in zero_columns]
        if train_accuracy is not None:
            values = run.columns[train_accuracy]
            values = values[np.isfinite(values)]
            if len(values):
                lines.append(f"{train_accuracy} meanwhile: {values.min():.4f} to {values.max():.4f}.")
        findings.append(make_finding("validation_stall", "Validation accuracy exactly zero at every epoch",
                                     run.run, run.epochs, lines))
    # validation accuracy pinned while training accuracy moves (no training accuracy: detect_stall looks at it)
    if val_accuracy is not None and train_accuracy is not None and val_accuracy not in zero_columns:
        positions, epochs, val_acc = _series(run, val_accuracy)
        for start, stop in _pinned_windows(val_acc, th.stall_tolerance, th.stall_epochs):
            level = float(np.median(val_acc[start:stop]))
            if level >= th.perfect_accuracy or not (start == 0 or level <= 0.5 + th.stall_tolerance):
                continue  # a validation accuracy that climbed and settled is not stuck
            rows = positions[start:stop]
            if "val_loss" in run and not np.all(np.isfinite(run.columns["val_loss"][rows])):
                continue  # a NaN validation loss: nonfinite explains it
            if "val_loss" in run and "loss" in run:
                train_loss = run.columns["loss"][rows]
                train_loss = train_loss[np.isfinite(train_loss)]
                if (np.ptp(run.columns["val_loss"][rows]) <= th.stall_tolerance
                        and _still_at_chance(train_loss, val_acc[start:stop], th)):
                    continue  # nothing moves, at chance: not_moving's validation route reports it
            train_values = run.columns[train_accuracy][rows]
            train_values = train_values[np.isfinite(train_values)]
            if len(train_values) == 0 or np.ptp(train_values) <= th.stall_tolerance:
                continue  # training pinned too: the training stall covers it
            lines = [f"{val_accuracy} = {level:.4f}{_of(level, ctx.val_size)} at every one of {stop - start} epochs "
                     f"({int(epochs[start])} to {int(epochs[stop - 1])}) while {train_accuracy} went "
                     f"{train_values[0]:.4f} -> {train_values[-1]:.4f}."]
            if "val_loss" in run:
                val_loss = run.columns["val_loss"][rows]
                val_loss = val_loss[np.isfinite(val_loss)]
                if len(val_loss):
                    lines.append(f"val_loss went {val_loss[0]:.4f} -> {val_loss[-1]:.4f} meanwhile "
                                 "(the validation outputs move, no validation decision changes).")
            if abs(level - 0.5) <= th.stall_tolerance:
                lines.append("0.5000 is the majority-class rate of a balanced binary set: likely one class for "
                             "every validation sample.")
            findings.append(make_finding("validation_stall", f"Validation accuracy pinned at {level:.4f} while "
                                         "training accuracy moves", run.run, epochs[start:stop], lines))
    # a short log: validation accuracy repeating one printed value while its own loss moves (keras#12863)
    if val_accuracy is not None and train_accuracy is not None and val_accuracy not in zero_columns:
        reported = {f.epochs[0] for f in findings}
        own_loss = next((c for c in (val_accuracy[:-len(suffix)] + "loss" for suffix in ("accuracy", "acc")
                                     if val_accuracy.endswith(suffix)) if c in run and c != val_accuracy), None)
        loss_name = own_loss if own_loss is not None else ("val_loss" if "val_loss" in run else None)
        if loss_name is not None:
            positions, epochs, val_acc, val_loss = _series(run, val_accuracy, loss_name)
            for start, stop in _pinned_windows(val_acc, th.stall_tolerance, th.repeat_epochs):
                if epochs[start] in reported:
                    continue
                level = float(np.median(val_acc[start:stop]))
                window = val_loss[start:stop]
                moved = float(window.max() - window.min()) / max(abs(float(np.median(window))), 1e-12)
                train_values = run.columns[train_accuracy][positions[start:stop]]
                train_values = train_values[np.isfinite(train_values)]
                steps = np.diff(window)
                wanders = bool((steps > 0).any() and (steps < 0).any())  # a steady fall is a plateau, not a stall
                if (level >= th.perfect_accuracy or not (start == 0 or level <= 0.5 + th.stall_tolerance)
                        or moved < th.repeat_loss_change or not wanders or len(train_values) == 0
                        or np.ptp(train_values) <= th.stall_tolerance):
                    continue
                lines = [f"{val_accuracy} = {level:.4f} at every one of {stop - start} epochs ({int(epochs[start])} to "
                         f"{int(epochs[stop - 1])}) while {loss_name} moved {window.min():.4f} to {window.max():.4f} "
                         f"({moved:.0%} of its level) and {train_accuracy} went {train_values[0]:.4f} -> "
                         f"{train_values[-1]:.4f}: the validation outputs move, no validation decision changes."]
                findings.append(make_finding("validation_stall", f"Validation accuracy repeats {level:.4f} while its "
                                             "loss moves", run.run, epochs[start:stop], lines))
    # validation loss repeating one value while the training loss moves
    if "val_loss" in run and "loss" in run:
        positions, epochs, val_loss, loss = _series(run, "val_loss", "loss")
        for start, stop in _pinned_windows(val_loss, th.stall_tolerance, th.stall_epochs):
            window = loss[start:stop]
            if window.max() - window.min() < th.min_loss_change:
                continue  # nothing moves: not_moving's business
            if train_accuracy is not None:
                train_values = run.columns[train_accuracy][positions[start:stop]]
                train_values = train_values[np.isfinite(train_values)]
                if len(train_values) == 0 or np.ptp(train_values) <= th.stall_tolerance:
                    continue  # training accuracy pinned too: the training stall covers it
            lines = [f"val_loss = {float(np.median(val_loss[start:stop])):.4f} at every one of {stop - start} epochs "
                     f"({int(epochs[start])} to {int(epochs[stop - 1])}) while loss went {window[0]:.4f} -> "
                     f"{window[-1]:.4f}: the validation outputs do not change."]
            findings.append(make_finding("validation_stall", "Validation loss repeats the same value", run.run,
                                         epochs[start:stop], lines))
    return findings


def detect_validation_dips(run: _Run, ctx: _Context, th: Thresholds) -> list[Finding]:
    """``validation_dip`` / ``validation_dip_small``: one-epoch dips (:func:`lossacc.find_dips`) measured
    against the validation set's binomial standard error, one finding per dip."""
    accuracy = _accuracy_column(run, True)
    if accuracy is None:
        return []
    positions, epochs, values = _series(run, accuracy)
    if len(values) < 3 or values.min() < 0 or values.max() > 1:
        return []
    if not np.any(values[:-1] - values[1:] >= th.dip_min_drop - 1e-9):
        return []  # no fall that large at all, so no dip (a bound, not the rule: that is lossacc.find_dips')
    dips = _dips_of(values, epochs, float(th.dip_min_drop), True)  # the core of lossacc.find_dips
    if dips.empty:
        return []
    size, note = _grid_size(values, ctx.val_size, "val_size")
    if size is None:
        size = _smallest_consistent_size(values)
        note = (
            f"val_size not given and the accuracy values do not reveal their 1/n grid: assumed n = {size}, "
            "the smallest size consistent with the values and their steps (a lower bound, so the standard error "
            "is generous); pass val_size"
        )
    index_of = {int(e): i for i, e in enumerate(epochs)}
    findings = []
    for epoch, before, at, after, drop in dips[["epoch", "before", "value", "after", "drop"]].itertuples(index=False):
        i = index_of[int(epoch)]
        level = min(max((before + at) / 2, 1.0 / size), 1.0 - 1.0 / size)
        standard_error = float(accuracy_standard_error(level, size))
        sigmas = drop / standard_error
        text = (
            f"epoch {int(epoch)}: {before:.4f} -> {at:.4f} -> {after:.4f}, drop {drop:.4f}"
            f"{_of(drop, size).replace(' = ', ' = about ')}; binomial SE at p = {level:.3f}, n = {size}: "
            f"{standard_error:.4f}, so the drop is {sigmas:.1f} SE"
        )
        if ctx.outputs is not None:
            probabilities = ctx.outputs
            row_before, row_at = positions[i - 1] + 1, positions[i] + 1
            near = int((_margins(probabilities)[row_before] < th.margin).sum())
            text += (f"; before it {near} of {probabilities.shape[1]} tracked samples were within {th.margin} of "
                     "the threshold")
            if ctx.labels is not None:
                correct = correct_mask(probabilities, ctx.labels)
                flipped = correct[row_before] & ~correct[row_at]
                to_right = int((~correct[row_before] & correct[row_at]).sum())
                text += f", {int(flipped.sum())} flipped to wrong and {to_right} to right"
                if flipped.any():
                    distances = _margins(probabilities)[row_before][flipped]
                    text += (f" (their distance to the threshold before: {distances.min():.3f} to "
                             f"{distances.max():.3f}, median {np.median(distances):.3f})")
        large = sigmas > th.dip_sigmas
        name = "validation_dip" if large else "validation_dip_small"
        title = ("One-epoch validation-accuracy dip larger than the set's resolution" if large
                 else "Validation-accuracy dip within the set's resolution (binomial SE)")
        findings.append(make_finding(name, title, run.run, [int(epoch)],
                                     [note, text + ".", f"Threshold: {th.dip_sigmas} SE."],
                                     size=size, step=1 / size))
    return findings


def detect_plateaus(run: _Run, ctx: _Context, th: Thresholds) -> list[Finding]:
    """``accuracy_plateau``: accuracy flat while the loss keeps falling (the threshold effect)."""
    accuracy, loss, validation = _training_pair(run)
    if accuracy is None or loss not in run:
        return []
    positions, epochs, acc, loss_values = _series(run, accuracy, loss)
    stalled = {int(e) for _, w in _pinned(run, ctx, th) for e in w["epochs"][w["start"]:w["stop"]]}
    findings = []
    grid = None
    for start, stop in _pinned_windows(acc, th.plateau_tolerance / 2, th.plateau_epochs):
        window_epochs = epochs[start:stop]
        window_acc, window_loss = acc[start:stop], loss_values[start:stop]
        if stalled.intersection(int(e) for e in window_epochs) or window_acc.mean() >= th.perfect_accuracy:
            continue
        if abs(window_acc[-1] - window_acc[0]) > th.plateau_tolerance / 4:
            continue  # still climbing (or sliding): not flat
        relative_drop = (window_loss[0] - window_loss[-1]) / window_loss[0] if window_loss[0] > 0 else 0.0
        falling_steps = float(np.mean(np.diff(window_loss) < 0))
        if relative_drop < th.min_loss_drop or falling_steps < 0.7:
            continue
        if grid is None:  # (inferring the grid costs more than the rest: only for a plateau found)
            grid = _grid_size(acc, ctx.val_size if validation else ctx.train_size,
                              "val_size" if validation else "train_size")
        size, note = grid
        low, high = window_acc.min(), window_acc.max()
        lines = [(
            f"{accuracy} stayed between {low:.4f} and {high:.4f} for {stop - start} epochs "
            f"({window_epochs[0]} to {window_epochs[-1]}) while {loss} fell "
            f"{window_loss[0]:.4f} -> {window_loss[-1]:.4f} "
            f"({-relative_drop:+.1%}, falling at {falling_steps:.0%} of the steps)."
        )]
        if size is not None:
            lines.append(
                f"With n = {size} accuracy moves in steps of 1/n = {1 / size:.4f}: between {round(low * size)} and "
                f"{round(high * size)} of {size} samples correct; {size - round(high * size)} still wrong."
            )
        if ctx.outputs is not None:
            probabilities = ctx.outputs
            first_row, last_row = positions[start] + 1, positions[stop - 1] + 1
            text = (f"Tracked samples: mean distance to the threshold {_margins(probabilities)[first_row].mean():.4f}"
                    f" -> {_margins(probabilities)[last_row].mean():.4f}")
            if ctx.labels is not None:
                correct = correct_mask(probabilities, ctx.labels)
                true_p, _ = _true_class_probability(probabilities, ctx.labels)
                right = correct[first_row] & correct[last_row]
                if right.any():
                    text += (f"; the {int(right.sum())} samples right throughout gained confidence (mean true-class "
                             f"probability {true_p[first_row][right].mean():.4f} -> "
                             f"{true_p[last_row][right].mean():.4f})")
                text += f"; {int((~correct[last_row]).sum())} still wrong at epoch {window_epochs[-1]}"
            lines.append(text + ".")
        lines.append(note)  # (what was inferred: after the facts, so that the finding's one-line message shows them)
        findings.append(make_finding("accuracy_plateau", "Accuracy flat while the loss keeps falling (threshold "
                                     "effect)", run.run, window_epochs, lines))
    return findings


def detect_instability(run: _Run, ctx: _Context, th: Thresholds) -> list[Finding]:
    """``instability``: the loss rising several-fold above its lowest value of the last few epochs and
    undoing much of the progress so far (one finding per excursion, keyed by its first epoch)."""
    loss = "loss" if "loss" in run else ("val_loss" if "val_loss" in run else None)
    if loss is None:
        return []
    _, epochs, values = _series(run, loss)
    if len(values) < 2 or values.min() < 0:
        return []
    lowest = np.minimum.accumulate(values)
    window = th.jump_window
    # lowest value of the last ``window`` epochs before each epoch (a jump may take two or three epochs)
    recent = values[:-1].copy()
    for shift in range(1, min(window, len(values) - 1)):
        np.minimum(recent[shift:], values[:-1 - shift], out=recent[shift:])
    if not np.any(values[1:] >= th.jump_factor * recent):
        return []  # (the common case)
    padded = np.concatenate([np.full(window - 1, np.inf), values])
    rise = values[1:] - recent
    progress = values[0] - lowest[:-1]  # progress before each step
    jumping = (values[1:] >= th.jump_factor * recent) & (rise > 0) & (rise >= th.jump_undo * progress)
    if not jumping.any():
        return []
    findings = []
    k = 1
    while k < len(values):
        if not jumping[k - 1]:
            k += 1
            continue
        start = k
        while k + 1 < len(values) and jumping[k]:
            k += 1
        stop = k  # last epoch of the excursion (index)
        first = start - window + int(np.argmin(padded[start - 1:start - 1 + window]))  # index of the reference
        reference = values[first]
        peak = start + int(np.argmax(values[start:stop + 1]))
        line = (f"{loss} rose {reference:.4f} (epoch {int(epochs[first])}) -> {values[peak]:.4f} (epoch "
                f"{int(epochs[peak])}), x{values[peak] / max(reference, 1e-12):.1f} in {peak - first} epoch"
                f"{'s' if peak - first > 1 else ''}; lowest before: {lowest[start - 1]:.4f}")
        if stop + 1 < len(values):
            back = values[stop + 1] <= reference * math.sqrt(th.jump_factor)
            line += f"; {'back to' if back else 'still at'} {values[stop + 1]:.4f} at epoch {int(epochs[stop + 1])}."
        else:
            line += "; it was the last epoch."
        lines = [line]
        accuracy = _accuracy_column(run, loss == "val_loss")
        if accuracy is not None:
            acc = run.columns[accuracy][np.searchsorted(run.epochs, epochs[first:stop + 1])]
            if np.isfinite(acc).all() and acc[0] - acc.min() >= 0.05:
                lines.append(f"{accuracy} meanwhile: {acc[0]:.4f} -> {acc.min():.4f}.")
        findings.append(make_finding("instability", f"{loss} jumped several-fold within {peak - first} epoch"
                                     f"{'s' if peak - first > 1 else ''}", run.run,
                                     epochs[first + 1:stop + 1], lines))
        k = stop + 1
    return findings


def detect_impossible_values(run: _Run, ctx: _Context, th: Thresholds) -> list[Finding]:
    """``impossible_value``: an accuracy outside [0, 1]."""
    lines, involved = [], set()
    for validation in (False, True):
        accuracy = _accuracy_column(run, validation)
        if accuracy is None:
            continue
        _, epochs, values = _series(run, accuracy)
        outside = (values < -1e-7) | (values > 1 + 1e-7)
        if not outside.any():
            continue
        involved.update(int(e) for e in epochs[outside])
        worst = int(np.argmax(np.abs(values - 0.5)))
        text = (f"{accuracy} = {values[worst]:.4f} at epoch {int(epochs[worst])} ({int(outside.sum())} of "
                f"{len(values)} values outside [0, 1]).")
        if values.min() >= 0 and values.max() <= 100 and np.mean(values > 1) > 0.5:
            text += " Most values are above 1 and below 100: possibly a percentage."
        lines.append(text)
    if not lines:
        return []
    return [make_finding("impossible_value", "An accuracy outside [0, 1]: a metric or weighting bug", run.run,
                         sorted(involved), lines)]


def _per_unit_accuracy(name: str) -> bool:
    """A categorical or top-k accuracy: one-hot labels, so the loss may be a per-unit binary cross-entropy."""
    bare = name[4:] if name.startswith("val_") else name
    return bare.startswith("top_k") or "categorical_accuracy" in bare and "sparse" not in bare


def detect_output_mismatch(run: _Run, ctx: _Context, th: Thresholds) -> list[Finding]:
    """``output_activation_mismatch``: loss and accuracy that probabilities cannot produce.

    A negative loss; a loss under ``loss_bound_fraction * ln 2 * (1 - accuracy)`` (not checked for a
    categorical/top-k accuracy, for an accuracy near 0 throughout -- a regression target -- nor on a row
    where loss and accuracy are both exactly 0, which measured nothing); or an accuracy collapsing by
    ``collapse_drop`` while the loss falls by at least ``collapse_loss_fall`` of its value.
    """
    lines: list[str] = []
    involved: set[int] = set()
    for validation in (False, True):
        loss = "val_loss" if validation else "loss"
        accuracy = _accuracy_column(run, validation)
        if loss in run:
            _, epochs, values = _series(run, loss)
            negative = values < -1e-7
            if negative.any():
                involved.update(int(e) for e in epochs[negative])
                lines.append(f"{loss} < 0 at {format_epochs(epochs[negative])} (lowest {values.min():.4f}): impossible "
                             "for cross-entropy of probabilities.")
        if accuracy is None or loss not in run:
            continue
        _, epochs, acc, loss_values = _series(run, accuracy, loss)
        # a row with loss and accuracy both exactly 0 measured nothing (an empty validation set,
        # tensorflow/tensorflow#34457's first epoch with tf.data of unknown cardinality)
        inside = (acc >= -1e-7) & (acc <= 1 + 1e-7) & ~((acc == 0) & (loss_values == 0))
        epochs, acc, loss_values = epochs[inside], acc[inside], loss_values[inside]
        if len(acc) == 0:
            continue
        error = 1.0 - acc
        bound = th.loss_bound_fraction * _LN2 * error
        too_low = (error >= 0.05) & (loss_values >= -1e-7) & (loss_values < bound)
        if acc.max() < 0.05 or _per_unit_accuracy(accuracy):
            # an accuracy near 0 at every epoch is an accuracy on a regression target (rstudio/keras3#296:
            # validation_stall says so); a categorical/top-k accuracy on one-hot labels is often paired with
            # a per-unit binary cross-entropy, whose bound is ln 2 / (number of classes): no bound to check
            too_low[:] = False
        if too_low.any():
            i = int(np.flatnonzero(too_low)[np.argmin((loss_values / np.maximum(bound, 1e-12))[too_low])])
            involved.update(int(e) for e in epochs[too_low])
            lines.append(
                f"{loss} too small for {accuracy} at {format_epochs(epochs[too_low])}: e.g. epoch {int(epochs[i])} "
                f"{loss} = {loss_values[i]:.4f} with {accuracy} = {acc[i]:.4f}, but {error[i]:.1%} of samples wrong "
                f"cost at least ln 2 x {error[i]:.4f} = {_LN2 * error[i]:.4f} in cross-entropy."
            )
        best = int(np.argmax(acc))
        if (acc[best] - acc[-1] >= th.collapse_drop
                and loss_values[-1] < (1 - th.collapse_loss_fall) * loss_values[best]):
            involved.update(int(e) for e in epochs[best:])
            lines.append(
                f"{accuracy} collapsed from {acc[best]:.4f} (epoch {int(epochs[best])}) to {acc[-1]:.4f} (epoch "
                f"{int(epochs[-1])}) while {loss} fell {loss_values[best]:.4f} -> {loss_values[-1]:.4f}: "
                "the metric and the loss disagree about the same outputs."
            )
    if ctx.outputs is not None:
        low, high = ctx.outputs.min(), ctx.outputs.max()
        if low < -1e-6 or high > 1 + 1e-6:
            lines.append(f"Tracked outputs range from {low:.4g} to {high:.4g}: not probabilities (a linear output).")
    if not lines:
        return []
    return [make_finding("output_activation_mismatch", "Loss and accuracy are not computed from probabilities",
                         run.run, sorted(involved), lines)]


def detect_accuracy_collapse(run: _Run, ctx: _Context, th: Thresholds) -> list[Finding]:
    """``accuracy_collapse``: accuracy far below its best at the end, with no falling loss to explain it."""
    lines, involved, names = [], set(), []
    for validation in (False, True):
        accuracy = _accuracy_column(run, validation)
        if accuracy is None:
            continue
        _, epochs, acc = _series(run, accuracy)
        if len(acc) < 2 or acc.min() < 0 or acc.max() > 1:
            continue
        best = int(np.argmax(acc))
        if acc[best] - acc[-1] < th.collapse_drop:
            continue
        loss = "val_loss" if validation else "loss"
        loss_values = run.columns.get(loss)
        if loss_values is not None:
            at_best, at_end = loss_values[np.searchsorted(run.epochs, epochs[best])], loss_values[-1]
            if np.isfinite(at_best) and np.isfinite(at_end) and at_end < at_best:
                continue  # the loss fell: outputs moved across the threshold (output_activation_mismatch if far)
            why = f"{loss} {at_best:.4f} -> {at_end:.4f}" if np.isfinite(at_end) else f"{loss} = {at_end} at the end"
        else:
            why = f"no {loss} column to compare with"
        names.append(accuracy)
        involved.update(int(e) for e in epochs[best:])
        lines.append(f"{accuracy} fell from {acc[best]:.4f} (epoch {int(epochs[best])}) to {acc[-1]:.4f} (epoch "
                     f"{int(epochs[-1])}); {why}.")
    if not lines:
        return []
    return [make_finding("accuracy_collapse", f"{' and '.join(names)} collapsed", run.run, sorted(involved), lines)]


def _noise_level(values: np.ndarray) -> float:
    """Epoch-to-epoch noise (standard deviation) of a curve, from its second differences (a trend cancels)."""
    if len(values) < 4:
        return 0.0
    return float(1.4826 * np.median(np.abs(np.diff(values, 2))) / math.sqrt(6.0))


def _overfitting_gap(run: _Run, th: Thresholds) -> list[Finding]:
    """``overfitting`` seen in a late excerpt whose minimum is out of view: at each of the last ``patience``
    or more epochs, validation loss ``gap_loss_ratio`` times the training loss and validation accuracy
    ``gap_accuracy`` below the training accuracy (the-deep-learners/deep-learning-illustrated#15)."""
    train_accuracy, val_accuracy = _accuracy_column(run, False), _accuracy_column(run, True)
    if train_accuracy is None or val_accuracy is None or len(run.epochs) < th.patience:
        return []
    last = {name: run.columns[name][-1] for name in ("loss", "val_loss", train_accuracy, val_accuracy)}
    if not (last["val_loss"] >= th.gap_loss_ratio * last["loss"]
            and last[train_accuracy] - last[val_accuracy] >= th.gap_accuracy):
        return []  # (the common case: no gap at the last epoch)
    _, epochs, loss, val_loss, acc, val_acc = _series(run, "loss", "val_loss", train_accuracy, val_accuracy)
    if len(loss) < th.patience or loss.min() <= 0 or acc.max() > 1 or val_acc.max() > 1:
        return []
    gap = (val_loss >= th.gap_loss_ratio * loss) & (acc - val_acc >= th.gap_accuracy)
    if not gap[-1]:
        return []
    start = len(gap) - int(np.argmin(gap[::-1])) if not gap.all() else 0  # the run of gap epochs up to the end
    if len(gap) - start < th.patience:
        return []
    ratio = val_loss[start:] / loss[start:]
    lines = [
        f"At each of epochs {int(epochs[start])}-{int(epochs[-1])}: val_loss {val_loss[start:].min():.4f} to "
        f"{val_loss[start:].max():.4f} against loss {loss[start:].min():.4f} to {loss[start:].max():.4f} "
        f"({ratio.min():.1f} to {ratio.max():.1f} times), {val_accuracy} {val_acc[start:].min():.4f} to "
        f"{val_acc[start:].max():.4f} against {train_accuracy} {acc[start:].min():.4f} to {acc[start:].max():.4f}.",
        "The validation-loss minimum is not in the history: the gap, not a rise, is the evidence.",
    ]
    return [make_finding("overfitting", "Validation loss far above training loss (overfitting)", run.run,
                         epochs[start:], lines, patience=th.patience)]


def detect_overfitting(run: _Run, ctx: _Context, th: Thresholds) -> list[Finding]:
    """``overfitting``: validation loss rising past its noise for ``patience`` epochs while training loss falls;
    failing that, a late excerpt's persistent gap (:func:`_overfitting_gap`)."""
    if "val_loss" not in run or "loss" not in run:
        return []
    positions, epochs, val_loss, train_loss = _series(run, "val_loss", "loss")
    if len(val_loss) <= th.patience:
        return _overfitting_gap(run, th)
    best = int(np.argmin(val_loss))
    after = len(val_loss) - 1 - best
    minimum = val_loss[best]
    tail = val_loss[-th.patience:]
    noise = _noise_level(val_loss)
    rise = float(np.median(tail)) - minimum
    if (after < th.patience or rise < max(th.min_rise * abs(minimum), 1e-8) or rise < th.rise_noise_sigmas * noise
            or val_loss[-1] <= minimum or train_loss[-1] >= train_loss[best]):
        return _overfitting_gap(run, th)
    lines = [
        f"val_loss was lowest at epoch {int(epochs[best])} ({minimum:.4f}), then rose to {val_loss[-1]:.4f} at epoch "
        f"{int(epochs[-1])} ({(val_loss[-1] - minimum) / abs(minimum):+.0%}) over {after} epochs; median of the last "
        f"{th.patience}: {np.median(tail):.4f}, {rise / noise:.1f} x its epoch-to-epoch noise ({noise:.4f})"
        if noise > 0 else
        f"val_loss was lowest at epoch {int(epochs[best])} ({minimum:.4f}), then rose to {val_loss[-1]:.4f} at epoch "
        f"{int(epochs[-1])} ({(val_loss[-1] - minimum) / abs(minimum):+.0%}) over {after} epochs; median of the last "
        f"{th.patience}: {np.median(tail):.4f}",
    ]
    lines[0] += f". Training loss fell {train_loss[best]:.4f} -> {train_loss[-1]:.4f}."
    val_accuracy = _accuracy_column(run, True)
    if val_accuracy is not None:
        acc = run.columns[val_accuracy][positions]
        lines.append(
            f"{val_accuracy}: {acc[best]:.4f} at epoch {int(epochs[best])}, {acc[-1]:.4f} at the end"
            + (" -- it held up: the rise comes from a few samples getting confidently wrong."
               if acc[-1] >= acc[best] else ".")
        )
    if ctx.outputs is not None and ctx.labels is not None:
        true_p, _ = _true_class_probability(ctx.outputs, ctx.labels)
        row_best, row_last = positions[best] + 1, positions[-1] + 1
        lines.append(
            "Tracked samples with true-class probability < 0.1 (confidently wrong): "
            f"{int((true_p[row_best] < 0.1).sum())} at epoch {int(epochs[best])} -> "
            f"{int((true_p[row_last] < 0.1).sum())} at epoch {int(epochs[-1])}."
        )
    return [make_finding("overfitting", "Validation loss rising while training loss falls (overfitting)", run.run,
                         epochs[best:], lines, patience=th.patience)]


#: Every detector, in reporting order.
DETECTORS = (
    detect_nonfinite, detect_not_moving, detect_stall, detect_validation_stall, detect_validation_dips,
    detect_plateaus, detect_instability, detect_impossible_values, detect_output_mismatch,
    detect_accuracy_collapse, detect_overfitting,
)


def _check_per_sample(outputs: Any, labels: Any, runs: list[_Run]) -> tuple[np.ndarray | None, np.ndarray | None]:
    outputs_array = None
    if outputs is not None:
        try:
            outputs_array = np.array(outputs, dtype="float64", copy=True)
        except (TypeError, ValueError):
            raise TypeError(
                "outputs must be a numeric array (ProbabilityTracker.outputs); "
                f"got {type(outputs).__name__}"
            ) from None
        if outputs_array.ndim == 3 and outputs_array.shape[2] == 1:
            outputs_array = outputs_array[:, :, 0]
        if outputs_array.ndim not in (2, 3) or outputs_array.size == 0:
            raise ValueError(
                "outputs must have shape (epochs + 1, samples) or (epochs + 1, samples, classes) as recorded by "
                f"ProbabilityTracker; got shape {outputs_array.shape}"
            )
        if not np.all(np.isfinite(outputs_array)):
            raise ValueError("outputs contain NaN or infinite values")
        if len(runs) != 1:
            raise ValueError(
                f"outputs belong to one training run but the history holds {len(runs)} runs; "
                "select one run (history[history.run == k]) to use per-sample evidence"
            )
        expected = len(runs[0].epochs) + 1
        if outputs_array.shape[0] != expected:
            raise ValueError(
                f"outputs must have one row per epoch plus the initial row 0 ({expected} rows for "
                f"{expected - 1} epochs); got {outputs_array.shape[0]} rows"
            )
    if labels is None:
        return outputs_array, None
    labels_array = np.array(labels, copy=True)
    if labels_array.ndim == 0 or labels_array.size == 0:
        raise ValueError(f"labels must be a non-empty array of class labels; got {labels!r}")
    if labels_array.ndim == 2 and labels_array.shape[1] > 1:
        labels_array = labels_array.argmax(axis=1)
    labels_array = labels_array.reshape(-1)
    if not np.issubdtype(labels_array.dtype, np.number):
        raise TypeError(f"labels must be numeric class labels; got dtype {labels_array.dtype}")
    if outputs_array is not None:
        num_samples = outputs_array.shape[1]
        if labels_array.shape != (num_samples,):
            raise ValueError(
                f"labels must hold one label per tracked sample ({num_samples}); got shape {np.shape(labels)}"
            )
        num_classes = 2 if outputs_array.ndim == 2 else outputs_array.shape[2]
        if not np.all(np.isin(labels_array, np.arange(num_classes))):
            raise ValueError(
                f"labels must be class indices in 0..{num_classes - 1}; got values {np.unique(labels_array)[:10]}"
            )
    elif np.any(labels_array < 0) or np.any(labels_array != np.round(labels_array)):
        raise ValueError(f"labels must be class indices 0, 1, ...; got values {np.unique(labels_array)[:10]}")
    return outputs_array, labels_array.astype(int)


def _check_size(name: str, value: Any) -> int | None:
    from lossacc._validation import check_positive_int

    return None if value is None else check_positive_int(name, value)


def detect(
    history: Any,
    *,
    val_size: int | None = None,
    train_size: int | None = None,
    thresholds: Thresholds | None = None,
    outputs: Any = None,
    labels: Any = None,
) -> list[Finding]:
    """Run every detector on a history (or the history so far) and return the findings, one per event.

    Explained in :doc:`/chapters/field_guide`.

    Cheap enough to call after every epoch (a live monitor): each finding has a stable
    ``Finding.key`` ``(name, run, first epoch)``, so a caller reports a finding when its key is new.
    Unlike :func:`lossacc.diagnose`, each validation dip is its own finding.

    Parameters
    ----------
    history : keras.callbacks.History, dict or pandas.DataFrame
        See :func:`lossacc.diagnose`.
    val_size, train_size : int, optional
        Number of validation / training samples (the 1/n grid and the binomial standard error).
    thresholds : Thresholds, optional
        The detectors' thresholds; default ``Thresholds()``.
    outputs, labels : array-like, optional
        Tracked outputs and their labels, see :func:`lossacc.diagnose`.

    Returns
    -------
    list of Finding
        Ordered by run, then first epoch, then name.

    Raises
    ------
    TypeError, ValueError
        As :func:`lossacc.diagnose`.

    Examples
    --------
    >>> [f.key for f in detect({"loss": [0.7, float("nan"), float("nan")]})]
    [('nonfinite', None, 2)]
    """
    val_size = _check_size("val_size", val_size)
    train_size = _check_size("train_size", train_size)
    if thresholds is None:
        thresholds = _DEFAULT_THRESHOLDS  # (building one validates every field: a quarter of a call's time)
    elif not isinstance(thresholds, Thresholds):
        raise TypeError(f"thresholds must be a lossacc.diagnosis.Thresholds; got {type(thresholds).__name__}")
    runs = _as_runs(history)
    outputs_array, labels_array = _check_per_sample(outputs, labels, runs)
    ctx = _Context(outputs_array, labels_array, train_size, val_size)
    findings: list[Finding] = []
    for run in runs:
        run_findings = [finding for detector in DETECTORS for finding in detector(run, ctx, thresholds)]
        run_findings.sort(key=lambda f: (f.epochs[0] if f.epochs else 0, f.name))
        findings.extend(run_findings)
    return findings
