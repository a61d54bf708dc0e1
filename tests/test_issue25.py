"""Issue 25: each exit code and message the hostile sweep found wrong, pinned."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys

import pytest

from tjm.cli import app
from tjm.store import atomic, profiles

from .checks import assert_one_error_line
from .conftest import TODAY

QUOTE = ["quote", "--role", "ai-engineer", "--years", "3"]
ROSTER = "name,role,years\nA,ai-engineer,3\n"


def _env(home, **more):
    return {**os.environ, "TJM_HOME": str(home), "TJM_TODAY": TODAY, "TJM_LANG": "en", **more}


# ------------------------------------------------------------------ streams


@pytest.mark.parametrize("closed", ["<&-", ">&-", "2>&-"])
def test_batch_with_a_closed_stream_writes_its_file(tjm_home, tmp_path, closed):
    """`tjm batch r.csv -o out.csv` writes its file and exits 0 with stdin, stdout or stderr
    closed (with stderr closed it died in sys.stderr.isatty() and wrote nothing)."""
    roster, out = tmp_path / "r.csv", tmp_path / "out.csv"
    roster.write_text(ROSTER)
    script = f'exec "$0" -m tjm batch "$1" -o "$2" {closed}'
    result = subprocess.run(
        ["sh", "-c", script, sys.executable, str(roster), str(out)],
        capture_output=True,
        text=True,
        env=_env(tjm_home),
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_text().startswith("name,role,years,target")


def test_batch_to_stdout_with_stderr_closed(tjm_home, tmp_path):
    """With stderr closed, `tjm batch r.csv` still prints the priced roster, exit 0."""
    roster = tmp_path / "r.csv"
    roster.write_text(ROSTER)
    result = subprocess.run(
        ["sh", "-c", 'exec "$0" -m tjm batch "$1" 2>&-', sys.executable, str(roster)],
        capture_output=True,
        text=True,
        env=_env(tjm_home),
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.count("\n") == 2


@pytest.mark.parametrize("columns", ["0", "-3", "abc", "99999999999", "5"])
@pytest.mark.parametrize(
    "args",
    [
        QUOTE,
        ["compare", "550", "--role", "ai-engineer", "--years", "3"],
        ["floor", "--target-net", "50000", "--status", "ei"],
        ["statuses", "--target-net", "50000"],
        ["channel", "--rate", "500"],
        ["benchmarks", "sources"],
    ],
    ids=["quote", "compare", "floor", "statuses", "channel", "benchmarks"],
)
def test_absurd_columns_fall_back_to_80(runner, monkeypatch, args, columns):
    """COLUMNS=0, negative, not a number or absurd prints the view at 80 columns; six commands
    printed nothing and exited 0."""
    monkeypatch.setenv("COLUMNS", columns)
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) > 3


def test_console_width_rules():
    """Only COLUMNS within 20..1000 is used; unset, the terminal decides."""
    from tjm.cli.output import console_width

    assert console_width({}) is None
    assert console_width({"COLUMNS": "120"}) is None
    assert [console_width({"COLUMNS": v}) for v in ("0", "-1", "x", "10**9", "19")] == [80] * 5


# ------------------------------------------------------------------ saving


def test_a_too_big_profile_is_refused_naming_the_field(runner, tjm_home):
    """Long --client names that would make the file over 1 MiB are refused (exit 2, naming
    --client) and nothing is written; it said "Saved" and then could not be shown."""
    clients = []
    for i in range(60):
        clients += ["--client", f"{'a' * 20_000}{i}:500:1"]
    result = runner.invoke(app, ["profile", "save", "big", *QUOTE[1:], *clients])
    assert_one_error_line(result, 2, "--client: the profile would take 1,2")
    assert "more than the 1,048,576 a profile may hold" in result.stderr
    assert not (tjm_home / "profiles" / "big.toml").exists()


def test_what_saves_can_be_shown(runner):
    """A profile just under the limit saves and shows: save refuses only what show refuses."""
    notes = "n" * (profiles.MAX_BYTES - 400)
    saved = runner.invoke(app, ["profile", "save", "edge", *QUOTE[1:], "--notes", notes])
    assert saved.exit_code == 0, saved.stderr
    assert runner.invoke(app, ["profile", "show", "edge"]).exit_code == 0


def test_saving_onto_a_folder_does_not_point_at_profile_delete(runner, tjm_home):
    """A folder at the profile's name is never replaced, and the message no longer sends the
    user to `tjm profile delete`, which refuses folders."""
    (tjm_home / "profiles" / "p.toml").mkdir(parents=True)
    result = runner.invoke(app, ["profile", "save", "p", *QUOTE[1:], "--force"])
    assert_one_error_line(result, 2, "is a folder; tjm replaces only regular files: move or")
    assert "profile delete" not in result.stderr


def test_saving_onto_a_link_still_points_at_profile_delete(runner, tjm_home):
    """A link at the profile's name is never replaced; tjm profile delete removes it."""
    store = tjm_home / "profiles"
    store.mkdir(parents=True)
    (store / "p.toml").symlink_to(tjm_home / "elsewhere.toml")
    result = runner.invoke(app, ["profile", "save", "p", *QUOTE[1:], "--force"])
    assert_one_error_line(result, 2, "(remove it with tjm profile delete)")
    assert runner.invoke(app, ["profile", "delete", "p", "--yes"]).exit_code == 0


