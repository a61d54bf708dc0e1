"""One quote: the model's rate for a freelancer, its band, breakdown, evidence and warnings,
and with a target net income the floor and what would lower it."""

from __future__ import annotations

import datetime as dt
import math
from typing import NamedTuple

from tjm.dataset.records import MODEL_SOURCE, Skill
from tjm.errors import DataError
from tjm.fields import NATIONAL
from tjm.france.income import Floor, Lever, floor_levers, prepare, solve_floor
from tjm.i18n import N_, _, pgettext
from tjm.i18n.formats import format_date, format_money, format_number, format_percent, format_short
from tjm.inputs import IncomeInputs, QuoteInputs
from tjm.market.band import MarketBand, Position, make_band, position_in
from tjm.market.cell_sources import CellSources, cell_sources
from tjm.market.fit import SHAPE, Premium
from tjm.market.model import (
    Model,
    best_tightness,
    default_model,
    model_for,
    open_band,
    price_rows,
    region_rates,
    round_rate,
    scarcity_multiplier,
    skill_premium,
)
from tjm.market.userdata import Realised, UserData
from tjm.notices import Notice


class Factor(NamedTuple):
    """One line of the breakdown: the rate after this factor, and why."""

    name: str
    multiplier: float | None  # None for the base, which is a rate, not a multiplier
    rate: float
    explanation: str
    source: str


class ThresholdComparison(NamedTuple):
    value: float
    delta: float  # target minus the mark
    rate_delta: float | None  # the user's rate minus the mark
    source: str


class Quote(NamedTuple):
    inputs: QuoteInputs
    target: float
    stretch: float
    band: MarketBand
    breakdown: tuple[Factor, ...]
    threshold: ThresholdComparison
    position: Position | None
    warnings: tuple[Notice, ...]
    dataset_version: str
    floor: Floor | None = None
    levers: tuple[Lever, ...] = ()  # set when the floor is above P75, biggest effect first
    evidence: Evidence | None = None
    user_effects: tuple[UserEffect, ...] = ()
    realised: Realised | None = None
    as_of: dt.date | None = None
    cell: CellSources | None = None  # what each source near the cell says for it
    premium: Premium | None = None  # the AI engineer's premium over the data scientist
    market_median: float | None = None  # the fitted median before any skill premium


class Evidence(NamedTuple):
    """The observations near a quote's cell: how many, their grades, the newest, thin or not."""

    count: int  # type: ignore[assignment]  # shadows tuple.count, which no caller needs
    grades: dict[str, int]
    newest: dt.date | None  # the newest data date among them; None when all are undated
    thin: bool  # no grade A or B figure whose data is within recent_years
    ids: tuple[str, ...]
    recent_years: float


class UserEffect(NamedTuple):
    """How much one user observation moves the quote's median."""

    id: str
    effect: float  # EUR/day: the median with it minus the median without it


def _months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def evidence(model: Model, inputs: QuoteInputs) -> Evidence:
    """Return what the quote rests on: the observations near its cell, graded and dated."""
    from tjm.market.observations import data_date, is_recent, nearby

    market = model.market
    near = nearby(market, inputs.role, inputs.years, inputs.region)
    grades = {g: sum(o.grade == g for o in near) for g in ("A", "B", "C")}
    dates = [d for d in (data_date(o, market) for o in near) if d is not None]
    thin = not any(is_recent(o, market, market.as_of) for o in near)
    return Evidence(
        len(near),
        grades,
        max(dates, default=None),
        thin,
        tuple(o.id for o in near),
        market.recent_years,
    )


