"""dnncourse.glue: myst-nb's glue at build time, harmless where myst-nb is missing (Colab)."""

from __future__ import annotations

import sys

import pytest

from dnncourse.glue import glue


def test_without_myst_nb_glue_only_displays(monkeypatch, capsys):
    pytest.importorskip("IPython")
    monkeypatch.setitem(sys.modules, "myst_nb", None)  # import now fails, as in Colab
    glue("hidden", 1.5, display=False)
    assert capsys.readouterr().out == ""
    glue("shown", 2.5)
    assert capsys.readouterr().out.strip() == "2.5"


def test_with_myst_nb_glue_delegates(monkeypatch):
    calls = []

    class FakeMystNb:
        @staticmethod
        def glue(name, value, display=True):
            calls.append((name, value, display))

    monkeypatch.setitem(sys.modules, "myst_nb", FakeMystNb)
    glue("x", 3, display=False)
    assert calls == [("x", 3, False)]
