"""Sphinx extension of the course.

- The page's "download .ipynb" button serves the executed notebook, with outputs,
  also when the page came from the execution cache (myst-nb then writes it
  without outputs): after the build, the outputs are merged back in from the
  jupyter-cache.
- The download button serves the same notebook that Colab and Binder open (the
  generated ``book/NAME.ipynb``, see tools/notebooks.py), with the outputs of the
  site's run mapped onto it cell by cell and glue data left out; a tutorial's
  download menu also offers its student edition (``book/exercises/NAME.ipynb``).
- The role ``{colab}`path/to/notebook.ipynb``` links to a notebook of the
  repository in Colab, built from ``repository.url`` and ``branch`` in
  ``_config.yml`` (the one place that names them).
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)


def _repo_parts(config):
    opts = config.html_theme_options or {}
    url = opts.get("repository_url", "").rstrip("/")
    branch = opts.get("repository_branch", "main") or "main"
    return url, branch


def colab_url(config, path):
    """Colab URL of ``path`` (relative to the repository root) at the configured branch."""
    url, branch = _repo_parts(config)
    repo = url.removeprefix("https://github.com/")
    return f"https://colab.research.google.com/github/{repo}/blob/{branch}/{path}"


def colab_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{colab}`Open the exercise in Colab <book/exercises/regression.ipynb>```."""
    env = inliner.document.settings.env
    title, _, target = text.partition("<")
    target = target.rstrip(">").strip() if target else text.strip()
    title = title.strip() if target != text.strip() else f"Open {target} in Colab"
    if not (Path(env.srcdir) / target).is_file():
        msg = inliner.reporter.warning(
            f"colab: no notebook {target!r} in the repository", line=lineno
        )
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    ref = nodes.reference(rawtext, title, refuri=colab_url(env.config, target))
    return [ref], []


def merge_cached_outputs(app, exception):
    """Give every downloadable notebook in ``_sources`` its outputs from the cache."""
    if exception is not None or app.builder.format != "html":
        return
    import nbformat
    from jupyter_cache import get_cache

    cache_path = Path(
        app.config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache"
    )
    if not cache_path.is_dir():
        return
    cache = get_cache(cache_path)
    for ipynb in sorted(Path(app.outdir, "_sources").rglob("*.ipynb")):
        if "exercises" in ipynb.parts:
            continue  # student editions, copied in by serve_generated_notebooks: never executed
        nb = nbformat.read(ipynb, as_version=4)
        try:
            _, merged = cache.merge_match_into_notebook(nb)
        except KeyError:
            logger.warning(f"{ipynb.name}: no executed copy in the cache; download has no outputs")
            continue
        nbformat.write(merged, ipynb)


def _generated(srcdir, docname, student=False):
    folder = Path(srcdir) / Path(docname).parent
    path = folder / ("exercises" if student else "") / f"{Path(docname).name}.ipynb"
    return path if path.is_file() else None


def serve_generated_notebooks(app, exception):
    """Replace each page's download by its generated notebook, with the site's outputs."""
    if exception is not None or app.builder.format != "html":
        return
    import shutil

    import nbformat

    sources = Path(app.outdir, "_sources")
    for ipynb in sorted(sources.rglob("*.ipynb")):
        docname = ipynb.relative_to(sources).with_suffix("").as_posix()
        generated = _generated(app.srcdir, docname)
        if generated is None or "exercises" in ipynb.parts:
            continue
        executed = nbformat.read(ipynb, as_version=4)
        outputs = [c.get("outputs", []) for c in executed.cells if c.cell_type == "code"]
        nb = nbformat.read(generated, as_version=4)
        for cell in nb.cells:
            k = cell.metadata.get("dnncourse", {}).get("page_cell")
            if cell.cell_type == "code" and k is not None and k < len(outputs):
                # Glue data is for the site's text; a notebook shows the numbers inline.
                cell.outputs = [o for o in outputs[k] if "scrapbook" not in o.get("metadata", {})]
        nbformat.write(nb, ipynb)
        student = _generated(app.srcdir, docname, student=True)
        if student is not None:
            target = sources / Path(docname).parent / "exercises" / student.name
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(student, target)


def add_student_download(app, pagename, templatename, context, doctree):
    """Offer a tutorial's student edition in its page's download menu."""
    student = _generated(app.srcdir, pagename, student=True)
    if student is None:
        return
    parent = Path(pagename).parent.as_posix()
    url = f"{context['pathto']('_sources', 1)}/{parent}/exercises/{student.name}"
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"].insert(
                1,
                {
                    "type": "link",
                    "url": url,
                    "text": ".ipynb (student edition)",
                    "icon": "fas fa-pencil",
                    "tooltip": "Download the student edition: blanks, no solutions",
                    "label": "download-student-notebook-button",
                },
            )


def setup(app):
    app.add_role("colab", colab_role)
    app.connect("build-finished", merge_cached_outputs)
    # After the merge above (same event, later priority): the outputs are in place.
    app.connect("build-finished", serve_generated_notebooks, priority=900)
    # After sphinx-book-theme builds its header buttons (priority 501).
    app.connect("html-page-context", add_student_download, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
