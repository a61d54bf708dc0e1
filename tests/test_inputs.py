"""tjm.fields and tjm.inputs: numbers as people write them, ranges, and rules between fields."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tjm.errors import InputError, flag
from tjm.fields import FIELDS, check_value, column, parse_value
from tjm.france.checks import check_income
from tjm.inputs import IncomeInputs, merge_income

TODAY = dt.date(2026, 11, 27)


@pytest.mark.parametrize(
    ("key", "text", "value"),
    [
        ("target_net", "50000", 50_000),
        ("target_net", "50 000", 50_000),
        ("target_net", "50\u00a0000", 50_000),  # no-break space
        (
            "target_net",
            "50\u202f000",
            50_000,
        ),  # narrow no-break space, as French typesetting has it
        ("target_net", "50_000", 50_000),
        ("target_net", "50k", 50_000),
        ("target_net", "50 K", 50_000),
        ("target_net", "2,5k", 2_500),
        ("target_net", "50000 €", 50_000),
        ("target_net", "1,000,000", 1_000_000),
        ("target_net", "1.000.000", 1_000_000),
        ("target_net", "1 234,56", 1_234.56),
        ("target_net", "1.234,56", 1_234.56),
        ("target_net", "1,234.56", 1_234.56),
        ("target_net", "12,50", 12.5),
        ("rate", "550", 550),
        ("rate", "1234,56", 1_234.56),  # four digits before the mark: no thousands reading
        ("target_net", "-0", 0),
        ("years", "2,5", 2.5),
        ("years", "2.500", 2.5),  # not a money field: the mark is a decimal one
        ("years", " 7 ", 7),
        ("years", "1e-05", 0.00001),  # as programs write floats in a CSV
        ("children", "2", 2),
        ("portage_fee", "8%", 8),
        ("year", "2026", 2026),
        ("status", "Portage", "portage"),
        ("versement_liberatoire", "oui", True),
    ],
)
def test_numbers_as_people_write_them(key, text, value):
    """Spaces of every kind, underscores, k, €, % and either decimal mark read as meant."""
    assert (
        parse_value(key, text) == pytest.approx(value)
        if isinstance(value, float)
        else parse_value(key, text) == value
    )


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("target_net", "50,000", "'50,000' is ambiguous: 50 with a decimal separator, or 50,000"),
        ("target_net", "50.000", "ambiguous"),
        ("rate", "1,000", "ambiguous: 1 with a decimal separator, or 1,000"),
        ("target_net", "1,500k", "ambiguous: 1,500 with a decimal separator, or 1,500,000"),
        ("rate", "nan", "expected a number more than 0"),
        ("rate", "inf", "expected a number"),
        ("rate", "1e309", "got '1e309'"),
        ("rate", "0x1F4", "got '0x1F4'"),
        ("rate", "", "got ''"),
        ("rate", "   ", "got '   '"),
        ("rate", "5 00", "got '5 00'"),  # a group of two digits is no thousands group
        ("rate", "1,00,000", "got '1,00,000'"),
        ("rate", "12..5", "got '12..5'"),
        ("rate", "5\n0", "got '5\\n0'"),  # a line break inside, as a CSV cell may hold
        ("target_net", "50,0000", "at most two decimals (cents), got '50,0000'"),
        ("rate", "1234,567", "at most two decimals"),
        ("target_net", "0,500", "at most two decimals"),  # a thousands group cannot start with 0
        ("years", "-1", "expected a number from 0 to 50, got '-1'"),
        ("years", "51", "from 0 to 50"),
        ("children", "1.5", "expected a whole number from 0 to 20, got '1.5'"),
        ("children", "-1", "whole number"),
        ("year", "1999", "expected a year that has rules (2025, 2026), got '1999'"),
        ("year", "2,026", "got '2,026'"),
        ("days", "0", "more than 0 and at most 366"),
        ("portage_fee", "100", "less than 100"),
        ("status", "sarl", "expected one of micro-bnc"),
        ("versement_liberatoire", "maybe", "expected true or false"),
    ],
)
def test_bad_text_is_refused_with_the_reason(key, text, message):
    """Unreadable, ambiguous or out-of-range text is refused, never silently misread."""
    with pytest.raises(InputError) as caught:
        parse_value(key, text)
    assert message in caught.value.problem
    assert caught.value.keys == (key,)


def test_ambiguous_reads_as_thousands_when_the_decimal_is_out_of_range():
    """A money field whose decimal reading is impossible takes the thousands reading."""
    # A rate above 0 cannot be 0.5, but `0,500` has no thousands reading either: use a rate
    # whose decimal reading is outside the field (a 10,000 EUR/day cap).
    assert FIELDS["rate"].high == 10_000
    with pytest.raises(InputError, match="ambiguous"):
        parse_value("rate", "9,500")  # 9.5 is a (silly) valid rate, so it stays ambiguous


@given(
    st.integers(0, 9_999_999),
    st.integers(0, 99),
    st.sampled_from(
        [
            ("", "."),
            (",", "."),
            (" ", ","),
            ("\u202f", ","),
            ("\u00a0", ","),
            (".", ","),
            ("_", "."),
        ]
    ),
    st.booleans(),
)
def test_any_writing_reads_as_the_same_amount_or_is_refused(whole, cents, style, with_cents):
    """A French or English writing of an amount gives that amount, or is refused as ambiguous."""
    group, mark = style
    digits = f"{whole:,}".replace(",", group) if group else str(whole)
    text = f"{digits}{mark}{cents:02d}" if with_cents else digits
    meant = whole + cents / 100 if with_cents else whole
    try:
        read = parse_value("target_net", text)
    except InputError as exc:
        problem = exc.problem
        read = None
    if read is None:
        assert "ambiguous" in problem
    else:
        assert read == pytest.approx(meant, abs=1e-6)


def test_typed_values_from_files_follow_the_same_rules():
    """A profile's typed value is checked by the same range as the flag's text."""
    assert check_value("years", 4) == 4.0
    for bad in (-1, 51, float("nan"), float("inf"), "4", True):
        with pytest.raises(InputError, match="from 0 to 50"):
            check_value("years", bad)
    with pytest.raises(InputError, match="whole number"):
        check_value("children", 1.5)


def test_each_boundary_labels_the_field_its_own_way():
    """The same failure names a flag on the command line and a column in a roster."""
    with pytest.raises(InputError) as caught:
        parse_value("target_net", "abc")
    assert str(caught.value).startswith("--target-net: expected")
    assert caught.value.labelled(column).startswith("column target_net: expected")
    assert caught.value.labelled(lambda k: f"income.{k}").startswith("income.target_net:")
    assert flag("skills") == "--skill"


@pytest.mark.parametrize(
    ("given", "stored", "merged"),
    [
        (IncomeInputs(days=200), IncomeInputs(holidays=30, sick=2), IncomeInputs(days=200)),
        (
            IncomeInputs(holidays=10),
            IncomeInputs(days=150, sick=2),
            IncomeInputs(holidays=10, sick=2),
        ),
        (
            IncomeInputs(status="micro-bnc"),
            IncomeInputs(status="custom", charges_rate=45),
            IncomeInputs(status="micro-bnc"),
        ),
        (
            IncomeInputs(status="micro-bnc"),
            IncomeInputs(status="portage", portage_fee=8),
            IncomeInputs(status="micro-bnc"),
        ),
        (
            IncomeInputs(status="portage"),
            IncomeInputs(versement_liberatoire=True, children=2),
            IncomeInputs(status="portage", children=2),
        ),
        (
            IncomeInputs(status="eurl-is"),
            IncomeInputs(status="sasu", salary_share=40),
            IncomeInputs(status="eurl-is"),
        ),
        (
            IncomeInputs(target_net=60_000),
            IncomeInputs(target_net=50_000, expenses=3_000),
            IncomeInputs(target_net=60_000, expenses=3_000),
        ),
    ],
)
def test_flags_win_and_drop_what_they_conflict_with(given, stored, merged):
    """A flag replaces the profile's value and the stored values it conflicts with."""
    assert merge_income(given, stored) == merged
    check_income(
        merge_income(given, stored)._replace(
            charges_rate=merged.charges_rate if merged.status != "custom" else 45
        ),
        TODAY,
    )


@pytest.mark.parametrize(
    ("inputs", "keys"),
    [
        (IncomeInputs(days=200, holidays=10), ("days", "holidays")),
        (IncomeInputs(holidays=200, sick=100), ("holidays", "sick")),
        (IncomeInputs(status="custom"), ("charges_rate", "status")),
        (
            IncomeInputs(status="portage", versement_liberatoire=True),
            ("versement_liberatoire", "status"),
        ),
        (IncomeInputs(charges_rate=40), ("charges_rate", "status")),
        (IncomeInputs(portage_fee=5), ("portage_fee", "status")),
        (IncomeInputs(target_net=9_000_000), ("target_net",)),
        (IncomeInputs(target_net=50_000, days=1), ("target_net",)),
    ],
)
def test_rules_between_fields_name_every_field_at_fault(inputs, keys):
    """Each cross-field rule names the fields involved, so every boundary can label them."""
    with pytest.raises(InputError) as caught:
        check_income(inputs, TODAY)
    assert caught.value.keys == keys
