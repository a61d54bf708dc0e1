"""The user's own data in $TJM_HOME: observations and missions, read, validated row by row,
written atomically, and the realised rate their missions give."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from pathlib import Path
from typing import Any, NamedTuple

from tjm.clock import today
from tjm.errors import (
    BadFileError,
    DataError,
    InputError,
    UsageError,
    cannot_read,
    labelled,
    not_toml,
)
from tjm.fields import column
from tjm.i18n import _, pgettext
from tjm.market.observations import (
    FIELDS,
    SOURCE_FIELDS,
    Market,
    Observation,
    ObsSource,
    check_field,
    header_lines,
    known_roles,
    load_market,
    located,
    observation_from,
    source_from,
)

USER_SCHEMA_VERSION = 1
MISSION_FIELDS = ("id", "rate", "days", "client", "date", "note")


class Mission(NamedTuple):
    """One of the user's own missions: what they billed, for how many days, when."""

    id: str
    rate: float
    days: float
    client: str
    date: dt.date
    note: str | None = None


def user_path() -> Path:
    """Return the user's observations file, beside the profiles folder in $TJM_HOME."""
    from tjm.store.profiles import profiles_dir

    return profiles_dir().parent / "observations.toml"


class UserData(NamedTuple):
    sources: dict[str, ObsSource]
    observations: tuple[Observation, ...]
    missions: tuple[Mission, ...]


EMPTY = UserData({}, (), ())


def read_user(path: Path | None = None) -> UserData:
    """Read the user's observations and missions; a missing file is no data."""
    path = path or user_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return EMPTY
    except OSError as exc:
        raise DataError(cannot_read(path, exc), code="unreadable-file") from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(labelled(str(path), not_toml(exc))) from None
    version = doc.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        where = labelled(str(path), "schema_version")
        raise DataError(labelled(where, _("expected a whole number >= 1")))
    if version > USER_SCHEMA_VERSION:
        problem = _(
            "written by a newer tjm (schema_version {version}); the file was left as it is"
        ).format(version=version)
        raise DataError(labelled(str(path), problem), code="newer-data-file")
    parsed = parse_rows(doc, text, str(path), load_market().sources)
    if parsed.errors:
        raise DataError(labelled(str(path), parsed.errors[0]))
    return UserData(parsed.sources, parsed.observations, parsed.missions)


class Parsed(NamedTuple):
    sources: dict[str, ObsSource]
    observations: tuple[Observation, ...]
    missions: tuple[Mission, ...]
    errors: tuple[str, ...]  # one message a bad row, its line and key first


def mission_from(row: dict[str, Any]) -> Mission:
    """Validate one mission row: rate, days, client and date."""
    for key in row:
        if key not in MISSION_FIELDS:
            raise InputError(key, _("unknown key"), "unknown-key")
    note = str(row["note"]).strip() or None if row.get("note") else None
    return Mission(
        str(row.get("id") or ""),
        check_field(row, "rate"),
        check_field(row, "days"),
        check_field(row, "client"),
        check_field(row, "date"),
        note,
    )


def parse_rows(doc: dict[str, Any], text: str, file: str, known: dict[str, ObsSource]) -> Parsed:
    """Validate every source, observation and mission of a user document; collect each error
    with its line instead of stopping at the first."""
    errors: list[str] = []
    sources: dict[str, ObsSource] = {}
    for sid, row in (doc.get("sources") or {}).items():
        try:
            sources[sid] = source_from(sid, row)
        except InputError as exc:
            errors.append(located(_line_of_table(text, f"sources.{sid}"), exc, f"sources.{sid}."))
    every = {**known, **sources}
    found = []
    for i, row in enumerate(doc.get("observations") or []):
        line = _nth(header_lines(text, "observations"), i)
        try:
            found.append(
                observation_from({"id": f"u{i + 1}", **row}, every, known_roles(), line, user=True)
            )
        except InputError as exc:
            errors.append(located(line, exc, ""))
    missions = []
    for i, row in enumerate(doc.get("missions") or []):
        line = _nth(header_lines(text, "missions"), i)
        try:
            missions.append(mission_from({"id": f"m{i + 1}", **row}))
        except InputError as exc:
            errors.append(located(line, exc, ""))
    return Parsed(sources, tuple(found), tuple(missions), tuple(errors))


def _nth(lines: list[int], i: int) -> int | None:
    return lines[i] if i < len(lines) else None


def _line_of_table(text: str, name: str) -> int | None:
    pattern = re.compile(rf"^\s*\[\s*{re.escape(name)}\s*\]")
    return next((i for i, line in enumerate(text.splitlines(), 1) if pattern.match(line)), None)


