"""The words of :mod:`dnncourse.diagnose`: its advice, its report and its input checks.

:data:`ADVICE` holds one template per row of ``diagnose.RULES`` (same keys); the
fields they fill in come from :func:`fields`, which turns the evidence into short
phrases.  :func:`report` lays out the evidence for ``print(diagnosis)``.
:func:`curves`, :func:`check_floor`, :func:`check_tolerance` and :func:`kept_epoch` read
``diagnose``'s arguments and refuse bad ones in the course's message style
(:class:`dnncourse._args.Arguments`): ``TypeError`` for a wrong kind of object,
``ValueError`` for a wrong value, each naming the argument, what was expected, what
was got and the fix.
The verdict itself is decided in ``diagnose.py``.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

import numpy as np

from ._args import describe, number

TABLE = "see the table of symptoms and treatments on the 'Underfitting and overfitting' page"

_OVERFIT_CURE = (
    "add L2 or dropout, use a smaller model, or stop early with "
    "EarlyStopping(restore_best_weights=True) ({table}, 'overfitting')."
)
_UNDERFIT_CURE = (
    "use a bigger model (more layers or neurons) or more features, after checking the input "
    "scaling and the learning rate ({table}, 'underfitting')."
)
_MORE_TRAINING = (
    "train longer, or take larger steps: a larger learning rate (or a schedule that warms up "
    "to one), or Adam if you use another optimizer ({table}, 'under-trained')."
)

#: Advice per row of the decision table; each starts with the row's label.
ADVICE = {
    "one epoch": (
        "under-trained, as far as one epoch can tell: one epoch is too few to read learning "
        "curves; train for more epochs (e.g. epochs=50) and diagnose again ({table}, "
        "'under-trained')."
    ),
    "best at epoch 1": (
        "overfitting: the validation loss was lowest after the first epoch ({val:.3g}) and the "
        "{after} epochs after it never beat it, while the training loss fell further; add L2 or "
        "dropout, use a smaller model or a smaller learning rate ({table}, 'overfitting')."
    ),
    "stuck after epoch 1": (
        "underfitting: neither loss improved after the first epoch (training {train:.3g}, "
        "validation {val:.3g}); check the learning rate and the input scaling, then use a "
        "bigger model ({table}, 'underfitting')."
    ),
    "training rose": (
        "unstable: the training loss went uphill: it ended at {train:.3g}, {train_rise:.0%} above "
        "its lowest level {train_best_level:.3g} (epoch {train_best_epoch}; {train_trend} over "
        "the last quarter){kept}. Gradient descent with a learning rate too large overshoots "
        "the valley: divide the learning rate by 3 to 10 (or let ReduceLROnPlateau lower it) "
        "and check that the inputs are scaled ({table}, 'unstable'). Until the training loss "
        "goes down steadily, the curves cannot tell underfitting from overfitting."
    ),
    "validation rose": (
        "overfitting: validation loss ended at {val:.3g}, {val_rise:.0%} above its lowest level "
        "{val_best_level:.3g} (epoch {val_best_epoch}) and {gap_ratio:.1f} times the training "
        "loss, which fell to {train:.3g} ({train_trend}){kept}; " + _OVERFIT_CURE
    ),
    "validation stalled": (
        "overfitting: validation loss ended at {val:.3g}, no longer falling ({val_trend} over "
        "the last quarter) and {gap_ratio:.1f} times the training loss, which fell to "
        "{train:.3g} ({train_trend}){kept}; " + _OVERFIT_CURE
    ),
    "below the floor": (
        "overfitting: the training loss {train:.3g} is only {train_over_floor:.2f} times the "
        "noise floor {noise_floor:.3g}, so the model has fit the noise of its training data, "
        "and the validation loss {val:.3g} is {gap_ratio:.1f} times the training loss "
        "({trends}){kept}; " + _OVERFIT_CURE
    ),
    "high, falling": (
        "under-trained (not converged): the training loss {train:.3g} is {why} but still "
        "falling ({trends}); " + _MORE_TRAINING + " If it then levels off this high, the model "
        "is too small: use a bigger one."
    ),
    "high, longer no help": (
        "underfitting (too little capacity): the training loss {train:.3g} is {why} and "
        "training on did not help ({trends} up to epoch {m}, but the {after} epochs after it "
        "did not lower the validation loss); " + _UNDERFIT_CURE
    ),
    "high, flat": (
        "underfitting (too little capacity): the training loss {train:.3g} is {why} and no "
        "longer falling ({trends}){kept}; " + _UNDERFIT_CURE
    ),
    "both falling": (
        "under-trained (not converged): training and validation loss were still falling at "
        "the end ({trends}); " + _MORE_TRAINING
    ),
    "kept the best epoch": (
        "good fit: validation loss {val:.3g}, training loss {train:.3g}{kept}; training longer "
        "would only fit the training data more closely, which keeping this epoch avoids.{gap}"
    ),
    "near floor, falling": (
        "good fit: the training loss {train:.3g} is {near_floor} and both losses still fall "
        "({trends}); more epochs may gain a little.{gap}"
    ),
    "validation stopped": (
        "good fit so far: the validation loss ({val:.3g}) has stopped improving ({val_trend} "
        "over the last quarter) while the training loss ({train:.3g}) still falls "
        "({train_trend}); more epochs would fit the training data, not new data: stop here, "
        "e.g. with EarlyStopping(restore_best_weights=True), or the gap will grow into "
        "overfitting.{gap}"
    ),
    "training levelled": (
        "good fit: the training loss levelled off at {train:.3g} and the validation loss "
        "({val:.3g}) still falls slowly ({trends}); more epochs will help little, so if the "
        "loss is still too high, try a bigger model or a better optimizer.{gap}"
    ),
    "both levelled": (
        "good fit: both curves levelled off (validation loss {val:.3g}, training loss "
        "{train:.3g}, {trends}) without the validation loss climbing; more epochs will not "
        "help, so if the loss is still too high, try a bigger model or a better optimizer.{gap}"
    ),
}


def pct(x):
    """A relative change as ``"-13%"``; ``"0%"`` when it rounds to zero (never ``"-0%"``)."""
    if not np.isfinite(x):
        return "up from 0"
    return "0%" if round(100 * x) == 0 else f"{x:+.0%}"


def fields(e, facts, floor_factor, zero_floor_fraction):
    """The phrases the :data:`ADVICE` templates use, from the evidence ``e`` and the facts."""
    floor, first, train = e.get("noise_floor"), e["train_first"], e["train_final"]
    if floor is not None and floor > 0:
        why = f"{e['train_over_floor']:.1f} times the noise floor {floor:.3g}"
        near_floor = f"within {floor_factor:g} times the noise floor"
    elif floor is not None:
        share = train / first if first > 0 else 1.0
        why = f"{share:.1%} of its first value on noise-free data (floor 0)"
        near_floor = f"below {zero_floor_fraction:.0%} of its first value (noise-free data)"
    else:
        why, near_floor = f"hardly below its first value {first:.3g}", ""
    after = e["epochs_after"] if facts["after"] else 0  # 0: the later epochs prove nothing
    return {
        **e,
        "table": TABLE,
        "m": e["kept_epoch"],
        "after": after,
        "train": train,
        "val": e["val_final"],
        "train_trend": pct(e["train_trend"]),
        "val_trend": pct(e["val_trend"]),
        "trends": f"{pct(e['train_trend'])} and {pct(e['val_trend'])} over the last quarter",
        "why": why,
        "near_floor": near_floor,
        "kept": (
            f" (read at epoch {e['kept_epoch']}, whose weights you kept; the {after} epochs "
            "after it did not lower the validation loss)"
            if after
            else ""
        ),
        "gap": (
            f" The validation loss is {e['gap_ratio']:.1f} times the training loss: if it is "
            "still too high, more data or more regularisation may help."
            if facts["gap_big"]
            else ""
        ),
    }


def advice(key, e, facts, floor_factor, zero_floor_fraction):
    """The :data:`ADVICE` of row ``key``, filled in; a note if a later epoch was better."""
    text = ADVICE[key].format(**fields(e, facts, floor_factor, zero_floor_fraction))
    if facts["later_better"]:
        text += (
            f" Note: a later epoch reached a {-e['val_after_trend']:.0%} lower validation loss "
            f"than epoch {e['kept_epoch']}, the one you kept."
        )
    return text


#: What a level is, by the window's length in epochs (``None``: three or more).
LEVEL_WORDS = {
    1: "a level: one epoch's loss; the run is too short to smooth, so one jump moves it",
    2: "a level: the mean of 2 epochs' losses; the run is too short for a median",
    None: "a level: the median of {w} epochs' losses, which one jump does not move",
}


def report(label, e, advice_text):
    """The evidence and advice laid out for ``print(diagnosis)``."""
    lines = [f"diagnosis: {label}", f"  epochs run:               {e['n_epochs']}"]
    if e["epochs_after"]:
        lines.append(
            f"  epoch kept:               {e['kept_epoch']}; the {e['epochs_after']} epochs "
            "after it are not the model and are left out below"
        )
    # A level is the median of the last few epochs read (up to the kept one when the
    # epochs after it are left out), not one epoch's value: a single jump does not move it.
    at = "level at kept epoch" if e["epochs_after"] else "final level"
    lines += [
        (
            f"  training loss   {at} {e['train_final']:.4g}  (lowest level "
            f"{e['train_best_level']:.4g} at epoch {e['train_best_epoch']}, "
            f"change over last quarter {e['train_trend']:+.1%})"
        ),
        (
            f"  validation loss {at} {e['val_final']:.4g}  (lowest level "
            f"{e['val_best_level']:.4g} at epoch {e['val_best_epoch']}, "
            f"change over last quarter {e['val_trend']:+.1%})"
        ),
        (
            f"  validation above its lowest level by {e['val_rise']:.1%}; "
            f"validation / training loss = {e['gap_ratio']:.3g}"
        ),
        "  (" + LEVEL_WORDS.get(e["window"], LEVEL_WORDS[None]).format(w=e["window"]) + ")",
    ]
    if "noise_floor" in e:
        lines.append(
            f"  noise floor {e['noise_floor']:.4g}: training loss is "
            + (
                f"{e['train_over_floor']:.3g} times the floor"
                if e["noise_floor"] > 0
                else f"{e['train_final']:.3g} (noise-free data: the floor is 0)"
            )
        )
    lines.append(f"  advice: {advice_text}")
    return "\n".join(lines)


#: The tolerances of ``diagnose`` with the range each must lie in: (low, high, low_open).
TOLERANCES = {
    "tail": (0, 1, True),  # a fraction of the epochs, > 0
    "rise_tol": (0, None, False),
    "gap_tol": (0, None, True),  # a ratio: > 0
    "trend_tol": (0, None, False),
    "floor_factor": (0, None, True),  # divides the floor: > 0
    "learned_tol": (0, None, True),
}
_FIT = "Pass history = model.fit(...) (or its .history dict)."


def history_dict(history):
    """The dict of curves in ``history`` (a ``History`` or its ``.history``), or None."""
    h = getattr(history, "history", history)
    return h if hasattr(h, "keys") and hasattr(h, "__getitem__") else None


def _curve(door, h, key):
    """``h[key]`` as a 1-D float array; a dict {epoch: value} is read in epoch order."""
    name = f"history[{key!r}]"
    value = h[key]
    if isinstance(value, Mapping):  # pandas.DataFrame(h.history).to_dict(): {0: 1.3, 1: 0.9}
        keys = list(value)
        if not all(isinstance(k, numbers.Integral) and not isinstance(k, bool) for k in keys):
            door.fail(name, "one value per epoch (a list, or a dict of epoch numbers to values)",
                      describe(value), "Pass the History itself: history = model.fit(...), or "
                      "pandas.DataFrame(history.history).to_dict('list').", TypeError)  # fmt: skip
        value = [value[k] for k in sorted(keys)]
    return door.array(name, value, ndim=1, finite=False, what="one loss per epoch",
                      fix=f"Pass {name} as fit() recorded it: one number per epoch.").astype(float)  # fmt: skip


def curves(history, door):
    """``(loss, val_loss)`` as finite float arrays >= 0 of equal length >= 1.

    Refuses anything else with ``door``'s message (an :class:`~dnncourse._args.Arguments`):
    ``TypeError`` for a wrong kind of object, ``ValueError`` for wrong curves.
    """
    h = history_dict(history)
    if h is None:
        fix = _FIT
        if isinstance(history, (list, tuple)) and len(history) == 2:
            fix = ("If this is (model, history), pass the history alone; if two curves, pass "
                   "{'loss': [...], 'val_loss': [...]}.")  # fmt: skip
        door.fail("history", "the History that fit() returns (or its .history dict)",
                  describe(history), fix, TypeError)  # fmt: skip
    try:
        found = sorted(map(str, h.keys()))
    except Exception:  # noqa: BLE001 (an object whose keys() fails is no history)
        door.fail("history", "a dict of curves such as {'loss': [...], 'val_loss': [...]}",
                  describe(history), _FIT, TypeError)  # fmt: skip
    missing = [k for k in ("loss", "val_loss") if k not in h]
    if missing:
        door.fail("history", "a history with 'loss' and 'val_loss'",
                  f"one without {' and '.join(missing)} (it holds: {', '.join(found) or 'nothing'})",
                  "Pass validation data to fit(): validation_split=0.2 or "
                  "validation_data=(X_val, y_val).")  # fmt: skip
    loss, val = _curve(door, h, "loss"), _curve(door, h, "val_loss")
    if loss.size == 0 or val.size == 0:
        door.fail("history", "at least one epoch of 'loss' and 'val_loss'",
                  f"{loss.size} and {val.size} values",
                  "Pass the History of a fit() call that ran at least one epoch.")  # fmt: skip
    if loss.size != val.size:
        fix = "Pass the History of one fit() call with validation data on every epoch."
        if 0 < val.size < loss.size:
            fix = ("Validation ran on fewer epochs than training (fit(validation_freq=...)?): "
                   "train with validation_freq=1, the default, to read the curves.")  # fmt: skip
        door.fail("history", "'loss' and 'val_loss' with one value per epoch each",
                  f"{loss.size} values of loss and {val.size} of val_loss", fix)  # fmt: skip
    bad = np.flatnonzero(~(np.isfinite(loss) & np.isfinite(val)))
    if bad.size:
        epochs = ", ".join(str(i + 1) for i in bad[:5]) + (", ..." if bad.size > 5 else "")
        door.fail("history", "finite losses",
                  f"NaN or infinity at epoch(s) {epochs} of {loss.size}",
                  "Training diverged, so the curves cannot be read: train again with a smaller "
                  "learning rate (and scaled inputs), then pass that History.")  # fmt: skip
    for key, curve in (("loss", loss), ("val_loss", val)):
        if (curve < 0).any():
            i = int(np.flatnonzero(curve < 0)[0])
            door.fail("history", "losses >= 0 (mean squared error, cross-entropy)",
                      f"{number(curve[i])} in {key} at epoch {i + 1}",
                      "Pass the History of a model compiled with such a loss.")  # fmt: skip
    return loss, val


def check_floor(noise_floor, door):
    """``noise_floor`` as a float >= 0, or None."""
    if noise_floor is None:
        return None
    fix = ("Pass the loss no model can beat, e.g. noise_floor=0.04 (sigma**2 for Gaussian noise "
           "and MSE), 0 for noise-free data, or None if unknown.")  # fmt: skip
    if isinstance(noise_floor, str):
        fix = None  # the plain reading of digits as text: Pass noise_floor=0.04 (a number, ...)
    return float(door.real("noise_floor", noise_floor, low=0, example=0.04, fix=fix))


def check_tolerance(door, name, value):
    """One of :data:`TOLERANCES` as a float in its range."""
    low, high, low_open = TOLERANCES[name]
    return float(door.real(name, value, low=low, high=high, low_open=low_open,
                           example=DEFAULTS[name]))  # fmt: skip


#: The tolerances' defaults (as in ``diagnose``'s signature), for the messages' fix.
DEFAULTS = {"tail": 0.1, "rise_tol": 0.25, "gap_tol": 1.5, "trend_tol": 0.05,
            "floor_factor": 2.5, "learned_tol": 0.8}  # fmt: skip
_BEST = "an epoch number >= 1, 'min_val_loss' or the EarlyStopping callback (or None)"
_BEST_FIX = ("Pass best_epoch='min_val_loss' if EarlyStopping(restore_best_weights=True) kept "
             "the best epoch, or None for the last one.")  # fmt: skip


def check_best_epoch(door, best_epoch):
    """Refuse a ``best_epoch`` of a wrong kind, before any curve is read (the checkers' door)."""
    if best_epoch is None or hasattr(best_epoch, "restore_best_weights"):
        return best_epoch
    if isinstance(best_epoch, str):
        if best_epoch != "min_val_loss":
            door.fail("best_epoch", _BEST, describe(best_epoch), _BEST_FIX)
        return best_epoch
    if isinstance(best_epoch, (bool, np.bool_)) or not isinstance(best_epoch, numbers.Integral):
        door.fail("best_epoch", _BEST, describe(best_epoch), _BEST_FIX, TypeError)
    if best_epoch < 1:
        door.fail("best_epoch", _BEST, describe(best_epoch),
                  "Epochs count from 1: pass best_epoch=1 for the first.")  # fmt: skip
    return int(best_epoch)


def kept_epoch(best_epoch, val, door):
    """The 1-based epoch whose weights the model holds (``len(val)``: the last)."""
    n = len(val)
    best_epoch = check_best_epoch(door, best_epoch)
    if best_epoch is None:
        return n
    if isinstance(best_epoch, str):
        return int(np.argmin(val)) + 1
    if hasattr(best_epoch, "restore_best_weights"):  # keras.callbacks.EarlyStopping
        if not best_epoch.restore_best_weights:
            return n  # without restoring, the model keeps the last epoch's weights
        if getattr(best_epoch, "best_weights", None) is None:
            door.fail("best_epoch", "the EarlyStopping callback after fit() used it",
                      "one that fit() has not used yet",
                      "Pass the callback given to fit(callbacks=[...]) after training.")  # fmt: skip
        return min(int(best_epoch.best_epoch) + 1, n)  # Keras counts epochs from 0
    if best_epoch > n:
        door.fail("best_epoch", f"an epoch between 1 and {n} (the epochs run)",
                  describe(best_epoch), _BEST_FIX)  # fmt: skip
    return best_epoch
