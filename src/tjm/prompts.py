"""The guided questions of `tjm quote`; they return the same QuoteInputs the flags build.

Questions go through an Asker, so tests can answer them by question text; the real
one uses questionary, imported only when a question is asked.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, cast

from tjm.benchmarks import Dataset
from tjm.defaults import Defaults
from tjm.defaults import defaults as fallbacks
from tjm.errors import InputError, UsageError
from tjm.fields import (
    CHANNELS,
    MICRO,
    NATIONAL,
    SPLIT_STATUSES,
    STATUSES,
    Client,
    parse_client,
    parse_value,
)
from tjm.inputs import (
    DAYS_OFF,
    Given,
    IncomeInputs,
    QuoteInputs,
    SalesInputs,
    check_days_off,
    check_days_sold,
    check_reachable,
    check_sales,
    merge_income,
    merge_sales,
)
from tjm.profiles import check_name

if TYPE_CHECKING:
    import datetime as dt

    from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
    from questionary import Question

Validator = Callable[[str], bool | str]

ROLE_Q = "Your role?"
YEARS_Q = "Years of experience (0 to 50)?"
REGION_Q = "Where do you work?"
SKILLS_Q = "Which skills do you sell? (space to tick, enter to go on)"
RATE_Q = "Your current or planned day rate in EUR (empty to skip)?"
SAVE_Q = "Save these answers as a profile?"
NAME_Q = "Profile name?"
OVERWRITE_Q = "That profile exists. Overwrite it?"


class Asker(Protocol):
    def select(self, question: str, choices: list[tuple[str, str]], default: str | None) -> str: ...

    def text(self, question: str, default: str, validate: Validator) -> str: ...

    def checkbox(
        self, question: str, choices: list[tuple[str, str]], checked: tuple[str, ...]
    ) -> list[str]: ...

    def confirm(self, question: str, default: bool) -> bool: ...


class QuestionaryAsker:
    """Ask on the terminal with questionary; Ctrl-C raises KeyboardInterrupt, Ctrl-D EOFError.

    When stdout is not a terminal (`tjm quote > out.txt`), the questions go to stderr so
    that only the result lands in the file.
    """

    def __init__(self) -> None:
        self.options: dict[str, Any] = {}
        if not _is_terminal(sys.stdout):
            from prompt_toolkit.output import create_output

            self.options["output"] = create_output(stdout=sys.stderr)

    # unsafe_ask is typed Any; each question kind answers with the type annotated here.
    def select(self, question: str, choices: list[tuple[str, str]], default: str | None) -> str:
        import questionary

        options = [questionary.Choice(title, value) for title, value in choices]
        answer: str = _eof_on_ctrl_d(
            questionary.select(question, options, default=default, **self.options)
        ).unsafe_ask()
        return answer

    def text(self, question: str, default: str, validate: Validator) -> str:
        import questionary

        answer: str = questionary.text(
            question, default=default, validate=validate, **self.options
        ).unsafe_ask()
        return answer

    def checkbox(
        self, question: str, choices: list[tuple[str, str]], checked: tuple[str, ...]
    ) -> list[str]:
        import questionary

        options = [
            questionary.Choice(title, value, checked=value in checked) for title, value in choices
        ]
        answer: list[str] = _eof_on_ctrl_d(
            questionary.checkbox(question, options, **self.options)
        ).unsafe_ask()
        return answer

    def confirm(self, question: str, default: bool) -> bool:
        import questionary

        answer: bool = questionary.confirm(question, default=default, **self.options).unsafe_ask()
        return answer


def _eof_on_ctrl_d(question: Question) -> Question:
    """Make Ctrl-D end a list question as it ends a text one: with EOFError (exit 130)."""

    # Typed as the base class or None; questionary's list questions build a KeyBindings.
    bindings = cast("KeyBindings", question.application.key_bindings)

    @bindings.add("c-d", eager=True)
    def _(event: KeyPressEvent) -> None:
        event.app.exit(exception=EOFError, style="class:aborting")

    return question


def make_asker() -> Asker:
    return QuestionaryAsker()


def _is_terminal(stream: Any) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):  # a closed stream
        return False


def can_ask() -> bool:
    """Return True when questions can be asked: stdin is a terminal, and so is stdout or stderr."""
    return _is_terminal(sys.stdin) and (_is_terminal(sys.stdout) or _is_terminal(sys.stderr))


def _field(
    key: str, check: Callable[[Any], None] = lambda value: None, optional: bool = False
) -> Validator:
    """Return a questionary validator for a field: True, or the reason to show."""

    def validate(text: str) -> bool | str:
        if optional and not text.strip():
            return True
        try:
            check(parse_value(key, text))
        except InputError as exc:
            return exc.problem
        return True

    return validate


def _answer(key: str, text: str) -> Any:
    """Return the value of an answer its validator accepted; empty means none."""
    return parse_value(key, text) if text.strip() else None


def _optional(asker: Asker, key: str, question: str, current: float | None) -> Any:
    """Ask for a number that may stay unset, offering the current one; empty means none."""
    shown = "" if current is None else f"{current:.10g}"
    return _answer(key, asker.text(question, shown, _field(key, optional=True)))


def _name_valid(text: str) -> bool | str:
    try:
        check_name(text)
    except UsageError as exc:
        return str(exc)
    return True


def skill_title(dataset: Dataset, skill_id: str) -> str:
    skill = dataset.skills[skill_id]
    return (
        f"{skill_id:<16} demand {skill.demand_growth:+.0%}, supply "
        f"{skill.supply_growth:+.0%} ({skill.trend})"
    )


def ask_quote_inputs(
    asker: Asker,
    dataset: Dataset,
    given: Given,
    defaults: QuoteInputs | None,
) -> QuoteInputs:
    """Ask for each pricing value the flags did not give, offering `defaults` first."""
    d = defaults
    role = given.role or asker.select(
        ROLE_Q, [(r.label, r.id) for r in dataset.roles.values()], d.role if d else None
    )
    years = given.years
    if years is None:
        years = _answer("years", asker.text(YEARS_Q, f"{d.years:g}" if d else "", _field("years")))
    region = given.region or asker.select(
        REGION_Q, [(r.label, r.id) for r in dataset.regions.values()], d.region if d else NATIONAL
    )
    skills = given.skills
    if skills is None:
        skills = tuple(
            sorted(
                asker.checkbox(
                    SKILLS_Q,
                    [(skill_title(dataset, s), s) for s in dataset.skills],
                    d.skills if d else (),
                )
            )
        )
    rate = given.rate
    if rate is None:
        rate = _optional(asker, "rate", RATE_Q, d.rate if d else None)
    return QuoteInputs(role=role, years=years, region=region, skills=skills, rate=rate)


def ask_save_name(asker: Asker, default_name: str, exists: Callable[[str], bool]) -> str | None:
    """Ask whether to save and under which name; None when the user declines.

    Refusing to overwrite goes back to the first question, so the user can pick another
    name or not save at all.
    """
    while asker.confirm(SAVE_Q, True):
        name = asker.text(NAME_Q, default_name, _name_valid).strip()
        if not exists(name) or asker.confirm(OVERWRITE_Q, False):
            return name
    return None


def default_profile_name(inputs: QuoteInputs) -> str:
    """Derive a profile name from the role and the region."""
    return f"{inputs.role}-{inputs.region}"


FLOOR_Q = "Also work out the floor your costs require?"
STATUS_Q = "Your status?"
TARGET_Q = "Net income you want per year, EUR?"
HOLIDAYS_Q = "Holidays per year?"
SICK_Q = "Sick days per year?"
NON_BILLABLE_Q = "Prospecting and admin days per year (not billed)?"
DAYS_Q = "Billable days per year?"
EXPENSES_Q = "Yearly business expenses, EUR?"
HOUSEHOLD_Q = "Household for income tax?"
CHILDREN_Q = "Dependent children?"
VL_Q = "Pay income tax with your contributions (versement libératoire)?"
PORTAGE_FEE_Q = "Portage management fee, %?"
CHARGES_Q = "Overall charge rate, % of turnover?"
SALARY_SHARE_Q = "Share of the profit paid as salary or remuneration, % (empty: {default})?"
DIVIDEND_TAX_Q = "Tax on dividends?"
CAPITAL_Q = "Share capital of the EURL, EUR?"

STATUS_LABELS = {
    "micro-bnc": "Micro-entrepreneur, liberal activity (BNC, SSI)",
    "micro-bnc-cipav": "Micro-entrepreneur, regulated liberal profession (CIPAV)",
    "ei": "Entreprise individuelle au réel (EI), income tax on the profit",
    "eurl-ir": "EURL at the income tax, majority manager",
    "eurl-is": "EURL at the corporate tax: remuneration, then dividends",
    "sasu": "SASU: the president's salary, then dividends",
    "portage": "Portage salarial",
    "custom": "Another status: I know my overall charge rate",
}


def ask_income(
    asker: Asker,
    given: IncomeInputs,
    defaults: IncomeInputs | None,
    dataset: Dataset,
    today: dt.date,
) -> IncomeInputs:
    """Ask whether to work out the floor, then each income value the flags did not give.

    Each answer is checked against the answers before it, so an answer that would make
    the floor impossible is refused at its own question, with the reason.
    """
    d = defaults or IncomeInputs()
    fallback = fallbacks(dataset, today)
    values = merge_income(given, defaults)._asdict()
    if not asker.confirm(FLOOR_Q, values["target_net"] is not None):
        return IncomeInputs(**values)
    asked = {k for k, v in given._asdict().items() if v is None}

    def number(
        key: str,
        question: str,
        fallback: float | None,
        check: Callable[[Any], None] = lambda value: None,
    ) -> None:
        if key in asked:
            default = values[key] if values[key] is not None else fallback
            text = asker.text(
                question, "" if default is None else f"{default:.10g}", _field(key, check)
            )
            values[key] = _answer(key, text)

    if "status" in asked:
        status = asker.select(
            STATUS_Q,
            [(STATUS_LABELS[s], s) for s in STATUSES],
            values["status"] or fallback.status,
        )
        # A status other than the profile's drops that status's options, as its flag would.
        values = merge_income(IncomeInputs(status=status), IncomeInputs(**values))._asdict()
    status = values["status"]
    days_off_given = any(k not in asked for k in DAYS_OFF)
    if "days" in asked and not days_off_given and d.days is not None:
        number("days", DAYS_Q, None)  # the profile counts billable days: ask for that count
    elif "days" in asked:
        days_off = {k: getattr(fallback, k) for k in DAYS_OFF}
        for i, (key, question) in enumerate(
            zip(DAYS_OFF, (HOLIDAYS_Q, SICK_Q, NON_BILLABLE_Q), strict=True)
        ):

            def leaves_a_day(value: float, i: int = i) -> None:
                # Days off not asked yet may still be 0; those the flags gave count.
                parts: dict[str, Any] = {
                    k: value if j == i else values[k] if j < i or k not in asked else 0.0
                    for j, k in enumerate(DAYS_OFF)
                }
                check_days_off(dataset.billable_days.working_days, IncomeInputs(**parts), days_off)

            number(key, question, days_off[key], leaves_a_day)
    number("expenses", EXPENSES_Q, fallback.expenses)
    if status != "custom":  # every other status's net is after income tax
        if "household" in asked:
            values["household"] = asker.select(
                HOUSEHOLD_Q,
                [("Single (1 share)", "single"), ("Couple, married or PACS (2 shares)", "couple")],
                values["household"] or fallback.household,
            )
        number("children", CHILDREN_Q, fallback.children)
    if status in MICRO or status is None:
        if "versement_liberatoire" in asked:
            values["versement_liberatoire"] = asker.confirm(
                VL_Q, bool(values["versement_liberatoire"])
            )
    elif status == "portage":
        number("portage_fee", PORTAGE_FEE_Q, None)
    elif status == "custom":
        number("charges_rate", CHARGES_Q, None)
    elif status in SPLIT_STATUSES:
        _ask_split(asker, status, values, asked, fallback)

    def reachable(value: float) -> None:
        check_reachable(IncomeInputs(**{**values, "target_net": value}), today)

    number("target_net", TARGET_Q, None, reachable)  # last: every answer it depends on is known
    return IncomeInputs(**values)


def _ask_split(
    asker: Asker, status: str, values: dict[str, Any], asked: set[str], fallback: Defaults
) -> None:
    """Ask a split status's options: the salary share, the dividends' tax, an EURL's capital."""
    if "salary_share" in asked:
        default = "the best split" if status == "sasu" else "100, all of it"
        question = SALARY_SHARE_Q.format(default=default)
        values["salary_share"] = _optional(asker, "salary_share", question, values["salary_share"])
    if "dividend_tax" in asked:
        values["dividend_tax"] = asker.select(
            DIVIDEND_TAX_Q,
            [
                ("Flat tax (PFU), 12.8% income tax plus the social levies", "pfu"),
                ("Progressive scale, after the 40% allowance", "bareme"),
            ],
            values["dividend_tax"] or fallback.dividend_tax,
        )
    if status == "eurl-is" and "capital" in asked:
        current = values["capital"]
        text = asker.text(
            CAPITAL_Q,
            f"{fallback.capital if current is None else current:.10g}",
            _field("capital"),
        )
        values["capital"] = _answer("capital", text)


