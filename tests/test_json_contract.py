"""The JSON contract: every --json object names its kind's schema, and the keys of each kind
(top level and the nested objects scripts rely on) are pinned here. Changing them is a
visible decision: a new schema version in tjm.render.SCHEMAS, and docs/json.md."""

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tjm.cli import app
from tjm.render.common import SCHEMAS

DOCS = Path(__file__).parent.parent / "docs" / "json.md"

NOTICE = {"code", "message"}  # a warning (docs/codes.md)
ERROR = {"schema", "code", "message", "exit"}  # a failure under --json
MONEY = {
    "turnover",
    "fee",
    "contributions",
    "dividend_levies",
    "corporate_tax",
    "income_tax",
    "expenses",
    "net",
}
SALARY = {"gross", "net", "employer_cost", "employer_contributions", "employee_contributions"}
COSTS = {
    "accountant",
    "cfe",
    "bank",
    "insurance",
    "creation",
    "legal",
    "total",
    "assumed",
    "creation_years",
}
PROTECTION = {
    "quarters",
    "pension_income",
    "points",
    "points_scheme",
    "point_value",
    "sick_pay_daily",
    "sick_pay_waiting_days",
    "sick_pay_qualifying_months",
    "death_capital",
    "invalidity_monthly",
    "unemployment",
}
SOURCE = {"id", "title", "publisher", "date", "url"}
CHANNEL_ROW = {
    "": {
        "channel",
        "client_price",
        "fee",
        "fee_rate",
        "freelancer_rate",
        "reaches_freelancer",
        "fee_note",
        "source",
        "warnings",
    },
    "source": SOURCE,
}
DIVIDENDS = {"gross", "social", "income_tax", "net"}
FLOOR = {
    "": {
        "floor",
        *MONEY,
        "target_net",
        "per_month",
        "per_billable_day",
        "days",
        "year",
        "status",
        "dividends",
        "salary_share",
        "remuneration",
        "salary",
        "company_costs",
        "protection",
        "closed",
        "warnings",
    },
    "per_month": MONEY,
    "per_billable_day": MONEY,
    "days": {"working", "holidays", "sick", "non_billable", "total"},
    "dividends": DIVIDENDS,
    "salary": SALARY,
    "company_costs": COSTS,
    "protection": PROTECTION,
}


def nest(prefix: str, spec: dict[str, set[str]]) -> dict[str, set[str]]:
    """Return a sub-object's pinned paths under `prefix`."""
    return {f"{prefix}.{path}" if path else prefix: keys for path, keys in spec.items()}


