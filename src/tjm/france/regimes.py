"""Statuses beyond micro: EI, EURL at the IR or the IS, SASU and portage, net after income tax.

Pure: rules and amounts in, frozen breakdowns out. Amounts are EUR a year, shares are
fractions. The year's figures live in data/fr-YEAR.toml; modele-social is the reference.
"""

from __future__ import annotations

import itertools
import math
from typing import NamedTuple

from tjm.fields import SPLIT_STATUSES
from tjm.france.roots import bracketed_root, golden_maximum
from tjm.france.rules import (
    AcreRules,
    RegimeRules,
    Rules,
    bracket_tax,
    income_tax,
    load_acre_rules,
    load_regime_rules,
)
from tjm.registry import STATUSES

REGIMES = tuple(s.id for s in STATUSES.values() if s.regime)
SPLIT_REGIMES = SPLIT_STATUSES  # the ones that pay part of the profit as dividends


class Options(NamedTuple):
    """Status options; None means the status's default."""

    salary_share: float | None = None  # 0–1; eurl-is: 1, sasu: the best split
    dividend_tax: str = "pfu"
    capital: float = 1000.0  # EURL share capital, EUR
    portage_fee: float | None = None  # share of turnover; the year's default
    portage_net_share: float | None = None  # share of what fee and expenses leave
    acre: bool = False  # the first year's exemption (ACRE) applies


DEFAULTS = Options()


class Dividends(NamedTuple):
    gross: float
    social: float
    income_tax: float
    net: float


class Breakdown(NamedTuple):
    """Where a year's turnover goes under one status.

    turnover = expenses + fee + contributions + dividend_levies + corporate_tax + income_tax
    + net, a loss included (the person funds it). contributions are the social contributions
    on the pay (an EURL's dividends above 10% of the capital included), dividend_levies the
    social levies on dividends, fee portage's management fee, and income_tax every income
    tax (the dividends' share too), so the dividends repeat a part of it.
    """

    status: str
    turnover: float
    expenses: float
    contributions: float
    corporate_tax: float
    dividends: Dividends | None
    salary_share: float | None
    remuneration: float  # what the business spends on the person (employer cost)
    income_tax: float
    net: float
    fee: float = 0.0  # portage's management fee
    dividend_levies: float = 0.0
    salary: Salary | None = None  # sasu, portage (estimated): gross, contributions, net
    tns_base: float | None = None  # the self-employed contribution base (ei, eurl)


# ------------------------------------------------------------ self-employed (TNS)


class TnsContributions(NamedTuple):
    total: float
    deductible: float  # from the income: all but the non-deductible CSG-CRDS
    non_deductible: float


def _interpolate(points: tuple[tuple[float, float], ...], x: float) -> float:
    """Return the rate at x: the first rate below the first point, linear between, flat after."""
    if x <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return points[-1][1]


def acre_share(a: AcreRules, base: float, pss: float) -> float:
    """Return the share of ACRE's full exemption left at a contribution base: all of it up to
    75% of PASS, then falling linearly to nothing at 1 PASS."""
    full, none = a.full_until * pss, a.nothing_from * pss
    if base <= full:
        return 1.0
    return max(0.0, (none - base) / (none - full))


def tns_contributions(
    r: RegimeRules, income: float, acre: AcreRules | None = None
) -> TnsContributions:
    """Return the TNS contributions on a professional income (after deductible contributions);
    with `acre`, the first year's exemption of sickness, invalidity, base pension and family."""
    s, pss = r.ssi, r.pss
    base = max(income, 0.0)
    sick_base = max(base, s.sickness_minimum_base * pss)
    # The progressive rate reads the income itself; the minimum base only widens the amount.
    rate = _interpolate(s.sickness_points, base / pss)
    sickness = rate * min(sick_base, 5 * pss) + s.sickness_rate_above_5_pass * max(
        0.0, sick_base - 5 * pss
    )
    allowance = s.daily_allowance_rate * min(sick_base, s.daily_allowance_cap * pss)
    sickness = max(sickness, allowance)  # the allowance part is carved out of the total
    pension_base = max(base, s.pension_minimum_base)
    pension = s.pension_base_rate * min(pension_base, pss) + s.pension_base_rate_above * max(
        0.0, pension_base - pss
    )
    ceiling = s.pension_complementary_ceiling
    complementary = s.pension_complementary_rate * min(
        base, ceiling
    ) + s.pension_complementary_rate_above * max(
        0.0, min(base, s.pension_complementary_cap * pss) - ceiling
    )
    invalidity = s.invalidity_rate * min(max(base, s.invalidity_minimum_base * pss), pss)
    family = _interpolate(s.family_points, base / pss) * base
    if acre is not None:
        exempted = acre.tns_rate * acre_share(acre, base, pss)
        sickness, pension, invalidity, family = (
            x * (1 - exempted) for x in (sickness, pension, invalidity, family)
        )
    contributions = sickness + pension + complementary + invalidity + family
    csg_base = max(0.0, income + contributions)
    deductible = contributions + s.csg_deductible * csg_base + s.training_rate * pss
    non_deductible = s.csg_non_deductible * csg_base
    return TnsContributions(deductible + non_deductible, deductible, non_deductible)


