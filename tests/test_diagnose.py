"""dnncourse.diagnose on built learning curves of each kind, and its input checks.

The real challenge runs are diagnosed in test_regression.py and test_iris.py,
which train them once per seed.
"""

from __future__ import annotations

import numpy as np
import pytest

from dnncourse.diagnose import LABELS, Diagnosis, diagnose

EPOCHS = np.arange(200)
RNG = np.random.default_rng(0)


def jitter(curve, scale=0.03):
    """Multiplicative noise like small-batch training's epoch-to-epoch wobble."""
    return curve * (1 + scale * RNG.standard_normal(curve.shape))


def good_fit():
    """Both losses fall and level off close together, near a floor of 0.04."""
    train = 0.04 + 3.0 * np.exp(-EPOCHS / 15)
    val = 0.05 + 3.2 * np.exp(-EPOCHS / 15)
    return {"loss": jitter(train), "val_loss": jitter(val)}


def overfitting():
    """Training loss keeps falling; validation loss bottoms out at epoch ~40, then climbs."""
    train = 0.005 + 1.0 * np.exp(-EPOCHS / 20)
    val = 0.15 + 1.0 * np.exp(-EPOCHS / 15) + 0.002 * np.clip(EPOCHS - 40, 0, None)
    return {"loss": jitter(train), "val_loss": jitter(val)}


def underfitting_high_flat():
    """Both losses stall early, close together, far above the noise floor 0.04."""
    train = 4.0 + 20.0 * np.exp(-EPOCHS / 5)
    val = 4.5 + 20.0 * np.exp(-EPOCHS / 5)
    return {"loss": jitter(train), "val_loss": jitter(val)}


def underfitting_still_falling():
    """Both losses still fall steadily at the end: the run stopped too soon."""
    train = 2.0 * np.exp(-EPOCHS / 120)
    val = 2.1 * np.exp(-EPOCHS / 120)
    return {"loss": jitter(train, 0.01), "val_loss": jitter(val, 0.01)}


def not_learning():
    """The loss hardly moves from its first value (e.g. a far too small learning rate)."""
    flat = 1.1 - 0.0002 * EPOCHS
    return {"loss": jitter(flat, 0.005), "val_loss": jitter(flat + 0.02, 0.005)}


@pytest.mark.parametrize(
    ("curves", "kwargs", "label"),
    [
        (good_fit, {"noise_floor": 0.04}, "good fit"),
        (good_fit, {}, "good fit"),
        (overfitting, {}, "overfitting"),
        (overfitting, {"noise_floor": 0.04}, "overfitting"),
        (underfitting_high_flat, {"noise_floor": 0.04}, "underfitting"),
        (underfitting_still_falling, {}, "underfitting"),
        (not_learning, {}, "underfitting"),
    ],
)
def test_built_curves(curves, kwargs, label):
    d = diagnose(curves(), **kwargs)
    assert d.label == label, str(d)
    assert d.advice.startswith(label)
    assert f"diagnosis: {label}" in str(d)


def test_evidence_numbers_are_those_of_the_curves():
    h = overfitting()
    d = diagnose(h)
    e = d.evidence
    assert e["n_epochs"] == 200
    assert e["val_min"] == pytest.approx(min(h["val_loss"]))
    levels = [np.median(h["val_loss"][max(0, i - 19) : i + 1]) for i in range(200)]
    assert e["val_best_level"] == pytest.approx(min(levels))
    assert e["val_best_epoch"] == int(np.argmin(levels)) + 1
    # the built curve bottoms out at epoch ~53; a trailing 20-epoch median lags by ~10
    assert 50 <= e["val_best_epoch"] <= 75
    assert e["train_final"] == pytest.approx(np.median(h["loss"][-20:]))
    assert e["val_rise"] == pytest.approx(e["val_final"] / e["val_best_level"] - 1)
    assert e["gap_ratio"] == pytest.approx(e["val_final"] / e["train_final"])
    assert e["val_rise"] > 0.25 and e["gap_ratio"] > 1.5


def test_thresholds_change_the_verdict():
    """Raising the tolerances turns the overfitting curves into no overfitting."""
    h = overfitting()
    assert diagnose(h).label == "overfitting"
    assert diagnose(h, gap_tol=100.0).label != "overfitting"
    # without a noise floor the stalled curves look converged; with one they underfit
    assert diagnose(underfitting_high_flat()).label == "good fit"
    assert diagnose(underfitting_high_flat(), noise_floor=0.04).label == "underfitting"


def test_one_lucky_epoch_is_no_minimum():
    """A single low validation epoch at the end must not hide a rising curve."""
    h = overfitting()
    h["val_loss"][-1] = 0.01
    assert diagnose(h).label == "overfitting"


def test_accepts_a_history_like_object():
    class History:
        history = good_fit()

    d = diagnose(History())
    assert isinstance(d, Diagnosis) and d.label in LABELS


@pytest.mark.parametrize(
    ("history", "message"),
    [
        ({"loss": [1.0, 0.5]}, "missing val_loss"),
        ({"loss": [1.0], "val_loss": [1.0]}, "length >= 2"),
        ({"loss": [1.0, 0.5, 0.4], "val_loss": [1.0, 0.5]}, "equal length"),
        ({"loss": [1.0, float("nan")], "val_loss": [1.0, 0.5]}, "NaN"),
    ],
)
def test_rejects_bad_histories(history, message):
    with pytest.raises(ValueError, match=message):
        diagnose(history)
