"""Roster input: duplicated headers, long fields, unclosed quotes; every error names its line."""

import csv
import importlib.util
import io
from pathlib import Path

import pytest

from tjm.cli import app
from tjm.errors import TjmError
from tjm.roster import read

from .test_batch import run as price_text


def run(text: str):
    """Price a roster given as text; return (output rows, bad rows reported)."""
    out, bad = price_text(text)
    return list(csv.DictReader(io.StringIO(out))), bad


def test_duplicated_header_is_a_file_error(runner, tmp_path):
    """name,role,years,years exits 1 with one line naming the column and both positions."""
    roster = tmp_path / "r.csv"
    roster.write_text("name,role,years,years\nA,ai-engineer,3,40\n")
    result = runner.invoke(app, ["batch", str(roster)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: {roster}:1: column 'years' appears twice (columns 3 and 4); rename or remove one\n"
    )


def test_long_field_is_one_bad_row():
    """A field over the csv limit on line 3 is one bad row naming its column; the rest is kept."""
    rows, bad = run(
        "name,role,years\nA,ai-engineer,3\nB," + "x" * 200_000 + ",3\nC,ai-engineer,4\n"
    )
    assert bad == [(3, "column role: a field of 200,000 characters, over the limit of 131,072")]
    assert [(r["name"], bool(r["error"])) for r in rows] == [("A", False), ("", True), ("C", False)]


def test_unreadable_line_is_one_bad_row():
    """A line the csv reader rejects (a field beyond its hard limit) costs one row."""
    rows, bad = run(
        'name,role,years\nA,ai-engineer,3\nB,"'
        + "x" * (read.READ_LIMIT + 1)
        + '",3\nC,ai-engineer,4\n'
    )
    assert [line for line, _ in bad] == [3]
    assert "a field over the limit of 131,072 characters" in bad[0][1]  # the documented limit
    assert [r["name"] for r in rows if not r["error"]] == ["A", "C"]


def test_unclosed_quote_names_where_it_opened(runner, tmp_path):
    """An unterminated quote is one file error naming the line and column where it opened."""
    roster = tmp_path / "r.csv"
    roster.write_text(
        'name,role,years\nA,ai-engineer,3\n"B,ai-engineer,3\nC,ai-engineer,4\nD,ai-engineer,5\n'
    )
    result = runner.invoke(app, ["batch", str(roster)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(
        f"Error: {roster}:3: column name: a quoted field opens on line 3 and runs to line 5;"
    )
    assert result.stderr.count("\n") == 1


def test_quote_closing_later_does_not_swallow_rows():
    """A stray quote that closes rows later is an error, never a silent loss of the rows."""
    with pytest.raises(TjmError, match=r"r\.csv:3: column years: a quoted field opens on line 3"):
        run('name,role,years\nA,ai-engineer,3\nB,ai-engineer,"3\nC,ai-engineer,4\nD,x",5\n')


def test_multiline_note_is_a_row_with_its_first_line():
    """A well-formed quoted note over two lines is one row; later rows keep their own lines."""
    rows, bad = run('name,role,years,notes\nA,ai-engineer,3,"two\nlines"\nB,wizard,3,\n')
    assert rows[0]["notes"] == "two\nlines"
    assert not rows[0]["error"]
    assert bad == [(4, "column role: unknown role 'wizard'")]


def _bad_rows_module():
    path = Path(__file__).parent.parent / "perf" / "bad_rows.py"
    spec = importlib.util.spec_from_file_location("bad_rows", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_bad_row_reported_exactly(tmp_path):
    """20,000 rows with 5% bad rows of every kind: exactly those lines are reported, in full."""
    bad_rows = _bad_rows_module()
    roster = tmp_path / "roster.csv"
    expected = bad_rows.write_roster(roster, 20_000)
    assert len(expected) > 800
    bad_rows.check(roster, expected, 20_000)


def test_bad_records_keep_chunks_bounded(monkeypatch):
    """Unreadable and over-long rows at chunk edges are each one bad row; no chunk overflows."""
    monkeypatch.setattr(read, "CHUNK_ROWS", 2)
    monkeypatch.setattr(read, "READ_LIMIT", 1_000)
    monkeypatch.setattr(read, "FIELD_LIMIT", 500)
    text = (
        "name,role,years\nA,ai-engineer,3\nB,"
        + "x" * 2_000
        + ",3\nC,"
        + "y" * 700
        + ",3\nD,ai-engineer,4\nE,ai-engineer,5\n"
    )
    previous = csv.field_size_limit(1_000)
    try:
        sizes = [len(r.lines) for r in read.read_chunks(io.StringIO(text), "r.csv", ("role",))]
        rows, bad = run(text)
    finally:
        csv.field_size_limit(previous)
    assert max(sizes) <= 2
    assert sum(sizes) == 5
    assert [line for line, _ in bad] == [3, 4]
    assert "a field over the limit of 500 characters" in bad[0][1]  # FIELD_LIMIT, as patched
    assert bad[1][1].startswith("column role: a field of 700 characters")
    assert [r["name"] for r in rows if not r["error"]] == ["A", "D", "E"]
