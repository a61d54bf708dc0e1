"""The random-effects market (issue #22): sources' own levels, what each says for a cell, the
weights of recent data, --as-of, the AI premium and the verdict to the cent."""

import datetime as dt
import math

import pytest

from tjm.dataset.load import load_dataset
from tjm.inputs import QuoteInputs
from tjm.market.fit import REFERENCE_WEIGHT, _variances, fit_market, source_quality
from tjm.market.fit_points import fit_points, point_years
from tjm.market.model import default_model, model_for
from tjm.market.observations import available_on, load_market, nearby
from tjm.market.quote import price_quote
from tjm.market.userdata import UserData

TODAY = dt.date(2026, 12, 7)
GUIDES = {"freelens-blog-2026-03-04", "skill-grid-2026", "surly-2026"}


def quote(role, years, region="france", **kw):
    return price_quote(QuoteInputs(role, years, region, **kw), TODAY)


def test_idf_data_scientist_5_years_shows_silkhom_beside_the_2026_guides():
    """The 5-year Île-de-France data scientist's quote lists Silkhom's and the 2026 guides'
    figures with the fitted median among them, and 2025–2026 data carry over half the weight."""
    q = quote("data-scientist", 5, "idf")
    assert q.cell is not None
    assert q.market_median is not None
    by = {s.source: s for s in q.cell.sources}
    assert "silkhom-2025" in by
    assert set(by) >= GUIDES
    silkhom = by["silkhom-2025"]
    assert silkhom.grade == "B"
    assert silkhom.year == 2025
    guide_low = min(by[g].low for g in GUIDES)
    assert silkhom.low < q.market_median < guide_low  # the median sits among them
    assert q.cell.recent_share > 0.5


def test_the_block_lists_every_source_near_the_cell_with_its_adjusted_figure():
    """Every source with a fitted or listed figure near the cell has a line and a figure."""
    model = default_model()
    for role, years, region in [("data-scientist", 5, "idf"), ("ai-engineer", 4, "france")]:
        q = quote(role, years, region)
        near = {o.source for o in nearby(model.market, role, years, region) if not o.excluded}
        assert q.cell is not None
        assert {s.source for s in q.cell.sources} == near
        for s in q.cell.sources:
            assert s.adjusted > 0
            assert any(v is not None for v in (s.low, s.high, s.value, s.at_least))
        assert sum(s.weight for s in q.cell.sources) == pytest.approx(1)


def test_an_adjusted_figure_is_the_figure_moved_along_the_curve():
    """A source's figure at another level is moved by the curve's ratio between the levels."""
    model = default_model()
    q = quote("data-scientist", 5, "idf")
    free_work = next(s for s in q.cell.sources if s.source == "free-work-intechnia")
    curve = model.fit.curve("idf")
    # Free-Work's two near cells: 3–4 years (508) and 5–10 years (607), undated (no index).
    moved = [508 * curve.rate(5) / curve.rate(4), 607 * curve.rate(5) / curve.rate(8)]
    assert free_work.value == pytest.approx(math.sqrt(moved[0] * moved[1]))


def test_the_band_covers_the_recent_grade_b_figures():
    """Each 2025–2026 grade B range is centred inside the band at its own cell (P25–P75)."""
    market = load_market()
    pairs: dict[tuple[str, str, float, float | None, str, str | None], dict[str, float]] = {}
    for o in market.observations:
        recent_b = o.grade == "B" and (o.data_year or 0) >= 2025
        if recent_b and o.role != "other" and not o.excluded and o.min_years is not None:
            key = (o.source, o.role, o.min_years, o.max_years, o.region, o.experience)
            pairs.setdefault(key, {})[o.statistic] = o.value
    assert len(pairs) >= 9
    for (_s, role, low, high, region, _e), ends in pairs.items():
        years = point_years(low, high, market.open_band_span)
        band = quote(role, years, region).band
        centre = math.sqrt(ends["range-low"] * ends["range-high"])
        assert band.p25 <= centre <= band.p75, (role, years, region)


def test_the_band_over_a_figures_years_covers_its_range():
    """Each 2025–2026 grade B range for a span of years lies inside the band over that span:
    P25 at the span's first year at or under its low end, P75 at its last year (an open top
    band: the fitted point) at or over its high end."""
    market = load_market()
    ranges: dict[tuple[str, str, float, float | None, str], dict[str, float]] = {}
    for o in market.observations:
        recent_b = o.grade == "B" and (o.data_year or 0) >= 2025
        if recent_b and o.role != "other" and not o.excluded and o.min_years is not None:
            key = (o.source, o.role, o.min_years, o.max_years, o.region)
            ranges.setdefault(key, {})[o.statistic] = o.value
    checked = 0
    for (_source, role, low, high, region), ends in ranges.items():
        if {"range-low", "range-high"} <= set(ends):
            last = high if high is not None else low + market.open_band_span
            assert quote(role, low, region).band.p25 <= ends["range-low"], (role, low, region)
            assert quote(role, last, region).band.p75 >= ends["range-high"], (role, last, region)
            checked += 1
    assert checked >= 9


