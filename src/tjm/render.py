"""Turn core results into terminal output (rich) and into stable JSON objects."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from tjm.benchmarks import Dataset, citations
from tjm.fit import SHAPE

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console
    from rich.table import Table

    from tjm.benchmarks import Skill
    from tjm.fit import CurveFit
    from tjm.pricing import Quote
    from tjm.profiles import StoredProfile
    from tjm.userdata import UserData

CHART_WIDTH = 56


def print_json(obj: Any) -> None:
    """Print an object as indented JSON with no colour."""
    print(json.dumps(obj, indent=2, ensure_ascii=False))


# C0 and C1 controls, DEL, and the bidi overrides that can reorder what a terminal shows.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe(text: str) -> str:
    """Return text with control characters shown as escapes (\\x1b), so no file drives the
    terminal."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _shown(value: Any) -> str:
    """Return text from a file, safe to print through rich: no controls, no markup."""
    from rich.markup import escape

    return escape(safe(str(value)))


def _table(title: str, columns: list[str], right: set[str] | frozenset[str] = frozenset()) -> Table:
    """Return a rich table; rich loads here so that JSON output never imports it."""
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for name in columns:
        table.add_column(name, justify="right" if name in right else "left")
    add_row = table.add_row
    # Every cell passes through safe(), so no table can carry a terminal escape.
    table.add_row = lambda *cells, **kw: add_row(  # type: ignore[method-assign]
        *(safe(c) if isinstance(c, str) else c for c in cells), **kw
    )
    return table


def _eur(value: float) -> str:
    return f"{value:,.0f} EUR".replace(",", " ")


def _signed_eur(value: float) -> str:
    return f"{value:+,.0f} EUR".replace(",", " ")


# ------------------------------------------------------------------ benchmarks


def benchmarks_json(dataset: Dataset) -> dict[str, Any]:
    """Return the dataset as the stable object `tjm benchmarks --json` prints."""
    return {
        "dataset": {
            "version": dataset.version,
            "as_of": dataset.as_of.isoformat(),
            "currency": dataset.currency,
        },
        "reference_years": dataset.param("reference_years"),
        "curve": _curve_json(dataset),
        "threshold": dataset.threshold._asdict(),
        "bands": [b._asdict() for b in dataset.bands],
        "regions": [
            {"id": r.id, "label": r.label, "mix": dict(r.mix), "source": r.source}
            for r in dataset.regions.values()
        ],
        "roles": [r._asdict() for r in dataset.roles.values()],
        "observations": observations_json(),
        "skills": [
            {
                **s._asdict(),
                "alternatives": [a._asdict() for a in s.alternatives],
                "tightness": s.tightness,
                "trend": _trend(s),
                "premium": _premium(dataset, s),
            }
            for s in dataset.skills.values()
        ],
        "figures": [f._asdict() for f in dataset.figures.values()],
        "billable_days": dataset.billable_days._asdict(),
        "parameters": [p._asdict() for p in dataset.parameters.values()],
        "band_sigma_derivation": _sigma_json(dataset),
    }


def _trend(skill: Skill) -> str:
    return "scarcer" if skill.tightness > 0 else "crowded"


def _premium(dataset: Dataset, skill: Skill) -> float:
    """Return the premium the model gives a skill sold on its own."""
    from tjm.model import skill_premium

    return skill_premium(
        skill.tightness, dataset.param("scarcity_elasticity"), dataset.param("scarcity_cap")
    )


def _curve_json(dataset: Dataset) -> dict[str, Any]:
    from tjm.model import default_model, open_band

    model = default_model()
    return {
        "fitted_on": "observations",
        "shape": SHAPE,
        "role_scale": dict(model.fit.role_scale),
        "last_fitted_years": model.last_fitted_years,
        "held_flat_after_years": model.last_fitted_years,
        "open_band_from_years": open_band(dataset).min_years,
    }


SIGMA_FORMULA = "sqrt(s_fit^2 + s_range^2); thin data: sqrt(sigma^2 + s_loso^2)"


