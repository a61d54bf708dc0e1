"""A report to hand over (`tjm report`): one self-contained HTML page with inline SVG charts,
printable to A4, or Markdown; every figure is read from the commands' JSON objects.

Each figure in the HTML carries `data-figure` (its path in the JSON, e.g. `band.p25`) and
`data-value` (the JSON's number), so a test reads the page back and compares.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any, NamedTuple

from tjm.i18n import Language, _, pgettext
from tjm.i18n.formats import format_date, format_number
from tjm.registry import status_short
from tjm.render.common import (
    eur,
    per_day,
    quoted,
    record,
    region_label,
    role_label,
    skill_label,
)


class ReportData(NamedTuple):
    """What a report shows: the JSON objects of quote, statuses and channel, and the sources."""

    quote: dict[str, Any]  # tjm quote --json
    statuses: dict[str, Any]  # tjm statuses --json, for the quote's target net or its target
    channels: dict[str, Any]  # tjm channel --json, at the quote's rate (or target)
    sources: list[dict[str, Any]]  # the observations near the cell, each with its source
    made: dt.date
    version: str  # tjm's
    language: Language


def observation_sources(ids: list[str]) -> list[dict[str, Any]]:
    """Return each observation near the cell with what it says and where it comes from."""
    from tjm.market.observations import load_market
    from tjm.render.common import years_span

    market = load_market()
    by_id = {o.id: o for o in market.observations}
    out = []
    for i in ids:
        o = by_id.get(i)
        if o is None:
            continue
        s = market.sources[o.source]
        out.append(
            {
                "id": o.id,
                "role": o.role,
                "region": o.region,
                "years": years_span(o.min_years, o.max_years),
                "statistic": o.statistic,
                "value": o.value,
                "grade": o.grade,
                "title": s.title,
                "publisher": s.publisher,
                "published": s.published,
                "url": s.url,
            }
        )
    return out


# ------------------------------------------------------------------ the charts


def band_svg(q: dict[str, Any], width: int = 640) -> str:
    """Return the market band as an inline SVG: P25–P75 as a bar, the median, the floor,
    the user's rate and the 500 mark placed on one axis."""
    band = q["band"]
    marks = {"p25": band["p25"], "p50": band["p50"], "p75": band["p75"], "target": q["target"]}
    marks["mark"] = q["threshold"]["value"]
    if q["floor"] is not None:
        marks["floor"] = q["floor"]["floor"]
    if q["inputs"]["rate"] is not None:
        marks["rate"] = q["inputs"]["rate"]
    low, high = min(marks.values()) * 0.85, max(marks.values()) * 1.1
    left, right, axis = 20, width - 20, 70

    def x(value: float) -> float:
        return float(round(left + (value - low) / (high - low) * (right - left), 1))

    names = {
        "p50": _("median"),
        "target": pgettext("chart", "target"),
        "mark": _("{mark} mark").format(mark=format_number(marks["mark"])),
        "floor": pgettext("chart", "floor"),
        "rate": _("your rate"),
    }
    colours = {"p50": "#1f4e79", "target": "#2e7d32", "mark": "#8e24aa"}
    colours |= {"floor": "#c62828", "rate": "#ef6c00"}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 130" role="img" '
        f'aria-label="{escape(_("Market band"))}" class="chart">',
        f'<line x1="{left}" y1="{axis}" x2="{right}" y2="{axis}" stroke="#999"/>',
        f'<rect x="{x(band["p25"])}" y="{axis - 12}" width="{x(band["p75"]) - x(band["p25"])}" '
        f'height="24" fill="#cfe2f3" stroke="#1f4e79"/>',
        f'<text x="{x(band["p25"])}" y="{axis + 36}" text-anchor="middle">P25 '
        f"{escape(format_number(band['p25']))}</text>",
        f'<text x="{x(band["p75"])}" y="{axis + 36}" text-anchor="middle">P75 '
        f"{escape(format_number(band['p75']))}</text>",
    ]
    legend_x = left
    for key in ("p50", "target", "mark", "floor", "rate"):
        if key not in marks:
            continue
        at, colour = x(marks[key]), colours[key]
        parts.append(
            f'<line x1="{at}" y1="{axis - 20}" x2="{at}" y2="{axis + 20}" stroke="{colour}" '
            f'stroke-width="3"/>'
        )
        text = names[key] if key == "mark" else f"{names[key]} {format_number(marks[key])}"
        # The legend names each mark on one row at the top, so close marks never overlap.
        parts.append(
            f'<rect x="{legend_x}" y="12" width="10" height="10" fill="{colour}"/>'
            f'<text x="{legend_x + 14}" y="21">{escape(text)}</text>'
        )
        legend_x += 24 + 7 * len(text)
    parts.append("</svg>")
    return "".join(parts)


