"""Helpers of the page "Training deep networks well".

* :func:`mse`, and backpropagation written out for a 2-2-1 network
  (:func:`forward_221`, :func:`backprop_221`), with :func:`autodiff_gradients_221`
  computing the same gradients by automatic differentiation (the backend's own tool)
  for comparison.
* :func:`activations_through_depth`: push random data through a deep ReLU stack
  whose weights come from a Keras initializer, and keep every layer's output.
* :func:`batch_norm`: what a ``BatchNormalization`` layer computes in training.
* :func:`bn_mlp` and :func:`lr_range_test` for the experiments on step sizes, with
  :func:`smooth` and :func:`smooth_centred` to read the range test's noisy losses.
* :func:`optimizer_path`: a Keras optimizer walking down a 2-D loss.

Keras and TensorFlow are imported inside the functions that need them.
"""

from __future__ import annotations

import numpy as np

from dnncourse._args import to_numpy
from dnncourse.backend import import_keras

from . import _training_well_door as _door
from .dnn import _keras_name

# ------------------------------------------------------------------ loss and backprop


def mse(y, y_hat):
    """Mean squared error ``1/n sum_i (y_i - y_hat_i)^2``.

    Parameters
    ----------
    y, y_hat : ndarray, shape (n,)
        Targets and predictions.

    Returns
    -------
    float
    """
    _door.mse(y, y_hat)
    y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
    return float(np.mean((y - y_hat) ** 2))


def forward_221(params, x):
    """Forward pass of the 2-2-1 network: tanh hidden layer, linear output.

    ``z = x W1 + b1``, ``a = tanh(z)``, ``y_hat = a . w2 + b2``.

    Parameters
    ----------
    params : dict
        ``W1`` (2, 2) with rows = inputs and columns = hidden units (Keras'
        kernel layout), ``b1`` (2,), ``w2`` (2,), ``b2`` float.
    x : ndarray, shape (2,)
        One input.

    Returns
    -------
    dict
        ``z`` (2,), ``a`` (2,), ``y_hat`` float.
    """
    _door.net_221("forward_221", params, x)
    z = np.asarray(x, dtype=float) @ params["W1"] + params["b1"]
    a = np.tanh(z)
    return {"z": z, "a": a, "y_hat": float(a @ params["w2"] + params["b2"])}


def backprop_221(params, x, t):
    """Gradients of the loss ``L = (y_hat - t)^2`` by the chain rule, layer by layer.

    Parameters
    ----------
    params : dict
        As for :func:`forward_221`.
    x : ndarray, shape (2,)
    t : float
        The target.

    Returns
    -------
    dict
        ``delta2`` = dL/dy_hat (float); ``delta1`` = dL/dz (2,); and the
        gradients ``W1`` (2, 2), ``b1`` (2,), ``w2`` (2,), ``b2`` (float),
        each of the same shape as its parameter.
    """
    _door.net_221("backprop_221", params, x, t)
    x = np.asarray(x, dtype=float)
    f = forward_221(params, x)
    delta2 = 2.0 * (f["y_hat"] - t)  # dL/dy_hat
    # Back through the output layer: dy_hat/da = w2, then through tanh: da/dz = 1 - a^2.
    delta1 = delta2 * params["w2"] * (1.0 - f["a"] ** 2)
    return {
        "delta2": delta2,
        "delta1": delta1,
        "w2": delta2 * f["a"],  # dy_hat/dw2 = a
        "b2": delta2,
        "W1": np.outer(x, delta1),  # dz_j/dW1[i, j] = x_i
        "b1": delta1,
    }


