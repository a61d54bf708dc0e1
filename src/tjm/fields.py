"""Every user-facing field: its kind, its one range, and how typed text becomes its value.

Flags, answers, profile files and CSV cells all read values through here; a failure is an
InputError naming the field, which each boundary labels its own way (a flag, a profile key,
a CSV column). The rules between fields are in tjm.inputs.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import NamedTuple

from tjm.errors import InputError
from tjm.i18n import _
from tjm.i18n.formats import format_money, format_short
from tjm.registry import CHANNELS as CHANNEL_REGISTRY
from tjm.registry import STATUSES as STATUS_REGISTRY

NATIONAL = "france"
STATUSES = tuple(STATUS_REGISTRY)
MICRO = tuple(s.id for s in STATUS_REGISTRY.values() if s.micro)
SPLIT_STATUSES = tuple(s.id for s in STATUS_REGISTRY.values() if s.split)
DIVIDEND_TAXES = ("pfu", "bareme")  # the flat tax, or the progressive scale
HOUSEHOLDS = ("single", "couple")
STATISTICS = (
    "mean",
    "median",
    "quoted",
    "range-low",
    "range-high",
    "quartile-1",
    "quartile-3",
    "lower-bound",
)
FEE_SIDES = ("client", "freelancer", "unknown")
GRADES = ("A", "B", "C")
MAX_FLOOR = 5_000.0  # EUR/day: a target that needs more is refused, not silently capped
CHANNELS = tuple(CHANNEL_REGISTRY)
FULL_WEEK = 5.0  # the billable-days model's days per week; other weeks scale it


class Field(NamedTuple):
    """One user-facing value: what kind of text it takes and the range it must fall in."""

    kind: str  # money, number, percent, count, year, choice, flag, date, published, text
    low: float = 0.0
    high: float = 0.0
    low_open: bool = False  # the low end itself is refused (a rate of 0)
    high_open: bool = False
    choices: tuple[str, ...] = ()
    step: float = 0.0  # when set, the value must be a whole number of steps (days per week)


FIELDS: dict[str, Field] = {
    "years": Field("number", 0, 50),
    "rate": Field("money", 0, 10_000, low_open=True),
    "status": Field("choice", choices=STATUSES),
    "target_net": Field("money", 0, 10_000_000),
    "days": Field("number", 0, 366, low_open=True),
    "holidays": Field("number", 0, 366),
    "sick": Field("number", 0, 366),
    "non_billable": Field("number", 0, 366),
    "expenses": Field("money", 0, 10_000_000),
    "household": Field("choice", choices=HOUSEHOLDS),
    "children": Field("count", 0, 20),
    "versement_liberatoire": Field("flag"),
    "portage_fee": Field("percent", 0, 100, high_open=True),
    "portage_net": Field("percent", 0, 100, low_open=True),
    "charges_rate": Field("percent", 0, 100, high_open=True),
    "salary_share": Field("percent", 0, 100),
    "dividend_tax": Field("choice", choices=DIVIDEND_TAXES),
    "capital": Field("money", 0, 10_000_000, low_open=True),
    "year": Field("year"),
    # The company's own costs (issue 23), EUR a year; creation costs are the whole.
    "accountant": Field("money", 0, 100_000),
    "cfe": Field("money", 0, 100_000),
    "bank": Field("money", 0, 100_000),
    "insurance": Field("money", 0, 100_000),
    "creation_costs": Field("money", 0, 100_000),
    "legal_costs": Field("money", 0, 100_000),
    "acre": Field("flag"),
    "over_ceiling_last_year": Field("flag"),
    "sort": Field("choice", choices=("net", "protection")),
    # How the freelancer sells (issue 14): the channel, its fee settings, the engagement shape.
    "channel": Field("choice", choices=CHANNELS),
    "client_price": Field("money", 0, 20_000, low_open=True),
    "months_with_client": Field("number", 0, 600),
    "margin": Field("percent", 0, 100, high_open=True),
    "days_per_week": Field("number", 1, 5, step=0.5),
    "clients": Field("client"),
    "client_days": Field("number", 0, 366, low_open=True),
    "long_mission_months": Field("number", 0, 600, low_open=True),
    "discount": Field("percent", 0, 100, high_open=True),
    "half_day_share": Field("percent", 0, 100),
    "half_day_rate": Field("money", 0, 10_000, low_open=True),
    # --as-of and the fields of an observation or a mission (tjm data add)
    "as_of": Field("date"),
    "id": Field("text"),
    "role": Field("text"),
    "region": Field("text"),
    "source": Field("text"),
    "quote": Field("text"),
    "client": Field("text"),
    "min_years": Field("number", 0, 60),
    "max_years": Field("number", 0, 60, low_open=True),
    "value": Field("money", 0, 10_000, low_open=True),
    "sample_size": Field("count", 1, 10_000_000),
    "data_year": Field("count", 1990, 2100),
    "statistic": Field("choice", choices=STATISTICS),
    "fee_side": Field("choice", choices=FEE_SIDES),
    "grade": Field("choice", choices=GRADES),
    "published": Field("published"),
    "date": Field("date"),
}


def column(key: str) -> str:
    """Return the CSV column of a field, as batch errors name it."""
    return _("column {name}").format(name=key)


# ------------------------------------------------------------------- numbers

_SIGNED = re.compile(r"([+-]?)(.*)", re.DOTALL)  # a line break inside is text to refuse
_DIGITS = re.compile(r"\d+")
_GROUPS = {sep: re.compile(rf"[1-9]\d{{0,2}}(?:{re.escape(sep)}\d{{3}})+") for sep in " _.,"}
_EXPONENT = re.compile(r"\d+(?:\.\d*)?[eE][+-]?\d+")
_MONEY_SUFFIX = re.compile(r"(?i)\s*(?:€|eur|euros?)$")


def _plain(number: str) -> str:
    """Return the text's digits with any thousands grouping removed, or raise ValueError."""
    if _DIGITS.fullmatch(number):
        return number
    for sep, pattern in _GROUPS.items():
        if pattern.fullmatch(number):
            return number.replace(sep, "")
    raise ValueError


