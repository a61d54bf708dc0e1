"""The profile store's edges: odd files, hostile TOML, permissions, races and escapes."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tjm.cli import app
from tjm.store import profiles

SAVE = ["profile", "save", "me", "--role", "ai-engineer", "--years", "5"]
NEWER = 'schema_version = 999\nname = "x"\n[pricing]\nrole = "ai-engineer"\nyears = 3.0\n'
READERS = [
    ["profile", "show", "x"],
    ["quote", "--profile", "x", "--json"],
    ["compare", "500", "--profile", "x", "--json"],
]
WRITERS = [
    ["profile", "save", "x", "--role", "ai-engineer", "--years", "3"],
    ["profile", "delete", "x", "--yes"],
    ["quote", "--role", "ai-engineer", "--years", "3", "--json", "--save", "x"],
]


@pytest.fixture
def store(tjm_home):
    """The store folder, created."""
    folder = tjm_home / "profiles"
    folder.mkdir(parents=True)
    return folder


def _one_error_line(result, code, text):
    assert result.exit_code == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert text in lines[0]


def test_fifo_is_reported_never_opened(runner, store):
    """A FIFO named x.toml is reported and skipped by list, and show/quote exit 1 at once."""
    runner.invoke(app, SAVE)
    os.mkfifo(store / "x.toml")
    listed = runner.invoke(app, ["profile", "list"])
    assert listed.exit_code == 1
    assert "me" in listed.stdout
    assert "x.toml" in listed.stderr
    assert "FIFO" in listed.stderr
    for args in READERS:
        # A subprocess with a timeout: should it ever open the FIFO, the test fails, not hangs.
        done = subprocess.run(
            [sys.executable, "-m", "tjm", *args],
            capture_output=True,
            text=True,
            timeout=30,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 1, done.stderr
        assert "FIFO" in done.stderr


def test_deep_toml_is_one_clear_error(runner, store):
    """100,000 nested arrays give 'nested too deeply' for that file; list still lists others."""
    runner.invoke(app, SAVE)
    (store / "x.toml").write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n")
    listed = runner.invoke(app, ["profile", "list"])
    assert listed.exit_code == 1
    assert "me" in listed.stdout
    assert "nested too deeply" in listed.stderr
    for args in READERS:
        _one_error_line(runner.invoke(app, args), 1, "nested too deeply")


def test_oversized_file_is_refused(runner, store):
    """A file over the size limit is refused without being parsed."""
    (store / "x.toml").write_text("# " + "x" * profiles.MAX_BYTES + "\n")
    shown = runner.invoke(app, ["profile", "show", "x"])
    _one_error_line(shown, 1, "more than the 1,048,576 bytes")


def test_newer_schema_is_never_overwritten(runner, store):
    """A newer-schema profile survives save --force and quote --save --force; delete removes it."""
    path = store / "x.toml"
    path.write_text(NEWER)
    forced = runner.invoke(app, [*WRITERS[0], "--force"])
    _one_error_line(forced, 1, "newer tjm")
    quoted = runner.invoke(app, [*WRITERS[2], "--force"])
    assert quoted.exit_code == 1
    assert path.read_text() == NEWER
    assert runner.invoke(app, ["profile", "delete", "x", "--yes"]).exit_code == 0
    assert not path.exists()


def test_dangling_link_needs_confirmation(runner, store):
    """delete on a dangling link asks first (exit 2 off a terminal); --yes removes it."""
    link = store / "x.toml"
    link.symlink_to(store / "gone.toml")
    refused = runner.invoke(app, ["profile", "delete", "x"])
    assert refused.exit_code == 2
    assert "--yes" in refused.stderr
    assert link.is_symlink()
    _one_error_line(runner.invoke(app, ["profile", "show", "x"]), 1, "dangling")
    assert runner.invoke(app, ["profile", "delete", "x", "--yes"]).exit_code == 0
    assert not os.path.lexists(link)


def test_save_force_never_replaces_a_link(runner, store, tmp_path):
    """save --force over a symlinked profile refuses and leaves the link and its target."""
    real = tmp_path / "real.toml"
    runner.invoke(app, SAVE)
    real.write_bytes((store / "me.toml").read_bytes())
    (store / "me.toml").unlink()
    (store / "me.toml").symlink_to(real)
    before = real.read_bytes()
    result = runner.invoke(app, [*SAVE, "--force"])
    _one_error_line(result, 2, "symbolic link")
    assert (store / "me.toml").is_symlink()
    assert real.read_bytes() == before


@pytest.mark.parametrize("where", ["home", "store"])
def test_store_path_that_is_a_file(runner, tjm_home, where):
    """TJM_HOME or its profiles folder being a file gives one line, exit 1, from every command."""
    if where == "home":
        tjm_home.parent.mkdir(parents=True, exist_ok=True)
        tjm_home.write_text("a file")
    else:
        tjm_home.mkdir(parents=True)
        (tjm_home / "profiles").write_text("a file")
    for args in [["profile", "list"], *READERS, *WRITERS]:
        _one_error_line(runner.invoke(app, args), 1, "not a folder")


def _deny(monkeypatch, folder):
    """Make every stat, open and listing inside `folder` fail as for another user's 0700 folder."""

    def guard(real):
        def call(path, *args, **kwargs):
            if isinstance(path, str | os.PathLike) and Path(path).parent == folder:
                raise PermissionError(13, "Permission denied", str(path))
            if (
                isinstance(path, str | os.PathLike)
                and Path(path) == folder
                and real.__name__ == "scandir"
            ):
                raise PermissionError(13, "Permission denied", str(path))
            return real(path, *args, **kwargs)

        call.__name__ = real.__name__
        return call

    for name in ("stat", "lstat", "open", "scandir", "unlink", "link"):
        monkeypatch.setattr(os, name, guard(getattr(os, name)))


