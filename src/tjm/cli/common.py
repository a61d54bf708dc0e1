"""What every command shares: the app, the error boundary, flag parsing and options,
and gathering inputs from flags, a profile or the questions."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import math
from typing import Annotated, NamedTuple

import typer

from tjm import __version__
from tjm.errors import EXIT_CANCELLED, TjmError, UsageError

app = typer.Typer(
    help="Price a freelance day rate (TJM) against the market, your costs and your skills.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


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


def parse_whole(flag: str, text: str | None) -> int | None:
    """Parse a flag's text as a whole number, or fail with a line naming the flag."""
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        raise UsageError(f"{flag}: expected a whole number, got {text!r}") from None


def _income_option(flag: str, help_text: str, metavar: str = "NUMBER"):
    return Annotated[str | None, typer.Option(flag, help=help_text, metavar=metavar,
                                              rich_help_panel="Income (for the floor)")]


# name -> (option, parser); numbers are parsed here so that bad text gets one clear line.
INCOME_OPTIONS = {
    "target_net": (_income_option("--target-net", "Net income you want per year, EUR."),
                   parse_number),
    "status": (_income_option("--status", "micro-bnc (default), micro-bnc-cipav, portage "
                              "or custom.", "STATUS"), None),
    "days": (_income_option("--days", "Billable days per year (instead of the parts)."),
             parse_number),
    "holidays": (_income_option("--holidays", "Holidays per year (default 25)."),
                 parse_number),
    "sick": (_income_option("--sick", "Sick days per year (default 4)."), parse_number),
    "non_billable": (_income_option("--non-billable", "Prospecting/admin days (default 45)."),
                     parse_number),
    "expenses": (_income_option("--expenses", "Yearly business expenses, EUR (default 0)."),
                 parse_number),
    "household": (_income_option("--household", "single (default) or couple.", "HOUSEHOLD"),
                  None),
    "children": (_income_option("--children", "Dependent children (tax shares)."),
                 parse_whole),
    "versement_liberatoire": (Annotated[bool | None, typer.Option(
        "--versement-liberatoire/--no-versement-liberatoire",
        help="Pay income tax with contributions (micro only).",
        rich_help_panel="Income (for the floor)")], None),
    "portage_fee": (_income_option("--portage-fee", "Portage management fee, % (default 10)."),
                    parse_number),
    "portage_net": (_income_option("--portage-net", "Portage net salary, % of what the fee "
                                   "leaves."), parse_number),
    "charges_rate": (_income_option("--charges-rate", "Overall charge rate for --status "
                                    "custom, % (45 means 45%)."), parse_number),
    "year": (_income_option("--year", "Rules year (default: this year, else the latest)."),
             parse_whole),
}


def with_income_options(command):
    """Add the income flags to a command, handing it one IncomeInputs as `income`."""
    signature = inspect.signature(command, eval_str=True)
    extra = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None,
                               annotation=option)
             for name, (option, _) in INCOME_OPTIONS.items()]
    kept = [p for p in signature.parameters.values() if p.name != "income"]

    @functools.wraps(command)
    def run(*args, **kwargs):
        from tjm.income import IncomeInputs, check_income

        values = {}
        for name, (_, parse) in INCOME_OPTIONS.items():
            raw = kwargs.pop(name)
            flag = "--" + name.replace("_", "-")
            values[name] = parse(flag, raw) if parse and raw is not None else raw
        return command(*args, income=check_income(IncomeInputs(**values)), **kwargs)

    run.__signature__ = signature.replace(parameters=[*kept, *extra])
    return run


def make_console():
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


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


JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON, no colour.")]

RoleOpt = Annotated[str | None, typer.Option("--role", metavar="ROLE", help="ai-engineer, "
                                             "data-scientist or data-engineer.")]
YearsOpt = Annotated[str | None, typer.Option("--years", metavar="NUMBER",
                                              help="Years of experience, 0 to 50.")]
RegionOpt = Annotated[str | None, typer.Option("--region", metavar="REGION", help="france "
                                               "(default), idf, other-city or abroad.")]
