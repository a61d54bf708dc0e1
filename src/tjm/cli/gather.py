"""Gather what a command works from: the flags over a profile's values, or on a terminal the
questions for what is missing; each result checked as a whole."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from tjm.clock import today
from tjm.errors import UsageError
from tjm.fields import NATIONAL
from tjm.i18n import _
from tjm.inputs import (
    Given,
    IncomeInputs,
    QuoteInputs,
    SalesInputs,
    check_quote,
    merge_income,
    merge_sales,
)

if TYPE_CHECKING:
    from tjm.store.profiles import Profile


class Answers(NamedTuple):
    """What a pricing command works from: the flags, the profile, and any answers."""

    inputs: QuoteInputs
    income: IncomeInputs
    asked: bool  # True when the questions ran
    sales: SalesInputs | None = None  # how the user sells: asked, then settled with the rest
    details: bool = False  # the last question: show every table, list and warning


def stored_profile(name: str | None) -> Profile | None:
    """Return the profile --profile names (read once, when the run chose its language), or
    None without one."""
    if name is None:
        return None
    from tjm.cli.lang import current_run, profile_read

    return profile_read(current_run(), name).profile


def settle_sales(
    sales: SalesInputs, income: IncomeInputs, stored: Profile | None
) -> tuple[SalesInputs, IncomeInputs]:
    """Return the sales flags merged over a profile's, checked against the income side,
    with the clients' days checked against the billable days."""
    from tjm import api

    return api.settle_sales(merge_sales(sales, None if stored is None else stored.sales), income)


def load_income(
    income: IncomeInputs, stored: Profile | None, every_status: bool = False
) -> IncomeInputs:
    """Return the income flags merged over a profile's, checked as a whole (with
    `every_status`, for tjm statuses: each status option for its own statuses)."""
    from tjm import api

    base = None if stored is None else stored.income
    return api.check_income(merge_income(income, base), today(), every_status)


def gather_answers(
    given: Given,
    income: IncomeInputs,
    sales: SalesInputs,
    stored: Profile | None,
    may_ask: bool,
) -> Answers:
    """Gather the pricing, income and sales inputs (see _gather_inputs), the sales settled
    against the income side."""
    from tjm import api

    answers = _gather_inputs(given, api.imply_status(sales, income), stored, may_ask, sales)
    sales, settled = settle_sales(answers.sales or sales, answers.income, stored)
    return answers._replace(income=settled, sales=sales)


def _gather_inputs(
    given: Given,
    income: IncomeInputs,
    stored: Profile | None,
    may_ask: bool,
    sales: SalesInputs,
) -> Answers:
    """Merge flags over the profile; on a terminal with role or years missing, ask instead,
    offering the profile's values as defaults; else name the missing flags."""
    base, base_income, base_sales = (
        (None, None, None) if stored is None else (stored.inputs, stored.income, stored.sales)
    )
    if (given.role is None or given.years is None) and may_ask:
        from tjm.cli import prompts

        if prompts.can_ask():
            from tjm import api

            asker, dataset = prompts.make_asker(), api.dataset()
            inputs = prompts.ask_quote_inputs(asker, dataset, given, base)
            from tjm.cli.output import print_result

            questions: set[str] = set()
            asked = prompts.ask_income(
                asker,
                income,
                base_income,
                dataset,
                today(),
                questions,
                show=lambda result: print_result(result, False),
            )
            how, asked = prompts.ask_sales(
                asker,
                sales,
                base_sales,
                asked,
                dataset,
                today(),
                week_asked="days_per_week" in questions,
            )
            details = prompts.ask_details(asker)
            checked = api.check_income(asked, today())
            return Answers(check_quote(inputs), checked, True, how, details)
    if base is None:
        missing = [f for f, v in (("--role", given.role), ("--years", given.years)) if v is None]
        if len(missing) == 2:
            raise UsageError(
                _(
                    "missing {flag} and {other}; pass them on the command line, or --profile NAME"
                ).format(flag=missing[0], other=missing[1])
            )
        if missing:
            raise UsageError(
                _("missing {flag}; pass it on the command line, or --profile NAME").format(
                    flag=missing[0]
                )
            )
    # base is None only when the flags gave both role and years (checked just above).
    inputs = QuoteInputs(
        role=given.role if given.role is not None else base.role,  # type: ignore[union-attr]
        years=given.years if given.years is not None else base.years,  # type: ignore[union-attr]
        region=given.region or (base.region if base else NATIONAL),
        skills=given.skills if given.skills is not None else (base.skills if base else ()),
        rate=given.rate if given.rate is not None else (base.rate if base else None),
    )
    from tjm import api

    income = api.check_income(merge_income(income, base_income), today())
    return Answers(check_quote(inputs), income, False)
