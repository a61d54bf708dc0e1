"""Load and validate the packaged market dataset into frozen, typed records."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, NamedTuple, overload

from tjm.errors import DataError


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


SCHEMA_VERSION = 2  # 1 held rate tables, which are observations now
MODEL_SOURCE = "tjm-model"  # the source id of the model's own assumptions
REQUIRED_PARAMETERS = (
    "reference_years",
    "scarcity_elasticity",
    "scarcity_cap",
    "stale_after_months",
)


class _Reader:
    """Typed access to one TOML table, naming the dotted key in every error."""

    def __init__(self, table: Any, path: str, file: str) -> None:
        if not isinstance(table, dict):
            raise DataError(f"{file}: {path or 'top level'}: expected a table")
        self.table, self.path, self.file = table, path, file

    def _key(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def _fail(self, key: str, expected: str) -> DataError:
        return DataError(f"{self.file}: {self._key(key)}: expected {expected}")

    def raw(self, key: str, optional: bool = False) -> Any:
        if key not in self.table:
            if optional:
                return None
            raise DataError(f"{self.file}: {self._key(key)}: missing")
        return self.table[key]

    @overload
    def text(self, key: str, optional: Literal[False] = False) -> str: ...
    @overload
    def text(self, key: str, optional: bool) -> str | None: ...
    def text(self, key: str, optional: bool = False) -> str | None:
        value = self.raw(key, optional)
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self._fail(key, "a non-empty string")
        return value

    @overload
    def number(
        self,
        key: str,
        low: float = -math.inf,
        high: float = math.inf,
        optional: Literal[False] = False,
    ) -> float: ...
    @overload
    def number(
        self, key: str, low: float = -math.inf, high: float = math.inf, *, optional: bool
    ) -> float | None: ...
    def number(
        self, key: str, low: float = -math.inf, high: float = math.inf, optional: bool = False
    ) -> float | None:
        value = self.raw(key, optional)
        if value is None and optional:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not (low <= value <= high)
        ):
            raise self._fail(key, f"a number from {low:g} to {high:g}")
        return float(value)

    def integer(self, key: str) -> int:
        value: object = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self._fail(key, "a whole number >= 0")
        return value

    def flag(self, key: str) -> bool:
        value = self.raw(key)
        if not isinstance(value, bool):
            raise self._fail(key, "true or false")
        return value

    def sub(self, key: str) -> _Reader:
        return _Reader(self.raw(key), self._key(key), self.file)

    def items(self) -> list[tuple[str, _Reader]]:
        return [(k, _Reader(v, self._key(k), self.file)) for k, v in self.table.items()]

    def array(self, key: str, optional: bool = False) -> list[Any]:
        value = self.raw(key, optional)
        if value is None and optional:
            return []
        if not isinstance(value, list):
            raise self._fail(key, "an array")
        return value


def _source_ref(reader: _Reader, sources: dict[str, Source], key: str = "source") -> str:
    ref = reader.text(key)
    if ref not in sources:
        raise DataError(f"{reader.file}: {reader._key(key)}: unknown source {ref!r}")
    return ref


def parse_dataset(text: str, file: str = "benchmarks.toml") -> Dataset:
    """Parse and validate the dataset text; raise DataError naming the key at fault."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{file}: not valid TOML: {exc}") from None
    top = _Reader(doc, "", file)

    meta = top.sub("dataset")
    if "tables" in doc or meta.raw("schema_version", optional=True) != SCHEMA_VERSION:
        raise DataError(
            f"{file}: dataset.schema_version: expected {SCHEMA_VERSION} (schema 1 "
            "rate tables become observations with tjm.observations.migrate_tables)"
        )
    as_of = meta.raw("as_of")
    if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        raise DataError(f"{file}: dataset.as_of: expected a date")

    sources: dict[str, Source] = {}
    for sid, r in top.sub("sources").items():
        url = r.text("url", optional=True)
        if url is not None and not url.startswith("https://"):
            raise DataError(f"{file}: {r._key('url')}: expected an https URL")
        sources[sid] = Source(
            sid,
            r.text("title"),
            r.text("publisher"),
            r.text("date"),
            url,
            r.text("note", optional=True),
            tuple(r.array("via", optional=True)),
        )
    for source in sources.values():
        for ref in source.via:
            if ref not in sources:
                raise DataError(f"{file}: sources.{source.id}.via: unknown source {ref!r}")

    t = top.sub("threshold")
    threshold = Threshold(
        t.number("value", 1, 10_000),
        t.text("unit"),
        t.text("role"),
        _source_ref(t, sources),
        t.text("scope"),
        t.text("note", True),
    )

    bands = []
    for i, raw in enumerate(top.array("bands")):
        r = _Reader(raw, f"bands[{i}]", file)
        low = r.number("min_years", 0, 60)
        high = r.number("max_years", 0, 60, optional=True)
        if high is not None and high <= low:
            raise DataError(f"{file}: bands[{i}].max_years: expected more than min_years")
        bands.append(Band(r.text("id"), r.text("label"), low, high))

    regions: dict[str, Region] = {}
    for rid, r in top.sub("regions").items():
        mix_raw = r.raw("mix", optional=True) or {}
        mix = tuple((k, _Reader(mix_raw, r._key("mix"), file).number(k, 0, 1)) for k in mix_raw)
        if mix and not math.isclose(sum(w for _, w in mix), 1.0, abs_tol=1e-9):
            raise DataError(f"{file}: regions.{rid}.mix: weights must add up to 1")
        regions[rid] = Region(
            rid, r.text("label"), _source_ref(r, sources), mix, r.text("note", optional=True)
        )
    for region in regions.values():
        for part, _ in region.mix:
            if part not in regions or regions[part].mix:
                raise DataError(f"{file}: regions.{region.id}.mix: {part!r} is not a table region")

    roles: dict[str, Role] = {}
    for rid, r in top.sub("roles").items():
        roles[rid] = Role(rid, r.text("label"), r.text("reference_level"), _source_ref(r, sources))
    if threshold.role not in roles:
        raise DataError(f"{file}: threshold.role: unknown role {threshold.role!r}")

    skills: dict[str, Skill] = {}
    for sid, r in top.sub("skills").items():
        alternatives = []
        for i, raw in enumerate(r.array("alternatives", optional=True)):
            a = _Reader(raw, f"skills.{sid}.alternatives[{i}]", file)
            alternatives.append(
                Alternative(
                    a.text("what"),
                    a.number("value", -1, 1000),
                    _source_ref(a, sources),
                    a.flag("used"),
                )
            )
        skills[sid] = Skill(
            sid,
            r.text("label"),
            r.number("demand_growth", -0.99, 1000),
            r.number("supply_growth", -0.99, 1000),
            r.text("period"),
            r.text("scope"),
            _source_ref(r, sources),
            r.text("choice", True),
            tuple(alternatives),
        )

    figures = {
        fid: Figure(
            fid,
            r.number("value"),
            r.text("unit"),
            _source_ref(r, sources),
            r.text("scope"),
            r.text("note", True),
        )
        for fid, r in top.sub("figures").items()
    }

    d = top.sub("billable_days")
    days = BillableDays(
        d.integer("working_days"),
        d.integer("holidays"),
        d.integer("sick_days"),
        d.integer("non_billable_days"),
        d.integer("total"),
        _source_ref(d, sources),
        d.text("scope"),
    )
    if days.working_days - days.holidays - days.sick_days - days.non_billable_days != days.total:
        raise DataError(f"{file}: billable_days.total: does not equal the breakdown")

    parameters = {}
    for pid, r in top.sub("parameters").items():
        parameters[pid] = Parameter(
            pid,
            r.number("value", 0, 1000),
            r.text("unit"),
            r.flag("assumption"),
            r.text("justification"),
        )
    if MODEL_SOURCE not in sources:
        raise DataError(f"{file}: sources.{MODEL_SOURCE}: missing")
    for name in REQUIRED_PARAMETERS:
        if name not in parameters:
            raise DataError(f"{file}: parameters.{name}: missing")

    channels = _channels(top.sub("channels"), sources) if "channels" in doc else None
    views: tuple[DiscountView, ...] = ()
    discount_note = ""
    if "discount" in doc:
        d = top.sub("discount")
        views = tuple(
            DiscountView(v.text("view"), _source_ref(v, sources))
            for v in (
                _Reader(raw, f"discount.views[{i}]", file) for i, raw in enumerate(d.array("views"))
            )
        )
        discount_note = d.text("note")

    return Dataset(
        version=meta.text("version"),
        as_of=as_of,
        currency=meta.text("currency"),
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        sources=sources,
        threshold=threshold,
        regions=regions,
        bands=tuple(bands),
        roles=roles,
        skills=skills,
        figures=figures,
        billable_days=days,
        parameters=parameters,
        channels=channels,
        discount_views=views,
        discount_note=discount_note,
    )