def _warnings(model: Model, inputs: QuoteInputs, today: dt.date, ev: Evidence) -> list[Notice]:
    dataset, found = model.dataset, []
    if ev.count == 0:
        message = _(
            "No observation is near this quote (same role, nearby experience, same region); "
            "it rests on the fitted curve alone."
        )
        found.append(Notice("no-nearby-data", message))
    elif ev.newest is None:
        message = _(
            "None of the {count} observations near this quote is dated; rates may have moved "
            "since they were published."
        ).format(count=ev.count)
        found.append(Notice("undated-data", message))
    else:
        age = _months_between(ev.newest, today)
        if age > dataset.param("stale_after_months"):
            message = _(
                "The newest observation near this quote describes {date}, {age} months ago; "
                "rates have likely moved since."
            ).format(date=format_date(ev.newest), age=age)
            found.append(Notice("stale-data", message))
    if ev.thin:
        counted = ", ".join(f"{n} {g}" for g, n in ev.grades.items() if n)
        grades = counted or pgettext("empty list", "none")
        message = _(
            "thin data: no grade A or B observation from the last {years} years near this "
            "quote ({count} near it: {grades}); the band is widened (sigma {thin} instead of "
            "{sigma})."
        ).format(
            years=format_short(ev.recent_years),
            count=ev.count,
            grades=grades,
            thin=format_number(model.sigma_thin, decimals=3),
            sigma=format_number(model.sigma, decimals=3),
        )
        found.append(Notice("thin-data", message))
    last = open_band(dataset)
    if inputs.years >= last.min_years:
        message = _(
            "{years} years is in the data's open band ({band}), which has no upper edge: it is "
            "fitted at {top} years and the rate is held flat past that point."
        ).format(
            years=format_short(inputs.years),
            band=_(last.label),
            top=format_short(model.last_fitted_years),
        )
        found.append(Notice("open-band", message))
    return found


def skill_note(skill: Skill, elasticity: float, cap: float) -> str:
    """Return one skill's demand and supply, and the premium they give or why there is none."""
    demand = format_percent(skill.demand_growth, signed=True)
    supply = format_percent(skill.supply_growth, signed=True)
    if skill.trend == "scarcer":
        premium = skill_premium(skill.tightness, elasticity, cap)
        return _(
            "{skill}: scarcer: demand {demand} against supply {supply}; premium {premium}"
        ).format(
            skill=skill.id,
            demand=demand,
            supply=supply,
            premium=format_percent(premium, decimals=1, signed=True),
        )
    return _("{skill}: crowded: supply {supply} against demand {demand}; no premium").format(
        skill=skill.id, demand=demand, supply=supply
    )


def _clauses(parts: list[str]) -> str:
    # TRANSLATORS: between clauses of one explanation; French puts a no-break space before ";".
    return pgettext("clauses", "; ").join(parts)


def _breakdown(
    model: Model, inputs: QuoteInputs, components: dict[str, float]
) -> tuple[Factor, ...]:
    dataset = model.dataset
    role = dataset.roles[inputs.role]
    ref = model.reference_years
    base = components["base"]
    why = _(
        "{role}: the curve at {years} years, France (national mix), × role scale {scale}; one "
        "weighted fit over the observations as of {date}"
    ).format(
        role=_(role.label),
        years=format_short(ref),
        scale=format_number(components["scale"], decimals=3),
        date=format_date(model.market.as_of),
    )
    factors = [Factor("base", None, base, why, role.source)]
    rate = base * components["experience"]
    if inputs.years > model.last_fitted_years:
        why = _(
            "{years} years against the {reference}-year reference, on the fitted curve "
            "({shape}), held flat past {top} years (the last fitted point)"
        )
    else:
        why = _(
            "{years} years against the {reference}-year reference, on the fitted curve ({shape})"
        )
    why = why.format(
        years=format_short(inputs.years),
        reference=format_short(ref),
        shape=SHAPE,
        top=format_short(model.last_fitted_years),
    )
    factors.append(Factor("experience", components["experience"], rate, why, "observations"))
    rate *= components["region"]
    region = dataset.regions[inputs.region]
    why = _("{region} against the national mix at {years} years").format(
        region=_(region.label), years=format_short(inputs.years)
    )
    factors.append(Factor("region", components["region"], rate, why, region.source))
    rate *= components["scarcity"]
    if inputs.skills:
        best = max(inputs.skills, key=lambda s: dataset.skills[s].tightness)
        ordered = [best, *(s for s in inputs.skills if s != best)]
        notes = [skill_note(dataset.skills[s], model.elasticity, model.cap) for s in ordered]
        if len(ordered) > 1:
            notes.append(_("the scarcest skill sets the premium"))
        why, source = _clauses(notes), dataset.skills[best].source
    else:
        why, source = _("no skill sold: no premium"), MODEL_SOURCE
    factors.append(Factor("scarcity", components["scarcity"], rate, why, source))
    return tuple(factors)


