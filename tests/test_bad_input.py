"""Bad input, on purpose, at every boundary: flags, questions, profile files and CSV cells.

Each row gives the input, the exit code, and a fragment of the one-line message. Every
case must end without a traceback, and without creating or changing any file.
"""

from pathlib import Path
from typing import Any

import pytest

from tjm.cli import app, prompts
from tjm.inputs import IncomeInputs

from .checks import assert_one_error_line
from .fakes import FULL

QUOTE = ["quote", "--role", "ai-engineer", "--years", "5"]
FLOOR = ["floor", "--target-net", "50000"]

# Text that no numeric field takes, with the fragment each gives.
NOT_NUMBERS = [
    ("abc", "got 'abc'"),
    ("nan", "got 'nan'"),
    ("inf", "got 'inf'"),
    ("-inf", "got '-inf'"),
    ("1e309", "got '1e309'"),
    ("0x10", "got '0x10'"),
    ("", "got ''"),
    ("5 00", "got '5 00'"),
    ("1..5", "got '1..5'"),
]
NUMBER_FLAGS = {  # flag -> (command, a value past its range, what the range says)
    "--years": (QUOTE[:3], "51", "from 0 to 50"),
    "--rate": (QUOTE, "0", "more than 0"),
    "--target-net": (["floor"], "-5", "from 0 to 10,000,000 EUR"),
    "--days": (FLOOR, "367", "more than 0 and at most 366"),
    "--holidays": (FLOOR, "-1", "from 0 to 366"),
    "--sick": (FLOOR, "400", "from 0 to 366"),
    "--non-billable": (FLOOR, "-3", "from 0 to 366"),
    "--expenses": (FLOOR, "-1", "from 0 to 10,000,000 EUR"),
    "--children": (FLOOR, "21", "from 0 to 20"),
    "--charges-rate": ([*FLOOR, "--status", "custom"], "100", "at least 0 and less than 100"),
    "--portage-fee": ([*FLOOR, "--status", "portage"], "100", "at least 0 and less than 100"),
    "--portage-net": ([*FLOOR, "--status", "portage"], "0", "more than 0"),
}

