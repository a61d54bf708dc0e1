"""The guided questions of `tjm quote`; they return the same QuoteInputs the flags build.

Questions go through an Asker, so tests can answer them by question text; the real
one uses questionary, imported only when a question is asked.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

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


@dataclass(frozen=True)
class Given:
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

