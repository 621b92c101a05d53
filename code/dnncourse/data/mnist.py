"""The MNIST digits: the loader, its checks, and the CNN-ready arrays.

:func:`load_mnist` reads ``mnist.npz`` from ``$DNNCOURSE_DATA_DIR`` or lets
Keras download it; :func:`prepare` turns the uint8 digits into a CNN's input;
:func:`load_prepared` does both and holds out a validation set.  Keras is
imported inside the functions.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import numpy as np

from ._files import ENV_VAR, locate, read_bytes

MNIST_SHAPES = {
    "x_train": (60000, 28, 28),
    "y_train": (60000,),
    "x_test": (10000, 28, 28),
    "y_test": (10000,),
}

#: Training images held out for validation: the last 5,000 of the 60,000.
N_VAL = 5000


def check_mnist_arrays(arrays, source):
    """Validate MNIST arrays in Keras' layout; ``source`` names them in errors.

    Parameters
    ----------
    arrays : mapping
        Must hold ``x_train`` (60000, 28, 28), ``y_train`` (60000,),
        ``x_test`` (10000, 28, 28), ``y_test`` (10000,), all uint8, labels 0..9.

    Raises
    ------
    ValueError
        Saying which key, shape, dtype or label is wrong.
    """
    fix = (
        "Use the mnist.npz that keras.datasets.mnist.load_data() downloads "
        "(keys x_train, y_train, x_test, y_test)."
    )
    missing = [k for k in MNIST_SHAPES if k not in arrays]
    if missing:
        raise ValueError(
            f"{source}: expected arrays {', '.join(MNIST_SHAPES)}, missing {', '.join(missing)} "
            f"(found {', '.join(sorted(arrays)) or 'none'}). {fix}"
        )
    for key, shape in MNIST_SHAPES.items():
        a = arrays[key]
        if a.shape != shape or a.dtype != np.uint8:
            raise ValueError(
                f"{source}: expected {key} of shape {shape} and dtype uint8, "
                f"got shape {a.shape} and dtype {a.dtype}. {fix}"
            )
    for key in ("y_train", "y_test"):
        if arrays[key].max() > 9:
            raise ValueError(
                f"{source}: expected {key} labels 0..9, got a maximum of "
                f"{int(arrays[key].max())}. {fix}"
            )
    absent = np.flatnonzero(np.bincount(arrays["y_train"], minlength=10) == 0)
    if absent.size:
        raise ValueError(
            f"{source}: expected y_train to hold every digit 0..9, got none of "
            f"{', '.join(map(str, absent))}. {fix}"
        )


# What numpy and zipfile raise on a damaged archive: the zip directory, a member's
# compressed data or its .npy header can each be cut short or garbled.
NPZ_ERRORS = (
    OSError, ValueError, EOFError, KeyError, TypeError, RuntimeError,
    NotImplementedError, zipfile.BadZipFile, zlib.error, struct.error,
)  # fmt: skip


def read_npz(path, fix):
    """Every array in the ``.npz`` archive ``path``, or one clear error.

    Parameters
    ----------
    path : pathlib.Path
    fix : str
        What the reader should do about a damaged file.

    Returns
    -------
    dict of str to ndarray

    Raises
    ------
    FileNotFoundError
        When the file is missing, a folder, a broken link or unreadable.
    ValueError
        When it is empty, a single ``.npy`` array, not a zip archive, or damaged.
    """
    raw = read_bytes(path, fix)
    if not raw:
        problem = "the file is empty (0 bytes; an interrupted copy or download?)"
    elif raw.startswith(b"\x93NUMPY"):
        problem = (
            "expected an .npz archive of named arrays, got a single .npy array "
            "(written by np.save, not np.savez)"
        )
    elif not raw.startswith(b"PK"):
        problem = f"expected an .npz (zip) archive, got a file starting with {raw[:8]!r}"
    else:
        try:
            with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
                return {key: npz[key] for key in npz.files}
        except NPZ_ERRORS as err:
            if "allow_pickle" in str(err):
                problem = (
                    "expected arrays of numbers, got an array of Python objects, which would "
                    "need unpickling (not done: unpickling a file can run any code)"
                )
            else:
                problem = (
                    "expected an .npz archive, got a damaged one (cut short or garbled: "
                    f"{type(err).__name__}: {err})"
                )
    raise ValueError(f"{path}: {problem}. {fix}")


def load_mnist():
    """The MNIST digits, 60,000 for training and 10,000 for testing.

    Reads ``mnist.npz`` from ``$DNNCOURSE_DATA_DIR`` when that folder holds one
    (a local copy, e.g. on a machine without network); otherwise calls
    ``keras.datasets.mnist.load_data()``, which downloads it once and caches it
    in ``~/.keras/datasets/``. :func:`dnncourse.data.sources` says which.

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        ``x_train`` (60000, 28, 28) uint8 pixel values 0..255, ``y_train``
        (60000,) uint8 labels 0..9; test arrays with 10000 rows.

    Raises
    ------
    FileNotFoundError, ValueError
        Naming the file (or the download), the problem and the fix.
    """
    source = locate("mnist")
    (path,) = source.paths
    if source.origin == "keras":
        arrays = _keras_mnist(path)
        check_mnist_arrays(arrays, f"keras.datasets.mnist.load_data() ({path})")
    else:
        fix = (
            "Replace it with Keras' mnist.npz (keras.datasets.mnist.load_data() downloads "
            f"it into ~/.keras/datasets/), or remove it from {ENV_VAR} to let Keras "
            "download it."
        )
        arrays = read_npz(path, fix)
        check_mnist_arrays(arrays, path)
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def _keras_load_data():
    """``keras.datasets.mnist.load_data()``; the one place this module imports Keras."""
    import keras  # imported here so that `import dnncourse` stays light

    return keras.datasets.mnist.load_data()


def _keras_mnist(path):
    """MNIST through Keras' download and cache (``path``), every failure named."""
    try:
        (x_train, y_train), (x_test, y_test) = _keras_load_data()
    except Exception as err:  # noqa: BLE001 (Keras raises a plain Exception on a failed download)
        if path.is_file():  # downloaded once, now unreadable: fetch it again
            raise ValueError(
                f"{path}: Keras' cached copy of MNIST is damaged ({type(err).__name__}: "
                f"{err}). Delete it, and Keras downloads it again."
            ) from None
        raise FileNotFoundError(
            f"{path}: Keras could not download MNIST ({type(err).__name__}: {err}). "
            f"Connect to the internet, or copy mnist.npz into a folder and set {ENV_VAR} "
            "to that folder."
        ) from None
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


