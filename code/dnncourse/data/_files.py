"""Where each data set comes from, and reading its files: one resolver for every loader.

A data set comes from one place, never a mix:

1. ``$DNNCOURSE_DATA_DIR`` when that variable is set and the folder holds the data
   set's files (an instructor's replacement data, or a local MNIST). All of them
   must be there: a folder holding some but not all is an error.
2. Otherwise the course's own copy: ``data/`` in the course repository (a clone or
   an editable install), else the copy packaged inside the installed
   ``dnncourse`` (a bare ``pip install`` in Colab). These are checked against
   :data:`REGISTRY`. MNIST is not shipped: its own copy is Keras' download.

:func:`dnncourse.data.sources` (in ``_sources.py``) reports the choice for every
data set, and names the files in ``$DNNCOURSE_DATA_DIR`` that no loader reads.
"""

from __future__ import annotations

import errno
import hashlib
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..tutorials import TUTORIALS

ENV_VAR = "DNNCOURSE_DATA_DIR"

#: The files the course ships, each with its SHA-256 checksum. Every load of a
#: shipped file is checked against this table, so a file edited or damaged by
#: accident is caught before it can change a result. ``data/README.md`` lists the
#: same checksums with each file's provenance; a test keeps the two in step.
REGISTRY = {
    "regression_train.csv": "46d018d2b500f2c807b19d0d899d07f2ca39ae58ffe61033047d9db84691e7fa",
    "regression_test.csv": "922cffc1784743f87bfbb1c7bb0f97100c2bd287197e7f6d9cbfb8f63fde5c6e",
    "iris_train.csv": "1b68cb1d28107c3eac0ad30a57f936672a23eb1ff56a64d480eb2d18435e3e84",
    "iris_test.csv": "15df7c880b2fefbfa437ee5e4dcb198672d218296cba96bc5af941d1b7d1bdeb",
}

#: Each data set and the file names it is read from, in every folder: the rows of
#: :mod:`dnncourse.tutorials`.
DATASETS = {t.name: t.data_files for t in TUTORIALS.values()}

ORIGINS = {
    "course": "the course's own copy",
    ENV_VAR: f"{ENV_VAR}",
    "keras": "Keras' download (keras.datasets.mnist.load_data)",
}


class DataPermissionError(FileNotFoundError, PermissionError):
    """A data file exists but cannot be read; a ``FileNotFoundError`` like the others."""


@dataclass(frozen=True)
class Source:
    """Where one data set is read from.

    Attributes
    ----------
    dataset : str
        ``"regression"``, ``"iris"`` or ``"mnist"``.
    origin : str
        ``"course"`` (shipped, checksum-verified), ``"DNNCOURSE_DATA_DIR"`` (your
        folder) or ``"keras"`` (MNIST through Keras' download and cache).
    folder : pathlib.Path
    files : tuple of str
        The file names read from ``folder``.
    """

    dataset: str
    origin: str
    folder: Path
    files: tuple

    @property
    def shipped(self):
        return self.origin == "course"

    @property
    def paths(self):
        return tuple(self.folder / name for name in self.files)

    def __str__(self):
        where = ORIGINS[self.origin]
        if self.origin == ENV_VAR:
            where += f" = {self.folder}"
        return f"{self.dataset:<11} {where}: {', '.join(self.files)}"


def restore_fix(name):
    """The fix for a shipped file that is missing or damaged: get the course's copy back."""
    return (
        f"Restore it: `git checkout -- data/{name}` in a clone of the course repository, "
        "or reinstall dnncourse."
    )


