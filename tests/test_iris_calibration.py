"""Does the iris checker's verdict mean something?  Measured over seeds and learner-like models.

Marked ``calibration`` (``nox -s calibration``, weekly; tens of minutes on two cores):

- the course's solution passes ``check_iris`` on five seeds and the workshop's
  challenge fails it on the same five, on its curves (its cross-validated accuracy
  meets the target: its overfitting shows in its curves, not in its accuracy);
- over the learner-like procedures of ``tests/learners_iris.py`` (good, borderline
  and faulty) and three seeds each, the iterate verdict (cross-validated on the 120
  training flowers: accuracy and curves) and the final verdict (the same procedure
  trained once on all of them: the 30 test flowers scored once, and the curves of that
  training, as the exercise asks) agree in at least 90 % of the runs; each learner is
  checked with the ``best_epoch`` its code calls for (``learners_iris.best_epoch``);
- on fresh re-splits of Fisher's 150 flowers, which the targets were chosen on (never
  on the test file), the agreement the page states: about 3 runs in 4, most
  disagreements the final training's curves.

Each prints its table (model x seed: iterate value and verdict, final value and
verdict) and keeps it in the run's "recorded measurements" (tests/conftest.py).
"""

from __future__ import annotations

import keras
import learners_iris
import numpy as np
import pytest
from conftest import RECORD, agreement, substitute_data_dir, verdict_table

from dnncourse import data
from dnncourse.checks import check_iris, final_check_iris
from dnncourse.checks.final import forget_final_runs
from dnncourse.checks.iris import CV_TARGET_ACCURACY, good_fits_needed
from dnncourse.diagnose import diagnose

pytestmark = [pytest.mark.slow, pytest.mark.calibration]

FIVE_SEEDS = (0, 1, 2, 3, 4)
THREE_SEEDS = (0, 1, 2)
FRESH_SPLITS = (1, 2, 3, 4)
AGREEMENT = 0.9


def iterate(name, seed):
    """``(passed, accuracy, cross-entropy, good fits)`` of ``check_iris`` on learner ``name``."""
    try:
        verdict = check_iris(
            learners_iris.LEARNERS[name], seed=seed, verbose=False,
            best_epoch=learners_iris.best_epoch(name),
        )  # fmt: skip
    except AssertionError as err:
        verdict = err.verdict
    d = verdict.details
    return verdict.passed, verdict.value, d["cross_entropy"], d["good_fits"]


def final(name, seed):
    """``(passed, n_right, label)``: learner ``name`` trained once on all training flowers.

    Passed is what the exercise asks of the final step: the test target met (scored
    once) and the one training's curves reading a good fit.
    """
    (X_train, y_train), _ = data.load_iris()
    keras.utils.set_random_seed(seed)
    model, history = learners_iris.LEARNERS[name](X_train, y_train)
    forget_final_runs()
    verdict = final_check_iris(model)
    label = diagnose(history, best_epoch=learners_iris.best_epoch(name)).label
    return verdict.passed and label == "good fit", verdict.details["n_right"], label


#: Every run's ``(iterate passed, final passed, the checker's accuracy target met, the test
#: target met, the checker's curve criterion met, the final training's curves a good fit)``.
RUNS = []


def both_verdicts(name, seed):
    """``(iterate passed, final passed, the table's text)`` of learner ``name`` on ``seed``."""
    ok_it, acc, ce, good = iterate(name, seed)
    ok_final, right, label = final(name, seed)
    RUNS.append(
        (ok_it, ok_final, acc >= CV_TARGET_ACCURACY - 1e-9, right >= 28,
         good >= good_fits_needed(5), label == "good fit")
    )  # fmt: skip
    text = (
        f"{'pass' if ok_it else 'FAIL'} ({acc:.3f}, {ce:6.3f}, {good}/5)      "
        f"{'pass' if ok_final else 'FAIL'} ({right:2d}/30, {label})"
    )
    return ok_it, ok_final, text


