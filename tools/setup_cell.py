"""The notebooks' setup cell: install the course package without breaking the learner's Python.

Every generated notebook (tools/notebooks.py) starts with this cell, collapsed to a
form in Colab. It installs what the course needs and the kernel's Python lacks, and
nothing else:

- a requirement already importable in a version the course can use is kept, and
  any Keras backend counts (tensorflow, tensorflow-cpu, tensorflow-macos, a
  TensorFlow built from source, JAX, PyTorch): pip alone counts none of them but
  the ``tensorflow`` distribution, and would install it beside them;
- when everything but the course package is there (Colab), the course package is
  installed with ``--no-deps``, so nothing else can change;
- otherwise pip first plans the install (``--dry-run --report``); the cell prints
  what it will add, and when pip would also upgrade or downgrade a package the
  learner has, it stops before changing anything unless the learner ticks
  ``allow_changes``;
- a failed pip install says which: no internet connection, or a course repository
  that does not exist (or is private), or else pip's own words.

Before anything imports Keras, the cell's ``backend`` field (a Colab form dropdown)
sets ``KERAS_BACKEND``: Keras reads it once, at its first import. The default,
``"tensorflow"``, is Keras' own default and sets nothing, so a ``KERAS_BACKEND`` the
learner set outside the notebook (or ``~/.keras/keras.json``) is kept; choosing
``"jax"`` or ``"torch"`` sets it. TensorFlow, when no backend is installed at all, is
the only backend the cell installs: a chosen JAX or PyTorch that is missing gets
``dnncourse.backend``'s error naming the command (PyTorch's default wheel on Linux
brings gigabytes of CUDA libraries, which no cell should fetch unasked).

Last, :func:`version_drift` compares Python, TensorFlow, Keras and NumPy with the
versions the notebooks were verified on (Google Colab's runtime, pinned in
``tools/colab-constraints.txt``) and prints one note, with how to match them, where
they differ in a way that can change a page's numbers; where they match, nothing.

The cell's code is :func:`version_drift` and :func:`setup_course` below, copied by
:func:`setup_cell_source` together with the version floors of ``pyproject.toml`` and
the verified versions, so it is linted and tested here as ordinary Python
(tests/test_setup_cell.py runs the generated text).

Why not sphinx-tojupyter (tried on this book): it cannot insert a generated code
cell or Colab's form metadata (``cellView``, ``source_hidden``).
"""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10 (nox -s minimum)
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[1]
INSTALL_ENV = "DNNCOURSE_INSTALL_SPEC"  # nox -s fresh: install from this checkout instead


def lower_bound(requirement):
    """``("keras", "3.0")`` from ``"keras>=3.0"`` (extras and markers ignored)."""
    match = re.fullmatch(r"([A-Za-z0-9_.-]+)(\[[^]]*\])?>=([0-9.]+)(;.*)?", requirement.strip())
    if not match:
        raise ValueError(f"pyproject.toml: expected 'name>=version', got {requirement!r}")
    return match.group(1), match.group(3)


def declared(pyproject=REPO / "pyproject.toml"):
    """``(needs, backends)``: the floors the setup cell checks, from ``pyproject.toml``.

    ``needs`` maps each runtime dependency to its lower bound; ``backends`` maps each
    Keras backend's module to the lowest version the course accepts (the extras'
    bounds).
    """
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    needs = dict(lower_bound(r) for r in project["dependencies"])
    extras = project["optional-dependencies"]
    backends = {
        "tensorflow": lower_bound(extras["tensorflow"][0])[1],
        "jax": lower_bound(extras["jax"][0])[1],
        "torch": lower_bound(extras["torch"][0])[1],
    }
    return needs, backends


