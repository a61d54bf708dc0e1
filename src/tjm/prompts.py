"""The guided questions of `tjm quote`; they return the same QuoteInputs the flags build.

Questions go through an Asker, so tests can answer them by question text; the real
one uses questionary, imported only when a question is asked.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import NamedTuple, Protocol

from tjm.benchmarks import Dataset
from tjm.errors import UsageError
from tjm.pricing import NATIONAL, QuoteInputs, check_rate, check_years
from tjm.profiles import check_name

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
    def select(self, question: str, choices: list[tuple[str, str]], default: str | None) -> str:
        ...

    def text(self, question: str, default: str, validate: Validator) -> str:
        ...

    def checkbox(self, question: str, choices: list[tuple[str, str]],
                 checked: tuple[str, ...]) -> list[str]:
        ...

    def confirm(self, question: str, default: bool) -> bool:
        ...


class QuestionaryAsker:
    """Ask on the terminal with questionary; Ctrl-C raises KeyboardInterrupt."""

    def select(self, question, choices, default):
        import questionary

        options = [questionary.Choice(title, value) for title, value in choices]
        return questionary.select(question, options, default=default).unsafe_ask()

    def text(self, question, default, validate):
        import questionary

        return questionary.text(question, default=default, validate=validate).unsafe_ask()

    def checkbox(self, question, choices, checked):
        import questionary

        options = [questionary.Choice(title, value, checked=value in checked)
                   for title, value in choices]
        return questionary.checkbox(question, options).unsafe_ask()

    def confirm(self, question, default):
        import questionary

        return questionary.confirm(question, default=default).unsafe_ask()


def make_asker() -> Asker:
    return QuestionaryAsker()


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _checked(check: Callable[[float], None], parse: Callable[[str], float | None]) -> Validator:
    """Turn a core check into a questionary validator: True, or the message to show."""

    def validate(text: str) -> bool | str:
        try:
            value = parse(text)
            if value is not None:
                check(value)
        except (ValueError, UsageError) as exc:
            return str(exc) if isinstance(exc, UsageError) else "Please type a number."
        return True

    return validate


def _number(text: str) -> float:
    return float(text.strip().replace(",", "."))


def _optional_number(text: str) -> float | None:
    return None if not text.strip() else _number(text)


def _name_valid(text: str) -> bool | str:
    try:
        check_name(text)
    except UsageError as exc:
        return str(exc)
    return True


class Given(NamedTuple):
    """What the flags gave; None means the question is asked."""

    role: str | None = None
    years: float | None = None
    region: str | None = None
    skills: tuple[str, ...] | None = None
    rate: float | None = None


def skill_title(dataset: Dataset, skill_id: str) -> str:
    skill = dataset.skills[skill_id]
    trend = "scarcer" if skill.tightness > 0 else "crowded"
    return (f"{skill_id:<16} demand {skill.demand_growth:+.0%}, supply "
            f"{skill.supply_growth:+.0%} ({trend})")


def ask_quote_inputs(asker: Asker, dataset: Dataset, given: Given,
                     defaults: QuoteInputs | None, ask_rate: bool = True) -> QuoteInputs:
    """Ask for each pricing value the flags did not give, offering `defaults` first."""
    d = defaults
    role = given.role or asker.select(
        ROLE_Q, [(r.label, r.id) for r in dataset.roles.values()], d.role if d else None)
    years = given.years
    if years is None:
        years = _number(asker.text(YEARS_Q, f"{d.years:g}" if d else "",
                                   _checked(check_years, _number)))
    region = given.region or asker.select(
        REGION_Q, [(r.label, r.id) for r in dataset.regions.values()],
        d.region if d else NATIONAL)
    skills = given.skills
    if skills is None:
        skills = tuple(sorted(asker.checkbox(
            SKILLS_Q, [(skill_title(dataset, s), s) for s in dataset.skills],
            d.skills if d else ())))
    rate = given.rate
    if rate is None and ask_rate:
        default_rate = f"{d.rate:g}" if d and d.rate is not None else ""
        rate = _optional_number(asker.text(RATE_Q, default_rate,
                                           _checked(check_rate, _optional_number)))
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

STATUS_LABELS = {
    "micro-bnc": "Micro-entrepreneur, liberal activity (BNC, SSI)",
    "micro-bnc-cipav": "Micro-entrepreneur, regulated liberal profession (CIPAV)",
    "portage": "Portage salarial",
    "custom": "Another status: I know my overall charge rate",
}


def _in_range(low: float, high: float) -> Callable[[float], None]:
    def check(value: float) -> None:
        if not low <= value <= high:
            raise UsageError(f"Please type a number from {low:g} to {high:g}.")
    return check


def _ask_number(asker: Asker, question: str, default: float | None, low: float,
                high: float) -> float:
    text = asker.text(question, "" if default is None else f"{default:g}",
                      _checked(_in_range(low, high), _number))
    return _number(text)


def ask_income(asker: Asker, given, defaults, model_days) -> object:
    """Ask whether to work out the floor, then each income value the flags did not give.

    Returns the flags' income unchanged (merged over `defaults`) when the user says no.
    """
    from tjm.income import STATUSES, IncomeInputs

    d = defaults or IncomeInputs()
    wants = given.target_net is not None or d.target_net is not None
    if not asker.confirm(FLOOR_Q, wants):
        return given.merged_over(defaults)
    values = given._asdict()

    def fill(key: str, ask: Callable[[], object]) -> None:
        if values[key] is None:
            values[key] = ask()

    fill("status", lambda: asker.select(STATUS_Q, [(STATUS_LABELS[s], s) for s in STATUSES],
                                        d.status or "micro-bnc"))
    fill("target_net", lambda: _ask_number(asker, TARGET_Q, d.target_net, 0, 10_000_000))
    if d.days is not None and values["days"] is None:
        values["days"] = _ask_number(asker, DAYS_Q, d.days, 1, 366)
    elif values["days"] is None:
        for key, question, fallback in (("holidays", HOLIDAYS_Q, model_days.holidays),
                                        ("sick", SICK_Q, model_days.sick_days),
                                        ("non_billable", NON_BILLABLE_Q,
                                         model_days.non_billable_days)):
            default = getattr(d, key)
            fill(key, lambda q=question, v=default, f=fallback: _ask_number(
                asker, q, f if v is None else v, 0, 366))
    fill("expenses", lambda: _ask_number(asker, EXPENSES_Q, d.expenses or 0, 0, 10_000_000))
    status = values["status"]
    if status in ("micro-bnc", "micro-bnc-cipav"):
        fill("household", lambda: asker.select(
            HOUSEHOLD_Q, [("Single (1 share)", "single"), ("Couple, married or PACS (2 shares)",
                                                          "couple")], d.household or "single"))
        fill("children", lambda: int(_ask_number(asker, CHILDREN_Q, d.children or 0, 0, 20)))
        fill("versement_liberatoire", lambda: asker.confirm(
            VL_Q, bool(d.versement_liberatoire)))
    elif status == "portage":
        fill("portage_fee", lambda: _ask_number(asker, PORTAGE_FEE_Q,
                                                d.portage_fee or 10, 0, 99.99))
    elif status == "custom":
        fill("charges_rate", lambda: _ask_number(asker, CHARGES_Q, d.charges_rate, 0, 99.99))
    return IncomeInputs(**values).merged_over(defaults)
