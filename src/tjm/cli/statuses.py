"""tjm statuses: which status nets most, as the floor of each for a target or its net at a rate."""

from __future__ import annotations

import functools
from typing import Annotated

import typer

from tjm.cli.common import (
    JsonFlag,
    ProfileOpt,
    load_income,
    make_console,
    parse_flag,
    today,
    with_income_options,
)
from tjm.errors import UsageError
from tjm.inputs import NO_INCOME, STATUSES, IncomeInputs, check_reachable_by_any


@functools.partial(with_income_options, without=("status",))
def statuses(
    rate: Annotated[str | None, typer.Option(
        "--rate", metavar="EUR", help="Compare the yearly net of every status at this day "
                                      "rate (instead of --target-net).")] = None,
    profile: ProfileOpt = None,
    as_json: JsonFlag = False,
    income: IncomeInputs = NO_INCOME,
) -> None:
    """Compare every status: its floor for --target-net (cheapest first), or its net at --rate.

    Each status option goes to the statuses it belongs to; custom joins with --charges-rate.
    """
    day_rate = parse_flag("rate", rate)
    if day_rate is not None and income.target_net is not None:
        raise UsageError("--target-net, --rate: give one of them, not both")
    income = load_income(income, profile, every_status=True)
    if day_rate is not None:
        income = income._replace(target_net=None)  # a profile's target gives way to the rate
    elif income.target_net is None:
        raise UsageError("missing --target-net or --rate; pass one, or a --profile with a "
                         "target net")
    compared = tuple(s for s in STATUSES if s != "custom" or income.charges_rate is not None)
    if income.target_net is not None:
        check_reachable_by_any(income, compared, today())
    from tjm import render, render_income
    from tjm.benchmarks import load_dataset
    from tjm.income import compare_statuses, prepare

    situation, _ = prepare(income, load_dataset().billable_days, today())
    rows = compare_statuses(situation, compared, income.target_net, day_rate)
    if as_json:
        render.print_json(render_income.statuses_json(rows, income.target_net))
    else:
        render_income.show_statuses(make_console(), rows, income.target_net, day_rate,
                                    situation.days.total, situation.rules.year)
