"""Save a command's answers as a named profile: never over another without a confirmation
or --force, and a bad name refused before any work."""

from __future__ import annotations

import datetime as dt

import typer

from tjm.cli.gather import Answers
from tjm.cli.output import confirm, require_terminal
from tjm.fields import check_text
from tjm.i18n import _
from tjm.inputs import SalesInputs


def check_save_name(name: str | None, force: bool = True) -> None:
    """Refuse a bad profile name, an unusable store, or (off a terminal, without --force) a
    taken name, before any work is done or anything printed."""
    if name is None:
        return
    from tjm.store import profiles

    profiles.check_name(name)
    profiles.check_store()
    if not force and profiles.exists(name):
        require_terminal(profiles.exists_error(name))


def save_profile(
    name: str, answers: Answers, force: bool, notes: str = "", base: str | None = None
) -> None:
    """Save answers as a named profile; ask before overwriting, or need --force off a terminal.
    It keeps the language --lang gave, else the one of the profile `base` (--profile) names,
    else the one of the profile it overwrites."""
    from tjm.cli import lang
    from tjm.store import profiles

    profiles.check_name(name)
    check_text("notes", notes)
    if profiles.exists(name) and not force:
        # The same words and exit code as losing the race at the hard link (exists_error).
        question = _("Profile {name} exists. Overwrite it?").format(name=repr(name))
        if not confirm(question, profiles.exists_error(name)):
            typer.echo(_("Not saved; the existing profile was kept."), err=True)
            return
        force = True
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    profile = profiles.Profile(
        name=name,
        inputs=answers.inputs,
        income=answers.income,
        notes=notes,
        sales=answers.sales or SalesInputs(),
        lang=lang.current_run().flag or lang.profile_language(base or name),
    )
    path = profiles.save(profile, now, overwrite=force)
    typer.echo(_("Saved profile {name} to {path}").format(name=repr(name), path=path), err=True)


def offer_save(answers: Answers, profile: str | None) -> None:
    """After the questions, offer to save the answers: under the profile's own name when it
    came from the store, else a name made from the role and the region."""
    from tjm.cli.prompts import ask_save_name, default_profile_name, make_asker
    from tjm.store import profiles

    stored_name = (
        profile if profile and profiles.resolve(profile).parent == profiles.profiles_dir() else None
    )
    name = ask_save_name(
        make_asker(), stored_name or default_profile_name(answers.inputs), profiles.exists
    )
    if name is not None:
        save_profile(name, answers, force=True, base=profile)
