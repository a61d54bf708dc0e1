"""One weighted fit over every observation: an experience curve per region column, a scale per
role, and the band's spread, with each source's leave-one-out error.

The points come from tjm.market.fit_points; tjm.market.fit_store keeps the result in
data/fit.toml, which `python -m tjm.market.fit_store` writes.
"""

from __future__ import annotations

import hashlib
import math
from typing import TYPE_CHECKING, NamedTuple

from tjm.dataset.records import Dataset
from tjm.i18n import _, ngettext, pgettext
from tjm.i18n.formats import format_date
from tjm.market.fit_points import Point, fit_points

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import ArrayLike, NDArray

    from tjm.market.observations import Market

SHAPE = "a - b*exp(-years/tau)"
COLUMNS = ("idf", "other-city", "abroad")
REFERENCE_ROLE = "data-scientist"  # its scale is 1: the curves are in its units
LOW_TAU = 0.5  # years; the longest time constant is the data's (max_tau_years)


class CurveParams(NamedTuple):
    region: str
    a: float
    b: float
    tau: float

    def rate(self, years: float) -> float:
        """Return the curve's rate at some years of experience."""
        return self.a - self.b * math.exp(-years / self.tau)


class Residual(NamedTuple):
    band: str  # the observation ids
    region: str
    years: float
    observed: float
    fitted: float
    source: str = ""
    role: str = ""
    weight: float = 0.0

    @property
    def error_pct(self) -> float:
        return 100 * (self.fitted - self.observed) / self.observed


class SourceError(NamedTuple):
    """The error on one source's points of a fit made without that source."""

    source: str
    points: int
    predicted: int  # points whose parameters the other sources still identify
    error: float | None  # mean absolute relative error, a fraction; None when none predicted
    note: str


class CurveFit(NamedTuple):
    table: str  # what was fitted: "observations"
    dataset_sha256: str
    curves: tuple[CurveParams, ...]
    residuals: tuple[Residual, ...] = ()
    loo_mape: float | None = None  # mean leave-one-source-out error, %, over sources predicted
    role_scale: tuple[tuple[str, float], ...] = ()
    sigma: float = 0.0
    s_fit: float = 0.0
    s_range: float = 0.0
    s_loso: float = 0.0
    last_fitted_years: float = 0.0
    loso: tuple[SourceError, ...] = ()

    @property
    def mape(self) -> float:
        """Return the mean absolute percentage error over the fitted points."""
        return sum(abs(r.error_pct) for r in self.residuals) / len(self.residuals)

    def curve(self, region: str) -> CurveParams:
        return next(c for c in self.curves if c.region == region)

    def scale(self, role: str) -> float:
        return dict(self.role_scale).get(role, 1.0)

    @property
    def sigma_thin(self) -> float:
        """Return the band's spread where no current A/B figure backs the cell."""
        return math.sqrt(self.sigma**2 + self.s_loso**2)


class _Layout(NamedTuple):
    roles: tuple[str, ...]  # roles with a scale of their own (all but the reference)
    mix: dict[str, float]  # the national region as a mix of columns
    max_tau: float


def _unpack(
    x: NDArray[np.float64], layout: _Layout
) -> tuple[list[tuple[float, float, float]], dict[str, float]]:
    import numpy as np

    curves: list[tuple[float, float, float]] = []
    for c in range(len(COLUMNS)):
        alpha, beta, kappa = x[3 * c : 3 * c + 3]
        a = float(np.exp(alpha))
        curves.append((a, a / (1 + np.exp(-beta)), float(np.exp(kappa))))
    scales = {
        REFERENCE_ROLE: 1.0,
        **{r: float(np.exp(x[9 + i])) for i, r in enumerate(layout.roles)},
    }
    return curves, scales


def _predict(x: NDArray[np.float64], layout: _Layout, pts: list[Point]) -> NDArray[np.float64]:
    import numpy as np

    curves, scales = _unpack(x, layout)
    out = []
    for p in pts:
        at = {
            col: a - b * np.exp(-p.years / tau)
            for col, (a, b, tau) in zip(COLUMNS, curves, strict=True)
        }
        base = (
            sum(w * at[c] for c, w in layout.mix.items()) if p.region == "france" else at[p.region]
        )
        out.append(scales[p.role] * base)
    return np.asarray(out, float)


