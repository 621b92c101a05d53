"""Every bad argument to the challenges, solutions and the tutorials table: one clear error.

The third twin of ``test_api_errors.py``, for ``dnncourse.challenges``,
``dnncourse.solutions`` and ``dnncourse.tutorials``.  Each case passes one wrong
argument and checks the error's type and message (the argument named, "expected
..., got ...", the fix), one traceback, no file changed, and that the function
refused before Keras was imported or any data read.  ``CASES`` doubles as the issue
report's table (``python tests/test_api_errors_tutorials.py`` prints it).  The tests
below the cases check that valid calls still give the same networks, and that the
solution the pages show is still the teaching code.
"""

from __future__ import annotations

import inspect
import sys

import numpy as np
import pytest
from api_cases import Case, case_id, error_table, refuses_at_the_door

import dnncourse.data
from dnncourse import challenges, solutions, tutorials
from dnncourse.data import mnist as mnist_data
from dnncourse.solutions.mnist import one_cycle, solution_cnn

X2, Y2 = np.linspace(0, 1, 40).reshape(20, 2), np.linspace(0, 1, 20)
X4, Y3 = np.tile(np.arange(1.0, 5.0), (30, 1)), np.repeat([0, 1, 2], 10)


class EarlyStopping:
    """A Keras callback *class*: the object is made by calling it."""


class Net:
    """Has ``compile`` as a Keras model does; refuses to be compiled (never reached)."""

    def compile(self, **kwargs):
        raise AssertionError("a wrong argument reached compile")


class Adam:
    """An optimizer object where compile_seed takes the optimizer's name."""


