"""Helpers for the page "Softmax and cross-entropy": the formulas in NumPy.

The page computes each operation by hand here and shows that Keras gives the
same numbers.  Plain NumPy.
"""

from __future__ import annotations

import numpy as np

from dnncourse._args import Arguments, describe, number

#: Keras' fuzz factor ``keras.backend.epsilon()``: probabilities are clipped to
#: ``[EPSILON, 1 - EPSILON]`` before the log, so that log(0) never occurs.
EPSILON = 1e-7


# --------------------------------------------------------------------------- the door


def _logits(func, Z, axis):
    """``Z`` (finite numbers, at least 1-D, classes along ``axis``) and ``axis``, checked."""
    door = Arguments(func)
    Z = door.array("Z", Z, ndim=(1, None), what="logits (an array of numbers)",
                   fix="Pass Z as a NumPy array of logits, e.g. np.array([1.0, 2.0, 0.5]).")  # fmt: skip
    axis = door.integer("axis", axis, fix="Pass the class axis, e.g. axis=-1.")
    if not -Z.ndim <= axis < Z.ndim:
        door.fail("axis", f"an axis of Z, from {-Z.ndim} to {Z.ndim - 1}", describe(axis),
                  "Pass axis=-1 (the last axis holds the classes).")  # fmt: skip
    if Z.size == 0:
        door.fail("Z", "at least one logit", f"an array of shape {Z.shape}",
                  "Pass at least one row and one class.")  # fmt: skip


def _pair(func, Y, P, p_name, what, probabilities):
    """One-hot (or soft) labels ``Y`` and predictions ``P`` of the same shape (n, K)."""
    door = Arguments(func)
    Y = door.array("Y", Y, ndim=2, low_rows=1, what="one-hot labels of shape (n, K)",
                   fix="Pass Y with one row per sample, e.g. np.eye(3)[y] for labels y.")  # fmt: skip
    P = door.array(p_name, P, ndim=2, low_rows=1, what=f"{what} of shape (n, K)",
                   fix=f"Pass {p_name} with one row per sample and one column per class.")  # fmt: skip
    if Y.shape != P.shape or Y.shape[1] == 0:
        raise ValueError(
            f"{func}(), arguments Y, {p_name}: expected the same shape (n, K) with K >= 1, got "
            f"{Y.shape} and {P.shape}. Pass one row per sample and one column per class in both."
        ) from None
    for name, A in (("Y", Y), (p_name, P)) if probabilities else (("Y", Y),):
        bad = (A < 0) | (A > 1)
        if bad.any():
            at = tuple(int(i) for i in np.argwhere(bad)[0])
            door.fail(name, "values in [0, 1] (probabilities)",
                      f"{number(A[at])} at index {at}",
                      "Pass probabilities (softmax outputs) and one-hot labels, not logits "
                      "or class numbers.")  # fmt: skip


# --------------------------------------------------------------------------- softmax


def softmax_naive(Z, axis=-1):
    """Softmax straight from the formula ``exp(z_k) / sum_j exp(z_j)``.

    Overflows for logits above about 709 (``exp`` of float64) and returns NaN:
    shown on the page as the thing *not* to do.

    Parameters
    ----------
    Z : array_like, shape (..., K)
        Logits (scores) for K classes.
    axis : int
        The class axis.

    Returns
    -------
    ndarray, shape (..., K)
    """
    _logits("softmax_naive", Z, axis)
    E = np.exp(np.asarray(Z, dtype=float))
    return E / E.sum(axis=axis, keepdims=True)


def softmax(Z, axis=-1):
    """Numerically stable softmax: subtract the largest logit first.

    ``softmax(z) == softmax(z - c)`` for any constant ``c``; with ``c = max(z)``
    every exponent is <= 0, so ``exp`` cannot overflow and the largest term is 1,
    so the denominator cannot be 0.

    Parameters
    ----------
    Z : array_like, shape (..., K)
        Logits for K classes.
    axis : int
        The class axis.

    Returns
    -------
    ndarray, shape (..., K)
        Probabilities: non-negative, summing to 1 along ``axis``.
    """
    _logits("softmax", Z, axis)
    Z = np.asarray(Z, dtype=float)
    E = np.exp(Z - Z.max(axis=axis, keepdims=True))
    return E / E.sum(axis=axis, keepdims=True)


def log_softmax(Z, axis=-1):
    """``log(softmax(Z))`` without ever taking the log of a rounded-to-zero probability.

    Uses ``log softmax(z)_k = (z_k - m) - log sum_j exp(z_j - m)`` with ``m = max(z)``.

    Parameters
    ----------
    Z : array_like, shape (..., K)
    axis : int

    Returns
    -------
    ndarray, shape (..., K)
    """
    _logits("log_softmax", Z, axis)
    Z = np.asarray(Z, dtype=float)
    S = Z - Z.max(axis=axis, keepdims=True)
    return S - np.log(np.exp(S).sum(axis=axis, keepdims=True))


# --------------------------------------------------------------------------- losses


def cross_entropy(Y, P, eps=EPSILON):
    """Mean categorical cross-entropy ``-(1/n) sum_i sum_k Y_ik log P_ik``.

    Note the minus sign: ``log p <= 0`` for a probability, so the minus makes the
    loss non-negative, and 0 only for a confident correct prediction.

    Parameters
    ----------
    Y : array_like, shape (n, K)
        One-hot (or soft) labels; each row sums to 1.
    P : array_like, shape (n, K)
        Predicted probabilities; each row sums to 1.
    eps : float
        Probabilities are clipped to ``[eps, 1 - eps]`` first, as Keras does, so
        that a zero probability gives a large finite loss instead of infinity.

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        For anything but the arrays described above (one error naming the argument).
    """
    _pair("cross_entropy", Y, P, "P", "probabilities", probabilities=True)
    Arguments("cross_entropy").real("eps", eps, low=0, high=0.5, low_open=True, high_open=True,
                                    example=1e-7)  # fmt: skip
    Y = np.asarray(Y, dtype=float)
    P = np.clip(np.asarray(P, dtype=float), eps, 1.0 - eps)
    return float(np.mean(-np.sum(Y * np.log(P), axis=-1)))


def cross_entropy_from_logits(Y, Z):
    """Mean categorical cross-entropy computed from logits via :func:`log_softmax`.

    Parameters
    ----------
    Y : array_like, shape (n, K)
        One-hot labels.
    Z : array_like, shape (n, K)
        Logits (before softmax).

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        For anything but the arrays described above (one error naming the argument).
    """
    _pair("cross_entropy_from_logits", Y, Z, "Z", "logits", probabilities=False)
    Y = np.asarray(Y, dtype=float)
    return float(np.mean(-np.sum(Y * log_softmax(Z), axis=-1)))


def accuracy(Y, P):
    """Fraction of rows whose most probable class is the labelled class.

    Parameters
    ----------
    Y : array_like, shape (n, K)
        One-hot labels.
    P : array_like, shape (n, K)
        Predicted probabilities (or logits: only the arg-max matters).

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        For anything but the arrays described above (one error naming the argument).
    """
    _pair("accuracy", Y, P, "P", "probabilities or logits", probabilities=False)
    return float(np.mean(np.argmax(Y, axis=-1) == np.argmax(P, axis=-1)))
