"""--help cannot drift: the README's command table names only commands and flags that exist,
every command is in it, and the defaults that help names are read from the data."""

import re
from pathlib import Path

import pytest

from tjm.cli import app
from tjm.cli.options import help_figures
from tjm.dataset import load as benchmarks
from tjm.dataset.load import dataset_text
from tjm.dataset.parse import parse_dataset

README = Path(__file__).parent.parent / "README.md"


def _help(runner, path: tuple[str, ...]) -> str:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, (path, result.stderr)
    return str(result.stdout)


def _listed(runner, path: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Return every command path that `tjm --help` lists, and its groups' --help in turn."""
    text = _help(runner, path)
    if "Commands:" not in text:
        return set()
    names = re.findall(r"^  (\S+)", text.split("Commands:", 1)[1], flags=re.MULTILINE)
    found = {(*path, name) for name in names}
    for sub in list(found):
        found |= _listed(runner, sub)
    return found


def _table_rows() -> list[list[str]]:
    """Return the code spans of each row of the README's command table."""
    text = README.read_text(encoding="utf-8").split("## The commands", 1)[1]
    rows = re.findall(r"^\|.*\|$", text.strip().split("\n\n", 1)[0], flags=re.MULTILINE)[2:]
    return [re.findall(r"`([^`]+)`", row.replace("\\|", "|")) for row in rows]


def _paths(words: list[str], commands: set[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Return the command paths the leading words name: `profile save/list` names two."""
    paths: list[tuple[str, ...]] = [()]
    for word in words:
        longer = [(*p, w) for p in paths for w in word.split("/")]
        if not longer or not all(p in commands for p in longer):
            break
        paths = longer
    return [p for p in paths if p]


def _table_claims(commands: set[tuple[str, ...]]) -> list[tuple[tuple[str, ...], str | None]]:
    """Return (command, flag) for every command the table names (flag None) and every flag it
    gives one. A flag outside a `tjm ...` span belongs to the commands named after it in the
    row, else to the row's last `tjm ...` span."""
    claims: list[tuple[tuple[str, ...], str | None]] = []
    for spans in _table_rows():
        last: list[tuple[str, ...]] = []
        waiting: list[str] = []
        named_after: list[tuple[str, ...]] = []
        for span in spans:
            words = span.split()
            flags = [w for w in words if re.fullmatch(r"--?[a-z][\w-]*", w)]
            if words[0] == "tjm":
                last = _paths(words[1:], commands)
                assert last, span
                claims += [(p, f) for p in last for f in [None, *flags]]
            elif flags:
                waiting += flags
            else:
                named = _paths(words, commands)
                assert named, span
                named_after += named
        claims += [(p, f) for p in named_after or last for f in waiting]
    return claims


def test_readme_table_names_real_commands_and_flags(runner):
    """Each command in the README's table exists, and each flag it shows is in that
    command's --help."""
    commands = _listed(runner)
    claims = _table_claims(commands)
    assert len({p for p, _ in claims}) > 10
    for path, flag in claims:
        if flag is not None:
            text = _help(runner, path)
            assert re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", text), (path, flag)


def test_every_command_is_in_the_readme_table(runner):
    """Every command `tjm --help` lists (and its groups' subcommands) is in the README's
    table; a group is there through its subcommands."""
    commands = _listed(runner)
    assert ("quote",) in commands
    assert ("profile", "save") in commands
    named = {p[:i] for p, _ in _table_claims(commands) for i in range(1, len(p) + 1)}
    assert commands - named == set()


@pytest.mark.parametrize(
    "path",
    [
        ("quote",),
        ("compare",),
        ("floor",),
        ("statuses",),
        ("channel",),
        ("batch",),
        ("benchmarks",),
        ("profile", "save"),
        ("data", "add"),
    ],
)
def test_help_fills_every_default(runner, path):
    """No help text shows a figure's placeholder unfilled."""
    text = _help(runner, path)
    for name in help_figures():
        assert f"{{{name}}}" not in text, name


def test_help_reads_the_defaults_from_the_data(runner, monkeypatch):
    """Help names the dataset's defaults when shown: with 30 holidays and a 25% ESN margin in
    the data, `tjm floor --help` says so."""
    text = dataset_text()
    holidays = "holidays = 25\nsick_days = 4\nnon_billable_days = 45\ntotal = 179"
    esn = '[channels.esn]\nlabel = "ESN / agency"\nfee = 0.20'
    assert holidays in text
    assert esn in text
    changed = text.replace(holidays, holidays.replace("25", "30").replace("179", "174"))
    changed = changed.replace(esn, esn.replace("0.20", "0.25"))
    monkeypatch.setattr(benchmarks, "load_dataset", lambda: parse_dataset(changed))
    shown = " ".join(_help(runner, ("floor",)).split())
    assert "Holidays per year (default 30)." in shown
    assert "% of the client price (default 25)." in shown
