"""Build the book with an execution cache that is never stale.

jupyter-cache keys an executed page on its code cells only: an edit in
``dnncourse`` or in a data file would leave every page's old outputs in place,
next to new solution code.  This wrapper computes a key from everything a page's
outputs depend on besides its own cells:

* the source of the course package (``code/dnncourse/**/*.py``),
* the shipped data files (``data/*``),
* the resolved versions of the libraries that compute the outputs
  (TensorFlow, Keras, NumPy, Matplotlib, myst-nb, jupyter-cache),

and wipes the cache when the key differs from the one stored beside it, so that
every page re-executes.  An edit to one page's cells alone still re-runs that page
only (jupyter-cache's own rule).  The GitHub workflow keys its cache with the same
value (``python tools/build_book.py --print-key``).

Before Sphinx starts, the pages that the cache lacks are executed two at a time
(``--jobs``), each in its own kernel exactly as myst-nb runs it (jupyter-cache's
``single_nb_execution``, in the page's folder, with the book's timeout), and stored
in the cache under the key myst-nb looks up; the build then finds every page
executed. A page whose run fails is not stored: the build runs it again itself and
reports the error as it always does. The seconds stored for each page include the
other run's share of the two cores, so they are an upper bound on its budget time.
After the build it prints the page-time report of ``tools/page_budget.py`` from the
cache's recorded times: the slowest pages, and one line per page over its budget
(a failure only with ``--fail-over-budget`` or ``DNNCOURSE_BUDGET_FAIL=1``).

    python tools/build_book.py -- -W -n --keep-going --all    # what `nox -s book` runs
    python tools/build_book.py --jobs 1 -- ...                # pages one at a time
    python tools/build_book.py --print-key
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

import page_budget

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / "_build" / ".jupyter_cache"
KEY_FILE = "dnncourse-key.txt"
#: Distributions whose version can change what a page computes or prints.
VERSIONED = ("tensorflow", "tensorflow-cpu", "keras", "numpy", "matplotlib", "myst-nb",
             "jupyter-cache", "ipykernel")  # fmt: skip


def inputs(root=REPO):
    """The files besides the pages' own cells that their outputs depend on, sorted."""
    files = sorted((root / "code" / "dnncourse").rglob("*.py")) + sorted(
        p for p in (root / "data").iterdir() if p.is_file()
    )
    return [p for p in files if "__pycache__" not in p.parts]


def versions():
    """``name==version`` of each installed distribution in :data:`VERSIONED`."""
    found = []
    for name in VERSIONED:
        try:
            found.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return found


def cache_key(root=REPO):
    """Hex SHA-256 over the input files (path and bytes) and the library versions."""
    h = hashlib.sha256()
    for path in inputs(root):
        h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    for line in versions():
        h.update(line.encode() + b"\n")
    return h.hexdigest()


def refresh_cache(cache=CACHE, root=REPO):
    """Wipe ``cache`` when its stored key differs from :func:`cache_key`; return (key, wiped).

    The key is stored at once: whatever the build then caches was computed from
    these inputs, even if the build stops half way.
    """
    key = cache_key(root)
    stored = cache / KEY_FILE
    old = stored.read_text().strip() if stored.is_file() else None
    wiped = cache.exists() and old != key
    if wiped:
        shutil.rmtree(cache)
    cache.mkdir(parents=True, exist_ok=True)
    stored.write_text(key + "\n")
    return key, wiped


@functools.cache
def book_settings(root):
    """``(myst extensions, execution timeout)`` from the book's ``_config.yml`` (read once)."""
    import yaml

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    extensions = (config.get("parse") or {}).get("myst_enable_extensions") or []
    return extensions, int((config.get("execute") or {}).get("timeout", 30))


def read_page(page, root):
    """The page as the notebook myst-nb builds from it (the one the cache is keyed on)."""
    from myst_nb.core.read import read_myst_markdown_notebook
    from myst_parser.config.main import MdParserConfig

    extensions, _ = book_settings(root)
    config = MdParserConfig(enable_extensions=set(extensions))
    return read_myst_markdown_notebook(page.read_text(encoding="utf-8"), config=config, path=page)


def toc_files(node):
    """Every ``root:`` and ``file:`` entry of a ``_toc.yml`` tree, in order."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("root", "file") and isinstance(value, str):
                yield value
            else:
                yield from toc_files(value)
    elif isinstance(node, list):
        for item in node:
            yield from toc_files(item)


def executable_pages(root):
    """The table of contents' pages that myst-nb executes: MyST notebooks (with a kernelspec)."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    pages = []
    for name in toc_files(toc):
        page = root / f"{name.removesuffix('.md')}.md"
        text = page.read_text(encoding="utf-8") if page.is_file() else ""
        if text.startswith("---") and "kernelspec:" in text.split("\n---", 1)[0]:
            pages.append(page)
    return pages