def data_dir_override():
    """The folder named by ``$DNNCOURSE_DATA_DIR``, or ``None`` when it is unset.

    Raises
    ------
    FileNotFoundError
        When the variable is set but names no existing folder (missing, a file,
        a symbolic-link loop), or a folder that cannot be read
        (:class:`DataPermissionError`): never silently the course's copy instead.
    """
    value = os.environ.get(ENV_VAR, "").strip()
    if not value:
        return None
    fix = (
        f"Point {ENV_VAR} at the folder that holds your data files, or unset it to use "
        "the data shipped with the course."
    )
    path = Path(value).expanduser()
    try:
        folder = _override_folder(value, path, fix)
        entries = os.listdir(folder)  # a folder that cannot be listed would look empty,
        if entries:  # and one that cannot be entered would hold no file
            os.lstat(folder / entries[0])
    except PermissionError:
        blocked = blocked_at(path)
        raise DataPermissionError(
            f"{ENV_VAR} is set to {value!r}, a folder your user cannot read (permission "
            f"denied on {blocked}). Make it readable, for example with `chmod a+rx "
            f"{blocked}`, or unset {ENV_VAR} to use the data shipped with the course."
        ) from None
    return folder


def _override_folder(value, path, fix):
    """The existing folder ``path`` (the value of the variable) resolves to."""
    try:
        folder = path.resolve()
    except (RuntimeError, OSError):  # Python < 3.13 raises RuntimeError on a loop
        folder = None
    if folder is None or (path.is_symlink() and not path.exists() and _is_loop(path)):
        raise FileNotFoundError(
            f"{ENV_VAR} is set to {value!r}, a symbolic link that leads back to itself "
            f"(a loop), not a folder. {fix}"
        )
    if folder.is_file():
        raise FileNotFoundError(
            f"{ENV_VAR} is set to {value!r}, which is a file, not a folder. {fix}"
        )
    if not folder.is_dir():
        raise FileNotFoundError(
            f"{ENV_VAR} is set to {value!r}, but {folder} is not an existing folder. {fix}"
        )
    return folder


def blocked_at(path):
    """The folder on the way to ``path`` that the user may not enter (else ``path``)."""
    path = Path(os.path.abspath(path))
    for step in [*reversed(path.parents), path][1:]:
        try:
            os.lstat(step)
        except PermissionError:
            return step.parent
        except OSError:
            break
    return path


def permission_denied(path):
    """The :class:`DataPermissionError` for a ``path`` that cannot be reached or read."""
    blocked = blocked_at(path)
    where = "" if blocked == Path(os.path.abspath(path)) else f" on the folder {blocked}"
    return DataPermissionError(
        f"{path}: cannot be read (permission denied{where}). Make it readable for your "
        f"user, for example with `chmod a+r{'x' * bool(where)} {blocked}`."
    )


def _is_loop(path):
    try:
        os.stat(path)
    except OSError as err:
        return err.errno == errno.ELOOP  # 40 on Linux, 62 on macOS and BSD
    return False


def repo_data_dir():
    """The ``data/`` folder of the course repository this package belongs to, or ``None``."""
    root = Path(__file__).resolve().parents[3]  # <repo>/code/dnncourse/data/_files.py
    folder = root / "data"
    if (root / "code" / "dnncourse").is_dir() and (folder / "README.md").is_file():
        return folder
    return None


def packaged_data_dir():
    """The copy of ``data/`` inside the installed wheel, or ``None`` (editable installs)."""
    folder = resources.files("dnncourse") / "_data"
    return Path(str(folder)) if folder.is_dir() else None


def keras_cache_dir():
    """The folder where ``keras.datasets`` caches its downloads (no Keras import)."""
    return Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")).expanduser() / "datasets"


def sha256(path):
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def verify(path, raw=None):
    """Check a shipped file against the registry (``raw``: its bytes, if already read).

    Raises
    ------
    ValueError
        When the file's checksum differs from the registered one.
    """
    name = Path(path).name
    expected = REGISTRY.get(name)
    if expected is None:
        return
    got = hashlib.sha256(read_bytes(path, restore_fix(name)) if raw is None else raw).hexdigest()
    if got != expected:
        raise ValueError(
            f"{path}: checksum mismatch (expected sha256 {expected}, got {got}). The file "
            f"differs from the one the course ships. {restore_fix(name)} If you changed the "
            "generator on purpose, run `python tools/make_data.py` and update REGISTRY in "
            "dnncourse/data/_files.py and data/README.md."
        )


