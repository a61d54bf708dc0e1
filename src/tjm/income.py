"""The cost side: billable days, French statuses, yearly net, and the floor day rate."""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from functools import cache
from importlib import resources
from typing import NamedTuple

from tjm.benchmarks import BillableDays
from tjm.errors import DataError
from tjm.inputs import MAX_FLOOR, MICRO, IncomeInputs, available_years, status_of, week_share


class Bracket(NamedTuple):
    start: float
    rate: float


class Rules(NamedTuple):
    """One year's French rules, each figure as read from data/fr-YEAR.toml."""

    year: int
    contribution_rate: float
    cipav_rate: float
    cfp_rate: float
    vl_rate: float
    vl_limit: float
    turnover_ceiling: float
    vat_threshold: float
    allowance_rate: float
    allowance_minimum: float
    brackets: tuple[Bracket, ...]
    decote_single: float
    decote_couple: float
    decote_rate: float
    half_share_cap: float
    scale_note: str
    portage_fee_default: float
    portage_net_share_of_turnover: tuple[float, float]
    sources: dict[str, str]  # figure -> source id


class Days(NamedTuple):
    working: float
    holidays: float | None  # None when a total was given instead of the parts
    sick: float | None
    non_billable: float | None
    total: float


class Floor(NamedTuple):
    """The lowest day rate whose yearly net reaches the target, and where the money goes."""

    rate: float
    turnover: float
    contributions: float
    income_tax: float
    expenses: float
    net: float
    target_net: float
    days: Days
    year: int
    status: str
    warnings: tuple[str, ...]


# ------------------------------------------------------------------------ rules


@cache
def load_rules(year: int) -> Rules:
    """Read and check data/fr-YEAR.toml."""
    name = f"fr-{year}.toml"
    doc = tomllib.loads((resources.files("tjm.data") / name).read_text(encoding="utf-8"))
    try:
        micro, tax, portage = doc["micro"], doc["income_tax"], doc["portage"]
        sources = {key[: -len("_source")]: value for key, value in micro.items()
                   if key.endswith("_source")}
        sources.update(income_tax=tax["source"], portage=portage["source"])
        for key, source in sources.items():
            if source not in doc["sources"]:
                raise DataError(f"{name}: {key}: unknown source {source!r}")
        brackets = tuple(Bracket(float(b["from"]), float(b["rate"])) for b in tax["brackets"])
        if [b.start for b in brackets] != sorted(b.start for b in brackets) or \
                brackets[0].start != 0:
            raise DataError(f"{name}: income_tax.brackets: expected rising starts from 0")
        low, high = portage["net_share_of_turnover"]
        return Rules(
            year=doc["rules"]["year"], contribution_rate=micro["contribution_rate"],
            cipav_rate=micro["cipav_rate"], cfp_rate=micro["cfp_rate"],
            vl_rate=micro["versement_liberatoire_rate"],
            vl_limit=micro["versement_liberatoire_limit"],
            turnover_ceiling=micro["turnover_ceiling"], vat_threshold=micro["vat_threshold"],
            allowance_rate=micro["allowance_rate"], allowance_minimum=micro["allowance_minimum"],
            brackets=brackets, decote_single=tax["decote_single"],
            decote_couple=tax["decote_couple"], decote_rate=tax["decote_rate"],
            half_share_cap=tax["half_share_cap"], scale_note=tax["scale_note"],
            portage_fee_default=portage["fee_default"],
            portage_net_share_of_turnover=(low, high), sources=sources,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"{name}: missing or malformed figure: {exc}") from None


def pick_year(year: int | None, today: dt.date) -> tuple[int, list[str]]:
    """Return the year to use and any warning: the given one, this year, else the latest."""
    years = available_years()
    if year is not None:
        return year, []
    if today.year in years:
        return today.year, []
    latest = years[-1]
    return latest, [f"No rules for {today.year} yet; the {latest} rules are used."]


# ------------------------------------------------------------------------- days


def billable_days(inputs: IncomeInputs, model: BillableDays) -> Days:
    """Return the days breakdown: a given total, or working days minus each kind of day off.

    With fewer days a week, the model's working days and its default days off scale in
    proportion; days off the user gives are taken as given (days they would have worked).
    """
    if inputs.days is not None:
        return Days(model.working_days, None, None, None, inputs.days)
    scale = week_share(inputs)
    holidays = model.holidays * scale if inputs.holidays is None else inputs.holidays
    sick = model.sick_days * scale if inputs.sick is None else inputs.sick
    non_billable = (model.non_billable_days * scale if inputs.non_billable is None
                    else inputs.non_billable)
    working = model.working_days * scale
    total = working - holidays - sick - non_billable
    return Days(working, holidays, sick, non_billable, total)


