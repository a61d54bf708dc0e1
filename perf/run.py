"""Run every benchmark and write perf/RESULTS.md (machine, Python, figures, verdicts).

Usage: .venv/bin/python perf/run.py [--runs N] [--rows N] [--before REV]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
from pathlib import Path

import batch
import startup

NOTES = Path(__file__).with_name("NOTES.md")
# Sections that their own scripts (perf/i18n.py, perf/help_lang.py, perf/startup.py --before)
# write at the end.
KEPT = ("## Translated help:", "## Startup: before and after")


def kept_sections(results: Path) -> list[str]:
    """Return the sections of the old RESULTS.md that other scripts own, to write them back."""
    if not results.exists():
        return []
    text = "\n" + results.read_text(encoding="utf-8")
    sections = ["## " + part for part in text.split("\n## ")[1:]]
    return ["\n" + s.rstrip() for s in sections if s.startswith(KEPT)]


def machine() -> str:
    """Describe the machine and the versions that the figures depend on."""
    import numpy
    import scipy
    import typer

    cpu = "unknown CPU"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"- Date: {dt.date.today().isoformat()}\n"
        f"- Machine: {platform.machine()}, {os.cpu_count()} cores, {cpu}\n"
        f"- Python {platform.python_version()}, typer {typer.__version__}, "
        f"numpy {numpy.__version__}, scipy {scipy.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--ratio-rows", type=int, default=200_000)
    parser.add_argument("--before", help="a git revision whose `tjm batch` is timed alongside")
    args = parser.parse_args()
    parts = [
        "# Performance results",
        "",
        "Written by `perf/run.py`; every ratio is against a baseline run in the same session.",
        "",
        machine(),
        "",
        "## Startup",
        "",
        startup.report(args.runs),
        "",
        "## Batch against a csv round trip",
        "",
        batch.ratio(args.ratio_rows, args.runs, args.before),
        "",
        "## Batch throughput",
        "",
        batch.report(args.rows),
    ]
    if NOTES.exists():
        parts += ["", NOTES.read_text(encoding="utf-8").strip()]
    out = Path(__file__).with_name("RESULTS.md")
    parts += kept_sections(out)
    out.write_text("\n".join(parts) + "\n", encoding="utf-8")
    print(out.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
