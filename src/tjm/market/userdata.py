"""The user's own data in $TJM_HOME: observations and missions, read, validated row by row,
written atomically, and the realised rate their missions give."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any, NamedTuple

from tjm import files
from tjm.clock import today
from tjm.errors import BadFileError, DataError, InputError, UsageError, labelled
from tjm.fields import check_not_future, column
from tjm.i18n import _, pgettext
from tjm.i18n.formats import format_number
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


# The user's file and the files `tjm data add` reads: thousands of rows fit in far less.
MAX_BYTES = 8 << 20
FIELD_LIMIT = 131_072  # characters in one CSV field: the csv module's own default


def read_user(path: Path | None = None) -> UserData:
    """Read the user's observations and missions; a missing file is no data.

    The file is opened as the profile store opens a profile: a regular file (or a link to one)
    of at most MAX_BYTES, UTF-8, TOML nested at most files.MAX_DEPTH deep.
    """
    path = path or user_path()
    try:
        text = files.read_text(path, MAX_BYTES)
        doc = files.parse_toml(text, path)
    except files.Unreadable as exc:
        if exc.why == "missing":
            return EMPTY
        code = "unreadable-file" if exc.error is not None else None
        raise DataError(labelled(str(path), exc.problem), code=code) from None
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


def user_for_pricing(no_user_data: bool) -> UserData | None:
    """Return the user's data for a quote or a batch (None with --no-user-data); a bad file
    is one error that says how to price without it."""
    if no_user_data:
        return None
    try:
        return read_user()
    except DataError as exc:
        hint = _("{problem} (--no-user-data prices without it)").format(problem=exc)
        raise DataError(hint, code=exc.code) from None


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
    mission = Mission(
        str(row.get("id") or ""),
        check_field(row, "rate"),
        check_field(row, "days"),
        check_field(row, "client"),
        check_field(row, "date"),
        note,
    )
    check_not_future("date", mission.date, today())
    return mission


def parse_rows(doc: dict[str, Any], text: str, file: str, known: dict[str, ObsSource]) -> Parsed:
    """Validate every source, observation and mission of a user document; collect each error
    with its line instead of stopping at the first."""
    errors: list[str] = []
    sources: dict[str, ObsSource] = {}
    for sid, row in (doc.get("sources") or {}).items():
        try:
            sources[sid] = source_from(sid, row, user=True)
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


STDIN = "-"


def read_import(name: str | Path) -> Parsed:
    """Read a CSV or TOML file of observations or missions for `tjm data add`; `-` reads
    standard input (TOML when its first line is a table or a key = value, else CSV)."""
    import sys

    name = str(name)
    try:
        if name == STDIN:
            stream = getattr(sys.stdin, "buffer", None)
            if stream is None:
                raise files.Unreadable(name, _("standard input is closed"), "os")
            text = files.decode(files.read_stream(stream, MAX_BYTES, name), name)
        else:
            text = files.read_text(name, MAX_BYTES)
    except files.Unreadable as exc:
        code = "unreadable-file" if exc.why in ("os", "missing", "dangling") else None
        raise BadFileError(labelled(name, exc.problem), code=code) from None
    known = {**load_market().sources, **read_user().sources}
    kind = Path(name).suffix.lower() if name != STDIN else _sniff(text)
    if kind == ".toml":
        try:
            doc = files.parse_toml(text, name)
        except files.Unreadable as exc:
            raise BadFileError(labelled(name, exc.problem)) from None
        return parse_rows(doc, text, name, known)
    if kind == ".csv":
        return _parse_csv(text, known)
    raise BadFileError(labelled(name, _("expected a .csv or .toml file, or - for stdin")))


def _sniff(text: str) -> str:
    """Tell TOML from CSV on stdin by the first line that is not blank or a comment."""
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            return ".toml" if line.startswith("[") or re.match(r"^[\w\"'.-]+\s*=", line) else ".csv"
    return ".csv"


def _parse_csv(text: str, known: dict[str, ObsSource]) -> Parsed:
    """Read CSV rows: mission rows (rate, days, client, date) or observation rows, whose
    source is given inline by source_title, publisher, published and url."""
    import csv
    import io

    csv.field_size_limit(FIELD_LIMIT)  # global: tjm batch sets its own before reading
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = [h.strip() for h in reader.fieldnames or []]
    except csv.Error as exc:
        problem = _("line {line}: {message}").format(line=1, message=csv_problem(exc))
        return Parsed({}, (), (), (problem,))
    reader.fieldnames = header
    missions_only = {"rate", "days", "client", "date"} <= set(header)
    errors: list[str] = []
    found: list[Observation] = []
    missions: list[Mission] = []
    sources: dict[str, ObsSource] = {}
    while True:
        before = reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # the reader goes on at the next line
            line = before + 1  # the csv module has not counted the line it refused
            errors.append(_("line {line}: {message}").format(line=line, message=csv_problem(exc)))
            continue
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
                    user=True,
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


def csv_problem(exc: Exception) -> str:
    """Say why the csv module refused a record; a long field names the documented limit."""
    if "field larger than field limit" in str(exc):
        return _("a field over the limit of {limit} characters").format(
            limit=format_number(FIELD_LIMIT)
        )
    return _("cannot be read as CSV: {details}").format(details=exc)


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
    text = dump_user(data)
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        problem = _(
            "the data would take {size} bytes, more than the {limit} the file may hold; "
            "nothing was written"
        ).format(size=format_number(size), limit=format_number(MAX_BYTES))
        raise BadFileError(labelled(str(path), problem), code="data-file-full")
    write_atomic(path, text, overwrite=True, what="data")
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
