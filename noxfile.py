"""Sessions for the course: tests, the book, lint, and a local preview.

Modelled on scientific-python/cookie: dependencies come from the
[dependency-groups] of pyproject.toml, every session passes ``*session.posargs``,
and slow or interactive sessions are ``default=False``.

    nox -s tests                   # pytest, the whole suite (what CI runs)
    nox -s tests -- -m "not slow"  # the fast inner loop: no training, under 30 s
    nox -s book                    # strict build of the site into _build/html
    nox -s lint                    # pre-commit: ruff, validate-pyproject, workflows, codespell
    nox -s serve                   # build, then preview on http://127.0.0.1:8000
    nox -s colab                   # every notebook in Colab's runtime, pinned (CI)
    nox -s fresh                   # every notebook with the newest TensorFlow and Keras (weekly)
    nox -s minimum                 # fast tests + every notebook at the lowest declared versions

Reuse environments with ``nox -r`` (``-R`` would skip reinstalling the edited package).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

nox.needs_version = ">=2024.10.9"
nox.options.sessions = ["tests", "lint", "book"]
# `fresh` needs Python 3.13 (Colab's): a missing interpreter is an error, not a skip.
nox.options.error_on_missing_interpreters = True

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
# Quiet TensorFlow's C++ start-up lines in tests and in the book's kernels (the lines
# TF 2.21 prints regardless are kept out of pages by tools/ipython_kernel_config.py).
TF_ENV = {"TF_CPP_MIN_LOG_LEVEL": "2"}
BUILD_FLAGS = ["-W", "-n", "--keep-going", "--all"]
# From the npm registry: axe-core is injected into each page; mathjax answers the
# MathJax CDN requests, since the check runs without network.
NPM_PACKAGES = ["axe-core@4.14.1", "mathjax@3.2.2"]


def install_course(session: nox.Session, *groups: str) -> None:
    """Install dependency groups, then the course package without its dependencies.

    The group holds the package's dependencies and a backend (tensorflow-cpu on
    Linux); --no-deps keeps --force-reinstall from reinstalling all of them.
    """
    session.install(*nox.project.dependency_groups(PYPROJECT, *groups))
    session.install("--no-deps", "--force-reinstall", ".")


def install_kernel_settings(session: nox.Session) -> None:
    """Put the book's kernel settings where the venv's IPython reads them (sys.prefix/etc/ipython)."""
    if isinstance(session.virtualenv, nox.virtualenv.PassthroughEnv):
        return  # --no-venv: leave the caller's Python alone
    target = Path(session.virtualenv.location) / "etc" / "ipython"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "tools" / "ipython_kernel_config.py", target / "ipython_kernel_config.py")


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (pass pytest options after --).

    With no options, two pytest workers share the tests file by file (``--dist
    loadfile``): a file's module-scoped training fixtures stay in one worker, so
    nothing is trained twice, and one worker's Python-bound work (imports, tracing,
    data checks) overlaps the other's training on a 2-core machine.
    """
    install_course(session, "test")
    session.run("pytest", *(session.posargs or ["-n", "2", "--dist", "loadfile"]), env=TF_ENV)


@nox.session(default=False)
def calibration(session: nox.Session) -> None:
    """The checkers' calibration studies (weekly; about 80 min on 2 cores).

    For each tutorial: the challenge fails and the solution passes the iterate check
    on 5 seeds, and over learner-like models x 3 seeds (MNIST: 10) the iterate verdict agrees
    with the final one. The tables land in the "recorded measurements" summary.
    """
    install_course(session, "test")
    session.run("pytest", "--calibration", *session.posargs, env=TF_ENV)


