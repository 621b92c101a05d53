"""Helpers for the first theory pages: activations, a small dense network, its maths by hand.

The NumPy functions here are the formulas the pages teach; the Keras functions
build the models the formulas are checked against. Keras and TensorFlow are
imported inside the functions that need them, so importing this module is cheap.

Keras stores a dense layer's weight matrix as ``W`` with shape
``(n_inputs, n_outputs)`` and computes ``x @ W + b`` for a batch of row vectors
``x``. The maths writes the same layer as ``A x + b`` for a column vector ``x``,
so ``A = W.T``.
"""

from __future__ import annotations

from itertools import pairwise

import matplotlib.pyplot as plt
import numpy as np

from dnncourse.plots import OKABE_ITO

#: The activation functions the course uses, in the order the pages show them.
ACTIVATION_NAMES = ("relu", "tanh", "softplus", "sigmoid")


# --- activation functions and their derivatives, as formulas -----------------


def relu(x):
    """ReLU, max(0, x), elementwise; same shape as ``x``."""
    return np.maximum(0.0, x)


def relu_grad(x):
    """Derivative of ReLU: 1 for x > 0, else 0 (TensorFlow also uses 0 at x = 0)."""
    return (np.asarray(x) > 0).astype(float)


def tanh(x):
    """Hyperbolic tangent, (e^x - e^-x) / (e^x + e^-x), elementwise."""
    return np.tanh(x)


def tanh_grad(x):
    """Derivative of tanh: 1 - tanh(x)^2."""
    return 1.0 - np.tanh(x) ** 2


def softplus(x):
    """Softplus, log(1 + e^x), elementwise, written so that large x does not overflow."""
    x = np.asarray(x, dtype=float)
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def softplus_grad(x):
    """Derivative of softplus: the sigmoid."""
    return sigmoid(x)


def sigmoid(x):
    """Logistic sigmoid, 1 / (1 + e^-x), elementwise."""
    x = np.asarray(x, dtype=float)
    # exp of a negative number only: no overflow for large |x|
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(x):
    """Derivative of the sigmoid: s(x) (1 - s(x)), at most 1/4 (at x = 0)."""
    s = sigmoid(x)
    return s * (1.0 - s)


#: name -> (function, derivative), both NumPy.
NUMPY_ACTIVATIONS = {
    "relu": (relu, relu_grad),
    "tanh": (tanh, tanh_grad),
    "softplus": (softplus, softplus_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
}


def keras_activation(name, x):
    """Values and derivatives of a Keras activation, the derivative by automatic differentiation.

    Parameters
    ----------
    name : str
        A name ``keras.activations.get`` knows, e.g. ``"relu"``.
    x : array_like, shape (n,)

    Returns
    -------
    values, derivative : ndarray, shape (n,), float32
    """
    import keras
    import tensorflow as tf

    g = keras.activations.get(name)
    x = tf.constant(np.asarray(x, dtype="float32"))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = g(x)
    # y is elementwise in x, so the gradient of sum(y) is the vector of derivatives
    dy = tape.gradient(y, x)
    return np.asarray(y), np.asarray(dy)


def plot_activations(x, names=ACTIVATION_NAMES, ncols=2):
    """One panel per activation: the Keras values (solid) and derivative (dashed).

    Parameters
    ----------
    x : ndarray, shape (n,)
    names : sequence of str
    ncols : int
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure
    """
    nrows = -(-len(names) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, 2.9 * nrows), sharey=True,
                             squeeze=False)  # fmt: skip
    for ax in axes.ravel()[len(names) :]:
        ax.set_axis_off()
    for ax, name in zip(axes.ravel()[: len(names)], names, strict=True):
        y, dy = keras_activation(name, x)
        ax.plot(x, y, color=OKABE_ITO[4], label="$g(x)$")
        ax.plot(x, dy, color=OKABE_ITO[5], linestyle="--", label="$g'(x)$")
        ax.axhline(0, color="0.6", linewidth=0.6)
        ax.axvline(0, color="0.6", linewidth=0.6)
        ax.set(title=name, xlabel="$x$", ylim=(-1.15, 3.05))
        ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


# --- a small dense network -------------------------------------------------


def build_mlp(layer_sizes=(2, 4, 3, 1), activation="relu", seed=0, api="sequential"):
    """A fully connected network: hidden layers with ``activation``, a linear output layer.

    Parameters
    ----------
    layer_sizes : sequence of int
        Neurons per layer, input first and output last: ``(2, 4, 3, 1)`` has two
        inputs, hidden layers of 4 and 3 neurons, and one output.
    activation : str
        Activation of the hidden layers.
    seed : int
        Seeds the weight initialisation (``keras.utils.set_random_seed``).
    api : {"sequential", "functional"}
        Which Keras API builds the model; both give the same architecture.

    Returns
    -------
    keras.Model
        Built, so its weights exist: ``model.get_weights()`` is
        ``[W0, b0, W1, b1, ...]`` with ``W_l`` of shape ``(n_l, n_{l+1})``.
    """
    import keras

    keras.utils.set_random_seed(seed)
    n_in, *hidden, n_out = layer_sizes
    if api == "sequential":
        layers = [keras.Input(shape=(n_in,))]
        layers += [keras.layers.Dense(n, activation=activation) for n in hidden]
        layers.append(keras.layers.Dense(n_out))
        return keras.Sequential(layers)
    if api == "functional":
        inputs = keras.Input(shape=(n_in,))
        h = inputs
        for n in hidden:
            h = keras.layers.Dense(n, activation=activation)(h)
        outputs = keras.layers.Dense(n_out)(h)
        return keras.Model(inputs, outputs)
    raise ValueError(f"api must be 'sequential' or 'functional', not {api!r}")


