"""The argument checks of :mod:`dnncourse.theory.training_well` (kept apart: that module is long).

Each function checks one public function's arguments with
:class:`dnncourse._args.Arguments` and raises one ``TypeError``/``ValueError``
naming the function and the argument; none imports Keras or TensorFlow.
"""

from __future__ import annotations

import numpy as np

from dnncourse._args import Arguments, describe

PARAMS_221 = {"W1": (2, 2), "b1": (2,), "w2": (2,)}
_PARAMS_FIX = ("Pass params as a dict with W1 of shape (2, 2), b1 and w2 of shape (2,) and b2 a "
               "number, e.g. {'W1': np.eye(2), 'b1': np.zeros(2), 'w2': np.ones(2), 'b2': 0.0}.")  # fmt: skip


def mse(y, y_hat):
    door = Arguments("mse")
    y = door.rows("y", y, ndim=(1, 2), what="targets")
    y_hat = door.rows("y_hat", y_hat, ndim=(1, 2), what="predictions")
    if y.shape != y_hat.shape:
        raise ValueError(
            f"mse(), arguments y, y_hat: expected the same shape, one prediction per target, got "
            f"{y.shape} and {y_hat.shape}. Pass both as shape (n,), e.g. y_hat.ravel()."
        ) from None


def net_221(func, params, x, *t):
    """params of the 2-2-1 network, one input x of shape (2,), and a target t (if given)."""
    door = Arguments(func)
    if not isinstance(params, dict):
        door.fail("params", "a dict of W1, b1, w2, b2", describe(params), _PARAMS_FIX, TypeError)
    missing = [k for k in (*PARAMS_221, "b2") if k not in params]
    if missing:
        door.fail("params", "the keys W1, b1, w2, b2", f"a dict without {', '.join(missing)}",
                  _PARAMS_FIX)  # fmt: skip
    for key, shape in PARAMS_221.items():
        door.array(f"params['{key}']", params[key], shape=shape, fix=_PARAMS_FIX)
    door.array("params['b2']", params["b2"], shape=(), what="a number", fix=_PARAMS_FIX)
    door.array("x", x, shape=(2,), fix="Pass one input, e.g. x=np.array([1.0, 2.0]).")
    if t:
        door.real("t", t[0], example=1.0)


def activations_through_depth(initializer, depth, width, n, seed):
    door = Arguments("activations_through_depth")
    if not isinstance(initializer, str) and (not callable(initializer)
                                             or isinstance(initializer, type)):  # fmt: skip
        door.fail("initializer", "a Keras initializer or its name", describe(initializer),
                  "Pass e.g. initializer='he_normal'.", TypeError)  # fmt: skip
    door.integer("depth", depth, low=1, high=100, example=10)
    door.integer("width", width, low=1, high=4096, example=256)
    door.integer("n", n, low=1, high=100_000, example=1000)
    door.seed("seed", seed, allow_none=False)
    return door


def batch_norm(X, gamma, beta, eps):
    door = Arguments("batch_norm")
    X = door.rows("X", X, ndim=2, what="a batch of shape (n, d)")
    d = X.shape[1]
    fix = f"Pass one number per feature (column of X), e.g. np.ones({d})."
    gamma = door.array("gamma", gamma, shape=(d,), fix=fix)
    beta = door.array("beta", beta, shape=(d,), fix=fix)
    door.real("eps", eps, low=0, low_open=True, example=1e-3)
    return X, gamma, beta


def bn_mlp(batch_norm, depth, width):
    door = Arguments("bn_mlp")
    door.boolean("batch_norm", batch_norm)
    door.integer("depth", depth, low=1, high=50, example=3)
    door.integer("width", width, low=1, high=10_000, example=128)


def lr_range_test(model, X, y, start, stop, n_steps, batch_size, seed):
    door = Arguments("lr_range_test")
    if isinstance(model, type) or not all(
        callable(getattr(model, name, None)) for name in ("train_on_batch", "reset_metrics")
    ):
        door.fail("model", "a compiled keras.Model", describe(model),
                  "Pass a fresh model, compiled with an optimizer.", TypeError)  # fmt: skip
    X, y = door.rows("X", X), door.rows("y", y, ndim=1, what="labels or targets")
    door.same_length(("X", X), ("y", y))
    start = door.real("start", start, low=0, low_open=True, example=1e-5)
    door.real("stop", stop, low=start, low_open=True, example=1.0,
              fix=f"Pass a stop larger than start={start!r}, e.g. stop=1.0.")  # fmt: skip
    n_steps = door.integer("n_steps", n_steps, low=1, high=100_000, example=100)
    batch_size = door.integer("batch_size", batch_size, low=1, example=128)
    door.seed("seed", seed, allow_none=False)
    if n_steps * batch_size > len(X):
        door.fail("X", f"at least n_steps * batch_size = {n_steps * batch_size} rows",
                  f"{len(X)} rows", "Pass more rows, or fewer n_steps or a smaller batch_size.")  # fmt: skip
    return X, y


def curve(func, values, beta=None, half_width=None):
    """A recorded curve: a 1-D array of numbers (NaN allowed: a loss that overflowed)."""
    door = Arguments(func)
    door.rows("values", values, ndim=1, finite=False, what="a curve (1-D array of numbers)")
    if func == "smooth":
        door.real("beta", beta, low=0, high=1, high_open=True, example=0.9)
    else:
        door.integer("half_width", half_width, low=0, example=5)


def optimizer_path(optimizer, gradient, w0, n_steps):
    door = Arguments("optimizer_path")
    if isinstance(optimizer, type) or not callable(getattr(optimizer, "apply", None)):
        door.fail("optimizer", "a keras.optimizers.Optimizer object", describe(optimizer),
                  "Pass e.g. keras.optimizers.SGD(learning_rate=0.05).", TypeError)  # fmt: skip
    door.function("gradient", gradient, "gradient=bowl_gradient")
    w = door.array("w0", w0, ndim=1, low_rows=1, what="a starting point of shape (d,)",
                   fix="Pass the start as e.g. w0=[-3.0, 3.0].")  # fmt: skip
    if door.integer("n_steps", n_steps, low=0, high=10**6, example=40):
        try:
            g = np.asarray(gradient(w.astype("float32")))
        except Exception as err:  # noqa: BLE001 (a learner's function: named, whatever it raised)
            text = str(err) if len(str(err)) <= 100 else str(err)[:97].rstrip() + "..."
            g = f"an error from it ({type(err).__name__}: {text})"
        if isinstance(g, str) or g.shape != w.shape or g.dtype.kind not in "biuf":
            raise ValueError(
                f"optimizer_path(), arguments gradient, w0: expected gradient(w0) to give a "
                f"gradient of the shape of w0, {w.shape}, got "
                f"{g if isinstance(g, str) else describe(g)}. Pass a function and a start that "
                f"fit, e.g. bowl_gradient with w0=[-3.0, 3.0]."
            ) from None
