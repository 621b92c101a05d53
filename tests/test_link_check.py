"""The browser session's link crawler finds broken links and anchors (no browser needed)."""

from __future__ import annotations

import importlib.util

from conftest import REPO

spec = importlib.util.spec_from_file_location("link_check", REPO / "tools" / "link_check.py")
link_check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(link_check)


def write(path, html):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<html><body>{html}</body></html>", encoding="utf-8")


def test_clean_site_has_no_problems(tmp_path):
    write(tmp_path / "index.html", '<a href="book/a.html#sec">a</a><img src="img/x.png" alt="x">')
    write(tmp_path / "book" / "a.html", '<h2 id="sec">S</h2><a href="../index.html">home</a>')
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "x.png").write_bytes(b"png")
    problems, n = link_check.check_links(tmp_path)
    assert problems == []
    assert n == 3


def test_broken_link_and_anchor_are_reported(tmp_path):
    write(tmp_path / "index.html", '<a href="missing.html">m</a><a href="#nowhere">n</a>'
                                   '<a href="https://example.org/x">external, skipped</a>')  # fmt: skip
    problems, n = link_check.check_links(tmp_path)
    assert n == 2
    assert problems == [
        "broken link index.html -> missing.html",
        "broken anchor index.html -> #nowhere",
    ]
