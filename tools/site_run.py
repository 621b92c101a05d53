"""Snapshot of the site's executed run that the generated notebooks quote.

The notebooks are committed (Colab and Binder open them from the repository), so
the numbers their text cites must be committed too: ``book/_site_run.json`` holds,
per page, the glued values (``text/plain``, as myst-nb stores them), the page's
execution time and the TensorFlow/Keras/Python versions that executed it.

Written after a book build from the execution cache (or from a folder of executed
notebooks), then read by tools/notebooks.py:

    nox -s book && nox -s notebooks -- --snapshot

A test checks that every value a page cites is in the snapshot.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jupytext
import nbformat

REPO = Path(__file__).resolve().parents[1]
SNAPSHOT = REPO / "book" / "_site_run.json"
CACHE = REPO / "_build" / ".jupyter_cache"
# The version stamp that closes every page (dnncourse.stamp.version_stamp).
STAMP = re.compile(r"TensorFlow (\S+), Keras (\S+) and Python (\S+?) on")


def load():
    """The committed snapshot, ``{"pages": {name: {...}}}`` (empty when absent)."""
    if not SNAPSHOT.is_file():
        return {"pages": {}}
    return json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def is_glue_output(output):
    """Whether a cell output is myst-nb's glue data (never shown to a learner)."""
    return "scrapbook" in output.get("metadata", {})


def page_record(nb, seconds):
    """``{"glue", "seconds", "versions"}`` from one executed page notebook."""
    glue, versions = {}, None
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if is_glue_output(out):
                meta = out["metadata"]["scrapbook"]
                glue[meta["name"]] = out["data"][meta.get("mime_prefix", "") + "text/plain"]
            text = json.dumps(out.get("data", {})) + out.get("text", "")
            if m := STAMP.search(text):
                versions = dict(zip(("tensorflow", "keras", "python"), m.groups(), strict=True))
    seconds = None if seconds is None else round(seconds)
    return {"seconds": seconds, "versions": versions, "glue": dict(sorted(glue.items()))}


def from_cache(pages, cache_path=CACHE):
    """Records of ``pages`` (paths of .md) from the book's jupyter-cache."""
    from jupyter_cache import get_cache

    cache, records = get_cache(cache_path), {}
    try:
        for md in pages:
            try:
                pk, nb = cache.merge_match_into_notebook(jupytext.read(md))
            except KeyError:
                continue  # not executed in this build: keep the old record
            seconds = cache.get_cache_record(pk).data.get("execution_seconds")
            records[md.stem] = page_record(nb, seconds)
    finally:
        cache.db.dispose()  # close the SQLite connection (Python 3.13 warns about open ones)
    return records


def from_folder(pages, folder):
    """Records of ``pages`` from executed notebooks ``folder/NAME.ipynb``."""
    records = {}
    for md in pages:
        path = Path(folder) / f"{md.stem}.ipynb"
        if path.is_file():
            nb = nbformat.read(path, as_version=4)
            records[md.stem] = page_record(nb, nb.metadata.get("dnncourse_exec_seconds"))
    return records


def write(records):
    """Merge ``records`` into the snapshot file; return the page names updated."""
    snap = load()
    snap["pages"].update(records)
    snap["pages"] = dict(sorted(snap["pages"].items()))
    SNAPSHOT.write_text(json.dumps(snap, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return sorted(records)