@pytest.mark.parametrize("name", ["con", "nul", "aux", "prn", "com1", "lpt9"])
def test_device_names_are_refused_for_what_they_are(runner, name):
    """`profile save con` names the rule it breaks (a Windows device name), not the pattern
    the name satisfies."""
    result = runner.invoke(app, ["profile", "save", name, *QUOTE[1:]])
    assert_one_error_line(result, 2, f"invalid profile name '{name}': Windows reserves it")
    assert "starting with a letter or digit" not in result.stderr


def test_a_bom_in_a_profile_is_read(runner, tjm_home):
    """A profile saved by an editor with a BOM is read as UTF-8."""
    store = tjm_home / "profiles"
    store.mkdir(parents=True)
    text = 'schema_version = 4\nname = "b"\n[pricing]\nrole = "ai-engineer"\nyears = 4.0\n'
    (store / "b.toml").write_bytes("\ufeff".encode() + text.encode())
    result = runner.invoke(app, ["profile", "show", "b"])
    assert result.exit_code == 0, result.stderr


# ------------------------------------------------------------------ tjm data


def test_a_bom_in_a_data_add_csv_is_read(runner, tmp_path):
    """A BOM before the header is dropped: it showed as column \\ufeffsource_title."""
    csv_file = tmp_path / "obs.csv"
    csv_file.write_bytes(
        "\ufeff".encode()
        + b"source_title,publisher,published,url,role,min_years,max_years,region,statistic,"
        + b"value,fee_side,grade,quote\n"
        + b"My survey,Me,2026-01,https://example.org,ai-engineer,3,5,idf,median,600,"
        + b"freelancer,C,a quote\n"
    )
    result = runner.invoke(app, ["data", "add", str(csv_file)])
    assert result.exit_code == 0, result.stderr
    assert "\\ufeff" not in result.stderr
    assert "\ufeff" not in result.stderr


def test_an_unreadable_data_add_file_exits_1(runner, tmp_path, monkeypatch):
    """A file that cannot be opened (permission denied) or is a folder exits 1 with tjm's own
    line (code unreadable-file), not click's exit 2."""
    from tjm import files

    target = tmp_path / "locked.csv"
    target.write_text("rate,days,client,date\n")
    real_open = os.open

    def denied(path, *args, **kwargs):
        if os.fspath(path) == str(target):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(files.os, "open", denied)  # type: ignore[attr-defined]
    result = runner.invoke(app, ["data", "add", str(target), "--lang", "en"])
    assert_one_error_line(result, 1, f"{target}: Permission denied")
    monkeypatch.undo()
    assert_one_error_line(runner.invoke(app, ["data", "add", str(tmp_path)]), 1, "a folder")


def test_a_long_cell_in_data_add_is_a_row_error(runner, tmp_path):
    """A 200,000-character cell is one bad row naming line and limit; it was _csv.Error."""
    csv_file = tmp_path / "m.csv"
    csv_file.write_text(
        "rate,days,client,date\n500,1," + "a" * 200_000 + ",2026-01-01\n510,1,b,2026-01-02\n"
    )
    result = runner.invoke(app, ["data", "add", str(csv_file)])
    assert result.exit_code == 1
    assert f"{csv_file}: line 2: a field over the limit of 131,072 characters" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("kind", "text", "where"),
    [
        (
            "csv",
            "rate,days,client,date\n500,2,acme,2030-01-01\n",
            "line 2: column date: '2030-01-01' is in the future; expected 2026-11-30 or earlier",
        ),
        (
            "toml",
            '[sources.s]\ntitle = "t"\npublisher = "p"\npublished = "2100-07"\n'
            'url = "https://example.org"\n',
            "sources.s.published: '2100-07' is in the future",
        ),
        (
            "csv",
            "source_title,publisher,published,url,role,min_years,max_years,region,data_year,"
            "statistic,value,fee_side,grade,quote\nS,P,2026-01,https://example.org,ai-engineer,"
            "3,5,idf,2100,median,600,freelancer,C,q\n",
            "line 2: column data_year: 2100 is in the future",
        ),
    ],
    ids=["mission-date", "published", "data-year"],
)
def test_future_dates_are_refused_with_their_field(runner, tmp_path, kind, text, where):
    """A mission dated 2030, a source published in 2100 or data of 2100 is refused, naming the
    field; the mission was stored and then silently left out, the observation outweighed all."""
    path = tmp_path / f"in.{kind}"
    path.write_text(text)
    result = runner.invoke(app, ["data", "add", str(path)])
    assert result.exit_code == 1
    assert where in result.stderr, result.stderr


