"""What the tables of bad arguments share (tests/test_api_errors*.py), and the stand-ins
for a Keras model and callback that they and the fuzz tests (tests/test_api_fuzz*.py) pass.

Each table is a list of :class:`Case`; each file checks its cases with
:func:`assert_one_clear_error` after its own guards (data loaders and Keras made to
fail), and prints its table with :func:`error_table` when run as a script.
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass

from conftest import REPO, snapshot


@dataclass
class Case:
    function: str
    bad: str  # the class of bad input
    call: object
    error: type
    match: str
    names: str  # what the message must name


class FakeModel:
    """Looks like a compiled Keras model with input (None, 2) to the checks; refuses to train."""

    compiled = True
    input_shape = (None, 2)

    def compile(self, *args, **kwargs):
        pass

    def fit(self, *args, **kwargs):
        raise AssertionError("a wrong argument reached model.fit: it must not train")


class Uncompiled(FakeModel):
    compiled = False


class FakeCallback:
    """Has the methods of a Keras callback that ``training.fit`` looks for."""

    def set_model(self, model):
        pass

    def set_params(self, params):
        pass

    def on_epoch_end(self, epoch, logs=None):
        pass


def case_id(case):
    return f"{case.function}: {case.bad}"


def heavy_modules():
    """The Keras backends' modules imported so far (a door must import none of them)."""
    return {m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras", "jax", "torch")}


@contextlib.contextmanager
def untouched(tmp_path, backend_message):
    """Around a test's calls: no file written (in ``tmp_path``, where the test runs, or
    in the shipped data), and no Keras backend imported (``backend_message`` if one was)."""
    before, shipped, heavy = snapshot(tmp_path), snapshot(REPO / "data"), heavy_modules()
    yield
    assert snapshot(tmp_path) == before and snapshot(REPO / "data") == shipped
    assert heavy_modules() == heavy, backend_message


def assert_one_clear_error(case, err):
    """The message of ``err`` (a pytest ExceptionInfo) names the argument, what was
    expected and what was got, ends in a sentence, and comes with one traceback."""
    message = str(err.value)
    assert case.names in message, f"the message must name {case.names}: {message}"
    assert "expected" in message and "got" in message and message.endswith("."), message
    assert err.value.__cause__ is None and (
        err.value.__context__ is None or err.value.__suppress_context__
    ), "one traceback: raised `from None`"


def refuses_at_the_door(case, tmp_path, capsys, printed="nothing printed"):
    """``case.call()`` raises exactly ``case.error`` (one clear message), touching no file or
    backend and printing nothing."""
    import pytest

    with untouched(tmp_path, "the check must come before any TensorFlow or Keras import"):
        with pytest.raises(case.error, match=case.match) as err:
            case.call()
        assert type(err.value) is case.error, (
            f"expected a plain {case.error.__name__}: {err.value!r}"
        )
        assert_one_clear_error(case, err)
        assert capsys.readouterr().out == "", printed


def error_table(cases, first_line=True, after=None):
    """The cases as the issue report's table: function, bad input, (the first line of) the error.

    ``after()`` runs after each case (e.g. closing the figures a case opened).
    """
    rows = ["| function | bad input | error |", "| --- | --- | --- |"]
    for case in cases:
        try:
            case.call()
            got = "(no error)"
        except Exception as err:  # noqa: BLE001 (the table shows whatever happens)
            got = f"{type(err).__name__}: {err}"
            got = (got.splitlines()[0] if first_line else got).replace("|", "\\|")
        rows.append(f"| {case.function} | {case.bad} | {got} |")
        if after:
            after()
    return "\n".join(rows)
