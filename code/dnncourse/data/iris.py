"""Fisher's iris data, split 120/30 with every class in proportion.

Its constants live beside its loader: class and feature names, the split's
seed, and the two new flowers the tutorial classifies.  ``tools/make_data.py``
writes the shipped CSVs with :func:`split_iris`.
"""

from __future__ import annotations

import numpy as np

from .._args import Arguments, number
from ._csv import check_range, load_split

#: Seed of the stratified 120/30 split of the shipped files.
IRIS_SEED = 42
#: Species by label: 0 setosa, 1 versicolor, 2 virginica.
IRIS_CLASSES = ("setosa", "versicolor", "virginica")
#: The four measurements, in cm, in the order of the columns.
IRIS_FEATURES = ("sepal_length", "sepal_width", "petal_length", "petal_width")
#: The workshop's two new flowers (sepal length, sepal width, petal length, petal
#: width in cm) and their expected classes: versicolor (1) and virginica (2).
NEW_SAMPLES = np.array([[6.4, 3.2, 4.5, 1.5], [5.8, 3.1, 5.0, 1.7]])
NEW_CLASSES = np.array([1, 2])


def split_iris(X, y, n_test_per_class=10, seed=IRIS_SEED):
    """Stratified train/test split: ``n_test_per_class`` rows of each class go to test.

    Parameters
    ----------
    X : ndarray, shape (n, d)
    y : ndarray, shape (n,), whole-number labels
    n_test_per_class : int
        At least 1, and fewer than the rows of the smallest class, so that every
        class keeps rows for training.
    seed : int

    Returns
    -------
    (X_train, y_train), (X_test, y_test)
        Rows shuffled, so the classes are mixed in both parts.

    Raises
    ------
    TypeError, ValueError
        Naming the argument: X or y not arrays of numbers with the same number of
        rows, labels that are not whole numbers, ``n_test_per_class`` that would
        leave a class without training rows, ``seed`` not a whole number >= 0.
    """
    door = Arguments("split_iris")
    X = door.array("X", X, ndim=2, low_rows=2)
    y = door.array("y", y, ndim=1, what="an array of whole-number labels")
    door.same_length(("X", X), ("y", y))
    if y.dtype.kind == "f" and not np.array_equal(y, np.round(y)):
        bad = y[y != np.round(y)][0]
        door.fail("y", "whole-number labels", f"a label {number(bad)}",
                  "Pass the class labels 0, 1, 2, ...")  # fmt: skip
    smallest = int(np.unique(y, return_counts=True)[1].min())
    n_test_per_class = door.integer("n_test_per_class", n_test_per_class, low=1, example=10)
    if n_test_per_class >= smallest:  # the class would have no training rows
        door.fail("n_test_per_class", f"fewer than the {smallest} rows of the smallest class",
                  f"{n_test_per_class}", f"Pass n_test_per_class={max(smallest // 4, 1)} "
                  "or fewer, or more rows per class.")  # fmt: skip
    seed = door.seed("seed", seed, allow_none=False)
    rng = np.random.default_rng(seed)
    test_idx = np.concatenate(
        [rng.permutation(np.flatnonzero(y == c))[:n_test_per_class] for c in np.unique(y)]
    )
    train_idx = np.setdiff1d(np.arange(len(y)), test_idx)
    train_idx, test_idx = rng.permutation(train_idx), rng.permutation(test_idx)
    return (X[train_idx], y[train_idx]), (X[test_idx], y[test_idx])


def load_iris():
    """Fisher's iris data, split 120/30 with every class in proportion.

    Read from ``$DNNCOURSE_DATA_DIR`` when that folder holds both
    ``iris_train.csv`` and ``iris_test.csv`` (header line
    ``sepal_length,sepal_width,petal_length,petal_width,label``), otherwise the
    course's copy: :func:`dnncourse.data.sources` says which.

    Returns
    -------
    (X_train, y_train), (X_test, y_test)
        ``X_*`` of shape (n, 4): sepal length, sepal width, petal length, petal
        width in cm, each above 0 and below 100; ``y_*`` of shape (n,), int64
        labels 0, 1, 2 for setosa, versicolor, virginica (:data:`~dnncourse.data.iris.IRIS_CLASSES`),
        each present in the training data. n = 120 and 30 for the course's copy.

    Raises
    ------
    FileNotFoundError, ValueError
        Naming the file, the problem and the fix (see :func:`dnncourse.data.read_csv`).
    """
    _, parts = load_split("iris", (*IRIS_FEATURES, "label"))
    out = []
    for part in parts:
        path, table, lines = part
        for column, name in enumerate(IRIS_FEATURES):
            check_range(part, column, name, 0.0, 100.0, "a length in cm", closed=False)
        labels = table[:, 4]
        bad = (labels != np.round(labels)) | (labels < 0) | (labels >= len(IRIS_CLASSES))
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"{path}, line {lines[row]}, column 'label': expected a label "
                f"0, 1 or 2 ({', '.join(IRIS_CLASSES)}), got {number(labels[row])}. Fix that line."
            )
        out.append((table[:, :4], labels.astype(np.int64)))
    (path, _, _), (_, y_train) = parts[0], out[0]
    absent = [c for c in range(len(IRIS_CLASSES)) if not (y_train == c).any()]
    if absent:
        names = ", ".join(f"{c} ({IRIS_CLASSES[c]})" for c in absent)
        raise ValueError(
            f"{path}: expected training rows of every class 0, 1, 2, got none of {names}. "
            "A network cannot learn a class it never sees: add rows of every species."
        )
    return tuple(out)
