"""Benchmark: the workshop's solution settings against the course's solutions.

    nox -s bench                  # full runs, about a quarter of an hour on 2 cores
    nox -s bench -- --quick       # every fit capped at a few epochs: proves it runs
    nox -s bench -- --tasks mnist --mnist-seeds 0 1 2
    nox -s bench -- --no-workshop --backends tensorflow jax torch   # side by side

A maintainer tool (``tools/``, not in the wheel). It watches each run through
the ``callbacks=`` and ``epochs=`` arguments that the course's ``solve_*``
functions and ``tools/workshop.py``'s ``run_workshop`` take, without patching Keras.

For each tutorial both runs use the same course data and go to their own stopping
point (the workshop's fixed epochs; the course solution's early stopping or
schedule).  A callback evaluates the test metric after every epoch, so the table
can say when the target was first reached (a measurement for maintainers: the
course's choices were made on validation data); its own time is subtracted from
every time reported.  Per run the table gives wall seconds (loading the data,
building and training, as a learner's run does) beside CPU seconds (summed over
threads: on a shared machine the wall clock includes other people's work), seconds
until the target was first reached (same clock), the final test metric, and the
workshop's wall time divided by the course's.  The course's MNIST solution runs on
several seeds; for MNIST runs the table adds images per second of ``fit`` and the
GFLOP/s this implies, next to a timed matrix product (the machine's figure).

``--backends`` runs everything once per Keras backend, each in a fresh Python
(Keras reads ``KERAS_BACKEND`` once, at its first import), and prints one table
with the backend as its first column; the machine's figure is measured per backend,
with that backend's matrix product.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from dnncourse.tutorials import TUTORIALS

#: Target per task: (metric name, target, higher is better), from the table of tutorials.
TARGETS = {t.name: (t.metric, t.target, t.higher_is_better) for t in TUTORIALS.values()}
#: Epoch cap per fit in --quick mode.
QUICK_EPOCHS = {"regression": 20, "iris": 20, "mnist": 1}
#: A training step costs about 3 forward passes (forward, gradient of the inputs, of the weights).
TRAIN_PASSES = 3


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


def forward_macs(model):
    """Multiply-adds of one forward pass of one input through the Conv2D and Dense layers.

    Conv2D: output height x width x filters x kernel height x width x input channels;
    Dense: inputs x units.  Pooling, normalisation and activations are left out
    (a few per cent of the total for the course's CNNs).
    """
    macs = 0
    for layer in model.layers:
        kind = type(layer).__name__
        if kind == "Conv2D":
            _, h, w, c_out = layer.output.shape
            kh, kw, c_in, _ = layer.kernel.shape
            macs += h * w * c_out * kh * kw * c_in
        elif kind == "Dense":
            c_in, c_out = layer.kernel.shape
            macs += c_in * c_out
    return int(macs)


def machine_gflops(n=2048, repeats=5):
    """The machine's figure: GFLOP/s of the best of ``repeats`` float32 (n, n) matrix products."""
    import keras

    rng = np.random.default_rng(0)
    A = keras.ops.convert_to_tensor(rng.standard_normal((n, n), dtype=np.float32))
    B = keras.ops.convert_to_tensor(rng.standard_normal((n, n), dtype=np.float32))
    keras.ops.convert_to_numpy(keras.ops.matmul(A, B))  # warm-up
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        keras.ops.convert_to_numpy(keras.ops.matmul(A, B))
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best / 1e9


def _callback_class():
    import keras

    class TargetClock(keras.callbacks.Callback):
        """Evaluates the test metric after each epoch; records when the target was first met.

        Times are measured from ``origin`` (``time.perf_counter()`` at the start of
        the run) minus the time spent in this callback; CPU times likewise from
        ``cpu_origin`` (``time.process_time()``).  ``fit_wall``/``fit_cpu`` cover
        ``fit`` alone (its validation passes included).
        """

        def __init__(self, task, X_test, y_test, origin, cpu_origin):
            super().__init__()
            self.task, self.X_test, self.y_test = task, X_test, y_test
            self.origin, self.cpu_origin = origin, cpu_origin
            self.excluded = self.excluded_cpu = 0.0
            self.reached_seconds = self.reached_epoch = None
            self.epochs = 0
            self.fit_wall = self.fit_cpu = None

        def elapsed(self):
            return time.perf_counter() - self.origin - self.excluded

        def elapsed_cpu(self):
            return time.process_time() - self.cpu_origin - self.excluded_cpu

        def on_train_begin(self, logs=None):
            self._fit_start, self._fit_cpu_start = self.elapsed(), self.elapsed_cpu()

        def on_train_end(self, logs=None):
            self.fit_wall = self.elapsed() - self._fit_start
            self.fit_cpu = self.elapsed_cpu() - self._fit_cpu_start

        def on_epoch_end(self, epoch, logs=None):
            start, start_cpu = time.perf_counter(), time.process_time()
            self.epochs += 1
            value = task_metric(self.task, self.model, self.X_test, self.y_test)
            _, target, higher = TARGETS[self.task]
            met = value >= target if higher else value <= target
            if met and self.reached_seconds is None:
                self.reached_seconds = start - self.origin - self.excluded
                self.reached_epoch = self.epochs
            self.excluded += time.perf_counter() - start
            self.excluded_cpu += time.process_time() - start_cpu

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
        ``task``, ``who``, ``seed``, ``epochs``, ``wall`` and ``cpu`` (s, whole run),
        ``fit_wall``, ``fit_cpu`` (s, ``fit`` alone), ``reached`` (s or None),
        ``reached_epoch``, ``final`` (test metric of the returned model); for MNIST
        also ``images_per_s`` and ``gflops`` (training and validation images of
        ``fit`` per wall second, and the multiply-adds that implies, x 2 FLOP).
    """
    from workshop import load_task, run_workshop

    _, (X_test, y_test) = load_task(task)
    clock_cls = _callback_class()
    origin, cpu_origin = time.perf_counter(), time.process_time()
    clock = clock_cls(task, X_test, y_test, origin, cpu_origin)
    run = run_workshop if who == "workshop" else (lambda task, **kw: course_solver(task)(**kw))
    kwargs = {"epochs": QUICK_EPOCHS[task]} if quick else {}
    model, history = run(task, seed=seed, callbacks=[clock], **kwargs)
    row = {
        "task": task,
        "who": who,
        "seed": seed,
        "epochs": clock.epochs,
        "wall": clock.elapsed(),
        "cpu": clock.elapsed_cpu(),
        "fit_wall": clock.fit_wall,
        "fit_cpu": clock.fit_cpu,
        "reached": clock.reached_seconds,
        "reached_epoch": clock.reached_epoch,
        "final": task_metric(task, model, X_test, y_test),
    }
    if task == "mnist":
        from dnncourse.data.mnist import N_VAL

        # what fit saw: the workshop trains on all 60,000 and validates on the test digits
        n_train, n_val = (60000, len(X_test)) if who == "workshop" else (60000 - N_VAL, N_VAL)
        macs = forward_macs(model)
        flop = 2 * macs * clock.epochs * (TRAIN_PASSES * n_train + n_val)
        row["images_per_s"] = clock.epochs * (n_train + n_val) / clock.fit_wall
        row["gflops"] = flop / clock.fit_wall / 1e9
        row["macs"] = macs
        row["val"] = history.history.get("val_accuracy", [None])[-1]
    return row


def format_table(rows, machine=None):
    """The results as a plain-text table; ``machine`` is the matmul GFLOP/s (or None)."""
    head = (
        f"{'backend':<11}{'task':<11}{'setting':<10}{'seed':>5}{'epochs':>7}{'wall s':>8}{'fit s':>7}{'CPU s':>7}"
        f"{'target':>9}{'s to target':>13}{'final':>8}{'ratio':>7}{'val':>8}{'img/s':>7}"
        f"{'GFLOP/s':>9}"
    )
    lines = [head, "-" * len(head)]
    walls = {
        (r.get("backend"), r["task"], r["who"]): r["wall"] for r in rows if r["who"] == "workshop"
    }
    for r in rows:
        _, target, higher = TARGETS[r["task"]]
        reached = (
            "never" if r["reached"] is None else f"{r['reached']:.1f} (ep {r['reached_epoch']})"
        )
        ratio = ""
        key = (r.get("backend"), r["task"], "workshop")
        if r["who"] == "course" and key in walls:
            ratio = f"{walls[key] / r['wall']:.1f}x"
        speed = ""
        own = machine.get(r.get("backend")) if isinstance(machine, dict) else machine
        if "gflops" in r:
            share = f" ({100 * r['gflops'] / own:.0f}%)" if own else ""
            val = "" if r.get("val") is None else f"{r['val']:.4f}"
            speed = f"{val:>8}{r['images_per_s']:>7.0f}{r['gflops']:>9.1f}{share}"
        lines.append(
            f"{r.get('backend', ''):<11}{r['task']:<11}{r['who']:<10}{r['seed']:>5}{r['epochs']:>7}{r['wall']:>8.1f}"
            f"{r['fit_wall']:>7.1f}{r['cpu']:>7.1f}{('>=' if higher else '<=') + format(target, '.3g'):>9}"
            f"{reached:>13}{r['final']:>8.4f}{ratio:>7}{speed}"
        )
    lines.append(
        "metrics: regression test MSE, iris and mnist test accuracy; times exclude the "
        "per-epoch test evaluation; wall s = load, build and fit; fit s = fit alone; "
        "ratio = workshop wall s / course wall s; CPU s (whole run) summed over threads; val = "
        "final validation accuracy (the workshop's is its test set); img/s and GFLOP/s over fit alone (training counted as "
        f"{TRAIN_PASSES} forward passes, validation as 1)"
    )
    figures = machine if isinstance(machine, dict) else {"": machine}
    for backend, gflops in figures.items():
        if gflops:
            on = f" ({backend}'s keras.ops.matmul)" if backend else ""
            lines.append(
                f"machine: {gflops:.1f} GFLOP/s on a 2048 x 2048 float32 matmul{on} (best of "
                "5); the percentage in brackets is the run's share of it"
            )
    return "\n".join(lines)


def page_weights(path=Path("_build/page_weights.json")):
    """Rows ``(page, kB, load ms, first render ms)`` of the built site, heaviest first.

    ``tests/site`` (``nox -s browser``) measures every page as a reader's
    browser loads it (gzip, MathJax included) and writes ``path``; without that
    file (no browser check since the last build) there are no rows.
    """
    if not path.is_file():
        return []
    pages = json.loads(path.read_text())
    rows = [(page, v["kB"], v["load_ms"], v["fcp_ms"]) for page, v in pages.items()]
    return sorted(rows, key=lambda r: -r[1])


def main(argv=None):
    parser = argparse.ArgumentParser(prog="tools/bench.py", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="cap every fit at a few epochs")
    parser.add_argument("--tasks", nargs="+", default=list(TARGETS), choices=list(TARGETS))
    parser.add_argument("--seed", type=int, default=0, help="seed of the regression/iris runs")
    parser.add_argument("--mnist-seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--no-workshop", action="store_true", help="course solutions only")
    parser.add_argument(
        "--backends", nargs="+", choices=["tensorflow", "jax", "torch"],
        help="run once per Keras backend, each in a fresh Python, and print one table",
    )  # fmt: skip
    parser.add_argument(
        "--json", type=Path, help=argparse.SUPPRESS
    )  # one backend's rows, for --backends
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    if args.backends:
        return per_backend(args, load)
    import keras

    machine = machine_gflops()
    rows = []
    for task in args.tasks:
        seeds = args.mnist_seeds if task == "mnist" else [args.seed]
        runs = [("course", s) for s in seeds]
        if not args.no_workshop:
            runs.insert(0, ("workshop", seeds[0]))
        for who, seed in runs:
            print(f"training {task} ({who}, seed {seed}) ...", flush=True)
            rows.append(
                {
                    "backend": keras.backend.backend(),
                    **run_one(task, who, seed=seed, quick=args.quick),
                }
            )
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "machine": machine}))
        return rows
    report(rows, machine, load, args.quick)
    return rows


def per_backend(args, load):
    """Every run once per backend, each in a fresh Python; one table of all of them."""
    rows, machine = [], {}
    rest = ["--tasks", *args.tasks, "--seed", str(args.seed), "--mnist-seeds"]
    rest += [str(seed) for seed in args.mnist_seeds]
    rest += ["--quick"] * args.quick + ["--no-workshop"] * args.no_workshop
    for backend in args.backends:
        print(f"--- KERAS_BACKEND={backend} (a fresh Python)", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "rows.json"
            env = {**os.environ, "KERAS_BACKEND": backend}
            child = subprocess.run(
                [sys.executable, __file__, *rest, "--json", str(out)], env=env, check=False
            )
            if child.returncode or not out.is_file():
                print(f"{backend}: failed (exit {child.returncode}); is it installed here?")
                continue
            found = json.loads(out.read_text())
        rows += found["rows"]
        machine[backend] = found["machine"]
    report(rows, machine, load, args.quick)
    return rows


def report(rows, machine, load, quick):
    """The table, then the machine's load and the page weights."""
    if quick:
        print(
            "--quick: every fit capped at", QUICK_EPOCHS, "epochs; the numbers only prove it runs"
        )
    print(format_table(rows, machine))
    print(
        f"load average (1 min) at the start {load:.1f}, at the end {os.getloadavg()[0]:.1f}; "
        f"{os.cpu_count()} CPUs"
    )
    weights = page_weights()
    if weights:
        print(f"\n{'page (as loaded, gzip)':42} {'kB':>6} {'load ms':>8} {'render ms':>10}")
        for page, kb, load_ms, fcp_ms in weights:
            print(f"{page:42} {kb:6.0f} {load_ms:8.0f} {fcp_ms:10.0f}")
    else:
        print("\npage weights: run `nox -s book` and `nox -s browser` first")


if __name__ == "__main__":
    main()
