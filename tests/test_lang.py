"""The language a run speaks, through the real CLI: --lang, TJM_LANG, the profile's, the locale's,
chosen before anything is printed; JSON that does not change with it."""

import json
import subprocess
import sys
import tomllib

import pytest

from tjm import i18n
from tjm.cli import app
from tjm.cli.click_words import usage_error
from tjm.cli.lang import flag_values

from .checks import strip_prose

ENGLISH = "Error: pass one of --rate and --client-price"
FRENCH = "Erreur\u00a0: passez soit --rate, soit --client-price"
QUOTE = ["quote", "--role", "ai-engineer", "--years", "5", "--skill", "rag", "--json"]


@pytest.fixture(autouse=True)
def english_after():
    """Leave the process in English whatever a run activated."""
    yield
    i18n.activate("en")


def locale(lang: str | None = None, tjm_lang: str | None = None) -> dict[str, str | None]:
    """Return an environment with only LANG (and TJM_LANG) saying the language."""
    return {"LC_ALL": None, "LC_MESSAGES": None, "LANG": lang, "TJM_LANG": tjm_lang}


def spoken(runner, args, env) -> str:
    """Run `tjm channel` (which fails at once without a rate) with args; return its language."""
    result = runner.invoke(app, ["channel", *args], env=env)
    assert result.exit_code == 2, result.stderr
    line = result.stderr.strip()
    assert line in (ENGLISH, FRENCH), line
    return "fr" if line == FRENCH else "en"


def save_profile(runner, name: str, *lang: str) -> None:
    """Save a profile called name through the CLI, with `lang` flags if given."""
    args = ["profile", "save", name, "--role", "ai-engineer", "--years", "3", *lang]
    result = runner.invoke(app, args, env=locale("C"))
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        ([], locale("fr_FR.UTF-8"), "fr"),
        ([], locale("C"), "en"),
        ([], locale(), "en"),
        ([], {**locale("fr_FR.UTF-8"), "LC_ALL": "C"}, "en"),
        ([], locale("C", "fr"), "fr"),
        ([], locale("fr_FR.UTF-8", "en"), "en"),
        (["--lang", "fr"], locale("C", "en"), "fr"),
        (["--lang", "en"], locale("fr_FR.UTF-8", "fr"), "en"),
        (["--lang=fr"], locale("C"), "fr"),
        (["--lang", "en", "--lang", "fr"], locale("C"), "fr"),
    ],
)
def test_flag_beats_variable_beats_locale(runner, args, env, expected):
    """--lang wins over TJM_LANG, which wins over the locale (LANG=fr_FR.UTF-8 is French,
    LANG=C English); the last --lang given counts."""
    assert spoken(runner, args, env) == expected


def test_lang_goes_before_the_command_too(runner):
    """`tjm --lang fr channel` speaks French as `tjm channel --lang fr` does."""
    result = runner.invoke(app, ["--lang", "fr", "channel"], env=locale("C"))
    assert result.stderr.strip() == FRENCH


def test_the_profile_beats_the_locale_not_the_variable(runner, tjm_home):
    """A profile's lang, through --profile, wins over the locale and gives way to TJM_LANG
    and --lang."""
    save_profile(runner, "mine", "--lang", "fr")
    assert spoken(runner, ["--profile", "mine"], locale("C")) == "fr"
    assert spoken(runner, ["--profile", "mine"], locale("C", "en")) == "en"
    assert spoken(runner, ["--profile", "mine", "--lang", "en"], locale("fr_FR.UTF-8")) == "en"
    save_profile(runner, "plain")
    assert spoken(runner, ["--profile", "plain"], locale("fr_FR.UTF-8")) == "fr"
    assert spoken(runner, ["--profile", "plain"], locale("C")) == "en"


def test_profile_save_stores_the_lang_flag_only(runner, tjm_home):
    """`profile save --lang fr` writes lang = "fr"; without the flag nothing is stored, even
    in a French locale, unless the --profile it starts from has one, which it keeps."""
    save_profile(runner, "mine", "--lang", "fr")
    save_profile(runner, "plain")
    result = runner.invoke(app, ["profile", "save", "copy", "--profile", "mine"], env=locale("C"))
    assert result.exit_code == 0, result.stderr
    result = runner.invoke(app, ["profile", "save", "other"], env=locale("fr_FR.UTF-8", "fr"))
    folder = tjm_home / "profiles"
    docs = {p.stem: tomllib.loads(p.read_text()) for p in folder.glob("*.toml")}
    assert docs["mine"]["lang"] == "fr"
    assert docs["copy"]["lang"] == "fr"
    assert "lang" not in docs["plain"]
    assert "lang" not in docs.get("other", {})


