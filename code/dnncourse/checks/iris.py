"""Self-check of the iris exercise: test accuracy >= 29/30 and the two new samples right."""

from __future__ import annotations

import numpy as np

from ..data import load_iris
from ..data.iris import NEW_CLASSES, NEW_SAMPLES
from ._common import report


def _call(model, X):
    """``model(X)`` as a NumPy array; a direct call, unlike ``predict``, traces nothing."""
    import keras

    return keras.ops.convert_to_numpy(model(np.asarray(X, dtype="float32"), training=False))


#: At most one of the 30 test flowers may be misclassified.
TARGET_ACCURACY = 29 / 30


def predict_classes(model, X, preprocess=None):
    """Class labels of shape (n,) from a model giving probabilities of shape (n, 3)."""
    X = X if preprocess is None else preprocess(X)
    p = np.asarray(_call(model, X), dtype=float)
    if p.ndim != 2 or p.shape[1] != 3:
        raise AssertionError(
            f"iris exercise: expected class probabilities of shape ({len(X)}, 3), got shape "
            f"{p.shape}. The last layer should be Dense(3, activation='softmax')."
        )
    return p.argmax(axis=1)


def check_iris(model, history=None, preprocess=None):
    """Does ``model`` classify >= 29 of the 30 test flowers and both new samples right?

    Parameters
    ----------
    model : keras.Model
        Your trained model; it receives raw measurements of shape (n, 4) and
        returns probabilities of shape (n, 3).
    history : keras.callbacks.History or dict, optional
        ``fit``'s return value: when given and the accuracy target is missed,
        the hint comes from :func:`dnncourse.diagnose.diagnose`.
    preprocess : callable, optional
        Applied to the raw inputs first, if your model expects scaled inputs
        (better: put a ``Normalization`` layer inside the model).

    Returns
    -------
    str
        The success message.

    Raises
    ------
    AssertionError
        With expected, got and a hint, when either condition fails.
    """
    _, (X_test, y_test) = load_iris()
    accuracy = float(np.mean(predict_classes(model, X_test, preprocess) == y_test))
    message = report("iris exercise", "test accuracy", accuracy, TARGET_ACCURACY,
                     history=history)  # fmt: skip
    got = predict_classes(model, NEW_SAMPLES, preprocess)
    n_right = int(np.sum(got == NEW_CLASSES))
    hint = (
        f"the two new flowers were predicted as classes {got.tolist()}, expected "
        f"{NEW_CLASSES.tolist()}; the second lies near the versicolor/virginica border, so the "
        "model's boundary there matters: try standardised inputs and a little regularisation."
    )
    return message + " " + report("iris exercise", "correctly predicted new samples", n_right, 2,
                                  hint=hint)  # fmt: skip
