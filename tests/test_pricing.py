"""The pricing model: worked examples by hand, and properties over all valid inputs."""

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tjm.dataset.load import load_dataset
from tjm.errors import TjmError, UnknownIdError
from tjm.inputs import QuoteInputs, check_quote
from tjm.market.model import best_tightness, default_model, price_rows
from tjm.market.quote import Quote, positioning_regions, price_quote

from .strategies import REGIONS, ROLES, SKILLS, regions, roles, skill_sets

TODAY = dt.date(2026, 11, 27)
PARAMS = load_dataset().parameters
ELASTICITY, CAP = PARAMS["scarcity_elasticity"].value, PARAMS["scarcity_cap"].value


def scarcity(tightness: float) -> float:
    """The multiplier as the README states it: a premium for a tightening skill only."""
    return 1 + CAP * math.tanh(ELASTICITY * max(tightness, 0) / CAP)


def model_rate(q: Quote) -> float:
    """The unrounded model rate: the breakdown's last line (the band is in whole euros)."""
    return q.breakdown[-1].rate


RAG, LLM = math.log(4 / 3), math.log(1.75 / 13)


def by_hand(role: str, years: float) -> float:
    """The stored fit's national curve at some years, × the role's scale, as the README says."""
    fit = default_model().fit
    national = 0.677 * fit.curve("idf").rate(years) + 0.323 * fit.curve("other-city").rate(years)
    return fit.scale(role) * national


# (inputs, expected model rate), worked by hand from the stored fit's parameters.
WORKED = [
    (QuoteInputs("ai-engineer", 4), lambda: by_hand("ai-engineer", 4)),
    (
        QuoteInputs("ai-engineer", 4, skills=("rag",)),
        lambda: by_hand("ai-engineer", 4) * scarcity(RAG),
    ),
    (QuoteInputs("ai-engineer", 4, skills=("llm",)), lambda: by_hand("ai-engineer", 4)),
    (
        QuoteInputs("ai-engineer", 4, skills=("llm", "rag")),
        lambda: by_hand("ai-engineer", 4) * scarcity(RAG),
    ),
    (QuoteInputs("data-engineer", 0.5), lambda: by_hand("data-engineer", 0.5)),
]


@pytest.mark.parametrize(("inputs", "median"), WORKED)
def test_worked_examples(inputs, median):
    """The model gives the hand-computed rate (±0.01 EUR), its euro P50 and the rounded target."""
    q = price_quote(inputs, TODAY)
    assert model_rate(q) == pytest.approx(median(), abs=0.01)
    assert q.band.p50 == round(median())
    assert q.target == 5 * round(median() / 5)


def test_crowded_skill_is_named_and_not_priced():
    """A skill whose supply outgrows its demand says so in the breakdown and adds nothing."""
    q = price_quote(QuoteInputs("ai-engineer", 4, skills=("llm",)), TODAY)
    scarcity_line = q.breakdown[-1]
    assert scarcity_line.multiplier == 1.0
    assert "crowded: supply +1,200% against demand +75%; no premium" in scarcity_line.explanation


def test_scarcer_skill_premium_is_bounded():
    """A tightening skill adds a premium above 0 and below the cap."""
    q = price_quote(QuoteInputs("data-scientist", 4, skills=("rag", "nlp")), TODAY)
    factor = q.breakdown[-1]
    assert factor.multiplier is not None
    assert 1 < factor.multiplier < 1 + CAP
    assert factor.explanation.startswith("rag: scarcer: demand +300% against supply +200%")
    assert "nlp: crowded" in factor.explanation


def test_reference_years_are_mid_level():
    """The reference years, where the 500 mark sits, stay between 3 and 6."""
    assert 3 <= default_model().reference_years <= 6


@pytest.mark.parametrize(
    ("band_years", "region", "cell"),
    [
        (0.5, "idf", 316),
        (4, "idf", 508),
        (8, "other-city", 535),
        (20, "abroad", 866),
    ],
)
def test_data_scientist_follows_the_table(band_years, region, cell):
    """A data scientist with no skill, moved by Free-Work's own effect, is within 12% of its
    cell: the market level is the mean across sources, Free-Work's table sits below it."""
    model = default_model()
    q = price_quote(QuoteInputs("data-scientist", band_years, region), TODAY)
    effect = model.fit.effect("free-work-intechnia")
    assert effect < 0
    assert q.band.p50 * math.exp(effect) == pytest.approx(cell, rel=0.12)


def test_ai_engineer_anchor():
    """The mid-level AI engineer is at or above Malt's 500 raised by the index to the as-of year."""
    q = price_quote(QuoteInputs("ai-engineer", default_model().reference_years), TODAY)
    assert model_rate(q) >= 500 * 315.2 / 293.9 - 0.01
    assert q.target >= 500


