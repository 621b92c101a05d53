"""The page "Training by gradient descent": its optimizer formulas and its comparison of them.

(The page's other claims are tested in test_theory_gd_fitting.py.)
"""

from __future__ import annotations

import numpy as np
import pytest

from dnncourse.theory import gradient_descent as gd


@pytest.mark.parametrize("a0", [0.1, 0.0, 2.0])
def test_adagrad_is_the_pages_formula_with_keras_starting_sum(a0):
    """a <- a + g^2, w <- w - eta g / sqrt(a + eps), a starting at initial_accumulator_value."""
    import keras

    eta = 0.5
    optimizer = keras.optimizers.Adagrad(learning_rate=eta, initial_accumulator_value=a0)
    w = keras.Variable([1.0, -2.0])
    w_hand, a = np.array([1.0, -2.0]), np.full(2, a0)
    for g in ([0.2, -3.0], [-0.05, 1.0], [1.5, 0.01]):
        optimizer.apply([keras.ops.convert_to_tensor(g)], [w])
        a += np.square(g)
        w_hand -= eta * np.asarray(g) / np.sqrt(a + optimizer.epsilon)
        np.testing.assert_allclose(w.numpy(), w_hand, rtol=1e-5)


def test_keras_adagrad_starts_its_sum_at_a_tenth():
    """The page glues the default; a Keras that changed it would change the first steps."""
    import keras

    assert keras.optimizers.Adagrad().initial_accumulator_value == pytest.approx(0.1)


def _loss_histories(seed):
    """The page's comparison: the line fit, 15 epochs of batches of 50, with model.fit."""
    import keras

    X, y = gd.make_line_data(n=1000, slope=2.0, intercept=-1.0, seed=0)
    optimizers = {
        "SGD": lambda: keras.optimizers.SGD(learning_rate=0.05),
        "Adagrad": lambda: keras.optimizers.Adagrad(learning_rate=0.5),
        "Adam": lambda: keras.optimizers.Adam(learning_rate=0.1),
        "Adadelta": lambda: keras.optimizers.Adadelta(learning_rate=1.0),
    }
    histories = {}
    for name, make in optimizers.items():
        keras.utils.set_random_seed(seed)
        model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
        model.compile(optimizer=make(), loss="mse")
        history = model.fit(X, y, epochs=15, batch_size=50, verbose=0)
        histories[name] = np.asarray(history.history["loss"])
    W_best = np.linalg.lstsq(np.c_[X, np.ones(len(X))], y, rcond=None)[0]
    return histories, float(gd.line_loss(X, y, W_best))


@pytest.mark.slow
@pytest.mark.parametrize("seed", [3, 4])
def test_optimizer_comparison_holds_on_other_starting_weights(seed):
    """What the page says in general (it uses seed 2): Adagrad and Adam get close to the
    minimum before SGD, Adadelta starts slowest and is still well above it at the end."""
    histories, best = _loss_histories(seed)

    def first_close(h):
        close = np.flatnonzero(h < 1.03 * best)
        return close[0] + 1 if close.size else np.inf

    assert max(first_close(histories["Adagrad"]), first_close(histories["Adam"])) < first_close(
        histories["SGD"]
    )
    assert first_close(histories["SGD"]) <= 15
    assert max(histories, key=lambda n: histories[n][0]) == "Adadelta"
    assert histories["Adadelta"][-1] > 1.3 * best and np.all(np.diff(histories["Adadelta"]) < 0)
