"""Price a roster CSV in chunks: read the rows, parse the columns, price them as arrays, and
write the rows back with the added columns.

Bad rows are reported through a callback with their line number; in strict mode the first
one stops the run before anything is written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import math
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, NamedTuple, TextIO

from tjm.errors import BadRowError, InputError, labelled
from tjm.fields import column, parse_value
from tjm.france.checks import check_income
from tjm.inputs import IncomeInputs
from tjm.market.model import Model, price_rows, round_rates, row_sigmas
from tjm.roster.columns import PRICED, Chunk, parse_chunk
from tjm.roster.read import Records, read_chunks
from tjm.roster.write import RosterWriter, added_columns

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


class Summary(NamedTuple):
    """How many rows a roster had, and how many of them were bad."""

    rows: int
    bad_rows: int


class Prices(NamedTuple):
    """A chunk's prices: the target, the band in whole euros, and where each given rate stands."""

    target: NDArray[np.float64]
    p25: NDArray[np.float64]
    p50: NDArray[np.float64]
    p75: NDArray[np.float64]
    percentile: NDArray[np.float64]  # NaN where the row gives no rate
    verdict: NDArray[np.str_]  # "" where the row gives no rate


def price_chunk(model: Model, chunk: Chunk) -> Prices:
    """Price every row of a chunk at once: the band, the target, and where each rate stands."""
    import numpy as np

    from tjm.market.band import band_quantiles, percentiles, round_euros, verdicts

    median = price_rows(model, chunk.role, chunk.years, chunk.region, chunk.tightness)
    # The band is written in whole euros and judged on those, as a single quote is.
    sigma = row_sigmas(model, chunk.role, chunk.years, chunk.region)
    p25, p75 = (round_euros(v) for v in band_quantiles(median, sigma))
    p50 = round_euros(median)
    has_rate = ~np.isnan(chunk.rate)
    rate = np.where(has_rate, chunk.rate, p50)
    return Prices(
        round_rates(median),
        p25,
        p50,
        p75,
        np.where(has_rate, percentiles(rate, p50, sigma), np.nan),
        np.where(has_rate, verdicts(rate, p25, p75), ""),
    )


def floors_for(
    model: Model,
    records: Records,
    chunk: Chunk,
    today: dt.date,
    cache: dict[tuple[str, ...], float | str],
) -> NDArray[np.float64]:
    """Solve each row's floor (NaN without a target_net), once per distinct set of income
    inputs; a row whose inputs are refused becomes a bad row."""
    import numpy as np

    floors = np.full(len(chunk.lines), np.nan)
    target = records.columns.get("target_net")
    if target is None:  # no row asks for a floor
        return floors
    # Only the income columns the roster has take part in a row's key.
    present = [k for k in IncomeInputs._fields if k in records.columns]
    codes = np.stack([records.columns[k].codes for k in present], axis=1)
    asks = np.array([bool(v.strip()) for v in target.values], dtype=bool)[target.codes]
    asks[list(chunk.errors)] = False
    rows = np.flatnonzero(asks)
    if not len(rows):
        return floors
    distinct, index = np.unique(codes[rows], axis=0, return_inverse=True)
    solved: list[float | str] = []
    for row_codes in distinct.tolist():
        key = tuple(
            records.columns[k].values[c].strip() for k, c in zip(present, row_codes, strict=True)
        )
        if key not in cache:
            cache[key] = _solve_floor(model, dict(zip(present, key, strict=True)), today)
        solved.append(cache[key])
    index = index.ravel()
    floors[rows] = np.array([math.nan if isinstance(f, str) else f for f in solved])[index]
    for i, d in zip(rows.tolist(), index.tolist(), strict=True):
        if isinstance(solved[d], str):
            chunk.errors[i] = str(solved[d])
    return floors


def _solve_floor(model: Model, texts: dict[str, str], today: dt.date) -> float | str:
    """Return the floor of one set of income inputs, checked as flags are, or the reason
    they are refused."""
    from tjm.france.income import prepare, solve_floor

    try:
        values = {key: parse_value(key, text) for key, text in texts.items() if text}
        # Each value is the type of its field: parse_value turns it by the field's kind.
        income = check_income(IncomeInputs(**values), today)  # type: ignore[arg-type]
        # target_net is set: rows without one are never solved.
        target = float(income.target_net or 0)
        days = prepare(income, model.dataset.billable_days, today)[0]
        return solve_floor(days, target).rate
    except InputError as exc:
        return exc.labelled(column)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: a chunk is many small lists that form no cycle,
    and the collector would walk them all, again and again, as they are made."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
    floor_cache: dict[tuple[str, ...], float | str] = {}
    writer = RosterWriter(out, fmt)
    with _collector_paused():
        for records in read_chunks(source, name, (*PRICED, *IncomeInputs._fields)):
            chunk = parse_chunk(model, records)
            prices = price_chunk(model, chunk)
            floors = floors_for(model, records, chunk, today, floor_cache)
            if chunk.errors:
                first = min(chunk.errors)
                if strict:
                    where = f"{name}:{chunk.lines[first]}"
                    raise BadRowError(labelled(where, chunk.errors[first]))
                for i in sorted(chunk.errors):
                    on_bad_row(chunk.lines[i], chunk.errors[i])
            writer.write(records, chunk, added_columns(chunk, prices, floors))
            total += len(chunk.lines)
            bad += len(chunk.errors)
            on_progress(total)
    writer.close()
    return Summary(total, bad)
