"""The argument checks of :mod:`dnncourse.theory.fitting` (kept apart: that module is long).

Each function checks one public function's arguments with
:class:`dnncourse._args.Arguments` and raises one ``TypeError``/``ValueError``
naming the function and the argument; none imports Keras or TensorFlow.
"""

from __future__ import annotations

import matplotlib.pyplot as plt

from dnncourse._args import Arguments, describe, number, to_numpy

_POINTS_FIX = "Pass the arrays make_wave_data returns: X, y = make_wave_data(20)."


def points(door, X, y, X_name="X", y_name="y"):
    """X of shape (n, 1) and y of shape (n,), as make_wave_data returns them."""
    X = door.rows(X_name, X, shape=(None, 1), fix=_POINTS_FIX)
    y = door.rows(y_name, y, ndim=1, fix=_POINTS_FIX)
    door.same_length((X_name, X), (y_name, y))
    return X, y


def axes(door, ax, optional=True):
    if (ax is not None or not optional) and not isinstance(ax, plt.Axes):
        fix = "Pass one from fig, ax = plt.subplots()" + (", or ax=None." if optional else ".")
        door.fail("ax", "a Matplotlib Axes" + (" or None" if optional else ""), describe(ax),
                  fix, TypeError)  # fmt: skip


def wave(x):
    Arguments("wave").array("x", x, what="a number or an array of numbers",
                            fix="Pass x as a number or an array, e.g. np.linspace(-1, 1, 50).")  # fmt: skip


def make_wave_data(n, noise, seed):
    door = Arguments("make_wave_data")
    door.integer("n", n, low=1, high=10**7, example=20)
    door.real("noise", noise, low=0, example=0.4)
    door.seed("seed", seed)


def floor_mse(X, y):
    points(Arguments("floor_mse"), X, y)


def parallel_networks(n_networks, hidden, l2, learning_rate, seed, curves):
    door = Arguments("parallel_networks")
    n_networks = door.integer("n_networks", n_networks, low=1, high=1000, example=10)
    door.units("hidden", hidden, example=(64, 64))
    fix = f"Pass one number >= 0, e.g. l2=1e-3, or one per network ({n_networks} numbers)."
    lam = door.array("l2", l2, ndim=(0, 1), fix=fix, what="a number or numbers >= 0")
    if lam.dtype.kind == "b":  # True is no coefficient
        door.fail("l2", "a number or numbers >= 0", describe(l2), fix, TypeError)
    if lam.ndim and lam.shape != (n_networks,):
        door.fail("l2", f"one number or {n_networks} (one per network)", describe(lam), fix)
    if (lam < 0).any():
        door.fail("l2", "numbers >= 0", number(lam.min()), fix)
    door.real("learning_rate", learning_rate, low=0, low_open=True, example=0.01)
    door.seed("seed", seed, allow_none=False)
    door.boolean("curves", curves)


def model(door, model, call=False):
    """A model from parallel_networks: has ``output_shape`` (and is callable)."""
    shape = getattr(model, "output_shape", None)
    if isinstance(model, type) or not isinstance(shape, tuple) or len(shape) != 2 \
            or not isinstance(shape[-1], int) or (call and not callable(model)):  # fmt: skip
        door.fail("model", "a model parallel_networks() built", describe(model),
                  "Pass model = parallel_networks(K).", TypeError)  # fmt: skip
    return shape[-1]


def fit_parallel(model_, X, y, epochs, seed, validation_data):
    door = Arguments("fit_parallel")
    k = model(door, model_)
    door.integer("epochs", epochs, low=1, example=500)
    door.seed("seed", seed, allow_none=False)
    columns(door, k, X, y, "X", "y")
    if validation_data is not None:
        fix = "Pass validation_data=(X_val, y_val), shaped like X and y."
        if not isinstance(validation_data, (list, tuple)) or len(validation_data) != 2:
            door.fail("validation_data", "a pair (X_val, y_val)", describe(validation_data),
                      fix, TypeError)  # fmt: skip
        columns(door, k, *validation_data, "validation_data[0]", "validation_data[1]")


