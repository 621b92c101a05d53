"""Loaders for the course's three data sets.

Each loader returns NumPy arrays ``(X_train, y_train), (X_test, y_test)``:

================  ===================  ================  ===============  =============
loader            X_train              y_train           X_test           y_test
================  ===================  ================  ===============  =============
load_regression   (100, 2) float64     (100,) float64    (40, 2)          (40,)
load_iris         (120, 4) float64     (120,) int64      (30, 4)          (30,)
load_mnist        (60000, 28, 28) u8   (60000,) uint8    (10000, 28, 28)  (10000,)
================  ===================  ================  ===============  =============

One module per data set holds its loader and its constants
(:mod:`dnncourse.data.regression`, :mod:`dnncourse.data.iris`,
:mod:`dnncourse.data.mnist`).  Every problem with a file raises one ``FileNotFoundError`` or ``ValueError``
that names the file and says how to fix it; no loader ever writes a file.
"""

from ._csv import read_csv
from .iris import load_iris
from .mnist import load_mnist
from .regression import load_regression

__all__ = ["load_iris", "load_mnist", "load_regression", "read_csv"]
