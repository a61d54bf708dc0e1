"""Standard streams that fail in one clear line: a full disk, a closed or broken stdout, and a
terminal that cannot show every character all end the same way, never in a traceback."""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import sys
import unicodedata
from typing import Any, TextIO, cast

from tjm.errors import EXIT_BROKEN_PIPE, OutputError
from tjm.i18n import _

# What the output degrades to where the terminal's encoding lacks a character.
ASCII = {
    "€": "EUR",
    "━": "=",
    "─": "-",
    "┃": "|",
    "●": "o",
    "▼": "v",
    "◆": "*",
    "█": "#",
    "▓": "%",
    "▒": "+",
    "░": ".",
    "–": "-",
    "—": "-",
    "−": "-",
    "×": "x",
    "→": "->",
    "·": "-",
    "’": "'",
    "«": '"',
    "»": '"',
    "≥": ">=",
    "≤": "<=",
    "…": "...",
}


def _to_ascii(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    text = exc.object[exc.start : exc.end]
    out = []
    for char in text:
        plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        out.append(ASCII.get(char) or plain or ("" if char.isspace() else "?"))
    return "".join(out) or " ", exc.end


codecs.register_error("tjm-ascii", _to_ascii)


class GuardedOutput:
    """Stand in for stdout: a failed write raises OutputError instead of a bare OSError."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        if self._stream is None:
            raise OutputError(_("standard output is closed; nothing was printed"))
        try:
            return int(self._stream.write(text))
        except OSError as exc:
            raise _output_error(exc) from None

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except OSError as exc:
            raise _output_error(exc) from None

    def isatty(self) -> bool:
        return self._stream is not None and self._stream.isatty()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _output_error(exc: OSError) -> OutputError:
    if exc.errno == errno.EPIPE:
        return OutputError("", EXIT_BROKEN_PIPE)  # the reader left, as with `| head`: stay quiet
    return OutputError(_("cannot write the output: {reason}").format(reason=exc.strerror or exc))


def silence_stdout() -> None:
    """Point stdout at /dev/null, so that bytes still buffered do not fail again at exit."""
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)


def guard() -> None:
    """Wrap stdout, and let stdout and stderr degrade characters their encoding lacks."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="tjm-ascii")
    # Not a TextIO subclass, but it acts as one: what it does not wrap, it forwards.
    sys.stdout = cast(TextIO, GuardedOutput(sys.stdout))


def finish() -> None:
    """Flush stdout now, so that a failure is reported here rather than at exit."""
    sys.stdout.flush()


def say(line: str) -> None:
    """Print one line on stderr if there is a stderr to print on."""
    if sys.stderr is None:
        return
    with contextlib.suppress(OSError):
        print(line, file=sys.stderr, flush=True)