def _identified(pts: list[Point], layout: _Layout) -> tuple[set[str], set[str]]:
    """Return the columns (three distinct years at least) and the roles the points identify."""
    columns = {c for c in COLUMNS if len({p.years for p in pts if p.region == c}) >= 3}
    roles = {p.role for p in pts}
    return columns, roles


def _solve(
    pts: list[Point], layout: _Layout, start: ArrayLike, free: ArrayLike
) -> NDArray[np.float64]:
    """Weighted least squares in log space over the free parameters; the rest stay at start."""
    import numpy as np
    from scipy.optimize import least_squares

    x0 = np.asarray(start, float)
    fitted = np.asarray(free, bool)
    obs = np.log([p.value for p in pts])
    sw = np.sqrt([p.weight for p in pts])
    low = np.tile([-np.inf, -10.0, math.log(LOW_TAU)], len(COLUMNS))
    high = np.tile([np.inf, 10.0, math.log(layout.max_tau)], len(COLUMNS))
    low = np.concatenate([low, -np.inf * np.ones(len(layout.roles))])
    high = np.concatenate([high, np.inf * np.ones(len(layout.roles))])

    def residuals(z: NDArray[np.float64]) -> NDArray[np.float64]:
        x = x0.copy()
        x[fitted] = z
        weighted: NDArray[np.float64] = sw * (np.log(_predict(x, layout, pts)) - obs)
        return weighted

    z0 = np.clip(x0[fitted], low[fitted] + 1e-9, high[fitted] - 1e-9)
    result = least_squares(
        residuals, z0, bounds=(low[fitted], high[fitted]), x_scale="jac", max_nfev=20_000
    )
    x = x0.copy()
    x[fitted] = result.x
    return x


def _start(layout: _Layout) -> list[float]:
    return [math.log(800), 0.0, math.log(10)] * len(COLUMNS) + [0.0] * len(layout.roles)


def _raise_to_bounds(x: ArrayLike, layout: _Layout, pts: list[Point]) -> NDArray[np.float64]:
    """Raise a role's scale until its lower-bound points ('has crossed 500') are met."""
    import numpy as np

    raised = np.array(x, float)
    for i, role in enumerate(layout.roles):
        bound = [p for p in pts if p.lower_bound and p.role == role]
        if bound:
            ratio = min(
                float(f)
                for f in _predict(raised, layout, bound) / np.asarray([p.value for p in bound])
            )
            if ratio < 1:
                raised[9 + i] -= math.log(ratio)
    return raised


def _layout(dataset: Dataset, market: Market) -> _Layout:
    return _Layout(
        tuple(r for r in dataset.roles if r != REFERENCE_ROLE),
        dict(dataset.regions["france"].mix),
        market.max_tau,
    )


def _fit_x(
    pts: list[Point],
    layout: _Layout,
    start: NDArray[np.float64] | None = None,
    exclude_source: str | None = None,
) -> tuple[NDArray[np.float64], set[str], set[str]]:
    """Fit every identified parameter; return the parameters and which ones were identified."""
    kept = [p for p in pts if p.source != exclude_source]
    columns, roles = _identified(kept, layout)
    touched = {p.region for p in kept} | (
        set(layout.mix) if any(p.region == "france" for p in kept) else set()
    )
    free: list[bool] = []
    for c in COLUMNS:
        # A column with too few years for a shape keeps the start's shape; its level is
        # still fitted when any point touches it.
        free += (
            [c in columns, c in columns, c in columns]
            if c in columns
            else [c in touched, False, False]
        )
    free += [r in roles for r in layout.roles]
    columns = columns | (touched & set(COLUMNS)) if start is not None else columns
    x = _solve(kept, layout, start if start is not None else _start(layout), free)
    return _raise_to_bounds(x, layout, kept), columns, roles


def _known(p: Point, columns: set[str], roles: set[str]) -> bool:
    """Return True when a fit that identified these columns and roles can predict the point."""
    needs = {"idf", "other-city"} if p.region == "france" else {p.region}
    return needs <= columns and (p.role == REFERENCE_ROLE or p.role in roles)


