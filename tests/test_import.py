"""`import dnncourse` stays light: no TensorFlow, no Keras, in any of its modules."""

import json
import pkgutil
import subprocess
import sys

import dnncourse

MODULES = ["dnncourse"] + [m.name for m in pkgutil.walk_packages(dnncourse.__path__, "dnncourse.")]

# One fresh interpreter imports the modules one by one and records, after each, which
# TensorFlow or Keras modules have appeared: the first culprit is named.
PROBE = """
import importlib, json, sys
report = {}
for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
    heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras'))
    report[name] = heavy[:3]
    if heavy:
        break
print(json.dumps(report))
"""


def test_no_module_imports_tensorflow_or_keras():
    out = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(MODULES)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    report = json.loads(out.stdout)
    assert list(report) == MODULES, f"expected every module imported, got {list(report)}"
    culprits = {name: heavy for name, heavy in report.items() if heavy}
    assert not culprits, f"expected no tensorflow/keras at import, got {culprits}"


def test_every_module_is_walked():
    # walk_packages finds subpackages too, so a new module is covered automatically.
    assert {"dnncourse.data.iris", "dnncourse.checks.mnist", "dnncourse.theory.dnn"} <= set(MODULES)


def test_a_submodule_is_never_hidden_by_a_function():
    # `import dnncourse.diagnose as d` must give the module, not a same-name function.
    import importlib

    for name in MODULES[1:]:
        module = importlib.import_module(name)
        parent, _, child = name.rpartition(".")
        attr = getattr(importlib.import_module(parent), child)
        assert module is sys.modules[name]
        assert attr is sys.modules[name], (
            f"expected {parent}.{child} to be the module, got {attr!r}"
        )


def test_version_is_exposed():
    assert dnncourse.__version__.count(".") == 2
