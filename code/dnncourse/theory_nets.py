"""NumPy versions of the pieces of a classifying network, to check Keras against.

The pages "Softmax and cross-entropy" and "Convolution and pooling" compute each
operation by hand here and show that Keras gives the same numbers. Everything is
plain NumPy except :func:`seed_cnn`, which imports Keras when called, so that
``import dnncourse.theory_nets`` stays light.

Shapes follow Keras: images are ``(height, width, channels)`` ("channels last")
and a convolution kernel is ``(kh, kw, channels_in, channels_out)``.
"""

from __future__ import annotations

import numpy as np

#: Keras' fuzz factor ``keras.backend.epsilon()``: probabilities are clipped to
#: ``[EPSILON, 1 - EPSILON]`` before the log, so that log(0) never occurs.
EPSILON = 1e-7


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
    """
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
    """
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
    """
    return float(np.mean(np.argmax(Y, axis=-1) == np.argmax(P, axis=-1)))


# --------------------------------------------------------------------------- convolution


def conv_output_size(n, k, stride=1, padding=0):
    """Length of a convolution or pooling output along one axis.

    ``floor((n + 2 * padding - k) / stride) + 1``; Keras' ``padding="valid"``
    means ``padding=0``.

    Parameters
    ----------
    n : int
        Input length (pixels).
    k : int
        Window (kernel or pool) length.
    stride : int
    padding : int
        Zero pixels added at each end.

    Returns
    -------
    int
    """
    return (n + 2 * padding - k) // stride + 1


def conv2d_valid(X, K, b=None):
    """2-D "valid" convolution as deep learning defines it (cross-correlation).

    ``out[i, j, c] = b[c] + sum_{u, v, d} X[i + u, j + v, d] * K[u, v, d, c]``:
    the window slides over every position where it fits entirely, and the kernel
    is not flipped (that is what ``keras.layers.Conv2D`` computes).

    Parameters
    ----------
    X : array_like, shape (H, W) or (H, W, C_in)
        One image; a 2-D array is treated as one channel.
    K : array_like, shape (kh, kw) or (kh, kw, C_in, C_out)
        Kernel; a 2-D array is one filter on one channel.
    b : array_like, shape (C_out,), optional
        Biases; zero when omitted.

    Returns
    -------
    ndarray, shape (H - kh + 1, W - kw + 1, C_out)
    """
    X = np.asarray(X, dtype=float)
    K = np.asarray(K, dtype=float)
    if X.ndim == 2:
        X = X[:, :, None]
    if K.ndim == 2:
        K = K[:, :, None, None]
    kh, kw, _, c_out = K.shape
    H, W, _ = X.shape
    out = np.zeros((H - kh + 1, W - kw + 1, c_out))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            window = X[i : i + kh, j : j + kw, :]  # (kh, kw, C_in)
            out[i, j] = np.tensordot(window, K, axes=3)  # sum over u, v, d
    if b is not None:
        out += np.asarray(b, dtype=float)
    return out


def max_pool(X, size=2, stride=None):
    """Max pooling with a ``size x size`` window, "valid" padding.

    Parameters
    ----------
    X : array_like, shape (H, W) or (H, W, C)
    size : int
        Window side.
    stride : int, optional
        Step between windows; defaults to ``size`` (non-overlapping windows),
        as in ``keras.layers.MaxPooling2D``.

    Returns
    -------
    ndarray, shape (H_out, W_out) or (H_out, W_out, C)
        With ``H_out = conv_output_size(H, size, stride)``; a leftover row or
        column that does not fill a window is dropped.
    """
    X = np.asarray(X, dtype=float)
    stride = size if stride is None else stride
    h_out = conv_output_size(X.shape[0], size, stride)
    w_out = conv_output_size(X.shape[1], size, stride)
    out = np.empty((h_out, w_out, *X.shape[2:]))
    for i in range(h_out):
        for j in range(w_out):
            window = X[i * stride : i * stride + size, j * stride : j * stride + size]
            out[i, j] = window.max(axis=(0, 1))
    return out


def shift_image(X, dy=0, dx=0):
    """Move an image down by ``dy`` and right by ``dx`` pixels, filling with zeros.

    Unlike ``np.roll`` nothing wraps around: pixels pushed over the edge are lost.

    Parameters
    ----------
    X : array_like, shape (H, W) or (H, W, C)
    dy, dx : int
        Non-negative shifts.

    Returns
    -------
    ndarray, same shape as ``X``
    """
    X = np.asarray(X)
    out = np.zeros_like(X)
    H, W = X.shape[:2]
    out[dy:, dx:] = X[: H - dy, : W - dx]
    return out


# --------------------------------------------------------------------------- the seed CNN

#: The workshop's seed CNN for MNIST, layer by layer (see :func:`seed_cnn`).
SEED_CNN_FILTERS = (4, 16)
SEED_CNN_KERNEL = 5
SEED_CNN_HIDDEN = 100


def seed_cnn():
    """The workshop's seed CNN for 28x28 grey digits, as a Keras model (not trained).

    Input (28, 28, 1) -> BatchNormalization -> Conv2D(4, 5, relu) -> MaxPooling2D(2)
    -> Conv2D(16, 5, relu) -> MaxPooling2D(2) -> Flatten -> Dense(100, relu)
    -> Dropout(0.4) -> Dense(10, softmax).

    Returns
    -------
    keras.Sequential
        Output shape (None, 10).
    """
    import keras  # imported here so that importing this module stays light

    f1, f2 = SEED_CNN_FILTERS
    k = SEED_CNN_KERNEL
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.BatchNormalization(),
            keras.layers.Conv2D(f1, k, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(f2, k, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(SEED_CNN_HIDDEN, activation="relu"),
            keras.layers.Dropout(0.4),
            keras.layers.Dense(10, activation="softmax"),
        ],
        name="seed_cnn",
    )


def seed_cnn_counts_by_hand():
    """Shapes and parameter counts of :func:`seed_cnn`, worked out by hand.

    A Conv2D layer has ``kh * kw * C_in * C_out`` weights plus ``C_out`` biases;
    a Dense layer ``n_in * n_out + n_out``; BatchNormalization four numbers per
    channel (scale, offset, moving mean, moving variance); pooling, flattening
    and dropout have none.

    Returns
    -------
    list of (str, tuple, int, str)
        One row per layer: layer kind, output shape (without the batch axis),
        parameter count, and the arithmetic as text.
    """
    f1, f2 = SEED_CNN_FILTERS
    k = SEED_CNN_KERNEL
    n1 = conv_output_size(28, k)  # 24
    p1 = conv_output_size(n1, 2, 2)  # 12
    n2 = conv_output_size(p1, k)  # 8
    p2 = conv_output_size(n2, 2, 2)  # 4
    flat = p2 * p2 * f2
    h = SEED_CNN_HIDDEN
    return [
        ("BatchNormalization", (28, 28, 1), 4 * 1, "4 x 1 channel"),
        ("Conv2D", (n1, n1, f1), k * k * 1 * f1 + f1, f"{k}*{k}*1*{f1} + {f1}"),
        ("MaxPooling2D", (p1, p1, f1), 0, "no parameters"),
        ("Conv2D", (n2, n2, f2), k * k * f1 * f2 + f2, f"{k}*{k}*{f1}*{f2} + {f2}"),
        ("MaxPooling2D", (p2, p2, f2), 0, "no parameters"),
        ("Flatten", (flat,), 0, "no parameters"),
        ("Dense", (h,), flat * h + h, f"{flat}*{h} + {h}"),
        ("Dropout", (h,), 0, "no parameters"),
        ("Dense", (10,), h * 10 + 10, f"{h}*10 + 10"),
    ]
