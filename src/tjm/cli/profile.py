"""tjm profile: save, list, show, delete, and where the store is."""

from __future__ import annotations

from typing import Annotated

import typer

from tjm.cli.common import (
    ForceFlag,
    JsonFlag,
    ProfileOpt,
    RateOpt,
    RegionOpt,
    RoleOpt,
    SkillOpt,
    YearsOpt,
    check_save_name,
    confirm_or_require,
    gather_inputs,
    given_flags,
    imply_status,
    make_console,
    parse_flag,
    save_profile,
    settle_sales,
    with_income_options,
    with_sales_options,
)
from tjm.errors import EXIT_DOMAIN
from tjm.fields import check_text
from tjm.inputs import NO_INCOME, NO_SALES, IncomeInputs, SalesInputs

profile_app = typer.Typer(
    help="Save, list, show and delete freelancer profiles.", no_args_is_help=True
)


@profile_app.command("save")
@with_income_options
@with_sales_options
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
    income: IncomeInputs = NO_INCOME,
    sales: SalesInputs = NO_SALES,
) -> None:
    """Save pricing, income and sales inputs (channel, clients) as a named profile."""
    check_save_name(name, force)  # before any question is asked
    check_text("notes", notes)
    given = given_flags(role, years, region, skill, parse_flag("rate", rate))
    answers = gather_inputs(given, imply_status(sales, income), profile, may_ask=True, sales=sales)
    sales, settled = settle_sales(answers.sales or sales, answers.income, profile)
    save_profile(name, answers._replace(income=settled), force, notes, sales=sales)


@profile_app.command("list")
def profile_list(as_json: JsonFlag = False) -> None:
    """List the saved profiles."""
    from tjm import profiles, render

    good, bad = profiles.list_profiles()
    for path, reason in bad:
        typer.echo(render.safe(f"warning: skipped {path.name}: {reason}"), err=True)
    for stored in good:
        for warning in stored.warnings:
            typer.echo(render.safe(f"warning: {warning.message}"), err=True)
    if as_json:
        render.print_json({"profiles": [render.profile_json(s) for s in good]})
    else:
        render.show_profile_list(make_console(), good, profiles.profiles_dir())
    if bad:  # the good ones are listed, but a broken entry is still a failure
        raise typer.Exit(EXIT_DOMAIN)


@profile_app.command("show")
def profile_show(
    name: Annotated[str, typer.Argument(help="A profile name or a path to a .toml file.")],
    as_json: JsonFlag = False,
) -> None:
    """Show a profile's values and its file."""
    from tjm import profiles, render

    stored = profiles.load(name)
    for warning in stored.warnings:
        typer.echo(render.safe(f"warning: {warning.message}"), err=True)
    if as_json:
        render.print_json(render.profile_json(stored))
    else:
        render.show_profile(make_console(), stored)


@profile_app.command("delete")
def profile_delete(
    name: Annotated[str, typer.Argument(help="The profile to delete.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking.")] = False,
) -> None:
    """Delete a saved profile (asks first unless --yes)."""
    from tjm import profiles

    path = profiles.profile_path(name)
    if not profiles.exists(name):  # a dangling link exists too, and needs confirming
        profiles.delete(name)  # raises the not-found error
    if not yes and not confirm_or_require(
        f"Delete profile {name!r} ({path})?", f"deleting {name!r} needs confirmation; pass --yes"
    ):
        typer.echo("Not deleted.", err=True)
        return
    profiles.delete(name)
    typer.echo(f"Deleted {path}", err=True)


@profile_app.command("path")
def profile_path() -> None:
    """Print the folder where profiles are stored."""
    from tjm import profiles

    print(profiles.profiles_dir())
