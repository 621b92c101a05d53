"""Shared fixtures: a clean data environment and helpers that prove no file changed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from dnncourse.data import _files as paths

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def no_override(monkeypatch):
    """Run without $DNNCOURSE_DATA_DIR, whatever the caller's environment says."""
    monkeypatch.delenv(paths.ENV_VAR, raising=False)


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """An empty folder that $DNNCOURSE_DATA_DIR points at."""
    folder = tmp_path / "course-data"
    folder.mkdir()
    monkeypatch.setenv(paths.ENV_VAR, str(folder))
    return folder


def snapshot(folder):
    """Name -> (sha256, mtime) of every file below ``folder``: compare before and after."""
    return {
        str(p.relative_to(folder)): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(Path(folder).rglob("*"))
        if p.is_file()
    }


def mnist_arrays(n_train=60000, n_test=10000):
    """Arrays in Keras' MNIST layout (all zeros but for a few labels)."""
    arrays = {
        "x_train": np.zeros((n_train, 28, 28), np.uint8),
        "y_train": np.zeros(n_train, np.uint8),
        "x_test": np.zeros((n_test, 28, 28), np.uint8),
        "y_test": np.zeros(n_test, np.uint8),
    }
    arrays["y_train"][:10] = np.arange(10)
    arrays["x_train"][0, 10:18, 12:16] = 255
    return arrays
