"""The shape of a year's work: several clients blended, a long-mission discount, half-days.

Rates here are what the freelancer invoices (the same side as --rate and the floor).
"""

from __future__ import annotations

import math
from typing import NamedTuple

from tjm.fields import Client
from tjm.inputs import SalesInputs


class Blend(NamedTuple):
    """Several clients over one year."""

    clients: tuple[Client, ...]
    turnover: float  # sum of rate × days over the clients
    days_sold: float
    rate: float  # the blended rate: turnover / days sold
    billable_days: float
    days_left: float  # billable days not sold to any client


class ClientRaise(NamedTuple):
    name: str
    raise_by: float  # EUR/day more on this client alone that closes the gap
    new_rate: float


class FloorGap(NamedTuple):
    """How far a blend is from the turnover the floor needs, and two ways to close it."""

    required_turnover: float
    shortfall: float  # 0 when the blend meets the floor
    more_days: float  # more days sold at the blended rate that close it (whole days)
    fits: bool  # the extra days fit in the days left
    raises: tuple[ClientRaise, ...]  # one per client, the client with most days first


def blend(clients: tuple[Client, ...], billable_days: float) -> Blend:
    """Return the blended rate, the yearly turnover and the days left (inputs are checked:
    the days sold do not exceed the billable days)."""
    turnover = sum(c.rate * c.days for c in clients)
    sold = sum(c.days for c in clients)
    return Blend(clients, turnover, sold, turnover / sold, billable_days, billable_days - sold)


def floor_gap(b: Blend, required_turnover: float) -> FloorGap:
    """Return what it takes for the blend to reach the floor's turnover."""
    shortfall = max(0.0, required_turnover - b.turnover)
    more = math.ceil(shortfall / b.rate) if shortfall else 0.0
    ordered = sorted(b.clients, key=lambda c: (-c.days, c.name))
    raises = tuple(
        ClientRaise(c.name, math.ceil(shortfall / c.days), c.rate + math.ceil(shortfall / c.days))
        for c in ordered
    )
    return FloorGap(required_turnover, shortfall, float(more), more <= b.days_left, raises)


class Discount(NamedTuple):
    """What a discount on a long mission costs over a year, and the rate that absorbs it."""

    rate: float  # the rate before the discount
    discount: float  # a fraction
    months: float  # the mission's months within the year (at most 12)
    days: float  # billable days the mission takes within the year
    cost: float  # EUR lost over the year at `rate`
    floor_rate: float | None  # the floor, when a target was given
    rate_for_floor: float | None  # the rate before discount that still reaches the floor


def discount_cost(
    rate: float,
    discount: float,
    months: float,
    billable_days: float,
    floor_rate: float | None = None,
) -> Discount:
    """Return the year's cost of `discount` on a mission of `months`, the rest of the year
    billed at the full rate; with a floor, the full rate that keeps the year at the floor."""
    share = min(months, 12.0) / 12.0
    days = billable_days * share
    needed = None
    if floor_rate is not None:
        needed = float(math.ceil(floor_rate / (1 - discount * share)))
    return Discount(
        rate, discount, min(months, 12.0), days, rate * discount * days, floor_rate, needed
    )


class HalfDays(NamedTuple):
    """A year where some of the billed time is sold as half-days."""

    day_rate: float
    half_day_rate: float
    share: float  # fraction of billed time sold as half-days
    assumed: bool  # the half-day rate is the default share, an assumption
    effective_rate: float  # per day of billed time
    yearly_change: float  # against billing the same days as full days


def half_days(
    day_rate: float, share: float, half_day_rate: float, assumed: bool, billable_days: float
) -> HalfDays:
    """Return the effective day rate when `share` of billed time goes in half-days (two
    half-days fill one day)."""
    effective = (1 - share) * day_rate + share * 2 * half_day_rate
    return HalfDays(
        day_rate, half_day_rate, share, assumed, effective, (effective - day_rate) * billable_days
    )


class Engagement(NamedTuple):
    """The parts of the engagement shape the user asked about; None where not asked."""

    blend: Blend | None = None
    gap: FloorGap | None = None
    discount: Discount | None = None
    half_days: HalfDays | None = None


def shape_year(
    sales: SalesInputs,
    billable_days: float,
    rate: float | None,
    floor_rate: float | None,
    floor_turnover: float | None,
    half_day_default: float,
) -> Engagement:
    """Return the blend (and its gap to the floor), the discount and the half-days asked for.

    `rate` is the day rate the discount and half-days apply to (the user's, else the blend,
    else the suggested one); `half_day_default` is the half-day's default share of it.
    """
    b = blend(sales.clients, billable_days) if sales.clients else None
    gap = floor_gap(b, floor_turnover) if b is not None and floor_turnover is not None else None
    rate = b.rate if rate is None and b is not None else rate
    discount = halves = None
    if sales.discount is not None and rate is not None:
        # check_sales requires long_mission_months with a discount.
        discount = discount_cost(
            rate,
            sales.discount / 100,
            sales.long_mission_months,  # type: ignore[arg-type]
            billable_days,
            floor_rate,
        )
    if sales.half_day_share is not None and rate is not None:
        assumed = sales.half_day_rate is None
        half = rate * half_day_default if sales.half_day_rate is None else sales.half_day_rate
        halves = half_days(rate, sales.half_day_share / 100, half, assumed, billable_days)
    return Engagement(b, gap, discount, halves)
