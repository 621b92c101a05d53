"""The notebooks' setup cell installs only what is missing, and says so before it changes anything.

Runs the cell's generated code (tools/setup_cell.py) with pip replaced by a fake that
records its calls, and the network probe by a fake that is on- or offline; modules are
hidden to play the environments a learner may have. Also: the cell's backend field,
and its note where the versions differ from those the notebooks were verified on.
tests/test_installs.py (nox -s installs) runs it for real in such environments.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import platform
import re
import socket
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import setup_cell

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10 (nox -s minimum)
    import tomli as tomllib
import yaml
from conftest import REPO

CONFIG = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))["repository"]
URL, REF = CONFIG["url"].rstrip("/"), CONFIG.get("install_ref") or CONFIG.get("branch", "main")
SPEC = f"git+{URL}@{REF}"
SOURCE = setup_cell.setup_cell_source(URL, REF)
TF = setup_cell.KERAS_BACKENDS["tensorflow"]  # the lowest TensorFlow the course accepts
VERIFIED = setup_cell.VERIFIED  # Colab's runtime, pinned: what the notebooks are verified on
# The cell's default backend is TensorFlow, and the fake pip only unhides what is installed:
# these tests play learners whose Python has (or gets) TensorFlow, so this one must have it.
DEFAULT_BACKEND = pytest.mark.tensorflow(
    reason="the setup cell's default backend; the fake pip can only unhide a real TensorFlow"
)


class Learner:
    """This Python as a learner's: ``hidden`` modules are not installed until pip adds them.

    ``pretend`` modules are importable without package metadata, as a backend built
    from source is.
    """

    def __init__(
        self, monkeypatch, hidden=(), plan=(), dry_run_fails=False, pretend=(), fails=None,
        online=True,
    ):  # fmt: skip
        """``fails``: pip's stderr for a failing install (or dry run); ``online``: the probe's answer."""
        self.hidden, self.calls, self.envs, self.probed = set(hidden), [], [], []
        self.plan, self.dry_run_fails, self.fails = list(plan), dry_run_fails, fails
        real_spec, real_version = importlib.util.find_spec, importlib.metadata.version

        def find_spec(name, *args):
            if name in pretend:
                return real_spec("json")
            return None if name.split(".")[0] in self.hidden else real_spec(name, *args)

        def version(name):
            if name.replace("_", "-").lower() in self.hidden:
                raise importlib.metadata.PackageNotFoundError(name)
            return real_version(name)

        def create_connection(address, timeout=None):
            self.probed.append(address)
            if not online:
                raise socket.gaierror(-3, "Temporary failure in name resolution")
            return SimpleNamespace(close=lambda: None)

        monkeypatch.setattr(importlib.util, "find_spec", find_spec)
        monkeypatch.setattr(importlib.metadata, "version", version)
        monkeypatch.setattr(subprocess, "run", self.run)
        monkeypatch.setattr(socket, "create_connection", create_connection)
        monkeypatch.delenv(setup_cell.INSTALL_ENV, raising=False)
        monkeypatch.delenv("KERAS_BACKEND", raising=False)  # undone after the test, as set there
        monkeypatch.delitem(sys.modules, "keras", raising=False)  # a fresh kernel: not imported yet
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)

    def run(self, command, **kwargs):
        assert command[:3] == [sys.executable, "-m", "pip"], command
        args = command[3:]
        self.calls.append(args)
        self.envs.append(kwargs.get("env") or {})
        if self.fails is not None and ("--dry-run" in args) == self.dry_run_fails:
            return subprocess.CompletedProcess(command, 1, "", self.fails)
        if "--dry-run" in args:
            report = {"version": "1", "install": [
                {"metadata": {"name": name, "version": version}} for name, version in self.plan
            ]}  # fmt: skip
            path = Path(args[args.index("--report") + 1])
            args[args.index("--report") + 1] = "PLAN.json"  # a temporary file: compare its role
            if self.dry_run_fails:
                err = "ERROR: No matching distribution found"
                return subprocess.CompletedProcess(command, 1, "", err)
            path.write_text(json.dumps(report), encoding="utf-8")
            # pip colours stdout where FORCE_COLOR is set (nox does): the plan is read from the file
            return subprocess.CompletedProcess(command, 0, "\x1b[1m{\x1b[0m", "")
        self.hidden.clear()  # installed: now importable
        return subprocess.CompletedProcess(command, 0, "", "")


def run_cell(source=SOURCE, allow_changes=False, backend=None, verified=None):
    """Run the cell as a learner would, after ticking or choosing in its form."""
    if allow_changes:  # what ticking the form's checkbox does
        source = source.replace("allow_changes = False", "allow_changes = True", 1)
    if backend:  # what choosing in the form's dropdown does
        source = source.replace('backend = "tensorflow"', f'backend = "{backend}"', 1)
    if verified:  # the cell of notebooks verified on other versions
        literal = f"VERIFIED = {json.dumps(VERIFIED)}"
        assert literal in source
        source = source.replace(literal, f"VERIFIED = {json.dumps(verified)}", 1)
    exec(compile(source, "<setup cell>", "exec"), {})  # noqa: S102 (the notebook's own cell)


def test_the_cell_is_a_colab_form_with_the_declared_floors():
    assert SOURCE.startswith("# @title Setup: install the course package")
    assert 'allow_changes = False  # @param {type:"boolean"}' in SOURCE
    needs, backends = setup_cell.declared()
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert [f"{name}>={low}" for name, low in needs.items()] == [
        r.split(";")[0].split("#")[0].strip() for r in project["dependencies"]
    ]
    assert f"tensorflow>={backends['tensorflow']}" in project["optional-dependencies"]["tensorflow"]
    assert f"COURSE_NEEDS = {json.dumps(needs)}" in SOURCE
    assert f'os.environ.get("DNNCOURSE_INSTALL_SPEC") or "{SPEC}"' in SOURCE
    assert "%pip" not in SOURCE and "!pip" not in SOURCE, "plain Python: it runs anywhere"


def test_the_backend_field_sets_keras_backend_before_anything_can_import_keras():
    field = 'backend = "tensorflow"  # @param ["tensorflow", "jax", "torch"]'
    assert field in SOURCE
    lines = SOURCE.splitlines()
    sets = lines.index('    os.environ["KERAS_BACKEND"] = backend')
    assert lines[sets - 1] == 'if backend != "tensorflow":'
    assert "at its first import" in lines[lines.index(field) - 2], "the comment says why first"
    first_code = next(k for k, line in enumerate(lines) if line and not line.startswith("#"))
    assert lines[first_code] == "import os", "nothing before it can import Keras"
    assert sets < next(k for k, line in enumerate(lines) if line.startswith("def "))
    assert not re.search(r"^\s*(import|from) keras", SOURCE, re.MULTILINE), "the cell never does"


def test_a_page_that_names_its_backend_starts_its_notebook_there():
    """The distribution page runs on JAX only: its notebook's field starts there, the others'
    at TensorFlow; and the page itself sets KERAS_BACKEND and JAX's devices before any import."""
    import nbformat

    def field(page):
        setup = nbformat.read(REPO / "book" / f"{page}.ipynb", as_version=4).cells[1]
        assert "colab-setup" in setup.metadata["tags"]
        return re.search(r'^backend = "(\w+)"  # @param', setup.source, re.MULTILINE).group(1)

    assert field("distribution") == "jax"
    assert field("scaling") == field("iris") == "tensorflow"
    first = next(
        c.source for c in nbformat.read(REPO / "book" / "distribution.ipynb", as_version=4).cells[2:]
        if c.cell_type == "code"
    )  # fmt: skip
    lines = first.splitlines()
    sets = [k for k, line in enumerate(lines) if line.startswith("os.environ[")]
    imports = [
        k for k, line in enumerate(lines) if re.match(r"(import|from) (keras|jax|dnncourse)", line)
    ]
    assert len(sets) == 2 and imports and max(sets) < min(imports), first


