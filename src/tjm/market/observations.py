"""Market observations: the packaged ones, the user's own, their weights, dates and neighbours.

An observation is one figure from one page (a mean, a median, a range's end, a quoted rate)
with its role, experience, region, grade and date. The fit (tjm.market.fit) uses them together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from tjm import files
from tjm.clock import today
from tjm.errors import DataError, InputError
from tjm.fields import (
    check_date,
    check_not_future,
    check_value,
    one_of,
    parse_value,
    published_date,
    some_text,
    true_or_false,
)
from tjm.i18n import _

if TYPE_CHECKING:
    from tjm.market.userdata import Mission  # for the type only: userdata builds on this module

SCHEMA_VERSION = 2
CONTEXT = "other"  # a role or region kept for context, never fitted
REGIONS = ("france", "idf", "other-city", "abroad", CONTEXT)
FIELDS = (
    "id",
    "source",
    "role",
    "role_note",
    "experience",
    "min_years",
    "max_years",
    "region",
    "region_note",
    "data_year",
    "statistic",
    "value",
    "sample_size",
    "fee_side",
    "grade",
    "quote",
    "note",
    "excluded",
    "lower_bound",
)
SOURCE_FIELDS = ("title", "publisher", "published", "recorded", "url", "note")


class ObsSource(NamedTuple):
    id: str
    title: str
    publisher: str
    published: str  # YYYY-MM-DD, YYYY-MM, YYYY or n/d
    recorded: dt.date | None  # the day tjm recorded it; stands in for an n/d publication
    url: str | None
    note: str | None

    @property
    def available(self) -> dt.date:
        """Return the date the figure is known to exist by: its publication, else its record."""
        # source_from requires `recorded` when `published` gives no date.
        return published_date(self.published) or self.recorded  # type: ignore[return-value]


class Observation(NamedTuple):
    id: str
    source: str
    role: str
    min_years: float | None
    max_years: float | None  # exclusive; None when open or unknown
    region: str
    data_year: int | None
    statistic: str
    value: float
    sample_size: int | None
    fee_side: str
    grade: str
    quote: str
    note: str | None = None
    excluded: str | None = None
    lower_bound: bool = False
    experience: str | None = None
    user: bool = False
    line: int | None = None

    @property
    def has_years(self) -> bool:
        return self.min_years is not None


class Weights(NamedTuple):
    grade: dict[str, float]
    sample_size_full: float
    half_life_years: float
    undated_age_years: float


class Market(NamedTuple):
    """Every observation the model may use, with the rules that weigh and date them."""

    observations: tuple[Observation, ...]
    sources: dict[str, ObsSource]
    as_of: dt.date
    weights: Weights
    # The year index (Syntec, January); the field shadows tuple.index, which no caller needs.
    index: dict[int, float]  # type: ignore[assignment]
    open_band_span: float
    nearby_years: float
    recent_years: float
    loso_bound: float
    max_tau: float  # the longest time constant a curve may take, in years
    coverage: dict[str, str]
    sha256: str
    missions: tuple[Mission, ...] = ()  # the user's missions


# ------------------------------------------------------------------ reading


def located(line: int | None, exc: InputError, where: str | Callable[[str], str]) -> str:
    """Return an error as `line N: <where><key>: problem`; `where` is a prefix to the key
    (`observations.`), or how to name it (a CSV column)."""
    message = exc.labelled(where if callable(where) else lambda key: f"{where}{key}")
    if line is None:
        return message
    return _("line {line}: {message}").format(line=line, message=message)


def header_lines(text: str, table: str) -> list[int]:
    """Return the line number of each `[[table]]` header, in order."""
    pattern = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]")
    return [i for i, line in enumerate(text.splitlines(), 1) if pattern.match(line)]


def check_field(row: dict[str, Any], key: str, optional: bool = False) -> Any:
    """Check one field of a row with its rule in tjm.fields; text cells are parsed first."""
    value = row.get(key)
    if value is None or value == "":
        if optional:
            return None
        raise InputError(key, _("missing"), "missing-value")
    if isinstance(value, str):
        return parse_value(key, value)
    return check_value(key, value)


def observation_from(
    row: dict[str, Any],
    sources: dict[str, ObsSource],
    roles: tuple[str, ...],
    line: int | None = None,
    user: bool = False,
) -> Observation:
    """Validate one observation row (TOML table or CSV row); raise InputError naming the key."""
    for key in row:
        if key not in FIELDS:
            raise InputError(key, _("unknown key"), "unknown-key")
    source = check_field(row, "source")
    if source not in sources:
        raise InputError("source", unknown_source(source), "unknown-source")
    role = check_field(row, "role")
    if role not in (*roles, CONTEXT):
        raise InputError("role", one_of((*roles, CONTEXT), role), "bad-choice")
    region = check_field(row, "region")
    if region not in REGIONS:
        raise InputError("region", one_of(REGIONS, region), "bad-choice")
    low, high = check_field(row, "min_years", True), check_field(row, "max_years", True)
    if high is not None and (low is None or high <= low):
        raise InputError(
            ("min_years", "max_years"), _("max_years needs a smaller min_years"), "bad-years-range"
        )
    lower_bound = row.get("lower_bound", False)
    if isinstance(lower_bound, str):
        lower_bound = parse_value("versement_liberatoire", lower_bound)  # the same yes/no rule
    if not isinstance(lower_bound, bool):
        raise InputError("lower_bound", true_or_false(lower_bound), "bad-boolean")
    size = check_field(row, "sample_size", True)
    data_year = check_field(row, "data_year", True)
    if user:  # the packaged data is dated by its own as_of, which TJM_TODAY may precede
        check_not_future("data_year", data_year, today())
    grade = check_field(row, "grade")
    if grade == "A" and size is None:
        raise InputError(
            ("grade", "sample_size"), _("grade A needs a sample size"), "missing-value"
        )
    text = {
        k: (str(row[k]).strip() or None) if row.get(k) is not None else None
        for k in ("note", "excluded", "experience", "role_note", "region_note")
    }
    note = (
        "; ".join(v for k, v in text.items() if k in ("note", "role_note", "region_note") and v)
        or None
    )
    return Observation(
        id=str(check_field(row, "id")),
        source=source,
        role=role,
        min_years=low,
        max_years=high,
        region=region,
        data_year=data_year,
        statistic=check_field(row, "statistic"),
        value=check_field(row, "value"),
        sample_size=size,
        fee_side=check_field(row, "fee_side"),
        grade=grade,
        quote=check_field(row, "quote"),
        note=note,
        excluded=text["excluded"],
        lower_bound=lower_bound,
        experience=text["experience"],
        user=user,
        line=line,
    )


def source_from(sid: str, row: dict[str, Any], user: bool = False) -> ObsSource:
    """Validate one source table; raise InputError naming the key. A user's source may not
    be published or recorded in the future."""
    for key in row:
        if key not in SOURCE_FIELDS:
            raise InputError(key, _("unknown key"), "unknown-key")
    url = row.get("url")
    if url is not None and (not isinstance(url, str) or not url.startswith("https://")):
        raise InputError(
            "url", _("expected an https URL, got {value}").format(value=repr(url)), "bad-url"
        )
    published = check_field(row, "published")
    recorded = row.get("recorded")
    recorded = None if recorded is None else check_date("recorded", recorded)
    if user:
        check_not_future("published", published, today())
        check_not_future("recorded", recorded, today())
    if published == "n/d" and recorded is None:
        raise InputError(
            ("published", "recorded"),
            _("an undated source needs `recorded`, the day it was first recorded"),
            "missing-value",
        )
    return ObsSource(
        sid,
        _field_text(row, "title"),
        _field_text(row, "publisher"),
        published,
        recorded,
        url,
        row.get("note"),
    )


def _field_text(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InputError(key, some_text(value), "empty-text")
    return value.strip()


def unknown_source(source: object) -> str:
    """Return the problem of a source id that no source table defines."""
    return _("unknown source {source}").format(source=repr(source))


def known_roles() -> tuple[str, ...]:
    from tjm.dataset.load import load_dataset

    return tuple(load_dataset().roles)


# The packaged files are a few hundred KiB; more is a broken install, not data.
PACKAGED_MAX_BYTES = 16 << 20


def observations_text() -> str:
    """Return the packaged observations file's text."""
    try:
        return files.read_resource("observations.toml", PACKAGED_MAX_BYTES)
    except files.Unreadable as exc:
        raise DataError(f"{exc.path}: {exc.problem}") from None


