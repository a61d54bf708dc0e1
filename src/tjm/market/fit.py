"""One random-effects fit over every observation: an experience curve per region column, a
scale per role, a level of its own per source (the source effect), the between-source
variance tau² (DerSimonian–Laird), a year trend per role where the data allow it, the band's
spread, and each source's leave-one-out error.

In log space, a point i of source s is  log y_i = log(curve × role scale × year effect) + u_s
+ e_i,  with u_s ~ N(0, tau²) and e_i ~ N(0, s_unit² / w_i) (w_i: grade × size × age). Given
tau² and s_unit², the curves and the u_s are the penalised least-squares solution (the mixed
model's equations); given those, s_unit² is the within-source residual variance and tau² is
DerSimonian–Laird's moment estimate from each source's mean residual; the two steps alternate
to a fixed point. The market level for a cell is the curves at u = 0: the weighted mean across
sources, each source weighed by 1 / (tau² + its own variance).

The points come from tjm.market.fit_points; tjm.market.fit_store keeps the result in
data/fit.toml, which `python -m tjm.market.fit_store` writes.
"""

from __future__ import annotations

import hashlib
import math
from statistics import NormalDist
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
AI_ROLE = "ai-engineer"
LOW_TAU = 0.5  # years; the longest time constant is the data's (max_tau_years)
TAU_METHOD = "DerSimonian-Laird"
TREND_BOUND = 0.5  # a role's own trend stays within ±50% a year (log scale): a solver guard
ITERATIONS = 60
INDEX, ESTIMATED = "index", "estimated"
Z975 = NormalDist().inv_cdf(0.975)


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
    fitted: float  # the market level (no source effect)
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


class SourceEffect(NamedTuple):
    """One source's own level against the market's, in log space (exp(effect) - 1 in %)."""

    source: str
    effect: float
    points: int
    weight: float  # the source's total fit weight (sum of its points' weights)


class Trend(NamedTuple):
    """A role's year trend: its own, estimated, or the sourced year index."""

    role: str
    rate: float  # log growth a year; for the index, its latest yearly change
    method: str  # ESTIMATED or INDEX
    sources: tuple[str, ...] = ()  # the sources that give this role in two years or more


class Premium(NamedTuple):
    """The AI engineer's premium over the data scientist, from sources that price both."""

    estimate: float  # a fraction: 0.06 is +6%
    low: float
    high: float
    sources: tuple[str, ...]
    pairs: int
    tau: float  # the between-source SD used (log); the levels' tau when one source only
    tau_from_levels: bool


class CurveFit(NamedTuple):
    table: str  # what was fitted: "observations"
    dataset_sha256: str
    curves: tuple[CurveParams, ...]
    residuals: tuple[Residual, ...] = ()
    loo_mape: float | None = None  # mean leave-one-source-out error, %, over sources predicted
    role_scale: tuple[tuple[str, float], ...] = ()
    sigma: float = 0.0  # the band's spread: sqrt(s_fit² + s_range² + tau²)
    s_fit: float = 0.0  # within-source residual spread around the source's own level
    s_range: float = 0.0  # the sources' own ranges, read as P25–P75
    s_loso: float = 0.0
    last_fitted_years: float = 0.0
    loso: tuple[SourceError, ...] = ()
    tau: float = 0.0  # between-source SD (log)
    s_unit: float = 0.0  # the within-source SD of a weight-1 point (log)
    effects: tuple[SourceEffect, ...] = ()
    trends: tuple[Trend, ...] = ()
    premium: Premium | None = None
    missing: tuple[str, ...] = ()  # region columns and roles nothing identifies

    @property
    def mape(self) -> float:
        """Return the mean absolute percentage error over the fitted points."""
        return sum(abs(r.error_pct) for r in self.residuals) / len(self.residuals)

    def curve(self, region: str) -> CurveParams:
        return next(c for c in self.curves if c.region == region)

    def scale(self, role: str) -> float:
        return dict(self.role_scale).get(role, math.nan)

    def effect(self, source: str) -> float:
        """Return a source's effect (log); 0 for a source the fit did not see."""
        return next((e.effect for e in self.effects if e.source == source), 0.0)

    def trend(self, role: str) -> Trend | None:
        return next((t for t in self.trends if t.role == role), None)

    @property
    def sigma_within(self) -> float:
        return math.hypot(self.s_fit, self.s_range)

    @property
    def sigma_thin(self) -> float:
        """Return the band's spread where no current A/B figure backs the cell."""
        return math.sqrt(self.sigma**2 + self.s_loso**2)


