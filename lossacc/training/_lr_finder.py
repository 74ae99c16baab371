"""Learning-rate range test (Smith 2017, fastai's ``lr_find``) for a compiled Keras model."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import keras
import numpy as np

from lossacc._validation import as_features, as_labels, check_compiled, check_positive_float, check_positive_int
from lossacc.training._fit import seed_everything
from lossacc.training._seeding import order_generator

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["LRFinderResult", "find_learning_rate"]


@dataclass(frozen=True)
class LRFinderResult:
    """The outcome of :func:`lossacc.find_learning_rate`.

    Explained in :doc:`/chapters/low_learning_rate`.

    Attributes
    ----------
    learning_rates : numpy.ndarray
        Learning rate of every step that ran (exponentially growing).
    losses : numpy.ndarray
        Training loss of each step's mini-batch, computed with the weights before that step's update.
    smoothed_losses : numpy.ndarray
        Bias-corrected exponential moving average of ``losses``.
    suggestion : float or None
        Learning rate at the steepest descent of the smoothed curve (per decade of learning rate,
        slope over a window of ``num_steps // 20`` steps each side), ignoring the first
        ``skip_start`` and last ``skip_end`` steps; ``None`` when the curve never falls there.
    minimum : float
        Learning rate at the lowest smoothed loss after the first ``skip_start`` steps (too high
        to train with: divide by ~10); ``nan`` if no loss was finite.
    stopped_early : bool
        Whether the test stopped because the loss diverged.
    """

    learning_rates: np.ndarray
    losses: np.ndarray
    smoothed_losses: np.ndarray
    suggestion: float | None
    minimum: float
    stopped_early: bool

    def plot(self, ax: Axes | None = None) -> Axes:
        """Loss against learning rate (log axis): raw losses faint, smoothed curve, suggestion marked.

        The figure is :func:`lossacc.plot_lr_finder`.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw; a new figure when omitted.

        Returns
        -------
        matplotlib.axes.Axes
        """
        from lossacc.plots import plot_lr_finder

        return plot_lr_finder(self, ax=ax)


class _RangeTestCallback(keras.callbacks.Callback):
    """Set the learning rate before every batch; record each batch's loss; stop when it diverges."""

    def __init__(self, learning_rates: np.ndarray, smoothing: float, divergence_factor: float) -> None:
        super().__init__()
        self.learning_rates = learning_rates
        self.smoothing = smoothing
        self.divergence_factor = divergence_factor
        self.losses: list[float] = []
        self.smoothed: list[float] = []
        self.stopped_early = False
        self._average = 0.0
        self._best = math.inf
        self._previous_mean = 0.0

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:  # noqa: D102
        self.model.optimizer.learning_rate = float(self.learning_rates[batch])

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:  # noqa: D102
        # Keras 3 reports the running mean over the epoch; recover this batch's loss from it
        # (all batches have the same size, so the mean is unweighted).
        running_mean = float((logs or {}).get("loss", math.nan))
        step = len(self.losses) + 1
        loss = step * running_mean - (step - 1) * self._previous_mean
        self._previous_mean = running_mean
        self.losses.append(loss)
        if not math.isfinite(loss):
            self.smoothed.append(math.nan)
            self.stopped_early = True
            self.model.stop_training = True
            return
        self._average = self.smoothing * self._average + (1 - self.smoothing) * loss
        smoothed = self._average / (1 - self.smoothing**step)
        self.smoothed.append(smoothed)
        self._best = min(self._best, smoothed)
        if step > 1 and smoothed > self.divergence_factor * self._best:
            self.stopped_early = True
            self.model.stop_training = True


def find_learning_rate(
    model: keras.Model,
    x: Any,
    y: Any,
    *,
    min_lr: float = 1e-7,
    max_lr: float = 10.0,
    num_steps: int = 100,
    batch_size: int = 32,
    smoothing: float = 0.98,
    divergence_factor: float = 4.0,
    seed: int = 0,
    skip_start: int | None = None,
    skip_end: int = 5,
) -> LRFinderResult:
    """Learning-rate range test: grow the learning rate exponentially over one pass and watch the loss.

    Explained in :doc:`/chapters/low_learning_rate`.

    Step ``k`` of ``num_steps`` trains one mini-batch with learning rate
    ``min_lr * (max_lr / min_lr) ** (k / (num_steps - 1))``, set by a Keras callback on
    ``model.optimizer.learning_rate`` before the batch. The data are cycled (shuffled with ``seed``)
    when one epoch has fewer than ``num_steps`` batches. The test stops early when the smoothed loss
    exceeds ``divergence_factor`` times its best value or the loss is not finite. Afterwards the
    model's weights, the optimizer's state (slots, iteration count) and its learning rate are
    restored exactly, so the model can be trained as if the test had never run.

    Notes
    -----
    Caveats:

    * **Smoothing bias**: the exponential moving average lags behind the raw losses, so the smoothed
      curve (and the steepest-descent point) sits to the right of where the raw curve turns; a
      larger ``smoothing`` lags more.
    * **The early-spike trap**: the first steps are noisy and the moving average starts from little
      data, so an early spike or drop can look like the steepest descent. The first ``skip_start``
      (and last ``skip_end``) steps are ignored for the suggestion, and the slope is measured over a
      window of steps -- look at the plot anyway.
    * **Enough steps**: a network that needs many updates to move at all (the 2-unit network of
      the low-learning-rate chapter) shows a flat, noisy curve over 100 steps, and the "steepest
      descent" of noise means nothing; give it ``num_steps=300`` or more and check that the
      smoothed loss clearly falls somewhere before trusting the suggestion.
    * **A starting point, not an answer**: the curve belongs to this initialisation, batch size and
      optimizer, measured over a few hundred steps; the best rate for a long run is often lower
      (a common rule is the minimum divided by 10), and it depends on the schedule you train with.

    Parameters
    ----------
    model : keras.Model
        A compiled model whose optimizer has a float learning rate (not a schedule).
    x, y : array-like
        Training inputs ``(samples, ...)`` and labels. Not modified.
    min_lr, max_lr : float, default 1e-7, 10
        First and last learning rates, ``0 < min_lr < max_lr``.
    num_steps : int, default 100
        Number of mini-batches (learning rates), >= 2.
    batch_size : int, default 32
        Mini-batch size.
    smoothing : float, default 0.98
        Moving-average factor in [0, 1) (0: no smoothing).
    divergence_factor : float, default 4
        Stop when the smoothed loss exceeds this multiple of its minimum (> 1).
    seed : int, default 0
        Seed of the shuffling (its row-order stream, ``lossacc.training._seeding.order_generator``) and of
        :func:`lossacc.seed_everything`.
    skip_start : int, optional
        Steps ignored at the start when looking for the steepest descent (default
        ``max(10, num_steps // 5)``: the moving average needs that many to settle).
    skip_end : int, default 5
        Steps ignored at the end (the divergence).

    Returns
    -------
    LRFinderResult
        Learning rates, losses, smoothed losses, the suggestion; ``.plot()`` draws the curve.

    Raises
    ------
    TypeError
        If ``model`` is not a ``keras.Model`` or the data are not numeric arrays.
    ValueError
        If the model is not compiled, its learning rate is a schedule, or an argument is out of range.

    Examples
    --------
    >>> from lossacc import build_sigmoid_net, make_two_blobs
    >>> x, y = make_two_blobs(200)
    >>> result = find_learning_rate(build_sigmoid_net(2), x, y, num_steps=300)  # doctest: +SKIP
    >>> result.suggestion  # doctest: +SKIP
    0.38...
    >>> ax = result.plot()  # doctest: +SKIP
    """
    model = check_compiled(model)
    min_lr = check_positive_float("min_lr", min_lr)
    max_lr = check_positive_float("max_lr", max_lr)
    if min_lr >= max_lr:
        raise ValueError(f"min_lr must be smaller than max_lr; got min_lr={min_lr}, max_lr={max_lr}")
    num_steps = check_positive_int("num_steps", num_steps, minimum=2)
    batch_size = check_positive_int("batch_size", batch_size)
    if not isinstance(smoothing, (int, float)) or not 0.0 <= smoothing < 1.0:
        raise ValueError(f"smoothing must be a number in [0, 1); got {smoothing!r}")
    divergence_factor = check_positive_float("divergence_factor", divergence_factor)
    if divergence_factor <= 1:
        raise ValueError(f"divergence_factor must be > 1; got {divergence_factor}")
    if skip_start is None:
        skip_start = max(10, num_steps // 5)
    skip_start = check_positive_int("skip_start", skip_start, minimum=0)
    skip_end = check_positive_int("skip_end", skip_end, minimum=0)
    optimizer = model.optimizer
    if not isinstance(getattr(optimizer, "_learning_rate", None), keras.Variable):
        raise ValueError(
            f"the optimizer's learning rate is a schedule or a callable ({type(optimizer._learning_rate).__name__}); "
            "the range test sets it step by step and needs a float: compile with e.g. keras.optimizers.Adam(1e-3)"
        )
    x = as_features("x", x, ndim=None)
    y = as_labels("y", y, len(x))

    # cycle through shuffled copies of the data: num_steps full batches
    rng = order_generator(seed)  # the run's row-order stream (lossacc.training._seeding), as in population
    needed = num_steps * batch_size
    order = np.concatenate([rng.permutation(len(x)) for _ in range(math.ceil(needed / len(x)))])[:needed]
    learning_rates = min_lr * (max_lr / min_lr) ** (np.arange(num_steps) / (num_steps - 1))

    # snapshot everything the test changes
    if not optimizer.built:
        optimizer.build(model.trainable_variables)
    saved_weights = model.get_weights()
    saved_optimizer = [variable.numpy() for variable in optimizer.variables]
    callback = _RangeTestCallback(learning_rates, float(smoothing), divergence_factor)
    try:
        seed_everything(seed)
        model.fit(x[order], y[order], batch_size=batch_size, epochs=1, shuffle=False, verbose=0, callbacks=[callback])
    finally:
        model.set_weights(saved_weights)
        for variable, value in zip(optimizer.variables, saved_optimizer):
            variable.assign(value)

    count = len(callback.losses)
    learning_rates = learning_rates[:count]
    losses = np.asarray(callback.losses, dtype="float64")
    smoothed = np.asarray(callback.smoothed, dtype="float64")
    return LRFinderResult(
        learning_rates=learning_rates,
        losses=losses,
        smoothed_losses=smoothed,
        suggestion=_steepest_descent(learning_rates, smoothed, skip_start, skip_end),
        minimum=_minimum(learning_rates, smoothed, skip_start),
        stopped_early=callback.stopped_early,
    )


def _minimum(learning_rates: np.ndarray, smoothed: np.ndarray, skip_start: int) -> float:
    """Learning rate at the lowest smoothed loss after the first ``skip_start`` steps."""
    start = skip_start if np.isfinite(smoothed[skip_start:]).any() else 0
    if not np.isfinite(smoothed[start:]).any():
        return float("nan")
    return float(learning_rates[start + int(np.nanargmin(smoothed[start:]))])


def _steepest_descent(learning_rates: np.ndarray, smoothed: np.ndarray, skip_start: int, skip_end: int) -> float | None:
    """Learning rate where the smoothed loss falls fastest per decade, measured over a window.

    The slope at step ``i`` is taken between steps ``i - w`` and ``i + w`` with ``w = len // 20``
    (at least 1): a one-step difference of a noisy curve picks noise.
    """
    finite = np.isfinite(smoothed)
    stop = (int(np.flatnonzero(finite)[-1]) + 1 if finite.any() else 0) - skip_end
    half_width = max(1, len(smoothed) // 20)
    first = max(skip_start, half_width)
    last = stop - half_width  # exclusive
    if last - first < 1:
        return None
    log_rates = np.log10(learning_rates)
    centres = np.arange(first, last)
    slopes = (smoothed[centres + half_width] - smoothed[centres - half_width]) / (
        log_rates[centres + half_width] - log_rates[centres - half_width]
    )
    index = int(np.argmin(slopes))
    if not slopes[index] < 0:
        return None
    return float(learning_rates[centres[index]])
