"""The generated notebooks: in sync with the pages, a Colab-only setup cell, student editions without solutions."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml
from conftest import REPO

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


def run_setup_cell(source, monkeypatch, colab, spec=None):
    """Execute the setup cell's Python (magics translated) and return the %pip calls it made."""
    from IPython.core.inputtransformer2 import TransformerManager

    calls, namespace = [], {}

    class FakeShell:
        def run_line_magic(self, name, line):
            # IPython expands {variables} in magic lines from the user namespace.
            calls.append((name, line.format(**namespace)))

    python = TransformerManager().transform_cell(source)
    if colab:
        monkeypatch.setitem(sys.modules, "google.colab", object())
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    if spec:
        monkeypatch.setenv("DNNCOURSE_INSTALL_SPEC", spec)
    else:
        monkeypatch.delenv("DNNCOURSE_INSTALL_SPEC", raising=False)
    namespace["get_ipython"] = FakeShell
    exec(python, namespace)  # noqa: S102 (the notebook's own cell, run on purpose)
    return calls


@pytest.mark.parametrize("path", PAIRED + STUDENT, ids=lambda p: p.stem)
def test_setup_cell_installs_only_in_colab_from_the_configured_repository(path, monkeypatch):
    first = load(path)["cells"][0]
    assert "colab-setup" in first["metadata"]["tags"]
    source = "".join(first["source"])
    assert run_setup_cell(source, monkeypatch, colab=False) == [], "must do nothing outside Colab"
    url, branch = CONFIG["repository"]["url"], CONFIG["repository"]["branch"]
    calls = run_setup_cell(source, monkeypatch, colab=True)
    assert len(calls) == 1
    name, line = calls[0]
    assert name == "pip"
    assert line.endswith(f"git+{url}@{branch}"), line
    # Colab's TensorFlow and Keras are kept: no upgrade or reinstall flags.
    assert not any(flag in line for flag in ("-U", "--upgrade", "--force-reinstall"))
    calls = run_setup_cell(source, monkeypatch, colab=False, spec="/checkout")
    assert calls[0][1].endswith("/checkout")


def test_student_editions_exist_for_each_tutorial():
    assert {p.stem for p in STUDENT} == {"regression", "iris", "mnist"}


@pytest.mark.parametrize("path", STUDENT, ids=lambda p: p.stem)
def test_student_editions_contain_no_solution_code(path):
    nb = load(path)
    text = "\n".join("".join(c["source"]) for c in nb["cells"])
    for forbidden in ("solve_", "dnncourse.solutions", "solution-start", "solutions/"):
        assert forbidden not in text, f"{path.name} contains {forbidden!r}"
    exercises = [c for c in nb["cells"] if "exercise" in c["metadata"].get("tags", [])]
    assert exercises, f"{path.name} has no exercise cell"
    for cell in exercises:
        source = "".join(cell["source"])
        assert "NotImplementedError" in source
        assert "check_" in source, "each exercise ends with its self-check"
