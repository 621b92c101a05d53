"""Self-checks for the exercises: iterate on validation, score the test set once.

While you work, ``check_*`` scores validation rows held out from the training data
(the same rows the tutorials hold out of ``fit``): run it as often as you like.  It
returns a short report when the target is met and raises ``AssertionError`` with
*expected*, *got* and a *hint* when it is not, so that a notebook cell stops with
the message in plain words.  When you are done, ``final_check_*`` (or
``final_test(model, task)``) scores the test set once and says that this is the
final number to report; it never raises on a missed target.

    from dnncourse.checks import check_regression, final_check_regression
    check_regression(model, history)         # validation MSE; as often as you like
    final_check_regression(model)            # test MSE, once

A model is a Keras model or any function ``f(X)`` taking a float32 NumPy array.
"""

from .. import tutorials
from .iris import check_iris, final_check_iris
from .mnist import check_mnist, final_check_mnist
from .regression import check_regression, final_check_regression

__all__ = [
    "check_iris",
    "check_mnist",
    "check_regression",
    "final_check_iris",
    "final_check_mnist",
    "final_check_regression",
    "final_test",
]


def final_test(model, task, **kwargs):
    """Score ``model`` on the test set of ``task``, once; see :mod:`dnncourse.checks.final`.

    Parameters
    ----------
    model : keras.Model or callable
        As for the task's checker.
    task : str
        A name from :data:`dnncourse.tutorials.NAMES`: "regression", "iris" or "mnist".
    **kwargs
        Passed on: ``preprocess=`` (regression, iris), ``target=`` (mnist).

    Returns
    -------
    Verdict

    Raises
    ------
    TypeError, ValueError
        When ``task`` is not one of the names, a keyword is not one of the task's
        final check, or (from that check) ``model`` is no trained model.
    """
    from ._door import check_keywords, check_task

    final_check = tutorials.load(tutorials.TUTORIALS[check_task(task, tutorials)].final_check)
    fix = f"Leave {{key}}= out for the {task} exercise."
    return final_check(model, **check_keywords("final_test", final_check, kwargs, fix))
