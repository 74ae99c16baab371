"""Argument checks shared by the public functions: clear messages naming what was given and what is valid."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np


def check_choice(name: str, value: Any, choices: Iterable[str]) -> str:
    """Return ``value`` lower-cased if it is one of ``choices``, else raise ``ValueError``/``TypeError``."""
    choices = tuple(choices)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, one of {list(choices)}; got {value!r} ({type(value).__name__})")
    key = value.lower()
    if key not in choices:
        raise ValueError(f"unknown {name} {value!r}; valid choices are {list(choices)}")
    return key


def check_positive_int(name: str, value: Any, minimum: int = 1) -> int:
    """Return ``value`` as ``int`` if it is an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer >= {minimum}; got {value!r} ({type(value).__name__})")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value}")
    return int(value)


def check_bool(name: str, value: Any) -> bool:
    """Return ``value`` as ``bool`` if it is ``True`` or ``False`` (NumPy booleans included)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {value!r} ({type(value).__name__})")
    return bool(value)


def check_seed(value: Any, name: str = "seed") -> int:
    """Return ``value`` as ``int`` if it is a non-negative integer (a random seed)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a non-negative integer; got {value!r} ({type(value).__name__})")
    if value < 0:
        raise ValueError(f"{name} must be a non-negative integer; got {value}")
    return int(value)


def check_positive_float(name: str, value: Any) -> float:
    """Return ``value`` as ``float`` if it is a finite number > 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a positive number; got {value!r} ({type(value).__name__})")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0; got {value}")
    return float(value)


def as_features(name: str, x: Any, *, ndim: int | None = 2) -> np.ndarray:
    """Return ``x`` as a float32 array with at least one row (a copy, never a view).

    ``ndim`` is the required number of dimensions; ``None`` accepts any number >= 2.
    """
    try:
        array = np.array(x, dtype="float32", copy=True)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be a numeric array; got {type(x).__name__}: {error}") from None
    if (ndim is not None and array.ndim != ndim) or array.ndim < 2:
        wanted = f"a {ndim}-D array (samples, features)" if ndim else "an array of shape (samples, ...)"
        raise ValueError(f"{name} must be {wanted}; got shape {array.shape}")
    if array.shape[0] == 0:
        raise ValueError(f"{name} is empty (shape {array.shape}); give at least one sample")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


def as_labels(name: str, y: Any, num_samples: int) -> np.ndarray:
    """Return ``y`` as a float32 array whose first dimension is ``num_samples`` (a copy)."""
    try:
        array = np.array(y, dtype="float32", copy=True)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be a numeric array; got {type(y).__name__}: {error}") from None
    if array.ndim == 0 or array.shape[0] != num_samples:
        raise ValueError(f"{name} must have {num_samples} rows, one per sample of x; got shape {array.shape}")
    return array


def as_probabilities(name: str, probabilities: Any, *, min_ndim: int = 2, max_ndim: int = 3) -> np.ndarray:
    """Return ``probabilities`` as a float array with values in [0, 1] (a copy)."""
    try:
        array = np.array(probabilities, dtype="float64", copy=True)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be a numeric array; got {type(probabilities).__name__}: {error}") from None
    if not min_ndim <= array.ndim <= max_ndim:
        raise ValueError(
            f"{name} must have shape (epochs, samples) or (epochs, samples, classes); got shape {array.shape}"
        )
    if array.size == 0:
        raise ValueError(f"{name} is empty (shape {array.shape})")
    if not np.all(np.isfinite(array)) or array.min() < 0 or array.max() > 1:
        raise ValueError(
            f"{name} must hold probabilities in [0, 1]; "
            f"got values from {np.nanmin(array):.4g} to {np.nanmax(array):.4g}"
            " (a linear output? apply a sigmoid/softmax first)"
        )
    return array


def check_number(name: str, value: Any, *, finite: bool = True) -> float:
    """Return ``value`` as ``float`` if it is a real number (``True``/``False`` are refused, NumPy scalars accepted).

    The one bool-aware number check: ``isinstance(True, int)`` holds in Python, so a plain
    ``isinstance(value, (int, float))`` would let ``threshold=True`` through as 1.

    Parameters
    ----------
    name : str
        The argument's name, for the message.
    value : object
        What the caller gave.
    finite : bool, default True
        Also refuse NaN and infinities (``ValueError``).

    Raises
    ------
    TypeError
        ``value`` is not a number (or is a bool).
    ValueError
        ``finite`` and ``value`` is NaN or infinite.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number; got {value!r} ({type(value).__name__})")
    if finite and not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number; got {value}")
    return float(value)


def check_pair(name: str, value: Any, what: str = "(x_val, y_val)") -> tuple[Any, Any]:
    """Return the two items of ``value`` if it is a tuple or list of length two, else raise ``TypeError``.

    ``what`` names the items in the message, e.g. ``"(x_val, y_val)"`` for ``validation_data``.
    """
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        size = f" of length {len(value)}" if isinstance(value, (tuple, list)) else ""
        raise TypeError(f"{name} must be a pair {what}; got {type(value).__name__}{size}")
    return value[0], value[1]


def check_compiled(model: Any, *, before: str = "first") -> Any:
    """Return ``model`` if it is a compiled ``keras.Model``.

    Imports Keras only when called (callers already hold a Keras model).

    Parameters
    ----------
    model : object
        What the caller gave as the model.
    before : str, default "first"
        End of the message's advice, e.g. ``"before check_model"``.

    Raises
    ------
    TypeError
        ``model`` is not a ``keras.Model``.
    ValueError
        The model has not been compiled (no optimizer or loss yet).
    """
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model (compiled); got {type(model).__name__}")
    if not getattr(model, "compiled", False) or getattr(model, "optimizer", None) is None:
        raise ValueError(f"model is not compiled: call model.compile(optimizer=..., loss=..., metrics=...) {before}")
    return model


def check_seeds(seeds: Any, *, what: str = "runs", unique: bool = False) -> list[int]:
    """Return ``seeds`` as a list of seeds: an integer ``n`` is a *count*, ``range(n)``; a sequence is explicit.

    The one meaning of ``seeds=`` in lossacc (``train_population``, ``train_grid``, ``train_frozen_heads``):
    ``seeds=5`` means the five seeds 0..4; ``seeds=[5]`` means the one seed 5.

    Parameters
    ----------
    seeds : int or sequence of int
        A number of seeds (>= 1), or the seeds themselves (each >= 0).
    what : str, default "runs"
        What one seed makes (``"members"``), for the messages.
    unique : bool, default False
        Refuse repeated seeds (``ValueError``).

    Raises
    ------
    TypeError
        ``seeds`` is neither an integer nor a sequence of integers.
    ValueError
        A count < 1, an empty sequence, a negative seed, or (``unique``) a repeated seed.
    """
    if isinstance(seeds, (int, np.integer)) and not isinstance(seeds, (bool, np.bool_)):
        return list(range(check_positive_int(f"seeds (a number of {what})", seeds)))
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, (Sequence, range, np.ndarray)):
        raise TypeError(f"seeds must be a number of {what} or a sequence of integers; got {type(seeds).__name__}")
    checked = [check_seed(seed, "seeds") for seed in seeds]
    if not checked:
        raise ValueError(f"seeds is empty: give at least one seed (one of the {what})")
    if unique and len(set(checked)) != len(checked):
        raise ValueError(f"seeds must not repeat values; got {checked}")
    return checked
