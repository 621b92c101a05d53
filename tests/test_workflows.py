"""The GitHub Actions workflows are valid (schema check, offline) and do what the README says."""

from __future__ import annotations

import re
import subprocess
import sys

import yaml
from conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def test_workflows_match_the_github_schema():
    assert WORKFLOWS, "expected the GitHub workflows in .github/workflows/"
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


def scheduled_sessions():
    """The nox sessions that a workflow with a ``schedule`` trigger runs."""
    sessions = set()
    for path in WORKFLOWS:
        flow = yaml.safe_load(path.read_text(encoding="utf-8"))
        triggers = flow.get(True, flow.get("on")) or {}  # YAML 1.1 reads `on` as True
        if isinstance(triggers, dict) and triggers.get("schedule"):
            for job in flow["jobs"].values():
                for step in job.get("steps", []):
                    # a parametrised session is named with its parameters, quoted
                    found = re.findall(r"\bnox(?: -\w)* -s \"?(\w+)", step.get("run", ""))
                    sessions |= set(found)
    return sessions


def test_what_the_docs_call_weekly_is_scheduled():
    """Each session README.md or CONTRIBUTING.md says runs weekly is run by a scheduled workflow."""
    claimed = set()
    for doc in ("README.md", "CONTRIBUTING.md"):
        for line in (REPO / doc).read_text(encoding="utf-8").splitlines():
            if "weekly" in line:
                claimed |= set(re.findall(r"`nox -s (\w+)", line))
                claimed |= set(re.findall(r"^nox(?: -\w)* -s (\w+).*weekly", line))
    assert claimed >= {"fresh"}, f"expected the docs to name weekly sessions, got {claimed}"
    missing = claimed - scheduled_sessions()
    assert not missing, (
        f"expected a scheduled workflow to run {sorted(missing)}, as the docs say (weekly): "
        "add it to .github/workflows/fresh.yml or correct the docs"
    )
