"""Every result view in English and in French: golden texts, and JSON that does not change
with the language.

The golden texts are in tests/golden/<view>.<lang>.txt. After a deliberate change to a view,
regenerate them with

    TJM_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_views_i18n.py

then read the diff (git diff tests/golden) before committing it: the French files are the
translation as a French reader sees it.
"""

from __future__ import annotations

import difflib
import json
import os
import sys
from pathlib import Path

import pytest

from tjm import i18n
from tjm.cli import app, output

from .checks import strip_prose

GOLDEN = Path(__file__).parent / "golden"
WIDTH = 100  # columns of the fixed terminal the views are rendered on
UPDATE = os.environ.get("TJM_UPDATE_GOLDEN") == "1"
HOME = "$TJM_HOME"  # stands for the test's own store folder, which differs on every run

FLOOR = ["--target-net", "50000"]
QUOTE = ["--role", "ai-engineer", "--years", "3", "--region", "idf", "--skill", "llm"]
SALES = [
    *["--client", "A:600:120", "--client", "B:520:40"],
    *["--long-mission-months", "6", "--discount", "5", "--half-day-share", "20"],
]
# One fixed command per view; the date is pinned by conftest.py (TJM_TODAY).
VIEWS: dict[str, list[str]] = {
    "quote": ["quote", *QUOTE, *FLOOR, "--rate", "550", "--channel", "malt", *SALES],
    "compare": ["compare", "420", *QUOTE, *FLOOR, "--status", "sasu"],
    "floor": ["floor", *FLOOR, "--status", "sasu", "--children", "1", "--household", "couple"],
    "floor-micro": ["floor", *FLOOR, "--versement-liberatoire"],
    "statuses": ["statuses", *FLOOR, "--channel", "malt"],
    "statuses-net": ["statuses", "--rate", "600"],
    "channel": ["channel", "--rate", "600"],
    "benchmarks": ["benchmarks"],
    "benchmarks-fit": ["benchmarks", "--fit"],
    "benchmarks-sources": ["benchmarks", "sources"],
    "profile-list": ["profile", "list"],
    "profile-show": ["profile", "show", "dupont"],
    "data-list": ["data", "list"],
    "data-list-empty": ["data", "list"],
    "quote-details": [
        "quote",
        *QUOTE,
        *FLOOR,
        "--rate",
        "550",
        "--channel",
        "malt",
        *SALES,
        "--details",
    ],
}
# The views a person reads at a glance: each fits one screen (40 lines) at 100 columns, and
# is pinned at 80 columns too.
SCREEN = ("quote", "compare", "floor", "floor-micro", "statuses", "statuses-net", "channel")
SCREEN_LINES = 40
NARROW = 80
PROFILE = """\
schema_version = 3
name = "dupont"
notes = "a saved quote"
created = 2026-11-02 09:30:00+00:00
updated = 2026-11-28 17:05:00+00:00

[pricing]
role = "data-scientist"
years = 2.5
region = "idf"
skills = ["rag"]

[income]
target_net = 55000.0
children = 1

[sales]
channel = "malt"
clients = [{ name = "A", rate = 600.0, days = 100.0 }]
"""
OBSERVATIONS = (
    "source_title,publisher,published,url,role,min_years,max_years,region,data_year,"
    "statistic,value,sample_size,fee_side,grade,quote\n"
    "My barometer,Acme,2026-10-01,https://example.com/b,ai-engineer,3,5,france,2026,"
    'median,1250.5,120,client,A,"median 1250.5"\n'
)
MISSIONS = "rate,days,client,date\n600,20,A,2026-09-01\n812.5,60,B,2026-10-15\n"


def store_profile(runner, home: Path, folder: Path) -> None:
    """Save a profile with fixed time stamps, as `tjm profile save` writes it."""
    (home / "profiles").mkdir(parents=True)
    (home / "profiles" / "dupont.toml").write_text(PROFILE, encoding="utf-8")


def store_data(runner, home: Path, folder: Path) -> None:
    """Add one observation and two missions of the user's own."""
    for name, text in (("obs.csv", OBSERVATIONS), ("missions.csv", MISSIONS)):
        (folder / name).write_text(text, encoding="utf-8")
        result = runner.invoke(app, ["data", "add", str(folder / name)])
        assert result.exit_code == 0, result.stderr


# What each view needs in the store before it runs.
SETUP = {"profile-list": store_profile, "profile-show": store_profile, "data-list": store_data}
# The fields that carry prose for people: the only ones that may differ between languages.


@pytest.fixture
def speak(monkeypatch):
    """Return a function that switches the process, and the CLI, to a language."""

    def switch(language: i18n.Language) -> None:
        monkeypatch.setenv("TJM_LANG", language)
        i18n.activate(language)

    yield switch
    i18n.activate("en")


def console_of(monkeypatch, width: int) -> None:
    """Render the views on a terminal `width` columns wide, with no colour."""
    from rich.console import Console

    monkeypatch.setattr(
        output,
        "make_console",
        lambda: Console(width=width, color_system=None, highlight=False, soft_wrap=True),
    )


@pytest.fixture
def fixed_console(monkeypatch):
    """Render the views on a fixed-width terminal with no colour."""
    console_of(monkeypatch, WIDTH)


def run(runner, argv: list[str], home: Path) -> str:
    """Run tjm and return its stdout, the store folder written as $TJM_HOME."""
    result = runner.invoke(app, argv)
    assert result.exit_code == 0, result.stderr
    return str(result.stdout).replace(str(home), HOME)


