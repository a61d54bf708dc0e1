"""The packaged market dataset as frozen, typed records, and where each figure comes from.

Parsing and validating the TOML text is tjm.dataset.parse's job; loading it, tjm.dataset.load's.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal, NamedTuple


class Source(NamedTuple):
    id: str
    title: str
    publisher: str
    date: str
    url: str | None
    note: str | None
    via: tuple[str, ...]


class Threshold(NamedTuple):
    value: float
    unit: str
    role: str
    source: str
    scope: str
    note: str | None


class Region(NamedTuple):
    id: str
    label: str
    source: str
    mix: tuple[tuple[str, float], ...]  # empty for a region the tables give directly
    note: str | None


class Band(NamedTuple):
    id: str
    label: str
    min_years: float
    max_years: float | None


class Role(NamedTuple):
    id: str
    label: str
    reference_level: str
    source: str


class Alternative(NamedTuple):
    what: str
    value: float
    source: str
    used: bool


class Skill(NamedTuple):
    id: str
    label: str
    demand_growth: float
    supply_growth: float
    period: str
    scope: str
    source: str
    choice: str | None
    alternatives: tuple[Alternative, ...]

    @property
    def tightness(self) -> float:
        """Return ln((1 + demand) / (1 + supply)): positive when the skill gets scarcer."""
        return math.log((1 + self.demand_growth) / (1 + self.supply_growth))

    @property
    def trend(self) -> Literal["scarcer", "crowded"]:
        """Return "scarcer" where demand outgrows supply (the skill earns a premium), else
        "crowded"."""
        return "scarcer" if self.tightness > 0 else "crowded"


class Figure(NamedTuple):
    id: str
    value: float
    unit: str
    source: str
    scope: str
    note: str | None


class BillableDays(NamedTuple):
    working_days: int
    holidays: int
    sick_days: int
    non_billable_days: int
    total: int
    source: str
    scope: str


class Parameter(NamedTuple):
    id: str
    value: float
    unit: str
    assumption: bool
    justification: str


class ChannelFigure(NamedTuple):
    """A fee figure recorded for context (another firm, another country), not used."""

    what: str
    value: float
    unit: str  # share (of the client price), EUR, EUR/month
    source: str


class Channel(NamedTuple):
    """A sales channel's fee: a share of the client price, with its source and scope."""

    id: str
    label: str
    fee: float
    source: str
    scope: str
    note: str | None = None
    reduced_fee: float | None = None  # Malt: after some months with the same client
    reduced_after_months: float | None = None
    reduced_source: str | None = None
    fee_not_vat_registered: float | None = None  # Malt: incl. VAT, for who cannot recover it
    fee_not_vat_registered_source: str | None = None
    target: float | None = None  # ESN: a negotiating target
    low: float | None = None  # a published range
    high: float | None = None
    figures: tuple[ChannelFigure, ...] = ()


class DiscountView(NamedTuple):
    view: str
    source: str


class Dataset(NamedTuple):
    version: str
    as_of: dt.date
    currency: str
    sha256: str
    sources: dict[str, Source]
    threshold: Threshold
    regions: dict[str, Region]
    bands: tuple[Band, ...]
    roles: dict[str, Role]
    skills: dict[str, Skill]
    figures: dict[str, Figure]
    billable_days: BillableDays
    parameters: dict[str, Parameter]
    channels: dict[str, Channel] | None = None
    discount_views: tuple[DiscountView, ...] = ()
    discount_note: str = ""

    def param(self, name: str) -> float:
        """Return a named model parameter's value."""
        return self.parameters[name].value


MODEL_SOURCE = "tjm-model"  # the source id of the model's own assumptions
