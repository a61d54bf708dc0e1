"""The atomic-write helper: whole files or nothing, no replaced links or devices, no stale temps."""

import errno
import os
import stat
import subprocess
import sys

import pytest

from tjm.store import atomic


def _names(folder):
    return sorted(p.name for p in folder.iterdir())


def _dead_pid():
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_new_file_is_written_whole(tmp_path):
    """A new target gets the text, and no temp file is left beside it."""
    target = tmp_path / "out.csv"
    atomic.write_text(target, "a,b\n", overwrite=False)
    assert target.read_text() == "a,b\n"
    assert _names(tmp_path) == ["out.csv"]


def test_file_created_meanwhile_survives(tmp_path):
    """A file that appears at the target during the write is kept; the write fails."""
    target = tmp_path / "out.csv"

    def race():
        with atomic.open_atomic(target, overwrite=False) as handle:
            handle.write("new")
            target.write_text("precious")

    with pytest.raises(FileExistsError):
        race()
    assert target.read_text() == "precious"
    assert _names(tmp_path) == ["out.csv"]


def test_overwrite_keeps_the_mode_of_the_replaced_file(tmp_path):
    """With overwrite, a regular file is replaced and keeps its permissions."""
    target = tmp_path / "out.csv"
    target.write_text("old")
    target.chmod(0o640)
    atomic.write_text(target, "new", overwrite=True)
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@pytest.mark.parametrize("kind", ["symlink", "folder", "fifo"])
def test_overwrite_never_replaces_what_is_not_a_file(tmp_path, kind):
    """Even with overwrite, a link, folder or FIFO at the target is left as it was."""
    target = tmp_path / "out.csv"
    (tmp_path / "real.csv").write_text("real")
    if kind == "symlink":
        target.symlink_to(tmp_path / "real.csv")
    elif kind == "folder":
        target.mkdir()
    else:
        os.mkfifo(target)
    before = os.lstat(target)
    with pytest.raises(atomic.NotRegularError):
        atomic.write_text(target, "new", overwrite=True)
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    assert (tmp_path / "real.csv").read_text() == "real"
    assert _names(tmp_path) == ["out.csv", "real.csv"]


def test_failed_write_leaves_no_temp(tmp_path, monkeypatch):
    """ENOSPC during the write propagates, the old file stays, and the temp file is removed."""
    target = tmp_path / "out.csv"
    target.write_text("old")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)  # the os module tjm.store.atomic uses
    with pytest.raises(OSError, match="No space left"):
        atomic.write_text(target, "new", overwrite=True)
    assert target.read_text() == "old"
    assert _names(tmp_path) == ["out.csv"]


def test_stale_temps_of_dead_processes_are_removed(tmp_path):
    """The next write removes temps whose owner is gone, and keeps live ones and user files."""
    dead = tmp_path / f".x.csv.tjm-{_dead_pid()}-0123abcd.tmp"
    live = tmp_path / f".x.csv.tjm-{os.getppid()}-0123abcd.tmp"
    mine = tmp_path / ".x.csv.tmp"  # the user's own file, not one of ours
    for path in (dead, live, mine):
        path.write_text("partial")
    atomic.write_text(tmp_path / "y.csv", "y", overwrite=False)
    assert _names(tmp_path) == sorted([live.name, mine.name, "y.csv"])


def test_temp_names_carry_the_pid(tmp_path):
    """The temp name holds this process's PID, which is how stale ones are found."""
    match = atomic.TEMP_NAME.match(atomic.temp_path(tmp_path / "out.csv").name)
    assert match is not None
    assert int(match.group(1)) == os.getpid()


def test_a_stop_request_publishes_nothing(tmp_path, monkeypatch):
    """Once SIGTERM/SIGHUP asked the run to stop, nothing is published even if the exit the
    handler raised was swallowed; the temp file is removed."""
    monkeypatch.setattr(atomic, "stop_requested", 15)
    with pytest.raises(SystemExit) as stopped:
        atomic.write_text(tmp_path / "out.csv", "x", overwrite=False)
    assert stopped.value.code == 143
    assert _names(tmp_path) == []
