"""What every checker shares: calling the learner's model safely, and the two message formats.

:func:`predict` turns "the learner's model" (a Keras model or a plain function) into a
NumPy array with clear errors; :func:`validation_verdict` raises on a missed target
(the learner iterates); :func:`dnncourse.checks.final.final_verdict` only reports
(the test score is final).
"""

from __future__ import annotations

import sys
from collections import Counter

import numpy as np

from .._args import describe, to_numpy


class Verdict(str):
    """A checker's message, with the verdict's numbers as attributes.

    A ``str`` (the message printed), so ``"target met" in verdict`` works.

    Attributes
    ----------
    passed : bool
        Whether every target of the exercise was met.
    split : str
        ``"validation"`` (iterate on it) or ``"test"`` (the final score).
    metric : str
        E.g. ``"validation MSE"`` or ``"test accuracy"``.
    value, target : float
        The main metric and its target.
    details : dict
        Further numbers, e.g. ``{"new_samples_right": 2}`` for iris.
    """

    def __new__(cls, message, *, passed, split, metric, value, target, details=None):
        self = super().__new__(cls, message)
        self.passed, self.split, self.metric = bool(passed), split, metric
        self.value, self.target, self.details = float(value), float(target), dict(details or {})
        return self

    def _ipython_display_(self):
        # The checker already printed the message: a bare `check_*(...)` as a cell's
        # last line would otherwise show it a second time, as a quoted string.
        pass


def _is_keras(model):
    """Whether ``model`` is a Keras layer or model (called with ``training=False``)."""
    keras = sys.modules.get("keras")  # not imported: then no Keras model exists, and no import
    return keras is not None and isinstance(model, keras.layers.Layer)


def _keras_input_shape(model):
    """The model's declared input shape such as (None, 2), or None when it declares none."""
    try:
        shape = model.input_shape
    except (AttributeError, ValueError):  # a subclassed or not yet built model
        return None
    return (
        tuple(shape)
        if isinstance(shape, (tuple, list)) and not isinstance(shape[0], (tuple, list))
        else None
    )


def predict(model, X, task, hint, batch_size=None):
    """``model``'s outputs on ``X`` as a float array, with checker errors instead of raw ones.

    Parameters
    ----------
    model : keras.Model or callable
        A Keras model is called as ``model(X, training=False)``; any other callable
        as ``model(X)`` with ``X`` a float32 NumPy array.
    X : ndarray, shape (n, ...)
    task : str
        Names the exercise in messages, e.g. ``"regression exercise"``.
    hint : str
        How to build the input layer, e.g. ``"begin with keras.Input(shape=(2,))"``.
    batch_size : int, optional
        Call the model on this many rows at a time (MNIST).

    Returns
    -------
    ndarray of float, shape (n, ...)

    Raises
    ------
    TypeError
        When ``model`` is not callable.
    AssertionError
        When the model takes another input shape or fails on the inputs.
    """
    X = np.asarray(X, dtype="float32")
    expected = "(None, " + ", ".join(str(d) for d in X.shape[1:]) + ")"
    if not callable(model):
        raise TypeError(
            f"{task}: expected a trained keras.Model, or a function f(X) taking a float32 array of "
            f"shape {expected.replace('None', 'n')} and returning the predictions, got "
            f"{type(model).__name__}."
        )
    keras_model = _is_keras(model)
    if keras_model:
        shape = _keras_input_shape(model)
        if shape is not None and (
            len(shape) != X.ndim
            or any(s not in (None, d) for s, d in zip(shape[1:], X.shape[1:], strict=True))
        ):
            raise AssertionError(
                f"{task}: expected a model taking inputs of shape {expected}, got a model whose "
                f"input shape is {shape}. Hint: {hint}."
            )
    step = batch_size or max(len(X), 1)
    what = "model" if keras_model else "function"
    try:
        parts = [
            model(X[i : i + step], training=False) if keras_model else model(X[i : i + step])
            for i in range(0, max(len(X), 1), step)
        ]
    # anything the learner's model raises (its own failing assert too) becomes one clear
    # message naming the expected input: it must not read like the checker's verdict
    except Exception as err:  # noqa: BLE001
        first = str(err).strip().splitlines()[0][:300] if str(err).strip() else type(err).__name__
        raise AssertionError(
            f"{task}: expected a {what} that accepts a float32 array of shape {expected}, but "
            f"calling it failed with {type(err).__name__}: {first}. Hint: {hint}."
        ) from None
    try:
        if any(p is None for p in parts):  # np.asarray(None, float) would be a NaN
            raise TypeError
        return np.concatenate([np.atleast_1d(to_numpy(p, dtype=float)) for p in parts])
    except (TypeError, ValueError):  # a dict, text, None, the function itself, ragged rows
        got = next((p for p in parts if p is None), parts[0])
        raise AssertionError(
            f"{task}: expected the {what} to return its predictions as numbers (an array with "
            f"one row per input), got {describe(got)}. Hint: return the model's output, e.g. "
            "`return model.predict(X, verbose=0)`."
        ) from None


