"""Every status through the floor solver and `tjm statuses`: properties, CLI text and JSON,
and the bad inputs of issue 12."""

import datetime as dt
import itertools
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tjm.cli import app
from tjm.dataset.load import load_dataset
from tjm.fields import STATUSES
from tjm.france.income import (
    CHOICES,
    compare_statuses,
    floor_levers,
    prepare,
    solve_floor,
    yearly_net,
)
from tjm.inputs import IncomeInputs
from tjm.registry import status_short
from tjm.render.common import schema

from .checks import assert_lowest_floor, assert_one_error_line
from .strategies import SPLIT_STATUSES, dividend_taxes, incomes

TODAY = dt.date(2026, 11, 27)
DAYS = load_dataset().billable_days
# custom needs its charge rate; every other status runs on the defaults.
EXTRA = {"custom": {"charges_rate": 45.0}}

situations = incomes((60, 230), 4)
options = st.fixed_dictionaries(
    {},
    optional={
        "salary_share": st.floats(0, 100),
        "dividend_tax": dividend_taxes,
        "capital": st.floats(100, 100_000),
    },
)


def situation_for(status, income, extra=None):
    known = {**income, **EXTRA.get(status, {}), **(extra or {})}
    return prepare(IncomeInputs(status=status, **known), DAYS, TODAY)[0]


@pytest.mark.parametrize("status", STATUSES)
@settings(max_examples=12, deadline=None)
@given(income=situations, split=options, target=st.floats(0, 180_000))
def test_floor_is_the_lowest_euro_that_meets_the_target(status, income, split, target):
    """For every status, the net at the floor meets the target and one euro less does not."""
    extra = split if status in SPLIT_STATUSES else {}
    if status != "eurl-is":
        extra.pop("capital", None)
    s = situation_for(status, income, extra)
    assert_lowest_floor(s, target)


@pytest.mark.parametrize("status", STATUSES)
@settings(max_examples=15, deadline=None)
@given(income=situations, a=st.floats(0, 3_000), b=st.floats(0, 3_000))
def test_net_never_falls_as_the_rate_rises(status, income, a, b):
    """For every status, a higher day rate never nets less (to the cent)."""
    s = situation_for(status, income)
    low, high = sorted((a, b))
    assert yearly_net(s, high).net >= yearly_net(s, low).net - 0.01


@pytest.mark.parametrize("status", SPLIT_STATUSES)
@pytest.mark.parametrize("share", [0.0, 35.0, 100.0])
def test_net_rises_with_the_rate_at_a_fixed_split(status, share):
    """At a given salary share, a split status's net rises with the rate on a fine grid."""
    s = situation_for(status, {"days": 179}, {"salary_share": share})
    nets = [yearly_net(s, rate).net for rate in range(0, 2_001, 25)]
    assert all(b >= a - 0.01 for a, b in itertools.pairwise(nets))


def test_sasu_floor_is_the_lowest_over_every_split():
    """The sasu floor without a share is no higher than the floor at any fixed share."""
    s = situation_for("sasu", {"days": 179})
    best = solve_floor(s, 60_000)
    assert best.share_from == "searched"
    assert best.result.salary_share is not None
    assert 0 < best.result.salary_share < 1
    for share in (0, 20, 40, 60, 80, 100):
        fixed = solve_floor(situation_for("sasu", {"days": 179}, {"salary_share": share}), 60_000)
        assert best.rate <= fixed.rate


def test_compare_statuses_micro_over_the_ceiling_one_year_allowed_two_years_lost():
    """At 60k net, 179 days, the micro floor's turnover is over the 83,600 EUR ceiling: the
    first year it stays open (and ranked by its floor); a second year running it is ruled
    out and ranked last."""
    s = situation_for("micro-bnc", {"days": 179})
    rows = compare_statuses(s, CHOICES, target_net=60_000)
    micro = next(r for r in rows if r.status == "micro-bnc")
    assert micro.result is not None
    assert micro.result.turnover > 83_600
    assert micro.available
    assert (
        micro.note == "over the 83,600 EUR micro ceiling: allowed this year, lost after two years"
    )
    assert "micro-ceiling" in [w.code for w in micro.warnings]
    rates = [r.rate or 0.0 for r in rows]
    assert rates == sorted(rates)
    lost = compare_statuses(s._replace(over_ceiling_last_year=True), CHOICES, target_net=60_000)
    assert [r.status for r in lost][-1] == "micro-bnc"
    assert not lost[-1].available
    assert "micro-ceiling-lost" in [w.code for w in lost[-1].warnings]
    assert {r.status for r in lost if r.available} == {
        "ei",
        "eurl-ir",
        "eurl-is",
        "sasu",
        "portage",
    }


