"""The observations: schema, migration of schema-1 tables, dates, weights, neighbours, as-of."""

import datetime as dt
import math

import pytest

from tjm.errors import DataError
from tjm.inputs import QuoteInputs
from tjm.market.model import model_for
from tjm.market.observations import (
    age_years,
    as_of_market,
    available_on,
    is_recent,
    load_market,
    migrate_tables,
    observations_text,
    parse_market,
    weight,
)
from tjm.market.quote import price_quote
from tjm.market.userdata import realised

from .strategies import ROLES

# Free-Work's tables as schema 1 (benchmarks.toml 2024.1) held them, copied from that file.
SCHEMA_1 = {
    "bands": [
        {"id": "lt1", "label": "< 1 year", "min_years": 0, "max_years": 1},
        {"id": "1-2", "label": "1–2 years", "min_years": 1, "max_years": 3},
        {"id": "3-4", "label": "3–4 years", "min_years": 3, "max_years": 5},
        {"id": "5-10", "label": "5–10 years", "min_years": 5, "max_years": 11},
        {"id": "11-15", "label": "11–15 years", "min_years": 11, "max_years": 16},
        {"id": "gt15", "label": "> 15 years", "min_years": 16},
    ],
    "tables": {
        "free-work-data-scientist": {
            "role": "data-scientist",
            "source": "free-work-intechnia",
            "columns": ["idf", "other-city", "abroad"],
            "rows": [
                {"band": "lt1", "values": [316, 322, 215]},
                {"band": "1-2", "values": [387, 353, 261]},
                {"band": "3-4", "values": [508, 400, 366]},
                {"band": "5-10", "values": [607, 535, 526]},
                {"band": "11-15", "values": [645, 529, 681]},
                {"band": "gt15", "values": [722, 667, 866]},
            ],
        },
        "free-work-data-engineer": {
            "role": "data-engineer",
            "source": "free-work-intechnia",
            "columns": ["idf", "other-city", "abroad"],
            "rows": [{"band": "lt1", "values": [296, 284, 320]}],
        },
    },
}


@pytest.fixture(scope="module")
def market():
    return load_market()


def test_every_observation_has_source_date_and_grade(market):
    """Each observation has a known dated source (or n/d and a record date), a grade and a quote."""
    assert len(market.observations) >= 40
    for o in market.observations:
        source = market.sources[o.source]
        assert source.published == "n/d" or source.available is not None, o.id
        assert available_on(o, market) is not None, o.id
        assert o.grade in ("A", "B", "C"), o.id
        assert o.quote.strip(), o.id


def _broken(old: str, new: str) -> str:
    text = observations_text()
    assert old in text, old
    return text.replace(old, new, 1)


BROKEN = [
    (
        "grade missing",
        lambda: _broken('grade = "B"\n', ""),
        r"line \d+: observations\.grade: missing",
    ),
    (
        "source missing",
        lambda: _broken('source = "free-work-intechnia"\nrole', "role"),
        r"line \d+: observations\.source: missing",
    ),
    (
        "unknown source",
        lambda: _broken('source = "free-work-intechnia"\nrole', 'source = "nope"\nrole'),
        r"observations\.source: unknown source 'nope'",
    ),
    (
        "date missing",
        lambda: _broken('published = "n/d"\nrecorded = 2026-11-27\n', ""),
        r"sources\.free-work-intechnia\.published: missing",
    ),
    (
        "undated without a record",
        lambda: _broken('recorded = 2026-11-27\nurl = "https://intech', 'url = "https://intech'),
        r"recorded",
    ),
    (
        "grade A without a sample",
        lambda: _broken('grade = "B"\n', 'grade = "A"\n'),
        r"grade A needs a sample size",
    ),
    (
        "newer schema",
        lambda: _broken("schema_version = 2", "schema_version = 3"),
        r"schema_version: expected 2",
    ),
]


