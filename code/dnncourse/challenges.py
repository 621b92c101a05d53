"""The workshop's faulty challenge settings for the regression and iris exercises.

Each ``*_challenge_model`` builds and compiles the workshop's model exactly;
each ``run_*_challenge`` trains it on the course data, holding out the last 20 %
of the training rows for validation (as ``validation_split=0.2`` would), and
returns ``(model, history)``.  The batches come from a ``tf.data`` pipeline
(:mod:`dnncourse.pipeline`): the same batches, several times faster than NumPy
arrays for data this small.  The workshop trained the iris challenge for 2000 epochs
(slides) or 4000 (notebook); that takes minutes, so the default here is fewer
epochs with the same model, optimizer and batch size.  Keras is imported inside
the functions so that ``import dnncourse`` stays light.
"""

from __future__ import annotations

#: The workshop's settings, for the pages to quote.
REGRESSION_CHALLENGE = {"hidden": (5, 5), "learning_rate": 0.1, "epochs": 100, "batch_size": 10}
IRIS_CHALLENGE = {
    "hidden": (1000, 500, 70),
    "learning_rate": 0.01,
    "epochs": 2000,
    "batch_size": 10,
}


def _fit(model, X_train, Y_train, batch_size, epochs, verbose):
    """Fit on the first 80 % of the rows, validate on the last 20 %; return the History."""
    from .pipeline import as_dataset, holdout

    (X_fit, Y_fit), (X_val, Y_val) = holdout(X_train, Y_train, val_fraction=0.2)
    return model.fit(
        as_dataset(X_fit, Y_fit, batch_size, shuffle=True),
        validation_data=as_dataset(X_val, Y_val, len(X_val)),
        epochs=epochs,
        shuffle=False,  # the dataset reshuffles every epoch itself
        verbose=verbose,
    )


def regression_challenge_model():
    """2 inputs, two hidden layers of 5 ReLU units, 1 linear output; Adagrad 0.1, MSE."""
    import keras

    model = keras.Sequential(
        [keras.Input(shape=(2,))]
        + [keras.layers.Dense(n, activation="relu") for n in REGRESSION_CHALLENGE["hidden"]]
        + [keras.layers.Dense(1)]
    )
    model.compile(
        optimizer=keras.optimizers.Adagrad(learning_rate=REGRESSION_CHALLENGE["learning_rate"]),
        loss="mse",
    )
    return model


def run_regression_challenge(seed=0, epochs=REGRESSION_CHALLENGE["epochs"], verbose=0):
    """Train :func:`regression_challenge_model` as the workshop did (100 epochs, batch 10).

    Returns
    -------
    model : keras.Model
        Maps inputs of shape (n, 2) to predictions of shape (n, 1).
    history : keras.callbacks.History
        ``loss`` and ``val_loss`` (MSE), one value per epoch.
    """
    import keras

    from .data import load_regression

    keras.utils.set_random_seed(seed)
    (X_train, y_train), _ = load_regression()
    model = regression_challenge_model()
    return model, _fit(model, X_train, y_train, REGRESSION_CHALLENGE["batch_size"], epochs, verbose)


def iris_challenge_model():
    """4 inputs, Dense 1000-500-70 ReLU, 3-way softmax; Adagrad 0.01, cross-entropy.

    No regularisation, no input scaling: the workshop's challenge as given.
    """
    import keras

    model = keras.Sequential(
        [keras.Input(shape=(4,))]
        + [keras.layers.Dense(n, activation="relu") for n in IRIS_CHALLENGE["hidden"]]
        + [keras.layers.Dense(3, activation="softmax")]
    )
    model.compile(
        optimizer=keras.optimizers.Adagrad(learning_rate=IRIS_CHALLENGE["learning_rate"]),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def run_iris_challenge(seed=0, epochs=100, verbose=0):
    """Train :func:`iris_challenge_model` with batch 10 for ``epochs`` epochs.

    The workshop ran 2000-4000 epochs; ``epochs`` defaults to 100 to fit a page's
    time budget (same model, optimizer and batch size).

    Returns
    -------
    model : keras.Model
        Maps inputs of shape (n, 4) to class probabilities of shape (n, 3).
    history : keras.callbacks.History
        ``loss``, ``val_loss``, ``accuracy``, ``val_accuracy`` per epoch.
    """
    import keras

    from .data import load_iris

    keras.utils.set_random_seed(seed)
    (X_train, y_train), _ = load_iris()
    model = iris_challenge_model()
    Y_train = keras.utils.to_categorical(y_train, 3)
    return model, _fit(model, X_train, Y_train, IRIS_CHALLENGE["batch_size"], epochs, verbose)
