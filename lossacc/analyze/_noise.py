"""How much an accuracy curve can wiggle: steps of 1/n, the binomial band, and one-epoch dips.

An accuracy measured on ``n`` samples is a count divided by ``n``: it moves in steps of ``1/n``, and
as an estimate of the model's accuracy on new data it carries a binomial standard error
``sqrt(p (1 - p) / n)``. :func:`lossacc.find_dips` finds the epochs at which a curve falls for one epoch and
comes back, and :func:`lossacc.early_stopping_epoch` replays Keras' ``EarlyStopping`` rule on a recorded
history, to show where a given patience would have stopped (used in :doc:`/chapters/validation_dips`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lossacc._validation import check_bool, check_positive_int

__all__ = ["accuracy_standard_error", "binomial_band", "infer_num_samples", "find_dips", "early_stopping_epoch"]


def _as_accuracy(name: str, accuracy: Any) -> np.ndarray:
    try:
        values = np.array(accuracy, dtype="float64", copy=True)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be a number or an array of numbers in [0, 1]; got {type(accuracy).__name__}"
        ) from None
    if values.size == 0:
        raise ValueError(f"{name} is empty; give at least one accuracy")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} contains NaN or infinite values; accuracies must be in [0, 1]")
    if values.min() < 0 or values.max() > 1:
        raise ValueError(
            f"{name} must hold accuracies in [0, 1]; got values from {values.min():.4g} to {values.max():.4g}"
        )
    return values


def _as_count(name: str, num_samples: Any) -> np.ndarray:
    if isinstance(num_samples, (bool, np.bool_)):
        raise TypeError(f"{name} must be a positive integer (a sample count); got {num_samples!r}")
    if isinstance(num_samples, (int, np.integer)) and not isinstance(num_samples, bool):
        return np.asarray(check_positive_int(name, num_samples))
    try:
        counts = np.array(num_samples, copy=True)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be a positive integer or an array of them; got {type(num_samples).__name__}"
        ) from None
    if counts.dtype.kind not in "iu" or counts.size == 0 or counts.min() < 1:
        raise ValueError(f"{name} must hold positive integers (sample counts); got {num_samples!r}")
    return counts


def _maybe_scalar(values: np.ndarray) -> float | np.ndarray:
    return float(values) if values.ndim == 0 else values


def accuracy_standard_error(accuracy: Any, num_samples: Any) -> float | np.ndarray:
    """Binomial standard error of an accuracy measured on ``num_samples`` samples.

    Explained in :doc:`/chapters/validation_dips`.

    If each of ``n`` independent samples is right with probability ``p``, the measured accuracy
    (the share that is right) has standard deviation ``sqrt(p (1 - p) / n)``. It says how precisely
    one accuracy on ``n`` samples measures the model's accuracy on new data (the resolution of the
    set). It is not a noise level for epoch-to-epoch changes on a *fixed* validation set: the
    samples do not change between epochs, so every such change is the model changing.

    Parameters
    ----------
    accuracy : float or array-like
        Accuracy ``p`` in [0, 1] (the true one, or the measured one as an estimate).
    num_samples : int or array-like of int
        Number of samples ``n`` the accuracy is measured on (>= 1); broadcast against ``accuracy``.

    Returns
    -------
    float or numpy.ndarray
        ``sqrt(p (1 - p) / n)``; a float when both arguments are scalars.

    Raises
    ------
    ValueError
        If an accuracy is outside [0, 1] or a sample count is < 1.
    TypeError
        If the arguments are not numbers.

    Examples
    --------
    >>> round(accuracy_standard_error(0.9, 100), 4)
    0.03
    """
    p = _as_accuracy("accuracy", accuracy)
    n = _as_count("num_samples", num_samples)
    return _maybe_scalar(np.sqrt(p * (1.0 - p) / n))


def binomial_band(
    accuracy: Any, num_samples: Any, num_standard_errors: float = 2.0
) -> tuple[float | np.ndarray, float | np.ndarray]:
    """The band ``p ± z * sqrt(p (1 - p) / n)``, clipped to [0, 1].

    Explained in :doc:`/chapters/validation_dips`.

    About 95% of accuracies measured on ``n`` fresh samples fall inside the band for ``z = 2``
    (the normal approximation; rough for ``n p`` or ``n (1 - p)`` below ~10).

    Parameters
    ----------
    accuracy : float or array-like
        Accuracy ``p`` in [0, 1].
    num_samples : int or array-like of int
        Sample count ``n`` (>= 1).
    num_standard_errors : float, default 2.0
        Half-width of the band in standard errors (``z``), > 0.

    Returns
    -------
    (low, high) : floats or numpy.ndarrays

    Examples
    --------
    >>> low, high = binomial_band(0.9, 100)
    >>> round(low, 2), round(high, 2)
    (0.84, 0.96)
    """
    number_types = (int, float, np.integer, np.floating)
    if isinstance(num_standard_errors, bool) or not isinstance(num_standard_errors, number_types):
        raise TypeError(f"num_standard_errors must be a positive number; got {num_standard_errors!r}")
    if not np.isfinite(num_standard_errors) or num_standard_errors <= 0:
        raise ValueError(f"num_standard_errors must be a finite number > 0; got {num_standard_errors}")
    p = _as_accuracy("accuracy", accuracy)
    half = num_standard_errors * np.asarray(accuracy_standard_error(p, num_samples))
    return _maybe_scalar(np.clip(p - half, 0.0, 1.0)), _maybe_scalar(np.clip(p + half, 0.0, 1.0))


def infer_num_samples(
    accuracies: Any, *, decimals: int = 4, max_samples: int = 100_000, tolerance: float | None = None
) -> int:
    """The smallest sample count ``n`` for which every accuracy is a multiple of ``1/n`` (after rounding).

    Explained in :doc:`/chapters/validation_dips`.

    An accuracy on ``n`` samples is ``k / n``. Given reported (rounded) accuracies, this finds the
    smallest ``n`` such that each value equals ``round(k / n, decimals)`` for some integer ``k``:
    a lower bound on the size of the set they were measured on (any multiple of ``n`` fits too).

    Parameters
    ----------
    accuracies : array-like of float
        Reported accuracies in [0, 1].
    decimals : int, default 4
        Number of decimals the values were rounded to.
    max_samples : int, default 100000
        Largest ``n`` to try.
    tolerance : float, optional
        How far a value may be from ``k / n``; default half a unit of the last decimal
        (``0.5 * 10**-decimals``). Pass ``1e-6`` for full-precision float32 values.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        If no ``n <= max_samples`` fits every value.

    Examples
    --------
    >>> infer_num_samples([0.25, 0.5, 0.75])
    4
    """
    values = _as_accuracy("accuracies", accuracies).reshape(-1)
    decimals = check_positive_int("decimals", decimals, minimum=0)
    max_samples = check_positive_int("max_samples", max_samples)
    if tolerance is None:
        tolerance = 0.5 * 10.0**-decimals
    else:
        from lossacc._validation import check_positive_float

        tolerance = check_positive_float("tolerance", tolerance)
    tolerance += 1e-12
    distinct = np.unique(values)
    for first in range(1, max_samples + 1, 512):  # 512 candidate sizes at a time
        sizes = np.arange(first, min(first + 512, max_samples + 1), dtype="float64")[:, None]
        fits = np.all(np.abs(np.round(distinct * sizes) / sizes - distinct) <= tolerance, axis=1)
        if fits.any():
            return int(sizes[np.argmax(fits), 0])
    raise ValueError(f"no sample count n <= {max_samples} makes every value a multiple of 1/n to {decimals} decimals")


def _dips_of(values: np.ndarray, epochs: np.ndarray, min_drop: float, recover: bool) -> pd.DataFrame:
    before, value = values[:-1], values[1:]
    after = np.append(values[2:], np.nan)
    drop = np.minimum(before, after) - value if recover else before - value
    keep = drop >= min_drop - 1e-12
    if recover:
        keep &= np.isfinite(after)
    return pd.DataFrame(
        {
            "epoch": epochs[1:][keep], "before": before[keep], "value": value[keep],
            "after": after[keep], "drop": drop[keep],
        }
    )


def find_dips(
    history: Any,
    column: str = "val_accuracy",
    min_drop: float = 0.1,
    *,
    recover: bool = True,
    by: str | None = None,
) -> pd.DataFrame:
    """Epochs at which a metric falls by at least ``min_drop`` in one epoch.

    Explained in :doc:`/chapters/validation_dips`.

    With ``recover=True`` (default) only *one-epoch dips* count: the value at epoch ``e`` is at least
    ``min_drop`` below both epoch ``e - 1`` and epoch ``e + 1``, and ``drop = min(before, after) -
    value``. With ``recover=False`` any one-epoch fall counts: ``drop = before - value``.

    Parameters
    ----------
    history : pandas.DataFrame or array-like
        A history table with ``epoch`` and ``column`` (from :func:`lossacc.train`, or many runs with
        a ``by`` column such as ``member`` or ``seed``), or a 1-D array of values for epochs 1, 2, ...
    column : str, default "val_accuracy"
        The metric to scan (ignored for an array).
    min_drop : float, default 0.1
        Smallest fall that counts (0.1 = 10 percentage points), > 0.
    recover : bool, default True
        Require the value to come back by ``min_drop`` at the next epoch.
    by : str, optional
        Column naming separate runs; dips are found within each run (and the column is kept).

    Returns
    -------
    pandas.DataFrame
        One row per dip: (``by``), ``epoch``, ``before``, ``value``, ``after`` (``nan`` at the last
        epoch with ``recover=False``), ``drop``. Empty (with these columns) when there is none.

    Raises
    ------
    ValueError
        Missing columns, non-finite values, ``min_drop <= 0``.
    TypeError
        ``history`` is neither a DataFrame nor numeric.

    Examples
    --------
    >>> find_dips([0.9, 0.9, 0.6, 0.9, 0.95])[["epoch", "drop"]].round(2).to_dict("records")
    [{'epoch': 3, 'drop': 0.3}]
    """
    if isinstance(min_drop, bool) or not isinstance(min_drop, (int, float, np.integer, np.floating)):
        raise TypeError(f"min_drop must be a positive number; got {min_drop!r}")
    if not np.isfinite(min_drop) or min_drop <= 0:
        raise ValueError(f"min_drop must be a finite number > 0; got {min_drop}")
    check_bool("recover", recover)
    columns = ["epoch", "before", "value", "after", "drop"]
    if not isinstance(history, pd.DataFrame):
        if by is not None:
            raise ValueError("by= needs a DataFrame with that column; got an array")
        try:
            values = np.array(history, dtype="float64", copy=True)
        except (TypeError, ValueError):
            raise TypeError(
                f"history must be a DataFrame or a 1-D array of numbers; got {type(history).__name__}"
            ) from None
        if values.ndim != 1:
            raise ValueError(f"history must be a 1-D array of values (one per epoch); got shape {values.shape}")
        history = pd.DataFrame({"epoch": np.arange(1, len(values) + 1), column: values})
    needed = ["epoch", column] + ([by] if by is not None else [])
    missing = [name for name in needed if name not in history.columns]
    if missing:
        raise ValueError(f"history has no column(s) {missing}; available columns: {list(history.columns)}")
    if not np.all(np.isfinite(history[column].to_numpy(dtype="float64"))):
        raise ValueError(f"history[{column!r}] contains NaN or infinite values")
    groups = [(None, history)] if by is None else list(history.groupby(by, sort=True))
    frames = []
    for key, part in groups:
        part = part.sort_values("epoch")
        values = part[column].to_numpy(dtype="float64")
        dips = _dips_of(values, part["epoch"].to_numpy(), float(min_drop), bool(recover))
        if by is not None:
            dips.insert(0, by, key)
        frames.append(dips)
    result = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return result.astype({"epoch": int}) if len(result) else result


def early_stopping_epoch(
    history: pd.DataFrame,
    monitor: str = "val_loss",
    *,
    patience: int = 0,
    min_delta: float = 0.0,
    mode: str = "auto",
    start_from_epoch: int = 0,
) -> tuple[int | None, int | None]:
    """Where ``keras.callbacks.EarlyStopping`` would have stopped a recorded run.

    Explained in :doc:`/chapters/validation_dips`.

    Replays the rule of Keras 3.15's callback (without ``baseline``) on a history table: the first
    monitored value is the best so far; a later value is an improvement when it beats the best by
    more than ``min_delta``; training stops at the end of the first epoch (after the first) at which
    ``patience`` epochs in a row have brought no improvement -- with ``patience=0``, the first
    epoch that does not improve. Epochs before ``start_from_epoch`` (counted from 0, as Keras does)
    are ignored.

    Parameters
    ----------
    history : pandas.DataFrame
        A table with ``epoch`` (from 1) and the ``monitor`` column, e.g. from :func:`lossacc.train`.
    monitor : str, default "val_loss"
        The column to watch.
    patience : int, default 0
        Epochs without improvement tolerated before stopping (>= 0).
    min_delta : float, default 0.0
        Smallest change that counts as an improvement (>= 0).
    mode : {"auto", "min", "max"}, default "auto"
        ``auto``: ``min`` for a loss (a name ending in ``loss``), ``max`` otherwise.
    start_from_epoch : int, default 0
        Number of warm-up epochs not monitored (Keras' argument).

    Returns
    -------
    (stop_epoch, best_epoch) : (int or None, int or None)
        The epoch (from 1) after which training would stop, ``None`` if it would run to the end;
        and the best monitored epoch up to then (``None`` if nothing was monitored).

    Raises
    ------
    ValueError
        Missing column, negative ``patience``/``min_delta``/``start_from_epoch``, unknown ``mode``.

    Examples
    --------
    >>> import pandas as pd
    >>> history = pd.DataFrame({"epoch": [1, 2, 3, 4], "val_accuracy": [0.8, 0.9, 0.7, 0.95]})
    >>> early_stopping_epoch(history, "val_accuracy", patience=0)
    (3, 2)
    """
    from lossacc._validation import check_choice

    if not isinstance(history, pd.DataFrame):
        raise TypeError(f"history must be a pandas DataFrame with an epoch column; got {type(history).__name__}")
    missing = [name for name in ("epoch", monitor) if name not in history.columns]
    if missing:
        raise ValueError(f"history has no column(s) {missing}; available columns: {list(history.columns)}")
    patience = check_positive_int("patience", patience, minimum=0)
    start_from_epoch = check_positive_int("start_from_epoch", start_from_epoch, minimum=0)
    if isinstance(min_delta, bool) or not isinstance(min_delta, (int, float, np.integer, np.floating)):
        raise TypeError(f"min_delta must be a number >= 0; got {min_delta!r}")
    if not np.isfinite(min_delta) or min_delta < 0:
        raise ValueError(f"min_delta must be a finite number >= 0; got {min_delta}")
    mode = check_choice("mode", mode, ("auto", "min", "max"))
    if mode == "auto":
        mode = "min" if monitor.endswith("loss") else "max"
    sign = -1.0 if mode == "min" else 1.0  # compare sign * value: larger is better
    part = history.sort_values("epoch")
    values = sign * part[monitor].to_numpy(dtype="float64")
    epochs = part["epoch"].to_numpy()
    best = best_epoch = None
    wait = 0
    for index, (epoch, value) in enumerate(zip(epochs, values)):
        if index < start_from_epoch:
            continue
        wait += 1
        if best is None or value - min_delta > best:
            best, best_epoch, wait = value, int(epoch), 0
            continue
        if wait >= patience and index > 0:
            return int(epoch), best_epoch
    return None, best_epoch
