"""From NumPy arrays to training: a held-out validation split and one tf.data pipeline.

Keras' ``fit`` accepts NumPy arrays directly, but for every epoch it then
rebuilds its input pipeline (and another one for the validation data), which
costs about a tenth of a second per epoch on a small CPU; with 100 training rows
that is most of the training time.  :func:`as_dataset` builds a
``tf.data.Dataset`` once, and :func:`fit` trains on it: the same model on the
same kind of batches, several times faster.  Every page and solution that trains
on small arrays goes through these two functions.  TensorFlow is imported inside
the functions so that ``import dnncourse`` stays light.

On Keras' other backends (verified on JAX; PyTorch not yet) Keras cannot train on
a ``tf.data.Dataset`` without TensorFlow installed, and does not need one to be
fast: there :func:`as_dataset` returns a ``keras.utils.PyDataset`` of the same
batches (float32, reshuffled every epoch), built from the NumPy arrays.

Every argument is checked before any TensorFlow work (``dnncourse._args``):
a mistake gets one ``TypeError`` or ``ValueError`` naming the argument, what
was expected, what was got and the fix, never a TensorFlow traceback.
"""

from __future__ import annotations

import functools

import numpy as np

from ._args import Arguments, describe, number
from .backend import import_keras, import_tensorflow

#: Keras' ``verbose`` settings.
VERBOSE = (0, 1, 2, "auto")


def _samples(door, X, y, x_name="X", y_name="y", low_rows=1):
    """X and y as arrays of numbers with the same number of rows (at least ``low_rows``)."""
    X = door.rows(x_name, X, low_rows=low_rows, fix=f"Pass {x_name} with one row per sample.")
    y = door.rows(y_name, y, low_rows=low_rows, fix=f"Pass {y_name} with one row per sample.")
    door.same_length((x_name, X), (y_name, y))
    return X, y


def _float32(door, name, A):
    """``A`` as float32, refusing values too large for float32 (they would become inf)."""
    with np.errstate(over="ignore"):  # an overflow is reported below, not warned about
        A32 = A.astype(np.float32, copy=False)
    if A.dtype.kind == "f" and A.size and not np.isfinite(A32).all():
        at = tuple(int(i) for i in np.argwhere(~np.isfinite(A32))[0])
        door.fail(name, "values that fit in float32 (magnitude below 3.4e38)",
                  f"{number(A[at])} at index {at}",
                  f"Rescale {name} (e.g. standardise its columns).")  # fmt: skip
    return A32


def holdout(X, y, val_fraction=0.2):
    """Split off the LAST ``val_fraction`` of the rows for validation.

    This is what ``fit(..., validation_split=val_fraction)`` does; the course's
    training files are already in random order.

    Parameters
    ----------
    X : ndarray, shape (n, d)
    y : ndarray, shape (n,) or (n, k)
    val_fraction : float
        In [0, 1).

    Returns
    -------
    (X_fit, y_fit), (X_val, y_val)
        The first ``n - round(val_fraction * n)`` rows, and the rest (arrays).

    Raises
    ------
    TypeError, ValueError
        When X or y is not an array of numbers with at least one row, their
        lengths differ, or ``val_fraction`` leaves no row to train on (or rounds
        to no validation row although it is above 0).
    """
    door = Arguments("holdout")
    X, y = _samples(door, X, y)
    val_fraction = door.real("val_fraction", val_fraction, low=0, high=1, high_open=True,
                             example=0.2)  # fmt: skip
    n = len(X)
    n_val = round(val_fraction * n)
    if n - n_val < 1:
        door.fail("val_fraction", f"a fraction that leaves rows to train on (of {n})",
                  f"{describe(val_fraction)}, which holds out all {n}",
                  "Pass a smaller val_fraction such as 0.2, or more rows.")  # fmt: skip
    if val_fraction > 0 and n_val == 0:
        door.fail("val_fraction", f"a fraction that holds out at least one of the {n} rows",
                  f"{describe(val_fraction)}, which rounds to 0 rows",
                  "Pass val_fraction=0 for no validation rows, or a larger fraction.")  # fmt: skip
    n_fit = n - n_val
    return (X[:n_fit], y[:n_fit]), (X[n_fit:], y[n_fit:])


