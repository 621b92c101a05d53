"""Helpers of the page "Scaling up: one CPU, one GPU, many devices".

* :func:`split_cpu` splits the CPU into logical devices, so that
  ``tf.distribute.MirroredStrategy`` can run on a machine without accelerators.
* :func:`solution_settings` and :func:`train_solution`: the MNIST solution's
  settings, and its training with one batch per call into TensorFlow.
* :func:`step_timer` is a Keras callback that times every training step.
* :func:`mnist_pipelines` and :func:`epoch_seconds` measure what ``tf.data``'s
  ``cache``, vectorised ``map`` and ``prefetch`` change.
* :func:`per_replica_batch` and :func:`scaled_learning_rate`: the arithmetic of
  adding devices.

TensorFlow and Keras are imported inside the functions.
"""

from __future__ import annotations

import math
import time

import numpy as np

from dnncourse._args import Arguments, describe
from dnncourse.backend import import_keras, import_tensorflow


def split_cpu(n_devices=2):
    """Split the first physical CPU into ``n_devices`` logical devices.

    TensorFlow fixes its devices when its runtime starts, that is at the first
    operation that runs (not at ``import tensorflow``): call this before any
    tensor is created.  In a notebook that means in the first cell that uses
    TensorFlow, in a fresh kernel.

    Parameters
    ----------
    n_devices : int

    Returns
    -------
    list of tf.config.LogicalDevice
        The CPU devices, ``/device:CPU:0`` to ``/device:CPU:{n_devices - 1}``.

    Raises
    ------
    RuntimeError
        When TensorFlow has already started with another configuration.
    """
    Arguments("split_cpu").integer("n_devices", n_devices, low=1, high=64, example=2)
    tf = import_tensorflow("dnncourse.theory.scaling.split_cpu")

    cpu = tf.config.list_physical_devices("CPU")[0]
    config = [tf.config.LogicalDeviceConfiguration() for _ in range(n_devices)]
    try:
        tf.config.set_logical_device_configuration(cpu, config)
    except RuntimeError as err:
        if len(tf.config.list_logical_devices("CPU")) == n_devices:
            return tf.config.list_logical_devices("CPU")  # already split this way
        raise RuntimeError(
            f"could not split the CPU into {n_devices} logical devices: TensorFlow has "
            "already started. Restart the kernel and call split_cpu() before anything "
            "else runs a TensorFlow operation."
        ) from err
    return tf.config.list_logical_devices("CPU")


def solution_settings():
    """The MNIST solution's training settings: the defaults of ``solve_mnist``.

    Returns
    -------
    dict
        ``epochs``, ``batch_size`` (the global batch) and ``peak_learning_rate``.
    """
    import inspect

    from ..solutions.mnist import solve_mnist

    params = inspect.signature(solve_mnist).parameters
    return {k: params[k].default for k in ("epochs", "batch_size", "peak_learning_rate")}


def train_solution(epochs=1, seed=0, callbacks=(), n_train=None):
    """:func:`~dnncourse.solutions.mnist.solve_mnist` with one batch per call into TensorFlow.

    Same network, data split, batch size and warm-up plus cosine schedule
    (over ``epochs``), but ``steps_per_execution=1``: ``solve_mnist`` runs 8
    batches per call, which TensorFlow 2.21's ``MirroredStrategy`` fails to
    execute for this model.  Call it inside a ``strategy.scope()`` to train under
    a strategy.

    Parameters
    ----------
    epochs, seed : int
    callbacks : sequence of keras.callbacks.Callback
    n_train : int, optional
        Train on the first ``n_train`` of the 55,000 training digits only (to
        save time); the validation digits are always the same 5,000.

    Returns
    -------
    model : keras.Sequential
    history : keras.callbacks.History
        ``loss``, ``accuracy``, ``val_loss``, ``val_accuracy`` per epoch.
    """
    from ..training import _callback_list

    door = Arguments("train_solution")
    door.integer("epochs", epochs, low=1, example=1)
    door.seed("seed", seed, allow_none=False)
    _callback_list(door, callbacks)
    if n_train is not None:
        door.integer("n_train", n_train, low=1, high=55_000, example=25_600,
                     fix="Pass n_train from 1 to 55000, or n_train=None for all.")  # fmt: skip
    from ..solutions.mnist import solve_mnist

    return solve_mnist(
        seed=seed, epochs=epochs, callbacks=callbacks, steps_per_execution=1, n_train=n_train
    )


def step_timer():
    """A Keras callback that records the wall time of every training step.

    Returns
    -------
    keras.callbacks.Callback
        After ``fit``, its ``seconds`` attribute is a list with one duration per
        step, in order.  The first steps include tracing and are slow: see
        :func:`median_step_ms`.
    """
    keras = import_keras()

    class StepTimer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seconds = []

        def on_train_batch_begin(self, batch, logs=None):
            self._start = time.perf_counter()

        def on_train_batch_end(self, batch, logs=None):
            self.seconds.append(time.perf_counter() - self._start)

    return StepTimer()


