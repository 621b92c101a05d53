"""Cross-validation of a learner's training function: the iterate verdict that predicts the test.

A checker that scores one trained model on the 20 or 24 rows held out from a small
training file is a coin flip: those rows are few, and early stopping already chose
the epoch on them, so the score flatters the model.  Instead the learner hands over
the whole *procedure*, a function ``train(X, y) -> (model, history)`` that builds,
compiles and trains a model on the rows it is given (holding out its own validation
rows for early stopping, e.g. with ``validation_split=0.2``).  :func:`cross_validate`
calls it ``k`` times, each time on all rows but one fold, and predicts that fold
with the model it returns: every training row is predicted once, by a model that
never saw it.  The score over all rows estimates what the final model will score
on new data, and its standard error says how far it can move.

Cost: ``k`` trainings instead of one, each on (k-1)/k of the rows.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from .._args import Arguments


def _keras():
    """Keras, imported on first use (``import dnncourse`` stays light)."""
    from ..backend import import_keras

    return import_keras()


def folds(n, k, seed=0):
    """``k`` disjoint index arrays covering ``range(n)``, in a fixed shuffled order.

    Parameters
    ----------
    n : int
        Number of rows.
    k : int
        Number of folds, 2 <= k <= n.
    seed : int
        Seeds the permutation (NumPy's generator: the folds do not depend on Keras).

    Returns
    -------
    list of ndarray of int
        Sizes differ by at most one.
    """
    door = Arguments("folds")
    n = door.integer("n", n, low=2, example=100)
    k = door.integer("k", k, low=2, high=n, example=5)
    seed = door.seed("seed", seed, allow_none=False)
    order = np.random.default_rng(seed).permutation(n)
    return [np.sort(part) for part in np.array_split(order, k)]


def unpack_trained(result, task, fn_name):
    """``(model, history)`` from what the learner's training function returned.

    Accepts ``(model, history)`` or a model alone (then ``history`` is None).

    Raises
    ------
    TypeError
        Naming the function and what it returned, when that is not a model.
    """
    model, history = result, None
    if isinstance(result, tuple) and len(result) == 2:
        model, history = result
    if not callable(model) or isinstance(model, type) or model is None:
        got = type(result).__name__
        if isinstance(result, tuple):
            got = f"a tuple of {len(result)}: ({', '.join(type(x).__name__ for x in result)})"
        raise TypeError(
            f"{task}: expected {fn_name}(X, y) to return (model, history), the trained model and "
            f"what fit() returned, got {got}. End your function with `return model, history`."
        )
    return model, history


def cross_validate(train, X, y, *, task, k=5, seed=0, predict_fold, verbose=True):
    """Out-of-fold predictions of the learner's training function.

    Parameters
    ----------
    train : callable
        ``train(X_part, y_part) -> (model, history)``; called ``k`` times.
    X : ndarray, shape (n, ...)
    y : ndarray, shape (n,)
    task : str
        Names the exercise in messages.
    k : int
        Number of folds.
    seed : int
        Seeds the folds, and ``keras.utils.set_random_seed(seed + fold)`` before
        each call (the learner's own seeding inside ``train`` takes precedence).
    predict_fold : callable
        ``predict_fold(model, X_fold) -> ndarray`` of shape (len(X_fold), ...):
        the checker's own prediction with its shape checks.
    verbose : bool
        Print one progress line (the folds take a while).

    Returns
    -------
    y_hat : ndarray, shape (n, ...)
        Each row predicted by the model trained without its fold.
    histories : list
        What each call returned as its history (None where it returned none).
    seconds : float
        Wall time of the k trainings.
    """
    if not callable(train) or _is_model(train):
        what = "a trained Keras model" if _is_model(train) else type(train).__name__
        raise TypeError(
            f"{task}: expected your training function, train(X, y) -> (model, history), got "
            f"{what}. Pass the function itself, without calling it: e.g. "
            "check(build_and_train), not check(model)."
        )
    name = getattr(train, "__name__", "train")
    keras = _keras()
    parts = folds(len(X), k, seed)
    outputs, histories = [None] * k, []
    start = time.perf_counter()
    if verbose:
        print(f"{task}: {k}-fold cross-validation, training {name} {k} times: ", end="")
        sys.stdout.flush()
    for i, held in enumerate(parts):
        kept = np.setdiff1d(np.arange(len(X)), held)
        keras.utils.set_random_seed(seed + i)
        model, history = unpack_trained(train(X[kept], y[kept]), task, name)
        outputs[i] = predict_fold(model, X[held])
        histories.append(history)
        if verbose:
            print(f"{i + 1}/{k} ", end="")
            sys.stdout.flush()
    seconds = time.perf_counter() - start
    if verbose:
        print(f"done in {seconds:.0f} s.")
    y_hat = np.empty((len(X), *outputs[0].shape[1:]), dtype=float)
    for held, out in zip(parts, outputs, strict=True):
        y_hat[held] = out
    return y_hat, histories, seconds


def check_cv_arguments(func, build_and_train, folds, seed, best_epoch, verbose, n_rows):
    """The door of a cross-validating checker: ``(folds, seed)`` as ints, or one clear error.

    Raised before any data is loaded or Keras imported: ``TypeError`` for a wrong
    kind, ``ValueError`` for a value out of range, naming ``func`` and the argument.
    """
    from .._diagnose_messages import check_best_epoch
    from ._door import check_train

    door = Arguments(func)
    check_train(door, build_and_train)
    folds = door.integer("folds", folds, low=2, high=n_rows, example=5)
    # keras.utils.set_random_seed(seed + fold) must stay a valid seed for every fold
    seed = door.integer("seed", seed, low=0, high=2**32 - folds,
                        fix="Pass a whole number such as seed=0.")  # fmt: skip
    check_best_epoch(door, best_epoch)
    door.boolean("verbose", verbose)
    return folds, seed


def _is_model(obj):
    keras = sys.modules.get("keras")
    return keras is not None and isinstance(obj, keras.layers.Layer)


def standard_error(per_row):
    """Standard error of the mean of per-row losses or 0/1 hits, shape (n,)."""
    per_row = np.asarray(per_row, dtype=float)
    n = len(per_row)
    return float(per_row.std(ddof=1) / np.sqrt(n)) if n > 1 else float("inf")


def plus_minus(se, fmt=".2g"):
    """The uncertainty in plain words, e.g. ``"± 0.012 (one standard error ...)"``."""
    return (
        f"± {se:{fmt}} (one standard error: another draw of the same amount of data would "
        "typically move it about this much)"
    )
