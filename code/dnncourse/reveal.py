"""Predict first, then reveal: the diagnosis of a run is shown only after the learner's prediction.

A tutorial asks "underfitting or overfitting?" before it shows the answer.  In a
notebook, "Run all" runs every cell, so an answer printed by an earlier cell (or a
cell tag that hides it on the website) would be read before the learner thinks.
Here the learner writes the prediction *in code*, in the same cell that reveals
the diagnosis; until it is written, that cell shows nothing of the answer::

    from dnncourse.reveal import reveal_diagnosis

    my_prediction = "..."  # one of: under-trained, underfitting, overfitting, unstable, good fit
    my_reason = "..."      # one sentence: what in the curves made you decide
    reveal_diagnosis(my_prediction, my_reason, history, noise_floor=0.04)

The diagnosis is :func:`dnncourse.diagnose.diagnose`, the same reading of the
curves that the checkers' hints use.  NumPy only: no Keras import.
"""

from __future__ import annotations

import inspect
import os
import textwrap

from . import _diagnose_messages as messages
from ._args import Arguments, describe
from .diagnose import LABELS, _diagnose, diagnose

#: Other spellings a learner may write, and the label each means.
SYNONYMS = {
    "undertrained": "under-trained",
    "under trained": "under-trained",
    "not converged": "under-trained",
    "not trained enough": "under-trained",
    "underfit": "underfitting",
    "under-fitting": "underfitting",
    "under fitting": "underfitting",
    "underfits": "underfitting",
    "overfit": "overfitting",
    "over-fitting": "overfitting",
    "over fitting": "overfitting",
    "overfits": "overfitting",
    "good": "good fit",
    "fine": "good fit",
    "good-fit": "good fit",
    "diverging": "unstable",
    "learning rate too large": "unstable",
}
#: Labels that share a treatment, so that predicting one for the other is "close".
CLOSE = {
    frozenset({"under-trained", "underfitting"}): (
        "both mean the training loss is still too high; 'under-trained' says more epochs (or "
        "larger steps) would lower it, 'underfitting' that the model cannot go lower"
    ),
    frozenset({"under-trained", "unstable"}): (
        "both leave the training loss high; 'unstable' says the steps are too large, "
        "'under-trained' that there were too few of them"
    ),
}
#: What each label looks like in the curves: the rows of the fitting page's table, in
#: the order of ``LABELS`` (printed until the learner has predicted).
MEANINGS = {
    "unstable": "the training loss ends well above its lowest level (it climbed back or blew "
    "up): steps too large",
    "under-trained": "the training loss is high and still falling (with no noise floor to "
    "compare: both losses still fall): training is not finished",
    "underfitting": "the training loss is high (well above the noise floor, or hardly below "
    "its first epoch) and training longer does not lower it: too little capacity",
    "overfitting": "the validation loss ends far above the training loss and has risen, or "
    "stalled while the training loss falls (or the training loss is below the noise floor)",
    "good fit": "none of these",
}
_BLANK = ("", "...", "?")


def _labels_table():
    """The five labels, each with what it looks like wrapped below it.

    Lines of at most 72 characters: the site's column and a notebook's output keep them
    whole, where one line per label wrapped mid-sentence.
    """
    wrapper = textwrap.TextWrapper(
        width=72, initial_indent=" " * 6, subsequent_indent=" " * 6,
        break_on_hyphens=False, break_long_words=False,
    )  # fmt: skip
    return "\n".join(f"  {label}\n{wrapper.fill(text)}" for label, text in MEANINGS.items())


#: A "jump": an epoch's loss this many times the median of the JUMP_WINDOW epochs before it.
JUMP, JUMP_WINDOW = 1.5, 5


