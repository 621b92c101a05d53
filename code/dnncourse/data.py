"""Loaders for the course's three data sets.

Each loader returns NumPy arrays ``(X_train, y_train), (X_test, y_test)``:

================  ===================  ================  ===============  =============
loader            X_train              y_train           X_test           y_test
================  ===================  ================  ===============  =============
load_regression   (100, 2) float64     (100,) float64    (40, 2)          (40,)
load_iris         (120, 4) float64     (120,) int64      (30, 4)          (30,)
load_mnist        (60000, 28, 28) u8   (60000,) uint8    (10000, 28, 28)  (10000,)
================  ===================  ================  ===============  =============

Every problem with a file raises one ``FileNotFoundError`` or ``ValueError``
that names the file and says how to fix it; no loader ever writes a file.
"""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path

import numpy as np

from .make_data import IRIS_CLASSES, IRIS_FEATURES
from .paths import ENV_VAR, data_dir_override, find_data_file

MNIST_SHAPES = {
    "x_train": (60000, 28, 28),
    "y_train": (60000,),
    "x_test": (10000, 28, 28),
    "y_test": (10000,),
}


def read_csv(path, header):
    """Read a numeric CSV file with a known header.

    Parameters
    ----------
    path : path-like
    header : sequence of str
        The expected column names; every row must have ``len(header)`` cells.

    Returns
    -------
    ndarray, shape (n_rows, len(header)), float64

    Raises
    ------
    ValueError
        Naming the file and line: wrong header, wrong column count, a cell that
        is not a number, NaN or infinity, or no data rows.
    """
    path = Path(path)
    fix = "Restore the file from the course repository, or fix that line."
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if not rows or [c.strip() for c in rows[0]] != list(header):
        got = rows[0] if rows else "an empty file"
        raise ValueError(f"{path}: expected header {','.join(header)!r}, got {got!r}. {fix}")
    values = []
    for line_no, row in enumerate(rows[1:], start=2):
        if not row:
            continue  # a trailing blank line is harmless
        if len(row) != len(header):
            raise ValueError(
                f"{path}, line {line_no}: expected {len(header)} columns "
                f"({','.join(header)}), got {len(row)}. {fix}"
            )
        parsed = []
        for column, cell in zip(header, row, strict=True):
            try:
                value = float(cell)
            except ValueError:
                raise ValueError(
                    f"{path}, line {line_no}, column {column!r}: expected a number, "
                    f"got {cell!r}. {fix}"
                ) from None
            if not math.isfinite(value):
                raise ValueError(
                    f"{path}, line {line_no}, column {column!r}: expected a finite "
                    f"number, got {cell!r} (missing values are not allowed). {fix}"
                )
            parsed.append(value)
        values.append(parsed)
    if not values:
        raise ValueError(f"{path}: expected data rows after the header, got none. {fix}")
    return np.asarray(values, dtype=np.float64)


def _load_split(stem, header):
    """``[(path, table), (path, table)]`` for the train and test files of ``stem``."""
    paths = [find_data_file(f"{stem}_{part}.csv") for part in ("train", "test")]
    return [(path, read_csv(path, header)) for path in paths]


def load_regression():
    """The regression tutorial's data: 2 inputs, 1 output.

    Points ``(x1, x2)`` in the unit square, target ``y`` from
    :func:`dnncourse.make_data.regression_surface` plus Gaussian noise with
    sigma = :data:`dnncourse.make_data.NOISE_SIGMA`.

    Returns
    -------
    (X_train, y_train), (X_test, y_test)
        ``X_train`` (100, 2), ``y_train`` (100,), ``X_test`` (40, 2), ``y_test`` (40,).
    """
    (_, train), (_, test) = _load_split("regression", ("x1", "x2", "y"))
    return (train[:, :2], train[:, 2]), (test[:, :2], test[:, 2])


def load_iris():
    """Fisher's iris data, split 120/30 with every class in proportion.

    Returns
    -------
    (X_train, y_train), (X_test, y_test)
        ``X_*`` of shape (n, 4): sepal length, sepal width, petal length, petal
        width in cm; ``y_*`` of shape (n,), int64 labels 0, 1, 2 for
        setosa, versicolor, virginica (:data:`dnncourse.make_data.IRIS_CLASSES`).
    """
    out = []
    for path, table in _load_split("iris", (*IRIS_FEATURES, "label")):
        labels = table[:, 4]
        bad = (labels != np.round(labels)) | (labels < 0) | (labels >= len(IRIS_CLASSES))
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"{path}, line {row + 2}: expected a label "
                f"0, 1 or 2 ({', '.join(IRIS_CLASSES)}), got {labels[row]:g}. "
                "Restore the file from the course repository, or fix that line."
            )
        out.append((table[:, :4], labels.astype(np.int64)))
    return tuple(out)


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
