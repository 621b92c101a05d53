"""Helpers of the page "The Keras workflow, end to end".

* :func:`iris_classifier` is the page's small model, so that the page and the
  tests build the very same network.
* :data:`MISTAKES` and :func:`run_mistakes` run the common beginner mistakes for
  real and report the exception each one raises; the page's table is their output,
  so it can never drift from what Keras actually does.
* :func:`error_summary` picks the informative line out of a long Keras error.

Keras is imported inside the functions, so importing this module stays cheap.
"""

from __future__ import annotations

import re

import numpy as np

from dnncourse._args import Arguments, describe
from dnncourse.backend import import_keras

#: Each mistake: (what the learner did, the line of code that does it, the fix).
#: The code runs with ``exec`` in a namespace holding ``keras``, ``np``, a fresh
#: uncompiled model ``new_model()``, a compiled ``model`` and iris ``X``, ``y``
#: (float features of shape (n, 4), integer labels 0..2 of shape (n,)).
MISTAKES = (
    (
        "train before `compile`",
        "new_model().fit(X, y, verbose=0)",
        "call `model.compile(optimizer=..., loss=...)` first",
    ),
    (
        "a batch with the wrong number of features",
        "model.predict(X[:, :3], verbose=0)",
        "give every row all the features the `keras.Input` declares",
    ),
    (
        "one sample without its batch axis",
        "model.predict(X[0], verbose=0)",
        "`model.predict(X[:1])` or `X[0][None, :]`: shape (1, 4), not (4,)",
    ),
    (
        "integer labels with `categorical_crossentropy`",
        (
            'm = new_model(); m.compile(optimizer="adam", loss="categorical_crossentropy"); '
            "m.fit(X, y, verbose=0)"
        ),
        "`sparse_categorical_crossentropy` for integer labels, or one-hot labels",
    ),
    (
        "labels 1, 2, 3 for a 3-unit softmax",
        (
            'm = new_model(); m.compile(optimizer="adam", loss="sparse_categorical_crossentropy"); '
            "m.fit(X, y + 1, verbose=0)"
        ),
        "number the classes 0 to K - 1",
    ),
    (
        "save without a file extension",
        'model.save("my_model")',
        '`model.save("my_model.keras")`; `model.export(...)` for a TensorFlow SavedModel',
    ),
    (
        "the Keras 2 keyword `lr`",
        'keras.optimizers.Adam(**{"lr": 0.01})',
        "`learning_rate=`",
    ),
)

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: Lines of Keras' and TensorFlow's messages that only say where an error happened.
_NOISE = (
    "Exception encountered when calling",
    "Graph execution error",
    "Arguments received by",
    "Detected at node",
)


_ROW_KEYS = {"mistake", "code", "fix", "error", "message"}


def error_summary(err, max_chars=200):
    """The first informative line of an exception's message.

    Keras wraps errors raised inside a layer in a header line ("Exception
    encountered when calling ...") and TensorFlow's graph errors start with
    "Graph execution error"; the line a learner needs comes after them.

    Parameters
    ----------
    err : BaseException
    max_chars : int
        A longer line keeps as many whole sentences as fit (at least one), and
        a first sentence that is still too long is cut and ends in "...".

    Returns
    -------
    str
    """
    door = Arguments("error_summary")
    if not isinstance(err, BaseException):
        door.fail("err", "an exception", describe(err),
                  "Pass the exception caught: except Exception as err: error_summary(err).",
                  TypeError)  # fmt: skip
    door.integer("max_chars", max_chars, low=10, example=200)
    lines = [_ANSI.sub("", line).strip() for line in str(err).splitlines()]
    lines = [line for line in lines if line and not line.startswith(_NOISE)]
    # TensorFlow puts the op's own message after "INVALID_ARGUMENT:" or similar.
    line = next((ln for ln in lines if "Received a label value" in ln), lines[0] if lines else "")
    line = re.sub(r"^.*?(Received a label value)", r"\1", line)
    line = re.sub(r"\s+Label values:.*$", "", line)
    if len(line) > max_chars:  # keep whole sentences while they fit
        sentences = re.split(r"(?<=\.) ", line)
        kept = sentences[0]
        for sentence in sentences[1:]:
            if len(kept) + 1 + len(sentence) > max_chars:
                break
            kept += " " + sentence
        line = kept
    return line if len(line) <= max_chars else line[: max_chars - 3].rstrip() + "..."


