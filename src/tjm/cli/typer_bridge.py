"""Every use of Typer's private API, in one place: the rest of tjm imports these names from here.

Typer 0.29 bundles its own click as `typer._click` (no `click` package to import), and its
core takes a few words from gettext through a module-level `_`. Neither is public, so
pyproject.toml pins typer below the next minor release; a Typer upgrade is checked here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer
import typer.core
import typer.main
from typer._click.core import Command, Context, Parameter
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer._click.formatting import HelpFormatter
from typer._click.utils import make_default_short_help
from typer.core import TyperCommand, TyperGroup

__all__ = [
    "ClickException",
    "Command",
    "Context",
    "HelpFormatter",
    "NoArgsIsHelpError",
    "Parameter",
    "TyperCommand",
    "TyperGroup",
    "UsageError",
    "build_command",
    "make_default_short_help",
    "use_gettext",
]


def use_gettext(gettext: Callable[[str], str]) -> None:
    """Make Typer's core look its words up with `gettext` (it imported gettext's `_` by name)."""
    typer.core._ = gettext  # type: ignore[attr-defined, assignment]  # gettext.gettext


def build_command(
    name: str, target: Any, help_text: str, command_class: type[TyperCommand] | None = None
) -> Command:
    """Build the click command that `app.command(cls=command_class, help=help_text)(target)`,
    or `app.add_typer(target, help=help_text)` for a Typer app, would give under tjm's root.

    The root builds its commands one at a time, when a run or a help page needs one; the
    settings are the root's (plain help, no pretty exceptions) so each is built as before.
    """
    holder = typer.Typer(
        add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None
    )
    holder.callback()(_nothing)  # a callback makes the holder a group, whatever it holds
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name, help=help_text)
    else:
        holder.command(name, cls=command_class, help=help_text)(target)
    group = typer.main.get_command(holder)
    return group.commands[name]  # type: ignore[attr-defined, no-any-return]


def _nothing() -> None:
    """The holder's callback; never run."""
