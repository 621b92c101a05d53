"""Ready to publish: the deploy stops early on a wrong repository, never half way."""

from __future__ import annotations

import sys

import pytest
import yaml
from conftest import REPO

sys.path.insert(0, str(REPO / "tools"))

from check_repository import PLACEHOLDER, problems

BOOK = yaml.safe_load((REPO / ".github" / "workflows" / "book.yml").read_text())


def config(url, baseurl):
    return {"repository": {"url": url}, "html": {"baseurl": baseurl}}


def test_a_matching_repository_passes():
    assert (
        problems(
            config("https://github.com/Me/course", "https://me.github.io/course/"), "Me/course"
        )
        == []
    )


@pytest.mark.parametrize(
    ("url", "expect"),
    [(PLACEHOLDER, "is still the placeholder"), ("https://github.com/x/y", "names another")],
)
def test_a_wrong_repository_fails_saying_what_to_set(url, expect):
    (message,) = problems(config(url, "https://me.github.io/course/"), "Me/course")
    assert expect in message
    assert "repository: url: https://github.com/Me/course" in message


def test_a_wrong_baseurl_fails():
    (message,) = problems(config("https://github.com/Me/course", "https://x.org/"), "Me/course")
    assert "https://me.github.io/course/" in message


def test_the_check_is_the_first_step_after_python():
    steps = BOOK["jobs"]["build"]["steps"]
    names = [s.get("name", s.get("uses", "")) for s in steps]
    check = next(k for k, s in enumerate(steps) if "check_repository.py" in s.get("run", ""))
    assert check == 2, names


def test_deploy_is_never_cancelled_half_way():
    assert BOOK["jobs"]["deploy"]["concurrency"]["cancel-in-progress"] is False
    assert "pull_request" in BOOK["concurrency"]["cancel-in-progress"]


def test_pip_cache_keys_on_pyproject_and_mnist_is_cached():
    steps = BOOK["jobs"]["build"]["steps"]
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["cache-dependency-path"] == "pyproject.toml"
    paths = [s["with"]["path"] for s in steps if s.get("uses", "").startswith("actions/cache")]
    assert "~/.keras/datasets" in paths


def test_config_names_a_baseurl():
    config_yml = yaml.safe_load((REPO / "_config.yml").read_text())
    assert config_yml["html"]["baseurl"].startswith("https://")
