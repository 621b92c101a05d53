"""Learner-like iris exercises: good, borderline and faulty ``build_and_train(X, y)`` functions.

The calibration study (``tests/test_iris_calibration.py``) cross-validates each of
them with :func:`dnncourse.checks.check_iris` and trains each once on the whole
training file for :func:`dnncourse.checks.final_check_iris`, on several seeds, and
asks whether the iterate verdict predicts the final one.  Each is what a learner
might hand in: the course's solution and variations of it, a linear model, the
walkthrough as it is and trained longer, the workshop's challenge as it is, with
early stopping and with scaled inputs, too few epochs, too small a model, too large
a learning rate, too strong a penalty.

Every learner has the exercise's contract: it takes the rows it may train on, ``X``
of shape (n, 4) in cm and integer labels ``y`` of shape (n,), holds out the last
20 % of them for validation (what ``fit(..., validation_split=0.2)`` does), and
returns ``(model, history)``; the model maps raw measurements (m, 4) to class
probabilities (m, 3).  None of them seeds Keras: the checker does
(``keras.utils.set_random_seed`` before each training).  They train through
:func:`dnncourse.training.fit` (one ``tf.data`` pipeline per run), as the page's
code does.
"""

from __future__ import annotations

import functools

import keras
from keras import layers
from pages import page_cells

from dnncourse.solutions.iris import train_iris
from dnncourse.training import fit, holdout


@functools.cache
def page_function(name):
    """The function ``name`` as ``book/iris.md`` defines it: the page is its one source.

    Runs the page's import cell and the cell that defines ``name`` (neither trains).
    """
    cells = [
        c.source for c in page_cells("iris") if "remove-cell" not in c.metadata.get("tags", [])
    ]
    imports = next(c for c in cells if c.startswith("import "))
    (defining,) = [c for c in cells if f"def {name}(" in c]
    namespace = {}
    # the page's own code is the learner model under test
    exec(compile(imports + "\n" + defining, f"<book/iris.md: {name}>", "exec"), namespace)  # noqa: S102
    return namespace[name]


def _train(build, X, y, *, optimizer, epochs, batch_size=16, patience=None, scale=True):
    """One-hot ``y``, hold out the last 20 %, build on the fit rows, compile and fit.

    ``build(first_layers) -> list of layers`` gets ``[Input, Normalization]`` (or
    ``[Input]`` when ``scale`` is False) and returns the whole layer list.
    """
    Y = keras.utils.to_categorical(y, 3)
    (X_fit, Y_fit), (X_val, Y_val) = holdout(X, Y, val_fraction=0.2)
    first = [keras.Input(shape=(4,))]
    if scale:
        norm = layers.Normalization()
        norm.adapt(X_fit)
        first.append(norm)
    model = keras.Sequential(build(first))
    model.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=["accuracy"])
    callbacks = []
    if patience is not None:
        callbacks.append(
            keras.callbacks.EarlyStopping(patience=patience, restore_best_weights=True)
        )
    history = fit(
        model, X_fit, Y_fit, validation_data=(X_val, Y_val), epochs=epochs,
        batch_size=batch_size, callbacks=callbacks, seed=None,
    )  # fmt: skip
    return model, history


def softmax_out():
    return layers.Dense(3, activation="softmax")


# ------------------------------------------------------------------ good


def solution(X, y):
    """The course's solution: 16 ReLU units with L2 1e-2, Adam 0.01, early stopping."""
    return train_iris(X, y)


def dropout_32(X, y):
    """32 ReLU units with Dropout 0.2 instead of L2; Adam 0.01, early stopping (patience 30)."""
    return _train(
        lambda first: [*first, layers.Dense(32, activation="relu"), layers.Dropout(0.2), softmax_out()],
        X, y, optimizer=keras.optimizers.Adam(learning_rate=0.01), epochs=300, patience=30,
    )  # fmt: skip


def linear_softmax(X, y):
    """No hidden layer: softmax regression on scaled inputs; Adam 0.05, early stopping."""
    return _train(
        lambda first: [*first, softmax_out()],
        X, y, optimizer=keras.optimizers.Adam(learning_rate=0.05), epochs=300, patience=30,
    )  # fmt: skip


def two_layers(X, y):
    """Two hidden layers of 16 ReLU units, no penalty; Adam 0.01, early stopping (patience 20)."""
    return _train(
        lambda first: [
            *first, layers.Dense(16, activation="relu"), layers.Dense(16, activation="relu"),
            softmax_out(),
        ],
        X, y, optimizer=keras.optimizers.Adam(learning_rate=0.01), epochs=300, patience=20,
    )  # fmt: skip


def tanh_200_epochs(X, y):
    """8 tanh units, Adam 0.01, a fixed 200 epochs without early stopping."""
    return _train(
        lambda first: [*first, layers.Dense(8, activation="tanh"), softmax_out()],
        X, y, optimizer=keras.optimizers.Adam(learning_rate=0.01), epochs=200,
    )  # fmt: skip