def iris_classifier():
    """The page's iris network, uncompiled: 4 inputs, 16 ReLU units, 3 softmax outputs.

    Returns
    -------
    keras.Sequential
        Input (None, 4) features in cm, output (None, 3) class probabilities.
    """
    keras = import_keras()

    return keras.Sequential(
        [
            keras.Input(shape=(4,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )


def run_mistakes(X, y, workdir):
    """Run every entry of :data:`MISTAKES` and record what it raises.

    The mistakes run on a fresh compiled :func:`iris_classifier`: a model that
    has already been called on batches of several shapes is traced for inputs of
    unknown shape, and then reports some of these mistakes with a less clear
    message.

    Parameters
    ----------
    X : ndarray, shape (n, 4)
    y : ndarray, shape (n,), integer labels 0..2
    workdir : path-like
        Current folder while the mistakes run (one of them tries to save a file).

    Returns
    -------
    list of dict
        One per mistake, keys ``mistake``, ``code``, ``fix``, ``error`` (the
        exception's class name, or ``None`` when nothing was raised) and
        ``message`` (:func:`error_summary`).
    """
    import os

    door = Arguments("run_mistakes")
    fix = "Pass the iris data: X, y = load_iris() (X of shape (n, 4), y labels 0..2)."
    X_ = door.rows("X", X, shape=(None, 4), fix=fix)
    door.same_length(("X", X_), ("y", door.labels("y", y, 3)))
    workdir = door.path("workdir", workdir)
    if not os.path.isdir(workdir):
        door.fail("workdir", "an existing folder", describe(workdir),
                  "Pass a folder to work in, e.g. a tempfile.TemporaryDirectory().")  # fmt: skip
    keras = import_keras()

    model = iris_classifier()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    namespace = {
        "keras": keras,
        "np": np,
        "model": model,
        "X": X,
        "y": y,
        "new_model": iris_classifier,
    }
    rows = []
    here = os.getcwd()
    for mistake, code, fix in MISTAKES:
        error, message = None, ""
        os.chdir(workdir)  # a mistake that does write a file writes it there
        try:
            exec(code, dict(namespace))  # noqa: S102 (our own snippets): the mistake, exactly as the table shows it
        except Exception as err:  # noqa: BLE001 (each mistake raises its own type)
            error, message = type(err).__name__, error_summary(err)
        finally:
            os.chdir(here)
        rows.append(
            {"mistake": mistake, "code": code, "fix": fix, "error": error, "message": message}
        )
    return rows


def mistakes_table(rows):
    """A Markdown table of :func:`run_mistakes`' rows, for display on the page.

    Returns
    -------
    str
    """

    door = Arguments("mistakes_table")
    if not isinstance(rows, (list, tuple)):
        door.fail("rows", "the list run_mistakes() returns", describe(rows),
                  "Pass rows = run_mistakes(X, y, workdir).", TypeError)  # fmt: skip
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or not set(row) >= _ROW_KEYS:
            door.fail(f"rows[{i}]", f"a dict with keys {', '.join(sorted(_ROW_KEYS))}",
                      describe(row), "Pass rows = run_mistakes(X, y, workdir).", TypeError)  # fmt: skip

    def cell(text):
        return str(text).replace("|", "\\|")

    out = ["| mistake | code | error raised | the fix |", "|---|---|---|---|"]
    for r in rows:
        raised = f"`{r['error']}`: {cell(r['message'])}" if r["error"] else "nothing"
        out.append(f"| {r['mistake']} | `{cell(r['code'])}` | {raised} | {r['fix']} |")
    return "\n".join(out)
