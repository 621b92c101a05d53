"""Write the course's CSV files: the regression surface and the iris split.

Run ``python tools/make_data.py [OUT_DIR]`` (default: the repository's ``data/``
folder) to regenerate them; a test proves that regeneration gives the same bytes
as the committed files.  The iris split needs scikit-learn, which ships a copy of
Fisher's data and is used only here.  A maintainer tool: not in the wheel.
"""

from __future__ import annotations

import sys
from pathlib import Path

from dnncourse.data.iris import IRIS_FEATURES, IRIS_SEED, split_iris
from dnncourse.data.regression import HEADER, NOISE_SIGMA, REGRESSION_SEED, make_regression


def write_csv(path, header, X, y, x_fmt, y_fmt):
    """Write one CSV: the header line, then the rows of ``X`` with ``y`` as the last column."""
    # Fixed formats, so the bytes do not depend on NumPy's float printing.
    rows = [",".join(header)]
    for x_row, y_val in zip(X, y, strict=True):
        rows.append(",".join(format(v, x_fmt) for v in x_row) + "," + format(y_val, y_fmt))
    Path(path).write_text("\n".join(rows) + "\n", encoding="utf-8")


def write_regression_csvs(out_dir, seed=REGRESSION_SEED, sigma=NOISE_SIGMA):
    """Write ``regression_train.csv`` and ``regression_test.csv`` into ``out_dir``.

    The defaults give the shipped files; other ``seed`` or ``sigma`` give fresh draws
    from the same generator (tests/test_resampled.py uses them).
    """
    (X_train, y_train), (X_test, y_test) = make_regression(sigma=sigma, seed=seed)
    write_csv(Path(out_dir) / "regression_train.csv", HEADER, X_train, y_train, ".6f", ".6f")
    write_csv(Path(out_dir) / "regression_test.csv", HEADER, X_test, y_test, ".6f", ".6f")


def write_iris_csvs(out_dir, X=None, y=None, seed=IRIS_SEED):
    """Write ``iris_train.csv`` (120 rows) and ``iris_test.csv`` (30 rows) into ``out_dir``.

    ``X``, ``y``: Fisher's 150 flowers; by default scikit-learn's bundled copy, the
    source of the shipped files (scikit-learn is needed only then). Another ``seed``
    gives another stratified split.
    """
    if X is None:
        from sklearn.datasets import load_iris  # only this script needs scikit-learn

        iris = load_iris()
        X, y = iris.data, iris.target
    (X_train, y_train), (X_test, y_test) = split_iris(X, y, seed=seed)
    header = (*IRIS_FEATURES, "label")
    write_csv(Path(out_dir) / "iris_train.csv", header, X_train, y_train, ".1f", "d")
    write_csv(Path(out_dir) / "iris_test.csv", header, X_test, y_test, ".1f", "d")


def main(argv=None):
    """Regenerate every CSV in ``data/`` (or the folder given as first argument)."""
    argv = sys.argv[1:] if argv is None else argv
    out_dir = Path(argv[0]) if argv else Path(__file__).resolve().parents[1] / "data"
    if not out_dir.is_dir():
        raise SystemExit(f"make_data: output folder {out_dir} does not exist; create it first")
    write_regression_csvs(out_dir)
    write_iris_csvs(out_dir)
    print(f"wrote the course CSVs to {out_dir}")


if __name__ == "__main__":
    main()
