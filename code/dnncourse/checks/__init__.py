"""Self-checks for the exercises: iterate on validation, score the test set once.

While you work, ``check_*`` judges what you will hand in without touching the test
set: run it as often as you like.  ``check_regression`` and ``check_iris`` take your
training *procedure*, a function ``build_and_train(X, y) -> (model, history)``, and
cross-validate it on the training file (5 trainings, each scored on the rows it did
not see); ``check_mnist(model, history)`` scores your trained model on the 5,000
validation images held out of its training.  Each
returns a short report when the target is met and raises ``AssertionError`` with
*expected*, *got* and a *hint* when it is not, so that a notebook cell stops with
the message in plain words.  When you are done, ``final_check_*`` (or
``final_test(model, task)``) scores the test set once and says that this is the
final number to report; it never raises on a missed target.

    from dnncourse.checks import check_regression, final_check_regression
    check_regression(build_and_train)        # cross-validated MSE; as often as you like
    model, history = build_and_train(X_train, y_train)  # once, on the whole training file
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
