"""Property-based test of the data and training side's public API: any wrong argument, one error.

For every public function of ``dnncourse.training``, ``dnncourse.data`` (and its
modules), ``dnncourse.plots``, ``dnncourse.glue`` and ``dnncourse.stamp`` that
takes arguments, Hypothesis breaks one argument at a time (all others valid): a
wrong type, an array of the wrong shape, dtype or length, a value out of range,
NaN or infinity. Every call must raise ``TypeError`` or ``ValueError`` (the
documented types) whose message names the broken argument and has the course's
"expected ..., got ..." form, with one traceback; no file may change, and no
TensorFlow or Keras may be imported (``training.fit`` checks everything before
any Keras work, so nothing trains). At least 200 examples per function; the
whole file runs in the fast loop (``-m "not slow"``). ``DNNCOURSE_FUZZ_EXAMPLES``
raises the count for a longer search.

The functions without arguments (``load_iris``, ``load_regression``,
``load_mnist``, ``sources``, ``show_version_stamp``) are covered by the file tests
(``test_data_errors.py``).
"""

from __future__ import annotations

import inspect
import math
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

import matplotlib
import numpy as np
import pytest
from api_cases import FakeCallback, FakeModel, Uncompiled, untouched
from conftest import RECORD
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from dnncourse import data, plots, training
from dnncourse.data import iris, mnist, regression
from dnncourse.glue import glue
from dnncourse.stamp import version_stamp

EXAMPLES = max(200, int(os.environ.get("DNNCOURSE_FUZZ_EXAMPLES", "200")))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # no .hypothesis/ folder: the run writes nothing
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)
NAN, INF = math.nan, math.inf
N = 12  # rows of the valid X and y


# --- building blocks ------------------------------------------------------------------


text = st.text(max_size=6)
floats = st.floats()  # NaN and infinity included
complexes = st.complex_numbers(max_magnitude=1e3, allow_nan=False)
objects = st.sampled_from([object(), print, int, FakeModel, Ellipsis, b"\x00"])
containers = st.one_of(
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.sets(st.integers(), max_size=2),
    st.lists(st.integers(), max_size=3).map(tuple),
)


def junk(none=True, strings=True, numbers=True):
    """Objects that are no array, number or name: the first wrong guesses of a learner."""
    parts = [objects, containers, complexes, st.binary(max_size=4)]
    parts += [st.none()] if none else []
    parts += [text] if strings else []
    parts += [floats, st.integers(), st.booleans()] if numbers else []
    return st.one_of(parts)


def not_int(low=None, high=None, none_ok=False):
    """Anything but a whole number in [low, high] (and None when ``none_ok``)."""
    parts = [
        floats,
        st.booleans(),
        text,
        objects,
        containers,
        complexes,
        st.just(np.array([3])),
        st.integers(0, 99).map(str),
    ]
    if low is not None:
        parts.append(st.integers(max_value=low - 1))
        parts.append(st.integers(-(2**62), low - 1).map(np.int64))
    if high is not None:
        parts.append(st.integers(min_value=high + 1))
    if not none_ok:
        parts.append(st.none())
    return st.one_of(parts)


def not_real(low=None, high=None, high_open=False, extra=()):
    """Anything but a finite number in [low, high] (or [low, high))."""
    parts = [
        st.sampled_from([NAN, INF, -INF]),
        st.booleans(),
        text,
        st.none(),
        objects,
        containers,
        complexes,
        st.just(np.array([0.5])),
        *extra,
    ]
    if low is not None:
        parts.append(st.floats(max_value=low, exclude_max=True))
    if high is not None:
        parts.append(st.floats(min_value=high, exclude_min=high_open))
    return st.one_of(parts)


def not_bool():
    return st.one_of(st.integers(), floats, text, st.none(), containers, objects)


def not_text(none_ok=False):
    return st.one_of(junk(none=not none_ok, strings=False), st.lists(text, max_size=2))


BAD_DTYPES = ["U3", "S3", "O", "c16", "M8[D]", "m8[s]"]


