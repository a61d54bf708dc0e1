"""Write a priced roster: each row as it came, with the added columns, as CSV or JSON."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from tjm.roster.columns import Chunk
    from tjm.roster.price import Prices
    from tjm.roster.read import Records

OUTPUT_COLUMNS = ("target", "p25", "p50", "p75", "percentile", "verdict", "floor", "error")
TABLE_SIZE = 100_000  # the most texts _texts writes into a table


def _texts(values: NDArray[np.float64], digits: int) -> NDArray[np.object_]:
    """Write numbers as f"{value:.{digits}f}" does ("" for NaN), from a table of the texts
    between the smallest and the largest, so that no value is formatted on its own."""
    import numpy as np

    texts: NDArray[np.object_] = np.full(len(values), "", dtype=object)
    known = np.flatnonzero(~np.isnan(values))
    scaled = values[known] * 10**digits
    steps = np.rint(scaled)
    # Rounding the scaled value agrees with rounding the decimal expansion except within a
    # hair of a half, and for a negative value that rounds to zero ("-0"): those few, and
    # any too far apart for a table, are formatted one by one.
    alone = (np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5) < 1e-6) | (
        np.signbit(scaled) & (steps == 0)
    )
    if len(known) and steps.max() - steps.min() > TABLE_SIZE:
        alone[:] = True
    table_at = steps[~alone].astype(np.int64)
    if len(table_at):
        low = int(table_at.min())
        table = [f"{i / 10**digits:.{digits}f}" for i in range(low, int(table_at.max()) + 1)]
        texts[known[~alone]] = np.array(table, dtype=object)[table_at - low]
    for i in known[alone].tolist():
        texts[i] = f"{values[i]:.{digits}f}"
    return texts


def added_columns(chunk: Chunk, prices: Prices, floors: NDArray[np.float64]) -> list[list[str]]:
    """Return the added columns as text; a bad row has only its error."""
    import numpy as np

    columns = [
        *(_texts(v, 0) for v in (prices.target, prices.p25, prices.p50, prices.p75)),
        _texts(prices.percentile, 2),
        prices.verdict.astype(object),
        _texts(floors, 0),
        np.full(len(chunk.lines), "", dtype=object),
    ]
    if chunk.errors:
        bad = np.fromiter(chunk.errors, np.intp, len(chunk.errors))
        for texts in columns[:-1]:
            texts[bad] = ""
        columns[-1][bad] = list(chunk.errors.values())
    return [texts.tolist() for texts in columns]


# A number as a script writes it: in a spreadsheet's French CSV its point becomes a comma.
_DECIMAL = re.compile(r"-?\d+\.\d+")
BOM = "\ufeff"  # tells a spreadsheet the file is UTF-8


def excel_cell(text: str) -> str:
    """Return a cell as a French spreadsheet reads a number: 49.12 becomes 49,12."""
    return text.replace(".", ",") if _DECIMAL.fullmatch(text) else text


class RosterWriter:
    """Write priced chunks to `out` as csv, json, or excel (the CSV a French spreadsheet
    opens as columns: `;` between cells, decimal commas, a BOM): the header, or the opening
    bracket, once."""

    def __init__(self, out: TextIO, fmt: str) -> None:
        self.out, self.fmt = out, fmt
        delimiter = ";" if fmt == "excel" else ","
        self.csv = csv.writer(out, lineterminator="\n", delimiter=delimiter)
        self.started = False

    def write(self, records: Records, chunk: Chunk, added: list[list[str]]) -> None:
        """Write one chunk's rows, each with its added cells."""
        rows = map(records.row, range(len(chunk.lines)))
        if self.fmt == "json":
            self._write_json(records.header, rows, added)
            return
        if not self.started:
            if self.fmt == "excel":
                self.out.write(BOM)
            self.csv.writerow([*records.header, *OUTPUT_COLUMNS])
            self.started = True
        if self.fmt == "excel":
            cells = map(list.__add__, rows, map(list, zip(*added, strict=True)))
            self.csv.writerows([excel_cell(c) for c in row] for row in cells)
        elif records.texts is None:
            self.csv.writerows(map(list.__add__, rows, map(list, zip(*added, strict=True))))
        else:
            self._write_lines(records.texts, records, chunk, added)

    def _write_lines(
        self, texts: list[str], records: Records, chunk: Chunk, added: list[list[str]]
    ) -> None:
        """Write the rows of a chunk split at commas: each line is already its cells' CSV,
        and a good row's added cells need no quoting. A bad row, whose cells may have been
        padded and whose error may hold a comma, goes through the csv module."""
        lines = list(map(",".join, zip(texts, *added, strict=True)))
        start = 0
        for i in [*sorted(chunk.errors), len(lines)]:
            if start < i:
                self.out.write("\n".join(lines[start:i]) + "\n")
            if i < len(lines):
                self.csv.writerow(records.row(i) + [texts[i] for texts in added])
            start = i + 1

    def _write_json(
        self, header: list[str], rows: Iterator[list[str]], added: list[list[str]]
    ) -> None:
        for cells, extra in zip(rows, zip(*added, strict=True), strict=True):
            record: dict[str, object] = dict(zip(header, cells, strict=True))
            for name, text in zip(OUTPUT_COLUMNS, extra, strict=True):
                if name in ("verdict", "error"):
                    record[name] = text or None
                else:
                    record[name] = float(text) if text else None
            self.out.write(",\n" if self.started else "[\n")
            self.out.write(json.dumps(record, ensure_ascii=False))
            self.started = True

    def close(self) -> None:
        """End the output: the closing bracket of a JSON list."""
        if self.fmt == "json":
            self.out.write("\n]\n" if self.started else "[]\n")
