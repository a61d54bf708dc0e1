"""What each source says for one cell: every source near it, its figures brought to the cell's
years, region and year, and the weight it carries in the cell's random-effects mean.

Pure arithmetic on the stored fit (math only): a quote builds it without scipy.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, NamedTuple

from tjm.market.fit import INDEX, REFERENCE_WEIGHT

if TYPE_CHECKING:
    from tjm.market.fit import CurveFit
    from tjm.market.observations import Market, Observation

LOWS, HIGHS = ("range-low", "quartile-1"), ("range-high", "quartile-3")


class SourceForCell(NamedTuple):
    """One source's word on the cell."""

    source: str
    publisher: str
    year: int | None  # the year its data describe, else its publication's; None undated
    grade: str
    n: int | None  # the largest sample size it states for a nearby figure
    ids: tuple[str, ...]
    low: float | None  # its range, brought to the cell
    high: float | None
    value: float | None  # its single figures (mean, median, quoted), brought to the cell
    at_least: float | None  # a 'has crossed' figure, brought to the cell
    adjusted: float  # its one figure for the cell: the geometric mean of the above
    effect: float  # its own level against the market's (log); 0 when the fit did not see it
    weight: float  # its share of the cell's weight (0 when no figure of it is fitted)
    fitted: bool  # at least one of its figures has an experience level, so the fit uses it


class CellSources(NamedTuple):
    sources: tuple[SourceForCell, ...]
    recent_share: float | None  # the weight share of data from the as-of year and the one before
    trend_method: str  # how figures are brought to the as-of year: "index" or "estimated"
    trend_rate: float


def short_publisher(text: str) -> str:
    """Return a publisher's name without its parenthesised details."""
    return text.split(" (")[0].split(", ")[0].strip()


def level_at(fit: CurveFit, mix: dict[str, float], years: float, region: str) -> float:
    """Return the reference role's market level at some years in a region (math only)."""
    years = min(years, fit.last_fitted_years)
    parts = mix if region == "france" else {region: 1.0}
    return sum(w * fit.curve(c).rate(years) for c, w in parts.items())


def _years(o: Observation, market: Market, fallback: float) -> float:
    from tjm.market.fit_points import point_years

    if o.min_years is None:
        return fallback
    return point_years(o.min_years, o.max_years, market.open_band_span)


def _year_factor(o: Observation, market: Market, fit: CurveFit, role: str) -> float:
    from tjm.market.observations import data_date, index_factor

    trend = fit.trend(role)
    if trend is not None and trend.method != INDEX:
        when = data_date(o, market)
        if when is None:
            return 1.0
        return math.exp(trend.rate * (market.as_of - when).days / 365.25)
    return index_factor(market, o.data_year, market.as_of)


def _geo(values: list[float]) -> float | None:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def cell_sources(
    market: Market,
    fit: CurveFit,
    mix: dict[str, float],
    role: str,
    years: float,
    region: str,
) -> CellSources:
    """Return every source near the cell with its figures brought to it, and the weights."""
    from tjm.market.observations import data_date, nearby, weight

    near = [o for o in nearby(market, role, years, region) if not o.excluded]
    target = level_at(fit, mix, years, region)
    by_source: dict[str, list[Observation]] = {}
    for o in near:
        by_source.setdefault(o.source, []).append(o)
    rows = []
    raw_weights: dict[str, float] = {}
    for source, found in by_source.items():
        lows, highs, values, bounds, weights = [], [], [], [], []
        for o in found:
            oy = _years(o, market, years)
            factor = target / level_at(fit, mix, oy, o.region) * _year_factor(o, market, fit, role)
            moved = o.value * factor
            if o.lower_bound or o.statistic == "lower-bound":
                bounds.append(moved)
            elif o.statistic in LOWS:
                lows.append(moved)
            elif o.statistic in HIGHS:
                highs.append(moved)
            else:
                values.append(moved)
            if o.min_years is not None:
                weights.append(weight(o, market, market.as_of))
        low, high, value, at_least = _geo(lows), _geo(highs), _geo(values), _geo(bounds)
        centre = _geo([v for v in (low, high, value, at_least) if v is not None])
        dates = [d for d in (data_date(o, market) for o in found) if d is not None]
        sizes = [o.sample_size for o in found if o.sample_size is not None]
        if weights:
            # Its variance in the cell: its own level's (tau² scaled by its quality) plus
            # the within-source error of the mean of its nearby points.
            quality = sum(weights) / len(weights)
            variance = fit.tau**2 * REFERENCE_WEIGHT / quality + fit.s_unit**2 / sum(weights)
            raw_weights[source] = 1 / variance if variance > 0 else 1.0
        rows.append(
            (
                source,
                short_publisher(market.sources[source].publisher),
                max(dates).year if dates else None,
                min(o.grade for o in found),
                max(sizes) if sizes else None,
                tuple(o.id for o in found),
                low,
                high,
                value,
                at_least,
                centre or 0.0,
                fit.effect(source),
            )
        )
    total = sum(raw_weights.values())
    sources = tuple(
        SourceForCell(
            *row, raw_weights.get(row[0], 0.0) / total if total else 0.0, row[0] in raw_weights
        )
        for row in rows
    )
    sources = tuple(sorted(sources, key=lambda s: (-s.weight, s.source)))
    recent_share = (
        sum(s.weight for s in sources if s.year is not None and s.year >= market.as_of.year - 1)
        if total
        else None
    )
    trend = fit.trend(role)
    return CellSources(
        sources,
        recent_share,
        INDEX if trend is None else trend.method,
        0.0 if trend is None else trend.rate,
    )
