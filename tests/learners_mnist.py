"""Learner-like MNIST exercises: good, borderline and faulty ``build_and_train`` functions.

The calibration study (``tests/test_mnist_calibration.py``) trains each of them on
ten seeds and asks whether ``check_mnist``'s verdict on the 5,000 validation
images predicts ``final_check_mnist``'s on the 10,000 test digits.  Each one is
what a learner might hand in: the course's solution and variations of it (wider,
narrower, smaller batches), the workshop's seed network with its own settings and
with the solution's optimizer, too few epochs, too little data, too high a
learning rate, too small steps, a dense network, a linear model.  Each trains in
seconds on two cores (the seed network's 5 epochs take longest); faulty ones that
would be slow train on a subset of the training images, as a hurried learner might.

Every learner takes ``seed`` and returns ``(model, history)``, as the exercise's
``build_and_train()`` does; the data come from
:func:`dnncourse.data.mnist.load_prepared`, so the validation images are never
trained on and the test digits are never seen.
"""

from __future__ import annotations

import functools

import keras
from keras import layers

from dnncourse.challenges.mnist import run_seed_cnn, seed_cnn
from dnncourse.solutions.mnist import one_cycle, solution_cnn, solve_mnist


@functools.cache
def _data():
    """``load_prepared()`` once per process (each learner would load it again)."""
    from dnncourse.data.mnist import load_prepared

    return load_prepared()


def _train(model, optimizer, epochs, batch_size, n_train=None):
    """Compile with ``optimizer``, fit on the first ``n_train`` training images (all if None)."""
    (X_train, y_train), (X_val, y_val), _ = _data()
    model.compile(
        optimizer=optimizer,
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        steps_per_execution=8,
    )
    history = model.fit(
        X_train[:n_train],
        y_train[:n_train],
        validation_data=(X_val, y_val),
        epochs=epochs,
        batch_size=batch_size,
        verbose=0,
    )
    return model, history


def _one_cycle_fit(model, epochs, batch_size, peak, n_train=None):
    """:func:`_train` with Adam on the solution's one-cycle schedule."""
    n = len(_data()[0][0][:n_train])
    steps = epochs * -(-n // batch_size)
    adam = keras.optimizers.Adam(learning_rate=one_cycle(steps, peak))
    return _train(model, adam, epochs, batch_size, n_train)


# ----------------------------------------------------------------------------- good


def solution(seed):
    """The course's solution, as ``solve_mnist`` trains it (2 epochs, one-cycle Adam)."""
    return solve_mnist(seed=seed)


def solution_wide(seed):
    """The solution with 32 filters in both convolutions."""
    keras.utils.set_random_seed(seed)
    return _one_cycle_fit(solution_cnn(filters=(32, 32)), 2, 256, 8e-3)


def solution_batch_128(seed):
    """The solution with batches of 128 and half the peak learning rate (0.004)."""
    keras.utils.set_random_seed(seed)
    return _one_cycle_fit(solution_cnn(), 2, 128, 4e-3)


# ----------------------------------------------------------------------------- borderline


def solution_dense_64(seed):
    """The solution with 64 dense units instead of 128."""
    keras.utils.set_random_seed(seed)
    return _one_cycle_fit(solution_cnn(dense=64), 2, 256, 8e-3)


def solution_45k(seed):
    """The solution trained on 45,000 of the 55,000 training images."""
    return solve_mnist(seed=seed, n_train=45_000)


def solution_1_epoch(seed):
    """Too few epochs: the solution's schedule squeezed into one."""
    return solve_mnist(seed=seed, epochs=1)


def seed_cnn_one_cycle(seed):
    """The seed network trained as the solution is: Adam, one-cycle, batches of 256, 2 epochs."""
    keras.utils.set_random_seed(seed)
    return _one_cycle_fit(seed_cnn(), 2, 256, 8e-3)


# ----------------------------------------------------------------------------- faulty


def seed_cnn_challenge(seed):
    """The workshop's seed network with the seed's settings: the tutorial's challenge."""
    return run_seed_cnn(seed=seed)


def solution_20k(seed):
    """Too little data: the solution trained on 20,000 of the 55,000 training images."""
    return solve_mnist(seed=seed, n_train=20_000)


def too_high_learning_rate(seed):
    """The solution's network with Adam at a constant 0.1 (on 20,000 images)."""
    keras.utils.set_random_seed(seed)
    return _train(solution_cnn(), keras.optimizers.Adam(learning_rate=0.1), 2, 256, 20_000)


def sgd_small_steps(seed):
    """The solution's network with plain SGD at 0.01: far too slow for 2 epochs."""
    keras.utils.set_random_seed(seed)
    return _train(solution_cnn(), keras.optimizers.SGD(learning_rate=0.01), 2, 256)


def dense_net(seed):
    """No convolutions: Flatten, Dense 256 ReLU, Dense 10; Adam at 0.001, 4 epochs."""
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Flatten(),
            layers.Dense(256, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    )
    return _train(model, keras.optimizers.Adam(learning_rate=1e-3), 4, 128)


def linear(seed):
    """Softmax regression on the pixels (no hidden layer); Adam at 0.001, 2 epochs."""
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [keras.Input((28, 28, 1)), layers.Flatten(), layers.Dense(10, activation="softmax")]
    )
    return _train(model, keras.optimizers.Adam(learning_rate=1e-3), 2, 128)


#: name -> learner, in the order the study's table lists them.
LEARNERS = {
    f.__name__: f
    for f in (
        solution,
        solution_wide,
        solution_batch_128,
        solution_dense_64,
        solution_45k,
        solution_1_epoch,
        seed_cnn_one_cycle,
        seed_cnn_challenge,
        solution_20k,
        too_high_learning_rate,
        sgd_small_steps,
        dense_net,
        linear,
    )
}
