"""The pricing model: experience curve × region × skill premium, on numpy arrays.

One quote is the one-row case of `price_rows`, so a roster and a single freelancer
go through the same code.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from tjm.benchmarks import MODEL_SOURCE, Band, Dataset, Skill, load_dataset
from tjm.fields import NATIONAL
from tjm.fit import SHAPE, CurveFit, curve_for, fit_market
from tjm.income import Floor, Lever, floor_levers, prepare, solve_floor
from tjm.inputs import IncomeInputs, QuoteInputs
from tjm.market import MarketBand, Position, make_band, position_in
from tjm.observations import Market
from tjm.userdata import Realised, UserData

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import ArrayLike, NDArray

ROUND_TO = 5


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
    warnings: tuple[str, ...]
    dataset_version: str
    floor: Floor | None = None
    levers: tuple[Lever, ...] = ()  # set when the floor is above P75, biggest effect first
    evidence: Evidence | None = None
    user_effects: tuple[UserEffect, ...] = ()
    realised: Realised | None = None
    as_of: dt.date | None = None


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


class Model(NamedTuple):
    """The dataset prepared as arrays, indexed by role and by region."""

    dataset: Dataset
    fit: CurveFit
    roles: tuple[str, ...]
    regions: tuple[str, ...]
    curve_params: NDArray[np.float64]  # (columns, 3) array of a, b, tau
    region_weights: NDArray[np.float64]  # (regions, columns): each region as a mix of columns
    role_scale: NDArray[np.float64]  # (roles,) array
    elasticity: float
    cap: float
    sigma: float
    reference_years: float
    last_fitted_years: float  # the curve is held flat past this point
    market: Market
    sigma_thin: float = 0.0  # the band's spread where the cell has no current A/B figure


def _curves_at(
    params: NDArray[np.float64], years: ArrayLike, last_fitted_years: float
) -> NDArray[np.float64]:
    """Return a (rows, columns) array of every column's curve at each row's years.

    Past the last fitted point the curve is held flat: no data says how rates move there.
    """
    import numpy as np

    at = np.minimum(np.asarray(years, float), last_fitted_years)[:, None]
    curves: NDArray[np.float64] = params[None, :, 0] - params[None, :, 1] * np.exp(
        -at / params[None, :, 2]
    )
    return curves


def _region_rate(model: Model, years: ArrayLike, region_idx: ArrayLike) -> NDArray[np.float64]:
    import numpy as np

    curves = _curves_at(model.curve_params, years, model.last_fitted_years)
    rates: NDArray[np.float64] = np.einsum(
        "ij,ij->i", curves, model.region_weights[np.asarray(region_idx)]
    )
    return rates


def last_fitted_years(dataset: Dataset) -> float:
    """Return the years of the fit's last point (an open band's stand-in)."""
    return curve_for(dataset).last_fitted_years


def open_band(dataset: Dataset) -> Band:
    """Return the experience band with no upper edge (the data's last, open band)."""
    return next(b for b in dataset.bands if b.max_years is None)


def build_model(dataset: Dataset, fit: CurveFit, market: Market) -> Model:
    """Prepare the arrays that price any number of rows at once."""
    import numpy as np

    columns = [c.region for c in fit.curves]
    params = np.array([[c.a, c.b, c.tau] for c in fit.curves])
    regions = tuple(dataset.regions)
    weights = np.zeros((len(regions), len(columns)))
    for i, rid in enumerate(regions):
        mix = dataset.regions[rid].mix or ((rid, 1.0),)
        for part, w in mix:
            weights[i, columns.index(part)] = w
    scales = [fit.scale(role) for role in dataset.roles]
    return Model(
        dataset=dataset,
        fit=fit,
        roles=tuple(dataset.roles),
        regions=regions,
        curve_params=params,
        region_weights=weights,
        role_scale=np.array(scales),
        elasticity=dataset.param("scarcity_elasticity"),
        cap=dataset.param("scarcity_cap"),
        sigma=fit.sigma,
        reference_years=dataset.param("reference_years"),
        last_fitted_years=fit.last_fitted_years,
        market=market,
        sigma_thin=fit.sigma_thin,
    )


@cache
def default_model() -> Model:
    """Return the model built from the packaged dataset and its stored fit."""
    from tjm.observations import load_market

    dataset, market = load_dataset(), load_market()
    return build_model(dataset, curve_for(dataset, market), market)


def model_for(
    as_of: dt.date | None = None, user: UserData | None = None, loso: bool = True
) -> Model:
    """Return the model over the packaged observations available by as_of, plus the user's."""
    from tjm.observations import as_of_market, load_market
    from tjm.userdata import with_user

    if as_of is None and not (user and (user.observations or user.missions)):
        return default_model()
    dataset, market = load_dataset(), load_market()
    if as_of is not None:
        market = as_of_market(market, as_of)
    if user is not None:
        market = with_user(market, user)
        if as_of is not None:
            market = as_of_market(market, as_of)
    fit = curve_for(dataset, market) if loso else fit_market(dataset, market, with_loso=False)
    return build_model(dataset, fit, market)


def skill_premium(tightness: float, elasticity: float, cap: float) -> float:
    """Return one skill's premium: cap·tanh(elasticity·t/cap) where demand outgrows supply, else 0.

    Only a tightening market adds a premium; a crowded skill (t <= 0) leaves the rate as it is,
    because the role's base already prices its usual skills and growth figures give no levels.
    """
    if not tightness > 0:  # also 0 for NaN, which stands for no skill
        return 0.0
    return cap * math.tanh(elasticity * tightness / cap)


def scarcity_multiplier(model: Model, best_tightness: ArrayLike) -> NDArray[np.float64]:
    """Return 1 + the premium of each row's best tightness: never below 1, at most 1 + cap."""
    import numpy as np

    # NaN (no skill) and negative tightness (crowded) both get no premium.
    t = np.clip(np.nan_to_num(np.asarray(best_tightness, float), nan=0.0), 0.0, None)
    multiplier: NDArray[np.float64] = 1.0 + model.cap * np.tanh(model.elasticity * t / model.cap)
    return multiplier


def price_rows(
    model: Model,
    role_idx: ArrayLike,
    years: ArrayLike,
    region_idx: ArrayLike,
    best_tightness: ArrayLike,
) -> NDArray[np.float64]:
    """Return the model rate (the band's median) of each row; NaN tightness means no skill."""
    import numpy as np

    rates: NDArray[np.float64] = (
        model.role_scale[np.asarray(role_idx)]
        * _region_rate(model, years, region_idx)
        * scarcity_multiplier(model, best_tightness)
    )
    return rates


def thin_rows(
    model: Model, role_idx: ArrayLike, years: ArrayLike, region_idx: ArrayLike
) -> NDArray[np.bool_]:
    """Return, per row, True where no recent grade A or B observation is near its cell."""
    import numpy as np

    from tjm.observations import is_recent, region_near

    role_idx, region_idx = np.asarray(role_idx), np.asarray(region_idx)
    years = np.asarray(years, float)
    market = model.market
    backed = np.zeros(len(years), bool)
    for o in (o for o in market.observations if is_recent(o, market, market.as_of)):
        regions = [g for g, region in enumerate(model.regions) if region_near(o.region, region)]
        low = -np.inf if o.min_years is None else o.min_years - market.nearby_years
        high = np.inf if o.max_years is None else o.max_years + market.nearby_years
        backed |= (
            (
                (role_idx == model.roles.index(o.role))
                & np.isin(region_idx, regions)
                & (years >= low)
                & (years < high)
            )
            if o.role in model.roles
            else False
        )
    return ~backed


def row_sigmas(
    model: Model, role_idx: ArrayLike, years: ArrayLike, region_idx: ArrayLike
) -> NDArray[np.float64]:
    """Return each row's band spread: widened where the cell has thin data."""
    import numpy as np

    return np.where(thin_rows(model, role_idx, years, region_idx), model.sigma_thin, model.sigma)


def best_tightness(model: Model, skills: tuple[str, ...]) -> float:
    """Return the highest tightness among the skills sold, NaN when none is sold."""
    if not skills:
        return math.nan
    return max(model.dataset.skills[s].tightness for s in skills)


def round_rates(rates: ArrayLike) -> NDArray[np.float64]:
    """Round rates to multiples of ROUND_TO EUR, the way day rates are quoted (half to even)."""
    import numpy as np

    rounded: NDArray[np.float64] = ROUND_TO * np.round(np.asarray(rates, float) / ROUND_TO)
    return rounded


def round_rate(rate: float) -> float:
    """Round one rate as round_rates does."""
    return float(round_rates(rate))


def _months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def evidence(model: Model, inputs: QuoteInputs) -> Evidence:
    """Return what the quote rests on: the observations near its cell, graded and dated."""
    from tjm.observations import data_date, is_recent, nearby

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


def _warnings(model: Model, inputs: QuoteInputs, today: dt.date, ev: Evidence) -> list[str]:
    dataset, found = model.dataset, []
    if ev.count == 0:
        found.append(
            "No observation is near this quote (same role, nearby experience, same "
            "region); it rests on the fitted curve alone."
        )
    elif ev.newest is None:
        found.append(
            f"None of the {ev.count} observations near this quote is dated; "
            "rates may have moved since they were published."
        )
    else:
        age = _months_between(ev.newest, today)
        if age > dataset.param("stale_after_months"):
            found.append(
                f"The newest observation near this quote describes "
                f"{ev.newest.isoformat()}, {age} months ago; rates have likely "
                "moved since."
            )
    if ev.thin:
        grades = ", ".join(f"{n} {g}" for g, n in ev.grades.items() if n) or "none"
        found.append(
            f"thin data: no grade A or B observation from the last "
            f"{ev.recent_years:g} years near this quote ({ev.count} near it: {grades}); "
            f"the band is widened (sigma {model.sigma_thin:.3f} instead of "
            f"{model.sigma:.3f})."
        )
    last = open_band(dataset)
    if inputs.years >= last.min_years:
        top = model.last_fitted_years
        found.append(
            f"{inputs.years:g} years is in the data's open band ({last.label}), which "
            f"has no upper edge: it is fitted at {top:g} years and the rate is held flat "
            "past that point."
        )
    return found


def skill_note(skill: Skill, elasticity: float, cap: float) -> str:
    """Return one skill's demand and supply, and the premium they give or why there is none."""
    if skill.tightness > 0:
        premium = skill_premium(skill.tightness, elasticity, cap)
        return (
            f"{skill.id}: scarcer: demand {skill.demand_growth:+.0%} against supply "
            f"{skill.supply_growth:+.0%}; premium {premium:+.1%}"
        )
    return (
        f"{skill.id}: crowded: supply {skill.supply_growth:+.0%} against demand "
        f"{skill.demand_growth:+.0%}; no premium"
    )


def _breakdown(
    model: Model, inputs: QuoteInputs, components: dict[str, float]
) -> tuple[Factor, ...]:
    dataset = model.dataset
    role = dataset.roles[inputs.role]
    ref = model.reference_years
    base = components["base"]
    why = (
        f"{role.label}: the curve at {ref:g} years, France (national mix), × role scale "
        f"{components['scale']:.3f}; one weighted fit over the observations as of "
        f"{model.market.as_of.isoformat()}"
    )
    factors = [Factor("base", None, base, why, role.source)]
    rate = base * components["experience"]
    held = (
        f", held flat past {model.last_fitted_years:g} years (the last fitted point)"
        if inputs.years > model.last_fitted_years
        else ""
    )
    factors.append(
        Factor(
            "experience",
            components["experience"],
            rate,
            f"{inputs.years:g} years against the {ref:g}-year reference, "
            f"on the fitted curve ({SHAPE}){held}",
            "observations",
        )
    )
    rate *= components["region"]
    region = dataset.regions[inputs.region]
    factors.append(
        Factor(
            "region",
            components["region"],
            rate,
            f"{region.label} against the national mix at {inputs.years:g} years",
            region.source,
        )
    )
    rate *= components["scarcity"]
    if inputs.skills:
        best = max(inputs.skills, key=lambda s: dataset.skills[s].tightness)
        ordered = [best, *(s for s in inputs.skills if s != best)]
        why = "; ".join(skill_note(dataset.skills[s], model.elasticity, model.cap) for s in ordered)
        if len(ordered) > 1:
            why += "; the scarcest skill sets the premium"
        source = dataset.skills[best].source
    else:
        why, source = "no skill sold: no premium", MODEL_SOURCE
    factors.append(Factor("scarcity", components["scarcity"], rate, why, source))
    return tuple(factors)


ABROAD = "abroad"


def positioning_regions(model: Model, inputs: QuoteInputs) -> tuple[str, ...]:
    """Return the regions a positioning lever may suggest: France only, unless already abroad.

    "Outside France" mixes many countries; it is a market the user is in, not a move to advise.
    """
    if inputs.region == ABROAD:
        return model.regions
    return tuple(r for r in model.regions if r != ABROAD)


def positioning_lever(model: Model, inputs: QuoteInputs, band: MarketBand) -> Lever | None:
    """Return how far the band's P75 rises with the best-paid allowed region and scarcest skill."""
    role_i = model.roles.index(inputs.role)
    best_skill = max(model.dataset.skills.values(), key=lambda s: s.tightness)
    skills = tuple(sorted({*inputs.skills, best_skill.id}))
    t = best_tightness(model, skills)
    regions = positioning_regions(model, inputs)
    n = len(regions)
    medians = price_rows(
        model, [role_i] * n, [inputs.years] * n, [model.regions.index(r) for r in regions], [t] * n
    )
    best = int(medians.argmax())
    lifted = make_band(float(medians[best]), model.sigma)
    if lifted.p75 <= band.p75:
        return None
    region = regions[best]
    change = " and ".join(
        part
        for part in (
            f"sell {best_skill.id}" if best_skill.id not in inputs.skills else "",
            f"work in {model.dataset.regions[region].label}" if region != inputs.region else "",
        )
        if part
    )
    return Lever("positioning", change, lifted.p75 - band.p75)


def _floor_part(
    model: Model,
    inputs: QuoteInputs,
    income: IncomeInputs,
    target_net: float,
    band: MarketBand,
    today: dt.date,
    channel_fee: float = 0.0,
) -> tuple[Floor, tuple[Lever, ...], list[str]]:
    situation, warnings = prepare(income, model.dataset.billable_days, today)
    situation = situation._replace(channel_fee=channel_fee)
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
        (lv for lv in levers if lv.effect > 0 or (lv.name == "status" and not result.available)),
        key=lambda lv: lv.effect,
        reverse=True,
    )
    note = f"The floor ({result.rate:,.0f} EUR/day) is above the market's P75 ({band.p75:,.0f}); "
    if not result.available and any(lv.name == "status" for lv in levers):
        top = next(lv for lv in levers if lv.name == "status")
        note += (
            f"it is also above the micro ceiling, so first {top.change} "
            f"({-top.effect:+,.0f} EUR/day)."
        )
    elif levers:
        top = levers[0]
        note += (
            f"what moves it most is {top.name}: {top.change} closes "
            f"{top.effect:,.0f} EUR/day of the gap."
        )
    else:
        note += "no change of days, status or positioning closes the gap."
    return result, tuple(levers), [note]


