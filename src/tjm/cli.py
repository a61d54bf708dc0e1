"""The Typer app: parse flags, call the core, render; the one place errors become exit codes."""

from __future__ import annotations

import datetime as dt
import functools
import math
import sys
from typing import Annotated

import typer
from rich.console import Console

from tjm import __version__
from tjm.errors import EXIT_CANCELLED, TjmError, UsageError

app = typer.Typer(
    help="Price a freelance day rate (TJM) against the market, your costs and your skills.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
benchmarks_app = typer.Typer(help="Show the market data and where it comes from.",
                             invoke_without_command=True)
app.add_typer(benchmarks_app, name="benchmarks")


def error_boundary(command):
    """Turn TjmError into one 'Error:' line and its exit code, and Ctrl-C into 130."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except TjmError as exc:
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("Cancelled; nothing was saved.", err=True)
            raise typer.Exit(EXIT_CANCELLED) from None

    return run


def parse_number(flag: str, text: str | None) -> float | None:
    """Parse a flag's text as a finite number, or fail with a line naming the flag."""
    if text is None:
        return None
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        raise UsageError(f"{flag}: expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise UsageError(f"{flag}: expected a finite number, got {text!r}")
    return value


def _console() -> Console:
    return Console(highlight=False)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tjm {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Price a freelance day rate (TJM) against the market, your costs and your skills."""


# ------------------------------------------------------------------ benchmarks

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON, no colour.")]


@benchmarks_app.callback()
@error_boundary
def benchmarks(
    ctx: typer.Context,
    as_json: JsonFlag = False,
    fit: Annotated[bool, typer.Option("--fit", help="Refit the experience curve and show "
                                      "its residuals.")] = False,
) -> None:
    """Show the rate tables, the skills table and the thresholds."""
    if ctx.invoked_subcommand is not None:
        return
    from tjm import render
    from tjm.benchmarks import load_dataset

    dataset = load_dataset()
    if fit:
        from tjm.fit import fit_curve

        result = fit_curve(dataset)
        if as_json:
            render.print_json(render.fit_json(result))
        else:
            render.show_fit(_console(), result)
        return
    if as_json:
        render.print_json(render.benchmarks_json(dataset))
    else:
        render.show_benchmarks(_console(), dataset)


@benchmarks_app.command("sources")
@error_boundary
def benchmarks_sources(as_json: JsonFlag = False) -> None:
    """List every source with its URL, date and the figures taken from it."""
    from tjm import render
    from tjm.benchmarks import load_dataset

    dataset = load_dataset()
    if as_json:
        render.print_json(render.sources_json(dataset))
    else:
        render.show_sources(_console(), dataset)


# ----------------------------------------------------------------- quote, compare

RoleOpt = Annotated[str | None, typer.Option("--role", help="ai-engineer, data-scientist or "
                                             "data-engineer.")]
YearsOpt = Annotated[str | None, typer.Option("--years", help="Years of experience, 0 to 50.")]
RegionOpt = Annotated[str | None, typer.Option("--region", help="france (default), idf, "
                                               "other-city or abroad.")]
SkillOpt = Annotated[list[str] | None, typer.Option("--skill", help="A skill you sell "
                                                    "(repeat): rag, llm, nlp, computer-vision.")]


def build_inputs(role: str | None, years: str | None, region: str | None,
                 skills: list[str] | None, rate: float | None):
    """Assemble the quote inputs from the flags; name the flag of any missing value."""
    from tjm.pricing import NATIONAL, QuoteInputs

    missing = [flag for flag, value in (("--role", role), ("--years", years)) if value is None]
    if missing:
        raise UsageError(f"missing {' and '.join(missing)}; pass "
                         f"{'them' if len(missing) > 1 else 'it'} on the command line")
    return QuoteInputs(role=role, years=parse_number("--years", years),
                       region=region or NATIONAL,
                       skills=tuple(sorted(set(skills or ()))), rate=rate)


@app.command()
@error_boundary
def quote(
    role: RoleOpt = None,
    years: YearsOpt = None,
    region: RegionOpt = None,
    skill: SkillOpt = None,
    rate: Annotated[str | None, typer.Option("--rate", help="Your current or planned day "
                                             "rate, to place it in the band.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Suggest a day rate, with its market band and the reasons behind it."""
    from tjm import render
    from tjm.pricing import quote as price

    inputs = build_inputs(role, years, region, skill, parse_number("--rate", rate))
    result = price(inputs, dt.date.today())
    if as_json:
        render.print_json(render.quote_json(result))
    else:
        render.show_quote(_console(), result)


@app.command()
@error_boundary
def compare(
    rate: Annotated[str, typer.Argument(help="The day rate to place in the band, EUR.")],
    role: RoleOpt = None,
    years: YearsOpt = None,
    region: RegionOpt = None,
    skill: SkillOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Place a day rate in its market band: percentile, verdict and gap to the median."""
    from tjm import render
    from tjm.pricing import quote as price

    inputs = build_inputs(role, years, region, skill, parse_number("RATE", rate))
    result = price(inputs, dt.date.today())
    if as_json:
        render.print_json(render.quote_json(result))
    else:
        render.show_compare(_console(), result)


def main() -> None:
    """Run the app as the `tjm` console script."""
    app(prog_name="tjm")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
