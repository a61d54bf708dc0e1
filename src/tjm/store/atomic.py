"""Atomic file writes: a temp file beside the target, published whole or not at all.

The temp file's name carries its owner's PID, so the next write into the same folder can
remove the ones whose owner is gone (killed with SIGKILL, or by a power cut).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from tjm import files

# ".{target}.tjm-{pid}-{8 hex}.tmp": the marker keeps a user's own ".x.tmp" files safe.
published: list[Path] = []  # what this process has written, for a Ctrl-C that comes after
TEMP_NAME = re.compile(r"^\..*\.tjm-(\d+)-[0-9a-f]{8}\.tmp$")

# Set by the CLI's SIGTERM/SIGHUP handler. The SystemExit it raises can be swallowed (when the
# signal lands in a __del__ or a callback), so a run asked to stop still publishes nothing.
stop_requested: int | None = None
# The temp files this process has now; the signal handler raises only while there are some.
live_temps: set[Path] = set()
# Held back while a file is published: a signal then lands either before the new name exists
# (nothing was saved) or after `published` names it (already saved), never in between.
HELD = {getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n)}


class NotRegularError(OSError):
    """The target exists and is not a regular file, so it is never replaced."""

    def __init__(self, path: Path, kind: str, mode: int = 0) -> None:
        super().__init__(f"{path} is {kind}")
        self.path, self.kind, self.mode = path, kind, mode


def file_kind(mode: int) -> str:
    """Name what a stat mode is, in the active language, for messages such as 'x is a folder'."""
    return files.file_kind(mode)


def temp_path(target: Path) -> Path:
    """Return a fresh temp name beside target, owned by this process."""
    return target.with_name(f".{target.name}.tjm-{os.getpid()}-{secrets.token_hex(4)}.tmp")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, under another user
        return True
    return True


def remove_stale(folder: Path) -> list[Path]:
    """Remove temp files in folder whose owner process is gone; return what was removed."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed  # an unreadable folder is reported by the write itself
    for entry in entries:
        match = TEMP_NAME.match(entry.name)
        if not match or _alive(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def publish(tmp: Path, target: Path, overwrite: bool) -> None:
    """Give tmp the target's name: a hard link if the name is free, else a replace.

    The link fails if anything, even a dangling link, holds the name, so a file created
    meanwhile is never lost. Replacing needs overwrite, and only a regular file is replaced.
    """
    try:
        os.link(tmp, target)
    except FileExistsError:
        if not overwrite:
            raise
        mode = os.lstat(target).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularError(target, file_kind(mode), mode) from None
        # Keep the permissions the user gave the file being replaced.
        os.chmod(tmp, stat.S_IMODE(mode))
        os.replace(tmp, target)
    published.append(target)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP back for the block; they are handled when it ends."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not (
        threading.main_thread()
    ):
        yield  # Windows, or a thread: Python handles signals in the main thread only
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _sync_folder(folder: Path) -> None:
    # The new name must reach the disk too, or a power cut can lose the whole file.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def open_atomic(
    target: Path, overwrite: bool, mode: int = 0o666, newline: str | None = None
) -> Iterator[TextIO]:
    """Yield a UTF-8 text file that becomes `target` only if the block ends without error.

    Raises FileExistsError when the name is taken and overwrite is off, NotRegularError when
    it is taken by something other than a regular file, and OSError for disk errors. The temp
    file is removed in every case, including SIGTERM/SIGHUP/SIGINT (raised as exceptions).
    """
    folder = target.parent
    remove_stale(folder)
    # The name is bound before the file exists, so `finally` covers every moment it exists;
    # it holds our PID, so no other live process can own a file of that name.
    tmp = temp_path(target)
    live_temps.add(tmp)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        with signals_held():
            if stop_requested is not None:
                raise SystemExit(128 + stop_requested)
            publish(tmp, target, overwrite)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            live_temps.discard(tmp)
        _sync_folder(folder)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        live_temps.discard(tmp)


def write_text(target: Path, text: str, overwrite: bool, mode: int = 0o666) -> None:
    """Write text to target atomically (see open_atomic)."""
    with open_atomic(target, overwrite, mode) as handle:
        handle.write(text)
