"""lossacc: train, watch and diagnose loss-vs-accuracy puzzles in Keras.

The companion package of the book *Loss vs. Accuracy*. Importing it sets quiet, deterministic
TensorFlow defaults (see ``lossacc._env``) before Keras is loaded.

One folder or module per job; each public name below lives in exactly one of them:

=================  ===========================================================================
``training/``      models, the seeded ``fit`` wrapper, many runs at once, full batch, LR finder
``watch/``         callbacks that record under the curve, and the live :class:`Monitor`
``analyze/``       Keras-free reading of histories and outputs: correctness, dips, noise, plateaus
``diagnosis/``     findings: the shared detectors, :func:`diagnose`, :func:`check_model`
``logs/``          the log reader
``plots.py``       every matplotlib figure; ``film.py``: the probability film (HTML)
``data.py``        the data sets; ``metrics.py``: metrics to compile or compute
``book.py``        glue for the book; ``cli.py``: the ``lossacc`` command
=================  ===========================================================================

The names are loaded on first use, so that ``import lossacc`` and the ``lossacc`` command stay fast
when no Keras model is involved (reading a log, diagnosing it, plotting it); ``__init__.pyi`` spells
them out for editors ("go to definition" lands on the definition).

``lossacc.diagnose`` is the function; its package is ``lossacc.diagnosis``. So that the name reads the
same both ways, ``import lossacc.diagnose`` also works: it is registered as an alias of that package
(loaded on first use, and like it, without Keras), and ``lossacc.diagnose`` stays the function.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

from lossacc._env import apply_defaults as _apply_defaults

_apply_defaults()

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_EXPORTS: dict[str, str] = {
    "accuracy_standard_error": "lossacc.analyze",
    "binomial_band": "lossacc.analyze",
    "build_frozen_relu_net": "lossacc.training",
    "build_sigmoid_net": "lossacc.training",
    "check_model": "lossacc.diagnosis",
    "choose_threshold": "lossacc.metrics",
    "confusion_counts": "lossacc.metrics",
    "correct_mask": "lossacc.analyze",
    "describe_plateaus": "lossacc.analyze",
    "detect": "lossacc.diagnosis",
    "diagnose": "lossacc.diagnosis",
    "early_stopping_epoch": "lossacc.analyze",
    "epochs_to_reach": "lossacc.analyze",
    "find_dips": "lossacc.analyze",
    "find_learning_rate": "lossacc.training",
    "find_plateaus": "lossacc.analyze",
    "Finding": "lossacc.diagnosis",
    "first_correct_epoch": "lossacc.analyze",
    "frozen_features": "lossacc.training",
    "frozen_relu_weights": "lossacc.training",
    "FrozenHeadsResult": "lossacc.training",
    "FullBatchResult": "lossacc.training",
    "glue": "lossacc.book",
    "grid_counts": "lossacc.analyze",
    "history_frame": "lossacc.analyze",
    "infer_num_samples": "lossacc.analyze",
    "initial_member_weights": "lossacc.training",
    "initial_stall": "lossacc.analyze",
    "IRIS_CLASSES": "lossacc.data",
    "is_on_grid": "lossacc.analyze",
    "legacy_binary_accuracy": "lossacc.metrics",
    "LegacyBinaryAccuracy": "lossacc.metrics",
    "load_digits_01": "lossacc.data",
    "load_iris_data": "lossacc.data",
    "load_mnist_01": "lossacc.data",
    "LOG_STYLES": "lossacc.logs",
    "LRFinderResult": "lossacc.training",
    "make_optimizer": "lossacc.training",
    "make_two_blobs": "lossacc.data",
    "mark_findings": "lossacc.plots",
    "Monitor": "lossacc.watch",
    "OPTIMIZERS": "lossacc.training",
    "plot_findings": "lossacc.plots",
    "plot_history": "lossacc.plots",
    "plot_log_curves": "lossacc.plots",
    "plot_lr_finder": "lossacc.plots",
    "plot_loss_contributions": "lossacc.plots",
    "plot_output_bands": "lossacc.plots",
    "plot_probability_distribution": "lossacc.plots",
    "plot_precision_recall": "lossacc.plots",
    "plot_probability_pairs": "lossacc.plots",
    "plot_reliability_diagram": "lossacc.plots",
    "plot_runs": "lossacc.plots",
    "plot_threshold_metrics": "lossacc.plots",
    "plot_trajectories": "lossacc.plots",
    "PopulationResult": "lossacc.training",
    "prediction_flips": "lossacc.analyze",
    "probability_film": "lossacc.film",
    "ProbabilityFilm": "lossacc.film",
    "ProbabilityTracker": "lossacc.watch",
    "read_keras_log": "lossacc.logs",
    "render_keras_log": "lossacc.logs",
    "resolve_accuracy": "lossacc.diagnosis",
    "seed_everything": "lossacc.training",
    "set_book_style": "lossacc.plots",
    "shade_plateaus": "lossacc.plots",
    "split_frozen": "lossacc.training",
    "threshold_metrics": "lossacc.metrics",
    "Thresholds": "lossacc.diagnosis",
    "train": "lossacc.training",
    "train_frozen_heads": "lossacc.training",
    "train_full_batch": "lossacc.training",
    "train_grid": "lossacc.training",
    "train_population": "lossacc.training",
    "WeightTracker": "lossacc.watch",
}

_SUBMODULES = ("analyze", "book", "cli", "data", "diagnosis", "film", "logs", "metrics", "plots", "training", "watch")

__all__ = list(_EXPORTS)


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


def _register_diagnose_alias() -> None:
    """``import lossacc.diagnose`` -> an alias of ``lossacc.diagnosis`` that loads it on first attribute use.

    Found in ``sys.modules``, the alias is never bound as an attribute of ``lossacc`` (Python binds a
    submodule only when it loads one), so ``lossacc.diagnose`` remains the function.
    """
    alias = types.ModuleType("lossacc.diagnose", "Alias of :mod:`lossacc.diagnosis`, the package of :func:`diagnose`.")
    alias.__getattr__ = lambda name: getattr(importlib.import_module("lossacc.diagnosis"), name)  # type: ignore[attr-defined]
    sys.modules.setdefault("lossacc.diagnose", alias)


_register_diagnose_alias()
