"""Run every generated notebook alone, top to bottom, each in its own fresh kernel.

The `fresh` nox session calls this in a new virtual environment that holds only
what a Colab-like runtime has; each notebook's own setup cell installs the course
package (``DNNCOURSE_INSTALL_SPEC`` points it at this checkout, since CI cannot
reach the repository's host). Student editions run twice:

- *filled*: each exercise cell replaced by the solution code stored in its
  metadata (``exercise.fill``), so blank and checker are proven to fit together;
- *blank*: "Run all" as a learner first meets it: every cell before the first
  exercise runs, and the run stops at that exercise with its
  ``NotImplementedError`` (whose message says what to do).

Nothing is skipped because of a tag (Colab and Jupyter ignore tags), so nbclient's
``skip-execution`` handling is switched off. The runner is not nbmake: nbmake runs
a notebook as committed, all or nothing, while the filled run substitutes cells
and the blank run must stop at a given cell for a given reason.

    python tools/run_notebooks.py [NAME ...]     # e.g. data regression exercises/iris

Prints one line per run with its wall time; exits 1 when any run fails.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

BOOK = Path(__file__).resolve().parents[1] / "book"
TIMEOUT = 900  # per cell; the pages' own budgets are far below


NO_TAG = "dnncourse-never-skip"  # nbclient skips cells with this tag: no cell has it


def _client(nb):
    return NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name="python3",
        skip_cells_with_tag=NO_TAG,
        resources={"metadata": {"path": str(BOOK)}},
    )


def run_all(nb):
    """ "Run all": execute cells in order until one fails; ``(n_run, index, error)``."""
    client, n_run = _client(nb), 0
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            try:
                client.execute_cell(cell, index)
            except CellExecutionError as err:
                return n_run, index, err
            n_run += 1
    return n_run, None, None


def run_full(nb):
    """Execute all cells; return ``(problems, note)``."""
    n_run, index, err = run_all(nb)
    if err is not None:
        return [f"cell {index}: {err.ename}: {err.evalue}"], f"{n_run} cells ran"
    return [], f"{n_run} cells ran"


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
    """ "Run all" on a student edition; ``(problems, note)``: it must stop at the first exercise."""
    n_run, index, err = run_all(nb)
    exercises = [k for k, c in enumerate(nb.cells) if "exercise" in c.metadata.get("tags", [])]
    note = f"{n_run} cells ran, then stopped at cell {index}"
    if not exercises:
        return ["no exercise cell"], note
    if err is None:
        return ["ran to the end: the first exercise did not stop it"], f"{n_run} cells ran"
    if index != exercises[0] or err.ename != "NotImplementedError":
        return [f"stopped at cell {index} with {err.ename}: {err.evalue}"], note
    return [], f"{note} (first exercise): {err.evalue}"


def versions():
    """Python, TensorFlow and Keras of this environment (the kernel's)."""
    from importlib.metadata import PackageNotFoundError, version

    out = [f"Python {sys.version.split()[0]}"]
    for name in ("tensorflow", "tensorflow-cpu", "keras"):
        with contextlib.suppress(PackageNotFoundError):
            out.append(f"{name} {version(name)}")
    return ", ".join(out)


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
                problems, note = run_blank(copy.deepcopy(notebook))
            else:
                problems, note = run_full(notebook)
                if kind == "filled":
                    note += f", {n_exercises} exercise cells filled"
                    if not n_exercises:
                        problems.append("student notebook has no exercise cell")
            seconds = time.perf_counter() - start
            status = "FAIL" if problems else "ok"
            print(f"{status:4} {name:32} {kind:6} {seconds:7.1f} s  {note}", flush=True)
            for p in problems:
                print(f"     {p}")
            results.append(not problems)
    print(f"{sum(results)} passed, {len(results) - sum(results)} failed; " + versions())
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
