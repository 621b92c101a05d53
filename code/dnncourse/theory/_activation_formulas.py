"""The activation functions as NumPy formulas, shared by the pages "dnn" and "activations".

The activations page teaches these formulas (and :mod:`dnncourse.theory.activations`
re-exports them, so the page and the API reference name them there); the dnn page's
:func:`dnncourse.theory.dnn.forward_numpy` applies them.  They live one level below
both page modules so that neither page module imports the other's importer: the
activations module builds its deep networks with the dnn module's ``build_mlp``.
"""

from __future__ import annotations

import numpy as np

from dnncourse._args import Arguments

# --- activation functions and their derivatives, as formulas -----------------


def _door(func, x):
    """Refuse anything but finite numbers (a number or an array of any shape) at the door."""
    Arguments(func).array("x", x, what="a number or an array of numbers",
                          fix="Pass x as a number or a NumPy array, e.g. np.linspace(-3, 3, 7).")  # fmt: skip


def relu(x):
    """ReLU, max(0, x), elementwise; same shape as ``x``."""
    _door("relu", x)
    return np.maximum(0.0, x)


def relu_grad(x):
    """Derivative of ReLU: 1 for x > 0, else 0 (TensorFlow also uses 0 at x = 0)."""
    _door("relu_grad", x)
    return (np.asarray(x) > 0).astype(float)


def tanh(x):
    """Hyperbolic tangent, (e^x - e^-x) / (e^x + e^-x), elementwise."""
    _door("tanh", x)
    return np.tanh(x)


def tanh_grad(x):
    """Derivative of tanh: 1 - tanh(x)^2."""
    _door("tanh_grad", x)
    return 1.0 - np.tanh(x) ** 2


def softplus(x):
    """Softplus, log(1 + e^x), elementwise, written so that large x does not overflow."""
    _door("softplus", x)
    x = np.asarray(x, dtype=float)
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def softplus_grad(x):
    """Derivative of softplus: the sigmoid."""
    _door("softplus_grad", x)
    return sigmoid(x)


def sigmoid(x):
    """Logistic sigmoid, 1 / (1 + e^-x), elementwise."""
    _door("sigmoid", x)
    x = np.asarray(x, dtype=float)
    # exp of a negative number only: no overflow for large |x|
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(x):
    """Derivative of the sigmoid: s(x) (1 - s(x)), at most 1/4 (at x = 0)."""
    _door("sigmoid_grad", x)
    s = sigmoid(x)
    return s * (1.0 - s)


#: name -> (function, derivative), both NumPy.
NUMPY_ACTIVATIONS = {
    "relu": (relu, relu_grad),
    "tanh": (tanh, tanh_grad),
    "softplus": (softplus, softplus_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
}
