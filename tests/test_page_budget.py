"""The page-time budget is checked from a build's recorded times (tools/page_budget.py)."""

from __future__ import annotations

import json

import build_book  # tools/build_book.py
import page_budget  # tools/page_budget.py
import pytest
from pages import probe_page


def test_the_report_names_the_slowest_pages_and_each_page_over_budget():
    over_default = page_budget.DEFAULT_SECONDS + 5
    mnist_within = page_budget.budget("mnist") - 1
    seconds = {"dnn": 12, "regression": over_default, "mnist": mnist_within, "api": None}
    lines, over = page_budget.report(seconds, "a build")
    assert over == ["regression"]
    assert lines[0] == (
        f"page budget: slowest pages (a build): mnist {mnist_within} s, "
        f"regression {over_default} s, dnn 12 s"
    )
    assert lines[1].startswith(f"page budget: OVER: regression took {over_default} s, budget")
    assert len(lines) == 2


def test_mnist_has_its_own_budget_and_is_judged_by_it():
    assert page_budget.budget("mnist") > page_budget.budget("regression")
    _, over = page_budget.report({"mnist": page_budget.budget("mnist") + 1}, "x")
    assert over == ["mnist"]


def test_over_budget_fails_only_when_asked(capsys, monkeypatch):
    seconds = {"iris": page_budget.DEFAULT_SECONDS * 2}
    assert page_budget.check(seconds, "x", fail=False) == 0
    assert page_budget.check(seconds, "x", fail=True) == 1
    assert "failing" in capsys.readouterr().out
    monkeypatch.setenv(page_budget.FAIL_ENV, "1")
    assert page_budget.fail_by_default()
    monkeypatch.delenv(page_budget.FAIL_ENV)
    assert not page_budget.fail_by_default()


def test_the_script_reads_the_snapshots_seconds(tmp_path, capsys):
    snapshot = tmp_path / "_site_run.json"
    record = {"seconds": page_budget.DEFAULT_SECONDS + 1, "glue": {}, "versions": None}
    snapshot.write_text(json.dumps({"pages": {"fitting": record, "data": {"seconds": 3}}}))
    assert page_budget.main([str(snapshot)]) == 0
    assert page_budget.main([str(snapshot), "--fail-over-budget"]) == 1
    assert "OVER: fitting" in capsys.readouterr().out


def test_the_build_executes_what_the_cache_lacks_and_reads_the_times_it_recorded(
    tmp_path, capsys, monkeypatch
):
    pytest.importorskip("jupyter_cache")
    (tmp_path / "_config.yml").write_text("execute:\n  timeout: 30\n")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: probe\nchapters:\n- file: broken\n")
    (tmp_path / "probe.md").write_text(probe_page("import time\ntime.sleep(1.5)"))
    (tmp_path / "broken.md").write_text(probe_page("1 / 0"))
    cache_path = tmp_path / "_build" / ".jupyter_cache"
    # jupyter-cache's local-parallel executor runs both (one at a time: jobs=1); the failing
    # page is not stored
    assert build_book.prefill_cache(cache_path, tmp_path, jobs=1) == (1, 2)
    assert "broken.md failed; the build runs it again" in capsys.readouterr().out
    seconds = build_book.recorded_seconds(cache_path, tmp_path)
    assert list(seconds) == ["probe"] and 1.5 <= seconds["probe"] < 30  # the page's own run
    # a second build finds the probe cached and runs only the page that failed
    assert build_book.prefill_cache(cache_path, tmp_path, jobs=1) == (0, 1)
    # a page that leaves the table of contents leaves the cache's project
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: probe\n")
    assert build_book.prefill_cache(cache_path, tmp_path, jobs=1) == (0, 0)
    # the report judges the recorded seconds: within 60 s, over a budget of 1 s
    assert page_budget.report(seconds, "cache")[1] == []
    monkeypatch.setattr(page_budget, "DEFAULT_SECONDS", 1)
    assert page_budget.report(build_book.recorded_seconds(cache_path, tmp_path), "cache")[1] == [
        "probe"
    ]