def test_a_future_date_in_the_store_is_one_error(runner, tjm_home):
    """A hand-edited store with a mission in the future is one bad-data-file line (exit 1)."""
    tjm_home.mkdir()
    (tjm_home / "observations.toml").write_text(
        'schema_version = 1\n[[missions]]\nrate = 500\ndays = 1\nclient = "a"\ndate = 2030-01-01\n'
    )
    result = runner.invoke(app, [*QUOTE, "--json"])
    assert_one_error_line(result, 1, "is in the future")
    assert json.loads(result.stdout)["code"] == "bad-data-file"


# ------------------------------------------------------------------ batch


def test_batch_into_a_folder_it_cannot_write_is_bad_destination(runner, tmp_path, monkeypatch):
    """`batch -o` into a folder it cannot write exits 2 (bad-destination) before any work; it
    exited 1 after pricing."""
    roster = tmp_path / "r.csv"
    roster.write_text(ROSTER)
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if p == locked else real_access(p, mode)
    )
    result = runner.invoke(app, ["batch", str(roster), "-o", str(locked / "out.csv")])
    assert_one_error_line(result, 2, "cannot write in the folder")


def test_batch_temp_that_cannot_be_created_is_bad_destination(runner, tmp_path, monkeypatch):
    """If the temp file cannot be created (a read-only disk), -o is refused as a destination,
    exit 2, not as a failed write."""
    roster = tmp_path / "r.csv"
    roster.write_text(ROSTER)
    real_open = os.open

    def read_only(path, flags, *args, **kwargs):
        if ".tjm-" in os.fspath(path):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(atomic.os, "open", read_only)  # type: ignore[attr-defined]
    result = runner.invoke(app, ["batch", str(roster), "-o", str(tmp_path / "out.csv")])
    assert_one_error_line(result, 2, "cannot write there: Read-only file system")


@pytest.mark.parametrize("command", ["batch", "report"])
def test_help_says_what_force_overwrites(runner, command):
    """`batch --help` and `report --help` say --force overwrites the -o file; batch said 'a
    profile', and report took the profile commands' flag too."""
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert "Overwrite the -o file if it exists." in result.stdout
    assert "Overwrite a profile" not in result.stdout


def test_a_roster_header_in_the_wrong_case_is_named(runner, tmp_path):
    """`Name,Role,Years` gets told the columns are lowercase, not that they are absent."""
    roster = tmp_path / "r.csv"
    roster.write_text("Name,Role,Years\nA,ai-engineer,3\n")
    result = runner.invoke(app, ["batch", str(roster)])
    assert_one_error_line(
        result, 1, f"{roster}:1: column names are lowercase: rename Role, Years to role, years"
    )


# ------------------------------------------------------------------ flags


def test_an_amount_finer_than_a_cent_reads_as_thousands(runner):
    """`--target-net 12,345` is 12345 (12.345 EUR is no amount); it suggested 12.345, which
    was then refused in the same way. `1,250` stays ambiguous, with typeable suggestions."""
    result = runner.invoke(app, ["floor", "--target-net", "12,345", "--status", "ei"])
    assert result.exit_code == 0, result.stderr
    assert "12,345 EUR a year" in result.stdout
    ambiguous = runner.invoke(app, ["floor", "--target-net", "1,250", "--status", "ei"])
    assert_one_error_line(ambiguous, 2, "write 1.25 or 1250")


def test_no_versement_liberatoire_goes_with_any_status(runner):
    """`--no-versement-liberatoire --status ei` is true of ei and accepted; it was refused
    naming --versement-liberatoire. `--versement-liberatoire --status ei` is still refused."""
    args = ["floor", "--target-net", "50000", "--status", "ei"]
    assert runner.invoke(app, [*args, "--no-versement-liberatoire"]).exit_code == 0
    refused = runner.invoke(app, [*args, "--versement-liberatoire"])
    assert_one_error_line(refused, 2, "--versement-liberatoire, --status: goes with")