def study(names, seeds, record_property, where):
    """Every learner on every seed: the table's rows and the share of runs that agree."""
    header = "iterate (accuracy, cross-entropy, good fits)   final (test, curves)"
    return verdict_table(where, header, names, seeds, both_verdicts, record_property)


def test_the_challenge_fails_and_the_solution_passes_on_five_seeds(record_property):
    """The solution passes ``check_iris`` on five seeds and the challenge fails it on all five,
    on its curves: cross-validated, its accuracy meets the target on every seed (as the page
    says), so accuracy alone could not tell the fault from the fix.  On the test flowers the
    challenge misses the accuracy target on some seeds and meets it on others."""
    results = {}
    for name in ("challenge", "solution"):
        for seed in FIVE_SEEDS:
            ok, acc, ce, good = iterate(name, seed)
            ok_final, right, label = final(name, seed)
            results[(name, seed)] = ok, ok_final, acc, right
            record_property(
                RECORD,
                f"iris, {name} seed {seed}: check_iris {'pass' if ok else 'FAIL'} (accuracy "
                f"{acc:.3f}, cross-entropy {ce:.3f}, good fit in {good} of 5); final {right}/30, "
                f"curves {label}: {'pass' if ok_final else 'FAIL'}",
            )
    assert all(results[("solution", s)][:2] == (True, True) for s in FIVE_SEEDS), results
    assert not any(results[("challenge", s)][0] for s in FIVE_SEEDS), results
    assert all(results[("challenge", s)][2] >= CV_TARGET_ACCURACY for s in FIVE_SEEDS), results
    test_met = {results[("challenge", s)][3] >= 28 for s in FIVE_SEEDS}
    assert test_met == {True, False}, results  # "misses ... on some seeds and meets it on others"


def test_the_iterate_verdict_predicts_the_final_one(record_property):
    _, agree = study(list(learners_iris.LEARNERS), THREE_SEEDS, record_property, "course")
    assert agree >= AGREEMENT


def test_on_fresh_splits_the_verdicts_agree_as_the_page_says(
    tmp_path, monkeypatch, record_property
):
    """Re-splits of the 150 flowers with other seeds, read through the loaders (as
    test_resampled.py does): the data the targets were chosen on.

    The page says they agree "in about 3 of 4" runs there, and that most of the
    difference is the curves (the final training's one reading, where the checker reads
    five): measured 2026-12-03 and 2026-12-04, 44 of 60 (73 %); on 2026-12-04, 12 of the
    16 disagreements were the curves alone (both accuracy parts agreeing), 6 of them the
    challenge with or without early stopping (the checker failed it on its curves; each
    time its single final training read a good fit).  The bounds below (0.65 to 0.85, and
    "most") were set after those measurements, to hold the page to what they showed.  90 %
    is out of reach on 30 test flowers and one final training's curves; the course's own
    split, which the exercise uses, is held to it above.
    """
    import make_data

    (X_a, y_a), (X_b, y_b) = data.load_iris()
    X, y = np.vstack([X_a, X_b]), np.concatenate([y_a, y_b])
    rows, first = [], len(RUNS)
    for split in FRESH_SPLITS:
        folder = substitute_data_dir(tmp_path, monkeypatch, f"split{split}")
        make_data.write_iris_csvs(folder, X, y, seed=split)
        found, _ = study(list(learners_iris.LEARNERS), (0,), record_property, f"split {split}")
        rows += found
    agree = agreement(rows)
    # disagreements of the curves alone: both accuracy parts agree, the five readings and the
    # final training's one do not
    apart = [run for run in RUNS[first:] if run[0] != run[1]]
    curves = sum(cv == test and five != one for _, _, cv, test, five, one in apart)
    record_property(
        RECORD,
        f"fresh splits: agreement {agree:.1%} over {len(rows)} runs; {curves} of the "
        f"{len(apart)} disagreements are the curves alone (five trainings' readings against one)",
    )
    assert 0.65 <= agree <= 0.85, agree  # "about 3 of 4"
    assert curves > len(apart) / 2, (curves, len(apart))  # "most of the difference"
