"""Human output and JSON for sales channels and the engagement shape (blend, discount,
half-days); every fee shown names its source."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tjm.errors import labelled
from tjm.i18n import N_, _, pgettext
from tjm.i18n.formats import format_number, format_percent, format_short
from tjm.registry import status_short
from tjm.render.common import (
    eur,
    fee_percent,
    glossed,
    label,
    quoted,
    say,
    show_warnings,
    signed_eur,
    term,
)

if TYPE_CHECKING:
    from rich.console import Console

    from tjm.dataset.records import Dataset
    from tjm.france.income import StatusRow
    from tjm.sales.channels import ChannelRow, ChannelView, Fee
    from tjm.sales.engagement import Blend, Discount, Engagement, FloorGap


def _cents(x: float) -> float:
    return round(x, 2)


def _eur(x: float) -> str:
    """Return an amount in euros without its unit (the view names it): cents only if any."""
    return format_number(x, decimals=2 if round(x, 2) != round(x) else 0)


def _money(x: float) -> str:
    """Return an amount in euros with its unit, cents only if any."""
    return eur(x, 2 if round(x, 2) != round(x) else 0)


def _per_day(x: float) -> str:
    # TRANSLATORS: an amount per day whose unit the view states, e.g. "542/day"
    return _("{amount}/day").format(amount=_eur(x))


def fee_source(dataset: Dataset, fee: Fee) -> str:
    """Return the fee's source as a reader can find it: a flag, or title, publisher, date."""
    if fee.source.startswith("--"):
        # TRANSLATORS: a fee the user gave with a flag, e.g. "your --fee"
        return _("your {flag}").format(flag=fee.source)
    s = dataset.sources[fee.source]
    # TRANSLATORS: a source: publisher, “title” and its date (n/d when it has none)
    return _("{publisher}, {title} ({date})").format(
        publisher=s.publisher, title=quoted(s.title), date=s.date
    )


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
    details: bool = False,
) -> None:
    """Print the channels side by side from your `rate` or the `client_price`, then the fee
    sources and the warnings (three, or all with `details`), each naming its channel."""
    from rich.table import Table

    seen: set[str] = set()
    if rate is not None:
        given = _("your rate {rate}").format(rate=format_number(rate, decimals=2))
    else:
        price = format_number(client_price or 0, decimals=2)
        given = _("client price {price}").format(price=price)
    table = Table(
        title=_("Through each channel ({given})").format(given=given), title_justify="left"
    )
    # TRANSLATORS: the channel table's columns
    names = [
        _("channel"),
        _("client pays"),
        _("fee"),
        _("fee %"),
        _("you invoice"),
        _("reaches you"),
    ]
    for i, name in enumerate(names):
        table.add_column(name, justify="left" if i == 0 else "right")
    for r in rows:
        c = r.conversion
        table.add_row(
            r.label,
            _eur(c.client_price),
            _eur(c.fee),
            fee_percent(c.fee_rate),
            _eur(c.freelancer_rate),
            _eur(c.reaches),
        )
    console.print(table)
    say(
        console,
        _(
            "EUR per day, excl. VAT. \u2018You invoice\u2019 is what is paid to you in {portage}."
        ).format(portage=term("portage-salarial", seen)),
    )
    for r in rows:
        if r.fee.note:
            text = _("{channel} fee {fee} ({note}): {source}")
        else:
            text = _("{channel} fee {fee}: {source}")
        line = text.format(
            channel=r.label,
            fee=fee_percent(r.fee.rate),
            note=r.fee.note,
            source=fee_source(dataset, r.fee),
        )
        say(console, f"  {line}")
    found = [
        (w.code, labelled(r.label, glossed(w.message, seen))) for r in rows for w in r.warnings
    ]
    show_warnings(console, found, details, seen)


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


SIDES = {
    # TRANSLATORS: the band's rates are what the client pays
    "client": N_("what the client pays"),
    "freelancer": N_("what you invoice"),
    "unknown": N_("as you invoice it (the side is not known)"),
}


