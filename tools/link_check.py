"""Crawl a built HTML site for broken internal links and anchors (no network, no browser)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.refs = set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name"):
            if a.get(key):
                self.ids.add(a[key])
        for key in ("href", "src"):
            if a.get(key) and not (
                tag == "link" and a.get("rel") in ("preconnect", "dns-prefetch")
            ):
                self.refs.append(a[key])


def _parse(path, cache):
    if path not in cache:
        c = _Collector()
        c.feed(path.read_text(encoding="utf-8", errors="replace"))
        cache[path] = c
    return cache[path]


def check_links(site):
    """Return ``(problems, n_checked)`` for every local href/src of every HTML page in ``site``."""
    site = Path(site).resolve()
    cache, problems, n = {}, [], 0
    for page in sorted(site.rglob("*.html")):
        if "_static" in page.parts:
            continue
        for ref in _parse(page, cache).refs:
            parts = urlsplit(ref)
            if parts.scheme or parts.netloc or ref.startswith(("mailto:", "javascript:", "data:")):
                continue
            n += 1
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            where = f"{page.relative_to(site)} -> {ref}"
            if not target.is_file():
                problems.append(f"broken link {where}")
            elif (
                parts.fragment
                and target.suffix == ".html"
                and unquote(parts.fragment) not in _parse(target, cache).ids
            ):
                problems.append(f"broken anchor {where}")
    return problems, n
