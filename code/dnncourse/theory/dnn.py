"""Helpers for the page "What is a deep neural network?": a small dense network by hand.

:func:`build_mlp` builds the Keras model the page checks its formulas against;
:func:`forward_numpy` is the formula f(x) = A2 g(A1 g(A0 x + b0) + b1) + b2 in
NumPy; :func:`count_dense_params` counts weights and biases; :func:`draw_network`
draws the layers.  Keras is imported inside the functions that need it.

Keras stores a dense layer's weight matrix as ``W`` with shape
``(n_inputs, n_outputs)`` and computes ``x @ W + b`` for a batch of row vectors
``x``. The maths writes the same layer as ``A x + b`` for a column vector ``x``,
so ``A = W.T``.
"""

from __future__ import annotations

from itertools import pairwise

import matplotlib.pyplot as plt
import numpy as np

from dnncourse._args import Arguments, describe
from dnncourse.backend import import_keras
from dnncourse.plots import OKABE_ITO

from ._activation_formulas import NUMPY_ACTIVATIONS

# --- the door -----------------------------------------------------------------


def _sizes(door, layer_sizes, high=10_000):
    """Neurons per layer, input first and output last: at least two whole numbers."""
    sizes = door.units("layer_sizes", layer_sizes, high=high, example=(2, 4, 3, 1))
    if len(sizes) < 2:
        door.fail("layer_sizes", "at least 2 sizes (the input and the output)",
                  describe(layer_sizes), "Pass e.g. layer_sizes=(2, 4, 3, 1).")  # fmt: skip
    return sizes


def _keras_name(door, name, value, kind):
    """A name Keras knows (``kind`` "activations" or "initializers"); call after the plain checks."""
    keras = import_keras()
    try:
        getattr(keras, kind).get(value)
    except (ValueError, TypeError):
        example = "'relu'" if kind == "activations" else "'he_normal'"
        door.fail(name, f"a name keras.{kind}.get knows", describe(value),
                  f"Pass e.g. {name}={example}.")  # fmt: skip
    return keras


# --- a small dense network -------------------------------------------------


def build_mlp(
    layer_sizes=(2, 4, 3, 1),
    activation="relu",
    seed=0,
    api="sequential",
    kernel_initializer="glorot_uniform",
):
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
    kernel_initializer : str
        How every layer's weight matrix is drawn: Keras' default
        ``"glorot_uniform"``, or for example ``"he_normal"``.

    Returns
    -------
    keras.Model
        Built, so its weights exist: ``model.get_weights()`` is
        ``[W0, b0, W1, b1, ...]`` with ``W_l`` of shape ``(n_l, n_{l+1})``.
    """
    door = Arguments("build_mlp")
    _sizes(door, layer_sizes)
    door.text("activation", activation, example="relu")
    door.seed("seed", seed, allow_none=False)
    door.choice("api", api, ("sequential", "functional"))
    door.text("kernel_initializer", kernel_initializer, example="he_normal")
    _keras_name(door, "activation", activation, "activations")
    keras = _keras_name(door, "kernel_initializer", kernel_initializer, "initializers")

    # Keras keeps one global seed generator, made at its first use and not reset by
    # set_random_seed: without clear_session the weights would depend on what was
    # built before in the same Python session.
    keras.backend.clear_session()
    keras.utils.set_random_seed(seed)
    n_in, *hidden, n_out = layer_sizes
    if api == "sequential":
        layers = [keras.Input(shape=(n_in,))]
        layers += [
            keras.layers.Dense(n, activation=activation, kernel_initializer=kernel_initializer)
            for n in hidden
        ]
        layers.append(keras.layers.Dense(n_out, kernel_initializer=kernel_initializer))
        return keras.Sequential(layers)
    if api == "functional":
        inputs = keras.Input(shape=(n_in,))
        h = inputs
        for n in hidden:
            dense = keras.layers.Dense(
                n, activation=activation, kernel_initializer=kernel_initializer
            )
            h = dense(h)
        outputs = keras.layers.Dense(n_out, kernel_initializer=kernel_initializer)(h)
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
    _forward_door(weights, X, activation)
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
    _sizes(Arguments("count_dense_params"), layer_sizes, high=10**9)
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
    door = Arguments("draw_network")
    sizes = _sizes(door, layer_sizes, high=30)  # more circles would not be readable
    for name, value, count in (("layer_names", layer_names, len(sizes)),
                               ("input_labels", input_labels, sizes[0]),
                               ("output_labels", output_labels, sizes[-1])):  # fmt: skip
        if value is not None:
            door.names(name, value, count=count, unique=False, example=("a",) * count)
    if ax is not None and not isinstance(ax, plt.Axes):
        door.fail("ax", "a Matplotlib Axes or None", describe(ax),
                  "Pass ax=None, or one from fig, ax = plt.subplots().", TypeError)  # fmt: skip
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


def _forward_door(weights, X, activation):
    """The checks of :func:`forward_numpy`: weights that chain, X that fits the first layer."""
    door = Arguments("forward_numpy")
    fix = "Pass the list model.get_weights() returns: [W0, b0, W1, b1, ...]."
    if not isinstance(weights, (list, tuple)) or not weights:
        door.fail("weights", "a non-empty list [W0, b0, W1, b1, ...]", describe(weights), fix,
                  TypeError if not isinstance(weights, (list, tuple)) else ValueError)  # fmt: skip
    if len(weights) % 2:
        door.fail("weights", "pairs of weight matrix and biases",
                  f"{len(weights)} array{'s' * (len(weights) != 1)} (an odd number)", fix)  # fmt: skip
    arrays = [
        door.array(f"weights[{i}]", w, ndim=2 - i % 2, fix=fix) for i, w in enumerate(weights)
    ]
    n_in = arrays[0].shape[0]
    for k in range(0, len(arrays), 2):
        W, b = arrays[k], arrays[k + 1]
        if W.shape[0] != n_in or b.shape != (W.shape[1],):
            door.fail(f"weights[{k + 1}]" if W.shape[0] == n_in else f"weights[{k}]",
                      f"shapes ({n_in}, m) and (m,) that chain from the layer before",
                      f"{W.shape} and {b.shape}", fix)  # fmt: skip
        n_in = W.shape[1]
    X = door.rows("X", X, shape=(None, arrays[0].shape[0]),
                  fix="Pass one row per sample, as many columns as the network has inputs.")  # fmt: skip
    door.choice("activation", activation, tuple(NUMPY_ACTIVATIONS))
