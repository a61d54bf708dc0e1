"""The cost side: rules files, days, statuses by hand, the floor, and its bad inputs."""

import copy
import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tjm.dataset.load import load_dataset
from tjm.errors import DataError, UsageError
from tjm.fields import available_years
from tjm.france import rules
from tjm.france.checks import check_income
from tjm.france.income import YearlyNet, billable_days, find_floor, prepare, yearly_net
from tjm.france.rules import income_tax, load_rules, pick_year, scale_tax, tax_shares
from tjm.inputs import IncomeInputs

from .checks import assert_lowest_floor
from .strategies import incomes

TODAY = dt.date(2026, 11, 27)
DAYS = load_dataset().billable_days


# The hand-worked examples leave the company's own costs out (tests/test_costs.py has them).
NO_COSTS: dict[str, Any] = {
    "accountant": 0,
    "cfe": 0,
    "bank": 0,
    "insurance": 0,
    "creation_costs": 0,
    "legal_costs": 0,
}


def net_at(rate: float, **income) -> YearlyNet:
    situation, _ = prepare(IncomeInputs(**{**NO_COSTS, **income}), DAYS, TODAY)
    return yearly_net(situation, rate)


# ------------------------------------------------------------ the rules files


@pytest.mark.parametrize(
    ("year", "contrib", "ceiling", "vat", "brackets", "decote", "cap", "vl_limit"),
    [
        (
            2026,
            0.256,
            83_600,
            37_500,
            (11_600, 29_579, 84_577, 181_917),
            (897, 1_483),
            1_807,
            29_315,
        ),
        (
            2025,
            0.246,
            77_700,
            37_500,
            (11_497, 29_315, 83_823, 180_294),
            (889, 1_470),
            1_791,
            28_797,
        ),
    ],
)
def test_rules_files_hold_data_md_figures(
    year, contrib, ceiling, vat, brackets, decote, cap, vl_limit
):
    """Each year's file holds that year's micro and income-tax figures, copied by hand from
    their sources: service-public.fr F34328, CGI art. 197 and 102 ter, décret 2025-943."""
    r = load_rules(year)
    assert (r.contribution_rate, r.cipav_rate, r.cfp_rate, r.vl_rate) == (
        contrib,
        0.232,
        0.002,
        0.022,
    )
    assert (r.turnover_ceiling, r.vat_threshold) == (ceiling, vat)
    assert tuple(b.start for b in r.brackets[1:]) == brackets
    assert tuple(b.rate for b in r.brackets) == (0, 0.11, 0.30, 0.41, 0.45)
    assert (r.decote_single, r.decote_couple, r.decote_rate) == (*decote, 0.4525)
    assert r.half_share_cap == cap
    assert r.vl_limit == vl_limit
    assert (r.allowance_rate, r.allowance_minimum) == (0.34, 305)
    assert r.portage_net_share_of_turnover == (0.45, 0.52)
    assert r.portage_fee_default == 0.10
    assert all(r.sources.values())


@pytest.mark.parametrize(
    ("reader", "change", "message"),
    [
        ("load_rules", lambda d: d["income_tax"]["brackets"].reverse(), "income_tax.brackets"),
        ("load_regime_rules", lambda d: d["corporate_tax"]["brackets"].pop(0), "corporate_tax"),
        ("load_rules", lambda d: d["income_tax"]["shares"].update(source="x"), "tax_shares: un"),
        ("load_rules", lambda d: d["income_tax"]["shares"].pop("couple"), "figure: 'couple'"),
    ],
)
def test_a_broken_rules_file_is_a_data_error(monkeypatch, reader, change, message):
    """A rules file with a figure missing, brackets out of order or an unknown source is a
    DataError naming the file and what is wrong."""
    name, doc = rules._rules_doc(2026)
    broken = copy.deepcopy(doc)
    change(broken)
    monkeypatch.setattr(rules, "_rules_doc", lambda year: (name, broken))
    with pytest.raises(DataError, match=f"fr-2026.toml: .*{re.escape(message)}"):
        getattr(rules, reader).__wrapped__(2026)


