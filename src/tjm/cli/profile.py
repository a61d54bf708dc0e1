"""tjm profile: save, list, show, delete, and where the store is."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from tjm.cli.gather import gather_answers, stored_profile
from tjm.cli.helptext import TjmCommand, TjmGroupBase
from tjm.cli.options import (
    ForceFlag,
    JsonFlag,
    ProfileOpt,
    RateOpt,
    RegionOpt,
    RoleOpt,
    SkillOpt,
    YearsOpt,
    given_flags,
    parse_flag,
    with_income_options,
    with_sales_options,
)
from tjm.cli.output import confirm, emit
from tjm.cli.save import check_save_name, save_profile
from tjm.errors import EXIT_DOMAIN, UsageError
from tjm.fields import check_text
from tjm.i18n import N_, _
from tjm.inputs import NO_INCOME, NO_SALES, IncomeInputs, SalesInputs

if TYPE_CHECKING:
    from pathlib import Path

    from tjm.store.profiles import StoredProfile

# Its help is in tjm.cli.commands, with the root's other commands.
profile_app = typer.Typer(
    cls=TjmGroupBase,
    no_args_is_help=True,
)


@profile_app.command(
    "save",
    cls=TjmCommand,
    help=N_("Save pricing, income and sales inputs (channel, clients) as a named profile."),
)
@with_income_options
@with_sales_options
def profile_save(
    name: Annotated[str, typer.Argument(help=N_("Profile name: lowercase letters, digits, - _."))],
    role: RoleOpt = None,
    years: YearsOpt = None,
    region: RegionOpt = None,
    skill: SkillOpt = None,
    rate: RateOpt = None,
    profile: ProfileOpt = None,
    notes: Annotated[
        str, typer.Option("--notes", help=N_("Free notes kept with the profile."))
    ] = "",
    force: ForceFlag = False,
    income: IncomeInputs = NO_INCOME,
    sales: SalesInputs = NO_SALES,
) -> None:
    """Save pricing, income and sales inputs (channel, clients) as a named profile."""
    check_save_name(name, force)  # before any question is asked
    check_text("notes", notes)
    given = given_flags(role, years, region, skill, parse_flag("rate", rate))
    answers = gather_answers(given, income, sales, stored_profile(profile), may_ask=True)
    save_profile(name, answers, force, notes, base=profile)


@profile_app.command("list", cls=TjmCommand, help=N_("List the saved profiles."))
def profile_list(as_json: JsonFlag = False) -> None:
    """List the saved profiles."""
    from tjm.render import user as render_user
    from tjm.store import profiles

    good, bad = profiles.list_profiles()
    folder = profiles.profiles_dir()
    _warn(good, bad)
    emit(
        "profile-list",
        as_json,
        lambda: render_user.profile_list_json(good, folder),
        lambda console: render_user.show_profile_list(console, good, folder),
    )
    if bad:  # the good ones are listed, but a broken entry is still a failure
        raise typer.Exit(EXIT_DOMAIN)


@profile_app.command("show", cls=TjmCommand, help=N_("Show a profile's values and its file."))
def profile_show(
    name: Annotated[str, typer.Argument(help=N_("A profile name or a path to a .toml file."))],
    as_json: JsonFlag = False,
) -> None:
    """Show a profile's values and its file."""
    from tjm.render import user as render_user
    from tjm.store import profiles

    stored = profiles.load(name)
    _warn([stored])
    emit(
        "profile",
        as_json,
        lambda: render_user.profile_json(stored),
        lambda console: render_user.show_profile(console, stored),
    )


def _warn(good: list[StoredProfile], bad: Sequence[tuple[Path, str]] = ()) -> None:
    """Print on stderr the entries skipped and what each profile's loading noticed."""
    from tjm.render.common import safe

    for path, reason in bad:
        line = _("warning: skipped {file}: {reason}").format(file=path.name, reason=reason)
        typer.echo(safe(line), err=True)
    for stored in good:
        for warning in stored.warnings:
            typer.echo(safe(_("warning: {warning}").format(warning=warning.message)), err=True)


@profile_app.command(
    "delete", cls=TjmCommand, help=N_("Delete a saved profile (asks first unless --yes).")
)
def profile_delete(
    name: Annotated[str, typer.Argument(help=N_("The profile to delete."))],
    yes: Annotated[bool, typer.Option("--yes", "-y", help=N_("Delete without asking."))] = False,
) -> None:
    """Delete a saved profile (asks first unless --yes)."""
    from tjm.store import profiles

    path = profiles.profile_path(name)
    if not profiles.exists(name):  # a dangling link exists too, and needs confirming
        profiles.delete(name)  # raises the not-found error
    if not yes and not confirm(
        _("Delete profile {name} ({path})?").format(name=repr(name), path=path),
        UsageError(_("deleting {name} needs confirmation; pass --yes").format(name=repr(name))),
    ):
        typer.echo(_("Not deleted."), err=True)
        return
    profiles.delete(name)
    typer.echo(_("Deleted {path}").format(path=path), err=True)


@profile_app.command("path", cls=TjmCommand, help=N_("Print the folder where profiles are stored."))
def profile_path() -> None:
    """Print the folder where profiles are stored."""
    from tjm.store import profiles

    print(profiles.profiles_dir())
