"""lossacc: train, watch and diagnose loss-vs-accuracy puzzles in Keras.

The companion package of the book *Loss vs. Accuracy*. Importing it sets quiet, deterministic
TensorFlow defaults (see ``lossacc._env``) before Keras is loaded.
"""

from lossacc._env import apply_defaults as _apply_defaults

_apply_defaults()

from lossacc.book import glue  # noqa: E402
from lossacc.checks import check_model, resolve_accuracy  # noqa: E402
from lossacc.curves import epochs_to_reach, initial_stall  # noqa: E402
from lossacc.data import IRIS_CLASSES, load_digits_01, load_iris_data, load_mnist_01, make_two_blobs  # noqa: E402
from lossacc.frozen_heads import FrozenHeadsResult, build_frozen_relu_net, train_frozen_heads  # noqa: E402
from lossacc.diagnose import Finding, diagnose  # noqa: E402
from lossacc.fused import FullBatchResult, frozen_features, split_frozen, train_full_batch  # noqa: E402
from lossacc.logs import LOG_STYLES, read_keras_log, render_keras_log  # noqa: E402
from lossacc.lr_finder import LRFinderResult, find_learning_rate  # noqa: E402
from lossacc.metrics import LegacyBinaryAccuracy, legacy_binary_accuracy  # noqa: E402
from lossacc.models import OPTIMIZERS, build_sigmoid_net, make_optimizer  # noqa: E402
from lossacc.plateaus import describe_plateaus, find_plateaus, grid_counts, is_on_grid  # noqa: E402
from lossacc.plots import (  # noqa: E402
    plot_history,
    plot_probability_distribution,
    plot_output_bands,
    plot_runs,
    plot_trajectories,
    set_book_style,
    shade_plateaus,
)
from lossacc.noise import (  # noqa: E402
    accuracy_standard_error,
    binomial_band,
    early_stopping_epoch,
    find_dips,
    infer_num_samples,
)
from lossacc.population import PopulationResult, train_grid, train_population  # noqa: E402
from lossacc.tracking import (  # noqa: E402
    ProbabilityTracker,
    WeightTracker,
    correct_mask,
    first_correct_epoch,
    prediction_flips,
)
from lossacc.training import history_frame, seed_everything, train  # noqa: E402

__version__ = "0.1.0"

__all__ = [
    "LOG_STYLES",
    "Finding",
    "FrozenHeadsResult",
    "IRIS_CLASSES",
    "FullBatchResult",
    "LRFinderResult",
    "LegacyBinaryAccuracy",
    "OPTIMIZERS",
    "PopulationResult",
    "ProbabilityTracker",
    "WeightTracker",
    "accuracy_standard_error",
    "binomial_band",
    "build_frozen_relu_net",
    "build_sigmoid_net",
    "check_model",
    "correct_mask",
    "describe_plateaus",
    "diagnose",
    "early_stopping_epoch",
    "epochs_to_reach",
    "find_dips",
    "find_learning_rate",
    "find_plateaus",
    "first_correct_epoch",
    "frozen_features",
    "glue",
    "grid_counts",
    "history_frame",
    "infer_num_samples",
    "initial_stall",
    "is_on_grid",
    "legacy_binary_accuracy",
    "load_digits_01",
    "load_iris_data",
    "load_mnist_01",
    "make_optimizer",
    "make_two_blobs",
    "plot_history",
    "plot_output_bands",
    "plot_probability_distribution",
    "plot_runs",
    "plot_trajectories",
    "prediction_flips",
    "read_keras_log",
    "render_keras_log",
    "resolve_accuracy",
    "seed_everything",
    "set_book_style",
    "shade_plateaus",
    "split_frozen",
    "train",
    "train_frozen_heads",
    "train_full_batch",
    "train_grid",
    "train_population",
]
