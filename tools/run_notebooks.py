"""Run every generated notebook alone, top to bottom, each in its own fresh kernel.

The `fresh` nox session calls this in a new virtual environment that holds only
what a Colab-like runtime has; each notebook's own setup cell installs the course
package (``DNNCOURSE_INSTALL_SPEC`` points it at this checkout, since CI cannot
reach the repository's host). A student edition runs once, in one kernel, as a
learner meets it and then as a learner who has solved it:

- *blank*: "Run all" as a learner first meets it: every cell before the first
  exercise runs, and that exercise stops the run with its ``NotImplementedError``
  (whose message says what to do); so does every later exercise, in turn;
- *filled*: after each exercise has stopped the run, the same kernel runs the
  cell filled with the course's solution (``student.fill_source``: the learner's
  function returns the solution's) in its place and goes on, so blank and
  checker are proven to fit together to the last cell.  The fill is made here,
  never stored in the edition a learner downloads.

The cells before the first exercise are the same in both editions, so they run
once: nothing is trained twice to prove one thing.

Nothing is skipped because of a tag (Colab and Jupyter ignore tags), so nbclient's
``skip-execution`` handling is switched off. The runner is not nbmake: nbmake runs
a notebook as committed, all or nothing, while the filled run substitutes cells
and the student run must stop at given cells for a given reason.

    python tools/run_notebooks.py [NAME ...]     # e.g. data regression exercises/iris
    python tools/run_notebooks.py --jobs 2       # two notebooks at a time (nox -s fresh)
    python tools/run_notebooks.py --jobs 2 --record book/_colab_run.json   # nox -s colab
    python tools/run_notebooks.py --notebooks /tmp/nb   # notebooks generated elsewhere

Prints one line per run with its wall time; exits 1 when any run fails. With
``--jobs 2`` each notebook still runs alone in its own kernel, in a child process of
this script, two at a time, the longest first (a learner's notebook is also a
single kernel on a machine doing other things); the times printed then include the
other run's share of the cores, so they are not the pages' budget times.

``--record PATH`` keeps the wall time of every notebook that passed in a JSON file,
with the versions and the machine it ran on; the notebooks' headers quote it
(tools/notebooks.py). Records of notebooks that did not run this time are kept
when the versions are the same, and dropped when they differ.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from spoilers import spoilers
from student import fill_source

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


def is_exercise(cell):
    return "exercise" in cell.metadata.get("tags", [])


def run_notebook(nb, student):
    """ "Run all" in one kernel, until a cell fails; ``(problems, note)``.

    A full notebook runs every code cell. In a student edition every exercise cell
    must stop "Run all" with ``NotImplementedError``; its stored solution then runs
    in its place, and the rest of the notebook after it (blank, then filled).
    """
    exercises = [k for k, c in enumerate(nb.cells) if is_exercise(c)] if student else []
    if student and not exercises:
        return ["student notebook has no exercise cell"], "0 cells ran"
    client, n_run, stops = _client(nb), 0, []
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            if student and is_exercise(cell):
                try:
                    client.execute_cell(cell, index)
                except CellExecutionError as err:
                    if err.ename != "NotImplementedError":
                        return [f"blank cell {index} stopped with {err.ename}: {err.evalue}"], (
                            f"{n_run} cells ran"
                        )
                    stops.append(f"cell {index}: {err.evalue}")
                else:
                    return [f"blank cell {index} ran: the exercise did not stop Run all"], (
                        f"{n_run} cells ran"
                    )
                cell.source = fill_source(cell.source)
            try:
                client.execute_cell(cell, index)
            except CellExecutionError as err:
                return [f"cell {index}: {err.ename}: {err.evalue}"], f"{n_run} cells ran"
            n_run += 1
    if not student:
        return [], f"{n_run} cells ran"
    note = (
        f"{n_run} cells ran; Run all stops at cell {exercises[0]} (first exercise), "
        f"{len(stops)} exercises stopped it and ran filled: " + "; ".join(stops)
    )
    return [], note


RUNTIME_PACKAGES = ("tensorflow", "tensorflow-cpu", "keras", "numpy", "matplotlib", "ipython")


def runtime():
    """``{name: version}`` of Python and the packages a notebook's results depend on."""
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": sys.version.split()[0]}
    for name in RUNTIME_PACKAGES:
        with contextlib.suppress(PackageNotFoundError):
            out[name] = version(name)
    return out


def versions():
    """Python, TensorFlow, Keras, NumPy, ... of this environment (the kernel's)."""
    return ", ".join(f"{'Python' if k == 'python' else k} {v}" for k, v in runtime().items())