FLAG_CASES = [
    *[
        ([*command, flag, text], 2, f"{flag}: expected")
        for flag, (command, _, _) in NUMBER_FLAGS.items()
        for text, _ in NOT_NUMBERS
    ],
    *[
        ([*command, flag, text], 2, fragment)
        for flag, (command, _, _) in NUMBER_FLAGS.items()
        for text, fragment in NOT_NUMBERS[:2]
    ],
    *[
        (
            [*command, flag, past],
            2,
            f"{flag}: expected a {'whole ' if flag == '--children' else ''}number {range_text}",
        )
        for flag, (command, past, range_text) in NUMBER_FLAGS.items()
    ],
    ([*QUOTE, "--rate", "1,000"], 2, "--rate: '1,000' is ambiguous"),
    (["floor", "--target-net", "50,000"], 2, "--target-net: '50,000' is ambiguous: 50"),
    (["floor", "--target-net", "50.000"], 2, "ambiguous"),
    ([*FLOOR, "--expenses", "3,000"], 2, "--expenses: '3,000' is ambiguous"),
    ([*FLOOR, "--children", "1.5"], 2, "--children: expected a whole number"),
    ([*FLOOR, "--year", "1999"], 2, "--year: expected a year that has rules (2025, 2026)"),
    ([*FLOOR, "--year", "2030"], 2, "got '2030'"),
    ([*FLOOR, "--year", "twenty"], 2, "--year: expected a year"),
    ([*FLOOR, "--status", "sarl"], 2, "--status: expected one of micro-bnc"),
    ([*FLOOR, "--household", "trouple"], 2, "--household: expected one of single, couple"),
    ([*FLOOR, "--status", "custom"], 2, "--charges-rate, --status: the custom status needs"),
    ([*FLOOR, "--charges-rate", "45"], 2, "--charges-rate, --status: goes with custom"),
    ([*FLOOR, "--portage-fee", "5"], 2, "--portage-fee, --status: goes with portage"),
    (
        [*FLOOR, "--status", "portage", "--versement-liberatoire"],
        2,
        "--versement-liberatoire, --status: goes with micro-bnc",
    ),
    ([*FLOOR, "--days", "200", "--holidays", "10"], 2, "--days, --holidays: give either"),
    (
        [*FLOOR, "--holidays", "200", "--sick", "100"],
        2,
        "--holidays, --sick: 200 holidays + 100 sick + 45 non-billable days leave no billable",
    ),
    (["floor", "--target-net", "9000000"], 2, "--target-net: a net of 9,000,000 EUR cannot"),
    ([*FLOOR, "--days", "1"], 2, "--target-net: a net of 50,000 EUR cannot be reached"),
    (["floor"], 2, "missing --target-net"),
    (["quote"], 2, "missing --role and --years"),
    (["quote", "--years", "3"], 2, "missing --role;"),
    (["quote", "--role", "astronaut", "--years", "3"], 1, "unknown role 'astronaut'"),
    ([*QUOTE, "--region", "mars"], 1, "unknown region 'mars'"),
    ([*QUOTE, "--skill", "cobol"], 1, "unknown skill 'cobol'"),
    ([*QUOTE, "--bogus"], 2, "No such option: --bogus"),
    ([*QUOTE, "--save", "../x"], 2, "invalid profile name '../x'"),
    ([*QUOTE, "--save", "CON"], 2, "invalid profile name"),
    (["quotes"], 2, "No such command 'quotes'"),
    (["compare", "lots", "--role", "ai-engineer", "--years", "3"], 2, "RATE: expected a number"),
    (["compare", "-5", "--role", "ai-engineer", "--years", "3"], 2, "No such option: -5"),
    (["compare", "1,000", "--role", "ai-engineer", "--years", "3"], 2, "RATE: '1,000' is"),
    (["compare", "--role", "ai-engineer", "--years", "3"], 2, "Missing argument 'rate'"),
    (
        ["profile", "save", "../evil", "--role", "ai-engineer", "--years", "3"],
        2,
        "invalid profile name '../evil'",
    ),
    (
        [
            "profile",
            "save",
            "p",
            "--role",
            "ai-engineer",
            "--years",
            "3",
            "--target-net",
            "50000",
            "--days",
            "0",
        ],
        2,
        "--days: expected a number more than 0",
    ),
    (
        ["profile", "save", "p", "--role", "ai-engineer", "--years", "3", "--status", "custom"],
        2,
        "the custom status needs",
    ),
    (
        ["profile", "save", "p", "--role", "ai-engineer", "--years", "3", "--year", "2030"],
        2,
        "--year: expected a year that has rules",
    ),
    (["profile", "show", "ghost"], 1, "no profile named 'ghost'"),
    (["profile", "delete", "ghost"], 1, "no profile named 'ghost'"),
    (["batch", "missing.csv"], 1, "missing.csv: No such file"),
    (["batch", "missing.csv", "--format", "xml"], 2, "--format: expected csv or json"),
]


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize(
    ("args", "code", "fragment"), FLAG_CASES, ids=[" ".join(a)[:70] for a, _, _ in FLAG_CASES]
)
def test_bad_flags(runner, tjm_home, tmp_path, monkeypatch, args, code, fragment):
    """A bad flag is one `Error:` line naming it, the documented code, and no file touched."""
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args)
    assert_one_error_line(result, code, fragment)
    assert not tjm_home.exists()
    assert _tree(tmp_path) == {}


