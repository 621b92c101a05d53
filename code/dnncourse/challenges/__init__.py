"""The tutorials' challenges: the workshop's faulty settings, one module per tutorial.

Each module holds the challenge's settings (a plain dict the page quotes), a
builder that the maintainer's benchmark also uses with the workshop's solution
settings (``tools/workshop.py``), and a ``run_*`` function that the page and the
tests both call.  Keras is imported inside the functions.
"""

from .iris import IRIS_CHALLENGE, iris_model, run_iris_challenge
from .mnist import SEED_CNN, SEED_SETTINGS, compile_seed, run_seed_cnn, seed_cnn
from .regression import REGRESSION_CHALLENGE, regression_model

__all__ = [
    "IRIS_CHALLENGE",
    "REGRESSION_CHALLENGE",
    "SEED_CNN",
    "SEED_SETTINGS",
    "compile_seed",
    "iris_model",
    "regression_model",
    "run_iris_challenge",
    "run_seed_cnn",
    "seed_cnn",
]
