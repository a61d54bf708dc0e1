"""Batch throughput: 1,000,000 generated rows through `tjm batch`, stage by stage."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tjm import batch
from tjm.market import band_quantiles, percentiles, verdicts
from tjm.model import best_tightness, default_model, price_rows

ROLES = ["ai-engineer", "data-scientist", "data-engineer"]
REGIONS = ["france", "idf", "other-city", "abroad", ""]
SKILLS = ["", "rag", "llm", "nlp", "computer-vision", "rag;nlp", "llm;computer-vision"]


def write_roster(path: Path, rows: int) -> None:
    """Write a deterministic roster of `rows` freelancers."""
    rng = random.Random(2024)
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["name", "role", "years", "region", "skills", "rate"])
        for i in range(rows):
            out.writerow(
                [
                    f"f{i}",
                    rng.choice(ROLES),
                    f"{rng.uniform(0, 30):.1f}",
                    rng.choice(REGIONS),
                    rng.choice(SKILLS),
                    "" if rng.random() < 0.2 else f"{rng.uniform(250, 900):.0f}",
                ]
            )


def stages(path: Path) -> dict[str, float]:
    """Time reading+parsing, pricing and writing separately, in process."""
    model = default_model()
    timings = {"read": 0.0, "price": 0.0, "write": 0.0}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    today = dt.date.today()
    with path.open(encoding="utf-8-sig", newline="") as source:
        start = time.perf_counter()
        for header, raw, lines in batch._read_chunks(source, path.name):
            chunk = batch.parse_chunk(model, header, raw, lines)
            mark = time.perf_counter()
            timings["read"] += mark - start
            prices = batch.price_chunk(model, chunk)
            floors = batch.floors_for(model, header, chunk, today, {})
            start = time.perf_counter()
            timings["price"] += start - mark
            writer.writerows(batch._rows_out(chunk, prices, floors, len(header)))
            out.seek(0)
            out.truncate()
            mark = time.perf_counter()
            timings["write"] += mark - start
            start = mark
    return timings


def loop_rate(path: Path, sample: int) -> float:
    """Rows per second of a plain Python loop over the one-row path, on the first rows."""
    model = default_model()
    rows = []
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        for _, row in zip(range(sample), reader, strict=False):
            rows.append(row)
    start = time.perf_counter()
    for row in rows:
        skills = tuple(s for s in row["skills"].split(";") if s)
        median = price_rows(
            model,
            [model.roles.index(row["role"])],
            [float(row["years"])],
            [model.regions.index(row["region"] or "france")],
            [best_tightness(model, skills)],
        )
        p25, p75 = band_quantiles(median, model.sigma)
        if row["rate"]:
            rate = float(row["rate"])
            percentiles(rate, median, model.sigma), verdicts(rate, p25, p75)
    return sample / (time.perf_counter() - start)


def end_to_end(path: Path) -> tuple[float, float]:
    """Run `tjm batch` as a user would; return (seconds, peak memory in MiB)."""
    out = path.with_suffix(".out.csv")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "tjm", "batch", str(path), "-o", str(out), "--quiet", "--force"],
        check=True,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out.unlink()
    return elapsed, peak_kib / 1024


def report(rows: int, loop_sample: int = 20_000) -> str:
    """Return the batch table as Markdown."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.csv"
        write_roster(path, rows)
        t = stages(path)
        loop = loop_rate(path, loop_sample)
        seconds, peak = end_to_end(path)
    vector = rows / t["price"]
    return "\n".join(
        [
            f"{rows:,} generated rows.",
            "",
            "| measure | value | target |",
            "|---|---|---|",
            f"| pricing step (vectorised) | {vector:,.0f} rows/s | ≥ 500,000 rows/s |",
            f"| CSV reading and parsing | {rows / t['read']:,.0f} rows/s | (timed apart) |",
            f"| CSV writing | {rows / t['write']:,.0f} rows/s | (timed apart) |",
            f"| `tjm batch` end to end, process start included | {rows / seconds:,.0f} rows/s "
            f"({seconds:.2f} s) | ≥ 100,000 rows/s |",
            f"| plain Python loop over the one-row path ({loop_sample:,} rows) "
            f"| {loop:,.0f} rows/s "
            "| |",
            f"| vectorised pricing / loop | {vector / loop:,.0f}× | ≥ 30× |",
            f"| peak memory of `tjm batch` | {peak:,.0f} MiB | < 1,536 MiB |",
        ]
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    print(report(parser.parse_args().rows))
