"""A training history as a tidy table, without importing Keras (reading a history must stay cheap)."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["history_frame"]


def history_frame(history: Any | Mapping[str, Sequence[float]]) -> pd.DataFrame:
    """Turn a Keras ``History`` (or its ``.history`` dict) into a tidy table.

    Explained in :doc:`/chapters/low_learning_rate`.

    Keras is not imported: a ``History`` can only exist once Keras is loaded, so it is recognised
    through ``sys.modules``.

    Parameters
    ----------
    history : keras.callbacks.History or dict of str to list of float
        What ``model.fit`` returned, or its ``history`` attribute.

    Returns
    -------
    pandas.DataFrame
        Column ``epoch`` (counted from 1), then the training metrics (``loss``, ``accuracy``, ...)
        and then the validation ones (``val_loss``, ...), one row per epoch.

    Raises
    ------
    TypeError
        If ``history`` is neither a ``History`` nor a dict.
    ValueError
        If it is empty or its metrics have different lengths.

    Examples
    --------
    >>> history_frame({"loss": [0.7, 0.6], "val_loss": [0.8, 0.7]}).columns.tolist()
    ['epoch', 'loss', 'val_loss']
    """
    keras = sys.modules.get("keras")
    if keras is not None and isinstance(history, keras.callbacks.History):
        history = history.history
    if not isinstance(history, Mapping):
        raise TypeError(f"history must be a keras History or a dict of lists; got {type(history).__name__}")
    if not history:
        raise ValueError("history is empty: no metric was recorded (did fit run for at least one epoch?)")
    lengths = {name: len(values) for name, values in history.items()}
    if len(set(lengths.values())) != 1:
        raise ValueError(f"all metrics must have one value per epoch; got lengths {lengths}")
    # "loss" first, then the metrics in the order Keras recorded them; validation columns after
    names = sorted(history, key=lambda name: (name.startswith("val_"), name.removeprefix("val_") != "loss"))
    train_cols = [name for name in names if not name.startswith("val_")]
    val_cols = [name for name in names if name.startswith("val_")]
    frame = pd.DataFrame({name: np.asarray(history[name], dtype="float64") for name in train_cols + val_cols})
    frame.insert(0, "epoch", np.arange(1, len(frame) + 1))
    return frame
