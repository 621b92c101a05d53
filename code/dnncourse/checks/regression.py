"""Self-check of the regression exercise: cross-validated while iterating, the test points once.

:func:`check_regression` takes your *training procedure*, a function
``build_and_train(X, y) -> (model, history)``, and cross-validates it on the 100
rows of the training file (``dnncourse.checks._cv.cross_validate``): 5 times
it trains on 80 rows and predicts the other 20, so every training row is
predicted once by a model that never saw it.  The 20 rows a single run holds out
would be too few to judge by, and early stopping has already chosen its epoch on
them.  Run it as often as you like; the test set is not touched.
:func:`final_check_regression` scores the 40 test points once.

Why two targets (chosen on fresh draws from the data's generator, never on the
test file; ``tests/test_regression_calibration.py`` measures them weekly):

* **Final: test MSE at most 0.10** (:data:`TARGET_MSE`), two and a half times
  the noise floor 0.04, for the one model trained on all 100 training rows.
* **Iterate: a typical training's MSE at most 0.3** (:data:`FOLD_TARGET_MSE`):
  the median of the 5 folds' MSEs.  The final verdict rests on one training of
  the procedure; the check sees five, each on 80 rows (64 to fit, 16 to stop on)
  and each scored on only 20 rows.  A model fitted on 64 of these points misses
  the surface by far more than one fitted on 80 (for the course's solution, about
  1.5 to 3 times the MSE), so a typical fold scores well above what the final
  model will.  The median decides, not the mean of all 100 rows, because one
  training that went wrong (stuck on a plateau: MSE 2 or more on its fold) lifts
  the mean far above what a typical run scores, while the final verdict rests on
  one, usually typical, run.  The check also asks that at most one of the five
  trainings went wrong (:data:`MAX_FAILED_FOLDS`; fold MSE above
  :data:`FAILED_FOLD_MSE`): a procedure that goes wrong in two of five trainings
  is about as likely as not to go wrong in the one final training.  One such
  fold is named in the message as a warning.
* **How the threshold was chosen.**  The 12 learner-like procedures of
  ``tests/learners_regression.py`` (good, borderline and faulty) were checked and
  then trained once and scored, on two fresh draws of 100 + 40 points (24 runs).
  With the median at most 0.25, 0.3 or 0.35 the two verdicts agreed in 23 of the
  24 runs; the mean of all 100 rows agreed in at most 22 (21 at the former target
  0.15).  0.3 is the middle of that plateau.  The runs whose typical fold fell
  between 0.15 and 0.35 (:data:`CLOSE_CALL`) went both ways: on the fresh draws
  three of four met the final target; on the course's file, of the nine, five met
  it and four missed (one at a typical fold of 0.19), and a learner's own model
  (two swish layers of 32, Adam with the rate halved on plateaus) passed at 0.164
  and then missed at 0.130, its true error 0.122.  So the message calls any
  score in that band a close call, passed or not.  That agreement flatters, as the threshold was chosen on those runs; on the course's
  own file, not used to choose it, the rule agreed in 33 of 36 runs (the 12
  procedures on seeds 0, 1, 2).  The reliability rule was added for the reason
  above, not from data: on both studies it changes no agreement count.  The mean
  over all 100 rows and its standard error are reported too.
"""

from __future__ import annotations

import numpy as np

from ..data import load_regression
from ..data.regression import NOISE_SIGMA
from ._common import (
    DIVERGED,
    Verdict,
    curve_hint,
    fold_diagnosis,
    nonfinite,
    predict,
    unread_note,
    validation_verdict,
)
from ._cv import cross_validate, plus_minus, standard_error
from ._cv import folds as fold_rows
from .final import final_verdict

