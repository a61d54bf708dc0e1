"""tjm channel: what the client pays and what reaches the freelancer, through each channel."""

from __future__ import annotations

from typing import Annotated

import typer

from tjm.cli.gather import stored_profile
from tjm.cli.options import (
    CHANNEL_KEYS,
    DetailsFlag,
    JsonFlag,
    ProfileOpt,
    parse_flag,
    with_sales_options,
)
from tjm.cli.output import print_result
from tjm.errors import UsageError
from tjm.i18n import N_, _
from tjm.inputs import NO_SALES, IncomeInputs, SalesInputs, merge_sales


@with_sales_options(keys=CHANNEL_KEYS)
def channel(
    rate: Annotated[
        str | None,
        typer.Option(
            "--rate",
            metavar="EUR",
            help=N_(
                "Your day rate: what you invoice (in portage, what is paid to you). Gives "
                "what each channel's client pays."
            ),
        ),
    ] = None,
    client_price: Annotated[
        str | None,
        typer.Option(
            "--client-price",
            metavar="EUR",
            help=N_("What the client pays per day. Gives what reaches you through each channel."),
        ),
    ] = None,
    portage_fee: Annotated[
        str | None,
        typer.Option(
            "--portage-fee",
            metavar="PCT",
            help=N_("The portage company's fee, % (default {channel_portage_fee})."),
        ),
    ] = None,
    profile: ProfileOpt = None,
    as_json: JsonFlag = False,
    details: DetailsFlag = False,
    sales: SalesInputs = NO_SALES,
) -> None:
    """Show what the client pays and what reaches you, direct, on Malt, via an ESN, in portage."""
    if (rate is None) == (client_price is None):
        raise UsageError(_("pass one of --rate and --client-price"))
    value = parse_flag("rate", rate)
    price = parse_flag("client_price", client_price)
    income = IncomeInputs(portage_fee=parse_flag("portage_fee", portage_fee))
    stored = stored_profile(profile)
    if stored is not None:
        # The profile's fee settings fill what the flags leave; its channel does not narrow
        # the table (pass --channel for that).
        kept = SalesInputs(
            months_with_client=stored.sales.months_with_client, margin=stored.sales.margin
        )
        sales = merge_sales(sales, kept)
        if income.portage_fee is None:
            income = income._replace(portage_fee=stored.income.portage_fee)
    from tjm import api

    print_result(api.channels_for(sales, income, value, price), as_json, details)
