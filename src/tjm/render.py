"""Turn core results into terminal output (rich) and into stable JSON objects."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from tjm.benchmarks import Dataset, citations
from tjm.fit import SHAPE

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from tjm.fit import CurveFit
    from tjm.income import Floor
    from tjm.pricing import Quote

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


def _table(title: str, columns: list[str], right: set[str] = frozenset()) -> Table:
    """Return a rich table; rich loads here so that JSON output never imports it."""
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for name in columns:
        table.add_column(name, justify="right" if name in right else "left")
    add_row = table.add_row
    # Every cell passes through safe(), so no table can carry a terminal escape.
    table.add_row = lambda *cells, **kw: add_row(  # type: ignore[method-assign]
        *(safe(c) if isinstance(c, str) else c for c in cells), **kw)
    return table


def _eur(value: float) -> str:
    return f"{value:,.0f} EUR".replace(",", " ")


def _signed_eur(value: float) -> str:
    return f"{value:+,.0f} EUR".replace(",", " ")


# ------------------------------------------------------------------ benchmarks


def benchmarks_json(dataset: Dataset) -> dict:
    """Return the dataset as the stable object `tjm benchmarks --json` prints."""
    return {
        "dataset": {"version": dataset.version, "as_of": dataset.as_of.isoformat(),
                    "currency": dataset.currency},
        "reference_years": dataset.param("reference_years"),
        "curve": _curve_json(dataset),
        "threshold": dataset.threshold._asdict(),
        "bands": [b._asdict() for b in dataset.bands],
        "regions": [{"id": r.id, "label": r.label, "mix": dict(r.mix), "source": r.source}
                    for r in dataset.regions.values()],
        "roles": [r._asdict() for r in dataset.roles.values()],
        "tables": [
            {"id": t.id, "role": t.role, "source": t.source, "scope": t.scope, "unit": t.unit,
             "rows": [{"band": band, **dict(zip(t.columns, values, strict=True))}
                      for band, values in t.rows]}
            for t in dataset.tables.values()
        ],
        "skills": [{**s._asdict(), "alternatives": [a._asdict() for a in s.alternatives],
                    "tightness": s.tightness, "trend": _trend(s),
                    "premium": _premium(dataset, s)}
                   for s in dataset.skills.values()],
        "figures": [f._asdict() for f in dataset.figures.values()],
        "billable_days": dataset.billable_days._asdict(),
        "parameters": [p._asdict() for p in dataset.parameters.values()],
        "band_sigma_derivation": _sigma_json(dataset),
    }


def _trend(skill) -> str:
    return "scarcer" if skill.tightness > 0 else "crowded"


def _premium(dataset: Dataset, skill) -> float:
    """Return the premium the model gives a skill sold on its own."""
    from tjm.pricing import skill_premium

    return skill_premium(skill.tightness, dataset.param("scarcity_elasticity"),
                         dataset.param("scarcity_cap"))


def _curve_json(dataset: Dataset) -> dict:
    from tjm.pricing import last_fitted_years, open_band

    return {"table": dataset.curve_table, "shape": SHAPE,
            "last_fitted_years": last_fitted_years(dataset),
            "held_flat_after_years": last_fitted_years(dataset),
            "open_band_from_years": open_band(dataset).min_years}


def _sigma_json(dataset: Dataset) -> dict | None:
    """Return the band sigma's inputs, formula and each part of the result."""
    d = dataset.sigma_derivation
    if d is None:
        return None
    from tjm.market import derive_sigma

    parts = derive_sigma(d)
    return {"formula": d.formula, "loo_error": d.loo_error, "loo_note": d.loo_note,
            "averages_note": d.averages_note,
            "pairs": [p._asdict() for p in d.pairs], "ranges": [r._asdict() for r in d.ranges],
            "parts": {"model": parts.model, "sources": parts.sources, "range": parts.range},
            "result": parts.total, "used": dataset.param("band_sigma")}


