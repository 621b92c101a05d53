"""Self-checks for the exercises: each evaluates a learner's model on the test data.

A check returns a short report when the target is met and raises ``AssertionError``
with *expected*, *got* and a *hint* when it is not, so that a notebook cell stops
with the message in plain words.

    from dnncourse.checks import check_regression
    check_regression(model)                  # or check_regression(model, history)
"""

from .iris import check_iris
from .mnist import check_mnist
from .regression import check_regression

__all__ = ["check_iris", "check_mnist", "check_regression"]