#: The exercise's final target: MSE on the 40 test points; the noise floor is NOISE_SIGMA**2 = 0.04.
TARGET_MSE = 0.10
#: The iterate target: the median of the folds' MSEs, a typical training (module docstring).
FOLD_TARGET_MSE = 0.3
#: Typical fold MSEs for which the final verdict went both ways on fresh draws (module docstring).
CLOSE_CALL = (0.15, 0.35)
#: A fold MSE above this means that training went wrong (a plateau far from the surface).
FAILED_FOLD_MSE = 1.0
#: At most this many of the folds' trainings may go wrong (module docstring).
MAX_FAILED_FOLDS = 1
#: The number of folds of the cross-validation; each trains on 80 of the 100 training rows.
FOLDS = 5
TASK = "regression exercise"
INPUT_HINT = "begin the model with keras.Input(shape=(2,)): each row is (x1, x2)"


def _predict(model, X, preprocess=None):
    """Predictions of shape (n,), with the checker's errors for wrong shapes."""
    X = X if preprocess is None else preprocess(X)
    y_hat = predict(model, X, TASK, INPUT_HINT)
    if y_hat.size != len(X):
        raise AssertionError(
            f"{TASK}: expected one prediction per input, shape ({len(X)}, 1), got shape "
            f"{y_hat.shape}. Hint: the last layer should be Dense(1)."
        )
    return y_hat.reshape(-1)


def mse_on_test(model, preprocess=None):
    """Mean squared error of ``model`` on the 40 test points (no message, no "once" record).

    Parameters
    ----------
    model : keras.Model or callable
        Maps inputs of shape (40, 2) to predictions of shape (40,) or (40, 1).
    preprocess : callable, optional
        Applied to the raw test inputs first, if your model expects scaled
        inputs (better: put a ``Normalization`` layer inside the model).

    Returns
    -------
    float
        NaN when any prediction is not finite.
    """
    from ._door import check_arguments

    check_arguments("mse_on_test", model, (2,), preprocess=preprocess)
    _, (X_test, y_test) = load_regression()
    return float(np.mean((_predict(model, X_test, preprocess) - y_test) ** 2))


