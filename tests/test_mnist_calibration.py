"""Calibration of the MNIST checker: does its verdict mean something?  (Weekly: nox -s calibration.)

Two studies, on models trained here (about twenty minutes on two busy cores):

- **five seeds**: the challenge (the workshop's seed network with the seed's
  settings) fails ``check_mnist`` and the course's solution passes it, on seeds
  0 to 4.  One seed of this runs in CI, through the page itself
  (``test_mnist.py``).
- **agreement**: thirteen learner-like ``build_and_train`` functions
  (``learners_mnist.py``: the solution and variations of it, borderline ones,
  the challenge, too few epochs, too little data, too high a learning rate, a
  dense network, a linear model) on seeds 0 to 9.  For each run the iterate
  verdict (``check_mnist``: the 5,000 validation images) is compared with the
  final one (``final_check_mnist``: the 10,000 test digits); they must agree in at
  least 90 % of the runs.

Why the checker needs no cross-validation, unlike the regression and iris ones: its
hold-out is 5,000 images, so an accuracy near 0.99 is known to about 0.0014 (one
binomial standard error), and k folds would train the learner's network k times
per check.  Why nothing here was tuned on the test digits: the target (0.99) is the
exercise's, the same on both splits, and the learners were chosen for what they
are (good, borderline, faulty), not for their verdicts.  A run whose accuracy lies
within a standard error or two of 0.99 can land on either side on either split:
those disagreements are the checker's honest limit, and the study counts them.  The
checker says so in such runs: within two standard errors of the difference between
the validation score and the test digits' for a model at the target (both binomial), it
says how often the final check would land on the other side ("... the final check would
land below the target about 21 times in 100 ..."); every run it does not flag must
agree.  (Until 2026-12-04 the flag counted the validation images' spread alone; seeds 3
and 4, measured then, showed a run 2.1 of those standard errors above the line, 0.9926,
that scored 0.9898 on the test digits, and a run exactly on the line, 0.9900, that the
flag skipped.  The rule was changed after seeing all 65 runs of seeds 0 to 4, and the
seeds are fixed, so rerunning them tests no rule.  Seeds 5 to 9, which nobody had
looked at, were then run once as its test: 61 of 65 runs agreed, and all 4 that did not
were flagged.  They are in the study since.)

The design criterion of the solution is the validation verdict; the test verdicts
are measured here only to compare the two, never to change a model.
"""

from __future__ import annotations

import contextlib
import io
import re
import time
from dataclasses import dataclass

import keras
import pytest
from conftest import RECORD
from learners_mnist import LEARNERS

from dnncourse.checks import check_mnist, final_check_mnist
from dnncourse.checks.final import forget_final_runs

pytestmark = [pytest.mark.calibration, pytest.mark.slow, pytest.mark.mnist]

FIVE_SEEDS = (0, 1, 2, 3, 4)
STUDY_SEEDS = tuple(range(10))
MIN_AGREEMENT = 0.90
#: What check_mnist says when the target lies within two standard errors of the difference
#: between the validation and the test score.
NEAR_THE_LINE = "the final check would land"


@dataclass(frozen=True)
class Run:
    """One learner's run: the two verdicts and what they cost."""

    name: str
    seed: int
    val: float  # validation accuracy (0.0 for non-finite outputs)
    iterate_passed: bool
    test: float
    final_passed: bool
    train_seconds: float
    check_seconds: float
    flagged: bool  # the iterate message said the target is within two standard errors

    @property
    def agree(self):
        return self.iterate_passed == self.final_passed

    def row(self):
        verdict = {True: "pass", False: "fail"}
        near = "  (flagged: near the line)" if self.flagged else ""
        return (
            f"{self.name:<22} seed {self.seed}  iterate {self.val:.4f} "
            f"{verdict[self.iterate_passed]}  final {self.test:.4f} {verdict[self.final_passed]}  "
            f"{'agree' if self.agree else 'DISAGREE'}{near}"
            f"  ({self.train_seconds:.0f} s training)"
        )


_RUNS: dict = {}


def run(name, seed):
    """Train learner ``name`` with ``seed`` once per session; both verdicts of its model."""
    if (name, seed) in _RUNS:
        return _RUNS[name, seed]
    keras.backend.clear_session()  # the previous runs' models and graphs
    start = time.perf_counter()
    model, history = LEARNERS[name](seed)
    train_seconds = time.perf_counter() - start
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            message = check_mnist(model, history)
            val, iterate_passed = message.value, True
        except AssertionError as err:
            message = str(err)
            found = re.search(r"that is (\d\.\d+) ± ", message)
            val, iterate_passed = (float(found.group(1)) if found else 0.0), False
    check_seconds = time.perf_counter() - start
    forget_final_runs()  # each model is its own exercise: no "second final test" note
    with contextlib.redirect_stdout(io.StringIO()):
        final = final_check_mnist(model)
    forget_final_runs()
    flagged = NEAR_THE_LINE in message
    _RUNS[name, seed] = Run(
        name,
        seed,
        val,
        iterate_passed,
        final.value,
        final.passed,
        train_seconds,
        check_seconds,
        flagged,
    )
    return _RUNS[name, seed]


def test_challenge_fails_and_solution_passes_on_five_seeds(record_property):
    for seed in FIVE_SEEDS:
        challenge, solution = run("seed_cnn_challenge", seed), run("solution", seed)
        for r in (challenge, solution):
            record_property(RECORD, f"mnist five seeds: {r.row()}")
        assert not challenge.iterate_passed, f"the challenge passed on seed {seed}: {challenge}"
        assert solution.iterate_passed, f"the solution failed on seed {seed}: {solution}"


def test_iterate_verdict_predicts_the_final_verdict(record_property):
    runs = [run(name, seed) for name in LEARNERS for seed in STUDY_SEEDS]
    print()
    for r in runs:
        print(r.row())
        record_property(RECORD, f"mnist agreement: {r.row()}")
    agreement = sum(r.agree for r in runs) / len(runs)
    passed = sum(r.iterate_passed for r in runs) / len(runs)
    clear = [r for r in runs if not r.flagged]
    summary = (
        f"mnist agreement: {sum(r.agree for r in runs)} of {len(runs)} runs "
        f"({len(LEARNERS)} learners x {len(STUDY_SEEDS)} seeds) = {agreement:.1%}; "
        f"{sum(r.agree for r in clear)} of the {len(clear)} runs not flagged near the line; "
        f"{passed:.0%} of the runs pass the iterate check"
    )
    solution = [r for r in runs if r.name == "solution"]
    cost = (
        f"mnist checker cost: check_mnist {max(r.check_seconds for r in solution):.1f} s "
        f"against {min(r.train_seconds for r in solution):.0f} s for one training of the solution"
    )
    print(summary, cost, sep="\n")
    record_property(RECORD, summary)
    record_property(RECORD, cost)
    assert len(LEARNERS) >= 10
    # both verdicts occur often enough that agreeing is not trivial
    assert 0.2 <= passed <= 0.8, summary
    # where the checker does not warn that the target is within two standard errors (of the
    # difference between the two scores), its verdict must be the final one
    assert all(r.agree for r in clear), [r.row() for r in clear if not r.agree]
    # a flag that fired on every run would make the line above empty
    assert 0 < len(clear) < len(runs), summary
    assert agreement >= MIN_AGREEMENT, summary
