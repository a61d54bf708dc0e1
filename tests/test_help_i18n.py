"""--help in French: the commands' and options' help, click's words, the figures in French
convention; every help text the CLI shows is in the catalogue."""

import re
import subprocess
import sys

import pytest
import typer.main
from babel.messages.pofile import read_po

from tests.test_imports import heavy_modules_after
from tjm import i18n
from tjm.cli.root import app

from .test_i18n import PO

FRENCH = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": "fr_FR.UTF-8", "TJM_LANG": None}
ENGLISH = {**FRENCH, "LANG": "C"}


@pytest.fixture(autouse=True)
def english_after():
    """Leave the process in English whatever a run activated."""
    yield
    i18n.activate("en")


def help_of(runner, path, env) -> str:
    """Return the --help of the command at path, run with env."""
    result = runner.invoke(app, [*path, "--help"], env=env, prog_name="tjm")
    assert result.exit_code == 0, result.stderr
    # the words, wherever click wraps the lines (never at a no-break space)
    return re.sub(r"[ \n]+", " ", result.stdout).strip()


def every_command(command, path=()):
    """Yield the path and click command of every command and group under command."""
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from every_command(sub, (*path, name))


def test_root_help_in_french(runner):
    """`tjm --help` in a French locale: French usage line, headings, description and options."""
    text = help_of(runner, (), FRENCH)
    assert text.startswith("Usage\u00a0: tjm [OPTIONS] COMMAND [ARGS]...")
    for words in (
        "Chiffrer un TJM de freelance face au marché",
        "Options\u00a0:",
        "Commandes\u00a0:",
        "--lang fr|en Langue de la sortie",
        "--help Afficher ce message et quitter.",
        "quote Quel TJM demander\u00a0?",
    ):
        assert words in text


def test_quote_help_in_french(runner):
    """`tjm quote --help --lang fr`: French help, its figures filled in French convention."""
    text = help_of(runner, ("quote", "--lang", "fr"), ENGLISH)
    for words in (
        "Usage\u00a0: tjm quote [OPTIONS]",
        "Quel TJM demander\u00a0? Un TJM conseillé",
        "--years NUMBER Années d’expérience, de 0 à 50",
        "capital social, en euros (par défaut 1\u202f000)",
        "au-delà de 10\u00a0% de ce capital",
        "règles 2026",
    ):
        assert words in text
    assert "Suggest a day rate" not in text


def test_english_help_is_unchanged(runner):
    """In English the help reads as written, figures in English convention."""
    text = help_of(runner, ("quote",), ENGLISH)
    assert text.startswith("Usage: tjm quote [OPTIONS]")
    assert "Suggest a day rate, with its market band and the reasons behind it." in text
    assert "share capital, EUR (default 1,000)" in text
    assert "Options:" in text


def test_every_command_lists_lang(runner):
    """Every command and group takes --lang, and its help says so."""
    paths = [path for path, _ in every_command(typer.main.get_command(app))]
    assert len(paths) > 15
    for path in paths:
        assert "--lang fr|en" in help_of(runner, path, ENGLISH), path


def test_every_help_text_is_in_the_catalogue():
    """Each command's help and each option's and argument's help is a catalogued message, so
    French help has no English left but Typer's own and the metavars."""
    with PO.open("rb") as file:
        known = {m.id for m in read_po(file, locale="fr") if m.id}
    texts = []
    for path, command in every_command(typer.main.get_command(app)):
        texts += [(path, command.help)] + [(path, getattr(p, "help", None)) for p in command.params]
    assert len(texts) > 100
    missing = [(path, text) for path, text in texts if text and text not in known]
    assert missing == []


def test_french_help_stays_light(tjm_home):
    """`tjm --lang fr --help` loads no heavy module, as the English help does not."""
    assert heavy_modules_after(["--lang", "fr", "--help"]) == []


def test_console_script_help_in_french(tjm_home):
    """`LANG=fr_FR.UTF-8 python -m tjm --help` prints the French help, through main()."""
    env = {"TJM_HOME": str(tjm_home), "LANG": "fr_FR.UTF-8", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "tjm", "--help"], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0
    assert result.stdout.startswith("Usage\u00a0: tjm")
    assert "Commandes\u00a0:" in result.stdout