def test_year_choice():
    """The current year is used when it has a file, else the latest with a warning."""
    assert available_years() == [2025, 2026]
    assert pick_year(None, TODAY) == (2026, [])
    year, warnings = pick_year(None, dt.date(2031, 1, 1))
    assert year == 2026
    assert [w.code for w in warnings] == ["rules-year-fallback"]
    assert "No rules for 2031" in warnings[0].message


# ---------------------------------------------------------------------- days


def test_malt_days_are_the_default():
    """253 − 25 − 4 − 45 = 179 billable days by default."""
    d = billable_days(IncomeInputs(), DAYS)
    assert (d.working, d.holidays, d.sick, d.non_billable, d.total) == (253, 25, 4, 45, 179)


def test_days_parts_and_total():
    """Each part can be overridden, or a total given instead."""
    assert billable_days(IncomeInputs(holidays=30, non_billable=20), DAYS).total == 199
    assert billable_days(IncomeInputs(days=200), DAYS).total == 200


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        (IncomeInputs(holidays=200, non_billable=60), "leave no billable day"),
        (IncomeInputs(days=150, holidays=10), "either the billable days or the days off"),
    ],
)
def test_bad_days(inputs, message):
    """More days off than working days, and a total mixed with its parts, are refused."""
    with pytest.raises(UsageError, match=message):
        check_income(inputs, TODAY)


# ------------------------------------------------------- statuses, by hand


@pytest.mark.parametrize("year", available_years())
def test_tax_shares(year):
    """1 or 2 shares, +0.5 for each of the first two children, +1 from the third (CGI art.
    194), as each year's file states them with that article as their source."""
    rules = load_rules(year)
    assert tax_shares(rules, "single", 0) == 1
    assert tax_shares(rules, "couple", 0) == 2
    assert tax_shares(rules, "single", 1) == 1.5
    assert tax_shares(rules, "couple", 2) == 3
    assert tax_shares(rules, "couple", 3) == 4
    assert tax_shares(rules, "single", 4) == 4
    assert rules.sources["tax_shares"] == "cgi-194"


# Per-share tax at each 2026 bracket boundary, worked from the scale by hand.
BOUNDARIES_2026 = [
    (11_600, 0.0),
    (29_579, 0.11 * (29_579 - 11_600)),
    (84_577, 0.11 * (29_579 - 11_600) + 0.30 * (84_577 - 29_579)),
    (181_917, 0.11 * (29_579 - 11_600) + 0.30 * (84_577 - 29_579) + 0.41 * (181_917 - 84_577)),
]


@pytest.mark.parametrize(("income", "tax"), BOUNDARIES_2026)
def test_scale_at_each_boundary(income, tax):
    """At each boundary the tax is the sum of the lower brackets; one euro more adds the next
    bracket's rate."""
    rules = load_rules(2026)
    assert scale_tax(rules, income) == pytest.approx(tax)
    above = next(b.rate for b in rules.brackets if b.start == income)
    assert scale_tax(rules, income + 1) - scale_tax(rules, income) == pytest.approx(above)
    below = next(b.rate for b in reversed(rules.brackets) if b.start < income)
    assert scale_tax(rules, income) - scale_tax(rules, income - 1) == pytest.approx(below)


def test_decote_partial():
    """A gross tax of 1,000 EUR (single) is cut by 897 − 45.25% × 1,000 = 444.50."""
    rules = load_rules(2026)
    taxable = 11_600 + 1_000 / 0.11
    assert income_tax(rules, taxable, "single", 0) == pytest.approx(1_000 - (897 - 452.5))


def test_decote_cannot_exceed_the_tax():
    """A small tax is cancelled by the décote, never turned negative."""
    rules = load_rules(2026)
    assert income_tax(rules, 12_000, "single", 0) == 0


def test_half_share_cap_applies():
    """Couple + 2 children, 132,000 taxable: the cap (2 × 1,807) limits the children's gain."""
    rules = load_rules(2026)
    without = 2 * (0.11 * (29_579 - 11_600) + 0.30 * (66_000 - 29_579))
    with_children = 3 * (0.11 * (29_579 - 11_600) + 0.30 * (44_000 - 29_579))
    assert without - 2 * 1_807 > with_children  # so the cap binds
    assert income_tax(rules, 132_000, "couple", 2) == pytest.approx(without - 2 * 1_807)