SALES = {
    "channel": {
        "channel",
        "fee_rate",
        "fee_note",
        "source",
        "band_side",
        "band_source",
        "rate",
        "compared_rate",
        "floor",
        "warnings",
    },
    "channel.source": SOURCE,
    **nest("channel.rate", CHANNEL_ROW),
    **nest("channel.floor", CHANNEL_ROW),
    "engagement": {"blend", "floor_gap", "discount", "half_days"},
    "engagement.blend": {"clients", "turnover", "days_sold", "rate", "billable_days", "days_left"},
    "engagement.blend.clients[]": {"name", "rate", "days"},
    "engagement.floor_gap": {"required_turnover", "shortfall", "more_days", "fits", "raises"},
    "engagement.floor_gap.raises[]": {"name", "raise_by", "new_rate"},
    "engagement.discount": {
        "rate",
        "discount",
        "months",
        "days",
        "cost",
        "floor_rate",
        "rate_for_floor",
        "views",
        "note",
    },
    "engagement.discount.views[]": {"view", "source"},
    "engagement.half_days": {
        "day_rate",
        "half_day_rate",
        "share",
        "assumed",
        "effective_rate",
        "yearly_change",
    },
}
QUOTE = {
    "": {
        "schema",
        "inputs",
        "floor",
        "levers",
        "target",
        "stretch",
        "band",
        "percentile",
        "verdict",
        "gap_to_median",
        "threshold",
        "breakdown",
        "warnings",
        "codes",
        "evidence",
        "user_effects",
        "realised",
        "dataset",
        "channel",
        "engagement",
        "sources_for_cell",
        "ai_premium",
    },
    "inputs": {"role", "years", "region", "skills", "rate"},
    **nest("floor", FLOOR),
    "levers[]": {"code", "message", "effect"},
    "warnings[]": NOTICE,
    "band": {"p25", "p50", "p75", "sigma"},
    "threshold": {"value", "delta", "rate_delta", "source"},
    "breakdown[]": {"factor", "multiplier", "rate", "explanation", "source"},
    "evidence": {"count", "grades", "newest", "thin", "observations"},
    "evidence.grades": {"A", "B", "C"},
    "user_effects[]": {"id", "effect"},
    "sources_for_cell": {"market_median", "recent_share", "year_effect", "sources"},
    "sources_for_cell.year_effect": {"method", "rate"},
    "sources_for_cell.sources[]": {
        "source",
        "publisher",
        "year",
        "grade",
        "n",
        "observations",
        "low",
        "high",
        "value",
        "at_least",
        "adjusted",
        "effect",
        "weight",
        "fitted",
    },
    "ai_premium": {
        "estimate",
        "low",
        "high",
        "sources",
        "pairs",
        "between_source_sd",
        "between_source_sd_from_levels",
    },
    "realised": {"rate", "days", "missions", "since"},
    "dataset": {"version", "as_of"},
    **SALES,
}
OBSERVATION = {
    "id",
    "source",
    "role",
    "experience",
    "min_years",
    "max_years",
    "region",
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
}
PROFILE = {
    "": {"name", "path", "inputs", "income", "sales", "notes", "created", "updated", "lang"},
    "inputs": {"role", "years", "region", "skills", "rate"},
    "sales.clients[]": {"name", "rate", "days"},
}

# What sells, in full: a sasu floor above the band (so levers), a channel, two clients, a
# discount and half-days; the user's own observation and mission are in the store.
PRICED = [
    "--role",
    "ai-engineer",
    "--years",
    "5",
    "--skill",
    "rag",
    "--target-net",
    "150k",
    "--status",
    "sasu",
    "--channel",
    "esn",
    "--client",
    "A:600:100",
    "--client",
    "B:450:40",
    "--long-mission-months",
    "12",
    "--discount",
    "10",
    "--half-day-share",
    "20",
]
FLOOR_ARGS = ["--target-net", "60k", "--status", "sasu", "--channel", "esn"]
SALES_ARGS = ["--client", "A:600:100", "--long-mission-months", "6", "--discount", "10"]