def autodiff_gradients_221(params, x, t):
    """The same gradients from Keras layers and automatic differentiation, in float64.

    The backend's own tool differentiates (``tf.GradientTape``, ``jax.grad`` or
    PyTorch's ``backward``: :func:`dnncourse.autodiff.value_and_gradients`); the
    network is Keras layers, called with the weights as arguments
    (``model.stateless_call``) so that every backend can differentiate with respect
    to them.

    Returns
    -------
    dict
        ``W1``, ``b1``, ``w2``, ``b2`` shaped as in :func:`backprop_221`.
    """
    from ..autodiff import float64, value_and_gradients

    _door.net_221("autodiff_gradients_221", params, x, t)
    keras = import_keras()
    x = np.asarray(x, dtype=float).reshape(1, 2)
    with float64():  # JAX makes the float64 weights in float32 unless asked
        model = keras.Sequential(
            [
                keras.Input(shape=(2,), dtype="float64"),
                keras.layers.Dense(2, activation="tanh", dtype="float64"),
                keras.layers.Dense(1, dtype="float64"),
            ]
        )

        def loss(W1, b1, w2, b2):
            y_hat, _ = model.stateless_call([W1, b1, w2, b2], [], x)
            # The squared error written with ops: Keras' loss classes compute in float32.
            return keras.ops.mean(keras.ops.square(y_hat - t))

        _, g = value_and_gradients(
            loss, params["W1"], params["b1"], np.reshape(params["w2"], (2, 1)), [params["b2"]]
        )
    return {"W1": g[0], "b1": g[1], "w2": g[2].ravel(), "b2": float(g[3][0])}


# ------------------------------------------------------------------ initialisation


def activations_through_depth(initializer, depth=10, width=256, n=1000, seed=0):
    """Outputs of every layer of a deep ReLU stack (no biases) at initialisation.

    Parameters
    ----------
    initializer : str or keras.initializers.Initializer
        E.g. ``"glorot_uniform"`` (Keras' default), ``"he_normal"``.  Each layer
        draws its own matrix with a copy of it seeded from ``seed`` and the layer's
        number (a seed the initializer carries is replaced).
    depth, width : int
        Layers, and units per layer (the input has ``width`` features too).
    n : int
        Samples, drawn from a standard normal distribution.
    seed : int

    Returns
    -------
    ndarray, shape (depth, n, width)
        ``A[l]`` is the output of layer ``l + 1``: ``relu(A[l - 1] @ W_l)``.
    """
    checks = _door.activations_through_depth(initializer, depth, width, n, seed)
    if isinstance(initializer, str):
        _keras_name(checks, "initializer", initializer, "initializers")
    keras = import_keras()
    keras.utils.set_random_seed(seed)
    base = keras.initializers.get(initializer)
    a = np.random.default_rng(seed).standard_normal((n, width)).astype("float32")
    out = []
    for layer in range(depth):
        # Every layer draws its own matrix, as each Dense layer of a network does: a Keras
        # initializer holds a seed and returns the same matrix at every call.
        config = base.get_config()
        fresh = {**config, "seed": seed * 1000 + layer}
        init = type(base).from_config(fresh) if "seed" in config else base
        W = to_numpy(init((width, width)))
        a = np.maximum(a @ W, 0.0)
        out.append(a)
    return np.stack(out)


# ------------------------------------------------------------------ batch normalisation


def batch_norm(X, gamma, beta, eps=1e-3):
    """Batch normalisation in training mode, per feature.

    ``x_hat = (x - mean_B) / sqrt(var_B + eps)``, ``y = gamma x_hat + beta``,
    with the mean and (biased) variance taken over the batch.

    Parameters
    ----------
    X : ndarray, shape (n, d)
        A batch.
    gamma, beta : ndarray, shape (d,)
        The layer's learned scale and shift.
    eps : float
        Keras' default is 1e-3.

    Returns
    -------
    ndarray, shape (n, d)
    """
    X, gamma, beta = _door.batch_norm(X, gamma, beta, eps)
    mean, var = X.mean(axis=0), X.var(axis=0)
    return gamma * (X - mean) / np.sqrt(var + eps) + beta


def bn_mlp(batch_norm, depth=3, width=128):
    """An MLP for 28x28 digits, with or without batch normalisation (uncompiled).

    Each hidden layer is ``Dense(width)`` then, with ``batch_norm``,
    ``BatchNormalization`` (the Dense then has no bias, the normalisation's beta
    replaces it), then ReLU.  Output: 10 softmax units.

    Returns
    -------
    keras.Sequential
        Input (None, 28, 28, 1), output (None, 10).
    """
    _door.bn_mlp(batch_norm, depth, width)
    keras = import_keras()
    from keras import layers

    hidden = []
    for _ in range(depth):
        hidden.append(layers.Dense(width, use_bias=not batch_norm))
        if batch_norm:
            hidden.append(layers.BatchNormalization())
        hidden.append(layers.ReLU())
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Flatten(),
            *hidden,
            layers.Dense(10, activation="softmax"),
        ]
    )


