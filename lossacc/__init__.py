"""lossacc: train, watch and diagnose loss-vs-accuracy puzzles in Keras.

The companion package of the book *Loss vs. Accuracy*. Importing it sets quiet, deterministic
TensorFlow defaults (see ``lossacc._env``) before Keras is loaded.

The public names below are loaded on first use, so that ``import lossacc`` and the ``lossacc``
command stay fast when no Keras model is involved (reading a log, diagnosing it, plotting it).
"""

from __future__ import annotations

import importlib
from typing import Any

from lossacc._env import apply_defaults as _apply_defaults

_apply_defaults()

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_EXPORTS: dict[str, str] = {
    "LOG_STYLES": "lossacc.logs",
    "Finding": "lossacc.diagnose",
    "FrozenHeadsResult": "lossacc.frozen_heads",
    "IRIS_CLASSES": "lossacc.data",
    "FullBatchResult": "lossacc.fused",
    "LRFinderResult": "lossacc.lr_finder",
    "LegacyBinaryAccuracy": "lossacc.metrics",
    "Monitor": "lossacc.monitor",
    "OPTIMIZERS": "lossacc.models",
    "PopulationResult": "lossacc.population",
    "ProbabilityFilm": "lossacc.film",
    "Thresholds": "lossacc.diagnose",
    "ProbabilityTracker": "lossacc.tracking",
    "WeightTracker": "lossacc.tracking",
    "accuracy_standard_error": "lossacc.noise",
    "binomial_band": "lossacc.noise",
    "build_frozen_relu_net": "lossacc.frozen_heads",
    "build_sigmoid_net": "lossacc.models",
    "check_model": "lossacc.checks",
    "correct_mask": "lossacc.tracking",
    "describe_plateaus": "lossacc.plateaus",
    "detect": "lossacc.diagnose",
    "diagnose": "lossacc.diagnose",
    "early_stopping_epoch": "lossacc.noise",
    "epochs_to_reach": "lossacc.curves",
    "find_dips": "lossacc.noise",
    "find_learning_rate": "lossacc.lr_finder",
    "find_plateaus": "lossacc.plateaus",
    "first_correct_epoch": "lossacc.tracking",
    "frozen_features": "lossacc.fused",
    "glue": "lossacc.book",
    "grid_counts": "lossacc.plateaus",
    "history_frame": "lossacc.training",
    "infer_num_samples": "lossacc.noise",
    "initial_stall": "lossacc.curves",
    "is_on_grid": "lossacc.plateaus",
    "legacy_binary_accuracy": "lossacc.metrics",
    "load_digits_01": "lossacc.data",
    "load_iris_data": "lossacc.data",
    "load_mnist_01": "lossacc.data",
    "make_optimizer": "lossacc.models",
    "make_two_blobs": "lossacc.data",
    "mark_findings": "lossacc.plots",
    "plot_findings": "lossacc.plots",
    "plot_history": "lossacc.plots",
    "plot_log_curves": "lossacc.plots",
    "plot_output_bands": "lossacc.plots",
    "plot_probability_distribution": "lossacc.plots",
    "plot_runs": "lossacc.plots",
    "plot_trajectories": "lossacc.plots",
    "prediction_flips": "lossacc.tracking",
    "probability_film": "lossacc.film",
    "read_keras_log": "lossacc.logs",
    "render_keras_log": "lossacc.logs",
    "resolve_accuracy": "lossacc.checks",
    "seed_everything": "lossacc.training",
    "set_book_style": "lossacc.plots",
    "shade_plateaus": "lossacc.plots",
    "split_frozen": "lossacc.fused",
    "train": "lossacc.training",
    "train_frozen_heads": "lossacc.frozen_heads",
    "train_full_batch": "lossacc.fused",
    "train_grid": "lossacc.population",
    "train_population": "lossacc.population",
}

_SUBMODULES = (
    "book", "checks", "cli", "correctness", "curves", "data", "diagnose", "film", "frozen_heads", "fused", "logs",
    "lr_finder", "metrics", "models", "monitor", "noise", "plateaus", "plots", "population", "tracking", "training",
)

__all__ = list(_EXPORTS)


# ``diagnose`` names both a submodule and its main function: bind the function now, as importing the
# submodule later (first done here) would otherwise leave the module object under that name.
from lossacc.diagnose import diagnose  # noqa: E402, F401


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"lossacc.{name}")
    raise AttributeError(f"module 'lossacc' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS) | set(_SUBMODULES))
