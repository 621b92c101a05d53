"""Predict first, in every route: the prediction cell alone reveals a tutorial's diagnosis.

The generated notebooks are checked as committed (titles, code); the executed ones
are checked by ``tools/run_notebooks.py`` after "Run all" (the colab session).
"""

from __future__ import annotations

import json

import nbformat
import numpy as np
import pytest
from conftest import REPO
from spoilers import reveal_index, spoilers

from dnncourse import reveal, tutorials
from dnncourse.checks._common import curve_hint
from dnncourse.diagnose import LABELS, diagnose
from dnncourse.reveal import reveal_diagnosis

NOTEBOOKS = [REPO / "book" / f"{name}.ipynb" for name in tutorials.NAMES] + [
    REPO / t.student_edition for t in tutorials.TUTORIALS.values()
]

# An overfitting run: training loss falls to 0.01, validation climbs from 0.5 to 1.2.
OVERFIT = {
    "loss": [1.0 / (1 + 0.5 * e) for e in range(60)],
    "val_loss": [0.5 + abs(e - 15) * 0.02 for e in range(60)],
}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO / "book")))
def test_each_tutorial_notebook_asks_for_a_prediction_before_any_answer(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert reveal_index(nb) is not None, f"{path.name}: no cell calls reveal_diagnosis("
    assert spoilers(nb, path.name) == []


def _notebook(cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    return nb


def _code(source, text=""):
    cell = nbformat.v4.new_code_cell(source)
    if text:
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    return cell


def test_spoilers_finds_an_earlier_printed_diagnosis_a_title_and_a_hidden_output():
    hidden = _code("x = 1")
    hidden.metadata["tags"] = ["hide-output"]
    nb = _notebook(
        [
            _code("print(diagnose(h))", "diagnosis: under-trained\n  epochs run: 100"),
            nbformat.v4.new_markdown_cell("<details><summary>Answer: overfitting</summary>"),
            hidden,
            _code('reveal_diagnosis("...", "...", h)', "Predict first: write my_prediction"),
            _code("print(diagnose(h))", "diagnosis: overfitting"),  # after it: fine
        ]
    )
    found = spoilers(nb)
    assert len(found) == 4, found
    assert "prints diagnose" in found[0] and "output names it" in found[1]
    assert "title names it" in found[2] and "hide-output" in found[3]


def test_spoilers_accepts_a_question_and_neutral_titles():
    nb = _notebook(
        [
            nbformat.v4.new_markdown_cell("Is it underfitting or overfitting? Predict first."),
            nbformat.v4.new_markdown_cell(
                "<details><summary>Answer</summary>overfitting</details>"
            ),
            _code("model.fit(...)", "Epoch 1/3 loss 0.5"),
            _code('reveal_diagnosis("...", "...", h)', "Predict first: write my_prediction"),
        ]
    )
    assert spoilers(nb) == []


def test_a_blank_prediction_reveals_nothing_and_does_not_stop_run_all(capsys):
    for prediction, reason in (("...", "..."), ("overfitting", "..."), ("...", "it climbs")):
        reveal_diagnosis(prediction, reason, OVERFIT)
        out = capsys.readouterr().out
        assert out.startswith("Predict first") and "diagnosis:" not in out
        # every label stands in the table of labels, alike; nowhere else
        assert reveal._labels_table() in out
        assert "overfitting" not in out.replace(reveal._labels_table(), "").replace(prediction, "")


def test_an_unknown_label_is_named_and_still_reveals_nothing(capsys):
    reveal_diagnosis("too many epochs", "the gap grows", OVERFIT)
    out = capsys.readouterr().out
    assert "'too many epochs' is none of the labels" in out and "diagnosis:" not in out


@pytest.mark.parametrize(
    ("prediction", "start"),
    [
        ("overfitting", "Your prediction, 'overfitting', matches"),
        ("Overfit", "Your prediction, 'overfitting', matches"),
        ("good fit", "Not this time: you predicted 'good fit', the diagnosis is 'overfitting'"),
    ],
)
def test_a_written_prediction_is_compared_then_the_diagnosis_shown(capsys, prediction, start):
    assert diagnose(OVERFIT).label == "overfitting"
    reveal_diagnosis(prediction, "validation climbs while training falls", OVERFIT)
    out = capsys.readouterr().out
    assert out.startswith(start)
    assert "Your reason: validation climbs while training falls" in out
    assert str(diagnose(OVERFIT)) in out


def test_unstable_is_partly_right_when_the_curves_jump(capsys):
    """The iris challenge's jumps are real: 'unstable' is told so, beside the lasting label."""
    jumpy = {k: list(v) for k, v in OVERFIT.items()}
    jumpy["val_loss"][30] *= 3  # one spike, 3 times the level of the five epochs before
    assert diagnose(jumpy).label == "overfitting"
    reveal_diagnosis("unstable", "the validation loss spikes", jumpy)
    out = capsys.readouterr().out
    assert out.startswith("Partly: you predicted 'unstable', the diagnosis is 'overfitting'.")
    assert (
        "in 1 epoch of the validation loss the loss is more than 1.5 times the median of the 5"
        in out
    )
    jumpy["loss"][40] *= 3
    reveal_diagnosis("unstable", "both losses spike", jumpy)
    assert "in 1 epoch of the validation loss and 1 epoch of the training loss the loss is" in (
        capsys.readouterr().out
    )
    reveal_diagnosis("unstable", "the validation loss spikes", OVERFIT)  # no jump: plainly wrong
    assert capsys.readouterr().out.startswith("Not this time: you predicted 'unstable'")


def test_under_trained_and_underfitting_are_close_not_wrong(capsys):
    under = {
        "loss": [2.0 - 0.01 * e for e in range(100)],
        "val_loss": [2.1 - 0.01 * e for e in range(100)],
    }
    label = diagnose(under, noise_floor=0.04).label
    assert label == "under-trained"
    reveal_diagnosis(
        "underfitting", "the training loss is far above the floor", under, noise_floor=0.04
    )
    assert capsys.readouterr().out.startswith("Close: you predicted 'underfitting'")


@pytest.fixture
def learner(monkeypatch):
    """A learner's kernel: no prediction yet, and hints not forced on (as in the build)."""
    monkeypatch.delenv(reveal.SHOW_HINTS_ENV, raising=False)
    monkeypatch.setattr(reveal, "_predicted", False)
    monkeypatch.setattr(reveal, "_held", [])


def _regression_hint():
    """The hint check_regression gives a constant model (no training: a few ms)."""
    from dnncourse.checks import check_regression

    history = {"loss": [9.0 - 0.05 * e for e in range(40)], "val_loss": [9.1] * 40}
    with pytest.raises(AssertionError) as err:
        check_regression(lambda X, y: ((lambda X: np.full(len(X), 3.0)), history))
    return str(err.value).split("Hint: ", 1)[1]


def test_checkers_hold_their_hint_back_until_the_learner_predicts(learner, capsys):
    assert not reveal.predicted()
    assert _regression_hint() == reveal.HELD_BACK
    assert curve_hint("overfitting: stop earlier", "check_x") == reveal.HELD_BACK
    reveal_diagnosis("...", "...", OVERFIT)  # Run all past the blank prediction cell
    assert not reveal.predicted() and _regression_hint() == reveal.HELD_BACK
    capsys.readouterr()
    reveal_diagnosis("good fit", "both curves are low", OVERFIT)  # wrong, but written
    out = capsys.readouterr().out  # the held-back hint comes with the diagnosis, once
    assert "The hint that check_regression held back: under-trained in " in out
    assert "The hint that check_x held back: overfitting: stop earlier" in out
    assert out.count("held back:") == 2 and not reveal._held
    assert reveal.predicted()
    assert _regression_hint().startswith(("under-trained in ", "underfitting in "))


def test_the_held_back_hint_names_no_label_and_says_what_to_do():
    words = " ".join(reveal.HELD_BACK.split())
    assert not any(label in words for label in LABELS)
    assert "my_prediction" in words and "without training again" in words


def test_the_build_and_the_tests_show_hints_without_a_prediction(monkeypatch):
    monkeypatch.setattr(reveal, "_predicted", False)
    monkeypatch.setenv(reveal.SHOW_HINTS_ENV, "1")
    assert curve_hint("overfitting: stop earlier", "check_x") == "overfitting: stop earlier"
    config = (REPO / "tools" / "ipython_kernel_config.py").read_text(encoding="utf-8")
    assert f'os.environ["{reveal.SHOW_HINTS_ENV}"] = "1"' in config


def test_spoilers_finds_a_hint_that_names_the_label_after_a_blank_prediction():
    blank = _code("reveal_diagnosis(my_prediction, my_reason, h)", "Predict first: write ...")
    checker = _code(
        "check_regression(train_challenge)",
        "AssertionError: ... Hint: under-trained in 5 of 5 folds: train longer",
    )
    held = _code(
        "check_regression(train_challenge)", f"AssertionError: ... Hint: {reveal.HELD_BACK}"
    )
    assert spoilers(_notebook([blank, held])) == []
    [finding] = spoilers(_notebook([blank, checker]))
    assert "cell 1: a checker's hint names it" in finding
    done = _code("reveal_diagnosis(my_prediction, my_reason, h)", "Your prediction ... matches")
    assert spoilers(_notebook([done, checker])) == []  # predicted: the hint may name it


def test_a_blank_prediction_lists_every_label_with_its_look(capsys):
    """Before predicting, the learner reads what each label means, and nothing of the answer."""
    from dnncourse.reveal import MEANINGS

    assert tuple(MEANINGS) == LABELS
    reveal_diagnosis("...", "...", OVERFIT)
    out = capsys.readouterr().out
    lines = out.splitlines()
    for label, text in MEANINGS.items():
        at = lines.index(f"  {label}")  # the label on its own line, its meaning below it
        below = []
        for line in lines[at + 1 :]:
            if not line.startswith(" " * 6):
                break
            below.append(line)
        assert " ".join(x.strip() for x in below) == text
    # no line wraps in the site's column
    assert max(map(len, lines[lines.index("  unstable") :])) <= 72
    assert "diagnosis" not in out.replace("The diagnosis stays hidden", "")


def test_spoilers_accept_the_real_blank_output_and_catch_a_label_beside_it(capsys):
    """The table of labels a blank prediction prints is no spoiler; a label outside it is."""
    reveal_diagnosis("...", "...", OVERFIT)
    blank = _code("reveal_diagnosis(my_prediction, my_reason, h)", capsys.readouterr().out)
    assert spoilers(_notebook([blank])) == []
    blank.outputs[0]["text"] += "diagnosis: overfitting\n"
    assert spoilers(_notebook([blank])) == [
        "notebook, cell 0: the blank prediction cell shows the diagnosis"
    ]
