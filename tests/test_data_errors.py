"""Every bad input the loaders can meet: one clear error naming the file and the fix, no file changed.

Each case sets up a folder (mostly the one ``$DNNCOURSE_DATA_DIR`` names) as a careless
user or an instructor substituting data would, calls a loader, and checks the error's
type, its message, that it names the file (or the variable), and that no file changed.
``CASES`` doubles as the table of bad inputs and messages in the issue's report.
"""

from __future__ import annotations

import builtins
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, mnist_arrays, snapshot

from dnncourse import data
from dnncourse.data import _files, mnist

REG = "x1,x2,y\n"
IRIS = "sepal_length,sepal_width,petal_length,petal_width,label\n"
IRIS_ROWS = "5.1,3.5,1.4,0.2,0\n6.4,3.2,4.5,1.5,1\n6.3,3.3,6.0,2.5,2\n"


@dataclass
class Case:
    id: str
    setup: object  # (folder, monkeypatch, tmp_path) -> None
    loader: object
    error: type
    match: str  # regex the message must match
    names: str  # what the message must name: a file or the variable


def shipped_pair(folder, dataset):
    for name in _files.DATASETS[dataset]:
        shutil.copy(REPO / "data" / name, folder)


def write(name, content, dataset=None):
    """A case that substitutes a full data set and then overwrites ``name``."""
    dataset = dataset or name.split("_")[0]

    def setup(folder, monkeypatch, tmp_path):
        shipped_pair(folder, dataset)
        target = folder / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")

    return setup


def reg(name, text, match, error=ValueError):
    return Case(
        name,
        write("regression_train.csv", text),
        data.load_regression,
        error,
        match,
        "regression_train.csv",
    )


def iris(name, text, match, file="iris_train.csv"):
    return Case(name, write(file, text), data.load_iris, ValueError, match, file)


# --- CSV contents -------------------------------------------------------------------