def check_regression(build_and_train, *, folds=FOLDS, seed=0, best_epoch=None, verbose=True):
    """Iterate on this: does a typical training of your procedure reach MSE <= 0.3 on new rows?

    Cross-validates ``build_and_train`` on the 100 training rows: ``folds`` times it
    trains on all rows but one fold and predicts that fold, so every row is
    predicted once by a model that never saw it.  The verdict reads the median of
    the folds' MSEs (a typical training; see the module docstring for the target);
    the message also gives every fold's MSE and the MSE over all 100 rows with its
    standard error, and names trainings that went wrong.

    Parameters
    ----------
    build_and_train : callable
        ``build_and_train(X, y) -> (model, history)``: builds, compiles and trains
        a fresh model on the rows ``X`` (shape (n, 2), raw) and ``y`` (shape
        (n,)) it is given, holding out its own validation rows for early stopping
        (e.g. the last 20 %, as ``validation_split=0.2``).  The model receives raw
        inputs of shape (m, 2) and returns m predictions; ``history`` is what
        ``fit`` returned.  Pass the function itself, not a trained model.
    folds : int
        Number of folds (5: each training sees 80 rows; the final one sees 100).
    seed : int
        Seeds the folds and ``keras.utils.set_random_seed(seed + fold)``.
    best_epoch : optional
        Passed to :func:`~dnncourse.diagnose.diagnose` for the hint
        (``"min_val_loss"`` if your model keeps the best epoch's weights).
    verbose : bool
        Print a progress line while the folds train.

    Returns
    -------
    Verdict
        The success message (also printed); ``.value`` is the typical (median) fold
        MSE; ``.details`` holds ``mse`` (over all rows) and ``se`` (its standard
        error), ``folds``, ``fold_mse`` (one per fold), ``failed_folds`` (with MSE
        above 1), ``label`` (the most common diagnosis of the folds' curves) and
        ``seconds``.

    Raises
    ------
    TypeError
        When ``build_and_train`` is a trained model, not callable or not callable
        as ``build_and_train(X, y)``, or returns something other than ``(model,
        history)``; or ``folds``, ``seed``, ``best_epoch`` or ``verbose`` is of a
        wrong kind (all checked before any data is loaded).
    ValueError
        When ``folds`` is not in [2, 100] or ``seed`` is negative.
    AssertionError
        "expected a typical training ... to score MSE <= 0.3, got ..." (or
        "expected at most 1 of the 5 trainings to go wrong ...") with the folds'
        MSEs, the overall MSE and its uncertainty, and a hint, when the target is
        missed or predictions are not finite (its
        ``.verdict`` holds the numbers, as the returned ``Verdict`` would, with
        ``passed=False``); or when the model's input or output shape is wrong.
    """
    from ._cv import check_cv_arguments

    folds, seed = check_cv_arguments(
        "check_regression", build_and_train, folds, seed, best_epoch, verbose, n_rows=100
    )
    (X_train, y_train), _ = load_regression()  # the test set stays untouched
    y_hat, histories, seconds = cross_validate(
        build_and_train, X_train, y_train, task=TASK, k=folds, seed=seed,
        predict_fold=_predict, verbose=verbose,
    )  # fmt: skip
    bad = nonfinite(y_hat)
    sq_err = (y_hat - y_train) ** 2  # shape (100,): each row's error, from a model without it
    mse, se = float(np.mean(sq_err)), standard_error(sq_err)
    fold_mse = [float(np.mean(sq_err[rows])) for rows in fold_rows(len(X_train), folds, seed)]
    # where some trainings went wrong, the hint reads those (the others went fine)
    wrong = [h for h, m in zip(histories, fold_mse, strict=True) if m > FAILED_FOLD_MSE]
    read = wrong if 0 < len(wrong) < folds else histories
    label, count, advice = fold_diagnosis(read, noise_floor=NOISE_SIGMA**2, best_epoch=best_epoch)
    rows = (
        f"{folds}-fold cross-validation on the {len(X_train)} training rows: each predicted by a "
        f"model trained without it"
    )
    typical = float(np.median(fold_mse))  # the verdict: a typical one of the trainings
    listed = ", ".join(f"{m:.3f}" for m in sorted(fold_mse))
    failed = sum(m > FAILED_FOLD_MSE for m in fold_mse)
    facts = (
        f"\nThe {folds} folds' MSEs: {listed}. Over all {len(X_train)} rows: MSE {mse:.3f} "
        f"{plus_minus(se, '.3f')}."
    )
    if 0 < failed < folds:  # some trainings went wrong, not all: the procedure is unreliable
        facts += (
            f"\n{failed} of the {folds} trainings went wrong (MSE above {FAILED_FOLD_MSE:g}): your "
            "final training can go wrong the same way; make the procedure reliable (the hint "
            "reads the learning curves of the trainings that went wrong)."
        )
    if CLOSE_CALL[0] <= typical <= CLOSE_CALL[1]:
        facts += (
            "\nA close call: procedures that scored like this went both ways in the final "
            "test; make it more reliable or more accurate before the one final training."
        )
    if bad:
        passed, line = False, f"{TASK}, validation: expected finite predictions, but {bad}."
    else:
        reliable = failed <= MAX_FAILED_FOLDS
        passed = typical <= FOLD_TARGET_MSE and reliable
        if passed:
            line = (
                f"{TASK}, validation ({rows}; iterate on this): target met. A typical training "
                f"(the median of the {folds} folds) scores MSE {typical:.3f} on the rows it never "
                f"saw, <= {FOLD_TARGET_MSE:g}.{facts}"
            )
        elif typical > FOLD_TARGET_MSE:
            line = (
                f"{TASK}, validation ({rows}): expected a typical training (the median of the "
                f"{folds} folds) to score MSE <= {FOLD_TARGET_MSE:g}, got {typical:.3f}.{facts}"
            )
        else:
            line = (
                f"{TASK}, validation ({rows}): expected at most {MAX_FAILED_FOLDS} of the "
                f"{folds} trainings to go wrong (MSE above {FAILED_FOLD_MSE:g}), got {failed}; a "
                f"typical training scores MSE {typical:.3f}, <= {FOLD_TARGET_MSE:g}, but a "
                f"procedure that goes wrong this often may go wrong in the final training.{facts}"
            )
    if bad:
        hint = DIVERGED
    elif label is None:
        hint = (
            f"the noise floor is {NOISE_SIGMA**2:.2g}; scale the inputs, use a bigger model or "
            f"Adam, train longer (no diagnosis of your learning curves: {advice})"
        )
    else:
        which = (
            f"of the {len(read)} trainings that went wrong"
            if read is wrong
            else f"of {folds} folds"
        )
        hint = curve_hint(f"{label} in {count} {which}: {advice}", "check_regression")
    if passed and read is wrong:  # a pass shows no hint: say what the wrong training's curves say
        line += f"\nThe hint: {hint}" + ("" if hint.endswith(".") else ".")
    verdict = {
        "metric": "typical fold MSE",
        "value": typical,
        "target": FOLD_TARGET_MSE,
        "details": {
            "mse": mse,
            "se": se,
            "folds": folds,
            "fold_mse": fold_mse,
            "failed_folds": failed,
            "label": label,
            "seconds": seconds,
        },
    }
    final_call = "train once on all 100 training rows, then final_check_regression(model)"
    note = ""
    if passed and label is None:  # met: no hint is shown, so an unread history is named here
        note = unread_note(histories, noise_floor=NOISE_SIGMA**2, best_epoch=best_epoch)
    lines = [(passed, line), (True, note)] if note else [(passed, line)]
    try:
        return validation_verdict(lines, final_call, hint, **verdict)
    except AssertionError as err:  # the numbers travel with the error, for tests and tools
        err.verdict = Verdict(str(err), passed=False, split="validation", **verdict)
        raise


