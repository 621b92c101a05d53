"""Helpers for the page "Convolution and pooling": the operations by hand, and a look inside.

NumPy versions of a "valid" convolution and of max pooling, the output-size
formula, parameter counts of the seed CNN worked out by hand, and two functions
that look inside a trained Keras CNN (its first-layer kernels and its feature
maps), which the MNIST tutorial uses as well.  Keras is imported inside the
functions that need it.

Shapes follow Keras: images are ``(height, width, channels)`` ("channels last")
and a convolution kernel is ``(kh, kw, channels_in, channels_out)``.
"""

from __future__ import annotations

import numpy as np

from dnncourse._args import Arguments, describe
from dnncourse.backend import import_keras

_IMAGE = "an image of shape (H, W) or (H, W, C)"


def _image(door, name, X):
    fix = f"Pass {name} as one image, e.g. a (28, 28) array."
    X = door.array(name, X, ndim=(2, 3), what=_IMAGE, fix=fix)
    if 0 in X.shape:
        door.fail(name, f"{_IMAGE} with no size 0", f"an array of shape {X.shape}", fix)
    return X


def _model(door, model):
    """Something with ``layers`` (a Keras model), checked without importing Keras."""
    if isinstance(model, type) or not isinstance(getattr(model, "layers", None), list):
        door.fail("model", "a keras.Model (with .layers)", describe(model),
                  "Pass the trained network, e.g. first_layer_filters(model).", TypeError)  # fmt: skip


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
    door = Arguments("conv_output_size")
    n = door.integer("n", n, low=1, example=28)
    k = door.integer("k", k, low=1, example=3)
    stride = door.integer("stride", stride, low=1, example=1)
    padding = door.integer("padding", padding, low=0, example=0)
    if k > n + 2 * padding:
        door.fail("k", f"a window no longer than the padded input, n + 2 * padding = "
                  f"{n + 2 * padding}", describe(k), "Pass a smaller k or a larger n.")  # fmt: skip
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
    door = Arguments("conv2d_valid")
    X_, K_ = _image(door, "X", X), door.array(
        "K", K, what="a kernel of shape (kh, kw) or (kh, kw, C_in, C_out)",
        fix="Pass K as e.g. np.ones((3, 3)) / 9 (one filter on one channel).")  # fmt: skip
    if K_.ndim not in (2, 4) or 0 in K_.shape:
        door.fail("K", "a kernel of shape (kh, kw) or (kh, kw, C_in, C_out), no size 0",
                  f"an array of shape {K_.shape}", "Pass K as e.g. np.ones((3, 3)) / 9.")  # fmt: skip
    c_in = X_.shape[2] if X_.ndim == 3 else 1
    if (K_.shape[2] if K_.ndim == 4 else 1) != c_in or K_.shape[0] > X_.shape[0] \
            or K_.shape[1] > X_.shape[1] or 0 in X_.shape:  # fmt: skip
        raise ValueError(
            f"conv2d_valid(), arguments X, K: expected a kernel (kh, kw, C_in, ...) that fits "
            f"the image (H, W, C_in), got X of shape {X_.shape} and K of shape {K_.shape}. "
            f"Pass a kernel no larger than the image, with as many input channels."
        ) from None
    if b is not None:
        c_out = K_.shape[3] if K_.ndim == 4 else 1
        door.array("b", b, shape=(c_out,), what="biases, one per filter")
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
    door = Arguments("max_pool")
    X_ = _image(door, "X", X)
    size = door.integer("size", size, low=1, high=max(1, min(X_.shape[:2])), example=2)
    if stride is not None:
        door.integer("stride", stride, low=1, example=2,
                     fix="Pass a whole number such as stride=2, or stride=None for stride=size.")  # fmt: skip
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
    door = Arguments("shift_image")
    X_ = _image(door, "X", X)
    door.integer("dy", dy, low=0, high=X_.shape[0], example=1)
    door.integer("dx", dx, low=0, high=X_.shape[1], example=1)
    X = np.asarray(X)
    out = np.zeros_like(X)
    H, W = X.shape[:2]
    out[dy:, dx:] = X[: H - dy, : W - dx]
    return out


