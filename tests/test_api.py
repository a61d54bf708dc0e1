"""tjm.api, the library: the same answers as the commands' --json, the same rules for bad
input (an InputError naming the parameter), rosters in three shapes, and docs/api.md runs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import tjm
from tjm.cli import app

DOCS = Path(__file__).parent.parent / "docs" / "api.md"

QUOTES = [
    (["ai-engineer", 5], {}),
    (["data-scientist", 3, "idf", ["rag"]], {"target_net": 50_000}),
    (["data-engineer", 8, "other-city"], {"status": "sasu", "target_net": 70_000}),
    (["ai-engineer", 2, "france", ["llm", "nlp"], 450], {"channel": "malt"}),
    (["data-scientist", 6], {"target_net": 60_000, "days_per_week": 4, "channel": "esn"}),
    (["ai-engineer", 4], {"target_net": 55_000, "clients": ["A:600:100", "B:450:40"]}),
]


def flags_of(args: list[Any], options: dict[str, Any]) -> list[str]:
    """Return the command line that says what the API call says."""
    role, years, *rest = args
    line = ["--role", role, "--years", str(years)]
    names = ["--region", "--skill", "--rate"]
    for name, value in zip(names, rest, strict=False):
        for one in value if isinstance(value, list) else [value]:
            line += [name, str(one)]
    for key, value in options.items():
        flag = {"clients": "--client"}.get(key, "--" + key.replace("_", "-"))
        for one in value if isinstance(value, list) else [value]:
            line += [flag, str(one)]
    return line


def cli_json(runner, args: list[str]) -> dict[str, Any]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.mark.parametrize(("args", "options"), QUOTES)
def test_quote_json_is_the_api_quote(runner, args, options):
    """`tjm quote ... --json` prints exactly `tjm.quote(...).to_dict()`, schema included."""
    assert (
        cli_json(runner, ["quote", *flags_of(args, options)])
        == tjm.quote(*args, **options).to_dict()
    )


@pytest.mark.parametrize(("args", "options"), QUOTES[:4])
def test_compare_json_is_the_api_compare(runner, args, options):
    """`tjm compare RATE ... --json` prints exactly `tjm.compare(RATE, ...).to_dict()`."""
    role_years = args[:2]
    region = args[2:3]
    line = ["compare", "480", *flags_of(role_years + region, options)]
    assert cli_json(runner, line) == tjm.compare(480, *role_years, *region, **options).to_dict()


FLOORS = [
    {"target_net": 50_000},
    {"target_net": 60_000, "status": "sasu"},
    {"target_net": 45_000, "status": "eurl-is", "salary_share": 60, "days": 180},
    {"target_net": 40_000, "status": "portage", "channel": "portage"},
    {"target_net": 55_000, "household": "couple", "children": 2, "status": "ei"},
    {"target_net": 50_000, "channel": "malt", "long_mission_months": 12, "discount": 10},
]


@pytest.mark.parametrize("options", FLOORS)
def test_floor_json_is_the_api_floor(runner, options):
    """`tjm floor ... --json` prints exactly `tjm.floor(...).to_dict()`."""
    line = ["floor", *flags_of(["x", 0], options)[4:]]
    assert cli_json(runner, line) == tjm.floor(**options).to_dict()


@pytest.mark.parametrize(
    "options",
    [
        {"target_net": 60_000},
        {"rate": 600},
        {"rate": 700, "channel": "malt"},
        {"target_net": 45_000, "days": 150},
    ],
)
def test_statuses_json_is_the_api_statuses(runner, options):
    """`tjm statuses ... --json` prints exactly `tjm.statuses(...).to_dict()`."""
    line = ["statuses", *flags_of(["x", 0], options)[4:]]
    assert cli_json(runner, line) == tjm.statuses(**options).to_dict()


@pytest.mark.parametrize(
    "options",
    [
        {"rate": 600},
        {"client_price": 750},
        {"rate": 500, "channel": "esn", "margin": 25},
        {"client_price": 333.33, "channel": "portage", "portage_fee": 8},
    ],
)
def test_channel_json_is_the_api_channels(runner, options):
    """`tjm channel ... --json` prints exactly `tjm.channels(...).to_dict()`."""
    line = ["channel", *flags_of(["x", 0], options)[4:]]
    assert cli_json(runner, line) == tjm.channels(**options).to_dict()


@pytest.mark.parametrize(
    ("call", "parameter", "code"),
    [
        (lambda: tjm.quote("ai-engineer", -3), "years", "out-of-range"),
        (lambda: tjm.quote("astronaut", 3), "role", "unknown-role"),
        (lambda: tjm.quote("ai-engineer", 3, "moon"), "region", "unknown-region"),
        (lambda: tjm.quote("ai-engineer", 3, skills=["cobol"]), "skill", "unknown-skill"),
        (lambda: tjm.floor(50_000, status="sasuu"), "status", "bad-choice"),
        (lambda: tjm.floor(float("nan")), "target_net", "out-of-range"),
        (lambda: tjm.quote("ai-engineer", "five"), "years", "bad-number"),  # type: ignore[arg-type]
        (lambda: tjm.quote("ai-engineer", 3, rates=500), "rates", "unknown-parameter"),
        (lambda: tjm.quote("ai-engineer", 3, lang="de"), "lang", "bad-choice"),
        (lambda: tjm.statuses(target_net=50_000, rate=500), "target_net", "conflicting-flags"),
        (lambda: tjm.floor(50_000, charges_rate=40), "charges_rate", "status-mismatch"),
    ],
)
def test_bad_input_raises_input_error_naming_the_parameter(call, parameter, code):
    """A bad value raises tjm.InputError whose message starts with the parameter's name, as
    the caller wrote it, with the same code the flag gets; never a wrong number."""
    with pytest.raises(tjm.InputError) as caught:
        call()
    named = str(caught.value).partition(": ")[0].split(", ")
    assert named[0] == parameter, str(caught.value)
    assert caught.value.code == code


def test_the_three_old_traps_are_refused():
    """The three inputs the core once took are refused: negative years (a target of −240),
    a misspelt status (a floor of 280 with no charges), an unknown role (a ValueError)."""
    for call in (
        lambda: tjm.quote("ai-engineer", -3),
        lambda: tjm.floor(50_000, status="sasuu"),
        lambda: tjm.quote("astronaut", 5),
    ):
        with pytest.raises(tjm.InputError):
            call()


def test_lang_speaks_for_one_call_only():
    """lang="fr" gives that call's messages in French, the figures unchanged, and the next
    call speaks English again."""
    french = tjm.quote("ai-engineer", 5, target_net=50_000, lang="fr").to_dict()
    english = tjm.quote("ai-engineer", 5, target_net=50_000).to_dict()
    assert french["target"] == english["target"]
    assert french["warnings"][0]["code"] == english["warnings"][0]["code"]
    assert french["warnings"][0]["message"] != english["warnings"][0]["message"]
    assert "\u00a0" in french["warnings"][0]["message"]  # French typography


ROWS = [
    {"name": "Ada", "role": "ai-engineer", "years": 6, "region": "idf", "skills": "rag;llm"},
    {"name": "Bob", "role": "data-scientist", "years": 2, "rate": 420, "target_net": 45_000},
    {"name": "Eve", "role": "astronaut", "years": 3},
]
ADDED = ["target", "p25", "p50", "p75", "percentile", "verdict", "floor", "error"]


def batch_rows(runner, tmp_path) -> list[dict[str, Any]]:
    """Price ROWS with `tjm batch --format json`, the reference."""
    path = tmp_path / "roster.csv"
    header = ["name", "role", "years", "region", "skills", "rate", "target_net"]
    lines = [",".join(header)] + [",".join(str(r.get(k, "")) for k in header) for r in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def test_price_roster_takes_a_list_of_dicts(runner, tmp_path):
    """A list of dicts comes back as a list of dicts with tjm batch's priced columns and
    values, the bad row with its reason in `error`."""
    priced = tjm.price_roster(ROWS)
    reference = batch_rows(runner, tmp_path)
    assert [{k: r[k] for k in ADDED} for r in priced] == [
        {k: r[k] for k in ADDED} for r in reference
    ]
    assert priced[2]["error"]
    assert priced[2]["target"] is None
    assert priced[0]["name"] == "Ada"


def test_price_roster_takes_a_dict_of_columns(runner, tmp_path):
    """A dict of columns comes back as a dict of columns, the same figures as the list."""
    columns = {
        k: [r.get(k) for r in ROWS]
        for k in ("name", "role", "years", "region", "skills", "rate", "target_net")
    }
    priced = tjm.price_roster(columns)
    rows = tjm.price_roster(ROWS)
    assert priced["name"] == ["Ada", "Bob", "Eve"]
    for key in ADDED:
        assert priced[key] == [r[key] for r in rows]


def test_price_roster_takes_a_dataframe():
    """A pandas DataFrame comes back as a DataFrame with the priced columns added."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(ROWS)
    priced = tjm.price_roster(frame)
    assert isinstance(priced, pd.DataFrame)
    assert list(priced.columns) == [*frame.columns, *ADDED]
    rows = tjm.price_roster(ROWS)
    assert priced["target"].tolist()[:2] == [r["target"] for r in rows][:2]
    assert priced["error"].tolist()[2] == rows[2]["error"]


def code_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)


@pytest.mark.parametrize("block", code_blocks())
def test_the_documented_examples_run(block, capsys):
    """Every Python block of docs/api.md runs as written."""
    if "pandas" in block:
        pytest.importorskip("pandas")
    exec(compile(block, str(DOCS), "exec"), {})
    assert capsys.readouterr().out.strip()


def test_the_docs_have_examples():
    """docs/api.md holds several runnable examples, so the test above has work to do."""
    assert len(code_blocks()) >= 5
