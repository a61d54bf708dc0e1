"""Freelancer profiles: the Profile value, its TOML shape, migrations, and the atomic store."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import stat
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from tjm import atomic
from tjm.clock import today
from tjm.errors import (
    DestinationError,
    InputError,
    ProfileError,
    StoreError,
    UnknownIdError,
    UsageError,
)
from tjm.fields import NATIONAL, check_value, parse_value
from tjm.inputs import (
    IncomeInputs,
    QuoteInputs,
    SalesInputs,
    check_income,
    check_quote,
    check_sales,
)

SCHEMA_VERSION = 3
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# Names Windows reserves for devices, whatever the extension.
DEVICE_NAMES = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}
SUFFIX = ".toml"


def _v1_to_v2(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 2 adds the statuses beyond micro and their options (income.salary_share,
    dividend_tax, capital); every version-1 income table is a valid version-2 one as is.

    Version 1 took a portage target net before income tax; version 2 takes every net after
    it, which is what a target asks for, so the target is kept as written.
    """
    return {**doc, "schema_version": 2}


# One upgrade step per version: MIGRATIONS[n] turns a version-n document into n+1.
def _v2_to_v3(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 3 adds how one sells: the optional [sales] table (channel, its options,
    clients, discount, half-days) and income.days_per_week; a version-2 file is valid as is."""
    return {**doc, "schema_version": 3}


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2, 2: _v2_to_v3}


class Profile(NamedTuple):
    name: str
    inputs: QuoteInputs
    income: IncomeInputs = IncomeInputs()
    notes: str = ""
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    sales: SalesInputs = SalesInputs()


class StoredProfile(NamedTuple):
    """A profile, the file it was read from, and what to warn about it (a name mismatch)."""

    profile: Profile
    path: Path
    warnings: tuple[str, ...] = ()


def check_name(name: object) -> str:
    """Return the name if it is a safe profile name, else raise UsageError."""
    if not isinstance(name, str) or not NAME_PATTERN.match(name) or name in DEVICE_NAMES:
        raise UsageError(
            f"invalid profile name {name!r}: use 1–64 lowercase letters, digits, "
            "'-' or '_', starting with a letter or digit"
        )
    return name


def profiles_dir() -> Path:
    """Return the store: $TJM_HOME/profiles, else the platformdirs user data folder."""
    home = os.environ.get("TJM_HOME")
    if home:
        return Path(home) / "profiles"
    import platformdirs

    return platformdirs.user_data_path("tjm") / "profiles"


def profile_path(name: str) -> Path:
    return profiles_dir() / f"{check_name(name)}{SUFFIX}"


# ------------------------------------------------------------ TOML <-> Profile


def _bad(source: str, key: str, expected: str, got: Any) -> ProfileError:
    return ProfileError(f"{source}: {key}: expected {expected}, got {got!r}")


def _key_in(table: str) -> Callable[[str], str]:
    return lambda key: f"{table}.{key}"


def _read(key: str, value: Any) -> Any:
    """Check a file's value: TOML numbers as they are, text as a flag's text is read."""
    return parse_value(key, value) if isinstance(value, str) else check_value(key, value)


def _income_from(source: str, table: Any) -> IncomeInputs:
    if not isinstance(table, dict):
        raise _bad(source, "income", "a table", table)
    values: dict[str, Any] = {}  # each checked by check_value for its field's type
    for key, value in table.items():
        if key not in IncomeInputs._fields:
            raise ProfileError(f"{source}: income.{key}: unknown key")
        try:
            values[key] = _read(key, value)
        except InputError as exc:
            raise ProfileError(f"{source}: {exc.labelled(_key_in('income'))}") from None
    return IncomeInputs(**values)


def _sales_from(source: str, table: Any) -> SalesInputs:
    if not isinstance(table, dict):
        raise _bad(source, "sales", "a table", table)
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in SalesInputs._fields:
            raise ProfileError(f"{source}: sales.{key}: unknown key")
        try:
            if key == "clients":
                if not isinstance(value, list):
                    raise _bad(source, "sales.clients", "a list of tables", value)
                values[key] = tuple(check_value(key, v) for v in value)
            else:
                values[key] = check_value(key, value)
        except InputError as exc:
            raise ProfileError(f"{source}: {exc.labelled(_key_in('sales'))}") from None
    return SalesInputs(**values)


def _time(source: str, key: str, value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        raise _bad(source, key, "a date and time", value)
    return value


def migrate(doc: dict[str, Any], source: str) -> dict[str, Any]:
    """Upgrade an on-disk document to SCHEMA_VERSION, one step per version."""
    version = doc.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _bad(source, "schema_version", "a whole number >= 1", version)
    if version > SCHEMA_VERSION:
        raise ProfileError(
            f"{source}: written by a newer tjm (schema_version {version}; this "
            f"tjm reads up to {SCHEMA_VERSION}); the file was left as it is"
        )
    while version < SCHEMA_VERSION:
        doc = MIGRATIONS[version](doc)
        version = doc["schema_version"]
    return doc


def profile_from_doc(doc: dict[str, Any], source: str) -> Profile:
    """Validate an on-disk document with the CLI's rules and return the Profile."""
    doc = migrate(dict(doc), source)
    known = {"schema_version", "name", "notes", "created", "updated", "pricing", "income", "sales"}
    for key in doc:
        if key not in known:
            raise ProfileError(f"{source}: {key}: unknown key")
    name = doc.get("name")
    try:
        name = check_name(name)
    except UsageError:
        raise _bad(source, "name", "a profile name like 'paris-ai'", name) from None
    pricing = doc.get("pricing")
    if not isinstance(pricing, dict):
        raise _bad(source, "pricing", "a table", pricing)
    for key in pricing:
        if key not in {"role", "years", "region", "skills", "rate"}:
            raise ProfileError(f"{source}: pricing.{key}: unknown key")
    skills = pricing.get("skills", [])
    if not isinstance(skills, list) or not all(isinstance(s, str) for s in skills):
        raise _bad(source, "pricing.skills", "a list of skill ids", skills)
    for key in ("role", "region"):
        if key in pricing and not isinstance(pricing[key], str):
            raise _bad(source, f"pricing.{key}", "an id", pricing[key])
    if "role" not in pricing or "years" not in pricing:
        raise ProfileError(f"{source}: pricing: role and years are required")
    try:
        inputs = check_quote(
            QuoteInputs(
                role=pricing["role"],
                years=_read("years", pricing["years"]),
                region=pricing.get("region", NATIONAL),
                skills=tuple(sorted(set(skills))),
                rate=None if "rate" not in pricing else _read("rate", pricing["rate"]),
            )
        )
    except InputError as exc:
        raise ProfileError(f"{source}: {exc.labelled(_key_in('pricing'))}") from None
    except UnknownIdError as exc:
        raise ProfileError(f"{source}: pricing: {exc}") from None
    notes = doc.get("notes", "")
    if not isinstance(notes, str):
        raise _bad(source, "notes", "text", notes)
    income = _income_from(source, doc.get("income", {}))
    sales = _sales_from(source, doc.get("sales", {}))
    try:
        check_income(income, today())
    except InputError as exc:
        raise ProfileError(f"{source}: {exc.labelled(_key_in('income'))}") from None
    try:
        check_sales(sales, income)
    except InputError as exc:
        raise ProfileError(f"{source}: {exc.labelled(_key_in('sales'))}") from None
    return Profile(
        name=name,
        inputs=inputs,
        income=income,
        notes=notes,
        created=_time(source, "created", doc.get("created")),
        updated=_time(source, "updated", doc.get("updated")),
        sales=sales,
    )


def profile_to_doc(profile: Profile) -> dict[str, Any]:
    """Return the on-disk document; None values are left out, as TOML has no null."""
    i = profile.inputs
    pricing = {
        "role": i.role,
        "years": float(i.years),
        "region": i.region,
        "skills": list(i.skills),
    }
    if i.rate is not None:
        pricing["rate"] = float(i.rate)
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "name": profile.name,
        "notes": profile.notes,
    }
    for key in ("created", "updated"):
        if getattr(profile, key) is not None:
            doc[key] = getattr(profile, key)
    doc["pricing"] = pricing
    income = {k: v for k, v in profile.income._asdict().items() if v is not None}
    if income:
        doc["income"] = income
    sales: dict[str, Any] = {
        k: v for k, v in profile.sales._asdict().items() if v is not None and k != "clients"
    }
    if profile.sales.clients:
        sales["clients"] = [c._asdict() for c in profile.sales.clients]
    if sales:
        doc["sales"] = sales
    return doc


