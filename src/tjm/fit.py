"""Fit the experience curve to the dataset's rate table, one saturating curve per region.

The fit needs scipy.optimize, which is slow to import, so its result is kept in
data/fit.toml with the dataset's sha256; `python -m tjm.fit` writes that file, and
a dataset whose hash differs is refitted on the spot.
"""

from __future__ import annotations

import math
import tomllib
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from tjm.benchmarks import Band, Dataset

SHAPE = "a - b*exp(-years/tau)"
# Bounds keep b >= 0 and tau > 0, so every fitted curve rises with years.
LOWER = (0.0, 0.0, 0.5)
UPPER = (100_000.0, 100_000.0, 500.0)


class CurveParams(NamedTuple):
    region: str
    a: float
    b: float
    tau: float

    def rate(self, years: float) -> float:
        """Return the curve's rate at some years of experience."""
        return self.a - self.b * math.exp(-years / self.tau)


class Residual(NamedTuple):
    band: str
    region: str
    years: float
    observed: float
    fitted: float

    @property
    def error_pct(self) -> float:
        return 100 * (self.fitted - self.observed) / self.observed


class CurveFit(NamedTuple):
    table: str
    dataset_sha256: str
    curves: tuple[CurveParams, ...]
    residuals: tuple[Residual, ...] = ()
    loo_mape: float | None = None  # leave-one-band-out error, set by a live fit only

    @property
    def mape(self) -> float:
        """Return the mean absolute percentage error over the table's cells."""
        return sum(abs(r.error_pct) for r in self.residuals) / len(self.residuals)

    def curve(self, region: str) -> CurveParams:
        return next(c for c in self.curves if c.region == region)


def band_years(band: Band, dataset: Dataset) -> float:
    """Return the years that stand for a band in the fit: its midpoint, or a parameter."""
    if band.max_years is None:
        return dataset.param("top_band_years")
    return (band.min_years + band.max_years) / 2


def _table_points(dataset: Dataset) -> tuple[list[str], list[float], list[list[float]]]:
    table = dataset.tables[dataset.curve_table]
    bands = {b.id: b for b in dataset.bands}
    band_ids = [band for band, _ in table.rows]
    years = [band_years(bands[band], dataset) for band in band_ids]
    values = [list(vals) for _, vals in table.rows]
    return band_ids, years, values


def _fit_column(years: list[float], values: list[float]) -> tuple[float, float, float]:
    import numpy as np
    from scipy.optimize import curve_fit

    def shape(y, a, b, tau):
        return a - b * np.exp(-y / tau)

    start = (max(values) * 1.2, max(values) - min(values), 10.0)
    params, _ = curve_fit(shape, np.asarray(years), np.asarray(values), p0=start,
                          bounds=(LOWER, UPPER), maxfev=20_000)
    return tuple(float(p) for p in params)


def fit_curve(dataset: Dataset) -> CurveFit:
    """Fit one curve per region column with curve_fit; report residuals and leave-one-out error."""
    table = dataset.tables[dataset.curve_table]
    band_ids, years, values = _table_points(dataset)
    curves, residuals, loo_errors = [], [], []
    for col, region in enumerate(table.columns):
        column = [row[col] for row in values]
        curve = CurveParams(region, *_fit_column(years, column))
        curves.append(curve)
        for band, y, observed in zip(band_ids, years, column, strict=True):
            residuals.append(Residual(band, region, y, observed, curve.rate(y)))
        for left_out in range(len(years)):
            kept = [i for i in range(len(years)) if i != left_out]
            partial = CurveParams(region, *_fit_column([years[i] for i in kept],
                                                       [column[i] for i in kept]))
            loo_errors.append(abs(partial.rate(years[left_out]) / column[left_out] - 1))
    return CurveFit(dataset.curve_table, dataset.sha256, tuple(curves), tuple(residuals),
                    100 * sum(loo_errors) / len(loo_errors))


def _stored_fit_path() -> Path:
    return Path(str(resources.files("tjm.data") / "fit.toml"))


def stored_fit(dataset: Dataset) -> CurveFit | None:
    """Return the fit kept in data/fit.toml if it was made from this very dataset."""
    path = _stored_fit_path()
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        if doc["dataset_sha256"] != dataset.sha256 or doc["table"] != dataset.curve_table:
            return None
        curves = tuple(CurveParams(c["region"], c["a"], c["b"], c["tau"]) for c in doc["curves"])
    except (OSError, KeyError, TypeError, tomllib.TOMLDecodeError):
        return None
    return CurveFit(doc["table"], doc["dataset_sha256"], curves)


def curve_for(dataset: Dataset) -> CurveFit:
    """Return the stored fit when it matches the dataset, else fit now."""
    return stored_fit(dataset) or fit_curve(dataset)


def write_stored_fit(fit: CurveFit, path: Path) -> None:
    """Write the fit's parameters for the quote path to read without scipy.optimize."""
    import tomli_w

    doc = {
        "note": "Generated by `python -m tjm.fit`; a test checks it against a fresh fit.",
        "shape": SHAPE,
        "table": fit.table,
        "dataset_sha256": fit.dataset_sha256,
        "curves": [{"region": c.region, "a": c.a, "b": c.b, "tau": c.tau} for c in fit.curves],
    }
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")


if __name__ == "__main__":
    from tjm.benchmarks import load_dataset

    write_stored_fit(fit_curve(load_dataset()), _stored_fit_path())