SkillOpt = Annotated[list[str] | None, typer.Option("--skill", metavar="SKILL", help="A skill "
                                                    "you sell (repeat): rag, llm, nlp, "
                                                    "computer-vision.")]
ProfileOpt = Annotated[str | None, typer.Option(
    "--profile", metavar="NAME|PATH",
    help="A saved profile's name, or a path to a .toml profile; flags override its values.")]
ForceFlag = Annotated[bool, typer.Option("--force", help="Overwrite a profile of the same "
                                         "name without asking.")]


class Answers(NamedTuple):
    """What a pricing command works from: the flags, the profile, and any answers."""

    inputs: object  # QuoteInputs
    income: object  # IncomeInputs
    asked: bool  # True when the questions ran


def gather_inputs(role: str | None, years: str | None, region: str | None,
                  skills: list[str] | None, rate: float | None, income, profile: str | None,
                  may_ask: bool, ask_rate: bool = True) -> Answers:
    """Merge flags over the profile; on a terminal with role or years missing, ask instead,
    offering the profile's values as defaults; else name the missing flags."""
    from tjm.pricing import NATIONAL, QuoteInputs

    years_given = parse_number("--years", years)
    skills_given = tuple(sorted(set(skills))) if skills else None
    base = base_income = None
    if profile is not None:
        from tjm import profiles

        stored = profiles.load(profile).profile
        base, base_income = stored.inputs, stored.income
    if (role is None or years is None) and may_ask:
        from tjm import prompts

        if prompts.stdin_is_terminal():
            from tjm.benchmarks import load_dataset

            asker, dataset = prompts.make_asker(), load_dataset()
            given = prompts.Given(role, years_given, region, skills_given, rate)
            inputs = prompts.ask_quote_inputs(asker, dataset, given, base, ask_rate)
            income = prompts.ask_income(asker, income, base_income, dataset.billable_days)
            return Answers(inputs, income, True)
    missing = [flag for flag, value in (("--role", role), ("--years", years))
               if value is None and base is None]
    if missing:
        raise UsageError(f"missing {' and '.join(missing)}; pass "
                         f"{'them' if len(missing) > 1 else 'it'} on the command line, "
                         "or --profile NAME")
    inputs = QuoteInputs(
        role=role if role is not None else base.role,
        years=years_given if years_given is not None else base.years,
        region=region or (base.region if base else NATIONAL),
        skills=skills_given if skills_given is not None else (base.skills if base else ()),
        rate=rate if rate is not None else (base.rate if base else None),
    )
    return Answers(inputs, income.merged_over(base_income), False)


def ask_yes_no(question: str, default: bool = False) -> bool:
    """Ask a yes/no question on the terminal."""
    from tjm.prompts import make_asker

    return make_asker().confirm(question, default)


def check_save_target(name: str, force: bool) -> None:
    """Refuse a --save NAME that cannot be saved, before anything is computed or printed."""
    from tjm import profiles

    if profiles.exists(name) and not force:
        from tjm.prompts import stdin_is_terminal

        if not stdin_is_terminal():
            raise profiles.exists_error(name)


def save_profile(name: str, answers: Answers, force: bool, notes: str = "") -> None:
    """Save answers as a named profile; ask before overwriting, or need --force off a terminal."""
    from tjm import profiles

    profiles.check_name(name)
    if profiles.exists(name) and not force:
        from tjm.prompts import stdin_is_terminal

        if not stdin_is_terminal():
            raise profiles.exists_error(name)
        if not ask_yes_no(f"Profile {name!r} exists. Overwrite it?"):
            typer.echo("Not saved; the existing profile was kept.", err=True)
            return
        force = True
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    profile = profiles.Profile(name=name, inputs=answers.inputs, income=answers.income,
                               notes=notes)
    path = profiles.save(profile, now, overwrite=force)
    typer.echo(f"Saved profile {name!r} to {path}", err=True)


RateOpt = Annotated[str | None, typer.Option(
    "--rate", metavar="EUR", help="Your current or planned day rate, to place it in the band.")]

