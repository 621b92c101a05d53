"""The built site's launch buttons and downloads, read from its HTML (no browser needed).

- every executable page's Colab and Binder links open a notebook that exists in the
  repository at that path (the paired ``.ipynb`` beside the page's ``.md``);
- its "download .ipynb" file is on the site and has outputs (also for pages that
  came from the execution cache, whose download myst-nb could leave empty).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from conftest import EXECUTABLE, PAGES

REPO = Path(__file__).resolve().parents[2]
LAUNCH = r'href="(https://(?:colab\.research\.google\.com|mybinder\.org)[^"]+)"'


def repo_path_from_launch(url):
    """The repository path a Colab or Binder launch URL opens, or ``None``."""
    parts = urlsplit(url.replace("&amp;", "&"))
    if parts.netloc == "colab.research.google.com":  # /github/<org>/<repo>/blob/<branch>/<path>
        segments = parts.path.split("/")
        return "/".join(segments[6:]) if len(segments) > 6 else None
    if parts.netloc == "mybinder.org":
        urlpath = parse_qs(parts.query).get("urlpath", [""])[0]
        return re.sub(r"^(lab/tree|tree)/", "", urlpath) or None
    return None


def test_the_site_has_pages_with_executed_code():
    """Without this, a change of the theme's markup would skip every test below and pass."""
    assert len(PAGES) >= 15, PAGES
    assert len(EXECUTABLE) >= 10, EXECUTABLE


def test_the_launch_links_open_a_committed_notebook(site, executable_page):
    launches = re.findall(LAUNCH, (site / executable_page).read_text(encoding="utf-8"))
    assert any("colab" in u for u in launches) and any("mybinder" in u for u in launches)
    for url in launches:
        target = repo_path_from_launch(url)
        assert target and target.endswith(".ipynb"), f"{url} opens {target!r}, not a notebook"
        assert (REPO / target).is_file(), f"{url} opens {target}, which is not in the repository"


def test_the_download_is_the_executed_notebook(site, executable_page):
    html = site / executable_page
    downloads = re.findall(r'href="([^"]*_sources/[^"]+\.ipynb)"', html.read_text(encoding="utf-8"))
    assert downloads, "no .ipynb download link"
    for href in downloads:
        path = (html.parent / href).resolve()
        assert path.is_file(), f"download {href} missing from the site"
        if "/exercises/" in href:
            continue  # a student edition is downloaded blank, as a learner starts it
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        assert any(c.get("outputs") for c in cells if c["cell_type"] == "code"), (
            f"{href}: no outputs"
        )


def test_a_launch_url_names_the_notebook_it_opens():
    colab = "https://colab.research.google.com/github/o/r/blob/main/book/iris.ipynb"
    binder = "https://mybinder.org/v2/gh/o/r/main?urlpath=lab/tree/book/iris.ipynb"
    assert repo_path_from_launch(colab) == repo_path_from_launch(binder) == "book/iris.ipynb"
    assert repo_path_from_launch("https://colab.research.google.com/") is None
