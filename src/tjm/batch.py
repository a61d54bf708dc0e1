"""Price a roster CSV in chunks: parse the columns, price them as arrays, write the rows back.

Bad rows are reported through a callback with their line number; in strict mode the first
one stops the run before anything is written.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import itertools
import json
import math
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TextIO

from tjm import atomic
from tjm.errors import BadRowError, DestinationError, InputError, RosterError, TjmError
from tjm.fields import NATIONAL, column, parse_value
from tjm.income import prepare, solve_floor
from tjm.inputs import IncomeInputs, check_income
from tjm.model import ROUND_TO, Model, price_rows, row_sigmas

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Prices = dict[str, NDArray[np.float64] | NDArray[np.str_]]  # price_chunk's columns

REQUIRED = ("role", "years")
PRICING_COLUMNS = ("name", "role", "years", "region", "skills", "rate")
OUTPUT_COLUMNS = ("target", "p25", "p50", "p75", "percentile", "verdict", "floor", "error")
CHUNK_ROWS = 50_000
# The csv module's default field limit: a longer cell is one bad row.
FIELD_LIMIT = 131_072
# Beyond this the reader cannot split the line at all; it is still one bad row.
READ_LIMIT = 1 << 24


class Summary(NamedTuple):
    rows: int
    bad_rows: int


class Chunk(NamedTuple):
    """Parsed rows of one chunk, as columns; `errors` maps a row index to its reason."""

    lines: list[int]
    raw: list[list[str]]
    role: NDArray[np.intp]
    years: NDArray[np.float64]
    region: NDArray[np.intp]
    tightness: NDArray[np.float64]
    rate: NDArray[np.float64]  # NaN where the row gives no rate
    errors: dict[int, str]


def _column_reader(header: list[str]) -> Callable[[list[str], str], str]:
    positions = {name: i for i, name in enumerate(header)}

    def get(row: list[str], name: str) -> str:
        i = positions.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    return get


def _numbers(
    texts: list[str], key: str, errors: dict[int, str], required: bool
) -> NDArray[np.float64]:
    """Parse a column of numbers, each distinct text once (rosters repeat their values), with
    the same rules as a flag; a bad or missing cell becomes NaN and its row's error."""
    import numpy as np

    parsed: dict[str, float | str] = {}
    for text in set(texts):
        if not text:
            parsed[text] = f"{column(key)}: missing" if required else math.nan
            continue
        try:
            # parse_value is typed object; years and rate are number fields.
            parsed[text] = float(parse_value(key, text))  # type: ignore[arg-type]
        except InputError as exc:
            parsed[text] = exc.labelled(column)
    values = [parsed[text] for text in texts]
    for i, value in enumerate(values):
        if isinstance(value, str):
            errors.setdefault(i, value)
    return np.array([math.nan if isinstance(v, str) else v for v in values], dtype=float)


def parse_chunk(model: Model, header: list[str], raw: list[list[str]], lines: list[int]) -> Chunk:
    """Turn raw rows into the arrays price_rows takes, recording each bad row's reason."""
    import numpy as np

    get = _column_reader(header)
    errors: dict[int, str] = {}
    width = len(header)
    for i, row in enumerate(raw):
        if isinstance(row, Unreadable):
            errors[i] = row.reason
        elif len(row) < width:
            errors[i] = f"{column(header[len(row)])}: missing ({len(row)} of {width} fields)"
        elif len(row) > width:
            errors[i] = f"{len(row)} fields where the header has {width}"

    role_ids = {r: i for i, r in enumerate(model.roles)}
    region_ids = {r: i for i, r in enumerate(model.regions)}
    roles: list[int] = []
    regions: list[int] = []
    for i, row in enumerate(raw):
        role, region = get(row, "role"), get(row, "region") or NATIONAL
        roles.append(role_ids.get(role, 0))
        regions.append(region_ids.get(region, 0))
        if role not in role_ids:
            errors.setdefault(
                i, f"{column('role')}: " + (f"unknown role {role!r}" if role else "missing")
            )
        if region not in region_ids:
            errors.setdefault(i, f"{column('region')}: unknown region {region!r}")

    # Rosters repeat the same few skill sets, so each distinct cell is resolved once.
    tightness_of: dict[str, float | str] = {}
    skills = model.dataset.skills
    tightness: list[float] = []
    for i, row in enumerate(raw):
        cell = get(row, "skills")
        if cell not in tightness_of:
            names = [s.strip() for s in cell.split(";") if s.strip()]
            unknown = [s for s in names if s not in skills]
            if unknown:
                tightness_of[cell] = f"{column('skills')}: unknown skill {unknown[0]!r}"
            else:
                tightness_of[cell] = max((skills[s].tightness for s in names), default=math.nan)
        value = tightness_of[cell]
        if isinstance(value, str):
            errors.setdefault(i, value)
            value = math.nan
        tightness.append(value)

    years = _numbers([get(r, "years") for r in raw], "years", errors, required=True)
    rate = _numbers([get(r, "rate") for r in raw], "rate", errors, required=False)
    return Chunk(
        lines,
        raw,
        np.array(roles, dtype=np.intp),
        np.nan_to_num(years),
        np.array(regions, dtype=np.intp),
        np.array(tightness, dtype=float),
        rate,
        errors,
    )


