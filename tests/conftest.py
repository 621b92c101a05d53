"""Shared fixtures: a clean data environment, helpers that prove no file changed, and the
stand-in models and fresh session of the checkers' tests."""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path

import numpy as np
import pytest

from dnncourse.checks.final import forget_final_runs
from dnncourse.data import _files as paths
from dnncourse.data.regression import regression_surface

REPO = Path(__file__).resolve().parents[1]
# The built site in a browser (tests/site) runs in `nox -s browser`, which builds nothing
# itself and says where the site and npm's packages are; every other session leaves it out.
collect_ignore = [] if os.environ.get("DNNCOURSE_SITE") else ["site"]
# The tests read the checkers' hints, which a learner's notebook holds back until the
# learner has predicted (dnncourse.reveal.predicted); tests of that unset it.
os.environ.setdefault("DNNCOURSE_SHOW_HINTS", "1")


@pytest.fixture(autouse=True)
def _keep_keras_backend():
    """Restore KERAS_BACKEND after each test: the setup cell's tests set it as a learner's
    cell does (os.environ), and a leaked "jax" would fail every later Keras test."""
    before = os.environ.get("KERAS_BACKEND")
    yield
    if before is None:
        os.environ.pop("KERAS_BACKEND", None)
    else:
        os.environ["KERAS_BACKEND"] = before


@pytest.fixture
def no_override(monkeypatch):
    """Run without $DNNCOURSE_DATA_DIR, whatever the caller's environment says."""
    monkeypatch.delenv(paths.ENV_VAR, raising=False)


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """An empty folder that $DNNCOURSE_DATA_DIR points at."""
    return substitute_data_dir(tmp_path, monkeypatch, "course-data")


def substitute_data_dir(tmp_path, monkeypatch, name):
    """A new empty folder ``tmp_path / name`` that $DNNCOURSE_DATA_DIR points at: the loaders
    read the data set a test writes there instead of the course's copy."""
    folder = tmp_path / name
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


# --------------------------------------------------------------------------- checkers
#
# The checkers' tests hand them plain functions for models (`trained` wraps one as a
# learner's training function), so that they run without training.


@pytest.fixture
def fresh_session():
    """Each test starts as a new Python session would: no final test run yet.

    A module of checker tests uses it for every test: ``pytestmark = pytest.mark.usefixtures(...)``.
    """
    forget_final_runs()
    yield
    forget_final_runs()


def true_surface(X):
    """The noise-free function the regression data were drawn from: the best possible model."""
    return regression_surface(np.asarray(X, dtype=float))


def constant(X):
    return np.full(len(X), 3.0)


def petal_rule(X, sure=1.0):
    """Setosa below petal length 2.5 cm; virginica from 4.95 cm or petal width 1.75 cm.

    Gives the predicted class probability ``sure`` and splits the rest evenly.
    """
    X = np.asarray(X)
    virginica = (X[:, 2] >= 4.95) | (X[:, 3] >= 1.75)
    classes = np.where(X[:, 2] < 2.5, 0, np.where(virginica, 2, 1))
    P = np.full((len(X), 3), (1 - sure) / 2)
    P[np.arange(len(X)), classes] = sure
    return P


def trained(model, history=None):
    """A training function for the checkers (they cross-validate one) that returns ``model``,
    already "trained", and ``history``."""

    def build_and_train(X, y):
        return model, history

    return build_and_train


# --------------------------------------------------------------------------- calibration
#
# The calibration studies (tests/test_*_calibration.py) ask whether a checker's iterate
# verdict predicts the final one, over learner-like models and seeds.


def agreement(rows):
    """The share of ``(name, seed, iterate passed, final passed)`` rows whose verdicts agree."""
    return float(np.mean([ok_iterate == ok_final for _, _, ok_iterate, ok_final in rows]))


def verdict_table(where, header, names, seeds, run, record_property):
    """Every learner on every seed: a calibration study's table, printed row by row and kept in
    the recorded measurements, its last line the share of runs whose two verdicts agree.

    ``run(name, seed)`` gives ``(iterate passed, final passed, both verdicts as text)``;
    ``header`` heads the text's columns. Returns ``(rows, agreement)``, each row
    ``(name, seed, iterate passed, final passed)``.
    """
    rows, lines = [], [f"{where}: {'learner':20s} seed  {header}   agree"]
    for name in names:
        for seed in seeds:
            ok_iterate, ok_final, text = run(name, seed)
            rows.append((name, seed, ok_iterate, ok_final))
            agree = "yes" if ok_iterate == ok_final else "NO"
            lines.append(f"{where}: {name:20s} {seed:4d}  {text}    {agree}")
            print(lines[-1], flush=True)
    share = agreement(rows)
    lines.append(f"{where}: agreement {share:.1%} over {len(rows)} runs")
    for line in lines:
        record_property(RECORD, line)
    print("\n".join(lines))
    return rows, share