def test_overwriting_a_profile_keeps_its_lang(runner, tjm_home):
    """`profile save NAME --force` without --lang keeps the lang NAME already had; a hand-written
    `lang = "FR"` reads as fr, as --lang FR does."""
    save_profile(runner, "mine", "--lang", "fr")
    save_profile(runner, "mine", "--force")
    path = tjm_home / "profiles" / "mine.toml"
    assert tomllib.loads(path.read_text())["lang"] == "fr"
    shown = runner.invoke(app, ["profile", "show", "mine", "--json"], env=locale("C"))
    assert json.loads(shown.stdout)["lang"] == "fr"
    path.write_text(path.read_text().replace('lang = "fr"', 'lang = "FR"'))
    shown = runner.invoke(app, ["quote", "--profile", "mine", "--json"], env=locale("C"))
    assert shown.exit_code == 0, shown.stderr
    assert "Ingénieur IA" in shown.stdout or "ingénieur" in shown.stdout.lower()


def test_a_bad_lang_in_a_profile_is_refused(runner, tjm_home):
    """A profile whose lang is not fr or en fails to load, naming the key."""
    save_profile(runner, "mine", "--lang", "fr")
    path = tjm_home / "profiles" / "mine.toml"
    path.write_text(path.read_text().replace('lang = "fr"', 'lang = "de"'))
    result = runner.invoke(app, ["profile", "show", "mine"], env=locale("C"))
    assert result.exit_code == 1
    assert "lang" in result.stderr
    assert "'de'" in result.stderr


@pytest.mark.parametrize(
    ("args", "env", "line"),
    [
        (["--lang", "de"], locale("C"), "Error: --lang: expected fr or en, got 'de'"),
        (["--lang", "fr_FR"], locale("C"), "Error: --lang: expected fr or en, got 'fr_FR'"),
        ([], locale("C", "german"), "Error: TJM_LANG: expected fr or en, got 'german'"),
        (
            ["--lang", "de"],
            locale("fr_FR.UTF-8"),
            "Erreur\u00a0: --lang\u00a0: fr ou en attendu, reçu 'de'",
        ),
        (
            [],
            locale("fr_FR.UTF-8", "de"),
            "Erreur\u00a0: TJM_LANG\u00a0: fr ou en attendu, reçu 'de'",
        ),
    ],
)
def test_a_bad_language_is_one_line_exit_2(runner, args, env, line):
    """A bad --lang or TJM_LANG is one line naming it, exit 2, in the language the locale gives,
    and nothing else runs."""
    result = runner.invoke(app, ["quote", "--role", "ai-engineer", "--years", "3", *args], env=env)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [line]


def test_bad_input_in_french_names_the_flag(runner):
    """`tjm quote --years abc --lang fr`: one French line naming --years, exit 2 as in English."""
    english = runner.invoke(app, ["quote", "--years", "abc"], env=locale("C"))
    french = runner.invoke(app, ["quote", "--years", "abc", "--lang", "fr"], env=locale("C"))
    assert french.exit_code == english.exit_code == 2
    assert english.stderr.startswith("Error: --years: ")
    assert french.stderr.startswith("Erreur\u00a0: --years\u00a0: ")
    assert len(french.stderr.splitlines()) == 1


def test_click_errors_in_french(runner):
    """An unknown option or a flag without its value: French lines that keep the flag's name,
    with the hint to --help, exit 2."""
    args = ["quote", "--bogus", "--lang", "fr"]
    unknown = runner.invoke(app, args, env=locale("C"), prog_name="tjm")
    assert unknown.exit_code == 2
    assert unknown.stderr.splitlines() == [
        "Erreur\u00a0: Option inconnue\u00a0: --bogus",
        "Essayez «\u00a0tjm quote --help\u00a0» pour l’aide.",
    ]
    empty = runner.invoke(app, ["quote", "--role"], env=locale("fr_FR.UTF-8"))
    assert empty.exit_code == 2
    assert (
        empty.stderr.splitlines()[0]
        == "Erreur\u00a0: L’option «\u00a0--role\u00a0» attend une valeur."
    )
    command = runner.invoke(app, ["nope"], env=locale("fr_FR.UTF-8"))
    assert (
        command.stderr.splitlines()[0]
        == "Erreur\u00a0: Commande inconnue\u00a0: «\u00a0nope\u00a0»."
    )


def test_click_errors_stay_english_in_english(runner):
    """In English the same errors read as click writes them."""
    result = runner.invoke(app, ["quote", "--bogus"], env=locale("C"), prog_name="tjm")
    assert result.stderr.splitlines() == [
        "Error: No such option: --bogus",
        "Try 'tjm quote --help' for help.",
    ]


