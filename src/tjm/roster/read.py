"""Read a roster CSV in chunks: each row's line, and the wanted columns coded (tjm.roster.codes).

A block of lines with no quote and no stray carriage return is split at its commas
with numpy, which is exactly what the csv module makes of it, without making a string of
every cell; any other block is read by the csv module. A record that cannot be read, or
that holds a field over FIELD_LIMIT, is one bad row with empty cells.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator, Sequence
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple, TextIO

from tjm.errors import RosterError, labelled
from tjm.fields import column
from tjm.i18n import _
from tjm.i18n.formats import format_number
from tjm.roster.codes import Column, code_cells, code_spans

REQUIRED = ("role", "years")
PRICING_COLUMNS = ("name", "role", "years", "region", "skills", "rate")
CHUNK_ROWS = 50_000
# The csv module's default field limit: a longer cell is one bad row.
FIELD_LIMIT = 131_072
# Beyond this the reader cannot split the line at all; it is still one bad row, and the line
# is read only this far (the rest is skipped unread), so no line can fill the memory.
READ_LIMIT = 1 << 24
BLOCK_CHARS = 1 << 25  # a block also ends at this many characters, however few its lines


class Records(NamedTuple):
    """One chunk of a roster: the line each row starts on, the wanted columns, and the rows
    that have no cells or not as many as the header, with the reason.

    `texts` holds each row's line as written when the chunk was split at commas: a line is
    already the CSV of its cells. `cells` holds the cells, padded or cut to the header, of
    every row the csv module read, and of a split chunk's rows of the wrong shape.
    """

    header: list[str]
    lines: list[int]
    columns: dict[str, Column]
    errors: dict[int, str]
    cells: dict[int, list[str]]
    texts: list[str] | None

    def row(self, i: int) -> list[str]:
        """Return row i's cells, padded or cut to the header's width."""
        if i in self.cells or self.texts is None:
            return self.cells[i]
        return self.texts[i].split(",")


def column_name(header: list[str], index: int) -> str:
    """Name a column by its heading, or by its position past the header's end."""
    if index < len(header):
        return column(header[index])
    return _("column #{number}").format(number=index + 1)


def _check_header(header: list[str], name: str) -> None:
    seen: dict[str, int] = {}
    for i, heading in enumerate(header, 1):
        if heading and heading in seen:
            problem = _(
                "column {heading} appears twice (columns {first} and {second}); "
                "rename or remove one"
            ).format(heading=repr(heading), first=seen[heading], second=i)
            raise RosterError(labelled(f"{name}:1", problem))
        seen[heading] = i
    missing = [c for c in REQUIRED if c not in header]
    cased = [h for h in header if h.lower() in missing]
    if cased:  # Role or YEARS: headings are matched as written, in lowercase
        problem = _("column names are lowercase: rename {given} to {wanted}").format(
            given=", ".join(cased), wanted=", ".join(h.lower() for h in cased)
        )
        raise RosterError(labelled(f"{name}:1", problem))
    if missing:
        expected = ", ".join(PRICING_COLUMNS)
        if len(missing) == 1:
            problem = _("the header has no {column} column; expected: {expected}").format(
                column=missing[0], expected=expected
            )
        else:  # REQUIRED has two columns
            problem = _(
                "the header has no {first} or {second} column; expected: {expected}"
            ).format(first=missing[0], second=missing[1], expected=expected)
        raise RosterError(labelled(name, problem))


def _check_span(row: list[str], header: list[str], start: int, end: int, name: str) -> None:
    """Refuse a record that spans lines with the wrong number of cells: an unclosed quote.

    A quoted cell may hold line breaks (a note), but when the count is off, the quote most
    likely never closed and swallowed the rows after it; those rows must not vanish silently.
    """
    if len(row) == len(header):
        return
    opened = next((i for i, cell in enumerate(row) if "\n" in cell or "\r" in cell), len(row) - 1)
    problem = _(
        "a quoted field opens on line {start} and runs to line {end}; is its closing quote "
        "missing? The lines in between cannot be read as rows"
    ).format(start=start, end=end)
    where = labelled(f"{name}:{start}", column_name(header, opened))
    raise RosterError(labelled(where, problem))