CSV_CASES = [
    reg(
        "headerless file (the workshop's format)",
        "0.1,0.2,0.3\n0.4,0.5,0.6\n",
        r"line 1: .*no header line\. Add the header line x1,x2,y as the first line",
    ),
    reg("other header", "a,b,c\n0.1,0.2,0.3\n", r"expected the header line x1,x2,y, got 'a,b,c'"),
    reg("columns in another order", "x2,x1,y\n0.1,0.2,0.3\n", r"order x1,x2,y.*Reorder"),
    reg("semicolon separator", "x1;x2;y\n0.1;0.2;0.3\n", r"separated by ','.*got ';'"),
    reg("tab separator", "x1\tx2\ty\n0.1\t0.2\t0.3\n", r"separated by ','.*got '\\t'"),
    reg("header only", REG, r"expected data rows after the header line, got none"),
    reg("empty file", "", r"the file is empty.*header line x1,x2,y first"),
    reg("only blank lines", "\n\n  \n", r"the file is empty"),
    reg("too few columns", REG + "0.1,0.2,0.3\n0.1,0.2\n", r"line 3: expected 3 columns.*got 2"),
    reg("extra column", REG + "0.1,0.2,0.3,0.4\n", r"line 2: expected 3 columns.*got 4"),
    reg("trailing comma", REG + "0.1,0.2,0.3,\n", r"line 2: expected 3 columns.*got 4"),
    reg(
        "a word",
        REG + "0.1,zero,0.3\n",
        r"line 2, column 'x2': expected a plain decimal number.*'zero'",
    ),
    reg(
        "digit separator 0_5",
        REG + "0.1,0_5,0.3\n",
        r"line 2, column 'x2'.*'0_5' \(digit separators",
    ),
    reg("empty cell", REG + "0.1,,0.3\n", r"line 2, column 'x2'.*empty cell"),
    reg("nan", REG + "0.1,0.2,nan\n", r"line 2, column 'y': expected a finite number, got 'nan'"),
    reg("inf", REG + "0.1,0.2,inf\n", r"column 'y': expected a finite number, got 'inf'"),
    reg("-Infinity", REG + "0.1,0.2,-Infinity\n", r"expected a finite number, got '-Infinity'"),
    reg("overflow 1e999", REG + "0.1,0.2,1e999\n", r"'1e999', which is too large"),
    reg(
        "full-width digit", REG + "0.1,0.2,\uff11\n", r"column 'y': expected a plain decimal number"
    ),
    reg(
        "hexadecimal float", REG + "0.1,0.2,0x1p-2\n", r"expected a plain decimal number.*'0x1p-2'"
    ),
    reg("decimal comma in quotes", REG + '0.1,"0,5",0.3\n', r"column 'x2'.*got '0,5'"),
    reg(
        "UTF-16 with byte-order mark",
        (REG + "0.1,0.2,0.3\n").encode("utf-16"),
        r"expected UTF-8 text, got UTF-16.*Save it as UTF-8",
    ),
    reg(
        "UTF-16 without byte-order mark",
        (REG + "0.1,0.2,0.3\n").encode("utf-16-le"),
        r"line 1: expected UTF-8 text, got a NUL byte",
    ),
    reg("UTF-32", (REG + "0.1,0.2,0.3\n").encode("utf-32"), r"got UTF-32"),
    reg(
        "Latin-1 byte",
        (REG + "0.1,0.2,0.3\n# caf\xe9\n").encode("latin-1"),
        r"line 3: expected UTF-8 text, got byte 0xe9",
    ),
    reg("binary file", bytes(range(256)), r"got a NUL byte"),
    reg(
        "field over the csv limit",
        REG + "1" * 140_000 + ",0.2,0.3\n",
        r"line 2: cannot be read as CSV \(field larger than field limit",
    ),
    reg(
        "x1 above 1",
        REG + "0.1,0.2,0.3\n1.5,0.2,0.3\n",
        r"line 3, column 'x1': expected a value in \[0, 1\].*got 1\.5",
    ),
    reg(
        "x2 below 0", REG + "\n0.1,-0.2,0.3\n", r"line 3, column 'x2': expected a value in \[0, 1\]"
    ),
    iris(
        "negative measurement",
        IRIS + "5.1,-3.5,1.4,0.2,0\n" + IRIS_ROWS,
        r"line 2, column 'sepal_width': expected a value in \(0, 100\).*got -3\.5",
    ),
    iris(
        "zero measurement",
        IRIS + IRIS_ROWS + "0,3.5,1.4,0.2,0\n",
        r"line 5, column 'sepal_length': expected a value in \(0, 100\)",
    ),
    iris(
        "millimetres instead of cm",
        IRIS + IRIS_ROWS + "51,35,140,2,0\n",
        r"column 'petal_length'.*got 140",
    ),
    iris(
        "label 3",
        IRIS + "5.1,3.5,1.4,0.2,3\n",
        r"line 2, column 'label': expected a label 0, 1 or 2",
        file="iris_test.csv",
    ),
    iris("label 0.5", IRIS + IRIS_ROWS + "5.1,3.5,1.4,0.2,0.5\n", r"expected a label.*got 0\.5"),
    iris("label -1", IRIS + IRIS_ROWS + "5.1,3.5,1.4,0.2,-1\n", r"expected a label.*got -1"),
    iris(
        "training data of one class",
        IRIS + "5.1,3.5,1.4,0.2,0\n4.9,3.0,1.4,0.2,0\n",
        r"every class 0, 1, 2, got none of 1 \(versicolor\), 2 \(virginica\)",
    ),
    reg(
        "x1 a hair above 1 (1.0000000000000002)",
        REG + "0.1,0.2,0.3\n1.0000000000000002,0.2,0.3\n",
        r"line 3, column 'x1': expected a value in \[0, 1\].*got 1\.0000000000000002\.",
    ),
    reg(
        "stray quote opening a cell over several lines",
        REG + '0.1,0.2,0.3\n0.1,"0.2,0.3\n0.4,0.5,0.6\n0.7,0.8,0.9\n',
        r"line 3, column 'x2': expected a plain number, got a quote \(\"\) that opens a cell "
        r"running on to line 5\. Remove the stray quote on line 3\.",
    ),
    iris(
        "label 1.9999999",
        IRIS + IRIS_ROWS + "5.1,3.5,1.4,0.2,1.9999999\n",
        r"line 5, column 'label': expected a label 0, 1 or 2.*got 1\.9999999\.",
    ),
    iris(
        "species names as labels",
        IRIS + "5.1,3.5,1.4,0.2,setosa\n",
        r"column 'label': expected a plain decimal number.*'setosa'",
    ),
]