def show_channel_view(
    console: Console, dataset: Dataset, v: ChannelView | None, details: bool = False
) -> list[tuple[str, str]]:
    """Print the channel lines of a quote or a floor; return its warnings, each naming the
    rate it is about when it is about one of them only."""
    if v is None:
        return []
    # channels is None only for a dataset file without that table; the packaged one has it.
    name = _(dataset.channels[v.fee.channel].label)  # type: ignore[index]
    if v.fee.note:
        text = _("through {channel}: fee {fee}, {note} ({source})")
    else:
        text = _("through {channel}: fee {fee} ({source})")
    line = text.format(
        channel=_short_channel(v.fee.channel, name),
        fee=fee_percent(v.fee.rate),
        note=v.fee.note,
        source=fee_source(dataset, v.fee),
    )
    say(console, f"  {line}")
    if v.floor is not None:
        line = _(
            "floor as the client pays it: {price} (you invoice {invoiced}, {reaches} reaches you)"
        ).format(
            price=f"[bold]{_per_day(v.floor.client_price)}[/]",
            invoiced=_eur(v.floor.freelancer_rate),
            reaches=_eur(v.floor.reaches),
        )
        say(console, f"  {line}")
    moved = v.rate is not None and v.compared_rate != v.rate.freelancer_rate
    if v.rate is not None and v.compared_rate is not None and (details or moved):
        assert v.side is not None, "a rate is compared on the band's side only when it is known"
        line = _(
            "your rate {rate} is placed in the band as {compared}: {side}, like the band ({source})"
        ).format(
            rate=_eur(v.rate.freelancer_rate),
            compared=_eur(v.compared_rate),
            side=label(SIDES, v.side.side),
            source=v.side.source,
        )
        say(console, f"  {line}")
    return view_warnings(v)


def _short_channel(channel: str, name: str) -> str:
    """Return a channel's name as a line names it: Malt, ESN, portage; its label otherwise."""
    return channel_name(channel) if channel in CHANNEL_NAMES else name


CHANNEL_NAMES = {
    # TRANSLATORS: the direct channel, as a table names it
    "direct": N_("direct"),
    "malt": "Malt",
    "esn": "ESN",
    "portage": "portage salarial",
}


def channel_name(channel: str) -> str:
    """Return a channel's short name: direct (en direct), Malt, ESN, portage salarial."""
    name = CHANNEL_NAMES[channel]
    return _(name) if channel == "direct" else name


def view_warnings(v: ChannelView) -> list[tuple[str, str]]:
    """Return the channel view's warnings; one about the rate or the floor only names it."""
    rate_only = () if v.rate_row is None else v.rate_row.warnings
    floor_only = () if v.floor_row is None else v.floor_row.warnings
    out = []
    for w in v.warnings:
        message = w.message
        if w in rate_only and w not in floor_only and v.rate is not None:
            # TRANSLATORS: a channel warning about the user's own rate only
            message = _("{message} (for your rate of {rate})").format(
                message=message.rstrip("."), rate=_money(v.rate.freelancer_rate)
            )
        elif w in floor_only and w not in rate_only and v.floor is not None:
            # TRANSLATORS: a channel warning about the floor only
            message = _("{message} (for the floor of {rate})").format(
                message=message.rstrip("."), rate=_money(v.floor.freelancer_rate)
            )
        out.append((w.code, message))
    return out


# -------------------------------------------------------------------- engagement


def sales_json(dataset: Dataset, view: ChannelView | None, shape: Engagement) -> dict[str, Any]:
    """Return how the result sells: the `channel` view and the `engagement` shape."""
    return {
        "channel": channel_view_json(dataset, view),
        "engagement": engagement_json(shape, dataset),
    }


def show_sales(
    console: Console,
    dataset: Dataset,
    view: ChannelView | None,
    shape: Engagement,
    details: bool = False,
) -> list[tuple[str, str]]:
    """Print how the result sells: through the channel, and the engagement shape; return
    the channel's warnings, for the view to rank with its own."""
    found = show_channel_view(console, dataset, view, details)
    show_engagement(console, shape, dataset, details)
    return found


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


