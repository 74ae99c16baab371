"""Reading curves and per-sample outputs: histories, correctness, stalls, dips and noise, plateaus. Keras-free.

================  ============================================================================
``_history``      :func:`history_frame`: any Keras history (object, dict, table) as one tidy table
``_correctness``  THE accuracy rule (:func:`binary_correct`, :func:`categorical_correct`, their TensorFlow
                  twins), ``ACCURACY_THRESHOLD``, ``CLIP_EPSILON``; :func:`correct_mask`, first correct
                  epochs, prediction flips
``_curves``       :func:`epochs_to_reach`, :func:`initial_stall`
``_noise``        dips (:func:`find_dips`, the one definition ``diagnose`` uses too), the binomial
                  resolution of a validation set, :func:`early_stopping_epoch`
``_plateaus``     flat accuracy while the loss moves: :func:`find_plateaus`, the 1/n grid
================  ============================================================================
"""

from lossacc.analyze._correctness import (
    ACCURACY_THRESHOLD,
    CLIP_EPSILON,
    binary_correct,
    categorical_correct,
    correct_mask,
    first_correct_epoch,
    legacy_binary_correct,
    prediction_flips,
)
from lossacc.analyze._curves import epochs_to_reach, initial_stall
from lossacc.analyze._history import history_frame
from lossacc.analyze._noise import (
    accuracy_standard_error,
    binomial_band,
    early_stopping_epoch,
    find_dips,
    infer_num_samples,
)
from lossacc.analyze._plateaus import describe_plateaus, find_plateaus, grid_counts, is_on_grid

__all__ = [
    "ACCURACY_THRESHOLD", "CLIP_EPSILON", "binary_correct", "categorical_correct", "legacy_binary_correct",
    "history_frame", "correct_mask", "first_correct_epoch", "prediction_flips", "epochs_to_reach",
    "initial_stall", "accuracy_standard_error", "binomial_band", "early_stopping_epoch", "find_dips",
    "infer_num_samples", "describe_plateaus", "find_plateaus", "grid_counts", "is_on_grid",
]
