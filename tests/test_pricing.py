"""The pricing model: worked examples by hand, and properties over all valid inputs."""

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tjm.errors import TjmError, UnknownIdError
from tjm.inputs import QuoteInputs, check_quote
from tjm.pricing import default_model, quote

TODAY = dt.date(2026, 11, 27)
ROLES = ["ai-engineer", "data-scientist", "data-engineer"]
REGIONS = ["france", "idf", "other-city", "abroad"]
SKILLS = ["rag", "llm", "nlp", "computer-vision"]


def scarcity(tightness: float) -> float:
    """The premium as DESIGN.md states it, with elasticity 0.25 and cap 0.15."""
    return 1 + 0.15 * math.tanh(0.25 * tightness / 0.15)


# (inputs, expected model rate P50, expected target), worked by hand from the dataset.
WORKED = [
    (QuoteInputs("ai-engineer", 4), 500.0, 500),
    (QuoteInputs("ai-engineer", 4, skills=("rag",)), 500 * scarcity(math.log(4 / 3)), 535),
    (QuoteInputs("ai-engineer", 4, skills=("llm",)), 500 * scarcity(math.log(1.75 / 13)), 425),
    (QuoteInputs("ai-engineer", 4, skills=("llm", "rag")), 500 * scarcity(math.log(4 / 3)), 535),
    (QuoteInputs("data-engineer", 0.5), 0.677 * 296 + 0.323 * 284, 290),
]


@pytest.mark.parametrize(("inputs", "median", "target"), WORKED)
def test_worked_examples(inputs, median, target):
    """The model gives the hand-computed median (±0.01 EUR) and rounded target."""
    q = quote(inputs, TODAY)
    assert q.band.p50 == pytest.approx(median, abs=0.01)
    assert q.target == target


@pytest.mark.parametrize(("band_years", "region", "cell"), [
    (0.5, "idf", 316), (4, "idf", 508), (8, "other-city", 535), (20, "abroad", 866),
])
def test_data_scientist_follows_the_table(band_years, region, cell):
    """A data scientist with no skill is priced within 12% of Free-Work's cell."""
    q = quote(QuoteInputs("data-scientist", band_years, region), TODAY)
    assert q.band.p50 == pytest.approx(cell, rel=0.12)


def test_ai_engineer_anchor():
    """At the reference years in France with no skill, the AI engineer is ≥ 500, within 2%."""
    q = quote(QuoteInputs("ai-engineer", default_model().reference_years), TODAY)
    assert 500 <= q.target <= 510


def test_ai_engineer_ahead_of_data_scientist_at_mid_level():
    """At the mid-level years the AI engineer out-prices the data scientist, as the report says."""
    years = default_model().reference_years
    ai = quote(QuoteInputs("ai-engineer", years), TODAY)
    ds = quote(QuoteInputs("data-scientist", years), TODAY)
    assert ai.target > ds.target


def test_breakdown_multiplies_to_the_rate():
    """The base times every multiplier is the model rate, and each factor names a source."""
    q = quote(QuoteInputs("data-scientist", 7, "abroad", ("nlp",), 600), TODAY)
    rate = q.breakdown[0].rate
    for factor in q.breakdown[1:]:
        rate *= factor.multiplier
        assert factor.source
    assert rate == pytest.approx(q.band.p50)
    assert [f.name for f in q.breakdown] == ["base", "experience", "region", "scarcity"]


def test_threshold_and_stale_warning():
    """The quote gives the gap to the 500 mark and warns when the data is old."""
    q = quote(QuoteInputs("ai-engineer", 6, rate=480), TODAY)
    assert q.threshold.value == 500
    assert q.threshold.delta == q.target - 500
    assert q.threshold.rate_delta == -20
    assert any("months ago" in w for w in q.warnings)
    fresh = quote(QuoteInputs("ai-engineer", 6), dt.date(2024, 6, 1))
    assert not any("months ago" in w for w in fresh.warnings)


def test_extrapolation_warning():
    """Years past the top band's fitting point are flagged as extrapolated."""
    q = quote(QuoteInputs("data-scientist", 35), TODAY)
    assert any("extrapolated" in w for w in q.warnings)


@pytest.mark.parametrize("inputs", [
    QuoteInputs("astronaut", 3),
    QuoteInputs("ai-engineer", 3, "mars"),
    QuoteInputs("ai-engineer", 3, skills=("cobol",)),
])
def test_unknown_ids_are_refused(inputs):
    """Unknown role, region and skill ids are refused where the inputs enter."""
    with pytest.raises(UnknownIdError):
        check_quote(inputs)


def test_unknown_id_lists_the_valid_ones():
    """An unknown skill's error lists every valid skill id."""
    with pytest.raises(TjmError, match="computer-vision, llm, nlp, rag"):
        check_quote(QuoteInputs("ai-engineer", 3, skills=("cobol",)))


years = st.floats(min_value=0, max_value=50, allow_nan=False)
skill_sets = st.sets(st.sampled_from(SKILLS)).map(lambda s: tuple(sorted(s)))


@given(st.sampled_from(ROLES), st.sampled_from(REGIONS), skill_sets, years, years)
def test_rate_is_monotone_in_years(role, region, skills, a, b):
    """More experience never gives a lower model rate."""
    low, high = sorted((a, b))
    q_low = quote(QuoteInputs(role, low, region, skills), TODAY)
    q_high = quote(QuoteInputs(role, high, region, skills), TODAY)
    assert q_high.band.p50 >= q_low.band.p50 * (1 - 1e-12)


@given(st.sampled_from(ROLES), st.sampled_from(REGIONS), years,
       st.sets(st.sampled_from(SKILLS), min_size=1), st.sampled_from(SKILLS))
def test_adding_a_skill_never_lowers_the_rate(role, region, y, skills, extra):
    """Adding a skill to a non-empty set never lowers the rate."""
    before = quote(QuoteInputs(role, y, region, tuple(sorted(skills))), TODAY)
    after = quote(QuoteInputs(role, y, region, tuple(sorted(skills | {extra}))), TODAY)
    assert after.band.p50 >= before.band.p50


@given(st.sampled_from(ROLES), st.sampled_from(REGIONS), skill_sets, years,
       st.floats(min_value=1, max_value=10_000))
def test_no_output_is_nan(role, region, skills, y, rate):
    """Every number in a quote is finite for any valid input."""
    q = quote(QuoteInputs(role, y, region, skills, rate), TODAY)
    numbers = [q.target, q.stretch, q.band.p25, q.band.p50, q.band.p75, q.threshold.delta,
               q.position.percentile, q.position.gap_to_median,
               *(f.rate for f in q.breakdown),
               *(f.multiplier for f in q.breakdown if f.multiplier is not None)]
    assert all(math.isfinite(n) for n in numbers)
    assert q.target % 5 == 0
    assert 0 <= q.position.percentile <= 100
