"""Every bad argument a learner can pass to the data and training side: one clear error.

Each case calls a public function of ``dnncourse.training``, ``dnncourse.data``,
``dnncourse.plots``, ``dnncourse.glue`` or ``dnncourse.stamp`` with one argument
wrong and checks the error's type, its message, that the message names the
argument, says what was expected and what was got, that it carries one traceback
(no "During handling of the above exception"), and that no file changed. None of
them trains or imports TensorFlow: the checks run before any Keras work.
``CASES`` doubles as the table of bad inputs and messages in the issue's report
(``python tests/test_api_errors.py`` prints it).
"""

from __future__ import annotations

import datetime as dt
import sys

import matplotlib
import numpy as np
import pytest
from api_cases import (
    Case,
    FakeCallback,
    FakeModel,
    Uncompiled,
    assert_one_clear_error,
    case_id,
    error_table,
)
from conftest import REPO, snapshot

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from dnncourse import data, plots, training
from dnncourse.data import iris, mnist, regression
from dnncourse.glue import glue
from dnncourse.stamp import version_stamp

X = np.linspace(0, 1, 50).reshape(25, 2)
y = X.sum(axis=1)
DIGITS = np.zeros((4, 28, 28), np.uint8)
IRIS_X = np.tile(np.arange(4.0) + 1, (30, 1))
IRIS_Y = np.repeat([0, 1, 2], 10)
NAMES3 = ["a", "b", "c"]
HISTORY = {"loss": [1.0, 0.5], "val_loss": [1.1, 0.7]}


def fit(**changes):
    kwargs = {"epochs": 1, "batch_size": 4, "seed": 0, **changes}
    model = kwargs.pop("model", FakeModel())
    return lambda: training.fit(model, kwargs.pop("X", X), kwargs.pop("y", y), **kwargs)


def axes_2d():
    return plt.figure().add_subplot()


