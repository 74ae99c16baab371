"""Real buggy (and correct) Keras models, rebuilt tiny for ``lossacc.diagnosis._checks.check_model`` (no training).

Each builder rebuilds the output head and ``compile`` call of a model posted in a public question, issue or
page (URL in its docstring, seen 2026-12-02), with small stand-in layers and data of the same form (shapes,
label values) -- not the original code or data. The docstring says what the fault is and what
``check_model`` should report. Layer sizes are shrunk (e.g. 3570 classes -> 12); where the thread does not
show a detail, the docstring says what was assumed.

``CASES`` maps each builder's name to ``(expected, needs_data, old)``:

* ``expected`` -- the finding names that name the fault (any one counts); empty for a correct model;
* ``needs_data`` -- the fault is only visible with the labels (``y``/``x``), not from ``compile`` alone;
* ``old`` -- the finding names of the check_model before issue 10 that named this fault (for the measurement).

Every builder returns ``(model, x, y)``; ``x``/``y`` may be ``None``.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers

CASES: dict[str, tuple[frozenset, bool, frozenset]] = {}


def case(expected=(), needs_data=False, old=()):
    def register(function):
        CASES[function.__name__] = (frozenset(expected), needs_data, frozenset(old))
        return function
    return register


def _body(num_features: int = 4) -> list:
    return [keras.Input((num_features,)), layers.Dense(8, activation="relu")]


def _compile(model, loss, metrics=("accuracy",)):
    model.compile(optimizer="adam", loss=loss, metrics=list(metrics))
    return model


_RNG = np.random.default_rng(0)
_X = _RNG.normal(size=(12, 4)).astype("float32")


def _one_hot(indices, classes):
    return np.eye(classes, dtype="float32")[np.asarray(indices)]


# ------------------------------------------------------------------------------------------------
# Faults visible from compile alone


@case(expected={"softmax_single_unit"}, old={"softmax_single_unit"})
def keras_126_softmax_one_unit_mse():
    """https://github.com/keras-team/keras/issues/126 -- "MLP example doesn't make progress".

    Binary labels, last layer ``Dense(64, 1, activation='softmax')`` (Keras 0.x), ``loss='mean_squared_error'``:
    a softmax over one unit outputs 1.0 always. Expect ``softmax_single_unit``.
    """
    model = _compile(keras.Sequential([*_body(2), layers.Dense(1, activation="softmax")]), "mean_squared_error", ())
    y = np.array([0, 1, 0, 1, 1, 0, 0, 1], "float32")
    return model, _X[:8, :2], y


@case(expected={"regression_loss_on_classifier", "labels_outside_output_range"})
def keras_321_softmax_regression_targets():
    """https://github.com/keras-team/keras/issues/321 -- "LSTM with mean_squared_error doesn't reduce the loss".

    Saw-like targets from 1 to 10 (two columns) regressed through ``Dense(2)`` + ``Activation('softmax')``
    with ``loss="mean_squared_error"``: the softmax can only output values in [0, 1] that sum to 1. Expect
    ``regression_loss_on_classifier`` (compile) and ``labels_outside_output_range`` (with y).
    """
    model = keras.Sequential([keras.Input((5, 2)), layers.LSTM(6), layers.Dense(2), layers.Activation("softmax")])
    _compile(model, "mean_squared_error", ())
    y = np.stack([np.arange(1, 11), np.arange(10, 0, -1)], axis=1).astype("float32")
    return model, None, y


@case(expected={"sigmoid_with_categorical_loss"})
def keras_7303_sigmoid_sparse_categorical():
    """https://github.com/keras-team/keras/issues/7303 -- 3570 classes, ``Dense(3570, activation='sigmoid')``
    with ``loss='sparse_categorical_crossentropy'`` and one-hot labels of shape (1055, 3570).

    Shrunk to 12 classes. Faults: sigmoid units with a categorical loss (expect
    ``sigmoid_with_categorical_loss``) and one-hot labels with a sparse loss (``label_format_mismatch`` with y).
    """
    model = _compile(keras.Sequential([*_body(), layers.Dense(12, activation="sigmoid")]),
                     "sparse_categorical_crossentropy")
    return model, None, _one_hot(np.arange(12) % 12, 12)


@case(expected={"categorical_loss_single_unit"}, old={"categorical_loss_single_unit"})
def stats_565956_sigmoid_one_unit_categorical():
    """https://stats.stackexchange.com/questions/565956/confused-with-binary-cross-entropy-vs-categorical-cross-entropy

    ``Dense(n_outputs, activation='sigmoid')`` with n_outputs = 1 and ``categorical_crossentropy``: "26%
    accuracy", "predicting only class 0". Expect ``categorical_loss_single_unit``.
    """
    model = _compile(keras.Sequential([*_body(), layers.Dense(1, activation="sigmoid")]), "categorical_crossentropy")
    return model, None, np.array([[0], [1], [1], [0]], "float32")


@case(expected={"binary_loss_on_softmax"})
def so_41327601_mnist_softmax_binary_crossentropy():
    """https://ostack.cn/qa/?qa=721288%2F&show=721289 (copy of Stack Overflow 41327601, "Why is
    binary_crossentropy more accurate than categorical_crossentropy for multiclass classification in Keras?").

    MNIST, ``Dense(10, activation='softmax')`` with ``loss='binary_crossentropy'``, ``metrics=['accuracy']``:
    Keras 2 reported binary accuracy 0.998 vs. 0.99 by hand. Single-label data with a binary loss on a softmax.
    Expect ``binary_loss_on_softmax`` (the old check said ``accuracy_resolves_to_categorical`` and recommended
    BinaryAccuracy -- the wrong metric for single-label data, so it does not count).
    """
    model = _compile(keras.Sequential([*_body(), layers.Dense(10, activation="softmax")]), "binary_crossentropy")
    return model, None, _one_hot(np.arange(12) % 10, 10)


@case(expected={"binary_loss_on_softmax"})
def aistackexchange_11311_binary_loss_many_classes():
    """https://ai.stackexchange.com/revisions/11311/2 -- ``loss='binary_crossentropy'``, ``metrics=['accuracy']``
    with "more than two classes"; Keras guessed binary_accuracy.

    The output layer is not shown in the excerpt; assumed ``Dense(k, activation='softmax')`` (k = 4) as in the
    linked answers. Expect ``binary_loss_on_softmax``.
    """
    model = _compile(keras.Sequential([*_body(), layers.Dense(4, activation="softmax")]), "binary_crossentropy")
    return model, None, None


@case(expected={"accuracy_on_regression"})
def so_48775305_regression_accuracy():
    """https://stackoverflow.com/questions/48775305/what-function-defines-accuracy-in-keras-when-the-loss-is-mean-squared-error-mse

    ``Dense(1)`` + ``Activation('linear')``, ``loss='mean_squared_error'``, ``metrics=['accuracy']``; the log shows
    "acc: 0.9740 - val_acc: 0.3701". Accuracy on a regression output. Expect ``accuracy_on_regression``.
    """
    model = keras.Sequential([*_body(), layers.Dense(1), layers.Activation("linear")])
    return _compile(model, "mean_squared_error"), None, None


@case(expected={"accuracy_on_regression"})
def ogeek_405141_boston_housing_accuracy():
    """https://ogeek.cn/qa/?qa=405141%2F -- Boston housing: ``Dense(13, activation='relu')``, ``Dense(1)``,
    ``loss='mean_squared_error'``, ``metrics=['accuracy']`` ("accuracy is meaningless in a regression problem").

    Expect ``accuracy_on_regression``.
    """
    model = keras.Sequential([keras.Input((13,)), layers.Dense(13, activation="relu"), layers.Dense(1)])
    y = np.array([24.0, 21.6, 34.7, 33.4, 36.2, 28.7], "float32")
    return _compile(model, "mean_squared_error"), None, y


@case(expected={"accuracy_on_regression"})
def openillumi_75188_accuracy_always_zero():
    """https://openillumi.com/?p=75188 -- "Keras Accuracy Always Zero?": a regression model compiled with
    ``loss='mean_squared_error', metrics=['accuracy']``. Output layer not shown; assumed ``Dense(1)``.

    Expect ``accuracy_on_regression``.
    """
    return _compile(keras.Sequential([*_body(), layers.Dense(1)]), "mean_squared_error"), None, None


@case(expected={"from_logits_after_activation"}, old={"double_squashing"})
def keras_15271_sigmoid_from_logits():
    """https://github.com/keras-team/keras/issues/15271 -- "Missing _keras_logits from model.predict(x) leads to
    difference in loss evaluation": ``activation="sigmoid"`` with ``BinaryCrossentropy(from_logits=True)``.

    Expect ``from_logits_after_activation`` (on TensorFlow the cached logits make training equal to a linear
    output; the loss computed from ``predict()`` outputs differs -- the thread's symptom).
    """
    model = keras.Sequential([*_body(), layers.Dense(1, activation="sigmoid")])
    return _compile(model, keras.losses.BinaryCrossentropy(from_logits=True)), None, None


@case(expected={"from_logits_after_activation"}, old={"double_squashing"})
def lovedlim_tensorflow_2_book_sigmoid_from_logits():
    """https://github.com/lovedlim/tensorflow/issues/2 -- a textbook's cats/dogs model: sigmoid output with
    ``BinaryCrossentropy(from_logits=True)``; TF printed "`binary_crossentropy` received `from_logits=True`,
    but the `output` argument was produced by a sigmoid or softmax activation". The author agreed it was a
    mistake. Expect ``from_logits_after_activation``.
    """
    model = keras.Sequential([*_body(), layers.Dense(1, activation="sigmoid")])
    return _compile(model, keras.losses.BinaryCrossentropy(from_logits=True)), None, None


@case(expected={"from_logits_after_activation"}, old={"double_squashing"})
def dana_1_softmax_from_logits():
    """https://github.com/mmalekzadeh/dana/issues/1 -- "Usage of from_logits=True on the model that has softmax
    activated output": ``Dense(out_shape, activation='softmax')`` after LSTMs. The loss class is not in the
    excerpt; assumed ``CategoricalCrossentropy(from_logits=True)``. Expect ``from_logits_after_activation``.
    """
    model = keras.Sequential([*_body(), layers.Dense(6, activation="softmax")])
    return _compile(model, keras.losses.CategoricalCrossentropy(from_logits=True)), None, None


@case(expected={"from_logits_after_activation"}, old={"double_squashing"})
def tensorflow_50190_sparse_from_logits_softmax():
    """https://github.com/keras-team/keras-io/pull/494 (quoting https://github.com/tensorflow/tensorflow/issues/50190):
    "`sparse_categorical_crossentropy` received `from_logits=True`, but the `output` argument was produced by a
    sigmoid or softmax activation". Softmax output + ``SparseCategoricalCrossentropy(from_logits=True)``.
    Expect ``from_logits_after_activation``.
    """
    model = keras.Sequential([*_body(), layers.Dense(10, activation="softmax")])
    return _compile(model, keras.losses.SparseCategoricalCrossentropy(from_logits=True)), None, None


def _sparse_from_logits_loss(y_true, y_pred):
    return keras.losses.sparse_categorical_crossentropy(y_true, y_pred, from_logits=True)


@case(expected={"from_logits_after_activation"})
def tf_keras_485_custom_loss_from_logits():
    """https://github.com/keras-team/tf-keras/issues/485 -- a custom ``train_step`` computing
    ``sparse_categorical_crossentropy(..., from_logits=True)`` on a softmax output; the log shows Keras' warning
    and sparse_categorical_accuracy falling from 0.12 to 0.05. Rebuilt as a custom loss function calling the
    same loss. Only a forward pass can see it. Expect ``from_logits_after_activation``.
    """
    model = keras.Sequential([keras.Input((4,)), layers.Dense(8, activation="relu"),
                              layers.Dense(10, activation="softmax")])
    return _compile(model, _sparse_from_logits_loss, ("sparse_categorical_accuracy",)), None, None


@case(expected={"probabilities_expected"}, old={"probabilities_expected"})
def keras_12096_relu_output_categorical():
    """https://github.com/keras-team/keras/issues/12096 -- "Simple CNN not learning at all": last layer
    ``Dense(2, activation='relu')`` with ``categorical_crossentropy``; loss frozen at 5.3727. Expect
    ``probabilities_expected``.
    """
    model = keras.Sequential([*_body(), layers.Dense(2, activation="relu")])
    return _compile(model, "categorical_crossentropy"), None, _one_hot([0, 0, 1], 2)


@case(expected={"probabilities_expected"}, old={"probabilities_expected"})
def keras_hub_1008_logits_with_string_loss():
    """https://github.com/keras-team/keras-hub/pull/1008 -- a classifier that outputs logits
    (``activation=None``) compiled with ``loss="sparse_categorical_crossentropy"``; the PR adds an error
    "This will not converge!". Expect ``probabilities_expected``.
    """
    model = keras.Sequential([*_body(), layers.Dense(3)])
    return _compile(model, "sparse_categorical_crossentropy", ()), None, None


@case(expected={"probabilities_expected"}, old={"probabilities_expected"})
def tensorflow_17150_linear_sparse():
    """https://github.com/tensorflow/tensorflow/issues/17150 -- fchollet's reproduction: ``Dense(10)`` (no
    activation) with ``loss='sparse_categorical_crossentropy'`` (the thread is about 3-D outputs; the linear
    output with a probability loss is a second fault). Expect ``probabilities_expected``.
    """
    model = keras.Sequential([keras.Input((5, 6)), layers.Dense(10)])
    return _compile(model, "sparse_categorical_crossentropy", ()), None, None


@case(expected={"probabilities_expected", "labels_outside_output_range"}, old={"probabilities_expected"})
def stats_616982_tanh_minus_one_labels():
    """https://stats.stackexchange.com/questions/616982/can-we-use-binary-cross-entropy-with-labels-1-and-1

    Labels -1/1 with a tanh output and binary cross-entropy. Expect ``probabilities_expected`` (compile) and
    ``labels_outside_output_range`` (with y).
    """
    model = keras.Sequential([*_body(), layers.Dense(1, activation="tanh")])
    return _compile(model, "binary_crossentropy"), None, np.array([-1, 1, 1, -1], "float32")


@case(expected={"accuracy_resolves_to_categorical"}, old={"accuracy_resolves_to_categorical"})
def so_50686217_toxic_multilabel_accuracy():
    """https://stackoverflow.com/questions/50686217/keras-how-is-accuracy-calculated-for-multi-label-classification

    Six toxic-comment labels (multi-label), ``Dense(len(classes), activation='sigmoid')``,
    ``binary_crossentropy``, ``metrics=['accuracy']`` (99.11%). In Keras 3 'accuracy' is argmax accuracy here.
    Expect ``accuracy_resolves_to_categorical``.
    """
    model = keras.Sequential([*_body(), layers.Dense(6, activation="sigmoid")])
    y = np.array([[1, 0, 1, 0, 0, 1], [0, 0, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 1]], "float32")
    return _compile(model, "binary_crossentropy"), None, y


@case(expected={"accuracy_resolves_to_categorical", "binary_loss_single_label"},
      old={"accuracy_resolves_to_categorical"})
def intellipaat_17161_sigmoid_binary_one_hot():
    """https://intellipaat.com/community/17161/keras-model-evaluate-vs-model-predict-accuracy-difference-in-multi-class-nlp-task

    19 single-label classes, one-hot labels, ``Dense(nb_classes, activation='sigmoid')`` with
    ``binary_crossentropy`` and 'accuracy': evaluate says 0.98, predict_classes 0.83. Expect
    ``accuracy_resolves_to_categorical`` (compile: asks multi-label or not) and ``binary_loss_single_label``
    (with y). The old message recommended BinaryAccuracy: wrong for single-label data.
    """
    model = keras.Sequential([*_body(), layers.Dense(19, activation="sigmoid")])
    return _compile(model, "binary_crossentropy"), None, _one_hot(np.arange(12) % 19, 19)


@case(expected={"accuracy_resolves_to_categorical", "binary_loss_single_label"},
      old={"accuracy_resolves_to_categorical"})
def pullrequest_9781727_sigmoid_binary_multiclass():
    """http://pullrequest.ru/9781727/nuzhna-pomosch-vybore-funktsii-poteri -- 70,000 images, 10 classes,
    sigmoid output with ``binary_crossentropy`` and SGD; the answer: use categorical_crossentropy and softmax.
    Assumed ``Dense(10, activation='sigmoid')`` with one-hot labels. Expect as for intellipaat 17161.
    """
    model = keras.Sequential([*_body(), layers.Dense(10, activation="sigmoid")])
    return _compile(model, "binary_crossentropy"), None, _one_hot(np.arange(12) % 10, 10)


# ------------------------------------------------------------------------------------------------
# Faults visible only with the data


@case(expected={"labels_outside_output_range"}, needs_data=True)
def newbedev_cnn_three_classes_one_sigmoid():
    """https://newbedev.com/cnn-with-keras-accuracy-not-improving -- three classes, ``Dense(1)`` +
    ``Activation('sigmoid')`` with binary cross-entropy ("Minor correction: Dense(1) should be Dense(3)").
    Labels 0/1/2 assumed. Expect ``labels_outside_output_range`` (with y).
    """
    model = keras.Sequential([*_body(), layers.Dense(1), layers.Activation("sigmoid")])
    return _compile(model, "binary_crossentropy"), None, np.array([0, 1, 2, 2, 1, 0], "float32")


@case(expected={"label_format_mismatch"}, needs_data=True)
def keras_7749_one_hot_with_sparse_loss():
    """https://github.com/keras-team/keras/issues/7749 -- ``Dense(2)`` + ``Activation('softmax')``,
    ``loss='sparse_categorical_crossentropy'``, labels ``[[1, 0]]`` (one-hot). Expect ``label_format_mismatch``.
    """
    model = keras.Sequential([*_body(2), layers.Dense(2), layers.Activation("softmax")])
    return _compile(model, "sparse_categorical_crossentropy"), None, _one_hot([0, 1, 1, 0], 2)


@case(expected={"labels_out_of_range"}, needs_data=True)
def rstudio_keras_465_labels_from_one():
    """https://github.com/rstudio/keras3/issues/465 -- iris, 3 output units, ``sparse_categorical_crossentropy``:
    "Received a label value of 3 which is outside the valid range of [0, 3). Label values: 2 2 3 1 1 2 3 3".
    (R interface; same Keras model.) Expect ``labels_out_of_range``.
    """
    model = keras.Sequential([*_body(), layers.Dense(3, activation="softmax")])
    return _compile(model, "sparse_categorical_crossentropy"), None, np.array([2, 2, 3, 1, 1, 2, 3, 3])


@case(expected={"labels_out_of_range"}, needs_data=True)
def tensorflow_54233_more_classes_than_units():
    """https://github.com/tensorflow/tensorflow/issues/54233 -- "Received a label value of 32 which is outside
    the valid range of [0, 11)": 11 output units, labels up to 32. Softmax + sparse loss assumed.
    Expect ``labels_out_of_range``.
    """
    model = keras.Sequential([*_body(), layers.Dense(11, activation="softmax")])
    return _compile(model, "sparse_categorical_crossentropy"), None, np.array([0, 5, 32, 10, 3, 7])


@case(expected={"initial_loss_high"}, needs_data=True)
def so_48284427_unnormalised_pixels():
    """https://stackoverflow.com/questions/48284427/why-should-we-normalize-data-for-deep-learning-in-keras --
    MNIST LeNet without ``X_train /= 255``: accuracy drops (also https://stats.stackexchange.com/questions/372762:
    "no normalization, my accuracy falls to 10%"). Rebuilt with 64 raw pixel values 0..255 into
    ``Dense(32, relu)`` -> ``Dense(10, softmax)``, categorical cross-entropy. Expect ``initial_loss_high``.
    """
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((64,)), layers.Dense(32, activation="relu"),
                              layers.Dense(10, activation="softmax")])
    _compile(model, "categorical_crossentropy")
    x = np.random.default_rng(1).integers(0, 256, size=(32, 64)).astype("float32")
    return model, x, _one_hot(np.arange(32) % 10, 10)


# ------------------------------------------------------------------------------------------------
# Correct models: check_model must stay silent (with their data)


@case()
def keras_6636_mnist_cnn_softmax():
    """https://github.com/keras-team/keras/issues/6636 -- the MNIST CNN example: ``Dense(num_classes,
    activation='softmax')`` with ``keras.losses.categorical_crossentropy`` (the thread confirms it is right)."""
    model = keras.Sequential([*_body(), layers.Dense(10, activation="softmax")])
    _compile(model, keras.losses.categorical_crossentropy)
    return model, _X, _one_hot(np.arange(12) % 10, 10)


@case()
def keras_3009_softmax_sparse_labels():
    """https://github.com/keras-team/keras/issues/3009 -- ``Dense(10)`` + ``Activation('softmax')`` with
    ``sparse_categorical_crossentropy`` and labels [1, 2, 3] (the failure was a Keras 1.0.4 shape check)."""
    model = keras.Sequential([keras.Input((2,)), layers.Dense(32), layers.Activation("relu"), layers.Dense(10),
                              layers.Activation("softmax")])
    _compile(model, "sparse_categorical_crossentropy", ())
    return model, np.array([[0, 1], [1, 1], [1, 0]], "float32"), np.array([1, 2, 3])


@case()
def keras_11749_timedistributed_softmax():
    """https://github.com/keras-team/keras/issues/11749 -- the workaround: ``TimeDistributed(Dense(90))`` +
    ``Activation("softmax")``, ``categorical_crossentropy``, ``metrics=['categorical_accuracy']``, one-hot labels."""
    model = keras.Sequential([keras.Input((5,)), layers.Embedding(90, 8), layers.GRU(6, return_sequences=True),
                              layers.TimeDistributed(layers.Dense(90)), layers.Activation("softmax")])
    _compile(model, "categorical_crossentropy", ("categorical_accuracy",))
    return model, None, _one_hot(np.arange(20).reshape(4, 5) % 90, 90)


def _custom_sparse_loss(y_true, y_pred):
    return keras.losses.sparse_categorical_crossentropy(y_true, y_pred)


@case()
def developreference_16087515_custom_loss_wrapper():
    """https://python-pypi.developreference.com/article/16087515/Keras+backend+function+seems+to+be+working+incorrectly
    -- a custom loss ``return keras.losses.sparse_categorical_crossentropy(y_true, y_pred)`` on a softmax output
    (Keras 2 then resolved 'accuracy' wrongly; Keras 3 resolves it by shape). Correct model."""
    model = keras.Sequential([*_body(), layers.Dense(4, activation="softmax")])
    _compile(model, _custom_sparse_loss)
    return model, _X, np.arange(12) % 4


@case()
def tensorflow_docs_binary_crossentropy_logits():
    """https://www.tensorflow.org/api_docs/python/tf/keras/losses/BinaryCrossentropy -- "Recommended Usage: (set
    from_logits=True)": a linear output with ``BinaryCrossentropy(from_logits=True)``; with
    ``BinaryAccuracy(threshold=0.0)`` as metric. Correct model."""
    model = keras.Sequential([*_body(), layers.Dense(1)])
    _compile(model, keras.losses.BinaryCrossentropy(from_logits=True), (keras.metrics.BinaryAccuracy(threshold=0.0),))
    return model, _X, (np.arange(12) % 2).astype("float32")


@case()
def probablyiris_softmax_two_classes():
    """https://probablyiris.com/tensorflow-basic-deep-learning-workflow-for-classification-task --
    ``Dense(2, activation='softmax')`` for trouser/bag labels 0/1 with a sparse categorical loss. Correct."""
    model = keras.Sequential([*_body(), layers.Dense(2, activation="softmax")])
    _compile(model, "sparse_categorical_crossentropy")
    return model, _X, np.arange(12) % 2


@case()
def keras_blog_autoencoder_sigmoid_bce():
    """https://blog.keras.io/building-autoencoders-in-keras.html -- ``Dense(784, activation='sigmoid')`` decoder
    with ``loss='binary_crossentropy'`` on pixel intensities in [0, 1] (not 0/1 labels), no accuracy. Correct:
    must not be taken for a single-label or out-of-range problem."""
    model = keras.Sequential([keras.Input((16,)), layers.Dense(4, activation="relu"),
                              layers.Dense(16, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    x = np.random.default_rng(2).uniform(size=(8, 16)).astype("float32")
    return model, x, x


@case()
def ogeek_405141_boston_housing_fixed():
    """https://ogeek.cn/qa/?qa=405141%2F -- the answer's fix: the same regression without 'accuracy'
    (``metrics=['mae']``). Correct."""
    model = keras.Sequential([keras.Input((13,)), layers.Dense(13, activation="relu"), layers.Dense(1)])
    _compile(model, "mean_squared_error", ("mae",))
    return model, None, np.array([24.0, 21.6, 34.7, 33.4, 36.2, 28.7], "float32")


@case()
def so_50686217_toxic_multilabel_fixed():
    """https://stackoverflow.com/questions/50686217/keras-how-is-accuracy-calculated-for-multi-label-classification
    -- multi-label sigmoid + binary cross-entropy with the per-label ``BinaryAccuracy()``. Correct."""
    model = keras.Sequential([*_body(), layers.Dense(6, activation="sigmoid")])
    _compile(model, "binary_crossentropy", (keras.metrics.BinaryAccuracy(),))
    y = np.array([[1, 0, 1, 0, 0, 1], [0, 0, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 1]], "float32")
    return model, _X[:4], y


@case()
def intellipaat_17161_fixed():
    """https://intellipaat.com/community/17161/keras-model-evaluate-vs-model-predict-accuracy-difference-in-multi-class-nlp-task
    -- the fix for 19 single-label classes: ``Dense(19, activation='softmax')``, ``categorical_crossentropy``,
    'accuracy', one-hot labels. Correct."""
    model = keras.Sequential([*_body(), layers.Dense(19, activation="softmax")])
    _compile(model, "categorical_crossentropy")
    return model, _X, _one_hot(np.arange(12) % 19, 19)


@case()
def keras_321_fixed_linear_regression():
    """https://github.com/keras-team/keras/issues/321 -- the saw-tooth regression with a linear output and MSE
    (targets 1..10). Correct."""
    model = keras.Sequential([keras.Input((5, 2)), layers.LSTM(6), layers.Dense(2)])
    _compile(model, "mean_squared_error", ())
    y = np.stack([np.arange(1, 11), np.arange(10, 0, -1)], axis=1).astype("float32")
    return model, np.zeros((10, 5, 2), "float32"), y


# ------------------------------------------------------------------------------------------------
# Added after the rules were written (a small check that they carry over; not used to write them)


@case(expected={"sigmoid_with_categorical_loss"})
def keras_9939_sigmoid_five_classes_categorical():
    """https://github.com/keras-team/keras/issues/9939 -- "good accuracy but bad prediction": classes 0..4,
    ``Dense(units=5, activation='sigmoid')`` with ``loss='categorical_crossentropy'``, ``metrics=['accuracy']``;
    predictions all zeros. Expect ``sigmoid_with_categorical_loss``.
    """
    model = keras.Sequential([keras.Input((14,)), layers.Dense(14, activation="relu"), layers.Dropout(0.5),
                              layers.Dense(5, activation="sigmoid")])
    return _compile(model, "categorical_crossentropy"), None, None


@case(expected={"regression_loss_on_classifier"})
def so_66908204_mnist_softmax_mse():
    """https://example-a.com/answer/66908204 (copy of Stack Overflow 66908204, "Can I use MSE as loss function and
    label encoding in classification problem?"): ``Dense(10, activation='softmax')``, ``loss='mean_squared_error'``,
    ``metrics=['accuracy']``, one-hot MNIST labels. It trains (test_acc 0.9791) but MSE on a softmax is the weaker
    objective. Expect ``regression_loss_on_classifier``.
    """
    model = keras.Sequential([keras.Input((16,)), layers.Dense(8, activation="relu"),
                              layers.Dense(10, activation="softmax")])
    return _compile(model, "mean_squared_error"), None, _one_hot(np.arange(12) % 10, 10)


@case(expected={"softmax_single_unit", "categorical_loss_single_unit"},
      old={"softmax_single_unit", "categorical_loss_single_unit"})
def python19633_softmax_one_unit_sparse():
    """https://python.19633.com/cs/python-tag-9/Keras-9/1009048621.html (Czech copy of a Stack Overflow answer):
    ``model.add(Dense(1, activation='softmax'))`` with ``sparse_categorical_crossentropy`` and labels 0..6
    ("Received a label value ... outside the valid range of [0, 1)"). Expect ``softmax_single_unit``.
    """
    model = keras.Sequential([*_body(), layers.Dense(1, activation="softmax")])
    return _compile(model, "sparse_categorical_crossentropy"), None, np.array([0, 3, 6, 1, 2])


@case()
def keras_508_iris_softmax():
    """https://github.com/keras-team/keras/issues/508 -- iris, one-hot labels (150, 3), tanh hidden layers,
    ``Dense(10, 3, activation='softmax')``, ``categorical_crossentropy`` (the problem lay elsewhere). Correct."""
    model = keras.Sequential([keras.Input((4,)), layers.Dense(10, activation="tanh"), layers.Dropout(0.5),
                              layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    return model, _X, _one_hot(np.arange(12) % 3, 3)


@case()
def keras_1478_cifar_softmax():
    """https://github.com/keras-team/keras/issues/1478 -- CIFAR CNN ending in ``Dense(nb_classes)`` +
    ``Activation('softmax')`` with ``categorical_crossentropy`` and binarized labels. Correct head."""
    model = keras.Sequential([keras.Input((8, 8, 3)), layers.Conv2D(4, 3, padding="same"), layers.Activation("relu"),
                              layers.Flatten(), layers.Dropout(0.5), layers.Dense(10), layers.Activation("softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    return model, np.zeros((10, 8, 8, 3), "float32"), _one_hot(np.arange(10), 10)


@case()
def whosebug_4051439_two_inputs_softmax():
    """https://whosebug.com/question/4051439/Keras-loss-function-does-not-decrease-on-mean-squared-error -- the
    working first version: two inputs, a shared ``Dense``, ``concatenate``, ``Dense(5, activation='softmax')``,
    ``categorical_crossentropy``, 'accuracy', categorical ratings 1..5 one-hot. Correct."""
    user, item = keras.Input((6,)), keras.Input((6,))
    shared = layers.Dense(6, activation="relu")
    joined = layers.concatenate([shared(user), shared(item)], axis=1)
    outputs = layers.Dense(5, activation="softmax")(layers.Dense(12, activation="relu")(joined))
    model = _compile(keras.Model([user, item], outputs), "categorical_crossentropy")
    rng = np.random.default_rng(3)
    x = [rng.normal(size=(10, 6)).astype("float32"), rng.normal(size=(10, 6)).astype("float32")]
    return model, x, _one_hot(np.arange(10) % 5, 5)


# ------------------------------------------------------------------------------------------------
# Held out, session 3: added without looking at check_model's rules, measured before any rule changed
# (/tmp/heldout_models_before.md). Source: the Stack Overflow part of the DeepLocalize benchmark (Wardat, Le,
# Rajan, "DeepLocalize: Fault Localization for Deep Neural Networks", ICSE 2021), github.com/Wardat-ISU/DeepLocalize
# at commit 297bc3441b5903b5c85bc5ffd7c9881a3c0c75a2, Benchmark/StackOverflow/<post>/{Buggy,Correct} Code and
# Benchmark/StackOverflow/Benchmark.xlsx (the "Patch/Fix" column: "--" lines are the posted code). Keras 1/2 code
# (``init=``, ``nb_epoch``); seen 2026-12-02. The URL is the Stack Overflow question the benchmark names.

_FIRST_HELD_OUT = len(CASES)

# name -> findings that are true secondary faults (allowed); the benchmark's fault itself is out of reach
OUT_OF_SCOPE: dict[str, frozenset] = {}


def out_of_scope(allowed=()):
    def register(function):
        OUT_OF_SCOPE[function.__name__] = frozenset(allowed)
        return function
    return register


@case(expected={"softmax_single_unit"})
def so_31880720_softmax_one_unit_bce():
    """https://stackoverflow.com/questions/31880720 -- DeepLocalize benchmark (Benchmark/StackOverflow/31880720):
    128 features, ``Dense(1)`` + ``Activation('softmax')``, ``loss='binary_crossentropy'``, 'accuracy'; loss 7.67,
    accuracy 0.5. Fix: sigmoid. Expect ``softmax_single_unit``.
    """
    model = keras.Sequential([keras.Input((128,)), layers.Dense(8, activation="relu"), layers.Dense(1),
                              layers.Activation("softmax")])
    return _compile(model, "binary_crossentropy"), None, (np.arange(12) % 2).astype("float32")


@case(expected={"softmax_single_unit"})
def so_33969059_softmax_one_unit_regression():
    """https://stackoverflow.com/questions/33969059 -- DeepLocalize benchmark: a linear regression (y = w.x + b,
    3 inputs) through tanh layers ending in ``Dense(1, activation='softmax')``, ``loss='mean_squared_error'``,
    'accuracy'. Fix: ``activation='linear'``. Expect ``softmax_single_unit``.
    """
    model = keras.Sequential([keras.Input((3,)), layers.Dense(3, activation="tanh"), layers.Dropout(0.5),
                              layers.Dense(2, activation="tanh"), layers.Dense(1, activation="softmax")])
    return _compile(model, "mean_squared_error"), None, np.array([2.2, 150.0, 3200.0, 41.5], "float32")


@case(expected={"softmax_single_unit"})
def so_34311586_xor_softmax_one_unit():
    """https://stackoverflow.com/questions/34311586 -- DeepLocalize benchmark: XOR, sigmoid hidden layers,
    ``Dense(1)`` + ``Activation('softmax')``, ``loss='mean_squared_error'``, no metric; loss stuck at 0.667.
    Fix: sigmoid (and SGD settings). Expect ``softmax_single_unit``.
    """
    model = keras.Sequential([keras.Input((2,)), layers.Dense(2), layers.Activation("sigmoid"), layers.Dense(3),
                              layers.Activation("sigmoid"), layers.Dense(1), layers.Activation("softmax")])
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], "float32")
    return _compile(model, "mean_squared_error", ()), x, np.array([0, 1, 1, 0], "float32")


@case(expected={"softmax_single_unit"})
def so_45442843_softmax_one_unit_mae():
    """https://stackoverflow.com/questions/45442843 -- DeepLocalize benchmark: one input, ``Dense(1)`` +
    sigmoid, then ``Dense(1)`` + ``Activation('softmax')``, ``loss='mean_absolute_error'``, 'accuracy' (0.498).
    Fix: sigmoid + binary_crossentropy. Expect ``softmax_single_unit``.
    """
    model = keras.Sequential([keras.Input((1,)), layers.Dense(1), layers.Activation("sigmoid"), layers.Dense(1),
                              layers.Activation("softmax")])
    return _compile(model, "mean_absolute_error"), None, np.array([0, 1, 1, 0, 1], "float32")


@case(expected={"regression_loss_on_classifier"})
def so_38648195_softmax_three_mse():
    """https://stackoverflow.com/questions/38648195 -- DeepLocalize benchmark: 20 features, ``Dense(3)`` +
    ``Activation('softmax')``, ``loss='mean_squared_error'``, 'accuracy' (0.63). Fix: sigmoid + binary
    cross-entropy. Labels assumed 0/1 rows of 3 columns. Expect ``regression_loss_on_classifier``.
    """
    model = keras.Sequential([keras.Input((20,)), layers.Dense(20), layers.Activation("relu"), layers.Dense(3),
                              layers.Activation("softmax")])
    return _compile(model, "mean_squared_error"), None, _one_hot(np.arange(12) % 3, 3)


@case(expected={"regression_loss_on_classifier"})
def so_34673164_softmax_two_mse():
    """https://stackoverflow.com/questions/34673164 -- DeepLocalize benchmark: 16 features, tanh layers,
    ``Dense(2)`` + ``Activation('softmax')``, ``loss='mean_squared_error'``, 'accuracy', labels
    ``to_categorical`` of two classes. Fix: binary cross-entropy (and BatchNormalization). Expect
    ``regression_loss_on_classifier``.
    """
    model = keras.Sequential([keras.Input((16,)), layers.Dense(8), layers.Activation("tanh"), layers.Dense(2),
                              layers.Activation("softmax")])
    return _compile(model, "mean_squared_error"), None, _one_hot(np.arange(12) % 2, 2)


@case(expected={"regression_loss_on_classifier"})
def so_31556268_xor_sigmoid_mae():
    """https://stackoverflow.com/questions/31556268 -- DeepLocalize benchmark: XOR, ``Dense(1)`` +
    ``Activation('sigmoid')``, ``loss='mean_absolute_error'``, 'accuracy' stuck at 0.5 (loss 0.2515). The
    benchmark's fix is MSE + adam + more epochs; a 0/1 target on a sigmoid is a classifier, for which MAE's
    gradient does not grow with the error. Expect ``regression_loss_on_classifier``.
    """
    model = keras.Sequential([keras.Input((2,)), layers.Dense(4), layers.Activation("sigmoid"), layers.Dense(1),
                              layers.Activation("sigmoid")])
    x = np.array([[1, 1], [1, 0], [0, 0], [0, 1]], "float32")
    return _compile(model, "mean_absolute_error"), x, np.array([[0], [1], [0], [1]], "float32")


@case(expected={"regression_loss_on_classifier", "accuracy_on_regression"})
def so_48385830_mnist_linear_mse():
    """https://stackoverflow.com/questions/48385830 -- DeepLocalize benchmark: MNIST (pixels / 255, one-hot
    labels), ``Dense(30)`` and ``Dense(10)`` with no activation at all, ``loss='mean_squared_error'``,
    'accuracy' (0.099, loss NaN with SGD(lr=3.0)). Fix: sigmoid hidden layer, softmax output, categorical
    cross-entropy. A linear classifier trained by MSE; expect a finding that says so.
    """
    model = keras.Sequential([keras.Input((64,)), layers.Dense(30), layers.Dense(10)])
    return _compile(model, "mean_squared_error"), None, _one_hot(np.arange(12) % 10, 10)


@case(expected={"probabilities_expected"})
def so_44066044_relu_output_bce():
    """https://stackoverflow.com/questions/44066044 -- DeepLocalize benchmark: 11 features,
    ``Dense(1, kernel_initializer='normal')`` + ``Activation('relu')``, ``loss='binary_crossentropy'``, 'accuracy'
    (loss 9.55). Fix: sigmoid (and scaled inputs). Expect ``probabilities_expected``.
    """
    model = keras.Sequential([keras.Input((11,)), layers.Dense(12), layers.Activation("relu"), layers.Dense(1),
                              layers.Activation("relu")])
    return _compile(model, "binary_crossentropy"), None, (np.arange(12) % 2).astype("float32")


@case(expected={"probabilities_expected"})
def so_47352366_relu_output_categorical():
    """https://stackoverflow.com/questions/47352366 -- DeepLocalize benchmark: MNIST,
    ``Dense(units=10, activation="relu")`` with ``keras.losses.categorical_crossentropy`` (loss NaN, accuracy
    0.06). Fix: softmax. Expect ``probabilities_expected``.
    """
    model = keras.Sequential([*_body(), layers.Dense(10, activation="relu")])
    model.compile(optimizer="sgd", loss=keras.losses.categorical_crossentropy, metrics=["accuracy"])
    return model, None, _one_hot(np.arange(12) % 10, 10)


@case(expected={"sigmoid_with_categorical_loss"})
def so_51930566_iris_sigmoid_categorical():
    """https://stackoverflow.com/questions/51930566 -- DeepLocalize benchmark: iris, one-hot labels,
    ``Dense(3, init='normal', activation='sigmoid')``, ``loss='categorical_crossentropy'``, 'accuracy' (0.64).
    Fix: softmax. Expect ``sigmoid_with_categorical_loss``.
    """
    model = keras.Sequential([keras.Input((4,)), layers.Dense(4, activation="relu"),
                              layers.Dense(3, activation="sigmoid")])
    return _compile(model, "categorical_crossentropy"), _X, _one_hot(np.arange(12) % 3, 3)


@case(expected={"sigmoid_with_categorical_loss"})
def so_59278771_iris_sigmoid_categorical_unscaled():
    """https://stackoverflow.com/questions/59278771 -- DeepLocalize benchmark: iris (unscaled), ``Dense(3)`` +
    ``Activation('sigmoid')``, ``loss='categorical_crossentropy'``, 'accuracy' (0.35). Fix: MinMaxScaler, a
    wider hidden layer and softmax. Expect ``sigmoid_with_categorical_loss``.
    """
    model = keras.Sequential([keras.Input((4,)), layers.Dense(4), layers.Activation("relu"), layers.Dense(3),
                              layers.Activation("sigmoid")])
    x = np.tile(np.array([[5.1, 3.5, 1.4, 0.2], [7.0, 3.2, 4.7, 1.4], [6.3, 3.3, 6.0, 2.5]], "float32"), (4, 1))
    return _compile(model, "categorical_crossentropy"), x, _one_hot(np.arange(12) % 3, 3)


@case(expected={"sigmoid_with_categorical_loss"})
def so_55328966_mnist_sigmoid_categorical_raw_pixels():
    """https://stackoverflow.com/questions/55328966 -- DeepLocalize benchmark: MNIST from CSV, raw pixels
    0..255 (not divided), ``Dense(10)`` + ``Activation('sigmoid')``, ``loss='categorical_crossentropy'``,
    'accuracy' 0.099 (loss 2.3025). Fix: pixels / 255 and softmax. Expect ``sigmoid_with_categorical_loss``
    (compile; the unscaled pixels are a second fault).
    """
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((64,)), layers.Dense(64), layers.Dense(16), layers.Activation("relu"),
                              layers.Dense(10), layers.Activation("sigmoid")])
    _compile(model, "categorical_crossentropy")
    x = np.random.default_rng(4).integers(0, 256, size=(20, 64)).astype("float32")
    return model, x, _one_hot(np.arange(20) % 10, 10)


@case(expected={"regression_loss_on_classifier", "labels_outside_output_range"})
def so_48221692_sigmoid_regression():
    """https://stackoverflow.com/questions/48221692 -- DeepLocalize benchmark: a linear regression (one input,
    targets in the hundreds; loss 2311), ``Dense(1)`` + ``Activation('sigmoid')``, ``loss='mean_squared_error'``,
    'accuracy'. Fix: linear output. The sigmoid cannot reach the targets: expect ``labels_outside_output_range``
    (with y); from compile, ``regression_loss_on_classifier`` (its action: linear output for continuous targets).
    """
    model = keras.Sequential([keras.Input((1,)), layers.Dense(5), layers.Activation("sigmoid"), layers.Dense(1),
                              layers.Activation("sigmoid")])
    y = np.array([12.0, 35.5, 61.0, 88.2, 120.4, 150.0], "float32")
    return _compile(model, "mean_squared_error"), None, y


@case(expected={"labels_outside_output_range"}, needs_data=True)
def so_48251943_relu_output_negative_targets():
    """https://stackoverflow.com/questions/48251943 -- DeepLocalize benchmark: regression, ``Dense(1)`` +
    ``Activation('relu')``, ``loss='mean_squared_error'``, ``metrics=['MSE']``; the targets (Book1.csv column 1)
    run from -1.053 to 2.712, so the relu cannot output the negative ones. Fix: tanh. Expect
    ``labels_outside_output_range`` (with y).
    """
    model = keras.Sequential([keras.Input((2,)), layers.Dense(4), layers.Activation("relu"), layers.Dense(1),
                              layers.Activation("relu")])
    y = np.array([2.468, 1.638, 0.266, 1.292, -1.053, 2.712, -0.2, 0.9], "float32")
    return _compile(model, "mean_squared_error", ("MSE",)), None, y


@case(expected={"labels_outside_output_range"}, needs_data=True)
def so_50079585_three_classes_one_sigmoid():
    """https://stackoverflow.com/questions/50079585 -- DeepLocalize benchmark: car-damage images in three class
    folders (01-minor, 02-moderate, 03-severe) read with ``flow_from_directory(class_mode='binary')`` (labels
    0, 1, 2), ``Dense(1)`` + ``Activation('sigmoid')``, ``loss='binary_crossentropy'``. Fix: ``Dense(3)``,
    softmax, categorical cross-entropy. Expect ``labels_outside_output_range`` (with y).
    """
    model = keras.Sequential([keras.Input((8, 8, 3)), layers.Conv2D(4, 3), layers.Activation("relu"),
                              layers.Flatten(), layers.Dense(8), layers.Activation("relu"), layers.Dropout(0.5),
                              layers.Dense(1), layers.Activation("sigmoid")])
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    return model, None, np.array([0, 1, 2, 2, 1, 0, 0, 2], "float32")


@case(expected={"labels_out_of_range"}, needs_data=True)
def so_59325381_labels_divided_by_255():
    """https://stackoverflow.com/questions/59325381 -- DeepLocalize benchmark: MNIST CNN, ``Dense(10)`` +
    ``Activation('softmax')``, ``loss='sparse_categorical_crossentropy'``, with ``y_train = y_train / 255``
    (the labels were scaled like the pixels; shape (60000, 1)). Fix: leave the labels alone (and one-hot them).
    Expect ``labels_out_of_range`` (class indices that are not whole numbers).
    """
    model = keras.Sequential([keras.Input((8, 8, 1)), layers.Conv2D(4, 3, padding="same"), layers.MaxPooling2D(),
                              layers.Flatten(), layers.Dense(8), layers.Activation("relu"), layers.Dense(10),
                              layers.Activation("softmax")])
    _compile(model, "sparse_categorical_crossentropy")
    return model, None, (np.arange(12) % 10).reshape(12, 1).astype("float32") / 255


@case(expected={"initial_loss_high"}, needs_data=True)
def so_48594888_cnn_raw_pixels():
    """https://stackoverflow.com/questions/48594888 -- DeepLocalize benchmark: a CIFAR-10 CNN ending in
    ``Dense(10)`` + ``Activation('softmax')``, categorical cross-entropy, trained on raw pixels 0..255 (accuracy
    0.48). The benchmark's fix divides by 255 (and changes kernel size, width, dropout, batch size). Rebuilt
    with he_normal kernels as in the post. Expect ``initial_loss_high`` (with x).
    """
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((8, 8, 3)),
                              layers.Conv2D(16, 3, activation="relu", kernel_initializer="he_normal"),
                              layers.Flatten(), layers.Dense(32), layers.Activation("relu"), layers.Dropout(0.3),
                              layers.Dense(10), layers.Activation("softmax")])
    _compile(model, "categorical_crossentropy")
    x = np.random.default_rng(5).integers(0, 256, size=(20, 8, 8, 3)).astype("float32")
    return model, x, _one_hot(np.arange(20) % 10, 10)


# Out of scope: the benchmark's fault is not in the model's compile contract or labels


@out_of_scope(allowed={"accuracy_on_regression"})
def so_48934338_learning_rate():
    """https://stackoverflow.com/questions/48934338 -- DeepLocalize benchmark: regression, ``Dense(1)`` +
    ``Activation('linear')``, ``loss='mse'``, 'accuracy', ``SGD(lr=0.1)``; the fix is ``lr=0.001``. Out of scope
    (learning rate); 'accuracy' on the regression is a true second fault.
    """
    model = keras.Sequential([keras.Input((1,)), layers.Dense(50), layers.Activation("relu"), layers.Dense(30),
                              layers.Activation("relu"), layers.Dense(1), layers.Activation("linear")])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse", metrics=["accuracy"])
    return model, None, np.array([3.0, 7.5, 12.1, 30.2], "float32")


@out_of_scope(allowed={"initial_loss_high"})
def so_39525358_unscaled_features():
    """https://stackoverflow.com/questions/39525358 -- DeepLocalize benchmark: 3 features, relu layers,
    ``Dense(1)`` + ``Activation('sigmoid')``, binary cross-entropy, 'acc' (0.615). Fix: StandardScaler on X.
    Out of scope from compile; feature scales not in the post, so no x here.
    """
    model = keras.Sequential([keras.Input((3,)), layers.Dense(12), layers.Activation("relu"), layers.Dense(3),
                              layers.Activation("relu"), layers.Dense(1), layers.Activation("sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc"])
    return model, None, np.array([0, 1, 1, 0, 1], "float32")


@out_of_scope()
def so_52800582_unscaled_regression():
    """https://stackoverflow.com/questions/52800582 -- DeepLocalize benchmark: fitting a curve, ``Dense(50)`` +
    sigmoid, ``Dense(50)`` + elu, ``Dense(1)``, ``loss='mse'`` (loss 11112). Fix: StandardScaler on x and y.
    Out of scope (scaling; the model itself is a correct regression).
    """
    model = keras.Sequential([keras.Input((1,)), layers.Dense(50), layers.Activation("sigmoid"), layers.Dense(50),
                              layers.Activation("elu"), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    x = np.linspace(0, 100, 8, dtype="float32").reshape(8, 1)
    return model, x, (x[:, 0] ** 2).astype("float32")


@out_of_scope()
def so_47724077_optimizer():
    """https://stackoverflow.com/questions/47724077 -- DeepLocalize benchmark: adult census, one-hot features,
    ``Dense(2)`` + ``Activation('softmax')``, categorical cross-entropy, 'accuracy'; the fix swaps adam for sgd.
    Out of scope (optimiser); the head is correct.
    """
    model = keras.Sequential([keras.Input((14,)), layers.Dense(21), layers.Activation("relu"), layers.Dense(2),
                              layers.Activation("softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model, None, _one_hot(np.arange(12) % 2, 2)


# Correct models (fixed versions, or heads the benchmark patches although they are consistent)


@case()
def so_31880720_fixed_sigmoid_bce():
    """https://stackoverflow.com/questions/31880720 -- the benchmark's fix: ``Dense(1, activation='sigmoid')``
    with binary cross-entropy and 'accuracy'. Correct."""
    model = keras.Sequential([keras.Input((128,)), layers.Dense(8, activation="relu"),
                              layers.Dense(1, activation="sigmoid")])
    x = np.random.default_rng(6).normal(size=(12, 128)).astype("float32")
    return _compile(model, "binary_crossentropy"), x, (np.arange(12) % 2).astype("float32")


@case()
def so_51930566_fixed_iris_softmax():
    """https://stackoverflow.com/questions/51930566 -- the fix: ``Dense(3, activation='softmax')``,
    categorical cross-entropy, one-hot iris labels. Correct."""
    model = keras.Sequential([keras.Input((4,)), layers.Dense(4, activation="relu"),
                              layers.Dense(3, activation="softmax")])
    return _compile(model, "categorical_crossentropy"), _X, _one_hot(np.arange(12) % 3, 3)


@case()
def so_48385830_fixed_sigmoid_softmax():
    """https://stackoverflow.com/questions/48385830 -- the fix: ``Dense(30, activation='sigmoid')``,
    ``Dense(10, activation='softmax')``, categorical cross-entropy, 'accuracy', pixels / 255. Correct."""
    model = keras.Sequential([keras.Input((64,)), layers.Dense(30, activation="sigmoid"),
                              layers.Dense(10, activation="softmax")])
    x = np.random.default_rng(7).uniform(size=(20, 64)).astype("float32")
    return _compile(model, "categorical_crossentropy"), x, _one_hot(np.arange(20) % 10, 10)


@case()
def so_50481178_sigmoid_one_unit():
    """https://stackoverflow.com/questions/50481178 -- benchmark's "buggy" version: one class from
    ``make_multilabel_classification`` (labels 0/1), ``Dense(1)`` + sigmoid, binary cross-entropy, 'accuracy'
    (0.994). The benchmark's patch (2 softmax units + sparse loss) is equivalent; this head is correct."""
    model = keras.Sequential([keras.Input((4,)), layers.Dense(10, activation="relu"), layers.Dense(20),
                              layers.Activation("relu"), layers.Dense(1), layers.Activation("sigmoid")])
    return _compile(model, "binary_crossentropy"), _X, (np.arange(12) % 2).astype("float32")


