"""The strict CSV reader behind the course's CSV loaders."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np


def read_csv(path, header):
    """Read a numeric CSV file with a known header.

    Parameters
    ----------
    path : path-like
    header : sequence of str
        The expected column names; every row must have ``len(header)`` cells.

    Returns
    -------
    ndarray, shape (n_rows, len(header)), float64

    Raises
    ------
    ValueError
        Naming the file and line: wrong header, wrong column count, a cell that
        is not a number, NaN or infinity, or no data rows.
    """
    path = Path(path)
    fix = "Restore the file from the course repository, or fix that line."
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if not rows or [c.strip() for c in rows[0]] != list(header):
        got = rows[0] if rows else "an empty file"
        raise ValueError(f"{path}: expected header {','.join(header)!r}, got {got!r}. {fix}")
    values = []
    for line_no, row in enumerate(rows[1:], start=2):
        if not row:
            continue  # a trailing blank line is harmless
        if len(row) != len(header):
            raise ValueError(
                f"{path}, line {line_no}: expected {len(header)} columns "
                f"({','.join(header)}), got {len(row)}. {fix}"
            )
        parsed = []
        for column, cell in zip(header, row, strict=True):
            try:
                value = float(cell)
            except ValueError:
                raise ValueError(
                    f"{path}, line {line_no}, column {column!r}: expected a number, "
                    f"got {cell!r}. {fix}"
                ) from None
            if not math.isfinite(value):
                raise ValueError(
                    f"{path}, line {line_no}, column {column!r}: expected a finite "
                    f"number, got {cell!r} (missing values are not allowed). {fix}"
                )
            parsed.append(value)
        values.append(parsed)
    if not values:
        raise ValueError(f"{path}: expected data rows after the header, got none. {fix}")
    return np.asarray(values, dtype=np.float64)


def load_split(stem, header):
    """``[(path, table), (path, table)]`` for the train and test files of ``stem``."""
    from ._files import find_data_file

    paths = [find_data_file(f"{stem}_{part}.csv") for part in ("train", "test")]
    return [(path, read_csv(path, header)) for path in paths]
