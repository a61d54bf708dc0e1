"""The profile store: one TOML file per named profile, read safely and written atomically.

A profile's value and document shapes are tjm.store.profile_doc's; this module only handles files.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import stat
import time
from pathlib import Path
from typing import NamedTuple

from tjm import files
from tjm.errors import (
    DestinationError,
    InputError,
    ProfileError,
    StoreError,
    UsageError,
    cannot_read,
    cannot_write,
    labelled,
    reason,
)
from tjm.i18n import _
from tjm.i18n.formats import format_number
from tjm.notices import Notice
from tjm.store import atomic
from tjm.store.profile_doc import SCHEMA_VERSION, dumps, largest_field, loads, profile_from_doc
from tjm.store.profile_doc import Profile as Profile  # re-exported: callers save a Profile by name
from tjm.store.profile_doc import check_name as check_name

SUFFIX = ".toml"


class StoredProfile(NamedTuple):
    """A profile, the file it was read from, and what to warn about it (a name mismatch)."""

    profile: Profile
    path: Path
    warnings: tuple[Notice, ...] = ()


def profiles_dir() -> Path:
    """Return the store: $TJM_HOME/profiles, else the platformdirs user data folder."""
    home = os.environ.get("TJM_HOME")
    if home:
        return Path(home) / "profiles"
    import platformdirs

    return platformdirs.user_data_path("tjm") / "profiles"


def profile_path(name: str) -> Path:
    return profiles_dir() / f"{check_name(name)}{SUFFIX}"


# A profile is a few hundred bytes; a bigger file is a mistake or an attack, not a profile.
MAX_BYTES = 1 << 20


def _store_error(path: Path, exc: OSError) -> StoreError:
    if isinstance(exc, PermissionError):
        return StoreError(
            _(
                "cannot read {path}: permission denied; check the store's owner and mode "
                "(tjm profile path)"
            ).format(path=path)
        )
    if exc.errno == errno.ENOTDIR:
        return StoreError(
            _(
                "the profile store {folder} is not a folder: a part of its path is a file; "
                "set TJM_HOME to a folder"
            ).format(folder=profiles_dir())
        )
    return StoreError(cannot_read(path, exc))


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
            _(
                "the profile store {folder} is {kind}, not a folder; set TJM_HOME to a folder"
            ).format(folder=folder, kind=atomic.file_kind(mode))
        )
    return folder


def _read_text(path: Path) -> str:
    """Return a regular file's text; anything else (FIFO, device, folder) is never opened."""
    try:
        return files.read_text(path, MAX_BYTES)
    except files.Unreadable as exc:
        if exc.why in ("missing", "dangling"):
            what = exc.problem if exc.why == "dangling" else _("no such profile file")
            raise ProfileError(labelled(str(path), what), code="profile-not-found") from None
        if exc.error is not None:
            raise _store_error(path, exc.error) from None
        raise ProfileError(labelled(str(path), exc.problem)) from None


def read_profile(path: Path) -> Profile:
    """Read and validate one profile file; never modify it."""
    return profile_from_doc(loads(_read_text(path), str(path)), str(path))


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
        problem = _("the file name is not a valid profile name")
        raise ProfileError(labelled(str(path), problem), code="bad-profile-name") from None
    problem = _("its name key says {key}; the file name {name} is used").format(
        key=repr(profile.name), name=repr(name)
    )
    warning = Notice("profile-name-mismatch", labelled(path.name, problem))
    return StoredProfile(profile._replace(name=name), path, (warning,))


def load(name_or_path: str) -> StoredProfile:
    """Load a profile by store name or by path."""
    path = resolve(name_or_path)
    if path.parent != profiles_dir():
        return StoredProfile(read_profile(path), path)
    check_store()
    if not exists(path.name.removesuffix(SUFFIX)):
        raise _not_found(name_or_path)
    return _read_stored(path)


def _not_found(name: str) -> ProfileError:
    message = _("no profile named {name} in {folder}").format(
        name=repr(name), folder=profiles_dir()
    )
    return ProfileError(message, code="profile-not-found")


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
    message = _("profile {name} exists; pass --force to overwrite it").format(name=repr(name))
    return DestinationError(message, code="file-exists")


def _not_regular(path: Path, mode: int, profile: bool = True) -> DestinationError:
    # tjm profile delete removes a link, FIFO or socket of the store, never a folder.
    if profile and not stat.S_ISDIR(mode):
        text = _(
            "{path} is {kind}; tjm replaces only regular files (remove it with tjm profile delete)"
        )
    else:
        text = _("{path} is {kind}; tjm replaces only regular files: move or remove it yourself")
    message = text.format(path=path, kind=atomic.file_kind(mode))
    return DestinationError(message, code="not-a-regular-file")


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


def write_atomic(path: Path, text: str, overwrite: bool, what: str = "profile") -> None:
    """Write text to path through a temp file in the same folder; never leave half a file.

    Without overwrite, the final step is a hard link, which fails if the name appeared
    in the meantime, so two racing saves cannot silently replace each other.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        message = _("cannot write to {folder}: {reason}").format(
            folder=path.parent, reason=reason(exc)
        )
        raise StoreError(message) from None
    _remove_legacy_temps(path.parent, time.time())
    try:
        atomic.write_text(path, text, overwrite, mode=0o600)
    except FileExistsError:
        raise exists_error(path.name.removesuffix(SUFFIX)) from None
    except atomic.NotRegularError as exc:
        raise _not_regular(path, exc.mode, what == "profile") from None
    except OSError as exc:
        raise StoreError(cannot_write(path, exc)) from None


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
        raise _not_regular(path, mode)
    try:
        doc = loads(_read_text(path), str(path))
    except ProfileError:
        return None
    version = doc.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        message = _(
            "{path} was written by a newer tjm (schema_version {version}); it is never "
            "overwritten, even with --force: only tjm profile delete removes it"
        ).format(path=path, version=version)
        raise ProfileError(message, code="newer-profile")
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
    text = dumps(stamped)
    check_size(stamped, text)
    write_atomic(path, text, overwrite)
    return path


def check_size(profile: Profile, text: str) -> None:
    """Refuse to save what `tjm profile show` would refuse to read: more than MAX_BYTES."""
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        problem = _(
            "the profile would take {size} bytes, more than the {limit} a profile may hold; "
            "nothing was saved"
        ).format(size=format_number(size), limit=format_number(MAX_BYTES))
        raise InputError(largest_field(profile), problem, "profile-too-big")


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
        raise _not_found(name) from None
    except IsADirectoryError:
        message = _("{path} is a folder; tjm deletes only profile files").format(path=path)
        raise StoreError(message, code="not-a-regular-file") from None
    except OSError as exc:
        message = _("cannot delete {path}: {reason}").format(path=path, reason=reason(exc))
        raise StoreError(message) from None
    return path
