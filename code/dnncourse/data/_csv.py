"""The strict CSV reader behind the course's CSV loaders.

Strict on purpose: a network trained on silently misread numbers is worse than an
error. Every problem is one ``ValueError`` naming the file (and line and column),
what was expected, and the fix for whoever likely caused it: for the course's own
files "restore it", for your own files the edit that repairs them.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from pathlib import Path

import numpy as np

from .._args import Arguments, number
from ._files import locate, read_bytes, restore_fix, verify

# Plain decimal numbers in ASCII: no digit separators (Python's float() reads "0_5"
# as 5.0), no non-ASCII digits, no hexadecimal, no words.
NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
NOT_FINITE = {"nan", "inf", "infinity"}
SAVE_AS_UTF8 = "Save it as UTF-8 text (Excel: 'CSV UTF-8'; Python: encoding='utf-8')."


def read_csv(path, header):
    """Read a numeric CSV file with a known header line.

    Parameters
    ----------
    path : path-like
    header : list or tuple of str
        The expected column names; every row must have ``len(header)`` cells.
        (Not one string: ``"x1,x2,y"`` is refused with the list to pass instead.)

    Returns
    -------
    ndarray, shape (n_rows, len(header)), float64

    Raises
    ------
    FileNotFoundError
        When the file is missing, a folder, a broken link or unreadable.
    ValueError
        Naming the file (and line): not UTF-8, no or another header line, wrong
        column count, a cell that is not a plain number, NaN or infinity, or no
        data rows.
    TypeError, ValueError
        Naming the argument: ``path`` not a path, ``header`` not a list of
        distinct column names (plain text without commas, quotes or line breaks).
    """
    door = Arguments("read_csv")
    path = Path(door.path("path", path))
    header = door.names("header", header, example=("x1", "x2", "y"))
    for i, name in enumerate(header):
        if name != name.strip() or any(c in name for c in ',"\r\n'):
            door.fail(f"header[{i}]", "a column name without commas, quotes, line breaks or "
                      "surrounding spaces", repr(name), "Pass the names as the file's header "
                      "line spells them, e.g. header=['x1', 'x2', 'y'].")  # fmt: skip
    raw = read_bytes(path, "Check the file's name and folder.")
    return parse_csv(raw, path, header)


def parse_csv(raw, path, header, shipped=False, with_lines=False):
    """Parse the bytes ``raw`` of the CSV file ``path``; see :func:`read_csv`.

    ``shipped`` says the file is one the course ships, whose only fix is to restore it.
    ``with_lines`` returns ``(table, line_numbers)``: the file's line of each row.
    """
    header = list(header)
    names = ",".join(header)

    def fail(where, problem, fix):
        # from None: one traceback, also when called while handling a decoding error
        fix = restore_fix(path.name) if shipped else fix
        raise ValueError(f"{path}{where}: {problem}. {fix}") from None

    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        fail(
            "",
            "expected UTF-8 text, got UTF-32 (it starts with a UTF-32 byte-order mark)",
            SAVE_AS_UTF8,
        )
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        fail(
            "",
            "expected UTF-8 text, got UTF-16 (it starts with a UTF-16 byte-order mark)",
            SAVE_AS_UTF8,
        )
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        fail(
            f", line {line}",
            "expected UTF-8 text, got a NUL byte (UTF-16 text without a "
            "byte-order mark, or not a text file at all)",
            SAVE_AS_UTF8,
        )
    try:
        text = raw.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte-order mark
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        fail(
            f", line {line}",
            f"expected UTF-8 text, got byte 0x{raw[err.start]:02x}, which "
            "is not UTF-8 (Latin-1 or Windows-1252 text?)",
            SAVE_AS_UTF8,
        )
    if not text.strip():
        fail(
            "",
            f"the file is empty; expected the header line {names} and then data rows",
            f"Write your data into it, with the header line {names} first.",
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1  # the line a record starts on: a quote can make one span several lines
    try:
        first = [c.strip() for c in next(reader)]
        if first != header:
            _bad_header(first, header, fail)
        values, lines = [], []
        start = reader.line_num + 1
        for row in reader:
            if row:  # a blank line is harmless
                _stray_quote(row, start, reader.line_num, header, fail)
                values.append(_parse_row(row, start, header, fail))
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as err:
        fail(f", line {start}", f"cannot be read as CSV ({err})", "Fix that line.")
    if not values:
        fail(
            "",
            "expected data rows after the header line, got none",
            "Add your data below the header line.",
        )
    table = np.asarray(values, dtype=np.float64)
    return (table, np.asarray(lines)) if with_lines else table


def _bad_header(first, header, fail):
    names = ",".join(header)
    got = ",".join(first)
    if all(NUMBER.fullmatch(c) for c in first):
        fail(
            ", line 1",
            f"expected the header line {names}, got numbers ({got[:60]!r}): the "
            "file has no header line",
            f"Add the header line {names} as the first line.",
        )
    for sep in (";", "\t", "|"):
        if len(first) == 1 and first[0].count(sep) == len(header) - 1:
            fail(
                ", line 1",
                f"expected columns separated by ',', got {sep!r} ({got!r})",
                f"Save it with commas between the columns, header line {names}.",
            )
    if sorted(first) == sorted(header):
        fail(
            ", line 1",
            f"expected the columns in the order {names}, got {got!r}",
            f"Reorder the columns to {names}.",
        )
    fail(
        ", line 1",
        f"expected the header line {names}, got {got[:80]!r}",
        f"Make the first line {names}, with your data's columns in that order.",
    )


def _stray_quote(row, start, end, header, fail):
    """Name the line where a quote opened a cell that ran on over line breaks."""
    if end == start:
        return
    column = next((i for i, c in enumerate(row) if "\n" in c or "\r" in c), 0)
    name = header[column] if column < len(header) else f"{column + 1} (beyond the header)"
    fail(
        f", line {start}, column {name!r}",
        f'expected a plain number, got a quote (") that opens a cell running on to line {end}',
        f"Remove the stray quote on line {start}.",
    )


def _parse_row(row, line_no, header, fail):
    where = f", line {line_no}"
    if len(row) != len(header):
        fail(
            where,
            f"expected {len(header)} columns ({','.join(header)}), got {len(row)}",
            "Fix that line.",
        )
    parsed = []
    for column, cell in zip(header, row, strict=True):
        where = f", line {line_no}, column {column!r}"
        text = cell.strip(" \t")
        if not text:
            fail(
                where,
                "expected a number, got an empty cell (missing values are not allowed)",
                "Fill it in, or delete that line.",
            )
        if text.lower().lstrip("+-") in NOT_FINITE:
            fail(
                where,
                f"expected a finite number, got {cell!r} (missing values are not allowed)",
                "Fill it in, or delete that line.",
            )
        if not NUMBER.fullmatch(text):
            problem = f"expected a plain decimal number such as 0.25 or 1e-3, got {cell!r}"
            if "_" in text and NUMBER.fullmatch(text.replace("_", "")):
                problem += " (digit separators such as '_' are not allowed)"
            fail(where, problem, "Fix that line.")
        value = float(text)
        if not math.isfinite(value):
            fail(
                where,
                f"expected a finite number, got {cell!r}, which is too large for a float",
                "Fix that line.",
            )
        parsed.append(value)
    return parsed


def check_range(part, column, name, low, high, meaning, closed=True):
    """Refuse a value of column ``column`` outside ``[low, high]`` (open unless ``closed``).

    ``part`` is one ``(path, table, lines)`` of :func:`load_split`. Only files of your
    own can fail this (the course's pass their checksum), so the fix is to correct
    your data; ``meaning`` says why the range holds.
    """
    path, table, lines = part
    x = table[:, column]
    bad = ~((x >= low) & (x <= high)) if closed else ~((x > low) & (x < high))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        low, high = number(low), number(high)  # exact: never "in [0, 1] ... got 1"
        interval = f"[{low}, {high}]" if closed else f"({low}, {high})"
        raise ValueError(
            f"{path}, line {lines[row]}, column {name!r}: expected a value in {interval} "
            f"({meaning}), got {number(x[row])}. Fix that line."
        )


def load_split(dataset, header):
    """Read the train and test CSVs of ``dataset`` from its one source.

    Returns
    -------
    source : Source
    parts : list of (path, table, lines)
        ``table`` of shape (n, len(header)); ``lines`` (n,) each row's line in the file.
    """
    source = locate(dataset)
    parts = []
    for path in source.paths:
        fix = restore_fix(path.name) if source.shipped else f"Put your {path.name} there."
        raw = read_bytes(path, fix)
        if source.shipped:
            verify(path, raw)
        table, lines = parse_csv(raw, path, header, shipped=source.shipped, with_lines=True)
        parts.append((path, table, lines))
    return source, parts
