"""The one page-time budget, and the report that checks a build's recorded times against it.

A page may take :data:`DEFAULT_SECONDS` to execute on 2 cores; the pages in
:data:`OWN_SECONDS` have their own budget.  This table is the only place the
numbers live: ``CONTRIBUTING.md`` and ``_config.yml`` point here.

The check reads the times a build recorded, never times a test: ``tools/build_book.py``
prints this report after every build from the execution cache's
``execution_seconds`` (the pages it ran itself, one per core, include the other
runs' share of the cores, so a time is an upper bound), and this script reports on
the committed snapshot ``book/_site_run.json`` (its ``seconds`` per page):

    python tools/page_budget.py                     # report only (exit 0)
    python tools/page_budget.py --fail-over-budget  # exit 1 when a page is over

Over budget is reported, not an error, unless ``--fail-over-budget`` is given or
``DNNCOURSE_BUDGET_FAIL=1`` is set (for ``tools/build_book.py`` too): a busy
machine can push a page over without any change to it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SNAPSHOT = REPO / "book" / "_site_run.json"
#: Seconds a page may take to execute on 2 cores.
DEFAULT_SECONDS = 60
#: Pages with their own budget: the MNIST CNN trains on 60,000 images.
OWN_SECONDS = {"mnist": 90}
#: Setting this environment variable to 1 turns over-budget pages into a failure.
FAIL_ENV = "DNNCOURSE_BUDGET_FAIL"
SLOWEST = 5


def budget(page):
    """Seconds the page ``page`` (a stem such as ``"mnist"``) may take."""
    return OWN_SECONDS.get(page, DEFAULT_SECONDS)


def fail_by_default():
    """Whether ``$DNNCOURSE_BUDGET_FAIL`` asks for over-budget pages to fail."""
    return os.environ.get(FAIL_ENV, "") == "1"


def report(seconds, source):
    """Lines that name the slowest pages and every page over its budget.

    Parameters
    ----------
    seconds : dict
        ``{page: seconds or None}``; ``None`` (no recorded time) is skipped.
    source : str
        Where the times come from, for the first line.

    Returns
    -------
    lines : list of str
    over : list of str
        The pages over budget, slowest first.
    """
    timed = sorted(
        ((p, s) for p, s in seconds.items() if s is not None), key=lambda ps: (-ps[1], ps[0])
    )
    if not timed:
        return [f"page budget: no recorded page times in {source}"], []
    slowest = ", ".join(f"{p} {s:.0f} s" for p, s in timed[:SLOWEST])
    lines = [f"page budget: slowest pages ({source}): {slowest}"]
    over = [p for p, s in timed if s > budget(p)]
    for p, s in timed:
        if s > budget(p):
            lines.append(
                f"page budget: OVER: {p} took {s:.0f} s, budget {budget(p)} s "
                f"(book/{p}.md; budgets in tools/page_budget.py)"
            )
    if not over:
        lines.append(f"page budget: all {len(timed)} timed pages within budget")
    return lines, over


def check(seconds, source, fail):
    """Print :func:`report`; return 1 when ``fail`` and a page is over budget, else 0."""
    lines, over = report(seconds, source)
    print("\n".join(lines), flush=True)
    if over and fail:
        print(f"page budget: {len(over)} page(s) over budget: failing ({FAIL_ENV}=1 or "
              "--fail-over-budget); make them faster or change the table in tools/page_budget.py")  # fmt: skip
        return 1
    return 0


def snapshot_seconds(path=SNAPSHOT):
    """``{page: seconds}`` recorded in the site-run snapshot."""
    pages = json.loads(Path(path).read_text(encoding="utf-8"))["pages"]
    return {page: record.get("seconds") for page, record in pages.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("snapshot", nargs="?", type=Path, default=SNAPSHOT)
    parser.add_argument("--fail-over-budget", action="store_true", default=fail_by_default())
    args = parser.parse_args(argv)
    return check(snapshot_seconds(args.snapshot), args.snapshot.name, args.fail_over_budget)


if __name__ == "__main__":
    sys.exit(main())
