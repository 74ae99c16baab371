"""Every threshold of the detectors, in one frozen dataclass."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from lossacc._validation import check_positive_float, check_positive_int

__all__ = ["Thresholds"]

_INT_FIELDS = ("stall_epochs", "repeat_epochs", "plateau_epochs", "patience", "jump_window")


@dataclass(frozen=True)
class Thresholds:
    """The numbers the detectors of :func:`lossacc.detect` compare a history with.

    Explained in :doc:`/chapters/field_guide`. Change one with ``Thresholds(patience=10)`` or
    ``dataclasses.replace(thresholds, patience=10)``; every field must be > 0.

    Attributes
    ----------
    stall_epochs : int, default 5
        Minimum number of epochs an accuracy must stay pinned (``accuracy_stall``, ``not_moving``,
        ``validation_stall``).
    stall_tolerance : float, default 1e-4
        How much a pinned accuracy (or repeated validation loss) may vary: less than one printed digit.
    min_loss_change : float, default 1e-3
        Under a pinned accuracy, a loss that moves at least this much is a stall (``accuracy_stall``);
        one that moves less means nothing trains (``not_moving``).
    repeat_epochs : int, default 3
        ``validation_stall`` on a short log: a validation accuracy repeating the same printed value for
        this many epochs (fewer than ``stall_epochs``) ...
    repeat_loss_change : float, default 0.05
        ... while its own validation loss moves by at least this share of its median (a converged run
        repeats both; keras-team/keras#12863 repeats the accuracy while the loss moves 12 %).
    dip_min_drop : float, default 0.02
        Smallest one-epoch dip of validation accuracy, ``min(before, after) - value``
        (the definition of :func:`lossacc.find_dips`).
    dip_sigmas : float, default 2.5
        A dip larger than this many binomial standard errors is ``validation_dip``; a smaller one
        is ``validation_dip_small`` (within what the set can resolve).
    plateau_epochs : int, default 5
        Minimum length of an ``accuracy_plateau``.
    plateau_tolerance : float, default 0.01
        Maximum range of accuracy over a plateau.
    min_loss_drop : float, default 0.1
        Minimum relative fall of the loss over a plateau.
    loss_bound_fraction : float, default 0.35
        ``output_activation_mismatch`` when ``loss < fraction * ln 2 * (1 - accuracy)``.
    collapse_loss_fall : float, default 0.1
        ``output_activation_mismatch`` from a collapse: the loss must fall by at least this share while
        the accuracy collapses (a sigmoid net hovering at 0.5 moves its loss 0.6804 -> 0.6759 while
        validation accuracy swings 1.0 -> 0.5: no disagreement, just outputs on the threshold).
    collapse_drop : float, default 0.2
        Accuracy ending this far below its best is a collapse.
    patience : int, default 5
        ``overfitting`` needs this many epochs after the validation-loss minimum.
    min_rise : float, default 0.05
        ... and a rise of the median of the last ``patience`` values of at least 5 % of the minimum,
    rise_noise_sigmas : float, default 3.0
        ... and at least this many times the epoch-to-epoch noise of the validation loss
        (estimated from its second differences, so a steady trend is not counted as noise).
    gap_loss_ratio : float, default 3.0
        ``overfitting`` seen from a late excerpt (no minimum in view): validation loss at least this many
        times the training loss ...
    gap_accuracy : float, default 0.15
        ... and validation accuracy at least this far below training accuracy, at each of the last
        ``patience`` (or more) epochs.
    jump_factor : float, default 3.0
        ``instability``: the loss rises to at least this factor times its lowest value of the last
        ``jump_window`` epochs ...
    jump_window : int, default 3
        ... (a jump may take two or three epochs: 0.6678 -> 2.3554 -> 6.0458) ...
    jump_undo : float, default 0.5
        ... and the rise undoes at least this share of the progress made so far.
    perfect_accuracy : float, default 0.995
        Accuracy at or above this is perfect: a plateau there is not a problem.
    margin : float, default 0.05
        Distance from the decision threshold counted as "near it" in per-sample evidence.
    """

    stall_epochs: int = 5
    stall_tolerance: float = 1e-4
    min_loss_change: float = 1e-3
    repeat_epochs: int = 3
    repeat_loss_change: float = 0.05
    dip_min_drop: float = 0.02
    dip_sigmas: float = 2.5
    plateau_epochs: int = 5
    plateau_tolerance: float = 0.01
    min_loss_drop: float = 0.1
    loss_bound_fraction: float = 0.35
    collapse_loss_fall: float = 0.1
    collapse_drop: float = 0.2
    patience: int = 5
    min_rise: float = 0.05
    rise_noise_sigmas: float = 3.0
    gap_loss_ratio: float = 3.0
    gap_accuracy: float = 0.15
    jump_factor: float = 3.0
    jump_window: int = 3
    jump_undo: float = 0.5
    perfect_accuracy: float = 0.995
    margin: float = 0.05

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.name in _INT_FIELDS:
                check_positive_int(field.name, value)
            else:
                check_positive_float(field.name, value)

    @classmethod
    def with_overrides(cls, base: Thresholds | None = None, **overrides: float) -> Thresholds:
        """``base`` (default: the defaults) with some fields replaced; unknown names raise ``TypeError``."""
        if base is not None and not isinstance(base, Thresholds):
            raise TypeError(f"thresholds must be a lossacc.diagnosis.Thresholds; got {type(base).__name__}")
        names = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(overrides) - names)
        if unknown:
            raise TypeError(f"unknown threshold(s) {unknown}; valid names: {', '.join(sorted(names))}")
        return dataclasses.replace(base or cls(), **overrides)
