"""Helpers for the page "Underfitting and overfitting": a noisy wave and its fits.

The data are a smooth 1-D function (:func:`wave`) plus Gaussian noise.  The page
trains single networks with :func:`dnncourse.training.fit`; when it needs many
networks of the same shape (a sweep of the L2 coefficient lambda, or one network
per resampled training set) it trains them *side by side* as one Keras model
(:func:`parallel_networks`, :func:`fit_parallel`), which costs little more than
training one.  Keras is imported inside the functions; the rest is NumPy and
Matplotlib.
"""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import numpy as np

from dnncourse import training
from dnncourse._args import to_numpy
from dnncourse.backend import import_keras
from dnncourse.plots import OKABE_ITO

from . import _fitting_door as _door


def wave(x):
    """The noise-free function behind :func:`make_wave_data`: ``sin(3 x)``."""
    _door.wave(x)
    return np.sin(3.0 * np.asarray(x))


def make_wave_data(n, noise=0.4, seed=0):
    """Noisy samples of :func:`wave` at uniform random ``x`` in [-1, 1].

    Returns
    -------
    X : ndarray, shape (n, 1), float32
    y : ndarray, shape (n,), float32
    """
    _door.make_wave_data(n, noise, seed)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, n)
    y = wave(x) + noise * rng.normal(size=n)
    return x[:, None].astype("float32"), y.astype("float32")


def floor_mse(X, y):
    """Mean squared error of the true function :func:`wave` on the points ``(X, y)``.

    No model can be expected to do better on these points: what is left is the
    noise they happen to carry (on average sigma^2, but on 20 points it varies).

    Parameters
    ----------
    X : ndarray, shape (n, 1)
    y : ndarray, shape (n,)
    """
    _door.floor_mse(X, y)
    return float(np.mean((wave(np.asarray(X)[:, 0]) - np.asarray(y)) ** 2))


def _per_network_l2(l2):
    """A ``keras.regularizers.Regularizer``: ``sum_k l2[k] * sum(W[k] ** 2)``.

    For the stacked kernels ``W`` of shape (n_networks, inputs, units) of
    :func:`parallel_networks`: network ``k`` pays its own lambda ``l2[k]``, as a
    ``keras.regularizers.L2(l2[k])`` on its own ``Dense`` kernel would.  A
    ``Regularizer`` subclass with ``get_config`` (not a plain function, which
    Keras 3.13 refuses), so the model can also be saved and loaded.

    Parameters
    ----------
    l2 : sequence of n_networks floats
    """
    keras = import_keras()
    from keras import ops

    class PerNetworkL2(keras.regularizers.Regularizer):
        def __init__(self, l2):
            self.l2 = [float(x) for x in l2]

        def __call__(self, W):
            lam = ops.convert_to_tensor(np.asarray(self.l2, dtype="float32"))
            return ops.sum(lam[:, None, None] * ops.square(W))

        def get_config(self):
            return {"l2": self.l2}

    return PerNetworkL2(l2)


