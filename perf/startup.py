"""Startup benchmarks: each tjm command against its baseline, run alternately in one session.

Wall time is what a user waits; CPU time (user + system) is steadier on a shared machine.
With --before REV, the one-row commands are also timed as REV had them (its src/ from
`git archive`, first on PYTHONPATH), in the same rounds, and that table is printed instead.

Usage: .venv/bin/python perf/startup.py [--runs N] [--before REV]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pexpect

PY = sys.executable
Sample = tuple[float, float]  # (wall seconds, CPU seconds)


def run(args: list[str]) -> Callable[[dict], Sample]:
    """Return a measure of one run of a command: wall and CPU time of the child."""

    def measure(env: dict) -> Sample:
        start = time.perf_counter()
        proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"{args} exited {proc.returncode}")
        return wall, usage.ru_utime + usage.ru_stime

    return measure


def first_question(env: dict) -> Sample:
    """Time from starting `tjm quote` on a terminal to its first question (wall only)."""
    start = time.perf_counter()
    child = pexpect.spawn(PY, ["-m", "tjm", "quote"], env=env, encoding="utf-8", timeout=30)
    child.expect("Your role")
    wall = time.perf_counter() - start
    child.close(force=True)
    return wall, float("nan")


PROMPT_BASE = run([PY, "-c", "import typer, questionary"])
QUOTE_BASE = run([PY, "-c", "import typer, numpy, scipy.special"])

CASES: dict[str, tuple[Callable, Callable, float | None]] = {
    "reference: Typer's pydantic import on top of `import typer, questionary`": (
        run([PY, "-c", "import typer, questionary, typer._adapters"]),
        PROMPT_BASE,
        None,
    ),
    "reference: Typer's pydantic import on top of `import typer, numpy, scipy.special`": (
        run([PY, "-c", "import typer, numpy, scipy.special, typer._adapters"]),
        QUOTE_BASE,
        None,
    ),
    "`tjm --help` vs `import typer`": (
        run([PY, "-m", "tjm", "--help"]),
        run([PY, "-c", "import typer"]),
        1.3,
    ),
    "`tjm quote --role ai-engineer --years 5 --skill rag --json` vs "
    "`import typer, numpy, scipy.special`": (
        run(
            [
                PY,
                "-m",
                "tjm",
                "quote",
                "--role",
                "ai-engineer",
                "--years",
                "5",
                "--skill",
                "rag",
                "--json",
            ]
        ),
        QUOTE_BASE,
        1.5,
    ),
    "first question of `tjm quote` vs `import typer, questionary`": (
        first_question,
        PROMPT_BASE,
        1.3,
    ),
}


def report(runs: int) -> str:
    """Return the startup table as Markdown."""
    env = {**os.environ, "TJM_HOME": tempfile.mkdtemp()}
    # Installed packages run from compiled bytecode; this machine's shell turns writing it
    # off, which would make our editable sources compile on every start.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    lines = [
        f"{runs} alternating runs each, medians.",
        "",
        "| case | tjm wall (s) | base wall (s) | wall ratio | CPU ratio | target (wall) |",
        "|---|---|---|---|---|---|",
    ]
    for name, (measure, baseline, target) in CASES.items():
        measure(env), baseline(env)  # warm the file cache and the bytecode
        ours, base = [], []
        for _ in range(runs):  # alternate, so drift hits both sides alike
            ours.append(measure(env))
            base.append(baseline(env))
        wall = statistics.median(w for w, _ in ours) / statistics.median(w for w, _ in base)
        cpu = statistics.median(c for _, c in ours) / statistics.median(c for _, c in base)
        cpu_text = "—" if math.isnan(cpu) else f"{cpu:.2f}"
        goal = (
            "reference"
            if target is None
            else f"≤ {target}: {'met' if wall <= target else 'missed'}"
        )
        lines.append(
            f"| {name} | {statistics.median(w for w, _ in ours):.3f} | "
            f"{statistics.median(w for w, _ in base):.3f} | {wall:.2f} | {cpu_text} | "
            f"{goal} |"
        )
    return "\n".join(lines)


# The one-row starts of issue 21, each against its baseline, for --before.
TJM = [PY, "-m", "tjm"]
ONE_ROW: dict[str, tuple[list[str], list[str]]] = {
    "`tjm --help` vs `import typer`": (["--help"], [PY, "-c", "import typer"]),
    "`tjm floor --target-net 50000 --json` vs `import typer`": (
        ["floor", "--target-net", "50000", "--json"],
        [PY, "-c", "import typer"],
    ),
    "`tjm quote --role ai-engineer --years 5 --json` vs `import typer, numpy, scipy.special`": (
        ["quote", "--role", "ai-engineer", "--years", "5", "--json"],
        [PY, "-c", "import typer, numpy, scipy.special"],
    ),
}


def unpack(revision: str) -> str:
    """Return a folder holding src/ as it was at revision."""
    folder = tempfile.mkdtemp()
    archive = subprocess.run(
        ["git", "-C", str(Path(__file__).resolve().parent.parent), "archive", revision, "src"],
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
    return str(Path(folder, "src"))


def before_and_after(runs: int, revision: str) -> str:
    """Return a Markdown table: each one-row start now and at revision, with its baseline,
    the three run in turn in every round; medians."""
    env = {**os.environ, "TJM_HOME": tempfile.mkdtemp()}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # run from .pyc, as an installed tjm does
    old = {**env, "PYTHONPATH": unpack(revision)}
    lines = [
        f"{runs} rounds, each running the baseline, tjm at `{revision}` and tjm now in turn; "
        "medians.",
        "",
        "| case | base wall (s) | before wall (s) | now wall (s) | before ratio (wall) "
        "| now ratio (wall) | before ratio (CPU) | now ratio (CPU) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, (args, base_args) in ONE_ROW.items():
        sides = {"base": (run(base_args), env), "before": (run(TJM + args), old)}
        sides["now"] = (run(TJM + args), env)
        for measure, side_env in sides.values():  # warm the file cache and the bytecode
            measure(side_env)
        samples: dict[str, list[Sample]] = {side: [] for side in sides}
        for _ in range(runs):
            for side, (measure, side_env) in sides.items():
                samples[side].append(measure(side_env))
        wall = {k: statistics.median(w for w, _ in v) for k, v in samples.items()}
        cpu = {k: statistics.median(c for _, c in v) for k, v in samples.items()}
        lines.append(
            f"| {name} | {wall['base']:.3f} | {wall['before']:.3f} | {wall['now']:.3f} | "
            f"{wall['before'] / wall['base']:.2f} | {wall['now'] / wall['base']:.2f} | "
            f"{cpu['before'] / cpu['base']:.2f} | {cpu['now'] / cpu['base']:.2f} |"
        )
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    return "\n".join([*lines, "", f"Load average when they ended: {load} (2 cores)."])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--before", help="a git revision to time the one-row starts at")
    options = parser.parse_args()
    if options.before:
        print(before_and_after(options.runs, options.before))
    else:
        print(report(options.runs))
