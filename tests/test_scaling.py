"""The scaling page: the device split, the batch arithmetic, and MirroredStrategy's accuracy.

TensorFlow fixes its devices when its runtime starts, so every test that splits the
CPU runs its own Python process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from dnncourse.theory import scaling

#: Largest difference in validation accuracy (one epoch of the MNIST solution) between
#: one device and MirroredStrategy over 2 logical CPUs; the page states the same value.
#: The runs differ in dropout masks, per-replica batch-norm statistics and summation order.
ACCURACY_TOLERANCE = 0.01


def run_python(code, timeout=600):
    """Run ``code`` in a fresh interpreter; return its last stdout line parsed as JSON."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        check=False,  # the assert below shows the child's stderr
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_per_replica_batch():
    assert scaling.per_replica_batch(128, 2) == 64
    assert scaling.per_replica_batch(1024, 8) == 128
    with pytest.raises(ValueError, match="does not split evenly over 3 devices"):
        scaling.per_replica_batch(128, 3)


def test_scaled_learning_rate_rules():
    assert scaling.scaled_learning_rate(1e-3, 128, 1024) == pytest.approx(8e-3)
    assert scaling.scaled_learning_rate(1e-3, 128, 512, rule="sqrt") == pytest.approx(2e-3)
    assert scaling.scaled_learning_rate(3e-3, 128, 128) == pytest.approx(3e-3)


@pytest.mark.slow  # starts TensorFlow twice, in subprocesses
def test_split_cpu_before_and_after_tensorflow_starts():
    result = run_python(
        """
        import json
        import tensorflow as tf
        from dnncourse.theory import scaling

        devices = scaling.split_cpu(2)
        again = scaling.split_cpu(2)  # the same split again is harmless
        tf.constant(1.0)  # TensorFlow has started
        try:
            scaling.split_cpu(3)
            late = "no error"
        except RuntimeError as err:
            late = str(err)
        print(json.dumps({"n": len(devices), "again": len(again), "late": late}))
        """
    )
    assert result["n"] == result["again"] == 2
    assert "Restart the kernel" in result["late"]


@pytest.mark.slow
@pytest.mark.mnist
def test_mirrored_strategy_matches_single_device_accuracy():
    result = run_python(
        """
        import json
        import tensorflow as tf
        from dnncourse.theory import scaling

        scaling.split_cpu(2)
        _, single = scaling.train_solution(epochs=1)
        strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
        with strategy.scope():
            model, mirrored = scaling.train_solution(epochs=1)
        print(json.dumps({
            "replicas": strategy.num_replicas_in_sync,
            "variable": type(model.layers[0].kernel.value).__name__,
            "single": single.history["val_accuracy"][-1],
            "mirrored": mirrored.history["val_accuracy"][-1],
        }))
        """
    )
    assert result["replicas"] == 2 and result["variable"] == "MirroredVariable"
    assert result["single"] > 0.95  # one epoch of the solution does learn
    assert abs(result["single"] - result["mirrored"]) <= ACCURACY_TOLERANCE, result


@pytest.mark.slow
@pytest.mark.mnist
def test_solve_mnist_itself_fails_under_mirrored_strategy():
    """Why the page trains through train_solution: steps_per_execution=8 breaks the strategy.

    When this starts to fail, TensorFlow has fixed it: the page can call solve_mnist.
    """
    result = run_python(
        """
        import json
        import tensorflow as tf
        from dnncourse.solutions.mnist import solve_mnist
        from dnncourse.theory import scaling

        scaling.split_cpu(2)
        with tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"]).scope():
            try:
                solve_mnist(epochs=1)
                error = None
            except Exception as err:
                error = type(err).__name__
        print(json.dumps({"error": error}))
        """
    )
    assert result["error"] == "InvalidArgumentError"


def test_train_solution_follows_the_solution_settings():
    settings = scaling.solution_settings()
    assert set(settings) == {"epochs", "batch_size", "peak_learning_rate"}
    assert settings["batch_size"] % 2 == 0  # splits evenly over the page's 2 devices
