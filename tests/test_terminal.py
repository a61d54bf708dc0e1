"""The real questionary prompts, driven with keys in a pseudo-terminal (pexpect)."""

import json
import os
import re
import subprocess
import sys

import pexpect
import pytest

from tjm.i18n import LOCALE_VARIABLES
from tjm.store import profiles

DOWN = "\x1b[B"
ENTER = "\r"


@pytest.fixture
def spawn(tjm_home):
    """Start `python -m tjm ARGS` in a pseudo-terminal with TJM_HOME and the locale set."""
    children = []

    def start(*args, module=True, locale="C.UTF-8"):
        # The language follows `locale` alone, whatever the machine's. pexpect does not answer
        # prompt_toolkit's cursor-position requests, which would make each question wait a
        # second for the reply.
        env = {k: v for k, v in os.environ.items() if k not in (*LOCALE_VARIABLES, "TJM_LANG")}
        env |= {
            "LANG": locale,
            "TJM_HOME": str(tjm_home),
            "COLUMNS": "100",
            "PROMPT_TOOLKIT_NO_CPR": "1",
        }
        argv = ["-m", "tjm", *args] if module else list(args)
        child = pexpect.spawn(
            sys.executable, argv, env=env, encoding="utf-8", timeout=30, dimensions=(40, 100)
        )
        children.append(child)
        return child

    yield start
    for child in children:
        child.close(force=True)


