"""Hostile files against every reader of tjm (issue 25): a FIFO, /dev/zero, a link to a
device, a folder, deep nesting, a huge file, bytes that are not UTF-8, and a BOM.

Each case runs tjm in a child process under a memory limit (RLIMIT_AS) and a timeout, so a
reader that blocks or reads without end fails its test instead of the machine.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import TODAY

MEMORY = 1 << 30  # bytes of address space a child may map; tjm needs about a third of it
TIMEOUT = 60  # seconds; every case takes one or two

PROFILE = 'schema_version = 4\nname = "x"\n[pricing]\nrole = "ai-engineer"\nyears = 4.0\n'
USER = "schema_version = 1\n"
MISSIONS = "rate,days,client,date\n500,2,acme,2026-03-02\n"
IMPORT = '[[missions]]\nrate = 500\ndays = 2\nclient = "acme"\ndate = 2026-03-02\n'
ROSTER = "name,role,years\nA,ai-engineer,3\n"
QUOTE = ["quote", "--role", "ai-engineer", "--years", "3"]


def _limit(closed: tuple[int, ...] = ()) -> Callable[[], None]:
    def prepare() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
        for fd in closed:
            os.close(fd)

    return prepare


def run_tjm(
    args: list[str],
    home: Path,
    stdin: int | None = subprocess.DEVNULL,
    closed: tuple[int, ...] = (),
    text_in: str | None = None,
):
    """Run `python -m tjm ARGS` under MEMORY and TIMEOUT, with the fds `closed` closed; return
    the completed process."""
    environ = {
        **os.environ,
        "TJM_HOME": str(home),
        "TJM_TODAY": TODAY,
        "TJM_LANG": "en",
        "COLUMNS": "100",
    }
    return subprocess.run(
        [sys.executable, "-m", "tjm", *args],
        stdin=None if text_in is not None else stdin,
        input=text_in,
        capture_output=2 not in closed,
        stdout=subprocess.PIPE if 2 in closed else None,
        text=True,
        env=environ,
        timeout=TIMEOUT,
        preexec_fn=_limit(closed),
        check=False,
    )


# ------------------------------------------------------------------ the hostile files


def fifo(path: Path, good: str) -> None:
    os.mkfifo(path)


def dev_zero(path: Path, good: str) -> None:
    path.symlink_to("/dev/zero")  # a link to a device: endless bytes


def folder(path: Path, good: str) -> None:
    path.mkdir()


def deep(path: Path, good: str) -> None:
    path.write_text(good + "deep = " + "[" * 50_000 + "]" * 50_000 + "\n")


def huge(path: Path, good: str) -> None:
    # Over every whole-file limit (8 MiB for data, 1 MiB for a profile), as one comment.
    with path.open("w") as handle:
        handle.write(good)
        handle.write("# " + "x" * (9 << 20) + "\n")


def latin1(path: Path, good: str) -> None:
    path.write_bytes(good.encode() + "# café\n".encode("latin-1"))


def bom(path: Path, good: str) -> None:
    path.write_bytes("\ufeff".encode() + good.encode())


HOSTILE: dict[str, Callable[[Path, str], None]] = {
    "fifo": fifo,
    "dev-zero": dev_zero,
    "folder": folder,
    "deep": deep,
    "huge": huge,
    "latin-1": latin1,
    "bom": bom,
}
# What each refusal says; a BOM is no fault.
SAYS = {
    "fifo": "a FIFO, not a file; it was not read",
    "dev-zero": "a device, not a file; it was not read",
    "folder": "a folder, not a file; it was not read",
    "deep": "nested too deeply",
    "huge": "bytes such a file may hold",
    "latin-1": "not UTF-8 text: byte 0xE9 on line",
}


class Reader:
    """One reader of tjm: where the hostile file goes, the good text it holds, how to read it."""

    def __init__(self, name: str, good: str, args: Callable[[Path], list[str]], where: str):
        self.name, self.good, self.args, self.where = name, good, args, where

    def path(self, home: Path, tmp: Path) -> Path:
        if self.where == "store":
            (home / "profiles").mkdir(parents=True, exist_ok=True)
            return home / "profiles" / "x.toml"
        if self.where == "user":
            home.mkdir(parents=True, exist_ok=True)
            return home / "observations.toml"
        return tmp / self.where


READERS = [
    Reader("profile show", PROFILE, lambda p: ["profile", "show", "x"], "store"),
    Reader("quote --profile", PROFILE, lambda p: ["quote", "--profile", str(p)], "x.toml"),
    Reader("data list", USER, lambda p: ["data", "list"], "user"),
    Reader("quote (user data)", USER, lambda p: QUOTE, "user"),
    Reader("data add toml", IMPORT, lambda p: ["data", "add", str(p)], "in.toml"),
    Reader("data add csv", MISSIONS, lambda p: ["data", "add", str(p)], "in.csv"),
    Reader("batch", ROSTER, lambda p: ["batch", str(p)], "roster.csv"),
]
TOML_ONLY = {"deep"}  # nesting means nothing to a CSV
CSV_READERS = {"data add csv", "batch"}


def cases():
    for reader in READERS:
        for kind in HOSTILE:
            if kind in TOML_ONLY and reader.name in CSV_READERS:
                continue
            if kind == "huge" and reader.name == "batch":
                continue  # a roster has no whole-file limit: see test_an_endless_roster_line
            yield pytest.param(reader, kind, id=f"{reader.name}-{kind}")


@pytest.mark.parametrize(("reader", "kind"), list(cases()))
def test_hostile_file_is_refused_in_one_line(reader, kind, tjm_home, tmp_path):
    """Each reader refuses a FIFO, a device, a folder, deep nesting, a huge file and Latin-1
    bytes at once in one `Error:` line (exit 1) naming the file; a BOM is read as UTF-8."""
    path = reader.path(tjm_home, tmp_path)
    HOSTILE[kind](path, reader.good)
    result = run_tjm(reader.args(path), tjm_home)
    assert "Traceback" not in result.stderr, result.stderr
    if kind == "bom":
        assert result.returncode == 0, result.stderr
        return
    assert result.returncode == 1, (result.returncode, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: {path}: "), lines[0]
    assert SAYS[kind] in lines[0], lines[0]


@pytest.mark.parametrize("args", [["data", "add", "/dev/zero"], ["batch", "/dev/zero"]])
def test_dev_zero_is_refused_before_any_read(args, tjm_home):
    """`tjm data add /dev/zero` and `tjm batch /dev/zero` refuse the device at once; they read
    until the kernel killed them."""
    result = run_tjm(args, tjm_home)
    assert result.returncode == 1
    assert result.stderr == "Error: /dev/zero: a device, not a file; it was not read\n"


def test_a_bad_user_store_gives_the_json_error_and_no_user_data_still_prices(tjm_home):
    """A bad observations.toml is one line (bad-data-file) with the --json error object, and
    names --no-user-data, which prices without it."""
    import json

    tjm_home.mkdir()
    deep(tjm_home / "observations.toml", USER)
    quote = QUOTE
    failed = run_tjm([*quote, "--json"], tjm_home)
    assert failed.returncode == 1
    error = json.loads(failed.stdout)
    assert (error["code"], error["exit"]) == ("bad-data-file", 1)
    assert "--no-user-data" in error["message"]
    priced = run_tjm([*quote, "--json", "--no-user-data"], tjm_home)
    assert priced.returncode == 0, priced.stderr
    assert json.loads(priced.stdout)["schema"].startswith("tjm.quote/")


def test_an_endless_roster_line_is_one_bad_row_naming_the_documented_limit(tjm_home, tmp_path):
    """A roster field of 20 million characters is one bad row naming the 131,072 limit (it
    named 16,777,216), read in bounded memory; the other rows are priced."""
    roster = tmp_path / "roster.csv"
    with roster.open("w") as handle:
        handle.write("name,role,years\nA,ai-engineer,3\nB,")
        handle.write("x" * 20_000_000)
        handle.write(",4\nC,ai-engineer,5\n")
    result = run_tjm(["batch", str(roster)], tjm_home)
    assert result.returncode == 0, result.stderr
    assert f"{roster}:3: a field over the limit of 131,072 characters" in result.stderr
    assert result.stdout.count("ai-engineer") == 2


def test_data_add_reads_stdin_bounded(tjm_home):
    """`tjm data add -` reads CSV from stdin; endless stdin stops at the limit, and a closed
    stdin is one error line (exit 1)."""
    added = run_tjm(["data", "add", "-"], tjm_home, text_in=MISSIONS)
    assert added.returncode == 0, added.stderr
    assert "Added m1" in added.stderr
    with open("/dev/zero", "rb") as zero:
        endless = run_tjm(["data", "add", "-"], tjm_home, stdin=zero.fileno())
    assert endless.returncode == 1
    assert endless.stderr == "Error: -: more than the 8,388,608 bytes such a file may hold\n"
    closed = run_tjm(["data", "add", "-"], tjm_home, closed=(0,))
    assert closed.returncode == 1
    assert closed.stderr == "Error: -: standard input is closed\n"


DATASET_CHILD = """
import sys
from pathlib import Path
from tjm.dataset.load import load_dataset
from tjm.errors import DataError
for name in sys.argv[1:]:
    try:
        load_dataset(Path(name))
    except DataError as exc:
        print(exc)
"""


def test_the_dataset_reader_refuses_hostile_files(tmp_path):
    """load_dataset(PATH), the dataset's reader for tests and what-ifs, refuses each hostile
    file with a DataError naming it, in bounded time and memory."""
    paths = []
    for kind in ("fifo", "dev-zero", "folder", "deep", "latin-1"):
        path = tmp_path / f"{kind}.toml"
        HOSTILE[kind](path, "schema_version = 2\n")
        paths.append(path)
    result = subprocess.run(
        [sys.executable, "-c", DATASET_CHILD, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=_limit(),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(paths), result.stdout
    kinds = ("fifo", "dev-zero", "folder", "deep", "latin-1")
    for line, path, kind in zip(lines, paths, kinds, strict=True):
        assert line.startswith(f"{path}: "), line
        assert SAYS[kind] in line, line