def statuses_svg(s: dict[str, Any], width: int = 640) -> str:
    """Return the floor (or net) of each status as a horizontal bar chart, in inline SVG."""
    rows = [r for r in s["statuses"] if r.get("floor", r.get("rate")) is not None]
    key = "floor" if rows and "floor" in rows[0] else "net"
    values = [float(r[key]) for r in rows]
    top = max(values, default=1.0) or 1.0
    label_w, bar_w, height = 170, width - 170 - 90, 24 * len(rows) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(_("Floor per status"))}" class="chart">'
    ]
    for i, (r, value) in enumerate(zip(rows, values, strict=True)):
        y = 6 + 24 * i
        w = round(value / top * bar_w, 1)
        colour = "#1f4e79" if r["available"] else "#bbbbbb"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">'
            f"{escape(status_short(r['status']))}</text>"
            f'<rect x="{label_w}" y="{y}" width="{w}" height="18" fill="{colour}"/>'
            f'<text x="{label_w + w + 6}" y="{y + 15}">{escape(eur(value))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# ------------------------------------------------------------------ the page

CSS = """
@page { size: A4; margin: 16mm; }
* { box-sizing: border-box; }
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
       max-width: 178mm; margin: 0 auto; padding: 8mm 0; overflow-wrap: anywhere; }
h1 { font-size: 18pt; margin: 0 0 2mm; } h2 { font-size: 13pt; margin: 7mm 0 2mm;
       border-bottom: 1px solid #ccc; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0; page-break-inside: avoid; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 1.2mm 2mm; text-align: left;
         vertical-align: top; }
td.n, th.n { text-align: right; white-space: nowrap; }
.headline td { font-size: 12pt; } .muted { color: #666; font-size: 9pt; }
.chart { width: 100%; height: auto; font: 9pt sans-serif; page-break-inside: avoid; }
.warn { color: #8a4b00; } a { color: #1f4e79; }
"""


def _fig(path: str, value: float | None, text: str) -> str:
    """Return a figure as the page shows it, tagged with its JSON path and number."""
    if value is None:
        return escape(text)
    return f'<span data-figure="{escape(path)}" data-value="{value!r}">{escape(text)}</span>'


def _cells(*cells: str, numeric: tuple[int, ...] = ()) -> str:
    return (
        "<tr>"
        + "".join(
            f'<td class="n">{c}</td>' if i in numeric else f"<td>{c}</td>"
            for i, c in enumerate(cells)
        )
        + "</tr>"
    )


def _head(*names: str, numeric: tuple[int, ...] = ()) -> str:
    return (
        "<tr>"
        + "".join(
            f'<th class="n">{escape(n)}</th>' if i in numeric else f"<th>{escape(n)}</th>"
            for i, n in enumerate(names)
        )
        + "</tr>"
    )


def who(q: dict[str, Any]) -> str:
    """Return the profile a report is about: role, years, region and skills, as labels."""
    i = q["inputs"]
    skills = ", ".join(skill_label(s) for s in i["skills"]) or _("none")
    # TRANSLATORS: the report's subtitle: role, years, region, skills
    return _("{role}, {years} years of experience, {region}; skills: {skills}").format(
        role=role_label(i["role"]),
        years=format_number(i["years"], decimals=1 if i["years"] % 1 else 0),
        region=region_label(i["region"]),
        skills=skills,
    )


def headline_rows(q: dict[str, Any]) -> list[tuple[str, str, float | None, str]]:
    """Return the headline as (label, JSON path, number, text) rows: floor, target, stretch,
    band, and where the user's rate stands."""
    rows: list[tuple[str, str, float | None, str]] = []
    if q["floor"] is not None:
        f = q["floor"]["floor"]
        rows.append((_("Floor (what your costs require)"), "floor.floor", f, per_day(f)))
    rows.append((_("Target (the model's rate)"), "target", q["target"], per_day(q["target"])))
    rows.append((_("Stretch (the band's P75)"), "stretch", q["stretch"], per_day(q["stretch"])))
    for p in ("p25", "p50", "p75"):
        value = q["band"][p]
        rows.append((_("Market band {p}").format(p=p.upper()), f"band.{p}", value, eur(value)))
    if q["inputs"]["rate"] is not None and q["percentile"] is not None:
        rate = q["inputs"]["rate"]
        rows.append((_("Your rate"), "inputs.rate", rate, per_day(rate)))
        rows.append(
            (
                _("Its percentile in the band"),
                "percentile",
                q["percentile"],
                format_number(q["percentile"]),
            )
        )
    return rows