def tns_income(
    r: RegimeRules, available: float, acre: AcreRules | None = None
) -> tuple[float, TnsContributions]:
    """Solve income + deductible contributions = available; return the income and contributions.

    The contributions' base is the income after them, as in the official simulator.
    """

    def excess(income: float) -> float:
        return income + tns_contributions(r, income, acre).deductible - available

    top = tns_contributions(r, max(available, 0.0)).deductible
    income = bracketed_root(excess, available - top - 1.0, available + 1.0, xtol=1e-7)
    return income, tns_contributions(r, income, acre)


# ---------------------------------------------------------------- general scheme


class Salary(NamedTuple):
    gross: float
    employer: float  # employer contributions
    employee: float  # employee contributions, CSG-CRDS included
    net: float
    taxable: float  # before the 10% deduction


def salary(r: RegimeRules, gross: float, acre: AcreRules | None = None) -> Salary:
    """Return an assimilé-salarié president's contributions and net for a gross salary.

    At a gross of 0 the company still pays its half of the health insurance, and the
    president the other half with CSG-CRDS on the company's: the official simulator's
    convention (503.28 EUR a year in all, a net of -263.28).
    """
    s, pss = r.salary, r.pss
    gross = max(gross, 0.0)
    bases = {
        "gross": gross,
        "t1": min(gross, pss),
        "t2": max(0.0, min(gross, 8 * pss) - pss),
        "cet": min(gross, 8 * pss) if gross > pss else 0.0,
    }
    employer = sum(c.employer * bases[c.base] for c in s.contributions)
    employee = sum(c.employee * bases[c.base] for c in s.contributions)
    if acre is not None:
        # Past 75% of PASS the exempted amount (not the rate) falls linearly to nothing at
        # PASS, from what it was at 75% of PASS (modele-social; décret n° 2019-1215).
        full = acre.full_until * pss
        tapered = gross > full
        share = acre_share(acre, gross, pss) * (full / gross if tapered else 1.0)
        own = acre.salaried_employee_taper_rate if tapered else acre.salaried_employee_rate
        exempted = [c for c in s.contributions if c.name in acre.salaried_exempted]
        employer -= (
            share * acre.salaried_employer_rate * sum(c.employer * bases[c.base] for c in exempted)
        )
        employee -= share * own * sum(c.employee * bases[c.base] for c in exempted)
    welfare = (
        s.prevoyance_cadre_employer * bases["t1"]
        + s.health_insurance_yearly * s.health_insurance_employer_share
    )
    employer += welfare
    employee += s.health_insurance_yearly * (1 - s.health_insurance_employer_share)
    cap = s.csg_base_share_cap * pss
    csg_base = s.csg_base_share * min(gross, cap) + max(0.0, gross - cap) + welfare
    non_deductible = (s.csg_non_deductible + s.crds) * csg_base
    employee += s.csg_deductible * csg_base + non_deductible
    net = gross - employee
    # The company's health and prévoyance shares are taxable, as the simulator counts them.
    return Salary(gross, employer, employee, net, max(net, 0.0) + non_deductible + welfare)


def salary_for_cost(r: RegimeRules, cost: float, acre: AcreRules | None = None) -> Salary:
    """Return the salary whose employer cost is `cost` (the largest not above it); below the
    cost of a gross of 0 (the health insurance), a gross of 0."""
    pss = r.pss

    def total(gross: float) -> float:
        return gross + salary(r, gross, acre).employer

    if cost <= total(0.0):
        return salary(r, 0.0, acre)
    if acre is not None:
        # ACRE's taper bends the cost between 75% and 100% of PASS: solve it instead.
        top = max(cost, 1.0)
        return salary(r, bracketed_root(lambda g: total(g) - cost, 0.0, top, xtol=1e-6), acre)

    # The cost is linear between these knots; the CET makes it jump just above PASS.
    knots = [0.0, pss, 8 * pss, math.inf]
    for low, high in itertools.pairwise(knots):
        width = (high - low) if math.isfinite(high) else pss
        x1, x2 = low + width / 3, low + 2 * width / 3
        slope = (total(x2) - total(x1)) / (x2 - x1)
        start = total(x1) - slope * (x1 - low)  # the cost just above `low`
        if not math.isfinite(high) or cost <= start + slope * (high - low):
            return salary(r, max(low, low + (cost - start) / slope), acre)
    raise AssertionError("unreachable")  # pragma: no cover