def _jumps(history):
    """``{"validation": n, "training": n}``: how many epochs of each loss jump (readable ones)."""
    curves = messages.history_dict(history)
    counts = {}
    for key, name in (("val_loss", "validation"), ("loss", "training")):
        try:  # read as diagnose reads it: a dict {epoch: value} in epoch order
            values = messages._curve(Arguments("reveal_diagnosis"), curves, key).tolist()
        except (TypeError, KeyError, ValueError):
            continue
        counts[name] = sum(
            values[e] > JUMP * sorted(values[e - JUMP_WINDOW : e])[JUMP_WINDOW // 2]  # median of 5
            for e in range(JUMP_WINDOW, len(values))
        )
    return counts


def _epochs(n):
    return f"{n} epoch{'s' if n != 1 else ''}"


#: Set to "1" where nobody predicts: the book's build and the tests (the build's kernel
#: settings, tools/ipython_kernel_config.py, and tests/conftest.py set it).
SHOW_HINTS_ENV = "DNNCOURSE_SHOW_HINTS"
#: What a checker says instead of its hint from the learning curves, until a prediction.
HELD_BACK = (
    "held back until you have predicted, because it names the diagnosis of the learning "
    "curves: write my_prediction and my_reason in the reveal_diagnosis cell above and run "
    "it; it then shows this hint too, without training again"
)
_predicted = False  # this kernel has seen a written prediction (set by reveal_diagnosis)
_held = []  # (checker, hint) held back so far, shown once the prediction is written


def hold_back(checker, hint):
    """Keep a checker's ``hint`` for :func:`reveal_diagnosis`; return what to show instead.

    Before a prediction (:func:`predicted`) the checker shows :data:`HELD_BACK`, and
    the prediction cell shows the hint once the learner has written one, so that
    seeing it does not cost another training.
    """
    if predicted():
        return hint
    _held[:] = [(c, h) for c, h in _held if c != checker] + [(checker, hint)]
    return HELD_BACK


#: The keywords of ``diagnose`` that ``reveal_diagnosis`` passes on.
DIAGNOSE_KEYWORDS = tuple(p for p in inspect.signature(diagnose).parameters if p != "history")
_DEFAULTS = {
    name: p.default
    for name, p in inspect.signature(diagnose).parameters.items()
    if name not in ("history", "noise_floor", "best_epoch")
}
_FIXES = {
    "prediction": "Write the label in quotes, e.g. my_prediction = 'overfitting'.",
    "reason": "Write one sentence in quotes, e.g. my_reason = 'what in the curves made you decide'.",
}


def predicted():
    """Whether a checker may show its hint: a prediction was written in this kernel.

    ``reveal_diagnosis`` records one once the learner has written a label and a
    reason (right or wrong).  Under "Run all" with the prediction cell still blank,
    the checkers that follow hold their hint back (:data:`HELD_BACK`), since it names
    the diagnosis.  ``$DNNCOURSE_SHOW_HINTS=1`` shows hints anyway, where nobody
    predicts: the book's build and the tests.
    """
    return _predicted or os.environ.get(SHOW_HINTS_ENV) == "1"


def _label(prediction):
    """The diagnosis label a learner's words mean, or None if they name none."""
    words = " ".join(str(prediction).strip().lower().replace("_", " ").split())
    if words in LABELS:
        return words
    return SYNONYMS.get(words)


def reveal_diagnosis(prediction, reason, history, noise_floor=None, **diagnose_kwargs):
    """Compare the learner's prediction with :func:`~dnncourse.diagnose.diagnose`, then show it.

    Parameters
    ----------
    prediction : str
        The learner's label: one of :data:`~dnncourse.diagnose.LABELS` (or a
        common spelling of one, such as ``"overfit"``).  ``"..."`` (not yet
        written) reveals nothing.
    reason : str
        One sentence of reasoning; ``"..."`` reveals nothing.  It is printed
        back beside the diagnosis, so the learner can compare the two.
    history : keras.callbacks.History or dict
        ``fit``'s return value, with ``loss`` and ``val_loss``.
    noise_floor : float, optional
        Passed to ``diagnose`` (the regression tutorial's 0.04).
    **diagnose_kwargs
        Further arguments of ``diagnose``, such as ``best_epoch=``.

    Returns
    -------
    None
        Prints either what is still missing, or the comparison and the diagnosis.
        It never raises on a blank or unknown prediction, so that "Run all" goes
        on past the cell: blank is ``"..."``, ``""``, ``"?"``, or ``None`` or
        ``...`` (not yet written).  Once it has shown the diagnosis, the
        checkers show their hints too (:func:`predicted`).

    Raises
    ------
    TypeError
        When ``prediction`` or ``reason`` is written but is no ``str`` (a number,
        a list, the history: the message names ``my_prediction`` or ``my_reason``),
        or a keyword is none of ``diagnose``'s.
    TypeError, ValueError
        As :func:`~dnncourse.diagnose.diagnose`, for a bad ``history``,
        ``noise_floor`` or diagnose keyword, blank prediction or not: the history is
        checked first, and its diagnosis computed (not shown) before the
        prediction is read.
    """
    door = Arguments("reveal_diagnosis")
    for key, value in diagnose_kwargs.items():
        if key not in DIAGNOSE_KEYWORDS:
            door.fail(key, "a keyword of diagnose(): " + ", ".join(DIAGNOSE_KEYWORDS),
                      f"{key}={describe(value)}",
                      "Pass reveal_diagnosis(my_prediction, my_reason, history) with only "
                      "diagnose()'s keywords after it.", TypeError)  # fmt: skip
    d = _diagnose("reveal_diagnosis", history, noise_floor,
                  diagnose_kwargs.pop("best_epoch", None),
                  {**_DEFAULTS, **diagnose_kwargs})  # fmt: skip
    written = []
    for name, value in (("prediction", prediction), ("reason", reason)):
        if value is None or value is Ellipsis:
            written.append(f"my_{name}")
        elif not isinstance(value, str):
            door.fail(f"{name} (my_{name})", "a str" if name == "reason" else
                      "a label as a str, one of " + ", ".join(repr(x) for x in LABELS),
                      describe(value), _FIXES[name], TypeError)  # fmt: skip
        elif value.strip() in _BLANK:
            written.append(f"my_{name}")
    if written:
        print(
            f"Predict first: write {' and '.join(written)} in this cell (a label and one "
            "sentence of reasoning), then run it again. The diagnosis stays hidden until you "
            "do. The labels, and what each looks like in the curves:\n" + _labels_table()
        )
        return
    label = _label(prediction)
    if label is None:
        print(
            f"Your prediction {prediction!r} is none of the labels: write one of "
            + ", ".join(repr(x) for x in LABELS)
            + ", then run this cell again. The diagnosis stays hidden until you do.\n"
            + _labels_table()
        )
        return
    global _predicted
    _predicted = True
    if label == d.label:
        verdict = f"Your prediction, {label!r}, matches the diagnosis."
    elif label == "unstable" and sum((jumps := _jumps(history)).values()):
        where = " and ".join(f"{_epochs(n)} of the {k} loss" for k, n in jumps.items() if n)
        verdict = (
            f"Partly: you predicted 'unstable', the diagnosis is {d.label!r}. You saw real jumps: "
            f"in {where} the loss is more than {JUMP:g} times the median of the {JUMP_WINDOW} "
            "epochs before, a sign of steps too large. The diagnosis names the "
            "pattern that lasts to the end of the run, which single jumps do not move; both "
            "are worth fixing."
        )
    elif frozenset({label, d.label}) in CLOSE:
        verdict = (
            f"Close: you predicted {label!r}, the diagnosis is {d.label!r}; "
            f"{CLOSE[frozenset({label, d.label})]}."
        )
    else:
        verdict = (
            f"Not this time: you predicted {label!r}, the diagnosis is {d.label!r}. "
            "Compare your reason with the evidence below."
        )
    print(f"{verdict}\nYour reason: {reason.strip()}\n\n{d}")
    for checker, hint in _held:
        print(f"\nThe hint that {checker} held back: {hint}")
    _held.clear()
