"""Write the course's CSV files: the regression surface and the iris split.

Run ``python -m dnncourse.make_data [OUT_DIR]`` (default: the repository's
``data/`` folder) to regenerate them; a test proves that regeneration gives the
same bytes as the committed files.  The regression data comes from
:func:`make_regression` alone; the iris split needs scikit-learn, which ships a
copy of Fisher's data and is used only here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

#: Standard deviation of the Gaussian noise added to the regression targets.
#: The best possible test mean squared error is therefore ``NOISE_SIGMA**2``.
NOISE_SIGMA = 0.2
REGRESSION_SEED = 2018
IRIS_SEED = 42
IRIS_CLASSES = ("setosa", "versicolor", "virginica")
IRIS_FEATURES = ("sepal_length", "sepal_width", "petal_length", "petal_width")


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
    """
    X = np.asarray(X, dtype=float)
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
    """
    rng = np.random.default_rng(seed)
    X = rng.uniform(0.0, 1.0, size=(n_train + n_test, 2))
    y = regression_surface(X) + rng.normal(0.0, sigma, size=n_train + n_test)
    return (X[:n_train], y[:n_train]), (X[n_train:], y[n_train:])


def split_iris(X, y, n_test_per_class=10, seed=IRIS_SEED):
    """Stratified train/test split: ``n_test_per_class`` rows of each class go to test.

    Parameters
    ----------
    X : ndarray, shape (n, 4)
    y : ndarray, shape (n,), integer labels
    n_test_per_class : int
    seed : int

    Returns
    -------
    (X_train, y_train), (X_test, y_test)
        Rows shuffled, so the classes are mixed in both parts.
    """
    rng = np.random.default_rng(seed)
    test_idx = np.concatenate(
        [rng.permutation(np.flatnonzero(y == c))[:n_test_per_class] for c in np.unique(y)]
    )
    train_idx = np.setdiff1d(np.arange(len(y)), test_idx)
    train_idx, test_idx = rng.permutation(train_idx), rng.permutation(test_idx)
    return (X[train_idx], y[train_idx]), (X[test_idx], y[test_idx])


def _write_csv(path, header, X, y, x_fmt, y_fmt):
    # Fixed formats, so the bytes do not depend on NumPy's float printing.
    rows = [",".join(header)]
    for x_row, y_val in zip(X, y, strict=True):
        rows.append(",".join(format(v, x_fmt) for v in x_row) + "," + format(y_val, y_fmt))
    Path(path).write_text("\n".join(rows) + "\n", encoding="utf-8")


def write_regression_csvs(out_dir):
    """Write ``regression_train.csv`` and ``regression_test.csv`` into ``out_dir``."""
    (X_train, y_train), (X_test, y_test) = make_regression()
    header = ("x1", "x2", "y")
    _write_csv(Path(out_dir) / "regression_train.csv", header, X_train, y_train, ".6f", ".6f")
    _write_csv(Path(out_dir) / "regression_test.csv", header, X_test, y_test, ".6f", ".6f")


def write_iris_csvs(out_dir):
    """Write ``iris_train.csv`` (120 rows) and ``iris_test.csv`` (30 rows) into ``out_dir``.

    Needs scikit-learn, whose bundled copy of Fisher's iris data is the source.
    """
    from sklearn.datasets import load_iris  # only this script needs scikit-learn

    iris = load_iris()
    (X_train, y_train), (X_test, y_test) = split_iris(iris.data, iris.target)
    header = (*IRIS_FEATURES, "label")
    _write_csv(Path(out_dir) / "iris_train.csv", header, X_train, y_train, ".1f", "d")
    _write_csv(Path(out_dir) / "iris_test.csv", header, X_test, y_test, ".1f", "d")


def main(argv=None):
    """Regenerate every CSV in ``data/`` (or the folder given as first argument)."""
    argv = sys.argv[1:] if argv is None else argv
    out_dir = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "data"
    if not out_dir.is_dir():
        raise SystemExit(f"make_data: output folder {out_dir} does not exist; create it first")
    write_regression_csvs(out_dir)
    write_iris_csvs(out_dir)
    print(f"wrote the course CSVs to {out_dir}")


if __name__ == "__main__":
    main()
