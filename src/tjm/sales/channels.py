"""Sales channels: what the client pays, what the freelancer invoices, what reaches them.

Every fee is a share of the client price (what the client pays, excl. VAT). On Malt the
freelancer invoices the client price and Malt bills its fee back; an ESN keeps its margin
and pays the freelancer the rest; a portage company keeps its fee and pays the rest as
salary. Both conversions work in whole cents with one rounding: what reaches the freelancer
is rounded down to the cent and the fee is the rest, and a rate's client price is the lowest
whole-cent price that gives back that rate. So a printed rate turned into a client price and
back is the same rate exactly, and every row adds up (price - fee = rate).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import NamedTuple

from tjm.dataset.records import Channel, ChannelFigure, Dataset
from tjm.fields import CHANNELS, MICRO
from tjm.i18n import N_, _
from tjm.i18n.formats import format_money, format_percent, format_short
from tjm.inputs import IncomeInputs, SalesInputs, channel_of, status_of
from tjm.notices import Notice

BILLED_BACK = ("malt",)  # channels whose fee the freelancer pays after invoicing the client


class Fee(NamedTuple):
    """The fee a channel takes, as a share of the client price, and where it comes from."""

    channel: str
    rate: float
    source: str  # a dataset source id, or the flag the user gave
    note: str  # how the figure was chosen (e.g. "after 3 months with the client")
    vat_included: bool = False  # Malt's fee for who cannot recover VAT: the rate includes it


class Conversion(NamedTuple):
    channel: str
    client_price: float  # what the client pays per day, excl. VAT
    fee: float  # what the channel keeps per day
    fee_rate: float  # fee / client_price
    freelancer_rate: float  # what the freelancer invoices (or, in portage, is paid)
    reaches: float  # what reaches the freelancer once the channel's fee is paid


class ChannelRow(NamedTuple):
    """One channel's side-by-side line: the conversion, its fee's source, its warnings."""

    conversion: Conversion
    fee: Fee
    label: str  # the channel's name, in the active language
    warnings: tuple[Notice, ...]


# ------------------------------------------------------------------ arithmetic


def cents(amount: float) -> int:
    """Return an amount in whole cents, half a cent rounded up (as it is printed)."""
    from decimal import ROUND_HALF_UP, Decimal

    return int((Decimal(repr(amount)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _kept(fee_rate: float) -> Fraction:
    """Return the share of the price the channel leaves, as the exact decimal fee it states
    (0.2, not the binary float nearest to it)."""
    return 1 - Fraction(format(fee_rate, ".12g"))


def _conversion(channel: str, price: int, rate: int, reaches: int, fee_rate: float) -> Conversion:
    return Conversion(
        channel, price / 100, (price - reaches) / 100, fee_rate, rate / 100, reaches / 100
    )


def from_client_price(channel: str, price: float, fee_rate: float) -> Conversion:
    """Return what a client price becomes for the freelancer through the channel: what reaches
    them is rounded down to the cent, and the fee is the rest."""
    paid = cents(price)
    reaches = math.floor(paid * _kept(fee_rate))
    rate = paid if channel in BILLED_BACK else reaches
    return _conversion(channel, paid, rate, reaches, fee_rate)


def from_freelancer_rate(channel: str, rate: float, fee_rate: float) -> Conversion:
    """Return what the client pays for a freelancer rate through the channel: the lowest
    whole-cent price that from_client_price turns back into this very rate."""
    if channel in BILLED_BACK:
        return from_client_price(channel, rate, fee_rate)
    wanted = cents(rate)
    price = math.ceil(wanted / _kept(fee_rate))
    return _conversion(channel, price, wanted, wanted, fee_rate)


# ------------------------------------------------------------------------ fees


def channel_fee(
    dataset: Dataset,
    channel: str,
    sales: SalesInputs,
    income: IncomeInputs,
    vat_registered: bool = True,
) -> Fee:
    """Return the channel's fee: the user's flag if given, else the dataset's figure.

    Malt's fee falls after some months with the same client; a freelancer who cannot recover
    VAT (a micro-entrepreneur under the threshold) pays it VAT included.
    """
    # channels is None only for a dataset file without that table; the packaged one has it.
    data: Channel = dataset.channels[channel]  # type: ignore[index]
    if channel == "esn" and sales.margin is not None:
        return Fee(channel, sales.margin / 100, "--margin", "")
    if channel == "portage" and income.portage_fee is not None:
        return Fee(channel, income.portage_fee / 100, "--portage-fee", "")
    if channel != "malt":
        return Fee(channel, data.fee, data.source, "")
    rate, source = data.fee, data.source
    months = sales.months_with_client
    reduced = (
        months is not None
        and data.reduced_fee is not None
        and months >= (data.reduced_after_months or 0)
    )
    if reduced:
        rate = data.reduced_fee if data.reduced_fee is not None else rate
        source = data.reduced_source or data.source
    unregistered = None if vat_registered else data.fee_not_vat_registered
    vat_included = unregistered is not None
    if unregistered is not None:
        # The help centre gives 12% incl. VAT for 10%; the reduced fee scales the same way.
        rate = rate * unregistered / data.fee
        source = data.fee_not_vat_registered_source or source
    return Fee(channel, rate, source, _fee_note(reduced, vat_included, data), vat_included)


def _fee_note(reduced: bool, vat_included: bool, data: Channel) -> str:
    months = format_short(data.reduced_after_months or 0)
    if reduced and vat_included:
        note = _("after {months} months with the client, VAT included (not recoverable)")
    elif reduced:
        note = _("after {months} months with the client")
    elif vat_included:
        note = _("the first {months} months, VAT included (not recoverable)")
    else:
        note = _("the first {months} months")
    return note.format(months=months)


def _percent(x: float) -> str:
    """Return a fee as a percentage with the decimals it has, up to four digits: 10%, 8.5%."""
    digits = f"{x * 100:.4g}"
    decimals = 0 if "e" in digits else len(digits.partition(".")[2])
    return format_percent(x, decimals=decimals)


def _per_day(amount: float) -> str:
    return _("{amount}/day").format(amount=format_money(amount, decimals=2))


def _figure_amount(f: ChannelFigure) -> str:
    """Return a recorded fee figure's amount in its unit: 50 EUR, 20 EUR/month, 10%."""
    if f.unit == "share":
        return format_percent(f.value)
    if f.unit == "EUR":
        return format_money(f.value)
    if f.unit == "EUR/month":
        return _("{amount}/month").format(amount=format_money(f.value))
    return f"{format_short(f.value)} {f.unit}"


