"""Check every page of the built site in a real browser (Debian's Chromium via Playwright).

    python tools/browser_check.py --site _build/html --axe path/to/axe.min.js

Serves the site on 127.0.0.1 (gzip-compressing text like GitHub Pages does), opens
every page and checks: HTTP 200, no console errors, no failed local requests, maths
rendered by MathJax, alt text on every image, solutions collapsed until clicked,
Colab and Binder in the launch menu of executable pages, the search finding
"dropout", axe-core accessibility (0 serious or critical), page weight at most 750 kB as transferred (gzip; the goal is 700 kB),
figures that carry their own opaque background (readable in dark mode).  Internal
links and anchors are checked by lychee in `nox -s book`. Screenshots at 1280 and 390 px wide go to
``--screenshots``. Prints a table per page; exits 1 if any check fails.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import io
import json
import sys
import threading
import time
from functools import partial
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

# Issue 14's budget: at most 700 kB transferred (gzip) per page, MathJax and its fonts
# included. The heaviest page, training_well, loads about 670 kB.
MAX_BYTES = 700_000
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
COMPRESSIBLE = (".html", ".css", ".js", ".svg", ".json", ".txt", ".map", ".inv")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the browser accepts it (as GitHub Pages serves them)."""

    def log_message(self, *args):  # keep the check's output readable
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


