"""The MNIST digits: the loader, its checks, and the CNN-ready arrays.

:func:`load_mnist` reads ``mnist.npz`` from ``$DNNCOURSE_DATA_DIR`` or lets
Keras download it; :func:`prepare` turns the uint8 digits into a CNN's input;
:func:`load_prepared` does both and holds out a validation set.  Keras is
imported inside the functions.
"""

from __future__ import annotations

import math
import os
import struct
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from dnncourse.backend import import_keras

from .._args import NUMERIC, Arguments, describe, number
from ._files import ENV_VAR, locate, open_file

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
    TypeError
        When ``arrays`` is not a mapping or ``source`` not a str or path.
    ValueError
        Saying which key, shape, dtype or label is wrong.
    """
    door = Arguments("check_mnist_arrays")
    if not isinstance(arrays, Mapping):
        door.fail("arrays", "a mapping of names to arrays (dict or np.load(...) result)",
                  describe(arrays), "Pass e.g. dict(np.load('mnist.npz')).", TypeError)  # fmt: skip
    if not isinstance(source, (str, os.PathLike)):
        door.fail("source", "a str or path naming where the arrays came from",
                  describe(source), "Pass e.g. source='mnist.npz'.", TypeError)  # fmt: skip
    fix = (
        "Use the mnist.npz that keras.datasets.mnist.load_data() downloads "
        "(keys x_train, y_train, x_test, y_test)."
    )
    arrays = {
        k: door.array(f"arrays[{k!r}]", v, kinds=NUMERIC + "OUSVcMm", finite=False)
        for k, v in arrays.items() if k in MNIST_SHAPES
    } | {k: None for k in arrays if k not in MNIST_SHAPES}  # fmt: skip
    missing = [k for k in MNIST_SHAPES if k not in arrays]
    if missing:
        raise ValueError(
            f"{source}: expected arrays {', '.join(MNIST_SHAPES)}, got "
            f"{', '.join(sorted(map(str, arrays))) or 'none'} (missing {', '.join(missing)}). {fix}"
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


#: The most data :func:`read_npz` reads for one array when not told what to expect:
#: MNIST's largest member is 47 MB; gigabytes would end a Colab kernel.
MAX_MEMBER_BYTES = 256 * 2**20


class NpzError(ValueError):
    """A refused ``.npz`` archive; the message names the file, the problem and the fix."""


def read_npz(path, fix, expected=None):
    """The arrays of the ``.npz`` archive ``path``, read member by member, or one clear error.

    Only what is needed is read, and nothing is allocated for an array before
    its ``.npy`` header (shape, dtype) has been checked: against ``expected``,
    and against the size the zip declares for the member. A small file that
    declares a huge array, or an unused huge member, costs nothing.

    Parameters
    ----------
    path : str or pathlib.Path
    fix : str
        What the reader should do about a damaged file.
    expected : mapping of str to (tuple, dtype), optional
        The members to read, each with its shape and dtype; the others are never
        unpacked. Default: every ``.npy`` member, each at most
        :data:`MAX_MEMBER_BYTES` of data.

    Returns
    -------
    dict of str to ndarray
        Writable arrays, as ``np.load`` gives them.

    Raises
    ------
    FileNotFoundError
        When the file is missing, a folder, a broken link or unreadable.
    ValueError
        When it is empty, a single ``.npy`` array, not a zip archive, damaged,
        lacks an expected member, or a member's header declares another shape or
        dtype, an array of Python objects, more data than the member holds, or
        (without ``expected``) more than :data:`MAX_MEMBER_BYTES`.
    TypeError
        When ``path`` is not a path or ``fix`` not a str.
    """
    door = Arguments("read_npz")
    path = Path(door.path("path", path))
    fix = door.text("fix", fix, example="Replace it.")
    expected = _expected_members(door, expected)
    with open_file(path, fix) as f:
        start = f.read(8)
        if not start:
            problem = "the file is empty (0 bytes; an interrupted copy or download?)"
        elif start.startswith(b"\x93NUMPY"):
            problem = (
                "expected an .npz archive of named arrays, got a single .npy array "
                "(written by np.save, not np.savez)"
            )
        elif not start.startswith(b"PK"):
            problem = f"expected an .npz (zip) archive, got a file starting with {start!r}"
        else:
            try:
                f.seek(0)
                with zipfile.ZipFile(f) as archive:
                    return _read_members(archive, path, fix, expected)
            except NpzError:
                raise
            except NPZ_ERRORS as err:
                problem = (
                    "expected an .npz archive, got a damaged one (cut short or garbled: "
                    f"{type(err).__name__}: {err})"
                )
    raise NpzError(f"{path}: {problem}. {fix}") from None


def _expected_members(door, expected):
    """``expected`` as ``{name: (shape tuple, np.dtype)}``, or None."""
    if expected is None:
        return None
    example = "expected={'x_train': ((60000, 28, 28), np.uint8)}"
    if not isinstance(expected, Mapping) or not expected:
        door.fail("expected", "a dict of array names to (shape, dtype), or None",
                  describe(expected), f"Pass e.g. {example}.", TypeError)  # fmt: skip
    out = {}
    for key, spec in expected.items():
        where = f"expected[{key!r}]"
        try:
            shape, dtype = spec
            shape, dtype = tuple(shape), np.dtype(dtype)
            if not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape):
                raise ValueError
        except (TypeError, ValueError):
            door.fail(where, "a pair (shape, dtype) such as ((60000, 28, 28), np.uint8)",
                      describe(spec), f"Pass e.g. {example}.", TypeError)  # fmt: skip
        if not isinstance(key, str) or not key:
            door.fail("expected", "array names (str) as keys", describe(key),
                      f"Pass e.g. {example}.", TypeError)  # fmt: skip
        out[key] = (shape, dtype)
    return out


def _read_members(archive, path, fix, expected):
    """The members of the open zip ``archive`` that :func:`read_npz` reads."""
    members = {info.filename.removesuffix(".npy"): info for info in archive.infolist()}
    if expected is None:
        keys = [k for k, info in members.items() if info.filename.endswith(".npy")]
    else:
        keys = list(expected)
        missing = [k for k in keys if k not in members or not members[k].filename.endswith(".npy")]
        if missing:
            raise NpzError(
                f"{path}: expected arrays {', '.join(keys)}, got "
                f"{', '.join(sorted(members)) or 'none'} (missing {', '.join(missing)}). {fix}"
            )
    # First every header, checked against what is expected and what the zip holds;
    # only then any data: a bad member costs no memory, however large it claims to be.
    layout = {key: _member_layout(archive, members[key], key, path, fix, expected) for key in keys}
    arrays = {}
    for key, (shape, fortran, dtype, offset, nbytes) in layout.items():
        with archive.open(members[key]) as stream:
            stream.read(offset)  # the header, read and checked above
            raw = np.empty(nbytes, np.uint8)  # allocated only now
            view, pos = memoryview(raw), 0
            while pos < nbytes:
                n = stream.readinto(view[pos : pos + 2**22])
                if not n:
                    raise EOFError(f"{key} cut short after {pos:,} of {nbytes:,} bytes")
                pos += n
            stream.read(1)  # reaches the member's end: zipfile checks its CRC-32 there
        arrays[key] = raw.view(dtype).reshape(shape, order="F" if fortran else "C")
    return arrays


def _member_layout(archive, info, key, path, fix, expected):
    """``(shape, fortran, dtype, header_bytes, data_bytes)`` of one member, from its header."""
    with archive.open(info) as stream:
        shape, fortran, dtype = _npy_header(stream)
        offset = stream.tell()
    if dtype.hasobject:
        raise NpzError(
            f"{path}: expected arrays of numbers, got an array of Python objects "
            f"({key}), which would need unpickling (not done: unpickling a file can "
            f"run any code). {fix}"
        )
    if expected is not None:
        want_shape, want_dtype = expected[key]
        if shape != tuple(want_shape) or dtype != np.dtype(want_dtype):
            raise NpzError(
                f"{path}: expected {key} of shape {tuple(want_shape)} and dtype "
                f"{np.dtype(want_dtype)}, got shape {shape} and dtype {dtype}. {fix}"
            )
    nbytes = math.prod(shape) * dtype.itemsize  # Python ints: no overflow
    if expected is None and nbytes > MAX_MEMBER_BYTES:
        raise NpzError(
            f"{path}: expected arrays of at most {MAX_MEMBER_BYTES // 2**20} MiB, got "
            f"{key} declaring shape {shape} and dtype {dtype} ({nbytes:,} bytes; not "
            f"read). {fix}"
        )
    held = info.file_size - offset
    if held != nbytes:
        raise NpzError(
            f"{path}: expected an .npz archive, got a damaged one ({key}'s header "
            f"declares {nbytes:,} bytes of data, the archive holds {held:,}; not read). "
            f"{fix}"
        )
    return shape, fortran, dtype, offset, nbytes


def _npy_header(stream):
    """``(shape, fortran_order, dtype)`` from the ``.npy`` header at the start of ``stream``."""
    version = np.lib.format.read_magic(stream)
    if version == (1, 0):
        return np.lib.format.read_array_header_1_0(stream)
    if version == (2, 0):
        return np.lib.format.read_array_header_2_0(stream)
    return np.lib.format._read_array_header(stream, version)  # 3.0: no public reader


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
        # Only the four arrays, each checked against MNIST's shape before it is read.
        expected = {key: (shape, np.uint8) for key, shape in MNIST_SHAPES.items()}
        arrays = read_npz(path, fix, expected=expected)
        check_mnist_arrays(arrays, path)
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def _keras_load_data():
    """``keras.datasets.mnist.load_data()``; the one place this module imports Keras."""
    keras = import_keras()  # imported here so that `import dnncourse` stays light

    return keras.datasets.mnist.load_data()


def _keras_mnist(path):
    """MNIST through Keras' download and cache (``path``), every failure named."""
    try:
        (x_train, y_train), (x_test, y_test) = _keras_load_data()
    except Exception as err:  # noqa: BLE001 (Keras raises a plain Exception on a failed download)
        if _is_file(path):  # downloaded once, now unreadable: fetch it again
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


