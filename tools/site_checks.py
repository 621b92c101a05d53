"""Checks on the built site that need no browser; the book session runs them after each build.

- every executable page's "download .ipynb" file has outputs (also for pages that came
  from the execution cache);
- every executable page's Colab and Binder links point at a notebook that exists in
  the repository at that path (the paired ``.ipynb`` beside the page's ``.md``).

    python tools/site_checks.py [--site _build/html]

Prints one line per page and exits 1 when any check fails.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

REPO = Path(__file__).resolve().parents[1]


def repo_path_from_launch(url):
    """The repository path a Colab or Binder launch URL opens, or ``None``."""
    parts = urlsplit(url)
    if parts.netloc == "colab.research.google.com":
        # /github/<org>/<repo>/blob/<branch>/<path>
        segments = parts.path.split("/")
        return "/".join(segments[6:]) if len(segments) > 6 else None
    if parts.netloc == "mybinder.org":
        urlpath = parse_qs(parts.query).get("urlpath", [""])[0]
        return re.sub(r"^(lab/tree|tree)/", "", urlpath) or None
    return None


def check_page(site, html_path):
    """Return ``(problems, summary)`` for one built page."""
    html = html_path.read_text(encoding="utf-8")
    if 'class="cell' not in html:
        return [], "not executable"
    problems = []
    launches = re.findall(
        r'href="(https://(?:colab\.research\.google\.com|mybinder\.org)[^"]+)"', html
    )
    if not any("colab" in u for u in launches) or not any("mybinder" in u for u in launches):
        problems.append("missing a Colab or Binder launch link")
    for url in launches:
        target = repo_path_from_launch(url.replace("&amp;", "&"))
        if target is None or not target.endswith(".ipynb"):
            problems.append(f"launch link opens {target!r}, not a notebook: {url}")
        elif not (REPO / target).is_file():
            problems.append(f"launch link opens {target}, which is not in the repository")
    downloads = re.findall(r'href="([^"]*_sources/[^"]+\.ipynb)"', html)
    n_outputs = 0
    if not downloads:
        problems.append("no .ipynb download link")
    for href in downloads:
        nb_path = (html_path.parent / href).resolve()
        if not nb_path.is_file():
            problems.append(f"download {href} missing from the site")
            continue
        if "/exercises/" in href:
            continue  # a student edition is downloaded blank, as a learner starts it
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        n_outputs = sum(len(c.get("outputs", [])) for c in nb["cells"] if c["cell_type"] == "code")
        if n_outputs == 0:
            problems.append(f"downloaded notebook {href} has no outputs")
    return problems, f"{len(launches)} launch links, download has {n_outputs} outputs"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=REPO / "_build" / "html")
    args = parser.parse_args(argv)
    site = args.site.resolve()
    if not (site / "index.html").is_file():
        sys.exit(f"site_checks: {site}/index.html not found; build the book first")
    n_fail = n_exec = 0
    for html_path in sorted(site.rglob("*.html")):
        if html_path.relative_to(site).parts[0].startswith("_"):
            continue
        problems, summary = check_page(site, html_path)
        if summary != "not executable":
            n_exec += 1
            print(f"{html_path.relative_to(site)}: {summary}")
        for p in problems:
            print(f"FAIL {html_path.relative_to(site)}: {p}")
        n_fail += bool(problems)
    print(f"site checks: {n_exec - n_fail} passed, {n_fail} failed (executable pages)")
    return 1 if n_fail or n_exec == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
