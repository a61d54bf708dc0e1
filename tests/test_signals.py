"""A signal at each system call of an atomic save (issue 25): what tjm says and its exit code
match the file's real state. Before the publish point nothing was saved; past it the message
names the saved file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from tjm.store import atomic

from .conftest import TODAY

# The child wraps the os functions a save calls. The first os.open of a temp file arms it;
# the Nth call of the chosen function after that (the temp's open counting as the first open)
# sends the signal to the child itself, once the call has returned or raised.
CHILD = """
import os, sys

name, nth, sig = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
state = {"armed": False, "count": 0}


def wrapped(called):
    real = getattr(os, called)

    def call(*args, **kwargs):
        if called == "open" and args and ".tjm-" in os.fspath(args[0]):
            state["armed"] = True
        try:
            return real(*args, **kwargs)
        finally:
            if state["armed"] and called == name:
                state["count"] += 1
                if state["count"] == nth:
                    os.kill(os.getpid(), sig)

    return call


for called in {"open", name}:
    setattr(os, called, wrapped(called))
sys.argv = ["tjm", *sys.argv[4:]]
from tjm.cli import main

main()
"""

# Each system call of a save over an existing profile (--force), in order: create the temp,
# fsync it, try the hard link (the name is taken), look at the old file, give the temp its
# mode, replace, remove the temp's name, then open, fsync and close the folder.
OVERWRITE = [
    ("open", 1),
    ("fsync", 1),
    ("link", 1),
    ("lstat", 1),
    ("chmod", 1),
    ("replace", 1),
    ("unlink", 1),
    ("open", 2),
    ("fsync", 2),
    ("close", 1),
]
# A new profile: the hard link publishes it.
NEW = [("open", 1), ("fsync", 1), ("link", 1), ("unlink", 1), ("open", 2), ("fsync", 2)]
SIGNALS = {
    signal.SIGINT: ("Cancelled; nothing was saved.", "Cancelled; already saved: {path}."),
    signal.SIGTERM: ("Stopped; nothing was saved.", "Stopped; already saved: {path}."),
}


def _save(home, years, force, step=None, sig=None):
    args = ["profile", "save", "p", "--role", "ai-engineer", "--years", str(years)]
    args += ["--force"] if force else []
    env = {**os.environ, "TJM_HOME": str(home), "TJM_TODAY": TODAY, "TJM_LANG": "en"}
    if step is None:
        command = [sys.executable, "-m", "tjm", *args]
    else:
        command = [sys.executable, "-c", CHILD, step[0], str(step[1]), str(int(sig)), *args]
    return subprocess.run(
        command,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def _cases():
    for sig in SIGNALS:
        for force, steps in ((True, OVERWRITE), (False, NEW)):
            for step in steps:
                mode = "force" if force else "new"
                label = f"{signal.Signals(sig).name}-{mode}-{step[0]}{step[1]}"
                yield pytest.param(sig, force, step, id=label)


@pytest.mark.parametrize(("sig", "force", "step"), list(_cases()))
def test_a_signal_at_each_step_reports_what_was_saved(tjm_home, sig, force, step):
    """The file is whole (the old one or the new one), no temp file is left, the exit code is
    128 + the signal, and the message says 'nothing was saved' exactly when the old state is
    there, else names the saved file."""
    store = tjm_home / "profiles"
    path = store / "p.toml"
    if force:
        assert _save(tjm_home, 3, force=False).returncode == 0
    before = path.read_bytes() if force else None
    result = _save(tjm_home, 7, force, step, sig)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 128 + sig, (result.returncode, result.stderr)
    after = path.read_bytes() if path.exists() else None
    leftovers = [p.name for p in store.iterdir() if atomic.TEMP_NAME.match(p.name)]
    assert leftovers == []
    nothing, saved = SIGNALS[sig]
    # From the hard link on (the link, or over an old file the lstat, chmod and replace),
    # signals are held until the new name exists: the save finishes, then the signal is
    # honoured. Before it, nothing is published.
    published = (OVERWRITE if force else NEW).index(step) >= 2
    assert (after != before) == published, (step, result.stderr)
    if after == before:
        assert result.stderr.strip().endswith(nothing), result.stderr
    else:
        assert after is not None
        assert b"years = 7.0" in after
        assert result.stderr.strip().endswith(saved.format(path=path)), result.stderr
