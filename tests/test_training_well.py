"""The page "Training deep networks well": its hand computations equal Keras'."""

from __future__ import annotations

import numpy as np
import pytest

from dnncourse.theory import gradient_descent as gd
from dnncourse.theory import training_well as tw


def random_params(seed):
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.normal(size=(2, 2)),
        "b1": rng.normal(size=2),
        "w2": rng.normal(size=2),
        "b2": float(rng.normal()),
    }


PAGE_PARAMS = {
    "W1": np.array([[0.5, -0.3], [0.2, 0.4]]),
    "b1": np.array([0.1, -0.1]),
    "w2": np.array([0.7, -0.5]),
    "b2": 0.2,
}


@pytest.mark.tensorflow(reason="float64 to 1e-12: Keras keeps float64 on TensorFlow only")
@pytest.mark.parametrize(
    ("params", "x", "t"),
    [
        (PAGE_PARAMS, np.array([1.0, 2.0]), 1.0),  # the page's example
        (random_params(1), np.array([-0.3, 0.8]), -2.0),
        (random_params(2), np.array([1.5, -1.1]), 0.5),
    ],
    ids=["page", "random1", "random2"],
)
def test_hand_backprop_equals_tape_gradients(params, x, t):
    by_hand = tw.backprop_221(params, x, t)
    by_tape = tw.autodiff_gradients_221(params, x, t)
    for name in ("W1", "b1", "w2", "b2"):
        np.testing.assert_allclose(by_hand[name], by_tape[name], rtol=0, atol=1e-12)


def test_hand_backprop_matches_finite_differences():
    params, x, t = random_params(3), np.array([0.4, -0.7]), 0.3
    grads, h = tw.backprop_221(params, x, t), 1e-6

    def loss(p):
        return (tw.forward_221(p, x)["y_hat"] - t) ** 2

    for name in ("W1", "b1", "w2"):
        for idx in np.ndindex(params[name].shape):
            up = {k: np.array(v, dtype=float) for k, v in params.items()}
            down = {k: np.array(v, dtype=float) for k, v in params.items()}
            up[name][idx] += h
            down[name][idx] -= h
            numeric = (loss(up) - loss(down)) / (2 * h)
            assert numeric == pytest.approx(grads[name][idx], abs=1e-7)


def test_mse_matches_formula_and_keras():
    import keras

    y, y_hat = np.array([1.0, 2.0, 3.0]), np.array([1.5, 2.0, 2.0])
    assert tw.mse(y, y_hat) == pytest.approx(1.25 / 3)
    assert float(keras.losses.MeanSquaredError()(y, y_hat)) == pytest.approx(1.25 / 3, rel=1e-6)


def test_batch_norm_matches_keras_layer_in_training():
    import keras

    rng = np.random.default_rng(0)
    X = rng.normal(3.0, 2.0, size=(32, 4)).astype("float32")
    gamma, beta = rng.uniform(0.5, 2.0, 4), rng.normal(size=4)
    layer = keras.layers.BatchNormalization()
    layer.build(X.shape)
    layer.set_weights([gamma, beta, np.zeros(4), np.ones(4)])
    out = keras.ops.convert_to_numpy(layer(X, training=True))
    np.testing.assert_allclose(out, tw.batch_norm(X, gamma, beta), atol=1e-5)


def test_he_keeps_the_spread_and_glorot_halves_the_variance_per_relu_layer():
    he = tw.activations_through_depth("he_normal", depth=8, width=256, n=500).std(axis=(1, 2))
    glorot = tw.activations_through_depth("glorot_uniform", depth=8, width=256, n=500)
    glorot = glorot.std(axis=(1, 2))
    assert he.max() / he.min() < 2  # Glorot, by contrast, shrinks more than tenfold
    per_layer = (glorot[-1] / glorot[0]) ** (2 / 7)  # mean variance factor per layer
    assert 0.35 < per_layer < 0.65


def test_smooth_is_bias_corrected():
    np.testing.assert_allclose(tw.smooth(np.full(10, 3.0)), 3.0)
    np.testing.assert_array_equal(tw.smooth(np.arange(5.0), beta=0.0), np.arange(5.0))


def test_centred_smoothing_does_not_lag_and_the_exponential_one_does():
    ramp = np.linspace(0.0, 10.0, 41)
    centred = tw.smooth_centred(ramp, half_width=5)
    np.testing.assert_allclose(centred[5:-5], ramp[5:-5])  # a straight line is left alone
    assert centred.shape == ramp.shape and centred[0] == pytest.approx(ramp[:6].mean())
    lagging = tw.smooth(ramp, beta=0.9)
    behind = ramp - lagging  # tends to beta / (1 - beta) = 9 steps of 0.25
    assert np.all(np.diff(behind) > 0) and behind[25] > 1.5 and behind[-1] < 2.25
    np.testing.assert_array_equal(tw.smooth_centred(ramp, half_width=0), ramp)


def test_keras_sgd_path_is_plain_gradient_descent():
    import keras

    w0 = np.array([-2.5, 2.0])
    path = tw.optimizer_path(keras.optimizers.SGD(learning_rate=0.05), gd.bowl_gradient, w0, 20)
    np.testing.assert_allclose(path, gd.gradient_descent(gd.bowl_gradient, w0, 0.05, 20), atol=1e-5)


@pytest.mark.slow
def test_lr_range_test_sweeps_geometrically_and_records_each_batch():
    import keras

    keras.utils.set_random_seed(0)
    X = np.random.default_rng(0).normal(size=(64, 28, 28, 1)).astype("float32")
    y = np.random.default_rng(1).integers(0, 10, 64)
    model = tw.bn_mlp(batch_norm=True, depth=1, width=8)
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=1e-3), loss="sparse_categorical_crossentropy"
    )
    rates, losses = tw.lr_range_test(model, X, y, start=1e-4, stop=1e-1, n_steps=4, batch_size=16)
    np.testing.assert_allclose(rates, [1e-4, 1e-3, 1e-2, 1e-1])
    assert losses.shape == (4,) and np.all(np.isfinite(losses))
    assert float(model.optimizer.learning_rate) == pytest.approx(1e-1)


@pytest.mark.slow
@pytest.mark.mnist
def test_range_test_reading_holds_on_another_seed():
    """The page's reading of its range test (seed 0), on other weights and batches: the
    centred average is lowest near the MNIST solution's peak, the rules of thumb land
    about ten times lower, and the exponential average lags by a factor of 2 to 4."""
    import keras

    from dnncourse.data.mnist import load_prepared
    from dnncourse.solutions.mnist import solution_cnn

    (X, y), _, _ = load_prepared()
    keras.utils.set_random_seed(1)
    cnn = solution_cnn()
    cnn.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-5), loss="sparse_categorical_crossentropy"
    )
    rates, losses = tw.lr_range_test(
        cnn, X, y, start=1e-5, stop=1.0, n_steps=100, batch_size=256, seed=1
    )
    smoothed, lagging = tw.smooth_centred(losses, 5), tw.smooth(losses, 0.9)
    best = rates[np.argmin(smoothed)]
    steepest = rates[np.argmin(np.gradient(smoothed, np.log(rates)))]
    peak = 8e-3
    assert peak / 2 < best < 2 * peak
    assert 5 < peak / (best / 10) < 20 and 0.5 < steepest / (best / 10) < 2
    lag = rates[np.argmax(lagging < 1)] / rates[np.argmax(smoothed < 1)]
    assert 2 < lag < 4
