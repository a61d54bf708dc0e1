"""The cost side: billable days, French statuses, yearly net, and the floor day rate."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import NamedTuple

from tjm.dataset.records import BillableDays
from tjm.fields import MAX_FLOOR, MICRO
from tjm.france.costs import NO_COSTS, CompanyCosts, CostInputs, company_costs, cost_steps
from tjm.france.protection import Protection, protection
from tjm.france.regimes import REGIMES, Breakdown, Options, breakdown
from tjm.france.roots import first_whole
from tjm.france.rules import (
    Rules,
    income_tax,
    load_acre_rules,
    load_regime_rules,
    load_rules,
    pick_year,
    tax_shares,
)
from tjm.i18n import _
from tjm.i18n.formats import after_colon, format_money, format_percent, format_short
from tjm.inputs import IncomeInputs, status_of, week_share
from tjm.notices import Notice
from tjm.registry import STATUSES, status_short

YearlyNet = Breakdown  # where a year's turnover goes, under any status
# The statuses a floor's levers suggest trying (see tjm.registry).
CHOICES = tuple(s.id for s in STATUSES.values() if s.suggested)


class Days(NamedTuple):
    working: float
    holidays: float | None  # None when a total was given instead of the parts
    sick: float | None
    non_billable: float | None
    total: float


class Floor(NamedTuple):
    """The lowest day rate whose yearly net reaches the target, and where the money goes."""

    rate: float
    result: YearlyNet  # where the turnover goes at that rate
    target_net: float
    days: Days
    year: int
    warnings: tuple[Notice, ...]
    share_from: str | None = None  # where result.salary_share came from: given, default, searched
    available: bool = True  # False for a micro floor that the two-year ceiling rule closes
    costs: CompanyCosts | None = None  # the company's own costs, counted in the expenses
    protection: Protection | None = None  # what the year's contributions buy
    closed: Floor | None = None  # the closed micro floor the headline replaces


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
    non_billable = (
        model.non_billable_days * scale if inputs.non_billable is None else inputs.non_billable
    )
    # Rounded to the micro-day, so that 4/5 of a year shows as 143.2, not 143.20000000000002.
    holidays, sick, non_billable = (round(d, 6) for d in (holidays, sick, non_billable))
    working = round(model.working_days * scale, 6)
    total = round(working - holidays - sick - non_billable, 6)
    return Days(working, holidays, sick, non_billable, total)


# ----------------------------------------------------------------- the statuses


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
    salary_share: float | None = None  # None: eurl-is pays all, sasu takes its best split
    dividend_tax: str = "pfu"
    capital: float = 1000.0
    channel_fee: float = 0.0  # share of turnover a sales channel bills back (Malt's fee)
    # The same fee while the freelancer is under the VAT franchise (Malt's, VAT included);
    # None: the same fee either way.
    channel_fee_franchise: float | None = None
    acre: bool = False  # the first year, with ACRE
    over_ceiling_last_year: bool = False  # last year's turnover was over the micro ceiling
    costs: CostInputs = NO_COSTS  # the company costs the user gave


def prepare(
    inputs: IncomeInputs, model_days: BillableDays, today: dt.date
) -> tuple[Situation, list[Notice]]:
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
        rules=rules,
        status=status,
        days=billable_days(inputs, model_days),
        expenses=inputs.expenses or 0.0,
        household=inputs.household or "single",
        children=inputs.children or 0,
        versement_liberatoire=bool(inputs.versement_liberatoire),
        portage_fee=fee,
        portage_net=net_share,
        charges_rate=(inputs.charges_rate or 0.0) / 100,
        salary_share=None if inputs.salary_share is None else inputs.salary_share / 100,
        dividend_tax=inputs.dividend_tax or "pfu",
        capital=1000.0 if inputs.capital is None else inputs.capital,
        acre=bool(inputs.acre),
        over_ceiling_last_year=bool(inputs.over_ceiling_last_year),
        costs=CostInputs(
            inputs.accountant,
            inputs.cfe,
            inputs.bank,
            inputs.insurance,
            inputs.creation_costs,
            inputs.legal_costs,
        ),
    )
    return situation, warnings


def in_vat_franchise(s: Situation, turnover: float) -> bool:
    """Return True when a year's turnover keeps the VAT franchise this year: up to the higher
    threshold (above the base one, VAT is due from next 1 January). A portage company
    invoices, so its consultant is never under it."""
    return s.status not in ("portage", "custom") and turnover <= s.rules.vat_tolerance


def channel_share(s: Situation, turnover: float) -> float:
    """Return the share of turnover the channel bills back at this turnover: its VAT-included
    fee under the VAT franchise, else its fee."""
    if s.channel_fee_franchise is not None and in_vat_franchise(s, turnover):
        return s.channel_fee_franchise
    return s.channel_fee


def costs_at(s: Situation, turnover: float) -> CompanyCosts:
    """Return the status's company costs at a turnover (none in ACRE's first year for CFE)."""
    return company_costs(s.rules.year, s.status, turnover, s.costs, first_year=s.acre)


def yearly_net(s: Situation, rate: float) -> Breakdown:
    """Return where a year's turnover at this day rate goes, under the situation's status.

    The one entry point for every status: the floor solver, the levers, batch and the
    status comparison all use it, so every status's net is after income tax. The company's
    own costs and a channel fee billed back to the freelancer (Malt's) count with the
    expenses.
    """
    turnover = float(rate) * s.days.total
    extra = costs_at(s, turnover).total + turnover * channel_share(s, turnover)
    s = s._replace(expenses=s.expenses + extra) if extra else s
    if s.status in REGIMES:
        return breakdown(
            s.rules,
            s.status,
            turnover,
            s.expenses,
            s.household,
            s.children,
            Options(
                s.salary_share, s.dividend_tax, s.capital, s.portage_fee, s.portage_net, s.acre
            ),
        )
    tax = 0.0
    if s.status in MICRO:
        social = micro_rate(s)
        contributions = turnover * (social + s.rules.cfp_rate)
        if s.versement_liberatoire:
            tax = turnover * s.rules.vl_rate
        else:
            allowance = min(
                turnover, max(turnover * s.rules.allowance_rate, s.rules.allowance_minimum)
            )
            tax = income_tax(s.rules, turnover - allowance, s.household, s.children)
    else:  # custom: the user's charge rate covers contributions and tax
        contributions = turnover * s.charges_rate
    net = turnover - contributions - tax - s.expenses
    return Breakdown(
        s.status,
        turnover,
        s.expenses,
        contributions,
        0.0,
        None,
        None,
        turnover - s.expenses,
        tax,
        net,
    )


def micro_rate(s: Situation) -> float:
    """Return a micro status's contribution rate (before the CFP), ACRE's in its first year."""
    if s.status == "micro-bnc-cipav":
        return load_acre_rules(s.rules.year).cipav_rate if s.acre else s.rules.cipav_rate
    share = load_acre_rules(s.rules.year).micro_share_paid if s.acre else 1.0
    return s.rules.contribution_rate * share


def above_ceiling(s: Situation, result: Breakdown) -> bool:
    """Return True when a micro turnover is above the micro-entreprise ceiling."""
    return s.status in MICRO and result.turnover > s.rules.turnover_ceiling


def micro_closed(s: Situation, result: Breakdown) -> bool:
    """Return True when the micro regime is lost: over the ceiling a second consecutive year.

    One year over it is allowed (BOI-BNC-DECLA-10-10: both previous years must exceed it).
    """
    return above_ceiling(s, result) and s.over_ceiling_last_year


def vl_ineligible(s: Situation, result: Breakdown) -> float | None:
    """Return the taxable income per share when it bars the versement libératoire, else None."""
    if s.status not in MICRO or not s.versement_liberatoire:
        return None
    per_share = (
        result.turnover
        * (1 - s.rules.allowance_rate)
        / tax_shares(s.rules, s.household, s.children)
    )
    return per_share if per_share > s.rules.vl_limit else None


def as_status(s: Situation, status: str) -> Situation:
    """Return the situation under another status, with that status's default options."""
    same = status == s.status or (status in MICRO and s.status in MICRO)
    return s._replace(
        status=status,
        versement_liberatoire=s.versement_liberatoire and same,
        salary_share=s.salary_share if status == s.status else None,
    )


def share_note(s: Situation, result: Breakdown) -> str | None:
    """Return how a split status pays the person, e.g. 'best at 38% salary, the rest as
    dividends'."""
    if s.status not in ("eurl-is", "sasu") or result.salary_share is None:
        return None
    share = format_percent(result.salary_share)
    salary = s.status == "sasu"
    if result.salary_share >= 1:
        if salary:
            return _("all profit as salary, no dividends")
        return _("all profit as remuneration, no dividends")
    if s.salary_share is None and salary:
        return _("best at {share} salary, the rest as dividends").format(share=share)
    if salary:
        return _("{share} salary, the rest as dividends").format(share=share)
    return _("{share} remuneration, the rest as dividends").format(share=share)


def share_label(s: Situation, result: Breakdown) -> str | None:
    """Return share_note's first half, which names the split: 'best at 38% salary'."""
    if s.status not in ("eurl-is", "sasu") or result.salary_share is None:
        return None
    share = format_percent(result.salary_share)
    salary = s.status == "sasu"
    if result.salary_share >= 1:
        return _("all profit as salary") if salary else _("all profit as remuneration")
    if s.salary_share is None and salary:
        return _("best at {share} salary").format(share=share)
    if salary:
        return _("{share} salary").format(share=share)
    return _("{share} remuneration").format(share=share)


def _warnings(s: Situation, result: Breakdown) -> list[Notice]:
    found = []
    rules = s.rules
    turnover = format_money(result.turnover)
    if micro_closed(s, result):
        message = _(
            "Turnover {turnover} is above the micro-entreprise ceiling of {ceiling} for a "
            "second year running: the micro regime is lost."
        )
        ceiling = format_money(rules.turnover_ceiling)
        found.append(
            Notice("micro-ceiling-lost", message.format(turnover=turnover, ceiling=ceiling))
        )
    elif above_ceiling(s, result):
        message = _(
            "Turnover {turnover} is above the micro-entreprise ceiling of {ceiling}: allowed "
            "this year, the micro regime is lost after two consecutive years over it "
            "(--over-ceiling-last-year)."
        )
        ceiling = format_money(rules.turnover_ceiling)
        found.append(Notice("micro-ceiling", message.format(turnover=turnover, ceiling=ceiling)))
    # The VAT franchise (franchise en base) is any business's, not portage's: the portage
    # company invoices.
    if s.status not in ("portage", "custom") and result.turnover > rules.vat_threshold:
        threshold, tolerance = format_money(rules.vat_threshold), format_money(rules.vat_tolerance)
        if in_vat_franchise(s, result.turnover):
            message = _(
                "Turnover {turnover} is above the VAT franchise threshold of {threshold} but "
                "not {tolerance}: no VAT this year, VAT from next 1 January."
            )
            code = "vat-tolerance"
        else:
            message = _(
                "Turnover {turnover} is above the VAT franchise's higher threshold of "
                "{tolerance}: VAT must be charged from the day it is crossed."
            )
            code = "vat-threshold"
        found.append(
            Notice(
                code,
                message.format(turnover=turnover, threshold=threshold, tolerance=tolerance),
            )
        )
    if s.acre:
        found.append(Notice("acre", _acre_note(s)))
    per_share = vl_ineligible(s, result)
    if per_share is not None:
        message = _(
            "Taxable income per share (~{income}) is above the versement libératoire limit "
            "of {limit}; you are likely not eligible."
        )
        found.append(
            Notice(
                "vl-ineligible",
                message.format(income=format_money(per_share), limit=format_money(rules.vl_limit)),
            )
        )
    if s.status == "custom":
        message = _("Custom status: your charge rate is taken to cover contributions and tax.")
        found.append(Notice("custom-charges", message))
    elif not (s.status in MICRO and s.versement_liberatoire):
        message = _(
            "Income tax: {scale_note} Your freelance income is taken as the household's "
            "only income."
        )
        found.append(
            Notice(
                "income-tax-estimate", message.format(scale_note=after_colon(_(rules.scale_note)))
            )
        )
    dividends = result.dividends
    levied = load_regime_rules(rules.year).tns_dividend_threshold
    if s.status == "eurl-is" and dividends is not None and dividends.gross > levied * s.capital:
        message = _(
            "Dividends above {share} of the {capital} capital bear self-employed "
            "contributions (CSS L131-6)."
        )
        found.append(
            Notice(
                "eurl-dividend-contributions",
                message.format(share=format_percent(levied), capital=format_money(s.capital)),
            )
        )
    return found


def _acre_note(s: Situation) -> str:
    """Return what ACRE does under the situation's status, the first year only."""
    acre = load_acre_rules(s.rules.year)
    if s.status == "micro-bnc" and acre.micro_share_paid_late != acre.micro_share_paid:
        return _(
            "ACRE, first year only: {paid} of the micro rate is paid ({late} for a business "
            "created from 1 July 2026); no CFE the year of creation."
        ).format(
            paid=format_percent(acre.micro_share_paid),
            late=format_percent(acre.micro_share_paid_late),
        )
    if s.status in MICRO:
        return _("ACRE, first year only: the micro rate is reduced; no CFE the year of creation.")
    if s.status in ("portage", "custom"):
        return _("ACRE does not apply to this status.")
    return _(
        "ACRE, first year only: {rate} of the exempted contributions up to 75% of PASS, "
        "falling to nothing at PASS; no CFE the year of creation."
    ).format(
        rate=format_percent(acre.tns_rate if s.status != "sasu" else acre.salaried_employer_rate)
    )


def solve_floor(
    s: Situation,
    target_net: float,
    extra_warnings: Sequence[Notice] = (),
    open_only: bool = False,
) -> Floor:
    """Find the lowest whole-euro day rate whose yearly net reaches the target.

    The target must be reachable below MAX_FLOOR (tjm.inputs checks it). A sasu without a
    salary share nets its best split at each rate, so this is the lowest floor of any split.
    A micro floor over the ceiling a second year running (the regime is lost) gives way to
    the lowest floor open, which becomes the headline, unless `open_only` (the search for
    that floor) is set.
    """
    nets: dict[float, Breakdown] = {}

    def reaches(rate: float) -> bool:
        nets[rate] = yearly_net(s, rate)
        return nets[rate].net >= target_net

    # A bisection on whole euros: the floor is the first that reaches the target.
    rate = 0 if reaches(0.0) else first_whole(reaches, 0.0, MAX_FLOOR)
    # The CFE steps up at its turnover bands, so a rate just past a band's edge can net less
    # than one under it: the floor is the rate from which every higher one reaches the
    # target. Between the edges the net rises with the rate, so each edge is checked once.
    for edge in cost_steps(s.rules.year) if s.days.total > 0 else ():
        past = math.floor(edge / s.days.total) + 1
        if rate < past <= MAX_FLOOR and not reaches(past):
            rate = first_whole(reaches, past, MAX_FLOOR)
    result = nets[rate]
    closed = micro_closed(s, result)
    warnings = [*extra_warnings, *_warnings(s, result)]
    floor = Floor(
        rate=float(rate),
        result=result,
        target_net=target_net,
        days=s.days,
        year=s.rules.year,
        warnings=tuple(warnings),
        share_from=_share_from(s),
        available=not closed,
        costs=costs_at(s, result.turnover),
        protection=protection(s.rules, result, s.acre),
    )
    if not closed or open_only:
        return floor
    best = lowest_open_floor(s, target_net)
    if best is None:
        message = _("No other status reaches the target either.")
        warnings.insert(len(extra_warnings) + 1, Notice("floor-regime-closed", message))
        return floor._replace(warnings=tuple(warnings))
    message = _(
        "The micro floor, {rate}/day, is for a regime you lose after two years over the "
        "ceiling; this is the lowest floor open to you, {status} (tjm statuses compares them "
        "all)."
    ).format(rate=format_money(rate), status=best[1])
    headline = solve_floor(best[2], target_net, open_only=True)
    return headline._replace(
        warnings=(
            *extra_warnings,
            Notice("floor-regime-closed", message),
            *headline.warnings,
        ),
        closed=floor,
    )


def _share_from(s: Situation) -> str | None:
    if s.status not in ("eurl-is", "sasu"):
        return None
    if s.salary_share is not None:
        return "given"
    return "searched" if s.status == "sasu" else "default"


def find_floor(
    inputs: IncomeInputs,
    target_net: float,
    model_days: BillableDays,
    today: dt.date,
    channel_fee: float = 0.0,
    channel_fee_franchise: float | None = None,
) -> Floor:
    """Return the floor rate that reaches `target_net` with these income inputs; a channel
    fee billed back to the freelancer counts as an expense (`channel_fee_franchise` while
    under the VAT franchise)."""
    situation, warnings = prepare(inputs, model_days, today)
    situation = situation._replace(
        channel_fee=channel_fee, channel_fee_franchise=channel_fee_franchise
    )
    return solve_floor(situation, target_net, warnings)


def reachable(s: Situation, target_net: float) -> bool:
    return yearly_net(s, MAX_FLOOR).net >= target_net


class Lever(NamedTuple):
    """One change that lowers the floor (or lifts the band), and by how much in EUR/day."""

    code: str  # more-days, switch-status or reposition (docs/codes.md)
    message: str  # the change, as an action: "bill 218 days a year instead of 179"
    effect: float


def lowest_open_floor(s: Situation, target_net: float) -> tuple[float, str, Situation] | None:
    """Return the lowest floor, its status's label and its situation, among the other
    statuses open at their floor turnover (every status of CHOICES, micro with and without
    the versement libératoire); None when none reaches the target."""
    options = [as_status(s, status) for status in CHOICES]
    options.insert(1, as_status(s, "micro-bnc")._replace(versement_liberatoire=True))
    best = None
    for option in options:
        if (option.status, option.versement_liberatoire) == (s.status, s.versement_liberatoire):
            continue
        if not reachable(option, target_net):
            continue  # out of reach under that status
        floor = solve_floor(option, target_net, open_only=True)
        result = yearly_net(option, floor.rate)
        if micro_closed(option, result) or vl_ineligible(option, result) is not None:
            continue  # not open at that turnover
        split = share_label(option, result)
        name = status_short(option.status)
        if option.versement_liberatoire:
            label = _("{status} with the versement libératoire").format(status=name)
        elif split is not None:
            label = _("{status} ({split})").format(status=name, split=split)
        else:
            label = name
        if best is None or floor.rate < best[0]:
            best = (floor.rate, label, option)
    return best


def floor_levers(s: Situation, target_net: float, reference_days: float) -> list[Lever]:
    """Return how much the floor falls with more billable days and with the best other status
    open at its floor. Where the floor itself is above the micro ceiling, more days keep it
    there and are not offered; the status lever may then raise the rate, to a regime one can
    use."""
    current = solve_floor(s, target_net, open_only=True)
    levers = []
    if s.days.total < reference_days:
        more = s._replace(days=Days(s.days.working, None, None, None, reference_days))
        floor = solve_floor(more, target_net, open_only=True)
        if floor.available:
            change = _("bill {days} days a year instead of {current}").format(
                days=format_short(reference_days), current=format_short(s.days.total)
            )
            levers.append(Lever("more-days", change, current.rate - floor.rate))
    best = lowest_open_floor(s, target_net)
    if best is not None:
        change = _("switch to {status}").format(status=best[1])
        levers.append(Lever("switch-status", change, current.rate - best[0]))
    return levers


class StatusRow(NamedTuple):
    """One status in the comparison: its floor (or the given rate), where the turnover goes,
    what it buys and what the company costs."""

    status: str
    rate: float | None  # the floor, or the given rate; None when the target is out of reach
    result: Breakdown | None  # None when the target is out of reach
    available: bool  # False where a ceiling rules the status out, or the target is out of reach
    note: str
    warnings: tuple[Notice, ...]
    costs: CompanyCosts | None = None
    protection: Protection | None = None


def _note(s: Situation, result: Breakdown) -> str:
    ceiling = format_money(s.rules.turnover_ceiling)
    if micro_closed(s, result):
        return _("over the {ceiling} micro ceiling a second year: the regime is lost").format(
            ceiling=ceiling
        )
    if above_ceiling(s, result):
        return _(
            "over the {ceiling} micro ceiling: allowed this year, lost after two years"
        ).format(ceiling=ceiling)
    allowance = format_percent(s.rules.allowance_rate)
    if s.status == "micro-bnc" and s.versement_liberatoire:
        return _(
            "contributions on the turnover, tax after a {allowance} allowance "
            "(versement libératoire)"
        ).format(allowance=allowance)
    if s.status == "micro-bnc":
        return _("contributions on the turnover, tax after a {allowance} allowance").format(
            allowance=allowance
        )
    if s.status == "micro-bnc-cipav":
        return _("micro, regulated liberal professions only (CIPAV)")
    if s.status == "ei":
        return _("self-employed contributions on the profit, then income tax")
    if s.status == "eurl-ir":
        return _("as an EI, inside a company")
    if s.status == "portage":
        return _("{fee} fee, {net} of the rest as salary").format(
            fee=format_percent(s.portage_fee), net=format_percent(s.portage_net, decimals=1)
        )
    if s.status == "custom":
        return _("your {rate} overall charge rate").format(rate=format_percent(s.charges_rate))
    return str(share_note(s, result))


SORTS = ("net", "protection")


def protection_key(row: StatusRow) -> tuple[float, ...]:
    """Return how much a status's year buys, most first: unemployment insurance, quarters,
    daily sick pay, the invalidity pension, the death capital, then the net."""
    p, r = row.protection, row.result
    if p is None or r is None:
        return (1.0,)
    return (
        0.0,
        -float(p.covered),
        -p.quarters,
        -round(p.sick_pay, 2),
        -round(p.invalidity, 2),
        -p.death_capital,
        -r.net,
    )


def compare_statuses(
    s: Situation,
    statuses: tuple[str, ...],
    target_net: float | None = None,
    rate: float | None = None,
    sort: str = "net",
) -> list[StatusRow]:
    """Return every status's floor for the target (cheapest first), or its net at the rate
    (most first), or with `sort` "protection" what each buys (most first); statuses a
    ceiling rules out, or that cannot reach the target, come last.

    Each status takes the situation's options that are its own (the salary share applies to
    eurl-is and sasu alike); the others ignore them.
    """
    rows = []
    for status in statuses:
        option = s._replace(status=status)
        if target_net is not None:
            if not reachable(option, target_net):
                note = _("cannot net {target} below {ceiling}/day").format(
                    target=format_money(target_net), ceiling=format_money(MAX_FLOOR)
                )
                rows.append(StatusRow(status, None, None, False, note, ()))
                continue
            at = solve_floor(option, target_net, open_only=True).rate
        elif rate is not None:
            at = rate
        else:
            raise ValueError("compare_statuses needs a target_net or a rate")
        result = yearly_net(option, at)
        rows.append(
            StatusRow(
                status,
                at,
                result,
                not micro_closed(option, result),
                _note(option, result),
                tuple(_warnings(option, result)),
                costs_at(option, result.turnover),
                protection(s.rules, result, s.acre),
            )
        )
    if sort == "protection":
        return sorted(rows, key=lambda r: (not r.available, protection_key(r)))
    if target_net is not None:
        return sorted(rows, key=lambda r: (not r.available, r.rate is None, r.rate or 0.0))
    # Every row has a result at a given rate: only an unreachable target leaves it None.
    return sorted(rows, key=lambda r: (not r.available, -r.result.net if r.result else 0.0))
