"""Type stub of the lazy facade (written by tools/write_facade_stub.py; do not edit by hand)."""


from lossacc.analyze import (
    accuracy_standard_error as accuracy_standard_error,
)
from lossacc.analyze import (
    binomial_band as binomial_band,
)
from lossacc.analyze import (
    correct_mask as correct_mask,
)
from lossacc.analyze import (
    describe_plateaus as describe_plateaus,
)
from lossacc.analyze import (
    early_stopping_epoch as early_stopping_epoch,
)
from lossacc.analyze import (
    epochs_to_reach as epochs_to_reach,
)
from lossacc.analyze import (
    find_dips as find_dips,
)
from lossacc.analyze import (
    find_plateaus as find_plateaus,
)
from lossacc.analyze import (
    first_correct_epoch as first_correct_epoch,
)
from lossacc.analyze import (
    grid_counts as grid_counts,
)
from lossacc.analyze import (
    history_frame as history_frame,
)
from lossacc.analyze import (
    infer_num_samples as infer_num_samples,
)
from lossacc.analyze import (
    initial_stall as initial_stall,
)
from lossacc.analyze import (
    is_on_grid as is_on_grid,
)
from lossacc.analyze import (
    prediction_flips as prediction_flips,
)
from lossacc.book import (
    glue as glue,
)
from lossacc.data import (
    IRIS_CLASSES as IRIS_CLASSES,
)
from lossacc.data import (
    load_digits_01 as load_digits_01,
)
from lossacc.data import (
    load_iris_data as load_iris_data,
)
from lossacc.data import (
    load_mnist_01 as load_mnist_01,
)
from lossacc.data import (
    make_two_blobs as make_two_blobs,
)
from lossacc.diagnosis import (
    Finding as Finding,
)
from lossacc.diagnosis import (
    Thresholds as Thresholds,
)
from lossacc.diagnosis import (
    check_model as check_model,
)
from lossacc.diagnosis import (
    detect as detect,
)
from lossacc.diagnosis import (
    diagnose as diagnose,
)
from lossacc.diagnosis import (
    resolve_accuracy as resolve_accuracy,
)
from lossacc.film import (
    ProbabilityFilm as ProbabilityFilm,
)
from lossacc.film import (
    probability_film as probability_film,
)
from lossacc.logs import (
    LOG_STYLES as LOG_STYLES,
)
from lossacc.logs import (
    read_keras_log as read_keras_log,
)
from lossacc.logs import (
    render_keras_log as render_keras_log,
)
from lossacc.metrics import (
    LegacyBinaryAccuracy as LegacyBinaryAccuracy,
)
from lossacc.metrics import (
    choose_threshold as choose_threshold,
)
from lossacc.metrics import (
    confusion_counts as confusion_counts,
)
from lossacc.metrics import (
    legacy_binary_accuracy as legacy_binary_accuracy,
)
from lossacc.metrics import (
    threshold_metrics as threshold_metrics,
)
from lossacc.plots import (
    mark_findings as mark_findings,
)
from lossacc.plots import (
    plot_findings as plot_findings,
)
from lossacc.plots import (
    plot_history as plot_history,
)
from lossacc.plots import (
    plot_log_curves as plot_log_curves,
)
from lossacc.plots import (
    plot_loss_contributions as plot_loss_contributions,
)
from lossacc.plots import (
    plot_lr_finder as plot_lr_finder,
)
from lossacc.plots import (
    plot_output_bands as plot_output_bands,
)
from lossacc.plots import (
    plot_precision_recall as plot_precision_recall,
)
from lossacc.plots import (
    plot_probability_distribution as plot_probability_distribution,
)
from lossacc.plots import (
    plot_probability_pairs as plot_probability_pairs,
)
from lossacc.plots import (
    plot_reliability_diagram as plot_reliability_diagram,
)
from lossacc.plots import (
    plot_runs as plot_runs,
)
from lossacc.plots import (
    plot_threshold_metrics as plot_threshold_metrics,
)
from lossacc.plots import (
    plot_trajectories as plot_trajectories,
)
from lossacc.plots import (
    set_book_style as set_book_style,
)
from lossacc.plots import (
    shade_plateaus as shade_plateaus,
)
from lossacc.training import (
    OPTIMIZERS as OPTIMIZERS,
)
from lossacc.training import (
    FrozenHeadsResult as FrozenHeadsResult,
)
from lossacc.training import (
    FullBatchResult as FullBatchResult,
)
from lossacc.training import (
    LRFinderResult as LRFinderResult,
)
from lossacc.training import (
    PopulationResult as PopulationResult,
)
from lossacc.training import (
    build_frozen_relu_net as build_frozen_relu_net,
)
from lossacc.training import (
    build_sigmoid_net as build_sigmoid_net,
)
from lossacc.training import (
    find_learning_rate as find_learning_rate,
)
from lossacc.training import (
    frozen_features as frozen_features,
)
from lossacc.training import (
    frozen_relu_weights as frozen_relu_weights,
)
from lossacc.training import (
    initial_member_weights as initial_member_weights,
)
from lossacc.training import (
    make_optimizer as make_optimizer,
)
from lossacc.training import (
    seed_everything as seed_everything,
)
from lossacc.training import (
    split_frozen as split_frozen,
)
from lossacc.training import (
    train as train,
)
from lossacc.training import (
    train_frozen_heads as train_frozen_heads,
)
from lossacc.training import (
    train_full_batch as train_full_batch,
)
from lossacc.training import (
    train_grid as train_grid,
)
from lossacc.training import (
    train_population as train_population,
)
from lossacc.watch import (
    Monitor as Monitor,
)
from lossacc.watch import (
    ProbabilityTracker as ProbabilityTracker,
)
from lossacc.watch import (
    WeightTracker as WeightTracker,
)

__version__: str
__all__: list[str]
