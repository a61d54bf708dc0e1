"""tjm benchmarks: the market data, the curve fit, and the sources."""

from __future__ import annotations

from typing import Annotated

import typer

from tjm.cli.helptext import TjmCommand, TjmGroupBase
from tjm.cli.options import JsonFlag
from tjm.cli.output import emit
from tjm.i18n import N_

# Its help is in tjm.cli.commands, with the root's other commands.
benchmarks_app = typer.Typer(
    cls=TjmGroupBase,
    invoke_without_command=True,
)


@benchmarks_app.callback()
def benchmarks(
    ctx: typer.Context,
    as_json: JsonFlag = False,
    fit: Annotated[
        bool,
        typer.Option(
            "--fit",
            help=N_(
                "Refit the model over the observations; show residuals and "
                "leave-one-source-out errors."
            ),
        ),
    ] = False,
) -> None:
    """Show the observations, the skills table and the thresholds."""
    if ctx.invoked_subcommand is not None:
        return
    from tjm import api
    from tjm.render import market as render_market

    dataset = api.dataset()
    if fit:
        result, bound = api.market_fit()
        emit(
            "benchmarks-fit",
            as_json,
            lambda: render_market.fit_json(result, bound),
            lambda console: render_market.show_fit(console, result, bound),
        )
        return
    emit(
        "benchmarks",
        as_json,
        lambda: render_market.benchmarks_json(dataset),
        lambda console: render_market.show_benchmarks(console, dataset),
    )


@benchmarks_app.command(
    "sources",
    cls=TjmCommand,
    help=N_("List every source with its URL, date and the figures taken from it."),
)
def benchmarks_sources(as_json: JsonFlag = False) -> None:
    """List every source with its URL, date and the figures taken from it."""
    from tjm import api
    from tjm.render import market as render_market

    dataset = api.dataset()
    emit(
        "benchmarks-sources",
        as_json,
        lambda: render_market.sources_json(dataset),
        lambda console: render_market.show_sources(console, dataset),
    )
