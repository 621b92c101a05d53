"""Glue a computed number into a page's text, wherever the page runs.

At build time this is myst-nb's ``glue``: the value is stored under ``name`` and
the prose cites it by name with myst-nb's ``glue:text`` role. In Colab, Binder or plain Jupyter
there is no page to glue into and myst-nb is usually not installed: the call then
only displays the value when asked to, so the notebooks run everywhere.
"""

from __future__ import annotations


def glue(name, value, display=True):
    """Store ``value`` under ``name`` for the page's text (see module docstring).

    Parameters
    ----------
    name : str
        Key used in the prose, unique across the book.
    value : int or float
        A number (myst-nb renders glued strings with quotes).
    display : bool
        Also show the value in the cell's output.
    """
    try:
        from myst_nb import glue as myst_glue
    except ImportError:  # Colab, Binder, plain Jupyter: nothing to glue into
        if display:
            from IPython.display import display as show

            show(value)
        return
    myst_glue(name, value, display=display)