def test_thin_only_where_no_recent_a_or_b_figure():
    """Silkhom's 2025 cells are not thin; the AI engineer, with no recent A/B figure, is."""
    assert not quote("data-scientist", 5, "idf").evidence.thin
    assert not quote("data-engineer", 3, "idf").evidence.thin
    assert quote("ai-engineer", 5, "idf").evidence.thin


def test_tau_is_dersimonian_laird_at_the_fixed_point():
    """The stored tau is DerSimonian–Laird's estimate from the final fit's source residuals."""
    dataset, market = load_dataset(), load_market()
    from tjm.market import fit as fit_module

    pts = fit_points(market)
    layout = fit_module._layout(dataset, market)
    sol = fit_module._fit_x(pts, layout)
    n_fixed = sum(fit_module._free(pts, layout, 0.0))
    s_unit, tau = _variances(pts, layout, sol.x, n_fixed)
    assert tau == pytest.approx(default_model().fit.tau, abs=1e-4)
    assert s_unit == pytest.approx(default_model().fit.s_unit, abs=1e-4)


def test_grade_and_age_weigh_sources():
    """A source's quality is its points' mean weight: a current B barometer outweighs a C guide."""
    quality = source_quality(fit_points(load_market()))
    assert quality["silkhom-2025"] > 3 * quality["skill-grid-2026"]
    assert quality["silkhom-2025"] < REFERENCE_WEIGHT  # 2025 data, aged to December 2026


def test_as_of_mid_2025_uses_nothing_published_later():
    """--as-of 2025-07-01 fits on what existed then, and its quote lists nothing newer."""
    day = dt.date(2025, 7, 1)
    model = model_for(day)
    market = load_market()
    assert model.market.observations
    assert all(available_on(o, market) <= day for o in model.market.observations)
    q = price_quote(QuoteInputs("data-scientist", 5, "idf"), day, model=model)
    assert q.cell is not None
    used = {i for s in q.cell.sources for i in s.ids}
    assert all(available_on(o, market) <= day for o in market.observations if o.id in used)
    assert {s.source for s in q.cell.sources} == {"silkhom-2025"}


def test_as_of_mid_2025_refuses_a_region_nothing_describes():
    """Nothing published by mid-2025 describes rates abroad: one clear error, not a guess."""
    from tjm.errors import DataError

    day = dt.date(2025, 7, 1)
    with pytest.raises(DataError, match="abroad"):
        price_quote(QuoteInputs("data-scientist", 5, "abroad"), day, model=model_for(day))


def _user(grade: str, value: float) -> UserData:
    from tjm.market.observations import Observation, ObsSource

    source = ObsSource("mine", "my rates", "me", "2026-11", None, None, None)
    obs = Observation(
        "mine-1",
        "mine",
        "data-scientist",
        5,
        6,
        "idf",
        2026,
        "mean",
        value,
        30 if grade == "A" else None,
        "freelancer",
        grade,
        "my own figure",
        user=True,
    )
    return UserData({"mine": source}, (obs,), ())


def test_a_grade_a_user_figure_moves_its_cell_more_than_a_grade_c_one():
    """The same figure from the user moves the cell's median more at grade A than at grade C."""
    inputs = QuoteInputs("data-scientist", 5, "idf")
    base = price_quote(inputs, TODAY).market_median
    moved = {}
    for grade in ("A", "C"):
        model = model_for(user=_user(grade, 900), loso=False)
        median = price_quote(inputs, TODAY, model=model).market_median
        assert median is not None
        assert base is not None
        moved[grade] = median - base
    assert moved["A"] > moved["C"] > 0


def test_a_source_in_two_years_gives_its_role_a_trend_of_its_own():
    """When one source gives a role in two data years, that role's trend is estimated."""
    market = load_market()
    older = tuple(
        o._replace(id=o.id + "-2023", data_year=2023, value=o.value * 0.8)
        for o in market.observations
        if o.source == "silkhom-2025" and o.role == "data-scientist" and not o.excluded
    )
    fit = fit_market(
        load_dataset(), market._replace(observations=market.observations + older), False
    )
    trend = fit.trend("data-scientist")
    assert trend is not None
    assert trend.method == "estimated"
    assert trend.sources == ("silkhom-2025",)
    assert 0.02 < trend.rate < TREND_MAX
    today = default_model().fit.trend("data-scientist")
    assert today is not None
    assert today.method == "index"


TREND_MAX = math.log(1 / 0.8)  # the planted move: 20% over two years, less than this a year


def test_ai_premium_comes_with_its_interval_from_sources_pricing_both():
    """The AI premium is pooled from sources with both roles at one cell, with its interval."""
    p = default_model().fit.premium
    assert p is not None
    assert p.sources == ("skill-grid-2026",)
    assert p.low < p.estimate < p.high
    assert p.tau_from_levels  # one source: the levels' tau stands in, scaled to its grade
    q = quote("ai-engineer", 5)
    assert q.premium == p


@pytest.mark.parametrize(("rate", "verdict"), [(492.6, "under-priced"), (501.999, "in-band")])
def test_verdict_reads_the_rate_to_the_cent(rate, verdict):
    """The verdict compares the rate as printed (to the cent) with the band as printed."""
    from tjm.market.band import MarketBand, position_in

    band = MarketBand(493 if rate < 500 else 502, 595, 705, 0.25)
    assert position_in(band, rate).verdict == verdict