# ------------------------------------------------------------------ learning rates


def lr_range_test(model, X, y, start=1e-5, stop=1.0, n_steps=100, batch_size=128, seed=0):
    """Train with a learning rate that grows exponentially from ``start`` to ``stop``.

    One batch per step, the loss of each batch recorded before its update
    (Smith, "Cyclical learning rates", 2017).  The model's weights change:
    pass a fresh model.

    Parameters
    ----------
    model : keras.Model, compiled
        Its optimizer's learning rate must be a plain number, not a schedule.
    X : ndarray, shape (N, ...)
    y : ndarray, shape (N,)
        At least ``n_steps * batch_size`` rows.

    Returns
    -------
    rates : ndarray, shape (n_steps,)
    losses : ndarray, shape (n_steps,)
        ``nan`` once the loss overflowed.
    """
    X, y = _door.lr_range_test(model, X, y, start, stop, n_steps, batch_size, seed)
    rates = np.geomspace(start, stop, n_steps)
    order = np.random.default_rng(seed).permutation(len(X))[: n_steps * batch_size]
    losses = []
    for k, rate in enumerate(rates):
        rows = order[k * batch_size : (k + 1) * batch_size]
        model.optimizer.learning_rate.assign(rate)
        model.reset_metrics()  # so that the returned loss is this batch's, not a running mean
        losses.append(float(model.train_on_batch(X[rows], y[rows], return_dict=True)["loss"]))
    return rates, np.array(losses)


def smooth(values, beta=0.9):
    """Exponential moving average with bias correction (as in Adam), shape kept.

    Parameters
    ----------
    values : ndarray, shape (n,)
    beta : float
        Weight of the past; 0 returns ``values``.

    Returns
    -------
    ndarray, shape (n,)
    """
    _door.curve("smooth", values, beta=beta)
    out, avg = [], 0.0
    for k, v in enumerate(values, start=1):
        avg = beta * avg + (1 - beta) * v
        out.append(avg / (1 - beta**k))
    return np.array(out)


def smooth_centred(values, half_width=5):
    """Mean over a window centred on each point, shape kept: a smoothing that does not lag.

    An exponential moving average (:func:`smooth`) looks only backwards, so on a
    curve recorded while the learning rate grows it describes the rates of some
    steps *before*; a centred window looks as far ahead as back.  Near the ends
    the window is cut short.

    Parameters
    ----------
    values : ndarray, shape (n,)
    half_width : int
        Points on each side; the window spans ``2 * half_width + 1`` points.

    Returns
    -------
    ndarray, shape (n,)
    """
    _door.curve("smooth_centred", values, half_width=half_width)
    values = np.asarray(values, dtype=float)
    n = len(values)
    return np.array(
        [values[max(0, k - half_width) : min(n, k + half_width + 1)].mean() for k in range(n)]
    )


def optimizer_path(optimizer, gradient, w0, n_steps):
    """The points a Keras optimizer visits on a loss with a known gradient.

    Parameters
    ----------
    optimizer : keras.optimizers.Optimizer
    gradient : callable
        Maps a point of shape (d,) to the gradient there, shape (d,).
    w0 : array_like, shape (d,)
    n_steps : int

    Returns
    -------
    ndarray, shape (n_steps + 1, d)
    """
    _door.optimizer_path(optimizer, gradient, w0, n_steps)
    keras = import_keras()
    w = keras.Variable(np.asarray(w0, dtype="float32"))
    path = [keras.ops.convert_to_numpy(w)]
    for _ in range(n_steps):
        g = np.asarray(gradient(path[-1]), dtype="float32")
        optimizer.apply([keras.ops.convert_to_tensor(g)], [w])
        path.append(keras.ops.convert_to_numpy(w))
    return np.array(path, dtype=float)
