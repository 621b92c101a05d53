"""The iris checker's mechanics without training: cross-validation, both targets, the messages.

The "learners" here return plain functions (a petal rule, a lookup of the true
labels) instead of trained networks, so every test is fast.  That the course's
solution passes and the challenge fails, and that the iterate verdict predicts the
final one, is tested with training in test_iris.py and test_iris_calibration.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import petal_rule

from dnncourse import data, tutorials
from dnncourse.checks import check_iris, final_check_iris, final_test
from dnncourse.checks import iris as iris_check
from dnncourse.checks.final import forget_final_runs
from dnncourse.data.iris import NEW_SAMPLES

N_TRAIN, N_TEST = 120, 30


pytestmark = pytest.mark.usefixtures("fresh_session")


#: Learning curves that read a good fit: both losses level off, validation 1.2 times training.
GOOD_FIT = {
    "loss": [0.1 + 0.9 * np.exp(-e / 6) for e in range(60)],
    "val_loss": [0.12 + 0.9 * np.exp(-e / 6) for e in range(60)],
}


def learner(model, history=GOOD_FIT, calls=None):
    """A ``build_and_train`` that returns ``model`` untrained (and records what it was given)."""

    def build_and_train(X, y):
        if calls is not None:
            calls.append((X.copy(), y.copy()))
        return model, history

    return build_and_train


def knows(k_wrong_train=0, k_wrong_test=0, sure=0.9):
    """A model that knows every file's labels and gets the first ``k_wrong`` of each wrong.

    Right: probability ``sure`` for the true class.  Wrong: 0.5 for the next class,
    0.45 for the true one (a narrow, unsure mistake).  Unknown flowers: versicolor.
    """
    (X_train, y_train), (X_test, y_test) = data.load_iris()
    table = {}
    for X, y, k in ((X_train, y_train, k_wrong_train), (X_test, y_test, k_wrong_test)):
        for i, (x, label) in enumerate(zip(X, y, strict=True)):
            row = np.full(3, (1 - sure) / 2)
            row[label] = sure
            if i < k:
                row = np.full(3, 0.05)
                row[label], row[(label + 1) % 3] = 0.45, 0.5
            table[x.astype("float32").tobytes()] = row

    def model(X):
        return np.array([table.get(x.tobytes(), [0.0, 1.0, 0.0]) for x in np.asarray(X, "float32")])

    return model


# ------------------------------------------------------------------ the cross-validation


def test_every_training_flower_is_predicted_once_by_a_model_that_never_saw_it(capsys):
    calls = []
    verdict = check_iris(learner(knows(), calls=calls), verbose=False)
    (X_train, _), _ = data.load_iris()
    assert len(calls) == iris_check.FOLDS == 5
    seen = [{x.tobytes() for x in X} for X, _ in calls]
    assert [len(X) for X, _ in calls] == [96] * 5
    for k, rows in enumerate(seen):  # each fold's 24 held-out flowers are in no other fold's gap
        held = {x.tobytes() for x in X_train} - rows
        assert len(held) == 24 and all(held <= other for j, other in enumerate(seen) if j != k)
    assert verdict.passed and verdict.value == 1.0 and verdict.details["n_right"] == N_TRAIN
    assert capsys.readouterr().out.strip() == str(verdict)


def test_a_trained_model_instead_of_the_function_is_a_type_error():
    import keras

    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3, "softmax")])
    with pytest.raises(TypeError, match=r"Pass the function itself, without calling it"):
        check_iris(model)


def test_a_function_that_returns_no_model_is_told_what_to_return():
    with pytest.raises(TypeError, match=r"return model, history"):
        check_iris(lambda X, y: "done", verbose=False)


def test_targets_are_stated_and_the_final_one_is_the_registry_s():
    assert iris_check.TARGET_ACCURACY == 28 / 30 == tutorials.get("iris").target
    assert iris_check.CV_TARGET_ACCURACY == 28 / 30  # the same rate, on 120 flowers


def test_the_docstring_s_binomial_numbers():
    """A model wrong on 3 % (10 %) of new flowers, on 30 of them: the module docstring's odds."""
    from math import comb

    def at_most(j, e):
        return sum(comb(30, k) * e**k * (1 - e) ** (30 - k) for k in range(j + 1))

    assert round(100 * at_most(1, 0.03)) == 77 and round(100 * at_most(2, 0.03)) == 94
    assert round(100 * at_most(2, 0.10)) == 41
    for number in ("77 %", "94 %", "41 %"):
        assert number in iris_check.__doc__


