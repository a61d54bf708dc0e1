"""tjm statuses: which status nets most, as the floor of each for a target or its net at a rate."""

from __future__ import annotations

import functools
from typing import Annotated

import typer

from tjm.cli.gather import load_income, stored_profile
from tjm.cli.options import (
    CHANNEL_KEYS,
    JsonFlag,
    ProfileOpt,
    parse_flag,
    with_income_options,
    with_sales_options,
)
from tjm.cli.output import emit
from tjm.clock import today
from tjm.errors import InputError, UsageError
from tjm.fields import STATUSES
from tjm.france.checks import check_reachable_by_any
from tjm.i18n import N_, _
from tjm.inputs import NO_INCOME, NO_SALES, IncomeInputs, SalesInputs, check_sales
from tjm.registry import CHANNELS


@functools.partial(with_income_options, without=("status",))
@with_sales_options(keys=CHANNEL_KEYS)
def statuses(
    rate: Annotated[
        str | None,
        typer.Option(
            "--rate",
            metavar="EUR",
            help=N_(
                "Compare the yearly net of every status at this day rate (instead of --target-net)."
            ),
        ),
    ] = None,
    profile: ProfileOpt = None,
    as_json: JsonFlag = False,
    income: IncomeInputs = NO_INCOME,
    sales: SalesInputs = NO_SALES,
) -> None:
    """Compare every status: its floor for --target-net (cheapest first), or its net at --rate.

    Each status option goes to the statuses it belongs to; custom joins with --charges-rate.
    With --channel, each floor is also stated as the price the client pays through it.
    """
    if sales.channel is not None and CHANNELS[sales.channel].status is not None:
        raise InputError(
            "channel",
            _("portage is one of the statuses compared; use direct, malt or esn here"),
            code="channel-mismatch",
        )
    check_sales(sales, IncomeInputs())
    day_rate = parse_flag("rate", rate)
    if day_rate is not None and income.target_net is not None:
        problem = _("give one of them, not both")
        raise InputError(("target_net", "rate"), problem, code="conflicting-flags")
    income = load_income(income, stored_profile(profile), every_status=True)
    if day_rate is not None:
        income = income._replace(target_net=None)  # a profile's target gives way to the rate
    elif income.target_net is None:
        raise UsageError(
            _("missing --target-net or --rate; pass one, or a --profile with a target net")
        )
    compared = tuple(s for s in STATUSES if s != "custom" or income.charges_rate is not None)
    if income.target_net is not None:
        check_reachable_by_any(income, compared, today())
    from tjm.dataset.load import load_dataset
    from tjm.france.income import compare_statuses, prepare
    from tjm.render import income as render_income

    dataset = load_dataset()
    situation = prepare(income, dataset.billable_days, today())[0]
    fee = None
    if sales.channel is not None:
        from tjm.sales.channels import BILLED_BACK, channel_fee

        # One fee for every status: VAT-registered (a micro under the threshold pays Malt's
        # fee VAT included; the warning says so).
        fee = channel_fee(dataset, sales.channel, sales, income)
        if fee.channel in BILLED_BACK:
            situation = situation._replace(channel_fee=fee.rate)
    rows = compare_statuses(situation, compared, income.target_net, day_rate)
    emit(
        "statuses",
        as_json,
        lambda: render_income.statuses_json(dataset, rows, income.target_net, fee),
        lambda console: render_income.show_statuses(
            console, dataset, rows, income.target_net, day_rate, situation, fee
        ),
    )
