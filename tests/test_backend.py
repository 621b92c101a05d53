"""The package depends on Keras and no particular backend; a missing backend is one clear error."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from conftest import REPO

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10 (nox -s minimum)
    import tomli as tomllib

from dnncourse import backend

PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
BACKEND_PACKAGES = {"tensorflow", "tensorflow-cpu", "tensorflow-macos", "jax", "jaxlib", "torch"}


def _name(requirement):
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower()


def test_no_backend_is_a_hard_dependency():
    """pip counts only the `tensorflow` distribution as tensorflow: any backend here would
    install a second one beside tensorflow-cpu, JAX or PyTorch."""
    names = {_name(r) for r in PROJECT["dependencies"]}
    assert not names & BACKEND_PACKAGES


def _third_party_imports():
    """Top-level names the package imports (anywhere: module level or in functions)."""
    import ast

    found = set()
    for path in (REPO / "code" / "dnncourse").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # an import under `try: ... except ImportError` is optional (myst_nb: the build only)
        optional = {
            id(n)
            for t in ast.walk(tree)
            if isinstance(t, ast.Try)
            and any("ImportError" in ast.unparse(h.type or ast.Name("")) for h in t.handlers)
            for stmt in t.body
            for n in ast.walk(stmt)
        }
        for node in ast.walk(tree):
            if id(node) in optional:
                continue
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"dnncourse", "__future__"}


def test_the_dependencies_are_what_the_package_imports():
    """Each runtime dependency is imported by the package, and each library it imports
    is a dependency, except the backends, which it imports only where one is needed."""
    declared = {_name(r) for r in PROJECT["dependencies"]}
    # IPython is the notebook kernel's own: only the display helpers import it, in a kernel
    imported = _third_party_imports() - {"tensorflow", "jax", "torch", "IPython"}
    assert imported == declared, (
        f"expected the package to import exactly its dependencies {sorted(declared)}, "
        f"got {sorted(imported)}: declare a new library in pyproject.toml, or drop an unused one"
    )


def test_each_backend_extra_installs_one_backend_and_the_hint_names_them():
    extras = PROJECT["optional-dependencies"]
    for extra, requirements in extras.items():
        names = [_name(r) for r in requirements]
        assert names == [extra] and extra in BACKEND_PACKAGES, (
            f"expected the extra {extra!r} to install the one backend it is named after, got {names}"
        )
    # The error names the backends themselves: dnncourse is installed already, and it is
    # not on PyPI (`pip install "dnncourse[...]"` would fail, or find someone else's).
    for hint in (
        "pip install tensorflow-cpu ",
        "pip install tensorflow ",
        'pip install "jax[cpu]"',
    ):
        assert hint in backend.INSTALL_HINT
    assert "dnncourse[" not in backend.INSTALL_HINT


@pytest.fixture
def keras_home(tmp_path, monkeypatch):
    """An empty KERAS_HOME and no KERAS_BACKEND: Keras' own default applies."""
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    return tmp_path


def test_configured_backend_is_read_as_keras_reads_it(keras_home, monkeypatch):
    assert backend.configured_backend() == ("tensorflow", "Keras' default")
    (keras_home / "keras.json").write_text(json.dumps({"backend": "torch"}))
    assert backend.configured_backend() == ("torch", str(keras_home / "keras.json"))
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    assert backend.configured_backend()[0] == "jax"


def hide(monkeypatch, *modules):
    """Make ``modules`` look uninstalled to dnncourse.backend."""
    real = backend._importable
    monkeypatch.setattr(backend, "_importable", lambda m: m not in modules and real(m))


def test_no_backend_installed_names_the_install_commands(keras_home, monkeypatch):
    hide(monkeypatch, "tensorflow", "jax", "torch")
    with pytest.raises(backend.MissingBackendError) as caught:
        backend.check_backend()
    message = str(caught.value)
    assert "'tensorflow' backend (Keras' default)" in message
    assert sys.executable in message, "names the Python that lacks it"
    assert "pip install tensorflow-cpu (Linux and Windows)" in message
    assert "restart the kernel" in message and "%pip" in message
    assert isinstance(caught.value, ImportError), "code that catches ImportError still does"


