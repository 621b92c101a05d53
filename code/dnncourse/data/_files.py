"""Find the course's data files: one resolver for every loader, and their checksums.

Search order for a file ``name``:

1. ``$DNNCOURSE_DATA_DIR/name`` when that variable is set (a folder of your own,
   e.g. a local MNIST copy or an instructor's replacement data). The variable
   must name an existing folder.
2. ``data/name`` in the course repository (a clone, or an editable install).
3. The copy packaged inside the installed ``dnncourse`` (so that a bare
   ``pip install`` in Colab has the CSVs).

Files found in 2 or 3 are the ones the course ships: their SHA-256 must match
:data:`REGISTRY`.
"""

from __future__ import annotations

import hashlib
import os
from importlib import resources
from pathlib import Path

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


def data_dir_override():
    """The folder named by ``$DNNCOURSE_DATA_DIR``, or ``None`` when it is unset.

    Raises
    ------
    FileNotFoundError
        When the variable is set but names no existing folder.
    """
    value = os.environ.get(ENV_VAR, "").strip()
    if not value:
        return None
    folder = Path(value).expanduser().resolve()
    if not folder.is_dir():
        raise FileNotFoundError(
            f"{ENV_VAR} is set to {value!r}, but {folder} is not an existing folder. "
            f"Point {ENV_VAR} at the folder that holds your data files, or unset it "
            "to use the data shipped with the course."
        )
    return folder


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


def sha256(path):
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def verify(path, name=None):
    """Check a shipped file against the registry.

    Raises
    ------
    ValueError
        When the file's checksum differs from the registered one.
    """
    name = name or Path(path).name
    expected = REGISTRY.get(name)
    if expected is None:
        return
    got = sha256(path)
    if got != expected:
        raise ValueError(
            f"{path}: checksum mismatch (expected sha256 {expected}, got {got}). The file "
            "differs from the one the course ships. Restore it with "
            f"`git checkout -- data/{name}` (or reinstall dnncourse); if you changed the "
            "generator on purpose, run `python tools/make_data.py` and update "
            "REGISTRY in dnncourse/data/_files.py and data/README.md."
        )


def find_data_file(name):
    """Locate the data file ``name`` (e.g. ``"iris_train.csv"``).

    Returns
    -------
    pathlib.Path
        The first match in the search order above; shipped files are verified.

    Raises
    ------
    FileNotFoundError
        When no folder in the search order has the file, or
        ``$DNNCOURSE_DATA_DIR`` names no folder.
    ValueError
        When a shipped file fails its checksum.
    """
    override = data_dir_override()
    if override is not None and (override / name).is_file():
        return override / name
    looked = [override] if override is not None else []
    for folder in (repo_data_dir(), packaged_data_dir()):
        if folder is None:
            continue
        looked.append(folder)
        if (folder / name).is_file():
            verify(folder / name, name)
            return folder / name
    where = ", ".join(str(f) for f in looked) or "nowhere (no data folder found)"
    raise FileNotFoundError(
        f"data file {name!r} not found; looked in {where}. Reinstall dnncourse "
        f"(`pip install .` in the course repository) or put {name} in the folder "
        f"named by {ENV_VAR}."
    )
