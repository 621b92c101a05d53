"""Property-based test of the challenges, solutions and the tutorials table: any wrong argument, one error.

The third twin of ``test_api_fuzz.py``, for the public functions of
``dnncourse.challenges.*``, ``dnncourse.solutions.*`` and ``dnncourse.tutorials``
(what the API page documents).  Hypothesis breaks one argument at a time (all
others valid); every call must raise ``TypeError`` or ``ValueError`` naming the
argument, in the "expected ..., got ..." form, with one traceback, and change no
file.  These functions build and train networks, so they must refuse *before*
Keras is imported or any data read: here ``import keras`` fails and the loaders
are replaced by failures, so a bad argument that slipped through would fail the
test (and nothing ever trains).  At least 200 examples per function, in the fast
loop.
"""

from __future__ import annotations

import inspect
import sys

import numpy as np
import pytest
from api_cases import FakeCallback
from hypothesis import strategies as st
from test_api_fuzz import (
    INF,
    NAN,
    Spec,
    bad_rows,
    complexes,
    floats,
    fuzz_at_the_door,
    junk,
    module_functions,
    not_int,
    not_real,
    objects,
    refuse,
    text,
)

import dnncourse.data
from dnncourse import challenges, solutions, tutorials
from dnncourse.challenges import iris as iris_challenge
from dnncourse.challenges import mnist as mnist_challenge
from dnncourse.challenges import regression as regression_challenge
from dnncourse.data import mnist as mnist_data
from dnncourse.solutions import iris as iris_solution
from dnncourse.solutions import mnist as mnist_solution
from dnncourse.solutions import regression as regression_solution

N = 12
X2, Y2 = np.linspace(0, 1, 2 * N).reshape(N, 2), np.linspace(0, 1, N)
X4, Y3 = np.tile(np.arange(1.0, 5.0), (30, 1)), np.repeat([0, 1, 2], 10)
SEED_MAX = 2**32 - 1


class FakeModel:
    """Has ``compile`` as a Keras model does (never reached: every case fails at the door)."""

    def compile(self, **kwargs):
        raise AssertionError("a wrong argument reached model.compile")


# --- wrong values ----------------------------------------------------------------------

no_sequence = st.one_of(
    st.integers(), floats, text, st.none(), st.booleans(), objects, complexes,
    st.dictionaries(text, st.integers(), max_size=2), st.sets(st.integers(1, 9), max_size=2),
    st.just(np.zeros((2, 2), int)),  # 2-D
)  # fmt: skip
bad_unit = st.one_of(
    st.integers(max_value=0), st.sampled_from([1.5, 16.0, NAN, INF, True, "16", None, (4,)])
)


def bad_units(count=None, high=10_000):
    """Anything but a tuple of ``count`` whole numbers in [1, high]."""
    good = st.lists(st.integers(1, 64), max_size=3 if count is None else count - 1)
    wrong = st.one_of(bad_unit, st.integers(high + 1, 10**12))
    parts = [
        no_sequence,
        st.tuples(good, wrong, st.booleans()).map(
            lambda t: (tuple if t[2] else list)([*t[0], t[1]])
        ),
    ]
    if count is not None:
        parts.append(st.integers(0, 5).filter(lambda k: k != count).map(lambda k: tuple([8] * k)))
    return st.one_of(parts)


positive = not_real(low=0, extra=[st.sampled_from([0, 0.0, -0.0])])  # rates: > 0
rate = not_real(0, 1, high_open=True)  # dropout: [0, 1)
callbacks = st.one_of(
    st.lists(st.one_of(st.integers(), text, st.just(FakeCallback), st.none()), min_size=1,
             max_size=3),
    st.lists(st.just(FakeCallback()), max_size=2).map(lambda c: [*c, "stop"]),
    text, st.integers(), floats, st.dictionaries(text, st.integers(), max_size=2), objects,
)  # fmt: skip
verbose = st.one_of(
    st.integers().filter(lambda v: v not in (0, 1, 2)), floats,
    text.filter(lambda t: t != "auto"), st.booleans(), st.none(),
)  # fmt: skip
optimizer = st.one_of(
    text.filter(lambda t: t not in ("adagrad", "adam")),
    st.sampled_from(["Adam", "ADAGRAD", " adam", "sgd", "rmsprop"]),
    junk(strings=False),
)


def options(seed_none, **more):
    """Bad values for the training options every run/solve/train function takes."""
    return {"seed": not_int(0, SEED_MAX, none_ok=seed_none), "epochs": not_int(1),
            "callbacks": callbacks, "verbose": verbose, **more}  # fmt: skip