def test_third_child_counts_a_whole_share():
    """Couple + 3 children have 4 shares: 60,000 taxable is 15,000 a share, then the décote."""
    rules = load_rules(2026)
    gross = 4 * 0.11 * (15_000 - 11_600)
    without = 2 * (0.11 * (29_579 - 11_600) + 0.30 * (30_000 - 29_579))
    assert without - 4 * 1_807 < gross  # the cap does not bind here
    expected = gross - (1_483 - 0.4525 * gross)
    assert income_tax(rules, 60_000, "couple", 3) == pytest.approx(expected)


# (rate, income inputs, expected contributions, income tax, net), each worked by hand.
WORKED = [
    pytest.param(
        443,
        {},
        0.258 * 79_297,
        0.11 * (29_579 - 11_600) + 0.30 * (0.66 * 79_297 - 29_579),
        79_297 * 0.742 - (0.11 * (29_579 - 11_600) + 0.30 * (0.66 * 79_297 - 29_579)),
        id="2026 micro-bnc single",
    ),
    pytest.param(
        300,
        {"year": 2025},
        0.248 * 53_700,
        0.11 * (29_315 - 11_497) + 0.30 * (0.66 * 53_700 - 29_315),
        53_700 * 0.752 - (0.11 * (29_315 - 11_497) + 0.30 * (0.66 * 53_700 - 29_315)),
        id="2025 micro-bnc single",
    ),
    pytest.param(
        300,
        {"versement_liberatoire": True},
        0.258 * 53_700,
        0.022 * 53_700,
        53_700 * (1 - 0.258 - 0.022),
        id="2026 versement liberatoire",
    ),
    pytest.param(
        300,
        {"status": "micro-bnc-cipav"},
        0.234 * 53_700,
        0.11 * (29_579 - 11_600) + 0.30 * (0.66 * 53_700 - 29_579),
        53_700 * 0.766 - (0.11 * (29_579 - 11_600) + 0.30 * (0.66 * 53_700 - 29_579)),
        id="2026 cipav",
    ),
    pytest.param(
        1_000,
        {"days": 200, "household": "couple", "children": 2},
        0.258 * 200_000,
        2 * (0.11 * (29_579 - 11_600) + 0.30 * (66_000 - 29_579)) - 2 * 1_807,
        200_000 * 0.742 - (2 * (0.11 * (29_579 - 11_600) + 0.30 * (66_000 - 29_579)) - 2 * 1_807),
        id="2026 couple 2 children, cap",
    ),
    pytest.param(
        500,
        {"status": "custom", "charges_rate": 45, "expenses": 3_000},
        0.45 * 89_500,
        0,
        89_500 * 0.55 - 3_000,
        id="custom 45% with expenses",
    ),
    pytest.param(
        100,
        {"days": 100, "year": 2026},
        0.258 * 10_000,
        0,
        10_000 * 0.742,
        id="small income, the décote cancels the tax",
    ),
]


PORTAGE = [
    pytest.param(
        500,
        {"status": "portage"},
        8_950,
        80_550 - 80_550 * 0.485 / 0.9,
        80_550 * 0.485 / 0.9,
        id="portage defaults",
    ),
    pytest.param(
        500,
        {"status": "portage", "portage_fee": 5, "portage_net": 55},
        4_475,
        85_025 - 85_025 * 0.55,
        85_025 * 0.55,
        id="portage 5% fee, 55% net",
    ),
]


@pytest.mark.parametrize(("rate", "income", "fee", "contributions", "salary"), PORTAGE)
def test_portage_worked_examples(rate, income, fee, contributions, salary):
    """Portage keeps its fee (a line of its own, not contributions) and pays a net-share
    salary (±0.01 EUR), and income tax comes off it."""
    result = net_at(rate, **income)
    assert result.fee == pytest.approx(fee, abs=0.01)
    assert result.contributions == pytest.approx(contributions, abs=0.01)
    assert result.net + result.income_tax == pytest.approx(salary, abs=0.01)
    assert 0.05 * salary < result.income_tax < 0.2 * salary


