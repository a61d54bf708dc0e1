"""Check where a priced roster goes before any work starts, and stage it there atomically."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from tjm import atomic
from tjm.errors import DestinationError, TjmError


def check_output(text: str, overwrite: bool) -> Path | None:
    """Return where -o writes (None: stdout), refusing anything but a new path or a regular
    file (with --force), before any work starts."""
    if text == "-":
        return None
    if not text.strip():
        raise DestinationError("-o: empty path; give a file name, or - for stdout")
    target = Path(text)
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        if text.endswith(("/", os.sep)):
            raise DestinationError(f"-o {text}: names a folder; give a file name") from None
        try:
            folder_mode = os.stat(target.parent).st_mode
        except OSError as exc:
            raise DestinationError(
                f"-o {text}: cannot use the folder {target.parent}: {exc.strerror or exc}"
            ) from None
        if not stat.S_ISDIR(folder_mode):
            raise DestinationError(f"-o {text}: {target.parent} is not a folder") from None
        return target
    except OSError as exc:
        raise DestinationError(f"-o {text}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        raise DestinationError(
            f"-o {text}: is {atomic.file_kind(mode)}; tjm writes only to a "
            "new file, a regular file with --force, or - for stdout"
        )
    if not overwrite:
        raise _exists(target)
    return target


def _exists(target: Path) -> DestinationError:
    # One message whether the file was there at the start or appeared during the run.
    return DestinationError(f"{target} exists; pass --force to overwrite it")


@contextlib.contextmanager
def staged_output(target: Path, overwrite: bool) -> Iterator[TextIO]:
    """Yield a temp file beside `target` that becomes it only if the run succeeds.

    A file created at `target` during the run is kept (the run fails); only a regular file
    is ever replaced, and only with overwrite.
    """
    try:
        with atomic.open_atomic(target, overwrite, newline="") as handle:
            yield handle
    except FileExistsError:
        raise _exists(target) from None
    except atomic.NotRegularError as exc:
        raise DestinationError(
            f"{target} became {exc.kind} during the run; it was left as it is"
        ) from None
    except OSError as exc:
        raise TjmError(f"cannot write {target}: {exc.strerror or exc}") from None
