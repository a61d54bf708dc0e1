"""Parse and validate the dataset's TOML text (benchmarks.toml), one function per section.

Every error is a DataError that names the file and the dotted key at fault. The dataset ships
with tjm, so its errors are for developers and stay in English.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from typing import Any

from tjm import files
from tjm.dataset.records import (
    MODEL_SOURCE,
    Alternative,
    Band,
    BillableDays,
    Channel,
    ChannelFigure,
    Dataset,
    DiscountView,
    Figure,
    Parameter,
    Region,
    Role,
    Skill,
    Source,
    Threshold,
)
from tjm.errors import DataError

SCHEMA_VERSION = 2  # 1 held rate tables, which are observations now
REQUIRED_PARAMETERS = (
    "reference_years",
    "scarcity_elasticity",
    "scarcity_cap",
    "stale_after_months",
)
Sources = dict[str, Source]


class _Reader:
    """Typed access to one TOML table, naming the dotted key in every error."""

    def __init__(self, table: Any, path: str, file: str) -> None:
        if not isinstance(table, dict):
            raise DataError(f"{file}: {path or 'top level'}: expected a table")
        self.table, self.path, self.file = table, path, file

    def key(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, expected: str) -> DataError:
        return DataError(f"{self.file}: {self.key(key)}: expected {expected}")

    def raw(self, key: str) -> Any:
        if key not in self.table:
            raise DataError(f"{self.file}: {self.key(key)}: missing")
        return self.table[key]

    def text(self, key: str) -> str:
        value = self.raw(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "a non-empty string")
        return value

    def optional_text(self, key: str) -> str | None:
        return self.text(key) if key in self.table else None

    def number(self, key: str, low: float = -math.inf, high: float = math.inf) -> float:
        value = self.raw(key)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not (low <= value <= high)
        ):
            raise self.fail(key, f"a number from {low:g} to {high:g}")
        return float(value)

    def optional_number(
        self, key: str, low: float = -math.inf, high: float = math.inf
    ) -> float | None:
        return self.number(key, low, high) if key in self.table else None

    def integer(self, key: str) -> int:
        value: object = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(key, "a whole number >= 0")
        return value

    def flag(self, key: str) -> bool:
        value = self.raw(key)
        if not isinstance(value, bool):
            raise self.fail(key, "true or false")
        return value

    def sub(self, key: str) -> _Reader:
        return _Reader(self.raw(key), self.key(key), self.file)

    def items(self) -> list[tuple[str, _Reader]]:
        return [(k, _Reader(v, self.key(k), self.file)) for k, v in self.table.items()]

    def array(self, key: str) -> list[Any]:
        value = self.raw(key)
        if not isinstance(value, list):
            raise self.fail(key, "an array")
        return value

    def optional_array(self, key: str) -> list[Any]:
        return self.array(key) if key in self.table else []

    def rows(self, key: str, required: bool = False) -> list[_Reader]:
        """Return a reader for each table of an array of tables (an optional one may be absent)."""
        items = self.array(key) if required else self.optional_array(key)
        return [_Reader(row, f"{self.key(key)}[{i}]", self.file) for i, row in enumerate(items)]

    def source(self, sources: Sources, key: str = "source") -> str:
        """Return a source id that the dataset's [sources] holds."""
        ref = self.text(key)
        if ref not in sources:
            raise DataError(f"{self.file}: {self.key(key)}: unknown source {ref!r}")
        return ref


def parse_dataset(text: str, file: str = "benchmarks.toml") -> Dataset:
    """Parse and validate the dataset text; raise DataError naming the key at fault."""
    try:
        doc = files.parse_toml(text, file)
    except files.Unreadable as exc:
        raise DataError(f"{file}: {exc.problem}") from None
    top = _Reader(doc, "", file)
    version, as_of, currency = _meta(top)
    sources = _sources(top.sub("sources"))
    threshold = _threshold(top.sub("threshold"), sources)
    bands = tuple(_band(r) for r in top.rows("bands", required=True))
    regions = _regions(top.sub("regions"), sources)
    roles = {
        rid: Role(rid, r.text("label"), r.text("reference_level"), r.source(sources))
        for rid, r in top.sub("roles").items()
    }
    if threshold.role not in roles:
        raise DataError(f"{file}: threshold.role: unknown role {threshold.role!r}")
    skills = {sid: _skill(sid, r, sources) for sid, r in top.sub("skills").items()}
    figures = _figures(top.sub("figures"), sources)
    days = _billable_days(top.sub("billable_days"), sources)
    parameters = _parameters(top.sub("parameters"), sources)
    channels = _channels(top.sub("channels"), sources) if "channels" in doc else None
    views, discount_note = (
        _discount(top.sub("discount"), sources) if "discount" in doc else ((), "")
    )
    return Dataset(
        version=version,
        as_of=as_of,
        currency=currency,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        sources=sources,
        threshold=threshold,
        regions=regions,
        bands=bands,
        roles=roles,
        skills=skills,
        figures=figures,
        billable_days=days,
        parameters=parameters,
        channels=channels,
        discount_views=views,
        discount_note=discount_note,
    )


def _meta(top: _Reader) -> tuple[str, dt.date, str]:
    """Return the [dataset] table's version, as-of date and currency."""
    meta = top.sub("dataset")
    if "tables" in top.table or meta.table.get("schema_version") != SCHEMA_VERSION:
        raise DataError(
            f"{top.file}: dataset.schema_version: expected {SCHEMA_VERSION} (schema 1 "
            "rate tables become observations with tjm.observations.migrate_tables)"
        )
    as_of = meta.raw("as_of")
    if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        raise DataError(f"{top.file}: dataset.as_of: expected a date")
    return meta.text("version"), as_of, meta.text("currency")


