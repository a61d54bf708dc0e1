"""The pricing commands: quote, compare and floor."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tjm.cli.gather import (
    Answers,
    gather_answers,
    imply_status,
    load_income,
    settle_sales,
    stored_profile,
)
from tjm.cli.options import (
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
    as_of_date,
    given_flags,
    parse_flag,
    with_income_options,
    with_sales_options,
)
from tjm.cli.output import emit
from tjm.cli.save import check_save_name, offer_save, save_profile
from tjm.clock import today
from tjm.errors import InputError, UsageError
from tjm.i18n import N_, _
from tjm.inputs import NO_INCOME, NO_SALES, Given, IncomeInputs, SalesInputs

if TYPE_CHECKING:
    from rich.console import Console

    from tjm.dataset.records import Dataset
    from tjm.france.income import Floor
    from tjm.market.quote import Quote
    from tjm.sales.channels import ChannelView
    from tjm.sales.engagement import Engagement


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
    income: IncomeInputs = NO_INCOME,
    sales: SalesInputs = NO_SALES,
) -> None:
    """Suggest a day rate, with its market band and the reasons behind it."""
    check_save_name(save, force)
    given = given_flags(role, years, region, skill, parse_flag("rate", rate))
    answers = _quote("quote", given, income, sales, profile, as_of, no_user_data, as_json)
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
    income: IncomeInputs = NO_INCOME,
    sales: SalesInputs = NO_SALES,
) -> None:
    """Place a day rate in its market band: percentile, verdict and gap to the median."""
    try:
        value = parse_flag("rate", rate)
    except InputError as exc:
        raise UsageError(exc.labelled(lambda _: "RATE"), code=exc.code) from None
    given = given_flags(role, years, region, skill, value)
    _quote("compare", given, income, sales, profile, as_of, no_user_data, as_json)


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
    stored = stored_profile(profile)
    income = load_income(imply_status(sales, income), stored)
    sales, income = settle_sales(sales, income, stored)
    if income.target_net is None:
        raise UsageError(_("missing --target-net; pass it, or a --profile that has one"))
    from tjm.dataset.load import load_dataset
    from tjm.france.income import find_floor
    from tjm.render import income as render_income
    from tjm.sales.channels import billed_back_share, channel_view, fee_for

    dataset = load_dataset()
    fee = billed_back_share(fee_for(dataset, sales, income))
    result = find_floor(income, income.target_net, dataset.billable_days, today(), fee)
    view = None
    if sales.channel is not None:
        view = channel_view(dataset, sales, income, floor_rate=result.rate)
    # A discount or half-days apply to your clients' blend, else to the floor itself.
    rate = None if sales.clients else result.rate
    shape = _shape(dataset, sales, result.days.total, rate, result)
    _emit(
        "floor",
        as_json,
        lambda: render_income.floor_json(result),
        lambda console: render_income.show_floor(console, result),
        dataset,
        view,
        shape,
    )


def _quote(
    kind: str,
    given: Given,
    income: IncomeInputs,
    sales: SalesInputs,
    profile: str | None,
    as_of: str | None,
    no_user_data: bool,
    as_json: bool,
) -> Answers:
    """Gather, price and print a quote or a comparison (`kind`); return the answers."""
    parse_flag("as_of", as_of)  # a bad date fails before any question
    answers = gather_answers(given, income, sales, stored_profile(profile), may_ask=not as_json)
    # Rendering and the model load after the questions, so the first one shows at once.
    from tjm.render import quote as render

    result, view, shape, dataset = _price(answers, as_of, no_user_data)
    show = render.show_quote if kind == "quote" else render.show_compare
    _emit(
        kind,
        as_json,
        lambda: render.quote_json(result),
        lambda console: show(console, result),
        dataset,
        view,
        shape,
    )
    return answers


def _price(
    answers: Answers, as_of: str | None, no_user_data: bool
) -> tuple[Quote, ChannelView | None, Engagement, Dataset]:
    """Price the answers with the packaged observations (by --as-of) and the user's own,
    through the chosen channel; return the quote, the channel view (None without
    --channel), the engagement shape and the dataset."""
    from tjm.dataset.load import load_dataset
    from tjm.france.income import billable_days
    from tjm.market.model import model_for
    from tjm.market.quote import price_quote, user_effects
    from tjm.market.userdata import realised, user_for_pricing
    from tjm.sales.channels import billed_back_share, channel_view, fee_for

    dataset = load_dataset()
    inputs, income, sales = answers.inputs, answers.income, answers.sales or NO_SALES
    when = as_of_date(as_of)
    user = user_for_pricing(no_user_data)
    view = None
    if sales.channel is not None:
        view = channel_view(dataset, sales, income, role=inputs.role, rate=inputs.rate)
    result = price_quote(
        inputs,
        when or today(),
        model=model_for(when, user),
        income=income,
        position_rate=None if view is None else view.compared_rate,
        channel_fee=billed_back_share(fee_for(dataset, sales, income)),
    )
    if user is not None and user.observations:
        result = result._replace(user_effects=user_effects(inputs, user, when))
    if user is not None and user.missions:
        result = result._replace(realised=realised(user.missions, when or today()))
    if view is not None and result.floor is not None:
        view = channel_view(
            dataset, sales, income, role=inputs.role, rate=inputs.rate, floor_rate=result.floor.rate
        )
    # A discount or half-days apply to your rate, else your clients' blend, else the target.
    rate = inputs.rate if inputs.rate is not None or sales.clients else result.target
    days = billable_days(income, dataset.billable_days).total
    return result, view, _shape(dataset, sales, days, rate, result.floor), dataset


def _shape(
    dataset: Dataset, sales: SalesInputs, days: float, rate: float | None, floor: Floor | None
) -> Engagement:
    """Return the engagement shape of a year of `days` billable days at `rate`."""
    from tjm.sales.engagement import shape_year

    return shape_year(
        sales,
        days,
        rate,
        None if floor is None else floor.rate,
        None if floor is None else floor.result.turnover,
        dataset.param("half_day_rate_share"),
    )


def _emit(
    kind: str,
    as_json: bool,
    data: Callable[[], dict[str, Any]],
    show: Callable[[Console], None],
    dataset: Dataset,
    view: ChannelView | None,
    shape: Engagement,
) -> None:
    """Print a priced result followed by its channel view and engagement shape."""
    from tjm.render import channels as render_channels

    def show_all(console: Console) -> None:
        show(console)
        render_channels.show_sales(console, dataset, view, shape)

    emit(
        kind,
        as_json,
        lambda: {**data(), **render_channels.sales_json(dataset, view, shape)},
        show_all,
    )