# --- files and folders --------------------------------------------------------------


def only(*names):
    def setup(folder, monkeypatch, tmp_path):
        for name in names:
            shutil.copy(REPO / "data" / name, folder)

    return setup


def replace_with(name, kind):
    def setup(folder, monkeypatch, tmp_path):
        shipped_pair(folder, name.split("_")[0].split(".")[0])
        target = folder / name
        target.unlink(missing_ok=True)
        if kind == "folder":
            target.mkdir()
        elif kind == "broken link":
            target.symlink_to(folder / "nowhere.csv")
        elif kind == "link loop":
            target.symlink_to(target)
        elif kind == "fifo":
            os.mkfifo(target)

    return setup


def override_is(kind):
    def setup(folder, monkeypatch, tmp_path):
        path = tmp_path / "DATA"
        if kind == "loop":
            (tmp_path / "A").symlink_to(tmp_path / "B")
            (tmp_path / "B").symlink_to(tmp_path / "A")
            path = tmp_path / "A"
        elif kind == "file":
            path.write_text("not a folder")
        monkeypatch.setenv(_files.ENV_VAR, str(path))

    return setup


def unreadable(name):
    def setup(folder, monkeypatch, tmp_path):
        shipped_pair(folder, name.split("_")[0])
        real_open = builtins.open

        # Tests run as root, for whom chmod 000 blocks nothing: refuse the open itself.
        def guarded(file, *args, **kwargs):
            if Path(str(file)).name == name:
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", guarded)

    return setup


def shipped_damage(kind):
    def setup(folder, monkeypatch, tmp_path):
        monkeypatch.delenv(_files.ENV_VAR)
        shipped = folder / "shipped"
        shutil.copytree(REPO / "data", shipped)
        target = shipped / "regression_test.csv"
        if kind == "missing":
            target.unlink()
        else:
            target.write_text(target.read_text().replace("0.", "1.", 1))
        monkeypatch.setattr(_files, "repo_data_dir", lambda: shipped)

    return setup


def no_data_folder(folder, monkeypatch, tmp_path):
    monkeypatch.delenv(_files.ENV_VAR)
    monkeypatch.setattr(_files, "repo_data_dir", lambda: None)
    monkeypatch.setattr(_files, "packaged_data_dir", lambda: None)


FILE_CASES = [
    Case(
        "partial folder: training file only",
        only("regression_train.csv"),
        data.load_regression,
        FileNotFoundError,
        r"holds regression_train\.csv but not regression_test\.csv.*Add "
        r"regression_test\.csv there, or remove regression_train\.csv",
        "regression_test.csv",
    ),
    Case(
        "partial folder: test file only",
        only("iris_test.csv"),
        data.load_iris,
        FileNotFoundError,
        r"iris_train\.csv not found.*one place",
        "iris_train.csv",
    ),
    Case(
        "folder in place of a file",
        replace_with("regression_test.csv", "folder"),
        data.load_regression,
        FileNotFoundError,
        r"expected a file, got a folder",
        "regression_test.csv",
    ),
    Case(
        "broken symbolic link",
        replace_with("iris_train.csv", "broken link"),
        data.load_iris,
        FileNotFoundError,
        r"symbolic link to .*nowhere\.csv.* points to nothing",
        "iris_train.csv",
    ),
    Case(
        "symbolic link loop as a file",
        replace_with("iris_test.csv", "link loop"),
        data.load_iris,
        FileNotFoundError,
        r"leads back to itself \(a loop\)",
        "iris_test.csv",
    ),
    Case(
        "FIFO in place of a file",
        replace_with("regression_train.csv", "fifo"),
        data.load_regression,
        FileNotFoundError,
        r"expected a regular file, got a special file",
        "regression_train.csv",
    ),
    Case(
        "DNNCOURSE_DATA_DIR is a symlink loop",
        override_is("loop"),
        data.load_iris,
        FileNotFoundError,
        r"symbolic link that leads back to itself",
        "DNNCOURSE_DATA_DIR",
    ),
    Case(
        "DNNCOURSE_DATA_DIR is a file",
        override_is("file"),
        data.load_regression,
        FileNotFoundError,
        r"which is a file, not a folder",
        "DNNCOURSE_DATA_DIR",
    ),
    Case(
        "DNNCOURSE_DATA_DIR missing",
        override_is("missing"),
        data.load_mnist,
        FileNotFoundError,
        r"is not an existing folder.*or unset it",
        "DNNCOURSE_DATA_DIR",
    ),
    Case(
        "unreadable file",
        unreadable("regression_test.csv"),
        data.load_regression,
        _files.DataPermissionError,
        r"cannot be read \(permission denied\).*chmod",
        "regression_test.csv",
    ),
    Case(
        "shipped file edited",
        shipped_damage("edited"),
        data.load_regression,
        ValueError,
        r"checksum mismatch.*Restore it: `git checkout -- data/regression_test\.csv`",
        "regression_test.csv",
    ),
    Case(
        "shipped file deleted",
        shipped_damage("missing"),
        data.load_regression,
        FileNotFoundError,
        r"not found\. Restore it: `git checkout",
        "regression_test.csv",
    ),
    Case(
        "no data folder at all",
        no_data_folder,
        data.load_iris,
        FileNotFoundError,
        r"data folder was not found.*Reinstall dnncourse",
        "iris_train.csv",
    ),
]