def bad_rows(n, tail=(), *, ndim_ok=True, extra=()):
    """Arrays that cannot be ``n`` rows of shape ``tail`` of finite numbers, and non-arrays."""
    size = n * math.prod(tail)

    def poisoned(args):
        i, v = args
        A = np.zeros((n, *tail))
        A.flat[i % size] = v
        return A

    parts = [
        st.integers(0, 3).map(lambda k: np.zeros((0, *tail))),  # no rows
        st.integers(1, 3 * n).filter(lambda m: m != n).map(lambda m: np.zeros((m, *tail))),
        st.sampled_from(BAD_DTYPES).map(lambda t: np.zeros((n, *tail), dtype=t)),
        st.tuples(st.integers(0, 10**6), st.sampled_from([NAN, INF, -INF])).map(poisoned),
        st.one_of(floats, st.integers()).map(np.asarray),  # a single number
        floats,
        st.just([[1.0, 2.0], [3.0]]),  # ragged
        junk(numbers=False),
        *extra,
    ]
    if not ndim_ok:
        parts.append(st.integers(1, 3).map(lambda k: np.zeros((n, *tail, k))))
    return st.one_of(parts)


def bad_names(count=None, valid=("a", "b", "c")):
    """Anything but a list of ``count`` distinct, non-empty names."""
    bad_item = st.one_of(st.just(""), st.just("  "), st.integers(), st.none(), st.floats())
    parts = [
        text,  # one string is refused, even "a,b,c"
        st.just([]),
        bad_item.map(lambda b: [*valid[:-1], b]),
        st.just([valid[0], valid[0], *valid[2:]]),  # a name twice
        junk(strings=False),
    ]
    if count is not None:
        parts.append(
            st.integers(0, 9)
            .filter(lambda k: k != count)
            .map(lambda k: [f"n{i}" for i in range(k)])
        )
    return st.one_of(parts)


def arrays_of_any_shape(exclude):
    shapes = st.lists(st.integers(0, 4), min_size=0, max_size=4).map(tuple)
    return shapes.filter(lambda s: not exclude(s)).map(np.zeros)


# --- the functions and their valid arguments -------------------------------------------

X, y = np.linspace(0, 1, 2 * N).reshape(N, 2), np.linspace(0, 1, N)
IRIS_X, IRIS_Y = np.tile(np.arange(1.0, 5.0), (30, 1)), np.repeat([0, 1, 2], 10)
DIGITS = np.zeros((4, 28, 28), np.uint8)
HISTORY = {"loss": [1.0, 0.5], "val_loss": [1.2, 0.7]}
NAMES3 = ["a", "b", "c"]
AXES_2D = plt.figure().add_subplot()  # a 2-D axes where a 3-D one is needed
plt.close("all")


def predict_probabilities(G):
    return np.full((len(G), 3), 1 / 3, np.float32)


@dataclass
class Spec:
    call: object
    valid: dict
    bad: dict  # argument name -> strategy of wrong values
    names: dict = field(default_factory=dict)  # argument -> what else may name it