def _readings(text: str) -> tuple[float, float | None]:
    """Return the text's decimal reading, and its thousands reading when it has one too.

    `1,000` and `50.000` read as 1.0 and 50.0 with a decimal comma or point, or as 1000
    and 50000 with a thousands separator; a text with only one reading returns None.
    """
    # _SIGNED (with DOTALL) matches any text.
    sign, body = _SIGNED.fullmatch(text).groups()  # type: ignore[union-attr]
    body = re.sub(r"\s", " ", body)
    negative = sign == "-"
    if _EXPONENT.fullmatch(body):  # as programs write floats: 1e-05, 2.5E+3
        value = float(body)
        return (-value if negative else value), None
    marks = [c for c in body if c in ".,"]
    decimal_mark = marks[-1] if marks else None
    if decimal_mark is not None and marks.count(decimal_mark) == 1:
        whole, _, fraction = body.rpartition(decimal_mark)
        if not _DIGITS.fullmatch(fraction):
            raise ValueError
        value = float(f"{_plain(whole)}.{fraction}")
        thousands = None
        if len(fraction) == 3 and len(marks) == 1 and re.fullmatch(r"[1-9]\d{0,2}", whole):
            thousands = float(whole + fraction)
    else:  # no mark, or one mark repeated: only a grouped whole number
        value, thousands = float(_plain(body)), None
    if negative:
        value = -value
        thousands = None if thousands is None else -thousands
    return value, thousands


def _in_range(field: Field, value: float) -> bool:
    above = value > field.low if field.low_open else value >= field.low
    below = value < field.high if field.high_open else value <= field.high
    return math.isfinite(value) and above and below