def show_benchmarks(console: Console, dataset: Dataset) -> None:
    """Print the rate tables, the skills table and the thresholds."""
    bands = {b.id: b.label for b in dataset.bands}
    for t in dataset.tables.values():
        labels = [dataset.regions[column].label for column in t.columns]
        table = _table(f"{t.role} day rates ({t.unit}) — {t.source}", ["experience", *labels],
                       set(labels))
        for band, values in t.rows:
            table.add_row(bands[band], *(f"{v:g}" for v in values))
        console.print(table)

    skills = _table("Skills: demand and supply growth",
                    ["skill", "demand", "supply", "tightness", "trend", "premium", "period",
                     "source"], {"demand", "supply", "tightness", "premium"})
    for s in dataset.skills.values():
        trend = "[green]scarcer[/]" if s.tightness > 0 else "[red]crowded[/]"
        skills.add_row(s.id, f"{s.demand_growth:+.0%}", f"{s.supply_growth:+.0%}",
                       f"{s.tightness:+.3f}", trend,
                       f"{_premium(dataset, s):+.1%}" if s.tightness > 0 else "none", s.period,
                       s.source)
    console.print(skills)
    console.print("tightness = ln((1 + demand) / (1 + supply)); above 0, demand outgrows supply "
                  "(scarcer) and the skill earns a premium; crowded skills earn none.")
    sigma = _sigma_json(dataset)
    if sigma is not None:
        parts = sigma["parts"]
        console.print(f"band sigma {sigma['used']:g} = {sigma['formula']} = sqrt("
                      f"{parts['model']:.3f}² + {parts['sources']:.3f}² + {parts['range']:.3f}²)"
                      f" (model's held-out error {sigma['loo_error']:.2%}; sources and ranges: "
                      "tjm benchmarks --json)", highlight=False)

    t = dataset.threshold
    d = dataset.billable_days
    console.print(f"\n[bold]Thresholds[/]\n  {t.value:g} {t.unit}: {t.scope} ({t.source})")
    console.print(f"  billable days: {d.working_days} − {d.holidays} holidays − {d.sick_days} "
                  f"sick − {d.non_billable_days} non-billable = {d.total} ({d.source})")
    console.print(f"\nData version {dataset.version}, as of {dataset.as_of.isoformat()}. "
                  "Sources: tjm benchmarks sources")


def sources_json(dataset: Dataset) -> dict:
    """Return every source with the figures taken from it."""
    cited = citations(dataset)
    return {"sources": [{**s._asdict(), "figures": cited[s.id]}
                        for s in dataset.sources.values()]}


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


def fit_json(fit: CurveFit) -> dict:
    """Return the experience curve fit and its residuals."""
    return {
        "table": fit.table,
        "shape": SHAPE,
        "curves": [c._asdict() for c in fit.curves],
        "residuals": [{**r._asdict(), "error_pct": r.error_pct} for r in fit.residuals],
        "mape_pct": fit.mape,
        "leave_one_out_mape_pct": fit.loo_mape,
    }


def show_fit(console: Console, fit: CurveFit) -> None:
    """Print the fitted curves and each table cell's residual."""
    table = _table(f"Experience curve fit to {fit.table}: {SHAPE}",
                   ["band", "region", "years", "observed", "fitted", "error"],
                   {"years", "observed", "fitted", "error"})
    for r in fit.residuals:
        table.add_row(r.band, r.region, f"{r.years:g}", f"{r.observed:g}", f"{r.fitted:.1f}",
                      f"{r.error_pct:+.1f}%")
    console.print(table)
    for c in fit.curves:
        console.print(f"  {c.region}: a={c.a:.1f} b={c.b:.1f} tau={c.tau:.2f} years")
    console.print(f"Mean absolute percentage error: {fit.mape:.2f}% over "
                  f"{len(fit.residuals)} cells; leaving one band out: {fit.loo_mape:.2f}%.")


# ----------------------------------------------------------------------- quote


