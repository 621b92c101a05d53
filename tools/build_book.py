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

    python tools/build_book.py -- -W -n --keep-going --all    # what `nox -s book` runs
    python tools/build_book.py --print-key
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--print-key", action="store_true", help="print the cache key and exit")
    parser.add_argument("--root", type=Path, default=REPO, help="the book's folder")
    parser.add_argument("jb_args", nargs="*", help="passed to `jupyter-book build ROOT` (after --)")
    args = parser.parse_args(argv)
    if args.print_key:
        print(cache_key(args.root))
        return 0
    cache = args.root / "_build" / ".jupyter_cache"
    key, wiped = refresh_cache(cache, args.root)
    print(f"build_book: cache key {key[:12]}", "(changed: every page re-executes)" if wiped else "")
    # The jupyter-book beside this Python, whether or not its venv is activated.
    jb = Path(sys.executable).with_name("jupyter-book")
    command = [str(jb) if jb.exists() else "jupyter-book", "build", str(args.root), *args.jb_args]
    # From the book's folder: _config.yml's relative paths (the cache) are read from there.
    return subprocess.run(command, check=False, cwd=args.root).returncode


if __name__ == "__main__":
    sys.exit(main())