def _range_text(field: Field) -> str:
    """Return what the field takes, as "a number from 0 to 50" (the unit on the upper end)."""
    low = format_short(field.low)
    if field.kind == "money":
        high = format_money(field.high)
    elif field.kind == "percent":
        high = _("{number} (%)").format(number=format_short(field.high))
    else:
        high = format_short(field.high)
    whole = field.kind == "count"
    if field.low_open and field.high_open:
        text = (
            _("a whole number more than {low} and less than {high}")
            if whole
            else _("a number more than {low} and less than {high}")
        )
    elif field.low_open:
        text = (
            _("a whole number more than {low} and at most {high}")
            if whole
            else _("a number more than {low} and at most {high}")
        )
    elif field.high_open:
        text = (
            _("a whole number at least {low} and less than {high}")
            if whole
            else _("a number at least {low} and less than {high}")
        )
    else:
        text = (
            _("a whole number from {low} to {high}")
            if whole
            else _("a number from {low} to {high}")
        )
    return text.format(low=low, high=high)


def _expected(field: Field, shown: object) -> str:
    return _("expected {what}, got {value}").format(what=_range_text(field), value=repr(shown))


def _cents_past(body: str) -> int:
    """Return how many digits follow the last decimal mark (0 without one)."""
    marks = [i for i, c in enumerate(body) if c in ".,"]
    return len(body) - marks[-1] - 1 if marks and body.count(body[marks[-1]]) == 1 else 0


def _whole_cents(amount: float) -> bool:
    return abs(amount * 100 - round(amount * 100)) < 1e-6


def read_number(key: str, text: str) -> float:
    """Read a number as people write it: `50 000`, `50_000`, `50k`, `2,5`, `1,234.50`.

    A comma or point before exactly three digits in a money field is read as a thousands
    separator only when the decimal reading is out of range; otherwise it is refused.
    """
    field = FIELDS[key]
    raw = text.strip()
    body, factor = raw, 1.0
    if field.kind == "money":
        body = _MONEY_SUFFIX.sub("", body)
        if body[-1:] in ("k", "K"):
            body, factor = body[:-1].rstrip(), 1000.0
    elif field.kind == "percent":
        body = body.removesuffix("%").rstrip()
    try:
        decimal, thousands = _readings(body)
    except ValueError:
        raise InputError(key, _expected(field, text), "bad-number") from None
    decimal *= factor
    if field.kind == "money" and factor == 1 and thousands is None and _cents_past(body) > 2:
        raise InputError(
            key,
            _("an amount has at most two decimals (cents), got {value}").format(value=repr(text)),
            "too-many-decimals",
        )
    if field.kind == "money" and thousands is not None:
        thousands *= factor
        # A decimal reading finer than a cent (12,345 as 12.345) is no amount, so it is not
        # offered: suggesting it would only get it refused in turn.
        if _in_range(field, decimal) and _whole_cents(decimal):
            # The suggestions are typed back as they are shown: a point, and no grouping.
            raise InputError(
                key,
                _(
                    "{value} is ambiguous: {decimal} with a decimal separator, or {thousands} "
                    "with a thousands separator; write {typed_decimal} or {typed_thousands}"
                ).format(
                    value=repr(text),
                    decimal=format_short(decimal),
                    thousands=format_short(thousands),
                    typed_decimal=f"{decimal:.10g}",
                    typed_thousands=f"{thousands:.10g}",
                ),
                "ambiguous-number",
            )
        decimal = thousands
    return check_number(key, decimal, text)


