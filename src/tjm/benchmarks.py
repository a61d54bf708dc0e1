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

from tjm.formats import format_money, format_percent, format_short
from tjm.i18n import _


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
    """Return a recorded fee figure's amount: a share as a percentage, else the value and unit."""
    return format_percent(f.value) if f.unit == "share" else f"{format_short(f.value)} {f.unit}"


def citations(dataset: Dataset) -> dict[str, list[str]]:
    """Return, per source id, a line for each figure the dataset takes from it.

    The lines are in the active language; the dataset's own prose (scopes, periods,
    justifications) stays as the file writes it, in English.
    """
    cited: dict[str, list[str]] = {sid: [] for sid in dataset.sources}
    t = dataset.threshold
    cited[t.source].append(
        _("threshold: {value} {unit} ({scope})").format(
            value=format_short(t.value), unit=t.unit, scope=t.scope
        )
    )
    for region in dataset.regions.values():
        if region.mix:
            weights = ", ".join(f"{k} {format_short(w)}" for k, w in region.mix)
            cited[region.source].append(
                _("region {id}: mix weights {weights}").format(id=region.id, weights=weights)
            )
    for skill in dataset.skills.values():
        cited[skill.source].append(
            _("skill {id}: demand {demand}, supply {supply} ({period})").format(
                id=skill.id,
                demand=format_percent(skill.demand_growth, signed=True),
                supply=format_percent(skill.supply_growth, signed=True),
                period=skill.period,
            )
        )
        for alt in skill.alternatives:
            line = (
                _("skill {id}: {what} {value}")
                if alt.used
                else _("skill {id}: {what} {value} (recorded, not used)")
            )
            cited[alt.source].append(
                line.format(
                    id=skill.id, what=alt.what, value=format_percent(alt.value, signed=True)
                )
            )
    for fig in dataset.figures.values():
        cited[fig.source].append(
            _("{id}: {value} {unit} ({scope})").format(
                id=fig.id, value=format_short(fig.value), unit=fig.unit, scope=fig.scope
            )
        )
    d = dataset.billable_days
    cited[d.source].append(
        _("billable days: {working} - {holidays} - {sick} - {non_billable} = {total}").format(
            working=d.working_days,
            holidays=d.holidays,
            sick=d.sick_days,
            non_billable=d.non_billable_days,
            total=d.total,
        )
    )
    for c in (dataset.channels or {}).values():
        cited[c.source].append(
            _("channel {id}: fee {fee} of the client price ({scope})").format(
                id=c.id, fee=format_percent(c.fee), scope=c.scope
            )
        )
        if c.reduced_source is not None:
            cited[c.reduced_source].append(
                _("channel {id}: {fee} after {months} months with a client").format(
                    id=c.id,
                    fee=format_percent(c.reduced_fee or 0.0),
                    months=format_short(c.reduced_after_months or 0.0),
                )
            )
        if c.fee_not_vat_registered_source is not None:
            cited[c.fee_not_vat_registered_source].append(
                _("channel {id}: {fee} incl. VAT without VAT registration").format(
                    id=c.id, fee=format_percent(c.fee_not_vat_registered or 0.0)
                )
            )
        for f in c.figures:
            cited[f.source].append(
                _("channel {id}: {what} {amount} (recorded, not used)").format(
                    id=c.id, what=_(f.what), amount=figure_text(f)
                )
            )
    for v in dataset.discount_views:
        cited[v.source].append(_("discount view: {view}").format(view=v.view))
    for p in dataset.parameters.values():
        cited[MODEL_SOURCE].append(
            _("{id}: {value} {unit} (assumption: {justification})").format(
                id=p.id, value=format_short(p.value), unit=p.unit, justification=p.justification
            )
        )
    from tjm.observations import load_market

    for o in load_market().observations:
        if o.min_years is None:
            years = _("all levels")
        elif o.max_years is None:
            years = _("{low}+ years").format(low=format_short(o.min_years))
        else:
            years = _("{low}–{high} years").format(
                low=format_short(o.min_years), high=format_short(o.max_years)
            )
        cited.setdefault(o.source, []).append(
            _(
                "observation {id}: {role}, {years}, {region}, {statistic} {value}/day, "
                "grade {grade}"
            ).format(
                id=o.id,
                role=o.role,
                years=years,
                region=o.region,
                statistic=o.statistic,
                value=format_money(o.value, decimals=_decimals(o.value)),
                grade=o.grade,
            )
        )
    return cited


def _decimals(value: float) -> int:
    """Return how many decimals a figure has as recorded (up to two, for cents)."""
    text = f"{value:.10g}"
    return min(2, len(text.partition(".")[2])) if "e" not in text else 0
