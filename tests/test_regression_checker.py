"""The regression checker's mechanics, without training: cross-validation, uncertainty, messages.

The "models" here are plain functions (the true surface, a constant) or untrained
Keras models, handed to the checker by training functions that return them at once,
so every test is fast.  That the course's solution passes and the challenge fails,
with training, is in test_regression.py (slow) and test_regression_calibration.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import constant, trained, true_surface

from dnncourse import data
from dnncourse.checks import check_regression, final_check_regression
from dnncourse.checks._cv import folds
from dnncourse.checks.regression import (
    CLOSE_CALL,
    FOLD_TARGET_MSE,
    FOLDS,
    fold_diagnosis,
    mse_on_test,
)
from dnncourse.diagnose import diagnose

# learning curves of a run still falling far above the noise floor 0.04, and of one levelled off
FALLING = {"loss": list(3.0 + 5 * np.exp(-np.arange(100) / 30)), "val_loss": None}
FALLING["val_loss"] = [1.1 * x for x in FALLING["loss"]]
LEVEL = {"loss": list(3.0 + 5 * np.exp(-np.arange(100) / 3)), "val_loss": None}
LEVEL["val_loss"] = [1.1 * x for x in LEVEL["loss"]]


pytestmark = pytest.mark.usefixtures("fresh_session")


def training_rows():
    (X, y), _ = data.load_regression()
    return X, y


# ---------------------------------------------------------------- cross-validation


def test_every_training_row_is_predicted_once_by_a_model_trained_without_it(capsys):
    X, y = training_rows()
    seen = []  # (rows trained on, rows predicted)

    def build_and_train(X_part, y_part):
        trained_on = {tuple(row) for row in X_part}
        assert len(X_part) == len(y_part) == 80  # 4 of the 5 folds of 100 rows

        def model(X_fold):
            predicted = {tuple(row) for row in np.asarray(X_fold, dtype=float)}
            seen.append((trained_on, predicted))
            return true_surface(X_fold)

        return model, None

    verdict = check_regression(build_and_train)
    assert len(seen) == FOLDS == 5
    every = {tuple(row) for row in X.astype("float32").astype(float)}
    predicted = [p for _, p in seen]
    assert set().union(*predicted) == every and sum(map(len, predicted)) == 100
    for trained_on, p in seen:
        assert not {tuple(np.float32(v) for v in row) for row in trained_on} & p
    sq_err = (true_surface(X) - y) ** 2
    fold_mse = [sq_err[rows].mean() for rows in folds(100, 5, 0)]
    assert verdict.passed and verdict.split == "validation"
    assert verdict.value == pytest.approx(np.median(fold_mse), rel=1e-5)
    assert verdict.target == FOLD_TARGET_MSE == 0.3 and verdict.metric == "typical fold MSE"
    assert verdict.details["mse"] == pytest.approx(sq_err.mean(), rel=1e-5)
    out = capsys.readouterr().out
    assert "5-fold cross-validation on the 100 training rows" in out and "target met" in out


def test_the_verdict_gives_every_fold_and_the_mse_of_all_rows_with_its_uncertainty():
    X, y = training_rows()
    verdict = check_regression(trained(true_surface), verbose=False)
    sq_err = (true_surface(X) - y) ** 2
    se = sq_err.std(ddof=1) / np.sqrt(100)
    assert verdict.details["se"] == pytest.approx(se, rel=1e-5)
    fold_mse = [sq_err[rows].mean() for rows in folds(100, 5, 0)]
    assert verdict.details["fold_mse"] == pytest.approx(fold_mse, rel=1e-5)
    listed = ", ".join(f"{m:.3f}" for m in sorted(fold_mse))
    assert f"The 5 folds' MSEs: {listed}." in verdict
    assert f"Over all 100 rows: MSE {sq_err.mean():.3f} ± {se:.3f} (one standard error" in verdict
    assert "final_check_regression(model)" in verdict
    assert "went wrong" not in verdict and "close call" not in verdict


def test_the_median_decides_and_a_failed_fold_is_named():
    parts = folds(100, 5, 0)
    calls = []

    def build_and_train(X_part, y_part):
        # the first training goes wrong (a constant far off), the other four are exact
        wrong = len(calls) == 0
        calls.append(1)
        return (constant if wrong else true_surface), None

    verdict = check_regression(build_and_train, verbose=False)
    assert verdict.passed and verdict.details["failed_folds"] == 1
    assert verdict.details["mse"] > 1 > FOLD_TARGET_MSE >= verdict.value
    assert "1 of the 5 trainings went wrong (MSE above 1)" in verdict
    assert len(parts) == 5


def test_two_trainings_that_went_wrong_fail_the_check_though_the_median_is_fine():
    calls = []

    def build_and_train(X_part, y_part):
        # the first two trainings go wrong (a constant far off), the other three are exact
        wrong = len(calls) < 2
        calls.append(1)
        return (constant if wrong else true_surface), None

    with pytest.raises(AssertionError) as err:
        check_regression(build_and_train, verbose=False)
    verdict = err.value.verdict
    assert not verdict.passed and verdict.details["failed_folds"] == 2
    assert verdict.value <= FOLD_TARGET_MSE  # the typical training is fine
    assert "expected at most 1 of the 5 trainings to go wrong (MSE above 1), got 2" in str(
        err.value
    )


def test_a_missed_target_raises_expected_got_uncertainty_and_hint():
    _, y = training_rows()
    mse = float(np.mean((3.0 - y) ** 2))
    with pytest.raises(AssertionError) as err:
        check_regression(trained(constant), verbose=False)
    message = str(err.value)
    assert (
        "expected a typical training (the median of the 5 folds) to score MSE <= 0.3, got"
        in message
    )
    assert f"Over all 100 rows: MSE {mse:.3f} ± " in message
    assert "Hint: the noise floor is 0.04" in message  # no history: the general hint
    assert err.value.verdict.details["mse"] == pytest.approx(mse) and not err.value.verdict.passed


@pytest.mark.parametrize(
    ("history", "label"), [(FALLING, "under-trained"), (LEVEL, "underfitting")]
)
def test_the_hint_is_the_most_common_diagnosis_of_the_folds(history, label):
    with pytest.raises(AssertionError) as err:
        check_regression(trained(constant, history), verbose=False)
    assert f"Hint: {label} in 5 of 5 folds: {label}" in str(err.value)
    assert err.value.verdict.details["label"] == label


def test_fold_diagnosis_counts_labels_and_breaks_ties_by_the_first_fold():
    assert fold_diagnosis([FALLING, LEVEL, LEVEL], noise_floor=0.04)[:2] == ("underfitting", 2)
    assert fold_diagnosis([FALLING, LEVEL], noise_floor=0.04)[:2] == ("under-trained", 1)
    # a tie of two folds each: the first fold's label, and the advice of both (a learner's
    # 2-2 split); a 1-1 split gives one advice (the hint's counts show the split)
    advice = fold_diagnosis([FALLING, LEVEL, FALLING, LEVEL], noise_floor=0.04)[2]
    first, second = (diagnose(h, noise_floor=0.04).advice for h in (FALLING, LEVEL))
    assert advice == f"{first.rstrip('.')}. Just as often: {second}"
    assert fold_diagnosis([FALLING, LEVEL], noise_floor=0.04)[2] == first
    assert "Just as often" not in fold_diagnosis([FALLING, LEVEL, LEVEL], noise_floor=0.04)[2]
    label, count, why = fold_diagnosis([None, {"loss": [1.0]}], noise_floor=0.04)
    assert label is None and count == 0 and "return model, history" in why


def test_a_met_target_is_never_hidden_by_an_unreadable_history(capsys):
    verdict = check_regression(trained(true_surface, {"loss": [1.0, 0.5]}))
    assert verdict.passed and "target met" in capsys.readouterr().out


def test_a_typical_fold_in_the_close_call_band_is_called_close_on_either_side():
    # the true surface plus a constant: every fold's MSE is about 0.04 + shift**2
    verdict = check_regression(trained(lambda X: true_surface(X) + 0.45), verbose=False)
    assert verdict.passed and CLOSE_CALL[0] <= verdict.value <= FOLD_TARGET_MSE
    assert "A close call" in verdict
    with pytest.raises(AssertionError, match="A close call") as err:
        check_regression(trained(lambda X: true_surface(X) + 0.55), verbose=False)
    assert FOLD_TARGET_MSE < err.value.verdict.value <= CLOSE_CALL[1]


# ---------------------------------------------------------------- what the learner hands in


def test_a_trained_model_instead_of_the_function_is_refused_saying_what_to_pass():
    import keras

    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    with pytest.raises(TypeError, match=r"Pass the function itself, without calling it"):
        check_regression(model)


def test_a_function_returning_something_else_is_told_what_to_return():
    with pytest.raises(TypeError, match=r"return \(model, history\).*return model, history"):
        check_regression(lambda X, y: 0.5, verbose=False)


def test_nan_predictions_are_named():
    with pytest.raises(AssertionError) as err:
        check_regression(trained(lambda X: np.full(len(X), np.nan)), verbose=False)
    message = str(err.value)
    assert (
        "expected finite predictions, but your model outputs NaN for 100 of 100 inputs" in message
    )
    assert "training diverged" in message


def test_a_scalar_output_is_a_shape_error():
    with pytest.raises(AssertionError, match=r"expected one prediction per input.*Dense\(1\)"):
        check_regression(trained(lambda X: float(np.sum(X))), verbose=False)


def refuses_a_keras_model_of_the_wrong_input_shape():
    """A Keras model taking 3 inputs: the verdict names the input shape (None, 2) it expected
    (also run by tests/test_checks.py, beside the iris checker's)."""
    import keras

    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
    with pytest.raises(AssertionError) as err:
        check_regression(trained(model), verbose=False)
    assert str(err.value) == (
        "regression exercise: expected a model taking inputs of shape (None, 2), got a model "
        "whose input shape is (None, 3). Hint: begin the model with keras.Input(shape=(2,)): "
        "each row is (x1, x2)."
    )


def test_keras_model_with_wrong_input_shape_gets_the_expected_shape():
    refuses_a_keras_model_of_the_wrong_input_shape()


def test_the_test_set_plays_no_part_in_the_iterate_check():
    _, (X_test, _) = data.load_regression()
    test_rows = {tuple(row) for row in X_test.astype("float32")}
    touched = []

    def build_and_train(X, y):
        touched.extend(tuple(row) for row in np.asarray(X, dtype="float32"))

        def model(X_fold):
            touched.extend(tuple(row) for row in X_fold)
            return true_surface(X_fold)

        return model, None

    check_regression(build_and_train, verbose=False)
    assert touched and not test_rows & set(touched)


# ---------------------------------------------------------------- the final step


def test_the_final_step_states_its_uncertainty(capsys):
    _, (X_test, y_test) = data.load_regression()
    verdict = final_check_regression(true_surface)
    sq_err = (true_surface(X_test) - y_test) ** 2
    assert verdict.passed and verdict.split == "test"
    assert verdict.value == pytest.approx(mse_on_test(true_surface))
    assert verdict.details["se"] == pytest.approx(sq_err.std(ddof=1) / np.sqrt(40))
    out = capsys.readouterr().out
    assert out.startswith(
        "PASSED: regression exercise, FINAL test score (40 test points, scored once)"
    )
    assert f"Uncertainty: ± {verdict.details['se']:.3f} (one standard error" in out
    assert "40 test points are few" in out


def test_the_final_step_reports_a_miss_with_its_uncertainty_without_raising():
    verdict = final_check_regression(constant)
    assert not verdict.passed and "target missed: expected test MSE <= 0.1, got" in verdict
    assert "Uncertainty: ±" in verdict


# ---------------------------------------------------------------- the page's surface figure


def test_the_surface_plot_takes_a_predicted_grid_or_a_function():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from dnncourse import plots

    X, y = training_rows()
    g = np.linspace(0.0, 1.0, 25)
    G1, G2 = np.meshgrid(g, g)
    Z = true_surface(np.column_stack([G1.ravel(), G2.ravel()])).reshape(G1.shape)
    drawn = []
    for kwargs in ({"grid": (G1, G2, Z)}, {"surface": true_surface}):
        fig = plots.plot_regression_data(X, y, **kwargs)
        (wire,) = fig.axes[0].collections[1:]
        drawn.append(np.concatenate([np.ravel(s) for s in wire._segments3d]))
        plt.close(fig)
    np.testing.assert_allclose(drawn[0], drawn[1])
    with pytest.raises(ValueError, match="got both"):
        plots.plot_regression_data(X, y, surface=true_surface, grid=(G1, G2, Z))
    with pytest.raises(ValueError, match=r"reshape the predictions with \.reshape\(G1\.shape\)"):
        plots.plot_regression_data(X, y, grid=(G1, G2, Z.ravel()))


def test_mse_on_test_checks_its_arguments_before_loading_the_data():
    with pytest.raises(TypeError, match=r"mse_on_test\(\), argument model: expected a trained"):
        mse_on_test("model.keras")
    with pytest.raises(
        TypeError, match=r"mse_on_test\(\), argument preprocess: expected a function"
    ):
        mse_on_test(true_surface, preprocess=3)


# A good fit: both losses fall to the noise floor 0.04 and level off there together.
GOOD = {"loss": list(0.04 + 5 * np.exp(-np.arange(100) / 5)), "val_loss": None}
GOOD["val_loss"] = [1.05 * x for x in GOOD["loss"]]


def some_go_wrong(n_wrong):
    """A training function whose first ``n_wrong`` trainings go wrong (a constant 3, curves
    still falling far above the floor) and whose others fit the surface (a good fit)."""
    calls = []

    def train(X, y):
        calls.append(len(X))
        if len(calls) <= n_wrong:
            return constant, FALLING
        return true_surface, GOOD

    return train


def test_the_hint_reads_the_trainings_that_went_wrong_not_the_good_ones():
    """A learner's 32-32 ReLU run failed with 2 of 5 trainings gone wrong, and the hint
    described the 3 good ones ("good fit in 3 of 5 folds")."""
    assert fold_diagnosis([GOOD], noise_floor=0.04)[0] == "good fit"
    with pytest.raises(AssertionError) as err:
        check_regression(some_go_wrong(2), verbose=False)
    message = str(err.value)
    assert "expected at most 1 of the 5 trainings to go wrong" in message
    assert "Hint: under-trained in 2 of the 2 trainings that went wrong: under-trained" in message


def test_a_pass_with_one_training_gone_wrong_shows_what_its_curves_say(capsys):
    verdict = check_regression(some_go_wrong(1), verbose=False)
    assert verdict.passed and verdict.details["failed_folds"] == 1
    out = capsys.readouterr().out
    assert "1 of the 5 trainings went wrong" in out
    assert "The hint: under-trained in 1 of the 1 trainings that went wrong: under-trained" in out