def dumps(profile: Profile) -> str:
    """Return the profile as TOML text, validated by reading it back first."""
    import tomli_w

    text = tomli_w.dumps(profile_to_doc(profile))
    profile_from_doc(tomllib.loads(text), f"profile {profile.name!r}")
    return text


# ------------------------------------------------------------------- the store

# A profile is a few hundred bytes; a bigger file is a mistake or an attack, not a profile.
MAX_BYTES = 1 << 20


def _store_error(path: Path, exc: OSError) -> StoreError:
    if isinstance(exc, PermissionError):
        return StoreError(
            f"cannot read {path}: permission denied; check the store's owner "
            "and mode (tjm profile path)"
        )
    if exc.errno == errno.ENOTDIR:
        return StoreError(
            f"the profile store {profiles_dir()} is not a folder: a part of its "
            "path is a file; set TJM_HOME to a folder"
        )
    return StoreError(f"cannot read {path}: {exc.strerror or exc}")


def check_store() -> Path:
    """Return the store folder; raise StoreError if it exists but is not a usable folder."""
    folder = profiles_dir()
    try:
        mode = os.stat(folder).st_mode
    except FileNotFoundError:
        return folder  # the first save creates it
    except OSError as exc:
        raise _store_error(folder, exc) from None
    if not stat.S_ISDIR(mode):
        raise StoreError(
            f"the profile store {folder} is {atomic.file_kind(mode)}, not a "
            "folder; set TJM_HOME to a folder"
        )
    return folder


