"""The Typer app: parse flags, call the core, render; the one place errors become exit codes."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import math
import sys
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


def _console():
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


def save_profile(name: str, answers: Answers, force: bool, notes: str = "") -> None:
    """Save answers as a named profile; ask before overwriting, or need --force off a terminal."""
    from tjm import profiles

    profiles.check_name(name)
    if profiles.exists(name) and not force:
        from tjm.prompts import stdin_is_terminal

        if not stdin_is_terminal():
            raise UsageError(f"profile {name!r} exists; pass --force to overwrite it")
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


@app.command()
@error_boundary
@with_income_options
def quote(
    role: RoleOpt = None,
    years: YearsOpt = None,
    region: RegionOpt = None,
    skill: SkillOpt = None,
    rate: RateOpt = None,
    profile: ProfileOpt = None,
    save: Annotated[str | None, typer.Option("--save", metavar="NAME", help="Save the inputs "
                                             "used as a profile of this name.")] = None,
    force: ForceFlag = False,
    as_json: JsonFlag = False,
    income=None,
) -> None:
    """Suggest a day rate, with its market band and the reasons behind it."""
    answers = gather_inputs(role, years, region, skill, parse_number("--rate", rate), income,
                            profile, may_ask=not as_json)
    # Rendering and the model load after the questions, so the first one shows at once.
    from tjm import render
    from tjm.pricing import quote as price

    result = price(answers.inputs, dt.date.today(), income=answers.income)
    if as_json:
        render.print_json(render.quote_json(result))
    else:
        render.show_quote(_console(), result)
    if save is not None:
        save_profile(save, answers, force)
    elif answers.asked:
        from tjm import profiles
        from tjm.prompts import ask_save_name, default_profile_name, make_asker

        stored_name = profile if profile and profiles.resolve(profile).parent == \
            profiles.profiles_dir() else None
        name = ask_save_name(make_asker(), stored_name or default_profile_name(answers.inputs),
                             profiles.exists)
        if name is not None:
            save_profile(name, answers, force=True)


@app.command()
@error_boundary
@with_income_options
def compare(
    rate: Annotated[str, typer.Argument(help="The day rate to place in the band, EUR.")],
    role: RoleOpt = None,
    years: YearsOpt = None,
    region: RegionOpt = None,
    skill: SkillOpt = None,
    profile: ProfileOpt = None,
    as_json: JsonFlag = False,
    income=None,
) -> None:
    """Place a day rate in its market band: percentile, verdict and gap to the median."""
    answers = gather_inputs(role, years, region, skill, parse_number("RATE", rate), income,
                            profile, may_ask=not as_json, ask_rate=False)
    from tjm import render
    from tjm.pricing import quote as price

    result = price(answers.inputs, dt.date.today(), income=answers.income)
    if as_json:
        render.print_json(render.quote_json(result))
    else:
        render.show_compare(_console(), result)


@app.command()
@error_boundary
@with_income_options
def floor(
    profile: ProfileOpt = None,
    as_json: JsonFlag = False,
    income=None,
) -> None:
    """Work out the lowest day rate that reaches a target net income."""
    from tjm import render
    from tjm.benchmarks import load_dataset
    from tjm.income import floor as solve

    if profile is not None:
        from tjm import profiles

        income = income.merged_over(profiles.load(profile).profile.income)
    result = solve(income, load_dataset().billable_days, dt.date.today())
    if as_json:
        render.print_json(render.floor_json(result))
    else:
        render.show_floor(_console(), result)


# --------------------------------------------------------------------- profiles

profile_app = typer.Typer(help="Save, list, show and delete freelancer profiles.",
                          no_args_is_help=True)
app.add_typer(profile_app, name="profile")


@profile_app.command("save")
@error_boundary
@with_income_options
def profile_save(
    name: Annotated[str, typer.Argument(help="Profile name: lowercase letters, digits, - _.")],
    role: RoleOpt = None,
    years: YearsOpt = None,
    region: RegionOpt = None,
    skill: SkillOpt = None,
    rate: RateOpt = None,
    profile: ProfileOpt = None,
    notes: Annotated[str, typer.Option("--notes", help="Free notes kept with the profile.")] = "",
    force: ForceFlag = False,
    income=None,
) -> None:
    """Save pricing and income inputs as a named profile."""
    from tjm.benchmarks import load_dataset
    from tjm.pricing import check_inputs

    answers = gather_inputs(role, years, region, skill, parse_number("--rate", rate), income,
                            profile, may_ask=True)
    check_inputs(load_dataset(), answers.inputs)
    save_profile(name, answers, force, notes)


@profile_app.command("list")
@error_boundary
def profile_list(as_json: JsonFlag = False) -> None:
    """List the saved profiles."""
    from tjm import profiles, render

    good, bad = profiles.list_profiles()
    for path, reason in bad:
        typer.echo(f"warning: skipped {path.name}: {reason}", err=True)
    if as_json:
        render.print_json({"profiles": [render.profile_json(s) for s in good]})
    else:
        render.show_profile_list(_console(), good, profiles.profiles_dir())


@profile_app.command("show")
@error_boundary
def profile_show(
    name: Annotated[str, typer.Argument(help="A profile name or a path to a .toml file.")],
    as_json: JsonFlag = False,
) -> None:
    """Show a profile's values and its file."""
    from tjm import profiles, render

    stored = profiles.load(name)
    if as_json:
        render.print_json(render.profile_json(stored))
    else:
        render.show_profile(_console(), stored)


