"""Generate the Jupyter notebooks that Colab, Binder and downloads open.

For every executable page ``book/NAME.md`` (a MyST Markdown notebook) this writes
``book/NAME.ipynb`` beside it, and for each tutorial a student edition
``book/exercises/NAME.ipynb``. A notebook is the page as plain Jupyter: a header
cell (title, link to the page, run time and versions of the site's run), a
collapsed setup cell, then the page's cells with MyST lowered to Markdown
(tools/myst_lower.py), glued values replaced by the site's numbers
(tools/site_run.py) and plumbing removed (tools/nb_cells.py). The files are
committed (Colab and Binder open them from the repository) and excluded from the
Sphinx build. Never edit them by hand:

    nox -s notebooks                     # regenerate all
    nox -s notebooks -- --check          # exit 1 when any is out of date
    nox -s notebooks -- --snapshot       # after `nox -s book`: refresh the site's numbers

A test runs the check, so a page edited without regenerating fails CI.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jupytext
import nbformat
import site_run
import yaml
from myst_lower import MD, SITE_MARK, Context, lower
from nb_cells import code_cells
from student import STUDENT_PAGES, solutions, student_note

REPO = Path(__file__).resolve().parents[1]
BOOK = REPO / "book"
INSTALL_ENV = "DNNCOURSE_INSTALL_SPEC"

SETUP_CELL = """\
# @title Setup: install the course package (double-click to see the code) {{ display-mode: "form" }}
# Installs `dnncourse` from the course's repository when it is not importable yet
# (Colab, or your own Jupyter). Colab's TensorFlow and Keras stay as they are.
import importlib
import importlib.util
import os

_spec = os.environ.get("{env}") or "git+{url}@{ref}"
if importlib.util.find_spec("dnncourse") is None:
    %pip install --quiet {{_spec}}
    importlib.invalidate_caches()
try:
    import dnncourse  # noqa: F401 (importing is the check)
except ImportError as err:
    raise RuntimeError(
        f"The course package could not be installed from {{_spec}}. Check the internet "
        f"connection, then run this cell again (or `pip install {{_spec}}` in a terminal)."
    ) from err"""


def config():
    return yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))


def repository():
    """``(url, branch, ref)`` from ``_config.yml``; ``ref`` is what the setup cell installs."""
    repo = config()["repository"]
    branch = repo.get("branch", "main")
    return repo["url"].rstrip("/"), branch, repo.get("install_ref") or branch


def baseurl():
    """The published site (``html.baseurl``)."""
    return config()["html"]["baseurl"].rstrip("/") + "/"


def executable_pages():
    """The MyST notebooks under book/ (pages with a kernelspec in their front matter)."""
    pages = []
    for md in sorted(BOOK.glob("*.md")):
        text = md.read_text(encoding="utf-8")
        if text.startswith("---") and "kernelspec:" in text.split("\n---", 1)[0]:
            pages.append(md)
    return pages


def _inline_text(tokens, k):
    return "".join(
        c.content for c in tokens[k + 1].children or [] if c.type in ("text", "code_inline")
    )


def book_index():
    """``(titles, labels)``: ``{docname: title}`` and ``{label: (docname, title)}``."""
    titles, labels = {}, {}
    for md in sorted(BOOK.glob("*.md")):
        docname = md.relative_to(REPO).with_suffix("").as_posix()
        tokens = MD.parse(md.read_text(encoding="utf-8").split("\n---\n", 1)[-1])
        pending = None
        for k, tok in enumerate(tokens):
            if tok.type == "myst_target":
                pending = tok.content
            elif tok.type == "heading_open":
                title = _inline_text(tokens, k)
                titles.setdefault(docname, title)
                if pending:
                    labels[pending] = (docname, title)
                pending = None
    return titles, labels


def _clean(nb):
    """Strip outputs and tool-version metadata; number cell ids, so output is stable."""
    nb.metadata.pop("jupytext", None)
    nb.metadata["language_info"] = {"name": "python"}
    for k, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{k}"
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def header_cell(title, md, record, student):
    """Title, link to the page, run time and versions of the site's run."""
    docname = md.relative_to(REPO).with_suffix("").as_posix()
    edition = "Student edition of the page" if student else "Notebook of the page"
    course = config()["title"]
    link = f"[{title}]({baseurl()}{docname}.html)"
    lines = [f"# {title}", "", f"{edition} {link} of the course *{course}*."]
    if record.get("seconds") is not None and record.get("versions"):
        v = record["versions"]
        minutes = max(1, round(record["seconds"] / 60))
        lines += [
            "",
            (
                f"Runs in about {minutes} min on a CPU (measured on the site's build with "
                f"TensorFlow {v['tensorflow']}, Keras {v['keras']} and Python {v['python']}; "
                "a free Colab CPU runtime is similar)."
            ),
        ]
    if record.get("glue"):
        lines += [
            "",
            f"Numbers marked {SITE_MARK} in the text come from that run; yours may differ slightly.",
        ]
    return nbformat.v4.new_markdown_cell("\n".join(lines))