def _sigma_json(dataset: Dataset) -> dict[str, Any]:
    """Return the band's spread and the parts it is derived from (see tjm.fit)."""
    from tjm.model import default_model

    fit = default_model().fit
    return {
        "formula": SIGMA_FORMULA,
        "parts": {"fit": fit.s_fit, "range": fit.s_range, "loso": fit.s_loso},
        "result": fit.sigma,
        "thin": fit.sigma_thin,
        "loo_mape_pct": fit.loo_mape,
    }


def observations_json() -> list[dict[str, Any]]:
    """Return every packaged observation with its source's date and grade."""
    from tjm.observations import data_date, load_market

    market = load_market()
    return [
        {
            **{k: v for k, v in o._asdict().items() if k not in ("line", "user")},
            "published": market.sources[o.source].published,
            "data_date": None if (when := data_date(o, market)) is None else when.isoformat(),
        }
        for o in market.observations
    ]


def show_benchmarks(console: Console, dataset: Dataset) -> None:
    """Print the rate tables, the skills table and the thresholds."""
    from tjm.observations import data_date, load_market

    market = load_market()
    table = _table(
        f"Observations ({len(market.observations)}), EUR/day",
        ["id", "role", "years", "region", "statistic", "value", "grade", "data", "source"],
        {"value"},
    )
    for o in market.observations:
        years = (
            "all"
            if o.min_years is None
            else f"{o.min_years:g}+"
            if o.max_years is None
            else f"{o.min_years:g}–{o.max_years:g}"
        )
        when = data_date(o, market)
        table.add_row(
            o.id,
            o.role,
            years,
            o.region,
            o.statistic,
            f"{o.value:g}",
            o.grade,
            when.isoformat() if when else "n/d",
            o.source + (" (not fitted)" if o.excluded else ""),
        )
    console.print(table)
    for role, text in market.coverage.items():
        console.print(f"  coverage, {role}: {text}", highlight=False)

    skills = _table(
        "Skills: demand and supply growth",
        ["skill", "demand", "supply", "tightness", "trend", "premium", "period", "source"],
        {"demand", "supply", "tightness", "premium"},
    )
    for s in dataset.skills.values():
        trend = "[green]scarcer[/]" if s.tightness > 0 else "[red]crowded[/]"
        skills.add_row(
            s.id,
            f"{s.demand_growth:+.0%}",
            f"{s.supply_growth:+.0%}",
            f"{s.tightness:+.3f}",
            trend,
            f"{_premium(dataset, s):+.1%}" if s.tightness > 0 else "none",
            s.period,
            s.source,
        )
    console.print(skills)
    console.print(
        "tightness = ln((1 + demand) / (1 + supply)); above 0, demand outgrows supply "
        "(scarcer) and the skill earns a premium; crowded skills earn none."
    )
    sigma = _sigma_json(dataset)
    parts = sigma["parts"]
    console.print(
        f"band sigma {sigma['result']:.3f} = sqrt({parts['fit']:.3f}² + "
        f"{parts['range']:.3f}²) (weighted dispersion around the fit, sources' own "
        f"ranges); thin data: {sigma['thin']:.3f} (adds the leave-one-source-out "
        f"error {parts['loso']:.3f}; tjm benchmarks --fit)",
        highlight=False,
    )

    t = dataset.threshold
    d = dataset.billable_days
    console.print(f"\n[bold]Thresholds[/]\n  {t.value:g} {t.unit}: {t.scope} ({t.source})")
    console.print(
        f"  billable days: {d.working_days} − {d.holidays} holidays − {d.sick_days} "
        f"sick − {d.non_billable_days} non-billable = {d.total} ({d.source})"
    )
    console.print(
        f"\nData version {dataset.version}, as of {dataset.as_of.isoformat()}. "
        "Sources: tjm benchmarks sources"
    )


def sources_json(dataset: Dataset) -> dict[str, Any]:
    """Return every source with the figures taken from it."""
    from tjm.observations import load_market

    cited = citations(dataset)
    market = load_market().sources
    return {
        "sources": [{**s._asdict(), "figures": cited[s.id]} for s in dataset.sources.values()]
        + [
            {
                **s._asdict(),
                "date": s.published,
                "recorded": s.recorded.isoformat() if s.recorded else None,
                "figures": cited.get(s.id, []),
            }
            for s in market.values()
            if s.id not in dataset.sources
        ]
    }


