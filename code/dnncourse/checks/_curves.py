"""The iris checker's curve criterion: most trainings' learning curves must read a good fit.

On iris, accuracy alone cannot tell the workshop's challenge from the fix (see
:mod:`dnncourse.checks.iris`); :func:`~dnncourse.diagnose.diagnose` reads each fold's
curves, and these helpers count and word the readings.

Which epoch did a trained model keep?  A model trained with
``EarlyStopping(restore_best_weights=True)`` has the weights of its lowest validation
loss, and its curves must be read up to that epoch; any other has its last epoch's.
:func:`kept_epoch` finds out instead of trusting an argument: it compares the
model's loss on the training's own validation rows (the last 20 % of the rows it was
given, as ``validation_split=0.2`` holds them out) with the history's lowest and last
validation loss.
"""

from __future__ import annotations

import math
from collections import Counter

#: The curves' reading that passes the curve criterion.
GOOD = "good fit"
RESTORED_NOTE = (
    "The checker could not tell which epoch some of your models kept (it scores each model "
    "on the last 20 % of the rows it trained on), and reading their curves up to the lowest "
    "validation loss changes what they say: if your model keeps its best epoch "
    "(EarlyStopping(restore_best_weights=True)), pass best_epoch='min_val_loss' to the "
    "checker so that the curves are read up to that epoch."
)
#: Relative closeness of the model's loss to one of the two history values, as a share of
#: their gap, for :func:`kept_epoch` to decide.
KEPT_TOLERANCE = 0.25


def good_fits_needed(folds):
    """How many of ``folds`` trainings' curves must read a good fit: a majority."""
    return folds // 2 + 1


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


def val_losses(history):
    """The history's ``val_loss`` as a list of floats, or None when it has none."""
    curves = getattr(history, "history", history)
    try:
        values = [float(v) for v in curves["val_loss"]]
    except (TypeError, KeyError, ValueError):
        return None
    return values if values and all(math.isfinite(v) for v in values) else None


def kept_epoch(history, losses_now):
    """``"best"``, ``"last"`` or None: which epoch's weights the trained model holds.

    Parameters
    ----------
    history : keras.callbacks.History or dict
        What ``fit`` returned.
    losses_now : sequence of float
        The model's loss now on each candidate set of validation rows (the loss
        ``fit`` reports: cross-entropy plus the weight penalties).

    Returns
    -------
    str or None
        ``"best"`` when a loss matches the lowest validation loss of the history and
        not the last one, ``"last"`` the other way round; None when the two are too
        close to tell apart, or neither matches (another validation split, another loss).
    """
    values = val_losses(history)
    if values is None:
        return None
    best, last = min(values), values[-1]
    gap = last - best
    if gap <= 0.01 * abs(last):
        return None
    tolerance = KEPT_TOLERANCE * gap
    near_best = any(abs(loss - best) < tolerance for loss in losses_now)
    near_last = any(abs(loss - last) < tolerance for loss in losses_now)
    if near_best != near_last:
        return "best" if near_best else "last"
    return None