def test_status_lever_considers_every_status():
    """The floor's status lever looks past micro and portage: with micro lost to its ceiling
    it points at a company status, never at a micro that the ceiling rules out."""
    s = situation_for("portage", {"days": 179})._replace(over_ceiling_last_year=True)
    levers = {lv.code: lv for lv in floor_levers(s, 60_000, 179)}
    change = levers["switch-status"].message
    assert change.startswith("switch to ")
    assert change.removeprefix("switch to ").split(" (")[0] in (
        "EI",
        "EURL à l’IR",
        "EURL à l’IS",
        "SASU",
    )
    assert levers["switch-status"].effect > 0


@settings(max_examples=10, deadline=None)
@given(income=situations, target=st.floats(1_000, 150_000))
def test_comparison_at_a_rate_agrees_with_each_floor(income, target):
    """For each status, the comparison at a rate nets what the floor solver nets there: at
    the status's own floor it reaches the target, one euro lower it does not."""
    s = situation_for("custom", income)
    floors = {r.status: r.rate for r in compare_statuses(s, STATUSES, target_net=target)}
    for status, rate in floors.items():
        if rate is None:
            continue
        at = {r.status: r.result for r in compare_statuses(s, STATUSES, rate=rate)}
        result = at[status]
        assert result == yearly_net(s._replace(status=status), rate)
        assert result is not None
        assert result.net >= target
        if rate > 0:
            below = {r.status: r.result for r in compare_statuses(s, (status,), rate=rate - 1)}
            lower = below[status]
            assert lower is not None
            assert lower.net < target


# --------------------------------------------------------------------------- CLI


def test_statuses_takes_a_profile(runner):
    """`statuses --profile` uses the profile's target, expenses and options; --rate wins
    over the profile's target."""
    sasu = str(Path(__file__).parent.parent / "profiles" / "paris-ai-engineer-sasu.toml")
    rows = run_json(runner, ["statuses", "--profile", sasu])
    assert all(r["expenses"] - r["company_costs"]["total"] == pytest.approx(3000) for r in rows)
    assert all(r["net"] >= 60_000 for r in rows if r["floor"] is not None)
    at_rate = run_json(runner, ["statuses", "--profile", sasu, "--rate", "600"])
    assert all(r["rate"] == 600 for r in at_rate)


def run_json(runner, args):
    """Run a command with --json; return its object, or for statuses its ranked rows."""
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    return data["statuses"] if data["schema"] == schema("statuses") else data


@pytest.mark.parametrize("target", [25_000, 60_000, 120_000])
def test_statuses_rate_agrees_with_floor(runner, target):
    """For each status, `statuses --rate F` at its floor F nets the floor's net, reaches the
    target, and one euro lower does not; `statuses --target-net` gives the same floors."""
    ranked = {
        row["status"]: row for row in run_json(runner, ["statuses", "--target-net", str(target)])
    }
    for status in ranked:
        floor = run_json(runner, ["floor", "--target-net", str(target), "--status", status])
        assert ranked[status]["floor"] == floor["floor"]
        at = {r["status"]: r for r in run_json(runner, ["statuses", "--rate", str(floor["floor"])])}
        assert at[status]["net"] == pytest.approx(floor["net"], abs=0.01)
        assert at[status]["net"] >= target
        below = {
            r["status"]: r
            for r in run_json(runner, ["statuses", "--rate", str(floor["floor"] - 1)])
        }
        assert below[status]["net"] < target


