"""The Typer app: parse, call the core, render; errors become exit codes in one place."""

import importlib

from tjm.cli.common import app

# Each module registers its commands on import; `tjm --help` lists them in this order.
for _module in ("pricing", "benchmarks", "profile", "batch"):
    importlib.import_module(f"tjm.cli.{_module}")

__all__ = ["app", "main"]


def _exit_on_signal(signum: int, frame: object) -> None:
    """Turn SIGTERM/SIGHUP into SystemExit, so `finally` blocks remove temp files."""
    import signal

    for name in ("SIGTERM", "SIGHUP"):  # a second signal must not cut the cleanup short
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    raise SystemExit(128 + signum)


def main() -> None:
    """Run the app as the `tjm` console script."""
    import signal

    for name in ("SIGTERM", "SIGHUP"):  # SIGHUP does not exist on Windows
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _exit_on_signal)
    app(prog_name="tjm")