@case()
def so_50481178_fixed_softmax_two_sparse():
    """https://stackoverflow.com/questions/50481178 -- the benchmark's patch: ``Dense(2, activation='softmax')``
    with ``sparse_categorical_crossentropy`` and labels 0/1. Correct."""
    model = keras.Sequential([keras.Input((4,)), layers.Dense(10, activation="relu"),
                              layers.Dense(2, activation="softmax")])
    return _compile(model, "sparse_categorical_crossentropy"), _X, np.arange(12) % 2


@case()
def so_41372874_no_issue():
    """https://stackoverflow.com/questions/41372874 -- in the benchmark with the note "No issue in the
    structure": 2 features, relu layers, ``Dense(1)`` + ``Activation('sigmoid')``, binary cross-entropy,
    'accuracy', integer labels 0/1. Correct."""
    model = keras.Sequential([keras.Input((2,)), layers.Dense(2), layers.Activation("relu"), layers.Dense(2),
                              layers.Activation("relu"), layers.Dense(1), layers.Activation("sigmoid")])
    return _compile(model, "binary_crossentropy"), _X[:, :2], np.arange(12) % 2


@case()
def so_31627380_softmax_two_categorical():
    """https://stackoverflow.com/questions/31627380 -- benchmark's "buggy" version: ``Dense(2)`` +
    ``Activation('softmax')``, categorical cross-entropy, 'accuracy', ``to_categorical`` labels of two classes.
    The benchmark's patch (sigmoid + binary cross-entropy on the same two columns) is not needed: the head is
    consistent. Correct."""
    model = keras.Sequential([keras.Input((6,)), layers.Dense(16), layers.Activation("relu"), layers.Dropout(0.5),
                              layers.Dense(2), layers.Activation("softmax")])
    x = np.random.default_rng(8).normal(size=(12, 6)).astype("float32")
    return _compile(model, "categorical_crossentropy"), x, _one_hot(np.arange(12) % 2, 2)


