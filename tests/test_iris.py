"""The iris exercise: solution meets both targets, checker and diagnosis are right.

Each solution and challenge run trains once per seed (module-scoped fixtures).
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import training_fixture

from dnncourse import data
from dnncourse.challenges import run_iris_challenge
from dnncourse.checks import check_iris, final_check_iris
from dnncourse.checks.final import forget_final_runs
from dnncourse.checks.iris import TARGET_ACCURACY, VAL_TARGET_ACCURACY
from dnncourse.data.iris import NEW_CLASSES, NEW_SAMPLES
from dnncourse.diagnose import diagnose
from dnncourse.solutions import solve_iris
from dnncourse.training import holdout

SEEDS = (0, 1, 2)


@training_fixture(scope="module")
def solutions():
    return {seed: solve_iris(seed=seed) for seed in SEEDS}


@training_fixture(scope="module")
def challenges():
    return {seed: run_iris_challenge(seed=seed) for seed in SEEDS}


def independent_scores(model):
    """(test accuracy, predicted classes of the two new flowers), computed with ``predict``."""
    _, (X_test, y_test) = data.load_iris()
    accuracy = float(np.mean(model.predict(X_test, verbose=0).argmax(axis=1) == y_test))
    return accuracy, model.predict(NEW_SAMPLES, verbose=0).argmax(axis=1)


def meets_targets(model):
    accuracy, new = independent_scores(model)
    return accuracy >= 29 / 30 - 1e-9 and new.tolist() == [1, 2]


def independent_val_accuracy(model):
    """Accuracy on the 24 validation flowers (last 20 % of the training file), with ``predict``."""
    (X_train, y_train), _ = data.load_iris()
    _, (X_val, y_val) = holdout(X_train, y_train, 0.2)
    return float(np.mean(model.predict(X_val, verbose=0).argmax(axis=1) == y_val))


def meets_validation_targets(model):
    _, new = independent_scores(model)
    return independent_val_accuracy(model) >= 22 / 24 - 1e-9 and new.tolist() == [1, 2]


@pytest.mark.parametrize("seed", SEEDS)
def test_solution_meets_targets(solutions, seed):
    model, history = solutions[seed]
    accuracy, new = independent_scores(model)
    assert accuracy >= 29 / 30 - 1e-9
    assert new.tolist() == NEW_CLASSES.tolist() == [1, 2]
    verdict = check_iris(model, history)  # iterate on validation
    assert verdict.passed and verdict.count("target met") == 2
    assert verdict.value == pytest.approx(independent_val_accuracy(model))
    assert verdict.value >= VAL_TARGET_ACCURACY == 22 / 24
    forget_final_runs()
    final = final_check_iris(model)  # then the test set, once
    assert final.passed and final.value == pytest.approx(accuracy)
    assert len(history.history["val_loss"]) < 300  # stopped early on the validation data
    # diagnosed at the epoch early stopping restored, the solution is no longer "overfitting"
    d = diagnose(history, best_epoch="min_val_loss")
    assert d.label == "good fit", str(d)
    assert "add L2" not in d.advice


def blank_model():
    """What the fill-in cell builds before training: scaled inputs, untrained layers."""
    import keras

    keras.utils.set_random_seed(0)
    (X_train, _), _ = data.load_iris()
    scale = keras.layers.Normalization()
    scale.adapt(X_train[:96])
    return keras.Sequential(
        [keras.Input(shape=(4,)), scale, keras.layers.Dense(16, activation="relu"),
         keras.layers.Dense(3, activation="softmax")]
    )  # fmt: skip


def constant_model():
    """Gives every flower the same probabilities, favouring versicolor."""
    import keras

    return keras.Sequential(
        [keras.Input(shape=(4,)),
         keras.layers.Dense(3, activation="softmax", kernel_initializer="zeros",
                            bias_initializer=keras.initializers.Constant([0.0, 1.0, 0.0]))]
    )  # fmt: skip


@pytest.mark.parametrize("make", [blank_model, constant_model])
def test_checker_rejects_blank(make):
    model = make()
    accuracy, _ = independent_scores(model)
    assert accuracy < TARGET_ACCURACY
    val_accuracy = independent_val_accuracy(model)
    expected = r"expected validation accuracy >= 0\.9167, got"
    with pytest.raises(AssertionError, match=expected) as err:
        check_iris(model)
    assert f"got {val_accuracy:.4g}" in str(err.value)
    forget_final_runs()
    final = final_check_iris(model)
    assert not final.passed and f"got {accuracy:.4g}" in final


def test_checker_requires_the_new_flowers(solutions):
    """A model right on the test set but wrong on the second new flower fails."""
    model, _ = solutions[0]

    class SecondFlowerWrong:
        """Wraps the solution, flipping classes 1 and 2 for the border flower only."""

        def __call__(self, X, training=False):
            P = np.array(model(X, training=training))
            border = np.all(np.isclose(X, NEW_SAMPLES[1]), axis=1)
            P[border] = P[border][:, [0, 2, 1]]
            return P

    with pytest.raises(AssertionError, match="correctly predicted new samples >= 2, got 1"):
        check_iris(SecondFlowerWrong())


@pytest.mark.parametrize("seed", SEEDS)
def test_challenge_overfits(challenges, seed):
    _, history = challenges[seed]
    d = diagnose(history)
    assert d.label == "overfitting", str(d)


@pytest.mark.parametrize("seed", SEEDS)
def test_checker_verdict_on_challenge_matches_the_targets(challenges, seed):
    """The checker accepts the challenge model exactly when it meets both targets.

    The challenge network overfits (see above), but on only 30 test flowers an
    overfitted model can still reach 29/30: the checker judges the targets, not
    the curves, so it rejects the challenge run only where the targets are missed.
    """
    model, history = challenges[seed]
    if meets_validation_targets(model):
        assert check_iris(model, history).count("target met") == 2
    else:
        with pytest.raises(AssertionError, match=r"iris exercise(, validation)?: expected"):
            check_iris(model, history)
    forget_final_runs()
    assert final_check_iris(model).passed == meets_targets(model)


def test_checker_rejects_the_challenge_on_some_seed(challenges):
    rejected = [seed for seed, (model, _) in challenges.items() if not meets_targets(model)]
    assert rejected, "the challenge setting met both targets on every seed"
    # On validation the challenge (100 epochs) is rarely worse than the solution: 24 flowers
    # barely tell them apart. It is rejected there on some seed (seed 1: a new flower wrong).
    rejected = [s for s, (model, _) in challenges.items() if not meets_validation_targets(model)]
    assert rejected, "the challenge setting passed validation on every seed"


# ------------------------------------------------- the page's walkthrough does not solve it

#: The page's own unseen pair: the training means of versicolor and virginica, rounded.
UNSEEN = np.array([[5.9, 2.8, 4.3, 1.3], [6.6, 3.0, 5.6, 2.0]])


@training_fixture(scope="module")
def walkthroughs():
    from dnncourse.challenges.iris import run_iris_walkthrough

    return {seed: run_iris_walkthrough(seed=seed) for seed in SEEDS}


@pytest.mark.parametrize("seed", SEEDS)
def test_walkthrough_misses_the_target(walkthroughs, seed):
    """Copying the walkthrough does not pass, on validation or on the test flowers."""
    model, history = walkthroughs[seed]
    assert independent_val_accuracy(model) < VAL_TARGET_ACCURACY
    assert not meets_targets(model)
    with pytest.raises(AssertionError, match=r"iris exercise(, validation)?: expected"):
        check_iris(model, history)
    # what the page says of its curves: validation loss still falling, no higher than training
    d = diagnose(history)
    assert d.evidence["val_trend"] < -0.05 and d.evidence["gap_ratio"] < 1.5, str(d)


def test_unseen_pair_is_unseen_and_typical():
    """The page's pair is in neither file; its seven nearest training flowers share its class."""
    (X_train, y_train), (X_test, _) = data.load_iris()
    X_all = np.concatenate([X_train, X_test])
    assert not np.all(np.isclose(X_all[:, None, :], UNSEEN), axis=2).any()
    for c, u in zip((1, 2), UNSEEN, strict=True):
        assert np.allclose(np.round(X_train[y_train == c].mean(axis=0), 1), u)
        nearest = np.argsort(np.linalg.norm(X_train - u, axis=1))[:7]
        assert (y_train[nearest] == c).all()
    # and the workshop's first "new" flower is a training versicolor, as the page says
    rows = np.all(np.isclose(X_train, NEW_SAMPLES[0]), axis=1)
    assert rows.sum() == 1 and y_train[rows][0] == 1


@pytest.mark.parametrize("seed", SEEDS)
def test_solution_classifies_the_unseen_pair(solutions, seed):
    model, _ = solutions[seed]
    assert model.predict(UNSEEN, verbose=0).argmax(axis=1).tolist() == [1, 2]
