"""The pricing model: experience curve × region × role scale × skill premium, on numpy arrays.

It prices any number of rows at once: a quote (tjm.market.quote) is its one-row case, and a
roster (tjm.roster) goes through the same code.
"""

from __future__ import annotations

import math
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from tjm.dataset.load import load_dataset
from tjm.dataset.records import Band, Dataset
from tjm.market.fit import CurveFit, fit_market
from tjm.market.fit_store import curve_for
from tjm.market.observations import Market

if TYPE_CHECKING:
    import datetime as dt

    import numpy as np
    from numpy.typing import ArrayLike, NDArray

    from tjm.market.userdata import UserData

ROUND_TO = 5  # EUR: day rates are quoted in multiples of it


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


def region_rates(model: Model, years: ArrayLike, region_idx: ArrayLike) -> NDArray[np.float64]:
    """Return each row's rate for the reference role, before any skill premium."""
    import numpy as np

    curves = _curves_at(model.curve_params, years, model.last_fitted_years)
    weights = model.region_weights[np.asarray(region_idx)]
    # A column no observation identified (an early --as-of) is NaN: a row that needs it is
    # NaN, and a row that does not is priced without it.
    unknown = np.isnan(curves)
    rates: NDArray[np.float64] = np.einsum("ij,ij->i", np.where(unknown, 0.0, curves), weights)
    rates[np.any(unknown & (weights > 0), axis=1)] = np.nan
    return rates


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
    from tjm.market.observations import load_market

    dataset, market = load_dataset(), load_market()
    return build_model(dataset, curve_for(dataset, market), market)


def model_for(
    as_of: dt.date | None = None, user: UserData | None = None, loso: bool = True
) -> Model:
    """Return the model over the packaged observations available by as_of, plus the user's."""
    from tjm.market.observations import as_of_market, load_market
    from tjm.market.userdata import with_user

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


def skill_premiums(tightness: ArrayLike, elasticity: float, cap: float) -> NDArray[np.float64]:
    """Return each premium: cap·tanh(elasticity·t/cap) where demand outgrows supply, else 0.

    Only a tightening market adds a premium; a crowded skill (t <= 0) leaves the rate as it is,
    because the role's base already prices its usual skills and growth figures give no levels.
    NaN stands for no skill sold, and gets no premium either.
    """
    import numpy as np

    t = np.clip(np.nan_to_num(np.asarray(tightness, float), nan=0.0), 0.0, None)
    premiums: NDArray[np.float64] = cap * np.tanh(elasticity * t / cap)
    return premiums


def skill_premium(tightness: float, elasticity: float, cap: float) -> float:
    """Return one skill's premium (see skill_premiums)."""
    return float(skill_premiums(tightness, elasticity, cap))


def scarcity_multiplier(model: Model, best_tightness: ArrayLike) -> NDArray[np.float64]:
    """Return 1 + the premium of each row's best tightness: never below 1, at most 1 + cap."""
    return 1.0 + skill_premiums(best_tightness, model.elasticity, model.cap)


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
        * region_rates(model, years, region_idx)
        * scarcity_multiplier(model, best_tightness)
    )
    return rates


def thin_rows(
    model: Model, role_idx: ArrayLike, years: ArrayLike, region_idx: ArrayLike
) -> NDArray[np.bool_]:
    """Return, per row, True where no recent grade A or B observation is near its cell."""
    import numpy as np

    from tjm.market.observations import is_recent, region_near

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
