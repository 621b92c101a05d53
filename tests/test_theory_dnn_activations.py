"""The helpers of the pages dnn, activations and tensorflow_keras compute what the pages claim."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dnncourse.theory import activations, dnn

GRID = np.linspace(-8.0, 8.0, 321).astype("float32")


@pytest.mark.parametrize("name", activations.ACTIVATION_NAMES)
def test_keras_activations_equal_numpy_formulas(name):
    import keras

    g, _ = dnn.NUMPY_ACTIVATIONS[name]
    y_keras = np.asarray(keras.activations.get(name)(GRID))
    np.testing.assert_allclose(y_keras, g(GRID), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", activations.ACTIVATION_NAMES)
def test_autodiff_derivatives_equal_analytic(name):
    _, dg = dnn.NUMPY_ACTIVATIONS[name]
    y, dy = activations.keras_activation(name, GRID)
    assert y.shape == dy.shape == GRID.shape
    np.testing.assert_allclose(dy, dg(GRID), rtol=1e-5, atol=1e-6)


def test_numpy_formulas_by_hand():
    x = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(activations.relu(x), [0.0, 0.0, 3.0])
    np.testing.assert_allclose(activations.sigmoid(x), 1 / (1 + np.exp(-x)))
    np.testing.assert_allclose(activations.softplus(x), np.log(1 + np.exp(x)))
    np.testing.assert_allclose(activations.tanh_grad(x), 1 / np.cosh(x) ** 2)
    # the stable forms do not overflow
    big = np.array([-1000.0, 1000.0])
    with np.errstate(over="raise"):
        np.testing.assert_allclose(activations.sigmoid(big), [0.0, 1.0])
        np.testing.assert_allclose(activations.softplus(big), [0.0, 1000.0])
    assert activations.sigmoid_grad(0.0) == pytest.approx(0.25)


@pytest.mark.parametrize(
    ("layer_sizes", "activation", "api"),
    [
        ((2, 4, 3, 1), "relu", "sequential"),
        ((3, 7, 5, 6, 2), "tanh", "functional"),
        ((4, 8, 3), "sigmoid", "sequential"),
        ((2, 5, 1), "softplus", "functional"),
    ],
)
def test_forward_numpy_equals_model(layer_sizes, activation, api):
    model = dnn.build_mlp(layer_sizes, activation=activation, seed=7, api=api)
    # random biases too: Keras initialises them to zero, which would hide a missing "+ b"
    rng = np.random.default_rng(1)
    model.set_weights([rng.normal(size=w.shape).astype("float32") for w in model.get_weights()])
    X = rng.normal(size=(20, layer_sizes[0])).astype("float32")
    y_np = dnn.forward_numpy(model.get_weights(), X, activation=activation)
    assert y_np.shape == (20, layer_sizes[-1])
    np.testing.assert_allclose(y_np, model.predict(X, verbose=0), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("layer_sizes", [(2, 4, 3, 1), (784, 128, 10), (3, 5, 5, 2), (1, 1)])
def test_count_dense_params_equals_count_params(layer_sizes):
    model = dnn.build_mlp(layer_sizes, seed=0)
    assert dnn.count_dense_params(layer_sizes) == model.count_params()


def test_count_dense_params_known_values():
    assert dnn.count_dense_params((2, 4, 3, 1)) == 31
    assert dnn.count_dense_params((3, 5, 5, 2)) == 62


def test_sequential_and_functional_build_the_same_network():
    seq = dnn.build_mlp((2, 16, 8, 1), api="sequential", seed=0)
    fun = dnn.build_mlp((2, 16, 8, 1), api="functional", seed=0)
    assert seq.count_params() == fun.count_params()
    fun.set_weights(seq.get_weights())
    X = np.random.default_rng(0).uniform(size=(10, 2)).astype("float32")
    np.testing.assert_allclose(seq.predict(X, verbose=0), fun.predict(X, verbose=0), rtol=1e-6)
    with pytest.raises(ValueError, match="api"):
        dnn.build_mlp(api="subclass")


@pytest.mark.tensorflow(
    reason="thresholds of TensorFlow's starting weights, as the page checks them"
)
def test_sigmoid_gradients_vanish_with_depth_and_relu_ones_do_not():
    sig = activations.layer_gradient_norms("sigmoid", depth=6, width=16, n=64)
    relu = activations.layer_gradient_norms("relu", depth=6, width=16, n=64)
    assert sig.shape == relu.shape == (6,)
    assert sig[0] / sig[-1] < 1e-2
    assert 0.1 < relu[0] / relu[-1] < 10


def test_glorot_keeps_preactivations_of_order_one_and_sigmoid_slopes_below_a_quarter():
    """The activations page's explanation of why tanh trains and the sigmoid does not."""
    tanh_std, tanh_slope = activations.preactivation_stats("tanh", depth=6, width=16, n=64)
    sig_std, sig_slope = activations.preactivation_stats("sigmoid", depth=6, width=16, n=64)
    assert tanh_std.shape == tanh_slope.shape == (6,)
    assert 0.7 < tanh_std[0] < 1.3 and 0.7 < sig_std[0] < 1.3  # unit-variance inputs, Glorot
    assert tanh_std.min() > 0.2 and tanh_slope.min() > 0.5
    assert sig_slope.max() <= 0.25