@profile_app.command("delete")
@error_boundary
def profile_delete(
    name: Annotated[str, typer.Argument(help="The profile to delete.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking.")] = False,
) -> None:
    """Delete a saved profile (asks first unless --yes)."""
    from tjm import profiles

    path = profiles.profile_path(name)
    if not path.exists():
        profiles.delete(name)  # raises the not-found error
    if not yes:
        from tjm.prompts import stdin_is_terminal

        if not stdin_is_terminal():
            raise UsageError(f"deleting {name!r} needs confirmation; pass --yes")
        if not ask_yes_no(f"Delete profile {name!r} ({path})?"):
            typer.echo("Not deleted.", err=True)
            return
    profiles.delete(name)
    typer.echo(f"Deleted {path}", err=True)


@profile_app.command("path")
@error_boundary
def profile_path() -> None:
    """Print the folder where profiles are stored."""
    from tjm import profiles

    typer.echo(str(profiles.profiles_dir()))


# ------------------------------------------------------------------------ batch

PROGRESS_ABOVE = 10_000


@app.command()
@error_boundary
def batch(
    roster: Annotated[str, typer.Argument(help="A CSV with one freelancer per row: name, role, "
                                          "years, region, skills (';'-separated), rate, and "
                                          "optional income columns.")],
    output: Annotated[str | None, typer.Option("--output", "-o", help="Write here instead of "
                                               "stdout (atomically).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    strict: Annotated[bool, typer.Option("--strict", help="Stop at the first bad row and "
                                         "write nothing.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
    force: ForceFlag = False,
) -> None:
    """Price a whole roster: each row gets its target, band, percentile, verdict and floor."""
    import contextlib
    import shutil
    import tempfile
    from pathlib import Path

    from tjm import batch as roster_batch
    from tjm.pricing import default_model

    if fmt not in ("csv", "json"):
        raise UsageError(f"--format: expected csv or json, got {fmt!r}")
    source_path = Path(roster)
    try:
        source = source_path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise roster_batch.RosterError(f"{roster}: {exc.strerror or exc}") from None

    def report(line: int, reason: str) -> None:
        typer.echo(f"{roster}:{line}: {reason}", err=True)

    with contextlib.ExitStack() as stack:
        stack.enter_context(source)
        progress = lambda n: None  # noqa: E731
        if not quiet and sys.stderr.isatty():
            lines = roster_batch.count_lines(source_path)
            if lines > PROGRESS_ABOVE:
                from rich.progress import Progress

                bar = stack.enter_context(Progress(transient=True))
                task = bar.add_task("pricing", total=lines - 1)
                progress = lambda n: bar.update(task, completed=n)  # noqa: E731
        if output is not None:
            out = stack.enter_context(roster_batch.staged_output(Path(output), force))
        else:  # staged too, so that --strict prints nothing when a row is bad
            out = stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8",
                                                             newline=""))
        try:
            summary = roster_batch.price_roster(default_model(), source, out, fmt, strict,
                                                dt.date.today(), report, progress, roster)
        except UnicodeDecodeError as exc:
            raise roster_batch.RosterError(f"{roster}: not UTF-8 text ({exc.reason})") from None
        if output is None:
            out.seek(0)
            shutil.copyfileobj(out, sys.stdout)
    where = f" to {output}" if output else ""
    typer.echo(f"Priced {summary.rows - summary.bad_rows} of {summary.rows} rows{where}; "
               f"{summary.bad_rows} bad.", err=True)


def main() -> None:
    """Run the app as the `tjm` console script."""
    app(prog_name="tjm")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