@case()
def so_44164749_mnist_softmax_categorical():
    """https://stackoverflow.com/questions/44164749 -- benchmark's "buggy" version: MNIST / 255, one-hot labels,
    ``Dense(y_train.shape[1])`` + ``Activation('softmax')``, categorical cross-entropy, 'accuracy' (0.888). The
    patch (sigmoid + binary cross-entropy) is for multi-label data, which MNIST is not; this head is correct."""
    model = keras.Sequential([keras.Input((64,)), layers.Dense(50), layers.Activation("relu"), layers.Dropout(0.1),
                              layers.Dense(10), layers.Activation("softmax")])
    x = np.random.default_rng(9).uniform(size=(20, 64)).astype("float32")
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9, nesterov=True),
                  loss="categorical_crossentropy", metrics=["accuracy"])
    return model, x, _one_hot(np.arange(20) % 10, 10)


# Held out, session 3 (continued): GitHub issues, found with the code-search index (seen 2026-12-02). The threads'
# Keras versions: Keras 0.x-2.x unless said; rebuilt for Keras 3.


@case(expected={"softmax_single_unit"})
def keras_6066_pima_softmax_one_unit():
    """https://github.com/keras-team/keras/issues/6066 -- Pima diabetes (8 features, labels 0/1) from a textbook,
    ``Dense(units=1)`` + ``Activation('softmax')``, ``loss='binary_crossentropy'``, 'accuracy' (the thread is about
    a compile error; the head is the fault). Expect ``softmax_single_unit``.
    """
    model = keras.Sequential([keras.Input((8,)), layers.Dense(12), layers.Activation("relu"), layers.Dense(8),
                              layers.Activation("relu"), layers.Dense(1), layers.Activation("softmax")])
    return _compile(model, "binary_crossentropy"), None, np.array([1, 0, 1, 0, 1, 0], "float32")


