"""From NumPy arrays to training: a held-out validation split and one tf.data pipeline.

Keras' ``fit`` accepts NumPy arrays directly, but for every epoch it then
rebuilds its input pipeline (and another one for the validation data), which
costs about a tenth of a second per epoch on a small CPU; with 100 training rows
that is most of the training time.  :func:`as_dataset` builds a
``tf.data.Dataset`` once, and :func:`fit` trains on it: the same model on the
same kind of batches, several times faster.  Every page and solution that trains
on small arrays goes through these two functions.  TensorFlow is imported inside
the functions so that ``import dnncourse`` stays light.
"""

from __future__ import annotations


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
        The first ``n - round(val_fraction * n)`` rows, and the rest.
    """
    if not 0 <= val_fraction < 1:
        raise ValueError(f"val_fraction must be in [0, 1), got {val_fraction!r}")
    n_fit = len(X) - round(val_fraction * len(X))
    return (X[:n_fit], y[:n_fit]), (X[n_fit:], y[n_fit:])


def as_dataset(X, y, batch_size, shuffle=False, seed=None):
    """A batched ``tf.data.Dataset`` of ``(X, y)`` float32 pairs, kept in memory.

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
    tf.data.Dataset
        Batches ``(X_batch, y_batch)`` with shapes (batch_size, d) and
        (batch_size,) or (batch_size, k); the last batch may be smaller.
    """
    import numpy as np
    import tensorflow as tf

    ds = tf.data.Dataset.from_tensor_slices(
        (np.asarray(X, dtype="float32"), np.asarray(y, dtype="float32"))
    ).cache()
    if shuffle:
        ds = ds.shuffle(len(X), seed=seed, reshuffle_each_iteration=True)
    return ds.batch(batch_size)


def fit(model, X, y, *, epochs, batch_size, seed, validation_data=None, callbacks=(), verbose=0):
    """``model.fit(X, y, shuffle=True, ...)`` through :func:`as_dataset` pipelines built once.

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
    callbacks : sequence of keras.callbacks.Callback
    seed : int or None
        Seeds the shuffle order, which changes every epoch.  Required, so that
        every call says how its order is drawn: ``None`` takes it from the
        global seed that ``keras.utils.set_random_seed`` set.
    verbose : int
        Passed to ``model.fit``.

    Returns
    -------
    keras.callbacks.History
    """
    val = None
    if validation_data is not None:
        X_val, y_val = validation_data
        val = as_dataset(X_val, y_val, batch_size=max(len(X_val), 1))
    return model.fit(
        as_dataset(X, y, batch_size, shuffle=True, seed=seed),
        validation_data=val,
        epochs=epochs,
        callbacks=list(callbacks or ()),
        shuffle=False,  # the dataset reshuffles every epoch itself
        verbose=verbose,
    )
