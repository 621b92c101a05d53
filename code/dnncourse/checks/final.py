"""The final step of an exercise: score the test set once and say that the number is final.

While iterating, the ``check_*`` functions score validation rows held out from the
training file.  ``final_check_regression``, ``final_check_iris`` and
``final_check_mnist`` (or :func:`dnncourse.checks.final_test`, which dispatches to them
by task name) score the test set.  It reports a missed target without
raising: the final number is reported whatever it is, and an error would invite
"fix it and run again", which is tuning on the test set.

"Once" is advised, not enforced: a second final test of the same exercise in one
Python session with a model whose test predictions differ prints a note (on
standard output) naming the first score, which is the one to report.  Running the
cell again with the same model prints no note.  A refusal would only teach
learners to restart the kernel.

This module sits below the per-tutorial checkers, which import :func:`final_verdict`;
the dispatch by name lives in the package's ``__init__``, above them.
"""

from __future__ import annotations

import numpy as np

from ._common import Verdict, verdict_word

# task -> [(test predictions, result text)] of each distinct model scored in this session
_RUNS: dict = {}


def final_verdict(
    task,
    n_test,
    metric,
    got,
    target,
    higher_is_better,
    predictions,
    bad="",
    extra=None,
    details=None,
):
    """Print and return the final test verdict; record the run for the "once" note.

    Parameters
    ----------
    task : str
        E.g. ``"regression exercise"``.
    n_test : str
        What was scored, e.g. ``"40 test points"``.
    metric : str
        E.g. ``"test MSE"``.
    got, target : float
    higher_is_better : bool
    predictions : ndarray
        The model's test outputs: a later run with equal outputs is the same model.
    bad : str
        Non-finite outputs, (any NaN or infinity: then missed).
    extra : (bool, str), optional
        A further condition (iris' new flowers): whether it holds and its text.
    details : dict, optional
        Stored on the returned ``Verdict``.

    Returns
    -------
    Verdict
        With ``split="test"``; ``passed`` tells whether the targets were met.
    """
    ok = (got >= target if higher_is_better else got <= target) and not bad
    rel = ">=" if higher_is_better else "<="
    if bad:
        result = f"target missed: expected finite predictions, but {bad}."
    elif ok:
        # "#" keeps the trailing zeros: an accuracy of 1 reads 1.000, like 0.9333
        result = f"{metric} = {got:#.4g}: target met (expected {rel} {target:.4g})."
    else:
        result = f"target missed: expected {metric} {rel} {target:.4g}, got {got:#.4g}."
    message = (
        f"{task}, FINAL test score ({n_test}, scored once): {result}\nThis is the one number "
        "to report; do not change the model because of it."
    )
    if extra is not None:  # what else the test says, after the score and what it means
        ok = ok and extra[0]
        message += "\n" + extra[1]
    message = verdict_word(ok) + message
    runs = _RUNS.setdefault(task, [])
    predictions = np.asarray(predictions, dtype=float)
    same = any(
        p.shape == predictions.shape and np.allclose(p, predictions, equal_nan=True)
        for p, _ in runs
    )
    if runs and not same:
        message += (
            f"\nnote: this is final test number {len(runs) + 1} of the {task} in this session; "
            f"the first was: {runs[0][1]} Report that first score: picking the best of several "
            "test scores tunes the model on the test set."
        )
    if not same:
        runs.append((predictions, result))
    print(message)
    return Verdict(
        message, passed=ok, split="test", metric=metric, value=got, target=target, details=details
    )


def forget_final_runs():
    """Forget the final tests run so far in this session (for tests and instructors)."""
    _RUNS.clear()