def _shape_problem(row: list[str], header: list[str]) -> tuple[str, list[str]] | None:
    """Say what is wrong with a row's shape (a field over FIELD_LIMIT, too few or too many
    cells), with the cells to write for it; None when it has one cell per column."""
    width = len(header)
    for j, cell in enumerate(row):
        if len(cell) > FIELD_LIMIT:
            problem = _("a field of {size} characters, over the limit of {limit}").format(
                size=format_number(len(cell)), limit=format_number(FIELD_LIMIT)
            )
            reason = labelled(column_name(header, j), problem)
            return reason, [""] * width
    if len(row) < width:
        problem = _("missing ({count} of {width} fields)").format(count=len(row), width=width)
        reason = labelled(column(header[len(row)]), problem)
    elif len(row) > width:
        reason = _("{count} fields where the header has {width}").format(
            count=len(row), width=width
        )
    else:
        return None
    # Short rows are padded so the added columns line up; long ones are cut.
    return reason, (row + [""] * width)[:width]


def _is_blank(row: list[str]) -> bool:
    return not any(map(str.strip, row))


def _split(
    block: list[str], first: int, header: list[str], wanted: Sequence[str]
) -> Records | None:
    """Split a block of lines at its commas, or return None when the csv module must read it.

    Without quotes, and with carriage returns only in CRLF line ends, a line's cells are its
    text between commas.
    """
    import numpy as np

    text = "".join(block)
    if '"' in text:
        return None
    if "\r" in text:
        if text.count("\r") != text.count("\r\n"):
            return None
        text = text.replace("\r\n", "\n")
    if max(map(len, block)) > READ_LIMIT:  # the csv module's own error names such a line
        return None
    texts = (text if text.endswith("\n") else text + "\n").split("\n")[:-1]
    # The 8 zero bytes at the end let _coded_spans read 8 bytes from any cell's start.
    data = np.frombuffer((text + "\n").encode("utf-8", "surrogatepass") + bytes(8), np.uint8)
    ends = np.flatnonzero(data == ord("\n"))[: len(texts)]
    starts = np.concatenate(([0], ends[:-1] + 1)).astype(np.intp)

    # A blank line, or one of only commas and spaces, is no freelancer; most lines start
    # with a letter or digit, which rules that out at once.
    solid = np.ones(256, dtype=bool)
    solid[[*b"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f ,", *range(128, 256)]] = False
    doubtful = np.flatnonzero(~solid[data[starts]]).tolist()
    keep = np.ones(len(texts), dtype=bool)
    keep[[i for i in doubtful if not texts[i].replace(",", "").strip()]] = False
    if not keep.all():
        texts = list(itertools.compress(texts, keep.tolist()))
        starts, ends = starts[keep], ends[keep]
    lines = (first + np.flatnonzero(keep)).tolist()

    # A last comma past the end keeps every look-up below in range.
    commas = np.append(np.flatnonzero(data == ord(",")), len(data))
    before = np.searchsorted(commas, starts)
    width = len(header)
    odd = np.searchsorted(commas, ends) - before != width - 1
    odd[ends - starts > FIELD_LIMIT] = True  # a long line may hold a long field
    errors: dict[int, str] = {}
    cells: dict[int, list[str]] = {}
    for i in np.flatnonzero(odd).tolist():
        problem = _shape_problem(texts[i].split(","), header)
        if problem is None:
            odd[i] = False
        else:
            errors[i], cells[i] = problem

    # Field k of a row runs from the comma before it (or the line's start) to the comma
    # after it (or the line's end); a row of the wrong shape gets empty cells.
    good = ~odd
    columns = {}
    for key in wanted:
        if key not in header:
            continue
        k = header.index(key)
        at = np.where(good, before + k, 0)
        start = starts if k == 0 else commas[np.maximum(at - 1, 0)] + 1
        end = ends if k == width - 1 else commas[at]
        columns[key] = code_spans(data, np.where(good, start, 0), np.where(good, end, 0))
    return Records(header, lines, columns, errors, cells, texts)


