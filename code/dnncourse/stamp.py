"""Say which versions executed a page, and when: the last cell of every executable page."""

from __future__ import annotations

import datetime as dt
import platform


def version_stamp(now=None):
    """One sentence naming the TensorFlow, Keras and Python versions and the time (UTC).

    Parameters
    ----------
    now : datetime.datetime, optional
        The time to state; defaults to the current time.

    Returns
    -------
    str
        e.g. ``"Executed with TensorFlow 2.21.0, Keras 3.15.1 and Python 3.11.7 on 2026-11-27 at 13:20 UTC."``
    """
    import keras  # imported here: `import dnncourse` stays light
    import tensorflow as tf

    now = now or dt.datetime.now(dt.timezone.utc)
    return (
        f"Executed with TensorFlow {tf.__version__}, Keras {keras.__version__} and "
        f"Python {platform.python_version()} on {now:%Y-%m-%d} at {now:%H:%M} UTC."
    )


def show_version_stamp():
    """Display :func:`version_stamp` as a small Markdown note in a notebook."""
    from IPython.display import Markdown, display

    display(Markdown(f"*{version_stamp()}*"))