def raw_inputs(X, y):
    """The solution's layers without the Normalization layer (raw cm)."""
    return _train(
        lambda first: [
            *first, layers.Dense(16, activation="relu", kernel_regularizer=keras.regularizers.L2(1e-2)),
            softmax_out(),
        ],
        X, y, optimizer=keras.optimizers.Adam(learning_rate=0.01), epochs=300, patience=30,
        scale=False,
    )  # fmt: skip


def walkthrough_longer(X, y):
    """The walkthrough's model and SGD 0.05, trained up to 400 epochs with early stopping."""
    return _train(
        lambda first: [*first, layers.Dense(8, activation="relu"), layers.Dropout(0.2), softmax_out()],
        X, y, optimizer=keras.optimizers.SGD(learning_rate=0.05), epochs=400, patience=30,
    )  # fmt: skip


# ------------------------------------------------------------------ the challenge and its half-fixes


def _challenge_layers(first):
    return [*first, *(layers.Dense(n, activation="relu") for n in (1000, 500, 70)), softmax_out()]


def challenge(X, y):
    """The page's ``train_challenge``: Dense 1000-500-70 on raw inputs, Adagrad 0.01,
    batches of 10, 100 epochs, no early stopping."""
    return page_function("train_challenge")(X, y)


def challenge_stopped(X, y):
    """The challenge with EarlyStopping(patience=20, restore_best_weights=True)."""
    return _train(
        _challenge_layers, X, y, optimizer=keras.optimizers.Adagrad(learning_rate=0.01),
        epochs=100, batch_size=10, patience=20, scale=False,
    )  # fmt: skip


def challenge_scaled(X, y):
    """The challenge with a Normalization layer first, nothing else changed."""
    return _train(
        _challenge_layers, X, y, optimizer=keras.optimizers.Adagrad(learning_rate=0.01),
        epochs=100, batch_size=10,
    )  # fmt: skip


# ------------------------------------------------------------------ faulty


def walkthrough(X, y):
    """The page's ``train_walkthrough`` as it is: 8 ReLU units, Dropout 0.2, SGD 0.05, 40 epochs."""
    return page_function("train_walkthrough")(X, y)


def few_epochs(X, y):
    """The solution's layers with Adam 0.001 for only 15 epochs."""
    return _train(
        lambda first: [*first, layers.Dense(16, activation="relu"), softmax_out()],
        X, y, optimizer=keras.optimizers.Adam(learning_rate=0.001), epochs=15,
    )  # fmt: skip


def one_unit(X, y):
    """A hidden layer of one ReLU unit; Adam 0.01, early stopping."""
    return _train(
        lambda first: [*first, layers.Dense(1, activation="relu"), softmax_out()],
        X, y, optimizer=keras.optimizers.Adam(learning_rate=0.01), epochs=300, patience=30,
    )  # fmt: skip


def huge_learning_rate(X, y):
    """The solution's layers with Adam at learning rate 1.0, 100 epochs."""
    return _train(
        lambda first: [*first, layers.Dense(16, activation="relu"), softmax_out()],
        X, y, optimizer=keras.optimizers.Adam(learning_rate=1.0), epochs=100,
    )  # fmt: skip


def strong_l2(X, y):
    """16 ReLU units with an L2 penalty of 0.3; Adam 0.01, early stopping."""
    return _train(
        lambda first: [
            *first, layers.Dense(16, activation="relu", kernel_regularizer=keras.regularizers.L2(0.3)),
            layers.Dense(3, activation="softmax", kernel_regularizer=keras.regularizers.L2(0.3)),
        ],
        X, y, optimizer=keras.optimizers.Adam(learning_rate=0.01), epochs=300, patience=30,
    )  # fmt: skip


#: The learners whose model keeps its best epoch (EarlyStopping(restore_best_weights=True)):
#: they are checked with ``best_epoch="min_val_loss"``, as the page tells a learner to.
KEEPS_BEST_EPOCH = frozenset(
    {
        "solution", "dropout_32", "linear_softmax", "two_layers", "raw_inputs",
        "walkthrough_longer", "challenge_stopped", "one_unit", "strong_l2",
    }
)  # fmt: skip


def best_epoch(name):
    """The ``best_epoch`` a learner who wrote ``name`` passes to the checker and ``diagnose``."""
    return "min_val_loss" if name in KEEPS_BEST_EPOCH else None


#: Name -> learner, the good ones first.
LEARNERS = {
    f.__name__: f
    for f in (
        solution, dropout_32, linear_softmax, two_layers, tanh_200_epochs, raw_inputs,
        walkthrough_longer, challenge, challenge_stopped, challenge_scaled, walkthrough,
        few_epochs, one_unit, huge_learning_rate, strong_l2,
    )
}  # fmt: skip
