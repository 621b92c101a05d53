"""Folders a learner's user cannot read: one clear error, never the course's copy instead.

Tests run as root, for whom ``chmod 000`` blocks nothing. Two ways around that:

- ``locked``: a fixture that makes the operating-system calls (``os.stat``,
  ``os.lstat``, ``os.listdir``, ``os.scandir``, ``open``) refuse what a folder with
  ``chmod 000`` refuses a normal user: its listing, and everything below it.
  Runs everywhere.
- ``test_as_a_user_without_root_powers``: the real thing. A child Python runs as
  root *without* the capabilities that let root ignore permissions
  (``setpriv --bounding-set=-dac_override,-dac_read_search``), on real ``chmod 000``
  folders. Skipped where that is not possible (not root, no ``setpriv``).
"""

from __future__ import annotations

import builtins
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, snapshot

from dnncourse import data
from dnncourse.data import _files

DENIED = "permission denied"


@pytest.fixture
def locked(monkeypatch):
    """``lock(folder)``: from now on ``folder`` behaves as if ``chmod 000`` for a normal user."""
    folders = []

    def blocked(path, listing=False):
        try:
            p = Path(os.fsdecode(path)).absolute()
        except TypeError:  # a file descriptor
            return False
        return any(p == f if listing else f in p.parents for f in folders)

    def guard(real, listing=False):
        def call(path=".", *args, **kwargs):
            if blocked(path, listing) or (listing and blocked(path)):
                raise PermissionError(13, "Permission denied", os.fsdecode(path))
            return real(path, *args, **kwargs)

        return call

    monkeypatch.setattr(os, "stat", guard(os.stat))
    monkeypatch.setattr(os, "lstat", guard(os.lstat))
    monkeypatch.setattr(os, "listdir", guard(os.listdir, listing=True))
    monkeypatch.setattr(os, "scandir", guard(os.scandir, listing=True))
    monkeypatch.setattr(builtins, "open", guard(builtins.open))
    return lambda folder: folders.append(Path(folder).absolute())


def substitute(folder, *names):
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(REPO / "data" / name, folder)
    return folder


REG = ("regression_train.csv", "regression_test.csv")


@pytest.mark.parametrize("loader", [data.load_regression, data.sources], ids=["loader", "sources"])
def test_an_unreadable_substitute_folder_is_an_error_not_the_courses_copy(
    tmp_path, monkeypatch, locked, loader
):
    folder = substitute(tmp_path / "mine", *REG)
    monkeypatch.setenv(_files.ENV_VAR, str(folder))
    before = snapshot(tmp_path)
    locked(folder)
    with pytest.raises(_files.DataPermissionError) as err:
        loader()
    message = str(err.value)
    assert f"DNNCOURSE_DATA_DIR is set to '{folder}', a folder your user cannot read" in message
    assert f"chmod a+rx {folder}" in message and "or unset DNNCOURSE_DATA_DIR" in message
    assert isinstance(err.value, FileNotFoundError) and err.value.__suppress_context__
    monkeypatch.undo()  # unlock, to compare
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("loader", [data.load_iris, data.load_mnist, data.sources])
def test_a_locked_parent_folder_is_named(tmp_path, monkeypatch, locked, loader):
    folder = substitute(tmp_path / "locked" / "data", "iris_train.csv", "iris_test.csv")
    monkeypatch.setenv(_files.ENV_VAR, str(folder))
    locked(tmp_path / "locked")
    with pytest.raises(_files.DataPermissionError, match=DENIED) as err:
        loader()
    assert f"(permission denied on {tmp_path / 'locked'})" in str(err.value)
    assert f"chmod a+rx {tmp_path / 'locked'}" in str(err.value)


def test_read_csv_in_a_locked_folder_names_the_folder(tmp_path, locked):
    path = substitute(tmp_path / "box", "regression_train.csv") / "regression_train.csv"
    locked(tmp_path / "box")
    with pytest.raises(_files.DataPermissionError) as err:
        data.read_csv(path, ["x1", "x2", "y"])
    assert str(err.value) == (
        f"{path}: cannot be read (permission denied on the folder {tmp_path / 'box'}). Make it "
        f"readable for your user, for example with `chmod a+rx {tmp_path / 'box'}`."
    )


def test_the_courses_own_folder_locked_is_named(tmp_path, monkeypatch, locked):
    shipped = shutil.copytree(REPO / "data", tmp_path / "shipped")
    monkeypatch.delenv(_files.ENV_VAR, raising=False)
    monkeypatch.setattr(_files, "repo_data_dir", lambda: shipped)
    locked(shipped)
    with pytest.raises(_files.DataPermissionError, match=r"regression_train\.csv: cannot be read"):
        data.load_regression()


# --- the real thing: a process that permissions apply to ---------------------------------

PROBE = """
import json, os, sys
from dnncourse import data
out = {}
for folder in sys.argv[1:]:
    os.environ["DNNCOURSE_DATA_DIR"] = folder
    for name in ("load_regression", "sources"):
        try:
            getattr(data, name)()
            out[f"{folder} {name}"] = "ok"
        except Exception as err:
            out[f"{folder} {name}"] = f"{type(err).__name__}: {err}"
print(json.dumps(out))
"""


def test_as_a_user_without_root_powers(tmp_path):
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        pytest.skip("needs root and setpriv (util-linux) to drop root's permission override")
    mine = substitute(tmp_path / "mine", *REG)
    inner = substitute(tmp_path / "locked" / "data", *REG)
    cmd = [setpriv, "--bounding-set=-dac_override,-dac_read_search", sys.executable]
    check = subprocess.run([*cmd, "-c", f"import os; os.listdir({str(tmp_path)!r})"],
                           capture_output=True, text=True, check=False)  # fmt: skip
    if check.returncode:
        pytest.skip(f"cannot run a child without root's override here: {check.stderr[-200:]}")
    os.chmod(mine, 0)
    os.chmod(tmp_path / "locked", 0)
    try:
        env = {**os.environ, "HOME": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
        run = subprocess.run([*cmd, "-c", PROBE, str(mine), str(inner)],
                             capture_output=True, text=True, env=env, timeout=120, check=False)  # fmt: skip
    finally:
        os.chmod(mine, 0o755)
        os.chmod(tmp_path / "locked", 0o755)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    for name in ("load_regression", "sources"):
        assert out[f"{mine} {name}"].startswith(
            f"DataPermissionError: DNNCOURSE_DATA_DIR is set to '{mine}', a folder your user "
            f"cannot read (permission denied on {mine})"
        ), out
        assert f"(permission denied on {tmp_path / 'locked'})" in out[f"{inner} {name}"], out
