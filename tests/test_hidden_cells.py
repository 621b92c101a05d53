"""Nothing of the build reaches a learner's notebook, and nothing a notebook needs stays behind.

The pages check their own claims in hidden (``remove-cell``) cells; the notebooks
drop every such cell (tools/nb_cells.py). Both directions are tested here:

- a hidden cell binds no name that a visible cell reads (else "Run all" stops at
  a ``NameError``): the rule, on every page, with the loop variables of
  comprehensions and the parameters of functions counted as what they are, local;
- no generated notebook carries an ``assert`` or a hidden set-up cell: the
  site's checks stay on the site.
"""

from __future__ import annotations

import json
import re
import sys

import jupytext
import nbformat
import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "tools"))

import notebooks
from myst_lower import Context
from nb_cells import bound_names, code_cells, hidden_names_used, used_names

PAGES = notebooks.executable_pages()
ASSERT = re.compile(r"^\s*assert\b", re.MULTILINE)


def cell(source, *tags):
    return nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)} if tags else {})


# --------------------------------------------------------------------------- the names


def test_comprehension_variables_are_not_bound_names():
    source = (
        "stds = {name: A.std() for name, A in outputs.items()}\n"
        "diff = max(abs(by_hand[k] - by_tape[k]) for k in keys)\n"
        "rows = [[x * y for x in xs] for y in ys]\n"
        "flat = {v for row in rows for v in row}"
    )
    assert bound_names(source) == {"stds", "diff", "rows", "flat"}


def test_what_does_reach_the_namespace_is_bound():
    source = (
        "import numpy as np\nimport os.path\nfrom math import pi as PI\n"
        "def f(x):\n    local = x\n    return local\n"
        "class C:\n    attribute = 1\n"
        "for i, (j, k) in enumerate(pairs):\n    pass\n"
        "with open(p) as fh:\n    pass\n"
        "try:\n    pass\nexcept ValueError as err:\n    pass\n"
        "a = b = 0\nc += 1\nif (n := 3):\n    pass\n"
        "found = [m for w in words if (m := w.upper())]"
    )
    assert bound_names(source) == {
        "np", "os", "PI", "f", "C", "i", "j", "k", "fh", "err", "a", "b", "c", "n", "found", "m",
    }  # fmt: skip


def test_function_parameters_and_locals_are_not_bound():
    source = "def g(x, *args, y=1, **kw):\n    z = x\n    return z\nh = lambda t: t"
    assert bound_names(source) == {"g", "h"}


def test_comprehension_variables_are_not_read_from_the_namespace():
    # `name` and `k` are read inside, but they are the comprehensions' own variables.
    source = "print({name: len(name) for name in names}, sum(k * k for k in ks))"
    assert used_names(source) == {"print", "names", "len", "sum", "ks"}


def test_names_read_inside_functions_lambdas_and_comprehensions_count():
    source = (
        "def f(x, y=default):\n    return x + offset\n"
        "g = lambda t: t * scale\n"
        "rows = [r + shift for r in data if r > limit]\n"
        "class C(Base):\n    size = width\n"
    )
    assert used_names(source) == {
        "default",
        "offset",
        "scale",
        "shift",
        "data",
        "limit",
        "Base",
        "width",
    }


def test_a_name_a_function_assigns_is_its_own():
    assert used_names("def f():\n    total = 0\n    return total") == set()
    assert used_names("def f():\n    global total\n    total = 1") == set()
    assert bound_names("def f():\n    global total\n    total = 1") == {"f", "total"}


def test_magics_give_no_names():
    assert bound_names("%pip install x") == set() == used_names("%pip install x")


# --------------------------------------------------------------------------- the rule


def test_a_visible_cell_reading_a_hidden_name_is_found():
    cells = [cell("x = 1"), cell("best = x * 2", "remove-cell"), cell("print(best)")]
    assert hidden_names_used(cells) == [(2, "print(best)", {"best"})]


def test_a_visible_cell_that_binds_the_name_again_ends_it():
    cells = [
        cell("best = 2", "remove-cell"),
        cell("print(best)\nbest = 3"),  # reads the hidden value first: found
        cell("print(best)"),  # the visible one's: fine
    ]
    assert [k for k, _, _ in hidden_names_used(cells)] == [1]