def check_number(key: str, value: object, shown: object = None) -> float:
    """Return a number that fits the field's range, or raise InputError."""
    field = FIELDS[key]
    shown = value if shown is None else shown
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(key, _expected(field, shown), "bad-number")
    if not _in_range(field, float(value)):
        raise InputError(key, _expected(field, shown), "out-of-range")
    if field.kind == "count" and not float(value).is_integer():
        raise InputError(key, _expected(field, shown), "not-whole-number")
    if field.step and not (float(value) / field.step).is_integer():
        raise InputError(
            key,
            _("expected {what} in steps of {step}, got {value}").format(
                what=_range_text(field), step=format_short(field.step), value=repr(shown)
            ),
            "bad-step",
        )
    return float(value) + 0.0  # -0 reads as 0


class Client(NamedTuple):
    """One client of a blended year: the day rate invoiced to it and the days sold to it."""

    name: str
    rate: float
    days: float


def parse_client(text: str) -> Client:
    """Read `NAME:RATE:DAYS` (the name may itself hold colons; the last two parts are numbers)."""
    parts = text.rsplit(":", 2)
    if len(parts) != 3 or not parts[0].strip():
        raise InputError(
            "clients",
            _("expected NAME:RATE:DAYS, got {value}").format(value=repr(text)),
            "bad-client",
        )
    name, rate, days = (p.strip() for p in parts)
    try:
        return Client(
            check_text("clients", name), read_number("rate", rate), read_number("client_days", days)
        )
    except InputError as exc:
        if exc.keys == ("rate",):
            problem = _("{client}: rate {problem}")
        elif exc.keys == ("client_days",):
            problem = _("{client}: days {problem}")
        else:
            problem = _("{client}: {problem}")
        raise InputError(
            "clients", problem.format(client=repr(text), problem=exc.problem), exc.code
        ) from None


def check_client(value: object) -> Client:
    """Check a client that arrives typed (a profile's table: name, rate, days)."""
    if (
        not isinstance(value, dict)
        or set(value) != {"name", "rate", "days"}
        or not isinstance(value["name"], str)
        or not value["name"].strip()
    ):
        raise InputError(
            "clients",
            _("expected a table with name, rate and days, got {value}").format(value=repr(value)),
            "bad-client",
        )
    try:
        return Client(
            value["name"],
            check_number("rate", value["rate"]),
            check_number("client_days", value["days"]),
        )
    except InputError as exc:
        raise InputError(
            "clients",
            _("{client}: {problem}").format(client=repr(value["name"]), problem=exc.problem),
            exc.code,
        ) from None


# -------------------------------------------------------------- every field

_TRUE, _FALSE = ("true", "yes", "1", "oui"), ("false", "no", "0", "non")


def available_years() -> list[int]:
    """Return the years that have a rules file, oldest first."""
    from importlib import resources

    names = (p.name for p in resources.files("tjm.data").iterdir())
    return sorted(int(n[3:7]) for n in names if n.startswith("fr-") and n.endswith(".toml"))


def _year_problem(shown: object) -> str:
    years = ", ".join(map(str, available_years()))
    return _("expected a year that has rules ({years}), got {value}").format(
        years=years, value=repr(shown)
    )


def true_or_false(shown: object) -> str:
    """Return the problem of a value that should be true or false."""
    return _("expected true or false, got {value}").format(value=repr(shown))


def parse_value(key: str, text: str) -> object:
    """Turn the text a person typed (a flag, an answer, a CSV cell) into the field's value."""
    field = FIELDS[key]
    if field.kind == "choice":
        word = text.strip().lower()
        return check_value(key, next((c for c in field.choices if c.lower() == word), word))
    if field.kind in ("date", "published", "text"):
        return check_value(key, text.strip())
    if field.kind == "flag":
        word = text.strip().lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
        raise InputError(key, true_or_false(text), "bad-boolean")
    if field.kind == "year":
        if not re.fullmatch(r"\d{4}", text.strip()) or int(text) not in available_years():
            raise InputError(key, _year_problem(text), "unknown-year")
        return int(text)
    if field.kind == "client":
        return parse_client(text)
    value = read_number(key, text)
    return int(value) if field.kind == "count" else value