def serve(site):
    handler = partial(GzipHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def list_pages(site):
    """Every HTML page of the site, relative to it (skipping theme assets and sources)."""
    skip = ("_static", "_sources", "_images", "_downloads", "_sphinx_design_static")
    return sorted(
        str(p.relative_to(site))
        for p in site.rglob("*.html")
        if not p.relative_to(site).parts[0] in skip
    )


JS_IMAGES = """() => Array.from(document.querySelectorAll('main img, article img')).map(img => {
  let opaque = null;
  try {
    const c = document.createElement('canvas');
    c.width = img.naturalWidth; c.height = img.naturalHeight;
    const ctx = c.getContext('2d'); ctx.drawImage(img, 0, 0);
    const w = c.width - 1, h = c.height - 1;
    opaque = [[0, 0], [w, 0], [0, h], [w, h]].every(([x, y]) => ctx.getImageData(x, y, 1, 1).data[3] === 255);
  } catch (e) { opaque = null; }
  return {src: img.getAttribute('src'), alt: (img.getAttribute('alt') || '').trim(),
          output: !!img.closest('.cell_output, .output'), opaque: opaque,
          loaded: img.complete && img.naturalWidth > 0};
})"""

JS_AXE = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                 targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


MATHJAX_CDN = "https://cdn.jsdelivr.net/npm/mathjax@3/"


def route_mathjax(context, mathjax_dir, sizes):
    """Answer the MathJax CDN from npm's mathjax@3 package (no network here).

    A reader's browser gets the same files from the CDN, compressed: count their
    gzip size as the bytes loaded.
    """

    def handler(route):
        rel = route.request.url.removeprefix(MATHJAX_CDN).split("?")[0]
        path = mathjax_dir / rel
        if not path.is_file():
            route.fulfill(status=404, body="not in the local mathjax package")
            return
        body = path.read_bytes()
        sizes.append(len(gzip.compress(body, 6)))
        ctype = "application/javascript" if path.suffix == ".js" else "font/woff"
        route.fulfill(status=200, body=body, headers={"Content-Type": ctype,
                                                      "Access-Control-Allow-Origin": "*"})  # fmt: skip

    context.route(MATHJAX_CDN + "**", handler)


def check_page(browser, base, rel, axe_js, shots, executable_pages, mathjax_dir):
    problems, info = [], {}
    context = browser.new_context(viewport=DESKTOP)
    console_errors, failed, sizes, routed = [], [], [], []
    route_mathjax(context, mathjax_dir, routed)
    page = context.new_page()
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))

    def on_response(resp):
        if resp.status >= 400:
            failed.append(f"{resp.url} -> HTTP {resp.status}")

    def on_finished(req):
        if req.url.startswith(MATHJAX_CDN):
            return  # counted by route_mathjax
        try:
            s = req.sizes()
        except PlaywrightError:  # a request the browser dropped has no sizes
            return
        sizes.append(s["responseBodySize"] + s["responseHeadersSize"])

    page.on("response", on_response)
    page.on("requestfinished", on_finished)
    t0 = time.perf_counter()
    resp = page.goto(base + rel, wait_until="load")
    page.wait_for_load_state("networkidle")
    info["load_ms"] = (time.perf_counter() - t0) * 1000
    # First render, as the browser measured it (reported, not asserted: timing goals
    # live in `nox -s bench`, never in pass/fail checks).
    info["fcp_ms"] = page.evaluate(
        "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || -1"
    )
    if resp is None or resp.status != 200:
        problems.append(f"HTTP {resp.status if resp else 'no response'}")

    # Mathematics: MathJax typeset everything and left no raw TeX delimiters.
    has_math = page.locator("main .math, main div.math, main span.math").count() > 0
    if has_math:
        try:
            page.wait_for_function(
                "() => window.MathJax && MathJax.startup && MathJax.startup.promise"
                " && document.querySelectorAll('mjx-container').length > 0",
                timeout=15000,
            )
            page.evaluate("() => MathJax.startup.promise")
        except PlaywrightError:
            problems.append("maths not rendered (no mjx-container)")
        text = page.locator("main").inner_text()
        for raw in ("$$", "\\(", "\\["):
            if raw in text:
                problems.append(f"raw {raw!r} left in the text")
    info["math"] = page.locator("mjx-container").count()

    # Screenshots as a reader first sees the page (before any dropdown is opened).
    stem = rel.replace("/", "__").removesuffix(".html")
    page.screenshot(path=str(shots / f"{stem}-desktop.png"))
    page.screenshot(path=str(shots / f"{stem}-desktop-full.png"), full_page=True)

    # Images: alt text, loaded, opaque figures (readable on the dark theme).
    images = page.evaluate(JS_IMAGES)
    info["images"] = len(images)
    for img in images:
        if not img["alt"]:
            problems.append(f"image without alt text: {img['src']}")
        if not img["loaded"]:
            problems.append(f"image did not load: {img['src']}")
        if img["output"] and img["opaque"] is False:
            problems.append(f"transparent figure (unreadable on dark theme): {img['src']}")

    # Solutions and hidden answers: collapsed on load, open on click.
    toggles = page.locator(
        "main details.dropdown, main .solution.dropdown, main .admonition.dropdown"
    )
    info["dropdowns"] = toggles.count()
    for k in range(toggles.count()):
        t = toggles.nth(k)
        body = t.locator(".toggle-hidden, .admonition-title ~ *, details > :not(summary)").first
        tag = t.evaluate("e => e.tagName")
        if tag == "DETAILS":
            if t.evaluate("e => e.open"):
                problems.append(f"dropdown {k} open on load")
            t.locator("summary").first.click()
            if not t.evaluate("e => e.open"):
                problems.append(f"dropdown {k} did not open on click")
            continue
        if body.count() and body.is_visible():
            problems.append(f"dropdown {k} visible on load")
        button = t.locator("button.toggle-button, .admonition-title").first
        button.click()
        page.wait_for_timeout(300)
        if body.count() and not body.is_visible():
            problems.append(f"dropdown {k} did not open on click")

    # Launch buttons on executable pages.
    if rel in executable_pages:
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        for name, host in (("Colab", "colab.research.google.com"), ("Binder", "mybinder.org")):
            if not any(host in h for h in hrefs):
                problems.append(f"no {name} launch link")

    # Accessibility with axe-core.
    page.add_script_tag(content=axe_js)
    violations = page.evaluate(JS_AXE)
    counts = dict.fromkeys(("critical", "serious", "moderate", "minor"), 0)
    for v in violations:
        counts[v["impact"] or "minor"] += v["nodes"]
        if v["impact"] in ("critical", "serious"):
            problems.append(f"axe {v['impact']}: {v['id']} at {v['targets']}")
    info["axe"] = counts

    # Weight: everything the page loaded, as transferred.
    info["bytes"] = sum(sizes) + sum(routed)
    if info["bytes"] > MAX_BYTES:
        problems.append(f"page loads {info['bytes']:,} bytes (> {MAX_BYTES:,})")

    failed_local = [f for f in failed if f.startswith(base)]
    problems += [f"failed request: {f}" for f in failed_local]
    problems += [f"console error: {e}" for e in console_errors]
    info["external_failed"] = [f for f in failed if not f.startswith(base)]

    # Screenshots: desktop and phone, light; desktop dark.
    page.evaluate("() => window.scrollTo(0, 0)")
    page.evaluate("() => document.documentElement.setAttribute('data-theme', 'dark')")
    page.wait_for_timeout(200)
    page.screenshot(path=str(shots / f"{stem}-desktop-dark.png"))
    page.set_viewport_size(PHONE)
    page.evaluate("() => document.documentElement.setAttribute('data-theme', 'light')")
    page.wait_for_timeout(200)
    page.screenshot(path=str(shots / f"{stem}-phone.png"), full_page=True)
    context.close()
    return problems, info


