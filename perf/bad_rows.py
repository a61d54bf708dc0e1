"""Bad-row exactness at scale: a roster with 5% bad rows of every kind through `tjm batch`.

Checks that exactly the bad rows are reported, each with its line, and that every row is in
the output. The test suite runs the same check on 20,000 rows; run this for 1,000,000.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = ["name", "role", "years", "region", "skills", "rate", "notes"]
# Each kind of bad row, as the cells it writes and a part of the reason tjm gives.
BAD = [
    (lambda i: [f"b{i}", "wizard", "3", "", "", "", ""], "unknown role"),
    (lambda i: [f"b{i}", "ai-engineer", "abc", "", "", "", ""], "column years"),
    (lambda i: [f"b{i}", "ai-engineer", "300", "", "", "", ""], "column years"),
    (lambda i: [f"b{i}", "ai-engineer"], "column years: missing"),
    (lambda i: [f"b{i}", "ai-engineer", "3", "mars", "", "", ""], "unknown region"),
    (lambda i: [f"b{i}", "ai-engineer", "3", "", "cobol", "", ""], "unknown skill"),
    (lambda i: [f"b{i}", "ai-engineer", "3", "", "", "-5", ""], "column rate"),
    (lambda i: [f"b{i}", "ai-engineer", "3", "", "", "", "", "extra"], "8 fields"),
    (lambda i: [f"b{i}", "ai-engineer", "3", "", "", "", "x" * 140_000], "column notes"),
]


def write_roster(path: Path, rows: int, bad_share: float = 0.05, seed: int = 13) -> dict[int, str]:
    """Write a roster with blank lines and multi-line notes; return {bad line: reason start}."""
    rng = random.Random(seed)
    expected: dict[int, str] = {}
    line = 1
    with path.open("w", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(HEADER)
        for i in range(rows):
            if rng.random() < 0.01:
                handle.write("\n")  # a blank line is skipped, but still counts
                line += 1
            if rng.random() < bad_share:
                make, reason = rng.choice(BAD)
                if reason == "column notes" and rng.random() < 0.9:
                    make, reason = BAD[0]  # keep the file small: few huge fields
                cells = make(i)
                expected[line + 1] = reason
            else:
                notes = "two\nlines" if rng.random() < 0.01 else ""
                cells = [
                    f"f{i}",
                    rng.choice(["ai-engineer", "data-scientist"]),
                    f"{rng.uniform(0, 30):.1f}",
                    rng.choice(["idf", "", "abroad"]),
                    rng.choice(["", "rag", "rag;nlp"]),
                    "" if rng.random() < 0.3 else f"{rng.uniform(250, 900):.0f}",
                    notes,
                ]
            out.writerow(cells)
            line += 1 + sum(cell.count("\n") for cell in cells)
    return expected


def check(path: Path, expected: dict[int, str], rows: int) -> tuple[float, float]:
    """Run `tjm batch` on the roster; assert the reports are exact; return (s, peak MiB)."""
    out = path.with_name("out.csv")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "tjm", "batch", str(path), "-o", str(out), "--quiet"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    seconds = time.perf_counter() - start
    reported = {}
    for text in done.stderr.splitlines()[:-1]:
        _, line, reason = text.split(":", 2)
        reported[int(line)] = reason.strip()
    assert sorted(reported) == sorted(expected), "reported lines differ from the bad lines"
    for line, reason in reported.items():
        assert expected[line] in reason, (line, reason, expected[line])
    assert done.stderr.splitlines()[-1] == (
        f"Priced {rows - len(expected)} of {rows} rows to {out}; {len(expected)} bad."
    )
    with out.open(newline="") as handle:
        assert sum(1 for _ in csv.reader(handle)) == rows + 1
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as folder:
        roster = Path(folder) / "roster.csv"
        bad = write_roster(roster, rows)
        seconds, peak = check(roster, bad, rows)
    print(
        f"{rows:,} rows, {len(bad):,} bad: every bad row reported once with its line; "
        f"{seconds:.2f} s ({rows / seconds:,.0f} rows/s), peak {peak:,.0f} MiB"
    )