def _is_file(path):
    try:
        return path.is_file()
    except OSError:  # a folder above it that the user cannot read
        return False


def prepare(X):
    """Scale uint8 digits to [0, 1] and add the channel axis a Conv2D expects.

    Parameters
    ----------
    X : ndarray, shape (n, 28, 28), uint8 pixel values 0..255
        (another integer dtype is fine when its values are 0..255).

    Returns
    -------
    ndarray, shape (n, 28, 28, 1), float32 values in [0, 1]

    Raises
    ------
    TypeError, ValueError
        When X is not digits of shape (n, 28, 28) with whole grey values 0..255:
        in particular float images, which are already scaled (``prepare`` applied
        twice would divide by 255 twice).
    """
    door = Arguments("prepare")
    X = door.array("X", X, finite=False, what="digits")
    fix = "Pass the uint8 digits of load_mnist(), e.g. prepare(x_train)."
    if X.ndim == 4 and X.shape[1:] == (28, 28, 1) and X.dtype.kind == "f":
        door.fail("X", "digits of shape (n, 28, 28), uint8 values 0..255",
                  f"an array of shape {X.shape} and dtype {X.dtype}: digits prepared already",
                  "Use them as they are: prepare() scales once and adds the channel axis "
                  "once.")  # fmt: skip
    if X.ndim != 3 or X.shape[1:] != (28, 28):
        if X.shape == (28, 28):
            fix = "Pass a batch: prepare(x[np.newaxis]) for one digit x."
        elif X.ndim == 4 and X.shape[1:] == (28, 28, 1):
            fix = "Drop the channel axis: prepare(X[..., 0])."
        door.fail("X", "digits of shape (n, 28, 28)", f"an array of shape {X.shape}", fix)
    if X.dtype.kind == "f":
        finite = np.isfinite(X).all()
        top = float(X.max()) if X.size and finite else 0.0
        if finite and top <= 1 and X.min() >= 0:
            door.fail("X", "uint8 grey values 0..255",
                      f"{X.dtype} values in [0, {number(top)}]: digits scaled already",
                      "Use them as they are: prepare() divides by 255 once.")  # fmt: skip
        door.fail("X", "uint8 grey values 0..255", f"values of dtype {X.dtype}",
                  f"{fix} If these are whole grey values, pass X.astype(np.uint8).",
                  TypeError)  # fmt: skip
    if X.dtype.kind == "b":
        door.fail("X", "uint8 grey values 0..255", "an array of bools", fix, TypeError)
    if X.size and (X.min() < 0 or X.max() > 255):
        bad = X.min() if X.min() < 0 else X.max()
        door.fail("X", "grey values 0..255", f"a value {int(bad)}", fix)
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

    Raises
    ------
    TypeError, ValueError
        When ``n_val`` is not a whole number from 0 to 59999 (checked before
        MNIST is read); otherwise as :func:`load_mnist`.
    """
    n_train = MNIST_SHAPES["x_train"][0]
    n_val = Arguments("load_prepared").integer(
        "n_val", n_val, low=0, high=n_train - 1, example=N_VAL,
        fix=f"Pass a number of validation images from 0 to {n_train - 1}, e.g. "
        f"n_val={N_VAL} (the default).",
    )  # fmt: skip
    (X, y), (X_test, y_test) = load_mnist()
    X = prepare(X)
    cut = len(X) - n_val
    return (X[:cut], y[:cut]), (X[cut:], y[cut:]), (prepare(X_test), y_test)