@nox.session
def lint(session: nox.Session) -> None:
    """Run every pre-commit hook on every file (ruff, validate-pyproject, workflows, codespell)."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("pre-commit", "run", "--all-files", "--show-diff-on-failure", *session.posargs)


@nox.session
def book(session: nox.Session) -> None:
    """Build the site strictly (warnings are errors) into _build/html.

    tools/build_book.py re-executes every page when the package, the data or the
    library versions changed since the cached run; otherwise only edited pages. It
    runs them with jupyter-cache's local-parallel executor (one per core, each in its
    own kernel) before Sphinx reads them.
    """
    install_course(session, "book", "book-jax")
    install_kernel_settings(session)
    session.run("python", "tools/build_book.py", "--", *BUILD_FLAGS, *session.posargs, env=TF_ENV)
    # Keep only the icons the site uses (the theme ships all 2,000 of Font Awesome's).
    session.run("python", "tools/slim_site.py", "_build/html")
    # Every internal link and #anchor of the built site resolves (offline: no web requests).
    session.run(
        "lychee", "--offline", "--include-fragments", "--no-progress",
        "--exclude-path", "_build/html/_static", "_build/html",
    )  # fmt: skip
    session.log(f"site written to {ROOT / '_build' / 'html' / 'index.html'}")


@nox.session(default=False)
def notebooks(session: nox.Session) -> None:
    """Regenerate the .ipynb beside each page and the student editions (commit them)."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "notebooks"))
    # The generator reads the table of tutorials (dnncourse.tutorials; no Keras import).
    session.install("--no-deps", "--force-reinstall", ".")
    session.run("python", "tools/notebooks.py", *session.posargs)


def colab_python() -> str:
    """Colab's Python, 3.13: from pyenv when installed there (its shim may not be active)."""
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    found = sorted((root / "versions").glob("3.13*/bin/python3.13"))
    return str(found[-1]) if found else "3.13"


# Colab's runtime: versions from googlecolab/backend-info's pip freeze (how to refresh: inside).
COLAB_CONSTRAINTS = ROOT / "tools" / "colab-constraints.txt"
# The run times `nox -s colab` measured, quoted by the notebooks' headers.
COLAB_RUN = ROOT / "book" / "_colab_run.json"


def run_notebooks_as_colab(session: nox.Session, *options: str) -> None:
    """Run the generated notebooks alone, each in its own kernel, as Colab runs them.

    Each notebook's setup cell installs the course package itself, pointed at this
    checkout instead of the repository. No kernel settings, no quieted TensorFlow
    and no cell skipped by a tag: Colab has none of them.
    """
    # A reused venv may hold an older course package: the first setup cell installs it anew.
    session.run("python", "-m", "pip", "uninstall", "--yes", "--quiet", "dnncourse")
    env = {"DNNCOURSE_INSTALL_SPEC": str(ROOT), "IPYTHONDIR": None, "TF_CPP_MIN_LOG_LEVEL": None}
    # Two notebooks at a time, each alone in its own kernel: the light pages spend
    # their seconds starting Python and TensorFlow, which a second core overlaps.
    args = session.posargs or ["--jobs", "2"]
    session.run("python", "tools/run_notebooks.py", *args, *options, env=env)


@nox.session(default=False, python=colab_python())
def colab(session: nox.Session) -> None:
    """Run every generated notebook alone in Colab's runtime, pinned (pass names to run a few).

    Python 3.13 and the versions tools/colab-constraints.txt takes from Colab's
    published package list: the full ``tensorflow`` wheel, Keras, NumPy, Matplotlib
    and Colab's IPython 7 kernel. Full notebooks and student editions (blank, then
    filled). The wall time of each notebook that passes goes to
    book/_colab_run.json, which the notebooks' headers quote (`nox -s notebooks`).
    """
    session.install(
        "-c", str(COLAB_CONSTRAINTS), *nox.project.dependency_groups(PYPROJECT, "colab")
    )
    run_notebooks_as_colab(session, "--record", str(COLAB_RUN))


@nox.session(default=False, python=colab_python())
def fresh(session: nox.Session) -> None:
    """Run every generated notebook as `colab` does, with the newest releases (weekly).

    Colab's Python (3.13) and the newest ``tensorflow``, Keras and NumPy that pip
    resolves: what Colab will run some day, so that breakage shows up before it
    reaches learners.
    """
    session.install("--upgrade", *nox.project.dependency_groups(PYPROJECT, "colab"))
    run_notebooks_as_colab(session)


