"""Installing the course never changes the learner's environment (nox -s installs, weekly).

Builds, in new virtual environments, what a learner may already have: TensorFlow's
CPU wheel at the lowest versions the course declares, the full ``tensorflow`` wheel,
JAX alone, and a bare Python with only Jupyter's kernel. In each, a generated
notebook runs in a kernel of that environment (its setup cell installs the course
package from this checkout), then the README's command installs the package again;
``pip freeze`` must be what it was but for ``dnncourse`` (the bare Python may only
gain packages, never lose or change one). The freezes before and after, what the
setup cell printed and the times go to the report named by ``$DNNCOURSE_INSTALLS_REPORT``.

Skipped unless ``$DNNCOURSE_INSTALLS`` names a folder for the environments: the
installs download about 1.5 GB and take minutes. ``nox -s installs`` sets both.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

HOME = os.environ.get("DNNCOURSE_INSTALLS")
if not HOME:
    pytest.skip(
        "builds TensorFlow environments (minutes): run nox -s installs", allow_module_level=True
    )

import nbformat  # only the installs session has nbformat and nbclient
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
BOOK = REPO / "book"
# A light page that runs on any backend; a path to an .ipynb (e.g. one generated into /tmp
# before the committed notebooks are regenerated) may stand in for it.
NOTEBOOK = os.environ.get("DNNCOURSE_INSTALLS_NOTEBOOK", "dnn")
REPORT = os.environ.get("DNNCOURSE_INSTALLS_REPORT")

# name: (Python, what the learner installed, environment of their kernel)
ENVIRONMENTS = {
    # The first releases that pyproject.toml's lower bounds allow, on its lowest Python
    # (TensorFlow 2.16's first release is 2.16.1; it needs numpy < 2).
    "lowest": (
        "3.10",
        ["tensorflow-cpu==2.16.1", "keras==3.7.0", "numpy==1.24.0", "matplotlib==3.7.0"],
        {},
    ),
    # The full TensorFlow wheel (as in Colab), the newest releases.
    "tensorflow": ("3.11", ["tensorflow", "matplotlib"], {}),
    # JAX as Keras' backend, no TensorFlow at all.
    "jax": ("3.11", ["jax[cpu]", "keras", "matplotlib"], {"KERAS_BACKEND": "jax"}),
    # Nothing but Jupyter's kernel: the setup cell adds keras, a backend, numpy, matplotlib.
    "bare": ("3.11", [], {}),
}


def find_python(version):
    """Python ``version`` from pyenv (this machine) or on PATH (CI's setup-python)."""
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    found = sorted((root / "versions").glob(f"{version}.*/bin/python{version}"))
    path = str(found[-1]) if found else shutil.which(f"python{version}")
    if not path:
        pytest.fail(f"needs Python {version} (pyenv, or python{version} on PATH)")
    return path


def pip(python, *args):
    done = subprocess.run([python, "-m", "pip", *args], capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"pip {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def freeze(python):
    """``{name: version line}`` of ``pip freeze`` (names normalised)."""
    lines = pip(python, "freeze", "--all").splitlines()
    return {line.split("=")[0].split(" @ ")[0].lower().replace("_", "-"): line for line in lines}


def changes(before, after):
    """What pip changed: ``{"added": [...], "removed": [...], "changed": [...]}``."""
    return {
        "added": sorted(after[n] for n in after.keys() - before.keys()),
        "removed": sorted(before[n] for n in before.keys() - after.keys()),
        "changed": sorted(
            f"{before[n]} -> {after[n]}"
            for n in before.keys() & after.keys()
            if before[n] != after[n]
        ),
    }


def kernel_spec(folder, name, python, env):
    """A Jupyter kernel of ``python``, outside its environment (nothing installed into it)."""
    spec = folder / "share" / "jupyter" / "kernels" / name
    spec.mkdir(parents=True, exist_ok=True)
    argv = [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": name, "language": "python", "env": env})
    )
    return folder / "share" / "jupyter"


def run_notebook(kernel, jupyter_path):
    """Run the generated notebook top to bottom in ``kernel``; the setup cell's output."""
    os.environ["JUPYTER_PATH"] = str(jupyter_path)
    path = Path(NOTEBOOK) if NOTEBOOK.endswith(".ipynb") else BOOK / f"{NOTEBOOK}.ipynb"
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=900, kernel_name=kernel, resources={"metadata": {"path": str(BOOK)}}
    )
    client.execute()
    setup = next(c for c in nb.cells if "colab-setup" in c.metadata.get("tags", []))
    return "".join(o.get("text", "") for o in setup.outputs if o.get("output_type") == "stream")


def report(name, lines):
    if REPORT:
        with open(REPORT, "a", encoding="utf-8") as f:
            f.write("\n".join([f"## {name}", "", *lines, "", ""]))


def test_the_lowest_environment_pins_the_declared_lower_bounds():
    from setup_cell import declared

    needs, backends = declared()
    floors = {**needs, "tensorflow-cpu": backends["tensorflow"]}
    pins = dict(p.split("==") for p in ENVIRONMENTS["lowest"][1])
    assert pins.keys() == floors.keys()
    for name, pin in pins.items():
        assert pin.startswith(floors[name] + "."), (
            f"pyproject.toml says {name}>={floors[name]}: pin its first release in 'lowest'"
        )


@pytest.mark.parametrize("name", ENVIRONMENTS)
def test_the_setup_cell_and_the_package_install_keep_the_environment(name):
    version, packages, env = ENVIRONMENTS[name]
    start = time.perf_counter()
    home = Path(HOME) / name
    shutil.rmtree(home, ignore_errors=True)
    venv = home / "venv"
    subprocess.run([find_python(version), "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    pip(python, "install", "--quiet", *packages, "ipykernel")
    built = time.perf_counter() - start
    before = freeze(python)
    assert "dnncourse" not in before

    # 1. A notebook, alone in a kernel of that environment: its setup cell installs the course.
    kernel_env = {"DNNCOURSE_INSTALL_SPEC": str(REPO), "IPYTHONDIR": str(home / "ipython"), **env}
    t0 = time.perf_counter()
    printed = run_notebook(
        f"dnn-{name}", kernel_spec(home / "kernels", f"dnn-{name}", python, kernel_env)
    )
    ran = time.perf_counter() - t0
    after_cell = freeze(python)
    by_cell = changes(before, after_cell)

    # 2. The README's command for an environment that has a backend: pip install <checkout>.
    pip(python, "uninstall", "--yes", "--quiet", "dnncourse")
    pip(python, "install", "--quiet", str(REPO))
    after_pip = freeze(python)
    by_pip = changes(before, after_pip)

    report(name, [
        (
            f"Python {version}; the learner installed: {' '.join(packages) or '(nothing)'} "
            f"ipykernel ({built:.0f} s); kernel environment {env or '{}'}."
        ),
        f"Notebook {Path(NOTEBOOK).stem}.ipynb ran in {ran:.0f} s. Its setup cell printed:",
        "", "```", printed.strip(), "```", "",
        f"pip freeze before ({len(before)} packages):", "", "```", *before.values(), "```", "",
        f"After the setup cell, pip freeze changed by: {json.dumps(by_cell)}",
        f"After `pip uninstall dnncourse` and `pip install <checkout>`: {json.dumps(by_pip)}",
        "", f"pip freeze after ({len(after_pip)} packages):", "", "```", *after_pip.values(), "```",
        "", f"Wall time {time.perf_counter() - start:.0f} s.",
    ])  # fmt: skip
    added = sorted(line.split("==")[0].split(" @ ")[0].lower() for line in by_cell["added"])
    if name == "bare":  # only additions: the course package, Keras, a backend, their needs
        assert {"dnncourse", "keras", "numpy", "matplotlib"} <= set(added), by_cell
    else:
        assert added == ["dnncourse"], by_cell
    assert by_cell["removed"] == [] and by_cell["changed"] == [], by_cell
    assert by_pip == by_cell, "pip install <checkout> changes what the setup cell did not"
    assert "Ready: the Keras" in printed, printed
