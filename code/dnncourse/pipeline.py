"""Fast input pipelines for small data sets: a held-out validation split and tf.data.

Keras' ``fit`` accepts NumPy arrays directly, but for every epoch it then
rebuilds its input pipeline (and another one for the validation data), which
costs about a tenth of a second per epoch on a small CPU; with 100 training rows
that is most of the training time.  A ``tf.data.Dataset`` built once avoids it
and trains the same model on the same batches several times faster.
TensorFlow is imported inside the functions so that ``import dnncourse`` stays light.
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

    Returns
    -------
    (X_fit, y_fit), (X_val, y_val)
        The first ``n - round(val_fraction * n)`` rows, and the rest.
    """
    n_fit = len(X) - round(val_fraction * len(X))
    return (X[:n_fit], y[:n_fit]), (X[n_fit:], y[n_fit:])


def as_dataset(X, y, batch_size, shuffle=False):
    """A batched ``tf.data.Dataset`` of ``(X, y)`` float32 pairs.

    Parameters
    ----------
    X : ndarray, shape (n, d)
    y : ndarray, shape (n,) or (n, k)
    batch_size : int
    shuffle : bool
        Reshuffle the rows every epoch (for training data).  Pass
        ``shuffle=False`` to ``fit`` itself: the dataset does the shuffling.

    Returns
    -------
    tf.data.Dataset
        Batches ``(X_batch, y_batch)`` with shapes (batch_size, d) and
        (batch_size,) or (batch_size, k); the last batch may be smaller.
    """
    import tensorflow as tf

    ds = tf.data.Dataset.from_tensor_slices((X.astype("float32"), y.astype("float32")))
    if shuffle:
        ds = ds.shuffle(len(X), reshuffle_each_iteration=True)
    return ds.batch(batch_size)
