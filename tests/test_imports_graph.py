"""No import circle in the course package or the maintainer tools.

The graph is read with ``ast``, so it sees every import: at module level and inside
functions (an import inside a function hides a circle from Python's loader, not
from this test), relative imports, ``from package import module``, and the
modules that ``importlib.import_module("name")`` and :func:`dnncourse.tutorials.load`
resolve.  The table in ``dnncourse/tutorials.py`` names its loaders and checkers as
``"module:attribute"`` strings: a module that calls ``tutorials.load`` imports all of
them (the table itself imports none).  A package's ``__init__`` importing its own
submodules is the normal direction; a submodule's implicit load of its package is
not counted (it would make every package a circle).
"""

from __future__ import annotations

import ast
import re

import pytest
from conftest import REPO

SPEC = re.compile(r"^dnncourse(\.\w+)*:\w+$")


def module_files():
    """``{module name: path}`` of ``code/dnncourse`` (dotted) and ``tools/`` (top level)."""
    files = {}
    for path in (REPO / "code").rglob("*.py"):
        parts = path.relative_to(REPO / "code").with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        files[name] = path
    for path in (REPO / "tools").glob("*.py"):
        files[path.stem] = path
    return files


def tutorial_specs(known):
    """The modules that ``dnncourse/tutorials.py`` names in ``"module:attribute"`` strings."""
    tree = ast.parse((REPO / "code" / "dnncourse" / "tutorials.py").read_text(encoding="utf-8"))
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)]
    specs = {s.partition(":")[0] for s in strings if isinstance(s, str) and SPEC.match(s)}
    return {s for s in specs if s in known and s != "dnncourse.tutorials"}


def imports_of(name, path, known):
    """The known modules that module ``name`` (at ``path``) imports, anywhere in it."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # `from package import module` imports the module; otherwise the package
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names
            ]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "import_module":
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                targets = [first.value]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "load"
            and getattr(node.func.value, "id", "") == "tutorials"
        ):
            targets = sorted(tutorial_specs(known))  # tutorials.load("module:attr")
        for target in targets:
            # `import a.b.c` loads a.b.c; keep the longest known prefix
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph():
    files = module_files()
    return {name: imports_of(name, path, files) for name, path in files.items()}


def find_cycle(graph):
    """One import circle as ``[a, b, ..., a]``, or ``None``."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_graph_sees_imports_inside_functions_and_tutorial_specs():
    graph = import_graph()
    assert "dnncourse.theory.dnn" in graph["dnncourse.theory.activations"]
    # the table names its checkers as strings; whoever calls tutorials.load imports them
    assert "dnncourse.checks.iris" not in graph["dnncourse.tutorials"]
    assert "dnncourse.solutions.mnist" in graph["dnncourse.checks"]
    assert "myst_directives" in graph["myst_lower"]
    assert "dnncourse.data._files" in graph["dnncourse.data.mnist"]


@pytest.mark.parametrize(
    ("graph", "cycle"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
        ({"a": {"b"}, "b": set()}, None),
    ],
)
def test_find_cycle_names_the_circle(graph, cycle):
    assert find_cycle(graph) == cycle


def test_no_import_circle():
    cycle = find_cycle(import_graph())
    assert cycle is None, (
        f"expected no import circle, got {' -> '.join(cycle)}: move what both modules "
        "need into a module below both (CONTRIBUTING.md, 'Where code goes')"
    )
