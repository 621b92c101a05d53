"""Run every generated notebook alone, top to bottom, each in its own fresh kernel.

The `fresh` nox session calls this in a new virtual environment that holds only
what a Colab-like runtime has; each notebook's own setup cell installs the course
package (``DNNCOURSE_INSTALL_SPEC`` points it at this checkout, since CI cannot
reach the repository's host). Student editions run twice:

- *filled*: each exercise cell replaced by the solution code stored in its
  metadata (``exercise.fill``), so blank and checker are proven to fit together;
- *blank*: as a learner first meets it; every exercise cell must fail with its
  ``NotImplementedError`` and nothing else may fail (cells tagged
  ``needs-exercise`` are skipped, as they use the learner's model).

    python tools/run_notebooks.py [NAME ...]     # e.g. data regression exercises/iris

Prints one line per run with its wall time; exits 1 when any run fails.
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

BOOK = Path(__file__).resolve().parents[1] / "book"
TIMEOUT = 900  # per cell; the pages' own budgets are far below


def _client(nb):
    return NotebookClient(
        nb, timeout=TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(BOOK)}}
    )


def run_full(nb):
    """Execute all cells; return a list of problems."""
    try:
        _client(nb).execute()
    except CellExecutionError as err:
        return [str(err).strip().splitlines()[-1]]
    return []


def fill(nb):
    """A copy of a student notebook with every exercise cell replaced by its solution."""
    nb = copy.deepcopy(nb)
    n = 0
    for cell in nb.cells:
        if "exercise" in cell.metadata.get("tags", []):
            cell.source = cell.metadata["exercise"]["fill"]
            n += 1
    return nb, n


def run_blank(nb):
    """Execute a student notebook cell by cell as a learner first meets it."""
    problems, raised = [], 0
    client = _client(nb)
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            tags = cell.metadata.get("tags", [])
            if "needs-exercise" in tags:
                continue
            try:
                client.execute_cell(cell, index)
            except CellExecutionError as err:
                if "exercise" in tags and err.ename == "NotImplementedError":
                    raised += 1
                    continue
                problems.append(f"cell {index}: {err.ename}: {err.evalue}")
            else:
                if "exercise" in tags:
                    problems.append(f"cell {index}: exercise ran without its NotImplementedError")
    return problems, raised


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="notebooks to run (default: all)")
    args = parser.parse_args(argv)
    paths = sorted(BOOK.glob("*.ipynb")) + sorted((BOOK / "exercises").glob("*.ipynb"))
    if args.names:
        paths = [p for p in paths if str(p.relative_to(BOOK).with_suffix("")) in args.names]
    if not paths:
        sys.exit("run_notebooks: no generated notebooks found; run `nox -s notebooks` first")
    results = []
    for path in paths:
        name = str(path.relative_to(BOOK))
        nb = nbformat.read(path, as_version=4)
        student = path.parent.name == "exercises"
        runs = [("filled", *fill(nb)), ("blank", nb, None)] if student else [("full", nb, None)]
        for kind, notebook, n_exercises in runs:
            start = time.perf_counter()
            if kind == "blank":
                problems, raised = run_blank(copy.deepcopy(notebook))
                note = f"{raised} exercise cells raised NotImplementedError"
                if raised == 0:
                    problems.append("no exercise cell raised NotImplementedError")
            else:
                problems = run_full(notebook)
                note = f"{n_exercises} exercise cells filled" if kind == "filled" else ""
                if kind == "filled" and not n_exercises:
                    problems.append("student notebook has no exercise cell")
            seconds = time.perf_counter() - start
            status = "FAIL" if problems else "ok"
            print(f"{status:4} {name:32} {kind:6} {seconds:7.1f} s  {note}", flush=True)
            for p in problems:
                print(f"     {p}")
            results.append(not problems)
    print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