@pytest.mark.parametrize(("case", "make", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_schema_refuses_a_missing_or_bad_field(case, make, message):
    """A malformed observations file raises DataError naming the line and the key."""
    with pytest.raises(DataError, match=message):
        parse_market(make())


def test_schema_1_tables_migrate_to_the_packaged_observations(market):
    """migrate_tables turns schema 1's Free-Work tables into exactly the packaged observations."""
    migrated = {
        (
            o["role"],
            o["min_years"],
            o.get("max_years"),
            o["region"],
            o["value"],
            o["statistic"],
            o["grade"],
        )
        for o in migrate_tables(SCHEMA_1)
    }
    packaged = {
        (o.role, o.min_years, o.max_years, o.region, o.value, o.statistic, o.grade)
        for o in market.observations
        if o.source == "free-work-intechnia"
    }
    assert len(migrated) == 21
    assert migrated == packaged


@pytest.mark.parametrize("role", ROLES)
def test_coverage_says_what_is_missing(market, role):
    """For each role the data says which current A or B figure exists, and it is true."""
    recent = [
        o for o in market.observations if o.role == role and is_recent(o, market, market.as_of)
    ]
    text = market.coverage[role]
    assert ("No grade A" in text) == (
        not any(o.grade == "A" for o in market.observations if o.role == role)
    )
    # Today's honest state: Silkhom's 2025 barometer is the only current A or B figure.
    assert bool(recent) == ("Silkhom's 2025" in text)
    assert {o.source for o in recent} <= {"silkhom-2025"}


def test_weight_is_grade_size_and_age(market):
    """A weight multiplies the grade, sqrt(n / 30) capped at 1, and half per two years of age."""
    kenshu = next(o for o in market.observations if o.source == "kenshu-dev")
    age = age_years(kenshu, market, market.as_of)
    assert weight(kenshu, market, market.as_of) == pytest.approx(
        0.1 * math.sqrt(1 / 30) * 0.5 ** (age / 2)
    )
    undated = next(o for o in market.observations if o.source == "free-work-intechnia")
    assert age_years(undated, market, market.as_of) == 3.0
    assert weight(undated, market, market.as_of) == pytest.approx(0.5 * 0.5**1.5)


def test_thin_data_follows_the_nearby_grades():
    """A quote is thin exactly when no recent A/B figure is near it; its band is then widened."""
    model = model_for()
    for role in ROLES:
        q = price_quote(QuoteInputs(role, 4), dt.date(2026, 11, 29))
        assert q.evidence is not None
        near = [o for o in model.market.observations if o.id in q.evidence.ids]
        assert q.evidence.thin == (
            not any(is_recent(o, model.market, model.market.as_of) for o in near)
        )
        assert q.band.sigma == (model.sigma_thin if q.evidence.thin else model.sigma)
        assert q.evidence.count == len(near) > 0


def test_ai_engineer_mid_level_says_what_it_rests_on():
    """The mid-level AI engineer's quote lists Malt's grade B figure and says thin data."""
    q = price_quote(QuoteInputs("ai-engineer", 4), dt.date(2026, 11, 29))
    assert q.evidence is not None
    assert "jdn-malt-trends-2024-1" in q.evidence.ids
    assert q.evidence.grades["B"] >= 1
    assert q.evidence.thin
    assert any(w.code == "thin-data" and w.message.startswith("thin data") for w in q.warnings)


def test_as_of_keeps_only_what_was_published_by_then(market):
    """--as-of keeps the observations available by that date, and the quote uses no other."""
    day = dt.date(2026, 11, 28)
    model = model_for(day)
    assert model.market.observations
    assert all(available_on(o, market) <= day for o in model.market.observations)
    left_out = {o.id for o in market.observations} - {o.id for o in model.market.observations}
    assert left_out  # the 2026-11-29 research is not in it
    q = price_quote(QuoteInputs("ai-engineer", 4), day, model=model)
    assert q.evidence is not None
    assert not set(q.evidence.ids) & left_out
    assert q.as_of == day


def test_as_of_2024_06_01_is_refused_naming_what_existed():
    """On 2024-06-01 too few observations existed to fit; the refusal lists all of them."""
    day = dt.date(2024, 6, 1)
    existing = [o.id for o in as_of_market(load_market(), day).observations]
    assert existing
    with pytest.raises(DataError, match="too few observations") as caught:
        model_for(day)
    for oid in existing:
        assert oid in str(caught.value)


def test_realised_rate_is_day_weighted_over_a_year():
    """The realised rate weighs each mission by its days, over the 365 days to the date."""
    from tjm.market.userdata import Mission

    missions = (
        Mission("m1", 600, 10, "a", dt.date(2026, 1, 10)),
        Mission("m2", 700, 30, "b", dt.date(2026, 6, 1)),
        Mission("m3", 900, 50, "c", dt.date(2024, 6, 1)),
    )
    got = realised(missions, dt.date(2026, 11, 29))
    assert got is not None
    assert got.rate == pytest.approx((600 * 10 + 700 * 30) / 40)
    assert got.days == 40
    assert got.missions == 2
