"""The checkers' door: every argument a learner passes is checked before any data is loaded.

Each check raises one ``TypeError`` or ``ValueError`` in the style of
:class:`dnncourse._args.Arguments`: the function, the argument, what was expected,
what was got, and the fix.
"""

from __future__ import annotations

import inspect

import numpy as np

from .._args import Arguments, describe, number
from ._common import _is_keras

_ABSENT = object()


def positional_arity(function):
    """``(required, most)`` positional arguments of ``function``; None when it cannot be read.

    ``most`` is ``inf`` with ``*args``; a required keyword-only argument makes
    ``required`` infinite (the checker passes none).
    """
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):  # a builtin or C function without a signature
        return None
    required, most = 0, 0
    for p in parameters:
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            most += 1
            required += p.default is p.empty
        elif p.kind == p.VAR_POSITIONAL:
            most = float("inf")
        elif p.kind == p.KEYWORD_ONLY and p.default is p.empty:
            required = float("inf")
    return required, most


def _not_a_function(door, name, value, expected, fix):
    """Refuse what cannot be called (or is a class): ``TypeError`` with a fix for the usual slips."""
    if name == "model" and isinstance(value, str) and value.endswith((".keras", ".h5")):
        fix = f"Load the model first: model = keras.models.load_model({value!r}), then pass model."
    elif isinstance(value, tuple) and len(value) == 2:
        fix = f"{fix} If this is (model, history), take it apart: model, history = ..."
    door.fail(name, expected, describe(value), fix, TypeError)


def check_model(door, model, input_shape):
    """A trained model: a Keras model, or a function ``f(X)`` of one argument."""
    shape = "(n, " + ", ".join(str(d) for d in input_shape) + ")"
    expected = (
        f"a trained keras.Model, or a function f(X) taking a float32 array of shape {shape} and "
        "returning the predictions"
    )
    fix = f"Pass the model you trained, e.g. {door.func}(model)."
    if not callable(model) or isinstance(model, type):
        _not_a_function(door, "model", model, expected, fix)
    if _is_keras(model):
        return model
    arity = positional_arity(model)
    if arity is not None and not arity[0] <= 1 <= arity[1]:
        name = getattr(model, "__name__", "it")
        if arity[0] == 2:  # train(X, y): the training function, not what it trained
            fix = (
                f"{name}(X, y) looks like your training function: train once, e.g. model, "
                f"history = {name}(X_train, y_train), then pass {door.func}(model)."
            )
        door.fail("model", expected,
                  f"{describe(model)}, which cannot be called with X alone", fix, TypeError)  # fmt: skip
    return model


def check_train(door, train):
    """The learner's training function ``train(X, y) -> (model, history)``, not a model."""
    expected = "your training function, train(X, y) -> (model, history)"
    fix = (
        "Pass the function itself, without calling it: e.g. "
        f"{door.func}(build_and_train), not {door.func}(model)."
    )
    if _is_keras(train):
        door.fail("build_and_train", expected, "a Keras model (already trained)", fix, TypeError)
    if not callable(train) or isinstance(train, type):
        _not_a_function(door, "build_and_train", train, expected, fix)
    arity = positional_arity(train)
    if arity is not None and not arity[0] <= 2 <= arity[1]:
        door.fail("build_and_train", expected,
                  f"{describe(train)}, which cannot be called with (X, y)",
                  "Define it as def build_and_train(X, y): ... return model, history.",
                  TypeError)  # fmt: skip
    return train


def check_preprocess(door, preprocess):
    """None, or a function applied to the raw inputs."""
    if preprocess is None or (callable(preprocess) and not isinstance(preprocess, type)):
        return preprocess
    fix = "Pass a function applied to the raw inputs, or better, a Normalization layer inside the model."
    if hasattr(preprocess, "transform") and not isinstance(preprocess, type):
        fix = "Pass the fitted scaler's method: preprocess=scaler.transform."
    elif isinstance(preprocess, np.ndarray) or hasattr(preprocess, "shape"):
        fix = "Pass the function that made these inputs (not the inputs), or better, a " \
              "Normalization layer inside the model."  # fmt: skip
    door.fail("preprocess", "a function f(X) or None", describe(preprocess), fix, TypeError)
    return None  # unreachable


def check_arguments(func, model, input_shape, *, preprocess=_ABSENT, history=_ABSENT,
                    target=_ABSENT, best_epoch=_ABSENT):  # fmt: skip
    """The door of a checker that scores a trained ``model``: raise before any data is loaded.

    ``TypeError`` for a wrong kind of argument, ``ValueError`` for a value out of
    range, each naming ``func``, the argument, what was expected, what was got
    and the fix.  The *content* of a history is read after the verdict (a bad one
    becomes part of the hint); here only its kind is checked.
    """
    from .._diagnose_messages import check_best_epoch, history_dict

    door = Arguments(func)
    check_model(door, model, input_shape)
    if preprocess is not _ABSENT:
        check_preprocess(door, preprocess)
    if history is not _ABSENT and history is not None and history_dict(history) is None:
        door.fail("history", "the History that fit() returns (or its .history dict), or None",
                  describe(history), f"Pass {func}(model, history) with history = "
                  "model.fit(...).", TypeError)  # fmt: skip
    if target is not _ABSENT:
        per_cent = isinstance(target, (int, float)) and not isinstance(target, bool)
        fix = (
            f"Pass target={number(target / 100)} (a fraction, not per cent)."
            if per_cent and 1 < target <= 100
            else None
        )
        door.real("target", target, low=0, high=1, low_open=True, example=0.99, fix=fix)
    if best_epoch is not _ABSENT:
        check_best_epoch(door, best_epoch)


def check_task(task, tutorials):
    """``task`` for :func:`~dnncourse.checks.final_test`: a name of ``tutorials.TUTORIALS``.

    ``tutorials`` is :mod:`dnncourse.tutorials`, passed in (no import cycle).
    """
    door = Arguments("final_test")
    names = tutorials.NAMES
    expected = "task " + ", ".join(repr(n) for n in names[:-1]) + f" or {names[-1]!r}"
    fix = f"Pass the exercise's name, e.g. final_test(model, {names[0]!r})."
    if not isinstance(task, str):
        door.fail("task", expected, describe(task), fix, TypeError)
    if task not in tutorials.TUTORIALS:
        door.fail("task", expected, describe(task), fix)
    return task


def check_keywords(func, function, kwargs, fix):
    """Refuse a keyword in ``kwargs`` that ``function`` does not take (it would fail raw)."""
    accepted = [p for p in inspect.signature(function).parameters if p != "model"]
    for key, value in kwargs.items():
        if key not in accepted:
            Arguments(func).fail(key, f"a keyword of {function.__name__}: {', '.join(accepted)}",
                                 f"{key}={describe(value)}", fix.format(key=key), TypeError)  # fmt: skip
    return kwargs
