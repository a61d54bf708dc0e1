"""What the fit sees of the observations: one point per fitted figure, a range's two ends as
one point at their geometric mean, every value brought to the as-of year by the year index."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import datetime as dt

    from tjm.market.observations import Market, Observation

Z75 = 0.6744897501960817  # the normal quantile of 0.75: a range's ends are read as P25 and P75


class Point(NamedTuple):
    """What the fit sees of one observation, or of a range's two ends together."""

    ids: tuple[str, ...]
    source: str
    role: str
    years: float
    region: str
    value: float  # EUR/day, brought to the as-of year
    weight: float
    spread: float | None  # log-space SD of the source's own range, when it gives one
    lower_bound: bool
    user: bool
    age: float | None = None  # years from its data date to the as-of date; None when undated
    year_factor: float = 1.0  # the year index's factor already applied to value


def point_years(low: float, high: float | None, span: float) -> float:
    return low + span if high is None else (low + high) / 2


def fit_points(market: Market, as_of: dt.date | None = None) -> list[Point]:
    """Return the points the fit uses: each fitted observation, a range's ends as one point."""
    from tjm.market.observations import CONTEXT, data_date, index_factor, weight

    as_of = as_of or market.as_of
    singles: list[Point] = []
    # A range's ends (or quartiles), keyed by what they share, with their values and weights.
    ends: dict[
        tuple[str, str, float, float | None, str, int | None, bool, bool, str | None],
        list[tuple[Observation, float, float]],
    ] = {}
    for o in market.observations:
        low = o.min_years
        if (
            o.excluded
            or o.role == CONTEXT
            or o.region == CONTEXT
            or low is None
            or o.statistic == "lower-bound"
        ):
            continue
        factor = index_factor(market, o.data_year, as_of)
        value = o.value * factor
        w = weight(o, market, as_of)
        if o.statistic in ("range-low", "range-high", "quartile-1", "quartile-3"):
            key = (
                o.source,
                o.role,
                low,
                o.max_years,
                o.region,
                o.data_year,
                o.user,
                o.statistic.startswith("range"),
                # Two rows of one table at the same cell (a grid's llm and AI rows) differ
                # by their label; a range's two ends share it.
                o.experience,
            )
            ends.setdefault(key, []).append((o, value, w))
            continue
        when = data_date(o, market)
        singles.append(
            Point(
                (o.id,),
                o.source,
                o.role,
                point_years(low, o.max_years, market.open_band_span),
                o.region,
                value,
                w,
                None,
                o.lower_bound,
                o.user,
                _age(when, as_of),
                factor,
            )
        )
    for (source, role, low, high, region, _, user, _, _), found in ends.items():
        lows = [f for f in found if f[0].statistic in ("range-low", "quartile-1")]
        highs = [f for f in found if f[0].statistic in ("range-high", "quartile-3")]
        if len(lows) != 1 or len(highs) != 1 or highs[0][1] <= lows[0][1]:
            continue  # an end without its pair says where a range starts, not its centre
        (lo, vlo, wlo), (hi, vhi, whi) = lows[0], highs[0]
        when = data_date(lo, market)
        singles.append(
            Point(
                (lo.id, hi.id),
                source,
                role,
                point_years(low, high, market.open_band_span),
                region,
                math.sqrt(vlo * vhi),
                (wlo + whi) / 2,
                math.log(vhi / vlo) / (2 * Z75),
                False,
                user,
                _age(when, as_of),
                vlo / lo.value,
            )
        )
    return singles


def _age(when: dt.date | None, as_of: dt.date) -> float | None:
    return None if when is None else (as_of - when).days / 365.25
