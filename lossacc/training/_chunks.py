"""The chunked run of a compiled many-epoch function, with an optional progress bar.

:func:`lossacc.train_population` and :func:`lossacc.train_full_batch` both run their epochs inside a
compiled function, a *chunk* of epochs per call (to bound memory, and to let a progress bar move).
:func:`run_in_chunks` is that loop, written once: it calls ``run_chunk(num)`` for consecutive chunks
of at most ``epochs_per_call`` epochs until ``num_epochs`` are done, and updates a tqdm bar when
asked. What a chunk computes and collects is the caller's business.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lossacc._env import quiet_retracing

__all__ = ["progress_bar", "run_in_chunks"]


def progress_bar(total: int, progress: bool) -> Any:
    """A tqdm bar over ``total`` epochs when ``progress`` is true, else ``None`` (tqdm imported only then)."""
    if not progress:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="epoch", leave=False)


def run_in_chunks(
    run_chunk: Callable[[int], float | None],
    num_epochs: int,
    epochs_per_call: int,
    *,
    progress: bool = False,
    postfix: str = "loss",
) -> None:
    """Call ``run_chunk(chunk)`` for chunks of at most ``epochs_per_call`` epochs until ``num_epochs`` are done.

    Parameters
    ----------
    run_chunk : callable
        Runs ``chunk`` epochs (one call of the compiled function, under ``quiet_retracing``), collects
        what it needs, and returns the value to show on the progress bar (or ``None``).
    num_epochs : int
        Epochs in all.
    epochs_per_call : int
        Largest chunk.
    progress : bool, default False
        Show a tqdm bar (interactive use only).
    postfix : str, default "loss"
        Name of the value shown on the bar.
    """
    bar = progress_bar(num_epochs, progress)
    done = 0
    while done < num_epochs:
        chunk = min(epochs_per_call, num_epochs - done)
        with quiet_retracing():
            shown = run_chunk(chunk)
        done += chunk
        if bar is not None:
            bar.update(chunk)
            if shown is not None:
                bar.set_postfix({postfix: f"{float(shown):.4f}"})
    if bar is not None:
        bar.close()
