"""The claims of the pages "Training by gradient descent" and "Underfitting and overfitting"."""

from __future__ import annotations

import functools

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


def test_curve_summaries():
    flat_then_rising = {"mse": [1.0, 0.5, 0.4, 0.3], "val_mse": [1.0, 0.5, 0.6, 0.75]}
    best, train_fall, val_rise = fitting.after_best_epoch(flat_then_rising)
    assert best == 2
    assert train_fall == pytest.approx(0.4) and val_rise == pytest.approx(0.5)
    assert fitting.relative_change([5, 5, 1, 1, 1.1, 1.1], 2) == pytest.approx(0.1)
    assert fitting.relative_change(np.ones(10), 5) == 0.0
    with pytest.raises(ValueError, match="at least 2 \\* window"):
        fitting.relative_change([1, 2, 3], 2)


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


@functools.cache
def _fitting_page_run(seed):
    """The fitting page's demonstrations with another seed for weights and shuffling."""
    import keras

    X, y = fitting.make_wave_data(40, noise=0.4, seed=0)
    (X_train, y_train), (X_val, y_val) = training.holdout(X, y, val_fraction=0.5)
    X_test, y_test = fitting.make_wave_data(2000, noise=0.4, seed=99)

    def make_model(hidden=(64, 64), dropout=0.0):
        keras.utils.set_random_seed(seed)
        layers = [keras.Input(shape=(1,))]
        for units in hidden:
            layers.append(keras.layers.Dense(units, activation="relu"))
            if dropout:
                layers.append(keras.layers.Dropout(dropout))
        model = keras.Sequential([*layers, keras.layers.Dense(1)])
        model.compile(
            optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse", metrics=["mse"]
        )
        return model

    def train(model, epochs):
        history = training.fit(
            model,
            X_train,
            y_train,
            epochs=epochs,
            batch_size=len(X_train),
            validation_data=(X_val, y_val),
            seed=seed,
        )
        return history.history

    def test_mse(predict):
        return float(np.mean((np.asarray(predict(X_test)).reshape(-1) - y_test) ** 2))

    small, big, dropout = make_model(hidden=()), make_model(), make_model(dropout=0.3)
    small.set_weights([np.zeros((1, 1)), np.zeros(1)])  # the page starts the line at y = 0
    run = {"floors": (fitting.floor_mse(X_train, y_train), fitting.floor_mse(X_val, y_val))}
    run["small"], run["big"] = train(small, 200), train(big, 600)
    run["dropout"] = train(dropout, 600)
    lambdas = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0]
    sweep = fitting.parallel_networks(len(lambdas), l2=lambdas, seed=seed)
    h_sweep = fitting.fit_parallel(
        sweep, X_train, y_train, epochs=800, seed=seed, validation_data=(X_val, y_val)
    )
    run["train_by_lambda"] = np.mean((fitting.predict_parallel(sweep, X_train) - y_train) ** 2, 1)
    run["val_by_lambda"] = np.mean((fitting.predict_parallel(sweep, X_val) - y_val) ** 2, 1)
    best = int(np.argmin(run["val_by_lambda"]))
    run["best"], run["l2"] = best, h_sweep[best]
    run["test"] = {
        "big": test_mse(big),
        "l2": test_mse(lambda A: fitting.predict_parallel(sweep, A)[best]),
        "dropout": test_mse(dropout),
    }
    return run


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fitting_page_claims_hold_on_other_seeds(seed):
    """The page's qualitative claims (its numbers are for seed 0) with other seeds."""
    run = _fitting_page_run(seed)
    floor_train, floor_val = run["floors"]
    small, big = run["small"], run["big"]
    train_by_lambda, val_by_lambda = run["train_by_lambda"], run["val_by_lambda"]
    best = run["best"]
    _, big_train_fall, big_val_rise = fitting.after_best_epoch(big)
    changes = {  # windows as on the page: dropout's jitter needs longer averages
        f"{name} {k}": fitting.relative_change(run[name][k], window)
        for name, window in (("l2", 100), ("dropout", 200))
        for k in ("mse", "val_mse")
    }
    claims = {
        # a clean underfit: flat at the end, high, no overfitting signature worth the name
        "line flat": max(fitting.relative_change(small[k], 30) for k in ("mse", "val_mse")) < 0.01,
        "line high": small["mse"][-1] > 1.5 * floor_train
        and small["val_mse"][-1] > 1.3 * floor_val,
        "line: no rise beyond the noise": fitting.after_best_epoch(small)[2] < 0.2,
        # the overfit: training error below its floor and still falling, validation above
        "large below floor": big["mse"][-1] < 0.7 * floor_train,
        "large gap": big["val_mse"][-1] > 1.5 * big["mse"][-1],
        "large signature": big_train_fall > 0.1 and big_val_rise >= 0,
        # the L2 sweep: training error grows with lambda, validation error is U-shaped
        "sweep train grows": bool(np.all(np.diff(train_by_lambda) > -0.005)),
        "sweep ends": train_by_lambda[0] < floor_train < train_by_lambda[-1],
        "sweep U": 0 < best < len(train_by_lambda) - 1
        and val_by_lambda[-1] > val_by_lambda[best] + 0.05,
        # the repairs have levelled off
        "repairs level off": max(changes.values()) < 0.05,
    }
    failed = [name for name, holds in claims.items() if not holds]
    details = {"best": run["best"], "changes": changes, "val_by_lambda": val_by_lambda}
    assert not failed, (failed, details, (big_train_fall, big_val_rise))


@pytest.mark.slow
def test_fitting_page_repairs_beat_the_large_network_on_average():
    """On one seed the unregularised network can be lucky; over three the repairs win."""
    tests = [_fitting_page_run(seed)["test"] for seed in (1, 2, 3)]
    mean = {name: np.mean([t[name] for t in tests]) for name in ("big", "l2", "dropout")}
    assert mean["l2"] < mean["big"] and mean["dropout"] < mean["big"], tests
