"""tjm floor, and the income flags on quote, compare and profiles, in-process."""

import json

import pytest

from tjm.cli import app, prompts

from .checks import assert_one_error_line
from .fakes import FULL

FLOOR = ["floor", "--target-net", "50000"]


def test_floor_text(runner):
    """tjm floor prints the rate, the days, the money per year/month/day and the bar."""
    result = runner.invoke(app, [*FLOOR, "--details"])
    assert result.exit_code == 0, result.stderr
    out = " ".join(result.stdout.split())  # undo the wrapping
    assert "452 EUR/day" in out
    assert "179 billable days = 253 working − 25 holidays − 4 sick − 45 non-billable" in out
    for needle in ("per month", "per billable day", "█", "░", "VAT"):
        assert needle in out


def test_floor_json(runner):
    """tjm floor --json has the documented keys with yearly EUR amounts."""
    data = json.loads(runner.invoke(app, [*FLOOR, "--json"]).stdout)
    for key in (
        "floor",
        "turnover",
        "contributions",
        "income_tax",
        "expenses",
        "net",
        "days",
        "year",
        "status",
        "warnings",
    ):
        assert key in data
    assert data["floor"] == 452
    assert data["turnover"] == 452 * 179
    assert data["days"]["total"] == 179
    assert (data["year"], data["status"]) == (2026, "micro-bnc")
    assert data["net"] >= 50_000
    assert data["per_month"]["net"] == pytest.approx(data["net"] / 12, abs=0.01)


def test_floor_flags(runner):
    """Status, days, household and year flags change the floor as documented."""
    base = json.loads(runner.invoke(app, [*FLOOR, "--json"]).stdout)["floor"]
    more_days = json.loads(runner.invoke(app, [*FLOOR, "--days", "218", "--json"]).stdout)
    assert more_days["floor"] < base
    assert more_days["days"]["holidays"] is None
    vl = json.loads(runner.invoke(app, [*FLOOR, "--versement-liberatoire", "--json"]).stdout)
    assert vl["floor"] < base
    custom = json.loads(
        runner.invoke(app, [*FLOOR, "--status", "custom", "--charges-rate", "45", "--json"]).stdout
    )
    assert custom["contributions"] == pytest.approx(0.45 * custom["turnover"], abs=0.01)
    old = json.loads(runner.invoke(app, [*FLOOR, "--year", "2025", "--json"]).stdout)
    assert old["year"] == 2025


BAD = [
    (["floor", "--target-net", "-5"], "--target-net"),
    (["floor", "--target-net", "abc"], "--target-net: expected a number"),
    (["floor", "--target-net", "5", "--days", "0"], "--days"),
    (
        ["floor", "--target-net", "5", "--holidays", "200", "--non-billable", "60"],
        "leave no billable day",
    ),
    (
        ["floor", "--target-net", "5", "--status", "custom", "--charges-rate", "100"],
        "--charges-rate",
    ),
    (
        ["floor", "--target-net", "5", "--year", "2019"],
        "--year: expected a year that has rules (2025, 2026), got '2019'",
    ),
    (
        ["floor", "--target-net", "5", "--status", "portage", "--versement-liberatoire"],
        "--versement-liberatoire, --status: goes with micro-bnc or micro-bnc-cipav",
    ),
    (["floor", "--target-net", "5", "--children", "1.5"], "--children: expected a whole"),
    (["floor", "--target-net", "5", "--household", "trouple"], "--household"),
    (["floor", "--target-net", "9000000"], "cannot be reached"),
    (["floor"], "missing --target-net"),
]


@pytest.mark.parametrize(("args", "message"), BAD, ids=[" ".join(b[0]) for b in BAD])
def test_bad_floor_input(runner, args, message):
    """Each bad income input exits 2 with one 'Error:' line naming the problem."""
    assert_one_error_line(runner.invoke(app, args), 2, message)


def test_quote_with_target_shows_floor_target_stretch(runner):
    """A quote with a target net shows the floor beside the target and the stretch."""
    args = ["quote", "--role", "ai-engineer", "--years", "5", "--target-net", "50000"]
    text = runner.invoke(app, args)
    assert "floor" in text.stdout
    assert "▼" in text.stdout
    data = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    assert data["floor"]["floor"] == 452
    assert data["floor"]["floor"] < data["target"] < data["stretch"]
    assert data["levers"] == []


def test_floor_above_p75_names_the_biggest_lever(runner):
    """When the floor is above P75, the quote says so and ranks days, status and positioning."""
    data = json.loads(
        runner.invoke(
            app,
            [
                "quote",
                "--role",
                "data-scientist",
                "--years",
                "1",
                "--region",
                "other-city",
                "--target-net",
                "60000",
                "--status",
                "ei",
                "--json",
            ],
        ).stdout
    )
    assert data["floor"]["floor"] > data["band"]["p75"]
    effects = [lever["effect"] for lever in data["levers"]]
    assert effects == sorted(effects, reverse=True)
    names = {"more-days": "days", "switch-status": "status", "reposition": "positioning"}
    assert {lever["code"] for lever in data["levers"]} <= set(names)
    top = data["levers"][0]
    assert any(
        w["code"] == "floor-above-band"
        and f"what moves it most is {names[top['code']]}: {top['message']}" in w["message"]
        for w in data["warnings"]
    )


def test_compare_accepts_income_flags(runner):
    """tjm compare takes the income flags too and reports the floor."""
    data = json.loads(
        runner.invoke(
            app,
            [
                "compare",
                "400",
                "--role",
                "ai-engineer",
                "--years",
                "5",
                "--target-net",
                "50000",
                "--json",
            ],
        ).stdout
    )
    assert data["floor"]["floor"] == 452