class _Layout(NamedTuple):
    roles: tuple[str, ...]  # roles with a scale of their own (all but the reference)
    mix: dict[str, float]  # the national region as a mix of columns
    max_tau: float
    sources: tuple[str, ...] = ()  # sources with an effect
    trend_roles: tuple[str, ...] = ()  # roles whose year trend is estimated
    tied: tuple[tuple[str, str], ...] = ()  # (column, donor): a column that takes a shape

    def names(self) -> list[str]:
        """Return the name of each parameter, in the order of the vector x."""
        curve = [f"{c}:{k}" for c in COLUMNS for k in ("alpha", "beta", "kappa")]
        return (
            curve
            + [f"scale:{r}" for r in self.roles]
            + [f"trend:{r}" for r in self.trend_roles]
            + [f"effect:{s}" for s in self.sources]
        )


def _curve_params(x: NDArray[np.float64], layout: _Layout) -> list[tuple[float, float, float]]:
    import numpy as np

    tied = dict(layout.tied)
    raw = {c: x[3 * i : 3 * i + 3] for i, c in enumerate(COLUMNS)}
    curves = []
    for c in COLUMNS:
        alpha = raw[c][0]
        beta, kappa = raw[tied.get(c, c)][1:]
        a = float(np.exp(alpha))
        curves.append((a, a / (1 + float(np.exp(-beta))), float(np.exp(kappa))))
    return curves


def _unpack(
    x: NDArray[np.float64], layout: _Layout
) -> tuple[list[tuple[float, float, float]], dict[str, float]]:
    import numpy as np

    n = 3 * len(COLUMNS)
    scales = {
        REFERENCE_ROLE: 1.0,
        **{r: float(np.exp(x[n + i])) for i, r in enumerate(layout.roles)},
    }
    return _curve_params(x, layout), scales


def _trends(x: NDArray[np.float64], layout: _Layout) -> dict[str, float]:
    n = 3 * len(COLUMNS) + len(layout.roles)
    return {r: float(x[n + i]) for i, r in enumerate(layout.trend_roles)}


def _effects(x: NDArray[np.float64], layout: _Layout) -> dict[str, float]:
    n = 3 * len(COLUMNS) + len(layout.roles) + len(layout.trend_roles)
    return {s: float(x[n + i]) for i, s in enumerate(layout.sources)}


def _predict(x: NDArray[np.float64], layout: _Layout, pts: list[Point]) -> NDArray[np.float64]:
    """Return the market level (no source effect) at each point, on the point's own footing:
    for a role with its own trend, moved from the as-of date back to the point's date."""
    import numpy as np

    curves, scales = _unpack(x, layout)
    trends = _trends(x, layout)
    out = []
    for p in pts:
        at = {
            col: a - b * np.exp(-p.years / tau)
            for col, (a, b, tau) in zip(COLUMNS, curves, strict=True)
        }
        base = (
            sum(w * at[c] for c, w in layout.mix.items()) if p.region == "france" else at[p.region]
        )
        level = scales[p.role] * base
        if p.role in trends and p.age is not None:
            # The point's value carries the index's move; the role's own trend replaces it.
            level *= p.year_factor * math.exp(-trends[p.role] * p.age)
        out.append(level)
    return np.asarray(out, float)


