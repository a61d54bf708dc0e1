"""Turn core results into terminal output (rich) and into stable JSON objects: the shared
pieces (the JSON kinds and their schemas, safe text, tables, money), and the quote.

The other render_* modules use these pieces for the floor and statuses (render_income), the
channels (render_channels), the market data (render_market) and what the user keeps
(render_user)."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from tjm.pricing import Quote

CHART_WIDTH = 56

# The JSON kinds and the version of each one's key set: a change to a kind's keys is a new
# version (docs/json.md; tests/test_json_contract.py pins them).
SCHEMAS = {
    # 2: warnings are {code, message} objects, levers {code, message, effect} (docs/codes.md)
    "quote": 2,
    "compare": 2,
    "floor": 2,
    "statuses": 2,
    "channel": 2,
    "benchmarks": 1,
    "benchmarks-fit": 1,
    "benchmarks-sources": 1,
    "profile": 1,
    "profile-list": 1,
    "data-list": 1,
}


def schema(kind: str) -> str:
    """Return the schema tag a JSON object of this kind carries, as `tjm.<kind>/<version>`."""
    return f"tjm.{kind}/{SCHEMAS[kind]}"


def print_json(obj: Any) -> None:
    """Print an object as indented JSON with no colour."""
    print(json.dumps(obj, indent=2, ensure_ascii=False))


# C0 and C1 controls, DEL, and the bidi overrides that can reorder what a terminal shows.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe(text: str) -> str:
    """Return text with control characters shown as escapes (\\x1b), so no file drives the
    terminal."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def shown(value: Any) -> str:
    """Return text from a file, safe to print through rich: no controls, no markup."""
    from rich.markup import escape

    return escape(safe(str(value)))


def table(title: str, columns: list[str], right: set[str] | frozenset[str] = frozenset()) -> Table:
    """Return a rich table; rich loads here so that JSON output never imports it."""
    from rich.table import Table

    out = Table(title=title, title_justify="left")
    for name in columns:
        out.add_column(name, justify="right" if name in right else "left")
    add_row = out.add_row
    # Every cell passes through safe(), so no table can carry a terminal escape.
    out.add_row = lambda *cells, **kw: add_row(  # type: ignore[method-assign]
        *(safe(c) if isinstance(c, str) else c for c in cells), **kw
    )
    return out


def eur(value: float) -> str:
    return f"{value:,.0f} EUR".replace(",", " ")


def signed_eur(value: float) -> str:
    return f"{value:+,.0f} EUR".replace(",", " ")


def years_span(min_years: float | None, max_years: float | None) -> str:
    """Return an observation's experience band: all, 5+ or 3–5."""
    if min_years is None:
        return "all"
    if max_years is None:
        return f"{min_years:g}+"
    return f"{min_years:g}–{max_years:g}"


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
        f"  market band P25 {eur(q.band.p25)} · P50 {eur(q.band.p50)} · P75 {eur(q.band.p75)}",
        highlight=False,
    )


def _show_position(console: Console, q: Quote) -> None:
    pos = q.position
    if pos is None:
        return
    colour = {"under-priced": "red", "in-band": "green", "premium": "cyan"}[pos.verdict]
    console.print(
        f"Your rate {eur(pos.rate)}: [{colour}]{pos.verdict}[/], "
        f"percentile {pos.percentile:.0f}, {signed_eur(pos.gap_to_median)} "
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
    console.print(f"  target  [bold]{eur(q.target)}[/]/day", highlight=False)
    console.print(f"  stretch {eur(q.stretch)}/day (P75)", highlight=False)
    _show_band(console, q)
    _show_position(console, q)
    console.print(
        f"  {q.threshold.value:g} EUR mark (mid-level AI engineer): target "
        f"{signed_eur(q.threshold.delta)}",
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
            f"  your observation {e.id} moves the median by {signed_eur(e.effect)}",
            highlight=False,
        )
    if q.realised is not None:
        r = q.realised
        console.print(
            f"Your missions since {r.since.isoformat()}: realised rate "
            f"{eur(r.rate)}/day over {r.days:g} billed days ({r.missions} missions), "
            f"against the band's P50 {eur(q.band.p50)}",
            highlight=False,
        )


def _show_floor_line(console: Console, q: Quote) -> None:
    if q.floor is not None:
        console.print(
            f"  floor   {eur(q.floor.rate)}/day (what your costs require, "
            f"net {eur(q.floor.target_net)}/year)",
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
    why = table("Why this rate", ["factor", "×", "rate", "because", "source"], {"×", "rate"})
    for f in q.breakdown:
        mult = "" if f.multiplier is None else f"{f.multiplier:.3f}"
        why.add_row(f.name, mult, f"{f.rate:.0f}", f.explanation, f.source)
    console.print(why)


def show_compare(console: Console, q: Quote) -> None:
    """Print where the user's rate stands (percentile, verdict, band, gap to the median), and
    with a target net, the floor, its levers and its warnings."""
    _show_position(console, q)
    _show_floor_line(console, q)
    _show_band(console, q)
    if q.threshold.rate_delta is not None:
        console.print(
            f"  {q.threshold.value:g} EUR mark: your rate {signed_eur(q.threshold.rate_delta)}",
            highlight=False,
        )
    for line in band_chart(q):
        console.print(line, highlight=False)
    _show_evidence(console, q)
    _show_levers_and_warnings(console, q)
