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
from dataclasses import dataclass


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
        """Whether ``value`` of :attr:`metric` meets :attr:`target`."""
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
    """The :class:`Tutorial` called ``name``, with a clear error for any other value."""
    if name not in TUTORIALS:
        raise ValueError(
            f"expected a tutorial name, one of {', '.join(repr(n) for n in NAMES)}, got {name!r}."
        )
    return TUTORIALS[name]


def load(spec):
    """Import ``"module:attribute"`` and return the attribute."""
    module, _, attribute = spec.partition(":")
    return getattr(importlib.import_module(module), attribute)