@case(expected={"softmax_single_unit", "categorical_loss_single_unit"})
def keras_11441_population_softmax_sparse():
    """https://github.com/keras-team/keras/issues/11441 -- predicting China's population (targets in the
    hundreds of millions) from the year: ``Dense(1, activation='softmax')``,
    ``loss="sparse_categorical_crossentropy"``, 'accuracy'; InvalidArgumentError. A regression posed as a
    one-unit softmax classifier. Expect ``softmax_single_unit`` / ``categorical_loss_single_unit``.
    """
    model = keras.Sequential([keras.Input((1,)), layers.Dense(10, activation="relu"),
                              layers.Dense(32, activation="relu"), layers.Dense(1, activation="softmax")])
    y = np.array([5.56e8, 6.60e8, 8.18e8, 9.81e8, 1.14e9, 1.26e9], "float32")
    return _compile(model, "sparse_categorical_crossentropy"), None, y


@case(expected={"labels_out_of_range"}, needs_data=True)
def tensor2tensor_1264_normalised_targets_sparse():
    """https://github.com/tensorflow/tensor2tensor/issues/1264 -- "accuracy is always zero while loss is
    decreasing": targets read from "basf_targets_rand_normalized.csv" (shape (1029,), continuous), a
    ``Dense(1029, activation=tf.nn.softmax)`` output with ``loss='sparse_categorical_crossentropy'``,
    'accuracy'. Class indices that are not whole numbers. Shrunk to 12 units. Expect ``labels_out_of_range``.
    """
    model = keras.Sequential([keras.Input((40,)), layers.Flatten(), layers.Dense(16, activation="relu"),
                              layers.Dense(12, activation="softmax")])
    y = np.random.default_rng(10).uniform(size=12).astype("float32")
    return _compile(model, "sparse_categorical_crossentropy"), None, y


