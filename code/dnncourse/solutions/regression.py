"""The regression exercise's solution: a small smooth network trained with Adam.

Compared with the workshop's solution (50-50-50 ReLU, Adagrad 0.1, 1000 epochs,
batch 10, validated on the test set) it standardises the inputs inside the model,
uses three hidden layers with the smooth ``swish`` activation (the surface is
smooth, and only 80 points pin it down), Adam in batches of 40 with a learning
rate that halves when progress stalls, and patient early stopping on a validation split held out from
the rows it is given.  Tried on fresh draws of the data (tests/test_resampled.py),
two hidden layers and a patience of 30 epochs stopped on a plateau on some draws;
the third layer and the longer patience carry it past them.  Cross-validated
(``check_regression`` trains it on 80 rows, 64 of them to fit), halving the rate
after 10 stalled epochs shrank it to nothing on the plateau where the network has
fitted the bowl but not yet the wave, on some folds; after 25 it gets past.  With
batches of 10 the training loss jittered around the noise floor (up to 27 % above
its lowest level, which ``diagnose`` rightly reads as unstable) and the folds'
models scored worse (cross-validated MSE 0.116 and 0.156 on seeds 0 and 2, against
0.106 and 0.119 with batches of 40, which also take about 30 % less time).

:func:`train_regression` is the procedure on any rows (what the exercise's
``build_and_train(X, y)`` does, and what ``check_regression`` cross-validates);
:func:`solve_regression` runs it on the course's training file.
"""

from __future__ import annotations


def train_regression(X, y, seed=None, epochs=600, callbacks=(), verbose=0):
    """Build, compile and train the regression solution on the rows given.

    The last 20 % of the rows validate (as ``fit(..., validation_split=0.2)``
    would): they choose when to stop and which weights to keep.

    Parameters
    ----------
    X : ndarray, shape (n, 2)
        Inputs ``(x1, x2)``, raw: the model standardises them itself.
    y : ndarray, shape (n,)
    seed : int, optional
        Seeds weights and shuffling via ``keras.utils.set_random_seed``; None
        leaves the global seed as the caller set it (``check_regression`` sets
        one per fold).
    epochs : int
        The most epochs to train; early stopping usually ends sooner.
    callbacks : sequence of keras.callbacks.Callback
        Extra callbacks (for example a timer), run after the solution's own.
    verbose : int
        Passed to ``fit``.

    Returns
    -------
    model : keras.Model
        Maps raw inputs of shape (m, 2) to predictions of shape (m, 1); the
        weights are those of the epoch with the lowest validation loss.
    history : keras.callbacks.History
        ``loss`` and ``val_loss`` (MSE) per epoch, and ``learning_rate``.
    """
    import keras

    from ..training import fit, holdout

    if seed is not None:
        keras.utils.set_random_seed(seed)
    (X_fit, y_fit), (X_val, y_val) = holdout(X, y, val_fraction=0.2)

    scale = keras.layers.Normalization()  # standardise x1, x2 with the fit rows' mean/std
    scale.adapt(X_fit)
    model = keras.Sequential(
        [
            keras.Input(shape=(2,)),
            scale,
            keras.layers.Dense(64, activation="swish"),
            keras.layers.Dense(64, activation="swish"),
            keras.layers.Dense(64, activation="swish"),
            keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    schedule = [
        # halve the rate only after 25 stalled epochs: sooner, it can shrink to nothing on the
        # plateau where the bowl is fitted and the wave not yet
        keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=25, min_lr=1e-4),
        # gains under 0.001 (2.5 % of the noise floor 0.04) do not count as progress, so a run
        # stops instead of creeping on
        keras.callbacks.EarlyStopping(patience=60, min_delta=1e-3, restore_best_weights=True),
    ]
    history = fit(  # dnncourse.training.fit: model.fit on a tf.data pipeline built once
        model,
        X_fit,
        y_fit,
        epochs=epochs,
        # batches of 40 (two steps per epoch): the training loss settles near the noise floor
        # instead of jittering as with batches of 10, and an epoch costs a quarter of the steps
        batch_size=40,
        validation_data=(X_val, y_val),
        callbacks=[*schedule, *callbacks],
        seed=None,  # the shuffle order follows the global seed
        verbose=verbose,
    )
    return model, history


def solve_regression(seed=0, epochs=600, callbacks=(), verbose=0):
    """Train the regression solution on the course's training file (the test set unused).

    Parameters
    ----------
    seed : int
        Seeds weights and shuffling via ``keras.utils.set_random_seed``.
    epochs, callbacks, verbose
        As for :func:`train_regression`.

    Returns
    -------
    model : keras.Model
        Maps raw inputs of shape (n, 2) to predictions of shape (n, 1).
    history : keras.callbacks.History
        ``loss`` and ``val_loss`` (MSE) per epoch, and ``learning_rate``.
    """
    from ..data import load_regression

    (X_train, y_train), _ = load_regression()  # the test data stays untouched
    return train_regression(
        X_train, y_train, seed=seed, epochs=epochs, callbacks=callbacks, verbose=verbose
    )