def test_guided_quote_saves_a_profile(spawn, tjm_home):
    """Arrow keys, space and Enter answer every question; the saved profile quotes the same."""
    child = spawn("quote")
    child.expect("Your role")
    child.send(DOWN + ENTER)  # the second role: data scientist
    child.expect("Years of experience")
    child.send("abc")
    child.expect("expected a number|type a number")
    child.send("\x7f" * 3 + "6.5" + ENTER)
    child.expect("Where do you work")
    child.send(DOWN + ENTER)  # after the national mix: Île-de-France
    child.expect("Which skills")
    child.send(" " + DOWN + DOWN + " " + ENTER)  # tick rag and nlp
    child.expect("day rate")
    child.send("600" + ENTER)
    child.expect("Also work out the floor")
    child.send(ENTER)  # the default, no
    child.expect("Do you sell direct")
    child.send("n")
    child.expect("How is the client billed")
    child.send(DOWN + DOWN + ENTER)  # after direct and Malt: an ESN
    child.expect("margin")
    child.send("101")
    child.expect("less than 100")
    child.send("\x7f" * 3 + "15" + ENTER)
    child.expect("Days worked a week")
    child.send("4" + ENTER)
    child.expect("Your clients")
    child.send("Acme:600:100" + ENTER)
    child.expect("Show the details too")
    child.send(ENTER)  # the default, no: one screen
    child.expect(r"target\s+(?:\x1b\[[0-9;]*m)*([\d ]+) EUR")
    shown = int(child.match.group(1).replace(" ", ""))
    child.expect("Save these answers")
    child.send(ENTER)
    child.expect("Profile name")
    child.send("\x7f" * 40 + "mine" + ENTER)
    child.expect("Saved profile 'mine'")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    stored = profiles.load("mine").profile
    saved = stored.inputs
    assert (saved.role, saved.years, saved.region, saved.skills, saved.rate) == (
        "data-scientist",
        6.5,
        "idf",
        ("nlp", "rag"),
        600.0,
    )
    assert (stored.sales.channel, stored.sales.margin, stored.income.days_per_week) == (
        "esn",
        15.0,
        4.0,
    )
    assert [tuple(c) for c in stored.sales.clients] == [("Acme", 600.0, 100.0)]
    scripted = subprocess.run(
        [sys.executable, "-m", "tjm", "quote", "--profile", "mine", "--json"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TJM_HOME": str(tjm_home)},
    )
    assert json.loads(scripted.stdout)["target"] == shown


def test_ctrl_c_at_the_third_question(spawn, tjm_home):
    """Ctrl-C at the region question exits 130, says nothing was saved, and writes nothing."""
    child = spawn("quote")
    child.expect("Your role")
    child.send(ENTER)
    child.expect("Years of experience")
    child.send("3" + ENTER)
    child.expect("Where do you work")
    child.sendintr()
    child.expect("Cancelled; nothing was saved.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert not tjm_home.exists()


# The pricing questions in order, each with the keys that answer it.
PRICING = [
    ("Your role", ENTER),
    ("Years of experience", "3" + ENTER),
    ("Where do you work", ENTER),
    ("Which skills", ENTER),
    ("day rate", ENTER),
]


def _answer_pricing(child, count=None):
    """Answer the first `count` pricing questions: AI engineer, 3 years, France, no skill."""
    for prompt, keys in PRICING[:count]:
        child.expect(prompt)
        child.send(keys)


@pytest.mark.parametrize(
    ("kind", "answered", "prompt"),
    [
        ("select", 0, "Your role"),
        ("text", 1, "Years of experience"),
        ("checkbox", 3, "Which skills"),
        ("confirm", 5, "Also work out the floor"),
    ],
)
def test_ctrl_d_at_each_kind_of_question(spawn, tjm_home, kind, answered, prompt):
    """Ctrl-D at a list, text, checkbox or yes/no question exits 130; nothing is saved."""
    child = spawn("quote")
    _answer_pricing(child, answered)
    child.expect(prompt)
    child.sendeof()
    child.expect("Cancelled; nothing was saved.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert not tjm_home.exists()


def test_questions_stay_on_the_terminal_when_stdout_is_a_file(spawn, tjm_home, tmp_path):
    """`tjm quote > out.txt` asks on the terminal; only the result goes to the file."""
    out = tmp_path / "out.txt"
    # As the shell does for `> out.txt`: fd 1 becomes the file, then tjm starts.
    child = spawn(
        "-c",
        f"import os, sys; os.dup2(os.open({str(out)!r}, os.O_WRONLY | "
        "os.O_CREAT), 1); os.execv(sys.executable, [sys.executable, '-m', 'tjm', "
        "'quote'])",
        module=False,
    )
    _answer_pricing(child)
    child.expect("Also work out the floor")
    child.send(ENTER)
    child.expect("Do you sell direct")
    child.send(ENTER)
    child.expect("Show the details too")
    child.send(ENTER)
    child.expect("Save these answers")
    child.send("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    text = out.read_text(encoding="utf-8")
    assert "target" in text
    assert "Your role" not in text
    assert "Which skills" not in text


def test_days_off_are_refused_at_their_own_question(spawn, tjm_home):
    """Holidays that leave no billable day are refused at once, with the reason, then fixed."""
    child = spawn("quote")
    _answer_pricing(child)
    child.expect("Also work out the floor")
    child.send("y")
    child.expect("Your status")
    child.send(ENTER)
    child.expect("Days worked a week")
    child.send(ENTER)
    child.expect("Holidays per year")
    child.send("\x7f" * 5 + "300" + ENTER)
    child.expect("leave no billable day out of 253")
    child.send("\x7f" * 5 + "25" + ENTER)
    child.expect("Sick days per year")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


NBSP, NNBSP = "\u00a0", "\u202f"
STYLE = r"(?:\x1b\[[0-9;]*m)*"


def shown(text):
    """Return a pattern for text as prompt_toolkit draws it: escape codes may come between any
    two characters, and a no-break space is drawn as a space in its own colour."""
    return STYLE.join(re.escape(" " if c == NBSP else c) for c in text)


def test_guided_quote_in_french(spawn, tjm_home):
    """With LANG=fr_FR.UTF-8, the whole guided quote asks in French, takes `2,5` years and a
    `55 000` target as French people write them, and `o` (oui) answers yes."""
    child = spawn("quote", locale="fr_FR.UTF-8")
    child.expect(shown(f"Votre métier{NBSP}?"))
    child.expect("Ingénieur IA")
    child.send(ENTER)
    child.expect(shown(f"Combien d’années d’expérience (de 0 à 50){NBSP}?"))
    child.send("2,5" + ENTER)
    child.expect(shown(f"Où travaillez-vous{NBSP}?"))
    child.expect(re.escape("France (moyenne nationale)"))
    child.send(ENTER)
    child.expect("Quelles compétences vendez-vous")
    # The skills' growth, as French writes a percentage: "+12 %", a no-break space before %.
    child.expect(
        STYLE.join(
            [
                r"RAG \(génération augmentée par récupération\) +demande [+-]\d+",
                shown(f"{NBSP}%, offre "),
                r"[+-]\d+",
                shown(f"{NBSP}%"),
            ]
        )
    )
    child.send(ENTER)
    child.expect("Votre TJM actuel ou envisagé")
    child.send(ENTER)
    child.expect(shown(f"Calculer aussi le TJM plancher qu’exigent vos charges{NBSP}? (o/N)"))
    child.send("o")
    child.expect("Votre statut")
    child.expect("Micro-entrepreneur, activité libérale")
    child.send(ENTER)
    for question in (
        "par semaine",
        "jours de congés",
        "arrêt maladie",
        "prospection",
        "Frais professionnels",
    ):
        child.expect(question)
        child.send(ENTER)
    child.expect("Votre foyer fiscal")
    child.expect("Célibataire")
    child.send(ENTER)
    child.expect("enfants à charge")
    child.send(ENTER)
    child.expect("éligible à l’ACRE")
    child.send(ENTER)
    child.expect("versement libératoire")
    child.send(ENTER)
    child.expect("dépassait-il déjà le plafond micro")
    child.send(ENTER)
    child.expect(re.escape("Quel revenu net annuel visez-vous (après impôt)"))
    child.send("55 000" + ENTER)
    child.expect("Vendez-vous en direct")
    child.send(ENTER)
    child.expect("Afficher aussi le détail")
    child.send(ENTER)
    # The result speaks French money: the floor in €/jour, the target net with a narrow
    # no-break space in the thousands and a no-break space before €.
    child.expect(f"plancher \\d+{NBSP}€/jour")
    child.expect(f"55{NNBSP}000{NBSP}€")
    child.expect(shown(f"Enregistrer ces réponses dans un profil{NBSP}? (O/n)"))
    child.send(ENTER)
    child.expect("Nom du profil")
    child.send("\x7f" * 40 + "moi" + ENTER)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    stored = profiles.load("moi").profile
    assert (stored.inputs.role, stored.inputs.years, stored.inputs.region) == (
        "ai-engineer",
        2.5,
        "france",
    )
    assert (stored.income.status, stored.income.target_net) == ("micro-bnc", 55000.0)
