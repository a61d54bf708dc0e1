"""The packaged market dataset as frozen, typed records, and where each figure comes from.

Parsing and validating the TOML text is tjm.dataset_toml's job.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple


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


def dataset_text() -> str:
    """Return the packaged dataset's text."""
    return (resources.files("tjm.data") / "benchmarks.toml").read_text(encoding="utf-8")


@cache
def load_dataset(path: Path | None = None) -> Dataset:
    """Load the packaged dataset, or another file for tests and what-ifs."""
    from tjm.dataset_toml import parse_dataset  # it builds this module's records

    if path is None:
        return parse_dataset(dataset_text())
    return parse_dataset(path.read_text(encoding="utf-8"), file=str(path))


def figure_text(f: ChannelFigure) -> str:
    return f"{f.value:.0%}" if f.unit == "share" else f"{f.value:g} {f.unit}"


def citations(dataset: Dataset) -> dict[str, list[str]]:
    """Return, per source id, a line for each figure the dataset takes from it."""
    cited: dict[str, list[str]] = {sid: [] for sid in dataset.sources}
    t = dataset.threshold
    cited[t.source].append(f"threshold: {t.value:g} {t.unit} ({t.scope})")
    for region in dataset.regions.values():
        if region.mix:
            weights = ", ".join(f"{k} {w:g}" for k, w in region.mix)
            cited[region.source].append(f"region {region.id}: mix weights {weights}")
    for skill in dataset.skills.values():
        cited[skill.source].append(
            f"skill {skill.id}: demand {skill.demand_growth:+.0%}, "
            f"supply {skill.supply_growth:+.0%} ({skill.period})"
        )
        for alt in skill.alternatives:
            cited[alt.source].append(
                f"skill {skill.id}: {alt.what} {alt.value:+.0%}"
                f"{'' if alt.used else ' (recorded, not used)'}"
            )
    for fig in dataset.figures.values():
        cited[fig.source].append(f"{fig.id}: {fig.value:g} {fig.unit} ({fig.scope})")
    d = dataset.billable_days
    cited[d.source].append(
        f"billable days: {d.working_days} - {d.holidays} - {d.sick_days} - "
        f"{d.non_billable_days} = {d.total}"
    )
    for c in (dataset.channels or {}).values():
        cited[c.source].append(f"channel {c.id}: fee {c.fee:.0%} of the client price ({c.scope})")
        if c.reduced_source is not None:
            cited[c.reduced_source].append(
                f"channel {c.id}: {c.reduced_fee:.0%} after "
                f"{c.reduced_after_months:g} months with a client"
            )
        if c.fee_not_vat_registered_source is not None:
            cited[c.fee_not_vat_registered_source].append(
                f"channel {c.id}: {c.fee_not_vat_registered:.0%} incl. VAT without VAT registration"
            )
        for f in c.figures:
            cited[f.source].append(
                f"channel {c.id}: {f.what} {figure_text(f)} (recorded, not used)"
            )
    for v in dataset.discount_views:
        cited[v.source].append(f"discount view: {v.view}")
    for p in dataset.parameters.values():
        cited[MODEL_SOURCE].append(f"{p.id}: {p.value:g} {p.unit} (assumption: {p.justification})")
    from tjm.observations import load_market

    for o in load_market().observations:
        years = (
            "all levels"
            if o.min_years is None
            else f"{o.min_years:g}+ years"
            if o.max_years is None
            else f"{o.min_years:g}–{o.max_years:g} years"
        )
        cited.setdefault(o.source, []).append(
            f"observation {o.id}: {o.role}, {years}, {o.region}, {o.statistic} {o.value:g} "
            f"EUR/day, grade {o.grade}"
        )
    return cited
