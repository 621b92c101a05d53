"""The regression tutorial's challenge: the workshop's settings, as data and as a builder.

The tutorial page writes the walkthrough and the challenge out in its own code
cells, which the learner runs and changes; the course's tests take the
challenge from the page.  What stays here is what the page does not teach:

* :data:`REGRESSION_CHALLENGE`, the workshop's challenge settings, which the
  tests compare with the page's challenge cell;
* :func:`regression_model`, the workshop's network family (raw inputs, ReLU
  layers, Adagrad), with which ``tools/workshop.py`` builds the workshop's
  *solution* (50-50-50) for the benchmark.

How the page's challenge differs from the workshop's: the network (2 inputs
without scaling, Dense 5 and Dense 5 with ReLU, Dense 1 without activation),
the loss (MSE), the optimizer (Adagrad, learning rate 0.1), the epochs (100)
and the batch size (10) are the workshop's.  Three things differ.  (1) The data:
the course's own 100 training and 40 test points, drawn from a surface like
the workshop's (``data/README.md``).  (2) What it trains and validates on: the
workshop trained on all its training points and passed its *test* set as
``validation_data``; the page trains on the first 80 % of the rows it is
given and validates on the last 20 % (as ``validation_split=0.2`` would; 80
and 20 of the training file's 100), so the test set plays no part.  (3) Spelling: Keras 3 (``keras.Input``,
``learning_rate=``) where the workshop wrote Keras 2; the model is the same.
Batches come from a ``tf.data`` pipeline reshuffled every epoch, as
``fit(shuffle=True)`` reshuffles arrays.

Keras is imported inside the function so that importing this module stays light.
"""

from __future__ import annotations

from .._args import Arguments

#: The workshop's challenge settings: raw inputs, hidden Dense ReLU layers, Adagrad, MSE.
REGRESSION_CHALLENGE = {
    "hidden": (5, 5),
    "activation": "relu",
    "optimizer": "adagrad",
    "learning_rate": 0.1,
    "epochs": 100,
    "batch_size": 10,
}


def regression_model(
    hidden=REGRESSION_CHALLENGE["hidden"], learning_rate=REGRESSION_CHALLENGE["learning_rate"]
):
    """The workshop's network family: raw inputs, Dense ReLU layers, one linear output.

    With the defaults it is the challenge network; ``tools/workshop.py`` builds
    the workshop's solution with ``hidden=(50, 50, 50)``.

    Parameters
    ----------
    hidden : sequence of int
        Units of each hidden layer.
    learning_rate : float
        Adagrad's learning rate.

    Returns
    -------
    keras.Sequential
        Compiled (Adagrad, MSE); input (None, 2), output (None, 1).

    Raises
    ------
    TypeError, ValueError
        Before Keras is imported, naming the argument: ``hidden`` not a tuple of
        whole numbers in [1, 10000], ``learning_rate`` not a number > 0.
    """
    door = Arguments("regression_model")
    hidden = door.units("hidden", hidden, example=(50, 50, 50))
    learning_rate = float(
        door.real("learning_rate", learning_rate, low=0, low_open=True, example=0.1)
    )
    import keras

    model = keras.Sequential(
        [keras.Input(shape=(2,))]
        + [keras.layers.Dense(n, activation="relu") for n in hidden]
        + [keras.layers.Dense(1)]
    )
    model.compile(optimizer=keras.optimizers.Adagrad(learning_rate=learning_rate), loss="mse")
    return model
