"""Colab's runtime, pinned: the constraints file, the recorded run times, the headers that quote them."""

from __future__ import annotations

import json
import re
import sys

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "tools"))

import notebooks

CONSTRAINTS = REPO / "tools" / "colab-constraints.txt"
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([0-9][0-9A-Za-z.+]*)$")


def pins():
    lines = CONSTRAINTS.read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def test_constraints_pin_exact_versions_of_what_the_notebooks_run_on():
    bad = [ln for ln in pins() if not PIN.match(ln)]
    assert not bad, f"expected name==version lines only, got {bad}"
    names = {PIN.match(ln).group(1).lower().replace("_", "-") for ln in pins()}
    assert names >= {"tensorflow", "keras", "numpy", "matplotlib", "ipython", "ipykernel"}
    # The full wheel, as in Colab; never the build's tensorflow-cpu.
    assert "tensorflow-cpu" not in names


def test_constraints_say_where_and_when_they_were_taken():
    head = CONSTRAINTS.read_text(encoding="utf-8")
    assert "googlecolab/backend-info" in head
    assert re.search(r"\b20\d\d-\d\d-\d\d\b", head), "the date the list was taken"
    assert "To refresh" in head


def test_about_rounds_as_a_reader_needs():
    assert [notebooks.about(s) for s in (2, 12.4, 13, 57)] == [
        "about 5 s",
        "about 10 s",
        "about 15 s",
        "about 55 s",
    ]
    assert [notebooks.about(s) for s in (58, 75, 100, 185)] == [
        "about 1 min",
        "about 1.5 min",
        "about 1.5 min",
        "about 3 min",
    ]


COLAB = {
    "runtime": {"python": "3.13.0", "tensorflow": "2.20.0", "keras": "3.13.2", "numpy": "2.1.3"},
    "cpus": 2,
    "notebooks": {
        "data": {"seconds": 7.2, "date": "2026-12-03", "jobs": 2},
        "exercises/iris": {"seconds": 41.0, "date": "2026-12-03", "jobs": 1},
    },
}


def header(stem, student, colab=COLAB, record=None):
    md = REPO / "book" / f"{stem}.md"
    return notebooks.header_cell("Title", md, record or {}, student, colab=colab).source


def test_header_states_the_measured_time_and_the_runtime_it_was_verified_on():
    text = header("data", student=False)
    assert "Run all takes about 5 s on a CPU: measured on 2026-12-03 on a 2-core machine" in text
    assert "two notebooks at a time" in text
    assert "Google Colab's runtime (Python 3.13, TensorFlow 2.20.0, Keras 3.13.2" in text
    assert "similar" not in text, "only what was measured"
    student = header("iris", student=True)
    assert "With every exercise solved, Run all takes about 40 s" in student
    assert "at a time" not in student


def test_header_says_nothing_of_time_without_a_measurement():
    assert "Run all" not in header("softmax", student=False)
    assert "Run all" not in header("data", student=False, colab={"notebooks": {}})


def test_header_names_the_versions_of_the_site_numbers():
    record = {"glue": {"x": "1"}, "versions": {"tensorflow": "2.21.0", "keras": "3.15.1",
                                               "python": "3.11.7"}}  # fmt: skip
    text = header("data", student=False, record=record)
    assert "come from the site's build (TensorFlow 2.21.0, Keras 3.15.1, Python 3.11.7)" in text


def test_every_notebook_has_a_measured_time():
    """`nox -s colab` writes book/_colab_run.json; commit it when a notebook is added."""
    recorded = notebooks.colab_run()["notebooks"]
    expected = {p.stem for p in notebooks.executable_pages()}
    expected |= {f"exercises/{name}" for name in notebooks.STUDENT_PAGES}
    missing = sorted(expected - recorded.keys())
    assert not missing, f"no time in book/_colab_run.json for {missing}: run `nox -s colab`"


def test_record_merges_runs_with_the_same_versions_and_drops_others(tmp_path, monkeypatch):
    pytest.importorskip("nbclient")
    import run_notebooks

    path = tmp_path / "run.json"
    now = {"python": "3.13.0", "tensorflow": "2.20.0"}
    monkeypatch.setattr(run_notebooks, "runtime", lambda: now)
    run_notebooks.record(path, {"data": 7.04, "exercises/iris": 40.96}, jobs=2)
    run_notebooks.record(path, {"data": 8.0}, jobs=1)
    data = json.loads(path.read_text())
    assert data["runtime"] == now
    assert data["notebooks"]["data"]["seconds"] == 8.0
    assert data["notebooks"]["data"]["jobs"] == 1
    assert data["notebooks"]["exercises/iris"]["seconds"] == 41.0  # kept: same versions
    monkeypatch.setattr(run_notebooks, "runtime", lambda: {**now, "tensorflow": "2.21.0"})
    run_notebooks.record(path, {"data": 6.0}, jobs=1)
    assert set(json.loads(path.read_text())["notebooks"]) == {"data"}  # others measured elsewhere


def test_the_notebook_runner_starts_before_the_course_package_is_installed():
    """``nox -s colab`` runs tools/run_notebooks.py where only the notebooks' setup cells
    install dnncourse: the runner itself must not import it (CI failed on this once)."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['dnncourse'] = None; "  # any import of it now fails
        f"sys.path.insert(0, {str(REPO / 'tools')!r}); import run_notebooks"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