def channel_warnings(
    dataset: Dataset, fee: Fee, conv: Conversion, sales: SalesInputs
) -> tuple[Notice, ...]:
    """Return what the user should know about this channel's figures, each with its source."""
    # channels is None only for a dataset file without that table; the packaged one has it.
    data: Channel = dataset.channels[fee.channel]  # type: ignore[index]
    found = []
    if fee.channel == "malt":
        if data.note:
            # The note is the dataset's; the catalogue translates it (tools/catalog.py).
            message = _("{note} ({source})").format(note=_(data.note), source=data.source)
            found.append(Notice("client-fees-unpublished", message))
        if sales.months_with_client is None or sales.months_with_client < (
            data.reduced_after_months or 0
        ):
            vat = fee.rate / data.fee if fee.vat_included else 1.0
            later = from_client_price(
                "malt", conv.client_price, (data.reduced_fee or data.fee) * vat
            )
            message = _(
                "After {months} months with the same client the fee falls to {fee}: "
                "{amount} reaches you ({source})."
            ).format(
                months=format_short(data.reduced_after_months or 0),
                fee=_percent(later.fee_rate),
                amount=_per_day(later.reaches),
                source=data.reduced_source,
            )
            found.append(Notice("reduced-fee-later", message))
    elif fee.channel == "esn":
        if data.target is not None and fee.rate > data.target:
            message = _(
                "A margin of {target} or less is a negotiating target when the firm found "
                "the mission ({source})."
            ).format(target=_percent(data.target), source=data.source)
            found.append(Notice("margin-above-target", message))
    elif fee.channel == "portage":
        # The figures' descriptions are the dataset's; the catalogue translates them.
        fixed = ", ".join(
            _("{what} {amount}").format(what=_(f.what), amount=_figure_amount(f))
            for f in data.figures
        )
        if fixed:
            message = _(
                "Some portage firms add fixed fees, not counted here: {fees} ({source})."
            ).format(fees=fixed, source=data.figures[0].source)
            found.append(Notice("portage-fixed-fees", message))
    return tuple(found)