def prepare(X):
    """Scale uint8 digits to [0, 1] and add the channel axis a Conv2D expects.

    Parameters
    ----------
    X : ndarray, shape (n, 28, 28), uint8 pixel values 0..255

    Returns
    -------
    ndarray, shape (n, 28, 28, 1), float32 values in [0, 1]
    """
    X = np.asarray(X)
    if X.ndim != 3 or X.shape[1:] != (28, 28):
        raise ValueError(f"expected digits of shape (n, 28, 28), got {X.shape}")
    return (X.astype(np.float32) / 255.0)[..., np.newaxis]


def load_prepared(n_val=N_VAL):
    """MNIST ready for a CNN, with a validation set held out from the training data.

    Parameters
    ----------
    n_val : int
        How many of the last training images become the validation set
        (0 for none: then ``X_val`` and ``y_val`` are empty).

    Returns
    -------
    (X_train, y_train), (X_val, y_val), (X_test, y_test)
        ``X_*`` float32 of shape (n, 28, 28, 1) in [0, 1]; ``y_*`` uint8 labels
        0..9 of shape (n,). Sizes 60000 - n_val, n_val and 10000.
    """
    (X, y), (X_test, y_test) = load_mnist()
    X = prepare(X)
    cut = len(X) - n_val
    return (X[:cut], y[:cut]), (X[cut:], y[cut:]), (prepare(X_test), y_test)