def report_html(data: ReportData) -> str:
    """Return the report as one self-contained HTML page in the report's language."""
    from tjm.render.common import label
    from tjm.render.quote import VERDICTS

    q = data.quote
    title = _("Day rate report")
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{data.language}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(who(q))}</p>",
        '<table class="headline">',
    ]
    for name, path, value, text in headline_rows(q):
        out.append(_cells(escape(name), _fig(path, value, text), numeric=(1,)))
    out.append("</table>")
    if q["verdict"] is not None:
        verdict = label(VERDICTS, q["verdict"])
        gap = q["gap_to_median"]
        out.append(
            "<p>"
            + escape(
                _("Verdict: {verdict}; {gap} against the median.").format(
                    verdict=verdict, gap=eur(gap)
                )
            )
            + "</p>"
        )
    out.append(band_svg(q))
    out += _warnings_html(q)
    out += _statuses_html(data.statuses)
    out += _channels_html(data.channels)
    out += _sources_html(data, q)
    out.append(f'<p class="muted">{escape(_about(data, q))}</p>')
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _about(data: ReportData, q: dict[str, Any]) -> str:
    # TRANSLATORS: the report's last line: when, which data, which tjm
    return _(
        "Made on {date} with tjm {version}, data {data} (observations as of {as_of}). "
        "Figures are estimates from published sources, not advice."
    ).format(
        date=format_date(data.made),
        version=data.version,
        data=q["dataset"]["version"],
        as_of=format_date(dt.date.fromisoformat(q["dataset"]["as_of"]))
        if q["dataset"]["as_of"]
        else "—",
    )


def _warnings_html(q: dict[str, Any]) -> list[str]:
    from tjm.render.common import ranked

    found = [(w["code"], w["message"]) for w in q["warnings"]]
    if q["floor"] is not None:
        found += [(w["code"], w["message"]) for w in q["floor"]["warnings"]]
    if q["channel"] is not None:
        found += channel_warnings(q["channel"])
    if not found:
        return []
    items = "".join(f"<li>{escape(_capital(m))}</li>" for _code, m in ranked(found))
    return [_h2(_("What to know")), f'<ul class="warn">{items}</ul>']


def channel_warnings(view: dict[str, Any]) -> list[tuple[str, str]]:
    """Return a channel view's warnings (its JSON); one about the rate or the floor only
    names it, as the terminal view does."""
    rate, floor = view["rate"], view["floor"]
    on_rate = [] if rate is None else [w["message"] for w in rate["warnings"]]
    on_floor = [] if floor is None else [w["message"] for w in floor["warnings"]]
    out = []
    for w in view["warnings"]:
        message = w["message"]
        if rate is not None and message in on_rate and message not in on_floor:
            message = _("{message} (for your rate of {rate})").format(
                message=message.rstrip("."), rate=eur(rate["freelancer_rate"], 2)
            )
        elif floor is not None and message in on_floor and message not in on_rate:
            message = _("{message} (for the floor of {rate})").format(
                message=message.rstrip("."), rate=eur(floor["freelancer_rate"], 2)
            )
        out.append((w["code"], message))
    return out


def _capital(text: str) -> str:
    """Return a list item's text with a capital, as a sentence of its own."""
    return text[:1].upper() + text[1:]


def _statuses_html(s: dict[str, Any]) -> list[str]:
    rows = s["statuses"]
    if not rows:
        return []
    by_floor = "floor" in rows[0]
    title = _("Floor per status") if by_floor else _("Net per status")
    head = pgettext("column", "floor") if by_floor else pgettext("column", "net")
    out = [f"<h2>{escape(title)}</h2>", statuses_svg(s), "<table>"]
    out.append(
        _head(_("status"), head, pgettext("column", "turnover"), _("net"), numeric=(1, 2, 3))
    )
    key = "floor" if by_floor else "rate"
    for i, r in enumerate(rows):
        main = r[key] if by_floor else r["net"]
        path = f"statuses.{i}.{key if by_floor else 'net'}"
        out.append(
            _cells(
                escape(status_short(r["status"])),
                "—" if main is None else _fig(path, main, eur(main)),
                ""
                if r["turnover"] is None
                else _fig(f"statuses.{i}.turnover", r["turnover"], eur(r["turnover"])),
                "" if r["net"] is None else _fig(f"statuses.{i}.net", r["net"], eur(r["net"])),
                numeric=(1, 2, 3),
            )
        )
    out.append("</table>")
    return out


