"""Numbers, money, percentages and dates written the way each language writes them.

French: `1 234,56 €` (U+202F narrow no-break space between thousands, U+00A0 before € and %),
`12 %`, `29 nov. 2026`. English: `1,234.56 EUR`, `12%`, `29 Nov 2026`. These follow CLDR
(tests/test_formats.py checks them against Babel), except where stated:
- English money ends in " EUR" (a plain space), not CLDR's leading "€", as tjm always wrote it;
- English dates put the day first, as in the French ones and the issue, not CLDR's "Nov 29, 2026";
- a value that rounds to zero has no minus sign ("0", not CLDR's "-0").
Rounding is half to even on the shortest decimal form of the value (2.675 gives 2.68, 2.5 gives
2), as Babel and Python's round() do. Each function writes in the active language by default.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_EVEN, Context, Decimal
from typing import NamedTuple

from tjm.i18n import Language, active_language


class Convention(NamedTuple):
    """How one language writes numbers."""

    group: str  # between groups of three digits
    decimal: str  # before the decimals
    currency: str  # after the amount, with its space
    percent: str  # after the number, with its space
    months: tuple[str, ...]  # abbreviated month names, January first


CONVENTIONS: dict[Language, Convention] = {
    "fr": Convention(
        "\u202f",
        ",",
        "\u00a0€",
        "\u00a0%",
        (
            "janv.",
            "févr.",
            "mars",
            "avr.",
            "mai",
            "juin",
            "juil.",
            "août",
            "sept.",
            "oct.",
            "nov.",
            "déc.",
        ),
    ),
    "en": Convention(
        ",",
        ".",
        " EUR",
        "%",
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    ),
}

_WIDE = Context(prec=400)  # room for every float's integer digits: quantize never overflows


def format_number(
    value: float | Decimal,
    language: Language | None = None,
    *,
    decimals: int = 0,
    signed: bool = False,
) -> str:
    """Return value grouped by thousands with `decimals` decimals; signed adds "+" to positives."""
    return _number(_decimal(value), CONVENTIONS[language or active_language()], decimals, signed)


def format_money(
    value: float | Decimal,
    language: Language | None = None,
    *,
    decimals: int = 0,
    signed: bool = False,
) -> str:
    """Return an amount in euros: whole euros unless decimals are asked for."""
    convention = CONVENTIONS[language or active_language()]
    return _number(_decimal(value), convention, decimals, signed) + convention.currency


def format_percent(
    fraction: float | Decimal,
    language: Language | None = None,
    *,
    decimals: int = 0,
    signed: bool = False,
) -> str:
    """Return a fraction as a percentage: 0.123 is "12 %" in French, "12%" in English."""
    convention = CONVENTIONS[language or active_language()]
    return _number(_decimal(fraction).scaleb(2), convention, decimals, signed) + convention.percent


def format_date(day: dt.date, language: Language | None = None) -> str:
    """Return a date as day, abbreviated month and year: "29 nov. 2026", "29 Nov 2026"."""
    months = CONVENTIONS[language or active_language()].months
    return f"{day.day} {months[day.month - 1]} {day.year}"


def _decimal(value: float | Decimal) -> Decimal:
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    else:  # the shortest repr, so 0.1 rounds as 0.1 and not as its binary neighbour
        number = Decimal(repr(float(value)))
    if not number.is_finite():
        raise ValueError(f"cannot format {value!r} as a number")
    return number


def _number(value: Decimal, convention: Convention, decimals: int, signed: bool) -> str:
    rounded = value.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_EVEN, _WIDE)
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    groups = [whole[max(0, end - 3) : end] for end in range(len(whole), 0, -3)]
    text = convention.group.join(reversed(groups))
    if fraction:
        text += convention.decimal + fraction
    if rounded < 0:  # -0 is not below zero: a value that rounds to zero is unsigned
        return "-" + text
    return "+" + text if signed else text


def format_short(value: float, language: Language | None = None) -> str:
    """Return a plain number with the decimals it has (up to ten significant digits), grouped:
    179, 143.2, 0.5, 10,000 in English; 143,2 in French. For days, years and range ends."""
    text = f"{abs(value):.10g}"
    if "e" in text:  # too large or too small for a plain reading: show it whole
        text = f"{abs(value):f}".rstrip("0")
    decimals = len(text.partition(".")[2])
    return format_number(value, language, decimals=decimals)


def after_colon(text: str, language: Language | None = None) -> str:
    """Return a sentence as it reads after a colon: French puts no capital there (« : le
    chiffre »), except for a name or an acronym; English text is returned as it is."""
    if (language or active_language()) != "fr" or not text:
        return text
    word = re.match(r"[^\s:,;.()]+", text)
    if word is None:
        return text
    first = word.group()
    if len(first) > 1 and first[1:].islower() and first not in _NAMES:
        return text[0].lower() + text[1:]
    return text


# Names that keep their capital after a colon (the channels and places a message may open on).
_NAMES = frozenset({"Malt", "Paris", "Île-de-France", "France", "Free-Work"})