class _Identified(NamedTuple):
    shaped: set[str]  # columns with three distinct years at least
    touched: set[str]  # columns some point speaks for
    roles: set[str]


def _identified(pts: list[Point], layout: _Layout) -> _Identified:
    """Return the columns that have a shape, the columns any point touches, and the roles."""
    shaped = {c for c in COLUMNS if len({p.years for p in pts if p.region == c}) >= 3}
    touched = {p.region for p in pts if p.region in COLUMNS}
    if any(p.region == "france" for p in pts):
        touched |= set(layout.mix)
    return _Identified(shaped, touched, {p.role for p in pts})


def _trend_sources(pts: list[Point]) -> dict[str, tuple[str, ...]]:
    """Return, per role, the sources that give it in two data years or more.

    Only such a source separates a year effect from a source effect: across sources, a
    2026 guide above a 2025 barometer may be the guide, not the year.
    """
    years: dict[tuple[str, str], set[int]] = {}
    for p in pts:
        if p.age is not None:
            years.setdefault((p.role, p.source), set()).add(round(p.age))
    found: dict[str, list[str]] = {}
    for (role, source), seen in sorted(years.items()):
        if len(seen) >= 2:
            found.setdefault(role, []).append(source)
    return {r: tuple(s) for r, s in found.items()}


def _make_layout(dataset: Dataset, market: Market, pts: list[Point]) -> _Layout:
    ident = _identified(pts, _Layout((), dict(dataset.regions["france"].mix), market.max_tau))
    donor = next((c for c in COLUMNS if c in ident.shaped), None)
    tied = tuple(
        (c, donor) for c in COLUMNS if c in ident.touched and c not in ident.shaped and donor
    )
    return _Layout(
        tuple(r for r in dataset.roles if r != REFERENCE_ROLE),
        dict(dataset.regions["france"].mix),
        market.max_tau,
        tuple(sorted({p.source for p in pts})),
        tuple(r for r in dataset.roles if r in _trend_sources(pts)),
        tied,
    )


def _layout(dataset: Dataset, market: Market) -> _Layout:
    return _make_layout(dataset, market, fit_points(market))


def _free(pts: list[Point], layout: _Layout, tau: float) -> list[bool]:
    ident = _identified(pts, layout)
    tied = dict(layout.tied)
    free: list[bool] = []
    for c in COLUMNS:
        if c in ident.shaped:
            free += [True, True, True]
        else:
            # A column with too few years for a shape takes its donor's; its level is
            # still fitted when any point touches it.
            free += [c in ident.touched and c in tied, False, False]
    free += [r in ident.roles for r in layout.roles]
    free += [True] * len(layout.trend_roles)
    own = {p.source for p in pts}
    free += [tau > 0 and s in own for s in layout.sources]
    return free


def _start(layout: _Layout) -> list[float]:
    return (
        [math.log(800), 0.0, math.log(10)] * len(COLUMNS)
        + [0.0] * len(layout.roles)
        + [0.0] * len(layout.trend_roles)
        + [0.0] * len(layout.sources)
    )


def _bounds(layout: _Layout) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    import numpy as np

    inf = np.inf
    low = [-inf, -10.0, math.log(LOW_TAU)] * len(COLUMNS)
    high = [inf, 10.0, math.log(layout.max_tau)] * len(COLUMNS)
    low += [-inf] * len(layout.roles) + [-TREND_BOUND] * len(layout.trend_roles)
    high += [inf] * len(layout.roles) + [TREND_BOUND] * len(layout.trend_roles)
    low += [-inf] * len(layout.sources)
    high += [inf] * len(layout.sources)
    return np.asarray(low), np.asarray(high)


REFERENCE_WEIGHT = 0.5  # tau is the between-source SD of a source whose points weigh this