def forward_numpy(weights, X, activation="relu"):
    """The network's output computed with NumPy from its weights.

    Evaluates ``f(x) = A_L g(... g(A_1 g(A_0 x + b_0) + b_1) ...) + b_L`` for every row
    of ``X``, with ``A_l = W_l.T``; the last layer is linear.

    Parameters
    ----------
    weights : list of ndarray
        ``[W0, b0, W1, b1, ...]`` as ``model.get_weights()`` returns them,
        ``W_l`` of shape ``(n_l, n_{l+1})`` and ``b_l`` of shape ``(n_{l+1},)``.
    X : ndarray, shape (n, n_0)
    activation : str
        One of ``ACTIVATION_NAMES``.

    Returns
    -------
    ndarray, shape (n, n_L+1)
    """
    g = NUMPY_ACTIVATIONS[activation][0]
    h = np.asarray(X, dtype=float)
    pairs = list(zip(weights[0::2], weights[1::2], strict=True))
    for k, (W, b) in enumerate(pairs):
        z = h @ W + b  # rows: (A z + b)^T = z^T A^T + b^T = z^T W + b^T
        h = z if k == len(pairs) - 1 else g(z)
    return h


def count_dense_params(layer_sizes):
    """Number of weights and biases in a fully connected network.

    Each layer from ``n_in`` to ``n_out`` neurons has an ``n_out x n_in`` matrix
    and ``n_out`` biases: ``(n_in + 1) * n_out`` parameters.

    Parameters
    ----------
    layer_sizes : sequence of int, input first and output last

    Returns
    -------
    int
    """
    return sum((n_in + 1) * n_out for n_in, n_out in pairwise(layer_sizes))


def draw_network(layer_sizes, layer_names=None, input_labels=None, output_labels=None, ax=None):
    """Draw a fully connected network: neurons as circles, weights as lines.

    Parameters
    ----------
    layer_sizes : sequence of int, input first and output last
    layer_names : sequence of str, optional
        Written under each layer; by default "input", "hidden 1", ..., "output".
    input_labels, output_labels : sequence of str, optional
        Written beside the input and output neurons, top to bottom (e.g. ``["$x_1$", "$x_2$"]``).
    ax : Matplotlib axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    if layer_names is None:
        n_hidden = len(layer_sizes) - 2
        layer_names = ["input", *(f"hidden {k + 1}" for k in range(n_hidden)), "output"]
    if ax is None:
        _, ax = plt.subplots(figsize=(1.9 * len(layer_sizes) + 0.6, 3.6))
    fig = ax.figure
    top = max(layer_sizes)
    # centre each layer vertically; x is the layer index
    ys = [np.arange(n) - (n - 1) / 2 for n in layer_sizes]
    for k in range(len(layer_sizes) - 1):
        for y0 in ys[k]:
            for y1 in ys[k + 1]:
                ax.plot([k, k + 1], [y0, y1], color="0.55", linewidth=0.8, zorder=1)
    colours = [OKABE_ITO[0]] + [OKABE_ITO[1]] * (len(layer_sizes) - 2) + [OKABE_ITO[2]]
    for k, y in enumerate(ys):
        ax.scatter(np.full_like(y, k), y, s=520, color=colours[k], edgecolor="black", zorder=2)
        unit = "neuron" if layer_sizes[k] == 1 else "neurons"
        ax.text(k, -top / 2 - 0.1, f"{layer_names[k]}\n{layer_sizes[k]} {unit}",
                ha="center", va="top", fontsize=9)  # fmt: skip
    # labels top to bottom: ys run bottom to top, so reverse them
    last = len(layer_sizes) - 1
    for labels, k, dx, ha in (
        (input_labels, 0, -0.22, "right"),
        (output_labels, last, 0.22, "left"),
    ):
        if labels is None:
            continue
        for label, y in zip(labels, ys[k][::-1], strict=True):
            ax.text(k + dx, y, label, ha=ha, va="center", fontsize=11)
    ax.set(xlim=(-0.6, len(layer_sizes) - 0.4), ylim=(-top / 2 - 1.0, top / 2))
    ax.set_axis_off()
    return fig


# --- gradients through depth -------------------------------------------------


def layer_gradient_norms(activation, depth=10, width=32, n=256, seed=0):
    """Size of the loss gradient with respect to each layer's weights in a deep, untrained net.

    A stack of ``depth`` hidden ``Dense(width, activation)`` layers (Keras' default
    Glorot-uniform initialisation) and a linear output, a mean squared error on
    random data; the gradient is taken once, before any training.

    Parameters
    ----------
    activation : str
    depth, width, n : int
        Hidden layers, neurons per hidden layer, random samples.
    seed : int

    Returns
    -------
    ndarray, shape (depth,)
        Euclidean norm of the gradient of each hidden layer's weight matrix,
        first (closest to the input) to last.
    """
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, width)).astype("float32")
    y = rng.normal(size=(n, 1)).astype("float32")
    model = build_mlp((width,) + (width,) * depth + (1,), activation=activation, seed=seed)
    with tf.GradientTape() as tape:
        loss = keras.losses.MeanSquaredError()(y, model(X))
    kernels = [layer.kernel for layer in model.layers[:-1]]
    grads = tape.gradient(loss, kernels)
    return np.array([float(tf.norm(g)) for g in grads])
