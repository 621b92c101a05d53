"""Does the iris checker's verdict mean something?  Measured over seeds and learner-like models.

Marked ``calibration`` (``nox -s calibration``, weekly; tens of minutes on two cores):

- the course's solution passes ``check_iris`` on five seeds, and the workshop's
  challenge is measured on the same five (the checker and the test flowers both pass
  it on some seeds: its overfitting shows in its curves more than in its accuracy);
- over the learner-like procedures of ``tests/learners_iris.py`` (good, borderline
  and faulty) and three seeds each, the iterate verdict (cross-validated on the 120
  training flowers) and the final verdict (the same procedure trained once on all of
  them, scored on the 30 test flowers) agree in at least 90 % of the runs;
- the same on fresh re-splits of Fisher's 150 flowers, which the targets were chosen
  on (never on the test file).

Each prints its table (model x seed: iterate value and verdict, final value and
verdict) and keeps it in the run's "recorded measurements" (tests/conftest.py).
"""

from __future__ import annotations

import keras
import learners_iris
import numpy as np
import pytest
from conftest import RECORD

from dnncourse import data
from dnncourse.checks import check_iris, final_check_iris
from dnncourse.checks.final import forget_final_runs

pytestmark = [pytest.mark.slow, pytest.mark.calibration]

FIVE_SEEDS = (0, 1, 2, 3, 4)
THREE_SEEDS = (0, 1, 2)
FRESH_SPLITS = (1, 2, 3, 4)
AGREEMENT = 0.9


def iterate(train, seed):
    """``(passed, accuracy, cross-entropy)`` of ``check_iris(train, seed=seed)``."""
    try:
        verdict = check_iris(train, seed=seed, verbose=False)
    except AssertionError as err:
        verdict = err.verdict
    return verdict.passed, verdict.value, verdict.details["cross_entropy"]


def final(train, seed):
    """``(passed, n_right)``: ``train`` run once on all training flowers, then the test flowers."""
    (X_train, y_train), _ = data.load_iris()
    keras.utils.set_random_seed(seed)
    model, _ = train(X_train, y_train)
    forget_final_runs()
    verdict = final_check_iris(model)
    return verdict.passed, verdict.details["n_right"]


def study(names, seeds, record_property, where):
    """Every learner on every seed: the table's rows and the share of runs that agree."""
    rows = []
    header = (
        f"{where}: {'learner':20s} seed  iterate (accuracy, cross-entropy)   final (test)  agree"
    )
    lines = [header]
    for name in names:
        for seed in seeds:
            ok_it, acc, ce = iterate(learners_iris.LEARNERS[name], seed)
            ok_final, right = final(learners_iris.LEARNERS[name], seed)
            rows.append((name, seed, ok_it, ok_final))
            lines.append(
                f"{where}: {name:20s} {seed:4d}  {'pass' if ok_it else 'FAIL'} ({acc:.3f}, {ce:6.3f})"
                f"      {'pass' if ok_final else 'FAIL'} {right:2d}/30    "
                + ("yes" if ok_it == ok_final else "NO")
            )
    agree = float(np.mean([a == b for _, _, a, b in rows]))
    lines.append(f"{where}: agreement {agree:.1%} over {len(rows)} runs")
    for line in lines:
        record_property(RECORD, line)
    print("\n".join(lines))
    return rows, agree


def test_the_solution_passes_on_five_seeds_and_the_challenge_is_measured(record_property):
    """The solution passes ``check_iris`` on five seeds.  The challenge is measured, not judged
    here: cross-validated it classifies about as well as the solution (the checker passes it
    on most seeds), and on the test flowers it misses the final target on some seeds and
    meets it on others, as the page says.  Its fault, overfitting, is in its curves."""
    results = {}
    for name, train in (
        ("challenge", learners_iris.challenge),
        ("solution", learners_iris.solution),
    ):
        for seed in FIVE_SEEDS:
            ok, acc, ce = iterate(train, seed)
            ok_final, right = final(train, seed)
            results[(name, seed)] = ok, ok_final
            record_property(
                RECORD,
                f"iris, {name} seed {seed}: check_iris {'pass' if ok else 'FAIL'} (accuracy "
                f"{acc:.3f}, cross-entropy {ce:.3f}); final {right}/30 "
                f"{'pass' if ok_final else 'FAIL'}",
            )
    assert all(results[("solution", s)] == (True, True) for s in FIVE_SEEDS), results
    finals = {results[("challenge", s)][1] for s in FIVE_SEEDS}
    assert finals == {True, False}, results  # "misses ... on some seeds and meets it on others"


def test_the_iterate_verdict_predicts_the_final_one(record_property):
    _, agree = study(list(learners_iris.LEARNERS), THREE_SEEDS, record_property, "course")
    assert agree >= AGREEMENT


def test_the_targets_hold_on_fresh_splits(tmp_path, monkeypatch, record_property):
    """Re-splits of the 150 flowers with other seeds, read through the loaders (as
    test_resampled.py does): the data the targets were chosen on."""
    import make_data

    from dnncourse.data import _files

    (X_a, y_a), (X_b, y_b) = data.load_iris()
    X, y = np.vstack([X_a, X_b]), np.concatenate([y_a, y_b])
    rows = []
    for split in FRESH_SPLITS:
        folder = tmp_path / f"split{split}"
        folder.mkdir()
        make_data.write_iris_csvs(folder, X, y, seed=split)
        monkeypatch.setenv(_files.ENV_VAR, str(folder))
        found, _ = study(list(learners_iris.LEARNERS), (0,), record_property, f"split {split}")
        rows += found
    agree = float(np.mean([a == b for _, _, a, b in rows]))
    record_property(RECORD, f"fresh splits: agreement {agree:.1%} over {len(rows)} runs")
    assert agree >= AGREEMENT