# ------------------------------------------------------------------ the target and the information


def test_the_cross_entropy_is_reported_but_does_not_decide():
    # 3 of 120 wrong; the mistakes cost -log(0.05) = 3.0 each
    soft = check_iris(learner(lambda X: petal_rule(X, sure=0.9)), verbose=False)
    assert soft.passed and soft.details["n_right"] == 117
    expected = (117 * -np.log(0.9) + 3 * -np.log(0.05)) / 120
    assert soft.details["cross_entropy"] == pytest.approx(expected)
    assert "target met.\nAccuracy = 0.975 ± 0.0" in soft and "(117 of 120 right)" in soft
    assert f"Cross-entropy = {expected:.3f} ± " in soft and "information, not a target" in soft
    # the same three mistakes made with certainty cost -log(1e-7) = 16.1 each: reported
    sure = check_iris(learner(petal_rule), verbose=False)
    assert sure.passed and sure.details["cross_entropy"] == pytest.approx(3 * 16.118 / 120, 1e-3)


def test_one_mistake_too_many_fails_and_says_how_far_the_number_can_move():
    k = 9  # the target allows 8 of 120 wrong
    with pytest.raises(AssertionError) as err:
        check_iris(learner(knows(k_wrong_train=k)), verbose=False)
    message = str(err.value)
    se = iris_check.accuracy_se(N_TRAIN - k, N_TRAIN)
    assert "expected accuracy >= 0.933 (at most 8 of 120 wrong), got 0.925" in message
    assert f"± {se:.3f} ({N_TRAIN - k} of {N_TRAIN} right)" in message
    assert "± is one standard error" in message
    assert err.value.verdict.value == pytest.approx(0.925) and not err.value.verdict.passed
    assert check_iris(learner(knows(k_wrong_train=8)), verbose=False).passed


def test_the_standard_error_is_never_zero():
    assert iris_check.accuracy_se(30, 30) > 0.02
    assert iris_check.accuracy_se(120, 120) < iris_check.accuracy_se(30, 30)


def test_logits_instead_of_probabilities_are_named():
    with pytest.raises(AssertionError, match=r"expected class probabilities \(each row >= 0"):
        check_iris(learner(lambda X: 5 * petal_rule(X) - 2), verbose=False)


# ------------------------------------------------------------------ the hint and the new flowers


OVERFIT = {
    "loss": [1.0 / (1 + 0.5 * e) for e in range(60)],
    "val_loss": [0.5 + abs(e - 15) * 0.02 for e in range(60)],
}


def test_the_hint_is_the_most_common_diagnosis_of_the_folds():
    from dnncourse.diagnose import diagnose

    with pytest.raises(AssertionError) as err:
        check_iris(learner(knows(k_wrong_train=20), OVERFIT), verbose=False)
    hint = str(err.value).split("Hint: ")[1]
    assert hint.startswith(f"the folds' learning curves read {diagnose(OVERFIT).label} in 5 of 5")


def test_no_history_still_gives_a_verdict_and_a_hint():
    with pytest.raises(AssertionError, match=r"Hint: .*end it with `return model, history`"):
        check_iris(learner(knows(k_wrong_train=20), None), verbose=False)
    # accurate, but curves that cannot be read cannot be judged: the verdict says so
    with pytest.raises(AssertionError) as err:
        check_iris(learner(knows(), None), verbose=False)
    assert "got 0 of 5 (5 could not be read)" in str(err.value)


# ------------------------------------------------------------------ the curve criterion


class Stopped(dict):
    """A History-like dict whose run stopped before the epochs ``fit`` was asked for."""

    def __init__(self, curves, asked):
        super().__init__(curves)
        self.history, self.epoch = dict(curves), list(range(len(curves["loss"])))
        self.params = {"epochs": asked}