def verified_runtime(constraints=REPO / "tools" / "colab-constraints.txt"):
    """``{"Python": "3.13", "TensorFlow": ..., "Keras": ..., "NumPy": ...}``: Colab's runtime, pinned.

    The versions ``nox -s colab`` runs the notebooks with: the pins of
    ``tools/colab-constraints.txt``, and the Python its header names (a constraints
    file cannot pin Python).
    """
    text = constraints.read_text(encoding="utf-8")
    pins = dict(re.findall(r"(?m)^([A-Za-z0-9_.-]+)==(\S+)", text))
    python = re.search(r"(?m)^#.*\bPython (3\.[0-9]+)\b", text)
    missing = [name for name in ("tensorflow", "keras", "numpy") if name not in pins]
    if missing or not python:
        raise ValueError(
            f"{constraints}: expected 'tensorflow==', 'keras==' and 'numpy==' pins and a comment "
            f"naming 'Python 3.N'; missing {missing or 'the Python version'}"
        )
    return {
        "Python": python.group(1),
        "TensorFlow": pins["tensorflow"],
        "Keras": pins["keras"],
        "NumPy": pins["numpy"],
    }


COURSE_NEEDS, KERAS_BACKENDS = declared()
VERIFIED = verified_runtime()


def version_drift(
    verified,
    here,
    backend="tensorflow",
    tf_wheel="tensorflow",
    colab=False,
    checked_on="tensorflow",
):
    """The note to print where this runtime differs from the verified one in a way that can matter.

    `verified` and `here` map "Python", "TensorFlow", "Keras", "NumPy" to versions
    (None here: unknown, not compared). A different minor version of Python,
    TensorFlow or Keras, a different major of NumPy, or a backend other than the one
    the notebook was checked on (`checked_on`: TensorFlow, or the one its page names)
    can change the numbers a page prints. Returns None where none differs.
    """
    import re

    def head(name, version):  # what must agree: NumPy's major, the others' major.minor
        return re.findall(r"[0-9]+", version)[: 1 if name == "NumPy" else 2]

    names = {"tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch"}
    other = backend != checked_on
    differ = [
        name
        for name, version in verified.items()
        if here.get(name) and head(name, here[name]) != head(name, version)
        if not (backend != "tensorflow" and name == "TensorFlow")  # not what Keras runs on here
    ]
    if not differ and not other:
        return None
    got, fixes = [f"{name} {here[name]}" for name in differ], []
    if other:
        got.insert(0, f"Keras runs on {names.get(backend, backend)}")
        fixes.append(f'choose backend "{checked_on}" in this cell')
    if colab and differ:  # a runtime of other versions: Colab starts it anew
        runtime = (
            '"Runtime version": one with the versions above (github.com/googlecolab/backend-info)'
        )
        fixes.insert(0, f"Runtime > Change runtime type > {runtime}")
    elif differ:
        new_python = "Python" in differ  # a new environment: pin all three there
        pins = [
            f"{tf_wheel if name == 'TensorFlow' else name.lower()}=={version}"
            for name, version in verified.items()
            if name != "Python" and (new_python or name in differ)
        ]
        where = f" in a Python {verified['Python']} environment" if new_python else ""
        fixes.append(f"pip install {' '.join(pins)}{where}")
    if other or (differ and not colab):  # Keras and its backend load once per process
        fixes[-1] += ", then " + ("Runtime > Restart session" if colab else "restart the kernel")
    checked = ", ".join(
        f"{name} {version}"
        for name, version in verified.items()
        if checked_on == "tensorflow" or name != "TensorFlow"  # a JAX page: not TensorFlow's
    ) + ("" if checked_on == "tensorflow" else f", Keras on {names.get(checked_on, checked_on)}")
    return (
        f"Note: this notebook was checked on Google Colab's runtime ({checked}); here "
        f"{', '.join(got)}. Your numbers may differ slightly from that check's, and from the "
        "pages' numbers marked † (those of the site's build, named at the top), and runs may be "
        f"faster or slower. To run it as checked: {'; '.join(fixes)}."
    )


