"""The one fit over every observation: its stored copy, its held-out errors, its band spread."""

import itertools
import math

import pytest

from tjm.dataset.load import load_dataset
from tjm.market.fit import fit_market
from tjm.market.fit_points import Z75, fit_points
from tjm.market.fit_store import curve_for, stored_fit
from tjm.market.observations import load_market


@pytest.fixture(scope="module")
def live_fit():
    return fit_market(load_dataset(), load_market())


def test_stored_fit_matches_a_fresh_fit(live_fit):
    """data/fit.toml holds what the fit finds today; else rerun `python -m tjm.market.fit_store`."""
    stored = stored_fit(load_dataset(), load_market())
    assert stored is not None, "data/fit.toml is missing or was made from other data"
    for kept, fresh in zip(stored.curves, live_fit.curves, strict=True):
        assert kept.region == fresh.region
        assert (kept.a, kept.b, kept.tau) == pytest.approx((fresh.a, fresh.b, fresh.tau), rel=1e-4)
    assert dict(stored.role_scale) == pytest.approx(dict(live_fit.role_scale), rel=1e-4)
    assert (stored.sigma, stored.s_loso, stored.tau) == pytest.approx(
        (live_fit.sigma, live_fit.s_loso, live_fit.tau), rel=1e-4
    )
    assert {e.source: e.effect for e in stored.effects} == pytest.approx(
        {e.source: e.effect for e in live_fit.effects}, abs=1e-5
    )
    assert [e.source for e in stored.loso] == [e.source for e in live_fit.loso]
    for kept_error, fresh_error in zip(stored.loso, live_fit.loso, strict=True):
        assert kept_error.error == pytest.approx(fresh_error.error, abs=1e-5)
    assert stored.premium is not None
    assert live_fit.premium is not None
    assert stored.premium.sources == live_fit.premium.sources
    stored_p, fresh_p = stored.premium, live_fit.premium
    assert (stored_p.estimate, stored_p.low, stored_p.high) == pytest.approx(
        (fresh_p.estimate, fresh_p.low, fresh_p.high), abs=1e-5
    )


def test_changed_data_is_refitted():
    """Observations whose hash differs from the stored fit's are fitted on the spot."""
    market = load_market()._replace(sha256="0" * 64)
    assert stored_fit(load_dataset(), market) is None
    assert curve_for(load_dataset(), market).residuals  # only a live fit carries residuals


def test_every_source_out_is_under_the_bound(live_fit):
    """Leaving each source out, its points are predicted within the dataset's bound."""
    bound = load_market().loso_bound
    measured = [e for e in live_fit.loso if e.error is not None]
    assert len(measured) >= 4
    for e in measured:
        assert e.error < bound, e


def test_loso_covers_every_fitted_source(live_fit):
    """Every fitted source gets a leave-one-out line, even one the others cannot predict."""
    sources = {p.source for p in fit_points(load_market())}
    assert {e.source for e in live_fit.loso} == sources


def test_sigma_is_derived_from_the_fit(live_fit):
    """The band's spread is the within-source dispersion, the sources' ranges and tau."""
    pts = fit_points(load_market())
    spreads = [p.spread for p in pts if p.spread is not None]
    assert live_fit.s_range == pytest.approx(sum(spreads) / len(spreads))
    assert live_fit.sigma == pytest.approx(
        math.sqrt(live_fit.s_fit**2 + live_fit.s_range**2 + live_fit.tau**2)
    )
    assert live_fit.sigma_thin > live_fit.sigma


def test_a_range_is_one_point_read_as_p25_p75():
    """A range's two ends make one point at their geometric mean, with a P25–P75 spread."""
    pts = {p.ids: p for p in fit_points(load_market())}
    surly = pts[("surly-2026-1", "surly-2026-2")]
    assert surly.value == pytest.approx(math.sqrt(550 * 650))
    assert surly.spread == pytest.approx(math.log(650 / 550) / (2 * Z75))


def test_year_index_moves_dated_figures_only():
    """A 2023 figure is raised by the Syntec index to the as-of year; an undated one is not."""
    pts = {p.ids: p for p in fit_points(load_market())}
    assert pts[("jdn-malt-trends-2024-1",)].value == pytest.approx(500 * 315.2 / 293.9)
    assert pts[("free-work-intechnia-1",)].value == 316


def test_curves_never_decrease(live_fit):
    """Each region's curve rises (or stays flat) with every added year."""
    for curve in live_fit.curves:
        rates = [curve.rate(y / 4) for y in range(0, 201)]
        assert all(b >= a for a, b in itertools.pairwise(rates))


def test_lower_bound_is_met(live_fit):
    """The fit meets a 'has crossed' figure: the AI engineer's mid-level point is at or above it."""
    jdn = next(r for r in live_fit.residuals if r.band == "jdn-malt-trends-2024-1")
    assert jdn.fitted >= jdn.observed - 1e-6


@pytest.mark.parametrize("seed", range(6))
def test_refits_from_perturbed_starts_print_the_same_curves(live_fit, seed):
    """A fit started from a perturbed point lands on the same curves, at the digits the view
    prints (whole euros, tenths of a year): the printed fit does not depend on the solver's
    path, so a fresh machine with other numpy and scipy versions prints the same text."""
    import numpy as np

    from tjm.market import fit as fit_module

    market = load_market()
    pts = fit_points(market)
    layout = fit_module._layout(load_dataset(), market)
    rng = np.random.default_rng(seed)
    start = np.asarray(fit_module._start(layout), float)
    start[:9] += rng.normal(0, 1.0, 9)
    start[9:] += rng.normal(0, 0.3, len(start) - 9)
    sol = fit_module._fit_x(pts, layout, start=start)
    curves, _scales = fit_module._unpack(sol.x, layout)
    for column, (a, b, tau) in zip(fit_module.COLUMNS, curves, strict=True):
        fitted = live_fit.curve(column)
        assert (round(a), round(b), round(tau, 1)) == (
            round(fitted.a),
            round(fitted.b),
            round(fitted.tau, 1),
        ), column
    assert round(sol.tau, 2) == round(live_fit.tau, 2)
