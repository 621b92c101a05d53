"""Generate the Jupyter notebooks that Colab, Binder and downloads open.

For every executable page ``book/NAME.md`` (a MyST Markdown notebook) this writes
``book/NAME.ipynb`` beside it, and for each tutorial a student edition
``book/exercises/NAME.ipynb``. A notebook is the page as plain Jupyter: a header
cell (title, link to the page, the run time measured with Colab's versions by
``nox -s colab`` in ``book/_colab_run.json``, the versions of the site's run), a
collapsed setup cell, then the page's cells with MyST lowered to Markdown
(tools/myst_lower.py), glued values replaced by the site's numbers
(tools/site_run.py) and plumbing removed (tools/nb_cells.py). The files are
committed (Colab and Binder open them from the repository) and excluded from the
Sphinx build. Never edit them by hand:

    nox -s notebooks                     # regenerate all
    nox -s notebooks -- --check          # exit 1 when any is out of date
    nox -s notebooks -- --snapshot       # after `nox -s book`: refresh the site's numbers

A test runs the check, so a page edited without regenerating fails CI.

Why not sphinx-tojupyter (QuantEcon's route, tried on this book): it writes one
notebook per Sphinx document with no header cell, setup cell or student edition,
and stamps each with its build time, so ``--check`` could not be byte-stable.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import jupytext
import nbformat
import site_run
import yaml
from myst_lower import MD, SITE_MARK, Context, lower
from nb_cells import code_cells
from setup_cell import setup_cell_source
from student import STUDENT_PAGES, solutions, student_note

REPO = Path(__file__).resolve().parents[1]
BOOK = REPO / "book"


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
    nb.metadata.pop("dnncourse", None)  # read by page_notebook; nothing for Jupyter
    nb.metadata["language_info"] = {"name": "python"}
    for k, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{k}"
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


COLAB_RUN = BOOK / "_colab_run.json"  # written by `nox -s colab` (tools/run_notebooks.py)


def colab_run():
    """The committed times of ``nox -s colab``: ``{"runtime", "cpus", "notebooks"}``."""
    if not COLAB_RUN.is_file():
        return {"notebooks": {}}
    return json.loads(COLAB_RUN.read_text(encoding="utf-8"))


def about(seconds):
    """A measured duration as the header says it: "about 25 s", "about 1.5 min"."""
    if seconds < 57.5:  # to 5 s, halves up
        return f"about {max(5, 5 * int(seconds / 5 + 0.5))} s"
    return f"about {max(1, int(seconds / 30 + 0.5) / 2):g} min"  # to half a minute


def run_time_line(colab, key, student):
    """The header's sentence on run time and runtime, from ``colab``; ``None`` if unmeasured."""
    entry = colab.get("notebooks", {}).get(key)
    rt = colab.get("runtime", {})
    if not entry or "python" not in rt:
        return None
    tf = rt.get("tensorflow") or rt.get("tensorflow-cpu")
    what = "With every exercise solved, Run all takes" if student else "Run all takes"
    beside = " two notebooks at a time," if entry.get("jobs", 1) > 1 else ""
    cpus = f"{colab['cpus']}-core " if colab.get("cpus") else ""
    return (
        f"{what} {about(entry['seconds'])} on a CPU: measured on {entry['date']} on a "
        f"{cpus}machine,{beside} with the versions of Google Colab's runtime (Python "
        f"{'.'.join(rt['python'].split('.')[:2])}, TensorFlow {tf}, Keras {rt.get('keras')}, "
        f"NumPy {rt.get('numpy')})."
    )


def header_cell(title, md, record, student, colab=None):
    """Title, link to the page, measured run time and runtime, versions of the site's run.

    ``colab`` defaults to the committed ``book/_colab_run.json``.
    """
    docname = md.relative_to(REPO).with_suffix("").as_posix()
    edition = "Student edition of the page" if student else "Notebook of the page"
    course = config()["title"]
    link = f"[{title}]({baseurl()}{docname}.html)"
    lines = [f"# {title}", "", f"{edition} {link} of the course *{course}*."]
    key = f"exercises/{md.stem}" if student else md.stem
    if line := run_time_line(colab_run() if colab is None else colab, key, student):
        lines += ["", line]
    if record.get("glue"):
        v = record.get("versions")
        build = (
            f" (TensorFlow {v['tensorflow']}, Keras {v['keras']}, Python {v['python']})"
            if v
            else ""
        )
        mark = f"Numbers marked {SITE_MARK} in the text come from the site's build{build}"
        lines += ["", f"{mark}; yours may differ slightly."]
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
    # a page that runs on one backend only names it in its front matter (dnncourse: backend:)
    backend = nb.metadata.get("dnncourse", {}).get("backend", "tensorflow")
    setup = nbformat.v4.new_code_cell(
        setup_cell_source(url, ref, backend),
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