def show_engagement(
    console: Console, shape: Engagement, dataset: Dataset, details: bool = False
) -> None:
    blend, gap, discount, halves = shape
    if blend is not None:
        (_show_blend if details else _show_blend_line)(console, blend)
    if gap is not None:
        _show_gap(console, gap)
    if discount is not None:
        _show_discount(console, discount, dataset, details)
    if halves is not None:
        h = halves
        if h.assumed:
            text = _(
                "{share} of your time in half-days at {half} (55% of the day rate: an "
                "assumption, see tjm benchmarks sources): {effective} per day of billed time, "
                "{change} a year against full days"
            )
        else:
            text = _(
                "{share} of your time in half-days at {half}: {effective} per day of billed "
                "time, {change} a year against full days"
            )
        line = text.format(
            share=format_percent(h.share),
            half=_money(h.half_day_rate),
            effective=_money(h.effective_rate),
            change=signed_eur(h.yearly_change),
        )
        say(console, f"  {line}")


def _show_blend_line(console: Console, blend: Blend) -> None:
    """Print the clients on one line: each rate and days, the blend, the days left unsold."""
    clients = ", ".join(
        # TRANSLATORS: one client in a line: its name, its rate and its days, e.g. "A 600 × 120 d"
        _("{client} {rate} × {days} d").format(
            client=c.name, rate=_eur(c.rate), days=format_short(c.days)
        )
        for c in blend.clients
    )
    line = _(
        "your clients: {clients}; blend {rate} over {days} days, {turnover} a year; "
        "{left} of {billable} billable days left unsold"
    ).format(
        clients=clients,
        rate=_per_day(blend.rate),
        days=format_short(blend.days_sold),
        turnover=_money(blend.turnover),
        left=format_short(blend.days_left),
        billable=format_short(blend.billable_days),
    )
    say(console, f"  {line}")


def _show_blend(console: Console, blend: Blend) -> None:
    from rich.table import Table

    table = Table(title=_("Your clients over a year"), title_justify="left")
    # TRANSLATORS: the client table's columns
    names = [_("client"), pgettext("column", "rate"), _("days"), _("turnover")]
    for i, name in enumerate(names):
        table.add_column(name, justify="left" if i == 0 else "right")
    for c in blend.clients:
        table.add_row(c.name, _eur(c.rate), format_short(c.days), _eur(c.rate * c.days))
    # TRANSLATORS: the row of all clients together, at their average rate
    blended = _("blend")
    table.add_row(
        f"[bold]{blended}[/]", _eur(blend.rate), format_short(blend.days_sold), _eur(blend.turnover)
    )
    console.print(table)
    line = _("{left} of {billable} billable days left unsold").format(
        left=format_short(blend.days_left), billable=format_short(blend.billable_days)
    )
    say(console, f"  {line}")


def _show_gap(console: Console, gap: FloorGap) -> None:
    if gap.shortfall <= 0:
        line = _("at these rates the year meets the floor's turnover ({turnover})").format(
            turnover=_money(gap.required_turnover)
        )
        say(console, f"  {line}")
        return
    top = gap.raises[0]
    if gap.fits:
        text = _(
            "at these rates you need {days} more billable days or +{raise_by} on {client} "
            "({rate}) to reach the floor's turnover ({turnover}, short by {shortfall})"
        )
    else:
        text = _(
            "at these rates you need {days} more billable days (more than the days left) or "
            "+{raise_by} on {client} ({rate}) to reach the floor's turnover ({turnover}, "
            "short by {shortfall})"
        )
    line = text.format(
        days=format_short(gap.more_days),
        raise_by=_money(top.raise_by),
        client=top.name,
        rate=_per_day(top.new_rate),
        turnover=_money(gap.required_turnover),
        shortfall=_money(gap.shortfall),
    )
    say(console, f"  {line}")
    for r in gap.raises[1:]:
        line = _("or +{raise_by} on {client}").format(raise_by=_money(r.raise_by), client=r.name)
        say(console, f"    {line}")


