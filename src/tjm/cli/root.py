"""The Typer app and its one error boundary: every failure becomes one line and an exit code."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from tjm import __version__
from tjm.cli import batch, benchmarks, channel, data, pricing, profile, statuses, streams
from tjm.cli.options import TjmCommand
from tjm.errors import EXIT_CANCELLED, EXIT_USAGE, OutputError, TjmError, cancelled_message

if TYPE_CHECKING:
    from typer._click.core import Context


class TjmGroup(TyperGroup):
    """The root command: maps every expected failure to one `Error:` line and its exit code."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        # Typer bundles its own click; its exceptions are reachable only through typer.
        from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError

        written = getattr(sys.modules.get("tjm.atomic"), "published", None)
        if written is not None:  # what this command saves, also when run in one process
            written.clear()
        try:
            # mypy fears *args could fill standalone_mode; Typer passes only args and prog_name.
            code = super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[misc]
            code = code if isinstance(code, int) else 0
        except NoArgsIsHelpError as exc:  # bare `tjm`: the help, as click shows it
            streams.say(exc.format_message())
            code = EXIT_USAGE
        except UsageError as exc:
            streams.say(f"Error: {_one_line(exc.format_message())}")
            if exc.ctx is not None:
                streams.say(f"Try '{exc.ctx.command_path} --help' for help.")
            code = EXIT_USAGE
        except ClickException as exc:
            streams.say(f"Error: {_one_line(exc.format_message())}")
            code = exc.exit_code
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
            raise typer.Exit(report(exc)) from None
        except (KeyboardInterrupt, EOFError):
            raise typer.Exit(EXIT_CANCELLED) from None


def report(exc: TjmError) -> int:
    """Print an expected failure as one `Error:` line (none for a broken pipe); return its code."""
    if isinstance(exc, OutputError):
        streams.silence_stdout()
    if str(exc):
        streams.say(f"Error: {exc}")
    return exc.exit_code


def _one_line(message: str) -> str:
    return " ".join(message.split())


app = typer.Typer(
    cls=TjmGroup,
    help="Price a freelance day rate (TJM) against the market, your costs and your skills.",
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
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Price a freelance day rate (TJM) against the market, your costs and your skills."""


# The commands, in the order `tjm --help` lists them. TjmCommand fills the figures their
# options' help names from the data; `profile save` uses it too.
app.command(cls=TjmCommand)(pricing.quote)
app.command(cls=TjmCommand)(pricing.compare)
app.command(cls=TjmCommand)(pricing.floor)
app.command(cls=TjmCommand)(statuses.statuses)
app.command(cls=TjmCommand)(channel.channel)
app.add_typer(benchmarks.benchmarks_app, name="benchmarks")
app.add_typer(profile.profile_app, name="profile")
app.command()(batch.batch)
app.add_typer(data.data_app, name="data")


def run() -> int:
    """Run the app in this process with guarded streams; return the exit code."""
    streams.guard()
    try:
        code = app(prog_name="tjm", standalone_mode=False)
        streams.finish()
    except TjmError as exc:  # the final flush of stdout failed
        code = report(exc)
    return int(code or 0)
