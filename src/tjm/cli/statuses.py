"""tjm statuses: which status nets most, as the floor of each for a target or its net at a rate."""

from __future__ import annotations

import functools
from typing import Annotated

import typer

from tjm.cli.gather import stored_profile
from tjm.cli.options import (
    CHANNEL_KEYS,
    DetailsFlag,
    JsonFlag,
    ProfileOpt,
    parse_flag,
    with_income_options,
    with_sales_options,
)
from tjm.cli.output import print_result
from tjm.i18n import N_
from tjm.inputs import NO_INCOME, NO_SALES, IncomeInputs, SalesInputs


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
    sort: Annotated[
        str | None,
        typer.Option(
            "--sort",
            metavar="net|protection",
            help=N_(
                "Rank by net (the default) or by what the contributions buy (protection: "
                "unemployment cover, quarters, sick pay, invalidity, death capital)."
            ),
        ),
    ] = None,
    profile: ProfileOpt = None,
    as_json: JsonFlag = False,
    details: DetailsFlag = False,
    income: IncomeInputs = NO_INCOME,
    sales: SalesInputs = NO_SALES,
) -> None:
    """Compare every status: its floor for --target-net (cheapest first), or its net at --rate,
    with what its contributions buy and what its company costs.

    Each status option goes to the statuses it belongs to; custom joins with --charges-rate.
    With --channel, each floor is also stated as the price the client pays through it.
    """
    from tjm import api

    stored = stored_profile(profile)
    day_rate = parse_flag("rate", rate)
    order = parse_flag("sort", sort) or "net"
    result = api.statuses_for(
        income, sales, day_rate, None if stored is None else stored.income, sort=order
    )
    print_result(result, as_json, details)