def show_sources(console: Console, dataset: Dataset) -> None:
    """Print every source with its URL, date and the figures taken from it."""
    cited = citations(dataset)
    for s in dataset.sources.values():
        console.print(f"[bold]{s.id}[/]: {s.title} — {s.publisher}, {s.date}", highlight=False)
        if s.url:
            console.print(f"  {s.url}", highlight=False, soft_wrap=True)
        if s.via:
            console.print(f"  via: {', '.join(s.via)}")
        if s.note:
            console.print(f"  note: {s.note}", highlight=False)
        for line in cited[s.id]:
            console.print(f"  - {line}", highlight=False)
        console.print()
    from tjm.observations import load_market

    for o in load_market().sources.values():
        if o.id in dataset.sources:
            continue
        # source_from requires `recorded` where the publication is n/d.
        recorded = (
            f" (recorded {o.recorded.isoformat()})" if o.published == "n/d" and o.recorded else ""
        )
        console.print(
            f"[bold]{o.id}[/]: {o.title} — {o.publisher}, {o.published}{recorded}", highlight=False
        )
        if o.url:
            console.print(f"  {o.url}", highlight=False, soft_wrap=True)
        if o.note:
            console.print(f"  note: {o.note}", highlight=False)
        for line in cited.get(o.id, []):
            console.print(f"  - {line}", highlight=False)
        console.print()


def fit_json(fit: CurveFit, bound: float) -> dict[str, Any]:
    """Return the fit over the observations, its residuals and leave-one-source-out errors."""
    return {
        "fitted_on": fit.table,
        "shape": SHAPE,
        "curves": [c._asdict() for c in fit.curves],
        "role_scale": dict(fit.role_scale),
        "residuals": [{**r._asdict(), "error_pct": r.error_pct} for r in fit.residuals],
        "mape_pct": fit.mape,
        "leave_one_source_out": [e._asdict() for e in fit.loso],
        "leave_one_source_out_mape_pct": fit.loo_mape,
        "loso_bound": bound,
        "sigma": {
            "fit": fit.s_fit,
            "range": fit.s_range,
            "loso": fit.s_loso,
            "result": fit.sigma,
            "thin": fit.sigma_thin,
        },
    }


def show_fit(console: Console, fit: CurveFit, bound: float) -> None:
    """Print the fitted curves, each point's residual and each source's held-out error."""
    table = _table(
        f"One weighted fit over the observations: {SHAPE} per region × role scale",
        ["observation", "role", "region", "years", "observed", "fitted", "error", "weight"],
        {"years", "observed", "fitted", "error", "weight"},
    )
    for r in fit.residuals:
        table.add_row(
            r.band,
            r.role,
            r.region,
            f"{r.years:g}",
            f"{r.observed:.0f}",
            f"{r.fitted:.0f}",
            f"{r.error_pct:+.1f}%",
            f"{r.weight:.3f}",
        )
    console.print(table)
    for c in fit.curves:
        console.print(f"  {c.region}: a={c.a:.1f} b={c.b:.1f} tau={c.tau:.2f} years")
    console.print("  role scales: " + ", ".join(f"{r} {s:.3f}" for r, s in fit.role_scale))
    loso = _table(
        f"Leave one source out (bound {bound:.0%})",
        ["source", "points", "predicted", "error", "note"],
        {"points", "predicted", "error"},
    )
    for e in fit.loso:
        loso.add_row(
            e.source,
            str(e.points),
            str(e.predicted),
            "—" if e.error is None else f"{e.error:.1%}",
            e.note,
        )
    console.print(loso)
    console.print(
        f"Mean absolute error {fit.mape:.2f}% over {len(fit.residuals)} "
        f"points; leaving one source out: {fit.loo_mape:.2f}% on average. Band sigma "
        f"{fit.sigma:.3f} = sqrt({fit.s_fit:.3f}² + {fit.s_range:.3f}²); thin data "
        f"{fit.sigma_thin:.3f}.",
        highlight=False,
    )


