"""The pricing commands: quote, compare and floor."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from tjm.cli.common import (
    Answers,
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
    imply_status,
    load_income,
    make_console,
    parse_flag,
    price,
    save_profile,
    settle_sales,
    today,
    with_income_options,
    with_sales_options,
)
from tjm.errors import InputError, UsageError
from tjm.inputs import NO_INCOME, NO_SALES, IncomeInputs, SalesInputs

if TYPE_CHECKING:
    from rich.console import Console

    from tjm.benchmarks import Dataset
    from tjm.channels import ChannelView
    from tjm.engagement import Engagement
    from tjm.pricing import Quote


def _price(
    answers: Answers, sales: SalesInputs, as_of: str | None, no_user_data: bool
) -> tuple[Quote, ChannelView | None, Engagement, Dataset]:
    """Price the answers through the chosen channel; return the quote, the channel view (None
    without --channel) and the engagement shape."""
    from tjm.benchmarks import load_dataset
    from tjm.channels import billed_back_share, channel_view, fee_for
    from tjm.engagement import shape_year
    from tjm.income import billable_days

    dataset = load_dataset()
    inputs, income = answers.inputs, answers.income
    view = None
    if sales.channel is not None:
        view = channel_view(dataset, sales, income, role=inputs.role, rate=inputs.rate)
    result = price(
        answers,
        as_of,
        no_user_data,
        position_rate=None if view is None else view.compared_rate,
        channel_fee=billed_back_share(fee_for(dataset, sales, income)),
    )
    if view is not None and result.floor is not None:
        view = channel_view(
            dataset, sales, income, role=inputs.role, rate=inputs.rate, floor_rate=result.floor.rate
        )
    floor = result.floor
    # A discount or half-days apply to your rate, else your clients' blend, else the target.
    rate = inputs.rate if inputs.rate is not None or sales.clients else result.target
    shape = shape_year(
        sales,
        billable_days(income, dataset.billable_days).total,
        rate,
        None if floor is None else floor.rate,
        None if floor is None else floor.result.turnover,
        dataset.param("half_day_rate_share"),
    )
    return result, view, shape, dataset


def _print(
    result: Quote,
    view: ChannelView | None,
    shape: Engagement,
    dataset: Dataset,
    as_json: bool,
    show: Callable[[Console, Quote], None],
) -> None:
    from tjm import render, render_channels

    if as_json:
        render.print_json(
            {
                **render.quote_json(result),
                "channel": render_channels.channel_view_json(dataset, view),
                "engagement": render_channels.engagement_json(*shape, dataset),
            }
        )
    else:
        console = make_console()
        show(console, result)
        render_channels.show_channel_view(console, dataset, view)
        render_channels.show_engagement(console, *shape, dataset)


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
            "--save", metavar="NAME", help="Save the inputs used as a profile of this name."
        ),
    ] = None,
    force: ForceFlag = False,
    as_of: AsOfOpt = None,
    no_user_data: NoUserDataFlag = False,
    as_json: JsonFlag = False,
    income: IncomeInputs = NO_INCOME,
    sales: SalesInputs = NO_SALES,
) -> None:
    """Suggest a day rate, with its market band and the reasons behind it."""
    check_save_name(save, force)
    parse_flag("as_of", as_of)  # a bad date fails before any question
    given = given_flags(role, years, region, skill, parse_flag("rate", rate))
    answers = gather_inputs(
        given, imply_status(sales, income), profile, may_ask=not as_json, sales=sales
    )
    sales, settled = settle_sales(answers.sales or sales, answers.income, profile)
    answers = answers._replace(income=settled)
    # Rendering and the model load after the questions, so the first one shows at once.
    from tjm import render

    result, view, shape, dataset = _price(answers, sales, as_of, no_user_data)
    _print(result, view, shape, dataset, as_json, render.show_quote)
    if save is not None:
        save_profile(save, answers, force, sales=sales)
    elif answers.asked:
        from tjm import profiles
        from tjm.prompts import ask_save_name, default_profile_name, make_asker

        stored_name = (
            profile
            if profile and profiles.resolve(profile).parent == profiles.profiles_dir()
            else None
        )
        name = ask_save_name(
            make_asker(), stored_name or default_profile_name(answers.inputs), profiles.exists
        )
        if name is not None:
            save_profile(name, answers, force=True, sales=sales)


@with_income_options
@with_sales_options
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
    sales: SalesInputs = NO_SALES,
) -> None:
    """Place a day rate in its market band: percentile, verdict and gap to the median."""
    try:
        value = parse_flag("rate", rate)
    except InputError as exc:
        raise UsageError(exc.labelled(lambda _: "RATE")) from None
    answers = gather_inputs(
        given_flags(role, years, region, skill, value),
        imply_status(sales, income),
        profile,
        may_ask=not as_json,
        ask_rate=False,
        sales=sales,
    )
    sales, settled = settle_sales(answers.sales or sales, answers.income, profile)
    from tjm import render

    result, view, shape, dataset = _price(
        answers._replace(income=settled), sales, as_of, no_user_data
    )
    _print(result, view, shape, dataset, as_json, render.show_compare)


@with_income_options
@with_sales_options
def floor(
    profile: ProfileOpt = None,
    as_json: JsonFlag = False,
    income: IncomeInputs = NO_INCOME,
    sales: SalesInputs = NO_SALES,
) -> None:
    """Work out the lowest day rate that reaches a target net income (through a channel: the
    price the client pays)."""
    income = load_income(imply_status(sales, income), profile)
    sales, income = settle_sales(sales, income, profile)
    if income.target_net is None:
        raise UsageError("missing --target-net; pass it, or a --profile that has one")
    from tjm import render, render_channels, render_income
    from tjm.benchmarks import load_dataset
    from tjm.channels import billed_back_share, channel_view, fee_for
    from tjm.engagement import shape_year
    from tjm.income import find_floor

    dataset = load_dataset()
    result = find_floor(
        income,
        income.target_net,
        dataset.billable_days,
        today(),
        billed_back_share(fee_for(dataset, sales, income)),
    )
    view = None
    if sales.channel is not None:
        view = channel_view(dataset, sales, income, floor_rate=result.rate)
    # A discount or half-days apply to your clients' blend, else to the floor itself.
    shape = shape_year(
        sales,
        result.days.total,
        None if sales.clients else result.rate,
        result.rate,
        result.result.turnover,
        dataset.param("half_day_rate_share"),
    )
    if as_json:
        render.print_json(
            {
                **render_income.floor_json(result),
                "channel": render_channels.channel_view_json(dataset, view),
                "engagement": render_channels.engagement_json(*shape, dataset),
            }
        )
    else:
        console = make_console()
        render_income.show_floor(console, result)
        render_channels.show_channel_view(console, dataset, view)
        render_channels.show_engagement(console, *shape, dataset)
