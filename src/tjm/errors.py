"""The TjmError hierarchy: each class carries the exit code the CLI returns for it, and each
error a stable `code` that scripts match (docs/codes.md lists them all) next to its message."""

import os
import sys
from collections.abc import Callable

from tjm.i18n import N_, _

EXIT_OK = 0
EXIT_DOMAIN = 1
EXIT_USAGE = 2
EXIT_CANCELLED = 130


class TjmError(Exception):
    """An expected failure, shown to the user as one line in their language.

    `code` names the kind of failure in kebab-case and never changes with the language; a
    class gives the default, a raise may name a more precise one.
    """

    exit_code = EXIT_DOMAIN
    code = "error"

    def __init__(self, message: str = "", *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        """Return the one-line message, in the language active when the error was raised."""
        return str(self)


class DataError(TjmError):
    """A data file is malformed: the packaged dataset, a rules file, or the user's own data."""

    code = "bad-data-file"


class ProfileError(TjmError):
    """A profile file is missing, corrupt, or from a newer tjm."""

    code = "bad-profile"


class StoreError(TjmError):
    """The profile store cannot be read or written."""

    code = "store-unusable"


class UsageError(TjmError):
    """A value given on the command line or in a file is invalid or missing."""

    exit_code = EXIT_USAGE
    code = "bad-usage"


class UnknownIdError(TjmError):
    """A role, region or skill id is not in the dataset (a domain error, exit 1)."""

    def __init__(self, kind: str, given: str, valid: list[str]) -> None:
        values = {"given": repr(given), "valid": ", ".join(sorted(valid))}
        if kind == "role":
            super().__init__(_("unknown role {given}; valid: {valid}").format(**values))
            self.code = "unknown-role"
        elif kind == "region":
            super().__init__(_("unknown region {given}; valid: {valid}").format(**values))
            self.code = "unknown-region"
        else:
            super().__init__(_("unknown skill {given}; valid: {valid}").format(**values))
            self.code = "unknown-skill"
        self.kind = kind


EXIT_BROKEN_PIPE = 141  # as a Unix tool killed by SIGPIPE: the reader of the output left
CANCELLED_MESSAGE = N_("Cancelled; nothing was saved.")


def _written() -> list[object]:
    # Read, never import: the signal may land while tjm.store.atomic itself is loading.
    return list(getattr(sys.modules.get("tjm.store.atomic"), "published", []))


def cancelled_message() -> str:
    """Say what a Ctrl-C leaves behind: nothing, or the files written before it came."""
    written = _written()
    if not written:
        return _(CANCELLED_MESSAGE)
    return _("Cancelled; already saved: {files}.").format(files=", ".join(map(str, written)))


def stopped_message() -> str:
    """Say what a SIGTERM or SIGHUP leaves behind: nothing, or the files written before it."""
    written = _written()
    if not written:
        return _("Stopped; nothing was saved.")
    return _("Stopped; already saved: {files}.").format(files=", ".join(map(str, written)))


class OutputError(TjmError):
    """Standard output cannot be written: a full disk, a closed stdout, a broken pipe."""

    code = "output-failed"

    def __init__(self, message: str, exit_code: int = EXIT_DOMAIN) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class RosterError(TjmError):
    """The roster as a whole cannot be read (not a CSV, no header, a required column absent)."""

    code = "bad-roster"


class BadFileError(TjmError):
    """A file the user gave to import cannot be read, or has bad rows; nothing was taken."""

    code = "bad-import-file"


class BadRowError(TjmError):
    """A roster row is invalid and --strict was given."""

    code = "bad-row"


def labelled(where: str, problem: str) -> str:
    """Return `where: problem`, the one-line shape of every error, in the active language.

    `where` comes first (a flag, a column, a file and its key) so the user sees what to fix.
    """
    # TRANSLATORS: French puts a no-break space (U+00A0) before the colon.
    from tjm.i18n.formats import after_colon

    return _("{where}: {problem}").format(where=where, problem=after_colon(problem))


def reason(exc: OSError | UnicodeDecodeError) -> str:
    """Return why a file operation failed, as the system says it (in the system's language)."""
    return getattr(exc, "strerror", None) or str(exc)


def cannot_read(path: str | os.PathLike[str], exc: OSError | UnicodeDecodeError) -> str:
    """Return `cannot read PATH: reason`, for a file that cannot be opened or decoded."""
    return _("cannot read {path}: {reason}").format(path=path, reason=reason(exc))


def cannot_write(path: str | os.PathLike[str], exc: OSError) -> str:
    """Return `cannot write PATH: reason`."""
    return _("cannot write {path}: {reason}").format(path=path, reason=reason(exc))


def not_toml(details: object) -> str:
    """Return the problem of text that is not TOML, with the parser's own (English) details."""
    return _("not valid TOML: {details}").format(details=details)


class InputError(UsageError):
    """A value, or a combination of values, that fails its rule (see tjm.fields and tjm.inputs).

    `problem` says what is wrong without naming where the value came from; `keys` are the
    fields at fault, which each boundary labels its own way (a flag, a column, a file key).
    """

    def __init__(
        self,
        keys: str | tuple[str, ...],
        problem: str,
        code: str = "bad-value",
        label: Callable[[str], str] | None = None,
    ) -> None:
        self.keys = (keys,) if isinstance(keys, str) else keys
        self.problem = problem
        # Named as flags unless the caller names them otherwise (the API: its parameters).
        super().__init__(self.labelled(label or flag), code=code)

    def labelled(self, label: Callable[[str], str]) -> str:
        """Return the message with the fields named by `label`."""
        return labelled(", ".join(label(k) for k in self.keys), self.problem)


def flag(key: str) -> str:
    """Return the command-line flag of an input field."""
    named = {"skills": "--skill", "clients": "--client"}  # where the flag is not the field
    return named.get(key, "--" + key.replace("_", "-"))


class DestinationError(UsageError):
    """A place to write is refused before any work: it exists and --force was not given, or it
    is not a regular file (a folder, device, FIFO, socket or link)."""

    code = "bad-destination"
