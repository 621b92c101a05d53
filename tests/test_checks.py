"""The checkers' mechanics without training: iterate on validation, test once, never hide a verdict.

Models here are plain functions (the true regression surface, a petal rule for iris,
a lookup table for MNIST) or untrained Keras models, so every test is fast.  That
the course solutions pass and the challenges fail is tested, with training, in
test_regression.py, test_iris.py and test_mnist.py.
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from conftest import REPO, constant, petal_rule, trained, true_surface
from test_regression_checker import refuses_a_keras_model_of_the_wrong_input_shape

from dnncourse.checks import (
    check_iris,
    check_mnist,
    check_regression,
    final_check_iris,
    final_check_mnist,
    final_check_regression,
    final_test,
)
from dnncourse.checks.regression import mse_on_test
from dnncourse.tutorials import NAMES as TUTORIAL_NAMES
from dnncourse.tutorials import get, load

GOOD_HISTORY = {"loss": list(0.04 + np.exp(-np.arange(50) / 5)), "val_loss": None}
GOOD_HISTORY["val_loss"] = [1.1 * x for x in GOOD_HISTORY["loss"]]
BROKEN_HISTORIES = {
    "one epoch": {"loss": [1.0], "val_loss": [1.2]},
    "NaN": {"loss": [1.0, float("nan")], "val_loss": [1.0, 0.9]},
    "no val_loss": {"loss": [1.0, 0.5]},
}


pytestmark = pytest.mark.usefixtures("fresh_session")


# ---------------------------------------------------------------- iterate
# The regression checker's cross-validation, targets and messages: tests/test_regression_checker.py.


def test_a_history_turns_the_hint_into_a_diagnosis():
    with pytest.raises(AssertionError, match=r"(?s)got .*Hint: good fit in 5 of 5 folds: good fit"):
        check_regression(trained(constant, GOOD_HISTORY), verbose=False)


@pytest.mark.parametrize("what", sorted(BROKEN_HISTORIES))
def test_an_unreadable_history_never_hides_a_met_target(what, capsys):
    verdict = check_regression(trained(true_surface, BROKEN_HISTORIES[what]))
    assert verdict.passed and "target met" in capsys.readouterr().out


@pytest.mark.parametrize("what", ["NaN", "no val_loss"])
def test_an_unreadable_history_never_hides_a_missed_target(what):
    with pytest.raises(AssertionError) as err:
        check_regression(trained(constant, BROKEN_HISTORIES[what]), verbose=False)
    message = str(err.value)
    assert message.startswith("NOT MET: regression exercise, validation (5-fold cross-validation")
    assert "to score MSE <= 0.3" in message
    assert (
        "(no diagnosis of your learning curves: diagnose(), argument history: expected" in message
    )


UNREAD = "Your history could not be read, so your curves got no diagnosis: diagnose(), argument"
DICT_OF_DICTS = {"loss": {"a": 1.0, "b": 0.5}, "val_loss": {"a": 1.1, "b": 0.6}}


@pytest.mark.parametrize("what", ["no val_loss", "NaN", "dict of dicts"])
def test_a_met_target_names_an_unreadable_history_after_the_verdict(what, capsys):
    """A met verdict shows no hint: one sentence after it says the curves went unread."""
    history = BROKEN_HISTORIES.get(what, DICT_OF_DICTS)
    verdict = check_regression(trained(true_surface, history), verbose=False)
    out = capsys.readouterr().out
    assert verdict.passed and out.strip() == verdict
    assert verdict.index("target met") < verdict.index(UNREAD) < verdict.index("When you are done")
    assert verdict.count(UNREAD) == 1 and "Hint:" not in verdict


@pytest.mark.parametrize("what", ["no val_loss", "NaN", "dict of dicts"])
def test_iris_cannot_pass_curves_it_cannot_read_and_says_why(what):
    """check_iris judges the curves too: unreadable ones fail it, and the hint says why."""
    with pytest.raises(AssertionError) as err:
        check_iris(trained(petal_rule, BROKEN_HISTORIES.get(what, DICT_OF_DICTS)), verbose=False)
    message = str(err.value)
    assert "got 0 of 5 (5 could not be read)" in message
    assert (
        "Hint: train longer, or change the model's size or regularisation (diagnose(), argument"
        in message
    )


@pytest.mark.parametrize("history", [None, GOOD_HISTORY])
def test_a_met_target_says_nothing_of_a_history_it_read_or_was_not_given(history):
    verdict = check_regression(trained(true_surface, history), verbose=False)
    assert verdict.passed and "could not be read" not in verdict


def test_one_epoch_history_gives_its_own_hint():
    with pytest.raises(AssertionError, match="one epoch is too few"):
        check_regression(trained(constant, BROKEN_HISTORIES["one epoch"]), verbose=False)


# ---------------------------------------------------------------- bad models


def test_nan_predictions_are_named():
    with pytest.raises(AssertionError) as err:
        check_regression(trained(lambda X: np.full(len(X), np.nan)), verbose=False)
    assert "expected finite predictions, but your model outputs NaN for 100 of 100 inputs" in str(
        err.value
    )
    assert "training diverged" in str(err.value)


def test_inf_predictions_are_named_apart_from_nan():
    def partly_broken(X):
        y_hat = true_surface(X)
        y_hat[:3], y_hat[3:5] = np.nan, np.inf
        return y_hat

    with pytest.raises(AssertionError, match="outputs NaN for 15 and inf for 10 of 100 inputs"):
        check_regression(trained(partly_broken), verbose=False)  # 3 and 2 in each of 5 folds


def test_nan_probabilities_are_not_an_accuracy():
    with pytest.raises(AssertionError) as err:  # check_iris cross-validates a training function
        check_iris(lambda X, y: (lambda X: np.full((len(X), 3), np.nan), None), verbose=False)
    assert "your model outputs NaN for 120 of 120 inputs" in str(err.value)
    assert "accuracy" not in str(err.value).split("Hint:")[0]


def test_a_plain_function_gets_a_float32_array():
    seen = []

    def model(X):
        seen.append((type(X), X.dtype, X.shape))
        return true_surface(X)

    check_regression(trained(model), verbose=False)
    assert seen == [(np.ndarray, np.float32, (20, 2))] * 5  # one held-out fold at a time


def test_a_function_that_fails_is_told_the_expected_input():
    with pytest.raises(AssertionError) as err:
        check_regression(trained(lambda X, y: X), verbose=False)
    message = str(err.value)
    assert "expected a function that accepts a float32 array of shape (None, 2)" in message
    assert "TypeError" in message and "keras.Input(shape=(2,))" in message


def test_a_scalar_output_is_a_shape_error():
    with pytest.raises(AssertionError, match=r"expected one prediction per input.*Dense\(1\)"):
        check_regression(trained(lambda X: float(np.sum(X))), verbose=False)


def test_not_callable_is_refused_saying_what_to_pass():
    with pytest.raises(TypeError, match=r"expected your training function.*got 'model\.keras'"):
        check_regression("model.keras")
    with pytest.raises(TypeError, match=r"expected a trained keras.Model, or a function f\(X\)"):
        final_check_regression("model.keras")


def test_keras_model_with_wrong_input_shape_gets_the_expected_shape():
    import keras

    refuses_a_keras_model_of_the_wrong_input_shape()
    iris_model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(3)])
    with pytest.raises(AssertionError, match=r"inputs of shape \(None, 4\).*\(None, 2\)"):
        check_iris(lambda X, y: (iris_model, None), verbose=False)


def test_keras_model_outputting_nan_is_named():
    import keras

    nan = keras.initializers.Constant(float("nan"))
    model = keras.Sequential(
        [keras.Input(shape=(4,)), keras.layers.Dense(3, "softmax", bias_initializer=nan)]
    )
    with pytest.raises(AssertionError, match="outputs NaN for 120 of 120 inputs"):
        check_iris(lambda X, y: (model, None), verbose=False)
    assert "NaN for 30 of 30 inputs" in final_check_iris(model)


# ---------------------------------------------------------------- iris


# The iris checker's cross-validation, targets and messages: tests/test_iris_checker.py.


# ---------------------------------------------------------------- test once


def test_final_step_scores_the_test_set_once_and_says_it_is_final(capsys):
    verdict = final_check_regression(true_surface)
    assert verdict.passed and verdict.split == "test" and verdict.metric == "test MSE"
    assert verdict.value == pytest.approx(mse_on_test(true_surface))
    out = capsys.readouterr().out
    assert out.startswith(
        "PASSED: regression exercise, FINAL test score (40 test points, scored once)"
    )
    assert "target met" in out and "the one number to report" in out and "note:" not in out


def test_final_step_reports_a_miss_without_raising():
    verdict = final_check_regression(constant)
    assert not verdict.passed
    assert "target missed: expected test MSE <= 0.1, got" in verdict


def test_a_second_final_test_with_another_model_names_the_first_score():
    first = final_check_regression(true_surface)
    again = final_check_regression(true_surface)  # the same cell run again: no note
    assert "note:" not in again
    other = final_check_regression(constant)
    assert "note: this is final test number 2 of the regression exercise in this session" in other
    assert f"the first was: test MSE = {first.value:#.4g}: target met" in other
    assert "Report that first score" in other
    # other tasks keep their own count
    assert "note:" not in final_check_iris(petal_rule)


def test_final_test_dispatches_by_task():
    assert final_test(petal_rule, "iris").value == pytest.approx(29 / 30)
    assert final_test(true_surface, "regression").passed
    with pytest.raises(ValueError, match="expected task 'regression', 'iris' or 'mnist'"):
        final_test(true_surface, "cifar")


# ---------------------------------------------------------------- MNIST (data, no training)


@pytest.fixture(scope="module")
def lookup_model():
    """A function that knows the 5,000 validation digits' labels, and answers 0 for others."""
    from dnncourse.data.mnist import N_VAL, load_mnist, prepare

    (X_train, y_train), _ = load_mnist()
    table = {
        prepare(x[None]).tobytes(): label
        for x, label in zip(X_train[-N_VAL:], y_train[-N_VAL:], strict=True)
    }
    calls = []

    def model(X):
        calls.append(len(X))
        labels = [table.get(x[None].tobytes(), 0) for x in X]
        return np.eye(10)[labels]

    model.calls = calls
    return model


