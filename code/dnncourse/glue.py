"""Glue a computed number into a page's text, wherever the page runs.

At build time this is myst-nb's ``glue``: the value is stored under ``name`` and
the prose cites it by name with myst-nb's ``glue:text`` role. In Colab, Binder or plain Jupyter
there is no page to glue into and myst-nb is usually not installed: the call then
only displays the value when asked to, so the notebooks run everywhere.
"""

from __future__ import annotations

import math
import numbers
import re

import numpy as np

from ._args import Arguments, describe


def glue(name, value, display=True):
    """Store ``value`` under ``name`` for the page's text (see module docstring).

    Parameters
    ----------
    name : str
        Key used in the prose, unique across the book: letters, digits, ``_``,
        ``-`` and ``.`` (a ``:`` would end the key in ``{glue:text}`name:.3f```).
    value : int or float
        A finite number; a NumPy scalar or 0-d array is glued as the Python number
        it holds (its repr, ``np.float64(0.5)``, would not format in the prose).
    display : bool
        Also show the value in the cell's output.

    Raises
    ------
    TypeError, ValueError
        When ``name`` is not such a key, ``value`` is not a finite number (text
        renders with quotes; NaN or infinity is no claim for the prose), or
        ``display`` is not a bool.
    """
    door = Arguments("glue")
    name = door.text("name", name, example="reg_n_train")
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        door.fail("name", "a key of letters, digits, '_', '-' and '.'", repr(name),
                  "Pass e.g. name='reg_n_train'.")  # fmt: skip
    if hasattr(value, "__array__") and not isinstance(value, numbers.Number):
        array = np.asarray(value)  # a 0-d array or tensor holds one number: glue that
        if array.ndim == 0 and array.dtype.kind in "iuf":
            value = array.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        door.fail("value", "a number (int or float)", describe(value),
                  "Glue the number itself and format it in the prose, e.g. "
                  "{glue:text}`name:.3f`; convert a one-element array with float(...).",
                  TypeError)  # fmt: skip
    value = int(value) if isinstance(value, numbers.Integral) else float(value)
    if not math.isfinite(value):
        door.fail("value", "a finite number", describe(value),
                  "Check the computation (a run that diverged?): the prose cannot state it.")  # fmt: skip
    display = door.boolean("display", display)
    try:
        from myst_nb import glue as myst_glue
    except ImportError:  # Colab, Binder, plain Jupyter: nothing to glue into
        if display:
            from IPython.display import display as show

            show(value)
        return
    myst_glue(name, value, display=display)
