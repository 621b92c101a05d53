"""The MNIST tutorial's challenge: the workshop seed's CNN and settings, with five differences.

:func:`seed_cnn` is the course's one seed network (the convolution page counts
its parameters, the maintainer's benchmark widens it to the workshop's solution);
:func:`run_seed_cnn` trains it with the seed's settings
:data:`~dnncourse.challenges.mnist.SEED_SETTINGS` (Adagrad at 0.01, 5 epochs,
batches of 100) for the tests and the calibration study.  The MNIST page writes
the same network, compile and fit in its own cells, for the learner to change; a
hidden cell there asserts that they equal these.

What differs from the workshop seed's own code (the same five points the page lists):

1. the grey values are scaled from 0..255 to [0, 1]
   (:func:`dnncourse.data.mnist.prepare`; the network's first layer normalises
   its input either way);
2. it trains on 55,000 of the 60,000 training images, not on all of them;
3. it validates on the other 5,000 training images, not on the test images;
4. the labels stay integers 0..9 with ``sparse_categorical_crossentropy`` (the
   same loss as ``categorical_crossentropy`` on one-hot labels);
5. ``compile`` gets ``steps_per_execution=50`` (50 batches per call into
   TensorFlow: the same weight updates, less Python between them).

It is also written in Keras 3 (``keras.Input``, ``learning_rate=``), which changes
nothing it computes.  Keras is imported inside the functions.
"""

from __future__ import annotations

from .._args import Arguments, describe
from ..training import VERBOSE, _callback_list

#: The seed network's architecture: two 5x5 convolutions and a dense head.
SEED_CNN = {"filters": (4, 16), "kernel": 5, "dense": 100, "dropout": 0.4}


def seed_cnn(filters=SEED_CNN["filters"], dense=SEED_CNN["dense"], dropout=SEED_CNN["dropout"]):
    """The workshop seed's CNN (uncompiled): 2 small convolutions, then a dense head.

    BatchNormalization of the input, Conv2D 4 filters 5x5 ReLU, MaxPooling 2x2,
    Conv2D 16 filters 5x5 ReLU, MaxPooling 2x2, Flatten, Dense 100 ReLU,
    Dropout 0.4, Dense 10 softmax.  Feature maps: (28, 28, 1) -> (24, 24, 4)
    -> (12, 12, 4) -> (8, 8, 16) -> (4, 4, 16) -> 256 -> 100 -> 10;
    28,434 parameters (2 of them the input normalisation's running statistics,
    not trained).

    The workshop's solution widened it: ``seed_cnn(filters=(4, 32), dense=500)``
    (``tools/workshop.py``).

    Parameters
    ----------
    filters : (int, int)
        Filters of the two 5x5 convolutions.
    dense : int
        Units of the hidden dense layer.
    dropout : float
        Dropout rate after the hidden dense layer.

    Returns
    -------
    keras.Sequential
        Input (None, 28, 28, 1), output (None, 10) class probabilities.

    Raises
    ------
    TypeError, ValueError
        Before Keras is imported, naming the argument: ``filters`` not two whole
        numbers in [1, 1024], ``dense`` not a whole number in [1, 10000],
        ``dropout`` not a number in [0, 1).
    """
    door = Arguments("seed_cnn")
    filters = door.units("filters", filters, count=2, high=1024, example=SEED_CNN["filters"])
    dense = door.integer("dense", dense, low=1, high=10_000, example=SEED_CNN["dense"])
    dropout = float(
        door.real("dropout", dropout, low=0, high=1, high_open=True, example=SEED_CNN["dropout"])
    )
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.BatchNormalization(),
            layers.Conv2D(filters[0], SEED_CNN["kernel"], activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(filters[1], SEED_CNN["kernel"], activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(dense, activation="relu"),
            layers.Dropout(dropout),
            layers.Dense(10, activation="softmax"),
        ],
        name="seed_cnn",
    )


#: The seed's training settings (also the exercise's challenge).
SEED_SETTINGS = {"optimizer": "adagrad", "learning_rate": 0.01, "epochs": 5, "batch_size": 100}