def parallel_networks(n_networks, hidden=(64, 64), l2=0.0, learning_rate=0.01, seed=0, curves=True):
    """``n_networks`` independent ReLU networks ``1 -> hidden -> 1`` as one compiled Keras model.

    Network ``k`` has its own weights and biases (initialised like ``Dense``:
    Glorot-uniform kernels, zero biases), its own L2 coefficient ``l2[k]`` on its
    kernels, and reads only input column ``k``.  The loss is the *sum* of the
    networks' mean squared errors, so the gradient for network ``k``'s weights is
    exactly its own; Adam then updates each weight as if the network trained alone.

    Parameters
    ----------
    n_networks : int
    hidden : tuple of int
        Hidden layer sizes, the same for every network.
    l2 : float or sequence of n_networks floats
        lambda in ``lambda * sum(W**2)``, per network (as ``keras.regularizers.L2``).
    learning_rate : float
        Of the Adam optimizer.
    seed : int
        Passed to ``keras.utils.set_random_seed`` before the weights are drawn.
    curves : bool
        Track every network's own error as metrics ``mse_0``, ``mse_1``, ...
        (their learning curves); off, training is faster.

    Returns
    -------
    keras.Model
        Maps inputs of shape (batch, n_networks, 1) to (batch, n_networks).
    """
    _door.parallel_networks(n_networks, hidden, l2, learning_rate, seed, curves)
    keras = import_keras()
    from keras import ops

    keras.utils.set_random_seed(seed)
    lam = np.broadcast_to(np.asarray(l2, dtype="float32"), (n_networks,))
    penalty = _per_network_l2(lam) if lam.any() else None

    x = inputs = keras.Input(shape=(n_networks, 1))
    sizes = (1, *hidden, 1)
    for i, (n_in, n_out) in enumerate(itertools.pairwise(sizes)):
        limit = float(np.sqrt(6.0 / (n_in + n_out)))  # Glorot-uniform of one Dense layer
        hidden_layer = i < len(hidden)
        x = keras.layers.EinsumDense(
            "bki,kio->bko",
            output_shape=(n_networks, n_out),
            bias_axes="ko",
            activation="relu" if hidden_layer else None,
            kernel_initializer=keras.initializers.RandomUniform(-limit, limit),
            kernel_regularizer=penalty if hidden_layer else None,
        )(x)
    model = keras.Model(inputs, keras.layers.Reshape((n_networks,))(x))

    def summed_mse(y, y_hat):
        return ops.sum(ops.square(y - y_hat), axis=-1)

    def own_mse(k):
        return keras.metrics.MeanMetricWrapper(
            lambda y, y_hat: ops.square(y[:, k] - y_hat[:, k]), name=f"mse_{k}"
        )

    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss=summed_mse,
        metrics=[own_mse(k) for k in range(n_networks)] if curves else None,
    )
    return model


def _columns(X, y, n_networks):
    """(n, 1) and (n,) shared by all networks, or (K, n, 1) and (K, n), to (n, K, 1), (n, K)."""
    X, y = np.asarray(X, dtype="float32"), np.asarray(y, dtype="float32")
    if X.ndim == 2:
        X, y = (
            np.broadcast_to(X, (n_networks, *X.shape)),
            np.broadcast_to(y, (n_networks, *y.shape)),
        )
    return np.swapaxes(X, 0, 1), np.swapaxes(y, 0, 1)


def fit_parallel(model, X, y, *, epochs, seed, validation_data=None):
    """Full-batch training of a :func:`parallel_networks` model with :func:`dnncourse.training.fit`.

    Parameters
    ----------
    model : keras.Model from :func:`parallel_networks`, with K networks
    X : ndarray, shape (n, 1) for one training set shared by all networks, or (K, n, 1)
    y : ndarray, shape (n,) or (K, n)
    epochs, seed : int
    validation_data : (X_val, y_val), optional, shaped like ``X`` and ``y``

    Returns
    -------
    list of K dicts
        The learning curves of each network (empty if the model was built with
        ``curves=False``): ``"mse"`` and, with validation data, ``"val_mse"``,
        each a list of length ``epochs`` (the network's own error, without its
        L2 penalty).
    """
    _door.fit_parallel(model, X, y, epochs, seed, validation_data)
    n_networks = model.output_shape[-1]
    X_cols, y_cols = _columns(X, y, n_networks)
    val = None if validation_data is None else _columns(*validation_data, n_networks)
    h = training.fit(
        model, X_cols, y_cols, epochs=epochs, batch_size=len(X_cols), seed=seed, validation_data=val
    ).history
    return [
        {
            key: h[prefix + f"mse_{k}"]
            for key, prefix in (("mse", ""), ("val_mse", "val_"))
            if prefix + f"mse_{k}" in h
        }
        for k in range(n_networks)
    ]


def predict_parallel(model, X):
    """Every network's predictions at the same points ``X``, shape (n, 1): returns (K, n)."""
    _door.predict_parallel(model, X)
    n_networks = model.output_shape[-1]
    X = np.asarray(X, dtype="float32")
    return to_numpy(model(np.broadcast_to(X[:, None, :], (len(X), n_networks, 1)))).T


