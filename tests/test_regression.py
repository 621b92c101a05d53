"""The regression tutorial: the page runs on another seed, its claims hold, its verdicts agree.

The page is the single source of what it teaches (its walkthrough, experiment and
challenge live in its own cells), so the slow tests run the page itself
(:func:`pages.run_page`) with another seed: its hidden cells assert its claims
again.  The checker's mechanics are in test_regression_checker.py; the 5-seed and
agreement studies in test_regression_calibration.py (weekly).
"""

from __future__ import annotations

import re

import learners_regression
import numpy as np
import pytest
from conftest import REPO
from pages import page_cells, run_page

from dnncourse import data
from dnncourse.checks import check_regression, final_check_regression
from dnncourse.checks.final import forget_final_runs
from dnncourse.checks.regression import FOLD_TARGET_MSE, TARGET_MSE, mse_on_test
from dnncourse.data.regression import NOISE_SIGMA
from dnncourse.diagnose import LABELS, diagnose
from dnncourse.reveal import reveal_diagnosis
from dnncourse.solutions import solve_regression

PAGE = REPO / "book" / "regression.md"
# a diagnosis named in words (labels and their stems)
LABEL_WORDS = re.compile(r"under-?train|underfit|overfit|unstable|good fit", re.IGNORECASE)


# ------------------------------------------------------------------ the page, fast


def test_the_page_has_a_seed_parameter_and_no_included_model_code():
    cells = page_cells("regression")
    (parameters,) = [c for c in cells if "parameters" in c.metadata.get("tags", [])]
    assert parameters is cells[0] and re.search(r"^SEED = 0\b", parameters.source, re.MULTILINE)
    text = PAGE.read_text(encoding="utf-8")
    included = re.findall(r":pyobject: (\w+)", text)
    assert included == ["train_regression"], included  # only the solution, in its gated block
    visible = "\n".join(c.source for c in cells if "remove-cell" not in c.metadata.get("tags", []))
    for name in ("def build_model(", "def train_model(", "def train_challenge(", "np.meshgrid("):
        assert name in visible, name


def before_the_prediction():
    """The page's text up to the cell that calls ``reveal_diagnosis``."""
    text = PAGE.read_text(encoding="utf-8")
    cell = text.index("reveal_diagnosis(my_prediction")
    return text[: text.rindex("```{code-cell}", 0, cell)]


def test_nothing_before_the_prediction_cell_gives_the_diagnosis_away():
    head = before_the_prediction()
    for kind, found in (
        ("alt text", re.findall(r"^\s*alt: (.*)$", head, re.MULTILINE)),
        ("caption", re.findall(r"^\s*caption: (.*)$", head, re.MULTILINE)),
        ("dropdown title", re.findall(r"^:::+\{dropdown\} (.*)$", head, re.MULTILINE)),
        ("admonition title", re.findall(r"^:::+\{admonition\} (.*)$", head, re.MULTILINE)),
    ):
        for words in found:
            assert not LABEL_WORDS.search(words), f"{kind} names a diagnosis: {words!r}"
    assert "needs none" not in head  # the regularisation remark comes with the answer
    # the prose before it mentions labels only in the learning goals and the question
    prose = re.sub(r"```.*?```", "", head, flags=re.DOTALL)
    goals = prose.index(":::{admonition} Learning goals")
    prose = prose[:goals] + prose[prose.index(":::", goals + 3) :]
    assert not LABEL_WORDS.search(prose.replace("under-training, underfitting", ""))


def answer_label():
    """The label the page's answer gives (its first bold words), and the hidden cell's."""
    text = PAGE.read_text(encoding="utf-8")
    answer = text[text.index(":::{dropdown} Answer\n") :]
    answer = answer[: answer.index("\n:::\n")]
    (bold,) = re.findall(r"^\*\*([\w -]+)\.\*\*", answer, re.MULTILINE)
    (hidden,) = re.findall(r'^ANSWER_LABEL = "([\w -]+)"', text, re.MULTILINE)
    return answer, bold.lower(), hidden


def test_the_answer_has_a_neutral_title_and_one_label():
    answer, label, hidden = answer_label()
    assert label == hidden and label in LABELS
    others = {w.lower() for w in LABEL_WORDS.findall(answer)} - {"under-train", "overfit"}
    assert not others, f"the answer names another label: {others}"  # "Overfitting would..." aside


def test_the_exercise_cells_hand_the_function_to_the_checker():
    """Each exercise cell ends with the check; the final step is the next cell, all comments
    (Run all skips it; uncommenting it does not train the five folds again)."""
    all_cells = page_cells("regression")
    at = [k for k, c in enumerate(all_cells) if "exercise" in c.metadata.get("tags", [])]
    assert len(at) == 2
    for k in at:
        cell, final = all_cells[k], all_cells[k + 1]
        assert "skip-execution" in cell.metadata["tags"]
        (name,) = re.findall(r"^def (\w+)\(X, y\):", cell.source, re.MULTILINE)
        assert 'raise NotImplementedError("Exercise:' in cell.source
        assert re.search(rf"^check_regression\({name}\)", cell.source, re.MULTILINE)
        assert final.metadata.get("tags") == ["skip-execution"]
        assert all(line.startswith("#") for line in final.source.splitlines()), final.source
        assert re.search(rf"^# \w+, \w+ = {name}\(X_train, y_train\)$", final.source, re.MULTILINE)
        assert re.search(r"^# final_check_regression\(\w+\)$", final.source, re.MULTILINE)


