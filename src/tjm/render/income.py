"""Turn floors and the status comparison into terminal output (rich) and stable JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tjm.errors import labelled
from tjm.i18n import N_, _, pgettext
from tjm.i18n.formats import format_money, format_number, format_percent, format_short
from tjm.registry import STATUSES, status_short
from tjm.render.common import (
    eur,
    glossed,
    label,
    per_day,
    say,
    show_warnings,
    signed_eur,
    status_name,
    table,
    term,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from tjm.dataset.records import Dataset
    from tjm.france.costs import CompanyCosts
    from tjm.france.income import Floor, Situation, StatusRow
    from tjm.france.protection import Protection
    from tjm.france.regimes import Breakdown, Dividends, Salary
    from tjm.sales.channels import Fee

BAR_WIDTH = 50
BAR_PARTS = (
    ("fee", "▞"),
    ("contributions", "█"),
    ("dividend_levies", "▙"),
    ("corporate_tax", "▚"),
    ("income_tax", "▓"),
    ("expenses", "▒"),
    ("net", "░"),
)
LABELS = {
    # TRANSLATORS: what the client pays over the year, before anything is taken off
    "turnover": N_("turnover"),
    "corporate_tax": N_("corporate tax"),
    # TRANSLATORS: portage's management fee, kept by the portage company
    "fee": N_("management fee"),
    "dividend_levies": N_("social levies on dividends"),
    "income_tax": N_("income tax"),
    # TRANSLATORS: the freelancer's business expenses
    "expenses": N_("expenses"),
    # TRANSLATORS: what the freelancer keeps, after contributions and income tax
    "net": N_("net"),
}
MONEY = (
    "turnover",
    "fee",
    "contributions",
    "dividend_levies",
    "corporate_tax",
    "income_tax",
    "expenses",
    "net",
)
COST_LABELS = {
    "accountant": N_("accountant"),
    "cfe": N_("CFE"),
    "bank": N_("bank"),
    # TRANSLATORS: professional liability insurance (RC Pro)
    "insurance": N_("liability insurance"),
    "creation": N_("creation"),
    "legal": N_("legal"),
}
UNEMPLOYMENT = {
    # TRANSLATORS: unemployment insurance benefit (ARE), in the statuses table
    "are": N_("ARE"),
    # TRANSLATORS: the flat allowance for the self-employed (ATI), in the statuses table
    "ati": N_("ATI"),
}


def _share(share: float | None) -> float | None:
    """Return a salary share as the percentage --salary-share takes, to 0.1."""
    return None if share is None else round(share * 100, 1)


def dividends_json(d: Dividends | None) -> dict[str, float] | None:
    return None if d is None else {k: round(v, 2) for k, v in d._asdict().items()}


def salary_json(p: Salary | None) -> dict[str, float] | None:
    """Return a salary as gross, net, employer cost and the two sides' contributions."""
    if p is None:
        return None
    return {
        "gross": round(p.gross, 2),
        "net": round(p.net, 2),
        "employer_cost": round(p.gross + p.employer, 2),
        "employer_contributions": round(p.employer, 2),
        "employee_contributions": round(p.employee, 2),
    }


def costs_json(c: CompanyCosts | None) -> dict[str, Any] | None:
    """Return the company's costs, their total, which tjm assumed, and the creation spread."""
    if c is None:
        return None
    parts = {k: round(getattr(c, k), 2) for k in COST_LABELS}
    return {
        **parts,
        "total": round(c.total, 2),
        "assumed": list(c.assumed),
        "creation_years": c.creation_years,
    }


def protection_json(p: Protection | None) -> dict[str, Any] | None:
    """Return what a status's year buys (modele-social's protection figures)."""
    if p is None:
        return None
    return {
        "quarters": p.quarters,
        "pension_income": round(p.pension_income, 2),
        "points": round(p.points, 2),
        "points_scheme": p.scheme,
        "point_value": p.point_value,
        "sick_pay_daily": round(p.sick_pay, 2),
        "sick_pay_waiting_days": p.waiting_days,
        "sick_pay_qualifying_months": p.qualifying_months,
        "death_capital": round(p.death_capital, 2),
        "invalidity_monthly": round(p.invalidity, 2),
        "unemployment": p.unemployment,
    }


