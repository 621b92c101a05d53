"""The built site in a real browser: fixtures for ``tests/site`` (``nox -s browser``).

pytest-playwright gives the browser (Debian's ``/usr/bin/chromium``, never a
downloaded one: :func:`browser_type_launch_args`), its options (``--headed``,
``--slowmo``) and one test per check and page, so a failure names both and ``-k``
picks any of them.  What it cannot give, and this file adds: the site served as
GitHub Pages serves it (gzip), MathJax's CDN answered from npm's package (no
network here), each page loaded once for all of its checks (:func:`loaded`), and
the table of page weights that ``nox -s bench`` reports.

Set by ``nox -s browser`` (without them ``tests/conftest.py`` leaves this folder out):
``DNNCOURSE_SITE`` (the built site) and ``DNNCOURSE_NODE_MODULES`` (npm's axe-core
and mathjax@3 packages); screenshots go to ``DNNCOURSE_SCREENSHOTS``.
"""

from __future__ import annotations

import gzip
import http.server
import io
import json
import os
import threading
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

SITE = Path(os.environ.get("DNNCOURSE_SITE", "_build/html")).resolve()
NODE_MODULES = Path(os.environ.get("DNNCOURSE_NODE_MODULES", "node_modules"))
SHOTS = Path(os.environ.get("DNNCOURSE_SCREENSHOTS", SITE.parent / "screenshots"))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
COMPRESSIBLE = (".html", ".css", ".js", ".svg", ".json", ".txt", ".map", ".inv")
MATHJAX_CDN = "https://cdn.jsdelivr.net/npm/mathjax@3/"
SKIP = ("_static", "_sources", "_images", "_downloads", "_sphinx_design_static")
#: Every HTML page of the site, relative to it (theme assets and sources skipped).
PAGES = sorted(
    str(p.relative_to(SITE))
    for p in SITE.rglob("*.html")
    if p.relative_to(SITE).parts[0] not in SKIP
)
#: The pages with executed code (a Colab and a Binder button, a notebook to download).
EXECUTABLE = [p for p in PAGES if 'class="cell' in (SITE / p).read_text(encoding="utf-8")]
#: What each page loaded, for the summary table and ``_build/page_weights.json``.
ROWS: dict = {}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the browser accepts it (as GitHub Pages serves them)."""

    def log_message(self, *args):  # keep the test output readable
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def pytest_generate_tests(metafunc):
    """A test that takes ``executable_page`` runs once per page with executed code."""
    if "executable_page" in metafunc.fixturenames:
        metafunc.parametrize("executable_page", EXECUTABLE)


@pytest.fixture(scope="session")
def site():
    """The built site's folder."""
    return SITE


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch arguments, with Debian's Chromium (never a download)."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base():
    """The site served on 127.0.0.1; its base URL."""
    if not (SITE / "index.html").is_file():
        pytest.fail(f"{SITE}/index.html not found; build the book first (nox -s book)")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(GzipHandler, directory=str(SITE))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def axe_path():
    """npm's axe-core script, which the accessibility test adds to each page."""
    return NODE_MODULES / "axe-core" / "axe.min.js"


def wait_for_maths(page):
    """Wait until MathJax has typeset the page; False when it has not within 15 s."""
    try:
        page.wait_for_function(
            "() => window.MathJax && MathJax.startup && MathJax.startup.promise"
            " && document.querySelectorAll('mjx-container').length > 0",
            timeout=15000,
        )
        page.evaluate("() => MathJax.startup.promise")
    except PlaywrightError:
        return False
    return True