def test_unreadable_store_is_one_line_everywhere(runner, store, monkeypatch):
    """A store refusing access gives one 'permission denied' line, exit 1, from each command."""
    runner.invoke(app, SAVE)
    _deny(monkeypatch, store)
    for args in [["profile", "list"], *READERS, *WRITERS]:
        _one_error_line(runner.invoke(app, args), 1, "ermission denied")


def test_unreadable_store_as_another_user(tmp_path):
    """As a non-root user, a 0700 folder owned by someone else gives exit 1 and one line."""
    home = tmp_path / "home"
    (home / "profiles").mkdir(parents=True)
    (home / "profiles" / "x.toml").write_text(NEWER.replace("999", "1"))
    home.chmod(0o755)
    (home / "profiles").chmod(0o700)
    tmp_path.chmod(0o755)
    drop = None
    if os.geteuid() == 0:

        def drop():
            os.setgid(65534)
            os.setuid(65534)

        try:
            reachable = (
                subprocess.run(
                    [sys.executable, "-c", "import tjm.cli"],
                    preexec_fn=drop,
                    capture_output=True,
                    cwd="/",
                ).returncode
                == 0
            )
        except OSError:
            reachable = False
        if not reachable:
            pytest.skip(
                "running as root, and the interpreter or tjm is not readable once "
                "privileges are dropped to 'nobody'"
            )
    env = {**os.environ, "TJM_HOME": str(home)}
    for args in [["profile", "list"], *READERS, *WRITERS]:
        done = subprocess.run(
            [sys.executable, "-m", "tjm", *args],
            capture_output=True,
            text=True,
            env=env,
            preexec_fn=drop,
            cwd="/",
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 1, (args, done.stderr)
        assert done.stderr.count("\n") == 1, done.stderr
        assert "ermission denied" in done.stderr


def test_concurrent_losers_get_one_message(runner, store, monkeypatch):
    """Losing on the 'exists' pre-check and losing the hard link give the same line and exit 2."""
    runner.invoke(app, SAVE)
    pre = runner.invoke(app, SAVE)
    monkeypatch.setattr(profiles, "exists", lambda name: False)  # as if the winner came later
    late = runner.invoke(app, SAVE)
    assert (
        (pre.exit_code, pre.stderr)
        == (late.exit_code, late.stderr)
        == (2, "Error: profile 'me' exists; pass --force to overwrite it\n")
    )


def test_many_concurrent_losers_agree(tjm_home):
    """Of 20 concurrent saves of one name, every loser exits 2 with the same message."""
    args = [sys.executable, "-m", "tjm", *SAVE]
    procs = [
        subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        for _ in range(20)
    ]
    results = []
    for proc in procs:
        assert proc.stderr is not None
        results.append((proc.wait(timeout=120), proc.stderr.read()))
    for proc in procs:
        assert proc.stdout is not None
        assert proc.stderr is not None
        proc.stdout.close()
        proc.stderr.close()
    losers = {r for r in results if r[0] != 0}
    assert [code for code, _ in results].count(0) == 1
    assert losers == {(2, "Error: profile 'me' exists; pass --force to overwrite it\n")}


def test_file_name_wins_over_name_key(runner, store):
    """x.toml saying name = "y" is listed and shown as x, with a warning."""
    (store / "x.toml").write_text(NEWER.replace("999", "1").replace('"x"', '"y"'))
    listed = runner.invoke(app, ["profile", "list", "--json"])
    assert listed.exit_code == 0
    assert "name key says 'y'" in listed.stderr
    assert '"name": "x"' in listed.stdout
    shown = runner.invoke(app, ["profile", "show", "x"])
    assert shown.exit_code == 0
    assert "name key says 'y'" in shown.stderr
    assert runner.invoke(app, ["profile", "show", "y"]).exit_code == 1


def test_control_characters_are_escaped(runner, tjm_home):
    """Escape sequences and rich markup in notes are shown as text, never sent raw."""
    notes = "\x1b[2Jgone [/] \x9b \u202e"
    assert runner.invoke(app, [*SAVE, "--notes", notes]).exit_code == 0
    shown = runner.invoke(app, ["profile", "show", "me"])
    assert shown.exit_code == 0, shown.stderr
    assert "\x1b" not in shown.stdout
    assert "\x9b" not in shown.stdout
    assert "\\x1b[2Jgone [/] \\x9b \\u202e" in shown.stdout


def test_save_name_is_checked_before_any_output(runner, tjm_home):
    """quote --save with a bad name, or a taken one without --force, prints no quote (only the
    --json error object) and exits 2."""
    bad = runner.invoke(
        app, ["quote", "--role", "ai-engineer", "--years", "5", "--json", "--save", "../x"]
    )
    assert (bad.exit_code, json.loads(bad.stdout)["code"]) == (2, "bad-profile-name")
    runner.invoke(app, SAVE)
    taken = runner.invoke(
        app, ["quote", "--role", "ai-engineer", "--years", "5", "--json", "--save", "me"]
    )
    assert (taken.exit_code, json.loads(taken.stdout)["code"]) == (2, "file-exists")
    assert "exists" in taken.stderr


def test_stale_store_temp_is_removed_by_the_next_save(runner, store):
    """A temp file left by a killed save (dead PID) is gone after the next save."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    stale = store / f".me.toml.tjm-{proc.pid}-0123abcd.tmp"
    stale.write_text("schema_version = ")
    assert runner.invoke(app, SAVE).exit_code == 0
    assert sorted(p.name for p in store.iterdir()) == ["me.toml"]


def test_old_style_temps_are_removed_once_old(runner, store):
    """Temp files of earlier versions (no PID) are removed by a save once over an hour old."""
    old, fresh = store / ".k.abcd1234.tmp", store / ".k.wxyz9876.tmp"
    for path in (old, fresh):
        path.write_text("schema_version = ")
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    assert runner.invoke(app, SAVE).exit_code == 0
    assert sorted(p.name for p in store.iterdir()) == [fresh.name, "me.toml"]


def test_profile_save_checks_the_name_first(runner, tjm_home, monkeypatch):
    """profile save with a bad name fails before any question would be asked."""
    from tjm.cli import prompts

    monkeypatch.setattr(prompts, "can_ask", lambda: True)
    monkeypatch.setattr(prompts, "make_asker", lambda: pytest.fail("a question was asked"))
    result = runner.invoke(app, ["profile", "save", "../x"])
    assert result.exit_code == 2
    assert "invalid profile name" in result.stderr
