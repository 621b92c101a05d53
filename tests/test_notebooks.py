"""The generated notebooks: in sync with the pages, no MyST left, setup cell, student editions."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import yaml
from conftest import REPO

from dnncourse import tutorials

BOOK = REPO / "book"
CONFIG = yaml.safe_load((REPO / "_config.yml").read_text())
PAIRED = sorted(BOOK.glob("*.ipynb"))
STUDENT = sorted((BOOK / "exercises").glob("*.ipynb"))


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_notebook_is_in_sync_with_its_page():
    out = subprocess.run(
        [sys.executable, str(REPO / "tools" / "notebooks.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, f"expected all notebooks up to date, got:\n{out.stdout}{out.stderr}"


def test_every_executable_page_has_a_paired_notebook():
    pages = {
        p.stem for p in BOOK.glob("*.md") if "kernelspec:" in p.read_text().split("\n---", 1)[0]
    }
    assert pages, "no executable pages found"
    assert {p.stem for p in PAIRED} == pages


def test_paired_notebooks_have_no_outputs():
    for path in PAIRED + STUDENT:
        for cell in load(path)["cells"]:
            assert not cell.get("outputs"), f"{path.name} carries outputs"


# MyST that no notebook renderer understands: glue, colon and directive fences,
# roles of any kind (`{name}` followed by a backtick), targets and option lines.
MYST = [
    ("glue", re.compile(r"\{glue")),
    ("colon fence", re.compile(r"^\s*:::", re.MULTILINE)),
    ("directive fence", re.compile(r"^\s*(```|~~~)\s*\{", re.MULTILINE)),
    ("role", re.compile(r"\{[\w:.+-]+\}`")),
    ("target", re.compile(r"^\s*\([\w-]+\)=\s*$", re.MULTILINE)),
    ("directive option", re.compile(r"^\s*:(class|label|name|tags|pyobject):", re.MULTILINE)),
]


@pytest.mark.parametrize("path", PAIRED + STUDENT, ids=lambda p: str(p.relative_to(BOOK)))
def test_no_myst_left_in_any_markdown_cell(path):
    problems = []
    for k, cell in enumerate(load(path)["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        # Code spans and fenced code may show MyST on purpose (a page teaching it).
        prose = re.sub(r"```.*?```|`[^`\n]*`", "", text, flags=re.DOTALL)
        problems += [f"cell {k}: {name}" for name, rx in MYST if rx.search(prose)]
    assert not problems, f"{path.name} shows raw MyST: {problems}"


@pytest.mark.parametrize("path", PAIRED + STUDENT, ids=lambda p: str(p.relative_to(BOOK)))
def test_no_glue_plumbing_or_site_only_tags(path):
    for cell in load(path)["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        assert not re.search(r"^\s*glue\(|import glue", source, re.MULTILINE), source
        assert not set(cell["metadata"].get("tags", [])) & {"skip-execution", "remove-cell"}


@pytest.mark.parametrize("path", PAIRED + STUDENT, ids=lambda p: str(p.relative_to(BOOK)))
def test_header_cell_names_the_page_and_links_to_it(path):
    first = "".join(load(path)["cells"][0]["source"])
    assert first.startswith("# ")
    assert f"{CONFIG['html']['baseurl'].rstrip('/')}/book/{path.stem}.html" in first


def test_every_cited_glue_value_is_in_the_snapshot():
    """The site-run snapshot keeps step with the pages: every {glue:text} key is in it."""
    snap = json.loads((BOOK / "_site_run.json").read_text(encoding="utf-8"))["pages"]
    missing = []
    for md in sorted(BOOK.glob("*.md")):
        for key in re.findall(r"\{glue(?::text)?\}`([^`:]+)", md.read_text(encoding="utf-8")):
            if key not in snap.get(md.stem, {}).get("glue", {}):
                missing.append(f"{md.name}: {key}")
    assert not missing, (
        f"not in book/_site_run.json (nox -s book, then nox -s notebooks -- --snapshot): {missing}"
    )


def test_full_notebooks_comment_out_the_exercise_call_so_run_all_passes():
    for path in PAIRED:
        for cell in load(path)["cells"]:
            if "exercise" in cell["metadata"].get("tags", []):
                calls = [
                    line for line in "".join(cell["source"]).split("\n")
                    if line and not line.startswith(("#", " ", "def ", "from ", "import ", ")"))
                ]  # fmt: skip
                assert not calls, f"{path.name}: uncommented calls {calls}"


@pytest.mark.parametrize("path", PAIRED + STUDENT, ids=lambda p: str(p.relative_to(BOOK)))
def test_setup_cell_is_the_generated_collapsed_form(path):
    """The cell whose behaviour tests/test_setup_cell.py checks, naming the configured repository."""
    from setup_cell import setup_cell_source

    first = load(path)["cells"][1]
    assert "colab-setup" in first["metadata"]["tags"]
    assert first["metadata"]["cellView"] == "form", "collapsed in Colab"
    source = "".join(first["source"])
    assert source.startswith("# @title "), "Colab shows a form title, not the code"
    repo = CONFIG["repository"]
    ref = repo.get("install_ref") or repo["branch"]
    # a page that runs on one backend only names it in its front matter: the field starts there
    front = yaml.safe_load((BOOK / f"{path.stem}.md").read_text(encoding="utf-8").split("---")[1])
    backend = (front.get("dnncourse") or {}).get("backend", "tensorflow")
    assert source == setup_cell_source(repo["url"].rstrip("/"), ref, backend), (
        "run nox -s notebooks"
    )


def test_student_editions_exist_for_each_tutorial():
    assert [p.relative_to(REPO).as_posix() for p in STUDENT] == sorted(
        t.student_edition for t in tutorials.TUTORIALS.values()
    )


#: What names a solution: its functions (train_<tutorial>, solve_<tutorial>), its module.
FORBIDDEN_IN_STUDENT_EDITIONS = (
    "solve_", *(f"train_{name}" for name in tutorials.NAMES),
    "dnncourse.solutions", "solution-start", "solutions/",
)  # fmt: skip


@pytest.mark.parametrize("path", STUDENT, ids=lambda p: p.stem)
def test_student_editions_contain_no_solution_code(path):
    nb = load(path)
    # Sources, cell metadata and the notebook's own metadata: Jupyter and Colab show a
    # cell's metadata to whoever opens its inspector, and the file holds it all.
    parts = {f"cell {k} source": "".join(c["source"]) for k, c in enumerate(nb["cells"])}
    parts |= {f"cell {k} metadata": json.dumps(c["metadata"]) for k, c in enumerate(nb["cells"])}
    parts["notebook metadata"] = json.dumps(nb["metadata"])
    for where, text in parts.items():
        for forbidden in FORBIDDEN_IN_STUDENT_EDITIONS:
            assert forbidden not in text, f"{path.name}: {where} contains {forbidden!r}"
    exercises = [c for c in nb["cells"] if "exercise" in c["metadata"].get("tags", [])]
    assert exercises, f"{path.name} has no exercise cell"
    for cell in exercises:
        source = "".join(cell["source"])
        assert "NotImplementedError" in source
        assert "check_" in source, "each exercise ends with its self-check"


@pytest.mark.parametrize("path", STUDENT, ids=lambda p: p.stem)
def test_a_student_edition_does_not_send_the_learner_to_itself(path):
    """The page's "work on it in the student edition" box is dropped from that edition."""
    text = "".join("".join(c["source"]) for c in load(path)["cells"])
    assert "student edition of this page" not in text
    page = load(REPO / "book" / f"{path.stem}.ipynb")
    assert "student edition of this page" in "".join("".join(c["source"]) for c in page["cells"])