def compile_seed(model, optimizer="adagrad", learning_rate=0.01, steps_per_execution=50):
    """Compile with the seed's optimizer and two of the five differences from its code.

    Adagrad at 0.01 and the accuracy metric as the seed; differences 4 and 5 of
    the module's list: integer labels with ``sparse_categorical_crossentropy``
    (the seed used one-hot labels with ``categorical_crossentropy``, the same
    number without the one-hot copy), and ``steps_per_execution=50``, which
    changes how fast it runs, not what it computes (Keras hands TensorFlow 50
    batches per call instead of one: about 11 % less CPU time here).

    Parameters
    ----------
    model : keras.Model
    optimizer : {"adagrad", "adam"}
    learning_rate : float
    steps_per_execution : int
        Batches per call into TensorFlow (1 is Keras' default, and the only value
        Keras' PyTorch backend allows: there it is always 1).

    Raises
    ------
    TypeError, ValueError
        Before Keras is imported, naming the argument: ``model`` not a Keras
        model, ``optimizer`` not ``"adagrad"`` or ``"adam"``, ``learning_rate``
        not a number > 0, ``steps_per_execution`` not a whole number >= 1.
    """
    door = Arguments("compile_seed")
    if isinstance(model, type) or not callable(getattr(model, "compile", None)):
        door.fail("model", "a keras.Model", describe(model),
                  "Pass the network, e.g. compile_seed(seed_cnn()).", TypeError)  # fmt: skip
    _check_optimizer(door, optimizer)
    learning_rate = float(
        door.real("learning_rate", learning_rate, low=0, low_open=True, example=0.01)
    )
    steps_per_execution = door.integer("steps_per_execution", steps_per_execution, low=1,
                                       example=50)  # fmt: skip
    import keras

    if keras.backend.backend() == "torch":  # Keras' torch backend runs one batch per call
        steps_per_execution = 1
    optimizers = {"adagrad": keras.optimizers.Adagrad, "adam": keras.optimizers.Adam}
    model.compile(
        optimizer=optimizers[optimizer](learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        steps_per_execution=steps_per_execution,
    )
    return model


def run_seed_cnn(seed=0, verbose=0, callbacks=(), **settings):
    """Train :func:`seed_cnn` with the seed's settings and the five differences of the module.

    Adagrad at 0.01, 5 epochs, batches of 100, as the seed; but on grey values
    scaled to [0, 1], on 55,000 training images validated on the 5,000 others (the
    seed trained on all 60,000 and validated on the test images), with integer
    labels and ``steps_per_execution=50`` (:func:`compile_seed`).

    Parameters
    ----------
    seed : int
        Passed to ``keras.utils.set_random_seed``.
    verbose : int
        Passed to ``model.fit``.
    callbacks : sequence of keras.callbacks.Callback
    **settings
        Overrides of :data:`~dnncourse.challenges.mnist.SEED_SETTINGS` (``optimizer``, ``learning_rate``,
        ``epochs``, ``batch_size``).

    Returns
    -------
    model : keras.Sequential
    history : keras.callbacks.History
        ``loss``, ``accuracy``, ``val_loss``, ``val_accuracy`` per epoch.

    Raises
    ------
    TypeError, ValueError
        Before Keras is imported or MNIST read, naming the argument: ``seed``
        not a whole number in [0, 2**32 - 1], ``verbose`` not 0, 1, 2 or
        "auto", ``callbacks`` not a list of Keras callbacks, a setting that
        :data:`~dnncourse.challenges.mnist.SEED_SETTINGS` does not hold, or a setting's value out of range.
    """
    door = Arguments("run_seed_cnn")
    seed = door.seed("seed", seed, allow_none=False)  # an int: Keras refuses NumPy integers
    door.choice("verbose", verbose, VERBOSE)
    callbacks = _callback_list(door, callbacks)
    for key, value in settings.items():
        if key not in SEED_SETTINGS:
            door.fail(key, f"one of the settings {', '.join(SEED_SETTINGS)}",
                      f"{key}={describe(value)}", "Pass only these, e.g. epochs=2.", TypeError)  # fmt: skip
    s = {**SEED_SETTINGS, **settings}
    _check_optimizer(door, s["optimizer"])
    s["learning_rate"] = float(
        door.real("learning_rate", s["learning_rate"], low=0, low_open=True, example=0.01)
    )
    s["epochs"] = door.integer("epochs", s["epochs"], low=1, example=5)
    s["batch_size"] = door.integer("batch_size", s["batch_size"], low=1, example=100)
    import keras

    keras.utils.set_random_seed(seed)
    from ..data.mnist import load_prepared

    (X_train, y_train), (X_val, y_val), _ = load_prepared()
    model = compile_seed(seed_cnn(), s["optimizer"], s["learning_rate"])
    history = model.fit(
        X_train,
        y_train,
        validation_data=(X_val, y_val),
        epochs=s["epochs"],
        batch_size=s["batch_size"],
        verbose=verbose,
        callbacks=list(callbacks),
    )
    return model, history


def _check_optimizer(door, optimizer):
    """``"adagrad"`` or ``"adam"``: the optimizers :func:`compile_seed` knows by name."""
    names = ("adagrad", "adam")
    if isinstance(optimizer, str) and optimizer not in names and optimizer.strip().lower() in names:
        door.fail("optimizer", "one of 'adagrad', 'adam'", describe(optimizer),
                  f"Pass optimizer={optimizer.strip().lower()!r} (lower case).")  # fmt: skip
    return door.choice("optimizer", optimizer, names)
