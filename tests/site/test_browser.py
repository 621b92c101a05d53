"""Every page of the built site in Chromium, one test per check (``nox -s browser``).

HTTP 200 with no console error and no failed local request; maths typeset by
MathJax; alt text on every image and figures with their own opaque background
(readable in dark mode); solutions collapsed until clicked; Colab and Binder in
the launch menu of executable pages; axe-core accessibility (nothing serious or
critical); page weight as transferred (gzip, MathJax included); the search finds
"dropout".  Internal links and anchors are checked by lychee in ``nox -s book``, the
launch links' targets and the downloads by ``test_built_site.py``.
The tests of a page share one load of it (``loaded`` in conftest.py) and run in
this file's order: the weight and the errors are read last, after every check has
opened, clicked and typeset what it needed.  A check that does not apply to a page
(no maths, no code) is skipped, not passed.
"""

from __future__ import annotations

import pytest
from conftest import EXECUTABLE, wait_for_maths

# Issue 14's budget: at most 700 kB transferred (gzip) per page, MathJax and its fonts
# included. The heaviest page, training_well, loads about 670 kB.
MAX_BYTES = 700_000

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


def errors_so_far(loaded, base):
    """The console errors and failed local requests the page has had until now."""
    local = [f for f in loaded.failed if f.startswith(base)]
    return [*loaded.console_errors, *(f"failed request: {f}" for f in local)]


def open_dropdowns(page):
    """Open every dropdown that is still closed (for the checks of what is inside)."""
    page.evaluate(
        "() => document.querySelectorAll('main details').forEach(d => { d.open = true; })"
    )
    toggles = page.locator("main .solution.dropdown, main .admonition.dropdown")
    for k in range(toggles.count()):
        t = toggles.nth(k)
        body = t.locator(".toggle-hidden, .admonition-title ~ *").first
        if body.count() and not body.is_visible():
            t.locator("button.toggle-button, .admonition-title").first.click()
    page.wait_for_timeout(300)


def test_the_page_loads_without_errors(loaded, base):
    assert loaded.status == 200, f"HTTP {loaded.status}"
    assert not errors_so_far(loaded, base)


def test_the_maths_is_typeset(loaded):
    page = loaded.page
    if page.locator("main .math, main div.math, main span.math").count() == 0:
        pytest.skip("no maths on this page")
    if not wait_for_maths(page):
        pytest.fail("maths not rendered (no mjx-container)")
    text = page.locator("main").inner_text()
    assert not [raw for raw in ("$$", "\\(", "\\[") if raw in text], "raw TeX left in the text"


def test_every_image_has_alt_text_loads_and_figures_are_opaque(loaded):
    problems = []
    for img in loaded.page.evaluate(JS_IMAGES):
        if not img["alt"]:
            problems.append(f"image without alt text: {img['src']}")
        if not img["loaded"]:
            problems.append(f"image did not load: {img['src']}")
        if img["output"] and img["opaque"] is False:
            problems.append(f"transparent figure (unreadable on dark theme): {img['src']}")
    assert not problems, problems


def test_solutions_are_collapsed_until_clicked(loaded):
    page, problems = loaded.page, []
    toggles = page.locator(
        "main details.dropdown, main .solution.dropdown, main .admonition.dropdown"
    )
    for k in range(toggles.count()):
        t = toggles.nth(k)
        if t.evaluate("e => e.tagName") == "DETAILS":
            if t.evaluate("e => e.open"):
                problems.append(f"dropdown {k} open on load")
            t.locator("summary").first.click()
            if not t.evaluate("e => e.open"):
                problems.append(f"dropdown {k} did not open on click")
            continue
        body = t.locator(".toggle-hidden, .admonition-title ~ *, details > :not(summary)").first
        if body.count() and body.is_visible():
            problems.append(f"dropdown {k} visible on load")
        t.locator("button.toggle-button, .admonition-title").first.click()
        page.wait_for_timeout(300)
        if body.count() and not body.is_visible():
            problems.append(f"dropdown {k} did not open on click")
    assert not problems, problems


def test_executable_pages_offer_colab_and_binder(loaded):
    if loaded.rel not in EXECUTABLE:
        pytest.skip("no executed code on this page")
    hrefs = loaded.page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    for name, host in (("Colab", "colab.research.google.com"), ("Binder", "mybinder.org")):
        assert any(host in h for h in hrefs), f"no {name} launch link"


def test_nothing_serious_for_accessibility(loaded, axe_path):
    """axe-core on the page with its dropdowns open."""
    open_dropdowns(loaded.page)
    loaded.page.add_script_tag(path=str(axe_path))
    violations = loaded.page.evaluate(JS_AXE)
    serious = [f"{v['impact']}: {v['id']} at {v['targets']}" for v in violations
               if v["impact"] in ("critical", "serious")]  # fmt: skip
    assert not serious, serious


def test_the_page_weight_is_within_budget(loaded):
    assert loaded.bytes <= MAX_BYTES, f"page loads {loaded.bytes:,} bytes (> {MAX_BYTES:,})"


def test_no_error_after_every_check(loaded, base):
    """What the checks set off (typesetting, opened dropdowns, their images, axe) failed nothing."""
    assert not errors_so_far(loaded, base)


def test_the_search_finds_dropout(browser, base):
    page = browser.new_page()
    page.goto(base + "search.html?q=dropout", wait_until="load")
    page.wait_for_selector("#search-results ul.search li", timeout=15000)
    assert page.locator("#search-results ul.search li").count() > 0
    page.close()