def source_quality(pts: list[Point]) -> dict[str, float]:
    """Return each source's quality: the mean weight of its points (grade × size × age).

    A source's own level varies around the market's with variance tau² × 0.5 / quality: a
    current grade B source (weight 0.5) has tau², an old or grade C one more, so grade and age
    weigh sources against each other, not only points within a source.
    """
    found: dict[str, list[float]] = {}
    for p in pts:
        found.setdefault(p.source, []).append(p.weight)
    return {s: sum(w) / len(w) for s, w in found.items()}


def _solve(
    pts: list[Point],
    layout: _Layout,
    start: ArrayLike,
    free: ArrayLike,
    s_unit: float,
    tau: float,
) -> NDArray[np.float64]:
    """Penalised weighted least squares in log space over the free parameters (the rest stay at
    start): each point's residual after its source's effect, and each effect over tau."""
    import numpy as np
    from scipy.optimize import least_squares

    x0 = np.array(start, float)
    fitted = np.asarray(free, bool)
    first = len(x0) - len(layout.sources)
    if tau <= 0:
        x0[first:] = 0.0  # no between-source variance: no source has a level of its own
    obs = np.log([p.value for p in pts])
    sw = np.sqrt([p.weight for p in pts])
    which = np.asarray([layout.sources.index(p.source) for p in pts])
    quality = source_quality(pts)
    scale = np.asarray(
        [math.sqrt(quality.get(s, REFERENCE_WEIGHT) / REFERENCE_WEIGHT) for s in layout.sources]
    )
    ratio = s_unit / tau * scale if tau > 0 else 0.0
    low, high = _bounds(layout)

    def residuals(z: NDArray[np.float64]) -> NDArray[np.float64]:
        x = x0.copy()
        x[fitted] = z
        u = x[first:]
        own: NDArray[np.float64] = sw * (np.log(_predict(x, layout, pts)) + u[which] - obs)
        return np.concatenate([own, ratio * u]) if tau > 0 else own

    z0 = np.clip(x0[fitted], low[fitted] + 1e-9, high[fitted] - 1e-9)
    result = least_squares(
        residuals,
        z0,
        bounds=(low[fitted], high[fitted]),
        x_scale="jac",
        max_nfev=20_000,
        xtol=1e-12,
        ftol=1e-12,
        gtol=1e-12,
    )
    x = x0.copy()
    x[fitted] = result.x
    return x


def _variances(
    pts: list[Point], layout: _Layout, x: NDArray[np.float64], n_fixed: int
) -> tuple[float, float]:
    """Return s_unit (within-source SD of a weight-1 point) and tau (DerSimonian–Laird)."""
    import numpy as np

    effects = _effects(x, layout)
    r = np.log([p.value for p in pts]) - np.log(_predict(x, layout, pts))
    w = np.asarray([p.weight for p in pts])
    within = r - np.asarray([effects[p.source] for p in pts])
    k = len({p.source for p in pts})
    dof = max(len(pts) - n_fixed - (k - 1), 1)
    s2 = float(np.sum(w * within**2)) / dof
    sums: dict[str, list[float]] = {}
    for p, ri, wi in zip(pts, r, w, strict=True):
        sums.setdefault(p.source, [0.0, 0.0])
        sums[p.source][0] += wi * ri
        sums[p.source][1] += wi
    a = np.asarray([wsum / s2 for _, wsum in sums.values()])
    means = np.asarray([num / wsum for num, wsum in sums.values()])
    quality = source_quality(pts)
    mult = np.asarray([REFERENCE_WEIGHT / quality[s] for s in sums])
    if len(a) < 2:
        return math.sqrt(s2), 0.0
    mu = float(np.sum(a * means) / np.sum(a))
    q = float(np.sum(a * (means - mu) ** 2))
    # DerSimonian–Laird's moment equation, E[Q] = (k - 1) + tau² (Σ a m - Σ a² m / Σ a), with
    # each source's multiplier m of tau² (m = 1 for all gives the textbook estimator).
    c = float(np.sum(a * mult) - np.sum(a**2 * mult) / np.sum(a))
    tau2 = max(0.0, (q - (len(a) - 1)) / c) if c > 0 else 0.0
    return math.sqrt(s2), math.sqrt(tau2)