def quote(
    inputs: QuoteInputs,
    today: dt.date,
    model: Model | None = None,
    income: IncomeInputs | None = None,
    position_rate: float | None = None,
    channel_fee: float = 0.0,
) -> Quote:
    """Price one freelancer: target, band, breakdown, threshold and warnings; with a target
    net income, the floor too.

    `position_rate` is the user's rate restated on the band's side of a channel's fee, when
    it differs from inputs.rate; `channel_fee` is the share of turnover a channel bills back
    (an expense for the floor).
    """
    model = model or default_model()
    role_i, region_i = model.roles.index(inputs.role), model.regions.index(inputs.region)
    national_i = model.regions.index(NATIONAL)
    t = best_tightness(model, inputs.skills)
    median = float(price_rows(model, [role_i], [inputs.years], [region_i], [t])[0])

    scale = float(model.role_scale[role_i])
    at = [model.reference_years, inputs.years, inputs.years]
    national_ref, national_now, regional_now = (
        float(v) for v in _region_rate(model, at, [national_i, national_i, region_i])
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
    target = round_rate(median)
    threshold = model.dataset.threshold
    placed = position_rate if position_rate is not None else inputs.rate
    position = position_in(band, placed) if placed is not None else None
    warnings = _warnings(model, inputs, today, ev)
    floor: Floor | None = None
    levers: tuple[Lever, ...] = ()
    if income is not None and income.target_net is not None:
        floor, levers, notes = _floor_part(
            model, inputs, income, income.target_net, band, today, channel_fee
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
