"""The pages run, the three solutions meet their targets, and the challenges still miss, on the
Keras backend in use.

Keras 3 runs one model on TensorFlow, JAX or PyTorch (issue 20). The other tests
verify the course on TensorFlow; these repeat its promises on whatever backend
``KERAS_BACKEND`` selects: ``nox -s "backends(backend='jax')"`` and
``nox -s "backends(backend='torch')"`` run them in environments without TensorFlow
(weekly; CI runs JAX's solution targets), and ``pytest --backends`` on the backend
at hand. On seeds 0, 1 and 2:

- each solution (``dnncourse.solutions``) meets its target: the FINAL test score,
  called as tests/test_regression.py and tests/test_iris.py call it, for regression
  (test MSE <= 0.10) and iris (at most two of the 30 test flowers wrong); for MNIST
  the iterate verdict on the 5,000 validation digits (>= 0.99), the design criterion
  tests/test_mnist.py requires, with the test accuracy reported beside it;
- each challenge still misses, by the criterion its tutorial's tests hold on every
  seed: the page's regression challenge fails ``check_regression`` (as in
  test_regression_calibration.py), the page's iris challenge is diagnosed
  overfitting (test_iris.py: its accuracy passes on some seeds), and the MNIST seed
  network fails ``check_mnist`` (test_mnist_calibration.py).

Every test records its metric and seconds (the "recorded measurements" at the end
of the run), so that the backends can be compared run against run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import keras
import learners_iris
import learners_regression
import pytest
from conftest import RECORD, REPO
from pages import JAX_PAGES, NOT_ON, TENSORFLOW_PAGES, page_cells, run_page

from dnncourse import data
from dnncourse.challenges.mnist import run_seed_cnn
from dnncourse.checks import (
    check_iris,
    check_mnist,
    check_regression,
    final_check_iris,
    final_check_mnist,
    final_check_regression,
)
from dnncourse.checks.final import forget_final_runs
from dnncourse.checks.iris import TARGET_ACCURACY as IRIS_TARGET
from dnncourse.checks.mnist import TARGET_ACCURACY as MNIST_TARGET
from dnncourse.checks.regression import FOLD_TARGET_MSE, TARGET_MSE
from dnncourse.diagnose import diagnose
from dnncourse.solutions import solve_iris, solve_mnist, solve_regression

pytestmark = [pytest.mark.slow, pytest.mark.backends]

SEEDS = (0, 1, 2)


def timed(train, *args, **kwargs):
    """``train(*args, **kwargs)`` and its wall time in seconds (data loading included)."""
    start = time.perf_counter()
    result = train(*args, **kwargs)
    return result, time.perf_counter() - start


def record(record_property, task, seed, text, seconds):
    line = (
        f"backends: {keras.backend.backend():10s} {task:22s} seed {seed}: {text} ({seconds:.1f} s)"
    )
    record_property(RECORD, line)
    print(line)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_regression_solution_meets_the_final_target(seed, record_property):
    (model, history), seconds = timed(solve_regression, seed=seed)
    forget_final_runs()
    final = final_check_regression(model)
    record(record_property, "regression solution", seed,
           f"test MSE {final.value:.4f}, {len(history.history['loss'])} epochs", seconds)  # fmt: skip
    assert final.passed and final.value <= TARGET_MSE, str(final)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_regression_challenge_fails_the_check(seed, record_property):
    start = time.perf_counter()
    with pytest.raises(AssertionError, match=r"to score MSE <= 0\.3, got") as err:
        check_regression(learners_regression.challenge, seed=seed, verbose=False)
    verdict = err.value.verdict
    record(record_property, "regression challenge", seed,
           f"typical fold MSE {verdict.value:.3f} (check: <= {FOLD_TARGET_MSE:g})",
           time.perf_counter() - start)  # fmt: skip
    assert not verdict.passed


@pytest.mark.parametrize("seed", SEEDS)
def test_the_iris_solution_meets_the_final_target(seed, record_property):
    (model, history), seconds = timed(solve_iris, seed=seed)
    forget_final_runs()
    final = final_check_iris(model)
    record(record_property, "iris solution", seed,
           f"test accuracy {final.value:.4f} ({final.details['n_right']}/30), "
           f"{len(history.history['loss'])} epochs", seconds)  # fmt: skip
    assert final.passed and final.value >= IRIS_TARGET - 1e-9, str(final)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_iris_challenge_overfits_and_fails_the_check(seed, record_property):
    (X_train, y_train), _ = data.load_iris()
    keras.utils.set_random_seed(seed)  # as the page does before its challenge run
    (_, history), seconds = timed(learners_iris.challenge, X_train, y_train)
    label = diagnose(history).label
    start = time.perf_counter()
    with pytest.raises(AssertionError) as err:
        check_iris(learners_iris.challenge, seed=seed, verbose=False)
    verdict = err.value.verdict
    record(record_property, "iris challenge", seed,
           f"diagnosed {label}; check_iris: accuracy {verdict.value:.3f}, curves a good fit in "
           f"{verdict.details['good_fits']} of 5", seconds + time.perf_counter() - start)  # fmt: skip
    assert label == "overfitting", str(diagnose(history))
    assert not verdict.passed


#: Measured on 2026-12-03 (keras 3.13.2, jax 0.7.2, Python 3.13; the same on a rerun):
#: on JAX the solution's seed 1 reaches 0.9896 validation accuracy, 2 of 5,000 digits
#: short of 0.99 and within one standard error (0.0014); TensorFlow's seed 1 reaches
#: 0.9910. On 2026-12-04 (keras 3.15.1, jax 0.12.0.1, a CPU with AVX-512, whose XLA
#: kernels round differently) seed 2 reached 0.9898, 1 digit short, and 0.9919 on the
#: test digits (seed 0: 0.9906). Not strict: releases and CPUs land on either side.
JAX_SHORT = pytest.mark.xfail(
    keras.backend.backend() == "jax",
    reason="issue 20: on JAX the MNIST solution's seeds 1 and 2 land within a standard error "
    "(0.0014) of 0.99: seed 1 0.9896 (jax 0.12) and 0.9888 (jax 0.10.2), seed 2 0.9898 "
    "(jax 0.12.0.1, AVX-512 CPU; test accuracy 0.9919); on TensorFlow 0.9910 and above",
    strict=False,
)
#: Measured on 2026-12-03 (keras 3.15.1, torch 2.14.1, Python 3.13): on PyTorch, seeds 0 and
#: 2 of the MNIST solution reach 0.9898 validation accuracy, 1 digit of 5,000 short of 0.99
#: (within one standard error), and 0.9914 on the test digits, which meets the final target;
#: seed 1 reaches 0.9928. Not strict: newer releases may land on either side.
TORCH_SHORT = pytest.mark.xfail(
    keras.backend.backend() == "torch",
    reason="issue 20: on PyTorch, seeds 0 and 2 of the MNIST solution reached 0.9898 (one "
    "digit short of 0.99, within one standard error; test accuracy 0.9914)",
    strict=False,
)


@pytest.mark.mnist
@pytest.mark.parametrize(
    "seed",
    [
        pytest.param(0, marks=TORCH_SHORT),
        pytest.param(1, marks=JAX_SHORT),
        pytest.param(2, marks=[JAX_SHORT, TORCH_SHORT]),
    ],
)
def test_the_mnist_solution_meets_the_validation_target(seed, record_property):
    (model, history), seconds = timed(solve_mnist, seed=seed)
    forget_final_runs()
    final = final_check_mnist(model)  # reported, not required (tests/test_mnist.py says why)
    record(record_property, "mnist solution", seed,
           f"validation accuracy {history.history['val_accuracy'][-1]:.4f}, "
           f"test accuracy {final.value:.4f}", seconds)  # fmt: skip
    verdict = check_mnist(model, history)  # raises when the validation target is missed
    assert verdict.passed and verdict.value >= MNIST_TARGET


@pytest.mark.mnist
@pytest.mark.parametrize("seed", SEEDS)
def test_the_mnist_challenge_fails_the_check(seed, record_property):
    (model, history), seconds = timed(run_seed_cnn, seed=seed)
    record(record_property, "mnist challenge", seed,
           f"validation accuracy {history.history['val_accuracy'][-1]:.4f}", seconds)  # fmt: skip
    with pytest.raises(AssertionError, match=r"(?s)short by .* ± "):
        check_mnist(model, history)


# ------------------------------------------------------------------ the pages

PAGES = sorted(
    p.stem for p in (REPO / "book").glob("*.md") if p.stem not in ("index", "api")
)  # fmt: skip


def test_the_tensorflow_pages_are_the_ones_that_import_it():
    """The list above is the pages' own: each listed page imports TensorFlow, no other does."""
    importing = {
        page
        for page in PAGES
        if any("import tensorflow" in cell.source for cell in page_cells(page))
    }
    assert importing == set(TENSORFLOW_PAGES), importing


