"""Human output and JSON for sales channels and the engagement shape (blend, discount,
half-days); every fee shown names its source."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from tjm.benchmarks import Dataset
    from tjm.channels import ChannelRow, ChannelView, Fee
    from tjm.engagement import Engagement
    from tjm.income import StatusRow


def _cents(x: float) -> float:
    return round(x, 2)


def _eur(x: float) -> str:
    return f"{x:,.2f}" if round(x, 2) != round(x) else f"{x:,.0f}"


def fee_source(dataset: Dataset, fee: Fee) -> str:
    """Return the fee's source as a reader can find it: a flag, or title, publisher, date."""
    if fee.source.startswith("--"):
        return f"your {fee.source}"
    s = dataset.sources[fee.source]
    return f"{s.publisher}, \u201c{s.title}\u201d ({s.date})"


def source_json(dataset: Dataset, fee: Fee) -> dict[str, Any]:
    if fee.source.startswith("--"):
        return {
            "id": fee.source,
            "title": "given on the command line",
            "publisher": None,
            "date": None,
            "url": None,
        }
    s = dataset.sources[fee.source]
    return {"id": s.id, "title": s.title, "publisher": s.publisher, "date": s.date, "url": s.url}


def channels_json(dataset: Dataset, rows: tuple[ChannelRow, ...]) -> dict[str, Any]:
    """Return the channels as the documented object: one object per channel."""
    return {"channels": [channel_row_json(dataset, r) for r in rows]}


def channel_row_json(dataset: Dataset, r: ChannelRow) -> dict[str, Any]:
    """Return one channel's prices and fee; money in EUR/day to the cent."""
    return {
        "channel": r.conversion.channel,
        "client_price": _cents(r.conversion.client_price),
        "fee": _cents(r.conversion.fee),
        "fee_rate": round(r.conversion.fee_rate, 6),
        "freelancer_rate": _cents(r.conversion.freelancer_rate),
        "reaches_freelancer": _cents(r.conversion.reaches),
        "fee_note": r.fee.note,
        "source": source_json(dataset, r.fee),
        "warnings": [w._asdict() for w in r.warnings],
    }


def show_channels(
    console: Console,
    dataset: Dataset,
    rows: tuple[ChannelRow, ...],
    rate: float | None,
    client_price: float | None,
) -> None:
    """Print the channels side by side from your `rate` or the `client_price`, then each
    one's warnings and the fee sources."""
    from rich.table import Table

    given = f"your rate {rate:,.2f}" if rate is not None else f"client price {client_price:,.2f}"
    table = Table(title=f"Through each channel ({given})", title_justify="left")
    for name in ("channel", "client pays", "fee", "fee %", "you invoice", "reaches you"):
        table.add_column(name, justify="left" if name == "channel" else "right")
    for r in rows:
        c = r.conversion
        table.add_row(
            r.label,
            _eur(c.client_price),
            _eur(c.fee),
            f"{c.fee_rate * 100:.4g}%",
            _eur(c.freelancer_rate),
            _eur(c.reaches),
        )
    console.print(table)
    console.print(
        "EUR per day, excl. VAT. 'You invoice' is what is paid to you in portage.", highlight=False
    )
    for r in rows:
        note = f" ({r.fee.note})" if r.fee.note else ""
        console.print(
            f"  {r.label} fee {r.fee.rate * 100:.4g}%{note}: {fee_source(dataset, r.fee)}",
            highlight=False,
        )
    for r in rows:
        for w in r.warnings:
            console.print(f"[yellow]{r.label}:[/] {w.message}", highlight=False)


# --------------------------------------------------------------- in quote / floor


def channel_view_json(dataset: Dataset, v: ChannelView | None) -> dict[str, Any] | None:
    if v is None:
        return None
    return {
        "channel": v.fee.channel,
        "fee_rate": round(v.fee.rate, 6),
        "fee_note": v.fee.note,
        "source": source_json(dataset, v.fee),
        "band_side": None if v.side is None else v.side.side,
        "band_source": None if v.side is None else v.side.source,
        "rate": None if v.rate_row is None else channel_row_json(dataset, v.rate_row),
        "compared_rate": None if v.compared_rate is None else _cents(v.compared_rate),
        "floor": None if v.floor_row is None else channel_row_json(dataset, v.floor_row),
        "warnings": [w._asdict() for w in v.warnings],
    }


