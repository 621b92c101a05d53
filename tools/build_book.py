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

Before Sphinx starts, the pages that the cache lacks are executed by jupyter-cache's
own ``local-parallel`` executor (``--jobs`` pages at a time, one per usable core by
default, each in its own kernel in the page's folder, with the book's timeout), which
stores them under the key myst-nb looks up; the build then finds every page executed.
A page whose run fails is not stored: the build runs it again itself and reports the
error as it always does. The seconds stored for each page include the other runs'
share of the cores, so they are an upper bound on its budget time. After the build it
prints the page-time report of ``tools/page_budget.py`` from the cache's recorded
times: the slowest pages, and one line per page over its budget (a failure only with
``--fail-over-budget`` or ``DNNCOURSE_BUDGET_FAIL=1``).

What jupyter-cache cannot do here, and this file adds: a key over the package, the
data and the library versions (MyST-NB#299 is open), and the budget report.

    python tools/build_book.py -- -W -n --keep-going --all    # what `nox -s book` runs
    python tools/build_book.py --print-key
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from unittest import mock

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


#: How jupyter-cache reads a MyST page (myst-nb's reader plugin, the one its builds use).
MYST_READER = {"name": "myst_nb_md", "type": "plugin"}


def timeout(root):
    """The book's execution timeout per cell, from ``_config.yml``."""
    import yaml

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    return int((config.get("execute") or {}).get("timeout", 30))


def project(cache_path, root):
    """The cache, with exactly the book's executable pages staged in its project."""
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_path))
    pages = {str(page) for page in executable_pages(root)}
    for record in cache.list_project_records():
        if record.uri not in pages:  # a page that left the book
            cache.remove_nb_from_project(record.pk)
    # Staged longest first (the last recorded run's seconds), so the runs end together.
    snapshot = root / "book" / "_site_run.json"
    last = json.loads(snapshot.read_text())["pages"] if snapshot.is_file() else {}
    for uri in sorted(
        pages, key=lambda uri: -((last.get(Path(uri).stem) or {}).get("seconds") or 0)
    ):
        cache.add_nb_to_project(uri, read_data=MYST_READER)
    return cache


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


def positive(text):
    """``--jobs``: a whole number >= 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return int(text)


def usable_cores():
    """The cores this process may use (its CPU affinity where the system has one)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def prefill_cache(cache_path, root, jobs=None):
    """Execute and cache the pages the cache lacks (``local-parallel``); return (stored, missing).

    ``jobs`` pages at a time (default: one per usable core).  jupyter-cache's executor
    takes a pool of ``os.cpu_count()`` forked processes, which ignores CPU affinity and
    has no option: its ``Pool`` is given the size and a start method here (and a run
    fails loudly if the executor stops asking ``multiprocessing`` for its pool).
    """
    import multiprocessing

    from jupyter_cache.executors import basic, load_executor

    cache = project(cache_path, root)
    try:
        missing = len(cache.list_unexecuted())
        # Its log at ERROR: a page that fails is reported below, and again by the build.
        quiet = logging.getLogger("build_book")
        quiet.setLevel(logging.ERROR)
        executor = load_executor("local-parallel", cache, logger=quiet)
        # Fresh interpreters ("spawn"), not forks: a fork of a process with threads (a
        # test's JAX or TensorFlow) can deadlock, and JAX warns when it sees one.
        pool, jobs = multiprocessing.get_context("spawn").Pool, jobs or usable_cores()
        with mock.patch.object(
            basic.mproc, "Pool", side_effect=lambda *a, **k: pool(jobs)
        ) as asked:
            result = executor.run_and_cache(timeout=timeout(root))
        if missing and not asked.called:  # jupyter-cache found its pool elsewhere: say so
            raise RuntimeError("build_book: jupyter-cache no longer takes multiprocessing.Pool")
        for uri in result.excepted + result.errored:
            print(f"build_book: {Path(uri).relative_to(root)} failed; the build runs it again")
    finally:
        cache.db.dispose()  # close the SQLite connection (Python 3.13 warns about open ones)
    return len(result.succeeded), missing


def recorded_seconds(cache_path, root):
    """``{page stem: seconds}`` the execution cache recorded for each executable page."""
    cache, seconds = project(cache_path, root), {}
    try:
        for record in cache.list_project_records():
            cached = cache.get_cached_project_nb(record.pk)
            if cached is not None:  # None: not executed (the build failed before it)
                seconds[Path(record.uri).stem] = (cached.data or {}).get("execution_seconds")
    finally:
        cache.db.dispose()
    return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--print-key", action="store_true", help="print the cache key and exit")
    parser.add_argument("--root", type=lambda p: Path(p).resolve(), default=REPO,
                        help="the book's folder")  # fmt: skip
    parser.add_argument("--jobs", type=positive, default=usable_cores(),
                        help="pages executed at once (default: one per usable core)")  # fmt: skip
    parser.add_argument("--fail-over-budget", action="store_true",
                        default=page_budget.fail_by_default(),
                        help="exit 1 when a page took longer than its budget (tools/page_budget.py)")  # fmt: skip
    parser.add_argument("jb_args", nargs="*", help="passed to `jupyter-book build ROOT` (after --)")
    args = parser.parse_args(argv)
    if args.print_key:
        print(cache_key(args.root))
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
    source = "this build's execution cache" + (
        f"; pages it ran shared the cores {args.jobs} at a time, so a page alone is faster"
        if args.jobs > 1
        else ""
    )
    over = page_budget.check(seconds, source, args.fail_over_budget)
    return status or over


if __name__ == "__main__":
    sys.exit(main())
