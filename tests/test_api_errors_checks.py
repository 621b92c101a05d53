"""Every bad argument to the checkers, ``diagnose`` and ``reveal_diagnosis``: one clear error.

The twin of ``test_api_errors.py`` for ``dnncourse.checks``, ``dnncourse.diagnose``
and ``dnncourse.reveal``.  Each case passes one wrong argument and checks the
error's type and message (the argument named, "expected ..., got ...", the fix),
one traceback, no file changed, and that the checkers refuse before any data is
loaded or Keras imported.  ``CASES`` doubles as the issue report's table
(``python tests/test_api_errors_checks.py`` prints it).  The tests below the
cases check that valid calls still give the right answer.
"""

from __future__ import annotations

import numpy as np
import pytest
from api_cases import Case, case_id, error_table, refuses_at_the_door
from conftest import constant, petal_rule, true_surface

from dnncourse import checks
from dnncourse.checks import _cv, iris, regression
from dnncourse.checks.final import forget_final_runs
from dnncourse.checks.mnist import binomial_se, uncertainty
from dnncourse.data import mnist as mnist_data
from dnncourse.diagnose import diagnose
from dnncourse.reveal import reveal_diagnosis

H = {"loss": [1.0, 0.6, 0.4, 0.3], "val_loss": [1.1, 0.7, 0.5, 0.45]}


def build_and_train(X, y):
    return true_surface, None


class StandardScaler:
    """Looks like scikit-learn's scaler: an object with .transform, not a function."""

    def transform(self, X):
        return X


class UnusedEarlyStopping:
    restore_best_weights, best_weights, best_epoch = True, None, 0


def cr(**kw):
    return lambda: checks.check_regression(kw.pop("train", build_and_train), **kw)


