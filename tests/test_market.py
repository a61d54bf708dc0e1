"""The log-normal market band: quantiles, percentiles and verdicts."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tjm.market.band import make_band, percentiles, position_in

Z75 = 0.6744897501960817  # the standard normal's 75th percentile

medians = st.floats(min_value=50, max_value=5000)
sigmas = st.floats(min_value=0.05, max_value=1.0)


def test_band_quantiles_by_hand():
    """P25 and P75 sit at median·exp(∓z75·sigma), rounded to the euro."""
    band = make_band(500.4, 0.2)
    assert band.p25 == round(500.4 * math.exp(-Z75 * 0.2))
    assert band.p50 == 500
    assert band.p75 == round(500.4 * math.exp(Z75 * 0.2))


@given(medians, sigmas)
def test_band_is_in_whole_euros(median, sigma):
    """Every band value is a whole number of euros."""
    band = make_band(median, sigma)
    assert all(v == int(v) for v in (band.p25, band.p50, band.p75))


@given(medians, sigmas)
def test_verdict_at_the_printed_bounds(median, sigma):
    """A rate equal to the printed P25 or P75 is in-band; one euro outside is not."""
    band = make_band(median, sigma)
    p25, p75 = (float(f"{v:.0f}") for v in (band.p25, band.p75))  # as the output prints them
    assert position_in(band, p25).verdict == "in-band"
    assert position_in(band, p75).verdict == "in-band"
    assert position_in(band, p25 - 1).verdict == "under-priced"
    assert position_in(band, p75 + 1).verdict == "premium"


@given(medians, sigmas)
def test_percentile_of_median_is_50(median, sigma):
    """The median rate sits at the 50th percentile."""
    assert float(percentiles(median, median, sigma)) == pytest.approx(50)


@given(medians, sigmas, st.floats(1, 10_000), st.floats(1, 10_000))
def test_percentile_is_monotone_in_rate(median, sigma, a, b):
    """A higher rate never has a lower percentile."""
    low, high = sorted((a, b))
    assert float(percentiles(low, median, sigma)) <= float(percentiles(high, median, sigma))


@pytest.mark.parametrize(
    ("rate", "verdict"),
    [(436, "under-priced"), (437, "in-band"), (500, "in-band"), (572, "in-band"), (573, "premium")],
)
def test_verdicts(rate, verdict):
    """Below P25 is under-priced, above P75 premium, else in-band (band 437–572)."""
    position = position_in(make_band(500, 0.2), rate)
    assert position.verdict == verdict
    assert position.gap_to_median == pytest.approx(rate - 500)
