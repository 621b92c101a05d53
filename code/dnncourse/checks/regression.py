"""Self-check of the regression exercise: test MSE at most 0.10."""

from __future__ import annotations

import numpy as np

from ..data import load_regression
from ..data.regression import NOISE_SIGMA
from ._common import report


def _call(model, X):
    """``model(X)`` as a NumPy array; a direct call, unlike ``predict``, traces nothing."""
    import keras

    return keras.ops.convert_to_numpy(model(np.asarray(X, dtype="float32"), training=False))


#: The exercise's target; the noise floor is NOISE_SIGMA**2 = 0.04.
TARGET_MSE = 0.10


def mse_on_test(model, preprocess=None):
    """Mean squared error of ``model`` on the regression test data.

    Parameters
    ----------
    model : keras.Model
        Maps inputs of shape (40, 2) to predictions of shape (40,) or (40, 1).
    preprocess : callable, optional
        Applied to the raw test inputs first, if your model expects scaled
        inputs (better: put a ``Normalization`` layer inside the model).

    Returns
    -------
    float
    """
    _, (X_test, y_test) = load_regression()
    X = X_test if preprocess is None else preprocess(X_test)
    y_hat = np.asarray(_call(model, X), dtype=float)
    if y_hat.size != y_test.size:
        raise AssertionError(
            f"regression exercise: expected one prediction per test point, shape "
            f"({len(y_test)}, 1), got shape {y_hat.shape}. The last layer should be Dense(1)."
        )
    return float(np.mean((y_hat.reshape(-1) - y_test) ** 2))


def check_regression(model, history=None, preprocess=None):
    """Does ``model`` reach test MSE <= 0.10 on the regression data?

    Parameters
    ----------
    model : keras.Model
        Your trained model; it receives the raw test inputs, shape (40, 2).
    history : keras.callbacks.History or dict, optional
        ``fit``'s return value: when given and the target is missed, the hint
        comes from :func:`dnncourse.diagnose.diagnose` with the noise floor.
    preprocess : callable, optional
        See :func:`mse_on_test`.

    Returns
    -------
    str
        The success message.

    Raises
    ------
    AssertionError
        With the expected and obtained MSE and a hint, when MSE > 0.10.
    """
    mse = mse_on_test(model, preprocess)
    hint = None
    if history is not None:
        from ..diagnose import diagnose

        hint = diagnose(history, noise_floor=NOISE_SIGMA**2).advice
    else:
        hint = (
            f"the noise floor is {NOISE_SIGMA**2:.2g}; scale the inputs, use a bigger model or "
            "Adam, train longer (pass history= for a diagnosis of your learning curves)."
        )
    return report("regression exercise", "test MSE", mse, TARGET_MSE, higher_is_better=False,
                  hint=hint)  # fmt: skip
