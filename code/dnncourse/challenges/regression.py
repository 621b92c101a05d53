"""The regression tutorial's challenge: the workshop's small network that underfits.

:func:`regression_model` builds the workshop's dense network for any hidden
sizes and learning rate; the challenge uses :data:`REGRESSION_CHALLENGE`, the
maintainer's benchmark the workshop's solution settings.  Keras is imported
inside the functions so that importing this module stays light.
"""

from __future__ import annotations

#: The workshop's challenge settings, for the page to quote.
REGRESSION_CHALLENGE = {"hidden": (5, 5), "learning_rate": 0.1, "epochs": 100, "batch_size": 10}


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
