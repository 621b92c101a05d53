"""The claims of the pages "Training by gradient descent" and "Underfitting and overfitting".

The fitting page is run itself (tests/pages.py) with another seed: its hidden cells
assert its claims, so they are checked on weights the page was not written for.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from conftest import REPO
from pages import run_page

from dnncourse import training
from dnncourse.theory import fitting
from dnncourse.theory import gradient_descent as gd


def test_bowl_gradient_matches_finite_differences():
    w = np.array([0.3, -1.2])
    eps = 1e-6
    numeric = [
        (gd.bowl_loss(w + eps * e) - gd.bowl_loss(w - eps * e)) / (2 * eps) for e in np.eye(2)
    ]
    np.testing.assert_allclose(gd.bowl_gradient(w), numeric, rtol=1e-6)
    assert gd.bowl_loss(gd.BOWL_MINIMUM) == pytest.approx(0.0)


def test_too_large_learning_rate_diverges_and_good_one_converges():
    w_start = np.array([-3.15, -1.32])  # the start used on the page
    limit = gd.critical_learning_rate()
    assert limit == pytest.approx(0.2)
    good = gd.gradient_descent(gd.bowl_gradient, w_start, 0.15, 20)
    small = gd.gradient_descent(gd.bowl_gradient, w_start, 0.01, 20)
    large = gd.gradient_descent(gd.bowl_gradient, w_start, 0.21, 60)
    start_loss = gd.bowl_loss(w_start)
    assert gd.bowl_loss(good[-1]) < 0.01 * start_loss
    assert 0.1 * start_loss < gd.bowl_loss(small[-1]) < start_loss  # slow, but downhill
    assert gd.bowl_loss(large[-1]) > 100 * start_loss
    assert np.linalg.norm(large[-1] - gd.BOWL_MINIMUM) > 10 * np.linalg.norm(
        w_start - gd.BOWL_MINIMUM
    )


def test_line_sgd_takes_one_step_per_batch_and_heads_for_the_minimum():
    X, y = gd.make_line_data(n=1000, seed=0)
    path = gd.line_sgd(X, y, [-1.0, 2.0], learning_rate=0.05, batch_size=10, n_epochs=2)
    assert path.shape == (2 * 100 + 1, 2)
    W_best = np.linalg.lstsq(np.c_[X, np.ones(len(X))], y, rcond=None)[0]
    assert gd.line_loss(X, y, path[-1]) < 1.2 * gd.line_loss(X, y, W_best)
    # line_loss on a grid equals the direct mean of squared residuals
    direct = np.mean((X[:, 0] * 1.5 + 0.25 - y) ** 2)
    assert gd.line_loss(X, y, np.array([[[1.5, 0.25]]]))[0, 0] == pytest.approx(direct, rel=1e-6)


def test_iterations_per_epoch_matches_keras():
    import keras

    assert gd.iterations_per_epoch(1000, 10) == 100
    assert gd.iterations_per_epoch(1000, 32) == 32
    X, y = gd.make_line_data(n=1000, seed=0)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse")
    model.fit(X, y, batch_size=10, epochs=1, verbose=0)
    assert int(model.optimizer.iterations.numpy()) == 100
    model.fit(X, y, batch_size=32, epochs=1, verbose=0)
    assert int(model.optimizer.iterations.numpy()) == 100 + 32


@pytest.mark.tensorflow(reason="the gradient-descent page writes a step with tf.GradientTape")
def test_gradient_tape_step_equals_optimizer_apply():
    import keras
    import tensorflow as tf

    X, y = gd.make_line_data(n=10, seed=3)
    keras.utils.set_random_seed(1)
    model = keras.Sequential(
        [keras.Input(shape=(1,)), keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(1)]
    )
    learning_rate = 0.1
    with tf.GradientTape() as tape:
        loss = keras.losses.MeanSquaredError()(y, model(X, training=True))
    grads = tape.gradient(loss, model.trainable_variables)
    by_hand = [
        w.numpy() - learning_rate * g.numpy()
        for w, g in zip(model.trainable_variables, grads, strict=True)
    ]
    keras.optimizers.SGD(learning_rate=learning_rate).apply(grads, model.trainable_variables)
    for expected, w in zip(by_hand, model.trainable_variables, strict=True):
        np.testing.assert_allclose(w.numpy(), expected, rtol=0, atol=1e-6)
    assert any(np.abs(g.numpy()).max() > 1e-3 for g in grads)  # the step really moved


def test_dropout_zeroes_activations_and_rescales_the_rest():
    import keras

    rate = 0.4
    layer = keras.layers.Dropout(rate, seed=0)
    ones = np.ones((1, 10000), dtype="float32")
    out = np.asarray(layer(ones, training=True))
    assert abs(np.mean(out == 0) - rate) < 0.03
    np.testing.assert_allclose(np.unique(out[out != 0]), [1 / (1 - rate)], rtol=1e-6)
    np.testing.assert_array_equal(np.asarray(layer(ones, training=False)), ones)
    assert layer.weights == []  # nothing to zero: the layer has no weights


def test_wave_data_hold_out_and_fast_fit():
    import keras

    X, y = fitting.make_wave_data(40, noise=0.4, seed=0)
    assert X.shape == (40, 1) and y.shape == (40,)
    (X_train, y_train), (X_val, y_val) = training.holdout(X, y, val_fraction=0.5)
    assert len(X_train) == len(X_val) == 20
    np.testing.assert_array_equal(np.concatenate([X_train, X_val]), X)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.05), loss="mse")
    history = training.fit(
        model, X_train, y_train, epochs=3, batch_size=5, validation_data=(X_val, y_val), seed=0
    )
    assert len(history.history["loss"]) == len(history.history["val_loss"]) == 3
    assert int(model.optimizer.iterations.numpy()) == 3 * 4


def test_floor_is_the_true_function_error_on_the_plotted_points():
    """The fitting page draws, on each curve, what sin(3x) itself scores on the same points."""
    X, y = fitting.make_wave_data(40, noise=0.4, seed=0)  # the page's data
    (X_train, y_train), (X_val, y_val) = training.holdout(X, y, val_fraction=0.5)
    for A, b in [(X_train, y_train), (X_val, y_val)]:
        direct = np.mean((np.sin(3 * A[:, 0].astype(float)) - b) ** 2)
        assert fitting.floor_mse(A, b) == pytest.approx(direct, rel=1e-5)
    # on 20 points the floor is not sigma^2; on many it is
    X_big, y_big = fitting.make_wave_data(20000, noise=0.4, seed=5)
    assert fitting.floor_mse(X_big, y_big) == pytest.approx(0.16, rel=0.03)


def test_bias_variance_of_known_fits():
    x = np.linspace(-1, 1, 11)
    truth = fitting.wave(x)
    # two fits, truth + 0.1 and truth + 0.3: mean off by 0.2, each 0.1 from the mean
    bias2, variance = fitting.bias_variance(np.stack([truth + 0.1, truth + 0.3]), x)
    assert bias2 == pytest.approx(0.04) and variance == pytest.approx(0.01)


@pytest.mark.slow
def test_parallel_networks_train_exactly_like_separate_ones():
    """Network k of the side-by-side model follows the same path as a lone Dense network."""
    import keras

    X, y = fitting.make_wave_data(20, noise=0.4, seed=3)
    lambdas = [0.0, 0.03]
    parallel = fitting.parallel_networks(2, hidden=(8, 8), l2=lambdas, seed=1)
    start = [w.copy() for w in parallel.get_weights()]  # kernels (2, in, out), biases (2, out)
    fitting.fit_parallel(parallel, X, y, epochs=15, seed=0)
    grid = np.linspace(-1, 1, 9, dtype="float32")[:, None]
    together = fitting.predict_parallel(parallel, grid)
    for k, lam in enumerate(lambdas):
        regularizer = keras.regularizers.L2(lam) if lam else None
        alone = keras.Sequential(
            [
                keras.Input(shape=(1,)),
                keras.layers.Dense(8, activation="relu", kernel_regularizer=regularizer),
                keras.layers.Dense(8, activation="relu", kernel_regularizer=regularizer),
                keras.layers.Dense(1),
            ]
        )
        alone.set_weights([w[k] for w in start])
        alone.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
        training.fit(alone, X, y, epochs=15, batch_size=len(X), seed=0)
        np.testing.assert_allclose(together[k], np.asarray(alone(grid))[:, 0], atol=1e-4)
    assert not np.allclose(start[0], parallel.get_weights()[0])  # training moved the weights


def test_plot_helpers_return_figures():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = gd.gradient_descent(gd.bowl_gradient, [-3.0, 3.0], 0.15, 5)
    fig = gd.plot_paths(gd.bowl_loss, [path], ["lr 0.15"], (-4, 5, -3, 4))
    assert len(fig.axes) == 1
    X, y = fitting.make_wave_data(10)
    fig2 = fitting.plot_fit(lambda G: np.zeros(len(G)), X, y)
    assert len(fig2.axes) == 1
    plt.close("all")


def test_per_network_l2_is_a_keras_regularizer():
    """Keras 3.13 refuses a plain function as kernel_regularizer; the penalty is a Regularizer."""
    import keras

    penalty = fitting._per_network_l2([0.5, 2.0])
    assert isinstance(penalty, keras.regularizers.Regularizer)
    W = np.arange(12, dtype="float32").reshape(2, 3, 2) / 10  # (networks, inputs, units)
    expected = 0.5 * np.sum(W[0] ** 2) + 2.0 * np.sum(W[1] ** 2)
    assert float(penalty(W)) == pytest.approx(expected, rel=1e-6)
    again = type(penalty).from_config(penalty.get_config())
    assert float(again(W)) == pytest.approx(expected, rel=1e-6)
    model = fitting.parallel_networks(2, hidden=(3,), l2=[0.5, 2.0], seed=0, curves=False)
    assert len(model.losses) == 1  # one penalty term, for the one hidden layer's kernels


@pytest.mark.slow
def test_fitting_page_holds_with_another_seed():
    """The page's own code with SEED = 1: its hidden cells assert every claim again."""
    page = run_page("fitting", SEED=1)
    assert page["SEED"] == 1 and "SEED = 1" in page.cells[1]
    # every number the prose cites was glued on this run too
    text = (REPO / "book" / "fitting.md").read_text(encoding="utf-8")
    cited = set(re.findall(r"\{glue:text\}`(\w+)", text))
    assert cited and not cited - set(page.glued), sorted(cited - set(page.glued))
    # the diagnoses the page teaches with, on this seed's curves
    labels = [page[name].label for name in ("d_small", "d_big", "d_l2", "d_dropout", "d_early")]
    assert labels == ["underfitting", "overfitting", "good fit", "good fit", "good fit"], labels
