"""The regression tutorial's data: a smooth surface of two inputs, plus noise.

Its constants live beside its loader: the surface, the noise level and the
generator's seed.  ``tools/make_data.py`` writes the shipped CSVs with
:func:`make_regression`.
"""

from __future__ import annotations

import numpy as np

from .._args import Arguments
from ._csv import check_range, load_split

#: Standard deviation of the Gaussian noise added to the regression targets.
#: The best possible test mean squared error is therefore ``NOISE_SIGMA**2``.
NOISE_SIGMA = 0.2
REGRESSION_SEED = 2018
HEADER = ("x1", "x2", "y")


def regression_surface(X):
    """The noise-free target surface of the regression tutorial.

    ``f(x1, x2) = 18 (x1 - 0.3)^2 + 5 sin^2(5 (x2 - 0.45))``: slices parallel
    to the x1 axis are parabolas, slices parallel to the x2 axis are sine
    waves, as in the workshop's data.

    Parameters
    ----------
    X : array_like, shape (n, 2)
        Inputs ``(x1, x2)``, normally in the unit square.

    Returns
    -------
    y : ndarray, shape (n,)

    Raises
    ------
    TypeError, ValueError
        When X is not finite numbers of shape (n, 2).
    """
    door = Arguments("regression_surface")
    fix = "Pass the points as rows (x1, x2): X of shape (n, 2), e.g. np.array([[0.5, 0.5]])."
    X = door.array("X", X, shape=(None, 2), fix=fix).astype(float)
    x1, x2 = X[:, 0], X[:, 1]
    return 18.0 * (x1 - 0.3) ** 2 + 5.0 * np.sin(5.0 * (x2 - 0.45)) ** 2


def make_regression(n_train=100, n_test=40, sigma=NOISE_SIGMA, seed=REGRESSION_SEED):
    """Sample the regression surface at uniform random points, with noise.

    Parameters
    ----------
    n_train, n_test : int
        Number of training and test rows.
    sigma : float
        Standard deviation of the Gaussian noise added to ``y``.
    seed : int
        Seed of the NumPy generator, so the data are the same on every machine.

    Returns
    -------
    (X_train, y_train), (X_test, y_test)
        ``X_*`` has shape (n, 2) with entries in [0, 1); ``y_*`` has shape (n,).

    Raises
    ------
    TypeError, ValueError
        Naming the argument: ``n_train`` not a whole number >= 1, ``n_test`` not
        one >= 0, ``sigma`` not a finite number >= 0, ``seed`` not a whole number >= 0.
    """
    door = Arguments("make_regression")
    n_train = door.integer("n_train", n_train, low=1, high=10**7, example=100)
    n_test = door.integer("n_test", n_test, low=0, high=10**7, example=40)
    sigma = door.real("sigma", sigma, low=0, example=NOISE_SIGMA)
    seed = door.seed("seed", seed, allow_none=False)
    rng = np.random.default_rng(seed)
    X = rng.uniform(0.0, 1.0, size=(n_train + n_test, 2))
    y = regression_surface(X) + rng.normal(0.0, sigma, size=n_train + n_test)
    return (X[:n_train], y[:n_train]), (X[n_train:], y[n_train:])


def load_regression():
    """The regression tutorial's data: 2 inputs, 1 output.

    Points ``(x1, x2)`` in the unit square, target ``y`` from
    :func:`~dnncourse.data.regression.regression_surface` plus Gaussian noise with
    sigma = :data:`~dnncourse.data.regression.NOISE_SIGMA`. Read from ``$DNNCOURSE_DATA_DIR`` when that
    folder holds both ``regression_train.csv`` and ``regression_test.csv``
    (header line ``x1,x2,y``, inputs in [0, 1]), otherwise the course's copy:
    :func:`dnncourse.data.sources` says which.

    Returns
    -------
    (X_train, y_train), (X_test, y_test)
        ``X_train`` (100, 2), ``y_train`` (100,), ``X_test`` (40, 2), ``y_test`` (40,)
        for the course's copy.

    Raises
    ------
    FileNotFoundError, ValueError
        Naming the file, the problem and the fix (see :func:`dnncourse.data.read_csv`).
    """
    _, parts = load_split("regression", HEADER)
    for part in parts:
        for column, name in enumerate(HEADER[:2]):
            check_range(part, column, name, 0.0, 1.0, "the inputs live in the unit square")
    (_, train, _), (_, test, _) = parts
    return (train[:, :2], train[:, 2]), (test[:, :2], test[:, 2])
