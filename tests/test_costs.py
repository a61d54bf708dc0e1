"""The company's own costs by status, their flags and profile keys, and the edge rules'
flags (ACRE, a second year over the micro ceiling)."""

import datetime as dt
import json

import pytest

from tjm.cli import app
from tjm.dataset.load import load_dataset
from tjm.france.costs import CostInputs, company_costs
from tjm.france.income import CHOICES, compare_statuses, prepare, solve_floor, yearly_net
from tjm.inputs import IncomeInputs

DAYS, TODAY = load_dataset().billable_days, dt.date(2026, 6, 1)
NONE = {
    "accountant": 0,
    "cfe": 0,
    "bank": 0,
    "insurance": 0,
    "creation_costs": 0,
    "legal_costs": 0,
}


def _json(runner, args):
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_defaults_differ_by_status_and_are_assumptions():
    """Micro pays no accountant or creation costs, an EURL and a SASU pay both and file
    their accounts; portage pays none (its fee covers them); every default is labelled
    an assumption."""
    micro = company_costs(2026, "micro-bnc", 100_000)
    sasu = company_costs(2026, "sasu", 100_000)
    portage = company_costs(2026, "portage", 100_000)
    assert (micro.accountant, micro.creation, micro.legal) == (0, 0, 0)
    assert sasu.accountant > 0
    assert sasu.creation > 0
    assert sasu.legal > 0
    assert sasu.total > micro.total
    assert portage.total == 0
    assert set(sasu.assumed) == {"accountant", "cfe", "bank", "insurance", "creation", "legal"}


@pytest.mark.parametrize(
    ("turnover", "cfe"),
    [
        (5_000, 0.0),  # no minimum CFE at 5,000 EUR or less
        (20_000, (247 + 1_179) / 2 * 0.265),
        (100_000, (247 + 2_477) / 2 * 0.265),
        (100_001, (247 + 4_129) / 2 * 0.265),
    ],
)
def test_cfe_follows_the_turnover_band(turnover, cfe):
    """The CFE is the band's middle minimum base at the national average rate (2026)."""
    assert company_costs(2026, "ei", turnover).cfe == pytest.approx(cfe)


def test_first_year_pays_no_cfe():
    """The year of creation (ACRE's year) pays no CFE."""
    assert company_costs(2026, "sasu", 90_000, first_year=True).cfe == 0


def test_a_given_cost_replaces_the_default_and_is_no_assumption():
    """A cost the user gives is used as is (creation costs spread over the stated years) and
    leaves the assumed list."""
    given = CostInputs(accountant=1_800, creation=900)
    c = company_costs(2026, "eurl-is", 90_000, given)
    assert c.accountant == 1_800
    assert c.creation == pytest.approx(900 / c.creation_years)
    assert "accountant" not in c.assumed
    assert "creation" not in c.assumed


def _order(rate, **income):
    s, _ = prepare(IncomeInputs(**income), DAYS, TODAY)
    return [r.status for r in compare_statuses(s, CHOICES, rate=rate)]


def test_costs_turn_sasu_over_ei_at_400_a_day():
    """At 400 EUR/day (71,600 EUR of turnover, 2026), a SASU nets more than an EI before the
    company costs; once the SASU's 3,057 EUR (accountant, CFE, bank, insurance, creation,
    filing) against the EI's 2,055 are counted, the EI nets more."""
    bare, costed = _order(400, **NONE), _order(400)
    assert bare.index("sasu") < bare.index("ei")
    assert costed.index("ei") < costed.index("sasu")


def test_costs_turn_eurl_is_over_ei_at_200_a_day():
    """At 200 EUR/day the EURL at the IS nets more than the EI before costs; with an EURL's
    accountant, creation and filing costs counted, the EI nets more."""
    bare, costed = _order(200, **NONE), _order(200)
    assert bare.index("eurl-is") < bare.index("ei")
    assert costed.index("ei") < costed.index("eurl-is")