def _raise_to_bounds(x: ArrayLike, layout: _Layout, pts: list[Point]) -> NDArray[np.float64]:
    """Raise a role's scale until its lower-bound points ('has crossed 500') are met."""
    import numpy as np

    raised = np.array(x, float)
    n = 3 * len(COLUMNS)
    for i, role in enumerate(layout.roles):
        bound = [p for p in pts if p.lower_bound and p.role == role]
        if bound:
            ratio = min(
                float(f)
                for f in _predict(raised, layout, bound) / np.asarray([p.value for p in bound])
            )
            if ratio < 1:
                raised[n + i] -= math.log(ratio)
    return raised


class _Solution(NamedTuple):
    x: NDArray[np.float64]
    layout: _Layout
    ident: _Identified
    s_unit: float
    tau: float


def _fit_x(
    pts: list[Point],
    layout: _Layout,
    start: NDArray[np.float64] | None = None,
    exclude_source: str | None = None,
    variances: tuple[float, float] | None = None,
) -> _Solution:
    """Fit every identified parameter; estimate s_unit and tau unless given (then fixed)."""
    import numpy as np

    kept = [p for p in pts if p.source != exclude_source]
    ident = _identified(kept, layout)
    x = np.asarray(start if start is not None else _start(layout), float)
    n_fixed = sum(_free(kept, layout, 0.0))
    if variances is not None:
        s_unit, tau = variances
        x = _solve(kept, layout, x, _free(kept, layout, tau), s_unit, tau)
    else:
        # A fit without effects gives the first variances; then alternate to a fixed point.
        x = _solve(kept, layout, x, _free(kept, layout, 0.0), 1.0, 0.0)
        s_unit, tau = _variances(kept, layout, x, n_fixed)
        for _ in range(ITERATIONS):
            x = _solve(kept, layout, x, _free(kept, layout, tau), s_unit, tau)
            new = _variances(kept, layout, x, n_fixed)
            done = abs(new[0] - s_unit) < 1e-9 and abs(new[1] - tau) < 1e-9
            s_unit, tau = new
            if done:
                break
    return _Solution(_raise_to_bounds(x, layout, kept), layout, ident, s_unit, tau)


def _known(p: Point, sol: _Solution) -> bool:
    """Return True when a fit that identified these columns and roles can predict the point."""
    tied = dict(sol.layout.tied)
    columns = sol.ident.shaped | {c for c in sol.ident.touched if c in tied}
    needs = {"idf", "other-city"} if p.region == "france" else {p.region}
    return needs <= columns and (p.role == REFERENCE_ROLE or p.role in sol.ident.roles)


def _loso(pts: list[Point], dataset: Dataset, market: Market, full: _Solution) -> list[SourceError]:
    """Refit without each source in turn (tau and s_unit held) and measure the error of the
    market level on that source's own points."""
    import numpy as np

    names = full.layout.names()
    found = []
    for source in sorted({p.source for p in pts}):
        own = [p for p in pts if p.source == source]
        kept = [p for p in pts if p.source != source]
        layout = _make_layout(dataset, market, kept)
        start = np.asarray([full.x[names.index(n)] for n in layout.names()])
        sol = _fit_x(kept, layout, start=start, variances=(full.s_unit, full.tau))
        predictable = [p for p in own if _known(p, sol)]
        errors = [
            abs(float(f) / p.value - 1)
            for p, f in zip(predictable, _predict(sol.x, layout, predictable), strict=True)
        ]
        missing = sorted({f"{p.role} {p.region}" for p in own if not _known(p, sol)})
        shape = sorted({c for c, _donor in layout.tied} - {c for c, _d in full.layout.tied})
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
                    "without it {regions} take the shape of another region's curve; only their "
                    "level is refitted"
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


