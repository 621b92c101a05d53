"""The MNIST tutorial's challenge: the workshop seed's CNN, trained as the seed says.

:func:`seed_cnn` is the course's one seed network (the convolution page counts
its parameters, the MNIST page trains it, the maintainer's benchmark widens it
to the workshop's solution); :func:`run_seed_cnn` trains it with the seed's
settings :data:`~dnncourse.challenges.mnist.SEED_SETTINGS`.  Keras is imported inside the functions.
"""

from __future__ import annotations

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
    """
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
    """Compile as the seed does: Adagrad, sparse categorical cross-entropy, accuracy.

    The seed used one-hot labels with ``categorical_crossentropy``; the sparse
    loss on integer labels is the same number without the one-hot copy.
    ``steps_per_execution`` changes how fast it runs, not what it computes: Keras
    hands TensorFlow 50 batches per call instead of one (the same weight updates,
    less Python between them; about 11 % less CPU time here).

    Parameters
    ----------
    model : keras.Model
    optimizer : {"adagrad", "adam"}
    learning_rate : float
    steps_per_execution : int
        Batches per call into TensorFlow (1 is Keras' default).
    """
    import keras

    optimizers = {"adagrad": keras.optimizers.Adagrad, "adam": keras.optimizers.Adam}
    model.compile(
        optimizer=optimizers[optimizer](learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        steps_per_execution=steps_per_execution,
    )
    return model


def run_seed_cnn(seed=0, verbose=0, callbacks=(), **settings):
    """Train :func:`seed_cnn` as the seed says, on the training images minus the validation set.

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
    """
    import keras

    s = {**SEED_SETTINGS, **settings}
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
