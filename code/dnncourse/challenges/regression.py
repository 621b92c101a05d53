"""The regression tutorial's settings that miss the target: walkthrough and challenge.

* The walkthrough (:func:`build_regression_walkthrough`,
  :func:`run_regression_walkthrough`) teaches the mechanics on a setting that
  does NOT reach the exercise's target (validation MSE <= 0.10): two hidden layers
  of 32 ReLU units, trained for only 50 epochs with Adam at a learning rate (0.03)
  on the high side, whose losses jump at the bottom of the valley.  The page shows
  the code with ``literalinclude`` and calls these functions, and so do the tests.
* The challenge (:func:`regression_model`, :func:`run_regression_challenge`) is
  the workshop's small network that underfits; the maintainer's benchmark calls
  :func:`regression_model` with the workshop's solution settings.

Keras is imported inside the functions so that importing this module stays light.
"""

from __future__ import annotations

#: The workshop's challenge settings, for the page to quote.
REGRESSION_CHALLENGE = {"hidden": (5, 5), "learning_rate": 0.1, "epochs": 100, "batch_size": 10}


def build_regression_walkthrough(X_fit):
    """The walkthrough's model: standardised inputs, two Dense ReLU layers, one output.

    Parameters
    ----------
    X_fit : ndarray, shape (n, 2)
        The rows the model is fitted on; ``Normalization`` learns their mean and
        standard deviation.

    Returns
    -------
    keras.Sequential
        Compiled (Adam, MSE); input (None, 2), output (None, 1).
    """
    import keras

    scale = keras.layers.Normalization()  # standardise x1 and x2 inside the model
    scale.adapt(X_fit)
    model = keras.Sequential(
        [
            keras.Input(shape=(2,)),
            scale,
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dense(1),  # no activation: y is any real number
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.03), loss="mse")
    return model


def run_regression_walkthrough(seed=0, epochs=50, callbacks=(), verbose=0):
    """Train the walkthrough's model with early stopping on the validation rows.

    Parameters
    ----------
    seed : int
        Seeds weights and shuffling via ``keras.utils.set_random_seed``.
    epochs : int
        The most epochs to train.
    callbacks : sequence of keras.callbacks.Callback
        Extra callbacks, run after early stopping.
    verbose : int
        Passed to ``fit``.

    Returns
    -------
    model : keras.Model
        Inputs (n, 2) to predictions (n, 1), with the weights of the epoch of
        lowest validation loss.
    history : keras.callbacks.History
        ``loss`` and ``val_loss`` (MSE) per epoch.
    """
    import keras

    from ..data import load_regression
    from ..training import as_dataset, holdout

    keras.utils.set_random_seed(seed)
    (X_train, y_train), _ = load_regression()  # the test set stays untouched
    (X_fit, y_fit), (X_val, y_val) = holdout(X_train, y_train, val_fraction=0.2)
    model = build_regression_walkthrough(X_fit)
    stop = keras.callbacks.EarlyStopping(patience=20, restore_best_weights=True)
    history = model.fit(
        as_dataset(X_fit, y_fit, batch_size=10, shuffle=True),
        validation_data=as_dataset(X_val, y_val, batch_size=len(X_val)),
        epochs=epochs,
        shuffle=False,  # the dataset reshuffles itself every epoch
        callbacks=[stop, *callbacks],
        verbose=verbose,
    )
    return model, history


def regression_model(hidden=REGRESSION_CHALLENGE["hidden"], learning_rate=0.1):
    """2 inputs, Dense ReLU hidden layers, 1 linear output; Adagrad, MSE (compiled).

    Parameters
    ----------
    hidden : sequence of int
        Units of each hidden layer.
    learning_rate : float
        Adagrad's learning rate.

    Returns
    -------
    keras.Sequential
        Input (None, 2), output (None, 1).
    """
    import keras

    model = keras.Sequential(
        [keras.Input(shape=(2,))]
        + [keras.layers.Dense(n, activation="relu") for n in hidden]
        + [keras.layers.Dense(1)]
    )
    model.compile(optimizer=keras.optimizers.Adagrad(learning_rate=learning_rate), loss="mse")
    return model


def run_regression_challenge(seed=0, epochs=REGRESSION_CHALLENGE["epochs"], verbose=0):
    """Train the challenge network as the workshop did (100 epochs, batch 10).

    The last 20 % of the training rows validate (as ``validation_split=0.2``
    would); the test set is not touched.

    Returns
    -------
    model : keras.Model
        Maps inputs of shape (n, 2) to predictions of shape (n, 1).
    history : keras.callbacks.History
        ``loss`` and ``val_loss`` (MSE), one value per epoch.
    """
    import keras

    from ..data import load_regression
    from ..training import fit, holdout

    keras.utils.set_random_seed(seed)
    (X_train, y_train), _ = load_regression()
    (X_fit, y_fit), validation = holdout(X_train, y_train, val_fraction=0.2)
    model = regression_model(REGRESSION_CHALLENGE["hidden"], REGRESSION_CHALLENGE["learning_rate"])
    history = fit(
        model, X_fit, y_fit, epochs=epochs, batch_size=REGRESSION_CHALLENGE["batch_size"],
        validation_data=validation, seed=None, verbose=verbose,  # order from the global seed
    )  # fmt: skip
    return model, history
