"""Self-check of the regression exercise: MSE at most 0.10, on validation while iterating.

:func:`check_regression` scores the validation rows (the last 20 % of the training
file, which the tutorial holds out of ``fit``) and may be run as often as you
like; :func:`final_check_regression` scores the 40 test points once.
"""

from __future__ import annotations

import numpy as np

from ..data import load_regression
from ..data.regression import NOISE_SIGMA
from ..training import holdout
from ._common import (
    DIVERGED,
    diagnosis_hint,
    nonfinite,
    predict,
    validation_line,
    validation_verdict,
)
from .final import final_verdict

#: The exercise's target, on validation and test data alike; the noise floor is NOISE_SIGMA**2 = 0.04.
TARGET_MSE = 0.10
#: Fraction of the training file held out for validation (``validation_split=0.2``).
VAL_FRACTION = 0.2
TASK = "regression exercise"
INPUT_HINT = "begin the model with keras.Input(shape=(2,)): each row is (x1, x2)"


def _predict(model, X, preprocess):
    """Predictions of shape (n,), with the checker's errors for wrong shapes."""
    X = X if preprocess is None else preprocess(X)
    y_hat = predict(model, X, TASK, INPUT_HINT)
    if y_hat.size != len(X):
        raise AssertionError(
            f"{TASK}: expected one prediction per input, shape ({len(X)}, 1), got shape "
            f"{y_hat.shape}. Hint: the last layer should be Dense(1)."
        )
    return y_hat.reshape(-1)


def validation_data():
    """``(X_val, y_val)``: the last 20 % of the training file, shapes (20, 2) and (20,)."""
    (X_train, y_train), _ = load_regression()
    return holdout(X_train, y_train, VAL_FRACTION)[1]


def mse_on_test(model, preprocess=None):
    """Mean squared error of ``model`` on the 40 test points (no message, no "once" record).

    Parameters
    ----------
    model : keras.Model or callable
        Maps inputs of shape (40, 2) to predictions of shape (40,) or (40, 1).
    preprocess : callable, optional
        Applied to the raw test inputs first, if your model expects scaled
        inputs (better: put a ``Normalization`` layer inside the model).

    Returns
    -------
    float
        NaN when any prediction is not finite.
    """
    _, (X_test, y_test) = load_regression()
    return float(np.mean((_predict(model, X_test, preprocess) - y_test) ** 2))


def check_regression(model, history=None, preprocess=None, best_epoch=None):
    """Iterate on this: does ``model`` reach MSE <= 0.10 on the validation rows?

    The validation rows are the last 20 % of the training file (20 points), the ones
    ``fit(..., validation_split=0.2)`` holds out; the test set is not touched.

    Parameters
    ----------
    model : keras.Model or callable
        Your trained model; it receives raw inputs of shape (n, 2).  A plain
        function ``f(X)`` taking a float32 array of shape (n, 2) works too.
    history : keras.callbacks.History or dict, optional
        ``fit``'s return value: when the target is missed, the hint comes from
        :func:`dnncourse.diagnose.diagnose` with the noise floor 0.04.
    preprocess : callable, optional
        Applied to the raw inputs first (better: a ``Normalization`` layer inside the model).
    best_epoch : optional
        Passed to :func:`~dnncourse.diagnose.diagnose` (the epoch your model keeps).

    Returns
    -------
    Verdict
        The success message (also printed); ``.value`` is the validation MSE.

    Raises
    ------
    AssertionError
        "expected validation MSE <= 0.1, got ..." and a hint, when the target is
        missed or the predictions are not finite; or when the model's input or
        output shape is wrong.
    """
    X_val, y_val = validation_data()
    y_hat = _predict(model, X_val, preprocess)
    bad = nonfinite(y_hat)
    mse = float(np.mean((y_hat - y_val) ** 2))
    line = validation_line(
        TASK,
        f"{len(y_val)} rows held out from the training file",
        "validation MSE",
        mse,
        TARGET_MSE,
        higher_is_better=False,
        bad=bad,
    )
    fallback = (
        f"the noise floor is {NOISE_SIGMA**2:.2g}; scale the inputs, use a bigger model or Adam, "
        "train longer (pass history= for a diagnosis of your learning curves)"
    )
    hint = (
        DIVERGED
        if bad
        else diagnosis_hint(history, fallback, noise_floor=NOISE_SIGMA**2, best_epoch=best_epoch)
    )
    return validation_verdict(
        [line],
        "final_check_regression(model)",
        hint,
        metric="validation MSE",
        value=mse,
        target=TARGET_MSE,
    )


def final_check_regression(model, preprocess=None):
    """Score the 40 test points once: the final MSE to report (never raises on a miss).

    Parameters
    ----------
    model, preprocess
        As for :func:`check_regression`.

    Returns
    -------
    Verdict
        ``.passed`` is whether test MSE <= 0.10; ``.value`` the test MSE.
    """
    _, (X_test, y_test) = load_regression()
    y_hat = _predict(model, X_test, preprocess)
    mse = float(np.mean((y_hat - y_test) ** 2))
    return final_verdict(
        TASK,
        f"{len(y_test)} test points",
        "test MSE",
        mse,
        TARGET_MSE,
        False,
        y_hat,
        bad=nonfinite(y_hat),
    )
