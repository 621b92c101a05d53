"""The landing page's claims about the exercises match the package that grades them.

``book/index.md`` has no code cells to glue from, so its numbers are checked here.
"""

from __future__ import annotations

import re

from conftest import REPO

from dnncourse.checks import mnist as mnist_checks
from dnncourse.data import mnist as mnist_data


def test_the_mnist_sentence_states_the_checker_target_and_validation_size():
    text = " ".join((REPO / "book" / "index.md").read_text(encoding="utf-8").split())
    target = f"{mnist_checks.TARGET_ACCURACY:.0%}".replace("%", " %")
    assert f"reaches {target} accuracy on {mnist_data.N_VAL:,} validation images" in text
    assert "then scores the test set once" in text


def test_the_backend_table_says_where_each_page_runs():
    """The index's table of backends names every page once, and its yes/no cells are what
    tests/test_backends.py runs (pages.TENSORFLOW_PAGES, JAX_PAGES, NOT_ON)."""
    from pages import JAX_PAGES, NOT_ON, TENSORFLOW_PAGES

    text = (REPO / "book" / "index.md").read_text(encoding="utf-8")
    table = text[text.index("| page | TensorFlow | JAX | PyTorch |") :].split("\n\n", 1)[0]
    found = {}
    for row in table.splitlines()[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        for stem in re.findall(r"\]\((\w+)\.md\)", cells[0]):
            assert stem not in found, f"{stem} is in two rows"
            found[stem] = tuple(c.startswith("yes") for c in cells[1:])
    pages = {p.stem for p in (REPO / "book").glob("*.md")} - {"index", "api"}
    assert set(found) == pages, set(found) ^ pages
    for page, (tf, jax, torch) in found.items():
        expected = (
            page not in JAX_PAGES,
            page not in TENSORFLOW_PAGES and page not in NOT_ON.get("jax", {}),
            page not in TENSORFLOW_PAGES | JAX_PAGES and page not in NOT_ON.get("torch", {}),
        )
        assert (tf, jax, torch) == expected, (page, (tf, jax, torch), expected)
