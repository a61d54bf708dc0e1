"""tjm batch -o: only a new path, a regular file with --force, or stdout; never half a file."""

import errno
import io
import os
import signal
import stat
import subprocess
import sys
import time

import pytest

from tjm.cli import app
from tjm.store import atomic

ROSTER = "name,role,years\nA,ai-engineer,4\nB,data-scientist,2\n"


@pytest.fixture
def roster(tmp_path):
    """A small valid roster file."""
    path = tmp_path / "r.csv"
    path.write_text(ROSTER)
    return path


def _refused(result, text):
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert text in result.stderr


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_dev_null_is_refused_and_untouched(runner, roster, force):
    """-o /dev/null (even with --force) exits 2 and /dev/null stays a device."""
    before = os.stat("/dev/null")
    _refused(runner.invoke(app, ["batch", str(roster), "-o", "/dev/null", *force]), "a device")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_symlink_is_refused(runner, roster, tmp_path, force):
    """-o to a symlink exits 2; the link and the file it points at are left alone."""
    real = tmp_path / "real.csv"
    real.write_text("keep")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    _refused(runner.invoke(app, ["batch", str(roster), "-o", str(link), *force]), "symbolic link")
    assert link.is_symlink()
    assert real.read_text() == "keep"


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_empty_path_is_refused(runner, roster, force):
    """-o '' exits 2 saying the path is empty, not 'Error: . exists'."""
    _refused(runner.invoke(app, ["batch", str(roster), "-o", "", *force]), "empty path")


@pytest.mark.parametrize("force", [[], ["--force"]])
@pytest.mark.parametrize("slash", ["", "/"])
def test_folder_is_refused(runner, roster, tmp_path, force, slash):
    """-o to a folder (or a path ending in /) exits 2 with one line, no traceback."""
    folder = tmp_path / "outdir"
    if not slash:
        folder.mkdir()
    result = runner.invoke(app, ["batch", str(roster), "-o", f"{folder}{slash}", *force])
    _refused(result, "folder")
    assert not folder.exists() or list(folder.iterdir()) == []


def test_fifo_is_refused(runner, roster, tmp_path):
    """-o to a FIFO exits 2 before opening it."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    _refused(runner.invoke(app, ["batch", str(roster), "-o", str(fifo), "--force"]), "FIFO")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_missing_folder_is_refused(runner, roster, tmp_path):
    """-o into a folder that does not exist exits 2 before any work."""
    _refused(
        runner.invoke(app, ["batch", str(roster), "-o", str(tmp_path / "no" / "o.csv")]),
        "No such file",
    )


def test_dash_is_stdout(runner, roster, tmp_path):
    """-o - prints to stdout and creates no file."""
    result = runner.invoke(app, ["batch", str(roster), "-o", "-"])
    assert result.exit_code == 0
    assert result.stdout.startswith("name,role,years,target")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv"]


def test_full_disk_is_one_line(runner, roster, tmp_path, monkeypatch):
    """ENOSPC from the write exits 1 with one line; no output and no temp file remain."""

    class Full(io.TextIOWrapper):
        def write(self, text):
            raise OSError(errno.ENOSPC, "No space left on device")

    real_fdopen = os.fdopen

    def fdopen(fd, *args, **kwargs):
        handle = real_fdopen(fd, "wb")
        return Full(handle, encoding="utf-8", newline="")

    monkeypatch.setattr(os, "fdopen", fdopen)  # the os module tjm.store.atomic uses
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["batch", str(roster), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot write {out}: No space left on device\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv"]


def test_file_created_during_the_run_survives(tmp_path):
    """A file written at the output path while a batch runs is kept; the run exits 2."""
    roster = tmp_path / "big.csv"
    roster.write_text("role,years\n" + "ai-engineer,4\n" * 100_000)
    out = tmp_path / "out.csv"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tjm", "batch", str(roster), "-o", str(out), "--quiet"],
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not any(atomic.TEMP_NAME.match(p.name) for p in tmp_path.iterdir()):
        assert proc.poll() is None, "the run ended before its output was staged"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    out.write_text("precious\n")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err
    assert f"{out} exists; pass --force" in err
    assert out.read_text() == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.csv", "out.csv"]


def test_two_runs_to_one_new_path(tmp_path):
    """Two concurrent runs to the same new path: one writes it, the other exits 2."""
    roster = tmp_path / "r.csv"
    roster.write_text("role,years\n" + "ai-engineer,4\n" * 20_000)
    out = tmp_path / "out.csv"
    args = [sys.executable, "-m", "tjm", "batch", str(roster), "-o", str(out), "--quiet"]
    procs = [subprocess.Popen(args, stderr=subprocess.DEVNULL) for _ in range(2)]
    assert sorted(proc.wait(timeout=120) for proc in procs) == [0, 2]
    assert len(out.read_text().splitlines()) == 20_001


@pytest.mark.parametrize(
    ("sig", "code"), [(signal.SIGHUP, 129), (signal.SIGINT, 130), (signal.SIGTERM, 143)]
)
def test_signal_during_the_write_removes_the_temp(tmp_path, sig, code):
    """SIGHUP, SIGINT or SIGTERM while the output is being written: no output, no temp file."""
    roster = tmp_path / "big.csv"
    roster.write_text("role,years\n" + "ai-engineer,4\n" * 300_000)
    out = tmp_path / "out.csv"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tjm", "batch", str(roster), "-o", str(out), "--quiet"],
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not any(atomic.TEMP_NAME.match(p.name) for p in tmp_path.iterdir()):
        assert proc.poll() is None, "the run ended before its output was staged"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    proc.send_signal(sig)
    if proc.wait(timeout=60) == 0:  # it published just before the signal: the output is whole
        assert len(out.read_text().splitlines()) == 300_001
        assert sorted(p.name for p in tmp_path.iterdir()) == ["big.csv", "out.csv"]
        return
    # A shell reports a death by the signal (-N) as 128+N too; CPython rarely ends a handled
    # Ctrl-C that way (1 run in 30 before this round's changes too). What must hold is below.
    assert proc.returncode in (code, -sig)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.csv"]


@pytest.mark.parametrize("delay", [0.05, 0.15, 0.25, 0.35, 0.5])
def test_sigterm_at_any_moment_is_quiet(tmp_path, delay):
    """SIGTERM at any moment (imports, parsing, work, saving) ends the run with no traceback
    and no temp file: an exception raised mid-import once gave both."""
    env = {**os.environ, "TJM_HOME": str(tmp_path)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tjm",
            "profile",
            "save",
            "p",
            "--role",
            "ai-engineer",
            "--years",
            "3",
        ],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    time.sleep(delay)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode in (0, 143, -signal.SIGTERM), err
    assert "Traceback" not in err
    store = tmp_path / "profiles"
    assert not store.exists() or not any(atomic.TEMP_NAME.match(p.name) for p in store.iterdir())
