"""Startup stays light: the quick commands never load the heavy modules."""

import json
import subprocess
import sys

import pytest

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


@pytest.mark.parametrize("args", [["--help"], ["benchmarks", "sources"], ["--version"]])
def test_quick_commands_do_not_import_heavy_modules(args):
    """`tjm --help` and `tjm benchmarks sources` leave the heavy modules unloaded."""
    out = subprocess.run([sys.executable, "-c", PROBE.format(args=args)], capture_output=True,
                         text=True, check=True).stdout
    modules = json.loads(out.strip().splitlines()[-1])
    loaded = [m for m in modules if m.split(".")[0] in HEAVY]
    assert loaded == []


def test_python_dash_m_help():
    """`python -m tjm --help` runs and lists the commands."""
    result = subprocess.run([sys.executable, "-m", "tjm", "--help"], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0
    assert "quote" in result.stdout
