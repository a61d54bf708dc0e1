"""The experience curve fit: its quality, its shape, and the stored copy the quote reads."""

import itertools

import pytest

from tjm.benchmarks import load_dataset
from tjm.fit import curve_for, fit_curve, stored_fit


@pytest.fixture(scope="module")
def live_fit():
    return fit_curve(load_dataset())


def test_fit_reproduces_the_free_work_table(live_fit):
    """The fitted curves stay within 5% MAPE and 12% per cell of the 18 table cells."""
    assert len(live_fit.residuals) == 18
    assert live_fit.mape < 5
    assert max(abs(r.error_pct) for r in live_fit.residuals) < 12


def test_leave_one_band_out_error_is_reported(live_fit):
    """The live fit reports a leave-one-band-out error, above the in-sample error."""
    assert live_fit.loo_mape > live_fit.mape


def test_recorded_loo_error_matches_the_fit(live_fit):
    """The held-out error the band's sigma is derived from is the one a fresh fit measures."""
    recorded = load_dataset().sigma_derivation.loo_error
    assert recorded == pytest.approx(live_fit.loo_mape / 100, abs=5e-4)


def test_curves_never_decrease(live_fit):
    """Each region's curve rises (or stays flat) with every added year."""
    for curve in live_fit.curves:
        rates = [curve.rate(y / 4) for y in range(0, 201)]
        assert all(b >= a for a, b in itertools.pairwise(rates))


def test_stored_fit_matches_a_fresh_fit(live_fit):
    """data/fit.toml holds what curve_fit finds today; rerun `python -m tjm.fit` if not."""
    stored = stored_fit(load_dataset())
    assert stored is not None, "data/fit.toml is missing or was made from another dataset"
    for kept, fresh in zip(stored.curves, live_fit.curves, strict=True):
        assert kept.region == fresh.region
        assert (kept.a, kept.b, kept.tau) == pytest.approx((fresh.a, fresh.b, fresh.tau),
                                                           rel=1e-4)


def test_changed_dataset_is_refitted():
    """A dataset whose hash differs from the stored fit's is fitted on the spot."""
    data = load_dataset()._replace(sha256="0" * 64)
    assert stored_fit(data) is None
    assert curve_for(data).residuals  # only a live fit carries residuals