def execute_page(page, out, root):
    """Run one page as myst-nb would; write ``{"ok", "seconds", "error"}`` and the notebook."""
    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution

    _, timeout = book_settings(root)
    nb = read_page(page, root)
    result = single_nb_execution(
        nb, cwd=str(page.parent), allow_errors=False, timeout=timeout, meta_override=True
    )
    ok = result.err is None
    if ok:
        nbformat.write(nb, out.with_suffix(".ipynb"))
    error = None if ok else f"{type(result.err).__name__}"
    out.write_text(json.dumps({"ok": ok, "seconds": result.time, "error": error}))


def prefill_cache(cache_path, root, jobs):
    """Execute, ``jobs`` at a time, the pages the cache lacks, and cache them; return counts."""
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(cache_path))
    todo = []
    for page in executable_pages(root):
        try:
            cache.match_cache_notebook(read_page(page, root))
        except KeyError:
            todo.append(page)
    # The longest first (seconds of the last recorded run), so the two runs end together.
    snapshot = root / "book" / "_site_run.json"
    last = json.loads(snapshot.read_text())["pages"] if snapshot.is_file() else {}
    todo.sort(key=lambda p: -((last.get(p.stem) or {}).get("seconds") or 0))

    def run(page):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "result.json"
            start = time.perf_counter()
            child = subprocess.run(
                [sys.executable, __file__, "--root", str(root), "--execute-page", str(page),
                 str(out)], check=False, cwd=root,
            )  # fmt: skip
            if child.returncode or not out.is_file():
                return page, None, time.perf_counter() - start, f"exit {child.returncode}"
            report = json.loads(out.read_text())
            nb = nbformat.read(out.with_suffix(".ipynb"), 4) if report["ok"] else None
            return page, nb, report["seconds"], report["error"]

    stored = 0
    with ThreadPoolExecutor(max(1, jobs)) as pool:
        for page, nb, seconds, error in pool.map(run, todo):
            name = page.relative_to(root)
            if nb is None:
                print(
                    f"build_book: {name} failed ({error}, {seconds:.1f} s); the build runs it again"
                )
                continue
            cache.cache_notebook_bundle(
                CacheBundleIn(nb, str(page), data={"execution_seconds": seconds}),
                check_validity=False,
                overwrite=True,
            )
            stored += 1
            print(f"build_book: executed {name} in {seconds:.1f} s", flush=True)
    cache.db.dispose()  # close the SQLite connection (Python 3.13 warns about open ones)
    return stored, len(todo)


def recorded_seconds(cache_path, root):
    """``{page stem: seconds}`` the execution cache recorded for each executable page."""
    from jupyter_cache import get_cache

    cache, seconds = get_cache(str(cache_path)), {}
    try:
        for page in executable_pages(root):
            try:
                record = cache.match_cache_notebook(read_page(page, root))
            except KeyError:
                continue  # not executed (the build failed before it)
            seconds[page.stem] = (record.data or {}).get("execution_seconds")
    finally:
        cache.db.dispose()  # close the SQLite connection (Python 3.13 warns about open ones)
    return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--print-key", action="store_true", help="print the cache key and exit")
    parser.add_argument("--root", type=Path, default=REPO, help="the book's folder")
    parser.add_argument("--jobs", type=int, default=2, help="pages executed at a time")
    parser.add_argument("--fail-over-budget", action="store_true",
                        default=page_budget.fail_by_default(),
                        help="exit 1 when a page took longer than its budget (tools/page_budget.py)")  # fmt: skip
    parser.add_argument("--execute-page", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("jb_args", nargs="*", help="passed to `jupyter-book build ROOT` (after --)")
    args = parser.parse_args(argv)
    if args.print_key:
        print(cache_key(args.root))
        return 0
    if args.execute_page:
        execute_page(*args.execute_page, args.root)
        return 0
    cache = args.root / "_build" / ".jupyter_cache"
    key, wiped = refresh_cache(cache, args.root)
    print(f"build_book: cache key {key[:12]}", "(changed: every page re-executes)" if wiped else "")
    start = time.perf_counter()
    stored, missing = prefill_cache(cache, args.root, args.jobs)
    print(f"build_book: {stored} of {missing} pages executed ahead of the build, "
          f"{args.jobs} at a time, in {time.perf_counter() - start:.0f} s")  # fmt: skip
    # The jupyter-book beside this Python, whether or not its venv is activated.
    jb = Path(sys.executable).with_name("jupyter-book")
    command = [str(jb) if jb.exists() else "jupyter-book", "build", str(args.root), *args.jb_args]
    # From the book's folder: _config.yml's relative paths (the cache) are read from there.
    status = subprocess.run(command, check=False, cwd=args.root).returncode
    seconds = recorded_seconds(cache, args.root)
    over = page_budget.check(seconds, "this build's execution cache", args.fail_over_budget)
    return status or over


if __name__ == "__main__":
    sys.exit(main())
