"""Startup benchmarks: each tjm command against its baseline, run alternately in one session.

Wall time is what a user waits; CPU time (user + system) is steadier on a shared machine.
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


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=11)
    print(report(parser.parse_args().runs))
