"""Which Keras backend is here, and one clear error when it is missing.

The course package depends on Keras but on no particular backend, so that
installing it never replaces or duplicates the TensorFlow, ``tensorflow-cpu``,
JAX or PyTorch a learner already has (see the README's install section). The
price is that a fresh environment may have Keras and no backend: then
``import keras`` fails with a bare ``No module named 'tensorflow'``. The functions
here turn that into an error that names the command to run.

:func:`check_backend` only looks (it imports nothing heavy); :func:`import_keras`
and :func:`import_tensorflow` are what the package's functions call instead of
``import keras`` and ``import tensorflow``. Nothing here imports Keras at module
level.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

# Keras' backend names and the module each one imports.
BACKEND_MODULES = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}

# What to run when a backend is missing: the backend alone, since dnncourse itself is
# there (it is not on PyPI: a fresh environment installs it with an extra, see the
# README). tensorflow-cpu: what the course's own build uses on Linux; no GPU code, so
# half the download of tensorflow, and wheels for Linux and Windows on x86-64 only.
INSTALL_HINT = (
    "pip install tensorflow-cpu (Linux and Windows), "
    "pip install tensorflow (macOS, ARM, or to use a GPU) "
    'or pip install "jax[cpu]" (then set KERAS_BACKEND=jax)'
)


# pip in a notebook cell must be %pip: a bare !pip may install into another Python.
IN_A_NOTEBOOK = (
    " (In a notebook cell, write %pip instead of pip: it installs into the kernel's Python.)"
)


class MissingBackendError(ImportError):
    """Keras, or the backend Keras is set to use, is not installed."""


def configured_backend():
    """The backend Keras will load, read as Keras reads it, without importing Keras.

    ``KERAS_BACKEND`` when set; otherwise the ``"backend"`` entry of ``keras.json``
    in ``KERAS_HOME`` (default ``~/.keras``); otherwise ``"tensorflow"``.

    Returns
    -------
    name : str
        e.g. ``"tensorflow"``, ``"jax"`` or ``"torch"``.
    source : str
        Where the name came from, for error messages.
    """
    if os.environ.get("KERAS_BACKEND"):
        return os.environ["KERAS_BACKEND"], "the KERAS_BACKEND environment variable"
    home = Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras")
    config = home / "keras.json"
    try:
        name = json.loads(config.read_text(encoding="utf-8")).get("backend")
    except (OSError, ValueError, AttributeError):
        name = None
    if name:
        return name, str(config)
    return "tensorflow", "Keras' default"


def installed_backends():
    """The Keras backends importable here (found, not imported), e.g. ``["jax"]``."""
    return [name for name, module in BACKEND_MODULES.items() if _importable(module)]


def _importable(module):
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a broken or half-removed install
        return False


def missing_backend_message(name=None, source=None):
    """The error text for a Keras backend ``name`` that is not installed.

    Names where the setting came from, the command that installs a backend, and
    any other backend that is installed here (with how to switch Keras to it).
    """
    if name is None:
        name, source = configured_backend()
    others = [b for b in installed_backends() if b != name]
    text = (
        f"Keras is set to use the {name!r} backend ({source}), but {name!r} is not "
        f"installed in this Python ({_python()}). "
    )
    if others:
        text += (
            f"{others[0]!r} is installed: to use it, set KERAS_BACKEND={others[0]} before "
            f"Keras is imported (in a notebook, run `import os; "
            f'os.environ["KERAS_BACKEND"] = "{others[0]}"` first, then restart the '
            "kernel if Keras was already imported). Or install a backend: "
        )
    else:
        text += "Install a backend for Keras, then restart the kernel: "
    return text + INSTALL_HINT + "." + IN_A_NOTEBOOK


def check_backend():
    """Raise :class:`MissingBackendError` unless Keras and its configured backend are installed.

    Cheap: looks the modules up without importing them.

    Returns
    -------
    str
        The backend Keras will use.
    """
    if not _importable("keras"):
        raise MissingBackendError(
            f"Keras is not installed in this Python ({_python()}). The course needs "
            f"Keras 3 and one backend for it: pip install keras, then {INSTALL_HINT}."
            + IN_A_NOTEBOOK
        )
    name, source = configured_backend()
    module = BACKEND_MODULES.get(name)
    if module is not None and not _importable(module):
        raise MissingBackendError(missing_backend_message(name, source))
    return name


def import_keras():
    """``import keras``, with :class:`MissingBackendError` naming the fix when it cannot.

    Returns
    -------
    module
        The ``keras`` module.
    """
    check_backend()
    try:
        import keras
    except ModuleNotFoundError as err:
        if err.name in BACKEND_MODULES.values() or err.name == "keras":
            raise MissingBackendError(missing_backend_message()) from err
        raise
    return keras


def import_tensorflow(needed_for):
    """``import tensorflow``, for the few helpers that use it directly (``tf.data``, ...).

    Parameters
    ----------
    needed_for : str
        What needs TensorFlow, named in the error, e.g. ``"dnncourse.training.as_dataset"``.

    Returns
    -------
    module
        The ``tensorflow`` module.
    """
    if not _importable("tensorflow"):
        name, _ = configured_backend()
        beside = "" if name == "tensorflow" else f" (Keras keeps using {name!r})"
        raise MissingBackendError(
            f"{needed_for} uses TensorFlow itself, which is not installed in this Python "
            f"({_python()}). Install it{beside}: pip install tensorflow-cpu (Linux and "
            "Windows) or pip install tensorflow (macOS), then restart the kernel." + IN_A_NOTEBOOK
        )
    import tensorflow as tf

    return tf


def _python():
    import sys

    return sys.executable
