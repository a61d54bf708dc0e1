"""Turn what the user keeps, profiles and their own data, into terminal output (rich) and
stable JSON."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from tjm.errors import labelled
from tjm.i18n import _, pgettext
from tjm.i18n.formats import format_short
from tjm.render.common import day, say, shown, table, years_span

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console

    from tjm.market.userdata import UserData
    from tjm.store.profiles import StoredProfile


def user_data_json(data: UserData, path: Path) -> dict[str, Any]:
    """Return the user's observations and missions as JSON."""
    return {
        "path": str(path),
        "observations": [
            {k: v for k, v in o._asdict().items() if k not in ("line", "user")}
            for o in data.observations
        ],
        "missions": [{**m._asdict(), "date": m.date.isoformat()} for m in data.missions],
    }


def show_user_data(console: Console, data: UserData, path: Path) -> None:
    """Print the user's observations and missions with their ids."""
    if not data.observations and not data.missions:
        say(
            console,
            _("No data of your own in {path}. Add some with: tjm data add FILE").format(
                path=shown(path)
            ),
        )
        return
    if data.observations:
        # TRANSLATORS: the user's observations table's columns
        value = _("value")
        columns = ["id", _("role"), _("years"), _("region"), _("statistic"), value, _("grade")]
        observed = table(
            _("Your observations ({path})").format(path=shown(path)),
            [*columns, _("source")],
            {value},
        )
        for o in data.observations:
            years = years_span(o.min_years, o.max_years)
            observed.add_row(
                o.id, o.role, years, o.region, o.statistic, format_short(o.value), o.grade, o.source
            )
        console.print(observed)
    if data.missions:
        # TRANSLATORS: the user's missions table's columns
        numbers = [pgettext("column", "rate"), _("days")]
        missions = table(_("Your missions"), ["id", _("date"), _("client"), *numbers], set(numbers))
        for m in data.missions:
            missions.add_row(
                m.id, day(m.date), m.client, format_short(m.rate), format_short(m.days)
            )
        console.print(missions)


# -------------------------------------------------------------------- profiles


def profile_json(stored: StoredProfile) -> dict[str, Any]:
    """Return a stored profile as JSON: its values and its file."""
    p = stored.profile
    return {
        "name": p.name,
        "path": str(stored.path),
        "inputs": {**p.inputs._asdict(), "skills": list(p.inputs.skills)},
        "income": {k: v for k, v in p.income._asdict().items() if v is not None},
        "sales": {
            k: [c._asdict() for c in v] if k == "clients" else v
            for k, v in p.sales._asdict().items()
            if v not in (None, ())
        },
        "notes": p.notes,
        "created": p.created.isoformat() if p.created else None,
        "updated": p.updated.isoformat() if p.updated else None,
        "lang": p.lang,
    }


def profile_list_json(stored: list[StoredProfile], folder: Path) -> dict[str, Any]:
    """Return the saved profiles and the folder they are in."""
    return {"path": str(folder), "profiles": [profile_json(s) for s in stored]}


def _stamp(when: dt.datetime | None) -> str:
    """Return a profile's time stamp as the date in the active language and the time."""
    return "—" if when is None else f"{day(when.date())} {when:%H:%M}"


def show_profile_list(console: Console, stored: list[StoredProfile], folder: Path) -> None:
    """Print a table of the saved profiles."""
    if not stored:
        say(
            console,
            _("No profiles in {folder}. Save one with: tjm profile save NAME ...").format(
                folder=shown(folder)
            ),
        )
        return
    # TRANSLATORS: the profiles table's columns
    years = _("years")
    listed = table(
        _("Profiles in {folder}").format(folder=shown(folder)),
        [_("name"), _("role"), years, _("region"), _("updated")],
        {years},
    )
    for s in stored:
        p = s.profile
        updated = _stamp(p.updated) if p.updated else ""
        listed.add_row(
            p.name, p.inputs.role, format_short(p.inputs.years), p.inputs.region, updated
        )
    console.print(listed)


def show_profile(console: Console, stored: StoredProfile) -> None:
    """Print one profile's values, under the keys its file uses, and its file."""
    data = profile_json(stored)
    p = stored.profile
    say(console, f"[bold]{shown(data['name'])}[/]  ({shown(data['path'])})")
    for key, value in data["inputs"].items():
        text = ", ".join(value) if isinstance(value, list) else value
        shown_value = "—" if text in (None, "") else shown(_value(text))
        say(console, "  " + labelled(key, shown_value))
    for key, value in data["income"].items():
        say(console, "  " + labelled(key, shown(_value(value))))
    for key, value in data["sales"].items():
        if key == "clients":
            value = ", ".join(f"{c['name']}:{c['rate']:g}:{c['days']:g}" for c in value)
        say(console, "  " + labelled(key, shown(_value(value))))
    if data["notes"]:
        say(console, "  " + labelled(_("notes"), shown(data["notes"])))
    if p.lang is not None:
        say(console, "  " + labelled("lang", p.lang))
    created = labelled(_("created"), _stamp(p.created))
    updated = labelled(_("updated"), _stamp(p.updated))
    say(console, f"  {created}  {updated}")


def _value(value: object) -> object:
    """Return a profile's number in the active language (55000 as 55,000 or 55 000)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return format_short(value)