CONTRACT: dict[str, tuple[list[str], dict[str, set[str]]]] = {
    "quote": (["quote", *PRICED, "--rate", "600"], QUOTE),
    "compare": (["compare", "600", *PRICED], QUOTE),
    "floor": (
        ["floor", *FLOOR_ARGS, *SALES_ARGS, "--half-day-share", "20"],
        {
            **FLOOR,
            "": {"schema", *FLOOR[""], "channel", "engagement"},
            **{k: v for k, v in SALES.items() if not k.startswith("channel.rate")},
        },
    ),
    "statuses": (
        ["statuses", "--target-net", "60k", "--channel", "esn"],
        {
            "": {"schema", "sort", "best", "statuses"},
            "statuses[]": {
                "status",
                "floor",
                *MONEY,
                "remuneration",
                "dividends",
                "salary_share",
                "salary",
                "company_costs",
                "protection",
                "gives_up",
                "available",
                "note",
                "warnings",
                "channel",
            },
            "statuses[].dividends": DIVIDENDS,
            "statuses[].salary": SALARY,
            "statuses[].company_costs": COSTS,
            "statuses[].protection": PROTECTION,
            "statuses[].gives_up": {
                "against",
                "net",
                "quarters",
                "sick_pay_daily",
                "death_capital",
                "invalidity_monthly",
                "unemployment",
                "company_costs",
            },
            **nest("statuses[].channel", CHANNEL_ROW),
        },
    ),
    "channel": (
        ["channel", "--rate", "600"],
        {"": {"schema", "channels"}, **nest("channels[]", CHANNEL_ROW)},
    ),
    "benchmarks": (
        ["benchmarks"],
        {
            "": {
                "schema",
                "dataset",
                "reference_years",
                "curve",
                "threshold",
                "bands",
                "regions",
                "roles",
                "observations",
                "skills",
                "figures",
                "billable_days",
                "parameters",
                "band_sigma_derivation",
            },
            "dataset": {"version", "as_of", "currency"},
            "curve": {
                "fitted_on",
                "shape",
                "role_scale",
                "last_fitted_years",
                "held_flat_after_years",
                "open_band_from_years",
            },
            "threshold": {"value", "unit", "role", "source", "scope", "note"},
            "bands[]": {"id", "label", "min_years", "max_years"},
            "regions[]": {"id", "label", "mix", "source"},
            "roles[]": {"id", "label", "reference_level", "source"},
            "observations[]": {*OBSERVATION, "published", "data_date"},
            "skills[]": {
                "id",
                "label",
                "demand_growth",
                "supply_growth",
                "period",
                "scope",
                "source",
                "choice",
                "alternatives",
                "tightness",
                "trend",
                "premium",
            },
            "skills[].alternatives[]": {"what", "value", "source", "used"},
            "figures[]": {"id", "value", "unit", "source", "scope", "note"},
            "billable_days": {
                "working_days",
                "holidays",
                "sick_days",
                "non_billable_days",
                "total",
                "source",
                "scope",
            },
            "parameters[]": {"id", "value", "unit", "assumption", "justification"},
            "band_sigma_derivation": {"formula", "parts", "result", "thin", "loo_mape_pct"},
            "band_sigma_derivation.parts": {"fit", "range", "tau", "loso"},
        },
    ),
    "benchmarks-fit": (
        ["benchmarks", "--fit"],
        {
            "": {
                "schema",
                "fitted_on",
                "shape",
                "curves",
                "role_scale",
                "residuals",
                "mape_pct",
                "leave_one_source_out",
                "leave_one_source_out_mape_pct",
                "loso_bound",
                "sigma",
                "tau",
                "tau_method",
                "tau_reference_weight",
                "s_unit",
                "source_effects",
                "trends",
                "ai_premium",
            },
            "curves[]": {"region", "a", "b", "tau"},
            "source_effects[]": {"source", "effect", "points", "weight"},
            "trends[]": {"role", "rate", "method", "sources"},
            "ai_premium": {
                "estimate",
                "low",
                "high",
                "sources",
                "pairs",
                "tau",
                "tau_from_levels",
            },
            "residuals[]": {
                "band",
                "role",
                "region",
                "years",
                "observed",
                "fitted",
                "error_pct",
                "weight",
                "source",
            },
            "leave_one_source_out[]": {"source", "points", "predicted", "error", "note"},
            "sigma": {"fit", "range", "loso", "result", "thin"},
        },
    ),
    "benchmarks-sources": (
        ["benchmarks", "sources"],
        {
            "": {"schema", "sources"},
            "sources[]": {
                "id",
                "title",
                "publisher",
                "date",
                "recorded",
                "url",
                "note",
                "via",
                "figures",
            },
        },
    ),
    "profile": (["profile", "show", "me"], {**PROFILE, "": {"schema", *PROFILE[""]}}),
    "profile-list": (
        ["profile", "list"],
        {"": {"schema", "path", "profiles"}, **nest("profiles[]", PROFILE)},
    ),
    "data-list": (
        ["data", "list"],
        {
            "": {"schema", "path", "observations", "missions"},
            "observations[]": OBSERVATION,
            "missions[]": {"id", "date", "client", "rate", "days", "note"},
        },
    ),
    "error": (["quote", "--role", "ai-engineer", "--years", "abc"], {"": ERROR}),
}