def _index_trend(market: Market) -> float:
    """Return the index's latest yearly change, as a log growth."""
    years = sorted(market.index)
    if len(years) < 2:
        return 0.0
    return math.log(market.index[years[-1]] / market.index[years[-2]])


def premium(pts: list[Point], tau_levels: float, s_unit: float) -> Premium | None:
    """Return the AI engineer's premium over the data scientist from sources that give both
    for one cell (same years, region and data year), pooled across sources (DerSimonian–Laird).

    One source alone says nothing of how sources differ: its interval then takes the levels'
    tau as the between-source SD, a stand-in stated with the figure.
    """
    cells: dict[tuple[str, float, str, float | None], dict[str, list[Point]]] = {}
    for p in pts:
        if p.role in (AI_ROLE, REFERENCE_ROLE) and not p.lower_bound:
            key = (p.source, p.years, p.region, p.age)
            cells.setdefault(key, {}).setdefault(p.role, []).append(p)
    by_source: dict[str, list[tuple[float, float]]] = {}
    for (source, *_rest), roles in sorted(cells.items(), key=lambda kv: str(kv[0])):
        if AI_ROLE in roles and REFERENCE_ROLE in roles:
            ds = math.exp(
                sum(math.log(p.value) for p in roles[REFERENCE_ROLE]) / len(roles[REFERENCE_ROLE])
            )
            w_ds = sum(p.weight for p in roles[REFERENCE_ROLE])
            for ai in roles[AI_ROLE]:
                var = s_unit**2 * (1 / ai.weight + 1 / w_ds)
                by_source.setdefault(source, []).append((math.log(ai.value / ds), var))
    if not by_source:
        return None
    means, variances = [], []
    for pairs in by_source.values():
        logs = [r for r, _v in pairs]
        m = sum(logs) / len(logs)
        if len(logs) > 1:
            spread = sum((r - m) ** 2 for r in logs) / (len(logs) - 1) / len(logs)
        else:
            spread = pairs[0][1]
        means.append(m)
        variances.append(max(spread, 1e-12))
    a = [1 / v for v in variances]
    mu = sum(ai * m for ai, m in zip(a, means, strict=True)) / sum(a)
    if len(means) >= 2:
        q = sum(ai * (m - mu) ** 2 for ai, m in zip(a, means, strict=True))
        c = sum(a) - sum(ai**2 for ai in a) / sum(a)
        tau = math.sqrt(max(0.0, (q - (len(a) - 1)) / c)) if c > 0 else 0.0
        from_levels = False
    else:
        # The levels' tau is a current grade B source's; this source's quality scales it.
        quality = source_quality([p for p in pts if p.source in by_source])
        tau = tau_levels * math.sqrt(REFERENCE_WEIGHT / quality[next(iter(by_source))])
        from_levels = True
    star = [1 / (v + tau**2) for v in variances]
    pooled = sum(s * m for s, m in zip(star, means, strict=True)) / sum(star)
    # The pooled premium's standard error, between-source spread included.
    se = math.sqrt(1 / sum(star))
    return Premium(
        math.exp(pooled) - 1,
        math.exp(pooled - Z975 * se) - 1,
        math.exp(pooled + Z975 * se) - 1,
        tuple(by_source),
        sum(len(v) for v in by_source.values()),
        tau,
        from_levels,
    )