def test_accurate_but_overfitting_curves_fail_on_the_curves():
    """Accuracy alone cannot fail the challenge: the curves of most trainings must read a good fit."""
    with pytest.raises(AssertionError) as err:
        check_iris(learner(knows(), OVERFIT), verbose=False)
    message = str(err.value)
    assert (
        "expected learning curves that read a good fit in at least 3 of the 5 trainings, got 0 of 5."
        in message
    )
    assert (
        "Accuracy = 1.000" in message
        and "target >= 0.933 (at most 8 of 120 wrong): met." in message
    )
    verdict = err.value.verdict
    assert (
        verdict.details["good_fits"] == 0 and verdict.details["fold_labels"] == ["overfitting"] * 5
    )
    assert "Some of your trainings stopped early" not in message  # these ran every epoch asked


def test_three_good_fits_of_five_pass_and_two_do_not():
    histories = iter([GOOD_FIT, OVERFIT, GOOD_FIT, OVERFIT, GOOD_FIT] * 2)

    def build_and_train(X, y):
        return knows(), next(histories)

    verdict = check_iris(build_and_train, verbose=False)
    assert verdict.passed and verdict.details["good_fits"] == 3
    assert "Learning curves: a good fit in 3 of 5 trainings (target: at least 3)." in verdict
    histories = iter([OVERFIT, GOOD_FIT, OVERFIT, GOOD_FIT, OVERFIT])
    with pytest.raises(AssertionError) as err:
        check_iris(build_and_train, verbose=False)
    hint = str(err.value).split("Hint: ")[1]
    assert hint.startswith("the folds' learning curves read overfitting in 3 of 5, good fit in 2:")


def test_an_early_stopped_run_read_to_its_last_epoch_is_told_about_best_epoch():
    """The curves after a restored best epoch look like overfitting; the hint names best_epoch."""
    stopped = Stopped(OVERFIT, asked=300)
    with pytest.raises(AssertionError, match=r"pass best_epoch='min_val_loss'"):
        check_iris(learner(knows(), stopped), verbose=False)
    # Keras restores the best weights when training ran all its epochs too: the same note
    with pytest.raises(AssertionError, match=r"pass best_epoch='min_val_loss'"):
        check_iris(learner(knows(), Stopped(OVERFIT, asked=60)), verbose=False)
    # read up to the restored epoch, the same curves are a good fit, and the check passes; but
    # the checker cannot confirm that these models keep their best epoch, and says so
    verdict = check_iris(learner(knows(), stopped), best_epoch="min_val_loss", verbose=False)
    assert verdict.passed and verdict.details["good_fits"] == 5
    assert verdict.details["kept_epoch"] == [None] * 5
    assert "for 5 of your 5 trained models the checker could not confirm" in verdict
    assert "Read to their last epoch, they would give another verdict or hint." in verdict
    # where the reading makes no difference, nothing is said
    flat = Stopped(FLAT_STOPPED, asked=300)
    with pytest.raises(AssertionError) as err:
        check_iris(learner(knows(), flat), best_epoch="min_val_loss", verbose=False)
    assert "could not confirm" not in str(err.value)


#: Early-stopped curves that stay high (underfitting, read either way): the lowest
#: validation loss, at epoch 31 of 40, lies within 1 % of the last, so the checker cannot
#: tell which epoch a model kept, and it does not matter.
FLAT_STOPPED = {
    "loss": [0.9 + 0.3 * np.exp(-e / 40) for e in range(40)],
    "val_loss": [0.95 + 0.3 * np.exp(-e / 40) - (0.035 if e == 30 else 0) for e in range(40)],
}


def test_the_best_epoch_note_only_where_the_kept_epoch_would_change_the_reading():
    """A learner's restore_best_weights run was told to pass best_epoch although reading up to
    its best epoch gives the same label: the note is for runs where it would matter."""
    from dnncourse.diagnose import diagnose

    stopped = Stopped(FLAT_STOPPED, asked=300)
    val = stopped["val_loss"]
    assert np.argmin(val) == 30 and val[-1] - min(val) < 0.01 * val[-1]  # best != last, close
    labels = {diagnose(stopped).label, diagnose(stopped, best_epoch="min_val_loss").label}
    assert labels == {"underfitting"}
    with pytest.raises(AssertionError) as err:
        check_iris(learner(knows(), stopped), verbose=False)
    assert err.value.verdict.details["kept_epoch"] == [None] * 5
    assert "read underfitting in 5 of 5" in str(err.value)
    assert "best_epoch" not in str(err.value)


