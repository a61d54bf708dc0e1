"""The pricing commands: quote, compare and floor."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from tjm.cli.gather import (
    Answers,
    gather_answers,
    load_income,
    settle_sales,
    stored_profile,
)
from tjm.cli.options import (
    AsOfOpt,
    DetailsFlag,
    ForceFlag,
    JsonFlag,
    NoUserDataFlag,
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
from tjm.cli.output import print_result
from tjm.cli.save import check_save_name, offer_save, save_profile
from tjm.errors import InputError, UsageError
from tjm.i18n import N_, _
from tjm.inputs import NO_INCOME, NO_SALES, Given, IncomeInputs, SalesInputs

if TYPE_CHECKING:
    pass


@with_income_options
@with_sales_options
def quote(
    role: RoleOpt = None,
    years: YearsOpt = None,
    region: RegionOpt = None,
    skill: SkillOpt = None,
    rate: RateOpt = None,
    profile: ProfileOpt = None,
    save: Annotated[
        str | None,
        typer.Option(
            "--save", metavar="NAME", help=N_("Save the inputs used as a profile of this name.")
        ),
    ] = None,
    force: ForceFlag = False,
    as_of: AsOfOpt = None,
    no_user_data: NoUserDataFlag = False,
    as_json: JsonFlag = False,
    details: DetailsFlag = False,
    income: IncomeInputs = NO_INCOME,
    sales: SalesInputs = NO_SALES,
) -> None:
    """Suggest a day rate, with its market band and the reasons behind it."""
    check_save_name(save, force)
    given = given_flags(role, years, region, skill, parse_flag("rate", rate))
    answers = _quote("quote", given, income, sales, profile, as_of, no_user_data, as_json, details)
    if save is not None:
        save_profile(save, answers, force, base=profile)
    elif answers.asked:
        offer_save(answers, profile)


@with_income_options
@with_sales_options
def compare(
    rate: Annotated[str, typer.Argument(help=N_("The day rate to place in the band, EUR."))],
    role: RoleOpt = None,
    years: YearsOpt = None,
    region: RegionOpt = None,
    skill: SkillOpt = None,
    profile: ProfileOpt = None,
    as_of: AsOfOpt = None,
    no_user_data: NoUserDataFlag = False,
    as_json: JsonFlag = False,
    details: DetailsFlag = False,
    income: IncomeInputs = NO_INCOME,
    sales: SalesInputs = NO_SALES,
) -> None:
    """Place a day rate in its market band: percentile, verdict and gap to the median."""
    try:
        value = parse_flag("rate", rate)
    except InputError as exc:
        raise UsageError(exc.labelled(lambda _: "RATE"), code=exc.code) from None
    given = given_flags(role, years, region, skill, value)
    _quote("compare", given, income, sales, profile, as_of, no_user_data, as_json, details)


@with_income_options
@with_sales_options
def floor(
    profile: ProfileOpt = None,
    as_json: JsonFlag = False,
    details: DetailsFlag = False,
    income: IncomeInputs = NO_INCOME,
    sales: SalesInputs = NO_SALES,
) -> None:
    """Work out the lowest day rate that reaches a target net income (through a channel: the
    price the client pays)."""
    from tjm import api

    stored = stored_profile(profile)
    income = load_income(api.imply_status(sales, income), stored)
    sales, income = settle_sales(sales, income, stored)
    if income.target_net is None:
        raise UsageError(_("missing --target-net; pass it, or a --profile that has one"))
    print_result(api.floor_for(income, sales), as_json, details)


def _quote(
    command: str,
    given: Given,
    income: IncomeInputs,
    sales: SalesInputs,
    profile: str | None,
    as_of: str | None,
    no_user_data: bool,
    as_json: bool,
    details: bool = False,
) -> Answers:
    """Gather, price and print a quote or a comparison (`command`); return the answers."""
    parse_flag("as_of", as_of)  # a bad date fails before any question
    answers = gather_answers(given, income, sales, stored_profile(profile), may_ask=not as_json)
    # The model loads after the questions, so the first one shows at once.
    from tjm import api

    kind = api.Quote if command == "quote" else api.Comparison
    sales = answers.sales or SalesInputs()
    result = api.price(
        kind, answers.inputs, answers.income, sales, as_of_date(as_of), not no_user_data
    )
    print_result(result, as_json, details or answers.details)
    return answers