def check_file(path, fix):
    """Refuse anything at ``path`` that is not a readable regular file, before opening it.

    Raises
    ------
    FileNotFoundError
        For a missing path, a folder, a broken or looping symbolic link, or a
        special file (FIFO, device), each named as such with ``fix``.
    """
    path = Path(path)
    try:
        _check_file(path, fix)
    except PermissionError:  # a folder on the way that the user may not enter
        raise permission_denied(path) from None


def _check_file(path, fix):
    if path.is_symlink() and not path.exists():
        target = os.readlink(path)
        what = "leads back to itself (a loop)" if _is_loop(path) else "points to nothing"
        raise FileNotFoundError(
            f"{path}: expected a file, got a symbolic link to {target!r} that {what}. {fix}"
        )
    if path.is_dir():
        raise FileNotFoundError(f"{path}: expected a file, got a folder. {fix}")
    if not path.exists():
        raise FileNotFoundError(f"{path}: not found. {fix}")
    if not path.is_file():
        raise FileNotFoundError(f"{path}: expected a regular file, got a special file. {fix}")


def read_bytes(path, fix):
    """All bytes of the data file ``path``, or one clear ``FileNotFoundError``."""
    with open_file(path, fix) as f:
        return f.read()


def open_file(path, fix):
    """The data file ``path`` opened for reading bytes, or one clear ``FileNotFoundError``.

    Use it as ``with open_file(path, fix) as f: ...``; a file that cannot be read
    raises :class:`DataPermissionError`.
    """
    check_file(path, fix)
    try:
        return open(path, "rb")  # the caller closes it: `with open_file(...) as f`
    except PermissionError:
        raise permission_denied(path) from None
    except OSError as err:
        raise FileNotFoundError(f"{path}: cannot be read ({err.strerror or err}). {fix}") from None


def _lexists(path):
    """Whether anything (even a broken link) is at ``path``; a denied look is an error."""
    try:
        os.lstat(path)
    except PermissionError:
        raise permission_denied(path) from None
    except OSError:
        return False
    return True


def locate(dataset):
    """Where ``dataset`` (``"regression"``, ``"iris"`` or ``"mnist"``) is read from.

    Returns
    -------
    Source
        Its files are all present as regular files (MNIST from Keras: maybe not yet
        downloaded).

    Raises
    ------
    FileNotFoundError
        When ``$DNNCOURSE_DATA_DIR`` holds some but not all of the data set's files,
        holds a folder or broken link in place of one, or when the course's copy
        is incomplete.
    """
    names = DATASETS[dataset]
    override = data_dir_override()
    if override is not None:
        present = [n for n in names if _lexists(override / n)]
        if present:
            missing = [n for n in names if n not in present]
            if missing:
                raise FileNotFoundError(
                    f"{override / missing[0]} not found: {ENV_VAR} holds {', '.join(present)} "
                    f"but not {', '.join(missing)}. A data set comes from one place, so the "
                    f"{dataset} data need all of {', '.join(names)} in that folder. Add "
                    f"{', '.join(missing)} there, or remove {', '.join(present)} to use the "
                    "course's copy."
                )
            for name in names:
                check_file(override / name, f"Put your {name} there, or remove it.")
            return Source(dataset, ENV_VAR, override, names)
    if dataset == "mnist":
        return Source(dataset, "keras", keras_cache_dir(), names)
    folder = repo_data_dir() or packaged_data_dir()
    if folder is None:
        raise FileNotFoundError(
            f"the course's data folder was not found (no data/ beside the package, no copy "
            f"inside it), so {', '.join(names)} cannot be read. Reinstall dnncourse "
            f"(`pip install .` in the course repository) or put the files in the folder "
            f"named by {ENV_VAR}."
        )
    for name in names:
        check_file(folder / name, restore_fix(name))
    return Source(dataset, "course", folder, names)
