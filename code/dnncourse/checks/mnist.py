"""Self-check of the MNIST exercise: test accuracy of the learner's CNN."""

from __future__ import annotations

import numpy as np

from ._common import report


def check_mnist(model, history=None, target=0.99):
    """Evaluate a trained model on the 10,000 MNIST test digits.

    The digits are prepared as on the page (:func:`dnncourse.data.mnist.prepare`: floats
    in [0, 1], shape (n, 28, 28, 1)), so the model must take that input and return
    10 class scores per digit.

    Parameters
    ----------
    model : keras.Model
        Input (None, 28, 28, 1), output (None, 10).
    history : keras.callbacks.History or dict, optional
        The ``fit`` history with validation curves; on failure its diagnosis
        becomes the hint.
    target : float
        Test accuracy to reach (the exercise asks for 0.99).

    Returns
    -------
    str
        The success message (also printed).

    Raises
    ------
    AssertionError
        Saying expected and got accuracy, by how much it fell short, and a hint.
    """
    from .. import data
    from ..data.mnist import prepare

    _, (X_test, y_test) = data.load_mnist()
    scores = np.asarray(model.predict(prepare(X_test), batch_size=1000, verbose=0))
    if scores.shape != (len(y_test), 10):
        raise AssertionError(
            f"MNIST exercise: expected the model to return 10 class scores per digit, "
            f"shape ({len(y_test)}, 10), got {scores.shape}. Hint: end with Dense(10, "
            "activation='softmax') and take input of shape (28, 28, 1)."
        )
    accuracy = float(np.mean(scores.argmax(axis=1) == y_test))
    return report("MNIST exercise", "test accuracy", accuracy, target, history=history)
