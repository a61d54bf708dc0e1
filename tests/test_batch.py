"""tjm batch: vectorised roster pricing equals the one-row quote; bad rows in both modes."""

import csv
import datetime as dt
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tjm.cli import app
from tjm.inputs import QuoteInputs
from tjm.market.model import default_model
from tjm.market.quote import price_quote
from tjm.roster import read
from tjm.roster.price import price_roster

from .strategies import regions, roles, skill_sets

TODAY = dt.date.today()


def run(text: str, fmt: str = "csv", strict: bool = False):
    """Price a roster given as text; return (output text, bad rows reported)."""
    out, bad = io.StringIO(), []
    price_roster(
        default_model(),
        io.StringIO(text),
        out,
        fmt,
        strict,
        TODAY,
        lambda line, reason: bad.append((line, reason)),
        name="r.csv",
    )
    return out.getvalue(), bad


rows = st.lists(
    st.tuples(
        roles,
        st.floats(0, 50),
        regions,
        skill_sets,
        st.none() | st.floats(1, 10_000).map(lambda r: round(r, 2)),
    ),  # cents
    min_size=1,
    max_size=30,
)


@settings(max_examples=40, deadline=None)
@given(rows)
def test_batch_equals_one_row_quotes(roster):
    """Every priced row equals the one-row quote for the same inputs."""
    lines = ["name,role,years,region,skills,rate"]
    for i, (role, years, region, skills, rate) in enumerate(roster):
        lines.append(
            f"p{i},{role},{years!r},{region},{';'.join(sorted(skills))},"
            f"{'' if rate is None else repr(rate)}"
        )
    out, bad = run("\n".join(lines) + "\n")
    assert bad == []
    for row, (role, years, region, skills, rate) in zip(
        csv.DictReader(io.StringIO(out)), roster, strict=True
    ):
        q = price_quote(QuoteInputs(role, years, region, tuple(sorted(skills)), rate), TODAY)
        assert float(row["target"]) == q.target
        # The band is written in whole euros, the same ones a quote shows.
        assert (row["p25"], row["p50"], row["p75"]) == tuple(
            f"{v:.0f}" for v in (q.band.p25, q.band.p50, q.band.p75)
        )
        if rate is None:
            assert (row["percentile"], row["verdict"]) == ("", "")
        else:
            assert q.position is not None
            assert float(row["percentile"]) == pytest.approx(q.position.percentile, abs=0.006)
            assert row["verdict"] == q.position.verdict


BAD_ROSTER = (
    "\ufeffname,role,years,region,skills,rate\r\n"
    '"Doe, Jane",ai-engineer,5,idf,rag;nlp,550\r\n'
    "Short,ai-engineer\r\n"
    "Carl,wizard,3,,,\r\n"
    "Bob,data-scientist,abc,,,\r\n"
    "\r\n"
    "Dan,data-engineer,2,abroad,,300\r\n"
    "Eve,ai-engineer,3,mars,,\r\n"
    "Fay,ai-engineer,3,,cobol,\r\n"
    "Gus,ai-engineer,300,,,\r\n"
    "Hal,ai-engineer,3,,,-5\r\n"
    "Ivy,ai-engineer,nan,,,\r\n"
)
EXPECTED_BAD = [
    (3, "column years: missing"),
    (4, "column role: unknown role 'wizard'"),
    (5, "column years: expected a number from 0 to 50, got 'abc'"),
    (8, "column region: unknown region 'mars'"),
    (9, "column skills: unknown skill 'cobol'"),
    (10, "column years: expected a number from 0 to 50"),
    (11, "column rate: expected a number more than 0"),
    (12, "column years: expected a number from 0 to 50, got 'nan'"),
]


def test_bad_rows_by_default(tmp_path):
    """By default each bad row is reported with its line and gets an error; the rest is priced.

    The file has a BOM, Windows line ends, a quoted field with a comma and a blank line.
    """
    out, bad = run(BAD_ROSTER.removeprefix("\ufeff"))
    assert [
        (line, reason[: len(want)])
        for (line, reason), (_, want) in zip(bad, EXPECTED_BAD, strict=True)
    ] == EXPECTED_BAD
    assert [line for line, _ in bad] == [line for line, _ in EXPECTED_BAD]
    priced = list(csv.DictReader(io.StringIO(out)))
    assert [r["name"] for r in priced if not r["error"]] == ["Doe, Jane", "Dan"]
    assert len(priced) == 10  # the blank line is skipped, every other row is kept
    assert all(r["target"] == "" for r in priced if r["error"])