def parse_market(
    text: str, file: str = "observations.toml", roles: tuple[str, ...] | None = None
) -> Market:
    """Parse and validate the packaged observations; raise DataError naming the line and key.

    The file ships with tjm, so its own errors are for developers and stay in English.
    """
    try:
        doc = files.parse_toml(text, file)
    except files.Unreadable as exc:
        raise DataError(f"{file}: {exc.problem}") from None
    roles = roles or known_roles()
    if doc.get("schema_version") != SCHEMA_VERSION:
        raise DataError(
            f"{file}: schema_version: expected {SCHEMA_VERSION}, got {doc.get('schema_version')!r}"
        )
    sources = {}
    for sid, row in doc.get("sources", {}).items():
        try:
            sources[sid] = source_from(sid, row)
        except InputError as exc:
            raise DataError(f"{file}: {located(None, exc, f'sources.{sid}.')}") from None
    rows, lines = doc.get("observations", []), header_lines(text, "observations")
    found, seen = [], set()
    for i, row in enumerate(rows):
        line = lines[i] if i < len(lines) else None
        try:
            obs = observation_from(row, sources, roles, line)
        except InputError as exc:
            raise DataError(f"{file}: {located(line, exc, 'observations.')}") from None
        if obs.id in seen:
            raise DataError(f"{file}: line {line}: observations.id: duplicate {obs.id!r}")
        seen.add(obs.id)
        found.append(obs)
    try:
        w, fit = doc["weights"], doc["fit"]
        weights = Weights(
            {k: float(v) for k, v in w["grade"].items()},
            float(w["sample_size_full"]),
            float(w["half_life_years"]),
            float(w["undated_age_years"]),
        )
        index = {int(k): float(v) for k, v in doc["year_index"]["values"].items()}
        market = Market(
            tuple(found),
            sources,
            doc["dataset"]["as_of"],
            weights,
            index,
            float(fit["open_band_span"]),
            float(fit["nearby_years"]),
            float(fit["recent_years"]),
            float(fit["loso_bound"]),
            float(fit["max_tau_years"]),
            dict(doc["coverage"]),
            hashlib.sha256(text.encode()).hexdigest(),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DataError(f"{file}: missing or malformed setting: {exc}") from None
    if set(weights.grade) != {"A", "B", "C"}:
        raise DataError(f"{file}: weights.grade: expected A, B and C")
    return market


@cache
def load_market() -> Market:
    """Return the packaged observations."""
    return parse_market(observations_text())


# ---------------------------------------------------------------- migration


def migrate_tables(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Turn schema-1 rate tables (one row per band, one value per region) into observations.

    Each cell becomes one observation of the table's role, band and region column, read as a
    mean (Free-Work's TJM moyen), grade B (an aggregator naming its source), undated.
    """
    bands = {b["id"]: b for b in doc["bands"]}
    found = []
    for tid, table in doc["tables"].items():
        for row in table["rows"]:
            band = bands[row["band"]]
            for region, value in zip(table["columns"], row["values"], strict=True):
                obs = {
                    "id": f"{tid}-{row['band']}-{region}",
                    "source": table["source"],
                    "role": table["role"],
                    "experience": band["label"],
                    "min_years": band["min_years"],
                    "region": region,
                    "statistic": "mean",
                    "value": value,
                    "fee_side": "unknown",
                    "grade": "B",
                }
                if "max_years" in band:
                    obs["max_years"] = band["max_years"]
                found.append(obs)
    return found


# ------------------------------------------------------------------ dating


def data_date(obs: Observation, market: Market) -> dt.date | None:
    """Return the date the figure describes: mid data year, else publication; None if undated."""
    if obs.data_year is not None:
        return dt.date(obs.data_year, 7, 1)
    return published_date(market.sources[obs.source].published)


def available_on(obs: Observation, market: Market) -> dt.date:
    """Return the date the observation is known to exist by (for --as-of)."""
    return market.sources[obs.source].available


def age_years(obs: Observation, market: Market, as_of: dt.date) -> float:
    """Return the observation's age in years at as_of; undated ones get the stated age."""
    when = data_date(obs, market)
    if when is None:
        return market.weights.undated_age_years
    return max((as_of - when).days / 365.25, 0.0)


def weight(obs: Observation, market: Market, as_of: dt.date) -> float:
    """Return the observation's weight: grade × sample size × age (see observations.toml)."""
    w = market.weights
    size = (
        1.0
        if obs.sample_size is None
        else min(1.0, math.sqrt(obs.sample_size / w.sample_size_full))
    )
    decay: float = 0.5 ** (age_years(obs, market, as_of) / w.half_life_years)
    return w.grade[obs.grade] * size * decay


def index_factor(market: Market, data_year: int | None, as_of: dt.date) -> float:
    """Return the year index's change from the data's year to as_of's (1 when undated)."""
    if data_year is None:
        return 1.0
    years = sorted(market.index)

    def value(year: int) -> float:
        year = min(max(year, years[0]), years[-1])
        return market.index[year]

    return value(as_of.year) / value(data_year)


def as_of_market(market: Market, as_of: dt.date) -> Market:
    """Return the market with only the observations available by as_of, aged to as_of."""
    kept = tuple(o for o in market.observations if available_on(o, market) <= as_of)
    return market._replace(observations=kept, as_of=as_of)


def is_recent(obs: Observation, market: Market, as_of: dt.date) -> bool:
    """Return True for a grade A or B figure whose data is at most recent_years old."""
    when = data_date(obs, market)
    return (
        obs.grade in ("A", "B")
        and when is not None
        and (as_of - when).days / 365.25 <= market.recent_years
    )


def nearby(market: Market, role: str, years: float, region: str) -> list[Observation]:
    """Return the observations near a cell: same role, band within nearby_years, same region.

    A national figure is near any French region and a regional one near the national cell;
    a figure with no experience given covers every level.
    """

    def years_ok(o: Observation) -> bool:
        if o.min_years is None:
            return True
        top = math.inf if o.max_years is None else o.max_years
        return o.min_years - market.nearby_years <= years < top + market.nearby_years

    return [
        o
        for o in market.observations
        if o.role == role and region_near(o.region, region) and years_ok(o)
    ]


def region_near(observed: str, region: str) -> bool:
    """Return True when a figure for one region speaks for another (national ↔ French)."""
    if observed == region:
        return True
    french = ("france", "idf", "other-city")
    return observed in french and region in french and "france" in (observed, region)
