"""dnncourse.diagnose on generated histories (Hypothesis): the promises of its docstring.

- any finite history of length >= 1 with val_loss gets a Diagnosis, never an error;
- the label does not change when both losses (and the noise floor) are multiplied
  by the same positive number;
- noise floors >= 0 are accepted, negative ones refused with a ValueError naming
  ``noise_floor``;
- the advice never says the curves "levelled off" while the training loss still falls;
- the label is "unstable" exactly when the training loss's final level is more than
  ``rise_tol`` above its lowest level (the first rule after the one-epoch rows).

Failing examples Hypothesis found are pinned with ``@example`` (see the report in
test_diagnose.py's module docstring for the recorded runs).
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dnncourse.diagnose import LABELS, diagnose

# Losses are >= 0; zero and a wide range of magnitudes, no subnormals (whose
# scaling loses digits and would test float rounding, not diagnose).
loss_values = st.one_of(st.just(0.0), st.floats(1e-6, 1e6, allow_subnormal=False))
scales = st.floats(1e-3, 1e3, allow_subnormal=False)
floors = st.one_of(st.none(), st.just(0.0), st.floats(1e-6, 1e3, allow_subnormal=False))


@st.composite
def histories(draw, max_epochs=40):
    """``{"loss": [...], "val_loss": [...]}`` of 1..max_epochs finite losses >= 0."""
    pairs = draw(st.lists(st.tuples(loss_values, loss_values), min_size=1, max_size=max_epochs))
    return {"loss": [p[0] for p in pairs], "val_loss": [p[1] for p in pairs]}


# 50 examples keep the fast loop fast; search harder with e.g. DNNCOURSE_HYPOTHESIS_EXAMPLES=5000.
FAST = settings(
    max_examples=int(os.environ.get("DNNCOURSE_HYPOTHESIS_EXAMPLES", "50")), deadline=None
)


@FAST
@given(history=histories(), floor=floors, data=st.data())
@example(history={"loss": [0.0, 0.0], "val_loss": [0.0, 0.0]}, floor=0.0, data=None)
@example(history={"loss": [1.0], "val_loss": [0.0]}, floor=None, data=None)
def test_never_raises_on_a_finite_history(history, floor, data):
    n = len(history["loss"])
    best = None if data is None else data.draw(st.one_of(st.none(), st.integers(1, n)))
    d = diagnose(history, noise_floor=floor, best_epoch=best)
    assert d.label in LABELS
    assert d.advice.startswith(d.label)
    assert str(d).startswith(f"diagnosis: {d.label}")


@FAST
@given(history=histories(), floor=floors, c=scales)
@example(history={"loss": [1.0, 1.0], "val_loss": [1.5, 1.5]}, floor=None, c=0.1)
@example(history={"loss": [1.0, 0.95], "val_loss": [1.0, 1.0]}, floor=0.4, c=3.0)
def test_label_is_invariant_to_scaling_the_loss(history, floor, c):
    scaled = {key: [c * x for x in values] for key, values in history.items()}
    scaled_floor = None if floor is None else c * floor
    assert diagnose(scaled, noise_floor=scaled_floor).label == diagnose(history, floor).label


@FAST
@given(history=histories(max_epochs=5), floor=st.floats(0, 1e6))
def test_non_negative_noise_floors_are_accepted(history, floor):
    assert diagnose(history, noise_floor=floor).evidence["noise_floor"] == floor


@FAST
@given(
    history=histories(max_epochs=5),
    floor=st.one_of(st.floats(max_value=-1e-300), st.just(float("-inf")), st.just(float("nan"))),
)
def test_negative_noise_floors_are_refused(history, floor):
    with pytest.raises(ValueError, match=r"noise_floor: expected a number >= 0"):
        diagnose(history, noise_floor=floor)


@FAST
@given(history=histories(), floor=floors)
def test_never_levelled_off_while_training_still_falls(history, floor):
    d = diagnose(history, noise_floor=floor)
    if d.evidence["train_trend"] < -0.05:
        assert "levelled off" not in d.advice
        assert "will not help" not in d.advice


@FAST
@given(history=histories(), floor=floors)
@example(history={"loss": [1.0, 1.3], "val_loss": [1.0, 1.0]}, floor=None)
@example(history={"loss": [0.0, 1e-6], "val_loss": [1.0, 1.0]}, floor=0.0)
def test_unstable_exactly_when_the_training_level_rose(history, floor):
    d = diagnose(history, noise_floor=floor)
    rise = d.evidence["train_rise"]
    if rise > 0.25 + 1e-6:  # (within 1e-6 of the tolerance either label is right)
        assert d.label == "unstable" and "learning rate" in d.advice, str(d)
    elif rise <= 0.25:
        assert d.label != "unstable", str(d)


def test_generated_histories_reach_every_label():
    """The strategies are not too narrow: handpicked members of them get each label."""
    t = np.arange(40.0)
    cases = {
        "overfitting": ({"loss": list(np.exp(-t / 5)), "val_loss": list(0.5 + t / 40)}, None),
        "under-trained": ({"loss": list(1 - t / 50), "val_loss": list(1.05 - t / 50)}, None),
        "underfitting": ({"loss": [1.0] * 40, "val_loss": [1.1] * 40}, None),
        "good fit": (
            {"loss": list(0.01 + np.exp(-t / 3)), "val_loss": list(0.011 + np.exp(-t / 3))},
            0.01,
        ),
        "unstable": (
            {"loss": list(np.exp(-t / 3) + t / 40), "val_loss": list(np.exp(-t / 3) + t / 40)},
            None,
        ),
    }
    for label, (history, floor) in cases.items():
        assert diagnose(history, noise_floor=floor).label == label