def test_profile_keeps_income_and_floor_reads_it(runner):
    """Income flags saved in a profile come back in quote and floor; flags still win."""
    saved = runner.invoke(
        app,
        [
            "profile",
            "save",
            "me",
            "--role",
            "ai-engineer",
            "--years",
            "5",
            "--target-net",
            "50000",
            "--household",
            "couple",
            "--children",
            "2",
        ],
    )
    assert saved.exit_code == 0, saved.stderr
    shown = json.loads(runner.invoke(app, ["profile", "show", "me", "--json"]).stdout)
    assert shown["income"] == {"target_net": 50000.0, "household": "couple", "children": 2}
    from_profile = json.loads(runner.invoke(app, ["floor", "--profile", "me", "--json"]).stdout)
    direct = json.loads(
        runner.invoke(app, [*FLOOR, "--household", "couple", "--children", "2", "--json"]).stdout
    )
    assert from_profile["floor"] == direct["floor"]
    override = json.loads(
        runner.invoke(app, ["floor", "--profile", "me", "--target-net", "30000", "--json"]).stdout
    )
    assert override["target_net"] == 30000
    quoted = json.loads(runner.invoke(app, ["quote", "--profile", "me", "--json"]).stdout)
    assert quoted["floor"]["floor"] == from_profile["floor"]


def test_wizard_asks_the_income_questions(runner, terminal, tjm_home):
    """Answering yes to the floor question asks the income questions and saves them."""
    fake = terminal(
        {
            **FULL,
            prompts.FLOOR_Q: [True],
            prompts.STATUS_Q: ["micro-bnc"],
            prompts.TARGET_Q: ["abc", "50000"],
            prompts.WEEK_Q: [""],
            prompts.SELL_DIRECT_Q: [True],
            prompts.HOLIDAYS_Q: [""],
            prompts.SICK_Q: [""],
            prompts.NON_BILLABLE_Q: [""],
            prompts.EXPENSES_Q: [""],
            prompts.HOUSEHOLD_Q: ["single"],
            prompts.CHILDREN_Q: [""],
            prompts.VL_Q: [False],
            prompts.SAVE_Q: [True],
            prompts.NAME_Q: ["me"],
        }
    )
    result = runner.invoke(app, ["quote"])
    assert result.exit_code == 0, result.stderr
    assert "452 EUR/day" in result.stdout
    assert fake.defaults[prompts.HOLIDAYS_Q] == "25"
    assert fake.rejected[0][:2] == (prompts.TARGET_Q, "abc")
    shown = json.loads(runner.invoke(app, ["profile", "show", "me", "--json"]).stdout)
    assert shown["income"]["target_net"] == 50000
    # A default kept stays the model's (unset), as with no --holidays flag.
    assert shown["income"].get("holidays") is None


def test_wizard_portage_branch(runner, terminal):
    """Choosing portage asks for the fee and the household (its net is after income tax),
    not the versement libératoire."""
    fake = terminal(
        {
            **FULL,
            prompts.FLOOR_Q: [True],
            prompts.STATUS_Q: ["portage"],
            prompts.TARGET_Q: ["40000"],
            prompts.WEEK_Q: [""],
            prompts.SELL_DIRECT_Q: [True],
            prompts.HOLIDAYS_Q: [""],
            prompts.SICK_Q: [""],
            prompts.NON_BILLABLE_Q: [""],
            prompts.EXPENSES_Q: [""],
            prompts.PORTAGE_FEE_Q: ["8"],
            prompts.HOUSEHOLD_Q: ["single"],
            prompts.CHILDREN_Q: [""],
            prompts.SAVE_Q: [False],
        }
    )
    result = runner.invoke(app, ["quote"])
    assert result.exit_code == 0, result.stderr
    assert prompts.VL_Q not in fake.asked
    assert prompts.PORTAGE_FEE_Q in fake.asked


SPLIT_Q = {
    "sasu": prompts.SASU_SHARE_Q,
    "eurl-is": prompts.EURL_SHARE_Q,
}


@pytest.mark.parametrize("status", ["sasu", "eurl-is"])
def test_wizard_offers_the_split_statuses_and_their_options(runner, terminal, tjm_home, status):
    """The questions offer sasu and eurl-is, ask the salary share and the dividends' tax
    (and an EURL's capital), and save them in the profile."""
    answers = {
        **FULL,
        prompts.FLOOR_Q: [True],
        prompts.STATUS_Q: [status],
        prompts.TARGET_Q: ["60000"],
        prompts.WEEK_Q: [""],
        prompts.SELL_DIRECT_Q: [True],
        prompts.HOLIDAYS_Q: [""],
        prompts.SICK_Q: [""],
        prompts.NON_BILLABLE_Q: [""],
        prompts.EXPENSES_Q: [""],
        prompts.HOUSEHOLD_Q: ["single"],
        prompts.CHILDREN_Q: [""],
        SPLIT_Q[status]: ["150", "40"],
        prompts.DIVIDEND_TAX_Q: ["bareme"],
        prompts.SAVE_Q: [True],
        prompts.NAME_Q: ["me"],
    }
    if status == "eurl-is":
        answers[prompts.CAPITAL_Q] = ["0", "5000"]
    fake = terminal(answers)
    result = runner.invoke(app, ["quote"])
    assert result.exit_code == 0, result.stderr
    assert fake.rejected[0][:2] == (SPLIT_Q[status], "150")
    assert (prompts.CAPITAL_Q in fake.asked) == (status == "eurl-is")
    shown = json.loads(runner.invoke(app, ["profile", "show", "me", "--json"]).stdout)
    expected = {"status": status, "salary_share": 40.0, "dividend_tax": "bareme"}
    if status == "eurl-is":
        expected["capital"] = 5000.0
    assert expected.items() <= shown["income"].items()
