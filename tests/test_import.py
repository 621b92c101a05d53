"""`import dnncourse` stays light: no TensorFlow, no Keras, in any of its modules."""

import pkgutil
import subprocess
import sys

import pytest

import dnncourse

MODULES = ["dnncourse"] + [
    m.name for m in pkgutil.walk_packages(dnncourse.__path__, "dnncourse.") if "._" not in m.name
]


@pytest.mark.parametrize("module", MODULES)
def test_importing_imports_no_tensorflow_or_keras(module):
    code = (
        f"import sys, {module}\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras'))\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"expected no tensorflow/keras modules, got {out.stdout!r}"


def test_all_modules_are_listed():
    # walk_packages found the subpackages too, so a new module is covered automatically.
    assert {"dnncourse.data", "dnncourse.checks.mnist", "dnncourse.solutions.iris"} <= set(MODULES)


def test_version_is_exposed():
    assert dnncourse.__version__.count(".") == 2