def test_statuses_text_is_a_ranked_table_of_every_status(runner):
    """`tjm statuses --target-net 60000` prints every status ranked with its costs and what
    it buys, each with a note and what it gives up against the best net; micro over its
    ceiling is allowed this year."""
    result = runner.invoke(app, ["statuses", "--target-net", "60000"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    assert "179 billable days" in " ".join(out.split())
    assert "cheapest first" in out
    from tjm.registry import status_short

    for status in [s for s in STATUSES if s != "custom"]:
        assert f" {status_short(status)} " in out
    for rank in "123456":  # the table has no edge: its rows start at the margin
        assert re.search(rf"^{rank}   ", out, re.MULTILINE)
    flat = " ".join(out.split())  # undo the wrapping
    assert "micro-BNC: over the 83,600 EUR micro ceiling: allowed this year" in flat
    assert "is insured like an employee): best at " in flat
    assert "% salary" in out
    for column in ("costs", "quarters", "sick/day", "death", "unempl."):
        assert column in out
    assert "against micro-BNC: net" in flat
    assert "ARE" in out
    assert "ATI" in out


def test_statuses_json_has_the_documented_keys(runner):
    """`statuses --json` lists, under `statuses`, objects with status, floor, money,
    dividends, salary_share, available and warnings per status; custom joins with
    --charges-rate."""
    rows = run_json(runner, ["statuses", "--target-net", "60000", "--charges-rate", "45"])
    assert {r["status"] for r in rows} == set(STATUSES)
    for row in rows:
        for key in (
            "status",
            "floor",
            "turnover",
            "contributions",
            "corporate_tax",
            "income_tax",
            "dividends",
            "salary_share",
            "available",
            "warnings",
        ):
            assert key in row
    sasu = next(r for r in rows if r["status"] == "sasu")
    assert set(sasu["dividends"]) == {"gross", "social", "income_tax", "net"}
    assert 0 < sasu["salary_share"] < 100
    assert [r["available"] for r in rows] == sorted((r["available"] for r in rows), reverse=True)


def test_statuses_rate_json_ranks_by_net(runner):
    """`statuses --rate 600` gives each status's net at that rate, most first among the
    available ones, and applies --salary-share to sasu and eurl-is alike."""
    rows = run_json(runner, ["statuses", "--rate", "600", "--salary-share", "40"])
    available = [r["net"] for r in rows if r["available"]]
    assert available == sorted(available, reverse=True)
    assert all(r["turnover"] == 600 * 179 for r in rows)
    shares = {r["status"]: r["salary_share"] for r in rows}
    assert shares["sasu"] == shares["eurl-is"] == 40
    assert "floor" not in rows[0]
    assert rows[0]["rate"] == 600


def test_floor_json_adds_the_company_keys(runner):
    """`floor --json` keeps today's keys and adds corporate_tax, dividends, salary_share,
    remuneration and an after-tax net."""
    data = run_json(
        runner,
        [
            "floor",
            "--target-net",
            "60000",
            "--status",
            "sasu",
            "--salary-share",
            "50",
            "--dividend-tax",
            "bareme",
        ],
    )
    assert data["salary_share"] == 50
    assert data["status"] == "sasu"
    assert data["corporate_tax"] > 0
    d = data["dividends"]
    assert d["net"] == pytest.approx(d["gross"] - d["social"] - d["income_tax"], abs=0.02)
    parts = sum(
        data[k]
        for k in (
            "expenses",
            "fee",
            "contributions",
            "dividend_levies",
            "corporate_tax",
            "income_tax",
            "net",
        )
    )
    assert parts == pytest.approx(data["turnover"], abs=0.05)
    micro = run_json(runner, ["floor", "--target-net", "30000"])
    assert (micro["dividends"], micro["salary_share"], micro["corporate_tax"]) == (None, None, 0)


def test_a_micro_floor_over_the_ceiling_a_second_year_gives_the_lowest_open_floor(runner):
    """A micro floor over the ceiling a second year running gives way, as the headline, to
    the lowest floor one can use, the same as `tjm statuses` ranks first; the first year
    over it, the micro floor stands with its warning."""
    args = ["--target-net", "90000", "--over-ceiling-last-year"]
    data = run_json(runner, ["quote", "--role", "ai-engineer", "--years", "5", *args])
    ranked = run_json(runner, ["statuses", *args])
    best = next(row for row in ranked if row["available"])
    floor = data["floor"]
    assert floor["status"] == best["status"] != "micro-bnc"
    assert floor["floor"] == best["floor"]
    assert floor["closed"]["status"] == "micro-bnc"
    assert floor["closed"]["floor"] < floor["floor"]
    assert any(
        w["code"] == "floor-regime-closed" and status_short(best["status"]) in w["message"]
        for w in floor["warnings"]
    )
    first = run_json(runner, ["floor", "--target-net", "90000"])
    assert first["status"] == "micro-bnc"
    assert first["closed"] is None
    assert any(w["code"] == "micro-ceiling" for w in first["warnings"])


BAD = [
    (
        ["floor", "--target-net", "60000", "--status", "sasu", "--salary-share", "101"],
        "--salary-share: expected a number from 0 to 100 (%), got '101'",
    ),
    (
        ["floor", "--target-net", "60000", "--status", "sasu", "--salary-share", "-1"],
        "--salary-share: expected a number from 0 to 100 (%), got '-1'",
    ),
    (
        ["statuses", "--rate", "600", "--salary-share", "half"],
        "--salary-share: expected a number from 0 to 100 (%), got 'half'",
    ),
    (
        ["floor", "--target-net", "60000", "--status", "ei", "--dividend-tax", "pfu"],
        "--dividend-tax, --status: ei pays no dividends; it goes with eurl-is or sasu, not ei",
    ),
    (
        ["floor", "--target-net", "60000", "--dividend-tax", "bareme"],
        "--dividend-tax, --status: micro-bnc pays no dividends",
    ),
    (
        ["floor", "--target-net", "60000", "--status", "ei", "--salary-share", "50"],
        "--salary-share, --status: goes with eurl-is or sasu, not ei",
    ),
    (
        ["floor", "--target-net", "60000", "--status", "sasu", "--dividend-tax", "flat"],
        "--dividend-tax: expected one of pfu, bareme, got 'flat'",
    ),
    (
        ["floor", "--target-net", "60000", "--status", "eurl-is", "--capital", "0"],
        "--capital: expected a number more than 0 and at most 10,000,000 EUR, got '0'",
    ),
    (
        ["floor", "--target-net", "60000", "--status", "eurl-is", "--capital", "-500"],
        "--capital: expected a number more than 0",
    ),
    (
        ["floor", "--target-net", "60000", "--status", "sasu", "--capital", "5000"],
        "--capital, --status: goes with eurl-is, not sasu",
    ),
    (
        ["floor", "--target-net", "5000000", "--status", "sasu"],
        "--target-net: a net of 5,000,000 EUR cannot be reached below 5,000 EUR/day",
    ),
    (
        ["statuses", "--target-net", "5000000"],
        "--target-net: a net of 5,000,000 EUR cannot be reached below 5,000 EUR/day with 179 "
        "billable days under any status",
    ),
    (
        ["statuses", "--target-net", "60000", "--rate", "600"],
        "--target-net, --rate: give one of them, not both",
    ),
    (["statuses"], "missing --target-net or --rate"),
    (["statuses", "--rate", "0"], "--rate: expected a number more than 0"),
]


@pytest.mark.parametrize(("args", "message"), BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_status_inputs_get_one_clear_line(runner, args, message):
    """Each bad status input exits 2 with one `Error:` line naming the flags and the problem."""
    assert_one_error_line(runner.invoke(app, args), 2, message)


def test_statuses_has_no_status_flag(runner):
    """`tjm statuses` compares every status, so --status is a usage error there."""
    result = runner.invoke(app, ["statuses", "--rate", "600", "--status", "sasu"])
    assert result.exit_code == 2
    assert "--status" in result.stderr


def test_batch_prices_floors_under_every_status(runner, tmp_path):
    """A roster's salary_share, dividend_tax and capital columns reach the floor as the flags
    do, and a dividend tax on a status without dividends is that row's error."""
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "role,years,target_net,status,salary_share,dividend_tax,capital\n"
        "ai-engineer,5,60000,sasu,,,\n"
        "ai-engineer,5,60000,eurl-is,50,bareme,5000\n"
        "ai-engineer,5,60000,ei,,pfu,\n"
    )
    result = runner.invoke(app, ["batch", str(roster), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    sasu = run_json(runner, ["floor", "--target-net", "60000", "--status", "sasu"])
    eurl = run_json(
        runner,
        [
            "floor",
            "--target-net",
            "60000",
            "--status",
            "eurl-is",
            "--salary-share",
            "50",
            "--dividend-tax",
            "bareme",
            "--capital",
            "5000",
        ],
    )
    assert [r["floor"] for r in rows[:2]] == [sasu["floor"], eurl["floor"]]
    assert rows[2]["floor"] is None
    assert "ei pays no dividends" in rows[2]["error"]


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--status", "sasu"], "% of the profit as salary, the best split at this rate"),
        (["--status", "sasu"], "EUR employer cost"),
        (["--status", "sasu"], "EUR gross, "),
        (["--status", "sasu", "--salary-share", "40"], "40% of the profit as salary, as given"),
        (["--status", "eurl-is"], "100% of the profit as remuneration ("),
        (["--status", "eurl-is"], "EUR before contributions), the default"),
        (["--status", "sasu"], "EUR social levies, "),
    ],
)
def test_floor_text_says_how_a_company_pays_the_person(runner, args, line):
    """`floor` text for eurl-is and sasu shows the salary share, where it came from, and the
    dividends' levies and tax."""
    result = runner.invoke(app, ["floor", "--target-net", "60000", *args])
    assert result.exit_code == 0, result.stderr
    assert line in " ".join(result.stdout.split())  # undo the wrapping