def gives_up(row: StatusRow, best: StatusRow) -> dict[str, Any] | None:
    """Return what a status gives up (negative) or gains against the best net's status."""
    if row is best or row.result is None or best.result is None:
        return None
    p, q = row.protection, best.protection
    out: dict[str, Any] = {
        "against": best.status,
        "net": round(row.result.net - best.result.net, 2),
    }
    if p is not None and q is not None:
        out.update(
            quarters=p.quarters - q.quarters,
            sick_pay_daily=round(p.sick_pay - q.sick_pay, 2),
            death_capital=round(p.death_capital - q.death_capital, 2),
            invalidity_monthly=round(p.invalidity - q.invalidity, 2),
            unemployment=p.unemployment if p.unemployment != q.unemployment else None,
        )
    if row.costs is not None and best.costs is not None:
        out["company_costs"] = round(row.costs.total - best.costs.total, 2)
    return out


def best_net(rows: list[StatusRow]) -> StatusRow | None:
    """Return the open status that nets most (at a rate) or needs the lowest floor."""
    # CIPAV is for regulated professions only, custom is the user's own rate: not a choice.
    open_rows = [
        r
        for r in rows
        if r.available
        and r.result is not None
        and r.rate is not None
        and STATUSES[r.status].suggested
    ]
    if not open_rows:
        return None
    return min(open_rows, key=lambda r: (r.rate, -r.result.net))  # type: ignore[union-attr]


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
        "salary": salary_json(f.result.salary),
        "company_costs": costs_json(f.costs),
        "protection": protection_json(f.protection),
        "closed": None
        if f.closed is None
        else {"status": f.closed.result.status, "floor": f.closed.rate},
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


def bar_legend(seen: set[str], *results: Breakdown) -> str:
    """Return the legend of the turnover bars, one mark per part that `results` have (every
    part without them)."""
    return "  ".join(
        f"{char} {part_name(key, seen)}"
        for key, char in BAR_PARTS
        if not results or any(getattr(r, key) for r in results) or key in ("net",)
    )


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
            text = _("{share} of the profit as salary, {how}")
        else:
            text = _("{share} of the profit as remuneration ({pay} before contributions), {how}")
        lines.append("  " + text.format(share=share, pay=pay, how=how))
    p = f.result.salary
    if p is not None:
        text = _("salary: {gross} gross, {net} net, {cost} employer cost")
        amounts = {"gross": p.gross, "net": p.net, "cost": p.gross + p.employer}
        lines.append("  " + text.format(**{k: eur(v) for k, v in amounts.items()}))
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
            if _skipped(f.result, key):
                continue
            share = year / f.result.turnover if f.result.turnover else 0.0
            goes.add_row(
                part_name(key, seen), eur(year), eur(month), eur(day), format_percent(share)
            )
        console.print(goes)
    else:
        say(console, f"  {_yearly_split(f, seen)}")
    console.print(f"  {turnover_bar(f.result, min(BAR_WIDTH, console.width - 4))}")
    say(console, f"  {bar_legend(seen, f.result)}")
    if f.costs is not None and f.costs.total:
        say(console, f"  {costs_line(f.costs, seen)}")
    if f.protection is not None:
        say(console, f"  {protection_line(f.protection, seen)}")
    found = [(w.code, w.message) for w in f.warnings]
    if sales is not None:
        found += sales(details)
    show_warnings(console, found, details, seen)


def _skipped(r: Breakdown, key: str) -> bool:
    """Whether a part of the turnover is left out of the split: the corporate tax but for a
    company at it, portage's fee and the dividends' levies when there are none."""
    if key == "corporate_tax" and r.salary_share is None:
        return True  # only a company at the corporate tax pays it
    return key in ("fee", "dividend_levies") and not getattr(r, key)


def _yearly_split(f: Floor, seen: set[str]) -> str:
    """Return where the year's turnover goes, on one line: each part and its share."""
    r = f.result
    parts = []
    for key in MONEY:
        if _skipped(r, key):
            continue
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


