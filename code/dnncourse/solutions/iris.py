"""The iris exercise's solution: a small, lightly regularised network trained with Adam.

The workshop's challenge network (Dense 1000-500-70, about 540,000 weights) for
120 flowers overfits; its solution added Dropout 0.5 and trained 2000 epochs.
Here a single hidden layer of 16 units with an L2 penalty on standardised
inputs, Adam and early stopping on a validation split reach the same accuracy
within a few seconds.

:func:`train_iris` is the solution's procedure on any rows it is given (the
contract of the exercise's ``build_and_train(X, y)``, which
:func:`dnncourse.checks.check_iris` cross-validates); :func:`solve_iris` runs it
on the course's training file.
"""

from __future__ import annotations

from .._args import Arguments
from .regression import _check_options, _checked


def train_iris(X, y, seed=None, epochs=300, callbacks=(), verbose=0):
    """Build, compile and train the iris solution on the rows it is given.

    The last 20 % of the rows validate (what ``validation_split=0.2`` holds out):
    early stopping watches their loss and restores the best epoch's weights.

    Parameters
    ----------
    X : ndarray, shape (n, 4)
        Raw measurements in cm (sepal length, sepal width, petal length, petal width).
    y : ndarray, shape (n,)
        Integer labels 0, 1, 2.
    seed : int, optional
        Seeds weights and shuffling via ``keras.utils.set_random_seed``; None
        leaves the global seed as the caller set it (the checker seeds each fold).
    epochs : int
        The most epochs to train; early stopping usually ends sooner.
    callbacks : sequence of keras.callbacks.Callback
        Extra callbacks (for example a timer), run after the solution's own.
    verbose : int
        Passed to ``fit``.

    Returns
    -------
    model : keras.Model
        Maps raw measurements of shape (m, 4) to class probabilities of shape
        (m, 3); the weights of the epoch with the lowest validation loss.
    history : keras.callbacks.History
        ``loss``, ``val_loss``, ``accuracy`` and ``val_accuracy`` per epoch.
    """
    import keras

    from ..training import fit, holdout

    if seed is not None:
        keras.utils.set_random_seed(seed)
    Y = keras.utils.to_categorical(y, 3)  # one-hot: label 2 -> [0, 0, 1]
    (X_fit, Y_fit), (X_val, Y_val) = holdout(X, Y, val_fraction=0.2)

    scale = keras.layers.Normalization()  # standardise the 4 measurements
    scale.adapt(X_fit)
    model = keras.Sequential(
        [
            keras.Input(shape=(4,)),
            scale,
            keras.layers.Dense(
                16, activation="relu", kernel_regularizer=keras.regularizers.L2(1e-2)
            ),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
    )
    stop = keras.callbacks.EarlyStopping(patience=30, restore_best_weights=True)
    history = fit(  # dnncourse.training.fit: model.fit on a tf.data pipeline built once
        model,
        X_fit,
        Y_fit,
        epochs=epochs,
        batch_size=16,
        validation_data=(X_val, Y_val),
        callbacks=[stop, *callbacks],
        seed=None,  # the shuffle order follows the global seed
        verbose=verbose,
    )
    return model, history


def _labels(door, y):
    """Class labels 0, 1, 2, shape (n,) or (n, 1) (as ``to_categorical`` reads them)."""
    Y = door.array("y", y, ndim=(1, 2), what="an array of class labels")
    if Y.ndim == 2 and Y.shape[1] != 1:
        one_hot = "; from one-hot rows, y.argmax(axis=1)" if Y.shape[1] == 3 else ""
        door.fail("y", "class labels 0, 1, 2 of shape (n,)", f"an array of shape {Y.shape}",
                  f"Pass integer labels, one per flower{one_hot}.")  # fmt: skip
    door.labels("y", Y.reshape(len(Y)), 3)
    return Y


train_iris = _checked(train_iris, 4, _labels)


def solve_iris(seed=0, epochs=300, callbacks=(), verbose=0):
    """Train the iris solution on the course's 120 training flowers.

    Parameters
    ----------
    seed : int
        Seeds weights and shuffling via ``keras.utils.set_random_seed``.
    epochs, callbacks, verbose
        As for :func:`train_iris`.

    Returns
    -------
    model, history
        As :func:`train_iris` returns them; the test flowers are not touched.

    Raises
    ------
    TypeError, ValueError
        Before the data are read, naming the argument: as :func:`train_iris`
        (``seed`` may not be None here).
    """
    door = Arguments("solve_iris")
    options = _check_options(door, seed, epochs, callbacks, verbose, seed_none=False)
    from ..data import load_iris

    (X_train, y_train), _ = load_iris()  # the test data stays untouched
    return train_iris(X_train, y_train, **options)