# ------------------------------------------------------------------------ taxes


def corporate_tax(r: RegimeRules, profit: float) -> float:
    """Return the corporate tax on a year's taxable profit."""
    return bracket_tax(r.corporate_tax, profit)


def salary_deduction(r: RegimeRules, taxable: float) -> float:
    """Return the 10% flat deduction for professional costs, within its minimum and maximum."""
    if taxable <= 0:
        return 0.0
    return min(
        taxable, max(r.deduction_minimum, min(r.deduction_maximum, r.deduction_rate * taxable))
    )


def _taxes(
    rules: Rules,
    r: RegimeRules,
    earned: float,
    gross_dividends: float,
    dividend_tax: str,
    household: str,
    children: int,
) -> tuple[float, float]:
    """Return the household's income tax and the part of it due to the dividends."""
    without = income_tax(rules, earned, household, children)
    if gross_dividends <= 0:
        return without, 0.0
    if dividend_tax == "pfu":
        flat = r.flat_tax_rate * gross_dividends
        return without + flat, flat
    scale = gross_dividends * (1 - r.scale_allowance - r.deductible_csg)
    total = income_tax(rules, earned + scale, household, children)
    return total, total - without


def _distributable(r: RegimeRules, left: float) -> tuple[float, float]:
    """Return the corporate tax on the profit left in a company, and the dividends it can pay."""
    cit = corporate_tax(r, max(left, 0.0))
    return cit, max(left - cit, 0.0)


def _dividends(gross: float, social: float, tax: float) -> Dividends | None:
    return Dividends(gross, social, tax, gross - social - tax) if gross > 0 else None


# --------------------------------------------------------------------- statuses


def _acre(r: RegimeRules, options: Options) -> AcreRules | None:
    return load_acre_rules(r.year) if options.acre else None


def _self_employed(
    rules: Rules,
    r: RegimeRules,
    status: str,
    turnover: float,
    expenses: float,
    household: str,
    children: int,
    options: Options = DEFAULTS,
) -> Breakdown:
    profit = turnover - expenses
    income, tns = tns_income(r, profit, _acre(r, options))
    tax = income_tax(rules, max(income, 0.0), household, children)
    return Breakdown(
        status,
        turnover,
        expenses,
        tns.total,
        0.0,
        None,
        None,
        profit,
        tax,
        profit - tns.total - tax,
        tns_base=income,
    )


def _eurl_is(
    rules: Rules,
    r: RegimeRules,
    turnover: float,
    expenses: float,
    household: str,
    children: int,
    share: float,
    options: Options,
) -> Breakdown:
    profit = turnover - expenses
    pay = share * max(profit, 0.0)
    acre = _acre(r, options)
    income, tns = tns_income(r, pay, acre)
    left = profit - pay
    cit, gross = _distributable(r, left)
    # Above 10% of the capital, dividends join the TNS base instead of bearing the levies.
    levied = min(gross, r.tns_dividend_threshold * options.capital)
    excess = gross - levied
    levies = r.social_levies * levied
    contributions = tns.total
    if excess > 0:
        contributions = tns_contributions(r, income + excess, acre).total
    social = levies + contributions - tns.total
    earned = max(income, 0.0)
    earned -= salary_deduction(r, earned)
    tax, dividend_tax = _taxes(rules, r, earned, gross, options.dividend_tax, household, children)
    # A loss stays to be funded by the person, as it would be under an EI.
    return Breakdown(
        "eurl-is",
        turnover,
        expenses,
        contributions,
        cit,
        _dividends(gross, social, dividend_tax),
        share,
        pay,
        tax,
        pay - tns.total + gross - social - tax + min(left, 0.0),
        dividend_levies=levies,
        tns_base=income + max(excess, 0.0),
    )