def test_strict_stops_at_the_first_bad_row(runner, tmp_path):
    """--strict fails on the first bad row, naming its line, and writes nothing."""
    roster = tmp_path / "r.csv"
    roster.write_bytes(BAD_ROSTER.encode("utf-8"))
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["batch", str(roster), "--strict", "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {roster}:3: column years: missing (2 of 6 fields)"
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [roster]
    to_stdout = runner.invoke(app, ["batch", str(roster), "--strict"])
    assert to_stdout.exit_code == 1
    assert to_stdout.stdout == ""


def test_cli_reads_bom_and_crlf_and_reports_on_stderr(runner, tmp_path):
    """tjm batch reads a BOM file with CRLF, reports bad rows on stderr, and exits 0."""
    roster = tmp_path / "r.csv"
    roster.write_bytes(BAD_ROSTER.encode("utf-8"))
    result = runner.invoke(app, ["batch", str(roster)])
    assert result.exit_code == 0
    assert f"{roster}:4: column role: unknown role 'wizard'" in result.stderr
    assert "Priced 2 of 10 rows; 8 bad." in result.stderr
    header = result.stdout.splitlines()[0]
    assert header.startswith("name,role,years")  # no BOM carried into the output
    assert header.endswith("target,p25,p50,p75,percentile,verdict,floor,error")


def test_json_format(runner, tmp_path):
    """--format json gives a list of objects with numbers for the prices."""
    roster = tmp_path / "r.csv"
    roster.write_text("name,role,years\nA,ai-engineer,4\nB,x,1\n")
    data = json.loads(runner.invoke(app, ["batch", str(roster), "--format", "json"]).stdout)
    assert data[0]["target"] == price_quote(QuoteInputs("ai-engineer", 4), dt.date.today()).target
    assert data[0]["error"] is None
    assert data[1]["error"] == "column role: unknown role 'x'"


def test_output_file_is_atomic_and_not_overwritten(runner, tmp_path):
    """-o writes the file; an existing one needs --force and is otherwise left alone."""
    roster = tmp_path / "r.csv"
    roster.write_text("role,years\nai-engineer,4\n")
    out = tmp_path / "out.csv"
    assert runner.invoke(app, ["batch", str(roster), "-o", str(out)]).exit_code == 0
    target = price_quote(QuoteInputs("ai-engineer", 4), dt.date.today()).target
    assert out.read_text().splitlines()[1].startswith(f"ai-engineer,4,{target:.0f},")
    out.write_text("keep me")
    again = runner.invoke(app, ["batch", str(roster), "-o", str(out)])
    assert again.exit_code == 2
    assert "--force" in again.stderr
    assert out.read_text() == "keep me"
    assert runner.invoke(app, ["batch", str(roster), "-o", str(out), "--force"]).exit_code == 0
    assert out.read_text().startswith("role,years,target")


def test_floor_column(tmp_path):
    """Rows with a target_net get their floor; others leave it empty."""
    out, bad = run(
        "role,years,target_net,status\nai-engineer,5,50000,\nai-engineer,5,,\n"
        "ai-engineer,5,50000,sarl\n"
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["floor"] == "452"
    assert rows[1]["floor"] == ""
    assert bad == [
        (
            4,
            "column status: expected one of micro-bnc, micro-bnc-cipav, ei, "
            "eurl-ir, eurl-is, sasu, portage, custom, got 'sarl'",
        )
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        ("name,region\nA,idf\n", "the header has no role or years column"),
    ],
)
def test_unreadable_rosters(runner, tmp_path, text, message):
    """An empty file or a header without role and years exits 1 with one line."""
    roster = tmp_path / "r.csv"
    roster.write_text(text)
    result = runner.invoke(app, ["batch", str(roster)])
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_format_and_missing_file(runner, tmp_path):
    """An unknown --format exits 2; a missing roster exits 1."""
    assert runner.invoke(app, ["batch", "x.csv", "--format", "xml"]).exit_code == 2
    missing = runner.invoke(app, ["batch", str(tmp_path / "none.csv")])
    assert missing.exit_code == 1
    assert "No such file" in missing.stderr


def test_chunk_boundaries(monkeypatch):
    """Rosters of exactly one chunk, and header-only rosters, price without error."""
    monkeypatch.setattr(read, "CHUNK_ROWS", 2)
    out, bad = run("role,years\nai-engineer,4\ndata-scientist,2\n")
    assert bad == []
    assert len(out.splitlines()) == 3
    out, _ = run("role,years\n")
    assert out == "role,years,target,p25,p50,p75,percentile,verdict,floor,error\n"


def test_batch_verdict_at_the_printed_p25():
    """A roster rate equal to its row's printed P25 is in-band; one euro less is under-priced."""
    first, _ = run("role,years\ndata-scientist,3\n")
    p25 = int(next(csv.DictReader(io.StringIO(first)))["p25"])
    out, _ = run(f"role,years,rate\ndata-scientist,3,{p25}\ndata-scientist,3,{p25 - 1}\n")
    verdicts = [row["verdict"] for row in csv.DictReader(io.StringIO(out))]
    assert verdicts == ["in-band", "under-priced"]