def _channels(top: _Reader, sources: dict[str, Source]) -> dict[str, Channel]:
    from tjm.fields import CHANNELS

    channels = {}
    for cid, r in top.items():
        if cid not in CHANNELS:
            raise DataError(
                f"{r.file}: {r.path}: unknown channel; expected one of {', '.join(CHANNELS)}"
            )
        share = {
            k: r.number(k, 0, 0.99, optional=True)
            for k in ("reduced_fee", "fee_not_vat_registered", "target", "low", "high")
        }
        refs = {
            k: _source_ref(r, sources, k) if k in r.table else None
            for k in ("reduced_source", "fee_not_vat_registered_source")
        }
        figures = []
        for i, raw in enumerate(r.array("figures", optional=True)):
            f = _Reader(raw, f"{r.path}.figures[{i}]", r.file)
            figures.append(
                ChannelFigure(
                    f.text("what"),
                    f.number("value", 0, 10_000),
                    f.text("unit"),
                    _source_ref(f, sources),
                )
            )
        channels[cid] = Channel(
            cid,
            r.text("label"),
            r.number("fee", 0, 0.99),
            _source_ref(r, sources),
            r.text("scope"),
            r.text("note", optional=True),
            share["reduced_fee"],
            r.number("reduced_after_months", 0, 600, optional=True),
            refs["reduced_source"],
            share["fee_not_vat_registered"],
            refs["fee_not_vat_registered_source"],
            share["target"],
            share["low"],
            share["high"],
            tuple(figures),
        )
    missing = [c for c in CHANNELS if c not in channels]
    if missing:
        raise DataError(f"{top.file}: channels: missing {', '.join(missing)}")
    return channels


def dataset_text() -> str:
    """Return the packaged dataset's text."""
    return (resources.files("tjm.data") / "benchmarks.toml").read_text(encoding="utf-8")


@cache
def load_dataset(path: Path | None = None) -> Dataset:
    """Load the packaged dataset, or another file for tests and what-ifs."""
    if path is None:
        return parse_dataset(dataset_text())
    return parse_dataset(path.read_text(encoding="utf-8"), file=str(path))