def compare_channels(
    dataset: Dataset,
    sales: SalesInputs,
    income: IncomeInputs,
    *,
    rate: float | None = None,
    client_price: float | None = None,
    channels: tuple[str, ...] = CHANNELS,
) -> tuple[ChannelRow, ...]:
    """Return each channel's conversion of one freelancer rate or one client price."""
    rows = []
    for channel in channels:
        fee = channel_fee(dataset, channel, sales, income)
        if client_price is not None:
            conv = from_client_price(channel, client_price, fee.rate)
        else:
            # The caller gives a rate or a client price.
            conv = from_freelancer_rate(channel, rate, fee.rate)  # type: ignore[arg-type]
        warnings = channel_warnings(dataset, fee, conv, sales)
        if channel == "portage":
            message = _(
                "What is paid to you in portage is the salary budget, before contributions: "
                "tjm floor --status portage works out the net."
            )
            warnings += (Notice("portage-salary-budget", message),)
        rows.append(ChannelRow(conv, fee, channel_label(dataset, channel), warnings))
    return tuple(rows)


# --------------------------------------------------------- which side a band is on


class BandSide(NamedTuple):
    """Which side of a fee the market band's observations are on, and how many of each."""

    side: str  # client, freelancer or unknown (the observations' fee_side)
    counts: tuple[tuple[str, int], ...]  # (fee_side, observations) for the role

    @property
    def source(self) -> str:
        """Return how many observations are on each side, in the active language."""
        parts = []
        for side, n in self.counts:
            each = SIDES.get(side, GENERIC_SIDE)
            parts.append(_(each).format(count=n, side=side))
        return _("observations: {counts}").format(counts=", ".join(parts))


# How many of a band's observations are on each side of a fee (BandSide.source).
SIDES = {
    "client": N_("{count} client-side"),
    "freelancer": N_("{count} freelancer-side"),
    "unknown": N_("{count} unknown-side"),
}
GENERIC_SIDE = N_("{count} {side}-side")


def band_side(role: str) -> BandSide:
    """Return the fee side of the observations the role's band is fitted to: their common
    side, or unknown when they do not all say, or disagree."""
    from tjm.market.observations import load_market

    counts: dict[str, int] = {}
    for o in load_market().observations:
        if o.role == role and not o.excluded:
            counts[o.fee_side] = counts.get(o.fee_side, 0) + 1
    side = next(iter(counts)) if len(counts) == 1 else "unknown"
    return BandSide(side, tuple(sorted(counts.items())))


def rate_on_band_side(side: BandSide, conv: Conversion) -> float:
    """Return the user's rate restated on the band's side: what the client pays, or what the
    freelancer invoices; an unknown side takes the rate as invoiced."""
    if side.side == "client":
        return conv.client_price
    return conv.freelancer_rate


# ------------------------------------------------------------ in quote and floor


class ChannelView(NamedTuple):
    """A quote's or a floor's channel: the user's rate and the floor through it, and the
    user's rate restated on the market band's side."""

    fee: Fee
    side: BandSide | None
    rate_row: ChannelRow | None
    compared_rate: float | None
    floor_row: ChannelRow | None
    warnings: tuple[Notice, ...]

    @property
    def rate(self) -> Conversion | None:
        return None if self.rate_row is None else self.rate_row.conversion

    @property
    def floor(self) -> Conversion | None:
        return None if self.floor_row is None else self.floor_row.conversion


