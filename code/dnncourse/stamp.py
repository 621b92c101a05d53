"""Say which versions executed a page, and when: the last cell of every executable page."""

from __future__ import annotations

import datetime as dt
import platform

from ._args import Arguments, describe


def version_stamp(now=None):
    """One sentence naming the backend (TensorFlow), Keras and Python versions and the time (UTC).

    Parameters
    ----------
    now : datetime.datetime, optional
        The time to state, with its time zone (it is stated in UTC); defaults to
        the current time.

    Returns
    -------
    str
        e.g. ``"Executed with TensorFlow 2.21.0, Keras 3.15.1 and Python 3.11.7 on 2026-11-27 at 13:20 UTC."``

    Raises
    ------
    TypeError, ValueError
        When ``now`` is not a ``datetime.datetime`` with a time zone (checked
        before Keras is imported).
    """
    if now is not None:
        if not isinstance(now, dt.datetime):
            Arguments("version_stamp").fail(
                "now", "a datetime.datetime or None", describe(now),
                "Pass e.g. now=datetime.datetime.now(datetime.timezone.utc).", TypeError,
            )  # fmt: skip
        if now.tzinfo is None or now.utcoffset() is None:
            Arguments("version_stamp").fail(
                "now", "a datetime with a time zone (the stamp states UTC)",
                f"{now.isoformat()} without one",
                "Pass e.g. now=datetime.datetime.now(datetime.timezone.utc).",
            )  # fmt: skip
        now = now.astimezone(dt.timezone.utc)
    import importlib

    from dnncourse.backend import import_keras

    keras = import_keras()  # imported here: `import dnncourse` stays light
    # The backend Keras runs on: TensorFlow for the site, JAX or PyTorch on a learner's machine.
    backend = keras.backend.backend()
    engine = importlib.import_module(backend)
    name = {"tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch"}.get(backend, backend)
    now = now or dt.datetime.now(dt.timezone.utc)
    return (
        f"Executed with {name} {engine.__version__}, Keras {keras.__version__} and "
        f"Python {platform.python_version()} on {now:%Y-%m-%d} at {now:%H:%M} UTC."
    )


def show_version_stamp():
    """Display :func:`version_stamp` as a small Markdown note in a notebook."""
    from IPython.display import Markdown, display

    display(Markdown(f"*{version_stamp()}*"))