C = Case
CASES = [
    # --- check_regression / check_iris (cross-validated: the argument is the training function)
    C("check_regression", "seed as text", cr(seed="0"), TypeError, r"got '0' \(a str\)\. Pass seed=0 \(a number, not text\)", "seed"),
    C("check_regression", "seed a bool", cr(seed=True), TypeError, r"got True \(a bool\)", "seed"),
    C("check_regression", "seed negative", cr(seed=-1), ValueError, r"got -1 \(an int\)", "seed"),
    C("check_regression", "seed 1.5", cr(seed=1.5), TypeError, r"got 1\.5 \(a float\)", "seed"),
    C("check_regression", "folds 1", cr(folds=1), ValueError, r"whole number in \[2, 100\], got 1", "folds"),
    C("check_regression", "folds 5.0", cr(folds=5.0), TypeError, r"got 5\.0 \(a float\)\. Pass folds=5\.", "folds"),
    C("check_regression", "folds past the rows", cr(folds=101), ValueError, r"got 101", "folds"),
    C("check_regression", "a file name", cr(train="model.keras"), TypeError, r"expected your training function.*got 'model\.keras' \(a str\)", "build_and_train"),
    C("check_regression", "the trained model f(X)", cr(train=true_surface), TypeError, r"got the function true_surface, which cannot be called with \(X, y\)", "build_and_train"),
    C("check_regression", "(model, history) not taken apart", cr(train=(true_surface, H)), TypeError, r"got a tuple of 2 items.*take it apart", "build_and_train"),
    C("check_regression", "a class", cr(train=StandardScaler), TypeError, r"got the class StandardScaler itself", "build_and_train"),
    C("check_regression", "best_epoch a word", cr(best_epoch="best"), ValueError, r"'min_val_loss'.*got 'best' \(a str\)", "best_epoch"),
    C("check_regression", "best_epoch 0", cr(best_epoch=0), ValueError, r"got 0 \(an int\)\. Epochs count from 1", "best_epoch"),
    C("check_regression", "best_epoch 2.5", cr(best_epoch=2.5), TypeError, r"got 2\.5 \(a float\)", "best_epoch"),
    C("check_regression", "verbose 1", cr(verbose=1), TypeError, r"True or False, got 1 \(an int\)", "verbose"),
    C("check_iris", "seed as text", lambda: checks.check_iris(build_and_train, seed="42"), TypeError, r"Pass seed=42", "seed"),
    C("check_iris", "folds 0", lambda: checks.check_iris(build_and_train, folds=0), ValueError, r"in \[2, 120\], got 0", "folds"),
    C("check_iris", "None", lambda: checks.check_iris(None), TypeError, r"got None", "build_and_train"),
    # --- final checks and check_mnist (the argument is the trained model)
    C("final_check_regression", "a saved model's file name", lambda: checks.final_check_regression("model.keras"), TypeError, r"a trained keras\.Model, or a function f\(X\).*got 'model\.keras' \(a str\)\. Load the model first", "model"),
    C("final_check_regression", "the training function", lambda: checks.final_check_regression(build_and_train), TypeError, r"cannot be called with X alone\. build_and_train\(X, y\) looks like your training function", "model"),
    C("final_check_regression", "None", lambda: checks.final_check_regression(None), TypeError, r"got None", "model"),
    C("final_check_regression", "preprocess a scaler object", lambda: checks.final_check_regression(true_surface, StandardScaler()), TypeError, r"a function f\(X\) or None, got a StandardScaler\. Pass the fitted scaler's method: preprocess=scaler\.transform", "preprocess"),
    C("final_check_regression", "preprocess the inputs", lambda: checks.final_check_regression(true_surface, np.zeros((40, 2))), TypeError, r"got an array of shape \(40, 2\)", "preprocess"),
    C("final_check_iris", "a dict", lambda: checks.final_check_iris({"model": petal_rule}), TypeError, r"got a dict with keys model", "model"),
    C("final_check_iris", "preprocess as text", lambda: checks.final_check_iris(petal_rule, "standard"), TypeError, r"got 'standard' \(a str\)", "preprocess"),
    C("check_mnist", "a string (MNIST not loaded)", lambda: checks.check_mnist("model"), TypeError, r"shape \(n, 28, 28, 1\).*got 'model' \(a str\)", "model"),
    C("check_mnist", "history a string", lambda: checks.check_mnist(constant, "history"), TypeError, r"History that fit\(\) returns.*or None, got 'history' \(a str\)", "history"),
    C("check_mnist", "history the list of losses", lambda: checks.check_mnist(constant, H["loss"]), TypeError, r"got a list of 4 items", "history"),
    C("check_mnist", "target 99 (per cent)", lambda: checks.check_mnist(constant, target=99), ValueError, r"a number in \(0, 1\], got 99 \(an int\)\. Pass target=0\.99 \(a fraction, not per cent\)", "target"),
    C("check_mnist", "target as text", lambda: checks.check_mnist(constant, target="0.99"), TypeError, r"Pass target=0\.99 \(a number, not text\)", "target"),
    C("check_mnist", "best_epoch -1", lambda: checks.check_mnist(constant, best_epoch=-1), ValueError, r"got -1", "best_epoch"),
    C("final_check_mnist", "target 1.0000000000000002", lambda: checks.final_check_mnist(constant, 1 + 2**-52), ValueError, r"got 1\.0000000000000002 \(a float\)", "target"),
    C("final_test", "unknown task", lambda: checks.final_test(true_surface, "cifar"), ValueError, r"expected task 'regression', 'iris' or 'mnist', got 'cifar'", "task"),
    C("final_test", "task a list", lambda: checks.final_test(true_surface, ["iris"]), TypeError, r"got a list of 1 item", "task"),
    C("final_test", "a keyword the task lacks", lambda: checks.final_test(true_surface, "regression", target=0.1), TypeError, r"a keyword of final_check_regression: preprocess, got target=0\.1", "target"),
    # --- diagnose: every form of history a learner may hand over
    C("diagnose", "only loss", lambda: diagnose({"loss": []}), ValueError, r"'loss' and 'val_loss', got one without val_loss \(it holds: loss\)\. Pass validation data", "history"),
    C("diagnose", "no epochs", lambda: diagnose({"loss": [], "val_loss": []}), ValueError, r"at least one epoch.*got 0 and 0 values", "history"),
    C("diagnose", "columns of shape (n, 1)", lambda: diagnose({"loss": np.ones((30, 1)), "val_loss": np.ones((30, 1))}), ValueError, r"history\['loss'\]: expected one loss per epoch with 1 dimension, got an array of shape \(30, 1\)", "history"),
    C("diagnose", "validation_freq=5", lambda: diagnose({"loss": [1.0] * 10, "val_loss": [1.0, 0.9]}), ValueError, r"got 10 values of loss and 2 of val_loss\. Validation ran on fewer epochs.*validation_freq=1", "history"),
    C("diagnose", "a dict of dicts not keyed by epoch", lambda: diagnose({"loss": {"a": 1.0}, "val_loss": {"a": 1.0}}), TypeError, r"a dict of epoch numbers to values\), got a dict with keys a", "history"),
    C("diagnose", "curves of text", lambda: diagnose({"loss": ["1"], "val_loss": ["1"]}), TypeError, r"got an array of text", "history"),
    C("diagnose", "a list", lambda: diagnose([1.0, 0.5]), TypeError, r"got a list of 2 items", "history"),
    C("diagnose", "None", lambda: diagnose(None), TypeError, r"\.history dict\), got None", "history"),
    C("diagnose", "NaN", lambda: diagnose({"loss": [1.0, np.nan], "val_loss": [1.0, 1.0]}), ValueError, r"got NaN or infinity at epoch\(s\) 2 of 2\. Training diverged", "history"),
    C("diagnose", "a negative loss", lambda: diagnose({"loss": [1.0, -0.5], "val_loss": [1.0, 1.0]}), ValueError, r"got -0\.5 in loss at epoch 2", "history"),
    C("diagnose", "noise_floor as text", lambda: diagnose(H, "0.04"), TypeError, r"got '0\.04' \(a str\)\. Pass noise_floor=0\.04 \(a number, not text\)", "noise_floor"),
    C("diagnose", "noise_floor negative", lambda: diagnose(H, -1e-9), ValueError, r"a number >= 0, got -1e-09", "noise_floor"),
    C("diagnose", "best_epoch past the run", lambda: diagnose(H, best_epoch=5), ValueError, r"between 1 and 4 \(the epochs run\), got 5", "best_epoch"),
    C("diagnose", "an unused EarlyStopping", lambda: diagnose(H, best_epoch=UnusedEarlyStopping()), ValueError, r"got one that fit\(\) has not used yet", "best_epoch"),
    C("diagnose", "tail 0", lambda: diagnose(H, tail=0), ValueError, r"in \(0, 1\], got 0 \(an int\)\. Pass a number such as tail=0\.1\.", "tail"),
    C("diagnose", "gap_tol as text", lambda: diagnose(H, gap_tol="x"), TypeError, r"got 'x' \(a str\)", "gap_tol"),
    # --- reveal_diagnosis
    C("reveal_diagnosis", "prediction a number", lambda: reveal_diagnosis(5, "it rose", H), TypeError, r"argument prediction \(my_prediction\): expected a label as a str.*got 5 \(an int\)\. Write the label in quotes", "my_prediction"),
    C("reveal_diagnosis", "prediction a list", lambda: reveal_diagnosis(["overfitting"], "it rose", H), TypeError, r"got a list of 1 item", "my_prediction"),
    C("reveal_diagnosis", "reason a number", lambda: reveal_diagnosis("overfitting", 3, H), TypeError, r"argument reason \(my_reason\): expected a str, got 3", "my_reason"),
    C("reveal_diagnosis", "the history first", lambda: reveal_diagnosis(H, "overfitting", "it rose"), TypeError, r"argument history: .*got 'it rose' \(a str\)", "history"),
    C("reveal_diagnosis", "a bad history, prediction blank", lambda: reveal_diagnosis("...", "...", "history"), TypeError, r"got 'history' \(a str\)", "history"),
    C("reveal_diagnosis", "a keyword diagnose lacks", lambda: reveal_diagnosis("...", "...", H, floor=0.04), TypeError, r"a keyword of diagnose\(\).*got floor=0\.04", "floor"),
    # --- binomial_se, uncertainty
    C("binomial_se", "n 0", lambda: binomial_se(0.5, 0), ValueError, r"whole number >= 1, got 0 \(an int\)", "n"),
    C("binomial_se", "accuracy 1.0000000000000002", lambda: binomial_se(1 + 2**-52, 10), ValueError, r"in \[0, 1\], got 1\.0000000000000002", "accuracy"),
    C("binomial_se", "accuracy in per cent", lambda: binomial_se(99, 10), ValueError, r"got 99 \(an int\)", "accuracy"),
    C("binomial_se", "n 10.0", lambda: binomial_se(0.5, 10.0), TypeError, r"got 10\.0 \(a float\)\. Pass n=10\.", "n"),
    C("uncertainty", "what a number", lambda: uncertainty(0.99, 100, 5), TypeError, r"a str, got 5", "what"),
]  # fmt: skip


