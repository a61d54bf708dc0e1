"""Turn floors and the status comparison into terminal output (rich) and stable JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tjm.render import eur, table

if TYPE_CHECKING:
    from rich.console import Console

    from tjm.benchmarks import Dataset
    from tjm.channels import Fee
    from tjm.income import Floor, Situation, StatusRow
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


def _pay_lines(f: Floor) -> list[str]:
    """Return how a company pays the person: the salary share, remuneration and dividends."""
    lines = []
    if f.result.salary_share is not None:
        what = "salary" if f.result.status == "sasu" else "remuneration"
        how = {
            "searched": "the best split at this rate",
            "default": "the default",
            "given": "as given",
        }[f.share_from or "given"]
        cost = "employer cost" if f.result.status == "sasu" else "before contributions"
        lines.append(
            f"  {f.result.salary_share:.0%} of the profit as {what} "
            f"({eur(f.result.remuneration)} {cost}), {how}"
        )
    d = f.result.dividends
    if d is not None:
        levies = "social levies" if f.result.status == "sasu" else "social levies and contributions"
        lines.append(
            f"  dividends {eur(d.gross)}: {eur(d.social)} {levies}, "
            f"{eur(d.income_tax)} income tax, {eur(d.net)} net"
        )
    return lines


def show_floor(console: Console, f: Floor) -> None:
    """Print the floor, the days behind it, where each euro goes, and the warnings."""
    console.print(
        f"Floor for a net of {eur(f.target_net)} a year after income tax in {f.year} "
        f"({f.result.status}):",
        highlight=False,
    )
    console.print(f"  [bold]{eur(f.rate)}[/]/day, rounded up to the euro", highlight=False)
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
    goes = table(
        "Where the turnover goes",
        ["", "per year", "per month", "per billable day", "share"],
        {"per year", "per month", "per billable day", "share"},
    )
    for key, (year, month, day) in _per_period(f).items():
        if key == "corporate_tax" and f.result.salary_share is None:
            continue  # only a company at the corporate tax pays it
        share = year / f.result.turnover if f.result.turnover else 0.0
        goes.add_row(key.replace("_", " "), eur(year), eur(month), eur(day), f"{share:.0%}")
    console.print(goes)
    console.print(f"  {turnover_bar(f.result)}", highlight=False)
    console.print(f"  {BAR_LEGEND}", highlight=False)
    for warning in f.warnings:
        console.print(f"[yellow]warning:[/] {warning.message}", highlight=False)


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
        from tjm.render_channels import status_channels_json

        out = status_channels_json(dataset, out, rows, fee)
    return {"statuses": out}


def _num(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def show_statuses(
    console: Console,
    dataset: Dataset,
    rows: list[StatusRow],
    target_net: float | None,
    rate: float | None,
    situation: Situation,
    fee: Fee | None,
) -> None:
    """Print one ranked row per status, with a small bar of where its turnover goes, then
    each status's note, and with `fee` each one through the channel."""
    from rich import box

    days, year = situation.days.total, situation.rules.year

    if target_net is not None:
        title = (
            f"Floor per status, EUR/day, for a net of {eur(target_net)} a year after "
            f"income tax ({days:g} billable days, {year} rules; cheapest first)"
        )
        head = "floor"
    else:
        title = (
            f"Net per status, EUR a year after income tax, at {eur(rate or 0)}/day "
            f"({days:g} billable days, {year} rules; most first)"
        )
        head = "net"
    money = [head, "turnover", "contrib.", "taxes"]
    ranked = table(title, ["#", "status", *money, "split"], {"#", *money})
    ranked.box, ranked.pad_edge = box.SIMPLE_HEAD, False
    for column in ranked.columns:
        column.no_wrap = True
    for i, row in enumerate(rows, 1):
        r = row.result
        rank = str(i) if row.available else "–"
        if r is None:
            ranked.add_row(rank, row.status, "—", "", "", "", "out of reach")
            continue
        assert row.rate is not None, "a status with a result has its rate"
        shown = _num(row.rate) if target_net is not None else _num(r.net)
        ranked.add_row(
            rank,
            row.status,
            shown,
            _num(r.turnover),
            _num(r.contributions),
            _num(r.corporate_tax + r.income_tax),
            turnover_bar(r, SMALL_BAR_WIDTH),
        )
    console.print(ranked)
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
    if fee is not None:
        from tjm.render_channels import show_status_channels

        show_status_channels(console, dataset, rows, fee)