# --------------------------------------------------------------------------- markers
#
# `slow`: the test trains a model (or builds the book). `mnist`: it needs MNIST.
# The fast inner loop is `nox -s tests -- -m "not slow"`. A fixture that trains is
# declared with @training_fixture(...) instead of @pytest.fixture(...), so that every
# test using it is marked slow (and mnist, with mnist=True) without repeating marks.

TRAINING_FIXTURES: dict[str, bool] = {}  # fixture name -> needs MNIST


def training_fixture(*args, mnist=False, **kwargs):
    """``@pytest.fixture(*args, **kwargs)`` for a fixture that trains a model."""

    def decorate(function):
        TRAINING_FIXTURES[function.__name__] = mnist
        return pytest.fixture(*args, **kwargs)(function)

    return decorate


def mnist_available():
    """Where MNIST can be had without a download: ``$DNNCOURSE_DATA_DIR`` or Keras' cache."""
    folder = os.environ.get(paths.ENV_VAR, "").strip()
    if folder:
        return (Path(folder) / "mnist.npz").is_file()
    return (Path.home() / ".keras" / "datasets" / "mnist.npz").is_file()


# Weekly studies that every other run deselects; each runs with its own option:
# `nox -s calibration` passes --calibration, `nox -s backends` --backends.
STUDIES = {
    "calibration": "run only the checkers' calibration studies (@pytest.mark.calibration; minutes)",
    "backends": "run only the solutions' targets on the Keras backend in use "
    "(@pytest.mark.backends; minutes)",
}


def pytest_addoption(parser):
    for name, text in STUDIES.items():
        parser.addoption(f"--{name}", action="store_true", help=text)


def _kept(item, wanted):
    """A study's test runs only when its option is given; then only the studies asked for run."""
    marked = {name for name in STUDIES if item.get_closest_marker(name)}
    return bool(marked & wanted) if wanted else not marked


def pytest_collection_modifyitems(config, items):
    # Calibration studies (many seeds x learner-like models) and the solutions on another
    # Keras backend run weekly via `nox -s calibration` and `nox -s backends`.
    wanted = {name for name in STUDIES if config.getoption(f"--{name}")}
    kept = [item for item in items if _kept(item, wanted)]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept
    for item in items:
        used = set(getattr(item, "fixturenames", ())) & set(TRAINING_FIXTURES)
        if used:
            item.add_marker(pytest.mark.slow)
        if any(TRAINING_FIXTURES[name] for name in used):
            item.add_marker(pytest.mark.mnist)


def pytest_runtest_setup(item):
    # A test of a TensorFlow tool (tf.GradientTape, tf.data, ...) or of the TensorFlow
    # runtime the notebooks default to: skipped, with its reason, where Keras runs on
    # another backend without TensorFlow (nox -s backends).
    marker = item.get_closest_marker("tensorflow")
    if marker and importlib.util.find_spec("tensorflow") is None:
        pytest.skip(f"needs TensorFlow: {marker.kwargs.get('reason', 'a TensorFlow tool')}")
    # CI promises MNIST (../shared/data): there a missing MNIST fails the test.
    if item.get_closest_marker("mnist") and not mnist_available():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI must provide MNIST: set {paths.ENV_VAR} to a folder with mnist.npz")
        pytest.skip(
            f"MNIST not available offline: set {paths.ENV_VAR} to a folder with Keras' "
            "mnist.npz, or run keras.datasets.mnist.load_data() once"
        )


# Measurements a test keeps for the record (the metric of every resampled draw, ...):
# ``record_property("record", line)`` in the test; printed at the end of the run. It
# travels with the test's report, so it survives pytest-xdist's workers, whose own
# output pytest never shows.
RECORD = "record"


def pytest_terminal_summary(terminalreporter):
    lines = [
        value
        for key in ("passed", "failed")
        for report in terminalreporter.stats.get(key, [])
        if report.when == "call"
        for name, value in report.user_properties
        if name == RECORD
    ]
    if lines:
        terminalreporter.section("recorded measurements")
        for line in sorted(lines):
            terminalreporter.write_line(line)
