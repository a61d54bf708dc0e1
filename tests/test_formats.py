"""Numbers, money, percentages and dates in each language, checked against Babel (CLDR).

tjm.i18n.formats writes them with the standard library only; Babel is the reference here. The
deliberate differences, each stated in tjm.i18n.formats: English money ends in " EUR" (CLDR:
"€1,234.56"), English dates put the day first (CLDR: "Nov 29, 2026"), and a value that rounds
to zero is unsigned (CLDR: "-0").
"""

import datetime as dt
from decimal import Decimal

import pytest
from babel import Locale
from babel.dates import format_date as babel_date
from babel.numbers import format_currency, format_decimal
from babel.numbers import format_percent as babel_percent
from hypothesis import example, given
from hypothesis import strategies as st

from tjm import i18n
from tjm.i18n.formats import format_date, format_money, format_number, format_percent

NNBSP, NBSP = "\u202f", "\u00a0"
LOCALES = {"fr": "fr_FR", "en": "en"}
AMOUNTS = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False) | st.decimals(
    min_value=-(10**12), max_value=10**12, places=4, allow_nan=False, allow_infinity=False
)
FRACTIONS = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False) | st.decimals(
    min_value=-(10**9), max_value=10**9, places=6, allow_nan=False, allow_infinity=False
)
DECIMALS = st.integers(min_value=0, max_value=3)
LANGUAGES = st.sampled_from(["fr", "en"])


def pattern(base: str, decimals: int) -> str:
    """Return a CLDR pattern with its "0.00"-style digits set to `decimals` decimals."""
    digits = "#,##0" + ("." + "0" * decimals if decimals else "")
    return base.replace("#,##0.00" if "#,##0.00" in base else "#,##0", digits, 1)


def unsigned_zero(text: str, sign: str = "") -> str:
    """Replace CLDR's minus sign on a value that rounded to zero (tjm's stated difference)."""
    body = text.removeprefix("-")
    return sign + body if body != text and not any(c in "123456789" for c in body) else text


def test_the_examples_of_the_issue():
    """1 234,56 € with a narrow no-break space, 1,234.56 EUR, 29 nov. 2026 and 29 Nov 2026."""
    assert format_money(1234.56, "fr", decimals=2) == f"1{NNBSP}234,56{NBSP}€"
    assert format_money(1234.56, "en", decimals=2) == "1,234.56 EUR"
    assert format_date(dt.date(2026, 11, 29), "fr") == "29 nov. 2026"
    assert format_date(dt.date(2026, 11, 29), "en") == "29 Nov 2026"


@pytest.mark.parametrize(
    ("call", "fr", "en"),
    [
        (lambda lang: format_money(1234.56, lang), f"1{NNBSP}235{NBSP}€", "1,235 EUR"),
        (lambda lang: format_money(-55000, lang), f"-55{NNBSP}000{NBSP}€", "-55,000 EUR"),
        (lambda lang: format_money(120, lang, signed=True), f"+120{NBSP}€", "+120 EUR"),
        (lambda lang: format_money(-0.4, lang, signed=True), f"+0{NBSP}€", "+0 EUR"),
        (lambda lang: format_money(-0.4, lang), f"0{NBSP}€", "0 EUR"),
        (lambda lang: format_money(999.5, lang), f"1{NNBSP}000{NBSP}€", "1,000 EUR"),
        (lambda lang: format_money(2.5, lang), f"2{NBSP}€", "2 EUR"),  # half to even
        (lambda lang: format_money(2.675, lang, decimals=2), f"2,68{NBSP}€", "2.68 EUR"),
        (
            lambda lang: format_number(1234567.5, lang, decimals=1),
            f"1{NNBSP}234{NNBSP}567,5",
            "1,234,567.5",
        ),
        (lambda lang: format_number(999, lang), "999", "999"),
        (lambda lang: format_percent(0.123, lang), f"12{NBSP}%", "12%"),
        (lambda lang: format_percent(0.0525, lang, decimals=1), f"5,2{NBSP}%", "5.2%"),
        (lambda lang: format_percent(-0.05, lang, signed=True), f"-5{NBSP}%", "-5%"),
        (lambda lang: format_percent(0.75, lang, signed=True), f"+75{NBSP}%", "+75%"),
        (lambda lang: format_date(dt.date(2027, 2, 1), lang), "1 févr. 2027", "1 Feb 2027"),
        (lambda lang: format_date(dt.date(2026, 9, 30), lang), "30 sept. 2026", "30 Sep 2026"),
    ],
)
def test_worked_examples(call, fr, en):
    """Whole euros by default, half to even, signs, percentages and dates, in both languages."""
    assert call("fr") == fr
    assert call("en") == en