def test_the_verified_versions_are_colabs_pins():
    text = (REPO / "tools" / "colab-constraints.txt").read_text(encoding="utf-8")
    pins = dict(line.split("==") for line in text.splitlines() if "==" in line and line[0] != "#")
    packages = {"TensorFlow": pins["tensorflow"], "Keras": pins["keras"], "NumPy": pins["numpy"]}
    assert {"Python": VERIFIED["Python"], **packages} == VERIFIED
    assert re.fullmatch(r"3\.[0-9]+", VERIFIED["Python"])
    assert f"Python {VERIFIED['Python']}" in text
    python = VERIFIED["Python"]  # the Python `nox -s colab` runs the notebooks with
    assert f'glob("{python}*/bin/python{python}")' in (REPO / "noxfile.py").read_text("utf-8")
    assert f"VERIFIED = {json.dumps(VERIFIED)}" in SOURCE, "baked into the cell as a literal"


@DEFAULT_BACKEND
def test_nothing_missing_installs_nothing(monkeypatch, capsys):
    learner = Learner(monkeypatch)
    run_cell()
    assert learner.calls == []
    out = capsys.readouterr().out
    assert out.startswith("Ready: the Keras tensorflow backend, with keras "), out


@DEFAULT_BACKEND
def test_course_package_alone_missing_is_installed_without_dependencies(monkeypatch, capsys):
    """Colab, and every machine with Keras, NumPy, Matplotlib and a backend: no pip plan needed."""
    learner = Learner(monkeypatch, hidden={"dnncourse"})
    run_cell()
    assert learner.calls == [["install", "--quiet", "--no-deps", SPEC]]
    assert not any(flag in " ".join(learner.calls[0]) for flag in ("-U", "--upgrade", "--force"))
    assert "Ready:" in capsys.readouterr().out