# ----------------------------------------------------------------- the statuses


def tax_shares(household: str, children: int) -> float:
    """Return the household's tax shares: 1 or 2, plus 0.5 for each of the first two
    children and 1 for each further child."""
    base = 2.0 if household == "couple" else 1.0
    return base + 0.5 * min(children, 2) + 1.0 * max(children - 2, 0)


def scale_tax(rules: Rules, income_per_share: float) -> float:
    """Return the progressive-scale tax on one share's income."""
    tax = 0.0
    bounds = [*rules.brackets[1:], Bracket(math.inf, 0.0)]
    for bracket, upper in zip(rules.brackets, bounds, strict=True):
        if income_per_share > bracket.start:
            tax += (min(income_per_share, upper.start) - bracket.start) * bracket.rate
    return tax


def income_tax(rules: Rules, taxable: float, household: str, children: int) -> float:
    """Return the income tax: quotient familial with its cap per extra half-share, then
    the décote. The freelance income is taken as the household's only income."""
    base_shares = 2.0 if household == "couple" else 1.0
    shares = tax_shares(household, children)
    with_children = shares * scale_tax(rules, taxable / shares)
    without = base_shares * scale_tax(rules, taxable / base_shares)
    extra_half_shares = (shares - base_shares) * 2
    tax = max(with_children, without - rules.half_share_cap * extra_half_shares)
    threshold = rules.decote_couple if household == "couple" else rules.decote_single
    decote = min(tax, max(0.0, threshold - rules.decote_rate * tax))
    return tax - decote


class Situation(NamedTuple):
    """Everything but the rate that the yearly net depends on, checked once."""

    rules: Rules
    status: str
    days: Days
    expenses: float
    household: str
    children: int
    versement_liberatoire: bool
    portage_fee: float  # fractions from here on
    portage_net: float
    charges_rate: float
    channel_fee: float = 0.0  # share of turnover a sales channel bills back (Malt's fee)


def prepare(inputs: IncomeInputs, model_days: BillableDays, today: dt.date) -> tuple[Situation,
                                                                                      list[str]]:
    """Return the situation the income inputs describe (checked by tjm.inputs), with defaults."""
    status = status_of(inputs)
    year, warnings = pick_year(inputs.year, today)
    rules = load_rules(year)
    fee = rules.portage_fee_default if inputs.portage_fee is None else inputs.portage_fee / 100
    if inputs.portage_net is None:
        # The typical net share of turnover, restated as a share of what the fee leaves.
        low, high = rules.portage_net_share_of_turnover
        net_share = (low + high) / 2 / (1 - rules.portage_fee_default)
    else:
        net_share = inputs.portage_net / 100
    situation = Situation(
        rules=rules, status=status, days=billable_days(inputs, model_days),
        expenses=inputs.expenses or 0.0, household=inputs.household or "single",
        children=inputs.children or 0, versement_liberatoire=bool(inputs.versement_liberatoire),
        portage_fee=fee, portage_net=net_share,
        charges_rate=(inputs.charges_rate or 0.0) / 100,
    )
    return situation, warnings


class YearlyNet(NamedTuple):
    turnover: float
    contributions: float
    income_tax: float
    expenses: float
    net: float


def yearly_net(s: Situation, rate: float) -> YearlyNet:
    """Return where a year's turnover at this day rate goes, under the situation's status.

    A channel fee billed back to the freelancer (Malt's) counts with the expenses.
    """
    turnover = rate * s.days.total
    s = s._replace(expenses=s.expenses + turnover * s.channel_fee) if s.channel_fee else s
    tax = 0.0
    if s.status in MICRO:
        social = s.rules.cipav_rate if s.status == "micro-bnc-cipav" else s.rules.contribution_rate
        contributions = turnover * (social + s.rules.cfp_rate)
        if s.versement_liberatoire:
            tax = turnover * s.rules.vl_rate
        else:
            allowance = min(turnover, max(turnover * s.rules.allowance_rate,
                                          s.rules.allowance_minimum))
            tax = income_tax(s.rules, turnover - allowance, s.household, s.children)
        net = turnover - contributions - tax - s.expenses
    elif s.status == "portage":
        # Expenses are paid from what the fee leaves; the rest becomes salary.
        left = turnover * (1 - s.portage_fee) - s.expenses
        net = left * s.portage_net
        contributions = left - net + turnover * s.portage_fee
    else:
        contributions = turnover * s.charges_rate
        net = turnover - contributions - s.expenses
    return YearlyNet(turnover, contributions, tax, s.expenses, net)


