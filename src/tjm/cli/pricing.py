"""The pricing commands: quote, compare and floor."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from tjm.cli.common import (
    ForceFlag,
    JsonFlag,
    ProfileOpt,
    RateOpt,
    RegionOpt,
    RoleOpt,
    SkillOpt,
    YearsOpt,
    app,
    check_save_target,
    error_boundary,
    gather_inputs,
    make_console,
    parse_number,
    save_profile,
    with_income_options,
)


@app.command()
@error_boundary
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
    as_json: JsonFlag = False,
    income=None,
) -> None:
    """Suggest a day rate, with its market band and the reasons behind it."""
    if save is not None:
        check_save_target(save, force)
    answers = gather_inputs(role, years, region, skill, parse_number("--rate", rate), income,
                            profile, may_ask=not as_json)
    # Rendering and the model load after the questions, so the first one shows at once.
    from tjm import render
    from tjm.pricing import quote as price

    result = price(answers.inputs, dt.date.today(), income=answers.income)
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


@app.command()
@error_boundary
@with_income_options
def compare(
    rate: Annotated[str, typer.Argument(help="The day rate to place in the band, EUR.")],
    role: RoleOpt = None,
    years: YearsOpt = None,
    region: RegionOpt = None,
    skill: SkillOpt = None,
    profile: ProfileOpt = None,
    as_json: JsonFlag = False,
    income=None,
) -> None:
    """Place a day rate in its market band: percentile, verdict and gap to the median."""
    answers = gather_inputs(role, years, region, skill, parse_number("RATE", rate), income,
                            profile, may_ask=not as_json, ask_rate=False)
    from tjm import render
    from tjm.pricing import quote as price

    result = price(answers.inputs, dt.date.today(), income=answers.income)
    if as_json:
        render.print_json(render.quote_json(result))
    else:
        render.show_compare(make_console(), result)


@app.command()
@error_boundary
@with_income_options
def floor(
    profile: ProfileOpt = None,
    as_json: JsonFlag = False,
    income=None,
) -> None:
    """Work out the lowest day rate that reaches a target net income."""
    from tjm import render
    from tjm.benchmarks import load_dataset
    from tjm.income import floor as solve

    if profile is not None:
        from tjm import profiles

        income = income.merged_over(profiles.load(profile).profile.income)
    result = solve(income, load_dataset().billable_days, dt.date.today())
    if as_json:
        render.print_json(render.floor_json(result))
    else:
        render.show_floor(make_console(), result)
