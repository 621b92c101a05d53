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
:mod:`dnncourse.data.mnist`).

A data set comes from one place: ``$DNNCOURSE_DATA_DIR`` when that folder holds
all of its files, otherwise the course's own copy (for MNIST: Keras' download);
a folder holding only some of them is an error. :func:`sources` reports where
each data set comes from.  Every problem with a file raises one
``FileNotFoundError`` or ``ValueError`` that names the file, what is wrong and
how to fix it; no loader ever writes a file.
"""

from ._csv import read_csv
from ._files import Source
from ._sources import sources
from .iris import load_iris
from .mnist import load_mnist
from .regression import load_regression

__all__ = ["Source", "load_iris", "load_mnist", "load_regression", "read_csv", "sources"]
