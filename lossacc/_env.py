"""Quiet, deterministic TensorFlow defaults, applied before Keras is first imported.

Importing ``lossacc`` sets (only where the user has not set them already):

* ``KERAS_BACKEND=tensorflow``;
* ``TF_ENABLE_ONEDNN_OPTS=0`` -- oneDNN's reordered float arithmetic changes results in the
  8th digit and prints a banner on stderr in some runs but not others;
* ``TF_CPP_MIN_LOG_LEVEL=3`` -- hides TensorFlow's C++ info, warning and error lines (tf.data prints a harmless ``E0000 ... NodeDef`` line at level 2).
"""

from __future__ import annotations

import os

DEFAULTS = {
    "KERAS_BACKEND": "tensorflow",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "TF_CPP_MIN_LOG_LEVEL": "3",
}


def apply_defaults() -> None:
    """Set the environment defaults above where they are not set yet."""
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
