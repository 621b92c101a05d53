"""The iris tutorial's challenge: the workshop's huge network that overfits 120 flowers.

:func:`iris_model` builds the workshop's dense network for any hidden sizes,
dropout and learning rate; the challenge uses :data:`IRIS_CHALLENGE` (no
dropout), the maintainer's benchmark the workshop's solution settings (dropout
0.5).  Keras is imported inside the functions.
"""

from __future__ import annotations

#: The workshop's challenge settings, for the page to quote.
IRIS_CHALLENGE = {
    "hidden": (1000, 500, 70),
    "learning_rate": 0.01,
    "epochs": 2000,
    "batch_size": 10,
}


def iris_model(hidden=IRIS_CHALLENGE["hidden"], learning_rate=0.01, dropout=0.0):
    """4 inputs, Dense ReLU hidden layers, 3-way softmax; Adagrad, cross-entropy (compiled).

    No input scaling: the workshop's network as given.

    Parameters
    ----------
    hidden : sequence of int
        Units of each hidden layer.
    learning_rate : float
        Adagrad's learning rate.
    dropout : float
        Rate of a Dropout layer after each hidden layer (0: none).

    Returns
    -------
    keras.Sequential
        Input (None, 4) measurements in cm, output (None, 3) class probabilities;
        trained on one-hot labels of shape (n, 3).
    """
    import keras

    layers = [keras.Input(shape=(4,))]
    for n in hidden:
        layers.append(keras.layers.Dense(n, activation="relu"))
        if dropout:
            layers.append(keras.layers.Dropout(dropout))
    model = keras.Sequential([*layers, keras.layers.Dense(3, activation="softmax")])
    model.compile(
        optimizer=keras.optimizers.Adagrad(learning_rate=learning_rate),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def run_iris_challenge(seed=0, epochs=100, verbose=0):
    """Train the challenge network with batch 10 for ``epochs`` epochs.

    The workshop ran 2000-4000 epochs; ``epochs`` defaults to 100 to fit a page's
    time budget (same model, optimizer and batch size).  The last 20 % of the
    training rows validate; the test set is not touched.

    Returns
    -------
    model : keras.Model
        Maps inputs of shape (n, 4) to class probabilities of shape (n, 3).
    history : keras.callbacks.History
        ``loss``, ``val_loss``, ``accuracy``, ``val_accuracy`` per epoch.
    """
    import keras

    from ..data import load_iris
    from ..training import fit, holdout

    keras.utils.set_random_seed(seed)
    (X_train, y_train), _ = load_iris()
    Y_train = keras.utils.to_categorical(y_train, 3)
    (X_fit, Y_fit), validation = holdout(X_train, Y_train, val_fraction=0.2)
    model = iris_model(IRIS_CHALLENGE["hidden"], IRIS_CHALLENGE["learning_rate"])
    history = fit(
        model, X_fit, Y_fit, epochs=epochs, batch_size=IRIS_CHALLENGE["batch_size"],
        validation_data=validation, seed=None, verbose=verbose,  # order from the global seed
    )  # fmt: skip
    return model, history
