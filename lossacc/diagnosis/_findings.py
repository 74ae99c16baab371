"""What a finding is, how it prints, and the one table of explanations and advice, keyed by finding name."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

__all__ = ["CHAPTERS", "FINDING_TEXT", "REPORT_WIDTH", "Finding", "format_epochs", "make_finding"]

#: Width of a printed report: the code column of the book.
REPORT_WIDTH = 88
_ARROW, _KEEP = " -> ", "\x00->\x00"  # "a -> b" is not broken across lines (same length: same wrapping)

#: Chapter documents a finding may point to.
CHAPTERS = ("low_learning_rate", "validation_dips", "accuracy_plateaus", "linear_output", "primer", "field_guide")


@dataclass(frozen=True)
class Finding:
    """One diagnosed phenomenon.

    Explained in :doc:`/chapters/field_guide`.

    Attributes
    ----------
    name : str
        Stable identifier, e.g. ``"accuracy_stall"`` (the keys of ``FINDING_TEXT``).
    title : str
        One-line headline.
    run : int, str or None
        The run (``fit()`` call) the finding is about when the history holds several, else ``None``.
    epochs : tuple of int
        The epochs involved (empty for findings about a model, see :func:`lossacc.check_model`).
    evidence : str
        What was measured, with the numbers (one line per fact).
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

    @property
    def key(self) -> tuple[str, Any, int | None]:
        """``(name, run, first epoch)``: stays the same while a finding grows epoch by epoch.

        A caller that runs the detectors after every epoch reports a finding when its key is new.
        """
        return (self.name, self.run, self.epochs[0] if self.epochs else None)

    @property
    def advice(self) -> str:
        """The suggested check or fix (the same as ``action``)."""
        return self.action

    @property
    def message(self) -> str:
        """One line: where, the name, the headline and the first line of evidence (skipping a note on an
        inferred sample count)."""
        where = []
        if self.run is not None:
            where.append(f"run {self.run}")
        if self.epochs:
            where.append(format_epochs(self.epochs))
        lines = [line for line in self.evidence.splitlines() if line.strip()]
        # the first measurement: a note on what was inferred ("val_size not given: ...") says less
        first = next((line for line in lines if "_size not given" not in line), lines[0] if lines else "")
        prefix = f"{', '.join(where)}: " if where else ""
        return f"{prefix}[{self.name}] {self.title}" + (f" -- {first}" if first else "")

    def __str__(self) -> str:
        return self.format()

    def format(self, width: int = REPORT_WIDTH) -> str:
        """The finding as a report: headline, then Evidence / Why / Check / Read, wrapped at ``width``.

        ``str(finding)`` is ``finding.format()``: at most 88 characters a line (the book's code column).
        """
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
                lines.append(_wrap(paragraph, width, first, " " * 11) if paragraph else first.rstrip())
            return "\n".join(lines)

        return "\n".join(
            [
                _wrap(head, width, "", "    "),
                block("Evidence", self.evidence),
                block("Why", self.explanation),
                block("Check", self.action),
                block("Read", f"chapters/{self.chapter}"),
            ]
        )




def _wrap(text: str, width: int, first: str, rest: str) -> str:
    kept = text.replace(_ARROW, _KEEP)
    wrapped = textwrap.fill(kept, width=width, initial_indent=first, subsequent_indent=rest,
                            break_on_hyphens=False, break_long_words=False)
    return wrapped.replace(_KEEP, _ARROW)


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