SELL_Q = "Do you sell direct, 5 days a week, to one client?"
CHANNEL_Q = "How is the client billed?"
MONTHS_Q = "Months already worked with this Malt client (empty: a new client)?"
MARGIN_Q = "The ESN's margin, % of the client price (empty: {margin:g})?"
WEEK_Q = "Days worked a week, 1 to 5 in halves (empty: {days_per_week:g})?"
CLIENTS_Q = "Your clients as NAME:RATE:DAYS, comma-separated (empty: one client)?"

CHANNEL_LABELS = {
    "direct": "Direct: you invoice the client",
    "malt": "Malt: you invoice through Malt, which takes a fee",
    "esn": "An ESN or agency: it bills the client and keeps a margin",
    "portage": "A portage company: it bills the client and pays you a salary",
}


def _clients_text(sales: SalesInputs) -> str:
    return ", ".join(f"{c.name}:{c.rate:g}:{c.days:g}" for c in sales.clients)


def ask_sales(
    asker: Asker,
    given: SalesInputs,
    defaults: SalesInputs | None,
    income: IncomeInputs,
    dataset: Dataset,
    today: dt.date,
) -> tuple[SalesInputs, IncomeInputs]:
    """Ask how the user sells: the channel, days a week, and one client or several.

    Each question is optional, its default the current answer; declining the first keeps
    direct, 5 days and one client (or what the flags and the profile already say).
    """
    from tjm.income import billable_days

    fallback = fallbacks(dataset, today)
    values = merge_sales(given, defaults)
    if asker.confirm(SELL_Q, values == SalesInputs() and income.days_per_week is None):
        return values, income
    channel = given.channel
    if channel is None:
        offered = CHANNELS if income.status in (None, "portage") else CHANNELS[:3]
        channel = asker.select(
            CHANNEL_Q, [(CHANNEL_LABELS[c], c) for c in offered], values.channel or fallback.channel
        )
    values = merge_sales(SalesInputs(channel=channel), values)
    if channel == "portage":
        income = income._replace(status="portage")
    if channel == "malt" and given.months_with_client is None:
        months = _optional(asker, "months_with_client", MONTHS_Q, values.months_with_client)
        values = values._replace(months_with_client=months)
    if channel == "esn" and given.margin is None:
        question = MARGIN_Q.format(margin=fallback.margin)
        values = values._replace(margin=_optional(asker, "margin", question, values.margin))
    if income.days is None:
        question = WEEK_Q.format(days_per_week=fallback.days_per_week)
        week = _optional(asker, "days_per_week", question, income.days_per_week)
        income = income._replace(days_per_week=week)
    if not given.clients:
        total = billable_days(income, dataset.billable_days).total

        def fits(text: str) -> bool | str:
            try:
                clients = _parse_clients(text)
                check_sales(values._replace(clients=clients), income)
                check_days_sold(clients, total)
            except InputError as exc:
                return exc.problem
            return True

        clients = _parse_clients(asker.text(CLIENTS_Q, _clients_text(values), fits))
        values = values._replace(clients=clients)
    return values, income


def _parse_clients(text: str) -> tuple[Client, ...]:
    return tuple(parse_client(part) for part in text.split(",") if part.strip())