def price_chunk(model: Model, chunk: Chunk) -> Prices:
    """Price every row of a chunk at once: the band, the target, and where each rate stands."""
    import numpy as np

    from tjm.market import band_quantiles, percentiles, round_euros, verdicts

    median = price_rows(model, chunk.role, chunk.years, chunk.region, chunk.tightness)
    # The band is written in whole euros and judged on those, as a single quote is.
    sigma = row_sigmas(model, chunk.role, chunk.years, chunk.region)
    p25, p75 = (round_euros(v) for v in band_quantiles(median, sigma))
    p50 = round_euros(median)
    has_rate = ~np.isnan(chunk.rate)
    rate = np.where(has_rate, chunk.rate, p50)
    return {
        "target": ROUND_TO * np.round(median / ROUND_TO),  # half to even, like round()
        "p25": p25,
        "p50": p50,
        "p75": p75,
        "percentile": np.where(has_rate, percentiles(rate, p50, sigma), np.nan),
        "verdict": np.where(has_rate, verdicts(rate, p25, p75), ""),
    }


def _income_inputs(
    get: Callable[[list[str], str], str], row: list[str], today: dt.date
) -> IncomeInputs:
    """Return the row's income inputs (it has a target_net), checked as flags are."""
    values = {
        key: parse_value(key, text) for key in IncomeInputs._fields if (text := get(row, key))
    }
    # Each value is the type of its field: parse_value turns it by the field's kind.
    return check_income(IncomeInputs(**values), today)  # type: ignore[arg-type]


def floors_for(
    model: Model,
    header: list[str],
    chunk: Chunk,
    today: dt.date,
    cache: dict[tuple[str, ...], float | None],
) -> list[float | None]:
    """Solve each row's floor, once per distinct set of income inputs."""
    if "target_net" not in header:  # no row asks for a floor
        return [None] * len(chunk.raw)
    get = _column_reader(header)
    # Only the income columns the roster has take part in a row's key.
    present = [k for k in IncomeInputs._fields if k in header]
    result: list[float | None] = []
    for i, row in enumerate(chunk.raw):
        if i in chunk.errors or not get(row, "target_net"):
            result.append(None)
            continue
        try:
            key = tuple(get(row, k) for k in present)
            if key not in cache:
                income = _income_inputs(get, row, today)
                # target_net is set: rows without one were skipped above.
                target = float(income.target_net or 0)
                cache[key] = solve_floor(
                    prepare(income, model.dataset.billable_days, today)[0], target
                ).rate
            result.append(cache[key])
        except InputError as exc:
            chunk.errors[i] = exc.labelled(column)
            result.append(None)
    return result


def _format(value: float, digits: int) -> str:
    return "" if value != value else f"{value:.{digits}f}"  # NaN is not equal to itself


def _rows_out(
    chunk: Chunk, prices: Prices, floors: list[float | None], width: int
) -> Iterator[list[str]]:
    target, p25, p50, p75 = (prices[k].tolist() for k in ("target", "p25", "p50", "p75"))
    percentile, verdict = prices["percentile"].tolist(), prices["verdict"].tolist()
    for i, cells in enumerate(chunk.raw):
        # Short rows are padded so the added columns line up; long ones are bad rows anyway.
        row = cells if len(cells) == width else (cells + [""] * width)[:width]
        error = chunk.errors.get(i)
        if error is not None:
            yield [*row, "", "", "", "", "", "", "", error]
            continue
        floor = floors[i]
        yield [
            *row,
            f"{target[i]:.0f}",
            f"{p25[i]:.0f}",
            f"{p50[i]:.0f}",
            f"{p75[i]:.0f}",
            _format(percentile[i], 2),
            verdict[i],
            "" if floor is None else f"{floor:.0f}",
            "",
        ]


