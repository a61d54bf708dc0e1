"""The profile store: one TOML file per named profile, read safely and written atomically.

A profile's value and document shapes are tjm.profile_doc's; this module only handles files.
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

from tjm import atomic
from tjm.errors import DestinationError, ProfileError, StoreError, UsageError
from tjm.profile_doc import SCHEMA_VERSION, dumps, loads, profile_from_doc
from tjm.profile_doc import Profile as Profile  # re-exported: callers save a Profile by name
from tjm.profile_doc import check_name as check_name

SUFFIX = ".toml"


class StoredProfile(NamedTuple):
    """A profile, the file it was read from, and what to warn about it (a name mismatch)."""

    profile: Profile
    path: Path
    warnings: tuple[str, ...] = ()


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
        doc = loads(_read_text(path), str(path))
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
