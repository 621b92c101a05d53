"""The book's execution cache is never stale: a change in the package re-executes the pages.

jupyter-cache alone keys a page on its code cells, so a changed solution would
leave the old outputs in place. tools/build_book.py adds a key over the package
source, the data and the library versions. This test builds a one-page book in a
temporary copy of the package, changes the solution's network there, and checks
that the rebuilt page shows the new network, while plain jupyter-book (no key)
keeps showing the old one: the guard is what makes the difference.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import build_book  # tools/build_book.py
import pytest
from conftest import REPO
from pages import probe_page

JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
CONFIG = """\
title: cache probe
only_build_toc_files: true
exclude_patterns: [_build/*, code/*, data/*]
execute:
  execute_notebooks: cache
  cache: _build/.jupyter_cache
  allow_errors: false
  timeout: 600  # the machine may be busy: a slow page must not pass for a stale one
"""
PAGE = probe_page("""\
from dnncourse.solutions import solve_regression

model, _ = solve_regression(seed=0, epochs=1)
print("parameters:", model.count_params())""")


@pytest.fixture
def probe_book(tmp_path):
    """A one-page book beside a copy of the package and data; returns its folder."""
    shutil.copytree(REPO / "code", tmp_path / "code", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "data", tmp_path / "data")
    (tmp_path / "_config.yml").write_text(CONFIG)
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: probe\n")
    (tmp_path / "probe.md").write_text(PAGE)
    return tmp_path


def parameters_shown(book):
    """The number the page shows, read from its HTML.

    Not from _build/jupyter_execute/probe.ipynb: myst-nb writes that copy without
    outputs when the page comes from the cache.
    """
    text = (book / "_build" / "html" / "probe.html").read_text()
    found = re.search(r"parameters: (\d+)", text)
    assert found, f"expected the page to print its parameter count, got {text[-500:]!r}"
    return int(found.group(1))


def build(book, guarded):
    # The page's kernel imports the copy: PYTHONPATH comes before the installed package.
    env = {**os.environ, "PYTHONPATH": str(book / "code"), "TF_CPP_MIN_LOG_LEVEL": "2"}
    if guarded:
        command = [sys.executable, str(REPO / "tools" / "build_book.py"), "--root", str(book), "--"]
    else:
        command = [str(JUPYTER_BOOK), "build", str(book)]
    command.append("--all")  # as `nox -s book` does: Sphinx re-reads every page
    run = subprocess.run(command, check=False, env=env, cwd=book, capture_output=True, text=True)
    assert run.returncode == 0, (
        f"expected the build to pass, got:\n{run.stdout[-2000:]}{run.stderr[-2000:]}"
    )
    if guarded:  # the page ran ahead of Sphinx, and Sphinx found it under myst-nb's key
        log = run.stdout + run.stderr
        assert "1 of 1 pages executed ahead of the build" in log, log[-2000:]
        assert "probe.md: Using cached notebook" in log, log[-2000:]
        assert "Executing notebook" not in log, log[-2000:]
        assert re.search(
            r"page budget: slowest pages \(this build's execution cache[^)]*\): probe", log
        ), log[-2000:]
    return parameters_shown(book)


def widen_solution(book, old, new):
    path = book / "code" / "dnncourse" / "solutions" / "regression.py"
    text = path.read_text()
    assert text.count(f"Dense({old},") == 3, "expected the solution's three hidden layers"
    path.write_text(text.replace(f"Dense({old},", f"Dense({new},"))


@pytest.mark.slow
def test_a_changed_solution_re_executes_the_page(probe_book):
    before = build(probe_book, guarded=True)
    widen_solution(probe_book, 64, 32)
    after = build(probe_book, guarded=True)
    assert after < before, f"expected fewer parameters after narrowing, got {before} -> {after}"

    # Without the guard jupyter-cache serves the old output: the page would be stale.
    widen_solution(probe_book, 32, 16)
    assert build(probe_book, guarded=False) == after, "expected plain jupyter-book to be stale"
    assert build(probe_book, guarded=True) < after


def test_the_key_covers_package_data_and_versions(tmp_path):
    shutil.copytree(REPO / "code", tmp_path / "code", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "data", tmp_path / "data")
    key = build_book.cache_key(tmp_path)
    (tmp_path / "data" / "iris_test.csv").write_bytes(b"changed")
    assert build_book.cache_key(tmp_path) != key
    assert any(line.startswith("keras==") for line in build_book.versions())


def test_the_workflow_keys_its_cache_like_the_local_build():
    import yaml

    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "book.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    (key_step,) = [s for s in steps if "build_book.py --print-key" in s.get("run", "")]
    (cache,) = [s for s in steps if s.get("with", {}).get("path") == "_build/.jupyter_cache"]
    ref = "${{ steps." + key_step["id"] + ".outputs.key }}"
    assert ref in cache["with"]["key"], (
        f"expected the key to hold {ref}, got {cache['with']['key']}"
    )
    fallbacks = cache["with"].get("restore-keys", "").strip().splitlines()
    assert all(ref in k for k in fallbacks), f"expected no fallback to another key, got {fallbacks}"
    names = [s.get("name", s.get("uses", "")) for s in steps]
    assert names.index(key_step["name"]) < names.index(cache["name"])


def test_the_prefill_reads_each_page_as_the_build_does():
    """The prefill's reader (myst-nb's plugin: default MyST settings) and the build's
    (the book's extensions) give the same code cells, so the build finds every page the
    prefill ran under the same hash and never runs it twice."""
    from jupyter_cache.readers import get_reader
    from myst_lower import book_config
    from myst_nb.core.read import read_myst_markdown_notebook

    book = book_config(REPO)
    prefill = get_reader(build_book.MYST_READER)
    pages = build_book.executable_pages(REPO)
    assert len(pages) >= 10
    for page in pages:
        built = read_myst_markdown_notebook(
            page.read_text(encoding="utf-8"), config=book, path=page
        )
        staged = prefill(str(page))
        code = [c.source for c in staged.cells if c.cell_type == "code"]
        assert code == [c.source for c in built.cells if c.cell_type == "code"], page.name
        # jupyter-cache's hash covers the kernel too
        assert staged.metadata.get("kernelspec") == built.metadata.get("kernelspec"), page.name
