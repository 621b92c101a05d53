"""Benchmark: the workshop's solution settings against the course's solutions.

    nox -s bench                  # full runs, about a quarter of an hour on 2 cores
    nox -s bench -- --quick       # every fit capped at a few epochs: proves it runs

A maintainer tool (``tools/``, not in the wheel). It watches each run through
the ``callbacks=`` and ``epochs=`` arguments that the course's ``solve_*``
functions and ``tools/workshop.py``'s ``run_workshop`` take, without patching Keras.

For each tutorial both runs use the same course data and go to their own stopping
point (the workshop's fixed epochs; the course solution's early stopping or
schedule).  A callback evaluates the test metric after every epoch, so the table
can say when the target was first reached; its own time is subtracted from every
time reported.  The table gives wall seconds (loading the data, building and
training, as a learner's run does), seconds until the target was first reached
(same clock), the final test metric, and the workshop's wall time divided by the
course's.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

#: Target per task: (metric name, target, higher is better).
TARGETS = {
    "regression": ("test MSE", 0.10, False),
    "iris": ("test accuracy", 29 / 30, True),
    "mnist": ("test accuracy", 0.99, True),
}
#: Epoch cap per fit in --quick mode.
QUICK_EPOCHS = {"regression": 20, "iris": 20, "mnist": 1}


def task_metric(task, model, X_test, y_test):
    """The task's test metric: MSE for regression, accuracy for iris and MNIST."""
    import keras

    out = np.concatenate(
        [
            keras.ops.convert_to_numpy(model(X_test[i : i + 1000], training=False))
            for i in range(0, len(X_test), 1000)
        ]
    )
    if task == "regression":
        return float(np.mean((out.reshape(-1) - y_test) ** 2))
    return float(np.mean(out.argmax(axis=1) == y_test))


def _callback_class():
    import keras

    class TargetClock(keras.callbacks.Callback):
        """Evaluates the test metric after each epoch; records when the target was first met.

        Times are measured from ``origin`` (``time.perf_counter()`` at the start of
        the run) minus the time spent in this callback.
        """

        def __init__(self, task, X_test, y_test, origin):
            super().__init__()
            self.task, self.X_test, self.y_test = task, X_test, y_test
            self.origin, self.excluded = origin, 0.0
            self.reached_seconds = self.reached_epoch = None
            self.epochs = 0

        def elapsed(self):
            return time.perf_counter() - self.origin - self.excluded

        def on_epoch_end(self, epoch, logs=None):
            start = time.perf_counter()
            self.epochs += 1
            value = task_metric(self.task, self.model, self.X_test, self.y_test)
            _, target, higher = TARGETS[self.task]
            met = value >= target if higher else value <= target
            if met and self.reached_seconds is None:
                self.reached_seconds = start - self.origin - self.excluded
                self.reached_epoch = self.epochs
            self.excluded += time.perf_counter() - start

    return TargetClock


def course_solver(task):
    """The course's ``solve_<task>`` (imported late: they come from separate modules)."""
    import importlib

    return getattr(importlib.import_module(f"dnncourse.solutions.{task}"), f"solve_{task}")


def run_one(task, who, seed=0, quick=False):
    """Train one setting and time it.

    Parameters
    ----------
    task : {"regression", "iris", "mnist"}
    who : {"workshop", "course"}

    Returns
    -------
    dict
        ``task``, ``who``, ``epochs``, ``wall`` (s), ``reached`` (s or None),
        ``reached_epoch``, ``final`` (test metric of the returned model).
    """
    from workshop import load_task, run_workshop

    _, (X_test, y_test) = load_task(task)
    clock_cls = _callback_class()
    origin = time.perf_counter()
    clock = clock_cls(task, X_test, y_test, origin)
    run = run_workshop if who == "workshop" else (lambda task, **kw: course_solver(task)(**kw))
    kwargs = {"epochs": QUICK_EPOCHS[task]} if quick else {}
    model, _ = run(task, seed=seed, callbacks=[clock], **kwargs)
    wall = clock.elapsed()
    return {
        "task": task,
        "who": who,
        "epochs": clock.epochs,
        "wall": wall,
        "reached": clock.reached_seconds,
        "reached_epoch": clock.reached_epoch,
        "final": task_metric(task, model, X_test, y_test),
    }


def format_table(rows):
    """The results as a plain-text table, workshop and course rows per task."""
    head = (
        f"{'task':<11}{'setting':<10}{'epochs':>7}{'wall s':>9}{'target':>10}"
        f"{'s to target':>13}{'final':>9}{'wall ratio':>12}"
    )
    lines = [head, "-" * len(head)]
    walls = {(r["task"], r["who"]): r["wall"] for r in rows}
    for r in rows:
        _, target, higher = TARGETS[r["task"]]
        reached = (
            "never" if r["reached"] is None else f"{r['reached']:.1f} (ep {r['reached_epoch']})"
        )
        ratio = ""
        if r["who"] == "course" and (r["task"], "workshop") in walls:
            ratio = f"{walls[(r['task'], 'workshop')] / r['wall']:.1f}x"
        lines.append(
            f"{r['task']:<11}{r['who']:<10}{r['epochs']:>7}{r['wall']:>9.1f}"
            f"{('>=' if higher else '<=') + format(target, '.3g'):>10}{reached:>13}"
            f"{r['final']:>9.4f}{ratio:>12}"
        )
    lines.append(
        "metrics: regression test MSE, iris and mnist test accuracy; times exclude the "
        "per-epoch test evaluation; wall ratio = workshop wall s / course wall s"
    )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="tools/bench.py", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="cap every fit at a few epochs")
    parser.add_argument("--tasks", nargs="+", default=list(TARGETS), choices=list(TARGETS))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rows = []
    for task in args.tasks:
        for who in ("workshop", "course"):
            print(f"training {task} ({who}) ...", flush=True)
            rows.append(run_one(task, who, seed=args.seed, quick=args.quick))
    if args.quick:
        print(
            "--quick: every fit capped at", QUICK_EPOCHS, "epochs; the numbers only prove it runs"
        )
    print(format_table(rows))
    return rows


if __name__ == "__main__":
    main()
