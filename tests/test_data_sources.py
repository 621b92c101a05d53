"""A data set comes from one place, and `dnncourse.data.sources()` says which.

An instructor substituting their own data puts whole data sets into the folder that
``$DNNCOURSE_DATA_DIR`` names; the loaders then read those and nothing else of them.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from conftest import REPO, snapshot

from dnncourse import data
from dnncourse.data import _files

REG_HEADER = "x1,x2,y\n"


def substitute_regression(folder, n_train=5, n_test=3, header=True):
    """Write a small regression data set of one's own; return its arrays."""
    rng = np.random.default_rng(7)
    out = []
    for name, n in (("regression_train.csv", n_train), ("regression_test.csv", n_test)):
        table = np.round(rng.uniform(0, 1, size=(n, 3)), 6)
        lines = [",".join(f"{v:.6f}" for v in row) for row in table]
        (folder / name).write_text((REG_HEADER if header else "") + "\n".join(lines) + "\n")
        out.append((table[:, :2], table[:, 2]))
    return out


def test_without_the_variable_everything_is_the_courses_own(no_override):
    report = data.sources()
    assert [(s.dataset, s.origin) for s in report] == [
        ("regression", "course"),
        ("iris", "course"),
        ("mnist", "keras"),
    ]
    assert report.ignored == []
    text = str(report)
    assert "DNNCOURSE_DATA_DIR: not set" in text and "the course's own copy" in text


def test_a_full_substitute_is_read_and_the_rest_stays_the_courses(data_dir):
    (train, test) = substitute_regression(data_dir)
    before = snapshot(data_dir)
    (X_train, _), (_, y_test) = data.load_regression()
    np.testing.assert_array_equal(X_train, train[0])
    np.testing.assert_array_equal(y_test, test[1])
    assert data.load_iris()[0][0].shape == (120, 4)  # not substituted: the course's
    origins = {s.dataset: s.origin for s in data.sources()}
    assert origins == {"regression": "DNNCOURSE_DATA_DIR", "iris": "course", "mnist": "keras"}
    assert f"DNNCOURSE_DATA_DIR = {data_dir}: regression_train.csv" in str(data.sources())
    assert snapshot(data_dir) == before


def test_partial_folder_is_an_error_for_loader_and_report_alike(data_dir):
    shutil.copy(REPO / "data" / "regression_train.csv", data_dir)
    for call in (data.load_regression, data.sources):
        with pytest.raises(FileNotFoundError, match=r"but not regression_test\.csv"):
            call()
    assert data.load_iris()[1][1].shape == (30,)  # other data sets are unaffected


def test_headerless_substitute_says_add_the_header_and_then_loads(data_dir):
    substitute_regression(data_dir, header=False)
    with pytest.raises(ValueError, match=r"Add the header line x1,x2,y as the first line"):
        data.load_regression()
    for name in _files.DATASETS["regression"]:  # the fix the message gives, applied
        path = data_dir / name
        path.write_text(REG_HEADER + path.read_text())
    assert data.load_regression()[0][0].shape == (5, 2)


def test_directory_in_place_of_a_file_is_named(data_dir):
    substitute_regression(data_dir)
    (data_dir / "regression_test.csv").unlink()
    (data_dir / "regression_test.csv").mkdir()
    with pytest.raises(
        FileNotFoundError, match=r"regression_test\.csv: expected a file, got a folder"
    ):
        data.load_regression()


def test_symlink_loop_as_the_folder_is_named(monkeypatch, tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    monkeypatch.setenv(_files.ENV_VAR, str(tmp_path / "a"))
    with pytest.raises(FileNotFoundError, match=r"DNNCOURSE_DATA_DIR is set to .*a loop"):
        data.sources()


@pytest.mark.parametrize("platform_eloop", [40, 62])  # Linux; macOS and the BSDs
def test_a_loop_is_recognised_by_the_platforms_error_number(monkeypatch, platform_eloop):
    import errno
    import os

    def stat(path):
        raise OSError(platform_eloop, "Too many levels of symbolic links", path)

    monkeypatch.setattr(errno, "ELOOP", platform_eloop)
    monkeypatch.setattr(os, "stat", stat)
    assert _files._is_loop("x")
    monkeypatch.setattr(errno, "ELOOP", platform_eloop + 1)  # another platform's number
    assert not _files._is_loop("x")


def test_files_under_other_names_are_reported_not_silently_ignored(data_dir):
    for name in ("Iris_train.csv", "iris-test.csv", "notes.txt", "README.md", ".DS_Store"):
        (data_dir / name).write_text("x")
    report = data.sources()
    assert report.ignored == [
        "Iris_train.csv (did you mean iris_train.csv?)",
        "iris-test.csv (did you mean iris_test.csv?)",
        "notes.txt",
    ]
    assert "not read (no loader uses these names): Iris_train.csv" in str(report)
    assert {s.dataset: s.origin for s in report}["iris"] == "course"


def test_mnist_file_in_the_folder_is_its_source(data_dir):
    (data_dir / "mnist.npz").write_bytes(b"")  # located, not read, by sources()
    (mnist,) = [s for s in data.sources() if s.dataset == "mnist"]
    assert mnist.origin == "DNNCOURSE_DATA_DIR" and mnist.paths == (data_dir / "mnist.npz",)
