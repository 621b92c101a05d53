"""Sphinx extension of the course.

- The page's "download .ipynb" button serves the executed notebook, with outputs,
  also when the page came from the execution cache (myst-nb then writes it
  without outputs): after the build, the outputs are merged back in from the
  jupyter-cache.
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
        nb = nbformat.read(ipynb, as_version=4)
        try:
            _, merged = cache.merge_match_into_notebook(nb)
        except KeyError:
            logger.warning(f"{ipynb.name}: no executed copy in the cache; download has no outputs")
            continue
        nbformat.write(merged, ipynb)


def setup(app):
    app.add_role("colab", colab_role)
    app.connect("build-finished", merge_cached_outputs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
