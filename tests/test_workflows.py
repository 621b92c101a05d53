"""The GitHub Actions workflows are valid (schema check, offline) and do what the README says."""

from __future__ import annotations

import subprocess
import sys

import yaml
from conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def test_workflows_exist():
    assert {p.name for p in WORKFLOWS} >= {"book.yml", "fresh.yml"}


def test_workflows_match_the_github_schema():
    # check-jsonschema (test group) ships GitHub's workflow schema: no network needed.
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            *map(str, WORKFLOWS),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_book_workflow_caches_execution_and_deploys_pages():
    book = yaml.safe_load((REPO / ".github" / "workflows" / "book.yml").read_text())
    steps = book["jobs"]["build"]["steps"]
    cache = [s for s in steps if s.get("uses", "").startswith("actions/cache")]
    assert cache, "the execution cache must be restored between runs"
    assert cache[0]["with"]["path"] == "_build/.jupyter_cache"
    # One definition of the checks: the workflow runs the project's own CI script.
    assert any(s.get("run", "").strip() == "bash .ci/run" for s in steps)
    deploy = book["jobs"]["deploy"]["steps"]
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in deploy)


def test_fresh_workflow_runs_weekly():
    fresh = yaml.safe_load((REPO / ".github" / "workflows" / "fresh.yml").read_text())
    triggers = fresh[True] if True in fresh else fresh["on"]  # YAML 1.1 reads `on` as True
    assert triggers["schedule"][0]["cron"].split()[4] == "1"  # weekly, on Mondays
    steps = fresh["jobs"]["notebooks"]["steps"]
    assert any("nox -s fresh" in s.get("run", "") for s in steps)
