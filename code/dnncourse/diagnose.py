"""Read learning curves: unstable, under-trained, underfitting, overfitting or a good fit?

:func:`diagnose` looks only at the per-epoch training and validation losses that
``model.fit`` records, the way a practitioner reads the two curves.  Each label is
its own row of the table of symptoms and treatments on the course's "Underfitting
and overfitting" page (fitting.md), and the advice names that row:

* **unstable**: the training loss went uphill: its level at the end is well above
  its lowest level.  Usually the learning rate is too large; cure: a smaller one.
* **under-trained** (not converged): the run stopped too soon: the training loss is
  still high and falling at the end (with a noise floor, that is all it takes), or,
  without a floor, both losses are still falling.  Cure: more training (more epochs,
  a larger learning rate).
* **underfitting** (too little capacity): the training loss is high (above a known
  noise floor, or hardly below its first value) and no longer falls.  Cure: a
  bigger model or more features.
* **overfitting**: the validation loss stays well above the training loss (every
  overfitting row needs this gap), and besides it has climbed back up from its
  lowest level, or stopped falling while the training loss still falls, or the
  training loss is far below a known noise floor (the model fit the noise).  Cure:
  regularisation, early stopping, more data.
* **good fit**: none of these.

:data:`RULES` is the decision table: an ordered list of (label, condition) rows
over a few yes/no facts about the curves; the first row whose condition holds
gives the verdict.  The advice of each row (and the report and the checks of the
arguments) are in ``_diagnose_messages.py``.

Levels are medians over the last ``tail`` fraction of the epochs, so that the
epoch-to-epoch jitter of small-batch training or dropout does not decide the
verdict (a jump counts only when it lasts: a single spike moves no median).  Every
test compares ratios of losses, so the label does not change when both losses
(and the noise floor) are multiplied by the same positive number.  With
``best_epoch=`` the curves are read up to the epoch whose weights the learner
keeps (``EarlyStopping(restore_best_weights=True)``): the epochs after it are not
the model.  NumPy only: no Keras import.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _diagnose_messages as messages
from ._args import Arguments

#: The verdicts :func:`diagnose` gives, as ``Diagnosis.label``.
LABELS = ("unstable", "under-trained", "underfitting", "overfitting", "good fit")
#: The row of the fitting page's table of symptoms that each label is (one row each).
TABLE_ROW = {
    "unstable": "unstable",
    "under-trained": "under-trained",
    "underfitting": "underfitting",
    "overfitting": "overfitting",
    "good fit": "a good fit",
}
#: With ``noise_floor=0`` the training loss counts as high above this fraction of its first value.
ZERO_FLOOR_FRACTION = 0.01
# Comparisons with a tolerance get this relative margin, so that a ratio rounded
# differently after scaling the losses cannot flip a verdict.
_EPS = 1e-9

# fmt: off
#: The decision table, read top to bottom: the first row whose condition holds
#: gives the label, and the advice key names what :func:`diagnose` says.  A
#: condition is facts about the curves (see ``_facts`` in the source) joined by "and"; "not"
#: negates one.
RULES = (
    # label           condition                                    advice key
    # -- one epoch up to the one kept: no trend to read
    ("under-trained", "one_epoch and not after",                   "one epoch"),
    ("overfitting",   "one_epoch and train_fell_after",            "best at epoch 1"),
    ("underfitting",  "one_epoch",                                 "stuck after epoch 1"),
    # -- training went uphill: nothing else can be read until it goes down
    ("unstable",      "train_rose",                                "training rose"),
    # -- validation far above training, and no longer improving or training below the floor
    ("overfitting",   "gap_big and val_rose",                      "validation rose"),
    ("overfitting",   "gap_big and val_stalled",                   "validation stalled"),
    ("overfitting",   "gap_big and low",                           "below the floor"),
    # -- training loss high: still falling (not converged) or stuck (too small)
    ("under-trained", "high and train_falling and not after",      "high, falling"),
    ("underfitting",  "high and train_falling",                    "high, longer no help"),
    ("underfitting",  "high",                                      "high, flat"),
    # -- no noise floor to compare with: both still falling means not converged
    ("under-trained", "both_falling and no_floor and not after",   "both falling"),
    # -- otherwise a good fit; the advice says how the curves end
    ("good fit",      "after",                                     "kept the best epoch"),
    ("good fit",      "both_falling",                              "near floor, falling"),
    ("good fit",      "train_falling",                             "validation stopped"),
    ("good fit",      "val_falling",                               "training levelled"),
    ("good fit",      "always",                                    "both levelled"),
)
# fmt: on


@dataclass(frozen=True)
class Diagnosis:
    """The verdict of :func:`diagnose`.

    Attributes
    ----------
    label : str
        One of :data:`~dnncourse.diagnose.LABELS`.
    evidence : dict of str to float or int
        The numbers the verdict rests on (see :func:`diagnose`), and ``"rule"``: the
        key of the row of :data:`RULES` that decided.
    advice : str
        For a learner: what the curves show and what to try; starts with the label.
    """

    label: str
    evidence: dict = field(default_factory=dict)
    advice: str = ""

    @property
    def table_row(self):
        """The fitting page's row: ``"unstable"``, ``"under-trained"``, ``"underfitting"``,
        ``"overfitting"`` or ``"a good fit"`` (see :data:`TABLE_ROW`)."""
        return TABLE_ROW[self.label]

    def __str__(self):
        return messages.report(self.label, self.evidence, self.advice)


def _ratio(a, b):
    """``a / b`` for losses >= 0, with 0 / 0 = 1 and a / 0 = inf: no ZeroDivisionError."""
    if b > 0:
        return a / b
    return float("inf") if a > 0 else 1.0


def diagnose(
    history,
    noise_floor=None,
    *,
    best_epoch=None,
    tail=0.1,
    rise_tol=0.25,
    gap_tol=1.5,
    trend_tol=0.05,
    floor_factor=2.5,
    learned_tol=0.8,
):
    """Classify learning curves as unstable, under-trained, underfitting, overfitting or a good fit.

    The rules are the rows of :data:`RULES`, read in order.

    Parameters
    ----------
    history : keras.callbacks.History or dict
        ``model.fit(...)`` 's return value or its ``.history`` dict; needs
        ``"loss"`` and ``"val_loss"``, each a sequence of n_epochs >= 1 finite
        values >= 0 (a dict ``{epoch: value}``, as
        ``pandas.DataFrame(history.history).to_dict()`` gives, is read in epoch order).
    noise_floor : float >= 0, optional
        The loss no model can beat (for Gaussian noise and MSE loss: sigma
        squared; 0 for noise-free data).  A training loss above ``floor_factor *
        noise_floor`` (with a floor of 0: above ``ZERO_FLOOR_FRACTION`` of its first
        value) counts as high.
    best_epoch : int, "min_val_loss" or keras.callbacks.EarlyStopping, optional
        The run the learner keeps: the 1-based epoch whose weights the model
        holds; ``"min_val_loss"`` for the epoch of the lowest validation loss
        (what ``EarlyStopping(restore_best_weights=True)`` restores); or that
        callback itself, after ``fit``.  The curves are read up to that epoch;
        later epochs only show that training longer did not help.
    tail : float, default 0.1
        Fraction of the epochs (at least one) whose median gives a curve's level.
    rise_tol : float, default 0.25
        A final level more than this fraction above the curve's lowest level is a
        rise: of the training loss, unstable training; of the validation loss, with
        the gap below, overfitting.
    gap_tol : float, default 1.5
        Overfitting needs the final validation level more than ``gap_tol`` times
        the final training level, and either a rise, or a validation loss falling
        by less than ``trend_tol / 2`` over the last quarter while the training loss
        falls by more than ``trend_tol``.
    trend_tol : float, default 0.05
        A relative fall of more than this over the last quarter of the epochs
        counts as "still falling".
    floor_factor : float, default 2.5
        See ``noise_floor``; a training loss below ``noise_floor / floor_factor``
        counts as low (it has fit the noise), which with the gap above is overfitting.
    learned_tol : float, default 0.8
        Without a noise floor, a final training loss above this fraction of the
        first epoch's loss means the model hardly learned.

    Returns
    -------
    Diagnosis
        ``label`` (one of :data:`~dnncourse.diagnose.LABELS`), ``evidence`` and
        ``advice``.  The evidence holds ``n_epochs``, ``kept_epoch``,
        ``epochs_after`` (run after the kept one; they count as "training longer
        did not help" when at least ``window``, the number of epochs a level is the
        median of, and none lowered the validation loss), ``rule`` (the key of
        the row of :data:`RULES` that decided), ``train_first``, ``train_final``,
        ``train_min``, ``train_best_level`` and ``train_best_epoch``,
        ``train_rise`` (final over lowest training level, minus 1), ``val_final``,
        ``val_min``, ``val_best_level`` and ``val_best_epoch`` (1-based; each
        epoch's level is the median of the ``tail`` window ending there),
        ``val_rise``, ``gap_ratio`` (final validation over final training level),
        ``train_trend`` and ``val_trend`` (relative change over the last quarter,
        negative when falling), and with a noise floor ``noise_floor`` and
        ``train_over_floor``; all up to the kept epoch.

    Raises
    ------
    TypeError
        When an argument is of a wrong kind: ``history`` no ``History`` or dict of
        curves (or a curve not a list of numbers), ``noise_floor`` or a tolerance
        not a number, ``best_epoch`` none of the kinds above.
    ValueError
        When the history lacks ``val_loss``, has no epochs or unequal lengths
        (e.g. from ``fit(validation_freq=5)``), holds NaN, infinity or negative
        losses, or an argument is out of range (``tail`` in (0, 1], the other
        tolerances and ``noise_floor`` >= 0, ``best_epoch`` within the epochs run).
        Each message names the argument, what was expected, what was got and the fix.
    """
    tolerances = {
        "tail": tail,
        "rise_tol": rise_tol,
        "gap_tol": gap_tol,
        "trend_tol": trend_tol,
        "floor_factor": floor_factor,
        "learned_tol": learned_tol,
    }
    return _diagnose("diagnose", history, noise_floor, best_epoch, tolerances)


def _diagnose(func, history, noise_floor, best_epoch, tolerances):
    """:func:`diagnose`, whose argument errors name ``func`` (``reveal_diagnosis`` calls it too)."""
    door = Arguments(func)
    t = {name: messages.check_tolerance(door, name, v) for name, v in tolerances.items()}
    noise_floor = messages.check_floor(noise_floor, door)
    messages.check_best_epoch(door, best_epoch)
    loss_all, val_all = messages.curves(history, door)
    m = messages.kept_epoch(best_epoch, val_all, door)
    tail, rise_tol, gap_tol = t["tail"], t["rise_tol"], t["gap_tol"]
    trend_tol, floor_factor, learned_tol = t["trend_tol"], t["floor_factor"], t["learned_tol"]
    n = len(loss_all)
    e = _evidence(loss_all[:m], val_all[:m], n, max(1, round(tail * m)))
    if noise_floor is not None:
        e["noise_floor"] = noise_floor
        e["train_over_floor"] = _ratio(e["train_final"], noise_floor)
    if n > m:  # what the epochs after the kept one did to each loss (< 0: lowered it)
        e["train_after_trend"] = _ratio(float(np.min(loss_all[m:])), e["train_final"]) - 1.0
        e["val_after_trend"] = _ratio(float(np.min(val_all[m:])), float(val_all[m - 1])) - 1.0
    f = _facts(e, rise_tol, gap_tol, trend_tol, floor_factor, learned_tol)
    label, _, key = next(row for row in RULES if holds(row[1], f))
    e["rule"] = key
    text = messages.advice(key, e, f, floor_factor, ZERO_FLOOR_FRACTION)
    return Diagnosis(label, e, text)


def _evidence(loss, val, n, k):
    """The numbers of :func:`diagnose`'s evidence from the curves up to the kept epoch.

    ``loss`` and ``val`` have shape (m,); ``n`` is the number of epochs run, ``k``
    the window whose median is a level.
    """
    m = len(loss)
    quarter = max(1, m // 4)

    def level(curve, end):
        """Median of the ``k`` epochs ending at index ``end`` (exclusive); epoch 1 if none."""
        return float(np.median(curve[max(0, end - k) : max(end, 1)]))

    # Each epoch's level, smoothed the same way: a single lucky (or unlucky) epoch
    # must not count as the lowest level a curve later rises from.
    train_smooth = np.array([level(loss, end) for end in range(1, m + 1)])
    val_smooth = np.array([level(val, end) for end in range(1, m + 1)])
    t_best, v_best = int(np.argmin(train_smooth)), int(np.argmin(val_smooth))
    train_final, val_final = float(train_smooth[-1]), float(val_smooth[-1])
    return {
        "n_epochs": n,
        "kept_epoch": m,
        "epochs_after": n - m,
        "window": k,
        "train_first": float(loss[0]),
        "train_final": train_final,
        "train_min": float(loss.min()),
        "train_best_level": float(train_smooth[t_best]),
        "train_best_epoch": t_best + 1,
        "train_rise": _ratio(train_final, float(train_smooth[t_best])) - 1.0,
        "val_final": val_final,
        "val_min": float(val.min()),
        "val_best_level": float(val_smooth[v_best]),
        "val_best_epoch": v_best + 1,
        "val_rise": _ratio(val_final, float(val_smooth[v_best])) - 1.0,
        "gap_ratio": _ratio(val_final, train_final),
        # one epoch has no trend: 0 means "not falling"
        "train_trend": _ratio(train_final, level(loss, m - quarter)) - 1.0 if m > 1 else 0.0,
        "val_trend": _ratio(val_final, level(val, m - quarter)) - 1.0 if m > 1 else 0.0,
    }


def holds(condition, facts):
    """Whether a :data:`RULES` condition such as ``"high and not after"`` holds on ``facts``."""
    terms = condition.split(" and ")
    return all(not facts[t[4:]] if t.startswith("not ") else facts[t] for t in terms)


def _facts(e, rise_tol, gap_tol, trend_tol, floor_factor, learned_tol):
    """The yes/no facts that :data:`RULES` reads, from the evidence ``e`` (see :func:`diagnose`).

    Returns
    -------
    dict of str to bool
    """
    over = 1 + _EPS  # "more than tol", with a margin against rounding
    train, first, floor = e["train_final"], e["train_first"], e.get("noise_floor")
    train_falling = e["train_trend"] < -trend_tol - _EPS
    val_falling = e["val_trend"] < -trend_tol / 2 - _EPS
    # Epochs after the kept one that never lowered the validation loss show that
    # training longer did not help, if there are at least a level window of them;
    # if one did lower it, the learner kept the wrong epoch.
    later_better = e.get("val_after_trend", 0) < -_EPS
    after = e["epochs_after"] >= e["window"] and not later_better
    low = False  # below the floor by as much as "high" is above it: it fit the noise
    if floor is None:  # no floor: "high" means the model hardly learned
        high = first > 0 and _ratio(train, first) > learned_tol * over
    elif floor > 0:
        high = e["train_over_floor"] > floor_factor * over
        low = e["train_over_floor"] * floor_factor * over < 1
    else:
        high = train > 0 and _ratio(train, first) > ZERO_FLOOR_FRACTION * over
    return {
        "always": True,
        "one_epoch": e["kept_epoch"] == 1,
        "after": after,
        "later_better": later_better,
        "train_fell_after": e.get("train_after_trend", 0) < -trend_tol - _EPS,
        "train_rose": e["train_rise"] > rise_tol + _EPS,
        "train_falling": train_falling,
        "val_falling": val_falling,
        "both_falling": train_falling and val_falling,
        "gap_big": e["gap_ratio"] > gap_tol * over,
        "val_rose": e["val_rise"] > rise_tol + _EPS,
        # A restored epoch is by construction where validation was lowest: the later
        # epochs already show what training on would do, so only a rise counts there.
        "val_stalled": train_falling and not val_falling and not after,
        "high": high,
        "low": low,
        "no_floor": floor is None,
    }
