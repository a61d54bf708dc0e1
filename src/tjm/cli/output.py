"""What the commands print and ask through: the result as JSON or for people, and a
confirmation that off a terminal becomes an error naming the flag."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from tjm.api import Result
    from tjm.errors import TjmError


# COLUMNS outside this range (0, negative, absurd, not a number) is ignored for this width.
WIDTHS = range(20, 1001)
FALLBACK_WIDTH = 80


def console_width(environ: Mapping[str, str]) -> int | None:
    """Return the width to force on the console: None when COLUMNS is unset or sensible (the
    terminal or COLUMNS decides), else FALLBACK_WIDTH, so that no value prints nothing."""
    text = environ.get("COLUMNS")
    if text is None or not text.strip():
        return None
    try:
        width = int(text)
    except ValueError:
        return FALLBACK_WIDTH
    return None if width in WIDTHS else FALLBACK_WIDTH


def make_console() -> Console:
    import os

    from rich.console import Console

    return Console(highlight=False, soft_wrap=True, width=console_width(os.environ))


def emit(
    kind: str,
    as_json: bool,
    data: Callable[[], dict[str, Any]],
    show: Callable[[Console], None],
) -> None:
    """Print a result: with --json, the object `data` builds, tagged with its kind's schema
    (see docs/json.md); else the view `show` prints. Only the one chosen is built."""
    if as_json:
        from tjm.render.common import print_json, schema

        print_json({"schema": schema(kind), **data()})
    else:
        show(make_console())


def print_result(result: Result, as_json: bool, details: bool = False) -> None:
    """Print a result of tjm.api: with --json its `to_dict()`, else its view (one screen, or
    everything with `details`)."""
    if as_json:
        from tjm.render.common import print_json

        print_json(result.to_dict())
    else:
        result.show(make_console(), details)


def require_terminal(error: TjmError) -> None:
    """Raise `error` where no question can be asked (no terminal)."""
    from tjm.cli.prompts import can_ask

    if not can_ask():
        raise error


def confirm(question: str, error: TjmError) -> bool:
    """Ask a yes/no question (default no) on a terminal; off a terminal, raise `error`, which
    names the flag that answers it."""
    from tjm.cli.prompts import Prompt, make_asker

    require_terminal(error)
    return make_asker().confirm(Prompt(question, question), False)
