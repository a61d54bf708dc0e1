"""Load and validate the packaged market dataset into frozen, typed records."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from tjm.errors import DataError


class Source(NamedTuple):
    id: str
    title: str
    publisher: str
    date: str
    url: str | None
    note: str | None
    via: tuple[str, ...]
    fee_side: str | None = None  # for rate sources: client_price, freelancer_rate or unknown
    fee_side_note: str | None = None


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


class RateTable(NamedTuple):
    id: str
    role: str
    source: str
    scope: str
    unit: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[float, ...]], ...]  # (band id, one value per column)

    def value(self, band: str, region: str) -> float:
        """Return the cell for one band and one region column."""
        for band_id, values in self.rows:
            if band_id == band:
                return values[self.columns.index(region)]
        raise KeyError((band, region))


class Role(NamedTuple):
    id: str
    label: str
    reference_level: str
    anchor_figure: str | None
    anchor_table: str | None
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


class SourcePair(NamedTuple):
    """Two sources' values for the same cell."""

    cell: str
    a: float
    a_source: str
    b: float
    b_source: str
    note: str | None


class PublishedRange(NamedTuple):
    """A published low / middle / high, read as the quantiles `quantile` and 1 - `quantile`."""

    what: str
    low: float
    mid: float
    high: float
    quantile: float
    source: str
    note: str | None


class SigmaDerivation(NamedTuple):
    """The inputs the band's spread is derived from (market.derive_sigma does the sums)."""

    formula: str
    loo_error: float  # the model's leave-one-band-out mean absolute error, a fraction
    loo_note: str
    averages_note: str
    pairs: tuple[SourcePair, ...]
    ranges: tuple[PublishedRange, ...]


FEE_SIDES = ("client_price", "freelancer_rate", "unknown")


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
    tables: dict[str, RateTable]
    curve_table: str
    roles: dict[str, Role]
    skills: dict[str, Skill]
    figures: dict[str, Figure]
    billable_days: BillableDays
    parameters: dict[str, Parameter]
    sigma_derivation: SigmaDerivation | None = None
    channels: dict[str, Channel] | None = None
    discount_views: tuple[DiscountView, ...] = ()
    discount_note: str = ""

    def param(self, name: str) -> float:
        """Return a named model parameter's value."""
        return self.parameters[name].value