def nonfinite(values):
    """``"your model outputs NaN for 40 of 40 inputs"``, or ``""`` when every row is finite."""
    rows = values.reshape(len(values), -1)
    nan = np.isnan(rows).any(axis=1)
    inf = np.isinf(rows).any(axis=1) & ~nan
    found = [f"{name} for {int(n)}" for name, n in (("NaN", nan.sum()), ("inf", inf.sum())) if n]
    if not found:
        return ""
    return f"your model outputs {' and '.join(found)} of {len(rows)} inputs"


def scored_accuracy(scores, y):
    """``(accuracy, bad)``: the share of rows whose highest score is the label ``y``.

    Parameters
    ----------
    scores : ndarray, shape (n, k)
        Class scores or probabilities, one row per input.
    y : ndarray, shape (n,)
        Integer labels.

    Returns
    -------
    accuracy : float
        0.0 when ``bad``: non-finite outputs count as wrong.
    bad : str
        :func:`nonfinite`'s message, ``""`` when every row is finite.
    """
    bad = nonfinite(scores)
    return (0.0 if bad else float(np.mean(scores.argmax(axis=1) == y))), bad


DIVERGED = (
    "training diverged; lower the learning rate, scale the inputs (a Normalization layer), and "
    "check that the loss fell during fit"
)


def curve_hint(hint, checker):
    """``hint`` (it names a diagnosis), or :data:`~dnncourse.reveal.HELD_BACK` before a prediction.

    Under "Run all" a checker's cell runs right after the blank prediction cell;
    its hint would give the answer away (:func:`dnncourse.reveal.predicted`).  The
    prediction cell shows a held-back hint once the prediction is written.
    """
    from .. import reveal

    return reveal.hold_back(checker, hint)


def diagnosis_hint(history, fallback, checker, **kwargs):
    """The diagnosis' advice as a hint; if the history cannot be read, the fallback and why."""
    if history is None:
        return fallback
    from ..diagnose import diagnose

    try:
        return curve_hint(diagnose(history, **kwargs).advice, checker)
    except (TypeError, ValueError) as err:  # a hint only: it must never hide the verdict
        return f"{fallback} (no diagnosis of your learning curves: {err})"


def fold_diagnoses(histories, **diagnose_kwargs):
    """``(found, errors)``: the folds' readable diagnoses, and why the others could not be read.

    ``histories`` holds one ``History`` (or dict, or None) per fold;
    ``diagnose_kwargs`` go to :func:`~dnncourse.diagnose.diagnose` (``noise_floor=``,
    ``best_epoch=``).
    """
    from ..diagnose import diagnose

    found, errors = [], []
    for history in histories:
        if history is None:
            errors.append("your function returned no history; end it with `return model, history`")
            continue
        try:
            found.append(diagnose(history, **diagnose_kwargs))
        except (TypeError, ValueError) as err:  # a hint only: it must never hide the verdict
            errors.append(str(err))
    return found, errors