def _read_text(path: Path) -> str:
    """Return a regular file's text; anything else (FIFO, device, folder) is never opened."""
    try:
        info = os.stat(path)  # follows links: a link to a profile file reads as that file
    except FileNotFoundError:
        what = "a dangling symbolic link" if os.path.islink(path) else "no such profile file"
        raise ProfileError(f"{path}: {what}") from None
    except OSError as exc:
        raise _store_error(path, exc) from None
    if not stat.S_ISREG(info.st_mode):
        raise ProfileError(
            f"{path}: {atomic.file_kind(info.st_mode)}, not a profile file; it was not opened"
        )
    if info.st_size > MAX_BYTES:
        raise ProfileError(
            f"{path}: {info.st_size:,} bytes, more than a profile may hold ({MAX_BYTES:,})"
        )
    try:
        # O_NONBLOCK: should the file have become a FIFO since the check, opening it won't hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise _store_error(path, exc) from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise ProfileError(f"{path}: changed into something other than a file; not read")
        try:
            data = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            raise _store_error(path, exc) from None
    if len(data) > MAX_BYTES:
        raise ProfileError(f"{path}: more than a profile may hold ({MAX_BYTES:,} bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProfileError(f"{path}: cannot be read: not UTF-8 ({exc.reason})") from None


def _parse(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML: {describe_toml_error(exc, text)}") from None
    except RecursionError:
        raise ProfileError(f"{path}: nested too deeply to be a profile") from None


def read_profile(path: Path) -> Profile:
    """Read and validate one profile file; never modify it."""
    return profile_from_doc(_parse(path, _read_text(path)), str(path))


def describe_toml_error(exc: tomllib.TOMLDecodeError, text: str) -> str:
    """Return tomllib's message, naming the last line where it says 'end of document'."""
    message = str(exc)
    if "(at end of document)" in message:
        last = max(1, len(text.splitlines()))
        message = message.replace("(at end of document)", f"(at line {last}, end of file)")
    return message


def resolve(name_or_path: str) -> Path:
    """Return the file for a stored profile name, or a path to a .toml file as given."""
    if name_or_path.endswith(SUFFIX) or os.sep in name_or_path or "/" in name_or_path:
        return Path(name_or_path)
    return profile_path(name_or_path)


def _read_stored(path: Path) -> StoredProfile:
    """Read a file of the store, where the file name is the profile's name."""
    profile = read_profile(path)
    name = path.name.removesuffix(SUFFIX)
    if profile.name == name:
        return StoredProfile(profile, path)
    try:
        check_name(name)
    except UsageError:
        raise ProfileError(f"{path}: the file name is not a valid profile name") from None
    return StoredProfile(
        profile._replace(name=name),
        path,
        (f"{path.name}: its name key says {profile.name!r}; the file name {name!r} is used",),
    )


def load(name_or_path: str) -> StoredProfile:
    """Load a profile by store name or by path."""
    path = resolve(name_or_path)
    if path.parent != profiles_dir():
        return StoredProfile(read_profile(path), path)
    check_store()
    if not exists(path.name.removesuffix(SUFFIX)):
        raise ProfileError(f"no profile named {name_or_path!r} in {profiles_dir()}")
    return _read_stored(path)


def exists(name: str) -> bool:
    """Tell whether anything, even a dangling link, holds the profile's file name."""
    path = profile_path(name)
    check_store()
    try:
        os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise _store_error(path, exc) from None
    return True


def exists_error(name: str) -> DestinationError:
    """The one error for saving over a profile without --force, however the race was lost."""
    return DestinationError(f"profile {name!r} exists; pass --force to overwrite it")


# Temp files of earlier tjm versions: ".{name}.{8 chars}.tmp", with no owner PID. A save takes
# milliseconds, so one older than LEGACY_TEMP_AGE seconds was left by a killed save.
LEGACY_TEMP = re.compile(r"^\.[a-z0-9][a-z0-9_-]{0,63}\.[a-z0-9_]{8}\.tmp$")
LEGACY_TEMP_AGE = 3600


def _remove_legacy_temps(folder: Path, now: float) -> None:
    try:
        entries = [e for e in os.scandir(folder) if LEGACY_TEMP.match(e.name)]
    except OSError:
        return  # the write itself reports an unusable folder
    for entry in entries:
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > LEGACY_TEMP_AGE:
                os.unlink(entry.path)


def write_atomic(path: Path, text: str, overwrite: bool) -> None:
    """Write text to path through a temp file in the same folder; never leave half a file.

    Without overwrite, the final step is a hard link, which fails if the name appeared
    in the meantime, so two racing saves cannot silently replace each other.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot write to {path.parent}: {exc.strerror or exc}") from None
    _remove_legacy_temps(path.parent, time.time())
    try:
        atomic.write_text(path, text, overwrite, mode=0o600)
    except FileExistsError:
        raise exists_error(path.name.removesuffix(SUFFIX)) from None
    except atomic.NotRegularError as exc:
        raise DestinationError(
            f"{path} is {exc.kind}; tjm replaces only regular files "
            "(remove it with tjm profile delete)"
        ) from None
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc.strerror or exc}") from None


def _replaced_created(path: Path) -> dt.datetime | None:
    """Return the `created` time of the profile about to be replaced.

    A newer-schema file is refused even with --force; a corrupt one may be replaced.
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _store_error(path, exc) from None
    if not stat.S_ISREG(mode):
        raise DestinationError(
            f"{path} is {atomic.file_kind(mode)}; tjm replaces only regular "
            "files (remove it with tjm profile delete)"
        )
    try:
        doc = _parse(path, _read_text(path))
    except ProfileError:
        return None
    version = doc.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise ProfileError(
            f"{path} was written by a newer tjm (schema_version {version}); it is "
            "never overwritten, even with --force: only tjm profile delete "
            "removes it"
        )
    try:
        return profile_from_doc(doc, str(path)).created
    except ProfileError:
        return None


def save(profile: Profile, now: dt.datetime, overwrite: bool = False) -> Path:
    """Save a profile to the store atomically; keep `created` from the file it replaces."""
    path = profile_path(profile.name)
    check_store()
    created = profile.created or now
    if overwrite:
        created = _replaced_created(path) or created
    stamped = profile._replace(created=created, updated=now)
    write_atomic(path, dumps(stamped), overwrite)
    return path


def list_profiles() -> tuple[list[StoredProfile], list[tuple[Path, str]]]:
    """Return the readable profiles by name, and (path, reason) for the broken entries."""
    folder = check_store()
    good: list[StoredProfile] = []
    bad: list[tuple[Path, str]] = []
    try:
        names = sorted(entry.name for entry in os.scandir(folder))
    except FileNotFoundError:
        return good, bad
    except OSError as exc:
        raise _store_error(folder, exc) from None
    for name in names:
        if name.startswith(".") or not name.endswith(SUFFIX):
            continue
        path = folder / name
        try:
            good.append(_read_stored(path))
        except (ProfileError, StoreError) as exc:
            bad.append((path, str(exc)))
    return good, bad


def delete(name: str) -> Path:
    """Delete a stored profile, or whatever link holds its name; never a folder."""
    path = profile_path(name)
    check_store()
    try:
        os.unlink(path)
    except FileNotFoundError:
        raise ProfileError(f"no profile named {name!r} in {profiles_dir()}") from None
    except IsADirectoryError:
        raise StoreError(f"{path} is a folder; tjm deletes only profile files") from None
    except OSError as exc:
        raise StoreError(f"cannot delete {path}: {exc.strerror or exc}") from None
    return path