def costs_line(c: CompanyCosts, seen: set[str]) -> str:
    """Return the company's costs in one line, naming those tjm assumed."""
    parts = ", ".join(
        _("{what} {amount}").format(what=label(COST_LABELS, k), amount=eur(getattr(c, k)))
        for k in COST_LABELS
        if getattr(c, k)
    )
    line = _("company costs {total} a year, in the expenses: {parts}").format(
        total=eur(c.total), parts=parts
    )
    if c.assumed:
        assumed = ", ".join(label(COST_LABELS, k) for k in c.assumed)
        line += _(" (assumed: {assumed}; flags override them)").format(assumed=assumed)
    return glossed(line, seen)


def protection_line(p: Protection, seen: set[str]) -> str:
    """Return what the year buys in one line: quarters, points, sick pay, death capital,
    invalidity, unemployment."""
    if p.sick_pay:
        sick = _("sick pay {amount}/day after {days} days").format(
            amount=eur(p.sick_pay, 2), days=p.waiting_days
        )
    else:
        sick = _("no sick pay")
    if p.unemployment == "are":
        unemployment = _("unemployment insurance ({are})").format(are=term("are", seen))
    else:
        unemployment = _("no unemployment insurance ({ati} only)").format(ati=term("ati", seen))
    return _(
        "buys {quarters} pension quarters, {points} {scheme} points, {sick}, death capital "
        "{death}, invalidity pension {invalidity}/month, {unemployment}"
    ).format(
        quarters=p.quarters,
        points=format_number(p.points),
        scheme=SCHEMES.get(p.scheme, p.scheme),
        sick=sick,
        death=eur(p.death_capital),
        invalidity=eur(p.invalidity),
        unemployment=unemployment,
    )


SCHEMES = {"rci": "RCI", "agirc-arrco": "AGIRC-ARRCO", "cipav": "CIPAV"}


# --------------------------------------------------------------------- statuses


def statuses_json(
    dataset: Dataset,
    rows: list[StatusRow],
    target_net: float | None,
    fees: tuple[Fee | None, ...],
    sort: str = "net",
) -> dict[str, Any]:
    """Return the comparison as the documented object: one object per status, ranked, each
    with its floor (or rate), what it buys, its company costs, what it gives up against the
    best net, and through the channel when `fees` name one."""
    out = []
    best = best_net(rows)
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
                "salary": None if r is None else salary_json(r.salary),
                "company_costs": costs_json(row.costs),
                "protection": protection_json(row.protection),
                "gives_up": None if best is None else gives_up(row, best),
                "available": row.available,
                "note": row.note,
                "warnings": [w._asdict() for w in row.warnings],
            }
        )
    if any(f is not None for f in fees):
        from tjm.render.channels import status_channels_json

        out = status_channels_json(dataset, out, rows, fees)
    return {"sort": sort, "best": None if best is None else best.status, "statuses": out}


def _gives_up_line(row: StatusRow, best: StatusRow) -> str | None:
    """Return one line on what a status gives up, and gains, against the best net."""
    diff = gives_up(row, best)
    if diff is None:
        return None
    parts = []
    if diff["net"]:
        parts.append(_("net {amount} a year").format(amount=signed_eur(diff["net"])))
    if diff.get("quarters"):
        parts.append(
            _("quarters {count}").format(count=format_number(diff["quarters"], signed=True))
        )
    if diff.get("sick_pay_daily"):
        parts.append(
            _("sick pay {amount}/day").format(
                amount=format_money(diff["sick_pay_daily"], decimals=2, signed=True)
            )
        )
    if diff.get("death_capital"):
        parts.append(_("death capital {amount}").format(amount=signed_eur(diff["death_capital"])))
    if diff.get("invalidity_monthly"):
        parts.append(
            _("invalidity {amount}/month").format(amount=signed_eur(diff["invalidity_monthly"]))
        )
    if diff.get("unemployment") == "are":
        parts.append(_("gains unemployment insurance"))
    elif diff.get("unemployment") == "ati":
        parts.append(_("loses unemployment insurance"))
    if not parts:
        return _("against {best}: the same").format(best=status_short(best.status))
    return _("against {best}: {changes}").format(
        best=status_short(best.status), changes=", ".join(parts)
    )