@DEFAULT_BACKEND
def test_the_spec_comes_from_the_environment_when_set(monkeypatch):
    learner = Learner(monkeypatch, hidden={"dnncourse"})
    monkeypatch.setenv(setup_cell.INSTALL_ENV, "/checkout")
    run_cell()
    assert learner.calls == [["install", "--quiet", "--no-deps", "/checkout"]]


@pytest.mark.parametrize(
    "present", [pytest.param("tensorflow", marks=DEFAULT_BACKEND), "jax", "torch"]
)
def test_any_installed_backend_is_kept(monkeypatch, capsys, present):
    """tensorflow-cpu (this test Python's), JAX or PyTorch: none gets a second TensorFlow."""
    others = {"tensorflow", "jax", "torch"} - {present}
    learner = Learner(
        monkeypatch, hidden={"dnncourse", *others}, pretend={present} - {"tensorflow"}
    )
    monkeypatch.setenv("KERAS_BACKEND", present)
    run_cell()
    assert learner.calls == [["install", "--quiet", "--no-deps", SPEC]], "no backend added"
    assert f"Ready: the Keras {present} backend" in capsys.readouterr().out


@DEFAULT_BACKEND
def test_no_backend_plans_first_then_adds_one_and_says_what(monkeypatch, capsys):
    plan = [("dnncourse", "0.1.0"), ("tensorflow-cpu", "2.21.0"), ("absl-py", "2.3.1")]
    learner = Learner(
        monkeypatch, hidden={"dnncourse", "tensorflow", "tensorflow-cpu", "absl-py"}, plan=plan
    )
    monkeypatch.setattr(platform, "machine", lambda: "x86_64")
    monkeypatch.setattr(sys, "platform", "linux")
    run_cell()
    want = [SPEC, f"tensorflow-cpu>={TF}"]
    assert learner.calls == [
        ["install", "--dry-run", "--quiet", "--report", "PLAN.json", *want],
        ["install", "--quiet", *want],
    ]
    out = capsys.readouterr().out
    assert f"Missing here: dnncourse, tensorflow-cpu>={TF}." in out
    assert "pip will add: dnncourse 0.1.0, tensorflow-cpu 2.21.0, absl-py 2.3.1." in out
    assert "change" not in out


@DEFAULT_BACKEND
def test_where_tensorflow_cpu_has_no_wheel_the_full_tensorflow_is_chosen(monkeypatch):
    learner = Learner(monkeypatch, hidden={"dnncourse", "tensorflow"}, plan=[])
    monkeypatch.setattr(platform, "machine", lambda: "arm64")
    monkeypatch.setattr(sys, "platform", "darwin")
    run_cell()
    assert learner.calls[0][-1] == f"tensorflow>={TF}"


@DEFAULT_BACKEND
def test_a_plan_that_changes_installed_packages_stops_before_installing(monkeypatch, capsys):
    numpy = importlib.metadata.version("numpy")
    plan = [("dnncourse", "0.1.0"), ("numpy", "9.0.0"), ("tensorflow", "9.1.0")]
    learner = Learner(monkeypatch, hidden={"dnncourse", "tensorflow"}, plan=plan)
    with pytest.raises(RuntimeError, match=r"^Nothing was installed") as caught:
        run_cell()
    assert len(learner.calls) == 1 and "--dry-run" in learner.calls[0], "no install after the plan"
    out = capsys.readouterr().out
    assert f"and change packages you have: numpy {numpy} -> 9.0.0." in out
    assert "allow_changes" in str(caught.value)
    assert f'pip install jupyterlab "dnncourse[tensorflow-cpu] @ {SPEC}"' in str(caught.value)


