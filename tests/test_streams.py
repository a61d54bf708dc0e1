"""The real process and its streams: a full disk, closed or broken stdout, closed stdin, an
ASCII-only terminal and an early Ctrl-C each end in one line and an exit code, never a traceback."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

QUOTE = ["quote", "--role", "ai-engineer", "--years", "5", "--skill", "rag"]
TJM = [sys.executable, "-m", "tjm"]


def run(args, tjm_home, **kwargs):
    env = {**os.environ, "TJM_HOME": str(tjm_home), **kwargs.pop("env", {})}
    return subprocess.run(
        [*TJM, *args], env=env, capture_output=kwargs.pop("capture", True), text=True, **kwargs
    )


@pytest.mark.parametrize(
    "args",
    [
        QUOTE,
        [*QUOTE, "--json"],
        ["benchmarks", "sources"],
        ["profile", "path"],
        ["floor", "--target-net", "50000"],
        ["--help"],
    ],
)
def test_a_full_disk_is_one_error_line(args, tjm_home):
    """Output to /dev/full exits 1 with one `Error:` line and no traceback."""
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [*TJM, *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "TJM_HOME": str(tjm_home)},
        )
    assert result.returncode == 1
    assert result.stderr == "Error: cannot write the output: No space left on device\n"


def test_a_closed_stdout_is_reported(tjm_home):
    """A closed stdout (`>&-`) exits 1 saying nothing could be printed, not 0 in silence."""
    result = subprocess.run(
        ["sh", "-c", 'exec "$0" -m tjm "$@" >&-', sys.executable, *QUOTE],
        capture_output=True,
        text=True,
        env={**os.environ, "TJM_HOME": str(tjm_home)},
    )
    assert result.returncode == 1
    assert result.stderr == "Error: standard output is closed; nothing was printed\n"


def test_a_closed_stdin_is_not_a_terminal(tjm_home):
    """With stdin closed (`<&-`), a missing value is the usual usage error naming the flags."""
    result = subprocess.run(
        ["sh", "-c", 'exec "$0" -m tjm quote <&-', sys.executable],
        capture_output=True,
        text=True,
        env={**os.environ, "TJM_HOME": str(tjm_home)},
    )
    assert result.returncode == 2
    assert result.stderr.startswith("Error: missing --role and --years")
    assert "Traceback" not in result.stderr


def test_a_broken_pipe_is_silent(tjm_home, tmp_path):
    """A reader that leaves early (`| head`) gets its bytes; tjm exits 141, silent on stderr."""
    roster = tmp_path / "r.csv"  # priced, it is far larger than a pipe's buffer
    roster.write_text("role,years\n" + "ai-engineer,3\n" * 5000, encoding="utf-8")
    proc = subprocess.Popen(
        [*TJM, "batch", str(roster), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "TJM_HOME": str(tjm_home)},
    )
    assert proc.stdout is not None
    assert len(proc.stdout.read(10)) == 10
    proc.stdout.close()
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 141
    assert err == b""


@pytest.mark.parametrize(
    "env",
    [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}],
)
@pytest.mark.parametrize(
    "args", [QUOTE, ["benchmarks", "sources"], ["benchmarks"], ["floor", "--target-net", "50000"]]
)
def test_an_ascii_terminal_degrades_instead_of_crashing(tjm_home, env, args):
    """Characters the encoding lacks degrade (EUR, ASCII bars, plain letters); exit 0."""
    result = run(args, tjm_home, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert all(ord(c) < 128 for c in result.stdout)


def test_ascii_chart_and_labels(tjm_home):
    """On an ASCII terminal the chart uses ASCII marks and accents are dropped, not '?'."""
    out = run(
        [*QUOTE, "--region", "idf", "--rate", "600"], tjm_home, env={"PYTHONIOENCODING": "ascii"}
    ).stdout
    assert "[====" in out
    assert "Ile-de-France" in out


def test_bytes_that_are_not_utf8_in_notes(tjm_home):
    """Non-UTF-8 bytes in --notes are refused in one line (exit 2); nothing is saved."""
    result = subprocess.run(
        [
            *TJM,
            "profile",
            "save",
            "p",
            "--role",
            "ai-engineer",
            "--years",
            "3",
            "--notes",
            b"caf\xe9",
        ],
        capture_output=True,
        env={**os.environ, "TJM_HOME": str(tjm_home)},
    )
    assert result.returncode == 2
    assert result.stderr == b"Error: --notes: not valid UTF-8 text\n"
    assert not tjm_home.exists()


@pytest.mark.parametrize("delay", [0.0, 0.01, 0.03, 0.06, 0.1, 0.2, 0.3])
def test_sigint_at_any_moment_exits_130_without_a_traceback(tjm_home, tmp_path, delay):
    """SIGINT at any moment once `tjm.cli.main` runs (imports, work, saving) exits 130 with
    one line and never a traceback; nothing is saved."""
    # Before main() runs, Python itself is starting (about 25 ms) and no program can catch
    # a signal there; an audit hook says when main() starts loading the app (its first
    # step), and the clock starts there.
    (tmp_path / "sitecustomize.py").write_text(
        "import os, sys\n"
        "def hook(event, args):\n"
        "    if event == 'import' and args[0] == 'tjm.cli.root':\n"
        "        os.write(int(os.environ['READY_FD']), b'x')\n"
        "sys.addaudithook(hook)\n",
        encoding="utf-8",
    )
    ready, signal_fd = os.pipe()
    env = {
        **os.environ,
        "TJM_HOME": str(tjm_home),
        "READY_FD": str(signal_fd),
        "PYTHONPATH": str(tmp_path),
    }
    script = Path(sys.executable).with_name("tjm")  # the console script users run
    proc = subprocess.Popen(
        [script, *QUOTE, "--save", "p"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        pass_fds=[signal_fd],
    )
    os.close(signal_fd)
    assert os.read(ready, 1) == b"x"
    os.close(ready)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    if proc.returncode == 0:  # it finished before the signal
        return
    assert proc.returncode == 130, err
    saved = tjm_home / "profiles" / "p.toml"
    if saved.exists():  # the signal came after the save: the message must say so
        assert err.strip().endswith(f"Cancelled; already saved: {saved}.")
    else:
        assert err.strip() == "Cancelled; nothing was saved."


def test_tjm_today_pins_the_date_and_a_bad_one_is_one_line(tjm_home):
    """TJM_TODAY sets the pricing date (the rules year follows); a bad date is one line."""
    floor = ["floor", "--target-net", "50000", "--json"]
    in_2025 = run(floor, tjm_home, env={"TJM_TODAY": "2025-06-01"})
    assert '"year": 2025' in in_2025.stdout
    bad = run(floor, tjm_home, env={"TJM_TODAY": "tomorrow"})
    assert bad.returncode == 2
    assert bad.stderr == "Error: TJM_TODAY: expected a date as YYYY-MM-DD, got 'tomorrow'\n"
