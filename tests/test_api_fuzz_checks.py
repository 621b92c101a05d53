"""Property-based test of the checkers, ``diagnose`` and ``reveal_diagnosis``: any wrong argument, one error.

The twin of ``test_api_fuzz.py`` (the data and training side) for the public functions
of ``dnncourse.checks`` (its ``__all__`` and the MNIST checker's helpers),
``dnncourse.diagnose.diagnose`` and ``dnncourse.reveal.reveal_diagnosis``.
Hypothesis breaks one argument at a time (all others valid); every call must raise
``TypeError`` or ``ValueError`` naming the argument, in the "expected ..., got ..."
form, with one traceback, and change no file.  The checkers must refuse *before* any
data is loaded or Keras imported: the loaders and the cross-validation's Keras
import are replaced by failures here, so a bad argument that slipped through to
the work would fail the test (and nothing ever trains).  At least 200 examples per
function, in the fast loop.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from hypothesis import strategies as st
from test_api_fuzz import (
    INF,
    NAN,
    Spec,
    complexes,
    containers,
    floats,
    fuzz_at_the_door,
    not_bool,
    not_int,
    not_text,
    refuse,
    text,
)

from dnncourse import checks
from dnncourse.checks import _cv, iris, regression
from dnncourse.checks.mnist import binomial_se, uncertainty
from dnncourse.data import mnist as mnist_data
from dnncourse.diagnose import diagnose
from dnncourse.reveal import reveal_diagnosis

HISTORY = {"loss": [1.0, 0.6, 0.4, 0.3], "val_loss": [1.1, 0.7, 0.5, 0.45]}
LABEL_NAMES = ("under-trained", "underfitting", "overfitting", "unstable", "good fit")


def model(X):
    """A valid plain-function model (never called: every case fails at the door)."""
    return np.zeros(len(X))


def train(X, y):
    return model, None


class FakeModelClass:
    def __call__(self, X):
        return X


def two_args(X, y):
    return X


# --- wrong values ----------------------------------------------------------------------

# Objects that are not what a learner should pass; Ellipsis and None are left out
# where they are valid (a blank prediction, no history).
things = st.sampled_from([object(), int, FakeModelClass, b"\x00", 3j])
not_callable = st.one_of(
    text, st.sampled_from(["model.keras", "model.h5"]), floats, st.integers(), st.booleans(),
    st.none(), containers, complexes, st.just(np.zeros((3, 2))),
    st.just((model, HISTORY)),  # (model, history) not taken apart
    st.sampled_from([int, FakeModelClass, np.ndarray]),  # a class, not an object
)  # fmt: skip
bad_models = st.one_of(
    not_callable,
    st.sampled_from([two_args, lambda: 0, lambda X, y, z: X, lambda X, *, key: X, train]),
)
bad_trains = st.one_of(
    not_callable, st.sampled_from([model, lambda: 0, lambda X, y, z: X, lambda X, *, k: X])
)


def outside(low, high, *, low_open=False, none_ok=False):
    """Anything but a finite number in [low, high] ((low, high] with ``low_open``)."""
    parts = [st.sampled_from([NAN, INF, -INF]), st.booleans(), text, st.integers(0, 9).map(str),
             things, containers, complexes, st.just(np.array([0.5])),
             st.floats(max_value=low, exclude_max=not low_open)]  # fmt: skip
    if high is not None:
        parts.append(st.floats(min_value=high, exclude_min=True))
    if not none_ok:
        parts.append(st.none())
    return st.one_of(parts)


bad_best_epoch = st.one_of(
    st.integers(max_value=0), st.floats(), st.booleans(), text.filter(lambda t: t != "min_val_loss"),
    st.lists(st.integers(), max_size=2), things,
)  # fmt: skip
not_a_history_kind = st.one_of(
    text, floats, st.integers(), st.booleans(), st.lists(floats, max_size=3), things, complexes
)


def curve_values(n):
    """A curve that is not ``n`` finite numbers >= 0 (or another length of good numbers)."""
    return st.one_of(
        st.integers(0, 8).filter(lambda k: k != n).map(lambda k: [0.5] * k),
        st.sampled_from([NAN, INF, -INF, -0.5, -1e-300]).map(lambda v: [0.5] * (n - 1) + [v]),
        st.sampled_from([np.zeros((n, 1)), np.zeros((n, 2)), ["a"] * n, [[0.5], [0.5, 0.4]]]),
        st.just({f"e{i}": 0.5 for i in range(n)}),  # a dict not keyed by epoch numbers
        st.one_of(st.none(), text, floats, things),
    )


n_epochs = len(HISTORY["loss"])
bad_histories = st.one_of(
    not_a_history_kind,
    st.none(),
    st.just({}),
    st.sampled_from(["loss", "val_loss"]).map(lambda k: {k: HISTORY[k]}),  # one curve only
    st.sampled_from(["loss", "val_loss"]).flatmap(
        lambda k: curve_values(n_epochs).map(lambda v: {**HISTORY, k: v})
    ),
    st.integers(1, 3).map(lambda k: {"loss": [0.5] * 10, "val_loss": [0.5] * k}),  # validation_freq
)


# --- the functions and their valid arguments -------------------------------------------


def final_test_call(model, task, kwargs):
    return checks.final_test(model, task, **kwargs)


def reveal_call(prediction, reason, history, noise_floor, diagnose_kwargs):
    return reveal_diagnosis(prediction, reason, history, noise_floor, **diagnose_kwargs)


CV = {"build_and_train": bad_trains, "seed": not_int(0, 2**32 - 5), "best_epoch": bad_best_epoch,
      "verbose": not_bool()}  # fmt: skip
CV_VALID = {"build_and_train": train, "folds": 5, "seed": 0, "best_epoch": None, "verbose": False}
TOLERANCES = {"tail": outside(0, 1, low_open=True), "rise_tol": outside(0, None),
              "gap_tol": outside(0, None, low_open=True), "trend_tol": outside(0, None),
              "floor_factor": outside(0, None, low_open=True),
              "learned_tol": outside(0, None, low_open=True)}  # fmt: skip
not_a_function = st.one_of(not_callable.filter(lambda v: v is not None), st.just(FakeModelClass))
bad_prediction = st.one_of(
    st.integers(), floats, st.booleans(), st.lists(text, max_size=2), things, containers
)

TARGET = outside(0, 1, low_open=True)
KEYWORDS = ("foo", "epochs", "validation_freq", "verbose", "noise")  # none of diagnose's
SPECS = {
    "checks.check_regression": Spec(checks.check_regression, CV_VALID, {**CV, "folds": not_int(2, 100)}),
    "checks.check_iris": Spec(checks.check_iris, CV_VALID, {**CV, "folds": not_int(2, 120)}),
    "checks.final_check_regression": Spec(checks.final_check_regression, {"model": model, "preprocess": None},
                                          {"model": bad_models, "preprocess": not_a_function}),
    "checks.final_check_iris": Spec(checks.final_check_iris, {"model": model, "preprocess": None},
                                    {"model": bad_models, "preprocess": not_a_function}),
    "checks.check_mnist": Spec(
        checks.check_mnist, {"model": model, "history": None, "target": 0.99, "best_epoch": None},
        {"model": bad_models, "history": not_a_history_kind, "target": TARGET,
         "best_epoch": bad_best_epoch}),
    "checks.final_check_mnist": Spec(checks.final_check_mnist, {"model": model, "target": 0.99},
                                     {"model": bad_models, "target": TARGET}),
    "checks.final_test": Spec(
        final_test_call, {"model": model, "task": "regression", "kwargs": {}},
        {"model": bad_models,
         "task": st.one_of(text.filter(lambda t: t not in ("regression", "iris", "mnist")),
                           st.sampled_from(["Iris", "MNIST", " iris"]), not_text()),
         "kwargs": st.dictionaries(st.sampled_from(["target", "foo", "folds", "history"]),
                                   st.one_of(st.integers(), text, st.none()), min_size=1, max_size=2)},
        names={"kwargs": ("target", "foo", "folds", "history")}),
    "checks.mnist.binomial_se": Spec(binomial_se, {"accuracy": 0.99, "n": 5000},
                                     {"accuracy": outside(0, 1), "n": not_int(1)}),
    "checks.mnist.uncertainty": Spec(
        uncertainty, {"accuracy": 0.99, "n": 5000, "what": "validation images", "target": 0.99,
                      "predicts": None},
        {"accuracy": outside(0, 1), "n": not_int(1), "what": not_text(), "target": TARGET,
         "predicts": not_int(1, none_ok=True)}),
    "diagnose.diagnose": Spec(
        diagnose, {"history": HISTORY, "noise_floor": None, "best_epoch": None},
        {"history": bad_histories, "noise_floor": outside(0, None, none_ok=True),
         "best_epoch": st.one_of(bad_best_epoch, st.integers(n_epochs + 1, 10**6)), **TOLERANCES}),
    "reveal.reveal_diagnosis": Spec(
        reveal_call, {"prediction": "overfitting", "reason": "it rose", "history": HISTORY,
                      "noise_floor": None, "diagnose_kwargs": {}},
        {"prediction": bad_prediction, "reason": bad_prediction, "history": bad_histories,
         "noise_floor": outside(0, None, none_ok=True),
         # (history= again is Python's own "got multiple values for argument 'history'")
         "diagnose_kwargs": st.one_of(
             st.sampled_from(KEYWORDS).map(lambda k: {k: 1}),
             st.sampled_from(sorted(TOLERANCES)).flatmap(lambda k: TOLERANCES[k].map(lambda v: {k: v})),
             bad_best_epoch.map(lambda v: {"best_epoch": v}))},
        names={"prediction": ("my_prediction",), "reason": ("my_reason",),
               "diagnose_kwargs": (*KEYWORDS, *TOLERANCES, "best_epoch")}),
}  # fmt: skip


@pytest.mark.parametrize("function", list(SPECS))
def test_every_wrong_argument_gets_one_documented_error(
    function, tmp_path, monkeypatch, record_property, capsys
):
    refuse(monkeypatch, f"{function} loaded data or Keras before refusing a bad argument",
           [(regression, "load_regression"), (iris, "load_iris"), (mnist_data, "load_mnist"),
            (_cv, "_keras")])  # fmt: skip
    fuzz_at_the_door(function, SPECS[function], tmp_path, monkeypatch, record_property)
    assert "FINAL" not in capsys.readouterr().out, "a verdict was printed"


def test_every_public_checker_and_reader_is_fuzzed():
    """A new public checker (or argument) must join SPECS."""
    public = {f"checks.{name}": getattr(checks, name) for name in checks.__all__}
    public |= {
        "checks.mnist.binomial_se": binomial_se,
        "checks.mnist.uncertainty": uncertainty,
        "diagnose.diagnose": diagnose,
        "reveal.reveal_diagnosis": reveal_diagnosis,
    }
    assert set(public) == set(SPECS)
    for key, function in public.items():
        params = set(inspect.signature(function).parameters)  # **kwargs: unknown keywords
        assert params == set(SPECS[key].bad), f"{key}: unfuzzed {params - set(SPECS[key].bad)}"
