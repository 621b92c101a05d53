"""Solutions and exercises in the generated notebooks: full and student editions.

A page's gated solution (``solution-start`` ... ``solution-end``) spans several
cells, its prose and the code cells that run it; :mod:`myst_directives` leaves
markers where it starts and ends. Here:

- full notebook: the prose of the solution goes into collapsed ``<details>``
  blocks and its code cells are collapsed (Colab form, JupyterLab
  ``source_hidden``) but run, so that "Run all" shows the solution's results;
  the exercise cell keeps its blanks, and its calls are commented out so that
  "Run all" does not stop there;
- student edition: the solution is removed; the exercise cell stays as the page
  has it, so that "Run all" stops at it with its ``NotImplementedError`` saying
  what to do.  Nothing in the edition (sources or metadata) names the solution:
  the course's own run (``tools/run_notebooks.py``) fills the exercise from
  :mod:`dnncourse.solutions` with :func:`fill_source` when it runs it.

Why not sphinx-tojupyter (tried on this book): it has no student edition (its
``tojupyter_drop_solutions`` drops RST code blocks only, not sphinx-exercise
solutions) and leaves exercise cells live, so "Run all" stops at the first one.
"""

from __future__ import annotations

import ast
import re

import nbformat
from myst_directives import SOLUTION_END, SOLUTION_START, details


def __getattr__(name):
    """``STUDENT_PAGES``: every tutorial has a student edition (``dnncourse.tutorials`` lists them).

    Read on first use, not at import: ``tools/run_notebooks.py`` imports this module in
    Colab's pinned environment (``nox -s colab``) before any notebook's setup cell has
    installed the course package there.
    """
    if name == "STUDENT_PAGES":
        from dnncourse import tutorials

        return tutorials.NAMES
    raise AttributeError(f"module 'student' has no attribute {name!r}")


UNCOMMENT = (
    "# Your turn: complete the function above (the blanks ...), delete its `raise` line,\n"
    "# then uncomment the lines below and run this cell. They are commented out so that\n"
    '# "Run all" runs the whole notebook; the solution further down runs regardless.\n'
)


def fill_source(source):
    """The exercise cell with its function body replaced by a call of the solution.

    The learner's function is the cell's first top-level ``def``; ``<name>`` comes
    from the cell's ``check_<name>(...)`` call.  A function that takes the training
    rows (``def build_and_train(X, y)``, which the checker cross-validates) becomes
    a stub returning ``train_<name>(X, y)``, the solution's procedure on those rows;
    one without parameters a stub returning ``solve_<name>()``.  The lines that call
    the function and the checker stay, so they are tested as a learner runs them.
    """
    name = re.search(r"\bcheck_(\w+)\(", source).group(1)
    fn = next(s for s in ast.parse(source).body if isinstance(s, ast.FunctionDef))
    params = [a.arg for a in fn.args.args]
    lines = source.splitlines()
    start, end = fn.lineno - 1, fn.end_lineno
    solver, call = (
        (f"train_{name}", f"train_{name}({', '.join(params)})")
        if params
        else (f"solve_{name}", f"solve_{name}()")
    )
    stub = [
        f"from dnncourse.solutions.{name} import {solver}",
        "",
        "",
        f"def {fn.name}({', '.join(params)}):",
        '    """Filled with the course\'s solution by the course\'s own test."""',
        f"    return {call}",
    ]
    return "\n".join(lines[:start] + stub + lines[end:])


def comment_out_calls(source):
    """The exercise cell with its top-level calls commented out (definitions stay)."""
    tree = ast.parse(source)
    lines = source.split("\n")
    keep = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)
    runs = [s for s in tree.body if not isinstance(s, keep)]
    if not runs:
        return source
    for stmt in runs:
        for k in range(stmt.lineno - 1, stmt.end_lineno):
            lines[k] = f"# {lines[k]}" if lines[k] else "#"
    first = runs[0].lineno - 1
    return "\n".join(lines[:first]) + "\n" + UNCOMMENT + "\n".join(lines[first:])


def collapse_code(cell, title):
    """Collapse a code cell in Colab (form) and JupyterLab (source hidden); it still runs."""
    cell.source = f'# @title {title} {{ display-mode: "form" }}\n' + cell.source
    cell.metadata["cellView"] = "form"
    cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
    return cell


def solutions(cells, student):
    """Apply the solution markers to the lowered ``cells`` (see module docstring)."""
    out, inside = [], False
    for cell in cells:
        if cell.cell_type == "code":
            if inside and student:
                continue
            if inside:
                collapse_code(cell, "Solution code (double-click to show)")
            elif "exercise" in cell.metadata.get("tags", []) and not student:
                cell.source = comment_out_calls(cell.source)
            out.append(cell)
            continue
        if cell.metadata.pop("figure_note", False) and not student:
            out.append(cell)  # the caption of a figure the notebook shows
            continue
        parts, text = [], cell.source
        while text:
            marker = SOLUTION_END if inside else SOLUTION_START
            before, found, text = text.partition(marker)
            if before.strip():
                parts.append(("solution" if inside else "text", before.strip("\n")))
            inside = inside != bool(found)
        kept = [
            body if kind == "text" else details("Solution (click to show)", body)
            for kind, body in parts
            if kind == "text" or not student
        ]
        if student:
            kept = [drop_self_pointer(body) for body in kept]
        if any(body.strip() for body in kept):
            cell.source = "\n\n".join(body for body in kept if body.strip())
            out.append(cell)
    if inside:
        raise ValueError("solution-start without solution-end")
    return out


def drop_self_pointer(text):
    """``text`` without the box that sends the reader to the student edition (it is this one)."""
    blocks = re.split(r"\n{2,}", text)
    return "\n\n".join(
        b for b in blocks if not (b.startswith(">") and "student edition of this page" in b)
    )


def student_note(name):
    return nbformat.v4.new_markdown_cell(
        f"**Student edition** of the {name} tutorial: the exercise cells are blank and "
        "the solutions are not included. Run the cells in order. The prediction cell asks "
        "for your prediction and shows nothing of the answer until you write one; *Run all* "
        "goes past it and stops at the first blank code cell, which says what to do: fill "
        "in the blanks, delete the line that raises `NotImplementedError`, and run the cell "
        "again. Its self-check tells you whether you met the target, and gives a hint if not."
    )