def test_distinct_cases_cover_every_function():
    assert len({case_id(c) for c in CASES}) == len(CASES) >= 60
    assert {c.function for c in CASES} == {*checks.__all__, "diagnose", "reveal_diagnosis",
                                           "binomial_se", "uncertainty"}  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_bad_argument_gives_one_clear_error_before_any_work(case, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # a stray write would land here

    def loaded(*args, **kwargs):
        pytest.fail("data or Keras loaded before the arguments were checked")

    for module, name in ((regression, "load_regression"), (iris, "load_iris"),
                         (mnist_data, "load_mnist"), (_cv, "_keras")):  # fmt: skip
        monkeypatch.setattr(module, name, loaded)
    refuses_at_the_door(case, tmp_path, capsys, "nothing printed: no verdict, no reveal")


# --- the right answer where there is one ----------------------------------------------


def test_a_dict_of_dicts_history_is_read_in_epoch_order():
    """``pandas.DataFrame(history.history).to_dict()`` gives {name: {epoch: value}}."""
    as_dicts = {k: dict(reversed(list(enumerate(v)))) for k, v in H.items()}  # any key order
    assert diagnose(as_dicts) == diagnose(H)


@pytest.mark.parametrize("blank", ["...", "", " ? ", None, ...])
def test_a_blank_prediction_reveals_nothing_and_never_raises(blank, capsys):
    reveal_diagnosis(blank, "the gap grows", H)
    reveal_diagnosis("overfitting", blank, H)
    out = capsys.readouterr().out
    assert out.count("Predict first: write my_") == 2 and "diagnosis:" not in out


def test_numbers_in_messages_do_not_contradict_themselves():
    with pytest.raises(ValueError, match="argument target") as err:
        checks.check_mnist(constant, target=1 + 2**-52)
    assert "got 1.0000000000000002" in str(err.value) and "got 1 " not in str(err.value)


def test_valid_arguments_still_work(capsys):
    forget_final_runs()
    assert binomial_se(1.0, 1) == 0.0 and binomial_se(np.float32(0.5), np.int64(4)) == 0.25
    assert "On 100 validation images" in uncertainty(0.99, 100, "validation images")
    assert checks.final_check_regression(true_surface, preprocess=None).passed
    assert checks.final_test(petal_rule, "iris", preprocess=None).value == pytest.approx(29 / 30)
    forget_final_runs()


@pytest.mark.parametrize("history", ["history", {"loss": {"a": 1.0}}, [1.0, 0.5]])
def test_a_history_of_a_wrong_kind_never_hides_the_verdict(history, capsys):
    """From inside the training function it is read after the verdict, and named there."""
    verdict = checks.check_regression(lambda X, y: (true_surface, history), verbose=False)
    assert verdict.passed and "target met" in capsys.readouterr().out
    assert verdict.index("target met") < verdict.index("Your history could not be read")
    with pytest.raises(AssertionError) as err:
        checks.check_regression(lambda X, y: (constant, history), seed=np.int64(1),
                                folds=np.int64(5), verbose=False)  # fmt: skip
    message = str(err.value)
    assert message.startswith("NOT MET: regression exercise, validation (5-fold cross-validation")
    assert "(no diagnosis of your learning curves: diagnose(), argument history" in message


def own_assert(X):
    assert X.shape[1] == 3, "my own check"


@pytest.mark.parametrize(
    ("returns", "got"),
    [
        (lambda X: {"y": X}, r"got a dict with keys y"),
        (lambda X: "abc", r"got 'abc' \(a str\)"),
        (lambda X: None, r"got None"),
        (lambda X: true_surface, r"got the function true_surface"),
        (lambda X: [[1.0], [1.0, 2.0]], r"got a list of 2 items"),
    ],
)
def test_a_model_returning_no_numbers_is_told_so(returns, got, capsys):
    with pytest.raises(AssertionError, match=r"expected the function to return its predictions "
                       r"as numbers \(an array with one row per input\), " + got):  # fmt: skip
        checks.final_check_regression(returns)
    assert capsys.readouterr().out == "", "no FINAL score for a model that gave none"


def test_a_models_own_failing_assert_is_not_a_verdict():
    with pytest.raises(
        AssertionError, match=r"calling it failed with AssertionError: my own check"
    ):
        checks.final_check_regression(own_assert)


def table():
    return error_table(CASES)


if __name__ == "__main__":
    print(table())
