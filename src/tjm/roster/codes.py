"""Code a column as its distinct cells and each row's index into them, so that each distinct
cell is read once however many rows repeat it (rosters repeat their values).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

# A coded cell longer than this (in UTF-8 bytes) is decoded on its own, so that a rare long
# cell does not widen the whole column's array.
KEY_BYTES = 64
_MASKS = [(1 << 8 * k) - 1 for k in range(9)]  # the low k bytes of a 64-bit word
_MIX = 0x9E3779B97F4A7C15  # an odd constant that spreads each word over the key


class Column(NamedTuple):
    """A column's distinct cells, and each row's index into them."""

    values: list[str]
    codes: NDArray[np.intp]


def code_cells(cells: Sequence[str]) -> Column:
    """Code cells that are already strings."""
    import numpy as np

    distinct = dict.fromkeys(cells)
    code = dict(zip(distinct, range(len(distinct)), strict=True))
    return Column(list(distinct), np.fromiter(map(code.__getitem__, cells), np.intp, len(cells)))


def code_spans(data: NDArray[np.uint8], starts: NDArray[np.intp], ends: NDArray[np.intp]) -> Column:
    """Code the cells that lie between `starts` and `ends` in UTF-8 `data` with numpy: each
    cell's length and its bytes, read 8 at a time as integers, make its key, and cells that
    share a key are checked to be the same."""
    import numpy as np

    lengths = ends - starts
    long = np.flatnonzero(lengths > KEY_BYTES)
    lengths[long] = 0
    masks = np.array(_MASKS, dtype=np.uint64)
    # The 8 bytes of data from each offset, as a little-endian integer.
    eights = np.ndarray((len(data) - 7,), dtype="<u8", buffer=data, strides=(1,))
    parts = [lengths.astype(np.uint64)]
    key = parts[0]
    for offset in range(0, int(lengths.max(initial=0)), 8):
        at = np.minimum(starts + offset, len(eights) - 1)
        parts.append(eights[at] & masks[np.clip(lengths - offset, 0, 8)])
        key = key * _MIX + parts[-1]  # wraps around
    _, first, codes = np.unique(key, return_index=True, return_inverse=True)
    codes = codes.ravel()
    if not all((part == part[first][codes]).all() for part in parts):
        first, codes = np.arange(len(key)), np.arange(len(key))  # two cells share a key
    texts = [
        data[start:stop].tobytes().decode("utf-8", "surrogatepass")
        for start, stop in zip(
            np.concatenate((starts[first], starts[long])).tolist(),
            np.concatenate((starts[first] + lengths[first], ends[long])).tolist(),
            strict=True,
        )
    ]
    index: dict[str, int] = {}
    remap = np.array([index.setdefault(t, len(index)) for t in texts], dtype=np.intp)
    result = remap[: len(first)][codes]
    result[long] = remap[len(first) :]
    return Column(list(index), result)