def fit_market(dataset: Dataset, market: Market, with_loso: bool = True) -> CurveFit:
    """Fit the curves, role scales and source effects over every observation; derive the
    between-source variance and the band's spread."""
    import numpy as np

    pts = fit_points(market)
    layout = _make_layout(dataset, market, pts)
    if (
        not pts
        or REFERENCE_ROLE not in {p.role for p in pts}
        or (not layout.tied and not (_identified(pts, layout).shaped))
    ):
        _too_few(dataset, market, pts, layout)
    sol = _fit_x(pts, layout)
    x = sol.x
    columns = sol.ident.shaped | {c for c, _d in layout.tied}
    if not sol.ident.shaped:
        _too_few(dataset, market, pts, layout)
    missing = tuple(sorted(set(COLUMNS) - columns)) + tuple(
        r for r in layout.roles if r not in sol.ident.roles
    )
    curves, scales = _unpack(x, layout)
    curves = [
        (math.nan, math.nan, math.nan) if c not in columns else params
        for c, params in zip(COLUMNS, curves, strict=True)
    ]
    scales = {
        r: (s if r in sol.ident.roles or r == REFERENCE_ROLE else math.nan)
        for r, s in scales.items()
    }
    fitted = _predict(x, layout, pts)
    residuals = tuple(
        Residual("+".join(p.ids), p.region, p.years, p.value, float(f), p.source, p.role, p.weight)
        for p, f in zip(pts, fitted, strict=True)
    )
    effects = _effects(x, layout)
    within = [
        math.log(p.value / float(f)) - effects[p.source] for p, f in zip(pts, fitted, strict=True)
    ]
    s_fit, s_range = _dispersion(pts, within, sum(_free(pts, layout, sol.tau)))
    loso = tuple(_loso(pts, dataset, market, sol)) if with_loso else ()
    errors = [e.error for e in loso if e.error is not None]
    loo = 100 * sum(errors) / len(errors) if errors else None
    # A normal log-error's mean absolute value is its SD times sqrt(2/pi).
    s_loso = (loo / 100) * math.sqrt(math.pi / 2) if loo is not None else 0.0
    trend_sources = _trend_sources(pts)
    own_trends = _trends(x, layout)
    trends = tuple(
        Trend(r, own_trends[r], ESTIMATED, trend_sources[r])
        if r in own_trends
        else Trend(r, _index_trend(market), INDEX)
        for r in dataset.roles
    )
    weights = {s: float(np.sum([p.weight for p in pts if p.source == s])) for s in layout.sources}
    return CurveFit(
        "observations",
        data_sha256(dataset, market),
        tuple(CurveParams(c, *params) for c, params in zip(COLUMNS, curves, strict=True)),
        residuals,
        loo,
        tuple(sorted(scales.items())),
        math.sqrt(s_fit**2 + s_range**2 + sol.tau**2),
        s_fit,
        s_range,
        s_loso,
        max(p.years for p in pts),
        loso,
        sol.tau,
        sol.s_unit,
        tuple(
            SourceEffect(s, effects[s], sum(p.source == s for p in pts), weights[s])
            for s in layout.sources
        ),
        trends,
        premium(pts, sol.tau, sol.s_unit),
        missing,
    )


def _too_few(dataset: Dataset, market: Market, pts: list[Point], layout: _Layout) -> None:
    from tjm.errors import DataError

    ident = _identified(pts, layout)
    none = pgettext("empty list", "none")
    message = _(
        "too few observations to fit the model as of {date}: {count} published by then "
        "({known}), {fittable} of them fittable; no curve for {curves}, no scale for {roles}"
    ).format(
        date=format_date(market.as_of),
        count=len(market.observations),
        known=", ".join(o.id for o in market.observations) or none,
        fittable=len(pts),
        curves=", ".join(sorted(set(COLUMNS) - ident.shaped)) or none,
        roles=", ".join(sorted({REFERENCE_ROLE, *layout.roles} - ident.roles)) or none,
    )
    raise DataError(message, code="too-few-observations")


def _dispersion(pts: list[Point], within: list[float], n_params: int) -> tuple[float, float]:
    """Return the weighted SD of the within-source log residuals (corrected for the parameters
    fitted) and the mean spread of the sources' own ranges."""
    weights = [p.weight for p in pts]
    squares = [w * r**2 for r, w in zip(within, weights, strict=True)]
    n = len(pts)
    s_fit = math.sqrt(sum(squares) / sum(weights) * n / max(n - n_params, 1))
    spreads = [p.spread for p in pts if p.spread is not None]
    return s_fit, (sum(spreads) / len(spreads) if spreads else 0.0)
