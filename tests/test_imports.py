"""Startup stays light: the quick commands never load the heavy modules."""

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

EXAMPLE = Path(__file__).parent.parent / "profiles" / "paris-ai-engineer.toml"
HEAVY = ("numpy", "scipy", "questionary", "tomli_w", "prompt_toolkit")

PROBE = """
import sys
from tjm.cli import app
try:
    app({args!r}, prog_name="tjm")
except SystemExit:
    pass
print("\\n" + __import__("json").dumps(sorted(sys.modules)))
"""


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["benchmarks", "sources"],
        ["--version"],
        ["profile", "list"],
        ["profile", "path"],
        ["channel", "--rate", "600"],
        ["channel", "--help"],
    ],
)
def test_quick_commands_do_not_import_heavy_modules(args, tjm_home):
    """--help, benchmarks sources, profile list and tjm channel leave the heavy modules
    unloaded."""
    (tjm_home / "profiles").mkdir(parents=True)
    shutil.copy(EXAMPLE, tjm_home / "profiles" / "paris-ai-engineer.toml")
    assert heavy_modules_after(args) == []


def test_the_probe_sees_heavy_imports(tmp_path):
    """The same probe reports numpy and scipy.special after a batch (arrays), and
    scipy.optimize after a refit (its least squares), so it can fail."""
    roster = tmp_path / "roster.csv"
    roster.write_text("name,role,years,rate\nA,ai-engineer,3,550\n", encoding="utf-8")
    batch = heavy_modules_after(["batch", str(roster), "-o", str(tmp_path / "out.csv")])
    assert "numpy" in batch
    assert "scipy.special" in batch
    refit = heavy_modules_after(["benchmarks", "--fit", "--json"])
    assert "scipy.optimize" in refit


# One value is served without scipy: a bisection for the floor, NormalDist for the band.
ONE_ROW = [
    ["floor", "--target-net", "50000", "--json"],
    ["floor", "--target-net", "50000"],
    ["floor", "--target-net", "60000", "--status", "ei", "--json"],
    ["floor", "--target-net", "60000", "--status", "eurl-is", "--salary-share", "60", "--json"],
    ["floor", "--target-net", "50000", "--status", "sasu", "--json"],  # its searched split
    ["statuses", "--target-net", "60000", "--json"],
    ["quote", "--role", "ai-engineer", "--years", "5", "--json"],
    ["quote", "--role", "ai-engineer", "--years", "5", "--skill", "rag", "--rate", "550", "--json"],
    ["quote", "--role", "data-scientist", "--years", "3", "--target-net", "50000", "--json"],
    ["compare", "550", "--role", "ai-engineer", "--years", "5", "--json"],
]


@pytest.mark.parametrize("args", ONE_ROW, ids=" ".join)
def test_one_row_paths_load_no_scipy_solver_or_special(args):
    """A floor and a scripted quote (one row) import neither scipy.optimize nor scipy.special."""
    loaded = heavy_modules_after(args)
    assert [m for m in loaded if m.startswith(("scipy.optimize", "scipy.special"))] == []


@pytest.mark.parametrize("args", ONE_ROW[:4], ids=" ".join)
def test_floor_loads_no_numpy(args):
    """A floor is plain arithmetic: it imports neither numpy nor scipy."""
    assert [m for m in heavy_modules_after(args) if m.split(".")[0] in ("numpy", "scipy")] == []


COMMAND_MODULES = (
    "tjm.cli.pricing",
    "tjm.cli.statuses",
    "tjm.cli.channel",
    "tjm.cli.batch",
    "tjm.cli.benchmarks",
    "tjm.cli.profile",
    "tjm.cli.data",
)

# Counts the click parameters (options and arguments) built while the CLI runs.
PARAM_PROBE = """
import json, sys
from tjm.cli.typer_bridge import Parameter
built = []
init = Parameter.__init__
def counting(self, *args, **kwargs):
    built.append(type(self).__name__)
    init(self, *args, **kwargs)
Parameter.__init__ = counting
from tjm.cli import app
try:
    app({args!r}, prog_name="tjm")
except SystemExit:
    pass
tjm = sorted(m for m in sys.modules if m.startswith("tjm.cli."))
print("\\n" + json.dumps({{"params": len(built), "modules": tjm}}))
"""


def built_after(args: list[str]) -> dict[str, Any]:
    """Run the CLI with args in a fresh interpreter; return how many click parameters it
    built and which tjm.cli modules it imported."""
    out = subprocess.run(
        [sys.executable, "-c", PARAM_PROBE.format(args=args)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return found


@pytest.mark.parametrize("args", [["--help"], [], ["--lang", "fr", "--help"]])
def test_root_help_builds_no_command(args):
    """`tjm --help` (and bare `tjm`) lists the commands without importing their modules or
    building their options: only the root's own options (--version, --lang, the two
    completion options, --help) are built."""
    found = built_after(args)
    assert [m for m in found["modules"] if m in COMMAND_MODULES] == []
    assert found["params"] <= 5


def test_the_build_probe_sees_a_command_built():
    """The same probe sees `tjm quote --help` import its module and build its options,
    but no other command's, so it can fail."""
    found = built_after(["quote", "--help"])
    assert [m for m in found["modules"] if m in COMMAND_MODULES] == ["tjm.cli.pricing"]
    assert found["params"] > 30


def heavy_modules_after(args: list[str]) -> list[str]:
    """Run the CLI with args in a fresh interpreter; return the heavy modules it loaded."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args)], capture_output=True, text=True, check=True
    ).stdout
    modules = json.loads(out.strip().splitlines()[-1])
    return [m for m in modules if m.split(".")[0] in HEAVY]


def test_python_dash_m_help():
    """`python -m tjm --help` runs and lists the commands."""
    result = subprocess.run(
        [sys.executable, "-m", "tjm", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "quote" in result.stdout