@case(expected={"label_format_mismatch"}, needs_data=True)
def keras_7339_class_indices_categorical():
    """https://github.com/keras-team/keras/issues/7339 -- "expected dense_14 to have shape (None, 2) but got
    array with shape (928, 1)": a two-unit softmax (assumed) trained with categorical cross-entropy on one class
    index per sample; the answers: one-hot the labels or use sparse_categorical_crossentropy. Expect
    ``label_format_mismatch`` (with y).
    """
    model = keras.Sequential([*_body(), layers.Dense(2, activation="softmax")])
    return _compile(model, "categorical_crossentropy"), None, (np.arange(12) % 2).reshape(12, 1)


@case(expected={"class_count_mismatch"}, needs_data=True)
def deepmoji_36_labels_from_one_one_hot():
    """https://github.com/bfelbo/DeepMoji/issues/36 -- 5 classes labelled 1..5: "expected softmax to have shape
    (None, 5) but got array with shape (116, 6)" (one-hot encoding counts classes from 0). Five-unit softmax
    with categorical cross-entropy (DeepMoji's head for more than two classes). Expect ``class_count_mismatch``.
    """
    model = keras.Sequential([keras.Input((30,)), layers.Dense(8, activation="relu"),
                              layers.Dense(5, activation="softmax")])
    return _compile(model, "categorical_crossentropy"), None, _one_hot(1 + np.arange(12) % 5, 6)