def median_step_ms(timer, skip=5):
    """Median step time in milliseconds, leaving out the first ``skip`` steps (tracing).

    Parameters
    ----------
    timer : the callback from :func:`step_timer`, after ``fit``
    skip : int

    Returns
    -------
    float
    """
    door = Arguments("median_step_ms")
    seconds = getattr(timer, "seconds", None)
    if isinstance(timer, type) or not isinstance(seconds, list):
        door.fail("timer", "the callback step_timer() returns", describe(timer),
                  "Pass timer = step_timer(), after model.fit(..., callbacks=[timer]).", TypeError)  # fmt: skip
    door.integer("skip", skip, low=0, example=5)
    if len(seconds) <= skip:
        door.fail("timer", f"more than skip={skip} timed steps", f"{len(seconds)} steps",
                  "Pass the timer to fit() as a callback, and train for more steps.")  # fmt: skip
    return 1000.0 * float(np.median(timer.seconds[skip:]))


def mnist_pipelines(x, y, batch_size=128):
    """Three ``tf.data`` pipelines that turn uint8 digits into batches for the CNN.

    Each yields ``(images, labels)`` with images float32 in [0, 1] of shape
    (batch, 28, 28, 1).

    Parameters
    ----------
    x : ndarray, shape (n, 28, 28), uint8
    y : ndarray, shape (n,)
    batch_size : int

    Returns
    -------
    dict
        ``"map per image"``: scale each image separately, then batch;
        ``"batch, then map"``: batch first, then scale whole batches (one
        vectorised operation per batch); ``"batch, map, cache, prefetch"``: the
        same, kept in memory after the first pass and prepared one batch ahead.
    """
    door = Arguments("mnist_pipelines")
    images = door.rows("x", x, shape=(None, 28, 28), what="uint8 digits",
                       fix="Pass the uint8 digits, e.g. x_train[:1024].")  # fmt: skip
    if images.dtype != np.uint8:  # scaled digits would be scaled twice
        door.fail("x", "uint8 digits 0..255 of shape (n, 28, 28)", f"an array of {images.dtype}",
                  "Pass the raw digits of load_mnist(): the pipelines scale them.", TypeError)  # fmt: skip
    door.labels("y", y, 10)
    door.same_length(("x", images), ("y", np.asarray(y)))
    door.integer("batch_size", batch_size, low=1, example=128)
    tf = import_tensorflow("dnncourse.theory.scaling.mnist_pipelines")

    def scale(images, labels):
        return tf.cast(images, tf.float32)[..., tf.newaxis] / 255.0, labels

    source = tf.data.Dataset.from_tensor_slices((x, y))
    return {
        "map per image": source.map(scale).batch(batch_size),
        "batch, then map": source.batch(batch_size).map(scale),
        "batch, map, cache, prefetch": (
            source.batch(batch_size).map(scale).cache().prefetch(tf.data.AUTOTUNE)
        ),
    }


def epoch_seconds(dataset, n_epochs=2):
    """Wall time of reading every batch of ``dataset``, once per epoch.

    Returns
    -------
    list of float
        One duration per epoch; a cached dataset is slow only in the first.
    """
    door = Arguments("epoch_seconds")
    if isinstance(dataset, (str, bytes, dict, type)) or not hasattr(dataset, "__iter__"):
        door.fail("dataset", "a tf.data.Dataset (something to iterate over)", describe(dataset),
                  "Pass one of the pipelines mnist_pipelines() returns.", TypeError)  # fmt: skip
    door.integer("n_epochs", n_epochs, low=1, high=1000, example=2)
    out = []
    for _ in range(n_epochs):
        start = time.perf_counter()
        for _batch in dataset:
            pass
        out.append(time.perf_counter() - start)
    return out


def per_replica_batch(global_batch_size, n_replicas):
    """Samples each device sees per step when ``fit`` splits a global batch.

    Raises
    ------
    ValueError
        When the global batch does not divide evenly (Keras would give the
        devices unequal shares).
    """
    door = Arguments("per_replica_batch")
    global_batch_size = door.integer("global_batch_size", global_batch_size, low=1, example=256)
    n_replicas = door.integer("n_replicas", n_replicas, low=1, example=2)
    if global_batch_size % n_replicas:
        raise ValueError(
            f"per_replica_batch(), arguments global_batch_size, n_replicas: expected a global "
            f"batch that splits evenly, got {global_batch_size}, which does not split evenly "
            f"over {n_replicas} devices. Choose a multiple of {n_replicas}, e.g. "
            f"global_batch_size={-(-global_batch_size // n_replicas) * n_replicas}."
        ) from None
    return global_batch_size // n_replicas


def scaled_learning_rate(base_rate, base_batch, new_batch, rule="linear"):
    """Learning rate for a larger global batch, by the linear or square-root rule.

    The linear rule (Goyal et al., 2017, for SGD with warm-up) multiplies the
    rate by ``new_batch / base_batch``; the square-root rule, gentler and often
    used with Adam, by its square root.  Both are starting points to check on
    validation data, not guarantees.

    Returns
    -------
    float
    """
    door = Arguments("scaled_learning_rate")
    door.real("base_rate", base_rate, low=0, low_open=True, example=1e-3)
    door.integer("base_batch", base_batch, low=1, example=128)
    door.integer("new_batch", new_batch, low=1, example=1024)
    door.choice("rule", rule, ("linear", "sqrt"))
    factor = new_batch / base_batch
    return base_rate * (factor if rule == "linear" else math.sqrt(factor))