def test_the_active_language_is_the_default():
    """Without a language argument, each function writes in the language activated last."""
    try:
        i18n.activate("fr")
        assert format_money(1500) == f"1{NNBSP}500{NBSP}€"
        assert format_date(dt.date(2026, 8, 3)) == "3 août 2026"
        i18n.activate("en")
        assert format_money(1500) == "1,500 EUR"
    finally:
        i18n.activate("en")


@pytest.mark.parametrize("value", [float("nan"), float("inf"), Decimal("-inf"), Decimal("NaN")])
def test_not_a_number_is_refused(value):
    """NaN and infinities are a bug upstream, not something to print."""
    with pytest.raises(ValueError, match="cannot format"):
        format_number(value, "en")


# --- Against Babel ---------------------------------------------------------------------------


@given(value=AMOUNTS, decimals=DECIMALS, language=LANGUAGES)
@example(value=-0.3, decimals=0, language="fr")
@example(value=2.675, decimals=2, language="en")
def test_numbers_match_babel(value, decimals, language):
    """Grouping, decimal mark, rounding and minus sign are CLDR's."""
    locale = LOCALES[language]
    expected = format_decimal(value, pattern("#,##0", decimals), locale=locale)
    assert format_number(value, language, decimals=decimals) == unsigned_zero(expected)


@given(value=st.integers(min_value=-(10**15), max_value=10**15), language=LANGUAGES)
def test_whole_numbers_match_babels_default_pattern(value, language):
    """Whole numbers come out as CLDR's own default pattern writes them."""
    assert format_number(value, language) == format_decimal(value, locale=LOCALES[language])


@given(value=AMOUNTS, decimals=DECIMALS, language=LANGUAGES)
def test_signed_numbers_match_babel(value, decimals, language):
    """A signed number is "+" or "-" then the same digits; zero is "+0"."""
    digits = pattern("#,##0", decimals)
    expected = format_decimal(value, f"+{digits};-{digits}", locale=LOCALES[language])
    assert format_number(value, language, decimals=decimals, signed=True) == unsigned_zero(
        expected, "+"
    )


@given(value=AMOUNTS, decimals=DECIMALS)
def test_french_money_matches_babel(value, decimals):
    """French money is CLDR's fr_FR currency pattern, with its decimals set as asked."""
    standard = Locale.parse("fr_FR").currency_formats["standard"].pattern
    expected = format_currency(
        value, "EUR", pattern(standard, decimals), locale="fr_FR", currency_digits=False
    )
    assert format_money(value, "fr", decimals=decimals) == unsigned_zero(expected)


@given(value=AMOUNTS)
def test_french_cents_match_babels_default(value):
    """With two decimals, French money is exactly Babel's default fr_FR euro format."""
    expected = format_currency(value, "EUR", locale="fr_FR")
    assert format_money(value, "fr", decimals=2) == unsigned_zero(expected)


@given(value=AMOUNTS, decimals=DECIMALS)
def test_english_money_is_the_number_then_eur(value, decimals):
    """English money is CLDR's English number followed by " EUR" (not CLDR's leading "€")."""
    number = format_decimal(value, pattern("#,##0", decimals), locale="en")
    assert format_money(value, "en", decimals=decimals) == unsigned_zero(number) + " EUR"


@given(fraction=FRACTIONS, decimals=DECIMALS, language=LANGUAGES)
def test_percentages_match_babel(fraction, decimals, language):
    """Percentages are CLDR's percent pattern (fr: "12 %", en: "12%") with the decimals asked."""
    locale = LOCALES[language]
    base = Locale.parse(locale).percent_formats[None].pattern
    expected = babel_percent(fraction, pattern(base, decimals), locale=locale)
    assert format_percent(fraction, language, decimals=decimals) == unsigned_zero(expected)


@given(day=st.dates())
def test_french_dates_match_babel(day):
    """French dates are CLDR's medium fr_FR format: "29 nov. 2026"."""
    assert format_date(day, "fr") == babel_date(day, "medium", locale="fr_FR")


@given(day=st.dates())
def test_english_dates_match_babel(day):
    """English dates are CLDR's English names, day first: "29 Nov 2026", not "Nov 29, 2026"."""
    assert format_date(day, "en") == babel_date(day, "d MMM y", locale="en")
