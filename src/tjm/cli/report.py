"""tjm report: the quote, the floor per status, the channels and the sources, as one page to
send (self-contained HTML, printable to A4) or as Markdown."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from tjm.cli.options import (
    AsOfOpt,
    NoUserDataFlag,
    OutputOpt,
    OverwriteFlag,
    ProfileOpt,
    RateOpt,
    RegionOpt,
    RoleOpt,
    SkillOpt,
    YearsOpt,
    as_of_date,
    given_flags,
    parse_flag,
    with_income_options,
    with_sales_options,
)
from tjm.errors import InputError
from tjm.i18n import N_, _
from tjm.inputs import NO_INCOME, NO_SALES, IncomeInputs, SalesInputs

FORMATS = ("html", "md")


@with_income_options
@with_sales_options
def report(
    role: RoleOpt = None,
    years: YearsOpt = None,
    region: RegionOpt = None,
    skill: SkillOpt = None,
    rate: RateOpt = None,
    profile: ProfileOpt = None,
    output: OutputOpt = None,
    fmt: Annotated[
        str, typer.Option("--format", help=N_("html (one page, printable) or md (Markdown)."))
    ] = "html",
    force: OverwriteFlag = False,
    as_of: AsOfOpt = None,
    no_user_data: NoUserDataFlag = False,
    income: IncomeInputs = NO_INCOME,
    sales: SalesInputs = NO_SALES,
) -> None:
    """Write a report to send: the quote and its band, the floor per status, the channels and
    what each source says, with links; the same inputs as tjm quote."""
    from tjm.cli.gather import gather_answers, stored_profile
    from tjm.store.destination import check_output, staged_output

    if fmt not in FORMATS:
        problem = _("expected html or md, got {value}").format(value=repr(fmt))
        raise InputError("format", problem, code="bad-choice")
    target = None if output is None else check_output(output, force)
    parse_flag("as_of", as_of)  # a bad date fails before any question
    given = given_flags(role, years, region, skill, parse_flag("rate", rate))
    answers = gather_answers(given, income, sales, stored_profile(profile), may_ask=True)
    from tjm import api

    text = api.report_text(
        answers.inputs,
        answers.income,
        answers.sales or SalesInputs(),
        fmt,
        as_of_date(as_of),
        not no_user_data,
    )
    if target is None:
        sys.stdout.write(text)
        return
    with staged_output(target, force) as out:
        out.write(text)
    typer.echo(_("Report written to {path}").format(path=target), err=True)
