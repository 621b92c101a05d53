"""Predict first: find anything that gives a tutorial's diagnosis away before the learner predicts.

A tutorial asks the learner to predict the challenge's diagnosis in a code cell
that calls ``reveal_diagnosis(...)``; only that cell may show it.  Under "Run all"
(Colab, Jupyter and VS Code ignore the site's ``hide-output`` tags) every earlier
cell runs and shows its output, and every collapsed block shows its title.
:func:`spoilers` lists what, before that cell, names a diagnosis label:

- an output of an earlier code cell (an executed notebook) that prints a
  diagnosis (``diagnosis:``) or a label;
- the visible title (``<summary>``) of a collapsed block in an earlier Markdown cell;
- an earlier code cell that prints ``diagnose(...)`` or relies on ``hide-output``;
- while the prediction cell is still blank ("Predict first"), a checker's hint in a
  later cell's output that names a label (checkers hold it back until a prediction).

``tools/run_notebooks.py`` applies it to every notebook it has run; the tests apply
it to the committed notebooks.
"""

from __future__ import annotations

import importlib
import re

REVEAL = "reveal_diagnosis("


def _words():
    """A pattern for "diagnosis:" and every label of :func:`dnncourse.diagnose.diagnose`.

    Imported when first needed: the notebook runner starts before the notebooks'
    setup cells have installed the course package.
    """
    importlib.invalidate_caches()
    from dnncourse.diagnose import LABELS

    return re.compile(
        r"diagnosis:|" + "|".join(re.escape(label) for label in LABELS), re.IGNORECASE
    )


def _output_text(cell):
    """All text a code cell's outputs show (streams, text/plain, errors)."""
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append("".join(out.get("text", "")))
        elif out.get("output_type") in ("execute_result", "display_data"):
            parts.append("".join(out.get("data", {}).get("text/plain", "")))
        elif out.get("output_type") == "error":
            parts.append(f"{out.get('ename')}: {out.get('evalue')}")
    return "\n".join(parts)


def reveal_index(nb):
    """Index of the first code cell that calls ``reveal_diagnosis``, or None."""
    for k, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code" and REVEAL in "".join(cell["source"]):
            return k
    return None


def spoilers(nb, name="notebook"):
    """What gives the diagnosis away before the prediction cell of ``nb`` (a dict-like notebook).

    Returns
    -------
    list of str
        One line per finding, empty when nothing does.  A notebook without a
        prediction cell has nothing to spoil.
    """
    end = reveal_index(nb)
    if end is None:
        return []
    words, found = _words(), []
    for k, cell in enumerate(nb["cells"][:end]):
        source = "".join(cell["source"])
        where = f"{name}, cell {k}"
        if cell["cell_type"] == "markdown":
            for title in re.findall(r"<summary>(.*?)</summary>", source, flags=re.DOTALL):
                if words.search(title):
                    found.append(f"{where}: a collapsed block's title names it: {title.strip()!r}")
            continue
        if cell["cell_type"] != "code":
            continue
        if re.search(r"print\(\s*diagnose\(", source):
            found.append(f"{where}: prints diagnose(...) before the prediction cell")
        if "hide-output" in cell.get("metadata", {}).get("tags", []):
            found.append(f"{where}: relies on hide-output, which notebooks ignore")
        text = _output_text(cell)
        hit = words.search(text)
        if hit:
            line = next(x for x in text.splitlines() if hit.group(0).lower() in x.lower())
            found.append(f"{where}: its output names it: {line.strip()[:160]!r}")
    reveal_text = _output_text(nb["cells"][end])
    if "Predict first" not in reveal_text:
        return found
    # the table of all five labels a blank prediction prints (reveal.MEANINGS) names no answer
    from dnncourse.reveal import _labels_table

    if words.search(reveal_text.replace(_labels_table(), "").replace("Predict first", "")):
        found.append(f"{name}, cell {end}: the blank prediction cell shows the diagnosis")
    for k, cell in enumerate(nb["cells"][end + 1 :], start=end + 1):
        for hint in re.findall(
            r"Hint: (.*)", _output_text(cell) if cell["cell_type"] == "code" else ""
        ):
            if words.search(hint):
                found.append(
                    f"{name}, cell {k}: a checker's hint names it before the prediction: "
                    f"{hint.strip()[:120]!r}"
                )
    return found
