"""Gradients by automatic differentiation, with the tool of the Keras backend in use.

Keras 3 computes a model's outputs and losses the same way on every backend
(``keras.ops``), but it has no backend-neutral "gradient of this expression":
each backend records and differentiates with its own tool, and the pages name
all three:

============  ==============================================================
TensorFlow    ``tf.GradientTape``: record the computation, then ``tape.gradient``
JAX           ``jax.grad`` (here ``jax.value_and_grad``): transform the function
PyTorch       ``loss.backward()``: fills ``.grad`` of tensors made with
              ``requires_grad=True``
============  ==============================================================

:func:`value_and_gradients` is that table as one function; it imports the backend
only when called, so ``import dnncourse`` stays light.  :func:`float64` keeps
float64 tensors 64-bit on JAX, which otherwise truncates them to float32.  (Keras'
own type promotion still computes some operations in float32 on JAX and PyTorch:
``keras.backend.result_type("float64", "float64")`` is ``"float32"`` there.)
"""

from __future__ import annotations

import contextlib

import numpy as np

from ._args import Arguments, to_numpy  # to_numpy: any backend's tensor (PyTorch's detached)
from .backend import import_keras

__all__ = ["float64", "to_numpy", "value_and_gradients"]


def value_and_gradients(f, *arrays, dtype="float64"):
    """``f(*arrays)`` and its gradient with respect to each array, on Keras' backend.

    Parameters
    ----------
    f : callable
        ``f(*tensors) -> scalar tensor``, written with ``keras.ops`` (or Keras
        layers and models) so that it runs on every backend.
    *arrays : array_like
        The points at which to differentiate; each becomes a tensor of ``dtype``.
    dtype : str
        ``"float64"`` for checks against hand-derived values, ``"float32"`` as a
        model computes.  On JAX the call runs in a :func:`float64` block when
        ``dtype`` is ``"float64"`` (JAX would compute in float32 otherwise).

    Returns
    -------
    value : float
    gradients : list of ndarray
        One per array, each of that array's shape.
    """
    door = Arguments("value_and_gradients")
    door.function("f", f, example="lambda z: keras.ops.sum(z ** 2)")
    door.choice("dtype", dtype, ("float64", "float32"))
    if not arrays:
        door.fail("arrays", "at least one array to differentiate by", "none",
                  "Pass them after f, e.g. value_and_gradients(f, x).", TypeError)  # fmt: skip
    import keras

    backend = keras.backend.backend()
    values = [np.asarray(a, dtype=dtype) for a in arrays]
    if backend == "jax":
        import jax

        argnums = tuple(range(len(values)))
        with float64() if dtype == "float64" else contextlib.nullcontext():
            value, grads = jax.value_and_grad(f, argnums=argnums)(*values)
    elif backend == "torch":
        import torch

        tensors = [torch.tensor(v, requires_grad=True) for v in values]
        value = f(*tensors)
        value.backward()
        grads = [t.grad for t in tensors]
        value = value.detach()
    else:  # TensorFlow: record the computation on a tape, then ask it for the gradients
        import tensorflow as tf

        tensors = [tf.constant(v) for v in values]
        with tf.GradientTape() as tape:
            for t in tensors:
                tape.watch(t)  # constants are not watched by default, variables are
            value = f(*tensors)
        grads = tape.gradient(value, tensors)
    return float(to_numpy(value)), [to_numpy(g, dtype=dtype) for g in grads]


@contextlib.contextmanager
def float64():
    """A block in which JAX keeps float64 tensors (on the other backends, nothing changes).

    JAX truncates float64 arrays to float32 (with a warning) unless
    ``jax_enable_x64`` is on, which this turns on for the block.  Build the model
    inside the block too: its weights are made there.
    """
    if import_keras().backend.backend() != "jax":
        yield
        return
    import jax

    switch = getattr(jax, "enable_x64", None)  # jax >= 0.8; before: jax.experimental
    if switch is None:
        from jax.experimental import enable_x64 as switch
    with switch(True):
        yield
