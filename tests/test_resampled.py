"""The solutions hold on data they were not tuned on: fresh draws the course does not ship.

Each draw is a full substitute data set in a ``$DNNCOURSE_DATA_DIR`` folder, so the
solutions read it through ``dnncourse.data`` exactly as they read the course's copy
(this also exercises the substitution path). Regression: the same generator with other
noise seeds, and once without noise. Iris: Fisher's 150 flowers, rebuilt from the
shipped train and test files, re-split with other stratified seeds.
"""

from __future__ import annotations

import make_data  # tools/make_data.py: writes draws as it writes the shipped files
import numpy as np
import pytest

from dnncourse import data
from dnncourse.data import _files
from dnncourse.data.iris import IRIS_SEED, split_iris
from dnncourse.data.regression import NOISE_SIGMA, REGRESSION_SEED

pytestmark = pytest.mark.slow

MSE_TARGET = 0.10  # test MSE of the regression solution; the noise floor is 0.2**2 = 0.04
IRIS_TARGET = 29  # correct of the 30 test flowers

# Draws on which a solution missed its target when this test was written (Keras 3.15,
# TF 2.21, 2 CPU cores), kept visible as expected failures rather than hidden by a
# weaker target. Non-strict: a draw that passes elsewhere shows up as XPASS.
REGRESSION_MISSES = {
    (1, NOISE_SIGMA): "test MSE 0.18: one test point at (0.02, 0.08), beyond the training "
    "points, contributes 0.08 of it",
    (2, NOISE_SIGMA): "test MSE 2.95: early stopping ended a run stuck on a plateau "
    "(epoch 42, validation MSE 2.66); solve_regression(seed=1) on the same draw gives 0.10",
    (4, NOISE_SIGMA): "test MSE 0.11",
}
IRIS_MISSES = {
    3: "28/30: linear discriminant analysis and logistic regression also get 28/30 here",
    5: "27/30, where linear discriminant analysis gets 29/30",
}


def draws(values, misses, name):
    """``values`` as pytest params named by ``name``; the known misses marked xfail."""
    return [
        pytest.param(
            v,
            id=name(v),
            marks=[pytest.mark.xfail(reason=misses[v], strict=False)] if v in misses else [],
        )
        for v in values
    ]


def report(capsys, line):
    with capsys.disabled():  # the metric of every draw, for the record
        print(f"\n{line}")


@pytest.mark.parametrize(
    "draw",
    draws(
        [(seed, NOISE_SIGMA) for seed in (1, 2, 3, 4, 5)] + [(6, 0.0)],
        REGRESSION_MISSES,
        lambda d: f"seed{d[0]}-sigma{d[1]}",
    ),
)
def test_regression_solution_on_a_fresh_draw(tmp_path, monkeypatch, capsys, draw):
    from dnncourse.solutions import solve_regression

    seed, sigma = draw
    assert seed != REGRESSION_SEED
    monkeypatch.setenv(_files.ENV_VAR, str(tmp_path))
    make_data.write_regression_csvs(tmp_path, seed=seed, sigma=sigma)
    assert {s.dataset: s.origin for s in data.sources()}["regression"] == _files.ENV_VAR
    _, (X_test, y_test) = data.load_regression()
    model, _ = solve_regression(seed=0)
    mse = float(np.mean((model.predict(X_test, verbose=0)[:, 0] - y_test) ** 2))
    report(capsys, f"regression draw seed {seed}, sigma {sigma}: test MSE {mse:.4f}")
    assert mse <= MSE_TARGET, f"expected test MSE <= {MSE_TARGET}, got {mse:.4f}"


def full_iris():
    """Fisher's 150 flowers, rebuilt from the course's own train and test files."""
    (X_train, y_train), (X_test, y_test) = data.load_iris()
    return np.vstack([X_train, X_test]), np.concatenate([y_train, y_test])


@pytest.mark.parametrize("seed", draws([1, 2, 3, 4, 5], IRIS_MISSES, lambda seed: f"seed{seed}"))
def test_iris_solution_on_a_fresh_split(tmp_path, monkeypatch, capsys, seed):
    from dnncourse.solutions import solve_iris

    monkeypatch.delenv(_files.ENV_VAR, raising=False)
    X, y = full_iris()
    assert X.shape == (150, 4) and np.bincount(y).tolist() == [50, 50, 50]
    assert seed != IRIS_SEED
    monkeypatch.setenv(_files.ENV_VAR, str(tmp_path))
    make_data.write_iris_csvs(tmp_path, X, y, seed=seed)
    _, (X_test, y_test) = data.load_iris()
    np.testing.assert_array_equal(X_test, split_iris(X, y, seed=seed)[1][0])  # read back exactly
    model, _ = solve_iris(seed=0)
    correct = int((model.predict(X_test, verbose=0).argmax(axis=1) == y_test).sum())
    report(capsys, f"iris split seed {seed}: {correct}/30 test flowers right")
    assert correct >= IRIS_TARGET, f"expected >= {IRIS_TARGET}/30 right, got {correct}/30"
