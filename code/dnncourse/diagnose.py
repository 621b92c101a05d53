"""Read learning curves: underfitting, overfitting or a good fit?

:func:`diagnose` looks only at the per-epoch training and validation losses that
``model.fit`` records, the way a practitioner reads the two curves:

* **overfitting**: the validation loss stays well above the training loss
  (more than ``gap_tol`` times it) and has either climbed back up from its lowest
  level or stopped falling while the training loss still falls (the model learns
  the training points' noise, not the pattern);
* **underfitting**: the training loss itself is still high: above a known noise
  floor, or (without a noise floor) still falling steadily with the validation
  loss falling alongside (the run stopped too soon), or it hardly fell at all
  (the model cannot learn);
* **good fit**: neither; the curves have levelled off close to each other.

Levels are medians over the last ``tail`` fraction of the epochs, so that the
epoch-to-epoch jitter of small-batch training does not decide the verdict.
NumPy only: no Keras import.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

LABELS = ("underfitting", "overfitting", "good fit")


@dataclass(frozen=True)
class Diagnosis:
    """The verdict of :func:`diagnose`.

    Attributes
    ----------
    label : str
        ``"underfitting"``, ``"overfitting"`` or ``"good fit"``.
    evidence : dict of str to float or int
        The numbers the verdict rests on (see :func:`diagnose`).
    advice : str
        One sentence for a learner: what the curves show and what to try.
    """

    label: str
    evidence: dict = field(default_factory=dict)
    advice: str = ""

    def __str__(self):
        e = self.evidence
        lines = [
            f"diagnosis: {self.label}",
            f"  epochs run:               {e['n_epochs']}",
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
                f"{e['train_over_floor']:.3g} times the floor"
            )
        lines.append(f"  advice: {self.advice}")
        return "\n".join(lines)


def _curves(history):
    """``(loss, val_loss)`` as float arrays of equal length >= 2 from a History or dict."""
    h = getattr(history, "history", history)
    missing = [k for k in ("loss", "val_loss") if k not in h]
    if missing:
        raise ValueError(
            f"diagnose: expected a history with 'loss' and 'val_loss', missing "
            f"{', '.join(missing)} (found {', '.join(sorted(h)) or 'nothing'}). "
            "Pass validation data to fit(): validation_split=... or validation_data=(X_val, y_val)."
        )
    loss = np.asarray(h["loss"], dtype=float)
    val = np.asarray(h["val_loss"], dtype=float)
    if loss.shape != val.shape or loss.ndim != 1 or len(loss) < 2:
        raise ValueError(
            f"diagnose: expected 'loss' and 'val_loss' of equal length >= 2, got lengths "
            f"{loss.size} and {val.size}."
        )
    if not (np.isfinite(loss).all() and np.isfinite(val).all()):
        raise ValueError("diagnose: the losses contain NaN or infinity; training diverged.")
    return loss, val


def diagnose(
    history,
    noise_floor=None,
    tail=0.1,
    rise_tol=0.25,
    gap_tol=1.5,
    trend_tol=0.05,
    floor_factor=2.5,
    learned_tol=0.8,
):
    """Classify learning curves as underfitting, overfitting or a good fit.

    Parameters
    ----------
    history : keras.callbacks.History or dict
        ``model.fit(...)`` 's return value or its ``.history`` dict; needs
        ``"loss"`` and ``"val_loss"``, each a sequence of length n_epochs >= 2.
    noise_floor : float, optional
        The loss no model can beat (for a regression with Gaussian noise and MSE
        loss: sigma squared). When given, a training loss above
        ``floor_factor * noise_floor`` counts as underfitting.
    tail : float, default 0.1
        Fraction of the epochs (at least one) whose median gives the "final" levels.
    rise_tol : float, default 0.25
        Overfitting needs the final validation level at least ``gap_tol`` times
        the final training level, and either this fraction above its lowest
        level, or falling by less than ``trend_tol / 2`` over the last quarter
        while the training loss falls by more than ``trend_tol``.
    gap_tol : float, default 1.5
        See ``rise_tol``.
    trend_tol : float, default 0.05
        A relative fall of more than this over the last quarter of the epochs
        counts as "still falling".
    floor_factor : float, default 2.5
        See ``noise_floor``.
    learned_tol : float, default 0.8
        A final training loss above this fraction of the first epoch's loss means
        the model hardly learned: underfitting.

    Returns
    -------
    Diagnosis
        ``label``, ``evidence`` and ``advice``. The evidence holds ``n_epochs``,
        ``train_first``, ``train_final``, ``train_min``, ``val_final``,
        ``val_min`` (lowest single epoch), ``val_best_level`` and ``val_best_epoch``
        (1-based): the lowest validation level, each epoch's level being the median
        of the ``tail`` window ending there, ``val_rise`` (final validation level
        over ``val_best_level``, minus 1), ``gap_ratio`` (final validation over final
        training loss), ``train_trend`` and ``val_trend`` (relative change over the
        last quarter, negative when falling), and with a noise floor
        ``noise_floor`` and ``train_over_floor``.

    Raises
    ------
    ValueError
        When the history lacks ``val_loss``, is shorter than two epochs, or
        holds NaN/inf.
    """
    loss, val = _curves(history)
    n = len(loss)
    k = max(1, round(tail * n))
    quarter = max(1, n // 4)

    def level(curve, end):
        """Median of the ``k`` epochs ending at index ``end`` (exclusive)."""
        return float(np.median(curve[max(0, end - k) : end]))

    train_final, val_final = level(loss, n), level(val, n)
    train_before, val_before = level(loss, n - quarter), level(val, n - quarter)
    # The validation level at each epoch, smoothed the same way: a single lucky
    # epoch must not count as the minimum the curve later "rises" from.
    val_smooth = np.array([level(val, end) for end in range(1, n + 1)])
    val_best = int(np.argmin(val_smooth))
    tiny = 1e-12  # guards divisions when a loss reaches exactly zero
    e = {
        "n_epochs": n,
        "train_first": float(loss[0]),
        "train_final": train_final,
        "train_min": float(loss.min()),
        "val_final": val_final,
        "val_min": float(val.min()),
        "val_best_level": float(val_smooth[val_best]),
        "val_best_epoch": val_best + 1,
        "val_rise": val_final / max(float(val_smooth[val_best]), tiny) - 1.0,
        "gap_ratio": val_final / max(train_final, tiny),
        "train_trend": train_final / max(train_before, tiny) - 1.0,
        "val_trend": val_final / max(val_before, tiny) - 1.0,
    }
    if noise_floor is not None:
        e["noise_floor"] = float(noise_floor)
        e["train_over_floor"] = train_final / float(noise_floor)

    # Overfitting first: a rising validation loss above a much lower training loss
    # is the clearest sign, whatever the levels.
    rising = e["val_rise"] > rise_tol
    # "falling" means by more than trend_tol / 2 for the validation loss, as below
    diverging = e["train_trend"] < -trend_tol and e["val_trend"] >= -trend_tol / 2
    if e["gap_ratio"] > gap_tol and (rising or diverging):
        advice = (
            f"overfitting: validation loss ended at {val_final:.3g}, {e['val_rise']:.0%} above "
            f"its lowest level {e['val_best_level']:.3g} (epoch {e['val_best_epoch']}) and "
            f"{e['gap_ratio']:.1f} times the training loss, which fell to {train_final:.3g}; "
            "add L2 or dropout, use a smaller model, or stop early with "
            "EarlyStopping(restore_best_weights=True)."
        )
        return Diagnosis("overfitting", e, advice)
    if noise_floor is not None and e["train_over_floor"] > floor_factor:
        advice = (
            f"underfitting: training loss {train_final:.3g} is {e['train_over_floor']:.1f} times "
            f"the noise floor {noise_floor:.3g}; use a bigger model, a better optimizer or "
            "learning rate (e.g. Adam), scale the inputs, or train longer."
        )
        return Diagnosis("underfitting", e, advice)
    if loss[0] > 0 and train_final > learned_tol * loss[0]:
        advice = (
            f"underfitting: training loss hardly fell ({loss[0]:.3g} -> {train_final:.3g}); "
            "check the learning rate and the input scaling, or use a bigger model."
        )
        return Diagnosis("underfitting", e, advice)
    near_floor = noise_floor is not None  # past the floor test above: as good as it gets
    if not near_floor and e["train_trend"] < -trend_tol and e["val_trend"] < -trend_tol / 2:
        advice = (
            f"underfitting: training and validation loss were still falling at the end "
            f"({e['train_trend']:+.0%} and {e['val_trend']:+.0%} over the last quarter); "
            "train longer or with a larger learning rate (or a faster optimizer such as Adam)."
        )
        return Diagnosis("underfitting", e, advice)
    advice = (
        f"good fit: the curves levelled off (validation loss {val_final:.3g}, training loss "
        f"{train_final:.3g}) without the validation loss climbing; more epochs will not help, "
        "so if the loss is still too high, try a bigger model or a better optimizer."
    )
    return Diagnosis("good fit", e, advice)
