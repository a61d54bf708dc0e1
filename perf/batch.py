"""Batch throughput: generated rosters through `tjm batch`, stage by stage, and against a
csv round trip in one run of alternating processes."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from startup import QUOTE_BASE, Sample, run

from tjm.inputs import IncomeInputs
from tjm.market.band import band_quantiles, percentiles, verdicts
from tjm.market.model import best_tightness, default_model, price_rows
from tjm.roster.columns import PRICED, parse_chunk
from tjm.roster.price import floors_for, price_chunk
from tjm.roster.read import read_chunks
from tjm.roster.write import RosterWriter, added_columns

ROLES = ["ai-engineer", "data-scientist", "data-engineer"]
REGIONS = ["france", "idf", "other-city", "abroad", ""]
SKILLS = ["", "rag", "llm", "nlp", "computer-vision", "rag;nlp", "llm;computer-vision"]


ROSTER = "name,role,years,region,skills,rate\nA,ai-engineer,3,idf,rag,500\n"
# The baseline: the same imports as a priced command, the roster read with the csv module and
# each row written back with seven extra columns.
ROUND_TRIP = """
import csv, sys
import typer, numpy, scipy.special
EXTRA = ["500", "450", "500", "560", "50.00", "in-band", ""]
with open(sys.argv[1], encoding="utf-8-sig", newline="") as source, open(
    sys.argv[2], "w", encoding="utf-8", newline=""
) as out:
    writer = csv.writer(out, lineterminator="\\n")
    for row in csv.reader(source):
        writer.writerow(row + EXTRA)
"""


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
    today = dt.date.today()
    price_chunk(model, parse_chunk(model, next(read_chunks(io.StringIO(ROSTER), "warm", PRICED))))
    with path.open(encoding="utf-8-sig", newline="") as source:
        start = time.perf_counter()
        for records in read_chunks(source, path.name, (*PRICED, *IncomeInputs._fields)):
            chunk = parse_chunk(model, records)
            mark = time.perf_counter()
            timings["read"] += mark - start
            prices = price_chunk(model, chunk)
            floors = floors_for(model, records, chunk, today, {})
            start = time.perf_counter()
            timings["price"] += start - mark
            RosterWriter(out, "csv").write(records, chunk, added_columns(chunk, prices, floors))
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
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "tjm", "batch", str(path), "-o", str(out), "--quiet", "--force"],
        check=True,
        env=_env(),
        stderr=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out.unlink()
    return elapsed, peak_kib / 1024


def _env(src: Path | None = None) -> dict[str, str]:
    # Installed packages run from bytecode; this machine's shell turns writing it off.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if src is not None:  # an older tjm, from its own source tree
        env["PYTHONPATH"] = str(src)
    return env


def _tree(revision: str, folder: Path) -> Path:
    """Unpack a git revision's src/ into folder; return the src/ folder."""
    archive = subprocess.run(
        ["git", "-C", str(Path(__file__).parent.parent), "archive", revision, "src"],
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "src"


def ratio(rows: int, runs: int, before: str | None = None) -> str:
    """Time `tjm batch` against the csv round trip on one roster, alternately; return the
    table as Markdown. `before` names a git revision whose tjm is timed alongside."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        roster, header, out = folder / "roster.csv", folder / "header.csv", str(folder / "o.csv")
        write_roster(roster, rows)
        with roster.open() as lines:
            header.write_text(lines.readline())

        def batch(path: Path) -> Callable[[dict], Sample]:
            return run(
                [sys.executable, "-m", "tjm", "batch", str(path), "-o", out, "--force", "--quiet"]
            )

        cases = {  # name: (measure, environment, target wall ratio)
            "csv round trip": (
                run([sys.executable, "-c", ROUND_TRIP, str(roster), out]),
                _env(),
                None,
            ),
            "reference: `import typer, numpy, scipy.special`": (QUOTE_BASE, _env(), None),
            "reference: `tjm batch` on the header line alone": (batch(header), _env(), None),
        }
        if before is not None:
            cases[f"`tjm batch` at {before}"] = (batch(roster), _env(_tree(before, folder)), None)
        cases["`tjm batch`"] = (batch(roster), _env(), 1.5)
        for measure, env, _ in cases.values():  # warm the file cache and the bytecode
            measure(env)
        samples: dict[str, list[Sample]] = {name: [] for name in cases}
        for _ in range(runs):  # alternate, so drift hits every case alike
            for name, (measure, env, _) in cases.items():
                samples[name].append(measure(env))
    base = samples["csv round trip"]
    wall0, cpu0 = (statistics.median(s[k] for s in base) for k in (0, 1))
    lines = [
        f"{rows:,} generated rows (name, role, years, region, skills, rate); {runs} alternating "
        "runs each, medians. The csv round trip imports Typer, numpy and scipy.special, reads "
        "the roster with the csv module and writes each row back with seven extra columns.",
        "",
        "| case | wall (s) | CPU (s) | wall ratio | CPU ratio | target (wall) |",
        "|---|---|---|---|---|---|",
    ]
    for name, (_, _, target) in cases.items():
        wall, cpu = (statistics.median(s[k] for s in samples[name]) for k in (0, 1))
        goal = (
            "" if target is None else f"≤ {target}: {'met' if wall <= target * wall0 else 'missed'}"
        )
        lines.append(
            f"| {name} | {wall:.3f} | {cpu:.3f} | {wall / wall0:.2f} | {cpu / cpu0:.2f} | {goal} |"
        )
    return "\n".join(lines)


def report(rows: int, loop_sample: int = 20_000) -> str:
    """Return the throughput table as Markdown."""
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
    parser.add_argument("--ratio-rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--before", help="a git revision to time alongside (its src/ tree)")
    args = parser.parse_args()
    print(ratio(args.ratio_rows, args.runs, args.before))
    print()
    print(report(args.rows))
