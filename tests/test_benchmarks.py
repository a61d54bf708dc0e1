"""The packaged dataset: every published figure by value, and the loader's refusals."""

import math
import re

import pytest

from tjm.dataset.load import dataset_text, load_dataset
from tjm.dataset.parse import parse_dataset
from tjm.errors import DataError
from tjm.market.observations import load_market


@pytest.fixture(scope="module")
def data():
    return load_dataset()


# (label, getter, expected): each figure as its source publishes it, copied by hand from the
# pages benchmarks.toml cites (Journal du Net and freelance-informatique.fr on Malt Trends 2024,
# IT for Business, Data News on Malt Tech Trends 2025, ABC Portage, Club Freelance, beta.gouv.fr,
# Malt's help centre, Code du travail L3121-66).
PUBLISHED_FIGURES = [
    ("500 EUR mid-level AI engineer", lambda d: d.threshold.value, 500),
    ("RAG demand (JDN)", lambda d: d.skills["rag"].demand_growth, 3.00),
    ("RAG supply (JDN)", lambda d: d.skills["rag"].supply_growth, 2.00),
    (
        "RAG postings (freelance-informatique)",
        lambda d: d.skills["rag"].alternatives[0].value,
        2.00,
    ),
    ("AI projects >+300%", lambda d: d.figures["ai-projects-growth"].value, 3.00),
    ("AI projects ×4", lambda d: d.figures["ai-projects-multiple"].value, 4),
    ("transformers/GPT demand", lambda d: d.skills["llm"].demand_growth, 0.75),
    ("transformers/GPT supply", lambda d: d.skills["llm"].supply_growth, 12.00),
    ("NLP demand", lambda d: d.skills["nlp"].demand_growth, 0.66),
    ("NLP supply", lambda d: d.skills["nlp"].supply_growth, 0.90),
    ("computer vision demand", lambda d: d.skills["computer-vision"].demand_growth, 0.14),
    ("computer vision supply", lambda d: d.skills["computer-vision"].supply_growth, 0.37),
    ("banking in-house AI", lambda d: d.figures["banking-inhouse-ai-growth"].value, 0.44),
    ("IT for Business AI missions", lambda d: d.figures["itfb-ai-missions-growth"].value, 0.42),
    (
        "IT for Business AI freelancers",
        lambda d: d.figures["itfb-ai-freelancers-growth"].value,
        0.28,
    ),
    (
        "IT for Business GenAI missions",
        lambda d: d.figures["itfb-genai-missions-growth"].value,
        3.00,
    ),
    (
        "MTT 2025 AI projects demand",
        lambda d: d.figures["mtt2025-ai-projects-demand-growth"].value,
        2.30,
    ),
    ("MTT 2025 AI freelancers", lambda d: d.figures["mtt2025-ai-freelancers-growth"].value, 0.31),
    ("MTT 2025 LLM demand", lambda d: d.figures["mtt2025-llm-demand-growth"].value, 4.00),
    ("ABC Portage direct", lambda d: d.figures["abc-portage-ds-direct"].value, 445),
    ("ABC Portage intermediary", lambda d: d.figures["abc-portage-ds-intermediary"].value, 428),
    ("ABC Portage on-call", lambda d: d.figures["abc-portage-on-call-premium"].value, 0.12),
    ("Club Freelance Paris share", lambda d: d.figures["club-freelance-paris-share"].value, 0.677),
    ("national mix Paris weight", lambda d: dict(d.regions["france"].mix)["idf"], 0.677),
    ("beta.gouv low", lambda d: d.figures["beta-gouv-experienced-dev-low"].value, 550),
    (
        "beta.gouv recommended",
        lambda d: d.figures["beta-gouv-experienced-dev-recommended"].value,
        600,
    ),
    ("beta.gouv high", lambda d: d.figures["beta-gouv-experienced-dev-high"].value, 700),
    ("working days", lambda d: d.billable_days.working_days, 253),
    ("holidays", lambda d: d.billable_days.holidays, 25),
    ("sick days", lambda d: d.billable_days.sick_days, 4),
    ("prospecting/admin days", lambda d: d.billable_days.non_billable_days, 45),
    ("billable days", lambda d: d.billable_days.total, 179),
    ("Malt minimum rate", lambda d: d.figures["malt-minimum-rate"].value, 125),
    (
        "Malt minimum-rate contributions",
        lambda d: d.figures["malt-minimum-rate-contributions"].value,
        0.246,
    ),
    ("Malt minimum-rate expenses", lambda d: d.figures["malt-minimum-rate-expenses"].value, 3000),
    ("forfait jours reference", lambda d: d.figures["forfait-jours-reference"].value, 218),
    ("forfait jours legal max", lambda d: d.figures["forfait-jours-legal-max"].value, 235),
]

FREE_WORK_DS = {
    "lt1": (316, 322, 215),
    "1-2": (387, 353, 261),
    "3-4": (508, 400, 366),
    "5-10": (607, 535, 526),
    "11-15": (645, 529, 681),
    "gt15": (722, 667, 866),
}