def _sasu(
    rules: Rules,
    r: RegimeRules,
    turnover: float,
    expenses: float,
    household: str,
    children: int,
    share: float,
    options: Options,
) -> Breakdown:
    profit = turnover - expenses
    pay = salary_for_cost(r, share * max(profit, 0.0), _acre(r, options))
    cost = pay.gross + pay.employer
    left = profit - cost
    cit, gross = _distributable(r, left)
    levies = r.social_levies * gross
    earned = pay.taxable - salary_deduction(r, pay.taxable)
    tax, dividend_tax = _taxes(rules, r, earned, gross, options.dividend_tax, household, children)
    return Breakdown(
        "sasu",
        turnover,
        expenses,
        pay.employer + pay.employee,
        cit,
        _dividends(gross, levies, dividend_tax),
        share,
        cost,
        tax,
        pay.net + gross - levies - tax + min(left, 0.0),
        dividend_levies=levies,
        salary=pay,
    )


def _portage(
    rules: Rules,
    r: RegimeRules,
    turnover: float,
    expenses: float,
    household: str,
    children: int,
    options: Options,
) -> Breakdown:
    fee_rate = rules.portage_fee_default if options.portage_fee is None else options.portage_fee
    share = options.portage_net_share
    if share is None:
        # As income.prepare: the typical net share of turnover, over what the fee leaves.
        low, high = rules.portage_net_share_of_turnover
        share = (low + high) / 2 / (1 - rules.portage_fee_default)
    fee = turnover * fee_rate
    left = turnover - fee - expenses
    net_salary = left * share if left > 0 else left  # a shortfall is the person's, whole
    # Taxable and gross over net as for a general-scheme salary of the same employer cost.
    reference = salary_for_cost(r, left)
    ratio = reference.taxable / reference.net if reference.net > 0 else 1.0
    taxable = max(net_salary, 0.0) * ratio
    tax = income_tax(rules, taxable - salary_deduction(r, taxable), household, children)
    gross = max(net_salary, 0.0) * (reference.gross / reference.net if reference.net > 0 else 1.0)
    pay = Salary(gross, max(left - gross, 0.0), gross - max(net_salary, 0.0), net_salary, taxable)
    return Breakdown(
        "portage",
        turnover,
        expenses,
        left - net_salary,
        0.0,
        None,
        None,
        left,
        tax,
        net_salary - tax,
        fee=fee,
        salary=pay,
    )


def breakdown(
    rules: Rules,
    status: str,
    turnover: float,
    expenses: float = 0.0,
    household: str = "single",
    children: int = 0,
    options: Options = DEFAULTS,
) -> Breakdown:
    """Return where a year's turnover goes under a status (inputs are trusted, already checked).

    Without a salary share, eurl-is pays all profit as remuneration and sasu takes its best split.
    """
    r = load_regime_rules(rules.year)
    if status in ("ei", "eurl-ir"):
        return _self_employed(rules, r, status, turnover, expenses, household, children, options)
    if status == "eurl-is":
        share = 1.0 if options.salary_share is None else options.salary_share
        return _eurl_is(rules, r, turnover, expenses, household, children, share, options)
    if status == "sasu":
        if options.salary_share is None:
            return best_split(rules, "sasu", turnover, expenses, household, children, options)
        return _sasu(
            rules, r, turnover, expenses, household, children, options.salary_share, options
        )
    if status == "portage":
        return _portage(rules, r, turnover, expenses, household, children, options)
    raise ValueError(f"unknown status {status!r}")


GRID = 21  # salary shares tried before the bounded refinement


def best_split(
    rules: Rules,
    status: str,
    turnover: float,
    expenses: float = 0.0,
    household: str = "single",
    children: int = 0,
    options: Options = DEFAULTS,
) -> Breakdown:
    """Return the breakdown at the salary share that nets most (grid, then a bounded search).

    The net is not concave in the share (tax brackets, the corporate tax's two rates), so a
    grid finds the best region and a golden-section search refines inside it.
    """
    if status not in SPLIT_REGIMES:
        raise ValueError(f"{status!r} has no salary share")
    r = load_regime_rules(rules.year)
    run = _sasu if status == "sasu" else _eurl_is

    def at(share: float) -> Breakdown:
        return run(rules, r, turnover, expenses, household, children, share, options)

    tried = [at(i / (GRID - 1)) for i in range(GRID)]
    best = max(tried, key=lambda b: b.net)
    step = 1 / (GRID - 1)
    share = best.salary_share
    assert share is not None, "a split status's breakdown always has its salary share"
    low, high = max(0.0, share - step), min(1.0, share + step)
    refined = at(golden_maximum(lambda share: at(share).net, low, high, xtol=1e-5))
    return refined if refined.net > best.net else best