def check_value(key: str, value: object) -> object:
    """Check a value that arrives typed (a profile's TOML, a flag Typer parsed)."""
    field = FIELDS[key]
    if field.kind == "choice":
        if value not in field.choices:
            raise InputError(key, one_of(field.choices, value), "bad-choice")
        return value
    if field.kind == "flag":
        if not isinstance(value, bool):
            raise InputError(key, true_or_false(value), "bad-boolean")
        return value
    if field.kind == "year":
        if isinstance(value, bool) or not isinstance(value, int) or value not in available_years():
            raise InputError(key, _year_problem(value), "unknown-year")
        return value
    if field.kind == "client":
        return check_client(value)
    if field.kind == "date":
        return check_date(key, value)
    if field.kind == "published":
        return check_published(key, value)
    if field.kind == "text":
        if not isinstance(value, str) or not value.strip():
            raise InputError(key, some_text(value), "empty-text")
        return check_text(key, value.strip())
    number = check_number(key, value)
    return int(number) if field.kind == "count" else number


def check_date(key: str, value: object) -> dt.date:
    """Return a calendar date from a date value or YYYY-MM-DD text, or raise InputError."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InputError(
        key, _("expected a date as YYYY-MM-DD, got {value}").format(value=repr(value)), "bad-date"
    )


def check_published(key: str, value: object) -> str:
    """Return a publication date as text: YYYY-MM-DD, YYYY-MM, YYYY, or n/d (not dated)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    text = value.strip() if isinstance(value, str) else None
    if text == "n/d":
        return text
    if text and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        try:
            published_date(text)
            return text
        except ValueError:
            pass
    raise InputError(
        key,
        _("expected YYYY-MM-DD, YYYY-MM, YYYY or n/d, got {value}").format(value=repr(value)),
        "bad-date",
    )


def published_date(text: str) -> dt.date | None:
    """Return the last day a publication date allows (2024-05 is 2024-05-31); None for n/d."""
    if text == "n/d":
        return None
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        year, month = parts
        after = dt.date(year + month // 12, month % 12 + 1, 1)
        return after - dt.timedelta(days=1)
    return dt.date(parts[0], 12, 31)


# A day's grace: a date written where it is already tomorrow is not in the future.
FUTURE_TOLERANCE_DAYS = 1


def check_not_future(key: str, value: object, today: dt.date) -> None:
    """Refuse a date, a publication date or a data year that starts after today (plus
    FUTURE_TOLERANCE_DAYS): data from the future would outweigh every real figure."""
    if isinstance(value, int) and not isinstance(value, bool):
        earliest: dt.date | None = dt.date(value, 1, 1)  # a data year
    elif isinstance(value, str):
        earliest = (
            None
            if value == "n/d"
            else dt.date(*(int(p) for p in value.split("-")), *((1,) * (2 - value.count("-"))))
        )
    else:
        earliest = value if isinstance(value, dt.date) else None
    latest = today + dt.timedelta(days=FUTURE_TOLERANCE_DAYS)
    if earliest is not None and earliest > latest:
        problem = _("{value} is in the future; expected {latest} or earlier").format(
            value=repr(value if isinstance(value, str | int) else str(value)),
            latest=latest.isoformat(),
        )
        raise InputError(key, problem, "future-date")


def check_text(key: str, text: str) -> str:
    """Refuse text that cannot be stored as UTF-8 (command-line bytes that were not UTF-8)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(key, _("not valid UTF-8 text"), "not-utf8") from None
    return text


def one_of(choices: tuple[str, ...], value: object) -> str:
    """Return the problem of a value that is not one of `choices`."""
    return _("expected one of {choices}, got {value}").format(
        choices=", ".join(choices), value=repr(value)
    )


def some_text(value: object) -> str:
    """Return the problem of a value that should be non-empty text."""
    return _("expected some text, got {value}").format(value=repr(value))