def quote_json(q: Quote) -> dict:
    """Return a quote as the documented JSON object."""
    pos = q.position
    return {
        "inputs": {**q.inputs._asdict(), "skills": list(q.inputs.skills)},
        "floor": None if q.floor is None else floor_json(q.floor),
        "levers": [lever._asdict() for lever in q.levers],
        "target": q.target,
        "stretch": round(q.stretch),
        "band": {"p25": round(q.band.p25), "p50": round(q.band.p50),
                 "p75": round(q.band.p75), "sigma": q.band.sigma},
        "percentile": None if pos is None else round(pos.percentile, 2),
        "verdict": None if pos is None else pos.verdict,
        "gap_to_median": None if pos is None else round(pos.gap_to_median, 2),
        "threshold": {"value": q.threshold.value, "delta": q.threshold.delta,
                      "rate_delta": q.threshold.rate_delta, "source": q.threshold.source},
        "breakdown": [{"factor": f.name,
                       "multiplier": None if f.multiplier is None else round(f.multiplier, 4),
                       "rate": round(f.rate, 2), "explanation": f.explanation,
                       "source": f.source} for f in q.breakdown],
        "warnings": list(q.warnings),
        "dataset": {"version": q.dataset_version},
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
    console.print(f"  market band P25 {_eur(q.band.p25)} · P50 {_eur(q.band.p50)} · "
                  f"P75 {_eur(q.band.p75)}", highlight=False)


def _show_position(console: Console, q: Quote) -> None:
    pos = q.position
    if pos is None:
        return
    colour = {"under-priced": "red", "in-band": "green", "premium": "cyan"}[pos.verdict]
    console.print(f"Your rate {_eur(pos.rate)}: [{colour}]{pos.verdict}[/], "
                  f"percentile {pos.percentile:.0f}, {_signed_eur(pos.gap_to_median)} "
                  "against the median", highlight=False)


def show_quote(console: Console, q: Quote) -> None:
    """Print target, band, verdict, breakdown, sources, chart and warnings."""
    i = q.inputs
    skills = ", ".join(i.skills) or "none"
    console.print(f"[bold]{i.role}[/], {i.years:g} year{'' if i.years == 1 else 's'}, "
                  f"{i.region}, skills: {skills}",
                  highlight=False)
    _show_floor_line(console, q)
    console.print(f"  target  [bold]{_eur(q.target)}[/]/day", highlight=False)
    console.print(f"  stretch {_eur(q.stretch)}/day (P75)", highlight=False)
    _show_band(console, q)
    _show_position(console, q)
    console.print(f"  {q.threshold.value:g} EUR mark (mid-level AI engineer): target "
                  f"{_signed_eur(q.threshold.delta)}", highlight=False)
    console.print()
    for line in band_chart(q):
        console.print(line, highlight=False)
    _show_breakdown(console, q)
    _show_levers_and_warnings(console, q)
    console.print(f"\nData {q.dataset_version}; the band's spread (band_sigma "
                  f"{q.band.sigma:g}) is derived in tjm benchmarks. Sources: tjm benchmarks "
                  "sources", highlight=False)


def _show_floor_line(console: Console, q: Quote) -> None:
    if q.floor is not None:
        console.print(f"  floor   {_eur(q.floor.rate)}/day (what your costs require, "
                      f"net {_eur(q.floor.target_net)}/year)", highlight=False)


def _show_levers_and_warnings(console: Console, q: Quote) -> None:
    for lever in q.levers:
        console.print(f"  lever {lever.name}: {lever.change} → {lever.effect:,.0f} EUR/day",
                      highlight=False)
    for warning in (*q.warnings, *(q.floor.warnings if q.floor else ())):
        console.print(f"[yellow]warning:[/] {warning}", highlight=False)


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
        console.print(f"  {q.threshold.value:g} EUR mark: your rate "
                      f"{_signed_eur(q.threshold.rate_delta)}", highlight=False)
    for line in band_chart(q):
        console.print(line, highlight=False)
    _show_levers_and_warnings(console, q)


# -------------------------------------------------------------------- profiles


def profile_json(stored) -> dict:
    """Return a stored profile as JSON: its values and its file."""
    p = stored.profile
    return {
        "name": p.name,
        "path": str(stored.path),
        "inputs": {**p.inputs._asdict(), "skills": list(p.inputs.skills)},
        "income": {k: v for k, v in p.income._asdict().items() if v is not None},
        "notes": p.notes,
        "created": p.created.isoformat() if p.created else None,
        "updated": p.updated.isoformat() if p.updated else None,
    }


def show_profile_list(console: Console, stored: list, folder) -> None:
    """Print a table of the saved profiles."""
    if not stored:
        console.print(f"No profiles in {_shown(folder)}. Save one with: tjm profile save NAME "
                      "...")
        return
    table = _table(f"Profiles in {_shown(folder)}", ["name", "role", "years", "region",
                                                     "updated"], {"years"})
    for s in stored:
        p = s.profile
        updated = p.updated.strftime("%Y-%m-%d %H:%M") if p.updated else ""
        table.add_row(p.name, p.inputs.role, f"{p.inputs.years:g}", p.inputs.region, updated)
    console.print(table)


def show_profile(console: Console, stored) -> None:
    """Print one profile's values and its file."""
    data = profile_json(stored)
    console.print(f"[bold]{_shown(data['name'])}[/]  ({_shown(data['path'])})")
    for key, value in data["inputs"].items():
        shown = ", ".join(value) if isinstance(value, list) else value
        console.print(f"  {key}: {'—' if shown in (None, '') else _shown(shown)}")
    for key, value in data["income"].items():
        console.print(f"  {key}: {_shown(value)}")
    if data["notes"]:
        console.print(f"  notes: {_shown(data['notes'])}")
    console.print(f"  created: {data['created'] or '—'}  updated: {data['updated'] or '—'}")


# ------------------------------------------------------------------------ floor

BAR_WIDTH = 50
BAR_PARTS = (("contributions", "█"), ("income_tax", "▓"), ("expenses", "▒"), ("net", "░"))


def floor_json(f: Floor) -> dict:
    """Return a floor as the documented JSON object; money is yearly EUR."""
    money = {k: round(getattr(f, k), 2)
             for k in ("turnover", "contributions", "income_tax", "expenses", "net")}
    return {
        "floor": f.rate,
        **money,
        "target_net": f.target_net,
        "per_month": {k: round(v / 12, 2) for k, v in money.items()},
        "per_billable_day": {k: round(v / f.days.total, 2) for k, v in money.items()},
        "days": f.days._asdict(),
        "year": f.year,
        "status": f.status,
        "warnings": list(f.warnings),
    }


def floor_bar(f: Floor, width: int = BAR_WIDTH) -> str:
    """Return a bar of the turnover split into contributions, tax, expenses and net."""
    parts = [(char, max(getattr(f, key), 0.0)) for key, char in BAR_PARTS]
    total = sum(value for _, value in parts) or 1.0
    bar, used = "", 0.0
    for char, value in parts:
        used += value
        bar += char * (round(used / total * width) - len(bar))
    return bar


def show_floor(console: Console, f: Floor) -> None:
    """Print the floor, the days behind it, where each euro goes, and the warnings."""
    console.print(f"Floor for a net of {_eur(f.target_net)} a year in {f.year} ({f.status}):",
                  highlight=False)
    console.print(f"  [bold]{_eur(f.rate)}[/]/day, rounded up to the euro", highlight=False)
    d = f.days
    if d.holidays is None:
        console.print(f"  {d.total:g} billable days (given)", highlight=False)
    else:
        console.print(f"  {d.total:g} billable days = {d.working:g} working − {d.holidays:g} "
                      f"holidays − {d.sick:g} sick − {d.non_billable:g} non-billable",
                      highlight=False)
    table = _table("Where the turnover goes", ["", "per year", "per month",
                                                 "per billable day", "share"],
                   {"per year", "per month", "per billable day", "share"})
    for key in ("turnover", "contributions", "income_tax", "expenses", "net"):
        value = getattr(f, key)
        share = value / f.turnover if f.turnover else 0.0
        table.add_row(key.replace("_", " "), _eur(value), _eur(value / 12),
                      _eur(value / d.total), f"{share:.0%}")
    console.print(table)
    console.print(f"  {floor_bar(f)}", highlight=False)
    console.print("  █ contributions  ▓ income tax  ▒ expenses  ░ net", highlight=False)
    for warning in f.warnings:
        console.print(f"[yellow]warning:[/] {warning}", highlight=False)