# --- MNIST --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def valid_npz(tmp_path_factory):
    path = tmp_path_factory.mktemp("mnist") / "mnist.npz"
    np.savez(path, **mnist_arrays())
    return path


def npz(change):
    """A case whose mnist.npz is ``change(path_of_a_valid_npz, target)``'s doing."""

    def setup(folder, monkeypatch, tmp_path):
        change(VALID_NPZ[0], folder / "mnist.npz")

    return setup


def _truncated(src, dst):
    dst.write_bytes(src.read_bytes()[: src.stat().st_size // 2])


def _flipped_member(src, dst):
    raw = bytearray(src.read_bytes())
    raw[5000] ^= 0xFF  # inside x_train's data: the zip's CRC check catches it
    dst.write_bytes(bytes(raw))


def _npy(src, dst):
    with open(dst, "wb") as f:  # np.save(dst) would add ".npy" to the name
        np.save(f, np.zeros((2, 2)))


def _arrays(**changes):
    def change(src, dst):
        with open(dst, "wb") as f:
            np.savez(f, **{k: v for k, v in {**mnist_arrays(), **changes}.items() if v is not None})

    return change


def _zip_of_text(src, dst):
    with zipfile.ZipFile(dst, "w") as z:
        z.writestr("x_train.txt", "hello")


def _object_array(src, dst):
    with open(dst, "wb") as f:
        np.savez(f, **{**mnist_arrays(), "x_train": np.array([{"a": 1}], dtype=object)})


VALID_NPZ = []  # filled by the autouse fixture below: cases are built at import time

MNIST_FIX = r"Replace it with Keras' mnist\.npz"
MNIST_CASES = [
    Case(
        "empty mnist.npz",
        npz(lambda s, d: d.write_bytes(b"")),
        data.load_mnist,
        ValueError,
        r"the file is empty \(0 bytes",
        "mnist.npz",
    ),
    Case(
        "truncated mnist.npz",
        npz(_truncated),
        data.load_mnist,
        ValueError,
        rf"got a damaged one \(cut short or garbled.*{MNIST_FIX}",
        "mnist.npz",
    ),
    Case(
        "corrupted byte inside mnist.npz",
        npz(_flipped_member),
        data.load_mnist,
        ValueError,
        r"got a damaged one.*BadZipFile.*CRC",
        "mnist.npz",
    ),
    Case(
        ".npy saved as mnist.npz",
        npz(_npy),
        data.load_mnist,
        ValueError,
        r"got a single \.npy array \(written by np\.save",
        "mnist.npz",
    ),
    Case(
        "text file as mnist.npz",
        npz(lambda s, d: d.write_text("not an archive")),
        data.load_mnist,
        ValueError,
        r"expected an \.npz \(zip\) archive, got a file starting",
        "mnist.npz",
    ),
    Case(
        "zip of other files",
        npz(_zip_of_text),
        data.load_mnist,
        ValueError,
        r"got x_train\.txt \(missing x_train, y_train, x_test, y_test\)",
        "mnist.npz",
    ),
    Case(
        "object array (pickle)",
        npz(_object_array),
        data.load_mnist,
        ValueError,
        r"got an array of Python objects.*not done",
        "mnist.npz",
    ),
    Case(
        "missing key",
        npz(_arrays(y_test=None)),
        data.load_mnist,
        ValueError,
        r"missing y_test",
        "mnist.npz",
    ),
    Case(
        "wrong shape",
        npz(_arrays(x_train=np.zeros((100, 28, 28), np.uint8))),
        data.load_mnist,
        ValueError,
        r"x_train of shape \(60000, 28, 28\).*got shape \(100, 28, 28\)",
        "mnist.npz",
    ),
    Case(
        "wrong dtype",
        npz(_arrays(x_test=np.zeros((10000, 28, 28), np.float32))),
        data.load_mnist,
        ValueError,
        r"x_test .*dtype uint8.*dtype float32",
        "mnist.npz",
    ),
    Case(
        "label out of range",
        npz(_arrays(y_test=np.full(10000, 10, np.uint8))),
        data.load_mnist,
        ValueError,
        r"y_test labels 0\.\.9, got a maximum of 10",
        "mnist.npz",
    ),
    Case(
        "a digit missing from y_train",
        npz(_arrays(y_train=np.zeros(60000, np.uint8))),
        data.load_mnist,
        ValueError,
        r"every digit 0\.\.9, got none of 1, 2, 3",
        "mnist.npz",
    ),
    Case(
        "folder named mnist.npz",
        npz(lambda s, d: d.mkdir()),
        data.load_mnist,
        FileNotFoundError,
        r"expected a file, got a folder",
        "mnist.npz",
    ),
]

CASES = CSV_CASES + FILE_CASES + MNIST_CASES


@pytest.fixture(autouse=True)
def _valid_npz(valid_npz):
    VALID_NPZ[:] = [valid_npz]


def test_at_least_forty_distinct_cases():
    assert len({c.id for c in CASES}) == len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_gives_one_clear_error_and_changes_no_file(data_dir, monkeypatch, tmp_path, case):
    case.setup(data_dir, monkeypatch, tmp_path)
    before, shipped_before = snapshot(tmp_path), snapshot(REPO / "data")
    with pytest.raises(case.error, match=case.match) as err:
        case.loader()
    message = str(err.value)
    assert isinstance(err.value, (FileNotFoundError, ValueError))
    assert case.names in message, f"the message must name {case.names}: {message}"
    assert "Traceback" not in message and message.count(". ") >= 1, "problem, then the fix"
    assert err.value.__context__ is None or err.value.__suppress_context__, "one traceback"
    assert snapshot(tmp_path) == before and snapshot(REPO / "data") == shipped_before


# --- MNIST through Keras' download ----------------------------------------------------


def test_keras_download_failure_names_the_cache_and_the_fix(monkeypatch, tmp_path, no_override):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))

    def offline():  # what Keras raises without network: a plain Exception
        raise Exception("URL fetch failure on https://...: None -- [Errno -3] name resolution")  # noqa: TRY002

    monkeypatch.setattr(mnist, "_keras_load_data", offline)  # no Keras import: fast
    with pytest.raises(FileNotFoundError, match=r"Keras could not download MNIST.*set DNNCOURSE"):
        data.load_mnist()
    assert snapshot(tmp_path) == {}


def test_damaged_keras_cache_says_delete_it(monkeypatch, tmp_path, no_override):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    cached = tmp_path / "datasets" / "mnist.npz"
    cached.parent.mkdir()
    cached.write_bytes(b"PK\x03\x04 cut short")
    before = snapshot(tmp_path)

    def damaged():
        raise zipfile.BadZipFile("File is not a zip file")

    monkeypatch.setattr(mnist, "_keras_load_data", damaged)
    with pytest.raises(
        ValueError, match=r"mnist\.npz: Keras' cached copy of MNIST is damaged.*Delete"
    ):
        data.load_mnist()
    assert snapshot(tmp_path) == before


# --- read_csv on a learner's own file ---------------------------------------------------


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_read_csv_names_a_path_that_is_no_file(tmp_path, kind):
    path = tmp_path / "my_flowers.csv"
    if kind == "folder":
        path.mkdir()
    with pytest.raises(FileNotFoundError, match=r"my_flowers\.csv: (not found|expected a file)"):
        data.read_csv(path, ["a", "b"])
    assert snapshot(tmp_path) == {}
