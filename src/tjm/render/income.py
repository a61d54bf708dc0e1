"""Turn floors and the status comparison into terminal output (rich) and stable JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tjm.errors import labelled
from tjm.i18n import N_, _, pgettext
from tjm.i18n.formats import format_number, format_percent, format_short
from tjm.registry import status_short
from tjm.render.common import (
    eur,
    glossed,
    label,
    per_day,
    say,
    show_warnings,
    status_name,
    table,
    term,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from tjm.dataset.records import Dataset
    from tjm.france.income import Floor, Situation, StatusRow
    from tjm.france.regimes import Breakdown, Dividends
    from tjm.sales.channels import Fee

BAR_WIDTH = 50
SMALL_BAR_WIDTH = 14
BAR_PARTS = (
    ("contributions", "█"),
    ("corporate_tax", "▚"),
    ("income_tax", "▓"),
    ("expenses", "▒"),
    ("net", "░"),
)
LABELS = {
    # TRANSLATORS: what the client pays over the year, before anything is taken off
    "turnover": N_("turnover"),
    "corporate_tax": N_("corporate tax"),
    "income_tax": N_("income tax"),
    # TRANSLATORS: the freelancer's business expenses
    "expenses": N_("expenses"),
    # TRANSLATORS: what the freelancer keeps, after contributions and income tax
    "net": N_("net"),
}
MONEY = ("turnover", "contributions", "corporate_tax", "income_tax", "expenses", "net")


def _share(share: float | None) -> float | None:
    """Return a salary share as the percentage --salary-share takes, to 0.1."""
    return None if share is None else round(share * 100, 1)


def dividends_json(d: Dividends | None) -> dict[str, float] | None:
    return None if d is None else {k: round(v, 2) for k, v in d._asdict().items()}


def _per_period(f: Floor) -> dict[str, tuple[float, float, float]]:
    """Return each amount of a floor per year, per month and per billable day."""
    amounts = {k: float(getattr(f.result, k)) for k in MONEY}
    return {k: (v, v / 12, v / f.days.total) for k, v in amounts.items()}


def floor_json(f: Floor) -> dict[str, Any]:
    """Return a floor as the documented JSON object; money is yearly EUR, net after income tax."""
    periods = _per_period(f)
    return {
        "floor": f.rate,
        **{k: round(year, 2) for k, (year, _, _) in periods.items()},
        "target_net": f.target_net,
        "per_month": {k: round(month, 2) for k, (_, month, _) in periods.items()},
        "per_billable_day": {k: round(day, 2) for k, (_, _, day) in periods.items()},
        "days": f.days._asdict(),
        "year": f.year,
        "status": f.result.status,
        "dividends": dividends_json(f.result.dividends),
        "salary_share": _share(f.result.salary_share),
        "remuneration": round(f.result.remuneration, 2),
        "warnings": [w._asdict() for w in f.warnings],
    }


def turnover_bar(result: Breakdown, width: int = BAR_WIDTH) -> str:
    """Return a bar of the turnover split into contributions, taxes, expenses and net."""
    parts = [(char, max(getattr(result, key), 0.0)) for key, char in BAR_PARTS]
    total = sum(value for _, value in parts) or 1.0
    bar, used = "", 0.0
    for char, value in parts:
        used += value
        bar += char * (round(used / total * width) - len(bar))
    return bar


def part_name(key: str, seen: set[str]) -> str:
    """Return the name of one part of the turnover; the contributions keep their French name."""
    return term("cotisations", seen) if key == "contributions" else label(LABELS, key)


def bar_legend(seen: set[str]) -> str:
    """Return the legend of the turnover bars, one mark per part."""
    return "  ".join(f"{char} {part_name(key, seen)}" for key, char in BAR_PARTS)


def _pay_lines(f: Floor) -> list[str]:
    """Return how a company pays the person: the salary share, remuneration and dividends."""
    lines = []
    sasu = f.result.status == "sasu"
    if f.result.salary_share is not None:
        how = {
            # TRANSLATORS: how the salary share was chosen
            "searched": _("the best split at this rate"),
            "default": _("the default"),
            "given": _("as given"),
        }[f.share_from or "given"]
        share = format_percent(f.result.salary_share)
        pay = eur(f.result.remuneration)
        if sasu:
            text = _("{share} of the profit as salary ({pay} employer cost), {how}")
        else:
            text = _("{share} of the profit as remuneration ({pay} before contributions), {how}")
        lines.append("  " + text.format(share=share, pay=pay, how=how))
    d = f.result.dividends
    if d is not None:
        if sasu:
            text = _("dividends {gross}: {social} social levies, {tax} income tax, {net} net")
        else:
            text = _(
                "dividends {gross}: {social} social levies and contributions, {tax} income tax, "
                "{net} net"
            )
        amounts = {"gross": d.gross, "social": d.social, "tax": d.income_tax, "net": d.net}
        lines.append("  " + text.format(**{k: eur(v) for k, v in amounts.items()}))
    return lines


def show_floor(
    console: Console,
    f: Floor,
    details: bool = False,
    sales: Callable[[bool], list[tuple[str, str]]] | None = None,
) -> None:
    """Print the floor, the days behind it, how the turnover splits, how it sells and at most
    three warnings; with `details`, where each euro goes per period and every warning."""
    seen: set[str] = set()
    say(
        console,
        _("Floor for a net of {net} a year after income tax in {year}, as {status}:").format(
            net=eur(f.target_net), year=f.year, status=status_name(f.result.status, seen)
        ),
    )
    rounded = _("{rate}, rounded up to the euro").format(rate=f"[bold]{per_day(f.rate)}[/]")
    say(console, f"  {rounded}")
    d = f.days
    if d.holidays is None:
        days = _("{total} billable days (given)").format(total=format_short(d.total))
    else:
        days = _(
            "{total} billable days = {working} working − {holidays} holidays − {sick} sick − "
            "{non_billable} non-billable"
        ).format(
            total=format_short(d.total),
            working=format_short(d.working),
            holidays=format_short(d.holidays),
            sick=format_short(d.sick or 0),
            non_billable=format_short(d.non_billable or 0),
        )
    say(console, f"  {days}")
    for line in _pay_lines(f):
        say(console, line)
    if details:
        periods = [_("per year"), _("per month"), _("per billable day"), _("share")]
        goes = table(_("Where the turnover goes"), ["", *periods], set(periods))
        for key, (year, month, day) in _per_period(f).items():
            if key == "corporate_tax" and f.result.salary_share is None:
                continue  # only a company at the corporate tax pays it
            share = year / f.result.turnover if f.result.turnover else 0.0
            goes.add_row(
                part_name(key, seen), eur(year), eur(month), eur(day), format_percent(share)
            )
        console.print(goes)
    else:
        say(console, f"  {_yearly_split(f, seen)}")
    console.print(f"  {turnover_bar(f.result, min(BAR_WIDTH, console.width - 4))}")
    say(console, f"  {bar_legend(seen)}")
    found = [(w.code, w.message) for w in f.warnings]
    if sales is not None:
        found += sales(details)
    show_warnings(console, found, details, seen)


def _yearly_split(f: Floor, seen: set[str]) -> str:
    """Return where the year's turnover goes, on one line: each part and its share."""
    r = f.result
    parts = []
    for key in MONEY:
        if key == "corporate_tax" and r.salary_share is None:
            continue  # only a company at the corporate tax pays it
        value = float(getattr(r, key))
        share = format_percent(value / r.turnover if r.turnover else 0.0)
        # TRANSLATORS: one part of the turnover, its yearly amount and its share, e.g.
        # "net 50,000 EUR (49%)"
        parts.append(
            _("{part} {amount} ({share})").format(
                part=part_name(key, seen), amount=eur(value), share=share
            )
        )
    # TRANSLATORS: the parts of the turnover, a year
    return _("a year: {parts}").format(parts=" · ".join(parts))


