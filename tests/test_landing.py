"""The landing page's claims about the exercises match the package that grades them.

``book/index.md`` has no code cells to glue from, so its numbers are checked here.
"""

from __future__ import annotations

from conftest import REPO

from dnncourse.checks import mnist as mnist_checks
from dnncourse.data import mnist as mnist_data


def test_the_mnist_sentence_states_the_checker_target_and_validation_size():
    text = " ".join((REPO / "book" / "index.md").read_text(encoding="utf-8").split())
    target = f"{mnist_checks.TARGET_ACCURACY:.0%}".replace("%", " %")
    assert f"reaches {target} accuracy on {mnist_data.N_VAL:,} validation images" in text
    assert "then scores the test set once" in text
