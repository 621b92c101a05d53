"""The project's own bookkeeping: registry, data README, dependency groups."""

from __future__ import annotations

import re

from conftest import REPO

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10 (nox -s minimum)
    import tomli as tomllib

from dnncourse.data import _files as paths
from dnncourse.data._files import REGISTRY

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())


def test_every_data_file_is_registered_with_its_true_checksum():
    files = {p.name for p in (REPO / "data").iterdir() if p.name != "README.md"}
    assert files == set(REGISTRY), "every file in data/ needs a registry entry, and only those"
    for name, digest in REGISTRY.items():
        assert paths.sha256(REPO / "data" / name) == digest, name


def test_data_readme_lists_each_file_with_its_checksum():
    readme = (REPO / "data" / "README.md").read_text()
    for name, digest in REGISTRY.items():
        row = re.search(rf"^\| `{re.escape(name)}` \|.*$", readme, re.MULTILINE)
        assert row, f"data/README.md has no row for {name}"
        assert digest in row.group(0), f"data/README.md lists a stale checksum for {name}"


def _names(requirements):
    return {
        re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0].lower()
        for r in requirements
        if isinstance(r, str)
    }


def test_backend_group_mirrors_the_runtime_dependencies():
    runtime = PYPROJECT["project"]["dependencies"]
    extras = PYPROJECT["project"]["optional-dependencies"]
    backend = PYPROJECT["dependency-groups"]["backend"]
    # The runtime dependencies, plus one backend from the extras: tensorflow-cpu on Linux.
    assert _names(backend) == _names(runtime) | {"tensorflow-cpu", "tensorflow"}
    for req in runtime:
        assert req in backend, f"{req} differs between [project] and the backend group"
    assert f"{extras['tensorflow-cpu'][0]}; sys_platform == 'linux'" in backend
    assert f"{extras['tensorflow'][0]}; sys_platform != 'linux'" in backend


def test_runtime_dependencies_have_lower_bounds_only():
    for req in PYPROJECT["project"]["dependencies"]:
        assert ">=" in req and not re.search(r"<|==|~=", req), req


def test_the_book_group_admits_the_jupyter_book_it_is_built_with_and_never_2():
    """The site is a Jupyter Book 1 project (_config.yml, _toc.yml): version 2 reads neither."""
    from importlib.metadata import PackageNotFoundError, version

    from packaging.requirements import Requirement

    (req,) = [
        Requirement(r)
        for r in PYPROJECT["dependency-groups"]["book"]
        if isinstance(r, str) and Requirement(r).name == "jupyter-book"
    ]
    assert not req.specifier.contains("2.0.0", prereleases=True), f"{req} would install 2.0"
    try:
        installed = version("jupyter-book")
    except PackageNotFoundError:
        return  # an environment without the book's group (nox -s minimum)
    assert req.specifier.contains(installed), f"{req} rejects the installed {installed}"