def bias_variance(predictions, x):
    """Squared bias and variance of many fitted models, averaged over the points ``x``.

    Parameters
    ----------
    predictions : ndarray, shape (K, m)
        K models (each fitted on its own training set) evaluated at m points.
    x : ndarray, shape (m,)

    Returns
    -------
    bias2 : float
        Mean over ``x`` of (mean prediction - true function)^2.
    variance : float
        Mean over ``x`` of the variance of the K predictions.
    """
    _door.bias_variance(predictions, x)
    predictions = np.asarray(predictions, dtype=float)
    bias2 = np.mean((predictions.mean(axis=0) - wave(x)) ** 2)
    return float(bias2), float(np.mean(predictions.var(axis=0)))


def plot_fit(model, X_train, y_train, X_val=None, y_val=None, ax=None, title=None):
    """The data, the true function :func:`wave` and a model's predictions on [-1, 1].

    Parameters
    ----------
    model : callable
        Maps an array of shape (k, 1) to predictions of shape (k, 1) or (k,).
    X_train, X_val : ndarray, shape (n, 1)
    y_train, y_val : ndarray, shape (n,)

    Returns
    -------
    matplotlib.figure.Figure
    """
    X_train, y_train, X_val, y_val = _door.plot_fit(
        model, X_train, y_train, X_val, y_val, ax, title
    )
    grid = np.linspace(-1.0, 1.0, 300, dtype="float32")[:, None]
    y_hat = _door.fitted(model, grid)  # before drawing: a model that fails leaves no figure
    if ax is None:
        _, ax = plt.subplots(figsize=(4.6, 3.4))
    ax.plot(grid[:, 0], wave(grid[:, 0]), color="k", linestyle=":", label="true function")
    ax.scatter(X_train[:, 0], y_train, s=14, color=OKABE_ITO[4], marker="o", label="training")
    if X_val is not None:
        ax.scatter(X_val[:, 0], y_val, s=18, color=OKABE_ITO[5], marker="^", label="validation")
    ax.plot(grid[:, 0], y_hat, color=OKABE_ITO[0], linewidth=2, label="model")
    ax.set(xlabel="$x$", ylabel="$y$", ylim=(-2.0, 2.0))
    if title:
        ax.set_title(title)
    ax.legend(fontsize=7, loc="lower right")
    return ax.figure


def plot_floors(ax, floor_train, floor_val):
    """Dotted lines at the true function's error on the training and validation points."""
    _door.plot_floors(ax, floor_train, floor_val)
    for floor, colour, points in ((floor_train, OKABE_ITO[4], "training"),
                                  (floor_val, OKABE_ITO[5], "validation")):  # fmt: skip
        ax.axhline(floor, color=colour, linestyle=":", linewidth=1.2,
                   label=f"true function, {points} points")  # fmt: skip
    ax.legend(fontsize=7)


def plot_spread(x, predictions, ax, title=None):
    """Many fitted curves (thin), their mean (thick) and the true function (dotted).

    Parameters
    ----------
    x : ndarray, shape (m,)
    predictions : ndarray, shape (K, m)
    """
    x, predictions = _door.plot_spread(x, predictions, ax, title)
    for k, curve in enumerate(predictions):
        ax.plot(
            x,
            curve,
            color=OKABE_ITO[1],
            linewidth=0.7,
            alpha=0.6,
            label="one fit per training set" if k == 0 else None,
        )
    ax.plot(
        x, predictions.mean(axis=0), color=OKABE_ITO[0], linewidth=2.5, label="mean of the fits"
    )
    ax.plot(x, wave(x), color="k", linestyle=":", linewidth=1.5, label="true function")
    ax.set(xlabel="$x$", ylabel="$y$", ylim=(-2.0, 2.0))
    if title:
        ax.set_title(title)
    ax.legend(fontsize=7, loc="lower right")