@case(expected={"multi_label_categorical_loss"}, needs_data=True)
def keras_741_multilabel_softmax():
    """https://github.com/keras-team/keras/issues/741 -- "How to train a multi-label Classifier": "I need train a
    multi-label softmax classifier"; targets like ``1 0 1 0 0 0 0`` (7 labels); the answer: "Don't use softmax.
    Use sigmoid units ... and binary_crossentropy". Assumed ``Dense(7, activation='softmax')`` with categorical
    cross-entropy. Only the labels show it: expect a finding about several 1s per row under a softmax.
    """
    model = keras.Sequential([*_body(), layers.Dense(7, activation="softmax")])
    y = np.array([[1, 0, 1, 0, 0, 0, 0], [0, 1, 0, 0, 1, 1, 0], [1, 0, 0, 0, 0, 0, 0], [0, 0, 0, 1, 0, 0, 1]],
                 "float32")
    return _compile(model, "categorical_crossentropy"), _X[:4], y


@case(expected={"exact_match_accuracy"})
def keras_18393_accuracy_class_on_softmax():
    """https://github.com/keras-team/keras/issues/18393 -- "Accurarcy() does not work, but 'accuracy' does"
    (TF 2.13): ``metrics=[Accuracy()]`` shows accuracy 0.0000e+00 at loss 0.2548 over 469 steps (MNIST). The
    head is not in the excerpt; assumed ``Dense(10, activation='softmax')`` with sparse categorical cross-entropy.
    ``keras.metrics.Accuracy`` counts exact equality of labels and outputs. Expect a finding about it.
    """
    model = keras.Sequential([keras.Input((64,)), layers.Dense(16, activation="relu"),
                              layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=[keras.metrics.Accuracy()])
    return model, None, np.arange(12) % 10


@case(expected={"exact_match_accuracy"})
def keras_18796_accuracy_class_binary():
    """https://github.com/keras-team/keras/issues/18796 -- "tf.keras.metrics.Accuracy() ... output of 0.0 for every
    epoch"; fchollet: "'accuracy' gets converted to either BinaryAccuracy or CategoricalAccuracy ... Just specify
    one of these 2 instead of Accuracy (which used direct value comparison). You probably need BinaryAccuracy."
    Assumed a one-unit sigmoid with binary cross-entropy. Expect a finding about ``Accuracy()``.
    """
    model = keras.Sequential([*_body(), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[keras.metrics.Accuracy()])
    return model, None, (np.arange(12) % 2).astype("float32")


@case(expected={"accuracy_resolves_to_categorical"})
def suraj_deshmukh_4_multilabel_accuracy():
    """https://github.com/suraj-deshmukh/Keras-Multi-Label-Image-Classification/issues/4 (model.py at commit
    391d63c3e48723480decae638839d37cf6d7c936) -- multi-label images (5 labels), ``Dense(5)`` +
    ``Activation('sigmoid')``, binary cross-entropy (the issue asks for categorical cross-entropy; the author
    rightly keeps binary), 'accuracy' and a checkpoint on ``val_acc``. In Keras 3 'accuracy' is argmax
    accuracy here. Expect ``accuracy_resolves_to_categorical``.
    """
    model = keras.Sequential([keras.Input((12, 12, 3)), layers.Conv2D(4, 3, padding="same"),
                              layers.Activation("relu"), layers.Flatten(), layers.Dense(16),
                              layers.Activation("relu"), layers.Dropout(0.5), layers.Dense(5),
                              layers.Activation("sigmoid")])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9, nesterov=True),
                  loss="binary_crossentropy", metrics=["accuracy"])
    y = np.array([[1, 0, 0, 1, 0], [0, 1, 1, 0, 0], [0, 0, 0, 0, 1], [1, 1, 0, 0, 1]], "float32")
    return model, None, y