def without_tensorflow(requirements) -> list[str]:
    """The requirements but TensorFlow's (``tensorflow``, ``tensorflow-cpu``), as strings."""
    from packaging.requirements import Requirement  # nox's own dependency

    return [r for r in requirements if Requirement(r).name not in ("tensorflow", "tensorflow-cpu")]


@nox.session(default=False, python=colab_python())
@nox.parametrize("backend", ["jax", "torch"])
def backends(session: nox.Session, backend: str) -> None:
    """The fast tests and the solutions' targets on Keras' JAX and PyTorch backends (weekly).

    Colab's Python (3.13), the test group with its TensorFlow left out, and the
    ``[jax]`` extra (JAX on the CPU) or the ``[torch]`` one (PyTorch from the package
    index, with its CUDA libraries: several GB), at their newest releases. Runs the
    fast tests (those about a TensorFlow tool skip with their reason: the
    ``tensorflow`` marker), then tests/test_backends.py (``--backends``): each
    solution meets its target on seeds 0, 1, 2 and each challenge still misses.
    Pass pytest options after ``--`` to run them instead, e.g.
    ``nox -s "backends(backend='torch')" -- --backends -k iris``.
    """
    session.install(
        *without_tensorflow(nox.project.dependency_groups(PYPROJECT, "test")),
        *PYPROJECT["project"]["optional-dependencies"][backend],
    )
    session.install("--no-deps", "--force-reinstall", ".")
    env = {"KERAS_BACKEND": backend}
    # matplotlib < 3.11 calls pyparsing's old camelCase names (as in the minimum session)
    quiet = ["-W", "ignore::pyparsing.warnings.PyparsingDeprecationWarning"]
    if backend == "torch":
        # keras.ops.convert_to_numpy on the torch backend calls np.array(tensor), and NumPy
        # >= 2.5 warns that torch's __array__ takes no copy keyword (Keras 3.15, torch 2.14)
        quiet += ["-W", "ignore:__array__ implementation doesn't accept a copy:DeprecationWarning"]
    if session.posargs:
        session.run("pytest", *quiet, *session.posargs, env=env)
        return
    session.run("pytest", *quiet, "-m", "not slow", env=env)
    session.run("pytest", *quiet, "--backends", env=env)


def lowest_python() -> str:
    """The lowest Python that requires-python allows (3.10), from pyenv when installed there."""
    version = PYPROJECT["project"]["requires-python"].removeprefix(">=")
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    found = sorted((root / "versions").glob(f"{version}.*/bin/python{version}"))
    return str(found[-1]) if found else version


# Prints "name==version" of each runtime dependency installed, for a constraints file.
PIN_RUNTIME = """
import importlib.metadata as m
for name in ("keras", "numpy", "matplotlib", "tensorflow-cpu", "tensorflow"):
    try:
        print(f"{name}=={m.version(name)}")
    except m.PackageNotFoundError:
        pass
"""


@nox.session(default=False, python=lowest_python(), venv_backend="uv")
def minimum(session: nox.Session) -> None:
    """The fast tests and every notebook at the lowest declared versions (weekly).

    uv's lowest-direct resolution installs the lowest release that the backend group
    (the runtime dependencies of pyproject.toml) allows of keras, numpy, matplotlib
    and TensorFlow, on the lowest Python that requires-python allows; the test tools
    then install at their newest versions compatible with those pins.
    """
    session.install(
        "--resolution=lowest-direct", *nox.project.dependency_groups(PYPROJECT, "backend")
    )
    pinned = session.run("python", "-c", PIN_RUNTIME, silent=True).split()
    session.log("lowest versions: " + ", ".join(pinned))
    pins = Path(session.create_tmp()) / "lowest.txt"
    pins.write_text("\n".join(pinned) + "\n")
    session.install("-c", str(pins), *nox.project.dependency_groups(PYPROJECT, "minimum"))
    session.install("--no-deps", "--force-reinstall", ".")
    install_kernel_settings(session)
    # matplotlib < 3.11 calls pyparsing's old camelCase names, which pyparsing >= 3.3
    # deprecates with a warning that only a test's "error" filter ever shows.
    quiet = "ignore::pyparsing.warnings.PyparsingDeprecationWarning"
    session.run("pytest", "-m", "not slow", "-W", quiet, *session.posargs, env=TF_ENV)
    # Every full notebook and student edition, each alone in its own kernel.
    session.run("python", "tools/run_notebooks.py", "--jobs", "2", env=TF_ENV)


