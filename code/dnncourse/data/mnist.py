"""The MNIST digits: the loader, its checks, and the CNN-ready arrays.

:func:`load_mnist` reads ``mnist.npz`` from ``$DNNCOURSE_DATA_DIR`` or lets
Keras download it; :func:`prepare` turns the uint8 digits into a CNN's input;
:func:`load_prepared` does both and holds out a validation set.  Keras is
imported inside the functions.
"""

from __future__ import annotations

import os

import numpy as np

from ._files import ENV_VAR, data_dir_override

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


def load_mnist():
    """The MNIST digits, 60,000 for training and 10,000 for testing.

    Reads ``mnist.npz`` from ``$DNNCOURSE_DATA_DIR`` when that variable is set
    (a local copy, e.g. on a machine without network); otherwise calls
    ``keras.datasets.mnist.load_data()``, which downloads and caches it.

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        ``x_train`` (60000, 28, 28) uint8 pixel values 0..255, ``y_train``
        (60000,) uint8 labels 0..9; test arrays with 10000 rows.
    """
    folder = data_dir_override()
    if folder is None:
        import keras  # imported here so that `import dnncourse` stays light

        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
        arrays = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
        check_mnist_arrays(arrays, "keras.datasets.mnist.load_data()")
    else:
        path = folder / "mnist.npz"
        if not path.is_file():
            raise FileNotFoundError(
                f"{path} not found: {ENV_VAR}={os.environ[ENV_VAR]!r} is set, so MNIST is "
                "read from that folder. Put Keras' mnist.npz there, or unset "
                f"{ENV_VAR} to let Keras download it."
            )
        try:
            with np.load(path, allow_pickle=False) as npz:
                arrays = {k: npz[k] for k in npz.files}
        except (OSError, ValueError) as err:
            raise ValueError(
                f"{path}: expected a NumPy .npz archive, could not read it ({err}). "
                "Replace it with Keras' mnist.npz."
            ) from None
        check_mnist_arrays(arrays, path)
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


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