def test_ai_engineer_ahead_of_data_scientist_at_mid_level():
    """At the mid-level years the AI engineer out-prices the data scientist, as the report says."""
    years = default_model().reference_years
    ai = price_quote(QuoteInputs("ai-engineer", years), TODAY)
    ds = price_quote(QuoteInputs("data-scientist", years), TODAY)
    assert ai.target > ds.target


def test_breakdown_multiplies_to_the_rate():
    """The base times every multiplier is the model rate, and each factor names a source."""
    q = price_quote(QuoteInputs("data-scientist", 7, "abroad", ("nlp",), 600), TODAY)
    rate = q.breakdown[0].rate
    for factor in q.breakdown[1:]:
        assert factor.multiplier is not None
        rate *= factor.multiplier
        assert factor.source
    assert rate == pytest.approx(model_rate(q))
    assert round(rate) == q.band.p50
    assert [f.name for f in q.breakdown] == ["base", "experience", "region", "scarcity"]


def test_threshold_and_stale_warning():
    """The quote gives the gap to the 500 mark and warns when the data is old."""
    q = price_quote(QuoteInputs("ai-engineer", 6, rate=480), TODAY)
    assert q.threshold.value == 500
    assert q.threshold.delta == q.target - 500
    assert q.threshold.rate_delta == -20
    assert q.evidence is not None
    assert q.evidence.newest is not None
    newest = q.evidence.newest
    late = price_quote(QuoteInputs("ai-engineer", 6), newest + dt.timedelta(days=400))
    assert any(w.code == "stale-data" and "months ago" in w.message for w in late.warnings)
    fresh = price_quote(QuoteInputs("ai-engineer", 6), newest + dt.timedelta(days=200))
    assert "stale-data" not in [w.code for w in fresh.warnings]


def test_open_band_warning_starts_with_the_band():
    """Years in the open top band (> 15 years) are flagged from its first year, not from 20."""
    start = next(b for b in load_dataset().bands if b.max_years is None).min_years
    assert start < default_model().last_fitted_years
    for years in (start, start + 1, 35):
        q = price_quote(QuoteInputs("data-scientist", years), TODAY)
        assert any(w.code == "open-band" and "open band" in w.message for w in q.warnings), years
    below = price_quote(QuoteInputs("data-scientist", start - 0.5), TODAY)
    assert "open-band" not in [w.code for w in below.warnings]


@pytest.mark.parametrize("region", REGIONS)
def test_positioning_stays_in_france(region):
    """A positioning lever never suggests moving abroad, unless the user already works there."""
    allowed = positioning_regions(default_model(), QuoteInputs("data-scientist", 5, region))
    assert ("abroad" in allowed) == (region == "abroad")
    assert {"france", "idf", "other-city"} <= set(allowed)


@pytest.mark.parametrize(
    "inputs",
    [
        QuoteInputs("astronaut", 3),
        QuoteInputs("ai-engineer", 3, "mars"),
        QuoteInputs("ai-engineer", 3, skills=("cobol",)),
    ],
)
def test_unknown_ids_are_refused(inputs):
    """Unknown role, region and skill ids are refused where the inputs enter."""
    with pytest.raises(UnknownIdError):
        check_quote(inputs)


def test_unknown_id_lists_the_valid_ones():
    """An unknown skill's error lists every valid skill id."""
    with pytest.raises(TjmError, match="computer-vision, llm, nlp, rag"):
        check_quote(QuoteInputs("ai-engineer", 3, skills=("cobol",)))


years = st.floats(min_value=0, max_value=40, allow_nan=False)


@given(roles, regions, skill_sets, years, years)
def test_rate_is_monotone_in_years(role, region, skills, a, b):
    """More experience never gives a lower model rate, nor a lower target."""
    low, high = sorted((a, b))
    q_low = price_quote(QuoteInputs(role, low, region, skills), TODAY)
    q_high = price_quote(QuoteInputs(role, high, region, skills), TODAY)
    assert model_rate(q_high) >= model_rate(q_low) * (1 - 1e-12)
    assert q_high.target >= q_low.target


@given(roles, regions, years, skill_sets, skill_sets)
def test_adding_a_skill_never_lowers_the_rate(role, region, y, skills, extra):
    """Any superset of skills (the empty set included) is priced at or above the subset."""
    subset = QuoteInputs(role, y, region, skills)
    superset = subset._replace(skills=tuple(sorted({*skills, *extra})))
    before, after = price_quote(subset, TODAY), price_quote(superset, TODAY)
    assert model_rate(after) >= model_rate(before)
    assert after.target >= before.target