@case(expected={"accuracy_resolves_to_categorical"})
def bzamecnik_ml_46_chords_multilabel_sequence():
    """https://github.com/bzamecnik/ml/issues/46 (chord-recognition/lstm_chord_classification_training.py at
    commit 006453879ec8ad66e98a582c334b779702efcbac) -- chord recognition, 12 pitch classes per frame
    (multi-label, as the author answers), ``TimeDistributed(Dense(12, activation='sigmoid'))`` over LSTM
    sequences, binary cross-entropy, 'accuracy'. In Keras 3 'accuracy' is argmax accuracy per frame. Expect
    ``accuracy_resolves_to_categorical``.
    """
    model = keras.Sequential([keras.Input((10, 6)), layers.LSTM(8, return_sequences=True), layers.Dropout(0.25),
                              layers.TimeDistributed(layers.Dense(12, activation="sigmoid"))])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    y = (np.random.default_rng(11).uniform(size=(4, 10, 12)) > 0.7).astype("float32")
    return model, None, y


@case()
def keras_3109_one_hot_fix():
    """https://github.com/keras-team/keras/issues/3109 -- a commenter's fix: ``y_train = to_categorical(y_train,
    10)`` for ``Dense(10)`` + softmax with categorical cross-entropy (labels 2, 3, 7). Correct."""
    model = keras.Sequential([keras.Input((2,)), layers.Dense(64), layers.Activation("relu"), layers.Dense(10),
                              layers.Activation("softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
    x = np.array([[1, 2], [6, 5], [8, 2]], "float32")
    return model, x, _one_hot([2, 3, 7], 10)


@case()
def keras_741_multilabel_sigmoid_answer():
    """https://github.com/keras-team/keras/issues/741 -- the answer: sigmoid units and binary cross-entropy
    for 7 labels (``1 0 1 0 0 0 0``), thresholding ``predict`` at 0.5; no metric. Correct."""
    model = keras.Sequential([*_body(), layers.Dense(7, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    y = np.array([[1, 0, 1, 0, 0, 0, 0], [0, 1, 0, 0, 1, 1, 0], [1, 0, 0, 0, 0, 0, 0], [0, 0, 0, 1, 0, 0, 1]],
                 "float32")
    return model, _X[:4], y


@case()
def keras_18796_binary_accuracy_fix():
    """https://github.com/keras-team/keras/issues/18796 -- fchollet's fix: ``keras.metrics.BinaryAccuracy()``
    instead of ``Accuracy()`` on the one-unit sigmoid. Correct."""
    model = keras.Sequential([*_body(), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[keras.metrics.BinaryAccuracy()])
    return model, _X, (np.arange(12) % 2).astype("float32")


HELD_OUT = list(CASES)[_FIRST_HELD_OUT:] + list(OUT_OF_SCOPE)


BUILDERS = {name: globals()[name] for name in [*CASES, *OUT_OF_SCOPE]}
