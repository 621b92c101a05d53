"""The iris tutorial's challenge: the workshop's network, for the tools and the registry.

The tutorial page (``book/iris.md``) owns the code a learner changes: its
``train_walkthrough`` and ``train_challenge`` cells.  This module keeps what tools
need without running the page: :func:`iris_model`, the builder with which
``tools/workshop.py`` trains the workshop's *solution* (the same network with
Dropout 0.5) for the benchmark, and :func:`run_iris_challenge`, the page's
challenge run (:data:`dnncourse.tutorials.TUTORIALS` names it; the tests check
that it trains exactly as the page's cell does).

How the challenge differs from the workshop's settings:

* The same: Dense layers of 1000, 500 and 70 ReLU units and a 3-unit softmax
  output on the four raw measurements (no scaling, no regularisation); Keras'
  default initial weights; Adagrad at learning rate 0.01; categorical
  cross-entropy on one-hot labels; batches of 10 flowers.
* Different: 100 epochs instead of the workshop's 2000 (4000 in its notebook),
  to fit a page's time budget.  It trains on the first 96 of the course's 120
  training flowers and validates on the last 24, where the workshop validated on
  its test flowers.  It is seeded (``keras.utils.set_random_seed``); the
  workshop was not.  Its batches come from a ``tf.data`` pipeline reshuffled every
  epoch (:func:`dnncourse.training.fit`), which shuffles as
  ``fit(shuffle=True)`` does, though not in the same order.  Keras 3 spells the
  input ``keras.Input(shape=(4,))`` instead of ``input_dim=4`` and the learning
  rate ``learning_rate=`` instead of ``lr=``; the model is the same.  Adagrad is
  Keras 3's (accumulators start at 0.1, epsilon 1e-7).

Keras is imported inside the functions.
"""

from __future__ import annotations

from .._args import Arguments
from ..training import VERBOSE, _callback_list

#: The workshop's challenge settings (the page runs 100 of the 2000 epochs).
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
        Rate of a Dropout layer after each hidden layer (0: none, as in the challenge;
        the workshop's solution used 0.5).

    Returns
    -------
    keras.Sequential
        Input (None, 4) measurements in cm, output (None, 3) class probabilities;
        trained on one-hot labels of shape (n, 3).

    Raises
    ------
    TypeError, ValueError
        Before Keras is imported, naming the argument: ``hidden`` not a tuple of
        whole numbers in [1, 10000], ``learning_rate`` not a number > 0,
        ``dropout`` not a number in [0, 1).
    """
    door = Arguments("iris_model")
    hidden = door.units("hidden", hidden, example=(16,))
    learning_rate = float(
        door.real("learning_rate", learning_rate, low=0, low_open=True, example=0.01)
    )
    dropout = float(door.real("dropout", dropout, low=0, high=1, high_open=True, example=0.5))
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


def run_iris_challenge(seed=0, epochs=100, callbacks=(), verbose=0):
    """Train the challenge network as the page's ``train_challenge`` cell does.

    Parameters
    ----------
    seed : int
        ``keras.utils.set_random_seed(seed)`` first: initial weights and shuffles.
    epochs : int
        The page runs 100 (the workshop 2000).
    callbacks : sequence of keras.callbacks.Callback
    verbose : int
        Passed to ``fit``.

    Returns
    -------
    model : keras.Model
        Maps inputs of shape (n, 4) to class probabilities of shape (n, 3).
    history : keras.callbacks.History
        ``loss``, ``val_loss``, ``accuracy``, ``val_accuracy`` per epoch; validated on
        the last 24 of the 120 training flowers (the test flowers are not touched).

    Raises
    ------
    TypeError, ValueError
        Before Keras is imported or the data read, naming the argument: ``seed``
        not a whole number in [0, 2**32 - 1], ``epochs`` not a whole number >= 1,
        ``callbacks`` not a list of Keras callbacks, ``verbose`` not 0, 1, 2 or "auto".
    """
    door = Arguments("run_iris_challenge")
    seed = door.seed("seed", seed, allow_none=False)  # an int: Keras refuses NumPy integers
    epochs = door.integer("epochs", epochs, low=1, example=100)
    callbacks = _callback_list(door, callbacks)
    door.choice("verbose", verbose, VERBOSE)
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
        validation_data=validation, callbacks=callbacks, seed=None, verbose=verbose,
    )  # fmt: skip
    return model, history