ABROAD = "abroad"
# What a positioning lever says for each region it may suggest.
MOVES = {
    "idf": N_("work in Île-de-France"),
    "other-city": N_("work in another French city"),
    "france": N_("work across France"),
    ABROAD: N_("work outside France"),
}
# The word the floor-above-band note uses for each lever.
LEVER_NAMES = {
    "more-days": N_("days"),
    "switch-status": N_("status"),
    "reposition": N_("positioning"),
}


def positioning_regions(model: Model, inputs: QuoteInputs) -> tuple[str, ...]:
    """Return the regions a positioning lever may suggest: France only, unless already abroad.

    "Outside France" mixes many countries; it is a market the user is in, not a move to advise.
    """
    if inputs.region == ABROAD:
        return model.regions
    return tuple(r for r in model.regions if r != ABROAD)


def positioning_lever(model: Model, inputs: QuoteInputs, band: MarketBand) -> Lever | None:
    """Return how far the band's P75 rises with the best-paid allowed region and scarcest skill."""
    import numpy as np

    role_i = model.roles.index(inputs.role)
    best_skill = max(model.dataset.skills.values(), key=lambda s: s.tightness)
    skills = tuple(sorted({*inputs.skills, best_skill.id}))
    t = best_tightness(model, skills)
    regions = positioning_regions(model, inputs)
    n = len(regions)
    medians = price_rows(
        model, [role_i] * n, [inputs.years] * n, [model.regions.index(r) for r in regions], [t] * n
    )
    if not np.isfinite(medians).any():
        return None
    best = int(np.nanargmax(medians))
    lifted = make_band(float(medians[best]), model.sigma)
    if lifted.p75 <= band.p75:
        return None
    region = regions[best]
    move = None
    if region != inputs.region:
        known = MOVES.get(region)
        label = model.dataset.regions[region].label
        move = _(known) if known else _("work in {region}").format(region=_(label))
    if best_skill.id in inputs.skills:
        change = move or ""
    elif move is None:
        change = _("sell {skill}").format(skill=_(best_skill.label))
    else:
        change = _("sell {skill} and {move}").format(skill=_(best_skill.label), move=move)
    return Lever("reposition", change, lifted.p75 - band.p75)


def _floor_part(
    model: Model,
    inputs: QuoteInputs,
    income: IncomeInputs,
    target_net: float,
    band: MarketBand,
    today: dt.date,
    channel_fee: float = 0.0,
    channel_fee_franchise: float | None = None,
) -> tuple[Floor, tuple[Lever, ...], list[Notice]]:
    situation, warnings = prepare(income, model.dataset.billable_days, today)
    situation = situation._replace(
        channel_fee=channel_fee, channel_fee_franchise=channel_fee_franchise
    )
    result = solve_floor(situation, target_net, warnings)
    if result.rate <= band.p75:
        return result, (), []
    reference = model.dataset.figures["forfait-jours-reference"].value
    levers = floor_levers(situation, target_net, reference)
    lever = positioning_lever(model, inputs, band)
    if lever is not None:
        levers.append(lever)
    # A floor over the micro ceiling is no floor at all: the way to a regime one can use
    # stays on the list even when it costs more per day.
    levers = sorted(
        (
            lv
            for lv in levers
            if lv.effect > 0 or (lv.code == "switch-status" and not result.available)
        ),
        key=lambda lv: lv.effect,
        reverse=True,
    )
    values = {"floor": format_money(result.rate), "p75": format_number(band.p75)}
    if not result.available and any(lv.code == "switch-status" for lv in levers):
        top = next(lv for lv in levers if lv.code == "switch-status")
        note = _(
            "The floor ({floor}/day) is above the market's P75 ({p75}); it is also above the "
            "micro ceiling, so first {change} ({effect}/day)."
        ).format(**values, change=top.message, effect=format_money(-top.effect, signed=True))
    elif levers:
        top = levers[0]
        name = LEVER_NAMES[top.code]
        note = _(
            "The floor ({floor}/day) is above the market's P75 ({p75}); what moves it most is "
            "{lever}: {change} closes {effect}/day of the gap."
        ).format(**values, lever=_(name), change=top.message, effect=format_money(top.effect))
    else:
        note = _(
            "The floor ({floor}/day) is above the market's P75 ({p75}); no change of days, "
            "status or positioning closes the gap."
        ).format(**values)
    return result, tuple(levers), [Notice("floor-above-band", note)]


