"""Diagnose while it trains: a Keras callback that runs the detectors of :func:`lossacc.diagnose` after every epoch.

:class:`Monitor` checks the model before the first update (:func:`lossacc.check_model`), then, after each
epoch, runs :func:`lossacc.detect` -- the very detectors of :func:`lossacc.diagnose`, not a copy --
on the history so far and reports every *new* finding once, in one line. Optionally it tracks the outputs
on fixed samples (:class:`lossacc.ProbabilityTracker`) and adds what the curve hides: how many samples sit
next to the decision threshold and how many changed side this epoch.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import keras
import numpy as np
import pandas as pd

from lossacc._validation import as_features, as_labels
from lossacc.analyze._correctness import correct_mask
from lossacc.analyze._history import history_frame
from lossacc.diagnosis import FINDING_TEXT, Finding, Thresholds, detect
from lossacc.diagnosis._detectors import _margins
from lossacc.watch._trackers import ProbabilityTracker

__all__ = ["FINDING_NAMES", "Monitor"]

#: The names a :class:`Monitor` can report after an epoch and stop on (``stop_on``).
FINDING_NAMES = tuple(FINDING_TEXT)

#: Names people reach for, and the finding that means it (only used to make the error message helpful).
_ALIASES = {"nan": "nonfinite", "inf": "nonfinite", "dead": "not_moving", "stall": "accuracy_stall",
            "plateau": "accuracy_plateau", "dip": "validation_dip", "overfit": "overfitting"}

_PREFIX = "Monitor"
TRACKED_COLUMNS = ("tracked_near_threshold", "tracked_flips")


def _check_stop_on(stop_on: Any) -> frozenset[str]:
    names = [stop_on] if isinstance(stop_on, str) else stop_on
    if names is None:
        return frozenset()
    if not isinstance(names, Iterable):
        raise TypeError(f"stop_on must be a finding name or a sequence of them; got {type(stop_on).__name__}")
    names = list(names)
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"stop_on must hold finding names (str); got {name!r}")
        if name not in FINDING_NAMES:
            hint = f" ({name!r} is called {_ALIASES[name]!r})" if name in _ALIASES else ""
            raise ValueError(f"unknown finding name {name!r} in stop_on{hint}; valid names: {', '.join(FINDING_NAMES)}")
    return frozenset(names)


def _check_verbose(verbose: Any) -> Callable[[str], None] | None:
    if verbose == "auto" or verbose is True or (isinstance(verbose, int) and not isinstance(verbose, bool)
                                                 and verbose > 0):
        return lambda line: print(line, file=sys.stdout, flush=True)
    if verbose is False or verbose is None or (isinstance(verbose, int) and verbose == 0):
        return None
    if callable(verbose):
        return verbose
    raise TypeError(f"verbose must be 'auto', True/False or a function taking one line (e.g. print); got {verbose!r}")


def _overlaps(a: Finding, b: Finding) -> bool:
    """The same event seen twice: same name and run, and shared epochs (a finding that grew or shifted its start)."""
    return a.name == b.name and a.run == b.run and bool(set(a.epochs) & set(b.epochs))


class Monitor(keras.callbacks.Callback):
    """Diagnose a training run while it runs: each new finding reported once, at the epoch it appears.

    Explained in :doc:`/chapters/field_guide`.

    Pass it to ``fit``: ``model.fit(x, y, epochs=..., callbacks=[Monitor()])``. At the start of training it
    runs :func:`lossacc.check_model` (with ``x_val``/``y_val``: also the label and initial-loss checks) and
    reports what it finds. After every epoch it runs :func:`lossacc.detect` -- the detectors of
    :func:`lossacc.diagnose`, with the same :class:`~lossacc.Thresholds` -- on the history so far and
    reports each finding it has not reported before (by ``Finding.key`` ``(name, run, first epoch)``; a
    finding that grows epoch by epoch, or whose epochs overlap one already reported, is not repeated), as one
    line: ``Monitor: epoch 5: epochs 1-5: [accuracy_stall] Accuracy pinned at 0.5000 while the loss moves --
    <the first line of evidence>``. Otherwise it is silent.

    It works with ``fit(verbose=0, 1 or 2)``: with a progress bar (1) or one line per epoch (2) the finding is
    printed once Keras has finished that epoch's line, so it is never spliced into the bar. ``"auto"``
    prints to standard output (so in a notebook cell it shows as the cell's output).

    Where it works: ``model.fit`` and :func:`lossacc.train` (``callbacks=[monitor]``). Where it does **not**:
    :func:`lossacc.train_population` / :func:`lossacc.train_grid`, :func:`lossacc.train_full_batch` and
    :func:`lossacc.train_frozen_heads` train in their own loops (many networks in one graph, or all epochs in
    one ``tf.function``) and take no ``callbacks`` -- passing one is a ``TypeError`` -- so diagnose their
    histories afterwards with :func:`lossacc.diagnose` (one member's rows at a time).

    Cost (``benchmarks/monitor_overhead.py``: the book's ``Dense(2, sigmoid) -> Dense(1, sigmoid)`` net,
    400 samples, 60 epochs, ``fit(verbose=0)``, 2 shared CPU cores): without tracking the hooks take 0.8-0.9 ms
    of CPU per epoch (a little more as the history grows: the detectors read all of it, 0.5 ms at 100 epochs,
    0.8 ms at 200), measured as +1.4 % of an epoch at batch size 32 (13 steps) and +1.6 % full-batch (1 step);
    on a quiet machine, where such an epoch takes 25-50 ms, 2-4 %. With tracking (a forward pass over the
    400 tracked samples, and the detectors' per-sample evidence) 3.6-4 ms of CPU per epoch: +6-7 % measured,
    8-16 % on a quiet machine. The model check at train begin: under 1 ms, 20-30 ms with ``x_val``/``y_val``
    (one forward pass), once.

    Parameters
    ----------
    x_val, y_val : array-like, optional
        Fixed samples and their labels (0/1, class indices or one-hot): the validation set, or the training
        set itself. Used for the model check before training (labels against the output layer, the initial
        loss) and, with ``track=True``, for tracking. Give both or neither. Copied, never modified.
    track : bool, default False
        Track the outputs on ``x_val`` after every epoch (:class:`~lossacc.ProbabilityTracker`): adds
        ``tracked_near_threshold`` (share of the samples within ``thresholds.margin`` = 0.05 of the decision
        threshold: ``|p - 0.5|`` for one output, top-1 minus top-2 for several) and ``tracked_flips`` (samples
        whose correctness changed this epoch) to :attr:`history` and to every message, and lets the detectors
        add their per-sample evidence. Needs ``x_val`` and ``y_val``.
    stop_on : str or sequence of str, default ()
        Finding names that stop training (``model.stop_training = True``) at the epoch they are first found,
        e.g. ``("nonfinite", "not_moving")``. Valid names: ``Monitor.FINDING_NAMES`` (the keys of
        ``lossacc.diagnosis.FINDING_TEXT``).
    val_size, train_size : int, optional
        Number of validation / training samples, for the 1/n grid and the binomial standard error of a
        validation dip (see :func:`lossacc.diagnose`); inferred from the values when not given.
    thresholds : Thresholds, optional
        The detectors' thresholds (default ``Thresholds()``).
    check : bool, default True
        Run :func:`lossacc.check_model` when training begins.
    verbose : "auto", bool or callable, default "auto"
        ``"auto"``/``True``: print each finding as one line on standard output; ``False``: report nothing
        (the findings are still collected in :attr:`findings`); a function: called with each line
        (``print``, ``logging.getLogger(__name__).warning``, ``lines.append`` ...).

    Attributes
    ----------
    findings : list of Finding
        Everything reported so far: the model check's findings (no epochs), then the detectors', each in
        its latest (grown) form, in the order they were first reported.
    history : pandas.DataFrame
        One row per finished epoch: ``epoch`` (from 1), the logged metrics, and with tracking the two
        ``tracked_*`` columns.
    messages : list of str
        The lines reported, in order (also when ``verbose=False``).
    stopped_epoch : int or None
        The epoch at which a ``stop_on`` finding stopped training.

    Raises
    ------
    TypeError
        For a ``stop_on``, ``thresholds`` or ``verbose`` of the wrong type, non-numeric data.
    ValueError
        For an unknown finding name in ``stop_on`` (the message lists the valid ones), ``track=True``
        without data, only one of ``x_val``/``y_val``, data of different lengths.

    Notes
    -----
    Every ``fit`` call starts a new history. Metrics that are not logged at every epoch (``validation_freq``
    > 1) are kept in :attr:`history` but left out of the diagnosis.

    Examples
    --------
    >>> monitor = Monitor(stop_on="nonfinite")  # doctest: +SKIP
    >>> model.fit(x, y, epochs=50, verbose=0, callbacks=[monitor])  # doctest: +SKIP
    Monitor: epoch 5: epochs 1-5: [accuracy_stall] Accuracy pinned at 0.5000 while ...
    >>> [finding.name for finding in monitor.findings]  # doctest: +SKIP
    ['accuracy_stall']
    """

    FINDING_NAMES = FINDING_NAMES

    def __init__(
        self,
        x_val: Any = None,
        y_val: Any = None,
        *,
        track: bool = False,
        stop_on: str | Iterable[str] = (),
        val_size: int | None = None,
        train_size: int | None = None,
        thresholds: Thresholds | None = None,
        check: bool = True,
        verbose: Any = "auto",
    ) -> None:
        super().__init__()
        if (x_val is None) != (y_val is None):
            raise ValueError("give both x_val and y_val (the samples and their labels), or neither")
        self._x = self._y = None
        if x_val is not None:
            self._x = as_features("x_val", x_val, ndim=None)
            self._y = as_labels("y_val", y_val, len(self._x))
        if not isinstance(track, bool):
            raise TypeError(f"track must be True or False; got {track!r}")
        if track and self._x is None:
            raise ValueError("track=True needs the samples to track: Monitor(x_val, y_val, track=True)")
        if not isinstance(check, bool):
            raise TypeError(f"check must be True or False; got {check!r}")
        if thresholds is None:
            thresholds = Thresholds()
        elif not isinstance(thresholds, Thresholds):
            raise TypeError(f"thresholds must be a lossacc.diagnosis.Thresholds; got {type(thresholds).__name__}")
        for name, value in (("val_size", val_size), ("train_size", train_size)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, np.integer))
                                      or value < 1):
                raise ValueError(f"{name} must be a whole number >= 1 or None; got {value!r}")
        self.stop_on = _check_stop_on(stop_on)
        self._report = _check_verbose(verbose)
        self._track = track
        self._check = check
        self._thresholds = thresholds
        self._sizes = {"val_size": None if val_size is None else int(val_size),
                       "train_size": None if train_size is None else int(train_size)}
        self._labels = None if self._y is None else self._class_labels(self._y)
        self._tracker = ProbabilityTracker(self._x) if track else None
        self._reset()

    # ------------------------------------------------------------------------------------------- state
    def _reset(self) -> None:
        self._epochs: list[int] = []
        self._logs: dict[str, list[float]] = {}
        self._tracked: dict[str, list[float]] = {name: [] for name in TRACKED_COLUMNS} if self._track else {}
        self._found: dict[Any, Finding] = {}
        self._model_findings: list[Finding] = []
        self._pending: list[str] = []
        self._missing: set[str] = set()  # metrics not logged at some epoch (validation_freq > 1): not diagnosed
        self._tracking_ok = True  # the tracked outputs have all been probabilities so far
        self.messages: list[str] = []
        self.stopped_epoch: int | None = None

    @staticmethod
    def _class_labels(y: np.ndarray) -> np.ndarray:
        return y.argmax(axis=1) if y.ndim == 2 and y.shape[1] > 1 else y.reshape(-1)

    def set_model(self, model: keras.Model) -> None:  # noqa: D102
        super().set_model(model)
        if self._tracker is not None:
            self._tracker.set_model(model)

    # ------------------------------------------------------------------------------------------- output
    def _say(self, line: str) -> None:
        self.messages.append(line)
        if self._report is not None:
            self._pending.append(line)

    def _flush(self) -> None:
        lines, self._pending = self._pending, []
        for line in lines:
            self._report(line)

    def _progress_shown(self) -> bool:
        verbose = (self.params or {}).get("verbose", 0)
        return verbose == "auto" or bool(verbose)

    # ------------------------------------------------------------------------------------------- callbacks
    def on_train_begin(self, logs: Mapping | None = None) -> None:  # noqa: D102
        self._reset()
        if self._check:
            from lossacc.diagnosis._checks import check_model  # (imported here: it is the one heavy import)

            self._model_findings = check_model(self.model, self._x, self._y)
            for finding in self._model_findings:
                self._say(f"{_PREFIX}: before training: {finding.message}")
        if self._tracker is not None:
            self._tracker.on_train_begin()
        self._flush()  # nothing of Keras' is on the line yet

    def on_epoch_begin(self, epoch: int, logs: Mapping | None = None) -> None:  # noqa: D102
        self._flush()  # the previous epoch's line of the progress bar is finished by now

    def on_train_end(self, logs: Mapping | None = None) -> None:  # noqa: D102
        self._flush()

    def on_epoch_end(self, epoch: int, logs: Mapping | None = None) -> None:  # noqa: D102
        number = int(epoch) + 1
        self._record(number, logs or {})
        evidence = self._track_epoch() if self._tracker is not None else ""
        for finding in self._detect():
            previous = self._match(finding)
            if previous is not None:
                self._found[previous] = finding  # the same event, grown: keep its latest form, say nothing
                continue
            self._found[finding.key] = finding
            message = finding.message.removeprefix(f"epoch {number}: ")  # (said once is enough)
            self._say(f"{_PREFIX}: epoch {number}: {message}{evidence}")
            if finding.name in self.stop_on and self.stopped_epoch is None:
                self.model.stop_training = True
                self.stopped_epoch = number
                self._say(f"{_PREFIX}: epoch {number}: stopping training ({finding.name!r} is in stop_on).")
        if not self._progress_shown():
            self._flush()

    # ------------------------------------------------------------------------------------------- work
    def _record(self, number: int, logs: Mapping) -> None:
        count = len(self._epochs)
        self._epochs.append(number)
        for name, value in logs.items():
            try:
                value = float(value)
            except (TypeError, ValueError):
                continue  # not a number (e.g. a learning-rate schedule object): not a metric
            name = str(name)
            if name not in self._logs:
                self._logs[name] = [math.nan] * count
                if count:
                    self._missing.add(name)
            self._logs[name].append(value)
        for name, column in self._logs.items():
            if len(column) == count:  # not logged this epoch
                column.append(math.nan)
                self._missing.add(name)

    def _complete_columns(self) -> dict[str, list[float]]:
        """The metrics logged at every epoch so far (the others, e.g. validation_freq > 1, are not diagnosed)."""
        return {name: values for name, values in self._logs.items() if name not in self._missing}

    def _detect(self) -> list[Finding]:
        columns = self._complete_columns()
        if not columns:
            return []
        outputs = labels = None
        if self._tracker is not None and self._tracking_ok:
            outputs, labels = self._tracker.outputs, self._labels
        history: Any = columns
        if self._epochs[0] != 1 or self._epochs != list(range(1, len(self._epochs) + 1)):
            history = pd.DataFrame({"epoch": self._epochs, **columns})  # (initial_epoch > 0)
        return detect(history, thresholds=self._thresholds, outputs=outputs, labels=labels,
                      **self._sizes)

    def _match(self, finding: Finding) -> Any:
        if finding.key in self._found:
            return finding.key
        for key, known in self._found.items():
            if _overlaps(known, finding):
                return key
        return None

    def _check_outputs(self, outputs: np.ndarray, epoch: int) -> None:
        """Turn tracking off for good at the first outputs that are not probabilities (a NaN, a linear output)."""
        if not self._tracking_ok or (np.all(np.isfinite(outputs)) and outputs.min() >= 0.0 and outputs.max() <= 1.0):
            return
        self._tracking_ok = False
        finite = outputs[np.isfinite(outputs)]
        what = f"from {finite.min():.4g} to {finite.max():.4g}" if finite.size else "all NaN/inf"
        if finite.size < outputs.size and finite.size:
            what += ", some NaN/inf"
        when = "before training" if epoch == 0 else f"epoch {epoch}"
        self._say(f"{_PREFIX}: {when}: the tracked outputs are not probabilities ({what}): per-sample evidence "
                  "is off from here.")

    def _track_epoch(self) -> str:
        self._tracker.on_epoch_end(len(self._epochs) - 1)
        records = self._tracker._records
        if len(records) == 2:
            self._check_outputs(records[0], 0)
        self._check_outputs(records[-1], self._epochs[-1])
        if not self._tracking_ok:
            self._tracked["tracked_near_threshold"].append(math.nan)
            self._tracked["tracked_flips"].append(math.nan)
            return ""
        previous, current = records[-2], records[-1]
        near = _margins(current[None])[0] < self._thresholds.margin
        share = float(near.mean())
        try:
            correct = correct_mask(np.stack([previous, current]), self._labels)
        except ValueError as error:  # labels that do not fit the output (check_model has said why)
            self._tracking_ok = False
            self._say(f"{_PREFIX}: epoch {self._epochs[-1]}: per-sample evidence is off: {error}.")
            self._tracked["tracked_near_threshold"].append(math.nan)
            self._tracked["tracked_flips"].append(math.nan)
            return ""
        flips = int((correct[0] != correct[1]).sum())
        self._tracked["tracked_near_threshold"].append(share)
        self._tracked["tracked_flips"].append(flips)
        return (f" | tracked: {int(near.sum())} of {len(near)} within {self._thresholds.margin:g} of the threshold, "
                f"{flips} changed side this epoch")

    # ------------------------------------------------------------------------------------------- results
    @property
    def findings(self) -> list[Finding]:
        """The model check's findings, then every finding of the detectors (latest form), in order of report."""
        return [*self._model_findings, *self._found.values()]

    @property
    def history(self) -> pd.DataFrame:
        """The epochs seen so far as a tidy table (``epoch`` from 1, metrics, ``tracked_*`` with tracking)."""
        if not self._epochs:
            raise ValueError("nothing recorded yet: pass the monitor to fit(..., callbacks=[monitor]) first")
        frame = history_frame(self._logs) if self._logs else pd.DataFrame(index=range(len(self._epochs)))
        frame = frame.drop(columns="epoch", errors="ignore")
        frame.insert(0, "epoch", np.asarray(self._epochs, dtype=int))
        for name, values in self._tracked.items():
            frame[name] = np.asarray(values, dtype="float64")
        return frame

    def plot(self, ax: Any = None, *, metrics: Any = None) -> Any:
        """The learning curves with the findings marked (:func:`lossacc.plot_findings`).

        Parameters
        ----------
        ax : Axes or sequence of Axes, optional
            One Axes (draws the first of ``metrics``), one per metric, or ``None`` for a new figure.
        metrics : sequence of str, optional
            Default: ``loss`` and the accuracy column, those that were logged.

        Returns
        -------
        Axes or numpy.ndarray of Axes
            Like ``ax``: the Axes when one was given, else one per metric.
        """
        from lossacc.plots import plot_findings

        return plot_findings(self.history, self.findings, metrics=metrics, ax=ax)