C = Case
CASES = [
    # --- builders: layer sizes, rates
    C("iris_model", "hidden one int", lambda: challenges.iris_model(16), TypeError, r"a tuple of whole numbers in \[1, 10000\] \(units per layer\), got 16 \(an int\)\. Pass a tuple, even for one layer: hidden=\(16,\)", "hidden"),
    C("iris_model", "a layer of 0 units", lambda: challenges.iris_model((16, 0)), ValueError, r"argument hidden\[1\]: expected a whole number in \[1, 10000\], got 0", "hidden[1]"),
    C("iris_model", "a layer of 10**9 units", lambda: challenges.iris_model((10**9,)), ValueError, r"got 1000000000 \(an int\)", "hidden[0]"),
    C("iris_model", "units as text", lambda: challenges.iris_model(["16"]), TypeError, r"got '16' \(a str\)", "hidden[0]"),
    C("iris_model", "dropout 1", lambda: challenges.iris_model(dropout=1.0), ValueError, r"a number in \[0, 1\), got 1\.0 \(a float\)", "dropout"),
    C("iris_model", "learning_rate 0", lambda: challenges.iris_model(learning_rate=0), ValueError, r"a number > 0, got 0 \(an int\)", "learning_rate"),
    C("regression_model", "learning_rate as text", lambda: challenges.regression_model(learning_rate="0.1"), TypeError, r"got '0\.1' \(a str\)\. Pass learning_rate=0\.1 \(a number, not text\)", "learning_rate"),
    C("regression_model", "hidden a float", lambda: challenges.regression_model((5.5, 5)), TypeError, r"got 5\.5 \(a float\)", "hidden[0]"),
    C("seed_cnn", "three filters", lambda: challenges.seed_cnn(filters=(4, 16, 32)), ValueError, r"expected 2 whole numbers in \[1, 1024\].*got a tuple of 3 items\. Pass a tuple of sizes, e.g\. filters=\(4, 16\)", "filters"),
    C("seed_cnn", "dense 100.0", lambda: challenges.seed_cnn(dense=100.0), TypeError, r"got 100\.0 \(a float\)\. Pass dense=100\.", "dense"),
    C("seed_cnn", "dropout negative", lambda: challenges.seed_cnn(dropout=-0.1), ValueError, r"got -0\.1", "dropout"),
    C("solution_cnn", "filters one int", lambda: solution_cnn(filters=32), TypeError, r"2 whole numbers.*got 32 \(an int\)", "filters"),
    C("solution_cnn", "dense None", lambda: solution_cnn(dense=None), TypeError, r"got None", "dense"),
    C("one_cycle", "steps 0", lambda: one_cycle(0, 8e-3), ValueError, r"whole number >= 1, got 0 \(an int\)", "steps"),
    C("one_cycle", "peak as text", lambda: one_cycle(430, "8e-3"), TypeError, r"Pass peak_learning_rate=0\.008 \(a number, not text\)", "peak_learning_rate"),
    # --- compile_seed
    C("compile_seed", "the builder, not its model", lambda: challenges.compile_seed(challenges.seed_cnn), TypeError, r"expected a keras\.Model, got the function seed_cnn\. Pass the network, e\.g\. compile_seed\(seed_cnn\(\)\)", "model"),
    C("compile_seed", "optimizer in capitals", lambda: challenges.compile_seed(Net(), "Adam"), ValueError, r"one of 'adagrad', 'adam', got 'Adam' \(a str\)\. Pass optimizer='adam' \(lower case\)", "optimizer"),
    C("compile_seed", "an optimizer object", lambda: challenges.compile_seed(Net(), Adam()), TypeError, r"got an Adam\. Pass optimizer='adagrad'", "optimizer"),
    C("compile_seed", "steps_per_execution 0", lambda: challenges.compile_seed(Net(), steps_per_execution=0), ValueError, r"whole number >= 1, got 0", "steps_per_execution"),
    # --- run_* and solve_*: seeds, epochs, callbacks, verbose, settings
    C("run_iris_challenge", "seed None", lambda: challenges.run_iris_challenge(seed=None), TypeError, r"whole number in \[0, 4294967295\], got None", "seed"),
    C("run_iris_challenge", "a callback class", lambda: challenges.run_iris_challenge(callbacks=[EarlyStopping]), TypeError, r"argument callbacks\[0\]: expected a keras\.callbacks\.Callback, got the class EarlyStopping itself", "callbacks[0]"),
    C("run_iris_challenge", "epochs 1e3", lambda: challenges.run_iris_challenge(epochs=1e3), TypeError, r"got 1000\.0 \(a float\)\. Pass epochs=1000\.", "epochs"),
    C("run_seed_cnn", "a setting it lacks", lambda: challenges.run_seed_cnn(lr=0.1), TypeError, r"argument lr: expected one of the settings optimizer, learning_rate, epochs, batch_size, got lr=0\.1", "lr"),
    C("run_seed_cnn", "optimizer sgd", lambda: challenges.run_seed_cnn(optimizer="sgd"), ValueError, r"one of 'adagrad', 'adam', got 'sgd' \(a str\)", "optimizer"),
    C("run_seed_cnn", "batch_size 0", lambda: challenges.run_seed_cnn(batch_size=0), ValueError, r"got 0", "batch_size"),
    C("run_seed_cnn", "verbose True", lambda: challenges.run_seed_cnn(verbose=True), TypeError, r"one of 0, 1, 2, 'auto', got True \(a bool\)", "verbose"),
    C("solve_iris", "epochs 0", lambda: solutions.solve_iris(epochs=0), ValueError, r"whole number >= 1, got 0 \(an int\)", "epochs"),
    C("solve_regression", "seed as text", lambda: solutions.solve_regression(seed="1"), TypeError, r"Pass seed=1 \(a number, not text\)", "seed"),
    C("solve_regression", "callbacks a str", lambda: solutions.solve_regression(callbacks="early"), TypeError, r"a list of keras\.callbacks\.Callback, got 'early' \(a str\)", "callbacks"),
    C("solve_mnist", "n_train 0", lambda: solutions.solve_mnist(n_train=0), ValueError, r"whole number in \[1, 55000\], got 0 \(an int\)\. Pass n_train from 1 to 55000, or n_train=None for all", "n_train"),
    C("solve_mnist", "n_train past the training digits", lambda: solutions.solve_mnist(n_train=60_000), ValueError, r"got 60000", "n_train"),
    C("solve_mnist", "n_train negative", lambda: solutions.solve_mnist(n_train=-5), ValueError, r"got -5", "n_train"),
    C("solve_mnist", "batch_size 256.0", lambda: solutions.solve_mnist(batch_size=256.0), TypeError, r"Pass batch_size=256\.", "batch_size"),
    C("solve_mnist", "steps_per_execution 0", lambda: solutions.solve_mnist(steps_per_execution=0), ValueError, r"got 0", "steps_per_execution"),
    C("solve_mnist", "peak_learning_rate NaN", lambda: solutions.solve_mnist(peak_learning_rate=float("nan")), ValueError, r"a number > 0, got nan", "peak_learning_rate"),
    # --- train_iris / train_regression (the rows the checkers hand over)
    C("train_iris", "one-hot labels", lambda: solutions.train_iris(X4, np.eye(3)[Y3]), ValueError, r"class labels 0, 1, 2 of shape \(n,\), got an array of shape \(30, 3\)\. Pass integer labels, one per flower; from one-hot rows, y\.argmax\(axis=1\)", "y"),
    C("train_iris", "a label 3", lambda: solutions.train_iris(X4, np.r_[Y3[:-1], 3]), ValueError, r"whole-number labels 0 to 2, got a label 3 at index 29", "y"),
    C("train_iris", "2 columns", lambda: solutions.train_iris(X4[:, :2], Y3), ValueError, r"shape \(n, 4\), got an array of shape \(30, 2\)", "X"),
    C("train_iris", "2 rows", lambda: solutions.train_iris(X4[:2], Y3[:2]), ValueError, r"with at least 3 rows, got 2 rows", "X"),
    C("train_iris", "text measurements", lambda: solutions.train_iris(X4.astype(str), Y3), TypeError, r"got an array of text", "X"),
    C("train_regression", "mismatched lengths", lambda: solutions.train_regression(X2, Y2[:-1]), ValueError, r"arguments X, y: expected the same number of rows.*got 20 in X and 19 in y", "X, y"),
    C("train_regression", "y of two columns", lambda: solutions.train_regression(X2, np.c_[Y2, Y2]), ValueError, r"one target per row, shape \(n,\) or \(n, 1\), got an array of shape \(20, 2\)", "y"),
    C("train_regression", "NaN in X", lambda: solutions.train_regression(np.r_[X2[:-1], [[np.nan, 0]]], Y2), ValueError, r"finite numbers, got nan at index \(19, 0\)", "X"),
    C("train_regression", "too large for float32", lambda: solutions.train_regression(np.full((20, 2), 1e39), Y2), ValueError, r"fit in float32 \(magnitude below 3\.4e38\), got 1e\+39 at index \(0, 0\)", "X"),
    C("train_regression", "seed -1", lambda: solutions.train_regression(X2, Y2, seed=-1), ValueError, r"got -1 \(an int\)", "seed"),
    # --- the tutorials table
    C("get", "a name in capitals", lambda: tutorials.get("Iris"), ValueError, r"expected a tutorial name, one of 'regression', 'iris', 'mnist', got 'Iris' \(a str\)\. Pass name='iris'", "name"),
    C("get", "a list", lambda: tutorials.get(["iris"]), TypeError, r"got a list of 1 item", "name"),
    C("load", "a module outside the course", lambda: tutorials.load("os:path"), ValueError, r"'module:attribute' naming a function of dnncourse, got 'os:path' \(a str\)", "spec"),
    C("load", "no such module", lambda: tutorials.load("dnncourse.nonesuch:x"), ValueError, r"got 'dnncourse\.nonesuch:x' \(a str\): no module dnncourse\.nonesuch", "spec"),
    C("load", "no such attribute", lambda: tutorials.load("dnncourse.checks:nonesuch"), ValueError, r"dnncourse\.checks has no nonesuch", "spec"),
    C("load", "not a str", lambda: tutorials.load(None), TypeError, r"got None", "spec"),
    C("Tutorial.meets", "an accuracy in per cent", lambda: tutorials.get("iris").meets(93), ValueError, r"a number in \[0, 1\], got 93 \(an int\)\. Pass the test accuracy as a fraction", "value"),
    C("Tutorial.meets", "a metric as text", lambda: tutorials.get("regression").meets("0.05"), TypeError, r"Pass value=0\.05 \(a number, not text\)", "value"),
    C("Tutorial.meets", "a negative MSE", lambda: tutorials.get("regression").meets(-0.5), ValueError, r"a number >= 0, got -0\.5", "value"),
]  # fmt: skip


