"""mnist.npz is read member by member: only what is needed, sizes checked before allocating.

An archive declares its arrays' sizes twice: in the zip directory (each member's
uncompressed size) and in each member's ``.npy`` header (shape and dtype). The
reader trusts neither: a header must declare MNIST's shape and dtype, and the zip
must hold exactly that many bytes, before a byte of the array is read or memory
for it allocated. Unused members are never unpacked. ``tracemalloc`` sees NumPy's
allocations, so the peaks below are the arrays the reader made.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import time
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pytest
from conftest import mnist_arrays, snapshot

from dnncourse import data
from dnncourse.data import mnist
from dnncourse.data.mnist import read_npz

MB = 2**20


def npy_bytes(array):
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def npy_header(shape, dtype="|u1"):
    """Just the .npy header of an array of ``shape``: a file that declares data it lacks."""
    buffer = io.BytesIO()
    header = {"descr": dtype, "fortran_order": False, "shape": shape}
    np.lib.format.write_array_header_1_0(buffer, header)
    return buffer.getvalue()


def write_zip(path, members, compression=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression=compression) as z:
        for name, raw in members.items():
            z.writestr(name, raw)


@pytest.fixture(scope="module")
def mnist_members():
    """The four members of a valid (all-zero) MNIST archive, as .npy bytes."""
    return {f"{k}.npy": npy_bytes(v) for k, v in mnist_arrays().items()}


@pytest.fixture
def opened(monkeypatch):
    """The names of the zip members opened, in order."""
    names = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        names.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    return names


def peak_bytes(call):
    """The result of ``call()`` (or the error it raised) and the peak memory it allocated."""
    tracemalloc.start()
    try:
        try:
            out = call()
        except (ValueError, FileNotFoundError) as err:
            out = err
        return out, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_an_unused_huge_member_is_never_unpacked(data_dir, mnist_members, opened):
    # 256 MiB of zeros deflate to 0.25 MB: the shape of the 6.8 MB file with a 1.5 GB
    # member that the old reader unpacked whole (smaller here, to keep the test fast).
    path = data_dir / "mnist.npz"
    write_zip(path, mnist_members)
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as z,
        z.open("unused.npy", "w", force_zip64=True) as member,
    ):
        member.write(npy_header((256 * MB,)))
        chunk = bytes(16 * MB)
        for _ in range(16):
            member.write(chunk)
    assert path.stat().st_size < 60 * MB
    before = snapshot(data_dir)
    opened.clear()  # writing opened members too
    start = time.perf_counter()
    out, peak = peak_bytes(data.load_mnist)
    seconds = time.perf_counter() - start
    assert not isinstance(out, Exception), out
    assert set(opened) == set(mnist_members), f"expected the 4 arrays only, got {opened}"
    # The four arrays are 54.9 MB; the unused member (256 MiB) must not count.
    assert peak < 70 * MB, f"expected about 55 MB allocated, got {peak / MB:.0f} MB"
    assert seconds < 10, f"{seconds:.1f} s: the unused member was read?"
    assert snapshot(data_dir) == before


def test_a_small_file_declaring_a_huge_array_is_refused_before_allocating(data_dir, mnist_members):
    members = {**mnist_members, "x_train.npy": npy_header((10**9, 28, 28))}
    write_zip(data_dir / "mnist.npz", members)
    assert (data_dir / "mnist.npz").stat().st_size < 10 * MB
    err, peak = peak_bytes(data.load_mnist)
    assert isinstance(err, ValueError), err
    assert "expected x_train of shape (60000, 28, 28) and dtype uint8, got shape " \
        "(1000000000, 28, 28) and dtype uint8" in str(err)  # fmt: skip
    assert peak < 2 * MB, f"nothing may be allocated for a refused array, got {peak / MB:.1f} MB"


def test_a_header_declaring_more_data_than_the_member_holds(data_dir, mnist_members):
    members = {**mnist_members, "x_test.npy": npy_header((10000, 28, 28))}  # header, no data
    write_zip(data_dir / "mnist.npz", members)
    err, peak = peak_bytes(data.load_mnist)
    assert isinstance(err, ValueError) and "got a damaged one (x_test's header declares " \
        "7,840,000 bytes of data, the archive holds 0; not read)" in str(err), err  # fmt: skip
    assert peak < 2 * MB, "every header is checked before any array is allocated"


def test_a_zip_directory_declaring_a_huge_member_is_refused(data_dir, mnist_members):
    path = data_dir / "mnist.npz"
    write_zip(path, mnist_members)
    raw = bytearray(path.read_bytes())
    entry = raw.index(b"PK\x01\x02")  # the zip directory's first entry: x_train's
    name_len = struct.unpack_from("<H", raw, entry + 28)[0]
    assert raw[entry + 46 : entry + 46 + name_len] == b"x_train.npy"
    struct.pack_into("<I", raw, entry + 24, 2**32 - 2)  # uncompressed size: almost 4 GiB
    path.write_bytes(bytes(raw))
    err, peak = peak_bytes(data.load_mnist)
    assert isinstance(err, ValueError) and "x_train's header declares 47,040,000 bytes of " \
        "data, the archive holds 4,294,967," in str(err), err  # fmt: skip
    assert peak < 10 * MB


def test_generic_reader_caps_an_undeclared_member(tmp_path):
    path = tmp_path / "a.npz"
    write_zip(path, {"a.npy": npy_header((2**40,))})
    err, peak = peak_bytes(lambda: read_npz(path, "Replace it."))
    assert isinstance(err, ValueError)
    assert "expected arrays of at most 256 MiB, got a declaring shape (1099511627776,)" in str(err)
    assert "Replace it." in str(err) and peak < MB


def test_a_missing_member_is_named_before_any_is_read(data_dir, mnist_members, opened):
    members = {k: v for k, v in mnist_members.items() if k != "y_test.npy"}
    write_zip(data_dir / "mnist.npz", members)
    opened.clear()  # writing opened members too
    with pytest.raises(ValueError, match=r"got x_test, x_train, y_train \(missing y_test\)"):
        data.load_mnist()
    assert opened == []


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
@pytest.mark.parametrize(
    "array",
    [
        np.arange(24, dtype="<f8").reshape(2, 3, 4),
        np.asfortranarray(np.arange(12, dtype=">i4").reshape(3, 4)),
        np.zeros((0, 5), np.uint8),
        np.array(3.5),
    ],
    ids=["float64", "fortran-big-endian", "empty", "0-d"],
)
def test_generic_reader_gives_what_np_load_gives(tmp_path, compression, array):
    path = tmp_path / "a.npz"
    write_zip(path, {"a.npy": npy_bytes(array), "note.txt": b"not an array"}, compression)
    got = read_npz(path, "Replace it.")
    assert list(got) == ["a"]  # members that are no .npy arrays are not arrays
    with np.load(path) as npz:
        np.testing.assert_array_equal(got["a"], npz["a"])
        assert got["a"].dtype == npz["a"].dtype and got["a"].shape == npz["a"].shape
    got["a"][...] = 0  # writable, as np.load's arrays are


def test_real_mnist_reads_the_same_as_np_load():
    folder = os.environ.get("DNNCOURSE_DATA_DIR", "")
    path = Path(folder) / "mnist.npz"
    if not folder or not path.is_file():
        pytest.skip("no mnist.npz in DNNCOURSE_DATA_DIR")
    expected = {k: (s, np.uint8) for k, s in mnist.MNIST_SHAPES.items()}
    got = read_npz(path, "Replace it.", expected=expected)
    with np.load(path) as npz:
        for key in expected:
            np.testing.assert_array_equal(got[key], npz[key])


def test_reading_leaves_a_copy_of_the_file_unchanged(tmp_path, mnist_members):
    path = tmp_path / "mnist.npz"
    write_zip(path, mnist_members)
    shutil.copy(path, tmp_path / "copy.npz")
    before = snapshot(tmp_path)
    read_npz(path, "Replace it.")
    assert snapshot(tmp_path) == before
