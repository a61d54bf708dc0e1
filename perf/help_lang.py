"""What translated help costs: `tjm --help` and `tjm quote --help` before --lang existed, and
now in English and in French, run alternately in one session.

"Before" is the source tree of a git revision (default: the last commit before --lang),
unpacked into a temporary folder and put first on PYTHONPATH; "now" is this checkout.

Usage: .venv/bin/python perf/help_lang.py [--runs N] [--before REV]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from startup import PY, Sample, run

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {"`tjm --help`": ["--help"], "`tjm quote --help`": ["quote", "--help"]}
# The language's own work for `tjm --help`, in CPU time, once the command tree is built:
# choosing (and loading the catalogue), routing Typer's words, translating every help text.
ALONE = """
import time, typer.main
from tjm.cli.click_words import speak_typer
from tjm.cli.lang import choose_language
from tjm.cli.helptext import translate_help
from tjm.cli.root import app
group = typer.main.get_command(app)
start = time.process_time()
choose_language(["--help"], {{"TJM_LANG": "{lang}"}})
speak_typer()
translate_help(group)
print(time.process_time() - start)
"""


def unpack(revision: str) -> str:
    """Return a folder holding src/ as it was at revision."""
    folder = tempfile.mkdtemp()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "src"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
    return str(Path(folder, "src"))


def report(runs: int, revision: str) -> str:
    """Return a Markdown table: each help, before and now in both languages, paired by round."""
    base = {**os.environ, "TJM_HOME": tempfile.mkdtemp(), "LC_ALL": "", "LANG": "C.UTF-8"}
    base.pop("PYTHONDONTWRITEBYTECODE", None)  # run from .pyc, as an installed tjm does
    base.pop("TJM_LANG", None)
    envs = {
        "before": {**base, "PYTHONPATH": unpack(revision)},
        "now, English": base,
        "now, French": {**base, "TJM_LANG": "fr"},
    }
    lines = [
        f"{runs} rounds, the six starts in turn, medians; before = `{revision}`.",
        f"Load average when they ended: (see below) ({os.cpu_count()} cores).",
        "",
        "| start | wall (s) | CPU (s) | wall vs before, paired | CPU vs before, paired |",
        "|---|---|---|---|---|",
    ]
    samples: dict[tuple[str, str], list[Sample]] = {}
    cases = [(c, e) for c in COMMANDS for e in envs]
    for command, env in cases:  # warm the file cache and the bytecode
        run([PY, "-m", "tjm", *COMMANDS[command]])(envs[env])
        samples[command, env] = []
    for _ in range(runs):
        for command, env in cases:
            samples[command, env].append(run([PY, "-m", "tjm", *COMMANDS[command]])(envs[env]))
    for command, env in cases:
        ours, before = samples[command, env], samples[command, "before"]
        cells = [statistics.median(s[i] for s in ours) for i in (0, 1)]
        more = [
            statistics.median((o[i] / b[i] - 1) * 100 for o, b in zip(ours, before, strict=True))
            for i in (0, 1)
        ]
        lines.append(
            f"| {command}, {env} | {cells[0]:.3f} | {cells[1]:.3f} | "
            f"{more[0]:+.1f}% | {more[1]:+.1f}% |"
        )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines[1] = f"Load average when they ended: {load} ({os.cpu_count()} cores)."
    whole = statistics.median(s[1] for s in samples["`tjm --help`", "now, English"])
    lines += [
        "",
        "The language's own work alone, in CPU time inside fresh interpreters once the command "
        f"tree is built ({runs} runs, medians), against the CPU time of `tjm --help` above:",
        "",
        "| language | CPU (ms) | share of `tjm --help` |",
        "|---|---|---|",
    ]
    for lang in ("en", "fr"):
        code = ALONE.format(lang=lang)
        times = [
            float(
                subprocess.run([PY, "-c", code], env=base, capture_output=True, check=True).stdout
            )
            for _ in range(runs)
        ]
        seconds = statistics.median(times)
        lines.append(f"| {lang} | {seconds * 1000:.2f} | {seconds / whole * 100:.2f}% |")
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--before", default="e2d1784")
    args = parser.parse_args()
    print(report(args.runs, args.before))
