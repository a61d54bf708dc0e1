"""Startup stays light: the quick commands never load the heavy modules."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

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


def test_the_probe_sees_heavy_imports():
    """The same probe reports numpy and scipy after a priced quote, so it can fail."""
    loaded = heavy_modules_after(["quote", "--role", "ai-engineer", "--years", "3", "--json"])
    assert "numpy" in loaded
    assert "scipy" in loaded


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
