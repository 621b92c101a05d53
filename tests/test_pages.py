"""The learner sees teaching code only: plumbing stays in hidden cells.

Glue calls, checks of the page's own claims (asserts) and formatter pragmas go in
code cells tagged ``remove-cell`` (or ``remove-input``, which shows only the
output); a visible cell holding one fails here, naming the page and the cell.
"""

from __future__ import annotations

import re

import jupytext
import pytest
from conftest import REPO

PAGES = sorted((REPO / "book").glob("*.md"))
HIDDEN = {"remove-cell", "remove-input"}
PLUMBING = {
    "a glue() call": re.compile(r"(^|[^\w.])glue\("),
    "an assert": re.compile(r"^\s*assert\b", re.MULTILINE),
    "a formatter pragma": re.compile(r"#\s*fmt:\s*(skip|off)"),
    "a contributor note": re.compile(r"for contributors", re.IGNORECASE),
}


def executable(path):
    return "kernelspec:" in path.read_text(encoding="utf-8").split("\n---", 1)[0]


@pytest.mark.parametrize("page", [p for p in PAGES if executable(p)], ids=lambda p: p.stem)
def test_visible_code_holds_no_plumbing(page):
    nb = jupytext.read(page)
    found = []
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code" or HIDDEN & set(cell.metadata.get("tags", [])):
            continue
        for what, pattern in PLUMBING.items():
            if pattern.search(cell.source):
                first = cell.source.strip().splitlines()[0][:60]
                found.append(f"cell {number} ({first!r}): {what}")
    assert not found, f"expected no plumbing in visible cells of {page.name}, got:\n" + "\n".join(
        found
    )