def _cell_lines(text, cells):
    """Line in the page where each cell's source starts (for error messages)."""
    pos, out = 0, []
    for cell in cells:
        k = text.find(cell.source, pos) if cell.source else -1
        out.append(text.count("\n", 0, k) if k >= 0 else 0)
        pos = k if k >= 0 else pos
    return out


def page_notebook(md, student=False, index=None, snapshot=None):
    """The generated notebook of page ``md`` (full, or the student edition)."""
    nb = jupytext.read(md)
    url, branch, ref = repository()
    titles, labels = index or book_index()
    record = (snapshot or site_run.load())["pages"].get(md.stem, {})
    ctx = Context(md, baseurl(), url, branch, record.get("glue", {}), labels, titles, student)
    text = md.read_text(encoding="utf-8")
    cells = code_cells(nb.cells, ctx)
    for cell, line in zip(cells, _cell_lines(text, cells), strict=True):
        if cell.cell_type == "markdown":
            ctx.line = line
            cell.source = lower(cell.source, ctx)
    cells = [c for c in solutions(cells, student) if c.source.strip()]
    title = titles[md.relative_to(REPO).with_suffix("").as_posix()]
    first = cells[0] if cells and cells[0].cell_type == "markdown" else None
    if first is not None and first.source.startswith(f"# {title}"):
        first.source = first.source[len(f"# {title}") :].strip("\n")
    setup = nbformat.v4.new_code_cell(
        SETUP_CELL.format(env=INSTALL_ENV, url=url, ref=ref),
        metadata={"tags": ["colab-setup"], "cellView": "form"},
    )
    head = [header_cell(title, md, record, student), setup]
    if student:
        head.append(student_note(md.stem))
    nb.cells = head + [c for c in cells if c.source.strip()]
    return _clean(nb)


def expected_files(errors=None):
    """``{path: text}`` of every generated notebook.

    With a list ``errors``, a page that cannot be generated adds its message there
    (its notebooks are left as they are) instead of stopping the others.
    """
    files, index, snapshot = {}, book_index(), site_run.load()
    for md in executable_pages():
        editions = [(md.with_suffix(".ipynb"), False)]
        if md.stem in STUDENT_PAGES:
            editions.append((BOOK / "exercises" / f"{md.stem}.ipynb", True))
        for path, student in editions:
            try:
                nb = page_notebook(md, student=student, index=index, snapshot=snapshot)
            except ValueError as err:  # LoweringError and friends name page and line
                if errors is None:
                    raise
                errors.append(str(err))
                files.update(dict.fromkeys((p for p, _ in editions), None))  # keep as they are
                break
            files[path] = nbformat.writes(nb) + "\n"
    return files


def stale(files=None):
    """Generated notebooks whose committed copy differs, plus strays nobody generates."""
    files = expected_files() if files is None else files
    out = [
        p
        for p, text in files.items()
        if text is not None and (not p.is_file() or p.read_text(encoding="utf-8") != text)
    ]
    present = set(BOOK.glob("*.ipynb")) | set((BOOK / "exercises").glob("*.ipynb"))
    return sorted(out + [p for p in present if p not in files])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale notebooks")
    parser.add_argument(
        "--snapshot", nargs="?", const="cache", metavar="FOLDER",
        help="first refresh book/_site_run.json from the book's execution cache "
        "(or from a folder of executed NAME.ipynb)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.snapshot:
        pages = executable_pages()
        records = (
            site_run.from_cache(pages)
            if args.snapshot == "cache"
            else site_run.from_folder(pages, args.snapshot)
        )
        print(f"snapshot: {len(site_run.write(records))} pages from {args.snapshot}")
    errors = []
    files = expected_files(errors)
    for err in errors:
        print(f"error: {err}")
    if args.check:
        bad = stale(files)
        for p in bad:
            print(f"out of date: {p.relative_to(REPO)} (run `nox -s notebooks`)")
        print(f"{len(files) - len(bad)} notebooks up to date, {len(bad)} stale")
        return 1 if bad or errors else 0
    for p in sorted(set(BOOK.glob("*.ipynb")) | set((BOOK / "exercises").glob("*.ipynb"))):
        if p not in files:
            p.unlink()
    for p, text in files.items():
        if text is not None:
            p.parent.mkdir(exist_ok=True)
            p.write_text(text, encoding="utf-8")
            print(f"wrote {p.relative_to(REPO)}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
