"""Code cells of a page as a learner gets them in a notebook.

The site hides plumbing with myst-nb tags that Colab and Jupyter ignore, so the
generator applies them itself:

- ``glue(...)`` calls (and the import of ``glue``) are removed from every cell:
  their values already stand in the text as numbers (see tools/site_run.py);
- a ``remove-cell`` cell is dropped, unless a later cell uses a name it defines
  (then it stays, collapsed, so that "Run all" still works);
- a ``remove-input`` cell stays: the learner needs its output;
- tags that only the site's executor reads (``skip-execution``, ``remove-*``)
  are dropped, so that a notebook runs everywhere as it runs in Colab;
- a figure cell's caption and alt text (``mystnb`` metadata) become a Markdown
  cell under it;
- each code cell records which code cell of the page it comes from
  (``dnncourse.page_cell``), so that the site's download button can serve this
  notebook with the outputs of the site's run (book/_ext/course_ext.py).
"""

from __future__ import annotations

import ast

import nbformat
from myst_lower import lower

SITE_ONLY_TAGS = {"skip-execution", "remove-cell", "remove-input", "remove-output"}


def _is_glue(stmt):
    """A statement that only glues values: ``glue(...)``, or a loop/if of such."""
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        func = stmt.value.func
        return getattr(func, "id", getattr(func, "attr", None)) == "glue"
    if isinstance(stmt, ast.For | ast.If | ast.With):
        return all(_is_glue(s) for s in stmt.body) and not getattr(stmt, "orelse", [])
    if isinstance(stmt, ast.ImportFrom):
        return [a.name for a in stmt.names] == ["glue"]
    return False


def strip_glue(source):
    """``source`` without its glue statements (unchanged when it is not plain Python)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics: leave as written
        return source
    lines = source.split("\n")
    drop = set()

    def visit(body):
        for stmt in body:
            if _is_glue(stmt):
                drop.update(range(stmt.lineno - 1, stmt.end_lineno))
            else:  # glue inside a loop or a branch that also does other work
                for name in ("body", "orelse", "finalbody"):
                    visit(getattr(stmt, name, []))

    visit(tree.body)
    kept = [line.removesuffix("  # fmt: skip") for k, line in enumerate(lines) if k not in drop]
    text = "\n".join(kept)
    while "\n\n\n\n" in text:
        text = text.replace("\n\n\n\n", "\n\n\n")
    return text.strip("\n")


def bound_names(source):
    """Names a cell binds at top level."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.ClassDef):
            names.add(stmt.name)
        elif isinstance(stmt, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in stmt.names)
        else:
            for node in ast.walk(stmt):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    names.add(node.id)
    return names


def used_names(source):
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def figure_note(cell, ctx):
    """The Markdown cell with a figure cell's caption and alt text, or ``None``."""
    meta = cell.metadata.pop("mystnb", None) or {}
    caption = (meta.get("figure") or {}).get("caption")
    alt = (meta.get("image") or {}).get("alt")
    name = (meta.get("figure") or {}).get("name")
    if not (caption or alt):
        return None
    parts = [f'<a id="{name}"></a>'] if name else []
    if caption:
        parts.append(f"**Figure.** {lower(caption, ctx)}")
    if alt:
        parts.append(
            f"<details>\n<summary>Text description of the figure</summary>\n\n{alt}\n\n</details>"
        )
    # Marked for tools/student.py: a caption stays visible even inside a solution.
    return nbformat.v4.new_markdown_cell("\n\n".join(parts), metadata={"figure_note": True})


def code_cells(cells, ctx):
    """Apply the rules of the module docstring to the page's cells, in order."""
    out, ordinal = [], -1
    for k, cell in enumerate(cells):
        if cell.cell_type != "code":
            out.append(cell)
            continue
        ordinal += 1
        # Which code cell of the page this is: the site's download gets its outputs.
        cell.metadata["dnncourse"] = {"page_cell": ordinal}
        tags = cell.metadata.get("tags", [])
        source = strip_glue(cell.source)
        if "remove-cell" in tags:
            later = set().union(*(used_names(c.source) for c in cells[k + 1 :]))
            if not source or not bound_names(source) & later:
                continue
            source = '# @title Set-up for the cells below { display-mode: "form" }\n' + source
            cell.metadata["cellView"] = "form"
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
        if not source:
            continue
        cell.source = source
        kept_tags = [t for t in tags if t not in SITE_ONLY_TAGS]
        if kept_tags:
            cell.metadata["tags"] = kept_tags
        else:
            cell.metadata.pop("tags", None)
        note = figure_note(cell, ctx)
        out.append(cell)
        if note is not None:
            out.append(note)
    return out
