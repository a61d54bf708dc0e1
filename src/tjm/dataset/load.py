"""Load the packaged market dataset (data/benchmarks.toml) once per run."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from tjm import files
from tjm.dataset.parse import parse_dataset
from tjm.dataset.records import Dataset
from tjm.errors import DataError

MAX_BYTES = 16 << 20  # the dataset is a few dozen KiB; more is not a dataset


def dataset_text() -> str:
    """Return the packaged dataset's text."""
    return _read(None)


def _read(path: Path | None) -> str:
    try:
        if path is None:
            return files.read_resource("benchmarks.toml", MAX_BYTES)
        return files.read_text(path, MAX_BYTES)
    except files.Unreadable as exc:
        raise DataError(f"{exc.path}: {exc.problem}") from None


@cache
def load_dataset(path: Path | None = None) -> Dataset:
    """Load the packaged dataset, or another file for tests and what-ifs."""
    if path is None:
        return parse_dataset(dataset_text())
    return parse_dataset(_read(path), file=str(path))