def show_channel_view(console: Console, dataset: Dataset, v: ChannelView | None) -> None:
    if v is None:
        return
    # channels is None only for a dataset file without that table; the packaged one has it.
    label = dataset.channels[v.fee.channel].label  # type: ignore[index]
    note = f", {v.fee.note}" if v.fee.note else ""
    console.print(
        f"  through {label}: fee {v.fee.rate * 100:.4g}%{note} ({fee_source(dataset, v.fee)})",
        highlight=False,
    )
    if v.floor is not None:
        console.print(
            f"  floor as the client pays it: [bold]{_eur(v.floor.client_price)}[/]"
            f"/day (you invoice {_eur(v.floor.freelancer_rate)}, "
            f"{_eur(v.floor.reaches)} reaches you)",
            highlight=False,
        )
    if v.rate is not None and v.compared_rate is not None:
        assert v.side is not None, "a rate is compared on the band's side only when it is known"
        side = {
            "client": "what the client pays",
            "freelancer": "what you invoice",
            "unknown": "as you invoice it (the side is not known)",
        }[v.side.side]
        console.print(
            f"  your rate {_eur(v.rate.freelancer_rate)} is placed in the band as "
            f"{_eur(v.compared_rate)}: {side}, like the band "
            f"({v.side.source})",
            highlight=False,
        )
    for w in v.warnings:
        console.print(f"[yellow]warning:[/] {w.message}", highlight=False)


# -------------------------------------------------------------------- engagement


def sales_json(dataset: Dataset, view: ChannelView | None, shape: Engagement) -> dict[str, Any]:
    """Return how the result sells: the `channel` view and the `engagement` shape."""
    return {
        "channel": channel_view_json(dataset, view),
        "engagement": engagement_json(shape, dataset),
    }


def show_sales(
    console: Console, dataset: Dataset, view: ChannelView | None, shape: Engagement
) -> None:
    """Print how the result sells: through the channel, and the engagement shape."""
    show_channel_view(console, dataset, view)
    show_engagement(console, shape, dataset)


def engagement_json(shape: Engagement, dataset: Dataset) -> dict[str, Any]:
    blend, gap, discount, halves = shape
    out: dict[str, Any] = {"blend": None, "floor_gap": None, "discount": None, "half_days": None}
    if blend is not None:
        out["blend"] = {
            "clients": [c._asdict() for c in blend.clients],
            "turnover": _cents(blend.turnover),
            "days_sold": blend.days_sold,
            "rate": _cents(blend.rate),
            "billable_days": round(blend.billable_days, 2),
            "days_left": round(blend.days_left, 2),
        }
    if gap is not None:
        out["floor_gap"] = {
            "required_turnover": _cents(gap.required_turnover),
            "shortfall": _cents(gap.shortfall),
            "more_days": gap.more_days,
            "fits": gap.fits,
            "raises": [r._asdict() for r in gap.raises],
        }
    if discount is not None:
        out["discount"] = {
            **discount._asdict(),
            "cost": _cents(discount.cost),
            "days": round(discount.days, 2),
            "views": [v._asdict() for v in dataset.discount_views],
            "note": dataset.discount_note,
        }
    if halves is not None:
        out["half_days"] = {
            **halves._asdict(),
            "effective_rate": _cents(halves.effective_rate),
            "yearly_change": _cents(halves.yearly_change),
        }
    return out