@given(skill_sets)
def test_ai_engineer_at_reference_years_reaches_the_mark(skills):
    """A mid-level AI engineer in France is quoted 500 or more, whatever skills are sold."""
    mark = load_dataset().threshold.value
    q = price_quote(
        QuoteInputs("ai-engineer", default_model().reference_years, "france", skills), TODAY
    )
    assert q.target >= mark
    assert q.band.p50 >= mark


@given(regions, skill_sets, years)
def test_ai_engineer_at_or_above_data_scientist(region, skills, y):
    """The AI engineer is priced at or above the data scientist at equal years, region, skills."""
    ai = price_quote(QuoteInputs("ai-engineer", y, region, skills), TODAY)
    ds = price_quote(QuoteInputs("data-scientist", y, region, skills), TODAY)
    assert model_rate(ai) >= model_rate(ds)
    assert ai.target >= ds.target


@given(roles, regions, skill_sets, years)
def test_rate_is_flat_past_the_last_fitted_point(role, region, skills, y):
    """Past the last fitted point (the open band's stand-in) the rate stops moving."""
    last = default_model().last_fitted_years
    at = price_quote(QuoteInputs(role, last, region, skills), TODAY)
    beyond = price_quote(QuoteInputs(role, max(y, last), region, skills), TODAY)
    assert model_rate(beyond) == pytest.approx(model_rate(at), rel=1e-12)
    assert beyond.band == at.band


@given(
    roles,
    regions,
    skill_sets,
    years,
    st.floats(min_value=1, max_value=10_000),
)
def test_no_output_is_nan(role, region, skills, y, rate):
    """Every number in a quote is finite for any valid input."""
    q = price_quote(QuoteInputs(role, y, region, skills, rate), TODAY)
    assert q.position is not None
    numbers = [
        q.target,
        q.stretch,
        q.band.p25,
        q.band.p50,
        q.band.p75,
        q.threshold.delta,
        q.position.percentile,
        q.position.gap_to_median,
        *(f.rate for f in q.breakdown),
        *(f.multiplier for f in q.breakdown if f.multiplier is not None),
    ]
    assert all(math.isfinite(n) for n in numbers)
    assert q.target % 5 == 0
    assert 0 <= q.position.percentile <= 100


# The same properties, checked exhaustively on a grid: every role, region and skill subset,
# years 0 to 40 in quarter years, priced at once through price_rows.
GRID_YEARS = [y / 4 for y in range(0, 161)]
SUBSETS = [tuple(s for i, s in enumerate(SKILLS) if mask >> i & 1) for mask in range(16)]


def grid_rates(role: str, region: str, skills: tuple[str, ...]):
    """Return the model rate at every grid year for one role, region and skill set."""
    model = default_model()
    n = len(GRID_YEARS)
    t = best_tightness(model, skills)
    return price_rows(
        model, [model.roles.index(role)] * n, GRID_YEARS, [model.regions.index(region)] * n, [t] * n
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("region", REGIONS)
def test_grid_superset_never_lower(role, region):
    """On the whole grid, a superset of skills is never priced below its subset."""
    rates = {s: grid_rates(role, region, s) for s in SUBSETS}
    for small in SUBSETS:
        for big in SUBSETS:
            if set(small) <= set(big):
                assert (rates[big] >= rates[small]).all(), (small, big)


@pytest.mark.parametrize("region", REGIONS)
def test_grid_ai_engineer_at_or_above_data_scientist(region):
    """On the whole grid, the AI engineer is at or above the data scientist."""
    for skills in SUBSETS:
        ai = grid_rates("ai-engineer", region, skills)
        ds = grid_rates("data-scientist", region, skills)
        assert (ai >= ds).all(), skills


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("region", REGIONS)
def test_grid_non_decreasing_then_flat(role, region):
    """On the whole grid, rates never fall with years and stop moving past the last fit point."""
    last = default_model().last_fitted_years
    for skills in SUBSETS:
        rates = grid_rates(role, region, skills)
        assert (rates[1:] >= rates[:-1] * (1 - 1e-12)).all()
        tail = rates[[i for i, y in enumerate(GRID_YEARS) if y >= last]]
        assert tail == pytest.approx([tail[0]] * len(tail), rel=1e-12)


def test_grid_five_hundred_mark():
    """Every skill subset of the mid-level AI engineer in France rounds to 500 or more."""
    model = default_model()
    for skills in SUBSETS:
        t = best_tightness(model, skills)
        rate = float(
            price_rows(
                model,
                [model.roles.index("ai-engineer")],
                [model.reference_years],
                [model.regions.index("france")],
                [t],
            )[0]
        )
        assert round(rate) >= 500, skills
