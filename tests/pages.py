"""Run a page's own code in the test process: the page is the single source of what it teaches.

:func:`run_page` executes the code cells of ``book/NAME.md`` in order, in one
namespace, skipping the cells tagged ``skip-execution`` (the exercises' blanks), with
the cell tagged ``parameters`` rewritten to the values a test passes (``SEED = 1``).
Hidden cells (``remove-cell``) run too, so the page's own claims are asserted for
the new parameters.  Glued numbers are collected instead of published.  Figures
are drawn with Agg and closed.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import jupytext

REPO = Path(__file__).resolve().parents[1]

# Which Keras backends each page runs on: every page but JAX_PAGES on TensorFlow (the site's build and
# CI), the others as tests/test_backends.py runs them (weekly: nox -s backends); the
# index page's table of backends is checked against these (tests/test_landing.py).
#: The pages that import TensorFlow, and why: they run on TensorFlow only.
TENSORFLOW_PAGES = {
    "gradient_descent": "a hand-written training step with tf.GradientTape",
    "tensorflow_keras": "teaches TensorFlow itself",
    "scaling": "tf.distribute.MirroredStrategy on CPU devices",
    "keras_workflow": "a hidden check asserts TensorFlow's own error names (the mistakes table)",
    "softmax": "a hidden check takes the gradient with tf.GradientTape",
}
#: Pages that cannot run on one backend, and why (the other backends run them).
NOT_ON = {
    "torch": {
        "mnist": "its compile passes steps_per_execution=50 and 8, which Keras' PyTorch backend "
        "refuses (1 only); the MNIST solution and challenge themselves run on PyTorch with 1",
    },
}
#: The pages that run Keras on JAX whatever the backend in use, and why; each sets
#: KERAS_BACKEND (and JAX's devices) in its first cell, so it runs in a fresh Python.
JAX_PAGES = {"distribution": "keras.distribution's DataParallel is implemented for JAX"}


def probe_page(code):
    """A one-cell page in the book's MyST format: its front matter, ``# Probe``, and a code cell
    of ``code`` (for the tests that build a book of their own)."""
    return f"""\
---
kernelspec: {{display_name: Python 3, language: python, name: python3}}
jupytext: {{text_representation: {{format_name: myst}}}}
---
# Probe

```{{code-cell}} ipython3
{code}
```
"""


class PageRun(dict):
    """The page's namespace after the run; ``.glued`` maps each glued name to its value,
    ``.stdout`` holds what the cells printed, ``.cells`` the sources that ran."""

    glued: dict
    stdout: str
    cells: list


def _set_parameters(source, params):
    """``source`` with each ``NAME = ...`` line of ``params`` replaced by ``NAME = value``."""
    for name, value in params.items():
        pattern = re.compile(rf"^{re.escape(name)}\s*=.*$", re.MULTILINE)
        if not pattern.search(source):
            raise KeyError(f"the parameters cell sets no {name}: {source!r}")
        source = pattern.sub(f"{name} = {value!r}", source, count=1)
    return source


def page_cells(name):
    """The code cells of ``book/NAME.md`` as jupytext reads them (nbformat cells)."""
    nb = jupytext.read(REPO / "book" / f"{name}.md")
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def run_page(name, *, until=None, **params):
    """Execute the page's code cells; return its namespace as a :class:`PageRun`.

    Parameters
    ----------
    name : str
        Page stem, ``book/NAME.md``.
    until : str, optional
        Stop after the first cell whose source contains this text.
    **params
        Values for the assignments of the cell tagged ``parameters``.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import myst_nb

    glued = {}

    def record(key, value, display=True):
        glued[key] = value

    namespace = PageRun(__name__="__page__")
    ran, out = [], io.StringIO()
    real_glue, real_show = myst_nb.glue, plt.show
    myst_nb.glue, plt.show = record, lambda *a, **k: plt.close("all")
    seen_parameters = False
    try:
        for k, cell in enumerate(page_cells(name)):
            tags = cell.metadata.get("tags", [])
            if "skip-execution" in tags:
                continue
            source = cell.source
            if "parameters" in tags:
                source, seen_parameters = _set_parameters(source, params), True
            with contextlib.redirect_stdout(out):
                # the page is the source under test: run its own code, as a kernel would
                exec(compile(source, f"<{name}.md code cell {k}>", "exec"), namespace)  # noqa: S102
            ran.append(source)
            if until is not None and until in source:
                break
    finally:
        myst_nb.glue, plt.show = real_glue, real_show
        plt.close("all")
    if params and not seen_parameters:
        raise KeyError(f"book/{name}.md has no cell tagged 'parameters' to set {sorted(params)}")
    namespace.glued, namespace.stdout, namespace.cells = glued, out.getvalue(), ran
    return namespace
