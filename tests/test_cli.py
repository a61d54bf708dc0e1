"""The CLI in-process: stdout, stderr and exit codes, for every command and bad input."""

import json

import pytest

from tjm import __version__
from tjm.cli import app
from tjm.dataset.load import load_dataset
from tjm.market.fit_points import fit_points
from tjm.market.observations import load_market

QUOTE = ["quote", "--role", "ai-engineer", "--years", "5", "--region", "idf", "--skill", "rag"]


def test_version(runner):
    """--version prints the package version."""
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"tjm {__version__}"


def test_help_lists_the_commands(runner):
    """--help lists quote, compare and benchmarks."""
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("quote", "compare", "benchmarks"):
        assert command in result.stdout


def test_benchmarks_text(runner):
    """tjm benchmarks shows the rate table, the skills with their trend, and the 500 mark."""
    result = runner.invoke(app, ["benchmarks"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "316" in out
    assert "866" in out
    assert "scarcer" in out
    assert "crowded" in out
    assert "500 EUR/day" in out
    assert result.stderr == ""


def test_benchmarks_json(runner):
    """tjm benchmarks --json is a stable object with observations, skills and reference years."""
    result = runner.invoke(app, ["benchmarks", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["dataset"]["version"] == "2026.2"
    assert data["reference_years"] == 4.0
    assert data["threshold"]["value"] == 500
    skills = {s["id"]: s for s in data["skills"]}
    assert skills["llm"]["trend"] == "crowded"
    assert skills["rag"]["trend"] == "scarcer"
    first = data["observations"][0]
    assert (first["role"], first["region"], first["value"], first["grade"]) == (
        "data-scientist",
        "idf",
        316,
        "B",
    )
    assert "\x1b[" not in result.stdout


def test_benchmarks_fit(runner):
    """benchmarks --fit --json: residuals and each source's held-out error, under the bound."""
    result = runner.invoke(app, ["benchmarks", "--fit", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert len(data["residuals"]) == len(fit_points(load_market()))
    measured = [e for e in data["leave_one_source_out"] if e["error"] is not None]
    assert measured
    assert all(e["error"] < data["loso_bound"] for e in measured)
    text = runner.invoke(app, ["benchmarks", "--fit"])
    assert "Each source: its effect" in text.stdout


def test_sources_text(runner):
    """tjm benchmarks sources lists each source's URL, date and figures."""
    result = runner.invoke(app, ["benchmarks", "sources"])
    assert result.exit_code == 0
    out = result.stdout
    assert "https://intechnia.fr/modop/freelancing/tjm" in out
    assert "2024-06-28" in out
    out = " ".join(out.split())  # undo the wrapping
    assert (
        "observation free-work-intechnia-16: data-scientist, 16+ years, idf, mean 722 "
        "EUR/day, grade B"
    ) in out


def test_sources_json(runner):
    """tjm benchmarks sources --json gives each source with its figures."""
    result = runner.invoke(app, ["benchmarks", "sources", "--json"])
    sources = {s["id"]: s for s in json.loads(result.stdout)["sources"]}
    assert sources["jdn-2024-05"]["url"].startswith("https://www.journaldunet.com/")
    assert any("rag" in line for line in sources["jdn-2024-05"]["figures"])


def test_every_source_has_a_figure(runner):
    """Every source of the dataset but pure aggregators (those with `via`) has at least one
    figure taken from it; the dataset's and the observations' sources share one shape."""
    result = runner.invoke(app, ["benchmarks", "sources", "--json"])
    sources = {s["id"]: s for s in json.loads(result.stdout)["sources"]}
    assert len({frozenset(s) for s in sources.values()}) == 1
    for sid, source in load_dataset().sources.items():
        assert sources[sid]["figures"] or source.via, sid


def test_quote_text(runner):
    """The human quote shows the target, band, verdict, chart and sources; with --details,
    the breakdown and the evidence ids too."""
    result = runner.invoke(app, [*QUOTE, "--rate", "650", "--details"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for needle in (
        "target",
        "P25",
        "in-band",
        "Why this rate",
        "scarcity",
        "jdn-2024-05",
        "◆",
        "●",
        "500 EUR mark",
    ):
        assert needle in out, needle


def test_quote_json_keys(runner):
    """tjm quote --json has the documented keys, and no colour."""
    result = runner.invoke(app, [*QUOTE, "--rate", "650", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    for key in (
        "target",
        "stretch",
        "band",
        "percentile",
        "verdict",
        "threshold",
        "breakdown",
        "warnings",
        "inputs",
        "dataset",
        "floor",
    ):
        assert key in data
    assert set(data["band"]) >= {"p25", "p50", "p75"}
    assert data["verdict"] == "in-band"
    assert data["threshold"]["value"] == 500
    assert data["threshold"]["delta"] == data["target"] - 500
    assert data["inputs"] == {
        "role": "ai-engineer",
        "years": 5.0,
        "region": "idf",
        "skills": ["rag"],
        "rate": 650.0,
    }
    assert {"factor", "multiplier", "explanation", "source"} <= set(data["breakdown"][1])
    assert data["dataset"]["version"] == "2026.2"
    assert "\x1b[" not in result.stdout


def test_quote_without_rate_has_no_verdict(runner):
    """Without --rate the JSON's percentile and verdict are null and the region defaults."""
    data = json.loads(
        runner.invoke(app, ["quote", "--role", "data-scientist", "--years", "2", "--json"]).stdout
    )
    assert data["percentile"] is None
    assert data["verdict"] is None
    assert data["inputs"]["region"] == "france"


def test_compare(runner):
    """tjm compare gives the percentile, verdict, band and gap, in text and JSON."""
    args = ["compare", "900", "--role", "data-scientist", "--years", "3"]
    text = runner.invoke(app, args)
    assert text.exit_code == 0
    assert "premium" in text.stdout
    assert "percentile" in text.stdout
    data = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    assert data["verdict"] == "premium"
    assert data["gap_to_median"] == pytest.approx(900 - data["band"]["p50"], abs=0.01)


BAD = [
    (
        ["quote", "--role", "ai-engineer", "--years", "200"],
        2,
        "--years: expected a number from 0 to 50, got '200'",
    ),
    (
        ["quote", "--role", "ai-engineer", "--years", "-1"],
        2,
        "--years: expected a number from 0 to 50",
    ),
    (
        ["quote", "--role", "ai-engineer", "--years", "nan"],
        2,
        "--years: expected a number from 0 to 50, got 'nan'",
    ),
    (
        ["quote", "--role", "ai-engineer", "--years", "inf"],
        2,
        "--years: expected a number from 0 to 50, got 'inf'",
    ),
    (["quote", "--role", "ai-engineer", "--years", "abc"], 2, "--years: expected a number"),
    (
        ["quote", "--role", "ai-engineer", "--years", "3", "--rate", "-5"],
        2,
        "--rate: expected a number more than 0",
    ),
    (
        ["quote", "--role", "ai-engineer", "--years", "3", "--rate", "abc"],
        2,
        "--rate: expected a number",
    ),
    (
        ["quote", "--role", "astronaut", "--years", "3"],
        1,
        "unknown role 'astronaut'; valid: ai-engineer, data-engineer, data-scientist",
    ),
    (
        ["quote", "--role", "ai-engineer", "--years", "3", "--region", "mars"],
        1,
        "unknown region 'mars'; valid: abroad, france, idf, other-city",
    ),
    (
        ["quote", "--role", "ai-engineer", "--years", "3", "--skill", "cobol"],
        1,
        "unknown skill 'cobol'",
    ),
    (["quote", "--years", "3"], 2, "missing --role"),
    (["quote"], 2, "missing --role and --years"),
    (["compare", "lots", "--role", "ai-engineer", "--years", "3"], 2, "RATE: expected a number"),
    (
        ["compare", "0", "--role", "ai-engineer", "--years", "3"],
        2,
        "RATE: expected a number more than 0",
    ),
]


@pytest.mark.parametrize(("args", "code", "message"), BAD, ids=[" ".join(b[0]) for b in BAD])
def test_bad_input_is_one_line_on_stderr(runner, args, code, message):
    """Bad input exits with its documented code and one 'Error:' line on stderr, no traceback."""
    result = runner.invoke(app, args)
    assert result.exit_code == code
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: ")
    assert message in lines[0]
    assert "Traceback" not in result.output