@pytest.mark.mnist
def test_mnist_validation_and_final(lookup_model, capsys):
    verdict = check_mnist(lookup_model)
    assert verdict.value == 1.0 and verdict.split == "validation"
    assert lookup_model.calls == [1000] * 5  # called in batches
    assert "the 5,000 training images held out for validation" in capsys.readouterr().out
    final = final_check_mnist(lookup_model)
    assert not final.passed and final.value < 0.2
    assert "10,000 test digits" in final


@pytest.mark.mnist
def test_mnist_wrong_output_shape():
    with pytest.raises(AssertionError, match=r"10 class scores per digit, shape \(5000, 10\)"):
        check_mnist(lambda X: np.zeros((len(X), 3)))


@pytest.mark.mnist
@pytest.mark.parametrize("history", [DICT_OF_DICTS, BROKEN_HISTORIES["no val_loss"]])
def test_mnist_met_target_names_an_unreadable_history_after_the_verdict(
    lookup_model, history, capsys
):
    verdict = check_mnist(lookup_model, history)
    assert verdict.passed and capsys.readouterr().out.strip() == verdict
    assert verdict.index("target met") < verdict.index(UNREAD) < verdict.index("When you are done")
    assert "could not be read" not in check_mnist(lookup_model, None)


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=pytest.mark.mnist) if n == "mnist" else n for n in TUTORIAL_NAMES],
)
def test_a_model_that_cannot_be_scored_gets_the_message_the_page_describes(name):
    """Not a verdict (no PASSED or NOT MET): the task's name, then the shape expected."""
    tutorial = get(name)
    task = load(tutorial.final_check).__module__
    task = importlib.import_module(task).TASK
    for model in (lambda X: np.zeros((len(X), 7)), lambda X: 1 / 0):  # wrong shape, raises
        with pytest.raises(AssertionError) as err:
            load(tutorial.final_check)(model)
        message = str(err.value)
        assert message.startswith(f"{task}: expected"), message
    page = (REPO / tutorial.page).read_text(encoding="utf-8")
    assert f"starts with `{task}:` instead" in " ".join(page.split()), tutorial.page
