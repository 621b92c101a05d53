"""The claims of the pages "Training by gradient descent" and "Underfitting and overfitting"."""

from __future__ import annotations

import numpy as np
import pytest

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

    X, y = fitting.make_wave_data(40, noise=0.4, seed=1)
    assert X.shape == (40, 1) and y.shape == (40,)
    (X_train, y_train), (X_val, y_val) = training.holdout(X, y, val_fraction=0.5)
    assert len(X_train) == len(X_val) == 20
    np.testing.assert_array_equal(np.concatenate([X_train, X_val]), X)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.05), loss="mse")
    history = training.fit(model, X_train, y_train, epochs=3, batch_size=5,
                     validation_data=(X_val, y_val), seed=0)  # fmt: skip
    assert len(history.history["loss"]) == len(history.history["val_loss"]) == 3
    assert int(model.optimizer.iterations.numpy()) == 3 * 4


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