def columns(door, k, X, y, X_name, y_name):
    """(n, 1) and (n,) shared by all K networks, or (K, n, 1) and (K, n)."""
    fix = (
        f"Pass X of shape (n, 1) and y of shape (n,), or one set per network: "
        f"({k}, n, 1) and ({k}, n)."
    )
    X = door.array(X_name, X, ndim=(2, 3), fix=fix)
    shape_X, shape_y = ((None, 1), (None,)) if X.ndim == 2 else ((k, None, 1), (k, None))
    X = door.array(X_name, X, shape=shape_X, fix=fix)
    y = door.array(y_name, y, shape=shape_y, fix=fix)
    if X.shape[-2] != y.shape[-1] or X.shape[-2] == 0:
        door.fail(f"{X_name}, {y_name}", "the same number of points (at least 1) in both",
                  f"{X.shape[-2]} and {y.shape[-1]}", fix)  # fmt: skip


def predict_parallel(model_, X):
    door = Arguments("predict_parallel")
    model(door, model_, call=True)
    door.rows("X", X, shape=(None, 1), fix="Pass the points as shape (n, 1), e.g. grid[:, None].")


def bias_variance(predictions, x):
    door = Arguments("bias_variance")
    P = door.rows("predictions", predictions, ndim=2,
                  fix="Pass K models' predictions at m points, shape (K, m).")  # fmt: skip
    door.array("x", x, shape=(P.shape[1],), fix="Pass the m points the predictions are at.")


def plot_fit(model_, X_train, y_train, X_val, y_val, ax, title):
    door = Arguments("plot_fit")
    door.function("model", model_, "model=model (a trained Keras model)")
    X_train, y_train = points(door, X_train, y_train, "X_train", "y_train")
    if (X_val is None) != (y_val is None):
        raise ValueError(
            f"plot_fit(), arguments X_val, y_val: expected both or neither, got only "
            f"{'y_val' if X_val is None else 'X_val'}. Pass both validation arrays, or neither."
        ) from None
    if X_val is not None:
        X_val, y_val = points(door, X_val, y_val, "X_val", "y_val")
    axes(door, ax)
    door.text("title", title, allow_none=True, example="a fit")
    return X_train, y_train, X_val, y_val


def fitted(model_, grid):
    """The model's 300 predictions on the grid, or one error naming model."""
    try:
        y_hat = to_numpy(model_(grid)).reshape(-1)
    except Exception as err:  # noqa: BLE001 (whatever the model raised: named, one traceback)
        text = str(err) if len(str(err)) <= 100 else str(err)[:97].rstrip() + "..."
        y_hat = f"an error from it ({type(err).__name__}: {text})"
    if isinstance(y_hat, str) or y_hat.shape != (len(grid),) or y_hat.dtype.kind not in "biuf":
        Arguments("plot_fit").fail(
            "model",
            "a function mapping inputs (k, 1) to predictions (k, 1) or (k,)",
            y_hat if isinstance(y_hat, str) else describe(y_hat),
            "Pass the trained model, e.g. plot_fit(model, X, y).",
            TypeError,
        )
    return y_hat


def plot_floors(ax, floor_train, floor_val):
    door = Arguments("plot_floors")
    axes(door, ax, optional=False)
    door.real("floor_train", floor_train, low=0, example=0.16)
    door.real("floor_val", floor_val, low=0, example=0.16)


def plot_spread(x, predictions, ax, title):
    door = Arguments("plot_spread")
    x = door.rows("x", x, ndim=1, fix="Pass the m points, e.g. np.linspace(-1, 1, 100).")
    predictions = door.rows("predictions", predictions, shape=(None, len(x)),
                            fix="Pass K fits' predictions at the points x, shape (K, m).")  # fmt: skip
    axes(door, ax, optional=False)
    door.text("title", title, allow_none=True, example="spread")
    return x, predictions
