"""Check where a priced roster goes before any work starts, and stage it there atomically."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from tjm.errors import DestinationError, TjmError, cannot_write, labelled, reason
from tjm.i18n import _
from tjm.store import atomic


def check_output(text: str, overwrite: bool) -> Path | None:
    """Return where -o writes (None: stdout), refusing anything but a new path or a regular
    file (with --force), before any work starts."""
    if text == "-":
        return None
    if not text.strip():
        problem = _("empty path; give a file name, or - for stdout")
        raise DestinationError(labelled("-o", problem))
    target = Path(text)
    where = f"-o {text}"
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        if text.endswith(("/", os.sep)):
            problem = _("names a folder; give a file name")
            raise DestinationError(labelled(where, problem)) from None
        try:
            folder_mode = os.stat(target.parent).st_mode
        except OSError as exc:
            problem = _("cannot use the folder {folder}: {reason}").format(
                folder=target.parent, reason=reason(exc)
            )
            raise DestinationError(labelled(where, problem)) from None
        if not stat.S_ISDIR(folder_mode):
            problem = _("{folder} is not a folder").format(folder=target.parent)
            raise DestinationError(labelled(where, problem)) from None
        _check_writable(target, where)
        return target
    except OSError as exc:
        raise DestinationError(labelled(where, reason(exc))) from None
    if not stat.S_ISREG(mode):
        problem = _(
            "is {kind}; tjm writes only to a new file, a regular file with --force, or - for stdout"
        ).format(kind=atomic.file_kind(mode))
        raise DestinationError(labelled(where, problem), code="not-a-regular-file")
    if not overwrite:
        raise _exists(target)
    _check_writable(target, where)
    return target


def _check_writable(target: Path, where: str) -> None:
    """Refuse, before any work, a folder this user cannot create the temp file in."""
    folder = target.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        problem = _("cannot write in the folder {folder}: permission denied").format(folder=folder)
        raise DestinationError(labelled(where, problem))


def _exists(target: Path) -> DestinationError:
    # One message whether the file was there at the start or appeared during the run.
    message = _("{path} exists; pass --force to overwrite it").format(path=target)
    return DestinationError(message, code="file-exists")


@contextlib.contextmanager
def staged_output(target: Path, overwrite: bool) -> Iterator[TextIO]:
    """Yield a temp file beside `target` that becomes it only if the run succeeds.

    A file created at `target` during the run is kept (the run fails); only a regular file
    is ever replaced, and only with overwrite.
    """
    opened = False
    try:
        with atomic.open_atomic(target, overwrite, newline="") as handle:
            opened = True
            yield handle
    except FileExistsError:
        raise _exists(target) from None
    except atomic.NotRegularError as exc:
        message = _("{path} became {kind} during the run; it was left as it is").format(
            path=target, kind=exc.kind
        )
        raise DestinationError(message, code="not-a-regular-file") from None
    except OSError as exc:
        if not opened:  # the temp file could not even be created: the place is unusable
            problem = _("cannot write there: {reason}").format(reason=reason(exc))
            raise DestinationError(labelled(f"-o {target}", problem)) from None
        raise TjmError(cannot_write(target, exc)) from None
