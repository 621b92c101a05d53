"""Make the student edition of a tutorial notebook: exercises blank, solutions absent.

Rules, applied to the notebook generated from the page:

- everything between the ``solution-start`` and ``solution-end`` directives goes
  (the hidden solution: its prose, its ``literalinclude`` and its code cells);
- each exercise cell (tagged ``exercise``: blanks, a ``NotImplementedError`` and
  the self-check call) stays as it is, and records in its metadata how the course's
  own test fills it from :mod:`dnncourse.solutions` (``exercise.fill``);
- a note at the top says what this edition is.
"""

from __future__ import annotations

import copy
import re

import nbformat

STUDENT_PAGES = ("regression", "iris", "mnist")

START = re.compile(r"^:{3,}\{solution-start\}.*$", re.MULTILINE)
END = re.compile(r"^(:{3,})\{solution-end\}[ \t]*\n\1[ \t]*$", re.MULTILINE)


def fill_source(source):
    """The exercise cell with its function body replaced by a call of the solution.

    ``def build_and_train(...)`` becomes a stub returning ``solve_<name>()``, where
    ``<name>`` comes from the cell's ``check_<name>(...)`` call; the lines that call
    the function and the checker stay, so they are tested as a learner runs them.
    """
    name = re.search(r"\bcheck_(\w+)\(", source).group(1)
    lines = source.splitlines()
    start = next(k for k, line in enumerate(lines) if line.startswith("def "))
    end = next(k for k in range(start + 1, len(lines)) if lines[k] and not lines[k][0].isspace())
    signature = lines[start].split("(")[0]
    stub = [
        f"from dnncourse.solutions import solve_{name}",
        "",
        "",
        f"{signature}(*data):",
        '    """Filled with the course\'s solution by the course\'s own test."""',
        f"    return solve_{name}()",
        "",
        "",
    ]
    return "\n".join(lines[:start] + stub + lines[end:])


def student_notebook(nb, name):
    """Return the student edition of the tutorial notebook ``nb`` (page ``name``)."""
    nb = copy.deepcopy(nb)
    cells, in_solution = [], False
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            text = cell.source
            if not in_solution and (m := START.search(text)):
                in_solution, text = True, text[: m.start()]
                if (e := END.search(cell.source, m.end())) is not None:
                    in_solution, text = False, text + cell.source[e.end() :]
            elif in_solution and (e := END.search(text)):
                in_solution, text = False, text[e.end() :]
            elif in_solution:
                continue
            if text.strip():
                cell.source = text.strip("\n")
                cells.append(cell)
            continue
        if in_solution:
            continue
        if "exercise" in cell.metadata.get("tags", []):
            cell.metadata["exercise"] = {"fill": fill_source(cell.source)}
            # The site skips the exercise when it executes the page; the learner runs it.
            cell.metadata["tags"] = [t for t in cell.metadata["tags"] if t != "skip-execution"]
        cells.append(cell)
    note = nbformat.v4.new_markdown_cell(
        f"**Student edition** of the {name} tutorial: the exercise cells are blank and "
        "the solutions are not included. Fill in the blanks, delete the line that raises "
        "`NotImplementedError`, and run the cell: its self-check tells you whether you "
        "met the target, and gives a hint if not."
    )
    setup = [c for c in cells if "colab-setup" in c.metadata.get("tags", [])]
    nb.cells = setup + [note] + [c for c in cells if c not in setup]
    return nb
