"""The `tjm` command. This module stays tiny so that Ctrl-C is caught from the first moment."""

from __future__ import annotations


def main() -> None:
    """Run the app as the `tjm` console script; Ctrl-C anywhere exits 130 without a traceback."""
    import sys

    try:
        from tjm.cli.root import run

        code = run()
    except KeyboardInterrupt:
        code = _cancelled()
    sys.exit(code)


def _cancelled() -> int:
    import sys

    from tjm.errors import CANCELLED_MESSAGE, EXIT_CANCELLED

    if sys.stderr is not None:
        print(f"\n{CANCELLED_MESSAGE}", file=sys.stderr)
    return EXIT_CANCELLED


def __getattr__(name: str) -> object:
    # `from tjm.cli import app` loads Typer only when asked, so main() can guard the import.
    if name == "app":
        from tjm.cli.root import app

        return app
    raise AttributeError(name)
