"""The site's download button serves the notebook Colab opens, with the site's outputs."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "book" / "_ext"))

pytest.importorskip("sphinx", reason="the course extension needs Sphinx (book group)")

from course_ext import add_student_download, serve_generated_notebooks

TUTORIAL = "iris"


@pytest.fixture
def site(tmp_path):
    """A fake build: the page's executed notebook in _sources, with outputs and glue data."""
    src = tmp_path / "src"
    shutil.copytree(REPO / "book", src / "book", ignore=shutil.ignore_patterns("_*"))
    generated = nbformat.read(src / "book" / f"{TUTORIAL}.ipynb", as_version=4)
    n_code = 1 + max(c.metadata.get("dnncourse", {}).get("page_cell", -1) for c in generated.cells)
    executed = nbformat.v4.new_notebook()
    for k in range(n_code):
        cell = nbformat.v4.new_code_cell(f"page cell {k}")
        cell.outputs = [
            nbformat.v4.new_output("stream", name="stdout", text=f"out {k}\n"),
            nbformat.v4.new_output(
                "display_data", data={"text/plain": "1"}, metadata={"scrapbook": {"name": "k"}}
            ),
        ]
        executed.cells.append(cell)
    out = tmp_path / "html"
    (out / "_sources" / "book").mkdir(parents=True)
    nbformat.write(executed, out / "_sources" / "book" / f"{TUTORIAL}.ipynb")
    app = SimpleNamespace(outdir=str(out), srcdir=str(src), builder=SimpleNamespace(format="html"))
    return app, generated


def test_download_is_the_generated_notebook_with_outputs_and_no_glue(site):
    app, generated = site
    serve_generated_notebooks(app, None)
    sources = Path(app.outdir) / "_sources" / "book"
    nb = nbformat.read(sources / f"{TUTORIAL}.ipynb", as_version=4)
    assert [c.source for c in nb.cells] == [c.source for c in generated.cells]
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert outputs, "the download carries the site's outputs"
    assert not [o for o in outputs if "scrapbook" in o.get("metadata", {})], "no glue data"
    assert (sources / "exercises" / f"{TUTORIAL}.ipynb").is_file(), "student edition on the site"


def test_tutorial_download_menu_offers_the_student_edition(site):
    app, _ = site
    group = {"label": "download-buttons", "buttons": [{"label": "a"}, {"label": "b"}]}
    context = {"header_buttons": [group], "pathto": lambda *a: ".."}
    add_student_download(app, f"book/{TUTORIAL}", None, context, None)
    assert group["buttons"][1]["url"] == f"../book/exercises/{TUTORIAL}.ipynb"
    context = {"header_buttons": [{"label": "download-buttons", "buttons": []}], "pathto": None}
    add_student_download(app, "book/dnn", None, context, None)
    assert context["header_buttons"][0]["buttons"] == []