# ----------------------------------------------------------------------- quote


def quote_json(q: Quote) -> dict[str, Any]:
    """Return a quote as the documented JSON object."""
    from tjm.render_income import floor_json

    pos = q.position
    return {
        "inputs": {**q.inputs._asdict(), "skills": list(q.inputs.skills)},
        "floor": None if q.floor is None else floor_json(q.floor),
        "levers": [lever._asdict() for lever in q.levers],
        "target": q.target,
        "stretch": round(q.stretch),
        "band": {
            "p25": round(q.band.p25),
            "p50": round(q.band.p50),
            "p75": round(q.band.p75),
            "sigma": q.band.sigma,
        },
        "percentile": None if pos is None else round(pos.percentile, 2),
        "verdict": None if pos is None else pos.verdict,
        "gap_to_median": None if pos is None else round(pos.gap_to_median, 2),
        "threshold": {
            "value": q.threshold.value,
            "delta": q.threshold.delta,
            "rate_delta": q.threshold.rate_delta,
            "source": q.threshold.source,
        },
        "breakdown": [
            {
                "factor": f.name,
                "multiplier": None if f.multiplier is None else round(f.multiplier, 4),
                "rate": round(f.rate, 2),
                "explanation": f.explanation,
                "source": f.source,
            }
            for f in q.breakdown
        ],
        "warnings": [w._asdict() for w in q.warnings],
        "codes": ["thin-data"] if q.evidence is not None and q.evidence.thin else [],
        "evidence": None
        if q.evidence is None
        else {
            "count": q.evidence.count,
            "grades": q.evidence.grades,
            "newest": None if q.evidence.newest is None else q.evidence.newest.isoformat(),
            "thin": q.evidence.thin,
            "observations": list(q.evidence.ids),
        },
        "user_effects": [e._asdict() for e in q.user_effects],
        "realised": None
        if q.realised is None
        else {
            "rate": round(q.realised.rate, 2),
            "days": q.realised.days,
            "missions": q.realised.missions,
            "since": q.realised.since.isoformat(),
        },
        "dataset": {
            "version": q.dataset_version,
            "as_of": None if q.as_of is None else q.as_of.isoformat(),
        },
    }


def band_chart(q: Quote, width: int = CHART_WIDTH) -> list[str]:
    """Return a one-line chart of the band with the median, the user's rate and the mark."""
    marks = [q.band.p25, q.band.p75, q.threshold.value]
    if q.position is not None:
        marks.append(q.position.rate)
    if q.floor is not None:
        marks.append(q.floor.rate)
    low, high = min(marks) * 0.9, max(marks) * 1.1

    def col(value: float) -> int:
        return round((value - low) / (high - low) * (width - 1))

    line = ["─"] * width
    for i in range(col(q.band.p25), col(q.band.p75) + 1):
        line[i] = "━"
    line[col(q.band.p25)], line[col(q.band.p75)] = "[", "]"
    line[col(q.band.p50)] = "┃"
    line[col(q.threshold.value)] = "◆"
    if q.floor is not None:
        line[col(q.floor.rate)] = "▼"
    if q.position is not None:
        line[col(q.position.rate)] = "●"
    legend = f"[ ] P25–P75   ┃ median   ◆ {q.threshold.value:g} mark"
    if q.floor is not None:
        legend += "   ▼ floor"
    if q.position is not None:
        legend += "   ● your rate"
    return [f"{low:6.0f} {''.join(line)} {high:.0f}", f"       {legend}"]


def _show_band(console: Console, q: Quote) -> None:
    console.print(
        f"  market band P25 {_eur(q.band.p25)} · P50 {_eur(q.band.p50)} · P75 {_eur(q.band.p75)}",
        highlight=False,
    )


