"""tjm data: adding, listing and removing the user's own figures, and what they change."""

import json

import pytest

from tjm.cli import app

AI = ["quote", "--role", "ai-engineer", "--years", "4", "--json"]
HEADER = (
    "source_title,publisher,published,url,role,min_years,max_years,region,data_year,"
    "statistic,value,sample_size,fee_side,grade,quote\n"
)
GOOD = (
    "My barometer,Acme,2026-10-01,https://example.com/b,ai-engineer,3,5,france,2026,"
    'median,{value},120,client,A,"median {value}"\n'
)


def _quote(runner, *extra):
    result = runner.invoke(app, [*AI, *extra])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _add(runner, tmp_path, text, name="obs.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return runner.invoke(app, ["data", "add", str(path)])


@pytest.mark.parametrize(("value", "direction"), [(900, 1), (400, -1)])
def test_adding_moves_the_quote_and_removing_restores_it(runner, tmp_path, value, direction):
    """A user figure moves the quote its way, is named, and removing it restores the quote."""
    before = _quote(runner)
    assert _add(runner, tmp_path, HEADER + GOOD.format(value=value)).exit_code == 0
    after = _quote(runner)
    assert (after["band"]["p50"] - before["band"]["p50"]) * direction > 0
    assert [e["id"] for e in after["user_effects"]] == ["u1"]
    assert after["user_effects"][0]["effect"] * direction > 0
    assert "u1" in after["evidence"]["observations"]
    assert _quote(runner, "--no-user-data") == before
    assert runner.invoke(app, ["data", "remove", "u1"]).exit_code == 0
    assert _quote(runner) == before


def test_malformed_file_is_refused_line_by_line(runner, tmp_path, tjm_home):
    """Each bad row is reported with its line and column, and nothing is added."""
    text = (
        HEADER
        + GOOD.format(value=700)
        + GOOD.format(value=700).replace("ai-engineer", "pilot")
        + GOOD.format(value=700).replace(",median,", ",avg,")
    )
    result = _add(runner, tmp_path, text)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].endswith("2 bad row(s); nothing was added")
    assert "line 3: column role:" in result.stderr
    assert "line 4: column statistic:" in result.stderr
    assert not (tjm_home / "observations.toml").exists()
    listed = runner.invoke(app, ["data", "list", "--json"])
    assert json.loads(listed.stdout)["observations"] == []


def test_toml_rows_are_reported_with_their_lines(runner, tmp_path):
    """A TOML file's bad observation is named by the line of its [[observations]] header."""
    text = (
        '[sources.mine]\ntitle = "Mine"\npublisher = "Me"\npublished = "2026-10-01"\n\n'
        '[[observations]]\nsource = "mine"\nrole = "ai-engineer"\nregion = "france"\n'
        'statistic = "median"\nvalue = 650\nfee_side = "client"\ngrade = "C"\n'
        'quote = "q"\n\n'
        '[[observations]]\nsource = "mine"\nrole = "ai-engineer"\nregion = "france"\n'
        'statistic = "median"\nvalue = -5\nfee_side = "client"\ngrade = "C"\nquote = "q"\n'
    )
    result = _add(runner, tmp_path, text, "obs.toml")
    assert result.exit_code == 1
    assert "line 16: value:" in result.stderr


def test_missions_give_the_realised_rate(runner, tmp_path):
    """Missions (rate, days, client, date) are listed and give the realised rate in the quote."""
    from tjm.clock import today as clock_today

    today = clock_today()
    text = f"rate,days,client,date\n600,20,A,{today.isoformat()}\n800,60,B,{today.isoformat()}\n"
    assert _add(runner, tmp_path, text, "missions.csv").exit_code == 0
    data = _quote(runner)
    assert data["realised"]["rate"] == pytest.approx((600 * 20 + 800 * 60) / 80)
    assert data["realised"]["days"] == 80
    out = runner.invoke(app, ["data", "list"]).stdout
    assert "m1" in out
    assert "m2" in out


def test_remove_unknown_id_is_a_usage_error(runner):
    """Removing an id that does not exist names it and exits 2."""
    result = runner.invoke(app, ["data", "remove", "u9"])
    assert result.exit_code == 2
    assert "no user observation or mission 'u9'" in result.stderr


def test_as_of_flag(runner):
    """--as-of prices with the observations of that date; a bad or future date is refused."""
    data = _quote(runner, "--as-of", "2026-11-28")
    assert data["dataset"]["as_of"] == "2026-11-28"
    bad = runner.invoke(app, [*AI, "--as-of", "2026-13-01"])
    assert bad.exit_code == 2
    assert "--as-of" in bad.stderr
    future = runner.invoke(app, [*AI, "--as-of", "2999-01-01"])
    assert future.exit_code == 2
    early = runner.invoke(app, [*AI, "--as-of", "2024-06-01"])
    assert early.exit_code == 1
    assert "too few observations" in early.stderr


def test_newer_user_file_is_refused(runner, tjm_home):
    """A user data file from a newer tjm is refused and left as it is."""
    tjm_home.mkdir(parents=True, exist_ok=True)
    path = tjm_home / "observations.toml"
    path.write_text("schema_version = 9\n", encoding="utf-8")
    result = runner.invoke(app, AI)
    assert result.exit_code == 1
    assert "newer tjm" in result.stderr
    assert path.read_text(encoding="utf-8") == "schema_version = 9\n"


def test_batch_uses_user_data_unless_told_not_to(runner, tmp_path):
    """tjm batch prices with the user's observations, and --no-user-data leaves them out."""
    roster = tmp_path / "r.csv"
    roster.write_text("role,years\nai-engineer,4\n", encoding="utf-8")

    def p50(*extra):
        result = runner.invoke(app, ["batch", str(roster), "--format", "json", *extra])
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)[0]["p50"]

    before = p50()
    assert _add(runner, tmp_path, HEADER + GOOD.format(value=900)).exit_code == 0
    assert p50() > before
    assert p50("--no-user-data") == before


def test_failed_write_keeps_the_old_file(runner, tmp_path, tjm_home, monkeypatch):
    """A write that fails halfway leaves the user's file as it was, with no temp file."""
    import os

    assert _add(runner, tmp_path, HEADER + GOOD.format(value=700)).exit_code == 0
    path = tjm_home / "observations.toml"
    kept = path.read_text(encoding="utf-8")

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    result = _add(runner, tmp_path, HEADER + GOOD.format(value=800), "more.csv")
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr
    assert path.read_text(encoding="utf-8") == kept
    assert [p.name for p in tjm_home.iterdir() if p.name.endswith(".tmp")] == []
