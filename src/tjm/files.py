"""Read the files tjm is given, and only files: the one reader of profiles, the user's data,
`tjm data add` inputs, rosters, rules and datasets.

Only a regular file is opened (a link is followed only to one); a FIFO, a device or a folder
is refused before any read, so nothing blocks or reads without end. Whole-file reads stop at
a stated size, text is UTF-8 (a BOM is dropped; a bad byte is named with its line), and TOML
is refused past a stated depth. It sits at the ground layer, beside tjm.fields, because the
dataset and the rules files (below tjm.store) read through it too.
"""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path
from typing import IO, Any, TextIO

from tjm.errors import not_toml, reason
from tjm.i18n import N_, _
from tjm.i18n.formats import format_number

# Deeper TOML is refused: tjm's files nest at most 4 levels, and tomllib recurses per level.
MAX_DEPTH = 32
BOM = "\ufeff"

_KINDS = (
    (stat.S_ISDIR, N_("a folder")),
    (stat.S_ISFIFO, N_("a FIFO")),
    (stat.S_ISSOCK, N_("a socket")),
    (stat.S_ISCHR, N_("a device")),
    (stat.S_ISBLK, N_("a device")),
    (stat.S_ISLNK, N_("a symbolic link")),
    (stat.S_ISREG, N_("a regular file")),
)


def file_kind(mode: int) -> str:
    """Name what a stat mode is, in the active language, for messages such as 'x is a folder'."""
    name = next((name for test, name in _KINDS if test(mode)), N_("not a regular file"))
    return _(name)


class Unreadable(Exception):
    """A file tjm will not read, or could not: `problem` says why, without the path.

    `why` is missing, dangling, not-regular, too-big, too-deep, not-utf8, not-toml or os;
    `error` is the system's error when there is one.
    """

    def __init__(self, path: object, problem: str, why: str, error: OSError | None = None):
        super().__init__(problem)
        self.path, self.problem, self.why, self.error = str(path), problem, why, error


def _flags() -> int:
    # O_NONBLOCK: should the file become a FIFO between the check and the open, no hang.
    return (
        os.O_RDONLY
        | getattr(os, "O_NONBLOCK", 0)
        | getattr(os, "O_NOCTTY", 0)
        | (getattr(os, "O_CLOEXEC", 0))
    )


def open_regular(path: str | os.PathLike[str]) -> IO[bytes]:
    """Open a regular file for reading in binary; refuse anything else before opening it."""
    try:
        info = os.stat(path)  # follows links: a link to a regular file reads as that file
    except FileNotFoundError as exc:
        if os.path.islink(path):
            raise Unreadable(path, _("a dangling symbolic link"), "dangling", exc) from None
        raise Unreadable(path, reason(exc), "missing", exc) from None
    except OSError as exc:
        raise Unreadable(path, reason(exc), "os", exc) from None
    _check_regular(path, info.st_mode)
    try:
        fd = os.open(path, _flags())
    except OSError as exc:
        raise Unreadable(path, reason(exc), "os", exc) from None
    handle = open(fd, "rb")  # noqa: SIM115  # the caller closes it
    try:
        _check_regular(path, os.fstat(fd).st_mode)
    except Unreadable:
        handle.close()
        raise
    return handle


def _check_regular(path: object, mode: int) -> None:
    if not stat.S_ISREG(mode):
        problem = _("{kind}, not a file; it was not read").format(kind=file_kind(mode))
        raise Unreadable(path, problem, "not-regular")


def _too_big(path: object, limit: int) -> Unreadable:
    problem = _("more than the {limit} bytes such a file may hold").format(
        limit=format_number(limit)
    )
    return Unreadable(path, problem, "too-big")


def read_stream(handle: IO[bytes], limit: int, path: object) -> bytes:
    """Read at most `limit` bytes from an open binary stream; refuse a longer one."""
    try:
        data = handle.read(limit + 1)
    except OSError as exc:
        raise Unreadable(path, reason(exc), "os", exc) from None
    if len(data) > limit:
        raise _too_big(path, limit)
    return data


def read_bytes(path: str | os.PathLike[str], limit: int) -> bytes:
    """Return a regular file's bytes, refusing one of more than `limit` bytes unread."""
    with open_regular(path) as handle:
        if os.fstat(handle.fileno()).st_size > limit:
            raise _too_big(path, limit)
        return read_stream(handle, limit, path)


def decode(data: bytes, path: object) -> str:
    """Return UTF-8 bytes as text without a leading BOM; a bad byte is named with its line."""
    try:
        return data.decode("utf-8").removeprefix(BOM)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise Unreadable(path, _bad_byte(data[exc.start], line), "not-utf8") from None


def not_utf8(path: str | os.PathLike[str]) -> str:
    """Return the problem of a file read as a stream that turned out not to be UTF-8: its
    first bad byte and that byte's line, found by reading it again in bounded chunks."""
    import codecs

    decoder, line, chunk = codecs.getincrementaldecoder("utf-8")(), 1, b""
    try:
        with open_regular(path) as handle:
            while chunk := handle.read(1 << 20):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    # exc.object is the chunk after the bytes of a character left unfinished
                    # by the one before, which hold no line break.
                    line += exc.object.count(b"\n", 0, exc.start)
                    return _bad_byte(exc.object[exc.start], line)
                line += chunk.count(b"\n")
    except (Unreadable, OSError):
        pass
    return _("not UTF-8 text")


def _bad_byte(byte: int, line: int) -> str:
    return _("not UTF-8 text: byte {byte} on line {line}").format(byte=f"0x{byte:02X}", line=line)


def read_text(path: str | os.PathLike[str], limit: int) -> str:
    """Return a regular file's UTF-8 text, bounded by `limit` bytes."""
    return decode(read_bytes(path, limit), path)


def open_text(path: str | os.PathLike[str]) -> TextIO:
    """Open a regular file as UTF-8 text for reading line by line (a BOM is dropped)."""
    return io.TextIOWrapper(open_regular(path), encoding="utf-8-sig", newline="")


def read_resource(name: str, limit: int) -> str:
    """Return a file that ships in tjm.data through the same reader."""
    from importlib import resources

    where = resources.files("tjm.data") / name
    if isinstance(where, Path):
        return read_text(where, limit)
    with where.open("rb") as handle:  # a zipped install: no FIFO can hide in a zip
        return decode(read_stream(handle, limit, name), name)


def parse_toml(text: str, path: object) -> dict[str, Any]:
    """Return a TOML document, refusing bad syntax and nesting deeper than MAX_DEPTH."""
    import tomllib

    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise Unreadable(path, not_toml(describe_toml_error(exc, text)), "not-toml") from None
    except RecursionError:
        raise _too_deep(path) from None
    if depth(doc) > MAX_DEPTH:
        raise _too_deep(path)
    return doc


def _too_deep(path: object) -> Unreadable:
    problem = _("nested too deeply (more than {limit} levels)").format(limit=MAX_DEPTH)
    return Unreadable(path, problem, "too-deep")


def depth(value: object) -> int:
    """Return how deep tables and arrays nest in a value (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        children: list[Any] | None = None
        if isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, list):
            children = item
        if children is not None:
            deepest = max(deepest, level + 1)
            stack.extend((child, level + 1) for child in children)
    return deepest


def describe_toml_error(exc: Exception, text: str) -> str:
    """Return tomllib's message, naming the last line where it says 'end of document'."""
    message = str(exc)
    if "(at end of document)" in message:
        last = max(1, len(text.splitlines()))
        message = message.replace("(at end of document)", f"(at line {last}, end of file)")
    return message