# ------------------------------------------------------------------ the page, run


@pytest.fixture(scope="module")
def page():
    """``book/regression.md`` run in-process with SEED = 1 (its hidden asserts run too)."""
    forget_final_runs()
    return run_page("regression", SEED=1)


@pytest.mark.slow
def test_the_page_runs_with_another_seed_and_its_claims_hold(page):
    glued = page.glued
    assert glued["regression_walk_val"] > TARGET_MSE  # the walkthrough misses the target
    assert glued["regression_walk_typical"] > FOLD_TARGET_MSE
    assert glued["regression_solution_typical"] <= FOLD_TARGET_MSE and page["verdict"].passed
    assert glued["regression_solution_mse"] <= TARGET_MSE and page["final"].passed
    assert "Predict first" in page.stdout  # the blank prediction cell revealed nothing


@pytest.mark.slow
def test_on_another_seed_the_diagnosis_and_the_checker_hint_give_one_label(page, capsys):
    label = diagnose(page["challenge_history"], noise_floor=NOISE_SIGMA**2).label
    assert label in ("under-trained", "underfitting")  # the answer's words hold for both
    hint = page["challenge_message"].split("Hint: ", 1)[1]
    assert hint.startswith(f"{label} in "), hint
    reveal_diagnosis(label, "the training loss is far above the noise floor",
                     page["challenge_history"], noise_floor=NOISE_SIGMA**2)  # fmt: skip
    assert f"Your prediction, {label!r}, matches the diagnosis." in capsys.readouterr().out


@pytest.mark.slow
def test_the_answer_the_diagnosis_and_the_checker_hint_give_one_label_on_the_pages_seed():
    """SEED = 0, as the site runs the page: the answer's typed label is diagnose's and the hint's."""
    import keras

    _, label, _ = answer_label()
    (X_train, y_train), _ = data.load_regression()
    keras.utils.set_random_seed(0)  # as the page does before its challenge run
    _, history = learners_regression.challenge(X_train, y_train)
    assert diagnose(history, noise_floor=NOISE_SIGMA**2).label == label
    with pytest.raises(AssertionError) as err:
        check_regression(learners_regression.challenge, seed=0, verbose=False)
    assert str(err.value).split("Hint: ", 1)[1].startswith(f"{label} in ")


# ------------------------------------------------------------------ checker and solution, trained


@pytest.mark.slow
def test_the_challenge_fails_and_the_solution_passes_the_check():
    with pytest.raises(AssertionError, match=r"to score MSE <= 0\.3, got"):
        check_regression(learners_regression.challenge, seed=2, verbose=False)
    verdict = check_regression(learners_regression.solution, seed=2, verbose=False)
    assert verdict.passed and verdict.value <= FOLD_TARGET_MSE


@pytest.mark.slow
def test_the_solution_trained_on_the_training_file_meets_the_target():
    model, history = solve_regression(seed=0)
    _, (X_test, y_test) = data.load_regression()
    mse = float(np.mean((model.predict(X_test, verbose=0)[:, 0] - y_test) ** 2))
    assert mse <= TARGET_MSE and mse_on_test(model) == pytest.approx(mse, rel=1e-4)
    forget_final_runs()
    final = final_check_regression(model)
    assert final.passed and final.value == pytest.approx(mse, rel=1e-4)
    assert len(history.history["val_loss"]) <= 300
    # the cosine schedule keeps the training loss from jittering near the floor (with a fixed
    # rate, halved on plateaus, diagnose rightly read the solution as unstable)
    d = diagnose(history, noise_floor=NOISE_SIGMA**2, best_epoch="min_val_loss")
    assert d.label == "good fit", str(d)


@pytest.mark.slow
def test_a_whole_epoch_per_call_makes_the_same_updates_as_one_batch_per_call(monkeypatch):
    """The page: ``steps_per_execution`` gives "the same updates as one batch per call"."""
    import keras

    from dnncourse.solutions.regression import train_regression

    if keras.backend.backend() == "torch":
        pytest.skip("Keras' PyTorch backend runs one batch per call: nothing to compare")
    (X, y), _ = data.load_regression()
    _, fast = train_regression(X, y, seed=0, epochs=40)
    compile_ = keras.Model.compile

    def one_batch_per_call(self, *args, **kwargs):
        assert kwargs.pop("steps_per_execution") > 1  # the solution asks for more than one
        return compile_(self, *args, steps_per_execution=1, **kwargs)

    monkeypatch.setattr(keras.Model, "compile", one_batch_per_call)
    _, slow = train_regression(X, y, seed=0, epochs=40)
    for key in ("loss", "val_loss"):
        np.testing.assert_allclose(fast.history[key], slow.history[key], rtol=1e-5)
