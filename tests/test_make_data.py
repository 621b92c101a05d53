"""The data generator: the committed CSVs regenerate byte for byte, and the surface is the workshop's."""

from __future__ import annotations

import make_data  # tools/make_data.py (pytest's pythonpath has tools/)
import numpy as np
import pytest
from conftest import REPO

from dnncourse.data.iris import split_iris
from dnncourse.data.regression import NOISE_SIGMA, make_regression, regression_surface


def test_regression_csvs_regenerate_to_the_same_bytes(tmp_path):
    make_data.write_regression_csvs(tmp_path)
    for name in ("regression_train.csv", "regression_test.csv"):
        assert (tmp_path / name).read_bytes() == (REPO / "data" / name).read_bytes(), name


def test_iris_csvs_regenerate_to_the_same_bytes(tmp_path):
    pytest.importorskip("sklearn", reason="scikit-learn (test group) supplies Fisher's data")
    make_data.write_iris_csvs(tmp_path)
    for name in ("iris_train.csv", "iris_test.csv"):
        assert (tmp_path / name).read_bytes() == (REPO / "data" / name).read_bytes(), name


def test_surface_slices_are_parabolic_in_x1_and_sinusoidal_in_x2():
    t = np.linspace(0, 1, 201)
    along_x1 = regression_surface(np.column_stack([t, np.full_like(t, 0.7)]))
    second_diff = np.diff(along_x1, 2) / (t[1] - t[0]) ** 2
    np.testing.assert_allclose(second_diff, 36.0, rtol=1e-6)  # d2/dx1^2 of 18 (x1-0.3)^2
    assert t[np.argmin(along_x1)] == pytest.approx(0.3)
    along_x2 = regression_surface(np.column_stack([np.full_like(t, 0.3), t]))
    np.testing.assert_allclose(along_x2, 5 * np.sin(5 * (t - 0.45)) ** 2, atol=1e-12)


def test_noise_level_matches_the_stated_sigma():
    (X, y), _ = make_regression(n_train=20000, n_test=0, seed=1)
    residual = y - regression_surface(X)
    assert residual.std() == pytest.approx(NOISE_SIGMA, rel=0.03)
    assert abs(residual.mean()) < 0.01


def test_iris_split_is_stratified_and_disjoint():
    X = np.arange(150 * 4, dtype=float).reshape(150, 4)
    y = np.repeat([0, 1, 2], 50)
    (X_train, _), (X_test, y_test) = split_iris(X, y)
    assert np.bincount(y_test).tolist() == [10, 10, 10]
    assert not set(X_train[:, 0]) & set(X_test[:, 0])
    assert len(X_train) + len(X_test) == 150


def test_make_data_refuses_a_missing_output_folder(tmp_path):
    with pytest.raises(SystemExit, match="does not exist"):
        make_data.main([str(tmp_path / "nowhere")])
