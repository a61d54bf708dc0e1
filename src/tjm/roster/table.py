"""Price a table held in memory (columns of cells, as a notebook has them) the way `tjm batch`
prices a CSV: the same column readers, bands, floors and bad-row reasons, with no CSV between."""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from tjm.errors import InputError
from tjm.i18n import _
from tjm.inputs import IncomeInputs
from tjm.roster.codes import code_cells
from tjm.roster.columns import PRICED, parse_chunk
from tjm.roster.price import floors_for, price_chunk
from tjm.roster.read import REQUIRED, Records
from tjm.roster.write import OUTPUT_COLUMNS

if TYPE_CHECKING:
    from tjm.market.model import Model

TEXT_COLUMNS = ("verdict", "error")
DIGITS = {"percentile": 2}  # the others are whole euros


def price_columns(
    model: Model, columns: dict[str, list[str]], today: dt.date
) -> dict[str, list[float | str | None]]:
    """Return the priced columns (target, p25, p50, p75, percentile, verdict, floor, error)
    of a table of text cells: numbers are floats, and a cell with nothing is None."""
    header = list(columns)
    missing = tuple(c for c in REQUIRED if c not in header)
    if missing:
        raise InputError(missing, _("the table has no such column"), "missing-column")
    rows = len(next(iter(columns.values()))) if columns else 0
    wanted = {k: code_cells(columns[k]) for k in (*PRICED, *IncomeInputs._fields) if k in columns}
    records = Records(header, list(range(1, rows + 1)), wanted, {}, {}, None)
    chunk = parse_chunk(model, records)
    prices = price_chunk(model, chunk)
    floors = floors_for(model, records, chunk, today, {})
    values = [
        prices.target,
        prices.p25,
        prices.p50,
        prices.p75,
        prices.percentile,
        prices.verdict,
        floors,
    ]
    added: dict[str, list[float | str | None]] = {}
    for name, column in zip(OUTPUT_COLUMNS, values, strict=False):
        cells = column.tolist()
        if name in TEXT_COLUMNS:
            added[name] = [c or None for c in cells]
        else:  # the digits tjm batch writes, read back as it reads them in JSON
            digits = DIGITS.get(name, 0)
            added[name] = [None if math.isnan(c) else float(f"{c:.{digits}f}") for c in cells]
    errors = [chunk.errors.get(i) for i in range(rows)]
    for i, error in enumerate(errors):
        if error is not None:
            for name in OUTPUT_COLUMNS[:-1]:
                added[name][i] = None
    added["error"] = list(errors)
    return added


def cell_text(value: object) -> str:
    """Return a cell as the text `tjm batch` would read: None and NaN are empty, a list of
    skills is joined with `;`, a number is written plainly."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return repr(float(value)) if isinstance(value, float) else str(value)
    return str(value)
