"""The loaders: shapes, the resolver's search order, and one clear error per bad input."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, mnist_arrays, snapshot

from dnncourse import data
from dnncourse.data import _files as paths
from dnncourse.data._files import REGISTRY

# Read before any test removes it: CI points it at the full MNIST.
LOCAL_DATA_DIR = os.environ.get(paths.ENV_VAR)

pytestmark = pytest.mark.usefixtures("no_override")


# --- the shipped CSVs ------------------------------------------------------------


def test_load_regression_shapes_and_ranges():
    (X_train, y_train), (X_test, y_test) = data.load_regression()
    assert X_train.shape == (100, 2) and y_train.shape == (100,)
    assert X_test.shape == (40, 2) and y_test.shape == (40,)
    assert X_train.dtype == np.float64
    assert ((X_train >= 0) & (X_train < 1)).all() and ((X_test >= 0) & (X_test < 1)).all()


def test_load_iris_shapes_labels_and_stratification():
    (X_train, y_train), (X_test, y_test) = data.load_iris()
    assert X_train.shape == (120, 4) and y_train.shape == (120,)
    assert X_test.shape == (30, 4) and y_test.shape == (30,)
    assert y_train.dtype == np.int64
    assert np.bincount(y_train).tolist() == [40, 40, 40]
    assert np.bincount(y_test).tolist() == [10, 10, 10]
    # Together the two parts are Fisher's 150 flowers, each exactly once.
    rows = {
        tuple(r) for r in np.column_stack([np.vstack([X_train, X_test]), np.r_[y_train, y_test]])
    }
    assert len(rows) >= 147  # iris has 3 duplicated flowers (same measurements, same species)


def test_installed_package_carries_the_csvs():
    folder = paths.packaged_data_dir()
    if folder is None:
        pytest.skip("editable install: the package has no _data copy (the repo's data/ serves)")
    for name in REGISTRY:
        paths.verify(folder / name)


def test_resolver_prefers_override_then_repo_then_package(data_dir, monkeypatch, tmp_path):
    repo, package = tmp_path / "repo", tmp_path / "package"
    for folder in (repo, package, data_dir):
        folder.mkdir(exist_ok=True)
    for name in ("iris_train.csv", "iris_test.csv"):
        for folder in (repo, package):
            shutil.copy(REPO / "data" / name, folder)
    monkeypatch.setattr(paths, "repo_data_dir", lambda: repo)
    monkeypatch.setattr(paths, "packaged_data_dir", lambda: package)
    assert paths.locate("iris") == paths.Source("iris", "course", repo, paths.DATASETS["iris"])
    for name in ("iris_train.csv", "iris_test.csv"):
        shutil.copy(REPO / "data" / name, data_dir)
    assert paths.locate("iris").origin == paths.ENV_VAR
    assert paths.locate("iris").paths == (data_dir / "iris_train.csv", data_dir / "iris_test.csv")
    monkeypatch.setattr(paths, "repo_data_dir", lambda: None)
    monkeypatch.delenv(paths.ENV_VAR)
    assert paths.locate("iris").folder == package


# --- bad input: one clear error each, and no file touched -------------------------


def test_override_naming_no_folder_is_an_error(monkeypatch, tmp_path):
    missing = tmp_path / "no-such-folder"
    monkeypatch.setenv(paths.ENV_VAR, str(missing))
    with pytest.raises(FileNotFoundError, match=r"DNNCOURSE_DATA_DIR.*not an existing folder"):
        data.load_regression()
    assert not missing.exists()


def test_missing_file_names_it_and_the_fix(monkeypatch):
    monkeypatch.setattr(paths, "repo_data_dir", lambda: None)
    monkeypatch.setattr(paths, "packaged_data_dir", lambda: None)
    with pytest.raises(FileNotFoundError, match=r"regression_train\.csv.*Reinstall dnncourse"):
        data.load_regression()


def bad_csv_case(data_dir, name, text):
    """Write a user file into the override folder; return the snapshot to compare after."""
    for other in REGISTRY:  # the loader reads both halves: give it valid ones to start from
        shutil.copy(REPO / "data" / other, data_dir)
    (data_dir / name).write_text(text, encoding="utf-8")
    return snapshot(data_dir)


BAD_CSVS = [
    ("regression_train.csv", "x1,x2,y\n0.1,0.2,0.3\n0.1,0.2\n", r"line 3: expected 3 columns.*got 2"),
    ("regression_test.csv", "x1,x2,y\n0.1,zero,0.3\n", r"line 2, column 'x2': expected a plain decimal number.*got 'zero'"),
    ("regression_train.csv", "x1,x2,y\n0.1,0.2,nan\n", r"line 2, column 'y': expected a finite number"),
    ("regression_train.csv", "a,b,c\n0.1,0.2,0.3\n", r"expected the header line x1,x2,y"),
    ("regression_train.csv", "x1,x2,y\n", r"expected data rows after the header"),
    ("iris_test.csv",
     "sepal_length,sepal_width,petal_length,petal_width,label\n5.1,3.5,1.4,0.2,3\n",
     r"line 2, column 'label': expected a label 0, 1 or 2"),
    ("iris_train.csv",
     "sepal_length,sepal_width,petal_length,petal_width,label\n5.1,3.5,1.4,0.2,0.5\n",
     r"expected a label 0, 1 or 2.*got 0\.5"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "message"), BAD_CSVS)
def test_bad_csv_gives_one_clear_error_and_changes_nothing(data_dir, name, text, message):
    before = bad_csv_case(data_dir, name, text)
    loader = data.load_iris if name.startswith("iris") else data.load_regression
    with pytest.raises(ValueError, match=message) as err:
        loader()
    assert name in str(err.value), "the error must name the file"
    assert snapshot(data_dir) == before


def test_checksum_mismatch_of_a_shipped_file(monkeypatch, tmp_path):
    shipped = tmp_path / "data"
    shutil.copytree(REPO / "data", shipped)
    target = shipped / "regression_test.csv"
    target.write_text(target.read_text().replace("0.", "1.", 1))
    before = snapshot(shipped)
    monkeypatch.setattr(paths, "repo_data_dir", lambda: shipped)
    with pytest.raises(ValueError, match=r"regression_test\.csv: checksum mismatch.*git checkout"):
        data.load_regression()
    assert snapshot(shipped) == before


# --- MNIST -------------------------------------------------------------------------


def test_mnist_from_override_folder(data_dir):
    np.savez(data_dir / "mnist.npz", **mnist_arrays())
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    assert x_train.shape == (60000, 28, 28) and x_train.dtype == np.uint8
    assert (
        y_train.shape == (60000,) and x_test.shape == (10000, 28, 28) and y_test.shape == (10000,)
    )
    assert y_train[:10].tolist() == list(range(10)) and x_train[0].max() == 255


def test_mnist_without_override_calls_keras(monkeypatch):
    keras = pytest.importorskip("keras")
    arrays = mnist_arrays()
    fake = lambda: ((arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"]))
    monkeypatch.setattr(keras.datasets.mnist, "load_data", fake)
    (x_train, _), _ = data.load_mnist()
    assert x_train is arrays["x_train"]


@pytest.mark.skipif(
    not (LOCAL_DATA_DIR and (Path(LOCAL_DATA_DIR) / "mnist.npz").is_file()),
    reason="no local MNIST: set DNNCOURSE_DATA_DIR to a folder with mnist.npz (CI does)",
)
def test_real_mnist_from_the_configured_folder(monkeypatch):
    monkeypatch.setenv(paths.ENV_VAR, LOCAL_DATA_DIR)
    (x_train, y_train), (_, y_test) = data.load_mnist()
    # The facts that identify the original MNIST, in its original order.
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert y_test[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert abs(x_train.mean() - 33.318) < 1e-3


def _without(arrays, key):
    return {k: v for k, v in arrays.items() if k != key}


def _with(arrays, **changes):
    return {**arrays, **changes}


BAD_NPZ = [
    ("missing key", lambda a: _without(a, "y_test"), r"missing y_test"),
    ("renamed keys", lambda a: {"images": a["x_train"]}, r"missing x_train, y_train, x_test, y_test"),
    ("wrong shape", lambda a: _with(a, x_train=a["x_train"][:100]), r"x_train of shape \(60000, 28, 28\).*got shape \(100, 28, 28\)"),
    ("wrong dtype", lambda a: _with(a, x_test=a["x_test"].astype(np.float32)), r"x_test .*dtype uint8.*dtype float32"),
    ("label out of range", lambda a: _with(a, y_test=np.full(10000, 10, np.uint8)), r"y_test labels 0\.\.9, got a maximum of 10"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "change", "message"), BAD_NPZ, ids=[c[0] for c in BAD_NPZ])
def test_bad_mnist_file_says_what_is_wrong(data_dir, case, change, message):
    np.savez(data_dir / "mnist.npz", **change(mnist_arrays()))
    before = snapshot(data_dir)
    with pytest.raises(ValueError, match=message) as err:
        data.load_mnist()
    assert "mnist.npz" in str(err.value)
    assert snapshot(data_dir) == before


def test_mnist_file_that_is_not_an_npz(data_dir):
    (data_dir / "mnist.npz").write_text("not an archive")
    before = snapshot(data_dir)
    with pytest.raises(ValueError, match=r"mnist\.npz: expected an \.npz \(zip\) archive"):
        data.load_mnist()
    assert snapshot(data_dir) == before


def test_mnist_missing_from_override_folder_comes_from_keras(data_dir, monkeypatch):
    # A folder of substitute CSVs only: MNIST comes from its usual place, Keras' download.
    from dnncourse.data import mnist

    arrays = mnist_arrays()
    fake = lambda: ((arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"]))
    monkeypatch.setattr(mnist, "_keras_load_data", fake)
    (x_train, _), _ = data.load_mnist()
    assert x_train is arrays["x_train"]
    assert snapshot(data_dir) == {}