def _channels_html(c: dict[str, Any]) -> list[str]:
    from tjm.render.common import fee_percent

    out = [_h2(_("Through each channel")), "<table>"]
    out.append(
        _head(
            _("channel"),
            _("client pays"),
            _("fee %"),
            _("you invoice"),
            _("reaches you"),
            _("source"),
            numeric=(1, 2, 3, 4),
        )
    )
    for i, r in enumerate(c["channels"]):
        src = r["source"]
        link = escape(record(src["publisher"] or src["title"] or ""))
        if src["url"]:
            link = f'<a href="{escape(src["url"])}">{link}</a>'
        out.append(
            _cells(
                escape(_channel_name(r["channel"])),
                _fig(f"channels.{i}.client_price", r["client_price"], eur(r["client_price"], 2)),
                escape(fee_percent(r["fee_rate"])),
                _fig(
                    f"channels.{i}.freelancer_rate",
                    r["freelancer_rate"],
                    eur(r["freelancer_rate"], 2),
                ),
                _fig(
                    f"channels.{i}.reaches_freelancer",
                    r["reaches_freelancer"],
                    eur(r["reaches_freelancer"], 2),
                ),
                link,
                numeric=(1, 2, 3, 4),
            )
        )
    out.append("</table>")
    return out


def _channel_name(channel: str) -> str:
    from tjm.render.channels import channel_name

    return channel_name(channel)


def _source_says(s: dict[str, Any]) -> str:
    """Return what one observation says: its value, for whom, and its grade."""
    # TRANSLATORS: what one observation says: its value, for whom, and its grade
    return _("{value} for {role}, {years} years, {region} (grade {grade})").format(
        value=eur(s["value"]),
        role=role_label(s["role"]),
        years=s["years"],
        region=region_label(s["region"]),
        grade=s["grade"],
    )


def _source_where(s: dict[str, Any]) -> str:
    """Return where an observation comes from: its publisher, title and date."""
    return f"{record(s['publisher'])}, {quoted(s['title'])} ({s['published']})"


def _sources_html(data: ReportData, q: dict[str, Any]) -> list[str]:
    out = [_h2(_("What each source says"))]
    if not data.sources:
        out.append("<p>" + escape(_("No observation is near this profile.")) + "</p>")
        return out
    items = []
    for s in data.sources:
        name = escape(_source_where(s))
        if s["url"]:
            name = f'<a href="{escape(s["url"])}">{name}</a>'
        items.append(f"<li>{escape(_source_says(s))} — {name}</li>")
    out.append("<ul>" + "".join(items) + "</ul>")
    return out


# ------------------------------------------------------------------ Markdown


def report_markdown(data: ReportData) -> str:
    """Return the report as Markdown, for notes and tickets: the same figures, as tables."""
    q = data.quote
    lines = ["# " + _("Day rate report"), "", who(q), ""]
    lines += ["| " + _("figure") + " | " + _("value") + " |", "|---|---:|"]
    lines += [f"| {name} | {text} |" for name, _p, _v, text in headline_rows(q)]
    lines.append("")
    s = data.statuses["statuses"]
    if s:
        by_floor = "floor" in s[0]
        lines += ["## " + (_("Floor per status") if by_floor else _("Net per status")), ""]
        head = pgettext("column", "floor") if by_floor else pgettext("column", "net")
        lines += ["| " + _("status") + f" | {head} |", "|---|---:|"]
        for r in s:
            value = r["floor"] if by_floor else r["net"]
            lines.append(
                f"| {status_short(r['status'])} | {'—' if value is None else eur(value)} |"
            )
        lines.append("")
    lines += ["## " + _("Through each channel"), ""]
    names = (_("channel"), _("client pays"), _("reaches you"))
    lines += ["| " + " | ".join(names) + " |", "|---|---:|---:|"]
    for r in data.channels["channels"]:
        lines.append(
            f"| {_channel_name(r['channel'])} | {eur(r['client_price'], 2)} | "
            f"{eur(r['reaches_freelancer'], 2)} |"
        )
    lines += ["", "## " + _("What each source says"), ""]
    for src in data.sources:
        where = _source_where(src)
        if src["url"]:
            where = f"[{where}]({src['url']})"
        lines.append(f"- {_source_says(src)} — {where}")
    lines += ["", f"_{_about(data, q)}_", ""]
    return "\n".join(lines)


def _h2(text: str) -> str:
    return f"<h2>{escape(text)}</h2>"