def as_dataset(X, y, batch_size, shuffle=False, seed=None):
    """A batched ``tf.data.Dataset`` of ``(X, y)`` float32 pairs, kept in memory.

    On Keras' TensorFlow backend.  On the others (JAX; PyTorch not yet verified),
    a ``keras.utils.PyDataset`` of the same batches, which needs no TensorFlow.

    Parameters
    ----------
    X : ndarray, shape (n, d)
    y : ndarray, shape (n,) or (n, k)
    batch_size : int
    shuffle : bool
        Reshuffle the rows every epoch (for training data).  Pass
        ``shuffle=False`` to ``fit`` itself: the dataset does the shuffling.
    seed : int, optional
        Seeds the shuffle order (``None``: drawn from the global seed that
        ``keras.utils.set_random_seed`` sets).

    Returns
    -------
    tf.data.Dataset or keras.utils.PyDataset
        Batches ``(X_batch, y_batch)`` with shapes (batch_size, d) and
        (batch_size,) or (batch_size, k); the last batch may be smaller.
        A ``PyDataset`` (any backend but TensorFlow) draws its orders from a
        NumPy generator: the same batches as the ``tf.data`` pipeline, in
        another random order.

    Raises
    ------
    TypeError, ValueError
        Naming the argument, before TensorFlow is imported: X or y not finite
        numbers, no rows, different lengths, ``batch_size`` not a whole number
        >= 1, ``shuffle`` not a bool, ``seed`` not a whole number or None.
    """
    door = Arguments("as_dataset")
    X, y = _samples(door, X, y)
    batch_size = door.integer("batch_size", batch_size, low=1, example=32)
    shuffle = door.boolean("shuffle", shuffle)
    seed = door.seed("seed", seed)
    X, y = _float32(door, "X", X), _float32(door, "y", y)
    keras = import_keras()
    if keras.backend.backend() != "tensorflow":
        return _array_batches(keras)(X, y, batch_size, shuffle=shuffle, seed=seed)
    tf = import_tensorflow("dnncourse.training.as_dataset")

    ds = tf.data.Dataset.from_tensor_slices(
        (np.asarray(X, dtype="float32"), np.asarray(y, dtype="float32"))
    ).cache()
    if shuffle:
        ds = ds.shuffle(len(X), seed=seed, reshuffle_each_iteration=True)
    return ds.batch(batch_size)


@functools.cache
def _array_batches(keras):
    """The ``keras.utils.PyDataset`` class that :func:`as_dataset` returns off TensorFlow.

    Made on first use, so that the module imports no Keras.
    """

    class ArrayBatches(keras.utils.PyDataset):
        """Batches of in-memory float32 arrays ``(X, y)``, reshuffled every epoch when asked.

        Parameters
        ----------
        X : ndarray, shape (n, d), float32
        y : ndarray, shape (n,) or (n, k), float32
        batch_size : int
        shuffle : bool
        seed : int or None
            Seeds the orders; ``None`` draws a seed from NumPy's global generator,
            which ``keras.utils.set_random_seed`` seeds.
        """

        def __init__(self, X, y, batch_size, shuffle=False, seed=None):
            super().__init__()  # one worker, no multiprocessing: the arrays are in memory
            self.X, self.y, self.batch_size, self.reshuffle = X, y, batch_size, shuffle
            if seed is None:
                seed = int(np.random.randint(2**31 - 1))
            self.rng = np.random.default_rng(seed)
            self.order = np.arange(len(X))
            self.on_epoch_end()  # the first epoch's order

        def __len__(self):
            return (len(self.X) + self.batch_size - 1) // self.batch_size  # the last may be smaller

        def __getitem__(self, index):
            rows = self.order[index * self.batch_size : (index + 1) * self.batch_size]
            return self.X[rows], self.y[rows]

        def on_epoch_end(self):
            if self.reshuffle:  # a new order for the next epoch, as tf.data's reshuffle
                self.order = self.rng.permutation(len(self.X))

    return ArrayBatches


def fit(model, X, y, *, epochs, batch_size, seed, validation_data=None, callbacks=(), verbose=0):
    """``model.fit(X, y, shuffle=True, ...)`` through :func:`as_dataset` pipelines built once.

    On any Keras backend: :func:`as_dataset` builds ``tf.data`` pipelines on
    TensorFlow and ``keras.utils.PyDataset`` batches on the others (verified on JAX).

    Trains like ``model.fit(X, y, epochs=..., batch_size=..., shuffle=True,
    validation_data=...)``: a fresh shuffle every epoch, one step per batch, the
    validation loss at the end of every epoch.

    Parameters
    ----------
    model : keras.Model, compiled
    X : ndarray, shape (n, d)
    y : ndarray, shape (n,) or (n, k)
    epochs, batch_size : int
    validation_data : (X_val, y_val), optional
        Evaluated as one batch at the end of every epoch.
    callbacks : sequence of keras.callbacks.Callback, or one Callback
        A single callback is used as a list of one, as ``model.fit`` does.
    seed : int or None
        Seeds the shuffle order, which changes every epoch.  Required, so that
        every call says how its order is drawn: ``None`` takes it from the
        global seed that ``keras.utils.set_random_seed`` set.
    verbose : 0, 1, 2 or "auto"
        Passed to ``model.fit``.

    Returns
    -------
    keras.callbacks.History

    Raises
    ------
    TypeError, ValueError
        Naming the argument, before any training: a model that is not a compiled
        Keras model or whose input does not fit X's rows; X or y not finite
        numbers, no rows, different lengths; ``epochs`` or ``batch_size`` not a
        whole number >= 1; ``seed`` not a whole number or None;
        ``validation_data`` not a pair of arrays like X and y with at least one
        row; a callback that is not a ``keras.callbacks.Callback``.
    """
    door = Arguments("fit")
    _check_model(door, model)
    X, y = _samples(door, X, y)
    _check_input_shape(door, model, X)
    epochs = door.integer("epochs", epochs, low=1, example=10)
    batch_size = door.integer("batch_size", batch_size, low=1, example=32)
    seed = door.seed("seed", seed)
    validation = _validation_pair(door, validation_data, X, y)
    callbacks = _callback_list(door, callbacks)
    verbose = door.choice("verbose", verbose, VERBOSE)
    val = None
    if validation is not None:
        X_val, y_val = validation
        val = as_dataset(X_val, y_val, batch_size=len(X_val))
    return model.fit(
        as_dataset(X, y, batch_size, shuffle=True, seed=seed),
        validation_data=val,
        epochs=epochs,
        callbacks=callbacks,
        shuffle=False,  # the dataset reshuffles every epoch itself
        verbose=verbose,
    )


