"""Self-check of the MNIST exercise: accuracy >= 0.99, on validation while iterating.

:func:`check_mnist` scores the 5,000 validation images that
:func:`dnncourse.data.mnist.load_prepared` holds out of the training images (run it
as often as you like); :func:`final_check_mnist` scores the 10,000 test digits once.
The digits are prepared as on the page (:func:`dnncourse.data.mnist.prepare`: floats
in [0, 1], shape (n, 28, 28, 1)), so the model must take that input and return 10
class scores per digit.

Unlike the regression and iris checkers, :func:`check_mnist` scores the trained
model on one hold-out instead of cross-validating the learner's training function:
5,000 images pin an accuracy near 0.99 down to about 0.0014 (one binomial standard
error), while k folds would train the learner's network k times for every check.
Both verdicts state their standard error in plain words.
"""

from __future__ import annotations

import math

from .._args import Arguments
from ._common import (
    DIVERGED,
    diagnosis_hint,
    predict,
    scored_accuracy,
    unread_note,
    validation_line,
    validation_verdict,
)
from ._cv import plus_minus
from .final import final_verdict

TARGET_ACCURACY = 0.99
TASK = "MNIST exercise"
INPUT_HINT = (
    "begin the model with keras.Input((28, 28, 1)) and pass digits prepared with "
    "dnncourse.data.mnist.prepare"
)
BATCH = 1000  # images per call: bounds the memory a direct model call needs


def binomial_se(accuracy, n):
    """Standard error of an accuracy measured on ``n`` images: sqrt(p (1 - p) / n).

    Each image is right or wrong, so the number right is binomial; the accuracy's
    spread from one set of ``n`` images to another is this much (0 for p = 0 or 1).

    Raises
    ------
    TypeError, ValueError
        When ``accuracy`` is not a number in [0, 1] or ``n`` not a whole number >= 1.
    """
    door = Arguments("binomial_se")
    accuracy = float(door.real("accuracy", accuracy, low=0, high=1, example=0.99))
    n = door.integer("n", n, low=1, example=5000)
    return math.sqrt(max(accuracy * (1 - accuracy), 0.0) / n)


def uncertainty(accuracy, n, what, target=TARGET_ACCURACY, predicts=None):
    """The accuracy with its standard error in plain words, e.g. ``"... 0.9912 ± 0.0013 ..."``.

    Parameters
    ----------
    accuracy : float
    n : int
        Images scored.
    what : str
        Names them, e.g. ``"validation images"``.
    target : float
        Without ``predicts``: when it lies within two standard errors of the
        accuracy, the sentence says that the model may land on either side of it
        on other digits.
    predicts : int, optional
        The number of test digits whose verdict this score predicts (the final
        check's).  They are another draw of digits, from other writers, so for a
        model at the target the two scores differ by chance by about
        ``s = sqrt(t (1 - t) / n + t (1 - t) / predicts)`` (``t`` the target: the
        same band for every model, as the MNIST page states it).  When the
        accuracy lies within ``2 s`` of the target, the text says how often the
        test score lands on the other side by sampling alone,
        ``Phi(-|accuracy - target| / s)`` (a normal approximation), and that
        changing the model until this check passed makes it more likely.
    """
    door = Arguments("uncertainty")
    accuracy = float(door.real("accuracy", accuracy, low=0, high=1, example=0.99))
    n = door.integer("n", n, low=1, example=5000)
    what = door.text("what", what, example="validation images")
    target = float(door.real("target", target, low=0, high=1, low_open=True, example=0.99))
    if predicts is not None:
        predicts = door.integer("predicts", predicts, low=1, example=10_000)
    se = binomial_se(accuracy, n)
    text = f"On {n:,} {what} that is {accuracy:.4f} {plus_minus(se, '.2g')}."
    distance = abs(accuracy - target)
    if predicts is None:
        if distance < 2 * se:  # exactly on the target is nearest of all
            text += (
                f" The target {target:g} is less than two standard errors away: on other "
                "digits this model may land on either side of it."
            )
        return text
    spread = math.hypot(binomial_se(target, n), binomial_se(target, predicts))
    if distance < 2 * spread:  # a target of 1 has no spread: never near by chance
        # Phi(-distance / spread): inside the band at least Phi(-2), about 2 in 100
        other = 0.5 * math.erfc(distance / spread / math.sqrt(2))
        passed = accuracy >= target
        away = f"{distance:.4f}"
        where = (
            f"The target {target:g} is {away} away"
            if float(away)
            else f"That is the target {target:g} itself"
        )
        text += (
            f" {where}. By chance alone, the "
            f"{predicts:,} test digits' score typically differs from this one by {spread:.4f}, "
            f"so the final check would land {'below' if passed else 'at or above'} the target "
            f"about {round(100 * other)} times in 100"
            + (
                " (more often if you changed the model until this check passed)."
                if passed
                else ": a pass on the test digits would be luck, so keep iterating."
            )
        )
    return text


