"""The workshop's SOLUTION settings, re-expressed in Keras 3, for the benchmark.

A maintainer tool (``tools/``, not in the wheel). The workshop solved its three
challenges with these settings; ``tools/bench.py`` trains them next to the
course's solutions, with the same builders as the challenges
(:mod:`dnncourse.challenges`).  Each config is a plain dict (for
tables and pages); each ``build_*`` function returns the compiled model and
``run_workshop`` trains one as the workshop did.  Keras is imported inside the
functions.

Differences from the workshop's code, none of which changes the model or its
training: ``keras.Input`` instead of ``input_dim=``, ``learning_rate=`` instead
of the old short keyword, and for MNIST integer labels with
``sparse_categorical_crossentropy`` instead of one-hot labels with
``categorical_crossentropy`` (the same loss), compiled with
``steps_per_execution=50`` like the seed network (50 batches per call into
TensorFlow: the same updates, faster; the benchmark gives both sides this engine
setting, so its ratio compares the settings, not the Keras call overhead).
The iris solution's Dropout(0.5) follows each of the three hidden layers.
"""

from __future__ import annotations

#: Regression: 3 hidden layers of 50 ReLU units, Adagrad 0.1, 1000 epochs, batch 10, MSE.
REGRESSION = {
    "hidden": (50, 50, 50),
    "optimizer": "adagrad",
    "learning_rate": 0.1,
    "epochs": 1000,
    "batch_size": 10,
}
#: Iris: hidden 1000-500-70 ReLU, each followed by Dropout 0.5; Adagrad 0.01, 2000 epochs, batch 10.
IRIS = {
    "hidden": (1000, 500, 70),
    "dropout": 0.5,
    "optimizer": "adagrad",
    "learning_rate": 0.01,
    "epochs": 2000,
    "batch_size": 10,
}
#: MNIST: the seed CNN with 32 second-layer filters and Dense 500; Adagrad 0.01, 10 epochs, batch 100.
CNN = {
    "filters": (4, 32),
    "dense": 500,
    "dropout": 0.4,
    "optimizer": "adagrad",
    "learning_rate": 0.01,
    "epochs": 10,
    "batch_size": 100,
}

CONFIGS = {"regression": REGRESSION, "iris": IRIS, "mnist": CNN}


def build_regression(config=REGRESSION):
    """:func:`dnncourse.challenges.regression_model` with the workshop's solution sizes."""
    from dnncourse.challenges import regression_model

    return regression_model(config["hidden"], config["learning_rate"])


def build_iris(config=IRIS):
    """:func:`dnncourse.challenges.iris_model` with the workshop's dropout."""
    from dnncourse.challenges import iris_model

    return iris_model(config["hidden"], config["learning_rate"], dropout=config["dropout"])


def build_cnn(config=CNN):
    """The workshop's solution CNN: :func:`dnncourse.challenges.seed_cnn`, widened."""
    from dnncourse.challenges import compile_seed, seed_cnn

    model = seed_cnn(filters=config["filters"], dense=config["dense"], dropout=config["dropout"])
    return compile_seed(model, config["optimizer"], config["learning_rate"])


BUILDERS = {"regression": build_regression, "iris": build_iris, "mnist": build_cnn}


def load_task(task):
    """The course data for ``task`` as the models take it.

    Returns
    -------
    (X_train, y_train), (X_test, y_test)
        Regression and iris as :mod:`dnncourse.data` returns them; MNIST prepared
        by :func:`dnncourse.data.mnist.prepare` (all 60,000 training images).
    """
    from dnncourse import data
    from dnncourse.data.mnist import load_prepared

    if task == "mnist":
        (X, y), _, test = load_prepared(n_val=0)
        return (X, y), test
    return {"regression": data.load_regression, "iris": data.load_iris}[task]()


def run_workshop(task, seed=0, verbose=0, callbacks=(), epochs=None):
    """Train the workshop's solution for ``task`` as the workshop did.

    The workshop passed its test set as ``validation_data`` (the pages explain why
    the course does not); that is kept here, so the time per epoch includes the
    same validation pass.

    Parameters
    ----------
    task : {"regression", "iris", "mnist"}
    seed : int
    verbose : int
    callbacks : sequence of keras.callbacks.Callback
    epochs : int, optional
        Overrides the config's epochs (for a quick run).

    Returns
    -------
    model : keras.Sequential
    history : keras.callbacks.History
    """
    import keras

    config = CONFIGS[task]
    keras.utils.set_random_seed(seed)
    (X_train, y_train), (X_test, y_test) = load_task(task)
    if task == "iris":  # the shared iris builder trains on one-hot labels
        y_train, y_test = (keras.utils.to_categorical(y, 3) for y in (y_train, y_test))
    model = BUILDERS[task](config)
    history = model.fit(
        X_train, y_train,
        validation_data=(X_test, y_test),
        epochs=epochs or config["epochs"], batch_size=config["batch_size"],
        verbose=verbose, callbacks=list(callbacks),
    )  # fmt: skip
    return model, history
