"""The floor's solvers without scipy: the bisection on whole euros gives the floors scipy's
brentq gave, and the self-employed income solve the same income, to well under a cent."""

import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from tjm.dataset.load import load_dataset
from tjm.fields import MAX_FLOOR, available_years
from tjm.france.income import prepare, solve_floor, yearly_net
from tjm.france.regimes import tns_contributions, tns_income
from tjm.france.roots import bracketed_root, first_whole, golden_maximum
from tjm.france.rules import load_regime_rules
from tjm.inputs import IncomeInputs

from .strategies import incomes

DAYS = load_dataset().billable_days
TODAY = dt.date(2026, 11, 29)


@given(st.floats(0.001, 5_000))
def test_first_whole_is_the_first_whole_number_past_a_threshold(threshold):
    """For a predicate that turns true at `threshold`, first_whole returns its ceiling."""
    assert first_whole(lambda x: x >= threshold, 0.0, 5_000.0) == math.ceil(threshold)


def test_first_whole_refuses_a_predicate_false_at_the_top():
    """A predicate never true up to `high` is an error, not a silent `high`."""
    with pytest.raises(ValueError, match="reaches"):
        first_whole(lambda x: False, 0.0, 100.0)


@given(st.floats(-1e6, 1e6), st.floats(1.0, 3.0))
def test_bracketed_root_finds_the_root(root, slope):
    """The root of an increasing function is found to within xtol, from either side."""
    found = bracketed_root(lambda x: slope * (x - root) + 1e-3 * (x - root) ** 3, -2e6, 2e6, 1e-7)
    assert found == pytest.approx(root, abs=1e-6)


def _old_floor_rate(situation, target: float) -> float:
    """The floor as scipy's brentq found it before the bisection (commit 69e3784)."""

    def shortfall(rate: float) -> float:
        return yearly_net(situation, rate).net - target

    if shortfall(0.0) >= 0:
        return 0.0
    rate = math.ceil(brentq(shortfall, 0.0, MAX_FLOOR, xtol=1e-6))
    while shortfall(rate) < 0:
        rate += 1
    while rate > 0 and shortfall(rate - 1) >= 0:
        rate -= 1
    return float(rate)


@settings(max_examples=120, deadline=None)
@given(
    incomes(
        (60, 260),
        4,
        status=st.sampled_from(
            ["micro-bnc", "micro-bnc-cipav", "ei", "eurl-ir", "eurl-is", "portage"]
        ),
        salary_share=st.none() | st.floats(0, 100),
    ),
    st.floats(1_000, 250_000),
)
def test_bisection_floor_equals_the_brentq_floor(income, target):
    """The floor by bisection on whole euros is the floor brentq found, to the euro, and the
    net shown at it is the same to the cent."""
    if income["status"] != "eurl-is":
        income = {**income, "salary_share": None}
    situation, _ = prepare(IncomeInputs(**income), DAYS, TODAY)
    if yearly_net(situation, MAX_FLOOR).net < target:
        return  # out of reach: tjm.inputs refuses it before any solve
    floor = solve_floor(situation, target, open_only=True)
    assert floor.rate == _old_floor_rate(situation, target)
    assert round(floor.result.net, 2) == round(yearly_net(situation, floor.rate).net, 2)


@given(st.floats(-5_000, 1_000_000), st.sampled_from(available_years()))
def test_tns_income_matches_brentq(available, year):
    """The self-employed income solve gives brentq's income to a millionth of a euro."""
    r = load_regime_rules(year)

    def excess(income: float) -> float:
        return float(income + tns_contributions(r, income).deductible - available)

    top = tns_contributions(r, max(available, 0.0)).deductible
    expected = float(brentq(excess, available - top - 1.0, available + 1.0, xtol=1e-7))
    assert tns_income(r, available)[0] == pytest.approx(expected, abs=1e-6)


@given(st.floats(-5, 5), st.floats(0.1, 10))
def test_golden_maximum_finds_the_peak(peak, width):
    """The golden-section search finds the peak of a one-peaked function to within xtol,
    wherever the peak sits in the bracket."""
    found = golden_maximum(lambda x: -(abs(x - peak) ** 1.5) * width, -6.0, 6.0, 1e-7)
    assert found == pytest.approx(peak, abs=1e-6)


def test_the_sasu_split_nets_what_a_fine_grid_nets():
    """The searched SASU split nets at least what the best of 2,001 shares nets, within a
    cent: the search needs no scipy and loses nothing a user would see."""
    from tjm.france.regimes import DEFAULTS, _sasu, best_split
    from tjm.france.rules import load_rules

    rules = load_rules(2026)
    r = load_regime_rules(2026)
    for turnover in (60_000, 120_000, 250_000):
        grid = max(
            _sasu(rules, r, turnover, 0.0, "single", 0, i / 2000, DEFAULTS).net for i in range(2001)
        )
        assert best_split(rules, "sasu", turnover).net >= grid - 0.01