def _read_block(
    block: list[str],
    rest: Iterator[str],
    first: int,
    header: list[str],
    wanted: Sequence[str],
    name: str,
) -> tuple[Records, int]:
    """Read a block of lines with the csv module; a record that opens in the block may run on
    into `rest`. Return the records and how many lines were read."""
    import numpy as np

    reader = csv.reader(itertools.chain(block, rest))
    width = len(header)
    rows: list[list[str]] = []
    lines: list[int] = []
    errors: dict[int, str] = {}
    read = 0  # lines read so far; the next record starts on line first + read
    while read < len(block):
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            # The reader starts afresh on the next line, so one bad record costs one row.
            if reader.line_num == read:
                failure = _("not a CSV: {details}").format(details=exc)
                raise RosterError(labelled(f"{name}:{first + read}", failure)) from None
            errors[len(rows)] = csv_problem(exc)
            rows.append([""] * width)
            lines.append(first + read)
            read = reader.line_num
            continue
        if reader.line_num != read + 1:
            _check_span(row, header, first + read, first + reader.line_num - 1, name)
        if not _is_blank(row):
            rows.append(row)
            lines.append(first + read)
        read = reader.line_num
    # The rows of the wrong width, or with a cell over FIELD_LIMIT, found at C speed.
    widths = np.fromiter(map(len, rows), np.intp, len(rows))
    sizes = np.fromiter(map(len, itertools.chain.from_iterable(rows)), np.intp, widths.sum())
    long = np.repeat(np.arange(len(rows)), widths)[sizes > FIELD_LIMIT]
    for i in np.union1d(np.flatnonzero(widths != width), long).tolist():
        problem = _shape_problem(rows[i], header)
        if problem is not None:
            errors[i], rows[i] = problem
    columns = {
        key: code_cells(list(map(itemgetter(header.index(key)), rows)))
        for key in wanted
        if key in header
    }
    return Records(header, lines, columns, errors, dict(enumerate(rows)), None), read


def csv_problem(exc: csv.Error) -> str:
    """Say why the csv module refused a record; a field too long names FIELD_LIMIT."""
    if "field larger than field limit" in str(exc):
        return _("a field over the limit of {limit} characters").format(
            limit=format_number(FIELD_LIMIT)
        )
    return _("cannot be read as CSV: {details}").format(details=exc)


def bounded_lines(handle: TextIO, limit: int | None = None) -> Iterator[str]:
    """Yield the handle's lines; one longer than `limit` (READ_LIMIT) characters is read in
    pieces, dropped, and stands as one unquoted over-long field: the csv module's error for
    one bad row, whatever quotes the line held. So one endless line never fills the memory."""
    limit = READ_LIMIT if limit is None else limit
    while line := handle.readline(limit + 1):
        if len(line) > limit and not line.endswith(("\n", "\r")):
            while (rest := handle.readline(limit)) and not rest.endswith(("\n", "\r")):
                pass
            line = "x" * (limit + 1) + "\n"
        yield line


def _block(lines: Iterator[str]) -> list[str]:
    """Take the next block: CHUNK_ROWS lines, or fewer when they reach BLOCK_CHARS."""
    block: list[str] = []
    size = 0
    for line in lines:
        block.append(line)
        size += len(line)
        if len(block) >= CHUNK_ROWS or size >= BLOCK_CHARS:
            break
    return block


def read_chunks(handle: TextIO, name: str, wanted: Sequence[str]) -> Iterator[Records]:
    """Yield the roster's rows in chunks of at most CHUNK_ROWS lines, with the `wanted`
    columns that the header has; a header alone gives one empty chunk. Refuse a file with no
    usable header, or a quote that never closes."""
    # The reader takes long fields so that one is a bad row, not the end of the file.
    csv.field_size_limit(max(csv.field_size_limit(), READ_LIMIT))
    lines = bounded_lines(handle)
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        raise RosterError(_("{name} is empty: expected a header line").format(name=name)) from None
    except csv.Error as exc:
        problem = _("not a CSV: {details}").format(details=exc)
        raise RosterError(labelled(f"{name}:1", problem)) from None
    header = [h.strip() for h in header]
    _check_header(header, name)
    first, chunks = reader.line_num + 1, 0
    while block := _block(lines):
        records = _split(block, first, header, wanted)
        read = len(block)
        if records is None:
            records, read = _read_block(block, lines, first, header, wanted, name)
        yield records
        first, chunks = first + read, chunks + 1
    if not chunks:  # a header alone still gives a header line out
        yield _read_block([], lines, first, header, wanted, name)[0]


def count_lines(path: Path) -> int:
    """Count the lines of a file quickly, to size a progress bar."""
    from tjm import files

    with files.open_regular(path) as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