@DEFAULT_BACKEND
def test_allow_changes_lets_the_planned_changes_through(monkeypatch):
    plan = [("dnncourse", "0.1.0"), ("numpy", "9.0.0")]
    learner = Learner(monkeypatch, hidden={"dnncourse", "tensorflow"}, plan=plan)
    run_cell(allow_changes=True)
    assert [c[:2] for c in learner.calls] == [["install", "--dry-run"], ["install", "--quiet"]]


def test_a_failed_plan_is_one_error_with_pips_reason(monkeypatch):
    Learner(monkeypatch, hidden={"dnncourse", "keras"}, dry_run_fails=True)
    with pytest.raises(RuntimeError, match=r"(?s)pip cannot install .*keras>=.*No matching"):
        run_cell()


def test_a_missing_backend_after_setup_is_the_backends_clear_error(monkeypatch, tmp_path):
    """Keras set to JAX on a machine without it: the setup cell says what to do."""
    Learner(monkeypatch)
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    if importlib.util.find_spec("jax") is not None:
        pytest.skip("needs a Python without JAX")
    with pytest.raises(ImportError, match=r"Keras is set to use the 'jax' backend"):
        run_cell()


# ------------------------------------------------------------------ the backend field


def test_choosing_jax_sets_keras_backend_and_keeps_what_is_installed(monkeypatch, capsys):
    learner = Learner(monkeypatch, hidden={"dnncourse", "tensorflow", "torch"}, pretend={"jax"})
    run_cell(backend="jax")
    assert importlib.util.find_spec("jax") is not None
    assert __import__("os").environ["KERAS_BACKEND"] == "jax"
    assert learner.calls == [["install", "--quiet", "--no-deps", SPEC]]
    out = capsys.readouterr().out
    assert "Ready: the Keras jax backend, with " in out, out
    assert "Keras runs on JAX" in out, "the note names the backend"


def test_the_default_field_keeps_a_keras_backend_set_outside_the_notebook(monkeypatch, capsys):
    Learner(monkeypatch, hidden={"tensorflow", "jax"}, pretend={"torch"})
    monkeypatch.setenv("KERAS_BACKEND", "torch")
    run_cell()
    out = capsys.readouterr().out
    assert "Ready: the Keras torch backend (set by the KERAS_BACKEND environment variable)" in out


def test_a_chosen_backend_that_is_missing_is_the_backends_clear_error(monkeypatch):
    """Nothing installs JAX unasked: the error names the command, and nothing was installed."""
    learner = Learner(monkeypatch, hidden={"jax"})
    with pytest.raises(ImportError, match=r"Keras is set to use the 'jax' backend.*jax\[cpu\]"):
        run_cell(backend="jax")
    assert learner.calls == []


def test_with_no_backend_at_all_a_chosen_jax_gets_no_tensorflow(monkeypatch):
    plan = [("dnncourse", "0.1.0")]
    hidden = {"dnncourse", "tensorflow", "tensorflow-cpu", "jax", "torch"}
    if importlib.util.find_spec("jax") is not None:  # the fake pip would unhide the real JAX
        pytest.skip("needs a Python without JAX")
    learner = Learner(monkeypatch, hidden=hidden, plan=plan)
    with pytest.raises(ImportError, match=r"'jax' backend"):
        run_cell(backend="jax")
    assert not any("tensorflow" in arg for call in learner.calls for arg in call), learner.calls


def test_a_backend_chosen_after_keras_was_imported_asks_for_a_restart(monkeypatch):
    Learner(monkeypatch, pretend={"jax"})
    keras = SimpleNamespace(  # as Keras on TensorFlow, imported by a cell before
        backend=SimpleNamespace(backend=lambda: "tensorflow"),
        __spec__=importlib.util.find_spec("keras"),
    )
    monkeypatch.setitem(sys.modules, "keras", keras)
    with pytest.raises(RuntimeError, match=r"(?s)imported already, with the 'tensorflow'.*Restart"):
        run_cell(backend="jax")


# ------------------------------------------------------------ pip fails: network or repository

