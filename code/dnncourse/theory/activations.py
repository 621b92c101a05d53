"""Helpers for the page "Activation functions": the formulas, their Keras versions, depth.

The NumPy functions here are the formulas the page teaches (defined in
``_activation_formulas``, one level down, because the dnn page applies them too);
:func:`keras_activation`
evaluates Keras' own version for comparison, and :func:`layer_gradient_norms`
measures how gradients shrink or survive through a deep stack of layers.
Keras and TensorFlow are imported inside the functions that need them, so
importing this module is cheap.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from dnncourse._args import Arguments, to_numpy
from dnncourse.backend import import_keras
from dnncourse.plots import OKABE_ITO

from . import _activation_formulas
from ._activation_formulas import (
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    softplus,
    softplus_grad,
    tanh,
    tanh_grad,
)
from .dnn import _keras_name, build_mlp  # the dnn page's network builder, made deeper

# The formulas live one level down (the dnn page applies them too); the API page
# documents them here (autodoc follows __all__), in the order the page teaches them.
__all__ = [  # noqa: RUF022
    "ACTIVATION_NAMES",
    "relu",
    "relu_grad",
    "tanh",
    "tanh_grad",
    "softplus",
    "softplus_grad",
    "sigmoid",
    "sigmoid_grad",
    "NUMPY_ACTIVATIONS",
    "keras_activation",
    "plot_activations",
    "layer_gradient_norms",
    "preactivation_stats",
]

#: The activation functions the course uses, in the order the pages show them.
ACTIVATION_NAMES = ("relu", "tanh", "softplus", "sigmoid")
#: name -> (function, derivative), both NumPy.
NUMPY_ACTIVATIONS = _activation_formulas.NUMPY_ACTIVATIONS


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
    door = Arguments("keras_activation")
    door.text("name", name, example="relu")
    _z(door, "x", x)
    _keras_name(door, "name", name, "activations")
    import keras

    from dnncourse.autodiff import to_numpy, value_and_gradients

    g = keras.activations.get(name)
    x = np.asarray(x, dtype="float32")
    y = to_numpy(g(x))  # a NumPy array, whichever backend's tensor g returned
    # g acts elementwise, so the gradient of sum(g(x)) is the vector of derivatives g'(x)
    _, (dy,) = value_and_gradients(lambda z: keras.ops.sum(g(z)), x, dtype="float32")
    return y, dy


def plot_activations(z, names=ACTIVATION_NAMES, ncols=2):
    """One panel per activation: the Keras values (solid) and derivative (dashed).

    Parameters
    ----------
    z : ndarray, shape (n,)
        Pre-activations at which to draw ``g(z)`` and ``g'(z)``.
    names : sequence of str
    ncols : int
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure
    """
    door = Arguments("plot_activations")
    _z(door, "z", z)
    names = door.names("names", names, example=ACTIVATION_NAMES[:2])
    door.integer("ncols", ncols, low=1, high=8, example=2)
    for i, name in enumerate(names):
        _keras_name(door, f"names[{i}]", name, "activations")
    nrows = -(-len(names) // ncols)
    size = (3.6 * ncols, 2.9 * nrows)
    fig, axes = plt.subplots(nrows, ncols, figsize=size, sharey=True, squeeze=False)
    for ax in axes.ravel()[len(names) :]:
        ax.set_axis_off()
    for ax, name in zip(axes.ravel()[: len(names)], names, strict=True):
        y, dy = keras_activation(name, z)
        ax.plot(z, y, color=OKABE_ITO[4], label="$g(z)$")  # blue
        ax.plot(z, dy, color=OKABE_ITO[5], linestyle="--", label="$g'(z)$")  # vermilion
        ax.axhline(0, color="0.6", linewidth=0.6)
        ax.axvline(0, color="0.6", linewidth=0.6)
        ax.set(title=name, xlabel="$z$", ylim=(-1.15, 3.05))
        ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


# --- gradients through depth -------------------------------------------------


def layer_gradient_norms(
    activation, depth=10, width=32, n=256, seed=0, kernel_initializer="glorot_uniform"
):
    """Size of the loss gradient with respect to each layer's weights in a deep, untrained net.

    A stack of ``depth`` hidden ``Dense(width, activation)`` layers (by default
    with Keras' default Glorot-uniform initialisation) and a linear output, a
    mean squared error on random data; the gradient is taken once, before any
    training.

    Parameters
    ----------
    activation : str
    depth, width, n : int
        Hidden layers, neurons per hidden layer, random samples.
    seed : int
    kernel_initializer : str
        How the weight matrices are drawn, e.g. ``"he_normal"``.

    Returns
    -------
    ndarray, shape (depth,)
        Euclidean norm of the gradient of each hidden layer's weight matrix,
        first (closest to the input) to last.
    """
    _deep_door("layer_gradient_norms", activation, depth, width, n, seed, kernel_initializer)
    from ..autodiff import value_and_gradients

    keras = import_keras()
    model, X, y = _deep_net(activation, depth, width, n, seed, kernel_initializer)
    weights = [to_numpy(v.value) for v in model.trainable_variables]

    def loss(*w):  # the weights as arguments, so that every backend can differentiate
        y_hat, _ = model.stateless_call(list(w), [], X)
        return keras.losses.MeanSquaredError()(y, y_hat)

    _, grads = value_and_gradients(loss, *weights, dtype="float32")
    kernels = [id(layer.kernel) for layer in model.layers[:-1]]
    return np.array(
        [np.linalg.norm(g) for v, g in zip(model.trainable_variables, grads, strict=True)
         if id(v) in kernels]
    )  # fmt: skip


def preactivation_stats(
    activation, depth=10, width=32, n=256, seed=0, kernel_initializer="glorot_uniform"
):
    """Spread of each hidden layer's pre-activations, and the mean slope there.

    The same untrained network and random inputs as :func:`layer_gradient_norms`
    (unit-variance inputs, by default Keras' default Glorot-uniform weights, zero
    biases).

    Parameters
    ----------
    activation : str
        One of ``ACTIVATION_NAMES``.
    depth, width, n, seed : int
        As in :func:`layer_gradient_norms`.
    kernel_initializer : str
        As in :func:`layer_gradient_norms`.

    Returns
    -------
    z_std, mean_slope : ndarray, shape (depth,)
        Standard deviation of the pre-activations ``z`` of each hidden layer, and
        the mean of ``g'(z)`` over its neurons and examples, first layer first.
    """
    _deep_door("preactivation_stats", activation, depth, width, n, seed, kernel_initializer,
               numpy=True)  # fmt: skip
    model, X, _ = _deep_net(activation, depth, width, n, seed, kernel_initializer)
    weights = model.get_weights()  # [W0, b0, W1, b1, ...], the output layer last
    g, g_prime = NUMPY_ACTIVATIONS[activation]
    z_std, mean_slope = [], []
    h = X.astype(float)
    for W, b in zip(weights[0 : 2 * depth : 2], weights[1 : 2 * depth : 2], strict=True):
        z = h @ W + b
        z_std.append(float(z.std()))
        mean_slope.append(float(np.mean(g_prime(z))))
        h = g(z)
    return np.array(z_std), np.array(mean_slope)


def _deep_net(activation, depth, width, n, seed, kernel_initializer="glorot_uniform"):
    """The untrained deep network and random data of :func:`layer_gradient_norms`."""
    keras = import_keras()

    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, width)).astype("float32")
    y = rng.normal(size=(n, 1)).astype("float32")
    sizes = (width,) + (width,) * depth + (1,)
    model = build_mlp(
        sizes, activation=activation, seed=seed, kernel_initializer=kernel_initializer
    )
    return model, X, y


def _z(door, name, z):
    """Pre-activations: a 1-D array of at least one finite number."""
    return door.array(name, z, ndim=1, low_rows=1,
                      fix=f"Pass {name} as a 1-D array, e.g. {name}=np.linspace(-3, 3, 61).")  # fmt: skip


def _deep_door(func, activation, depth, width, n, seed, kernel_initializer, numpy=False):
    """The checks of :func:`layer_gradient_norms` and :func:`preactivation_stats`."""
    door = Arguments(func)
    if numpy:  # the NumPy formulas: only the activations of NUMPY_ACTIVATIONS
        door.choice("activation", activation, ACTIVATION_NAMES)
    else:
        door.text("activation", activation, example="relu")
    door.integer("depth", depth, low=1, high=100, example=10)
    door.integer("width", width, low=1, high=4096, example=32)
    door.integer("n", n, low=1, high=100_000, example=256)
    door.seed("seed", seed, allow_none=False)
    door.text("kernel_initializer", kernel_initializer, example="he_normal")
    _keras_name(door, "activation", activation, "activations")
    _keras_name(door, "kernel_initializer", kernel_initializer, "initializers")
