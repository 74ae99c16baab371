"""Quiet, deterministic TensorFlow defaults, applied before Keras is first imported.

Importing ``lossacc`` sets (only where the user has not set them already):

* ``KERAS_BACKEND=tensorflow``;
* ``TF_ENABLE_ONEDNN_OPTS=0`` -- oneDNN's reordered float arithmetic changes results in the
  8th digit and prints a banner on stderr in some runs but not others;
* ``TF_CPP_MIN_LOG_LEVEL=3`` -- hides TensorFlow's C++ info, warning and error lines (tf.data prints a
  harmless ``E0000 ... NodeDef`` line at level 2).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator

DEFAULTS = {
    "KERAS_BACKEND": "tensorflow",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "TF_CPP_MIN_LOG_LEVEL": "3",
}


def apply_defaults() -> None:
    """Set the environment defaults above where they are not set yet."""
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)


class _DropRetracingWarning(logging.Filter):
    """Drops TensorFlow's "triggered tf.function retracing" warning (and nothing else)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "triggered tf.function retracing" not in record.getMessage()


@contextlib.contextmanager
def quiet_retracing() -> Iterator[None]:
    """Silence TensorFlow's "triggered tf.function retracing" warning while inside the block.

    The fast training paths compile a new function on every call (new variables, other shapes), by
    design; TensorFlow's retracing detector would report that after a few calls, into a notebook's
    output. Only that one message of the ``tensorflow`` logger is dropped.
    """
    logger, dropper = logging.getLogger("tensorflow"), _DropRetracingWarning()
    logger.addFilter(dropper)
    try:
        yield
    finally:
        logger.removeFilter(dropper)