def under_franchise(dataset: Dataset, income: IncomeInputs, rate: float) -> bool:
    """Return True when a day rate's yearly turnover keeps the freelancer under the VAT
    franchise (tjm.france.income.in_vat_franchise), who then pays Malt's fee VAT included."""
    from tjm.clock import today
    from tjm.france.income import in_vat_franchise, prepare

    situation, _warnings = prepare(income, dataset.billable_days, today())
    return in_vat_franchise(situation, rate * situation.days.total)


def fee_for(
    dataset: Dataset, sales: SalesInputs, income: IncomeInputs, rate: float | None = None
) -> Fee:
    """Return the chosen channel's fee at a day rate: VAT included (not recoverable) while
    its turnover is under the VAT franchise, else the fee. Without a rate, a micro-entrepreneur
    is taken as under the franchise."""
    if rate is None:
        registered = status_of(income) not in MICRO
    else:
        registered = not under_franchise(dataset, income, rate)
    return channel_fee(dataset, channel_of(sales), sales, income, vat_registered=registered)


def billed_back_share(fee: Fee) -> float:
    """Return the share of turnover the channel bills back to the freelancer (an expense)."""
    return fee.rate if fee.channel in BILLED_BACK else 0.0


def billed_back_shares(
    dataset: Dataset, sales: SalesInputs, income: IncomeInputs
) -> tuple[float, float | None]:
    """Return the share of turnover the chosen channel bills back, and the share while under
    the VAT franchise when it differs (Malt's fee VAT included), for the floor to pick by
    turnover."""
    channel = channel_of(sales)
    registered = channel_fee(dataset, channel, sales, income, vat_registered=True)
    franchise = channel_fee(dataset, channel, sales, income, vat_registered=False)
    share, under = billed_back_share(registered), billed_back_share(franchise)
    return share, (under if under != share else None)


def channel_view(
    dataset: Dataset,
    sales: SalesInputs,
    income: IncomeInputs,
    *,
    role: str | None = None,
    rate: float | None = None,
    floor_rate: float | None = None,
) -> ChannelView:
    """Put a rate and a floor through the chosen channel; with a role, restate the rate on
    the side of the fee its market band is on."""
    fee = fee_for(dataset, sales, income, floor_rate if floor_rate is not None else rate)
    label = channel_label(dataset, fee.channel)
    side = band_side(role) if role is not None else None
    warnings: list[Notice] = []
    rate_row = compared = floor_row = None
    if rate is not None:
        conv = from_freelancer_rate(fee.channel, rate, fee.rate)
        rate_row = ChannelRow(conv, fee, label, channel_warnings(dataset, fee, conv, sales))
        warnings += rate_row.warnings
        if side is not None:
            compared = rate_on_band_side(side, conv)
    if floor_rate is not None:
        # In portage the floor is already the turnover billed to the client.
        conv = (from_client_price if fee.channel == "portage" else from_freelancer_rate)(
            fee.channel, floor_rate, fee.rate
        )
        floor_row = ChannelRow(conv, fee, label, channel_warnings(dataset, fee, conv, sales))
        warnings += [w for w in floor_row.warnings if w not in warnings]
    if side is not None and side.side == "unknown" and rate is not None:
        message = _(
            "The band's observations do not all say which side of a fee their rates are on "
            "({counts}); your rate is compared as you invoice it."
        ).format(counts=side.source)
        warnings.append(Notice("band-side-unknown", message))
    return ChannelView(fee, side, rate_row, compared, floor_row, tuple(warnings))


def channel_label(dataset: Dataset, channel: str) -> str:
    """Return the channel's name in the active language (the dataset's label, translated)."""
    # channels is None only for a dataset file without that table; the packaged one has it.
    return _(dataset.channels[channel].label)  # type: ignore[index]