@pytest.mark.parametrize(
    "source",
    [
        "from dnncourse.diagnose import diagnose\nprint(diagnose(h))",
        "for d in ds:\n    print(d)",
        "with open(p) as d:\n    print(d)",
        "try:\n    f()\nexcept ValueError as d:\n    print(d)",
        "def show(d):\n    return d\nshow(1)",
        "d = 1\nif d:\n    print(d)",
    ],
)
def test_a_visible_cell_that_binds_a_name_before_reading_it_is_fine(source):
    # The hidden cell also bound `d` and `diagnose`; this cell binds its own first.
    cells = [cell("from dnncourse.diagnose import diagnose\nd = 0", "remove-cell"), cell(source)]
    assert hidden_names_used(cells) == []


@pytest.mark.parametrize(
    "source", ["d = d + 1", "for x in d:\n    pass", "with d as x:\n    pass", "print(d)\nd = 1"]
)
def test_a_visible_cell_that_reads_a_hidden_name_before_binding_it_is_found(source):
    cells = [cell("d = 0", "remove-cell"), cell(source)]
    assert [names for _, _, names in hidden_names_used(cells)] == [{"d"}]


def test_the_same_comprehension_variable_in_hidden_and_visible_cells_is_fine():
    # The case that kept ten hidden cells in the notebooks: `name`, `k`, `h`, `b`, `A`.
    cells = [
        cell("stds = {name: A.std() for name, A in outputs.items()}", "remove-cell"),
        cell("for name, A in outputs.items():\n    print(name, A.shape)"),
        cell("print([name.upper() for name in outputs])"),
    ]
    assert hidden_names_used(cells) == []


def test_hidden_cells_may_share_names_and_glue_is_ignored():
    cells = [
        cell("import inspect", "remove-cell"),
        cell("args = inspect.signature(f)\nglue('n', len(args), display=False)", "remove-cell"),
        cell("x = 1\nglue('x', x, display=False)"),
    ]
    assert hidden_names_used(cells) == []


def test_every_hidden_cell_is_dropped_and_a_leak_stops_the_generator(tmp_path):
    ctx = Context(tmp_path / "page.md", "https://x.org/", "https://github.com/o/r", "main")
    kept = code_cells([cell("x = 1"), cell("assert x == 1", "remove-cell"), cell("x")], ctx)
    assert [c.source for c in kept] == ["x = 1", "x"]
    with pytest.raises(ValueError, match=r"page\.md: a visible cell reads .*\['y'\]"):
        code_cells([cell("y = 1", "remove-cell"), cell("print(y)")], ctx)


# --------------------------------------------------------------------------- the pages


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_no_visible_cell_reads_a_name_only_a_hidden_cell_binds(page):
    problems = hidden_names_used(jupytext.read(page).cells)
    assert not problems, f"{page.name}: visible cells read hidden names: {problems}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_cells_the_notebooks_keep_hold_no_assert(page):
    """``remove-input`` cells reach the notebooks: their checks belong in hidden cells."""
    kept = [
        c.source
        for c in jupytext.read(page).cells
        if c.cell_type == "code" and "remove-cell" not in c.metadata.get("tags", [])
    ]
    assert not [s for s in kept if ASSERT.search(s)], f"{page.name}: an assert reaches learners"


def test_generated_notebooks_carry_no_assert_and_no_hidden_cell():
    """The generator's own output (not the committed files, which may lag a page)."""
    files = notebooks.expected_files(errors=[])  # a page that fails to lower: test_notebooks
    found = []
    for path, text in files.items():
        if text is None:
            continue
        for c in json.loads(text)["cells"]:
            source = "".join(c["source"])
            if c["cell_type"] == "code" and (ASSERT.search(source) or "Set-up for" in source):
                found.append(f"{path.relative_to(REPO)}: {source.splitlines()[0][:60]}")
    assert not found, "expected no assert and no hidden cell in the notebooks:\n" + "\n".join(found)
