"""Learner-like regression exercises: good, borderline and faulty ``build_and_train(X, y)`` functions.

The calibration study (``tests/test_regression_calibration.py``) cross-validates each
of them with :func:`dnncourse.checks.check_regression`, trains each once on the whole
training file for :func:`dnncourse.checks.final_check_regression`, on several seeds,
and asks whether the iterate verdict predicts the final one.  Each is what a learner
might hand in: the course's solution and variations of it, the page's walkthrough as
it is and with a smaller learning rate, the page's challenge as it is and with scaled
inputs and Adam, a linear model, a large network without early stopping, too strong a
penalty, too few epochs, plain SGD.

Every learner has the exercise's contract: it takes the rows it may train on, ``X``
of shape (n, 2) (raw ``x1, x2``) and ``y`` of shape (n,), holds out the last 20 % of
them for validation (what ``fit(..., validation_split=0.2)`` does), and returns
``(model, history)``; the model maps raw inputs (m, 2) to predictions (m, 1).  None
of them seeds Keras: the checker does (``keras.utils.set_random_seed`` before each
training).  They train through :func:`dnncourse.training.fit` (one ``tf.data``
pipeline per run), as the page's code does with ``as_dataset``.
"""

from __future__ import annotations

import ast
import functools

import keras
from pages import page_cells

from dnncourse.solutions.regression import train_regression
from dnncourse.training import fit, holdout


@functools.cache
def page_definitions():
    """The functions, classes and constants ``book/regression.md`` defines, without training.

    Runs only the import statements, ``def``/``class`` statements and assignments to
    UPPER_CASE names of the page's visible code cells: the page is the one source of
    its ``train_model``, ``build_model`` and ``train_challenge``.
    """
    namespace = {}
    for k, cell in enumerate(page_cells("regression")):
        tags = cell.metadata.get("tags", [])
        if "remove-cell" in tags or "skip-execution" in tags or "parameters" in tags:
            continue
        kept = [
            statement
            for statement in ast.parse(cell.source).body
            if isinstance(statement, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef))
            or (
                isinstance(statement, ast.Assign)
                and all(isinstance(t, ast.Name) and t.id.isupper() for t in statement.targets)
            )
        ]
        module = ast.Module(body=kept, type_ignores=[])
        # the page's own code is the learner model under test
        exec(compile(module, f"<book/regression.md code cell {k}>", "exec"), namespace)  # noqa: S102
    return namespace


def page_function(name):
    """``train_model``, ``train_challenge``, ... as the page defines them."""
    return page_definitions()[name]


def _train(
    X,
    y,
    hidden=(64, 64, 64),
    *,
    activation="swish",
    optimizer=None,
    epochs=300,
    batch_size=10,
    patience=None,
    plateau=None,
    scale=True,
    l2=None,
):
    """Hold out the last 20 %, build Dense layers on the fit rows, compile with MSE and fit.

    ``patience``: early stopping with restored best weights; ``plateau``: the
    patience of ``ReduceLROnPlateau`` (halving the learning rate).
    """
    (X_fit, y_fit), (X_val, y_val) = holdout(X, y, val_fraction=0.2)
    layers = [keras.Input(shape=(2,))]
    if scale:
        norm = keras.layers.Normalization()
        norm.adapt(X_fit)
        layers.append(norm)
    penalty = keras.regularizers.L2(l2) if l2 else None
    layers += [
        keras.layers.Dense(n, activation=activation, kernel_regularizer=penalty) for n in hidden
    ]
    layers.append(keras.layers.Dense(1))
    model = keras.Sequential(layers)
    model.compile(optimizer=optimizer or keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    callbacks = []
    if plateau:
        callbacks.append(
            keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=plateau, min_lr=1e-4)
        )
    if patience:
        callbacks.append(
            keras.callbacks.EarlyStopping(patience=patience, restore_best_weights=True)
        )
    history = fit(
        model, X_fit, y_fit, epochs=epochs, batch_size=batch_size,
        validation_data=(X_val, y_val), callbacks=callbacks, seed=None,
    )  # fmt: skip
    return model, history


def solution(X, y):
    """The course's solution (:func:`dnncourse.solutions.regression.train_regression`)."""
    return train_regression(X, y)


def challenge(X, y):
    """The page's ``train_challenge``: the workshop's 5-5 ReLU, Adagrad 0.1, raw inputs."""
    return page_function("train_challenge")(X, y)


def walkthrough(X, y):
    """The page's ``train_model`` with its defaults: 32-32 ReLU, Adam 0.03, 50 epochs."""
    return page_function("train_model")(X, y)


def walkthrough_calmer(X, y):
    """The walkthrough with Adam 0.01 for up to 200 epochs (the page's patience of 20)."""
    return page_function("train_model")(X, y, epochs=200, learning_rate=0.01)


def walkthrough_tanh(X, y):
    """The walkthrough with 64 tanh units and Adam 0.01 for up to 200 epochs."""
    return page_function("train_model")(
        X, y, epochs=200, units=64, activation="tanh", learning_rate=0.01
    )


def challenge_scaled(X, y):
    """The challenge's 5-5 ReLU with scaled inputs, Adam 0.01 and early stopping: too small."""
    return _train(X, y, (5, 5), activation="relu", epochs=300, patience=50)


def linear(X, y):
    """A straight plane through the points: no hidden layer."""
    return _train(
        X, y, (), optimizer=keras.optimizers.Adam(learning_rate=0.1), epochs=100, patience=20
    )


def solution_relu(X, y):
    """The solution's network with ReLU instead of swish, its rate halved on plateaus."""
    return _train(X, y, activation="relu", epochs=300, patience=60, plateau=25)


def solution_short(X, y):
    """The solution's network, its rate halved on plateaus, stopped after 60 epochs at most."""
    return _train(X, y, epochs=60, plateau=10)


def big_no_stopping(X, y):
    """Three layers of 256 ReLU units, Adam 0.003, 300 epochs, no early stopping."""
    return _train(
        X, y, (256, 256, 256), activation="relu",
        optimizer=keras.optimizers.Adam(learning_rate=0.003), epochs=300,
    )  # fmt: skip


def strong_l2(X, y):
    """The solution's network with an L2 penalty of 0.03 on every hidden layer."""
    return _train(X, y, l2=0.03, epochs=300, patience=50, plateau=10)


def sgd(X, y):
    """32-32 ReLU with plain SGD at learning rate 0.01."""
    return _train(
        X, y, (32, 32), activation="relu", optimizer=keras.optimizers.SGD(learning_rate=0.01),
        epochs=200, patience=30,
    )  # fmt: skip


#: name -> build_and_train, in the order of the study's table.
LEARNERS = {
    f.__name__: f
    for f in (
        solution,
        solution_relu,
        solution_short,
        walkthrough,
        walkthrough_calmer,
        walkthrough_tanh,
        challenge,
        challenge_scaled,
        linear,
        big_no_stopping,
        strong_l2,
        sgd,
    )
}