@pytest.mark.parametrize(
    ("flag", "key", "value", "expected"),
    [
        ("--accountant", "accountant", "1800", 1_800),
        ("--cfe", "cfe", "500", 500),
        ("--bank", "bank", "100", 100),
        ("--insurance", "insurance", "300", 300),
        ("--creation-costs", "creation", "900", 300),  # spread over 3 years
        ("--legal-costs", "legal", "80", 80),
    ],
)
def test_each_cost_flag_overrides_its_default(runner, flag, key, value, expected):
    """Each cost flag sets that cost for the floor (no longer assumed) and raises the floor's
    expenses by the difference."""
    base = ["floor", "--target-net", "60000", "--status", "sasu"]
    plain = _json(runner, base)
    given = _json(runner, [*base, flag, value])
    costs = given["company_costs"]
    assert costs[key] == pytest.approx(expected)
    assert key not in costs["assumed"]
    assert key in plain["company_costs"]["assumed"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--accountant", "-5"], "--accountant: expected a number from 0 to 100,000 EUR, got '-5'"),
        (["--cfe", "abc"], "--cfe: expected a number from 0 to 100,000 EUR, got 'abc'"),
        (["--bank", "nan"], "--bank: expected a number from 0 to 100,000 EUR"),
        (["--insurance", "1e9"], "--insurance: expected a number from 0 to 100,000 EUR"),
        (["--creation-costs", "200k"], "--creation-costs: expected a number from 0 to 100,000"),
        (["--legal-costs", "-1"], "--legal-costs: expected a number from 0 to 100,000 EUR"),
    ],
)
def test_bad_cost_values_are_refused_in_place(runner, args, message):
    """A bad cost is one clear line naming its flag, exit 2, no traceback."""
    result = runner.invoke(app, ["statuses", "--target-net", "60000", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_profile_keys_carry_the_costs_and_the_edge_rules(runner, tjm_home):
    """A profile's income table takes the cost keys, acre and over_ceiling_last_year; a bad
    value there is refused, naming the key."""
    profiles = tjm_home / "profiles"
    profiles.mkdir(parents=True, exist_ok=True)
    (profiles / "me.toml").write_text(
        'schema_version = 5\nname = "me"\n[pricing]\nrole = "ai-engineer"\nyears = 5.0\n'
        "[income]\ntarget_net = 90000.0\naccountant = 2500.0\nacre = true\n"
        "over_ceiling_last_year = true\n",
        encoding="utf-8",
    )
    rows = _json(runner, ["statuses", "--profile", "me"])["statuses"]
    sasu = next(r for r in rows if r["status"] == "sasu")
    assert sasu["company_costs"]["accountant"] == 2_500
    assert sasu["company_costs"]["cfe"] == 0  # ACRE's first year
    micro = next(r for r in rows if r["status"] == "micro-bnc")
    assert not micro["available"]
    (profiles / "bad.toml").write_text(
        'schema_version = 5\nname = "bad"\n[pricing]\nrole = "ai-engineer"\nyears = 5.0\n'
        '[income]\ntarget_net = 60000.0\nacre = "maybe"\n',
        encoding="utf-8",
    )
    bad = runner.invoke(app, ["statuses", "--profile", "bad"])
    assert bad.exit_code == 1
    assert "income.acre" in bad.stderr


def test_acre_flag_lowers_the_first_years_contributions(runner):
    """--acre lowers the contributions under ACRE's rules (2026: an EI's exemption is 25%),
    and says what it does; --no-acre leaves them."""
    base = ["floor", "--target-net", "30000", "--status", "ei"]
    plain, acre = _json(runner, [*base, "--no-acre"]), _json(runner, [*base, "--acre"])
    assert acre["floor"] < plain["floor"]
    assert any(w["code"] == "acre" for w in acre["warnings"])
    assert not any(w["code"] == "acre" for w in plain["warnings"])


def test_over_ceiling_flag_one_year_allowed_two_years_lost(runner):
    """Micro over the ceiling: the first year its floor stands, with the micro-ceiling
    warning; with --over-ceiling-last-year the floor is the lowest open status's."""
    first = _json(runner, ["floor", "--target-net", "90000"])
    second = _json(runner, ["floor", "--target-net", "90000", "--over-ceiling-last-year"])
    assert first["status"] == "micro-bnc"
    assert any(w["code"] == "micro-ceiling" for w in first["warnings"])
    assert second["status"] != "micro-bnc"
    assert second["closed"] == {"status": "micro-bnc", "floor": first["floor"]}


def test_sort_by_protection(runner):
    """--sort protection ranks what each status buys: portage (unemployment insurance)
    first; a bad value is refused naming --sort."""
    rows = _json(runner, ["statuses", "--rate", "600", "--sort", "protection"])
    assert rows["sort"] == "protection"
    assert rows["statuses"][0]["status"] == "portage"
    bad = runner.invoke(app, ["statuses", "--rate", "600", "--sort", "cash"])
    assert bad.exit_code == 2
    assert "--sort: expected one of net, protection, got 'cash'" in bad.stderr


def test_statuses_at_600_show_what_sasu_gives_up_against_eurl(runner):
    """`tjm statuses --rate 600` gives, per status, the net, what it buys and its costs; the
    SASU line says what it gives up against the best net in one line."""
    data = _json(runner, ["statuses", "--rate", "600"])
    rows = {r["status"]: r for r in data["statuses"]}
    sasu = rows["sasu"]
    assert sasu["protection"]["death_capital"] == 3_681
    assert sasu["gives_up"]["against"] == data["best"]
    assert sasu["gives_up"]["net"] < 0
    assert rows["portage"]["protection"]["unemployment"] == "are"


def test_the_floor_is_past_a_cfe_step_that_a_higher_rate_falls_back_under():
    """Where the CFE steps up just past the floor (turnover over 5,000), a rate one euro
    higher nets less than the target; the floor is then the rate from which every higher one
    reaches it (84 here), not the first rate that does (82)."""
    income = IncomeInputs(status="eurl-ir", days=60.875, expenses=0, year=2025)
    situation, _ = prepare(income, DAYS, TODAY)
    nets = {rate: yearly_net(situation, rate).net for rate in (82, 83, 84)}
    assert nets[82] >= 1000 > nets[83]  # the step this test is about
    floor = solve_floor(situation, 1000)
    assert floor.rate == 84
    assert nets[84] >= 1000
