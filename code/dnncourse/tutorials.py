"""The course's tutorials, in one table: every list of tutorials elsewhere is derived from it.

Adding a tutorial is one row here, plus its page ``book/NAME.md``, its data loader,
checker and solution modules named in the row (``CONTRIBUTING.md`` says where each
goes).  The checkers, the final-test dispatch, the data registry, the student
editions, the notebook runner, the benchmark and the tests all read this table.

Functions are named as ``"module:attribute"`` strings and imported by
:func:`load` on first use, so that ``import dnncourse.tutorials`` stays light.
"""

from __future__ import annotations

import importlib
import math
import numbers
import re
from dataclasses import dataclass

from ._args import Arguments, describe


@dataclass(frozen=True)
class Tutorial:
    """One tutorial of the course.

    Attributes
    ----------
    name : str
        Page stem (``book/NAME.md``), student edition ``book/exercises/NAME.ipynb``.
    title : str
        As the table of contents names it.
    metric : str
        The exercise's final metric, e.g. ``"test MSE"``.
    target : float
        The final target on that metric.
    higher_is_better : bool
    data_files : tuple of str
        The files the data set is read from in a data folder (``DNNCOURSE_DATA_DIR``).
    loader : str
        ``"module:attribute"`` of the data loader.
    check : str
        The same, of the iterate checker (validation or cross-validation).
    final_check : str
        The same, of the final checker (the test set, once).
    solution : str
        The same, of the solution's training function.
    challenge : str
        The same, of the function that trains the workshop's challenge.
    """

    name: str
    title: str
    metric: str
    target: float
    higher_is_better: bool
    data_files: tuple
    loader: str
    check: str
    final_check: str
    solution: str
    challenge: str

    @property
    def page(self):
        """The page's path in the repository, ``book/NAME.md``."""
        return f"book/{self.name}.md"

    @property
    def student_edition(self):
        """The student edition's path in the repository."""
        return f"book/exercises/{self.name}.ipynb"

    def meets(self, value):
        """Whether ``value`` of :attr:`metric` meets :attr:`target`.

        A diverged model's NaN (or an infinite loss) meets no target: False.

        Raises
        ------
        TypeError, ValueError
            When ``value`` is no number, is negative, or is an accuracy above 1
            (a per cent figure).
        """
        accuracy = "accuracy" in self.metric
        real = isinstance(value, numbers.Real) and not isinstance(value, bool)
        if real and (math.isnan(value) or (value == math.inf and not accuracy)):
            return False
        per_cent = accuracy and real and 1 < value < math.inf
        fix = f"Pass the {self.metric} as a fraction, e.g. 0.95 for 95 %." if per_cent else None
        value = Arguments("Tutorial.meets").real(
            "value",
            value,
            low=0,
            high=1 if accuracy else None,
            example=0.95 if accuracy else 0.08,
            fix=fix,
        )
        return value >= self.target if self.higher_is_better else value <= self.target


#: Every tutorial, by name, in course order.
TUTORIALS = {
    t.name: t
    for t in (
        Tutorial(
            name="regression",
            title="Tutorial: regression with a dense network",
            metric="test MSE",
            target=0.10,
            higher_is_better=False,
            data_files=("regression_train.csv", "regression_test.csv"),
            loader="dnncourse.data:load_regression",
            check="dnncourse.checks.regression:check_regression",
            final_check="dnncourse.checks.regression:final_check_regression",
            solution="dnncourse.solutions.regression:solve_regression",
            challenge="dnncourse.challenges.regression:regression_model",  # the page trains it
        ),
        Tutorial(
            name="iris",
            title="Tutorial: classifying iris flowers",
            metric="test accuracy",
            target=28 / 30,  # at most 2 of the 30 test flowers wrong (dnncourse.checks.iris)
            higher_is_better=True,
            data_files=("iris_train.csv", "iris_test.csv"),
            loader="dnncourse.data:load_iris",
            check="dnncourse.checks.iris:check_iris",
            final_check="dnncourse.checks.iris:final_check_iris",
            solution="dnncourse.solutions.iris:solve_iris",
            challenge="dnncourse.challenges.iris:run_iris_challenge",
        ),
        Tutorial(
            name="mnist",
            title="Tutorial: a convolutional network for MNIST",
            metric="test accuracy",
            target=0.99,
            higher_is_better=True,
            data_files=("mnist.npz",),
            loader="dnncourse.data:load_mnist",
            check="dnncourse.checks.mnist:check_mnist",
            final_check="dnncourse.checks.mnist:final_check_mnist",
            solution="dnncourse.solutions.mnist:solve_mnist",
            challenge="dnncourse.challenges.mnist:run_seed_cnn",
        ),
    )
}
#: Tutorial names in course order.
NAMES = tuple(TUTORIALS)


def get(name):
    """The :class:`Tutorial` called ``name``, with a clear error for any other value.

    Raises
    ------
    TypeError, ValueError
        When ``name`` is not a str, or not one of :data:`NAMES`.
    """
    door = Arguments("get")
    expected = "a tutorial name, one of " + ", ".join(repr(n) for n in NAMES)
    if not isinstance(name, str) or name not in TUTORIALS:
        near = name.strip().lower() if isinstance(name, str) else None
        fix = f"Pass name={near!r}." if near in TUTORIALS else f"Pass name={NAMES[0]!r}."
        door.fail("name", expected, describe(name), fix,
                  ValueError if isinstance(name, str) else TypeError)  # fmt: skip
    return TUTORIALS[name]


# What load() takes: a module of the course package and one of its attributes.
_SPEC = re.compile(r"dnncourse(\.\w+)*:\w+")


def load(spec):
    """Import ``"module:attribute"`` (a module of ``dnncourse``) and return the attribute.

    Raises
    ------
    TypeError, ValueError
        When ``spec`` is not a str of that form, its module is not in the package
        or lacks the attribute.
    """
    door = Arguments("load")
    expected = "'module:attribute' naming a function of dnncourse"
    fix = f"Pass a spec as the table writes them, e.g. {TUTORIALS[NAMES[0]].check!r}."
    if not isinstance(spec, str):
        door.fail("spec", expected, describe(spec), fix, TypeError)
    if not _SPEC.fullmatch(spec):
        door.fail("spec", expected, describe(spec), fix)
    module, _, attribute = spec.partition(":")
    try:
        found = importlib.import_module(module)
    except ModuleNotFoundError as err:
        if err.name is None or not module.startswith(err.name):
            raise  # a module of the package that fails to import: not the spec's fault
        door.fail("spec", expected, f"{describe(spec)}: no module {err.name}", fix)
    if not hasattr(found, attribute):
        door.fail("spec", expected, f"{describe(spec)}: {module} has no {attribute}", fix)
    return getattr(found, attribute)
