"""tjm channel: what the client pays and what reaches the freelancer, through each channel."""

from __future__ import annotations

from typing import Annotated

import typer

from tjm.cli.gather import stored_profile
from tjm.cli.options import CHANNEL_KEYS, JsonFlag, ProfileOpt, parse_flag, with_sales_options
from tjm.cli.output import emit
from tjm.errors import InputError, UsageError
from tjm.i18n import N_, _
from tjm.inputs import NO_SALES, IncomeInputs, SalesInputs, check_sales, merge_sales


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
    sales = check_sales(sales, IncomeInputs(), all_channels=True)[0]
    if income.portage_fee is not None and sales.channel not in (None, "portage"):
        problem = _("goes with --channel portage, not {channel}").format(channel=sales.channel)
        raise InputError(("portage_fee", "channel"), problem, code="channel-mismatch")
    from tjm.dataset.load import load_dataset
    from tjm.render import channels as render_channels
    from tjm.sales.channels import compare_channels

    dataset = load_dataset()
    # channels is None only for a dataset file without that table; the packaged one has it.
    chosen = (sales.channel,) if sales.channel else tuple(dataset.channels)  # type: ignore[arg-type]
    rows = compare_channels(dataset, sales, income, rate=value, client_price=price, channels=chosen)
    emit(
        "channel",
        as_json,
        lambda: render_channels.channels_json(dataset, rows),
        lambda console: render_channels.show_channels(console, dataset, rows, value, price),
    )
