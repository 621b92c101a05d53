"""The iris checker's curve criterion: most trainings' learning curves must read a good fit.

On iris, accuracy alone cannot tell the workshop's challenge from the fix (see
:mod:`dnncourse.checks.iris`); :func:`~dnncourse.diagnose.diagnose` reads each fold's
curves, and these helpers count and word the readings.
"""

from __future__ import annotations

from collections import Counter

#: The curves' reading that passes the curve criterion.
GOOD = "good fit"
RESTORED_NOTE = (
    "Some of your trainings stopped early: if your model keeps its best epoch "
    "(EarlyStopping(restore_best_weights=True)), pass best_epoch='min_val_loss' so that the "
    "curves are read up to that epoch, as for the model you keep."
)


def good_fits_needed(folds):
    """How many of ``folds`` trainings' curves must read a good fit: a majority."""
    return folds // 2 + 1


def stopped_early(histories):
    """Whether any history ran fewer epochs than ``fit`` was asked for (early stopping)."""
    for history in histories:
        params, epochs = getattr(history, "params", None), getattr(history, "epoch", None)
        asked = params.get("epochs") if isinstance(params, dict) else None
        if isinstance(epochs, list) and isinstance(asked, int) and len(epochs) < asked:
            return True
    return False


def counts_text(labels, label, count, folds):
    """The counts, e.g. 'overfitting in 3 of 5, under-trained in 2': the most common first."""
    others = Counter(x for x in labels if x != label).most_common()
    return ", ".join([f"{label} in {count} of {folds}", *(f"{name} in {n}" for name, n in others)])


def curves_text(labels, need, folds):
    """``(ok, text)`` of the curve criterion; the text names no diagnosis but "good fit"."""
    good = labels.count(GOOD)
    unread = folds - len(labels)
    got = f"{good} of {folds}" + (f" ({unread} could not be read)" if unread else "")
    if good >= need:
        return True, f"Learning curves: a good fit in {got} trainings (target: at least {need})."
    return False, (
        f"expected learning curves that read a good fit in at least {need} of the {folds} "
        f"trainings, got {got}."
    )
