"""Generate the Jupyter notebooks that Colab, Binder and downloads open.

For every executable page ``book/NAME.md`` (a MyST Markdown notebook) this writes
``book/NAME.ipynb`` beside it: the same cells, no outputs, and a first cell that
installs the course package when the notebook runs in Colab. For each tutorial it
also writes a student edition ``book/exercises/NAME.ipynb`` (see ``student.py``).
The ``.ipynb`` files are committed (Colab and Binder open them from the
repository) and excluded from the Sphinx build. Never edit them by hand:

    nox -s notebooks            # regenerate all
    python tools/notebooks.py --check   # exit 1 when any is out of date

A test runs the check, so a page edited without regenerating fails CI.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jupytext
import nbformat
import yaml
from student import STUDENT_PAGES, student_notebook

REPO = Path(__file__).resolve().parents[1]
BOOK = REPO / "book"
INSTALL_ENV = "DNNCOURSE_INSTALL_SPEC"

SETUP_CELL = """\
# Setup: runs only in Colab (or when {env} is set, as the course's own tests do).
# It installs the course package from its repository. Colab's TensorFlow and Keras
# stay as they are: dnncourse asks only for versions at least as new as 2.16 and 3.0.
import os
import sys

if "google.colab" in sys.modules or os.environ.get("{env}"):
    _spec = os.environ.get("{env}") or "git+{url}@{branch}"
    %pip install --quiet {{_spec}}"""


def repository():
    """``(url, branch)`` from ``_config.yml``: the one place that names them."""
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    return config["repository"]["url"].rstrip("/"), config["repository"].get("branch", "main")


def executable_pages():
    """The MyST notebooks under book/ (pages with a kernelspec in their front matter)."""
    pages = []
    for md in sorted(BOOK.glob("*.md")):
        head = md.read_text(encoding="utf-8").split("\n---", 1)[0]
        if md.read_text(encoding="utf-8").startswith("---") and "kernelspec:" in head:
            pages.append(md)
    return pages


def _clean(nb):
    """Strip outputs and tool-version metadata; number cell ids, so output is stable."""
    nb.metadata.pop("jupytext", None)
    nb.metadata["language_info"] = {"name": "python"}
    for k, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{k}"
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def paired_notebook(md):
    """The notebook for ``md``: setup cell first, then the page's cells, no outputs."""
    nb = jupytext.read(md)
    url, branch = repository()
    setup = nbformat.v4.new_code_cell(
        SETUP_CELL.format(env=INSTALL_ENV, url=url, branch=branch),
        metadata={"tags": ["colab-setup"]},
    )
    nb.cells.insert(0, setup)
    return _clean(nb)


def expected_files():
    """``{path: text}`` of every generated notebook."""
    files = {}
    for md in executable_pages():
        nb = paired_notebook(md)
        files[md.with_suffix(".ipynb")] = nbformat.writes(nb) + "\n"
        if md.stem in STUDENT_PAGES:
            files[BOOK / "exercises" / f"{md.stem}.ipynb"] = (
                nbformat.writes(_clean(student_notebook(nb, md.stem))) + "\n"
            )
    return files


def stale(files=None):
    """Generated notebooks whose committed copy differs, plus strays nobody generates."""
    files = expected_files() if files is None else files
    out = [
        p for p, text in files.items() if not p.is_file() or p.read_text(encoding="utf-8") != text
    ]
    present = set(BOOK.glob("*.ipynb")) | set((BOOK / "exercises").glob("*.ipynb"))
    return sorted(out + [p for p in present if p not in files])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale notebooks")
    args = parser.parse_args(argv)
    files = expected_files()
    if args.check:
        bad = stale(files)
        for p in bad:
            print(f"out of date: {p.relative_to(REPO)} (run `nox -s notebooks`)")
        print(f"{len(files) - len(bad)} notebooks up to date, {len(bad)} stale")
        return 1 if bad else 0
    for p in sorted(set(BOOK.glob("*.ipynb")) | set((BOOK / "exercises").glob("*.ipynb"))):
        if p not in files:
            p.unlink()
    for p, text in files.items():
        p.parent.mkdir(exist_ok=True)
        p.write_text(text, encoding="utf-8")
        print(f"wrote {p.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