C = Case
CASES = [
    # --- training.holdout ------------------------------------------------------------
    C("holdout", "y shorter than X", lambda: training.holdout(X, y[:20]), ValueError,
      r"arguments X, y: expected the same number of rows.*got 25 in X and 20 in y", "y"),
    C("holdout", "y empty (X[:20] against y[20:20])", lambda: training.holdout(X, y[:0]),
      ValueError, r"at least 1 row, got 0 rows", "y"),
    C("holdout", "0 rows", lambda: training.holdout(X[:0], y[:0]), ValueError,
      r"argument X: .*at least 1 row, got 0 rows", "X"),
    C("holdout", "val_fraction 1.0000000000000002", lambda: training.holdout(X, y, 1 + 2**-52),
      ValueError, r"in \[0, 1\), got 1\.0000000000000002 \(a float\)", "val_fraction"),
    C("holdout", "val_fraction as text", lambda: training.holdout(X, y, "0.2"), TypeError,
      r"got '0\.2' \(a str\)\. Pass val_fraction=0\.2 \(a number, not text\)", "val_fraction"),
    C("holdout", "val_fraction leaves no training row", lambda: training.holdout(X[:1], y[:1], 0.6),
      ValueError, r"leaves rows to train on", "val_fraction"),
    C("holdout", "val_fraction rounds to no validation row",
      lambda: training.holdout(X[:2], y[:2], 0.2), ValueError, r"rounds to 0 rows", "val_fraction"),
    C("holdout", "X of text", lambda: training.holdout(np.array([["1", "2"]] * 25), y), TypeError,
      r"got an array of text \(dtype <U1\).*np\.asarray\(X, dtype=float\)", "X"),
    C("holdout", "ragged list", lambda: training.holdout([[1, 2], [3]], [1, 2]), ValueError,
      r"rows of different lengths \(a ragged list\)", "X"),
    C("holdout", "NaN in X", lambda: training.holdout(np.where(X > 0.9, np.nan, X), y), ValueError,
      r"expected finite numbers, got nan at index \(22, 1\)", "X"),
    C("holdout", "a single number as X", lambda: training.holdout(3.0, y), ValueError,
      r"at least 1 dimension, got a single value \(3\.0 \(a float\)\)", "X"),
    # --- training.as_dataset ----------------------------------------------------------
    C("as_dataset", "batch_size 0", lambda: training.as_dataset(X, y, 0), ValueError,
      r"whole number >= 1, got 0 \(an int\)", "batch_size"),
    C("as_dataset", "batch_size 16.0", lambda: training.as_dataset(X, y, 16.0), TypeError,
      r"got 16\.0 \(a float\)\. Pass batch_size=16\.", "batch_size"),
    C("as_dataset", "seed as text", lambda: training.as_dataset(X, y, 4, seed="42"), TypeError,
      r"got '42' \(a str\)\. Pass seed=42 \(a number, not text\)", "seed"),
    C("as_dataset", "negative seed", lambda: training.as_dataset(X, y, 4, seed=-1), ValueError,
      r"in \[0, 4294967295\], got -1", "seed"),
    C("as_dataset", "shuffle=1", lambda: training.as_dataset(X, y, 4, shuffle=1), TypeError,
      r"expected True or False, got 1 \(an int\)", "shuffle"),
    C("as_dataset", "X too large for float32", lambda: training.as_dataset(X * 1e300, y, 4),
      ValueError, r"fit in float32.*got 2\.04\d+e\+298 at index \(0, 1\)", "X"),
    C("as_dataset", "mismatched lengths", lambda: training.as_dataset(X, y[:-1], 4), ValueError,
      r"got 25 in X and 24 in y", "y"),
    # --- training.fit -----------------------------------------------------------------
    C("fit", "mismatched X/y lengths", fit(y=y[:10]), ValueError, r"got 25 in X and 10 in y", "y"),
    C("fit", "0 rows", fit(X=X[:0], y=y[:0]), ValueError, r"got 0 rows", "X"),
    C("fit", "batch_size 0", fit(batch_size=0), ValueError, r"whole number >= 1, got 0", "batch_size"),
    C("fit", "batch_size 16.0", fit(batch_size=16.0), TypeError, r"Pass batch_size=16\.", "batch_size"),
    C("fit", "epochs 0", fit(epochs=0), ValueError, r"whole number >= 1, got 0", "epochs"),
    C("fit", "seed as text", fit(seed="0"), TypeError, r"got '0' \(a str\)", "seed"),
    C("fit", "3-tuple validation_data", fit(validation_data=(X, y, y)), ValueError,
      r"a pair \(X_val, y_val\), got a tuple of 3 items\. Sample weights", "validation_data"),
    C("fit", "empty validation_data ()", fit(validation_data=()), ValueError,
      r"a pair \(X_val, y_val\), got a tuple of 0 items", "validation_data"),
    C("fit", "validation_data with 0 rows", fit(validation_data=(X[:0], y[:0])), ValueError,
      r"validation_data\[0\] \(X_val\): .*got 0 rows", "validation_data"),
    C("fit", "validation_data of other columns", fit(validation_data=(X[:, :1], y)), ValueError,
      r"rows of shape \(2,\) like the training data, got an array of shape \(25, 1\)",
      "validation_data"),
    C("fit", "validation_data a dict", fit(validation_data={"X": X}), TypeError,
      r"a pair \(X_val, y_val\), got a dict", "validation_data"),
    C("fit", "callbacks a string", fit(callbacks="early"), TypeError,
      r"a list of keras\.callbacks\.Callback, got 'early' \(a str\)", "callbacks"),
    C("fit", "a callback class, not an object", fit(callbacks=[FakeCallback]), TypeError,
      r"callbacks\[0\]: .*got the class FakeCallback itself", "callbacks"),
    C("fit", "verbose 3", fit(verbose=3), ValueError, r"one of 0, 1, 2, 'auto', got 3", "verbose"),
    C("fit", "model not compiled", fit(model=Uncompiled()), ValueError,
      r"never compiled\. Call model\.compile", "model"),
    C("fit", "model a string", fit(model="model"), TypeError, r"a compiled keras\.Model", "model"),
    C("fit", "X of 3 columns for a 2-input model", fit(X=np.zeros((25, 3))), ValueError,
      r"rows of shape \(2,\), the model's input.*keras\.Input\(shape=\(3,\)\)", "X"),
    # --- data.read_csv ----------------------------------------------------------------
    C("read_csv", "header as one string", lambda: data.read_csv("x.csv", "x1,x2,y"), TypeError,
      r"a list of names \(str\), got 'x1,x2,y' \(a str\)\. Pass header=\['x1', 'x2', 'y'\]",
      "header"),
    C("read_csv", "header empty", lambda: data.read_csv("x.csv", []), ValueError,
      r"at least 1 name, got 0", "header"),
    C("read_csv", "header of numbers", lambda: data.read_csv("x.csv", [1, 2]), TypeError,
      r"header\[0\]: expected a non-empty str, got 1", "header"),
    C("read_csv", "header name twice", lambda: data.read_csv("x.csv", ["a", "a"]), ValueError,
      r"different names, got a more than once", "header"),
    C("read_csv", "header name with a space around", lambda: data.read_csv("x.csv", [" a"]),
      ValueError, r"without commas, quotes, line breaks or surrounding spaces", "header"),
    C("read_csv", "path None", lambda: data.read_csv(None, ["a"]), TypeError,
      r"a file path \(str or pathlib\.Path\), got None", "path"),
    C("read_csv", "path as bytes", lambda: data.read_csv(b"x.csv", ["a"]), TypeError,
      r"got b'x\.csv' \(a bytes\)", "path"),
    # --- data.iris.split_iris ---------------------------------------------------------
    C("split_iris", "n_test_per_class takes a whole class",
      lambda: iris.split_iris(IRIS_X, IRIS_Y, n_test_per_class=10), ValueError,
      r"fewer than the 10 rows of the smallest class, got 10", "n_test_per_class"),
    C("split_iris", "n_test_per_class 0", lambda: iris.split_iris(IRIS_X, IRIS_Y, 0), ValueError,
      r"whole number >= 1, got 0", "n_test_per_class"),
    C("split_iris", "fractional labels", lambda: iris.split_iris(IRIS_X, IRIS_Y + 0.5), ValueError,
      r"whole-number labels, got a label 0\.5", "y"),
    C("split_iris", "mismatched lengths", lambda: iris.split_iris(IRIS_X, IRIS_Y[:-1]),
      ValueError, r"got 30 in X and 29 in y", "y"),
    C("split_iris", "seed as text", lambda: iris.split_iris(IRIS_X, IRIS_Y, 3, "42"), TypeError,
      r"Pass seed=42", "seed"),
    # --- data.regression --------------------------------------------------------------
    C("regression_surface", "one point, not a row", lambda: regression.regression_surface([0.5, 0.5]),
      ValueError, r"shape \(n, 2\), got an array of shape \(2,\)", "X"),
    C("regression_surface", "three columns", lambda: regression.regression_surface(np.zeros((4, 3))),
      ValueError, r"shape \(n, 2\), got an array of shape \(4, 3\)", "X"),
    C("make_regression", "n_train 0", lambda: regression.make_regression(n_train=0), ValueError,
      r"whole number in \[1, 10000000\], got 0", "n_train"),
    C("make_regression", "n_train 2.5", lambda: regression.make_regression(n_train=2.5), TypeError,
      r"got 2\.5 \(a float\)", "n_train"),
    C("make_regression", "negative sigma", lambda: regression.make_regression(sigma=-0.1),
      ValueError, r"a number >= 0, got -0\.1", "sigma"),
    C("make_regression", "sigma NaN", lambda: regression.make_regression(sigma=float("nan")),
      ValueError, r"a number >= 0, got nan", "sigma"),
    C("make_regression", "seed as text", lambda: regression.make_regression(seed="7"), TypeError,
      r"Pass seed=7", "seed"),
    # --- data.mnist -------------------------------------------------------------------
    C("prepare", "images already scaled to [0, 1]",
      lambda: mnist.prepare(np.full((2, 28, 28), 0.5, np.float32)), ValueError,
      r"float32 values in \[0, 0\.5\]: digits scaled already\. Use them as they are", "X"),
    C("prepare", "images already prepared (channel axis)",
      lambda: mnist.prepare(np.zeros((2, 28, 28, 1), np.float32)), ValueError,
      r"digits prepared already", "X"),
    C("prepare", "one digit without the batch axis", lambda: mnist.prepare(DIGITS[0]), ValueError,
      r"expected digits of shape \(n, 28, 28\).*x\[np\.newaxis\]", "X"),
    C("prepare", "float grey values 0..255", lambda: mnist.prepare(DIGITS * 1.0 + 255), TypeError,
      r"X\.astype\(np\.uint8\)", "X"),
    C("prepare", "values above 255", lambda: mnist.prepare(DIGITS.astype(np.int16) + 300),
      ValueError, r"grey values 0\.\.255, got a value 300", "X"),
    C("load_prepared", "n_val negative", lambda: mnist.load_prepared(n_val=-1), ValueError,
      r"whole number in \[0, 59999\], got -1", "n_val"),
    C("load_prepared", "n_val 60000 (nothing left to train on)",
      lambda: mnist.load_prepared(n_val=60000), ValueError, r"got 60000 \(an int\)", "n_val"),
    C("load_prepared", "n_val 5000.0", lambda: mnist.load_prepared(n_val=5000.0), TypeError,
      r"got 5000\.0 \(a float\)\. Pass n_val=5000\.", "n_val"),
    C("read_npz", "path a number", lambda: mnist.read_npz(3, "Replace it."), TypeError,
      r"a file path", "path"),
    C("check_mnist_arrays", "arrays a list", lambda: mnist.check_mnist_arrays([1], "x"), TypeError,
      r"a mapping of names to arrays", "arrays"),
    # --- plots ------------------------------------------------------------------------
    C("plot_regression_data", "X_train of 3 columns",
      lambda: plots.plot_regression_data(np.zeros((5, 3)), np.zeros(5)), ValueError,
      r"shape \(n, 2\), got an array of shape \(5, 3\)", "X_train"),
    C("plot_regression_data", "X_test without y_test",
      lambda: plots.plot_regression_data(X, y, X_test=X), TypeError,
      r"y_test: expected an array since X_test is given, got None", "y_test"),
    C("plot_regression_data", "surface not a function",
      lambda: plots.plot_regression_data(X, y, surface="model"), TypeError,
      r"a function, got 'model' \(a str\)", "surface"),
    C("plot_regression_data", "surface giving the wrong shape",
      lambda: plots.plot_regression_data(X, y, surface=lambda P: P), ValueError,
      r"625 predictions.*got shape \(625, 2\)", "surface"),
    C("plot_regression_data", "a 2-D axes", lambda: plots.plot_regression_data(X, y, ax=axes_2d()),
      TypeError, r"a 3-D Matplotlib axes or None", "ax"),
    C("pair_plot", "label without a class name",
      lambda: plots.pair_plot(IRIS_X, IRIS_Y + 1, list("abcd"), NAMES3), ValueError,
      r"labels 0 to 2, one per name in class_names \(a, b, c\), got a label 3 at index 20", "y"),
    C("pair_plot", "feature names of the wrong count",
      lambda: plots.pair_plot(IRIS_X, IRIS_Y, ["a"], NAMES3), ValueError, r"4 names, got 1",
      "feature_names"),
    C("pair_plot", "class_names one string",
      lambda: plots.pair_plot(IRIS_X, IRIS_Y, list("abcd"), "abc"), TypeError,
      r"a list of names \(str\), got 'abc'", "class_names"),
    C("show_digits", "images of another size",
      lambda: plots.show_digits(np.zeros((2, 28, 27)), [0, 1]), ValueError,
      r"\(n, 28, 28\) or \(n, 28, 28, 1\), got an array of shape \(2, 28, 27\)", "images"),
    C("show_digits", "all 60,000 digits", lambda: plots.show_digits(np.zeros((1000, 28, 28)),
      np.zeros(1000)), ValueError, r"at most 400 digits.*images\[:20\]", "images"),
    C("show_digits", "fewer labels than images", lambda: plots.show_digits(DIGITS, [0, 1]),
      ValueError, r"got 4 in images and 2 in labels", "labels"),
    C("show_digits", "ncols 0", lambda: plots.show_digits(DIGITS, [0] * 4, ncols=0), ValueError,
      r"whole number in \[1, 50\], got 0", "ncols"),
    C("plot_history", "a metric not recorded",
      lambda: plots.plot_history(HISTORY, metrics=("loss", "accuracy")), ValueError,
      r"names the history recorded \(loss, val_loss\), got 'accuracy'.*metrics=\['accuracy'\]",
      "metrics"),
    C("plot_history", "not a history", lambda: plots.plot_history([1.0, 0.5]), TypeError,
      r"what model\.fit returns.*got a list of 2 items", "history"),
    C("plot_history", "an empty history", lambda: plots.plot_history({"loss": []}), ValueError,
      r"history\['loss'\]: .*at least 1 row, got 0 rows", "history"),
    C("plot_history", "log scale of a negative value",
      lambda: plots.plot_history({"loss": [1.0, -0.5]}, logy=True), ValueError,
      r"positive loss values for a log scale, got -0\.5", "logy"),
    C("plot_history", "logy as text", lambda: plots.plot_history(HISTORY, logy="yes"), TypeError,
      r"True or False, got 'yes'", "logy"),
    C("plot_history", "one axes for two metrics",
      lambda: plots.plot_history(HISTORY, metrics=("loss", "val_loss"), ax=axes_2d()), TypeError,
      r"2 Matplotlib axes \(one per metric\)", "ax"),
    C("plot_confusion", "table of another size",
      lambda: plots.plot_confusion(np.zeros((3, 2), int), NAMES3), ValueError,
      r"shape \(3, 3\), got an array of shape \(3, 2\)", "confusion"),
    C("plot_confusion", "a negative count",
      lambda: plots.plot_confusion(-np.eye(3, dtype=int), NAMES3), ValueError,
      r"whole counts >= 0, got -1", "confusion"),
    C("plot_decision_regions", "the same feature twice",
      lambda: plots.plot_decision_regions(len, IRIS_X, IRIS_Y, NAMES3, list("abcd"), (2, 2)),
      ValueError, r"two different columns, got \(2, 2\)", "features"),
    C("plot_decision_regions", "a feature past the last column",
      lambda: plots.plot_decision_regions(len, IRIS_X, IRIS_Y, NAMES3, list("abcd"), (0, 4)),
      ValueError, r"features\[1\]: expected a whole number in \[0, 3\], got 4", "features"),
    C("plot_decision_regions", "predict not a function",
      lambda: plots.plot_decision_regions(None, IRIS_X, IRIS_Y, NAMES3, list("abcd")), TypeError,
      r"a function, got None", "predict"),
    C("plot_decision_regions", "predict giving the wrong shape",
      lambda: plots.plot_decision_regions(lambda G: G, IRIS_X, IRIS_Y, NAMES3, list("abcd"), n=5),
      ValueError, r"shape \(25, 3\) for 25 points and 3 classes, got shape \(25, 4\)", "predict"),
    # --- glue, stamp ------------------------------------------------------------------
    C("glue", "a string value", lambda: glue("k", "0.5"), TypeError,
      r"a number \(int or float\), got '0\.5' \(a str\)", "value"),
    C("glue", "NaN value", lambda: glue("k", float("nan")), ValueError, r"a finite number, got nan",
      "value"),
    C("glue", "an array value", lambda: glue("k", np.array([1.0, 2.0])), TypeError,
      r"got an array of shape \(2,\)", "value"),
    C("glue", "a bool value", lambda: glue("k", True), TypeError, r"got True \(a bool\)", "value"),
    C("glue", "a key with a colon", lambda: glue("a:b", 1), ValueError, r"got 'a:b'", "name"),
    C("glue", "display as text", lambda: glue("k", 1, display="no"), TypeError,
      r"True or False, got 'no'", "display"),
    C("version_stamp", "now as text", lambda: version_stamp("2026-01-01"), TypeError,
      r"a datetime\.datetime or None, got '2026-01-01'", "now"),
    C("version_stamp", "now without a time zone", lambda: version_stamp(dt.datetime(2026, 1, 1)),
      ValueError, r"a datetime with a time zone.*2026-01-01T00:00:00 without one", "now"),
]  # fmt: skip


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_distinct_cases_cover_every_function():
    assert len({case_id(c) for c in CASES}) == len(CASES) >= 90
    functions = {c.function for c in CASES}
    assert {"holdout", "as_dataset", "fit", "read_csv", "prepare", "load_prepared", "glue",
            "plot_history", "show_digits", "version_stamp"} <= functions  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_bad_argument_gives_one_clear_error_and_changes_no_file(case, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a stray write would land here
    before, shipped = snapshot(tmp_path), snapshot(REPO / "data")
    heavy = {m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras")}
    with pytest.raises(case.error, match=case.match) as err:
        case.call()
    assert type(err.value) in (TypeError, ValueError), f"expected a plain error: {err.value!r}"
    assert_one_clear_error(case, err)
    assert snapshot(tmp_path) == before and snapshot(REPO / "data") == shipped
    assert {m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras")} == heavy, (
        "the check must come before any TensorFlow or Keras import"
    )


# --- the right answer where there is one ----------------------------------------------


def test_one_callback_alone_is_a_list_of_one():
    door = training.Arguments("fit")
    callback = FakeCallback()
    assert training._callback_list(door, callback) == [callback]
    assert training._callback_list(door, None) == []
    assert training._callback_list(door, (callback,)) == [callback]


def test_one_metric_named_alone_is_plotted():
    fig = plots.plot_history(HISTORY, metrics="loss")
    assert [a.get_ylabel() for a in fig.axes] == ["loss"]


def test_holdout_returns_arrays_of_lists_and_keeps_the_split():
    (X_fit, _), (X_val, y_val) = training.holdout(X.tolist(), y.tolist(), 0.2)
    assert isinstance(X_fit, np.ndarray) and X_fit.shape == (20, 2) and y_val.shape == (5,)
    np.testing.assert_array_equal(X_val, X[20:])
    (_, _), (X_none, _) = training.holdout(X, y, 0)
    assert len(X_none) == 0  # val_fraction=0: documented, no validation rows


def test_glue_stores_numpy_scalars_as_python_numbers(monkeypatch):
    calls = []

    class FakeMystNb:
        @staticmethod
        def glue(name, value, display=True):
            calls.append((name, value, type(value)))

    monkeypatch.setitem(sys.modules, "myst_nb", FakeMystNb)
    glue("a", np.float32(0.5), display=False)
    glue("b", np.int64(3), display=False)
    assert calls == [("a", 0.5, float), ("b", 3, int)]


def test_version_stamp_states_utc_for_a_time_in_another_zone(monkeypatch):
    from dnncourse import stamp

    class FakeKeras:
        __version__ = "3.x"

        class backend:
            @staticmethod
            def backend():
                return "numpy"

    monkeypatch.setattr("dnncourse.backend.import_keras", lambda: FakeKeras)
    monkeypatch.setitem(sys.modules, "numpy", np)
    berlin = dt.timezone(dt.timedelta(hours=1))
    text = stamp.version_stamp(dt.datetime(2026, 11, 27, 14, 20, tzinfo=berlin))
    assert "on 2026-11-27 at 13:20 UTC" in text


def test_prepare_and_load_prepared_still_accept_what_they_should():
    P = mnist.prepare(np.full((2, 28, 28), 255, np.int64))  # any integer dtype with 0..255
    assert P.dtype == np.float32 and P.shape == (2, 28, 28, 1) and P.max() == 1.0
    assert mnist.prepare(np.zeros((0, 28, 28), np.uint8)).shape == (0, 28, 28, 1)


def table():
    return error_table(CASES, first_line=False, after=lambda: plt.close("all"))


if __name__ == "__main__":
    print(table())
