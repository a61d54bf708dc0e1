"""The `tjm` command. This module stays tiny so that Ctrl-C is caught from the first moment."""

from __future__ import annotations


def _exit_on_signal(signum: int, frame: object) -> None:
    """Exit at once on SIGTERM/SIGHUP; while a temp file exists, raise SystemExit instead, so
    `finally` blocks remove it."""
    import os
    import signal
    import sys

    # Never import here (we may be inside an import); the module may be half loaded.
    atomic = sys.modules.get("tjm.store.atomic")
    _tell(getattr(sys.modules.get("tjm.errors"), "stopped_message", None))
    if atomic is None or not getattr(atomic, "live_temps", None):
        os._exit(128 + signum)  # nothing to clean up, and no exception landing mid-import
    atomic.stop_requested = signum  # type: ignore[attr-defined]  # sys.modules gives a ModuleType
    for name in ("SIGTERM", "SIGHUP"):  # a second signal must not cut the cleanup short
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    raise SystemExit(128 + signum)


def _tell(message: object) -> None:
    """Write what the stop leaves behind (nothing, or the files already saved) on stderr."""
    import contextlib
    import os
    import sys

    if not callable(message) or sys.stderr is None:
        return
    # os.write, not print: the signal may land inside a print to stderr.
    with contextlib.suppress(Exception):
        encoding = getattr(sys.stderr, "encoding", None) or "utf-8"
        os.write(2, f"\n{message()}\n".encode(encoding, "replace"))


def main() -> None:
    """Run the app as the `tjm` console script; Ctrl-C anywhere exits 130 without a traceback."""
    import sys

    try:
        import signal

        for name in ("SIGTERM", "SIGHUP"):  # SIGHUP does not exist on Windows
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), _exit_on_signal)
        from tjm.cli.root import run

        code = run()
    except KeyboardInterrupt:
        code = _cancelled()
    sys.exit(code)


def _cancelled() -> int:
    import sys

    from tjm.errors import EXIT_CANCELLED, cancelled_message

    if sys.stderr is not None:
        print(f"\n{cancelled_message()}", file=sys.stderr)
    return EXIT_CANCELLED


def __getattr__(name: str) -> object:
    # `from tjm.cli import app` loads Typer only when asked, so main() can guard the import.
    if name == "app":
        from tjm.cli.root import app

        return app
    raise AttributeError(name)