def no_array_of(n, tail, *extra):
    """``bad_rows`` plus the overflow of float32 and a wrong number of columns."""
    wide = [st.integers(1, 5).filter(lambda d: (d,) != tail).map(lambda d: np.zeros((n, d)))]
    return bad_rows(
        n, tail, ndim_ok=not tail,
        extra=[st.floats(1e39, 1e300).map(lambda v: np.full((n, *tail), v)), *extra,
               *(wide if tail else [])],
    )  # fmt: skip


SETTINGS_KEYS = ("epoch", "lr", "optimiser", "foo", "batchsize")
bad_settings = st.one_of(
    st.sampled_from(SETTINGS_KEYS).map(lambda k: {k: 1}),  # a setting SEED_SETTINGS lacks
    optimizer.map(lambda v: {"optimizer": v}),
    positive.map(lambda v: {"learning_rate": v}),
    not_int(1).map(lambda v: {"epochs": v}),
    not_int(1).map(lambda v: {"batch_size": v}),
)
modules = st.sampled_from(["dnncourse.checks", "dnncourse.data", "dnncourse.tutorials",
                           "dnncourse.solutions.iris", "dnncourse.checks.regression"])  # fmt: skip
bad_specs = st.one_of(
    text, junk(strings=False),
    st.sampled_from(["os:path", "dnncourse.checks.regression", "dnncourse.checks:check_iris:x",
                     "dnncourse:", ":check_iris", "dnncourse..checks:x", " dnncourse.data:x"]),
    st.from_regex(r"zz_[a-z]{0,4}:[a-z]{1,4}", fullmatch=True).map(lambda s: f"dnncourse.{s}"),
    st.tuples(modules, st.from_regex(r"[a-z]{0,4}", fullmatch=True)).map(
        lambda t: f"{t[0]}:nonesuch_{t[1]}"),
)  # fmt: skip
no_number = st.one_of(junk(numbers=False), st.booleans(), st.lists(floats, max_size=2))


# --- the functions and their valid arguments -------------------------------------------


def run_seed_cnn_call(seed, verbose, callbacks, settings):
    return challenges.run_seed_cnn(seed, verbose, callbacks, **settings)


def meets(tutorial):
    return lambda value: tutorials.get(tutorial).meets(value)