def show_statuses(
    console: Console,
    dataset: Dataset,
    rows: list[StatusRow],
    target_net: float | None,
    rate: float | None,
    situation: Situation,
    fees: tuple[Fee | None, ...],
    sort: str = "net",
    details: bool = False,
) -> None:
    """Print one ranked row per status with its net (or floor), company costs and what its
    contributions buy, then each status's note and what it gives up against the best net,
    and with a channel each one through it."""
    from rich import box

    seen: set[str] = set()
    days, year = format_short(situation.days.total), situation.rules.year
    if sort == "protection":
        # TRANSLATORS: how the statuses table is ranked
        order = _("most protection first")
    elif target_net is not None:
        order = _("cheapest first")
    else:
        order = _("most first")
    if target_net is not None:
        title = _(
            "Floor per status, EUR/day, for a net of {net} a year after income tax "
            "({days} billable days, {year} rules; {order})"
        ).format(net=eur(target_net), days=days, year=year, order=order)
        # TRANSLATORS: column of the statuses table: the floor rate
        head = pgettext("column", "floor")
    else:
        title = _(
            "Net per status, EUR a year after income tax, at {rate} "
            "({days} billable days, {year} rules; {order})"
        ).format(rate=per_day(rate or 0), days=days, year=year, order=order)
        head = pgettext("column", "net")
    # TRANSLATORS: columns of the statuses table, kept short: the company's own costs a
    # year, pension quarters, daily sick pay, the death capital, unemployment cover
    money = [
        head,
        pgettext("column", "costs"),
        pgettext("column", "quarters"),
        pgettext("column", "sick/day"),
        pgettext("column", "death"),
    ]
    unemployment = pgettext("column", "unempl.")
    say(console, title)
    ranked = table("", ["#", _("status"), *money, unemployment], {"#", *money})
    # No blank edge rows: the view fits one screen.
    ranked.box, ranked.pad_edge, ranked.show_edge = box.SIMPLE_HEAD, False, False
    for column in ranked.columns:
        column.no_wrap = True
    assumed = False
    for i, row in enumerate(rows, 1):
        r, p, c = row.result, row.protection, row.costs
        rank = str(i) if row.available else "–"
        if r is None:
            ranked.add_row(rank, status_short(row.status), "—", "", "", "", "", _("out of reach"))
            continue
        assert row.rate is not None, "a status with a result has its rate"
        shown = format_number(row.rate) if target_net is not None else format_number(r.net)
        cost = "" if c is None else format_number(c.total) + ("*" if c.assumed else "")
        assumed = assumed or bool(c and c.assumed)
        ranked.add_row(
            rank,
            status_short(row.status),
            shown,
            cost,
            "" if p is None else str(p.quarters),
            "" if p is None else (format_number(p.sick_pay, decimals=2) if p.sick_pay else "0"),
            "" if p is None else format_number(p.death_capital),
            "" if p is None or p.unemployment is None else label(UNEMPLOYMENT, p.unemployment),
        )
    console.print(ranked)
    best = best_net(rows)
    for i, row in enumerate(rows, 1):
        rank = str(i) if row.available else "–"
        name = status_name(row.status, seen)  # first: the name is the term's first mention
        note = glossed(row.note, seen)
        note = note if row.available else f"[red]{note}[/]"
        line = None if best is None else _gives_up_line(row, best)
        if line is not None:
            # In the same paragraph as the note, so the view stays one screen.
            note = pgettext("clauses", "; ").join([note, line])
        say(console, f"  {rank} {labelled(name, note)}", hang=4)
    if details:
        _footnotes(console, seen, assumed)
    elif assumed:
        # TRANSLATORS: under the statuses table without --details: what the * means
        say(console, "  " + _("* costs assumed by status: --details says which, and the flags"))
    if any(f is not None for f in fees):
        from tjm.render.channels import show_status_channels

        show_status_channels(console, dataset, rows, fees, details)


def _footnotes(console: Console, seen: set[str], assumed: bool) -> None:
    footnote = _(
        "Nets are after every tax, the {cotisations} and the company costs. "
        "{are}: unemployment insurance; {ati}: a flat allowance if the business closes."
    ).format(cotisations=term("cotisations", seen), are=term("are", seen), ati=term("ati", seen))
    say(console, f"  {footnote}")
    if assumed:
        costs = _(
            "* costs assumed by status (accountant, {cfe}, bank, liability insurance, creation, "
            "legal); --accountant, --cfe, --bank, --insurance, --creation-costs, --legal-costs "
            "give yours. One status in full: tjm floor --status S"
        ).format(cfe=term("cfe", seen))
        say(console, f"  {costs}")
