"""Small helpers for the book's notebooks."""

from __future__ import annotations

import warnings
from typing import Any

__all__ = ["glue"]


class _PlainText:
    """A string shown without quotes: ``{glue:text}`` renders a value's plain-text ``repr``."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def glue(name: str, value: Any, display: bool = False) -> None:
    """Record ``value`` under ``name`` for the book's ``{glue}`` roles.

    Explained in :doc:`/chapters/primer`.

    Inside the book build (myst-nb installed) this is ``myst_nb.glue``. Elsewhere, e.g. in
    Colab, there is nothing to record into, so the value is only displayed when ``display`` is true.

    Parameters
    ----------
    name : str
        The key the text refers to, as in ``{glue:text}`name```.
    value : object
        The value; round floats first so that stored outputs are stable. Strings are shown as they
        are (without the quotes of their ``repr``).
    display : bool, default False
        Also display the value in the notebook.
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"glue name must be a non-empty string; got {name!r}")
    try:
        from myst_nb import glue as myst_glue
    except ImportError:  # outside the book build
        if display:
            from IPython.display import display as show

            show(value)
        return
    if isinstance(value, str):
        value = _PlainText(value)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        myst_glue(name, value, display=display)