def _warnings(s: Situation, result: YearlyNet) -> list[str]:
    found = []
    rules = s.rules
    if s.status in MICRO:
        if result.turnover > rules.turnover_ceiling:
            found.append(f"Turnover {result.turnover:,.0f} EUR is above the micro-entreprise "
                         f"ceiling of {rules.turnover_ceiling:,.0f} EUR: the micro regime is "
                         "lost.")
        if result.turnover > rules.vat_threshold:
            found.append(f"Turnover {result.turnover:,.0f} EUR is above the VAT exemption "
                         f"threshold of {rules.vat_threshold:,.0f} EUR: VAT must be charged.")
        if s.versement_liberatoire:
            taxable = result.turnover * (1 - rules.allowance_rate)
            per_share = taxable / tax_shares(s.household, s.children)
            if per_share > rules.vl_limit:
                found.append(f"Taxable income per share (~{per_share:,.0f} EUR) is above the "
                             f"versement libératoire limit of {rules.vl_limit:,.0f} EUR; you "
                             "are likely not eligible.")
        else:
            found.append(f"Income tax: {rules.scale_note} Your freelance income is taken as "
                         "the household's only income.")
    elif s.status == "portage":
        found.append("Portage: the net is salary before income tax, which is not computed.")
    else:
        found.append("Custom status: your charge rate is taken to cover contributions and tax.")
    return found


def solve_floor(s: Situation, target_net: float, extra_warnings: list[str] = ()) -> Floor:
    """Find the day rate whose yearly net reaches the target, rounded up to the next euro."""
    from scipy.optimize import brentq

    def shortfall(rate: float) -> float:
        return yearly_net(s, rate).net - target_net

    if shortfall(0.0) >= 0:
        rate = 0.0
    else:
        rate = math.ceil(brentq(shortfall, 0.0, MAX_FLOOR, xtol=1e-6))
        while shortfall(rate) < 0:  # the root may sit a hair under the whole euro
            rate += 1
    result = yearly_net(s, rate)
    return Floor(rate=float(rate), turnover=result.turnover, contributions=result.contributions,
                 income_tax=result.income_tax, expenses=result.expenses, net=result.net,
                 target_net=target_net, days=s.days, year=s.rules.year, status=s.status,
                 warnings=tuple([*extra_warnings, *_warnings(s, result)]))


def find_floor(inputs: IncomeInputs, target_net: float, model_days: BillableDays,
               today: dt.date, channel_fee: float = 0.0) -> Floor:
    """Return the floor rate that reaches `target_net` with these income inputs; a channel
    fee billed back to the freelancer counts as an expense."""
    situation, warnings = prepare(inputs, model_days, today)
    situation = situation._replace(channel_fee=channel_fee)
    return solve_floor(situation, target_net, warnings)


class Lever(NamedTuple):
    """One change that lowers the floor (or lifts the band), and by how much in EUR/day."""

    name: str  # days, status or positioning
    change: str
    effect: float


def floor_levers(s: Situation, target_net: float, reference_days: float) -> list[Lever]:
    """Return how much the floor falls with more billable days and with the best other status."""
    current = solve_floor(s, target_net).rate
    levers = []
    if s.days.total < reference_days:
        more = s._replace(days=Days(s.days.working, None, None, None, reference_days))
        levers.append(Lever("days", f"bill {reference_days:g} days a year instead of "
                                    f"{s.days.total:g}",
                            current - solve_floor(more, target_net).rate))
    # CIPAV is for regulated professions only, so it is not offered as a way out.
    options = [s._replace(status="micro-bnc", versement_liberatoire=False),
               s._replace(status="micro-bnc", versement_liberatoire=True),
               s._replace(status="portage")]
    best = None
    for option in options:
        if (option.status, option.versement_liberatoire) == (s.status, s.versement_liberatoire):
            continue
        if yearly_net(option, MAX_FLOOR).net < target_net:
            continue  # out of reach under that status
        result = solve_floor(option, target_net)
        if any("not eligible" in w for w in result.warnings):
            continue
        rate = result.rate
        label = option.status + (" with the versement libératoire"
                                 if option.versement_liberatoire else "")
        if best is None or rate < best[0]:
            best = (rate, label)
    if best is not None:
        levers.append(Lever("status", f"switch to {best[1]}", current - best[0]))
    return levers
