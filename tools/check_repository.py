"""Fail a deploy early when ``_config.yml`` names another repository than the one deploying.

The launch buttons, the notebooks' setup cell and their links all derive from
``repository.url`` and ``html.baseurl``; a fork that deploys before changing them
publishes a site whose Colab buttons open someone else's notebooks.

    GITHUB_REPOSITORY=owner/name python tools/check_repository.py

Exits 1 with a message that says what to change.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
PLACEHOLDER = "https://github.com/dnn-course/dnn-keras-course"


def problems(config, github_repository):
    """What is wrong with ``config`` for a deploy from ``github_repository`` (owner/name)."""
    url = config["repository"]["url"].rstrip("/")
    expected = f"https://github.com/{github_repository}"
    owner, _, name = github_repository.partition("/")
    pages = f"https://{owner.lower()}.github.io/{name}/"
    out = []
    if url.lower() != expected.lower():
        why = "is still the placeholder" if url == PLACEHOLDER else "names another repository"
        out.append(
            f"_config.yml: repository.url {why} ({url}); this workflow runs in {expected}. "
            f"Set `repository: url: {expected}`, run `nox -s notebooks`, commit, push."
        )
    baseurl = (config.get("html") or {}).get("baseurl", "")
    if baseurl.rstrip("/").lower() != pages.rstrip("/").lower():
        out.append(
            f"_config.yml: html.baseurl is {baseurl!r}; GitHub Pages publishes this repository "
            f"at {pages}. Set `html: baseurl: {pages}` (or your custom domain's URL)."
        )
    return out


def main():
    github_repository = os.environ.get("GITHUB_REPOSITORY")
    if not github_repository:
        sys.exit("check_repository: set GITHUB_REPOSITORY=owner/name")
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    found = problems(config, github_repository)
    for p in found:
        print(f"::error::{p}")
    if found:
        print("See 'Publish your own copy' in README.md.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