def price_quote(
    inputs: QuoteInputs,
    today: dt.date,
    model: Model | None = None,
    income: IncomeInputs | None = None,
    position_rate: float | None = None,
    channel_fee: float = 0.0,
    channel_fee_franchise: float | None = None,
) -> Quote:
    """Price one freelancer: target, band, breakdown, threshold and warnings; with a target
    net income, the floor too.

    `position_rate` is the user's rate restated on the band's side of a channel's fee, when
    it differs from inputs.rate; `channel_fee` is the share of turnover a channel bills back
    (an expense for the floor), `channel_fee_franchise` that share under the VAT franchise.
    """
    model = model or default_model()
    role_i, region_i = model.roles.index(inputs.role), model.regions.index(inputs.region)
    national_i = model.regions.index(NATIONAL)
    t = best_tightness(model, inputs.skills)
    median = float(price_rows(model, [role_i], [inputs.years], [region_i], [t])[0])
    if math.isnan(median):
        raise DataError(_unidentified(model, inputs), code="too-few-observations")

    scale = float(model.role_scale[role_i])
    at = [model.reference_years, inputs.years, inputs.years]
    national_ref, national_now, regional_now = (
        float(v) for v in region_rates(model, at, [national_i, national_i, region_i])
    )
    components = {
        "scale": scale,
        "base": scale * national_ref,
        "experience": national_now / national_ref,
        "region": regional_now / national_now,
        "scarcity": float(scarcity_multiplier(model, [t])[0]),
    }
    ev = evidence(model, inputs)
    band = make_band(median, model.sigma_thin if ev.thin else model.sigma)
    mix = dict(model.dataset.regions[NATIONAL].mix)
    cell = cell_sources(model.market, model.fit, mix, inputs.role, inputs.years, inputs.region)
    target = round_rate(median)
    threshold = model.dataset.threshold
    placed = position_rate if position_rate is not None else inputs.rate
    position = position_in(band, placed) if placed is not None else None
    warnings = _warnings(model, inputs, today, ev)
    floor: Floor | None = None
    levers: tuple[Lever, ...] = ()
    if income is not None and income.target_net is not None:
        floor, levers, notes = _floor_part(
            model,
            inputs,
            income,
            income.target_net,
            band,
            today,
            channel_fee,
            channel_fee_franchise,
        )
        warnings += notes
    return Quote(
        inputs=inputs,
        target=target,
        stretch=band.p75,
        band=band,
        breakdown=_breakdown(model, inputs, components),
        threshold=ThresholdComparison(
            threshold.value,
            target - threshold.value,
            None if placed is None else placed - threshold.value,
            threshold.source,
        ),
        position=position,
        warnings=tuple(warnings),
        dataset_version=model.dataset.version,
        floor=floor,
        levers=levers,
        evidence=ev,
        as_of=model.market.as_of,
        cell=cell,
        premium=model.fit.premium,
        market_median=median / components["scarcity"],
    )


def _unidentified(model: Model, inputs: QuoteInputs) -> str:
    """Return why a cell cannot be priced with the data published by the as-of date."""
    return _(
        "no observation published by {date} lets the fit price {role} in {region} (nothing "
        "identifies: {missing}); choose a later --as-of"
    ).format(
        date=format_date(model.market.as_of),
        role=inputs.role,
        region=inputs.region,
        missing=", ".join(model.fit.missing) or pgettext("empty list", "none"),
    )


def user_effects(
    inputs: QuoteInputs, user: UserData, as_of: dt.date | None = None
) -> tuple[UserEffect, ...]:
    """Return how much each user observation moves the median (a refit without it)."""
    model = model_for(as_of, user, loso=False)
    role_i, region_i = model.roles.index(inputs.role), model.regions.index(inputs.region)
    t = best_tightness(model, inputs.skills)

    def median(m: Model) -> float:
        return float(price_rows(m, [role_i], [inputs.years], [region_i], [t])[0])

    full = median(model)
    effects = []
    for obs in user.observations:
        rest = user._replace(observations=tuple(o for o in user.observations if o.id != obs.id))
        effects.append(UserEffect(obs.id, full - median(model_for(as_of, rest, loso=False))))
    return tuple(effects)
