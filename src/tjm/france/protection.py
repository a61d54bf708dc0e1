"""What a year's contributions buy under a status: retirement quarters and points, daily sick
pay, death capital, invalidity pension, unemployment cover.

Pure: a status's breakdown and the year's rules in, a frozen Protection out. The formulas are
modele-social's `protection sociale . …` rules (tests/fixtures/modele-social-protection-*.json);
portage, which modele-social does not model, takes the salaried rules on its estimated gross.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from tjm.france.regimes import Breakdown
from tjm.france.rules import (
    ProtectionRules,
    RegimeRules,
    Rules,
    load_acre_rules,
    load_protection_rules,
    load_regime_rules,
)
from tjm.registry import STATUSES

MONTHLY_HOURS = 151.67  # the legal month's hours, for the monthly SMIC
SICK_PAY_MONTHS = 6  # the salaried test reads the contributions of the last 6 months


class Protection(NamedTuple):
    """What the year's contributions buy. Money is EUR; None where the status has no such
    cover (no sick pay, hence no waiting days)."""

    status: str
    quarters: int  # base-pension quarters validated in the year, 0–4
    pension_income: float  # the income counted for the base pension, capped at PASS
    points: float  # complementary pension points earned in the year
    scheme: str  # whose points: rci, agirc-arrco or cipav
    point_value: float  # EUR a year of pension per point (the scheme's service value)
    sick_pay: float  # daily sick pay, EUR a day (0: none)
    waiting_days: int | None  # days without sick pay at the start of each stoppage
    qualifying_months: int | None  # months of affiliation before sick pay is due
    death_capital: float  # paid to the relatives, EUR
    invalidity: float  # total-invalidity pension (2nd category), EUR a month
    unemployment: str | None  # are (unemployment insurance), ati (flat allowance), None

    @property
    def covered(self) -> bool:
        """Return True when the status pays into unemployment insurance."""
        return self.unemployment == "are"


def _quarters(p: ProtectionRules, income: float) -> int:
    quarter = p.quarter_hours * p.smic_hourly_january
    return int(min(p.max_quarters, math.floor(max(income, 0.0) / quarter + 1e-9)))


def _independent_sick_pay(p: ProtectionRules, raam: float) -> float:
    return raam / p.sick_pay_divisor if raam > p.sick_pay_threshold * p.pss else 0.0


def _independent(
    p: ProtectionRules,
    status: str,
    quarters: int,
    pension_income: float,
    points: float,
    scheme: str,
    point_value: float,
    raam: float,
    average_income: float,
) -> Protection:
    """Return an independent's protection (TNS or micro) from its incomes."""
    sick_pay = _independent_sick_pay(p, raam)
    eligible = average_income > p.sick_pay_threshold * p.pss
    invalidity = (
        max(p.invalidity_total_rate * average_income / 12, p.invalidity_minimum_independent)
        if eligible
        else 0.0
    )
    return Protection(
        status,
        quarters,
        pension_income,
        points,
        scheme,
        point_value,
        sick_pay,
        p.waiting_days if sick_pay > 0 else None,
        p.independent_qualifying_months if sick_pay > 0 else None,
        p.death_capital_independent * p.pss if eligible else 0.0,
        invalidity,
        STATUSES[status].unemployment,
    )


def _micro(rules: Rules, p: ProtectionRules, result: Breakdown, acre: bool) -> Protection:
    turnover, pss = result.turnover, p.pss
    abated = turnover * (1 - rules.allowance_rate)  # without the 305 EUR minimum allowance
    taxable = turnover - min(
        turnover, max(turnover * rules.allowance_rate, rules.allowance_minimum)
    )
    if result.status == "micro-bnc-cipav":
        quarters = int(min(p.max_quarters, math.floor(turnover / p.cipav_quarter_turnover)))
        # ACRE lowers the CIPAV micro's rate, and with it the points it buys.
        rate = load_acre_rules(rules.year).cipav_rate if acre else rules.cipav_rate
        points = round(turnover * rate * p.cipav_complementary_share / p.cipav_purchase_value)
        raam = min(taxable, p.cipav_sick_pay_cap * pss)
        return _independent(
            p,
            result.status,
            quarters,
            min(abated, pss),
            points,
            "cipav",
            p.cipav_service_value,
            raam,
            min(abated, pss),
        )
    # RCI points are bought by the contributions without ACRE (modele-social's rule).
    share = turnover * rules.contribution_rate * p.micro_complementary_share
    return _independent(
        p,
        result.status,
        _quarters(p, min(abated, pss)),
        min(abated, pss),
        round(share / p.rci_purchase_value),
        "rci",
        p.rci_service_value,
        min(taxable, pss),
        min(abated, pss),
    )


