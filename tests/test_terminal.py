"""The real questionary prompts, driven with keys in a pseudo-terminal (pexpect)."""

import json
import os
import subprocess
import sys

import pexpect
import pytest

from tjm import profiles

DOWN = "\x1b[B"
ENTER = "\r"


@pytest.fixture
def spawn(tjm_home):
    """Start `python -m tjm ARGS` in a pseudo-terminal with TJM_HOME set."""
    children = []

    def start(*args, module=True):
        # pexpect does not answer prompt_toolkit's cursor-position requests, which would
        # make each question wait a second for the reply.
        env = {
            **os.environ,
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
    child.expect("Holidays per year")
    child.send("\x7f" * 5 + "300" + ENTER)
    child.expect("leave no billable day out of 253")
    child.send("\x7f" * 5 + "25" + ENTER)
    child.expect("Sick days per year")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
