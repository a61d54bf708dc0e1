"""The market band: a log-normal around the model rate, its percentiles and verdicts.

The band is shown in whole euros, so it is returned in whole euros, and verdicts are taken
against those rounded values: a rate equal to the printed P25 is in the band. One band or one
rate is served by `statistics.NormalDist` and plain floats; scipy.special serves the arrays.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import ArrayLike, NDArray

UNDER_PRICED, IN_BAND, PREMIUM = "under-priced", "in-band", "premium"


class MarketBand(NamedTuple):
    """P25, P50 and P75 in whole euros, and the log-space spread they come from."""

    p25: float
    p50: float
    p75: float
    sigma: float


class Position(NamedTuple):
    """Where one rate stands in a band."""

    rate: float
    percentile: float
    verdict: str
    gap_to_median: float


def band_quantiles(
    median: ArrayLike, sigma: float | NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return (p25, p75) arrays of a log-normal with this median and log-space sigma."""
    import numpy as np

    z75 = _z75()
    mid = np.asarray(median, dtype=float)
    return mid * np.exp(-z75 * sigma), mid * np.exp(z75 * sigma)


def round_euros(values: ArrayLike) -> NDArray[np.float64]:
    """Round amounts to whole euros, half to even (numpy's and Python's round alike)."""
    import numpy as np

    return np.round(np.asarray(values, float))


def percentiles(
    rate: ArrayLike, median: ArrayLike, sigma: float | NDArray[np.float64]
) -> NDArray[np.float64]:
    """Return the percentile (0 to 100) of each rate in its band."""
    import numpy as np
    from scipy.special import ndtr

    pct: NDArray[np.float64] = 100 * ndtr(
        np.log(np.asarray(rate, float) / np.asarray(median, float)) / sigma
    )
    return pct


def verdicts(rate: ArrayLike, p25: ArrayLike, p75: ArrayLike) -> NDArray[np.str_]:
    """Return under-priced below P25, premium above P75, else in-band, per rate.

    Pass the rounded P25 and P75, the ones shown, so that the verdict matches the print.
    """
    import numpy as np

    rates = np.asarray(rate, float)
    return np.where(rates < p25, UNDER_PRICED, np.where(rates > p75, PREMIUM, IN_BAND))


def make_band(median: float, sigma: float) -> MarketBand:
    """Return the band around one model rate, in whole euros (as band_quantiles and
    round_euros give it, without numpy)."""
    z75 = _z75()
    low, high = median * math.exp(-z75 * sigma), median * math.exp(z75 * sigma)
    # round() and numpy's round both round half to even.
    p25, p50, p75 = (float(round(v)) for v in (low, median, high))
    return MarketBand(p25, p50, p75, sigma)


def shown_rate(rate: float) -> float:
    """Return a rate as it is printed: to the cent (whole euros print without cents)."""
    return round(rate, 2)


def position_in(band: MarketBand, rate: float) -> Position:
    """Return the percentile, verdict and gap to the median of one rate, against the band shown
    (as percentiles and verdicts give them, without numpy or scipy).

    The verdict compares the rate as printed (to the cent) with the band as printed (whole
    euros): 492.60 is under a P25 of 493, and 492.996, printed 493.00, is in the band.
    """
    from statistics import NormalDist

    pct = 100 * NormalDist().cdf(math.log(rate / band.p50) / band.sigma)
    shown = shown_rate(rate)
    verdict = UNDER_PRICED if shown < band.p25 else PREMIUM if shown > band.p75 else IN_BAND
    return Position(rate, pct, verdict, rate - band.p50)


def _z75() -> float:
    """Return the standard normal's 75th percentile (scipy's ndtri(0.75) to the last bit)."""
    from statistics import NormalDist

    return NormalDist().inv_cdf(0.75)
