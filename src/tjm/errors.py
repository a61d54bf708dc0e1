"""The TjmError hierarchy; each class carries the exit code the CLI returns for it."""

import sys
from collections.abc import Callable

EXIT_OK = 0
EXIT_DOMAIN = 1
EXIT_USAGE = 2
EXIT_CANCELLED = 130


class TjmError(Exception):
    """An expected failure, shown to the user as one line."""

    exit_code = EXIT_DOMAIN


class DataError(TjmError):
    """The packaged dataset or a rules file is malformed."""


class ProfileError(TjmError):
    """A profile file is missing, corrupt, or from a newer tjm."""


class StoreError(TjmError):
    """The profile store cannot be read or written."""


class UsageError(TjmError):
    """A value given on the command line or in a file is invalid or missing."""

    exit_code = EXIT_USAGE


class UnknownIdError(TjmError):
    """A role, region or skill id is not in the dataset (a domain error, exit 1)."""

    def __init__(self, kind: str, given: str, valid: list[str]) -> None:
        super().__init__(f"unknown {kind} {given!r}; valid: {', '.join(sorted(valid))}")


EXIT_BROKEN_PIPE = 141  # as a Unix tool killed by SIGPIPE: the reader of the output left
CANCELLED_MESSAGE = "Cancelled; nothing was saved."


def cancelled_message() -> str:
    """Say what a Ctrl-C leaves behind: nothing, or the files written before it came."""
    # Read, never import: the signal may land while tjm.atomic itself is loading.
    written = getattr(sys.modules.get("tjm.atomic"), "published", [])
    if not written:
        return CANCELLED_MESSAGE
    return f"Cancelled; already saved: {', '.join(map(str, written))}."


class OutputError(TjmError):
    """Standard output cannot be written: a full disk, a closed stdout, a broken pipe."""

    def __init__(self, message: str, exit_code: int = EXIT_DOMAIN) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class RosterError(TjmError):
    """The roster as a whole cannot be read (not a CSV, no header, a required column absent)."""


class BadFileError(TjmError):
    """A file the user gave to import cannot be read, or has bad rows; nothing was taken."""


class BadRowError(TjmError):
    """A roster row is invalid and --strict was given."""


class InputError(UsageError):
    """A value, or a combination of values, that fails its rule (see tjm.fields and tjm.inputs).

    `problem` says what is wrong without naming where the value came from; `keys` are the
    fields at fault, which each boundary labels its own way (a flag, a column, a file key).
    """

    def __init__(self, keys: str | tuple[str, ...], problem: str) -> None:
        self.keys = (keys,) if isinstance(keys, str) else keys
        self.problem = problem
        super().__init__(self.labelled(flag))

    def labelled(self, label: Callable[[str], str]) -> str:
        """Return the message with the fields named by `label`."""
        return f"{', '.join(label(k) for k in self.keys)}: {self.problem}"


def flag(key: str) -> str:
    """Return the command-line flag of an input field."""
    named = {"skills": "--skill", "clients": "--client"}  # where the flag is not the field
    return named.get(key, "--" + key.replace("_", "-"))


class DestinationError(UsageError):
    """A place to write is refused before any work: it exists and --force was not given, or it
    is not a regular file (a folder, device, FIFO, socket or link)."""