def _show_position(console: Console, q: Quote) -> None:
    pos = q.position
    if pos is None:
        return
    colour = {"under-priced": "red", "in-band": "green", "premium": "cyan"}[pos.verdict]
    console.print(
        f"Your rate {_eur(pos.rate)}: [{colour}]{pos.verdict}[/], "
        f"percentile {pos.percentile:.0f}, {_signed_eur(pos.gap_to_median)} "
        "against the median",
        highlight=False,
    )


def show_quote(console: Console, q: Quote) -> None:
    """Print target, band, verdict, breakdown, sources, chart and warnings."""
    i = q.inputs
    skills = ", ".join(i.skills) or "none"
    console.print(
        f"[bold]{i.role}[/], {i.years:g} year{'' if i.years == 1 else 's'}, "
        f"{i.region}, skills: {skills}",
        highlight=False,
    )
    _show_floor_line(console, q)
    console.print(f"  target  [bold]{_eur(q.target)}[/]/day", highlight=False)
    console.print(f"  stretch {_eur(q.stretch)}/day (P75)", highlight=False)
    _show_band(console, q)
    _show_position(console, q)
    console.print(
        f"  {q.threshold.value:g} EUR mark (mid-level AI engineer): target "
        f"{_signed_eur(q.threshold.delta)}",
        highlight=False,
    )
    console.print()
    for line in band_chart(q):
        console.print(line, highlight=False)
    _show_breakdown(console, q)
    _show_evidence(console, q)
    _show_levers_and_warnings(console, q)
    console.print(
        f"\nData {q.dataset_version}, observations as of "
        f"{q.as_of.isoformat() if q.as_of else '—'}; the band's spread (sigma "
        f"{q.band.sigma:.3f}) is derived in tjm benchmarks --fit. Sources: tjm "
        "benchmarks sources",
        highlight=False,
    )


def _show_evidence(console: Console, q: Quote) -> None:
    ev = q.evidence
    if ev is not None:
        grades = ", ".join(f"{n} grade {g}" for g, n in ev.grades.items() if n) or "none"
        newest = ev.newest.isoformat() if ev.newest else "undated"
        console.print(
            f"Rests on {ev.count} observations near this cell ({grades}); newest "
            f"data {newest}{'; [yellow]thin data[/]' if ev.thin else ''}",
            highlight=False,
        )
        console.print(f"  {', '.join(ev.ids)}", highlight=False)
    for e in q.user_effects:
        console.print(
            f"  your observation {e.id} moves the median by {_signed_eur(e.effect)}",
            highlight=False,
        )
    if q.realised is not None:
        r = q.realised
        console.print(
            f"Your missions since {r.since.isoformat()}: realised rate "
            f"{_eur(r.rate)}/day over {r.days:g} billed days ({r.missions} missions), "
            f"against the band's P50 {_eur(q.band.p50)}",
            highlight=False,
        )


def _show_floor_line(console: Console, q: Quote) -> None:
    if q.floor is not None:
        console.print(
            f"  floor   {_eur(q.floor.rate)}/day (what your costs require, "
            f"net {_eur(q.floor.target_net)}/year)",
            highlight=False,
        )


def _show_levers_and_warnings(console: Console, q: Quote) -> None:
    for lever in q.levers:
        console.print(
            f"  lever {lever.code}: {lever.message} → {lever.effect:,.0f} EUR/day", highlight=False
        )
    for warning in (*q.warnings, *(q.floor.warnings if q.floor else ())):
        console.print(f"[yellow]warning:[/] {warning.message}", highlight=False)


def _show_breakdown(console: Console, q: Quote) -> None:
    table = _table("Why this rate", ["factor", "×", "rate", "because", "source"], {"×", "rate"})
    for f in q.breakdown:
        mult = "" if f.multiplier is None else f"{f.multiplier:.3f}"
        table.add_row(f.name, mult, f"{f.rate:.0f}", f.explanation, f.source)
    console.print(table)


def show_compare(console: Console, q: Quote) -> None:
    """Print where the user's rate stands (percentile, verdict, band, gap to the median), and
    with a target net, the floor, its levers and its warnings."""
    _show_position(console, q)
    _show_floor_line(console, q)
    _show_band(console, q)
    if q.threshold.rate_delta is not None:
        console.print(
            f"  {q.threshold.value:g} EUR mark: your rate {_signed_eur(q.threshold.rate_delta)}",
            highlight=False,
        )
    for line in band_chart(q):
        console.print(line, highlight=False)
    _show_evidence(console, q)
    _show_levers_and_warnings(console, q)


