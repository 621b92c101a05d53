"""The site-run snapshot reads glued values, run time and versions from the book's cache."""

from __future__ import annotations

import sys

import nbformat
import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "tools"))

import site_run

STAMP = (
    "*Executed with TensorFlow 2.21.0, Keras 3.15.1 and Python 3.11.7 on 2026-11-28 at 05:00 UTC.*"
)


def executed(md):
    """The page as the build executes it, with one glue output and the version stamp."""
    nb = site_run.jupytext.read(md)
    code = [c for c in nb.cells if c.cell_type == "code"]
    prefix = "application/papermill.record/"
    meta = {"scrapbook": {"name": "k", "mime_prefix": prefix}}
    code[0].outputs = [
        nbformat.v4.new_output("display_data", data={prefix + "text/plain": "42"}, metadata=meta)
    ]
    code[-1].outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": STAMP})]
    return nb


def test_record_from_the_execution_cache(tmp_path):
    cache_mod = pytest.importorskip("jupyter_cache", reason="book group only")
    from jupyter_cache.base import CacheBundleIn

    md = REPO / "book" / "data.md"
    cache = cache_mod.get_cache(tmp_path)
    bundle = CacheBundleIn(executed(md), str(md), data={"execution_seconds": 34.4})
    cache.cache_notebook_bundle(bundle, check_validity=False)
    cache.db.dispose()  # close its SQLite connection: an open one warns when collected
    assert site_run.from_cache([md], tmp_path) == {
        "data": {
            "seconds": 34,
            "versions": {"tensorflow": "2.21.0", "keras": "3.15.1", "python": "3.11.7"},
            "glue": {"k": "42"},
        }
    }


def test_record_from_a_folder_of_executed_notebooks(tmp_path):
    md = REPO / "book" / "data.md"
    nb = executed(md)
    nb.metadata["dnncourse_exec_seconds"] = 12.6
    nbformat.write(nb, tmp_path / "data.ipynb")
    record = site_run.from_folder([md], tmp_path)["data"]
    assert record["seconds"] == 13
    assert record["glue"] == {"k": "42"}