GOOD_PROFILE = """schema_version = 1
name = "p"

[pricing]
role = "ai-engineer"
years = 4.0
region = "idf"
skills = ["rag"]

[income]
target_net = 50000.0
"""
PROFILE_CASES = [
    (GOOD_PROFILE.replace("4.0", "-1.0"), "pricing.years: expected a number from 0 to 50"),
    (GOOD_PROFILE.replace("4.0", "nan"), "pricing.years: expected a number"),
    (GOOD_PROFILE.replace("4.0", "inf"), "pricing.years: expected a number"),
    (GOOD_PROFILE.replace("4.0", '"four"'), "pricing.years: expected a number from 0 to 50"),
    (GOOD_PROFILE.replace("50000.0", '"50,000"'), "income.target_net: '50,000' is ambiguous"),
    (GOOD_PROFILE.replace("4.0", "true"), "pricing.years: expected a number"),
    (GOOD_PROFILE.replace('region = "idf"', "region = 3"), "pricing.region: expected an id"),
    (GOOD_PROFILE.replace("idf", "mars"), "unknown region 'mars'"),
    (GOOD_PROFILE.replace('["rag"]', '["cobol"]'), "unknown skill 'cobol'"),
    (GOOD_PROFILE.replace("ai-engineer", "astronaut"), "unknown role 'astronaut'"),
    (GOOD_PROFILE + "children = 1.5\n", "income.children: expected a whole number"),
    (GOOD_PROFILE + "children = -1\n", "income.children: expected a whole number"),
    (GOOD_PROFILE + "year = 2030\n", "income.year: expected a year that has rules"),
    (GOOD_PROFILE + "days = 0.0\n", "income.days: expected a number more than 0"),
    (GOOD_PROFILE + 'status = "sarl"\n', "income.status: expected one of"),
    (GOOD_PROFILE + 'status = "custom"\n', "income.charges_rate, income.status: the custom"),
    (GOOD_PROFILE + "charges_rate = 40.0\n", "income.charges_rate, income.status: goes with"),
    (GOOD_PROFILE + "days = 200.0\nholidays = 10.0\n", "income.days, income.holidays: give"),
    (GOOD_PROFILE + "holidays = 200.0\nsick = 100.0\n", "leave no billable day"),
    (GOOD_PROFILE.replace("50000.0", "9000000.0"), "income.target_net: a net of 9,000,000"),
    (GOOD_PROFILE.replace("50000.0", "-1.0"), "income.target_net: expected a number from 0"),
    (GOOD_PROFILE + "versement_liberatoire = 1\n", "income.versement_liberatoire: expected"),
    (GOOD_PROFILE + "wat = 1\n", "income.wat: unknown key"),
    (GOOD_PROFILE.replace("schema_version = 1", "schema_version = 999"), "newer tjm"),
    (GOOD_PROFILE.replace("schema_version = 1", "schema_version = 0"), "schema_version"),
    (GOOD_PROFILE[:50], "not valid TOML"),
    ("years = = 3", "not valid TOML"),
    (GOOD_PROFILE.replace('name = "p"', 'name = "../x"'), "name: expected a profile name"),
]


@pytest.mark.parametrize(
    ("text", "fragment"), PROFILE_CASES, ids=[f[:50] for _, f in PROFILE_CASES]
)
def test_bad_profile_files(runner, tjm_home, tmp_path, text, fragment):
    """A bad profile file is refused naming the file and key (exit 1), and left as it was."""
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["quote", "--profile", str(path), "--json"])
    assert_one_error_line(result, 1, fragment)
    assert str(path) in result.stderr
    assert path.read_text(encoding="utf-8") == text
    assert _tree(tmp_path) == {"p.toml": text.encode()}


HEADER = "name,role,years,region,skills,rate,target_net,status,days,holidays,children,year\n"
CSV_CASES = [
    ("a,ai-engineer,abc,,,,,,,,,", "column years: expected a number from 0 to 50, got 'abc'"),
    ("a,ai-engineer,-nan,,,,,,,,,", "column years: expected a number"),
    ("a,ai-engineer,+nan,,,,,,,,,", "column years: expected a number"),
    ("a,ai-engineer,nan,,,,,,,,,", "column years: expected a number"),
    ("a,ai-engineer,inf,,,,,,,,,", "column years: expected a number"),
    ("a,ai-engineer,51,,,,,,,,,", "column years: expected a number from 0 to 50, got '51'"),
    ("a,ai-engineer,,,,,,,,,,", "column years: missing"),
    ("a,ai-engineer,3,,,nan,,,,,,", "column rate: expected a number more than 0"),
    ("a,ai-engineer,3,,,0,,,,,,", "column rate: expected a number more than 0"),
    ('a,ai-engineer,3,,,"1,000",,,,,,', "column rate: '1,000' is ambiguous"),
    ("a,ai-engineer,3,,,0x10,,,,,,", "column rate: expected a number"),
    ("a,astronaut,3,,,,,,,,,", "column role: unknown role 'astronaut'"),
    ("a,,3,,,,,,,,,", "column role: missing"),
    ("a,ai-engineer,3,mars,,,,,,,,", "column region: unknown region 'mars'"),
    ("a,ai-engineer,3,,cobol,,,,,,,", "column skills: unknown skill 'cobol'"),
    ("a,ai-engineer,3,,,,abc,,,,,", "column target_net: expected a number"),
    ('a,ai-engineer,3,,,,"50,000",,,,,', "column target_net: '50,000' is ambiguous"),
    ("a,ai-engineer,3,,,,50000,sarl,,,,", "column status: expected one of"),
    ("a,ai-engineer,3,,,,50000,custom,,,,", "columns"[:6] + " charges_rate, column status"),
    ("a,ai-engineer,3,,,,50000,,0,,,", "column days: expected a number more than 0"),
    ("a,ai-engineer,3,,,,50000,,200,10,,", "column days, column holidays: give either"),
    ("a,ai-engineer,3,,,,50000,,,300,,", "column holidays: 300 holidays"),
    ("a,ai-engineer,3,,,,50000,,,,1.5,", "column children: expected a whole number"),
    ("a,ai-engineer,3,,,,50000,,,,,2030", "column year: expected a year that has rules"),
    ("a,ai-engineer,3,,,,9000000,,,,,", "column target_net: a net of 9,000,000 EUR"),
    ("a,ai-engineer,3", "column region: missing (3 of 12 fields)"),
]