SPECS = {
    "training.holdout": Spec(
        training.holdout,
        {"X": X, "y": y, "val_fraction": 0.2},
        {
            "X": bad_rows(N, (2,)),
            "y": bad_rows(N),
            "val_fraction": not_real(
                0,
                1,
                high_open=True,
                extra=[
                    st.floats(0.96, 0.999),  # leaves no row of 12 to train on
                    st.floats(1e-9, 0.04),  # holds out 0 of 12 rows
                ],
            ),
        },
    ),
    "training.as_dataset": Spec(
        training.as_dataset,
        {"X": X, "y": y, "batch_size": 4, "shuffle": False, "seed": None},
        {
            "X": bad_rows(N, (2,), extra=[st.floats(1e39, 1e308).map(lambda v: X + v)]),
            "y": bad_rows(N, extra=[st.floats(-1e308, -1e39).map(lambda v: y + v)]),
            "batch_size": not_int(1),
            "shuffle": not_bool(),
            "seed": not_int(0, 2**32 - 1, none_ok=True),
        },
    ),
    "training.fit": Spec(
        training.fit,
        {
            "model": FakeModel(),
            "X": X,
            "y": y,
            "epochs": 1,
            "batch_size": 4,
            "seed": 0,
            "validation_data": None,
            "callbacks": (),
            "verbose": 0,
        },
        {
            "model": st.one_of(junk(), st.builds(Uncompiled), st.just(FakeModel)),
            "X": bad_rows(
                N, (2,), ndim_ok=False, extra=[st.integers(3, 5).map(lambda d: np.zeros((N, d)))]
            ),
            "y": bad_rows(N),
            "epochs": not_int(1),
            "batch_size": not_int(1),
            "seed": not_int(0, 2**32 - 1, none_ok=True),
            "validation_data": st.one_of(
                st.integers(0, 5).filter(lambda k: k != 2).map(lambda k: (X,) * k),
                bad_rows(4, (2,)).map(lambda A: (A, y[:4])),
                bad_rows(4).map(lambda b: (X[:4], b)),
                st.just((np.zeros((4, 3)), y[:4])),
                junk(none=False),
            ),
            "callbacks": st.one_of(
                st.lists(
                    st.one_of(st.integers(), text, st.just(FakeCallback), st.none()),
                    min_size=1,
                    max_size=3,
                ),
                st.lists(st.just(FakeCallback()), max_size=2).map(lambda c: [*c, "stop"]),
                text,
                st.integers(),
                floats,
                st.dictionaries(text, st.integers(), max_size=2),
                objects,
            ),
            "verbose": st.one_of(
                st.integers().filter(lambda v: v not in (0, 1, 2)),
                floats,
                text.filter(lambda t: t != "auto"),
                st.booleans(),
                st.none(),
            ),
        },
        names={"validation_data": ("validation_data",)},
    ),
    "data.read_csv": Spec(
        data.read_csv,
        {"path": "no_such_file.csv", "header": ["x1", "x2", "y"]},
        {
            "path": st.one_of(
                junk(strings=False), st.just(""), st.just("   "), text.map(lambda t: t + "\x00")
            ),
            "header": st.one_of(
                bad_names(),
                st.sampled_from([" a", "a ", "a,b", 'a"', "a\nb"]).map(lambda b: ["x1", b]),
            ),
        },
    ),
    "data.iris.split_iris": Spec(
        iris.split_iris,
        {"X": IRIS_X, "y": IRIS_Y, "n_test_per_class": 3, "seed": 42},
        {
            "X": bad_rows(30, (4,), extra=[st.just(np.zeros(30)), st.just(np.zeros((30, 4, 1)))]),
            "y": bad_rows(
                30,
                extra=[
                    st.floats(0.01, 0.99).map(lambda f: IRIS_Y + f),
                    st.just(IRIS_Y.reshape(30, 1)),
                ],
            ),
            "n_test_per_class": st.one_of(not_int(1), st.integers(10, 10**9)),
            "seed": not_int(0, 2**32 - 1),
        },
    ),
    "data.regression.regression_surface": Spec(
        regression.regression_surface,
        {"X": X},
        # Any number of rows is fine (none too); anything but (n, 2) finite numbers is not.
        {
            "X": bad_rows(N, (2,)).filter(
                lambda A: (
                    not (
                        isinstance(A, np.ndarray)
                        and A.ndim == 2
                        and A.shape[1] == 2
                        and A.dtype.kind in "biuf"
                        and np.isfinite(A).all()
                    )
                )
            )
            | arrays_of_any_shape(lambda s: len(s) == 2 and s[1] == 2)
        },
    ),
    "data.regression.make_regression": Spec(
        regression.make_regression,
        {"n_train": 10, "n_test": 4, "sigma": 0.2, "seed": 1},
        {
            "n_train": not_int(1, 10**7),
            "n_test": not_int(0, 10**7),
            "sigma": not_real(low=0),
            "seed": not_int(0, 2**32 - 1),
        },
    ),
    "data.mnist.check_mnist_arrays": Spec(
        mnist.check_mnist_arrays,
        {"arrays": {}, "source": "mnist.npz"},
        {
            "arrays": st.one_of(
                junk(),
                st.lists(st.integers(), max_size=3),
                st.just({1: np.zeros(3), "x_train": None}),  # keys of mixed types
                st.sampled_from(["x_train", "y_train", "x_test", "y_test"]).flatmap(
                    lambda k: st.one_of(junk(none=False), bad_rows(3)).map(lambda v: {k: v})
                ),
            ),
            "source": st.one_of(junk(strings=False)),
        },
        names={"arrays": ("arrays", "x_train", "y_train", "x_test", "y_test")},
    ),
    "data.mnist.read_npz": Spec(
        mnist.read_npz,
        {"path": "mnist.npz", "fix": "Replace it.", "expected": None},
        {
            "path": st.one_of(junk(strings=False), st.just("")),
            "fix": not_text(),
            "expected": st.one_of(
                junk(none=False),
                st.just({}),
                st.one_of(
                    junk(),
                    st.just(((2, -1), "u1")),
                    st.just(((2.5,), "u1")),
                    st.just(((2,), "no such dtype")),
                ).map(lambda v: {"a": v}),
            ),
        },
    ),
    "data.mnist.prepare": Spec(
        mnist.prepare,
        {"X": DIGITS},
        {
            "X": st.one_of(
                arrays_of_any_shape(lambda s: len(s) == 3 and s[1:] == (28, 28)),
                st.floats(0, 1).map(lambda v: np.full((2, 28, 28), v)),  # scaled already
                st.floats(1, 255, exclude_min=True).map(lambda v: np.full((2, 28, 28), v)),
                st.one_of(st.integers(256, 10**6), st.integers(-(10**6), -1)).map(
                    lambda v: np.full((2, 28, 28), v)
                ),
                st.sampled_from([*BAD_DTYPES, "?"]).map(lambda t: np.zeros((2, 28, 28), t)),
                junk(numbers=False),
                floats,
            )
        },
    ),
    "data.mnist.load_prepared": Spec(
        mnist.load_prepared, {"n_val": 5000}, {"n_val": not_int(0, 59999)}
    ),
    "plots.plot_regression_data": Spec(
        plots.plot_regression_data,
        {
            "X_train": X,
            "y_train": y,
            "X_test": X[:5],
            "y_test": y[:5],
            "surface": None,
            "surface_label": "model",
            "ax": None,
        },
        {
            "X_train": bad_rows(N, (2,), ndim_ok=False),
            "y_train": bad_rows(N, ndim_ok=False),
            "X_test": st.one_of(st.none(), bad_rows(5, (2,), ndim_ok=False)),
            "y_test": st.one_of(st.none(), bad_rows(5, ndim_ok=False)),
            "surface": st.one_of(junk(none=False).filter(lambda v: not callable(v))),
            "surface_label": not_text(),
            "ax": st.one_of(junk(none=False), st.just(AXES_2D)),
        },
    ),
    "plots.pair_plot": Spec(
        plots.pair_plot,
        {"X": IRIS_X, "y": IRIS_Y, "feature_names": list("abcd"), "class_names": NAMES3},
        {
            "X": bad_rows(30, (4,), extra=[st.just(np.zeros((30, 1))), st.just(np.zeros(30))]),
            "y": bad_rows(
                30,
                extra=[st.sampled_from([3, -1, 0.5, 2.0001]).map(lambda v: np.r_[IRIS_Y[:-1], v])],
            ),
            "feature_names": bad_names(count=4, valid=("a", "b", "c", "d")),
            "class_names": st.one_of(
                bad_names(valid=NAMES3),
                st.integers(9, 20).map(lambda k: [f"c{i}" for i in range(k)]),
            ),
        },
        names={"class_names": ("class_names",)},
    ),
    "plots.show_digits": Spec(
        plots.show_digits,
        {"images": DIGITS, "labels": [0, 1, 2, 3], "predicted": None, "ncols": 10, "title": None},
        {
            "images": st.one_of(
                bad_rows(4, (28, 28)),
                arrays_of_any_shape(
                    lambda s: len(s) in (3, 4) and s[1:] in ((28, 28), (28, 28, 1))
                ),
                st.just(np.zeros((401, 28, 28), np.uint8)),
            ),
            "labels": bad_rows(4, ndim_ok=False),
            "predicted": bad_rows(4, ndim_ok=False).filter(lambda v: v is not None),
            "ncols": not_int(1, 50),
            "title": not_text(none_ok=True),
        },
    ),
    "plots.plot_history": Spec(
        plots.plot_history,
        {"history": HISTORY, "metrics": ("loss",), "title": None, "logy": False, "ax": None},
        {
            "history": st.one_of(
                junk(),
                st.lists(floats, max_size=3),
                st.just({"accuracy": [0.5]}),  # no loss recorded
                st.just({"loss": []}),
                bad_rows(2)
                .filter(lambda v: not isinstance(v, tuple))
                .map(lambda v: {"loss": v})
                .filter(  # a 1-D array of numbers is a history
                    lambda h: (
                        not (
                            isinstance(h["loss"], np.ndarray)
                            and h["loss"].ndim == 1
                            and len(h["loss"])
                            and h["loss"].dtype.kind in "biuf"
                        )
                    )
                ),
            ),
            "metrics": st.one_of(
                text.filter(lambda t: t not in HISTORY),
                st.just([]),
                st.lists(st.integers(), min_size=1, max_size=2),
                st.just(("loss", "accuracy")),
                junk(strings=False),
            ),
            "title": not_text(none_ok=True),
            "logy": not_bool(),
            "ax": st.one_of(junk(none=False), st.just([AXES_2D, AXES_2D])),
        },
        names={"history": ("history",)},
    ),
    "plots.plot_confusion": Spec(
        plots.plot_confusion,
        {"confusion": np.eye(3, dtype=int) * 5, "class_names": NAMES3, "ax": None, "title": None},
        {
            "confusion": st.one_of(
                arrays_of_any_shape(lambda s: s == (3, 3)),
                st.sampled_from([-1, 0.5, NAN, INF]).map(lambda v: np.full((3, 3), v)),
                st.sampled_from(BAD_DTYPES).map(lambda t: np.zeros((3, 3), t)),
                junk(numbers=False),
            ),
            "class_names": st.one_of(
                bad_names(valid=NAMES3),
                st.integers(1, 6)
                .filter(lambda k: k != 3)
                .map(lambda k: [f"c{i}" for i in range(k)]),
            ),
            "ax": st.one_of(junk(none=False), st.just([AXES_2D])),
            "title": not_text(none_ok=True),
        },
    ),
    "plots.plot_decision_regions": Spec(
        plots.plot_decision_regions,
        {
            "predict": predict_probabilities,
            "X": IRIS_X,
            "y": IRIS_Y,
            "class_names": NAMES3,
            "feature_names": list("abcd"),
            "features": (2, 3),
            "ax": None,
            "title": None,
            "n": 150,
        },
        {
            "predict": junk().filter(lambda v: not callable(v)),
            "X": bad_rows(30, (4,), extra=[st.just(np.zeros((30, 1)))]),
            "y": bad_rows(
                30, extra=[st.sampled_from([3, -1, 0.5]).map(lambda v: np.r_[IRIS_Y[:-1], v])]
            ),
            "class_names": st.one_of(
                bad_names(valid=NAMES3),
                st.integers(9, 20).map(lambda k: [f"c{i}" for i in range(k)]),
            ),
            "feature_names": bad_names(count=4, valid=("a", "b", "c", "d")),
            "features": st.one_of(
                st.tuples(st.integers(), st.integers()).filter(
                    lambda f: f[0] == f[1] or not (0 <= f[0] < 4 and 0 <= f[1] < 4)
                ),
                st.lists(st.integers(0, 3), max_size=5).filter(lambda f: len(f) != 2),
                st.tuples(floats, st.integers(0, 3)),
                junk(numbers=False),
            ),
            "ax": junk(none=False),
            "title": not_text(none_ok=True),
            "n": not_int(2, 1000),
        },
        names={"class_names": ("class_names",)},
    ),
    "glue.glue": Spec(
        glue,
        {"name": "k", "value": 1.0, "display": False},
        {
            "name": st.one_of(
                not_text(),
                text.filter(
                    lambda t: (
                        not t or any(not (c.isascii() and (c.isalnum() or c in "_.-")) for c in t)
                    )
                ),
            ),
            "value": st.one_of(
                junk(numbers=False),
                st.booleans(),
                st.sampled_from([NAN, INF, -INF, np.float32("nan")]),
                st.lists(floats, min_size=1, max_size=2).map(np.asarray),
            ),
            "display": not_bool(),
        },
    ),
    "stamp.version_stamp": Spec(
        version_stamp,
        {"now": None},
        {"now": st.one_of(junk(none=False), st.dates(), st.datetimes())},  # naive datetimes
    ),
}


