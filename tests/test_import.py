"""`import dnncourse` stays light: no TensorFlow, no Keras."""

import subprocess
import sys


def test_import_dnncourse_imports_no_tensorflow_or_keras():
    code = (
        "import sys, dnncourse, dnncourse.data, dnncourse.paths, dnncourse.make_data\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras'))\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"expected no tensorflow/keras modules, got {out.stdout!r}"


def test_version_is_exposed():
    import dnncourse

    assert dnncourse.__version__.count(".") == 2
