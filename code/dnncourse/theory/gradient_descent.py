"""Helpers for the page "Training by gradient descent": toy problems and descent paths.

* A 2-D quadratic "bowl" (an elongated, tilted valley) with its exact gradient,
  and plain gradient descent on it.
* A least-squares line fit (two parameters, slope and intercept) with mini-batch
  stochastic gradient descent written in NumPy, so that the path can be drawn.

NumPy and Matplotlib only.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np

from dnncourse._args import Arguments, describe
from dnncourse.plots import MARKERS, OKABE_ITO


def _points(door, name, W, example="np.array([1.0, 0.5])"):
    """Finite points of shape (..., 2)."""
    fix = f"Pass {name} as one point (w1, w2) or a grid of them, e.g. {name}={example}."
    W = door.array(name, W, ndim=(1, None), what="points of shape (..., 2)", fix=fix)
    if W.shape[-1] != 2:
        door.fail(name, "points of shape (..., 2)", f"an array of shape {W.shape}", fix)
    return W


def _try(function, W):
    """``(np.asarray(function(W)), "")``, or ``(None, what went wrong)`` for the message."""
    try:
        return np.asarray(function(W)), ""
    except Exception as err:  # noqa: BLE001 (a learner's function: named, whatever it raised)
        text = str(err) if len(str(err)) <= 100 else str(err)[:97].rstrip() + "..."
        return None, f"an error from it ({type(err).__name__}: {text})"


def _line(door, X, y):
    """The line data: X of shape (n, 1), y of shape (n,)."""
    fix = "Pass the arrays make_line_data returns: X, y = make_line_data()."
    X = door.rows("X", X, shape=(None, 1), fix=fix)
    y = door.rows("y", y, ndim=1, fix=fix)
    door.same_length(("X", X), ("y", y))


# --------------------------------------------------------------------------- the bowl

#: The bowl's curvatures, the eigenvalues of its Hessian. The valley is 10 times
#: steeper across than along, like most real loss surfaces near a minimum.
BOWL_CURVATURES = (1.0, 10.0)
#: Angle (radians) of the valley's floor against the w1 axis.
BOWL_ANGLE = math.pi / 6
#: Where the bowl has its lowest point (loss 0).
BOWL_MINIMUM = np.array([1.0, 0.5])


def bowl_hessian():
    """The constant Hessian ``H`` of the bowl, shape (2, 2), symmetric positive definite."""
    c, s = math.cos(BOWL_ANGLE), math.sin(BOWL_ANGLE)
    R = np.array([[c, -s], [s, c]])
    return R @ np.diag(BOWL_CURVATURES) @ R.T


def bowl_loss(W):
    """Loss ``L(w) = 1/2 (w - w*)^T H (w - w*)`` of the bowl.

    Parameters
    ----------
    W : array_like, shape (..., 2)
        One point ``(w1, w2)`` or a grid of them.

    Returns
    -------
    ndarray, shape (...)
    """
    _points(Arguments("bowl_loss"), "W", W)
    D = np.asarray(W, dtype=float) - BOWL_MINIMUM
    return 0.5 * np.einsum("...i,ij,...j->...", D, bowl_hessian(), D)


def bowl_gradient(W):
    """Gradient ``H (w - w*)`` of :func:`bowl_loss`, shape (..., 2) like ``W``."""
    _points(Arguments("bowl_gradient"), "W", W)
    return (np.asarray(W, dtype=float) - BOWL_MINIMUM) @ bowl_hessian()


def critical_learning_rate():
    """Largest learning rate for which gradient descent on the bowl converges: 2 / max curvature."""
    return 2.0 / max(BOWL_CURVATURES)


def gradient_descent(gradient, w0, learning_rate, n_steps):
    """Plain gradient descent ``w <- w - learning_rate * gradient(w)``.

    Parameters
    ----------
    gradient : callable
        Maps a point of shape (d,) to the gradient there, shape (d,).
    w0 : array_like, shape (d,)
        Starting point.
    learning_rate : float
    n_steps : int

    Returns
    -------
    ndarray, shape (n_steps + 1, d)
        The path: the start and the point after every step.
    """
    door = Arguments("gradient_descent")
    door.function("gradient", gradient, "gradient=bowl_gradient")
    w = door.array("w0", w0, ndim=1, low_rows=1, what="a starting point of shape (d,)",
                   fix="Pass the start as e.g. w0=[-3.0, 3.0].")  # fmt: skip
    door.real("learning_rate", learning_rate, low=0, low_open=True, example=0.1)
    n_steps = door.integer("n_steps", n_steps, low=0, high=10**6, example=20)
    if n_steps:
        g, got = _try(gradient, w.astype(float))
        if got or g.shape != w.shape or g.dtype.kind not in "biuf":
            # the function or the start may be at fault: name both
            raise ValueError(
                f"gradient_descent(), arguments gradient, w0: expected gradient(w0) to give a "
                f"gradient of the shape of w0, {w.shape}, got {got or describe(g)}. Pass a "
                f"function and a start that fit, e.g. bowl_gradient with w0=[-3.0, 3.0]."
            ) from None
    path = [np.asarray(w0, dtype=float)]
    for _ in range(n_steps):
        path.append(path[-1] - learning_rate * gradient(path[-1]))
    return np.array(path)


# --------------------------------------------------------------------------- least squares


def make_line_data(n=1000, slope=2.0, intercept=-1.0, noise=0.5, seed=0):
    """Points scattered about a straight line: ``y = slope * x + intercept + noise``.

    ``x`` is uniform on [0, 2], not centred, so slope and intercept are
    correlated and the loss surface is a tilted valley, as it usually is.

    Returns
    -------
    X : ndarray, shape (n, 1), float32
    y : ndarray, shape (n,), float32
    """
    door = Arguments("make_line_data")
    door.integer("n", n, low=1, high=10**7, example=1000)
    for name, value in (("slope", slope), ("intercept", intercept)):
        door.real(name, value, example=2.0)
    door.real("noise", noise, low=0, example=0.5)
    door.seed("seed", seed)
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 2.0, n)
    y = slope * x + intercept + noise * rng.normal(size=n)
    return x[:, None].astype("float32"), y.astype("float32")


def line_loss(X, y, W):
    """Mean squared error of the line ``y_hat = w x + b`` for parameters ``W = (w, b)``.

    Parameters
    ----------
    X : ndarray, shape (n, 1)
    y : ndarray, shape (n,)
    W : array_like, shape (..., 2)
        One ``(w, b)`` pair or a grid of them.

    Returns
    -------
    ndarray, shape (...)
    """
    door = Arguments("line_loss")
    _line(door, X, y)
    _points(door, "W", W, "np.array([2.0, -1.0])")
    W = np.asarray(W, dtype=float)
    x = X[:, 0].astype(float)
    # Expand the square so a whole grid costs three sums, not one pass per grid point.
    m1, m2 = x.mean(), (x**2).mean()
    my, my2, mxy = y.mean(), (y.astype(float) ** 2).mean(), (x * y).mean()
    w, b = W[..., 0], W[..., 1]
    return w**2 * m2 + b**2 + 2 * w * b * m1 - 2 * w * mxy - 2 * b * my + my2


def line_sgd(X, y, w0, learning_rate, batch_size, n_epochs, seed=0):
    """Mini-batch stochastic gradient descent on :func:`line_loss`.

    Each epoch shuffles the points and takes one step per batch of
    ``batch_size`` points (the last batch may be smaller), as ``model.fit`` does.
    ``batch_size = len(X)`` is full-batch gradient descent.

    Returns
    -------
    ndarray, shape (n_steps + 1, 2)
        ``(w, b)`` at the start and after every step, with
        ``n_steps = n_epochs * iterations_per_epoch(len(X), batch_size)``.
    """
    door = Arguments("line_sgd")
    _line(door, X, y)
    door.array("w0", w0, shape=(2,), what="a starting point (w, b)",
               fix="Pass the start as e.g. w0=[-1.0, 2.0].")  # fmt: skip
    door.real("learning_rate", learning_rate, low=0, low_open=True, example=0.05)
    door.integer("batch_size", batch_size, low=1, example=32)
    door.integer("n_epochs", n_epochs, low=1, high=10**4, example=2)
    door.seed("seed", seed)
    rng = np.random.default_rng(seed)
    x, t = X[:, 0].astype(float), y.astype(float)
    W = np.asarray(w0, dtype=float).copy()
    path = [W.copy()]
    for _ in range(n_epochs):
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch_size):
            rows = order[start : start + batch_size]
            residual = W[0] * x[rows] + W[1] - t[rows]
            grad = 2 * np.array([(residual * x[rows]).mean(), residual.mean()])
            W = W - learning_rate * grad
            path.append(W.copy())
    return np.array(path)


def iterations_per_epoch(n_samples, batch_size):
    """Steps (weight updates) in one epoch: ``ceil(n_samples / batch_size)``."""
    door = Arguments("iterations_per_epoch")
    n_samples = door.integer("n_samples", n_samples, low=1, example=1000)
    batch_size = door.integer("batch_size", batch_size, low=1, example=32)
    return math.ceil(n_samples / batch_size)


def plot_paths(loss, paths, labels, extent, ax=None, levels=None, title=None):
    """Contours of a 2-parameter loss with descent paths drawn over them.

    Parameters
    ----------
    loss : callable
        Maps a grid of shape (k, k, 2) to losses of shape (k, k).
    paths : sequence of ndarray, each shape (n_i, 2)
    labels : sequence of str, one per path
    extent : (xmin, xmax, ymin, ymax)
        The window drawn; a path that leaves it is clipped.
    ax : Matplotlib axes, optional
    levels : sequence of float, optional
        Contour levels; by default 12 levels spaced evenly on a log scale.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    x0, x1, y0, y1 = _plot_door(loss, paths, labels, extent, ax, levels, title)
    G1, G2 = np.meshgrid(np.linspace(x0, x1, 200), np.linspace(y0, y1, 200))
    Z, got = _try(loss, np.stack([G1, G2], axis=-1))
    if got or Z.shape != G1.shape or Z.dtype.kind not in "biuf":
        Arguments("plot_paths").fail(
            "loss",
            "a function mapping a grid of shape (k, k, 2) to losses of shape (k, k)",
            got or f"{describe(Z)} for a (200, 200, 2) grid",
            "Pass e.g. loss=bowl_loss.",
            TypeError,
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(5.0, 4.2))
    if levels is None:
        levels = np.geomspace(Z.min() + 1e-3 * (Z.max() - Z.min()) + 1e-12, Z.max(), 12)
    ax.contour(G1, G2, Z, levels=levels, colors="0.6", linewidths=0.7)
    for k, (path, label) in enumerate(zip(paths, labels, strict=True)):
        ax.plot(path[:, 0], path[:, 1], color=OKABE_ITO[(4, 5, 2, 0, 6)[k % 5]],
                marker=MARKERS[k % len(MARKERS)], markersize=3.5, linewidth=1.2,
                linestyle=("-", "--", ":", "-.")[k % 4], label=label)  # fmt: skip
    ax.plot(*paths[0][0], "k*", markersize=10)  # the start of the first path
    ax.set(xlim=(x0, x1), ylim=(y0, y1))
    if title:
        ax.set_title(title)
    ax.legend(loc="upper right", fontsize=8)
    return ax.figure


