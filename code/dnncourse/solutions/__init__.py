"""The exercise solutions, defined once: the pages show them and the tests import them.

Each ``solve_*`` function builds, compiles and trains the tutorial's solution model
on the course data and returns ``(model, history)``.  Keras is imported inside the
submodules' functions, so importing this package stays light.
"""

from .iris import solve_iris, train_iris
from .mnist import solve_mnist
from .regression import solve_regression, train_regression

__all__ = ["solve_iris", "solve_mnist", "solve_regression", "train_iris", "train_regression"]
