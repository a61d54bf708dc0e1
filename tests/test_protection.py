"""What the contributions buy, held against modele-social 11.1.0's `protection sociale` rules
(tests/fixtures/modele-social-protection-11.1.0.json: 42 households × every status it models
× 2025 and 2026), and ACRE against its 60 ACRE cases."""

import json
from pathlib import Path

import pytest

from tjm.france.protection import protection
from tjm.france.regimes import Breakdown, Options, breakdown
from tjm.france.rules import load_acre_rules, load_protection_rules, load_rules

FIXTURE = Path(__file__).parent / "fixtures" / "modele-social-protection-11.1.0.json"
FIX = json.loads(FIXTURE.read_text(encoding="utf-8"))
SICK_PAY_TOLERANCE = 0.01  # the bar: daily sick pay within 1%


def _ours(case):
    """Return tjm's breakdown of a fixture case: the same turnover, expenses, household and
    pay (an IS company's pay is the fixture's company cost)."""
    rules = load_rules(case["year"])
    status = case["status"]
    if status.startswith("micro"):
        turnover = case["turnover"]
        return rules, Breakdown(status, turnover, 0, 0, 0, None, None, turnover, 0, 0)
    share = case.get("salary_share")
    if status in ("sasu", "eurl-is"):
        profit = case["turnover"] - case["expenses"]
        share = case["salary"] / profit if case["salary"] else 0.0
    # modele-social charges no TNS contributions on EURL dividends (L131-6): out of reach.
    options = Options(share, case.get("dividend_tax", "pfu"), capital=1e12)
    b = breakdown(
        rules,
        status,
        case["turnover"],
        case["expenses"],
        case["household"],
        case["children"],
        options,
    )
    return rules, b


def _id(case):
    return (
        f"{case['year']}-{case['status']}-{case['household']}{case['children']}-"
        f"{case['turnover']}-{case.get('salary', '')}"
    )


def test_fixture_covers_every_status_and_40_households():
    """The fixture names its package and covers every status modele-social models, over at
    least 40 households (household, children, turnover) per status and year."""
    assert (FIX["package"], FIX["version"]) == ("modele-social", "11.1.0")
    statuses = {c["status"] for c in FIX["cases"]}
    assert statuses == {"micro-bnc", "micro-bnc-cipav", "ei", "eurl-ir", "eurl-is", "sasu"}
    for status in statuses:
        for year in (2025, 2026):
            households = {
                (c["household"], c["children"], c["turnover"])
                for c in FIX["cases"]
                if c["status"] == status and c["year"] == year
            }
            assert len(households) >= 40, (status, year)


@pytest.mark.parametrize("case", FIX["cases"], ids=_id)
def test_protection_agrees_with_modele_social(case):
    """Quarters and death capital exact; daily sick pay and the invalidity pension within 1%;
    the income counted for the base pension within 0.1%; points within one."""
    rules, b = _ours(case)
    p = protection(rules, b)
    ref = case["protection"]
    assert p is not None
    assert p.quarters == ref["quarters"]
    assert p.death_capital == ref["death_capital"]
    assert p.sick_pay == pytest.approx(ref["sick_pay_daily"], rel=SICK_PAY_TOLERANCE, abs=0.01)
    assert p.invalidity == pytest.approx(ref["invalidity_total_monthly"], rel=0.01, abs=0.01)
    assert p.pension_income == pytest.approx(ref["base_pension_income"], rel=0.001, abs=1)
    points = ref["agirc_arrco_points"] if case["status"] == "sasu" else ref["complementary_points"]
    assert p.points == pytest.approx(points, abs=1)
    assert (p.waiting_days or None) == (ref["sick_pay_waiting_days"] if p.sick_pay else None)


@pytest.mark.parametrize(
    "case", [c for c in FIX["cases"] if c["status"] == "sasu" and c["salary"] == 0], ids=_id
)
def test_unpaid_president_follows_modele_social(case):
    """A SASU president paid no salary still costs the health insurance (240 EUR company,
    263.28 EUR president): tjm's net is modele-social's within 0.5%."""
    _rules, b = _ours(case)
    assert b.salary is not None
    assert b.salary.gross == 0
    assert b.salary.employer == pytest.approx(240)
    assert b.salary.employee == pytest.approx(263.28)
    assert b.net == pytest.approx(case["results"]["net_after_tax"], rel=0.005)


def test_unemployment_cover_by_status():
    """Only portage pays into unemployment insurance (ARE); every other status has the ATI."""
    rules = load_rules(2026)
    for status in ("micro-bnc", "ei", "eurl-ir", "eurl-is", "sasu", "portage"):
        p = protection(
            rules,
            breakdown(rules, status, 100_000)
            if status not in ("micro-bnc",)
            else Breakdown(status, 100_000, 0, 0, 0, None, None, 100_000, 0, 0),
        )
        assert p is not None
        assert p.unemployment == ("are" if status == "portage" else "ati")
        assert p.covered == (status == "portage")


def test_portage_takes_the_salaried_rules():
    """Portage, which modele-social does not model, gets the salaried rules on its gross:
    the flat death capital, sick pay capped at 1.4 SMIC."""
    rules = load_rules(2026)
    p = protection(rules, breakdown(rules, "portage", 120_000))
    r = load_protection_rules(2026)
    assert p is not None
    assert p.death_capital == r.death_capital_salaried
    assert p.sick_pay == pytest.approx(0.5 * 1.4 * 12.31 * 151.67 * 12 / 365, abs=0.01)
    assert p.quarters == 4


def _acre_ours(case, acre):
    rules = load_rules(case["year"])
    status, turnover = case["status"], case["turnover"]
    if status == "micro-bnc":
        share = load_acre_rules(case["year"]).micro_share_paid if acre else 1.0
        return turnover * (rules.contribution_rate * share + rules.cfp_rate)
    if status == "micro-bnc-cipav":
        rate = load_acre_rules(case["year"]).cipav_rate if acre else rules.cipav_rate
        return turnover * (rate + rules.cfp_rate)
    b = breakdown(rules, status, turnover, options=Options(1.0, acre=acre))
    return b.contributions


@pytest.mark.parametrize(
    "case",
    [c for c in FIX["acre_cases"] if c["created"].startswith("01/01")],
    ids=lambda c: f"{c['year']}-{c['status']}-{c['turnover']}",
)
def test_acre_agrees_with_modele_social(case):
    """With and without ACRE (a business created on 1 January of the year), each status's
    contributions are modele-social's within 0.2%."""
    for key, acre in (("without_acre", False), ("with_acre", True)):
        assert _acre_ours(case, acre) == pytest.approx(case[key]["contributions"], rel=0.002)
