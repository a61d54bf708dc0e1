"""tjm benchmarks: the market data, the curve fit, and the sources."""

from __future__ import annotations

from typing import Annotated

import typer

from tjm.cli.common import JsonFlag, make_console

benchmarks_app = typer.Typer(
    help="Show the market data and where it comes from.", invoke_without_command=True
)


@benchmarks_app.callback()
def benchmarks(
    ctx: typer.Context,
    as_json: JsonFlag = False,
    fit: Annotated[
        bool,
        typer.Option(
            "--fit",
            help="Refit the model over the observations; show "
            "residuals and leave-one-source-out errors.",
        ),
    ] = False,
) -> None:
    """Show the observations, the skills table and the thresholds."""
    if ctx.invoked_subcommand is not None:
        return
    from tjm import render
    from tjm.benchmarks import load_dataset

    dataset = load_dataset()
    if fit:
        from tjm.fit import fit_market
        from tjm.observations import load_market

        market = load_market()
        result = fit_market(dataset, market)
        if as_json:
            render.print_json(render.fit_json(result, market.loso_bound))
        else:
            render.show_fit(make_console(), result, market.loso_bound)
        return
    if as_json:
        render.print_json(render.benchmarks_json(dataset))
    else:
        render.show_benchmarks(make_console(), dataset)


@benchmarks_app.command("sources")
def benchmarks_sources(as_json: JsonFlag = False) -> None:
    """List every source with its URL, date and the figures taken from it."""
    from tjm import render
    from tjm.benchmarks import load_dataset

    dataset = load_dataset()
    if as_json:
        render.print_json(render.sources_json(dataset))
    else:
        render.show_sources(make_console(), dataset)
