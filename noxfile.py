"""Sessions for the course: tests, the book, lint, and a local preview.

Modelled on scientific-python/cookie: dependencies come from the
[dependency-groups] of pyproject.toml, every session passes ``*session.posargs``,
and slow or interactive sessions are ``default=False``.

    nox -s tests          # pytest
    nox -s book           # strict build of the site into _build/html
    nox -s lint           # ruff check and ruff format --check
    nox -s serve          # build, then preview on http://127.0.0.1:8000
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.needs_version = ">=2024.10.9"
nox.options.sessions = ["tests", "lint", "book"]

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
# Quiet TensorFlow's C++ start-up lines in tests and in the book's kernels; the
# IPython profile keeps the lines TF prints regardless out of the pages.
TF_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "IPYTHONDIR": str(ROOT / "tools" / "ipython"),
}
BUILD_FLAGS = ["-W", "-n", "--keep-going", "--all"]
# From the npm registry: axe-core is injected into each page; mathjax answers the
# MathJax CDN requests, since the check runs without network.
NPM_PACKAGES = ["axe-core@4.14.1", "mathjax@3.2.2"]


def install_course(session: nox.Session, group: str) -> None:
    """Install a dependency group, then the course package without its dependencies.

    --no-deps keeps the group's tensorflow-cpu from being joined by the full
    tensorflow wheel that the package's own metadata asks for.
    """
    session.install(*nox.project.dependency_groups(PYPROJECT, group))
    session.install("--no-deps", "--force-reinstall", ".")


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (pass pytest options after --)."""
    install_course(session, "test")
    session.run("pytest", *session.posargs, env=TF_ENV)


@nox.session
def lint(session: nox.Session) -> None:
    """Lint and format-check the package, tests and noxfile with ruff."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", *session.posargs)
    session.run("ruff", "format", "--check", ".")


@nox.session
def book(session: nox.Session) -> None:
    """Build the site strictly (warnings are errors) into _build/html."""
    install_course(session, "book")
    session.run("jupyter-book", "build", ".", *BUILD_FLAGS, *session.posargs, env=TF_ENV)
    # Launch links open committed notebooks; downloads carry outputs.
    session.run("python", "tools/site_checks.py")
    session.log(f"site written to {ROOT / '_build' / 'html' / 'index.html'}")


@nox.session(default=False)
def notebooks(session: nox.Session) -> None:
    """Regenerate the .ipynb beside each page and the student editions (commit them)."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "notebooks"))
    if "--snapshot" in session.posargs:  # reads the book's execution cache
        session.install("jupyter-cache")
    session.run("python", "tools/notebooks.py", *session.posargs)


@nox.session(default=False, python="3.13")
def fresh(session: nox.Session) -> None:
    """Run every generated notebook alone, as Colab runs it (pass names to run a few).

    Colab's Python (3.13) and full ``tensorflow`` wheel, nothing else but Jupyter's
    kernel; each notebook's setup cell installs the course package itself, pointed
    at this checkout instead of the repository. No kernel settings and no cell
    skipped by a tag: Colab has neither.
    """
    session.install(*nox.project.dependency_groups(PYPROJECT, "colab"))
    env = {"DNNCOURSE_INSTALL_SPEC": str(ROOT), "IPYTHONDIR": None, "TF_CPP_MIN_LOG_LEVEL": None}
    session.run("python", "tools/run_notebooks.py", *session.posargs, env=env)


@nox.session(default=False)
def browser(session: nox.Session) -> None:
    """Check every page of the built site in Chromium: a11y (axe-core), maths, links, weight.

    Needs Debian's chromium (/usr/bin/chromium) and npm; build the book first.
    Screenshots land in _build/screenshots/.
    """
    session.install(*nox.project.dependency_groups(PYPROJECT, "browser"))
    node = Path(session.virtualenv.location) / "node"
    session.run(
        "npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(node),
        *NPM_PACKAGES, external=True,
    )  # fmt: skip
    session.run(
        "python", "tools/browser_check.py", "--site", "_build/html",
        "--node-modules", str(node / "node_modules"), "--screenshots", "_build/screenshots",
        *session.posargs,
    )  # fmt: skip


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Time the workshop's solution settings against the course's solutions (about 15 min).

    nox -s bench -- --quick    caps every fit at a few epochs, to check that it runs
    """
    install_course(session, "test")
    session.run("python", "tools/bench.py", *session.posargs, env=TF_ENV)


@nox.session(default=False)
def serve(session: nox.Session) -> None:
    """Build the site, then serve _build/html on http://127.0.0.1:8000 (Ctrl-C stops)."""
    install_course(session, "book")
    session.run("jupyter-book", "build", ".", *BUILD_FLAGS, env=TF_ENV)
    port = os.environ.get("PORT", "8000")
    session.log(f"previewing on http://127.0.0.1:{port}/")
    session.run(
        "python", "-m", "http.server", port, "--bind", "127.0.0.1",
        "--directory", str(ROOT / "_build" / "html"), *session.posargs,
    )  # fmt: skip