@pytest.fixture(scope="module")
def tiny_npz(tmp_path_factory):
    """A valid .npz for read_npz's other arguments."""
    path = tmp_path_factory.mktemp("npz") / "mnist.npz"
    np.savez(path, a=np.arange(3))
    return path


@pytest.mark.parametrize("function", list(SPECS))
def test_every_wrong_argument_gets_one_documented_error(
    function, tmp_path, monkeypatch, tiny_npz, record_property
):
    spec = SPECS[function]
    refuse(monkeypatch, "load_prepared read MNIST", [(mnist, "load_mnist")])
    monkeypatch.setitem(sys.modules, "myst_nb", None)  # glue must refuse, not store
    valid = dict(spec.valid)
    if function == "data.mnist.read_npz":
        valid["path"] = str(tiny_npz)
    fuzz_at_the_door(function, spec, tmp_path, monkeypatch, record_property, valid=valid,
                     also=mnist.NpzError, sentence=False, after=lambda: plt.close("all"))  # fmt: skip
    plt.close("all")


def refuse(monkeypatch, message, places):
    """Replace each ``(module, name)`` of ``places`` (a data loader, Keras) by a test failure
    saying ``message``: a bad argument must be refused before any of them is reached."""

    def reached(*args, **kwargs):
        pytest.fail(message)

    for module, name in places:
        monkeypatch.setattr(module, name, reached)


