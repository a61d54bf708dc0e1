"""The Typer app and its one error boundary: every failure becomes one line and an exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer

from tjm import __version__
from tjm.cli import streams
from tjm.cli.click_words import speak_typer, usage_error
from tjm.cli.commands import LazyCommands
from tjm.cli.helptext import TjmGroupBase, short_help, translate_help, translate_own_help
from tjm.cli.lang import LangOpt, choose_language
from tjm.cli.typer_bridge import (
    ClickException,
    Command,
    Context,
    HelpFormatter,
    NoArgsIsHelpError,
    Parameter,
    UsageError,
)
from tjm.errors import EXIT_CANCELLED, EXIT_USAGE, OutputError, TjmError, cancelled_message
from tjm.errors import UsageError as TjmUsageError
from tjm.i18n import N_, _


class TjmGroup(TjmGroupBase):
    """The root command: chooses the language, then maps every expected failure to one
    `Error:` line and its exit code. Its commands are built when a run or a help page
    names one (tjm.cli.commands), so `tjm --help` builds none of their options."""

    as_json = False  # the command line asked for --json

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lazy = LazyCommands()
        self.commands = self.lazy

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        """List the commands with their one-line help, as click does, building none."""
        names = self.lazy.help_texts()
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, short_help(_(text), limit)) for name, text in names.items()]
        with formatter.section(_("Commands")):
            formatter.write_dl(rows)

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        written = getattr(sys.modules.get("tjm.store.atomic"), "published", None)
        if written is not None:  # what this command saves, also when run in one process
            written.clear()
        given = kwargs.pop("args", args[0] if args else None)
        argv: Sequence[str] = sys.argv[1:] if given is None else list(given)
        # With --json, a failure is also a JSON object on stdout, for scripts to match its code.
        self.as_json = "--json" in argv and _takes_json(self, argv)
        try:
            # Before anything is printed, errors included.
            kwargs["args"] = choose_language(argv, os.environ)
            speak_typer()
            translate_own_help(self)
            lang = next(p for p in self.params if p.name == "lang")
            # Each command, once built, speaks the run's language and takes --lang too.
            self.lazy.prepare_with(lambda command: _prepare(command, lang))
            # mypy fears *args could fill standalone_mode; Typer passes only args and prog_name.
            code = super().main(*args[1:], standalone_mode=False, **kwargs)  # type: ignore[misc]
            code = code if isinstance(code, int) else 0
        except TjmError as exc:  # a bad --lang or TJM_LANG
            code = report(exc, self.as_json)
        except NoArgsIsHelpError as exc:  # bare `tjm`: the help, as click shows it
            streams.say(exc.format_message())
            code = EXIT_USAGE
        except UsageError as exc:
            message = usage_error(_one_line(exc.format_message()))
            streams.say(error_line(message))
            if exc.ctx is not None:
                hint = _("Try '{command} --help' for help.")
                streams.say(hint.format(command=exc.ctx.command_path))
            code = EXIT_USAGE
            if self.as_json:
                print_error_json(TjmUsageError.code, message, code)
        except ClickException as exc:
            message = usage_error(_one_line(exc.format_message()))
            streams.say(error_line(message))
            code = exc.exit_code
            if self.as_json:
                print_error_json(TjmUsageError.code, message, code)
        except typer.Abort:  # what Typer makes of Ctrl-D outside our questions
            code = EXIT_CANCELLED
        if code == EXIT_CANCELLED:  # from invoke, or from Typer catching Ctrl-C while parsing
            streams.say(cancelled_message())
        if standalone_mode:
            raise SystemExit(code)
        return code

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except TjmError as exc:
            raise typer.Exit(report(exc, self.as_json)) from None
        except (KeyboardInterrupt, EOFError):
            raise typer.Exit(EXIT_CANCELLED) from None


def report(exc: TjmError, as_json: bool = False) -> int:
    """Print an expected failure as one `Error:` line (none for a broken pipe), and with --json
    as a `tjm.error` object on stdout too; return its exit code."""
    if isinstance(exc, OutputError):
        streams.silence_stdout()
    elif as_json:
        print_error_json(exc.code, str(exc), exc.exit_code)
    if str(exc):
        streams.say(error_line(str(exc)))
    return exc.exit_code


def print_error_json(code: str, message: str, exit_code: int) -> None:
    """Print a failure as the `tjm.error` JSON object: its stable code, message and exit code."""
    from tjm.render.common import print_json, schema

    print_json({"schema": schema("error"), "code": code, "message": message, "exit": exit_code})


def error_line(message: str) -> str:
    """Return the one line that reports a failure, in the active language."""
    # TRANSLATORS: the one line of every failure; the message names the flag at fault
    return _("Error: {message}").format(message=message)


def _takes_json(group: Command, argv: Sequence[str]) -> bool:
    """Return whether the command argv names (following its words down the groups) has --json."""
    command = group
    for word in argv:
        sub = getattr(command, "commands", {}).get(word)
        if sub is not None:
            command = sub
    return any(p.name == "as_json" for p in command.params)


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _prepare(command: Command, lang: Parameter) -> None:
    """Put a command's help in the active language, and give it --lang."""
    translate_help(command)
    _add_everywhere(command, lang)


def _add_everywhere(command: Command, option: Parameter) -> None:
    """Give a command and every command under it the option the root has, unless it has
    its own."""
    if all(p.name != option.name for p in command.params):
        command.params.append(option)
    for sub in getattr(command, "commands", {}).values():
        _add_everywhere(sub, option)


app = typer.Typer(
    cls=TjmGroup,
    help=N_("Price a freelance day rate (TJM) against the market, your costs and your skills."),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        print(f"tjm {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help=N_("Show the version and exit.")
        ),
    ] = False,
    lang: LangOpt = None,
) -> None:
    """Price a freelance day rate (TJM) against the market, your costs and your skills."""


def run() -> int:
    """Run the app in this process with guarded streams; return the exit code."""
    streams.guard()
    try:
        code = app(prog_name="tjm", standalone_mode=False)
        streams.finish()
    except TjmError as exc:  # the final flush of stdout failed
        code = report(exc)
    return int(code or 0)