def setup_course(spec, backend="tensorflow", allow_changes=False, checked_on="tensorflow"):
    """Install what the course needs and this Python lacks; change nothing you have unasked.

    `spec` is where pip gets the course package: its repository, or a folder.
    `backend` is the cell's form field (it has set KERAS_BACKEND unless "tensorflow");
    `checked_on` the backend the notebook was checked on (its page's, the field's default).
    """
    import importlib.util
    import json
    import os
    import platform
    import re
    import socket
    import subprocess
    import sys
    import tempfile
    from importlib import metadata
    from pathlib import Path

    def pip(*args):
        command = [sys.executable, "-m", "pip", *args]
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}  # git fails at once, never asks
        return subprocess.run(command, capture_output=True, text=True, check=False, env=env)

    def why(failed):
        """What a failed pip run means: no network, no such repository, or pip's own words."""
        said = failed.stdout + failed.stderr
        host = re.match(r"git\+https?://([^/:@]+)", spec)
        repo = re.sub(r"^git\+|@[^/]*$", "", spec)
        missing = (
            f"the repository {repo} does not exist or is private (course maintainers: "
            "check repository: url in _config.yml)"
        )
        if host and re.search(r"(?i)repository .*not found|read username|prompts disabled", said):
            return missing  # git reached the host, which knows no such public repository
        try:  # can this machine reach the internet? (the repository's host, or PyPI)
            socket.create_connection((host[1] if host else "pypi.org", 443), timeout=5).close()
        except OSError:
            return "there is no internet connection: connect, then run this cell again"
        if host and "git clone" in said and re.search(r"(code|status):? 128", said):
            return missing
        return f"pip says:\n{said[-2000:]}"

    def installed(module):
        """(package, version) of what provides `module`: None if absent, version None if unknown."""
        if importlib.util.find_spec(module) is None:
            return None
        package = providers.get(module, [module])[0]
        try:
            return package, metadata.version(package)
        except metadata.PackageNotFoundError:  # built from source, no metadata
            return package, None

    def found(module, lowest):
        """'package version' of what provides `module` here, if at least `lowest`."""
        have = installed(module)
        if have is None:
            return None
        package, version = have
        if version is None:  # built from source, no metadata: trust it
            return module
        release = [int(n) for n in re.match(r"[0-9.]*[0-9]", version).group().split(".")]
        return f"{package} {version}" if release >= [int(n) for n in lowest.split(".")] else None

    # What is missing, as pip requirements. Any Keras backend will do; with none at all,
    # TensorFlow, unless another was chosen (then check_backend below names its command).
    providers = metadata.packages_distributions()  # module -> the packages that install it
    want = [] if importlib.util.find_spec("dnncourse") else [spec]
    want += [f"{name}>={low}" for name, low in COURSE_NEEDS.items() if not found(name, low)]
    chosen = os.environ.get("KERAS_BACKEND") or "tensorflow"
    if chosen == "tensorflow" and not any(found(m, low) for m, low in KERAS_BACKENDS.items()):
        cpu_wheel = sys.platform in ("linux", "win32") and platform.machine() in ("x86_64", "AMD64")
        want.append(f"tensorflow{'-cpu' if cpu_wheel else ''}>={KERAS_BACKENDS['tensorflow']}")

    if want == [spec]:  # all the course needs is here (Colab): add the course package alone
        want = ["--no-deps", spec]
    elif want:  # ask pip what it would do before it does it
        with tempfile.TemporaryDirectory() as folder:  # a file: stdout may carry colour codes
            report = Path(folder, "plan.json")
            plan = pip("install", "--dry-run", "--quiet", "--report", str(report), *want)
            if plan.returncode:
                raise RuntimeError(f"pip cannot install {' '.join(want)}: {why(plan)}")
            install = json.loads(report.read_text(encoding="utf-8"))["install"]
        added, changed = [], []
        for item in install:
            name, new = item["metadata"]["name"], item["metadata"]["version"]
            try:
                changed.append(f"{name} {metadata.version(name)} -> {new}")
            except metadata.PackageNotFoundError:
                added.append(f"{name} {new}")
        missing = ["dnncourse" if w == spec else w for w in want]
        print(f"Missing here: {', '.join(missing)}.\npip will add: {', '.join(added)}.")
        if changed:
            print(f"and change packages you have: {', '.join(changed)}.")
            if not allow_changes:
                raise RuntimeError(
                    "Nothing was installed, so your other packages keep working. Installing "
                    "would change the packages listed above. Either tick allow_changes in this "
                    "cell (Jupyter: set allow_changes = True at its top) and run it again, or "
                    "install the course in a new environment: python -m venv dnn-course, then "
                    f'in it: pip install jupyterlab "dnncourse[tensorflow-cpu] @ {spec}"'
                )
    if want:
        names = ["dnncourse" if w == spec else w for w in want if w != "--no-deps"]
        print(f"Installing {', '.join(names)} ...")
        done = pip("install", "--quiet", *want)
        if done.returncode:
            raise RuntimeError(
                f"The course package could not be installed (pip install {' '.join(want)} "
                f"failed): {why(done)}"
            )
        importlib.invalidate_caches()
        providers = metadata.packages_distributions()

    from dnncourse.backend import BACKEND_MODULES, check_backend, configured_backend

    used = check_backend()  # one clear error if Keras cannot load its backend
    keras = sys.modules.get("keras")
    if keras is not None and keras.backend.backend() != used:
        raise RuntimeError(
            f"Keras was imported already, with the {keras.backend.backend()!r} backend: it reads "
            f"KERAS_BACKEND (now {used!r}) only then. Restart the runtime (Colab: Runtime > "
            "Restart session; Jupyter: Kernel > Restart), then run this cell first."
        )
    using = [found(name, low) for name, low in COURSE_NEEDS.items()]
    using.append(found(BACKEND_MODULES.get(used, used), "0"))
    source = "" if used == backend else f" (set by {configured_backend()[1]})"
    print(f"Ready: the Keras {used} backend{source}, with {', '.join(u for u in using if u)}.")

    # Versions unlike those the notebook was checked on: one note, no error.
    here = {"Python": platform.python_version()}
    for name in ("Keras", "NumPy"):
        here[name] = (installed(name.lower()) or (name, None))[1]
    tf_package, here["TensorFlow"] = installed("tensorflow") or ("tensorflow", None)
    tf_wheel = "tensorflow-cpu" if "cpu" in tf_package else "tensorflow"  # pip's name for it here
    colab = "google.colab" in sys.modules
    note = version_drift(VERIFIED, here, used, tf_wheel, colab=colab, checked_on=checked_on)
    if note:
        print(note)