def compare_golden(name: str, text: str) -> None:
    """Fail with a diff when text is not the golden file's; rewrite it under TJM_UPDATE_GOLDEN."""
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        pytest.skip(f"{path.name} rewritten")
    assert path.exists(), f"{path} is missing: run with TJM_UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), text.splitlines(), "golden", "now", lineterm=""
        )
        pytest.fail("the view differs from its golden text:\n" + "\n".join(diff))


@pytest.mark.parametrize("language", i18n.LANGUAGES)
@pytest.mark.parametrize("view", VIEWS)
def test_view_matches_its_golden_text(
    view, language, runner, speak, fixed_console, tjm_home, tmp_path
):
    """Each view, on fixed inputs and date, prints exactly its golden text in each language."""
    if view in SETUP:
        SETUP[view](runner, tjm_home, tmp_path)
    speak(language)
    compare_golden(f"{view}.{language}.txt", run(runner, VIEWS[view], tjm_home))


@pytest.mark.parametrize("language", i18n.LANGUAGES)
@pytest.mark.parametrize("view", SCREEN)
def test_narrow_view_matches_its_golden_text(
    view, language, runner, speak, monkeypatch, tjm_home, tmp_path
):
    """Each one-screen view, on an 80-column terminal, prints exactly its golden text."""
    console_of(monkeypatch, NARROW)
    speak(language)
    compare_golden(f"{view}.{NARROW}.{language}.txt", run(runner, VIEWS[view], tjm_home))


def golden_texts() -> list[Path]:
    return sorted(GOLDEN.glob("*.txt"))


@pytest.mark.parametrize("language", i18n.LANGUAGES)
@pytest.mark.parametrize("view", SCREEN)
def test_one_screen_views_fit_forty_lines_at_100_columns(view, language):
    """The quote, compare, floor, statuses and channel views hold at most 40 lines at 100
    columns in both languages (the golden texts pin the exact counts)."""
    text = (GOLDEN / f"{view}.{language}.txt").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= SCREEN_LINES, view


def test_no_golden_line_is_wider_than_its_terminal_or_cuts_a_word():
    """No line of a golden text is wider than the terminal it was rendered on (so the
    terminal never breaks a word), and no table cuts a word short with an ellipsis."""
    from rich.cells import cell_len

    assert golden_texts()
    for path in golden_texts():
        width = NARROW if f".{NARROW}." in path.name else WIDTH
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{path.name}:{number}"
            # A word wider than the terminal (a long URL) stays whole on its own line.
            assert cell_len(line) <= width or len(line.split()) == 1, where
            if not path.name.startswith("benchmarks"):  # the data tables may shorten a cell
                assert "…" not in line, where


def test_a_changed_view_fails_its_golden_test(tmp_path, monkeypatch):
    """A text that differs from its golden file by one word fails the comparison, with a diff."""
    monkeypatch.setattr(sys.modules[__name__], "GOLDEN", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "UPDATE", False)
    (tmp_path / "v.en.txt").write_text("443 EUR/day\n", encoding="utf-8")
    compare_golden("v.en.txt", "443 EUR/day\n")
    with pytest.raises(pytest.fail.Exception, match=r"(?s)-443 EUR/day.*\+443 EUR/jour"):
        compare_golden("v.en.txt", "443 EUR/jour\n")
    with pytest.raises(AssertionError, match="missing"):
        compare_golden("w.en.txt", "443 EUR/day\n")


@pytest.mark.parametrize("view", VIEWS)
def test_json_is_the_same_in_both_languages(view, runner, speak, tjm_home, tmp_path):
    """The same command with --json gives the same keys, ids and numbers in English and
    French; only the message fields may differ."""
    if view in SETUP:
        SETUP[view](runner, tjm_home, tmp_path)
    printed = {}
    for language in i18n.LANGUAGES:
        speak(language)
        printed[language] = json.loads(run(runner, [*VIEWS[view], "--json"], tjm_home))
    assert strip_prose(printed["fr"]) == strip_prose(printed["en"])


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_french_terms_are_glossed_once_per_english_view(language):
    """An English golden text glosses each official French term at most once; a French one
    never glosses."""
    from tjm.i18n.glossary import TERMS

    for view in VIEWS:
        text = (GOLDEN / f"{view}.{language}.txt").read_text(encoding="utf-8")
        for term in TERMS.values():
            count = text.count(f"{term.name} ({term.gloss})")
            assert count <= (1 if language == "en" else 0), (view, term.name)


def test_a_term_in_a_core_message_is_glossed_the_first_time(speak):
    """A French term inside a warning is glossed at its first mention in an English view only."""
    from tjm.render.common import glossed

    seen: set[str] = set()
    message = "above the versement libératoire limit"
    first, second = glossed(message, seen), glossed(message, seen)
    assert first == (
        "above the versement libératoire (optional income tax paid as a flat share of "
        "turnover) limit"
    )
    assert second == message
    assert glossed("the SASUs and a sasu", set()) == "the SASUs and a sasu"  # whole names only
    speak("fr")
    assert glossed(message, set()) == message


@pytest.mark.parametrize(
    ("years", "english", "french"),
    [
        ("0.5", "0.5 years", "0,5 an"),
        ("1", "1 year", "1 an"),
        ("1.5", "1.5 years", "1,5 an"),
        ("2", "2 years", "2 ans"),
        ("12.5", "12.5 years", "12,5 ans"),
    ],
)
def test_years_take_each_language_plural(years, english, french, runner, speak):
    """A quote's experience is plural from 2 in French (0,5 an, 1,5 an) and from all but 1 in
    English (0.5 years)."""
    argv = ["quote", "--role", "data-scientist", "--years", years, "--region", "idf"]
    for language, expected in (("en", english), ("fr", french)):
        speak(language)
        first = run(runner, argv, Path("/nowhere")).splitlines()[0]
        assert first.split(", ")[1] == expected