NO_REPOSITORY = f"""\
fatal: could not read Username for 'https://github.com': terminal prompts disabled
error: subprocess-exited-with-error
× git clone --filter=blob:none --quiet {URL} /tmp/pip-req-build-x did not run successfully.
│ exit code: 128
"""
OFFLINE = f"""\
fatal: unable to access '{URL}/': Could not resolve host: github.com
error: subprocess-exited-with-error
× git clone --filter=blob:none --quiet {URL} /tmp/pip-req-build-x did not run successfully.
│ exit code: 128
"""


@DEFAULT_BACKEND
def test_git_never_waits_for_a_password(monkeypatch):
    learner = Learner(monkeypatch, hidden={"dnncourse"})
    run_cell()
    assert learner.envs[0]["GIT_TERMINAL_PROMPT"] == "0"


def test_a_repository_that_does_not_exist_is_named_with_where_to_fix_it(monkeypatch):
    Learner(monkeypatch, hidden={"dnncourse"}, fails=NO_REPOSITORY)
    with pytest.raises(RuntimeError) as caught:
        run_cell()
    message = str(caught.value)
    assert f"the repository {URL} does not exist or is private" in message
    assert "check repository: url in _config.yml" in message
    assert "internet" not in message


def test_git_failing_offline_says_no_internet_connection(monkeypatch):
    learner = Learner(monkeypatch, hidden={"dnncourse"}, fails=OFFLINE, online=False)
    with pytest.raises(RuntimeError, match=r"there is no internet connection") as caught:
        run_cell()
    assert "does not exist" not in str(caught.value)
    assert learner.probed == [(URL.split("/")[2], 443)], "the repository's host, port 443"


def test_an_unknown_git_failure_online_counts_as_a_missing_repository(monkeypatch):
    stderr = OFFLINE.replace("Could not resolve host: github.com", "The requested URL returned 403")
    Learner(monkeypatch, hidden={"dnncourse"}, fails=stderr)
    with pytest.raises(RuntimeError, match=r"does not exist or is private"):
        run_cell()


def test_the_plan_failing_offline_says_no_internet_connection(monkeypatch):
    err = "WARNING: Retrying ... Failed to establish a new connection\nERROR: No matching distribution"
    Learner(monkeypatch, hidden={"dnncourse", "keras"}, dry_run_fails=True, fails=err, online=False)
    with pytest.raises(
        RuntimeError, match=r"^pip cannot install .*: there is no internet connection"
    ):
        run_cell()


def test_a_folder_spec_that_fails_online_gives_pips_words(monkeypatch):
    learner = Learner(monkeypatch, hidden={"dnncourse"}, fails="ERROR: /nowhere is not a directory")
    monkeypatch.setenv(setup_cell.INSTALL_ENV, "/nowhere")
    with pytest.raises(RuntimeError, match=r"(?s)pip says:.*/nowhere is not a directory"):
        run_cell()
    assert learner.probed == [("pypi.org", 443)]


# ----------------------------------------------------------------------- version drift


def bumped(version, part):
    """``version`` with its number ``part`` (0 major, 1 minor, 2 patch) one higher."""
    numbers = [int(n) for n in re.findall(r"[0-9]+", version)[:3]] + [0, 0]
    numbers[part] += 1
    return ".".join(map(str, numbers[: max(part + 1, len(version.split(".")))]))


def test_versions_that_match_print_nothing():
    same = {
        **VERIFIED,
        "Keras": bumped(VERIFIED["Keras"], 2),
        "NumPy": bumped(VERIFIED["NumPy"], 1),
    }
    assert setup_cell.version_drift(VERIFIED, VERIFIED) is None
    assert setup_cell.version_drift(VERIFIED, same) is None, "a patch (NumPy: a minor) is alike"
    assert setup_cell.version_drift(VERIFIED, {**VERIFIED, "Python": "3.13.9"}) is None
    assert setup_cell.version_drift(VERIFIED, {**VERIFIED, "TensorFlow": None}) is None, "unknown"


def test_versions_that_differ_are_one_note_naming_them_and_the_fix():
    here = {**VERIFIED, "Keras": bumped(VERIFIED["Keras"], 1), "NumPy": "1.26.4"}
    note = setup_cell.version_drift(VERIFIED, here, tf_wheel="tensorflow-cpu")
    checked = ", ".join(f"{name} {version}" for name, version in VERIFIED.items())
    assert note.startswith(f"Note: this notebook was checked on Google Colab's runtime ({checked})")
    assert f"here Keras {here['Keras']}, NumPy 1.26.4." in note
    assert "numbers may differ" in note and "faster or slower" in note
    assert (
        f"pip install keras=={VERIFIED['Keras']} numpy=={VERIFIED['NumPy']}, then restart" in note
    )
    assert "tensorflow" not in note.split("To run it as checked:")[1], "only what differs"
    assert "\n" not in note, "one short paragraph"


