"""Typer's private API is used in one module, tjm.cli.typer_bridge, and Typer is pinned to the
minor release that module was written against."""

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
SRC = ROOT / "src" / "tjm"
BRIDGE = SRC / "cli" / "typer_bridge.py"
# typer's public modules; the rest of typer (typer._click, typer.core, typer.main, ...) is
# its inside.
PUBLIC = {"typer", "typer.testing"}


def private_uses(source: str) -> list[str]:
    """Return each import of a private typer module, or of a private name from typer, and
    each attribute reached through typer that is not its public top level."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if _private_module(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            if _private_module(node.module):
                found.append(node.module)
            elif node.module == "typer":
                found += [f"typer.{a.name}" for a in node.names if a.name.startswith("_")]
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "typer"
            and (node.attr.startswith("_") or node.attr in {"core", "main", "models", "params"})
        ):
            found.append(f"typer.{node.attr}")
    return found


def _private_module(name: str) -> bool:
    return (name == "typer" or name.startswith("typer.")) and name not in PUBLIC


@pytest.mark.parametrize(
    "path",
    [p for p in sorted(SRC.rglob("*.py")) if p != BRIDGE],
    ids=lambda p: str(p.relative_to(SRC)),
)
def test_no_module_but_the_bridge_touches_typer_internals(path):
    """No module of tjm but tjm.cli.typer_bridge imports typer._click or typer.core, or reaches
    into them through `typer.`."""
    assert private_uses(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        "from typer._click.core import Context",
        "import typer._click.exceptions",
        "import typer.core\ntyper.core._ = print",
        "from typer.core import TyperGroup",
        "import typer\ntyper.main.get_command(app)",
        "from typer import _click",
    ],
)
def test_the_check_sees_private_uses(source):
    """The check flags each way of reaching Typer's inside, so it can fail."""
    assert private_uses(source) != []


def test_the_check_lets_public_typer_through():
    """`import typer` and its public names (Typer, Option, Exit) are not flagged."""
    source = "import typer\nfrom typer import Option\ntyper.Exit(1)\ntyper.Typer()"
    assert private_uses(source) == []


def test_the_bridge_is_where_the_private_api_is():
    """The bridge does use Typer's private API (else the pin below would have no reason)."""
    assert private_uses(BRIDGE.read_text(encoding="utf-8")) != []


def test_typer_has_an_upper_bound():
    """pyproject.toml pins typer below its next minor release, as the bridge relies on its
    private API."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    typer = [d for d in project["project"]["dependencies"] if re.match(r"typer\b", d)]
    assert typer == ["typer>=0.29,<0.30"]