def _tns(r: RegimeRules, p: ProtectionRules, result: Breakdown) -> Protection:
    s, pss = r.ssi, p.pss
    base = result.tns_base or 0.0
    positive = max(base, 0.0)
    # The income counted is the base-pension contribution (rounded to the euro, as
    # modele-social rounds it) over its rate: at the minimum base of 450 hours of SMIC the
    # rounding can leave it a hair under three quarters, and modele-social then counts two.
    assessed = max(positive, s.pension_minimum_base)
    contribution = round(
        s.pension_base_rate * min(assessed, pss)
        + s.pension_base_rate_above * max(0, assessed - pss)
    )
    pension_income = min(contribution / s.pension_base_rate, pss)
    ceiling = s.pension_complementary_ceiling
    rci = s.pension_complementary_rate * min(
        positive, ceiling
    ) + s.pension_complementary_rate_above * max(
        0.0, min(positive, s.pension_complementary_cap * pss) - ceiling
    )
    raam = min(max(positive, p.sick_pay_minimum_base * pss), pss)
    average = min(max(positive, p.invalidity_minimum_base * pss), pss)
    return _independent(
        p,
        result.status,
        _quarters(p, pension_income),
        pension_income,
        round(rci / p.rci_purchase_value),
        "rci",
        p.rci_service_value,
        raam,
        average,
    )


def _salaried(r: RegimeRules, p: ProtectionRules, result: Breakdown) -> Protection:
    pss = p.pss
    gross = 0.0 if result.salary is None else max(result.salary.gross, 0.0)
    capped = min(gross, pss)
    complementary = sum(
        (c.employer + c.employee)
        * (capped if c.base == "t1" else max(0.0, min(gross, 8 * pss) - pss))
        for c in r.salary.contributions
        if c.name.startswith("retraite complémentaire")
    )
    points = complementary / p.agirc_arrco_call_rate / p.agirc_arrco_purchase_value
    monthly = gross / 12
    eligible = gross / 12 * SICK_PAY_MONTHS > p.salaried_sick_pay_hours * p.smic_hourly
    sick_pay = 0.0
    months = None
    if eligible:
        cap = p.salaried_sick_pay_cap_smic * p.smic_hourly * MONTHLY_HOURS
        sick_pay = p.salaried_sick_pay_rate * min(monthly, cap) * 12 / 365
        months = round(p.salaried_sick_pay_hours * p.smic_hourly / monthly + 0.5)
    invalidity = p.invalidity_total_rate * capped / 12
    if gross >= p.invalidity_minimum_hours * p.smic_hourly:
        invalidity = max(invalidity, p.invalidity_minimum_salaried)
    return Protection(
        result.status,
        _quarters(p, capped),
        capped,
        points,
        "agirc-arrco",
        p.agirc_arrco_service_value,
        sick_pay,
        p.waiting_days if sick_pay > 0 else None,
        months,
        p.death_capital_salaried,
        invalidity,
        STATUSES[result.status].unemployment,
    )


def protection(rules: Rules, result: Breakdown, acre: bool = False) -> Protection | None:
    """Return what a status's year buys; None for a status whose cover tjm does not know
    (custom)."""
    scheme = STATUSES[result.status].scheme
    p = load_protection_rules(rules.year)
    if scheme in ("micro", "micro-cipav"):
        return _micro(rules, p, result, acre)
    if scheme == "tns":
        return _tns(load_regime_rules(rules.year), p, result)
    if scheme in ("salaried", "portage"):
        return _salaried(load_regime_rules(rules.year), p, result)
    return None