OBSERVATION_CSV = (
    "source_title,publisher,published,url,role,min_years,max_years,region,data_year,"
    "statistic,value,sample_size,fee_side,grade,quote\n"
    "My barometer,Acme,2026-10-01,https://example.com/b,ai-engineer,3,5,france,2026,"
    'median,700,120,client,A,"median 700"\n'
)
MISSIONS_CSV = "rate,days,client,date\n600,20,A,2026-11-01\n"


def objects_at(data: dict[str, Any], path: str) -> list[dict[str, Any]]:
    """Return the objects at a dotted path; `name[]` stands for each item of a list, and a
    null on the way leads nowhere."""
    found: list[Any] = [data]
    for part in filter(None, path.split(".")):
        name = part.removesuffix("[]")
        found = [o[name] for o in found if o.get(name) is not None]
        if part.endswith("[]"):
            found = [item for items in found for item in items]
    return found


@pytest.fixture
def stocked(runner, tmp_path):
    """A store holding one observation, one mission and a profile `me` that sells."""
    for name, text in (("obs.csv", OBSERVATION_CSV), ("missions.csv", MISSIONS_CSV)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert runner.invoke(app, ["data", "add", str(tmp_path / name)]).exit_code == 0
    saved = runner.invoke(app, ["profile", "save", "me", *PRICED])
    assert saved.exit_code == 0, saved.stderr


@pytest.mark.parametrize("kind", list(CONTRACT))
def test_each_kind_has_its_schema_and_pinned_keys(runner, stocked, kind):
    """Each --json kind carries `schema: tjm.<kind>/<its version>`, and every pinned object has
    exactly its pinned keys (each pinned path is present in the run)."""
    args, spec = CONTRACT[kind]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == (2 if kind == "error" else 0), result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == f"tjm.{kind}/{SCHEMAS[kind]}"
    for path, keys in spec.items():
        objects = objects_at(data, path)
        assert objects, f"{path or 'top level'}: not in this run"
        for obj in objects:
            assert set(obj) == keys, (path, set(obj) ^ keys)


def test_every_kind_is_pinned():
    """The kinds the code tags are exactly the kinds pinned here."""
    assert set(SCHEMAS) == set(CONTRACT)


def _sections() -> dict[str, str]:
    """Return docs/json.md's sections (## and ###) by their GitHub anchor."""
    parts = re.split(r"^#{2,3} ", DOCS.read_text(encoding="utf-8"), flags=re.MULTILINE)[1:]
    return {
        re.sub(r"[^\w\- ]", "", p.split("\n", 1)[0]).lower().replace(" ", "-"): p for p in parts
    }


def _code_words(text: str) -> set[str]:
    return {w for span in re.findall(r"`([^`]+)`", text) for w in re.findall(r"[\w-]+", span)}


def test_docs_describe_every_kind_and_key():
    """docs/json.md has a section per kind that names each of its top-level keys, itself or
    in a section it links to; every nested key pinned here is named in the document."""
    sections = _sections()
    everywhere = _code_words(DOCS.read_text(encoding="utf-8"))
    for kind, (_, spec) in CONTRACT.items():
        section = sections[re.sub(r"[^\w-]", "", f"tjm.{kind}/{SCHEMAS[kind]}")]
        linked = [sections[a] for a in re.findall(r"\]\(#([\w-]+)\)", section)]
        assert spec[""] - _code_words(section + "".join(linked)) == set(), kind
        for path, keys in spec.items():
            assert keys - everywhere == set(), (kind, path)


def test_only_a_command_with_json_answers_a_failure_in_json(runner, tmp_path):
    """A failure prints the tjm.error object only where the command takes --json; `tjm batch`
    (which has --format instead) refuses --json with its Error: line alone."""
    roster = tmp_path / "r.csv"
    roster.write_text("role,years\n", encoding="utf-8")
    refused = runner.invoke(app, ["batch", str(roster), "--json"])
    assert (refused.exit_code, refused.stdout) == (2, "")
    failed = runner.invoke(app, ["profile", "list", "--json", "--bad"])
    assert json.loads(failed.stdout)["code"] == "bad-usage"