# The cell as the notebooks carry it; {functions} are version_drift's and setup_course's source.
TEMPLATE = """\
# @title Setup: install the course package (double-click to see the code) { display-mode: "form" }
# Installs the course package `dnncourse` when it is missing (Colab, your own Jupyter).
# It looks before it installs: a plain `pip install` can add a second TensorFlow beside
# yours and upgrade NumPy or Keras under your other packages. What is here in a version
# the course can use is kept; what pip would add is listed first, and it changes a
# package you have only if you tick allow_changes. Then it says if your versions differ
# from those the notebook was checked on.
import os

# Keras reads KERAS_BACKEND once, at its first import: so this comes first (to switch later,
# restart the runtime). Left at "tensorflow", it keeps a KERAS_BACKEND you set yourself.
backend = "{backend}"  # @param ["tensorflow", "jax", "torch"]
if backend != "tensorflow":
    os.environ["KERAS_BACKEND"] = backend
allow_changes = False  # @param {type:"boolean"}

# The lowest versions the course runs on (its pyproject.toml), and the Keras backends.
COURSE_NEEDS = {needs}
KERAS_BACKENDS = {backends}
# The versions the notebook was checked on: Google Colab's runtime (tools/colab-constraints.txt).
VERIFIED = {verified}


{functions}


setup_course(os.environ.get("{env}") or "{spec}", backend, allow_changes, "{backend}")"""


def _literal(floors):
    """``{"keras": "3.0", ...}``: a dict literal as ruff would format it."""
    return "{" + ", ".join(f'"{name}": "{low}"' for name, low in floors.items()) + "}"


def setup_cell_source(url, ref, backend="tensorflow"):
    """The setup cell's code, installing from ``git+{url}@{ref}`` (``$DNNCOURSE_INSTALL_SPEC`` wins).

    ``backend`` is the form field's default: a page that runs on one backend only (its
    front matter's ``dnncourse: backend:``) starts the learner there.
    """
    functions = "\n\n\n".join(inspect.getsource(f).rstrip() for f in (version_drift, setup_course))
    fields = {  # the functions last: their own braces are never placeholders
        "{needs}": _literal(COURSE_NEEDS),
        "{backends}": _literal(KERAS_BACKENDS),
        "{verified}": _literal(VERIFIED),
        "{backend}": backend,
        "{env}": INSTALL_ENV,
        "{spec}": f"git+{url}@{ref}",
        "{functions}": functions,
    }
    text = TEMPLATE
    for key, value in fields.items():
        text = text.replace(key, value)
    return text
