"""Property-based tests of the file readers (Hypothesis): generated files, and mutations of them.

- A valid generated CSV reads back exactly the numbers written.
- Any mutation of a valid file (a byte flipped, inserted or deleted, the file cut
  short, another encoding, an extra column) either still reads, or raises the
  documented error (``ValueError`` or ``FileNotFoundError``) naming the file; it
  never raises anything else and never changes the file.
- The npz reader on corrupted archives: the same promise.

Kept fast (a few seconds in all) for the ``-m "not slow"`` loop. The failing examples
Hypothesis found are pinned as explicit cases (``@example`` and the tests at the end).
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dnncourse import data
from dnncourse.data import _files
from dnncourse.data._csv import parse_csv
from dnncourse.data.mnist import read_npz

# No example database: a run leaves no .hypothesis/ folder behind; the failing
# examples worth keeping are pinned below instead.
FAST = settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
HEADER = ("x1", "x2", "y")
VALID = (REPO / "data" / "regression_test.csv").read_bytes()[:400].rsplit(b"\n", 1)[0] + b"\n"

names = st.from_regex(r"[a-z][a-z0-9_]{0,7}", fullmatch=True)
finite = st.floats(allow_nan=False, allow_infinity=False)


@contextmanager
def file_holding(raw, name="regression_train.csv"):
    """A fresh temporary file with bytes ``raw``; asserts on exit that it is unchanged."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(raw)
        digest, mtime = hashlib.sha256(raw).hexdigest(), path.stat().st_mtime_ns
        yield path
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, "the file changed"
        assert path.stat().st_mtime_ns == mtime, "the file was written"
        assert os.listdir(folder) == [name], "a file appeared"


def reads_or_refuses(read, path):
    """Either ``read()`` returns, or it raises the documented error naming ``path``."""
    try:
        return read()
    except (ValueError, FileNotFoundError) as err:
        message = str(err)
    assert str(path) in message, f"the message must name the file: {message}"
    return None


# --- valid files round-trip -----------------------------------------------------------


