"""The profile commands and --profile/--save on the pricing commands, in-process."""

import json
from pathlib import Path

import pytest

from tjm.cli import app

EXAMPLE = str(Path(__file__).parent.parent / "profiles" / "paris-ai-engineer.toml")
SAVE = ["profile", "save", "me", "--role", "ai-engineer", "--years", "5", "--skill", "rag"]


def test_path_prints_the_store(runner, tjm_home):
    """tjm profile path prints TJM_HOME/profiles."""
    result = runner.invoke(app, ["profile", "path"])
    assert result.stdout.strip() == str(tjm_home / "profiles")


def test_save_list_show_delete(runner, tjm_home):
    """A profile saved from flags shows up in list and show, then delete --yes removes it."""
    saved = runner.invoke(app, [*SAVE, "--notes", "first"])
    assert saved.exit_code == 0, saved.stderr
    assert str(tjm_home / "profiles" / "me.toml") in saved.stderr

    listed = runner.invoke(app, ["profile", "list"])
    assert "me" in listed.stdout
    assert "ai-engineer" in listed.stdout
    rows = json.loads(runner.invoke(app, ["profile", "list", "--json"]).stdout)["profiles"]
    assert [(r["name"], r["inputs"]["years"]) for r in rows] == [("me", 5.0)]

    shown = json.loads(runner.invoke(app, ["profile", "show", "me", "--json"]).stdout)
    assert shown["inputs"]["skills"] == ["rag"]
    assert shown["notes"] == "first"
    assert shown["path"] == str(tjm_home / "profiles" / "me.toml")
    assert "me.toml" in runner.invoke(app, ["profile", "show", "me"]).stdout

    deleted = runner.invoke(app, ["profile", "delete", "me", "--yes"])
    assert deleted.exit_code == 0
    assert not (tjm_home / "profiles" / "me.toml").exists()


def test_save_over_existing_needs_force(runner, tjm_home):
    """Without a terminal, saving over a name exits 2 naming --force and keeps the file."""
    runner.invoke(app, SAVE)
    path = tjm_home / "profiles" / "me.toml"
    before = path.read_bytes()
    result = runner.invoke(
        app, ["profile", "save", "me", "--role", "data-scientist", "--years", "1"]
    )
    assert result.exit_code == 2
    assert "--force" in result.stderr
    assert path.read_bytes() == before
    forced = runner.invoke(
        app, ["profile", "save", "me", "--role", "data-scientist", "--years", "1", "--force"]
    )
    assert forced.exit_code == 0
    assert "data-scientist" in path.read_text()


def test_delete_needs_yes_off_a_terminal(runner, tjm_home):
    """Without a terminal, delete without --yes exits 2 and keeps the file."""
    runner.invoke(app, SAVE)
    result = runner.invoke(app, ["profile", "delete", "me"])
    assert result.exit_code == 2
    assert "--yes" in result.stderr
    assert (tjm_home / "profiles" / "me.toml").exists()


def test_delete_missing(runner):
    """Deleting a missing profile exits 1 with its name."""
    result = runner.invoke(app, ["profile", "delete", "ghost", "--yes"])
    assert result.exit_code == 1
    assert "ghost" in result.stderr


@pytest.mark.parametrize("name", ["../x", "a/b", "con", ".dot", ""])
def test_hostile_names_exit_2(runner, tjm_home, name):
    """Unsafe profile names exit 2 with one line, and nothing is created."""
    result = runner.invoke(app, ["profile", "save", name, "--role", "ai-engineer", "--years", "3"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: invalid profile name")
    assert not tjm_home.exists()


def test_quote_from_example_profile_by_path(runner):
    """--profile takes a path to an example and prices its values."""
    data = json.loads(runner.invoke(app, ["quote", "--profile", EXAMPLE, "--json"]).stdout)
    assert data["inputs"] == {
        "role": "ai-engineer",
        "years": 5.0,
        "region": "idf",
        "skills": ["nlp", "rag"],
        "rate": 550.0,
    }
    assert data["verdict"] is not None


def test_flags_override_profile(runner):
    """Flags given with --profile win over the profile's values; the rest is kept."""
    data = json.loads(
        runner.invoke(
            app, ["quote", "--profile", EXAMPLE, "--years", "9", "--skill", "llm", "--json"]
        ).stdout
    )
    assert data["inputs"]["years"] == 9.0
    assert data["inputs"]["skills"] == ["llm"]
    assert data["inputs"]["region"] == "idf"


def test_compare_with_profile(runner):
    """tjm compare RATE --profile NAME places the rate for that profile."""
    runner.invoke(app, SAVE)
    data = json.loads(runner.invoke(app, ["compare", "300", "--profile", "me", "--json"]).stdout)
    assert data["verdict"] == "under-priced"
    assert data["inputs"]["rate"] == 300.0


def test_quote_save(runner, tjm_home):
    """quote --save NAME stores the inputs used, and the saved profile quotes the same."""
    first = runner.invoke(
        app,
        [
            "quote",
            "--role",
            "data-scientist",
            "--years",
            "2.5",
            "--region",
            "other-city",
            "--json",
            "--save",
            "ds",
        ],
    )
    assert first.exit_code == 0, first.stderr
    again = runner.invoke(app, ["quote", "--profile", "ds", "--json"])
    assert json.loads(again.stdout)["target"] == json.loads(first.stdout)["target"]


def test_corrupt_profile_exits_1(runner, tjm_home):
    """A corrupt stored profile exits 1 with one line naming the file."""
    folder = tjm_home / "profiles"
    folder.mkdir(parents=True)
    (folder / "bad.toml").write_text("schema_version = 1\nname = ")
    result = runner.invoke(app, ["quote", "--profile", "bad"])
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "bad.toml" in result.stderr
    assert "line 2" in result.stderr


def test_list_warns_about_corrupt_files(runner, tjm_home):
    """profile list still lists good profiles, warns on stderr about a corrupt one, exits 1."""
    runner.invoke(app, SAVE)
    (tjm_home / "profiles" / "bad.toml").write_text("[[[")
    result = runner.invoke(app, ["profile", "list"])
    assert result.exit_code == 1
    assert "me" in result.stdout
    assert "skipped bad.toml" in result.stderr


def test_empty_list(runner):
    """profile list on an empty store says so."""
    assert "No profiles" in runner.invoke(app, ["profile", "list"]).stdout