def conv_layer_alternatives(n, k, c_in, c_out):
    """Parameters of three layers that map an ``n x n x c_in`` image to the same outputs.

    The outputs are those of a "valid" ``Conv2D(c_out, k)``: ``m x m x c_out``
    numbers with ``m = n - k + 1``.

    * ``"dense"``: a ``Dense`` layer from all ``n * n * c_in`` inputs to every
      output, ``(n * n * c_in + 1) * (m * m * c_out)``;
    * ``"locally connected"``: each output sees only its ``k x k x c_in`` window
      (local connectivity) but every position has weights of its own,
      ``m * m * (k * k * c_in + 1) * c_out``;
    * ``"convolution"``: local windows *and* one set of weights shared by all
      positions, ``(k * k * c_in + 1) * c_out``.

    Parameters
    ----------
    n, k, c_in, c_out : int
        Image side, filter side, input channels, filters.

    Returns
    -------
    dict
        The three counts, keyed as above, from largest to smallest.
    """
    door = Arguments("conv_layer_alternatives")
    n = door.integer("n", n, low=1, example=28)
    door.integer("k", k, low=1, high=n, example=3)
    door.integer("c_in", c_in, low=1, example=1)
    door.integer("c_out", c_out, low=1, example=32)
    m = conv_output_size(n, k)
    return {
        "dense": (n * n * c_in + 1) * (m * m * c_out),
        "locally connected": m * m * (k * k * c_in + 1) * c_out,
        "convolution": (k * k * c_in + 1) * c_out,
    }


def seed_cnn_counts_by_hand():
    """Shapes and parameter counts of :func:`dnncourse.challenges.mnist.seed_cnn`, worked out by hand.

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
    from dnncourse.challenges.mnist import SEED_CNN

    f1, f2 = SEED_CNN["filters"]
    k = SEED_CNN["kernel"]
    n1 = conv_output_size(28, k)  # 24
    p1 = conv_output_size(n1, 2, 2)  # 12
    n2 = conv_output_size(p1, k)  # 8
    p2 = conv_output_size(n2, 2, 2)  # 4
    flat = p2 * p2 * f2
    h = SEED_CNN["dense"]
    return [
        ("BatchNormalization", (28, 28, 1), 4 * 1, "4 × 1 channel"),
        ("Conv2D", (n1, n1, f1), k * k * 1 * f1 + f1, f"{k}×{k}×1×{f1} + {f1}"),
        ("MaxPooling2D", (p1, p1, f1), 0, "no parameters"),
        ("Conv2D", (n2, n2, f2), k * k * f1 * f2 + f2, f"{k}×{k}×{f1}×{f2} + {f2}"),
        ("MaxPooling2D", (p2, p2, f2), 0, "no parameters"),
        ("Flatten", (flat,), 0, "no parameters"),
        ("Dense", (h,), flat * h + h, f"{flat}×{h} + {h}"),
        ("Dropout", (h,), 0, "no parameters"),
        ("Dense", (10,), h * 10 + 10, f"{h}×10 + 10"),
    ]


def first_layer_filters(model):
    """The kernels of the model's first Conv2D layer.

    Returns
    -------
    ndarray, shape (n_filters, kh, kw)
        One 2-D kernel per filter (the input has one channel).
    """
    door = Arguments("first_layer_filters")
    _model(door, model)
    keras = import_keras()
    conv = next((layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)), None)
    if conv is None or conv.get_weights()[0].shape[2] != 1:
        door.fail("model", "a CNN whose first Conv2D layer sees one channel",
                  "a model without one" if conv is None else "a first Conv2D on several channels",
                  "Pass a trained MNIST CNN, e.g. the seed CNN.")  # fmt: skip
    W = conv.get_weights()[0]  # (kh, kw, 1, n_filters)
    return np.moveaxis(W[:, :, 0, :], -1, 0)


def feature_maps(model, x, layer_index):
    """The outputs of one layer for one digit.

    Parameters
    ----------
    model : keras.Sequential
    x : ndarray, shape (28, 28, 1) or (28, 28)
    layer_index : int
        Position of the layer in ``model.layers``.

    Returns
    -------
    ndarray, shape (h, w, channels)
    """
    door = Arguments("feature_maps")
    X = door.array("x", x, what="one digit of shape (28, 28) or (28, 28, 1)",
                   fix="Pass one image, e.g. x_test[0].")  # fmt: skip
    if X.shape not in ((28, 28), (28, 28, 1)):
        door.fail("x", "one digit of shape (28, 28) or (28, 28, 1)",
                  f"an array of shape {X.shape}", "Pass one image, e.g. x_test[0], not a batch.")  # fmt: skip
    layer_index = door.integer("layer_index", layer_index, low=0, example=1)
    _model(door, model)
    if layer_index >= len(model.layers):
        door.fail("layer_index", f"a layer position from 0 to {len(model.layers) - 1}",
                  describe(layer_index), "Pass the index of a layer in model.layers.")  # fmt: skip
    keras = import_keras()

    out = np.asarray(x, dtype=np.float32).reshape(1, 28, 28, 1)
    for layer in model.layers[: layer_index + 1]:  # the trained layers, in inference mode
        out = layer(out, training=False)
    return keras.ops.convert_to_numpy(out)[0]
