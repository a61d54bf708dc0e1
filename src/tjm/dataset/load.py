"""Load the packaged market dataset (data/benchmarks.toml) once per run."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from tjm.dataset.parse import parse_dataset
from tjm.dataset.records import Dataset


def dataset_text() -> str:
    """Return the packaged dataset's text."""
    return (resources.files("tjm.data") / "benchmarks.toml").read_text(encoding="utf-8")


@cache
def load_dataset(path: Path | None = None) -> Dataset:
    """Load the packaged dataset, or another file for tests and what-ifs."""
    if path is None:
        return parse_dataset(dataset_text())
    return parse_dataset(path.read_text(encoding="utf-8"), file=str(path))