# ------------------------------------------------------------------- user data


def user_data_json(data: UserData, path: Path) -> dict[str, Any]:
    """Return the user's observations and missions as JSON."""
    return {
        "path": str(path),
        "observations": [
            {k: v for k, v in o._asdict().items() if k not in ("line", "user")}
            for o in data.observations
        ],
        "missions": [{**m._asdict(), "date": m.date.isoformat()} for m in data.missions],
    }


def show_user_data(console: Console, data: UserData, path: Path) -> None:
    """Print the user's observations and missions with their ids."""
    if not data.observations and not data.missions:
        console.print(
            f"No data of your own in {path}. Add some with: tjm data add FILE", highlight=False
        )
        return
    if data.observations:
        table = _table(
            f"Your observations ({path})",
            ["id", "role", "years", "region", "statistic", "value", "grade", "source"],
            {"value"},
        )
        for o in data.observations:
            years = (
                "all"
                if o.min_years is None
                else f"{o.min_years:g}+"
                if o.max_years is None
                else f"{o.min_years:g}–{o.max_years:g}"
            )
            table.add_row(
                o.id, o.role, years, o.region, o.statistic, f"{o.value:g}", o.grade, o.source
            )
        console.print(table)
    if data.missions:
        table = _table("Your missions", ["id", "date", "client", "rate", "days"], {"rate", "days"})
        for m in data.missions:
            table.add_row(m.id, m.date.isoformat(), m.client, f"{m.rate:g}", f"{m.days:g}")
        console.print(table)


# -------------------------------------------------------------------- profiles


def profile_json(stored: StoredProfile) -> dict[str, Any]:
    """Return a stored profile as JSON: its values and its file."""
    p = stored.profile
    return {
        "name": p.name,
        "path": str(stored.path),
        "inputs": {**p.inputs._asdict(), "skills": list(p.inputs.skills)},
        "income": {k: v for k, v in p.income._asdict().items() if v is not None},
        "sales": {
            k: [c._asdict() for c in v] if k == "clients" else v
            for k, v in p.sales._asdict().items()
            if v not in (None, ())
        },
        "notes": p.notes,
        "created": p.created.isoformat() if p.created else None,
        "updated": p.updated.isoformat() if p.updated else None,
    }


def show_profile_list(console: Console, stored: list[StoredProfile], folder: Path) -> None:
    """Print a table of the saved profiles."""
    if not stored:
        console.print(f"No profiles in {_shown(folder)}. Save one with: tjm profile save NAME ...")
        return
    table = _table(
        f"Profiles in {_shown(folder)}", ["name", "role", "years", "region", "updated"], {"years"}
    )
    for s in stored:
        p = s.profile
        updated = p.updated.strftime("%Y-%m-%d %H:%M") if p.updated else ""
        table.add_row(p.name, p.inputs.role, f"{p.inputs.years:g}", p.inputs.region, updated)
    console.print(table)


def show_profile(console: Console, stored: StoredProfile) -> None:
    """Print one profile's values and its file."""
    data = profile_json(stored)
    console.print(f"[bold]{_shown(data['name'])}[/]  ({_shown(data['path'])})")
    for key, value in data["inputs"].items():
        shown = ", ".join(value) if isinstance(value, list) else value
        console.print(f"  {key}: {'—' if shown in (None, '') else _shown(shown)}")
    for key, value in data["income"].items():
        console.print(f"  {key}: {_shown(value)}")
    for key, value in data["sales"].items():
        if key == "clients":
            value = ", ".join(f"{c['name']}:{c['rate']:g}:{c['days']:g}" for c in value)
        console.print(f"  {key}: {_shown(value)}")
    if data["notes"]:
        console.print(f"  notes: {_shown(data['notes'])}")
    console.print(f"  created: {data['created'] or '—'}  updated: {data['updated'] or '—'}")