def fuzz_at_the_door(function, spec, tmp_path, monkeypatch, record_property, valid=None, **options):
    """:func:`fuzz` ``spec`` (``options`` passed on; ``valid`` defaults to ``spec.valid``) from
    ``tmp_path``, where a stray write would land, changing no file and importing no TensorFlow
    or Keras; then record the run with :func:`report_fuzz`."""
    monkeypatch.chdir(tmp_path)  # a stray write would land here
    with untouched(tmp_path, "a check came after a TensorFlow/Keras import"):
        counts, seconds = fuzz(spec, spec.valid if valid is None else valid, tmp_path, **options)
    report_fuzz(record_property, function, spec, counts, seconds)


def fuzz(spec, valid, tmp_path, also=(), sentence=True, after=None):
    """Call ``spec.call`` with one argument at a time made bad (``FUZZ``'s examples).

    Each call must raise a ``TypeError`` or ``ValueError`` (or one of ``also``) that
    names the argument, says what was expected and what was got (ending in a full stop
    when ``sentence``), comes with one traceback, and writes no file into ``tmp_path``;
    ``after()`` runs after each call.  Returns ``(examples per argument, seconds)``.
    """
    counts = Counter()

    @FUZZ
    @given(st.data())
    def run(draw):
        argument = draw.draw(st.sampled_from(sorted(spec.bad)), label="argument")
        value = draw.draw(spec.bad[argument], label=argument)
        with pytest.raises((TypeError, ValueError)) as err:
            spec.call(**{**valid, argument: value})
        if after:
            after()
        message = str(err.value)
        assert type(err.value) in (TypeError, ValueError) or isinstance(err.value, also), (
            f"{type(err.value).__name__}: {message}"
        )
        allowed = spec.names.get(argument, (argument,))
        assert any(name in message for name in allowed), f"must name {argument}: {message}"
        assert "expected" in message and "got" in message, message
        assert message.endswith(".") or not sentence, message
        assert err.value.__context__ is None or err.value.__suppress_context__, (
            f"two tracebacks: {message}"
        )
        assert os.listdir(tmp_path) == [], "a file was written"
        counts[argument] += 1

    start = time.perf_counter()
    run()
    return counts, time.perf_counter() - start