def test_another_installed_backend_is_offered_with_how_to_switch(keras_home, monkeypatch):
    hide(monkeypatch, "tensorflow", "torch")
    monkeypatch.setattr(backend, "installed_backends", lambda: ["jax"])  # a JAX-only machine
    with pytest.raises(backend.MissingBackendError, match=r"'jax' is installed") as caught:
        backend.check_backend()
    assert 'os.environ["KERAS_BACKEND"] = "jax"' in str(caught.value)


def test_missing_keras_names_the_install_command(monkeypatch):
    hide(monkeypatch, "keras")
    with pytest.raises(backend.MissingBackendError, match=r"Keras is not installed") as caught:
        backend.check_backend()
    assert "pip install keras, then pip install tensorflow-cpu" in str(caught.value)


def test_tensorflow_only_helpers_name_themselves_when_tensorflow_is_missing(monkeypatch):
    hide(monkeypatch, "tensorflow")
    with pytest.raises(backend.MissingBackendError) as caught:
        backend.import_tensorflow("dnncourse.training.as_dataset")
    message = str(caught.value)
    assert message.startswith("dnncourse.training.as_dataset uses TensorFlow itself")
    assert "pip install tensorflow-cpu" in message


def test_installed_backend_passes_the_check():
    assert backend.check_backend() == backend.configured_backend()[0]


# The real thing, in a fresh Python: Keras set to a backend that is not installed here.
# (The test environment has TensorFlow and no JAX.) Without the helper, `import keras`
# fails with a bare "No module named 'jax'".
IMPORT = """
import sys
try:
    {statement}
except ImportError as err:
    print(type(err).__name__, err, sep=": ")
    sys.exit(0)
print("imported")
"""


def run_python(code, **env):
    import os

    child_env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", **env}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=child_env, check=True
    )
    return done.stdout.strip()


@pytest.mark.skipif(backend._importable("jax"), reason="needs a Python without JAX")
def test_keras_set_to_a_missing_backend_gets_the_clear_error_in_a_fresh_python():
    bare = run_python(IMPORT.format(statement="import keras"), KERAS_BACKEND="jax")
    assert bare == "ModuleNotFoundError: No module named 'jax'", "the error this module improves"
    helper = "from dnncourse.backend import import_keras; import_keras()"
    out = run_python(IMPORT.format(statement=helper), KERAS_BACKEND="jax")
    assert out.startswith("MissingBackendError: Keras is set to use the 'jax' backend"), out
    assert "(the KERAS_BACKEND environment variable)" in out
    if backend._importable("tensorflow"):  # the weekly backends sessions have no TensorFlow
        assert "'tensorflow' is installed: to use it, set KERAS_BACKEND=tensorflow" in out
    assert 'pip install "jax[cpu]"' in out


def test_the_package_functions_import_keras_through_the_helper():
    """Every `import keras` in the modules this rule covers goes through import_keras()."""
    plain = []
    for path in [
        REPO / "code/dnncourse/training.py",
        REPO / "code/dnncourse/data/mnist.py",
        REPO / "code/dnncourse/stamp.py",
        REPO / "code/dnncourse/autodiff.py",
        *sorted((REPO / "code/dnncourse/theory").glob("*.py")),
    ]:
        for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.fullmatch(r"\s+(import keras|import tensorflow as tf)\b.*", line):
                plain.append(f"{path.relative_to(REPO)}:{k}")
    # keras_activation and value_and_gradients are printed on the activations page
    # (inspect.getsource): plain imports. value_and_gradients imports TensorFlow only on
    # the TensorFlow backend, after import_keras() found it.
    printed = ("code/dnncourse/theory/activations.py", "code/dnncourse/autodiff.py")
    shown = [p for p in plain if p.startswith(printed)]
    assert len(shown) == 3 and len(plain) == 3, plain
