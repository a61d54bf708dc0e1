"""tjm batch's fast paths give what the slow ones give: numbers, split chunks, written text."""

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tjm.errors import InputError
from tjm.fields import column, parse_value
from tjm.roster import codes, columns, read, write

from .test_batch import run

NUMBER_CELLS = st.one_of(
    st.from_regex(r"\s?[0-9]{1,6}(\.[0-9]{0,4})?\s?", fullmatch=True),
    st.sampled_from(
        [
            "50 000",
            "2,5",
            "1.500",
            "1,000",
            "0",
            "0.0",
            "-0",
            "00.5",
            "12.",
            ".5",
            "1e3",
            "nan",
            "inf",
            "٣",
            "50k",
            "600 €",
            "1_000",
            "+5",
            "10000",
            "10000.01",
            "50.001",
            "",
            "  ",
        ]
    ),
    st.text(alphabet="0123456789.,_ -+eEk€%٣\t", max_size=8),
)


def reference(key: str, cell: str) -> float | str:
    """What a cell reads as through tjm.fields alone, as the per-cell parser always did."""
    try:
        return float(parse_value(key, cell.strip()))  # type: ignore[arg-type]
    except InputError as exc:
        return exc.labelled(column)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["years", "rate"]), NUMBER_CELLS.filter(lambda c: c.strip() != ""))
def test_fast_numbers_agree_with_parse_value(key, cell):
    """Every non-empty cell reads as the same number, or the same reason, as parse_value."""
    assert columns.read_cell_number(key, cell) == reference(key, cell)


def test_plain_numbers_skip_parse_value(monkeypatch):
    """Plain numbers in range never reach parse_value; other texts still do."""

    def refuse(key, text):
        raise AssertionError(f"parse_value called for {text!r}")

    monkeypatch.setattr(columns, "parse_value", refuse)
    assert columns.read_cell_number("years", " 12.5 ") == 12.5
    assert columns.read_cell_number("rate", "550.25") == 550.25
    with pytest.raises(AssertionError):
        columns.read_cell_number("rate", "1.500")  # ambiguous: parse_value words the reason


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6) | st.just(float("nan")), max_size=60), st.sampled_from([0, 2]))
@example([0.125, 0.375, 2.675, 1.005, -0.0, -0.001, 1e12, 5e5], 2)
def test_texts_match_format(values, digits):
    """Numbers are written from a table exactly as an f-string writes each one."""
    got = write._texts(np.array(values, dtype=float), digits).tolist()
    assert got == ["" if v != v else f"{v:.{digits}f}" for v in values]


def test_texts_match_format_near_halves():
    """Percentiles with three decimals, half of them a hair off a half, are written as an
    f-string writes them (1.115 is stored just under 1.115, but times 100 gives 111.5)."""
    values = np.arange(100_001) / 1000
    got = write._texts(values, 2).tolist()
    assert got == [f"{v:.2f}" for v in values.tolist()]


ROLES = ["ai-engineer", "data-scientist", "wizard", "", " ai-engineer "]
CELL = st.text(alphabet="abcé北 ;-_.0123456789\0", max_size=12)
ROW = st.one_of(
    st.tuples(
        CELL,
        st.sampled_from(ROLES),
        NUMBER_CELLS,
        st.sampled_from(["", "idf", "abroad", "mars", " france"]),
        st.sampled_from(["", "rag", "rag;nlp", " llm ; nlp", "cobol", "rag;" + "x" * 70]),
        NUMBER_CELLS,
        CELL,
    ).map(",".join),
    st.lists(CELL, max_size=9).map(",".join),  # any number of cells, blank lines included
    st.sampled_from([" , , ,", "\t", "A,ai-engineer,3,,,,", "é," * 6 + "é"]),
)


def run_both(text: str) -> tuple[str, str, list[tuple[int, str]]]:
    """Price a roster as csv and as json; return both outputs and the bad rows reported."""
    as_csv, bad = run(text)
    return as_csv, run(text, "json")[0], bad


@settings(max_examples=150, deadline=None)
@given(st.lists(ROW, max_size=12), st.sampled_from(["\n", "\r\n"]), st.sampled_from([2, 5, 50]))
def test_split_chunks_read_and_write_as_the_csv_module_does(rows, end, size):
    """A roster without quotes prices to the same bytes and bad rows as through the csv module."""
    text = end.join(["name,role,years,region,skills,rate,notes", *rows]) + end
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(read, "CHUNK_ROWS", size)
        fast = run_both(text)
        patch.setattr(read, "_split", lambda *args: None)
        assert run_both(text) == fast


def test_split_chunks_are_taken():
    """A roster without quotes is split at its commas; one with a quote goes to the csv module."""
    header = ["name", "role", "years"]
    plain = read._split(["A,ai-engineer,3\n", "B,x,4\n"], 2, header, ("role",))
    assert plain is not None
    assert plain.texts == ["A,ai-engineer,3", "B,x,4"]
    role = plain.columns["role"]
    assert [role.values[c] for c in role.codes] == ["ai-engineer", "x"]
    assert read._split(['"A",ai-engineer,3\n'], 2, header, ("role",)) is None


def test_colliding_keys_are_told_apart(monkeypatch):
    """Cells whose keys collide are still coded by their text (the check behind the keys)."""
    monkeypatch.setattr(codes, "_MIX", 0)  # the key is then only a cell's last 8 bytes
    roles = ["aaaaaaaa-x", "bbbbbbbb-x", "a", "a\0", "aaaaaaaa-x"]
    lines = [f"{i},{role},{i}\n" for i, role in enumerate(roles)]
    records = read._split(lines, 2, ["name", "role", "years"], ("role",))
    assert records is not None
    role = records.columns["role"]
    assert [role.values[c] for c in role.codes] == roles
