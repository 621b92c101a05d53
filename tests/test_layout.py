"""The layout rule in CONTRIBUTING.md covers every module, and the wheel ships only the package."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from fnmatch import fnmatch

from conftest import REPO

PACKAGE = REPO / "code" / "dnncourse"


def layout_patterns():
    """The ``code/dnncourse/...`` paths of the table's "it goes in" column, as glob patterns."""
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    table = text.split("| you add | it goes in |", 1)[1].split("\n\n", 1)[0]
    paths = re.findall(r"`(code/dnncourse/[^`]+)`", table)
    # NAME, TUTORIAL and the like are placeholders: any module name.
    return [re.sub(r"[A-Z]+(?=\.py$)", "*", p) for p in paths]


def test_the_table_names_the_package_homes():
    patterns = layout_patterns()
    assert "code/dnncourse/theory/*.py" in patterns
    assert "code/dnncourse/solutions/*.py" in patterns


def test_every_module_is_covered_by_the_layout_table():
    patterns = layout_patterns()
    modules = [p.relative_to(REPO).as_posix() for p in PACKAGE.rglob("*.py")]
    # A package's __init__ belongs to the package the table names.
    uncovered = [
        m
        for m in modules
        if not any(fnmatch(m, pat) for pat in patterns)
        and not (
            m.endswith("/__init__.py")
            and any(fnmatch(m.replace("__init__", "x"), pat) for pat in patterns)
        )
        and m != "code/dnncourse/__init__.py"
    ]
    assert not uncovered, (
        f"expected every module in a row of CONTRIBUTING.md's table, got {uncovered}"
    )
    assert not (REPO / "code" / "__init__.py").exists(), (
        "code/__init__.py would shadow stdlib `code`"
    )


def test_the_wheel_holds_the_package_and_its_data_only(tmp_path):
    # hatchling is the build backend (pyproject.toml); it builds from the repository root.
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
        cwd=REPO, check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("dnncourse-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    outside = [n for n in names if not n.startswith(("dnncourse/", "dnncourse-"))]
    assert not outside, f"expected only dnncourse/ in the wheel, got {outside}"
    tools = [n for n in names if re.search(r"(bench|workshop|make_data|notebooks)\.py$", n)]
    assert not tools, f"expected no maintainer tools in the wheel, got {tools}"
    data = {n.rsplit("/", 1)[-1] for n in names if n.startswith("dnncourse/_data/")}
    assert {"regression_train.csv", "iris_test.csv", "README.md"} <= data
    shipped = {n for n in names if n.endswith(".py")}
    on_disk = {f"dnncourse/{p.relative_to(PACKAGE).as_posix()}" for p in PACKAGE.rglob("*.py")}
    assert shipped == on_disk, f"expected the package's modules, got {shipped ^ on_disk}"


def test_the_api_page_documents_every_public_module():
    import pkgutil

    import dnncourse

    public = {m.name for m in pkgutil.walk_packages(dnncourse.__path__, "dnncourse.")}
    public = {m for m in public if "._" not in m}
    text = (REPO / "book" / "api.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\.\. automodule:: (\S+)$", text, flags=re.MULTILINE))
    assert listed == public, f"expected book/api.md to document {sorted(public - listed)} too"
