"""Help in the active language: click's own words, the one-line summaries, and the figures
that an option's help names, filled in only when that help is shown."""

from __future__ import annotations

from typing import Any

from tjm.cli.typer_bridge import (
    Command,
    Context,
    HelpFormatter,
    Parameter,
    TyperCommand,
    TyperGroup,
    make_default_short_help,
)
from tjm.i18n import N_, _

# click's words for the --help option and the usage line, said in the active language
HELP_OPTION_HELP = N_("Show this message and exit.")
# TRANSLATORS: starts the usage line of --help; keep the space at the end
USAGE_PREFIX = N_("Usage: ")


class TjmFormatter(HelpFormatter):
    """click's help formatter, its usage prefix and heading colons in the active language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _(USAGE_PREFIX) if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        # TRANSLATORS: a heading of --help (Options, Commands), before its list
        line = _("{heading}:").format(heading=heading)
        self.write(f"{'':>{self.current_indent}}{line}\n")


class TjmContext(Context):
    """A click context whose help speaks the active language."""

    formatter_class = TjmFormatter


class TjmCommand(TyperCommand):
    """A command whose help fills `{name}` with the figures of help_figures, when shown, and
    says click's own words in the active language."""

    context_class = TjmContext

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        texts = [getattr(param, "help", None) or "" for param in self.params]
        if any("{" in text for text in texts):  # only then is the data read
            from tjm.cli.options import help_figures

            shown = help_figures()
            for param, text in zip(self.params, texts, strict=True):
                if text:
                    param.help = text.format_map(shown)  # type: ignore[attr-defined]
        super().format_help(ctx, formatter)

    def get_help_option(self, ctx: Context) -> Any:
        return translated_help_option(super().get_help_option(ctx))

    def get_short_help_str(self, limit: int = 45) -> str:
        return short_help(self.help, limit) if self.help and not self.short_help else ""


class TjmGroupBase(TyperGroup):
    """A group of commands that says click's own words in the active language."""

    context_class = TjmContext

    def get_help_option(self, ctx: Context) -> Any:
        return translated_help_option(super().get_help_option(ctx))

    def get_short_help_str(self, limit: int = 45) -> str:
        return short_help(self.help, limit) if self.help and not self.short_help else ""


# click shortens on any whitespace; French puts no-break spaces before ? : ; ! % that must stay.
_KEPT = {"\u00a0": "\ue000", "\u202f": "\ue001"}


def short_help(text: str, limit: int) -> str:
    """Return click's one-line summary of a help text, its no-break spaces kept."""
    for space, stand_in in _KEPT.items():
        text = text.replace(space, stand_in)
    text = make_default_short_help(text, limit)
    for space, stand_in in _KEPT.items():
        text = text.replace(stand_in, space)
    return text


def translated_help_option(option: Parameter | None) -> Parameter | None:
    """Return the --help option, its help in the active language."""
    if option is not None:
        option.help = _(HELP_OPTION_HELP)  # type: ignore[attr-defined]
    return option


def translate_help(command: Command) -> None:
    """Put the help of a command, its options and its subcommands in the active language;
    the texts are marked with N_ where they are defined."""
    translate_own_help(command)
    for sub in getattr(command, "commands", {}).values():
        translate_help(sub)


def translate_own_help(command: Command) -> None:
    """Put the help of a command and its options (not its subcommands) in the active
    language."""
    for attribute in ("help", "short_help"):
        text = getattr(command, attribute, None)
        if text:
            setattr(command, attribute, _(text))
    for param in command.params:
        text = getattr(param, "help", None)
        if text:
            param.help = _(text)  # type: ignore[attr-defined]