def test_another_python_means_a_new_environment_with_every_pin():
    here = {**VERIFIED, "Python": "3.11.7", "TensorFlow": bumped(VERIFIED["TensorFlow"], 1)}
    note = setup_cell.version_drift(VERIFIED, here, tf_wheel="tensorflow-cpu")
    pins = f"tensorflow-cpu=={VERIFIED['TensorFlow']} keras=={VERIFIED['Keras']}"
    assert f"here Python 3.11.7, TensorFlow {here['TensorFlow']}." in note
    assert (
        f"pip install {pins} numpy=={VERIFIED['NumPy']} in a Python {VERIFIED['Python']} " in note
    )


def test_in_colab_the_fix_is_the_runtime_version():
    here = {**VERIFIED, "TensorFlow": bumped(VERIFIED["TensorFlow"], 1)}
    note = setup_cell.version_drift(VERIFIED, here, colab=True)
    assert 'To run it as checked: Runtime > Change runtime type > "Runtime version": ' in note
    assert "pip install" not in note and "restart" not in note.lower(), "a new runtime: no restart"


def test_another_backend_is_named_and_its_tensorflow_not_compared():
    here = {**VERIFIED, "TensorFlow": bumped(VERIFIED["TensorFlow"], 1)}
    note = setup_cell.version_drift(VERIFIED, here, backend="torch")
    assert "here Keras runs on PyTorch." in note
    assert (
        'To run it as checked: choose backend "tensorflow" in this cell, then restart the kernel.'
        in note
    )
    assert "pip install" not in note
    colab = setup_cell.version_drift(VERIFIED, VERIFIED, backend="jax", colab=True)
    assert "here Keras runs on JAX." in colab
    assert colab.endswith(
        'choose backend "tensorflow" in this cell, then Runtime > Restart session.'
    )


def this_runtime():
    """This Python's versions, as the cell reads them."""
    tf_package = importlib.metadata.packages_distributions()["tensorflow"][0]
    return {
        "Python": platform.python_version(),
        "TensorFlow": importlib.metadata.version(tf_package),
        "Keras": importlib.metadata.version("keras"),
        "NumPy": importlib.metadata.version("numpy"),
    }


def test_a_notebook_checked_on_jax_compares_jax_not_tensorflow():
    """The distribution page's notebook: on JAX with Colab's versions it says nothing, and it
    never tells a learner on JAX to choose TensorFlow; chosen TensorFlow, it names JAX."""
    here = {name: version for name, version in VERIFIED.items() if name != "TensorFlow"}
    assert setup_cell.version_drift(VERIFIED, here, "jax", checked_on="jax") is None
    note = setup_cell.version_drift(VERIFIED, VERIFIED, "tensorflow", checked_on="jax")
    assert 'choose backend "jax" in this cell' in note and "Keras runs on TensorFlow" in note
    assert "TensorFlow 2" not in note.split("; here")[0], "a JAX page was not checked on TensorFlow"


@DEFAULT_BACKEND
def test_the_cell_prints_one_note_where_this_runtime_differs(monkeypatch, capsys):
    here = this_runtime()
    verified = {name: bumped(v, 0 if name == "NumPy" else 1) for name, v in here.items()}
    Learner(monkeypatch)
    run_cell(verified=verified)
    out = capsys.readouterr().out
    ready, note = out.strip().split("\n")  # the note: one line, after Ready
    assert ready.startswith("Ready: the Keras tensorflow backend")
    assert note.startswith("Note: this notebook was checked on Google Colab's runtime (Python ")
    got = ", ".join(f"{name} {version}" for name, version in here.items())
    assert f"; here {got}. " in note
    assert f"in a Python {verified['Python']} environment" in note


@DEFAULT_BACKEND
def test_the_cell_is_silent_where_this_runtime_matches(monkeypatch, capsys):
    Learner(monkeypatch)
    run_cell(verified=this_runtime())
    out = capsys.readouterr().out
    assert out.startswith("Ready: ") and out.count("\n") == 1, out