def final_check_regression(model, preprocess=None):
    """Score the 40 test points once: the final MSE to report (never raises on a miss).

    Parameters
    ----------
    model : keras.Model or callable
        Your final model, trained once on the whole training file (e.g. with
        ``model, history = build_and_train(X_train, y_train)``); it receives raw
        inputs of shape (40, 2).  A plain function ``f(X)`` works too.
    preprocess : callable, optional
        Applied to the raw inputs first (better: a ``Normalization`` layer inside the model).

    Returns
    -------
    Verdict
        ``.passed`` is whether test MSE <= 0.10; ``.value`` the test MSE;
        ``.details["se"]`` its standard error over the 40 points.

    Raises
    ------
    TypeError
        Before any data is loaded, when ``model`` is no trained model (a string, a
        class, the training function ``f(X, y)``), or ``preprocess`` is neither None
        nor a function (for a scaler object, pass ``scaler.transform``).
    AssertionError
        When the model takes another input shape, fails on the inputs or returns
        outputs of a wrong shape.
    """
    from ._door import check_arguments

    check_arguments("final_check_regression", model, (2,), preprocess=preprocess)
    _, (X_test, y_test) = load_regression()
    y_hat = _predict(model, X_test, preprocess)
    sq_err = (y_hat - y_test) ** 2
    mse = float(np.mean(sq_err))
    bad = nonfinite(y_hat)
    se = standard_error(sq_err) if not bad else float("nan")
    words = (
        f"Uncertainty: {plus_minus(se, '.3f')}; {len(y_test)} test points are few, so judge "
        "the number with its standard error."
    )
    uncertainty = None if bad else (True, words)
    return final_verdict(
        TASK,
        f"{len(y_test)} test points",
        "test MSE",
        mse,
        TARGET_MSE,
        False,
        y_hat,
        bad=bad,
        extra=uncertainty,
        details={"se": se},
    )
