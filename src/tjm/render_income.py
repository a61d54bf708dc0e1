"""Turn floors and the status comparison into terminal output (rich) and stable JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tjm.render import _eur, _table

if TYPE_CHECKING:
    from rich.console import Console

    from tjm.income import Floor, StatusRow
    from tjm.regimes import Breakdown, Dividends

BAR_WIDTH = 50
SMALL_BAR_WIDTH = 14
BAR_PARTS = (
    ("contributions", "█"),
    ("corporate_tax", "▚"),
    ("income_tax", "▓"),
    ("expenses", "▒"),
    ("net", "░"),
)
BAR_LEGEND = "█ contributions  ▚ corporate tax  ▓ income tax  ▒ expenses  ░ net"
MONEY = ("turnover", "contributions", "corporate_tax", "income_tax", "expenses", "net")


def _share(share: float | None) -> float | None:
    """Return a salary share as the percentage --salary-share takes, to 0.1."""
    return None if share is None else round(share * 100, 1)


def dividends_json(d: Dividends | None) -> dict[str, float] | None:
    return None if d is None else {k: round(v, 2) for k, v in d._asdict().items()}


def floor_json(f: Floor) -> dict[str, Any]:
    """Return a floor as the documented JSON object; money is yearly EUR, net after income tax."""
    money = {k: round(getattr(f.result, k), 2) for k in MONEY}
    return {
        "floor": f.rate,
        **money,
        "target_net": f.target_net,
        "per_month": {k: round(v / 12, 2) for k, v in money.items()},
        "per_billable_day": {k: round(v / f.days.total, 2) for k, v in money.items()},
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


def _pay_lines(f: Floor) -> list[str]:
    """Return how a company pays the person: the salary share, remuneration and dividends."""
    lines, r = [], f.result
    if r.salary_share is not None:
        what = "salary" if r.status == "sasu" else "remuneration"
        how = {
            "searched": "the best split at this rate",
            "default": "the default",
            "given": "as given",
        }[f.share_from or "given"]
        cost = "employer cost" if r.status == "sasu" else "before contributions"
        lines.append(
            f"  {r.salary_share:.0%} of the profit as {what} ({_eur(r.remuneration)} {cost}), {how}"
        )
    d = r.dividends
    if d is not None:
        levies = "social levies" if r.status == "sasu" else "social levies and contributions"
        lines.append(
            f"  dividends {_eur(d.gross)}: {_eur(d.social)} {levies}, "
            f"{_eur(d.income_tax)} income tax, {_eur(d.net)} net"
        )
    return lines


def show_floor(console: Console, f: Floor) -> None:
    """Print the floor, the days behind it, where each euro goes, and the warnings."""
    console.print(
        f"Floor for a net of {_eur(f.target_net)} a year after income tax in "
        f"{f.year} ({f.result.status}):",
        highlight=False,
    )
    console.print(f"  [bold]{_eur(f.rate)}[/]/day, rounded up to the euro", highlight=False)
    d = f.days
    if d.holidays is None:
        console.print(f"  {d.total:g} billable days (given)", highlight=False)
    else:
        console.print(
            f"  {d.total:g} billable days = {d.working:g} working − {d.holidays:g} "
            f"holidays − {d.sick:g} sick − {d.non_billable:g} non-billable",
            highlight=False,
        )
    for line in _pay_lines(f):
        console.print(line, highlight=False)
    table = _table(
        "Where the turnover goes",
        ["", "per year", "per month", "per billable day", "share"],
        {"per year", "per month", "per billable day", "share"},
    )
    for key in MONEY:
        value = getattr(f.result, key)
        if key == "corporate_tax" and f.result.salary_share is None:
            continue  # only a company at the corporate tax pays it
        share = value / f.result.turnover if f.result.turnover else 0.0
        table.add_row(
            key.replace("_", " "),
            _eur(value),
            _eur(value / 12),
            _eur(value / d.total),
            f"{share:.0%}",
        )
    console.print(table)
    console.print(f"  {turnover_bar(f.result)}", highlight=False)
    console.print(f"  {BAR_LEGEND}", highlight=False)
    for warning in f.warnings:
        console.print(f"[yellow]warning:[/] {warning.message}", highlight=False)


# --------------------------------------------------------------------- statuses


def statuses_json(rows: list[StatusRow], target_net: float | None) -> list[dict[str, Any]]:
    """Return the comparison as the documented list: one object per status, ranked."""
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
    return out


def _num(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def show_statuses(
    console: Console,
    rows: list[StatusRow],
    target_net: float | None,
    rate: float | None,
    days: float,
    year: int,
) -> None:
    """Print one ranked row per status, with a small bar of where its turnover goes, then
    each status's note."""
    from rich import box

    if target_net is not None:
        title = (
            f"Floor per status, EUR/day, for a net of {_eur(target_net)} a year after "
            f"income tax ({days:g} billable days, {year} rules; cheapest first)"
        )
        head = "floor"
    else:
        title = (
            f"Net per status, EUR a year after income tax, at {_eur(rate or 0)}/day "
            f"({days:g} billable days, {year} rules; most first)"
        )
        head = "net"
    money = [head, "turnover", "contrib.", "taxes"]
    table = _table(title, ["#", "status", *money, "split"], {"#", *money})
    table.box, table.pad_edge = box.SIMPLE_HEAD, False
    for column in table.columns:
        column.no_wrap = True
    for i, row in enumerate(rows, 1):
        r = row.result
        rank = str(i) if row.available else "–"
        if r is None:
            table.add_row(rank, row.status, "—", "", "", "", "out of reach")
            continue
        assert row.rate is not None, "a status with a result has its rate"
        shown = _num(row.rate) if target_net is not None else _num(r.net)
        table.add_row(
            rank,
            row.status,
            shown,
            _num(r.turnover),
            _num(r.contributions),
            _num(r.corporate_tax + r.income_tax),
            turnover_bar(r, SMALL_BAR_WIDTH),
        )
    console.print(table)
    console.print(f"  {BAR_LEGEND}", highlight=False)
    for i, row in enumerate(rows, 1):
        rank = str(i) if row.available else "–"
        note = row.note if row.available else f"[red]{row.note}[/]"
        console.print(f"  {rank} {row.status}: {note}", highlight=False)
    console.print(
        "  Taxes are corporate tax plus income tax (the dividends' too); every net is "
        "after them and the contributions. One status in full: tjm floor --status S",
        highlight=False,
    )
