"""Day-rate (TJM) pricing and benchmarking for freelancers, as a library and a CLI.

    >>> import tjm
    >>> tjm.quote("ai-engineer", 5).target  # doctest: +SKIP

The functions live in tjm.api and load on first use, so `import tjm` (and the CLI's start)
stays light; see docs/api.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

__all__ = [
    "Channels",
    "Comparison",
    "Floor",
    "InputError",
    "Quote",
    "Statuses",
    "__version__",
    "channels",
    "compare",
    "floor",
    "price_roster",
    "quote",
    "statuses",
]

if TYPE_CHECKING:
    from tjm.api import (
        Channels,
        Comparison,
        Floor,
        Quote,
        Statuses,
        channels,
        compare,
        floor,
        price_roster,
        quote,
        statuses,
    )
    from tjm.errors import InputError


def __getattr__(name: str) -> object:
    if name == "InputError":
        from tjm.errors import InputError

        return InputError
    if name in __all__:
        from tjm import api

        return getattr(api, name)
    raise AttributeError(f"module 'tjm' has no attribute {name!r}")
