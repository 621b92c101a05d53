"""Read learning curves: under-trained, underfitting, overfitting or a good fit?

:func:`diagnose` looks only at the per-epoch training and validation losses that
``model.fit`` records, the way a practitioner reads the two curves.  The labels
follow the table on the course's "Underfitting and overfitting" page (fitting.md):

* **under-trained** (not converged): training and validation loss are both still
  falling at the end: the run stopped too soon.  In the table it is the
  *underfitting* row (training error high, validation close to it); the cure is
  the treatment "more training" (more epochs, a larger learning rate, Adam).
* **underfitting** (too little capacity): the training loss is high (above a
  known noise floor, or hardly below its first value) and no longer falls.  Cure:
  a bigger model or more features.
* **overfitting**: the validation loss stays well above the training loss
  (more than ``gap_tol`` times it) and has either climbed back up from its lowest
  level or stopped falling while the training loss still falls.
* **good fit**: none of these.

Levels are medians over the last ``tail`` fraction of the epochs, so that the
epoch-to-epoch jitter of small-batch training does not decide the verdict.  Every
test compares ratios of losses, so the label does not change when both losses
(and the noise floor) are multiplied by the same positive number.  With
``best_epoch=`` the curves are read up to the epoch whose weights the learner
keeps (``EarlyStopping(restore_best_weights=True)``): the epochs after it are not
the model.  NumPy only: no Keras import.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np

#: The verdicts :func:`diagnose` gives, as ``Diagnosis.label``.
LABELS = ("under-trained", "underfitting", "overfitting", "good fit")
#: The row of the fitting page's table of symptoms that each label belongs to.
TABLE_ROW = {
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
_TABLE = "see the table of symptoms and treatments on the 'Underfitting and overfitting' page"


@dataclass(frozen=True)
class Diagnosis:
    """The verdict of :func:`diagnose`.

    Attributes
    ----------
    label : str
        One of :data:`~dnncourse.diagnose.LABELS`.
    evidence : dict of str to float or int
        The numbers the verdict rests on (see :func:`diagnose`).
    advice : str
        For a learner: what the curves show and what to try; starts with the label.
    """

    label: str
    evidence: dict = field(default_factory=dict)
    advice: str = ""

    @property
    def table_row(self):
        """The fitting page's row: ``"underfitting"``, ``"overfitting"`` or ``"a good fit"``."""
        return TABLE_ROW[self.label]

    def __str__(self):
        e = self.evidence
        lines = [f"diagnosis: {self.label}", f"  epochs run:               {e['n_epochs']}"]
        if e["epochs_after"]:
            lines.append(
                f"  epoch kept:               {e['kept_epoch']}; the {e['epochs_after']} epochs "
                "after it are not the model and are left out below"
            )
        lines += [
            (
                f"  training loss   final {e['train_final']:.4g}  (min {e['train_min']:.4g}, "
                f"change over last quarter {e['train_trend']:+.1%})"
            ),
            (
                f"  validation loss final {e['val_final']:.4g}  (lowest level "
                f"{e['val_best_level']:.4g} at epoch {e['val_best_epoch']}, "
                f"change over last quarter {e['val_trend']:+.1%})"
            ),
            (
                f"  validation above its lowest level by {e['val_rise']:.1%}; "
                f"validation / training loss = {e['gap_ratio']:.3g}"
            ),
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
        lines.append(f"  advice: {self.advice}")
        return "\n".join(lines)


def _pct(x):
    """A relative change as ``"-13%"``; ``"0%"`` when it rounds to zero (never ``"-0%"``)."""
    if not np.isfinite(x):
        return "up from 0"
    return "0%" if round(100 * x) == 0 else f"{x:+.0%}"


def _ratio(a, b):
    """``a / b`` for losses >= 0, with 0 / 0 = 1 and a / 0 = inf: no ZeroDivisionError."""
    if b > 0:
        return a / b
    return float("inf") if a > 0 else 1.0


def _curves(history):
    """``(loss, val_loss)`` as finite float arrays >= 0 of equal length >= 1."""
    h = getattr(history, "history", history)
    if not hasattr(h, "keys"):
        raise ValueError(
            f"diagnose: expected the History that fit() returns (or its .history dict), "
            f"got {type(history).__name__}. Pass history = model.fit(...)."
        )
    missing = [k for k in ("loss", "val_loss") if k not in h]
    if missing:
        raise ValueError(
            f"diagnose: expected a history with 'loss' and 'val_loss', missing "
            f"{', '.join(missing)} (found {', '.join(sorted(h)) or 'nothing'}). "
            "Pass validation data to fit(): validation_split=0.2 or validation_data=(X_val, y_val)."
        )
    loss = np.asarray(h["loss"], dtype=float)
    val = np.asarray(h["val_loss"], dtype=float)
    if loss.ndim != 1 or loss.shape != val.shape or loss.size == 0:
        raise ValueError(
            f"diagnose: expected 'loss' and 'val_loss' with one value per epoch, of equal "
            f"length >= 1, got lengths {loss.size} and {val.size}. Pass the History of one "
            "complete fit() call with validation data."
        )
    bad = np.flatnonzero(~(np.isfinite(loss) & np.isfinite(val)))
    if bad.size:
        epochs = ", ".join(str(i + 1) for i in bad[:5]) + (", ..." if bad.size > 5 else "")
        raise ValueError(
            f"diagnose: expected finite losses, got NaN or infinity at epoch(s) {epochs} of "
            f"{loss.size}: training diverged, so the curves cannot be read. Train again with a "
            "smaller learning rate (and scaled inputs), then pass that History."
        )
    if (loss < 0).any() or (val < 0).any():
        raise ValueError(
            "diagnose: expected losses >= 0 (mean squared error, cross-entropy), got a negative "
            "value; pass the History of a model compiled with such a loss."
        )
    return loss, val


def _check_floor(noise_floor):
    """``noise_floor`` as a float >= 0, or None."""
    if noise_floor is None:
        return None
    ok = isinstance(noise_floor, numbers.Real) and not isinstance(noise_floor, bool)
    if not ok or not np.isfinite(noise_floor) or noise_floor < 0:
        raise ValueError(
            f"diagnose: expected noise_floor >= 0 (the loss no model can beat, e.g. sigma**2 "
            f"for Gaussian noise and MSE, 0 for noise-free data, None if unknown), got "
            f"{noise_floor!r}."
        )
    return float(noise_floor)


def _kept_epoch(best_epoch, val):
    """The 1-based epoch whose weights the model holds (``len(val)``: the last)."""
    n = len(val)
    if best_epoch is None:
        return n
    if isinstance(best_epoch, str):
        if best_epoch != "min_val_loss":
            raise ValueError(
                f"diagnose: expected best_epoch = an epoch number, 'min_val_loss' or the "
                f"EarlyStopping callback, got {best_epoch!r}."
            )
        return int(np.argmin(val)) + 1
    if hasattr(best_epoch, "restore_best_weights"):  # keras.callbacks.EarlyStopping
        if not best_epoch.restore_best_weights:
            return n  # without restoring, the model keeps the last epoch's weights
        if getattr(best_epoch, "best_weights", None) is None:
            raise ValueError(
                "diagnose: best_epoch is an EarlyStopping callback that fit() has not used yet; "
                "pass the callback given to fit(callbacks=[...]) after training."
            )
        return min(int(best_epoch.best_epoch) + 1, n)  # Keras counts epochs from 0
    integer = isinstance(best_epoch, numbers.Integral) and not isinstance(best_epoch, bool)
    if integer and 1 <= best_epoch <= n:
        return int(best_epoch)
    raise ValueError(
        f"diagnose: expected best_epoch between 1 and {n} (the epochs run), 'min_val_loss' or "
        f"the EarlyStopping callback, got {best_epoch!r}."
    )


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
    """Classify learning curves as under-trained, underfitting, overfitting or a good fit.

    Parameters
    ----------
    history : keras.callbacks.History or dict
        ``model.fit(...)`` 's return value or its ``.history`` dict; needs
        ``"loss"`` and ``"val_loss"``, each a sequence of n_epochs >= 1 finite
        values >= 0.
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
        Fraction of the epochs (at least one) whose median gives the "final" levels.
    rise_tol, gap_tol : float, default 0.25 and 1.5
        Overfitting needs the final validation level more than ``gap_tol`` times
        the final training level, and either more than ``rise_tol`` above its
        lowest level, or falling by less than ``trend_tol / 2`` over the last
        quarter while the training loss falls by more than ``trend_tol``.
    trend_tol : float, default 0.05
        A relative fall of more than this over the last quarter of the epochs
        counts as "still falling".
    floor_factor : float, default 2.5
        See ``noise_floor``.
    learned_tol : float, default 0.8
        A final training loss above this fraction of the first epoch's loss means
        the model hardly learned.

    Returns
    -------
    Diagnosis
        ``label`` (one of :data:`~dnncourse.diagnose.LABELS`), ``evidence`` and ``advice``.  The evidence
        holds ``n_epochs``, ``kept_epoch``, ``epochs_after`` (run after the kept one;
        they count as "training longer did not help" when at least ``window``, the
        number of epochs a level is the median of, and none lowered the validation loss),
        ``train_first``, ``train_final``, ``train_min``, ``val_final``, ``val_min``,
        ``val_best_level`` and ``val_best_epoch`` (1-based; each epoch's level is
        the median of the ``tail`` window ending there), ``val_rise`` (final over
        best validation level, minus 1), ``gap_ratio`` (final validation over final
        training level), ``train_trend`` and ``val_trend`` (relative change over the
        last quarter, negative when falling), and with a noise floor ``noise_floor``
        and ``train_over_floor``; all up to the kept epoch.

    Raises
    ------
    ValueError
        When the history lacks ``val_loss``, has no epochs or unequal lengths,
        holds NaN, infinity or negative losses, or an argument is out of range.
    """
    loss_all, val_all = _curves(history)
    noise_floor = _check_floor(noise_floor)
    m = _kept_epoch(best_epoch, val_all)
    n, after = len(loss_all), len(loss_all) - m
    loss, val = loss_all[:m], val_all[:m]
    k = max(1, round(tail * m))
    quarter = max(1, m // 4)

    def level(curve, end):
        """Median of the ``k`` epochs ending at index ``end`` (exclusive); the first epoch if none."""
        return float(np.median(curve[max(0, end - k) : max(end, 1)]))

    train_final, val_final = level(loss, m), level(val, m)
    # The validation level at each epoch, smoothed the same way: a single lucky
    # epoch must not count as the minimum the curve later "rises" from.
    val_smooth = np.array([level(val, end) for end in range(1, m + 1)])
    val_best = int(np.argmin(val_smooth))
    e = {
        "n_epochs": n,
        "kept_epoch": m,
        "epochs_after": after,
        "window": k,
        "train_first": float(loss[0]),
        "train_final": train_final,
        "train_min": float(loss.min()),
        "val_final": val_final,
        "val_min": float(val.min()),
        "val_best_level": float(val_smooth[val_best]),
        "val_best_epoch": val_best + 1,
        "val_rise": _ratio(val_final, float(val_smooth[val_best])) - 1.0,
        "gap_ratio": _ratio(val_final, train_final),
        # one epoch has no trend: 0 means "not falling"
        "train_trend": _ratio(train_final, level(loss, m - quarter)) - 1.0 if m > 1 else 0.0,
        "val_trend": _ratio(val_final, level(val, m - quarter)) - 1.0 if m > 1 else 0.0,
    }
    if noise_floor is not None:
        e["noise_floor"] = noise_floor
        e["train_over_floor"] = _ratio(train_final, noise_floor)
    if after:  # what the epochs after the kept one did to each loss (< 0: lowered it)
        e["train_after_trend"] = _ratio(float(np.min(loss_all[m:])), train_final) - 1.0
        e["val_after_trend"] = _ratio(float(np.min(val_all[m:])), float(val[-1])) - 1.0
    label, advice = _classify(e, rise_tol, gap_tol, trend_tol, floor_factor, learned_tol)
    if e.get("val_after_trend", 0) < -_EPS:
        advice += (
            f" Note: a later epoch reached a {-e['val_after_trend']:.0%} lower validation loss "
            f"than epoch {m}, the one you kept."
        )
    return Diagnosis(label, e, advice)


def _classify(e, rise_tol, gap_tol, trend_tol, floor_factor, learned_tol):
    """``(label, advice)`` from the evidence of :func:`diagnose`; see there for the tolerances."""
    m = e["kept_epoch"]
    # Epochs after the kept one that never lowered the validation loss show that
    # training longer did not help, if there are at least a level window of them;
    # if one did lower it, the learner kept the wrong epoch.
    after = e["epochs_after"]
    if e.get("val_after_trend", 0) < -_EPS or after < e["window"]:
        after = 0
    train, val, first = e["train_final"], e["val_final"], e["train_first"]
    falling_train = e["train_trend"] < -trend_tol - _EPS
    falling_val = e["val_trend"] < -trend_tol / 2 - _EPS
    trends = f"{_pct(e['train_trend'])} and {_pct(e['val_trend'])} over the last quarter"
    kept = (
        f" (read at epoch {m}, whose weights you kept; the {after} epochs after it did not "
        "lower the validation loss)"
        if after
        else ""
    )
    if m == 1 and not after:
        return "under-trained", (
            "under-trained, as far as one epoch can tell: one epoch is too few to read learning "
            "curves; train for more epochs (e.g. epochs=50) and diagnose again."
        )
    if m == 1:
        if e["train_after_trend"] < -trend_tol - _EPS:
            return "overfitting", (
                f"overfitting: the validation loss was lowest after the first epoch ({val:.3g}) and "
                f"the {after} epochs after it never beat it, while the training loss fell further; "
                "add L2 or dropout, use a smaller model or a smaller learning rate "
                f"({_TABLE}, 'overfitting')."
            )
        return "underfitting", (
            f"underfitting: neither loss improved after the first epoch (training {train:.3g}, "
            f"validation {val:.3g}); check the learning rate and the input scaling, then use a "
            f"bigger model ({_TABLE}, 'underfitting')."
        )
    gap_big = e["gap_ratio"] > gap_tol * (1 + _EPS)
    rising = e["val_rise"] > rise_tol + _EPS
    # A restored epoch is by construction where validation was lowest: the later
    # epochs already show what training on would do, so only a rise counts there.
    diverging = falling_train and not falling_val and not after
    if gap_big and (rising or diverging):
        return "overfitting", (
            f"overfitting: validation loss ended at {val:.3g}, "
            + (
                f"{e['val_rise']:.0%} above its lowest level {e['val_best_level']:.3g} (epoch "
                f"{e['val_best_epoch']})"
                if rising
                else f"no longer falling ({_pct(e['val_trend'])} over the last quarter)"
            )
            + f" and {e['gap_ratio']:.1f} times the training loss, which fell to {train:.3g}"
            f" ({_pct(e['train_trend'])}){kept}; add L2 "
            "or dropout, use a smaller model, or stop early with "
            f"EarlyStopping(restore_best_weights=True) ({_TABLE}, 'overfitting')."
        )
    floor = e.get("noise_floor")
    if floor is None:
        high, why = False, ""
    elif floor > 0:
        high = e["train_over_floor"] > floor_factor * (1 + _EPS)
        why = f"{e['train_over_floor']:.1f} times the noise floor {floor:.3g}"
    else:
        high = train > 0 and _ratio(train, first) > ZERO_FLOOR_FRACTION * (1 + _EPS)
        why = f"{_ratio(train, first):.1%} of its first value on noise-free data (floor 0)"
    # with a known floor, "high" decides: a loss near the floor from the start is no underfit
    hardly = floor is None and first > 0 and _ratio(train, first) > learned_tol * (1 + _EPS)
    if hardly and not high:
        why = f"hardly below its first value {first:.3g}"
    if (high or hardly) and falling_train and not after:
        return "under-trained", (
            f"under-trained (not converged): the training loss {train:.3g} is {why} but still "
            f"falling ({trends}); train longer, or with a larger learning rate or Adam (the "
            f"'more training' treatment for underfitting: {_TABLE}). If it then levels off this "
            "high, the model is too small: use a bigger one."
        )
    if high or hardly:
        return "underfitting", (
            f"underfitting (too little capacity): the training loss {train:.3g} is {why} and "
            + (
                f"training on did not help ({trends} up to epoch {m}, but the {after} epochs after "
                "it did not lower the validation loss)"
                if falling_train
                else f"no longer falling ({trends}){kept}"
            )
            + "; use a bigger model (more layers or neurons) or more "
            "features, after checking the input scaling and the learning rate "
            f"({_TABLE}, 'underfitting')."
        )
    if falling_train and falling_val and floor is None and not after:
        return "under-trained", (
            f"under-trained (not converged): training and validation loss were still falling at "
            f"the end ({trends}); train longer, or with a larger learning rate or Adam (the 'more "
            f"training' treatment for underfitting: {_TABLE})."
        )
    gap = (
        f" The validation loss is {e['gap_ratio']:.1f} times the training loss: if it is still "
        "too high, more data or more regularisation may help."
        if gap_big
        else ""
    )
    if after:
        return "good fit", (
            f"good fit: validation loss {val:.3g}, training loss {train:.3g}{kept}; training longer "
            f"would only fit the training data more closely, which keeping this epoch avoids.{gap}"
        )
    if falling_train and falling_val:  # only with a noise floor: without one, under-trained
        return "good fit", (
            f"good fit: the training loss {train:.3g} is "
            + (
                f"within {floor_factor:g} times the noise floor"
                if floor > 0
                else f"below {ZERO_FLOOR_FRACTION:.0%} of its first value (noise-free data)"
            )
            + f" and both losses still fall ({trends}); more epochs may gain a little.{gap}"
        )
    if falling_train:
        return "good fit", (
            f"good fit so far: the validation loss ({val:.3g}) has stopped improving "
            f"({_pct(e['val_trend'])} over the last quarter) while the training loss ({train:.3g}) "
            f"still falls ({_pct(e['train_trend'])}); more epochs would fit the training data, not "
            "new data: stop here, e.g. with EarlyStopping(restore_best_weights=True), or the gap "
            f"will grow into overfitting.{gap}"
        )
    if falling_val:
        return "good fit", (
            f"good fit: the training loss levelled off at {train:.3g} and the validation loss "
            f"({val:.3g}) still falls slowly ({trends}); more epochs will help little, so if the "
            f"loss is still too high, try a bigger model or a better optimizer.{gap}"
        )
    return "good fit", (
        f"good fit: both curves levelled off (validation loss {val:.3g}, training loss {train:.3g}, "
        f"{trends}) without the validation loss climbing; more epochs will not help, so if the loss "
        f"is still too high, try a bigger model or a better optimizer.{gap}"
    )
