"""The one message format every checker uses."""

from __future__ import annotations


def report(task, metric, got, target, higher_is_better=True, history=None, hint=None):
    """Compare a learner's test metric with the exercise's target.

    Parameters
    ----------
    task : str
        Shown in the message, e.g. ``"regression exercise"``.
    metric : str
        Name of the metric, e.g. ``"test MSE"`` or ``"test accuracy"``.
    got, target : float
    higher_is_better : bool
        ``True`` for accuracy (``got >= target`` passes), ``False`` for a loss.
    history : keras.callbacks.History or dict, optional
        When given, :func:`dnncourse.diagnose.diagnose` classifies the learning
        curves and its verdict becomes the hint.
    hint : str, optional
        A fixed hint used when no history is given.

    Returns
    -------
    str
        The success message (also printed), when the target is met.

    Raises
    ------
    AssertionError
        ``"<task>: expected <metric> >= target, got ... (short by ...). Hint: ..."``.
    """
    ok = got >= target if higher_is_better else got <= target
    relation = ">=" if higher_is_better else "<="
    margin = abs(got - target)
    if ok:
        message = (
            f"{task}: target met. {metric} = {got:.4g} ({relation} {target:.4g}, "
            f"with {margin:.3g} to spare)."
        )
        print(message)
        return message
    if history is not None:
        from ..diagnose import diagnose  # imported late: diagnose is only needed on failure

        hint = diagnose(history).advice
    hint = hint or "train longer, or change the model's size or regularisation."
    raise AssertionError(
        f"{task}: expected {metric} {relation} {target:.4g}, got {got:.4g} "
        f"({'short' if higher_is_better else 'over'} by {margin:.3g}). Hint: {hint}"
    )