@pytest.mark.parametrize("page", PAGES)
def test_the_page_runs_on_this_backend(page, record_property):
    """Every page, hidden checks included, runs on the backend in use, or says why it cannot."""
    if keras.backend.backend() != "tensorflow" and page in TENSORFLOW_PAGES:
        record(record_property, f"page {page}", 0, f"not applicable: {TENSORFLOW_PAGES[page]}", 0)
        pytest.skip(f"{page}: {TENSORFLOW_PAGES[page]}")
    if page in JAX_PAGES:
        ran_on_jax(page, record_property)
        return
    why = NOT_ON.get(keras.backend.backend(), {}).get(page)
    if why:
        record(record_property, f"page {page}", 0, f"not applicable: {why}", 0)
        pytest.skip(f"{page}: {why}")
    forget_final_runs()
    run, seconds = timed(run_page, page)
    record(record_property, f"page {page}", run.get("SEED", 0), f"ran, {len(run.glued)} values glued",
           seconds)  # fmt: skip


def ran_on_jax(page, record_property):
    """Run a JAX page in a fresh Python (its first cell picks the backend and the devices)."""
    from dnncourse.backend import _importable

    if not _importable("jax"):
        record(record_property, f"page {page}", 0, f"not run: no JAX here ({JAX_PAGES[page]})", 0)
        pytest.skip(f"{page}: needs JAX ({JAX_PAGES[page]})")
    code = f"from pages import run_page\nrun = run_page({page!r})\nprint(len(run.glued))\n"
    env = {**os.environ, "KERAS_BACKEND": "jax"}
    env.pop("XLA_FLAGS", None)  # the page sets its own
    start = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], cwd=REPO / "tests", env=env,
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    assert child.returncode == 0, child.stderr[-3000:]
    glued = int(child.stdout.split()[-1])
    record(record_property, f"page {page}", 0, f"ran on JAX in a fresh Python, {glued} values glued",
           seconds)  # fmt: skip
