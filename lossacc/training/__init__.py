"""Training: the book's models, a seeded ``fit`` wrapper, and the fast paths that train many runs at once.

=====================  ==========================================================================
``_models``            :func:`build_sigmoid_net`, :func:`make_optimizer`, ``OPTIMIZERS``
``_fit``               :func:`seed_everything`, :func:`train` (``fit`` with seeds, a tidy history)
``_population``        :func:`train_population`, :func:`train_grid`: K small nets in one graph
``_fused``             :func:`train_full_batch`: all full-batch epochs in one ``tf.function``
``_frozen_heads``      :func:`train_frozen_heads`: the frozen-ReLU model, widths x seeds at once
``_lr_finder``         :func:`find_learning_rate`: the learning-rate range test
``_seeding``           the one seeding convention: independent streams per layer and for the row order
``_chunks``            the one chunked-epochs loop with its progress bar (population, full batch)
=====================  ==========================================================================

Everything here imports Keras.
"""

from lossacc.training._fit import seed_everything, train
from lossacc.training._frozen_heads import (
    HEAD_ACTIVATIONS,
    FrozenHeadsResult,
    build_frozen_relu_net,
    frozen_relu_weights,
    train_frozen_heads,
)
from lossacc.training._fused import FullBatchResult, frozen_features, split_frozen, train_full_batch
from lossacc.training._lr_finder import LRFinderResult, find_learning_rate
from lossacc.training._models import OPTIMIZERS, build_sigmoid_net, make_optimizer
from lossacc.training._population import (
    HIDDEN_ACTIVATIONS,
    OUTPUT_ACTIVATIONS,
    POPULATION_LOSSES,
    POPULATION_OPTIMIZERS,
    PopulationResult,
    epoch_orders,
    initial_member_weights,
    train_grid,
    train_population,
)

__all__ = [
    "OPTIMIZERS", "make_optimizer", "build_sigmoid_net", "seed_everything", "train",
    "HIDDEN_ACTIVATIONS", "OUTPUT_ACTIVATIONS", "POPULATION_LOSSES", "POPULATION_OPTIMIZERS",
    "PopulationResult", "epoch_orders", "initial_member_weights", "train_grid", "train_population",
    "FullBatchResult", "frozen_features", "split_frozen", "train_full_batch",
    "HEAD_ACTIVATIONS", "FrozenHeadsResult", "build_frozen_relu_net", "frozen_relu_weights", "train_frozen_heads",
    "LRFinderResult", "find_learning_rate",
]