# --------------------------------------------------------------------- statuses


def statuses_json(
    dataset: Dataset, rows: list[StatusRow], target_net: float | None, fee: Fee | None
) -> dict[str, Any]:
    """Return the comparison as the documented object: one object per status, ranked, each
    with its floor (or rate) through the channel when `fee` names one."""
    out = []
    for row in rows:
        r = row.result
        head: dict[str, Any] = {"status": row.status}
        head["floor" if target_net is not None else "rate"] = row.rate
        money = {k: None if r is None else round(getattr(r, k), 2) for k in MONEY}
        out.append(
            {
                **head,
                **money,
                "remuneration": None if r is None else round(r.remuneration, 2),
                "dividends": None if r is None else dividends_json(r.dividends),
                "salary_share": None if r is None else _share(r.salary_share),
                "available": row.available,
                "note": row.note,
                "warnings": [w._asdict() for w in row.warnings],
            }
        )
    if fee is not None:
        from tjm.render.channels import status_channels_json

        out = status_channels_json(dataset, out, rows, fee)
    return {"statuses": out}


def show_statuses(
    console: Console,
    dataset: Dataset,
    rows: list[StatusRow],
    target_net: float | None,
    rate: float | None,
    situation: Situation,
    fee: Fee | None,
    details: bool = False,
) -> None:
    """Print one ranked row per status, with a small bar of where its turnover goes, then
    each status's note, and with `fee` each one through the channel."""
    from rich import box

    seen: set[str] = set()
    days, year = format_short(situation.days.total), situation.rules.year
    if target_net is not None:
        title = _(
            "Floor per status, EUR/day, for a net of {net} a year after income tax "
            "({days} billable days, {year} rules; cheapest first)"
        ).format(net=eur(target_net), days=days, year=year)
        # TRANSLATORS: column of the statuses table: the floor rate
        head = pgettext("column", "floor")
    else:
        title = _(
            "Net per status, EUR a year after income tax, at {rate} "
            "({days} billable days, {year} rules; most first)"
        ).format(rate=per_day(rate or 0), days=days, year=year)
        head = pgettext("column", "net")
    # TRANSLATORS: columns of the statuses table; "contrib." is short for the contributions
    money = [head, pgettext("column", "turnover"), _("contrib."), _("taxes")]
    say(console, title)
    ranked = table("", ["#", _("status"), *money, _("split")], {"#", *money})
    ranked.box, ranked.pad_edge = box.SIMPLE_HEAD, False
    for column in ranked.columns:
        column.no_wrap = True
    for i, row in enumerate(rows, 1):
        r = row.result
        rank = str(i) if row.available else "–"
        if r is None:
            ranked.add_row(rank, status_short(row.status), "—", "", "", "", _("out of reach"))
            continue
        assert row.rate is not None, "a status with a result has its rate"
        shown = format_number(row.rate) if target_net is not None else format_number(r.net)
        ranked.add_row(
            rank,
            status_short(row.status),
            shown,
            format_number(r.turnover),
            format_number(r.contributions),
            format_number(r.corporate_tax + r.income_tax),
            turnover_bar(r, SMALL_BAR_WIDTH),
        )
    console.print(ranked)
    say(console, f"  {bar_legend(seen)}")
    for i, row in enumerate(rows, 1):
        rank = str(i) if row.available else "–"
        name = status_name(row.status, seen)  # first: the name is the term's first mention
        note = glossed(row.note, seen)
        note = note if row.available else f"[red]{note}[/]"
        say(console, f"  {rank} {labelled(name, note)}", hang=4)
    if details:
        _footnote(console, seen)
    if fee is not None:
        from tjm.render.channels import show_status_channels

        show_status_channels(console, dataset, rows, fee, details)


def _footnote(console: Console, seen: set[str]) -> None:
    footnote = _(
        "Taxes are corporate tax plus income tax (the dividends' too); every net is after "
        "them and the {cotisations}. One status in full: tjm floor --status S"
    ).format(cotisations=term("cotisations", seen))
    say(console, f"  {footnote}")