def _show_discount(console: Console, d: Discount, dataset: Dataset, details: bool) -> None:
    line = _(
        "a {discount} discount over {months} months ({days} billable days) costs {cost} a year "
        "at {rate}"
    ).format(
        discount=format_percent(d.discount),
        months=format_short(d.months),
        days=format_short(d.days),
        cost=_money(d.cost),
        rate=_per_day(d.rate),
    )
    say(console, f"  {line}")
    if d.rate_for_floor is not None:
        line = _(
            "to stay at the floor ({floor}) with this discount, charge at least {rate} before it"
        ).format(floor=_per_day(d.floor_rate or 0), rate=_per_day(d.rate_for_floor))
        say(console, f"  {line}")
    if not details:
        return
    line = _("a discount is your choice, not a market figure:")
    say(console, f"  {line}")
    for v in dataset.discount_views:
        s = dataset.sources[v.source]
        # The dataset's summary of the source's view; the catalogue translates it.
        say(console, f"    - {_(v.view)} ({s.publisher}, {s.date})", hang=6)
    say(console, f"    {_(dataset.discount_note)}")


# ------------------------------------------------------------------- statuses


def _status_conversions(
    dataset: Dataset, rows: list[StatusRow], fees: tuple[Fee | None, ...]
) -> list[ChannelRow | None]:
    from tjm.inputs import NO_SALES
    from tjm.sales.channels import ChannelRow, channel_warnings, from_freelancer_rate

    out: list[ChannelRow | None] = []
    for row, fee in zip(rows, fees, strict=True):
        if row.rate is None or fee is None:
            out.append(None)
            continue
        # channels is None only for a dataset file without that table; the packaged one has it.
        label = dataset.channels[fee.channel].label  # type: ignore[index]
        conv = from_freelancer_rate(fee.channel, row.rate, fee.rate)
        out.append(ChannelRow(conv, fee, label, channel_warnings(dataset, fee, conv, NO_SALES)))
    return out


def status_channels_json(
    dataset: Dataset,
    objects: list[dict[str, Any]],
    rows: list[StatusRow],
    fees: tuple[Fee | None, ...],
) -> list[dict[str, Any]]:
    """Add to each status object its floor (or rate) through the channel, at the fee of its
    VAT side."""
    converted = _status_conversions(dataset, rows, fees)
    return [
        {**obj, "channel": None if c is None else channel_row_json(dataset, c)}
        for obj, c in zip(objects, converted, strict=True)
    ]


def show_status_channels(
    console: Console,
    dataset: Dataset,
    rows: list[StatusRow],
    fees: tuple[Fee | None, ...],
    details: bool = False,
) -> None:
    fee = next(f for f in fees if f is not None)
    # channels is None only for a dataset file without that table; the packaged one has it.
    name = _(dataset.channels[fee.channel].label)  # type: ignore[index]
    say(
        console,
        _("Through {channel} ({source}):").format(
            channel=_short_channel(fee.channel, name), source=fee_source(dataset, fee)
        ),
    )
    converted = _status_conversions(dataset, rows, fees)
    shown_rows = 0
    for row, c in zip(rows, converted, strict=True):
        if c is not None and (details or shown_rows == 0):
            shown_rows += 1
            line = _(
                "{status}: fee {fee}{note}, the client pays {price}, {reaches} reaches you"
            ).format(
                status=status_short(row.status),
                fee=fee_percent(c.fee.rate),
                note=_(" (VAT included, under the VAT franchise)") if c.fee.vat_included else "",
                price=_per_day(c.conversion.client_price),
                reaches=_eur(c.conversion.reaches),
            )
            say(console, f"  {line}")
    if not details and sum(c is not None for c in converted) > 1:
        # TRANSLATORS: under the first status's price through a channel
        say(console, "  " + _("the other statuses: add --details"))
    shown = next((c for c in converted if c is not None), None)
    seen: set[str] = set()
    found = [(w.code, w.message) for w in (() if shown is None else shown.warnings)]
    show_warnings(console, found, details, seen)
