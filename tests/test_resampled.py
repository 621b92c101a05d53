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
from conftest import RECORD

from dnncourse import data
from dnncourse.data import _files
from dnncourse.data.iris import IRIS_SEED, split_iris
from dnncourse.data.regression import NOISE_SIGMA, REGRESSION_SEED

pytestmark = pytest.mark.slow

MSE_TARGET = 0.10  # the exercise's target for the test MSE; the noise floor is 0.2**2 = 0.04
MSE_ANY_DRAW = 1.5 * MSE_TARGET  # no single draw may be this bad: a failed run scores 0.2-3
NOISY_DRAWS = (1, 2, 3, 4, 5)
NOISE_FREE_DRAW = 6

# Why the fresh-draw claims are not "the exercise's target on every draw":
#
# - Regression: a draw's 40 test points fix how much of the surface lies beyond its
#   100 training points. The test MSE of one solution run varies from draw to draw
#   by about +-0.02 (draw 1 puts a test point at (0.02, 0.08), in a corner no training
#   point reaches), so a model whose typical test MSE is 0.08 sits at 0.10 on some
#   draws. The claims: the mean over five noisy draws meets the target, no draw is
#   worse than 1.5 times it, and the noise-free draw meets it.
# - Iris: 30 test flowers count in steps of 3.3 %; even linear discriminant analysis,
#   the classical method for these data, gets 28/30 on 2 of 10 fresh splits. The
#   claim: on every split the solution is within one flower of it.


def mse_on_draw(tmp_path, monkeypatch, seed, sigma):
    """Test MSE of ``solve_regression(seed=0)`` trained and tested on one fresh draw."""
    from dnncourse.solutions import solve_regression

    assert seed != REGRESSION_SEED
    folder = tmp_path / f"draw{seed}"
    folder.mkdir()
    monkeypatch.setenv(_files.ENV_VAR, str(folder))
    make_data.write_regression_csvs(folder, seed=seed, sigma=sigma)
    assert {s.dataset: s.origin for s in data.sources()}["regression"] == _files.ENV_VAR
    _, (X_test, y_test) = data.load_regression()
    model, _ = solve_regression(seed=0)
    return float(np.mean((model.predict(X_test, verbose=0)[:, 0] - y_test) ** 2))


@pytest.fixture(scope="module")
def regression_draws(tmp_path_factory):
    """``{(seed, sigma): test MSE}`` over the five noisy draws and the noise-free one."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        tmp_path = tmp_path_factory.mktemp("regression")
        draws = [(seed, NOISE_SIGMA) for seed in NOISY_DRAWS] + [(NOISE_FREE_DRAW, 0.0)]
        return {d: mse_on_draw(tmp_path, monkeypatch, *d) for d in draws}


def report(record_property, line):
    """Keep ``line`` for the run's "recorded measurements" (tests/conftest.py)."""
    record_property(RECORD, line)


def test_regression_solution_on_fresh_draws(regression_draws, record_property):
    for (seed, sigma), mse in regression_draws.items():
        report(record_property, f"regression draw seed {seed}, sigma {sigma}: test MSE {mse:.4f}")
    noisy = [regression_draws[(seed, NOISE_SIGMA)] for seed in NOISY_DRAWS]
    worst = max(noisy)
    assert worst <= MSE_ANY_DRAW, (
        f"expected every draw's test MSE <= {MSE_ANY_DRAW}, got {worst:.4f}"
    )
    mean = float(np.mean(noisy))
    assert mean <= MSE_TARGET, (
        f"expected mean test MSE over the noisy draws <= {MSE_TARGET}, got {mean:.4f}"
    )
    clean = regression_draws[(NOISE_FREE_DRAW, 0.0)]
    assert clean <= MSE_TARGET, f"expected noise-free test MSE <= {MSE_TARGET}, got {clean:.4f}"


def full_iris():
    """Fisher's 150 flowers, rebuilt from the course's own train and test files."""
    (X_train, y_train), (X_test, y_test) = data.load_iris()
    return np.vstack([X_train, X_test]), np.concatenate([y_train, y_test])


def lda_correct(X_train, y_train, X_test, y_test):
    """Test flowers linear discriminant analysis gets right, fitted on the same split."""
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

    return int((LinearDiscriminantAnalysis().fit(X_train, y_train).predict(X_test) == y_test).sum())


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5], ids=lambda seed: f"seed{seed}")
def test_iris_solution_on_a_fresh_split(tmp_path, monkeypatch, record_property, seed):
    from dnncourse.solutions import solve_iris

    monkeypatch.delenv(_files.ENV_VAR, raising=False)
    X, y = full_iris()
    assert X.shape == (150, 4) and np.bincount(y).tolist() == [50, 50, 50]
    assert seed != IRIS_SEED
    monkeypatch.setenv(_files.ENV_VAR, str(tmp_path))
    make_data.write_iris_csvs(tmp_path, X, y, seed=seed)
    (X_train, y_train), (X_test, y_test) = data.load_iris()
    np.testing.assert_array_equal(X_test, split_iris(X, y, seed=seed)[1][0])  # read back exactly
    model, _ = solve_iris(seed=0)
    correct = int((model.predict(X_test, verbose=0).argmax(axis=1) == y_test).sum())
    baseline = lda_correct(X_train, y_train, X_test, y_test)
    report(
        record_property,
        f"iris split seed {seed}: {correct}/30 test flowers right (LDA {baseline}/30)",
    )
    assert correct >= baseline - 1, (
        f"expected >= {baseline - 1}/30 right (LDA's {baseline} less one), got {correct}/30"
    )