#: Finding name -> (explanation, action, chapter). ``{placeholders}`` are filled by the detector.
FINDING_TEXT: dict[str, tuple[str, str, str]] = {
    "nonfinite": (
        "A loss or metric became NaN or infinite: the weights overflowed (a learning rate too large for the "
        "inputs' scale, exploding gradients) or the loss took the log of 0 or divided by 0 (a custom loss, "
        "labels outside the range the loss expects, NaN in the data). From then on every number is meaningless; "
        "an accuracy logged after it only counts how NaN outputs compare with the threshold.",
        "Check the data for NaN/inf (np.isfinite(x).all()), standardise the inputs, lower the learning rate, "
        "add gradient clipping (clipnorm=1.0); stop at the first NaN with keras.callbacks.TerminateOnNaN.",
        "field_guide",
    ),
    "not_moving": (
        "Neither the loss nor the accuracy moves: nothing is learning. A network whose units are all dead "
        "(ReLUs that output 0 for every input after a too-large step), saturated outputs, a learning rate of "
        "(nearly) zero, or frozen weights give the same loss at every epoch, and the same predictions -- "
        "usually one class for every sample, so accuracy sits at the majority-class rate.",
        "Check that the weights change (model.trainable_weights, a learning rate > 0), look at the predictions "
        "(one class for all?), standardise the inputs and restart from a fresh initialisation with a smaller "
        "learning rate (dead units) or a larger one (no progress at all); try Adam.",
        "low_learning_rate",
    ),
    "accuracy_stall": (
        "Accuracy only changes when an output crosses the decision threshold. With a learning rate that "
        "is too small (or too few units, or saturated sigmoids) every step nudges the outputs a little: "
        "the loss creeps down while no prediction changes side, so accuracy stays exactly where it "
        "started -- often the majority-class rate, because the network begins by giving every sample "
        "the same class.",
        "Raise the learning rate (run lossacc.find_learning_rate for a starting value), train longer, "
        "add units, and check that the inputs are scaled; track the outputs with "
        "lossacc.ProbabilityTracker to watch them approach the threshold.",
        "low_learning_rate",
    ),
    "validation_stall": (
        "The validation numbers do not follow the training: a validation accuracy pinned while its loss "
        "moves means no validation sample changes side (the outputs move, the decisions do not, or every "
        "sample gets the same class); a validation loss repeating the same value means the validation "
        "outputs do not change at all (a validation accuracy repeating one value for a few epochs while its "
        "own loss wanders says the same on a short log); a validation accuracy of exactly zero at every epoch "
        "means no "
        "validation sample is ever counted right -- the labels, the outputs and the metric do not match "
        "(an accuracy on a regression target, one-hot labels with a sparse metric, a validation set of "
        "one class the model never predicts).",
        "Check the validation labels (their classes and encoding, np.unique(y_val)) against the training "
        "labels and the output layer; check that the validation inputs get the same preprocessing; for a "
        "regression target drop 'accuracy' and use an error metric (MAE).",
        "field_guide",
    ),
    "validation_dip": (
        "The validation set is the same at every epoch, so every change of its accuracy is the model "
        "changing; a drop this far beyond the set's resolution (its binomial standard error) is a real "
        "swing, not a blur of measurement: many validation samples sit close to the decision threshold "
        "and one update moves the boundary across a whole group of them (a large step, momentum, "
        "un-centred inputs), then the next update moves it back.",
        "Track the validation outputs (lossacc.ProbabilityTracker) to see which samples flip; lower the "
        "learning rate or standardise the inputs; don't stop or pick a checkpoint on one epoch -- monitor "
        "with patience, and choose the monitored metric (val_loss or val_accuracy) for how the model "
        "will be used, since the two can disagree about the best epoch.",
        "validation_dips",
    ),
    "validation_dip_small": (
        "With n = {size} validation samples accuracy moves in steps of 1/n = {step:.4f}. The set is the same "
        "at every epoch, so the dip is real -- a few borderline samples changed side -- but it is smaller than "
        "the set's resolution: its binomial standard error sqrt(p(1-p)/n) says how precisely one epoch's "
        "accuracy measures accuracy on new data, and a change of a few standard errors says nothing about "
        "new data on its own.",
        "Judge the trend, not one epoch; a larger validation set measures accuracy more precisely, so that "
        "changes of this size become meaningful.",
        "validation_dips",
    ),
    "accuracy_plateau": (
        "Cross-entropy keeps rewarding confidence on samples that are already right, while accuracy only "
        "counts samples that cross the threshold. When the remaining errors are hard (or impossible) to "
        "fix, the loss falls as the correct samples move away from 0.5 and accuracy stays on the same "
        "step of its 1/n grid.",
        "Look at the samples still wrong (lossacc.ProbabilityTracker, first_correct_epoch); if they are "
        "label noise or overlap, the plateau is the best possible accuracy. Otherwise more capacity or "
        "features, not more epochs, move it.",
        "accuracy_plateaus",
    ),
    "instability": (
        "The loss multiplied in one epoch and undid much of the progress made so far: a step overshot. "
        "A learning rate too large for the curvature, unscaled inputs (a few large features dominate the "
        "gradient), or an exploding gradient in a deep or recurrent network. If the loss comes back the "
        "run survives with scars; if it stays up, the network may have died (see not_moving) or diverge "
        "to NaN.",
        "Lower the learning rate (by 3-10x) or add a schedule/warm-up, standardise the inputs, add "
        "gradient clipping (clipnorm=1.0); keep the best weights with ModelCheckpoint(save_best_only=True).",
        "field_guide",
    ),
    "accuracy_collapse": (
        "Accuracy fell far below its best and did not come back, and the loss does not say why (there is "
        "no finite loss to compare with, or it rose too). Usually the run broke: a NaN or an overflow "
        "(predictions of NaN count as one class), a learning-rate jump, or dead units after a large step.",
        "Log the loss next to the accuracy; look for NaN (keras.callbacks.TerminateOnNaN) and for a jump "
        "of the loss at the same epoch; lower the learning rate and restart from the best checkpoint.",
        "field_guide",
    ),
    "impossible_value": (
        "An accuracy is a share of samples and lies in [0, 1]. A value outside it is not an accuracy: a "
        "percentage (values up to 100), a metric summed instead of averaged (e.g. across replicas with a "
        "distribution strategy, keras-team/keras#19280), sample or class weights that do not sum to the "
        "sample count inside a custom metric, or a custom metric that is not a mean. It is a metric or "
        "weighting bug, not an output-layer one.",
        "Check how the metric is computed and reduced: the metric object (keras.metrics.*Accuracy), "
        "custom metrics, sample_weight/class_weight and the distribution strategy; compare with "
        "model.evaluate on one device and with (model.predict(x).argmax(-1) == y).mean().",
        "field_guide",
    ),
    "output_activation_mismatch": (
        "A misclassified sample has a true-class probability of at most 0.5, so it costs at least ln 2 = "
        "0.693 in cross-entropy: the loss cannot be near zero while many samples are wrong, and can never be "
        "negative. When it is, the numbers fed to the loss or the metric are not probabilities: a linear "
        "output with from_logits=False (Keras clips the outputs to [1e-7, 1 - 1e-7], so any output beyond 1 "
        "counts as perfect), or an accuracy that rounds unclipped outputs (standalone Keras 2.3 round(p)). "
        "(Not checked: a categorical or top-k accuracy, often paired with a per-unit binary cross-entropy "
        "whose bound is ln 2 / classes, and an accuracy near 0 throughout, which is a regression target.)",
        "Run lossacc.check_model(model). Either end the network with a sigmoid/softmax, or keep the linear "
        "output and use from_logits=True together with keras.metrics.BinaryAccuracy(threshold=0.0). (Class "
        "weights or custom losses can also break the ln 2 bound.)",
        "linear_output",
    ),
    "overfitting": (
        "After its minimum the validation loss keeps rising for several epochs, by more than its own "
        "epoch-to-epoch noise, while the training loss keeps falling: the model is fitting the training "
        "samples at the expense of new ones. Validation accuracy often lags behind, because the loss grows "
        "first on a few samples that become confidently wrong. In a late excerpt whose minimum is out of view, "
        "a validation loss several times the training loss with a validation accuracy far below the training "
        "accuracy, epoch after epoch, is the same story seen after the fact.",
        "Keep the weights of the best epoch (keras.callbacks.EarlyStopping(monitor='val_loss', "
        "patience={patience}, restore_best_weights=True)); add regularisation (dropout, weight decay), "
        "reduce capacity or get more data.",
        "field_guide",
    ),
}


def make_finding(
    name: str, title: str, run: Any, epochs: Any, lines: list[str], **params: Any
) -> Finding:
    """A :class:`Finding` whose explanation, action and chapter come from ``FINDING_TEXT[name]``."""
    explanation, action, chapter = FINDING_TEXT[name]
    return Finding(
        name=name,
        title=title,
        run=run,
        epochs=tuple(int(e) for e in epochs),
        evidence="\n".join(line for line in lines if line),
        explanation=explanation.format(**params) if params else explanation,
        action=action.format(**params) if params else action,
        chapter=chapter,
    )