def fold_diagnosis(histories, **diagnose_kwargs):
    """The most common :func:`~dnncourse.diagnose.diagnose` label over the folds' histories.

    Parameters
    ----------
    histories : list
        One ``History`` (or dict, or None) per fold.
    **diagnose_kwargs
        Passed to ``diagnose`` (``noise_floor=``, ``best_epoch=``).

    Returns
    -------
    label : str or None
        None when no history could be read.
    count : int
        In how many folds the curves got that label (ties: a fault before "good fit",
        then the earlier fold's label).
    advice : str
        The advice of the first fold with that label, then, when two folds or more tie,
        that of each fault as common; or why no history could be read.
    """
    return most_common(*fold_diagnoses(histories, **diagnose_kwargs))


def most_common(found, errors):
    """:func:`fold_diagnosis`'s ``(label, count, advice)`` from :func:`fold_diagnoses`' result."""
    if not found:
        return None, 0, errors[0] if errors else "no folds"
    labels = [d.label for d in found]
    counts = Counter(labels)
    # the most common label; in a tie a fault before "good fit", then the earlier fold's
    label = max(counts, key=lambda x: (counts[x], x != "good fit", -labels.index(x)))
    advice = found[labels.index(label)].advice
    # a tie of two folds or more: the advice of each fault as common (the counts are in the
    # hint's first words, so a 1-1-1 split shows without a paragraph each)
    for name in sorted(set(labels) - {label, "good fit"}, key=labels.index):
        if counts[name] == counts[label] >= 2:
            advice = f"{advice.rstrip('.')}. Just as often: {found[labels.index(name)].advice}"
    return label, counts[label], advice


def unread_note(histories, **kwargs):
    """For a met target: one sentence naming a history that could not be read, or ``""``.

    A missed target names it in its hint; a met one shows no hint, so without this
    sentence a learner would not know that their curves went unread.  ``None`` (no
    history given) is not named, nor is anything when one of ``histories`` reads.
    The sentence names no diagnosis, so it needs no :func:`curve_hint` gate.
    """
    from ..diagnose import diagnose

    why = ""
    for history in histories:
        if history is None:
            continue
        try:
            diagnose(history, **kwargs)
        except (TypeError, ValueError) as err:  # named after the verdict, never instead of it
            why = why or str(err)
        else:
            return ""
    return f"Your history could not be read, so your curves got no diagnosis: {why}" if why else ""


def _compare(got, target, higher_is_better):
    ok = got >= target if higher_is_better else got <= target
    return ok, (">=" if higher_is_better else "<="), abs(got - target)


def validation_line(task, rows, metric, got, target, higher_is_better=True, bad=""):
    """``(passed, message)`` for one validation metric; ``bad`` names non-finite outputs."""
    if bad:
        return False, f"{task}, validation: expected finite predictions, but {bad}."
    ok, rel, margin = _compare(got, target, higher_is_better)
    if ok:
        return True, (
            f"{task}, validation ({rows}; iterate on this): target met. {metric} = {got:.4g} "
            f"({rel} {target:.4g}, "
            + (f"with {margin:.3g} to spare)." if margin else "exactly at the target).")
        )
    return False, (
        f"{task}, validation: expected {metric} {rel} {target:.4g}, got {got:.4g} "
        f"({'short' if higher_is_better else 'over'} by {margin:.3g})."
    )


def verdict_word(passed):
    """The word a verdict starts with, so that a learner reads pass or fail first."""
    return "PASSED: " if passed else "NOT MET: "


def validation_verdict(lines, final_call, hint, **verdict):
    """Print and return the verdict when every line passed, else raise with the hint.

    ``lines`` are :func:`validation_line` results; the verdict comes first (``PASSED:`` or
    ``NOT MET:``), the hint last, each on its own line so that pass or fail, expected and
    got are read first.
    """
    passed = all(ok for ok, _ in lines)
    message = verdict_word(passed) + "\n".join(text for _, text in lines)
    if passed:
        message += f"\nWhen you are done, score the test set once: {final_call}."
        print(message)
        return Verdict(message, passed=True, split="validation", **verdict)
    raise AssertionError(f"{message}\nHint: {hint}")


# --- the checkers' door: every argument checked before any data is loaded -----------------

#: Marks an argument that the checker at hand does not take.
