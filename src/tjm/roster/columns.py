"""Turn a chunk's coded columns into the arrays the pricing takes.

Each distinct cell of a column is read once, by the same rules as a flag (tjm.fields), and
every row takes its value by its code. A bad cell makes its row bad, with the reason; a row
keeps its first reason.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from tjm.errors import InputError, labelled
from tjm.fields import FIELDS, NATIONAL, check_number, column, parse_value
from tjm.i18n import N_, _
from tjm.roster.codes import Column
from tjm.roster.read import Records

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from tjm.market.model import Model

PRICED = ("role", "years", "region", "skills", "rate")  # the columns parse_chunk reads
# A number as most rosters write it: ASCII digits and at most one decimal point; for an
# amount at most two decimals, so that neither the cents rule nor the thousands reading of
# `1.500` can apply. Any other text is read by tjm.fields.parse_value.
_PLAIN = {
    "number": re.compile(r"[0-9]+(?:\.[0-9]+)?"),
    "money": re.compile(r"[0-9]+(?:\.[0-9]{1,2})?"),
}
UNKNOWN_ROLE = N_("unknown role {value}")
UNKNOWN_REGION = N_("unknown region {value}")


class Chunk(NamedTuple):
    """Parsed rows of one chunk, as columns; `errors` maps a row index to its reason."""

    lines: list[int]
    role: NDArray[np.intp]
    years: NDArray[np.float64]
    region: NDArray[np.intp]
    tightness: NDArray[np.float64]
    rate: NDArray[np.float64]  # NaN where the row gives no rate
    errors: dict[int, str]


def read_cell_number(key: str, cell: str) -> float | str:
    """Return a cell's number, or the reason it is refused, exactly as parse_value reads it.

    A plain number in range is taken as it is; anything else goes through parse_value.
    """
    text = cell.strip()
    if _PLAIN[FIELDS[key].kind].fullmatch(text):
        with contextlib.suppress(InputError):  # out of range: parse_value words the reason
            return check_number(key, float(text))
    try:
        # parse_value is typed object; years and rate are number fields.
        return float(parse_value(key, text))  # type: ignore[arg-type]
    except InputError as exc:
        return exc.labelled(column)


def _number_reader(key: str, required: bool) -> Callable[[str], float | str]:
    missing = labelled(column(key), _("missing")) if required else math.nan

    def read(cell: str) -> float | str:
        if cell.strip():
            return read_cell_number(key, cell)
        return missing

    return read


def _id_reader(
    key: str, ids: dict[str, int], unknown: str, default: str = ""
) -> Callable[[str], float | str]:
    """Read a cell as an id in `ids`; `unknown` is the N_ message for any other value."""
    where = column(key)

    def read(cell: str) -> float | str:
        value = cell.strip() or default
        if value in ids:
            return ids[value]
        if not value:
            return labelled(where, _("missing"))
        return labelled(where, _(unknown).format(value=repr(value)))

    return read


def _tightness_reader(model: Model) -> Callable[[str], float | str]:
    skills = model.dataset.skills

    def read(cell: str) -> float | str:
        names = [s.strip() for s in cell.split(";") if s.strip()]
        unknown = [s for s in names if s not in skills]
        if unknown:
            problem = _("unknown skill {value}").format(value=repr(unknown[0]))
            return labelled(column("skills"), problem)
        return max((skills[s].tightness for s in names), default=math.nan)

    return read


def _read_column(
    coded: Column, read: Callable[[str], float | str], fill: float, errors: dict[int, str]
) -> NDArray[np.float64]:
    """Read each distinct cell once; return each row's value (`fill` where the cell is bad),
    and note each bad row's reason unless it has one already."""
    import numpy as np

    outcomes = [read(cell) for cell in coded.values]
    bad = np.array([isinstance(v, str) for v in outcomes], dtype=bool)
    values = np.array([fill if isinstance(v, str) else v for v in outcomes], dtype=float)
    codes = coded.codes
    if bad.any():
        for i in np.flatnonzero(bad[codes]).tolist():
            errors.setdefault(i, str(outcomes[codes[i]]))
    result: NDArray[np.float64] = values[codes]
    return result


def parse_chunk(model: Model, records: Records) -> Chunk:
    """Turn a chunk's columns into the arrays price_rows takes, recording each bad row's
    reason after the reasons the reading found."""
    import numpy as np

    errors = dict(records.errors)
    absent = Column([""], np.zeros(len(records.lines), dtype=np.intp))

    def read(key: str, reader: Callable[[str], float | str], fill: float) -> NDArray[np.float64]:
        return _read_column(records.columns.get(key, absent), reader, fill, errors)

    # Read in this order, so that a row with several bad cells reports the same one as ever.
    role = read(
        "role", _id_reader("role", {r: i for i, r in enumerate(model.roles)}, UNKNOWN_ROLE), 0
    )
    region_ids = {r: i for i, r in enumerate(model.regions)}
    region = read("region", _id_reader("region", region_ids, UNKNOWN_REGION, NATIONAL), 0)
    tightness = read("skills", _tightness_reader(model), math.nan)
    years = read("years", _number_reader("years", required=True), 0)
    rate = read("rate", _number_reader("rate", required=False), math.nan)
    return Chunk(
        records.lines,
        role.astype(np.intp),
        years,
        region.astype(np.intp),
        tightness,
        rate,
        errors,
    )
