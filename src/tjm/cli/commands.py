"""The root's commands, named with their help and built one at a time when a run needs one.

`tjm --help` lists the names and the one-line help from here, so it imports no command module
and builds no option; `tjm quote` imports and builds quote alone.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, MutableMapping
from typing import TYPE_CHECKING, NamedTuple

from tjm.i18n import N_

if TYPE_CHECKING:
    from tjm.cli.typer_bridge import Command


class Entry(NamedTuple):
    """A command of the root: where its function (or Typer group) is, and its help."""

    module: str
    attribute: str
    help: str


# The commands, in the order `tjm --help` lists them (commands before groups, as Typer
# lists them). Their help is marked here for the catalogue and translated when the run's
# language is known; a group's help is given here, not in its own Typer(...).
COMMANDS = {
    "quote": Entry(
        "tjm.cli.pricing",
        "quote",
        N_("Suggest a day rate, with its market band and the reasons behind it."),
    ),
    "compare": Entry(
        "tjm.cli.pricing",
        "compare",
        N_("Place a day rate in its market band: percentile, verdict and gap to the median."),
    ),
    "floor": Entry(
        "tjm.cli.pricing",
        "floor",
        N_(
            "Work out the lowest day rate that reaches a target net income (through a "
            "channel: the price the client pays)."
        ),
    ),
    "statuses": Entry(
        "tjm.cli.statuses",
        "statuses",
        N_(
            "Compare every status: its floor for --target-net (cheapest first), or its net "
            "at --rate.\n\n"
            "Each status option goes to the statuses it belongs to; custom joins with "
            "--charges-rate. With --channel, each floor is also stated as the price the "
            "client pays through it."
        ),
    ),
    "channel": Entry(
        "tjm.cli.channel",
        "channel",
        N_(
            "Show what the client pays and what reaches you, direct, on Malt, via an ESN, "
            "in portage."
        ),
    ),
    "report": Entry(
        "tjm.cli.report",
        "report",
        N_(
            "Write a report to send: the quote and its band, the floor per status, the "
            "channels and what each source says, with links; the same inputs as tjm quote."
        ),
    ),
    "batch": Entry(
        "tjm.cli.batch",
        "batch",
        N_("Price a whole roster: each row gets its target, band, percentile, verdict and floor."),
    ),
    "benchmarks": Entry(
        "tjm.cli.benchmarks",
        "benchmarks_app",
        N_("Show the market data and where it comes from."),
    ),
    "profile": Entry(
        "tjm.cli.profile",
        "profile_app",
        N_("Save, list, show and delete freelancer profiles."),
    ),
    "data": Entry(
        "tjm.cli.data",
        "data_app",
        N_("Add, list and remove your own market observations and missions."),
    ),
}


def build(name: str) -> Command:
    """Import a root command's module and build its click command."""
    from tjm.cli.helptext import TjmCommand
    from tjm.cli.typer_bridge import build_command

    entry = COMMANDS[name]
    target = getattr(importlib.import_module(entry.module), entry.attribute)
    return build_command(name, target, entry.help, TjmCommand)


class LazyCommands(MutableMapping[str, "Command"]):
    """The root group's commands by name: every name is known at once, and a command is
    built the first time it is looked up."""

    def __init__(self) -> None:
        self._built: dict[str, Command] = {}
        self._prepare: Callable[[Command], None] | None = None

    def help_texts(self) -> dict[str, str]:
        """Return each command's help (untranslated), in the order help lists them."""
        return {name: entry.help for name, entry in COMMANDS.items()}

    def prepare_with(self, prepare: Callable[[Command], None]) -> None:
        """Run `prepare` on every command built so far, and on each one built from now on."""
        self._prepare = prepare
        for command in self._built.values():
            prepare(command)

    def __getitem__(self, name: str) -> Command:
        if name not in self._built:
            if name not in COMMANDS:
                raise KeyError(name)
            command = build(name)
            if self._prepare is not None:
                self._prepare(command)
            self._built[name] = command
        return self._built[name]

    def __setitem__(self, name: str, command: Command) -> None:
        raise TypeError("the root's commands are listed in tjm.cli.commands")

    def __delitem__(self, name: str) -> None:
        raise TypeError("the root's commands are listed in tjm.cli.commands")

    def __iter__(self) -> Iterator[str]:
        return iter(COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS)

    def __contains__(self, name: object) -> bool:
        return name in COMMANDS