def _scores(model, X):
    """Class scores of shape (n, 10), with the checker's errors for wrong shapes."""
    scores = predict(model, X, TASK, INPUT_HINT, batch_size=BATCH)
    if scores.shape != (len(X), 10):
        raise AssertionError(
            f"{TASK}: expected the model to return 10 class scores per digit, shape "
            f"({len(X)}, 10), got {scores.shape}. Hint: end with Dense(10, "
            "activation='softmax') and take input of shape (28, 28, 1)."
        )
    return scores


def check_mnist(model, history=None, target=TARGET_ACCURACY, best_epoch=None):
    """Iterate on this: validation accuracy on the 5,000 held-out training images.

    Parameters
    ----------
    model : keras.Model or callable
        Input (None, 28, 28, 1), output (None, 10).  A plain function ``f(X)``
        taking a float32 array of shape (n, 28, 28, 1) works too.
    history : keras.callbacks.History or dict, optional
        The ``fit`` history with validation curves; on failure its diagnosis
        becomes the hint.
    target : float
        Accuracy to reach (the exercise asks for 0.99).
    best_epoch : optional
        Passed to :func:`~dnncourse.diagnose.diagnose` (the epoch your model keeps).

    Returns
    -------
    Verdict
        The success message (also printed); ``.value`` is the validation accuracy,
        ``.details["se"]`` its binomial standard error.

    Raises
    ------
    AssertionError
        Saying expected and got accuracy, by how much it fell short, and a hint;
        or that the input or output shape is wrong, or the outputs are not finite.
    TypeError, ValueError
        Before MNIST is loaded, when ``model`` is no model (or a function that
        cannot be called as ``f(X)``), ``history`` is neither None nor a
        ``History`` or dict, ``target`` is not a number in (0, 1], or
        ``best_epoch`` is of a wrong kind.  A history whose curves cannot be read
        is named after the verdict: in the hint of a missed target, in a
        sentence of its own after a met one.
    """
    from ..data.mnist import MNIST_SHAPES, N_VAL, load_mnist, prepare
    from ._door import check_arguments

    check_arguments("check_mnist", model, (28, 28, 1), history=history, target=target,
                    best_epoch=best_epoch)  # fmt: skip
    (X_train, y_train), _ = load_mnist()
    X_val, y_val = prepare(X_train[-N_VAL:]), y_train[-N_VAL:]  # as load_prepared holds out
    scores = _scores(model, X_val)
    accuracy, bad = scored_accuracy(scores, y_val)
    line = validation_line(
        TASK,
        f"the {len(y_val):,} training images held out for validation",
        "validation accuracy",
        accuracy,
        target,
        bad=bad,
    )
    if not bad:  # the verdict, then how far it could move on other images
        n_test = MNIST_SHAPES["y_test"][0]  # the digits final_check_mnist will score
        spread = uncertainty(accuracy, len(y_val), "validation images", target, n_test)
        line = (line[0], f"{line[1]}\n{spread}")
    fallback = "train longer, or change the model's size or regularisation"
    hint = (
        DIVERGED if bad else diagnosis_hint(history, fallback, "check_mnist", best_epoch=best_epoch)
    )
    # met: no hint is shown, so a history that cannot be read is named after the verdict
    note = unread_note([history], best_epoch=best_epoch) if line[0] else ""
    return validation_verdict(
        [line, (True, note)] if note else [line],
        "final_check_mnist(model)",
        hint,
        metric="validation accuracy",
        value=accuracy,
        target=target,
        details={"se": binomial_se(accuracy, len(y_val)), "n": len(y_val)},
    )


def final_check_mnist(model, target=TARGET_ACCURACY):
    """Score the 10,000 test digits once: the final accuracy to report (never raises on a miss).

    Parameters
    ----------
    model, target
        As for :func:`check_mnist`.

    Returns
    -------
    Verdict
        ``.passed``: test accuracy >= ``target``; ``.value`` the test accuracy,
        ``.details["se"]`` its binomial standard error.

    Raises
    ------
    TypeError, ValueError
        Before MNIST is loaded, when ``model`` is no trained model (a string, a
        class, the training function ``f(X, y)``) or ``target`` is not a number
        in (0, 1].
    AssertionError
        When the model takes another input shape, fails on the inputs or returns
        outputs of a wrong shape.
    """
    from ..data.mnist import load_mnist, prepare
    from ._door import check_arguments

    check_arguments("final_check_mnist", model, (28, 28, 1), target=target)
    _, (X_test, y_test) = load_mnist()
    X_test = prepare(X_test)
    scores = _scores(model, X_test)
    accuracy, bad = scored_accuracy(scores, y_test)
    return final_verdict(
        TASK,
        f"{len(y_test):,} test digits",
        "test accuracy",
        accuracy,
        target,
        True,
        scores.argmax(axis=1),
        bad=bad,
        extra=None if bad else (True, uncertainty(accuracy, len(y_test), "test digits", target)),
        details={"se": binomial_se(accuracy, len(y_test)), "n": len(y_test)},
    )
