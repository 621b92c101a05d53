"""Every file fits exactly one row of CONTRIBUTING.md's layout table; the wheel ships only the package."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile

import pytest
from conftest import REPO

PACKAGE = REPO / "code" / "dnncourse"


def toc_pages():
    """The page stems ``_toc.yml`` lists (``book/PAGE``)."""
    text = (REPO / "_toc.yml").read_text(encoding="utf-8")
    return re.findall(r"^\s*-?\s*(?:file|root):\s*book/([\w-]+)\s*$", text, flags=re.MULTILINE)


def placeholders():
    from dnncourse.tutorials import NAMES

    return {
        "PAGE": "(?:" + "|".join(map(re.escape, toc_pages())) + ")",
        "TUTORIAL": "(?:" + "|".join(map(re.escape, NAMES)) + ")",
        "NAME": "[a-z][a-z0-9_-]*",
    }


def glob_regex(pattern, names):
    """A path glob as a regex: ``*`` within one folder, ``**/`` any folders, placeholders."""
    out = []
    for part in re.split(r"(\*\*/|\*|PAGE|TUTORIAL|NAME)", pattern):
        if part == "**/":
            out.append("(?:[^/]+/)*")
        elif part == "*":
            out.append("[^/]*")
        elif part in names:
            out.append(names[part])
        else:
            out.append(re.escape(part))
    return re.compile("".join(out) + r"\Z")


def layout_rows():
    """``[(what, [pattern, ...])]``: each row of CONTRIBUTING.md's table and its paths."""
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    table = text.split("| you add | it goes in |", 1)[1].split("\n\n", 1)[0]
    rows = []
    for line in table.strip().splitlines()[1:]:  # after the |---| line
        what, goes_in = (cell.strip() for cell in line.strip().strip("|").rsplit("|", 1))
        rows.append((what, re.findall(r"`([^`\s]+)`", goes_in)))
    return rows


def repository_files():
    """Committed files, and new ones git does not ignore, that exist on disk."""
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return sorted(f for f in set(out.split("\0")) if f and (REPO / f).is_file())


def rows_matching(files, rows):
    """``{file: [row, ...]}``: which rows' patterns match each file."""
    names = placeholders()
    compiled = [(what, [glob_regex(p, names) for p in patterns]) for what, patterns in rows]
    return {f: [what for what, res in compiled if any(r.match(f) for r in res)] for f in files}


FIX = "add a row to the layout table in CONTRIBUTING.md ('Where code goes'), or widen the row that should hold it"


def test_globs_stay_within_a_folder():
    names = {"NAME": "[a-z][a-z0-9_-]*"}
    assert glob_regex("book/_static/*", names).match("book/_static/course.css")
    assert not glob_regex("book/_static/*", names).match("book/_static/img/logo.svg")
    assert not glob_regex("tests/test_NAME.py", names).match("tests/sub/test_x.py")
    assert glob_regex("a/**/b.py", names).match("a/x/y/b.py")
    assert not glob_regex("code/dnncourse/theory/NAME.py", names).match(
        "code/dnncourse/theory/_private.py"
    )


def test_placeholders_name_real_pages_and_tutorials():
    rows = rows_matching(["code/dnncourse/theory/nonesuch.py", "book/exercises/iris.ipynb"],
                         layout_rows())  # fmt: skip
    assert rows["code/dnncourse/theory/nonesuch.py"] == []  # no page book/nonesuch.md in _toc.yml
    assert len(rows["book/exercises/iris.ipynb"]) == 1


def test_every_file_fits_exactly_one_row_of_the_layout_table():
    files = repository_files()
    matches = rows_matching(files, layout_rows())
    unmatched = [f for f, rows in matches.items() if not rows]
    doubled = {f: rows for f, rows in matches.items() if len(rows) > 1}
    assert not unmatched, (
        f"expected every file in a row of CONTRIBUTING.md's layout table, got {unmatched} in none: {FIX}"
    )
    assert not doubled, (
        "expected every file in exactly one row of CONTRIBUTING.md's layout table, got "
        + "; ".join(f"{f} in {rows}" for f, rows in doubled.items())
        + ": make the rows' paths distinct"
    )
    assert not (REPO / "code" / "__init__.py").exists(), (
        "code/__init__.py would shadow stdlib `code`"
    )


def test_every_row_of_the_layout_table_fits_a_file():
    files = repository_files()
    names = placeholders()
    stale = [
        p
        for _, patterns in layout_rows()
        for p in patterns
        if not any(glob_regex(p, names).match(f) for f in files)
    ]
    assert not stale, (
        f"expected each path of CONTRIBUTING.md's layout table to fit a file, got {stale} fitting none: remove or correct them"
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