@st.composite
def csv_files(draw):
    header = draw(st.lists(names, min_size=1, max_size=5, unique=True))
    rows = draw(
        st.lists(
            st.lists(finite, min_size=len(header), max_size=len(header)), min_size=1, max_size=8
        )
    )
    fmt = draw(st.sampled_from([repr, str, lambda v: f"{v:.17g}", lambda v: f"{v:.17e}"]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    pad = draw(st.sampled_from(["", " "]))
    lines = [",".join(header)] + [",".join(pad + fmt(v) + pad for v in row) for row in rows]
    text = newline.join(lines) + draw(st.sampled_from(["", newline, newline * 2]))
    bom = draw(st.sampled_from([b"", b"\xef\xbb\xbf"]))
    return header, np.array(rows, dtype=np.float64), bom + text.encode("utf-8")


@FAST
@given(csv_files())
def test_valid_csv_round_trips_exactly(case):
    header, table, raw = case
    with file_holding(raw) as path:
        got = data.read_csv(path, header)
    assert got.shape == table.shape
    assert np.array_equal(got, table)


# --- mutations of a valid file ----------------------------------------------------------


def flip(raw, i, bit):
    i %= len(raw)
    return raw[:i] + bytes([raw[i] ^ (1 << bit)]) + raw[i + 1 :]


def extra_column(raw, line, value):
    lines = raw.split(b"\n")
    lines[line % len(lines)] += b"," + value.encode()
    return b"\n".join(lines)


mutations = st.one_of(
    st.tuples(st.integers(0, 10**6), st.integers(0, 7)).map(lambda a: ("flip", a)),
    st.integers(0, len(VALID)).map(lambda n: ("truncate", n)),
    st.tuples(st.integers(0, len(VALID)), st.binary(min_size=1, max_size=4)).map(
        lambda a: ("insert", a)
    ),
    st.integers(0, len(VALID) - 1).map(lambda n: ("delete", n)),
    st.sampled_from(["utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1", "utf-8-sig"]).map(
        lambda e: ("encode", e)
    ),
    st.tuples(st.integers(0, 20), st.sampled_from(["0.5", "", "z", "1e3"])).map(
        lambda a: ("column", a)
    ),
)


def mutate(raw, mutation):
    kind, arg = mutation
    if kind == "flip":
        return flip(raw, *arg)
    if kind == "truncate":
        return raw[:arg]
    if kind == "insert":
        return raw[: arg[0]] + arg[1] + raw[arg[0] :]
    if kind == "delete":
        return raw[:arg] + raw[arg + 1 :]
    if kind == "encode":
        return raw.decode("utf-8").encode(arg)
    return extra_column(raw, *arg)


@FAST
@given(mutations)
@example(("insert", (20, b"_")))  # "0_5": float() reads it as 5.0, the reader refuses it
@example(("insert", (0, b"\x00")))  # a NUL byte: csv.Error before, now "expected UTF-8"
@example(("flip", (8, 7)))  # a byte >= 0x80: UnicodeDecodeError before, now named
@example(("encode", "utf-16"))  # UnicodeDecodeError with no file name before
@example(("truncate", 0))  # an empty file
def test_mutated_csv_reads_or_refuses_and_never_changes(mutation):
    raw = mutate(VALID, mutation)
    with file_holding(raw) as path:
        table = reads_or_refuses(lambda: data.read_csv(path, HEADER), path)
    if table is not None:
        assert table.ndim == 2 and table.shape[1] == 3 and np.isfinite(table).all()
    if mutation[0] == "encode" and mutation[1] == "utf-8-sig":
        assert np.array_equal(table, parse_csv(VALID, Path("x"), HEADER))  # Excel's BOM is fine


@settings(FAST, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutation=mutations, target=st.sampled_from(["regression_train.csv", "regression_test.csv"]))
def test_loader_on_a_mutated_substitute_reads_or_refuses(data_dir, mutation, target):
    # One folder for all examples (function-scoped fixture): restore it for each example.
    for name in _files.DATASETS["regression"]:
        (data_dir / name).write_bytes(VALID)
    (data_dir / target).write_bytes(mutate(VALID, mutation))
    before = {p.name: p.read_bytes() for p in data_dir.iterdir()}
    out = reads_or_refuses(data.load_regression, data_dir / target)
    if out is not None:
        (X_train, _), _ = out
        assert X_train.shape[1] == 2 and ((X_train >= 0) & (X_train <= 1)).all()
    assert {p.name: p.read_bytes() for p in data_dir.iterdir()} == before


@settings(FAST, max_examples=40)
@given(st.binary(max_size=200))
def test_any_bytes_read_or_refused(raw):
    with file_holding(raw) as path:
        reads_or_refuses(lambda: data.read_csv(path, HEADER), path)


# --- corrupted npz archives -------------------------------------------------------------


def small_npz(compressed):
    buffer = io.BytesIO()
    save = np.savez_compressed if compressed else np.savez
    save(buffer, x_train=np.arange(60, dtype=np.uint8).reshape(3, 4, 5), y_train=np.arange(3))
    return buffer.getvalue()


NPZ = {False: small_npz(False), True: small_npz(True)}


@FAST
@given(
    compressed=st.booleans(),
    mutation=st.one_of(
        st.tuples(st.integers(0, 10**6), st.integers(0, 7)).map(lambda a: ("flip", a)),
        st.integers(0, 2000).map(lambda n: ("truncate", n)),
        st.tuples(st.integers(0, 2000), st.binary(min_size=1, max_size=8)).map(
            lambda a: ("insert", a)
        ),
        st.integers(0, 2000).map(lambda n: ("delete", n)),
    ),
)
@example(compressed=False, mutation=("truncate", 0))  # EOFError before
@example(compressed=False, mutation=("truncate", 300))  # BadZipFile before
@example(compressed=True, mutation=("flip", (120, 0)))  # zlib.error inside a member
def test_corrupted_npz_reads_or_refuses_and_never_changes(compressed, mutation):
    raw = NPZ[compressed]
    kind, arg = mutation
    if kind == "delete":
        arg %= len(raw)
    raw = mutate(raw, (kind, arg))
    with file_holding(raw, "mnist.npz") as path:
        arrays = reads_or_refuses(lambda: read_npz(path, "Replace it."), path)
    if arrays is not None:
        assert all(isinstance(a, np.ndarray) for a in arrays.values())


@settings(FAST, max_examples=40)
@given(st.binary(max_size=300))
def test_npz_reader_on_any_bytes(raw):
    with file_holding(raw, "mnist.npz") as path:
        reads_or_refuses(lambda: read_npz(path, "Replace it."), path)


# --- failing examples found by Hypothesis, pinned --------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"x1,x2,y\n\xef\xbb\xbf0.1,0.2,0.3\n", r"line 2, column 'x1': expected a plain decimal"),
        (b"x1,x2,y\n0.1,0.2,0.3\r", None),  # a lone carriage return ends a line: fine
        (b"x1,x2,y\n0.1,0.2,0.3\x0c\n", r"column 'y': expected a plain decimal"),
        (b"x1,x2,y\n0.1,0.2,+.3e-0\n", None),
        (b"x1,x2,y\n0.1,0.2,3.\n", None),
        (b"x1,x2,y\n\xd9\xa1,0.2,0.3\n", r"column 'x1': expected a plain decimal"),  # Arabic 1
    ],
)
def test_pinned_examples(raw, message):
    with file_holding(raw) as path:
        if message is None:
            assert data.read_csv(path, HEADER).shape == (1, 3)
        else:
            with pytest.raises(ValueError, match=message) as err:
                data.read_csv(path, HEADER)
            assert str(path) in str(err.value)