MODEL_SOURCE = "tjm-model"  # the source id of the model's own assumptions
REQUIRED_PARAMETERS = (
    "reference_years",
    "top_band_years",
    "scarcity_elasticity",
    "scarcity_cap",
    "band_sigma",
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

    def text(self, key: str, optional: bool = False) -> str | None:
        value = self.raw(key, optional)
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self._fail(key, "a non-empty string")
        return value

    def number(self, key: str, low: float = -math.inf, high: float = math.inf,
               optional: bool = False) -> float | None:
        value = self.raw(key, optional)
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not (
            low <= value <= high
        ):
            raise self._fail(key, f"a number from {low:g} to {high:g}")
        return float(value)

    def integer(self, key: str) -> int:
        value = self.raw(key)
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
    as_of = meta.raw("as_of")
    if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        raise DataError(f"{file}: dataset.as_of: expected a date")

    sources: dict[str, Source] = {}
    for sid, r in top.sub("sources").items():
        url = r.text("url", optional=True)
        if url is not None and not url.startswith("https://"):
            raise DataError(f"{file}: {r._key('url')}: expected an https URL")
        fee_side = r.text("fee_side", optional=True)
        if fee_side is not None and fee_side not in FEE_SIDES:
            raise DataError(f"{file}: {r._key('fee_side')}: expected one of "
                            f"{', '.join(FEE_SIDES)}")
        sources[sid] = Source(sid, r.text("title"), r.text("publisher"), r.text("date"),
                              url, r.text("note", optional=True),
                              tuple(r.array("via", optional=True)), fee_side,
                              r.text("fee_side_note", optional=True))
    for source in sources.values():
        for ref in source.via:
            if ref not in sources:
                raise DataError(f"{file}: sources.{source.id}.via: unknown source {ref!r}")

    t = top.sub("threshold")
    threshold = Threshold(t.number("value", 1, 10_000), t.text("unit"), t.text("role"),
                          _source_ref(t, sources), t.text("scope"), t.text("note", True))

    bands = []
    for i, raw in enumerate(top.array("bands")):
        r = _Reader(raw, f"bands[{i}]", file)
        low = r.number("min_years", 0, 60)
        high = r.number("max_years", 0, 60, optional=True)
        if high is not None and high <= low:
            raise DataError(f"{file}: bands[{i}].max_years: expected more than min_years")
        bands.append(Band(r.text("id"), r.text("label"), low, high))
    band_ids = [b.id for b in bands]

    regions: dict[str, Region] = {}
    for rid, r in top.sub("regions").items():
        mix_raw = r.raw("mix", optional=True) or {}
        mix = tuple((k, _Reader(mix_raw, r._key("mix"), file).number(k, 0, 1)) for k in mix_raw)
        if mix and not math.isclose(sum(w for _, w in mix), 1.0, abs_tol=1e-9):
            raise DataError(f"{file}: regions.{rid}.mix: weights must add up to 1")
        regions[rid] = Region(rid, r.text("label"), _source_ref(r, sources), mix,
                              r.text("note", optional=True))
    for region in regions.values():
        for part, _ in region.mix:
            if part not in regions or regions[part].mix:
                raise DataError(f"{file}: regions.{region.id}.mix: {part!r} is not a table region")

    tables: dict[str, RateTable] = {}
    for tid, r in top.sub("tables").items():
        columns = tuple(r.array("columns"))
        for col in columns:
            if col not in regions:
                raise DataError(f"{file}: tables.{tid}.columns: unknown region {col!r}")
        rows = []
        for i, raw in enumerate(r.array("rows")):
            row = _Reader(raw, f"tables.{tid}.rows[{i}]", file)
            band = row.text("band")
            if band not in band_ids:
                raise DataError(f"{file}: {row._key('band')}: unknown band {band!r}")
            values = row.array("values")
            if len(values) != len(columns):
                raise DataError(f"{file}: {row._key('values')}: expected {len(columns)} values")
            cells = _Reader(dict(enumerate(values)), row._key("values"), file)
            rows.append((band, tuple(cells.number(k, 1, 10_000) for k in range(len(values)))))
        tables[tid] = RateTable(tid, r.text("role"), _source_ref(r, sources), r.text("scope"),
                                r.text("unit"), columns, tuple(rows))

    curve_table = top.sub("curve").text("table")
    if curve_table not in tables:
        raise DataError(f"{file}: curve.table: unknown table {curve_table!r}")

    roles: dict[str, Role] = {}
    for rid, r in top.sub("roles").items():
        fig, tab = r.text("anchor_figure", True), r.text("anchor_table", True)
        if (fig is None) == (tab is None):
            raise DataError(
                f"{file}: roles.{rid}: expected exactly one of anchor_figure, anchor_table")
        if fig is not None and fig != "threshold":
            raise DataError(f"{file}: roles.{rid}.anchor_figure: only 'threshold' anchors a role")
        if tab is not None and tab not in tables:
            raise DataError(f"{file}: roles.{rid}.anchor_table: unknown table {tab!r}")
        roles[rid] = Role(rid, r.text("label"), r.text("reference_level"), fig, tab,
                          _source_ref(r, sources))
    if threshold.role not in roles:
        raise DataError(f"{file}: threshold.role: unknown role {threshold.role!r}")

    skills: dict[str, Skill] = {}
    for sid, r in top.sub("skills").items():
        alternatives = []
        for i, raw in enumerate(r.array("alternatives", optional=True)):
            a = _Reader(raw, f"skills.{sid}.alternatives[{i}]", file)
            alternatives.append(Alternative(a.text("what"), a.number("value", -1, 1000),
                                            _source_ref(a, sources), a.flag("used")))
        skills[sid] = Skill(sid, r.text("label"), r.number("demand_growth", -0.99, 1000),
                            r.number("supply_growth", -0.99, 1000), r.text("period"),
                            r.text("scope"), _source_ref(r, sources), r.text("choice", True),
                            tuple(alternatives))

    figures = {
        fid: Figure(fid, r.number("value"), r.text("unit"), _source_ref(r, sources),
                    r.text("scope"), r.text("note", True))
        for fid, r in top.sub("figures").items()
    }

    d = top.sub("billable_days")
    days = BillableDays(d.integer("working_days"), d.integer("holidays"), d.integer("sick_days"),
                        d.integer("non_billable_days"), d.integer("total"),
                        _source_ref(d, sources), d.text("scope"))
    if days.working_days - days.holidays - days.sick_days - days.non_billable_days != days.total:
        raise DataError(f"{file}: billable_days.total: does not equal the breakdown")

    parameters = {}
    for pid, r in top.sub("parameters").items():
        parameters[pid] = Parameter(pid, r.number("value", 0, 1000), r.text("unit"),
                                    r.flag("assumption"), r.text("justification"))
    if MODEL_SOURCE not in sources:
        raise DataError(f"{file}: sources.{MODEL_SOURCE}: missing")
    for name in REQUIRED_PARAMETERS:
        if name not in parameters:
            raise DataError(f"{file}: parameters.{name}: missing")

    sigma_derivation = None
    if "band_sigma" in doc:
        sigma_derivation = _sigma_derivation(top.sub("band_sigma"), sources)
    channels = _channels(top.sub("channels"), sources) if "channels" in doc else None
    views: tuple[DiscountView, ...] = ()
    discount_note = ""
    if "discount" in doc:
        d = top.sub("discount")
        views = tuple(DiscountView(v.text("view"), _source_ref(v, sources)) for v in (
            _Reader(raw, f"discount.views[{i}]", file) for i, raw in enumerate(d.array("views"))))
        discount_note = d.text("note")

    return Dataset(
        version=meta.text("version"), as_of=as_of, currency=meta.text("currency"),
        sha256=hashlib.sha256(text.encode()).hexdigest(), sources=sources,
        threshold=threshold, regions=regions, bands=tuple(bands), tables=tables,
        curve_table=curve_table, roles=roles,
        skills=skills, figures=figures, billable_days=days, parameters=parameters,
        sigma_derivation=sigma_derivation, channels=channels, discount_views=views,
        discount_note=discount_note,
    )


def _sigma_derivation(r: _Reader, sources: dict[str, Source]) -> SigmaDerivation:
    _source_ref(r, sources, "loo_source")
    pairs = []
    for i, raw in enumerate(r.array("pairs")):
        p = _Reader(raw, f"{r.path}.pairs[{i}]", r.file)
        pairs.append(SourcePair(p.text("cell"), p.number("a", 1, 10_000),
                                _source_ref(p, sources, "a_source"), p.number("b", 1, 10_000),
                                _source_ref(p, sources, "b_source"), p.text("note", True)))
    ranges = []
    for i, raw in enumerate(r.array("ranges")):
        g = _Reader(raw, f"{r.path}.ranges[{i}]", r.file)
        low, mid, high = (g.number(k, 1, 10_000) for k in ("low", "mid", "high"))
        if not low < mid < high:
            raise DataError(f"{r.file}: {g._key('mid')}: expected low < mid < high")
        ranges.append(PublishedRange(g.text("what"), low, mid, high,
                                     g.number("quantile", 0.5, 0.999), _source_ref(g, sources),
                                     g.text("note", True)))
    if not pairs or not ranges:
        raise DataError(f"{r.file}: {r.path}: expected at least one pair and one range")
    return SigmaDerivation(r.text("formula"), r.number("loo_error", 0, 1), r.text("loo_note"),
                           r.text("averages_note"), tuple(pairs), tuple(ranges))


def _channels(top: _Reader, sources: dict[str, Source]) -> dict[str, Channel]:
    from tjm.inputs import CHANNELS

    channels = {}
    for cid, r in top.items():
        if cid not in CHANNELS:
            raise DataError(f"{r.file}: {r.path}: unknown channel; expected one of "
                            f"{', '.join(CHANNELS)}")
        share = {k: r.number(k, 0, 0.99, optional=True)
                 for k in ("reduced_fee", "fee_not_vat_registered", "target", "low", "high")}
        refs = {k: _source_ref(r, sources, k) if k in r.table else None
                for k in ("reduced_source", "fee_not_vat_registered_source")}
        figures = []
        for i, raw in enumerate(r.array("figures", optional=True)):
            f = _Reader(raw, f"{r.path}.figures[{i}]", r.file)
            figures.append(ChannelFigure(f.text("what"), f.number("value", 0, 10_000),
                                         f.text("unit"), _source_ref(f, sources)))
        channels[cid] = Channel(
            cid, r.text("label"), r.number("fee", 0, 0.99), _source_ref(r, sources),
            r.text("scope"), r.text("note", optional=True), share["reduced_fee"],
            r.number("reduced_after_months", 0, 600, optional=True), refs["reduced_source"],
            share["fee_not_vat_registered"], refs["fee_not_vat_registered_source"],
            share["target"], share["low"], share["high"], tuple(figures))
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
    for table in dataset.tables.values():
        for band, values in table.rows:
            cells = ", ".join(f"{c} {v:g}" for c, v in zip(table.columns, values, strict=True))
            cited[table.source].append(f"{table.id} {band}: {cells}")
    for skill in dataset.skills.values():
        cited[skill.source].append(f"skill {skill.id}: demand {skill.demand_growth:+.0%}, "
                                   f"supply {skill.supply_growth:+.0%} ({skill.period})")
        for alt in skill.alternatives:
            cited[alt.source].append(f"skill {skill.id}: {alt.what} {alt.value:+.0%}"
                                     f"{'' if alt.used else ' (recorded, not used)'}")
    for fig in dataset.figures.values():
        cited[fig.source].append(f"{fig.id}: {fig.value:g} {fig.unit} ({fig.scope})")
    d = dataset.billable_days
    cited[d.source].append(f"billable days: {d.working_days} - {d.holidays} - {d.sick_days} - "
                           f"{d.non_billable_days} = {d.total}")
    for c in (dataset.channels or {}).values():
        cited[c.source].append(f"channel {c.id}: fee {c.fee:.0%} of the client price ({c.scope})")
        if c.reduced_source is not None:
            cited[c.reduced_source].append(f"channel {c.id}: {c.reduced_fee:.0%} after "
                                           f"{c.reduced_after_months:g} months with a client")
        if c.fee_not_vat_registered_source is not None:
            cited[c.fee_not_vat_registered_source].append(
                f"channel {c.id}: {c.fee_not_vat_registered:.0%} incl. VAT without VAT "
                "registration")
        for f in c.figures:
            cited[f.source].append(f"channel {c.id}: {f.what} {figure_text(f)} (recorded, not "
                                   "used)")
    for v in dataset.discount_views:
        cited[v.source].append(f"discount view: {v.view}")
    for p in dataset.parameters.values():
        cited[MODEL_SOURCE].append(f"{p.id}: {p.value:g} {p.unit} (assumption: {p.justification})")
    return cited