def read_import(path: Path) -> Parsed:
    """Read a CSV or TOML file of observations or missions for `tjm data add`."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadFileError(cannot_read(path, exc), code="unreadable-file") from None
    known = {**load_market().sources, **read_user().sources}
    if path.suffix.lower() == ".toml":
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise BadFileError(labelled(str(path), not_toml(exc))) from None
        return parse_rows(doc, text, str(path), known)
    if path.suffix.lower() == ".csv":
        return _parse_csv(text, known)
    raise BadFileError(labelled(str(path), _("expected a .csv or .toml file")))


def _parse_csv(text: str, known: dict[str, ObsSource]) -> Parsed:
    """Read CSV rows: mission rows (rate, days, client, date) or observation rows, whose
    source is given inline by source_title, publisher, published and url."""
    import csv
    import io

    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missions_only = {"rate", "days", "client", "date"} <= set(header)
    errors: list[str] = []
    found: list[Observation] = []
    missions: list[Mission] = []
    sources: dict[str, ObsSource] = {}
    for row in reader:
        line = reader.line_num
        row = {k: v for k, v in row.items() if k is not None and v not in (None, "")}
        try:
            if missions_only:
                missions.append(mission_from({"id": f"m{len(missions) + 1}", **row}))
                continue
            title = row.pop("source_title", None)
            src = {k: row.pop(k) for k in ("publisher", "published", "url", "recorded") if k in row}
            if title is not None:
                sid = row.get("source") or re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
                sources[sid] = source_from(
                    sid,
                    {"title": title, **src, "recorded": src.get("recorded") or today().isoformat()},
                )
                row["source"] = sid
            found.append(
                observation_from(
                    {"id": f"u{len(found) + 1}", **row},
                    {**known, **sources},
                    known_roles(),
                    line,
                    user=True,
                )
            )
        except InputError as exc:
            errors.append(located(line, exc, column))
    return Parsed(sources, tuple(found), tuple(missions), tuple(errors))


def dump_user(data: UserData) -> str:
    """Return the user's data as TOML (schema USER_SCHEMA_VERSION)."""
    import tomli_w

    def clean(d: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in d.items() if v is not None and v is not False}

    doc = {
        "schema_version": USER_SCHEMA_VERSION,
        "sources": {
            s.id: clean({k: getattr(s, k) for k in SOURCE_FIELDS}) for s in data.sources.values()
        },
        "observations": [
            clean({k: getattr(o, k, None) for k in FIELDS}) for o in data.observations
        ],
        "missions": [clean(m._asdict()) for m in data.missions],
    }
    return tomli_w.dumps(doc)


def write_user(data: UserData, path: Path | None = None) -> Path:
    """Write the user's data atomically (temp file, fsync, replace)."""
    from tjm.store.profiles import write_atomic

    path = path or user_path()
    write_atomic(path, dump_user(data), overwrite=True)
    return path


def add_user(parsed: Parsed) -> tuple[UserData, list[str]]:
    """Add parsed rows to the user's data with fresh ids; return the new data and the ids."""
    current = read_user()
    used = {o.id for o in current.observations} | {m.id for m in current.missions}

    def fresh(prefix: str) -> str:
        n = 1
        while f"{prefix}{n}" in used:
            n += 1
        used.add(f"{prefix}{n}")
        return f"{prefix}{n}"

    obs = [o._replace(id=fresh("u"), line=None) for o in parsed.observations]
    missions = [m._replace(id=fresh("m")) for m in parsed.missions]
    data = UserData(
        {**current.sources, **parsed.sources},
        (*current.observations, *obs),
        (*current.missions, *missions),
    )
    return data, [o.id for o in obs] + [m.id for m in missions]


def remove_user(item: str) -> UserData:
    """Return the user's data without the observation or mission of this id."""
    current = read_user()
    obs = tuple(o for o in current.observations if o.id != item)
    missions = tuple(m for m in current.missions if m.id != item)
    if len(obs) + len(missions) == len(current.observations) + len(current.missions):
        ids = [o.id for o in current.observations] + [m.id for m in current.missions]
        raise UsageError(
            _("no user observation or mission {item}; have: {ids}").format(
                item=repr(item), ids=", ".join(ids) or pgettext("empty list", "none")
            ),
            code="unknown-id",
        )
    return current._replace(observations=obs, missions=missions)


def with_user(market: Market, user: UserData) -> Market:
    """Return the market with the user's observations and missions added."""
    mark = repr((user.observations, user.sources)).encode()
    return market._replace(
        observations=(*market.observations, *user.observations),
        sources={**market.sources, **user.sources},
        missions=user.missions,
        sha256=hashlib.sha256(market.sha256.encode() + mark).hexdigest(),
    )


class Realised(NamedTuple):
    """The user's own missions over the year to as_of: their average rate and billed days."""

    rate: float
    days: float
    missions: int
    since: dt.date


def realised(missions: tuple[Mission, ...], as_of: dt.date) -> Realised | None:
    """Return the day-weighted rate and the days billed in the 365 days to as_of."""
    since = as_of - dt.timedelta(days=365)
    kept = [m for m in missions if since < m.date <= as_of]
    days = sum(m.days for m in kept)
    if not kept or days <= 0:
        return None
    return Realised(sum(m.rate * m.days for m in kept) / days, days, len(kept), since)