def report_fuzz(record_property, function, spec, counts, seconds):
    """Record one function's fuzz run; at least 200 examples, every bad argument tried."""
    total = sum(counts.values())
    per_argument = ", ".join(f"{a} {n}" for a, n in sorted(counts.items()))
    record_property(
        RECORD, f"fuzz {function}: {total} examples in {seconds:.1f} s ({per_argument})"
    )
    assert total >= 200, f"expected at least 200 examples, got {total}"
    assert set(counts) == set(spec.bad), f"arguments never broken: {set(spec.bad) - set(counts)}"


def module_functions(prefix, module):
    """``{"PREFIX.name": function}`` of the public functions ``module`` defines (not imports)."""
    return {
        f"{prefix}.{name}": obj
        for name, obj in vars(module).items()
        if not name.startswith("_")
        and inspect.isfunction(obj)
        and obj.__module__ == module.__name__
    }


def test_every_public_function_with_arguments_is_fuzzed():
    """A new public function (or argument) of these modules must join SPECS."""
    modules = {
        "training": training,
        "data.iris": iris,
        "data.mnist": mnist,
        "data.regression": regression,
        "plots": plots,
    }
    public = {f"data.{name}": getattr(data, name) for name in data.__all__}
    for prefix, module in modules.items():
        public |= module_functions(prefix, module)
    public |= {"glue.glue": glue, "stamp.version_stamp": version_stamp}
    for key, function in public.items():
        if not inspect.isfunction(function):
            continue  # Source, a class whose objects the loaders make
        params = set(inspect.signature(function).parameters) - {"grid"}  # grid: see report
        if params:
            assert key in SPECS, f"{key} takes arguments but has no fuzz spec"
            assert params == set(SPECS[key].bad), f"{key}: unfuzzed {params - set(SPECS[key].bad)}"
    assert len(SPECS) == 19
