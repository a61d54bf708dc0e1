"""The Typer app: parse, call the core, render; errors become exit codes in one place."""

import importlib

from tjm.cli.common import app

# Each module registers its commands on import; `tjm --help` lists them in this order.
for _module in ("pricing", "benchmarks", "profile", "batch"):
    importlib.import_module(f"tjm.cli.{_module}")

__all__ = ["app", "main"]


def main() -> None:
    """Run the app as the `tjm` console script."""
    app(prog_name="tjm")