@pytest.mark.parametrize(("row", "fragment"), CSV_CASES, ids=[f[:50] for _, f in CSV_CASES])
def test_bad_csv_cells(runner, tjm_home, tmp_path, row, fragment):
    """A bad cell stops --strict with exit 1, naming the line and column; nothing is written."""
    roster = tmp_path / "r.csv"
    roster.write_text(HEADER + "ok,ai-engineer,3,,,,,,,,,\n" + row + "\n", encoding="utf-8")
    before = _tree(tmp_path)
    result = runner.invoke(app, ["batch", str(roster), "--strict", "-o", str(tmp_path / "out.csv")])
    assert_one_error_line(result, 1, f"{roster}:3: {fragment}")
    assert _tree(tmp_path) == before


QUESTION_CASES = [
    (prompts.YEARS_Q, "abc", "expected a number from 0 to 50, got 'abc'"),
    (prompts.YEARS_Q, "51", "from 0 to 50"),
    (prompts.YEARS_Q, "nan", "got 'nan'"),
    (prompts.YEARS_Q, "", "got ''"),
    (prompts.RATE_Q, "1,000", "'1,000' is ambiguous"),
    (prompts.RATE_Q, "-5", "more than 0"),
    (prompts.RATE_Q, "lots", "got 'lots'"),
    (prompts.TARGET_Q, "50,000", "'50,000' is ambiguous"),
    (prompts.TARGET_Q, "9000000", "a net of 9,000,000 EUR cannot be reached"),
    (prompts.TARGET_Q, "inf", "got 'inf'"),
    (prompts.HOLIDAYS_Q, "300", "300 holidays + 0 sick + 0 non-billable days leave no"),
    (prompts.HOLIDAYS_Q, "-1", "from 0 to 366"),
    (prompts.SICK_Q, "250", "25 holidays + 250 sick + 0 non-billable days leave no"),
    (prompts.NON_BILLABLE_Q, "230", "25 holidays + 4 sick + 230 non-billable"),
    (prompts.EXPENSES_Q, "3.000", "ambiguous"),
    (prompts.CHILDREN_Q, "1.5", "expected a whole number"),
    (prompts.CHILDREN_Q, "21", "from 0 to 20"),
]
FLOOR_ANSWERS: dict[str, list[Any]] = {
    prompts.FLOOR_Q: [True],
    prompts.STATUS_Q: ["micro-bnc"],
    prompts.TARGET_Q: ["50000"],
    prompts.WEEK_Q: [""],
    prompts.SELL_DIRECT_Q: [True],
    prompts.HOLIDAYS_Q: [""],
    prompts.SICK_Q: [""],
    prompts.NON_BILLABLE_Q: [""],
    prompts.EXPENSES_Q: [""],
    prompts.HOUSEHOLD_Q: ["single"],
    prompts.CHILDREN_Q: [""],
    prompts.VL_Q: [False],
    prompts.SAVE_Q: [False],
}


@pytest.mark.parametrize(
    ("question", "answer", "fragment"),
    QUESTION_CASES,
    ids=[f"{q[:20]} {a}" for q, a, _ in QUESTION_CASES],
)
def test_bad_answers_are_refused_in_place(runner, terminal, tjm_home, question, answer, fragment):
    """A bad answer is refused at its own question with the reason; the next one goes on."""
    answers = {**FULL, **FLOOR_ANSWERS}
    answers[question] = [answer, *answers[question]]
    fake = terminal(answers)
    result = runner.invoke(app, ["quote"])
    assert result.exit_code == 0, result.stderr
    assert fake.rejected[0][:2] == (question, answer)
    assert fragment in fake.rejected[0][2]
    assert not tjm_home.exists()


def test_there_are_at_least_120_cases():
    """The table covers at least 120 bad inputs across the four boundaries."""
    total = len(FLAG_CASES) + len(PROFILE_CASES) + len(CSV_CASES) + len(QUESTION_CASES)
    assert total >= 120
    assert IncomeInputs._fields  # the income side is part of every boundary above