@pytest.mark.parametrize(("rate", "income", "contributions", "tax", "net"), WORKED)
def test_worked_examples(rate, income, contributions, tax, net):
    """Each status and year gives the hand-worked contributions, tax and net (±0.01 EUR)."""
    result = net_at(rate, **income)
    assert result.contributions == pytest.approx(contributions, abs=0.01)
    assert result.income_tax == pytest.approx(tax, abs=0.01)
    assert result.net == pytest.approx(net, abs=0.01)


def test_floor_of_the_worked_example():
    """A 50,000 EUR net in 2026 (micro-bnc, single, 179 days) needs 443 EUR/day."""
    f = find_floor(IncomeInputs(**NO_COSTS), 50_000, DAYS, TODAY)
    assert f.rate == 443
    assert f.result.net >= 50_000
    assert f.days.total == 179
    assert "vat-threshold" in [w.code for w in f.warnings]


def test_the_floor_holds_the_yearly_net_at_its_rate():
    """A floor carries, whole, the yearly net its situation gives at the floor rate."""
    situation, _ = prepare(IncomeInputs(status="sasu"), DAYS, TODAY)
    f = find_floor(IncomeInputs(status="sasu"), 60_000, DAYS, TODAY)
    assert f.result == yearly_net(situation, f.rate)
    assert f.result.status == "sasu"


def test_ceiling_and_vl_warnings():
    """Above the ceiling the micro regime is lost; a high income with VL is flagged."""
    f = find_floor(IncomeInputs(versement_liberatoire=True), 80_000, DAYS, TODAY)
    codes = [w.code for w in f.warnings]
    assert "micro-ceiling" in codes
    assert "vl-ineligible" in codes
    messages = " ".join(w.message for w in f.warnings)
    assert "micro regime is lost" in messages
    assert "versement libératoire limit" in messages


def test_zero_target_is_a_zero_floor():
    """With no expenses and no company costs, a zero target needs no rate at all."""
    assert find_floor(IncomeInputs(**NO_COSTS), 0, DAYS, TODAY).rate == 0


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        (IncomeInputs(target_net=10_000_000), "cannot be reached below 5,000 EUR/day"),
        (
            IncomeInputs(target_net=1, status="portage", versement_liberatoire=True),
            "--versement-liberatoire, --status: goes with micro-bnc or micro-bnc-cipav, "
            "not portage",
        ),
        (IncomeInputs(target_net=1, status="custom"), "needs an overall charge rate"),
        (
            IncomeInputs(target_net=1, charges_rate=40),
            "--charges-rate, --status: goes with custom, not micro-bnc",
        ),
        (IncomeInputs(days=200, holidays=10), "--days, --holidays: give either"),
        (IncomeInputs(holidays=200, sick=100), "--holidays, --sick: 200 holidays"),
    ],
)
def test_bad_income_inputs(inputs, message):
    """Contradictory or unreachable income inputs are refused, naming the flags at fault."""
    with pytest.raises(UsageError, match=message):
        check_income(inputs, TODAY)


situations = incomes(
    (20, 260), 5, status=st.sampled_from(["micro-bnc", "micro-bnc-cipav", "portage"])
)


@settings(max_examples=150, deadline=None)
@given(situations, st.floats(0, 150_000))
def test_floor_is_the_lowest_euro_that_meets_the_target(income, target):
    """The net at the floor meets the target, and one euro below does not."""
    situation, _ = prepare(IncomeInputs(**income), DAYS, TODAY)
    assert_lowest_floor(situation, target)


@given(situations, st.floats(0, 4_000), st.floats(0, 4_000))
def test_net_rises_with_the_rate(income, a, b):
    """A higher day rate never nets less, so the floor is well defined (the CFE given: its
    turnover bands make steps of a few hundred euros, which the floor search walks past)."""
    situation, _ = prepare(IncomeInputs(**income, cfe=0), DAYS, TODAY)
    low, high = sorted((a, b))
    assert yearly_net(situation, high).net >= yearly_net(situation, low).net - 1e-6