def route_mathjax(context, sizes):
    """Answer the MathJax CDN from npm's mathjax@3 package, counting gzip sizes as a reader's."""

    def handler(route):
        path = NODE_MODULES / "mathjax" / route.request.url.removeprefix(MATHJAX_CDN).split("?")[0]
        if not path.is_file():
            route.fulfill(status=404, body="not in the local mathjax package")
            return
        body = path.read_bytes()
        sizes.append(len(gzip.compress(body, 6)))
        ctype = "application/javascript" if path.suffix == ".js" else "font/woff"
        route.fulfill(status=200, body=body, headers={"Content-Type": ctype,
                                                      "Access-Control-Allow-Origin": "*"})  # fmt: skip

    context.route(MATHJAX_CDN + "**", handler)


@dataclass
class Loaded:
    """A page loaded once for all of its checks, and what the browser saw on the way."""

    rel: str
    page: object
    status: int | None
    load_ms: float
    console_errors: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    sizes: list = field(default_factory=list)

    def __repr__(self):  # a failing test's report shows the page, not every request
        return f"Loaded({self.rel!r})"

    @property
    def bytes(self):
        return sum(self.sizes)


@pytest.fixture(scope="module", params=PAGES)
def loaded(request, browser, base):
    """Open one page (desktop width), wait until it is idle, keep it for the module's tests.

    Afterwards: screenshots as a reader first sees it, dark and phone; its row of the table.
    """
    rel = request.param
    context = browser.new_context(viewport=DESKTOP)
    sizes, errors, failed = [], [], []
    route_mathjax(context, sizes)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
    page.on(
        "response",
        lambda r: failed.append(f"{r.url} -> HTTP {r.status}") if r.status >= 400 else None,
    )

    def on_finished(req):
        if req.url.startswith(MATHJAX_CDN):
            return  # counted by route_mathjax
        try:
            s = req.sizes()
        except PlaywrightError:  # a request the browser dropped has no sizes
            return
        sizes.append(s["responseBodySize"] + s["responseHeadersSize"])

    page.on("requestfinished", on_finished)
    start = time.perf_counter()
    response = page.goto(base + rel, wait_until="load")
    page.wait_for_load_state("networkidle")
    state = Loaded(rel, page, response and response.status, (time.perf_counter() - start) * 1000,
                   errors, failed, sizes)  # fmt: skip
    if page.locator("main .math").count():
        wait_for_maths(page)  # screenshots show the maths as a reader sees it
    SHOTS.mkdir(parents=True, exist_ok=True)
    stem = rel.replace("/", "__").removesuffix(".html")
    page.screenshot(path=str(SHOTS / f"{stem}-desktop.png"))
    page.screenshot(path=str(SHOTS / f"{stem}-desktop-full.png"), full_page=True)
    yield state
    # First render as the browser measured it: reported, never asserted (timing goals
    # live in `nox -s bench`).
    fcp = page.evaluate(
        "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || -1"
    )
    ROWS[rel] = {"kB": state.bytes / 1000, "load_ms": state.load_ms, "fcp_ms": fcp}
    page.evaluate("() => window.scrollTo(0, 0)")
    page.evaluate("() => document.documentElement.setAttribute('data-theme', 'dark')")
    page.wait_for_timeout(200)
    page.screenshot(path=str(SHOTS / f"{stem}-desktop-dark.png"))
    page.set_viewport_size(PHONE)
    page.evaluate("() => document.documentElement.setAttribute('data-theme', 'light')")
    page.wait_for_timeout(200)
    page.screenshot(path=str(SHOTS / f"{stem}-phone.png"), full_page=True)
    context.close()


def pytest_terminal_summary(terminalreporter):
    """The page weights and load times; ``page_weights.json`` beside the site for the bench."""
    if not ROWS:
        return
    write = terminalreporter.write_line
    write(f"{'page':42} {'kB':>7} {'load ms':>8} {'fcp ms':>7}")
    for rel, row in sorted(ROWS.items()):
        write(f"{rel:42} {row['kB']:7.0f} {row['load_ms']:8.0f} {row['fcp_ms']:7.0f}")
    write(f"screenshots: {SHOTS}")
    (SITE.parent / "page_weights.json").write_text(json.dumps(ROWS, indent=1))