def _check_model(door, model):
    """A compiled Keras model (checked by its methods: no Keras import)."""
    if isinstance(model, type):  # keras.Sequential itself, not a model made from it
        door.fail("model", "a compiled keras.Model", describe(model),
                  "Build the model first, e.g. model = keras.Sequential([...]), compile it, "
                  "and pass model.", TypeError)  # fmt: skip
    if not callable(getattr(model, "fit", None)) or not callable(getattr(model, "compile", None)):
        door.fail("model", "a compiled keras.Model", describe(model),
                  "Pass the model itself, e.g. fit(model, X, y, ...) with "
                  "model = keras.Sequential([...]).", TypeError)  # fmt: skip
    if getattr(model, "compiled", True) is False:
        door.fail("model", "a compiled keras.Model", "a model that was never compiled",
                  "Call model.compile(optimizer=..., loss=...) first.")  # fmt: skip


def _check_input_shape(door, model, X):
    """X's rows match the model's input shape, when the model declares one."""
    try:
        shape = model.input_shape
    except (AttributeError, ValueError, RuntimeError):  # not built yet, or several inputs
        return
    if not (isinstance(shape, tuple) and all(d is None or isinstance(d, int) for d in shape)):
        return
    want = shape[1:]
    if len(want) != X.ndim - 1 or any(
        w is not None and w != g for w, g in zip(want, X.shape[1:], strict=True)
    ):
        door.fail("X", f"rows of shape {want}, the model's input (keras.Input(shape={want}))",
                  f"an array of shape {X.shape}, rows of shape {X.shape[1:]}",
                  f"Pass X with rows of shape {want}, or build the model with "
                  f"keras.Input(shape={X.shape[1:]}).")  # fmt: skip


def _validation_pair(door, validation_data, X, y):
    """``(X_val, y_val)`` arrays shaped like X and y, with at least one row; or None."""
    if validation_data is None:
        return None
    fix = "Pass validation_data=(X_val, y_val), or leave it out to train without validation."
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
        got = describe(validation_data)
        if isinstance(validation_data, (tuple, list)) and len(validation_data) == 3:
            fix = ("Sample weights are not supported here: pass validation_data=(X_val, y_val), "
                   "or use model.fit for weighted validation.")  # fmt: skip
        door.fail("validation_data", "a pair (X_val, y_val)", got, fix,
                  TypeError if not isinstance(validation_data, (tuple, list)) else ValueError)  # fmt: skip
    X_val, y_val = _samples(door, *validation_data, "validation_data[0] (X_val)",
                            "validation_data[1] (y_val)")  # fmt: skip
    for name, A, like in (("validation_data[0] (X_val)", X_val, X),
                          ("validation_data[1] (y_val)", y_val, y)):  # fmt: skip
        if A.shape[1:] != like.shape[1:]:
            door.fail(name, f"rows of shape {like.shape[1:]} like the training data",
                      f"an array of shape {A.shape}",
                      "Split the validation rows from the same data, e.g. with holdout().")  # fmt: skip
    return X_val, y_val


def _callback_list(door, callbacks):
    """A list of Keras callbacks; one callback alone becomes a list of one."""
    if callbacks is None:
        return []
    if _is_callback(callbacks):
        return [callbacks]
    if not isinstance(callbacks, (list, tuple)):
        door.fail("callbacks", "a list of keras.callbacks.Callback", describe(callbacks),
                  "Pass callbacks=[keras.callbacks.EarlyStopping(...)], or callbacks=[].",
                  TypeError)  # fmt: skip
    for i, callback in enumerate(callbacks):
        if not _is_callback(callback):
            door.fail(f"callbacks[{i}]", "a keras.callbacks.Callback", describe(callback),
                      "Pass callback objects, e.g. callbacks=[keras.callbacks.EarlyStopping("
                      "patience=5)]: the class called with its settings.", TypeError)  # fmt: skip
    return list(callbacks)


def _is_callback(obj):
    """Has the methods of ``keras.callbacks.Callback`` (no Keras import needed)."""
    return not isinstance(obj, type) and all(
        callable(getattr(obj, m, None)) for m in ("set_model", "set_params", "on_epoch_end")
    )
