"""Name what a learning curve shows: detectors for the book's phenomena, with the evidence in numbers.

:func:`diagnose` reads a training history (a Keras ``History``, its ``history`` dict, the table of
:func:`lossacc.history_frame`, or the table of :func:`lossacc.read_keras_log` with one ``run`` per
``fit()`` call) and returns :class:`Finding` objects: what was seen, at which epochs, the numbers,
why it happens, what to check, and the chapter that explains it. :func:`detect` is the same, one
finding per event, for a caller that runs it after every epoch (a live monitor).

Where things live (one definition each):

* ``_findings``: :class:`Finding`, :func:`format_epochs` and ``FINDING_TEXT``, the table of
  explanations and advice keyed by finding name;
* ``_thresholds``: :class:`Thresholds`, every number the detectors compare with;
* ``_checks``: :func:`check_model` and :func:`resolve_accuracy`, the checks of a compiled model (and
  optionally its data) before training -- loaded on first use, as they import Keras;
* ``_detectors``: one function per finding. The dips are :func:`lossacc.find_dips`', the flat runs
  :func:`lossacc.find_plateaus`', correctness :func:`lossacc.correct_mask`, the binomial standard error
  :func:`lossacc.accuracy_standard_error`.

Finding names: ``nonfinite``, ``not_moving``, ``accuracy_stall``, ``validation_stall``,
``validation_dip``, ``validation_dip_small``, ``accuracy_plateau``, ``instability``,
``impossible_value``, ``output_activation_mismatch``, ``accuracy_collapse``, ``overfitting``.
"""

from __future__ import annotations

from typing import Any

from lossacc._deprecation import warn_renamed
from lossacc.diagnosis._detectors import DETECTORS, detect, infer_grid
from lossacc.diagnosis._findings import CHAPTERS, FINDING_TEXT, Finding, format_epochs
from lossacc.diagnosis._thresholds import Thresholds

__all__ = ["CHAPTERS", "DETECTORS", "FINDING_TEXT", "Finding", "Thresholds", "check_model", "detect", "diagnose",
           "format_epochs", "infer_grid", "resolve_accuracy"]

_KERAS_NAMES = ("check_model", "resolve_accuracy")  # in ``_checks``, which imports Keras: loaded on first use


def __getattr__(name: str) -> Any:
    if name in _KERAS_NAMES:
        from lossacc.diagnosis import _checks

        return getattr(_checks, name)
    raise AttributeError(f"module 'lossacc.diagnosis' has no attribute {name!r}")

_GROUPED = ("validation_dip", "validation_dip_small")  # one finding per run in the report, listing every dip


def _merge(findings: list[Finding]) -> list[Finding]:
    merged: list[Finding] = []
    first_of: dict[tuple[str, Any], int] = {}
    for finding in findings:
        if finding.name not in _GROUPED:
            merged.append(finding)
            continue
        slot = first_of.get((finding.name, finding.run))
        if slot is None:
            first_of[(finding.name, finding.run)] = len(merged)
            merged.append(finding)
            continue
        head = merged[slot]
        lines = head.evidence.splitlines()
        new = [line for line in finding.evidence.splitlines()[:-1] if line not in lines]  # (its own "Threshold")
        lines = lines[:-1] + new + lines[-1:]  # keep "Threshold: ..." last
        merged[slot] = Finding(
            name=head.name, title=head.title.replace(" dip ", " dips ", 1), run=head.run,
            epochs=head.epochs + finding.epochs, evidence="\n".join(lines), explanation=head.explanation,
            action=head.action, chapter=head.chapter,
        )
    return merged


def diagnose(
    history: Any,
    outputs: Any = None,
    *,
    labels: Any = None,
    val_size: int | None = None,
    train_size: int | None = None,
    thresholds: Thresholds | None = None,
    **threshold_overrides: float,
) -> list[Finding]:
    """Detect the book's phenomena in a training history and explain them.

    Explained in :doc:`/chapters/field_guide`.

    Parameters
    ----------
    history : keras.callbacks.History, dict or pandas.DataFrame
        A ``History``, its ``history`` dict, a table from :func:`lossacc.history_frame`, or one from
        :func:`lossacc.read_keras_log` (column ``run``: every run is diagnosed separately and each
        finding says which run it is about). Metric columns as Keras names them (``loss``,
        ``accuracy`` or ``acc``, ``val_loss``, ``val_accuracy`` ...); whichever exist are used.
        NaN and infinite values are reported (``nonfinite``), except a lone missing value in the
        last row (a truncated log line).
    outputs : array-like, shape (epochs + 1, samples[, classes]), optional
        Outputs tracked by :class:`lossacc.ProbabilityTracker` (``tracker.outputs``, row 0 before
        training) for the same (single) run. (Its former name ``probabilities=`` still works, with a
        ``FutureWarning``.) Adds per-sample evidence: samples near the threshold, flips, samples on
        the wrong side.
    labels : array-like, optional
        Labels of the tracked samples (0/1, class indices or one-hot). Needed for flips and
        wrong-side counts; alone, it gives the majority-class rate a stall is compared with.
    val_size, train_size : int, optional
        Number of validation / training samples. Accuracy is ``correct / n``, so ``n`` gives the
        ``1/n`` grid and the binomial standard error of a dip. When not given, ``n`` is inferred from
        the grid of the observed values if possible, and the finding says what it inferred or assumed.
    thresholds : Thresholds, optional
        Every threshold of the detectors (default ``Thresholds()``).
    **threshold_overrides
        Individual fields of :class:`Thresholds` (``patience=10``, ``dip_min_drop=0.05`` ...),
        applied on top of ``thresholds``.

    Returns
    -------
    list of Finding
        Ordered by run and first epoch; empty for a healthy run. The dips of one run are reported
        together, as one ``validation_dip`` and one ``validation_dip_small`` finding.

    Raises
    ------
    TypeError
        If ``history`` is not one of the accepted types or a threshold name is unknown.
    ValueError
        If it holds no epochs or metrics, a threshold is not > 0, or ``outputs``/``labels`` do
        not match it.

    Examples
    --------
    >>> import pandas as pd
    >>> loss = [0.70, 0.699, 0.698, 0.697, 0.696, 0.695, 0.694, 0.693]
    >>> history = pd.DataFrame({"epoch": range(1, 9), "loss": loss, "accuracy": [0.5] * 8})
    >>> [finding.name for finding in diagnose(history)]
    ['accuracy_stall']
    """
    if "probabilities" in threshold_overrides:  # the former name of `outputs`
        if outputs is not None:
            raise TypeError("give the tracked outputs once: outputs=... (probabilities= is its former name)")
        warn_renamed("diagnose(probabilities=...)", "diagnose(outputs=...)")
        outputs = threshold_overrides.pop("probabilities")
    if threshold_overrides or thresholds is not None:
        thresholds = Thresholds.with_overrides(thresholds, **threshold_overrides)
    findings = detect(history, val_size=val_size, train_size=train_size, thresholds=thresholds,
                      outputs=outputs, labels=labels)
    return _merge(findings)