def test_distinct_cases_cover_every_function():
    assert len({case_id(c) for c in CASES}) == len(CASES) >= 50
    public = {
        name
        for package in (challenges, solutions)
        for name in package.__all__
        if inspect.isfunction(getattr(package, name))
    }
    assert {c.function for c in CASES} == public | {
        "solution_cnn", "one_cycle", "get", "load", "Tutorial.meets"
    }  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_bad_argument_gives_one_clear_error_before_any_work(case, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # a stray write would land here

    def loaded(*args, **kwargs):
        pytest.fail("data read before the arguments were checked")

    for module, name in ((dnncourse.data, "load_iris"), (dnncourse.data, "load_regression"),
                         (mnist_data, "load_prepared"), (mnist_data, "load_mnist")):  # fmt: skip
        monkeypatch.setattr(module, name, loaded)
    monkeypatch.setitem(sys.modules, "keras", None)  # a slip past the door cannot build a model
    refuses_at_the_door(case, tmp_path, capsys)


# --- the right answer where there is one ----------------------------------------------


@pytest.mark.parametrize("train", [solutions.train_iris, solutions.train_regression])
def test_the_solution_the_page_shows_is_the_teaching_code(train):
    """The pages ``literalinclude`` it: the door is a wrapper around it, not inside it."""
    source = inspect.getsource(train)
    assert source.startswith(f"def {train.__name__}(X, y, seed=None, epochs=300, callbacks=(),")
    assert "Arguments" not in source and "door" not in source
    assert str(inspect.signature(train)) == (
        "(X, y, seed=None, epochs=300, callbacks=(), verbose=0)"
    )
    assert "Raises\n    ------\n    TypeError, ValueError" in train.__doc__


def test_the_table_still_answers():
    iris, regression = tutorials.get("iris"), tutorials.get("regression")
    assert tutorials.load(iris.check).__name__ == "check_iris"
    assert iris.meets(29 / 30) and not iris.meets(0.9) and iris.meets(np.float32(1.0))
    assert regression.meets(0.05) and not regression.meets(np.float64(0.2))
    # a diverged model's loss meets no target, without an error
    assert not regression.meets(float("nan")) and not regression.meets(float("inf"))
    assert not iris.meets(float("nan"))


def test_valid_arguments_build_the_same_networks():
    """Array-likes and NumPy numbers are still taken, and nothing they compute changed."""
    assert challenges.seed_cnn().count_params() == 28_434
    assert solution_cnn().count_params() == 108_954
    wide = challenges.seed_cnn(filters=np.array([4, 32]), dense=np.int64(500))
    assert wide.count_params() == challenges.seed_cnn(filters=(4, 32), dense=500).count_params()
    iris = challenges.iris_model(hidden=range(8, 10), learning_rate=np.float32(0.01), dropout=0.5)
    assert [layer.units for layer in iris.layers if hasattr(layer, "units")] == [8, 9, 3]
    assert challenges.regression_model(hidden=()).count_params() == 3  # no hidden layer: linear
    model = challenges.compile_seed(challenges.seed_cnn(), "adam", 1e-3, steps_per_execution=1)
    assert type(model.optimizer).__name__ == "Adam"
    assert float(one_cycle(np.int64(10), 1.0)(0)) == pytest.approx(0.1)


@pytest.mark.slow
def test_one_callback_alone_is_a_list_of_one():
    import keras

    seen = []
    record = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(epoch))
    _, history = solutions.train_regression(X2, Y2, seed=0, epochs=2, callbacks=record)
    assert seen == [0, 1] and len(history.history["loss"]) == 2


def table():
    return error_table(CASES)


if __name__ == "__main__":
    print(table())