def test_the_workshop_flowers_are_information_not_a_target():
    # right on every file; the second workshop flower, in neither file, is "versicolor"
    border_wrong = knows()
    assert border_wrong(NEW_SAMPLES).argmax(axis=1).tolist() == [1, 1]
    verdict = check_iris(learner(border_wrong), verbose=False)
    assert verdict.passed
    assert "the second as virginica (2) 0 of 5 times" in verdict
    assert verdict.details["new_predicted"] == [[1, 1]] * 5
    final = final_check_iris(border_wrong)
    assert final.passed and "your model predicted classes [1, 1], expected [1, 2]" in final


# ------------------------------------------------------------------ the final step


@pytest.mark.parametrize(("wrong", "passed"), [(0, True), (2, True), (3, False)])
def test_final_target_is_at_most_two_of_thirty_wrong(wrong, passed, capsys):
    final = final_check_iris(knows(k_wrong_test=wrong))
    assert final.passed is passed and final.split == "test"
    assert final.value == pytest.approx((N_TEST - wrong) / N_TEST)
    assert f"{N_TEST - wrong} of {N_TEST} right" in final and "± is one standard error" in final
    assert final.details["se"] == pytest.approx(iris_check.accuracy_se(N_TEST - wrong, N_TEST))
    assert "FINAL test score" in capsys.readouterr().out


def test_final_test_dispatches_to_the_iris_step():
    assert final_test(knows(k_wrong_test=1), "iris").value == pytest.approx(29 / 30)


def test_an_output_with_the_wrong_number_of_rows_is_refused_not_broadcast():
    """Issue 21: one row of probabilities for 30 flowers used to score 0.33 as FINAL."""
    from dnncourse.checks import final_check_iris

    forget_final_runs()
    with pytest.raises(
        AssertionError,
        match=r"expected one row of class probabilities per flower, shape \(30, 3\), got shape \(1, 3\)",
    ):
        final_check_iris(lambda X: np.full((1, 3), 1 / 3))


def test_predict_classes_checks_the_model_and_the_measurements():
    uniform = lambda X: np.full((len(X), 3), 1 / 3)
    with pytest.raises(
        ValueError,
        match=r"predict_classes\(\), argument X: expected .* shape \(n, 4\), got an array of shape \(5, 3\)",
    ):
        iris_check.predict_classes(uniform, np.zeros((5, 3)))
    with pytest.raises(TypeError, match=r"predict_classes\(\), argument model"):
        iris_check.predict_classes("model", np.zeros((5, 4)))
    assert iris_check.predict_classes(uniform, np.zeros((5, 4))).shape == (5,)


#: Curves whose validation loss is lowest (-log 0.9) at epoch 20 and rises to 0.5 by epoch 60.
_BEST = -np.log(0.9)
RESTORABLE = {
    "loss": [0.05 + 0.9 * np.exp(-e / 6) for e in range(60)],
    "val_loss": [_BEST + 0.9 * np.exp(-e / 3) for e in range(20)]
    + [_BEST + (0.5 - _BEST) * (e - 19) / 40 for e in range(20, 60)],
}


def test_the_checker_finds_the_epoch_each_model_kept():
    """A model whose loss on its own validation flowers is the history's lowest kept its best
    epoch: its curves are read up to it, with no argument.  One whose loss is the last
    epoch's did not, whatever best_epoch claims, and the verdict says so."""
    from dnncourse.diagnose import diagnose

    assert diagnose(RESTORABLE).label == "overfitting"
    assert diagnose(RESTORABLE, best_epoch="min_val_loss").label == "good fit"
    restored = knows(sure=0.9)  # loss -log 0.9 on every flower: the lowest validation loss
    verdict = check_iris(learner(restored, RESTORABLE), verbose=False)
    assert verdict.passed and verdict.details["kept_epoch"] == ["best"] * 5
    assert "5 of the 5 models kept their best epoch (restore_best_weights)" in verdict
    last = knows(sure=float(np.exp(-0.5)))  # loss 0.5: the last epoch's
    with pytest.raises(AssertionError) as err:
        check_iris(learner(last, RESTORABLE), best_epoch="min_val_loss", verbose=False)
    assert err.value.verdict.details["kept_epoch"] == ["last"] * 5
    assert err.value.verdict.details["fold_labels"] == ["overfitting"] * 5
    assert "but 5 of your 5 trained models hold their last epoch's weights" in str(err.value)
    assert "add restore_best_weights=True to EarlyStopping" in str(err.value)
