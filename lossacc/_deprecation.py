"""Former public names, kept for one release: each warns (``FutureWarning``) and points to the new name."""

from __future__ import annotations

import warnings
from typing import Any

#: The release that removes the former names.
REMOVAL = "0.2"


def warn_renamed(old: str, new: str, *, stacklevel: int = 3) -> None:
    """Warn that ``old`` is a former name of ``new``."""
    warnings.warn(f"{old} is now {new} (one name for tracked outputs); {old} will be removed in lossacc {REMOVAL}",
                  FutureWarning, stacklevel=stacklevel)


def renamed_attribute(old: str, new: str) -> property:
    """A read-only property ``old`` that warns and returns the attribute ``new``.

    Examples
    --------
    >>> class Result:
    ...     outputs = [1, 2]
    ...     probabilities = renamed_attribute("probabilities", "outputs")
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     Result().probabilities, caught[0].category.__name__
    ([1, 2], 'FutureWarning')
    """

    def getter(self: Any) -> Any:
        warn_renamed(f"{type(self).__name__}.{old}", f"{type(self).__name__}.{new}")
        return getattr(self, new)

    return property(getter, doc=f"Former name of :attr:`{new}` (deprecated; removed in lossacc {REMOVAL}).")
