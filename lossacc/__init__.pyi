"""Type stub of the lazy facade (written by tools/write_facade_stub.py; do not edit by hand)."""

from lossacc import (
    analyze as analyze,
    book as book,
    cli as cli,
    data as data,
    diagnosis as diagnosis,
    film as film,
    logs as logs,
    metrics as metrics,
    plots as plots,
    training as training,
    watch as watch,
)
from lossacc.analyze import (
    accuracy_standard_error as accuracy_standard_error,
    binomial_band as binomial_band,
    correct_mask as correct_mask,
    describe_plateaus as describe_plateaus,
    early_stopping_epoch as early_stopping_epoch,
    epochs_to_reach as epochs_to_reach,
    find_dips as find_dips,
    find_plateaus as find_plateaus,
    first_correct_epoch as first_correct_epoch,
    grid_counts as grid_counts,
    history_frame as history_frame,
    infer_num_samples as infer_num_samples,
    initial_stall as initial_stall,
    is_on_grid as is_on_grid,
    prediction_flips as prediction_flips,
)
from lossacc.book import (
    glue as glue,
)
from lossacc.data import (
    IRIS_CLASSES as IRIS_CLASSES,
    load_digits_01 as load_digits_01,
    load_iris_data as load_iris_data,
    load_mnist_01 as load_mnist_01,
    make_two_blobs as make_two_blobs,
)
from lossacc.diagnosis import (
    Finding as Finding,
    Thresholds as Thresholds,
    check_model as check_model,
    detect as detect,
    diagnose as diagnose,
    resolve_accuracy as resolve_accuracy,
)
from lossacc.film import (
    ProbabilityFilm as ProbabilityFilm,
    probability_film as probability_film,
)
from lossacc.logs import (
    LOG_STYLES as LOG_STYLES,
    read_keras_log as read_keras_log,
    render_keras_log as render_keras_log,
)
from lossacc.metrics import (
    LegacyBinaryAccuracy as LegacyBinaryAccuracy,
    choose_threshold as choose_threshold,
    confusion_counts as confusion_counts,
    legacy_binary_accuracy as legacy_binary_accuracy,
    threshold_metrics as threshold_metrics,
)
from lossacc.plots import (
    mark_findings as mark_findings,
    plot_findings as plot_findings,
    plot_history as plot_history,
    plot_log_curves as plot_log_curves,
    plot_loss_contributions as plot_loss_contributions,
    plot_lr_finder as plot_lr_finder,
    plot_output_bands as plot_output_bands,
    plot_precision_recall as plot_precision_recall,
    plot_probability_distribution as plot_probability_distribution,
    plot_probability_pairs as plot_probability_pairs,
    plot_reliability_diagram as plot_reliability_diagram,
    plot_runs as plot_runs,
    plot_threshold_metrics as plot_threshold_metrics,
    plot_trajectories as plot_trajectories,
    set_book_style as set_book_style,
    shade_plateaus as shade_plateaus,
)
from lossacc.training import (
    OPTIMIZERS as OPTIMIZERS,
    FrozenHeadsResult as FrozenHeadsResult,
    FullBatchResult as FullBatchResult,
    LRFinderResult as LRFinderResult,
    PopulationResult as PopulationResult,
    build_frozen_relu_net as build_frozen_relu_net,
    build_sigmoid_net as build_sigmoid_net,
    find_learning_rate as find_learning_rate,
    frozen_features as frozen_features,
    frozen_relu_weights as frozen_relu_weights,
    initial_member_weights as initial_member_weights,
    make_optimizer as make_optimizer,
    seed_everything as seed_everything,
    split_frozen as split_frozen,
    train as train,
    train_frozen_heads as train_frozen_heads,
    train_full_batch as train_full_batch,
    train_grid as train_grid,
    train_population as train_population,
)
from lossacc.watch import (
    Monitor as Monitor,
    ProbabilityTracker as ProbabilityTracker,
    WeightTracker as WeightTracker,
)

__version__: str
__all__: list[str]