def _sources(table: _Reader) -> Sources:
    sources: Sources = {}
    for sid, r in table.items():
        url = r.optional_text("url")
        if url is not None and not url.startswith("https://"):
            raise DataError(f"{r.file}: {r.key('url')}: expected an https URL")
        sources[sid] = Source(
            sid,
            r.text("title"),
            r.text("publisher"),
            r.text("date"),
            url,
            r.optional_text("note"),
            tuple(r.optional_array("via")),
        )
    for source in sources.values():
        for ref in source.via:
            if ref not in sources:
                raise DataError(f"{table.file}: sources.{source.id}.via: unknown source {ref!r}")
    return sources


def _threshold(t: _Reader, sources: Sources) -> Threshold:
    return Threshold(
        t.number("value", 1, 10_000),
        t.text("unit"),
        t.text("role"),
        t.source(sources),
        t.text("scope"),
        t.optional_text("note"),
    )


def _band(r: _Reader) -> Band:
    low = r.number("min_years", 0, 60)
    high = r.optional_number("max_years", 0, 60)
    if high is not None and high <= low:
        raise DataError(f"{r.file}: {r.key('max_years')}: expected more than min_years")
    return Band(r.text("id"), r.text("label"), low, high)


def _regions(table: _Reader, sources: Sources) -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for rid, r in table.items():
        mix = r.sub("mix") if r.table.get("mix") else None
        weights = () if mix is None else tuple((k, mix.number(k, 0, 1)) for k in mix.table)
        if weights and not math.isclose(sum(w for _, w in weights), 1.0, abs_tol=1e-9):
            raise DataError(f"{r.file}: regions.{rid}.mix: weights must add up to 1")
        regions[rid] = Region(
            rid, r.text("label"), r.source(sources), weights, r.optional_text("note")
        )
    for region in regions.values():
        for part, _ in region.mix:
            if part not in regions or regions[part].mix:
                raise DataError(
                    f"{table.file}: regions.{region.id}.mix: {part!r} is not a table region"
                )
    return regions


def _skill(sid: str, r: _Reader, sources: Sources) -> Skill:
    alternatives = tuple(
        Alternative(a.text("what"), a.number("value", -1, 1000), a.source(sources), a.flag("used"))
        for a in r.rows("alternatives")
    )
    return Skill(
        sid,
        r.text("label"),
        r.number("demand_growth", -0.99, 1000),
        r.number("supply_growth", -0.99, 1000),
        r.text("period"),
        r.text("scope"),
        r.source(sources),
        r.optional_text("choice"),
        alternatives,
    )


def _figures(table: _Reader, sources: Sources) -> dict[str, Figure]:
    return {
        fid: Figure(
            fid,
            r.number("value"),
            r.text("unit"),
            r.source(sources),
            r.text("scope"),
            r.optional_text("note"),
        )
        for fid, r in table.items()
    }


def _billable_days(d: _Reader, sources: Sources) -> BillableDays:
    days = BillableDays(
        d.integer("working_days"),
        d.integer("holidays"),
        d.integer("sick_days"),
        d.integer("non_billable_days"),
        d.integer("total"),
        d.source(sources),
        d.text("scope"),
    )
    if days.working_days - days.holidays - days.sick_days - days.non_billable_days != days.total:
        raise DataError(f"{d.file}: billable_days.total: does not equal the breakdown")
    return days


def _parameters(table: _Reader, sources: Sources) -> dict[str, Parameter]:
    parameters = {
        pid: Parameter(
            pid,
            r.number("value", 0, 1000),
            r.text("unit"),
            r.flag("assumption"),
            r.text("justification"),
        )
        for pid, r in table.items()
    }
    if MODEL_SOURCE not in sources:
        raise DataError(f"{table.file}: sources.{MODEL_SOURCE}: missing")
    for name in REQUIRED_PARAMETERS:
        if name not in parameters:
            raise DataError(f"{table.file}: parameters.{name}: missing")
    return parameters


def _channels(table: _Reader, sources: Sources) -> dict[str, Channel]:
    from tjm.fields import CHANNELS

    channels = {}
    for cid, r in table.items():
        if cid not in CHANNELS:
            raise DataError(
                f"{r.file}: {r.path}: unknown channel; expected one of {', '.join(CHANNELS)}"
            )
        share = {
            k: r.optional_number(k, 0, 0.99)
            for k in ("reduced_fee", "fee_not_vat_registered", "target", "low", "high")
        }
        refs = {
            k: r.source(sources, k) if k in r.table else None
            for k in ("reduced_source", "fee_not_vat_registered_source")
        }
        figures = tuple(
            ChannelFigure(
                f.text("what"), f.number("value", 0, 10_000), f.text("unit"), f.source(sources)
            )
            for f in r.rows("figures")
        )
        channels[cid] = Channel(
            cid,
            r.text("label"),
            r.number("fee", 0, 0.99),
            r.source(sources),
            r.text("scope"),
            r.optional_text("note"),
            share["reduced_fee"],
            r.optional_number("reduced_after_months", 0, 600),
            refs["reduced_source"],
            share["fee_not_vat_registered"],
            refs["fee_not_vat_registered_source"],
            share["target"],
            share["low"],
            share["high"],
            figures,
        )
    missing = [c for c in CHANNELS if c not in channels]
    if missing:
        raise DataError(f"{table.file}: channels: missing {', '.join(missing)}")
    return channels


def _discount(d: _Reader, sources: Sources) -> tuple[tuple[DiscountView, ...], str]:
    views = tuple(
        DiscountView(v.text("view"), v.source(sources)) for v in d.rows("views", required=True)
    )
    return views, d.text("note")