def record(path, seconds, jobs):
    """Merge ``{notebook: wall seconds}`` of passed runs into the JSON file at ``path``.

    Earlier records stay only when they were measured with the same versions.
    """
    path = Path(path)
    now = runtime()
    old = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    kept = old.get("notebooks", {}) if old.get("runtime") == now else {}
    today = datetime.date.today().isoformat()
    for name, sec in seconds.items():
        kept[name] = {"seconds": round(sec, 1), "date": today, "jobs": jobs}
    data = {
        "about": "Wall time of Run all per notebook, measured by tools/run_notebooks.py "
        "--record (nox -s colab); quoted by the notebooks' headers (tools/notebooks.py).",
        "runtime": now,
        "cpus": os.cpu_count(),
        # Other work on the machine stretches the times: 2 or more on 2 cores is busy.
        "load_average_at_end": round(os.getloadavg()[0], 1),
        "notebooks": dict(sorted(kept.items())),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return data


def run_one(path):
    """Run one notebook here; ``(ok, report lines, wall seconds)``."""
    name = str(path.relative_to(BOOK))
    nb = nbformat.read(path, as_version=4)
    student = path.parent.name == "exercises"
    start = time.perf_counter()
    problems, note = run_notebook(nb, student)
    seconds = time.perf_counter() - start
    # Predict first: after Run all, nothing before the prediction cell names the diagnosis.
    problems += spoilers(nb, name)
    status = "FAIL" if problems else "ok"
    kind = "blank, then filled" if student else "full"
    lines = [f"{status:4} {name:32} {kind:18} {seconds:7.1f} s  {note}"]
    return not problems, lines + [f"     {p}" for p in problems], seconds


SECONDS_MARK = "run_notebooks-seconds: "  # a child's last line: its wall time, for --record


def run_child(path):
    """Run one notebook in a child process of this script; ``(ok, report lines, seconds)``."""
    name = str(path.relative_to(BOOK).with_suffix(""))
    child = subprocess.run(
        [sys.executable, __file__, "--report-only", "--notebooks", str(BOOK), name],
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )  # the kernels' stderr (TensorFlow's start-up lines) passes through
    lines = child.stdout.splitlines() or [f"FAIL {name}: child exited {child.returncode}"]
    marks = [ln for ln in lines if ln.startswith(SECONDS_MARK)]
    seconds = float(marks[-1].removeprefix(SECONDS_MARK)) if marks else None
    return child.returncode == 0, [ln for ln in lines if ln not in marks], seconds


# The slowest notebooks of a sequential run (about 40-55 s each), started first.
LONGEST_FIRST = ("exercises/mnist", "fitting", "mnist", "exercises/iris", "exercises/regression")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="notebooks to run (default: all)")
    parser.add_argument("--jobs", type=int, default=1, help="notebooks run at a time")
    parser.add_argument(
        "--record", metavar="JSON", help="keep the wall time of each passed notebook in this file"
    )
    parser.add_argument(
        "--notebooks", metavar="DIR", help="run the NAME.ipynb and exercises/ of DIR, not of book/"
    )
    parser.add_argument("--report-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.notebooks:
        global BOOK  # the folder every function of this script reads
        BOOK = Path(args.notebooks).resolve()
    paths = sorted(BOOK.glob("*.ipynb")) + sorted((BOOK / "exercises").glob("*.ipynb"))
    if args.names:
        paths = [p for p in paths if str(p.relative_to(BOOK).with_suffix("")) in args.names]
    if not paths:
        sys.exit("run_notebooks: no generated notebooks found; run `nox -s notebooks` first")
    if args.jobs > 1:
        # The first notebook runs alone: its setup cell installs the course package,
        # which the others then find installed (two pip runs at once would collide).
        first, rest = paths[0], paths[1:]
        order = {name: k for k, name in enumerate(LONGEST_FIRST)}
        rest.sort(key=lambda p: order.get(str(p.relative_to(BOOK).with_suffix("")), len(order)))
        results = [(first, *run_child(first))]
        print("\n".join(results[0][2]), flush=True)
        with ThreadPoolExecutor(args.jobs) as pool:
            for path, result in zip(rest, pool.map(run_child, rest), strict=True):
                print("\n".join(result[1]), flush=True)
                results.append((path, *result))
    else:
        results = []
        for path in paths:
            results.append((path, *run_one(path)))
            print("\n".join(results[-1][2]), flush=True)
    outcomes = [ok for _, ok, _, _ in results]
    if args.report_only:
        print(f"{SECONDS_MARK}{results[0][3]}", flush=True)
        return 0 if all(outcomes) else 1
    print(f"{sum(outcomes)} passed, {len(outcomes) - sum(outcomes)} failed; " + versions())
    if args.record:
        passed = {
            str(path.relative_to(BOOK).with_suffix("")): sec
            for path, ok, _, sec in results
            if ok and sec is not None
        }
        record(args.record, passed, args.jobs)
        print(f"recorded the times of {len(passed)} notebooks in {args.record}")
    return 0 if all(outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
