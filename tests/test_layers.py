"""The package's layers, read from its source with ast: no import circle, no import up a
layer, and the CLI reaching the core only through tjm.api."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "src" / "tjm"

# Low to high: a module may import its own layer's modules and those below it.
LAYERS = (
    ("tjm.i18n",),
    ("tjm.registry", "tjm.errors", "tjm.notices"),
    ("tjm.clock", "tjm.fields", "tjm.files"),
    ("tjm.dataset",),
    ("tjm.inputs",),
    ("tjm.france",),
    ("tjm.store",),
    ("tjm.market",),
    ("tjm.sales",),
    ("tjm.defaults", "tjm.roster"),
    ("tjm.render",),
    ("tjm.api",),
    ("tjm.cli",),
    ("tjm", "tjm.__main__"),
)
# What the CLI may import besides itself: the API, the views, the store, and the ground.
CLI_MAY_IMPORT = (
    "tjm",
    "tjm.api",
    "tjm.render",
    "tjm.store",
    "tjm.defaults",
    "tjm.errors",
    "tjm.i18n",
    "tjm.fields",
    "tjm.files",
    "tjm.inputs",
    "tjm.clock",
    "tjm.registry",
    "tjm.notices",
)


def module_names() -> dict[str, Path]:
    """Return every module of the package by its dotted name."""
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        names[name] = path
    return names


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Return the package modules `name` imports at run time (anywhere in its body, lazily
    too), leaving out what sits under `if TYPE_CHECKING:`."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]

    def resolve(target: str) -> str | None:
        while target and target not in known:
            target = target.rpartition(".")[0]
        return target or None

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for other in child.orelse:
                    visit(other)
                continue
            targets: list[str] = []
            if isinstance(child, ast.Import):
                targets = [a.name for a in child.names]
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parts = package.split(".")
                    parts = parts[: len(parts) - (child.level - 1)]
                    base = ".".join([*parts, base] if base else parts)
                targets = [f"{base}.{a.name}" for a in child.names] + [base]
            for target in targets:
                if target.split(".")[0] == "tjm":
                    module = resolve(target)
                    if module is not None and module != name:
                        found.add(module)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    # `from tjm.x import y` names both tjm.x and, when y is a module, tjm.x.y: keep the
    # deepest only, so a package's __init__ is not counted for its submodule.
    return {m for m in found if not any(o.startswith(m + ".") for o in found)}


GRAPH = {name: imports_of(name, path, module_names()) for name, path in module_names().items()}


def layer_of(module: str) -> int:
    """Return the rank of the layer a module belongs to (its longest matching prefix)."""
    best = max(
        (
            (len(prefix), rank)
            for rank, prefixes in enumerate(LAYERS)
            for prefix in prefixes
            if module == prefix or module.startswith(prefix + ".")
        ),
        default=None,
    )
    assert best is not None, f"{module} is in no layer: add it to LAYERS"
    return best[1]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return found


def test_the_package_has_no_import_circle():
    """No two modules import each other, directly or round a circle (run-time imports,
    lazy ones included)."""
    assert cycles(GRAPH) == []


def test_the_circle_finder_finds_a_circle():
    """The checker sees a circle where there is one, so the test above can fail."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_a_higher_layer():
    """Every import goes to the module's own layer or one below it."""
    upward = sorted(
        f"{m} -> {t}" for m, targets in GRAPH.items() for t in targets if layer_of(t) > layer_of(m)
    )
    assert upward == []


@pytest.mark.parametrize("module", sorted(m for m in GRAPH if m.startswith("tjm.cli")))
def test_the_cli_reaches_the_core_only_through_the_api(module):
    """A CLI module imports the API, the views, the store and the ground, never the market,
    France, sales, dataset or roster internals."""
    allowed = [*CLI_MAY_IMPORT, "tjm.cli"]
    internal = sorted(
        t
        for t in GRAPH[module]
        if not any(t == a or t.startswith(a + ".") for a in allowed if a != "tjm") and t != "tjm"
    )
    assert internal == []


def test_every_module_says_its_job():
    """Each module opens with a docstring."""
    missing = sorted(
        name
        for name, path in module_names().items()
        if ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) is None
    )
    assert missing == []