@nox.session(default=False)
def installs(session: nox.Session) -> None:
    """Install the course where a learner already has Keras; pip freeze must not change (weekly).

    tests/test_installs.py builds four virtual environments (tensorflow-cpu at the lowest
    declared versions on Python 3.10, the full tensorflow wheel, JAX alone, a bare
    Python), runs a notebook in each (its setup cell installs the course from this
    checkout), then ``pip install .``; the freezes before and after are printed.
    """
    session.install(*nox.project.dependency_groups(PYPROJECT, "installs"))
    home = Path(session.create_tmp()).resolve()
    log = home / "report.md"
    log.unlink(missing_ok=True)
    env = {
        "DNNCOURSE_INSTALLS": str(home),
        "DNNCOURSE_INSTALLS_REPORT": str(log),
        "JUPYTER_PLATFORM_DIRS": "1",  # jupyter_core's migration warning would be an error
        **TF_ENV,
    }
    try:
        session.run("pytest", "--noconftest", "tests/test_installs.py", *session.posargs, env=env)
    finally:
        if log.is_file():
            print(log.read_text(encoding="utf-8"))


@nox.session(default=False)
def browser(session: nox.Session) -> None:
    """Check every page of the built site in Chromium: a11y (axe-core), maths, links, weight.

    Needs Debian's chromium (/usr/bin/chromium) and npm; build the book first.
    pytest-playwright tests (tests/site), one per check and page: pytest options after
    --, e.g. ``nox -s browser -- -k iris``. Screenshots land in _build/screenshots/.
    """
    session.install(*nox.project.dependency_groups(PYPROJECT, "browser"))
    node = Path(session.virtualenv.location) / "node"
    session.run(
        "npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(node),
        *NPM_PACKAGES, external=True,
    )  # fmt: skip
    site = {
        "DNNCOURSE_SITE": str(ROOT / "_build" / "html"),
        "DNNCOURSE_NODE_MODULES": str(node / "node_modules"),
        "DNNCOURSE_SCREENSHOTS": str(ROOT / "_build" / "screenshots"),
    }
    # --confcutdir: tests/conftest.py needs the course package, which this session lacks.
    session.run("pytest", "tests/site", "--confcutdir", "tests/site", "-p", "no:cacheprovider",
                *session.posargs, env=site)  # fmt: skip


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Time the workshop's solution settings against the course's solutions (about 15 min).

    nox -s bench -- --quick    caps every fit at a few epochs, to check that it runs
    nox -s bench -- --tasks mnist --no-workshop    the MNIST solution on seeds 0, 1, 2 (about 1 min)
    nox -s bench -- --no-workshop --backends tensorflow jax torch    side by side (about 10 min)

    JAX is installed with the course; PyTorch (several GB with its CUDA libraries) only
    when ``--backends`` names it.
    """
    install_course(session, "test", "book-jax")
    if "torch" in session.posargs:
        session.install(*PYPROJECT["project"]["optional-dependencies"]["torch"])
    session.run("python", "tools/bench.py", *session.posargs, env=TF_ENV)


@nox.session(default=False)
def serve(session: nox.Session) -> None:
    """Build the site, then serve _build/html on http://127.0.0.1:8000 (Ctrl-C stops)."""
    install_course(session, "book", "book-jax")
    install_kernel_settings(session)
    session.run("python", "tools/build_book.py", "--", *BUILD_FLAGS, env=TF_ENV)
    port = os.environ.get("PORT", "8000")
    session.log(f"previewing on http://127.0.0.1:{port}/")
    session.run(
        "python", "-m", "http.server", port, "--bind", "127.0.0.1",
        "--directory", str(ROOT / "_build" / "html"), *session.posargs,
    )  # fmt: skip