def _loso(pts: list[Point], layout: _Layout, full: NDArray[np.float64]) -> list[SourceError]:
    """Refit without each source in turn and measure the error on its own points."""
    found = []
    for source in sorted({p.source for p in pts}):
        own = [p for p in pts if p.source == source]
        x, columns, roles = _fit_x(pts, layout, start=full, exclude_source=source)

        predictable = [p for p in own if _known(p, columns, roles)]
        errors = [
            abs(float(f) / p.value - 1)
            for p, f in zip(predictable, _predict(x, layout, predictable), strict=True)
        ]
        missing = sorted({f"{p.role} {p.region}" for p in own if not _known(p, columns, roles)})
        shape = sorted(
            set(COLUMNS) - _identified([p for p in pts if p.source != source], layout)[0]
        )
        notes = []
        if missing:
            lost = len(own) - len(predictable)
            notes.append(
                ngettext(
                    "{count} point not predictable without it (only it covers: {cells})",
                    "{count} points not predictable without it (only it covers: {cells})",
                    lost,
                ).format(count=lost, cells=", ".join(missing))
            )
        if shape:
            notes.append(
                _(
                    "without it the curve shape of {regions} is the full fit's; only the level "
                    "is refitted"
                ).format(regions=", ".join(shape))
            )
        note = pgettext("clauses", "; ").join(notes)
        found.append(
            SourceError(
                source,
                len(own),
                len(predictable),
                sum(errors) / len(errors) if errors else None,
                note,
            )
        )
    return found


def data_sha256(dataset: Dataset, market: Market) -> str:
    """Return the hash the stored fit is checked against: both files and the as-of date."""
    text = f"{dataset.sha256}:{market.sha256}:{market.as_of.isoformat()}"
    return hashlib.sha256(text.encode()).hexdigest()


def fit_market(dataset: Dataset, market: Market, with_loso: bool = True) -> CurveFit:
    """Fit the curves and role scales over every observation; derive the band's spread."""
    pts = fit_points(market)
    layout = _layout(dataset, market)
    x, columns, roles = _fit_x(pts, layout)
    missing = set(COLUMNS) - columns
    if missing or set(layout.roles) - roles:
        from tjm.errors import DataError

        none = pgettext("empty list", "none")
        message = _(
            "too few observations to fit the model as of {date}: {count} published by then "
            "({known}), {fittable} of them fittable; no curve for {curves}, no scale for {roles}"
        ).format(
            date=format_date(market.as_of),
            count=len(market.observations),
            known=", ".join(o.id for o in market.observations) or none,
            fittable=len(pts),
            curves=", ".join(sorted(missing)) or none,
            roles=", ".join(sorted(set(layout.roles) - roles)) or none,
        )
        raise DataError(message, code="too-few-observations")
    curves, scales = _unpack(x, layout)
    fitted = _predict(x, layout, pts)
    residuals = tuple(
        Residual("+".join(p.ids), p.region, p.years, p.value, float(f), p.source, p.role, p.weight)
        for p, f in zip(pts, fitted, strict=True)
    )
    s_fit, s_range = _dispersion(pts, [float(f) for f in fitted], len(x))
    loso = tuple(_loso(pts, layout, x)) if with_loso else ()
    errors = [e.error for e in loso if e.error is not None]
    loo = 100 * sum(errors) / len(errors) if errors else None
    # A normal log-error's mean absolute value is its SD times sqrt(2/pi).
    s_loso = (loo / 100) * math.sqrt(math.pi / 2) if loo is not None else 0.0
    return CurveFit(
        "observations",
        data_sha256(dataset, market),
        tuple(CurveParams(c, *params) for c, params in zip(COLUMNS, curves, strict=True)),
        residuals,
        loo,
        tuple(sorted(scales.items())),
        math.sqrt(s_fit**2 + s_range**2),
        s_fit,
        s_range,
        s_loso,
        max(p.years for p in pts),
        loso,
    )


def _dispersion(pts: list[Point], fitted: list[float], n_params: int) -> tuple[float, float]:
    """Return the weighted SD of the log residuals (corrected for the parameters fitted) and
    the mean spread of the sources' own ranges."""
    weights = [p.weight for p in pts]
    squares = [w * math.log(f / p.value) ** 2 for p, f, w in zip(pts, fitted, weights, strict=True)]
    n = len(pts)
    s_fit = math.sqrt(sum(squares) / sum(weights) * n / max(n - n_params, 1))
    spreads = [p.spread for p in pts if p.spread is not None]
    return s_fit, (sum(spreads) / len(spreads) if spreads else 0.0)
