"""The quote and compare views, in the terminal and as JSON."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from tjm.i18n import N_, _, ngettext, pgettext
from tjm.i18n.formats import format_number, format_percent, format_short
from tjm.render.common import (
    day,
    eur,
    label,
    per_day,
    record,
    region_label,
    role_label,
    say,
    show_warnings,
    signed_eur,
    skill_label,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from tjm.market.cell_sources import SourceForCell
    from tjm.market.quote import Quote

    # Prints how the result sells (after the levers) and returns the warnings it found.
    Sales = Callable[[bool], list[tuple[str, str]]]

CHART_WIDTH = 56


def quote_json(q: Quote) -> dict[str, Any]:
    """Return a quote as the documented JSON object."""
    from tjm.render.income import floor_json

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
        "sources_for_cell": None if q.cell is None else cell_json(q),
        "ai_premium": None if q.premium is None else premium_json(q),
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


def cell_json(q: Quote) -> dict[str, Any]:
    """Return what each source near the cell says for it, and the weights."""
    assert q.cell is not None
    return {
        "market_median": None if q.market_median is None else round(q.market_median, 2),
        "recent_share": None if q.cell.recent_share is None else round(q.cell.recent_share, 4),
        "year_effect": {"method": q.cell.trend_method, "rate": round(q.cell.trend_rate, 4)},
        "sources": [
            {
                "source": s.source,
                "publisher": s.publisher,
                "year": s.year,
                "grade": s.grade,
                "n": s.n,
                "observations": list(s.ids),
                "low": _round(s.low),
                "high": _round(s.high),
                "value": _round(s.value),
                "at_least": _round(s.at_least),
                "adjusted": round(s.adjusted, 2),
                "effect": round(s.effect, 4),
                "weight": round(s.weight, 4),
                "fitted": s.fitted,
            }
            for s in q.cell.sources
        ],
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def premium_json(q: Quote) -> dict[str, Any]:
    """Return the AI engineer's premium over the data scientist, with its interval."""
    p = q.premium
    assert p is not None
    return {
        "estimate": round(p.estimate, 4),
        "low": round(p.low, 4),
        "high": round(p.high, 4),
        "sources": list(p.sources),
        "pairs": p.pairs,
        "between_source_sd": round(p.tau, 4),
        "between_source_sd_from_levels": p.tau_from_levels,
    }