@pytest.mark.parametrize(
    ("label", "get", "expected"), PUBLISHED_FIGURES, ids=[f[0] for f in PUBLISHED_FIGURES]
)
def test_published_figure_is_in_the_dataset(data, label, get, expected):
    """Each published figure is in the dataset with the value its source gives."""
    assert get(data) == pytest.approx(expected)


FW_BANDS = {"lt1": 0, "1-2": 1, "3-4": 3, "5-10": 5, "11-15": 11, "gt15": 16}


@pytest.mark.parametrize("band", FREE_WORK_DS)
def test_free_work_data_scientist_row(band):
    """Each row of Free-Work's data scientist table, as Intechnia quotes it, is in the
    observations."""
    found = {
        o.region: o.value
        for o in load_market().observations
        if o.source == "free-work-intechnia"
        and o.role == "data-scientist"
        and o.min_years == FW_BANDS[band]
    }
    assert tuple(found[r] for r in ("idf", "other-city", "abroad")) == FREE_WORK_DS[band]


def test_free_work_data_engineer_row():
    """Free-Work's data engineer < 1 year row (296 / 284 / 320) is in the observations."""
    found = {
        o.region: o.value
        for o in load_market().observations
        if o.source == "free-work-intechnia" and o.role == "data-engineer"
    }
    assert found == {"idf": 296, "other-city": 284, "abroad": 320}


def test_every_figure_names_a_known_source_with_date(data):
    """Every source has a date, and a URL or a note saying why there is none."""
    for source in data.sources.values():
        assert source.date
        assert source.url or source.note or source.via, source.id


def test_model_parameters_are_labelled_assumptions(data):
    """Each model parameter no source gives is marked as an assumption with a reason."""
    for parameter in data.parameters.values():
        assert parameter.assumption is True
        assert len(parameter.justification) > 20


def test_rag_records_both_readings_and_the_choice(data):
    """RAG keeps JDN's split and freelance-informatique's postings, and says which is used."""
    rag = data.skills["rag"]
    assert rag.source == "jdn-2024-05"
    assert rag.alternatives[0].source == "freelance-informatique-2024-05"
    assert rag.alternatives[0].used is False
    assert "JDN" in rag.choice


def test_transformers_supply_outgrows_demand(data):
    """llm's tightness is negative: +75% demand against +1200% supply."""
    assert data.skills["llm"].tightness == pytest.approx(math.log(1.75 / 13))


def _broken(old: str, new: str) -> str:
    text = dataset_text()
    assert old in text, old
    return text.replace(old, new, 1)


BROKEN = [
    ("not TOML", lambda: dataset_text() + "\n[[[", r"not valid TOML"),
    ("version missing", lambda: _broken('version = "2026.2"', ""), r"dataset\.version: missing"),
    (
        "schema 1",
        lambda: _broken("schema_version = 2", "schema_version = 1"),
        r"dataset\.schema_version: expected 2 .*migrate_tables",
    ),
    (
        "as_of not a date",
        lambda: _broken("as_of = 2026-12-07", 'as_of = "soon"'),
        r"dataset\.as_of",
    ),
    (
        "threshold text",
        lambda: _broken("value = 500\n", 'value = "500"\n'),
        r"threshold\.value: expected a number",
    ),
    (
        "unknown source",
        lambda: _broken('source = "jdn-2024-05"\nchoice', 'source = "nope"\nchoice'),
        r"skills\.rag\.source: unknown source 'nope'",
    ),
    (
        "mix does not add up",
        lambda: _broken("other-city = 0.323", "other-city = 0.5"),
        r"regions\.france\.mix",
    ),
    ("days do not add up", lambda: _broken("total = 179", "total = 180"), r"billable_days\.total"),
    (
        "parameter missing",
        lambda: _broken("[parameters.stale_after_months]", "[parameters.other]"),
        r"parameters\.stale_after_months: missing",
    ),
    (
        "assumption not a bool",
        lambda: _broken(
            'assumption = true\njustification = "Mid', 'assumption = "yes"\njustification = "Mid'
        ),
        r"parameters\.reference_years\.assumption: expected true or false",
    ),
    (
        "http URL",
        lambda: _broken('url = "https://www.journaldunet', 'url = "http://www.journaldunet'),
        r"sources\.jdn-2024-05\.url",
    ),
]


@pytest.mark.parametrize(("case", "make", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_dataset_names_the_key(case, make, message):
    """A malformed dataset raises DataError whose message names the key at fault."""
    with pytest.raises(DataError, match=message):
        parse_dataset(make())


def test_load_dataset_from_a_path(tmp_path):
    """load_dataset reads another file and names it in errors."""
    path = tmp_path / "copy.toml"
    path.write_text(_broken("total = 179", "total = 1"), encoding="utf-8")
    with pytest.raises(DataError, match=re.escape(str(path))):
        load_dataset(path)