SPECS = {
    "challenges.iris.iris_model": Spec(
        challenges.iris_model, {"hidden": (8,), "learning_rate": 0.01, "dropout": 0.0},
        {"hidden": bad_units(), "learning_rate": positive, "dropout": rate}),
    "challenges.iris.run_iris_challenge": Spec(
        challenges.run_iris_challenge, {"seed": 0, "epochs": 1, "callbacks": (), "verbose": 0},
        options(seed_none=False)),
    "challenges.regression.regression_model": Spec(
        challenges.regression_model, {"hidden": (5, 5), "learning_rate": 0.1},
        {"hidden": bad_units(), "learning_rate": positive}),
    "challenges.mnist.seed_cnn": Spec(
        challenges.seed_cnn, {"filters": (4, 16), "dense": 100, "dropout": 0.4},
        {"filters": bad_units(count=2, high=1024), "dense": not_int(1, 10_000), "dropout": rate}),
    "challenges.mnist.compile_seed": Spec(
        challenges.compile_seed,
        {"model": FakeModel(), "optimizer": "adagrad", "learning_rate": 0.01,
         "steps_per_execution": 50},
        {"model": st.one_of(junk(), st.sampled_from([FakeModel, challenges.seed_cnn])),
         "optimizer": optimizer, "learning_rate": positive, "steps_per_execution": not_int(1)}),
    "challenges.mnist.run_seed_cnn": Spec(
        run_seed_cnn_call, {"seed": 0, "verbose": 0, "callbacks": (), "settings": {}},
        {"seed": not_int(0, SEED_MAX), "verbose": verbose, "callbacks": callbacks,
         "settings": bad_settings},
        names={"settings": (*SETTINGS_KEYS, "optimizer", "learning_rate", "epochs",
                            "batch_size")}),
    "solutions.iris.train_iris": Spec(
        solutions.train_iris,
        {"X": X4, "y": Y3, "seed": None, "epochs": 1, "callbacks": (), "verbose": 0},
        {"X": no_array_of(30, (4,)),
         "y": no_array_of(30, (), st.sampled_from([3, -1, 0.5, 2.0001]).map(
             lambda v: np.r_[Y3[:-1], v]), st.just(np.eye(3)[Y3]), st.just(np.zeros((30, 2)))),
         **options(seed_none=True)}),
    "solutions.iris.solve_iris": Spec(
        solutions.solve_iris, {"seed": 0, "epochs": 1, "callbacks": (), "verbose": 0},
        options(seed_none=False)),
    "solutions.regression.train_regression": Spec(
        solutions.train_regression,
        {"X": X2, "y": Y2, "seed": None, "epochs": 1, "callbacks": (), "verbose": 0},
        {"X": no_array_of(N, (2,)),
         "y": no_array_of(N, (), st.integers(2, 4).map(lambda k: np.zeros((N, k)))),
         **options(seed_none=True)}),
    "solutions.regression.solve_regression": Spec(
        solutions.solve_regression, {"seed": 0, "epochs": 1, "callbacks": (), "verbose": 0},
        options(seed_none=False)),
    "solutions.mnist.solution_cnn": Spec(
        mnist_solution.solution_cnn, {"filters": (16, 32), "dense": 128},
        {"filters": bad_units(count=2, high=1024), "dense": not_int(1, 10_000)}),
    "solutions.mnist.one_cycle": Spec(
        mnist_solution.one_cycle, {"steps": 430, "peak_learning_rate": 8e-3},
        {"steps": not_int(1), "peak_learning_rate": positive}),
    "solutions.mnist.solve_mnist": Spec(
        solutions.solve_mnist,
        {"seed": 0, "epochs": 1, "callbacks": (), "verbose": 0, "batch_size": 256,
         "peak_learning_rate": 8e-3, "steps_per_execution": 8, "n_train": 100},
        options(seed_none=False, batch_size=not_int(1), peak_learning_rate=positive,
                steps_per_execution=not_int(1), n_train=not_int(1, 55_000, none_ok=True))),
    "tutorials.get": Spec(
        tutorials.get, {"name": "iris"},
        {"name": st.one_of(text.filter(lambda t: t not in tutorials.TUTORIALS),
                           st.sampled_from(["Iris", "MNIST", " regression", "cifar"]),
                           junk(strings=False), st.lists(text, max_size=2))}),
    "tutorials.load": Spec(
        tutorials.load, {"spec": "dnncourse.checks.iris:check_iris"}, {"spec": bad_specs}),
    "tutorials.Tutorial.meets (accuracy)": Spec(
        meets("iris"), {"value": 0.95},
        {"value": st.one_of(no_number, st.floats(max_value=0, exclude_max=True),
                            st.floats(min_value=1, exclude_min=True))}),
    "tutorials.Tutorial.meets (MSE)": Spec(
        meets("regression"), {"value": 0.05},
        {"value": st.one_of(no_number, st.floats(max_value=0, exclude_max=True))}),
}  # fmt: skip


@pytest.mark.parametrize("function", list(SPECS))
def test_every_wrong_argument_gets_one_documented_error(
    function, tmp_path, monkeypatch, record_property, capsys
):
    refuse(monkeypatch, f"{function} read data before refusing a bad argument",
           [(dnncourse.data, "load_iris"), (dnncourse.data, "load_regression"),
            (mnist_data, "load_prepared"), (mnist_data, "load_mnist")])  # fmt: skip
    # `import keras` fails (an ImportError, not a documented error): even where an earlier
    # test imported Keras, a bad argument that slipped past the door cannot build or train
    monkeypatch.setitem(sys.modules, "keras", None)
    fuzz_at_the_door(function, SPECS[function], tmp_path, monkeypatch, record_property)
    assert capsys.readouterr().out == "", "nothing printed"


def public_functions():
    """``{key: function}`` of what the API page documents from these modules."""
    found = {}
    for prefix, module in (
        ("challenges.iris", iris_challenge), ("challenges.mnist", mnist_challenge),
        ("challenges.regression", regression_challenge), ("solutions.iris", iris_solution),
        ("solutions.mnist", mnist_solution), ("solutions.regression", regression_solution),
        ("tutorials", tutorials),
    ):  # fmt: skip
        found |= module_functions(prefix, module)
    found["tutorials.Tutorial.meets"] = tutorials.Tutorial.meets
    return found


def test_every_public_function_is_fuzzed():
    """A new public function (or argument) of these modules must join SPECS."""
    public = public_functions()
    exported = {name for package in (challenges, solutions) for name in package.__all__
                if inspect.isfunction(getattr(package, name))}  # fmt: skip
    assert exported <= {key.rpartition(".")[2] for key in public}, "an export is not fuzzed"
    for key, function in public.items():
        params = set(inspect.signature(function).parameters) - {"self"}
        specs = [s for k, s in SPECS.items() if k == key or k.startswith(f"{key} (")]
        assert specs, f"{key} takes arguments but has no fuzz spec"
        for spec in specs:
            assert params == set(spec.bad), f"{key}: unfuzzed {params - set(spec.bad)}"