VERDICTS = {
    # TRANSLATORS: a rate below the market band's P25
    "under-priced": N_("under-priced"),
    # TRANSLATORS: a rate between the market band's P25 and P75
    "in-band": N_("in-band"),
    # TRANSLATORS: a rate above the market band's P75
    "premium": N_("premium"),
}
VERDICT_COLOURS = {"under-priced": "red", "in-band": "green", "premium": "cyan"}
FACTORS = {
    # TRANSLATORS: breakdown factor: the rate at the reference experience
    "base": N_("base"),
    "experience": N_("experience"),
    "region": N_("region"),
    # TRANSLATORS: breakdown factor: the premium of a skill in short supply
    "scarcity": N_("scarcity"),
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
    legend = [
        "[ ] P25–P75",
        # TRANSLATORS: chart legend: the band's median
        _("┃ median"),
        # TRANSLATORS: chart legend: the market's reference rate, e.g. "◆ 500 mark"
        _("◆ {mark} mark").format(mark=format_number(q.threshold.value)),
    ]
    if q.floor is not None:
        # TRANSLATORS: chart legend: the floor rate
        legend.append(_("▼ floor"))
    if q.position is not None:
        # TRANSLATORS: chart legend: the user's own rate
        legend.append(_("● your rate"))
    ends = f"{format_number(low):>6} {''.join(line)} {format_number(high)}"
    return [ends, f"       {'   '.join(legend)}"]


def _show_chart(console: Console, q: Quote) -> None:
    """Print the band chart, narrower on a narrow terminal, its legend wrapped."""
    ends, legend = band_chart(q, max(min(CHART_WIDTH, console.width - 16), 20))
    console.print(ends, highlight=False, soft_wrap=True)
    say(console, legend, hang=7)


def _show_band(console: Console, q: Quote) -> None:
    band = _("market band P25 {p25} · P50 {p50} · P75 {p75}").format(
        p25=eur(q.band.p25), p50=eur(q.band.p50), p75=eur(q.band.p75)
    )
    say(console, f"  {band}")


def _show_position(console: Console, q: Quote) -> None:
    pos = q.position
    if pos is None:
        return
    verdict = f"[{VERDICT_COLOURS[pos.verdict]}]{label(VERDICTS, pos.verdict)}[/]"
    # A rate with cents prints its cents, so that it reads against the band as it is judged.
    cents = 0 if float(round(pos.rate, 2)).is_integer() else 2
    say(
        console,
        _("Your rate {rate}: {verdict}, percentile {percentile}, {gap} against the median").format(
            rate=eur(pos.rate, decimals=cents),
            verdict=verdict,
            percentile=format_number(pos.percentile),
            gap=signed_eur(pos.gap_to_median),
        ),
    )


def _years(years: float) -> str:
    # A fraction under 2 counts as 0: plural in English (0.5 years), singular in French (0,5 an).
    count = int(years) if years >= 2 or float(years).is_integer() else 0
    return ngettext("{years} year", "{years} years", count).format(years=format_short(years))


def show_quote(
    console: Console, q: Quote, details: bool = False, sales: Sales | None = None
) -> None:
    """Print the headline (floor, target, stretch, band, verdict), the chart, the levers and
    the sales lines, at most three warnings, and with `details` the breakdown and evidence."""
    i = q.inputs
    skills = ", ".join(skill_label(s) for s in i.skills) or _("none")
    say(
        console,
        _("{role}, {years}, {region}, skills: {skills}").format(
            role=f"[bold]{role_label(i.role)}[/]",
            years=_years(i.years),
            region=region_label(i.region),
            skills=skills,
        ),
    )
    _show_floor_line(console, q)
    target = _("target  {rate}").format(rate=f"[bold]{per_day(q.target)}[/]")
    say(console, f"  {target}")
    stretch = _("stretch {rate} (P75)").format(rate=per_day(q.stretch))
    say(console, f"  {stretch}")
    _show_band(console, q)
    _show_position(console, q)
    mark = _("{mark} mark (mid-level AI engineer): target {delta}").format(
        mark=eur(q.threshold.value), delta=signed_eur(q.threshold.delta)
    )
    say(console, f"  {mark}")
    console.print()
    _show_chart(console, q)
    if details:
        _show_breakdown(console, q)
    _show_evidence(console, q, details)
    _show_sources(console, q, details)
    _show_rest(console, q, details, sales)
    console.print()
    _show_data_line(console, q, details)


def _show_data_line(console: Console, q: Quote, details: bool) -> None:
    if details:
        text = _(
            "Data {version}, observations as of {as_of}; the band's spread (sigma {sigma}) is "
            "derived in tjm benchmarks --fit. Sources: tjm benchmarks sources"
        )
    else:
        # TRANSLATORS: the last line of a quote without --details
        text = _("Data {version}, observations as of {as_of}. Sources: tjm benchmarks sources")
    say(
        console,
        text.format(
            version=q.dataset_version,
            as_of=day(q.as_of),
            sigma=format_number(q.band.sigma, decimals=3),
        ),
    )


def _show_evidence(console: Console, q: Quote, details: bool) -> None:
    ev = q.evidence
    if ev is not None:
        grades = ", ".join(
            # TRANSLATORS: how many observations have this grade, e.g. "5 grade C"
            _("{count} grade {grade}").format(count=n, grade=g)
            for g, n in ev.grades.items()
            if n
        )
        # TRANSLATORS: no observation has a date
        newest = _("undated") if ev.newest is None else day(ev.newest)
        rests = ngettext(
            "Rests on {count} observation near this cell ({grades}); newest data {newest}",
            "Rests on {count} observations near this cell ({grades}); newest data {newest}",
            ev.count,
        ).format(count=ev.count, grades=grades or _("none"), newest=newest)
        if ev.thin:
            thin = _("thin data")
            # TRANSLATORS: the evidence line, then a mark that its data is thin
            rests = _("{evidence}; {mark}").format(evidence=rests, mark=f"[yellow]{thin}[/]")
        say(console, rests)
        if details:
            say(console, f"  {', '.join(ev.ids)}")
    for e in q.user_effects:
        moves = _("your observation {id} moves the median by {effect}").format(
            id=e.id, effect=signed_eur(e.effect)
        )
        say(console, f"  {moves}")
    if q.realised is not None:
        r = q.realised
        say(
            console,
            ngettext(
                "Your missions since {since}: realised rate {rate} over {days} billed days "
                "({missions} mission), against the band's P50 {p50}",
                "Your missions since {since}: realised rate {rate} over {days} billed days "
                "({missions} missions), against the band's P50 {p50}",
                r.missions,
            ).format(
                since=day(r.since),
                rate=per_day(r.rate),
                days=format_short(r.days),
                missions=r.missions,
                p50=eur(q.band.p50),
            ),
        )


# The block stays a few lines in the one-screen quote; --details and --json list them all,
# with the year effect, the recent data's share and the AI premium.
SHOWN_SOURCES = 3


def source_figure(s: SourceForCell) -> str:
    """Return what one source says for the cell: its range, its figure, its floor."""
    parts = []
    if s.low is not None and s.high is not None:
        parts.append(f"{format_number(s.low)}–{format_number(s.high)}")
    elif s.low is not None or s.high is not None:
        parts.append(format_number(s.low if s.low is not None else s.high))  # type: ignore[arg-type]
    if s.value is not None:
        parts.append(format_number(s.value))
    if s.at_least is not None:
        parts.append(f"≥ {format_number(s.at_least)}")
    return ", ".join(parts)


def _show_sources(console: Console, q: Quote, details: bool = False) -> None:
    """Print what each source says for the user's cell: the first few and the fitted median,
    or with `details` every source, the year effect, the recent share and the AI premium."""
    cell = q.cell
    if cell is None or not cell.sources:
        return
    i = q.inputs
    if cell.trend_method == "index":
        # TRANSLATORS: how the sources' figures are brought to the as-of year
        how = _("the Syntec index: no source gives this role in two years")
    else:
        how = _("this role's own trend, {rate} a year").format(
            rate=format_percent(math.expm1(cell.trend_rate), decimals=1, signed=True)
        )
    if details:
        heading = _(
            "What each source says for you ({years}, {region}, {year}; year effect: {how}):"
        )
    else:
        # TRANSLATORS: the heading of a quote's sources block without --details
        heading = _("What each source says for you ({years}, {region}, {year}):")
    say(
        console,
        heading.format(
            years=_years(i.years),
            region=region_label(i.region),
            year=q.as_of.year if q.as_of else "",
            how=how,
        ),
    )
    shown = cell.sources if details else cell.sources[:SHOWN_SOURCES]
    for s in shown:
        weight = (
            _("weight {share}").format(share=format_percent(s.weight))
            if s.fitted
            # TRANSLATORS: a source whose figures give no experience level, so the fit skips it
            else _("no level: not fitted")
        )
        # TRANSLATORS: one source's line: publisher, year, grade, sample size, its figure
        line = _("{publisher}, {year}, grade {grade}, n {n}: {figure} ({weight})").format(
            publisher=record(s.publisher),
            year=s.year if s.year is not None else _("n/d"),
            grade=s.grade,
            n="—" if s.n is None else s.n,
            figure=source_figure(s),
            weight=weight,
        )
        say(console, f"  {line}", hang=4)
    hidden = len(cell.sources) - len(shown)
    if hidden > 0:
        more = ngettext(
            "and {count} more source (--details lists them all)",
            "and {count} more sources (--details lists them all)",
            hidden,
        ).format(count=hidden)
        say(console, f"  {more}")
    if q.market_median is not None:
        median = _("fitted median among them {median} (before skills)").format(
            median=format_number(q.market_median)
        )
        if details and cell.recent_share is not None:
            share = _("data from {start}–{end} carry {share} of this cell's weight").format(
                start=q.as_of.year - 1 if q.as_of else "",
                end=q.as_of.year if q.as_of else "",
                share=format_percent(cell.recent_share),
            )
            median = pgettext("clauses", "; ").join([median, share])
        say(console, f"  {median}", hang=4)
    p = q.premium
    if details and p is not None:
        premium = ngettext(
            "AI engineer over data scientist: {premium} (95% interval {low} to {high}), "
            "from {count} source pricing both ({sources})",
            "AI engineer over data scientist: {premium} (95% interval {low} to {high}), "
            "from {count} sources pricing both ({sources})",
            len(p.sources),
        ).format(
            premium=format_percent(p.estimate, signed=True),
            low=format_percent(p.low, signed=True),
            high=format_percent(p.high, signed=True),
            count=len(p.sources),
            sources=", ".join(p.sources),
        )
        say(console, f"  {premium}", hang=4)


def _show_floor_line(console: Console, q: Quote) -> None:
    if q.floor is not None:
        line = _("floor   {rate} (what your costs require, net {net}/year)").format(
            rate=per_day(q.floor.rate), net=eur(q.floor.target_net)
        )
        say(console, f"  {line}")


def _show_rest(console: Console, q: Quote, details: bool, sales: Sales | None) -> None:
    """Print the levers, how the rate sells, then every warning of the view, ranked."""
    from tjm.market.quote import LEVER_NAMES

    for lever in q.levers:
        # TRANSLATORS: {name} is what the lever changes (days, status, positioning),
        # {change} what to do
        text = _("lever {name}: {change} → {effect}").format(
            name=label(LEVER_NAMES, lever.code), change=lever.message, effect=per_day(lever.effect)
        )
        say(console, f"  {text}")
    found = [(w.code, w.message) for w in (*q.warnings, *(q.floor.warnings if q.floor else ()))]
    if sales is not None:
        found += sales(details)
    show_warnings(console, found, details, set())


def _show_breakdown(console: Console, q: Quote) -> None:
    """Print each factor of the rate on its line, its reason and source wrapped under it."""
    # TRANSLATORS: the breakdown's title
    title = _("Why this rate")
    say(console, f"[bold]{title}[/]")
    for f in q.breakdown:
        mult = "" if f.multiplier is None else f"× {format_number(f.multiplier, decimals=3)}"
        name = label(FACTORS, f.name)
        say(console, f"  {name:<12} {mult:>8}  {per_day(f.rate)}")
        # TRANSLATORS: a breakdown factor's reason, then its source
        because = _("{because} (source: {source})").format(because=f.explanation, source=f.source)
        say(console, f"      {because}", hang=6)


def show_compare(
    console: Console, q: Quote, details: bool = False, sales: Sales | None = None
) -> None:
    """Print where the user's rate stands (percentile, verdict, band, gap to the median), and
    with a target net, the floor, its levers and its warnings."""
    _show_position(console, q)
    _show_floor_line(console, q)
    _show_band(console, q)
    if q.threshold.rate_delta is not None:
        mark = _("{mark} mark: your rate {delta}").format(
            mark=eur(q.threshold.value), delta=signed_eur(q.threshold.rate_delta)
        )
        say(console, f"  {mark}")
    _show_chart(console, q)
    _show_evidence(console, q, details)
    _show_rest(console, q, details, sales)