@pytest.mark.parametrize(
    ("english", "french"),
    [
        ("No such option: --x", "Option inconnue\u00a0: --x"),
        (
            "No such option: --rol (Possible options: --role)",
            "Option inconnue\u00a0: --rol (options possibles\u00a0: --role)",
        ),
        ("Missing argument 'RATE'.", "Argument «\u00a0RATE\u00a0» manquant."),
        ("Got unexpected extra argument (x)", "Arguments en trop (x)"),
        ("Got unexpected extra arguments (x y)", "Arguments en trop (x y)"),
        ("Got unexpected extra argument(s) (x)", "Arguments en trop (x)"),
        (
            "No such command 'quot'. Did you mean 'quote'?",
            "Commande inconnue\u00a0: «\u00a0quot\u00a0». "
            "Vouliez-vous dire «\u00a0quote\u00a0»\u00a0?",
        ),
        (
            "Something click says that tjm has not met.",
            "Something click says that tjm has not met.",
        ),
    ],
)
def test_usage_errors_by_shape(english, french):
    """click's errors are said again in French with their names kept; an unknown shape stays."""
    i18n.activate("fr")
    assert usage_error(english) == french


def test_lang_is_taken_out_of_the_command_line():
    """--lang and its value leave the arguments click parses, up to `--`, whatever the form."""
    args = ["quote", "--lang", "fr", "--years", "3", "--lang=en", "--", "--lang", "x"]
    assert flag_values(args, "--lang") == (
        ["fr", "en"],
        ["quote", "--years", "3", "--", "--lang", "x"],
    )
    assert flag_values(["quote", "--lang"], "--lang") == ([], ["quote", "--lang"])


def test_json_is_the_same_in_both_languages(runner):
    """`LANG=fr_FR.UTF-8 tjm quote ... --json` equals the English JSON but for its messages."""
    english = runner.invoke(app, QUOTE, env=locale("C"))
    french = runner.invoke(app, QUOTE, env=locale("fr_FR.UTF-8"))
    assert english.exit_code == french.exit_code == 0, french.stderr
    assert strip_prose(json.loads(french.stdout)) == strip_prose(json.loads(english.stdout))
    assert json.loads(french.stdout)["schema"] == json.loads(english.stdout)["schema"]


def test_the_json_check_sees_a_difference():
    """strip_prose sets aside only the prose fields, so a changed number or code still differs."""
    one = {"warnings": [{"code": "a", "message": "x"}], "rate": 600}
    assert strip_prose(one) == strip_prose({**one, "warnings": [{"code": "a", "message": "y"}]})
    assert strip_prose(one) != strip_prose({**one, "rate": 601})
    assert strip_prose(one) != strip_prose({**one, "warnings": [{"code": "b", "message": "x"}]})


def test_the_console_script_reads_the_locale(tjm_home):
    """`python -m tjm` with LANG=fr_FR.UTF-8 and no flag speaks French from the first line."""
    env = {"TJM_HOME": str(tjm_home), "LANG": "fr_FR.UTF-8", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "tjm", "channel"], capture_output=True, text=True, env=env
    )
    assert result.returncode == 2
    assert result.stderr.strip() == FRENCH


def test_a_json_error_keeps_its_code_in_french(runner):
    """With --json, a failure's `tjm.error` object has the same code and exit in both
    languages; only its message is French."""
    args = ["quote", "--role", "ai-engineer", "--years", "abc", "--json"]
    english = json.loads(runner.invoke(app, args).stdout)
    french = json.loads(runner.invoke(app, [*args, "--lang", "fr"]).stdout)
    assert (
        (french["code"], french["exit"])
        == (english["code"], english["exit"])
        == (
            "bad-number",
            2,
        )
    )
    assert french["message"] != english["message"]
    assert french["message"].startswith("--years\u00a0: ")


def test_the_bundled_clicks_extra_argument_error_is_french(runner):
    """The extra-argument error as Typer's own click words it reads in French."""
    result = runner.invoke(app, ["--lang", "fr", "benchmarks", "sources", "extra"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "Erreur\u00a0: Arguments en trop (extra)"


@pytest.mark.parametrize("tjm_lang", [None, "en"])
def test_the_profile_is_read_once_per_run(runner, tjm_home, monkeypatch, tjm_lang):
    """`--profile NAME` is read once in a run, whether its language decides the run's (no
    TJM_LANG) or not: the language choice and the command share one reading."""
    from tjm.store import profiles

    saved = runner.invoke(
        app, ["profile", "save", "fr-one", "--role", "ai-engineer", "--years", "4", "--lang", "fr"]
    )
    assert saved.exit_code == 0, saved.stderr
    reads = []
    real_load = profiles.load

    def counting_load(name):
        reads.append(name)
        return real_load(name)

    monkeypatch.setattr(profiles, "load", counting_load)
    result = runner.invoke(
        app, ["quote", "--profile", "fr-one", "--json"], env=locale("en_US.UTF-8", tjm_lang)
    )
    assert result.exit_code == 0, result.stderr
    assert reads == ["fr-one"]