def show_engagement(console: Console, shape: Engagement, dataset: Dataset) -> None:
    blend, gap, discount, halves = shape
    if blend is not None:
        from rich.table import Table

        table = Table(title="Your clients over a year", title_justify="left")
        for name in ("client", "rate", "days", "turnover"):
            table.add_column(name, justify="left" if name == "client" else "right")
        for c in blend.clients:
            table.add_row(c.name, _eur(c.rate), f"{c.days:g}", _eur(c.rate * c.days))
        table.add_row(
            "[bold]blend[/]", _eur(blend.rate), f"{blend.days_sold:g}", _eur(blend.turnover)
        )
        console.print(table)
        console.print(
            f"  {blend.days_left:g} of {blend.billable_days:g} billable days left unsold",
            highlight=False,
        )
    if gap is not None:
        if gap.shortfall <= 0:
            console.print(
                f"  at these rates the year meets the floor's turnover "
                f"({_eur(gap.required_turnover)} EUR)",
                highlight=False,
            )
        else:
            top = gap.raises[0]
            fits = "" if gap.fits else " (more than the days left)"
            console.print(
                f"  at these rates you need {gap.more_days:g} more billable days"
                f"{fits} or +{_eur(top.raise_by)} EUR on {top.name} "
                f"({_eur(top.new_rate)}/day) to reach the floor's turnover "
                f"({_eur(gap.required_turnover)} EUR, short by "
                f"{_eur(gap.shortfall)})",
                highlight=False,
            )
            for r in gap.raises[1:]:
                console.print(f"    or +{_eur(r.raise_by)} EUR on {r.name}", highlight=False)
    if discount is not None:
        d = discount
        console.print(
            f"  a {d.discount:.0%} discount over {d.months:g} months "
            f"({d.days:g} billable days) costs {_eur(d.cost)} EUR a year at "
            f"{_eur(d.rate)}/day",
            highlight=False,
        )
        if d.rate_for_floor is not None:
            console.print(
                f"  to stay at the floor ({_eur(d.floor_rate or 0)}/day) with this "
                f"discount, charge at least {_eur(d.rate_for_floor)}/day before it",
                highlight=False,
            )
        console.print("  a discount is your choice, not a market figure:", highlight=False)
        for v in dataset.discount_views:
            s = dataset.sources[v.source]
            console.print(f"    - {v.view} ({s.publisher}, {s.date})", highlight=False)
        console.print(f"    {dataset.discount_note}", highlight=False)
    if halves is not None:
        h = halves
        assumed = (
            " (55% of the day rate: an assumption, see tjm benchmarks sources)" if h.assumed else ""
        )
        console.print(
            f"  {h.share:.0%} of your time in half-days at {_eur(h.half_day_rate)}"
            f"{assumed}: {_eur(h.effective_rate)} per day of billed time, "
            f"{h.yearly_change:+,.0f} EUR a year against full days",
            highlight=False,
        )


# ------------------------------------------------------------------- statuses


def _status_conversions(
    dataset: Dataset, rows: list[StatusRow], fee: Fee
) -> list[ChannelRow | None]:
    from tjm.channels import ChannelRow, channel_warnings, from_freelancer_rate
    from tjm.inputs import NO_SALES

    # channels is None only for a dataset file without that table; the packaged one has it.
    label = dataset.channels[fee.channel].label  # type: ignore[index]
    out: list[ChannelRow | None] = []
    for row in rows:
        if row.rate is None:
            out.append(None)
            continue
        conv = from_freelancer_rate(fee.channel, row.rate, fee.rate)
        out.append(ChannelRow(conv, fee, label, channel_warnings(dataset, fee, conv, NO_SALES)))
    return out


def status_channels_json(
    dataset: Dataset, objects: list[dict[str, Any]], rows: list[StatusRow], fee: Fee
) -> list[dict[str, Any]]:
    """Add to each status object its floor (or rate) through the channel."""
    converted = _status_conversions(dataset, rows, fee)
    return [
        {**obj, "channel": None if c is None else channel_row_json(dataset, c)}
        for obj, c in zip(objects, converted, strict=True)
    ]


def show_status_channels(
    console: Console, dataset: Dataset, rows: list[StatusRow], fee: Fee
) -> None:
    # channels is None only for a dataset file without that table; the packaged one has it.
    label = dataset.channels[fee.channel].label  # type: ignore[index]
    console.print(
        f"Through {label} (fee {fee.rate * 100:.4g}%, {fee_source(dataset, fee)}):", highlight=False
    )
    converted = _status_conversions(dataset, rows, fee)
    for row, c in zip(rows, converted, strict=True):
        if c is not None:
            console.print(
                f"  {row.status}: the client pays {_eur(c.conversion.client_price)}"
                f"/day, {_eur(c.conversion.reaches)} reaches you",
                highlight=False,
            )
    shown = next((c for c in converted if c is not None), None)
    for w in () if shown is None else shown.warnings:
        console.print(f"[yellow]warning:[/] {w.message}", highlight=False)