def check_search(browser, base):
    page = browser.new_page()
    page.goto(base + "search.html?q=dropout", wait_until="load")
    try:
        page.wait_for_selector("#search-results ul.search li", timeout=15000)
    except PlaywrightError:
        return ["search for 'dropout' found nothing"], 0
    n = page.locator("#search-results ul.search li").count()
    page.close()
    return [], n


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("_build/html"))
    parser.add_argument("--node-modules", type=Path, required=True,
                        help="folder with npm's axe-core and mathjax@3 packages")  # fmt: skip
    parser.add_argument("--screenshots", type=Path, default=Path("_build/screenshots"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("pages", nargs="*", help="only these pages (relative .html paths)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright  # imported late: keeps --help fast

    site = args.site.resolve()
    if not (site / "index.html").is_file():
        sys.exit(f"browser_check: {site}/index.html not found; build the book first (nox -s book)")
    args.screenshots.mkdir(parents=True, exist_ok=True)
    axe_js = (args.node_modules / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
    mathjax_dir = args.node_modules / "mathjax"
    pages = args.pages or list_pages(site)
    executable = {p for p in pages if 'class="cell' in (site / p).read_text(encoding="utf-8")}

    server, base = serve(site)
    failures = {}
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        for rel in pages:
            problems, info = check_page(
                browser, base, rel, axe_js, args.screenshots, executable, mathjax_dir
            )
            rows.append((rel, info))
            if problems:
                failures[rel] = problems
        search_problems, n_hits = check_search(browser, base)
        browser.close()
    server.shutdown()

    print(f"{'page':42} {'crit':>4} {'ser':>4} {'mod':>4} {'min':>4} {'kB':>7} {'ms':>6} {'fcp':>5} "
          f"{'imgs':>4} {'math':>5} {'drop':>4}")  # fmt: skip
    for rel, info in rows:
        a = info["axe"]
        print(f"{rel:42} {a['critical']:4d} {a['serious']:4d} {a['moderate']:4d} {a['minor']:4d} "
              f"{info['bytes'] / 1000:7.0f} {info['load_ms']:6.0f} {info['fcp_ms']:5.0f} {info['images']:4d} "
              f"{info['math']:5d} {info['dropdowns']:4d}")  # fmt: skip
    external = sorted({u for _, info in rows for u in info["external_failed"]})
    if external:
        print("requests to other hosts (no network here), not counted as failures:")
        for u in external[:10]:
            print("  ", u)
    print(f"search 'dropout': {n_hits} results")
    print(f"screenshots: {args.screenshots}")
    # For `nox -s bench`, which reports page weights beside training speed.
    summary = {rel: {"kB": info["bytes"] / 1000, "load_ms": info["load_ms"], "fcp_ms": info["fcp_ms"]}
               for rel, info in rows}  # fmt: skip
    (args.site.parent / "page_weights.json").write_text(json.dumps(summary, indent=1))
    for p in search_problems:
        print("FAIL", p)
    for rel, problems in failures.items():
        for p in problems:
            print(f"FAIL {rel}: {p}")
    n_fail = len(search_problems) + sum(map(len, failures.values()))
    print(f"{len(pages) - len(failures)} passed, {len(failures)} failed (pages); {n_fail} problems")
    return 1 if n_fail else 0


if __name__ == "__main__":
    sys.exit(main())