def _plot_door(loss, paths, labels, extent, ax, levels, title):
    """The checks of :func:`plot_paths`; returns the window ``(x0, x1, y0, y1)``."""
    door = Arguments("plot_paths")
    door.function("loss", loss, "loss=bowl_loss")
    fix = "Pass a list of paths, e.g. paths=[gradient_descent(bowl_gradient, w0, 0.1, 20)]."
    if not isinstance(paths, (list, tuple)) or not paths:
        door.fail("paths", "a non-empty list of paths of shape (n, 2)", describe(paths), fix,
                  TypeError if not isinstance(paths, (list, tuple)) else ValueError)  # fmt: skip
    for i, path in enumerate(paths):
        door.rows(f"paths[{i}]", path, shape=(None, 2), fix=fix)
    door.names("labels", labels, count=len(paths), unique=False, example=("lr 0.1",))
    fix = "Pass the window as extent=(xmin, xmax, ymin, ymax), e.g. (-4, 5, -3, 4)."
    window = door.array("extent", extent, shape=(4,), fix=fix, what="4 numbers")
    if not (window[0] < window[1] and window[2] < window[3]):
        door.fail("extent", "xmin < xmax and ymin < ymax", f"{tuple(window.tolist())}", fix)
    if ax is not None:
        from matplotlib.axes import Axes

        if not isinstance(ax, Axes):
            door.fail("ax", "a Matplotlib Axes or None", describe(ax),
                      "Pass ax=None, or one from fig, ax = plt.subplots().", TypeError)  # fmt: skip
    if levels is not None:
        L = door.array("levels", levels, ndim=1, low_rows=1,
                       fix="Pass increasing contour levels, e.g. levels=[0.1, 1, 10].")  # fmt: skip
        if (np.diff(L) <= 0).any():
            door.fail("levels", "increasing contour levels", f"{L.tolist()}"[:80],
                      "Pass increasing contour levels, e.g. levels=[0.1, 1, 10].")  # fmt: skip
    door.text("title", title, allow_none=True, example="Gradient descent")
    return extent
