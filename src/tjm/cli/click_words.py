"""Typer's and click's own words (Options, Commands, their parsing errors) in the user's language.

Typer 0.29 bundles a click without gettext: its help headings and usage errors are plain
English f-strings. Typer's core still takes a few words from gettext's default domain, and
routing them to tjm's catalogue makes them follow --lang rather than the process locale. The
errors that reach a user are matched by shape and said again through the catalogue, their
names and values carried over; an error of another shape stays in English.
"""

from __future__ import annotations

import re

from tjm.i18n import N_, _, active_language

# What typer.core looks up with gettext; listed here so that the catalogue carries them.
TYPER_WORDS = (
    # TRANSLATORS: a heading of --help, before the list of options
    N_("Options"),
    # TRANSLATORS: a heading of --help, before the list of subcommands
    N_("Commands"),
    # TRANSLATORS: a heading of --help, before the list of arguments
    N_("Arguments"),
    # TRANSLATORS: shown after an option's help in --help: it must be given
    N_("required"),
    # TRANSLATORS: shown after an option's help in --help, inside brackets
    N_("default: {default}"),
    N_("Aborted!"),
    N_("Missing command."),
    # the help of the options typer.completion adds to the root command
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)

# The usage errors click and Typer raise, by shape; each group is a placeholder of the msgid.
USAGE_ERRORS = (
    (r"No such option: (?P<name>\S+)", N_("No such option: {name}")),
    (
        r"No such option: (?P<name>\S+) \(Possible options: (?P<options>.+)\)",
        N_("No such option: {name} (possible options: {options})"),
    ),
    (r"Option '(?P<name>[^']+)' requires an argument\.", N_("Option '{name}' needs a value.")),
    (
        r"Option '(?P<name>[^']+)' does not take a value\.",
        N_("Option '{name}' does not take a value."),
    ),
    (r"Missing argument '(?P<name>[^']+)'\.", N_("Missing argument '{name}'.")),
    (r"Missing option '(?P<name>[^']+)'\.", N_("Missing option '{name}'.")),
    (
        r"Got unexpected extra argument(?:s|\(s\))? \((?P<arguments>.*)\)",
        N_("Unexpected extra arguments ({arguments})"),
    ),
    (r"No such command '(?P<name>[^']+)'\.", N_("No such command '{name}'.")),
    (
        r"No such command '(?P<name>[^']+)'\. Did you mean (?P<suggestions>.+)\?",
        N_("No such command '{name}'. Did you mean {suggestions}?"),
    ),
    (r"Missing command\.", N_("Missing command.")),
)


def speak_typer() -> None:
    """Make Typer's core take its words from tjm's catalogue, in the active language."""
    from tjm.cli.typer_bridge import use_gettext

    use_gettext(_)


def usage_error(message: str) -> str:
    """Return a click or Typer usage error in the active language (as it is if unknown)."""
    for pattern, msgid in USAGE_ERRORS:
        found = re.fullmatch(pattern, message)
        if found:
            values = found.groupdict()
            if "suggestions" in values and active_language() == "fr":
                # click quotes each suggestion with straight quotes; French uses « ».
                values["suggestions"] = re.sub(
                    "'([^']+)'", "«\u00a0\\1\u00a0»", values["suggestions"]
                )
            return _(msgid).format(**values)
    return message
