"""The pricing commands: quote, compare and floor."""

from __future__ import annotations

from typing import Annotated

import typer

from tjm.cli.common import (
    AsOfOpt,
    ForceFlag,
    JsonFlag,
    NoUserDataFlag,
    ProfileOpt,
    RateOpt,
    RegionOpt,
    RoleOpt,
    SkillOpt,
    YearsOpt,
    check_save_name,
    gather_inputs,
    given_flags,
    load_income,
    make_console,
    parse_flag,
    price,
    save_profile,
    today,
    with_income_options,
)
from tjm.errors import InputError, UsageError
from tjm.inputs import NO_INCOME, IncomeInputs


@with_income_options
def quote(
    role: RoleOpt = None,
    years: YearsOpt = None,
    region: RegionOpt = None,
    skill: SkillOpt = None,
    rate: RateOpt = None,
    profile: ProfileOpt = None,
    save: Annotated[str | None, typer.Option("--save", metavar="NAME", help="Save the inputs "
                                             "used as a profile of this name.")] = None,
    force: ForceFlag = False,
    as_of: AsOfOpt = None,
    no_user_data: NoUserDataFlag = False,
    as_json: JsonFlag = False,
    income: IncomeInputs = NO_INCOME,
) -> None:
    """Suggest a day rate, with its market band and the reasons behind it."""
    check_save_name(save, force)
    parse_flag("as_of", as_of)  # a bad date fails before any question
    given = given_flags(role, years, region, skill, parse_flag("rate", rate))
    answers = gather_inputs(given, income, profile, may_ask=not as_json)
    # Rendering and the model load after the questions, so the first one shows at once.
    from tjm import render

    result = price(answers, as_of, no_user_data)
    if as_json:
        render.print_json(render.quote_json(result))
    else:
        render.show_quote(make_console(), result)
    if save is not None:
        save_profile(save, answers, force)
    elif answers.asked:
        from tjm import profiles
        from tjm.prompts import ask_save_name, default_profile_name, make_asker

        stored_name = profile if profile and profiles.resolve(profile).parent == \
            profiles.profiles_dir() else None
        name = ask_save_name(make_asker(), stored_name or default_profile_name(answers.inputs),
                             profiles.exists)
        if name is not None:
            save_profile(name, answers, force=True)


@with_income_options
def compare(
    rate: Annotated[str, typer.Argument(help="The day rate to place in the band, EUR.")],
    role: RoleOpt = None,
    years: YearsOpt = None,
    region: RegionOpt = None,
    skill: SkillOpt = None,
    profile: ProfileOpt = None,
    as_of: AsOfOpt = None,
    no_user_data: NoUserDataFlag = False,
    as_json: JsonFlag = False,
    income: IncomeInputs = NO_INCOME,
) -> None:
    """Place a day rate in its market band: percentile, verdict and gap to the median."""
    try:
        value = parse_flag("rate", rate)
    except InputError as exc:
        raise UsageError(exc.labelled(lambda _: "RATE")) from None
    answers = gather_inputs(given_flags(role, years, region, skill, value), income, profile,
                            may_ask=not as_json, ask_rate=False)
    from tjm import render

    result = price(answers, as_of, no_user_data)
    if as_json:
        render.print_json(render.quote_json(result))
    else:
        render.show_compare(make_console(), result)


@with_income_options
def floor(
    profile: ProfileOpt = None,
    as_json: JsonFlag = False,
    income: IncomeInputs = NO_INCOME,
) -> None:
    """Work out the lowest day rate that reaches a target net income."""
    income = load_income(income, profile)
    if income.target_net is None:
        raise UsageError("missing --target-net; pass it, or a --profile that has one")
    from tjm import render, render_income
    from tjm.benchmarks import load_dataset
    from tjm.income import find_floor

    result = find_floor(income, income.target_net, load_dataset().billable_days, today())
    if as_json:
        render.print_json(render_income.floor_json(result))
    else:
        render_income.show_floor(make_console(), result)