def _records_out(
    header: list[str], chunk: Chunk, prices: Prices, floors: list[float | None]
) -> Iterator[dict[str, object]]:
    for out in _rows_out(chunk, prices, floors, len(header)):
        record: dict[str, object] = dict(zip(header, out, strict=False))
        for name, text in zip(OUTPUT_COLUMNS, out[len(header) :], strict=True):
            if name in ("verdict", "error"):
                record[name] = text or None
            else:
                record[name] = float(text) if text else None
        yield record


class Unreadable(list[str]):
    """A row that could not be read as cells (a field too long, a CSV error); it has no cells
    and carries its reason, so it is reported as one bad row."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


def _column_name(header: list[str], index: int) -> str:
    return column(header[index]) if index < len(header) else f"column #{index + 1}"


def _check_header(header: list[str], name: str) -> None:
    seen: dict[str, int] = {}
    for i, heading in enumerate(header, 1):
        if heading and heading in seen:
            raise RosterError(
                f"{name}:1: column {heading!r} appears twice (columns "
                f"{seen[heading]} and {i}); rename or remove one"
            )
        seen[heading] = i
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise RosterError(
            f"{name}: the header has no {' or '.join(missing)} column; "
            f"expected: {', '.join(PRICING_COLUMNS)}"
        )


def _check_span(row: list[str], header: list[str], start: int, end: int, name: str) -> None:
    """Refuse a record that spans lines with the wrong number of cells: an unclosed quote.

    A quoted cell may hold line breaks (a note), but when the count is off, the quote most
    likely never closed and swallowed the rows after it; those rows must not vanish silently.
    """
    if len(row) == len(header):
        return
    opened = next((i for i, cell in enumerate(row) if "\n" in cell or "\r" in cell), len(row) - 1)
    raise RosterError(
        f"{name}:{start}: {_column_name(header, opened)}: a quoted field "
        f"opens on line {start} and runs to line {end}; is its closing quote "
        "missing? The lines in between cannot be read as rows"
    )


def _mark_long_fields(rows: list[list[str]], header: list[str]) -> None:
    """Turn each row holding a field over FIELD_LIMIT into one bad row naming the column."""
    if max(map(len, itertools.chain.from_iterable(rows)), default=0) <= FIELD_LIMIT:
        return  # the usual case, checked in one pass at C speed
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            if len(cell) > FIELD_LIMIT:
                rows[i] = Unreadable(
                    f"{_column_name(header, j)}: a field of "
                    f"{len(cell):,} characters, over the limit of "
                    f"{FIELD_LIMIT:,}"
                )
                break


def _read_chunks(
    handle: TextIO, name: str
) -> Iterator[tuple[list[str], list[list[str]], list[int]]]:
    # The reader takes long fields so that one is a bad row, not the end of the file.
    csv.field_size_limit(max(csv.field_size_limit(), READ_LIMIT))
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        raise RosterError(f"{name} is empty: expected a header line") from None
    except csv.Error as exc:
        raise RosterError(f"{name}:1: not a CSV: {exc}") from None
    header = [h.strip() for h in header]
    _check_header(header, name)
    rows, lines, chunks = [], [], 0
    last = reader.line_num  # where the previous record ended; rows are named by their first
    while True:
        try:
            for row in reader:
                end = reader.line_num
                if end != last + 1:
                    _check_span(row, header, last + 1, end, name)
                start, last = last + 1, end
                if not row or all(not cell.strip() for cell in row):
                    continue  # blank lines are not freelancers
                rows.append(row)
                lines.append(start)
                if len(rows) == CHUNK_ROWS:
                    _mark_long_fields(rows, header)
                    yield header, rows, lines
                    rows, lines, chunks = [], [], chunks + 1
            break
        except csv.Error as exc:
            # The reader starts afresh on the next line, so one bad record costs one row.
            if reader.line_num == last:
                raise RosterError(f"{name}:{last + 1}: not a CSV: {exc}") from None
            rows.append(Unreadable(f"cannot be read as CSV: {exc}"))
            lines.append(last + 1)
            last = reader.line_num
            if len(rows) >= CHUNK_ROWS:
                _mark_long_fields(rows, header)
                yield header, rows, lines
                rows, lines, chunks = [], [], chunks + 1
    if rows or not chunks:  # a header alone still gives a header line out
        _mark_long_fields(rows, header)
        yield header, rows, lines


def price_roster(
    model: Model,
    source: TextIO,
    out: TextIO,
    fmt: str,
    strict: bool,
    today: dt.date,
    on_bad_row: Callable[[int, str], None],
    on_progress: Callable[[int], None] = lambda n: None,
    name: str = "roster",
) -> Summary:
    """Price every row of `source` (called `name` in errors) into `out`, as csv or json."""
    total = bad = 0
    floor_cache: dict[tuple[str, ...], float | None] = {}
    writer = None
    first_record = True
    for header, raw, lines in _read_chunks(source, name):
        chunk = parse_chunk(model, header, raw, lines)
        prices = price_chunk(model, chunk)
        floors = floors_for(model, header, chunk, today, floor_cache)
        if chunk.errors:
            first = min(chunk.errors)
            if strict:
                raise BadRowError(f"{name}:{lines[first]}: {chunk.errors[first]}")
            for i in sorted(chunk.errors):
                on_bad_row(lines[i], chunk.errors[i])
        if fmt == "csv":
            if writer is None:
                writer = csv.writer(out, lineterminator="\n")
                writer.writerow([*header, *OUTPUT_COLUMNS])
            writer.writerows(_rows_out(chunk, prices, floors, len(header)))
        else:
            for record in _records_out(header, chunk, prices, floors):
                out.write("[\n" if first_record else ",\n")
                out.write(json.dumps(record, ensure_ascii=False))
                first_record = False
        total += len(raw)
        bad += len(chunk.errors)
        on_progress(total)
    if fmt == "json":
        out.write("[]\n" if first_record else "\n]\n")
    return Summary(total, bad)


def count_lines(path: Path) -> int:
    """Count the lines of a file quickly, to size a progress bar."""
    with path.open("rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))


def check_output(text: str, overwrite: bool) -> Path | None:
    """Return where -o writes (None: stdout), refusing anything but a new path or a regular
    file (with --force), before any work starts."""
    if text == "-":
        return None
    if not text.strip():
        raise DestinationError("-o: empty path; give a file name, or - for stdout")
    target = Path(text)
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        if text.endswith(("/", os.sep)):
            raise DestinationError(f"-o {text}: names a folder; give a file name") from None
        try:
            folder_mode = os.stat(target.parent).st_mode
        except OSError as exc:
            raise DestinationError(
                f"-o {text}: cannot use the folder {target.parent}: {exc.strerror or exc}"
            ) from None
        if not stat.S_ISDIR(folder_mode):
            raise DestinationError(f"-o {text}: {target.parent} is not a folder") from None
        return target
    except OSError as exc:
        raise DestinationError(f"-o {text}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        raise DestinationError(
            f"-o {text}: is {atomic.file_kind(mode)}; tjm writes only to a "
            "new file, a regular file with --force, or - for stdout"
        )
    if not overwrite:
        raise _exists(target)
    return target


def _exists(target: Path) -> DestinationError:
    # One message whether the file was there at the start or appeared during the run.
    return DestinationError(f"{target} exists; pass --force to overwrite it")


@contextlib.contextmanager
def staged_output(target: Path, overwrite: bool) -> Iterator[TextIO]:
    """Yield a temp file beside `target` that becomes it only if the run succeeds.

    A file created at `target` during the run is kept (the run fails); only a regular file
    is ever replaced, and only with overwrite.
    """
    try:
        with atomic.open_atomic(target, overwrite, newline="") as handle:
            yield handle
    except FileExistsError:
        raise _exists(target) from None
    except atomic.NotRegularError as exc:
        raise DestinationError(
            f"{target} became {exc.kind} during the run; it was left as it is"
        ) from None
    except OSError as exc:
        raise TjmError(f"cannot write {target}: {exc.strerror or exc}") from None
