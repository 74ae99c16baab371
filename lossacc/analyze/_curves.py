"""Summaries of learning curves, per run: when a metric first reaches a level, how long it stays stuck."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["epochs_to_reach", "initial_stall"]


def _groups(history: pd.DataFrame, column: str, by: str | Sequence[str] | None) -> list[str]:
    if not isinstance(history, pd.DataFrame):
        raise TypeError(f"history must be a pandas DataFrame; got {type(history).__name__}")
    by = [] if by is None else [by] if isinstance(by, str) else list(by)
    missing = [c for c in ["epoch", column, *by] if c not in history.columns]
    if missing:
        raise ValueError(f"history has no column(s) {missing}; available columns: {list(history.columns)}")
    if history.empty:
        raise ValueError("history is empty")
    return by


def _per_run(history: pd.DataFrame, by: list[str], summary) -> pd.DataFrame | float:
    if not by:
        return summary(history.sort_values("epoch"))
    rows = [
        {**dict(zip(by, key if isinstance(key, tuple) else (key,))), "value": summary(part.sort_values("epoch"))}
        for key, part in history.groupby(by, sort=False)
    ]
    return pd.DataFrame(rows)


def epochs_to_reach(
    history: pd.DataFrame,
    level: float,
    *,
    column: str = "accuracy",
    by: str | Sequence[str] | None = None,
) -> pd.DataFrame | float:
    """The first epoch at which ``column`` reaches ``level`` (``>=``), per run.

    Explained in :doc:`/chapters/low_learning_rate`.

    Parameters
    ----------
    history : pandas.DataFrame
        Tidy history with ``epoch`` and ``column`` (and the ``by`` columns for several runs).
    level : float
        The level to reach, e.g. 0.9 for 90% accuracy.
    column : str, default "accuracy"
    by : str or list of str, optional
        Columns identifying a run (e.g. ``["learning_rate", "hidden_units", "seed"]``).

    Returns
    -------
    float or pandas.DataFrame
        Without ``by``, the epoch (``nan`` if never reached). With ``by``, one row per run with
        the ``by`` columns and ``epochs`` (float, ``nan`` when never reached).

    Examples
    --------
    >>> epochs_to_reach(pd.DataFrame({"epoch": [1, 2, 3], "accuracy": [0.5, 0.8, 0.95]}), 0.9)
    3.0
    """
    by = _groups(history, column, by)

    def first(part: pd.DataFrame) -> float:
        reached = part[column].to_numpy() >= level
        return float(part["epoch"].to_numpy()[reached.argmax()]) if reached.any() else np.nan

    result = _per_run(history, by, first)
    return result.rename(columns={"value": "epochs"}) if isinstance(result, pd.DataFrame) else result


def initial_stall(
    history: pd.DataFrame,
    *,
    column: str = "accuracy",
    value: float | None = None,
    by: str | Sequence[str] | None = None,
) -> pd.DataFrame | int:
    """How many epochs, from the first, ``column`` stays exactly at its first value (or at ``value``).

    Explained in :doc:`/chapters/low_learning_rate`.

    Parameters
    ----------
    history : pandas.DataFrame
        Tidy history.
    column : str, default "accuracy"
    value : float, optional
        The stuck value (e.g. 0.5); default: the value at the first epoch.
    by : str or list of str, optional
        Columns identifying a run.

    Returns
    -------
    int or pandas.DataFrame
        The number of leading epochs equal to the value (0 if the first epoch differs already);
        with ``by``, one row per run with ``stall_epochs``.
    """
    by = _groups(history, column, by)

    def stall(part: pd.DataFrame) -> int:
        values = part[column].to_numpy()
        stuck = values == (values[0] if value is None else value)
        return int(len(values) if stuck.all() else stuck.argmin())

    result = _per_run(history, by, stall)
    return result.rename(columns={"value": "stall_epochs"}) if isinstance(result, pd.DataFrame) else result
