"""Turn what the user keeps, profiles and their own data, into terminal output (rich) and
stable JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tjm.render import shown, table, years_span

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console

    from tjm.profiles import StoredProfile
    from tjm.userdata import UserData


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
        console.print(
            f"No data of your own in {path}. Add some with: tjm data add FILE", highlight=False
        )
        return
    if data.observations:
        observed = table(
            f"Your observations ({path})",
            ["id", "role", "years", "region", "statistic", "value", "grade", "source"],
            {"value"},
        )
        for o in data.observations:
            years = years_span(o.min_years, o.max_years)
            observed.add_row(
                o.id, o.role, years, o.region, o.statistic, f"{o.value:g}", o.grade, o.source
            )
        console.print(observed)
    if data.missions:
        missions = table(
            "Your missions", ["id", "date", "client", "rate", "days"], {"rate", "days"}
        )
        for m in data.missions:
            missions.add_row(m.id, m.date.isoformat(), m.client, f"{m.rate:g}", f"{m.days:g}")
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
    }


def profile_list_json(stored: list[StoredProfile], folder: Path) -> dict[str, Any]:
    """Return the saved profiles and the folder they are in."""
    return {"path": str(folder), "profiles": [profile_json(s) for s in stored]}


def show_profile_list(console: Console, stored: list[StoredProfile], folder: Path) -> None:
    """Print a table of the saved profiles."""
    if not stored:
        console.print(f"No profiles in {shown(folder)}. Save one with: tjm profile save NAME ...")
        return
    listed = table(
        f"Profiles in {shown(folder)}", ["name", "role", "years", "region", "updated"], {"years"}
    )
    for s in stored:
        p = s.profile
        updated = p.updated.strftime("%Y-%m-%d %H:%M") if p.updated else ""
        listed.add_row(p.name, p.inputs.role, f"{p.inputs.years:g}", p.inputs.region, updated)
    console.print(listed)


def show_profile(console: Console, stored: StoredProfile) -> None:
    """Print one profile's values and its file."""
    data = profile_json(stored)
    console.print(f"[bold]{shown(data['name'])}[/]  ({shown(data['path'])})")
    for key, value in data["inputs"].items():
        text = ", ".join(value) if isinstance(value, list) else value
        console.print(f"  {key}: {'—' if text in (None, '') else shown(text)}")
    for key, value in data["income"].items():
        console.print(f"  {key}: {shown(value)}")
    for key, value in data["sales"].items():
        if key == "clients":
            value = ", ".join(f"{c['name']}:{c['rate']:g}:{c['days']:g}" for c in value)
        console.print(f"  {key}: {shown(value)}")
    if data["notes"]:
        console.print(f"  notes: {shown(data['notes'])}")
    console.print(f"  created: {data['created'] or '—'}  updated: {data['updated'] or '—'}")