def test_build_mlp_draws_weights_with_the_initializer_asked_for():
    glorot = dnn.build_mlp((64, 64, 64, 1), seed=0)
    he = dnn.build_mlp((64, 64, 64, 1), seed=0, kernel_initializer="he_normal")
    fun = dnn.build_mlp((64, 64, 64, 1), seed=0, kernel_initializer="he_normal", api="functional")
    var_glorot = np.var(glorot.get_weights()[2])  # 2 / (64 + 64)
    var_he = np.var(he.get_weights()[2])  # 2 / 64
    assert var_glorot == pytest.approx(2 / 128, rel=0.1)
    assert var_he == pytest.approx(2 / 64, rel=0.1)
    assert np.var(fun.get_weights()[2]) == pytest.approx(2 / 64, rel=0.1)


@pytest.mark.tensorflow(
    reason="thresholds of TensorFlow's starting weights, as the page checks them"
)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_he_weights_lift_relu_gradients_that_glorot_leaves_ten_times_below_tanh(seed):
    """The activations page: ReLU's gradients with Glorot weights are an order of magnitude
    below tanh's, He's weights bring them to tanh's size or above, without a sigmoid-like fall."""
    tanh = activations.layer_gradient_norms("tanh", depth=10, seed=seed)
    relu = activations.layer_gradient_norms("relu", depth=10, seed=seed)
    he = activations.layer_gradient_norms(
        "relu", depth=10, seed=seed, kernel_initializer="he_normal"
    )
    assert 5 < np.median(tanh) / np.median(relu) < 30
    assert np.median(he) > np.median(tanh) and np.all(he > relu)
    assert he[0] / he[-1] > 1 / 30


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_tanh_preactivations_shrink_and_sigmoid_ones_drop_at_once(seed):
    """The activations page's description of the spread of z through ten Glorot layers."""
    tanh_std, tanh_slope = activations.preactivation_stats("tanh", depth=10, seed=seed)
    sig_std, _ = activations.preactivation_stats("sigmoid", depth=10, seed=seed)
    drops = -np.diff(tanh_std)
    assert drops[0] > 2 * drops[1] > 0 and tanh_std[-1] < 0.4
    assert tanh_slope[-1] > tanh_slope[0] + 0.2
    assert sig_std[1] < 0.75 * sig_std[0] and sig_std[1:].min() > 0.3 and sig_std[1:].max() < 0.8


def test_figures_draw():
    fig = dnn.draw_network((2, 4, 3, 1), input_labels=["a", "b"], output_labels=["y"])
    assert fig.axes
    fig2 = activations.plot_activations(np.linspace(-3, 3, 11))
    assert len([ax for ax in fig2.axes if ax.lines]) == len(activations.ACTIVATION_NAMES)
    plt.close("all")
